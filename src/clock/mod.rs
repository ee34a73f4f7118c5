//! SLA clocks: calendars of open hours, and each ticket's response and resolution clocks.

pub mod calendar;
pub mod ics;
pub mod sla;

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

pub use calendar::{Calendar, CalendarError, CalendarSpan, SpanKind};
pub use sla::{
    Downgrade, Exclusion, Metric, MetricClock, Policy, Rule, Segment, TicketClock, Timeline,
    Verdict,
};

use crate::config::{Config, Percent};
use crate::normalize::{presets, Dataset, Priority, Sym, Ticket};
use crate::time::{Instant, DAY};

/// The warning share of a target when an `[[sla]]` row sets none.
pub const DEFAULT_WARNING: Percent = Percent::from_basis_points(7_500);

/// Compiles the project's calendars and `[[sla]]` rows against the data's time span.
/// Returns the policy and the calendars' warnings.
pub fn policy(
    config: &Config,
    project_dir: &Path,
    dataset: &Dataset,
    as_of: Instant,
) -> anyhow::Result<(Policy, Vec<String>)> {
    let first = dataset
        .tickets
        .iter()
        .map(|t| t.opened)
        .min()
        .unwrap_or(as_of)
        .min(as_of);
    let last = dataset
        .tickets
        .iter()
        .filter_map(|t| t.resolved.or(t.closed))
        .max()
        .unwrap_or(as_of)
        .max(as_of);
    let span = (first - 7 * DAY, last + 400 * DAY);

    let mut calendars = vec![("24x7".to_string(), Calendar::always(chrono_tz::UTC))];
    let mut warnings = Vec::new();
    if config.uses_example_targets() {
        warnings.push(
            "the [[sla]] targets are the examples `slaudit init` wrote, not the client's contract, so every verdict is measured against them; replace them with the client's targets"
                .to_string(),
        );
    }
    for (name, calendar_config) in &config.calendars {
        let (calendar, calendar_warnings) =
            Calendar::from_config(name, calendar_config, project_dir, span).map_err(|error| {
                let place = Config::table_place(project_dir, &format!("calendars.{name}"));
                anyhow::anyhow!("{place}{error:#}")
            })?;
        warnings.extend(calendar_warnings);
        calendars.push((name.clone(), calendar));
    }
    let preset = presets::find(&dataset.preset).map_err(anyhow::Error::msg)?;
    let lower = |statuses: &[&str]| {
        statuses
            .iter()
            .map(|s| s.to_lowercase())
            .collect::<Vec<_>>()
    };
    let rules = config
        .sla
        .iter()
        .map(|row| {
            let calendar = row
                .calendar
                .as_ref()
                .and_then(|name| calendars.iter().position(|(n, _)| n == name))
                .unwrap_or(0);
            let pause = row.pause.clone().unwrap_or_default();
            let pause_response = match &pause.response {
                Some(statuses) => statuses.iter().map(|s| s.to_lowercase()).collect(),
                None => lower(preset.pause_response),
            };
            let pause_resolution = match &pause.resolution {
                Some(statuses) => statuses.iter().map(|s| s.to_lowercase()).collect(),
                None => lower(preset.pause_resolution),
            };
            Rule {
                priorities: row
                    .priority
                    .values()
                    .iter()
                    .filter_map(|p| Priority::parse(p))
                    .collect(),
                teams: row.team.as_ref().map(|t| t.values().to_vec()),
                categories: row.category.as_ref().map(|c| c.values().to_vec()),
                calendar,
                response: row.response,
                resolution: row.resolution,
                pause_response_statuses: statuses_named(dataset, &pause_response),
                pause_resolution_statuses: statuses_named(dataset, &pause_resolution),
                pause_response,
                pause_resolution,
                warning: row.warning.unwrap_or(DEFAULT_WARNING),
            }
        })
        .collect();
    let policy = Policy {
        calendars,
        rules,
        as_of,
        use_initial_priority: config.tickets.target_priority
            == crate::config::TargetPriority::Initial,
    };
    warnings.extend(uncovered_priorities(&policy, dataset));
    Ok((policy, warnings))
}

/// Returns one warning per priority that no `[[sla]]` row gives a target. Tickets at such a
/// priority count in no attainment figure, which a typo in a label or a row can cause.
fn uncovered_priorities(policy: &Policy, dataset: &Dataset) -> Vec<String> {
    let mut uncovered: BTreeMap<Priority, (usize, &Ticket)> = BTreeMap::new();
    for ticket in &dataset.tickets {
        let priority = if policy.use_initial_priority {
            ticket.initial_priority.or(ticket.priority)
        } else {
            ticket.priority
        };
        let Some(priority) = priority else {
            continue;
        };
        let covered = [Metric::Response, Metric::Resolution]
            .into_iter()
            .any(|metric| policy.rule_for(dataset, ticket, priority, metric).is_some());
        if !covered {
            let entry = uncovered.entry(priority).or_insert((0, ticket));
            entry.0 += 1;
        }
    }
    let file = dataset
        .inputs
        .first()
        .map_or("", |input| input.path.as_str());
    uncovered
        .into_iter()
        .map(|(priority, (count, first))| {
            let (tickets, outcome) = if count == 1 {
                (
                    format!("1 ticket at priority {priority} matches"),
                    "it has no target and counts",
                )
            } else {
                (
                    format!(
                        "{} tickets at priority {priority} match",
                        crate::review::format_count(count as u64)
                    ),
                    "they have no target and count",
                )
            };
            format!(
                "{tickets} no [[sla]] row, so {outcome} in no attainment figure (first: {} on {file} line {}); add an [[sla]] row for {priority}, or map the export's label to another priority with [tickets.values.priority]",
                first.id, first.line
            )
        })
        .collect()
}

/// Finds the dataset's status labels that match one of `labels` (lowercase), ignoring case.
fn statuses_named(dataset: &Dataset, labels: &[String]) -> Vec<Sym> {
    dataset
        .status_classes
        .keys()
        .copied()
        .filter(|&status| labels.contains(&dataset.text(status).to_lowercase()))
        .collect()
}

/// Runs every ticket's clocks, in parallel, in ticket order.
pub fn run(policy: &Policy, dataset: &Dataset) -> Vec<TicketClock> {
    dataset
        .tickets
        .par_iter()
        .map(|ticket| policy.run(dataset, ticket))
        .collect()
}
