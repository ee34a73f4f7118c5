//! Satisfaction: what end users say about the audited tickets.
//!
//! Every raw answer of every survey source is accounted for. Answers received after the as-of
//! instant are left out, as tickets opened after it are. The edit window then keeps one answer
//! per ticket across all sources ([`SurveyAnswers`]). A kept answer counts when its ticket is
//! audited; answers for tickets the export does not contain, or contains outside the audited
//! period, are counted apart and listed, never dropped silently.
//!
//! How each scale reads:
//! - 1–5: satisfied at 4 or 5, a low score at 1 or 2; the mean rating uses these answers only.
//! - good/bad, kept as a 2-point scale (1 bad, 2 good): satisfied when good, low when bad.
//! - 0–10: satisfied at 9 or 10 (promoters), low at 0 to 6 (detractors); NPS is
//!   % promoters − % detractors over these answers only.
//!
//! CSAT is satisfied ÷ answers over every scale, with a 95% Wilson score interval. The
//! response rate is resolved tickets with a counted answer ÷ resolved tickets. The area's
//! decision comes from the `csat` check (`review::checks`), against `[review] csat`.

pub mod answers;
pub mod groups;
pub mod measures;

use rustc_hash::FxHashSet as HashSet;
use serde::Serialize;

pub use answers::{AnswerKey, SurveyAnswers, Use};
pub use measures::{
    describe_rating, format_mean, format_nps, is_low, is_satisfied, rating_value, wilson_interval,
    GroupRow, Tally, Z_95,
};

use crate::clock::TicketClock;
use crate::config::Config;
use crate::normalize::{Dataset, Rejection, Ticket};
use crate::survey::sources::{SourceKind, SurveySource};
use crate::time::{format_local, format_utc};

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

/// One raw answer with its ticket and its outcome, for the evidence lists.
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

/// Everything the satisfaction area page and the summary show beside the area's checks.
#[derive(Debug, Serialize)]
pub struct Satisfaction {
    pub edit_window: String,
    pub sources: Vec<SourceRow>,
    pub counts: AnswerCounts,
    pub overall: GroupRow,
    pub teams: Vec<GroupRow>,
    pub priorities: Vec<GroupRow>,
    pub categories: Vec<GroupRow>,
    pub months: Vec<GroupRow>,
    /// SLA met, SLA breached, and tickets without a verdict when there are any.
    pub sla: Vec<GroupRow>,
    /// The scales of the counted answers, such as `1-5`.
    pub scales: Vec<&'static str>,
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

/// Computes the satisfaction figures of the audited tickets, and what became of every answer.
///
/// `clocks` is in `dataset.tickets` order, as `clock::run` returns it; `audited` contains the
/// tickets of the audited period.
pub fn figures(
    config: &Config,
    dataset: &Dataset,
    clocks: &[TicketClock],
    audited: &[(&Ticket, &TicketClock)],
    answers: &SurveyAnswers<'_>,
) -> Satisfaction {
    let zone = config.tickets.timezone.0;
    let dimensions = groups::tally(audited, answers, zone);
    let counted: HashSet<AnswerKey> = audited
        .iter()
        .filter_map(|(ticket, _)| answers.kept(&ticket.id))
        .collect();

    let mut counts = AnswerCounts {
        received: answers.uses().len(),
        ..AnswerCounts::default()
    };
    let mut rows = Vec::with_capacity(answers.uses().len());
    let mut scales: Vec<&'static str> = Vec::new();
    for &(key, answer_use) in answers.uses() {
        let answer = answers.answer(key);
        let scale = answers.scale(key);
        let position = find_ticket(dataset, &answer.ticket_id);
        let outcome = match answer_use {
            Use::AfterAsOf => Outcome::AfterAsOf,
            Use::Replaced => Outcome::Replaced,
            Use::AfterEditWindow => Outcome::AfterEditWindow,
            Use::Kept if counted.contains(&key) => Outcome::Counted,
            Use::Kept if position.is_some() => Outcome::OutsidePeriod,
            Use::Kept => Outcome::UnknownTicket,
        };
        match outcome {
            Outcome::Counted => counts.counted += 1,
            Outcome::Replaced => counts.replaced += 1,
            Outcome::AfterEditWindow => counts.after_edit_window += 1,
            Outcome::AfterAsOf => counts.after_as_of += 1,
            Outcome::UnknownTicket => counts.unknown_ticket += 1,
            Outcome::OutsidePeriod => counts.outside_period += 1,
        }
        if outcome == Outcome::Counted && !scales.contains(&scale.name()) {
            scales.push(scale.name());
        }
        let ticket = position
            .map(|position| groups::groups_of(&dataset.tickets[position], &clocks[position], zone));
        rows.push(AnswerRow {
            ticket: answer.ticket_id.clone(),
            source: answers.sources[key.0].file.clone(),
            line: answers.line(key),
            submitted: format_local(zone, answer.submitted_at),
            submitted_utc: format_utc(answer.submitted_at),
            scale: scale.name(),
            rating: describe_rating(scale, answer.rating),
            rating_value: rating_value(scale, answer.rating),
            comment: answer.comment.clone(),
            outcome,
            outcome_text: outcome.describe(),
            low: is_low(scale, answer.rating),
            team: ticket
                .map(|t| groups::team_label(dataset, t.team))
                .unwrap_or_default(),
            priority: ticket
                .map(|t| groups::priority_label(t.priority))
                .unwrap_or_default(),
            category: ticket
                .map(|t| groups::category_label(dataset, t.category))
                .unwrap_or_default(),
            sla: ticket.map_or("", |t| groups::SLA_WORDS[t.sla]),
        });
    }
    rows.sort_by(|a, b| {
        a.ticket
            .cmp(&b.ticket)
            .then_with(|| a.submitted_utc.cmp(&b.submitted_utc))
            .then_with(|| a.source.cmp(&b.source))
            .then_with(|| a.line.cmp(&b.line))
    });
    scales.sort();

    let overall = dimensions.overall.row("all".to_string());
    let by = dimensions.rows(dataset);
    Satisfaction {
        edit_window: crate::time::describe_span(answers.edit_window),
        sources: answers.sources.iter().map(source_row).collect(),
        low_count: overall.low,
        overall,
        teams: by.teams,
        priorities: by.priorities,
        categories: by.categories,
        months: by.months,
        sla: by.sla,
        scales,
        counts,
        answers: rows,
        rejected: answers
            .sources
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

#[cfg(test)]
mod tests;
