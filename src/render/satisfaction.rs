//! The satisfaction page and the CSV downloads behind it.

use serde::Serialize;
use tera::{Context, Tera};

use super::{csv_out, page, SiteFiles, SHOWN_ROWS};
use crate::review::satisfaction::{AnswerRow, GroupRow, Satisfaction};

/// One table of figures by a dimension, as the page lists them.
#[derive(Serialize)]
struct FigureTable<'a> {
    id: &'static str,
    title: &'static str,
    heading: &'static str,
    rows: &'a [GroupRow],
}

/// Renders `satisfaction.html` and, when the project has surveys, its CSV files.
pub fn render(
    tera: &Tera,
    base: &Context,
    satisfaction: &Satisfaction,
    files: &mut SiteFiles,
) -> anyhow::Result<()> {
    let low: Vec<&AnswerRow> = satisfaction.low_scores().collect();
    let tables = [
        FigureTable {
            id: "by-sla",
            title: "SLA met against breached",
            heading: "SLA",
            rows: &satisfaction.sla,
        },
        FigureTable {
            id: "by-team",
            title: "By team",
            heading: "Team",
            rows: &satisfaction.teams,
        },
        FigureTable {
            id: "by-priority",
            title: "By priority",
            heading: "Priority",
            rows: &satisfaction.priorities,
        },
        FigureTable {
            id: "by-category",
            title: "By category",
            heading: "Category",
            rows: &satisfaction.categories,
        },
        FigureTable {
            id: "by-month",
            title: "By month of resolution",
            heading: "Month",
            rows: &satisfaction.months,
        },
    ];

    let mut context = base.clone();
    context.insert("page", "satisfaction");
    context.insert("s", satisfaction);
    context.insert("tables", &tables);
    context.insert("low_scores", &low[..low.len().min(SHOWN_ROWS)]);
    context.insert("low_total", &low.len());
    files.insert(
        "satisfaction.html".into(),
        page(tera, "satisfaction.html", &context)?,
    );
    if !satisfaction.configured {
        return Ok(());
    }

    let bom = true;
    files.insert(
        "survey-answers.csv".into(),
        answers_csv(satisfaction.answers.iter(), bom),
    );
    files.insert(
        "survey-low-scores.csv".into(),
        answers_csv(low.iter().copied(), bom),
    );
    files.insert(
        "survey-figures.csv".into(),
        figures_csv(satisfaction, &tables, bom),
    );
    files.insert(
        "survey-rejected.csv".into(),
        csv_out::rejected(&satisfaction.rejected, bom),
    );
    Ok(())
}

fn answers_csv<'a>(rows: impl Iterator<Item = &'a AnswerRow>, bom: bool) -> Vec<u8> {
    csv_out::table(
        &[
            "ticket",
            "submitted_at",
            "scale",
            "rating",
            "comment",
            "outcome",
            "low_score",
            "team",
            "priority",
            "category",
            "sla",
            "source_file",
            "source_line",
        ],
        rows.map(|row| {
            vec![
                row.ticket.clone(),
                row.submitted_utc.clone(),
                row.scale.to_string(),
                row.rating_value.clone(),
                row.comment.clone(),
                row.outcome_text.to_string(),
                if row.low { "yes" } else { "no" }.to_string(),
                row.team.clone(),
                row.priority.clone(),
                row.category.clone(),
                row.sla.to_string(),
                row.source.clone(),
                row.line.to_string(),
            ]
        }),
        bom,
    )
}

fn figures_csv(satisfaction: &Satisfaction, tables: &[FigureTable<'_>], bom: bool) -> Vec<u8> {
    let mut groups: Vec<(&str, &GroupRow)> = vec![("all", &satisfaction.overall)];
    for table in tables {
        groups.extend(table.rows.iter().map(|row| (table.heading, row)));
    }
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    csv_out::table(
        &[
            "dimension",
            "group",
            "resolved",
            "resolved_answered",
            "response_rate",
            "responses",
            "satisfied",
            "csat",
            "csat_95_low",
            "csat_95_high",
            "mean_1_5",
            "nps",
            "nps_answers",
            "promoters",
            "detractors",
            "low_scores",
        ],
        groups.into_iter().map(|(dimension, row)| {
            vec![
                dimension.to_lowercase(),
                row.label.clone(),
                row.resolved.to_string(),
                row.answered.to_string(),
                text(&row.response_rate),
                row.responses.to_string(),
                row.satisfied.to_string(),
                text(&row.csat),
                text(&row.csat_low),
                text(&row.csat_high),
                text(&row.mean),
                text(&row.nps),
                row.nps_answers.to_string(),
                row.promoters.to_string(),
                row.detractors.to_string(),
                row.low.to_string(),
            ]
        }),
        bom,
    )
}
