//! Every file of survey answers a build reads: the intake server's CSV and the exports that
//! `[surveys] imports` names, in that order.

use std::path::Path;

use anyhow::Context as _;
use sha2::{Digest, Sha256};

use super::imports::read_import;
use super::store::parse_answers;
use super::Answer;
use crate::config::{Config, SurveyPreset, SurveyScale};
use crate::load::InputFile;
use crate::normalize::Rejection;

/// Where a file of answers comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// The file `slaudit serve` appends to.
    Server,
    /// A help desk's export, read with its preset.
    Export(SurveyPreset),
}

/// The answers of one file, with what could not be read.
#[derive(Debug)]
pub struct SurveySource {
    /// The file as the config names it.
    pub file: String,
    pub kind: SourceKind,
    pub scale: SurveyScale,
    /// Every answer in file order, repeats included.
    pub answers: Vec<Answer>,
    /// The line each answer starts on, in the order of `answers`.
    pub lines: Vec<u64>,
    /// Surveys sent but not answered (exports only).
    pub unanswered: usize,
    pub rejected: Vec<Rejection>,
    /// Bytes of a partial last record that an interrupted write left (server file only).
    pub torn_tail_bytes: u64,
    /// The file's manifest entry; `None` when the server's file does not exist yet.
    pub input: Option<InputFile>,
    /// The answer time's format and whether it was detected (exports only).
    pub date_format: Option<(String, bool)>,
}

/// Reads the survey files of a project; none when it has no `[surveys]` table.
pub fn read_sources(config: &Config, project_dir: &Path) -> anyhow::Result<Vec<SurveySource>> {
    let Some(surveys) = &config.surveys else {
        return Ok(Vec::new());
    };
    let mut sources = vec![read_server_file(&surveys.file, project_dir)?];
    for import in &surveys.imports {
        let imported = read_import(import, config, project_dir)?;
        sources.push(SurveySource {
            file: imported.input.path.clone(),
            kind: SourceKind::Export(import.preset),
            scale: import.scale(),
            answers: imported.answers,
            lines: imported.lines,
            unanswered: imported.unanswered,
            rejected: imported.rejected,
            torn_tail_bytes: 0,
            input: Some(imported.input),
            date_format: imported.date_format,
        });
    }
    Ok(sources)
}

/// Reads the intake server's file. A missing file is no error: the server creates it when it
/// first starts, so a project may be built before any survey was sent.
fn read_server_file(file: &Path, project_dir: &Path) -> anyhow::Result<SurveySource> {
    let name = file.to_string_lossy().into_owned();
    let path = Config::resolve(project_dir, file);
    let mut source = SurveySource {
        file: name.clone(),
        kind: SourceKind::Server,
        scale: SurveyScale::FivePoint,
        answers: Vec::new(),
        lines: Vec::new(),
        unanswered: 0,
        rejected: Vec::new(),
        torn_tail_bytes: 0,
        input: None,
        date_format: None,
    };

    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(source),
        Err(error) => {
            return Err(error).with_context(|| format!("failed to read {}", path.display()))
        }
    };

    let parsed = parse_answers(&bytes, Path::new(&name))?;
    let rows = (parsed.answers.len() + parsed.rejected.len()) as u64;
    source.rejected = parsed
        .rejected
        .into_iter()
        .map(|record| Rejection {
            file: name.clone(),
            line: record.line,
            ticket: String::new(),
            column: record.column,
            value: record.value,
            reason: record.reason,
        })
        .collect();
    source.answers = parsed.answers;
    source.lines = parsed.lines;
    source.torn_tail_bytes = parsed.torn_tail_bytes;
    source.input = Some(InputFile {
        path: name,
        sha256: Sha256::digest(&bytes)
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect(),
        bytes: bytes.len() as u64,
        rows,
    });
    Ok(source)
}
