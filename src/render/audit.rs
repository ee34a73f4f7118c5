//! Pages of the audit review: one per control area, one evidence list per check, and the
//! actions with what changed.

use serde::Serialize;
use tera::{Context, Tera};

use super::charts::{self, Series};
use super::{csv_out, format_count, page, SiteFiles};
use crate::review::checks::{Area, Evidence};
use crate::review::{Review, METRICS};

use crate::review::SHOWN_ROWS;

/// A list of tickets with its page and CSV.
#[derive(Serialize)]
pub struct Listing<'a> {
    pub id: String,
    pub title: String,
    pub detail: String,
    pub area: Option<&'static str>,
    pub area_slug: Option<&'static str>,
    pub columns: &'a [String],
    pub rows: Vec<ListingRow<'a>>,
    pub total: usize,
}

#[derive(Serialize)]
pub struct ListingRow<'a> {
    /// The ticket's timeline page, relative to the site root, when it has one.
    pub href: Option<String>,
    pub cells: &'a [String],
}

/// A chart with the table of the figures it draws.
#[derive(Serialize)]
struct Chart {
    svg: String,
    caption: String,
    headings: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// The input of one evidence page.
pub struct EvidencePage<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub detail: &'a str,
    pub area: Option<Area>,
    pub evidence: &'a Evidence,
    /// The number of tickets in the list; `evidence` may hold only the rows shown.
    pub total: usize,
    /// A site CSV that lists them all, linked in place of a CSV of the list's own.
    pub csv: Option<&'a str>,
    pub bom: bool,
}

/// Writes an evidence list as a page and a CSV under `evidence/`.
pub fn evidence_files(
    tera: &Tera,
    base: &Context,
    page_input: &EvidencePage<'_>,
    timeline: &dyn Fn(&str) -> Option<String>,
    files: &SiteFiles,
) -> anyhow::Result<()> {
    let EvidencePage {
        id,
        title,
        detail,
        area,
        evidence,
        total,
        csv,
        bom,
    } = *page_input;
    let listing = Listing {
        id: id.to_string(),
        title: title.to_string(),
        detail: detail.to_string(),
        area: area.map(Area::title),
        area_slug: area.map(Area::slug),
        columns: &evidence.columns,
        rows: evidence
            .rows
            .iter()
            .take(SHOWN_ROWS)
            .map(|row| ListingRow {
                href: row.first().and_then(|ticket| timeline(ticket)),
                cells: row,
            })
            .collect(),
        total,
    };
    let mut context = base.clone();
    context.insert("root", "../");
    context.insert("page", "evidence");
    context.insert("listing", &listing);
    let csv_href = csv.map_or_else(|| format!("{id}.csv"), |file| format!("../{file}"));
    context.insert("csv_href", &csv_href);
    context.insert("csv_name", csv.unwrap_or(&format!("{id}.csv")));
    files.insert(
        format!("evidence/{id}.html"),
        page(tera, "evidence.html", &context)?,
    );
    if csv.is_none() {
        let header: Vec<&str> = evidence.columns.iter().map(String::as_str).collect();
        files.insert(
            format!("evidence/{id}.csv"),
            csv_out::table(&header, evidence.rows.iter().cloned(), bom),
        );
    }
    Ok(())
}

/// Writes the area pages, every check's evidence, and the actions page.
pub fn render(
    tera: &Tera,
    base: &Context,
    review: &Review,
    timeline: &dyn Fn(&str) -> Option<String>,
    bom: bool,
    files: &SiteFiles,
) -> anyhow::Result<()> {
    let audit = &review.audit;
    let net = base
        .get("net")
        .and_then(tera::Value::as_bool)
        .unwrap_or(false);
    for listing in &review.listings {
        let input = EvidencePage {
            id: &listing.id,
            title: &listing.title,
            detail: &listing.detail,
            area: None,
            evidence: &listing.evidence,
            total: listing.total,
            csv: listing.csv,
            bom,
        };
        evidence_files(tera, base, &input, timeline, files)?;
    }
    for check in &audit.checks {
        let input = EvidencePage {
            id: &check.id,
            title: &check.title,
            detail: &check.detail,
            area: Some(check.area),
            evidence: &check.evidence,
            total: check.evidence.rows.len(),
            csv: None,
            bom,
        };
        evidence_files(tera, base, &input, timeline, files)?;
    }
    for area in &audit.areas {
        let mut context = base.clone();
        context.insert("root", "../");
        context.insert("page", area.slug);
        context.insert("area", area);
        let (charts, breakdowns, percentiles) = match area.area {
            Area::Escalation => (vec![reassignment_chart(review)], Vec::new(), Vec::new()),
            Area::Metrics => (
                vec![monthly_chart(review, net), backlog_chart(review)],
                audit
                    .tables
                    .breakdowns
                    .iter()
                    .filter(|b| b.dimension != "month")
                    .collect(),
                audit.tables.percentiles.iter().collect(),
            ),
            _ => (Vec::new(), Vec::new(), Vec::new()),
        };
        context.insert("charts", &charts);
        context.insert("breakdowns", &breakdowns);
        context.insert("percentiles", &percentiles);
        if let (Area::Satisfaction, Some(figures)) = (area.area, &review.satisfaction) {
            super::satisfaction::insert(&mut context, figures);
        }
        files.insert(
            format!("areas/{}.html", area.slug),
            page(tera, "area.html", &context)?,
        );
    }
    files.insert("checks.csv".to_string(), checks_csv(review, bom));
    let mut context = base.clone();
    context.insert("page", "actions");
    context.insert("audit", audit);
    context.insert("lead_time", &audit.settings.action_lead_time.describe());
    files.insert(
        "actions.html".to_string(),
        page(tera, "actions.html", &context)?,
    );
    Ok(())
}

/// Attainment by month; `net` adds the rate net of excepted breaches to each cell.
fn monthly_chart(review: &Review, net: bool) -> Chart {
    let months = review
        .audit
        .tables
        .breakdowns
        .iter()
        .find(|b| b.dimension == "month");
    let rows = months.map(|b| b.rows.as_slice()).unwrap_or_default();
    let labels: Vec<String> = rows.iter().map(|row| row.label.clone()).collect();
    let basis_points = |met: usize, breached: usize| {
        let decided = met + breached;
        (decided > 0).then(|| (met * 10_000 / decided) as u32)
    };
    let series: Vec<Series> = METRICS
        .iter()
        .map(|metric| Series {
            name: format!("{} attainment", metric.name()),
            values: rows
                .iter()
                .map(|row| {
                    let a = if metric.name() == "response" {
                        &row.response
                    } else {
                        &row.resolution
                    };
                    basis_points(a.met, a.breached)
                })
                .collect(),
        })
        .collect();
    Chart {
        svg: charts::percent_lines(
            "monthly",
            "Attainment by month of opening",
            &labels,
            &series,
        ),
        caption: "Response and resolution attainment by month of opening".to_string(),
        headings: vec![
            "Month".into(),
            "Tickets".into(),
            "Response".into(),
            "Resolution".into(),
        ],
        rows: rows
            .iter()
            .map(|row| {
                let cell = |a: &crate::review::Attainment| match (&a.rate, net) {
                    (Some(rate), true) => {
                        format!("{rate} (net {})", a.net_rate.as_deref().unwrap_or("–"))
                    }
                    (Some(rate), false) => rate.clone(),
                    (None, _) => "–".to_string(),
                };
                vec![
                    row.label.clone(),
                    format_count(row.tickets as u64),
                    cell(&row.response),
                    cell(&row.resolution),
                ]
            })
            .collect(),
    }
}

fn backlog_chart(review: &Review) -> Chart {
    let labels: Vec<String> = review.backlog.iter().map(|b| b.label.to_string()).collect();
    let values: Vec<u64> = review.backlog.iter().map(|b| b.tickets as u64).collect();
    Chart {
        svg: charts::bars(
            "backlog",
            "Open tickets by age at the as-of instant",
            &labels,
            &values,
        ),
        caption: "Open tickets by age at the as-of instant".to_string(),
        headings: vec![
            "Age".into(),
            "Open tickets".into(),
            "Already breached".into(),
        ],
        rows: review
            .backlog
            .iter()
            .map(|b| {
                vec![
                    b.label.to_string(),
                    format_count(b.tickets as u64),
                    format_count(b.breached as u64),
                ]
            })
            .collect(),
    }
}

fn reassignment_chart(review: &Review) -> Chart {
    let histogram = &review.audit.tables.reassignments;
    let labels: Vec<String> = histogram.iter().map(|(label, _)| label.clone()).collect();
    let values: Vec<u64> = histogram.iter().map(|(_, count)| *count as u64).collect();
    Chart {
        svg: charts::bars(
            "reassignments",
            "Tickets by number of reassignments",
            &labels,
            &values,
        ),
        caption: "Tickets by number of reassignments".to_string(),
        headings: vec!["Reassignments".into(), "Tickets".into()],
        rows: histogram
            .iter()
            .map(|(label, count)| vec![label.clone(), format_count(*count as u64)])
            .collect(),
    }
}

/// Lists every check with its measured value, decision and previous value, for auditors and tests.
fn checks_csv(review: &Review, bom: bool) -> Vec<u8> {
    let rows = review.audit.areas.iter().flat_map(|area| {
        area.checks.iter().map(move |check| {
            let measure = review
                .audit
                .checks
                .iter()
                .find(|c| c.id == check.id)
                .map(|c| c.measure);
            let (part, whole) = match measure {
                Some(crate::review::checks::Measure::Share { part, whole }) => {
                    (part.to_string(), whole.to_string())
                }
                _ => (String::new(), String::new()),
            };
            vec![
                area.title.to_string(),
                check.id.clone(),
                check.title.clone(),
                check.value.clone(),
                part,
                whole,
                check.decision_label.to_string(),
                check.previous_value.clone().unwrap_or_default(),
                check.previous_decision.unwrap_or_default().to_string(),
                check.change.clone().unwrap_or_default(),
                check.failing.to_string(),
            ]
        })
    });
    csv_out::table(
        &[
            "area",
            "check",
            "title",
            "value",
            "part",
            "whole",
            "decision",
            "previous_value",
            "previous_decision",
            "change",
            "failing",
        ],
        rows,
        bom,
    )
}
