//! `slaudit build` with a governance register: exceptions applied to the figures, breach
//! dates checked against each exception's dates, references linked both ways, findings that
//! need tickets, and registers that stop the build. Every expected value is worked out by
//! hand from the small exports below.

mod common;

use common::{page_text, read_csv, Project};
use slaudit::register::{Register, SKELETON};

const CONFIG: &str = r#"
[project]
title = "Register test"

[tickets]
file = "tickets.csv"
preset = "generic"
timezone = "Europe/London"

[calendars.always]
timezone = "Europe/London"
hours = "24x7"

[[sla]]
priority = "P3"
calendar = "always"
response = "1h"
resolution = "8h"

[[sla]]
priority = "P4"
calendar = "always"
response = "4h"
resolution = "24h"

[register]
file = "register.md"
"#;

/// Eight tickets, local London times, as of 2026-10-01:
///
/// | ticket | pri | category | response            | resolution                  |
/// | ------ | --- | -------- | ------------------- | --------------------------- |
/// | T01    | P3  | Hardware | 30m met             | 10h breached (due 07-01)    |
/// | T02    | P3  | Hardware | 2h breached (07-02) | 6h met                      |
/// | T03    | P3  | Software | 10m met             | 24h breached                |
/// | T04    | P3  | Software | 20m met             | 2h met                      |
/// | T05    | P4  | Hardware | 7h breached (07-05) | 25h breached (due 07-06)    |
/// | T06    | P4  | Hardware | 1h met              | 3h met                      |
/// | T07    | P4  | Network  | 5h breached         | 11h met                     |
/// | T08    | P3  | Hardware | open, breached      | open, breached              |
const TICKETS: &str = "\
ticket_id,created_at,first_response_at,resolved_at,closed_at,priority,status,category,team,channel
T01,2026-07-01 09:00,2026-07-01 09:30,2026-07-01 19:00,2026-07-02 09:00,P3,Closed,Hardware,Field,Phone
T02,2026-07-02 09:00,2026-07-02 11:00,2026-07-02 15:00,2026-07-03 09:00,P3,Closed,Hardware,Field,Email
T03,2026-07-03 09:00,2026-07-03 09:10,2026-07-04 09:00,2026-07-05 09:00,P3,Closed,Software,Apps,Phone
T04,2026-07-03 10:00,2026-07-03 10:20,2026-07-03 12:00,2026-07-04 12:00,P3,Closed,Software,Apps,Phone
T05,2026-07-05 09:00,2026-07-05 16:00,2026-07-06 10:00,2026-07-07 10:00,P4,Closed,Hardware,Field,Phone
T06,2026-07-06 09:00,2026-07-06 10:00,2026-07-06 12:00,2026-07-07 12:00,P4,Closed,Hardware,Field,Phone
T07,2026-07-07 09:00,2026-07-07 14:00,2026-07-07 20:00,2026-07-08 20:00,P4,Closed,Network,Net,Phone
T08,2026-07-08 09:00,,,,P3,In Progress,Hardware,Field,Phone
";

fn register_with_exception(status: &str, scope: &str) -> String {
    format!(
        "# Test register

## Exceptions

### EX-01 — Hardware

- Status: {status}
- Scope: `{scope}`
- Approved by: Helen Carter
- Approved on: 2026-06-01
- Expires: 2026-12-31
"
    )
}

fn project(register: &str) -> Project {
    let project = Project::new();
    project
        .file("slaudit.toml", CONFIG)
        .file("tickets.csv", TICKETS)
        .file("register.md", register);
    project
}

fn build(project: &Project) {
    project
        .run(&["build", ".", "--as-of", "2026-10-01"])
        .success();
}

/// Returns the lines of standard error other than the closing `wrote N files` line, which
/// must be there.
#[track_caller]
fn messages(stderr: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = stderr.lines().collect();
    let last = lines.pop().unwrap_or_default();
    assert!(
        last.starts_with("slaudit: wrote ") && last.ends_with("files to site (8 tickets audited)"),
        "unexpected last line in:\n{stderr}"
    );
    lines
}

#[track_caller]
fn assert_contains(text: &str, expected: &str) {
    assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
}

/// Reads the (ticket, metric, exception) of every breach in breaches.csv.
fn excepted_column(project: &Project) -> Vec<(String, String, String)> {
    let rows = read_csv(&project.read("site/breaches.csv"));
    let header = &rows[0];
    let exception = header.iter().position(|h| h == "exception").unwrap();
    rows[1..]
        .iter()
        .map(|row| (row[0].clone(), row[1].clone(), row[exception].clone()))
        .collect()
}

fn triples(expected: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

#[test]
fn exception_changes_net_attainment_by_its_scope() {
    let project = project(&register_with_exception(
        "approved",
        "category = \"Hardware\"",
    ));
    build(&project);

    // Excepted: the Hardware breaches T02, T05 and T08 (response), T01, T05 and T08
    // (resolution).
    assert_eq!(
        excepted_column(&project),
        triples(&[
            ("T01", "resolution", "EX-01"),
            ("T02", "response", "EX-01"),
            ("T03", "resolution", ""),
            ("T05", "resolution", "EX-01"),
            ("T05", "response", "EX-01"),
            ("T07", "response", ""),
            ("T08", "resolution", "EX-01"),
            ("T08", "response", "EX-01"),
        ])
    );

    // The scope's ticket list: every Hardware ticket (T01, T02, T05, T06, T08), with the
    // breaches the exception excepts; T06 met both targets.
    let in_scope = read_csv(&project.read("site/evidence/exception-ex-01.csv"));
    let listed: Vec<(&str, &str)> = in_scope[1..]
        .iter()
        .map(|row| (row[0].as_str(), row[4].as_str()))
        .collect();
    assert_eq!(
        listed,
        [
            ("T01", "resolution"),
            ("T02", "response"),
            ("T05", "response, resolution"),
            ("T06", ""),
            ("T08", "response, resolution"),
        ]
    );
    assert!(project.read("site/register.html").contains(
        "the scope matches <a href=\"evidence&#x2F;exception-ex-01.html\">5 audited tickets</a>"
    ));

    // P3 response: 3 met, 2 breached (T02, T08), both excepted: 3/5 = 60.0%, net 3/3.
    // P3 resolution: 2 met, 3 breached (T01, T03, T08), 2 excepted: 2/5 = 40.0%, net 2/3.
    // P4 response: 1 met, 2 breached (T05, T07), 1 excepted: 1/3 = 33.3%, net 1/2.
    // P4 resolution: 2 met, 1 breached (T05), excepted: 2/3 = 66.6%, net 2/2.
    // All: response 4 met, 4 breached, 3 excepted: 50.0%, net 4/5; resolution the same.
    let summary = page_text(&project.read("site/index.html"));
    for expected in [
        "P3 5 always 1h 60.0% net 100.0% 3 met · 2 breached (2 excepted) 60.0% 8h 40.0% net 66.6% 2 met · 3 breached (2 excepted) 40.0%",
        "P4 3 always 4h 33.3% net 50.0% 1 met · 2 breached (1 excepted) 33.3% 1d 66.6% net 100.0% 2 met · 1 breached (1 excepted) 66.6%",
        "All 8 50.0% net 80.0% 4 met · 4 breached (3 excepted) 50.0% 50.0% net 80.0% 4 met · 4 breached (3 excepted) 50.0%",
        "4 response and 4 resolution targets were breached; 6 of these breaches are excepted",
    ] {
        assert_contains(&summary, expected);
    }

    // Team Field has T01, T02, T05, T06 and T08: response 2 met, 3 breached, all
    // excepted; resolution the same.
    let priorities = page_text(&project.read("site/priorities.html"));
    assert_contains(
        &priorities,
        "Field all 5 40.0% net 100.0% 2 met · 3 breached (3 excepted) 40.0% net 100.0% 2 met · 3 breached (3 excepted)",
    );
    assert_contains(
        &priorities,
        "P3 always 1h 8h 5 60.0% net 100.0% 3 met · 2 breached (2 excepted)",
    );

    // The attainment checks keep their gross value and name the net rate; their evidence
    // names each breach's exception.
    let priority_area = page_text(&project.read("site/areas/ticket-priority.html"));
    assert_contains(
        &priority_area,
        "3 of 5 decided P3 tickets met their response target; 2 breaches excepted by the register, so net attainment is 100.0%",
    );
    let metrics_area = page_text(&project.read("site/areas/metrics.html"));
    assert_contains(
        &metrics_area,
        "4 of 8 decided tickets met their resolution target; 3 breaches excepted by the register, so net attainment is 80.0%",
    );
    // Hardware has T01, T02, T05, T06 and T08, the same tickets as team Field.
    assert_contains(
        &metrics_area,
        "Hardware 5 40.0% net 100.0% 2 met · 3 breached (3 excepted) 40.0% net 100.0% 2 met · 3 breached (3 excepted)",
    );
    let evidence = read_csv(&project.read("site/evidence/response-attainment-p3.csv"));
    assert_eq!(evidence[0].last().map(String::as_str), Some("exception"));
    let rows: Vec<(&str, &str)> = evidence[1..]
        .iter()
        .map(|row| (row[0].as_str(), row.last().unwrap().as_str()))
        .collect();
    assert_eq!(rows, [("T02", "EX-01"), ("T08", "EX-01")]);
}

#[test]
fn ticket_list_scope_excepts_only_those_tickets() {
    let project = project(&register_with_exception("approved", "tickets T01, T05"));
    build(&project);
    assert_eq!(
        excepted_column(&project),
        triples(&[
            ("T01", "resolution", "EX-01"),
            ("T02", "response", ""),
            ("T03", "resolution", ""),
            ("T05", "resolution", "EX-01"),
            ("T05", "response", "EX-01"),
            ("T07", "response", ""),
            ("T08", "resolution", ""),
            ("T08", "response", ""),
        ])
    );
    // P3 response keeps 3/5 both ways; P3 resolution 2/5, net 2/4; P4 response 1/3, net
    // 1/2; P4 resolution 2/3, net 2/2.
    let summary = page_text(&project.read("site/index.html"));
    assert_contains(
        &summary,
        "P3 5 always 1h 60.0% net 60.0% 3 met · 2 breached 60.0% 8h 40.0% net 50.0% 2 met · 3 breached (1 excepted) 40.0%",
    );
    assert_contains(
        &summary,
        "P4 3 always 4h 33.3% net 50.0% 1 met · 2 breached (1 excepted) 33.3% 1d 66.6% net 100.0% 2 met · 1 breached (1 excepted) 66.6%",
    );
}

#[test]
fn proposed_exception_excepts_nothing() {
    let project = project(&register_with_exception(
        "proposed",
        "category = \"Hardware\"",
    ));
    build(&project);
    assert!(excepted_column(&project).iter().all(|row| row.2.is_empty()));
    // Without an approved exception net equals gross, so only gross is shown.
    let summary = page_text(&project.read("site/index.html"));
    assert_contains(
        &summary,
        "All 8 50.0% 4 met · 4 breached 50.0% 50.0% 4 met · 4 breached 50.0%",
    );
    assert!(!summary.contains("net 50.0%"), "{summary}");
}

/// Tickets whose targets run out around an exception in force from 2026-07-05 to
/// 2026-07-07, London time:
/// - T01 resolution ran out 07-01 17:00 and T02 response 07-02 10:00: before approval.
/// - T05 response ran out 07-05 13:00 and resolution 07-06 09:00: in force.
/// - T09 opened 07-04 20:00, before approval; its response ran out 07-05 00:00: in force.
/// - T10 opened 07-07 08:00; response ran out 07-07 12:00 (expiry day, in force), resolution
///   07-08 08:00 (after expiry).
/// - T11 response ran out 07-08 00:30 London, which is still 07-07 in UTC: after expiry.
/// - T08 (open) ran out 07-08: after expiry.
const AROUND_VALIDITY: &str = "\
T09,2026-07-04 20:00,2026-07-05 02:00,2026-07-05 03:00,2026-07-06 03:00,P4,Closed,Hardware,Field,Phone
T10,2026-07-07 08:00,2026-07-07 13:00,2026-07-08 09:00,2026-07-09 09:00,P4,Closed,Hardware,Field,Phone
T11,2026-07-07 20:30,2026-07-08 01:00,2026-07-08 02:00,2026-07-09 02:00,P4,Closed,Hardware,Field,Phone
";

#[test]
fn breach_date_decides_validity() {
    let register = register_with_exception("approved", "category = \"Hardware\"")
        .replace("2026-06-01", "2026-07-05")
        .replace("2026-12-31", "2026-07-07");
    let project = project(&register);
    project.file("tickets.csv", format!("{TICKETS}{AROUND_VALIDITY}"));
    build(&project);
    assert_eq!(
        excepted_column(&project),
        triples(&[
            ("T01", "resolution", ""),
            ("T02", "response", ""),
            ("T03", "resolution", ""),
            ("T05", "resolution", "EX-01"),
            ("T05", "response", "EX-01"),
            ("T07", "response", ""),
            ("T08", "resolution", ""),
            ("T08", "response", ""),
            ("T09", "response", "EX-01"),
            ("T10", "resolution", ""),
            ("T10", "response", "EX-01"),
            ("T11", "response", ""),
        ])
    );
}

const LINKED_REGISTER: &str = "\
# Linked register

## Owners

| Control area          | Owner | Team | Last review | Next review |
| --------------------- | ----- | ---- | ----------- | ----------- |
| Ticket priority       | Ann   | Desk | 2026-01-10  | 2026-09-20  |
| Escalation            | Bob   | Ops  | 2026-01-10  | 2027-01-10  |
| Metrics               | Cy    | QA   | 2026-01-10  | 2027-01-10  |
| Security verification | Di    | Sec  | 2026-01-10  | 2027-01-10  |

## Exceptions

### EX-01 — Hardware until the new contract

- Status: approved
- Scope: `category = \"Hardware\" and metric = response`
- Approved by: Helen Carter
- Approved on: 2026-06-01
- Expires: 2026-09-30

Contract <script>alert(1)</script> see [summary](https://example.com/c) and [bad](javascript:alert).

### EX-02 — Printers

- Status: approved
- Scope: `category = \"Printers\"`
- Approved by: Helen Carter
- Approved on: 2026-06-01
- Expires: 2026-09-01

## Risk acceptances

### RA-01 — Slow software fixes

- Accepted by: Helen Carter
- Accepted on: 2026-07-01
- Review by: 2026-09-01
- Links: T03, T04, exception-expired:EX-01, Resolution-Attainment, NOPE-1

## Actions

### AC-01 — Renew the hardware exception

- Owner: Ann
- Due: 2026-09-15
- Status: done
- Finding: exception-expired:EX-01
";

#[test]
fn register_page_links_evidence_both_ways() {
    let project = project(LINKED_REGISTER);
    let run = project.run(&["build", ".", "--as-of", "2026-10-01"]);
    run.success();
    assert_contains(
        &run.stderr,
        "slaudit: register.md:34: warning: risk acceptance `RA-01` names `NOPE-1` in `links`, which is neither a check or finding on 2026-10-01 nor a ticket of the export; correct the id or remove it\n",
    );
    // check lists the same reference, and only that one: T03, T04, the finding and the
    // check id all resolve.
    let check = project.run(&["check", ".", "--as-of", "2026-10-01"]);
    check.success();
    let named: Vec<&str> = check
        .stdout
        .lines()
        .filter(|line| line.contains(" names `"))
        .collect();
    assert_eq!(
        named,
        ["register.md:34: warning: risk acceptance `RA-01` names `NOPE-1` in `links`, which is neither a check or finding on 2026-10-01 nor a ticket of the export; correct the id or remove it"]
    );

    let page = project.read("site/register.html");
    // EX-01 expired on 2026-09-30 and its scope matches the five Hardware tickets; EX-02
    // expired too but matches no ticket, so it gives no finding.
    assert_contains(
        &page,
        "<tr id=\"exception-expired:EX-01\"><th scope=\"row\"><code>exception-expired:EX-01</code></th><td><a href=\"#EX-01\">EX-01</a></td><td>2026-09-30</td><td>Exception EX-01 (Hardware until the new contract) expired on 2026-09-30, 1 day ago, but is still marked approved; renew it or mark it expired.</td><td class=\"num\">5</td><td><a href=\"#RA-01\">RA-01</a>, <a href=\"#AC-01\">AC-01</a></td></tr>",
    );
    assert!(!page.contains("exception-expired:EX-02"), "{page}");
    for expected in [
        "<tr id=\"area-review-overdue:ticket-priority\">",
        "<tr id=\"area-without-owner:satisfaction\">",
        "<tr id=\"risk-review-overdue:RA-01\">",
        "<tr id=\"action-unverified:AC-01\">",
        // A known area missing from the table is listed with its finding.
        "<tr id=\"area-satisfaction\"><th scope=\"row\">satisfaction</th><td>not in the register</td>",
        // EX-01 matches the Hardware tickets T01, T02, T05, T06 and T08; its response
        // breaches T02, T05 and T08 ran out while it was in force.
        "<dt>Tickets</dt><dd>the scope matches <a href=\"evidence&#x2F;exception-ex-01.html\">5 audited tickets</a>; 3 breaches excepted</dd>",
        "<dt>Tickets</dt><dd>the scope matches 0 audited tickets; 0 breaches excepted</dd>",
        // Risk acceptance links: T03 breached resolution (the first breach row), T04 has no
        // breach, the finding is on the page, the overall resolution check is on the metrics
        // page (ids ignore case) and NOPE-1 is nothing known. Tera escapes `/` in the href,
        // which a browser reads back as `/`.
        "<dt>Links</dt><dd><a href=\"breaches.html#T03-resolution\">T03</a> <span class=\"note\">(ticket, breach evidence)</span>, T04 <span class=\"note\">(ticket with no breach)</span>, <a href=\"#exception-expired:EX-01\">exception-expired:EX-01</a> <span class=\"note\">(finding)</span>, <a href=\"areas&#x2F;metrics.html#resolution-attainment\">resolution-attainment</a> <span class=\"note\">(check of the review)</span>, NOPE-1 <span class=\"note\">(not found in this build)</span></dd>",
        "<dt>Finding</dt><dd><a href=\"#exception-expired:EX-01\">exception-expired:EX-01</a> <span class=\"note\">(finding)</span></dd>",
        // Notes: raw HTML shown as text, only the https link kept.
        "<div class=\"notes\"><p>Contract &lt;script&gt;alert(1)&lt;/script&gt; see <a href=\"https://example.com/c\">summary</a> and bad.</p>",
    ] {
        assert_contains(&page, expected);
    }
    // The only script is the site's own table script.
    assert_eq!(page.matches("<script").count(), 1, "{page}");
    assert_contains(&page, "<script src=\"assets/app.js\" defer></script>");

    // The breach list names the exception and the acceptance, and links back.
    let breaches = project.read("site/breaches.html");
    assert_contains(&breaches, "<tr id=\"T03-resolution\">");
    assert_contains(
        &breaches,
        "<td>named in <a href=\"register.html#RA-01\">RA-01</a></td>",
    );
    assert_contains(
        &breaches,
        "<td>excepted by <a href=\"register.html#EX-01\">EX-01</a></td>",
    );
    let csv = read_csv(&project.read("site/breaches.csv"));
    assert_eq!(csv[0][15..], ["exception", "named_by", "timezone"]);
    let t03 = csv.iter().find(|row| row[0] == "T03").unwrap();
    assert_eq!(t03[15..], ["", "RA-01", "Europe/London"]);

    // The data-quality page lists the register's warnings.
    let quality = page_text(&project.read("site/quality.html"));
    assert_contains(
        &quality,
        "register.md:34 warning risk acceptance `RA-01` names `NOPE-1` in `links`",
    );
}

#[test]
fn parser_warnings_reach_stderr_and_quality_page() {
    let register = register_with_exception("approved", "category = \"Hardware\"")
        .replace("- Expires:", "- Expiry date: 2027-01-01\n- Expires:");
    let project = project(&register);
    let run = project.run(&["build", ".", "--as-of", "2026-10-01"]);
    run.success();
    assert_eq!(
        messages(&run.stderr),
        ["slaudit: register.md:11:3: warning: unknown key `Expiry date` in exception `EX-01`; did you mean `expires`?"],
        "{run}"
    );
    let quality = page_text(&project.read("site/quality.html"));
    assert_contains(
        &quality,
        "register.md:11:3 warning unknown key `Expiry date` in exception `EX-01`; did you mean `expires`?",
    );
}

#[test]
fn broken_register_stops_the_build_with_every_line() {
    let register = "\
# Register

## Exceptions

### EX-01 — Hardware

- Status: approved
- Scope: `categroy = Hardware`
- Approved on: 2026-06-31
- Expiry: 2026-12-31

### EX-01 — Again

- Status: maybe
- Scope: tickets T01
";
    let project = project(register);
    project
        .run(&["build", ".", "--as-of", "2026-10-01"])
        .failure()
        .stderr_is(
            "slaudit: register.md: the register has 6 errors and 1 warning; fix the errors and build again:
  register.md:5: error: approved exception `EX-01` has no `approved by`; add an item such as `- Approved by: Head of IT Operations` or change the status
  register.md:5: error: approved exception `EX-01` has no `expires`; add an item such as `- Expires: 2026-12-31` or change the status
  register.md:8:11: error: invalid scope in exception `EX-01` at character 1: unknown field `categroy`; did you mean `category`?
  register.md:9:16: error: invalid date `2026-06-31` for `approved on` in exception `EX-01`: expected YYYY-MM-DD such as 2026-07-01
  register.md:10:3: warning: unknown key `Expiry` in exception `EX-01`; did you mean `expires`?
  register.md:12: error: duplicate id `EX-01`: first used on line 5; ids ignore case, so give this entry an id of its own
  register.md:14:11: error: invalid status `maybe` in exception `EX-01`; expected one of `proposed`, `approved`, `rejected`, `expired`",
        );
    assert!(!project.path().join("site").exists());
}

#[test]
fn missing_register_file_names_the_setting() {
    let project = project("");
    std::fs::remove_file(project.path().join("register.md")).unwrap();
    let run = project.run(&["build", ".", "--as-of", "2026-10-01"]);
    run.failure();
    assert!(
        run.stderr.starts_with(
            "slaudit: failed to read the register register.md named by [register] file in slaudit.toml\n  caused by: "
        ),
        "{run}"
    );
}

#[test]
fn project_without_register_shows_gross_only() {
    let project = project("");
    project.file(
        "slaudit.toml",
        CONFIG.replace("[register]\nfile = \"register.md\"\n", ""),
    );
    build(&project);
    let summary = page_text(&project.read("site/index.html"));
    assert_contains(
        &summary,
        "All 8 50.0% 4 met · 4 breached 50.0% 50.0% 4 met · 4 breached 50.0%",
    );
    assert!(!summary.contains("net"), "{summary}");
    let register = page_text(&project.read("site/register.html"));
    assert_contains(&register, "This project has no governance register");
    let csv = read_csv(&project.read("site/breaches.csv"));
    assert!(csv[1..]
        .iter()
        .all(|row| row[15].is_empty() && row[16].is_empty()));
}

#[test]
fn init_writes_a_register_that_loads() {
    let project = Project::new();
    project.file("export/tickets.csv", TICKETS);
    project
        .run(&[
            "init",
            "audit",
            "--preset",
            "generic",
            "--tickets",
            "export/tickets.csv",
            "--timezone",
            "Europe/London",
        ])
        .success()
        .stderr_is(
            "slaudit: wrote audit/slaudit.toml for a generic export read as per-ticket; set the SLA targets to the client's, then run `slaudit build audit`\n\
             slaudit: wrote the register skeleton audit/register.md; name each control area's owner in it",
        );
    assert_contains(
        &project.read("audit/slaudit.toml"),
        "\n[register]\nfile = \"register.md\"\n",
    );

    // The register loads with no warning, and reports each known area as unowned. The only
    // message is about the example targets init wrote.
    let run = project.run(&["build", "audit", "--as-of", "2026-10-01", "--out", "site"]);
    run.success();
    assert_eq!(
        messages(&run.stderr),
        ["slaudit: warning: the [[sla]] targets are the examples `slaudit init` wrote, not the client's contract, so every verdict is measured against them; replace them with the client's targets"],
        "{run}"
    );
    assert_contains(
        &page_text(&project.read("site/index.html")),
        "Example targets. The SLA targets are the examples slaudit init wrote, not the client's contract",
    );
    let page = page_text(&project.read("site/register.html"));
    for area in [
        "ticket priority",
        "escalation",
        "metrics",
        "security verification",
        "satisfaction",
    ] {
        assert_contains(
            &page,
            &format!("No one owns {area}: its row in the Owners table names no owner."),
        );
    }
    assert_contains(&page, "The register has no exceptions.");

    // A second init keeps the register the audit team has filled in.
    project.file("audit/register.md", "# Ours\n");
    project
        .run(&[
            "init",
            "audit",
            "--preset",
            "generic",
            "--tickets",
            "export/tickets.csv",
            "--timezone",
            "Europe/London",
            "--force",
        ])
        .success();
    assert_eq!(project.read("audit/register.md"), "# Ours\n");
}

#[test]
fn skeleton_and_its_examples_parse() {
    let (register, diagnostics) = Register::parse(SKELETON, "register.md", &[]);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(register.owners.len(), 5);
    assert!(register.owners.iter().all(|row| row.owner.is_none()));
    assert!(register.exceptions.is_empty());

    // With the fences removed, each example becomes an entry of its section.
    let unfenced: String = SKELETON
        .lines()
        .filter(|line| !line.starts_with("~~~"))
        .map(|line| format!("{line}\n"))
        .collect();
    let (register, diagnostics) = Register::parse(&unfenced, "register.md", &[]);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(register.exceptions.len(), 1);
    assert_eq!(register.risk_acceptances.len(), 1);
    assert_eq!(register.actions.len(), 1);
}
