use std::collections::BTreeMap;

use super::*;

fn ticket(fields: &[(&str, &str)]) -> BTreeMap<String, String> {
    fields
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

fn scope(text: &str) -> Scope {
    Scope::parse(text, &["u_verification", "Contract Type"]).unwrap()
}

fn error(text: &str) -> (usize, String) {
    let error = Scope::parse(text, &["u_verification"]).unwrap_err();
    (error.position, error.message)
}

#[test]
fn equality_ignores_case_and_spaces() {
    let field_ticket = ticket(&[("team", "  field SERVICES ")]);
    assert!(scope("team = \"Field Services\"").matches(&field_ticket, Metric::Response));
    assert!(!scope("team = Field").matches(&field_ticket, Metric::Response));
}

#[test]
fn equality_folds_case_beyond_ascii() {
    let accented = ticket(&[("team", " ÉQUIPE Nord ")]);
    assert!(scope("team = \"équipe nord\"").matches(&accented, Metric::Response));
    assert!(!scope("team = \"equipe nord\"").matches(&accented, Metric::Response));
    let plain = ticket(&[("team", "Field")]);
    assert!(!scope("team = \"Fiéld\"").matches(&plain, Metric::Response));
    assert!(scope("team = \"FIELD\"").matches(&plain, Metric::Response));
}

#[test]
fn not_equal_matches_missing_value() {
    let no_team = ticket(&[("priority", "P3")]);
    assert!(scope("team != \"Field\"").matches(&no_team, Metric::Response));
    assert!(!scope("team = \"Field\"").matches(&no_team, Metric::Response));
    assert!(scope("team = \"\"").matches(&no_team, Metric::Response));
}

#[test]
fn priority_compares_policy_levels() {
    let p3 = ticket(&[("priority", "p3")]);
    let raw_label = ticket(&[("priority", "3 - Moderate")]);
    assert!(scope("priority = P3").matches(&p3, Metric::Resolution));
    assert!(!scope("priority = P3").matches(&raw_label, Metric::Resolution));
    assert!(!scope("priority = P4").matches(&p3, Metric::Resolution));
    assert!(scope("priority in (P1, P2, p3)").matches(&p3, Metric::Resolution));
    assert!(!scope("priority not in (P1, P2, P3)").matches(&p3, Metric::Resolution));
}

#[test]
fn impact_compares_leading_numbers() {
    let labelled = ticket(&[("impact", "2 - Medium")]);
    let bare = ticket(&[("impact", "2")]);
    assert!(scope("impact = 2").matches(&labelled, Metric::Response));
    assert!(scope("impact = \"2 - Medium\"").matches(&bare, Metric::Response));
    assert!(!scope("impact = 1").matches(&bare, Metric::Response));
    assert!(!scope("urgency = 2").matches(&bare, Metric::Response));
}

#[test]
fn metric_restricts_to_one_metric() {
    let any = ticket(&[("priority", "P3")]);
    let response_only = scope("priority = P3 and metric = response");
    assert!(response_only.matches(&any, Metric::Response));
    assert!(!response_only.matches(&any, Metric::Resolution));
    let not_response = scope("not (metric = Response)");
    assert!(!not_response.matches(&any, Metric::Response));
    assert!(not_response.matches(&any, Metric::Resolution));
    assert!(scope("metric != response").matches(&any, Metric::Resolution));
}

#[test]
fn and_binds_tighter_than_or() {
    let network_p4 = ticket(&[("priority", "P4"), ("team", "Network")]);
    let field_p4 = ticket(&[("priority", "P4"), ("team", "Field")]);
    let either = scope("priority in (P1, P2) or team = \"Network\"");
    assert!(either.matches(&network_p4, Metric::Response));
    assert!(!either.matches(&field_p4, Metric::Response));
    // Read as `team = Field or (priority = P1 and team = Network)`.
    let mixed = scope("team = Field or priority = P1 and team = Network");
    assert!(mixed.matches(&field_p4, Metric::Response));
    assert!(!mixed.matches(&network_p4, Metric::Response));
    let grouped = scope("(team = Field or priority = P1) and team = Network");
    assert!(!grouped.matches(&field_p4, Metric::Response));
}

#[test]
fn keywords_ignore_case() {
    let hardware = ticket(&[("priority", "P3"), ("category", "Hardware")]);
    assert!(scope("PRIORITY = P3 AND Category = \"hardware\"").matches(&hardware, Metric::Response));
    assert!(scope("Not (channel = Email)").matches(&hardware, Metric::Response));
    assert!(scope("team NOT IN (Field)").matches(&hardware, Metric::Response));
}

#[test]
fn ticket_list_matches_ids() {
    let listed = ticket(&[("id", "INC002")]);
    let other = ticket(&[("id", "INC003")]);
    let list = scope("tickets INC001, \"inc002\"");
    assert!(list.matches(&listed, Metric::Response));
    assert!(!list.matches(&other, Metric::Response));
    let response_only = scope("tickets INC001, INC002 and metric = response");
    assert!(response_only.matches(&listed, Metric::Response));
    assert!(!response_only.matches(&listed, Metric::Resolution));
}

#[test]
fn extra_fields_match_by_declared_name() {
    let verified = ticket(&[("u_verification", "MFA"), ("Contract Type", "Gold")]);
    assert!(scope("U_Verification in (MFA, Callback)").matches(&verified, Metric::Response));
    assert!(scope("\"contract type\" = gold").matches(&verified, Metric::Response));
}

#[test]
fn quotes_and_escapes() {
    let quoted = ticket(&[("category", "Say \"hi\""), ("team", "O'Brien")]);
    assert!(scope(r#"category = "Say \"hi\"""#).matches(&quoted, Metric::Response));
    assert!(scope(r#"team = 'O\'Brien'"#).matches(&quoted, Metric::Response));
    assert!(scope("team = “O'Brien”").matches(&quoted, Metric::Response));
}

#[test]
fn text_keeps_the_scope_as_written() {
    assert_eq!(scope("  team = Field ").text(), "team = Field");
}

#[test]
fn empty_scope_is_rejected() {
    assert_eq!(
        error("   "),
        (
            1,
            "the scope is empty: expected a filter such as `priority = P3` or `tickets INC001, INC002`".to_string()
        )
    );
}

#[test]
fn missing_value_names_position() {
    assert_eq!(
        error("priority = "),
        (
            12,
            "expected a value after `=`, found the end of the scope".to_string()
        )
    );
}

#[test]
fn missing_operator_names_position() {
    assert_eq!(
        error("team Field"),
        (
            6,
            "expected `=`, `!=`, `in` or `not in` after `team`, found `Field`".to_string()
        )
    );
}

#[test]
fn unknown_field_suggests_close_name() {
    assert_eq!(
        error("priority = P3 and categroy = Hardware"),
        (
            19,
            "unknown field `categroy`; did you mean `category`?".to_string()
        )
    );
    assert_eq!(
        error("u_verificaton = MFA").1,
        "unknown field `u_verificaton`; did you mean `u_verification`?"
    );
}

#[test]
fn unknown_field_without_close_name_lists_fields() {
    assert_eq!(
        error("zzz = 1").1,
        "unknown field `zzz`; expected one of `id`, `priority`, `category`, `subcategory`, `team`, `assignee`, `requester`, `channel`, `status`, `impact`, `urgency`, `metric`, `u_verification`"
    );
}

#[test]
fn unclosed_parenthesis() {
    assert_eq!(
        error("not (channel = Email"),
        (
            21,
            "expected `)` to close the `(` at character 5, found the end of the scope".to_string()
        )
    );
}

#[test]
fn list_without_parenthesis() {
    assert_eq!(
        error("team in Field, Vendor"),
        (9, "expected `(` after `in`, found `Field`".to_string())
    );
}

#[test]
fn list_missing_separator() {
    assert_eq!(
        error("team in (Field Vendor)"),
        (16, "expected `,` or `)`, found `Vendor`".to_string())
    );
}

#[test]
fn not_must_precede_in() {
    assert_eq!(
        error("team not = Field"),
        (10, "expected `in` after `not`, found `=`".to_string())
    );
}

#[test]
fn trailing_words_are_rejected() {
    assert_eq!(
        error("team = Field Vendor"),
        (
            14,
            "expected `and`, `or` or the end of the scope, found `Vendor`".to_string()
        )
    );
}

#[test]
fn keyword_is_not_a_field() {
    assert_eq!(
        error("and = 1"),
        (
            1,
            "expected a field name such as `priority` or `team`, found `and`".to_string()
        )
    );
}

#[test]
fn unterminated_quote() {
    assert_eq!(
        error("team = \"Field"),
        (
            8,
            "expected a closing `\"` for the value that starts here".to_string()
        )
    );
}

#[test]
fn lone_bang_is_rejected() {
    assert_eq!(
        error("team ! Field"),
        (6, "expected `!=`, found `!`".to_string())
    );
}

#[test]
fn invalid_priority_value() {
    assert_eq!(
        error("priority = \"3 - Moderate\""),
        (
            12,
            "invalid priority `3 - Moderate`: expected P1 to P9".to_string()
        )
    );
}

#[test]
fn invalid_metric_value() {
    assert_eq!(
        error("metric = respnse"),
        (
            10,
            "invalid metric `respnse`; did you mean `response`?".to_string()
        )
    );
}

#[test]
fn invalid_impact_value() {
    assert_eq!(
        error("impact = High"),
        (
            10,
            "invalid impact `High`: expected a level such as 2 or \"2 - Medium\"".to_string()
        )
    );
}

#[test]
fn ticket_list_needs_an_id() {
    assert_eq!(
        error("tickets"),
        (
            8,
            "expected a value after `tickets`, found the end of the scope".to_string()
        )
    );
}

#[test]
fn deep_nesting_is_rejected() {
    let text = format!("{}team = Field{}", "(".repeat(40), ")".repeat(40));
    assert_eq!(
        error(&text),
        (
            33,
            "parentheses and `not` nest deeper than 32 levels".to_string()
        )
    );
    let nested = format!("{}team = Field{}", "(".repeat(32), ")".repeat(32));
    assert!(Scope::parse(&nested, &[]).is_ok());
}

#[test]
fn positions_count_characters() {
    // `é` is two bytes but one character.
    assert_eq!(error("team = é and").0, 13);
}
