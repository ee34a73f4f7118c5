//! ServiceNow incident exports: list exports (one row per incident, display values or raw
//! codes) and event logs (one row per update, with `sys_mod_count`).

use super::Preset;
use crate::normalize::StatusClass;

pub static SERVICENOW: Preset = Preset {
    name: "servicenow",
    description: "ServiceNow incident list exports and incident event logs",
    columns: &[
        ("id", &["number"]),
        ("opened", &["opened_at"]),
        ("resolved", &["resolved_at", "u_resolved"]),
        ("closed", &["closed_at"]),
        ("priority", &["priority"]),
        ("impact", &["impact"]),
        ("urgency", &["urgency"]),
        ("status", &["incident_state", "state"]),
        ("category", &["category"]),
        ("subcategory", &["subcategory"]),
        ("team", &["assignment_group"]),
        ("assignee", &["assigned_to"]),
        ("requester", &["caller_id", "caller"]),
        ("channel", &["contact_type"]),
        ("title", &["short_description"]),
        ("reassignments", &["reassignment_count"]),
        ("reopens", &["reopen_count"]),
        ("source_verdict", &["made_sla"]),
        ("updated", &["sys_updated_at", "sys_updated_on"]),
        ("update_sequence", &["sys_mod_count"]),
    ],
    null: &["?", "NULL", "N/A", " "],
    status_codes: &[
        ("1", "New"),
        ("2", "In Progress"),
        ("3", "On Hold"),
        ("6", "Resolved"),
        ("7", "Closed"),
        ("8", "Canceled"),
    ],
    statuses: &[
        ("New", StatusClass::New),
        ("Active", StatusClass::Open),
        ("In Progress", StatusClass::Open),
        ("On Hold", StatusClass::Open),
        ("Awaiting User Info", StatusClass::Open),
        ("Awaiting Vendor", StatusClass::Open),
        ("Awaiting Problem", StatusClass::Open),
        ("Awaiting Evidence", StatusClass::Open),
        ("Awaiting Change", StatusClass::Open),
        ("Awaiting Caller", StatusClass::Open),
        ("Resolved", StatusClass::Resolved),
        ("Closed", StatusClass::Closed),
        ("Canceled", StatusClass::Canceled),
        ("Cancelled", StatusClass::Canceled),
    ],
    priorities: &[],
    pause_resolution: &[
        "Awaiting User Info",
        "Awaiting Vendor",
        "Awaiting Problem",
        "Awaiting Evidence",
        "On Hold",
    ],
    pause_response: &[],
    event_log_columns: &["sys_mod_count"],
    source_verdict:
        "made_sla, ServiceNow's legacy per-incident flag; ServiceNow's task SLA engine no \
        longer maintains it, so it is compared with, not taken as ground truth",
    verdict_forms: &[],
    duration_units: &[],
    label_separators: "",
};
