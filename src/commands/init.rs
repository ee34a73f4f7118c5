//! `slaudit init`: write a starter project for an export.

use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context as _};

use crate::config::{Layout, TimeZone, CONFIG_FILE};
use crate::load::{ReadOptions, Table};
use crate::normalize::{presets, Field};
use crate::register;

/// Write a starter project for an export.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The project folder to create or fill.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The help desk system the export comes from.
    #[arg(long, default_value = "servicenow", value_parser = preset_name)]
    pub preset: String,
    /// The tickets export (CSV), as a path from the current folder.
    #[arg(long, value_name = "FILE")]
    pub tickets: PathBuf,
    /// The IANA time zone of timestamps in the export that carry no offset, such as Europe/London.
    #[arg(long, value_name = "ZONE")]
    pub timezone: TimeZone,
    /// Replace an existing slaudit.toml.
    #[arg(long)]
    pub force: bool,
}

/// Checks a preset name on the command line, so that a wrong one is a usage error.
fn preset_name(name: &str) -> Result<String, String> {
    presets::find(name).map(|preset| preset.name.to_string())
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let preset = presets::find(&args.preset).map_err(anyhow::Error::msg)?;
    let config_path = args.dir.join(CONFIG_FILE);
    if config_path.exists() && !args.force {
        bail!(
            "{} already exists; pass --force to replace it",
            config_path.display()
        );
    }
    let tickets_display = args.tickets.display().to_string();
    let table = Table::open(&args.tickets, &tickets_display, &ReadOptions::default())?;
    let layout = if preset
        .event_log_columns
        .iter()
        .any(|c| table.column(c).is_some())
    {
        Layout::EventLog
    } else {
        Layout::PerTicket
    };
    let found = |field: Field| {
        preset
            .column_names(field)
            .iter()
            .find_map(|name| table.column(name).map(|i| table.headers()[i].clone()))
    };
    for field in [Field::Id, Field::Opened] {
        if found(field).is_none() {
            let expected: Vec<String> = preset
                .column_names(field)
                .iter()
                .map(|c| format!("`{c}`"))
                .collect();
            bail!(
                "{tickets_display}: missing column for `{field}`: expected {} (preset `{}`); write the config by hand and map it with [tickets.columns] {field} = \"COLUMN\"",
                expected.join(" or "),
                preset.name
            );
        }
    }
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("failed to create {}", args.dir.display()))?;
    let file = relative_to(&args.tickets, &args.dir)?;
    let has_column = |name: &str| table.column(name).is_some();
    let rules = starter_security_rules(preset.name, &has_column);
    let text = starter_config(&file, preset.name, layout, &args.timezone, &rules);
    std::fs::write(&config_path, text)
        .with_context(|| format!("failed to write {}", config_path.display()))?;
    eprintln!(
        "slaudit: wrote {} for a {} export read as {}; set the SLA targets to the client's, then run `slaudit build {}`",
        config_path.display(),
        preset.name,
        layout,
        args.dir.display()
    );
    write_register_skeleton(&args.dir)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the register skeleton next to the config, unless a register is already there. A
/// register contains the audit team's own records, so even `--force` never replaces it.
fn write_register_skeleton(dir: &Path) -> anyhow::Result<()> {
    let path = dir.join(register::SKELETON_FILE);
    if path.exists() {
        eprintln!("slaudit: kept the existing register {}", path.display());
        return Ok(());
    }
    std::fs::write(&path, register::SKELETON)
        .with_context(|| format!("failed to write {}", path.display()))?;
    eprintln!(
        "slaudit: wrote the register skeleton {}; name each control area's owner in it",
        path.display()
    );
    Ok(())
}

/// Returns the path of `file` as seen from `dir`, so that the project can move with its data.
fn relative_to(file: &Path, dir: &Path) -> anyhow::Result<String> {
    let file = std::fs::canonicalize(file)
        .with_context(|| format!("failed to find {}", file.display()))?;
    std::fs::create_dir_all(dir).ok();
    let dir =
        std::fs::canonicalize(dir).with_context(|| format!("failed to find {}", dir.display()))?;
    let file_parts: Vec<Component> = file.components().collect();
    let dir_parts: Vec<Component> = dir.components().collect();
    let common = file_parts
        .iter()
        .zip(&dir_parts)
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return Ok(file.to_string_lossy().into_owned());
    }
    let mut relative = PathBuf::new();
    for _ in common..dir_parts.len() {
        relative.push("..");
    }
    for part in &file_parts[common..] {
        relative.push(part);
    }
    Ok(relative.to_string_lossy().replace('\\', "/"))
}

/// A `[[review.security]]` rule that `init` writes for the columns an export has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StarterRule {
    pub name: &'static str,
    pub tickets: &'static str,
    pub field: &'static str,
}

/// Returns the security rules that a preset's standard columns allow, so that the area
/// reaches a decision on a first build. A ServiceNow incident taken by phone should name the caller whose
/// identity was checked and the agent who took the call; both are standard fields.
pub fn starter_security_rules(preset: &str, has_column: &dyn Fn(&str) -> bool) -> Vec<StarterRule> {
    if preset != "servicenow" || !has_column("contact_type") {
        return Vec::new();
    }
    [
        StarterRule {
            name: "Phone incidents name the caller",
            tickets: "channel = \"Phone\"",
            field: "caller_id",
        },
        StarterRule {
            name: "Phone incidents name the agent who took the call",
            tickets: "channel = \"Phone\"",
            field: "opened_by",
        },
    ]
    .into_iter()
    .filter(|rule| has_column(rule.field))
    .collect()
}

/// Writes a commented config for an export, with targets to replace by the client's.
pub fn starter_config(
    file: &str,
    preset: &str,
    layout: Layout,
    zone: &TimeZone,
    security: &[StarterRule],
) -> String {
    let mut text = String::new();
    let quoted = |value: &str| toml::Value::String(value.to_string()).to_string();
    let _ = writeln!(
        text,
        "# slaudit project: every key is documented in the README's configuration reference."
    );
    let _ = writeln!(text);
    let _ = writeln!(text, "[project]");
    let _ = writeln!(text, "title = \"Service desk SLA review\"");
    let _ = writeln!(text, "client = \"\"");
    let _ = writeln!(text, "# period = \"2026-07-01..2026-09-30\"   # audit tickets opened in this range; default: all");
    let _ = writeln!(text);
    let _ = writeln!(text, "[tickets]");
    let _ = writeln!(text, "file = {}", quoted(file));
    let _ = writeln!(text, "preset = {}", quoted(preset));
    let _ = writeln!(
        text,
        "layout = \"{layout}\"   # detected from the file's columns"
    );
    let _ = writeln!(
        text,
        "timezone = {}   # zone of timestamps that carry no offset",
        quoted(zone.0.name())
    );
    let _ = writeln!(
        text,
        "# date_format = \"%d/%m/%Y %H:%M\"   # default: detected over each whole column"
    );
    let _ = writeln!(
        text,
        "# max_rejected = \"1%\"   # unusable rows tolerated before the build fails"
    );
    let _ = writeln!(text, "# target_priority = \"final\"   # or \"initial\"");
    let _ = writeln!(
        text,
        "# [tickets.columns]   # override the preset's column names"
    );
    let _ = writeln!(text, "# team = \"assignment_group\"");
    let _ = writeln!(
        text,
        "# [tickets.values.priority]   # map the export's labels to P1-P5"
    );
    let _ = writeln!(text, "# \"1 - Critical\" = \"P1\"");
    let _ = writeln!(text);
    let _ = writeln!(
        text,
        "# The governance register: owners, exceptions, risk acceptances and actions."
    );
    let _ = writeln!(text, "[register]");
    let _ = writeln!(text, "file = {}", quoted(register::SKELETON_FILE));
    let _ = writeln!(text);
    let _ = writeln!(text, "[calendars.always]");
    let _ = writeln!(text, "timezone = {}", quoted(zone.0.name()));
    let _ = writeln!(text, "hours = \"24x7\"");
    let _ = writeln!(text);
    let _ = writeln!(
        text,
        "# Example targets: replace them with the client's contract before reporting."
    );
    for (priority, response, resolution) in crate::config::EXAMPLE_TARGETS {
        let _ = writeln!(text, "[[sla]]");
        let _ = writeln!(text, "priority = \"{priority}\"");
        let _ = writeln!(text, "calendar = \"always\"");
        let _ = writeln!(text, "response = \"{response}\"");
        let _ = writeln!(text, "resolution = \"{resolution}\"");
        let _ = writeln!(text);
    }
    for line in [
        "# Thresholds that turn each check into a decision; every key is optional (see the README).",
        "# [review]",
        "# attainment = { acceptable = \"95%\", needs_tuning = \"90%\" }",
        "#",
        "# Security verification: the tickets a filter selects must record a field of the export.",
        "# [[review.security]]",
        "# name = \"Password resets record identity verification\"",
        "# tickets = 'category = \"Password Reset\"'",
        "# require = { field = \"u_verification_method\", one_of = [\"MFA\", \"Callback\", \"In person\"] }",
    ] {
        let _ = writeln!(text, "{line}");
    }
    if !security.is_empty() {
        let _ = writeln!(text);
        let _ = writeln!(
            text,
            "# Rules on the export's standard columns; add the client's own verification field."
        );
    }
    for rule in security {
        let _ = writeln!(text, "[[review.security]]");
        let _ = writeln!(text, "name = {}", quoted(rule.name));
        let _ = writeln!(text, "tickets = '{}'", rule.tickets);
        let _ = writeln!(text, "require = {{ field = {} }}", quoted(rule.field));
        let _ = writeln!(text);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn security_rules_follow_the_export_columns() {
        let list_export = |name: &str| ["number", "contact_type", "caller_id"].contains(&name);
        let names = |rules: Vec<StarterRule>| rules.iter().map(|r| r.field).collect::<Vec<_>>();
        assert_eq!(
            names(starter_security_rules("servicenow", &list_export)),
            ["caller_id"]
        );
        let without_channel = |name: &str| ["caller_id", "opened_by"].contains(&name);
        assert!(starter_security_rules("servicenow", &without_channel).is_empty());
        let everything = |_: &str| true;
        assert!(starter_security_rules("jira", &everything).is_empty());
    }

    #[test]
    fn starter_targets_are_flagged_as_examples() {
        let zone: TimeZone = "UTC".parse().unwrap();
        let text = starter_config("incidents.csv", "servicenow", Layout::EventLog, &zone, &[]);
        let path = Path::new("slaudit.toml");
        assert!(crate::config::Config::parse(&text, path)
            .unwrap()
            .uses_example_targets());
        // Any change to a target makes them the client's.
        let edited = text.replacen("resolution = \"3d\"", "resolution = \"2d\"", 1);
        assert_ne!(edited, text);
        assert!(!crate::config::Config::parse(&edited, path)
            .unwrap()
            .uses_example_targets());
    }

    #[test]
    fn starter_rules_load_as_config() {
        let rules = starter_security_rules("servicenow", &|_| true);
        let zone: TimeZone = "UTC".parse().unwrap();
        let text = starter_config(
            "incidents.csv",
            "servicenow",
            Layout::EventLog,
            &zone,
            &rules,
        );
        let config: toml::Value = toml::from_str(&text).unwrap();
        let security = config["review"]["security"].as_array().unwrap();
        assert_eq!(security.len(), 2);
        assert_eq!(security[1]["tickets"].as_str(), Some("channel = \"Phone\""));
        assert_eq!(security[1]["require"]["field"].as_str(), Some("opened_by"));
    }
}
