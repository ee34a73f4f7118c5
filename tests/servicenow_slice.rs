//! `slaudit init` and `build` on a slice of a real ServiceNow event log, checked against a
//! slow reference reading of the same file written here.

mod common;

use std::collections::BTreeMap;

use common::{read_csv, Project};

const SLICE: &str = include_str!("fixtures/servicenow/event-log-slice.csv");

/// One row of the slice, as the reference needs it.
struct Update {
    line: usize,
    state: String,
    sequence: i64,
    opened: i64,
    updated: i64,
    priority: String,
    resolved: Option<i64>,
    contact_type: String,
    caller: String,
    opened_by: String,
}

/// Minutes since the epoch of `d/m/yyyy HH:MM`, read as UTC, by plain arithmetic.
fn minutes(text: &str) -> Option<i64> {
    if text == "?" {
        return None;
    }
    let (date, time) = text.split_once(' ')?;
    let parts: Vec<i64> = date.split('/').map(|p| p.parse().unwrap()).collect();
    let (day, month, year) = (parts[0], parts[1], parts[2]);
    let (hour, minute) = time.split_once(':')?;
    let days_before_month = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let mut days = (1970..year)
        .map(|y| {
            if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
                366
            } else {
                365
            }
        })
        .sum::<i64>();
    days += days_before_month[(month - 1) as usize] + day - 1;
    if leap && month > 2 {
        days += 1;
    }
    Some(days * 1_440 + hour.parse::<i64>().unwrap() * 60 + minute.parse::<i64>().unwrap())
}

fn incidents() -> BTreeMap<String, Vec<Update>> {
    let mut reader = csv::Reader::from_reader(SLICE.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let mut incidents: BTreeMap<String, Vec<Update>> = BTreeMap::new();
    for (index, record) in reader.records().enumerate() {
        let record = record.unwrap();
        incidents
            .entry(record[column("number")].to_string())
            .or_default()
            .push(Update {
                line: index + 2,
                state: record[column("incident_state")].to_string(),
                sequence: record[column("sys_mod_count")].parse().unwrap(),
                opened: minutes(&record[column("opened_at")]).unwrap(),
                updated: minutes(&record[column("sys_updated_at")]).unwrap(),
                priority: record[column("priority")].to_string(),
                resolved: minutes(&record[column("resolved_at")]),
                contact_type: record[column("contact_type")].to_string(),
                caller: record[column("caller_id")].to_string(),
                opened_by: record[column("opened_by")].to_string(),
            });
    }
    incidents
}

/// The last update by sequence; on a tie, the later row.
fn last(updates: &[Update]) -> &Update {
    updates.iter().max_by_key(|u| (u.sequence, u.line)).unwrap()
}

fn built_project() -> Project {
    let project = Project::new();
    project.file("export/incidents.csv", SLICE);
    project
        .run(&[
            "init",
            "audit",
            "--preset",
            "servicenow",
            "--tickets",
            "export/incidents.csv",
            "--timezone",
            "UTC",
        ])
        .success();
    project
        .run(&["build", "audit", "--as-of", "2017-03-01", "--out", "site"])
        .success();
    project
}

#[test]
fn counts_match_reference_reading() {
    let incidents = incidents();
    let project = built_project();
    let manifest: serde_json::Value =
        serde_json::from_str(&project.read("site/manifest.json")).unwrap();

    assert_eq!(manifest["tickets"]["loaded"], incidents.len());
    let mut by_priority: BTreeMap<String, usize> = BTreeMap::new();
    for updates in incidents.values() {
        let label = &last(updates).priority;
        *by_priority.entry(format!("P{}", &label[..1])).or_default() += 1;
    }
    for (priority, count) in &by_priority {
        assert_eq!(
            manifest["tickets"]["by_priority"][priority], *count,
            "{priority}"
        );
    }

    let without_resolution: Vec<&String> = incidents
        .iter()
        .filter(|(_, u)| last(u).resolved.is_none())
        .map(|(id, _)| id)
        .collect();
    let through_resolved = without_resolution
        .iter()
        .filter(|id| incidents[**id].iter().any(|u| u.state == "Resolved"))
        .count();
    let repairs = read_csv(&project.read("site/repairs.csv"));
    let count = |kind: &str| repairs.iter().filter(|row| row[0] == kind).count();
    assert_eq!(
        count("resolution time taken from the status history"),
        through_resolved
    );
    assert_eq!(
        count("closed without a resolution: close time used"),
        without_resolution.len() - through_resolved
    );
    assert!(through_resolved > 0 && without_resolution.len() > through_resolved);
}

#[test]
fn verdicts_match_reference_on_plain_incidents() {
    // The targets `slaudit init` writes, in minutes: (response, resolution).
    let targets: BTreeMap<&str, (i64, i64)> = [
        ("1", (15, 240)),
        ("2", (30, 480)),
        ("3", (240, 4_320)),
        ("4", (480, 7_200)),
    ]
    .into_iter()
    .collect();
    let incidents = incidents();
    let project = built_project();
    let breaches = read_csv(&project.read("site/breaches.csv"));
    let breached =
        |id: &str, metric: &str| breaches.iter().any(|row| row[0] == id && row[1] == metric);

    let mut checked = 0;
    for (id, updates) in &incidents {
        let final_update = last(updates);
        let mut ordered: Vec<&Update> = updates.iter().collect();
        ordered.sort_by_key(|u| (u.updated, u.sequence, u.line));
        // The target is the one of the priority in force when the clock stops: the priority of
        // the last update at or before that minute.
        let target_at = |minute: i64| {
            let update = ordered
                .iter()
                .rev()
                .find(|u| u.updated <= minute)
                .unwrap_or(&ordered[0]);
            targets[&update.priority[..1]]
        };

        // Response: the first update that leaves New.
        if let Some(first) = ordered.iter().find(|u| u.state != "New") {
            let (response_target, _) = target_at(first.updated);
            let elapsed = (first.updated - final_update.opened).max(0);
            assert_eq!(
                breached(id, "response"),
                elapsed > response_target,
                "{id} response {elapsed} min"
            );
        }

        // Resolution, on incidents no pause or reopen complicates: resolved minus opened.
        let plain = updates
            .iter()
            .all(|u| !u.state.starts_with("Awaiting") && u.state != "-100")
            && !ordered
                .windows(2)
                .any(|w| w[0].state == "Resolved" && w[1].state == "Active");
        if let (true, Some(resolved)) = (plain, final_update.resolved) {
            let (_, resolution_target) = target_at(resolved);
            let elapsed = resolved - final_update.opened;
            assert_eq!(
                breached(id, "resolution"),
                elapsed > resolution_target,
                "{id} resolution {elapsed} min"
            );
            checked += 1;
        }
    }
    assert!(
        checked > 100,
        "only {checked} incidents were plain enough to check"
    );
}

#[test]
fn every_area_reaches_a_decision() {
    let incidents = incidents();
    let project = built_project();
    let checks = read_csv(&project.read("site/checks.csv"));
    assert_eq!(
        checks[0][..7],
        ["area", "check", "title", "value", "part", "whole", "decision"]
    );
    let deciding = ["acceptable", "needs tuning", "requires remediation"];
    for area in [
        "Ticket priority",
        "Escalation",
        "Metrics",
        "Security verification",
        "Satisfaction",
    ] {
        assert!(
            checks
                .iter()
                .any(|row| row[0] == area && deciding.contains(&row[6].as_str())),
            "{area} has no deciding check"
        );
    }

    // The security rules `init` writes for ServiceNow: incidents taken by phone name their
    // caller and the agent who took the call. `?` is ServiceNow's missing value.
    let phone: Vec<&Update> = incidents
        .values()
        .map(|updates| last(updates))
        .filter(|u| u.contact_type == "Phone")
        .collect();
    let rule = |id: &str| {
        checks
            .iter()
            .find(|row| row[1] == id)
            .unwrap_or_else(|| panic!("no check {id}"))
            .clone()
    };
    let caller = rule("security-phone-incidents-name-the-caller");
    let named = phone.iter().filter(|u| u.caller != "?").count();
    assert_eq!(caller[4], named.to_string());
    assert_eq!(caller[5], phone.len().to_string());
    let agent = rule("security-phone-incidents-name-the-agent-who-took-the-call");
    let named = phone.iter().filter(|u| u.opened_by != "?").count();
    assert!(
        named < phone.len(),
        "the slice has phone incidents without an agent"
    );
    assert_eq!(agent[4], named.to_string());
    assert_eq!(agent[5], phone.len().to_string());

    // The summary explains why its previous-period column is empty.
    let summary = common::page_text(&project.read("site/index.html"));
    assert!(
        summary
            .contains("The project sets no period, so there is no previous period to compare with"),
        "{summary}"
    );

    // No survey answers: nothing shows that satisfaction is measured.
    let surveys = rule("survey-evidence");
    assert_eq!(surveys[0], "Satisfaction");
    assert_eq!(surveys[6], "requires remediation");
}
