//! Zendesk Support ticket exports (Admin Center → Reports → Export, CSV).
//!
//! The export carries no first-reply timestamp, only Zendesk's own duration figures in
//! minutes (`First reply time in minutes`, `Full resolution time in minutes`, each also
//! `… within business hours`). The first response is therefore the creation time plus the
//! calendar-minute figure, and the business-hours figures are reconciled against ours.

use super::Preset;
use crate::normalize::StatusClass;

pub static ZENDESK: Preset = Preset {
    name: "zendesk",
    description: "Zendesk Support ticket exports (CSV)",
    columns: &[
        ("id", &["Id", "ID", "Ticket ID"]),
        ("opened", &["Created at"]),
        ("resolved", &["Solved at"]),
        ("priority", &["Priority"]),
        ("status", &["Status"]),
        ("category", &["Ticket type", "Type"]),
        ("team", &["Group"]),
        ("assignee", &["Assignee"]),
        ("requester", &["Requester"]),
        ("channel", &["Via"]),
        ("title", &["Subject"]),
        ("reassignments", &["Group stations"]),
        ("reopens", &["Reopens"]),
        ("updated", &["Updated at"]),
        ("response_time", &["First reply time in minutes"]),
        (
            "response_business_time",
            &["First reply time in minutes within business hours"],
        ),
        ("resolution_time", &["Full resolution time in minutes"]),
        (
            "resolution_business_time",
            &["Full resolution time in minutes within business hours"],
        ),
        ("labels", &["Tags"]),
        (
            "satisfaction",
            &["Satisfaction Score", "Satisfaction score"],
        ),
    ],
    null: &["?", "NULL", "N/A", " ", "-"],
    status_codes: &[],
    statuses: &[
        ("New", StatusClass::New),
        ("Open", StatusClass::Open),
        ("Pending", StatusClass::Open),
        ("On-hold", StatusClass::Open),
        ("Hold", StatusClass::Open),
        ("Solved", StatusClass::Resolved),
        ("Closed", StatusClass::Closed),
        ("Deleted", StatusClass::Canceled),
    ],
    priorities: &[("urgent", 1), ("high", 2), ("normal", 3), ("low", 4)],
    pause_resolution: &["Pending", "On-hold", "Hold"],
    pause_response: &[],
    event_log_columns: &[],
    source_verdict: "Zendesk's own first reply and full resolution times in minutes, in \
        calendar time and within its business hours; full resolution time counts pending \
        and on-hold time, which slaudit pauses",
    verdict_forms: &[],
    duration_units: &[],
    label_separators: " ",
};
