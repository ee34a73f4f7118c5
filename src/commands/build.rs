//! `slaudit build`: read a project and write its audit site.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant as Stopwatch;

use anyhow::{bail, Context as _};

use crate::config::{Config, Period};
use crate::normalize::{self, Dataset, ReadPlan};
use crate::{clock, register, render, review, survey, time, write};

/// Read a project and write its audit site.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The project folder holding slaudit.toml.
    #[arg(default_value = ".")]
    pub project: PathBuf,
    /// The folder to write the site to; it is replaced as a whole.
    #[arg(long, default_value = "site")]
    pub out: PathBuf,
    /// The audit's "now": a date (midnight in the export's zone), a local time such as
    /// "2017-03-01 12:00", or an instant such as 2017-03-01T12:00:00Z. Default: the
    /// project's as_of, else the current time.
    #[arg(long, value_name = "DATE_OR_INSTANT", value_parser = as_of_syntax)]
    pub as_of: Option<String>,
    /// Audit only tickets opened in FROM..TO (dates, inclusive), overriding [project] period.
    #[arg(long, value_name = "FROM..TO")]
    pub period: Option<Period>,
    /// A folder of templates that replace the embedded ones of the same name.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

/// Prints a phase's duration when `SLAUDIT_LOG` is set; silent otherwise.
struct Phases {
    enabled: bool,
    last: Stopwatch,
}

impl Phases {
    fn new() -> Phases {
        Phases {
            enabled: std::env::var_os("SLAUDIT_LOG").is_some(),
            last: Stopwatch::now(),
        }
    }

    fn done(&mut self, phase: &str) {
        if self.enabled {
            eprintln!(
                "slaudit: [debug] {phase}: {:.3} s",
                self.last.elapsed().as_secs_f64()
            );
        }
        self.last = Stopwatch::now();
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut phases = Phases::new();
    let (mut config, mut dataset) = load_dataset(&args.project)?;
    if let Some(period) = args.period {
        config.project.period = Some(period);
    }
    let as_of = as_of(
        args.as_of.as_deref().or(config.project.as_of.as_deref()),
        &config,
    )?;
    normalize::flag_after_as_of(&mut dataset, as_of, config.tickets.timezone.0);
    phases.done("load and normalize");
    for warning in &dataset.warnings {
        eprintln!("slaudit: warning: {warning}");
    }
    check_rejections(&config, &dataset)?;
    let register = read_register(&config, &args.project, &mut dataset)?;

    let (policy, warnings) = clock::policy(&config, &args.project, &dataset, as_of)?;
    for warning in &warnings {
        eprintln!("slaudit: warning: {warning}");
    }
    let clocks = clock::run(&policy, &dataset);
    phases.done("clock");

    let sources = survey::sources::read_sources(&config, &args.project)?;
    let answers = config
        .surveys
        .is_some()
        .then(|| review::satisfaction::SurveyAnswers::collect(&config, &sources, as_of));
    dataset
        .inputs
        .extend(sources.iter().filter_map(|source| source.input.clone()));
    phases.done("read surveys");

    let register_only = register.as_ref().map(|r| &r.register);
    let review = review::review(
        &config,
        &dataset,
        &policy,
        &clocks,
        register_only,
        answers.as_ref(),
    );
    for warning in review.satisfaction.iter().flat_map(|s| s.warnings()) {
        eprintln!("slaudit: warning: {warning}");
    }
    for warning in review.register.iter().flat_map(|r| &r.diagnostics) {
        eprintln!("slaudit: {warning}");
    }
    phases.done("review");
    if let Some(reason) = review::nothing_to_audit(&config, &dataset, as_of) {
        bail!(reason);
    }

    let manifest = manifest(&config, &dataset, &review, as_of);
    let staging = write::Staging::begin(&args.out)?;
    render::render(
        &render::RenderInput {
            config: &config,
            dataset: &dataset,
            policy: &policy,
            clocks: &clocks,
            review: &review,
            manifest: &manifest,
            register: register.as_ref(),
            templates_dir: args.templates.as_deref(),
        },
        staging.files(),
    )?;
    phases.done("render and write");
    let file_count = staging.files().len();
    staging.commit()?;
    phases.done("commit");
    let rejected = dataset.quality.rejected.len();
    let repaired = dataset.quality.repairs.len();
    let mut listed = Vec::new();
    if rejected > 0 {
        listed.push(format!(
            "{} row{} rejected",
            render::format_count(rejected as u64),
            if rejected == 1 { "" } else { "s" }
        ));
    }
    if repaired > 0 {
        listed.push(format!(
            "{} value{} repaired or flagged",
            render::format_count(repaired as u64),
            if repaired == 1 { "" } else { "s" }
        ));
    }
    eprintln!(
        "slaudit: wrote {} files to {} ({} ticket{} audited{})",
        file_count,
        args.out.display(),
        render::format_count(review.counts.audited as u64),
        if review.counts.audited == 1 { "" } else { "s" },
        if listed.is_empty() {
            String::new()
        } else {
            format!("; {}, listed in quality.html", listed.join(" and "))
        }
    );
    // The process ends now; freeing a million tickets one by one would only add time.
    std::mem::forget((dataset, clocks, review));
    Ok(ExitCode::SUCCESS)
}

/// Reads a project's config and tickets into the canonical model.
pub fn load_dataset(project_dir: &Path) -> anyhow::Result<(Config, Dataset)> {
    let config = Config::load(project_dir)?;
    let plan = ReadPlan {
        extra_columns: extra_columns(&config),
    };
    let dataset = normalize::read_tickets(&config, project_dir, &plan)?;
    Ok((config, dataset))
}

/// Lists the export columns a build keeps besides the canonical fields: those the security
/// rules read. Register scopes may name them too.
pub fn extra_columns(config: &Config) -> Vec<String> {
    let mut columns: Vec<String> = config
        .review
        .security
        .iter()
        .map(|rule| rule.require.field.clone())
        .collect();
    columns.sort();
    columns.dedup();
    columns
}

/// Reads the project's register, prints its warnings and records it as an input.
fn read_register(
    config: &Config,
    project_dir: &Path,
    dataset: &mut Dataset,
) -> anyhow::Result<Option<register::ProjectRegister>> {
    let extra_fields: Vec<&str> = dataset.extra_columns.iter().map(String::as_str).collect();
    let register = register::read_project_register(config, project_dir, &extra_fields)?;
    if let Some(register) = &register {
        for warning in &register.diagnostics {
            eprintln!("slaudit: {warning}");
        }
        dataset.inputs.push(register.input.clone());
    }
    Ok(register)
}

/// Fails the build when more rows were rejected than `max_rejected` allows.
fn check_rejections(config: &Config, dataset: &Dataset) -> anyhow::Result<()> {
    let rejected = dataset.quality.rejected.len() as u64;
    let total: u64 = dataset.inputs.iter().map(|input| input.rows).sum();
    if config.tickets.max_rejected.allows(rejected, total) {
        return Ok(());
    }
    let mut message = format!(
        "{rejected} of {total} rows were rejected, more than max_rejected = {} allows:",
        config.tickets.max_rejected
    );
    for rejection in dataset.quality.rejected.iter().take(10) {
        message.push_str(&format!(
            "\n  {}:{}: {}",
            rejection.file,
            rejection.line,
            rejection.describe()
        ));
    }
    if rejected > 10 {
        message.push_str(&format!("\n  … and {} more", rejected - 10));
    }
    message.push_str("\nfix the rows or the config, or raise max_rejected in [tickets]");
    bail!(message)
}

/// Reads `--as-of`: a date, a local time in the export's zone, or an instant with an offset.
pub fn as_of(text: Option<&str>, config: &Config) -> anyhow::Result<time::Instant> {
    let Some(text) = text else {
        return Ok(chrono::Utc::now().timestamp());
    };
    parse_as_of(text, config.tickets.timezone.0)
        .with_context(|| format!("invalid as-of `{text}`: expected a date such as 2017-03-01, a local time such as \"2017-03-01 12:00\", or an instant such as 2017-03-01T12:00:00Z"))
}

/// Checks the form of an `--as-of` value on the command line, so that a mistake is a usage
/// error; the zone it is read in comes from the project later.
pub fn as_of_syntax(text: &str) -> Result<String, String> {
    parse_as_of(text, chrono_tz::UTC)
        .map(|_| text.to_string())
        .map_err(|_| {
            "expected a date such as 2017-03-01, a local time such as \"2017-03-01 12:00\", or an instant \
             such as 2017-03-01T12:00:00Z"
                .to_string()
        })
}

fn parse_as_of(text: &str, zone: chrono_tz::Tz) -> anyhow::Result<time::Instant> {
    let text = text.trim();
    if let Ok(instant) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(instant.timestamp());
    }
    let local = if let Ok(date) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        date.and_hms_opt(0, 0, 0).context("midnight exists")?
    } else {
        [
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%dT%H:%M",
        ]
        .iter()
        .find_map(|format| chrono::NaiveDateTime::parse_from_str(text, format).ok())
        .context("not a date or time")?
    };
    match time::resolve_local(zone, local, crate::config::AmbiguousTimes::Earlier) {
        Ok(resolved) => Ok(resolved.instant),
        Err(_) => bail!("{text} does not exist in {zone} (the clocks jump forward over it)"),
    }
}

/// Builds the manifest: what was built from what, so that an auditor can check the inputs and
/// rebuild the same bytes.
fn manifest(
    config: &Config,
    dataset: &Dataset,
    review: &review::Review,
    as_of: time::Instant,
) -> serde_json::Value {
    let config_json = serde_json::to_value(config).unwrap_or(serde_json::Value::Null);
    let formats: Vec<serde_json::Value> = dataset
        .date_formats
        .iter()
        .map(|(column, format, detected)| {
            serde_json::json!({ "column": column, "format": format, "detected": detected })
        })
        .collect();
    serde_json::json!({
        "generator": "slaudit",
        "version": env!("CARGO_PKG_VERSION"),
        "as_of": time::format_utc(as_of),
        "config": config_json,
        "inputs": dataset.inputs,
        "review_thresholds": review.audit.settings,
        "date_formats": formats,
        "tickets": {
            "by_priority": review
                .priorities
                .iter()
                .map(|row| (row.priority.clone(), row.tickets))
                .collect::<std::collections::BTreeMap<_, _>>(),
            "loaded": review.counts.loaded,
            "audited": review.counts.audited,
            "outside_period": review.counts.outside_period,
            "after_as_of": review.counts.after_as_of,
            "rejected_rows": dataset.quality.rejected.len(),
            "repaired": dataset.quality.repairs.len(),
        },
        "clocks": {
            "response": means(&review.overall.response),
            "resolution": means(&review.overall.resolution),
            "downgrades": review.downgrades.len(),
        },
    })
}

/// The measured count and mean business time of one metric over every audited ticket.
fn means(attainment: &review::Attainment) -> serde_json::Value {
    serde_json::json!({
        "measured": attainment.measured,
        "mean_seconds": attainment.mean_seconds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_of_reads_dates_times_and_instants() {
        let london = chrono_tz::Europe::London;
        // 2024-07-01 is 19,905 days after 1970-01-01; London is on BST (UTC+1) then.
        let midnight_utc = 19_905 * 86_400;
        assert_eq!(
            parse_as_of("2024-07-01", london).unwrap(),
            midnight_utc - 3_600
        );
        assert_eq!(
            parse_as_of("2024-07-01 12:30", london).unwrap(),
            midnight_utc + 11 * 3_600 + 1_800
        );
        assert_eq!(
            parse_as_of("2024-07-01T12:30:00Z", london).unwrap(),
            midnight_utc + 12 * 3_600 + 1_800
        );
        assert!(parse_as_of("2024-03-31 01:30", london).is_err());
        assert!(parse_as_of("yesterday", london).is_err());
    }
}
