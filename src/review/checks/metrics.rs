//! Metrics: overall attainment, near misses, time over target, backlog at risk, data
//! completeness, and attainment and volume by month, team, category and channel.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{
    exception_cell, exception_column, metric_columns, metric_title, note_exceptions,
    ticket_columns, Area, Check, Evidence, Facts, Measure,
};
use crate::clock::{Metric, TicketClock, Verdict};
use crate::normalize::{Sym, Ticket};
use crate::review::decision::Direction;
use crate::review::figures::{rate, Attainment};
use crate::review::format_count;
use crate::time::format_duration;

/// Attainment and volume grouped by one dimension.
#[derive(Debug, Clone, Serialize)]
pub struct Breakdown {
    pub dimension: &'static str,
    pub rows: Vec<BreakdownRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BreakdownRow {
    pub label: String,
    pub tickets: usize,
    pub response: Attainment,
    pub resolution: Attainment,
}

/// Nearest-rank percentiles of elapsed business time for tickets whose clock stopped.
#[derive(Debug, Clone, Serialize)]
pub struct Percentiles {
    pub metric: &'static str,
    pub tickets: usize,
    pub p50: Option<String>,
    pub p90: Option<String>,
    pub p95: Option<String>,
}

pub fn checks(facts: &Facts<'_>) -> (Vec<Check>, Vec<Breakdown>, Vec<Percentiles>) {
    let mut checks = Vec::new();
    for metric in Metric::ALL {
        if let Some(check) = overall(facts, metric) {
            checks.push(check);
        }
    }
    checks.push(near_misses(facts));
    checks.push(over_target(facts));
    checks.push(at_risk(facts));
    checks.push(completeness(facts));
    let percentiles = Metric::ALL
        .iter()
        .map(|&metric| percentiles(facts, metric))
        .collect();
    (checks, breakdowns(facts), percentiles)
}

fn overall(facts: &Facts<'_>, metric: Metric) -> Option<Check> {
    let mut evidence = Evidence::new(&[
        "ticket", "priority", "team", "category", "verdict", "elapsed", "over by",
    ]);
    exception_column(facts, &mut evidence);
    let (mut met, mut decided, mut excepted) = (0u64, 0u64, 0u64);
    for &(ticket, clock) in facts.tickets {
        let measured = clock.metric(metric);
        if !(measured.verdict.is_met() || measured.verdict.is_breached()) {
            continue;
        }
        decided += 1;
        if measured.verdict.is_met() {
            met += 1;
            continue;
        }
        let mut row = metric_columns(facts, ticket, clock, metric);
        row.extend([
            measured.verdict.label().to_string(),
            format_duration(measured.elapsed),
            format_duration(measured.elapsed - measured.target.unwrap_or(0)),
        ]);
        if let Some(exception) = exception_cell(facts, ticket, metric) {
            excepted += u64::from(!exception.is_empty());
            row.push(exception);
        }
        evidence.push(row);
    }
    if decided == 0
        && facts
            .tickets
            .iter()
            .all(|(_, c)| c.metric(metric).verdict == Verdict::NotRecorded)
    {
        return None;
    }
    let name = metric_title(metric);
    let mut check = Check::share(
        format!("{name}-attainment"),
        Area::Metrics,
        format!("Overall {name} attainment"),
        met,
        decided,
        format!("decided tickets met their {name} target"),
        facts.settings.attainment,
        Direction::HigherIsBetter,
        facts.settings.min_tickets,
        evidence,
    );
    note_exceptions(facts, &mut check, met, excepted);
    Some(check)
}

/// Met tickets that finished within the last margin of their target.
fn near_misses(facts: &Facts<'_>) -> Check {
    let margin = facts.settings.near_miss_margin;
    let mut evidence = Evidence::new(&[
        "ticket", "priority", "team", "category", "metric", "elapsed", "target",
    ]);
    let mut met = 0u64;
    for &(ticket, clock) in facts.tickets {
        for metric in Metric::ALL {
            let measured = clock.metric(metric);
            if measured.verdict != Verdict::Met {
                continue;
            }
            met += 1;
            let target = measured.target.unwrap_or(0);
            // Within the last `margin` of the target: elapsed ≥ (1 − margin) × target.
            let threshold = u128::from(10_000 - margin.basis_points()) * target.max(0) as u128;
            if target > 0 && u128::from(measured.elapsed.max(0) as u64) * 10_000 >= threshold {
                let mut row = metric_columns(facts, ticket, clock, metric);
                row.extend([
                    metric.name().to_string(),
                    format_duration(measured.elapsed),
                    format_duration(target),
                ]);
                evidence.push(row);
            }
        }
    }
    let near = evidence.rows.len() as u64;
    Check::share(
        "near-misses".to_string(),
        Area::Metrics,
        "Near misses".to_string(),
        near,
        met,
        format!("met targets were met within the last {margin} of the target"),
        facts.settings.near_misses,
        Direction::LowerIsBetter,
        facts.settings.min_tickets,
        evidence,
    )
}

/// How far breaches went over their target.
fn over_target(facts: &Facts<'_>) -> Check {
    let mut evidence = Evidence::new(&[
        "ticket", "priority", "team", "category", "metric", "over by",
    ]);
    let mut overs = Vec::new();
    for &(ticket, clock) in facts.tickets {
        for metric in Metric::ALL {
            if let Some(over) = clock.metric(metric).over_target() {
                overs.push(over);
                let mut row = metric_columns(facts, ticket, clock, metric);
                row.extend([metric.name().to_string(), format_duration(over)]);
                evidence.push(row);
            }
        }
    }
    overs.sort_unstable();
    let median = nearest_rank(&overs, 50);
    Check::information(
        "time-over-target".to_string(),
        Area::Metrics,
        "Time over target for breaches (median)".to_string(),
        Measure::Duration {
            seconds: median.unwrap_or(0),
        },
        median.map_or_else(|| "–".to_string(), format_duration),
        format!(
            "{} breached targets; 90% were over by at most {}",
            format_count(overs.len() as u64),
            nearest_rank(&overs, 90).map_or_else(|| "–".to_string(), format_duration)
        ),
        evidence,
    )
}

/// Open tickets already breached or at risk at the as-of instant.
fn at_risk(facts: &Facts<'_>) -> Check {
    let mut evidence = Evidence::new(&[
        "ticket",
        "priority",
        "team",
        "category",
        "response",
        "resolution",
        "age",
    ]);
    for &(ticket, clock) in facts.tickets {
        if clock.resolved.is_some() {
            continue;
        }
        // A response answered late while the ticket is still open counts as already breached,
        // as in the backlog by age.
        let risky = |verdict: Verdict| verdict.is_breached() || verdict == Verdict::OpenAtRisk;
        if risky(clock.response.verdict) || risky(clock.resolution.verdict) {
            let mut row = ticket_columns(facts, ticket, clock);
            row.extend([
                clock.response.verdict.label().to_string(),
                clock.resolution.verdict.label().to_string(),
                format_duration(facts.as_of - ticket.opened),
            ]);
            evidence.push(row);
        }
    }
    let count = evidence.rows.len() as u64;
    Check::information(
        "open-at-risk".to_string(),
        Area::Metrics,
        "Open tickets at risk or breached".to_string(),
        Measure::Count { count },
        count.to_string(),
        "open tickets past the warning share of a target, or already past it, at the as-of instant"
            .to_string(),
        evidence,
    )
}

/// Share of tickets with every field the checks read; the evidence lists what each ticket lacks.
fn completeness(facts: &Facts<'_>) -> Check {
    type FieldOf = fn(&Ticket) -> bool;
    let fields: [(&str, FieldOf); 7] = [
        ("priority", |t| t.priority.is_some()),
        ("category", |t| !t.category.is_none()),
        ("team", |t| !t.team.is_none()),
        ("impact", |t| t.impact.is_some()),
        ("urgency", |t| t.urgency.is_some()),
        ("channel", |t| !t.channel.is_none()),
        ("assignee", |t| !t.assignee.is_none()),
    ];
    let mut evidence = Evidence::new(&["ticket", "priority", "team", "category", "missing"]);
    for &(ticket, clock) in facts.tickets {
        let missing: Vec<&str> = fields
            .iter()
            .filter(|(_, has)| !has(ticket))
            .map(|(name, _)| *name)
            .collect();
        if !missing.is_empty() {
            let mut row = ticket_columns(facts, ticket, clock);
            row.push(missing.join(", "));
            evidence.push(row);
        }
    }
    let total = facts.tickets.len() as u64;
    let complete = total - evidence.rows.len() as u64;
    let per_field: Vec<String> = fields
        .iter()
        .map(|(name, has)| {
            let present = facts.tickets.iter().filter(|(t, _)| has(t)).count();
            format!(
                "{name} {}",
                rate(present, facts.tickets.len()).unwrap_or_else(|| "–".into())
            )
        })
        .collect();
    Check::share(
        "completeness".to_string(),
        Area::Metrics,
        "Tickets with every field the checks use".to_string(),
        complete,
        total,
        format!(
            "tickets have all of them; per field: {}",
            per_field.join(", ")
        ),
        facts.settings.completeness,
        Direction::HigherIsBetter,
        facts.settings.min_tickets,
        evidence,
    )
}

fn nearest_rank(sorted: &[i64], percent: usize) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (percent * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

fn percentiles(facts: &Facts<'_>, metric: Metric) -> Percentiles {
    let mut elapsed: Vec<i64> = facts
        .tickets
        .iter()
        .map(|(_, clock)| clock.metric(metric))
        .filter(|m| m.stop.is_some() && m.target.is_some())
        .map(|m| m.elapsed)
        .collect();
    elapsed.sort_unstable();
    let at = |percent| nearest_rank(&elapsed, percent).map(format_duration);
    Percentiles {
        metric: metric.name(),
        tickets: elapsed.len(),
        p50: at(50),
        p90: at(90),
        p95: at(95),
    }
}

fn breakdowns(facts: &Facts<'_>) -> Vec<Breakdown> {
    let zone = facts.config.tickets.timezone.0;
    let month = |ticket: &Ticket| {
        chrono::DateTime::from_timestamp(ticket.opened, 0)
            .unwrap_or_default()
            .with_timezone(&zone)
            .format("%Y-%m")
            .to_string()
    };
    let symbol = |sym: Sym| {
        facts
            .dataset
            .symbols
            .text(sym)
            .unwrap_or("(none)")
            .to_string()
    };
    vec![
        breakdown(facts, "month", |t| month(t)),
        breakdown(facts, "team", |t| symbol(t.team)),
        breakdown(facts, "category", |t| symbol(t.category)),
        breakdown(facts, "channel", |t| symbol(t.channel)),
    ]
}

fn breakdown(
    facts: &Facts<'_>,
    dimension: &'static str,
    key: impl Fn(&Ticket) -> String,
) -> Breakdown {
    let mut groups: BTreeMap<String, Vec<(&Ticket, &TicketClock)>> = BTreeMap::new();
    for &(ticket, clock) in facts.tickets {
        groups.entry(key(ticket)).or_default().push((ticket, clock));
    }
    let rows = groups
        .into_iter()
        .map(|(label, clocks)| {
            let mut response = Attainment::default();
            let mut resolution = Attainment::default();
            for &(ticket, clock) in &clocks {
                let excepted = |metric| facts.exceptions.excepts(ticket, clock, metric);
                response.add(&clock.response, excepted(Metric::Response));
                resolution.add(&clock.resolution, excepted(Metric::Resolution));
            }
            BreakdownRow {
                label,
                tickets: clocks.len(),
                response: response.finish(),
                resolution: resolution.finish(),
            }
        })
        .collect();
    Breakdown { dimension, rows }
}

#[cfg(test)]
mod tests {
    use super::nearest_rank;

    #[test]
    fn nearest_rank_percentiles() {
        let values: Vec<i64> = (1..=20).collect();
        assert_eq!(nearest_rank(&values, 50), Some(10));
        assert_eq!(nearest_rank(&values, 90), Some(18));
        assert_eq!(nearest_rank(&values, 95), Some(19));
        assert_eq!(nearest_rank(&[7], 95), Some(7));
        assert_eq!(nearest_rank(&[], 50), None);
    }
}
