//! More SLA clock scenarios of the kinds in `clock_cases.rs`, on other calendars, zones and
//! histories. They cover lunch breaks, night shifts across a month end, a holiday and a DST
//! change, `24:00` ends, and 23- and 25-hour days. They also cover DST gaps and overlaps,
//! explicit offsets, holidays from a list, a half day and an iCalendar file, `d` and `bd`
//! targets, pauses, reopens and priority changes.
//!
//! Each test writes a small project with the generic preset, builds it with the real binary
//! and reads `site/clocks.csv`. Every expected value was worked out by hand from the clock
//! rules in the README, and the comment above each assert shows the arithmetic.

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

/// Writes a project from `(name, contents)` pairs.
fn project(files: &[(&str, &str)]) -> Project {
    let project = Project::new();
    for (name, contents) in files {
        project.file(name, contents);
    }
    project
}

/// Writes a project and builds it at `as_of`.
fn build(files: &[(&str, &str)], as_of: &str) -> Project {
    let project = project(files);
    project.run(&["build", ".", "--as-of", as_of]).success();
    project
}

/// Writes a project with a tickets file and an `[events]` file, and builds it at `as_of`.
fn build_history(
    zone: &str,
    tickets_extra: &str,
    rest: &str,
    tickets: &str,
    events: &str,
    as_of: &str,
) -> Project {
    let toml = config(
        zone,
        tickets_extra,
        &format!("\n[events]\nfile = \"events.csv\"\n{rest}"),
    );
    build(
        &[
            ("slaudit.toml", &toml),
            ("tickets.csv", tickets),
            ("events.csv", events),
        ],
        as_of,
    )
}

// ---------------------------------------------------------------------------------------------
// Calendars: lunch breaks, night shifts and `24:00`

#[test]
fn lunch_break_due_spans_two_days() {
    let toml = config(
        "Europe/Paris",
        "",
        r#"
[calendars.office]
timezone = "Europe/Paris"
hours = { mon-fri = "08:00-12:00, 13:00-17:00" }

[[sla]]
priority = "P3"
calendar = "office"
response = "1h"
resolution = "10h"
"#,
    );
    // 11 June 2026 is a Thursday; Paris is on CEST (UTC+2).
    let tickets = "\
ticket_id,created_at,first_response_at,resolved_at,priority
L-1,2026-06-11 11:30,2026-06-11 13:20,2026-06-12 12:30,P3
L-2,2026-06-11 12:10,2026-06-11 13:25,2026-06-11 16:00,P3
";
    let project = build(
        &[("slaudit.toml", &toml), ("tickets.csv", tickets)],
        "2026-07-01",
    );
    let clocks = Clocks::read(&project);

    // Thu 11:30–12:00 = 30, lunch closed, 13:00–13:20 = 20: 50 min.
    assert_eq!(clocks.minutes("L-1", "response_elapsed_seconds"), Some(50));
    assert_eq!(clocks.cell("L-1", "response_verdict"), "met");
    // 30 of 60 min are used by 12:00, the other 30 run from 13:00.
    assert_eq!(
        clocks.instant("L-1", "response_due"),
        Some(instant("2026-06-11T13:30:00+02:00"))
    );
    // Thu 30 + 240 = 270, Fri 08:00–12:00 = 240, and the stop at 12:30 falls in lunch: 510.
    assert_eq!(
        clocks.minutes("L-1", "resolution_elapsed_seconds"),
        Some(510)
    );
    assert_eq!(clocks.cell("L-1", "resolution_verdict"), "met");
    // Of 600 min, 270 run on Thursday and 240 on Friday morning; the last 90 from 13:00.
    assert_eq!(
        clocks.instant("L-1", "resolution_due"),
        Some(instant("2026-06-12T14:30:00+02:00"))
    );
    // Thu 11:30 → Fri 12:30 on the 24×7 clock is 25h.
    assert_eq!(
        clocks.minutes("L-1", "resolution_elapsed_24x7_seconds"),
        Some(1_500)
    );
    // Opened during lunch: the clock starts at 13:00, so the reply at 13:25 took 25 min,
    // the response was due at 14:00, and 13:00–16:00 gives 180 min of resolution.
    assert_eq!(clocks.minutes("L-2", "response_elapsed_seconds"), Some(25));
    assert_eq!(
        clocks.instant("L-2", "response_due"),
        Some(instant("2026-06-11T14:00:00+02:00"))
    );
    assert_eq!(
        clocks.minutes("L-2", "resolution_elapsed_seconds"),
        Some(180)
    );
}

#[test]
fn night_shift_across_month_end() {
    let toml = config(
        "America/Chicago",
        "",
        r#"
[calendars.night]
timezone = "America/Chicago"
hours = { mon-fri = "21:00-02:00" }

[[sla]]
priority = "P2"
calendar = "night"
response = "2h"
resolution = "4h"
"#,
    );
    // 31 July 2026 is a Friday, so its shift runs into Saturday 1 August. Chicago is on
    // CDT (UTC−5) throughout.
    let tickets = "\
ticket_id,created_at,first_response_at,resolved_at,priority
N-1,2026-07-31 23:30,2026-08-01 01:15,2026-08-03 21:20,P2
N-2,2026-08-03 01:00,,2026-08-03 21:45,P2
";
    let project = build(
        &[("slaudit.toml", &toml), ("tickets.csv", tickets)],
        "2026-09-01",
    );
    let clocks = Clocks::read(&project);

    // Fri 23:30–24:00 = 30 + Sat 00:00–01:15 = 75: 105 min.
    assert_eq!(clocks.minutes("N-1", "response_elapsed_seconds"), Some(105));
    assert_eq!(clocks.cell("N-1", "response_verdict"), "met");
    // 30 min by midnight, the other 90 by Sat 01:30.
    assert_eq!(
        clocks.instant("N-1", "response_due"),
        Some(instant("2026-08-01T01:30:00-05:00"))
    );
    // Fri 23:30 → Sat 02:00 = 150, closed until Mon 21:00, then 20: 170 min.
    assert_eq!(
        clocks.minutes("N-1", "resolution_elapsed_seconds"),
        Some(170)
    );
    // 150 of 240 min are used by Sat 02:00; the other 90 run from Mon 21:00.
    assert_eq!(
        clocks.instant("N-1", "resolution_due"),
        Some(instant("2026-08-03T22:30:00-05:00"))
    );
    // Monday 01:00 belongs to Sunday's shift, and there is none: the clock starts at
    // Mon 21:00, so the resolution took 45 min.
    assert_eq!(
        clocks.minutes("N-2", "resolution_elapsed_seconds"),
        Some(45)
    );
    // Resolved with no reply at 45 min, before the response was due at 120.
    assert_eq!(clocks.cell("N-2", "response_verdict"), "met by resolution");
}

#[test]
fn night_shift_on_holidays() {
    let toml = config(
        "America/Chicago",
        "",
        r#"
[calendars.night]
timezone = "America/Chicago"
hours = { mon-fri = "21:00-02:00" }
holidays = ["2026-08-04", "2026-08-07"]

[[sla]]
priority = "P2"
calendar = "night"
resolution = "4h"
"#,
    );
    // Tuesday 4 and Friday 7 August 2026 are holidays (CDT, UTC−5). A shift belongs to the
    // day it starts on, so a holiday closes its own evening and the night after it.
    let tickets = "\
ticket_id,created_at,resolved_at,priority
NH-1,2026-08-03 23:00,2026-08-05 21:30,P2
NH-2,2026-08-07 22:00,2026-08-10 21:20,P2
";
    let project = build(
        &[("slaudit.toml", &toml), ("tickets.csv", tickets)],
        "2026-09-01",
    );
    let clocks = Clocks::read(&project);

    // Monday's shift runs into the holiday: Mon 23:00 → Tue 02:00 = 180. Tuesday's shift is
    // closed, and Wed 21:00–21:30 = 30.
    assert_eq!(
        clocks.minutes("NH-1", "resolution_elapsed_seconds"),
        Some(210)
    );
    // 60 min left after Tue 02:00, run from Wed 21:00.
    assert_eq!(
        clocks.instant("NH-1", "resolution_due"),
        Some(instant("2026-08-05T22:00:00-05:00"))
    );
    // Friday's shift is closed to Sat 02:00, so only Mon 21:00–21:20 counts.
    assert_eq!(
        clocks.minutes("NH-2", "resolution_elapsed_seconds"),
        Some(20)
    );
}

#[test]
fn night_shift_across_dst_changes() {
    let toml = config(
        "Europe/London",
        "",
        r#"
[calendars.night]
timezone = "Europe/London"
hours = { daily = "21:00-02:00" }

[[sla]]
priority = "P2"
calendar = "night"
resolution = "4h"
"#,
    );
    // London moves from 01:00 GMT to 02:00 BST on Sunday 29 March 2026, and from 02:00 BST
    // back to 01:00 GMT on Sunday 25 October 2026.
    let tickets = "\
ticket_id,created_at,resolved_at,priority
D-1,2026-03-28 22:00,2026-03-29 21:30,P2
D-2,2026-10-24 23:00,2026-10-25 21:10,P2
";
    let project = build(
        &[("slaudit.toml", &toml), ("tickets.csv", tickets)],
        "2026-12-01",
    );
    let clocks = Clocks::read(&project);

    // Saturday's shift loses an hour: 22:00 GMT (22:00Z) → 02:00 BST (01:00Z) = 180, then
    // Sun 21:00–21:30 BST = 30: 210 min, not the 270 of wall-clock readings.
    assert_eq!(
        clocks.minutes("D-1", "resolution_elapsed_seconds"),
        Some(210)
    );
    assert_eq!(clocks.cell("D-1", "resolution_verdict"), "met");
    // 180 of 240 min are used by 02:00 BST; the other 60 run from Sun 21:00 BST (20:00Z).
    assert_eq!(
        clocks.instant("D-1", "resolution_due"),
        Some(instant("2026-03-29T21:00:00Z"))
    );
    // 22:00Z Saturday → 20:30Z Sunday.
    assert_eq!(
        clocks.minutes("D-1", "resolution_elapsed_24x7_seconds"),
        Some(1_350)
    );
    // Saturday's shift gains an hour: 23:00 BST (22:00Z) → 02:00 GMT (02:00Z) = 240, then
    // Sun 21:00–21:10 GMT = 10: 250 min, over 240 by 10, not the wall-clock 190.
    assert_eq!(
        clocks.minutes("D-2", "resolution_elapsed_seconds"),
        Some(250)
    );
    assert_eq!(clocks.cell("D-2", "resolution_verdict"), "breached");
    assert_eq!(
        clocks.minutes("D-2", "resolution_breached_by_seconds"),
        Some(10)
    );
}

#[test]
fn window_ending_at_midnight() {
    let toml = config(
        "Europe/Berlin",
        "",
        r#"
[calendars.evening]
timezone = "Europe/Berlin"
hours = { mon-fri = "16:00-24:00" }

[[sla]]
priority = "P2"
calendar = "evening"
resolution = "2h"
"#,
    );
    // 11 June 2026 is a Thursday, 12 June a Friday, 15 June a Monday (CEST, UTC+2).
    let tickets = "\
ticket_id,created_at,resolved_at,priority
M-1,2026-06-11 23:00,2026-06-12 16:30,P2
M-2,2026-06-12 23:30,2026-06-15 16:15,P2
M-3,2026-06-11 22:00,2026-06-12 00:00,P2
";
    let project = build(
        &[("slaudit.toml", &toml), ("tickets.csv", tickets)],
        "2026-07-01",
    );
    let clocks = Clocks::read(&project);

    // Thu 23:00–24:00 = 60 + Fri 16:00–16:30 = 30.
    assert_eq!(
        clocks.minutes("M-1", "resolution_elapsed_seconds"),
        Some(90)
    );
    // 60 min left at midnight, run from Fri 16:00.
    assert_eq!(
        clocks.instant("M-1", "resolution_due"),
        Some(instant("2026-06-12T17:00:00+02:00"))
    );
    // Friday's window ends at midnight and Saturday is closed: Fri 30 + Mon 15 = 45.
    assert_eq!(
        clocks.minutes("M-2", "resolution_elapsed_seconds"),
        Some(45)
    );
    assert_eq!(
        clocks.instant("M-2", "resolution_due"),
        Some(instant("2026-06-15T17:30:00+02:00"))
    );
    // 22:00 → midnight is the whole 2h target and no minute is lost: met.
    assert_eq!(
        clocks.minutes("M-3", "resolution_elapsed_seconds"),
        Some(120)
    );
    assert_eq!(clocks.cell("M-3", "resolution_verdict"), "met");
}

// ---------------------------------------------------------------------------------------------
// DST: 23- and 25-hour days, gaps, overlaps and explicit offsets

/// Writes a project file with an office open every day 09:00–17:00 and a 24×7 calendar, both
/// in `zone`. P3 resolves in 16h on the office, P1 in `1d` and P2 in `1bd` on the 24×7 one.
fn dst_config(zone: &str, tickets_extra: &str) -> String {
    config(
        zone,
        tickets_extra,
        &format!(
            r#"
[calendars.office]
timezone = "{zone}"
hours = {{ daily = "09:00-17:00" }}

[calendars.always]
timezone = "{zone}"
hours = "24x7"

[[sla]]
priority = "P1"
calendar = "always"
resolution = "1d"

[[sla]]
priority = "P2"
calendar = "always"
resolution = "1bd"

[[sla]]
priority = "P3"
calendar = "office"
resolution = "16h"
"#
        ),
    )
}

#[test]
fn berlin_spring_forward_day() {
    // Berlin moves from 02:00 CET to 03:00 CEST on Sunday 29 March 2026.
    let tickets = "\
ticket_id,created_at,resolved_at,priority
B-1,2026-03-28 10:00,2026-03-30 10:00,P3
B-2,2026-03-28 12:00,2026-03-29 12:30,P1
B-3,2026-03-28 12:00,2026-03-29 12:30,P2
";
    let project = build(
        &[
            ("slaudit.toml", &dst_config("Europe/Berlin", "")),
            ("tickets.csv", tickets),
        ],
        "2026-05-01",
    );
    let clocks = Clocks::read(&project);

    // Office hours are local: Sat 10:00–17:00 = 420, Sun 480, Mon 09:00–10:00 = 60.
    assert_eq!(
        clocks.minutes("B-1", "resolution_elapsed_seconds"),
        Some(960)
    );
    assert_eq!(clocks.cell("B-1", "resolution_verdict"), "met");
    // Sat 09:00Z → Mon 08:00Z is 47h.
    assert_eq!(
        clocks.minutes("B-1", "resolution_elapsed_24x7_seconds"),
        Some(2_820)
    );
    // 11:00Z → 10:30Z the next day is 23h 30m on a 23-hour Sunday: within 1d.
    assert_eq!(
        clocks.minutes("B-2", "resolution_elapsed_seconds"),
        Some(1_410)
    );
    assert_eq!(clocks.cell("B-2", "resolution_verdict"), "met");
    // 1d is 24h of open time: 11:00Z + 24h, which is 13:00 CEST.
    assert_eq!(
        clocks.instant("B-2", "resolution_due"),
        Some(instant("2026-03-29T11:00:00Z"))
    );
    // 1bd is the same clock time a day later, Sun 12:00 CEST (10:00Z), only 23h on. So the
    // 23h 30m are over the target by 30 min.
    assert_eq!(
        clocks.instant("B-3", "resolution_due"),
        Some(instant("2026-03-29T10:00:00Z"))
    );
    assert_eq!(
        clocks.minutes("B-3", "resolution_target_seconds"),
        Some(1_380)
    );
    assert_eq!(clocks.cell("B-3", "resolution_verdict"), "breached");
    assert_eq!(
        clocks.minutes("B-3", "resolution_breached_by_seconds"),
        Some(30)
    );
}

#[test]
fn business_day_due_in_dst_gap() {
    // Sat 28 March 02:30 CET (01:30Z) + 1bd is Sun 02:30, which the spring-forward gap
    // skips, so the due instant is the first one after the gap: 03:00 CEST (01:00Z).
    let tickets = "\
ticket_id,created_at,resolved_at,priority
G-1,2026-03-28 02:30,2026-03-29 03:10,P2
";
    let project = build(
        &[
            ("slaudit.toml", &dst_config("Europe/Berlin", "")),
            ("tickets.csv", tickets),
        ],
        "2026-05-01",
    );
    let clocks = Clocks::read(&project);

    assert_eq!(
        clocks.instant("G-1", "resolution_due"),
        Some(instant("2026-03-29T01:00:00Z"))
    );
    // 01:30Z → 01:00Z the next day is 23h 30m.
    assert_eq!(
        clocks.minutes("G-1", "resolution_target_seconds"),
        Some(1_410)
    );
    // Resolved at 03:10 CEST (01:10Z): 23h 40m, 10 min over.
    assert_eq!(clocks.cell("G-1", "resolution_verdict"), "breached");
    assert_eq!(
        clocks.minutes("G-1", "resolution_breached_by_seconds"),
        Some(10)
    );
}

#[test]
fn berlin_fall_back_day() {
    // Berlin moves from 03:00 CEST back to 02:00 CET on Sunday 25 October 2026.
    let tickets = "\
ticket_id,created_at,resolved_at,priority
B-4,2026-10-24 10:00,2026-10-26 10:00,P3
B-5,2026-10-24 12:00,2026-10-25 12:00,P1
B-6,2026-10-24 12:00,2026-10-25 12:00,P2
";
    let project = build(
        &[
            ("slaudit.toml", &dst_config("Europe/Berlin", "")),
            ("tickets.csv", tickets),
        ],
        "2026-12-01",
    );
    let clocks = Clocks::read(&project);

    // Sat 420 + Sun 480 + Mon 60 = 960, as on any other weekend.
    assert_eq!(
        clocks.minutes("B-4", "resolution_elapsed_seconds"),
        Some(960)
    );
    // Sat 08:00Z → Mon 09:00Z is 49h.
    assert_eq!(
        clocks.minutes("B-4", "resolution_elapsed_24x7_seconds"),
        Some(2_940)
    );
    // 10:00Z → 11:00Z the next day is 25h: over 1d by 60 min, though the wall clocks read
    // the same time of day.
    assert_eq!(
        clocks.minutes("B-5", "resolution_elapsed_seconds"),
        Some(1_500)
    );
    assert_eq!(clocks.cell("B-5", "resolution_verdict"), "breached");
    assert_eq!(
        clocks.minutes("B-5", "resolution_breached_by_seconds"),
        Some(60)
    );
    // 24h after 10:00Z is 11:00 CET.
    assert_eq!(
        clocks.instant("B-5", "resolution_due"),
        Some(instant("2026-10-25T10:00:00Z"))
    );
    // 1bd runs to the same clock time, Sun 12:00 CET (11:00Z): 25h, and met at the boundary.
    assert_eq!(
        clocks.minutes("B-6", "resolution_target_seconds"),
        Some(1_500)
    );
    assert_eq!(clocks.cell("B-6", "resolution_verdict"), "met");
}

#[test]
fn chicago_spring_forward_and_fall_back() {
    // Chicago moves from 02:00 CST to 03:00 CDT on Sunday 8 March 2026, and from 02:00 CDT
    // back to 01:00 CST on Sunday 1 November 2026.
    let tickets = "\
ticket_id,created_at,resolved_at,priority
C-1,2026-03-07 15:00,2026-03-09 11:30,P3
C-2,2026-03-07 20:00,2026-03-08 20:00,P1
C-3,2026-10-31 16:00,2026-11-02 09:45,P3
C-4,2026-10-31 23:00,2026-11-01 23:00,P1
";
    let project = build(
        &[
            ("slaudit.toml", &dst_config("America/Chicago", "")),
            ("tickets.csv", tickets),
        ],
        "2026-12-01",
    );
    let clocks = Clocks::read(&project);

    // Sat 15:00–17:00 = 120, Sun 480, Mon 09:00–11:30 = 150.
    assert_eq!(
        clocks.minutes("C-1", "resolution_elapsed_seconds"),
        Some(750)
    );
    // Sat 21:00Z → Mon 16:30Z = 48h − 4h 30m.
    assert_eq!(
        clocks.minutes("C-1", "resolution_elapsed_24x7_seconds"),
        Some(2_610)
    );
    // 20:00 CST (02:00Z) → 20:00 CDT (01:00Z) is 23h: met, and due at 02:00Z, 21:00 CDT.
    assert_eq!(
        clocks.minutes("C-2", "resolution_elapsed_seconds"),
        Some(1_380)
    );
    assert_eq!(clocks.cell("C-2", "resolution_verdict"), "met");
    assert_eq!(
        clocks.instant("C-2", "resolution_due"),
        Some(instant("2026-03-09T02:00:00Z"))
    );
    // Sat 16:00–17:00 = 60, Sun 480, Mon 09:00–09:45 = 45.
    assert_eq!(
        clocks.minutes("C-3", "resolution_elapsed_seconds"),
        Some(585)
    );
    // Sat 21:00Z → Mon 15:45Z = 24h + 18h 45m.
    assert_eq!(
        clocks.minutes("C-3", "resolution_elapsed_24x7_seconds"),
        Some(2_565)
    );
    // 23:00 CDT (04:00Z) → 23:00 CST (05:00Z) is 25h: breached by 60 min.
    assert_eq!(
        clocks.minutes("C-4", "resolution_elapsed_seconds"),
        Some(1_500)
    );
    assert_eq!(clocks.cell("C-4", "resolution_verdict"), "breached");
    assert_eq!(
        clocks.minutes("C-4", "resolution_breached_by_seconds"),
        Some(60)
    );
}

#[test]
fn opened_in_chicago_dst_gap() {
    // 02:30 on 8 March 2026 does not exist in Chicago; 01:30 CST is 07:30Z and 04:00 CDT
    // is 09:00Z.
    let tickets = "\
ticket_id,created_at,resolved_at,priority
G-1,2026-03-08 01:30,2026-03-08 04:00,P1
G-2,2026-03-08 02:30,2026-03-08 04:00,P1
";
    let project = project(&[
        ("slaudit.toml", &dst_config("America/Chicago", "")),
        ("tickets.csv", tickets),
    ]);
    let run = project.run(&["check", ".", "--as-of", "2026-05-01"]);
    run.success();
    let line = run
        .stdout
        .lines()
        .chain(run.stderr.lines())
        .find(|line| line.starts_with("tickets.csv:3:2:"))
        .unwrap_or_else(|| panic!("no message for line 3, column 2\n{run}"));
    assert!(line.contains("rejected"), "{line}");
    assert!(line.contains("created_at"), "{line}");
    assert!(line.contains("`2026-03-08 02:30`"), "{line}");
    assert!(line.contains("does not exist in America/Chicago"), "{line}");

    project
        .run(&["build", ".", "--as-of", "2026-05-01"])
        .success();
    let clocks = Clocks::read(&project);
    assert_eq!(clocks.tickets(), ["G-1"]);
    // 07:30Z → 09:00Z, not the 150 min the wall clocks suggest.
    assert_eq!(
        clocks.minutes("G-1", "resolution_elapsed_seconds"),
        Some(90)
    );
}

#[test]
fn opened_in_berlin_dst_gap() {
    let tickets = "\
ticket_id,created_at,resolved_at,priority
G-3,2026-03-29 02:15,2026-03-29 05:00,P1
G-4,2026-03-29 01:00,2026-03-29 05:00,P1
";
    let project = build(
        &[
            ("slaudit.toml", &dst_config("Europe/Berlin", "")),
            ("tickets.csv", tickets),
        ],
        "2026-05-01",
    );
    let rejected = read_csv(&project.read("site/rejected.csv"));
    assert_eq!(rejected.len(), 2, "{rejected:?}");
    assert_eq!(
        rejected[1][..5],
        ["tickets.csv", "2", "G-3", "created_at", "2026-03-29 02:15"]
    );
    assert!(
        rejected[1][5].contains("does not exist in Europe/Berlin"),
        "{:?}",
        rejected[1]
    );
    // The other ticket is measured: 01:00 CET (00:00Z) → 05:00 CEST (03:00Z).
    let clocks = Clocks::read(&project);
    assert_eq!(clocks.tickets(), ["G-4"]);
    assert_eq!(
        clocks.minutes("G-4", "resolution_elapsed_seconds"),
        Some(180)
    );
}

/// Two tickets opened inside a DST overlap, one in Chicago and one in Berlin, each on a 24×7
/// P1 target of 2h. Returns the resolution elapsed minutes of each.
fn opened_in_overlap(tickets_extra: &str) -> (Option<i64>, Option<i64>) {
    let sla = "\n[calendars.always]\nhours = \"24x7\"\n\n[[sla]]\npriority = \"P1\"\ncalendar = \"always\"\nresolution = \"2h\"\n";
    let chicago = build(
        &[
            ("slaudit.toml", &config("America/Chicago", tickets_extra, sla)),
            (
                "tickets.csv",
                "ticket_id,created_at,resolved_at,priority\nO-1,2026-11-01 01:20,2026-11-01 03:00,P1\n",
            ),
        ],
        "2026-12-01",
    );
    let berlin = build(
        &[
            ("slaudit.toml", &config("Europe/Berlin", tickets_extra, sla)),
            (
                "tickets.csv",
                "ticket_id,created_at,resolved_at,priority\nO-2,2026-10-25 02:40,2026-10-25 04:00,P1\n",
            ),
        ],
        "2026-12-01",
    );
    let repairs = chicago.read("site/repairs.csv");
    assert!(
        repairs.contains("ambiguous local time (DST overlap)"),
        "{repairs}"
    );
    (
        Clocks::read(&chicago).minutes("O-1", "resolution_elapsed_seconds"),
        Clocks::read(&berlin).minutes("O-2", "resolution_elapsed_seconds"),
    )
}

#[test]
fn opened_in_overlap_takes_earlier() {
    // Chicago: 01:20 CDT = 06:20Z → 03:00 CST = 09:00Z is 160 min. Berlin: 02:40 CEST =
    // 00:40Z → 04:00 CET = 03:00Z is 140 min.
    let (chicago, berlin) = opened_in_overlap("");
    assert_eq!(chicago, Some(160));
    assert_eq!(berlin, Some(140));
}

#[test]
fn opened_in_overlap_takes_later() {
    // Chicago: 01:20 CST = 07:20Z → 09:00Z is 100 min. Berlin: 02:40 CET = 01:40Z → 03:00Z
    // is 80 min.
    let (chicago, berlin) = opened_in_overlap("ambiguous_times = \"later\"");
    assert_eq!(chicago, Some(100));
    assert_eq!(berlin, Some(80));
}

#[test]
fn explicit_offset_beats_declared_zone() {
    let sla = "\n[calendars.always]\nhours = \"24x7\"\n\n[[sla]]\npriority = \"P1\"\ncalendar = \"always\"\nresolution = \"4h\"\n";
    // Declared Chicago: the opening is 00:30Z whatever Chicago reads; the naive 02:00 on
    // 29 March is CDT, 07:00Z. Read as Chicago's 01:30 CDT (06:30Z) it would be 30 min.
    let chicago = build(
        &[
            ("slaudit.toml", &config("America/Chicago", "", sla)),
            (
                "tickets.csv",
                "ticket_id,created_at,resolved_at,priority\nX-1,2026-03-29T01:30:00+01:00,2026-03-29 02:00,P1\n",
            ),
        ],
        "2026-05-01",
    );
    let clocks = Clocks::read(&chicago);
    assert_eq!(
        clocks.minutes("X-1", "resolution_elapsed_seconds"),
        Some(390)
    );
    assert_eq!(clocks.cell("X-1", "resolution_verdict"), "breached");

    // Declared Berlin: a naive 02:30 on 29 March would be in the gap, but with its offset it
    // is the instant 01:30Z. The naive 04:00 is CEST, 02:00Z: 30 min.
    let berlin = build(
        &[
            ("slaudit.toml", &config("Europe/Berlin", "", sla)),
            (
                "tickets.csv",
                "ticket_id,created_at,resolved_at,priority\nX-2,2026-03-29T02:30:00+01:00,2026-03-29 04:00,P1\n",
            ),
        ],
        "2026-05-01",
    );
    let rejected = read_csv(&berlin.read("site/rejected.csv"));
    assert_eq!(rejected.len(), 1, "{rejected:?}");
    assert_eq!(
        Clocks::read(&berlin).minutes("X-2", "resolution_elapsed_seconds"),
        Some(30)
    );
}

// ---------------------------------------------------------------------------------------------
// Holidays, half days and iCalendar files

#[test]
fn full_day_holiday_midweek() {
    let toml = config(
        "Europe/Madrid",
        "",
        r#"
[calendars.office]
timezone = "Europe/Madrid"
hours = { mon-fri = "09:00-17:00" }
holidays = ["2026-06-24"]

[[sla]]
priority = "P3"
calendar = "office"
response = "1h"
resolution = "8h"
"#,
    );
    // Wednesday 24 June 2026 is a holiday (CEST, UTC+2).
    let tickets = "\
ticket_id,created_at,first_response_at,resolved_at,priority
H-1,2026-06-23 13:00,2026-06-23 13:30,2026-06-25 11:00,P3
H-2,2026-06-24 10:00,2026-06-25 09:30,,P3
";
    let project = build(
        &[("slaudit.toml", &toml), ("tickets.csv", tickets)],
        "2026-06-25T12:00:00+02:00",
    );
    let clocks = Clocks::read(&project);

    // Tue 13:00–17:00 = 240, Wednesday closed, Thu 09:00–11:00 = 120.
    assert_eq!(
        clocks.minutes("H-1", "resolution_elapsed_seconds"),
        Some(360)
    );
    // 240 of 480 min are used on Tuesday; the other 240 run from Thu 09:00.
    assert_eq!(
        clocks.instant("H-1", "resolution_due"),
        Some(instant("2026-06-25T13:00:00+02:00"))
    );
    // Opened on the holiday: the clock starts Thu 09:00, so the reply took 30 min.
    assert_eq!(clocks.minutes("H-2", "response_elapsed_seconds"), Some(30));
    // Still open at Thu 12:00: 180 of 480 min, below 75%.
    assert_eq!(
        clocks.minutes("H-2", "resolution_elapsed_seconds"),
        Some(180)
    );
    assert_eq!(
        clocks.cell("H-2", "resolution_verdict"),
        "open, within target"
    );
}

#[test]
fn half_day_has_its_own_windows() {
    let toml = config(
        "Europe/London",
        "",
        r#"
[calendars.office]
timezone = "Europe/London"
hours = { mon-fri = "09:00-17:00" }
holidays = ["2026-12-25"]
half_days = { "2026-12-24" = "09:00-13:00" }

[[sla]]
priority = "P3"
calendar = "office"
response = "1h"
resolution = "8h"

[[sla]]
priority = "P4"
calendar = "office"
resolution = "1bd"
"#,
    );
    // Thursday 24 December 2026 is a half day, Friday 25 a holiday, Monday 28 an ordinary
    // day in this calendar (GMT, UTC+0).
    let tickets = "\
ticket_id,created_at,first_response_at,resolved_at,priority
HD-1,2026-12-24 11:00,,2026-12-28 16:00,P3
HD-2,2026-12-24 14:00,2026-12-28 09:20,,P3
HD-3,2026-12-23 15:00,,2026-12-28 09:30,P4
";
    let project = build(
        &[("slaudit.toml", &toml), ("tickets.csv", tickets)],
        "2027-01-31",
    );
    let clocks = Clocks::read(&project);

    // Thu 11:00–13:00 = 120, closed to Monday, Mon 09:00–16:00 = 420: 540, over 480 by 60.
    assert_eq!(
        clocks.minutes("HD-1", "resolution_elapsed_seconds"),
        Some(540)
    );
    assert_eq!(
        clocks.minutes("HD-1", "resolution_breached_by_seconds"),
        Some(60)
    );
    // 120 of 480 min are used on the half day; the other 360 run from Mon 09:00.
    assert_eq!(
        clocks.instant("HD-1", "resolution_due"),
        Some(instant("2026-12-28T15:00:00Z"))
    );
    // Opened after the half day closed: the clock starts Mon 09:00.
    assert_eq!(clocks.minutes("HD-2", "response_elapsed_seconds"), Some(20));
    // 1bd from Wed 15:00 is Thu 15:00, closed on the half day, so the next open instant,
    // Mon 09:00. The target is the open time up to it: Wed 120 + Thu 240 = 360. Resolved at
    // Mon 09:30 after 390 min, 30 over.
    assert_eq!(
        clocks.instant("HD-3", "resolution_due"),
        Some(instant("2026-12-28T09:00:00Z"))
    );
    assert_eq!(
        clocks.minutes("HD-3", "resolution_target_seconds"),
        Some(360)
    );
    assert_eq!(
        clocks.minutes("HD-3", "resolution_elapsed_seconds"),
        Some(390)
    );
    assert_eq!(
        clocks.minutes("HD-3", "resolution_breached_by_seconds"),
        Some(30)
    );
}

const LABOUR_DAY_ICS: &str = "BEGIN:VCALENDAR\r\n\
VERSION:2.0\r\n\
PRODID:-//Clock scenarios//EN\r\n\
BEGIN:VEVENT\r\n\
UID:labour-day@example.test\r\n\
DTSTART;VALUE=DATE:20200501\r\n\
DTEND;VALUE=DATE:20200502\r\n\
RRULE:FREQ=YEARLY\r\n\
SUMMARY:Labour Day\r\n\
END:VEVENT\r\n\
END:VCALENDAR\r\n";

#[test]
fn yearly_holiday_from_ics_file() {
    let toml = config(
        "Europe/Berlin",
        "",
        r#"
[calendars.office]
timezone = "Europe/Berlin"
hours = { mon-fri = "09:00-17:00" }
holiday_files = ["holidays.ics"]

[[sla]]
priority = "P3"
calendar = "office"
resolution = "8h"
"#,
    );
    // The event starts on 1 May 2020 and repeats every year; 1 May 2026 is a Friday.
    let tickets = "\
ticket_id,created_at,resolved_at,priority
I-1,2026-04-30 15:00,2026-05-04 10:00,P3
";
    let project = build(
        &[
            ("slaudit.toml", &toml),
            ("tickets.csv", tickets),
            ("holidays.ics", LABOUR_DAY_ICS),
        ],
        "2026-06-01",
    );
    let clocks = Clocks::read(&project);

    // Thu 15:00–17:00 = 120, Friday a holiday, Mon 09:00–10:00 = 60; with Friday open it
    // would be 660 and breached.
    assert_eq!(
        clocks.minutes("I-1", "resolution_elapsed_seconds"),
        Some(180)
    );
    assert_eq!(clocks.cell("I-1", "resolution_verdict"), "met");
    // 120 of 480 min are used on Thursday; the other 360 run from Mon 09:00 CEST.
    assert_eq!(
        clocks.instant("I-1", "resolution_due"),
        Some(instant("2026-05-04T15:00:00+02:00"))
    );
}

#[test]
fn target_spans_easter_weekend() {
    let toml = config(
        "Europe/London",
        "",
        r#"
[calendars.office]
timezone = "Europe/London"
hours = { mon-fri = "09:00-17:00" }
holidays = ["2026-04-03", "2026-04-06"]

[[sla]]
priority = "P3"
calendar = "office"
resolution = "8h"

[[sla]]
priority = "P4"
calendar = "office"
resolution = "2bd"
"#,
    );
    // Good Friday 3 April and Easter Monday 6 April 2026 are holidays (BST, UTC+1).
    let tickets = "\
ticket_id,created_at,resolved_at,priority
E-1,2026-04-02 14:00,2026-04-07 14:30,P3
E-2,2026-04-02 14:00,2026-04-08 14:00,P4
";
    let project = build(
        &[("slaudit.toml", &toml), ("tickets.csv", tickets)],
        "2026-05-01",
    );
    let clocks = Clocks::read(&project);

    // Thu 14:00–17:00 = 180, four closed days, Tue 09:00–14:30 = 330: 510, over by 30.
    assert_eq!(
        clocks.minutes("E-1", "resolution_elapsed_seconds"),
        Some(510)
    );
    assert_eq!(
        clocks.minutes("E-1", "resolution_breached_by_seconds"),
        Some(30)
    );
    // 300 min left after Thursday, run from Tue 09:00.
    assert_eq!(
        clocks.instant("E-1", "resolution_due"),
        Some(instant("2026-04-07T14:00:00+01:00"))
    );
    // Thu 14:00 → Tue 14:30 is 5 days and 30 min of wall time.
    assert_eq!(
        clocks.minutes("E-1", "resolution_elapsed_24x7_seconds"),
        Some(7_230)
    );
    // 2bd: the next two open days are Tue 7 and Wed 8, so due Wed 14:00, after
    // 180 + 480 + 300 = 960 min of open time; resolved exactly then.
    assert_eq!(
        clocks.instant("E-2", "resolution_due"),
        Some(instant("2026-04-08T14:00:00+01:00"))
    );
    assert_eq!(
        clocks.minutes("E-2", "resolution_target_seconds"),
        Some(960)
    );
    assert_eq!(
        clocks.minutes("E-2", "resolution_elapsed_seconds"),
        Some(960)
    );
    assert_eq!(clocks.cell("E-2", "resolution_verdict"), "met");
}

// ---------------------------------------------------------------------------------------------
// `bd` and `d` targets

#[test]
fn business_days_over_a_holiday_monday() {
    let toml = config(
        "America/Chicago",
        "",
        r#"
[calendars.office]
timezone = "America/Chicago"
hours = { mon-fri = "09:00-17:00" }
holidays = ["2026-05-25"]

[[sla]]
priority = "P3"
calendar = "office"
resolution = "2bd"
"#,
    );
    // Friday 22 May 2026; Monday 25 May is a holiday (CDT, UTC−5).
    let tickets = "\
ticket_id,created_at,resolved_at,priority
BD-1,2026-05-22 16:30,2026-05-27 16:00,P3
BD-2,2026-05-22 16:30,2026-05-27 17:00,P3
BD-3,2026-05-30 10:00,2026-06-02 16:00,P3
BD-4,2026-06-02 18:30,2026-06-05 09:00,P3
";
    let project = build(
        &[("slaudit.toml", &toml), ("tickets.csv", tickets)],
        "2026-07-01",
    );
    let clocks = Clocks::read(&project);

    // Two open days after Friday are Tue 26 and Wed 27: due Wed 16:30 (21:30Z), after
    // Fri 30 + Tue 480 + Wed 450 = 960 min.
    assert_eq!(
        clocks.instant("BD-1", "resolution_due"),
        Some(instant("2026-05-27T21:30:00Z"))
    );
    assert_eq!(
        clocks.minutes("BD-1", "resolution_target_seconds"),
        Some(960)
    );
    // Fri 30 + Tue 480 + Wed 09:00–16:00 = 420.
    assert_eq!(
        clocks.minutes("BD-1", "resolution_elapsed_seconds"),
        Some(930)
    );
    assert_eq!(clocks.cell("BD-1", "resolution_verdict"), "met");
    // Wed to 17:00 gives 480: 990, 30 past the due instant.
    assert_eq!(
        clocks.minutes("BD-2", "resolution_elapsed_seconds"),
        Some(990)
    );
    assert_eq!(
        clocks.minutes("BD-2", "resolution_breached_by_seconds"),
        Some(30)
    );
    // Opened on a Saturday: the clock starts Mon 1 June 09:00, so 2bd is due Wed 09:00.
    // Mon 480 + Tue 09:00–16:00 = 420 is within it.
    assert_eq!(
        clocks.instant("BD-3", "resolution_due"),
        Some(instant("2026-06-03T09:00:00-05:00"))
    );
    assert_eq!(
        clocks.minutes("BD-3", "resolution_elapsed_seconds"),
        Some(900)
    );
    assert_eq!(clocks.cell("BD-3", "resolution_verdict"), "met");
    // Opened Tuesday after closing: the clock starts Wed 09:00, so 2bd is due Fri 09:00,
    // and Wed 480 + Thu 480 at Fri 09:00 is exactly the target.
    assert_eq!(
        clocks.instant("BD-4", "resolution_due"),
        Some(instant("2026-06-05T09:00:00-05:00"))
    );
    assert_eq!(
        clocks.minutes("BD-4", "resolution_elapsed_seconds"),
        Some(960)
    );
    assert_eq!(clocks.cell("BD-4", "resolution_verdict"), "met");
}

#[test]
fn day_target_is_24h_of_open_time() {
    let toml = config(
        "Europe/Paris",
        "",
        r#"
[calendars.office]
timezone = "Europe/Paris"
hours = { mon-fri = "08:00-12:00, 13:00-17:00" }

[[sla]]
priority = "P4"
calendar = "office"
resolution = "1d"
"#,
    );
    // Wednesday 10 June 2026 (CEST, UTC+2); the office is open 8h a day.
    let tickets = "\
ticket_id,created_at,resolved_at,priority
DD-1,2026-06-10 10:00,2026-06-15 10:30,P4
DD-2,2026-06-13 09:00,2026-06-18 08:00,P4
";
    let project = build(
        &[("slaudit.toml", &toml), ("tickets.csv", tickets)],
        "2026-07-01",
    );
    let clocks = Clocks::read(&project);

    // Wed 10:00–12:00 = 120 + 13:00–17:00 = 240, Thu 480, Fri 480 (1320 so far), Mon
    // 08:00–10:30 = 150: 1470 against 1440, over by 30. A calendar day would be 480.
    assert_eq!(
        clocks.minutes("DD-1", "resolution_elapsed_seconds"),
        Some(1_470)
    );
    assert_eq!(
        clocks.minutes("DD-1", "resolution_breached_by_seconds"),
        Some(30)
    );
    // 120 min left on Monday, from 08:00.
    assert_eq!(
        clocks.instant("DD-1", "resolution_due"),
        Some(instant("2026-06-15T10:00:00+02:00"))
    );
    // Opened on a Saturday: Mon, Tue and Wed use the 1440 min by Wed 17:00; resolved at the
    // next opening, Thu 08:00, it has gained nothing more and is met.
    assert_eq!(
        clocks.instant("DD-2", "resolution_due"),
        Some(instant("2026-06-17T17:00:00+02:00"))
    );
    assert_eq!(
        clocks.minutes("DD-2", "resolution_elapsed_seconds"),
        Some(1_440)
    );
    assert_eq!(clocks.cell("DD-2", "resolution_verdict"), "met");
}

// ---------------------------------------------------------------------------------------------
// Pauses

const LONDON_PAUSES: &str = r#"
[calendars.office]
timezone = "Europe/London"
hours = { mon-fri = "09:00-17:00" }

[[sla]]
priority = "P2"
calendar = "office"
resolution = "4h"
pause.resolution = ["on hold", "awaiting vendor", "awaiting user info"]

[[sla]]
priority = "P3"
calendar = "office"
resolution = "16h"
pause.resolution = ["on hold", "awaiting vendor", "awaiting user info"]
"#;

#[test]
fn pauses_on_a_business_calendar() {
    // 8 June 2026 is a Monday (BST, UTC+1). The as-of instant is Fri 12 June 12:00 BST.
    let tickets = "\
ticket_id,created_at,priority
P-1,2026-06-08 15:00,P3
P-2,2026-06-08 16:00,P3
P-3,2026-06-10 13:00,P2
";
    let events = "\
ticket_id,at,kind,value
P-1,2026-06-08 15:00,status,new
P-1,2026-06-08 15:10,reply_public,
P-1,2026-06-09 07:30,status,on hold
P-1,2026-06-09 12:00,status,awaiting vendor
P-1,2026-06-09 18:30,status,awaiting user info
P-1,2026-06-10 10:00,status,open
P-1,2026-06-10 12:00,status,resolved
P-2,2026-06-08 16:00,status,new
P-2,2026-06-09 08:00,status,on hold
P-2,2026-06-09 17:45,status,open
P-2,2026-06-10 09:30,status,resolved
P-3,2026-06-10 13:00,status,new
P-3,2026-06-10 16:00,status,on hold
";
    let project = build_history(
        "Europe/London",
        "",
        LONDON_PAUSES,
        tickets,
        events,
        "2026-06-12T11:00:00Z",
    );
    let clocks = Clocks::read(&project);

    // P-1 runs Mon 15:00–17:00 = 120 and Wed 10:00–12:00 = 120. On hold, awaiting vendor
    // and awaiting user info follow each other from Tue 07:30 to Wed 10:00. They are one
    // pause, which removes Tue 480 + Wed 09:00–10:00 = 60 of open time.
    assert_eq!(
        clocks.minutes("P-1", "resolution_elapsed_seconds"),
        Some(240)
    );
    assert_eq!(
        clocks.minutes("P-1", "resolution_paused_seconds"),
        Some(540)
    );
    assert_eq!(clocks.cell("P-1", "resolution_pauses"), "1");
    // Running on the 24×7 clock: Mon 15:00 → Tue 07:30 = 990, Wed 10:00–12:00 = 120.
    assert_eq!(
        clocks.minutes("P-1", "resolution_elapsed_24x7_seconds"),
        Some(1_110)
    );
    // 120 of 960 min are used on Monday; 840 run from Wed 10:00: 420 to Wed 17:00, then
    // Thu 09:00–16:00.
    assert_eq!(
        clocks.instant("P-1", "resolution_due"),
        Some(instant("2026-06-11T16:00:00+01:00"))
    );
    // P-2's pause starts before Tuesday opens and ends after it closes, so it removes the
    // 480 open minutes of Tuesday and nothing of the nights. Mon 60 + Wed 30 ran.
    assert_eq!(
        clocks.minutes("P-2", "resolution_elapsed_seconds"),
        Some(90)
    );
    assert_eq!(
        clocks.minutes("P-2", "resolution_paused_seconds"),
        Some(480)
    );
    // P-3 ran Wed 13:00–16:00 = 180 and is still on hold at the as-of instant: 180 of its
    // 240 min is 75%, at risk. The pause removes Wed 60 + Thu 480 + Fri 09:00–12:00 = 180.
    assert_eq!(
        clocks.minutes("P-3", "resolution_elapsed_seconds"),
        Some(180)
    );
    assert_eq!(
        clocks.minutes("P-3", "resolution_paused_seconds"),
        Some(720)
    );
    assert_eq!(clocks.cell("P-3", "resolution_verdict"), "open, at risk");
    assert_eq!(clocks.cell("P-3", "resolution_due"), "");
}

#[test]
fn response_and_resolution_pause_apart() {
    let rest = r#"
[calendars.always]
hours = "24x7"

[[sla]]
priority = "P3"
calendar = "always"
response = "90m"
resolution = "5h"
pause.response = ["awaiting triage"]
pause.resolution = ["on hold"]
"#;
    let events = "\
ticket_id,at,kind,value
R-1,2026-02-02T08:00:00Z,status,new
R-1,2026-02-02T08:30:00Z,status,awaiting triage
R-1,2026-02-02T09:30:00Z,status,open
R-1,2026-02-02T10:00:00Z,reply_public,
R-1,2026-02-02T11:00:00Z,status,on hold
R-1,2026-02-02T13:00:00Z,status,open
R-1,2026-02-02T14:00:00Z,status,resolved
";
    let project = build_history(
        "UTC",
        "",
        rest,
        "ticket_id,created_at,priority\nR-1,2026-02-02T08:00:00Z,P3\n",
        events,
        "2026-03-01",
    );
    let clocks = Clocks::read(&project);

    // Response: 08:00 → 10:00 = 120, less the hour awaiting triage: 60.
    assert_eq!(clocks.minutes("R-1", "response_elapsed_seconds"), Some(60));
    assert_eq!(clocks.minutes("R-1", "response_paused_seconds"), Some(60));
    // 30 min by 08:30, paused to 09:30, then the other 60 by 10:30.
    assert_eq!(
        clocks.instant("R-1", "response_due"),
        Some(instant("2026-02-02T10:30:00Z"))
    );
    // Resolution: 08:00 → 14:00 = 360, less the two hours on hold only: 240.
    assert_eq!(
        clocks.minutes("R-1", "resolution_elapsed_seconds"),
        Some(240)
    );
    assert_eq!(
        clocks.minutes("R-1", "resolution_paused_seconds"),
        Some(120)
    );
    // 180 min by 11:00, paused to 13:00, then the other 120 by 15:00.
    assert_eq!(
        clocks.instant("R-1", "resolution_due"),
        Some(instant("2026-02-02T15:00:00Z"))
    );
}

// ---------------------------------------------------------------------------------------------
// Reopens and priority changes

#[test]
fn reopen_on_a_business_calendar() {
    let rest = r#"
[calendars.office]
timezone = "Europe/Berlin"
hours = { mon-fri = "09:00-17:00" }

[[sla]]
priority = "P3"
calendar = "office"
response = "1h"
resolution = "8h"
"#;
    // 8 June 2026 is a Monday (CEST, UTC+2).
    let tickets = "\
ticket_id,created_at,priority
RO-1,2026-06-08 10:00,P3
RO-2,2026-06-08 09:00,P3
";
    let events = "\
ticket_id,at,kind,value
RO-1,2026-06-08 10:00,status,new
RO-1,2026-06-08 10:30,reply_public,
RO-1,2026-06-08 16:00,status,resolved
RO-1,2026-06-10 08:00,customer_message,
RO-1,2026-06-10 08:00,status,reopened
RO-1,2026-06-10 09:15,reply_public,
RO-1,2026-06-10 10:00,status,resolved
RO-2,2026-06-08 09:00,status,new
RO-2,2026-06-08 09:10,reply_public,
RO-2,2026-06-09 11:00,status,resolved
RO-2,2026-06-09 15:00,status,closed
RO-2,2026-06-11 09:00,status,reopened
RO-2,2026-06-11 09:30,status,resolved
";
    let project = build_history("Europe/Berlin", "", rest, tickets, events, "2026-07-01");
    let clocks = Clocks::read(&project);

    // The reply after the reopen does not reset the response: 10:00 → 10:30.
    assert_eq!(clocks.minutes("RO-1", "response_elapsed_seconds"), Some(30));
    assert_eq!(
        clocks.instant("RO-1", "response_stopped"),
        Some(instant("2026-06-08T10:30:00+02:00"))
    );
    // First resolution Mon 10:00–16:00 = 360.
    assert_eq!(
        clocks.minutes("RO-1", "first_resolution_seconds"),
        Some(360)
    );
    // Resolved from Mon 16:00 to Wed 08:00: Mon 60 + Tue 480 of open time.
    assert_eq!(
        clocks.minutes("RO-1", "resolved_before_reopen_seconds"),
        Some(540)
    );
    // Full resolution: 360 + Wed 09:00–10:00 = 60 = 420 against 480, met.
    assert_eq!(
        clocks.minutes("RO-1", "resolution_elapsed_seconds"),
        Some(420)
    );
    assert_eq!(clocks.cell("RO-1", "resolution_verdict"), "met");
    assert_eq!(clocks.cell("RO-1", "reopens"), "1");
    assert_eq!(clocks.cell("RO-1", "ever_breached"), "false");
    // On the 24×7 clock the reopened cycle runs from 08:00: 360 + 120.
    assert_eq!(
        clocks.minutes("RO-1", "resolution_elapsed_24x7_seconds"),
        Some(480)
    );

    // RO-2's first cycle, Mon 480 + Tue 09:00–11:00 = 120, already missed the target.
    assert_eq!(
        clocks.minutes("RO-2", "first_resolution_seconds"),
        Some(600)
    );
    // Resolved Tue 11:00–15:00 = 240; closed Tue 15:00–17:00 = 120 + Wed 480 = 600.
    assert_eq!(
        clocks.minutes("RO-2", "resolved_before_reopen_seconds"),
        Some(240)
    );
    assert_eq!(
        clocks.minutes("RO-2", "closed_before_reopen_seconds"),
        Some(600)
    );
    // 600 + Thu 09:00–09:30 = 630, over 480 by 150.
    assert_eq!(
        clocks.minutes("RO-2", "resolution_elapsed_seconds"),
        Some(630)
    );
    assert_eq!(
        clocks.minutes("RO-2", "resolution_breached_by_seconds"),
        Some(150)
    );
    assert_eq!(clocks.cell("RO-2", "ever_breached"), "true");
}

/// Two tickets on a London office calendar: PR-1 raised from P3 to P1 after its response,
/// PR-2 lowered from P2 to P4 late in its resolution.
fn priority_change_project(tickets_extra: &str) -> Project {
    let rest = r#"
[calendars.office]
timezone = "Europe/London"
hours = { mon-fri = "09:00-17:00" }

[[sla]]
priority = "P1"
calendar = "office"
response = "30m"
resolution = "4h"

[[sla]]
priority = "P2"
calendar = "office"
response = "1h"
resolution = "8h"

[[sla]]
priority = "P3"
calendar = "office"
response = "4h"
resolution = "16h"

[[sla]]
priority = "P4"
calendar = "office"
response = "8h"
resolution = "40h"
"#;
    // 8 June 2026 is a Monday (BST, UTC+1).
    let tickets = "\
ticket_id,created_at
PR-1,2026-06-08 09:00
PR-2,2026-06-09 09:00
";
    let events = "\
ticket_id,at,kind,value
PR-1,2026-06-08 09:00,status,new
PR-1,2026-06-08 09:00,priority,P3
PR-1,2026-06-08 09:45,reply_public,
PR-1,2026-06-08 14:00,priority,P1
PR-1,2026-06-08 16:00,status,resolved
PR-2,2026-06-09 09:00,status,new
PR-2,2026-06-09 09:00,priority,P2
PR-2,2026-06-09 09:20,reply_public,
PR-2,2026-06-09 15:30,priority,P4
PR-2,2026-06-10 12:00,status,resolved
";
    build_history(
        "Europe/London",
        tickets_extra,
        rest,
        tickets,
        events,
        "2026-07-01",
    )
}

#[test]
fn raised_priority_judges_at_stop() {
    let project = priority_change_project("");
    let clocks = Clocks::read(&project);

    // The response came at 45 min while the ticket was still P3 (4h): met under P3.
    assert_eq!(clocks.cell("PR-1", "response_priority"), "P3");
    assert_eq!(clocks.cell("PR-1", "response_verdict"), "met");
    // Raised to P1 at 14:00; resolved at 16:00 after 420 min against P1's 240.
    assert_eq!(clocks.cell("PR-1", "resolution_priority"), "P1");
    assert_eq!(
        clocks.minutes("PR-1", "resolution_elapsed_seconds"),
        Some(420)
    );
    assert_eq!(
        clocks.minutes("PR-1", "resolution_breached_by_seconds"),
        Some(180)
    );
    assert_eq!(clocks.cell("PR-1", "initial_priority"), "P3");
    assert_eq!(clocks.cell("PR-1", "priority_changes"), "1");
}

#[test]
fn raised_priority_with_initial_target() {
    let project = priority_change_project("target_priority = \"initial\"");
    let clocks = Clocks::read(&project);

    // Judged as opened, P3: 420 min against 960, met.
    assert_eq!(clocks.cell("PR-1", "resolution_priority"), "P3");
    assert_eq!(clocks.cell("PR-1", "resolution_verdict"), "met");
    // PR-2 opened as P2: Tue 480 + Wed 09:00–12:00 = 180 = 660 against 480, over by 180.
    assert_eq!(clocks.cell("PR-2", "resolution_priority"), "P2");
    assert_eq!(
        clocks.minutes("PR-2", "resolution_breached_by_seconds"),
        Some(180)
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&project.read("site/manifest.json")).unwrap();
    assert_eq!(manifest["clocks"]["downgrades"], 0);
}

#[test]
fn lowered_priority_finding_on_office_hours() {
    let project = priority_change_project("");
    let clocks = Clocks::read(&project);

    // Tue 09:00–17:00 = 480 + Wed 09:00–12:00 = 180 = 660 against P4's 2400: met.
    assert_eq!(clocks.cell("PR-2", "resolution_priority"), "P4");
    assert_eq!(
        clocks.minutes("PR-2", "resolution_elapsed_seconds"),
        Some(660)
    );
    assert_eq!(clocks.cell("PR-2", "resolution_verdict"), "met");
    // Lowered at Tue 15:30, 6h 30m of open time after opening; under P2's 480 the 660 would
    // be over by 180. The raised PR-1 hid nothing.
    let priorities = page_text(&project.read("site/priorities.html"));
    assert!(
        priorities.contains(
            "PR-2 resolution priority lowered P2→P4 at 6h 30m elapsed; under P2 it would be breached by 3h 00m"
        ),
        "{priorities}"
    );
    assert!(
        !priorities.contains("PR-1 resolution priority lowered"),
        "{priorities}"
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&project.read("site/manifest.json")).unwrap();
    assert_eq!(manifest["clocks"]["downgrades"], 1);
}
