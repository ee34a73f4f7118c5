//! The audit review: checks grouped into control areas, each area's decision and owner, the
//! actions failing checks call for, and what changed since the previous period.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::checks::{self, Area, AreaTables, Check, Facts, Measure};
use super::decision::{worst, Decision, Direction};
use crate::config::{BusinessDuration, Period, ReviewSettings, Thresholds};
use crate::register::{ActionStatus, ControlArea, Register};
use crate::time::{format_duration, DAY};

/// Everything the area pages, the actions and the summary show.
#[derive(Debug, Serialize)]
pub struct Audit {
    pub areas: Vec<AreaReport>,
    pub actions: Vec<ActionItem>,
    /// The period the "previous" values come from, when there is one.
    pub previous_period: Option<String>,
    /// The reason there is no comparison, when there is none.
    pub no_comparison: Option<String>,
    /// Checks whose decision differs from the previous period's.
    pub moved: Vec<Moved>,
    pub tables: AreaTables,
    pub settings: ReviewSettings,
    #[serde(skip)]
    pub checks: Vec<Check>,
}

/// One control area with its decision.
#[derive(Debug, Serialize)]
pub struct AreaReport {
    pub area: Area,
    pub slug: &'static str,
    pub title: &'static str,
    pub decision: Decision,
    pub decision_label: &'static str,
    pub previous_decision: Option<Decision>,
    pub owner: Option<String>,
    pub team: Option<String>,
    /// The check that decided the area, shown as its headline on the summary.
    pub headline: Option<CheckRow>,
    pub checks: Vec<CheckRow>,
    /// A sentence shown when the area has nothing to decide yet.
    pub note: Option<String>,
}

/// A check as the pages show it, with the previous period beside it.
#[derive(Debug, Clone, Serialize)]
pub struct CheckRow {
    pub id: String,
    pub title: String,
    pub value: String,
    pub detail: String,
    pub decision: Decision,
    pub decision_label: &'static str,
    pub thresholds: Option<String>,
    pub evidence_count: usize,
    /// Tickets that count against the check.
    pub failing: u64,
    pub previous_value: Option<String>,
    pub previous_decision: Option<&'static str>,
    pub change: Option<String>,
    /// The action that answers this check, by id, when it failed.
    pub action: Option<String>,
}

/// A check whose decision moved between periods.
#[derive(Debug, Clone, Serialize)]
pub struct Moved {
    pub id: String,
    pub area: &'static str,
    pub title: String,
    pub from: &'static str,
    pub to: &'static str,
    /// `better`, `worse`, `now decided` or `no longer decided`.
    pub direction: &'static str,
}

/// What a failing check calls for: a register action that answers it, or a proposal.
#[derive(Debug, Clone, Serialize)]
pub struct ActionItem {
    pub id: String,
    /// Tickets that count against the check, to put the largest problems first.
    pub failing: u64,
    pub check: String,
    pub area: &'static str,
    pub area_slug: &'static str,
    pub decision: Decision,
    pub decision_label: &'static str,
    pub what: String,
    pub owner: Option<String>,
    pub due: Option<String>,
    /// `proposed`, or the register action's status.
    pub status: String,
    /// The register action's id when one answers the finding.
    pub register_action: Option<String>,
}

/// Describes thresholds in words for the pages.
fn thresholds_text(thresholds: Thresholds, direction: Direction) -> String {
    let sign = match direction {
        Direction::HigherIsBetter => "≥",
        Direction::LowerIsBetter => "≤",
    };
    format!(
        "acceptable {sign} {}, needs tuning {sign} {}",
        thresholds.acceptable, thresholds.needs_tuning
    )
}

/// Returns the due date of a proposed action: the lead time after the as-of date, where `bd`
/// counts weekdays (Monday to Friday) because an action belongs to no SLA calendar.
fn action_due(as_of: chrono::NaiveDate, lead_time: BusinessDuration) -> Option<chrono::NaiveDate> {
    match lead_time {
        BusinessDuration::Open(seconds) => {
            as_of.checked_add_days(chrono::Days::new(seconds.div_euclid(DAY).max(0) as u64))
        }
        BusinessDuration::BusinessDays(days) => {
            let mut date = as_of;
            let mut left = days;
            while left > 0 {
                date = date.succ_opt()?;
                if chrono::Datelike::weekday(&date).num_days_from_monday() < 5 {
                    left -= 1;
                }
            }
            Some(date)
        }
    }
}

/// The change from the previous value, in percentage points, time or tickets, written as
/// words (`up 5.0 pts`) so that a spreadsheet reads it as the text it is.
fn change(current: Measure, previous: Measure) -> Option<String> {
    let signed = |value: i64, text: String| {
        if value > 0 {
            format!("up {text}")
        } else if value < 0 {
            format!("down {text}")
        } else {
            "no change".to_string()
        }
    };
    match (current, previous) {
        (Measure::Share { .. }, Measure::Share { .. }) => {
            let (now, before) = (current.basis_points()?, previous.basis_points()?);
            let tenths = (now / 10) - (before / 10);
            Some(signed(
                tenths,
                format!("{}.{} pts", tenths.abs() / 10, tenths.abs() % 10),
            ))
        }
        (Measure::Duration { seconds: now }, Measure::Duration { seconds: before }) => {
            Some(signed(now - before, format_duration((now - before).abs())))
        }
        (Measure::Count { count: now }, Measure::Count { count: before }) => {
            let difference = now as i64 - before as i64;
            Some(signed(
                difference,
                crate::review::format_count(difference.unsigned_abs()),
            ))
        }
        _ => None,
    }
}

fn register_area(area: Area) -> ControlArea {
    match area {
        Area::TicketPriority => ControlArea::TicketPriority,
        Area::Escalation => ControlArea::Escalation,
        Area::Metrics => ControlArea::Metrics,
        Area::SecurityVerification => ControlArea::SecurityVerification,
        Area::Satisfaction => ControlArea::Satisfaction,
    }
}

/// The period of equal length just before `period`.
///
/// A period of whole calendar months (a month, a quarter, a year) is compared with the same
/// number of months before it, so that Q3 is compared with Q2 rather than with the 92 days
/// before 1 July.
pub fn previous_period(period: &Period) -> Option<Period> {
    use chrono::Datelike;
    let whole_months =
        period.from.day() == 1 && period.to.succ_opt().is_some_and(|next| next.day() == 1);
    if whole_months {
        let months = (period.to.year() - period.from.year()) * 12 + period.to.month() as i32
            - period.from.month() as i32
            + 1;
        let from = period
            .from
            .checked_sub_months(chrono::Months::new(months as u32))?;
        return Some(Period {
            from,
            to: period.from.pred_opt()?,
        });
    }
    let days = (period.to - period.from).num_days() + 1;
    let to = period.from.pred_opt()?;
    let from = to.checked_sub_days(chrono::Days::new(days as u64 - 1))?;
    Some(Period { from, to })
}

/// Builds the audit from the current period's facts and, when there is one, the previous
/// period's.
pub fn audit(
    current: &Facts<'_>,
    previous: Option<(&Facts<'_>, Period)>,
    no_comparison: Option<String>,
    register: Option<&Register>,
    as_of_date: NaiveDate,
) -> Audit {
    let settings = current.settings.clone();
    let (checks, tables) = checks::run(current);
    let previous_checks: BTreeMap<String, Check> = previous
        .map(|(facts, _)| {
            checks::run(facts)
                .0
                .into_iter()
                .map(|check| (check.id.clone(), check))
                .collect()
        })
        .unwrap_or_default();

    let owner_of = |area: Area| {
        register.and_then(|register| {
            register
                .owners
                .iter()
                .find(|row| row.area == register_area(area))
                .map(|row| (row.owner.clone(), row.team.clone()))
        })
    };
    let due = action_due(as_of_date, settings.action_lead_time)
        .map(|date| date.format("%Y-%m-%d").to_string());

    let mut actions = Vec::new();
    let mut rows_by_area: BTreeMap<Area, Vec<CheckRow>> = BTreeMap::new();
    let mut moved = Vec::new();
    for check in &checks {
        let before = previous_checks.get(&check.id);
        let (owner, _) = owner_of(check.area).unwrap_or((None, None));
        let mut row = CheckRow {
            id: check.id.clone(),
            title: check.title.clone(),
            value: check.value.clone(),
            detail: check.detail.clone(),
            decision: check.decision,
            decision_label: check.decision.label(),
            thresholds: check
                .thresholds
                .zip(check.direction)
                .map(|(t, d)| thresholds_text(t, d)),
            evidence_count: check.evidence_count,
            failing: check.failing,
            previous_value: before.map(|b| b.value.clone()),
            previous_decision: before.map(|b| b.decision.label()),
            change: before.and_then(|b| change(check.measure, b.measure)),
            action: None,
        };
        if let Some(before) = before.filter(|before| before.decision != check.decision) {
            {
                moved.push(Moved {
                    id: check.id.clone(),
                    area: check.area.title(),
                    title: check.title.clone(),
                    from: before.decision.label(),
                    to: check.decision.label(),
                    direction: direction(before.decision, check.decision),
                });
            }
        }
        if check.decision.is_failing() {
            let answering = register.and_then(|register| {
                register.actions.iter().find(|action| {
                    action
                        .finding
                        .as_deref()
                        .is_some_and(|f| f.eq_ignore_ascii_case(&check.id))
                })
            });
            let item = match answering {
                Some(action) => ActionItem {
                    failing: check.failing,
                    id: format!("action-{}", check.id),
                    check: check.id.clone(),
                    area: check.area.title(),
                    area_slug: check.area.slug(),
                    decision: check.decision,
                    decision_label: check.decision.label(),
                    what: format!("{} — {}", action.id, action.title),
                    owner: action.owner.clone(),
                    due: action.due.map(|d| d.format("%Y-%m-%d").to_string()),
                    status: match action.status {
                        // An action marked done while its finding still fails did not work.
                        Some(status @ (ActionStatus::Done | ActionStatus::Verified)) => format!(
                            "{}, but the check still {}",
                            status.name(),
                            match check.decision {
                                Decision::RequiresRemediation => "requires remediation",
                                _ => "needs tuning",
                            }
                        ),
                        Some(status) => status.name().to_string(),
                        None => "no status".to_string(),
                    },
                    register_action: Some(action.id.clone()),
                },
                None => ActionItem {
                    failing: check.failing,
                    id: format!("action-{}", check.id),
                    check: check.id.clone(),
                    area: check.area.title(),
                    area_slug: check.area.slug(),
                    decision: check.decision,
                    decision_label: check.decision.label(),
                    what: proposal(check),
                    owner: owner.clone(),
                    due: due.clone(),
                    status: "proposed".to_string(),
                    register_action: None,
                },
            };
            row.action = Some(item.id.clone());
            actions.push(item);
        }
        rows_by_area.entry(check.area).or_default().push(row);
    }
    // Remediation before tuning, then the most tickets first, then in check order.
    actions.sort_by_key(|action| {
        (
            std::cmp::Reverse(rank(action.decision)),
            std::cmp::Reverse(action.failing),
        )
    });

    let areas = Area::ALL
        .iter()
        .map(|&area| {
            let rows = rows_by_area.remove(&area).unwrap_or_default();
            let decision = worst(rows.iter().map(|r| r.decision));
            let previous_decision = (!previous_checks.is_empty()).then(|| {
                worst(previous_checks.values().filter(|c| c.area == area).map(|c| c.decision))
            });
            let headline = rows
                .iter()
                .filter(|r| r.decision == decision && r.decision != Decision::Informational)
                .max_by_key(|r| r.failing)
                .or_else(|| rows.first())
                .cloned();
            let (owner, team) = owner_of(area).unwrap_or((None, None));
            let note = rows.iter().any(|r| r.id == super::checks::NO_SURVEYS).then(|| {
                "The project reads no survey answers ([surveys] in slaudit.toml), so there is no evidence that satisfaction is measured: the area requires remediation until answers are collected or imported.".to_string()
            });
            AreaReport {
                area,
                slug: area.slug(),
                title: area.title(),
                decision,
                decision_label: decision.label(),
                previous_decision,
                owner,
                team,
                headline,
                checks: rows,
                note,
            }
        })
        .collect();

    Audit {
        areas,
        actions,
        previous_period: previous.map(|(_, period)| period.to_string()),
        no_comparison,
        moved,
        tables,
        settings,
        checks,
    }
}

/// Says which way a decision moved; a move to or from "not enough data" is neither better nor
/// worse.
fn direction(before: Decision, now: Decision) -> &'static str {
    let decided =
        |decision: Decision| !matches!(decision, Decision::NotEnoughData | Decision::Informational);
    match (decided(before), decided(now)) {
        (true, false) => "no longer decided",
        (false, true) => "now decided",
        _ if rank(now) < rank(before) => "better",
        _ => "worse",
    }
}

/// Orders decisions from best to worst for sorting actions and telling improvements.
fn rank(decision: Decision) -> u8 {
    match decision {
        Decision::Acceptable => 0,
        Decision::Informational | Decision::NotEnoughData => 1,
        Decision::NeedsTuning => 2,
        Decision::RequiresRemediation => 3,
    }
}

/// The action a failing check proposes, in a manager's words.
fn proposal(check: &Check) -> String {
    if let Some(remedy) = &check.remedy {
        return remedy.clone();
    }
    let target = check
        .thresholds
        .map(|t| t.acceptable.to_string())
        .unwrap_or_default();
    let tickets = super::figures::format_count(check.failing);
    match check.direction {
        Some(Direction::HigherIsBetter) => format!(
            "Raise “{}” from {} to at least {target}: review the {tickets} tickets that count against it and remove their common causes.",
            check.title, check.value
        ),
        Some(Direction::LowerIsBetter) => format!(
            "Bring “{}” down from {} to at most {target}: review the {tickets} tickets that count against it and remove their common causes.",
            check.title, check.value
        ),
        None => format!("Review “{}”.", check.title),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previous_period_of_months_and_days() {
        let previous = |text: &str| previous_period(&text.parse().unwrap()).unwrap().to_string();
        assert_eq!(previous("2026-07-01..2026-09-30"), "2026-04-01..2026-06-30");
        assert_eq!(previous("2026-03-01..2026-03-31"), "2026-02-01..2026-02-28");
        assert_eq!(previous("2025-01-01..2025-12-31"), "2024-01-01..2024-12-31");
        // Not whole months: the same number of days just before.
        assert_eq!(previous("2026-07-06..2026-07-19"), "2026-06-22..2026-07-05");
    }

    #[test]
    fn action_due_counts_weekdays_for_bd() {
        let date = |text: &str| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
        // Friday 2 October 2026: 30 days later is 1 November; 5 weekdays later is Friday 9.
        let friday = date("2026-10-02");
        assert_eq!(
            action_due(friday, BusinessDuration::Open(30 * DAY)),
            Some(date("2026-11-01"))
        );
        assert_eq!(
            action_due(friday, BusinessDuration::BusinessDays(5)),
            Some(date("2026-10-09"))
        );
        assert_eq!(
            action_due(friday, BusinessDuration::BusinessDays(1)),
            Some(date("2026-10-05"))
        );
    }

    #[test]
    fn change_in_points_time_and_count() {
        let share = |part, whole| Measure::Share { part, whole };
        assert_eq!(
            change(share(95, 100), share(90, 100)).unwrap(),
            "up 5.0 pts"
        );
        assert_eq!(change(share(1, 3), share(1, 2)).unwrap(), "down 16.7 pts");
        assert_eq!(change(share(1, 2), share(1, 2)).unwrap(), "no change");
        assert_eq!(
            change(
                Measure::Duration { seconds: 3_600 },
                Measure::Duration { seconds: 5_400 }
            )
            .unwrap(),
            "down 30m"
        );
        assert_eq!(
            change(Measure::Count { count: 3 }, Measure::Count { count: 1 }).unwrap(),
            "up 2"
        );
    }
}
