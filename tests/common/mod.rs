//! A harness for running the slaudit binary on projects written into temporary folders.
//!
//! Every failed expectation prints the command, its folder, its exit status and both output
//! streams, so that a failure explains itself.

#![allow(dead_code)]

pub mod clocks;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A temporary project folder.
pub struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    pub fn new() -> Project {
        Project {
            dir: tempfile::tempdir().expect("a temporary folder can be created"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file relative to the project folder, creating folders as needed.
    pub fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> &Project {
        let path = self.dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(path, contents).unwrap();
        self
    }

    /// Reads a file relative to the project folder as text.
    pub fn read(&self, name: &str) -> String {
        let path = self.dir.path().join(name);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
    }

    /// Runs slaudit with `args` inside the project folder.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.dir.path(), args)
    }
}

/// Runs slaudit with `args` in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_slaudit"));
    let output = Command::new(&binary)
        .args(args)
        .current_dir(dir)
        .env_remove("SLAUDIT_LOG")
        .output()
        .expect("the slaudit binary runs");
    Run {
        command: format!("slaudit {}", args.join(" ")),
        dir: dir.to_path_buf(),
        status: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// What one run of the binary did.
pub struct Run {
    pub command: String,
    pub dir: PathBuf,
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "command: {}", self.command)?;
        writeln!(f, "folder:  {}", self.dir.display())?;
        writeln!(f, "status:  {:?}", self.status)?;
        writeln!(f, "--- stdout ---\n{}", self.stdout)?;
        write!(f, "--- stderr ---\n{}", self.stderr)
    }
}

impl Run {
    #[track_caller]
    pub fn success(&self) -> &Run {
        assert_eq!(self.status, Some(0), "expected success\n{self}");
        self
    }

    #[track_caller]
    pub fn failure(&self) -> &Run {
        assert_eq!(self.status, Some(1), "expected exit status 1\n{self}");
        self
    }

    /// Asserts the exact standard error, ignoring a trailing newline.
    #[track_caller]
    pub fn stderr_is(&self, expected: &str) -> &Run {
        assert_eq!(
            self.stderr.trim_end(),
            expected.trim_end(),
            "unexpected stderr\n{self}"
        );
        self
    }
}

/// Reads a CSV written by slaudit (after its byte-order mark) into rows of cells.
pub fn read_csv(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|record| record.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// Removes tags and collapses whitespace, so that tests can look for a sentence in a page.
pub fn page_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads the tickets download as one map per ticket, keyed by column name.
pub fn tickets_by_id(project: &Project) -> BTreeMap<String, BTreeMap<String, String>> {
    let rows = read_csv(&project.read("site/tickets.csv"));
    let header = &rows[0];
    rows[1..]
        .iter()
        .map(|row| {
            let cells: BTreeMap<String, String> =
                header.iter().cloned().zip(row.iter().cloned()).collect();
            (cells["ticket"].clone(), cells)
        })
        .collect()
}

/// Asserts one cell per (ticket, column, value) row.
#[track_caller]
pub fn assert_cells(
    tickets: &BTreeMap<String, BTreeMap<String, String>>,
    expected: &[(&str, &str, &str)],
) {
    for &(ticket, column, value) in expected {
        let row = tickets
            .get(ticket)
            .unwrap_or_else(|| panic!("no ticket {ticket} in {tickets:?}"));
        assert_eq!(row[column], value, "{ticket} {column}");
    }
}
