//! `clocks.csv`: every audited ticket's clocks, one row per ticket, for auditors who want to
//! recompute a figure or sort the tickets themselves.
//!
//! Durations are whole seconds. Instants are RFC 3339 with the offset of the export's zone,
//! so that they read as local times and still name one instant each. An empty cell means
//! "no value": no target, a clock that never stopped on its own, or nothing to exclude.

use chrono_tz::Tz;

use crate::clock::{Metric, MetricClock, Policy, TicketClock, Verdict};
use crate::normalize::{Dataset, Ticket};
use crate::render::csv_out;
use crate::time::Instant;

/// The header, in column order.
const HEADER: &[&str] = &[
    "ticket",
    "source_line",
    "opened",
    "resolved",
    "status",
    "initial_priority",
    "priority",
    "priority_changes",
    "reopens",
    "response_priority",
    "response_calendar",
    "response_verdict",
    "response_target_seconds",
    "response_elapsed_seconds",
    "response_elapsed_24x7_seconds",
    "response_verdict_24x7",
    "response_paused_seconds",
    "response_pauses",
    "response_due",
    "response_stopped",
    "response_breached_by_seconds",
    "resolution_priority",
    "resolution_calendar",
    "resolution_verdict",
    "resolution_target_seconds",
    "resolution_elapsed_seconds",
    "resolution_elapsed_24x7_seconds",
    "resolution_verdict_24x7",
    "resolution_paused_seconds",
    "resolution_pauses",
    "resolution_due",
    "resolution_stopped",
    "resolution_breached_by_seconds",
    "first_resolution_seconds",
    "resolved_before_reopen_seconds",
    "closed_before_reopen_seconds",
    "ever_breached",
];

/// Formats an instant as RFC 3339 with the offset `zone` has then.
pub fn rfc3339(zone: Tz, at: Instant) -> String {
    let offset = crate::time::utc_offset(zone, at);
    let (year, month, day, hour, minute, second) = crate::time::local_fields(zone, at);
    let sign = if offset < 0 { '-' } else { '+' };
    let (hours, minutes) = (offset.abs() / 3_600, offset.abs() % 3_600 / 60);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{sign}{hours:02}:{minutes:02}")
}

fn optional<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// Formats the cells of one metric, in header order.
fn metric_cells(policy: &Policy, zone: Tz, measured: &MetricClock) -> Vec<String> {
    let has_target = measured.target.is_some();
    let calendar = has_target.then(|| policy.calendars[measured.calendar].0.clone());
    let verdict_24x7 = match measured.verdict_wall {
        Verdict::NoTarget | Verdict::NotRecorded => String::new(),
        verdict => verdict.label().to_string(),
    };
    // A response that never came has no elapsed value, only a verdict decided by the resolution.
    let valued = has_target && !measured.by_resolution;
    vec![
        optional(measured.priority),
        calendar.unwrap_or_default(),
        measured.verdict.label().to_string(),
        optional(measured.target),
        optional(valued.then_some(measured.elapsed)),
        optional(valued.then_some(measured.elapsed_wall)),
        verdict_24x7,
        optional(has_target.then_some(measured.paused)),
        optional(has_target.then_some(measured.pauses)),
        optional(measured.due.map(|at| rfc3339(zone, at))),
        optional(measured.stop.map(|at| rfc3339(zone, at))),
        optional(measured.over_target()),
    ]
}

/// Writes `clocks.csv` for the audited tickets, in ticket order.
pub fn clocks(
    policy: &Policy,
    dataset: &Dataset,
    audited: &[(&Ticket, &TicketClock)],
    zone: Tz,
    bom: bool,
) -> Vec<u8> {
    let rows = audited.iter().map(|(ticket, clock)| {
        let mut row = vec![
            ticket.id.to_string(),
            ticket.line.to_string(),
            rfc3339(zone, ticket.opened),
            optional(clock.resolved.map(|at| rfc3339(zone, at))),
            dataset.text(ticket.status).to_string(),
            optional(clock.initial_priority),
            optional(clock.priority),
            clock.priority_changes.to_string(),
            clock.reopen_cycles.to_string(),
        ];
        for metric in Metric::ALL {
            row.extend(metric_cells(policy, zone, clock.metric(metric)));
        }
        let resolution = &clock.resolution;
        let has_target = resolution.target.is_some();
        row.extend([
            optional(clock.first_resolution),
            optional(has_target.then_some(resolution.excluded_resolved)),
            optional(has_target.then_some(resolution.excluded_closed)),
            optional(has_target.then_some(clock.ever_breached)),
        ]);
        row
    });
    csv_out::table(HEADER, rows, bom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_carry_the_local_offset() {
        // 2024-11-20T22:45:00Z is 17:45 in New York (EST, UTC−5).
        let instant = 1_732_142_700;
        assert_eq!(
            rfc3339(chrono_tz::America::New_York, instant),
            "2024-11-20T17:45:00-05:00"
        );
        assert_eq!(
            rfc3339(chrono_tz::UTC, instant),
            "2024-11-20T22:45:00+00:00"
        );
    }
}
