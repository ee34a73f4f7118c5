//! Loading a project's tickets into the [`TicketDirectory`] the survey commands use.

use std::path::Path;

use anyhow::Context;

use super::{TicketDirectory, TicketEntry};
use crate::config::Config;
use crate::time::resolve_local;

/// Reads a project's config and the tickets the survey needs.
pub fn load_directory(project_dir: &Path) -> anyhow::Result<(Config, TicketDirectory)> {
    // TODO: read tickets through `crate::commands::build::load_dataset` and
    // `TicketDirectory::from_dataset` once the build's loader exists; this stand-in reads only
    // a plain CSV with the columns `id`, `title`, `requester` and `resolved`.
    let config = Config::load(project_dir)?;
    let path = Config::resolve(project_dir, &config.tickets.file);
    let mut reader = csv::Reader::from_path(&path)
        .with_context(|| format!("failed to read {}", path.display()))?;
    let headers = reader.headers()?.clone();
    let column = |name: &str| {
        let wanted = config
            .tickets
            .columns
            .get(name)
            .map_or(name, String::as_str);
        headers.iter().position(|header| header == wanted)
    };
    let id_column = column("id").with_context(|| format!("{}: no `id` column", path.display()))?;
    let (title, requester, resolved) = (column("title"), column("requester"), column("resolved"));
    let mut directory = TicketDirectory::default();
    for record in reader.records() {
        let record = record?;
        let line = record.position().map_or(0, |p| p.line());
        let cell = |index: Option<usize>| {
            index
                .and_then(|i| record.get(i))
                .filter(|value| !value.is_empty())
                .map(str::to_string)
        };
        let resolved = match cell(resolved) {
            None => None,
            Some(text) => {
                let local = chrono::NaiveDateTime::parse_from_str(&text, "%Y-%m-%d %H:%M:%S")
                    .with_context(|| {
                        format!("{}:{line}: invalid resolved time `{text}`", path.display())
                    })?;
                let instant = resolve_local(
                    config.tickets.timezone.0,
                    local,
                    config.tickets.ambiguous_times,
                )
                .map_err(|_| {
                    anyhow::anyhow!(
                        "{}:{line}: resolved time `{text}` does not exist",
                        path.display()
                    )
                })?;
                Some(instant.instant)
            }
        };
        let id = cell(Some(id_column))
            .with_context(|| format!("{}:{line}: empty ticket id", path.display()))?;
        directory.insert(
            &id,
            TicketEntry {
                title: cell(title),
                requester: cell(requester),
                resolved,
            },
        );
    }
    Ok((config, directory))
}
