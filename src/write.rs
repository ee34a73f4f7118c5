//! Writing the site: atomically, and never over a folder that is not a slaudit site.
//!
//! Every file is written into a temporary folder beside the target, which then replaces the
//! target by rename. A reader never sees half a site: before the swap it sees the old site,
//! after it the new one. Should the process die between the two renames, the old site is
//! left beside the target under a `.old` name.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};

use crate::render::SiteFiles;

/// Replaces `out` with the rendered files.
pub fn write_site(out: &Path, files: &SiteFiles) -> anyhow::Result<()> {
    let parent = match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .with_context(|| format!("invalid output folder {}", out.display()))?
        .to_string_lossy()
        .into_owned();
    fs::create_dir_all(&parent)
        .with_context(|| format!("failed to create {}", parent.display()))?;
    check_replaceable(out)?;

    let staging = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    if staging.exists() {
        fs::remove_dir_all(&staging)
            .with_context(|| format!("failed to remove {}", staging.display()))?;
    }
    for (relative, contents) in files {
        let path = staging.join(relative);
        if let Some(folder) = path.parent() {
            fs::create_dir_all(folder)
                .with_context(|| format!("failed to create {}", folder.display()))?;
        }
        let mut file = fs::File::create(&path)
            .with_context(|| format!("failed to create {}", path.display()))?;
        file.write_all(contents)
            .with_context(|| format!("failed to write {}", path.display()))?;
    }

    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let had_site = out.exists();
    if had_site {
        fs::rename(out, &old)
            .with_context(|| format!("failed to move the previous site {} aside", out.display()))?;
    }
    if let Err(error) = fs::rename(&staging, out) {
        if had_site {
            let _ = fs::rename(&old, out);
        }
        return Err(error)
            .with_context(|| format!("failed to move the new site into {}", out.display()));
    }
    if had_site {
        fs::remove_dir_all(&old)
            .with_context(|| format!("failed to remove the previous site {}", old.display()))?;
    }
    Ok(())
}

/// Refuses to replace a folder that holds anything but an earlier slaudit site.
fn check_replaceable(out: &Path) -> anyhow::Result<()> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        bail!(
            "{} exists and is not a folder; choose another --out",
            out.display()
        );
    }
    let empty = fs::read_dir(out)
        .with_context(|| format!("failed to read {}", out.display()))?
        .next()
        .is_none();
    let manifest = out.join("manifest.json");
    let is_site = fs::read_to_string(&manifest)
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .is_some_and(|value| value.get("generator").and_then(|g| g.as_str()) == Some("slaudit"));
    if !empty && !is_site {
        bail!(
            "{} is not empty and holds no slaudit manifest.json, so it is not replaced; \
             choose an empty or new folder with --out",
            out.display()
        );
    }
    Ok(())
}
