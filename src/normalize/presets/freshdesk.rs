//! Freshdesk ticket exports (Tickets → Export, CSV).
//!
//! Freshdesk writes its own SLA verdicts (`First response status`, `Resolution status`:
//! `Within SLA` or `SLA Violated`) and its business-hours figures as `HH:MM:SS` durations
//! (`First response time (in hrs)`, `Resolution time (in hrs)`); `Time tracked` is `HH:MM`.

use super::Preset;
use crate::normalize::cells::DurationUnit;
use crate::normalize::StatusClass;

pub static FRESHDESK: Preset = Preset {
    name: "freshdesk",
    description: "Freshdesk ticket exports (CSV)",
    columns: &[
        ("id", &["Ticket ID", "Ticket Id"]),
        ("opened", &["Created time", "Created Time"]),
        (
            "first_response",
            &["Initial response time", "Initial Response Time"],
        ),
        ("resolved", &["Resolved time", "Resolved Time"]),
        ("closed", &["Closed time", "Closed Time"]),
        ("priority", &["Priority"]),
        ("status", &["Status"]),
        ("category", &["Type", "Category"]),
        ("subcategory", &["Sub-Category"]),
        ("team", &["Group"]),
        ("assignee", &["Agent"]),
        ("requester", &["Full name", "Requester Name", "Contact ID"]),
        ("channel", &["Source"]),
        ("title", &["Subject"]),
        ("updated", &["Last update time", "Last Updated Time"]),
        (
            "response_verdict",
            &["First response status", "First Response Status"],
        ),
        (
            "resolution_verdict",
            &["Resolution status", "Resolution Status"],
        ),
        (
            "response_business_time",
            &[
                "First response time (in hrs)",
                "First Response Time (in Hrs)",
            ],
        ),
        (
            "resolution_business_time",
            &["Resolution time (in hrs)", "Resolution Time (in Hrs)"],
        ),
        ("resolution_due", &["Due by Time"]),
        ("labels", &["Tags"]),
        ("effort", &["Time tracked", "Time Tracked"]),
    ],
    null: &["?", "NULL", "N/A", " ", "--"],
    status_codes: &[],
    statuses: &[
        ("Open", StatusClass::Open),
        ("Pending", StatusClass::Open),
        ("Waiting on Customer", StatusClass::Open),
        ("Waiting on Third Party", StatusClass::Open),
        ("Resolved", StatusClass::Resolved),
        ("Closed", StatusClass::Closed),
    ],
    priorities: &[("urgent", 1), ("high", 2), ("medium", 3), ("low", 4)],
    pause_resolution: &["Pending", "Waiting on Customer", "Waiting on Third Party"],
    pause_response: &[],
    event_log_columns: &[],
    source_verdict: "First response status and Resolution status (Within SLA or SLA \
        Violated), and Freshdesk's business-hours response and resolution times",
    verdict_forms: &[],
    duration_units: &[
        ("response_business_time", DurationUnit::Hours),
        ("resolution_business_time", DurationUnit::Hours),
    ],
    label_separators: ",",
};
