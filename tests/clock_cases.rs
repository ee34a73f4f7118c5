//! SLA clocks end to end: small projects whose expected values were worked out by hand, each
//! built by the real binary and read back from `clocks.csv`, the manifest and the pages.
//!
//! Every project uses the generic preset: a per-ticket `tickets.csv` and, where the scenario
//! has a history, an `[events]` file of `ticket_id, at, kind, value` rows. The expected values
//! are in each test, with the arithmetic that gives them in comments.

mod common;

use common::clocks::{instant, Clocks};
use common::{page_text, read_csv, Project};

/// Writes the project file: `[project]`, then `[tickets]` with `tickets_extra` added, then
/// `rest`.
fn config(zone: &str, tickets_extra: &str, rest: &str) -> String {
    format!(
        "[project]\ntitle = \"Clock scenario\"\n\n[tickets]\nfile = \"tickets.csv\"\npreset = \"generic\"\n\
         timezone = \"{zone}\"\nmax_rejected = 10\n{tickets_extra}\n{rest}"
    )
}

/// Writes a project and builds it at `as_of`.
fn build(files: &[(&str, &str)], as_of: &str) -> Project {
    let project = Project::new();
    for (name, contents) in files {
        project.file(name, contents);
    }
    project.run(&["build", ".", "--as-of", as_of]).success();
    project
}

// ---------------------------------------------------------------------------------------------
// Business hours, holidays, weekends, lunch breaks, midnight and night shifts

#[test]
fn elapsed_counts_open_hours_of_each_day() {
    let toml = config(
        "Europe/London",
        "",
        r#"
[calendars.office]
timezone = "Europe/London"
hours = { mon-fri = "08:00-17:00" }

[[sla]]
priority = "P2"
calendar = "office"
resolution = "4h"

[[sla]]
priority = "P3"
calendar = "office"
resolution = "8h"
"#,
    );
    let tickets = "\
ticket_id,created_at,resolved_at,priority
T-1001,2024-05-16T15:40:00+01:00,2024-05-17T10:05:00+01:00,P2
T-1002,2024-05-15T16:30:00+01:00,2024-05-17T08:45:00+01:00,P3
";
    let project = build(
        &[("slaudit.toml", &toml), ("tickets.csv", tickets)],
        "2024-06-01",
    );
    let clocks = Clocks::read(&project);

    // Thu 15:40–17:00 = 80 + Fri 08:00–10:05 = 125: 205 min against 240, met.
    assert_eq!(
        clocks.minutes("T-1001", "resolution_elapsed_seconds"),
        Some(205)
    );
    assert_eq!(clocks.cell("T-1001", "resolution_verdict"), "met");
    assert_eq!(
        clocks.minutes("T-1001", "resolution_breached_by_seconds"),
        None
    );
    // The wall clock, 18h 25m, is reported only as 24×7 time.
    assert_eq!(
        clocks.minutes("T-1001", "resolution_elapsed_24x7_seconds"),
        Some(1_105)
    );
    // Wed 16:30–17:00 = 30 + Thu 540 + Fri 08:00–08:45 = 45: 615 min, over 480 by 135.
    assert_eq!(
        clocks.minutes("T-1002", "resolution_elapsed_seconds"),
        Some(615)
    );
    assert_eq!(clocks.cell("T-1002", "resolution_verdict"), "breached");
    assert_eq!(
        clocks.minutes("T-1002", "resolution_breached_by_seconds"),
        Some(135)
    );
    // A list export without response times reports response as not recorded.
    assert_eq!(
        clocks.cell("T-1001", "response_verdict"),
        "not recorded in the export"
    );
}

#[test]
fn holidays_and_after_hours_start_delay_the_clock() {
    let toml = config(
        "Europe/Berlin",
        "",
        r#"
[calendars.office]
timezone = "Europe/Berlin"
hours = { mon-fri = "09:00-17:00" }
holidays = ["2024-12-25", "2024-12-26"]

[[sla]]
priority = "P3"
calendar = "office"
response = "4h"
resolution = "16h"
"#,
    );
    let tickets = "\
ticket_id,created_at,first_response_at,resolved_at,priority
T-2001,2024-12-24T22:15:00+01:00,2024-12-27T09:40:00+01:00,2024-12-30T14:30:00+01:00,P3
T-2002,2024-12-24T10:00:00+01:00,2024-12-24T15:00:00+01:00,2024-12-24T16:30:00+01:00,P3
";
    let project = build(
        &[("slaudit.toml", &toml), ("tickets.csv", tickets)],
        "2025-01-31",
    );
    let clocks = Clocks::read(&project);

    // Opened after closing on the eve of two holidays: the clock starts Fri 27 Dec 09:00.
    assert_eq!(
        clocks.minutes("T-2001", "response_elapsed_seconds"),
        Some(40)
    );
    assert_eq!(clocks.cell("T-2001", "response_verdict"), "met");
    assert_eq!(
        clocks.instant("T-2001", "response_due"),
        Some(instant("2024-12-27T13:00:00+01:00"))
    );
    // Fri 09:00–17:00 = 480 + Mon 30 Dec 09:00–14:30 = 330; due after 960 min, Mon 17:00.
    assert_eq!(
        clocks.minutes("T-2001", "resolution_elapsed_seconds"),
        Some(810)
    );
    assert_eq!(clocks.cell("T-2001", "resolution_verdict"), "met");
    assert_eq!(
        clocks.instant("T-2001", "resolution_due"),
        Some(instant("2024-12-30T17:00:00+01:00"))
    );
    // 24 Dec is a working day in this calendar: 10:00 → 15:00 = 300 min, over 240 by 60.
    assert_eq!(
        clocks.minutes("T-2002", "response_elapsed_seconds"),
        Some(300)
    );
    assert_eq!(clocks.cell("T-2002", "response_verdict"), "breached");
    assert_eq!(
        clocks.minutes("T-2002", "response_breached_by_seconds"),
        Some(60)
    );
    assert_eq!(
        clocks.minutes("T-2002", "resolution_elapsed_seconds"),
        Some(390)
    );
    assert_eq!(clocks.cell("T-2002", "resolution_verdict"), "met");
}

#[test]
fn weekend_opening_starts_the_clock_on_monday() {
    let toml = config(
        "America/Chicago",
        "",
        r#"
[calendars.office]
timezone = "America/Chicago"
hours = { mon-fri = "08:00-17:00" }

[[sla]]
priority = "P3"
calendar = "office"
response = "2h"
"#,
    );
    let tickets = "\
ticket_id,created_at,first_response_at,priority
T-3001,2024-09-14T11:20:00-05:00,2024-09-16T09:05:00-05:00,P3
T-3002,2024-09-13T16:30:00-05:00,2024-09-16T08:45:00-05:00,P3
";
    let project = build(
        &[("slaudit.toml", &toml), ("tickets.csv", tickets)],
        "2024-10-01",
    );
    let clocks = Clocks::read(&project);

    // Saturday: Mon 08:00 → 09:05 = 65 min; the 45h 45m of calendar time is 24×7 time only.
    assert_eq!(
        clocks.minutes("T-3001", "response_elapsed_seconds"),
        Some(65)
    );
    assert_eq!(clocks.cell("T-3001", "response_verdict"), "met");
    assert_eq!(
        clocks.minutes("T-3001", "response_elapsed_24x7_seconds"),
        Some(2_745)
    );
    // Friday 16:30–17:00 = 30 + Mon 08:00–08:45 = 45.
    assert_eq!(
        clocks.minutes("T-3002", "response_elapsed_seconds"),
        Some(75)
    );
    assert_eq!(clocks.cell("T-3002", "response_verdict"), "met");
    assert_eq!(
        clocks.minutes("T-3002", "response_elapsed_24x7_seconds"),
        Some(3_855)
    );
}

#[test]
fn lunch_break_is_not_counted() {
    let toml = config(
        "Europe/Madrid",
        "",
        r#"
[calendars.office]
timezone = "Europe/Madrid"
hours = { mon-fri = "09:00-13:00, 14:00-18:00" }

[[sla]]
priority = "P2"
calendar = "office"
response = "2h"
resolution = "5d"
"#,
    );
    let tickets = "\
ticket_id,created_at,first_response_at,resolved_at,priority
T-4001,2024-06-12T12:30:00+02:00,2024-06-12T15:20:00+02:00,2024-06-13T10:15:00+02:00,P2
T-4002,2024-06-12T12:59:00+02:00,2024-06-12T14:01:00+02:00,,P2
";
    let project = build(
        &[("slaudit.toml", &toml), ("tickets.csv", tickets)],
        "2024-06-20",
    );
    let clocks = Clocks::read(&project);

    // 12:30–13:00 = 30 + 14:00–15:20 = 80; due: 30 min used by 13:00, 90 more from 14:00.
    assert_eq!(
        clocks.minutes("T-4001", "response_elapsed_seconds"),
        Some(110)
    );
    assert_eq!(clocks.cell("T-4001", "response_verdict"), "met");
    assert_eq!(
        clocks.instant("T-4001", "response_due"),
        Some(instant("2024-06-12T15:30:00+02:00"))
    );
    // Wed 12:30–13:00 = 30, 14:00–18:00 = 240; Thu 09:00–10:15 = 75.
    assert_eq!(
        clocks.minutes("T-4001", "resolution_elapsed_seconds"),
        Some(345)
    );
    // One minute before lunch and one after.
    assert_eq!(
        clocks.minutes("T-4002", "response_elapsed_seconds"),
        Some(2)
    );
}

#[test]
fn whole_day_windows_lose_no_minute_at_midnight() {
    let calendar = |hours: &str| {
        config(
            "Europe/Berlin",
            "",
            &format!(
                r#"
[calendars.always]
timezone = "Europe/Berlin"
hours = {{ daily = "{hours}" }}

[[sla]]
priority = "P1"
calendar = "always"
resolution = "52h"
"#
            ),
        )
    };
    let tickets = "\
ticket_id,created_at,resolved_at,priority
T-5001,2024-10-07T22:00:00+02:00,2024-10-10T02:02:00+02:00,P1
T-5002,2024-10-07T22:00:00+02:00,2024-10-10T02:00:00+02:00,P1
";
    let toml = calendar("00:00-24:00");
    let project = build(
        &[("slaudit.toml", &toml), ("tickets.csv", tickets)],
        "2024-11-01",
    );
    let clocks = Clocks::read(&project);

    // Mon 22:00 + 52h = Thu 02:00.
    for ticket in ["T-5001", "T-5002"] {
        assert_eq!(
            clocks.instant(ticket, "resolution_due"),
            Some(instant("2024-10-10T02:00:00+02:00")),
            "{ticket}"
        );
    }
    // Mon 22:00 → Wed 22:00 = 2880, + 4h 02m = 242: over 3120 by 2 min.
    assert_eq!(
        clocks.minutes("T-5001", "resolution_elapsed_seconds"),
        Some(3_122)
    );
    assert_eq!(clocks.cell("T-5001", "resolution_verdict"), "breached");
    assert_eq!(
        clocks.minutes("T-5001", "resolution_breached_by_seconds"),
        Some(2)
    );
    // Exactly the target is met.
    assert_eq!(
        clocks.minutes("T-5002", "resolution_elapsed_seconds"),
        Some(3_120)
    );
    assert_eq!(clocks.cell("T-5002", "resolution_verdict"), "met");

    // Windows ending 23:59 lose a minute at each of the three midnights, with a warning.
    let project = Project::new();
    project
        .file("slaudit.toml", calendar("00:00-23:59"))
        .file("tickets.csv", tickets);
    let run = project.run(&["build", ".", "--as-of", "2024-11-01"]);
    run.success();
    assert!(run.stderr.contains("warning"), "{run}");
    assert!(run.stderr.contains("23:59"), "{run}");
    let clocks = Clocks::read(&project);
    assert_eq!(
        clocks.minutes("T-5001", "resolution_elapsed_seconds"),
        Some(3_119)
    );
}

#[test]
fn night_shift_runs_past_midnight() {
    let toml = config(
        "Asia/Singapore",
        "",
        r#"
[calendars.night]
timezone = "Asia/Singapore"
hours = { mon-fri = "21:00-02:00" }

[[sla]]
priority = ["P2", "P3"]
calendar = "night"
response = "2h"
resolution = "8h"
"#,
    );
    let tickets = "\
ticket_id,created_at,first_response_at,resolved_at,priority
T-6001,2024-08-13T23:30:00+08:00,2024-08-14T01:15:00+08:00,,P2
T-6002,2024-08-17T01:00:00+08:00,,2024-08-19T21:45:00+08:00,P3
";
    let project = build(
        &[("slaudit.toml", &toml), ("tickets.csv", tickets)],
        "2024-08-31",
    );
    let clocks = Clocks::read(&project);

    // Tue 23:30–24:00 = 30 + Wed 00:00–01:15 = 75.
    assert_eq!(
        clocks.minutes("T-6001", "response_elapsed_seconds"),
        Some(105)
    );
    assert_eq!(clocks.cell("T-6001", "response_verdict"), "met");
    // Sat 01:00–02:00 inside Friday's shift = 60; closed to Mon 21:00; 21:00–21:45 = 45.
    assert_eq!(
        clocks.minutes("T-6002", "resolution_elapsed_seconds"),
        Some(105)
    );
    // No reply, resolved at 105 min of the 120 allowed: the response was met by resolution
    // and has no value of its own.
    assert_eq!(
        clocks.cell("T-6002", "response_verdict"),
        "met by resolution"
    );
    assert_eq!(clocks.minutes("T-6002", "response_elapsed_seconds"), None);
}

// ---------------------------------------------------------------------------------------------
// Time zones and daylight saving time

const BERLIN_24X7: &str = r#"
[calendars.always]
timezone = "Europe/Berlin"
hours = "24x7"

[[sla]]
priority = "P1"
calendar = "always"
resolution = "4h 30m"

[[sla]]
priority = "P2"
calendar = "always"
resolution = "5h"
"#;

#[test]
fn elapsed_across_dst_changes_is_real_time() {
    let toml = config("Europe/Berlin", "", BERLIN_24X7);
    let tickets = "\
ticket_id,created_at,resolved_at,priority
T-7001,2025-03-29T23:30:00+01:00,2025-03-30T04:30:00+02:00,P1
T-7002,2025-10-25T23:00:00+02:00,2025-10-26T03:30:00+01:00,P2
";
    let project = build(
        &[("slaudit.toml", &toml), ("tickets.csv", tickets)],
        "2025-12-01",
    );
    let clocks = Clocks::read(&project);

    // 22:30Z → 02:30Z; the wall clocks differ by 5h.
    assert_eq!(
        clocks.minutes("T-7001", "resolution_elapsed_seconds"),
        Some(240)
    );
    assert_eq!(clocks.cell("T-7001", "resolution_verdict"), "met");
    // 21:00Z → 02:30Z; the wall clocks differ by 4h 30m.
    assert_eq!(
        clocks.minutes("T-7002", "resolution_elapsed_seconds"),
        Some(330)
    );
    assert_eq!(clocks.cell("T-7002", "resolution_verdict"), "breached");
    assert_eq!(
        clocks.minutes("T-7002", "resolution_breached_by_seconds"),
        Some(30)
    );
}

const BERLIN_NAIVE: &str = "\
ticket_id,created_at,resolved_at,priority
T-7003,2025-10-26 01:10,2025-10-26 02:30,P1
T-7004,2025-03-30 01:50,2025-03-30 02:30,P1
";

#[test]
fn ambiguous_time_takes_earlier_instant() {
    let toml = config("Europe/Berlin", "", BERLIN_24X7);
    let project = build(
        &[("slaudit.toml", &toml), ("tickets.csv", BERLIN_NAIVE)],
        "2025-12-01",
    );
    let clocks = Clocks::read(&project);

    // 02:30 happens twice; the earlier is 02:30+02:00 = 00:30Z, so 23:10Z → 00:30Z = 80 min.
    assert_eq!(
        clocks.minutes("T-7003", "resolution_elapsed_seconds"),
        Some(80)
    );
    assert_eq!(clocks.cell("T-7003", "resolution_verdict"), "met");
    let repairs = read_csv(&project.read("site/repairs.csv"));
    let ambiguous: Vec<&Vec<String>> = repairs
        .iter()
        .filter(|row| row[0] == "ambiguous local time (DST overlap)")
        .collect();
    assert_eq!(ambiguous.len(), 1, "{repairs:?}");
    assert_eq!(
        ambiguous[0][1..5],
        ["T-7003", "2", "resolved_at", "2025-10-26 02:30"]
    );
    assert!(
        ambiguous[0][5].contains("2025-10-26T00:30:00Z"),
        "{:?}",
        ambiguous[0]
    );

    // 02:30 on 30 March never happens in Berlin: the row is rejected, never measured.
    let rejected = read_csv(&project.read("site/rejected.csv"));
    assert_eq!(rejected.len(), 2, "{rejected:?}");
    assert_eq!(
        rejected[1][..5],
        [
            "tickets.csv",
            "3",
            "T-7004",
            "resolved_at",
            "2025-03-30 02:30"
        ]
    );
    assert!(
        rejected[1][5].contains("does not exist in Europe/Berlin"),
        "{:?}",
        rejected[1]
    );
    assert_eq!(clocks.tickets(), ["T-7003"]);
}

#[test]
fn ambiguous_times_option_chooses_later_or_rejects() {
    // With the later occurrence, 02:30+01:00 = 01:30Z: 23:10Z → 01:30Z = 140 min.
    let toml = config("Europe/Berlin", "ambiguous_times = \"later\"", BERLIN_24X7);
    let project = build(
        &[("slaudit.toml", &toml), ("tickets.csv", BERLIN_NAIVE)],
        "2025-12-01",
    );
    let clocks = Clocks::read(&project);
    assert_eq!(
        clocks.minutes("T-7003", "resolution_elapsed_seconds"),
        Some(140)
    );
    let repairs = project.read("site/repairs.csv");
    assert!(
        repairs.contains("later occurrence, 2025-10-26T01:30:00Z"),
        "{repairs}"
    );

    // T-7005 has plain times, so the build has a ticket left to audit.
    let toml = config("Europe/Berlin", "ambiguous_times = \"reject\"", BERLIN_24X7);
    let tickets = format!("{BERLIN_NAIVE}T-7005,2025-11-03 10:00,2025-11-03 11:00,P1\n");
    let project = build(
        &[("slaudit.toml", &toml), ("tickets.csv", &tickets)],
        "2025-12-01",
    );
    assert_eq!(Clocks::read(&project).tickets(), ["T-7005"]);
    let rejected = read_csv(&project.read("site/rejected.csv"));
    assert_eq!(rejected.len(), 3, "{rejected:?}");
    assert!(rejected[1][5].contains("occurs twice"), "{:?}", rejected[1]);
}

#[test]
fn utc_export_on_local_office_hours() {
    let toml = config(
        "UTC",
        "",
        r#"
[calendars.office]
timezone = "Europe/London"
hours = { mon-fri = "09:00-17:00" }

[[sla]]
priority = "P2"
calendar = "office"
response = "45m"
resolution = "4h"
"#,
    );
    let tickets = "\
ticket_id,created_at,first_response_at,resolved_at,priority
T-8001,2025-03-28T15:00:00Z,,2025-03-31T09:30:00Z,P2
T-8002,2025-03-31T15:30:00Z,2025-03-31T16:30:00Z,,P2
";
    let project = build(
        &[("slaudit.toml", &toml), ("tickets.csv", tickets)],
        "2025-04-30",
    );
    let clocks = Clocks::read(&project);

    // Fri 15:00–17:00 GMT = 120; Mon 09:30Z is 10:30 BST, so Mon 09:00–10:30 = 90.
    assert_eq!(
        clocks.minutes("T-8001", "resolution_elapsed_seconds"),
        Some(210)
    );
    assert_eq!(clocks.cell("T-8001", "resolution_verdict"), "met");
    // 16:30 → 17:30 BST, but the desk closes at 17:00.
    assert_eq!(
        clocks.minutes("T-8002", "response_elapsed_seconds"),
        Some(30)
    );
    assert_eq!(clocks.cell("T-8002", "response_verdict"), "met");
}

#[test]
fn naive_times_are_read_in_the_declared_zone() {
    let toml = config(
        "America/New_York",
        "",
        r#"
[calendars.office]
timezone = "America/New_York"
hours = { mon-fri = "09:00-18:00" }

[[sla]]
priority = "P2"
calendar = "office"
response = "1h"
"#,
    );
    let tickets = "\
ticket_id,created_at,first_response_at,priority
T-9001,2024-11-20 16:45:00,,P2
";
    let project = build(
        &[("slaudit.toml", &toml), ("tickets.csv", tickets)],
        "2024-11-20T22:00:00Z",
    );
    let clocks = Clocks::read(&project);

    // 16:45 EST = 21:45Z; as of 22:00Z, 15 min have run and 45 are left.
    assert_eq!(
        clocks.minutes("T-9001", "response_elapsed_seconds"),
        Some(15)
    );
    assert_eq!(
        clocks.cell("T-9001", "response_verdict"),
        "open, within target"
    );
    assert_eq!(
        clocks.minutes("T-9001", "response_target_seconds"),
        Some(60)
    );
    assert_eq!(
        clocks.instant("T-9001", "response_due"),
        Some(instant("2024-11-20T22:45:00Z"))
    );
}

/// Builds one ticket that crosses a DST change, read from a naive export in `zone`, on a
/// 24×7 calendar in the same zone. Returns its resolution elapsed minutes.
fn elapsed_on_24x7(zone: &str, created: &str, resolved: &str, extra: &str) -> Option<i64> {
    let toml = config(
        zone,
        extra,
        &format!(
            r#"
[calendars.always]
timezone = "{zone}"
hours = "24x7"

[[sla]]
priority = "P1"
calendar = "always"
resolution = "1d"
"#
        ),
    );
    let tickets =
        format!("ticket_id,created_at,resolved_at,priority\nT-1,{created},{resolved},P1\n");
    let project = build(
        &[("slaudit.toml", &toml), ("tickets.csv", &tickets)],
        "2025-06-01",
    );
    Clocks::read(&project).minutes("T-1", "resolution_elapsed_seconds")
}

/// Builds one ticket whose resolution time falls in a DST gap; returns the rejection reason.
fn gap_rejection(zone: &str, created: &str, resolved: &str) -> String {
    let toml = config(zone, "", "");
    // T-2 has plain times, so the build has a ticket left to audit.
    let tickets = format!(
        "ticket_id,created_at,resolved_at,priority\nT-1,{created},{resolved},P1\nT-2,2025-01-06 09:00,2025-01-06 10:00,P1\n"
    );
    let project = build(
        &[("slaudit.toml", &toml), ("tickets.csv", &tickets)],
        "2025-06-01",
    );
    let rejected = read_csv(&project.read("site/rejected.csv"));
    assert_eq!(rejected.len(), 2, "{rejected:?}");
    assert_eq!(
        rejected[1][..5],
        ["tickets.csv", "2", "T-1", "resolved_at", resolved]
    );
    rejected[1][5].clone()
}

#[test]
fn dst_in_new_york() {
    // Clocks go from 02:00 EST to 03:00 EDT on 10 March 2024: 03:00Z → 10:00Z is 7h.
    assert_eq!(
        elapsed_on_24x7(
            "America/New_York",
            "2024-03-09 22:00",
            "2024-03-10 06:00",
            ""
        ),
        Some(420)
    );
    let reason = gap_rejection("America/New_York", "2024-03-10 01:00", "2024-03-10 02:30");
    assert!(
        reason.contains("does not exist in America/New_York"),
        "{reason}"
    );
    // 01:30 happens twice on 3 November 2024: 05:30Z (EDT) by default, 06:30Z (EST) later.
    assert_eq!(
        elapsed_on_24x7(
            "America/New_York",
            "2024-11-03 00:30",
            "2024-11-03 01:30",
            ""
        ),
        Some(60)
    );
    assert_eq!(
        elapsed_on_24x7(
            "America/New_York",
            "2024-11-03 00:30",
            "2024-11-03 01:30",
            "ambiguous_times = \"later\""
        ),
        Some(120)
    );
}

#[test]
fn dst_in_london() {
    // Clocks go from 02:00 BST back to 01:00 GMT on 27 October 2024: 22:00Z → 03:00Z is 5h.
    assert_eq!(
        elapsed_on_24x7("Europe/London", "2024-10-26 23:00", "2024-10-27 03:00", ""),
        Some(300)
    );
    // On office hours, Fri 16:00–17:00 BST and Mon 09:00–10:00 GMT count; the 25-hour
    // Sunday shows only on the 24×7 clock: Fri 15:00Z → Mon 10:00Z = 67h.
    let toml = config(
        "Europe/London",
        "",
        r#"
[calendars.office]
timezone = "Europe/London"
hours = { mon-fri = "09:00-17:00" }

[[sla]]
priority = "P3"
calendar = "office"
resolution = "8h"
"#,
    );
    let tickets =
        "ticket_id,created_at,resolved_at,priority\nT-1,2024-10-25 16:00,2024-10-28 10:00,P3\n";
    let project = build(
        &[("slaudit.toml", &toml), ("tickets.csv", tickets)],
        "2024-12-01",
    );
    let clocks = Clocks::read(&project);
    assert_eq!(
        clocks.minutes("T-1", "resolution_elapsed_seconds"),
        Some(120)
    );
    assert_eq!(
        clocks.minutes("T-1", "resolution_elapsed_24x7_seconds"),
        Some(4_020)
    );
}

#[test]
fn dst_in_sydney() {
    // Clocks go from 02:00 AEST to 03:00 AEDT on 6 October 2024: 13:00Z → 18:00Z is 5h.
    assert_eq!(
        elapsed_on_24x7(
            "Australia/Sydney",
            "2024-10-05 23:00",
            "2024-10-06 05:00",
            ""
        ),
        Some(300)
    );
    let reason = gap_rejection("Australia/Sydney", "2024-10-06 01:00", "2024-10-06 02:30");
    assert!(
        reason.contains("does not exist in Australia/Sydney"),
        "{reason}"
    );
    // Office hours across that weekend: Fri 16:00–17:00 AEST + Mon 09:00–10:00 AEDT, while
    // the 24×7 clock runs Fri 06:00Z → Sun 23:00Z = 65h.
    let toml = config(
        "Australia/Sydney",
        "",
        r#"
[calendars.office]
timezone = "Australia/Sydney"
hours = { mon-fri = "09:00-17:00" }

[[sla]]
priority = "P3"
calendar = "office"
resolution = "8h"
"#,
    );
    let tickets =
        "ticket_id,created_at,resolved_at,priority\nT-1,2024-10-04 16:00,2024-10-07 10:00,P3\n";
    let project = build(
        &[("slaudit.toml", &toml), ("tickets.csv", tickets)],
        "2024-12-01",
    );
    let clocks = Clocks::read(&project);
    assert_eq!(
        clocks.minutes("T-1", "resolution_elapsed_seconds"),
        Some(120)
    );
    assert_eq!(
        clocks.minutes("T-1", "resolution_elapsed_24x7_seconds"),
        Some(3_900)
    );
}

#[test]
fn dst_in_kolkata() {
    // India keeps +05:30 all year, so the night Europe changes its clocks changes nothing.
    assert_eq!(
        elapsed_on_24x7("Asia/Kolkata", "2024-03-31 01:00", "2024-03-31 04:00", ""),
        Some(180)
    );
    // A UTC export against Kolkata office hours: 03:00Z is 08:30 IST, before opening, and
    // 04:00Z is 09:30 IST, so 30 min count.
    let toml = config(
        "UTC",
        "",
        r#"
[calendars.office]
timezone = "Asia/Kolkata"
hours = { mon-fri = "09:00-17:00" }

[[sla]]
priority = "P3"
calendar = "office"
resolution = "8h"
"#,
    );
    let tickets =
        "ticket_id,created_at,resolved_at,priority\nT-1,2024-07-09T03:00:00Z,2024-07-09T04:00:00Z,P3\n";
    let project = build(
        &[("slaudit.toml", &toml), ("tickets.csv", tickets)],
        "2024-12-01",
    );
    let clocks = Clocks::read(&project);
    assert_eq!(
        clocks.minutes("T-1", "resolution_elapsed_seconds"),
        Some(30)
    );
    assert_eq!(
        clocks.minutes("T-1", "resolution_elapsed_24x7_seconds"),
        Some(60)
    );
}

#[test]
fn dst_in_lord_howe() {
    // Lord Howe moves its clocks by 30 minutes: 02:00 → 02:30 on 6 October 2024, so
    // 01:00 (+10:30, 14:30Z) → 03:00 (+11:00, 16:00Z) is 90 min.
    assert_eq!(
        elapsed_on_24x7(
            "Australia/Lord_Howe",
            "2024-10-06 01:00",
            "2024-10-06 03:00",
            ""
        ),
        Some(90)
    );
    let reason = gap_rejection(
        "Australia/Lord_Howe",
        "2024-10-06 01:00",
        "2024-10-06 02:15",
    );
    assert!(
        reason.contains("does not exist in Australia/Lord_Howe"),
        "{reason}"
    );
    // On 7 April 2024 clocks go from 02:00 back to 01:30, so 01:45 happens twice: at +11:00
    // (14:45Z) by default and at +10:30 (15:15Z) later; 01:00 is 14:00Z.
    assert_eq!(
        elapsed_on_24x7(
            "Australia/Lord_Howe",
            "2024-04-07 01:00",
            "2024-04-07 01:45",
            ""
        ),
        Some(45)
    );
    assert_eq!(
        elapsed_on_24x7(
            "Australia/Lord_Howe",
            "2024-04-07 01:00",
            "2024-04-07 01:45",
            "ambiguous_times = \"later\""
        ),
        Some(75)
    );
}

// ---------------------------------------------------------------------------------------------
// Histories: pauses, reopens, priority changes and replies from an events file

/// Writes a project with a tickets file, an events file and the given SLA rows.
fn history_project(
    zone: &str,
    tickets: &str,
    events: &str,
    tickets_extra: &str,
    rest: &str,
) -> Project {
    let toml = config(
        zone,
        tickets_extra,
        &format!("\n[events]\nfile = \"events.csv\"\n{rest}"),
    );
    let project = Project::new();
    project
        .file("slaudit.toml", toml)
        .file("tickets.csv", tickets)
        .file("events.csv", events);
    project
}

const UTC_24X7: &str = r#"
[calendars.always]
hours = "24x7"
"#;

#[test]
fn consecutive_pause_statuses_are_one_pause() {
    let project = history_project(
        "UTC",
        "ticket_id,created_at,priority\nT-10001,2024-02-05T08:00:00Z,P3\n",
        "\
ticket_id,at,kind,value
T-10001,2024-02-05T08:00:00Z,status,new
T-10001,2024-02-05T09:00:00Z,reply_public,
T-10001,2024-02-05T10:00:00Z,status,pending customer
T-10001,2024-02-05T13:00:00Z,status,open
T-10001,2024-02-05T14:00:00Z,status,on hold
T-10001,2024-02-05T15:00:00Z,status,pending customer
T-10001,2024-02-05T17:00:00Z,status,open
T-10001,2024-02-05T18:30:00Z,status,resolved
",
        "",
        &format!(
            "{UTC_24X7}\n[[sla]]\npriority = \"P3\"\ncalendar = \"always\"\nresponse = \"4h\"\nresolution = \"5h\"\n"
        ),
    );
    project
        .run(&["build", ".", "--as-of", "2024-03-01"])
        .success();
    let clocks = Clocks::read(&project);

    // 630 min of wall time minus 10:00–13:00 and 14:00–17:00 (on hold, then pending: one
    // pause) = 270 min against 300.
    assert_eq!(
        clocks.minutes("T-10001", "resolution_elapsed_seconds"),
        Some(270)
    );
    assert_eq!(clocks.cell("T-10001", "resolution_verdict"), "met");
    assert_eq!(
        clocks.minutes("T-10001", "resolution_paused_seconds"),
        Some(360)
    );
    assert_eq!(clocks.cell("T-10001", "resolution_pauses"), "2");
    assert_eq!(
        clocks.minutes("T-10001", "response_elapsed_seconds"),
        Some(60)
    );
    // The resolution came from the status history.
    assert_eq!(
        clocks.instant("T-10001", "resolved"),
        Some(instant("2024-02-05T18:30:00Z"))
    );
}

#[test]
fn pause_across_closing_removes_only_open_hours() {
    let project = history_project(
        "Asia/Kolkata",
        "ticket_id,created_at,priority\nT-11001,2024-07-09T10:00:00+05:30,P3\n",
        "\
ticket_id,at,kind,value
T-11001,2024-07-09T10:00:00+05:30,status,new
T-11001,2024-07-09T10:20:00+05:30,reply_public,
T-11001,2024-07-09T16:00:00+05:30,status,pending customer
T-11001,2024-07-10T11:00:00+05:30,customer_message,
T-11001,2024-07-10T11:00:00+05:30,status,open
T-11001,2024-07-10T15:00:00+05:30,status,resolved
",
        "",
        r#"
[calendars.office]
timezone = "Asia/Kolkata"
hours = { mon-fri = "09:00-17:00" }

[[sla]]
priority = "P3"
calendar = "office"
resolution = "9h"
"#,
    );
    project
        .run(&["build", ".", "--as-of", "2024-08-01"])
        .success();
    let clocks = Clocks::read(&project);

    // Tue 10:00–16:00 = 360 + Wed 11:00–15:00 = 240 = 600 min. The pause covers 60 + 120 min
    // of open time. 360 min are used by Tue 16:00 and the other 180 run from Wed 11:00.
    assert_eq!(
        clocks.minutes("T-11001", "resolution_elapsed_seconds"),
        Some(600)
    );
    assert_eq!(
        clocks.minutes("T-11001", "resolution_paused_seconds"),
        Some(180)
    );
    assert_eq!(
        clocks.instant("T-11001", "resolution_due"),
        Some(instant("2024-07-10T14:00:00+05:30"))
    );
    assert_eq!(clocks.cell("T-11001", "resolution_verdict"), "breached");
    assert_eq!(
        clocks.minutes("T-11001", "resolution_breached_by_seconds"),
        Some(60)
    );
}

#[test]
fn reopen_excludes_time_resolved_and_closed() {
    let project = history_project(
        "UTC",
        "ticket_id,created_at,priority\nT-12001,2024-04-02T09:00:00Z,P3\n",
        "\
ticket_id,at,kind,value
T-12001,2024-04-02T09:00:00Z,status,new
T-12001,2024-04-02T09:20:00Z,reply_public,
T-12001,2024-04-02T11:00:00Z,status,resolved
T-12001,2024-04-03T11:00:00Z,status,closed
T-12001,2024-04-04T09:00:00Z,status,reopened
T-12001,2024-04-04T10:30:00Z,status,resolved
",
        "",
        &format!(
            "{UTC_24X7}\n[[sla]]\npriority = \"P3\"\ncalendar = \"always\"\nresponse = \"1h\"\nresolution = \"8h\"\n"
        ),
    );
    project
        .run(&["build", ".", "--as-of", "2024-05-01"])
        .success();
    let clocks = Clocks::read(&project);

    // The first response is not reset by the reopen.
    assert_eq!(
        clocks.minutes("T-12001", "response_elapsed_seconds"),
        Some(20)
    );
    // First resolution 09:00–11:00; full resolution adds 04-04 09:00–10:30.
    assert_eq!(
        clocks.minutes("T-12001", "first_resolution_seconds"),
        Some(120)
    );
    assert_eq!(
        clocks.minutes("T-12001", "resolution_elapsed_seconds"),
        Some(210)
    );
    assert_eq!(clocks.cell("T-12001", "resolution_verdict"), "met");
    assert_eq!(clocks.cell("T-12001", "reopens"), "1");
    // 24h resolved and 22h closed, each on its own, and neither counted as a pause.
    assert_eq!(
        clocks.minutes("T-12001", "resolved_before_reopen_seconds"),
        Some(1_440)
    );
    assert_eq!(
        clocks.minutes("T-12001", "closed_before_reopen_seconds"),
        Some(1_320)
    );
    assert_eq!(
        clocks.minutes("T-12001", "resolution_paused_seconds"),
        Some(0)
    );
    assert_eq!(clocks.cell("T-12001", "ever_breached"), "false");
}

const PRIORITY_EVENTS: &str = "\
ticket_id,at,kind,value
T-13001,2024-08-06T08:00:00Z,status,new
T-13001,2024-08-06T08:00:00Z,priority,P3
T-13001,2024-08-06T09:00:00Z,status,pending customer
T-13001,2024-08-07T09:00:00Z,status,open
T-13001,2024-08-07T10:00:00Z,priority,P2
T-13001,2024-08-07T12:00:00Z,status,resolved
T-13002,2024-08-12T08:00:00Z,status,new
T-13002,2024-08-12T08:00:00Z,priority,P1
T-13002,2024-08-12T11:00:00Z,priority,P3
T-13002,2024-08-12T14:00:00Z,status,resolved
";

fn priority_project(tickets_extra: &str) -> Project {
    let project = history_project(
        "UTC",
        "ticket_id,created_at\nT-13001,2024-08-06T08:00:00Z\nT-13002,2024-08-12T08:00:00Z\n",
        PRIORITY_EVENTS,
        tickets_extra,
        &format!(
            "{UTC_24X7}
[[sla]]
priority = \"P1\"
calendar = \"always\"
resolution = \"4h\"

[[sla]]
priority = \"P2\"
calendar = \"always\"
resolution = \"8h\"

[[sla]]
priority = \"P3\"
calendar = \"always\"
resolution = \"24h\"
"
        ),
    );
    project
        .run(&["build", ".", "--as-of", "2024-09-01"])
        .success();
    project
}

#[test]
fn target_is_that_of_the_priority_at_stop() {
    let project = priority_project("");
    let clocks = Clocks::read(&project);

    // 08:00–09:00 + 08-07 09:00–12:00 = 240 min; the 24h pause is left out. P2's 8h applies.
    assert_eq!(
        clocks.minutes("T-13001", "resolution_elapsed_seconds"),
        Some(240)
    );
    assert_eq!(
        clocks.minutes("T-13001", "resolution_paused_seconds"),
        Some(1_440)
    );
    assert_eq!(clocks.cell("T-13001", "resolution_priority"), "P2");
    assert_eq!(clocks.cell("T-13001", "resolution_verdict"), "met");
    assert_eq!(clocks.cell("T-13001", "initial_priority"), "P3");
    assert_eq!(clocks.cell("T-13001", "priority_changes"), "1");
    // Lowered from P1 to P3 after 3h: 6h against P3's 24h is met.
    assert_eq!(
        clocks.minutes("T-13002", "resolution_elapsed_seconds"),
        Some(360)
    );
    assert_eq!(clocks.cell("T-13002", "resolution_priority"), "P3");
    assert_eq!(clocks.cell("T-13002", "resolution_verdict"), "met");
}

#[test]
fn lowered_priority_that_hid_a_breach_is_reported() {
    let project = priority_project("");
    // Under P1 the 6h would miss the 4h target by 2h; the priority fell 3h after opening.
    let priorities = page_text(&project.read("site/priorities.html"));
    assert!(
        priorities.contains(
            "T-13002 resolution priority lowered P1→P3 at 3h 00m elapsed; under P1 it would be breached by 2h 00m"
        ),
        "{priorities}"
    );
    assert!(
        !priorities.contains("T-13001 resolution priority lowered"),
        "{priorities}"
    );
    let html = project.read("site/priorities.html");
    assert!(
        html.contains("<a href=\"tickets/0001.html#t-T-13002\">T-13002</a>"),
        "{html}"
    );
    assert!(project
        .read("site/tickets/0001.html")
        .contains("<article class=\"timeline\" id=\"t-T-13002\">"));

    let summary = page_text(&project.read("site/index.html"));
    assert!(
        summary.contains("1 lowered priority turned a breach into a met target"),
        "{summary}"
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&project.read("site/manifest.json")).unwrap();
    assert_eq!(manifest["clocks"]["downgrades"], 1);
}

#[test]
fn initial_target_priority_option() {
    let project = priority_project("target_priority = \"initial\"");
    let clocks = Clocks::read(&project);

    // T-13001 opened as P3: 240 min against 24h. T-13002 opened as P1: 360 against 240.
    assert_eq!(clocks.cell("T-13001", "resolution_priority"), "P3");
    assert_eq!(clocks.cell("T-13001", "resolution_verdict"), "met");
    assert_eq!(clocks.cell("T-13002", "resolution_priority"), "P1");
    assert_eq!(clocks.cell("T-13002", "resolution_verdict"), "breached");
    assert_eq!(
        clocks.minutes("T-13002", "resolution_breached_by_seconds"),
        Some(120)
    );
    // Measured against the initial priority, nothing was hidden.
    let manifest: serde_json::Value =
        serde_json::from_str(&project.read("site/manifest.json")).unwrap();
    assert_eq!(manifest["clocks"]["downgrades"], 0);
}

#[test]
fn first_response_is_measured_from_creation() {
    let project = history_project(
        "UTC",
        "ticket_id,created_at,priority\nT-15001,2024-01-15T10:00:00Z,P3\n",
        "\
ticket_id,at,kind,value
T-15001,2024-01-15T10:00:00Z,customer_message,opened
T-15001,2024-01-16T10:00:00Z,customer_message,follow-up
T-15001,2024-01-17T10:00:00Z,customer_message,second follow-up
T-15001,2024-01-18T09:00:00Z,reply_public,answers the 01-17 message
T-15001,2024-01-18T09:30:00Z,reply_public,answers the 01-15 message
",
        "",
        &format!(
            "{UTC_24X7}\n[[sla]]\npriority = \"P3\"\ncalendar = \"always\"\nresponse = \"24h\"\n"
        ),
    );
    project
        .run(&["build", ".", "--as-of", "2024-02-01"])
        .success();
    let clocks = Clocks::read(&project);

    // Mon 10:00 → Thu 09:00 = 3 days less 1h = 71h, over 24h by 47h.
    assert_eq!(
        clocks.minutes("T-15001", "response_elapsed_seconds"),
        Some(4_260)
    );
    assert_eq!(clocks.cell("T-15001", "response_verdict"), "breached");
    assert_eq!(
        clocks.minutes("T-15001", "response_breached_by_seconds"),
        Some(2_820)
    );
}

#[test]
fn internal_notes_and_auto_replies_are_not_responses() {
    let project = history_project(
        "Europe/Berlin",
        "ticket_id,created_at,priority\nT-16001,2024-03-04T09:30:00+01:00,P3\n",
        "\
ticket_id,at,kind,value
T-16001,2024-03-04T09:30:00+01:00,customer_message,opened
T-16001,2024-03-04T09:31:00+01:00,auto_reply,request received
T-16001,2024-03-04T09:45:00+01:00,reply_internal,checking licence server
T-16001,2024-03-04T13:15:00+01:00,reply_public,answer
",
        "",
        r#"
[calendars.office]
timezone = "Europe/Berlin"
hours = { mon-fri = "09:00-17:00" }

[[sla]]
priority = "P3"
calendar = "office"
response = "2h"
"#,
    );
    project
        .run(&["build", ".", "--as-of", "2024-04-01"])
        .success();
    let clocks = Clocks::read(&project);

    // 09:30 → 13:15 = 225 min, over 120 by 105.
    assert_eq!(
        clocks.minutes("T-16001", "response_elapsed_seconds"),
        Some(225)
    );
    assert_eq!(clocks.cell("T-16001", "response_verdict"), "breached");
    assert_eq!(
        clocks.minutes("T-16001", "response_breached_by_seconds"),
        Some(105)
    );
}

fn no_reply_project() -> Project {
    let toml = config(
        "UTC",
        "",
        &format!("{UTC_24X7}\n[[sla]]\npriority = \"P3\"\ncalendar = \"always\"\nresponse = \"1h\"\nresolution = \"4h\"\n"),
    );
    let tickets = "\
ticket_id,created_at,first_response_at,resolved_at,priority
T-17001,2024-05-06T08:00:00Z,,2024-05-06T08:30:00Z,P3
T-17002,2024-05-06T10:30:00Z,,2024-05-06T10:00:00Z,P3
T-17003,2024-05-06T11:00:00Z,2024-05-06T11:40:00Z,2024-05-06T12:00:00Z,P3
";
    build(
        &[("slaudit.toml", &toml), ("tickets.csv", tickets)],
        "2024-06-01",
    )
}

#[test]
fn resolution_without_reply_leaves_the_response_empty() {
    let project = no_reply_project();
    let clocks = Clocks::read(&project);

    // Resolved at 30 min, before the response was due at 60: met by resolution, no value.
    assert_eq!(clocks.minutes("T-17001", "response_elapsed_seconds"), None);
    assert_eq!(
        clocks.cell("T-17001", "response_verdict"),
        "met by resolution"
    );
    assert_eq!(
        clocks.minutes("T-17001", "resolution_elapsed_seconds"),
        Some(30)
    );
    assert_eq!(clocks.cell("T-17001", "resolution_verdict"), "met");
    assert_eq!(
        clocks.minutes("T-17003", "response_elapsed_seconds"),
        Some(40)
    );
    assert_eq!(
        clocks.minutes("T-17003", "resolution_elapsed_seconds"),
        Some(60)
    );

    // Means count measured clocks only: response 40 (n = 1), resolution (30 + 60) / 2.
    let manifest: serde_json::Value =
        serde_json::from_str(&project.read("site/manifest.json")).unwrap();
    assert_eq!(manifest["clocks"]["response"]["measured"], 1);
    assert_eq!(manifest["clocks"]["response"]["mean_seconds"], 40 * 60);
    assert_eq!(manifest["clocks"]["resolution"]["measured"], 2);
    assert_eq!(manifest["clocks"]["resolution"]["mean_seconds"], 45 * 60);
    assert_eq!(manifest["tickets"]["rejected_rows"], 1);
}

#[test]
fn resolved_before_created_is_rejected() {
    let project = no_reply_project();
    let rejected = read_csv(&project.read("site/rejected.csv"));
    assert_eq!(rejected.len(), 2, "{rejected:?}");
    assert_eq!(
        rejected[1][..4],
        ["tickets.csv", "3", "T-17002", "resolved_at"]
    );
    assert!(
        rejected[1][5].starts_with("resolved_at is 30 min before created_at"),
        "{:?}",
        rejected[1]
    );
    // Left out of every metric, so no negative value is printed anywhere.
    assert_eq!(Clocks::read(&project).tickets(), ["T-17001", "T-17003"]);
    let breaches = project.read("site/breaches.csv");
    assert!(!breaches.contains("T-17002"), "{breaches}");
}

// ---------------------------------------------------------------------------------------------
// Further scenarios of the same kinds

#[test]
fn pause_over_a_holiday_removes_only_open_hours() {
    let project = history_project(
        "Europe/London",
        "ticket_id,created_at,priority\nE-1,2024-05-24 10:00,P3\n",
        "\
ticket_id,at,kind,value
E-1,2024-05-24 10:00,status,new
E-1,2024-05-24 15:00,status,pending customer
E-1,2024-05-28 11:00,status,open
E-1,2024-05-28 16:00,status,resolved
",
        "",
        r#"
[calendars.office]
timezone = "Europe/London"
hours = { mon-fri = "09:00-17:00" }
holidays = ["2024-05-27"]

[[sla]]
priority = "P3"
calendar = "office"
resolution = "16h"
"#,
    );
    project
        .run(&["build", ".", "--as-of", "2024-07-01"])
        .success();
    let clocks = Clocks::read(&project);

    // Runs Fri 10:00–15:00 (300) and Tue 11:00–16:00 (300). The pause from Fri 15:00 to
    // Tue 11:00 covers Fri 15:00–17:00 (120) and Tue 09:00–11:00 (120) of open time. The
    // weekend and the bank holiday Monday are closed, so they remove nothing.
    assert_eq!(
        clocks.minutes("E-1", "resolution_elapsed_seconds"),
        Some(600)
    );
    assert_eq!(
        clocks.minutes("E-1", "resolution_paused_seconds"),
        Some(240)
    );
    assert_eq!(clocks.cell("E-1", "resolution_pauses"), "1");
    assert_eq!(clocks.cell("E-1", "resolution_verdict"), "met");
    // Of 960 min, 300 are used by Fri 15:00; Tue 11:00–17:00 gives 360 more, and the last
    // 300 run from Wed 09:00 to 14:00 BST.
    assert_eq!(
        clocks.instant("E-1", "resolution_due"),
        Some(instant("2024-05-29T14:00:00+01:00"))
    );
}

#[test]
fn reopen_across_a_weekend_gets_a_timeline() {
    let project = history_project(
        "Europe/London",
        "ticket_id,created_at,priority\nE-2,2024-06-06 14:00,P3\n",
        "\
ticket_id,at,kind,value
E-2,2024-06-06 14:00,status,new
E-2,2024-06-07 10:00,status,resolved
E-2,2024-06-10 11:00,status,reopened
E-2,2024-06-10 16:00,status,resolved
",
        "",
        r#"
[calendars.office]
timezone = "Europe/London"
hours = { mon-fri = "09:00-17:00" }

[[sla]]
priority = "P3"
calendar = "office"
resolution = "8h"
"#,
    );
    project
        .run(&["build", ".", "--as-of", "2024-07-01"])
        .success();
    let clocks = Clocks::read(&project);

    // First resolution: Thu 14:00–17:00 (180) + Fri 09:00–10:00 (60) = 240, met. Resolved
    // from Fri 10:00 to Mon 11:00 removes Fri 10:00–17:00 (420) + Mon 09:00–11:00 (120) of
    // open time. Full resolution adds Mon 11:00–16:00 (300): 540 against 480.
    assert_eq!(clocks.minutes("E-2", "first_resolution_seconds"), Some(240));
    assert_eq!(
        clocks.minutes("E-2", "resolved_before_reopen_seconds"),
        Some(540)
    );
    assert_eq!(
        clocks.minutes("E-2", "resolution_elapsed_seconds"),
        Some(540)
    );
    assert_eq!(clocks.cell("E-2", "resolution_verdict"), "breached");
    assert_eq!(
        clocks.minutes("E-2", "resolution_breached_by_seconds"),
        Some(60)
    );
    assert_eq!(clocks.cell("E-2", "ever_breached"), "true");
    // On the 24×7 clock: Thu 14:00 → Fri 10:00 (20h) + Mon 11:00 → 16:00 (5h).
    assert_eq!(
        clocks.minutes("E-2", "resolution_elapsed_24x7_seconds"),
        Some(1_500)
    );

    let breaches = project.read("site/breaches.html");
    assert!(
        breaches.contains("<a href=\"tickets/0001.html#t-E-2\">E-2</a>"),
        "{breaches}"
    );
    let page = page_text(&project.read("site/tickets/0001.html"));
    for row in [
        "2024-06-06 14:00 2024-06-06 17:00 3h 00m 3h 00m running in open hours",
        "2024-06-06 17:00 2024-06-07 09:00 16h 00m closed hours",
        "2024-06-07 09:00 2024-06-07 10:00 1h 00m 1h 00m running in open hours",
        "2024-06-07 10:00 2024-06-10 11:00 73h 00m 9h 00m `resolved` before a reopen",
        "2024-06-10 11:00 2024-06-10 16:00 5h 00m 5h 00m running in open hours",
        "2024-06-10 16:00 after resolution: not counted",
        "Elapsed 9h 00m 9h 00m",
        // Every instant outside the segment tables names its zone.
        "Resolved 2024-06-10 16:00 (Europe/London)",
        "Stopped 2024-06-10 16:00 (Europe/London)",
        "Elapsed 9h 00m of open time on the office calendar, over the target by 1h 00m",
    ] {
        assert!(page.contains(row), "missing `{row}` in:\n{page}");
    }
}

#[test]
fn response_target_follows_priority_at_first_response() {
    let project = history_project(
        "UTC",
        "ticket_id,created_at\nE-3,2024-03-04T08:00:00Z\n",
        "\
ticket_id,at,kind,value
E-3,2024-03-04T08:00:00Z,priority,P3
E-3,2024-03-04T09:00:00Z,reply_public,
E-3,2024-03-04T10:00:00Z,priority,P1
E-3,2024-03-04T11:00:00Z,status,resolved
",
        "",
        &format!(
            "{UTC_24X7}
[[sla]]
priority = \"P1\"
calendar = \"always\"
response = \"15m\"
resolution = \"4h\"

[[sla]]
priority = \"P3\"
calendar = \"always\"
response = \"4h\"
resolution = \"24h\"
"
        ),
    );
    project
        .run(&["build", ".", "--as-of", "2024-04-01"])
        .success();
    let clocks = Clocks::read(&project);

    // The reply came after 60 min, while the ticket was P3 (4h): met, although P1's 15m
    // would have been missed. The resolution, 3h, is judged as P1 (4h): met.
    assert_eq!(clocks.cell("E-3", "response_priority"), "P3");
    assert_eq!(clocks.minutes("E-3", "response_elapsed_seconds"), Some(60));
    assert_eq!(clocks.cell("E-3", "response_verdict"), "met");
    assert_eq!(clocks.cell("E-3", "resolution_priority"), "P1");
    assert_eq!(
        clocks.minutes("E-3", "resolution_elapsed_seconds"),
        Some(180)
    );
    assert_eq!(clocks.cell("E-3", "priority"), "P1");
    assert_eq!(clocks.cell("E-3", "initial_priority"), "P3");
}

#[test]
fn overlap_hour_resolution_with_later_option() {
    let sla = r#"
[calendars.always]
timezone = "America/New_York"
hours = "24x7"

[[sla]]
priority = "P1"
calendar = "always"
resolution = "1h 30m"
"#;
    let tickets =
        "ticket_id,created_at,resolved_at,priority\nE-4,2024-11-03 00:30,2024-11-03 01:30,P1\n";
    // Earlier (EDT): 04:30Z → 05:30Z, 60 min, met. Later (EST): → 06:30Z, 120 min, over 90
    // by 30.
    let earlier = build(
        &[
            ("slaudit.toml", &config("America/New_York", "", sla)),
            ("tickets.csv", tickets),
        ],
        "2024-12-01",
    );
    let clocks = Clocks::read(&earlier);
    assert_eq!(clocks.cell("E-4", "resolution_verdict"), "met");
    let later = build(
        &[
            (
                "slaudit.toml",
                &config("America/New_York", "ambiguous_times = \"later\"", sla),
            ),
            ("tickets.csv", tickets),
        ],
        "2024-12-01",
    );
    let clocks = Clocks::read(&later);
    assert_eq!(
        clocks.minutes("E-4", "resolution_elapsed_seconds"),
        Some(120)
    );
    assert_eq!(
        clocks.minutes("E-4", "resolution_breached_by_seconds"),
        Some(30)
    );
    assert_eq!(
        clocks.instant("E-4", "resolved"),
        Some(instant("2024-11-03T01:30:00-05:00"))
    );
}

#[test]
fn events_naming_unknown_tickets_or_kinds_are_rejected() {
    let project = history_project(
        "UTC",
        "ticket_id,created_at,priority\nT-1,2024-01-01T08:00:00Z,P3\n",
        "\
ticket_id,at,kind,value
T-1,2024-01-01T08:30:00Z,reply_public,
T-9,2024-01-01T09:00:00Z,status,open
T-1,2024-01-01T09:00:00Z,escalation,level 2
T-1,2024-01-01T09:30:00Z,status,
",
        "",
        &format!(
            "{UTC_24X7}\n[[sla]]\npriority = \"P3\"\ncalendar = \"always\"\nresponse = \"1h\"\n"
        ),
    );
    project
        .run(&["build", ".", "--as-of", "2024-02-01"])
        .success();
    let rejected = read_csv(&project.read("site/rejected.csv"));
    let rows: Vec<(&str, &str, &str, &str)> = rejected[1..]
        .iter()
        .map(|row| {
            (
                row[0].as_str(),
                row[1].as_str(),
                row[2].as_str(),
                row[3].as_str(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("events.csv", "3", "T-9", "ticket_id"),
            ("events.csv", "4", "T-1", "kind"),
            ("events.csv", "5", "T-1", "value"),
        ]
    );
    assert!(
        rejected[1][5].starts_with("no ticket `T-9` in tickets.csv"),
        "{rejected:?}"
    );
    assert!(
        rejected[2][5].starts_with("unknown event kind `escalation`"),
        "{rejected:?}"
    );
    // The rows that were read still count: the reply after 30 min.
    let clocks = Clocks::read(&project);
    assert_eq!(clocks.minutes("T-1", "response_elapsed_seconds"), Some(30));
    let manifest: serde_json::Value =
        serde_json::from_str(&project.read("site/manifest.json")).unwrap();
    assert_eq!(manifest["inputs"][1]["path"], "events.csv");
    assert_eq!(manifest["inputs"][1]["rows"], 4);
}

#[test]
fn event_kinds_can_be_mapped_from_export_labels() {
    let project = history_project(
        "UTC",
        "ticket_id,created_at,priority\nT-1,2024-01-01T08:00:00Z,P3\n",
        "\
Ticket,When,Type,To
T-1,2024-01-01T08:05:00Z,Comment (internal),
T-1,2024-01-01T08:45:00Z,Comment (public),
",
        "",
        &format!(
            "[events.columns]\nticket = \"Ticket\"\nat = \"When\"\nkind = \"Type\"\nvalue = \"To\"\n\
             [events.values.kind]\n\"Comment (public)\" = \"reply_public\"\n\"Comment (internal)\" = \"reply_internal\"\n\
             {UTC_24X7}\n[[sla]]\npriority = \"P3\"\ncalendar = \"always\"\nresponse = \"1h\"\n"
        ),
    );
    project
        .run(&["build", ".", "--as-of", "2024-02-01"])
        .success();
    let clocks = Clocks::read(&project);
    // The internal comment at 5 min does not count; the public one at 45 min does.
    assert_eq!(clocks.minutes("T-1", "response_elapsed_seconds"), Some(45));
}

#[test]
fn due_instant_of_a_paused_clock() {
    let project = history_project(
        "UTC",
        "ticket_id,created_at,priority\nE-5,2024-03-04T08:00:00Z,P3\nE-6,2024-03-04T08:00:00Z,P3\n",
        "\
ticket_id,at,kind,value
E-5,2024-03-04T08:00:00Z,status,new
E-5,2024-03-04T09:00:00Z,status,pending customer
E-5,2024-03-04T12:00:00Z,status,resolved
E-6,2024-03-04T08:00:00Z,status,new
E-6,2024-03-04T09:00:00Z,status,pending customer
",
        "",
        &format!(
            "{UTC_24X7}\n[[sla]]\npriority = \"P3\"\ncalendar = \"always\"\nresolution = \"5h\"\n"
        ),
    );
    project
        .run(&["build", ".", "--as-of", "2024-03-04T13:00:00Z"])
        .success();
    let clocks = Clocks::read(&project);

    // Resolved straight from the pause after 60 min of running: the due instant is where the
    // other 240 min would have run out had the clock restarted at the resolution, 16:00.
    assert_eq!(
        clocks.minutes("E-5", "resolution_elapsed_seconds"),
        Some(60)
    );
    assert_eq!(clocks.cell("E-5", "resolution_verdict"), "met");
    assert_eq!(
        clocks.instant("E-5", "resolution_due"),
        Some(instant("2024-03-04T16:00:00Z"))
    );
    // Still paused at the as-of instant: 60 of 300 min so far, and no due instant yet,
    // because it depends on when the pause ends.
    assert_eq!(
        clocks.minutes("E-6", "resolution_elapsed_seconds"),
        Some(60)
    );
    assert_eq!(
        clocks.minutes("E-6", "resolution_paused_seconds"),
        Some(240)
    );
    assert_eq!(
        clocks.cell("E-6", "resolution_verdict"),
        "open, within target"
    );
    assert_eq!(clocks.cell("E-6", "resolution_due"), "");
}

/// T-12002 is resolved after 2 hours, reopened the next day and still open at the as-of
/// instant: its first resolution is reported although the ticket is open again, and its
/// resolution clock runs on from the reopen (09:00 to the as-of 12:00 adds 3 hours).
#[test]
fn reopened_open_ticket_keeps_first_resolution() {
    let project = history_project(
        "UTC",
        "ticket_id,created_at,priority\nT-12002,2024-04-02T09:00:00Z,P3\n",
        "\
ticket_id,at,kind,value
T-12002,2024-04-02T09:00:00Z,status,new
T-12002,2024-04-02T11:00:00Z,status,resolved
T-12002,2024-04-03T09:00:00Z,status,reopened
",
        "",
        &format!(
            "{UTC_24X7}\n[[sla]]\npriority = \"P3\"\ncalendar = \"always\"\nresolution = \"8h\"\n"
        ),
    );
    project
        .run(&["build", ".", "--as-of", "2024-04-03T12:00:00Z"])
        .success();
    let clocks = Clocks::read(&project);
    assert_eq!(
        clocks.minutes("T-12002", "first_resolution_seconds"),
        Some(120)
    );
    assert_eq!(
        clocks.minutes("T-12002", "resolution_elapsed_seconds"),
        Some(300)
    );
    assert_eq!(
        clocks.cell("T-12002", "resolution_verdict"),
        "open, within target"
    );
}
