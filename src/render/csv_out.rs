//! CSV downloads that open safely in a spreadsheet.
//!
//! Each file starts with a UTF-8 byte-order mark unless `[site] csv_bom = false`, so that
//! Excel reads accented names correctly, and every cell that a spreadsheet would take for a
//! formula (one beginning with `=`, `+`, `-`, `@`, a tab or a carriage return) is prefixed
//! with a single quote.

use crate::clock::{MetricClock, TicketClock, Verdict};
use crate::normalize::{Dataset, Rejection, Repair};
use crate::review::{BreachRow, Disagreement};
use crate::time::{format_duration, format_local};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Prefixes a cell that a spreadsheet would evaluate, so that it stays text.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// Writes a header and rows as CSV, optionally after a byte-order mark.
pub fn table<I>(header: &[&str], rows: I, bom: bool) -> Vec<u8>
where
    I: IntoIterator<Item = Vec<String>>,
{
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(BOM);
    }
    {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        // Writing to a Vec cannot fail.
        let _ = writer.write_record(header);
        for row in rows {
            let _ = writer.write_record(row.iter().map(|cell| neutralise(cell).into_owned()));
        }
        let _ = writer.flush();
    }
    out
}

pub fn breaches(rows: &[BreachRow], bom: bool) -> Vec<u8> {
    table(
        &[
            "ticket",
            "metric",
            "verdict",
            "priority",
            "team",
            "category",
            "opened",
            "stopped",
            "target",
            "elapsed",
            "over_by",
            "elapsed_24x7",
            "paused",
            "calendar",
            "source_line",
            "exception",
            "named_by",
            "timezone",
        ],
        rows.iter().map(|row| {
            vec![
                row.ticket.clone(),
                row.metric.to_string(),
                row.verdict.to_string(),
                row.priority.clone(),
                row.team.clone(),
                row.category.clone(),
                row.opened.clone(),
                row.stopped.clone(),
                row.target.clone(),
                row.elapsed.clone(),
                row.over.clone(),
                row.elapsed_wall.clone(),
                row.paused.clone(),
                row.calendar.clone(),
                row.line.to_string(),
                row.exception.clone().unwrap_or_default(),
                row.named_by.join("; "),
                row.timezone.to_string(),
            ]
        }),
        bom,
    )
}

pub fn rejected(rows: &[Rejection], bom: bool) -> Vec<u8> {
    table(
        &["file", "line", "ticket", "column", "value", "reason"],
        rows.iter().map(|row| {
            vec![
                row.file.clone(),
                row.line.to_string(),
                row.ticket.clone(),
                row.column.clone(),
                row.value.clone(),
                row.reason.clone(),
            ]
        }),
        bom,
    )
}

pub fn repairs(rows: &[Repair], bom: bool) -> Vec<u8> {
    table(
        &["kind", "ticket", "line", "column", "value", "action"],
        rows.iter().map(|row| {
            vec![
                row.kind.describe().to_string(),
                row.ticket.clone(),
                row.line.to_string(),
                row.column.clone(),
                row.value.clone(),
                row.action.clone(),
            ]
        }),
        bom,
    )
}

pub fn disagreements(rows: &[Disagreement], bom: bool) -> Vec<u8> {
    table(
        &["ticket", "compared", "source", "slaudit", "likely_causes"],
        rows.iter().map(|row| {
            vec![
                row.ticket.clone(),
                row.what.to_string(),
                row.source.clone(),
                row.ours.clone(),
                row.causes.join("; "),
            ]
        }),
        bom,
    )
}

/// Every loaded ticket as slaudit read it, with its clocks: the evidence behind every
/// figure, and a way to check that an export was read as intended.
pub fn tickets(
    dataset: &Dataset,
    clocks: &[TicketClock],
    zone: chrono_tz::Tz,
    bom: bool,
) -> Vec<u8> {
    let time = |at: Option<i64>| at.map(|at| format_local(zone, at)).unwrap_or_default();
    // A response that never came has no elapsed value, only a verdict from the resolution.
    let elapsed = |metric: &MetricClock, seconds: i64| match metric.verdict {
        Verdict::NoTarget | Verdict::NotRecorded => String::new(),
        _ if metric.by_resolution => String::new(),
        _ => format_duration(seconds),
    };
    let flag = |verdict: Option<bool>| match verdict {
        Some(true) => "met".to_string(),
        Some(false) => "breached".to_string(),
        None => String::new(),
    };
    let figure = |seconds: Option<i64>| seconds.map(format_duration).unwrap_or_default();
    // Wall-clock time from opening, whatever the target and calendar.
    let span = |ticket: &crate::normalize::Ticket, stop: Option<i64>| {
        figure(stop.map(|stop| stop - ticket.opened))
    };
    table(
        &[
            "ticket",
            "source_line",
            "opened",
            "first_response",
            "resolved",
            "closed",
            "priority",
            "status",
            "team",
            "assignee",
            "requester",
            "category",
            "title",
            "labels",
            "comments",
            "effort",
            "satisfaction",
            "response_calendar_time",
            "resolution_calendar_time",
            "response_elapsed",
            "response_elapsed_24x7",
            "response_verdict",
            "resolution_elapsed",
            "resolution_elapsed_24x7",
            "resolution_verdict",
            "source_verdict",
            "source_response_verdict",
            "source_resolution_verdict",
            "source_response_time",
            "source_response_business_time",
            "source_resolution_time",
            "source_resolution_business_time",
        ],
        dataset.tickets.iter().zip(clocks).map(|(ticket, clock)| {
            let details = dataset.details_of(ticket);
            let labels: Vec<&str> = details.labels.iter().map(|&l| dataset.text(l)).collect();
            let source = &ticket.source;
            vec![
                ticket.id.to_string(),
                ticket.line.to_string(),
                time(Some(ticket.opened)),
                time(ticket.first_response),
                time(ticket.resolved),
                time(ticket.closed),
                clock.priority.map(|p| p.to_string()).unwrap_or_default(),
                dataset.text(ticket.status).to_string(),
                dataset.text(ticket.team).to_string(),
                dataset.text(ticket.assignee).to_string(),
                dataset.text(ticket.requester).to_string(),
                dataset.text(ticket.category).to_string(),
                dataset.text(ticket.title).to_string(),
                labels.join("; "),
                details.comments.to_string(),
                details.effort.map(format_duration).unwrap_or_default(),
                details
                    .satisfaction
                    .map(|s| s.name().to_string())
                    .unwrap_or_default(),
                span(ticket, ticket.first_response),
                span(ticket, clock.resolved),
                elapsed(&clock.response, clock.response.elapsed),
                elapsed(&clock.response, clock.response.elapsed_wall),
                clock.response.verdict.label().to_string(),
                elapsed(&clock.resolution, clock.resolution.elapsed),
                elapsed(&clock.resolution, clock.resolution.elapsed_wall),
                clock.resolution.verdict.label().to_string(),
                flag(source.overall),
                flag(source.response),
                flag(source.resolution),
                figure(source.response_elapsed),
                figure(source.response_business),
                figure(source.resolution_elapsed),
                figure(source.resolution_business),
            ]
        }),
        bom,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        for cell in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(cell), format!("'{cell}"));
        }
        assert_eq!(neutralise("INC001"), "INC001");
        assert_eq!(neutralise(""), "");
    }

    #[test]
    fn table_starts_with_bom_and_quotes_breaks() {
        let bytes = table(
            &["a", "b"],
            vec![vec!["x\ny".to_string(), "=cmd".to_string()]],
            true,
        );
        assert!(bytes.starts_with(BOM));
        assert_eq!(&bytes[3..], b"a,b\r\n\"x\ny\",'=cmd\r\n");
        let plain = table(&["a"], Vec::<Vec<String>>::new(), false);
        assert_eq!(plain, b"a\r\n");
    }
}
