use std::path::Path;

use super::*;

/// Writes a project folder with `files` and returns it with a config whose `[surveys]`
/// table contains `imports`.
fn project(imports: &str, files: &[(&str, &str)]) -> (tempfile::TempDir, Config) {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "[project]\ntitle = \"t\"\n\n[tickets]\nfile = \"tickets.csv\"\npreset = \"servicenow\"\ntimezone = \"Europe/London\"\n\n[surveys]\n{imports}\n"
    );
    for (name, contents) in files {
        std::fs::write(dir.path().join(name), contents).unwrap();
    }
    let config = Config::parse(&text, Path::new("slaudit.toml")).unwrap();
    (dir, config)
}

fn read(dir: &tempfile::TempDir, config: &Config) -> Result<ImportedAnswers, InputError> {
    let import = &config.surveys.as_ref().unwrap().imports[0];
    read_import(import, config, dir.path())
}

/// Rejections as (line, column, value) for short assertions.
fn rejected(imported: &ImportedAnswers) -> Vec<(u64, &str, &str)> {
    imported
        .rejected
        .iter()
        .map(|r| (r.line, r.column.as_str(), r.value.as_str()))
        .collect()
}

// 2024-05-16T08:00:00Z; London is on BST (UTC+1) and Paris on CEST (UTC+2) then.
const MAY_16_0800_UTC: i64 = 1_715_846_400;

#[test]
fn ratings_parse_per_scale() {
    let cases = [
        (SurveyScale::FivePoint, "4", Ok(Some(4))),
        (SurveyScale::FivePoint, " 1 ", Ok(Some(1))),
        (SurveyScale::FivePoint, "", Ok(None)),
        (SurveyScale::GoodBad, "Good", Ok(Some(2))),
        (SurveyScale::GoodBad, "good_with_comment", Ok(Some(2))),
        (SurveyScale::GoodBad, "Bad with comment", Ok(Some(1))),
        (SurveyScale::GoodBad, "Offered", Ok(None)),
        (SurveyScale::GoodBad, "unoffered", Ok(None)),
        (SurveyScale::ZeroToTen, "0", Ok(Some(0))),
        (SurveyScale::ZeroToTen, "10", Ok(Some(10))),
    ];
    for (scale, text, expected) in cases {
        assert_eq!(parse_rating(scale, text), expected, "{scale:?} {text:?}");
    }
    for (scale, text) in [
        (SurveyScale::FivePoint, "0"),
        (SurveyScale::FivePoint, "6"),
        (SurveyScale::FivePoint, "4.5"),
        (SurveyScale::FivePoint, "good"),
        (SurveyScale::GoodBad, "4"),
        (SurveyScale::GoodBad, "Excellent"),
        (SurveyScale::ZeroToTen, "11"),
        (SurveyScale::ZeroToTen, "-1"),
    ] {
        assert!(parse_rating(scale, text).is_err(), "{scale:?} {text:?}");
    }
}

#[test]
fn generic_export_reads_local_times() {
    let (dir, config) = project(
        "imports = [{ file = \"answers.csv\" }]",
        &[(
            "answers.csv",
            "ticket_id,submitted_at,rating,comment\n\
             INC1,2024-05-16 09:00,5,\"Quick, thanks\"\n\
             INC2,2024-05-16 10:30,2,\n\
             INC3,,,\n",
        )],
    );
    let imported = read(&dir, &config).unwrap();
    assert_eq!(
        imported.answers,
        vec![
            Answer {
                ticket_id: "INC1".to_string(),
                submitted_at: MAY_16_0800_UTC,
                rating: 5,
                comment: "Quick, thanks".to_string(),
            },
            Answer {
                ticket_id: "INC2".to_string(),
                submitted_at: MAY_16_0800_UTC + 5_400,
                rating: 2,
                comment: String::new(),
            },
        ]
    );
    assert_eq!(imported.lines, vec![2, 3]);
    assert_eq!(
        imported.unanswered, 1,
        "a row without a rating is unanswered"
    );
    assert!(imported.rejected.is_empty());
    assert_eq!(imported.input.rows, 3);
    assert_eq!(imported.input.path, "answers.csv");
    assert_eq!(
        imported.date_format,
        Some(("%Y-%m-%d %H:%M".to_string(), true))
    );
}

#[test]
fn zendesk_export_reads_good_and_bad() {
    let (dir, config) = project(
        "[[surveys.imports]]\nfile = \"zendesk.csv\"\npreset = \"zendesk\"",
        &[(
            "zendesk.csv",
            "id,ticket_id,score,comment,created_at,updated_at\n\
             1001,4021,good,,2024-05-16T07:00:00Z,2024-05-16T08:00:00Z\n\
             1002,4022,Bad with comment,Too slow,2024-05-16T07:00:00Z,2024-05-16T09:00:00Z\n\
             1003,4023,offered,,2024-05-16T07:00:00Z,2024-05-16T07:00:00Z\n\
             1004,4024,Excellent,,2024-05-16T07:00:00Z,2024-05-16T07:00:00Z\n\
             1005,,good,,2024-05-16T07:00:00Z,2024-05-16T07:00:00Z\n",
        )],
    );
    let imported = read(&dir, &config).unwrap();
    let answers: Vec<(&str, i64, u8, &str)> = imported
        .answers
        .iter()
        .map(|a| {
            (
                a.ticket_id.as_str(),
                a.submitted_at,
                a.rating,
                a.comment.as_str(),
            )
        })
        .collect();
    // The time is the last update of the score, not its creation.
    assert_eq!(
        answers,
        vec![
            ("4021", MAY_16_0800_UTC, 2, ""),
            ("4022", MAY_16_0800_UTC + 3_600, 1, "Too slow"),
        ]
    );
    assert_eq!(imported.unanswered, 1);
    assert_eq!(
        rejected(&imported),
        vec![(5, "score", "Excellent"), (6, "ticket_id", "")]
    );
    assert!(
        imported.rejected[0]
            .reason
            .starts_with("expected Good or Bad"),
        "{}",
        imported.rejected[0].reason
    );
    assert_eq!(imported.rejected[0].file, "zendesk.csv");
    assert_eq!(imported.rejected[0].ticket, "4024");
    assert_eq!(imported.rejected[1].reason, "the ticket id is empty");
}

#[test]
fn nps_export_with_mapped_columns() {
    let (dir, config) = project(
        "[[surveys.imports]]\nfile = \"nps.csv\"\nscale = \"0-10\"\ntimezone = \"Europe/Paris\"\ncolumns = { ticket_id = \"Ticket\", submitted_at = \"Answered\", rating = \"NPS\", comment = \"Remarks\" }",
        &[(
            "nps.csv",
            "Ticket;Answered;NPS;Remarks\n\
             INC1;16/05/2024 10:00;9;Great\n\
             INC2;16/05/2024 10:00;0;\n\
             INC3;31/05/2024 10:00;11;\n\
             INC4;31/02/2024 10:00;7;\n",
        )],
    );
    let imported = read(&dir, &config).unwrap();
    let answers: Vec<(&str, i64, u8)> = imported
        .answers
        .iter()
        .map(|a| (a.ticket_id.as_str(), a.submitted_at, a.rating))
        .collect();
    assert_eq!(
        answers,
        vec![("INC1", MAY_16_0800_UTC, 9), ("INC2", MAY_16_0800_UTC, 0)]
    );
    assert_eq!(
        rejected(&imported),
        vec![(4, "NPS", "11"), (5, "Answered", "31/02/2024 10:00")]
    );
    assert!(imported.rejected[0].reason.contains("from 0 to 10"));
    assert!(
        imported.rejected[1]
            .reason
            .contains("expected the column's format `%d/%m/%Y %H:%M`"),
        "{}",
        imported.rejected[1].reason
    );
}

#[test]
fn time_in_a_gap_is_rejected() {
    let (dir, config) = project(
        "imports = [{ file = \"answers.csv\", date_format = \"%Y-%m-%d %H:%M\" }]",
        &[(
            "answers.csv",
            "ticket_id,submitted_at,rating,comment\nINC1,2024-03-31 01:30,4,\nINC2,2024-03-31 02:30,4,\n",
        )],
    );
    let imported = read(&dir, &config).unwrap();
    assert_eq!(imported.answers.len(), 1);
    assert_eq!(
        rejected(&imported),
        vec![(2, "submitted_at", "2024-03-31 01:30")]
    );
    assert!(imported.rejected[0]
        .reason
        .contains("does not exist in Europe/London"));
    assert_eq!(
        imported.date_format,
        Some(("%Y-%m-%d %H:%M".to_string(), false))
    );
}

#[test]
fn missing_column_names_the_fix() {
    let (dir, config) = project(
        "imports = [{ file = \"answers.csv\" }]",
        &[(
            "answers.csv",
            "ticket,submitted_at,rating\nINC1,2024-05-16 09:00,5\n",
        )],
    );
    let error = read(&dir, &config).unwrap_err().to_string();
    assert_eq!(
        error,
        "answers.csv:1: no column for the survey field `ticket_id`: the generic preset looks for `ticket_id`; name the column with columns = { ticket_id = \"…\" } in the import"
    );
}

#[test]
fn mapped_column_must_exist() {
    let (dir, config) = project(
        "imports = [{ file = \"answers.csv\", columns = { rating = \"Score\" } }]",
        &[(
            "answers.csv",
            "ticket_id,submitted_at,scor\nINC1,2024-05-16 09:00,5\n",
        )],
    );
    let error = read(&dir, &config).unwrap_err().to_string();
    assert_eq!(
        error,
        "answers.csv:1: no column `Score`, which the import's columns map to `rating`; did you mean `scor`?"
    );
}

#[test]
fn ambiguous_dates_stop_the_build() {
    let (dir, config) = project(
        "imports = [{ file = \"answers.csv\" }]",
        &[(
            "answers.csv",
            "ticket_id,submitted_at,rating\nINC1,05/06/2024 09:00,5\nINC2,07/06/2024 09:00,4\n",
        )],
    );
    let error = read(&dir, &config).unwrap_err().to_string();
    assert!(
        error.starts_with("answers.csv: column `submitted_at`: ambiguous date format"),
        "{error}"
    );
    assert!(
        error.contains("date_format = \"%d/%m/%Y %H:%M\" in the import"),
        "{error}"
    );
}

#[test]
fn config_rejects_unknown_survey_field() {
    let text = "[project]\ntitle = \"t\"\n\n[tickets]\nfile = \"t.csv\"\npreset = \"servicenow\"\ntimezone = \"UTC\"\n\n[surveys]\nimports = [{ file = \"a.csv\", columns = { ratin = \"Score\" } }]\n";
    let error = Config::parse(text, Path::new("slaudit.toml"))
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "slaudit.toml:10:42: unknown survey field `ratin` in the columns of an import; did you mean `rating`?"
    );
    let text = text.replace("columns = { ratin = \"Score\" }", "scale = \"1-10\"");
    let error = Config::parse(&text, Path::new("slaudit.toml"))
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "slaudit.toml:10:38: invalid value `1-10`; did you mean `0-10`?"
    );
}
