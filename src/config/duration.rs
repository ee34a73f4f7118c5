//! SLA target durations as written in the config: `30m`, `4h`, `2d`, `1h 30m`, `3bd`.
//!
//! `m`, `h` and `d` are amounts of open calendar time (`d` is 24 hours of open time, as
//! ServiceNow counts it), so `2d` on a 09:00–17:00 calendar is six business days. `bd` is a
//! number of business days: the same clock time N open days later, or the next open instant
//! when that time is not open. The two kinds do not mix in one value.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A target duration from the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BusinessDuration {
    /// Seconds of open calendar time.
    Open(i64),
    /// Business days: the same clock time this many open days later.
    BusinessDays(u32),
}

/// A duration that does not follow the documented syntax.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid duration `{text}`: {reason}; expected a number and a unit such as \"30m\", \"4h\", \"1h 30m\", \"2d\" or \"3bd\"")]
pub struct DurationError {
    pub text: String,
    pub reason: &'static str,
}

impl BusinessDuration {
    pub fn parse(text: &str) -> Result<BusinessDuration, DurationError> {
        let error = |reason| DurationError {
            text: text.to_string(),
            reason,
        };
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            return Err(error("it is empty"));
        }
        let mut rest = compact.as_str();
        let mut seconds: i64 = 0;
        let mut business_days: Option<u32> = None;
        let mut parts = 0;
        while !rest.is_empty() {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return Err(error("a unit is not preceded by a number"));
            }
            let amount: i64 = rest[..digits]
                .parse()
                .map_err(|_| error("the number is too large"))?;
            rest = &rest[digits..];
            let unit_len = rest.bytes().take_while(|b| b.is_ascii_alphabetic()).count();
            let unit = rest[..unit_len].to_ascii_lowercase();
            rest = &rest[unit_len..];
            parts += 1;
            let unit_seconds = match unit.as_str() {
                "s" => 1,
                "m" | "min" => 60,
                "h" => 3_600,
                "d" => 86_400,
                "bd" => {
                    business_days =
                        Some(u32::try_from(amount).map_err(|_| error("the number is too large"))?);
                    continue;
                }
                "" => return Err(error("the unit is missing")),
                _ => return Err(error("the unit is unknown")),
            };
            seconds = amount
                .checked_mul(unit_seconds)
                .and_then(|s| s.checked_add(seconds))
                .ok_or_else(|| error("the number is too large"))?;
        }
        match business_days {
            Some(_) if parts > 1 => Err(error("business days cannot be combined with other units")),
            Some(days) => Ok(BusinessDuration::BusinessDays(days)),
            None => Ok(BusinessDuration::Open(seconds)),
        }
    }
}

impl BusinessDuration {
    /// Describes the duration in words for prose, such as `30 days` or `5 business days`.
    pub fn describe(&self) -> String {
        match *self {
            BusinessDuration::BusinessDays(1) => "1 business day".to_string(),
            BusinessDuration::BusinessDays(days) => format!("{days} business days"),
            BusinessDuration::Open(seconds) => crate::time::describe_span(seconds),
        }
    }
}

impl fmt::Display for BusinessDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            BusinessDuration::BusinessDays(days) => write!(f, "{days}bd"),
            BusinessDuration::Open(seconds) => {
                if seconds == 0 {
                    return f.write_str("0m");
                }
                let mut parts = Vec::new();
                let (days, rem) = (seconds / 86_400, seconds % 86_400);
                let (hours, rem) = (rem / 3_600, rem % 3_600);
                let (minutes, secs) = (rem / 60, rem % 60);
                if days > 0 {
                    parts.push(format!("{days}d"));
                }
                if hours > 0 {
                    parts.push(format!("{hours}h"));
                }
                if minutes > 0 {
                    parts.push(format!("{minutes}m"));
                }
                if secs > 0 {
                    parts.push(format!("{secs}s"));
                }
                f.write_str(&parts.join(" "))
            }
        }
    }
}

impl<'de> Deserialize<'de> for BusinessDuration {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        BusinessDuration::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl Serialize for BusinessDuration {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_unit() {
        assert_eq!(
            BusinessDuration::parse("30m"),
            Ok(BusinessDuration::Open(1_800))
        );
        assert_eq!(
            BusinessDuration::parse("4h"),
            Ok(BusinessDuration::Open(14_400))
        );
        assert_eq!(
            BusinessDuration::parse("2d"),
            Ok(BusinessDuration::Open(172_800))
        );
        assert_eq!(
            BusinessDuration::parse("3bd"),
            Ok(BusinessDuration::BusinessDays(3))
        );
        assert_eq!(
            BusinessDuration::parse("45s"),
            Ok(BusinessDuration::Open(45))
        );
    }

    #[test]
    fn parses_combined_units() {
        assert_eq!(
            BusinessDuration::parse("1h 30m"),
            Ok(BusinessDuration::Open(5_400))
        );
        assert_eq!(
            BusinessDuration::parse("1d4h"),
            Ok(BusinessDuration::Open(100_800))
        );
    }

    #[test]
    fn rejects_bad_durations() {
        for (text, reason) in [
            ("", "it is empty"),
            ("4", "the unit is missing"),
            ("h", "a unit is not preceded by a number"),
            ("4x", "the unit is unknown"),
            (
                "1bd 2h",
                "business days cannot be combined with other units",
            ),
            ("99999999999999999999h", "the number is too large"),
        ] {
            assert_eq!(
                BusinessDuration::parse(text).unwrap_err().reason,
                reason,
                "{text}"
            );
        }
    }

    #[test]
    fn displays_canonical_form() {
        assert_eq!(BusinessDuration::Open(5_400).to_string(), "1h 30m");
        assert_eq!(BusinessDuration::Open(187_200).to_string(), "2d 4h");
        assert_eq!(BusinessDuration::BusinessDays(3).to_string(), "3bd");
    }
}
