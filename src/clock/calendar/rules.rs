//! The open hours of one calendar as written in `[calendars.NAME]`: weekly windows, holidays
//! and half days, parsed and checked for overlaps.
//!
//! Everything here is in local wall-clock time and day numbers. Turning windows into instants
//! is the job of the table module.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::{Datelike, NaiveDate};

use crate::clock::ics::{self, YearlyRule};
use crate::config::{CalendarConfig, Config, Hours};
use crate::time::DAY;

use super::CalendarError;

/// The expected window syntax, quoted in messages.
const WINDOW_SYNTAX: &str = "expected HH:MM-HH:MM such as \"09:00-17:00\"";

/// Weekday names in the order of `Weekday::num_days_from_monday`.
const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

const FULL_DAY_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// An open window in local wall-clock time: seconds from the local midnight of the day the
/// window belongs to. `end` is greater than `start` and passes `DAY` for an overnight window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    pub start: i64,
    pub end: i64,
}

/// A window with the text and key it was read from, for messages.
#[derive(Debug, Clone)]
struct SourcedWindow {
    window: Window,
    text: String,
    key: String,
}

/// The parsed open hours of a calendar: weekly windows, half days and holidays.
#[derive(Debug, Clone)]
pub(crate) struct Rules {
    /// Windows of each weekday, Monday first, sorted by start.
    weekly: [Vec<Window>; 7],
    /// Day number → the windows that replace the weekly ones on that day.
    half_days: BTreeMap<i64, Vec<Window>>,
    /// Day numbers closed by a holiday from the config or a holiday file.
    holiday_days: BTreeSet<i64>,
    /// Recurring holidays without an end, from holiday files.
    holiday_rules: Vec<YearlyRule>,
}

impl Rules {
    /// Returns the windows that start on a day, after holidays and half days.
    pub fn windows_on(&self, day: i64) -> &[Window] {
        if let Some(windows) = self.half_days.get(&day) {
            return windows;
        }
        if self.is_holiday(day) {
            return &[];
        }
        &self.weekly[weekday_of(day)]
    }

    /// Whether a holiday closes the day. A half day is never a holiday, because its own
    /// windows replace the holiday's.
    pub fn is_holiday(&self, day: i64) -> bool {
        if self.half_days.contains_key(&day) {
            return false;
        }
        if self.holiday_days.contains(&day) {
            return true;
        }
        if self.holiday_rules.is_empty() {
            return false;
        }
        let date = date_of_day(day);
        self.holiday_rules.iter().any(|rule| rule.covers(date))
    }
}

/// Days since 1970-01-01 of a date.
pub(crate) fn day_of_date(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - i64::from(EPOCH_DAYS_FROM_CE)
}

/// Converts a day number to its date; dates outside chrono's range saturate at its ends.
pub(crate) fn date_of_day(day: i64) -> NaiveDate {
    let days = day.saturating_add(i64::from(EPOCH_DAYS_FROM_CE));
    let days = i32::try_from(days).unwrap_or(if days < 0 { i32::MIN } else { i32::MAX });
    NaiveDate::from_num_days_from_ce_opt(days).unwrap_or(if days < 0 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    })
}

/// Monday = 0 … Sunday = 6; 1970-01-01 was a Thursday.
fn weekday_of(day: i64) -> usize {
    (day + 3).rem_euclid(7) as usize
}

/// `NaiveDate::from_ymd(1970, 1, 1).num_days_from_ce()`.
const EPOCH_DAYS_FROM_CE: i32 = 719_163;

/// Reads the open hours, holidays and half days of a calendar. Returns the rules and the
/// warnings about the config.
pub(crate) fn parse(
    name: &str,
    config: &CalendarConfig,
    project_dir: &Path,
) -> Result<(Rules, Vec<String>), CalendarError> {
    let error = |message: String| CalendarError {
        name: name.to_string(),
        message,
    };
    let mut warnings = Vec::new();

    let weekly_sourced = match &config.hours {
        Hours::Always => std::array::from_fn(|_| {
            vec![SourcedWindow {
                window: Window { start: 0, end: DAY },
                text: "00:00-24:00".to_string(),
                key: "hours".to_string(),
            }]
        }),
        Hours::Weekly(days) => parse_weekly(days, &mut warnings).map_err(error)?,
    };
    if weekly_sourced.iter().all(Vec::is_empty) {
        return Err(error(
            "hours has no open window: expected at least one day with windows such as mon-fri = \"09:00-17:00\"".to_string(),
        ));
    }
    check_weekly_overlaps(&weekly_sourced).map_err(error)?;

    let mut holiday_days = BTreeSet::new();
    for date in &config.holidays {
        holiday_days.insert(day_of_date(date.0));
    }

    let mut half_days_sourced = BTreeMap::new();
    for (date, text) in &config.half_days {
        let key = format!("half_days.\"{date}\"");
        if holiday_days.contains(&day_of_date(date.0)) {
            return Err(error(format!(
                "{date} is both in holidays and in half_days: expected a date in one of them only; remove it from holidays to keep its half-day hours"
            )));
        }
        let windows = parse_windows(text, &key, &mut warnings).map_err(error)?;
        if windows.is_empty() {
            return Err(error(format!(
                "{key} has no window: expected windows such as \"09:00-13:00\", or list the date in holidays to close the whole day"
            )));
        }
        check_day_overlaps(&windows, &key).map_err(error)?;
        half_days_sourced.insert(day_of_date(date.0), windows);
    }

    let mut holiday_rules = Vec::new();
    for file in &config.holiday_files {
        let path = Config::resolve(project_dir, file);
        let holidays = ics::read(&path)
            .map_err(|source| error(format!("invalid holiday file in holiday_files: {source}")))?;
        warnings.extend(holidays.warnings.iter().map(ToString::to_string));
        for date in holidays.dates {
            holiday_days.insert(day_of_date(date));
        }
        holiday_rules.extend(holidays.rules);
    }

    let weekly =
        std::array::from_fn(|weekday| weekly_sourced[weekday].iter().map(|w| w.window).collect());
    let half_days: BTreeMap<i64, Vec<Window>> = half_days_sourced
        .iter()
        .map(|(day, windows)| (*day, windows.iter().map(|w| w.window).collect()))
        .collect();
    let rules = Rules {
        weekly,
        half_days,
        holiday_days,
        holiday_rules,
    };

    for (&day, windows) in &half_days_sourced {
        let date = date_of_day(day);
        if rules.holiday_days.contains(&day)
            || rules.holiday_rules.iter().any(|rule| rule.covers(date))
        {
            warnings.push(format!(
                "half day {date} is also a holiday in holiday_files; its half-day hours apply"
            ));
        }
        let before = sourced_windows_on(&rules, &weekly_sourced, &half_days_sourced, day - 1);
        check_spill(&before, windows).map_err(error)?;
        let after = sourced_windows_on(&rules, &weekly_sourced, &half_days_sourced, day + 1);
        check_spill(windows, &after).map_err(error)?;
    }
    let warnings = warnings
        .into_iter()
        .map(|warning| format!("calendar `{name}`: {warning}"))
        .collect();
    Ok((rules, warnings))
}

/// Returns the windows of a day with their sources, for overlap messages.
fn sourced_windows_on(
    rules: &Rules,
    weekly: &[Vec<SourcedWindow>; 7],
    half_days: &BTreeMap<i64, Vec<SourcedWindow>>,
    day: i64,
) -> Vec<SourcedWindow> {
    if let Some(windows) = half_days.get(&day) {
        return windows.clone();
    }
    if rules.is_holiday(day) {
        return Vec::new();
    }
    weekly[weekday_of(day)].clone()
}

/// Parses `hours = { mon-fri = "…", sat = "…" }` into windows per weekday.
fn parse_weekly(
    days: &BTreeMap<String, String>,
    warnings: &mut Vec<String>,
) -> Result<[Vec<SourcedWindow>; 7], String> {
    let mut weekly: [Vec<SourcedWindow>; 7] = Default::default();
    let mut owner: [Option<&str>; 7] = [None; 7];
    for (spec, text) in days {
        let key = format!("hours.{spec}");
        let weekdays = parse_day_spec(spec)?;
        let windows = parse_windows(text, &key, warnings)?;
        if windows.is_empty() {
            return Err(format!(
                "{key} has no window: expected windows such as \"09:00-17:00\", or leave the day out to close it"
            ));
        }
        for weekday in weekdays {
            if let Some(first) = owner[weekday] {
                return Err(format!(
                    "{} is in both hours.{first} and hours.{spec}: expected each day in one key only",
                    DAY_NAMES[weekday]
                ));
            }
            owner[weekday] = Some(spec);
            weekly[weekday] = windows.clone();
        }
    }
    Ok(weekly)
}

/// Parses a day spec: `mon`, `mon-fri`, `fri-mon` (a range may wrap past Sunday),
/// `mon,wed`, `daily`, or a list of these. Returns weekday numbers, Monday = 0.
fn parse_day_spec(spec: &str) -> Result<Vec<usize>, String> {
    let expected = "expected mon, tue, wed, thu, fri, sat or sun, a range such as mon-fri, a list such as mon,wed, or daily";
    let mut days = Vec::new();
    for part in spec.split(',') {
        let part = part.trim().to_ascii_lowercase();
        if part == "daily" {
            days.extend(0..7);
            continue;
        }
        let (first, last) = match part.split_once('-') {
            Some((first, last)) => (first.trim(), last.trim()),
            None => (part.as_str(), part.as_str()),
        };
        let day = |name: &str| {
            weekday_number(name).ok_or_else(|| match close_day_name(name) {
                Some(close) => {
                    format!("invalid day `{name}` in hours key `{spec}`; did you mean `{close}`?")
                }
                None => format!("invalid day `{name}` in hours key `{spec}`: {expected}"),
            })
        };
        let (first, last) = (day(first)?, day(last)?);
        let mut weekday = first;
        loop {
            days.push(weekday);
            if weekday == last {
                break;
            }
            weekday = (weekday + 1) % 7;
        }
    }
    let mut seen = [false; 7];
    for &day in &days {
        if seen[day] {
            return Err(format!(
                "day `{}` appears twice in hours key `{spec}`: expected each day once",
                DAY_NAMES[day]
            ));
        }
        seen[day] = true;
    }
    Ok(days)
}

/// Finds a day name one edit away from `name`, such as `tue` for `tues`.
fn close_day_name(name: &str) -> Option<&'static str> {
    DAY_NAMES
        .iter()
        .chain(FULL_DAY_NAMES.iter())
        .chain(["daily"].iter())
        .find(|candidate| strsim::levenshtein(name, candidate) <= 1)
        .copied()
}

fn weekday_number(name: &str) -> Option<usize> {
    DAY_NAMES
        .iter()
        .position(|day| *day == name)
        .or_else(|| FULL_DAY_NAMES.iter().position(|day| *day == name))
}

/// Parses comma-separated windows such as `08:00-12:00, 13:00-17:00`, sorted by start.
/// An end of 23:59 adds a warning because it leaves the last minute of the day closed.
fn parse_windows(
    text: &str,
    key: &str,
    warnings: &mut Vec<String>,
) -> Result<Vec<SourcedWindow>, String> {
    let mut windows = Vec::new();
    for part in text.split(',') {
        let part = part.trim();
        if part.is_empty() && text.trim().is_empty() {
            break;
        }
        let window = parse_window(part).map_err(|reason| match reason {
            Some(reason) => format!("invalid window `{part}` in {key}: {reason}"),
            None => format!("invalid window `{part}` in {key}: {WINDOW_SYNTAX}"),
        })?;
        if window.end % DAY == DAY - 60 {
            warnings.push(format!(
                "window `{part}` in {key} ends at 23:59, which leaves 23:59-24:00 closed; write 24:00 to stay open until midnight"
            ));
        }
        windows.push(SourcedWindow {
            window,
            text: part.to_string(),
            key: key.to_string(),
        });
    }
    windows.sort_by_key(|w| w.window.start);
    Ok(windows)
}

/// Parses one `HH:MM-HH:MM` window. An end before the start means the window runs past
/// midnight into the next day. The error carries a reason when the syntax was right but the
/// window is not.
fn parse_window(text: &str) -> Result<Window, Option<String>> {
    let (start, end) = text.split_once('-').ok_or(None)?;
    let start = parse_time(start.trim()).ok_or(None)?;
    let end = parse_time(end.trim()).ok_or(None)?;
    if start == DAY {
        return Err(Some(
            "24:00 can only end a window; write 00:00 to start at midnight".to_string(),
        ));
    }
    if end == start {
        return Err(Some(
            "the window is empty: expected an end that differs from the start, such as \"00:00-24:00\" for a whole day".to_string(),
        ));
    }
    let end = if end < start { end + DAY } else { end };
    Ok(Window { start, end })
}

/// Parses `HH:MM` with two-digit hours 00–24 and minutes 00–59; `24:00` is the only time
/// with hour 24. Returns seconds since midnight.
fn parse_time(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.len() != 5 || bytes[2] != b':' {
        return None;
    }
    let digits = [bytes[0], bytes[1], bytes[3], bytes[4]];
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let hour = i64::from((digits[0] - b'0') * 10 + (digits[1] - b'0'));
    let minute = i64::from((digits[2] - b'0') * 10 + (digits[3] - b'0'));
    if minute > 59 || hour > 24 || (hour == 24 && minute != 0) {
        return None;
    }
    Some(hour * 3_600 + minute * 60)
}

/// Rejects overlapping windows within each weekday and an overnight window that runs into
/// the next weekday's windows.
fn check_weekly_overlaps(weekly: &[Vec<SourcedWindow>; 7]) -> Result<(), String> {
    for (weekday, windows) in weekly.iter().enumerate() {
        check_day_overlaps(windows, DAY_NAMES[weekday])?;
        check_spill(windows, &weekly[(weekday + 1) % 7])?;
    }
    Ok(())
}

/// Rejects overlapping windows of one day; `windows` are sorted by start.
fn check_day_overlaps(windows: &[SourcedWindow], day: &str) -> Result<(), String> {
    for pair in windows.windows(2) {
        if pair[1].window.start < pair[0].window.end {
            return Err(format!(
                "windows `{}` and `{}` overlap on {day} in {}: expected windows that do not overlap",
                pair[0].text, pair[1].text, pair[0].key
            ));
        }
    }
    Ok(())
}

/// Rejects an overnight window of one day that runs into a window of the next day.
fn check_spill(day: &[SourcedWindow], next_day: &[SourcedWindow]) -> Result<(), String> {
    for late in day.iter().filter(|w| w.window.end > DAY) {
        for early in next_day {
            if early.window.start < late.window.end - DAY {
                return Err(format!(
                    "overnight window `{}` in {} runs into window `{}` of the next day in {}: expected windows that do not overlap",
                    late.text, late.key, early.text, early.key
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_accepts_midnight_end_only_as_24_00() {
        assert_eq!(parse_time("24:00"), Some(DAY));
        assert_eq!(parse_time("00:00"), Some(0));
        assert_eq!(parse_time("23:59"), Some(DAY - 60));
        assert_eq!(parse_time("24:01"), None);
        assert_eq!(parse_time("25:00"), None);
        assert_eq!(parse_time("12:60"), None);
        assert_eq!(parse_time("9:00"), None);
        assert_eq!(parse_time("09:00:00"), None);
    }

    #[test]
    fn day_spec_ranges_lists_and_daily() {
        assert_eq!(parse_day_spec("mon-fri").unwrap(), vec![0, 1, 2, 3, 4]);
        assert_eq!(parse_day_spec("mon,wed").unwrap(), vec![0, 2]);
        assert_eq!(parse_day_spec("daily").unwrap(), (0..7).collect::<Vec<_>>());
        assert_eq!(parse_day_spec("fri-mon").unwrap(), vec![4, 5, 6, 0]);
        assert_eq!(parse_day_spec("Sat").unwrap(), vec![5]);
        assert_eq!(parse_day_spec("sunday").unwrap(), vec![6]);
        assert_eq!(parse_day_spec("mon-wed, fri").unwrap(), vec![0, 1, 2, 4]);
    }

    #[test]
    fn day_spec_rejects_unknown_and_repeated_days() {
        assert_eq!(
            parse_day_spec("tues-fri").unwrap_err(),
            "invalid day `tues` in hours key `tues-fri`; did you mean `tue`?"
        );
        assert_eq!(
            parse_day_spec("weekdays").unwrap_err(),
            "invalid day `weekdays` in hours key `weekdays`: expected mon, tue, wed, thu, fri, sat or sun, a range such as mon-fri, a list such as mon,wed, or daily"
        );
        assert_eq!(
            parse_day_spec("mnday").unwrap_err(),
            "invalid day `mnday` in hours key `mnday`; did you mean `monday`?"
        );
        assert_eq!(
            parse_day_spec("mon-fri,wed").unwrap_err(),
            "day `wed` appears twice in hours key `mon-fri,wed`: expected each day once"
        );
    }

    #[test]
    fn window_past_midnight_ends_next_day() {
        assert_eq!(
            parse_window("21:00-02:00"),
            Ok(Window {
                start: 21 * 3_600,
                end: 26 * 3_600
            })
        );
        assert_eq!(
            parse_window("00:00-24:00"),
            Ok(Window { start: 0, end: DAY })
        );
        assert!(parse_window("24:00-02:00").unwrap_err().is_some());
        assert!(parse_window("09:00-09:00").unwrap_err().is_some());
        assert_eq!(parse_window("9:00-17"), Err(None));
    }

    #[test]
    fn window_ending_23_59_warns() {
        let mut warnings = Vec::new();
        parse_windows("08:00-23:59", "hours.daily", &mut warnings).unwrap();
        assert_eq!(
            warnings,
            vec!["window `08:00-23:59` in hours.daily ends at 23:59, which leaves 23:59-24:00 closed; write 24:00 to stay open until midnight"]
        );
    }

    #[test]
    fn day_numbers_round_trip() {
        let date = NaiveDate::from_ymd_opt(2024, 12, 25).unwrap();
        assert_eq!(day_of_date(NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()), 0);
        assert_eq!(date_of_day(day_of_date(date)), date);
        assert_eq!(
            weekday_of(day_of_date(date)),
            2,
            "2024-12-25 is a Wednesday"
        );
    }
}
