//! `slaudit survey links`: a CSV of signed survey links for resolved tickets.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use chrono::{DateTime, NaiveDate};

use crate::config::{AmbiguousTimes, DateOnly};
use crate::survey::settings::load_keys;
use crate::survey::store::neutralise;
use crate::survey::{project, Settings};
use crate::time::{format_utc, resolve_local, Instant};

/// Work with satisfaction surveys.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: SurveyCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum SurveyCommand {
    /// Write a CSV of ticket id, requester and signed survey link for each resolved ticket.
    Links(LinksArgs),
}

#[derive(Debug, clap::Args)]
pub struct LinksArgs {
    /// The project folder holding slaudit.toml.
    #[arg(default_value = ".")]
    pub project: PathBuf,
    /// The public address of the survey server, such as https://survey.example.com.
    #[arg(long, value_name = "URL")]
    pub base_url: String,
    /// Only tickets resolved on or after this date (YYYY-MM-DD, in the tickets' time zone).
    #[arg(long, value_name = "DATE")]
    pub since: Option<DateOnly>,
    /// The time links are signed at, so they expire one link lifetime later: YYYY-MM-DD
    /// (midnight in the tickets' time zone) or RFC 3339; default: now.
    #[arg(long, value_name = "TIME", value_parser = super::build::as_of_syntax)]
    pub as_of: Option<String>,
    /// Write the CSV to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        SurveyCommand::Links(args) => links(args),
    }
}

fn links(args: LinksArgs) -> anyhow::Result<ExitCode> {
    let base_url = check_base_url(&args.base_url)?;
    let (config, directory) = project::load_directory(&args.project)?;
    let settings = Settings::from_config(&config, &args.project)?;
    let keys = load_keys(&config, &args.project, |name| std::env::var(name).ok())?;
    let zone = config.tickets.timezone.0;
    let as_of = match &args.as_of {
        Some(text) => parse_as_of(text, zone)?,
        None => chrono::Utc::now().timestamp(),
    };
    let since = match args.since {
        Some(date) => Some(start_of_day(date.0, zone)?),
        None => None,
    };
    let expires = as_of + settings.link_lifetime;

    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    writer.write_record(["ticket_id", "requester", "link", "expires_at"])?;
    let (mut count, mut without_requester) = (0, 0);
    for (id, entry) in directory.iter() {
        let Some(resolved) = entry.resolved else {
            continue;
        };
        if since.is_some_and(|since| resolved < since) {
            continue;
        }
        let requester = entry.requester.as_deref().unwrap_or_default();
        if requester.is_empty() {
            without_requester += 1;
        }
        let link = format!("{base_url}/s/{}", keys.sign(id, expires));
        writer.write_record([
            neutralise(id),
            neutralise(requester),
            link,
            format_utc(expires),
        ])?;
        count += 1;
    }
    let bytes = writer
        .into_inner()
        .context("failed to write the links CSV")?;
    match &args.out {
        Some(path) => std::fs::write(path, &bytes)
            .with_context(|| format!("failed to write {}", path.display()))?,
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    eprintln!(
        "slaudit: signed {count} survey links, valid until {}",
        format_utc(expires)
    );
    if without_requester > 0 {
        eprintln!("slaudit: warning: {without_requester} of those tickets have no requester");
    }
    Ok(ExitCode::SUCCESS)
}

/// Checks that a base URL is an absolute http(s) address and drops a trailing slash.
fn check_base_url(text: &str) -> anyhow::Result<String> {
    let trimmed = text.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !trimmed.contains(['?', '#', ' ']) => {
            Ok(trimmed.to_string())
        }
        _ => bail!(
            "invalid --base-url `{text}`: expected an http or https address without query, such as https://survey.example.com"
        ),
    }
}

fn start_of_day(date: NaiveDate, zone: chrono_tz::Tz) -> anyhow::Result<Instant> {
    let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    // A day whose midnight falls in a DST gap starts at the first instant after the gap.
    for minutes in (0..=180).step_by(30) {
        let local = midnight + chrono::Duration::minutes(minutes);
        if let Ok(resolved) = resolve_local(zone, local, AmbiguousTimes::Earlier) {
            return Ok(resolved.instant);
        }
    }
    bail!("the date {date} has no midnight in {zone}")
}

fn parse_as_of(text: &str, zone: chrono_tz::Tz) -> anyhow::Result<Instant> {
    if let Ok(time) = DateTime::parse_from_rfc3339(text.trim()) {
        return Ok(time.timestamp());
    }
    match NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
        Ok(date) => start_of_day(date, zone),
        Err(_) => bail!(
            "invalid --as-of `{text}`: expected YYYY-MM-DD or an RFC 3339 time such as 2026-07-01T09:00:00Z"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_is_checked() {
        assert_eq!(
            check_base_url("https://survey.example.com/").unwrap(),
            "https://survey.example.com"
        );
        assert_eq!(
            check_base_url("http://127.0.0.1:8080/surveys").unwrap(),
            "http://127.0.0.1:8080/surveys"
        );
        for bad in [
            "survey.example.com",
            "https://",
            "ftp://x",
            "https://x/?a=1",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn as_of_reads_date_or_time() {
        let paris = chrono_tz::Europe::Paris;
        // Midnight in Paris in summer is 22:00 UTC the day before.
        assert_eq!(parse_as_of("2026-07-01", paris).unwrap(), 1_782_856_800);
        assert_eq!(
            parse_as_of("2026-07-01T00:00:00Z", paris).unwrap(),
            1_782_864_000
        );
        assert!(parse_as_of("July 1st", paris).is_err());
    }
}
