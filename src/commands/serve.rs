//! `slaudit serve`: the survey intake server.

use std::io::Write;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use anyhow::Context;

use crate::survey::handlers::App;
use crate::survey::settings::load_keys;
use crate::survey::store::{read_answers, repair_torn_tail, AnswerLog};
use crate::survey::{project, server, Settings};

/// Serve the survey form and save answers to the project's survey file.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The project folder holding slaudit.toml.
    #[arg(default_value = ".")]
    pub project: PathBuf,
    /// The address and port to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: String,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (config, directory) = project::load_directory(&args.project)?;
    let settings = Settings::from_config(&config, &args.project)?;
    let keys = load_keys(&config, &args.project, |name| std::env::var(name).ok())?;

    let file = settings.file.clone();
    if let Some(torn) = repair_torn_tail(&file)? {
        eprintln!(
            "slaudit: {}: removed a partial last record of {} bytes left by an interrupted write; the bytes are kept in {}",
            file.display(),
            torn.dropped_bytes,
            torn.copy.display()
        );
    }
    let existing = read_answers(&file)?;
    for rejected in &existing.rejected {
        eprintln!(
            "slaudit: warning: {}:{}: record skipped: {} (`{}`)",
            file.display(),
            rejected.line,
            rejected.reason,
            rejected.value
        );
    }
    let log = AnswerLog::start(&file)?;

    let listener = TcpListener::bind(&args.bind)
        .with_context(|| format!("failed to listen on {}", args.bind))?;
    let address = listener.local_addr()?;
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        // A second signal while stopping exits at once.
        signal_hook::flag::register_conditional_shutdown(signal, 1, stop.clone())
            .context("failed to install a signal handler")?;
        signal_hook::flag::register(signal, stop.clone())
            .context("failed to install a signal handler")?;
    }

    eprintln!(
        "slaudit: serving surveys for {} tickets with {} signing key{}; {} answers so far in {}",
        directory.len(),
        keys.len(),
        if keys.len() == 1 { "" } else { "s" },
        existing.answers.len(),
        file.display()
    );
    let app = Arc::new(App::new(
        directory,
        keys,
        settings,
        Box::new(log),
        &existing.answers,
    ));
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "listening on http://{address}")?;
    stdout.flush()?;
    drop(stdout);

    let result = server::run(app.clone(), listener, stop);
    // The last reference closes the answer log, which waits for its final fsync.
    drop(app);
    result?;
    eprintln!(
        "slaudit: stopped; every acknowledged answer is in {}",
        file.display()
    );
    Ok(ExitCode::SUCCESS)
}
