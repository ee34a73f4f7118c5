use super::measures::Group;
use super::*;
use crate::config::{Config, SurveyScale};
use crate::survey::sources::SurveySource;

/// The Wilson bounds as the roots of (p̂ − p)² = z²·p(1 − p)/n, solved with the quadratic
/// formula: (1 + z²/n)·p² − (2p̂ + z²/n)·p + p̂² = 0.
fn wilson_by_quadratic(successes: usize, trials: usize, z: f64) -> (f64, f64) {
    let n = trials as f64;
    let share = successes as f64 / n;
    let a = 1.0 + z * z / n;
    let b = -(2.0 * share + z * z / n);
    let c = share * share;
    let root = (b * b - 4.0 * a * c).sqrt();
    ((-b - root) / (2.0 * a), (-b + root) / (2.0 * a))
}

#[test]
fn wilson_matches_quadratic_roots() {
    for (successes, trials) in [(8, 10), (5, 8), (1, 3), (97, 100), (260, 377), (3, 3)] {
        let (low, high) = wilson_interval(successes, trials, Z_95).unwrap();
        let (expected_low, expected_high) = wilson_by_quadratic(successes, trials, Z_95);
        assert!(
            (low - expected_low).abs() < 1e-12,
            "{successes}/{trials}: {low} against {expected_low}"
        );
        assert!(
            (high - expected_high).abs() < 1e-12,
            "{successes}/{trials}: {high} against {expected_high}"
        );
    }
}

#[test]
fn wilson_interval_edges() {
    // 8 of 10 gives 0.4902 to 0.9433, worked out by hand from the formula.
    let (low, high) = wilson_interval(8, 10, Z_95).unwrap();
    assert!((low - 0.4902).abs() < 1e-4, "{low}");
    assert!((high - 0.9433).abs() < 1e-4, "{high}");
    // No success: the lower bound is 0 and the upper is (z²/n) / (1 + z²/n).
    let (low, high) = wilson_interval(0, 10, Z_95).unwrap();
    let z2n = Z_95 * Z_95 / 10.0;
    assert_eq!(low, 0.0);
    assert!((high - z2n / (1.0 + z2n)).abs() < 1e-12);
    let (_, high) = wilson_interval(10, 10, Z_95).unwrap();
    assert!(high <= 1.0);
    assert_eq!(wilson_interval(0, 0, Z_95), None);
}

#[test]
fn interval_bounds_round_outwards() {
    let mut group = Group {
        resolved: 10,
        answered: 10,
        tally: Tally::default(),
    };
    for rating in [5, 5, 5, 5, 4, 4, 4, 4, 2, 1] {
        group.tally.add(SurveyScale::FivePoint, rating);
    }
    let row = group.row("all".to_string());
    // 0.49016… down to 49.0%, 0.94332… up to 94.4%.
    assert_eq!(row.csat.as_deref(), Some("80.0%"));
    assert_eq!(row.csat_low.as_deref(), Some("49.0%"));
    assert_eq!(row.csat_high.as_deref(), Some("94.4%"));
    assert_eq!(row.response_rate.as_deref(), Some("100.0%"));
    assert_eq!(row.mean.as_deref(), Some("3.90"));
    assert_eq!(row.low, 2);
}

#[test]
fn tally_reads_each_scale() {
    let mut tally = Tally::default();
    for rating in 1..=5 {
        tally.add(SurveyScale::FivePoint, rating);
    }
    assert_eq!((tally.responses, tally.satisfied, tally.low), (5, 2, 2));
    assert_eq!((tally.five_point, tally.five_point_sum), (5, 15));

    let mut tally = Tally::default();
    tally.add(SurveyScale::GoodBad, 2);
    tally.add(SurveyScale::GoodBad, 1);
    tally.add(SurveyScale::GoodBad, 2);
    assert_eq!((tally.responses, tally.satisfied, tally.low), (3, 2, 1));
    assert_eq!(tally.five_point, 0, "good/bad answers stay out of the mean");

    let mut tally = Tally::default();
    for rating in 0..=10 {
        tally.add(SurveyScale::ZeroToTen, rating);
    }
    // Promoters 9 and 10; detractors 0 to 6; passives 7 and 8.
    assert_eq!(
        (tally.promoters, tally.detractors, tally.zero_to_ten),
        (2, 7, 11)
    );
    assert_eq!((tally.satisfied, tally.low), (2, 7));
}

#[test]
fn mean_rounds_half_up() {
    assert_eq!(format_mean(9, 2).as_deref(), Some("4.50"));
    assert_eq!(format_mean(13, 3).as_deref(), Some("4.33"));
    assert_eq!(format_mean(14, 3).as_deref(), Some("4.67"));
    // 4.125 exactly: half up gives 4.13.
    assert_eq!(format_mean(33, 8).as_deref(), Some("4.13"));
    assert_eq!(format_mean(5, 1).as_deref(), Some("5.00"));
    assert_eq!(format_mean(0, 0), None);
}

#[test]
fn nps_truncates_toward_zero() {
    assert_eq!(format_nps(2, 1, 3).as_deref(), Some("33.3"));
    assert_eq!(format_nps(1, 2, 3).as_deref(), Some("-33.3"));
    assert_eq!(format_nps(1, 0, 8).as_deref(), Some("12.5"));
    assert_eq!(format_nps(0, 0, 5).as_deref(), Some("0.0"));
    assert_eq!(format_nps(0, 4, 4).as_deref(), Some("-100.0"));
    assert_eq!(format_nps(0, 0, 0), None);
}

#[test]
fn csat_decision_defaults() {
    use crate::config::{ReviewConfig, ReviewSettings, Thresholds};
    use crate::review::decision::{decide, Decision, Direction};

    let settings = ReviewSettings::from_config(&ReviewConfig::default());
    assert_eq!(settings.csat, Thresholds::new(8_500, 7_500));
    assert_eq!(settings.min_survey_answers, 30);
    let min = u64::from(settings.min_survey_answers);
    let cases = [
        (85, 100, Decision::Acceptable),
        (84, 100, Decision::NeedsTuning),
        (75, 100, Decision::NeedsTuning),
        (74, 100, Decision::RequiresRemediation),
        (29, 29, Decision::NotEnoughData),
    ];
    for (satisfied, answers, expected) in cases {
        let decision = decide(
            satisfied,
            answers,
            settings.csat,
            Direction::HigherIsBetter,
            min,
        );
        assert_eq!(decision, expected, "{satisfied} of {answers}");
    }
}

#[test]
fn ratings_describe_their_scale() {
    assert_eq!(describe_rating(SurveyScale::FivePoint, 4), "4 / 5");
    assert_eq!(describe_rating(SurveyScale::ZeroToTen, 7), "7 / 10");
    assert_eq!(describe_rating(SurveyScale::GoodBad, 2), "good");
    assert_eq!(rating_value(SurveyScale::GoodBad, 1), "bad");
    assert_eq!(rating_value(SurveyScale::ZeroToTen, 10), "10");
}

fn source(file: &str, scale: SurveyScale, answers: &[(&str, i64, u8)]) -> SurveySource {
    SurveySource {
        file: file.to_string(),
        kind: crate::survey::sources::SourceKind::Server,
        scale,
        answers: answers
            .iter()
            .map(|&(ticket, at, rating)| crate::survey::Answer {
                ticket_id: ticket.to_string(),
                submitted_at: at,
                rating,
                comment: String::new(),
            })
            .collect(),
        lines: (2..2 + answers.len() as u64).collect(),
        unanswered: 0,
        rejected: Vec::new(),
        torn_tail_bytes: 0,
        input: None,
        date_format: None,
    }
}

#[test]
fn collect_cuts_at_as_of_and_prefers_later_source() {
    let text = "[project]\ntitle = \"t\"\n\n[tickets]\nfile = \"t.csv\"\npreset = \"servicenow\"\ntimezone = \"UTC\"\n\n[surveys]\nedit_window = \"1d\"\n";
    let config = Config::parse(text, std::path::Path::new("slaudit.toml")).unwrap();
    let sources = [
        source(
            "surveys.csv",
            SurveyScale::FivePoint,
            &[("A", 100, 1), ("B", 100, 5), ("C", 1_000, 4)],
        ),
        source(
            "nps.csv",
            SurveyScale::ZeroToTen,
            &[("A", 100, 9), ("B", 50_000, 0)],
        ),
    ];
    let answers = SurveyAnswers::collect(&config, &sources, 500);

    assert_eq!(answers.edit_window, 86_400);
    let uses: Vec<(AnswerKey, Use)> = answers.uses().to_vec();
    assert_eq!(
        uses,
        vec![
            // A at the same second in both files: the later source wins.
            ((0, 0), Use::Replaced),
            ((0, 1), Use::Kept),
            // C came after the as-of instant (500).
            ((0, 2), Use::AfterAsOf),
            ((1, 0), Use::Kept),
            ((1, 1), Use::AfterAsOf),
        ]
    );
    let (scale, answer) = answers.rating_of("A").unwrap();
    assert_eq!((scale, answer.rating), (SurveyScale::ZeroToTen, 9));
    assert_eq!(answers.rating_of("C"), None);
    assert_eq!(answers.line((1, 0)), 2);
}
