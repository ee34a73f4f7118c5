//! Calendars: when an SLA clock runs.
//!
//! TODO: business hours, holidays and half days; only 24×7 calendars are built so far.

use std::path::Path;

use chrono_tz::Tz;

use crate::config::{BusinessDuration, CalendarConfig, Hours};
use crate::time::{Instant, DAY};

/// A calendar of open time in one zone.
#[derive(Debug, Clone)]
pub struct Calendar {
    zone: Tz,
}

/// A calendar that cannot be built from its config.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("calendar `{name}`: {message}")]
pub struct CalendarError {
    pub name: String,
    pub message: String,
}

/// Why the clock does or does not run during a span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpanKind {
    Open,
    ClosedHours,
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
        Calendar { zone }
    }

    /// Builds a calendar from its config; `span` is the range of instants the data covers.
    /// Returns the calendar and any warnings about its config.
    pub fn from_config(
        name: &str,
        config: &CalendarConfig,
        _project_dir: &Path,
        _span: (Instant, Instant),
    ) -> Result<(Calendar, Vec<String>), CalendarError> {
        let zone = config.timezone.unwrap_or_default().0;
        match config.hours {
            Hours::Always => Ok((Calendar::always(zone), Vec::new())),
            Hours::Weekly(_) => Err(CalendarError {
                name: name.to_string(),
                message: "business hours are not supported yet; use hours = \"24x7\"".to_string(),
            }),
        }
    }

    pub fn zone(&self) -> Tz {
        self.zone
    }

    pub fn is_always(&self) -> bool {
        true
    }

    /// Open seconds in `[from, to)`; zero when `to <= from`.
    pub fn open_seconds(&self, from: Instant, to: Instant) -> i64 {
        (to - from).max(0)
    }

    /// The instant at which `target` of open time has run since `start`.
    pub fn due(&self, start: Instant, target: BusinessDuration) -> Instant {
        match target {
            BusinessDuration::Open(seconds) => start + seconds,
            BusinessDuration::BusinessDays(days) => start + i64::from(days) * DAY,
        }
    }

    /// The open and closed stretches of `[from, to)`, in order.
    pub fn spans(&self, from: Instant, to: Instant) -> Vec<CalendarSpan> {
        if to <= from {
            return Vec::new();
        }
        vec![CalendarSpan {
            start: from,
            end: to,
            kind: SpanKind::Open,
        }]
    }
}
