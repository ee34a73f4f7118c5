//! Each preset on a small export written from its system's documented format
//! (tests/fixtures/presets/), with only the preset and the export's zone set. Every expected
//! value is worked out by hand from the fixture; the calendar is 24×7, so elapsed times are
//! differences of instants.

mod common;

use common::{assert_cells, read_csv, tickets_by_id, Project};

/// Targets on a 24×7 calendar: P1 1h/4h, P2 2h/8h, P3 4h/24h, P4 and P5 8h/48h.
const TARGETS: &str = r#"
[calendars.always]
hours = "24x7"

[[sla]]
priority = "P1"
calendar = "always"
response = "1h"
resolution = "4h"

[[sla]]
priority = "P2"
calendar = "always"
response = "2h"
resolution = "8h"

[[sla]]
priority = "P3"
calendar = "always"
response = "4h"
resolution = "24h"

[[sla]]
priority = ["P4", "P5"]
calendar = "always"
response = "8h"
resolution = "48h"
"#;

/// Builds a project holding one fixture, read with only a preset and a zone.
fn build(fixture: &str, preset: &str, zone: &str, as_of: &str) -> Project {
    let project = Project::new();
    let bytes = std::fs::read(format!("tests/fixtures/presets/{fixture}")).unwrap();
    project.file(fixture, bytes).file(
        "slaudit.toml",
        format!(
            "[project]\ntitle = \"Preset test\"\n\n[tickets]\nfile = \"{fixture}\"\npreset = \"{preset}\"\ntimezone = \"{zone}\"\n{TARGETS}"
        ),
    );
    project.run(&["build", ".", "--as-of", as_of]).success();
    project
}

fn disagreements(project: &Project) -> Vec<Vec<String>> {
    read_csv(&project.read("site/disagreements.csv"))[1..].to_vec()
}

#[test]
fn jira_comments_labels_and_sla_columns() {
    let project = build("jira.csv", "jira", "Europe/London", "2024-09-10");
    let tickets = tickets_by_id(&project);
    assert_eq!(tickets.len(), 3);
    assert_cells(
        &tickets,
        &[
            // SD-1: the reporter's own comment at 9:30 is not a reply; agent-7 replies at
            // 10:00, 45 minutes after 9:15. Resolved 4:40 PM: 7h 25m.
            ("SD-1", "labels", "network; vpn"),
            ("SD-1", "comments", "3"),
            ("SD-1", "priority", "P2"),
            ("SD-1", "first_response", "2024-09-02 10:00"),
            ("SD-1", "response_elapsed", "45m"),
            ("SD-1", "resolution_elapsed", "7h 25m"),
            ("SD-1", "source_response_verdict", "met"),
            ("SD-1", "source_resolution_verdict", "breached"),
            // SD-2: 12:05 AM is five minutes after midnight; no comment, so no response time.
            ("SD-2", "opened", "2024-09-03 00:05"),
            ("SD-2", "first_response", ""),
            ("SD-2", "response_verdict", "met by resolution"),
            ("SD-2", "resolution_elapsed", "45m"),
            ("SD-2", "labels", "email"),
            ("SD-2", "source_resolution_verdict", "met"),
            // SD-3: Low is P4; the agent asks at 3:00 PM, two hours after 1:00 PM.
            ("SD-3", "priority", "P4"),
            ("SD-3", "response_elapsed", "2h 00m"),
            ("SD-3", "status", "Waiting for customer"),
        ],
    );
    assert_eq!(
        disagreements(&project),
        [[
            "SD-1",
            "resolution verdict",
            "breached",
            "met",
            "target: the export does not carry the source system's SLA definitions"
        ]]
    );
}

#[test]
fn zendesk_figures_offsets_and_satisfaction() {
    // The export's offsets (+01:00) win over the declared zone; times are shown in New York
    // (EST, UTC−5), six hours behind.
    let project = build("zendesk.csv", "zendesk", "America/New_York", "2024-03-10");
    let tickets = tickets_by_id(&project);
    assert_cells(
        &tickets,
        &[
            ("101", "opened", "2024-03-04 03:30"),
            ("101", "first_response", "2024-03-04 03:50"),
            ("101", "priority", "P1"),
            ("101", "labels", "login; vpn"),
            ("101", "satisfaction", "good"),
            ("101", "resolution_elapsed", "2h 30m"),
            ("101", "source_resolution_business_time", "2h 30m"),
            ("102", "priority", "P3"),
            ("102", "response_elapsed", "1h 30m"),
            ("102", "resolution_elapsed", "30h 00m"),
            ("102", "resolution_verdict", "breached"),
            ("102", "satisfaction", "bad"),
            ("103", "priority", "P2"),
            ("103", "first_response", ""),
            ("103", "response_verdict", "open, breached"),
            ("103", "satisfaction", "not offered"),
        ],
    );
    // Zendesk's 540 business minutes against slaudit's 24×7 clock of 30 hours.
    assert_eq!(
        disagreements(&project),
        [[
            "102",
            "resolution time, business hours",
            "9h 00m",
            "30h 00m",
            "calendar: business hours differ"
        ]]
    );
}

#[test]
fn freshdesk_statuses_and_hour_durations() {
    let project = build("freshdesk.csv", "freshdesk", "Asia/Kolkata", "2024-04-10");
    let tickets = tickets_by_id(&project);
    assert_cells(
        &tickets,
        &[
            ("1", "priority", "P1"),
            ("1", "response_elapsed", "20m"),
            ("1", "resolution_elapsed", "1h 30m"),
            ("1", "effort", "1h 15m"),
            ("1", "labels", "password; access"),
            ("1", "source_response_verdict", "met"),
            ("1", "source_resolution_business_time", "1h 30m"),
            ("2", "priority", "P3"),
            ("2", "response_verdict", "breached"),
            ("2", "source_response_verdict", "breached"),
            ("2", "resolution_elapsed", "29h 00m"),
            ("2", "source_resolution_business_time", "29h 00m"),
            ("2", "effort", "2h 45m"),
            ("3", "response_elapsed", "45m"),
            ("3", "source_resolution_verdict", ""),
        ],
    );
    assert!(disagreements(&project).is_empty());
    let quality = common::page_text(&project.read("site/quality.html"));
    assert!(
        quality.contains("3 of 3 tickets (100.0%) agree on every value compared"),
        "{quality}"
    );
    assert!(
        quality.contains("response verdict 3 3 100.0% 0 0 0 0 0"),
        "{quality}"
    );
}

#[test]
fn zammad_excel_resave_with_semicolons() {
    // The fixture is what Excel writes in a German locale: a `sep=;` line, CRLF, dotted
    // day-first dates and a quoted title holding a semicolon.
    let project = build("zammad.csv", "zammad", "Europe/Berlin", "2024-03-10");
    let tickets = tickets_by_id(&project);
    assert_cells(
        &tickets,
        &[
            ("31001", "priority", "P2"),
            ("31001", "response_elapsed", "30m"),
            ("31001", "resolution_elapsed", "6h 00m"),
            ("31001", "labels", "vpn; remote"),
            ("31001", "source_resolution_verdict", "met"),
            ("31002", "title", "Drucker; 2. OG"),
            ("31002", "priority", "P3"),
            ("31002", "opened", "2024-03-05 08:00"),
            ("31002", "resolution_elapsed", "28h 00m"),
            ("31002", "source_response_verdict", "breached"),
            ("31002", "source_resolution_verdict", "breached"),
            ("31003", "priority", "P4"),
            ("31003", "response_elapsed", "10m"),
        ],
    );
    assert!(disagreements(&project).is_empty());
}

#[test]
fn osticket_due_date_and_overdue_flag() {
    let project = build("osticket.csv", "osticket", "America/Chicago", "2024-03-25");
    let tickets = tickets_by_id(&project);
    assert_cells(
        &tickets,
        &[
            // Closed 1:30 PM against an SLA due at 5:30 PM: met by osTicket and by us (4h ≤ 8h).
            ("100101", "priority", "P2"),
            ("100101", "resolution_elapsed", "4h 00m"),
            ("100101", "source_resolution_verdict", "met"),
            ("100101", "response_verdict", "not recorded in the export"),
            // Closed 6 hours after its SLA due time, though the export's flag reads 0.
            ("100102", "opened", "2024-03-14 08:00"),
            ("100102", "resolution_elapsed", "30h 00m"),
            ("100102", "source_resolution_verdict", "breached"),
            // Still open and flagged overdue.
            ("100103", "priority", "P1"),
            ("100103", "source_resolution_verdict", "breached"),
            ("100103", "resolution_verdict", "open, breached"),
        ],
    );
    assert!(disagreements(&project).is_empty());
}

#[test]
fn otrs_ticket_list_statistic() {
    let project = build("otrs.csv", "otrs", "Europe/Vienna", "2024-05-10");
    let tickets = tickets_by_id(&project);
    assert_cells(
        &tickets,
        &[
            ("2024050610000011", "priority", "P2"),
            ("2024050610000011", "response_elapsed", "30m"),
            ("2024050610000011", "source_response_verdict", "met"),
            ("2024050710000021", "priority", "P3"),
            ("2024050710000021", "response_verdict", "breached"),
            ("2024050710000021", "source_response_verdict", "breached"),
            ("2024050710000021", "resolution_elapsed", "27h 00m"),
            (
                "2024050710000021",
                "source_resolution_business_time",
                "27h 00m",
            ),
            ("2024050810000031", "priority", "P1"),
            ("2024050810000031", "resolution_verdict", "open, breached"),
        ],
    );
    assert!(disagreements(&project).is_empty());
}

#[test]
fn servicenow_raw_value_list_export() {
    let project = build("servicenow-raw.csv", "servicenow", "UTC", "2024-05-10");
    let tickets = tickets_by_id(&project);
    assert_cells(
        &tickets,
        &[
            ("INC0010001", "status", "Closed"),
            ("INC0010001", "priority", "P1"),
            ("INC0010001", "source_verdict", "met"),
            ("INC0010001", "team", "287ebd7da9fe198100f92cc8d1d2154e"),
            ("INC0010002", "status", "Resolved"),
            ("INC0010002", "resolution_elapsed", "27h 00m"),
            ("INC0010002", "source_verdict", "breached"),
            ("INC0010003", "status", "In Progress"),
            ("INC0010003", "resolution_verdict", "open, breached"),
        ],
    );
    assert_eq!(
        disagreements(&project),
        [[
            "INC0010003",
            "overall verdict",
            "met",
            "breached",
            "target: the export does not carry the source system's SLA definitions"
        ]]
    );
}

#[test]
fn column_mapping_overrides_the_preset() {
    let project = Project::new();
    let export = std::fs::read_to_string("tests/fixtures/presets/freshdesk.csv")
        .unwrap()
        .replace("Ticket ID,", "Ref,")
        .replace(",Group,", ",Queue,");
    project.file("export.csv", export).file(
        "slaudit.toml",
        format!(
            "[project]\ntitle = \"t\"\n\n[tickets]\nfile = \"export.csv\"\npreset = \"freshdesk\"\ntimezone = \"Asia/Kolkata\"\n\n[tickets.columns]\nid = \"Ref\"\nteam = \"Queue\"\n\n[tickets.values.priority]\nUrgent = \"P2\"\n{TARGETS}"
        ),
    );
    project
        .run(&["build", ".", "--as-of", "2024-04-10"])
        .success();
    let tickets = tickets_by_id(&project);
    assert_cells(
        &tickets,
        &[
            ("1", "priority", "P2"),
            ("1", "team", "IT Desk"),
            ("3", "team", "Network"),
        ],
    );
}

/// A Freshdesk export with one row per update: the status history pauses the resolution
/// clock in `Pending` from 10:00 to 12:00, so 09:00 → 13:00 counts 2 hours.
#[test]
fn any_preset_reads_an_event_log() {
    let export = "Ticket ID,Status,Priority,Created time,Initial response time,Resolved time,Last update time\n\
        7,Open,High,2024-04-02 09:00:00,,,2024-04-02 09:00:00\n\
        7,Pending,High,2024-04-02 09:00:00,2024-04-02 09:30:00,,2024-04-02 10:00:00\n\
        7,Open,High,2024-04-02 09:00:00,2024-04-02 09:30:00,,2024-04-02 12:00:00\n\
        7,Resolved,High,2024-04-02 09:00:00,2024-04-02 09:30:00,2024-04-02 13:00:00,2024-04-02 13:00:00\n";
    let project = Project::new();
    project.file("export.csv", export).file(
        "slaudit.toml",
        format!(
            "[project]\ntitle = \"t\"\n\n[tickets]\nfile = \"export.csv\"\npreset = \"freshdesk\"\nlayout = \"event-log\"\ntimezone = \"UTC\"\n{TARGETS}"
        ),
    );
    project
        .run(&["build", ".", "--as-of", "2024-04-10"])
        .success();
    let tickets = tickets_by_id(&project);
    assert_cells(
        &tickets,
        &[
            ("7", "status", "Resolved"),
            ("7", "source_line", "5"),
            ("7", "response_elapsed", "30m"),
            ("7", "resolution_elapsed", "2h 00m"),
            ("7", "resolution_calendar_time", "4h 00m"),
            ("7", "resolution_verdict", "met"),
        ],
    );
}
