//! Byte-level decoding of a CSV file before the CSV parser sees it: byte-order marks,
//! UTF-16 and Windows-1252 transcoding, the Excel `sep=` line and delimiter detection.

use std::io::{Cursor, Read};

use encoding_rs_io::DecodeReaderBytesBuilder;

use crate::config::Encoding;

/// The advice given with every invalid UTF-8 error.
pub const ENCODING_HINT: &str =
    "save the file as UTF-8, or declare its encoding, e.g. encoding = \"windows-1252\"";

/// How many decoded bytes are inspected to find the `sep=` line and the delimiter.
const SAMPLE_BYTES: usize = 64 * 1024;

/// The delimiters detection chooses among, in order of preference on a tie.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

pub struct Decoded {
    /// UTF-8 text (unless the file lies about its encoding) without a byte-order mark or `sep=` line.
    pub reader: Box<dyn Read + Send>,
    /// The delimiter an Excel `sep=` first line declared.
    pub sep_line: Option<u8>,
    /// The delimiter that occurs most often in the header line.
    pub detected_delimiter: u8,
    /// The encoding as found, for messages and the manifest.
    pub label: &'static str,
}

pub fn decode(mut raw: Box<dyn Read + Send>, encoding: Encoding) -> Result<Decoded, String> {
    let mut head = Vec::with_capacity(SAMPLE_BYTES);
    (&mut raw)
        .take(SAMPLE_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(|error| format!("failed to read the file: {error}"))?;
    let has_bom = head.starts_with(&[0xEF, 0xBB, 0xBF])
        || head.starts_with(&[0xFF, 0xFE])
        || head.starts_with(&[0xFE, 0xFF]);
    if !has_bom {
        check_unmarked_encoding(&head, encoding)?;
    }
    let rest = Cursor::new(head.clone()).chain(raw);
    let (mut reader, label): (Box<dyn Read + Send>, &'static str) =
        if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
            let mut reader = rest;
            let mut bom = [0u8; 3];
            reader
                .read_exact(&mut bom)
                .map_err(|error| format!("failed to read the file: {error}"))?;
            (Box::new(reader), "UTF-8 with BOM")
        } else if head.starts_with(&[0xFF, 0xFE]) {
            let reader = DecodeReaderBytesBuilder::new()
                .encoding(Some(encoding_rs::UTF_16LE))
                .bom_sniffing(true)
                .build(rest);
            (Box::new(reader), "UTF-16 LE")
        } else if head.starts_with(&[0xFE, 0xFF]) {
            let reader = DecodeReaderBytesBuilder::new()
                .encoding(Some(encoding_rs::UTF_16BE))
                .bom_sniffing(true)
                .build(rest);
            (Box::new(reader), "UTF-16 BE")
        } else if encoding == Encoding::Windows1252 {
            let reader = DecodeReaderBytesBuilder::new()
                .encoding(Some(encoding_rs::WINDOWS_1252))
                .bom_sniffing(false)
                .build(rest);
            (Box::new(reader), "Windows-1252")
        } else {
            (Box::new(rest), "UTF-8")
        };

    let mut sample = Vec::with_capacity(SAMPLE_BYTES);
    (&mut reader)
        .take(SAMPLE_BYTES as u64)
        .read_to_end(&mut sample)
        .map_err(|error| format!("failed to read the file: {error}"))?;
    let (sep_line, skip) = sep_line(&sample);
    let detected_delimiter = detect_delimiter(&sample[skip..]);
    let reader = Box::new(Cursor::new(sample).chain(reader));
    let mut reader: Box<dyn Read + Send> = reader;
    if skip > 0 {
        let mut discard = vec![0u8; skip];
        reader
            .read_exact(&mut discard)
            .map_err(|error| format!("failed to read the file: {error}"))?;
    }
    Ok(Decoded {
        reader,
        sep_line,
        detected_delimiter,
        label,
    })
}

/// Catches the two encodings that would otherwise be read as garbage without an error: UTF-16
/// without a byte-order mark (every other byte of text is a NUL), and UTF-8 text declared as
/// Windows-1252 (which would turn `é` into `Ã©`).
fn check_unmarked_encoding(head: &[u8], encoding: Encoding) -> Result<(), String> {
    let first_line = &head[..memchr::memchr(b'\n', head).unwrap_or(head.len())];
    let nuls = first_line.iter().filter(|&&byte| byte == 0).count();
    if nuls > 0 && nuls * 3 >= first_line.len() {
        return Err(
            "the file looks like UTF-16 without a byte-order mark (its first line is half NUL bytes); save it as \
             UTF-8, or as UTF-16 with a byte-order mark (Excel's \"Unicode text\")"
                .to_string(),
        );
    }
    if encoding == Encoding::Windows1252 {
        let utf8 = match std::str::from_utf8(head) {
            Ok(_) => true,
            // The sample may end inside a character; what comes before must still be valid.
            Err(error) => error.error_len().is_none(),
        };
        if utf8 && head.iter().any(|&byte| byte >= 0x80) {
            return Err(
                "the file is declared windows-1252 but reads as UTF-8, so its accented letters would be garbled; \
                 remove encoding = \"windows-1252\" from the config"
                    .to_string(),
            );
        }
    }
    Ok(())
}

/// Recognises an Excel `sep=X` first line; returns the delimiter and the bytes to skip.
fn sep_line(sample: &[u8]) -> (Option<u8>, usize) {
    let end = memchr::memchr(b'\n', sample).unwrap_or(sample.len());
    let line = sample[..end].strip_suffix(b"\r").unwrap_or(&sample[..end]);
    match line {
        [s, e, p, b'=', delimiter]
            if [s, e, p].map(u8::to_ascii_lowercase) == [b's', b'e', b'p'] =>
        {
            (Some(*delimiter), (end + 1).min(sample.len()))
        }
        _ => (None, 0),
    }
}

/// Picks the candidate delimiter that occurs most often, outside quotes, in the first line.
fn detect_delimiter(sample: &[u8]) -> u8 {
    let mut counts = [0usize; DELIMITERS.len()];
    let mut quoted = false;
    for &byte in sample {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                if let Some(index) = DELIMITERS.iter().position(|&d| d == byte) {
                    counts[index] += 1;
                }
            }
            _ => {}
        }
    }
    let mut best = 0;
    for index in 1..DELIMITERS.len() {
        if counts[index] > counts[best] {
            best = index;
        }
    }
    DELIMITERS[best]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded_text(bytes: &[u8], encoding: Encoding) -> (String, Decoded) {
        let mut decoded = decode(Box::new(Cursor::new(bytes.to_vec())), encoding).unwrap();
        let mut text = String::new();
        decoded.reader.read_to_string(&mut text).unwrap();
        (text, decoded)
    }

    #[test]
    fn strips_utf8_bom() {
        let (text, decoded) = decoded_text(b"\xEF\xBB\xBFticket_id,subject\n", Encoding::Utf8);
        assert_eq!(text, "ticket_id,subject\n");
        assert_eq!(decoded.label, "UTF-8 with BOM");
    }

    #[test]
    fn transcodes_utf16_both_orders() {
        let text = "Id\tName\nT-1\tBüro\n";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for unit in text.encode_utf16() {
            le.extend_from_slice(&unit.to_le_bytes());
            be.extend_from_slice(&unit.to_be_bytes());
        }
        let (decoded_le, info) = decoded_text(&le, Encoding::Utf8);
        assert_eq!(decoded_le, text);
        assert_eq!(info.detected_delimiter, b'\t');
        let (decoded_be, _) = decoded_text(&be, Encoding::Utf8);
        assert_eq!(decoded_be, text);
    }

    #[test]
    fn declared_windows_1252_is_transcoded() {
        let (text, _) = decoded_text(b"a,b\nT-24002,Drucker im B\xFCro\n", Encoding::Windows1252);
        assert_eq!(text, "a,b\nT-24002,Drucker im Büro\n");
    }

    #[test]
    fn utf16_without_bom_is_an_error() {
        let mut bytes = Vec::new();
        for unit in "id,name\nT-1,a\n".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let error = decode(Box::new(Cursor::new(bytes)), Encoding::Utf8)
            .err()
            .unwrap();
        assert!(
            error.starts_with("the file looks like UTF-16 without a byte-order mark"),
            "{error}"
        );
    }

    #[test]
    fn utf8_declared_windows_1252_is_an_error() {
        let error = decode(
            Box::new(Cursor::new("a,b\nT-1,Matériel\n".as_bytes().to_vec())),
            Encoding::Windows1252,
        )
        .err()
        .unwrap();
        assert!(
            error.starts_with("the file is declared windows-1252 but reads as UTF-8"),
            "{error}"
        );
        // Plain ASCII reads the same either way.
        assert!(decode(
            Box::new(Cursor::new(b"a,b\nT-1,x\n".to_vec())),
            Encoding::Windows1252
        )
        .is_ok());
    }

    #[test]
    fn consumes_sep_line() {
        let (text, decoded) =
            decoded_text(b"sep=;\r\nTicket;Erstellt\r\nT-1;x\r\n", Encoding::Utf8);
        assert_eq!(text, "Ticket;Erstellt\r\nT-1;x\r\n");
        assert_eq!(decoded.sep_line, Some(b';'));
    }

    #[test]
    fn detects_each_delimiter() {
        assert_eq!(detect_delimiter(b"a,b,c\n"), b',');
        assert_eq!(detect_delimiter(b"a;b;c\n1,5;2\n"), b';');
        assert_eq!(detect_delimiter(b"a\tb\tc"), b'\t');
        assert_eq!(detect_delimiter(b"a|b|c\n"), b'|');
        assert_eq!(detect_delimiter(b"\"x;y;z\",b\n"), b',');
        assert_eq!(detect_delimiter(b"single\n"), b',');
    }
}
