//! Loading a project's tickets into the [`TicketDirectory`] the survey commands use.

use std::path::Path;

use super::TicketDirectory;
use crate::config::Config;

/// Reads a project's config and tickets, keeping only what the survey needs.
pub fn load_directory(project_dir: &Path) -> anyhow::Result<(Config, TicketDirectory)> {
    let (config, dataset) = crate::commands::build::load_dataset(project_dir)?;
    Ok((config, TicketDirectory::from_dataset(&dataset)))
}
