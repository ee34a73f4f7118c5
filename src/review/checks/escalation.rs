//! Escalation: reassignments, reopens, late priority changes and late pauses.

use super::{ticket_columns, Area, Check, Evidence, Facts, Measure};
use crate::clock::sla::{Exclusion, Timeline};
use crate::clock::{Metric, TicketClock};
use crate::config::BusinessDuration;
use crate::normalize::{EventKind, Priority, Ticket};
use crate::review::decision::Direction;
use crate::review::figures::format_count;
use crate::time::{format_duration, format_local, DAY};

/// Reassignment counts from which the histogram's last bucket starts.
const HISTOGRAM_TOP: u32 = 5;

pub fn checks(facts: &Facts<'_>) -> (Vec<Check>, Vec<(String, usize)>) {
    let (weak, histogram) = weak_handoffs(facts);
    let checks = vec![
        weak,
        reopens(facts),
        first_reassignment(facts),
        priority_changes(facts),
        late_pauses(facts),
    ];
    (checks, histogram)
}

/// Counts how often a ticket changed group: the export's count, else the group changes in its history.
fn reassignments(facts: &Facts<'_>, ticket: &Ticket) -> u32 {
    if let Some(count) = ticket.reassignments {
        return count;
    }
    let groups = facts
        .dataset
        .events_of(ticket)
        .iter()
        .filter(|event| event.kind == EventKind::Group)
        .count() as u32;
    groups.saturating_sub(1)
}

fn weak_handoffs(facts: &Facts<'_>) -> (Check, Vec<(String, usize)>) {
    let limit = facts.settings.weak_handoff_reassignments;
    let mut histogram = vec![0usize; HISTOGRAM_TOP as usize + 1];
    let mut evidence = Evidence::new(&[
        "ticket",
        "priority",
        "team",
        "category",
        "reassignments",
        "resolution verdict",
    ]);
    for &(ticket, clock) in facts.tickets {
        let count = reassignments(facts, ticket);
        histogram[count.min(HISTOGRAM_TOP) as usize] += 1;
        if count >= limit {
            let mut row = ticket_columns(facts, ticket, clock);
            row.extend([
                count.to_string(),
                clock.resolution.verdict.label().to_string(),
            ]);
            evidence.push(row);
        }
    }
    let weak = evidence.rows.len() as u64;
    let total = facts.tickets.len() as u64;
    let check = Check::share(
        "weak-handoffs".to_string(),
        Area::Escalation,
        format!("Tickets reassigned {limit} or more times"),
        weak,
        total,
        format!("tickets changed group {limit} or more times"),
        facts.settings.weak_handoffs,
        Direction::LowerIsBetter,
        facts.settings.min_tickets,
        evidence,
    );
    let labels = histogram
        .into_iter()
        .enumerate()
        .map(|(count, tickets)| {
            let label = if count as u32 == HISTOGRAM_TOP {
                format!("{HISTOGRAM_TOP} or more")
            } else {
                count.to_string()
            };
            (label, tickets)
        })
        .collect();
    (check, labels)
}

fn reopens(facts: &Facts<'_>) -> Check {
    let mut evidence = Evidence::new(&[
        "ticket",
        "priority",
        "team",
        "category",
        "reopens",
        "ever breached",
    ]);
    let mut resolved = 0u64;
    for &(ticket, clock) in facts.tickets {
        let count = ticket.reopens.unwrap_or(0).max(clock.reopen_cycles);
        if clock.resolved.is_none() && count == 0 {
            continue;
        }
        resolved += 1;
        if count > 0 {
            let mut row = ticket_columns(facts, ticket, clock);
            row.extend([
                count.to_string(),
                if clock.ever_breached { "yes" } else { "no" }.to_string(),
            ]);
            evidence.push(row);
        }
    }
    let reopened = evidence.rows.len() as u64;
    Check::share(
        "reopen-rate".to_string(),
        Area::Escalation,
        "Reopen rate".to_string(),
        reopened,
        resolved,
        "tickets resolved at least once were reopened afterwards".to_string(),
        facts.settings.reopen_rate,
        Direction::LowerIsBetter,
        facts.settings.min_tickets,
        evidence,
    )
}

/// For breached tickets: how long after opening the ticket first moved to another group.
fn first_reassignment(facts: &Facts<'_>) -> Check {
    let mut evidence = Evidence::new(&[
        "ticket",
        "priority",
        "team",
        "category",
        "first reassignment",
        "after",
    ]);
    let mut delays = Vec::new();
    for &(ticket, clock) in facts.tickets {
        if !(clock.resolution.verdict.is_breached() || clock.response.verdict.is_breached()) {
            continue;
        }
        let groups: Vec<_> = facts
            .dataset
            .events_of(ticket)
            .iter()
            .filter(|event| event.kind == EventKind::Group)
            .collect();
        let Some(second) = groups.get(1) else {
            continue;
        };
        let delay = (second.at - ticket.opened).max(0);
        delays.push(delay);
        let mut row = ticket_columns(facts, ticket, clock);
        row.extend([
            format_local(facts.config.tickets.timezone.0, second.at),
            format_duration(delay),
        ]);
        evidence.push(row);
    }
    delays.sort_unstable();
    let median = delays.get(delays.len().saturating_sub(1) / 2).copied();
    Check::information(
        "first-reassignment-on-breaches".to_string(),
        Area::Escalation,
        "Time to first reassignment on breached tickets (median)".to_string(),
        Measure::Duration {
            seconds: median.unwrap_or(0),
        },
        median.map_or_else(|| "–".to_string(), format_duration),
        format!(
            "{} breached tickets changed group at least once; the median wall-clock time from opening to the first change is shown",
            format_count(delays.len() as u64)
        ),
        evidence,
    )
}

/// Priorities raised after much of the target had run, or lowered so that a breach looked met.
fn priority_changes(facts: &Facts<'_>) -> Check {
    let mut evidence = Evidence::new(&[
        "ticket", "priority", "team", "category", "change", "when", "finding",
    ]);
    for &(ticket, clock) in facts.tickets {
        if let Some(downgrade) = clock.downgrades.first().copied() {
            let mut row = ticket_columns(facts, ticket, clock);
            row.extend([
                format!("lowered {}→{}", downgrade.from, downgrade.to),
                format!("{} elapsed", format_duration(downgrade.at_elapsed)),
                format!(
                    "under {} the {} target would be breached by {}",
                    downgrade.from,
                    downgrade.metric.name(),
                    format_duration(downgrade.over_initial_target)
                ),
            ]);
            evidence.push(row);
        } else if let Some(row) = late_raise(facts, ticket, clock) {
            evidence.push(row);
        }
    }
    let flagged = evidence.rows.len() as u64;
    let total = facts.tickets.len() as u64;
    Check::share(
        "late-priority-changes".to_string(),
        Area::Escalation,
        "Priorities raised late or lowered before a breach".to_string(),
        flagged,
        total,
        format!(
            "tickets had their priority raised after {} of the resolution target had run, or lowered so that a breach became a met target",
            facts.settings.late_raise
        ),
        facts.settings.late_priority_changes,
        Direction::LowerIsBetter,
        facts.settings.min_tickets,
        evidence,
    )
}

/// Finds the first raise of a ticket's priority that came after the late-raise share of the
/// resolution target had run, as an evidence row.
fn late_raise(facts: &Facts<'_>, ticket: &Ticket, clock: &TicketClock) -> Option<Vec<String>> {
    let mut current: Option<Priority> = ticket.initial_priority;
    for event in facts
        .dataset
        .events_of(ticket)
        .iter()
        .filter(|e| e.kind == EventKind::Priority)
    {
        let Some(next) = Priority::parse(facts.dataset.text(event.value)) else {
            continue;
        };
        if let Some(before) = current {
            if next < before {
                let measured = facts.policy.measure_until(
                    facts.dataset,
                    ticket,
                    before,
                    Metric::Resolution,
                    event.at,
                )?;
                let target = measured.target.unwrap_or(0);
                if target > 0
                    && facts
                        .settings
                        .late_raise
                        .is_reached_by(measured.elapsed.max(0) as u64, target as u64)
                {
                    let mut row = ticket_columns(facts, ticket, clock);
                    row.extend([
                        format!("raised {before}→{next}"),
                        format!(
                            "{} of {} elapsed",
                            format_duration(measured.elapsed),
                            format_duration(target)
                        ),
                        "raised late".to_string(),
                    ]);
                    return Some(row);
                }
            }
        }
        current = Some(next);
    }
    None
}

/// Tickets whose resolution clock entered a pause when little of the target was left.
fn late_pauses(facts: &Facts<'_>) -> Check {
    let window = match facts.settings.pause_before_breach {
        BusinessDuration::Open(seconds) => seconds,
        BusinessDuration::BusinessDays(days) => i64::from(days) * DAY,
    };
    let mut evidence = Evidence::new(&[
        "ticket",
        "priority",
        "team",
        "category",
        "paused in",
        "paused at",
        "target left",
    ]);
    let mut paused_tickets = 0u64;
    for &(ticket, clock) in facts.tickets {
        let (Some(priority), Some(target)) = (clock.priority, clock.resolution.target) else {
            continue;
        };
        if clock.resolution.pauses == 0 {
            continue;
        }
        paused_tickets += 1;
        let Some(rule) = facts
            .policy
            .rule_for(facts.dataset, ticket, priority, Metric::Resolution)
        else {
            continue;
        };
        let timeline = Timeline::new(
            facts.dataset,
            ticket.opened,
            facts.dataset.events_of(ticket),
        );
        let end = clock
            .resolution
            .stop
            .unwrap_or(facts.as_of)
            .max(ticket.opened);
        let segments = timeline.segments(ticket.opened, end, rule.pause(Metric::Resolution));
        let mut previous = Exclusion::Running;
        for segment in segments {
            if let (Exclusion::Paused(status), Exclusion::Running) = (segment.exclusion, previous) {
                let Some(measured) = facts.policy.measure_until(
                    facts.dataset,
                    ticket,
                    priority,
                    Metric::Resolution,
                    segment.start,
                ) else {
                    break;
                };
                let left = target - measured.elapsed;
                if left > 0 && left <= window {
                    let mut row = ticket_columns(facts, ticket, clock);
                    row.extend([
                        facts.dataset.text(status).to_string(),
                        format_local(facts.config.tickets.timezone.0, segment.start),
                        format_duration(left),
                    ]);
                    evidence.push(row);
                    break;
                }
            }
            previous = segment.exclusion;
        }
    }
    let late = evidence.rows.len() as u64;
    Check::share(
        "late-pauses".to_string(),
        Area::Escalation,
        "Pauses entered shortly before a breach".to_string(),
        late,
        paused_tickets,
        format!(
            "paused tickets entered a pause with {} or less of the resolution target left",
            format_duration(window)
        ),
        facts.settings.late_pauses,
        Direction::LowerIsBetter,
        facts.settings.min_tickets,
        evidence,
    )
}
