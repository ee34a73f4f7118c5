//! Holiday files in iCalendar format (RFC 5545, `.ics`), as listed in a calendar's
//! `holiday_files`.
//!
//! Each `VEVENT` is a holiday of one or more whole days:
//!
//! - `DTSTART;VALUE=DATE:20261225` gives the first day (a bare `DTSTART:20261225` is read the
//!   same way). An event with a time of day is rejected, because a holiday closes whole days.
//! - `DTEND;VALUE=DATE:…` is the day after the last one (exclusive), or `DURATION:P2D` /
//!   `P1W` gives the length. Without either the holiday is one day.
//! - `RRULE:FREQ=YEARLY` repeats it every year, with optional `INTERVAL`, `COUNT` or `UNTIL`.
//!   `BYMONTH` with `BYMONTHDAY` may restate the date of `DTSTART`, and `BYMONTH` with an
//!   ordinal `BYDAY` such as `4TH` or `-1MO` gives a weekday of the month (Thanksgiving is
//!   `FREQ=YEARLY;BYMONTH=11;BYDAY=4TH`). `EXDATE;VALUE=DATE:…` removes occurrences, and
//!   `STATUS:CANCELLED` drops the event.
//! - Long lines folded onto continuation lines (starting with a space or tab) are unfolded.
//!
//! Descriptive properties (`SUMMARY`, `UID`, `DTSTAMP`, …) and `X-` extensions are read and
//! have no effect. `VTIMEZONE` and `VALARM` components are skipped because all-day dates
//! have no zone and alarms do not change dates. Any other component or unknown property is
//! reported as a warning with its line. Anything that would change which days are holidays
//! but is not supported (other frequencies, `RDATE`, `RECURRENCE-ID`, other `BY` parts) is an
//! error with its file and line.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// The holidays read from one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HolidayFile {
    /// Every day of every holiday that ends, sorted; recurrences with `COUNT` or `UNTIL`
    /// are expanded here.
    pub dates: Vec<NaiveDate>,
    /// Holidays that recur every year without an end.
    pub rules: Vec<YearlyRule>,
    pub warnings: Vec<IcsWarning>,
}

/// A holiday file that cannot be read or used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IcsError {
    #[error("failed to read {}: {message}", path.display())]
    Read { path: PathBuf, message: String },
    #[error("{}:{line}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

/// Something in a holiday file that was skipped; the file is still used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsWarning {
    pub path: PathBuf,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for IcsWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.path.display(), self.line, self.message)
    }
}

/// A holiday that recurs every `interval` years from `first`, without an end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearlyRule {
    first: NaiveDate,
    pattern: YearlyDate,
    interval: i32,
    /// Length of each occurrence in days.
    days: u64,
    excluded: BTreeSet<NaiveDate>,
}

impl YearlyRule {
    /// Whether one of the rule's occurrences covers `date`.
    pub fn covers(&self, date: NaiveDate) -> bool {
        let years_back = ((self.days - 1) / 365 + 1) as i32;
        (date.year() - years_back..=date.year()).any(|year| {
            self.occurrence(year).is_some_and(|start| {
                start <= date
                    && date
                        < start
                            .checked_add_days(Days::new(self.days))
                            .unwrap_or(NaiveDate::MAX)
            })
        })
    }

    /// Returns the start of the occurrence in `year`, if the rule has one there.
    fn occurrence(&self, year: i32) -> Option<NaiveDate> {
        if year < self.first.year() || (year - self.first.year()) % self.interval != 0 {
            return None;
        }
        self.pattern
            .in_year(year)
            .filter(|start| *start >= self.first && !self.excluded.contains(start))
    }
}

/// The rule that places a yearly holiday in each year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum YearlyDate {
    /// The same month and day; years without that day (29 February) are skipped.
    MonthDay { month: u32, day: u32 },
    /// The `nth` weekday of a month, counted from its end when negative.
    NthWeekday {
        month: u32,
        nth: i8,
        weekday: Weekday,
    },
}

impl YearlyDate {
    fn in_year(self, year: i32) -> Option<NaiveDate> {
        match self {
            YearlyDate::MonthDay { month, day } => NaiveDate::from_ymd_opt(year, month, day),
            YearlyDate::NthWeekday {
                month,
                nth,
                weekday,
            } => {
                if nth > 0 {
                    NaiveDate::from_weekday_of_month_opt(year, month, weekday, nth as u8)
                } else {
                    let next_month = if month == 12 {
                        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
                    } else {
                        NaiveDate::from_ymd_opt(year, month + 1, 1)?
                    };
                    let last = next_month.pred_opt()?;
                    let back = (7 + last.weekday().num_days_from_monday()
                        - weekday.num_days_from_monday())
                        % 7;
                    let date =
                        last - Days::new(u64::from(back) + 7 * u64::from(nth.unsigned_abs() - 1));
                    (date.month() == month).then_some(date)
                }
            }
        }
    }
}

/// The last year a recurrence is expanded to.
const LAST_YEAR: i32 = 9999;

/// Reads a holiday file.
pub fn read(path: &Path) -> Result<HolidayFile, IcsError> {
    let bytes = std::fs::read(path).map_err(|error| IcsError::Read {
        path: path.to_path_buf(),
        message: error.to_string(),
    })?;
    let text = std::str::from_utf8(&bytes).map_err(|error| {
        let line = bytes[..error.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        IcsError::Invalid {
            path: path.to_path_buf(),
            line,
            message: "the file is not valid UTF-8: expected an iCalendar file in UTF-8".to_string(),
        }
    })?;
    parse(text, path)
}

/// Parses the text of a holiday file; `path` is used in messages only.
pub fn parse(text: &str, path: &Path) -> Result<HolidayFile, IcsError> {
    let mut parser = Parser {
        path,
        file: HolidayFile::default(),
        dates: BTreeSet::new(),
    };
    parser.run(text)?;
    let mut file = parser.file;
    file.dates = parser.dates.into_iter().collect();
    Ok(file)
}

/// One unfolded content line: `NAME;PARAM=VALUE:value`.
struct ContentLine {
    line: usize,
    name: String,
    params: Vec<(String, String)>,
    value: String,
}

impl ContentLine {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// The properties of a `VEVENT` that decide its dates.
#[derive(Default)]
struct EventDraft {
    line: usize,
    start: Option<(NaiveDate, usize)>,
    end: Option<(NaiveDate, usize)>,
    duration: Option<(u64, usize)>,
    rule: Option<(String, usize)>,
    excluded: BTreeSet<NaiveDate>,
    cancelled: bool,
}

/// Properties that describe an event without changing its dates.
const DESCRIPTIVE: &[&str] = &[
    "SUMMARY",
    "DESCRIPTION",
    "UID",
    "DTSTAMP",
    "CREATED",
    "LAST-MODIFIED",
    "SEQUENCE",
    "CLASS",
    "TRANSP",
    "CATEGORIES",
    "LOCATION",
    "URL",
    "COMMENT",
    "ORGANIZER",
    "ATTENDEE",
    "PRIORITY",
    "GEO",
    "CONTACT",
    "ATTACH",
    "RELATED-TO",
    "RESOURCES",
];

struct Parser<'a> {
    path: &'a Path,
    file: HolidayFile,
    dates: BTreeSet<NaiveDate>,
}

enum State {
    Outside,
    Calendar,
    Event(Box<EventDraft>),
    /// Inside a component that is skipped, with the names and lines of the components open
    /// inside it and the state to return to.
    Skipping(Vec<(String, usize)>, Box<State>),
}

impl Parser<'_> {
    fn invalid(&self, line: usize, message: String) -> IcsError {
        IcsError::Invalid {
            path: self.path.to_path_buf(),
            line,
            message,
        }
    }

    fn warn(&mut self, line: usize, message: String) {
        self.file.warnings.push(IcsWarning {
            path: self.path.to_path_buf(),
            line,
            message,
        });
    }

    fn run(&mut self, text: &str) -> Result<(), IcsError> {
        let lines = unfold(text.strip_prefix('\u{feff}').unwrap_or(text)).map_err(|line| {
            self.invalid(
                line,
                "a continuation line (starting with a space) has no line to continue".to_string(),
            )
        })?;
        let mut state = State::Outside;
        let mut calendars = 0;
        for (line, text) in lines {
            let content = split_content_line(line, &text).ok_or_else(|| {
                self.invalid(
                    line,
                    format!("invalid line `{text}`: expected NAME:VALUE such as DTSTART;VALUE=DATE:20261225"),
                )
            })?;
            state = self.step(state, content, &mut calendars)?;
        }
        match state {
            State::Outside if calendars > 0 => Ok(()),
            State::Outside => Err(self.invalid(
                1,
                "no BEGIN:VCALENDAR found: expected an iCalendar file".to_string(),
            )),
            State::Calendar => Err(self.invalid(
                text.lines().count().max(1),
                "missing END:VCALENDAR at the end of the file".to_string(),
            )),
            State::Event(event) => Err(self.invalid(
                event.line,
                "missing END:VEVENT for the event that begins here".to_string(),
            )),
            State::Skipping(open, _) => {
                let (name, line) = open.last().cloned().unwrap_or_default();
                Err(self.invalid(
                    line,
                    format!("missing END:{name} for the component that begins here"),
                ))
            }
        }
    }

    fn step(
        &mut self,
        state: State,
        content: ContentLine,
        calendars: &mut usize,
    ) -> Result<State, IcsError> {
        let line = content.line;
        let value = content.value.trim().to_ascii_uppercase();
        match state {
            State::Skipping(mut open, back) => {
                if content.name == "BEGIN" {
                    open.push((value, line));
                } else if content.name == "END"
                    && open.last().is_some_and(|(name, _)| *name == value)
                {
                    open.pop();
                    if open.is_empty() {
                        return Ok(*back);
                    }
                }
                Ok(State::Skipping(open, back))
            }
            State::Outside => {
                if content.name == "BEGIN" && value == "VCALENDAR" {
                    *calendars += 1;
                    Ok(State::Calendar)
                } else {
                    Err(self.invalid(
                        line,
                        format!(
                            "unexpected `{}` outside a calendar: expected BEGIN:VCALENDAR",
                            content.name
                        ),
                    ))
                }
            }
            State::Calendar => match content.name.as_str() {
                "END" if value == "VCALENDAR" => Ok(State::Outside),
                "BEGIN" if value == "VEVENT" => Ok(State::Event(Box::new(EventDraft {
                    line,
                    ..EventDraft::default()
                }))),
                "BEGIN" => {
                    if value != "VTIMEZONE" {
                        self.warn(
                            line,
                            format!("ignored component {value}: only VEVENT holidays are read"),
                        );
                    }
                    Ok(State::Skipping(
                        vec![(value, line)],
                        Box::new(State::Calendar),
                    ))
                }
                "CALSCALE" if value != "GREGORIAN" => Err(self.invalid(
                    line,
                    format!(
                        "unsupported CALSCALE `{}`: expected GREGORIAN",
                        content.value
                    ),
                )),
                "VERSION" | "PRODID" | "METHOD" | "CALSCALE" => Ok(State::Calendar),
                name if name.starts_with("X-") => Ok(State::Calendar),
                name => {
                    self.warn(line, format!("ignored calendar property `{name}`"));
                    Ok(State::Calendar)
                }
            },
            State::Event(mut event) => {
                match content.name.as_str() {
                    "END" if value == "VEVENT" => {
                        self.finish_event(*event)?;
                        return Ok(State::Calendar);
                    }
                    "BEGIN" => {
                        if value != "VALARM" {
                            self.warn(line, format!("ignored component {value} inside an event"));
                        }
                        return Ok(State::Skipping(
                            vec![(value, line)],
                            Box::new(State::Event(event)),
                        ));
                    }
                    _ => self.read_event_property(&mut event, &content)?,
                }
                Ok(State::Event(event))
            }
        }
    }

    fn read_event_property(
        &mut self,
        event: &mut EventDraft,
        content: &ContentLine,
    ) -> Result<(), IcsError> {
        let line = content.line;
        let once = |seen: bool| {
            if seen {
                Err(self.invalid(
                    line,
                    format!(
                        "{} appears twice in one event: expected it once",
                        content.name
                    ),
                ))
            } else {
                Ok(())
            }
        };
        match content.name.as_str() {
            "DTSTART" => {
                once(event.start.is_some())?;
                event.start = Some((self.read_date(content)?, line));
            }
            "DTEND" => {
                once(event.end.is_some())?;
                event.end = Some((self.read_date(content)?, line));
            }
            "DURATION" => {
                once(event.duration.is_some())?;
                let days = parse_day_duration(content.value.trim()).ok_or_else(|| {
                    self.invalid(
                        line,
                        format!(
                            "unsupported DURATION `{}`: expected whole days or weeks such as P1D or P2W",
                            content.value
                        ),
                    )
                })?;
                event.duration = Some((days, line));
            }
            "RRULE" => {
                once(event.rule.is_some())?;
                event.rule = Some((content.value.trim().to_string(), line));
            }
            "EXDATE" => {
                for part in content.value.split(',') {
                    let date = self.read_date(&ContentLine {
                        line,
                        name: "EXDATE".to_string(),
                        params: content.params.clone(),
                        value: part.to_string(),
                    })?;
                    event.excluded.insert(date);
                }
            }
            "STATUS" => event.cancelled = content.value.trim().eq_ignore_ascii_case("CANCELLED"),
            "RDATE" | "EXRULE" | "RECURRENCE-ID" => {
                return Err(self.invalid(
                    line,
                    format!(
                        "unsupported property {}: expected DTSTART with an optional RRULE:FREQ=YEARLY and EXDATE",
                        content.name
                    ),
                ));
            }
            name if name.starts_with("X-") || DESCRIPTIVE.contains(&name) => {}
            name => self.warn(line, format!("ignored event property `{name}`")),
        }
        Ok(())
    }

    /// Reads an all-day date value such as `20261225`.
    fn read_date(&self, content: &ContentLine) -> Result<NaiveDate, IcsError> {
        let value = content.value.trim();
        let timed = content
            .param("VALUE")
            .is_some_and(|kind| !kind.eq_ignore_ascii_case("DATE"))
            || value.contains('T');
        if timed {
            return Err(self.invalid(
                content.line,
                format!(
                    "{} `{value}` has a time of day: only all-day events such as {};VALUE=DATE:20261225 are supported",
                    content.name, content.name
                ),
            ));
        }
        parse_date(value).ok_or_else(|| {
            self.invalid(
                content.line,
                format!(
                    "invalid {} `{value}`: expected a date YYYYMMDD such as 20261225",
                    content.name
                ),
            )
        })
    }

    fn finish_event(&mut self, event: EventDraft) -> Result<(), IcsError> {
        let (start, _) = event.start.ok_or_else(|| {
            self.invalid(
                event.line,
                "the event has no DTSTART: expected DTSTART;VALUE=DATE:YYYYMMDD".to_string(),
            )
        })?;
        let days = match (event.end, event.duration) {
            (Some(_), Some((_, line))) => {
                return Err(self.invalid(
                    line,
                    "the event has both DTEND and DURATION: expected one of them".to_string(),
                ));
            }
            (Some((end, line)), None) => {
                let days = (end - start).num_days();
                if days < 1 {
                    return Err(self.invalid(
                        line,
                        format!(
                            "DTEND {} is not after DTSTART {}: DTEND is the day after the last day of the holiday",
                            end.format("%Y%m%d"),
                            start.format("%Y%m%d")
                        ),
                    ));
                }
                days as u64
            }
            (None, Some((days, _))) => days,
            (None, None) => 1,
        };
        if event.cancelled {
            return Ok(());
        }
        let Some((text, line)) = event.rule else {
            if !event.excluded.contains(&start) {
                self.add_days(start, days);
            }
            return Ok(());
        };
        let recurrence = parse_rule(&text, start).map_err(|message| self.invalid(line, message))?;
        let rule = YearlyRule {
            first: start,
            pattern: recurrence.pattern,
            interval: recurrence.interval,
            days,
            excluded: event.excluded,
        };
        if recurrence.count.is_none() && recurrence.until.is_none() {
            self.file.rules.push(rule);
            return Ok(());
        }
        let mut remaining = recurrence.count.unwrap_or(u32::MAX);
        let mut year = start.year();
        while remaining > 0 && year <= LAST_YEAR {
            if let Some(occurrence) = rule.pattern.in_year(year).filter(|date| *date >= start) {
                if recurrence.until.is_some_and(|until| occurrence > until) {
                    break;
                }
                remaining -= 1;
                if !rule.excluded.contains(&occurrence) {
                    self.add_days(occurrence, days);
                }
            }
            year += rule.interval;
        }
        Ok(())
    }

    fn add_days(&mut self, start: NaiveDate, days: u64) {
        let mut date = start;
        for _ in 0..days {
            self.dates.insert(date);
            match date.succ_opt() {
                Some(next) => date = next,
                None => break,
            }
        }
    }
}

/// The parts of an `RRULE` this module supports.
struct Recurrence {
    pattern: YearlyDate,
    interval: i32,
    count: Option<u32>,
    until: Option<NaiveDate>,
}

/// Parses `FREQ=YEARLY;…` for an event that starts on `start`.
fn parse_rule(text: &str, start: NaiveDate) -> Result<Recurrence, String> {
    let mut frequency = None;
    let mut interval = 1;
    let mut count = None;
    let mut until = None;
    let mut month = None;
    let mut month_day = None;
    let mut weekday = None;
    for part in text.split(';').filter(|part| !part.trim().is_empty()) {
        let (key, value) = part.split_once('=').ok_or_else(|| {
            format!("invalid RRULE part `{part}`: expected KEY=VALUE such as FREQ=YEARLY")
        })?;
        let key = key.trim().to_ascii_uppercase();
        let value = value.trim().to_ascii_uppercase();
        let number = |low: i64, high: i64| {
            value
                .parse::<i64>()
                .ok()
                .filter(|n| (low..=high).contains(n))
                .ok_or_else(|| {
                    format!("invalid RRULE part `{part}`: expected a number from {low} to {high}")
                })
        };
        match key.as_str() {
            "FREQ" => frequency = Some(value.clone()),
            "INTERVAL" => interval = number(1, 1_000)? as i32,
            "COUNT" => count = Some(number(1, 100_000)? as u32),
            "UNTIL" => {
                let date = value.get(..8).and_then(parse_date).ok_or_else(|| {
                    format!("invalid RRULE part `{part}`: expected a date such as UNTIL=20301231")
                })?;
                until = Some(date);
            }
            "BYMONTH" => month = Some(number(1, 12)? as u32),
            "BYMONTHDAY" => month_day = Some(number(1, 31)? as u32),
            "BYDAY" => weekday = Some(parse_nth_weekday(&value).ok_or_else(|| {
                format!("unsupported RRULE part `{part}`: expected one weekday with its place in the month, such as BYDAY=4TH or BYDAY=-1MO")
            })?),
            "WKST" => {}
            _ => {
                return Err(format!(
                    "unsupported RRULE part `{part}`: expected FREQ=YEARLY with INTERVAL, COUNT, UNTIL, BYMONTH, BYMONTHDAY or BYDAY"
                ))
            }
        }
    }
    match frequency.as_deref() {
        Some("YEARLY") => {}
        Some(other) => {
            return Err(format!(
                "unsupported RRULE frequency `FREQ={other}`: expected FREQ=YEARLY"
            ))
        }
        None => return Err(format!("RRULE `{text}` has no FREQ: expected FREQ=YEARLY")),
    }
    if count.is_some() && until.is_some() {
        return Err(format!(
            "RRULE `{text}` has both COUNT and UNTIL: expected one of them"
        ));
    }
    let pattern = match (month, month_day, weekday) {
        (_, Some(_), Some(_)) => {
            return Err(format!(
                "unsupported RRULE `{text}`: expected BYMONTHDAY or BYDAY, not both"
            ))
        }
        (None, None, Some(_)) => {
            return Err(format!(
                "unsupported RRULE `{text}`: BYDAY needs a BYMONTH, such as BYMONTH=11;BYDAY=4TH"
            ))
        }
        (month, day, None) => YearlyDate::MonthDay {
            month: month.unwrap_or(start.month()),
            day: day.unwrap_or(start.day()),
        },
        (Some(month), None, Some((nth, weekday))) => YearlyDate::NthWeekday {
            month,
            nth,
            weekday,
        },
    };
    if pattern.in_year(start.year()) != Some(start) {
        return Err(format!(
            "DTSTART {} is not an occurrence of RRULE `{text}`: expected the first occurrence as DTSTART",
            start.format("%Y%m%d")
        ));
    }
    Ok(Recurrence {
        pattern,
        interval,
        count,
        until,
    })
}

/// Parses `4TH`, `+1MO` or `-1MO` into the place in the month and the weekday.
fn parse_nth_weekday(value: &str) -> Option<(i8, Weekday)> {
    if value.len() < 3 || !value.is_ascii() {
        return None;
    }
    let (nth, day) = value.split_at(value.len() - 2);
    let nth: i8 = nth.strip_prefix('+').unwrap_or(nth).parse().ok()?;
    if nth == 0 || !(-5..=5).contains(&nth) {
        return None;
    }
    let weekday = match day {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => return None,
    };
    Some((nth, weekday))
}

/// Parses `YYYYMMDD`.
fn parse_date(value: &str) -> Option<NaiveDate> {
    if value.len() != 8 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    NaiveDate::parse_from_str(value, "%Y%m%d").ok()
}

/// Parses a duration of whole days or weeks: `P1D`, `P2W`.
fn parse_day_duration(value: &str) -> Option<u64> {
    let rest = value.strip_prefix('+').unwrap_or(value).strip_prefix('P')?;
    let (number, unit) = rest.split_at(rest.len().checked_sub(1)?);
    let number: u64 = number.parse().ok()?;
    let days = match unit {
        "D" => number,
        "W" => number.checked_mul(7)?,
        _ => return None,
    };
    (days > 0 && days <= 3_660).then_some(days)
}

/// Joins folded lines. Returns each logical line with the number of its first physical
/// line, or the number of a continuation line that has nothing to continue.
fn unfold(text: &str) -> Result<Vec<(usize, String)>, usize> {
    let mut lines: Vec<(usize, String)> = Vec::new();
    for (index, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(rest) = raw.strip_prefix([' ', '\t']) {
            match lines.last_mut() {
                Some((_, line)) => line.push_str(rest),
                None => return Err(index + 1),
            }
        } else if !raw.trim().is_empty() {
            lines.push((index + 1, raw.to_string()));
        }
    }
    Ok(lines)
}

/// Splits `NAME;PARAM=VALUE;PARAM="QUOTED:VALUE":value`. Names and parameter names are
/// returned in upper case.
fn split_content_line(line: usize, text: &str) -> Option<ContentLine> {
    let mut quoted = false;
    let mut colon = None;
    for (index, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ':' if !quoted => {
                colon = Some(index);
                break;
            }
            _ => {}
        }
    }
    let colon = colon?;
    let (head, value) = (&text[..colon], &text[colon + 1..]);
    let mut parts = split_unquoted(head, ';').into_iter();
    let name = parts.next()?.trim().to_ascii_uppercase();
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return None;
    }
    let mut params = Vec::new();
    for part in parts {
        let (key, value) = part.split_once('=')?;
        params.push((
            key.trim().to_ascii_uppercase(),
            value.trim().trim_matches('"').to_string(),
        ));
    }
    Some(ContentLine {
        line,
        name,
        params,
        value: value.to_string(),
    })
}

fn split_unquoted(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (index, c) in text.char_indices() {
        if c == '"' {
            quoted = !quoted;
        } else if c == separator && !quoted {
            parts.push(&text[start..index]);
            start = index + 1;
        }
    }
    parts.push(&text[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn calendar(events: &str) -> String {
        format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{events}END:VCALENDAR\r\n")
    }

    fn parse_text(text: &str) -> Result<HolidayFile, IcsError> {
        parse(text, Path::new("holidays.ics"))
    }

    fn holidays_in(file: &HolidayFile, from: &str, to: &str) -> Vec<NaiveDate> {
        let mut dates = Vec::new();
        let mut day = date(from);
        while day <= date(to) {
            if file.dates.contains(&day) || file.rules.iter().any(|rule| rule.covers(day)) {
                dates.push(day);
            }
            day = day.succ_opt().unwrap();
        }
        dates
    }

    #[test]
    fn all_day_event_is_one_day() {
        let text = calendar("BEGIN:VEVENT\r\nUID:1\r\nSUMMARY:Independence Day\r\nDTSTART;VALUE=DATE:20260703\r\nEND:VEVENT\r\n");
        let file = parse_text(&text).unwrap();
        assert_eq!(file.dates, vec![date("2026-07-03")]);
        assert!(file.rules.is_empty());
        assert!(file.warnings.is_empty());
    }

    #[test]
    fn end_date_is_exclusive() {
        let text = calendar(
            "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20261224\nDTEND;VALUE=DATE:20261227\nEND:VEVENT\n",
        );
        let file = parse_text(&text).unwrap();
        assert_eq!(
            file.dates,
            vec![date("2026-12-24"), date("2026-12-25"), date("2026-12-26")]
        );
    }

    #[test]
    fn duration_in_days_and_weeks() {
        let text = calendar("BEGIN:VEVENT\nDTSTART:20260101\nDURATION:P2D\nEND:VEVENT\nBEGIN:VEVENT\nDTSTART:20260801\nDURATION:P1W\nEND:VEVENT\n");
        let file = parse_text(&text).unwrap();
        assert_eq!(file.dates.len(), 9);
        assert_eq!(file.dates[0], date("2026-01-01"));
        assert_eq!(file.dates[8], date("2026-08-07"));
    }

    #[test]
    fn yearly_rule_without_end_covers_later_years() {
        let text = calendar("BEGIN:VEVENT\nDTSTART;VALUE=DATE:20201225\nDTEND;VALUE=DATE:20201227\nRRULE:FREQ=YEARLY\nEND:VEVENT\n");
        let file = parse_text(&text).unwrap();
        assert!(file.dates.is_empty());
        assert_eq!(
            holidays_in(&file, "2031-12-20", "2032-01-05"),
            vec![date("2031-12-25"), date("2031-12-26")]
        );
        assert!(holidays_in(&file, "2019-12-20", "2019-12-31").is_empty());
    }

    #[test]
    fn yearly_rule_spanning_new_year() {
        let text = calendar("BEGIN:VEVENT\nDTSTART;VALUE=DATE:20241231\nDTEND;VALUE=DATE:20250102\nRRULE:FREQ=YEARLY\nEND:VEVENT\n");
        let file = parse_text(&text).unwrap();
        assert_eq!(
            holidays_in(&file, "2027-12-29", "2028-01-03"),
            vec![date("2027-12-31"), date("2028-01-01")]
        );
    }

    #[test]
    fn yearly_rule_with_count_or_until_is_expanded() {
        let text = calendar("BEGIN:VEVENT\nDTSTART;VALUE=DATE:20240501\nRRULE:FREQ=YEARLY;COUNT=3\nEND:VEVENT\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20240601\nRRULE:FREQ=YEARLY;INTERVAL=2;UNTIL=20290101T000000Z\nEND:VEVENT\n");
        let file = parse_text(&text).unwrap();
        assert!(file.rules.is_empty());
        assert_eq!(
            file.dates,
            vec![
                date("2024-05-01"),
                date("2024-06-01"),
                date("2025-05-01"),
                date("2026-05-01"),
                date("2026-06-01"),
                date("2028-06-01"),
            ]
        );
    }

    #[test]
    fn weekday_of_month_rules() {
        let text = calendar("BEGIN:VEVENT\nSUMMARY:Thanksgiving\nDTSTART;VALUE=DATE:20241128\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=4TH\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:Memorial Day\nDTSTART;VALUE=DATE:20240527\nRRULE:FREQ=YEARLY;BYMONTH=5;BYDAY=-1MO\nEND:VEVENT\n");
        let file = parse_text(&text).unwrap();
        assert_eq!(
            holidays_in(&file, "2026-01-01", "2026-12-31"),
            vec![date("2026-05-25"), date("2026-11-26")]
        );
        assert_eq!(
            holidays_in(&file, "2027-01-01", "2027-12-31"),
            vec![date("2027-05-31"), date("2027-11-25")]
        );
    }

    #[test]
    fn leap_day_recurs_in_leap_years_only() {
        let text = calendar(
            "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20240229\nRRULE:FREQ=YEARLY;COUNT=2\nEND:VEVENT\n",
        );
        let file = parse_text(&text).unwrap();
        assert_eq!(file.dates, vec![date("2024-02-29"), date("2028-02-29")]);
    }

    #[test]
    fn excluded_and_cancelled_events() {
        let text = calendar("BEGIN:VEVENT\nDTSTART;VALUE=DATE:20240101\nRRULE:FREQ=YEARLY\nEXDATE;VALUE=DATE:20250101,20270101\nEND:VEVENT\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20240704\nSTATUS:CANCELLED\nEND:VEVENT\n");
        let file = parse_text(&text).unwrap();
        assert_eq!(
            holidays_in(&file, "2024-01-01", "2028-12-31"),
            vec![date("2024-01-01"), date("2026-01-01"), date("2028-01-01")]
        );
    }

    #[test]
    fn folded_lines_are_joined() {
        let text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:A very long\r\n  holiday name\r\nDTSTART;VALUE=DA\r\n TE:20260\r\n\t101\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let file = parse_text(text).unwrap();
        assert_eq!(file.dates, vec![date("2026-01-01")]);
    }

    #[test]
    fn timed_event_is_rejected_with_line() {
        let text = calendar("BEGIN:VEVENT\nDTSTART:20261225T090000Z\nEND:VEVENT\n");
        assert_eq!(
            parse_text(&text).unwrap_err().to_string(),
            "holidays.ics:5: DTSTART `20261225T090000Z` has a time of day: only all-day events such as DTSTART;VALUE=DATE:20261225 are supported"
        );
    }

    #[test]
    fn monthly_rule_is_rejected_with_line() {
        let text =
            calendar("BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260101\nRRULE:FREQ=MONTHLY\nEND:VEVENT\n");
        assert_eq!(
            parse_text(&text).unwrap_err().to_string(),
            "holidays.ics:6: unsupported RRULE frequency `FREQ=MONTHLY`: expected FREQ=YEARLY"
        );
    }

    #[test]
    fn unsupported_rule_parts_are_rejected() {
        for (rule, expected) in [
            (
                "FREQ=YEARLY;BYSETPOS=1",
                "unsupported RRULE part `BYSETPOS=1`",
            ),
            ("FREQ=YEARLY;BYDAY=MO", "unsupported RRULE part `BYDAY=MO`"),
            (
                "FREQ=YEARLY;BYMONTH=3",
                "DTSTART 20260101 is not an occurrence",
            ),
            (
                "FREQ=YEARLY;COUNT=2;UNTIL=20300101",
                "has both COUNT and UNTIL",
            ),
        ] {
            let text = calendar(&format!(
                "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260101\nRRULE:{rule}\nEND:VEVENT\n"
            ));
            let message = parse_text(&text).unwrap_err().to_string();
            assert!(message.starts_with("holidays.ics:6: "), "{message}");
            assert!(message.contains(expected), "{rule}: {message}");
        }
    }

    #[test]
    fn unknown_property_and_component_warn_with_line() {
        let text = calendar("BEGIN:VTODO\nSUMMARY:x\nEND:VTODO\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260101\nFOO:bar\nEND:VEVENT\n");
        let file = parse_text(&text).unwrap();
        let warnings: Vec<String> = file.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            vec![
                "holidays.ics:4: ignored component VTODO: only VEVENT holidays are read",
                "holidays.ics:9: ignored event property `FOO`",
            ]
        );
        assert_eq!(file.dates, vec![date("2026-01-01")]);
    }

    #[test]
    fn missing_end_names_the_event_line() {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260101\n";
        assert_eq!(
            parse_text(text).unwrap_err().to_string(),
            "holidays.ics:2: missing END:VEVENT for the event that begins here"
        );
    }

    #[test]
    fn end_before_start_is_rejected() {
        let text = calendar(
            "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260102\nDTEND;VALUE=DATE:20260102\nEND:VEVENT\n",
        );
        assert_eq!(
            parse_text(&text).unwrap_err().to_string(),
            "holidays.ics:6: DTEND 20260102 is not after DTSTART 20260102: DTEND is the day after the last day of the holiday"
        );
    }

    #[test]
    fn text_that_is_not_icalendar_is_rejected() {
        assert_eq!(
            parse_text("date,name\n2026-01-01,New Year\n").unwrap_err().to_string(),
            "holidays.ics:1: invalid line `date,name`: expected NAME:VALUE such as DTSTART;VALUE=DATE:20261225"
        );
        assert_eq!(
            parse_text("").unwrap_err().to_string(),
            "holidays.ics:1: no BEGIN:VCALENDAR found: expected an iCalendar file"
        );
    }
}
