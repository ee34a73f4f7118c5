//! Timestamps in exports: explicit formats, and detection over a whole column.
//!
//! A format uses chrono's strftime letters (`%Y %y %m %d %e %H %I %M %S %p %b %B %z %s`, plus
//! `%f` for fractional digits, `%.f` for an optional fraction and `%T` for `%H:%M:%S`), read
//! leniently: numbers may be unpadded (`5/3/2016 9:05`), month names and AM/PM ignore case,
//! a space matches any run of spaces, and `%z` accepts `Z`, `+01:00`, `+0100` and `+01`.
//!
//! Detection tries every known form on every value of a column and keeps the forms that read
//! all of them. When both a day-first and a month-first form survive and they disagree on some
//! value, the column is ambiguous and the caller must declare its format: a guess per row would
//! silently swap days and months.

use chrono::NaiveDate;

use crate::time::{Instant, DAY};

/// A compiled timestamp format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateFormat {
    pattern: String,
    items: Vec<Item>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    Year4,
    Year2,
    Month,
    MonthName,
    Day,
    Hour24,
    Hour12,
    Minute,
    Second,
    Fraction,
    OptionalFraction,
    AmPm,
    Offset,
    Epoch,
    Space,
    Literal(u8),
}

/// A timestamp as read from a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stamp {
    /// A wall-clock reading without an offset, as seconds since the epoch read as UTC;
    /// the caller resolves it in the export's zone.
    Local(i64),
    /// An instant: the value carried an offset, or was epoch seconds.
    Instant(Instant),
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

impl DateFormat {
    /// Compiles a strftime-style pattern.
    pub fn compile(pattern: &str) -> Result<DateFormat, String> {
        let mut items = Vec::new();
        let mut chars = pattern.chars().peekable();
        let mut has_date = false;
        while let Some(c) = chars.next() {
            if c == '%' {
                let item = match chars.next() {
                    Some('Y') => Item::Year4,
                    Some('y') => Item::Year2,
                    Some('m') => Item::Month,
                    Some('b') | Some('B') | Some('h') => Item::MonthName,
                    Some('d') | Some('e') => Item::Day,
                    Some('H') | Some('k') => Item::Hour24,
                    Some('I') | Some('l') => Item::Hour12,
                    Some('M') => Item::Minute,
                    Some('S') => Item::Second,
                    Some('f') => Item::Fraction,
                    Some('p') | Some('P') => Item::AmPm,
                    Some('z') => Item::Offset,
                    // `%:z` is chrono's spelling of an offset with a colon.
                    Some(':') if chars.peek() == Some(&'z') => {
                        chars.next();
                        Item::Offset
                    }
                    Some('s') => Item::Epoch,
                    Some('T') => {
                        items.extend([
                            Item::Hour24,
                            Item::Literal(b':'),
                            Item::Minute,
                            Item::Literal(b':'),
                        ]);
                        Item::Second
                    }
                    Some('.') if chars.peek() == Some(&'f') => {
                        chars.next();
                        Item::OptionalFraction
                    }
                    Some('%') => Item::Literal(b'%'),
                    Some(other) => {
                        return Err(format!(
                            "invalid date format `{pattern}`: `%{other}` is not supported"
                        ))
                    }
                    None => {
                        return Err(format!(
                            "invalid date format `{pattern}`: it ends with a lone `%`"
                        ))
                    }
                };
                has_date |= matches!(item, Item::Year4 | Item::Year2 | Item::Epoch);
                items.push(item);
            } else if c.is_whitespace() {
                if items.last() != Some(&Item::Space) {
                    items.push(Item::Space);
                }
            } else if c.is_ascii() {
                items.push(Item::Literal(c as u8));
            } else {
                return Err(format!(
                    "invalid date format `{pattern}`: only ASCII literals are supported"
                ));
            }
        }
        if !has_date {
            return Err(format!(
                "invalid date format `{pattern}`: it has no year (`%Y` or `%y`) or epoch (`%s`)"
            ));
        }
        Ok(DateFormat {
            pattern: pattern.to_string(),
            items,
        })
    }

    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// Reads a trimmed cell; `None` when it does not match the format or is not a valid time.
    pub fn parse(&self, text: &str) -> Option<Stamp> {
        let bytes = text.trim().as_bytes();
        let mut position = 0;
        let (mut year, mut month, mut day) = (None, None, None);
        let (mut hour, mut minute, mut second) = (0i64, 0i64, 0i64);
        let mut twelve_hour = false;
        let mut pm = None;
        let mut offset = None;
        let mut epoch = None;
        for item in &self.items {
            match *item {
                Item::Year4 => year = Some(digits(bytes, &mut position, 4, 4)? as i32),
                Item::Year2 => {
                    let short = digits(bytes, &mut position, 2, 2)? as i32;
                    year = Some(if short < 70 {
                        2000 + short
                    } else {
                        1900 + short
                    });
                }
                Item::Month => month = Some(digits(bytes, &mut position, 1, 2)? as u32),
                Item::MonthName => month = Some(month_name(bytes, &mut position)?),
                Item::Day => day = Some(digits(bytes, &mut position, 1, 2)? as u32),
                Item::Hour24 => hour = digits(bytes, &mut position, 1, 2)? as i64,
                Item::Hour12 => {
                    hour = digits(bytes, &mut position, 1, 2)? as i64;
                    twelve_hour = true;
                }
                Item::Minute => minute = digits(bytes, &mut position, 1, 2)? as i64,
                Item::Second => second = digits(bytes, &mut position, 1, 2)? as i64,
                Item::Fraction => {
                    digits(bytes, &mut position, 1, 9)?;
                }
                Item::OptionalFraction => {
                    if matches!(bytes.get(position), Some(b'.') | Some(b',')) {
                        position += 1;
                        digits(bytes, &mut position, 1, 9)?;
                    }
                }
                Item::AmPm => pm = Some(am_pm(bytes, &mut position)?),
                Item::Offset => offset = Some(utc_offset(bytes, &mut position)?),
                Item::Epoch => {
                    let negative = bytes.get(position) == Some(&b'-');
                    if negative {
                        position += 1;
                    }
                    let value = digits(bytes, &mut position, 1, 12)? as i64;
                    if matches!(bytes.get(position), Some(b'.')) {
                        position += 1;
                        digits(bytes, &mut position, 1, 9)?;
                    }
                    epoch = Some(if negative { -value } else { value });
                }
                Item::Space => {
                    let start = position;
                    while bytes.get(position).is_some_and(u8::is_ascii_whitespace) {
                        position += 1;
                    }
                    if position == start {
                        return None;
                    }
                }
                Item::Literal(expected) => {
                    if bytes.get(position) != Some(&expected) {
                        return None;
                    }
                    position += 1;
                }
            }
        }
        if position != bytes.len() {
            return None;
        }
        if let Some(epoch) = epoch {
            return Some(Stamp::Instant(epoch));
        }
        if twelve_hour {
            if !(1..=12).contains(&hour) {
                return None;
            }
            hour %= 12;
            if pm? {
                hour += 12;
            }
        } else if pm.is_some() {
            return None;
        }
        if hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        let date = NaiveDate::from_ymd_opt(year?, month.unwrap_or(1), day.unwrap_or(1))?;
        let days = date
            .signed_duration_since(NaiveDate::from_ymd_opt(1970, 1, 1)?)
            .num_days();
        let local = days * DAY + hour * 3_600 + minute * 60 + second;
        Some(match offset {
            Some(offset) => Stamp::Instant(local - offset),
            None => Stamp::Local(local),
        })
    }
}

fn digits(bytes: &[u8], position: &mut usize, min: usize, max: usize) -> Option<u64> {
    let start = *position;
    let mut value: u64 = 0;
    while *position < bytes.len() && *position - start < max && bytes[*position].is_ascii_digit() {
        value = value * 10 + u64::from(bytes[*position] - b'0');
        *position += 1;
    }
    (*position - start >= min).then_some(value)
}

fn month_name(bytes: &[u8], position: &mut usize) -> Option<u32> {
    let start = *position;
    while bytes.get(*position).is_some_and(u8::is_ascii_alphabetic) {
        *position += 1;
    }
    let word = std::str::from_utf8(&bytes[start..*position])
        .ok()?
        .to_ascii_lowercase();
    if word.len() < 3 {
        return None;
    }
    let index = MONTHS.iter().position(|name| {
        *name == word
            || (word.len() == 3 && name.starts_with(&word))
            || (word == "sept" && *name == "september")
    })?;
    Some(index as u32 + 1)
}

fn am_pm(bytes: &[u8], position: &mut usize) -> Option<bool> {
    let rest = &bytes[*position..];
    for (spelling, pm) in [("a.m.", false), ("p.m.", true), ("am", false), ("pm", true)] {
        if rest.len() >= spelling.len()
            && rest[..spelling.len()].eq_ignore_ascii_case(spelling.as_bytes())
        {
            *position += spelling.len();
            return Some(pm);
        }
    }
    None
}

fn utc_offset(bytes: &[u8], position: &mut usize) -> Option<i64> {
    match bytes.get(*position)? {
        b'Z' | b'z' => {
            *position += 1;
            Some(0)
        }
        sign @ (b'+' | b'-') => {
            let sign = if *sign == b'-' { -1 } else { 1 };
            *position += 1;
            let hours = digits(bytes, position, 2, 2)? as i64;
            if bytes.get(*position) == Some(&b':') {
                *position += 1;
            }
            let start = *position;
            let minutes = digits(bytes, position, 0, 2)? as i64;
            if *position - start == 1 || hours > 23 || minutes > 59 {
                return None;
            }
            Some(sign * (hours * 3_600 + minutes * 60))
        }
        _ => None,
    }
}

/// The forms detection tries, most specific first. Day-first forms come before their
/// month-first twins so that a column where both readings agree is read day-first.
pub fn known_formats() -> Vec<DateFormat> {
    let mut patterns: Vec<String> = [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f %z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M%z",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %I:%M:%S %p",
        "%Y-%m-%d %I:%M %p",
        "%Y-%m-%d",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
        "%Y/%m/%d",
        "%d/%b/%y %I:%M %p",
        "%d/%b/%Y %I:%M %p",
        "%d/%b/%y %H:%M",
        "%d/%b/%Y %H:%M",
        "%d-%b-%Y %H:%M:%S",
        "%d-%b-%Y %H:%M",
        "%d-%b-%y %I:%M %p",
        "%d %b %Y %H:%M:%S",
        "%d %b %Y %H:%M",
        "%d %b %Y",
        "%b %d, %Y %I:%M %p",
        "%b %d, %Y %H:%M",
        "%b %d %Y %H:%M:%S",
        "%B %d, %Y %I:%M %p",
        "%B %d, %Y at %I:%M %p",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    for separator in ["/", ".", "-"] {
        for year in ["%Y", "%y"] {
            for time in [" %H:%M:%S", " %H:%M", " %I:%M:%S %p", " %I:%M %p", ""] {
                patterns.push(format!("%d{separator}%m{separator}{year}{time}"));
                // Dotted dates are day-first wherever they are written (German, Russian,
                // Scandinavian locales), so only slashes and dashes have a month-first twin.
                if separator != "." {
                    patterns.push(format!("%m{separator}%d{separator}{year}{time}"));
                }
            }
        }
    }
    patterns.push("%s".to_string());
    patterns
        .iter()
        .map(|pattern| DateFormat::compile(pattern).expect("built-in date formats compile"))
        .collect()
}

/// Detection state for one column, fed every non-missing value in file order.
#[derive(Debug, Clone)]
pub struct ColumnDetector {
    candidates: Vec<Candidate>,
    values: u64,
    examples: Vec<String>,
}

#[derive(Debug, Clone)]
struct Candidate {
    format: DateFormat,
    /// The first value this form could not read, with its line.
    failed: Option<(String, u64)>,
    /// An order-dependent digest of every reading, to tell whether two surviving forms agree.
    digest: u64,
}

/// Why a column's format could not be settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DetectError {
    /// No value was present.
    Empty,
    /// A value fits none of the forms that read the earlier values.
    NoFormat { value: String, line: u64 },
    /// Every value fits two readings that disagree, typically day-first and month-first.
    Ambiguous {
        formats: Vec<String>,
        examples: Vec<String>,
    },
}

impl Default for ColumnDetector {
    fn default() -> Self {
        ColumnDetector::new(known_formats())
    }
}

impl ColumnDetector {
    pub fn new(formats: Vec<DateFormat>) -> ColumnDetector {
        ColumnDetector {
            candidates: formats
                .into_iter()
                .map(|format| Candidate {
                    format,
                    failed: None,
                    digest: 0xcbf2_9ce4_8422_2325,
                })
                .collect(),
            values: 0,
            examples: Vec::new(),
        }
    }

    /// Tries a value against every form still alive.
    pub fn feed(&mut self, value: &str, line: u64) {
        self.values += 1;
        if self.examples.len() < 3 && !self.examples.iter().any(|e| e == value) {
            self.examples.push(value.to_string());
        }
        for candidate in self.candidates.iter_mut().filter(|c| c.failed.is_none()) {
            match candidate.format.parse(value) {
                Some(stamp) => {
                    let reading = match stamp {
                        Stamp::Local(seconds) => seconds as u64,
                        Stamp::Instant(seconds) => (seconds as u64) ^ 0x8000_0000_0000_0000,
                    };
                    candidate.digest =
                        (candidate.digest ^ reading).wrapping_mul(0x0000_0100_0000_01b3);
                }
                None => candidate.failed = Some((value.to_string(), line)),
            }
        }
    }

    /// Whether more values can no longer change the outcome except by failing the one form left.
    pub fn is_settled(&self) -> bool {
        self.candidates
            .iter()
            .filter(|c| c.failed.is_none())
            .count()
            <= 1
    }

    /// The form that reads every value, or why there is none.
    pub fn finish(&self) -> Result<DateFormat, DetectError> {
        if self.values == 0 {
            return Err(DetectError::Empty);
        }
        let alive: Vec<&Candidate> = self
            .candidates
            .iter()
            .filter(|c| c.failed.is_none())
            .collect();
        let Some(best) = alive.first() else {
            let last_failure = self
                .candidates
                .iter()
                .filter_map(|c| c.failed.as_ref())
                .max_by_key(|(_, line)| *line)
                .cloned()
                .unwrap_or_default();
            return Err(DetectError::NoFormat {
                value: last_failure.0,
                line: last_failure.1,
            });
        };
        let disagreeing: Vec<&Candidate> = alive
            .iter()
            .copied()
            .filter(|c| c.digest != best.digest)
            .collect();
        if !disagreeing.is_empty() {
            let mut formats = vec![best.format.pattern().to_string()];
            formats.extend(disagreeing.iter().map(|c| c.format.pattern().to_string()));
            return Err(DetectError::Ambiguous {
                formats,
                examples: self.examples.clone(),
            });
        }
        Ok(best.format.clone())
    }
}

#[cfg(test)]
mod tests;
