//! Znuny and OTRS ticket lists (the `TicketList` statistic exported as CSV).
//!
//! The statistic names its columns by attribute (`TicketNumber`, `Created`, `Closed`,
//! `FirstResponse`) or by their labels (`Ticket#`, `Close Time`); its SLA figures are in
//! working minutes (`FirstResponseInMin`, `SolutionInMin`) and the minutes left on each
//! escalation (`FirstResponseDiffInMin`, `SolutionDiffInMin`, negative once breached). Its
//! priorities count upwards (`1 very low` … `5 very high`).

use super::Preset;
use crate::normalize::StatusClass;

pub static OTRS: Preset = Preset {
    name: "otrs",
    description: "Znuny and OTRS ticket list statistics (CSV)",
    columns: &[
        (
            "id",
            &["TicketNumber", "Ticket#", "Ticket Number", "Ticket"],
        ),
        ("opened", &["Created"]),
        ("first_response", &["FirstResponse"]),
        ("resolved", &["Closed", "Close Time"]),
        ("closed", &["Closed", "Close Time"]),
        ("priority", &["Priority"]),
        ("status", &["State"]),
        ("category", &["Type", "Service"]),
        ("team", &["Queue"]),
        ("assignee", &["Owner", "Agent/Owner"]),
        (
            "requester",
            &["CustomerUserID", "Customer User", "CustomerID"],
        ),
        ("title", &["Title"]),
        ("updated", &["Changed"]),
        ("response_business_time", &["FirstResponseInMin"]),
        ("response_verdict", &["FirstResponseDiffInMin"]),
        ("resolution_business_time", &["SolutionInMin"]),
        ("resolution_verdict", &["SolutionDiffInMin"]),
    ],
    null: &["?", "NULL", "N/A", " "],
    status_codes: &[],
    statuses: &[
        ("new", StatusClass::New),
        ("open", StatusClass::Open),
        ("pending reminder", StatusClass::Open),
        ("pending auto close+", StatusClass::Open),
        ("pending auto close-", StatusClass::Open),
        ("closed successful", StatusClass::Closed),
        ("closed unsuccessful", StatusClass::Closed),
        ("merged", StatusClass::Canceled),
        ("removed", StatusClass::Canceled),
    ],
    priorities: &[
        ("5 very high", 1),
        ("4 high", 2),
        ("3 normal", 3),
        ("2 low", 4),
        ("1 very low", 5),
    ],
    pause_resolution: &[
        "pending reminder",
        "pending auto close+",
        "pending auto close-",
    ],
    pause_response: &[],
    event_log_columns: &[],
    source_verdict: "FirstResponseDiffInMin and SolutionDiffInMin, the working minutes left \
        on each escalation (negative means breached), and the working-minute figures",
    verdict_forms: &[],
    duration_units: &[],
    label_separators: "",
};
