//! Rendering: the embedded templates filled with the review, and the CSV downloads.
//!
//! Templates and assets are compiled into the binary. `--templates DIR` replaces any of them
//! by a file of the same name in DIR, one file at a time. Every template is an `.html` file,
//! so tera escapes every value that reaches it; the CSS is copied as it is.

mod audit;
pub mod charts;
pub mod clocks_csv;
pub mod csv_out;
mod register_page;
mod satisfaction;
pub mod timeline;

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context as _;
use serde::Serialize;
use tera::{Context, Tera, Value};

use crate::clock::{Policy, TicketClock};
use crate::config::Config;
use crate::normalize::{Dataset, RepairKind};
pub use crate::review::format_count;
use crate::review::{BreachRow, Review};
use crate::time::format_local;

/// Templates compiled into the binary, by name.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("pager.html", include_str!("../../templates/pager.html")),
    ("index.html", include_str!("../../templates/index.html")),
    (
        "priorities.html",
        include_str!("../../templates/priorities.html"),
    ),
    (
        "breaches.html",
        include_str!("../../templates/breaches.html"),
    ),
    ("quality.html", include_str!("../../templates/quality.html")),
    ("area.html", include_str!("../../templates/area.html")),
    (
        "evidence.html",
        include_str!("../../templates/evidence.html"),
    ),
    ("actions.html", include_str!("../../templates/actions.html")),
    (
        "timeline.html",
        include_str!("../../templates/timeline.html"),
    ),
    (
        "register.html",
        include_str!("../../templates/register.html"),
    ),
    (
        "satisfaction.html",
        include_str!("../../templates/satisfaction.html"),
    ),
];

/// Files copied into the site as they are.
const ASSETS: &[(&str, &str)] = &[
    (
        "assets/style.css",
        include_str!("../../templates/assets/style.css"),
    ),
    (
        "assets/app.js",
        include_str!("../../templates/assets/app.js"),
    ),
];

/// Rows per page of the breach evidence.
pub const PAGE_SIZE: usize = 100;

/// Rows of long tables shown on a page before the reader is sent to the CSV.
const SHOWN_ROWS: usize = 2_000;

pub use crate::write::SiteFiles;

/// The input of rendering.
pub struct RenderInput<'a> {
    pub config: &'a Config,
    pub dataset: &'a Dataset,
    pub policy: &'a Policy,
    /// Every ticket's clocks, in dataset order.
    pub clocks: &'a [TicketClock],
    pub review: &'a Review,
    pub manifest: &'a serde_json::Value,
    /// The project's register; `None` when it has no `[register]`.
    pub register: Option<&'a crate::register::ProjectRegister>,
    pub templates_dir: Option<&'a Path>,
}

#[derive(Serialize)]
struct SiteInfo {
    title: String,
    client: String,
    period: Option<String>,
    as_of: String,
    version: &'static str,
    inputs: String,
    /// The `[[sla]]` rows are still the examples `slaudit init` wrote.
    example_targets: bool,
}

/// A row of a list with the link to its ticket's timeline page, when it has one.
#[derive(Serialize)]
struct Linked<'a, T: Serialize> {
    #[serde(flatten)]
    row: &'a T,
    timeline: Option<&'a str>,
}

#[derive(Serialize)]
struct PagerLink {
    number: usize,
    href: String,
    current: bool,
}

#[derive(Serialize)]
struct RepairGroup<'a> {
    kind: RepairKind,
    description: &'static str,
    count: usize,
    shown: usize,
    rows: Vec<&'a crate::normalize::Repair>,
}

/// Loads the embedded templates, replaced by any of the same name in `dir`.
fn templates(dir: Option<&Path>) -> anyhow::Result<(Tera, Vec<(String, String)>)> {
    let mut sources: Vec<(String, String)> = TEMPLATES
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    let mut assets: Vec<(String, String)> = ASSETS
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    if let Some(dir) = dir {
        let entries = walk(dir)
            .with_context(|| format!("failed to read the templates folder {}", dir.display()))?;
        for relative in entries {
            let path = dir.join(&relative);
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("failed to read {}", path.display()))?;
            if let Some(slot) = sources
                .iter_mut()
                .chain(assets.iter_mut())
                .find(|(name, _)| *name == relative)
            {
                slot.1 = text;
            } else {
                let known: Vec<&str> = TEMPLATES.iter().chain(ASSETS).map(|(n, _)| *n).collect();
                anyhow::bail!(
                    "{}: unknown template `{relative}`{}",
                    dir.display(),
                    crate::config::suggestion_or_list(&relative, &known)
                );
            }
        }
    }
    let mut tera = Tera::default();
    tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .context("a template does not compile")?;
    tera.register_filter("count", count_filter);
    Ok((tera, assets))
}

/// Lists the files under `dir` as `/`-separated relative paths, sorted.
fn walk(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                pending.push(path);
            } else if let Ok(relative) = path.strip_prefix(dir) {
                found.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    Ok(found)
}

fn count_filter(
    value: &Value,
    _: &std::collections::HashMap<String, Value>,
) -> tera::Result<Value> {
    match value {
        Value::Number(number) if number.is_u64() => {
            Ok(Value::String(format_count(number.as_u64().unwrap_or(0))))
        }
        Value::Number(number) if number.is_i64() => {
            let n = number.as_i64().unwrap_or(0);
            let text = format_count(n.unsigned_abs());
            Ok(Value::String(if n < 0 { format!("-{text}") } else { text }))
        }
        other => Ok(other.clone()),
    }
}

/// Renders every page and download of the site.
pub fn render(input: &RenderInput<'_>, files: &SiteFiles) -> anyhow::Result<()> {
    let (tera, assets) = templates(input.templates_dir)?;
    let config = input.config;
    let zone = config.tickets.timezone.0;

    let site = SiteInfo {
        title: config.project.title.clone(),
        client: config.project.client.clone(),
        period: config.project.period.map(|p| p.to_string()),
        as_of: format!("{} {}", format_local(zone, input.policy.as_of), zone.name()),
        version: env!("CARGO_PKG_VERSION"),
        inputs: input
            .dataset
            .inputs
            .iter()
            .map(|i| i.path.clone())
            .collect::<Vec<_>>()
            .join(", "),
        example_targets: config.uses_example_targets(),
    };
    let mut base = Context::new();
    base.insert("site", &site);
    base.insert("root", "");
    // Attainment net of exceptions is shown whenever the register approves an exception.
    let approves_exceptions =
        input.register.is_some_and(|project| {
            project.register.exceptions.iter().any(|exception| {
                exception.status == Some(crate::register::ExceptionStatus::Approved)
            })
        });
    base.insert("net", &approves_exceptions);
    base.insert("has_register", &input.register.is_some());

    let review = input.review;
    let with_pages = timeline::tickets_with_pages(input.dataset, input.clocks, review);
    let timeline_names = timeline::page_names(with_pages.iter().map(|(ticket, _)| &*ticket.id));
    let link = |ticket: &str| timeline_names.get(ticket).map(String::as_str);
    let downgrades: Vec<Linked<crate::review::DowngradeRow>> = review
        .downgrades
        .iter()
        .map(|row| Linked {
            row,
            timeline: link(&row.ticket),
        })
        .collect();

    let mut index = base.clone();
    index.insert("review", review);
    index.insert("rejected_count", &input.dataset.quality.rejected.len());
    index.insert("page", "index");
    let breaches_of = |metric: &str| {
        review
            .breaches
            .iter()
            .filter(|b| b.metric == metric)
            .count()
    };
    let calendars = if review.verdict_calendars.is_empty() {
        "24x7".to_string()
    } else {
        review.verdict_calendars.join(", ")
    };
    index.insert(
        "summary",
        &serde_json::json!({
            "first_opened": review.first_opened.map(|at| format_local(zone, at)),
            "last_opened": review.last_opened.map(|at| format_local(zone, at)),
            "calendars": calendars,
            "calendar_count": review.verdict_calendars.len(),
            "response_breaches": breaches_of("response"),
            "resolution_breaches": breaches_of("resolution"),
            "downgrades": review.downgrades.len(),
            "excepted_breaches": review.breaches.iter().filter(|b| b.exception.is_some()).count(),
            "register_findings": review.register.as_ref().map(|r| r.findings.len()),
        }),
    );
    files.insert("index.html".into(), page(&tera, "index.html", &index)?);

    let mut priorities = base.clone();
    priorities.insert("page", "priorities");
    priorities.insert("review", review);
    priorities.insert("downgrades", &downgrades);
    files.insert(
        "priorities.html".into(),
        page(&tera, "priorities.html", &priorities)?,
    );

    // The two per-ticket CSVs are the largest files of a big site, so they are written on one
    // core while the pages are rendered on the other.
    let bom = config.site.csv_bom;
    let audited: Vec<(&crate::normalize::Ticket, &TicketClock)> = review
        .audited
        .iter()
        .map(|&index| (&input.dataset.tickets[index], &input.clocks[index]))
        .collect();
    let ticket_csvs = || {
        files.insert(
            "tickets.csv".into(),
            csv_out::tickets(input.dataset, input.clocks, zone, bom),
        );
        files.insert(
            "clocks.csv".into(),
            clocks_csv::clocks(input.policy, input.dataset, &audited, zone, bom),
        );
    };
    let pages = || -> anyhow::Result<()> {
        render_breaches(&tera, &base, review, &link, files)?;
        let timeline = |ticket: &str| link(ticket).map(str::to_string);
        audit::render(&tera, &base, review, &timeline, bom, files)?;
        render_quality(&tera, &base, input, files)?;
        let mut excepted: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for row in &review.breaches {
            if let Some(exception) = &row.exception {
                excepted.entry(row.ticket.clone()).or_default().push(format!(
                    "{}: the breach is excepted by {exception}, an approved exception of the register",
                    row.metric
                ));
            }
        }
        let timelines = timeline::Timelines {
            policy: input.policy,
            dataset: input.dataset,
            tickets: &with_pages,
            names: &timeline_names,
            export_zone: zone,
            excepted: &excepted,
        };
        timeline::render(&tera, &base, &timelines, files)?;
        register_page::render_register(&tera, &base, input, files)?;
        Ok(())
    };
    let ((), rendered) = rayon::join(ticket_csvs, pages);
    rendered?;
    if let Some(survey_figures) = &review.satisfaction {
        satisfaction::csv_files(survey_figures, files);
    }
    files.insert(
        "breaches.csv".into(),
        csv_out::breaches(&review.breaches, bom),
    );
    files.insert(
        "rejected.csv".into(),
        csv_out::rejected(&input.dataset.quality.rejected, bom),
    );
    files.insert(
        "repairs.csv".into(),
        csv_out::repairs(&input.dataset.quality.repairs, bom),
    );
    files.insert(
        "disagreements.csv".into(),
        csv_out::disagreements(&review.reconciliation.disagreements, bom),
    );
    for (name, text) in assets {
        files.insert(name, text.into_bytes());
    }
    let mut manifest =
        serde_json::to_vec_pretty(input.manifest).context("failed to write manifest.json")?;
    manifest.push(b'\n');
    files.insert("manifest.json".into(), manifest);
    Ok(())
}

fn page(tera: &Tera, template: &str, context: &Context) -> anyhow::Result<Vec<u8>> {
    let html = tera
        .render(template, context)
        .map_err(|error| anyhow::anyhow!("failed to render {template}: {}", tera_chain(&error)))?;
    Ok(html.into_bytes())
}

/// Tera's errors hide the useful part in their sources.
fn tera_chain(error: &tera::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Returns the file name of one page of a paginated list: `breaches.html`, `breaches-2.html`, …
fn page_file(stem: &str, number: usize) -> String {
    if number == 1 {
        format!("{stem}.html")
    } else {
        format!("{stem}-{number}.html")
    }
}

fn render_breaches<'a>(
    tera: &Tera,
    base: &Context,
    review: &'a Review,
    link: &dyn Fn(&str) -> Option<&'a str>,
    files: &SiteFiles,
) -> anyhow::Result<()> {
    let rows: Vec<Linked<BreachRow>> = review
        .breaches
        .iter()
        .map(|row| Linked {
            row,
            timeline: link(&row.ticket),
        })
        .collect();
    let pages = rows.len().div_ceil(PAGE_SIZE).max(1);
    for number in 1..=pages {
        let start = (number - 1) * PAGE_SIZE;
        let end = (start + PAGE_SIZE).min(rows.len());
        let pager: Vec<PagerLink> = (1..=pages)
            .map(|n| PagerLink {
                number: n,
                href: page_file("breaches", n),
                current: n == number,
            })
            .collect();
        let mut context = base.clone();
        context.insert("page", "breaches");
        context.insert("rows", &rows[start..end]);
        context.insert("total", &rows.len());
        context.insert("first", &(start + 1));
        context.insert("last", &end);
        context.insert("page_number", &number);
        context.insert("pages", &pages);
        context.insert("pager", &pager);
        files.insert(
            page_file("breaches", number),
            page(tera, "breaches.html", &context)?,
        );
    }
    Ok(())
}

fn render_quality(
    tera: &Tera,
    base: &Context,
    input: &RenderInput<'_>,
    files: &SiteFiles,
) -> anyhow::Result<()> {
    let dataset = input.dataset;
    let mut groups: BTreeMap<RepairKind, Vec<&crate::normalize::Repair>> = BTreeMap::new();
    for repair in &dataset.quality.repairs {
        groups.entry(repair.kind).or_default().push(repair);
    }
    let repair_groups: Vec<RepairGroup> = groups
        .into_iter()
        .map(|(kind, rows)| RepairGroup {
            kind,
            description: kind.describe(),
            count: rows.len(),
            shown: rows.len().min(SHOWN_ROWS),
            rows: rows.into_iter().take(SHOWN_ROWS).collect(),
        })
        .collect();
    let shown = |rows: usize| rows.min(SHOWN_ROWS);
    let rejected = &dataset.quality.rejected;
    let disagreements = &input.review.reconciliation.disagreements;
    let mut context = base.clone();
    context.insert("page", "quality");
    context.insert("review", input.review);
    context.insert("rejected_count", &rejected.len());
    context.insert("rejected", &rejected[..shown(rejected.len())]);
    context.insert("disagreements_count", &disagreements.len());
    context.insert(
        "disagreements",
        &disagreements[..shown(disagreements.len())],
    );
    context.insert("inputs", &dataset.inputs);
    context.insert("preset", &dataset.preset);
    context.insert("layout", &dataset.layout.map(|l| l.to_string()));
    context.insert("timezone", input.config.tickets.timezone.0.name());
    context.insert("date_formats", &dataset.date_formats);
    context.insert(
        "max_rejected",
        &input.config.tickets.max_rejected.to_string(),
    );
    context.insert("repair_groups", &repair_groups);
    context.insert("has_register", &input.register.is_some());
    context.insert(
        "register_diagnostics",
        &register_page::register_diagnostics(input),
    );
    if let Some(survey_figures) = &input.review.satisfaction {
        let survey_rejected = &survey_figures.rejected;
        context.insert("survey_rejected_count", &survey_rejected.len());
        context.insert(
            "survey_rejected",
            &survey_rejected[..shown(survey_rejected.len())],
        );
        context.insert("survey_sources", &survey_figures.sources);
    }
    files.insert("quality.html".into(), page(tera, "quality.html", &context)?);
    Ok(())
}
