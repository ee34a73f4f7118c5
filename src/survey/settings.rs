//! The `[surveys]` table checked into the values the links command and the server use.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};

use super::token::SigningKeys;
use crate::config::{BusinessDuration, Config, SurveysConfig};

pub const DEFAULT_LINK_LIFETIME: i64 = 28 * 86_400;
pub const DEFAULT_EDIT_WINDOW: i64 = 7 * 86_400;
pub const DEFAULT_MAX_COMMENT_CHARS: usize = 2_000;
/// Room for a comment of 2,000 characters of 4-byte UTF-8, percent-encoded (12 bytes each).
pub const DEFAULT_MAX_BODY_BYTES: usize = 32_768;
pub const DEFAULT_RATE_PER_MINUTE: u32 = 30;
pub const DEFAULT_RATE_BURST: u32 = 10;
pub const DEFAULT_RATE_CLIENTS: usize = 10_000;
pub const DEFAULT_WORKERS: usize = 16;

/// Checked survey settings with every default applied.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The survey CSV, resolved against the project folder.
    pub file: PathBuf,
    /// Seconds a link stays valid after it is signed.
    pub link_lifetime: i64,
    /// Seconds after a ticket's first answer during which a new answer replaces it.
    pub edit_window: i64,
    pub max_comment_chars: usize,
    pub max_body_bytes: usize,
    pub rate: RateSettings,
    pub workers: usize,
    pub trusted_proxies: Vec<IpAddr>,
    /// The zone dates are shown in on the survey pages: the tickets' zone.
    pub zone: chrono_tz::Tz,
}

/// The per-client token bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateSettings {
    pub per_minute: u32,
    pub burst: u32,
    /// The maximum number of clients tracked at once. The longest idle is forgotten first.
    pub max_clients: usize,
}

impl Settings {
    /// Checks `[surveys]`; a project without that table gets every default.
    pub fn from_config(config: &Config, project_dir: &Path) -> anyhow::Result<Settings> {
        let default_table;
        let surveys = match &config.surveys {
            Some(surveys) => surveys,
            None => {
                default_table = toml::from_str::<SurveysConfig>("")
                    .context("failed to build the default [surveys] table")?;
                &default_table
            }
        };
        let seconds = |duration: Option<BusinessDuration>, default: i64| match duration {
            Some(BusinessDuration::Open(seconds)) => seconds,
            _ => default,
        };
        let settings = Settings {
            file: Config::resolve(project_dir, &surveys.file),
            link_lifetime: seconds(surveys.link_lifetime, DEFAULT_LINK_LIFETIME),
            edit_window: seconds(surveys.edit_window, DEFAULT_EDIT_WINDOW),
            max_comment_chars: surveys
                .max_comment_chars
                .unwrap_or(DEFAULT_MAX_COMMENT_CHARS),
            max_body_bytes: surveys.max_body_bytes.unwrap_or(DEFAULT_MAX_BODY_BYTES),
            rate: RateSettings {
                per_minute: surveys
                    .rate_limit_per_minute
                    .unwrap_or(DEFAULT_RATE_PER_MINUTE),
                burst: surveys.rate_limit_burst.unwrap_or(DEFAULT_RATE_BURST),
                max_clients: surveys.rate_limit_clients.unwrap_or(DEFAULT_RATE_CLIENTS),
            },
            workers: surveys.workers.unwrap_or(DEFAULT_WORKERS),
            trusted_proxies: surveys.trusted_proxies.clone(),
            zone: config.tickets.timezone.0,
        };
        settings.check()?;
        Ok(settings)
    }

    fn check(&self) -> anyhow::Result<()> {
        if self.link_lifetime <= 0 {
            bail!("invalid [surveys] link_lifetime: a link must stay valid for some time, such as \"28d\"");
        }
        if self.max_comment_chars == 0 {
            bail!("invalid [surveys] max_comment_chars = 0: expected at least 1");
        }
        if self.max_body_bytes < 256 {
            bail!(
                "invalid [surveys] max_body_bytes = {}: expected at least 256 so that a rating fits",
                self.max_body_bytes
            );
        }
        if self.rate.per_minute == 0 || self.rate.burst == 0 || self.rate.max_clients == 0 {
            bail!("invalid [surveys] rate limit: rate_limit_per_minute, rate_limit_burst and rate_limit_clients must each be at least 1");
        }
        if !(1..=1_024).contains(&self.workers) {
            bail!(
                "invalid [surveys] workers = {}: expected 1 to 1024",
                self.workers
            );
        }
        Ok(())
    }
}

/// Reads the signing keys named by `[surveys]`: from `secret_env` or `secret_file`.
///
/// `lookup` reads an environment variable; it is a parameter so tests need not touch the
/// process environment.
pub fn load_keys(
    config: &Config,
    project_dir: &Path,
    lookup: impl Fn(&str) -> Option<String>,
) -> anyhow::Result<SigningKeys> {
    let no_secret = "[surveys] names no signing secret: set secret_env = \"SLAUDIT_SURVEY_SECRET\" (an environment variable) or secret_file = \"survey-secret.txt\" (a file, one key per line) in slaudit.toml";
    let Some(surveys) = &config.surveys else {
        bail!(no_secret);
    };
    match (&surveys.secret_env, &surveys.secret_file) {
        (Some(_), Some(_)) => bail!(
            "[surveys] sets both secret_env and secret_file; keep one so that it is clear which keys sign"
        ),
        (None, None) => bail!(no_secret),
        (Some(variable), None) => {
            check_variable_name(variable)?;
            let value = lookup(variable).with_context(|| {
                format!("environment variable {variable} (named by [surveys] secret_env) is not set; set it to a key such as the output of `openssl rand -hex 32`")
            })?;
            Ok(SigningKeys::from_env_value(&value, variable)?)
        }
        (None, Some(file)) => {
            let path = Config::resolve(project_dir, file);
            let text = std::fs::read_to_string(&path).with_context(|| {
                format!(
                    "failed to read the survey secret file {} (named by [surveys] secret_file)",
                    path.display()
                )
            })?;
            warn_if_readable_by_others(&path);
            Ok(SigningKeys::from_file_text(&text, &path)?)
        }
    }
}

/// Rejects a `secret_env` value that is not a variable name, which is most likely a secret
/// pasted into the config.
fn check_variable_name(name: &str) -> anyhow::Result<()> {
    let valid = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let looks_like_key = name.len() >= 24 && !name.contains('_');
    if !valid || looks_like_key {
        bail!("invalid [surveys] secret_env: it must name an environment variable such as \"SLAUDIT_SURVEY_SECRET\", not hold the secret itself");
    }
    Ok(())
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(metadata) = std::fs::metadata(path) {
        if metadata.permissions().mode() & 0o077 != 0 {
            eprintln!(
                "slaudit: warning: the survey secret file {} can be read by other users; restrict it with `chmod 600`",
                path.display()
            );
        }
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_path: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = r#"
[project]
title = "Review"

[tickets]
file = "tickets.csv"
preset = "servicenow"
timezone = "Europe/Paris"
"#;

    const KEY: &str = "0123456789abcdef0123456789abcdef";

    fn config(surveys: &str) -> Config {
        Config::parse(&format!("{BASE}\n{surveys}"), Path::new("slaudit.toml")).unwrap()
    }

    fn parse_error(surveys: &str) -> String {
        Config::parse(&format!("{BASE}\n{surveys}"), Path::new("slaudit.toml"))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn defaults_apply_without_surveys_table() {
        let settings = Settings::from_config(&config(""), Path::new("/p")).unwrap();
        assert_eq!(settings.file, Path::new("/p/surveys.csv"));
        assert_eq!(settings.link_lifetime, 28 * 86_400);
        assert_eq!(settings.edit_window, 7 * 86_400);
        assert_eq!(settings.max_comment_chars, 2_000);
        assert_eq!(settings.zone, chrono_tz::Europe::Paris);
    }

    #[test]
    fn durations_and_limits_are_read() {
        let settings = Settings::from_config(
            &config("[surveys]\nlink_lifetime = \"14d\"\nedit_window = \"36h\"\nmax_comment_chars = 500\nrate_limit_per_minute = 6\ntrusted_proxies = [\"127.0.0.1\"]"),
            Path::new("/p"),
        )
        .unwrap();
        assert_eq!(settings.link_lifetime, 14 * 86_400);
        assert_eq!(settings.edit_window, 36 * 3_600);
        assert_eq!(settings.max_comment_chars, 500);
        assert_eq!(settings.rate.per_minute, 6);
        assert_eq!(
            settings.trusted_proxies,
            vec!["127.0.0.1".parse::<IpAddr>().unwrap()]
        );
    }

    #[test]
    fn inline_secret_is_rejected_with_position() {
        let error = parse_error(&format!("[surveys]\nsecret = \"{KEY}\""));
        assert!(
            error.starts_with(
                "slaudit.toml:11:10: a survey secret must not be written in slaudit.toml"
            ),
            "{error}"
        );
        assert!(!error.contains(KEY), "{error}");
    }

    #[test]
    fn business_days_are_rejected_for_surveys() {
        let error = parse_error("[surveys]\nedit_window = \"5bd\"");
        assert!(error.contains("business days do not apply here"), "{error}");
    }

    #[test]
    fn keys_load_from_env() {
        let config = config("[surveys]\nsecret_env = \"SURVEY_SECRET\"");
        let lookup = |name: &str| (name == "SURVEY_SECRET").then(|| format!("{KEY},{KEY}x"));
        assert_eq!(load_keys(&config, Path::new("."), lookup).unwrap().len(), 2);
        let missing = load_keys(&config, Path::new("."), |_| None).unwrap_err();
        assert!(
            missing.to_string().starts_with(
                "environment variable SURVEY_SECRET (named by [surveys] secret_env) is not set"
            ),
            "{missing}"
        );
    }

    #[test]
    fn keys_load_from_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("secret.txt"), format!("{KEY}\n")).unwrap();
        let config = config("[surveys]\nsecret_file = \"secret.txt\"");
        assert_eq!(load_keys(&config, dir.path(), |_| None).unwrap().len(), 1);
    }

    #[test]
    fn secret_pasted_into_secret_env_is_rejected() {
        let config = config(&format!("[surveys]\nsecret_env = \"{KEY}\""));
        let error = load_keys(&config, Path::new("."), |_| None)
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("invalid [surveys] secret_env"), "{error}");
        assert!(!error.contains(KEY));
    }

    #[test]
    fn secret_source_must_be_single() {
        let both = config("[surveys]\nsecret_env = \"S\"\nsecret_file = \"s.txt\"");
        assert!(load_keys(&both, Path::new("."), |_| None).is_err());
        let none = load_keys(&config("[surveys]"), Path::new("."), |_| None).unwrap_err();
        assert!(none
            .to_string()
            .starts_with("[surveys] names no signing secret"));
    }
}
