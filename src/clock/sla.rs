//! Each ticket's response and resolution clocks against its SLA target.
//!
//! Elapsed time is the open time of the target's calendar between the start (the ticket's
//! opening) and the stop (the first response, or the final resolution). The open time spent
//! in the metric's pause statuses is left out, and so is the time spent resolved or closed
//! before a reopen. A target is met when elapsed ≤ target and breached when elapsed > target,
//! compared in whole seconds. Open tickets are measured up to the as-of instant.
//!
//! Each metric is judged against the target of the priority in force when its clock stops,
//! or of the initial priority with `target_priority = "initial"`.

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
    /// The priority whose target applies: the one in force when the clock stopped (or at the
    /// as-of instant while it runs), or the initial one with `target_priority = "initial"`.
    pub priority: Option<Priority>,
    /// The target in seconds of open calendar time; `bd` targets are converted at the start.
    pub target: Option<i64>,
    /// When the target runs out, counting pauses before the clock stopped. `None` without a
    /// target, or while the clock is paused at the as-of instant, because the due instant
    /// then depends on when the pause ends.
    pub due: Option<Instant>,
    /// When the clock stopped; `None` while it runs, and for a response that never came.
    pub stop: Option<Instant>,
    /// The instant the clock stopped counting: the stop, the resolution of a ticket that never
    /// got a response, or the as-of instant.
    pub end: Instant,
    /// Whether the ticket was resolved without this metric's own stop (a response that never
    /// came), so that the resolution decided the verdict and `elapsed` is not a measured value.
    pub by_resolution: bool,
    /// Business elapsed time (the verdict's clock), excluded time left out.
    pub elapsed: i64,
    /// The same span on a 24×7 clock, excluded time left out.
    pub elapsed_wall: i64,
    /// The verdict the 24×7 clock would give against the same target.
    pub verdict_wall: Verdict,
    /// Business time excluded by pause statuses.
    pub paused: i64,
    /// Business time excluded because the ticket sat resolved before a reopen.
    pub excluded_resolved: i64,
    /// Business time excluded because the ticket sat closed or canceled before a reopen.
    pub excluded_closed: i64,
    /// Separate pauses: consecutive pause statuses count once.
    pub pauses: u32,
    /// Index of the calendar in `Policy::calendars`.
    pub calendar: usize,
}

impl MetricClock {
    fn without_target(priority: Option<Priority>, end: Instant) -> MetricClock {
        MetricClock {
            verdict: Verdict::NoTarget,
            priority,
            target: None,
            due: None,
            stop: None,
            end,
            by_resolution: false,
            elapsed: 0,
            elapsed_wall: 0,
            verdict_wall: Verdict::NoTarget,
            paused: 0,
            excluded_resolved: 0,
            excluded_closed: 0,
            pauses: 0,
            calendar: 0,
        }
    }

    /// How far over target a breach went.
    pub fn over_target(&self) -> Option<i64> {
        self.target
            .filter(|_| self.verdict.is_breached())
            .map(|target| self.elapsed - target)
    }

    /// Returns the measured time from start to stop. It is `None` while the clock runs,
    /// without a target, and when no stop of its own was recorded (a response that never came).
    pub fn measured(&self) -> Option<i64> {
        (self.stop.is_some() && self.target.is_some()).then_some(self.elapsed)
    }

    /// Business time excluded because the ticket sat resolved or closed before a reopen.
    pub fn excluded_done(&self) -> i64 {
        self.excluded_resolved + self.excluded_closed
    }
}

/// A priority lowered while the clock ran, which hid what would have been a breach under
/// the initial priority's target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Downgrade {
    pub metric: Metric,
    pub from: Priority,
    pub to: Priority,
    /// Business time elapsed, on the initial priority's calendar, when the priority was first
    /// lowered below the initial one.
    pub at_elapsed: i64,
    /// By how much the initial priority's target would have been missed.
    pub over_initial_target: i64,
}

/// Both clocks of a ticket.
#[derive(Debug, Clone)]
pub struct TicketClock {
    /// The priority the ticket is reported under: the resolution target's priority.
    pub priority: Option<Priority>,
    /// The priority the ticket was opened with.
    pub initial_priority: Option<Priority>,
    /// How often the priority changed after the initial one was set.
    pub priority_changes: u32,
    pub response: MetricClock,
    pub resolution: MetricClock,
    /// Elapsed business time to the first resolution; the same as the resolution's elapsed
    /// time when the ticket was never reopened. `None` while the ticket is open.
    pub first_resolution: Option<i64>,
    /// Whether an earlier resolution cycle already missed the resolution target.
    pub ever_breached: bool,
    /// How often the ticket left a resolved or closed status for an open one.
    pub reopen_cycles: u32,
    /// Lowered priorities that hid a breach, one per metric at most.
    pub downgrades: Vec<Downgrade>,
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
    /// Pause statuses per metric, lowercase, as configured.
    pub pause_response: Vec<String>,
    pub pause_resolution: Vec<String>,
    /// The dataset's status labels that match each pause list.
    pub pause_response_statuses: Vec<Sym>,
    pub pause_resolution_statuses: Vec<Sym>,
    pub warning: Percent,
}

impl Rule {
    fn target(&self, metric: Metric) -> Option<BusinessDuration> {
        match metric {
            Metric::Response => self.response,
            Metric::Resolution => self.resolution,
        }
    }

    /// Returns the statuses that pause a metric, as status symbols of the dataset.
    pub fn pause(&self, metric: Metric) -> &[Sym] {
        match metric {
            Metric::Response => &self.pause_response_statuses,
            Metric::Resolution => &self.pause_resolution_statuses,
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

/// The state of a metric's clock at some moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exclusion {
    Running,
    /// Stopped by one of the metric's pause statuses.
    Paused(Sym),
    /// Stopped because the ticket sat resolved (it was reopened later).
    Resolved(Sym),
    /// Stopped because the ticket sat closed or canceled (it was reopened later).
    Closed(Sym),
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

    /// Finds the priority whose target applies to a clock that stops at `end`.
    fn target_priority(
        &self,
        ticket: &Ticket,
        history: &History,
        end: Instant,
    ) -> Option<Priority> {
        if self.use_initial_priority {
            ticket.initial_priority.or(ticket.priority)
        } else {
            history
                .priority_at(end)
                .or(ticket.initial_priority)
                .or(ticket.priority)
        }
    }

    /// Runs both clocks of one ticket.
    pub fn run(&self, dataset: &Dataset, ticket: &Ticket) -> TicketClock {
        let events = dataset.events_of(ticket);
        let history = History::new(dataset, events);
        let after_as_of = ticket.opened > self.as_of;
        let resolved = effective_resolution(dataset, ticket, events, self.as_of);
        let response_stop = ticket.first_response.filter(|&at| at <= self.as_of);
        let resolution_end = resolved.unwrap_or(self.as_of).max(ticket.opened);
        let response_end = response_stop
            .or(resolved)
            .unwrap_or(self.as_of)
            .max(ticket.opened);
        let priority = self.target_priority(ticket, &history, resolution_end);
        let response_priority = self.target_priority(ticket, &history, response_end);
        let mut clock = TicketClock {
            priority: if after_as_of {
                ticket.priority
            } else {
                priority
            },
            initial_priority: ticket.initial_priority,
            priority_changes: history.priority_changes,
            response: MetricClock::without_target(response_priority, response_end),
            resolution: MetricClock::without_target(priority, resolution_end),
            first_resolution: None,
            ever_breached: false,
            reopen_cycles: reopen_cycles(dataset, events, self.as_of),
            downgrades: Vec::new(),
            after_as_of,
            resolved,
        };
        if after_as_of {
            return clock;
        }
        let timeline = Timeline::new(dataset, ticket.opened, events);

        if !dataset.response_recorded {
            clock.response.verdict = Verdict::NotRecorded;
            clock.response.verdict_wall = Verdict::NotRecorded;
        } else if let Some(rule) =
            response_priority.and_then(|p| self.rule_for(dataset, ticket, p, Metric::Response))
        {
            clock.response = match (response_stop, resolved) {
                (None, Some(resolved)) => {
                    // A ticket resolved without any public reply stops the response clock too:
                    // the response was met by the resolution when that came before it was due.
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
                    MetricClock {
                        verdict: by_resolution(at_resolution.verdict),
                        verdict_wall: by_resolution(at_resolution.verdict_wall),
                        stop: None,
                        by_resolution: true,
                        ..at_resolution
                    }
                }
                (stop, _) => self.measure(rule, Metric::Response, &timeline, ticket.opened, stop),
            };
            clock.response.priority = response_priority;
        }
        if let Some(rule) =
            priority.and_then(|p| self.rule_for(dataset, ticket, p, Metric::Resolution))
        {
            clock.resolution =
                self.measure(rule, Metric::Resolution, &timeline, ticket.opened, resolved);
            clock.resolution.priority = priority;
            // A first resolution before the final one, or before the as-of instant of a ticket
            // reopened and still open.
            let first_done = timeline
                .first_done()
                .filter(|&at| resolved.map_or(at <= self.as_of, |r| at < r));
            if let Some(first_done) = first_done {
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
                clock.first_resolution = clock.resolution.measured();
                clock.ever_breached = clock.resolution.verdict.is_breached();
            }
        }
        clock.downgrades = self.downgrades(dataset, ticket, &history, &timeline, &clock);
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
        let segments = timeline.segments(start, end, pause);

        let (mut elapsed, mut paused, mut elapsed_wall) = (0, 0, 0);
        let (mut excluded_resolved, mut excluded_closed) = (0, 0);
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
                Exclusion::Resolved(_) => excluded_resolved += open,
                Exclusion::Closed(_) => excluded_closed += open,
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
        let due = timeline.due(calendar, start, end, stop.is_some(), target, pause);
        // The open time of a `bd` target can run out at a closing time, but a `bd` target is
        // due at the same clock time N open days later, or at the next open instant when that
        // time is closed. Nothing is gained in between, so this moves only the reported instant.
        let due = match target_duration {
            BusinessDuration::BusinessDays(_) => due.map(|due| calendar.next_open(due)),
            BusinessDuration::Open(_) => due,
        };
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
            priority: None,
            target: Some(target),
            due,
            stop,
            end,
            by_resolution: false,
            elapsed,
            elapsed_wall,
            verdict_wall: verdict(elapsed_wall, target_wall),
            paused,
            excluded_resolved,
            excluded_closed,
            pauses,
            calendar: rule.calendar,
        }
    }

    /// Finds lowered priorities that hid a breach: a metric met (or still within target)
    /// under the priority in force when its clock stopped that would have missed the initial
    /// priority's target.
    fn downgrades(
        &self,
        dataset: &Dataset,
        ticket: &Ticket,
        history: &History,
        timeline: &Timeline,
        clock: &TicketClock,
    ) -> Vec<Downgrade> {
        let mut found = Vec::new();
        let Some(initial) = ticket.initial_priority else {
            return found;
        };
        let Some(lowered_at) = history.first_lowered_below(initial) else {
            return found;
        };
        for metric in Metric::ALL {
            let measured = clock.metric(metric);
            let Some(to) = measured.priority.filter(|&to| to > initial) else {
                continue;
            };
            if measured.target.is_none() || measured.verdict.is_breached() {
                continue;
            }
            let Some(rule) = self.rule_for(dataset, ticket, initial, metric) else {
                continue;
            };
            let stop = if measured.by_resolution {
                Some(measured.end)
            } else {
                measured.stop
            };
            let under_initial = self.measure(rule, metric, timeline, ticket.opened, stop);
            if !under_initial.verdict.is_breached() {
                continue;
            }
            let at_change = self.measure(
                rule,
                metric,
                timeline,
                ticket.opened,
                Some(lowered_at.max(ticket.opened)),
            );
            found.push(Downgrade {
                metric,
                from: initial,
                to,
                at_elapsed: at_change.elapsed,
                over_initial_target: under_initial.elapsed - under_initial.target.unwrap_or(0),
            });
        }
        found
    }
}

/// Finds the final resolution as known at the as-of instant. A ticket reopened after its
/// recorded resolution (and before the as-of instant) is measured to its next resolution, or
/// is still open when there is none by then.
fn effective_resolution(
    dataset: &Dataset,
    ticket: &Ticket,
    events: &[Event],
    as_of: Instant,
) -> Option<Instant> {
    let resolved = ticket.resolved.filter(|&at| at <= as_of)?;
    let mut last_done = Some(resolved);
    for event in events
        .iter()
        .filter(|e| e.kind == EventKind::Status && e.at > resolved && e.at <= as_of)
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

fn reopen_cycles(dataset: &Dataset, events: &[Event], as_of: Instant) -> u32 {
    let mut cycles = 0;
    let mut done = false;
    for event in events
        .iter()
        .filter(|e| e.kind == EventKind::Status && e.at <= as_of)
    {
        let class = dataset.status_class(event.value);
        if done && !class.is_done() {
            cycles += 1;
        }
        done = class.is_done();
    }
    cycles
}

/// A ticket's priority changes, in time order.
struct History {
    priorities: Vec<(Instant, Priority)>,
    priority_changes: u32,
}

impl History {
    fn new(dataset: &Dataset, events: &[Event]) -> History {
        let priorities: Vec<(Instant, Priority)> = events
            .iter()
            .filter(|event| event.kind == EventKind::Priority)
            .filter_map(|event| Some((event.at, Priority::parse(dataset.text(event.value))?)))
            .collect();
        let priority_changes = priorities
            .windows(2)
            .filter(|pair| pair[0].1 != pair[1].1)
            .count() as u32;
        History {
            priorities,
            priority_changes,
        }
    }

    /// Returns the priority set by the last change at or before `at`.
    fn priority_at(&self, at: Instant) -> Option<Priority> {
        self.priorities
            .iter()
            .take_while(|(when, _)| *when <= at)
            .last()
            .map(|&(_, priority)| priority)
    }

    /// When the priority first became less urgent than `initial`.
    fn first_lowered_below(&self, initial: Priority) -> Option<Instant> {
        self.priorities
            .iter()
            .find(|&&(_, priority)| priority > initial)
            .map(|&(at, _)| at)
    }
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
}

impl Timeline {
    /// Reads a ticket's status changes; changes before the opening count from the opening.
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
        Timeline { changes }
    }

    /// Finds the first time the ticket entered a resolved, closed or canceled status.
    fn first_done(&self) -> Option<Instant> {
        self.changes
            .iter()
            .find(|change| change.2.is_done())
            .map(|change| change.0)
    }

    fn exclusion(&self, index: usize, pause: &[Sym]) -> Exclusion {
        let (_, status, class) = self.changes[index];
        match class {
            StatusClass::Resolved => Exclusion::Resolved(status),
            StatusClass::Closed | StatusClass::Canceled => Exclusion::Closed(status),
            StatusClass::New | StatusClass::Open if pause.contains(&status) => {
                Exclusion::Paused(status)
            }
            StatusClass::New | StatusClass::Open => Exclusion::Running,
        }
    }

    /// Splits `[start, end)` into stretches that run or are excluded, given the metric's
    /// pause statuses. Time in a resolved or closed status before `end` is excluded, because
    /// the clock would have stopped there had the ticket not been reopened.
    pub fn segments(&self, start: Instant, end: Instant, pause: &[Sym]) -> Vec<Segment> {
        let mut segments = Vec::new();
        let mut cursor = start;
        let mut state = Exclusion::Running;
        for (index, &(at, _, _)) in self.changes.iter().enumerate() {
            if at >= end {
                break;
            }
            let next = self.exclusion(index, pause);
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

    /// Finds the instant the target runs out: `target` seconds of running open time after `start`,
    /// skipping excluded stretches before `end`. A clock that stopped at `end` is taken to run
    /// on after it, so a met target still has its due instant. A clock still running at the
    /// as-of instant (`end`) keeps its state. It returns `None` when that state is excluded
    /// and the target has not run out, because the due instant then depends on when the
    /// exclusion ends.
    fn due(
        &self,
        calendar: &Calendar,
        start: Instant,
        end: Instant,
        stopped: bool,
        target: i64,
        pause: &[Sym],
    ) -> Option<Instant> {
        let mut remaining = target;
        let mut cursor = start;
        let mut state = Exclusion::Running;
        for (index, &(at, _, _)) in self.changes.iter().enumerate() {
            if at >= end {
                break;
            }
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
            state = self.exclusion(index, pause);
        }
        if state == Exclusion::Running {
            Some(calendar.due(cursor, BusinessDuration::Open(remaining)))
        } else if stopped {
            Some(calendar.due(end.max(cursor), BusinessDuration::Open(remaining)))
        } else {
            None
        }
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
