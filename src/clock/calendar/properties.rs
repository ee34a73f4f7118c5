//! Property tests: random calendars in zones with and without daylight saving time,
//! checked against a slow reference that marks open minutes one by one.
//!
//! Window edges and the zones' transitions fall on whole minutes, so a minute is either
//! wholly open or wholly closed and the reference can count open time per minute. Query
//! instants still carry seconds. Each case builds the calendar twice: with a table that
//! covers every query, and with a table of three days in the middle, so that queries cross
//! its edges and use the exact path outside it.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, LocalResult, NaiveDate, TimeZone as _};
use chrono_tz::Tz;
use proptest::collection::vec;
use proptest::prelude::*;

use super::*;
use crate::config::CalendarConfig;
use crate::time::offset_at;

const ZONES: [Tz; 10] = [
    chrono_tz::UTC,
    chrono_tz::Europe::London,
    chrono_tz::Europe::Berlin,
    chrono_tz::America::New_York,
    chrono_tz::Australia::Sydney,
    chrono_tz::Asia::Kolkata,
    chrono_tz::Australia::Lord_Howe,
    // Chile moves its clocks at midnight, so a local day can start in a gap.
    chrono_tz::America::Santiago,
    chrono_tz::America::Havana,
    chrono_tz::Asia::Singapore,
];

/// Days near clock changes in the zones above.
const TRANSITION_DATES: [&str; 14] = [
    "2024-03-10",
    "2024-03-31",
    "2024-04-07",
    "2024-09-08",
    "2024-10-06",
    "2024-10-27",
    "2024-11-03",
    "2025-03-09",
    "2025-03-30",
    "2025-04-06",
    "2025-09-07",
    "2025-10-05",
    "2025-10-26",
    "2025-11-02",
];

/// Days in the range that queries fall in.
const DAYS: i64 = 18;
const MINUTES_PER_DAY: i64 = 1_440;
const MINUTES_PER_WEEK: u32 = 10_080;
const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn day_number(text: &str) -> i64 {
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
    (date - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()).num_days()
}

/// Random numbers a scenario is built from.
#[derive(Debug, Clone)]
struct Raw {
    zone: usize,
    first_day: i64,
    /// Cut points on a weekly timeline in minutes; each pair is a window.
    points: Vec<u32>,
    /// Turns the timeline so that windows can wrap past Sunday midnight.
    rotation: u32,
    holidays: Vec<i64>,
    /// Day offsets and raw cut points of half days.
    half_days: Vec<(i64, Vec<u32>)>,
    /// Instants as seconds from the range's start; `true` rounds to the minute.
    instants: Vec<(i64, bool)>,
    targets: Vec<(i64, u32)>,
    business_days: Vec<(i64, u32)>,
}

fn raw() -> impl Strategy<Value = Raw> {
    let range = DAYS * DAY;
    let first_day = prop_oneof![
        (0..TRANSITION_DATES.len(), 0..14i64)
            .prop_map(|(index, back)| day_number(TRANSITION_DATES[index]) - back),
        day_number("2024-01-01")..day_number("2026-12-31"),
    ];
    let point = prop_oneof![
        (0..336u32).prop_map(|half_hour| half_hour * 30),
        0..MINUTES_PER_WEEK
    ];
    (
        (
            0..ZONES.len(),
            first_day,
            vec(point, 2..=12),
            0..MINUTES_PER_WEEK,
        ),
        (
            vec(-1..DAYS + 1, 0..=3),
            vec((-1..DAYS + 1, vec(0..100_000u32, 2..=4)), 0..=2),
        ),
        (
            vec((0..range, any::<bool>()), 8),
            vec((0..range, any::<u32>()), 3),
            vec((0..range, 1..=4u32), 2),
        ),
    )
        .prop_map(
            |(
                (zone, first_day, points, rotation),
                (holidays, half_days),
                (instants, targets, business_days),
            )| Raw {
                zone,
                first_day,
                points,
                rotation,
                holidays,
                half_days,
                instants,
                targets,
                business_days,
            },
        )
}

/// A calendar's rules in minutes, with the config text that states them.
#[derive(Debug)]
struct Scenario {
    zone: Tz,
    first_day: i64,
    /// Windows per weekday (Monday first) in minutes from midnight; ends may pass 1440.
    weekly: [Vec<(i64, i64)>; 7],
    holidays: BTreeSet<i64>,
    half_days: BTreeMap<i64, Vec<(i64, i64)>>,
    config: String,
}

fn weekday(day: i64) -> usize {
    (day + 3).rem_euclid(7) as usize
}

fn clock_text(minutes: i64) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn window_text(start: i64, end: i64) -> String {
    let end = if end > MINUTES_PER_DAY {
        end - MINUTES_PER_DAY
    } else {
        end
    };
    format!("{}-{}", clock_text(start), clock_text(end))
}

fn windows_text(windows: &[(i64, i64)]) -> String {
    let parts: Vec<String> = windows.iter().map(|(s, e)| window_text(*s, *e)).collect();
    parts.join(", ")
}

impl Scenario {
    fn new(raw: &Raw) -> Scenario {
        let mut weekly: [Vec<(i64, i64)>; 7] = Default::default();
        let mut points = raw.points.clone();
        points.sort_unstable();
        points.dedup();
        for pair in points.chunks_exact(2) {
            let start = (pair[0] + raw.rotation) % MINUTES_PER_WEEK;
            let start_of_day = i64::from(start) % MINUTES_PER_DAY;
            let longest = if start_of_day == 0 {
                MINUTES_PER_DAY
            } else {
                MINUTES_PER_DAY - 1
            };
            let length = i64::from(pair[1] - pair[0]).min(longest);
            let day = (i64::from(start) / MINUTES_PER_DAY) as usize;
            weekly[day].push((start_of_day, start_of_day + length));
        }
        if weekly.iter().all(Vec::is_empty) {
            weekly[0].push((9 * 60, 17 * 60));
        }

        let holidays: BTreeSet<i64> = raw.holidays.iter().map(|o| raw.first_day + o).collect();
        let mut half_days = BTreeMap::new();
        for (offset, cuts) in &raw.half_days {
            let day = raw.first_day + offset;
            let occupied = |d: i64| holidays.contains(&d) || half_days.contains_key(&d);
            if occupied(day) || occupied(day - 1) || occupied(day + 1) {
                continue;
            }
            // Keep clear of the previous day's overnight window and of the next day's
            // first window.
            let before = if holidays.contains(&(day - 1)) {
                0
            } else {
                weekly[weekday(day - 1)]
                    .iter()
                    .map(|(_, end)| end - MINUTES_PER_DAY)
                    .max()
                    .unwrap_or(0)
                    .max(0)
            };
            let after = if holidays.contains(&(day + 1)) {
                2 * MINUTES_PER_DAY
            } else {
                MINUTES_PER_DAY
                    + weekly[weekday(day + 1)]
                        .iter()
                        .map(|(start, _)| *start)
                        .min()
                        .unwrap_or(MINUTES_PER_DAY)
            };
            let room = after - before;
            if room < 2 {
                continue;
            }
            let mut cuts: Vec<i64> = cuts
                .iter()
                .map(|cut| before + i64::from(*cut) % room)
                .collect();
            cuts.sort_unstable();
            cuts.dedup();
            let windows: Vec<(i64, i64)> = cuts
                .chunks_exact(2)
                .filter(|pair| pair[0] < MINUTES_PER_DAY)
                .map(|pair| (pair[0], pair[1].min(pair[0] + MINUTES_PER_DAY - 1)))
                .collect();
            if !windows.is_empty() {
                half_days.insert(day, windows);
            }
        }

        let zone = ZONES[raw.zone];
        let mut config = format!("timezone = \"{}\"\nhours = {{ ", zone.name());
        let days: Vec<String> = (0..7)
            .filter(|d| !weekly[*d].is_empty())
            .map(|d| format!("{} = \"{}\"", DAY_NAMES[d], windows_text(&weekly[d])))
            .collect();
        config.push_str(&days.join(", "));
        config.push_str(" }\n");
        let dates: Vec<String> = holidays
            .iter()
            .map(|day| format!("\"{}\"", rules::date_of_day(*day)))
            .collect();
        config.push_str(&format!("holidays = [{}]\n", dates.join(", ")));
        let halves: Vec<String> = half_days
            .iter()
            .map(|(day, windows)| {
                format!(
                    "\"{}\" = \"{}\"",
                    rules::date_of_day(*day),
                    windows_text(windows)
                )
            })
            .collect();
        config.push_str(&format!("half_days = {{ {} }}\n", halves.join(", ")));

        Scenario {
            zone,
            first_day: raw.first_day,
            weekly,
            holidays,
            half_days,
            config,
        }
    }

    fn windows_on(&self, day: i64) -> &[(i64, i64)] {
        if let Some(windows) = self.half_days.get(&day) {
            return windows;
        }
        if self.holidays.contains(&day) {
            return &[];
        }
        &self.weekly[weekday(day)]
    }

    fn rules(&self) -> Rules {
        let config: CalendarConfig = toml::from_str(&self.config).unwrap();
        rules::parse("random", &config, Path::new("."))
            .unwrap_or_else(|error| panic!("{error}\n{}", self.config))
            .0
    }
}

/// Finds the first instant at which the wall clock reads `local` or later by trying each
/// later second until the reading exists.
fn reference_first_instant(zone: Tz, local: i64) -> Instant {
    let mut reading = local;
    loop {
        let naive = DateTime::from_timestamp(reading, 0).unwrap().naive_utc();
        match zone.from_local_datetime(&naive) {
            LocalResult::Single(time) => return time.timestamp(),
            LocalResult::Ambiguous(a, b) => return a.timestamp().min(b.timestamp()),
            LocalResult::None => reading += 1,
        }
    }
}

/// Open minutes of the query range, marked one by one.
struct Reference<'a> {
    scenario: &'a Scenario,
    start: Instant,
    /// Open intervals with the day they belong to.
    intervals: Vec<(Instant, Instant, i64)>,
    /// `open_before[m]` is the number of open minutes before minute `m` of the range.
    open_before: Vec<i64>,
    open: Vec<bool>,
}

impl<'a> Reference<'a> {
    fn new(scenario: &'a Scenario) -> Reference<'a> {
        let zone = scenario.zone;
        let start = scenario.first_day * DAY;
        let mut intervals = Vec::new();
        for day in scenario.first_day - 2..=scenario.first_day + DAYS + 1 {
            for (from, to) in scenario.windows_on(day) {
                let open = reference_first_instant(zone, day * DAY + from * 60);
                let close = reference_first_instant(zone, day * DAY + to * 60);
                if open < close {
                    intervals.push((open, close, day));
                }
            }
        }
        let minutes = (DAYS * MINUTES_PER_DAY) as usize;
        let mut open = vec![false; minutes];
        // Minute m is open when `from <= start + 60 m < to`.
        for (from, to, _) in &intervals {
            let first =
                (from - start).div_euclid(60) + i64::from((from - start).rem_euclid(60) > 0);
            let end = (to - start).div_euclid(60) + i64::from((to - start).rem_euclid(60) > 0);
            for minute in first.max(0)..end.min(minutes as i64) {
                open[minute as usize] = true;
            }
        }
        let mut open_before = Vec::with_capacity(minutes + 1);
        open_before.push(0);
        for minute in 0..minutes {
            open_before.push(open_before[minute] + i64::from(open[minute]));
        }
        Reference {
            scenario,
            start,
            intervals,
            open_before,
            open,
        }
    }

    fn end(&self) -> Instant {
        self.start + DAYS * DAY
    }

    /// Open seconds in `[self.start, instant)` for an instant inside the range.
    fn open_until(&self, instant: Instant) -> i64 {
        let offset = instant - self.start;
        let minute = (offset / 60) as usize;
        let mut seconds = self.open_before[minute] * 60;
        if minute < self.open.len() && self.open[minute] {
            seconds += offset % 60;
        }
        seconds
    }

    fn open_seconds(&self, from: Instant, to: Instant) -> i64 {
        if to <= from {
            return 0;
        }
        self.open_until(to) - self.open_until(from)
    }

    fn next_open(&self, instant: Instant) -> Option<Instant> {
        let mut minute = ((instant - self.start) / 60) as usize;
        if self.open.get(minute) == Some(&true) {
            return Some(instant);
        }
        minute += 1;
        while minute < self.open.len() {
            if self.open[minute] {
                return Some(self.start + minute as i64 * 60);
            }
            minute += 1;
        }
        None
    }

    fn is_open_day(&self, day: i64) -> bool {
        let zone = self.scenario.zone;
        self.scenario.windows_on(day).iter().any(|(from, to)| {
            reference_first_instant(zone, day * DAY + from * 60)
                < reference_first_instant(zone, day * DAY + to * 60)
        })
    }

    /// Computes the due instant of `days` business days. Returns `None` when it falls outside
    /// the range.
    fn business_days_due(&self, start: Instant, days: u32) -> Option<Instant> {
        let zone = self.scenario.zone;
        let open = self.next_open(start)?;
        let owner = self
            .intervals
            .iter()
            .find(|(from, to, _)| *from <= open && open < *to)
            .map(|(_, _, day)| *day)?;
        let clock = open + offset_at(zone, open) - owner * DAY;
        let mut day = owner;
        let mut counted = 0;
        while counted < days {
            day += 1;
            if day > self.scenario.first_day + DAYS + 1 {
                return None;
            }
            if self.is_open_day(day) {
                counted += 1;
            }
        }
        let candidate = reference_first_instant(zone, day * DAY + clock);
        if candidate >= self.end() {
            return None;
        }
        self.next_open(candidate)
    }
}

fn instant_of(reference: &Reference, (offset, on_minute): (i64, bool)) -> Instant {
    let offset = if on_minute { offset / 60 * 60 } else { offset };
    reference.start + offset
}

fn check(calendar: &Calendar, reference: &Reference, raw: &Raw) -> Result<(), TestCaseError> {
    let instants: Vec<Instant> = raw
        .instants
        .iter()
        .map(|instant| instant_of(reference, *instant))
        .collect();

    for &from in &instants {
        for &to in &instants {
            let open = calendar.open_seconds(from, to);
            prop_assert_eq!(
                open,
                reference.open_seconds(from, to),
                "open_seconds({}, {})",
                from,
                to
            );
            prop_assert!(open >= 0);
        }
    }

    let mut sorted = instants.clone();
    sorted.sort_unstable();
    for triple in sorted.windows(3) {
        let (a, b, c) = (triple[0], triple[1], triple[2]);
        prop_assert_eq!(
            calendar.open_seconds(a, c),
            calendar.open_seconds(a, b) + calendar.open_seconds(b, c),
            "additivity over {} ≤ {} ≤ {}",
            a,
            b,
            c
        );
        prop_assert!(calendar.open_seconds(a, b) <= calendar.open_seconds(a, c));
    }

    for &(offset, amount) in &raw.targets {
        let start = reference.start + offset;
        let available = reference.open_seconds(start, reference.end());
        let target = i64::from(amount) % (available + 1);
        let due = calendar.due(start, BusinessDuration::Open(target));
        prop_assert!(due >= start);
        prop_assert!(
            due <= reference.end(),
            "due {} for {} from {}",
            due,
            target,
            start
        );
        prop_assert_eq!(
            reference.open_seconds(start, due),
            target,
            "due({}, {})",
            start,
            target
        );
        if target > 0 {
            prop_assert!(
                reference.open_seconds(start, due - 1) < target,
                "due({}, {}) = {} is not the earliest",
                start,
                target,
                due
            );
        } else {
            prop_assert_eq!(due, start);
        }
    }

    for &instant in &instants {
        if let Some(expected) = reference.next_open(instant) {
            prop_assert_eq!(
                calendar.next_open(instant),
                expected,
                "next_open({})",
                instant
            );
        }
    }

    for &(offset, days) in &raw.business_days {
        let start = reference.start + offset;
        if let Some(expected) = reference.business_days_due(start, days) {
            prop_assert_eq!(
                calendar.due(start, BusinessDuration::BusinessDays(days)),
                expected,
                "{}bd from {}",
                days,
                start
            );
        }
    }

    let (from, to) = (sorted[0], sorted[sorted.len() - 1]);
    let spans = calendar.spans(from, to);
    let mut cursor = from;
    let mut open = 0;
    for (index, span) in spans.iter().enumerate() {
        prop_assert_eq!(span.start, cursor);
        prop_assert!(span.end > span.start);
        if index > 0 {
            prop_assert_ne!(span.kind, spans[index - 1].kind);
        }
        match span.kind {
            SpanKind::Open => open += span.end - span.start,
            SpanKind::Holiday => {
                let zone = reference.scenario.zone;
                for instant in [span.start, span.end - 1] {
                    let day = (instant + offset_at(zone, instant)).div_euclid(DAY);
                    prop_assert!(reference.scenario.holidays.contains(&day));
                }
            }
            SpanKind::ClosedHours => {}
        }
        for instant in [span.start, span.end - 1] {
            prop_assert_eq!(
                reference.next_open(instant) == Some(instant),
                span.kind == SpanKind::Open
            );
        }
        cursor = span.end;
    }
    if from < to {
        prop_assert_eq!(cursor, to);
    }
    prop_assert_eq!(open, calendar.open_seconds(from, to));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn calendar_matches_minute_reference(raw in raw()) {
        let scenario = Scenario::new(&raw);
        let reference = Reference::new(&scenario);
        let rules = scenario.rules();
        let covering = Calendar::business(scenario.zone, rules.clone(), raw.first_day - 2, raw.first_day + DAYS + 1);
        check(&covering, &reference, &raw)?;
        let partial = Calendar::business(scenario.zone, rules, raw.first_day + 7, raw.first_day + 9);
        check(&partial, &reference, &raw)?;
    }
}
