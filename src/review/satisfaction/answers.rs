//! The survey answers of a build: every raw answer of every source, and the one answer per
//! ticket that the figures count.

use rustc_hash::FxHashMap as HashMap;

use crate::config::{BusinessDuration, Config, SurveyScale};
use crate::survey::settings::DEFAULT_EDIT_WINDOW;
use crate::survey::sources::SurveySource;
use crate::survey::{answer_uses, Answer, AnswerUse};
use crate::time::Instant;

/// A raw answer's place: the index of its source and its index among that source's answers.
pub type AnswerKey = (usize, usize);

/// What the as-of instant and the edit window make of a raw answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// Received after the as-of instant, so left out.
    AfterAsOf,
    /// A later answer for the same ticket inside the edit window replaces it.
    Replaced,
    /// Received after its ticket's edit window closed, so ignored.
    AfterEditWindow,
    /// The one answer kept for its ticket.
    Kept,
}

/// Every survey answer of a build, with the one answer kept per ticket.
#[derive(Debug)]
pub struct SurveyAnswers<'a> {
    pub sources: &'a [SurveySource],
    /// Seconds after a ticket's first answer during which a new answer replaces it.
    pub edit_window: i64,
    /// Every raw answer with its use, in source order and then file order.
    uses: Vec<(AnswerKey, Use)>,
    /// The kept answer of each ticket id.
    kept: HashMap<&'a str, AnswerKey>,
}

impl<'a> SurveyAnswers<'a> {
    /// Leaves out answers received after `as_of` and keeps one answer per ticket over every
    /// source by the edit window ([`answer_uses`]). Sources come in `sources` order, so at the
    /// same second an import's answer wins over the server's and a later import's over an
    /// earlier one.
    pub fn collect(
        config: &Config,
        sources: &'a [SurveySource],
        as_of: Instant,
    ) -> SurveyAnswers<'a> {
        let edit_window = config
            .surveys
            .as_ref()
            .and_then(|surveys| surveys.edit_window)
            .map_or(DEFAULT_EDIT_WINDOW, |window| match window {
                BusinessDuration::Open(seconds) => seconds,
                // The config rejects business days for surveys.
                BusinessDuration::BusinessDays(_) => DEFAULT_EDIT_WINDOW,
            });
        let keys: Vec<AnswerKey> = sources
            .iter()
            .enumerate()
            .flat_map(|(source, file)| (0..file.answers.len()).map(move |index| (source, index)))
            .collect();
        let answer = |(source, index): AnswerKey| &sources[source].answers[index];
        let known: Vec<&Answer> = keys
            .iter()
            .map(|&key| answer(key))
            .filter(|answer| answer.submitted_at <= as_of)
            .collect();
        let mut known_uses = answer_uses(&known, edit_window).into_iter();

        let mut kept = HashMap::default();
        let mut uses = Vec::with_capacity(keys.len());
        for key in keys {
            let answer = answer(key);
            let answer_use = if answer.submitted_at > as_of {
                Use::AfterAsOf
            } else {
                // `known` contains exactly the answers that reach this branch, in this order.
                match known_uses.next() {
                    Some(AnswerUse::Counts) => {
                        kept.insert(answer.ticket_id.as_str(), key);
                        Use::Kept
                    }
                    Some(AnswerUse::AfterEditWindow) => Use::AfterEditWindow,
                    Some(AnswerUse::Replaced) | None => Use::Replaced,
                }
            };
            uses.push((key, answer_use));
        }
        SurveyAnswers {
            sources,
            edit_window,
            uses,
            kept,
        }
    }

    pub fn answer(&self, (source, index): AnswerKey) -> &'a Answer {
        &self.sources[source].answers[index]
    }

    pub fn scale(&self, (source, _): AnswerKey) -> SurveyScale {
        self.sources[source].scale
    }

    /// Returns the answer's line in its file, or 0 when unknown.
    pub fn line(&self, (source, index): AnswerKey) -> u64 {
        self.sources[source].lines.get(index).copied().unwrap_or(0)
    }

    /// Returns the key of the answer kept for a ticket, if it has one.
    pub fn kept(&self, ticket: &str) -> Option<AnswerKey> {
        self.kept.get(ticket).copied()
    }

    /// Returns the kept answer of a ticket with its scale.
    pub fn rating_of(&self, ticket: &str) -> Option<(SurveyScale, &'a Answer)> {
        self.kept(ticket)
            .map(|key| (self.scale(key), self.answer(key)))
    }

    /// Returns every raw answer with its use, in source order and then file order.
    pub fn uses(&self) -> &[(AnswerKey, Use)] {
        &self.uses
    }
}
