//! `clocks.csv` of a built site, read by ticket and column, for the clock tests.

/// `clocks.csv`, read by ticket and column.
pub struct Clocks {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Clocks {
    pub fn read(project: &super::Project) -> Clocks {
        let mut rows = super::read_csv(&project.read("site/clocks.csv"));
        let header = rows.remove(0);
        Clocks { header, rows }
    }

    pub fn tickets(&self) -> Vec<&str> {
        self.rows.iter().map(|row| row[0].as_str()).collect()
    }

    #[track_caller]
    pub fn cell(&self, ticket: &str, column: &str) -> &str {
        let index = self
            .header
            .iter()
            .position(|name| name == column)
            .unwrap_or_else(|| panic!("column {column} not found in {:?}", self.header));
        let row = self
            .rows
            .iter()
            .find(|row| row[0] == ticket)
            .unwrap_or_else(|| {
                panic!(
                    "ticket {ticket} not found in clocks.csv: {:?}",
                    self.tickets()
                )
            });
        &row[index]
    }

    /// Reads a duration column in whole minutes, or `None` when the cell is empty.
    #[track_caller]
    pub fn minutes(&self, ticket: &str, column: &str) -> Option<i64> {
        let cell = self.cell(ticket, column);
        if cell.is_empty() {
            return None;
        }
        let seconds: i64 = cell.parse().unwrap();
        assert_eq!(seconds % 60, 0, "{ticket} {column} = {seconds} s");
        Some(seconds / 60)
    }

    /// Reads an instant column as seconds since the epoch.
    #[track_caller]
    pub fn instant(&self, ticket: &str, column: &str) -> Option<i64> {
        let cell = self.cell(ticket, column);
        (!cell.is_empty()).then(|| instant(cell))
    }
}

/// Reads an RFC 3339 instant as seconds since the epoch.
#[track_caller]
pub fn instant(rfc3339: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .unwrap_or_else(|error| panic!("`{rfc3339}`: {error}"))
        .timestamp()
}
