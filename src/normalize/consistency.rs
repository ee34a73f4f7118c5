//! Checks across the timestamps of one ticket, run once every ticket is built.
//!
//! A ticket whose timestamps are in an impossible order is rejected with the file, line and
//! a diagnostic that names both columns, and is left out of every metric, so that no negative
//! duration ever reaches a figure.

use crate::normalize::columns::ColumnMap;
use crate::normalize::{Dataset, Field, Rejection};
use crate::time::{format_duration, format_local};

/// Rejects tickets whose timestamps contradict each other, removing them from the dataset.
pub(super) fn check(
    dataset: &mut Dataset,
    columns: &ColumnMap,
    file: &str,
    zone: chrono_tz::Tz,
    rejected: &mut Vec<Rejection>,
) {
    let column = |field: Field| columns.name(field).unwrap_or(field.name()).to_string();
    let keep: Vec<bool> = dataset
        .tickets
        .iter()
        .map(|ticket| {
            ticket
                .resolved
                .is_none_or(|resolved| resolved >= ticket.opened)
        })
        .collect();
    for (ticket, _) in dataset
        .tickets
        .iter()
        .zip(&keep)
        .filter(|(_, keep)| !**keep)
    {
        let Some(resolved) = ticket.resolved else {
            continue;
        };
        let (resolved_column, opened_column) = (column(Field::Resolved), column(Field::Opened));
        rejected.push(Rejection {
            file: file.to_string(),
            line: ticket.line,
            ticket: ticket.id.to_string(),
            column: resolved_column.clone(),
            value: format_local(zone, resolved),
            reason: format!(
                "{resolved_column} is {} before {opened_column}; the ticket is left out of every metric",
                describe_gap(ticket.opened - resolved)
            ),
        });
    }
    // Each ticket's details sit at the ticket's index, so both lists lose the same entries.
    let mut flags = keep.iter();
    dataset.tickets.retain(|_| *flags.next().unwrap_or(&true));
    if dataset.details.len() == keep.len() {
        let mut flags = keep.iter();
        dataset.details.retain(|_| *flags.next().unwrap_or(&true));
    }
}

/// Describes a positive gap in words: `30 min` below an hour, else `2h 15m` or `1d 3h 00m`.
fn describe_gap(seconds: i64) -> String {
    if seconds < 3_600 && seconds % 60 == 0 {
        format!("{} min", seconds / 60)
    } else {
        format_duration(seconds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_read_in_minutes_below_an_hour() {
        assert_eq!(describe_gap(30 * 60), "30 min");
        assert_eq!(describe_gap(59 * 60), "59 min");
        assert_eq!(describe_gap(75 * 60), "1h 15m");
        assert_eq!(describe_gap(90), "1m 30s");
    }
}
