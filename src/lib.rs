//! slaudit turns help desk exports into a static SLA audit site.
//!
//! # Architecture
//!
//! A build is a pipeline of named phases, each a module with one job:
//!
//! 1. [`load`] reads and decodes input files: encodings, delimiters, CSV records with their
//!    line numbers, and the SHA-256 of every input for the manifest.
//! 2. [`normalize`] maps an export onto the canonical model through a preset (`servicenow`,
//!    …) and the project's column and value mappings. Rows it cannot use are rejected with
//!    their reason; values it repairs are recorded. Both reach the data-quality page.
//! 3. [`clock`] builds the calendars and runs each ticket's response and resolution clocks
//!    against its SLA target, giving elapsed times and verdicts at the as-of instant.
//! 4. [`review`] turns clocks into figures: attainment per priority and team, breaches,
//!    backlog, reconciliation against the source system's own verdicts, and satisfaction
//!    from the survey answers that [`survey::sources`] reads.
//! 5. [`render`] fills the embedded templates (tera) and writes CSV downloads.
//! 6. [`write`] puts the rendered site in place atomically: everything is written to a
//!    temporary folder beside the target, which is then renamed over it.
//!
//! [`config`] reads `slaudit.toml`, [`time`] owns instants and time zones, and [`register`]
//! reads the markdown governance register. Each subcommand lives in [`commands`] with the
//! same shape: an `Args` struct, then `run`. The survey intake server in [`survey`] shares
//! only the survey answer type and its store with the rest.
//!
//! Output is deterministic: maps are ordered, every sort ends with the ticket id, and the
//! clock is read once, at the edge, as the as-of instant.

pub mod clock;
pub mod commands;
pub mod config;
pub mod html;
pub mod load;
pub mod normalize;
pub mod register;
pub mod render;
pub mod review;
pub mod survey;
pub mod time;
pub mod write;
