//! Reading a tickets file into canonical tickets and their history.
//!
//! A per-ticket export gives one ticket per row. An event log gives one row per update: the
//! ticket's final values come from its last update by update sequence (`sys_mod_count`; on a
//! tie, the later row), and its status, priority and group history from all its rows in time
//! order. Where the export records no replies, the first update that leaves a `new` status
//! stands for the first response.

mod extras;

use rustc_hash::FxHashMap as HashMap;
use std::path::Path;

use crate::config::{AmbiguousTimes, Config, Layout};
use crate::load::{InputError, ReadOptions, Row, Table};
use crate::normalize::columns::{cell, stamp, ColumnMap, DateFormats, NullTokens};
use crate::normalize::consistency;
use crate::normalize::dates::Stamp;
use crate::normalize::events::{self, FileEvent};
use crate::normalize::presets::{self, Preset};
use crate::normalize::{
    Dataset, Event, EventKind, Field, Priority, Rejection, Repair, RepairKind, StatusClass, Sym,
    Symbols, Ticket, TicketDetails,
};
use crate::time::{format_local, Instant, LocalConverter, LocalTimeError};

/// The columns the build needs from the tickets file beyond the canonical fields.
#[derive(Debug, Clone, Default)]
pub struct ReadPlan {
    /// Export columns to keep on every ticket, such as a verification field a rule checks.
    pub extra_columns: Vec<String>,
}

/// The values of one row that become a ticket's final values.
#[derive(Debug, Clone)]
struct Fields {
    line: u64,
    opened: Instant,
    first_response: Option<Instant>,
    resolved: Option<Instant>,
    closed: Option<Instant>,
    priority: Option<Priority>,
    impact: Option<u8>,
    urgency: Option<u8>,
    status: Sym,
    category: Sym,
    subcategory: Sym,
    team: Sym,
    assignee: Sym,
    requester: Sym,
    channel: Sym,
    title: Sym,
    reassignments: Option<u32>,
    reopens: Option<u32>,
    extra: Box<[Sym]>,
    extras: extras::Extras,
}

/// One update of an event log, as much as the history needs.
#[derive(Debug, Clone, Copy)]
struct Update {
    sequence: i64,
    line: u64,
    at: Instant,
    status: Sym,
    priority: Option<Priority>,
    team: Sym,
}

/// A ticket while its rows are still being read.
#[derive(Debug)]
struct Pending {
    id: Box<str>,
    /// The row with the highest update sequence so far, and that sequence.
    fields: Option<(i64, Fields)>,
    updates: Vec<Update>,
    /// The line of the ticket's first rejected row. The ticket is left out with all its rows,
    /// because its history would be incomplete.
    rejected: Option<u64>,
}

/// The handling of problems in the file itself, as opposed to rejected rows.
struct Problems {
    /// Whether to go on past a problem, listing it, instead of stopping at it.
    collect: bool,
    found: Vec<InputError>,
}

impl Problems {
    /// Records a problem, or returns it as the error that stops reading.
    fn report(&mut self, problem: InputError) -> Result<(), InputError> {
        if self.collect {
            self.found.push(problem);
            Ok(())
        } else {
            Err(problem)
        }
    }
}

/// Reads the tickets file of a project, stopping at the first problem in the file.
pub fn read_tickets(
    config: &Config,
    project_dir: &Path,
    plan: &ReadPlan,
) -> Result<Dataset, InputError> {
    let mut problems = Problems {
        collect: false,
        found: Vec::new(),
    };
    let file = config.tickets.file.to_string_lossy().replace('\\', "/");
    read(config, project_dir, plan, &mut problems)?
        .ok_or_else(|| InputError::new(&file, None, None, "the file could not be read"))
}

/// Reads the tickets file like [`read_tickets`], but goes on past problems in the file and
/// returns all of them. The dataset is `None` when a problem (a missing column, an
/// undecidable date format, an unreadable file) leaves no row readable.
pub fn check_tickets(
    config: &Config,
    project_dir: &Path,
    plan: &ReadPlan,
) -> (Option<Dataset>, Vec<InputError>) {
    let mut problems = Problems {
        collect: true,
        found: Vec::new(),
    };
    match read(config, project_dir, plan, &mut problems) {
        Ok(dataset) => (dataset, problems.found),
        Err(error) => {
            problems.found.push(error);
            (None, problems.found)
        }
    }
}

fn read(
    config: &Config,
    project_dir: &Path,
    plan: &ReadPlan,
    problems: &mut Problems,
) -> Result<Option<Dataset>, InputError> {
    let settings = &config.tickets;
    let file = settings.file.to_string_lossy().replace('\\', "/");
    let path = crate::config::Config::resolve(project_dir, &settings.file);
    let preset = presets::find(&settings.preset)
        .map_err(|message| InputError::new(&file, None, None, message))?;
    let delimiter = crate::load::delimiter_byte(&file, settings.delimiter, "[tickets]")?;
    let options = ReadOptions {
        encoding: settings.encoding,
        delimiter,
    };

    let mut table = Table::open(&path, &file, &options)?;
    let columns = ColumnMap::resolve(&table, preset, &settings.columns, "tickets")?;
    let layout = settings
        .layout
        .unwrap_or_else(|| detect_layout(&table, preset));
    let mut required = vec![Field::Id, Field::Opened];
    if layout == Layout::EventLog {
        required.push(Field::Updated);
    }
    for field in required {
        if let Err(problem) = columns.require(&table, preset, field, "tickets") {
            problems.report(problem)?;
        }
    }
    let mut warnings = Vec::new();
    // Without a priority no ticket has a target, and the site would show no attainment at all.
    // It stays a warning: a separate history file may still give the priorities, and a first
    // build of an unmapped export shows what its columns hold.
    if columns.index(Field::Priority).is_none() {
        let expected: Vec<String> = preset
            .column_names(Field::Priority)
            .iter()
            .map(|c| format!("`{c}`"))
            .collect();
        warnings.push(InputError::new(
            &file,
            Some(table.header_line()),
            None,
            format!(
                "no column for `priority` (expected {}), so no ticket has a priority or an SLA target; name the \
                 column that holds it with [tickets.columns] priority = \"COLUMN\"",
                expected.join(" or ")
            ),
        ));
    }
    let mut extra_indexes = Vec::new();
    for column in &plan.extra_columns {
        match table.column(column) {
            Some(index) => extra_indexes.push(index),
            None => problems.report(InputError::new(
                &file,
                Some(1),
                None,
                format!("missing column `{column}`, which the project's rules read"),
            ))?,
        }
    }
    let null_tokens: Vec<String> = match &settings.null {
        Some(tokens) => tokens.clone(),
        None => preset.null.iter().map(|t| t.to_string()).collect(),
    };
    let nulls = NullTokens::new(&null_tokens);
    let mut format_problems = Vec::new();
    let formats = DateFormats::settle(
        &mut table,
        &columns,
        &nulls,
        settings.date_format.as_deref(),
        &settings.date_formats,
        "tickets",
        &mut format_problems,
    )?;
    for problem in format_problems {
        problems.report(problem)?;
    }
    let headers = table.headers().to_vec();
    drop(table);
    if !problems.found.is_empty() {
        // Without its columns or date formats no row can be read.
        return Ok(None);
    }

    let mut reader = Reader {
        file: file.clone(),
        preset,
        config,
        columns,
        nulls,
        formats,
        extra_indexes,
        converter: LocalConverter::new(settings.timezone.0, settings.ambiguous_times),
        symbols: Symbols::default(),
        rejected: Vec::new(),
        repairs: Vec::new(),
        status_classes: std::collections::BTreeMap::new(),
        replies_recorded: false,
        unknown_statuses: Default::default(),
        reported_statuses: Default::default(),
        priority_labels: HashMap::default(),
        level_labels: HashMap::default(),
    };
    let mut table = Table::open(&path, &file, &options)?;
    let mut pending: Vec<Pending> = Vec::new();
    let mut by_id: HashMap<Box<str>, usize> = HashMap::default();
    let mut first_line: HashMap<usize, u64> = HashMap::default();
    let mut first_digest: HashMap<usize, u64> = HashMap::default();
    let mut latest: Option<LatestRow> = None;
    loop {
        let row = match table.next_row() {
            Ok(Some(row)) => row,
            Ok(None) => break,
            Err(problem) if problem.skips_row => {
                reader.rejected.push(Rejection {
                    file: problem.file,
                    line: problem.line.unwrap_or(0),
                    ticket: String::new(),
                    column: String::new(),
                    value: String::new(),
                    reason: problem.message,
                });
                continue;
            }
            Err(problem) => {
                let on_a_line = problem.line.is_some();
                problems.report(problem.clone())?;
                if on_a_line {
                    continue;
                }
                return Err(problem);
            }
        };
        let Some(id) = cell(&row, &reader.columns, &reader.nulls, Field::Id) else {
            reader.reject(&row, "", Field::Id, "", "missing ticket id");
            continue;
        };
        let index = match by_id.get(id) {
            Some(&index) => index,
            None => {
                pending.push(Pending {
                    id: id.into(),
                    fields: None,
                    updates: Vec::new(),
                    rejected: None,
                });
                by_id.insert(id.into(), pending.len() - 1);
                first_line.insert(pending.len() - 1, row.line);
                pending.len() - 1
            }
        };
        let ticket = &mut pending[index];
        if let Some(line) = ticket.rejected {
            reader
                .rejected
                .push(left_out_with(&file, row.line, id, line));
            continue;
        }
        match layout {
            Layout::PerTicket => {
                let digest = row_digest(&row);
                if ticket.fields.is_some() {
                    let first = first_line.get(&index).copied().unwrap_or(0);
                    if first_digest.get(&index) == Some(&digest) {
                        // An exact copy, as exports that page through a changing list write.
                        let action =
                            format!("an exact copy of line {first}; the ticket is kept once");
                        reader.repair(
                            RepairKind::DuplicateRow,
                            id,
                            row.line,
                            Field::Id,
                            id,
                            action,
                        );
                    } else {
                        let message = format!(
                            "duplicate ticket id `{id}` with different values: first seen on line {first}, \
                             which is kept; this row is left out"
                        );
                        reader.reject(&row, id, Field::Id, id, &message);
                    }
                    continue;
                }
                first_digest.insert(index, digest);
                match reader.fields(&row) {
                    Ok(fields) => ticket.fields = Some((0, fields)),
                    Err(()) => ticket.rejected = Some(row.line),
                }
            }
            Layout::EventLog => match reader.update(&row, ticket.updates.len()) {
                Ok(update) => {
                    let sequence = update.sequence;
                    ticket.updates.push(update);
                    if latest.as_ref().is_some_and(|latest| latest.index != index) {
                        if let Some(done) = latest.take() {
                            done.settle(&mut reader, &mut pending);
                        }
                    }
                    let ticket = &pending[index];
                    let newer = match &latest {
                        Some(latest) => sequence >= latest.sequence,
                        None => ticket
                            .fields
                            .as_ref()
                            .is_none_or(|(best, _)| sequence >= *best),
                    };
                    if newer {
                        let slot = latest.get_or_insert_with(|| LatestRow {
                            index,
                            sequence,
                            line: row.line,
                            record: csv::ByteRecord::new(),
                        });
                        slot.sequence = sequence;
                        slot.line = row.line;
                        slot.record.clone_from(row.record);
                    }
                }
                Err(()) => ticket.rejected = Some(row.line),
            },
        }
    }
    if let Some(done) = latest.take() {
        done.settle(&mut reader, &mut pending);
    }
    let input = table.finish()?;
    let mut history = match &config.events {
        Some(settings) => Some(events::read(settings, project_dir, reader.shared())?),
        None => None,
    };
    reader.replies_recorded = history.as_ref().is_some_and(|h| h.records_replies);

    let mut dataset = Dataset {
        headers,
        preset: preset.name.to_string(),
        layout: Some(layout),
        extra_columns: plan.extra_columns.clone(),
        inputs: vec![input],
        ..Dataset::default()
    };
    pending.sort_by(|a, b| a.id.cmp(&b.id));
    let mut rejected_ids = std::collections::HashSet::new();
    for ticket in pending {
        if let Some(line) = ticket.rejected {
            // The rows read before the rejected one go with it, each listed.
            for update in ticket.updates.iter().filter(|update| update.line != line) {
                reader
                    .rejected
                    .push(left_out_with(&file, update.line, &ticket.id, line));
            }
            rejected_ids.insert(ticket.id);
            continue;
        }
        let Some((_, fields)) = ticket.fields else {
            continue;
        };
        let file_events = history.as_mut().map(|h| h.take(&ticket.id));
        let (ticket, details) = reader.build(
            ticket.id,
            fields,
            ticket.updates,
            file_events.as_deref().unwrap_or_default(),
            layout,
            &mut dataset.events,
        );
        dataset.tickets.push(ticket);
        dataset.details.push(details);
    }
    let history_recorded = history
        .as_ref()
        .is_some_and(|h| h.records_replies || h.records_status);
    if let Some(history) = history {
        dataset.inputs.push(history.input.clone());
        dataset.event_headers = Some((history.file.clone(), history.headers.clone()));
        let unclaimed = history.reject_unclaimed(&rejected_ids, &file);
        reader.rejected.extend(unclaimed);
    }
    let zone = reader.converter.zone();
    consistency::check(
        &mut dataset,
        &reader.columns,
        &file,
        zone,
        &mut reader.rejected,
    );
    dataset.symbols = reader.symbols;
    dataset.status_classes = reader.status_classes;
    dataset.quality.rejected = reader.rejected;
    dataset.quality.rejected.sort();
    dataset.quality.repairs = reader.repairs;
    dataset.quality.repairs.sort();
    dataset.date_formats = reader.formats.describe(&reader.columns);
    let without_priority = dataset
        .tickets
        .iter()
        .filter(|t| t.priority.is_none())
        .count();
    if reader.columns.index(Field::Priority).is_some()
        && without_priority * 2 > dataset.tickets.len()
    {
        warnings.push(InputError::new(
            &file,
            None,
            reader.columns.name(Field::Priority),
            format!(
                "{without_priority} of {} tickets have no priority, so they have no SLA target; check that the \
                 column holds the priority, or map another with [tickets.columns] priority = \"COLUMN\"",
                dataset.tickets.len()
            ),
        ));
    }
    dataset.warnings = warnings;
    dataset.field_columns = Field::ALL
        .into_iter()
        .filter_map(|field| Some((field, reader.columns.name(field)?.to_string())))
        .collect();
    super::inconsistencies::flag_inconsistent_times(&mut dataset, settings.timezone.0);
    dataset.response_recorded = layout == Layout::EventLog
        || [Field::FirstResponse, Field::Comments, Field::ResponseTime]
            .iter()
            .any(|&field| reader.columns.index(field).is_some())
        || history_recorded;
    Ok(Some(dataset))
}

/// Lists a row on `row_line` that is left out because another row of its ticket, on
/// `rejected_line`, was rejected.
fn left_out_with(file: &str, row_line: u64, ticket: &str, rejected_line: u64) -> Rejection {
    Rejection {
        file: file.to_string(),
        line: row_line,
        ticket: ticket.to_string(),
        column: String::new(),
        value: String::new(),
        reason: format!(
            "left out with ticket `{ticket}`, whose line {rejected_line} was rejected: without that \
             row the ticket's history is incomplete; fix line {rejected_line} to audit the ticket"
        ),
    }
}

/// The row with the highest update sequence of the ticket whose rows are being read.
///
/// Rows of one ticket are usually adjacent in an event log, so the ticket's final values are
/// read once, from this row, when the next ticket begins: reading every row's final values
/// cost more than the rest of the row. A ticket whose rows come back later compares them
/// with the values already settled.
struct LatestRow {
    index: usize,
    sequence: i64,
    line: u64,
    record: csv::ByteRecord,
}

impl LatestRow {
    /// Reads the row's final values into its ticket, unless the ticket has newer ones.
    fn settle(self, reader: &mut Reader<'_>, pending: &mut [Pending]) {
        let ticket = &mut pending[self.index];
        if ticket.rejected.is_some()
            || ticket
                .fields
                .as_ref()
                .is_some_and(|(best, _)| *best > self.sequence)
        {
            return;
        }
        let row = Row {
            line: self.line,
            record: &self.record,
        };
        match reader.fields(&row) {
            Ok(fields) => ticket.fields = Some((self.sequence, fields)),
            Err(()) => ticket.rejected = Some(self.line),
        }
    }
}

/// Hashes a row's cells, to tell an exact copy of a row from a different row.
fn row_digest(row: &Row<'_>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    for cell in row.record.iter() {
        cell.hash(&mut hasher);
    }
    hasher.finish()
}

/// Detects an event log by an update-sequence column the preset names, such as `sys_mod_count`.
fn detect_layout(table: &Table, preset: &Preset) -> Layout {
    if preset
        .event_log_columns
        .iter()
        .any(|name| table.column(name).is_some())
    {
        Layout::EventLog
    } else {
        Layout::PerTicket
    }
}

struct Reader<'a> {
    file: String,
    preset: &'static Preset,
    config: &'a Config,
    columns: ColumnMap,
    nulls: NullTokens,
    formats: DateFormats,
    extra_indexes: Vec<usize>,
    converter: LocalConverter,
    symbols: Symbols,
    rejected: Vec<Rejection>,
    repairs: Vec<Repair>,
    status_classes: std::collections::BTreeMap<Sym, StatusClass>,
    /// Whether the events file records agent replies, so that the first response comes
    /// from public replies only.
    replies_recorded: bool,
    /// Status labels the preset does not know.
    unknown_statuses: std::collections::HashSet<Sym>,
    /// Tickets already reported for passing through an unknown status, with the status.
    reported_statuses: std::collections::HashSet<(Box<str>, Sym)>,
    /// Priority labels already mapped, with their priority (`None`: unknown).
    priority_labels: HashMap<Box<str>, Option<Priority>>,
    /// Impact and urgency labels already mapped, with their level.
    level_labels: HashMap<Field, HashMap<Box<str>, Option<u8>>>,
}

impl Reader<'_> {
    fn shared(&mut self) -> events::Shared<'_> {
        events::Shared {
            config: self.config,
            preset: self.preset,
            symbols: &mut self.symbols,
            status_classes: &mut self.status_classes,
            rejected: &mut self.rejected,
            repairs: &mut self.repairs,
        }
    }

    fn reject(&mut self, row: &Row<'_>, ticket: &str, field: Field, value: &str, reason: &str) {
        let column = self.columns.name(field).unwrap_or(field.name()).to_string();
        self.rejected.push(Rejection {
            file: self.file.clone(),
            line: row.line,
            ticket: ticket.to_string(),
            column,
            value: value.to_string(),
            reason: reason.to_string(),
        });
    }

    fn repair(
        &mut self,
        kind: RepairKind,
        ticket: &str,
        line: u64,
        field: Field,
        value: &str,
        action: String,
    ) {
        let column = self.columns.name(field).unwrap_or(field.name()).to_string();
        self.repairs.push(Repair {
            kind,
            ticket: ticket.to_string(),
            line,
            column,
            value: value.to_string(),
            action,
            file: self.file.clone(),
        });
    }

    fn intern(&mut self, row: &Row<'_>, field: Field) -> Sym {
        match cell(row, &self.columns, &self.nulls, field) {
            Some(value) => self.symbols.intern(value),
            None => Sym::NONE,
        }
    }

    /// Reads a timestamp field; `Ok(None)` when the cell is missing.
    fn instant(&mut self, row: &Row<'_>, id: &str, field: Field) -> Result<Option<Instant>, ()> {
        let Some(value) = cell(row, &self.columns, &self.nulls, field) else {
            return Ok(None);
        };
        self.instant_of(row, id, field, value).map(Some)
    }

    /// Reads a timestamp in the format of a field's column, rejecting the row when it is invalid.
    fn instant_of(
        &mut self,
        row: &Row<'_>,
        id: &str,
        field: Field,
        value: &str,
    ) -> Result<Instant, ()> {
        let parsed = match stamp(&self.formats, field, value) {
            Ok(parsed) => parsed,
            Err(message) => {
                let reason = format!(
                    "{message}; set date_format in [tickets] if the whole column uses another form"
                );
                self.reject(row, id, field, value, &reason);
                return Err(());
            }
        };
        match parsed {
            Stamp::Instant(instant) => Ok(instant),
            Stamp::Local(local) => match self.converter.convert(local) {
                Ok(resolved) => {
                    if resolved.ambiguous {
                        let zone = self.converter.zone();
                        let chosen = match self.config.tickets.ambiguous_times {
                            AmbiguousTimes::Later => "later",
                            _ => "earlier",
                        };
                        let action = format!(
                            "occurs twice in {zone} (clocks go back); the {chosen} occurrence, {}, was used",
                            crate::time::format_utc(resolved.instant)
                        );
                        self.repair(
                            RepairKind::AmbiguousLocalTime,
                            id,
                            row.line,
                            field,
                            value,
                            action,
                        );
                    }
                    Ok(resolved.instant)
                }
                Err(LocalTimeError::Nonexistent) => {
                    let zone = self.converter.zone();
                    let reason = format!(
                        "local time `{value}` does not exist in {zone} (the clocks jump forward over it); \
                         correct the value, or check the export's zone in [tickets] timezone"
                    );
                    self.reject(row, id, field, value, &reason);
                    Err(())
                }
                Err(LocalTimeError::Ambiguous) => {
                    let zone = self.converter.zone();
                    let reason = format!(
                        "local time `{value}` occurs twice in {zone} (the clocks go back) and ambiguous_times = \"reject\"; \
                         correct the value or choose ambiguous_times = \"earlier\" or \"later\""
                    );
                    self.reject(row, id, field, value, &reason);
                    Err(())
                }
            },
        }
    }

    fn priority(&mut self, row: &Row<'_>, id: &str) -> Result<Option<Priority>, ()> {
        let Some(label) = cell(row, &self.columns, &self.nulls, Field::Priority) else {
            return Ok(None);
        };
        // Exports repeat a handful of labels, so each is mapped once.
        let known = match self.priority_labels.get(label) {
            Some(&known) => known,
            None => {
                let known = mapped(self.config, Field::Priority, label)
                    .and_then(Priority::parse)
                    .or_else(|| self.preset.priority(label));
                self.priority_labels.insert(label.into(), known);
                known
            }
        };
        if let Some(priority) = known {
            return Ok(Some(priority));
        }
        let label = label.to_string();
        let reason = format!(
            "unknown priority label `{label}`: expected a code such as `3`, a label such as `3 - Moderate`, or a \
             name such as `High`; map it in [tickets.values.priority], e.g. \"{label}\" = \"P3\""
        );
        self.reject(row, id, Field::Priority, &label, &reason);
        Err(())
    }

    fn level(&mut self, row: &Row<'_>, field: Field) -> Option<u8> {
        let label = cell(row, &self.columns, &self.nulls, field)?;
        let labels = self.level_labels.entry(field).or_default();
        if let Some(&level) = labels.get(label) {
            return level;
        }
        let level = match mapped(self.config, field, label) {
            Some(mapped) => mapped.trim().parse().ok(),
            None => self.preset.level(label),
        };
        labels.insert(label.into(), level);
        level
    }

    fn status(&mut self, row: &Row<'_>, id: &str) -> Sym {
        let Some(value) = cell(row, &self.columns, &self.nulls, Field::Status) else {
            return Sym::NONE;
        };
        let label = mapped(self.config, Field::Status, value)
            .unwrap_or_else(|| self.preset.status_label(value));
        let sym = self.symbols.intern(label);
        if !self.status_classes.contains_key(&sym) {
            let class = self.preset.status_class(label);
            if class.is_none() {
                self.unknown_statuses.insert(sym);
            }
            self.status_classes
                .insert(sym, class.unwrap_or(StatusClass::Open));
        }
        // Every ticket that passes through an unknown status is listed, once per status.
        if self.unknown_statuses.contains(&sym) && self.reported_statuses.insert((id.into(), sym)) {
            let label = label.to_string();
            let action = format!(
                "status `{label}` is not one the preset `{}` knows; tickets count as open while in it. \
                 If it means resolved, closed or paused, map it to one the preset knows in \
                 [tickets.values.status], e.g. \"{label}\" = \"Resolved\"",
                self.preset.name
            );
            self.repair(
                RepairKind::UnknownStatus,
                id,
                row.line,
                Field::Status,
                &label,
                action,
            );
        }
        sym
    }

    fn count(&mut self, row: &Row<'_>, id: &str, field: Field) -> Result<Option<u32>, ()> {
        let Some(value) = cell(row, &self.columns, &self.nulls, field) else {
            return Ok(None);
        };
        match value.parse::<u32>() {
            Ok(count) => Ok(Some(count)),
            Err(_) => {
                let value = value.to_string();
                self.reject(
                    row,
                    id,
                    field,
                    &value,
                    &format!("invalid count `{value}`: expected a whole number such as 2"),
                );
                Err(())
            }
        }
    }

    fn fields(&mut self, row: &Row<'_>) -> Result<Fields, ()> {
        let id = cell(row, &self.columns, &self.nulls, Field::Id).unwrap_or_default();
        let Some(opened) = self.instant(row, id, Field::Opened)? else {
            self.reject(
                row,
                id,
                Field::Opened,
                "",
                "missing opening time; every ticket needs one",
            );
            return Err(());
        };
        let first_response = self.instant(row, id, Field::FirstResponse)?;
        let resolved = self.instant(row, id, Field::Resolved)?;
        let closed = self.instant(row, id, Field::Closed)?;
        let priority = self.priority(row, id)?;
        let reassignments = self.count(row, id, Field::Reassignments)?;
        let reopens = self.count(row, id, Field::Reopens)?;
        let status = self.status(row, id);
        let extra: Box<[Sym]> = self
            .extra_indexes
            .clone()
            .into_iter()
            .map(|index| match self.nulls.value(row.get(index)) {
                Some(value) => self.symbols.intern(value),
                None => Sym::NONE,
            })
            .collect();
        let extras = self.extras(row, id)?;
        Ok(Fields {
            line: row.line,
            opened,
            first_response,
            resolved,
            closed,
            priority,
            impact: self.level(row, Field::Impact),
            urgency: self.level(row, Field::Urgency),
            status,
            category: self.intern(row, Field::Category),
            subcategory: self.intern(row, Field::Subcategory),
            team: self.intern(row, Field::Team),
            assignee: self.intern(row, Field::Assignee),
            requester: self.intern(row, Field::Requester),
            channel: self.intern(row, Field::Channel),
            title: self.intern(row, Field::Title),
            reassignments,
            reopens,
            extra,
            extras,
        })
    }

    fn update(&mut self, row: &Row<'_>, position: usize) -> Result<Update, ()> {
        let id = cell(row, &self.columns, &self.nulls, Field::Id).unwrap_or_default();
        let sequence = match cell(row, &self.columns, &self.nulls, Field::UpdateSequence) {
            None => position as i64,
            Some(value) => match value.parse::<i64>() {
                Ok(sequence) => sequence,
                Err(_) => {
                    let value = value.to_string();
                    let reason = format!(
                        "invalid update sequence `{value}`: expected a whole number such as 3"
                    );
                    self.reject(row, id, Field::UpdateSequence, &value, &reason);
                    return Err(());
                }
            },
        };
        let Some(at) = self.instant(row, id, Field::Updated)? else {
            self.reject(
                row,
                id,
                Field::Updated,
                "",
                "missing update time; every row of an event log needs one",
            );
            return Err(());
        };
        Ok(Update {
            sequence,
            line: row.line,
            at,
            status: self.status(row, id),
            priority: self.priority(row, id)?,
            team: self.intern(row, Field::Team),
        })
    }

    fn class(&self, status: Sym) -> Option<StatusClass> {
        (!status.is_none()).then(|| {
            self.status_classes
                .get(&status)
                .copied()
                .unwrap_or(StatusClass::Open)
        })
    }

    /// Turns a ticket's final values, updates and events from the events file into a
    /// canonical ticket, appending its history to `events`.
    fn build(
        &mut self,
        id: Box<str>,
        mut fields: Fields,
        mut updates: Vec<Update>,
        file_events: &[FileEvent],
        layout: Layout,
        events: &mut Vec<Event>,
    ) -> (Ticket, TicketDetails) {
        let start = events.len() as u32;
        let mut resolved = fields.resolved;
        let first_response = fields.first_response;
        let mut initial_priority = fields.priority;
        if layout == Layout::EventLog {
            let in_file_order = updates
                .windows(2)
                .all(|pair| pair[0].sequence <= pair[1].sequence);
            if !in_file_order {
                let order: Vec<String> = updates.iter().map(|u| u.sequence.to_string()).collect();
                let action =
                    "rows put back in update-sequence order before reading the history".to_string();
                self.repair(
                    RepairKind::ReorderedUpdates,
                    &id,
                    updates[0].line,
                    Field::UpdateSequence,
                    &order.join(", "),
                    action,
                );
            }
            updates.sort_by_key(|update| (update.at, update.sequence, update.line));
            initial_priority = updates.iter().find_map(|u| u.priority).or(fields.priority);
            let (mut status, mut priority, mut team) = (Sym::NONE, None, Sym::NONE);
            let mut left_new = false;
            for update in &updates {
                let class = self.class(update.status);
                if left_new && class == Some(StatusClass::New) {
                    // A ticket never returns to `new`: such a row is a stale copy of an earlier
                    // update whose timestamp was rewritten, and following it would invent a reopen.
                    let action = format!(
                        "an update back to `{}` at {} after the ticket had left it was left out of the status history",
                        self.symbols.get(update.status),
                        format_local(self.converter.zone(), update.at)
                    );
                    self.repair(
                        RepairKind::StaleUpdate,
                        &id,
                        update.line,
                        Field::Status,
                        "",
                        action,
                    );
                    continue;
                }
                left_new |= class.is_some_and(|class| class != StatusClass::New);
                if update.status != status && !update.status.is_none() {
                    events.push(Event {
                        at: update.at,
                        kind: EventKind::Status,
                        value: update.status,
                    });
                    status = update.status;
                }
                if update.priority != priority {
                    if let Some(level) = update.priority {
                        let value = self.symbols.intern(&level.to_string());
                        events.push(Event {
                            at: update.at,
                            kind: EventKind::Priority,
                            value,
                        });
                    }
                    priority = update.priority;
                }
                if update.team != team && !update.team.is_none() {
                    events.push(Event {
                        at: update.at,
                        kind: EventKind::Group,
                        value: update.team,
                    });
                    team = update.team;
                }
            }
            if resolved.is_none() {
                resolved = self.resolution_from_history(&id, &fields, &updates);
            }
        }
        events::merge(events, start as usize, file_events);
        if fields.status.is_none() {
            fields.status = events::last_status(&events[start as usize..]);
        }
        if layout == Layout::PerTicket && resolved.is_none() {
            resolved = self
                .resolution_from_events(&id, &fields, file_events)
                .or_else(|| self.resolution_from_history(&id, &fields, &[]));
        }
        let (first_response, source, details) =
            self.apply_extras(&fields, first_response, resolved, start as usize, events);
        let history = &events[start as usize..];
        let first_response =
            first_response.or_else(|| self.first_response_from_history(&fields, history));
        if let Some((first, last)) = self.priorities_in_history(history) {
            initial_priority = Some(first);
            fields.priority = fields.priority.or(Some(last));
        }

        let ticket = Ticket {
            id,
            line: fields.line,
            opened: fields.opened,
            first_response,
            resolved,
            closed: fields.closed,
            priority: fields.priority,
            initial_priority,
            impact: fields.impact,
            urgency: fields.urgency,
            status: fields.status,
            status_class: self.class(fields.status),
            category: fields.category,
            subcategory: fields.subcategory,
            team: fields.team,
            assignee: fields.assignee,
            requester: fields.requester,
            channel: fields.channel,
            title: fields.title,
            reassignments: fields.reassignments,
            reopens: fields.reopens,
            source,
            extra: fields.extra,
            events: start..events.len() as u32,
        };
        (ticket, details)
    }

    /// Finds the first response in a ticket's history: the first public reply wherever the
    /// history records replies, else the first status change out of `new`.
    fn first_response_from_history(&self, fields: &Fields, history: &[Event]) -> Option<Instant> {
        if self.replies_recorded || events::has_replies(history) {
            events::first_public_reply(history, fields.opened)
        } else {
            events::first_left_new(history, |status| self.class(status))
        }
    }

    /// Finds the first and last priority that a ticket's history sets.
    fn priorities_in_history(&self, history: &[Event]) -> Option<(Priority, Priority)> {
        let mut priorities = history
            .iter()
            .filter(|event| event.kind == EventKind::Priority)
            .filter_map(|event| Priority::parse(self.symbols.get(event.value)));
        let first = priorities.next()?;
        Some((first, priorities.next_back().unwrap_or(first)))
    }

    /// Fills in a missing resolution time of a per-ticket export from the events file: the
    /// last time the ticket became resolved.
    fn resolution_from_events(
        &mut self,
        id: &str,
        fields: &Fields,
        file_events: &[FileEvent],
    ) -> Option<Instant> {
        let last = events::last_resolved(file_events, |status| self.class(status))?;
        let events_file = self
            .config
            .events
            .as_ref()
            .map(|events| events.file.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let action = format!(
            "resolution time missing; the last move to `{}` on line {} of {events_file}, at {}, was used",
            self.symbols.get(last.event.value),
            last.line,
            format_local(self.converter.zone(), last.event.at)
        );
        self.repair(
            RepairKind::ResolvedFromHistory,
            id,
            fields.line,
            Field::Resolved,
            "",
            action,
        );
        Some(last.event.at)
    }

    /// Fills in a missing resolution time: the last time the ticket became resolved, else
    /// the close time of a ticket that was closed without a resolution.
    fn resolution_from_history(
        &mut self,
        id: &str,
        fields: &Fields,
        updates: &[Update],
    ) -> Option<Instant> {
        let final_class = self.class(fields.status);
        let zone = self.converter.zone();
        let mut last_resolved = None;
        let mut previous = None;
        for update in updates {
            let class = self.class(update.status);
            if class == Some(StatusClass::Resolved) && previous != Some(StatusClass::Resolved) {
                last_resolved = Some(*update);
            }
            previous = class;
        }
        if let Some(update) = last_resolved {
            let action = format!(
                "resolution time missing; the last move to `{}` on line {}, at {}, was used",
                self.symbols.get(update.status),
                update.line,
                format_local(zone, update.at)
            );
            self.repair(
                RepairKind::ResolvedFromHistory,
                id,
                fields.line,
                Field::Resolved,
                "",
                action,
            );
            return Some(update.at);
        }
        if final_class.is_some_and(StatusClass::is_done) {
            let closed = fields.closed.or_else(|| {
                updates
                    .iter()
                    .find(|u| self.class(u.status).is_some_and(StatusClass::is_done))
                    .map(|u| u.at)
            });
            if let Some(closed) = closed {
                let action = format!(
                    "closed without passing through a resolved status; the close time, {}, stands for the resolution",
                    format_local(zone, closed)
                );
                self.repair(
                    RepairKind::ClosedWithoutResolution,
                    id,
                    fields.line,
                    Field::Resolved,
                    "",
                    action,
                );
                return Some(closed);
            }
            let action =
                "closed with no resolution or close time; the resolution clock cannot stop"
                    .to_string();
            self.repair(
                RepairKind::ResolvedMissing,
                id,
                fields.line,
                Field::Resolved,
                "",
                action,
            );
        }
        None
    }
}

/// Returns the project's mapping of an export value for a field, compared without case.
fn mapped<'a>(config: &'a Config, field: Field, value: &str) -> Option<&'a str> {
    let labels = config.tickets.values.get(field.name())?;
    let value = value.trim();
    labels
        .iter()
        .find(|(label, _)| label.trim().eq_ignore_ascii_case(value))
        .map(|(_, mapped)| mapped.as_str())
}
