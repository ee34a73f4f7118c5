//! Reading cells that hold something other than text or a timestamp: durations, decimal
//! numbers written with a comma or a dot, SLA verdicts in their many spellings, and
//! satisfaction ratings.

use serde::Serialize;

/// The unit of a duration cell that holds a bare number, such as `90` or `2,5`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurationUnit {
    Minutes,
    Hours,
}

impl DurationUnit {
    fn seconds(self) -> i64 {
        match self {
            DurationUnit::Minutes => 60,
            DurationUnit::Hours => 3_600,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            DurationUnit::Minutes => "minutes",
            DurationUnit::Hours => "hours",
        }
    }
}

/// The spelling of met and breached in a verdict column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerdictForm {
    /// A flag: `true`, `yes`, `1`, `met`, `Within SLA` or their opposites.
    Flag,
    /// A flag whose true value means breached, such as osTicket's `Overdue`.
    BreachedFlag,
    /// The time left before the target, signed: a leading `-` means breached and zero or
    /// more means met (Jira Service Management's SLA columns, Zammad's and OTRS's
    /// `… Diff In Min`). Flag words are read as flags.
    Remaining,
}

/// A satisfaction survey outcome as help desks export it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Satisfaction {
    Good,
    Bad,
    /// A survey was sent and not answered.
    Offered,
    /// No survey was sent.
    NotOffered,
}

impl Satisfaction {
    pub fn name(self) -> &'static str {
        match self {
            Satisfaction::Good => "good",
            Satisfaction::Bad => "bad",
            Satisfaction::Offered => "offered",
            Satisfaction::NotOffered => "not offered",
        }
    }

    /// Reads Zendesk's labels (`Good`, `Bad`, `Offered`, `Not Offered`, `Unoffered`) and the
    /// names used by `[tickets.values.satisfaction]`, compared without case. Ratings such as
    /// `good, I'm satisfied` keep their first word.
    pub fn parse(text: &str) -> Option<Satisfaction> {
        let lower = text.trim().to_lowercase();
        let first = lower.split([',', ';']).next().unwrap_or("").trim();
        match first {
            "good" | "satisfied" | "positive" => Some(Satisfaction::Good),
            "bad" | "dissatisfied" | "unsatisfied" | "negative" => Some(Satisfaction::Bad),
            "offered" | "offered, not answered" => Some(Satisfaction::Offered),
            "not offered" | "not_offered" | "unoffered" => Some(Satisfaction::NotOffered),
            _ => None,
        }
    }
}

/// Reads a decimal number written with a dot or a comma as its decimal separator, and
/// returns it multiplied by `scale` and rounded half away from zero. `2,5` and `2.5` both
/// read as 2.5; `1.234,5` and `1,234.5` read as 1234.5 (the last separator is the decimal
/// one when both appear). `None` for anything else, or on overflow.
pub fn decimal(text: &str, scale: i64) -> Option<i64> {
    let text = text.trim();
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let last_dot = digits.rfind('.');
    let last_comma = digits.rfind(',');
    let decimal_at = match (last_dot, last_comma) {
        (Some(dot), Some(comma)) => Some(dot.max(comma)),
        (Some(dot), None) if digits.matches('.').count() == 1 => Some(dot),
        (None, Some(comma)) if digits.matches(',').count() == 1 => Some(comma),
        (None, None) => None,
        // Several dots or several commas and nothing else: thousands separators.
        _ => None,
    };
    let (whole, fraction) = match decimal_at {
        Some(at) => (&digits[..at], &digits[at + 1..]),
        None => (digits, ""),
    };
    let whole: String = whole.chars().filter(|c| *c != '.' && *c != ',').collect();
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let mut value = whole.checked_mul(scale)?;
    if !fraction.is_empty() {
        // Scale the fraction exactly: digits / 10^len × scale, rounded half up.
        let fraction = &fraction[..fraction.len().min(12)];
        let numerator: i128 = fraction.parse::<i128>().ok()? * i128::from(scale);
        let denominator: i128 = 10i128.pow(fraction.len() as u32);
        let rounded = (numerator * 2 + denominator) / (denominator * 2);
        value = value.checked_add(i64::try_from(rounded).ok()?)?;
    }
    Some(if negative { -value } else { value })
}

/// Reads a duration cell into signed seconds. Accepted forms: clock readings `H:MM` and
/// `H:MM:SS` (hours may exceed 24), unit words such as `1h 30m`, `2d 4h`, `45m`, `30s`
/// (`d` is 24 hours, `w` seven days), and bare numbers in `unit`, with a decimal dot or comma.
/// A leading `-` makes the duration negative.
pub fn duration(text: &str, unit: DurationUnit) -> Option<i64> {
    let text = text.trim();
    let (negative, body) = match text.as_bytes().first()? {
        b'-' => (true, text[1..].trim_start()),
        b'+' => (false, text[1..].trim_start()),
        _ => (false, text),
    };
    if body.is_empty() {
        return None;
    }
    let seconds = if body.contains(':') {
        clock_reading(body)?
    } else if body.bytes().any(|b| b.is_ascii_alphabetic()) {
        unit_words(body)?
    } else {
        decimal(body, unit.seconds())?
    };
    Some(if negative { -seconds } else { seconds })
}

fn clock_reading(text: &str) -> Option<i64> {
    let parts: Vec<&str> = text.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    let number = |part: &str, max_digits: usize| -> Option<i64> {
        if part.is_empty() || part.len() > max_digits || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let hours = number(parts[0], 9)?;
    let minutes = number(parts[1], 2)?;
    let seconds = match parts.get(2) {
        Some(part) => number(part, 2)?,
        None => 0,
    };
    if minutes > 59 || seconds > 59 {
        return None;
    }
    hours
        .checked_mul(3_600)?
        .checked_add(minutes * 60 + seconds)
}

fn unit_words(text: &str) -> Option<i64> {
    let mut total: i64 = 0;
    let mut rest = text.trim();
    let mut parts = 0;
    while !rest.is_empty() {
        let digits_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
            .unwrap_or(rest.len());
        if digits_end == 0 {
            return None;
        }
        let number = &rest[..digits_end];
        rest = rest[digits_end..].trim_start();
        let word_end = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let word = rest[..word_end].to_ascii_lowercase();
        rest = rest[word_end..].trim_start_matches([' ', ',']);
        let scale = match word.as_str() {
            "w" | "wk" | "wks" | "week" | "weeks" => 7 * 86_400,
            "d" | "day" | "days" => 86_400,
            "h" | "hr" | "hrs" | "hour" | "hours" => 3_600,
            "m" | "min" | "mins" | "minute" | "minutes" => 60,
            "s" | "sec" | "secs" | "second" | "seconds" => 1,
            _ => return None,
        };
        total = total.checked_add(decimal(number, scale)?)?;
        parts += 1;
    }
    (parts > 0).then_some(total)
}

/// Reads a verdict cell: `Some(true)` for met, `Some(false)` for breached, `None` when the
/// cell reads as neither.
pub fn verdict(text: &str, form: VerdictForm) -> Option<bool> {
    let lower = text.trim().to_lowercase();
    let word = match lower.as_str() {
        "true" | "yes" | "y" | "met" | "within sla" | "achieved" | "ok" => Some(true),
        "false" | "no" | "n" | "breached" | "sla violated" | "violated" | "missed" => Some(false),
        _ => None,
    };
    match form {
        VerdictForm::Flag => word.or(match lower.as_str() {
            "1" => Some(true),
            "0" => Some(false),
            _ => None,
        }),
        VerdictForm::BreachedFlag => match lower.as_str() {
            "1" | "true" | "yes" | "y" | "overdue" => Some(false),
            "0" | "false" | "no" | "n" => Some(true),
            _ => None,
        },
        VerdictForm::Remaining => {
            word.or_else(|| duration(&lower, DurationUnit::Minutes).map(|left| left >= 0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_reads_comma_and_dot() {
        assert_eq!(decimal("2,5", 10), Some(25));
        assert_eq!(decimal("2.5", 10), Some(25));
        assert_eq!(decimal("5,5", 3_600), Some(19_800));
        assert_eq!(decimal("1.234,5", 10), Some(12_345));
        assert_eq!(decimal("1,234.5", 10), Some(12_345));
        assert_eq!(decimal("1.234.567", 1), Some(1_234_567));
        assert_eq!(decimal("-0,25", 60), Some(-15));
        assert_eq!(decimal(",5", 2), Some(1));
        assert_eq!(decimal("12", 60), Some(720));
        for bad in ["", "-", "abc", "1,2,3.4.5x", "2,5h", "1 000"] {
            assert_eq!(decimal(bad, 1), None, "{bad}");
        }
    }

    #[test]
    fn decimal_rounds_half_away_from_zero() {
        // 0.0125 h = 45 s; 0.00833 h = 29.988 s, rounded to 30.
        assert_eq!(decimal("0,0125", 3_600), Some(45));
        assert_eq!(decimal("0.00833", 3_600), Some(30));
        assert_eq!(decimal("-0.00833", 3_600), Some(-30));
    }

    #[test]
    fn duration_reads_clock_readings() {
        assert_eq!(
            duration("02:35", DurationUnit::Hours),
            Some(2 * 3_600 + 35 * 60)
        );
        assert_eq!(duration("1:05:09", DurationUnit::Hours), Some(3_909));
        assert_eq!(duration("49:00", DurationUnit::Minutes), Some(49 * 3_600));
        assert_eq!(duration("-2:15", DurationUnit::Minutes), Some(-8_100));
        assert_eq!(duration("2:60", DurationUnit::Minutes), None);
        assert_eq!(duration("2:", DurationUnit::Minutes), None);
        assert_eq!(duration("1:2:3:4", DurationUnit::Minutes), None);
    }

    #[test]
    fn duration_reads_unit_words_and_numbers() {
        assert_eq!(duration("1h 30m", DurationUnit::Minutes), Some(5_400));
        assert_eq!(duration("2d 4h", DurationUnit::Minutes), Some(187_200));
        assert_eq!(duration("-45m", DurationUnit::Minutes), Some(-2_700));
        assert_eq!(duration("1w", DurationUnit::Minutes), Some(604_800));
        assert_eq!(duration("90", DurationUnit::Minutes), Some(5_400));
        assert_eq!(duration("1,5", DurationUnit::Hours), Some(5_400));
        assert_eq!(
            duration("3 hours, 5 minutes", DurationUnit::Minutes),
            Some(11_100)
        );
        assert_eq!(duration("3 parsecs", DurationUnit::Minutes), None);
        assert_eq!(duration("h", DurationUnit::Minutes), None);
        assert_eq!(duration("", DurationUnit::Minutes), None);
    }

    #[test]
    fn verdict_forms() {
        assert_eq!(verdict("Within SLA", VerdictForm::Flag), Some(true));
        assert_eq!(verdict("SLA Violated", VerdictForm::Flag), Some(false));
        assert_eq!(verdict("0", VerdictForm::Flag), Some(false));
        assert_eq!(verdict("1", VerdictForm::BreachedFlag), Some(false));
        assert_eq!(verdict("0", VerdictForm::BreachedFlag), Some(true));
        assert_eq!(verdict("-2:15", VerdictForm::Remaining), Some(false));
        assert_eq!(verdict("3:45", VerdictForm::Remaining), Some(true));
        assert_eq!(verdict("0", VerdictForm::Remaining), Some(true));
        assert_eq!(verdict("-1", VerdictForm::Remaining), Some(false));
        assert_eq!(verdict("-1h 5m", VerdictForm::Remaining), Some(false));
        assert_eq!(verdict("breached", VerdictForm::Remaining), Some(false));
        assert_eq!(verdict("pending", VerdictForm::Remaining), None);
        assert_eq!(verdict("maybe", VerdictForm::Flag), None);
    }

    #[test]
    fn satisfaction_labels() {
        assert_eq!(Satisfaction::parse("Good"), Some(Satisfaction::Good));
        assert_eq!(Satisfaction::parse("bad"), Some(Satisfaction::Bad));
        assert_eq!(Satisfaction::parse("Offered"), Some(Satisfaction::Offered));
        assert_eq!(
            Satisfaction::parse("Not Offered"),
            Some(Satisfaction::NotOffered)
        );
        assert_eq!(
            Satisfaction::parse("Unoffered"),
            Some(Satisfaction::NotOffered)
        );
        assert_eq!(Satisfaction::parse("4 stars"), None);
    }
}
