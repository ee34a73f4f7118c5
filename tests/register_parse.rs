//! Parser rules of the governance register: every diagnostic with its exact message, line and
//! column, and the complete example read field by field.

use chrono::NaiveDate;
use slaudit::register::{ActionStatus, ControlArea, ExceptionStatus, Register, Severity};

const FILE: &str = "register.md";

/// Parses a register and formats each diagnostic as `file:line[:column]: severity: message`.
fn diagnostics(text: &str) -> Vec<String> {
    let (_, diagnostics) = Register::parse(text, FILE, &["u_verification"]);
    diagnostics.iter().map(ToString::to_string).collect()
}

fn parse(text: &str) -> Register {
    Register::parse(text, FILE, &["u_verification"]).0
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn complete() -> (Register, Vec<String>) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/register/complete.md"
    ))
    .unwrap();
    let (register, diagnostics) = Register::parse(&text, "complete.md", &[]);
    let diagnostics = diagnostics.iter().map(ToString::to_string).collect();
    (register, diagnostics)
}

#[test]
fn complete_example_has_no_diagnostics() {
    let (_, diagnostics) = complete();
    assert_eq!(diagnostics, Vec::<String>::new());
}

#[test]
fn complete_example_owners() {
    let (register, _) = complete();
    assert_eq!(
        register.title.as_deref(),
        Some("Governance register — Northwind Logistics service desk")
    );
    assert_eq!(register.owners_line, Some(7));
    let areas: Vec<(&str, bool, usize)> = register
        .owners
        .iter()
        .map(|row| (row.area.name(), row.area.is_custom(), row.line))
        .collect();
    assert_eq!(
        areas,
        vec![
            ("ticket priority", false, 11),
            ("escalation", false, 12),
            ("metrics", false, 13),
            ("security verification", false, 14),
            ("satisfaction", false, 15),
            ("Vendor management", true, 16),
        ]
    );
    let escalation = &register.owners[1];
    assert_eq!(escalation.area, ControlArea::Escalation);
    assert_eq!(escalation.owner.as_deref(), Some("Tomasz Nowak"));
    assert_eq!(escalation.team.as_deref(), Some("Operations"));
    assert_eq!(escalation.last_review, Some(date("2026-03-15")));
    assert_eq!(escalation.next_review, Some(date("2026-09-15")));
}

#[test]
fn complete_example_exceptions() {
    let (register, _) = complete();
    let ids: Vec<&str> = register.exceptions.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["EX-01", "EX-02", "EX-03"]);

    let hardware = &register.exceptions[0];
    assert_eq!(hardware.title, "Hardware waiting for vendor parts");
    assert_eq!(hardware.line, 20);
    assert_eq!(hardware.status, Some(ExceptionStatus::Approved));
    assert_eq!(
        hardware.scope.as_ref().map(|scope| scope.text()),
        Some("priority in (P3, P4) and category = \"Hardware\" and metric = resolution")
    );
    assert_eq!(hardware.owner.as_deref(), Some("Tomasz Nowak"));
    assert_eq!(
        hardware.approved_by.as_deref(),
        Some("Helen Carter, Head of IT Operations")
    );
    assert_eq!(hardware.approved_on, Some(date("2026-06-20")));
    assert_eq!(hardware.expires, Some(date("2026-12-31")));
    assert_eq!(hardware.next_validation, Some(date("2026-09-30")));
    assert_eq!(
        hardware.notes.markdown,
        "Replacement parts for warehouse scanners come from one vendor whose contract promises\n\
         delivery in **five business days**. Resolution clocks of hardware tickets cannot meet the\n\
         three-day target until the new contract starts.\n\n\
         Evidence: [vendor contract summary](https://intranet.example.com/contracts/scanners)."
    );
    assert_eq!(
        hardware.notes.html,
        "<p>Replacement parts for warehouse scanners come from one vendor whose contract promises\n\
         delivery in <strong>five business days</strong>. Resolution clocks of hardware tickets cannot meet the\n\
         three-day target until the new contract starts.</p>\n\
         <p>Evidence: <a href=\"https://intranet.example.com/contracts/scanners\">vendor contract summary</a>.</p>\n"
    );

    let migration = &register.exceptions[2];
    assert_eq!(migration.status, Some(ExceptionStatus::Proposed));
    assert_eq!(migration.approved_by, None);
    assert_eq!(migration.expires, None);
    assert_eq!(
        migration.scope.as_ref().map(|scope| scope.text()),
        Some("tickets INC0010452, INC0010457")
    );
}

#[test]
fn complete_example_risks_and_actions() {
    let (register, _) = complete();
    let risk = &register.risk_acceptances[0];
    assert_eq!(risk.id, "RA-01");
    assert_eq!(risk.line, 59);
    assert_eq!(
        risk.risk.as_deref(),
        Some("P4 tickets opened on Friday evening wait until Monday for a first response.")
    );
    assert_eq!(
        risk.accepted_by.as_deref(),
        Some("Helen Carter, Head of IT Operations")
    );
    assert_eq!(risk.accepted_on, Some(date("2026-05-04")));
    assert_eq!(risk.review_by, Some(date("2026-11-04")));
    assert_eq!(risk.links, ["response-attainment-p4", "INC0010311"]);

    let statuses: Vec<(&str, Option<ActionStatus>, usize)> = register
        .actions
        .iter()
        .map(|action| (action.id.as_str(), action.status, action.line))
        .collect();
    assert_eq!(
        statuses,
        vec![
            ("AC-01", Some(ActionStatus::InProgress), 71),
            ("AC-02", Some(ActionStatus::Done), 81),
            ("AC-03", Some(ActionStatus::Verified), 90),
        ]
    );
    let retrain = &register.actions[0];
    assert_eq!(retrain.owner.as_deref(), Some("Priya Raman"));
    assert_eq!(retrain.due, Some(date("2026-09-15")));
    assert_eq!(retrain.finding.as_deref(), Some("response-attainment-p2"));
    assert_eq!(
        retrain.notes.html,
        "<ol>\n<li>Review ten breached P2 tickets with the team.</li>\n\
         <li>Publish the response template in the knowledge base.</li>\n</ol>\n"
    );
    assert_eq!(register.actions[2].notes.markdown, "");
    assert_eq!(register.actions[2].notes.html, "");
}

#[test]
fn duplicate_id_names_first_line() {
    let text = "\
## Exceptions

### EX-01 — First

- Status: proposed
- Scope: team = Field

## Actions

### ex-01 — Second

- Owner: Dana Wu
- Due: 2026-09-30
- Status: open
";
    assert_eq!(
        diagnostics(text),
        ["register.md:10: error: duplicate id `ex-01`: first used on line 3; ids ignore case, so give this entry an id of its own"]
    );
}

#[test]
fn unknown_keys_are_warnings() {
    let text = "\
## Exceptions

### EX-01 — First

- Status: proposed
- Scope: team = Field
- Expiry: 2026-12-31
- Colour: blue
";
    assert_eq!(
        diagnostics(text),
        [
            "register.md:7:3: warning: unknown key `Expiry` in exception `EX-01`; did you mean `expires`?",
            "register.md:8:3: warning: unknown key `Colour` in exception `EX-01`; expected one of `status`, `scope`, `owner`, `approved by`, `approved on`, `expires`, `next validation`",
        ]
    );
    let register = parse(text);
    assert_eq!(register.exceptions.len(), 1);
    assert_eq!(register.exceptions[0].expires, None);
}

#[test]
fn keys_ignore_case_and_separators() {
    let text = "\
## Exceptions

### EX-01 — Shouted keys

- STATUS: Approved
- scope: team = Field
- Approved_By: Helen Carter
- approved-on: 2026-07-01
- EXPIRES: 2026-12-31
- Next  Validation: 2026-10-01
";
    assert_eq!(diagnostics(text), Vec::<String>::new());
    let exception = &parse(text).exceptions[0];
    assert_eq!(exception.status, Some(ExceptionStatus::Approved));
    assert_eq!(exception.approved_by.as_deref(), Some("Helen Carter"));
    assert_eq!(exception.approved_on, Some(date("2026-07-01")));
    assert_eq!(exception.next_validation, Some(date("2026-10-01")));
}

#[test]
fn invalid_dates_are_errors() {
    let text = "\
## Exceptions

### EX-01 — Bad dates

- Status: proposed
- Scope: team = Field
- Expires: 2026-02-30
- Next validation: 2026-7-1
";
    assert_eq!(
        diagnostics(text),
        [
            "register.md:7:12: error: invalid date `2026-02-30` for `expires` in exception `EX-01`: expected YYYY-MM-DD such as 2026-07-01",
            "register.md:8:20: error: invalid date `2026-7-1` for `next validation` in exception `EX-01`: expected YYYY-MM-DD such as 2026-07-01",
        ]
    );
}

#[test]
fn invalid_statuses_are_errors() {
    let text = "\
## Exceptions

### EX-01 — Typo

- Status: aproved
- Scope: team = Field

## Actions

### AC-01 — Unknown status

- Owner: Dana Wu
- Due: 2026-09-30
- Status: finished
";
    assert_eq!(
        diagnostics(text),
        [
            "register.md:5:11: error: invalid status `aproved` in exception `EX-01`; did you mean `approved`?",
            "register.md:14:11: error: invalid status `finished` in action `AC-01`; expected one of `open`, `in progress`, `done`, `verified`",
        ]
    );
    let register = parse(text);
    assert_eq!(register.exceptions[0].status, None);
    assert_eq!(register.actions[0].status, None);
}

#[test]
fn action_status_accepts_spelling_variants() {
    for written in ["in progress", "In-Progress", "in_progress", "IN  PROGRESS"] {
        let text = format!(
            "## Actions\n\n### AC-01 — Work\n\n- Owner: Dana Wu\n- Due: 2026-09-30\n- Status: {written}\n"
        );
        assert_eq!(diagnostics(&text), Vec::<String>::new(), "{written}");
        assert_eq!(
            parse(&text).actions[0].status,
            Some(ActionStatus::InProgress),
            "{written}"
        );
    }
}

#[test]
fn scope_syntax_error_points_inside_code_span() {
    let text = "\
## Exceptions

### EX-01 — Night e-mail
- Status: proposed
- Scope: `channel = \"Email\" and team in \"Night\"`
";
    assert_eq!(
        diagnostics(text),
        ["register.md:5:41: error: invalid scope in exception `EX-01` at character 31: expected `(` after `in`, found `\"Night\"`"]
    );
    assert_eq!(parse(text).exceptions[0].scope, None);
}

#[test]
fn scope_unknown_field_suggests_name() {
    let text = "\
## Exceptions

### EX-01 — Typo in field
- Status: proposed
- Scope: priority = P3 and categroy = Hardware
";
    assert_eq!(
        diagnostics(text),
        ["register.md:5:28: error: invalid scope in exception `EX-01` at character 19: unknown field `categroy`; did you mean `category`?"]
    );
}

#[test]
fn scope_reports_every_error() {
    // Character 12 is the opening quote of the priority, 31 the misspelt field and 63 the
    // value that should have been a list. The scope starts at column 10 of line 5.
    let text = "\
## Exceptions

### EX-02 — Three mistakes
- Status: proposed
- Scope: priority = \"3 - Moderate\" and categroy = Hardware and team in \"Field\"
";
    assert_eq!(
        diagnostics(text),
        [
            "register.md:5:21: error: invalid scope in exception `EX-02` at character 12: invalid priority `3 - Moderate`: expected P1 to P9",
            "register.md:5:40: error: invalid scope in exception `EX-02` at character 31: unknown field `categroy`; did you mean `category`?",
            "register.md:5:72: error: invalid scope in exception `EX-02` at character 63: expected `(` after `in`, found `\"Field\"`",
        ]
    );
    assert_eq!(parse(text).exceptions[0].scope, None);
}

#[test]
fn entry_after_closing_heading_names_it() {
    let text = "\
## Actions

### AC-01 — Inside

- Owner: Dana Wu
- Due: 2026-09-30
- Status: open

# Appendix

### AC-02 — After the appendix heading

- Owner: Dana Wu
";
    assert_eq!(
        diagnostics(text),
        ["register.md:11: error: entry `AC-02` is outside any known section, because the heading `# Appendix` on line 9 ended the section above it; move the entry above that heading, or under `## Exceptions`, `## Risk acceptances` or `## Actions`"]
    );
    assert_eq!(parse(text).actions.len(), 1);
}

#[test]
fn scope_accepts_declared_extra_field() {
    let text = "\
## Exceptions

### EX-01 — Verified by callback
- Status: proposed
- Scope: u_verification = Callback
";
    assert_eq!(diagnostics(text), Vec::<String>::new());
    let (_, undeclared) = Register::parse(text, FILE, &[]);
    assert_eq!(
        undeclared[0].to_string(),
        "register.md:5:10: error: invalid scope in exception `EX-01` at character 1: unknown field `u_verification`; expected one of `id`, `priority`, `category`, `subcategory`, `team`, `assignee`, `requester`, `channel`, `status`, `impact`, `urgency`, `metric`"
    );
}

#[test]
fn approved_exception_needs_approver_and_dates() {
    let text = "\
## Exceptions

### EX-01 — Approved in a hurry

- Status: Approved
- Scope: team = Field
";
    assert_eq!(
        diagnostics(text),
        [
            "register.md:3: error: approved exception `EX-01` has no `approved by`; add an item such as `- Approved by: Head of IT Operations` or change the status",
            "register.md:3: error: approved exception `EX-01` has no `approved on`; add an item such as `- Approved on: 2026-07-01` or change the status",
            "register.md:3: error: approved exception `EX-01` has no `expires`; add an item such as `- Expires: 2026-12-31` or change the status",
        ]
    );
}

#[test]
fn proposed_exception_needs_no_approver() {
    let text = "## Exceptions\n\n### EX-01 — Draft\n\n- Status: proposed\n- Scope: team = Field\n";
    assert_eq!(diagnostics(text), Vec::<String>::new());
}

#[test]
fn empty_value_counts_as_missing() {
    let text = "\
## Exceptions

### EX-01 — Blank approver

- Status: approved
- Scope: team = Field
- Approved by:
- Approved on: 2026-07-01
- Expires: 2026-12-31
";
    assert_eq!(
        diagnostics(text),
        ["register.md:3: error: approved exception `EX-01` has no `approved by`; add an item such as `- Approved by: Head of IT Operations` or change the status"]
    );
}

#[test]
fn expiry_before_approval_is_an_error() {
    let text = "\
## Exceptions

### EX-01 — Backwards

- Status: approved
- Scope: team = Field
- Approved by: Helen Carter
- Approved on: 2026-07-01
- Expires: 2026-06-30
";
    assert_eq!(
        diagnostics(text),
        ["register.md:9:12: error: exception `EX-01` expires on 2026-06-30, before its approval on 2026-07-01; correct one of the two dates"]
    );
}

#[test]
fn required_keys_of_each_kind() {
    let text = "\
## Exceptions

### EX-01 — Nothing yet

- Owner: Alice Durand

## Risk acceptances

### RA-01 — Nothing yet

Notes only.

## Actions

### AC-01 — Nothing yet
";
    assert_eq!(
        diagnostics(text),
        [
            "register.md:3: error: exception `EX-01` has no `status`; add an item such as `- Status: proposed`",
            "register.md:3: error: exception `EX-01` has no `scope`; add an item such as `- Scope: priority = P3`",
            "register.md:9: error: risk acceptance `RA-01` has no `accepted by`; add an item such as `- Accepted by: Head of IT Operations`",
            "register.md:9: error: risk acceptance `RA-01` has no `accepted on`; add an item such as `- Accepted on: 2026-07-01`",
            "register.md:9: error: risk acceptance `RA-01` has no `review by`; add an item such as `- Review by: 2026-12-31`",
            "register.md:15: error: action `AC-01` has no `owner`; add an item such as `- Owner: Service Desk Lead`",
            "register.md:15: error: action `AC-01` has no `due`; add an item such as `- Due: 2026-09-30`",
            "register.md:15: error: action `AC-01` has no `status`; add an item such as `- Status: open`",
        ]
    );
    let register = parse(text);
    assert_eq!(
        register.risk_acceptances[0].notes.html,
        "<p>Notes only.</p>\n"
    );
}

#[test]
fn owner_table_missing_columns() {
    let text = "\
## Owners

| Control area | Owner | Last review |
| --- | --- | --- |
| Metrics | Alice Durand | 2026-01-01 |
";
    assert_eq!(
        diagnostics(text),
        [
            "register.md:3: error: the Owners table has no `team` column; expected the columns control area, owner, team, last review, next review",
            "register.md:3: error: the Owners table has no `next review` column; expected the columns control area, owner, team, last review, next review",
        ]
    );
    let register = parse(text);
    assert_eq!(register.owners.len(), 1);
    assert_eq!(register.owners[0].owner.as_deref(), Some("Alice Durand"));
    assert_eq!(register.owners[0].last_review, Some(date("2026-01-01")));
    assert_eq!(register.owners[0].next_review, None);
}

#[test]
fn owner_table_without_area_column_reads_no_rows() {
    let text = "\
## Owners

| Area | Owner | Team | Last review | Next review |
| --- | --- | --- | --- | --- |
| Metrics | Alice Durand | Quality | | |
";
    assert_eq!(
        diagnostics(text),
        [
            "register.md:3: error: the Owners table has no `control area` column; expected the columns control area, owner, team, last review, next review",
            "register.md:3:3: warning: unknown column `Area` in the Owners table is ignored; expected one of `control area`, `owner`, `team`, `last review`, `next review`",
        ]
    );
    assert!(parse(text).owners.is_empty());
}

#[test]
fn owner_table_row_problems() {
    let text = "\
## Owners

| Control area | Owner | Team | Last review | Next review | Deputy | owner |
| --- | --- | --- | --- | --- | --- | --- |
| Metrics | Alice | Quality | 2026-01-01 | 2026-13-01 | Bob | x |
| metrics | Carol | Quality | | | | |
| | Dan | Ops | | | | |
| Escalations | Tomasz | Ops | 2026-1-5 | | | |
";
    assert_eq!(
        diagnostics(text),
        [
            "register.md:3:61: warning: unknown column `Deputy` in the Owners table is ignored; expected one of `control area`, `owner`, `team`, `last review`, `next review`",
            "register.md:3:70: warning: duplicate column `owner` in the Owners table is ignored",
            "register.md:5:44: error: invalid date `2026-13-01` in the `next review` column for `Metrics`: expected YYYY-MM-DD such as 2026-07-01",
            "register.md:6: error: duplicate control area `metrics`: first listed on line 5",
            "register.md:6: warning: `metrics` has an owner but no next review date, so an overdue review cannot be found; add a date (YYYY-MM-DD) in the `next review` column",
            "register.md:7: error: a row of the Owners table has no control area",
            "register.md:8: warning: `Escalations` has an owner but no next review date, so an overdue review cannot be found; add a date (YYYY-MM-DD) in the `next review` column",
            "register.md:8:3: warning: control area `Escalations` is not a known area and is kept as a custom one; did you mean `escalation`?",
            "register.md:8:32: error: invalid date `2026-1-5` in the `last review` column for `Escalations`: expected YYYY-MM-DD such as 2026-07-01",
        ]
    );
    let register = parse(text);
    // The duplicate row is kept; the row without an area cannot be.
    assert_eq!(register.owners.len(), 3);
    assert_eq!(register.owners[0].owner.as_deref(), Some("Alice"));
    assert_eq!(
        register.owners[2].area,
        ControlArea::Custom("Escalations".to_string())
    );
}

#[test]
fn owner_cell_dash_means_empty() {
    let text = "\
## Owners

| Control area | Owner | Team | Last review | Next review |
| --- | --- | --- | --- | --- |
| Satisfaction | — | - | – | |
";
    assert_eq!(diagnostics(text), Vec::<String>::new());
    let row = &parse(text).owners[0];
    assert_eq!(row.area, ControlArea::Satisfaction);
    assert_eq!(row.owner, None);
    assert_eq!(row.team, None);
    assert_eq!(row.last_review, None);
}

#[test]
fn entries_outside_known_sections() {
    let text = "\
# Register

### EX-01 — Before any section

- Status: proposed

## Exception

### EX-02 — Misspelled section

- Status: proposed

## Owners

### AC-01 — Under owners

- Owner: Dana Wu

## Background

### History

The desk moved to the new tool in 2026.

- Status: the list above has a heading of its own
";
    assert_eq!(
        diagnostics(text),
        [
            "register.md:3: error: entry `EX-01` is outside any known section; move it under `## Exceptions`, `## Risk acceptances` or `## Actions`",
            "register.md:7: warning: unknown section `Exception` is not read; did you mean `Exceptions`?",
            "register.md:9: error: entry `EX-02` is outside any known section; move it under `## Exceptions`, `## Risk acceptances` or `## Actions`",
            "register.md:15: error: entry `AC-01` is outside any known section; move it under `## Exceptions`, `## Risk acceptances` or `## Actions`",
        ]
    );
    let register = parse(text);
    assert!(register.exceptions.is_empty());
    assert!(register.actions.is_empty());
}

#[test]
fn key_list_without_heading_is_an_error() {
    let text = "\
## Exceptions

- Status: approved
- Scope: team = Field
";
    assert_eq!(
        diagnostics(text),
        ["register.md:3: error: `Key: value` list outside an entry; put it right below an `### ID — title` heading"]
    );
}

#[test]
fn heading_separators() {
    let text = "\
## Exceptions

### EX-01 – En dash
- Status: proposed
- Scope: team = Field

### EX-02 - Spaced hyphen - with more
- Status: proposed
- Scope: team = Field

### EX-03—No spaces
- Status: proposed
- Scope: team = Field
";
    assert_eq!(diagnostics(text), Vec::<String>::new());
    let titles: Vec<(String, String)> = parse(text)
        .exceptions
        .iter()
        .map(|e| (e.id.clone(), e.title.clone()))
        .collect();
    assert_eq!(
        titles,
        [
            ("EX-01".to_string(), "En dash".to_string()),
            ("EX-02".to_string(), "Spaced hyphen - with more".to_string()),
            ("EX-03".to_string(), "No spaces".to_string()),
        ]
    );
}

#[test]
fn heading_without_id_is_an_error() {
    let text = "\
## Exceptions

### Hardware waits for parts
- Status: proposed
- Scope: team = Field

### EX-02
- Status: proposed
- Scope: team = Field
";
    assert_eq!(
        diagnostics(text),
        [
            "register.md:3: error: invalid exception heading `Hardware waits for parts`: expected `### ID — title` such as `### EX-01 — Vendor hardware waits`",
            "register.md:7: warning: exception `EX-02` has no title; write `### EX-02 — title`",
        ]
    );
    let ids: Vec<String> = parse(text)
        .exceptions
        .iter()
        .map(|e| e.id.clone())
        .collect();
    assert_eq!(ids, ["EX-02"]);
}

#[test]
fn list_item_without_key_is_a_warning() {
    let text = "\
## Exceptions

### EX-01 — Vendor
- Status: proposed
- Scope: team = Field
- Vendor agreed to faster delivery
- : no key
";
    assert_eq!(
        diagnostics(text),
        [
            "register.md:6: warning: list item `Vendor agreed to faster delivery` in exception `EX-01` is not a `Key: value` pair and is ignored; write notes below the list",
            "register.md:7: warning: list item `: no key` in exception `EX-01` is not a `Key: value` pair and is ignored; write notes below the list",
        ]
    );
}

#[test]
fn duplicate_key_is_an_error() {
    let text = "\
## Exceptions

### EX-01 — Twice
- Status: proposed
- Scope: team = Field
- status: approved
";
    assert_eq!(
        diagnostics(text),
        ["register.md:6:3: error: duplicate key `status` in exception `EX-01`: first given on line 4"]
    );
    assert_eq!(
        parse(text).exceptions[0].status,
        Some(ExceptionStatus::Proposed)
    );
}

#[test]
fn every_problem_is_reported() {
    let text = "\
## Exceptions

### EX-01 — Many problems
- Status: approvd
- Scope: team ==
- Expires: soon
- Aproved by: Helen

### EX-01 — Same id
- Status: proposed
- Scope: team = Field
";
    let (register, found) = Register::parse(text, FILE, &[]);
    let lines: Vec<(usize, Severity)> = found.iter().map(|d| (d.line, d.severity)).collect();
    assert_eq!(
        lines,
        [
            (4, Severity::Error),
            (5, Severity::Error),
            (6, Severity::Error),
            (7, Severity::Warning),
            (9, Severity::Error),
        ]
    );
    assert_eq!(
        found[1].to_string(),
        "register.md:5:16: error: invalid scope in exception `EX-01` at character 7: expected a value after `=`, found `=`"
    );
    assert_eq!(
        found[3].to_string(),
        "register.md:7:3: warning: unknown key `Aproved by` in exception `EX-01`; did you mean `approved by`?"
    );
    assert_eq!(register.exceptions.len(), 2);
}

#[test]
fn notes_escape_raw_html_and_unsafe_links() {
    let text = "\
## Actions

### AC-01 — Clean up
- Owner: Dana Wu
- Due: 2026-09-30
- Status: open

<script>alert('x')</script>

See [the form](javascript:alert(1)) and <img src=x onerror=alert(1)>.

#### Details

[Ticket](https://desk.example.com/INC1)
";
    assert_eq!(diagnostics(text), Vec::<String>::new());
    let notes = &parse(text).actions[0].notes;
    assert_eq!(
        notes.html,
        "<p>&lt;script&gt;alert('x')&lt;/script&gt;\n</p>\n\
         <p>See the form and &lt;img src=x onerror=alert(1)&gt;.</p>\n\
         <h4>Details</h4>\n\
         <p><a href=\"https://desk.example.com/INC1\">Ticket</a></p>\n"
    );
}

#[test]
fn notes_end_at_next_entry() {
    let text = "\
## Actions

### AC-01 — First
- Owner: Dana Wu
- Due: 2026-09-30
- Status: open

First notes.

### AC-02 — Second
- Owner: Dana Wu
- Due: 2026-09-30
- Status: open

## Owners
";
    let register = parse(text);
    assert_eq!(register.actions[0].notes.markdown, "First notes.");
    assert_eq!(register.actions[1].notes.markdown, "");
}

#[test]
fn byte_order_mark_is_skipped() {
    let text = "\u{feff}# Register\n\n## Actions\n\n### AC-01 — Work\n- Owner: Dana Wu\n- Due: 2026-09-31\n- Status: open\n";
    assert_eq!(
        diagnostics(text),
        ["register.md:7:8: error: invalid date `2026-09-31` for `due` in action `AC-01`: expected YYYY-MM-DD such as 2026-07-01"]
    );
    assert_eq!(parse(text).title.as_deref(), Some("Register"));
}

#[test]
fn links_split_on_commas() {
    let text = "\
## Risk acceptances

### RA-01 — Links
- Accepted by: Helen Carter
- Accepted on: 2026-05-04
- Review by: 2026-11-04
- Links: F-1 ,, INC2,  INC3
";
    assert_eq!(
        parse(text).risk_acceptances[0].links,
        ["F-1", "INC2", "INC3"]
    );
}
