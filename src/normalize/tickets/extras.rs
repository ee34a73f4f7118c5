//! Values that a preset's column table cannot express: the source system's own verdicts and
//! figures, labels under repeated headers, effort and satisfaction, and comment cells that
//! unpack into reply events.

use super::{mapped, Fields, Reader};
use crate::load::Row;
use crate::normalize::cells::{self, Satisfaction};
use crate::normalize::columns::cell;
use crate::normalize::presets::jira::split_comment;
use crate::normalize::{Event, EventKind, Field, RepairKind, SourceVerdicts, Sym, TicketDetails};
use crate::time::Instant;

/// The values of one row beyond the clocks' fields.
#[derive(Debug, Clone, Default)]
pub(super) struct Extras {
    pub source: SourceVerdicts,
    /// The source's due time for the resolution, such as osTicket's `SLA Due Date`.
    resolution_due: Option<Instant>,
    /// The source's overdue flag read as a verdict: `Some(false)` when overdue.
    overdue: Option<bool>,
    labels: Vec<Sym>,
    effort: Option<i64>,
    satisfaction: Option<Satisfaction>,
    /// Comments in export order: when, and whether the requester wrote it.
    comments: Vec<(Instant, EventKind)>,
}

impl Reader<'_> {
    pub(super) fn extras(&mut self, row: &Row<'_>, id: &str) -> Result<Extras, ()> {
        let source = SourceVerdicts {
            overall: self.source_verdict(row, id, Field::SourceVerdict),
            response: self.source_verdict(row, id, Field::ResponseVerdict),
            resolution: self.source_verdict(row, id, Field::ResolutionVerdict),
            response_elapsed: self.duration(row, id, Field::ResponseTime),
            response_business: self.duration(row, id, Field::ResponseBusinessTime),
            resolution_elapsed: self.duration(row, id, Field::ResolutionTime),
            resolution_business: self.duration(row, id, Field::ResolutionBusinessTime),
        };
        Ok(Extras {
            source,
            resolution_due: self.instant(row, id, Field::ResolutionDue)?,
            overdue: self.source_verdict(row, id, Field::Overdue),
            labels: self.labels(row),
            effort: self.duration(row, id, Field::Effort),
            satisfaction: self.satisfaction(row, id),
            comments: self.comments(row, id)?,
        })
    }

    /// Notes a value that was present but could not be read; the ticket keeps the rest.
    fn unread(&mut self, row: &Row<'_>, id: &str, field: Field, value: &str, expected: &str) {
        let action = format!("expected {expected}");
        self.repair(RepairKind::UnreadValue, id, row.line, field, value, action);
    }

    fn source_verdict(&mut self, row: &Row<'_>, id: &str, field: Field) -> Option<bool> {
        let value = cell(row, &self.columns, &self.nulls, field)?;
        let text = mapped(self.config, field, value).unwrap_or(value);
        let verdict = cells::verdict(text, self.preset.verdict_form(field));
        if verdict.is_none() {
            let expected = format!(
                "met or breached, such as `true`, `Within SLA`, or a time left such as `-2:15`; \
                 map other labels in [tickets.values.{field}]"
            );
            self.unread(row, id, field, value, &expected);
        }
        verdict
    }

    fn duration(&mut self, row: &Row<'_>, id: &str, field: Field) -> Option<i64> {
        let value = cell(row, &self.columns, &self.nulls, field)?;
        let unit = self.preset.duration_unit(field);
        let seconds = cells::duration(value, unit);
        if seconds.is_none() {
            let expected = format!(
                "a duration such as `02:35`, `1h 30m` or a number of {}",
                unit.name()
            );
            self.unread(row, id, field, value, &expected);
        }
        seconds
    }

    fn labels(&mut self, row: &Row<'_>) -> Vec<Sym> {
        let mut labels: Vec<Sym> = Vec::new();
        let separators = self.preset.label_separators;
        for &index in self.columns.all(Field::Labels) {
            let Some(value) = self.nulls.value(row.get(index)) else {
                continue;
            };
            let parts = value.split(|c| separators.contains(c));
            for part in parts.map(str::trim).filter(|p| !p.is_empty()) {
                let sym = self.symbols.intern(part);
                if !labels.contains(&sym) {
                    labels.push(sym);
                }
            }
        }
        labels
    }

    fn satisfaction(&mut self, row: &Row<'_>, id: &str) -> Option<Satisfaction> {
        let value = cell(row, &self.columns, &self.nulls, Field::Satisfaction)?;
        let text = mapped(self.config, Field::Satisfaction, value).unwrap_or(value);
        let rating = Satisfaction::parse(text);
        if rating.is_none() {
            self.unread(
                row,
                id,
                Field::Satisfaction,
                value,
                "Good, Bad, Offered or Not Offered; map other labels in [tickets.values.satisfaction]",
            );
        }
        rating
    }

    /// Unpacks `date;author;body` comment cells. A comment by the requester is a customer
    /// message, and any other is a public reply.
    ///
    /// NOTE: Jira's CSV does not mark internal comments, so an agent's internal comment counts
    /// as a public reply here.
    fn comments(&mut self, row: &Row<'_>, id: &str) -> Result<Vec<(Instant, EventKind)>, ()> {
        if self.columns.all(Field::Comments).is_empty() {
            return Ok(Vec::new());
        }
        let indexes = self.columns.all(Field::Comments).to_vec();
        let requester = cell(row, &self.columns, &self.nulls, Field::Requester);
        let mut comments = Vec::new();
        for index in indexes {
            let Some(value) = self.nulls.value(row.get(index)) else {
                continue;
            };
            let Some(comment) = split_comment(value) else {
                let reason = format!(
                    "invalid comment `{value}`: expected `date;author;body`, such as \
                     `02/Sep/24 10:00 AM;agent-7;Looking into it`"
                );
                self.reject(row, id, Field::Comments, value, &reason);
                return Err(());
            };
            let at = self.instant_of(row, id, Field::Comments, comment.date)?;
            let by_requester =
                requester.is_some_and(|name| name.eq_ignore_ascii_case(comment.author));
            let kind = if by_requester {
                EventKind::CustomerMessage
            } else {
                EventKind::ReplyPublic
            };
            comments.push((at, kind));
        }
        Ok(comments)
    }

    /// Adds a ticket's comments to its history and settles what depends on the extras: the
    /// first response where the export has no column for it, and the resolution verdict
    /// osTicket gives only through its due date and overdue flag. Returns the first
    /// response, the source verdicts and the ticket's details.
    pub(super) fn apply_extras(
        &mut self,
        fields: &Fields,
        first_response: Option<Instant>,
        resolved: Option<Instant>,
        start: usize,
        events: &mut Vec<Event>,
    ) -> (Option<Instant>, SourceVerdicts, TicketDetails) {
        let extras = &fields.extras;
        for &(at, kind) in &extras.comments {
            events.push(Event {
                at,
                kind,
                value: Sym::NONE,
            });
        }
        if !extras.comments.is_empty() {
            events[start..].sort_by_key(|event| event.at);
        }

        let first_reply = extras
            .comments
            .iter()
            .filter(|(_, kind)| *kind == EventKind::ReplyPublic)
            .map(|&(at, _)| at)
            .min();
        // Zendesk exports no reply time, only the minutes from creation to the first reply.
        let from_figure = extras
            .source
            .response_elapsed
            .filter(|_| self.columns.index(Field::FirstResponse).is_none())
            .map(|seconds| fields.opened + seconds);
        let first_response = first_response.or(first_reply).or(from_figure);

        let mut source = extras.source;
        if source.resolution.is_none() {
            source.resolution = match (extras.resolution_due, resolved.or(fields.closed)) {
                (Some(due), Some(stop)) => Some(stop <= due),
                // An open ticket flagged overdue has breached; one not flagged has not yet.
                _ => extras.overdue.filter(|met| !met),
            };
        }
        let details = TicketDetails {
            labels: extras.labels.clone().into_boxed_slice(),
            effort: extras.effort,
            satisfaction: extras.satisfaction,
            comments: extras.comments.len() as u32,
        };
        (first_response, source, details)
    }
}
