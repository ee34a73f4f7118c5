//! Zammad ticket reports (Reporting → Download, saved as CSV).
//!
//! The report has `Created At`, `First Response At` and `Closed At`, Zammad's SLA figures in
//! business minutes (`First Response In Min`, `Close In Min`) and the minutes left on each
//! SLA (`… Diff In Min`, negative once breached). Zammad has no resolved state by default,
//! so closing a ticket resolves it. Its priorities count upwards (`1 low` … `3 high`).

use super::Preset;
use crate::normalize::StatusClass;

pub static ZAMMAD: Preset = Preset {
    name: "zammad",
    description: "Zammad ticket reports (CSV)",
    columns: &[
        ("id", &["#", "Number", "Ticket Number"]),
        ("opened", &["Created At"]),
        ("first_response", &["First Response At"]),
        ("resolved", &["Closed At"]),
        ("closed", &["Closed At"]),
        ("priority", &["Priority"]),
        ("status", &["State"]),
        ("team", &["Group"]),
        ("assignee", &["Owner"]),
        ("requester", &["Customer"]),
        ("channel", &["Create Channel"]),
        ("title", &["Title"]),
        ("updated", &["Updated At"]),
        ("response_business_time", &["First Response In Min"]),
        ("response_verdict", &["First Response Diff In Min"]),
        ("resolution_business_time", &["Close In Min"]),
        ("resolution_verdict", &["Close Diff In Min"]),
        ("labels", &["Tags"]),
    ],
    null: &["?", "NULL", "N/A", " ", "-"],
    status_codes: &[],
    statuses: &[
        ("new", StatusClass::New),
        ("open", StatusClass::Open),
        ("pending reminder", StatusClass::Open),
        ("pending close", StatusClass::Open),
        ("closed", StatusClass::Closed),
        ("merged", StatusClass::Canceled),
        ("removed", StatusClass::Canceled),
    ],
    priorities: &[("3 high", 2), ("2 normal", 3), ("1 low", 4)],
    pause_resolution: &["pending reminder", "pending close"],
    pause_response: &[],
    event_log_columns: &[],
    source_verdict: "First Response Diff In Min and Close Diff In Min, the minutes left on \
        each SLA (negative means breached), and Zammad's business-minute figures",
    verdict_forms: &[],
    duration_units: &[],
    label_separators: ",",
};
