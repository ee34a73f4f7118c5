//! Timestamps in an order that cannot have happened, flagged on tickets that are kept.
//!
//! A ticket stays in every figure where its times still make sense, and each flag reaches the
//! data-quality page and `slaudit check`:
//! - a first response after the resolution: the response clock stops at the response as
//!   recorded, so the response is measured late rather than invented;
//! - a close before the resolution: the resolution clock stops at the resolution;
//! - a timestamp after the as-of instant: the audit's "now" is earlier than the export, so
//!   the ticket is measured as it stood at the as-of instant.
//!
//! A ticket resolved before it was opened has no usable resolution and is rejected by the
//! consistency check, not flagged here.

use chrono_tz::Tz;

use crate::normalize::{Dataset, Field, Repair, RepairKind, Ticket};
use crate::time::{format_duration, format_local, Instant};

fn repair(
    dataset: &Dataset,
    zone: Tz,
    ticket: &Ticket,
    kind: RepairKind,
    field: Field,
    value: Instant,
    action: String,
) -> Repair {
    Repair {
        kind,
        ticket: ticket.id.to_string(),
        line: ticket.line,
        column: dataset
            .field_columns
            .get(&field)
            .cloned()
            .unwrap_or_else(|| field.name().to_string()),
        value: format_local(zone, value),
        action,
        file: dataset
            .inputs
            .first()
            .map(|input| input.path.clone())
            .unwrap_or_default(),
    }
}

/// Flags first responses after the resolution and closes before the resolution.
pub(super) fn flag_inconsistent_times(dataset: &mut Dataset, zone: Tz) {
    let mut flags = Vec::new();
    for ticket in &dataset.tickets {
        if let (Some(response), Some(resolved)) = (ticket.first_response, ticket.resolved) {
            if response > resolved {
                let action = format!(
                    "first response {} after the resolution; kept, so the response is measured to it",
                    format_duration(response - resolved)
                );
                flags.push(repair(
                    dataset,
                    zone,
                    ticket,
                    RepairKind::Inconsistent,
                    Field::FirstResponse,
                    response,
                    action,
                ));
            }
        }
        if let (Some(closed), Some(resolved)) = (ticket.closed, ticket.resolved) {
            if closed < resolved {
                let action = format!(
                    "closed {} before the resolution; kept, the resolution clock stops at the resolution",
                    format_duration(resolved - closed)
                );
                flags.push(repair(
                    dataset,
                    zone,
                    ticket,
                    RepairKind::Inconsistent,
                    Field::Closed,
                    closed,
                    action,
                ));
            }
        }
    }
    dataset.quality.repairs.extend(flags);
    dataset.quality.repairs.sort();
}

/// Flags every timestamp later than the as-of instant. Such a ticket is measured as it stood
/// at the as-of instant: a later resolution does not count, and one opened later is left out.
pub fn flag_after_as_of(dataset: &mut Dataset, as_of: Instant, zone: Tz) {
    let mut flags = Vec::new();
    for ticket in &dataset.tickets {
        let times = [
            (Field::Opened, Some(ticket.opened)),
            (Field::FirstResponse, ticket.first_response),
            (Field::Resolved, ticket.resolved),
            (Field::Closed, ticket.closed),
        ];
        for (field, at) in times {
            let Some(at) = at.filter(|&at| at > as_of) else {
                continue;
            };
            let action = format!(
                "{} after the as-of instant {} {}; the ticket is measured as it stood then",
                format_duration(at - as_of),
                crate::time::format_local(zone, as_of),
                zone.name()
            );
            flags.push(repair(
                dataset,
                zone,
                ticket,
                RepairKind::AfterAsOf,
                field,
                at,
                action,
            ));
        }
    }
    dataset.quality.repairs.extend(flags);
    dataset.quality.repairs.sort();
}
