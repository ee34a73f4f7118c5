//! The project file, `slaudit.toml`: its schema, its defaults and how it is read.
//!
//! Every table denies unknown keys, so a typo is an error with its line and column instead
//! of a setting that silently does nothing. Values that have a syntax of their own
//! (durations, percentages, time zones, dates) are parsed while the file is deserialized, so
//! their errors carry the position of the offending value too.

mod duration;
mod review;
mod surveys;
mod values;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use duration::{BusinessDuration, DurationError};
pub use review::{
    servicenow_matrix, MatrixConfig, Requirement, ReviewConfig, ReviewSettings, SecurityRule,
    Thresholds,
};
pub use surveys::{SurveyPreset, SurveyScale, SURVEY_FIELDS};
pub use values::{DateOnly, Percent, Period, RejectLimit, TimeZone};

/// The name of the project file inside a project folder.
pub const CONFIG_FILE: &str = "slaudit.toml";

/// A parsed `slaudit.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub project: ProjectConfig,
    pub tickets: TicketsConfig,
    #[serde(default)]
    pub events: Option<EventsConfig>,
    #[serde(default)]
    pub surveys: Option<SurveysConfig>,
    #[serde(default)]
    pub register: Option<RegisterConfig>,
    #[serde(default)]
    pub calendars: BTreeMap<String, CalendarConfig>,
    #[serde(default)]
    pub sla: Vec<SlaConfig>,
    #[serde(default)]
    pub review: ReviewConfig,
    #[serde(default)]
    pub site: SiteConfig,
}

/// `[site]`: how the site's files are written.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// Whether CSV downloads start with a UTF-8 byte-order mark, which Excel needs to read
    /// accented text; default true.
    #[serde(default = "default_true")]
    pub csv_bom: bool,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig { csv_bom: true }
    }
}

fn default_true() -> bool {
    true
}

/// `[project]`: what the audit is about.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectConfig {
    pub title: String,
    #[serde(default)]
    pub client: String,
    /// Tickets opened inside this period are audited; default: every ticket.
    #[serde(default)]
    pub period: Option<Period>,
    /// The audit's "now" when `--as-of` is not given.
    #[serde(default)]
    pub as_of: Option<String>,
}

/// Whether a tickets file has one row per ticket or one row per update.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    PerTicket,
    EventLog,
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Layout::PerTicket => "per-ticket",
            Layout::EventLog => "event-log",
        })
    }
}

/// How a local time that occurs twice (a DST overlap) is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AmbiguousTimes {
    #[default]
    Earlier,
    Later,
    Reject,
}

/// Which priority's target a ticket is measured against when its priority changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TargetPriority {
    /// The priority in force when the clock stops.
    #[default]
    Final,
    /// The priority the ticket was opened with.
    Initial,
}

/// The character encoding of an input file, named in any case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(try_from = "String")]
pub enum Encoding {
    /// UTF-8, or UTF-16 when the file starts with a UTF-16 byte-order mark.
    #[default]
    #[serde(rename = "utf-8")]
    Utf8,
    /// Windows-1252; ISO-8859-1 (Latin-1) is read as it, as browsers do.
    #[serde(rename = "windows-1252")]
    Windows1252,
}

impl TryFrom<String> for Encoding {
    type Error = String;

    fn try_from(name: String) -> Result<Encoding, String> {
        match name.trim().to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "windows-1252" | "windows1252" | "cp1252" | "iso-8859-1" | "latin-1" | "latin1" => {
                Ok(Encoding::Windows1252)
            }
            _ => Err(format!(
                "unknown encoding `{name}`: expected `utf-8` or `windows-1252`"
            )),
        }
    }
}

/// `[tickets]`: the ticket export and how to read it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TicketsConfig {
    pub file: PathBuf,
    pub preset: String,
    /// Default: detected from the file's columns.
    #[serde(default)]
    pub layout: Option<Layout>,
    /// The zone of timestamps that carry no offset.
    pub timezone: TimeZone,
    /// A chrono format such as `%d/%m/%Y %H:%M`; default: detected per column.
    #[serde(default)]
    pub date_format: Option<String>,
    /// Formats for single columns, overriding `date_format`.
    #[serde(default)]
    pub date_formats: BTreeMap<String, String>,
    #[serde(default)]
    pub encoding: Encoding,
    /// Default: detected among `,`, `;`, tab and `|`.
    #[serde(default)]
    pub delimiter: Option<char>,
    /// Cell values read as missing; default: the preset's.
    #[serde(default)]
    pub null: Option<Vec<String>>,
    #[serde(default)]
    pub max_rejected: RejectLimit,
    #[serde(default)]
    pub ambiguous_times: AmbiguousTimes,
    #[serde(default)]
    pub target_priority: TargetPriority,
    /// Canonical field → column name, overriding the preset.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Canonical field → (export value → canonical value), overriding the preset.
    #[serde(default)]
    pub values: BTreeMap<String, BTreeMap<String, String>>,
}

/// `[events]`: a separate status-history file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EventsConfig {
    pub file: PathBuf,
    /// Default: the tickets file's zone.
    #[serde(default)]
    pub timezone: Option<TimeZone>,
    #[serde(default)]
    pub date_format: Option<String>,
    #[serde(default)]
    pub encoding: Encoding,
    #[serde(default)]
    pub delimiter: Option<char>,
    #[serde(default)]
    pub null: Option<Vec<String>>,
    /// Canonical field (`ticket`, `at`, `kind`, `value`) → column name.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Canonical field → (file value → canonical value); `kind` maps to event kinds.
    #[serde(default)]
    pub values: BTreeMap<String, BTreeMap<String, String>>,
}

/// `[surveys]`: satisfaction answers, the survey links and the intake server.
///
/// The signing secret is never part of this file: `secret_env` names an environment variable
/// and `secret_file` a file that hold it, and a `secret` key is rejected.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SurveysConfig {
    /// Where the intake server appends answers, and the first file `build` reads.
    #[serde(default = "default_survey_file")]
    pub file: PathBuf,
    /// Survey exports from a help desk, read in addition to `file`.
    #[serde(default)]
    pub imports: Vec<SurveyImport>,
    /// The name of the environment variable holding the signing keys, comma separated.
    #[serde(default)]
    pub secret_env: Option<String>,
    /// A file holding the signing keys, one per line.
    #[serde(default)]
    pub secret_file: Option<PathBuf>,
    /// Present only to reject a secret written into the config with a clear message.
    #[serde(default, deserialize_with = "reject_inline_secret", skip_serializing)]
    pub secret: Option<()>,
    /// How long a survey link stays valid after `slaudit survey links` signs it; default 28d.
    #[serde(default, deserialize_with = "elapsed_duration")]
    pub link_lifetime: Option<BusinessDuration>,
    /// How long after a ticket's first answer a new answer still replaces it; default 7d.
    #[serde(default, deserialize_with = "elapsed_duration")]
    pub edit_window: Option<BusinessDuration>,
    /// The maximum comment length, in characters; default 2000.
    #[serde(default)]
    pub max_comment_chars: Option<usize>,
    /// The maximum request body size, in bytes; default 32768.
    #[serde(default)]
    pub max_body_bytes: Option<usize>,
    /// Requests each client may make per minute once its burst is spent; default 30.
    #[serde(default)]
    pub rate_limit_per_minute: Option<u32>,
    /// Requests a client may make at once before the per-minute rate applies; default 10.
    #[serde(default)]
    pub rate_limit_burst: Option<u32>,
    /// The maximum number of clients the rate limiter tracks at once; default 10000.
    #[serde(default)]
    pub rate_limit_clients: Option<usize>,
    /// Threads that handle requests; default 16.
    #[serde(default)]
    pub workers: Option<usize>,
    /// Reverse proxies whose `X-Forwarded-For` header names the client, such as "127.0.0.1".
    #[serde(default)]
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

/// Fails on any value: a survey secret does not belong in the project file.
fn reject_inline_secret<'de, D: serde::Deserializer<'de>>(
    _deserializer: D,
) -> Result<Option<()>, D::Error> {
    Err(serde::de::Error::custom(
        "a survey secret must not be written in slaudit.toml; put it in an environment variable named by `secret_env` or a file named by `secret_file`",
    ))
}

/// Reads a duration of elapsed time such as "28d"; business days (`bd`) have no meaning here.
fn elapsed_duration<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<BusinessDuration>, D::Error> {
    let text = String::deserialize(deserializer)?;
    match BusinessDuration::parse(&text).map_err(serde::de::Error::custom)? {
        BusinessDuration::BusinessDays(_) => Err(serde::de::Error::custom(format!(
            "invalid duration `{text}`: business days do not apply here; use elapsed time such as \"7d\" or \"36h\""
        ))),
        duration => Ok(Some(duration)),
    }
}

fn default_survey_file() -> PathBuf {
    PathBuf::from("surveys.csv")
}

/// One survey export from a help desk, read in addition to the intake server's file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyImport {
    pub file: PathBuf,
    /// The system the export comes from; default `generic`.
    #[serde(default)]
    pub preset: SurveyPreset,
    /// The answers' scale; default: the preset's (`1-5` for generic, `good-bad` for zendesk).
    #[serde(default)]
    pub scale: Option<SurveyScale>,
    /// The zone of timestamps without an offset; default: the tickets' zone.
    #[serde(default)]
    pub timezone: Option<TimeZone>,
    /// A format such as `%d/%m/%Y %H:%M` for the answer time; default: detected over the column.
    #[serde(default)]
    pub date_format: Option<String>,
    /// Survey field (`ticket_id`, `submitted_at`, `rating`, `comment`) → column name,
    /// overriding the preset.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
}

impl SurveyImport {
    pub fn scale(&self) -> SurveyScale {
        self.scale.unwrap_or(self.preset.default_scale())
    }
}

/// `[register]`: the markdown governance register.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterConfig {
    pub file: PathBuf,
}

/// `[calendars.NAME]`: when the clock runs.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarConfig {
    /// Default: UTC.
    #[serde(default)]
    pub timezone: Option<TimeZone>,
    pub hours: Hours,
    #[serde(default)]
    pub holidays: Vec<DateOnly>,
    #[serde(default)]
    pub holiday_files: Vec<PathBuf>,
    /// Dates with their own open windows, such as `"2026-12-24" = "09:00-13:00"`.
    #[serde(default)]
    pub half_days: BTreeMap<DateOnly, String>,
}

/// A calendar's weekly open hours: `"24x7"`, or day specs such as `mon-fri` mapped to windows
/// such as `"08:00-12:00, 13:00-17:00"`.
#[derive(Debug, Clone, PartialEq)]
pub enum Hours {
    Always,
    Weekly(BTreeMap<String, String>),
}

impl Serialize for Hours {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Hours::Always => serializer.serialize_str("24x7"),
            Hours::Weekly(days) => days.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Hours {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Table(BTreeMap<String, String>),
        }
        match Raw::deserialize(deserializer).map_err(|_| {
            serde::de::Error::custom(
                "invalid hours: expected \"24x7\" or a table such as { mon-fri = \"09:00-17:00\" }",
            )
        })? {
            Raw::Text(text) if text.trim().eq_ignore_ascii_case("24x7") => Ok(Hours::Always),
            Raw::Text(text) => Err(serde::de::Error::custom(format!(
                "invalid hours `{text}`: expected \"24x7\" or a table such as {{ mon-fri = \"09:00-17:00\" }}"
            ))),
            Raw::Table(days) => Ok(Hours::Weekly(days)),
        }
    }
}

/// One or several priorities an SLA row applies to.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn values(&self) -> &[String] {
        match self {
            OneOrMany::One(value) => std::slice::from_ref(value),
            OneOrMany::Many(values) => values,
        }
    }
}

/// The targets `slaudit init` writes as examples: priority, response and resolution.
pub const EXAMPLE_TARGETS: [(&str, &str, &str); 5] = [
    ("P1", "15m", "4h"),
    ("P2", "30m", "8h"),
    ("P3", "4h", "3d"),
    ("P4", "8h", "5d"),
    ("P5", "1d", "10d"),
];

/// `[[sla]]`: targets for the tickets it matches.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SlaConfig {
    pub priority: OneOrMany,
    #[serde(default)]
    pub team: Option<OneOrMany>,
    #[serde(default)]
    pub category: Option<OneOrMany>,
    /// Default: a 24×7 calendar in UTC.
    #[serde(default)]
    pub calendar: Option<String>,
    #[serde(default)]
    pub response: Option<BusinessDuration>,
    #[serde(default)]
    pub resolution: Option<BusinessDuration>,
    /// Statuses that stop each metric's clock, overriding the preset's.
    #[serde(default)]
    pub pause: Option<PauseConfig>,
    /// Share of the target after which an open ticket is "at risk"; default 75%.
    #[serde(default)]
    pub warning: Option<Percent>,
}

/// Pause statuses per metric.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PauseConfig {
    #[serde(default)]
    pub response: Option<Vec<String>>,
    #[serde(default)]
    pub resolution: Option<Vec<String>>,
}

/// Advice for a project file that does not exist.
fn missing_hint(error: &std::io::Error) -> &'static str {
    if error.kind() == std::io::ErrorKind::NotFound {
        "; name a project folder that holds slaudit.toml, or create one with `slaudit init`"
    } else {
        ""
    }
}

/// A config file that could not be read or does not describe a valid project.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("failed to read {}: {error}{}", path.display(), missing_hint(error))]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{}:{line}:{column}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

impl Config {
    /// Reads and validates `slaudit.toml` from a project folder.
    pub fn load(project_dir: &Path) -> Result<Config, ConfigError> {
        let path = if project_dir == Path::new(".") {
            PathBuf::from(CONFIG_FILE)
        } else {
            project_dir.join(CONFIG_FILE)
        };
        let text = std::fs::read_to_string(&path).map_err(|error| ConfigError::Read {
            path: path.clone(),
            error,
        })?;
        Config::parse(&text, &path)
    }

    /// Parses the text of a project file; `path` is used in messages only.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|error| {
            let offset = error.span().map_or(0, |span| span.start);
            let (line, column) = line_and_column(text, offset);
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message: describe_toml_error(error.message()),
            }
        })?;
        config.validate(text, path)?;
        Ok(config)
    }

    /// Checks what serde cannot: references between tables and keys of free-form maps.
    fn validate(&self, text: &str, path: &Path) -> Result<(), ConfigError> {
        let invalid = |needle: &str, message: String| {
            let offset = text.find(needle).unwrap_or(0);
            let (line, column) = line_and_column(text, offset);
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message,
            }
        };
        if let Err(message) = crate::normalize::presets::find(&self.tickets.preset) {
            return Err(invalid(&format!("\"{}\"", self.tickets.preset), message));
        }
        for sla in &self.sla {
            if let Some(name) = &sla.calendar {
                if !self.calendars.contains_key(name) {
                    let known: Vec<&str> = self.calendars.keys().map(String::as_str).collect();
                    return Err(invalid(
                        &format!("\"{name}\""),
                        format!(
                            "unknown calendar `{name}` in [[sla]]{}",
                            match crate::config::did_you_mean(name, &known) {
                                Some(best) => format!("; did you mean `{best}`?"),
                                None => format!("; define it with a [calendars.{name}] table, or name one of the calendars the file defines"),
                            }
                        ),
                    ));
                }
            }
            if sla.response.is_none() && sla.resolution.is_none() {
                return Err(invalid(
                    "[[sla]]",
                    "an [[sla]] entry sets neither `response` nor `resolution`; give at least one target such as response = \"4h\"".to_string(),
                ));
            }
            for priority in sla.priority.values() {
                if crate::normalize::Priority::parse(priority).is_none() {
                    return Err(invalid(
                        &format!("\"{priority}\""),
                        format!("invalid priority `{priority}` in [[sla]]: expected P1 to P9"),
                    ));
                }
            }
        }
        if let Some(MatrixConfig::Table(table)) = &self.review.matrix {
            for (cell, priority) in table {
                let valid_cell = cell.split_once('-').is_some_and(|(i, u)| {
                    i.trim().parse::<u8>().is_ok() && u.trim().parse::<u8>().is_ok()
                });
                if !valid_cell {
                    return Err(invalid(
                        &format!("\"{cell}\""),
                        format!("invalid matrix cell `{cell}` in [review] matrix: expected IMPACT-URGENCY such as \"1-2\""),
                    ));
                }
                if crate::normalize::Priority::parse(priority).is_none() {
                    return Err(invalid(
                        &format!("\"{priority}\""),
                        format!("invalid priority `{priority}` for matrix cell `{cell}`: expected P1 to P9"),
                    ));
                }
            }
        }
        for rule in &self.review.security {
            let fields = [rule.require.field.as_str()];
            if let Err(error) = crate::register::Scope::parse(&rule.tickets, &fields) {
                return Err(invalid(
                    &rule.tickets,
                    format!(
                        "invalid tickets filter in [[review.security]] `{}`: {error}",
                        rule.name
                    ),
                ));
            }
        }
        for field in self.tickets.values.keys() {
            if !crate::normalize::MAPPED_VALUE_FIELDS.contains(&field.as_str()) {
                return Err(invalid(
                    &format!("[tickets.values.{field}]"),
                    format!(
                        "unknown field `{field}` in [tickets.values]{}",
                        suggestion_or_list(field, crate::normalize::MAPPED_VALUE_FIELDS)
                    ),
                ));
            }
        }
        if let Err((needle, message)) = surveys::check(self) {
            return Err(invalid(&needle, message));
        }
        for (field, labels) in &self.tickets.values {
            if field == "priority" {
                for (label, priority) in labels {
                    if crate::normalize::Priority::parse(priority).is_none() {
                        return Err(invalid(
                            &format!("\"{label}\""),
                            format!(
                                "invalid priority `{priority}` for label `{label}` in [tickets.values.priority]: expected P1 to P9"
                            ),
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// The folder that relative paths in the config are resolved against.
    pub fn resolve(project_dir: &Path, file: &Path) -> PathBuf {
        if file.is_absolute() {
            file.to_path_buf()
        } else {
            project_dir.join(file)
        }
    }

    /// Tells whether the `[[sla]]` rows are still the example targets that `slaudit init`
    /// writes, which are no client's contract.
    pub fn uses_example_targets(&self) -> bool {
        self.sla.len() == EXAMPLE_TARGETS.len()
            && self.sla.iter().zip(EXAMPLE_TARGETS).all(
                |(row, (priority, response, resolution))| {
                    row.priority.values() == [priority]
                        && row.team.is_none()
                        && row.category.is_none()
                        && row.response == BusinessDuration::parse(response).ok()
                        && row.resolution == BusinessDuration::parse(resolution).ok()
                },
            )
    }

    /// Returns `slaudit.toml:LINE: ` for the line that opens a table such as
    /// `[calendars.office]`, so that a problem found after parsing points at its table. Returns
    /// an empty string when the table is not found.
    pub fn table_place(project_dir: &Path, table: &str) -> String {
        let Ok(text) = std::fs::read_to_string(project_dir.join(CONFIG_FILE)) else {
            return String::new();
        };
        let (prefix, name) = table.rsplit_once('.').unwrap_or(("", table));
        let quoted = format!("[{prefix}.\"{name}\"]");
        let bare = format!("[{table}]");
        text.lines()
            .position(|line| {
                let line = line.trim();
                line.starts_with(&bare) || line.starts_with(&quoted)
            })
            .map(|index| format!("{CONFIG_FILE}:{}: ", index + 1))
            .unwrap_or_default()
    }
}

/// Converts a byte offset into a 1-based line and a 1-based column counted in characters.
pub fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

/// Rewrites serde's messages in the words of a config file: keys, not fields.
fn describe_toml_error(message: &str) -> String {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        if let Some((key, expected)) = rest.split_once('`') {
            let expected: Vec<&str> = expected
                .split('`')
                .skip(1)
                .step_by(2)
                .collect::<Vec<&str>>();
            return format!("unknown key `{key}`{}", suggestion_or_list(key, &expected));
        }
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        if let Some((key, _)) = rest.split_once('`') {
            return format!("missing key `{key}`");
        }
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        if let Some((value, expected)) = rest.split_once('`') {
            let expected: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
            return format!(
                "invalid value `{value}`{}",
                suggestion_or_list(value, &expected)
            );
        }
    }
    message.to_string()
}

/// "; did you mean `x`?" when a candidate is close, else "; expected one of …".
pub fn suggestion_or_list(value: &str, candidates: &[&str]) -> String {
    if let Some(best) = did_you_mean(value, candidates) {
        return format!("; did you mean `{best}`?");
    }
    if candidates.is_empty() {
        return String::new();
    }
    let list: Vec<String> = candidates.iter().map(|c| format!("`{c}`")).collect();
    format!("; expected one of {}", list.join(", "))
}

/// The candidate closest to `value`, when it is close enough to be a likely typo. Among close
/// candidates, the one sharing the longest start with `value` wins, because a typo usually
/// keeps the start of a word: `resolve` is taken for `resolution`, not `response`.
pub fn did_you_mean<'a>(value: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = value.to_lowercase();
    candidates
        .iter()
        .map(|candidate| {
            let candidate_lower = candidate.to_lowercase();
            let similarity = strsim::jaro_winkler(&lower, &candidate_lower);
            let shared_start = lower
                .chars()
                .zip(candidate_lower.chars())
                .take_while(|(a, b)| a == b)
                .count();
            (shared_start, similarity, *candidate)
        })
        .filter(|(_, similarity, _)| *similarity >= 0.8)
        .max_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| a.1.total_cmp(&b.1))
                .then_with(|| b.2.cmp(a.2))
        })
        .map(|(_, _, candidate)| candidate)
}

#[cfg(test)]
mod tests;
