//! Register findings on given dates. Every day count below was worked out on a calendar.

use chrono::NaiveDate;
use slaudit::register::{Finding, FindingKind, Register};

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn complete() -> Register {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/register/complete.md"
    ))
    .unwrap();
    let (register, diagnostics) = Register::parse(&text, "complete.md", &[]);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    register
}

fn parse(text: &str) -> Register {
    let (register, diagnostics) = Register::parse(text, "register.md", &[]);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    register
}

/// `(id, line, date)` of each finding, in order.
fn summary(findings: &[Finding]) -> Vec<(String, usize, Option<NaiveDate>)> {
    findings
        .iter()
        .map(|finding| (finding.id.clone(), finding.line, finding.date))
        .collect()
}

const OWNERS: &str = "\
## Owners

| Control area | Owner | Team | Last review | Next review |
| --- | --- | --- | --- | --- |
| Ticket priority | Priya Raman | Desk | | 2026-03-01 |
| Escalation | Tomasz Nowak | Ops | | 2026-02-28 |
| Metrics | Alice Durand | Quality | | 2027-06-30 |
| Security verification | Grace Okafor | Security | | 2027-06-30 |
| Satisfaction | Alice Durand | Quality | | 2027-06-30 |
";

#[test]
fn complete_example_early_september() {
    let findings = complete().findings(date("2026-09-01"));
    assert_eq!(
        summary(&findings),
        [
            (
                "area-review-overdue:Vendor-management".to_string(),
                16,
                Some(date("2026-08-10"))
            ),
            (
                "exception-expiring:EX-02".to_string(),
                36,
                Some(date("2026-09-30"))
            ),
            (
                "action-unverified:AC-02".to_string(),
                81,
                Some(date("2026-08-31"))
            ),
        ]
    );
    // 2026-08-10 to 2026-09-01: 21 days left in August, then 1.
    assert_eq!(
        findings[0].message,
        "The review of Vendor management was due on 2026-08-10 and is 22 days overdue."
    );
    assert_eq!(
        findings[1].message,
        "Exception EX-02 (Response for tickets logged by e-mail at night) expires on 2026-09-30, in 29 days; renew it or plan for the breaches it covers to count again."
    );
    assert_eq!(
        findings[2].message,
        "Action AC-02 (Record identity verification on password resets), owned by Grace Okafor, is marked done but nobody has verified that it worked."
    );
    assert_eq!(findings[1].kind, FindingKind::ExceptionExpiring);
    assert_eq!(findings[1].entry, "EX-02");
}

#[test]
fn complete_example_october_first() {
    let findings = complete().findings(date("2026-10-01"));
    assert_eq!(
        summary(&findings),
        [
            (
                "area-review-overdue:escalation".to_string(),
                12,
                Some(date("2026-09-15"))
            ),
            (
                "area-review-overdue:Vendor-management".to_string(),
                16,
                Some(date("2026-08-10"))
            ),
            (
                "exception-validation-overdue:EX-01".to_string(),
                20,
                Some(date("2026-09-30"))
            ),
            (
                "exception-expired:EX-02".to_string(),
                36,
                Some(date("2026-09-30"))
            ),
            (
                "action-overdue:AC-01".to_string(),
                71,
                Some(date("2026-09-15"))
            ),
            (
                "action-unverified:AC-02".to_string(),
                81,
                Some(date("2026-08-31"))
            ),
        ]
    );
    let messages: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "The review of escalation was due on 2026-09-15 and is 16 days overdue.",
            // 2026-08-10 to 2026-09-10 is 31 days, then 21 more to 2026-10-01.
            "The review of Vendor management was due on 2026-08-10 and is 52 days overdue.",
            "Exception EX-01 (Hardware waiting for vendor parts) was due for validation on 2026-09-30 and is 1 day overdue.",
            "Exception EX-02 (Response for tickets logged by e-mail at night) expired on 2026-09-30, 1 day ago, but is still marked approved; renew it or mark it expired.",
            "Action AC-01 (Retrain the night shift on first responses), owned by Priya Raman, was due on 2026-09-15 and is 16 days overdue.",
            "Action AC-02 (Record identity verification on password resets), owned by Grace Okafor, is marked done but nobody has verified that it worked.",
        ]
    );
}

#[test]
fn area_review_due_today_is_not_overdue() {
    let register = parse(OWNERS);
    let findings = register.findings(date("2026-03-01"));
    assert_eq!(
        summary(&findings),
        [(
            "area-review-overdue:escalation".to_string(),
            6,
            Some(date("2026-02-28"))
        )]
    );
    assert_eq!(
        findings[0].message,
        "The review of escalation was due on 2026-02-28 and is 1 day overdue."
    );
}

#[test]
fn missing_areas_point_at_owners_heading() {
    let text = "\
# Register

## Owners

| Control area | Owner | Team | Last review | Next review |
| --- | --- | --- | --- | --- |
| Metrics | Alice Durand | Quality | | 2027-06-30 |
| Satisfaction | — | Quality | | |
";
    let findings = parse(text).findings(date("2026-03-01"));
    assert_eq!(
        summary(&findings),
        [
            ("area-without-owner:escalation".to_string(), 3, None),
            (
                "area-without-owner:security-verification".to_string(),
                3,
                None
            ),
            ("area-without-owner:ticket-priority".to_string(), 3, None),
            ("area-without-owner:satisfaction".to_string(), 8, None),
        ]
    );
    assert_eq!(
        findings[0].message,
        "No one owns escalation: the Owners table has no row for it."
    );
    assert_eq!(
        findings[3].message,
        "No one owns satisfaction: its row in the Owners table names no owner."
    );
}

#[test]
fn register_without_owners_section() {
    let findings = parse("# Register\n").findings(date("2026-03-01"));
    let ids: Vec<&str> = findings.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "area-without-owner:escalation",
            "area-without-owner:metrics",
            "area-without-owner:satisfaction",
            "area-without-owner:security-verification",
            "area-without-owner:ticket-priority",
        ]
    );
    assert!(findings.iter().all(|f| f.line == 1));
    assert_eq!(
        findings[1].message,
        "No one owns metrics: the register has no Owners section."
    );
}

/// Parses the owners table and one approved exception with the given expiry and next
/// validation.
fn exception(expires: &str, next_validation: &str) -> Register {
    parse(&format!(
        "{OWNERS}
## Exceptions

### EX-01 — Vendor parts
- Status: approved
- Scope: category = Hardware
- Approved by: Helen Carter
- Approved on: 2026-01-01
- Expires: {expires}
- Next validation: {next_validation}
"
    ))
}

/// Lists the findings about EX-01 on `as_of`, as `(kind, date, message)`.
fn exception_findings(register: &Register, as_of: &str) -> Vec<(FindingKind, NaiveDate, String)> {
    register
        .findings(date(as_of))
        .into_iter()
        .filter(|finding| finding.kind.is_about_exception())
        .map(|finding| (finding.kind, finding.date.unwrap(), finding.message))
        .collect()
}

#[test]
fn exception_expiring_today_is_in_force() {
    let register = exception("2026-02-01", "2026-12-31");
    assert!(register.exceptions[0].is_in_force(date("2026-02-01")));
    assert!(!register.exceptions[0].is_in_force(date("2026-02-02")));
    assert_eq!(
        exception_findings(&register, "2026-02-01"),
        [(
            FindingKind::ExceptionExpiring,
            date("2026-02-01"),
            "Exception EX-01 (Vendor parts) expires on 2026-02-01, today; renew it or plan for the breaches it covers to count again.".to_string()
        )]
    );
}

#[test]
fn exception_expiring_in_exactly_thirty_days() {
    // February 2026 has 28 days: 2026-02-01 + 28 days = 2026-03-01, + 2 = 2026-03-03.
    let register = exception("2026-03-03", "2026-12-31");
    assert_eq!(
        exception_findings(&register, "2026-02-01"),
        [(
            FindingKind::ExceptionExpiring,
            date("2026-03-03"),
            "Exception EX-01 (Vendor parts) expires on 2026-03-03, in 30 days; renew it or plan for the breaches it covers to count again.".to_string()
        )]
    );
    // One day later it is 31 days away.
    let later = exception("2026-03-04", "2026-12-31");
    assert_eq!(exception_findings(&later, "2026-02-01"), []);
}

#[test]
fn exception_expired_yesterday() {
    let register = exception("2026-01-31", "2026-12-31");
    assert_eq!(
        exception_findings(&register, "2026-02-01"),
        [(
            FindingKind::ExceptionExpired,
            date("2026-01-31"),
            "Exception EX-01 (Vendor parts) expired on 2026-01-31, 1 day ago, but is still marked approved; renew it or mark it expired.".to_string()
        )]
    );
}

#[test]
fn exception_validation_due_today_is_not_overdue() {
    let register = exception("2026-12-31", "2026-02-01");
    assert_eq!(exception_findings(&register, "2026-02-01"), []);
    assert_eq!(
        exception_findings(&register, "2026-02-11"),
        [(
            FindingKind::ExceptionValidationOverdue,
            date("2026-02-01"),
            "Exception EX-01 (Vendor parts) was due for validation on 2026-02-01 and is 10 days overdue.".to_string()
        )]
    );
}

#[test]
fn expired_exception_reports_no_validation() {
    // Past expiry, the lapsed approval is the finding; a missed validation adds nothing.
    let register = exception("2026-01-31", "2026-01-15");
    let kinds: Vec<FindingKind> = exception_findings(&register, "2026-02-01")
        .into_iter()
        .map(|(kind, _, _)| kind)
        .collect();
    assert_eq!(kinds, [FindingKind::ExceptionExpired]);
}

#[test]
fn only_approved_exceptions_give_findings() {
    for status in ["proposed", "rejected", "expired"] {
        let register = parse(&format!(
            "{OWNERS}\n## Exceptions\n\n### EX-01 — Old\n- Status: {status}\n- Scope: team = Field\n- Expires: 2026-01-01\n- Next validation: 2026-01-01\n"
        ));
        assert_eq!(exception_findings(&register, "2026-02-01"), [], "{status}");
        assert!(!register.exceptions[0].is_in_force(date("2025-12-31")));
    }
}

#[test]
fn exception_in_force_from_approval_day() {
    let register = exception("2026-06-30", "2026-12-31");
    let exception = &register.exceptions[0];
    assert!(!exception.is_in_force(date("2025-12-31")));
    assert!(exception.is_in_force(date("2026-01-01")));
    assert!(exception.is_in_force(date("2026-06-30")));
    assert!(!exception.is_in_force(date("2026-07-01")));
}

#[test]
fn risk_review_boundaries() {
    let register = parse(&format!(
        "{OWNERS}
## Risk acceptances

### RA-01 — No weekend cover
- Accepted by: Helen Carter
- Accepted on: 2025-06-01
- Review by: 2026-02-01
"
    ));
    let risks = |as_of: &str| -> Vec<(String, usize, Option<NaiveDate>, String)> {
        register
            .findings(date(as_of))
            .into_iter()
            .filter(|finding| finding.kind == FindingKind::RiskReviewOverdue)
            .map(|finding| (finding.id, finding.line, finding.date, finding.message))
            .collect()
    };
    assert_eq!(risks("2026-02-01"), []);
    assert_eq!(
        risks("2026-03-01"),
        [(
            "risk-review-overdue:RA-01".to_string(),
            13,
            Some(date("2026-02-01")),
            "Risk acceptance RA-01 (No weekend cover), accepted by Helen Carter, was due for review on 2026-02-01 and is 28 days overdue.".to_string()
        )]
    );
}

#[test]
fn action_boundaries() {
    let register = parse(&format!(
        "{OWNERS}
## Actions

### AC-01 — Due today
- Owner: Dana Wu
- Due: 2026-03-01
- Status: open

### AC-02 — Due yesterday
- Owner: Dana Wu
- Due: 2026-02-28
- Status: in progress

### AC-03 — Done late
- Owner: Dana Wu
- Due: 2026-01-15
- Status: done

### AC-04 — Verified late
- Owner: Dana Wu
- Due: 2026-01-15
- Status: verified

### AC-05 — Open, far ahead
- Owner: Dana Wu
- Due: 2026-12-01
- Status: open
"
    ));
    let actions: Vec<(String, usize, Option<NaiveDate>, String)> = register
        .findings(date("2026-03-01"))
        .into_iter()
        .filter(|finding| finding.id.starts_with("action-"))
        .map(|finding| (finding.id, finding.line, finding.date, finding.message))
        .collect();
    assert_eq!(
        actions,
        [
            (
                "action-overdue:AC-02".to_string(),
                18,
                Some(date("2026-02-28")),
                "Action AC-02 (Due yesterday), owned by Dana Wu, was due on 2026-02-28 and is 1 day overdue.".to_string()
            ),
            (
                "action-unverified:AC-03".to_string(),
                23,
                Some(date("2026-01-15")),
                "Action AC-03 (Done late), owned by Dana Wu, is marked done but nobody has verified that it worked.".to_string()
            ),
        ]
    );
}

#[test]
fn findings_are_the_same_on_every_call() {
    let register = complete();
    let first = register.findings(date("2026-10-01"));
    let second = register.findings(date("2026-10-01"));
    assert_eq!(first, second);
}

#[test]
fn finding_kind_names_are_stable() {
    let names: Vec<&str> = [
        FindingKind::AreaWithoutOwner,
        FindingKind::AreaReviewOverdue,
        FindingKind::ExceptionExpired,
        FindingKind::ExceptionExpiring,
        FindingKind::ExceptionValidationOverdue,
        FindingKind::RiskReviewOverdue,
        FindingKind::ActionOverdue,
        FindingKind::ActionUnverified,
    ]
    .into_iter()
    .map(FindingKind::name)
    .collect();
    assert_eq!(
        names,
        [
            "area-without-owner",
            "area-review-overdue",
            "exception-expired",
            "exception-expiring",
            "exception-validation-overdue",
            "risk-review-overdue",
            "action-overdue",
            "action-unverified",
        ]
    );
}
