//! osTicket ticket exports (Tickets → Export, CSV).
//!
//! osTicket records the SLA's due time (`SLA Due Date`) and an `Overdue` flag. Closing a ticket
//! clears the flag (`Ticket::setStatus` in osTicket's include/class.ticket.php), so the source
//! verdict of a closed ticket is whether it closed by its SLA due date, and the flag counts
//! only for tickets still open.

use super::Preset;
use crate::normalize::StatusClass;

pub static OSTICKET: Preset = Preset {
    name: "osticket",
    description: "osTicket ticket exports (CSV)",
    columns: &[
        ("id", &["Ticket Number", "Ticket #"]),
        ("opened", &["Date Created", "Create Date"]),
        ("resolved", &["Closed Date", "Close Date"]),
        ("closed", &["Closed Date", "Close Date"]),
        ("priority", &["Priority"]),
        ("status", &["Current Status", "Status"]),
        ("category", &["Help Topic"]),
        ("team", &["Department", "Team Assigned"]),
        ("assignee", &["Agent Assigned"]),
        ("requester", &["From", "From Email"]),
        ("channel", &["Source"]),
        ("title", &["Subject"]),
        ("reopens", &["Reopen Count"]),
        ("updated", &["Last Updated", "Last Update"]),
        ("resolution_due", &["SLA Due Date"]),
        ("overdue", &["Overdue"]),
    ],
    null: &["?", "NULL", "N/A", " "],
    status_codes: &[],
    statuses: &[
        ("Open", StatusClass::Open),
        ("Resolved", StatusClass::Resolved),
        ("Closed", StatusClass::Closed),
        ("Archived", StatusClass::Closed),
        ("Deleted", StatusClass::Canceled),
    ],
    priorities: &[("emergency", 1), ("high", 2), ("normal", 3), ("low", 4)],
    pause_resolution: &[],
    pause_response: &[],
    event_log_columns: &[],
    source_verdict: "the SLA Due Date against the close time, and the Overdue flag of \
        tickets still open",
    verdict_forms: &[],
    duration_units: &[],
    label_separators: "",
};
