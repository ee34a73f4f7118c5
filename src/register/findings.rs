//! Findings that need only the register and a date: unowned control areas, lapsed reviews,
//! expired or expiring exceptions, risk acceptances past review, overdue and unverified
//! actions.

use std::fmt;

use chrono::NaiveDate;

use super::{ActionStatus, ControlArea, ExceptionStatus, Register};

/// An approved exception whose expiry date is this many days after the as-of date or fewer
/// (and not before it) is reported as expiring.
pub const EXPIRY_NOTICE_DAYS: i64 = 30;

/// The subject of a finding. [`FindingKind::name`] is stable and part of the finding id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FindingKind {
    /// A known control area with no row in the Owners table, or a row without an owner.
    AreaWithoutOwner,
    /// A control area whose next review date is before the as-of date.
    AreaReviewOverdue,
    /// An exception still marked approved after its expiry date.
    ExceptionExpired,
    /// An approved exception that expires within [`EXPIRY_NOTICE_DAYS`] of the as-of date.
    ExceptionExpiring,
    /// An approved, unexpired exception whose next validation date is before the as-of date.
    ExceptionValidationOverdue,
    /// A risk acceptance whose review date is before the as-of date.
    RiskReviewOverdue,
    /// An action neither done nor verified whose due date is before the as-of date.
    ActionOverdue,
    /// An action marked done that no one has verified.
    ActionUnverified,
}

impl FindingKind {
    pub fn name(self) -> &'static str {
        match self {
            FindingKind::AreaWithoutOwner => "area-without-owner",
            FindingKind::AreaReviewOverdue => "area-review-overdue",
            FindingKind::ExceptionExpired => "exception-expired",
            FindingKind::ExceptionExpiring => "exception-expiring",
            FindingKind::ExceptionValidationOverdue => "exception-validation-overdue",
            FindingKind::RiskReviewOverdue => "risk-review-overdue",
            FindingKind::ActionOverdue => "action-overdue",
            FindingKind::ActionUnverified => "action-unverified",
        }
    }

    /// Returns whether the finding is about an exception, whose id is then the finding's
    /// `entry`. A caller that links tickets keeps such a finding only when the exception's
    /// scope still matches tickets of the period.
    pub fn is_about_exception(self) -> bool {
        matches!(
            self,
            FindingKind::ExceptionExpired
                | FindingKind::ExceptionExpiring
                | FindingKind::ExceptionValidationOverdue
        )
    }
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Something in the register that needs a manager's attention on the as-of date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// `KIND:ENTRY`, such as `exception-expired:EX-01` or `area-without-owner:ticket-priority`;
    /// the same register and as-of date always give the same ids.
    pub id: String,
    pub kind: FindingKind,
    /// The entry id, or the control area's name.
    pub entry: String,
    /// The line of the entry's heading or table row. For an area missing from the Owners
    /// table it is the `## Owners` heading, or line 1 when there is no such section.
    pub line: usize,
    /// The date that triggered the finding; `None` for an area without owner and for an
    /// unverified action without a due date.
    pub date: Option<NaiveDate>,
    /// One sentence for a manager.
    pub message: String,
}

impl Finding {
    fn new(
        kind: FindingKind,
        entry: &str,
        line: usize,
        date: Option<NaiveDate>,
        message: String,
    ) -> Finding {
        Finding {
            id: format!("{}:{}", kind.name(), entry.replace(' ', "-")),
            kind,
            entry: entry.to_string(),
            line,
            date,
            message,
        }
    }
}

/// "1 day" or "N days".
fn days(count: i64) -> String {
    if count == 1 {
        "1 day".to_string()
    } else {
        format!("{count} days")
    }
}

/// Names an entry in a sentence: `EX-01 (Vendor hardware waits)`, or the id alone.
fn named(id: &str, title: &str) -> String {
    if title.is_empty() {
        id.to_string()
    } else {
        format!("{id} ({title})")
    }
}

impl Register {
    /// Lists the findings on `as_of`, ordered by line, then kind, then entry.
    ///
    /// A date equal to `as_of` is not yet overdue: a review, validation or action due today
    /// is on time, and an exception expiring today is still in force and counts as expiring.
    pub fn findings(&self, as_of: NaiveDate) -> Vec<Finding> {
        let mut findings = Vec::new();
        self.area_findings(as_of, &mut findings);
        self.exception_findings(as_of, &mut findings);
        self.risk_findings(as_of, &mut findings);
        self.action_findings(as_of, &mut findings);
        findings.sort_by(|a, b| (a.line, a.kind, &a.entry).cmp(&(b.line, b.kind, &b.entry)));
        findings
    }

    fn area_findings(&self, as_of: NaiveDate, findings: &mut Vec<Finding>) {
        for area in ControlArea::KNOWN {
            if self.owners.iter().any(|row| row.area == area) {
                continue;
            }
            let (line, place) = match self.owners_line {
                Some(line) => (line, "the Owners table has no row for it"),
                None => (1, "the register has no Owners section"),
            };
            findings.push(Finding::new(
                FindingKind::AreaWithoutOwner,
                area.name(),
                line,
                None,
                format!("No one owns {area}: {place}."),
            ));
        }
        for row in &self.owners {
            let area = &row.area;
            if row.owner.is_none() {
                findings.push(Finding::new(
                    FindingKind::AreaWithoutOwner,
                    area.name(),
                    row.line,
                    None,
                    format!("No one owns {area}: its row in the Owners table names no owner."),
                ));
            }
            if let Some(next) = row.next_review.filter(|next| *next < as_of) {
                let late = (as_of - next).num_days();
                findings.push(Finding::new(
                    FindingKind::AreaReviewOverdue,
                    area.name(),
                    row.line,
                    Some(next),
                    format!(
                        "The review of {area} was due on {next} and is {} overdue.",
                        days(late)
                    ),
                ));
            }
        }
    }

    fn exception_findings(&self, as_of: NaiveDate, findings: &mut Vec<Finding>) {
        for exception in &self.exceptions {
            if exception.status != Some(ExceptionStatus::Approved) {
                continue;
            }
            let name = named(&exception.id, &exception.title);
            let Some(expires) = exception.expires else {
                continue;
            };
            if expires < as_of {
                let ago = (as_of - expires).num_days();
                findings.push(Finding::new(
                    FindingKind::ExceptionExpired,
                    &exception.id,
                    exception.line,
                    Some(expires),
                    format!(
                        "Exception {name} expired on {expires}, {} ago, but is still marked approved; renew it or mark it expired.",
                        days(ago)
                    ),
                ));
                continue;
            }
            let left = (expires - as_of).num_days();
            if left <= EXPIRY_NOTICE_DAYS {
                let when = if left == 0 {
                    "today".to_string()
                } else {
                    format!("in {}", days(left))
                };
                findings.push(Finding::new(
                    FindingKind::ExceptionExpiring,
                    &exception.id,
                    exception.line,
                    Some(expires),
                    format!(
                        "Exception {name} expires on {expires}, {when}; renew it or plan for the breaches it covers to count again."
                    ),
                ));
            }
            if let Some(due) = exception.next_validation.filter(|due| *due < as_of) {
                let late = (as_of - due).num_days();
                findings.push(Finding::new(
                    FindingKind::ExceptionValidationOverdue,
                    &exception.id,
                    exception.line,
                    Some(due),
                    format!(
                        "Exception {name} was due for validation on {due} and is {} overdue.",
                        days(late)
                    ),
                ));
            }
        }
    }

    fn risk_findings(&self, as_of: NaiveDate, findings: &mut Vec<Finding>) {
        for acceptance in &self.risk_acceptances {
            let Some(due) = acceptance.review_by.filter(|due| *due < as_of) else {
                continue;
            };
            let late = (as_of - due).num_days();
            let accepted_by = acceptance
                .accepted_by
                .as_deref()
                .map(|who| format!(", accepted by {who},"))
                .unwrap_or_default();
            findings.push(Finding::new(
                FindingKind::RiskReviewOverdue,
                &acceptance.id,
                acceptance.line,
                Some(due),
                format!(
                    "Risk acceptance {}{accepted_by} was due for review on {due} and is {} overdue.",
                    named(&acceptance.id, &acceptance.title),
                    days(late)
                ),
            ));
        }
    }

    fn action_findings(&self, as_of: NaiveDate, findings: &mut Vec<Finding>) {
        for action in &self.actions {
            let name = named(&action.id, &action.title);
            let owner = action
                .owner
                .as_deref()
                .map(|owner| format!(", owned by {owner},"))
                .unwrap_or_default();
            match action.status {
                Some(ActionStatus::Open | ActionStatus::InProgress) => {
                    let Some(due) = action.due.filter(|due| *due < as_of) else {
                        continue;
                    };
                    let late = (as_of - due).num_days();
                    findings.push(Finding::new(
                        FindingKind::ActionOverdue,
                        &action.id,
                        action.line,
                        Some(due),
                        format!(
                            "Action {name}{owner} was due on {due} and is {} overdue.",
                            days(late)
                        ),
                    ));
                }
                Some(ActionStatus::Done) => findings.push(Finding::new(
                    FindingKind::ActionUnverified,
                    &action.id,
                    action.line,
                    action.due,
                    format!(
                        "Action {name}{owner} is marked done but nobody has verified that it worked."
                    ),
                )),
                Some(ActionStatus::Verified) | None => {}
            }
        }
    }
}
