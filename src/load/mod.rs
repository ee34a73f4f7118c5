//! Loading: reading and decoding input files into CSV records with their line numbers.

use serde::Serialize;

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
