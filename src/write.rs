//! Writing the site: atomically, and never over a folder that is not a slaudit site.
//!
//! Every file is written into a temporary folder beside the target, which then replaces the
//! target by rename. A reader never sees half a site: before the swap it sees the old site,
//! after it the new one. Should the process die between the two renames, the old site is
//! left beside the target under a `.old` name.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{bail, Context as _};

/// The files of a site as they are rendered: written at once into a staging folder, so that
/// a large site never sits whole in memory, or kept in memory for tests. Pages rendered on
/// several threads may add files at the same time.
pub struct SiteFiles {
    staging: Option<PathBuf>,
    names: Mutex<BTreeSet<String>>,
    memory: Mutex<BTreeMap<String, Vec<u8>>>,
    /// The first failure to write a file, reported when the site is committed.
    failure: Mutex<Option<anyhow::Error>>,
}

impl SiteFiles {
    /// Files kept in memory, for callers that inspect them.
    pub fn in_memory() -> SiteFiles {
        SiteFiles {
            staging: None,
            names: Mutex::default(),
            memory: Mutex::default(),
            failure: Mutex::default(),
        }
    }

    fn staged(folder: PathBuf) -> SiteFiles {
        SiteFiles {
            staging: Some(folder),
            ..SiteFiles::in_memory()
        }
    }

    /// Adds a file; `name` is its `/`-separated path inside the site.
    pub fn insert(&self, name: String, contents: Vec<u8>) {
        match &self.staging {
            Some(folder) => {
                if let Err(error) = write_file(&folder.join(&name), &contents) {
                    let mut failure = self.failure.lock().unwrap_or_else(|e| e.into_inner());
                    failure.get_or_insert(error);
                }
            }
            None => {
                let mut memory = self.memory.lock().unwrap_or_else(|e| e.into_inner());
                memory.insert(name.clone(), contents);
            }
        }
        self.names
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name);
    }

    pub fn extend(&self, files: impl IntoIterator<Item = (String, Vec<u8>)>) {
        for (name, contents) in files {
            self.insert(name, contents);
        }
    }

    /// The number of files added.
    pub fn len(&self) -> usize {
        self.names.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The contents of a file kept in memory.
    pub fn get(&self, name: &str) -> Option<Vec<u8>> {
        self.memory
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(name)
            .cloned()
    }
}

fn write_file(path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    if let Some(folder) = path.parent() {
        fs::create_dir_all(folder)
            .with_context(|| format!("failed to create {}", folder.display()))?;
    }
    let mut file =
        fs::File::create(path).with_context(|| format!("failed to create {}", path.display()))?;
    file.write_all(contents)
        .with_context(|| format!("failed to write {}", path.display()))
}

/// A site being written: a staging folder beside the target, swapped in by [`Staging::commit`]
/// and removed if the build fails first.
pub struct Staging {
    out: PathBuf,
    parent: PathBuf,
    name: String,
    files: SiteFiles,
    committed: bool,
}

impl Staging {
    /// Checks that `out` may be replaced and opens an empty staging folder beside it.
    pub fn begin(out: &Path) -> anyhow::Result<Staging> {
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
        let folder = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if folder.exists() {
            fs::remove_dir_all(&folder)
                .with_context(|| format!("failed to remove {}", folder.display()))?;
        }
        fs::create_dir_all(&folder)
            .with_context(|| format!("failed to create {}", folder.display()))?;
        Ok(Staging {
            out: out.to_path_buf(),
            parent,
            name,
            files: SiteFiles::staged(folder),
            committed: false,
        })
    }

    /// Where rendered files go.
    pub fn files(&self) -> &SiteFiles {
        &self.files
    }

    fn folder(&self) -> &Path {
        self.files.staging.as_deref().unwrap_or(Path::new("."))
    }

    /// Replaces the target with the staged site.
    pub fn commit(mut self) -> anyhow::Result<()> {
        if let Some(error) = self
            .files
            .failure
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
        {
            return Err(error);
        }
        let out = self.out.clone();
        let staging = self.folder().to_path_buf();
        let old = self
            .parent
            .join(format!(".{}.old-{}", self.name, std::process::id()));
        let had_site = out.exists();
        if had_site {
            fs::rename(&out, &old).with_context(|| {
                format!("failed to move the previous site {} aside", out.display())
            })?;
        }
        if let Err(error) = fs::rename(&staging, &out) {
            if had_site {
                let _ = fs::rename(&old, &out);
            }
            return Err(error)
                .with_context(|| format!("failed to move the new site into {}", out.display()));
        }
        self.committed = true;
        if had_site {
            fs::remove_dir_all(&old)
                .with_context(|| format!("failed to remove the previous site {}", old.display()))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(self.folder());
        }
    }
}

/// Replaces `out` with files rendered in memory.
pub fn write_site(out: &Path, files: &SiteFiles) -> anyhow::Result<()> {
    let staging = Staging::begin(out)?;
    let memory = files.memory.lock().unwrap_or_else(|e| e.into_inner());
    for (name, contents) in memory.iter() {
        staging.files().insert(name.clone(), contents.clone());
    }
    staging.commit()
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
