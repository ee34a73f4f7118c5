//! Attainment tables, breach evidence and backlog ages.

use std::collections::BTreeMap;

use serde::Serialize;

use super::links::Linking;
use crate::clock::{Metric, MetricClock, Policy, TicketClock, Verdict};
use crate::normalize::{Dataset, Priority, Ticket};
use crate::time::{format_duration, format_local, Instant, DAY};

/// Met and breached counts of one metric over a set of tickets.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Attainment {
    pub met: usize,
    /// Breached, including open tickets already past their target.
    pub breached: usize,
    /// Breaches, among `breached`, that an approved exception of the register excepts.
    pub excepted: usize,
    /// Open and still within target (at risk included).
    pub open: usize,
    pub at_risk: usize,
    pub no_target: usize,
    /// Tickets whose export records nothing that stops this clock.
    pub not_recorded: usize,
    /// met ÷ (met + breached), rounded down to a tenth of a percent; `None` when nothing is decided.
    pub rate: Option<String>,
    /// Attainment net of exceptions: met ÷ (met + breached − excepted), rounded the same way.
    pub net_rate: Option<String>,
    /// The same on the 24×7 clock.
    pub wall_met: usize,
    pub wall_breached: usize,
    pub wall_rate: Option<String>,
    /// Tickets whose clock stopped with a measured time (not met by resolution, not open).
    pub measured: usize,
    /// The sum of their business elapsed times, in seconds.
    pub measured_seconds: i64,
    /// Their mean business elapsed time in whole seconds, rounded down.
    pub mean_seconds: Option<i64>,
    pub mean: Option<String>,
}

impl Attainment {
    /// Counts one ticket's metric. `excepted` is true when an exception excepts its breach.
    pub fn add(&mut self, clock: &MetricClock, excepted: bool) {
        match clock.verdict {
            Verdict::Met | Verdict::MetByResolution => self.met += 1,
            Verdict::Breached | Verdict::OpenBreached => {
                self.breached += 1;
                if excepted {
                    self.excepted += 1;
                }
            }
            Verdict::OpenWithin => self.open += 1,
            Verdict::OpenAtRisk => {
                self.open += 1;
                self.at_risk += 1;
            }
            Verdict::NoTarget => self.no_target += 1,
            Verdict::NotRecorded => self.not_recorded += 1,
        }
        if clock.verdict_wall.is_met() {
            self.wall_met += 1;
        } else if clock.verdict_wall.is_breached() {
            self.wall_breached += 1;
        }
        if let Some(elapsed) = clock.measured() {
            self.measured += 1;
            self.measured_seconds += elapsed;
        }
    }

    /// Fills in the rates once every ticket is added.
    pub fn finish(mut self) -> Attainment {
        self.rate = rate(self.met, self.met + self.breached);
        self.net_rate = rate(self.met, self.met + self.breached - self.excepted);
        self.wall_rate = rate(self.wall_met, self.wall_met + self.wall_breached);
        if self.measured > 0 {
            let mean = self.measured_seconds.div_euclid(self.measured as i64);
            self.mean_seconds = Some(mean);
            // Shown to the nearest minute: seconds of a mean are noise to a reader.
            self.mean = Some(format_duration((mean + 30).div_euclid(60) * 60));
        }
        self
    }

    pub fn decided(&self) -> usize {
        self.met + self.breached
    }
}

/// Formats a whole number with thousands separators: 24918 → "24,918".
pub fn format_count(number: u64) -> String {
    let digits = number.to_string();
    let mut text = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            text.push(',');
        }
        text.push(digit);
    }
    text
}

/// A share as a percentage with one decimal, rounded down so that a rate is never overstated.
pub fn rate(part: usize, whole: usize) -> Option<String> {
    if whole == 0 {
        return None;
    }
    let tenths = (part as u128 * 1_000) / whole as u128;
    Some(format!("{}.{}%", tenths / 10, tenths % 10))
}

/// Targets and attainment of one priority.
#[derive(Debug, Clone, Serialize)]
pub struct PriorityRow {
    pub priority: String,
    /// The priority in lowercase, as check ids and evidence pages spell it.
    pub key: String,
    pub tickets: usize,
    pub response_target: Option<String>,
    pub resolution_target: Option<String>,
    pub calendar: Option<String>,
    pub response: Attainment,
    pub resolution: Attainment,
}

/// Attainment of one team.
#[derive(Debug, Clone, Serialize)]
pub struct TeamRow {
    pub team: String,
    pub tickets: usize,
    pub response: Attainment,
    pub resolution: Attainment,
    /// Per priority, in priority order.
    pub priorities: Vec<PriorityRow>,
}

/// One breached metric of one ticket, for the evidence list.
#[derive(Debug, Clone, Serialize)]
pub struct BreachRow {
    pub ticket: String,
    pub line: u64,
    pub priority: String,
    pub team: String,
    pub category: String,
    pub metric: &'static str,
    pub verdict: &'static str,
    pub opened: String,
    pub stopped: String,
    pub target: String,
    pub elapsed: String,
    pub over: String,
    pub over_seconds: i64,
    pub elapsed_wall: String,
    pub paused: String,
    pub calendar: String,
    /// The calendar's time zone, which `opened` and `stopped` are written in.
    pub timezone: &'static str,
    /// The id of the register exception that excepts this breach.
    pub exception: Option<String>,
    /// The risk acceptances and actions of the register that name the ticket.
    pub named_by: Vec<String>,
}

/// Open tickets of one age range at the as-of instant.
#[derive(Debug, Clone, Serialize)]
pub struct BacklogBucket {
    pub label: &'static str,
    pub tickets: usize,
    pub breached: usize,
    #[serde(skip)]
    pub ids: Vec<String>,
}

pub(super) fn priority_label(priority: Option<Priority>) -> String {
    priority.map_or_else(|| "none".to_string(), |p| p.to_string())
}

fn row_for(label: String, tickets: &[&(&Ticket, &TicketClock)], linking: &Linking) -> PriorityRow {
    let mut response = Attainment::default();
    let mut resolution = Attainment::default();
    for (ticket, clock) in tickets {
        let excepted = |metric: Metric| linking.excepts(ticket, clock, metric);
        response.add(&clock.response, excepted(Metric::Response));
        resolution.add(&clock.resolution, excepted(Metric::Resolution));
    }
    PriorityRow {
        key: label.to_lowercase(),
        priority: label,
        tickets: tickets.len(),
        response_target: None,
        resolution_target: None,
        calendar: None,
        response: response.finish(),
        resolution: resolution.finish(),
    }
}

/// Rows per priority. Each metric is counted under the priority whose target judged it (the
/// priority in force when its clock stopped), and the ticket count under the ticket's final
/// priority, so that a response answered at P2 before a raise to P1 counts as P2 response.
fn by_priority(
    audited: &[(&Ticket, &TicketClock)],
    linking: &Linking,
) -> BTreeMap<Option<Priority>, PriorityRow> {
    let mut accumulators: BTreeMap<Option<Priority>, (usize, Attainment, Attainment)> =
        BTreeMap::new();
    for (ticket, clock) in audited {
        accumulators.entry(clock.priority).or_default().0 += 1;
        let response_priority = clock.response.priority.or(clock.priority);
        let resolution_priority = clock.resolution.priority.or(clock.priority);
        accumulators.entry(response_priority).or_default().1.add(
            &clock.response,
            linking.excepts(ticket, clock, Metric::Response),
        );
        accumulators.entry(resolution_priority).or_default().2.add(
            &clock.resolution,
            linking.excepts(ticket, clock, Metric::Resolution),
        );
    }
    accumulators
        .into_iter()
        .map(|(priority, (tickets, response, resolution))| {
            let label = priority_label(priority);
            let row = PriorityRow {
                key: label.to_lowercase(),
                priority: label,
                tickets,
                response_target: None,
                resolution_target: None,
                calendar: None,
                response: response.finish(),
                resolution: resolution.finish(),
            };
            (priority, row)
        })
        .collect()
}

/// A ticket counted under `priority`, to look the priority's targets up with.
fn example_ticket<'a>(
    audited: &[(&'a Ticket, &'a TicketClock)],
    priority: Priority,
) -> Option<&'a Ticket> {
    audited
        .iter()
        .find(|(_, clock)| {
            [
                clock.priority,
                clock.response.priority,
                clock.resolution.priority,
            ]
            .contains(&Some(priority))
        })
        .map(|(ticket, _)| *ticket)
}

pub fn priority_rows(
    dataset: &Dataset,
    policy: &Policy,
    audited: &[(&Ticket, &TicketClock)],
    linking: &Linking,
) -> Vec<PriorityRow> {
    let mut rows = Vec::new();
    let mut groups = by_priority(audited, linking);
    // Tickets without a priority go last.
    let none = groups.remove(&None);
    for (priority, mut row) in groups {
        if let Some((priority, ticket)) =
            priority.and_then(|p| Some((p, example_ticket(audited, p)?)))
        {
            let target = |metric: Metric| {
                policy
                    .rule_for(dataset, ticket, priority, metric)
                    .map(|rule| {
                        let duration = match metric {
                            Metric::Response => rule.response,
                            Metric::Resolution => rule.resolution,
                        };
                        (
                            duration.map(|d| d.to_string()),
                            policy.calendars[rule.calendar].0.clone(),
                        )
                    })
            };
            if let Some((duration, calendar)) = target(Metric::Response) {
                row.response_target = duration;
                row.calendar = Some(calendar);
            }
            if let Some((duration, calendar)) = target(Metric::Resolution) {
                row.resolution_target = duration;
                row.calendar = Some(calendar);
            }
        }
        rows.push(row);
    }
    if let Some(row) = none {
        rows.push(row);
    }
    rows
}

pub fn overall_row(audited: &[(&Ticket, &TicketClock)], linking: &Linking) -> PriorityRow {
    let all: Vec<&(&Ticket, &TicketClock)> = audited.iter().collect();
    row_for("all".to_string(), &all, linking)
}

pub fn team_rows(
    dataset: &Dataset,
    audited: &[(&Ticket, &TicketClock)],
    linking: &Linking,
) -> Vec<TeamRow> {
    let mut teams: BTreeMap<String, Vec<(&Ticket, &TicketClock)>> = BTreeMap::new();
    for &(ticket, clock) in audited {
        let team = dataset
            .symbols
            .text(ticket.team)
            .unwrap_or("(no team)")
            .to_string();
        teams.entry(team).or_default().push((ticket, clock));
    }
    teams
        .into_iter()
        .map(|(team, tickets)| {
            let all: Vec<&(&Ticket, &TicketClock)> = tickets.iter().collect();
            let overall = row_for(team.clone(), &all, linking);
            let priorities = by_priority(&tickets, linking).into_values().collect();
            TeamRow {
                team,
                tickets: tickets.len(),
                response: overall.response,
                resolution: overall.resolution,
                priorities,
            }
        })
        .collect()
}

pub fn breach_rows(
    dataset: &Dataset,
    policy: &Policy,
    audited: &[(&Ticket, &TicketClock)],
    linking: &Linking,
) -> Vec<BreachRow> {
    let zone_of = |clock: &MetricClock| policy.calendars[clock.calendar].1.zone();
    let mut rows = Vec::new();
    for &(ticket, clock) in audited {
        for metric in Metric::ALL {
            let measured = clock.metric(metric);
            if !measured.verdict.is_breached() {
                continue;
            }
            let zone = zone_of(measured);
            let target = measured.target.unwrap_or(0);
            rows.push(BreachRow {
                ticket: ticket.id.to_string(),
                line: ticket.line,
                priority: priority_label(measured.priority),
                team: dataset.text(ticket.team).to_string(),
                category: dataset.text(ticket.category).to_string(),
                metric: metric.name(),
                verdict: measured.verdict.label(),
                opened: format_local(zone, ticket.opened),
                stopped: match measured.stop {
                    Some(at) => format_local(zone, at),
                    None if measured.by_resolution => {
                        format!("no response; resolved {}", format_local(zone, measured.end))
                    }
                    None => String::new(),
                },
                target: format_duration(target),
                elapsed: format_duration(measured.elapsed),
                over: format_duration(measured.elapsed - target),
                over_seconds: measured.elapsed - target,
                elapsed_wall: format_duration(measured.elapsed_wall),
                paused: format_duration(measured.paused),
                calendar: policy.calendars[measured.calendar].0.clone(),
                timezone: zone.name(),
                exception: linking.exception_of(&ticket.id, metric).map(str::to_string),
                named_by: linking.named_by(&ticket.id).to_vec(),
            });
        }
    }
    rows.sort_by(|a, b| a.ticket.cmp(&b.ticket).then(a.metric.cmp(b.metric)));
    rows
}

/// Age ranges of the open backlog, in days.
const AGE_BUCKETS: [(&str, i64, i64); 6] = [
    ("under 1 day", 0, 1),
    ("1 to 3 days", 1, 3),
    ("3 to 7 days", 3, 7),
    ("7 to 30 days", 7, 30),
    ("30 to 90 days", 30, 90),
    ("90 days or more", 90, i64::MAX),
];

pub fn backlog(audited: &[(&Ticket, &TicketClock)], as_of: Instant) -> Vec<BacklogBucket> {
    let mut buckets: Vec<BacklogBucket> = AGE_BUCKETS
        .iter()
        .map(|&(label, _, _)| BacklogBucket {
            label,
            tickets: 0,
            breached: 0,
            ids: Vec::new(),
        })
        .collect();
    for &(ticket, clock) in audited {
        if clock.resolved.is_some() {
            continue;
        }
        let age_days = (as_of - ticket.opened).max(0) / DAY;
        let index = AGE_BUCKETS
            .iter()
            .position(|&(_, from, to)| age_days >= from && age_days < to)
            .unwrap_or(AGE_BUCKETS.len() - 1);
        let bucket = &mut buckets[index];
        bucket.tickets += 1;
        if clock.resolution.verdict.is_breached() || clock.response.verdict.is_breached() {
            bucket.breached += 1;
        }
        bucket.ids.push(ticket.id.to_string());
    }
    buckets
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_get_thousands_separators() {
        assert_eq!(format_count(0), "0");
        assert_eq!(format_count(999), "999");
        assert_eq!(format_count(1_000), "1,000");
        assert_eq!(format_count(24_918), "24,918");
        assert_eq!(format_count(1_234_567), "1,234,567");
    }

    #[test]
    fn rate_rounds_down() {
        assert_eq!(rate(0, 0), None);
        assert_eq!(rate(1, 3), Some("33.3%".to_string()));
        assert_eq!(rate(2, 3), Some("66.6%".to_string()));
        assert_eq!(rate(999, 1000), Some("99.9%".to_string()));
        assert_eq!(rate(9999, 10000), Some("99.9%".to_string()));
        assert_eq!(rate(5, 5), Some("100.0%".to_string()));
    }
}
