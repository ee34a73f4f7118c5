//! `[review]`: the thresholds that turn measured values into decisions, and security rules.
//!
//! Every key is optional; [`ReviewSettings::from_config`] fills in the documented defaults,
//! and the build records the values it used in `manifest.json`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{BusinessDuration, Percent, Period};

/// `[review]` as written in the config.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewConfig {
    /// Response and resolution attainment per priority (higher is better).
    #[serde(default)]
    pub attainment: Option<Thresholds>,
    /// Impact × urgency → priority: `"servicenow"` or a table such as `{ "1-1" = "P1", … }`.
    #[serde(default)]
    pub matrix: Option<MatrixConfig>,
    /// Share of tickets whose priority follows the matrix (higher is better).
    #[serde(default)]
    pub matrix_consistency: Option<Thresholds>,
    /// Share of tickets without a priority or category (lower is better).
    #[serde(default)]
    pub missing_fields: Option<Thresholds>,
    /// Reassignments from which a ticket counts as a weak handoff; default 3.
    #[serde(default)]
    pub weak_handoff_reassignments: Option<u32>,
    /// Share of tickets that are weak handoffs (lower is better).
    #[serde(default)]
    pub weak_handoffs: Option<Thresholds>,
    /// Share of resolved tickets that were reopened (lower is better).
    #[serde(default)]
    pub reopen_rate: Option<Thresholds>,
    /// How close to its target a met ticket must finish to be a near miss; default 10% of the target.
    #[serde(default)]
    pub near_miss_margin: Option<Percent>,
    /// Share of met tickets that are near misses (lower is better).
    #[serde(default)]
    pub near_misses: Option<Thresholds>,
    /// A pause entered this long or less before a breach is suspicious; default 1h.
    #[serde(default)]
    pub pause_before_breach: Option<BusinessDuration>,
    /// A priority raised after this share of its target had elapsed is raised late; default 50%.
    #[serde(default)]
    pub late_raise: Option<Percent>,
    /// Share of tickets whose priority was raised late or lowered to hide a breach (lower is better).
    #[serde(default)]
    pub late_priority_changes: Option<Thresholds>,
    /// Share of paused tickets that entered a pause shortly before a breach (lower is better).
    #[serde(default)]
    pub late_pauses: Option<Thresholds>,
    /// Share of tickets with each field the checks use (higher is better).
    #[serde(default)]
    pub completeness: Option<Thresholds>,
    /// Share of tickets a security rule covers that follow it (higher is better).
    #[serde(default)]
    pub security_compliance: Option<Thresholds>,
    /// Share of counted survey answers that are satisfied, CSAT (higher is better).
    #[serde(default)]
    pub csat: Option<Thresholds>,
    /// Fewer counted survey answers than this give CSAT "not enough data"; default 30.
    #[serde(default)]
    pub min_survey_answers: Option<u32>,
    /// Fewer tickets than this behind a check give "not enough data"; default 10.
    #[serde(default)]
    pub min_tickets: Option<u32>,
    /// How long after the as-of date a proposed action is due; default 30d.
    #[serde(default)]
    pub action_lead_time: Option<BusinessDuration>,
    /// The period to compare with; default: the same number of calendar months before a period
    /// of whole months, else the period of equal length just before.
    #[serde(default)]
    pub compare: Option<Period>,
    #[serde(default)]
    pub security: Vec<SecurityRule>,
}

/// Two thresholds that split a measured share into three decisions.
///
/// Where higher is better (attainment), a value at or above `acceptable` is acceptable, at or
/// above `needs_tuning` needs tuning, and below it requires remediation. Where lower is better
/// (reopen rate), a value at or below `acceptable` is acceptable, at or below `needs_tuning`
/// needs tuning, and above it requires remediation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    pub acceptable: Percent,
    pub needs_tuning: Percent,
}

impl Thresholds {
    pub const fn new(acceptable: u32, needs_tuning: u32) -> Thresholds {
        Thresholds {
            acceptable: Percent::from_basis_points(acceptable),
            needs_tuning: Percent::from_basis_points(needs_tuning),
        }
    }
}

/// The priority matrix: a named preset or a table of `"IMPACT-URGENCY" = "P…"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum MatrixConfig {
    Preset(String),
    Table(BTreeMap<String, String>),
}

impl<'de> Deserialize<'de> for MatrixConfig {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Preset(String),
            Table(BTreeMap<String, String>),
        }
        let message = "invalid matrix: expected \"servicenow\" or a table such as { \"1-1\" = \"P1\", \"1-2\" = \"P2\" }";
        match Raw::deserialize(deserializer).map_err(|_| serde::de::Error::custom(message))? {
            Raw::Preset(name) if name.eq_ignore_ascii_case("servicenow") => {
                Ok(MatrixConfig::Preset(name))
            }
            Raw::Preset(name) => Err(serde::de::Error::custom(format!("{message}, not `{name}`"))),
            Raw::Table(table) => Ok(MatrixConfig::Table(table)),
        }
    }
}

/// `[[review.security]]`: tickets a filter selects must record a field.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityRule {
    pub name: String,
    /// A scope in the register's filter language, such as `category = "Password Reset"`.
    pub tickets: String,
    pub require: Requirement,
}

/// What a security rule requires of each ticket it selects.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// The export column that must hold the value.
    pub field: String,
    /// Allowed values, compared without case; without it any value passes.
    #[serde(default)]
    pub one_of: Option<Vec<String>>,
}

/// The values every check uses, defaults filled in; recorded in `manifest.json`.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewSettings {
    pub attainment: Thresholds,
    pub matrix: BTreeMap<String, String>,
    pub matrix_source: String,
    pub matrix_consistency: Thresholds,
    pub missing_fields: Thresholds,
    pub weak_handoff_reassignments: u32,
    pub weak_handoffs: Thresholds,
    pub reopen_rate: Thresholds,
    pub near_miss_margin: Percent,
    pub near_misses: Thresholds,
    pub pause_before_breach: BusinessDuration,
    pub late_raise: Percent,
    pub late_priority_changes: Thresholds,
    pub late_pauses: Thresholds,
    pub completeness: Thresholds,
    pub security_compliance: Thresholds,
    pub csat: Thresholds,
    pub min_survey_answers: u32,
    pub min_tickets: u32,
    pub action_lead_time: BusinessDuration,
    pub compare: Option<Period>,
    pub security: Vec<SecurityRule>,
}

/// ServiceNow's default priority lookup: impact + urgency − 1, from 1 - Critical to 5 - Planning.
pub fn servicenow_matrix() -> BTreeMap<String, String> {
    let mut matrix = BTreeMap::new();
    for impact in 1..=3 {
        for urgency in 1..=3 {
            matrix.insert(
                format!("{impact}-{urgency}"),
                format!("P{}", impact + urgency - 1),
            );
        }
    }
    matrix
}

impl ReviewSettings {
    pub fn from_config(config: &ReviewConfig) -> ReviewSettings {
        let (matrix, matrix_source) = match &config.matrix {
            Some(MatrixConfig::Table(table)) => (table.clone(), "the project's table".to_string()),
            _ => (servicenow_matrix(), "ServiceNow's default".to_string()),
        };
        ReviewSettings {
            attainment: config.attainment.unwrap_or(Thresholds::new(9_500, 9_000)),
            matrix,
            matrix_source,
            matrix_consistency: config
                .matrix_consistency
                .unwrap_or(Thresholds::new(9_500, 9_000)),
            missing_fields: config.missing_fields.unwrap_or(Thresholds::new(100, 500)),
            weak_handoff_reassignments: config.weak_handoff_reassignments.unwrap_or(3),
            weak_handoffs: config.weak_handoffs.unwrap_or(Thresholds::new(500, 1_000)),
            reopen_rate: config.reopen_rate.unwrap_or(Thresholds::new(300, 500)),
            near_miss_margin: config
                .near_miss_margin
                .unwrap_or(Percent::from_basis_points(1_000)),
            near_misses: config.near_misses.unwrap_or(Thresholds::new(1_000, 2_000)),
            pause_before_breach: config
                .pause_before_breach
                .unwrap_or(BusinessDuration::Open(3_600)),
            late_raise: config
                .late_raise
                .unwrap_or(Percent::from_basis_points(5_000)),
            late_priority_changes: config
                .late_priority_changes
                .unwrap_or(Thresholds::new(100, 300)),
            late_pauses: config.late_pauses.unwrap_or(Thresholds::new(100, 300)),
            completeness: config.completeness.unwrap_or(Thresholds::new(9_800, 9_000)),
            security_compliance: config
                .security_compliance
                .unwrap_or(Thresholds::new(10_000, 9_500)),
            csat: config.csat.unwrap_or(Thresholds::new(8_500, 7_500)),
            min_survey_answers: config.min_survey_answers.unwrap_or(30),
            min_tickets: config.min_tickets.unwrap_or(10),
            action_lead_time: config
                .action_lead_time
                .unwrap_or(BusinessDuration::Open(30 * 86_400)),
            compare: config.compare,
            security: config.security.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ServiceNow's documented default priority lookup (Impact × Urgency), written out.
    #[test]
    fn servicenow_matrix_matches_documented_table() {
        let documented = [
            ("1-1", "P1"),
            ("1-2", "P2"),
            ("1-3", "P3"),
            ("2-1", "P2"),
            ("2-2", "P3"),
            ("2-3", "P4"),
            ("3-1", "P3"),
            ("3-2", "P4"),
            ("3-3", "P5"),
        ];
        let matrix = servicenow_matrix();
        assert_eq!(matrix.len(), documented.len());
        for (cell, priority) in documented {
            assert_eq!(matrix[cell], priority, "{cell}");
        }
    }
}
