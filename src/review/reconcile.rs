//! Reconciliation: the source system's own SLA verdicts beside ours.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::clock::{Metric, TicketClock};
use crate::normalize::{presets, Dataset, Ticket};

/// How far the source system's verdicts agree with ours.
#[derive(Debug, Default, Serialize)]
pub struct Reconciliation {
    /// What the source verdict is, from the preset.
    pub source: String,
    /// Tickets with a source verdict and a decided verdict of ours.
    pub compared: usize,
    pub agree: usize,
    pub rate: Option<String>,
    /// The source says met, we say breached.
    pub source_met_ours_breached: usize,
    /// The source says breached, we say met.
    pub source_breached_ours_met: usize,
    /// Tickets with a source verdict that we could not decide (still open, or no target).
    pub not_compared: usize,
    /// Every disagreement; the page shows a slice, so it is not serialized whole.
    #[serde(skip)]
    pub disagreements: Vec<Disagreement>,
    pub disagreements_count: usize,
    /// How many disagreements each likely cause explains; a ticket can have several.
    pub causes: Vec<(String, usize)>,
}

/// One ticket on which the source system and slaudit disagree.
#[derive(Debug, Clone, Serialize)]
pub struct Disagreement {
    pub ticket: String,
    pub source: &'static str,
    pub ours: &'static str,
    pub causes: Vec<&'static str>,
}

/// The cause given when nothing in the ticket explains a disagreement.
const UNEXPLAINED: &str = "target: the export does not carry the source system's SLA definitions";

/// Our verdict on the whole ticket: breached when either metric is, met when every targeted
/// metric is met, undecided otherwise.
fn our_verdict(clock: &TicketClock) -> Option<bool> {
    let metrics = [&clock.response, &clock.resolution];
    if metrics.iter().any(|m| m.verdict.is_breached()) {
        return Some(false);
    }
    let targeted: Vec<_> = metrics.iter().filter(|m| m.target.is_some()).collect();
    if !targeted.is_empty() && targeted.iter().all(|m| m.verdict.is_met()) {
        return Some(true);
    }
    None
}

fn likely_causes(
    ticket: &Ticket,
    clock: &TicketClock,
    repaired: &BTreeSet<&str>,
) -> Vec<&'static str> {
    let mut causes = Vec::new();
    if repaired.contains(&*ticket.id) {
        causes.push("missing timestamp: a value was filled in from the history");
    }
    if clock.reopen_cycles > 0 {
        causes.push("reopen cycle");
    }
    if clock.response.paused > 0 || clock.resolution.paused > 0 {
        causes.push("pause");
    }
    if ticket.initial_priority.is_some() && ticket.initial_priority != ticket.priority {
        causes.push("priority change");
    }
    let near = |metric: Metric| {
        let measured = clock.metric(metric);
        measured
            .target
            .is_some_and(|target| (measured.elapsed - target).abs() <= 60)
    };
    if near(Metric::Response) || near(Metric::Resolution) {
        causes.push("rounding: within a minute of the target");
    }
    let calendar_differs = |metric: Metric| {
        let measured = clock.metric(metric);
        measured.verdict.is_met() != measured.verdict_wall.is_met()
    };
    if calendar_differs(Metric::Response) || calendar_differs(Metric::Resolution) {
        causes.push("calendar: business hours and 24×7 disagree");
    }
    if causes.is_empty() {
        causes.push(UNEXPLAINED);
    }
    causes
}

pub fn reconcile(dataset: &Dataset, audited: &[(&Ticket, &TicketClock)]) -> Reconciliation {
    let source = presets::find(&dataset.preset)
        .map(|preset| preset.source_verdict.to_string())
        .unwrap_or_default();
    let repaired: BTreeSet<&str> = dataset
        .quality
        .repairs
        .iter()
        .map(|r| r.ticket.as_str())
        .collect();
    let mut result = Reconciliation {
        source,
        ..Reconciliation::default()
    };
    let mut cause_counts: std::collections::BTreeMap<&'static str, usize> = Default::default();
    for &(ticket, clock) in audited {
        let Some(source) = ticket.source.overall else {
            continue;
        };
        let Some(ours) = our_verdict(clock) else {
            result.not_compared += 1;
            continue;
        };
        result.compared += 1;
        if source == ours {
            result.agree += 1;
            continue;
        }
        if source {
            result.source_met_ours_breached += 1;
        } else {
            result.source_breached_ours_met += 1;
        }
        let causes = likely_causes(ticket, clock, &repaired);
        for cause in &causes {
            *cause_counts.entry(cause).or_default() += 1;
        }
        let label = |met: bool| if met { "met" } else { "breached" };
        result.disagreements.push(Disagreement {
            ticket: ticket.id.to_string(),
            source: label(source),
            ours: label(ours),
            causes,
        });
    }
    result.rate = super::figures::rate(result.agree, result.compared);
    result.disagreements_count = result.disagreements.len();
    let mut causes: Vec<(String, usize)> = cause_counts
        .into_iter()
        .map(|(c, n)| (c.to_string(), n))
        .collect();
    causes.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    result.causes = causes;
    result
}
