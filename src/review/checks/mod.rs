//! Checks per control area: each measures one thing, decides it against its thresholds, and
//! keeps the tickets behind it as evidence.
//!
//! A check's id is stable across builds and periods (`resolution-attainment-p1`), so that a
//! register action can name it as the finding it answers, and the previous period's value of
//! the same check can be put beside the current one.

mod escalation;
mod metrics;
mod priority;
mod satisfaction;
mod security;

pub use satisfaction::NO_SURVEYS;
pub use security::slug;

use serde::Serialize;

use crate::clock::{Metric, Policy, TicketClock};
use crate::config::{Config, ReviewSettings, Thresholds};
use crate::normalize::{Dataset, Ticket};
use crate::review::decision::{decide, Decision, Direction};
use crate::review::figures::format_count;
use crate::review::links::Linking;
use crate::review::satisfaction::SurveyAnswers;
use crate::time::Instant;

pub use metrics::{Breakdown, BreakdownRow, Percentiles};

/// The control areas of an audit, in the order the site shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Area {
    TicketPriority,
    Escalation,
    Metrics,
    SecurityVerification,
    Satisfaction,
}

impl Area {
    pub const ALL: [Area; 5] = [
        Area::TicketPriority,
        Area::Escalation,
        Area::Metrics,
        Area::SecurityVerification,
        Area::Satisfaction,
    ];

    /// The area's name as the register's owners table writes it.
    pub fn name(self) -> &'static str {
        match self {
            Area::TicketPriority => "ticket priority",
            Area::Escalation => "escalation",
            Area::Metrics => "metrics",
            Area::SecurityVerification => "security verification",
            Area::Satisfaction => "satisfaction",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Area::TicketPriority => "Ticket priority",
            Area::Escalation => "Escalation",
            Area::Metrics => "Metrics",
            Area::SecurityVerification => "Security verification",
            Area::Satisfaction => "Satisfaction",
        }
    }

    /// The page of the area, relative to the site root.
    pub fn slug(self) -> &'static str {
        match self {
            Area::TicketPriority => "ticket-priority",
            Area::Escalation => "escalation",
            Area::Metrics => "metrics",
            Area::SecurityVerification => "security-verification",
            Area::Satisfaction => "satisfaction",
        }
    }
}

/// The tickets behind a check: one row per ticket, the ticket id first.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Evidence {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Evidence {
    pub fn new(columns: &[&str]) -> Evidence {
        Evidence {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }
}

/// What a check measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Measure {
    /// `part` of `whole` tickets.
    Share { part: u64, whole: u64 },
    /// A number of tickets.
    Count { count: u64 },
    /// A duration in seconds.
    Duration { seconds: i64 },
}

impl Measure {
    /// The share in basis points, for comparing periods.
    pub fn basis_points(self) -> Option<i64> {
        match self {
            Measure::Share { part, whole } if whole > 0 => {
                Some((i128::from(part) * 10_000 / i128::from(whole)) as i64)
            }
            _ => None,
        }
    }
}

/// One check of one control area.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub id: String,
    pub area: Area,
    pub title: String,
    pub measure: Measure,
    /// The measured value as shown, such as `92.3%` or `3h 05m`.
    pub value: String,
    /// One sentence saying what was counted.
    pub detail: String,
    pub direction: Option<Direction>,
    pub thresholds: Option<Thresholds>,
    pub decision: Decision,
    #[serde(skip)]
    pub evidence: Evidence,
    pub evidence_count: usize,
    /// Tickets that count against the check: breached, reopened, non-compliant…
    pub failing: u64,
    /// The action a failing check proposes, for a check whose failing tickets do not show
    /// what to do.
    pub remedy: Option<String>,
}

impl Check {
    /// A check on a share, decided against thresholds. `detail` completes the sentence
    /// "PART of WHOLE …".
    #[allow(clippy::too_many_arguments)]
    pub fn share(
        id: String,
        area: Area,
        title: String,
        part: u64,
        whole: u64,
        detail: String,
        thresholds: Thresholds,
        direction: Direction,
        min_tickets: u32,
        evidence: Evidence,
    ) -> Check {
        let decision = decide(part, whole, thresholds, direction, u64::from(min_tickets));
        Check {
            id,
            area,
            title,
            measure: Measure::Share { part, whole },
            value: super::figures::rate(part as usize, whole as usize)
                .unwrap_or_else(|| "–".to_string()),
            detail: format!("{} of {} {detail}", format_count(part), format_count(whole)),
            direction: Some(direction),
            thresholds: Some(thresholds),
            decision,
            evidence_count: evidence.rows.len(),
            evidence,
            failing: match direction {
                Direction::HigherIsBetter => whole - part,
                Direction::LowerIsBetter => part,
            },
            remedy: None,
        }
    }

    /// A figure reported for context.
    pub fn information(
        id: String,
        area: Area,
        title: String,
        measure: Measure,
        value: String,
        detail: String,
        evidence: Evidence,
    ) -> Check {
        Check {
            id,
            area,
            title,
            measure,
            value,
            detail,
            direction: None,
            thresholds: None,
            decision: Decision::Informational,
            evidence_count: evidence.rows.len(),
            evidence,
            failing: 0,
            remedy: None,
        }
    }
}

/// What every check reads: the audited tickets of one period and how to measure them.
pub struct Facts<'a> {
    pub config: &'a Config,
    pub dataset: &'a Dataset,
    pub policy: &'a Policy,
    pub settings: &'a ReviewSettings,
    pub tickets: &'a [(&'a Ticket, &'a TicketClock)],
    pub as_of: Instant,
    /// The breaches the register's exceptions except, for attainment net of exceptions.
    pub exceptions: &'a Linking<'a>,
    /// The build's survey answers; `None` when the project has no `[surveys]`.
    pub surveys: Option<&'a SurveyAnswers<'a>>,
}

/// Everything an area page shows besides its checks.
#[derive(Debug, Default, Serialize)]
pub struct AreaTables {
    pub breakdowns: Vec<Breakdown>,
    pub percentiles: Vec<Percentiles>,
    /// Tickets by number of reassignments: `0`, `1`, … and the last bucket `N or more`.
    pub reassignments: Vec<(String, usize)>,
}

/// Runs every check of every area on one period's tickets.
pub fn run(facts: &Facts<'_>) -> (Vec<Check>, AreaTables) {
    let mut checks = Vec::new();
    checks.extend(priority::checks(facts));
    let (escalation, reassignments) = escalation::checks(facts);
    checks.extend(escalation);
    let (metric_checks, breakdowns, percentiles) = metrics::checks(facts);
    checks.extend(metric_checks);
    checks.extend(security::checks(facts));
    checks.extend(satisfaction::checks(facts));
    (
        checks,
        AreaTables {
            breakdowns,
            percentiles,
            reassignments,
        },
    )
}

/// Adds what the register's exceptions change to an attainment check: an `exception` column
/// in its evidence, and the net rate in its detail. The check is still decided on gross
/// attainment. Without a register nothing changes.
fn note_exceptions(facts: &Facts<'_>, check: &mut Check, met: u64, excepted: u64) {
    if !facts.exceptions.is_linked() {
        return;
    }
    let Measure::Share { whole, .. } = check.measure else {
        return;
    };
    let net = super::figures::rate(met as usize, (whole - excepted) as usize)
        .unwrap_or_else(|| "–".to_string());
    let breaches = if excepted == 1 { "breach" } else { "breaches" };
    check.detail.push_str(&format!(
        "; {} {breaches} excepted by the register, so net attainment is {net}",
        format_count(excepted)
    ));
}

/// Returns the id of the exception that excepts a breach, for an evidence row's `exception`
/// column; `None` without a register.
fn exception_cell(facts: &Facts<'_>, ticket: &Ticket, metric: Metric) -> Option<String> {
    facts.exceptions.is_linked().then(|| {
        facts
            .exceptions
            .exception_of(&ticket.id, metric)
            .unwrap_or_default()
            .to_string()
    })
}

/// Adds the `exception` column to an attainment evidence list when the project has a
/// register.
fn exception_column(facts: &Facts<'_>, evidence: &mut Evidence) {
    if facts.exceptions.is_linked() {
        evidence.columns.push("exception".to_string());
    }
}

/// The ticket id and the columns most evidence lists start with.
fn ticket_columns(facts: &Facts<'_>, ticket: &Ticket, clock: &TicketClock) -> Vec<String> {
    vec![
        ticket.id.to_string(),
        clock.priority.map(|p| p.to_string()).unwrap_or_default(),
        facts.dataset.text(ticket.team).to_string(),
        facts.dataset.text(ticket.category).to_string(),
    ]
}

/// Returns the first evidence columns of a ticket judged on one metric. They are those of
/// `ticket_columns`, except the priority: the one whose target judged that metric.
fn metric_columns(
    facts: &Facts<'_>,
    ticket: &Ticket,
    clock: &TicketClock,
    metric: Metric,
) -> Vec<String> {
    let mut row = ticket_columns(facts, ticket, clock);
    if let Some(priority) = clock.metric(metric).priority {
        row[1] = priority.to_string();
    }
    row
}

/// The metric's name in a title: "response" or "resolution".
fn metric_title(metric: Metric) -> &'static str {
    match metric {
        Metric::Response => "response",
        Metric::Resolution => "resolution",
    }
}
