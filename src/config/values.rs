//! Config values with a syntax of their own, parsed during deserialization so that their
//! errors point at the value in the file.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Implements `Deserialize` through `FromStr` and `Serialize` through `Display`.
macro_rules! string_value {
    ($type:ty) => {
        impl<'de> Deserialize<'de> for $type {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }

        impl Serialize for $type {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }
    };
}

/// An IANA time zone such as `Europe/London`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZone(pub chrono_tz::Tz);

impl Default for TimeZone {
    fn default() -> Self {
        TimeZone(chrono_tz::UTC)
    }
}

impl FromStr for TimeZone {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        if let Ok(zone) = trimmed.parse::<chrono_tz::Tz>() {
            return Ok(TimeZone(zone));
        }
        let names: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
        let hint = match super::did_you_mean(trimmed, &names) {
            Some(best) => format!("; did you mean `{best}`?"),
            None => "; expected an IANA zone name such as \"Europe/London\" or \"UTC\"".to_string(),
        };
        Err(format!("unknown time zone `{text}`{hint}"))
    }
}

impl fmt::Display for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name())
    }
}

string_value!(TimeZone);

/// A calendar date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DateOnly(pub NaiveDate);

impl FromStr for DateOnly {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map(DateOnly)
            .map_err(|_| {
                format!("invalid date `{text}`: expected YYYY-MM-DD such as \"2026-07-01\"")
            })
    }
}

impl fmt::Display for DateOnly {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

string_value!(DateOnly);

/// An inclusive range of dates written `FROM..TO`, such as `2026-07-01..2026-09-30`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl FromStr for Period {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let expected = "expected FROM..TO such as \"2026-07-01..2026-09-30\"";
        let (from, to) = text
            .split_once("..")
            .ok_or_else(|| format!("invalid period `{text}`: {expected}"))?;
        let parse = |part: &str| {
            NaiveDate::parse_from_str(part.trim(), "%Y-%m-%d")
                .map_err(|_| format!("invalid period `{text}`: `{part}` is not a date; {expected}"))
        };
        let (from, to) = (parse(from)?, parse(to)?);
        if to < from {
            return Err(format!("invalid period `{text}`: it ends before it starts"));
        }
        Ok(Period { from, to })
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}..{}",
            self.from.format("%Y-%m-%d"),
            self.to.format("%Y-%m-%d")
        )
    }
}

string_value!(Period);

/// A percentage such as `95%` or `97.5%`, kept exactly in basis points (hundredths of a percent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Percent(u32);

impl Percent {
    pub const fn from_basis_points(basis_points: u32) -> Percent {
        Percent(basis_points)
    }

    pub fn basis_points(self) -> u32 {
        self.0
    }

    /// Whether `part / whole` is at least this percentage, computed exactly in integers.
    pub fn is_reached_by(self, part: u64, whole: u64) -> bool {
        u128::from(part) * 10_000 >= u128::from(self.0) * u128::from(whole)
    }
}

impl FromStr for Percent {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || {
            format!("invalid percentage `{text}`: expected a value from 0% to 100% such as \"95%\" or \"97.5%\"")
        };
        let number = text.trim().strip_suffix('%').ok_or_else(invalid)?.trim();
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        if whole.is_empty()
            || fraction.len() > 2
            || !whole
                .bytes()
                .chain(fraction.bytes())
                .all(|b| b.is_ascii_digit())
        {
            return Err(invalid());
        }
        let whole: u32 = whole.parse().map_err(|_| invalid())?;
        let fraction: u32 = format!("{fraction:0<2}").parse().map_err(|_| invalid())?;
        let basis_points = whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(fraction))
            .ok_or_else(invalid)?;
        if basis_points > 10_000 {
            return Err(invalid());
        }
        Ok(Percent(basis_points))
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 % 100 == 0 {
            write!(f, "{}%", self.0 / 100)
        } else if self.0 % 10 == 0 {
            write!(f, "{}.{}%", self.0 / 100, (self.0 % 100) / 10)
        } else {
            write!(f, "{}.{:02}%", self.0 / 100, self.0 % 100)
        }
    }
}

string_value!(Percent);

/// How many unusable rows a build tolerates: a share of all rows (`"1%"`) or a count (`25`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RejectLimit {
    Share(Percent),
    Count(u64),
}

impl Default for RejectLimit {
    fn default() -> Self {
        RejectLimit::Share(Percent::from_basis_points(100))
    }
}

impl RejectLimit {
    /// Whether `rejected` rows out of `total` stay within the limit.
    pub fn allows(self, rejected: u64, total: u64) -> bool {
        match self {
            RejectLimit::Count(count) => rejected <= count,
            RejectLimit::Share(share) => {
                u128::from(rejected) * 10_000
                    <= u128::from(share.basis_points()) * u128::from(total)
            }
        }
    }
}

impl fmt::Display for RejectLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RejectLimit::Share(share) => share.fmt(f),
            RejectLimit::Count(count) => write!(f, "{count} rows"),
        }
    }
}

impl<'de> Deserialize<'de> for RejectLimit {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Count(u64),
            Text(String),
        }
        let message =
            "invalid max_rejected: expected a share such as \"1%\" or a row count such as 25";
        match Raw::deserialize(deserializer).map_err(|_| serde::de::Error::custom(message))? {
            Raw::Count(count) => Ok(RejectLimit::Count(count)),
            Raw::Text(text) => text
                .parse()
                .map(RejectLimit::Share)
                .map_err(|_| serde::de::Error::custom(format!("{message}, not `{text}`"))),
        }
    }
}

impl Serialize for RejectLimit {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            RejectLimit::Share(share) => share.serialize(serializer),
            RejectLimit::Count(count) => serializer.serialize_u64(*count),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_parses_exactly() {
        assert_eq!("95%".parse::<Percent>().unwrap().basis_points(), 9_500);
        assert_eq!("97.5%".parse::<Percent>().unwrap().basis_points(), 9_750);
        assert_eq!("0.25%".parse::<Percent>().unwrap().basis_points(), 25);
        assert!("95".parse::<Percent>().is_err());
        assert!("101%".parse::<Percent>().is_err());
        assert!("9.125%".parse::<Percent>().is_err());
    }

    #[test]
    fn percent_threshold_is_inclusive() {
        let share = Percent::from_basis_points(9_500);
        assert!(share.is_reached_by(95, 100));
        assert!(!share.is_reached_by(94, 100));
        assert!(share.is_reached_by(19, 20));
    }

    #[test]
    fn period_rejects_reversed_range() {
        assert!("2026-09-30..2026-07-01".parse::<Period>().is_err());
        let period: Period = "2026-07-01..2026-09-30".parse().unwrap();
        assert_eq!(period.to_string(), "2026-07-01..2026-09-30");
    }

    #[test]
    fn time_zone_suggests_close_name() {
        let error = "Europe/Londn".parse::<TimeZone>().unwrap_err();
        assert_eq!(
            error,
            "unknown time zone `Europe/Londn`; did you mean `Europe/London`?"
        );
    }

    #[test]
    fn reject_limit_share_and_count() {
        assert!(RejectLimit::default().allows(1, 100));
        assert!(!RejectLimit::default().allows(2, 100));
        assert!(RejectLimit::Count(3).allows(3, 10));
        assert!(!RejectLimit::Count(3).allows(4, 10));
    }
}
