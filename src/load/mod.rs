//! Loading: reading and decoding input files into CSV records with their line numbers.
//!
//! A [`Table`] streams one CSV file: it detects the encoding from a byte-order mark (UTF-8,
//! UTF-16 LE/BE) or takes the declared one (Windows-1252), consumes an Excel `sep=` first line,
//! detects the delimiter among `,` `;` tab and `|`, trims header names, and hashes the raw bytes
//! as they stream past for the manifest. Text that is not valid UTF-8 is an error on its line,
//! never replaced silently.

mod decode;

use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::config::Encoding;

/// An input file as recorded in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputFile {
    /// The path as written in the config, relative to the project folder.
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
    /// Data rows, not counting the header.
    pub rows: u64,
}

/// A problem with an input file, located as precisely as the input allows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct InputError {
    pub file: String,
    /// 1-based line of the file, when the problem is on one line.
    pub line: Option<u64>,
    /// The column's name, when the problem is in one cell.
    pub column: Option<String>,
    /// The column's 1-based position in the row, when known.
    pub field: Option<usize>,
    pub message: String,
    /// Whether only this row is unreadable, so that reading can go on past it with the row
    /// rejected, as for a row whose fields do not line up with the header.
    pub skips_row: bool,
}

impl InputError {
    pub fn new(
        file: &str,
        line: Option<u64>,
        column: Option<&str>,
        message: impl Into<String>,
    ) -> InputError {
        InputError {
            skips_row: false,
            file: file.to_string(),
            line,
            column: column.map(str::to_string),
            field: None,
            message: message.into(),
        }
    }

    /// Places the problem in the column at 1-based position `field`.
    pub fn at_field(mut self, field: usize) -> InputError {
        self.field = Some(field);
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(field) = self.field {
                write!(f, ":{field}")?;
            }
        }
        f.write_str(": ")?;
        if let Some(column) = &self.column {
            write!(f, "column `{column}`: ")?;
        }
        f.write_str(&self.message)
    }
}

/// How to read one CSV file.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    pub encoding: Encoding,
    /// Default: detected.
    pub delimiter: Option<u8>,
}

/// Reads a configured delimiter, which must be one ASCII character; `table` names the config
/// table it came from, such as `[events]`.
pub fn delimiter_byte(
    file: &str,
    delimiter: Option<char>,
    table: &str,
) -> Result<Option<u8>, InputError> {
    match delimiter {
        Some(c) if c.is_ascii() => Ok(Some(c as u8)),
        Some(c) => Err(InputError::new(
            file,
            None,
            None,
            format!("invalid delimiter `{c}` in {table}: expected one ASCII character"),
        )),
        None => Ok(None),
    }
}

/// One data row of a table.
pub struct Row<'a> {
    /// The 1-based line of the file on which the row starts.
    pub line: u64,
    pub record: &'a csv::ByteRecord,
}

impl<'a> Row<'a> {
    /// Returns the text of a cell; `None` past the end of a short row.
    pub fn get(&self, index: usize) -> Option<&'a [u8]> {
        self.record.get(index)
    }
}

/// Counts the bytes and hashes them as the file is read.
#[derive(Default)]
struct Digestion {
    hasher: Sha256,
    bytes: u64,
}

/// Bytes read from the file per block.
const BLOCK_BYTES: usize = 1 << 20;

/// Blocks read ahead of the parser.
const BLOCKS_AHEAD: usize = 4;

/// Reads a file on a thread of its own, hashing each block before handing it on, so that
/// reading and hashing run beside the parsing instead of before it. The thread stops at the
/// end of the file, on a read error (passed on), or when the reader is dropped.
struct BackgroundReader {
    blocks: std::sync::mpsc::Receiver<std::io::Result<Vec<u8>>>,
    block: Vec<u8>,
    position: usize,
}

impl BackgroundReader {
    fn spawn(mut file: File, digestion: Arc<Mutex<Digestion>>) -> BackgroundReader {
        let (sender, blocks) = std::sync::mpsc::sync_channel(BLOCKS_AHEAD);
        std::thread::spawn(move || loop {
            let mut block = vec![0u8; BLOCK_BYTES];
            let mut filled = 0;
            while filled < block.len() {
                match file.read(&mut block[filled..]) {
                    Ok(0) => break,
                    Ok(read) => filled += read,
                    Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(error) => {
                        let _ = sender.send(Err(error));
                        return;
                    }
                }
            }
            block.truncate(filled);
            {
                let mut digestion = digestion.lock().unwrap_or_else(|e| e.into_inner());
                digestion.hasher.update(&block);
                digestion.bytes += filled as u64;
            }
            if filled == 0 || sender.send(Ok(block)).is_err() {
                return;
            }
        });
        BackgroundReader {
            blocks,
            block: Vec::new(),
            position: 0,
        }
    }
}

impl Read for BackgroundReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.position == self.block.len() {
            match self.blocks.recv() {
                Ok(Ok(block)) => {
                    self.block = block;
                    self.position = 0;
                }
                Ok(Err(error)) => return Err(error),
                // The thread has hashed every block and ended.
                Err(_) => return Ok(0),
            }
        }
        let count = buf.len().min(self.block.len() - self.position);
        buf[..count].copy_from_slice(&self.block[self.position..self.position + count]);
        self.position += count;
        Ok(count)
    }
}

/// Remembers where the lines that hold data start in the decoded text, so that a record's
/// byte offset gives its exact line whatever the line endings. The csv crate places a
/// record's start anywhere in the run of line endings and blank lines before it (on the `\n`
/// of a CRLF, on a skipped blank line). Its own line count is one short for records that
/// follow a CRLF. The first line start at or after that offset is the record's.
#[derive(Default)]
struct NewlineIndex {
    /// Starts of lines that hold data, each with the number of newlines before it, in
    /// increasing order, not yet passed by a lookup.
    starts: std::collections::VecDeque<(u64, u64)>,
    /// Newlines seen so far.
    newlines: u64,
    /// Decoded bytes seen so far.
    offset: u64,
    /// Whether the bytes read so far end with a newline followed only by carriage returns, so
    /// that the next byte that is neither starts a line.
    in_line_break: bool,
    /// Whether any byte was read, because the text's first byte starts a line too.
    started: bool,
}

impl NewlineIndex {
    /// Notes the line starts in the next chunk of decoded text.
    fn scan(&mut self, chunk: &[u8]) {
        let base = self.offset;
        if !self.started {
            self.started = true;
            self.in_line_break = true;
        }
        if self.in_line_break {
            self.line_start_from(chunk, base, 0);
        }
        for position in memchr::memchr_iter(b'\n', chunk) {
            self.newlines += 1;
            self.line_start_from(chunk, base, position + 1);
        }
        self.offset += chunk.len() as u64;
    }

    /// Records the line that starts at `from`, after any carriage returns, unless it is blank.
    fn line_start_from(&mut self, chunk: &[u8], base: u64, from: usize) {
        let mut index = from;
        while chunk.get(index) == Some(&b'\r') {
            index += 1;
        }
        match chunk.get(index) {
            None => self.in_line_break = true,
            Some(b'\n') => self.in_line_break = false,
            Some(_) => {
                self.in_line_break = false;
                self.starts.push_back((base + index as u64, self.newlines));
            }
        }
    }

    /// Returns the 1-based line of a record that the csv crate places at `byte`. Lookups must
    /// come in increasing order.
    fn line_of(&mut self, byte: u64) -> u64 {
        while self.starts.front().is_some_and(|&(start, _)| start < byte) {
            self.starts.pop_front();
        }
        match self.starts.front() {
            Some(&(_, newlines)) => newlines + 1,
            None => self.newlines + 1,
        }
    }
}

struct IndexingReader<R> {
    inner: R,
    index: Arc<Mutex<NewlineIndex>>,
}

impl<R: Read> Read for IndexingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buf)?;
        let mut index = self.index.lock().unwrap_or_else(|e| e.into_inner());
        index.scan(&buf[..read]);
        Ok(read)
    }
}

/// Records parsed per batch handed from the parsing thread to the reader.
const BATCH_RECORDS: usize = 512;

/// An item the parsing thread hands on: a record with its line, or a problem with one line.
enum Parsed {
    Record(u64, csv::ByteRecord),
    Problem(InputError),
}

/// A CSV file being read record by record.
///
/// The header is read when the file is opened; the records after it are parsed on a thread
/// of their own (and the file is read and hashed on another), so that splitting records and
/// checking their text runs beside whatever the caller does with each row.
pub struct Table {
    file: String,
    headers: Vec<String>,
    /// Lines consumed before the CSV reader saw the data, such as a `sep=` line.
    line_offset: u64,
    rows: u64,
    digestion: Arc<Mutex<Digestion>>,
    batches: std::sync::mpsc::Receiver<Vec<Parsed>>,
    /// Records already read, sent back to the parsing thread to reuse their memory.
    recycle: std::sync::mpsc::Sender<Vec<csv::ByteRecord>>,
    spent: Vec<csv::ByteRecord>,
    batch: std::vec::IntoIter<Parsed>,
    record: csv::ByteRecord,
    pub delimiter: u8,
    pub encoding_label: &'static str,
}

impl Table {
    /// Opens a CSV file; `file` is the name used in messages and the manifest.
    pub fn open(path: &Path, file: &str, options: &ReadOptions) -> Result<Table, InputError> {
        let handle = File::open(path).map_err(|error| {
            InputError::new(
                file,
                None,
                None,
                format!("failed to open the file: {error}"),
            )
        })?;
        let digestion = Arc::new(Mutex::new(Digestion::default()));
        let hashing = BackgroundReader::spawn(handle, Arc::clone(&digestion));
        let decoded = decode::decode(Box::new(hashing), options.encoding)
            .map_err(|error| InputError::new(file, None, None, error))?;
        let delimiter = options
            .delimiter
            .or(decoded.sep_line)
            .unwrap_or(decoded.detected_delimiter);
        let newlines = Arc::new(Mutex::new(NewlineIndex::default()));
        let indexing: Box<dyn Read + Send> = Box::new(IndexingReader {
            inner: decoded.reader,
            index: Arc::clone(&newlines),
        });
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(indexing);
        let mut header = csv::ByteRecord::new();
        let line_offset = u64::from(decoded.sep_line.is_some());
        let has_header = reader
            .read_byte_record(&mut header)
            .map_err(|error| csv_error(file, line_offset, &error))?;
        if !has_header {
            return Err(InputError::new(
                file,
                None,
                None,
                "the file is empty: expected a header row naming the columns",
            ));
        }
        let mut headers = Vec::with_capacity(header.len());
        for (index, name) in header.iter().enumerate() {
            let name = std::str::from_utf8(name).map_err(|_| {
                InputError::new(
                    file,
                    Some(line_offset + 1),
                    None,
                    format!(
                        "header of column {} is not valid UTF-8; {}",
                        index + 1,
                        decode::ENCODING_HINT
                    ),
                )
            })?;
            headers.push(name.trim().to_string());
        }
        let (batches, recycle) = spawn_parser(
            reader,
            newlines,
            file.to_string(),
            headers.clone(),
            line_offset,
        );
        Ok(Table {
            file: file.to_string(),
            headers,
            line_offset,
            rows: 0,
            digestion,
            batches,
            recycle,
            spent: Vec::with_capacity(BATCH_RECORDS),
            batch: Vec::new().into_iter(),
            record: csv::ByteRecord::new(),
            delimiter,
            encoding_label: decoded.label,
        })
    }

    pub fn file(&self) -> &str {
        &self.file
    }

    /// Returns the line of the header row: 1, or 2 after an Excel `sep=` line.
    pub fn header_line(&self) -> u64 {
        self.line_offset + 1
    }

    /// Column names with surrounding whitespace trimmed, in file order.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// Returns the index of the first column with this name, compared without case.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers
            .iter()
            .position(|header| header.eq_ignore_ascii_case(name))
    }

    /// Returns every column with this name, for multi-valued fields exported as repeated headers.
    pub fn columns(&self, name: &str) -> Vec<usize> {
        (0..self.headers.len())
            .filter(|&index| self.headers[index].eq_ignore_ascii_case(name))
            .collect()
    }

    /// Reads the next data row, or `None` at the end of the file.
    pub fn next_row(&mut self) -> Result<Option<Row<'_>>, InputError> {
        loop {
            match self.batch.next() {
                Some(Parsed::Record(line, record)) => {
                    let spent = std::mem::replace(&mut self.record, record);
                    self.spent.push(spent);
                    self.rows += 1;
                    return Ok(Some(Row {
                        line,
                        record: &self.record,
                    }));
                }
                Some(Parsed::Problem(problem)) => {
                    // A row-level problem stands for one data row the caller leaves out.
                    if problem.line.is_some() {
                        self.rows += 1;
                    }
                    return Err(problem);
                }
                None => match self.batches.recv() {
                    Ok(batch) => {
                        self.batch = batch.into_iter();
                        let spent =
                            std::mem::replace(&mut self.spent, Vec::with_capacity(BATCH_RECORDS));
                        let _ = self.recycle.send(spent);
                    }
                    // The parsing thread ended: the file is read to its end.
                    Err(_) => return Ok(None),
                },
            }
        }
    }

    /// Reads what is left of the file so that its hash covers every byte, and returns its
    /// manifest entry.
    pub fn finish(self) -> Result<InputFile, InputError> {
        // The parsing thread reads to the end of the file, so its channel closes only after
        // every byte was hashed.
        for batch in self.batches.iter() {
            for parsed in batch {
                if let Parsed::Problem(problem) = parsed {
                    if problem.line.is_none() {
                        return Err(problem);
                    }
                }
            }
        }
        let digestion = self.digestion.lock().unwrap_or_else(|e| e.into_inner());
        let digest = digestion.hasher.clone().finalize();
        Ok(InputFile {
            path: self.file.clone(),
            sha256: digest.iter().map(|byte| format!("{byte:02x}")).collect(),
            bytes: digestion.bytes,
            rows: self.rows,
        })
    }
}

/// Starts the thread that splits the records after the header, numbers their lines and
/// checks that their text is UTF-8.
fn spawn_parser(
    mut reader: csv::Reader<Box<dyn Read + Send>>,
    newlines: Arc<Mutex<NewlineIndex>>,
    file: String,
    headers: Vec<String>,
    line_offset: u64,
) -> (
    std::sync::mpsc::Receiver<Vec<Parsed>>,
    std::sync::mpsc::Sender<Vec<csv::ByteRecord>>,
) {
    let (sender, batches) = std::sync::mpsc::sync_channel::<Vec<Parsed>>(4);
    let (recycle, spent) = std::sync::mpsc::channel::<Vec<csv::ByteRecord>>();
    let mut spare: Vec<csv::ByteRecord> = Vec::new();
    std::thread::spawn(move || loop {
        while let Ok(records) = spent.try_recv() {
            spare.extend(records);
        }
        let mut batch = Vec::with_capacity(BATCH_RECORDS);
        while batch.len() < BATCH_RECORDS {
            let mut record = spare.pop().unwrap_or_default();
            match reader.read_byte_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(error) => {
                    let problem = csv_error(&file, line_offset, &error);
                    let fatal = problem.line.is_none();
                    batch.push(Parsed::Problem(problem));
                    if fatal {
                        let _ = sender.send(batch);
                        return;
                    }
                    continue;
                }
            }
            let byte = record.position().map_or(0, |p| p.byte());
            let line = newlines
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .line_of(byte)
                + line_offset;
            if record.len() == 1 && record.get(0).is_some_and(<[u8]>::is_empty) {
                // A blank line carries no data; the csv crate reports it as one empty field.
                spare.push(record);
                continue;
            }
            if std::str::from_utf8(record.as_slice()).is_err() {
                batch.push(Parsed::Problem(invalid_utf8(
                    &file, &headers, &record, line,
                )));
                spare.push(record);
                continue;
            }
            if let Some(problem) = misshapen(&file, headers.len(), &record, line) {
                batch.push(Parsed::Problem(problem));
                spare.push(record);
                continue;
            }
            batch.push(Parsed::Record(line, record));
        }
        let finished = batch.len() < BATCH_RECORDS;
        if batch.is_empty() || sender.send(batch).is_err() || finished {
            return;
        }
    });
    (batches, recycle)
}

/// Finds a row whose fields do not line up with the header: more fields than the header with
/// something in the extra ones (an unquoted delimiter shifts every later column), or fewer
/// fields where a field spans lines (an unbalanced quote joins the rows after it into one).
/// A short row without line breaks only lacks trailing empty cells and is kept.
fn misshapen(
    file: &str,
    columns: usize,
    record: &csv::ByteRecord,
    line: u64,
) -> Option<InputError> {
    let found = record.len();
    let extra = record.iter().skip(columns).any(|cell| !cell.is_empty());
    let line_breaks: usize = record
        .iter()
        .map(|cell| memchr::memchr_iter(b'\n', cell).count())
        .sum();
    let message = if extra {
        format!(
            "the row has {found} fields but the header has {columns}: an unquoted delimiter in a value, or an \
             extra delimiter, shifts the columns after it; quote the value or remove the delimiter"
        )
    } else if found < columns && line_breaks > 0 {
        // A quote left open to the end of the file takes the file's last line break into its
        // field. That break ends the last line rather than starting another.
        let trailing = record
            .iter()
            .next_back()
            .is_some_and(|cell| cell.ends_with(b"\n"));
        let last = line + (line_breaks - usize::from(trailing)) as u64;
        let span = if last > line {
            format!("runs over lines {line} to {last}")
        } else {
            "is never closed".to_string()
        };
        format!(
            "the row has {found} fields but the header has {columns}, and a quoted field {span}: an \
             unbalanced quote has probably joined the rows after it into this one; close the quote"
        )
    } else {
        return None;
    };
    let mut problem = InputError::new(file, Some(line), None, message);
    problem.skips_row = true;
    Some(problem)
}

/// Names the first cell of a record that is not valid UTF-8.
fn invalid_utf8(file: &str, headers: &[String], record: &csv::ByteRecord, line: u64) -> InputError {
    for (index, cell) in record.iter().enumerate() {
        if let Err(error) = std::str::from_utf8(cell) {
            let column = headers.get(index).map(String::as_str);
            let bad = cell.get(error.valid_up_to()).copied().unwrap_or(0);
            let place = if error.valid_up_to() == 0 {
                "at the start of the cell".to_string()
            } else {
                format!(
                    "after `{}`",
                    String::from_utf8_lossy(&cell[..error.valid_up_to()])
                )
            };
            return InputError::new(
                file,
                Some(line),
                column,
                format!(
                    "not valid UTF-8 (byte 0x{bad:02X} {place}); {}",
                    decode::ENCODING_HINT
                ),
            )
            .at_field(index + 1);
        }
    }
    InputError::new(
        file,
        Some(line),
        None,
        format!("not valid UTF-8; {}", decode::ENCODING_HINT),
    )
}

fn csv_error(file: &str, line_offset: u64, error: &csv::Error) -> InputError {
    let line = error.position().map(|p| p.line() + line_offset);
    let message = match error.kind() {
        csv::ErrorKind::Io(io) => format!("failed to read the file: {io}"),
        _ => format!("invalid CSV: {error}"),
    };
    InputError::new(file, line, None, message)
}

/// Reads a cell as text; `Table::next_row` has already checked that every cell is UTF-8.
pub fn text(cell: &[u8]) -> &str {
    std::str::from_utf8(cell).unwrap_or("")
}

#[cfg(test)]
mod tests;
