//! The survey figures on the satisfaction area page, and the CSV downloads behind them.

use serde::Serialize;
use tera::Context;

use super::{csv_out, SiteFiles};
use crate::review::satisfaction::{AnswerRow, GroupRow, Satisfaction};

/// Low scores listed on the area page, like the rows of an evidence page; the evidence CSV has
/// them all.
const SHOWN_LOW_SCORES: usize = 500;

/// One table of figures by a dimension, as the page lists them.
#[derive(Serialize)]
struct FigureTable<'a> {
    id: &'static str,
    title: &'static str,
    heading: &'static str,
    rows: &'a [GroupRow],
}

fn tables(satisfaction: &Satisfaction) -> [FigureTable<'_>; 5] {
    [
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
    ]
}

/// Adds what `satisfaction.html`, included by the area page, needs to the page's context.
pub fn insert(context: &mut Context, satisfaction: &Satisfaction) {
    let low: Vec<&AnswerRow> = satisfaction.low_scores().collect();
    context.insert("satisfaction", satisfaction);
    context.insert("satisfaction_tables", &tables(satisfaction));
    context.insert("low_scores", &low[..low.len().min(SHOWN_LOW_SCORES)]);
    context.insert("low_total", &low.len());
}

/// Writes every answer with its outcome, every figure, and the rejected survey rows.
pub fn csv_files(satisfaction: &Satisfaction, files: &SiteFiles) {
    let bom = true;
    files.insert(
        "survey-answers.csv".into(),
        answers_csv(&satisfaction.answers, bom),
    );
    files.insert("survey-figures.csv".into(), figures_csv(satisfaction, bom));
    files.insert(
        "survey-rejected.csv".into(),
        csv_out::rejected(&satisfaction.rejected, bom),
    );
}

fn answers_csv(rows: &[AnswerRow], bom: bool) -> Vec<u8> {
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
        rows.iter().map(|row| {
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

fn figures_csv(satisfaction: &Satisfaction, bom: bool) -> Vec<u8> {
    let mut groups: Vec<(&str, &GroupRow)> = vec![("all", &satisfaction.overall)];
    for table in tables(satisfaction) {
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
