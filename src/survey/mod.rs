//! Survey intake.
