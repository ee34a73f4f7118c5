//! Governance register.
