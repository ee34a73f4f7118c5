//! SLA clocks: calendars of open hours, and each ticket's response and resolution clocks.

pub mod calendar;

pub use calendar::{Calendar, CalendarError, CalendarSpan, SpanKind};
