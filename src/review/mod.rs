//! Review: turning clocks into the figures an audit reports.
//!
//! Attainment is met ÷ decided, where decided counts tickets whose verdict can no longer
//! change: met, met by resolution, breached, and open tickets already past their target.
//! Open tickets still within their target are reported apart, never as met. Attainment net
//! of exceptions leaves out the breaches that an approved exception of the register excepts
//! (see [`Linking`]).

mod figures;
mod links;
mod reconcile;

use serde::Serialize;

pub use figures::{Attainment, BacklogBucket, BreachRow, PriorityRow, TeamRow};
pub use links::{local_date, ExceptionUse, LinkedFinding, Linking, Reference, RegisterReview};
pub use reconcile::{Disagreement, Reconciliation};

use crate::clock::{Metric, Policy, TicketClock};
use crate::config::{Config, Period};
use crate::normalize::{Dataset, Ticket};
use crate::register::Register;
use crate::time::Instant;

/// Everything the site reports, computed once per build.
#[derive(Debug, Serialize)]
pub struct Review {
    pub period: Option<String>,
    /// The first and last opening time among audited tickets.
    pub first_opened: Option<Instant>,
    pub last_opened: Option<Instant>,
    pub counts: Counts,
    pub priorities: Vec<PriorityRow>,
    pub overall: PriorityRow,
    pub teams: Vec<TeamRow>,
    /// Every breached metric; pages take it in slices, so it is not serialized whole.
    #[serde(skip)]
    pub breaches: Vec<BreachRow>,
    pub backlog: Vec<BacklogBucket>,
    pub reconciliation: Reconciliation,
    /// The calendar each priority's verdicts use, named for the summary.
    pub verdict_calendars: Vec<String>,
    /// The register linked to the tickets; `None` without a register.
    #[serde(skip)]
    pub register: Option<RegisterReview>,
}

/// How many tickets the audit covers, and why others are left out.
#[derive(Debug, Default, Serialize)]
pub struct Counts {
    pub loaded: usize,
    pub audited: usize,
    pub resolved: usize,
    pub open: usize,
    pub outside_period: usize,
    pub after_as_of: usize,
    pub without_priority: usize,
    pub without_target: usize,
}

/// Whether a ticket belongs to the audited period.
fn in_period(period: Option<&Period>, ticket: &Ticket, zone: chrono_tz::Tz) -> bool {
    let Some(period) = period else { return true };
    let date = chrono::DateTime::from_timestamp(ticket.opened, 0)
        .unwrap_or_default()
        .with_timezone(&zone)
        .date_naive();
    period.from <= date && date <= period.to
}

/// Computes every figure of the site, with the register's exceptions applied when there is
/// a register.
pub fn review(
    config: &Config,
    dataset: &Dataset,
    policy: &Policy,
    clocks: &[TicketClock],
    register: Option<&Register>,
) -> Review {
    let zone = config.tickets.timezone.0;
    let period = config.project.period.as_ref();
    let mut counts = Counts {
        loaded: dataset.tickets.len(),
        ..Counts::default()
    };
    let mut audited: Vec<(&Ticket, &TicketClock)> = Vec::new();
    for (ticket, clock) in dataset.tickets.iter().zip(clocks) {
        if clock.after_as_of {
            counts.after_as_of += 1;
        } else if !in_period(period, ticket, zone) {
            counts.outside_period += 1;
        } else {
            audited.push((ticket, clock));
        }
    }
    counts.audited = audited.len();
    for (_, clock) in &audited {
        if clock.resolved.is_some() {
            counts.resolved += 1;
        } else {
            counts.open += 1;
        }
        if clock.priority.is_none() {
            counts.without_priority += 1;
        } else if clock.response.target.is_none() && clock.resolution.target.is_none() {
            counts.without_target += 1;
        }
    }
    let mut verdict_calendars: Vec<String> = policy
        .rules
        .iter()
        .map(|rule| policy.calendars[rule.calendar].0.clone())
        .collect();
    verdict_calendars.sort();
    verdict_calendars.dedup();
    let linking = Linking::new(register, dataset, &audited, policy.as_of, zone);

    Review {
        period: period.map(ToString::to_string),
        first_opened: audited.iter().map(|(t, _)| t.opened).min(),
        last_opened: audited.iter().map(|(t, _)| t.opened).max(),
        priorities: figures::priority_rows(dataset, policy, &audited, &linking),
        overall: figures::overall_row(&audited, &linking),
        teams: figures::team_rows(dataset, &audited, &linking),
        breaches: figures::breach_rows(dataset, policy, &audited, &linking),
        backlog: figures::backlog(&audited, policy.as_of),
        reconciliation: reconcile::reconcile(dataset, &audited),
        counts,
        verdict_calendars,
        register: linking.register,
    }
}

/// The metrics in page order.
pub const METRICS: [Metric; 2] = Metric::ALL;
