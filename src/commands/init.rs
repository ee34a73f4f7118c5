//! `slaudit init`: write a starter project.

use std::path::PathBuf;
use std::process::ExitCode;

/// Write a starter project.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The project folder holding slaudit.toml.
    #[arg(default_value = ".")]
    pub project: PathBuf,
}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("init is not implemented yet")
}
