//! Calendar behaviour on worked scenarios. Every expected value was worked out by hand from
//! the calendar's hours. Each scenario runs twice: once inside the precomputed table, and
//! once on a calendar whose table lies years away, so that the exact fallback is checked too.

use super::*;
use crate::config::{AmbiguousTimes, CalendarConfig};
use crate::time::{format_utc, resolve_local};
use chrono::{DateTime, NaiveDateTime};

fn at(text: &str) -> Instant {
    DateTime::parse_from_rfc3339(text).unwrap().timestamp()
}

fn minutes(count: i64) -> i64 {
    count * 60
}

fn hours(count: i64) -> i64 {
    count * 3_600
}

fn parse_config(text: &str) -> CalendarConfig {
    toml::from_str(text).unwrap()
}

fn build(text: &str, span: (Instant, Instant)) -> Result<(Calendar, Vec<String>), CalendarError> {
    Calendar::from_config("office", &parse_config(text), Path::new("."), span)
}

/// Builds the calendar with its table around 2024–2025, and again with its table in 2010,
/// so that every query in these tests also takes the path outside the table.
fn calendars(text: &str) -> [Calendar; 2] {
    let near = build(
        text,
        (at("2024-01-01T00:00:00Z"), at("2025-12-31T00:00:00Z")),
    )
    .unwrap();
    let far = build(
        text,
        (at("2010-01-01T00:00:00Z"), at("2010-02-01T00:00:00Z")),
    )
    .unwrap();
    [near.0, far.0]
}

fn config_error(text: &str) -> String {
    build(text, (0, DAY)).unwrap_err().to_string()
}

const LONDON_OFFICE: &str = r#"
timezone = "Europe/London"
hours = { mon-fri = "08:00-17:00" }
"#;

#[test]
fn closing_time_carries_to_next_day() {
    for calendar in calendars(LONDON_OFFICE) {
        let thursday = at("2024-05-16T15:40:00+01:00");
        let friday = at("2024-05-17T10:05:00+01:00");
        assert_eq!(calendar.open_seconds(thursday, friday), minutes(205));
        let wednesday = at("2024-05-15T16:30:00+01:00");
        let friday_early = at("2024-05-17T08:45:00+01:00");
        assert_eq!(calendar.open_seconds(wednesday, friday_early), minutes(615));
        // 80 minutes on Thursday, the other 160 from Friday 08:00.
        assert_eq!(
            calendar.due(thursday, BusinessDuration::Open(hours(4))),
            at("2024-05-17T10:40:00+01:00")
        );
    }
}

const BERLIN_CHRISTMAS: &str = r#"
timezone = "Europe/Berlin"
hours = { mon-fri = "09:00-17:00" }
holidays = ["2024-12-25", "2024-12-26"]
"#;

#[test]
fn after_hours_start_skips_holidays() {
    for calendar in calendars(BERLIN_CHRISTMAS) {
        let opened = at("2024-12-24T22:15:00+01:00");
        assert_eq!(calendar.next_open(opened), at("2024-12-27T09:00:00+01:00"));
        assert_eq!(
            calendar.open_seconds(opened, at("2024-12-27T09:40:00+01:00")),
            minutes(40)
        );
        assert_eq!(
            calendar.due(opened, BusinessDuration::Open(hours(4))),
            at("2024-12-27T13:00:00+01:00")
        );
        assert_eq!(
            calendar.open_seconds(opened, at("2024-12-30T14:30:00+01:00")),
            minutes(810)
        );
        assert_eq!(
            calendar.due(opened, BusinessDuration::Open(hours(16))),
            at("2024-12-30T17:00:00+01:00")
        );
    }
}

#[test]
fn day_before_holidays_is_a_working_day() {
    for calendar in calendars(BERLIN_CHRISTMAS) {
        let opened = at("2024-12-24T10:00:00+01:00");
        assert_eq!(
            calendar.open_seconds(opened, at("2024-12-24T15:00:00+01:00")),
            minutes(300)
        );
        assert_eq!(
            calendar.open_seconds(opened, at("2024-12-24T16:30:00+01:00")),
            minutes(390)
        );
    }
}

#[test]
fn holiday_and_closed_hours_spans() {
    for calendar in calendars(BERLIN_CHRISTMAS) {
        let spans = calendar.spans(
            at("2024-12-24T16:00:00+01:00"),
            at("2024-12-27T10:00:00+01:00"),
        );
        let expected = [
            (
                "2024-12-24T16:00:00+01:00",
                "2024-12-24T17:00:00+01:00",
                SpanKind::Open,
            ),
            (
                "2024-12-24T17:00:00+01:00",
                "2024-12-25T00:00:00+01:00",
                SpanKind::ClosedHours,
            ),
            (
                "2024-12-25T00:00:00+01:00",
                "2024-12-27T00:00:00+01:00",
                SpanKind::Holiday,
            ),
            (
                "2024-12-27T00:00:00+01:00",
                "2024-12-27T09:00:00+01:00",
                SpanKind::ClosedHours,
            ),
            (
                "2024-12-27T09:00:00+01:00",
                "2024-12-27T10:00:00+01:00",
                SpanKind::Open,
            ),
        ];
        let expected: Vec<CalendarSpan> = expected
            .iter()
            .map(|(start, end, kind)| CalendarSpan {
                start: at(start),
                end: at(end),
                kind: *kind,
            })
            .collect();
        assert_eq!(spans, expected);
    }
}

#[test]
fn weekend_start_waits_for_monday() {
    let text = r#"
timezone = "America/Chicago"
hours = { mon-fri = "08:00-17:00" }
"#;
    for calendar in calendars(text) {
        assert_eq!(
            calendar.open_seconds(
                at("2024-09-14T11:20:00-05:00"),
                at("2024-09-16T09:05:00-05:00")
            ),
            minutes(65)
        );
        assert_eq!(
            calendar.open_seconds(
                at("2024-09-13T16:30:00-05:00"),
                at("2024-09-16T08:45:00-05:00")
            ),
            minutes(75)
        );
    }
}

#[test]
fn lunch_break_is_not_counted() {
    let text = r#"
timezone = "Europe/Madrid"
hours = { mon-fri = "09:00-13:00, 14:00-18:00" }
"#;
    for calendar in calendars(text) {
        let opened = at("2024-06-12T12:30:00+02:00");
        assert_eq!(
            calendar.open_seconds(opened, at("2024-06-12T15:20:00+02:00")),
            minutes(110)
        );
        assert_eq!(
            calendar.due(opened, BusinessDuration::Open(hours(2))),
            at("2024-06-12T15:30:00+02:00")
        );
        assert_eq!(
            calendar.open_seconds(opened, at("2024-06-13T10:15:00+02:00")),
            minutes(345)
        );
        assert_eq!(
            calendar.open_seconds(
                at("2024-06-12T12:59:00+02:00"),
                at("2024-06-12T14:01:00+02:00")
            ),
            minutes(2)
        );
    }
}

#[test]
fn midnight_end_loses_no_minute() {
    let text = r#"
timezone = "Europe/Berlin"
hours = { daily = "00:00-24:00" }
"#;
    let (_, warnings) = build(text, (0, DAY)).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    for calendar in calendars(text) {
        let opened = at("2024-10-07T22:00:00+02:00");
        assert_eq!(
            calendar.due(opened, BusinessDuration::Open(hours(52))),
            at("2024-10-10T02:00:00+02:00")
        );
        assert_eq!(
            calendar.open_seconds(opened, at("2024-10-10T02:02:00+02:00")),
            minutes(3_122)
        );
        assert_eq!(
            calendar.open_seconds(opened, at("2024-10-10T02:00:00+02:00")),
            minutes(3_120)
        );
    }
}

#[test]
fn end_at_23_59_warns_and_loses_minutes() {
    let text = r#"
timezone = "Europe/Berlin"
hours = { daily = "00:00-23:59" }
"#;
    let (_, warnings) = build(text, (0, DAY)).unwrap();
    assert_eq!(
        warnings,
        vec!["calendar `office`: window `00:00-23:59` in hours.daily ends at 23:59, which leaves 23:59-24:00 closed; write 24:00 to stay open until midnight"]
    );
    for calendar in calendars(text) {
        let opened = at("2024-10-07T22:00:00+02:00");
        // Three midnights are crossed, and each loses a minute.
        assert_eq!(
            calendar.due(opened, BusinessDuration::Open(hours(52))),
            at("2024-10-10T02:03:00+02:00")
        );
        assert_eq!(
            calendar.open_seconds(opened, at("2024-10-10T02:02:00+02:00")),
            minutes(3_119)
        );
    }
}

const SINGAPORE_NIGHT_DESK: &str = r#"
timezone = "Asia/Singapore"
hours = { mon-fri = "21:00-02:00" }
"#;

#[test]
fn overnight_shift_belongs_to_its_start_day() {
    for calendar in calendars(SINGAPORE_NIGHT_DESK) {
        assert_eq!(
            calendar.open_seconds(
                at("2024-08-13T23:30:00+08:00"),
                at("2024-08-14T01:15:00+08:00")
            ),
            minutes(105)
        );
        assert_eq!(
            calendar.open_seconds(
                at("2024-08-17T01:00:00+08:00"),
                at("2024-08-19T21:45:00+08:00")
            ),
            minutes(105)
        );
        // Friday's shift runs to Saturday 02:00; Monday 00:00-02:00 would be Sunday's.
        assert_eq!(
            calendar.open_seconds(
                at("2024-08-16T20:00:00+08:00"),
                at("2024-08-17T03:00:00+08:00")
            ),
            hours(5)
        );
        assert_eq!(
            calendar.open_seconds(
                at("2024-08-18T20:00:00+08:00"),
                at("2024-08-19T03:00:00+08:00")
            ),
            0
        );
        assert!(calendar.is_open(at("2024-08-17T01:59:59+08:00")));
        assert!(!calendar.is_open(at("2024-08-17T02:00:00+08:00")));
    }
}

#[test]
fn overnight_shift_counts_business_days_by_shift() {
    for calendar in calendars(SINGAPORE_NIGHT_DESK) {
        // Saturday 01:00 is 25:00 of Friday's shift; one shift later is 25:00 of Monday's.
        assert_eq!(
            calendar.due(
                at("2024-08-17T01:00:00+08:00"),
                BusinessDuration::BusinessDays(1)
            ),
            at("2024-08-20T01:00:00+08:00")
        );
        // Tuesday 22:00 plus two shifts is Thursday 22:00.
        assert_eq!(
            calendar.due(
                at("2024-08-13T22:00:00+08:00"),
                BusinessDuration::BusinessDays(2)
            ),
            at("2024-08-15T22:00:00+08:00")
        );
    }
}

#[test]
fn always_counts_elapsed_time_across_dst() {
    let text = r#"
timezone = "Europe/Berlin"
hours = "24x7"
"#;
    let berlin = chrono_tz::Europe::Berlin;
    let read = |local: &str| {
        let local = NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").unwrap();
        resolve_local(berlin, local, AmbiguousTimes::Earlier)
            .unwrap()
            .instant
    };
    let (calendar, _) = build(text, (0, DAY)).unwrap();
    assert!(calendar.is_always());
    assert_eq!(
        calendar.open_seconds(
            at("2025-03-29T23:30:00+01:00"),
            at("2025-03-30T04:30:00+02:00")
        ),
        minutes(240)
    );
    assert_eq!(
        calendar.open_seconds(
            at("2025-10-25T23:00:00+02:00"),
            at("2025-10-26T03:30:00+01:00")
        ),
        minutes(330)
    );
    assert_eq!(
        calendar.open_seconds(read("2025-10-26 01:10"), read("2025-10-26 02:30")),
        minutes(80)
    );
}

#[test]
fn whole_day_window_has_23_or_25_hours() {
    let text = r#"
timezone = "Europe/Berlin"
hours = { daily = "00:00-24:00" }
"#;
    for calendar in calendars(text) {
        let day = |date: &str, next: &str| calendar.open_seconds(at(date), at(next));
        assert_eq!(
            day("2025-03-30T00:00:00+01:00", "2025-03-31T00:00:00+02:00"),
            hours(23)
        );
        assert_eq!(
            day("2025-10-26T00:00:00+02:00", "2025-10-27T00:00:00+01:00"),
            hours(25)
        );
    }
}

#[test]
fn always_business_day_keeps_wall_clock_time() {
    let calendar = Calendar::always(chrono_tz::Europe::Berlin);
    // Saturday 12:00 to Sunday 12:00 across the spring change is 23 hours.
    assert_eq!(
        calendar.due(
            at("2025-03-29T12:00:00+01:00"),
            BusinessDuration::BusinessDays(1)
        ),
        at("2025-03-30T12:00:00+02:00")
    );
    // 02:30 does not exist on 2025-03-30, so the target falls at the jump to 03:00.
    assert_eq!(
        calendar.due(
            at("2025-03-29T02:30:00+01:00"),
            BusinessDuration::BusinessDays(1)
        ),
        at("2025-03-30T03:00:00+02:00")
    );
}

#[test]
fn london_hours_follow_summer_time() {
    let text = r#"
timezone = "Europe/London"
hours = { mon-fri = "09:00-17:00" }
"#;
    for calendar in calendars(text) {
        assert_eq!(
            calendar.open_seconds(at("2025-03-28T15:00:00Z"), at("2025-03-31T09:30:00Z")),
            minutes(210)
        );
        assert_eq!(
            calendar.open_seconds(at("2025-03-31T15:30:00Z"), at("2025-03-31T16:30:00Z")),
            minutes(30)
        );
    }
}

#[test]
fn new_york_due_instant_in_utc() {
    let text = r#"
timezone = "America/New_York"
hours = { mon-fri = "09:00-18:00" }
"#;
    for calendar in calendars(text) {
        let opened = at("2024-11-20T21:45:00Z");
        assert_eq!(
            calendar.open_seconds(opened, at("2024-11-20T22:00:00Z")),
            minutes(15)
        );
        let due = calendar.due(opened, BusinessDuration::Open(hours(1)));
        assert_eq!(format_utc(due), "2024-11-20T22:45:00Z");
    }
}

#[test]
fn pause_across_closing_time_in_kolkata() {
    let text = r#"
timezone = "Asia/Kolkata"
hours = { mon-fri = "09:00-17:00" }
"#;
    for calendar in calendars(text) {
        let opened = at("2024-07-09T10:00:00+05:30");
        let paused = at("2024-07-09T16:00:00+05:30");
        let resumed = at("2024-07-10T11:00:00+05:30");
        let resolved = at("2024-07-10T15:00:00+05:30");
        assert_eq!(calendar.open_seconds(opened, paused), minutes(360));
        assert_eq!(calendar.open_seconds(paused, resumed), minutes(180));
        assert_eq!(calendar.open_seconds(resumed, resolved), minutes(240));
        // 360 of the 540 minutes are used before the pause; the other 180 run from 11:00.
        assert_eq!(
            calendar.due(resumed, BusinessDuration::Open(minutes(180))),
            at("2024-07-10T14:00:00+05:30")
        );
    }
}

const NINE_TO_FIVE: &str = r#"
timezone = "UTC"
hours = { mon-fri = "09:00-17:00" }
holidays = ["2024-06-17"]
"#;

#[test]
fn open_and_business_day_targets_differ() {
    for calendar in calendars(NINE_TO_FIVE) {
        // Monday 2024-06-10 15:00: 24 open hours end on Thursday at 15:00.
        let monday = at("2024-06-10T15:00:00Z");
        assert_eq!(
            calendar.due(monday, BusinessDuration::Open(hours(24))),
            at("2024-06-13T15:00:00Z")
        );
        assert_eq!(
            calendar.due(monday, BusinessDuration::BusinessDays(1)),
            at("2024-06-11T15:00:00Z")
        );
        // Saturday: the clock starts Monday 09:00.
        let saturday = at("2024-06-08T10:00:00Z");
        assert_eq!(
            calendar.due(saturday, BusinessDuration::BusinessDays(1)),
            at("2024-06-11T09:00:00Z")
        );
        assert_eq!(
            calendar.due(saturday, BusinessDuration::Open(hours(8))),
            at("2024-06-10T17:00:00Z")
        );
        // Friday 16:30 before the Monday holiday.
        let friday = at("2024-06-14T16:30:00Z");
        assert_eq!(
            calendar.due(friday, BusinessDuration::BusinessDays(1)),
            at("2024-06-18T16:30:00Z")
        );
        assert_eq!(
            calendar.due(friday, BusinessDuration::Open(hours(1))),
            at("2024-06-18T09:30:00Z")
        );
    }
}

#[test]
fn zero_targets_are_due_at_start() {
    for calendar in calendars(NINE_TO_FIVE) {
        let saturday = at("2024-06-08T10:00:00Z");
        assert_eq!(calendar.due(saturday, BusinessDuration::Open(0)), saturday);
        assert_eq!(
            calendar.due(saturday, BusinessDuration::BusinessDays(0)),
            saturday
        );
    }
}

#[test]
fn open_seconds_counts_seconds() {
    for calendar in calendars(NINE_TO_FIVE) {
        assert_eq!(
            calendar.open_seconds(at("2024-06-10T08:59:59Z"), at("2024-06-10T09:00:01Z")),
            1
        );
        assert_eq!(
            calendar.open_seconds(at("2024-06-10T16:59:58Z"), at("2024-06-11T09:00:03Z")),
            5
        );
        assert_eq!(
            calendar.due(at("2024-06-10T16:59:58Z"), BusinessDuration::Open(5)),
            at("2024-06-11T09:00:03Z")
        );
        assert_eq!(
            calendar.open_seconds(at("2024-06-11T09:00:03Z"), at("2024-06-10T16:59:58Z")),
            0
        );
    }
}

#[test]
fn queries_far_beyond_table_are_exact() {
    let (calendar, _) = build(
        NINE_TO_FIVE,
        (at("2024-06-01T00:00:00Z"), at("2024-06-30T00:00:00Z")),
    )
    .unwrap();
    // A week in 2031 and one in 1999, both Monday to Monday.
    assert_eq!(
        calendar.open_seconds(at("2031-03-03T00:00:00Z"), at("2031-03-10T00:00:00Z")),
        hours(40)
    );
    assert_eq!(
        calendar.open_seconds(at("1999-03-01T00:00:00Z"), at("1999-03-08T00:00:00Z")),
        hours(40)
    );
    // From a Monday in 1999 to one in 2031 is 1670 weeks of 40 hours, less the holiday.
    assert_eq!(
        calendar.open_seconds(at("1999-03-01T00:00:00Z"), at("2031-03-03T00:00:00Z")),
        hours(1_670 * 40 - 8)
    );
    assert_eq!(
        calendar.due(at("2031-03-07T16:00:00Z"), BusinessDuration::Open(hours(2))),
        at("2031-03-10T10:00:00Z")
    );
    assert_eq!(
        calendar.due(
            at("1999-03-05T16:00:00Z"),
            BusinessDuration::BusinessDays(3)
        ),
        at("1999-03-10T16:00:00Z")
    );
    // 80,000 open hours from 1999 end around 2037, at the close of a working day.
    let due = calendar.due(
        at("1999-03-01T09:00:00Z"),
        BusinessDuration::Open(hours(2_000 * 40)),
    );
    assert_eq!(
        calendar.open_seconds(at("1999-03-01T09:00:00Z"), due),
        hours(2_000 * 40)
    );
    assert!(calendar.is_open(due - 1));
    assert!(!calendar.is_open(due));
}

#[test]
fn huge_target_is_never_due() {
    let calendar = calendars(NINE_TO_FIVE)[0].clone();
    assert_eq!(
        calendar.due(at("2024-06-10T09:00:00Z"), BusinessDuration::Open(i64::MAX)),
        NEVER
    );
}

#[test]
fn half_day_replaces_the_weekly_hours() {
    let text = r#"
timezone = "UTC"
hours = { mon-fri = "09:00-17:00" }
half_days = { "2024-06-14" = "09:00-12:00" }
"#;
    for calendar in calendars(text) {
        assert_eq!(
            calendar.open_seconds(at("2024-06-14T00:00:00Z"), at("2024-06-15T00:00:00Z")),
            hours(3)
        );
        assert_eq!(
            calendar.open_seconds(at("2024-06-13T00:00:00Z"), at("2024-06-14T00:00:00Z")),
            hours(8)
        );
        let spans = calendar.spans(at("2024-06-14T11:00:00Z"), at("2024-06-14T13:00:00Z"));
        assert_eq!(spans.len(), 2);
        assert_eq!(spans[1].kind, SpanKind::ClosedHours);
    }
}

#[test]
fn overnight_window_before_holiday_runs_to_its_end() {
    let text = r#"
timezone = "UTC"
hours = { daily = "20:00-04:00" }
holidays = ["2024-06-12"]
"#;
    for calendar in calendars(text) {
        // Tuesday's window runs into the holiday until 04:00; the holiday's own is closed.
        assert_eq!(
            calendar.open_seconds(at("2024-06-11T12:00:00Z"), at("2024-06-13T12:00:00Z")),
            hours(8)
        );
        let spans = calendar.spans(at("2024-06-12T00:00:00Z"), at("2024-06-13T05:00:00Z"));
        let kinds: Vec<SpanKind> = spans.iter().map(|span| span.kind).collect();
        assert_eq!(
            kinds,
            vec![SpanKind::Open, SpanKind::Holiday, SpanKind::ClosedHours]
        );
        assert_eq!(spans[0].end, at("2024-06-12T04:00:00Z"));
        assert_eq!(spans[1].end, at("2024-06-13T00:00:00Z"));
    }
}

#[test]
fn gap_edge_opens_at_the_jump() {
    let text = r#"
timezone = "Europe/Berlin"
hours = { daily = "02:30-04:00" }
"#;
    for calendar in calendars(text) {
        // Clocks go from 02:00 to 03:00 on 2025-03-30: 03:00 to 04:00 summer time.
        assert_eq!(
            calendar.next_open(at("2025-03-30T00:00:00Z")),
            at("2025-03-30T03:00:00+02:00")
        );
        assert_eq!(
            calendar.open_seconds(at("2025-03-29T12:00:00Z"), at("2025-03-30T12:00:00Z")),
            hours(1)
        );
    }
}

#[test]
fn overlap_edge_takes_first_occurrence() {
    let text = r#"
timezone = "Europe/Berlin"
hours = { sun = "00:00-02:30", mon = "10:00-11:00" }
"#;
    for calendar in calendars(text) {
        // Clocks go from 03:00 back to 02:00 on 2025-10-26: open until 02:30 summer time.
        assert_eq!(
            calendar.open_seconds(at("2025-10-25T12:00:00Z"), at("2025-10-26T12:00:00Z")),
            minutes(150)
        );
        assert!(calendar.is_open(at("2025-10-26T02:29:00+02:00")));
        assert!(!calendar.is_open(at("2025-10-26T02:29:00+01:00")));
    }
}

#[test]
fn holiday_file_closes_its_days() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("holidays.ics"),
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20240704\r\nRRULE:FREQ=YEARLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    .unwrap();
    let config = parse_config(
        r#"
timezone = "America/New_York"
hours = { mon-fri = "09:00-17:00" }
holiday_files = ["holidays.ics"]
"#,
    );
    let span = (at("2024-01-01T00:00:00Z"), at("2024-12-31T00:00:00Z"));
    let (calendar, warnings) =
        Calendar::from_config("office", &config, folder.path(), span).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    // Thursday 2024-07-04 and Friday 2025-07-04 are holidays; the days around them are not.
    for (from, to, open) in [
        (
            "2024-07-03T00:00:00-04:00",
            "2024-07-06T00:00:00-04:00",
            hours(16),
        ),
        (
            "2025-07-03T00:00:00-04:00",
            "2025-07-05T00:00:00-04:00",
            hours(8),
        ),
        (
            "2031-07-03T00:00:00-04:00",
            "2031-07-05T00:00:00-04:00",
            hours(8),
        ),
    ] {
        assert_eq!(calendar.open_seconds(at(from), at(to)), open, "{from}");
    }
}

#[test]
fn missing_holiday_file_names_its_path() {
    let folder = tempfile::tempdir().unwrap();
    let config = parse_config("hours = \"24x7\"\nholiday_files = [\"missing.ics\"]\n");
    let error = Calendar::from_config("office", &config, folder.path(), (0, DAY)).unwrap_err();
    let message = error.to_string();
    assert!(
        message.starts_with(
            "calendar `office`: invalid holiday file in holiday_files: failed to read "
        ),
        "{message}"
    );
    assert!(message.contains("missing.ics"), "{message}");
}

#[test]
fn holiday_file_error_names_file_and_line() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("holidays.ics"),
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20240704\nRRULE:FREQ=WEEKLY\nEND:VEVENT\nEND:VCALENDAR\n",
    )
    .unwrap();
    let config = parse_config("hours = \"24x7\"\nholiday_files = [\"holidays.ics\"]\n");
    let message = Calendar::from_config("office", &config, folder.path(), (0, DAY))
        .unwrap_err()
        .to_string();
    let path = folder.path().join("holidays.ics");
    assert_eq!(
        message,
        format!(
            "calendar `office`: invalid holiday file in holiday_files: {}:4: unsupported RRULE frequency `FREQ=WEEKLY`: expected FREQ=YEARLY",
            path.display()
        )
    );
}

#[test]
fn plain_24x7_with_holidays_closes_them() {
    let text = r#"
hours = "24x7"
holidays = ["2024-06-12"]
"#;
    for calendar in calendars(text) {
        assert!(!calendar.is_always());
        assert_eq!(
            calendar.open_seconds(at("2024-06-11T00:00:00Z"), at("2024-06-14T00:00:00Z")),
            hours(48)
        );
    }
}

#[test]
fn invalid_window_message() {
    assert_eq!(
        config_error("hours = { mon-fri = \"9:00-17\" }"),
        "calendar `office`: invalid window `9:00-17` in hours.mon-fri: expected HH:MM-HH:MM such as \"09:00-17:00\""
    );
    assert_eq!(
        config_error("hours = { mon = \"24:00-02:00\" }"),
        "calendar `office`: invalid window `24:00-02:00` in hours.mon: 24:00 can only end a window; write 00:00 to start at midnight"
    );
}

#[test]
fn overlapping_windows_are_rejected() {
    assert_eq!(
        config_error("hours = { mon = \"09:00-13:00, 12:00-17:00\" }"),
        "calendar `office`: windows `09:00-13:00` and `12:00-17:00` overlap on mon in hours.mon: expected windows that do not overlap"
    );
    assert_eq!(
        config_error("hours = { mon = \"21:00-02:00\", tue = \"01:00-05:00\" }"),
        "calendar `office`: overnight window `21:00-02:00` in hours.mon runs into window `01:00-05:00` of the next day in hours.tue: expected windows that do not overlap"
    );
    assert_eq!(
        config_error("hours = { mon-fri = \"21:00-02:00\" }\nhalf_days = { \"2024-06-11\" = \"01:00-05:00\" }"),
        "calendar `office`: overnight window `21:00-02:00` in hours.mon-fri runs into window `01:00-05:00` of the next day in half_days.\"2024-06-11\": expected windows that do not overlap"
    );
}

#[test]
fn adjacent_overnight_windows_are_accepted() {
    let text = r#"
hours = { mon = "21:00-24:00", tue = "00:00-02:00" }
"#;
    for calendar in calendars(text) {
        assert_eq!(
            calendar.open_seconds(at("2024-06-10T00:00:00Z"), at("2024-06-12T00:00:00Z")),
            hours(5)
        );
    }
}

#[test]
fn day_in_two_keys_is_rejected() {
    assert_eq!(
        config_error("hours = { mon-fri = \"09:00-17:00\", fri = \"09:00-12:00\" }"),
        "calendar `office`: fri is in both hours.fri and hours.mon-fri: expected each day in one key only"
    );
}

#[test]
fn calendar_without_hours_is_rejected() {
    assert_eq!(
        config_error("hours = {}"),
        "calendar `office`: hours has no open window: expected at least one day with windows such as mon-fri = \"09:00-17:00\""
    );
    assert_eq!(
        config_error("hours = { mon = \"\" }"),
        "calendar `office`: hours.mon has no window: expected windows such as \"09:00-17:00\", or leave the day out to close it"
    );
}

#[test]
fn holiday_that_is_also_half_day_is_rejected() {
    assert_eq!(
        config_error("hours = { mon-fri = \"09:00-17:00\" }\nholidays = [\"2024-12-24\"]\nhalf_days = { \"2024-12-24\" = \"09:00-12:00\" }"),
        "calendar `office`: 2024-12-24 is both in holidays and in half_days: expected a date in one of them only; remove it from holidays to keep its half-day hours"
    );
}

#[test]
fn new_york_clock_changes() {
    let zone = "America/New_York";
    let text = format!("timezone = \"{zone}\"\nhours = {{ daily = \"00:00-24:00\" }}\n");
    for calendar in calendars(&text) {
        assert_eq!(
            calendar.open_seconds(
                at("2024-03-10T00:00:00-05:00"),
                at("2024-03-11T00:00:00-04:00")
            ),
            hours(23)
        );
        assert_eq!(
            calendar.open_seconds(
                at("2024-11-03T00:00:00-04:00"),
                at("2024-11-04T00:00:00-05:00")
            ),
            hours(25)
        );
    }
    let office = format!("timezone = \"{zone}\"\nhours = {{ daily = \"09:00-17:00\" }}\n");
    for calendar in calendars(&office) {
        assert_eq!(
            calendar.open_seconds(
                at("2024-03-10T00:00:00-05:00"),
                at("2024-03-11T00:00:00-04:00")
            ),
            hours(8)
        );
        assert_eq!(
            calendar.open_seconds(
                at("2024-11-03T00:00:00-04:00"),
                at("2024-11-04T00:00:00-05:00")
            ),
            hours(8)
        );
    }
    // 01:00 occurs twice on 2024-11-03: the window opens at the first and closes at 02:00
    // standard time, two hours later. 02:00-03:00 does not exist on 2024-03-10.
    let night = format!("timezone = \"{zone}\"\nhours = {{ sun = \"01:00-02:00\" }}\n");
    for calendar in calendars(&night) {
        assert_eq!(
            calendar.open_seconds(
                at("2024-11-03T00:00:00-04:00"),
                at("2024-11-04T00:00:00-05:00")
            ),
            hours(2)
        );
        assert_eq!(
            calendar.next_open(at("2024-11-02T12:00:00-04:00")),
            at("2024-11-03T01:00:00-04:00")
        );
    }
    let gap = format!(
        "timezone = \"{zone}\"\nhours = {{ sun = \"02:00-03:00\", mon = \"09:00-10:00\" }}\n"
    );
    for calendar in calendars(&gap) {
        assert_eq!(
            calendar.open_seconds(
                at("2024-03-09T12:00:00-05:00"),
                at("2024-03-11T00:00:00-04:00")
            ),
            0
        );
    }
}

#[test]
fn london_clock_changes() {
    let text = r#"
timezone = "Europe/London"
hours = { sun = "01:00-02:00", mon = "09:00-17:00" }
"#;
    for calendar in calendars(text) {
        // 01:00-02:00 does not exist on 2025-03-30 and occurs twice on 2025-10-26.
        assert_eq!(
            calendar.open_seconds(at("2025-03-29T12:00:00Z"), at("2025-03-30T12:00:00Z")),
            0
        );
        assert_eq!(
            calendar.open_seconds(at("2025-10-25T12:00:00Z"), at("2025-10-26T12:00:00Z")),
            hours(2)
        );
        assert_eq!(
            calendar.open_seconds(
                at("2025-03-31T00:00:00+01:00"),
                at("2025-04-01T00:00:00+01:00")
            ),
            hours(8)
        );
    }
}

#[test]
fn sydney_clock_changes_in_southern_spring() {
    let whole_day = r#"
timezone = "Australia/Sydney"
hours = { daily = "00:00-24:00" }
"#;
    for calendar in calendars(whole_day) {
        assert_eq!(
            calendar.open_seconds(
                at("2024-10-06T00:00:00+10:00"),
                at("2024-10-07T00:00:00+11:00")
            ),
            hours(23)
        );
        assert_eq!(
            calendar.open_seconds(
                at("2024-04-07T00:00:00+11:00"),
                at("2024-04-08T00:00:00+10:00")
            ),
            hours(25)
        );
    }
    let office = r#"
timezone = "Australia/Sydney"
hours = { mon-fri = "09:00-17:00" }
"#;
    for calendar in calendars(office) {
        // Friday 16:00 standard time to Monday 10:00 summer time: one hour each side.
        assert_eq!(
            calendar.open_seconds(at("2024-10-04T06:00:00Z"), at("2024-10-06T23:00:00Z")),
            hours(2)
        );
        assert_eq!(
            calendar.due(
                at("2024-10-04T06:00:00Z"),
                BusinessDuration::BusinessDays(1)
            ),
            at("2024-10-07T16:00:00+11:00")
        );
    }
}

#[test]
fn kolkata_half_hour_offset_without_dst() {
    let text = r#"
timezone = "Asia/Kolkata"
hours = { daily = "09:00-17:00" }
"#;
    for calendar in calendars(text) {
        assert_eq!(
            calendar.next_open(at("2024-07-09T00:00:00Z")),
            at("2024-07-09T03:30:00Z")
        );
        assert!(calendar.is_open(at("2024-07-09T11:29:59Z")));
        assert!(!calendar.is_open(at("2024-07-09T11:30:00Z")));
        for day in ["2024-03-31", "2024-10-27", "2024-11-03"] {
            let midnight = at(&format!("{day}T00:00:00+05:30"));
            assert_eq!(
                calendar.open_seconds(midnight, midnight + DAY),
                hours(8),
                "{day}"
            );
        }
    }
}

#[test]
fn lord_howe_half_hour_clock_changes() {
    let whole_day = r#"
timezone = "Australia/Lord_Howe"
hours = { daily = "00:00-24:00" }
"#;
    for calendar in calendars(whole_day) {
        assert_eq!(
            calendar.open_seconds(
                at("2024-10-06T00:00:00+10:30"),
                at("2024-10-07T00:00:00+11:00")
            ),
            hours(23) + minutes(30)
        );
        assert_eq!(
            calendar.open_seconds(
                at("2024-04-07T00:00:00+11:00"),
                at("2024-04-08T00:00:00+10:30")
            ),
            hours(24) + minutes(30)
        );
    }
    // Clocks go from 02:00 to 02:30 on 2024-10-06, and from 02:00 back to 01:30 on
    // 2024-04-07.
    let spring = r#"
timezone = "Australia/Lord_Howe"
hours = { sun = "02:00-03:00" }
"#;
    for calendar in calendars(spring) {
        assert_eq!(
            calendar.next_open(at("2024-10-05T12:00:00Z")),
            at("2024-10-05T15:30:00Z")
        );
        assert_eq!(
            calendar.open_seconds(at("2024-10-05T12:00:00Z"), at("2024-10-06T12:00:00Z")),
            minutes(30)
        );
    }
    let autumn = r#"
timezone = "Australia/Lord_Howe"
hours = { sun = "01:00-02:00, 02:30-03:00" }
"#;
    for calendar in calendars(autumn) {
        // 01:00 daylight time (14:00Z) to 02:00 standard time (15:30Z), then 02:30-03:00.
        assert_eq!(
            calendar.open_seconds(at("2024-04-06T12:00:00Z"), at("2024-04-07T12:00:00Z")),
            minutes(90) + minutes(30)
        );
        assert!(calendar.is_open(at("2024-04-07T01:45:00+10:30")));
    }
}
