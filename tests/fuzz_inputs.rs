//! Property tests: arbitrary bytes as a tickets file and arbitrary text as a date or a
//! duration never panic. Cases and input sizes are bounded so that the run takes seconds;
//! set PROPTEST_CASES to run more.

use std::path::Path;

use proptest::prelude::*;

use slaudit::config::Config;
use slaudit::load::{ReadOptions, Table};
use slaudit::normalize::cells::{self, DurationUnit, VerdictForm};
use slaudit::normalize::dates::{known_formats, ColumnDetector, DateFormat};
use slaudit::normalize::{check_tickets, read_tickets, ReadPlan};

/// Bytes that exercise the reader: delimiters, quotes, line ends, byte-order marks, a
/// `sep=` line's letters, digits and date punctuation, and bytes that are not UTF-8.
fn csv_bytes() -> impl Strategy<Value = Vec<u8>> {
    let byte = prop_oneof![
        4 => prop::sample::select(b",;\t|\"\r\n".to_vec()),
        4 => prop::sample::select(b"0123456789-/:. TZAPM".to_vec()),
        2 => prop::sample::select(b"sepidcreatd_=".to_vec()),
        1 => prop::sample::select(vec![0xEF, 0xBB, 0xBF, 0xFF, 0xFE, 0x00, 0xFC, 0x80, 0xC3]),
        1 => any::<u8>(),
    ];
    prop::collection::vec(byte, 0..1_500)
}

/// A header the generic preset reads, then arbitrary bytes.
fn tickets_file() -> impl Strategy<Value = Vec<u8>> {
    csv_bytes().prop_map(|body| {
        let mut bytes = b"ticket_id,created_at,resolved_at,priority,labels\n".to_vec();
        bytes.extend(body);
        bytes
    })
}

fn read_every_row(path: &Path, options: &ReadOptions) {
    let Ok(mut table) = Table::open(path, "tickets.csv", options) else {
        return;
    };
    let mut errors = 0;
    loop {
        match table.next_row() {
            Ok(Some(row)) => assert!(row.line >= 1),
            Ok(None) => break,
            Err(error) if error.line.is_some() && errors < 10_000 => errors += 1,
            Err(_) => break,
        }
    }
    let _ = table.finish();
}

const CONFIG: &str = "[project]\ntitle = \"fuzz\"\n\n[tickets]\nfile = \"tickets.csv\"\npreset = \"generic\"\ntimezone = \"Europe/London\"\n";

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_bytes_read_as_csv_never_panic(bytes in csv_bytes()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tickets.csv");
        std::fs::write(&path, &bytes).unwrap();
        read_every_row(&path, &ReadOptions::default());
        let windows = ReadOptions {
            encoding: slaudit::config::Encoding::Windows1252,
            delimiter: None,
        };
        read_every_row(&path, &windows);
    }

    #[test]
    fn any_tickets_file_never_panics(bytes in tickets_file()) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("tickets.csv"), &bytes).unwrap();
        let config = Config::parse(CONFIG, Path::new("slaudit.toml")).unwrap();
        let plan = ReadPlan::default();
        let _ = read_tickets(&config, dir.path(), &plan);
        let (dataset, problems) = check_tickets(&config, dir.path(), &plan);
        if let Some(dataset) = dataset {
            prop_assert_eq!(dataset.tickets.len(), dataset.details.len());
            for rejection in &dataset.quality.rejected {
                prop_assert!(rejection.line >= 2, "{:?}", rejection);
            }
        }
        for problem in problems {
            prop_assert!(problem.line.is_none_or(|line| line >= 1), "{}", problem);
        }
    }

    #[test]
    fn any_text_as_a_date_never_panics(text in "\\PC{0,40}") {
        for format in known_formats() {
            let _ = format.parse(&text);
        }
        let mut detector = ColumnDetector::default();
        detector.feed(&text, 2);
        detector.feed(&text, 3);
        let _ = detector.finish();
    }

    #[test]
    fn date_shaped_text_never_panics(
        text in "[0-9]{0,12}[-/. :TZ+]{0,3}[0-9]{0,4}[-/. :]{0,2}[0-9AaPpMm ]{0,10}[+-]?[0-9:]{0,6}"
    ) {
        for format in known_formats() {
            let _ = format.parse(&text);
        }
    }

    #[test]
    fn any_pattern_compiles_or_fails_cleanly(pattern in "[%a-zA-Z:./ -]{0,16}", text in "\\PC{0,30}") {
        if let Ok(format) = DateFormat::compile(&pattern) {
            let _ = format.parse(&text);
        }
    }

    #[test]
    fn any_cell_text_never_panics(text in "\\PC{0,30}") {
        for unit in [DurationUnit::Minutes, DurationUnit::Hours] {
            let _ = cells::duration(&text, unit);
        }
        let _ = cells::decimal(&text, 3_600);
        for form in [VerdictForm::Flag, VerdictForm::BreachedFlag, VerdictForm::Remaining] {
            let _ = cells::verdict(&text, form);
        }
        let _ = cells::Satisfaction::parse(&text);
    }

    #[test]
    fn huge_numbers_do_not_overflow(digits in "[0-9]{10,40}", separator in "[.,:]?") {
        let text = format!("{digits}{separator}{digits}");
        let _ = cells::duration(&text, DurationUnit::Hours);
        let _ = cells::decimal(&text, i64::MAX);
        for format in known_formats() {
            let _ = format.parse(&text);
        }
    }
}
