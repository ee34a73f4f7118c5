//! Instants and local times: the one place that turns wall-clock readings into instants.
//!
//! Every timestamp inside slaudit is an [`Instant`], whole seconds since the Unix epoch in UTC.
//! A reading without an offset is local time in a declared zone. Where a zone's clocks jump
//! forward the reading does not exist (an input error); where they fall back it occurs twice,
//! and [`AmbiguousTimes`] chooses which occurrence counts.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone as _, Utc};
use chrono_tz::Tz;

use crate::config::AmbiguousTimes;

/// Seconds since 1970-01-01T00:00:00Z.
pub type Instant = i64;

/// Seconds in a day, the unit of calendar tables and the `d` duration.
pub const DAY: i64 = 86_400;

/// The reason a local reading has no single instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalTimeError {
    /// The reading falls in a gap where the clocks jump forward.
    Nonexistent,
    /// The reading occurs twice and the project rejects ambiguous times.
    Ambiguous,
}

/// An instant read from local time, and whether the reading was ambiguous.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolved {
    pub instant: Instant,
    pub ambiguous: bool,
}

/// Reads a wall-clock time in `zone`.
pub fn resolve_local(
    zone: Tz,
    local: NaiveDateTime,
    policy: AmbiguousTimes,
) -> Result<Resolved, LocalTimeError> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(time) => Ok(Resolved {
            instant: time.timestamp(),
            ambiguous: false,
        }),
        LocalResult::Ambiguous(earlier, later) => {
            let instant = match policy {
                AmbiguousTimes::Earlier => earlier.timestamp().min(later.timestamp()),
                AmbiguousTimes::Later => earlier.timestamp().max(later.timestamp()),
                AmbiguousTimes::Reject => return Err(LocalTimeError::Ambiguous),
            };
            Ok(Resolved {
                instant,
                ambiguous: true,
            })
        }
        LocalResult::None => Err(LocalTimeError::Nonexistent),
    }
}

/// Converts local readings to instants quickly.
///
/// Most days have one UTC offset from start to end. The converter checks each local day once,
/// sampling the zone's offset every hour across the day (no zone changes its offset twice
/// within an hour), and remembers the offset of days where it is constant. Readings on a day
/// with a transition always take the exact path, so gaps and overlaps are never missed.
pub struct LocalConverter {
    zone: Tz,
    policy: AmbiguousTimes,
    /// Local day number → the day's constant offset, or `None` for a day with a transition.
    days: rustc_hash::FxHashMap<i64, Option<i64>>,
}

impl LocalConverter {
    pub fn new(zone: Tz, policy: AmbiguousTimes) -> LocalConverter {
        LocalConverter {
            zone,
            policy,
            days: rustc_hash::FxHashMap::default(),
        }
    }

    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// Converts seconds since the epoch read as a local wall-clock time.
    pub fn convert(&mut self, local_seconds: i64) -> Result<Resolved, LocalTimeError> {
        let day = local_seconds.div_euclid(DAY);
        let zone = self.zone;
        let offset = *self
            .days
            .entry(day)
            .or_insert_with(|| constant_offset(zone, day));
        if let Some(offset) = offset {
            return Ok(Resolved {
                instant: local_seconds - offset,
                ambiguous: false,
            });
        }
        let local = DateTime::from_timestamp(local_seconds, 0)
            .ok_or(LocalTimeError::Nonexistent)?
            .naive_utc();
        resolve_local(self.zone, local, self.policy)
    }
}

/// Returns the UTC offset that holds for the whole local day, if one does.
fn constant_offset(zone: Tz, day: i64) -> Option<i64> {
    let start = day * DAY;
    let offset = offset_at(zone, start - offset_at(zone, start));
    // The day's instants run from `start - offset` to `start + DAY - offset`; every offset
    // sampled across them must be the same.
    let first = start - offset;
    let constant = (0..=24).all(|hour| offset_at(zone, first + hour * 3_600) == offset)
        && offset_at(zone, first + DAY - 1) == offset;
    constant.then_some(offset)
}

/// Local wall-clock seconds since the epoch for a date and time of day.
pub fn local_seconds(date: NaiveDate, seconds_of_day: i64) -> i64 {
    let days = date
        .signed_duration_since(NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default())
        .num_days();
    days * DAY + seconds_of_day
}

/// Returns the UTC offset of `zone` at `instant`, in seconds east of Greenwich.
pub fn offset_at(zone: Tz, instant: Instant) -> i64 {
    let utc = DateTime::<Utc>::from_timestamp(instant, 0).unwrap_or_default();
    i64::from(
        zone.offset_from_utc_datetime(&utc.naive_utc())
            .fix()
            .local_minus_utc(),
    )
}

/// Formats an instant as local time in `zone`, such as `2024-05-16 15:40`, with seconds
/// only when they are not zero.
pub fn format_local(zone: Tz, instant: Instant) -> String {
    let (year, month, day, hour, minute, second) = local_fields(zone, instant);
    // Written field by field: timeline pages format many thousands of times, and strftime
    // parses its pattern on every call.
    if second == 0 {
        format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}")
    } else {
        format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}")
    }
}

/// Seconds in a slot of the offset cache. No zone changes its offset twice within a quarter of
/// an hour, so a slot whose first and last seconds share an offset has it throughout.
const SLOT: i64 = 900;

thread_local! {
    /// UTC offsets by zone and slot of UTC time, for slots without a transition.
    static OFFSETS: std::cell::RefCell<rustc_hash::FxHashMap<(Tz, i64), i64>> = Default::default();
}

/// Returns the UTC offset of `zone` at `instant`, in seconds, from a per-thread cache: formatting looks
/// the same few days up millions of times on a large export.
pub fn utc_offset(zone: Tz, instant: Instant) -> i64 {
    let slot = instant.div_euclid(SLOT);
    if let Some(offset) = OFFSETS.with(|cache| cache.borrow().get(&(zone, slot)).copied()) {
        return offset;
    }
    let offset = offset_at(zone, instant);
    let (first, last) = (slot * SLOT, slot * SLOT + SLOT - 1);
    if offset_at(zone, first) == offset && offset_at(zone, last) == offset {
        OFFSETS.with(|cache| cache.borrow_mut().insert((zone, slot), offset));
    }
    offset
}

/// Returns the local calendar date and time of an instant: year, month, day, hour, minute, second.
pub fn local_fields(zone: Tz, instant: Instant) -> (i64, u32, u32, u32, u32, u32) {
    let local = instant + utc_offset(zone, instant);
    let (days, seconds) = (local.div_euclid(DAY), local.rem_euclid(DAY));
    let (year, month, day) = civil_from_days(days);
    (
        year,
        month,
        day,
        (seconds / 3_600) as u32,
        (seconds % 3_600 / 60) as u32,
        (seconds % 60) as u32,
    )
}

/// Returns the proleptic Gregorian date of a day count from 1970-01-01, by the era arithmetic of
/// Howard Hinnant's `civil_from_days`.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Formats an instant as RFC 3339 in UTC, such as `2024-05-16T14:40:00Z`.
pub fn format_utc(instant: Instant) -> String {
    DateTime::<Utc>::from_timestamp(instant, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// Describes a configured span in words for prose, in the largest unit that divides it:
/// `7 days`, `36 hours`, `1 minute`.
pub fn describe_span(seconds: i64) -> String {
    let plural = |count: i64, unit: &str| {
        if count == 1 {
            format!("1 {unit}")
        } else {
            format!("{count} {unit}s")
        }
    };
    if seconds % 86_400 == 0 {
        plural(seconds / 86_400, "day")
    } else if seconds % 3_600 == 0 {
        plural(seconds / 3_600, "hour")
    } else {
        plural((seconds + 59) / 60, "minute")
    }
}

/// Formats a number of seconds as hours and minutes, such as `3h 25m` or `52h 05m`.
pub fn format_duration(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let seconds = seconds.unsigned_abs();
    // Hours, never days: on a business calendar a day of the clock is not 24 hours of the
    // wall, and a reader would take "2d" for two working days.
    let (hours, rem) = (seconds / 3_600, seconds % 3_600);
    let (minutes, secs) = (rem / 60, rem % 60);
    let mut text = if hours > 0 {
        format!("{sign}{hours}h {minutes:02}m")
    } else {
        format!("{sign}{minutes}m")
    };
    if secs > 0 {
        text.push_str(&format!(" {secs:02}s"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(local_seconds: i64) -> NaiveDateTime {
        DateTime::from_timestamp(local_seconds, 0)
            .unwrap_or_default()
            .naive_utc()
    }

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn overlap_takes_earlier_by_default() {
        let berlin = chrono_tz::Europe::Berlin;
        let resolved =
            resolve_local(berlin, at("2025-10-26 02:30"), AmbiguousTimes::Earlier).unwrap();
        assert_eq!(format_utc(resolved.instant), "2025-10-26T00:30:00Z");
        assert!(resolved.ambiguous);
        let later = resolve_local(berlin, at("2025-10-26 02:30"), AmbiguousTimes::Later).unwrap();
        assert_eq!(format_utc(later.instant), "2025-10-26T01:30:00Z");
        assert_eq!(
            resolve_local(berlin, at("2025-10-26 02:30"), AmbiguousTimes::Reject),
            Err(LocalTimeError::Ambiguous)
        );
    }

    #[test]
    fn gap_is_an_error() {
        let berlin = chrono_tz::Europe::Berlin;
        assert_eq!(
            resolve_local(berlin, at("2025-03-30 02:30"), AmbiguousTimes::Earlier),
            Err(LocalTimeError::Nonexistent)
        );
    }

    #[test]
    fn converter_matches_exact_path_around_transitions() {
        for zone in [
            chrono_tz::Europe::Berlin,
            chrono_tz::Australia::Lord_Howe,
            chrono_tz::America::New_York,
        ] {
            let mut converter = LocalConverter::new(zone, AmbiguousTimes::Earlier);
            let start = local_seconds(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(), 0);
            let mut local = start;
            while local < start + 366 * DAY {
                let exact = resolve_local(zone, naive(local), AmbiguousTimes::Earlier);
                assert_eq!(converter.convert(local), exact, "{zone} {}", naive(local));
                local += 1_799;
            }
        }
    }

    #[test]
    fn local_times_show_seconds_only_when_set() {
        let london = chrono_tz::Europe::London;
        // 2024-05-16T14:40:00Z is 15:40 BST.
        assert_eq!(format_local(london, 1_715_870_400), "2024-05-16 15:40");
        assert_eq!(format_local(london, 1_715_870_407), "2024-05-16 15:40:07");
        assert_eq!(format_local(chrono_tz::UTC, 0), "1970-01-01 00:00");
    }

    #[test]
    fn local_fields_match_chrono() {
        use chrono::{Datelike as _, Timelike as _};
        for zone in [
            chrono_tz::UTC,
            chrono_tz::Europe::London,
            chrono_tz::Australia::Lord_Howe,
            chrono_tz::Asia::Kolkata,
        ] {
            let mut instant = -2_000_000_000_i64;
            while instant < 4_000_000_000 {
                let local = DateTime::from_timestamp(instant, 0)
                    .unwrap()
                    .with_timezone(&zone);
                let expected = (
                    i64::from(local.year()),
                    local.month(),
                    local.day(),
                    local.hour(),
                    local.minute(),
                    local.second(),
                );
                assert_eq!(local_fields(zone, instant), expected, "{zone} {instant}");
                instant += 86_399 * 3 + 1_234;
            }
        }
    }

    #[test]
    fn durations_format_in_hours_and_minutes() {
        assert_eq!(format_duration(205 * 60), "3h 25m");
        assert_eq!(format_duration(40 * 60), "40m");
        assert_eq!(format_duration(2 * 86_400 + 4 * 3_600 + 5 * 60), "52h 05m");
        assert_eq!(format_duration(-135 * 60), "-2h 15m");
    }
}
