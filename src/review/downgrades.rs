//! Lowered priorities that hid a breach: a finding for the priorities page.

use serde::Serialize;

use crate::clock::{Downgrade, TicketClock};
use crate::normalize::Ticket;

/// One lowered priority that turned a breach under the initial priority's target into a met
/// (or not yet breached) target under the lowered one.
#[derive(Debug, Clone, Serialize)]
pub struct DowngradeRow {
    pub ticket: String,
    pub metric: &'static str,
    pub from: String,
    pub to: String,
    pub at_elapsed_seconds: i64,
    pub over_initial_seconds: i64,
    /// The finding in a sentence, such as "priority lowered P1→P3 at 3h elapsed; under P1 it
    /// would be breached by 2h".
    pub finding: String,
}

/// Lists every lowered priority that hid a breach among the audited tickets, in ticket order.
pub fn downgrade_rows(audited: &[(&Ticket, &TicketClock)]) -> Vec<DowngradeRow> {
    let mut rows = Vec::new();
    for (ticket, clock) in audited {
        for downgrade in &clock.downgrades {
            rows.push(row(ticket, downgrade));
        }
    }
    rows
}

fn row(ticket: &Ticket, downgrade: &Downgrade) -> DowngradeRow {
    let Downgrade {
        metric,
        from,
        to,
        at_elapsed,
        over_initial_target,
    } = *downgrade;
    DowngradeRow {
        ticket: ticket.id.to_string(),
        metric: metric.name(),
        from: from.to_string(),
        to: to.to_string(),
        at_elapsed_seconds: at_elapsed,
        over_initial_seconds: over_initial_target,
        finding: format!(
            "priority lowered {from}→{to} at {} elapsed; under {from} it would be breached by {}",
            short_duration(at_elapsed),
            short_duration(over_initial_target)
        ),
    }
}

/// Formats a duration in hours without its zero parts: `3h`, `2h 15m`, `28h`, `45m`, `30s`.
pub fn short_duration(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let seconds = seconds.unsigned_abs();
    let parts = [
        (seconds / 3_600, "h"),
        (seconds % 3_600 / 60, "m"),
        (seconds % 60, "s"),
    ];
    let text: Vec<String> = parts
        .iter()
        .filter(|(amount, _)| *amount > 0)
        .map(|(amount, unit)| format!("{amount}{unit}"))
        .collect();
    if text.is_empty() {
        "0m".to_string()
    } else {
        format!("{sign}{}", text.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_durations_drop_zero_parts() {
        assert_eq!(short_duration(3 * 3_600), "3h");
        assert_eq!(short_duration(2 * 3_600 + 15 * 60), "2h 15m");
        assert_eq!(short_duration(86_400 + 4 * 3_600), "28h");
        assert_eq!(short_duration(45 * 60), "45m");
        assert_eq!(short_duration(0), "0m");
        assert_eq!(short_duration(-90), "-1m 30s");
    }
}
