//! Jira Service Management issue exports ("Export Excel CSV (all fields)").
//!
//! Jira writes a multi-valued field as one column per value under a repeated header
//! (`Labels,Labels,Labels`, `Comment,Comment`), pads every row to the widest issue, and ends
//! the header with an unnamed column. Each `Comment` cell packs `date;author;body`; only the
//! first two `;` separate, so a body keeps its own semicolons. The SLA columns
//! (`Time to first response`, `Time to resolution`, or `Custom field (…)`) hold the time left
//! on the SLA, negative once it was breached.

use super::Preset;
use crate::normalize::cells::VerdictForm;
use crate::normalize::StatusClass;

pub static JIRA: Preset = Preset {
    name: "jira",
    description: "Jira Service Management issue exports (CSV, all fields)",
    columns: &[
        ("id", &["Issue key"]),
        ("opened", &["Created"]),
        ("resolved", &["Resolved"]),
        ("priority", &["Priority"]),
        ("status", &["Status"]),
        (
            "category",
            &["Issue Type", "Request Type", "Custom field (Request Type)"],
        ),
        ("subcategory", &["Components", "Component/s"]),
        ("team", &["Team", "Custom field (Team)", "Assignee Group"]),
        ("assignee", &["Assignee"]),
        ("requester", &["Reporter"]),
        ("channel", &["Custom field (Source)", "Source"]),
        ("title", &["Summary"]),
        ("updated", &["Updated"]),
        (
            "response_verdict",
            &[
                "Time to first response",
                "Custom field (Time to first response)",
            ],
        ),
        (
            "resolution_verdict",
            &["Time to resolution", "Custom field (Time to resolution)"],
        ),
        ("labels", &["Labels"]),
        ("comments", &["Comment"]),
    ],
    null: &["?", "NULL", "N/A", " "],
    status_codes: &[],
    statuses: &[
        ("Open", StatusClass::New),
        ("New", StatusClass::New),
        ("To Do", StatusClass::New),
        ("Backlog", StatusClass::New),
        ("Waiting for support", StatusClass::New),
        ("In Progress", StatusClass::Open),
        ("Work in progress", StatusClass::Open),
        ("Escalated", StatusClass::Open),
        ("Reopened", StatusClass::Open),
        ("Pending", StatusClass::Open),
        ("Waiting for customer", StatusClass::Open),
        ("Waiting for approval", StatusClass::Open),
        ("Waiting for vendor", StatusClass::Open),
        ("Under review", StatusClass::Open),
        ("Resolved", StatusClass::Resolved),
        ("Done", StatusClass::Resolved),
        ("Completed", StatusClass::Resolved),
        ("Closed", StatusClass::Closed),
        ("Canceled", StatusClass::Canceled),
        ("Cancelled", StatusClass::Canceled),
        ("Declined", StatusClass::Canceled),
        ("Won't Do", StatusClass::Canceled),
    ],
    priorities: &[
        ("highest", 1),
        ("blocker", 1),
        ("critical", 1),
        ("high", 2),
        ("major", 2),
        ("medium", 3),
        ("low", 4),
        ("minor", 4),
        ("lowest", 5),
        ("trivial", 5),
    ],
    pause_resolution: &["Waiting for customer", "Pending", "Waiting for approval"],
    pause_response: &[],
    event_log_columns: &[],
    source_verdict: "the SLA columns Time to first response and Time to resolution, which \
        hold the time left on each SLA; a leading `-` means Jira counted it as breached",
    verdict_forms: &[
        ("response_verdict", VerdictForm::Remaining),
        ("resolution_verdict", VerdictForm::Remaining),
    ],
    duration_units: &[],
    label_separators: "",
};

/// One comment cell of a Jira export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment<'a> {
    pub date: &'a str,
    pub author: &'a str,
    pub body: &'a str,
}

/// Splits a comment cell `date;author;body` on its first two `;`, so that the body keeps
/// its own. `None` when the cell has fewer than two `;`.
pub fn split_comment(cell: &str) -> Option<Comment<'_>> {
    let (date, rest) = cell.split_once(';')?;
    let (author, body) = rest.split_once(';')?;
    Some(Comment {
        date: date.trim(),
        author: author.trim(),
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_splits_on_first_two_semicolons() {
        let comment = split_comment("02/Sep/24 4:30 PM;agent-7;Fixed; router replaced").unwrap();
        assert_eq!(comment.date, "02/Sep/24 4:30 PM");
        assert_eq!(comment.author, "agent-7");
        assert_eq!(comment.body, "Fixed; router replaced");
    }

    #[test]
    fn comment_with_empty_body_and_malformed_cells() {
        let comment = split_comment("02/Sep/24 4:30 PM;agent-7;").unwrap();
        assert_eq!(comment.body, "");
        assert_eq!(split_comment("02/Sep/24 4:30 PM;agent-7"), None);
        assert_eq!(split_comment("just text"), None);
    }
}
