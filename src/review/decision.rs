//! Decisions: how a measured share and two thresholds become acceptable, needs tuning or
//! requires remediation, and how an area's checks add up to the area's decision.

use serde::Serialize;

use crate::config::Thresholds;

/// The outcome of a check or a control area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Acceptable,
    NeedsTuning,
    RequiresRemediation,
    /// Too few tickets behind the check to decide.
    NotEnoughData,
    /// A figure reported for context, with no threshold.
    Informational,
}

impl Decision {
    pub fn label(self) -> &'static str {
        match self {
            Decision::Acceptable => "acceptable",
            Decision::NeedsTuning => "needs tuning",
            Decision::RequiresRemediation => "requires remediation",
            Decision::NotEnoughData => "not enough data",
            Decision::Informational => "for information",
        }
    }

    /// Ranks decisions from best to worst; context-only outcomes rank lowest so that they
    /// never decide an area.
    fn severity(self) -> u8 {
        match self {
            Decision::Informational | Decision::NotEnoughData => 0,
            Decision::Acceptable => 1,
            Decision::NeedsTuning => 2,
            Decision::RequiresRemediation => 3,
        }
    }

    /// Whether the check failed and calls for an action.
    pub fn is_failing(self) -> bool {
        matches!(self, Decision::NeedsTuning | Decision::RequiresRemediation)
    }
}

/// Which way a share is good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Attainment, compliance: a larger share is better.
    HigherIsBetter,
    /// Reopens, weak handoffs: a smaller share is better.
    LowerIsBetter,
}

/// Decides a share `part / whole`, computed exactly in integers. A value exactly at a
/// threshold takes the better decision. Fewer than `min_whole` tickets give "not enough data".
pub fn decide(
    part: u64,
    whole: u64,
    thresholds: Thresholds,
    direction: Direction,
    min_whole: u64,
) -> Decision {
    if whole == 0 || whole < min_whole {
        return Decision::NotEnoughData;
    }
    let share = u128::from(part) * 10_000;
    let limit = |threshold: crate::config::Percent| {
        u128::from(threshold.basis_points()) * u128::from(whole)
    };
    let (acceptable, tuning) = match direction {
        Direction::HigherIsBetter => (
            share >= limit(thresholds.acceptable),
            share >= limit(thresholds.needs_tuning),
        ),
        Direction::LowerIsBetter => (
            share <= limit(thresholds.acceptable),
            share <= limit(thresholds.needs_tuning),
        ),
    };
    if acceptable {
        Decision::Acceptable
    } else if tuning {
        Decision::NeedsTuning
    } else {
        Decision::RequiresRemediation
    }
}

/// The worst decision among checks; "not enough data" when none of them decided anything.
pub fn worst(decisions: impl IntoIterator<Item = Decision>) -> Decision {
    decisions
        .into_iter()
        .filter(|decision| decision.severity() > 0)
        .max_by_key(|decision| decision.severity())
        .unwrap_or(Decision::NotEnoughData)
}

#[cfg(test)]
mod tests {
    use super::*;

    const THRESHOLDS: Thresholds = Thresholds::new(9_500, 9_000);

    #[test]
    fn higher_is_better_boundaries() {
        let decide = |part| decide(part, 200, THRESHOLDS, Direction::HigherIsBetter, 10);
        assert_eq!(decide(190), Decision::Acceptable, "exactly 95%");
        assert_eq!(decide(189), Decision::NeedsTuning, "94.5%");
        assert_eq!(decide(180), Decision::NeedsTuning, "exactly 90%");
        assert_eq!(decide(179), Decision::RequiresRemediation, "89.5%");
    }

    #[test]
    fn lower_is_better_boundaries() {
        let thresholds = Thresholds::new(300, 500);
        let decide = |part| decide(part, 200, thresholds, Direction::LowerIsBetter, 10);
        assert_eq!(decide(6), Decision::Acceptable, "exactly 3%");
        assert_eq!(decide(7), Decision::NeedsTuning, "3.5%");
        assert_eq!(decide(10), Decision::NeedsTuning, "exactly 5%");
        assert_eq!(decide(11), Decision::RequiresRemediation, "5.5%");
    }

    #[test]
    fn too_few_tickets_are_not_decided() {
        assert_eq!(
            decide(9, 9, THRESHOLDS, Direction::HigherIsBetter, 10),
            Decision::NotEnoughData
        );
        assert_eq!(
            decide(10, 10, THRESHOLDS, Direction::HigherIsBetter, 10),
            Decision::Acceptable
        );
        assert_eq!(
            decide(0, 0, THRESHOLDS, Direction::LowerIsBetter, 0),
            Decision::NotEnoughData
        );
    }

    #[test]
    fn area_takes_worst_decided_check() {
        use Decision::*;
        assert_eq!(worst([Acceptable, NeedsTuning, Informational]), NeedsTuning);
        assert_eq!(worst([NotEnoughData, Acceptable]), Acceptable);
        assert_eq!(
            worst([RequiresRemediation, NeedsTuning]),
            RequiresRemediation
        );
        assert_eq!(worst([Informational, NotEnoughData]), NotEnoughData);
        assert_eq!(worst([]), NotEnoughData);
    }
}
