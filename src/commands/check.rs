//! `slaudit check`: read every input of a project and list every problem, writing nothing.
//!
//! Each problem is one line on standard output, `file:line:column: kind: message`, where the
//! column is the 1-based field number in a CSV file. Kinds:
//! - `error`: the project cannot be built until it is fixed (a missing column, a date format
//!   that cannot be settled, text that is not valid UTF-8, an invalid calendar, an error in
//!   the register);
//! - `rejected`: a row the build leaves out of every figure; too many of them (more than
//!   `max_rejected`) also stop the build;
//! - `warning`: a ticket kept with a value flagged or left empty, or a register entry that
//!   names a check, finding or ticket the build would not find.
//!
//! A count follows. The exit status is 0 when the project can be built and 1 otherwise. A
//! config file that cannot be parsed stops at its first error, as `build` does.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::config::Config;
use crate::load::InputError;
use crate::normalize::{self, Dataset, ReadPlan, RepairKind};
use crate::{clock, register};

/// Read every input of a project and list every problem, without writing a site.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The project folder holding slaudit.toml.
    #[arg(default_value = ".")]
    pub project: PathBuf,
    /// The audit's "now", as for `build`; timestamps after it are flagged.
    #[arg(long, value_name = "DATE_OR_INSTANT", value_parser = super::build::as_of_syntax)]
    pub as_of: Option<String>,
}

/// The seriousness of a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Error,
    Rejected,
    Warning,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Error => "error",
            Kind::Rejected => "rejected",
            Kind::Warning => "warning",
        }
    }
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Problem {
    file: String,
    line: Option<u64>,
    column: Option<usize>,
    kind: Kind,
    message: String,
}

impl Problem {
    fn render(&self) -> String {
        let mut text = self.file.clone();
        if let Some(line) = self.line {
            text.push_str(&format!(":{line}"));
            if let Some(column) = self.column {
                text.push_str(&format!(":{column}"));
            }
        }
        format!("{text}: {}: {}", self.kind.name(), self.message)
    }
}

/// Repairs that only record how a value was filled in from the history. They are counted, not
/// listed, because an event log has many of them and each is expected.
const COUNTED_REPAIRS: &[RepairKind] = &[
    RepairKind::ResolvedFromHistory,
    RepairKind::ClosedWithoutResolution,
    RepairKind::ReorderedUpdates,
    RepairKind::StaleUpdate,
];

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let config = Config::load(&args.project)?;
    let (mut dataset, input_problems) =
        normalize::check_tickets(&config, &args.project, &ReadPlan::default());
    let headers: &[String] = dataset.as_ref().map_or(&[], |d| &d.headers);
    let mut problems: Vec<Problem> = input_problems
        .iter()
        .map(|problem| from_input_error(problem, headers))
        .collect();
    let mut counted_repairs = 0;
    let mut rows_over_limit = None;
    if let Some(dataset) = &mut dataset {
        let as_of = super::build::as_of(
            args.as_of.as_deref().or(config.project.as_of.as_deref()),
            &config,
        )?;
        normalize::flag_after_as_of(dataset, as_of, config.tickets.timezone.0);
        let dataset = &*dataset;
        problems.extend(row_problems(dataset, &mut counted_repairs));
        problems.extend(dataset.warnings.iter().map(|warning| {
            let mut problem = from_input_error(warning, &dataset.headers);
            problem.kind = Kind::Warning;
            problem
        }));
        let rejected = dataset.quality.rejected.len() as u64;
        let total: u64 = dataset.inputs.iter().map(|input| input.rows).sum();
        if !config.tickets.max_rejected.allows(rejected, total) {
            rows_over_limit = Some((rejected, total));
        }
        let (calendar, policy) = calendar_problems(&config, &args.project, dataset, as_of);
        problems.extend(calendar);
        if let Some(policy) = &policy {
            problems.extend(register_link_problems(
                &config,
                &args.project,
                dataset,
                policy,
            ));
        }
        if let Some(reason) = crate::review::nothing_to_audit(&config, dataset, as_of) {
            problems.push(Problem {
                file: crate::config::CONFIG_FILE.to_string(),
                line: None,
                column: None,
                kind: Kind::Error,
                message: reason,
            });
        }
    }
    problems.extend(register_problems(&config, &args.project));
    problems.sort();

    for problem in &problems {
        println!("{}", problem.render());
    }
    let count = |kind: Kind| problems.iter().filter(|p| p.kind == kind).count();
    let (errors, rejected, warnings) = (
        count(Kind::Error),
        count(Kind::Rejected),
        count(Kind::Warning),
    );
    let mut summary = format!(
        "{} {}: {errors} {}, {rejected} {} rejected, {warnings} {}",
        problems.len(),
        plural(problems.len(), "problem", "problems"),
        plural(errors, "error", "errors"),
        plural(rejected, "row", "rows"),
        plural(warnings, "warning", "warnings"),
    );
    if counted_repairs > 0 {
        summary.push_str(&format!(
            "; {} {} from the ticket history: values filled in, updates reordered or left out (listed on the data-quality page)",
            crate::review::format_count(counted_repairs as u64),
            plural(counted_repairs, "repair", "repairs")
        ));
    }
    let buildable = errors == 0 && rows_over_limit.is_none();
    if let Some((rejected, total)) = rows_over_limit {
        summary.push_str(&format!(
            "; {rejected} of {total} rows rejected is more than max_rejected = {} allows",
            config.tickets.max_rejected
        ));
    }
    summary.push_str(if buildable {
        "; the project can be built"
    } else {
        "; the project cannot be built"
    });
    println!("{summary}");
    Ok(if buildable {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn plural<'a>(count: usize, one: &'a str, many: &'a str) -> &'a str {
    if count == 1 {
        one
    } else {
        many
    }
}

/// Returns the 1-based field number of a column, found by its name in the header.
fn column_number(headers: &[String], name: &str) -> Option<usize> {
    headers
        .iter()
        .position(|header| header.eq_ignore_ascii_case(name))
        .map(|index| index + 1)
}

fn from_input_error(problem: &InputError, headers: &[String]) -> Problem {
    let mut message = String::new();
    if let Some(column) = &problem.column {
        message.push_str(&format!("column `{column}`: "));
    }
    message.push_str(&problem.message);
    Problem {
        file: problem.file.clone(),
        line: problem.line,
        column: problem.field.or_else(|| {
            problem
                .column
                .as_deref()
                .and_then(|name| column_number(headers, name))
        }),
        kind: Kind::Error,
        message,
    }
}

/// Rejected rows, and the flagged values of the tickets that were kept.
fn row_problems(dataset: &Dataset, counted_repairs: &mut usize) -> Vec<Problem> {
    // A problem's column is numbered in the header of the file it was read from.
    let headers_of = |file: &str| match &dataset.event_headers {
        Some((events_file, headers)) if events_file == file => headers,
        _ => &dataset.headers,
    };
    let mut problems = Vec::new();
    for rejection in &dataset.quality.rejected {
        problems.push(Problem {
            file: rejection.file.clone(),
            line: Some(rejection.line),
            column: column_number(headers_of(&rejection.file), &rejection.column),
            kind: Kind::Rejected,
            message: rejection.describe(),
        });
    }
    for repair in &dataset.quality.repairs {
        if COUNTED_REPAIRS.contains(&repair.kind) {
            *counted_repairs += 1;
            continue;
        }
        let value = if repair.value.is_empty() {
            String::new()
        } else {
            format!(" `{}`", repair.value)
        };
        problems.push(Problem {
            file: repair.file.clone(),
            line: Some(repair.line),
            column: column_number(headers_of(&repair.file), &repair.column),
            kind: Kind::Warning,
            message: format!(
                "ticket {}: column `{}`{value}: {}: {}",
                repair.ticket,
                repair.column,
                repair.kind.describe(),
                repair.action
            ),
        });
    }
    problems
}

/// Problems of the register's references to checks, findings and tickets, found by running
/// the review as `build` does. A register or survey source that cannot be read gives none
/// here, because its own problems are listed already.
fn register_link_problems(
    config: &Config,
    project_dir: &Path,
    dataset: &Dataset,
    policy: &clock::Policy,
) -> Vec<Problem> {
    let as_of = policy.as_of;
    let extra_fields: Vec<&str> = dataset.extra_columns.iter().map(String::as_str).collect();
    let Ok(Some(register)) = register::read_project_register(config, project_dir, &extra_fields)
    else {
        return Vec::new();
    };
    let Ok(sources) = crate::survey::sources::read_sources(config, project_dir) else {
        return Vec::new();
    };
    let answers = config
        .surveys
        .is_some()
        .then(|| crate::review::satisfaction::SurveyAnswers::collect(config, &sources, as_of));
    let clocks = clock::run(policy, dataset);
    let review = crate::review::review(
        config,
        dataset,
        policy,
        &clocks,
        Some(&register.register),
        answers.as_ref(),
    );
    review
        .register
        .into_iter()
        .flat_map(|linked| linked.diagnostics)
        .map(|diagnostic| Problem {
            file: diagnostic.file,
            line: Some(diagnostic.line as u64),
            column: diagnostic.column,
            kind: if diagnostic.severity == register::Severity::Error {
                Kind::Error
            } else {
                Kind::Warning
            },
            message: diagnostic.message,
        })
        .collect()
}

/// Returns the problems of the calendars and SLA rows, found by compiling them as `build`
/// does, and the compiled policy when there was no error.
fn calendar_problems(
    config: &Config,
    project_dir: &Path,
    dataset: &Dataset,
    as_of: crate::time::Instant,
) -> (Vec<Problem>, Option<clock::Policy>) {
    let problem = |kind: Kind, message: String| Problem {
        file: crate::config::CONFIG_FILE.to_string(),
        line: None,
        column: None,
        kind,
        message,
    };
    match clock::policy(config, project_dir, dataset, as_of) {
        Ok((policy, warnings)) => (
            warnings
                .into_iter()
                .map(|warning| problem(Kind::Warning, warning))
                .collect(),
            Some(policy),
        ),
        Err(error) => {
            let message = format!("{error:#}");
            // A calendar's error names the line of its table: keep it as the problem's place.
            let placed = message
                .strip_prefix(crate::config::CONFIG_FILE)
                .and_then(|rest| rest.strip_prefix(':'))
                .and_then(|rest| rest.split_once(": "))
                .and_then(|(line, rest)| Some((line.parse::<u64>().ok()?, rest)));
            let error = match placed {
                Some((line, rest)) => Problem {
                    line: Some(line),
                    ..problem(Kind::Error, rest.to_string())
                },
                None => problem(Kind::Error, message),
            };
            (vec![error], None)
        }
    }
}

/// Returns the governance register's diagnostics, when the project names one.
fn register_problems(config: &Config, project_dir: &Path) -> Vec<Problem> {
    let Some(settings) = &config.register else {
        return Vec::new();
    };
    let file = settings.file.to_string_lossy().replace('\\', "/");
    let path = Config::resolve(project_dir, &settings.file);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            return vec![Problem {
                file,
                line: None,
                column: None,
                kind: Kind::Error,
                message: format!("failed to read the register: {error}"),
            }]
        }
    };
    // Scopes may name the same columns as in a build.
    let columns = super::build::extra_columns(config);
    let extra_fields: Vec<&str> = columns.iter().map(String::as_str).collect();
    let (_, diagnostics) = register::Register::parse(&text, &file, &extra_fields);
    diagnostics
        .into_iter()
        .map(|diagnostic| Problem {
            file: diagnostic.file,
            line: Some(diagnostic.line as u64),
            column: diagnostic.column,
            kind: if diagnostic.severity == register::Severity::Error {
                Kind::Error
            } else {
                Kind::Warning
            },
            message: diagnostic.message,
        })
        .collect()
}
