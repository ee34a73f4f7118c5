//! The canonical model every preset maps its export onto.

use rustc_hash::FxHashMap as HashMap;
use std::fmt;
use std::ops::Range;

use serde::Serialize;

use crate::time::Instant;

/// A policy priority, `P1` (most urgent) to `P9`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Priority(u8);

impl Priority {
    pub const MAX: u8 = 9;

    /// Parses `P1` to `P9`, in either case.
    pub fn parse(text: &str) -> Option<Priority> {
        let digits = text.trim().strip_prefix(['P', 'p'])?;
        match digits.parse::<u8>() {
            Ok(level @ 1..=Self::MAX) if digits.len() == 1 => Some(Priority(level)),
            _ => None,
        }
    }

    pub fn from_level(level: u8) -> Option<Priority> {
        (1..=Self::MAX).contains(&level).then_some(Priority(level))
    }

    pub fn level(self) -> u8 {
        self.0
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "P{}", self.0)
    }
}

/// An interned string; `Sym::NONE` is a missing value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Sym(pub u32);

impl Sym {
    pub const NONE: Sym = Sym(0);

    pub fn is_none(self) -> bool {
        self == Sym::NONE
    }
}

/// The table of interned strings shared by every ticket of a dataset.
#[derive(Debug, Clone)]
pub struct Symbols {
    strings: Vec<Box<str>>,
    index: HashMap<Box<str>, u32>,
}

impl Default for Symbols {
    fn default() -> Self {
        Symbols {
            strings: vec!["".into()],
            index: HashMap::default(),
        }
    }
}

impl Symbols {
    pub fn intern(&mut self, text: &str) -> Sym {
        if text.is_empty() {
            return Sym::NONE;
        }
        if let Some(&id) = self.index.get(text) {
            return Sym(id);
        }
        let id = u32::try_from(self.strings.len()).expect("fewer than 2^32 distinct values");
        self.strings.push(text.into());
        self.index.insert(text.into(), id);
        Sym(id)
    }

    /// Looks a string up without interning it.
    pub fn find(&self, text: &str) -> Option<Sym> {
        if text.is_empty() {
            return Some(Sym::NONE);
        }
        self.index.get(text).map(|&id| Sym(id))
    }

    /// The text of a symbol; empty for `Sym::NONE`.
    pub fn get(&self, sym: Sym) -> &str {
        self.strings.get(sym.0 as usize).map_or("", |s| s)
    }

    /// The text of a symbol, or `None` for a missing value.
    pub fn text(&self, sym: Sym) -> Option<&str> {
        (!sym.is_none()).then(|| self.get(sym))
    }

    pub fn len(&self) -> usize {
        self.strings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.strings.len() <= 1
    }
}

/// What a history event records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The ticket moved to the status in the event's value.
    Status,
    /// The ticket's priority became the event's value (`P1`…).
    Priority,
    /// The ticket was assigned to the group in the event's value.
    Group,
    /// The requester wrote to the desk.
    CustomerMessage,
    /// An agent wrote to the requester.
    ReplyPublic,
    /// An agent wrote a note the requester does not see.
    ReplyInternal,
    /// The system acknowledged the ticket automatically.
    AutoReply,
}

impl EventKind {
    pub const ALL: [EventKind; 7] = [
        EventKind::Status,
        EventKind::Priority,
        EventKind::Group,
        EventKind::CustomerMessage,
        EventKind::ReplyPublic,
        EventKind::ReplyInternal,
        EventKind::AutoReply,
    ];

    pub fn name(self) -> &'static str {
        match self {
            EventKind::Status => "status",
            EventKind::Priority => "priority",
            EventKind::Group => "group",
            EventKind::CustomerMessage => "customer_message",
            EventKind::ReplyPublic => "reply_public",
            EventKind::ReplyInternal => "reply_internal",
            EventKind::AutoReply => "auto_reply",
        }
    }

    pub fn parse(text: &str) -> Option<EventKind> {
        let text = text.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        EventKind::ALL.into_iter().find(|kind| kind.name() == text)
    }
}

/// One entry of a ticket's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    pub at: Instant,
    pub kind: EventKind,
    /// The new status, priority (`P1`…) or group; empty for messages.
    pub value: Sym,
}

/// Where a status sits in a ticket's life, which decides how the clocks treat it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusClass {
    /// Logged, not yet picked up: leaving it is the first response where no reply is recorded.
    New,
    /// Being worked on, or waiting in a status that a metric may pause on.
    Open,
    Resolved,
    Closed,
    Canceled,
}

impl StatusClass {
    pub fn is_done(self) -> bool {
        matches!(
            self,
            StatusClass::Resolved | StatusClass::Closed | StatusClass::Canceled
        )
    }
}

/// How the source system judged the ticket, kept to reconcile against our verdicts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SourceVerdicts {
    /// One flag for the whole ticket, such as ServiceNow's `made_sla`.
    pub overall: Option<bool>,
    /// Whether the source says the response target was met, such as Freshdesk's
    /// `First response status`.
    pub response: Option<bool>,
    pub resolution: Option<bool>,
    /// The source's own elapsed times in seconds, such as Zendesk's `First reply time in
    /// minutes`: on a 24×7 clock, and within its business hours.
    pub response_elapsed: Option<i64>,
    pub response_business: Option<i64>,
    pub resolution_elapsed: Option<i64>,
    pub resolution_business: Option<i64>,
}

impl SourceVerdicts {
    /// Whether the export carries any verdict or figure of the source system.
    pub fn any(&self) -> bool {
        self.overall.is_some()
            || self.response.is_some()
            || self.resolution.is_some()
            || self.response_elapsed.is_some()
            || self.response_business.is_some()
            || self.resolution_elapsed.is_some()
            || self.resolution_business.is_some()
    }
}

/// A ticket in the canonical model.
#[derive(Debug, Clone)]
pub struct Ticket {
    pub id: Box<str>,
    /// The line in the tickets file of the row that gave the final values.
    pub line: u64,
    pub opened: Instant,
    /// The first public agent reply, when the export records one.
    pub first_response: Option<Instant>,
    /// The final resolution; a reopened ticket's last one.
    pub resolved: Option<Instant>,
    pub closed: Option<Instant>,
    pub priority: Option<Priority>,
    pub initial_priority: Option<Priority>,
    /// Impact and urgency levels, 1 (highest) upwards.
    pub impact: Option<u8>,
    pub urgency: Option<u8>,
    pub status: Sym,
    pub status_class: Option<StatusClass>,
    pub category: Sym,
    pub subcategory: Sym,
    pub team: Sym,
    pub assignee: Sym,
    pub requester: Sym,
    pub channel: Sym,
    pub title: Sym,
    pub reassignments: Option<u32>,
    pub reopens: Option<u32>,
    pub source: SourceVerdicts,
    /// Values of the extra columns the project asks for, in `Dataset::extra_columns` order.
    pub extra: Box<[Sym]>,
    /// This ticket's history in `Dataset::events`, ordered by time.
    pub events: Range<u32>,
}

/// A canonical field that a preset or the project maps to a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Id,
    Opened,
    FirstResponse,
    Resolved,
    Closed,
    Priority,
    Impact,
    Urgency,
    Status,
    Category,
    Subcategory,
    Team,
    Assignee,
    Requester,
    Channel,
    Title,
    Reassignments,
    Reopens,
    SourceVerdict,
    Updated,
    UpdateSequence,
    ResponseVerdict,
    ResolutionVerdict,
    ResponseTime,
    ResponseBusinessTime,
    ResolutionTime,
    ResolutionBusinessTime,
    ResolutionDue,
    Overdue,
    Labels,
    Comments,
    Effort,
    Satisfaction,
}

impl Field {
    pub const ALL: [Field; 33] = [
        Field::Id,
        Field::Opened,
        Field::FirstResponse,
        Field::Resolved,
        Field::Closed,
        Field::Priority,
        Field::Impact,
        Field::Urgency,
        Field::Status,
        Field::Category,
        Field::Subcategory,
        Field::Team,
        Field::Assignee,
        Field::Requester,
        Field::Channel,
        Field::Title,
        Field::Reassignments,
        Field::Reopens,
        Field::SourceVerdict,
        Field::Updated,
        Field::UpdateSequence,
        Field::ResponseVerdict,
        Field::ResolutionVerdict,
        Field::ResponseTime,
        Field::ResponseBusinessTime,
        Field::ResolutionTime,
        Field::ResolutionBusinessTime,
        Field::ResolutionDue,
        Field::Overdue,
        Field::Labels,
        Field::Comments,
        Field::Effort,
        Field::Satisfaction,
    ];

    pub fn name(self) -> &'static str {
        CANONICAL_FIELDS[self as usize]
    }

    pub fn parse(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|field| field.name() == name)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The names of the canonical fields, in `Field` order.
pub const CANONICAL_FIELDS: &[&str] = &[
    "id",
    "opened",
    "first_response",
    "resolved",
    "closed",
    "priority",
    "impact",
    "urgency",
    "status",
    "category",
    "subcategory",
    "team",
    "assignee",
    "requester",
    "channel",
    "title",
    "reassignments",
    "reopens",
    "source_verdict",
    "updated",
    "update_sequence",
    "response_verdict",
    "resolution_verdict",
    "response_time",
    "response_business_time",
    "resolution_time",
    "resolution_business_time",
    "resolution_due",
    "overdue",
    "labels",
    "comments",
    "effort",
    "satisfaction",
];

/// Fields whose export values can be mapped in `[tickets.values.FIELD]`.
pub const MAPPED_VALUE_FIELDS: &[&str] = &[
    "priority",
    "status",
    "impact",
    "urgency",
    "source_verdict",
    "response_verdict",
    "resolution_verdict",
    "satisfaction",
];
