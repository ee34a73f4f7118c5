//! Calendars: when an SLA clock runs.
//!
//! A calendar is a set of open windows in local wall-clock time of one IANA zone, or `24x7`.
//!
//! # Open hours
//!
//! ```toml
//! [calendars.office]
//! timezone = "Europe/London"            # default UTC
//! hours = { mon-fri = "08:00-12:00, 13:00-17:00", sat = "09:00-13:00" }   # or "24x7"
//! holidays = ["2026-07-03", "2026-09-07"]
//! holiday_files = ["us-holidays.ics"]   # relative to the project folder
//! half_days = { "2026-11-27" = "08:00-12:00" }
//! ```
//!
//! - A key of `hours` names days: `mon` … `sun` (or `monday` … `sunday`), a range such as
//!   `mon-fri` (a range may wrap, `fri-mon` is Friday to Monday), a list such as `mon,wed`,
//!   or `daily`. Each day may appear in one key only; days in no key are closed.
//! - A value lists windows `HH:MM-HH:MM` separated by commas. A window is half-open,
//!   `[start, end)`: `09:00-17:00` is open at 09:00 and closed at 17:00. Overlapping windows
//!   are an error.
//! - `24:00` ends a window at midnight; `00:00-24:00` is a whole day. An end of `23:59` is
//!   accepted with a warning, because it leaves 23:59-24:00 closed every night and loses a
//!   minute at each midnight a ticket crosses.
//! - A window whose end is before its start runs past midnight and belongs to the day it
//!   starts on: `mon-fri = "21:00-02:00"` is open from Friday 21:00 to Saturday 02:00, and
//!   closed from Sunday 21:00 to Monday 02:00. Such a window must not run into the next
//!   day's first window.
//! - `holidays` and the `VEVENT`s of `holiday_files` (see [`crate::clock::ics`]) close whole
//!   days. Only the calendar's own holidays count. A window that starts the evening before a
//!   holiday still runs to its end on the holiday.
//! - `half_days` gives a date its own windows in place of its weekday's. A date cannot be in
//!   both `holidays` and `half_days`. When a holiday file lists a half day, the half day wins
//!   and [`Calendar::from_config`] returns a warning about it.
//! - `hours = "24x7"` is open at all times. With holidays or half days it is the same as
//!   `daily = "00:00-24:00"`.
//!
//! # Daylight saving time
//!
//! Windows are wall-clock times, so `09:00-17:00` is 8 hours on the days the clocks change,
//! and a whole-day window counts real elapsed time: 23 hours on the day the clocks go
//! forward and 25 on the day they go back. A 24×7 calendar counts elapsed seconds.
//!
//! A window edge maps to the first instant at which the wall clock reads that time or later:
//!
//! - In the gap when the clocks go forward, the edge moves to the jump. In Europe/Berlin on
//!   2025-03-30 the clocks go from 02:00 to 03:00, so a window `02:30-04:00` opens at 03:00
//!   and is one hour long, and a window `02:00-02:30` is empty that day.
//! - In the overlap when the clocks go back, the edge is the first occurrence. In
//!   Europe/Berlin on 2025-10-26 the clocks go from 03:00 back to 02:00, so a window
//!   `00:00-02:30` ends at 02:30 summer time (00:30 UTC) and is 2½ hours long, and a window
//!   `02:30-04:00` opens at the first 02:30 and is 2½ hours long.
//!
//! # `d` and `bd` targets
//!
//! `m`, `h` and `d` targets ([`BusinessDuration::Open`]) are amounts of open time; `d` is
//! 24 hours of open time. [`Calendar::due`] returns the earliest instant at which that much
//! open time has passed since the start. A target of zero is due at the start itself, even
//! when the calendar is closed then.
//!
//! `bd` targets ([`BusinessDuration::BusinessDays`]) count open days. An open day is a local
//! date whose own windows (after holidays and half days) have open time; a holiday is never
//! an open day, even when the previous evening's window runs into it. The clock starts at
//! the first open instant at or after the start. That instant belongs to the open day of its
//! window and sits at a clock time measured from that day's midnight, past 24:00 for the
//! part of an overnight window after midnight. The target is due at the same clock time N
//! open days later or, when the calendar is closed then, at the next open instant.
//!
//! Worked examples on `mon-fri = "09:00-17:00"`:
//!
//! - Opened Monday 15:00. `1d` is 24 open hours: Monday 2 h, Tuesday 8 h, Wednesday 8 h
//!   and 6 h on Thursday, so it is due Thursday 15:00. `1bd` is due Tuesday 15:00.
//! - Opened Saturday 10:00. The clock starts Monday 09:00, so `1bd` is due Tuesday 09:00
//!   and `8h` is due Monday 17:00.
//! - Opened Friday 16:30 with Monday a holiday. `1bd` is due Tuesday 16:30, and `1h` is due
//!   Tuesday 09:30.
//!
//! On a night desk `mon-fri = "21:00-02:00"`, a ticket opened Saturday 01:00 is inside
//! Friday's window at clock time 25:00, so `1bd` is due at 25:00 of Monday, which is
//! Tuesday 01:00.
//!
//! # Speed and range
//!
//! [`Calendar::from_config`] lists the open intervals of every local day from a month
//! before the build's span to two years after it, with running totals of open seconds. Within
//! that table [`Calendar::open_seconds`] and [`Calendar::next_open`] take constant time and
//! [`Calendar::due`] a binary search. A query outside the table is answered exactly from the
//! same rules by listing the days it needs, so it costs time in proportion to those days.

mod rules;
mod table;

#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use chrono_tz::Tz;

use crate::config::{BusinessDuration, CalendarConfig, Hours};
use crate::time::{Instant, DAY};

use rules::Rules;
use table::{first_instant_at_or_after, local_day, local_seconds, Table};

/// Local days listed before the build's span.
const TABLE_DAYS_BEFORE: i64 = 31;
/// Local days listed after the build's span, so that due instants of long targets stay
/// inside the table.
const TABLE_DAYS_AFTER: i64 = 731;
/// The largest table built; a wider span keeps its last days.
const MAX_TABLE_DAYS: i64 = 100_000;
/// The maximum number of days listed at once when a query runs outside the table.
const CHUNK_DAYS: i64 = 366;
/// Closed days in a row after which a target is taken to be never due.
const MAX_CLOSED_DAYS: i64 = 3_660;

/// The first and last local days a calendar computes: 0001-01-03 and 9999-12-29. Instants
/// before or after are moved to these limits.
const FIRST_DAY: i64 = -719_160;
const LAST_DAY: i64 = 2_932_892;

/// The instant [`Calendar::due`] and [`Calendar::next_open`] return when a calendar has no
/// open time left before the year 9999 (for example a target of millions of hours).
pub const NEVER: Instant = Instant::MAX;

/// A calendar of open time in one zone.
#[derive(Clone)]
pub struct Calendar {
    zone: Tz,
    /// `None` for a 24×7 calendar without holidays.
    business: Option<Arc<Business>>,
}

/// The rules of a business calendar and its table of open intervals.
struct Business {
    rules: Rules,
    table: Table,
}

impl fmt::Debug for Calendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Calendar");
        debug.field("zone", &self.zone.name());
        match &self.business {
            None => debug.field("hours", &"24x7"),
            Some(business) => debug.field(
                "table",
                &(business.table.cover_start()..business.table.cover_end()),
            ),
        };
        debug.finish()
    }
}

/// A calendar that cannot be built from its config.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("calendar `{name}`: {message}")]
pub struct CalendarError {
    pub name: String,
    pub message: String,
}

/// Why the clock does or does not run during a span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanKind {
    Open,
    /// Outside the open hours of a working day or on a day without hours, such as a weekend.
    ClosedHours,
    /// A day closed by one of the calendar's holidays.
    Holiday,
}

/// A stretch of time during which a calendar is uniformly open or closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarSpan {
    pub start: Instant,
    pub end: Instant,
    pub kind: SpanKind,
}

impl Calendar {
    /// A calendar that is always open.
    pub fn always(zone: Tz) -> Calendar {
        Calendar {
            zone,
            business: None,
        }
    }

    /// Builds a calendar from its config; `span` is the range of instants the data covers,
    /// and relative holiday files are read from `project_dir`. Returns the calendar and any
    /// warnings about its config.
    pub fn from_config(
        name: &str,
        config: &CalendarConfig,
        project_dir: &Path,
        span: (Instant, Instant),
    ) -> Result<(Calendar, Vec<String>), CalendarError> {
        let zone = config.timezone.unwrap_or_default().0;
        let plain_24x7 = config.hours == Hours::Always
            && config.holidays.is_empty()
            && config.holiday_files.is_empty()
            && config.half_days.is_empty();
        if plain_24x7 {
            return Ok((Calendar::always(zone), Vec::new()));
        }
        let (rules, warnings) = rules::parse(name, config, project_dir)?;
        let (start, end) = (span.0.min(span.1), span.0.max(span.1));
        let last = (local_day(zone, clamp(end)) + TABLE_DAYS_AFTER).min(LAST_DAY);
        let first = (local_day(zone, clamp(start)) - TABLE_DAYS_BEFORE)
            .max(FIRST_DAY)
            .max(last - MAX_TABLE_DAYS);
        Ok((Calendar::business(zone, rules, first, last), warnings))
    }

    fn business(zone: Tz, rules: Rules, first: i64, last: i64) -> Calendar {
        let table = Table::build(&rules, zone, first, last);
        Calendar {
            zone,
            business: Some(Arc::new(Business { rules, table })),
        }
    }

    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// Whether the calendar is open at all times, with no holidays.
    pub fn is_always(&self) -> bool {
        self.business.is_none()
    }

    /// Open seconds in `[from, to)`; zero when `to <= from`.
    pub fn open_seconds(&self, from: Instant, to: Instant) -> i64 {
        if to <= from {
            return 0;
        }
        let Some(business) = &self.business else {
            return to.saturating_sub(from);
        };
        let (from, to) = (clamp(from), clamp(to));
        let table = &business.table;
        if table.cover_start() <= from && to <= table.cover_end() {
            return table.open_until(to) - table.open_until(from);
        }
        business.open_seconds_outside(self.zone, from, to)
    }

    /// Returns the instant at which `target` is due for a clock started at `start`. The
    /// module documentation defines `d` and `bd` targets. A zero target is due at `start`. Returns
    /// [`NEVER`] when the calendar has no such instant before the year 9999.
    pub fn due(&self, start: Instant, target: BusinessDuration) -> Instant {
        match target {
            BusinessDuration::Open(seconds) if seconds <= 0 => start,
            BusinessDuration::BusinessDays(0) => start,
            BusinessDuration::Open(seconds) => match &self.business {
                None => start.saturating_add(seconds),
                Some(business) => business.due_open(self.zone, clamp(start), seconds),
            },
            BusinessDuration::BusinessDays(days) => self.due_business_days(start, days),
        }
    }

    /// Returns the first open instant at or after `instant`, which is `instant` itself when
    /// the calendar is open then. Returns [`NEVER`] when the calendar has no open time left before the year
    /// 9999.
    pub fn next_open(&self, instant: Instant) -> Instant {
        match &self.business {
            None => instant,
            Some(business) => business
                .next_open(self.zone, clamp(instant))
                .map_or(NEVER, |(open, _)| open),
        }
    }

    /// Whether the calendar is open at `instant`.
    pub fn is_open(&self, instant: Instant) -> bool {
        self.next_open(instant) == instant
    }

    /// The open and closed stretches of `[from, to)`, in order; neighbouring spans differ in
    /// kind.
    ///
    /// This lists the intervals one by one and labels closed time day by day, which is fine
    /// because it runs only for the few tickets whose timeline is drawn.
    pub fn spans(&self, from: Instant, to: Instant) -> Vec<CalendarSpan> {
        if to <= from {
            return Vec::new();
        }
        let Some(business) = &self.business else {
            return vec![CalendarSpan {
                start: from,
                end: to,
                kind: SpanKind::Open,
            }];
        };
        let (from, to) = (clamp(from), clamp(to));
        let built;
        let table = if business.table.cover_start() <= from && to <= business.table.cover_end() {
            &business.table
        } else {
            built = Table::build(
                &business.rules,
                self.zone,
                local_day(self.zone, from) - 1,
                local_day(self.zone, to) + 1,
            );
            &built
        };
        let mut spans = Vec::new();
        let mut cursor = from;
        for (start, end) in table.open_intervals(from, to) {
            if cursor < start {
                business.push_closed(self.zone, &mut spans, cursor, start);
            }
            push_span(&mut spans, start, end, SpanKind::Open);
            cursor = end;
        }
        if cursor < to {
            business.push_closed(self.zone, &mut spans, cursor, to);
        }
        spans
    }

    fn due_business_days(&self, start: Instant, days: u32) -> Instant {
        let zone = self.zone;
        let Some(business) = &self.business else {
            let day = local_day(zone, start);
            let clock = local_seconds(zone, start) - day * DAY;
            return first_instant_at_or_after(zone, (day + i64::from(days)) * DAY + clock);
        };
        let Some((open, owner)) = business.next_open(zone, clamp(start)) else {
            return NEVER;
        };
        let clock = local_seconds(zone, open) - owner * DAY;
        let Some(day) = business.nth_open_day_after(zone, owner, days) else {
            return NEVER;
        };
        let candidate = first_instant_at_or_after(zone, day * DAY + clock);
        business
            .next_open(zone, candidate)
            .map_or(NEVER, |(open, _)| open)
    }
}

impl Business {
    /// Lists the days of `[from, to)` that the table does not cover, at most a chunk at a
    /// time.
    fn open_seconds_outside(&self, zone: Tz, from: Instant, to: Instant) -> i64 {
        let mut total = 0;
        let mut cursor = from;
        while cursor < to {
            let chunk;
            let table = if self.table.covers(cursor) {
                &self.table
            } else {
                chunk = self.chunk_at(zone, cursor, local_day(zone, to) + 1);
                &chunk
            };
            let end = to.min(table.cover_end());
            total += table.open_until(end) - table.open_until(cursor);
            cursor = end;
        }
        total
    }

    /// Builds a table that covers `instant`, which lies outside the main table. It runs to
    /// `last_needed` unless that is more than a chunk away or inside the main table.
    fn chunk_at(&self, zone: Tz, instant: Instant, last_needed: i64) -> Table {
        let day = local_day(zone, instant);
        let mut last = last_needed.min(day + CHUNK_DAYS);
        if instant < self.table.cover_start() {
            last = last.min(self.table.first_covered_day());
        }
        Table::build(&self.rules, zone, day - 1, last.max(day + 1))
    }

    fn due_open(&self, zone: Tz, start: Instant, seconds: i64) -> Instant {
        if seconds > clamp(NEVER) - start {
            return NEVER;
        }
        let mut cursor = start;
        let mut remaining = seconds;
        let mut chunk_days = 8;
        let mut closed_days = 0;
        loop {
            if self.table.covers(cursor) {
                if let Some(due) = self.table.instant_after(cursor, remaining) {
                    return due;
                }
                remaining -= self.table.total() - self.table.open_until(cursor);
                cursor = self.table.cover_end();
                continue;
            }
            if cursor >= clamp(NEVER) {
                return NEVER;
            }
            let chunk = self.chunk_at(zone, cursor, local_day(zone, cursor) + chunk_days);
            if let Some(due) = chunk.instant_after(cursor, remaining) {
                return due;
            }
            let found = chunk.total() - chunk.open_until(cursor);
            closed_days = if found == 0 {
                closed_days + chunk.last_day() - chunk.first_covered_day() + 1
            } else {
                0
            };
            if closed_days > MAX_CLOSED_DAYS {
                return NEVER;
            }
            remaining -= found;
            cursor = chunk.cover_end();
            chunk_days = (chunk_days * 2).min(CHUNK_DAYS);
        }
    }

    /// The first open instant at or after `instant` and the local day its window belongs to.
    fn next_open(&self, zone: Tz, instant: Instant) -> Option<(Instant, i64)> {
        let mut cursor = instant;
        let mut chunk_days = 8;
        let mut closed_days = 0;
        loop {
            if self.table.covers(cursor) {
                if let Some(found) = self.table.next_open(cursor) {
                    return Some(found);
                }
                cursor = self.table.cover_end();
                continue;
            }
            if cursor >= clamp(NEVER) {
                return None;
            }
            let chunk = self.chunk_at(zone, cursor, local_day(zone, cursor) + chunk_days);
            if let Some(found) = chunk.next_open(cursor) {
                return Some(found);
            }
            closed_days += chunk.last_day() - chunk.first_covered_day() + 1;
            if closed_days > MAX_CLOSED_DAYS {
                return None;
            }
            cursor = chunk.cover_end();
            chunk_days = (chunk_days * 2).min(CHUNK_DAYS);
        }
    }

    /// The `n`-th open day after `day`, for `n` of one or more.
    fn nth_open_day_after(&self, zone: Tz, day: i64, n: u32) -> Option<i64> {
        let mut day = day;
        let mut remaining = n;
        let mut closed_days = 0;
        loop {
            if self.table.lists_day(day) {
                match self.table.nth_open_day_after(day, remaining) {
                    Ok(found) => return Some(found),
                    Err(rest) => {
                        remaining = rest;
                        day = self.table.last_day();
                    }
                }
            }
            day += 1;
            if day > LAST_DAY {
                return None;
            }
            let open = if self.table.lists_day(day) {
                self.table.is_open_day(day)
            } else {
                table::is_open_day(&self.rules, zone, day)
            };
            if open {
                remaining -= 1;
                closed_days = 0;
                if remaining == 0 {
                    return Some(day);
                }
            } else {
                closed_days += 1;
                if closed_days > MAX_CLOSED_DAYS {
                    return None;
                }
            }
        }
    }

    /// Adds the closed time `[from, to)` to `spans`, labelled day by day as a holiday or
    /// closed hours.
    fn push_closed(&self, zone: Tz, spans: &mut Vec<CalendarSpan>, from: Instant, to: Instant) {
        let mut cursor = from;
        while cursor < to {
            let day = local_day(zone, cursor);
            let mut end = first_instant_at_or_after(zone, (day + 1) * DAY);
            if end <= cursor {
                // The clocks went back across midnight; the local day ends when the wall
                // clock next reads midnight.
                end = cursor + ((day + 1) * DAY - local_seconds(zone, cursor));
            }
            let end = end.min(to);
            let kind = if self.rules.is_holiday(day) {
                SpanKind::Holiday
            } else {
                SpanKind::ClosedHours
            };
            push_span(spans, cursor, end, kind);
            cursor = end;
        }
    }
}

/// Appends a span, joining it to the last one when they meet and have the same kind.
fn push_span(spans: &mut Vec<CalendarSpan>, start: Instant, end: Instant, kind: SpanKind) {
    if end <= start {
        return;
    }
    if let Some(last) = spans.last_mut() {
        if last.kind == kind && last.end == start {
            last.end = end;
            return;
        }
    }
    spans.push(CalendarSpan { start, end, kind });
}

/// Moves an instant into the days a calendar computes.
///
/// NOTE: instants before 0001-01-03 or after 9999-12-29 are read as those days; no ticket
/// data reaches them.
fn clamp(instant: Instant) -> Instant {
    instant.clamp(FIRST_DAY * DAY, LAST_DAY * DAY)
}
