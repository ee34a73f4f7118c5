//! Reading the register a project names in `[register] file`, for a build.

use std::path::Path;

use anyhow::{bail, Context as _};
use sha2::{Digest, Sha256};

use super::{Diagnostic, Register};
use crate::config::Config;
use crate::load::InputFile;

/// The project's register, read without errors.
#[derive(Debug, Clone)]
pub struct ProjectRegister {
    pub register: Register,
    /// The parser's warnings, ordered by line. The build adds the warnings of linking.
    pub diagnostics: Vec<Diagnostic>,
    /// The file's manifest entry; `rows` counts Owners rows and entries.
    pub input: InputFile,
}

/// Reads and parses the register named by `[register]`, or returns `None` when the project
/// has no `[register]` table.
///
/// `extra_fields` are the ticket columns, besides the known fields, that scopes may compare.
/// Any error diagnostic fails the read, with every diagnostic of the file in the message,
/// so that one run shows everything to fix.
pub fn read_project_register(
    config: &Config,
    project_dir: &Path,
    extra_fields: &[&str],
) -> anyhow::Result<Option<ProjectRegister>> {
    let Some(settings) = &config.register else {
        return Ok(None);
    };
    let file = settings.file.to_string_lossy().replace('\\', "/");
    let path = Config::resolve(project_dir, &settings.file);
    let bytes = std::fs::read(&path).with_context(|| {
        format!("failed to read the register {file} named by [register] file in slaudit.toml")
    })?;
    let Ok(text) = std::str::from_utf8(&bytes) else {
        bail!("{file}: the register is not valid UTF-8; save it as UTF-8");
    };

    let (register, diagnostics) = Register::parse(text, &file, extra_fields);
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    if errors > 0 {
        let warnings = diagnostics.len() - errors;
        let plural = |count: usize, noun: &str| {
            format!("{count} {noun}{}", if count == 1 { "" } else { "s" })
        };
        let mut message = format!("{file}: the register has {}", plural(errors, "error"));
        if warnings > 0 {
            message.push_str(&format!(" and {}", plural(warnings, "warning")));
        }
        message.push_str("; fix the errors and build again:");
        for diagnostic in &diagnostics {
            message.push_str(&format!("\n  {diagnostic}"));
        }
        bail!(message);
    }

    let digest = Sha256::digest(&bytes);
    let rows = register.owners.len()
        + register.exceptions.len()
        + register.risk_acceptances.len()
        + register.actions.len();
    let input = InputFile {
        path: file,
        sha256: digest.iter().map(|byte| format!("{byte:02x}")).collect(),
        bytes: bytes.len() as u64,
        rows: rows as u64,
    };
    Ok(Some(ProjectRegister {
        register,
        diagnostics,
        input,
    }))
}
