//! Grouping a period's tickets and their counted answers by team, priority, category, month
//! of resolution and SLA verdict.

use std::collections::BTreeMap;

use chrono::Datelike as _;
use rustc_hash::FxHashMap as HashMap;

use super::answers::SurveyAnswers;
use super::measures::{Group, GroupRow};
use crate::clock::TicketClock;
use crate::config::SurveyScale;
use crate::normalize::{Dataset, Priority, Sym, Ticket};

/// A ticket's place in the audit, as the satisfaction figures group it. Groups are keyed by
/// symbols and numbers, and get their labels only when the rows are built.
#[derive(Debug, Clone, Copy)]
pub struct TicketGroups {
    pub team: Sym,
    pub priority: Option<Priority>,
    pub category: Sym,
    /// The year and month of the resolution in the tickets' zone; `None` while open.
    pub month: Option<(i32, u32)>,
    /// The index into [`SLA_LABELS`].
    pub sla: usize,
    pub resolved: bool,
}

pub const SLA_LABELS: [&str; 3] = ["SLA met", "SLA breached", "no SLA verdict"];
pub const SLA_WORDS: [&str; 3] = ["met", "breached", "no verdict"];

pub fn groups_of(ticket: &Ticket, clock: &TicketClock, zone: chrono_tz::Tz) -> TicketGroups {
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
        sla: match crate::review::reconcile::overall_verdict(clock) {
            Some(true) => 0,
            Some(false) => 1,
            None => 2,
        },
        resolved: clock.resolved.is_some(),
    }
}

pub fn team_label(dataset: &Dataset, team: Sym) -> String {
    dataset
        .symbols
        .text(team)
        .unwrap_or("(no team)")
        .to_string()
}

pub fn category_label(dataset: &Dataset, category: Sym) -> String {
    dataset
        .symbols
        .text(category)
        .unwrap_or("(no category)")
        .to_string()
}

pub fn priority_label(priority: Option<Priority>) -> String {
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
pub struct Dimensions {
    pub overall: Group,
    teams: HashMap<Sym, Group>,
    priorities: BTreeMap<Option<Priority>, Group>,
    categories: HashMap<Sym, Group>,
    months: BTreeMap<Option<(i32, u32)>, Group>,
    pub sla: [Group; 3],
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

/// Tallies `tickets` and their counted answers in every dimension.
pub fn tally(
    tickets: &[(&Ticket, &TicketClock)],
    answers: &SurveyAnswers<'_>,
    zone: chrono_tz::Tz,
) -> Dimensions {
    let mut dimensions = Dimensions::default();
    for &(ticket, clock) in tickets {
        let groups = groups_of(ticket, clock, zone);
        dimensions.add(&groups, None);
        if let Some((scale, answer)) = answers.rating_of(&ticket.id) {
            dimensions.add(&groups, Some((scale, answer.rating)));
        }
    }
    dimensions
}

/// The rows of every dimension but the overall one, labelled and in page order.
pub struct DimensionRows {
    pub teams: Vec<GroupRow>,
    pub priorities: Vec<GroupRow>,
    pub categories: Vec<GroupRow>,
    pub months: Vec<GroupRow>,
    /// SLA met, SLA breached, and tickets without a verdict when there are any.
    pub sla: Vec<GroupRow>,
}

impl Dimensions {
    pub fn rows(self, dataset: &Dataset) -> DimensionRows {
        let [met, breached, undecided] = self.sla;
        DimensionRows {
            teams: rows(by_label(self.teams, |team| team_label(dataset, team))),
            priorities: rows(none_last(self.priorities, priority_label)),
            categories: rows(by_label(self.categories, |category| {
                category_label(dataset, category)
            })),
            months: rows(none_last(self.months, month_label)),
            sla: [met, breached, undecided]
                .iter()
                .zip(SLA_LABELS)
                .enumerate()
                // Met and breached always show, so that an empty side reads as zero.
                .filter(|(index, (group, _))| {
                    *index < 2 || group.resolved + group.tally.responses > 0
                })
                .map(|(_, (group, label))| group.row(label.to_string()))
                .collect(),
        }
    }
}
