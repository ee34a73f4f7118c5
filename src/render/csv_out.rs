//! CSV downloads that open safely in a spreadsheet.
//!
//! Each file starts with a UTF-8 byte-order mark, so that Excel reads accented names
//! correctly, and every cell that a spreadsheet would take for a formula (one beginning with
//! `=`, `+`, `-`, `@`, a tab or a carriage return) is prefixed with a single quote.

use crate::normalize::{Rejection, Repair};
use crate::review::{BreachRow, Disagreement};

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
        &[
            "ticket",
            "source_verdict",
            "slaudit_verdict",
            "likely_causes",
        ],
        rows.iter().map(|row| {
            vec![
                row.ticket.clone(),
                row.source.to_string(),
                row.ours.to_string(),
                row.causes.join("; "),
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
