//! The register page: owners, exceptions with the tickets they cover, risk acceptances,
//! actions and the register's findings, each linked to the evidence it names.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use tera::{Context, Tera};

use super::{page, page_file, RenderInput, SiteFiles, PAGE_SIZE};
use crate::register::{ControlArea, Diagnostic, Notes, ProjectRegister};
use crate::review::{BreachRow, Reference, RegisterReview};

#[derive(Serialize)]
struct FindingView {
    id: String,
    kind: &'static str,
    entry: String,
    /// The link to the entry or control area on this page.
    entry_href: String,
    line: usize,
    date: Option<String>,
    message: String,
    tickets: Option<usize>,
    named_by: Vec<String>,
}

#[derive(Serialize)]
struct OwnerView {
    area: String,
    anchor: String,
    owner: Option<String>,
    team: Option<String>,
    last_review: Option<String>,
    next_review: Option<String>,
    /// `None` for a known area the table does not list.
    line: Option<usize>,
    findings: Vec<String>,
}

#[derive(Serialize)]
struct ReferenceView {
    text: String,
    href: Option<String>,
    /// A label for the reference: what the link leads to, or the reason there is none.
    note: &'static str,
}

#[derive(Serialize)]
struct EntryView {
    id: String,
    title: String,
    line: usize,
    /// Labelled values in the order the README lists the keys; empty values are left out.
    facts: Vec<(&'static str, String)>,
    /// For an exception: its scope as written, shown as code.
    scope: Option<String>,
    /// For an exception: audited tickets its scope matches, and breaches it excepts.
    in_scope: Option<usize>,
    /// For an exception with a scope: the page listing the tickets it matches.
    scope_href: Option<String>,
    excepted_breaches: Option<usize>,
    /// Ticket and finding ids the entry names, resolved, and the label they are shown under.
    references: Vec<ReferenceView>,
    references_label: &'static str,
    findings: Vec<String>,
    notes_html: String,
}

#[derive(Serialize)]
struct DiagnosticView {
    place: String,
    severity: String,
    message: String,
}

/// Maps each ticket to the link of its first breach row: `breaches-N.html#TICKET-METRIC`.
pub fn evidence_links(rows: &[BreachRow]) -> BTreeMap<&str, String> {
    let mut links = BTreeMap::new();
    for (index, row) in rows.iter().enumerate() {
        links.entry(row.ticket.as_str()).or_insert_with(|| {
            let file = page_file("breaches", index / PAGE_SIZE + 1);
            format!("{file}#{}", breach_anchor(row))
        });
    }
    links
}

/// Returns the id of a breach row. It is unique because a ticket has at most one row per
/// metric.
pub fn breach_anchor(row: &BreachRow) -> String {
    format!("{}-{}", row.ticket, row.metric)
}

/// Returns the id of a control area's row: `area-` and its name in lowercase with `-` for
/// spaces.
fn area_anchor(area: &ControlArea) -> String {
    let name = area.name().to_lowercase();
    format!(
        "area-{}",
        name.split_whitespace().collect::<Vec<_>>().join("-")
    )
}

fn date(value: Option<NaiveDate>) -> Option<String> {
    value.map(|d| d.to_string())
}

fn facts(pairs: Vec<(&'static str, Option<String>)>) -> Vec<(&'static str, String)> {
    pairs
        .into_iter()
        .filter_map(|(label, value)| value.map(|value| (label, value)))
        .collect()
}

fn reference_view(reference: &Reference, evidence: &BTreeMap<&str, String>) -> ReferenceView {
    match reference {
        Reference::Check { id, href } => ReferenceView {
            text: id.clone(),
            href: Some(href.clone()),
            note: "check of the review",
        },
        Reference::Finding(id) => ReferenceView {
            text: id.clone(),
            href: Some(format!("#{id}")),
            note: "finding",
        },
        Reference::Ticket {
            id,
            audited,
            breached,
        } => {
            let href = evidence.get(id.as_str()).cloned();
            let note = match (audited, breached) {
                (false, _) => "ticket outside the audited period",
                (true, false) => "ticket with no breach",
                (true, true) => "ticket, breach evidence",
            };
            ReferenceView {
                text: id.clone(),
                href,
                note,
            }
        }
        Reference::Unknown(id) => ReferenceView {
            text: id.clone(),
            href: None,
            note: "not found in this build",
        },
    }
}

/// Lists the ids of the findings about one entry or area.
fn findings_of(review: &RegisterReview, entry: &str) -> Vec<String> {
    review
        .findings
        .iter()
        .filter(|linked| linked.finding.entry == entry)
        .map(|linked| linked.finding.id.clone())
        .collect()
}

fn entry_view(
    id: &str,
    title: &str,
    line: usize,
    notes: &Notes,
    review: &RegisterReview,
    evidence: &BTreeMap<&str, String>,
) -> EntryView {
    let references = review
        .references
        .get(id)
        .map(|list| list.iter().map(|r| reference_view(r, evidence)).collect())
        .unwrap_or_default();
    EntryView {
        id: id.to_string(),
        title: title.to_string(),
        line,
        facts: Vec::new(),
        scope: None,
        in_scope: None,
        scope_href: None,
        excepted_breaches: None,
        references,
        references_label: "",
        findings: findings_of(review, id),
        notes_html: notes.html.clone(),
    }
}

fn owner_views(project: &ProjectRegister, review: &RegisterReview) -> Vec<OwnerView> {
    let register = &project.register;
    let mut views: Vec<OwnerView> = register
        .owners
        .iter()
        .map(|row| OwnerView {
            area: row.area.name().to_string(),
            anchor: area_anchor(&row.area),
            owner: row.owner.clone(),
            team: row.team.clone(),
            last_review: date(row.last_review),
            next_review: date(row.next_review),
            line: Some(row.line),
            findings: findings_of(review, row.area.name()),
        })
        .collect();
    for area in ControlArea::KNOWN {
        if register.owners.iter().all(|row| row.area != area) {
            views.push(OwnerView {
                area: area.name().to_string(),
                anchor: area_anchor(&area),
                owner: None,
                team: None,
                last_review: None,
                next_review: None,
                line: None,
                findings: findings_of(review, area.name()),
            });
        }
    }
    views
}

fn finding_views(project: &ProjectRegister, review: &RegisterReview) -> Vec<FindingView> {
    review
        .findings
        .iter()
        .map(|linked| {
            let finding = &linked.finding;
            let entry_href = match project
                .register
                .owners
                .iter()
                .map(|row| row.area.clone())
                .chain(ControlArea::KNOWN)
                .find(|area| area.name() == finding.entry)
            {
                Some(area) => format!("#{}", area_anchor(&area)),
                None => format!("#{}", finding.entry),
            };
            FindingView {
                id: finding.id.clone(),
                kind: finding.kind.name(),
                entry: finding.entry.clone(),
                entry_href,
                line: finding.line,
                date: date(finding.date),
                message: finding.message.clone(),
                tickets: linked.tickets,
                named_by: linked.named_by.clone(),
            }
        })
        .collect()
}

/// Renders `register.html`, which explains how to add a register when there is none.
pub fn render_register(
    tera: &Tera,
    base: &Context,
    input: &RenderInput<'_>,
    files: &SiteFiles,
) -> anyhow::Result<()> {
    let mut context = base.clone();
    context.insert("page", "register");
    let (Some(project), Some(review)) = (input.register, input.review.register.as_ref()) else {
        context.insert("has_register", &false);
        files.insert(
            "register.html".into(),
            page(tera, "register.html", &context)?,
        );
        return Ok(());
    };
    let register = &project.register;
    let evidence = evidence_links(&input.review.breaches);

    let exceptions: Vec<EntryView> = register
        .exceptions
        .iter()
        .zip(&review.exceptions)
        .map(|(exception, used)| {
            let mut view = entry_view(
                &exception.id,
                &exception.title,
                exception.line,
                &exception.notes,
                review,
                &evidence,
            );
            view.facts = facts(vec![
                ("Status", exception.status.map(|s| s.to_string())),
                ("Owner", exception.owner.clone()),
                ("Approved by", exception.approved_by.clone()),
                ("Approved on", date(exception.approved_on)),
                ("Expires", date(exception.expires)),
                ("Next validation", date(exception.next_validation)),
            ]);
            view.scope = exception
                .scope
                .as_ref()
                .map(|scope| scope.text().to_string());
            view.in_scope = Some(used.in_scope);
            if exception.scope.is_some() && used.in_scope > 0 {
                view.scope_href = Some(format!(
                    "evidence/{}.html",
                    crate::review::exception_listing_id(&exception.id)
                ));
            }
            view.excepted_breaches = Some(used.excepted_breaches);
            view
        })
        .collect();
    let acceptances: Vec<EntryView> = register
        .risk_acceptances
        .iter()
        .map(|acceptance| {
            let mut view = entry_view(
                &acceptance.id,
                &acceptance.title,
                acceptance.line,
                &acceptance.notes,
                review,
                &evidence,
            );
            view.facts = facts(vec![
                ("Risk", acceptance.risk.clone()),
                ("Accepted by", acceptance.accepted_by.clone()),
                ("Accepted on", date(acceptance.accepted_on)),
                ("Review by", date(acceptance.review_by)),
            ]);
            view.references_label = "Links";
            view
        })
        .collect();
    let actions: Vec<EntryView> = register
        .actions
        .iter()
        .map(|action| {
            let mut view = entry_view(
                &action.id,
                &action.title,
                action.line,
                &action.notes,
                review,
                &evidence,
            );
            view.facts = facts(vec![
                ("Owner", action.owner.clone()),
                ("Due", date(action.due)),
                ("Status", action.status.map(|s| s.to_string())),
            ]);
            view.references_label = "Finding";
            view
        })
        .collect();

    context.insert("has_register", &true);
    context.insert("file", &project.input.path);
    context.insert("title", &register.title);
    context.insert("as_of_date", &review.as_of.to_string());
    context.insert("findings", &finding_views(project, review));
    context.insert("owners", &owner_views(project, review));
    context.insert("exceptions", &exceptions);
    context.insert("acceptances", &acceptances);
    context.insert("actions", &actions);
    files.insert(
        "register.html".into(),
        page(tera, "register.html", &context)?,
    );
    Ok(())
}

/// Lists the register's own problems for the data-quality page, ordered by line: the parser's
/// warnings and the references that name nothing.
pub fn register_diagnostics(input: &RenderInput<'_>) -> Vec<impl Serialize> {
    let mut all: Vec<&Diagnostic> = input
        .register
        .iter()
        .flat_map(|project| &project.diagnostics)
        .chain(
            input
                .review
                .register
                .iter()
                .flat_map(|review| &review.diagnostics),
        )
        .collect();
    all.sort_by_key(|diagnostic| (diagnostic.line, diagnostic.column));
    all.into_iter()
        .map(|diagnostic| {
            let mut place = format!("{}:{}", diagnostic.file, diagnostic.line);
            if let Some(column) = diagnostic.column {
                place.push_str(&format!(":{column}"));
            }
            DiagnosticView {
                place,
                severity: diagnostic.severity.to_string(),
                message: diagnostic.message.clone(),
            }
        })
        .collect()
}
