//! Satisfaction surveys: signed links, the intake server and the answers file.
//!
//! `slaudit survey links` signs one link per resolved ticket ([`token`]). End users open it,
//! and `slaudit serve` ([`server`], thin glue over [`handlers`]) shows a one-question form and
//! appends each answer to the project's survey CSV ([`store`]), which `build` reads back with
//! [`store::read_answers`] and reduces with [`latest_answers`]. Survey exports from help desks
//! ([`imports`]) are read beside it; [`sources`] reads them all for the build.
//!
//! The server never touches the dataset: it looks tickets up in a [`TicketDirectory`] built
//! once at start.

pub mod handlers;
pub mod imports;
pub mod limits;
pub mod pages;
pub mod project;
pub mod server;
pub mod settings;
pub mod sources;
pub mod store;
pub mod token;

use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::collections::HashMap;

use crate::normalize::Dataset;
use crate::time::Instant;

pub use settings::Settings;
pub use store::{read_answers, AnswerFile, AnswerLog, AnswerSink};
pub use token::SigningKeys;

/// One survey answer as stored: every submission is kept, repeats included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub ticket_id: String,
    pub submitted_at: Instant,
    /// On the scale of the answer's source: 1 (very dissatisfied) to 5 (very satisfied) from
    /// the intake server; 1 (bad) or 2 (good) for good/bad; 0 to 10 for the NPS question.
    pub rating: u8,
    /// Free text; may be empty or span several lines.
    pub comment: String,
}

/// What the edit window makes of one raw answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AnswerUse {
    /// The answer that counts for its ticket.
    Counts,
    /// A later answer inside the edit window replaces it.
    Replaced,
    /// It came after the ticket's edit window closed, so it is ignored.
    AfterEditWindow,
}

/// Decides for every answer whether it counts, in the order of `answers`.
///
/// A ticket's edit window opens at its first answer and lasts `edit_window` seconds,
/// inclusive. The latest answer inside the window counts, and an answer after it is ignored
/// (the server rejects those, so they come only from edits by hand). Answers at the same
/// second are ordered by their position in `answers`, the later one winning.
pub fn answer_uses<A: Borrow<Answer>>(answers: &[A], edit_window: i64) -> Vec<AnswerUse> {
    let answers: Vec<&Answer> = answers.iter().map(Borrow::borrow).collect();
    let mut first_at: HashMap<&str, Instant> = HashMap::new();
    for answer in &answers {
        first_at
            .entry(answer.ticket_id.as_str())
            .and_modify(|first| *first = (*first).min(answer.submitted_at))
            .or_insert(answer.submitted_at);
    }
    let window_end =
        |answer: &Answer| first_at[answer.ticket_id.as_str()].saturating_add(edit_window);
    let mut latest: HashMap<&str, usize> = HashMap::new();
    for (index, &answer) in answers.iter().enumerate() {
        if answer.submitted_at > window_end(answer) {
            continue;
        }
        latest
            .entry(answer.ticket_id.as_str())
            .and_modify(|kept| {
                if answer.submitted_at >= answers[*kept].submitted_at {
                    *kept = index;
                }
            })
            .or_insert(index);
    }
    answers
        .iter()
        .enumerate()
        .map(|(index, &answer)| {
            if answer.submitted_at > window_end(answer) {
                AnswerUse::AfterEditWindow
            } else if latest[answer.ticket_id.as_str()] == index {
                AnswerUse::Counts
            } else {
                AnswerUse::Replaced
            }
        })
        .collect()
}

/// Reduces raw answers to the one that counts per ticket, sorted by ticket id; see
/// [`answer_uses`] for the rule.
pub fn latest_answers(answers: &[Answer], edit_window: i64) -> Vec<Answer> {
    let mut latest: Vec<Answer> = answers
        .iter()
        .zip(answer_uses(answers, edit_window))
        .filter(|(_, answer_use)| *answer_use == AnswerUse::Counts)
        .map(|(answer, _)| answer.clone())
        .collect();
    latest.sort_by(|a, b| a.ticket_id.cmp(&b.ticket_id));
    latest
}

/// The fields of a ticket that the survey shows or checks.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TicketEntry {
    /// The ticket's title as exported; `None` when the export has none.
    pub title: Option<String>,
    pub requester: Option<String>,
    pub resolved: Option<Instant>,
}

/// Ticket id → the few fields the survey needs, built once from a dataset.
#[derive(Debug, Clone, Default)]
pub struct TicketDirectory {
    tickets: BTreeMap<String, TicketEntry>,
}

impl TicketDirectory {
    pub fn from_dataset(dataset: &Dataset) -> TicketDirectory {
        let tickets = dataset
            .tickets
            .iter()
            .map(|ticket| {
                let text = |sym| dataset.symbols.text(sym).map(str::to_string);
                let entry = TicketEntry {
                    title: text(ticket.title),
                    requester: text(ticket.requester),
                    resolved: ticket.resolved,
                };
                (ticket.id.to_string(), entry)
            })
            .collect();
        TicketDirectory { tickets }
    }

    pub fn insert(&mut self, id: &str, entry: TicketEntry) {
        self.tickets.insert(id.to_string(), entry);
    }

    pub fn get(&self, id: &str) -> Option<&TicketEntry> {
        self.tickets.get(id)
    }

    /// Tickets in id order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &TicketEntry)> {
        self.tickets.iter().map(|(id, entry)| (id.as_str(), entry))
    }

    pub fn len(&self) -> usize {
        self.tickets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tickets.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::{SourceVerdicts, Ticket};

    const DAY: i64 = 86_400;

    fn answer(ticket: &str, at: Instant, rating: u8) -> Answer {
        Answer {
            ticket_id: ticket.to_string(),
            submitted_at: at,
            rating,
            comment: format!("{ticket} at {at}"),
        }
    }

    #[test]
    fn latest_answer_inside_window_counts() {
        let answers = [
            answer("B", 1_000, 2),
            answer("A", 5_000, 1),
            answer("A", 5_000 + 3 * DAY, 4),
            answer("A", 5_000 + 7 * DAY, 5),
        ];
        let latest = latest_answers(&answers, 7 * DAY);
        assert_eq!(latest, vec![answers[3].clone(), answers[0].clone()]);
    }

    #[test]
    fn answer_after_window_is_ignored() {
        let answers = [answer("A", 5_000, 1), answer("A", 5_000 + 7 * DAY + 1, 5)];
        assert_eq!(latest_answers(&answers, 7 * DAY), vec![answers[0].clone()]);
    }

    #[test]
    fn window_opens_at_earliest_answer_in_any_order() {
        // The file lists the later answer first; the window still opens at the earlier one.
        let answers = [
            answer("A", 5_000 + 8 * DAY, 5),
            answer("A", 5_000, 1),
            answer("A", 5_000 + DAY, 3),
        ];
        assert_eq!(latest_answers(&answers, 7 * DAY), vec![answers[2].clone()]);
    }

    #[test]
    fn same_second_answers_keep_file_order() {
        let first = answer("A", 5_000, 1);
        let mut second = answer("A", 5_000, 4);
        second.comment = "second".to_string();
        let latest = latest_answers(&[first, second.clone()], DAY);
        assert_eq!(latest, vec![second]);
    }

    #[test]
    fn uses_tell_replaced_from_late_answers() {
        let answers = [
            answer("A", 5_000, 1),
            answer("B", 6_000, 3),
            answer("A", 5_000 + 2 * DAY, 2),
            answer("A", 5_000 + 9 * DAY, 5),
        ];
        assert_eq!(
            answer_uses(&answers, 7 * DAY),
            vec![
                AnswerUse::Replaced,
                AnswerUse::Counts,
                AnswerUse::Counts,
                AnswerUse::AfterEditWindow,
            ]
        );
    }

    #[test]
    fn zero_window_keeps_first_answer_only() {
        let answers = [answer("A", 5_000, 1), answer("A", 5_001, 5)];
        assert_eq!(latest_answers(&answers, 0), vec![answers[0].clone()]);
        assert!(latest_answers(&[], DAY).is_empty());
    }

    #[test]
    fn directory_reads_dataset_fields() {
        let mut dataset = Dataset::default();
        let title = dataset.symbols.intern("Printer on fire");
        let requester = dataset.symbols.intern("ana@example.com");
        let ticket = |id: &str, title, requester, resolved| Ticket {
            id: id.into(),
            line: 2,
            opened: 0,
            first_response: None,
            resolved,
            closed: None,
            priority: None,
            initial_priority: None,
            impact: None,
            urgency: None,
            status: crate::normalize::Sym::NONE,
            status_class: None,
            category: crate::normalize::Sym::NONE,
            subcategory: crate::normalize::Sym::NONE,
            team: crate::normalize::Sym::NONE,
            assignee: crate::normalize::Sym::NONE,
            requester,
            channel: crate::normalize::Sym::NONE,
            title,
            reassignments: None,
            reopens: None,
            source: SourceVerdicts::default(),
            extra: Box::new([]),
            events: 0..0,
        };
        dataset.tickets = vec![
            ticket("INC1", title, requester, Some(100)),
            ticket(
                "INC2",
                crate::normalize::Sym::NONE,
                crate::normalize::Sym::NONE,
                None,
            ),
        ];
        let directory = TicketDirectory::from_dataset(&dataset);
        assert_eq!(
            directory.get("INC1"),
            Some(&TicketEntry {
                title: Some("Printer on fire".to_string()),
                requester: Some("ana@example.com".to_string()),
                resolved: Some(100),
            })
        );
        assert_eq!(directory.get("INC2"), Some(&TicketEntry::default()));
        assert_eq!(directory.get("INC3"), None);
    }
}
