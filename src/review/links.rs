//! Ties the governance register to the audited tickets: which breaches an exception excepts,
//! how many tickets each exception's scope matches, which tickets, checks and findings the
//! risk acceptances and actions name, and the register's findings on the as-of date.
//!
//! A breach is excepted when an exception is in force on the breach date and its scope covers
//! the ticket and the metric. The breach date is the local date, in the export's zone, of the
//! instant the target ran out. So an exception approved after a target was missed does not
//! excuse that miss, and one that expired before the miss no longer covers it.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::clock::{Metric, MetricClock, TicketClock};
use crate::normalize::{Dataset, Ticket};
use crate::register::{Diagnostic, Finding, Register, Severity, TicketFields};
use crate::time::Instant;

/// The register's effect on the audited tickets; empty without a register.
#[derive(Debug, Default)]
pub struct Linking<'a> {
    /// The ids of the register's exceptions, in file order.
    exception_ids: Vec<String>,
    /// For each ticket with an excepted breach: the index of the excepting exception per
    /// metric, in [`Metric::ALL`] order. A hash map, because the figures look up every
    /// breach of every ticket several times.
    excepted: FxHashMap<&'a str, [Option<usize>; 2]>,
    /// The risk acceptances and actions that name each ticket, in file order.
    named_by: BTreeMap<String, Vec<String>>,
    /// Whether the project has a register.
    linked: bool,
    /// The register linked to this build, for its page.
    pub register: Option<RegisterReview>,
}

/// The register as it applies to one build, for the register page.
#[derive(Debug, Clone)]
pub struct RegisterReview {
    /// The date the findings are computed for: the as-of instant's date in the export's zone.
    pub as_of: NaiveDate,
    pub findings: Vec<LinkedFinding>,
    /// The use of each exception, in file order.
    pub exceptions: Vec<ExceptionUse>,
    /// The resolved links of each risk acceptance and finding of each action, by entry id.
    pub references: BTreeMap<String, Vec<Reference>>,
    /// Warnings about references that name neither a check, a finding nor a ticket.
    pub diagnostics: Vec<Diagnostic>,
}

/// A check of the review that register entries may name, and the page that shows it.
#[derive(Debug, Clone)]
pub struct NamedCheck {
    pub id: String,
    /// The path of the check on the site, such as `areas/metrics.html#response-attainment`.
    pub href: String,
}

/// A register finding with what the build adds to it.
#[derive(Debug, Clone)]
pub struct LinkedFinding {
    pub finding: Finding,
    /// For a finding about an exception: the audited tickets its scope matches.
    pub tickets: Option<usize>,
    /// The risk acceptances and actions that name the finding, in file order.
    pub named_by: Vec<String>,
}

/// One exception's use on the audited tickets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExceptionUse {
    /// Audited tickets whose fields the scope matches, for either metric, whatever the dates.
    pub in_scope: usize,
    /// Breaches the exception excepts.
    pub excepted_breaches: usize,
}

/// The target of an id in a risk acceptance's links or an action's finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    /// A check of the review, by its id as computed, with its place on the site.
    Check { id: String, href: String },
    /// A register finding of this build, by its id as computed.
    Finding(String),
    Ticket {
        id: String,
        /// Whether the ticket is in the audited period.
        audited: bool,
        /// Whether an audited ticket breached a target, and so is in the breach list.
        breached: bool,
    },
    /// Neither a check, a finding nor a ticket of the export.
    Unknown(String),
}

impl<'a> Linking<'a> {
    /// Links the register to the audited tickets at the as-of instant: excepted breaches, the
    /// exceptions' use and the register's findings. Dates are read in `zone`, the export's
    /// zone. References are resolved later by [`Linking::resolve_references`], once the
    /// review's checks are known.
    pub fn new(
        register: Option<&Register>,
        dataset: &Dataset,
        audited: &[(&'a Ticket, &TicketClock)],
        as_of: Instant,
        zone: chrono_tz::Tz,
    ) -> Linking<'a> {
        let Some(register) = register else {
            return Linking::default();
        };
        let as_of_date = local_date(as_of, zone);
        let mut linking = Linking {
            exception_ids: register.exceptions.iter().map(|e| e.id.clone()).collect(),
            linked: true,
            ..Linking::default()
        };
        let mut exceptions = scope_counts(register, dataset, audited);
        linking.except_breaches(register, dataset, audited, as_of, zone, &mut exceptions);
        let findings = linked_findings(register, as_of_date, &exceptions);
        linking.register = Some(RegisterReview {
            as_of: as_of_date,
            findings,
            exceptions,
            references: BTreeMap::new(),
            diagnostics: Vec::new(),
        });
        linking
    }

    /// Excepts the breaches of the tickets of another period, such as the previous one the
    /// review compares with, without counting them in the exceptions' use.
    pub fn except_other_period(
        &mut self,
        register: Option<&Register>,
        dataset: &Dataset,
        tickets: &[(&'a Ticket, &TicketClock)],
        as_of: Instant,
        zone: chrono_tz::Tz,
    ) {
        if let Some(register) = register {
            let mut uncounted = vec![ExceptionUse::default(); register.exceptions.len()];
            self.except_breaches(register, dataset, tickets, as_of, zone, &mut uncounted);
        }
    }

    /// Records which exception, if any, excepts each breach of `tickets`, and counts the
    /// breaches each exception excepts in `exceptions`.
    fn except_breaches(
        &mut self,
        register: &Register,
        dataset: &Dataset,
        tickets: &[(&'a Ticket, &TicketClock)],
        as_of: Instant,
        zone: chrono_tz::Tz,
        exceptions: &mut [ExceptionUse],
    ) {
        for &(ticket, clock) in tickets {
            let fields = TicketFields::new(ticket, dataset).with_priority(clock.priority);
            let mut excepted = [None, None];
            for (slot, metric) in excepted.iter_mut().zip(Metric::ALL) {
                let measured = clock.metric(metric);
                if !measured.verdict.is_breached() {
                    continue;
                }
                let date = local_date(breach_instant(measured, as_of), zone);
                // The same rule as `Register::covering_exception`, keeping the index.
                *slot = register
                    .exceptions
                    .iter()
                    .position(|e| e.is_in_force(date) && e.covers(&fields, metric));
                if let Some(index) = *slot {
                    exceptions[index].excepted_breaches += 1;
                }
            }
            if excepted.iter().any(Option::is_some) {
                self.excepted.insert(&ticket.id, excepted);
            }
        }
    }

    /// Returns whether the project has a register, so that figures show attainment net of
    /// exceptions.
    pub fn is_linked(&self) -> bool {
        self.linked
    }

    /// Returns whether an exception excepts the ticket's breach of `metric`; false when the
    /// metric is not breached.
    pub fn excepts(&self, ticket: &Ticket, clock: &TicketClock, metric: Metric) -> bool {
        clock.metric(metric).verdict.is_breached()
            && self.exception_of(&ticket.id, metric).is_some()
    }

    /// Returns the id of the exception that excepts this breach, if any.
    pub fn exception_of(&self, ticket: &str, metric: Metric) -> Option<&str> {
        let index = self.excepted.get(ticket)?[metric_index(metric)]?;
        Some(&self.exception_ids[index])
    }

    /// Returns the risk acceptances and actions that name a ticket.
    pub fn named_by(&self, ticket: &str) -> &[String] {
        self.named_by.get(ticket).map_or(&[], Vec::as_slice)
    }

    /// Resolves every risk acceptance link and action finding against the review's `checks`,
    /// the register's findings and the tickets, records which entries name each ticket and
    /// finding, and warns about ids that name nothing.
    pub fn resolve_references(
        &mut self,
        register: Option<&Register>,
        dataset: &Dataset,
        audited: &[(&Ticket, &TicketClock)],
        checks: &[NamedCheck],
    ) {
        let (Some(register), Some(review)) = (register, self.register.as_mut()) else {
            return;
        };
        let mut named: Vec<(&str, &str, &str, usize, &[String])> = Vec::new();
        for acceptance in &register.risk_acceptances {
            named.push((
                "risk acceptance",
                "links",
                &acceptance.id,
                acceptance.line,
                &acceptance.links,
            ));
        }
        for action in &register.actions {
            named.push((
                "action",
                "finding",
                &action.id,
                action.line,
                action.finding.as_slice(),
            ));
        }
        for (noun, key, entry, line, ids) in named {
            let mut references = Vec::new();
            for id in ids {
                let reference = resolve(id, checks, &review.findings, dataset, audited);
                match &reference {
                    Reference::Check { .. } => {}
                    Reference::Finding(finding) => {
                        if let Some(linked) =
                            review.findings.iter_mut().find(|f| f.finding.id == *finding)
                        {
                            push_once(&mut linked.named_by, entry);
                        }
                    }
                    Reference::Ticket { id, .. } => {
                        push_once(self.named_by.entry(id.clone()).or_default(), entry);
                    }
                    Reference::Unknown(text) => review.diagnostics.push(Diagnostic {
                        severity: Severity::Warning,
                        file: register.file.clone(),
                        line,
                        column: None,
                        message: format!(
                            "{noun} `{entry}` names `{text}` in `{key}`, which is neither a check or finding on {} nor a ticket of the export; correct the id or remove it",
                            review.as_of
                        ),
                    }),
                }
                references.push(reference);
            }
            review.references.insert(entry.to_string(), references);
        }
        review.diagnostics.sort_by_key(|diagnostic| diagnostic.line);
    }
}

/// Counts, for each exception, the audited tickets its scope matches, in parallel because
/// every ticket is matched against every scope.
fn scope_counts(
    register: &Register,
    dataset: &Dataset,
    audited: &[(&Ticket, &TicketClock)],
) -> Vec<ExceptionUse> {
    let count = register.exceptions.len();
    let in_scope = audited
        .par_iter()
        .fold(
            || vec![0usize; count],
            |mut counts, &(ticket, clock)| {
                let fields = TicketFields::new(ticket, dataset).with_priority(clock.priority);
                for (counter, exception) in counts.iter_mut().zip(&register.exceptions) {
                    if Metric::ALL
                        .into_iter()
                        .any(|metric| exception.covers(&fields, metric))
                    {
                        *counter += 1;
                    }
                }
                counts
            },
        )
        .reduce(
            || vec![0usize; count],
            |mut total, part| {
                for (sum, value) in total.iter_mut().zip(part) {
                    *sum += value;
                }
                total
            },
        );
    in_scope
        .into_iter()
        .map(|in_scope| ExceptionUse {
            in_scope,
            excepted_breaches: 0,
        })
        .collect()
}

/// Lists the register's findings on `as_of`. A finding about an exception is kept only when the
/// exception's scope matches audited tickets, and carries how many.
fn linked_findings(
    register: &Register,
    as_of: NaiveDate,
    exceptions: &[ExceptionUse],
) -> Vec<LinkedFinding> {
    register
        .findings(as_of)
        .into_iter()
        .filter_map(|finding| {
            let tickets = if finding.kind.is_about_exception() {
                let index = register
                    .exceptions
                    .iter()
                    .position(|e| e.id == finding.entry)?;
                let in_scope = exceptions[index].in_scope;
                if in_scope == 0 {
                    return None;
                }
                Some(in_scope)
            } else {
                None
            };
            Some(LinkedFinding {
                finding,
                tickets,
                named_by: Vec::new(),
            })
        })
        .collect()
}

/// Reads an id as a check or a register finding (ignoring case), else as a ticket of the
/// export.
fn resolve(
    id: &str,
    checks: &[NamedCheck],
    findings: &[LinkedFinding],
    dataset: &Dataset,
    audited: &[(&Ticket, &TicketClock)],
) -> Reference {
    if let Some(check) = checks.iter().find(|c| c.id.eq_ignore_ascii_case(id)) {
        return Reference::Check {
            id: check.id.clone(),
            href: check.href.clone(),
        };
    }
    if let Some(linked) = findings
        .iter()
        .find(|f| f.finding.id.eq_ignore_ascii_case(id))
    {
        return Reference::Finding(linked.finding.id.clone());
    }
    if dataset.find(id).is_none() {
        return Reference::Unknown(id.to_string());
    }
    // `audited` keeps the dataset's order, which is sorted by ticket id.
    let found = audited
        .binary_search_by(|(ticket, _)| (*ticket.id).cmp(id))
        .ok()
        .map(|index| audited[index].1);
    Reference::Ticket {
        id: id.to_string(),
        audited: found.is_some(),
        breached: found.is_some_and(|clock| {
            clock.response.verdict.is_breached() || clock.resolution.verdict.is_breached()
        }),
    }
}

fn push_once(list: &mut Vec<String>, entry: &str) {
    if !list.iter().any(|known| known == entry) {
        list.push(entry.to_string());
    }
}

fn metric_index(metric: Metric) -> usize {
    match metric {
        Metric::Response => 0,
        Metric::Resolution => 1,
    }
}

/// Returns the instant a breached target ran out. The clock records it for every breach it
/// measures; the stop and then the as-of instant stand in should it be missing.
fn breach_instant(clock: &MetricClock, as_of: Instant) -> Instant {
    clock.due.or(clock.stop).unwrap_or(as_of)
}

/// Returns the local date of an instant in `zone`.
pub fn local_date(at: Instant, zone: chrono_tz::Tz) -> NaiveDate {
    chrono::DateTime::from_timestamp(at, 0)
        .unwrap_or_default()
        .with_timezone(&zone)
        .date_naive()
}
