use super::*;

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(text, Path::new("slaudit.toml"))
}

const MINIMAL: &str = r#"
[project]
title = "Review"

[tickets]
file = "tickets.csv"
preset = "servicenow"
timezone = "UTC"
"#;

#[test]
fn minimal_config_parses() {
    let config = parse(MINIMAL).unwrap();
    assert_eq!(config.project.title, "Review");
    assert_eq!(config.tickets.timezone.0, chrono_tz::UTC);
    assert!(config.sla.is_empty());
}

#[test]
fn unknown_key_names_its_position() {
    let text = MINIMAL.replace("preset =", "presett = \"x\"\npreset =");
    let error = parse(&text).unwrap_err().to_string();
    assert_eq!(
        error,
        "slaudit.toml:7:1: unknown key `presett`; did you mean `preset`?"
    );
}

#[test]
fn bad_duration_names_its_position() {
    let text = format!("{MINIMAL}\n[[sla]]\npriority = \"P1\"\nresponse = \"4x\"\n");
    let error = parse(&text).unwrap_err().to_string();
    assert!(
        error.starts_with("slaudit.toml:12:12: invalid duration `4x`: the unit is unknown"),
        "{error}"
    );
}

#[test]
fn unknown_calendar_is_rejected() {
    let text = format!("{MINIMAL}\n[[sla]]\npriority = \"P1\"\nresponse = \"4h\"\ncalendar = \"ofice\"\n\n[calendars.office]\nhours = \"24x7\"\n");
    let error = parse(&text).unwrap_err().to_string();
    assert_eq!(
        error,
        "slaudit.toml:13:12: unknown calendar `ofice` in [[sla]]; did you mean `office`?"
    );
}

#[test]
fn line_and_column_count_characters() {
    assert_eq!(line_and_column("ab\ncé\nx", 7), (3, 1));
    assert_eq!(line_and_column("ab\ncé\nx", 4), (2, 2));
}

#[test]
fn encodings_read_in_their_usual_spellings() {
    for (spelling, expected) in [
        ("utf-8", Encoding::Utf8),
        ("utf8", Encoding::Utf8),
        ("windows-1252", Encoding::Windows1252),
        ("cp1252", Encoding::Windows1252),
    ] {
        let text = MINIMAL.replace(
            "timezone = \"UTC\"",
            &format!("timezone = \"UTC\"\nencoding = \"{spelling}\""),
        );
        assert_eq!(
            parse(&text).unwrap().tickets.encoding,
            expected,
            "{spelling}"
        );
    }
}

#[test]
fn encoding_is_named_in_any_case() {
    let read = |name: &str| {
        let text = MINIMAL.replace(
            "timezone = \"UTC\"",
            &format!("timezone = \"UTC\"\nencoding = \"{name}\""),
        );
        parse(&text).map(|config| config.tickets.encoding)
    };
    assert_eq!(read("UTF-8").unwrap(), Encoding::Utf8);
    assert_eq!(read("Windows-1252").unwrap(), Encoding::Windows1252);
    assert_eq!(read("ISO-8859-1").unwrap(), Encoding::Windows1252);
    let error = read("latin-2").unwrap_err().to_string();
    assert!(
        error.starts_with(
            "slaudit.toml:9:12: unknown encoding `latin-2`: expected `utf-8` or `windows-1252`"
        ),
        "{error}"
    );
}

#[test]
fn suggestion_keeps_the_start_of_the_word() {
    let metrics = ["response", "resolution"];
    assert_eq!(did_you_mean("resolve", &metrics), Some("resolution"));
    assert_eq!(did_you_mean("respnse", &metrics), Some("response"));
    let fields = ["priority", "category", "subcategory", "team"];
    assert_eq!(did_you_mean("categroy", &fields), Some("category"));
    assert_eq!(did_you_mean("pirority", &fields), Some("priority"));
    assert_eq!(did_you_mean("urgency", &fields), None);
}
