//! The command line: one module per subcommand, each with an `Args` struct and a `run`.

pub mod build;
pub mod check;
pub mod init;
pub mod serve;
pub mod survey;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Audit a help desk's SLAs from its exports and render a static audit site.
#[derive(Debug, Parser)]
#[command(name = "slaudit", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read a project and write its audit site.
    Build(build::Args),
    /// Read every input of a project and list every problem, without writing a site.
    Check(check::Args),
    /// Write a starter project for an export.
    Init(init::Args),
    /// Work with satisfaction surveys: sign survey links.
    Survey(survey::Args),
    /// Run the survey intake server.
    Serve(serve::Args),
}

/// Runs one subcommand and returns the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Build(args) => build::run(args),
        Command::Check(args) => check::run(args),
        Command::Init(args) => init::run(args),
        Command::Survey(args) => survey::run(args),
        Command::Serve(args) => serve::run(args),
    }
}
