//! Reconciliation: the source system's own SLA verdicts and figures beside ours.
//!
//! Each kind of source value is compared on its own. The kinds are the overall flag
//! (ServiceNow's `made_sla`), the response and resolution verdicts (Freshdesk's statuses,
//! Jira's SLA columns, Zammad's and OTRS's minutes left), and the elapsed-time figures in
//! calendar time and in business hours (Zendesk's, Freshdesk's, Zammad's, OTRS's). A figure agrees when it
//! is within a minute of ours, because the sources round to whole minutes. Each disagreement
//! is listed with the causes the ticket's history makes likely.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::clock::{Metric, MetricClock, TicketClock};
use crate::normalize::{presets, Dataset, RepairKind, Ticket};
use crate::time::format_duration;

/// Source figures agree with ours when they differ by at most this many seconds.
const FIGURE_TOLERANCE: i64 = 60;

/// How far the source system's verdicts agree with ours.
#[derive(Debug, Default, Serialize)]
pub struct Reconciliation {
    /// What the source verdict is, from the preset.
    pub source: String,
    /// Tickets with at least one source value compared with a decided value of ours.
    pub compared: usize,
    /// Tickets on which every compared value agrees.
    pub agree: usize,
    pub rate: Option<String>,
    /// One row per kind of source value the export carries.
    pub rows: Vec<ComparisonRow>,
    /// Every disagreement; the page shows a slice, so it is not serialized whole.
    #[serde(skip)]
    pub disagreements: Vec<Disagreement>,
    pub disagreements_count: usize,
    /// How many disagreements each likely cause explains; a disagreement can have several.
    pub causes: Vec<(String, usize)>,
}

/// Agreement on one kind of source value.
#[derive(Debug, Default, Clone, Serialize)]
pub struct ComparisonRow {
    /// The kind of value compared, such as "resolution verdict" or "response time, business hours".
    pub what: String,
    pub compared: usize,
    pub agree: usize,
    pub rate: Option<String>,
    /// Verdicts only: the source gives met, slaudit breached.
    pub source_met_ours_breached: usize,
    /// Verdicts only: the source gives breached, slaudit met.
    pub source_breached_ours_met: usize,
    /// Figures only: the source's figure is higher or lower than ours by more than a minute.
    pub source_higher: usize,
    pub source_lower: usize,
    /// Source values we could not compare: still open within target, no target, or no
    /// value of ours.
    pub not_compared: usize,
}

/// One value on which the source system and slaudit disagree.
#[derive(Debug, Clone, Serialize)]
pub struct Disagreement {
    pub ticket: String,
    /// The kind of value compared, as in `ComparisonRow::what`.
    pub what: &'static str,
    pub source: String,
    pub ours: String,
    pub causes: Vec<&'static str>,
}

/// The cause given when nothing in the ticket explains a verdict disagreement.
const UNEXPLAINED: &str = "target: the export does not carry the source system's SLA definitions";
const UNEXPLAINED_FIGURE: &str = "unexplained: no pause, reopen or calendar difference found";

/// The kinds of source value, in page order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Overall,
    ResponseVerdict,
    ResolutionVerdict,
    ResponseElapsed,
    ResponseBusiness,
    ResolutionElapsed,
    ResolutionBusiness,
}

impl Kind {
    const ALL: [Kind; 7] = [
        Kind::Overall,
        Kind::ResponseVerdict,
        Kind::ResolutionVerdict,
        Kind::ResponseElapsed,
        Kind::ResponseBusiness,
        Kind::ResolutionElapsed,
        Kind::ResolutionBusiness,
    ];

    fn what(self) -> &'static str {
        match self {
            Kind::Overall => "overall verdict",
            Kind::ResponseVerdict => "response verdict",
            Kind::ResolutionVerdict => "resolution verdict",
            Kind::ResponseElapsed => "response time, calendar",
            Kind::ResponseBusiness => "response time, business hours",
            Kind::ResolutionElapsed => "resolution time, calendar",
            Kind::ResolutionBusiness => "resolution time, business hours",
        }
    }

    fn metric(self) -> Option<Metric> {
        match self {
            Kind::Overall => None,
            Kind::ResponseVerdict | Kind::ResponseElapsed | Kind::ResponseBusiness => {
                Some(Metric::Response)
            }
            _ => Some(Metric::Resolution),
        }
    }
}

/// The outcome of comparing one source value with ours.
enum Outcome {
    NotCompared,
    Agree,
    Disagree {
        source: String,
        ours: String,
        /// For verdicts, whether the source gives met. For figures, whether it is higher.
        source_side: bool,
    },
}

/// Our verdict on the whole ticket: breached when either metric is, met when every targeted
/// metric is met, undecided otherwise.
pub(super) fn overall_verdict(clock: &TicketClock) -> Option<bool> {
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

fn metric_verdict(metric: &MetricClock) -> Option<bool> {
    if metric.verdict.is_met() {
        Some(true)
    } else if metric.verdict.is_breached() {
        Some(false)
    } else {
        None
    }
}

fn label(met: bool) -> String {
    if met { "met" } else { "breached" }.to_string()
}

fn compare_verdicts(source: Option<bool>, ours: Option<bool>) -> Option<Outcome> {
    let source = source?;
    Some(match ours {
        None => Outcome::NotCompared,
        Some(ours) if ours == source => Outcome::Agree,
        Some(ours) => Outcome::Disagree {
            source: label(source),
            ours: label(ours),
            source_side: source,
        },
    })
}

fn compare_figures(source: Option<i64>, ours: Option<i64>) -> Option<Outcome> {
    let source = source?;
    Some(match ours {
        None => Outcome::NotCompared,
        Some(ours) if (source - ours).abs() <= FIGURE_TOLERANCE => Outcome::Agree,
        Some(ours) => Outcome::Disagree {
            source: format_duration(source),
            ours: format_duration(ours),
            source_side: source > ours,
        },
    })
}

/// Compares one kind of source value of a ticket with ours; `None` when the source has none.
fn compare(kind: Kind, ticket: &Ticket, clock: &TicketClock) -> Option<Outcome> {
    let source = &ticket.source;
    // Calendar figures count every second from opening to the stop, as the sources do.
    let span = |stop: Option<i64>| stop.map(|stop| stop - ticket.opened);
    // A clock that stopped has a figure of ours; an open or untargeted one does not.
    let business = |metric: &MetricClock| metric.stop.map(|_| metric.elapsed);
    match kind {
        Kind::Overall => compare_verdicts(source.overall, overall_verdict(clock)),
        Kind::ResponseVerdict => compare_verdicts(source.response, metric_verdict(&clock.response)),
        Kind::ResolutionVerdict => {
            compare_verdicts(source.resolution, metric_verdict(&clock.resolution))
        }
        Kind::ResponseElapsed => {
            compare_figures(source.response_elapsed, span(ticket.first_response))
        }
        Kind::ResponseBusiness => {
            compare_figures(source.response_business, business(&clock.response))
        }
        Kind::ResolutionElapsed => compare_figures(source.resolution_elapsed, span(clock.resolved)),
        Kind::ResolutionBusiness => {
            compare_figures(source.resolution_business, business(&clock.resolution))
        }
    }
}

/// Lists the causes the ticket's history makes likely for a disagreement on one kind of value.
fn likely_causes(
    kind: Kind,
    ticket: &Ticket,
    clock: &TicketClock,
    filled: &BTreeSet<&str>,
) -> Vec<&'static str> {
    let metrics: Vec<Metric> = match kind.metric() {
        Some(metric) => vec![metric],
        None => Metric::ALL.to_vec(),
    };
    let is_figure = matches!(
        kind,
        Kind::ResponseElapsed
            | Kind::ResponseBusiness
            | Kind::ResolutionElapsed
            | Kind::ResolutionBusiness
    );
    let mut causes = Vec::new();
    let resolution_involved = metrics.contains(&Metric::Resolution);
    if resolution_involved && filled.contains(&*ticket.id) {
        causes.push("missing timestamp: a value was filled in from the history");
    }
    if metrics.contains(&Metric::Response)
        && clock.response.target.is_some()
        && ticket.first_response.is_none()
    {
        causes.push("missing timestamp: the export records no first response");
    }
    if resolution_involved && clock.reopen_cycles > 0 {
        causes.push("reopen cycle");
    }
    if metrics.iter().any(|&m| clock.metric(m).paused > 0) {
        causes.push("pause");
    }
    if !is_figure && ticket.initial_priority.is_some() && ticket.initial_priority != ticket.priority
    {
        causes.push("priority change");
    }
    let near = |metric: Metric| {
        let measured = clock.metric(metric);
        measured
            .target
            .is_some_and(|target| (measured.elapsed - target).abs() <= FIGURE_TOLERANCE)
    };
    if !is_figure && metrics.iter().any(|&m| near(m)) {
        causes.push("rounding: within a minute of the target");
    }
    let calendar_differs = |metric: Metric| {
        let measured = clock.metric(metric);
        measured.verdict.is_met() != measured.verdict_wall.is_met()
            || (matches!(kind, Kind::ResponseBusiness | Kind::ResolutionBusiness)
                && measured.elapsed != measured.elapsed_wall)
    };
    let business_figure_from_24x7 =
        matches!(kind, Kind::ResponseBusiness | Kind::ResolutionBusiness)
            && metrics
                .iter()
                .all(|&m| clock.metric(m).elapsed == clock.metric(m).elapsed_wall);
    if metrics.iter().any(|&m| calendar_differs(m)) || business_figure_from_24x7 {
        causes.push("calendar: business hours differ");
    }
    if causes.is_empty() {
        causes.push(if is_figure {
            UNEXPLAINED_FIGURE
        } else {
            UNEXPLAINED
        });
    }
    causes
}

pub fn reconcile(dataset: &Dataset, audited: &[(&Ticket, &TicketClock)]) -> Reconciliation {
    let source = presets::find(&dataset.preset)
        .map(|preset| preset.source_verdict.to_string())
        .unwrap_or_default();
    let filled: BTreeSet<&str> = dataset
        .quality
        .repairs
        .iter()
        .filter(|r| {
            matches!(
                r.kind,
                RepairKind::ResolvedFromHistory
                    | RepairKind::ClosedWithoutResolution
                    | RepairKind::ResolvedMissing
            )
        })
        .map(|r| r.ticket.as_str())
        .collect();
    let mut result = Reconciliation {
        source,
        ..Reconciliation::default()
    };
    let mut rows: BTreeMap<Kind, ComparisonRow> = BTreeMap::new();
    let mut cause_counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for &(ticket, clock) in audited {
        let mut compared = false;
        let mut all_agree = true;
        for kind in Kind::ALL {
            let Some(outcome) = compare(kind, ticket, clock) else {
                continue;
            };
            let row = rows.entry(kind).or_insert_with(|| ComparisonRow {
                what: kind.what().to_string(),
                ..ComparisonRow::default()
            });
            match outcome {
                Outcome::NotCompared => row.not_compared += 1,
                Outcome::Agree => {
                    row.compared += 1;
                    row.agree += 1;
                    compared = true;
                }
                Outcome::Disagree {
                    source,
                    ours,
                    source_side,
                } => {
                    row.compared += 1;
                    compared = true;
                    all_agree = false;
                    let is_verdict = matches!(
                        kind,
                        Kind::Overall | Kind::ResponseVerdict | Kind::ResolutionVerdict
                    );
                    match (is_verdict, source_side) {
                        (true, true) => row.source_met_ours_breached += 1,
                        (true, false) => row.source_breached_ours_met += 1,
                        (false, true) => row.source_higher += 1,
                        (false, false) => row.source_lower += 1,
                    }
                    let causes = likely_causes(kind, ticket, clock, &filled);
                    for cause in &causes {
                        *cause_counts.entry(cause).or_default() += 1;
                    }
                    result.disagreements.push(Disagreement {
                        ticket: ticket.id.to_string(),
                        what: kind.what(),
                        source,
                        ours,
                        causes,
                    });
                }
            }
        }
        if compared {
            result.compared += 1;
            if all_agree {
                result.agree += 1;
            }
        }
    }
    result.rate = super::figures::rate(result.agree, result.compared);
    result.rows = rows
        .into_values()
        .map(|mut row| {
            row.rate = super::figures::rate(row.agree, row.compared);
            row
        })
        .collect();
    result.disagreements_count = result.disagreements.len();
    let mut causes: Vec<(String, usize)> = cause_counts
        .into_iter()
        .map(|(c, n)| (c.to_string(), n))
        .collect();
    causes.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    result.causes = causes;
    result
}
