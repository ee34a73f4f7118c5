//! Timeline pages: for every breached ticket (and every ticket whose lowered priority hid a
//! breach), the segments of each clock and the ticket's history, so that a reader can check
//! each counted minute.
//!
//! A metric's clock is split into the status segments of [`Timeline::segments`], and each
//! running segment into the open and closed spans of its calendar ([`Calendar::spans`]).
//! Pauses and time spent resolved or closed are one row each, with the open time they removed.
//! Timelines are grouped a hundred to a page, `tickets/0001.html`, `tickets/0002.html`, …, in
//! ticket order, each under an anchor made from its id (`#t-INC0001`), because writing one file
//! per ticket dominated the build of a large export. An id that is not a plain name gets a safe
//! anchor with a hash of the id, so that two ids never share one.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::clock::{
    Calendar, Exclusion, Metric, MetricClock, Policy, SpanKind, TicketClock, Timeline,
};
use crate::html::escape;
use crate::normalize::{Dataset, EventKind, Sym, Ticket};
use crate::review::Review;
use crate::time::{format_duration, format_local, Instant};

/// The folder of the timeline pages inside the site.
pub const FOLDER: &str = "tickets";

/// The maximum length of an anchor taken from an id as it is.
const MAX_STEM: usize = 80;

/// Timelines on one page.
pub const PER_PAGE: usize = 100;

/// Names that Windows reserves for devices, whatever the extension.
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// One row of a clock's table.
#[derive(Debug, Serialize)]
struct SegmentRow {
    start: String,
    end: String,
    length: String,
    /// Open time counted toward the elapsed time.
    counted: String,
    /// Open time the segment removed from the clock (pauses, resolved or closed time).
    excluded: String,
    what: String,
    /// A class for the row's style: running, closed, holiday, paused, done, after.
    kind: &'static str,
}

#[derive(Debug, Serialize)]
struct MetricSection {
    name: &'static str,
    verdict: &'static str,
    verdict_24x7: &'static str,
    priority: String,
    calendar: String,
    timezone: String,
    target: String,
    elapsed: String,
    elapsed_24x7: String,
    over: Option<String>,
    due: Option<String>,
    stopped: String,
    paused: String,
    /// Open time removed by pauses and by time resolved or closed before a reopen.
    excluded: String,
    pauses: u32,
    pause_statuses: Vec<String>,
    rows: Vec<SegmentRow>,
}

#[derive(Debug, Serialize)]
struct EventRow {
    at: String,
    kind: &'static str,
    value: String,
}

/// Returns the file of the `number`th timeline page, counted from 1.
fn page_file(number: usize) -> String {
    format!("{FOLDER}/{number:04}.html")
}

/// Names the page and anchor of each ticket's timeline, such as `tickets/0001.html#t-INC0001`.
/// Ids must come in the order the pages are rendered; an anchor that another id already uses,
/// ignoring case, gets the id's hash.
pub fn page_names<'a>(ids: impl IntoIterator<Item = &'a str>) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    let mut taken = BTreeSet::new();
    for (position, id) in ids.into_iter().enumerate() {
        let mut name = safe_stem(id);
        if !taken.insert(name.to_lowercase()) {
            name = format!("{}-{:016x}", name, fnv1a(id));
            taken.insert(name.to_lowercase());
        }
        names.insert(
            id.to_string(),
            format!("{}#t-{name}", page_file(position / PER_PAGE + 1)),
        );
    }
    names
}

/// Returns the id itself when it is a plain file name, else its safe characters and its hash.
fn safe_stem(id: &str) -> String {
    let plain = !id.is_empty()
        && id.len() <= MAX_STEM
        && !id.starts_with('.')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && !RESERVED.contains(&id.split('.').next().unwrap_or("").to_lowercase().as_str());
    if plain {
        return id.to_string();
    }
    let kept: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(MAX_STEM)
        .collect();
    format!("{}-{:016x}", kept.trim_matches('_'), fnv1a(id))
}

/// Hashes with 64-bit FNV-1a, which is stable across builds and platforms, unlike the
/// standard hasher.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Lists the tickets that get a timeline page, in ticket order: breached ones and those whose
/// lowered priority hid a breach.
pub fn tickets_with_pages<'a>(
    dataset: &'a Dataset,
    clocks: &'a [TicketClock],
    review: &Review,
) -> Vec<(&'a Ticket, &'a TicketClock)> {
    review
        .audited
        .iter()
        .map(|&index| (&dataset.tickets[index], &clocks[index]))
        .filter(|(_, clock)| {
            clock.response.verdict.is_breached()
                || clock.resolution.verdict.is_breached()
                || !clock.downgrades.is_empty()
        })
        .collect()
}

/// One ticket's timeline on a page.
struct TicketTimeline {
    anchor: String,
    ticket: TicketFacts,
    metrics: Vec<MetricSection>,
    events: Vec<EventRow>,
    findings: Vec<String>,
}

/// The input of the timeline pages: the tickets, how to measure them, and their page names.
pub struct Timelines<'a> {
    pub policy: &'a Policy,
    pub dataset: &'a Dataset,
    pub tickets: &'a [(&'a Ticket, &'a TicketClock)],
    pub names: &'a BTreeMap<String, String>,
    pub export_zone: chrono_tz::Tz,
    /// Notes on breaches an approved exception excepts, by ticket id.
    pub excepted: &'a BTreeMap<String, Vec<String>>,
}

/// Renders the timeline pages, a hundred tickets each, in parallel.
pub fn render(
    tera: &Tera,
    base: &Context,
    input: &Timelines<'_>,
    files: &super::SiteFiles,
) -> anyhow::Result<()> {
    let Timelines {
        policy,
        dataset,
        tickets,
        names,
        export_zone,
        excepted,
    } = *input;
    tickets.par_chunks(PER_PAGE).enumerate().try_for_each(
        |(page_index, chunk)| -> anyhow::Result<()> {
            let mut articles = String::new();
            for &(ticket, clock) in chunk {
                let mut timeline = timeline(policy, dataset, ticket, clock, names, export_zone);
                if let Some(notes) = excepted.get(&*ticket.id) {
                    timeline.findings.extend(notes.iter().cloned());
                }
                write_article(&mut articles, &timeline);
            }
            let mut context = base.clone();
            context.insert("root", "../");
            context.insert("page", "timeline");
            context.insert("articles", &articles);
            context.insert("page_number", &(page_index + 1));
            context.insert("pages", &tickets.len().div_ceil(PER_PAGE));
            let html = super::page(tera, "timeline.html", &context)?;
            files.insert(page_file(page_index + 1), html);
            Ok(())
        },
    )
}

fn timeline(
    policy: &Policy,
    dataset: &Dataset,
    ticket: &Ticket,
    clock: &TicketClock,
    names: &BTreeMap<String, String>,
    export_zone: chrono_tz::Tz,
) -> TicketTimeline {
    let anchor = names
        .get(&*ticket.id)
        .and_then(|name| name.split_once('#'))
        .map_or_else(String::new, |(_, anchor)| anchor.to_string());
    let findings = clock
        .downgrades
        .iter()
        .map(|d| {
            format!(
                "{}: priority lowered {}→{} at {} elapsed; under {} it would be breached by {}",
                d.metric.name(),
                d.from,
                d.to,
                crate::time::format_duration(d.at_elapsed),
                d.from,
                crate::time::format_duration(d.over_initial_target)
            )
        })
        .collect();
    TicketTimeline {
        anchor,
        ticket: ticket_facts(dataset, ticket, clock, export_zone),
        metrics: Metric::ALL
            .into_iter()
            .filter_map(|metric| section(policy, dataset, ticket, clock, metric))
            .collect(),
        events: event_rows(dataset, ticket, export_zone),
        findings,
    }
}

/// The facts at the top of a ticket's timeline.
struct TicketFacts {
    id: String,
    line: u64,
    opened: String,
    resolved: Option<String>,
    closed: Option<String>,
    status: Option<String>,
    initial_priority: Option<String>,
    priority: Option<String>,
    team: Option<String>,
    category: Option<String>,
    title: Option<String>,
    reopens: u32,
    first_resolution: Option<String>,
    ever_breached: bool,
    timezone: &'static str,
}

fn ticket_facts(
    dataset: &Dataset,
    ticket: &Ticket,
    clock: &TicketClock,
    zone: chrono_tz::Tz,
) -> TicketFacts {
    let text = |sym| dataset.symbols.text(sym).map(str::to_string);
    TicketFacts {
        id: ticket.id.to_string(),
        line: ticket.line,
        opened: format_local(zone, ticket.opened),
        resolved: clock.resolved.map(|at| format_local(zone, at)),
        closed: ticket.closed.map(|at| format_local(zone, at)),
        status: text(ticket.status),
        initial_priority: clock.initial_priority.map(|p| p.to_string()),
        priority: clock.priority.map(|p| p.to_string()),
        team: text(ticket.team),
        category: text(ticket.category),
        title: text(ticket.title),
        reopens: clock.reopen_cycles,
        first_resolution: clock.first_resolution.map(format_duration),
        ever_breached: clock.ever_breached,
        timezone: zone.name(),
    }
}

/// Writes a ticket's timeline as an HTML article. Timelines are the bulk of a large site, so
/// they are written here rather than through a template; every value from the data goes
/// through [`escape`].
fn write_article(html: &mut String, t: &TicketTimeline) {
    use std::fmt::Write as _;
    let facts = &t.ticket;
    let anchor = escape(&t.anchor);
    let _ = write!(
        html,
        "<article class=\"timeline\" id=\"{anchor}\">\n<h2>Ticket {}</h2>\n<dl class=\"facts\">\n",
        escape(&facts.id)
    );
    if let Some(title) = &facts.title {
        let _ = writeln!(html, "  <dt>Title</dt><dd>{}</dd>", escape(title));
    }
    let _ = write!(
        html,
        "  <dt>Opened</dt><dd>{} ({}); row {} of the tickets file</dd>\n  <dt>Resolved</dt><dd>{}{}</dd>\n",
        escape(&facts.opened),
        facts.timezone,
        facts.line,
        facts.resolved.as_deref().map_or_else(
            || "open at the as-of instant".to_string(),
            |resolved| format!("{} ({})", escape(resolved), facts.timezone)
        ),
        facts.closed.as_deref().map(|closed| format!("; closed {}", escape(closed))).unwrap_or_default()
    );
    if let Some(status) = &facts.status {
        let _ = writeln!(html, "  <dt>Status</dt><dd>{}</dd>", escape(status));
    }
    let opened_as = match (&facts.initial_priority, &facts.priority) {
        (Some(initial), Some(priority)) if initial != priority => {
            format!(" (opened as {})", escape(initial))
        }
        (Some(initial), None) => format!(" (opened as {})", escape(initial)),
        _ => String::new(),
    };
    let _ = writeln!(
        html,
        "  <dt>Priority</dt><dd>{}{opened_as}</dd>",
        facts
            .priority
            .as_deref()
            .map_or_else(|| "none".to_string(), escape)
    );
    if let Some(team) = &facts.team {
        let _ = writeln!(html, "  <dt>Team</dt><dd>{}</dd>", escape(team));
    }
    if let Some(category) = &facts.category {
        let _ = writeln!(html, "  <dt>Category</dt><dd>{}</dd>", escape(category));
    }
    if facts.reopens > 0 {
        let _ = writeln!(
            html,
            "  <dt>Reopens</dt><dd>{}; first resolution after {} of open time on the resolution target's calendar{}</dd>",
            facts.reopens,
            facts.first_resolution.as_deref().unwrap_or("–"),
            if facts.ever_breached {
                ", and an earlier resolution already missed the target"
            } else {
                ""
            }
        );
    }
    html.push_str("</dl>\n");
    if !t.findings.is_empty() {
        let _ = write!(html, "<section aria-labelledby=\"{anchor}-findings\">\n  <h3 id=\"{anchor}-findings\">Findings</h3>\n  <ul>\n");
        for finding in &t.findings {
            let _ = writeln!(html, "    <li>{}</li>", escape(finding));
        }
        html.push_str("  </ul>\n</section>\n");
    }
    for metric in &t.metrics {
        let name = metric.name;
        let _ = write!(
            html,
            "<section aria-labelledby=\"{anchor}-{name}\">\n  <h3 id=\"{anchor}-{name}\">{} clock: {}</h3>\n  <dl class=\"facts\">\n",
            capitalize(name),
            metric.verdict
        );
        let _ = write!(
            html,
            "    <dt>Target</dt><dd>{} on the {} calendar ({}){}</dd>\n    <dt>Stopped</dt><dd>{} ({})</dd>\n",
            escape(&metric.target),
            escape(&metric.calendar),
            escape(&metric.priority),
            metric.due.as_deref().map(|due| format!(", due {} ({})", escape(due), escape(&metric.timezone))).unwrap_or_default(),
            escape(&metric.stopped),
            escape(&metric.timezone)
        );
        let _ = writeln!(
            html,
            "    <dt>Elapsed</dt><dd>{} of open time on the {} calendar{}; on a 24×7 clock {} ({})</dd>",
            escape(&metric.elapsed),
            escape(&metric.calendar),
            metric
                .over
                .as_deref()
                .map(|over| format!(", over the target by {}", escape(over)))
                .unwrap_or_default(),
            escape(&metric.elapsed_24x7),
            metric.verdict_24x7
        );
        let statuses = if metric.pause_statuses.is_empty() {
            "; this target has no pause statuses".to_string()
        } else {
            format!(
                "; pause statuses: {}",
                escape(&metric.pause_statuses.join(", "))
            )
        };
        let _ = write!(
            html,
            "    <dt>Paused</dt><dd>{} of open time in {} pause{}{statuses}</dd>\n  </dl>\n",
            escape(&metric.paused),
            metric.pauses,
            if metric.pauses == 1 { "" } else { "s" }
        );
        let _ = write!(
            html,
            "  <table>\n    <caption class=\"note\">Times in {}. Only open time in running segments counts.</caption>\n    <thead>\n      <tr><th scope=\"col\">From</th><th scope=\"col\">To</th><th scope=\"col\" class=\"num\">Length</th><th scope=\"col\" class=\"num\">Counted</th><th scope=\"col\" class=\"num\">Open time excluded</th><th scope=\"col\">What</th></tr>\n    </thead>\n    <tbody>\n",
            escape(&metric.timezone)
        );
        for row in &metric.rows {
            let _ = writeln!(
                html,
                "      <tr class=\"segment-{}\"><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                row.kind,
                escape(&row.start),
                escape(&row.end),
                escape(&row.length),
                escape(&row.counted),
                escape(&row.excluded),
                escape(&row.what)
            );
        }
        let _ = write!(
            html,
            "    </tbody>\n    <tfoot>\n      <tr><th scope=\"row\" colspan=\"3\">Elapsed</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td></td></tr>\n    </tfoot>\n  </table>\n</section>\n",
            escape(&metric.elapsed),
            escape(&metric.excluded)
        );
    }
    let _ = write!(html, "<section aria-labelledby=\"{anchor}-history\">\n  <h3 id=\"{anchor}-history\">History</h3>\n");
    if t.events.is_empty() {
        html.push_str("  <p>The export records no history for this ticket.</p>\n");
    } else {
        let _ = write!(
            html,
            "  <table>\n    <thead><tr><th scope=\"col\">Time ({})</th><th scope=\"col\">Event</th><th scope=\"col\">Value</th></tr></thead>\n    <tbody>\n",
            facts.timezone
        );
        for event in &t.events {
            let _ = writeln!(
                html,
                "      <tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&event.at),
                event.kind,
                escape(&event.value)
            );
        }
        html.push_str("    </tbody>\n  </table>\n");
    }
    html.push_str("</section>\n</article>\n");
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn event_rows(dataset: &Dataset, ticket: &Ticket, zone: chrono_tz::Tz) -> Vec<EventRow> {
    dataset
        .events_of(ticket)
        .iter()
        .map(|event| EventRow {
            at: format_local(zone, event.at),
            kind: match event.kind {
                EventKind::Status => "status",
                EventKind::Priority => "priority",
                EventKind::Group => "group",
                EventKind::CustomerMessage => "customer message",
                EventKind::ReplyPublic => "public reply",
                EventKind::ReplyInternal => "internal note",
                EventKind::AutoReply => "automatic reply",
            },
            value: dataset.text(event.value).to_string(),
        })
        .collect()
}

fn section(
    policy: &Policy,
    dataset: &Dataset,
    ticket: &Ticket,
    clock: &TicketClock,
    metric: Metric,
) -> Option<MetricSection> {
    let measured = clock.metric(metric);
    let target = measured.target?;
    let rule = policy.rule_for(dataset, ticket, measured.priority?, metric)?;
    let (calendar_name, calendar) = &policy.calendars[measured.calendar];
    let zone = calendar.zone();
    let pause = rule.pause(metric);
    let rows = segment_rows(dataset, ticket, measured, metric, calendar, pause);

    let stopped = match (measured.stop, measured.by_resolution) {
        (Some(at), _) => format_local(zone, at),
        (None, true) => format!(
            "no response; the resolution at {} decided the verdict",
            format_local(zone, measured.end)
        ),
        (None, false) => format!(
            "running at the as-of instant, {}",
            format_local(zone, measured.end)
        ),
    };
    Some(MetricSection {
        name: metric.name(),
        verdict: measured.verdict.label(),
        verdict_24x7: measured.verdict_wall.label(),
        priority: measured.priority.map(|p| p.to_string()).unwrap_or_default(),
        calendar: calendar_name.clone(),
        timezone: zone.name().to_string(),
        target: format_duration(target),
        elapsed: format_duration(measured.elapsed),
        elapsed_24x7: format_duration(measured.elapsed_wall),
        over: measured.over_target().map(format_duration),
        due: measured.due.map(|at| format_local(zone, at)),
        stopped,
        paused: format_duration(measured.paused),
        excluded: format_duration(measured.paused + measured.excluded_done()),
        pauses: measured.pauses,
        pause_statuses: pause.iter().map(|&s| dataset.text(s).to_string()).collect(),
        rows,
    })
}

/// Lists a metric's segments from the opening to where its clock stopped counting, then the
/// time after the stop that no longer counts.
fn segment_rows(
    dataset: &Dataset,
    ticket: &Ticket,
    measured: &MetricClock,
    metric: Metric,
    calendar: &Calendar,
    pause: &[Sym],
) -> Vec<SegmentRow> {
    let zone = calendar.zone();
    let timeline = Timeline::new(dataset, ticket.opened, dataset.events_of(ticket));
    let segments = timeline.segments(ticket.opened, measured.end, pause);
    let mut rows = Vec::new();
    for (index, segment) in segments.iter().enumerate() {
        let excluded = |what: String, kind: &'static str| {
            let open = calendar.open_seconds(segment.start, segment.end);
            segment_row(zone, segment.start, Some(segment.end), 0, open, what, kind)
        };
        match segment.exclusion {
            Exclusion::Running => running_rows(&mut rows, calendar, segment.start, segment.end),
            Exclusion::Paused(status) => rows.push(excluded(
                format!("paused in `{}`", dataset.text(status)),
                "paused",
            )),
            Exclusion::Resolved(status) | Exclusion::Closed(status) => {
                let reopened_later = segments[index + 1..].iter().any(|later| {
                    matches!(later.exclusion, Exclusion::Running | Exclusion::Paused(_))
                });
                let what = if reopened_later {
                    format!("`{}` before a reopen", dataset.text(status))
                } else {
                    format!("`{}` before the recorded resolution", dataset.text(status))
                };
                rows.push(excluded(what, "done"));
            }
        }
    }

    if measured.stop.is_some() || measured.by_resolution {
        let (what, after_end) = match (metric, measured.by_resolution) {
            (Metric::Response, false) => ("after the first response: not counted", None),
            _ => (
                "after resolution: not counted",
                ticket.closed.filter(|&closed| closed > measured.end),
            ),
        };
        rows.push(segment_row(
            zone,
            measured.end,
            after_end,
            0,
            0,
            what.to_string(),
            "after",
        ));
    }
    rows
}

/// Splits a running segment into its calendar's open and closed spans.
fn running_rows(rows: &mut Vec<SegmentRow>, calendar: &Calendar, start: Instant, end: Instant) {
    let zone = calendar.zone();
    for span in calendar.spans(start, end) {
        let length = span.end - span.start;
        let (what, kind, counted) = match span.kind {
            SpanKind::Open => ("running in open hours", "running", length),
            SpanKind::ClosedHours => ("closed hours", "closed", 0),
            SpanKind::Holiday => ("holiday", "holiday", 0),
        };
        rows.push(segment_row(
            zone,
            span.start,
            Some(span.end),
            counted,
            0,
            what.to_string(),
            kind,
        ));
    }
}

fn segment_row(
    zone: chrono_tz::Tz,
    start: Instant,
    end: Option<Instant>,
    counted: i64,
    excluded: i64,
    what: String,
    kind: &'static str,
) -> SegmentRow {
    SegmentRow {
        start: format_local(zone, start),
        end: end.map(|at| format_local(zone, at)).unwrap_or_default(),
        length: end
            .map(|at| format_duration(at - start))
            .unwrap_or_default(),
        counted: if counted > 0 {
            format_duration(counted)
        } else {
            String::new()
        },
        excluded: if excluded > 0 {
            format_duration(excluded)
        } else {
            String::new()
        },
        what,
        kind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ids_keep_their_name() {
        let names = page_names(["INC0000045", "SD-101", "T_17.1"]);
        assert_eq!(names["INC0000045"], "tickets/0001.html#t-INC0000045");
        assert_eq!(names["SD-101"], "tickets/0001.html#t-SD-101");
        assert_eq!(names["T_17.1"], "tickets/0001.html#t-T_17.1");
    }

    #[test]
    fn hundred_timelines_to_a_page() {
        let ids: Vec<String> = (0..201).map(|n| format!("T{n:03}")).collect();
        let names = page_names(ids.iter().map(String::as_str));
        assert_eq!(names["T000"], "tickets/0001.html#t-T000");
        assert_eq!(names["T099"], "tickets/0001.html#t-T099");
        assert_eq!(names["T100"], "tickets/0002.html#t-T100");
        assert_eq!(names["T200"], "tickets/0003.html#t-T200");
    }

    #[test]
    fn unsafe_ids_get_unique_hashed_names() {
        let names = page_names(["../etc/passwd", "a/b", "a_b", "A_B", "con", "résumé", ""]);
        let files: BTreeSet<String> = names.values().map(|n| n.to_lowercase()).collect();
        assert_eq!(files.len(), names.len(), "{names:?}");
        for name in names.values() {
            let anchor = name.strip_prefix("tickets/0001.html#t-").unwrap();
            assert!(!anchor.contains('/'), "{name}");
            assert!(!anchor.is_empty(), "{name}");
            assert!(
                anchor
                    .bytes()
                    .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'#'),
                "{name}"
            );
        }
        assert_eq!(names["a_b"], "tickets/0001.html#t-a_b");
        assert!(
            names["A_B"].starts_with("tickets/0001.html#t-A_B-"),
            "{names:?}"
        );
    }
}
