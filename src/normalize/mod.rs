//! Normalization: presets and the project's mappings turn an export into the canonical model.
//!
//! The canonical model ([`Ticket`], [`Event`]) is the same for every help desk. A preset knows
//! its system's column names, value labels, date format and status meanings; the project's
//! `[tickets.columns]` and `[tickets.values.*]` override it. Rows that cannot be used become
//! [`Rejection`]s, values that were filled in or corrected become [`Repair`]s, and both reach
//! the data-quality page.

pub mod cells;
mod columns;
mod consistency;
pub mod dates;
mod events;
mod inconsistencies;
mod model;
pub mod presets;
mod tickets;

use std::collections::BTreeMap;

use serde::Serialize;

pub use model::{
    Event, EventKind, Field, Priority, SourceVerdicts, StatusClass, Sym, Symbols, Ticket,
    CANONICAL_FIELDS, MAPPED_VALUE_FIELDS,
};

use crate::config::Layout;
use crate::load::{InputError, InputFile};

pub use columns::DATE_FIELDS;
pub use inconsistencies::flag_after_as_of;
pub use tickets::{check_tickets, read_tickets, ReadPlan};

/// Every ticket of a project in the canonical model, with what was learned while reading it.
#[derive(Debug, Default)]
pub struct Dataset {
    /// Tickets sorted by id.
    pub tickets: Vec<Ticket>,
    /// The history of every ticket; each ticket's `events` range points into it.
    pub events: Vec<Event>,
    pub symbols: Symbols,
    /// Names of the extra columns kept on each ticket (`Ticket::extra`).
    pub extra_columns: Vec<String>,
    /// The class of each status label seen in the data.
    pub status_classes: BTreeMap<Sym, StatusClass>,
    pub quality: Quality,
    pub inputs: Vec<InputFile>,
    pub preset: String,
    pub layout: Option<Layout>,
    /// Each date column with its format and whether the format was detected.
    pub date_formats: Vec<(String, String, bool)>,
    /// Whether the export records first responses: a response column, reply events, or a
    /// status history whose first move out of `new` stands for the response.
    pub response_recorded: bool,
    /// What each ticket carries beyond the clocks' fields, in `tickets` order.
    pub details: Vec<TicketDetails>,
    /// Problems with the file as a whole that leave it readable, such as a missing priority
    /// column.
    pub warnings: Vec<InputError>,
    /// The tickets file's column names, trimmed, in file order.
    pub headers: Vec<String>,
    /// The `[events]` file's name as the config writes it, and its column names in file
    /// order.
    pub event_headers: Option<(String, Vec<String>)>,
    /// The column each canonical field was read from.
    pub field_columns: BTreeMap<Field, String>,
}

/// What a ticket carries beyond the fields the clocks read, for evidence and the survey pages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TicketDetails {
    /// Labels or tags, in export order without repeats.
    pub labels: Box<[Sym]>,
    /// Time spent on the ticket as the export records it, in seconds.
    pub effort: Option<i64>,
    pub satisfaction: Option<cells::Satisfaction>,
    /// Comments unpacked from the export (Jira's `Comment` columns).
    pub comments: u32,
}

impl Dataset {
    pub fn events_of(&self, ticket: &Ticket) -> &[Event] {
        &self.events[ticket.events.start as usize..ticket.events.end as usize]
    }

    /// The details of a ticket of this dataset; empty ones when none were read.
    pub fn details_of(&self, ticket: &Ticket) -> &TicketDetails {
        static EMPTY: std::sync::OnceLock<TicketDetails> = std::sync::OnceLock::new();
        self.tickets
            .binary_search_by(|other| other.id.cmp(&ticket.id))
            .ok()
            .and_then(|index| self.details.get(index))
            .unwrap_or_else(|| EMPTY.get_or_init(TicketDetails::default))
    }

    pub fn text(&self, sym: Sym) -> &str {
        self.symbols.get(sym)
    }

    pub fn find(&self, id: &str) -> Option<&Ticket> {
        self.tickets
            .binary_search_by(|ticket| (*ticket.id).cmp(id))
            .ok()
            .map(|index| &self.tickets[index])
    }

    /// The class of a status label; labels the preset does not know count as open.
    pub fn status_class(&self, status: Sym) -> StatusClass {
        self.status_classes
            .get(&status)
            .copied()
            .unwrap_or(StatusClass::Open)
    }

    /// The value of a named extra column on a ticket.
    pub fn extra(&self, ticket: &Ticket, column: &str) -> Option<&str> {
        let index = self.extra_columns.iter().position(|c| c == column)?;
        ticket
            .extra
            .get(index)
            .and_then(|&sym| self.symbols.text(sym))
    }
}

/// What reading the inputs found wrong, for the data-quality page.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Quality {
    /// Rows left out of every metric, with the reason.
    pub rejected: Vec<Rejection>,
    /// Tickets kept with a value filled in, corrected or flagged.
    pub repairs: Vec<Repair>,
}

/// A row that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Rejection {
    pub file: String,
    pub line: u64,
    pub ticket: String,
    pub column: String,
    pub value: String,
    pub reason: String,
}

impl Rejection {
    /// Describes the rejection for a terminal: the column when one is to blame, then why.
    pub fn describe(&self) -> String {
        if self.column.is_empty() {
            self.reason.clone()
        } else {
            format!("column `{}`: {}", self.column, self.reason)
        }
    }
}

/// The kinds of repair, each a heading with a count on the data-quality page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RepairKind {
    /// The resolution time was missing and came from the status history.
    ResolvedFromHistory,
    /// The ticket was closed without a recorded resolution; the close time stands for it.
    ClosedWithoutResolution,
    /// The resolution time was missing and nothing in the history gives it.
    ResolvedMissing,
    /// A local time occurred twice (DST overlap) and one occurrence was chosen.
    AmbiguousLocalTime,
    /// A status label the preset does not know; the ticket counts as open while in it.
    UnknownStatus,
    /// A priority label the mapping does not know; the ticket has no target.
    UnknownPriority,
    /// Rows of one ticket out of update order; they were put back in order.
    ReorderedUpdates,
    /// A row that sends a ticket back to `new`, which no real update does; left out of the history.
    StaleUpdate,
    /// A timestamp later than the as-of instant.
    AfterAsOf,
    /// Timestamps in an impossible order, such as a first response after the resolution.
    Inconsistent,
    /// A value that only evidence or reconciliation reads could not be read; it is left empty.
    UnreadValue,
    /// A row of a per-ticket export repeated exactly; the copy was left out.
    DuplicateRow,
}

impl RepairKind {
    pub fn describe(self) -> &'static str {
        match self {
            RepairKind::ResolvedFromHistory => "resolution time taken from the status history",
            RepairKind::ClosedWithoutResolution => "closed without a resolution: close time used",
            RepairKind::ResolvedMissing => "resolution time missing and not in the history",
            RepairKind::AmbiguousLocalTime => "ambiguous local time (DST overlap)",
            RepairKind::UnknownStatus => "unknown status label",
            RepairKind::UnknownPriority => "unknown priority label",
            RepairKind::ReorderedUpdates => "updates out of order",
            RepairKind::StaleUpdate => "stale update left out of the history",
            RepairKind::AfterAsOf => "timestamp after the as-of instant",
            RepairKind::Inconsistent => "inconsistent timestamps",
            RepairKind::UnreadValue => "value not read, left empty",
            RepairKind::DuplicateRow => "duplicate row left out",
        }
    }
}

/// A ticket kept with a value filled in, corrected or flagged.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Repair {
    pub kind: RepairKind,
    pub ticket: String,
    pub line: u64,
    pub column: String,
    pub value: String,
    /// How the value was handled.
    pub action: String,
    /// The file the value was read from, as the config names it.
    pub file: String,
}
