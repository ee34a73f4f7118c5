//! Satisfaction: CSAT decided against `[review] csat`, with the response rate, CSAT where the
//! SLA was met and where it was breached, and the low scores, for context.
//!
//! Like attainment, CSAT lists only the answers that count against it, the unsatisfied ones;
//! `survey-answers.csv` has every answer.
//!
//! A project without `[surveys]` has one check instead, on the evidence itself: no survey
//! answer means no evidence that satisfaction is measured, which requires remediation.

use super::{ticket_columns, Area, Check, Evidence, Facts, Measure};
use crate::review::decision::{Decision, Direction};
use crate::review::figures::{format_count, rate};
use crate::review::satisfaction::groups::{self, SLA_WORDS};
use crate::review::satisfaction::measures::Group;
use crate::review::satisfaction::{describe_rating, is_low, is_satisfied};
use crate::time::format_local;

const COLUMNS: [&str; 8] = [
    "ticket", "priority", "team", "category", "answered", "rating", "sla", "comment",
];

/// The id of the check that stands for the area when the project reads no survey answers.
pub const NO_SURVEYS: &str = "survey-evidence";

pub fn checks(facts: &Facts<'_>) -> Vec<Check> {
    let Some(answers) = facts.surveys else {
        return vec![no_surveys()];
    };
    let zone = facts.config.tickets.timezone.0;
    let mut unsatisfied = Evidence::new(&COLUMNS);
    let mut answered_resolved = Evidence::new(&COLUMNS);
    let mut by_sla = [Evidence::new(&COLUMNS), Evidence::new(&COLUMNS)];
    let mut low = Evidence::new(&COLUMNS);
    for &(ticket, clock) in facts.tickets {
        let Some((scale, answer)) = answers.rating_of(&ticket.id) else {
            continue;
        };
        let sla = groups::groups_of(ticket, clock, zone).sla;
        let mut row = ticket_columns(facts, ticket, clock);
        row.extend([
            format_local(zone, answer.submitted_at),
            describe_rating(scale, answer.rating),
            SLA_WORDS[sla].to_string(),
            answer.comment.clone(),
        ]);
        if clock.resolved.is_some() {
            answered_resolved.push(row.clone());
        }
        if let Some(evidence) = by_sla.get_mut(sla) {
            evidence.push(row.clone());
        }
        if is_low(scale, answer.rating) {
            low.push(row.clone());
        }
        if !is_satisfied(scale, answer.rating) {
            unsatisfied.push(row);
        }
    }

    let tally = groups::tally(facts.tickets, answers, zone);
    let overall = &tally.overall;
    let settings = facts.settings;
    let [met_evidence, breached_evidence] = by_sla;
    let mut checks = vec![
        Check::share(
            "csat".to_string(),
            Area::Satisfaction,
            "CSAT".to_string(),
            overall.tally.satisfied as u64,
            overall.tally.responses as u64,
            "counted survey answers are satisfied".to_string(),
            settings.csat,
            Direction::HigherIsBetter,
            settings.min_survey_answers,
            unsatisfied,
        ),
        share_information(
            "survey-response-rate",
            "Survey response rate",
            overall.answered as u64,
            overall.resolved as u64,
            "resolved tickets have a counted survey answer",
            answered_resolved,
        ),
    ];
    for (group, (id, title, detail), evidence) in [
        (
            &tally.sla[0],
            (
                "csat-sla-met",
                "CSAT where the SLA was met",
                "answers for tickets that met every target are satisfied",
            ),
            met_evidence,
        ),
        (
            &tally.sla[1],
            (
                "csat-sla-breached",
                "CSAT where the SLA was breached",
                "answers for tickets that breached a target are satisfied",
            ),
            breached_evidence,
        ),
    ] {
        checks.push(csat_information(group, id, title, detail, evidence));
    }
    checks.push(Check::information(
        "survey-low-scores".to_string(),
        Area::Satisfaction,
        "Low scores".to_string(),
        Measure::Count {
            count: overall.tally.low as u64,
        },
        format_count(overall.tally.low as u64),
        "counted answers of 1 or 2 on 1–5, bad on good/bad, or 0 to 6 on 0–10, with their comments"
            .to_string(),
        low,
    ));
    checks
}

/// Builds a share reported for context: `part` of `whole`, with `detail` completing the sentence.
/// Builds the check of a project without `[surveys]`. Satisfaction is not measured, or its
/// results were not given to the audit, and either way a manager has something to do.
fn no_surveys() -> Check {
    let mut check = Check::information(
        NO_SURVEYS.to_string(),
        Area::Satisfaction,
        "Survey evidence".to_string(),
        Measure::Count { count: 0 },
        "none".to_string(),
        "no survey answer was given to the audit ([surveys] in slaudit.toml), so nothing shows that satisfaction is measured".to_string(),
        Evidence::new(&["ticket"]),
    );
    check.decision = Decision::RequiresRemediation;
    check.remedy = Some(
        "Measure satisfaction: send a signed survey link with each closing e-mail (the slaudit survey links command), or add the help desk's own survey export to [surveys] in slaudit.toml.".to_string(),
    );
    check
}

fn share_information(
    id: &str,
    title: &str,
    part: u64,
    whole: u64,
    detail: &str,
    evidence: Evidence,
) -> Check {
    Check::information(
        id.to_string(),
        Area::Satisfaction,
        title.to_string(),
        Measure::Share { part, whole },
        rate(part as usize, whole as usize).unwrap_or_else(|| "–".to_string()),
        format!("{} of {} {detail}", format_count(part), format_count(whole)),
        evidence,
    )
}

fn csat_information(
    group: &Group,
    id: &str,
    title: &str,
    detail: &str,
    evidence: Evidence,
) -> Check {
    share_information(
        id,
        title,
        group.tally.satisfied as u64,
        group.tally.responses as u64,
        detail,
        evidence,
    )
}
