//! How a rating reads on its scale, the counts of a group of answers, and the formatted
//! figures of a group: CSAT with its Wilson interval, the mean rating and NPS.

use serde::Serialize;

use crate::config::SurveyScale;
use crate::review::figures::rate;

/// The normal quantile of a two-sided 95% interval.
pub const Z_95: f64 = 1.959964;

/// Returns whether an answer counts as satisfied for CSAT.
pub fn is_satisfied(scale: SurveyScale, rating: u8) -> bool {
    match scale {
        SurveyScale::FivePoint => rating >= 4,
        SurveyScale::GoodBad => rating == 2,
        SurveyScale::ZeroToTen => rating >= 9,
    }
}

/// Returns whether an answer is a low score, which the page lists with its comment.
pub fn is_low(scale: SurveyScale, rating: u8) -> bool {
    match scale {
        SurveyScale::FivePoint => rating <= 2,
        SurveyScale::GoodBad => rating == 1,
        SurveyScale::ZeroToTen => rating <= 6,
    }
}

fn max(scale: SurveyScale) -> u8 {
    match scale {
        SurveyScale::FivePoint => 5,
        SurveyScale::GoodBad => 2,
        SurveyScale::ZeroToTen => 10,
    }
}

/// Formats a rating as a reader sees it: `4 / 5`, `good`, `7 / 10`.
pub fn describe_rating(scale: SurveyScale, rating: u8) -> String {
    match scale {
        SurveyScale::GoodBad => rating_value(scale, rating),
        _ => format!("{rating} / {}", max(scale)),
    }
}

/// Formats a rating as a CSV cell: the number, or `good` or `bad`.
pub fn rating_value(scale: SurveyScale, rating: u8) -> String {
    match scale {
        SurveyScale::GoodBad if rating == 2 => "good".to_string(),
        SurveyScale::GoodBad => "bad".to_string(),
        _ => rating.to_string(),
    }
}

/// The answers of one group of tickets, counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub responses: usize,
    pub satisfied: usize,
    pub low: usize,
    /// Answers on the 1–5 scale and the sum of their ratings.
    pub five_point: usize,
    pub five_point_sum: u64,
    /// Answers on the 0–10 scale, with promoters (9–10) and detractors (0–6) among them.
    pub zero_to_ten: usize,
    pub promoters: usize,
    pub detractors: usize,
}

impl Tally {
    pub fn add(&mut self, scale: SurveyScale, rating: u8) {
        self.responses += 1;
        self.satisfied += usize::from(is_satisfied(scale, rating));
        self.low += usize::from(is_low(scale, rating));
        match scale {
            SurveyScale::FivePoint => {
                self.five_point += 1;
                self.five_point_sum += u64::from(rating);
            }
            SurveyScale::ZeroToTen => {
                self.zero_to_ten += 1;
                self.promoters += usize::from(rating >= 9);
                self.detractors += usize::from(rating <= 6);
            }
            SurveyScale::GoodBad => {}
        }
    }

    /// Computes the 95% Wilson score interval of CSAT.
    pub fn interval(&self) -> Option<(f64, f64)> {
        wilson_interval(self.satisfied, self.responses, Z_95)
    }
}

/// Computes the Wilson score interval of a proportion of `successes` in `trials`, clamped to
/// [0, 1]. Returns `None` without trials.
pub fn wilson_interval(successes: usize, trials: usize, z: f64) -> Option<(f64, f64)> {
    if trials == 0 {
        return None;
    }
    let n = trials as f64;
    let p = successes as f64 / n;
    let z2 = z * z;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = z / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// Formats a share as a percentage to a tenth, rounded down (`round_up` false) or up.
fn percent_tenths(share: f64, round_up: bool) -> String {
    let tenths = share * 1_000.0;
    let tenths = if round_up {
        tenths.ceil()
    } else {
        tenths.floor()
    };
    let tenths = tenths.clamp(0.0, 1_000.0) as u32;
    format!("{}.{}%", tenths / 10, tenths % 10)
}

/// Formats the mean `sum / count` to two decimals, rounded half up, computed in integers.
pub fn format_mean(sum: u64, count: usize) -> Option<String> {
    if count == 0 {
        return None;
    }
    let count = count as u64;
    let hundredths = (sum * 200 + count) / (2 * count);
    Some(format!("{}.{:02}", hundredths / 100, hundredths % 100))
}

/// Formats NPS, from −100 to 100, to a tenth, truncated toward zero.
pub fn format_nps(promoters: usize, detractors: usize, answers: usize) -> Option<String> {
    if answers == 0 {
        return None;
    }
    let tenths = (promoters as i64 - detractors as i64) * 1_000 / answers as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let tenths = tenths.unsigned_abs();
    Some(format!("{sign}{}.{}", tenths / 10, tenths % 10))
}

/// The figures of one group of tickets, formatted for the page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GroupRow {
    pub label: String,
    /// Audited tickets resolved at the as-of instant.
    pub resolved: usize,
    /// Of those, the ones with a counted answer.
    pub answered: usize,
    pub response_rate: Option<String>,
    /// Counted answers, including those for tickets open at the as-of instant.
    pub responses: usize,
    pub satisfied: usize,
    /// Rounded down to a tenth of a percent.
    pub csat: Option<String>,
    /// The 95% Wilson interval, its lower bound rounded down and its upper bound rounded up.
    pub csat_low: Option<String>,
    pub csat_high: Option<String>,
    /// The mean of 1–5 answers, to two decimals.
    pub mean: Option<String>,
    pub nps: Option<String>,
    pub nps_answers: usize,
    pub promoters: usize,
    pub detractors: usize,
    pub low: usize,
}

/// The tickets of one group and their counted answers.
#[derive(Debug, Clone, Default)]
pub struct Group {
    /// Tickets resolved at the as-of instant.
    pub resolved: usize,
    /// Resolved tickets with a counted answer.
    pub answered: usize,
    pub tally: Tally,
}

impl Group {
    /// Formats the group's figures under `label`.
    pub fn row(&self, label: String) -> GroupRow {
        let tally = &self.tally;
        let interval = tally.interval();
        GroupRow {
            label,
            resolved: self.resolved,
            answered: self.answered,
            response_rate: rate(self.answered, self.resolved),
            responses: tally.responses,
            satisfied: tally.satisfied,
            csat: rate(tally.satisfied, tally.responses),
            csat_low: interval.map(|(low, _)| percent_tenths(low, false)),
            csat_high: interval.map(|(_, high)| percent_tenths(high, true)),
            mean: format_mean(tally.five_point_sum, tally.five_point),
            nps: format_nps(tally.promoters, tally.detractors, tally.zero_to_ten),
            nps_answers: tally.zero_to_ten,
            promoters: tally.promoters,
            detractors: tally.detractors,
            low: tally.low,
        }
    }
}
