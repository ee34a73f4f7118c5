//! Review: turning clocks into the figures an audit reports.
//!
//! Attainment is met ÷ decided, where decided counts tickets whose verdict can no longer
//! change: met, met by resolution, breached, and open tickets already past their target.
//! Open tickets still within their target are reported apart, never as met. Attainment net
//! of exceptions leaves out the breaches that an approved exception of the register excepts
//! (see [`Linking`]).

pub mod audit;
pub mod checks;
pub mod decision;
mod downgrades;
mod figures;
mod links;
mod reconcile;
pub mod satisfaction;

use std::collections::BTreeMap;

use serde::Serialize;

pub use audit::Audit;
pub use downgrades::DowngradeRow;
pub use figures::{format_count, rate, Attainment, BacklogBucket, BreachRow, PriorityRow, TeamRow};
pub use links::{
    local_date, ExceptionUse, LinkedFinding, Linking, NamedCheck, Reference, RegisterReview,
};
pub use reconcile::{Disagreement, Reconciliation};

use crate::clock::{Metric, Policy, TicketClock};
use crate::config::{Config, Period, ReviewSettings};
use crate::normalize::{Dataset, Priority, Ticket};
use crate::register::Register;
use crate::time::Instant;

/// Everything the site reports, computed once per build.
#[derive(Debug, Serialize)]
pub struct Review {
    pub period: Option<String>,
    /// The first and last opening time among audited tickets.
    pub first_opened: Option<Instant>,
    pub last_opened: Option<Instant>,
    pub counts: Counts,
    pub priorities: Vec<PriorityRow>,
    pub overall: PriorityRow,
    pub teams: Vec<TeamRow>,
    /// Every breached metric; pages take it in slices, so it is not serialized whole.
    #[serde(skip)]
    pub breaches: Vec<BreachRow>,
    pub backlog: Vec<BacklogBucket>,
    pub reconciliation: Reconciliation,
    /// The calendar each priority's verdicts use, named for the summary.
    pub verdict_calendars: Vec<String>,
    /// Lowered priorities that hid a breach.
    pub downgrades: Vec<DowngradeRow>,
    /// Indexes into the dataset's tickets (and the clocks) of the audited tickets.
    #[serde(skip)]
    pub audited: Vec<usize>,
    /// Control areas, checks, decisions, actions and the comparison with the previous period.
    pub audit: Audit,
    /// Ticket lists behind the summary's counts: audited, open, and each backlog age.
    #[serde(skip)]
    pub listings: Vec<Listing>,
    /// The register linked to the tickets; `None` without a register.
    #[serde(skip)]
    pub register: Option<RegisterReview>,
    /// Survey figures and every answer's outcome; `None` without `[surveys]`.
    pub satisfaction: Option<satisfaction::Satisfaction>,
}

/// A list of tickets behind a figure that is not a check.
#[derive(Debug)]
pub struct Listing {
    pub id: String,
    pub title: String,
    pub detail: String,
    pub evidence: checks::Evidence,
    /// The number of tickets in the list, which `evidence` may show only the start of.
    pub total: usize,
    /// A CSV of the site that already lists every ticket, linked in place of a CSV of its own.
    pub csv: Option<&'static str>,
}

/// Rows of a list shown on a page; its CSV contains them all.
pub const SHOWN_ROWS: usize = 500;

/// Builds the audited, open and backlog ticket lists.
fn listings(
    config: &Config,
    dataset: &Dataset,
    audited: &[(&Ticket, &TicketClock)],
    backlog: &[BacklogBucket],
) -> Vec<Listing> {
    let zone = config.tickets.timezone.0;
    let columns = [
        "ticket",
        "priority",
        "team",
        "category",
        "opened",
        "status",
        "response",
        "resolution",
    ];
    let row = |ticket: &Ticket, clock: &TicketClock| {
        vec![
            ticket.id.to_string(),
            clock.priority.map(|p| p.to_string()).unwrap_or_default(),
            dataset.text(ticket.team).to_string(),
            dataset.text(ticket.category).to_string(),
            crate::time::format_local(zone, ticket.opened),
            dataset.text(ticket.status).to_string(),
            clock.response.verdict.label().to_string(),
            clock.resolution.verdict.label().to_string(),
        ]
    };
    let mut all = checks::Evidence::new(&columns);
    let mut open = checks::Evidence::new(&columns);
    for &(ticket, clock) in audited {
        // Every audited ticket is in clocks.csv already, so only the rows shown are built.
        if all.rows.len() < SHOWN_ROWS {
            all.push(row(ticket, clock));
        }
        if clock.resolved.is_none() {
            open.push(row(ticket, clock));
        }
    }
    // The tickets under each priority of the summary's Tickets column: the priority that
    // judged the resolution. A long list links clocks.csv for the rest, filtered by its
    // resolution_priority column.
    let mut by_priority: BTreeMap<Option<Priority>, (usize, checks::Evidence)> = BTreeMap::new();
    for &(ticket, clock) in audited {
        let (total, evidence) = by_priority
            .entry(clock.priority)
            .or_insert_with(|| (0, checks::Evidence::new(&columns)));
        *total += 1;
        if evidence.rows.len() < SHOWN_ROWS {
            evidence.push(row(ticket, clock));
        }
    }
    let priority_lists = by_priority.into_iter().map(|(priority, (total, evidence))| {
        let label = priority.map_or_else(|| "no priority".to_string(), |p| p.to_string());
        let column_value = priority.map_or_else(|| "empty".to_string(), |p| p.to_string());
        Listing {
            // The same key as the summary's row for this priority, which links here.
            id: format!("tickets-{}", figures::priority_label(priority).to_lowercase()),
            title: format!("Tickets at {label}"),
            detail: if total > SHOWN_ROWS {
                format!(
                    "tickets whose resolution was judged at {label}; in clocks.csv they are the rows whose resolution_priority is {column_value}"
                )
            } else {
                format!("tickets whose resolution was judged at {label}")
            },
            total,
            evidence,
            csv: (total > SHOWN_ROWS).then_some("clocks.csv"),
        }
    });
    let mut lists = vec![
        Listing {
            id: "audited".to_string(),
            title: "Audited tickets".to_string(),
            detail: "every ticket opened in the period and before the as-of instant".to_string(),
            evidence: all,
            total: audited.len(),
            csv: Some("clocks.csv"),
        },
        Listing {
            id: "open".to_string(),
            title: "Open tickets".to_string(),
            detail: "tickets not resolved at the as-of instant".to_string(),
            total: open.rows.len(),
            evidence: open,
            csv: None,
        },
    ];
    lists.extend(priority_lists);
    for (index, bucket) in backlog.iter().enumerate() {
        let ids: std::collections::BTreeSet<&str> = bucket.ids.iter().map(String::as_str).collect();
        let mut evidence = checks::Evidence::new(&columns);
        for &(ticket, clock) in audited {
            if ids.contains(&*ticket.id) {
                evidence.push(row(ticket, clock));
            }
        }
        lists.push(Listing {
            id: format!("backlog-{}", index + 1),
            title: format!("Open tickets aged {}", bucket.label),
            detail: format!(
                "tickets open at the as-of instant and opened {} before it",
                bucket.label
            ),
            total: evidence.rows.len(),
            evidence,
            csv: None,
        });
    }
    lists
}

/// How many tickets the audit covers, and why others are left out.
#[derive(Debug, Default, Serialize)]
pub struct Counts {
    pub loaded: usize,
    pub audited: usize,
    pub resolved: usize,
    pub open: usize,
    pub outside_period: usize,
    pub after_as_of: usize,
    pub without_priority: usize,
    pub without_target: usize,
}

/// Tells whether a ticket belongs to the audited period.
fn in_period(period: Option<&Period>, ticket: &Ticket, zone: chrono_tz::Tz) -> bool {
    let Some(period) = period else { return true };
    let date = chrono::DateTime::from_timestamp(ticket.opened, 0)
        .unwrap_or_default()
        .with_timezone(&zone)
        .date_naive();
    period.from <= date && date <= period.to
}

/// Explains why no ticket is audited: every ticket was opened after the as-of instant, or
/// none in the period before it. Returns `None` when a ticket is audited or none was loaded.
pub fn nothing_to_audit(config: &Config, dataset: &Dataset, as_of: Instant) -> Option<String> {
    let zone = config.tickets.timezone.0;
    let period = config.project.period.as_ref();
    let loaded = dataset.tickets.len();
    let mut after_as_of = 0;
    for ticket in &dataset.tickets {
        if ticket.opened > as_of {
            after_as_of += 1;
        } else if in_period(period, ticket, zone) {
            return None;
        }
    }
    if loaded == 0 {
        let file = dataset
            .inputs
            .first()
            .map_or("", |input| input.path.as_str());
        let rejected = dataset.quality.rejected.len();
        return Some(if rejected == 0 {
            format!("{file} holds no ticket, only its header; export the tickets again, with their rows")
        } else {
            format!(
                "every row of {file} was rejected, so no ticket is left to audit; `slaudit check` lists each row with its reason"
            )
        });
    }
    let reason = if loaded == 1 && after_as_of == 1 {
        format!(
            "the only ticket was opened {}, after the as-of instant {} {}",
            crate::time::format_local(zone, dataset.tickets[0].opened),
            crate::time::format_local(zone, as_of),
            zone.name()
        )
    } else if after_as_of == loaded {
        let first = dataset
            .tickets
            .iter()
            .map(|t| t.opened)
            .min()
            .unwrap_or(as_of);
        format!(
            "every one of the {} tickets was opened after the as-of instant {} {}; the first was opened {}",
            format_count(loaded as u64),
            crate::time::format_local(zone, as_of),
            zone.name(),
            crate::time::format_local(zone, first)
        )
    } else {
        format!(
            "none of the {} tickets was opened in the period {} before the as-of instant {} {}",
            format_count(loaded as u64),
            period.map(|p| p.to_string()).unwrap_or_default(),
            crate::time::format_local(zone, as_of),
            zone.name()
        )
    };
    Some(format!(
        "nothing to audit: {reason}; check --as-of and [project] period"
    ))
}

/// Selects the tickets opened in `period` (every ticket without one), measured at the as-of instant.
fn select<'a>(
    dataset: &'a Dataset,
    clocks: &'a [TicketClock],
    period: Option<&Period>,
    zone: chrono_tz::Tz,
) -> Vec<(&'a Ticket, &'a TicketClock)> {
    dataset
        .tickets
        .iter()
        .zip(clocks)
        .filter(|(ticket, clock)| !clock.after_as_of && in_period(period, ticket, zone))
        .collect()
}

/// Computes every figure of the site.
pub fn review(
    config: &Config,
    dataset: &Dataset,
    policy: &Policy,
    clocks: &[TicketClock],
    register: Option<&Register>,
    surveys: Option<&satisfaction::SurveyAnswers<'_>>,
) -> Review {
    let zone = config.tickets.timezone.0;
    let period = config.project.period.as_ref();
    let mut counts = Counts {
        loaded: dataset.tickets.len(),
        ..Counts::default()
    };
    let mut audited: Vec<(&Ticket, &TicketClock)> = Vec::new();
    let mut audited_indexes = Vec::new();
    for (index, (ticket, clock)) in dataset.tickets.iter().zip(clocks).enumerate() {
        if clock.after_as_of {
            counts.after_as_of += 1;
        } else if !in_period(period, ticket, zone) {
            counts.outside_period += 1;
        } else {
            audited.push((ticket, clock));
            audited_indexes.push(index);
        }
    }
    counts.audited = audited.len();
    for (_, clock) in &audited {
        if clock.resolved.is_some() {
            counts.resolved += 1;
        } else {
            counts.open += 1;
        }
        if clock.priority.is_none() {
            counts.without_priority += 1;
        } else if clock.response.target.is_none() && clock.resolution.target.is_none() {
            counts.without_target += 1;
        }
    }
    let settings = ReviewSettings::from_config(&config.review);
    let comparison = settings
        .compare
        .or_else(|| period.and_then(audit::previous_period));
    let previous_tickets = comparison.map(|period| select(dataset, clocks, Some(&period), zone));
    let mut linking = Linking::new(register, dataset, &audited, policy.as_of, zone);
    if let Some(previous) = &previous_tickets {
        linking.except_other_period(register, dataset, previous, policy.as_of, zone);
    }
    let facts = checks::Facts {
        config,
        dataset,
        policy,
        settings: &settings,
        tickets: &audited,
        as_of: policy.as_of,
        exceptions: &linking,
        surveys,
    };
    let previous_facts = previous_tickets.as_ref().map(|tickets| checks::Facts {
        tickets,
        ..facts_ref(&facts)
    });
    let no_comparison = if comparison.is_none() {
        Some("The project sets no period, so there is no previous period to compare with; set [project] period or [review] compare.".to_string())
    } else if previous_tickets.as_ref().is_some_and(|t| t.is_empty()) {
        Some("No ticket of the export was opened in the previous period.".to_string())
    } else {
        None
    };
    let as_of_date = chrono::DateTime::from_timestamp(policy.as_of, 0)
        .unwrap_or_default()
        .with_timezone(&zone)
        .date_naive();
    let audit = audit::audit(
        &facts,
        previous_facts
            .as_ref()
            .filter(|f| !f.tickets.is_empty())
            .zip(comparison),
        no_comparison,
        register,
        as_of_date,
    );
    let named_checks: Vec<NamedCheck> = audit
        .checks
        .iter()
        .map(|check| NamedCheck {
            id: check.id.clone(),
            href: format!("areas/{}.html#{}", check.area.slug(), check.id),
        })
        .collect();
    linking.resolve_references(register, dataset, &audited, &named_checks);

    let mut verdict_calendars: Vec<String> = policy
        .rules
        .iter()
        .map(|rule| policy.calendars[rule.calendar].0.clone())
        .collect();
    verdict_calendars.sort();
    verdict_calendars.dedup();

    let backlog = figures::backlog(&audited, policy.as_of);
    let mut listings = listings(config, dataset, &audited, &backlog);
    if let Some(register) = register {
        listings.extend(exception_listings(register, dataset, &audited, &linking));
    }
    let satisfaction =
        surveys.map(|answers| satisfaction::figures(config, dataset, clocks, &audited, answers));
    Review {
        satisfaction,
        listings,
        period: period.map(ToString::to_string),
        first_opened: audited.iter().map(|(t, _)| t.opened).min(),
        last_opened: audited.iter().map(|(t, _)| t.opened).max(),
        priorities: figures::priority_rows(dataset, policy, &audited, &linking),
        overall: figures::overall_row(&audited, &linking),
        teams: figures::team_rows(dataset, &audited, &linking),
        breaches: figures::breach_rows(dataset, policy, &audited, &linking),
        backlog,
        reconciliation: reconcile::reconcile(dataset, &audited),
        downgrades: downgrades::downgrade_rows(&audited),
        counts,
        verdict_calendars,
        audited: audited_indexes,
        audit,
        register: linking.register,
    }
}

/// The file-name stem of an exception's ticket list, such as `exception-ex-01`.
pub fn exception_listing_id(exception: &str) -> String {
    format!("exception-{}", checks::slug(exception))
}

/// Lists, for each exception, the audited tickets its scope matches and which of their
/// breaches it excepts.
fn exception_listings(
    register: &Register,
    dataset: &Dataset,
    audited: &[(&Ticket, &TicketClock)],
    linking: &Linking<'_>,
) -> Vec<Listing> {
    let columns = [
        "ticket",
        "priority",
        "team",
        "category",
        "excepted breaches",
    ];
    register
        .exceptions
        .iter()
        .filter(|exception| exception.scope.is_some())
        .map(|exception| {
            let mut evidence = checks::Evidence::new(&columns);
            for &(ticket, clock) in audited {
                let fields = crate::register::TicketFields::new(ticket, dataset).with_priority(clock.priority);
                if !Metric::ALL.into_iter().any(|metric| exception.covers(&fields, metric)) {
                    continue;
                }
                let excepted: Vec<&str> = Metric::ALL
                    .into_iter()
                    .filter(|&metric| linking.exception_of(&ticket.id, metric) == Some(exception.id.as_str()))
                    .map(Metric::name)
                    .collect();
                evidence.push(vec![
                    ticket.id.to_string(),
                    clock.priority.map(|p| p.to_string()).unwrap_or_default(),
                    dataset.text(ticket.team).to_string(),
                    dataset.text(ticket.category).to_string(),
                    excepted.join(", "),
                ]);
            }
            Listing {
                id: exception_listing_id(&exception.id),
                title: format!("Tickets in the scope of {} — {}", exception.id, exception.title),
                detail: format!(
                    "audited tickets that `{}` matches, whatever their dates; the last column names the breaches the exception excepts",
                    exception.scope.as_ref().map(|scope| scope.text()).unwrap_or_default()
                ),
                total: evidence.rows.len(),
                evidence,
                csv: None,
            }
        })
        .collect()
}

/// Copies the facts' references, to build another period's facts from.
fn facts_ref<'a>(facts: &checks::Facts<'a>) -> checks::Facts<'a> {
    checks::Facts {
        config: facts.config,
        dataset: facts.dataset,
        policy: facts.policy,
        settings: facts.settings,
        tickets: facts.tickets,
        as_of: facts.as_of,
        exceptions: facts.exceptions,
        surveys: facts.surveys,
    }
}

/// The metrics in page order.
pub const METRICS: [Metric; 2] = Metric::ALL;
