//! Exports in the shape each help desk writes them, read with nothing but `slaudit init
//! --preset X --tickets FILE --timezone ZONE` and a build. The targets are the ones `init`
//! writes on a 24×7 calendar: P1 15m/4h, P2 30m/8h, P3 4h/3d, P4 8h/5d, P5 1d/10d. Every
//! expected value is worked out by hand from the fixture.

mod common;

use std::collections::BTreeMap;

use common::{assert_cells, tickets_by_id, Project};

/// Runs `init` and `build` on one fixture and returns the tickets download, one map of
/// column → value per ticket.
fn init_and_build(
    fixture: &str,
    preset: &str,
    zone: &str,
    as_of: &str,
) -> BTreeMap<String, BTreeMap<String, String>> {
    let project = Project::new();
    let bytes = std::fs::read(format!("tests/fixtures/presets/{fixture}")).unwrap();
    project.file(fixture, bytes);
    project
        .run(&[
            "init",
            ".",
            "--preset",
            preset,
            "--tickets",
            fixture,
            "--timezone",
            zone,
        ])
        .success();
    project.run(&["build", ".", "--as-of", as_of]).success();

    tickets_by_id(&project)
}

/// Zendesk's CSV export: a leading `Summation column`, timestamps to the minute with no
/// offset, space-separated tags and custom fields named `… [list]` with `-` for no value.
#[test]
fn zendesk_csv_export() {
    let tickets = init_and_build(
        "zendesk-export.csv",
        "zendesk",
        "Europe/Paris",
        "2026-03-01",
    );
    assert_eq!(tickets.len(), 3);
    assert_cells(
        &tickets,
        &[
            // Urgent is P1: first reply 10 minutes after 22:17; solved 3h 30m later (≤ 4h).
            ("2001", "priority", "P1"),
            ("2001", "opened", "2026-02-25 22:17"),
            ("2001", "first_response", "2026-02-25 22:27"),
            ("2001", "response_verdict", "met"),
            ("2001", "resolution_elapsed", "3h 30m"),
            ("2001", "resolution_verdict", "met"),
            ("2001", "labels", "vpn; token"),
            ("2001", "satisfaction", "good"),
            // Normal is P3: a first reply after 300 minutes misses 4h; solved in 24h (≤ 3d).
            ("2002", "priority", "P3"),
            ("2002", "response_elapsed", "5h 00m"),
            ("2002", "response_verdict", "breached"),
            ("2002", "resolution_verdict", "met"),
            ("2002", "satisfaction", "offered"),
            // High is P2, open with no reply since 27 Feb 10:00.
            ("2003", "priority", "P2"),
            ("2003", "response_verdict", "open, breached"),
            ("2003", "resolution_verdict", "open, breached"),
        ],
    );
}

/// Freshdesk's ticket export: business-hours figures as `HH:MM:SS`, time tracked as `HH:MM`,
/// a quoted description over two lines, and contact columns after the ticket's.
#[test]
fn freshdesk_ticket_export() {
    let tickets = init_and_build(
        "freshdesk-export.csv",
        "freshdesk",
        "America/Sao_Paulo",
        "2026-03-01",
    );
    assert_eq!(tickets.len(), 3);
    assert_cells(
        &tickets,
        &[
            // Urgent is P1: response 12 minutes after 22:17:03, resolved 3 hours later.
            ("501", "priority", "P1"),
            ("501", "response_elapsed", "12m"),
            ("501", "response_verdict", "met"),
            ("501", "resolution_elapsed", "3h 00m"),
            ("501", "resolution_verdict", "met"),
            ("501", "effort", "1h 15m"),
            ("501", "source_resolution_business_time", "3h 00m"),
            ("501", "labels", "login; mfa"),
            // Medium is P3: a response after 5h 30m misses 4h, which Freshdesk agrees with.
            ("502", "priority", "P3"),
            ("502", "response_elapsed", "5h 30m"),
            ("502", "response_verdict", "breached"),
            ("502", "source_response_verdict", "breached"),
            ("502", "source_response_business_time", "5h 30m"),
            ("502", "source_resolution_business_time", "24h 00m"),
            ("502", "resolution_verdict", "met"),
            // High is P2: a response after 20 minutes is within 30.
            ("503", "priority", "P2"),
            ("503", "response_elapsed", "20m"),
            ("503", "response_verdict", "met"),
        ],
    );
}

/// A Jira export from an instance whose date format is set to the 24-hour
/// `yyyy-MM-dd HH:mm` form instead of the default `dd/MMM/yy h:mm a`, with `Components`,
/// `Status Category` and empty SLA columns.
#[test]
fn jira_cloud_iso_dates() {
    let tickets = init_and_build("jira-cloud.csv", "jira", "Europe/Dublin", "2026-03-01");
    assert_eq!(tickets.len(), 2);
    assert_cells(
        &tickets,
        &[
            // Highest is P1: agent-1 replies 8 minutes after 22:17; resolved at 01:00.
            ("SD-11", "priority", "P1"),
            ("SD-11", "opened", "2026-02-25 22:17"),
            ("SD-11", "response_elapsed", "8m"),
            ("SD-11", "response_verdict", "met"),
            ("SD-11", "resolution_elapsed", "2h 43m"),
            ("SD-11", "resolution_verdict", "met"),
            // Medium is P3: the first reply after 5 hours misses 4h; resolved in 25h.
            ("SD-12", "priority", "P3"),
            ("SD-12", "response_elapsed", "5h 00m"),
            ("SD-12", "response_verdict", "breached"),
            ("SD-12", "resolution_elapsed", "25h 00m"),
            ("SD-12", "resolution_verdict", "met"),
        ],
    );
}
