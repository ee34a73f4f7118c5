use std::io::Write;

use super::*;

fn table(
    bytes: &[u8],
    options: &ReadOptions,
) -> (tempfile::NamedTempFile, Result<Table, InputError>) {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(bytes).unwrap();
    let table = Table::open(file.path(), "tickets.csv", options);
    (file, table)
}

fn rows(table: &mut Table) -> Vec<(u64, Vec<String>)> {
    let mut rows = Vec::new();
    while let Some(row) = table.next_row().unwrap() {
        rows.push((
            row.line,
            row.record.iter().map(|c| text(c).to_string()).collect(),
        ));
    }
    rows
}

#[test]
fn quoted_line_breaks_keep_records_whole() {
    let csv = "ticket_id,created_at,status,description\r\n\
        T-26001,2024-02-12T09:00:00Z,resolved,\"Printer jams\r\non page 2\"\r\n\
        T-26002,2024-02-12T09:30:00Z,open,\"Line one\r\nLine two, with comma\r\nLine \"\"three\"\"\"\r\n\
        T-26003,2024-02-12T10:00:00Z,resolved,Simple\r\n";
    let (_file, table) = table(csv.as_bytes(), &ReadOptions::default());
    let mut table = table.unwrap();
    let rows = rows(&mut table);
    assert_eq!(rows.len(), 3);
    assert_eq!(
        rows[1].1[3],
        "Line one\r\nLine two, with comma\r\nLine \"three\""
    );
    assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), vec![2, 4, 7]);
}

#[test]
fn bare_lf_inside_quoted_crlf_file() {
    let csv = "id,text\r\nA,\"one\ntwo\"\r\nB,three\r\n";
    let (_file, table) = table(csv.as_bytes(), &ReadOptions::default());
    let rows = rows(&mut table.unwrap());
    assert_eq!(rows[0].1, vec!["A", "one\ntwo"]);
    assert_eq!(rows[1], (4, vec!["B".to_string(), "three".to_string()]));
}

#[test]
fn invalid_utf8_names_line_and_column() {
    let (_file, table) = table(
        b"ticket_id,subject\nT-24001,ok\nT-24002,Drucker im B\xFCro\n",
        &ReadOptions::default(),
    );
    let mut table = table.unwrap();
    assert!(table.next_row().unwrap().is_some());
    let error = table.next_row().err().unwrap();
    assert_eq!(
        error.to_string(),
        "tickets.csv:3:2: column `subject`: not valid UTF-8 (byte 0xFC after `Drucker im B`); \
         save the file as UTF-8, or declare its encoding, e.g. encoding = \"windows-1252\""
    );
}

#[test]
fn invalid_utf8_at_cell_start() {
    let (_file, table) = table(
        b"ticket_id,subject\nT-24001,\xC4rger\n",
        &ReadOptions::default(),
    );
    let error = table.unwrap().next_row().err().unwrap();
    assert!(
        error
            .to_string()
            .starts_with("tickets.csv:2:2: column `subject`: not valid UTF-8 (byte 0xC4 at the start of the cell);"),
        "{error}"
    );
}

/// A row left out for its shape still counts among the file's rows, and the message names
/// the lines an unbalanced quote joined.
#[test]
fn misshapen_rows_counted_and_placed() {
    let (_file, table) = table(
        b"id,title,state\nT1,ok,New\nT2,\"broken,New\nT3,ok,New\nT4,ok,New\n",
        &ReadOptions::default(),
    );
    let mut table = table.unwrap();
    assert!(table.next_row().unwrap().is_some());
    let error = table.next_row().err().unwrap();
    assert!(
        error
            .to_string()
            .contains("a quoted field runs over lines 3 to 5: an unbalanced quote"),
        "{error}"
    );
    assert!(table.next_row().unwrap().is_none());
    assert_eq!(table.finish().unwrap().rows, 2);
}

#[test]
fn sep_line_sets_delimiter_and_shifts_lines() {
    let csv = "sep=;\nTicket;Erstellt;Aufwand (h)\nT-25001;05.02.2024 09:15;2,5\nT-25002;05.02.2024 13:00;5,5\n";
    let (_file, table) = table(csv.as_bytes(), &ReadOptions::default());
    let mut table = table.unwrap();
    assert_eq!(table.headers(), ["Ticket", "Erstellt", "Aufwand (h)"]);
    let rows = rows(&mut table);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].0, 3);
    assert_eq!(rows[1].1, vec!["T-25002", "05.02.2024 13:00", "5,5"]);
}

#[test]
fn headers_are_trimmed_and_repeats_kept() {
    let csv = " Issue key ,Labels,Labels,\nSD-1,a,b,\n";
    let (_file, table) = table(csv.as_bytes(), &ReadOptions::default());
    let table = table.unwrap();
    assert_eq!(table.headers(), ["Issue key", "Labels", "Labels", ""]);
    assert_eq!(table.column("issue KEY"), Some(0));
    assert_eq!(table.columns("Labels"), vec![1, 2]);
}

#[test]
fn finish_hashes_every_byte() {
    let csv = b"a,b\n1,2\n3,4\n";
    let (_file, table) = table(csv, &ReadOptions::default());
    let mut table = table.unwrap();
    table.next_row().unwrap();
    let input = table.finish().unwrap();
    // SHA-256 of "a,b\n1,2\n3,4\n", from `printf 'a,b\n1,2\n3,4\n' | sha256sum`.
    assert_eq!(
        input.sha256,
        "b9485148546419a0f6a85e8d708c923557c15d7f3c7d078ef1fa7f7c0f57d5a5"
    );
    assert_eq!(input.bytes, 12);
}

#[test]
fn empty_file_is_an_error() {
    let (_file, table) = table(b"", &ReadOptions::default());
    assert_eq!(
        table.err().unwrap().to_string(),
        "tickets.csv: the file is empty: expected a header row naming the columns"
    );
}

#[test]
fn utf8_bom_is_not_part_of_first_header() {
    let (_file, table) = table(
        b"\xEF\xBB\xBFticket_id,subject\nT-1,x\n",
        &ReadOptions::default(),
    );
    let table = table.unwrap();
    assert_eq!(table.headers(), ["ticket_id", "subject"]);
    assert_eq!(table.encoding_label, "UTF-8 with BOM");
}

/// Excel's "Unicode text": UTF-16 with a byte-order mark, tab-separated, CRLF.
fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    let mut bytes = if little_endian {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for unit in text.encode_utf16() {
        let pair = if little_endian {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        };
        bytes.extend_from_slice(&pair);
    }
    bytes
}

#[test]
fn utf16_unicode_text_is_read_in_both_byte_orders() {
    let text = "Id\tSubject\tCreated at\r\n101\tDrucker im Büro\t2024-03-04 09:30\r\n";
    for little_endian in [true, false] {
        let (_file, table) = table(&utf16(text, little_endian), &ReadOptions::default());
        let mut table = table.unwrap();
        assert_eq!(table.delimiter, b'\t');
        assert_eq!(table.headers(), ["Id", "Subject", "Created at"]);
        let rows = rows(&mut table);
        assert_eq!(
            rows,
            vec![(
                2,
                vec![
                    "101".to_string(),
                    "Drucker im Büro".to_string(),
                    "2024-03-04 09:30".to_string()
                ]
            )]
        );
    }
}

#[test]
fn declared_windows_1252_reads_accents() {
    let options = ReadOptions {
        encoding: crate::config::Encoding::Windows1252,
        delimiter: None,
    };
    let (_file, table) = table(b"id;Sujet\nT-1;Caf\xE9 \x80 5\n", &options);
    let mut table = table.unwrap();
    assert_eq!(table.encoding_label, "Windows-1252");
    assert_eq!(rows(&mut table)[0].1, vec!["T-1", "Café € 5"]);
}

#[test]
fn pipe_delimited_file_is_detected() {
    let (_file, table) = table(b"id|subject\nT-1|a, b; c\n", &ReadOptions::default());
    let mut table = table.unwrap();
    assert_eq!(table.delimiter, b'|');
    assert_eq!(rows(&mut table)[0].1, vec!["T-1", "a, b; c"]);
}

#[test]
fn mixed_crlf_and_lf_lines_keep_their_numbers() {
    let csv = "id,text\r\nA,one\nB,two\r\n\r\nC,three\n";
    let (_file, table) = table(csv.as_bytes(), &ReadOptions::default());
    let rows = rows(&mut table.unwrap());
    let found: Vec<(u64, &str)> = rows
        .iter()
        .map(|(line, cells)| (*line, cells[0].as_str()))
        .collect();
    assert_eq!(found, vec![(2, "A"), (3, "B"), (5, "C")]);
}

#[test]
fn unnamed_trailing_column_reads_as_empty() {
    let csv = "Issue key,Summary,\nSD-1,VPN drops,\nSD-2,Mailbox full,\n";
    let (_file, table) = table(csv.as_bytes(), &ReadOptions::default());
    let mut table = table.unwrap();
    assert_eq!(table.headers(), ["Issue key", "Summary", ""]);
    assert_eq!(table.column("Summary"), Some(1));
    let rows = rows(&mut table);
    assert_eq!(rows[1].1, vec!["SD-2", "Mailbox full", ""]);
}

#[test]
fn short_rows_have_no_cells_past_their_end() {
    let (_file, table) = table(b"a,b,c\n1\n", &ReadOptions::default());
    let mut table = table.unwrap();
    let row = table.next_row().unwrap().unwrap();
    assert_eq!(row.get(0), Some(&b"1"[..]));
    assert_eq!(row.get(2), None);
}

#[test]
fn extra_filled_fields_reject_the_row() {
    let (_file, table) = table(
        b"id,team\nA,Desk\nB,Field,Services\nC,Desk,\n",
        &ReadOptions::default(),
    );
    let mut table = table.unwrap();
    assert_eq!(table.next_row().unwrap().unwrap().line, 2);
    let problem = table.next_row().err().unwrap();
    assert!(problem.skips_row);
    assert_eq!(
        problem.to_string(),
        "tickets.csv:3: the row has 3 fields but the header has 2: an unquoted delimiter in a value, or an extra \
         delimiter, shifts the columns after it; quote the value or remove the delimiter"
    );
    // A trailing delimiter with nothing after it is harmless.
    assert_eq!(table.next_row().unwrap().unwrap().line, 4);
}

#[test]
fn unbalanced_quote_rejects_the_joined_row() {
    let csv =
        "id,team,category\nA,Desk,Hardware\nB,\"Desk,Hardware\nC,Field,Network\nD,Field,Network\n";
    let (_file, table) = table(csv.as_bytes(), &ReadOptions::default());
    let mut table = table.unwrap();
    assert_eq!(table.next_row().unwrap().unwrap().line, 2);
    let problem = table.next_row().err().unwrap();
    assert!(problem.skips_row);
    assert_eq!(problem.line, Some(3));
    assert!(
        problem
            .message
            .contains("an unbalanced quote has probably joined the rows after it"),
        "{problem}"
    );
    assert!(table.next_row().unwrap().is_none());
}

#[test]
fn short_row_without_line_breaks_is_kept() {
    let (_file, table) = table(b"id,team,category\nA,Desk\n", &ReadOptions::default());
    let mut table = table.unwrap();
    let row = table.next_row().unwrap().unwrap();
    assert_eq!(row.record.len(), 2);
}
