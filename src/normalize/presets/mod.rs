//! Presets: what one help desk system's exports look like.
//!
//! A preset names the columns of each canonical field (several spellings each, first match
//! wins), the value labels of priorities and statuses, missing-value tokens, the statuses that
//! pause each metric by default, and how to find the first response when no reply is recorded.
//! The project's `[tickets.columns]` and `[tickets.values.*]` take precedence over all of it.

mod freshdesk;
mod generic;
pub mod jira;
mod osticket;
mod otrs;
mod servicenow;
mod zammad;
mod zendesk;

use crate::config::suggestion_or_list;
use crate::normalize::cells::{DurationUnit, VerdictForm};
use crate::normalize::{Field, Priority, StatusClass};

/// A help desk system's export conventions.
#[derive(Debug)]
pub struct Preset {
    pub name: &'static str,
    pub description: &'static str,
    /// Canonical field → column names the export may use, in order of preference.
    pub columns: &'static [(&'static str, &'static [&'static str])],
    /// Cell values that mean "no value".
    pub null: &'static [&'static str],
    /// Raw status codes → the labels the rest of the preset uses (`7` → `Closed`).
    pub status_codes: &'static [(&'static str, &'static str)],
    /// Status label → class, compared without case.
    pub statuses: &'static [(&'static str, StatusClass)],
    /// Priority label → level, compared without case, tried after a leading code (`3 - Moderate`).
    pub priorities: &'static [(&'static str, u8)],
    /// Statuses that stop the resolution clock unless the project says otherwise.
    pub pause_resolution: &'static [&'static str],
    /// Statuses that stop the response clock unless the project says otherwise.
    pub pause_response: &'static [&'static str],
    /// Columns whose presence marks an event log (one row per update).
    pub event_log_columns: &'static [&'static str],
    /// A sentence on the source system's own SLA verdict, for the data-quality page.
    pub source_verdict: &'static str,
    /// How each verdict field spells met and breached, where it is not a plain flag.
    pub verdict_forms: &'static [(&'static str, VerdictForm)],
    /// The unit of bare numbers in each duration field, where it is not the default
    /// (minutes for the source's elapsed times, hours for effort).
    pub duration_units: &'static [(&'static str, DurationUnit)],
    /// Characters that separate several labels in one cell; empty when each cell holds one
    /// label (Jira repeats its `Labels` column instead).
    pub label_separators: &'static str,
}

/// Every preset, in the order the docs list them.
pub const PRESETS: &[&Preset] = &[
    &servicenow::SERVICENOW,
    &jira::JIRA,
    &zendesk::ZENDESK,
    &freshdesk::FRESHDESK,
    &zammad::ZAMMAD,
    &osticket::OSTICKET,
    &otrs::OTRS,
    &generic::GENERIC,
];

/// Finds a preset by name, or explains which names exist.
pub fn find(name: &str) -> Result<&'static Preset, String> {
    PRESETS
        .iter()
        .find(|preset| preset.name.eq_ignore_ascii_case(name.trim()))
        .copied()
        .ok_or_else(|| {
            let names: Vec<&str> = PRESETS.iter().map(|preset| preset.name).collect();
            format!(
                "unknown preset `{name}`{}",
                suggestion_or_list(name, &names)
            )
        })
}

/// Generic priority names most help desks use, tried after the preset's own.
const COMMON_PRIORITIES: &[(&str, u8)] = &[
    ("critical", 1),
    ("urgent", 1),
    ("highest", 1),
    ("high", 2),
    ("medium", 3),
    ("moderate", 3),
    ("normal", 3),
    ("low", 4),
    ("lowest", 5),
    ("planning", 5),
];

impl Preset {
    /// The column names this preset gives a canonical field.
    pub fn column_names(&self, field: Field) -> &'static [&'static str] {
        self.columns
            .iter()
            .find(|(name, _)| *name == field.name())
            .map_or(&[], |(_, columns)| columns)
    }

    /// Maps an export's priority label: a leading code (`1`, `1 - Critical`, `P1`), else a
    /// name (`Critical`).
    pub fn priority(&self, label: &str) -> Option<Priority> {
        let label = label.trim();
        let code = label.strip_prefix(['P', 'p']).unwrap_or(label);
        let digits: String = code.chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() {
            let rest = code[digits.len()..].trim_start();
            if rest.is_empty() || rest.starts_with('-') {
                return digits.parse().ok().and_then(Priority::from_level);
            }
        }
        let lower = label.to_lowercase();
        self.priorities
            .iter()
            .chain(COMMON_PRIORITIES)
            .find(|(name, _)| *name == lower)
            .and_then(|&(_, level)| Priority::from_level(level))
    }

    /// Maps an impact or urgency label to a level: a leading code (`2 - Medium`), else
    /// High = 1, Medium = 2, Low = 3.
    pub fn level(&self, label: &str) -> Option<u8> {
        let label = label.trim();
        let digits: String = label.chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() {
            let rest = label[digits.len()..].trim_start();
            if rest.is_empty() || rest.starts_with('-') {
                return digits.parse().ok().filter(|level| (1..=9).contains(level));
            }
        }
        match label.to_lowercase().as_str() {
            "critical" | "extensive" | "widespread" => Some(1),
            "high" | "significant" | "large" => Some(1),
            "medium" | "moderate" => Some(2),
            "low" | "minor" | "localized" => Some(3),
            _ => None,
        }
    }

    /// The label of a raw status code, or the label itself.
    pub fn status_label<'a>(&self, value: &'a str) -> &'a str
    where
        'static: 'a,
    {
        let value = value.trim();
        self.status_codes
            .iter()
            .find(|(code, _)| *code == value)
            .map_or(value, |&(_, label)| label)
    }

    /// How a verdict field spells met and breached: the preset's form, else `Remaining` for
    /// the per-metric verdicts (which also reads flag words) and `Flag` for the overall one.
    pub fn verdict_form(&self, field: Field) -> VerdictForm {
        self.verdict_forms
            .iter()
            .find(|(name, _)| *name == field.name())
            .map(|&(_, form)| form)
            .unwrap_or(match field {
                Field::ResponseVerdict | Field::ResolutionVerdict => VerdictForm::Remaining,
                Field::Overdue => VerdictForm::BreachedFlag,
                _ => VerdictForm::Flag,
            })
    }

    /// The unit of a bare number in a duration field.
    pub fn duration_unit(&self, field: Field) -> DurationUnit {
        self.duration_units
            .iter()
            .find(|(name, _)| *name == field.name())
            .map(|&(_, unit)| unit)
            .unwrap_or(match field {
                Field::Effort => DurationUnit::Hours,
                _ => DurationUnit::Minutes,
            })
    }

    /// The class of a status label, when the preset knows it.
    pub fn status_class(&self, label: &str) -> Option<StatusClass> {
        let label = label.trim();
        self.statuses
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(label))
            .map(|&(_, class)| class)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servicenow_priority_labels_and_codes() {
        let preset = find("servicenow").unwrap();
        for (label, level) in [
            ("1 - Critical", 1),
            ("2 - High", 2),
            ("3 - Moderate", 3),
            ("4 - Low", 4),
            ("5 - Planning", 5),
            ("3", 3),
            (" 4 ", 4),
            ("P2", 2),
            ("Critical", 1),
            ("moderate", 3),
        ] {
            assert_eq!(
                preset.priority(label),
                Priority::from_level(level),
                "{label}"
            );
        }
        for label in ["", "0", "10", "3 Moderate", "Whenever", "-1"] {
            assert_eq!(preset.priority(label), None, "{label}");
        }
    }

    #[test]
    fn impact_and_urgency_levels() {
        let preset = find("servicenow").unwrap();
        assert_eq!(preset.level("1 - High"), Some(1));
        assert_eq!(preset.level("2 - Medium"), Some(2));
        assert_eq!(preset.level("3 - Low"), Some(3));
        assert_eq!(preset.level("3"), Some(3));
        assert_eq!(preset.level("Low"), Some(3));
        assert_eq!(preset.level("?"), None);
    }

    #[test]
    fn unknown_preset_suggests_a_name() {
        assert_eq!(
            find("servicenw").unwrap_err(),
            "unknown preset `servicenw`; did you mean `servicenow`?"
        );
    }

    #[test]
    fn servicenow_statuses_by_label_and_code() {
        let preset = find("servicenow").unwrap();
        assert_eq!(preset.status_class("New"), Some(StatusClass::New));
        assert_eq!(
            preset.status_class("awaiting user info"),
            Some(StatusClass::Open)
        );
        assert_eq!(preset.status_class("Resolved"), Some(StatusClass::Resolved));
        assert_eq!(preset.status_label("7"), "Closed");
        assert_eq!(preset.status_label("Active"), "Active");
        assert_eq!(preset.status_class("-100"), None);
    }
}
