//! The committed sample site in `site/` is what `slaudit build data --out site` writes today.
//!
//! Run `SLAUDIT_BLESS=1 cargo test --test site_golden` to regenerate it after an intended
//! change, then review the difference with `git diff site/`.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Every file under `dir`, by `/`-separated path relative to it.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut found = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                found.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    found
}

/// Replaces the tool's version, so that a release does not change every page.
fn redact(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).replace(env!("CARGO_PKG_VERSION"), "VERSION")
}

#[test]
fn sample_site_is_current() {
    let out = tempfile::tempdir().unwrap();
    let built = out.path().join("site");
    let data = PathBuf::from(ROOT).join("data");
    common::run_in(
        out.path(),
        &["build", data.to_str().unwrap(), "--out", "site"],
    )
    .success();

    let committed_dir = PathBuf::from(ROOT).join("site");
    if std::env::var_os("SLAUDIT_BLESS").is_some() {
        if committed_dir.exists() {
            std::fs::remove_dir_all(&committed_dir).unwrap();
        }
        common::run_in(Path::new(ROOT), &["build", "data", "--out", "site"]).success();
        return;
    }

    let fresh = files(&built);
    let committed = files(&committed_dir);
    let fresh_names: Vec<&String> = fresh.keys().collect();
    let committed_names: Vec<&String> = committed.keys().collect();
    assert_eq!(
        fresh_names, committed_names,
        "site/ lists other files than a fresh build; regenerate it with SLAUDIT_BLESS=1"
    );
    for (name, bytes) in &fresh {
        let (fresh_text, committed_text) = (redact(bytes), redact(&committed[name]));
        if fresh_text != committed_text {
            let line = fresh_text
                .lines()
                .zip(committed_text.lines())
                .position(|(a, b)| a != b)
                .map_or(0, |index| index + 1);
            panic!("site/{name} differs from a fresh build from line {line}; regenerate it with SLAUDIT_BLESS=1");
        }
    }
}
