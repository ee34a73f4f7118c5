//! Ticket priority: attainment per priority, the priority matrix, and missing priorities.

use std::collections::BTreeMap;

use super::{
    exception_cell, exception_column, metric_columns, metric_title, note_exceptions,
    ticket_columns, Area, Check, Evidence, Facts,
};
use crate::clock::Metric;
use crate::normalize::Priority;
use crate::review::decision::Direction;
use crate::time::format_duration;

pub fn checks(facts: &Facts<'_>) -> Vec<Check> {
    let mut checks = Vec::new();
    for metric in Metric::ALL {
        checks.extend(attainment(facts, metric));
    }
    checks.push(matrix(facts));
    checks.push(missing(facts));
    checks
}

/// Attainment of one metric per priority: met ÷ (met + breached), with the breaches as evidence.
fn attainment(facts: &Facts<'_>, metric: Metric) -> Vec<Check> {
    // Per priority: met, decided, excepted breaches, and the rows of breached tickets. Met
    // tickets are not listed here, because a large export would repeat most of clocks.csv
    // for every priority.
    type Group = (u64, u64, u64, Vec<Vec<String>>);
    let mut by_priority: BTreeMap<Priority, Group> = BTreeMap::new();
    for &(ticket, clock) in facts.tickets {
        let measured = clock.metric(metric);
        // Each metric counts under the priority whose target judged it.
        let Some(priority) = measured.priority.or(clock.priority) else {
            continue;
        };
        if !(measured.verdict.is_met() || measured.verdict.is_breached()) {
            continue;
        }
        let entry = by_priority.entry(priority).or_default();
        entry.1 += 1;
        if measured.verdict.is_met() {
            entry.0 += 1;
            continue;
        }
        let target = measured.target.unwrap_or(0);
        let mut row = metric_columns(facts, ticket, clock, metric);
        row.extend([
            measured.verdict.label().to_string(),
            format_duration(target),
            format_duration(measured.elapsed),
            format_duration(measured.elapsed - target),
        ]);
        if let Some(exception) = exception_cell(facts, ticket, metric) {
            entry.2 += u64::from(!exception.is_empty());
            row.push(exception);
        }
        entry.3.push(row);
    }
    by_priority
        .into_iter()
        .map(|(priority, (met, decided, excepted, breached))| {
            let name = metric_title(metric);
            let mut evidence = Evidence::new(&[
                "ticket", "priority", "team", "category", "verdict", "target", "elapsed", "over by",
            ]);
            exception_column(facts, &mut evidence);
            evidence.rows = breached;
            let mut check = Check::share(
                format!("{name}-attainment-{}", priority.to_string().to_lowercase()),
                Area::TicketPriority,
                format!("{priority} {name} attainment"),
                met,
                decided,
                format!("decided {priority} tickets met their {name} target"),
                facts.settings.attainment,
                Direction::HigherIsBetter,
                facts.settings.min_tickets,
                evidence,
            );
            note_exceptions(facts, &mut check, met, excepted);
            check
        })
        .collect()
}

/// Tickets whose priority differs from what the impact × urgency matrix gives.
fn matrix(facts: &Facts<'_>) -> Check {
    let mut evidence = Evidence::new(&[
        "ticket",
        "priority",
        "team",
        "category",
        "impact",
        "urgency",
        "matrix gives",
    ]);
    let (mut consistent, mut compared) = (0u64, 0u64);
    for &(ticket, clock) in facts.tickets {
        let (Some(impact), Some(urgency), Some(priority)) =
            (ticket.impact, ticket.urgency, ticket.priority)
        else {
            continue;
        };
        let Some(expected) = facts
            .settings
            .matrix
            .get(&format!("{impact}-{urgency}"))
            .and_then(|p| Priority::parse(p))
        else {
            continue;
        };
        compared += 1;
        if expected == priority {
            consistent += 1;
        } else {
            let mut row = ticket_columns(facts, ticket, clock);
            row[1] = priority.to_string();
            row.extend([
                impact.to_string(),
                urgency.to_string(),
                expected.to_string(),
            ]);
            evidence.push(row);
        }
    }
    Check::share(
        "priority-matrix".to_string(),
        Area::TicketPriority,
        "Priority follows the impact × urgency matrix".to_string(),
        consistent,
        compared,
        format!(
            "tickets with an impact and urgency carry the priority {} matrix gives",
            facts.settings.matrix_source
        ),
        facts.settings.matrix_consistency,
        Direction::HigherIsBetter,
        facts.settings.min_tickets,
        evidence,
    )
}

/// Tickets with no priority or no category.
fn missing(facts: &Facts<'_>) -> Check {
    let mut evidence = Evidence::new(&["ticket", "priority", "team", "category", "missing"]);
    for &(ticket, clock) in facts.tickets {
        let mut absent = Vec::new();
        if ticket.priority.is_none() {
            absent.push("priority");
        }
        if ticket.category.is_none() {
            absent.push("category");
        }
        if !absent.is_empty() {
            let mut row = ticket_columns(facts, ticket, clock);
            row.push(absent.join(", "));
            evidence.push(row);
        }
    }
    let missing = evidence.rows.len() as u64;
    let total = facts.tickets.len() as u64;
    Check::share(
        "missing-priority-or-category".to_string(),
        Area::TicketPriority,
        "Tickets without a priority or category".to_string(),
        missing,
        total,
        "tickets lack a priority or a category".to_string(),
        facts.settings.missing_fields,
        Direction::LowerIsBetter,
        facts.settings.min_tickets,
        evidence,
    )
}
