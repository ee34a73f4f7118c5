//! Exception scopes matched against canonical tickets through `TicketFields`.

use chrono::NaiveDate;
use slaudit::normalize::{Dataset, Priority, SourceVerdicts, Sym, Ticket};
use slaudit::register::{Metric, Register, ScopeFields, TicketFields};

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

struct Row<'a> {
    id: &'a str,
    priority: Option<u8>,
    category: &'a str,
    team: &'a str,
    channel: &'a str,
    impact: Option<u8>,
    verification: &'a str,
}

fn dataset(rows: &[Row]) -> Dataset {
    let mut dataset = Dataset {
        extra_columns: vec!["u_verification".to_string()],
        ..Dataset::default()
    };
    for row in rows {
        let symbols = &mut dataset.symbols;
        let ticket = Ticket {
            id: row.id.into(),
            line: 2,
            opened: 0,
            first_response: None,
            resolved: None,
            closed: None,
            priority: row.priority.and_then(Priority::from_level),
            initial_priority: Some(Priority::from_level(1).unwrap()),
            impact: row.impact,
            urgency: None,
            status: symbols.intern("In Progress"),
            status_class: None,
            category: symbols.intern(row.category),
            subcategory: Sym::NONE,
            team: symbols.intern(row.team),
            assignee: Sym::NONE,
            requester: symbols.intern("Kim Lee"),
            channel: symbols.intern(row.channel),
            title: Sym::NONE,
            reassignments: None,
            reopens: None,
            source: SourceVerdicts::default(),
            extra: vec![symbols.intern(row.verification)].into_boxed_slice(),
            events: 0..0,
        };
        dataset.tickets.push(ticket);
    }
    dataset
}

fn sample() -> Dataset {
    dataset(&[
        Row {
            id: "INC0010001",
            priority: Some(3),
            category: "Hardware",
            team: "Field",
            channel: "Phone",
            impact: Some(2),
            verification: "MFA",
        },
        Row {
            id: "INC0010002",
            priority: Some(2),
            category: "Network",
            team: "Night Shift",
            channel: "Email",
            impact: Some(1),
            verification: "",
        },
        Row {
            id: "INC0010003",
            priority: None,
            category: "",
            team: "",
            channel: "Portal",
            impact: None,
            verification: "Callback",
        },
    ])
}

#[test]
fn ticket_fields_reads_canonical_values() {
    let data = sample();
    let first = TicketFields::new(&data.tickets[0], &data);
    assert_eq!(first.field("id").as_deref(), Some("INC0010001"));
    assert_eq!(first.field("priority").as_deref(), Some("P3"));
    assert_eq!(first.field("category").as_deref(), Some("Hardware"));
    assert_eq!(first.field("team").as_deref(), Some("Field"));
    assert_eq!(first.field("channel").as_deref(), Some("Phone"));
    assert_eq!(first.field("status").as_deref(), Some("In Progress"));
    assert_eq!(first.field("requester").as_deref(), Some("Kim Lee"));
    assert_eq!(first.field("impact").as_deref(), Some("2"));
    assert_eq!(first.field("urgency"), None);
    assert_eq!(first.field("subcategory"), None);
    assert_eq!(first.field("u_verification").as_deref(), Some("MFA"));
    let third = TicketFields::new(&data.tickets[2], &data);
    assert_eq!(third.field("priority"), None);
    assert_eq!(third.field("team"), None);
    assert_eq!(third.field("u_verification").as_deref(), Some("Callback"));
}

#[test]
fn initial_priority_can_replace_final() {
    let data = sample();
    let ticket = &data.tickets[0];
    let initial = TicketFields::new(ticket, &data).with_priority(ticket.initial_priority);
    assert_eq!(initial.field("priority").as_deref(), Some("P1"));
}

#[test]
fn scopes_select_tickets_by_metric() {
    let text = "\
## Exceptions

### EX-01 — Hardware resolution
- Status: approved
- Scope: `priority in (P3, P4) and category = \"hardware\" and metric = resolution`
- Approved by: Helen Carter
- Approved on: 2026-07-01
- Expires: 2026-09-30

### EX-02 — Night e-mail response
- Status: approved
- Scope: `channel = \"Email\" and team in (\"Night Shift\", \"Field\") and metric = response`
- Approved by: Helen Carter
- Approved on: 2026-08-01
- Expires: 2026-12-31

### EX-03 — Unverified requests
- Status: proposed
- Scope: u_verification = \"\" or tickets INC0010003
";
    let (register, diagnostics) = Register::parse(text, "register.md", &["u_verification"]);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let data = sample();
    let view = |index: usize| TicketFields::new(&data.tickets[index], &data);

    // Which (ticket, metric) pairs each scope covers, regardless of dates.
    let covered = |exception: usize| -> Vec<(usize, Metric)> {
        let mut pairs = Vec::new();
        for index in 0..data.tickets.len() {
            for metric in Metric::ALL {
                if register.exceptions[exception].covers(&view(index), metric) {
                    pairs.push((index, metric));
                }
            }
        }
        pairs
    };
    assert_eq!(covered(0), [(0, Metric::Resolution)]);
    assert_eq!(covered(1), [(1, Metric::Response)]);
    assert_eq!(
        covered(2),
        [
            (1, Metric::Response),
            (1, Metric::Resolution),
            (2, Metric::Response),
            (2, Metric::Resolution),
        ]
    );
}

#[test]
fn covering_exception_respects_dates() {
    let text = "\
## Exceptions

### EX-01 — Hardware, first half
- Status: approved
- Scope: category = Hardware
- Approved by: Helen Carter
- Approved on: 2026-01-01
- Expires: 2026-06-30

### EX-02 — Hardware, second half
- Status: approved
- Scope: category = Hardware
- Approved by: Helen Carter
- Approved on: 2026-07-01
- Expires: 2026-12-31

### EX-03 — Proposed for everything
- Status: proposed
- Scope: not (id = \"\")
";
    let (register, diagnostics) = Register::parse(text, "register.md", &[]);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let data = sample();
    let hardware = TicketFields::new(&data.tickets[0], &data);
    let network = TicketFields::new(&data.tickets[1], &data);
    let covering = |ticket: &TicketFields, day: &str| {
        register
            .covering_exception(ticket, Metric::Resolution, date(day))
            .map(|exception| exception.id.as_str())
    };
    assert_eq!(covering(&hardware, "2025-12-31"), None);
    assert_eq!(covering(&hardware, "2026-06-30"), Some("EX-01"));
    assert_eq!(covering(&hardware, "2026-07-01"), Some("EX-02"));
    assert_eq!(covering(&hardware, "2027-01-01"), None);
    assert_eq!(covering(&network, "2026-07-01"), None);
}
