//! The survey CSV: its format, the reader the build uses, crash repair and the durable writer.
//!
//! The file has the header `ticket_id,submitted_at,rating,comment` and one record per answer,
//! in the order the answers were acknowledged. It is only ever appended to. `submitted_at` is
//! RFC 3339 in UTC (`2026-07-01T09:30:00Z`), `rating` is 1 to 5, and `comment` may be empty
//! or span several lines (quoted as CSV requires).
//!
//! Cells that a spreadsheet would run as a formula are neutralised: a cell beginning with `=`,
//! `+`, `-`, `@`, tab or carriage return gets a leading `'`. A cell beginning with `'` gets one
//! too, so the reader removes exactly one leading `'` and returns the original text.
//!
//! An answer is acknowledged only after its record is written and the file is fsynced. One
//! writer thread appends every answer waiting at the time in a single write and fsync (group
//! commit). A crash can still leave a partial last record, which [`repair_torn_tail`] cuts off
//! when the server starts, keeping the cut bytes in `<file>.torn`; the reader skips such a tail
//! so a build run before that repair still works.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread::JoinHandle;

use super::Answer;
use crate::time::{format_utc, Instant};

/// The header of the survey CSV.
pub const HEADER: [&str; 4] = ["ticket_id", "submitted_at", "rating", "comment"];

const HEADER_LINE: &str = "ticket_id,submitted_at,rating,comment\n";

/// The maximum number of answers written with one fsync.
const MAX_BATCH: usize = 1024;

/// A survey file that cannot be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("failed to {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },
    #[error("{}:1: invalid header `{found}`: expected `{}`; is this the survey answers file?", path.display(), HEADER.join(","))]
    Header { path: PathBuf, found: String },
}

fn io_error<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> StoreError + 'a {
    move |source| StoreError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// A record of the survey file that was not read as an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedRecord {
    pub line: u64,
    /// The header name of the offending column, or empty when the whole record is at fault.
    pub column: String,
    pub value: String,
    pub reason: String,
}

/// The answers read from a survey file.
#[derive(Debug, Default)]
pub struct AnswerFile {
    /// Every answer in file order, repeats included.
    pub answers: Vec<Answer>,
    /// The line each answer starts on, in the order of `answers`.
    pub lines: Vec<u64>,
    /// Records that could not be read, with the reason.
    pub rejected: Vec<RejectedRecord>,
    /// Bytes after the last complete record, left by a crash and skipped.
    pub torn_tail_bytes: u64,
}

/// Neutralises a cell for spreadsheets; see the module documentation.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\'') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// Undoes [`neutralise`].
pub fn restore(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

/// Encodes answers as CSV records, without the header.
pub fn encode_records(answers: &[Answer]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::with_capacity(answers.len() * 64));
    for answer in answers {
        let record = [
            neutralise(&answer.ticket_id),
            format_utc(answer.submitted_at),
            answer.rating.to_string(),
            neutralise(&answer.comment),
        ];
        writer
            .write_record(&record)
            .expect("writing CSV to memory cannot fail");
    }
    writer.into_inner().expect("flushing to memory cannot fail")
}

/// Returns the length of the prefix of `bytes` that ends with a complete record.
///
/// A newline ends a record unless it sits inside a quoted cell. Quotes only open and close
/// cells or come doubled inside one, so a newline is inside a cell exactly when an odd number
/// of quotes precedes it.
pub fn complete_prefix_len(bytes: &[u8]) -> usize {
    let mut inside_quotes = false;
    let mut end = 0;
    for position in memchr::memchr2_iter(b'"', b'\n', bytes) {
        if bytes[position] == b'"' {
            inside_quotes = !inside_quotes;
        } else if !inside_quotes {
            end = position + 1;
        }
    }
    end
}

/// Reads a survey file for the build. Rejected records and a torn tail are reported, not fatal.
pub fn read_answers(path: &Path) -> Result<AnswerFile, StoreError> {
    let bytes = std::fs::read(path).map_err(io_error("read", path))?;
    parse_answers(&bytes, path)
}

/// Parses the bytes of a survey file; `path` is used in messages only.
pub fn parse_answers(bytes: &[u8], path: &Path) -> Result<AnswerFile, StoreError> {
    let complete = complete_prefix_len(bytes);
    let mut file = AnswerFile {
        torn_tail_bytes: (bytes.len() - complete) as u64,
        ..AnswerFile::default()
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&bytes[..complete]);
    let mut records = reader.byte_records();
    match records.next() {
        Some(Ok(header)) if header.iter().eq(HEADER.iter().map(|h| h.as_bytes())) => {}
        None if complete == 0 && bytes.len() < HEADER_LINE.len() => return Ok(file),
        other => {
            let found = match other {
                Some(Ok(header)) => join_cells(&header),
                _ => String::new(),
            };
            return Err(StoreError::Header {
                path: path.to_path_buf(),
                found,
            });
        }
    }
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(0, |p| p.line());
                file.rejected.push(RejectedRecord {
                    line,
                    column: String::new(),
                    value: String::new(),
                    reason: error.to_string(),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        match parse_record(&record) {
            Ok(answer) => {
                file.answers.push(answer);
                file.lines.push(line);
            }
            Err((column, value, reason)) => file.rejected.push(RejectedRecord {
                line,
                column: column.to_string(),
                value,
                reason,
            }),
        }
    }
    Ok(file)
}

fn join_cells(record: &csv::ByteRecord) -> String {
    let cells: Vec<String> = record
        .iter()
        .map(|cell| String::from_utf8_lossy(cell).into_owned())
        .collect();
    cells.join(",")
}

type RecordProblem = (&'static str, String, String);

fn parse_record(record: &csv::ByteRecord) -> Result<Answer, RecordProblem> {
    if record.len() != HEADER.len() {
        return Err((
            "",
            join_cells(record),
            format!("expected {} cells, found {}", HEADER.len(), record.len()),
        ));
    }
    let cell = |index: usize| -> Result<&str, RecordProblem> {
        std::str::from_utf8(&record[index]).map_err(|_| {
            (
                HEADER[index],
                String::from_utf8_lossy(&record[index]).into_owned(),
                "invalid UTF-8".to_string(),
            )
        })
    };
    let ticket_id = restore(cell(0)?);
    if ticket_id.is_empty() {
        return Err(("ticket_id", String::new(), "the ticket id is empty".into()));
    }
    let submitted_text = cell(1)?;
    let submitted_at = parse_utc(submitted_text).ok_or_else(|| {
        (
            "submitted_at",
            submitted_text.to_string(),
            "expected a UTC time such as 2026-07-01T09:30:00Z".to_string(),
        )
    })?;
    let rating_text = cell(2)?;
    let rating = match rating_text.parse::<u8>() {
        Ok(rating @ 1..=5) => rating,
        _ => {
            return Err((
                "rating",
                rating_text.to_string(),
                "expected a whole number from 1 to 5".to_string(),
            ))
        }
    };
    Ok(Answer {
        ticket_id: ticket_id.to_string(),
        submitted_at,
        rating,
        comment: restore(cell(3)?).to_string(),
    })
}

/// Parses `YYYY-MM-DDTHH:MM:SSZ`, the only form the writer produces.
pub fn parse_utc(text: &str) -> Option<Instant> {
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%SZ")
        .ok()
        .map(|time| time.and_utc().timestamp())
}

/// The bytes [`repair_torn_tail`] cut from the end of a survey file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TornTail {
    /// The file length after the repair.
    pub kept_bytes: u64,
    pub dropped_bytes: u64,
    /// The file the dropped bytes were appended to.
    pub copy: PathBuf,
}

/// Returns the path of the file that keeps bytes cut from a survey file: `<file>.torn`.
pub fn torn_copy_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(".torn");
    PathBuf::from(name)
}

/// Creates the survey file with its header when it is missing or holds only a partial header,
/// checks the header, and cuts a partial last record. The cut bytes are appended to
/// `<file>.torn` and fsynced before the file is truncated, so nothing is lost.
pub fn repair_torn_tail(path: &Path) -> Result<Option<TornTail>, StoreError> {
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(io_error("open", path))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)
        .map_err(io_error("read", path))?;
    let complete = if HEADER_LINE.as_bytes().starts_with(&bytes) {
        0
    } else if bytes.starts_with(HEADER_LINE.as_bytes()) {
        complete_prefix_len(&bytes)
    } else {
        // Not a survey file, perhaps a wrong `file` setting: leave it untouched.
        let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
        return Err(StoreError::Header {
            path: path.to_path_buf(),
            found: String::from_utf8_lossy(first_line).trim_end().to_string(),
        });
    };
    let torn = if complete < bytes.len() {
        let copy = torn_copy_path(path);
        let mut copy_file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&copy)
            .map_err(io_error("open", &copy))?;
        copy_file
            .write_all(&bytes[complete..])
            .and_then(|()| copy_file.sync_all())
            .map_err(io_error("write", &copy))?;
        file.set_len(complete as u64)
            .and_then(|()| file.sync_all())
            .map_err(io_error("truncate", path))?;
        Some(TornTail {
            kept_bytes: complete as u64,
            dropped_bytes: (bytes.len() - complete) as u64,
            copy,
        })
    } else {
        None
    };
    if complete == 0 {
        file.seek(SeekFrom::Start(0))
            .and_then(|_| file.write_all(HEADER_LINE.as_bytes()))
            .and_then(|()| file.sync_all())
            .map_err(io_error("write", path))?;
        sync_parent(path)?;
    }
    Ok(torn)
}

fn sync_parent(path: &Path) -> Result<(), StoreError> {
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    File::open(parent)
        .and_then(|dir| dir.sync_all())
        .map_err(io_error("sync", parent))
}

/// An answer could not be made durable; it was not acknowledged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("failed to save the answer: {0}")]
pub struct AppendError(pub String);

/// Somewhere answers are made durable; the server writes through this.
pub trait AnswerSink: Send + Sync {
    /// Returns once the answer is durable, or with the reason it is not.
    fn append(&self, answer: Answer) -> Result<(), AppendError>;
}

struct Job {
    answer: Answer,
    done: mpsc::Sender<Result<(), AppendError>>,
}

/// The single writer of a survey file, committing answers in groups.
pub struct AnswerLog {
    sender: Option<mpsc::Sender<Job>>,
    thread: Option<JoinHandle<()>>,
}

impl AnswerLog {
    /// Starts the writer thread for a file that [`repair_torn_tail`] has checked.
    pub fn start(path: &Path) -> Result<AnswerLog, StoreError> {
        let file = OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(io_error("open", path))?;
        let length = file
            .metadata()
            .map_err(io_error("read the size of", path))?
            .len();
        let (sender, receiver) = mpsc::channel::<Job>();
        let path = path.to_path_buf();
        let thread = std::thread::Builder::new()
            .name("survey-writer".to_string())
            .spawn(move || write_batches(file, length, &path, &receiver))
            .map_err(|source| StoreError::Io {
                action: "start the writer for",
                path: PathBuf::new(),
                source,
            })?;
        Ok(AnswerLog {
            sender: Some(sender),
            thread: Some(thread),
        })
    }

    /// Waits until every answer handed over so far is written, then stops the writer.
    pub fn close(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        drop(self.sender.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for AnswerLog {
    fn drop(&mut self) {
        self.shut_down();
    }
}

impl AnswerSink for AnswerLog {
    fn append(&self, answer: Answer) -> Result<(), AppendError> {
        let (done, result) = mpsc::channel();
        let sender = self
            .sender
            .as_ref()
            .ok_or_else(|| AppendError("the writer has stopped".to_string()))?;
        sender
            .send(Job { answer, done })
            .map_err(|_| AppendError("the writer has stopped".to_string()))?;
        result
            .recv()
            .unwrap_or_else(|_| Err(AppendError("the writer has stopped".to_string())))
    }
}

/// Runs the writer: takes every waiting answer, appends them in one write, fsyncs, acknowledges.
///
/// After a failed write the file is cut back to its last durable length, so a failure leaves
/// no partial record. When even that fails, the writer rejects every later answer rather than
/// append after bytes of unknown state.
fn write_batches(
    mut file: File,
    mut durable_len: u64,
    path: &Path,
    receiver: &mpsc::Receiver<Job>,
) {
    let mut broken: Option<String> = None;
    while let Ok(first) = receiver.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match receiver.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let result = match &broken {
            Some(reason) => Err(AppendError(reason.clone())),
            None => {
                let answers: Vec<Answer> = batch.iter().map(|job| job.answer.clone()).collect();
                let bytes = encode_records(&answers);
                match file.write_all(&bytes).and_then(|()| file.sync_data()) {
                    Ok(()) => {
                        durable_len += bytes.len() as u64;
                        Ok(())
                    }
                    Err(error) => {
                        eprintln!(
                            "slaudit: failed to append {} answers to {}: {error}",
                            batch.len(),
                            path.display()
                        );
                        if let Err(undo) = file.set_len(durable_len).and_then(|()| file.sync_all())
                        {
                            eprintln!(
                                "slaudit: failed to cut {} back to {durable_len} bytes: {undo}; refusing further answers",
                                path.display()
                            );
                            broken = Some(format!(
                                "the survey file is in an unknown state after {undo}"
                            ));
                        }
                        Err(AppendError(error.to_string()))
                    }
                }
            }
        };
        for job in batch {
            let _ = job.done.send(result.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(ticket: &str, at: Instant, rating: u8, comment: &str) -> Answer {
        Answer {
            ticket_id: ticket.to_string(),
            submitted_at: at,
            rating,
            comment: comment.to_string(),
        }
    }

    fn file_text(answers: &[Answer]) -> Vec<u8> {
        let mut bytes = HEADER_LINE.as_bytes().to_vec();
        bytes.extend(encode_records(answers));
        bytes
    }

    #[test]
    fn neutralise_prefixes_formula_starts() {
        for (cell, expected) in [
            ("=1+1", "'=1+1"),
            ("+33 1 23", "'+33 1 23"),
            ("-5", "'-5"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("'quoted", "''quoted"),
            ("fine = ok", "fine = ok"),
            ("", ""),
        ] {
            assert_eq!(neutralise(cell), expected, "{cell:?}");
            assert_eq!(restore(&neutralise(cell)), cell, "{cell:?}");
        }
    }

    #[test]
    fn records_are_written_as_documented() {
        let bytes = encode_records(&[
            answer("INC1", 1_782_898_200, 4, "Quick, \"great\" fix"),
            answer(
                "INC2",
                1_782_898_260,
                1,
                "=HYPERLINK(\"http://x\")\nline two",
            ),
        ]);
        let expected = "INC1,2026-07-01T09:30:00Z,4,\"Quick, \"\"great\"\" fix\"\n\
                        INC2,2026-07-01T09:31:00Z,1,\"'=HYPERLINK(\"\"http://x\"\")\nline two\"\n";
        assert_eq!(String::from_utf8(bytes).unwrap(), expected);
    }

    #[test]
    fn hostile_comments_round_trip() {
        let comments = [
            "<script>alert(1)</script>",
            "=HYPERLINK(\"http://evil.example\",\"click\")",
            "first line\nsecond line",
            "a, b, \"c\"",
            "'already quoted",
            "-2 stars",
            "\ttabbed",
            "",
            "ünïcödé ✓",
        ];
        let answers: Vec<Answer> = comments
            .iter()
            .enumerate()
            .map(|(i, c)| answer(&format!("T{i}"), 1_700_000_000 + i as i64, 3, c))
            .collect();
        let read = parse_answers(&file_text(&answers), Path::new("s.csv")).unwrap();
        assert_eq!(read.answers, answers);
        assert!(read.rejected.is_empty());
        assert_eq!(read.torn_tail_bytes, 0);
    }

    #[test]
    fn complete_prefix_ignores_newlines_inside_quotes() {
        assert_eq!(complete_prefix_len(b"a,b\nc,\"d\ne"), 4);
        assert_eq!(complete_prefix_len(b"a,b\nc,\"d\ne\"\n"), 12);
        assert_eq!(complete_prefix_len(b"a,\"\"\"x\"\"\"\n"), 10);
        assert_eq!(complete_prefix_len(b"no newline"), 0);
    }

    #[test]
    fn reader_skips_torn_tail() {
        let mut bytes = file_text(&[answer("T1", 1_700_000_000, 5, "ok")]);
        let whole = bytes.len();
        bytes.extend_from_slice(b"T2,2023-11-14T22:13:21Z,4,\"half a comment\nstill");
        let read = parse_answers(&bytes, Path::new("s.csv")).unwrap();
        assert_eq!(read.answers.len(), 1);
        assert_eq!(read.torn_tail_bytes, (bytes.len() - whole) as u64);
    }

    #[test]
    fn reader_reports_bad_records_with_line() {
        let text = "ticket_id,submitted_at,rating,comment\n\
                    T1,2026-07-01T09:30:00Z,6,\n\
                    T2,yesterday,3,\n\
                    T3,2026-07-01T09:30:00Z,2\n\
                    T4,2026-07-01T09:30:00Z,2,fine\n";
        let read = parse_answers(text.as_bytes(), Path::new("s.csv")).unwrap();
        assert_eq!(read.answers.len(), 1);
        assert_eq!(read.answers[0].ticket_id, "T4");
        assert_eq!(read.lines, vec![5]);
        let summary: Vec<(u64, &str, &str)> = read
            .rejected
            .iter()
            .map(|r| (r.line, r.column.as_str(), r.value.as_str()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (2, "rating", "6"),
                (3, "submitted_at", "yesterday"),
                (4, "", "T3,2026-07-01T09:30:00Z,2"),
            ]
        );
    }

    #[test]
    fn reader_rejects_foreign_header() {
        let error = parse_answers(b"id,score\n1,5\n", Path::new("s.csv")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "s.csv:1: invalid header `id,score`: expected `ticket_id,submitted_at,rating,comment`; is this the survey answers file?"
        );
    }

    #[test]
    fn repair_leaves_foreign_file_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tickets.csv");
        std::fs::write(&path, "number,opened\nINC1,2026-07-01").unwrap();
        let error = repair_torn_tail(&path).unwrap_err();
        assert!(
            error.to_string().contains("invalid header `number,opened`"),
            "{error}"
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "number,opened\nINC1,2026-07-01"
        );
        assert!(!torn_copy_path(&path).exists());
    }

    #[test]
    fn repair_creates_missing_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("surveys.csv");
        assert_eq!(repair_torn_tail(&path).unwrap(), None);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), HEADER_LINE);
    }

    #[test]
    fn repair_completes_partial_header() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("surveys.csv");
        std::fs::write(&path, "ticket_id,subm").unwrap();
        let torn = repair_torn_tail(&path).unwrap().unwrap();
        assert_eq!(torn.dropped_bytes, 14);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), HEADER_LINE);
        assert_eq!(
            std::fs::read_to_string(torn.copy).unwrap(),
            "ticket_id,subm"
        );
    }

    #[test]
    fn repair_cuts_partial_record_and_keeps_copy() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("surveys.csv");
        let good = file_text(&[answer("T1", 1_700_000_000, 5, "two\nlines")]);
        let tail = b"T2,2023-11-14T22:13:21Z,4,\"cut\nhere";
        let mut bytes = good.clone();
        bytes.extend_from_slice(tail);
        std::fs::write(&path, &bytes).unwrap();

        let torn = repair_torn_tail(&path).unwrap().unwrap();

        assert_eq!(torn.kept_bytes, good.len() as u64);
        assert_eq!(torn.dropped_bytes, tail.len() as u64);
        assert_eq!(std::fs::read(&path).unwrap(), good);
        assert_eq!(std::fs::read(torn_copy_path(&path)).unwrap(), tail);
        assert_eq!(
            repair_torn_tail(&path).unwrap(),
            None,
            "a second run finds nothing"
        );
    }

    #[test]
    fn log_appends_durably_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("surveys.csv");
        repair_torn_tail(&path).unwrap();
        let log = AnswerLog::start(&path).unwrap();
        let answers: Vec<Answer> = (0..20)
            .map(|i| answer(&format!("T{i}"), 1_700_000_000 + i, 1 + (i % 5) as u8, "x"))
            .collect();
        std::thread::scope(|scope| {
            for chunk in answers.chunks(5) {
                let log = &log;
                scope.spawn(move || {
                    for answer in chunk {
                        log.append(answer.clone()).unwrap();
                    }
                });
            }
        });
        log.close();
        let mut read = read_answers(&path).unwrap().answers;
        read.sort_by(|a, b| a.ticket_id.cmp(&b.ticket_id));
        let mut expected = answers.clone();
        expected.sort_by(|a, b| a.ticket_id.cmp(&b.ticket_id));
        assert_eq!(read, expected);
    }
}
