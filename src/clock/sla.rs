//! Each ticket's response and resolution clocks against its SLA target.
//!
//! Elapsed time is the open time of the target's calendar between the start (the ticket's
//! opening) and the stop (the first response, or the final resolution), minus the open time
//! spent in the metric's pause statuses and, for resolution, the time spent resolved or closed
//! before a reopen. A target is met when elapsed ≤ target and breached when elapsed > target,
//! compared in whole seconds. Open tickets are measured up to the as-of instant.

use std::fmt;

use serde::Serialize;

use crate::clock::Calendar;
use crate::config::{BusinessDuration, Percent};
use crate::normalize::{Dataset, Event, EventKind, Priority, StatusClass, Sym, Ticket};
use crate::time::Instant;

/// The two measured metrics. Exception scopes name them too (`metric = response`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    Response,
    Resolution,
}

impl Metric {
    pub const ALL: [Metric; 2] = [Metric::Response, Metric::Resolution];

    pub fn name(self) -> &'static str {
        match self {
            Metric::Response => "response",
            Metric::Resolution => "resolution",
        }
    }

    /// Parses `response` or `resolution`, in any case.
    pub fn parse(text: &str) -> Option<Metric> {
        let text = text.trim();
        Metric::ALL
            .into_iter()
            .find(|metric| metric.name().eq_ignore_ascii_case(text))
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The outcome of one metric of one ticket at the as-of instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Met,
    /// No response was recorded, but the ticket was resolved before the response was due.
    MetByResolution,
    Breached,
    /// Still running, below the warning share of its target.
    OpenWithin,
    /// Still running, at or above the warning share of its target.
    OpenAtRisk,
    /// Still running and already over its target.
    OpenBreached,
    /// No SLA row gives this ticket a target for the metric.
    NoTarget,
    /// The export records nothing that stops this clock, such as a list export without
    /// response times or reply history.
    NotRecorded,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::MetByResolution => "met by resolution",
            Verdict::Breached => "breached",
            Verdict::OpenWithin => "open, within target",
            Verdict::OpenAtRisk => "open, at risk",
            Verdict::OpenBreached => "open, breached",
            Verdict::NoTarget => "no target",
            Verdict::NotRecorded => "not recorded in the export",
        }
    }

    /// Whether the verdict is final and counts for attainment: met, or breached (even if the
    /// ticket is still open, the miss cannot be undone).
    pub fn is_decided(self) -> bool {
        matches!(
            self,
            Verdict::Met | Verdict::MetByResolution | Verdict::Breached | Verdict::OpenBreached
        )
    }

    pub fn is_met(self) -> bool {
        matches!(self, Verdict::Met | Verdict::MetByResolution)
    }

    pub fn is_breached(self) -> bool {
        matches!(self, Verdict::Breached | Verdict::OpenBreached)
    }
}

/// One metric of one ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetricClock {
    pub verdict: Verdict,
    /// The target in seconds of open calendar time; `bd` targets are converted at the start.
    pub target: Option<i64>,
    /// When the target runs out, counting pauses; `None` without a target, or when the
    /// ticket was paused or resolved before the target ran out.
    pub due: Option<Instant>,
    /// When the clock stopped; `None` while it runs.
    pub stop: Option<Instant>,
    /// Business elapsed time (the verdict's clock), pauses excluded.
    pub elapsed: i64,
    /// The same span on a 24×7 clock, pauses excluded.
    pub elapsed_wall: i64,
    /// The verdict the 24×7 clock would give against the same target.
    pub verdict_wall: Verdict,
    /// Business time excluded by pause statuses.
    pub paused: i64,
    /// Business time excluded because the ticket sat resolved or closed before a reopen.
    pub excluded_done: i64,
    /// Separate pauses: consecutive pause statuses count once.
    pub pauses: u32,
    /// Index of the calendar in `Clocks::calendars`.
    pub calendar: usize,
}

impl MetricClock {
    fn without_target(calendar: usize) -> MetricClock {
        MetricClock {
            verdict: Verdict::NoTarget,
            target: None,
            due: None,
            stop: None,
            elapsed: 0,
            elapsed_wall: 0,
            verdict_wall: Verdict::NoTarget,
            paused: 0,
            excluded_done: 0,
            pauses: 0,
            calendar,
        }
    }

    /// How far over target a breach went.
    pub fn over_target(&self) -> Option<i64> {
        self.target
            .filter(|_| self.verdict.is_breached())
            .map(|target| self.elapsed - target)
    }
}

/// A priority lowered while the clock ran, which turned what would have been a breach under
/// the initial priority into a met target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Downgrade {
    pub metric: Metric,
    pub from: Priority,
    pub to: Priority,
    /// Business time elapsed when the priority was lowered.
    pub at_elapsed: i64,
    /// By how much the initial priority's target would have been missed.
    pub over_initial_target: i64,
}

/// Both clocks of a ticket.
#[derive(Debug, Clone)]
pub struct TicketClock {
    /// The priority whose target applies.
    pub priority: Option<Priority>,
    pub response: MetricClock,
    pub resolution: MetricClock,
    /// Elapsed business time to the first resolution, when the ticket was resolved more than once.
    pub first_resolution: Option<i64>,
    /// Whether an earlier resolution cycle already missed the resolution target.
    pub ever_breached: bool,
    /// How often the ticket left a resolved or closed status for an open one.
    pub reopen_cycles: u32,
    pub downgrade: Option<Downgrade>,
    /// Whether the ticket was opened after the as-of instant and so is not measured.
    pub after_as_of: bool,
    /// The final resolution as known at the as-of instant; `None` while the ticket is open.
    pub resolved: Option<Instant>,
}

impl TicketClock {
    pub fn metric(&self, metric: Metric) -> &MetricClock {
        match metric {
            Metric::Response => &self.response,
            Metric::Resolution => &self.resolution,
        }
    }
}

/// An `[[sla]]` row, compiled.
#[derive(Debug, Clone)]
pub struct Rule {
    pub priorities: Vec<Priority>,
    pub teams: Option<Vec<String>>,
    pub categories: Option<Vec<String>>,
    pub calendar: usize,
    pub response: Option<BusinessDuration>,
    pub resolution: Option<BusinessDuration>,
    /// Pause statuses per metric, lowercase.
    pub pause_response: Vec<String>,
    pub pause_resolution: Vec<String>,
    pub warning: Percent,
}

impl Rule {
    fn target(&self, metric: Metric) -> Option<BusinessDuration> {
        match metric {
            Metric::Response => self.response,
            Metric::Resolution => self.resolution,
        }
    }

    fn pause(&self, metric: Metric) -> &[String] {
        match metric {
            Metric::Response => &self.pause_response,
            Metric::Resolution => &self.pause_resolution,
        }
    }

    fn applies(&self, dataset: &Dataset, ticket: &Ticket, priority: Priority) -> bool {
        let matches = |filter: &Option<Vec<String>>, value: Sym| {
            filter.as_ref().is_none_or(|allowed| {
                let text = dataset.text(value);
                allowed.iter().any(|a| a.eq_ignore_ascii_case(text))
            })
        };
        self.priorities.contains(&priority)
            && matches(&self.teams, ticket.team)
            && matches(&self.categories, ticket.category)
    }
}

/// What excludes time from a metric's clock at some moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exclusion {
    Running,
    Paused(Sym),
    Done(Sym),
}

/// Everything needed to run clocks: calendars, rules, the as-of instant.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Calendars by name; index 0 is the default 24×7 UTC calendar.
    pub calendars: Vec<(String, Calendar)>,
    pub rules: Vec<Rule>,
    pub as_of: Instant,
    pub use_initial_priority: bool,
}

impl Policy {
    /// The first rule that gives this priority a target for the metric.
    pub fn rule_for(
        &self,
        dataset: &Dataset,
        ticket: &Ticket,
        priority: Priority,
        metric: Metric,
    ) -> Option<&Rule> {
        self.rules
            .iter()
            .find(|rule| rule.target(metric).is_some() && rule.applies(dataset, ticket, priority))
    }

    /// Runs both clocks of one ticket.
    pub fn run(&self, dataset: &Dataset, ticket: &Ticket) -> TicketClock {
        let events = dataset.events_of(ticket);
        let priority = if self.use_initial_priority {
            ticket.initial_priority.or(ticket.priority)
        } else {
            ticket.priority
        };
        let after_as_of = ticket.opened > self.as_of;
        let resolved = effective_resolution(dataset, ticket, events).filter(|&at| at <= self.as_of);
        let response_stop = ticket.first_response.filter(|&at| at <= self.as_of);
        let mut clock = TicketClock {
            priority,
            response: MetricClock::without_target(0),
            resolution: MetricClock::without_target(0),
            first_resolution: None,
            ever_breached: false,
            reopen_cycles: reopen_cycles(dataset, events),
            downgrade: None,
            after_as_of,
            resolved,
        };
        if after_as_of {
            return clock;
        }
        let Some(priority) = priority else {
            return clock;
        };
        let timeline = Timeline::new(dataset, ticket.opened, events);

        if !dataset.response_recorded {
            clock.response.verdict = Verdict::NotRecorded;
            clock.response.verdict_wall = Verdict::NotRecorded;
        } else if let Some(rule) = self.rule_for(dataset, ticket, priority, Metric::Response) {
            let mut response = self.measure(
                rule,
                Metric::Response,
                &timeline,
                ticket.opened,
                response_stop,
            );
            if let (None, Some(resolved)) = (response_stop, resolved) {
                // A ticket resolved without any public reply stops the response clock too: the
                // response was met by the resolution when that came before the response was due.
                let at_resolution = self.measure(
                    rule,
                    Metric::Response,
                    &timeline,
                    ticket.opened,
                    Some(resolved),
                );
                let by_resolution = |verdict: Verdict| {
                    if verdict.is_met() {
                        Verdict::MetByResolution
                    } else {
                        Verdict::Breached
                    }
                };
                response = MetricClock {
                    verdict: by_resolution(at_resolution.verdict),
                    verdict_wall: by_resolution(at_resolution.verdict_wall),
                    stop: None,
                    ..at_resolution
                };
            }
            clock.response = response;
        }
        if let Some(rule) = self.rule_for(dataset, ticket, priority, Metric::Resolution) {
            clock.resolution =
                self.measure(rule, Metric::Resolution, &timeline, ticket.opened, resolved);
            if let Some(first_done) = timeline
                .first_done()
                .filter(|&at| resolved.is_some_and(|r| at < r))
            {
                let first = self.measure(
                    rule,
                    Metric::Resolution,
                    &timeline,
                    ticket.opened,
                    Some(first_done),
                );
                clock.first_resolution = Some(first.elapsed);
                clock.ever_breached =
                    first.verdict.is_breached() || clock.resolution.verdict.is_breached();
            } else {
                clock.ever_breached = clock.resolution.verdict.is_breached();
            }
        }
        clock.downgrade = self.downgrade(dataset, ticket, &timeline, &clock, resolved);
        clock
    }

    /// Runs one metric's clock from `start` to `stop`, or to the as-of instant while it runs.
    fn measure(
        &self,
        rule: &Rule,
        metric: Metric,
        timeline: &Timeline,
        start: Instant,
        stop: Option<Instant>,
    ) -> MetricClock {
        let calendar = &self.calendars[rule.calendar].1;
        let end = stop.unwrap_or(self.as_of).max(start);
        let pause = rule.pause(metric);
        let exclude_done = metric == Metric::Resolution;
        let segments = timeline.segments(start, end, pause, exclude_done);

        let (mut elapsed, mut paused, mut excluded_done, mut elapsed_wall) = (0, 0, 0, 0);
        let mut pauses = 0;
        let mut previous = Exclusion::Running;
        for segment in &segments {
            let open = calendar.open_seconds(segment.start, segment.end);
            match segment.exclusion {
                Exclusion::Running => {
                    elapsed += open;
                    elapsed_wall += segment.end - segment.start;
                }
                Exclusion::Paused(_) => {
                    paused += open;
                    if !matches!(previous, Exclusion::Paused(_)) {
                        pauses += 1;
                    }
                }
                Exclusion::Done(_) => excluded_done += open,
            }
            previous = segment.exclusion;
        }

        let target_duration = rule
            .target(metric)
            .expect("rules are chosen for a metric they target");
        let target = match target_duration {
            BusinessDuration::Open(seconds) => seconds,
            BusinessDuration::BusinessDays(_) => {
                calendar.open_seconds(start, calendar.due(start, target_duration))
            }
        };
        let target_wall = match target_duration {
            BusinessDuration::Open(seconds) => seconds,
            BusinessDuration::BusinessDays(days) => i64::from(days) * crate::time::DAY,
        };
        let due = timeline.due(calendar, start, target, pause, exclude_done);
        let verdict = |elapsed: i64, target: i64| match stop {
            Some(_) if elapsed <= target => Verdict::Met,
            Some(_) => Verdict::Breached,
            None if elapsed > target => Verdict::OpenBreached,
            None if rule
                .warning
                .is_reached_by(elapsed.max(0) as u64, target.max(0) as u64)
                && target > 0 =>
            {
                Verdict::OpenAtRisk
            }
            None => Verdict::OpenWithin,
        };
        MetricClock {
            verdict: verdict(elapsed, target),
            target: Some(target),
            due,
            stop,
            elapsed,
            elapsed_wall,
            verdict_wall: verdict(elapsed_wall, target_wall),
            paused,
            excluded_done,
            pauses,
            calendar: rule.calendar,
        }
    }

    /// Finds a lowered priority that hid a breach: the ticket met its final priority's target
    /// but would have missed the initial priority's.
    fn downgrade(
        &self,
        dataset: &Dataset,
        ticket: &Ticket,
        timeline: &Timeline,
        clock: &TicketClock,
        resolved: Option<Instant>,
    ) -> Option<Downgrade> {
        let (initial, target_priority) = (ticket.initial_priority?, clock.priority?);
        if initial >= target_priority {
            return None;
        }
        let lowered_at = dataset
            .events_of(ticket)
            .iter()
            .filter(|event| event.kind == EventKind::Priority)
            .find(|event| Priority::parse(dataset.text(event.value)).is_some_and(|p| p > initial))
            .map(|event| event.at)?;
        for metric in Metric::ALL {
            let measured = clock.metric(metric);
            if !measured.verdict.is_met() {
                continue;
            }
            let Some(rule) = self.rule_for(dataset, ticket, initial, metric) else {
                continue;
            };
            let stop = match metric {
                Metric::Response => ticket.first_response.or(resolved),
                Metric::Resolution => resolved,
            };
            let under_initial = self.measure(rule, metric, timeline, ticket.opened, stop);
            if under_initial.verdict.is_breached() {
                let at_change = self.measure(
                    rule,
                    metric,
                    timeline,
                    ticket.opened,
                    Some(lowered_at.max(ticket.opened)),
                );
                return Some(Downgrade {
                    metric,
                    from: initial,
                    to: target_priority,
                    at_elapsed: at_change.elapsed,
                    over_initial_target: under_initial.elapsed - under_initial.target.unwrap_or(0),
                });
            }
        }
        None
    }
}

/// The final resolution as the history supports it: a ticket that was reopened after its
/// recorded resolution and has not been resolved again is still open.
fn effective_resolution(dataset: &Dataset, ticket: &Ticket, events: &[Event]) -> Option<Instant> {
    let resolved = ticket.resolved?;
    let mut last_done = Some(resolved);
    for event in events
        .iter()
        .filter(|e| e.kind == EventKind::Status && e.at > resolved)
    {
        if dataset.status_class(event.value).is_done() {
            if last_done.is_none() {
                last_done = Some(event.at);
            }
        } else {
            last_done = None;
        }
    }
    last_done
}

fn reopen_cycles(dataset: &Dataset, events: &[Event]) -> u32 {
    let mut cycles = 0;
    let mut done = false;
    for event in events.iter().filter(|e| e.kind == EventKind::Status) {
        let class = dataset.status_class(event.value);
        if done && !class.is_done() {
            cycles += 1;
        }
        done = class.is_done();
    }
    cycles
}

/// A stretch of a ticket's life with one exclusion state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub start: Instant,
    pub end: Instant,
    pub exclusion: Exclusion,
}

/// A ticket's status over time, as the clocks read it.
#[derive(Debug, Clone)]
pub struct Timeline {
    /// Status changes in time order: when, the status label and its class.
    changes: Vec<(Instant, Sym, StatusClass)>,
    labels: Vec<String>,
}

impl Timeline {
    pub fn new(dataset: &Dataset, opened: Instant, events: &[Event]) -> Timeline {
        let mut changes: Vec<(Instant, Sym, StatusClass)> = events
            .iter()
            .filter(|event| event.kind == EventKind::Status)
            .map(|event| {
                (
                    event.at.max(opened),
                    event.value,
                    dataset.status_class(event.value),
                )
            })
            .collect();
        changes.sort_by_key(|change| change.0);
        let labels = changes
            .iter()
            .map(|c| dataset.text(c.1).to_lowercase())
            .collect();
        Timeline { changes, labels }
    }

    /// The first time the ticket entered a resolved, closed or canceled status.
    fn first_done(&self) -> Option<Instant> {
        self.changes
            .iter()
            .find(|change| change.2.is_done())
            .map(|change| change.0)
    }

    fn exclusion(&self, index: usize, pause: &[String], exclude_done: bool) -> Exclusion {
        let (_, status, class) = self.changes[index];
        if exclude_done && class.is_done() {
            Exclusion::Done(status)
        } else if pause.iter().any(|p| *p == self.labels[index]) {
            Exclusion::Paused(status)
        } else {
            Exclusion::Running
        }
    }

    /// Splits `[start, end)` into stretches that run or are excluded.
    pub fn segments(
        &self,
        start: Instant,
        end: Instant,
        pause: &[String],
        exclude_done: bool,
    ) -> Vec<Segment> {
        let mut segments = Vec::new();
        let mut cursor = start;
        let mut state = Exclusion::Running;
        for (index, &(at, _, _)) in self.changes.iter().enumerate() {
            if at >= end {
                break;
            }
            let next = self.exclusion(index, pause, exclude_done);
            if at > cursor {
                push_segment(&mut segments, cursor, at, state);
                cursor = at;
            }
            state = next;
        }
        if end > cursor {
            push_segment(&mut segments, cursor, end, state);
        }
        segments
    }

    /// The instant the target runs out: `target` seconds of running open time after `start`,
    /// skipping excluded stretches. `None` when the ticket is excluded (paused or resolved)
    /// after its last recorded change and the target has not run out by then.
    fn due(
        &self,
        calendar: &Calendar,
        start: Instant,
        target: i64,
        pause: &[String],
        exclude_done: bool,
    ) -> Option<Instant> {
        let mut remaining = target;
        let mut cursor = start;
        let mut state = Exclusion::Running;
        for (index, &(at, _, _)) in self.changes.iter().enumerate() {
            if at > cursor {
                if state == Exclusion::Running {
                    let open = calendar.open_seconds(cursor, at);
                    if open >= remaining {
                        return Some(calendar.due(cursor, BusinessDuration::Open(remaining)));
                    }
                    remaining -= open;
                }
                cursor = at;
            }
            state = self.exclusion(index, pause, exclude_done);
        }
        (state == Exclusion::Running)
            .then(|| calendar.due(cursor, BusinessDuration::Open(remaining)))
    }
}

fn push_segment(segments: &mut Vec<Segment>, start: Instant, end: Instant, exclusion: Exclusion) {
    if let Some(last) = segments.last_mut() {
        if last.exclusion == exclusion && last.end == start {
            last.end = end;
            return;
        }
    }
    segments.push(Segment {
        start,
        end,
        exclusion,
    });
}

impl Policy {
    /// Measures one metric of a ticket from its opening up to `until`, against the target
    /// `priority` would have; `None` when that priority has no target for the metric. The
    /// review uses it to ask how much of a target had run when something happened.
    pub fn measure_until(
        &self,
        dataset: &Dataset,
        ticket: &Ticket,
        priority: Priority,
        metric: Metric,
        until: Instant,
    ) -> Option<MetricClock> {
        let rule = self.rule_for(dataset, ticket, priority, metric)?;
        let timeline = Timeline::new(dataset, ticket.opened, dataset.events_of(ticket));
        Some(self.measure(
            rule,
            metric,
            &timeline,
            ticket.opened,
            Some(until.max(ticket.opened)),
        ))
    }
}
