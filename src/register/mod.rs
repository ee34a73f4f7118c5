//! The governance register: owners of the control areas, exceptions, risk acceptances and
//! actions, kept by the audit team in a markdown file next to the data.
//!
//! [`Register::parse`] reads the file and returns every problem it finds as a
//! [`Diagnostic`] with its line, never stopping at the first. [`Scope`] is the filter
//! language of exceptions and [`Scope::matches`] decides whether an exception covers a
//! ticket's metric. [`Register::findings`] lists what needs a manager's attention on a given
//! date using the register alone. Notes are rendered to HTML with raw HTML escaped and only
//! `http`, `https` and `mailto` links kept (see [`render_notes`]).
//!
//! The file format and the error and warning rules are documented in the README's "Register format" section.

mod file;
mod findings;
mod notes;
mod parse;
mod scope;

use std::fmt;

use chrono::NaiveDate;

pub use file::{read_project_register, ProjectRegister};
pub use findings::{Finding, FindingKind, EXPIRY_NOTICE_DAYS};
pub use notes::{is_safe_url, render_notes};
pub use scope::{Field, Metric, Scope, ScopeError, ScopeFields, TicketFields, KNOWN_FIELDS};

/// A register with the known control areas and no entries, for `slaudit init`; it reads
/// without diagnostics, and each fenced example shows an entry to copy.
pub const SKELETON: &str = include_str!("skeleton.md");

/// The file name `slaudit init` gives the register, next to `slaudit.toml`.
pub const SKELETON_FILE: &str = "register.md";

/// A parsed governance register.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Register {
    /// The file name used in diagnostics and findings.
    pub file: String,
    /// The text of the first `#` heading.
    pub title: Option<String>,
    /// The line of the first `## Owners` heading, when there is one.
    pub owners_line: Option<usize>,
    pub owners: Vec<OwnerRow>,
    pub exceptions: Vec<Exception>,
    pub risk_acceptances: Vec<RiskAcceptance>,
    pub actions: Vec<Action>,
}

impl Register {
    /// Parses a register. `file` names the file in diagnostics; `extra_fields` are the ticket
    /// columns, besides [`KNOWN_FIELDS`], that scopes may compare.
    ///
    /// Every entry that has a readable heading is kept, even when one of its values is
    /// invalid (that value is then `None`). The register is fit for use only when no
    /// diagnostic is an error.
    pub fn parse(text: &str, file: &str, extra_fields: &[&str]) -> (Register, Vec<Diagnostic>) {
        parse::parse(text, file, extra_fields)
    }

    pub fn exception(&self, id: &str) -> Option<&Exception> {
        self.exceptions.iter().find(|exception| exception.id == id)
    }

    /// Finds the first exception, in file order, that is in force on `date` and whose scope
    /// covers `metric` of `ticket`.
    pub fn covering_exception(
        &self,
        ticket: &dyn ScopeFields,
        metric: Metric,
        date: NaiveDate,
    ) -> Option<&Exception> {
        self.exceptions
            .iter()
            .find(|exception| exception.is_in_force(date) && exception.covers(ticket, metric))
    }
}

/// A control area of the audit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ControlArea {
    TicketPriority,
    Escalation,
    Metrics,
    SecurityVerification,
    Satisfaction,
    /// An area the project added, named as written in the table.
    Custom(String),
}

impl ControlArea {
    /// The areas every register must assign an owner to, in the order of the audit site.
    pub const KNOWN: [ControlArea; 5] = [
        ControlArea::TicketPriority,
        ControlArea::Escalation,
        ControlArea::Metrics,
        ControlArea::SecurityVerification,
        ControlArea::Satisfaction,
    ];

    pub fn name(&self) -> &str {
        match self {
            ControlArea::TicketPriority => "ticket priority",
            ControlArea::Escalation => "escalation",
            ControlArea::Metrics => "metrics",
            ControlArea::SecurityVerification => "security verification",
            ControlArea::Satisfaction => "satisfaction",
            ControlArea::Custom(name) => name,
        }
    }

    /// Reads an area name, ignoring case and repeated spaces; other names are custom areas.
    pub fn parse(text: &str) -> ControlArea {
        let key = normalize_key(text);
        ControlArea::KNOWN
            .into_iter()
            .find(|area| area.name() == key)
            .unwrap_or_else(|| ControlArea::Custom(text.trim().to_string()))
    }

    pub fn is_custom(&self) -> bool {
        matches!(self, ControlArea::Custom(_))
    }
}

impl fmt::Display for ControlArea {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A row of the Owners table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerRow {
    pub area: ControlArea,
    pub owner: Option<String>,
    pub team: Option<String>,
    pub last_review: Option<NaiveDate>,
    pub next_review: Option<NaiveDate>,
    pub line: usize,
}

/// The approval state of an exception.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExceptionStatus {
    Proposed,
    Approved,
    Rejected,
    Expired,
}

impl ExceptionStatus {
    pub const ALL: [ExceptionStatus; 4] = [
        ExceptionStatus::Proposed,
        ExceptionStatus::Approved,
        ExceptionStatus::Rejected,
        ExceptionStatus::Expired,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ExceptionStatus::Proposed => "proposed",
            ExceptionStatus::Approved => "approved",
            ExceptionStatus::Rejected => "rejected",
            ExceptionStatus::Expired => "expired",
        }
    }

    pub fn parse(text: &str) -> Option<ExceptionStatus> {
        let key = normalize_key(text);
        ExceptionStatus::ALL
            .into_iter()
            .find(|status| status.name() == key)
    }
}

impl fmt::Display for ExceptionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An agreed departure from the SLA for the tickets and metrics of its scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exception {
    pub id: String,
    pub title: String,
    /// The line of the entry's heading.
    pub line: usize,
    pub status: Option<ExceptionStatus>,
    pub scope: Option<Scope>,
    pub owner: Option<String>,
    pub approved_by: Option<String>,
    pub approved_on: Option<NaiveDate>,
    pub expires: Option<NaiveDate>,
    pub next_validation: Option<NaiveDate>,
    pub notes: Notes,
}

impl Exception {
    /// Returns whether the exception is approved and `date` lies from its approval date to
    /// its expiry date, both included.
    pub fn is_in_force(&self, date: NaiveDate) -> bool {
        self.status == Some(ExceptionStatus::Approved)
            && self.approved_on.is_some_and(|approved| approved <= date)
            && self.expires.is_some_and(|expires| date <= expires)
    }

    /// Returns whether the scope covers `metric` of `ticket`, whatever the status and dates.
    /// An exception without a valid scope covers nothing.
    pub fn covers(&self, ticket: &dyn ScopeFields, metric: Metric) -> bool {
        self.scope
            .as_ref()
            .is_some_and(|scope| scope.matches(ticket, metric))
    }
}

/// A risk that an accountable person accepted instead of treating it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskAcceptance {
    pub id: String,
    pub title: String,
    pub line: usize,
    pub risk: Option<String>,
    pub accepted_by: Option<String>,
    pub accepted_on: Option<NaiveDate>,
    pub review_by: Option<NaiveDate>,
    /// Finding and ticket ids the acceptance refers to.
    pub links: Vec<String>,
    pub notes: Notes,
}

/// The progress of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ActionStatus {
    Open,
    InProgress,
    Done,
    Verified,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 4] = [
        ActionStatus::Open,
        ActionStatus::InProgress,
        ActionStatus::Done,
        ActionStatus::Verified,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::InProgress => "in progress",
            ActionStatus::Done => "done",
            ActionStatus::Verified => "verified",
        }
    }

    /// Parses a status; `in-progress` and `in_progress` read as `in progress`.
    pub fn parse(text: &str) -> Option<ActionStatus> {
        let key = normalize_key(text);
        ActionStatus::ALL
            .into_iter()
            .find(|status| status.name() == key)
    }
}

impl fmt::Display for ActionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Work promised in response to a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub id: String,
    pub title: String,
    pub line: usize,
    pub owner: Option<String>,
    pub due: Option<NaiveDate>,
    pub status: Option<ActionStatus>,
    /// The id of the finding the action addresses.
    pub finding: Option<String>,
    pub notes: Notes,
}

/// The free markdown below an entry's `Key: value` list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notes {
    /// The markdown as written.
    pub markdown: String,
    /// The markdown rendered by the rules of [`render_notes`].
    pub html: String,
}

/// Whether a diagnostic makes the register unusable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The register cannot be trusted: a build must stop and `check` must fail.
    Error,
    /// The entry is kept; something in it was ignored or looks wrong.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// A problem found while reading the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters, when the problem has a precise place on the line.
    pub column: Option<usize>,
    pub message: String,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:column: severity: message`, without the column when there is none.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)?;
        if let Some(column) = self.column {
            write!(f, ":{column}")?;
        }
        write!(f, ": {}: {}", self.severity, self.message)
    }
}

/// Lowercases a key or name, reads `-` and `_` as spaces and collapses runs of white space,
/// so that `Approved_By` and `approved  by` compare equal.
pub(crate) fn normalize_key(text: &str) -> String {
    text.to_lowercase()
        .replace(['-', '_'], " ")
        .split_whitespace()
        .collect::<Vec<&str>>()
        .join(" ")
}
