//! Satisfaction: what end users say about the audited tickets, and the area's decision.
//!
//! Every raw answer of every survey source is accounted for. Answers received after the as-of
//! instant are left out, as tickets opened after it are. The edit window then keeps one answer
//! per ticket ([`answer_uses`]), across all sources. A kept answer counts when its ticket is
//! audited; answers for tickets the export does not hold, or holds outside the audited
//! period, are counted apart and listed, never dropped silently.
//!
//! How each scale reads:
//! - 1–5: satisfied at 4 or 5, a low score at 1 or 2; the mean rating uses these answers only.
//! - good/bad, kept as a 2-point scale (1 bad, 2 good): satisfied when good, low when bad.
//! - 0–10: satisfied at 9 or 10 (promoters), low at 0 to 6 (detractors); NPS is
//!   % promoters − % detractors over these answers only.
//!
//! CSAT is satisfied ÷ answers over every scale, with a 95% Wilson score interval. The
//! response rate is resolved tickets with a counted answer ÷ resolved tickets.

use std::collections::BTreeMap;

use chrono::Datelike as _;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

use crate::clock::TicketClock;
use crate::config::{Config, Percent, SurveyScale};
use crate::normalize::{Dataset, Priority, Rejection, Sym, Ticket};
use crate::survey::settings::DEFAULT_EDIT_WINDOW;
use crate::survey::sources::{SourceKind, SurveySource};
use crate::survey::{answer_uses, Answer, AnswerUse};
use crate::time::{format_duration, format_local, Instant};

use super::figures::rate;

/// The normal quantile of a two-sided 95% interval.
pub const Z_95: f64 = 1.959964;

pub const DEFAULT_ACCEPTABLE: Percent = Percent::from_basis_points(8_500);
pub const DEFAULT_NEEDS_TUNING: Percent = Percent::from_basis_points(7_500);
pub const DEFAULT_MIN_RESPONSES: usize = 30;

/// A control area's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Acceptable,
    NeedsTuning,
    RequiresRemediation,
    /// Too few observations to decide either way.
    NotEnoughData,
}

impl Decision {
    pub fn label(self) -> &'static str {
        match self {
            Decision::Acceptable => "acceptable",
            Decision::NeedsTuning => "needs tuning",
            Decision::RequiresRemediation => "requires remediation",
            Decision::NotEnoughData => "not enough data",
        }
    }
}

/// The levels that turn CSAT into a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    pub acceptable: Percent,
    pub needs_tuning: Percent,
    pub min_responses: usize,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            acceptable: DEFAULT_ACCEPTABLE,
            needs_tuning: DEFAULT_NEEDS_TUNING,
            min_responses: DEFAULT_MIN_RESPONSES,
        }
    }
}

impl Thresholds {
    /// `[review.satisfaction]` with the defaults filled in.
    pub fn from_config(config: &Config) -> Thresholds {
        let mut thresholds = Thresholds::default();
        if let Some(review) = &config.review.satisfaction {
            if let Some(csat) = review.csat {
                thresholds.acceptable = csat.acceptable;
                thresholds.needs_tuning = csat.needs_tuning;
            }
            if let Some(min_responses) = review.min_responses {
                thresholds.min_responses = min_responses;
            }
        }
        thresholds
    }
}

/// Decides the area from its answers: CSAT against the thresholds, compared exactly, once at
/// least `min_responses` answers are counted.
pub fn decide(tally: &Tally, thresholds: &Thresholds) -> Decision {
    let (satisfied, answers) = (tally.satisfied as u64, tally.responses as u64);
    if tally.responses < thresholds.min_responses || answers == 0 {
        Decision::NotEnoughData
    } else if thresholds.acceptable.is_reached_by(satisfied, answers) {
        Decision::Acceptable
    } else if thresholds.needs_tuning.is_reached_by(satisfied, answers) {
        Decision::NeedsTuning
    } else {
        Decision::RequiresRemediation
    }
}

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

#[derive(Debug, Clone, Default)]
struct Group {
    resolved: usize,
    answered: usize,
    tally: Tally,
}

impl Group {
    fn row(&self, label: String) -> GroupRow {
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

/// Counts of raw answers by outcome, summed over all sources.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AnswerCounts {
    pub received: usize,
    pub after_as_of: usize,
    pub replaced: usize,
    pub after_edit_window: usize,
    pub unknown_ticket: usize,
    pub outside_period: usize,
    pub counted: usize,
}

/// The outcome of one raw answer: counted, or the reason it is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Counted,
    Replaced,
    AfterEditWindow,
    AfterAsOf,
    UnknownTicket,
    OutsidePeriod,
}

impl Outcome {
    pub fn describe(self) -> &'static str {
        match self {
            Outcome::Counted => "counted",
            Outcome::Replaced => "replaced by a later answer in the edit window",
            Outcome::AfterEditWindow => "after the edit window",
            Outcome::AfterAsOf => "received after the as-of instant",
            Outcome::UnknownTicket => "ticket not in the export",
            Outcome::OutsidePeriod => "ticket outside the audited period",
        }
    }
}

/// One raw answer with its ticket and what became of it, for the evidence lists.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerRow {
    pub ticket: String,
    pub source: String,
    pub line: u64,
    /// Local time in the tickets' zone.
    pub submitted: String,
    pub submitted_utc: String,
    pub scale: &'static str,
    /// The rating as a reader sees it, such as `4 / 5`.
    pub rating: String,
    /// The rating as a CSV cell, such as `4` or `good`.
    pub rating_value: String,
    pub comment: String,
    pub outcome: Outcome,
    pub outcome_text: &'static str,
    pub low: bool,
    pub team: String,
    pub priority: String,
    pub category: String,
    /// The ticket's SLA verdict: met, breached or no verdict; empty for unknown tickets.
    pub sla: &'static str,
}

/// One survey file as the page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct SourceRow {
    pub file: String,
    pub kind: String,
    pub scale: &'static str,
    pub exists: bool,
    pub answers: usize,
    pub unanswered: usize,
    pub rejected: usize,
    pub torn_tail_bytes: u64,
    pub date_format: Option<String>,
}

/// The decision with the numbers behind it.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionRow {
    pub decision: Decision,
    pub label: &'static str,
    pub reason: String,
    pub acceptable: String,
    pub needs_tuning: String,
    pub min_responses: usize,
}

/// Everything the satisfaction page and the summary show.
#[derive(Debug, Serialize)]
pub struct Satisfaction {
    /// Whether the project has a `[surveys]` table.
    pub configured: bool,
    pub edit_window: String,
    pub sources: Vec<SourceRow>,
    pub counts: AnswerCounts,
    pub overall: GroupRow,
    pub teams: Vec<GroupRow>,
    pub priorities: Vec<GroupRow>,
    pub categories: Vec<GroupRow>,
    pub months: Vec<GroupRow>,
    /// SLA met, SLA breached, and tickets without a verdict, in that order.
    pub sla: Vec<GroupRow>,
    /// The scales of the counted answers, such as `1-5`.
    pub scales: Vec<&'static str>,
    pub decision: DecisionRow,
    pub low_count: usize,
    /// Every raw answer, sorted by ticket, time, source and line; the page shows a slice.
    #[serde(skip)]
    pub answers: Vec<AnswerRow>,
    /// Rows of survey files that could not be read.
    #[serde(skip)]
    pub rejected: Vec<Rejection>,
}

impl Satisfaction {
    /// Counted answers with a low score, in ticket order.
    pub fn low_scores(&self) -> impl Iterator<Item = &AnswerRow> {
        self.answers
            .iter()
            .filter(|row| row.outcome == Outcome::Counted && row.low)
    }

    /// Sentences for standard error about answers the figures leave out.
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        for source in self.sources.iter().filter(|source| !source.exists) {
            warnings.push(format!(
                "the survey file {} does not exist yet, so no answers from slaudit serve were read",
                source.file
            ));
        }
        if self.counts.after_as_of > 0 {
            warnings.push(format!(
                "left out {} received after the as-of instant; build with a later --as-of to include them",
                plural(self.counts.after_as_of, "survey answer")
            ));
        }
        if !self.rejected.is_empty() {
            warnings.push(format!(
                "rejected {} of survey files; they are listed in quality.html",
                plural(self.rejected.len(), "row")
            ));
        }
        warnings
    }
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// A ticket's place in the audit, as the satisfaction figures group it. Groups are keyed by
/// symbols and numbers, and get their labels only when the rows are built.
#[derive(Debug, Clone, Copy)]
struct TicketGroups {
    team: Sym,
    priority: Option<Priority>,
    category: Sym,
    /// The year and month of the resolution in the tickets' zone; `None` while open.
    month: Option<(i32, u32)>,
    /// The index into [`SLA_LABELS`].
    sla: usize,
    resolved: bool,
}

const SLA_LABELS: [&str; 3] = ["SLA met", "SLA breached", "no SLA verdict"];
const SLA_WORDS: [&str; 3] = ["met", "breached", "no verdict"];

fn groups_of(ticket: &Ticket, clock: &TicketClock, zone: chrono_tz::Tz) -> TicketGroups {
    let month = clock.resolved.map(|resolved| {
        let local = chrono::DateTime::from_timestamp(resolved, 0)
            .unwrap_or_default()
            .with_timezone(&zone);
        (local.year(), local.month())
    });
    TicketGroups {
        team: ticket.team,
        priority: clock.priority,
        category: ticket.category,
        month,
        sla: match super::reconcile::our_verdict(clock) {
            Some(true) => 0,
            Some(false) => 1,
            None => 2,
        },
        resolved: clock.resolved.is_some(),
    }
}

fn team_label(dataset: &Dataset, team: Sym) -> String {
    dataset
        .symbols
        .text(team)
        .unwrap_or("(no team)")
        .to_string()
}

fn category_label(dataset: &Dataset, category: Sym) -> String {
    dataset
        .symbols
        .text(category)
        .unwrap_or("(no category)")
        .to_string()
}

fn priority_label(priority: Option<Priority>) -> String {
    priority.map_or_else(|| "none".to_string(), |p| p.to_string())
}

fn month_label(month: Option<(i32, u32)>) -> String {
    match month {
        Some((year, month)) => format!("{year:04}-{month:02}"),
        None => "not resolved".to_string(),
    }
}

/// The groups of every dimension, filled one ticket at a time.
#[derive(Default)]
struct Dimensions {
    overall: Group,
    teams: HashMap<Sym, Group>,
    priorities: BTreeMap<Option<Priority>, Group>,
    categories: HashMap<Sym, Group>,
    months: BTreeMap<Option<(i32, u32)>, Group>,
    sla: [Group; 3],
}

impl Dimensions {
    /// Adds a ticket (`answer` is `None`) or its counted answer to every group the ticket
    /// belongs to.
    fn add(&mut self, groups: &TicketGroups, answer: Option<(SurveyScale, u8)>) {
        let targets = [
            &mut self.overall,
            self.teams.entry(groups.team).or_default(),
            self.priorities.entry(groups.priority).or_default(),
            self.categories.entry(groups.category).or_default(),
            self.months.entry(groups.month).or_default(),
            &mut self.sla[groups.sla],
        ];
        for group in targets {
            if let Some((scale, rating)) = answer {
                group.tally.add(scale, rating);
                group.answered += usize::from(groups.resolved);
            } else {
                group.resolved += usize::from(groups.resolved);
            }
        }
    }
}

/// Builds the rows of the groups that have a resolved ticket or an answer, in the given order.
fn rows(groups: impl IntoIterator<Item = (String, Group)>) -> Vec<GroupRow> {
    groups
        .into_iter()
        .filter(|(_, group)| group.resolved > 0 || group.tally.responses > 0)
        .map(|(label, group)| group.row(label))
        .collect()
}

/// Labels groups keyed by a symbol and sorts them by label.
fn by_label(groups: HashMap<Sym, Group>, label: impl Fn(Sym) -> String) -> Vec<(String, Group)> {
    let mut labelled: Vec<(String, Group)> = groups
        .into_iter()
        .map(|(sym, group)| (label(sym), group))
        .collect();
    labelled.sort_by(|a, b| a.0.cmp(&b.0));
    labelled
}

/// Labels groups keyed by an optional value, in key order with the `None` group last.
fn none_last<K: Copy + Ord>(
    groups: BTreeMap<Option<K>, Group>,
    label: impl Fn(Option<K>) -> String,
) -> Vec<(String, Group)> {
    let (missing, present): (Vec<_>, Vec<_>) =
        groups.into_iter().partition(|(key, _)| key.is_none());
    present
        .into_iter()
        .chain(missing)
        .map(|(key, group)| (label(key), group))
        .collect()
}

/// Computes the satisfaction figures from every survey source.
///
/// `clocks` is in `dataset.tickets` order, as `clock::run` returns it.
pub fn review(
    config: &Config,
    dataset: &Dataset,
    clocks: &[TicketClock],
    sources: &[SurveySource],
    as_of: Instant,
) -> Satisfaction {
    let zone = config.tickets.timezone.0;
    let period = config.project.period.as_ref();
    let thresholds = Thresholds::from_config(config);
    let edit_window = config
        .surveys
        .as_ref()
        .and_then(|surveys| surveys.edit_window)
        .map_or(DEFAULT_EDIT_WINDOW, |window| match window {
            crate::config::BusinessDuration::Open(seconds) => seconds,
            crate::config::BusinessDuration::BusinessDays(_) => DEFAULT_EDIT_WINDOW,
        });

    // Every audited ticket's groups, by index into `dataset.tickets`. A project without
    // surveys has no answer to place, so its tickets are not grouped at all.
    let configured = config.surveys.is_some();
    let audited: Vec<Option<TicketGroups>> = if configured {
        dataset
            .tickets
            .iter()
            .zip(clocks)
            .map(|(ticket, clock)| {
                (!clock.after_as_of && super::in_period(period, ticket, zone))
                    .then(|| groups_of(ticket, clock, zone))
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut dimensions = Dimensions::default();
    for groups in audited.iter().flatten() {
        dimensions.add(groups, None);
    }

    // Answers known at the as-of instant, from every source, reduced by the edit window.
    let mut raw: Vec<(usize, usize)> = Vec::new();
    for (source_index, source) in sources.iter().enumerate() {
        raw.extend((0..source.answers.len()).map(|index| (source_index, index)));
    }
    let answer_of =
        |&(source, index): &(usize, usize)| -> &Answer { &sources[source].answers[index] };
    let known: Vec<(usize, usize)> = raw
        .iter()
        .copied()
        .filter(|entry| answer_of(entry).submitted_at <= as_of)
        .collect();
    let known_answers: Vec<Answer> = known.iter().map(|entry| answer_of(entry).clone()).collect();
    let mut outcomes: BTreeMap<(usize, usize), Outcome> = raw
        .iter()
        .map(|&entry| (entry, Outcome::AfterAsOf))
        .collect();
    for (entry, answer_use) in known.iter().zip(answer_uses(&known_answers, edit_window)) {
        let outcome = match answer_use {
            AnswerUse::Replaced => Outcome::Replaced,
            AnswerUse::AfterEditWindow => Outcome::AfterEditWindow,
            AnswerUse::Counts => {
                let answer = answer_of(entry);
                match find_ticket(dataset, &answer.ticket_id) {
                    None => Outcome::UnknownTicket,
                    Some(index) => match &audited[index] {
                        None => Outcome::OutsidePeriod,
                        Some(groups) => {
                            let scale = sources[entry.0].scale;
                            dimensions.add(groups, Some((scale, answer.rating)));
                            Outcome::Counted
                        }
                    },
                }
            }
        };
        outcomes.insert(*entry, outcome);
    }

    let mut counts = AnswerCounts {
        received: raw.len(),
        ..AnswerCounts::default()
    };
    let mut answers = Vec::with_capacity(raw.len());
    let mut scales: Vec<&'static str> = Vec::new();
    for (&(source_index, index), &outcome) in &outcomes {
        let source = &sources[source_index];
        let answer = &source.answers[index];
        match outcome {
            Outcome::Counted => counts.counted += 1,
            Outcome::Replaced => counts.replaced += 1,
            Outcome::AfterEditWindow => counts.after_edit_window += 1,
            Outcome::AfterAsOf => counts.after_as_of += 1,
            Outcome::UnknownTicket => counts.unknown_ticket += 1,
            Outcome::OutsidePeriod => counts.outside_period += 1,
        }
        if outcome == Outcome::Counted && !scales.contains(&source.scale.name()) {
            scales.push(source.scale.name());
        }
        let ticket = find_ticket(dataset, &answer.ticket_id)
            .map(|position| groups_of(&dataset.tickets[position], &clocks[position], zone));
        answers.push(AnswerRow {
            ticket: answer.ticket_id.clone(),
            source: source.file.clone(),
            line: source.lines.get(index).copied().unwrap_or(0),
            submitted: format_local(zone, answer.submitted_at),
            submitted_utc: crate::time::format_utc(answer.submitted_at),
            scale: source.scale.name(),
            rating: describe_rating(source.scale, answer.rating),
            rating_value: rating_value(source.scale, answer.rating),
            comment: answer.comment.clone(),
            outcome,
            outcome_text: outcome.describe(),
            low: is_low(source.scale, answer.rating),
            team: ticket
                .map(|t| team_label(dataset, t.team))
                .unwrap_or_default(),
            priority: ticket
                .map(|t| priority_label(t.priority))
                .unwrap_or_default(),
            category: ticket
                .map(|t| category_label(dataset, t.category))
                .unwrap_or_default(),
            sla: ticket.map_or("", |t| SLA_WORDS[t.sla]),
        });
    }
    answers.sort_by(|a, b| {
        a.ticket
            .cmp(&b.ticket)
            .then_with(|| a.submitted_utc.cmp(&b.submitted_utc))
            .then_with(|| a.source.cmp(&b.source))
            .then_with(|| a.line.cmp(&b.line))
    });
    scales.sort();

    let decision = decide(&dimensions.overall.tally, &thresholds);
    let overall = dimensions.overall.row("all".to_string());
    let [met, breached, undecided] = dimensions.sla;
    Satisfaction {
        configured,
        edit_window: format_duration(edit_window),
        sources: sources.iter().map(source_row).collect(),
        decision: DecisionRow {
            decision,
            label: decision.label(),
            reason: explain(decision, &overall, &thresholds),
            acceptable: thresholds.acceptable.to_string(),
            needs_tuning: thresholds.needs_tuning.to_string(),
            min_responses: thresholds.min_responses,
        },
        low_count: overall.low,
        overall,
        teams: rows(by_label(dimensions.teams, |team| team_label(dataset, team))),
        priorities: rows(none_last(dimensions.priorities, priority_label)),
        categories: rows(by_label(dimensions.categories, |category| {
            category_label(dataset, category)
        })),
        months: rows(none_last(dimensions.months, month_label)),
        sla: [met, breached, undecided]
            .iter()
            .zip(SLA_LABELS)
            .enumerate()
            // Met and breached always show, so that an empty side reads as zero.
            .filter(|(index, (group, _))| *index < 2 || group.resolved + group.tally.responses > 0)
            .map(|(_, (group, label))| group.row(label.to_string()))
            .collect(),
        scales,
        counts,
        answers,
        rejected: sources
            .iter()
            .flat_map(|source| source.rejected.iter().cloned())
            .collect(),
    }
}

fn find_ticket(dataset: &Dataset, id: &str) -> Option<usize> {
    dataset
        .tickets
        .binary_search_by(|ticket| (*ticket.id).cmp(id))
        .ok()
}

fn source_row(source: &SurveySource) -> SourceRow {
    SourceRow {
        file: source.file.clone(),
        kind: match source.kind {
            SourceKind::Server => "slaudit serve".to_string(),
            SourceKind::Export(preset) => format!("{} export", preset.name()),
        },
        scale: source.scale.name(),
        exists: source.input.is_some(),
        answers: source.answers.len(),
        unanswered: source.unanswered,
        rejected: source.rejected.len(),
        torn_tail_bytes: source.torn_tail_bytes,
        date_format: source.date_format.as_ref().map(|(format, detected)| {
            if *detected {
                format!("{format} (detected)")
            } else {
                format.clone()
            }
        }),
    }
}

/// Writes one sentence on why the decision is what it is.
fn explain(decision: Decision, overall: &GroupRow, thresholds: &Thresholds) -> String {
    let csat = overall.csat.as_deref().unwrap_or("–");
    let basis = format!(
        "CSAT is {csat} ({} of {} answers satisfied)",
        overall.satisfied, overall.responses
    );
    match decision {
        Decision::NotEnoughData => format!(
            "{} answers were counted, fewer than the {} a decision needs (min_responses in [review.satisfaction])",
            overall.responses, thresholds.min_responses
        ),
        Decision::Acceptable => format!(
            "{basis}, at or above the acceptable level of {}",
            thresholds.acceptable
        ),
        Decision::NeedsTuning => format!(
            "{basis}, below the acceptable level of {} but at or above {}",
            thresholds.acceptable, thresholds.needs_tuning
        ),
        Decision::RequiresRemediation => format!(
            "{basis}, below the needs-tuning level of {}",
            thresholds.needs_tuning
        ),
    }
}

#[cfg(test)]
mod tests;
