//! SLA clocks: calendars of open hours, and each ticket's response and resolution clocks.

pub mod calendar;
pub mod ics;

pub use calendar::{Calendar, CalendarError, CalendarSpan, SpanKind};
