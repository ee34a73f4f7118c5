use super::*;

/// 2024-04-03T09:00:00 counted by hand: 19,816 days after 1970-01-01, plus nine hours.
const APRIL_3_2024_0900: i64 = 19_816 * 86_400 + 9 * 3_600;

fn format(pattern: &str) -> DateFormat {
    DateFormat::compile(pattern).unwrap()
}

#[test]
fn reads_unpadded_day_first() {
    assert_eq!(
        format("%d/%m/%Y %H:%M").parse("3/4/2024 9:00"),
        Some(Stamp::Local(APRIL_3_2024_0900))
    );
    assert_eq!(
        format("%d/%m/%Y %H:%M").parse("03/04/2024 09:00"),
        Some(Stamp::Local(APRIL_3_2024_0900))
    );
}

#[test]
fn rejects_impossible_dates() {
    let day_first = format("%d/%m/%Y %H:%M");
    assert_eq!(day_first.parse("30/2/2024 10:00"), None);
    assert_eq!(day_first.parse("3/13/2024 10:00"), None);
    assert_eq!(day_first.parse("3/4/2024 24:00"), None);
    assert_eq!(day_first.parse("3/4/2024 10:00 extra"), None);
    assert!(day_first.parse("29/2/2024 10:00").is_some());
}

#[test]
fn twelve_am_is_midnight() {
    let jira = format("%d/%b/%y %I:%M %p");
    let midnight = jira.parse("03/Apr/24 12:00 AM").unwrap();
    let noon = jira.parse("03/Apr/24 12:00 PM").unwrap();
    let nine_pm = jira.parse("03/apr/24 9:00 pm").unwrap();
    assert_eq!(midnight, Stamp::Local(APRIL_3_2024_0900 - 9 * 3_600));
    assert_eq!(noon, Stamp::Local(APRIL_3_2024_0900 + 3 * 3_600));
    assert_eq!(nine_pm, Stamp::Local(APRIL_3_2024_0900 + 12 * 3_600));
    assert_eq!(jira.parse("03/Apr/24 13:00 PM"), None);
    assert_eq!(jira.parse("03/Apr/24 0:00 AM"), None);
}

#[test]
fn offset_makes_an_instant() {
    let iso = format("%Y-%m-%dT%H:%M:%S%.f%z");
    assert_eq!(
        iso.parse("2024-04-03T09:00:00Z"),
        Some(Stamp::Instant(APRIL_3_2024_0900))
    );
    assert_eq!(
        iso.parse("2024-04-03T10:00:00.250+01:00"),
        Some(Stamp::Instant(APRIL_3_2024_0900))
    );
    assert_eq!(
        iso.parse("2024-04-03T04:00:00-0500"),
        Some(Stamp::Instant(APRIL_3_2024_0900))
    );
    assert_eq!(
        iso.parse("2024-04-03T14:30:00+05:30"),
        Some(Stamp::Instant(APRIL_3_2024_0900))
    );
}

#[test]
fn epoch_seconds_are_instants() {
    assert_eq!(
        format("%s").parse("1712134800"),
        Some(Stamp::Instant(APRIL_3_2024_0900))
    );
}

#[test]
fn month_names_in_either_case() {
    let named = format("%d %B %Y %H:%M");
    assert_eq!(
        named.parse("3 April 2024 09:00"),
        Some(Stamp::Local(APRIL_3_2024_0900))
    );
    assert_eq!(
        named.parse("3 APR 2024 09:00"),
        Some(Stamp::Local(APRIL_3_2024_0900))
    );
    assert_eq!(named.parse("3 Apx 2024 09:00"), None);
}

#[test]
fn compile_rejects_unknown_letters() {
    assert_eq!(
        DateFormat::compile("%d/%q/%Y").unwrap_err(),
        "invalid date format `%d/%q/%Y`: `%q` is not supported"
    );
    assert!(DateFormat::compile("%H:%M").is_err());
}

fn detect(values: &[&str]) -> Result<String, DetectError> {
    let mut detector = ColumnDetector::default();
    for (index, value) in values.iter().enumerate() {
        detector.feed(value, index as u64 + 2);
    }
    detector.finish().map(|format| format.pattern().to_string())
}

#[test]
fn one_decisive_value_settles_the_column() {
    assert_eq!(
        detect(&["03/04/2024 09:00", "13/04/2024 09:00"]).unwrap(),
        "%d/%m/%Y %H:%M"
    );
    assert_eq!(
        detect(&["04/03/2024 09:00", "04/13/2024 09:00"]).unwrap(),
        "%m/%d/%Y %H:%M"
    );
}

#[test]
fn undecided_column_is_ambiguous() {
    let error = detect(&["03/04/2024 09:00", "04/04/2024 10:00"]).unwrap_err();
    assert_eq!(
        error,
        DetectError::Ambiguous {
            formats: vec!["%d/%m/%Y %H:%M".into(), "%m/%d/%Y %H:%M".into()],
            examples: vec!["03/04/2024 09:00".into(), "04/04/2024 10:00".into()],
        }
    );
}

#[test]
fn equal_day_and_month_are_not_ambiguous() {
    assert_eq!(
        detect(&["01/01/2024 09:00", "02/02/2024 09:00"]).unwrap(),
        "%d/%m/%Y %H:%M"
    );
}

#[test]
fn value_fitting_no_form_is_reported() {
    assert_eq!(
        detect(&["13/04/2024 09:00", "yesterday"]).unwrap_err(),
        DetectError::NoFormat {
            value: "yesterday".into(),
            line: 3
        }
    );
}

#[test]
fn detects_common_export_forms() {
    for (value, pattern) in [
        ("2016-02-29 01:16:00", "%Y-%m-%d %H:%M:%S%.f"),
        ("2024-01-15T10:00:00Z", "%Y-%m-%dT%H:%M:%S%.f%z"),
        ("25/Feb/26 10:17 PM", "%d/%b/%y %I:%M %p"),
        ("05.02.2024 13:00", "%d.%m.%Y %H:%M"),
        ("1712134800", "%s"),
    ] {
        assert_eq!(detect(&[value]).unwrap(), pattern, "{value}");
    }
}
