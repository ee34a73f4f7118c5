//! Reading the register's markdown into a [`Register`] and its diagnostics.
//!
//! The parser walks pulldown-cmark's events with their byte offsets. Top-level `##` headings
//! open sections. In the entry sections each `###` heading opens an entry. When the entry's
//! first block is a list, it contains the `Key: value` items. The remaining blocks up to the
//! next heading of level 1 to 3 are the entry's notes.

use std::collections::BTreeMap;
use std::ops::Range;

use chrono::NaiveDate;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use super::notes::{markdown_options, render_events};
use super::{
    normalize_key, Action, ActionStatus, ControlArea, Diagnostic, Exception, ExceptionStatus,
    Notes, OwnerRow, Register, RiskAcceptance, Scope, Severity,
};
use crate::config::{did_you_mean, suggestion_or_list};

type Spanned<'t> = (Event<'t>, Range<usize>);

/// The plain text of a list item or table cell and its source range.
type SpannedText = (String, Range<usize>);

/// The `##` sections, as written in messages.
const SECTIONS: [&str; 4] = ["Owners", "Exceptions", "Risk acceptances", "Actions"];

/// The columns of the Owners table, in their documented order.
const OWNER_COLUMNS: [&str; 5] = [
    "control area",
    "owner",
    "team",
    "last review",
    "next review",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    Exception,
    RiskAcceptance,
    Action,
}

impl EntryKind {
    const ALL: [EntryKind; 3] = [
        EntryKind::Exception,
        EntryKind::RiskAcceptance,
        EntryKind::Action,
    ];

    fn noun(self) -> &'static str {
        match self {
            EntryKind::Exception => "exception",
            EntryKind::RiskAcceptance => "risk acceptance",
            EntryKind::Action => "action",
        }
    }

    fn keys(self) -> &'static [&'static str] {
        match self {
            EntryKind::Exception => &[
                "status",
                "scope",
                "owner",
                "approved by",
                "approved on",
                "expires",
                "next validation",
            ],
            EntryKind::RiskAcceptance => {
                &["risk", "accepted by", "accepted on", "review by", "links"]
            }
            EntryKind::Action => &["owner", "due", "status", "finding"],
        }
    }

    fn example_heading(self) -> &'static str {
        match self {
            EntryKind::Exception => "### EX-01 — Vendor hardware waits",
            EntryKind::RiskAcceptance => "### RA-01 — No weekend cover",
            EntryKind::Action => "### AC-01 — Retrain the night shift",
        }
    }
}

/// Returns an example item for a key, shown when the key is missing.
fn example_item(kind: EntryKind, key: &str) -> &'static str {
    match (kind, key) {
        (EntryKind::Exception, "status") => "- Status: proposed",
        (EntryKind::Action, "status") => "- Status: open",
        (_, "scope") => "- Scope: priority = P3",
        (_, "owner") => "- Owner: Service Desk Lead",
        (_, "approved by") => "- Approved by: Head of IT Operations",
        (_, "approved on") => "- Approved on: 2026-07-01",
        (_, "expires") => "- Expires: 2026-12-31",
        (_, "accepted by") => "- Accepted by: Head of IT Operations",
        (_, "accepted on") => "- Accepted on: 2026-07-01",
        (_, "review by") => "- Review by: 2026-12-31",
        (_, "due") => "- Due: 2026-09-30",
        _ => "- Key: value",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    /// Before any `##` heading, or after a `#` heading.
    None,
    Owners,
    Entries(EntryKind),
    /// A `##` section the register does not read, such as an introduction.
    Other,
}

/// Byte offsets to 1-based lines and columns.
struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(at, _)| at + 1));
        LineIndex { text, starts }
    }

    fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset)
    }

    /// Returns the 1-based column of `offset`, counted in characters.
    fn column(&self, offset: usize) -> usize {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let start = self.starts[self.line(offset) - 1];
        self.text[start..offset].chars().count() + 1
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A `Key: value` list item.
struct Item {
    /// The key as normalized by [`normalize_key`].
    key: String,
    /// The key as written.
    key_text: String,
    value: String,
    line: usize,
    /// The byte offset where the key appears in the source, when it appears verbatim.
    key_offset: Option<usize>,
    /// The byte offset where the value appears in the source, when it appears verbatim.
    value_offset: Option<usize>,
}

/// An entry's heading and its items, keyed by normalized key.
struct Entry {
    kind: EntryKind,
    id: String,
    title: String,
    line: usize,
    items: BTreeMap<&'static str, Item>,
}

impl Entry {
    /// Returns the trimmed value of a key, or `None` when the key is absent or its value is
    /// empty.
    fn text(&self, key: &str) -> Option<String> {
        self.items
            .get(key)
            .map(|item| item.value.trim().to_string())
            .filter(|value| !value.is_empty())
    }
}

/// Parses a register; see [`Register::parse`].
pub(super) fn parse(text: &str, file: &str, extra_fields: &[&str]) -> (Register, Vec<Diagnostic>) {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let events: Vec<Spanned> = Parser::new_ext(body, markdown_options())
        .into_offset_iter()
        .collect();
    let mut reader = Reader {
        text: body,
        file,
        extra_fields,
        lines: LineIndex::new(body),
        register: Register {
            file: file.to_string(),
            ..Register::default()
        },
        diagnostics: Vec::new(),
        ids: BTreeMap::new(),
    };
    reader.read(&events);
    let Reader {
        register,
        mut diagnostics,
        ..
    } = reader;
    diagnostics.sort_by_key(|diagnostic| (diagnostic.line, diagnostic.column));
    (register, diagnostics)
}

struct Reader<'t> {
    text: &'t str,
    file: &'t str,
    extra_fields: &'t [&'t str],
    lines: LineIndex<'t>,
    register: Register,
    diagnostics: Vec<Diagnostic>,
    /// Lowercased entry ids and the line of their first heading.
    ids: BTreeMap<String, usize>,
}

/// Returns the index of the event that closes the block opened at `start`, or `start` itself
/// when that event opens nothing.
fn block_end(events: &[Spanned], start: usize) -> usize {
    let mut depth = 0usize;
    for (index, (event, _)) in events.iter().enumerate().skip(start) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth == 0 {
            return index;
        }
    }
    events.len().saturating_sub(1)
}

/// Collects the plain text of inline events: text and code spans, with breaks and paragraph
/// ends as spaces and nested list items separated by commas.
fn inline_text(events: &[Spanned]) -> String {
    let mut text = String::new();
    for (event, _) in events {
        match event {
            Event::Text(part)
            | Event::Code(part)
            | Event::InlineHtml(part)
            | Event::Html(part)
            | Event::InlineMath(part)
            | Event::DisplayMath(part) => text.push_str(part),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => text.push(' '),
            Event::Start(Tag::Item) if !text.trim().is_empty() => text.push_str(", "),
            _ => {}
        }
    }
    text.trim().to_string()
}

/// Splits `### ID — title` at the first `—`, `–` or ` - `.
fn split_heading(heading: &str) -> (&str, &str) {
    let separator = ["—", "–", " - "]
        .iter()
        .filter_map(|separator| heading.find(separator).map(|at| (at, separator.len())))
        .min_by_key(|(at, _)| *at);
    match separator {
        Some((at, length)) => (heading[..at].trim(), heading[at + length..].trim()),
        None => (heading.trim(), ""),
    }
}

/// Reads a strict `YYYY-MM-DD` date.
fn parse_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(index, &byte)| match index {
            4 | 7 => byte == b'-',
            _ => byte.is_ascii_digit(),
        });
    if !shaped {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// Returns the trimmed cell text, or `None` for an empty cell or a lone dash.
fn cell_value(text: &str) -> Option<String> {
    let text = text.trim();
    (!matches!(text, "" | "-" | "—" | "–")).then(|| text.to_string())
}

impl<'t> Reader<'t> {
    fn push(&mut self, severity: Severity, line: usize, column: Option<usize>, message: String) {
        self.diagnostics.push(Diagnostic {
            severity,
            file: self.file.to_string(),
            line,
            column,
            message,
        });
    }

    fn error_at(&mut self, offset: usize, message: String) {
        let (line, column) = (self.lines.line(offset), self.lines.column(offset));
        self.push(Severity::Error, line, Some(column), message);
    }

    fn warning_at(&mut self, offset: usize, message: String) {
        let (line, column) = (self.lines.line(offset), self.lines.column(offset));
        self.push(Severity::Warning, line, Some(column), message);
    }

    /// Returns the offset of `needle` inside `range` of the source, or the range's start when
    /// it does not appear verbatim (for example because of escapes).
    fn locate(&self, range: &Range<usize>, needle: &str) -> usize {
        self.text[range.clone()]
            .find(needle)
            .map_or(range.start, |at| range.start + at)
    }

    /// Reports at the value's place when it was found in the source, else at its item's line.
    fn error_on_value(&mut self, item: &Item, message: String) {
        match item.value_offset {
            Some(offset) => self.error_at(offset, message),
            None => self.push(Severity::Error, item.line, None, message),
        }
    }

    fn read(&mut self, events: &[Spanned]) {
        let mut section = Section::None;
        // The heading that ended the last section of entries, with its line, to explain an
        // entry found after it.
        let mut ended_by: Option<(usize, String)> = None;
        let mut index = 0;
        while index < events.len() {
            let end = block_end(events, index);
            let (event, range) = &events[index];
            match event {
                Event::Start(Tag::Heading { level, .. }) => {
                    let heading = inline_text(&events[index + 1..end]);
                    if matches!(level, HeadingLevel::H1 | HeadingLevel::H2)
                        && matches!(section, Section::Entries(_))
                    {
                        let marks = if *level == HeadingLevel::H1 {
                            "#"
                        } else {
                            "##"
                        };
                        ended_by =
                            Some((self.lines.line(range.start), format!("{marks} {heading}")));
                    }
                    match level {
                        HeadingLevel::H1 => {
                            if self.register.title.is_none() {
                                self.register.title = Some(heading);
                            }
                            section = Section::None;
                        }
                        HeadingLevel::H2 => section = self.open_section(&heading, range.start),
                        HeadingLevel::H3 => {
                            if let Section::Entries(kind) = section {
                                index =
                                    self.read_entry(events, kind, &heading, range.start, end + 1);
                                continue;
                            }
                            if self.starts_key_list(events, end + 1) {
                                let (id, _) = split_heading(&heading);
                                self.push(
                                    Severity::Error,
                                    self.lines.line(range.start),
                                    None,
                                    match &ended_by {
                                    Some((line, closing)) => format!("entry `{id}` is outside any known section, because the heading `{closing}` on line {line} ended the section above it; move the entry above that heading, or under `## Exceptions`, `## Risk acceptances` or `## Actions`"),
                                    None => format!("entry `{id}` is outside any known section; move it under `## Exceptions`, `## Risk acceptances` or `## Actions`"),
                                },
                                );
                                index = block_end(events, end + 1) + 1;
                                continue;
                            }
                        }
                        _ => {}
                    }
                }
                Event::Start(Tag::Table(_)) if section == Section::Owners => {
                    self.read_owner_table(&events[index..=end]);
                }
                Event::Start(Tag::List(_))
                    if matches!(section, Section::Entries(_))
                        && self.starts_key_list(events, index) =>
                {
                    self.push(
                        Severity::Error,
                        self.lines.line(range.start),
                        None,
                        "`Key: value` list outside an entry; put it right below an `### ID — title` heading".to_string(),
                    );
                }
                _ => {}
            }
            index = end + 1;
        }
    }

    fn open_section(&mut self, heading: &str, offset: usize) -> Section {
        let key = normalize_key(heading);
        let line = self.lines.line(offset);
        let section = match SECTIONS.iter().position(|name| normalize_key(name) == key) {
            Some(0) => Section::Owners,
            Some(1) => Section::Entries(EntryKind::Exception),
            Some(2) => Section::Entries(EntryKind::RiskAcceptance),
            Some(3) => Section::Entries(EntryKind::Action),
            _ => Section::Other,
        };
        if section == Section::Owners && self.register.owners_line.is_none() {
            self.register.owners_line = Some(line);
        }
        if section == Section::Other {
            if let Some(best) = did_you_mean(heading, &SECTIONS) {
                self.push(
                    Severity::Warning,
                    line,
                    None,
                    format!("unknown section `{heading}` is not read; did you mean `{best}`?"),
                );
            }
        }
        section
    }

    /// Returns whether the block at `index` is a list whose first item has a key of some entry
    /// kind.
    fn starts_key_list(&self, events: &[Spanned], index: usize) -> bool {
        if !matches!(events.get(index), Some((Event::Start(Tag::List(_)), _))) {
            return false;
        }
        let end = block_end(events, index);
        let Some(item) = self.list_items(events, index, end).into_iter().next() else {
            return false;
        };
        let Some((key, _)) = item.0.split_once(':') else {
            return false;
        };
        let key = normalize_key(key);
        EntryKind::ALL
            .iter()
            .any(|kind| kind.keys().contains(&key.as_str()))
    }

    /// Collects the text and source range of each item of the list from `start` to `end`.
    fn list_items(&self, events: &[Spanned], start: usize, end: usize) -> Vec<SpannedText> {
        let mut items = Vec::new();
        let mut index = start + 1;
        while index < end {
            let item_end = block_end(events, index);
            if matches!(events[index].0, Event::Start(Tag::Item)) {
                let text = inline_text(&events[index + 1..item_end]);
                items.push((text, events[index].1.clone()));
            }
            index = item_end + 1;
        }
        items
    }

    /// Reads one entry from its heading up to the next heading of level 1 to 3 and returns
    /// the index of that heading.
    fn read_entry(
        &mut self,
        events: &[Spanned],
        kind: EntryKind,
        heading: &str,
        heading_offset: usize,
        start: usize,
    ) -> usize {
        let line = self.lines.line(heading_offset);
        let mut cursor = start;
        let mut raw_items = Vec::new();
        if matches!(events.get(cursor), Some((Event::Start(Tag::List(_)), _))) {
            let list_end = block_end(events, cursor);
            raw_items = self.list_items(events, cursor, list_end);
            cursor = list_end + 1;
        }
        let notes_start = cursor;
        while cursor < events.len() {
            if let Event::Start(Tag::Heading { level, .. }) = &events[cursor].0 {
                if *level <= HeadingLevel::H3 {
                    break;
                }
            }
            cursor = block_end(events, cursor) + 1;
        }
        let notes = self.notes(&events[notes_start..cursor.min(events.len())]);

        let Some((id, title)) = self.entry_heading(kind, heading, heading_offset) else {
            return cursor;
        };
        if let Some(&first) = self.ids.get(&id.to_lowercase()) {
            self.push(
                Severity::Error,
                line,
                None,
                format!("duplicate id `{id}`: first used on line {first}; ids ignore case, so give this entry an id of its own"),
            );
        } else {
            self.ids.insert(id.to_lowercase(), line);
        }
        let mut entry = Entry {
            kind,
            id,
            title,
            line,
            items: BTreeMap::new(),
        };
        for (text, range) in raw_items {
            self.add_item(&mut entry, &text, range);
        }
        match kind {
            EntryKind::Exception => {
                let exception = self.build_exception(&entry, notes);
                self.register.exceptions.push(exception);
            }
            EntryKind::RiskAcceptance => {
                let acceptance = self.build_risk_acceptance(&entry, notes);
                self.register.risk_acceptances.push(acceptance);
            }
            EntryKind::Action => {
                let action = self.build_action(&entry, notes);
                self.register.actions.push(action);
            }
        }
        cursor
    }

    /// Reads `ID — title`, reporting a heading that has no usable id.
    fn entry_heading(
        &mut self,
        kind: EntryKind,
        heading: &str,
        offset: usize,
    ) -> Option<(String, String)> {
        let line = self.lines.line(offset);
        let (id, title) = split_heading(heading);
        if id.is_empty() || id.contains(char::is_whitespace) {
            self.push(
                Severity::Error,
                line,
                None,
                format!(
                    "invalid {} heading `{heading}`: expected `### ID — title` such as `{}`",
                    kind.noun(),
                    kind.example_heading()
                ),
            );
            return None;
        }
        if title.is_empty() {
            self.push(
                Severity::Warning,
                line,
                None,
                format!(
                    "{} `{id}` has no title; write `### {id} — title`",
                    kind.noun()
                ),
            );
        }
        Some((id.to_string(), title.to_string()))
    }

    fn notes(&self, events: &[Spanned]) -> Notes {
        let (Some(first), Some(last)) = (events.first(), events.last()) else {
            return Notes::default();
        };
        let markdown = self.text[first.1.start..last.1.end.max(first.1.start)].trim();
        Notes {
            markdown: markdown.to_string(),
            html: render_events(events.iter().map(|(event, _)| event.clone())),
        }
    }

    /// Adds one `Key: value` item to an entry, reporting items that are not pairs, unknown
    /// keys and keys given twice.
    fn add_item(&mut self, entry: &mut Entry, text: &str, range: Range<usize>) {
        let line = self.lines.line(range.start);
        let kind = entry.kind;
        let pair = text
            .split_once(':')
            .filter(|(key_text, _)| !key_text.trim().is_empty());
        let Some((key_text, value)) = pair else {
            self.push(
                Severity::Warning,
                line,
                None,
                format!(
                    "list item `{text}` in {} `{}` is not a `Key: value` pair and is ignored; write notes below the list",
                    kind.noun(),
                    entry.id
                ),
            );
            return;
        };
        let source = &self.text[range.clone()];
        let key_text = key_text.trim();
        let value = value.trim();
        let key_offset = source.find(key_text).map(|at| range.start + at);
        let value_offset = match (value.is_empty(), key_offset) {
            (true, _) => None,
            (false, Some(key_at)) => {
                let after_key = key_at + key_text.len() - range.start;
                source[after_key..]
                    .find(value)
                    .map(|at| range.start + after_key + at)
            }
            (false, None) => source.find(value).map(|at| range.start + at),
        };
        let key = normalize_key(key_text);
        let item = Item {
            key,
            key_text: key_text.to_string(),
            value: value.to_string(),
            line,
            key_offset,
            value_offset,
        };
        let Some(&known) = kind.keys().iter().find(|known| **known == item.key) else {
            let message = format!(
                "unknown key `{}` in {} `{}`{}",
                item.key_text,
                kind.noun(),
                entry.id,
                suggestion_or_list(&item.key, kind.keys())
            );
            match item.key_offset {
                Some(offset) => self.warning_at(offset, message),
                None => self.push(Severity::Warning, line, None, message),
            }
            return;
        };
        if let Some(first) = entry.items.get(known) {
            let message = format!(
                "duplicate key `{}` in {} `{}`: first given on line {}",
                known,
                kind.noun(),
                entry.id,
                first.line
            );
            match item.key_offset {
                Some(offset) => self.error_at(offset, message),
                None => self.push(Severity::Error, line, None, message),
            }
            return;
        }
        entry.items.insert(known, item);
    }

    /// Reports a key that is absent or empty; `qualifier` prefixes the entry noun, as in
    /// "approved exception".
    fn require(&mut self, entry: &Entry, key: &str, qualifier: &str) {
        if entry.text(key).is_some() {
            return;
        }
        let hint = if qualifier.is_empty() {
            String::new()
        } else {
            " or change the status".to_string()
        };
        self.push(
            Severity::Error,
            entry.line,
            None,
            format!(
                "{qualifier}{} `{}` has no `{key}`; add an item such as `{}`{hint}",
                entry.kind.noun(),
                entry.id,
                example_item(entry.kind, key)
            ),
        );
    }

    fn date(&mut self, entry: &Entry, key: &str) -> Option<NaiveDate> {
        let value = entry.text(key)?;
        let date = parse_date(&value);
        if date.is_none() {
            let item = &entry.items[key];
            let message = format!(
                "invalid date `{value}` for `{key}` in {} `{}`: expected YYYY-MM-DD such as 2026-07-01",
                entry.kind.noun(),
                entry.id
            );
            self.error_on_value(item, message);
        }
        date
    }

    fn status<T>(
        &mut self,
        entry: &Entry,
        parse: fn(&str) -> Option<T>,
        names: &[&str],
    ) -> Option<T> {
        let value = entry.text("status")?;
        let status = parse(&value);
        if status.is_none() {
            let item = &entry.items["status"];
            let message = format!(
                "invalid status `{value}` in {} `{}`{}",
                entry.kind.noun(),
                entry.id,
                suggestion_or_list(&value, names)
            );
            self.error_on_value(item, message);
        }
        status
    }

    fn scope(&mut self, entry: &Entry) -> Option<Scope> {
        let value = entry.text("scope")?;
        match Scope::parse_all(&value, self.extra_fields) {
            Ok(scope) => Some(scope),
            Err(errors) => {
                let item = &entry.items["scope"];
                for error in errors {
                    let message = format!(
                        "invalid scope in {} `{}` at character {}: {}",
                        entry.kind.noun(),
                        entry.id,
                        error.position,
                        error.message
                    );
                    match item.value_offset {
                        Some(start) => {
                            let inside: usize = value
                                .chars()
                                .take(error.position - 1)
                                .map(char::len_utf8)
                                .sum();
                            self.error_at(start + inside, message);
                        }
                        None => self.push(Severity::Error, item.line, None, message),
                    }
                }
                None
            }
        }
    }

    fn build_exception(&mut self, entry: &Entry, notes: Notes) -> Exception {
        let names: Vec<&str> = ExceptionStatus::ALL.iter().map(|s| s.name()).collect();
        let status = self.status(entry, ExceptionStatus::parse, &names);
        let scope = self.scope(entry);
        let approved_on = self.date(entry, "approved on");
        let expires = self.date(entry, "expires");
        let next_validation = self.date(entry, "next validation");
        self.require(entry, "status", "");
        self.require(entry, "scope", "");
        if status == Some(ExceptionStatus::Approved) {
            for key in ["approved by", "approved on", "expires"] {
                self.require(entry, key, "approved ");
            }
        }
        if let (Some(approved_on), Some(expires)) = (approved_on, expires) {
            if expires < approved_on {
                let item = &entry.items["expires"];
                let message = format!(
                    "exception `{}` expires on {expires}, before its approval on {approved_on}; correct one of the two dates",
                    entry.id
                );
                self.error_on_value(item, message);
            }
        }
        Exception {
            id: entry.id.clone(),
            title: entry.title.clone(),
            line: entry.line,
            status,
            scope,
            owner: entry.text("owner"),
            approved_by: entry.text("approved by"),
            approved_on,
            expires,
            next_validation,
            notes,
        }
    }

    fn build_risk_acceptance(&mut self, entry: &Entry, notes: Notes) -> RiskAcceptance {
        let accepted_on = self.date(entry, "accepted on");
        let review_by = self.date(entry, "review by");
        for key in ["accepted by", "accepted on", "review by"] {
            self.require(entry, key, "");
        }
        let links = entry
            .text("links")
            .map(|links| {
                links
                    .split(',')
                    .map(str::trim)
                    .filter(|link| !link.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        RiskAcceptance {
            id: entry.id.clone(),
            title: entry.title.clone(),
            line: entry.line,
            risk: entry.text("risk"),
            accepted_by: entry.text("accepted by"),
            accepted_on,
            review_by,
            links,
            notes,
        }
    }

    fn build_action(&mut self, entry: &Entry, notes: Notes) -> Action {
        let names: Vec<&str> = ActionStatus::ALL.iter().map(|s| s.name()).collect();
        let status = self.status(entry, ActionStatus::parse, &names);
        let due = self.date(entry, "due");
        for key in ["owner", "due", "status"] {
            self.require(entry, key, "");
        }
        Action {
            id: entry.id.clone(),
            title: entry.title.clone(),
            line: entry.line,
            owner: entry.text("owner"),
            due,
            status,
            finding: entry.text("finding"),
            notes,
        }
    }

    /// Reads one Owners table: its events from `Start(Table)` to `End(Table)`.
    fn read_owner_table(&mut self, events: &[Spanned]) {
        let table_offset = events[0].1.start;
        let mut rows: Vec<(usize, Vec<SpannedText>)> = Vec::new();
        let mut index = 1;
        while index < events.len() {
            let end = block_end(events, index);
            if let Event::Start(Tag::TableHead | Tag::TableRow) = events[index].0 {
                let mut cells = Vec::new();
                let mut cell = index + 1;
                while cell < end {
                    let cell_end = block_end(events, cell);
                    if matches!(events[cell].0, Event::Start(Tag::TableCell)) {
                        cells.push((
                            inline_text(&events[cell + 1..cell_end]),
                            events[cell].1.clone(),
                        ));
                    }
                    cell = cell_end + 1;
                }
                rows.push((events[index].1.start, cells));
            }
            index = end + 1;
        }
        let mut rows = rows.into_iter();
        let Some((_, header)) = rows.next() else {
            return;
        };

        let mut columns: [Option<usize>; 5] = [None; 5];
        for (position, (name, range)) in header.iter().enumerate() {
            let key = normalize_key(name);
            match OWNER_COLUMNS.iter().position(|column| *column == key) {
                Some(known) if columns[known].is_none() => columns[known] = Some(position),
                Some(_) => self.warning_at(
                    self.locate(range, name),
                    format!("duplicate column `{name}` in the Owners table is ignored"),
                ),
                None => self.warning_at(
                    self.locate(range, name),
                    format!(
                        "unknown column `{name}` in the Owners table is ignored{}",
                        suggestion_or_list(name, &OWNER_COLUMNS)
                    ),
                ),
            }
        }
        for (known, column) in columns.iter().enumerate() {
            if column.is_none() {
                let line = self.lines.line(table_offset);
                self.push(
                    Severity::Error,
                    line,
                    None,
                    format!(
                        "the Owners table has no `{}` column; expected the columns {}",
                        OWNER_COLUMNS[known],
                        OWNER_COLUMNS.join(", ")
                    ),
                );
            }
        }
        if columns[0].is_none() {
            return;
        }
        for (row_offset, cells) in rows {
            self.read_owner_row(row_offset, &columns, &cells);
        }
    }

    fn read_owner_row(
        &mut self,
        row_offset: usize,
        columns: &[Option<usize>; 5],
        cells: &[SpannedText],
    ) {
        let line = self.lines.line(row_offset);
        let cell = |known: usize| columns[known].and_then(|position| cells.get(position));
        let text = |known: usize| cell(known).and_then(|(text, _)| cell_value(text));
        let Some(area_text) = text(0) else {
            self.push(
                Severity::Error,
                line,
                None,
                "a row of the Owners table has no control area".to_string(),
            );
            return;
        };
        let area = ControlArea::parse(&area_text);
        if area.is_custom() {
            let known: Vec<&str> = ControlArea::KNOWN.iter().map(ControlArea::name).collect();
            if let Some(best) = did_you_mean(&area_text, &known) {
                let offset =
                    cell(0).map_or(row_offset, |(_, range)| self.locate(range, &area_text));
                self.warning_at(
                    offset,
                    format!("control area `{area_text}` is not a known area and is kept as a custom one; did you mean `{best}`?"),
                );
            }
        }
        if let Some(first) = self.register.owners.iter().find(|row| row.area == area) {
            let first = first.line;
            self.push(
                Severity::Error,
                line,
                None,
                format!("duplicate control area `{area_text}`: first listed on line {first}"),
            );
        }
        let mut dates = [None, None];
        for (slot, known) in [3, 4].into_iter().enumerate() {
            let (Some((_, range)), Some(value)) = (cell(known), text(known)) else {
                continue;
            };
            dates[slot] = parse_date(&value);
            if dates[slot].is_none() {
                let offset = self.locate(range, &value);
                self.error_at(
                    offset,
                    format!(
                        "invalid date `{value}` in the `{}` column for `{area_text}`: expected YYYY-MM-DD such as 2026-07-01",
                        OWNER_COLUMNS[known]
                    ),
                );
            }
        }
        if text(1).is_some() && columns[4].is_some() && text(4).is_none() {
            self.push(
                Severity::Warning,
                line,
                None,
                format!(
                    "`{area_text}` has an owner but no next review date, so an overdue review cannot be found; add a date (YYYY-MM-DD) in the `next review` column"
                ),
            );
        }
        self.register.owners.push(OwnerRow {
            area,
            owner: text(1),
            team: text(2),
            last_review: dates[0],
            next_review: dates[1],
            line,
        });
    }
}
