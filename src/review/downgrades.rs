//! Lowered priorities that hid a breach: a finding for the priorities page.

use serde::Serialize;

use crate::clock::{Downgrade, TicketClock};
use crate::normalize::Ticket;
use crate::time::format_duration;

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
            format_duration(at_elapsed),
            format_duration(over_initial_target)
        ),
    }
}
