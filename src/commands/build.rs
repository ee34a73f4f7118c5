//! `slaudit build`: read a project and write its audit site.

use std::path::PathBuf;
use std::process::ExitCode;

/// Read a project and write its audit site.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The project folder holding slaudit.toml.
    #[arg(default_value = ".")]
    pub project: PathBuf,
}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("build is not implemented yet")
}
