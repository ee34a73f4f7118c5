//! Security verification: tickets a rule selects must record a field, optionally from a list.

use super::{ticket_columns, Area, Check, Evidence, Facts, Measure};
use crate::register::{Scope, TicketFields};
use crate::review::decision::{Decision, Direction};

pub fn checks(facts: &Facts<'_>) -> Vec<Check> {
    if facts.settings.security.is_empty() {
        let mut check = Check::information(
            "security-rules".to_string(),
            Area::SecurityVerification,
            "Security rules".to_string(),
            Measure::Count { count: 0 },
            "none".to_string(),
            "no [[review.security]] rule is configured, so nothing was checked".to_string(),
            Evidence::default(),
        );
        check.decision = Decision::NotEnoughData;
        return vec![check];
    }
    facts
        .settings
        .security
        .iter()
        .map(|rule| {
            let fields = [rule.require.field.as_str()];
            // The config loader has already parsed every rule's filter.
            let scope = Scope::parse(&rule.tickets, &fields).ok();
            let mut evidence = Evidence::new(&[
                "ticket",
                "priority",
                "team",
                "category",
                rule.require.field.as_str(),
                "problem",
            ]);
            let mut selected = 0u64;
            for &(ticket, clock) in facts.tickets {
                let ticket_fields = TicketFields::new(ticket, facts.dataset);
                if !scope
                    .as_ref()
                    .is_some_and(|s| s.matches(&ticket_fields, crate::register::Metric::Resolution))
                {
                    continue;
                }
                selected += 1;
                let value = facts.dataset.extra(ticket, &rule.require.field);
                let problem = match (value, &rule.require.one_of) {
                    (None, _) => Some("not recorded".to_string()),
                    (Some(value), Some(allowed))
                        if !allowed.iter().any(|a| a.eq_ignore_ascii_case(value.trim())) =>
                    {
                        Some(format!("not one of {}", allowed.join(", ")))
                    }
                    _ => None,
                };
                if let Some(problem) = problem {
                    let mut row = ticket_columns(facts, ticket, clock);
                    row.extend([value.unwrap_or("").to_string(), problem]);
                    evidence.push(row);
                }
            }
            let compliant = selected - evidence.rows.len() as u64;
            Check::share(
                format!("security-{}", slug(&rule.name)),
                Area::SecurityVerification,
                rule.name.clone(),
                compliant,
                selected,
                format!(
                    "tickets matching `{}` record `{}`{}",
                    rule.tickets,
                    rule.require.field,
                    rule.require
                        .one_of
                        .as_ref()
                        .map(|allowed| format!(" as one of {}", allowed.join(", ")))
                        .unwrap_or_default()
                ),
                facts.settings.security_compliance,
                Direction::HigherIsBetter,
                facts.settings.min_tickets,
                evidence,
            )
        })
        .collect()
}

/// A lowercase id made of the name's letters and digits, words joined by `-`.
pub fn slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs_keep_letters_and_digits() {
        assert_eq!(
            slug("Password resets record identity verification"),
            "password-resets-record-identity-verification"
        );
        assert_eq!(slug("  Access: approver (v2)! "), "access-approver-v2");
        assert_eq!(slug("Ünïcode"), "n-code");
    }
}
