//! `slaudit build` on small projects whose right answers are worked out by hand.

mod common;

use common::{page_text, read_csv, Project};

const CONFIG: &str = r#"
[project]
title = "Test review"
client = "Test client"

[tickets]
file = "incidents.csv"
preset = "servicenow"
timezone = "UTC"

[calendars.always]
hours = "24x7"

[[sla]]
priority = "P1"
calendar = "always"
resolution = "4h"

[[sla]]
priority = "P2"
calendar = "always"
resolution = "8h"

[[sla]]
priority = "P3"
calendar = "always"
resolution = "3d"

[[sla]]
priority = "P4"
calendar = "always"
resolution = "5d"
"#;

/// A ServiceNow list export (display values, one row per incident). As of 2024-06-01 00:00 UTC:
/// - INC001 P1: 08:00 → 12:00, exactly the 4h target: met.
/// - INC002 P1: 08:00 → 12:00:01: breached by one second.
/// - INC003 P3: 2 May 09:00 → 6 May 09:00 = 96h against 72h: breached by 24h.
/// - INC004 P3 (raw code `3`): 24h: met.
/// - INC005 P4, open since 20 May 10:00: 11d 14h against 5d: open and breached by 6d 14h.
/// - INC006 P2, open since 31 May 20:00: 4h of 8h, below the 75% warning: within target.
/// - INC007 P2, open since 31 May 17:00: 7h of 8h: at risk.
const LIST_EXPORT: &str = "\
number,opened_at,resolved_at,closed_at,priority,impact,urgency,category,assignment_group,assigned_to,caller_id,contact_type,reassignment_count,reopen_count,made_sla,state
INC001,2024-05-01 08:00:00,2024-05-01 12:00:00,2024-05-04 12:00:00,1 - Critical,1 - High,1 - High,Network,Network Team,Agent 1,Caller 1,Phone,0,0,true,Closed
INC002,2024-05-01 08:00:00,2024-05-01 12:00:01,2024-05-04 12:00:00,1 - Critical,1 - High,1 - High,Network,Network Team,Agent 1,Caller 2,Phone,1,0,true,Closed
INC003,2024-05-02 09:00:00,2024-05-06 09:00:00,2024-05-09 09:00:00,3 - Moderate,2 - Medium,2 - Medium,Hardware,Field Team,Agent 2,Caller 3,Email,0,0,false,Closed
INC004,2024-05-10 10:00:00,2024-05-11 10:00:00,2024-05-14 10:00:00,3,2,2,Hardware,Field Team,Agent 2,Caller 4,Email,0,0,true,Resolved
INC005,2024-05-20 10:00:00,?,?,4 - Low,3 - Low,2 - Medium,Software,Apps Team,Agent 3,Caller 5,Self service,2,0,false,In Progress
INC006,2024-05-31 20:00:00,?,?,2 - High,1 - High,2 - Medium,Software,Apps Team,?,Caller 6,Phone,0,0,true,New
INC007,2024-05-31 17:00:00,?,?,2 - High,1 - High,2 - Medium,Software,Apps Team,Agent 3,Caller 7,Phone,0,0,true,In Progress
";

fn list_project() -> Project {
    let project = Project::new();
    project
        .file("slaudit.toml", CONFIG)
        .file("incidents.csv", LIST_EXPORT);
    project
}

#[test]
fn list_export_verdicts_and_attainment() {
    let project = list_project();
    project
        .run(&["build", ".", "--as-of", "2024-06-01"])
        .success();

    let breaches = read_csv(&project.read("site/breaches.csv"));
    let found: Vec<(&str, &str, &str, &str)> = breaches[1..]
        .iter()
        .map(|row| {
            (
                row[0].as_str(),
                row[1].as_str(),
                row[2].as_str(),
                row[10].as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            ("INC002", "resolution", "breached", "0m 01s"),
            ("INC003", "resolution", "breached", "24h 00m"),
            ("INC005", "resolution", "open, breached", "158h 00m"),
        ]
    );

    let summary = page_text(&project.read("site/index.html"));
    for expected in [
        "Audited tickets 7: 4 resolved, 3 open at the as-of instant",
        "P1 2 always no target not recorded – 4h 50.0% 1 met · 1 breached 50.0%",
        "4h 50.0% 1 met · 1 breached",
        "8h – 0 met · 0 breached · 2 open",
        "3d 50.0% 1 met · 1 breached",
        "5d 0.0% 0 met · 1 breached",
        "under 1 day 2 0",
        "7 to 30 days 1 1",
        "agrees with slaudit's verdict on 4 of 5 tickets (80.0%)",
    ] {
        assert!(
            summary.contains(expected),
            "missing `{expected}` in:\n{summary}"
        );
    }
}

#[test]
fn priority_ticket_counts_link_to_their_tickets() {
    let project = list_project();
    project
        .run(&["build", ".", "--as-of", "2024-06-01"])
        .success();
    // LIST_EXPORT has INC001 and INC002 at P1, INC003 and INC004 at P3.
    let index = project.read("site/index.html");
    assert!(
        index.contains("<a href=\"evidence/tickets-p1.html\">2</a>"),
        "{index}"
    );
    let p3 = read_csv(&project.read("site/evidence/tickets-p3.csv"));
    let ids: Vec<&str> = p3[1..].iter().map(|row| row[0].as_str()).collect();
    assert_eq!(ids, ["INC003", "INC004"]);
    let page = page_text(&project.read("site/evidence/tickets-p1.html"));
    assert!(page.contains("INC001"), "{page}");
    assert!(page.contains("INC002"), "{page}");
}

#[test]
fn export_without_rows_is_an_error() {
    let project = list_project();
    let header = LIST_EXPORT.lines().next().unwrap();
    project.file("incidents.csv", format!("{header}\n"));
    project
        .run(&["build", ".", "--as-of", "2024-06-01"])
        .failure()
        .stderr_is("slaudit: incidents.csv holds no ticket, only its header; export the tickets again, with their rows");
    let check = project.run(&["check", ".", "--as-of", "2024-06-01"]);
    check.failure();
    assert!(
        check
            .stdout
            .contains("error: incidents.csv holds no ticket, only its header"),
        "{check}"
    );

    // Every row rejected, within max_rejected, leaves nothing to audit either.
    project
        .file(
            "slaudit.toml",
            CONFIG.replace("timezone = \"UTC\"", "timezone = \"UTC\"\nmax_rejected = 5"),
        )
        .file(
            "incidents.csv",
            format!("{header}\nINC001,2024-05-01 08:00:00,?,?,Sev-9,,,,,,,,0,0,true,New\n"),
        );
    let build = project.run(&["build", ".", "--as-of", "2024-06-01"]);
    build.failure();
    assert!(
        build
            .stderr
            .contains("every row of incidents.csv was rejected, so no ticket is left to audit"),
        "{build}"
    );
}

#[test]
fn reconciliation_names_rounding_cause() {
    let project = list_project();
    project
        .run(&["build", ".", "--as-of", "2024-06-01"])
        .success();
    let rows = read_csv(&project.read("site/disagreements.csv"));
    assert_eq!(
        rows,
        vec![
            vec!["ticket", "compared", "source", "slaudit", "likely_causes"],
            vec![
                "INC002",
                "overall verdict",
                "met",
                "breached",
                "rounding: within a minute of the target"
            ],
        ]
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let project = list_project();
    project
        .run(&["build", ".", "--as-of", "2024-06-01", "--out", "first"])
        .success();
    project
        .run(&["build", ".", "--as-of", "2024-06-01", "--out", "second"])
        .success();
    let files = |dir: &str| {
        let mut names: Vec<String> = std::fs::read_dir(project.path().join(dir))
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(files("first"), files("second"));
    for name in files("first") {
        let first = project.path().join("first").join(&name);
        if first.is_dir() {
            continue;
        }
        let second = project.path().join("second").join(&name);
        assert_eq!(
            std::fs::read(first).unwrap(),
            std::fs::read(second).unwrap(),
            "{name} differs"
        );
    }
}

#[test]
fn manifest_records_inputs_and_as_of() {
    let project = list_project();
    project
        .run(&["build", ".", "--as-of", "2024-06-01T12:00:00+02:00"])
        .success();
    let manifest: serde_json::Value =
        serde_json::from_str(&project.read("site/manifest.json")).unwrap();
    assert_eq!(manifest["generator"], "slaudit");
    assert_eq!(manifest["as_of"], "2024-06-01T10:00:00Z");
    assert_eq!(manifest["inputs"][0]["path"], "incidents.csv");
    assert_eq!(manifest["inputs"][0]["rows"], 7);
    assert_eq!(manifest["inputs"][0]["bytes"], LIST_EXPORT.len());
    assert_eq!(manifest["config"]["tickets"]["preset"], "servicenow");
    let sha = manifest["inputs"][0]["sha256"].as_str().unwrap();
    assert_eq!(sha.len(), 64);
}

#[test]
fn existing_folder_that_is_not_a_site_is_kept() {
    let project = list_project();
    project.file("notes/keep.txt", "mine");
    project
        .run(&["build", ".", "--as-of", "2024-06-01", "--out", "notes"])
        .failure()
        .stderr_is(
            "slaudit: notes is not empty and holds no slaudit manifest.json, so it is not replaced; \
             choose an empty or new folder with --out",
        );
    assert_eq!(project.read("notes/keep.txt"), "mine");
}

#[test]
fn rebuild_replaces_previous_site() {
    let project = list_project();
    project
        .run(&["build", ".", "--as-of", "2024-06-01"])
        .success();
    project.file("site/stale.html", "old");
    project
        .run(&["build", ".", "--as-of", "2024-06-01"])
        .success();
    assert!(!project.path().join("site/stale.html").exists());
    assert!(project.path().join("site/index.html").exists());
}

#[test]
fn unparseable_date_names_file_line_column_and_value() {
    let project = list_project();
    let export = LIST_EXPORT.replace(
        "2024-05-10 10:00:00,2024-05-11",
        "2024-05-1O 10:00:00,2024-05-11",
    );
    project.file("incidents.csv", export);
    project.run(&["build", ".", "--as-of", "2024-06-01"]).failure().stderr_is(
        "slaudit: 1 of 7 rows were rejected, more than max_rejected = 1% allows:
  incidents.csv:5: column `opened_at`: invalid date `2024-05-1O 10:00:00`: expected the column's format `%Y-%m-%d %H:%M:%S%.f`; set date_format in [tickets] if the whole column uses another form
fix the rows or the config, or raise max_rejected in [tickets]",
    );
}

#[test]
fn unknown_priority_label_names_the_mapping_to_add() {
    let project = list_project();
    project.file(
        "incidents.csv",
        LIST_EXPORT.replace("4 - Low,3 - Low", "Sev-4,3 - Low"),
    );
    project.run(&["build", ".", "--as-of", "2024-06-01"]).failure().stderr_is(
        "slaudit: 1 of 7 rows were rejected, more than max_rejected = 1% allows:
  incidents.csv:6: column `priority`: unknown priority label `Sev-4`: expected a code such as `3`, a label such as `3 - Moderate`, or a name such as `High`; map it in [tickets.values.priority], e.g. \"Sev-4\" = \"P3\"
fix the rows or the config, or raise max_rejected in [tickets]",
    );
}

#[test]
fn priority_without_target_is_a_warning() {
    let project = list_project();
    // INC003 and INC004 become P5, which no [[sla]] row of CONFIG covers.
    project.file(
        "incidents.csv",
        LIST_EXPORT
            .replace("3 - Moderate,2 - Medium", "5 - Planning,2 - Medium")
            .replace(",3,2,2,", ",5,2,2,"),
    );
    let warning = "slaudit: warning: 2 tickets at priority P5 match no [[sla]] row, so they have no target and count in no attainment figure (first: INC003 on incidents.csv line 4); add an [[sla]] row for P5, or map the export's label to another priority with [tickets.values.priority]";
    let build = project.run(&["build", ".", "--as-of", "2024-06-01"]);
    build.success();
    assert!(build.stderr.contains(warning), "{build}");
    let check = project.run(&["check", ".", "--as-of", "2024-06-01"]);
    assert!(
        check
            .stdout
            .contains("slaudit.toml: warning: 2 tickets at priority P5 match no [[sla]] row"),
        "{check}"
    );

    // One ticket reads in the singular.
    project.file(
        "incidents.csv",
        LIST_EXPORT.replace("3 - Moderate,2 - Medium", "5 - Planning,2 - Medium"),
    );
    let build = project.run(&["build", ".", "--as-of", "2024-06-01"]);
    build.success();
    assert!(
        build.stderr.contains("slaudit: warning: 1 ticket at priority P5 matches no [[sla]] row, so it has no target and counts in no attainment figure (first: INC003 on incidents.csv line 4)"),
        "{build}"
    );
}

#[test]
fn priority_mapping_accepts_a_custom_label() {
    let project = list_project();
    project.file(
        "incidents.csv",
        LIST_EXPORT.replace("4 - Low,3 - Low", "Sev-4,3 - Low"),
    );
    // A TOML header names its full path, so the table lands in [tickets] even after [[sla]].
    project.file(
        "slaudit.toml",
        format!("{CONFIG}\n[tickets.values.priority]\n\"Sev-4\" = \"P4\"\n"),
    );
    project
        .run(&["build", ".", "--as-of", "2024-06-01"])
        .success();
    let breaches = read_csv(&project.read("site/breaches.csv"));
    assert!(breaches
        .iter()
        .any(|row| row[0] == "INC005" && row[3] == "P4"));
}

#[test]
fn rejected_rows_within_limit_are_listed() {
    let project = list_project();
    let export = LIST_EXPORT.replace(
        "2024-05-10 10:00:00,2024-05-11",
        "2024-05-1O 10:00:00,2024-05-11",
    );
    project.file("incidents.csv", export);
    project.file(
        "slaudit.toml",
        CONFIG.replace(
            "timezone = \"UTC\"\n",
            "timezone = \"UTC\"\nmax_rejected = 1\n",
        ),
    );
    project
        .run(&["build", ".", "--as-of", "2024-06-01"])
        .success();
    let rejected = read_csv(&project.read("site/rejected.csv"));
    assert_eq!(rejected.len(), 2);
    assert_eq!(
        rejected[1][..5],
        [
            "incidents.csv",
            "5",
            "INC004",
            "opened_at",
            "2024-05-1O 10:00:00"
        ]
    );
    let quality = page_text(&project.read("site/quality.html"));
    assert!(quality.contains("1 row could not be used"), "{quality}");
}

#[test]
fn missing_column_says_how_to_map_it() {
    let project = list_project();
    project.file(
        "incidents.csv",
        LIST_EXPORT.replace("number,opened_at,", "number,created,"),
    );
    project.run(&["build", ".", "--as-of", "2024-06-01"]).failure().stderr_is(
        "slaudit: incidents.csv:1: missing column for `opened`: expected `opened_at` (preset `servicenow`); the header has `number`, `created`, `resolved_at`, `closed_at`, `priority`, `impact`, `urgency`, `category`, `assignment_group`, `assigned_to`, `caller_id`, `contact_type`, `reassignment_count`, `reopen_count`, `made_sla`, `state`; name the column that holds it with [tickets.columns] opened = \"COLUMN\"",
    );
}

#[test]
fn unknown_config_key_names_position_and_suggestion() {
    let project = list_project();
    project.file(
        "slaudit.toml",
        CONFIG.replace("preset = ", "timezon = \"UTC\"\npreset = "),
    );
    project
        .run(&["build", ".", "--as-of", "2024-06-01"])
        .failure()
        .stderr_is("slaudit: slaudit.toml:8:1: unknown key `timezon`; did you mean `timezone`?");
}

#[test]
fn missing_project_file_is_reported() {
    let project = Project::new();
    let run = project.run(&["build", "nowhere"]);
    run.failure();
    assert!(
        run.stderr
            .starts_with("slaudit: failed to read nowhere/slaudit.toml: "),
        "{run}"
    );
}

/// An event log of two incidents, written by hand:
/// - INC100 opens 08:00, leaves New at 08:20 (the response), waits on the user 09:00–11:00,
///   resolves at 12:00 with `resolved_at` missing on every row, and closes the next day.
///   Resolution: 4h wall time minus the 2h pause = 2h against P2's 8h.
/// - INC200 goes from New straight to Closed at 10:00 with no resolution at all.
const EVENT_LOG: &str = "\
number,incident_state,sys_mod_count,opened_at,sys_updated_at,priority,assignment_group,resolved_at,closed_at,made_sla
INC100,New,0,1/3/2024 08:00,1/3/2024 08:00,2 - High,Desk,?,?,true
INC100,Active,1,1/3/2024 08:00,1/3/2024 08:20,2 - High,Desk,?,?,true
INC100,Awaiting User Info,2,1/3/2024 08:00,1/3/2024 09:00,2 - High,Desk,?,?,true
INC100,Active,3,1/3/2024 08:00,1/3/2024 11:00,2 - High,Desk,?,?,true
INC100,Resolved,4,1/3/2024 08:00,1/3/2024 12:00,2 - High,Desk,?,?,true
INC100,Closed,5,1/3/2024 08:00,2/3/2024 12:00,2 - High,Desk,?,2/3/2024 12:00,true
INC200,New,0,13/3/2024 09:00,13/3/2024 09:00,2 - High,Desk,?,?,false
INC200,Closed,1,13/3/2024 09:00,13/3/2024 10:00,2 - High,Desk,?,13/3/2024 10:00,false
";

#[test]
fn event_log_history_gives_response_pauses_and_resolution() {
    let project = Project::new();
    project
        .file(
            "slaudit.toml",
            CONFIG.replace(
                "resolution = \"8h\"",
                "response = \"15m\"\nresolution = \"1h 30m\"",
            ),
        )
        .file("incidents.csv", EVENT_LOG);
    let build = project.run(&["build", ".", "--as-of", "2024-04-01"]);
    build.success();
    // The two repairs below are counted in the last line.
    assert!(
        build.stderr.ends_with(
            "(2 tickets audited; 2 values repaired or flagged, listed in quality.html)\n"
        ),
        "{build}"
    );

    // INC100: response 20m > 15m (breached by 5m); resolution 2h > 1h 30m (breached by 30m).
    // INC200: leaves New at 10:00 (response 1h, breached by 45m); resolution at close, 1h: met.
    let breaches = read_csv(&project.read("site/breaches.csv"));
    let found: Vec<(&str, &str, &str, &str, &str)> = breaches[1..]
        .iter()
        .map(|row| {
            (
                row[0].as_str(),
                row[1].as_str(),
                row[9].as_str(),
                row[10].as_str(),
                row[12].as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            ("INC100", "resolution", "2h 00m", "30m", "2h 00m"),
            ("INC100", "response", "20m", "5m", "0m"),
            ("INC200", "response", "1h 00m", "45m", "0m"),
        ]
    );

    let repairs = read_csv(&project.read("site/repairs.csv"));
    assert_eq!(repairs.len(), 3, "{repairs:?}");
    assert_eq!(
        repairs[1],
        [
            "resolution time taken from the status history",
            "INC100",
            "7",
            "resolved_at",
            "",
            "resolution time missing; the last move to `Resolved` on line 6, at 2024-03-01 12:00, was used"
        ]
    );
    assert_eq!(
        repairs[2],
        [
            "closed without a resolution: close time used",
            "INC200",
            "9",
            "resolved_at",
            "",
            "closed without passing through a resolved status; the close time, 2024-03-13 10:00, stands for the resolution"
        ]
    );
}

#[test]
fn bad_event_row_lists_its_whole_ticket() {
    let project = Project::new();
    // Line 4 is INC100's third update; its priority label maps to nothing.
    let log = EVENT_LOG.replace(
        "INC100,Awaiting User Info,2,1/3/2024 08:00,1/3/2024 09:00,2 - High",
        "INC100,Awaiting User Info,2,1/3/2024 08:00,1/3/2024 09:00,Urgentissimo",
    );
    project
        .file(
            "slaudit.toml",
            CONFIG.replace("timezone = \"UTC\"", "timezone = \"UTC\"\nmax_rejected = 6"),
        )
        .file("incidents.csv", log);
    project
        .run(&["build", ".", "--as-of", "2024-04-01"])
        .success();

    // INC100 is left out with all six of its rows, each listed; INC200 is audited.
    let tickets = read_csv(&project.read("site/tickets.csv"));
    let ids: Vec<&str> = tickets[1..].iter().map(|row| row[0].as_str()).collect();
    assert_eq!(ids, ["INC200"]);
    let rejected = read_csv(&project.read("site/rejected.csv"));
    let lines: Vec<&str> = rejected[1..].iter().map(|row| row[1].as_str()).collect();
    assert_eq!(lines, ["2", "3", "4", "5", "6", "7"]);
    let left_out = "left out with ticket `INC100`, whose line 4 was rejected: without that row the ticket's history is incomplete; fix line 4 to audit the ticket";
    for row in &rejected[1..] {
        assert_eq!(row[2], "INC100");
        if row[1] == "4" {
            assert!(
                row[5].starts_with("unknown priority label `Urgentissimo`"),
                "{row:?}"
            );
        } else {
            assert_eq!(row[5], left_out, "{row:?}");
        }
    }
    let quality = page_text(&project.read("site/quality.html"));
    assert!(
        quality.contains("6 rows could not be used and are left out of every figure"),
        "{quality}"
    );
}

#[test]
fn rejected_ticket_keeps_later_details_aligned() {
    let project = Project::new();
    project
        .file(
            "slaudit.toml",
            "[project]\ntitle = \"t\"\n\n[tickets]\nfile = \"tickets.csv\"\npreset = \"generic\"\ntimezone = \"UTC\"\nmax_rejected = 1\n",
        )
        .file(
            "tickets.csv",
            "ticket_id,created_at,resolved_at,priority,labels\n\
             A,2024-05-01 10:00,2024-05-01 11:00,P3,first\n\
             B,2024-05-01 10:00,2024-05-01 09:00,P3,second\n\
             C,2024-05-01 10:00,2024-05-01 12:00,P3,third\n",
        );
    project
        .run(&["build", ".", "--as-of", "2024-06-01"])
        .success();
    // B resolves before it opens and is left out; C must keep its own labels.
    let rows = read_csv(&project.read("site/tickets.csv"));
    let labels = rows[0].iter().position(|c| c == "labels").unwrap();
    let found: Vec<(&str, &str)> = rows[1..]
        .iter()
        .map(|row| (row[0].as_str(), row[labels].as_str()))
        .collect();
    assert_eq!(found, [("A", "first"), ("C", "third")]);
}

/// INC300 opens as P2, is answered 20 minutes later (P2's response target is 30m), and is
/// raised to P1 before it is resolved two hours after opening (P1's resolution target is 4h).
const RAISED_LOG: &str = "\
number,incident_state,sys_mod_count,opened_at,sys_updated_at,priority,assignment_group,resolved_at,closed_at
INC300,New,0,13/3/2024 08:00,13/3/2024 08:00,2 - High,Desk,?,?
INC300,Active,1,13/3/2024 08:00,13/3/2024 08:20,2 - High,Desk,?,?
INC300,Active,2,13/3/2024 08:00,13/3/2024 09:00,1 - Critical,Desk,?,?
INC300,Resolved,3,13/3/2024 08:00,13/3/2024 10:00,1 - Critical,Desk,13/3/2024 10:00,?
";

#[test]
fn each_metric_counts_under_its_judging_priority() {
    let project = Project::new();
    let config = CONFIG
        .replace(
            "resolution = \"4h\"",
            "response = \"15m\"\nresolution = \"4h\"",
        )
        .replace(
            "resolution = \"8h\"",
            "response = \"30m\"\nresolution = \"8h\"",
        );
    project
        .file(
            "slaudit.toml",
            format!("{config}\n[review]\nmin_tickets = 1\n"),
        )
        .file("incidents.csv", RAISED_LOG);
    project
        .run(&["build", ".", "--as-of", "2024-04-01"])
        .success();
    let rows = read_csv(&project.read("site/checks.csv"));
    let check = |id: &str| {
        rows.iter()
            .find(|row| row[1] == id)
            .map(|row| (row[4].clone(), row[5].clone()))
    };
    // The response was judged under P2, the resolution under P1.
    assert_eq!(
        check("response-attainment-p2"),
        Some(("1".to_string(), "1".to_string()))
    );
    assert_eq!(check("response-attainment-p1"), None);
    assert_eq!(
        check("resolution-attainment-p1"),
        Some(("1".to_string(), "1".to_string()))
    );
    assert_eq!(check("resolution-attainment-p2"), None);
    let summary = page_text(&project.read("site/index.html"));
    assert!(
        summary.contains("P1 1 always 15m – – 4h 100.0% 1 met · 0 breached 100.0%"),
        "{summary}"
    );
    assert!(
        summary.contains("P2 0 always 30m 100.0% 1 met · 0 breached 100.0% 8h – –"),
        "{summary}"
    );
}

#[test]
fn breach_evidence_shows_judging_priority() {
    let project = Project::new();
    let config = CONFIG.replace(
        "resolution = \"8h\"",
        "response = \"30m\"\nresolution = \"8h\"",
    );
    // The first update leaves New after 40 minutes at P2, over its 30m target. The raise to
    // P1 comes later, so the breach belongs to P2 even though the ticket ends at P1.
    project.file("slaudit.toml", config).file(
        "incidents.csv",
        RAISED_LOG.replace("13/3/2024 08:20", "13/3/2024 08:40"),
    );
    project
        .run(&["build", ".", "--as-of", "2024-04-01"])
        .success();
    for file in [
        "site/evidence/response-attainment-p2.csv",
        "site/evidence/response-attainment.csv",
    ] {
        let rows = read_csv(&project.read(file));
        assert_eq!(rows[0][1], "priority", "{file}");
        assert_eq!(rows.len(), 2, "{file}");
        assert_eq!(rows[1][0], "INC300", "{file}");
        assert_eq!(rows[1][1], "P2", "{file}");
    }
}

/// A misspelt preset is a usage error, caught before any file is read or written.
#[test]
fn init_rejects_an_unknown_preset() {
    let project = Project::new();
    project.file("export.csv", "number,opened_at\nINC1,2024-01-01 09:00:00\n");
    let run = project.run(&[
        "init",
        "audit",
        "--preset",
        "servicenw",
        "--tickets",
        "export.csv",
        "--timezone",
        "UTC",
    ]);
    assert_eq!(run.status, Some(2), "{run}");
    assert!(
        run.stderr
            .contains("unknown preset `servicenw`; did you mean `servicenow`?"),
        "{run}"
    );
    assert!(!project.path().join("audit").exists());
}
