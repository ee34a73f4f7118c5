//! Survey exports from help desks: the generic survey CSV and Zendesk's satisfaction ratings,
//! on a 1–5, good/bad or 0–10 scale.
//!
//! An export is read like a tickets file (encoding, delimiter, line numbers and a hash for the
//! manifest come from [`Table`]). The preset names its columns and the import's `columns`
//! override them. Answer times without an offset are local times in the import's zone
//! (default: the tickets' zone), in a format detected over the whole column unless
//! `date_format` declares one.
//!
//! A row that cannot be used is rejected with its file, line, column, value and reason. A row
//! with an empty rating, or with Zendesk's `Offered` or `Unoffered`, is a survey that was sent
//! but not answered: it is counted as unanswered, not rejected.

use std::path::Path;

use crate::config::{
    suggestion_or_list, Config, SurveyImport, SurveyPreset, SurveyScale, SURVEY_FIELDS,
};
use crate::load::{text, InputError, InputFile, ReadOptions, Table};
use crate::normalize::dates::{ColumnDetector, DateFormat, DetectError, Stamp};
use crate::normalize::Rejection;
use crate::time::{LocalConverter, LocalTimeError};

use super::Answer;

/// The answers, unanswered surveys and rejected rows of one survey export.
#[derive(Debug)]
pub struct ImportedAnswers {
    pub answers: Vec<Answer>,
    /// The line each answer is on, in the order of `answers`.
    pub lines: Vec<u64>,
    /// Rows of surveys that were sent but not answered.
    pub unanswered: usize,
    pub rejected: Vec<Rejection>,
    pub input: InputFile,
    /// The answer time's format and whether it was detected.
    pub date_format: Option<(String, bool)>,
}

/// Column names a preset looks for, per field in [`SURVEY_FIELDS`] order, first match wins.
fn preset_columns(preset: SurveyPreset) -> [&'static [&'static str]; 4] {
    match preset {
        SurveyPreset::Generic => [&["ticket_id"], &["submitted_at"], &["rating"], &["comment"]],
        // The fields of Zendesk's satisfaction rating records. `updated_at` comes first
        // because a requester may change a rating, and the score is the one given then.
        SurveyPreset::Zendesk => [
            &["ticket_id", "ticket id"],
            &["updated_at", "updated at", "created_at", "created at"],
            &["score"],
            &["comment"],
        ],
    }
}

/// The column index and header name of each survey field in an export.
struct Columns {
    ticket: (usize, String),
    submitted: (usize, String),
    rating: (usize, String),
    comment: Option<(usize, String)>,
}

fn resolve_columns(table: &Table, import: &SurveyImport) -> Result<Columns, InputError> {
    let candidates = preset_columns(import.preset);
    let mut found: Vec<Option<(usize, String)>> = Vec::with_capacity(SURVEY_FIELDS.len());
    for (field, names) in SURVEY_FIELDS.iter().zip(candidates) {
        let located = match import.columns.get(*field) {
            Some(column) => {
                let index = table.column(column).ok_or_else(|| {
                    let headers: Vec<&str> = table.headers().iter().map(String::as_str).collect();
                    InputError::new(
                        table.file(),
                        Some(1),
                        None,
                        format!(
                            "no column `{column}`, which the import's columns map to `{field}`{}",
                            suggestion_or_list(column, &headers)
                        ),
                    )
                })?;
                Some(index)
            }
            None => names.iter().find_map(|name| table.column(name)),
        };
        found.push(located.map(|index| (index, table.headers()[index].clone())));
    }
    let required = |position: usize| {
        found[position].clone().ok_or_else(|| {
            let field = SURVEY_FIELDS[position];
            let expected: Vec<String> = candidates[position]
                .iter()
                .map(|name| format!("`{name}`"))
                .collect();
            InputError::new(
                table.file(),
                Some(1),
                None,
                format!(
                    "no column for the survey field `{field}`: the {} preset looks for {}; name the column with columns = {{ {field} = \"…\" }} in the import",
                    import.preset.name(),
                    expected.join(" or ")
                ),
            )
        })
    };
    Ok(Columns {
        ticket: required(0)?,
        submitted: required(1)?,
        rating: required(2)?,
        comment: found[3].clone(),
    })
}

/// Reads a rating on `scale`: `Ok(None)` for a survey sent but not answered.
pub fn parse_rating(scale: SurveyScale, text: &str) -> Result<Option<u8>, String> {
    let normal = text.trim().to_lowercase().replace('_', " ");
    if matches!(
        normal.as_str(),
        "" | "offered" | "unoffered" | "not offered"
    ) {
        return Ok(None);
    }
    let number = |range: std::ops::RangeInclusive<u8>, expected: &str| match normal.parse::<u8>() {
        Ok(value) if range.contains(&value) => Ok(Some(value)),
        _ => Err(expected.to_string()),
    };
    match scale {
        SurveyScale::FivePoint => number(1..=5, "expected a whole number from 1 to 5 (scale \"1-5\")"),
        SurveyScale::ZeroToTen => {
            number(0..=10, "expected a whole number from 0 to 10 (scale \"0-10\")")
        }
        SurveyScale::GoodBad => match normal.as_str() {
            "good" | "good with comment" | "good without comment" => Ok(Some(2)),
            "bad" | "bad with comment" | "bad without comment" => Ok(Some(1)),
            _ => Err("expected Good or Bad (scale \"good-bad\"), or Offered or Unoffered for a survey without an answer".to_string()),
        },
    }
}

/// One data row of an export, as text.
struct RawRow {
    line: u64,
    ticket: String,
    submitted: String,
    rating: String,
    comment: String,
}

/// Reads one survey export. Errors stop the build: a missing file or column, or an answer
/// time column whose format cannot be settled. Unusable rows are only rejected.
pub fn read_import(
    import: &SurveyImport,
    config: &Config,
    project_dir: &Path,
) -> Result<ImportedAnswers, InputError> {
    let name = import.file.to_string_lossy().into_owned();
    let path = Config::resolve(project_dir, &import.file);
    let mut table = Table::open(&path, &name, &ReadOptions::default())?;
    let columns = resolve_columns(&table, import)?;

    let mut rows = Vec::new();
    while let Some(row) = table.next_row()? {
        let cell = |index: usize| row.get(index).map(text).unwrap_or("").trim().to_string();
        rows.push(RawRow {
            line: row.line,
            ticket: cell(columns.ticket.0),
            submitted: cell(columns.submitted.0),
            rating: cell(columns.rating.0),
            comment: columns
                .comment
                .as_ref()
                .map(|(index, _)| cell(*index))
                .unwrap_or_default(),
        });
    }
    let input = table.finish()?;

    let format = settle_format(import, &name, &columns.submitted.1, &rows)?;
    let zone = import.timezone.unwrap_or(config.tickets.timezone).0;
    let mut converter = LocalConverter::new(zone, config.tickets.ambiguous_times);
    let scale = import.scale();

    let mut imported = ImportedAnswers {
        answers: Vec::with_capacity(rows.len()),
        lines: Vec::with_capacity(rows.len()),
        unanswered: 0,
        rejected: Vec::new(),
        input,
        date_format: format
            .as_ref()
            .map(|(format, detected)| (format.pattern().to_string(), *detected)),
    };
    for row in rows {
        let reject = |column: &str, value: &str, reason: String| Rejection {
            file: name.clone(),
            line: row.line,
            ticket: row.ticket.clone(),
            column: column.to_string(),
            value: value.to_string(),
            reason,
        };
        let rating = match parse_rating(scale, &row.rating) {
            Ok(Some(rating)) => rating,
            Ok(None) => {
                imported.unanswered += 1;
                continue;
            }
            Err(reason) => {
                imported
                    .rejected
                    .push(reject(&columns.rating.1, &row.rating, reason));
                continue;
            }
        };
        if row.ticket.is_empty() {
            let reason = "the ticket id is empty".to_string();
            imported
                .rejected
                .push(reject(&columns.ticket.1, "", reason));
            continue;
        }
        let submitted_at = match read_time(&row.submitted, format.as_ref(), &mut converter) {
            Ok(instant) => instant,
            Err(reason) => {
                imported
                    .rejected
                    .push(reject(&columns.submitted.1, &row.submitted, reason));
                continue;
            }
        };
        imported.answers.push(Answer {
            ticket_id: row.ticket,
            submitted_at,
            rating,
            comment: row.comment,
        });
        imported.lines.push(row.line);
    }
    Ok(imported)
}

/// The answer time's format: the declared one, or the one that reads every value of the column.
/// `None` when the column contains no value at all.
fn settle_format(
    import: &SurveyImport,
    file: &str,
    column: &str,
    rows: &[RawRow],
) -> Result<Option<(DateFormat, bool)>, InputError> {
    if let Some(pattern) = &import.date_format {
        let format = DateFormat::compile(pattern)
            .map_err(|message| InputError::new(file, None, Some(column), message))?;
        return Ok(Some((format, false)));
    }
    let mut detector = ColumnDetector::default();
    for row in rows.iter().filter(|row| !row.submitted.is_empty()) {
        detector.feed(&row.submitted, row.line);
    }
    match detector.finish() {
        Ok(format) => Ok(Some((format, true))),
        Err(DetectError::Empty) => Ok(None),
        Err(DetectError::NoFormat { value, line }) => Err(InputError::new(
            file,
            Some(line),
            Some(column),
            format!(
                "cannot detect the date format: no value, such as `{value}`, fits a known form; declare it with date_format = \"%d/%m/%Y %H:%M\" in the import"
            ),
        )),
        Err(DetectError::Ambiguous { formats, examples }) => {
            let examples: Vec<String> = examples.iter().map(|e| format!("`{e}`")).collect();
            Err(InputError::new(
                file,
                None,
                Some(column),
                format!(
                    "ambiguous date format: every value, such as {}, reads as `{}` and as `{}`; declare which with date_format = \"{}\" in the import",
                    examples.join(", "),
                    formats[0],
                    formats[1],
                    formats[0]
                ),
            ))
        }
    }
}

fn read_time(
    value: &str,
    format: Option<&(DateFormat, bool)>,
    converter: &mut LocalConverter,
) -> Result<i64, String> {
    if value.is_empty() {
        return Err("the answer time is missing".to_string());
    }
    let Some((format, _)) = format else {
        return Err(format!(
            "invalid date `{value}`: the column has no date format"
        ));
    };
    let stamp = format.parse(value).ok_or_else(|| {
        format!(
            "invalid date `{value}`: expected the column's format `{}`; set date_format in the import if the whole column uses another form",
            format.pattern()
        )
    })?;
    match stamp {
        Stamp::Instant(instant) => Ok(instant),
        Stamp::Local(local) => match converter.convert(local) {
            Ok(resolved) => Ok(resolved.instant),
            Err(LocalTimeError::Nonexistent) => Err(format!(
                "`{value}` does not exist in {} (the clocks jump forward over it); set timezone in the import if the export uses another zone",
                converter.zone()
            )),
            Err(LocalTimeError::Ambiguous) => Err(format!(
                "`{value}` occurs twice in {} (the clocks go back) and ambiguous_times = \"reject\" in [tickets]",
                converter.zone()
            )),
        },
    }
}

#[cfg(test)]
mod tests;
