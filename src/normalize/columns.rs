//! Resolving canonical fields to the columns of one file, and reading their cells.

use std::collections::BTreeMap;

use crate::config::suggestion_or_list;
use crate::load::{text, InputError, Row, Table};
use crate::normalize::dates::{ColumnDetector, DateFormat, DetectError, Stamp};
use crate::normalize::presets::Preset;
use crate::normalize::{Field, CANONICAL_FIELDS};

/// The fields that hold timestamps. `Comments` cells start with one (`date;author;body`).
pub const DATE_FIELDS: &[Field] = &[
    Field::Opened,
    Field::FirstResponse,
    Field::Resolved,
    Field::Closed,
    Field::Updated,
    Field::ResolutionDue,
    Field::Comments,
];

/// Fields whose values an export spreads over several columns with the same header.
const REPEATED_FIELDS: &[Field] = &[Field::Labels, Field::Comments];

/// Where each canonical field is in a file.
#[derive(Debug, Clone)]
pub struct ColumnMap {
    indexes: [Option<usize>; Field::ALL.len()],
    names: [Option<String>; Field::ALL.len()],
    /// Every column of each field, in file order: several for a repeated header.
    repeated: [Vec<usize>; Field::ALL.len()],
}

impl Default for ColumnMap {
    fn default() -> Self {
        ColumnMap {
            indexes: [None; Field::ALL.len()],
            names: std::array::from_fn(|_| None),
            repeated: std::array::from_fn(|_| Vec::new()),
        }
    }
}

impl ColumnMap {
    /// Finds each field's column: the project's mapping first, then the preset's names.
    /// A mapped column that is missing is an error; a preset column that is missing is not.
    pub fn resolve(
        table: &Table,
        preset: &Preset,
        overrides: &BTreeMap<String, String>,
        config_key: &str,
    ) -> Result<ColumnMap, InputError> {
        let mut map = ColumnMap::default();
        for (field, column) in overrides {
            let Some(field) = Field::parse(field) else {
                return Err(InputError::new(
                    table.file(),
                    None,
                    None,
                    format!(
                        "unknown field `{field}` in [{config_key}.columns]{}",
                        suggestion_or_list(field, CANONICAL_FIELDS)
                    ),
                ));
            };
            let index = table.column(column).ok_or_else(|| {
                let headers: Vec<&str> = table.headers().iter().map(String::as_str).collect();
                InputError::new(
                    table.file(),
                    Some(1),
                    None,
                    format!(
                        "no column `{column}`, which [{config_key}.columns] maps to `{field}`{}",
                        suggestion_or_list(column, &headers)
                    ),
                )
            })?;
            map.indexes[field as usize] = Some(index);
            map.names[field as usize] = Some(table.headers()[index].clone());
        }
        for field in Field::ALL {
            if map.indexes[field as usize].is_some() {
                continue;
            }
            if let Some((index, name)) = preset.column_names(field).iter().find_map(|name| {
                table
                    .column(name)
                    .map(|index| (index, table.headers()[index].clone()))
            }) {
                map.indexes[field as usize] = Some(index);
                map.names[field as usize] = Some(name);
            }
        }
        for field in Field::ALL {
            let Some(index) = map.indexes[field as usize] else {
                continue;
            };
            map.repeated[field as usize] = match &map.names[field as usize] {
                Some(name) if REPEATED_FIELDS.contains(&field) => table.columns(name),
                _ => vec![index],
            };
        }
        Ok(map)
    }

    pub fn index(&self, field: Field) -> Option<usize> {
        self.indexes[field as usize]
    }

    /// Every column of a field: all the columns under a repeated header such as Jira's
    /// `Labels,Labels`, else the one column the field has, else none.
    pub fn all(&self, field: Field) -> &[usize] {
        &self.repeated[field as usize]
    }

    /// The column name a field was found under.
    pub fn name(&self, field: Field) -> Option<&str> {
        self.names[field as usize].as_deref()
    }

    /// Requires a field, explaining how to map it when the file lacks it.
    pub fn require(
        &self,
        table: &Table,
        preset: &Preset,
        field: Field,
        config_key: &str,
    ) -> Result<usize, InputError> {
        self.index(field).ok_or_else(|| {
            let expected: Vec<String> = preset.column_names(field).iter().map(|c| format!("`{c}`")).collect();
            let headers: Vec<String> = table.headers().iter().take(40).map(|h| format!("`{h}`")).collect();
            InputError::new(
                table.file(),
                Some(1),
                None,
                format!(
                    "missing column for `{field}`: expected {} (preset `{}`); the header has {}; \
                     name the column that holds it with [{config_key}.columns] {field} = \"COLUMN\"",
                    if expected.is_empty() { "a mapped column".to_string() } else { expected.join(" or ") },
                    preset.name,
                    headers.join(", ")
                ),
            )
        })
    }
}

/// Decides which cells count as missing.
#[derive(Debug, Clone)]
pub struct NullTokens {
    tokens: Vec<String>,
    /// Whether some token, raw or trimmed, starts with each byte: most cells start with
    /// another byte and skip the comparisons.
    first_bytes: [bool; 256],
}

impl NullTokens {
    pub fn new(tokens: &[String]) -> NullTokens {
        let mut first_bytes = [false; 256];
        for token in tokens {
            for form in [token.as_str(), token.trim()] {
                if let Some(&byte) = form.as_bytes().first() {
                    first_bytes[usize::from(byte)] = true;
                }
            }
        }
        NullTokens {
            tokens: tokens.to_vec(),
            first_bytes,
        }
    }

    fn is_token(&self, text: &str) -> bool {
        text.as_bytes()
            .first()
            .is_some_and(|&byte| self.first_bytes[usize::from(byte)])
            && self.tokens.iter().any(|token| token == text)
    }

    /// The trimmed text of a cell, or `None` when it is empty or a null token.
    pub fn value<'a>(&self, cell: Option<&'a [u8]>) -> Option<&'a str> {
        let raw = text(cell?);
        let (&first, &last) = (raw.as_bytes().first()?, raw.as_bytes().last()?);
        if self.is_token(raw) {
            return None;
        }
        let trimmed = if first.is_ascii_whitespace()
            || last.is_ascii_whitespace()
            || first >= 0x80
            || last >= 0x80
        {
            raw.trim()
        } else {
            raw
        };
        if trimmed.is_empty() || (trimmed.len() != raw.len() && self.is_token(trimmed)) {
            return None;
        }
        Some(trimmed)
    }
}

/// The format of each date column: declared, or detected over the whole column.
#[derive(Debug, Clone, Default)]
pub struct DateFormats {
    formats: BTreeMap<Field, (DateFormat, bool)>,
}

impl DateFormats {
    pub fn get(&self, field: Field) -> Option<&DateFormat> {
        self.formats.get(&field).map(|(format, _)| format)
    }

    /// Each date column with its format and whether it was detected, for the manifest.
    pub fn describe(&self, columns: &ColumnMap) -> Vec<(String, String, bool)> {
        self.formats
            .iter()
            .map(|(field, (format, detected))| {
                (
                    columns.name(*field).unwrap_or(field.name()).to_string(),
                    format.pattern().to_string(),
                    *detected,
                )
            })
            .collect()
    }

    /// Settles every date column's format. Declared formats are compiled; the others are
    /// detected by reading rows until every column is settled or the file ends. A column whose
    /// format cannot be settled is added to `problems` and left without one; only a file that
    /// cannot be read is an error. Rows with invalid text are skipped here: reading reports them.
    pub fn settle(
        table: &mut Table,
        columns: &ColumnMap,
        nulls: &NullTokens,
        declared: Option<&str>,
        per_column: &BTreeMap<String, String>,
        config_key: &str,
        problems: &mut Vec<InputError>,
    ) -> Result<DateFormats, InputError> {
        let mut formats = DateFormats::default();
        let mut detectors: Vec<(Field, Vec<usize>, ColumnDetector)> = Vec::new();
        for &field in DATE_FIELDS {
            let indexes = columns.all(field).to_vec();
            if indexes.is_empty() {
                continue;
            }
            let name = columns.name(field).unwrap_or(field.name());
            let position = indexes[0] + 1;
            let pattern = per_column
                .iter()
                .find(|(column, _)| column.eq_ignore_ascii_case(name))
                .map(|(_, pattern)| pattern.as_str())
                .or(declared);
            match pattern {
                Some(pattern) => match DateFormat::compile(pattern) {
                    Ok(format) => {
                        formats.formats.insert(field, (format, false));
                    }
                    Err(message) => problems.push(
                        InputError::new(
                            table.file(),
                            Some(table.header_line()),
                            Some(name),
                            message,
                        )
                        .at_field(position),
                    ),
                },
                None => detectors.push((field, indexes, ColumnDetector::default())),
            }
        }
        if detectors.is_empty() {
            return Ok(formats);
        }
        loop {
            let row = match table.next_row() {
                Ok(Some(row)) => row,
                Ok(None) => break,
                Err(problem) if problem.line.is_some() => continue,
                Err(problem) => return Err(problem),
            };
            for (field, indexes, detector) in &mut detectors {
                for &index in indexes.iter() {
                    if let Some(value) = nulls.value(row.get(index)) {
                        if let Some(date) = date_part(*field, value) {
                            detector.feed(date, row.line);
                        }
                    }
                }
            }
            if detectors
                .iter()
                .all(|(_, _, detector)| detector.is_settled())
            {
                break;
            }
        }
        let header_line = table.header_line();
        for (field, indexes, detector) in detectors {
            let name = columns.name(field).unwrap_or(field.name());
            let position = indexes[0] + 1;
            match detector.finish() {
                Ok(format) => {
                    formats.formats.insert(field, (format, true));
                }
                Err(DetectError::Empty) => {}
                Err(DetectError::NoFormat { value, line }) => {
                    problems.push(InputError::new(
                        table.file(),
                        Some(line),
                        Some(name),
                        format!(
                            "cannot detect the date format: no value, such as `{value}`, fits a known form; \
                             declare the column's format, e.g. [{config_key}.date_formats] {name} = \"%d/%m/%Y %H:%M\""
                        ),
                    ).at_field(position))
                }
                Err(DetectError::Ambiguous { formats: candidates, examples }) => {
                    let examples: Vec<String> = examples.iter().map(|e| format!("`{e}`")).collect();
                    problems.push(InputError::new(
                        table.file(),
                        Some(header_line),
                        Some(name),
                        format!(
                            "ambiguous date format: every value, such as {}, reads both as `{}` and as `{}`; \
                             declare which with date_format = \"{}\" or \"{}\" in [{config_key}], or for this \
                             column alone in [{config_key}.date_formats]",
                            examples.join(", "),
                            candidates[0],
                            candidates[1],
                            candidates[0],
                            candidates[1]
                        ),
                    ).at_field(position));
                }
            }
        }
        Ok(formats)
    }
}

/// The timestamp inside a cell: the whole cell, or the date of a `date;author;body` comment.
pub fn date_part(field: Field, value: &str) -> Option<&str> {
    if field == Field::Comments {
        return crate::normalize::presets::jira::split_comment(value).map(|c| c.date);
    }
    Some(value)
}

/// Reads a timestamp cell with its column's format.
pub fn stamp(formats: &DateFormats, field: Field, value: &str) -> Result<Stamp, String> {
    let Some(format) = formats.get(field) else {
        return Err(format!(
            "invalid date `{value}`: the column has no date format"
        ));
    };
    format.parse(value).ok_or_else(|| {
        format!(
            "invalid date `{value}`: expected the column's format `{}`",
            format.pattern()
        )
    })
}

/// A row's cell by field, as trimmed text, `None` when missing.
pub fn cell<'a>(
    row: &Row<'a>,
    columns: &ColumnMap,
    nulls: &NullTokens,
    field: Field,
) -> Option<&'a str> {
    columns
        .index(field)
        .and_then(|index| nulls.value(row.get(index)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(list: &[&str]) -> NullTokens {
        NullTokens::new(&list.iter().map(|t| t.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn default_null_tokens() {
        let nulls = tokens(&["?", "NULL", "N/A", " "]);
        for missing in ["", "?", "NULL", "N/A", " ", "  ", " ? "] {
            assert_eq!(nulls.value(Some(missing.as_bytes())), None, "{missing:?}");
        }
        assert_eq!(nulls.value(Some(b" P1 ")), Some("P1"));
        assert_eq!(nulls.value(Some(b"null")), Some("null"));
        assert_eq!(nulls.value(None), None);
    }

    #[test]
    fn configured_null_tokens_replace_the_defaults() {
        let nulls = tokens(&["-", "(none)"]);
        assert_eq!(nulls.value(Some(b"-")), None);
        assert_eq!(nulls.value(Some(b"(none)")), None);
        assert_eq!(nulls.value(Some(b"?")), Some("?"));
        assert_eq!(nulls.value(Some(b"")), None);
    }
}
