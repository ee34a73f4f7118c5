//! Export quirks that help desk tools have got wrong in public, each run through the binary
//! with the values worked out by hand. They are byte-order marks and legacy encodings,
//! semicolons and decimal commas, line breaks inside quoted cells, day-first dates, and Jira's
//! repeated headers and packed comments.

mod common;

use std::collections::BTreeMap;

use common::{page_text, read_csv, Project};

/// A per-ticket project on the generic preset; `extra` adds keys to `[tickets]`.
fn config(file: &str, zone: &str, extra: &str) -> String {
    format!(
        "[project]\ntitle = \"Export case\"\n\n[tickets]\nfile = \"{file}\"\npreset = \"generic\"\ntimezone = \"{zone}\"\n{extra}\n"
    )
}

/// The tickets download as one map per ticket, keyed by column name, in ticket order.
fn tickets(project: &Project) -> Vec<BTreeMap<String, String>> {
    let rows = read_csv(&project.read("site/tickets.csv"));
    rows[1..]
        .iter()
        .map(|row| rows[0].iter().cloned().zip(row.iter().cloned()).collect())
        .collect()
}

const UTF8_EXPORT: &str = "ticket_id,subject,created_at\n\
    T-24001,Принтер не печатает,2024-03-01 09:00\n\
    T-24002,Drucker im Büro,2024-03-01 10:00\n";

#[test]
fn utf8_byte_order_mark_is_dropped() {
    let project = Project::new();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(UTF8_EXPORT.as_bytes());
    project
        .file("tickets.csv", bytes)
        .file("slaudit.toml", config("tickets.csv", "UTC", ""));
    project
        .run(&["build", ".", "--as-of", "2024-04-01"])
        .success();
    let tickets = tickets(&project);
    assert_eq!(tickets.len(), 2);
    // The id column is found by its name, so the mark did not stick to `ticket_id`.
    assert_eq!(tickets[0]["ticket"], "T-24001");
    assert_eq!(tickets[0]["title"], "Принтер не печатает");
    assert_eq!(tickets[1]["title"], "Drucker im Büro");
}

#[test]
fn windows_1252_without_declaration_names_file_and_line() {
    let project = Project::new();
    project
        .file(
            "tickets.csv",
            b"ticket_id,subject,created_at\nT-24002,Drucker im B\xFCro,2024-03-01 10:00\n",
        )
        .file("slaudit.toml", config("tickets.csv", "UTC", ""));
    project
        .run(&["build", ".", "--as-of", "2024-04-01"])
        .failure()
        .stderr_is(
            "slaudit: tickets.csv:2:2: column `subject`: not valid UTF-8 (byte 0xFC after `Drucker im B`); \
             save the file as UTF-8, or declare its encoding, e.g. encoding = \"windows-1252\"",
        );
}

#[test]
fn declared_windows_1252_decodes() {
    let project = Project::new();
    project
        .file(
            "tickets.csv",
            b"ticket_id,subject,created_at\nT-24002,Drucker im B\xFCro,2024-03-01 10:00\n",
        )
        .file(
            "slaudit.toml",
            config("tickets.csv", "UTC", "encoding = \"windows-1252\""),
        );
    project
        .run(&["build", ".", "--as-of", "2024-04-01"])
        .success();
    assert_eq!(tickets(&project)[0]["title"], "Drucker im Büro");
}

#[test]
fn csv_downloads_start_with_bom_unless_switched_off() {
    let project = Project::new();
    project
        .file("tickets.csv", UTF8_EXPORT)
        .file("slaudit.toml", config("tickets.csv", "UTC", ""));
    project
        .run(&["build", ".", "--as-of", "2024-04-01"])
        .success();
    let with_bom = std::fs::read(project.path().join("site/tickets.csv")).unwrap();
    assert!(with_bom.starts_with(b"\xEF\xBB\xBFticket,"));

    project.file(
        "slaudit.toml",
        format!(
            "{}\n[site]\ncsv_bom = false\n",
            config("tickets.csv", "UTC", "")
        ),
    );
    project
        .run(&["build", ".", "--as-of", "2024-04-01"])
        .success();
    for name in [
        "tickets.csv",
        "breaches.csv",
        "rejected.csv",
        "repairs.csv",
        "disagreements.csv",
    ] {
        let bytes = std::fs::read(project.path().join("site").join(name)).unwrap();
        assert!(
            bytes.starts_with(b"ticket,")
                || bytes.starts_with(b"file,")
                || bytes.starts_with(b"kind,"),
            "{name}"
        );
    }
}

const GERMAN_EXPORT: &str = "sep=;\n\
    Ticket;Erstellt;Gelöst;Aufwand (h)\n\
    T-25001;05.02.2024 09:15;05.02.2024 11:45;2,5\n\
    T-25002;05.02.2024 13:00;06.02.2024 10:30;5,5\n";

#[test]
fn semicolons_and_decimal_commas() {
    let project = Project::new();
    project.file("export.csv", GERMAN_EXPORT).file(
        "slaudit.toml",
        config(
            "export.csv",
            "Europe/Berlin",
            "[tickets.columns]\nid = \"Ticket\"\nopened = \"Erstellt\"\nresolved = \"Gelöst\"\neffort = \"Aufwand (h)\"",
        ),
    );
    project
        .run(&["build", ".", "--as-of", "2024-03-01"])
        .success();
    let tickets = tickets(&project);
    assert_eq!(tickets.len(), 2);
    assert_eq!(tickets[0]["ticket"], "T-25001");
    assert_eq!(tickets[0]["source_line"], "3");
    // Dotted dates are day-first: 5 February, not 2 May.
    assert_eq!(tickets[0]["opened"], "2024-02-05 09:15");
    assert_eq!(tickets[0]["effort"], "2h 30m");
    assert_eq!(tickets[1]["effort"], "5h 30m");
    assert_eq!(tickets[0]["resolution_calendar_time"], "2h 30m");
    assert_eq!(tickets[1]["resolution_calendar_time"], "21h 30m");
    let manifest: serde_json::Value =
        serde_json::from_str(&project.read("site/manifest.json")).unwrap();
    assert_eq!(manifest["inputs"][0]["rows"], 2);
}

#[test]
fn quoted_line_breaks_in_crlf_file() {
    let export = "ticket_id,created_at,status,description\r\n\
        T-26001,2024-02-12T09:00:00Z,resolved,\"Printer jams\r\non page 2\"\r\n\
        T-26002,2024-02-12T09:30:00Z,open,\"Line one\r\nLine two, with comma\r\nLine \"\"three\"\"\"\r\n\
        T-26003,2024-02-12T10:00:00Z,resolved,Simple\r\n";
    assert_eq!(export.split("\r\n").count() - 1, 7);
    let project = Project::new();
    project.file("tickets.csv", export).file(
        "slaudit.toml",
        config(
            "tickets.csv",
            "UTC",
            "[tickets.columns]\ntitle = \"description\"",
        ),
    );
    project
        .run(&["build", ".", "--as-of", "2024-03-01"])
        .success();
    let tickets = tickets(&project);
    assert_eq!(tickets.len(), 3);
    let lines: Vec<&str> = tickets.iter().map(|t| t["source_line"].as_str()).collect();
    assert_eq!(lines, ["2", "4", "7"]);
    assert_eq!(
        tickets[1]["title"],
        "Line one\r\nLine two, with comma\r\nLine \"three\""
    );
    let statuses: Vec<&str> = tickets.iter().map(|t| t["status"].as_str()).collect();
    assert_eq!(statuses, ["resolved", "open", "resolved"]);
}

const DAY_FIRST_EXPORT: &str = "ticket_id,created_at,resolved_at,priority\n\
    T-27001,03/04/2024 09:00,04/04/2024 10:00,P3\n\
    T-27002,13/04/2024 09:00,15/04/2024 09:00,P3\n";

#[test]
fn one_day_first_value_decides_the_column() {
    let project = Project::new();
    project
        .file("tickets.csv", DAY_FIRST_EXPORT)
        .file("slaudit.toml", config("tickets.csv", "Europe/London", ""));
    project
        .run(&["build", ".", "--as-of", "2024-05-01"])
        .success();
    let tickets = tickets(&project);
    assert_eq!(tickets[0]["opened"], "2024-04-03 09:00");
    assert_eq!(tickets[0]["resolution_calendar_time"], "25h 00m");
    assert_eq!(tickets[1]["resolution_calendar_time"], "48h 00m");
    let quality = page_text(&project.read("site/quality.html"));
    assert!(
        quality.contains("created_at %d/%m/%Y %H:%M detected over the whole column"),
        "{quality}"
    );
}

#[test]
fn undecided_day_and_month_stop_the_build() {
    let project = Project::new();
    project
        .file(
            "tickets.csv",
            "ticket_id,created_at,resolved_at,priority\nT-27001,03/04/2024 09:00,04/04/2024 10:00,P3\n",
        )
        .file("slaudit.toml", config("tickets.csv", "Europe/London", ""));
    project
        .run(&["build", ".", "--as-of", "2024-05-01"])
        .failure()
        .stderr_is(
            "slaudit: tickets.csv:1:2: column `created_at`: ambiguous date format: \
             every value, such as `03/04/2024 09:00`, reads both as `%d/%m/%Y %H:%M` and as `%m/%d/%Y %H:%M`; \
             declare which with date_format = \"%d/%m/%Y %H:%M\" or \"%m/%d/%Y %H:%M\" in [tickets], \
             or for this column alone in [tickets.date_formats]",
        );
    project.file(
        "slaudit.toml",
        config(
            "tickets.csv",
            "Europe/London",
            "date_format = \"%d/%m/%Y %H:%M\"",
        ),
    );
    project
        .run(&["build", ".", "--as-of", "2024-05-01"])
        .success();
    assert_eq!(tickets(&project)[0]["resolution_calendar_time"], "25h 00m");
}

const JIRA_EXPORT: &str = "Issue key,Summary,Status,Created,Resolved,Labels,Labels,Labels,Comment,Comment,\n\
    SD-101,VPN drops,Done,02/Sep/24 9:15 AM,02/Sep/24 4:40 PM,network,vpn,,\"02/Sep/24 10:00 AM;agent-7;Looking into it\",\"02/Sep/24 4:30 PM;agent-7;Fixed; router replaced\",\n\
    SD-102,Mailbox full,Done,03/Sep/24 8:05 AM,03/Sep/24 8:50 AM,email,,,,,\n";

#[test]
fn jira_repeated_headers_and_trailing_column() {
    let project = Project::new();
    project.file("jira.csv", JIRA_EXPORT).file(
        "slaudit.toml",
        "[project]\ntitle = \"Jira\"\n\n[tickets]\nfile = \"jira.csv\"\npreset = \"jira\"\ntimezone = \"Europe/London\"\n",
    );
    project
        .run(&["build", ".", "--as-of", "2024-10-01"])
        .success();
    let tickets = tickets(&project);
    assert_eq!(tickets[0]["ticket"], "SD-101");
    assert_eq!(tickets[0]["labels"], "network; vpn");
    assert_eq!(tickets[0]["comments"], "2");
    assert_eq!(tickets[0]["response_calendar_time"], "45m");
    assert_eq!(tickets[0]["resolution_calendar_time"], "7h 25m");
    assert_eq!(tickets[1]["labels"], "email");
    assert_eq!(tickets[1]["comments"], "0");
    assert_eq!(tickets[1]["first_response"], "");
    assert_eq!(tickets[1]["resolution_calendar_time"], "45m");
    assert_eq!(read_csv(&project.read("site/rejected.csv")).len(), 1);
}

/// A timestamp's own offset, and epoch seconds, are instants whatever zone the project
/// declares; fractional seconds are read and dropped. 09:30:00.750+01:00 is 08:30Z; epoch
/// 1709544600 is 2024-03-04 09:30Z (19,786 days after 1970-01-01, plus 9.5 hours).
#[test]
fn offset_in_data_wins_over_declared_zone() {
    let project = Project::new();
    project
        .file(
            "tickets.csv",
            "ticket_id,created_at,resolved_at\n\
             T-1,2024-03-04T09:30:00.750+01:00,1709544600\n\
             T-2,2024-03-04T08:00:00Z,1709551800\n",
        )
        .file(
            "slaudit.toml",
            config("tickets.csv", "America/New_York", ""),
        );
    project
        .run(&["build", ".", "--as-of", "2024-04-01"])
        .success();
    let tickets = tickets(&project);
    // New York is on EST (UTC−5) until 10 March.
    assert_eq!(tickets[0]["opened"], "2024-03-04 03:30");
    assert_eq!(tickets[0]["resolved"], "2024-03-04 04:30");
    assert_eq!(tickets[0]["resolution_calendar_time"], "1h 00m");
    assert_eq!(tickets[1]["resolution_calendar_time"], "3h 30m");
}
