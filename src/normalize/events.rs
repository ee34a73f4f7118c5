//! The `[events]` file: a ticket history kept apart from the tickets file.
//!
//! Each row is one event of one ticket: `ticket, at, kind, value`, where kind is `status`,
//! `priority`, `group`, `customer_message`, `reply_public`, `reply_internal` or `auto_reply`
//! (or a label that `[events.values.kind]` maps to one). Status, priority and group events
//! carry the new value; messages carry none that the clocks read, so their text is not kept.
//!
//! The file is read before the tickets are built. Each ticket's history is then merged in
//! time order with what the tickets file records, so that everything derived from history
//! (first response, resolution, final status, initial priority) uses all of it. A row that
//! cannot be used is rejected with its line and reason, and so is one that names a ticket the
//! tickets file does not have. No row is dropped silently.

use rustc_hash::FxHashMap as HashMap;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use crate::config::{suggestion_or_list, Config, EventsConfig};
use crate::load::{InputError, InputFile, ReadOptions, Row, Table};
use crate::normalize::columns::NullTokens;
use crate::normalize::dates::{ColumnDetector, DateFormat, DetectError, Stamp};
use crate::normalize::presets::Preset;
use crate::normalize::{
    Event, EventKind, Rejection, Repair, RepairKind, StatusClass, Sym, Symbols,
};
use crate::time::{format_utc, Instant, LocalConverter, LocalTimeError};

/// The canonical columns of an events file, with the names each is found under by default.
const COLUMNS: [(&str, &[&str]); 4] = [
    ("ticket", &["ticket_id", "ticket", "number", "id"]),
    ("at", &["at", "time", "timestamp", "created_at"]),
    ("kind", &["kind", "type", "event"]),
    ("value", &["value", "new_value"]),
];
const TICKET: usize = 0;
const AT: usize = 1;
const KIND: usize = 2;
const VALUE: usize = 3;

/// Fields whose file values `[events.values.FIELD]` can map.
const MAPPED_FIELDS: &[&str] = &["kind", "status", "priority"];

/// One event read from the file, with the line it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FileEvent {
    pub line: u64,
    pub event: Event,
}

/// The events file, read and grouped by ticket.
#[derive(Debug)]
pub(super) struct History {
    /// The file's name as the config writes it.
    pub file: String,
    pub input: InputFile,
    /// Whether the file records agent replies of any kind, so that a ticket without a public
    /// reply has no first response instead of one guessed from its status.
    pub records_replies: bool,
    /// Whether the file records status changes.
    pub records_status: bool,
    /// The name of the ticket id column, for rejections.
    ticket_column: String,
    /// The column names, trimmed, in file order.
    pub headers: Vec<String>,
    by_ticket: HashMap<Box<str>, Vec<FileEvent>>,
}

/// The state the events reader shares with the tickets reader: interned strings, status
/// classes, and the data-quality lists.
pub(super) struct Shared<'a> {
    pub config: &'a Config,
    pub preset: &'static Preset,
    pub symbols: &'a mut Symbols,
    pub status_classes: &'a mut BTreeMap<Sym, StatusClass>,
    pub rejected: &'a mut Vec<Rejection>,
    pub repairs: &'a mut Vec<Repair>,
}

impl History {
    /// Removes and returns a ticket's events, in time order (file order among equal times).
    pub fn take(&mut self, id: &str) -> Vec<FileEvent> {
        let mut events = self.by_ticket.remove(id).unwrap_or_default();
        events.sort_by_key(|e| e.event.at);
        events
    }

    /// Rejects the rows of tickets that no ticket claimed: ids the tickets file does not have,
    /// or whose rows there were rejected (`rejected_ids`).
    pub fn reject_unclaimed(
        self,
        rejected_ids: &HashSet<Box<str>>,
        tickets_file: &str,
    ) -> Vec<Rejection> {
        let mut rows = Vec::new();
        for (id, events) in self.by_ticket {
            let reason = if rejected_ids.contains(&id) {
                format!("ticket `{id}` was rejected in {tickets_file}, so its events are left out")
            } else {
                format!(
                    "no ticket `{id}` in {tickets_file}; check the id, or that both files come from the same export"
                )
            };
            for event in events {
                rows.push(Rejection {
                    file: self.file.clone(),
                    line: event.line,
                    ticket: id.to_string(),
                    column: self.ticket_column.clone(),
                    value: id.to_string(),
                    reason: reason.clone(),
                });
            }
        }
        rows
    }
}

/// Appends a ticket's file events to its history, which starts at `start` in `events`, and
/// puts the whole history in time order. Among equal times the tickets file's events stay
/// first, and the file's keep their order.
pub(super) fn merge(events: &mut Vec<Event>, start: usize, file_events: &[FileEvent]) {
    if file_events.is_empty() {
        return;
    }
    events.extend(file_events.iter().map(|e| e.event));
    events[start..].sort_by_key(|event| event.at);
}

/// Tells whether an agent wrote the event, to the requester or about the ticket.
fn is_reply(kind: EventKind) -> bool {
    matches!(
        kind,
        EventKind::ReplyPublic | EventKind::ReplyInternal | EventKind::AutoReply
    )
}

/// Tells whether a ticket's history records agent replies.
pub(super) fn has_replies(history: &[Event]) -> bool {
    history.iter().any(|event| is_reply(event.kind))
}

/// Finds the first public agent reply at or after the opening. Internal notes and automatic
/// replies never count, and a later reopen does not reset it.
pub(super) fn first_public_reply(history: &[Event], opened: Instant) -> Option<Instant> {
    history
        .iter()
        .find(|event| event.kind == EventKind::ReplyPublic && event.at >= opened)
        .map(|event| event.at)
}

/// Finds the first change to a status that is not `new`, which is the first response of an
/// export that records no replies.
pub(super) fn first_left_new(
    history: &[Event],
    class: impl Fn(Sym) -> Option<StatusClass>,
) -> Option<Instant> {
    history
        .iter()
        .filter(|event| event.kind == EventKind::Status)
        .find(|event| class(event.value).is_some_and(|class| class != StatusClass::New))
        .map(|event| event.at)
}

/// Returns the status of a ticket's last status change, or `Sym::NONE` without one.
pub(super) fn last_status(history: &[Event]) -> Sym {
    history
        .iter()
        .rev()
        .find(|event| event.kind == EventKind::Status)
        .map_or(Sym::NONE, |event| event.value)
}

/// Finds the last move into a resolved status among a ticket's file events.
pub(super) fn last_resolved(
    file_events: &[FileEvent],
    class: impl Fn(Sym) -> Option<StatusClass>,
) -> Option<FileEvent> {
    let mut last = None;
    let mut previous = None;
    for event in file_events
        .iter()
        .filter(|e| e.event.kind == EventKind::Status)
    {
        let current = class(event.event.value);
        if current == Some(StatusClass::Resolved) && previous != Some(StatusClass::Resolved) {
            last = Some(*event);
        }
        previous = current;
    }
    last
}

/// Reads the events file of a project.
pub(super) fn read(
    settings: &EventsConfig,
    project_dir: &Path,
    shared: Shared<'_>,
) -> Result<History, InputError> {
    let config = shared.config;
    let file = settings.file.to_string_lossy().replace('\\', "/");
    let path = Config::resolve(project_dir, &settings.file);
    let delimiter = crate::load::delimiter_byte(&file, settings.delimiter, "[events]")?;
    for field in settings.values.keys() {
        if !MAPPED_FIELDS.contains(&field.as_str()) {
            return Err(InputError::new(
                &file,
                None,
                None,
                format!(
                    "unknown field `{field}` in [events.values]{}",
                    suggestion_or_list(field, MAPPED_FIELDS)
                ),
            ));
        }
    }
    let options = ReadOptions {
        encoding: settings.encoding,
        delimiter,
    };
    let null_tokens: Vec<String> = match (&settings.null, &config.tickets.null) {
        (Some(tokens), _) | (None, Some(tokens)) => tokens.clone(),
        (None, None) => shared.preset.null.iter().map(|t| t.to_string()).collect(),
    };
    let nulls = NullTokens::new(&null_tokens);

    let mut table = Table::open(&path, &file, &options)?;
    let columns = resolve_columns(&table, &settings.columns)?;
    let headers = table.headers().to_vec();
    let format = match &settings.date_format {
        Some(pattern) => DateFormat::compile(pattern)
            .map_err(|message| InputError::new(&file, None, Some(&columns.names[AT]), message))?,
        None => detect_format(&mut table, &columns, &nulls)?,
    };
    drop(table);

    let zone = settings.timezone.unwrap_or(config.tickets.timezone).0;
    let mut reader = EventReader {
        file: file.clone(),
        settings,
        columns,
        nulls,
        format,
        converter: LocalConverter::new(zone, config.tickets.ambiguous_times),
        shared,
    };
    let mut by_ticket: HashMap<Box<str>, Vec<FileEvent>> = HashMap::default();
    let (mut records_replies, mut records_status) = (false, false);
    let mut table = Table::open(&path, &file, &options)?;
    while let Some(row) = table.next_row()? {
        let Some((id, event)) = reader.event(&row) else {
            continue;
        };
        records_replies |= is_reply(event.kind);
        records_status |= event.kind == EventKind::Status;
        let line = row.line;
        match by_ticket.get_mut(id) {
            Some(events) => events.push(FileEvent { line, event }),
            None => {
                by_ticket.insert(id.into(), vec![FileEvent { line, event }]);
            }
        }
    }
    let input = table.finish()?;
    Ok(History {
        file,
        input,
        records_replies,
        records_status,
        ticket_column: reader.columns.names[TICKET].clone(),
        headers,
        by_ticket,
    })
}

/// The index of each canonical column in the file, and the name it was found under.
struct Columns {
    indexes: [Option<usize>; 4],
    names: [String; 4],
}

fn resolve_columns(
    table: &Table,
    overrides: &BTreeMap<String, String>,
) -> Result<Columns, InputError> {
    let canonical: Vec<&str> = COLUMNS.iter().map(|(name, _)| *name).collect();
    let mut columns = Columns {
        indexes: [None; 4],
        names: COLUMNS.map(|(name, _)| name.to_string()),
    };
    for (field, column) in overrides {
        let Some(slot) = canonical.iter().position(|name| name == field) else {
            return Err(InputError::new(
                table.file(),
                None,
                None,
                format!(
                    "unknown field `{field}` in [events.columns]{}",
                    suggestion_or_list(field, &canonical)
                ),
            ));
        };
        let Some(index) = table.column(column) else {
            let headers: Vec<&str> = table.headers().iter().map(String::as_str).collect();
            return Err(InputError::new(
                table.file(),
                Some(1),
                None,
                format!(
                    "no column `{column}`, which [events.columns] maps to `{field}`{}",
                    suggestion_or_list(column, &headers)
                ),
            ));
        };
        columns.indexes[slot] = Some(index);
        columns.names[slot] = table.headers()[index].clone();
    }
    for (slot, (field, names)) in COLUMNS.iter().enumerate() {
        if columns.indexes[slot].is_some() {
            continue;
        }
        if let Some(index) = names.iter().find_map(|name| table.column(name)) {
            columns.indexes[slot] = Some(index);
            columns.names[slot] = table.headers()[index].clone();
        } else if slot != VALUE {
            let expected: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            return Err(InputError::new(
                table.file(),
                Some(1),
                None,
                format!(
                    "missing column for `{field}`: expected {}; name the column that holds it with [events.columns] {field} = \"COLUMN\"",
                    expected.join(" or ")
                ),
            ));
        }
    }
    Ok(columns)
}

/// Detects the format of the time column over the whole file, as the tickets reader does.
fn detect_format(
    table: &mut Table,
    columns: &Columns,
    nulls: &NullTokens,
) -> Result<DateFormat, InputError> {
    let index = columns.indexes[AT].unwrap_or_default();
    let name = columns.names[AT].as_str();
    let mut detector = ColumnDetector::default();
    while let Some(row) = table.next_row()? {
        if let Some(value) = nulls.value(row.get(index)) {
            detector.feed(value, row.line);
        }
        if detector.is_settled() {
            break;
        }
    }
    detector.finish().map_err(|error| match error {
        DetectError::Empty => InputError::new(
            table.file(),
            None,
            Some(name),
            "the time column is empty: every event needs a time",
        ),
        DetectError::NoFormat { value, line } => InputError::new(
            table.file(),
            Some(line),
            Some(name),
            format!(
                "cannot detect the date format: no value, such as `{value}`, fits a known form; \
                 declare it with date_format = \"%d/%m/%Y %H:%M\" in [events]"
            ),
        ),
        DetectError::Ambiguous { formats, examples } => {
            let examples: Vec<String> = examples.iter().map(|e| format!("`{e}`")).collect();
            InputError::new(
                table.file(),
                None,
                Some(name),
                format!(
                    "ambiguous date format: every value, such as {}, reads as `{}` and as `{}`; \
                     declare which with date_format = \"{}\" in [events]",
                    examples.join(", "),
                    formats[0],
                    formats[1],
                    formats[0]
                ),
            )
        }
    })
}

struct EventReader<'a> {
    file: String,
    settings: &'a EventsConfig,
    columns: Columns,
    nulls: NullTokens,
    format: DateFormat,
    converter: LocalConverter,
    shared: Shared<'a>,
}

impl EventReader<'_> {
    fn cell<'r>(&self, row: &Row<'r>, slot: usize) -> Option<&'r str> {
        self.columns.indexes[slot].and_then(|index| self.nulls.value(row.get(index)))
    }

    fn reject(&mut self, row: &Row<'_>, ticket: &str, slot: usize, value: &str, reason: String) {
        self.shared.rejected.push(Rejection {
            file: self.file.clone(),
            line: row.line,
            ticket: ticket.to_string(),
            column: self.columns.names[slot].clone(),
            value: value.to_string(),
            reason,
        });
    }

    /// Reads one row into an event of a ticket; `None` when the row is rejected.
    fn event<'r>(&mut self, row: &Row<'r>) -> Option<(&'r str, Event)> {
        let Some(id) = self.cell(row, TICKET) else {
            self.reject(row, "", TICKET, "", "missing ticket id".to_string());
            return None;
        };
        let at = self.time(row, id)?;
        let Some(label) = self.cell(row, KIND) else {
            self.reject(row, id, KIND, "", "missing event kind".to_string());
            return None;
        };
        let mapped = lookup(self.settings.values.get("kind"), label).unwrap_or(label);
        let Some(kind) = EventKind::parse(mapped) else {
            let names: Vec<&str> = EventKind::ALL.iter().map(|kind| kind.name()).collect();
            let reason = format!(
                "unknown event kind `{label}`: expected one of {}; map it in [events.values.kind], e.g. \"{label}\" = \"reply_public\"",
                names.join(", ")
            );
            self.reject(row, id, KIND, label, reason);
            return None;
        };
        let value = match kind {
            EventKind::Status => self.status(row, id)?,
            EventKind::Priority => self.priority(row, id)?,
            EventKind::Group => match self.cell(row, VALUE) {
                Some(group) => self.shared.symbols.intern(group),
                None => {
                    let reason = "missing group: a group event names the new group".to_string();
                    self.reject(row, id, VALUE, "", reason);
                    return None;
                }
            },
            EventKind::CustomerMessage
            | EventKind::ReplyPublic
            | EventKind::ReplyInternal
            | EventKind::AutoReply => Sym::NONE,
        };
        Some((id, Event { at, kind, value }))
    }

    fn time(&mut self, row: &Row<'_>, id: &str) -> Option<Instant> {
        let Some(value) = self.cell(row, AT) else {
            self.reject(
                row,
                id,
                AT,
                "",
                "missing time: every event needs one".to_string(),
            );
            return None;
        };
        let Some(stamp) = self.format.parse(value) else {
            let reason = format!(
                "invalid date `{value}`: expected the column's format `{}`; set date_format in [events] if the whole column uses another form",
                self.format.pattern()
            );
            self.reject(row, id, AT, value, reason);
            return None;
        };
        let local = match stamp {
            Stamp::Instant(instant) => return Some(instant),
            Stamp::Local(local) => local,
        };
        let zone = self.converter.zone();
        match self.converter.convert(local) {
            Ok(resolved) => {
                if resolved.ambiguous {
                    let chosen = match self.shared.config.tickets.ambiguous_times {
                        crate::config::AmbiguousTimes::Later => "later",
                        _ => "earlier",
                    };
                    self.shared.repairs.push(Repair {
                        kind: RepairKind::AmbiguousLocalTime,
                        ticket: id.to_string(),
                        line: row.line,
                        column: self.columns.names[AT].clone(),
                        value: value.to_string(),
                        action: format!(
                            "in {}: occurs twice in {zone} (clocks go back); the {chosen} occurrence, {}, was used",
                            self.file,
                            format_utc(resolved.instant)
                        ),
                        file: self.file.clone(),
                    });
                }
                Some(resolved.instant)
            }
            Err(LocalTimeError::Nonexistent) => {
                let reason = format!(
                    "local time `{value}` does not exist in {zone} (the clocks jump forward over it); \
                     correct the value, or check the file's zone in [events] timezone"
                );
                self.reject(row, id, AT, value, reason);
                None
            }
            Err(LocalTimeError::Ambiguous) => {
                let reason = format!(
                    "local time `{value}` occurs twice in {zone} (the clocks go back) and ambiguous_times = \"reject\"; \
                     correct the value or choose ambiguous_times = \"earlier\" or \"later\""
                );
                self.reject(row, id, AT, value, reason);
                None
            }
        }
    }

    /// Maps a status value as the tickets file's statuses are mapped, and learns its class.
    fn status(&mut self, row: &Row<'_>, id: &str) -> Option<Sym> {
        let Some(value) = self.cell(row, VALUE) else {
            let reason = "missing status: a status event names the new status".to_string();
            self.reject(row, id, VALUE, "", reason);
            return None;
        };
        let config = self.shared.config;
        let label = lookup(self.settings.values.get("status"), value)
            .or_else(|| lookup(config.tickets.values.get("status"), value))
            .unwrap_or_else(|| self.shared.preset.status_label(value));
        let sym = self.shared.symbols.intern(label);
        if !self.shared.status_classes.contains_key(&sym) {
            let class = match self.shared.preset.status_class(label) {
                Some(class) => class,
                None => {
                    self.shared.repairs.push(Repair {
                        kind: RepairKind::UnknownStatus,
                        ticket: id.to_string(),
                        line: row.line,
                        column: self.columns.names[VALUE].clone(),
                        value: label.to_string(),
                        action: format!(
                            "in {}: status `{label}` is not one the preset `{}` knows; tickets count as open while in it",
                            self.file, self.shared.preset.name
                        ),
                        file: self.file.clone(),
                    });
                    StatusClass::Open
                }
            };
            self.shared.status_classes.insert(sym, class);
        }
        Some(sym)
    }

    /// Maps a priority value to `P1`…`P9`, interned.
    fn priority(&mut self, row: &Row<'_>, id: &str) -> Option<Sym> {
        let Some(value) = self.cell(row, VALUE) else {
            let reason = "missing priority: a priority event names the new priority".to_string();
            self.reject(row, id, VALUE, "", reason);
            return None;
        };
        let config = self.shared.config;
        let priority = lookup(self.settings.values.get("priority"), value)
            .or_else(|| lookup(config.tickets.values.get("priority"), value))
            .and_then(crate::normalize::Priority::parse)
            .or_else(|| self.shared.preset.priority(value));
        match priority {
            Some(priority) => Some(self.shared.symbols.intern(&priority.to_string())),
            None => {
                let reason = format!(
                    "unknown priority label `{value}`: expected a code such as `3`, `P3` or a name such as `High`; \
                     map it in [events.values.priority], e.g. \"{value}\" = \"P3\""
                );
                self.reject(row, id, VALUE, value, reason);
                None
            }
        }
    }
}

/// Looks a value up in a `values` table, ignoring case.
fn lookup<'a>(table: Option<&'a BTreeMap<String, String>>, value: &str) -> Option<&'a str> {
    let value = value.trim();
    table?
        .iter()
        .find(|(label, _)| label.trim().eq_ignore_ascii_case(value))
        .map(|(_, mapped)| mapped.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(at: Instant, kind: EventKind) -> Event {
        Event {
            at,
            kind,
            value: Sym::NONE,
        }
    }

    #[test]
    fn first_public_reply_skips_notes_and_earlier_replies() {
        let history = [
            event(5, EventKind::ReplyPublic),
            event(10, EventKind::CustomerMessage),
            event(11, EventKind::AutoReply),
            event(12, EventKind::ReplyInternal),
            event(20, EventKind::ReplyPublic),
            event(30, EventKind::ReplyPublic),
        ];
        assert_eq!(first_public_reply(&history, 10), Some(20));
        assert_eq!(first_public_reply(&history[..4], 10), None);
        assert!(has_replies(&history[2..3]));
        assert!(!has_replies(&history[1..2]));
    }

    #[test]
    fn merge_keeps_ticket_events_first_among_equal_times() {
        let mut events = vec![
            event(0, EventKind::Group),
            event(10, EventKind::Status),
            event(20, EventKind::Status),
        ];
        let file = [
            FileEvent {
                line: 2,
                event: event(10, EventKind::ReplyPublic),
            },
            FileEvent {
                line: 3,
                event: event(15, EventKind::AutoReply),
            },
        ];
        merge(&mut events, 1, &file);
        let kinds: Vec<(Instant, EventKind)> = events.iter().map(|e| (e.at, e.kind)).collect();
        assert_eq!(
            kinds,
            vec![
                (0, EventKind::Group),
                (10, EventKind::Status),
                (10, EventKind::ReplyPublic),
                (15, EventKind::AutoReply),
                (20, EventKind::Status),
            ]
        );
    }

    #[test]
    fn last_resolved_is_the_last_move_into_resolved() {
        let (new, resolved, closed, open) = (Sym(1), Sym(2), Sym(3), Sym(4));
        let class = |sym: Sym| match sym.0 {
            1 => Some(StatusClass::New),
            2 => Some(StatusClass::Resolved),
            3 => Some(StatusClass::Closed),
            4 => Some(StatusClass::Open),
            _ => None,
        };
        let status = |line: u64, at: Instant, value: Sym| FileEvent {
            line,
            event: Event {
                at,
                kind: EventKind::Status,
                value,
            },
        };
        let events = [
            status(2, 0, new),
            status(3, 10, resolved),
            status(4, 20, closed),
            status(5, 30, open),
            status(6, 40, resolved),
            status(7, 50, resolved),
        ];
        assert_eq!(last_resolved(&events, class).map(|e| e.line), Some(6));
        assert_eq!(last_resolved(&events[..3], class).map(|e| e.line), Some(3));
        assert_eq!(first_left_new(&events.map(|e| e.event), class), Some(10));
    }
}
