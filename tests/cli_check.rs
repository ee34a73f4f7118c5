//! `slaudit check`: every problem listed with file, line, column and fix, then a count, and
//! an exit status that says whether the project can be built.

mod common;

use common::Project;

const CONFIG: &str = "[project]\ntitle = \"Check\"\n\n[tickets]\nfile = \"tickets.csv\"\npreset = \"generic\"\ntimezone = \"UTC\"\n\n[[sla]]\npriority = \"P1\"\nresolution = \"4h\"\n";

fn project(tickets: &[u8], config: &str) -> Project {
    let project = Project::new();
    project
        .file("tickets.csv", tickets)
        .file("slaudit.toml", config);
    project
}

#[test]
fn clean_project_can_be_built() {
    let project = project(
        b"ticket_id,created_at,resolved_at,priority\nT1,2024-01-01 09:00,2024-01-01 10:00,P1\n",
        CONFIG,
    );
    let run = project.run(&["check", "--as-of", "2024-02-01"]);
    run.success();
    assert_eq!(
        run.stdout, "0 problems: 0 errors, 0 rows rejected, 0 warnings; the project can be built\n",
        "{run}"
    );
    assert!(!project.path().join("site").exists());
}

#[test]
fn every_problem_is_listed_with_its_place() {
    let project = project(
        b"ticket_id,created_at,resolved_at,priority\n\
          T1,2024-01-01 09:00,2024-01-01 10:00,P1\n\
          T2,2024-01-0X 09:00,,P1\n\
          T3,2024-01-02 09:00,,Sev9\n\
          T4,2024-01-03 09:00,2024-01-03 B\xFCro,P1\n\
          T5,2024-01-03 09:00,,P1\n",
        CONFIG,
    );
    let run = project.run(&["check", "--as-of", "2024-02-01"]);
    run.failure();
    assert_eq!(
        run.stdout,
        "tickets.csv:3:2: rejected: column `created_at`: invalid date `2024-01-0X 09:00`: expected the column's format `%Y-%m-%d %H:%M`; set date_format in [tickets] if the whole column uses another form\n\
         tickets.csv:4:4: rejected: column `priority`: unknown priority label `Sev9`: expected a code such as `3`, a label such as `3 - Moderate`, or a name such as `High`; map it in [tickets.values.priority], e.g. \"Sev9\" = \"P3\"\n\
         tickets.csv:5:3: error: column `resolved_at`: not valid UTF-8 (byte 0xFC after `2024-01-03 B`); save the file as UTF-8, or declare its encoding, e.g. encoding = \"windows-1252\"\n\
         3 problems: 1 error, 2 rows rejected, 0 warnings; 2 of 5 rows rejected is more than max_rejected = 1% allows; the project cannot be built\n",
        "{run}"
    );
}

#[test]
fn rejected_rows_within_the_limit_still_build() {
    let project = project(
        b"ticket_id,created_at,resolved_at,priority\n\
          T1,2024-01-01 09:00,2024-01-01 10:00,P1\n\
          T2,2024-01-0X 09:00,,P1\n",
        &CONFIG.replace(
            "timezone = \"UTC\"\n",
            "timezone = \"UTC\"\nmax_rejected = 1\n",
        ),
    );
    let run = project.run(&["check", "--as-of", "2024-02-01"]);
    run.success();
    assert!(
        run.stdout.ends_with(
            "1 problem: 0 errors, 1 row rejected, 0 warnings; the project can be built\n"
        ),
        "{run}"
    );
}

#[test]
fn missing_columns_are_all_named() {
    let project = project(
        b"id_number,when\nT1,2024-01-01\n",
        &CONFIG.replace(
            "preset = \"generic\"",
            "preset = \"generic\"\nlayout = \"event-log\"",
        ),
    );
    let run = project.run(&["check"]);
    run.failure();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{run}");
    assert!(
        lines[0].starts_with(
            "tickets.csv:1: error: missing column for `id`: expected `ticket_id` or `id`"
        ),
        "{run}"
    );
    assert!(
        lines[1].starts_with("tickets.csv:1: error: missing column for `opened`:"),
        "{run}"
    );
    assert!(
        lines[2].starts_with("tickets.csv:1: error: missing column for `updated`:"),
        "{run}"
    );
    assert!(
        lines[2]
            .ends_with("name the column that holds it with [tickets.columns] updated = \"COLUMN\""),
        "{run}"
    );
    assert_eq!(
        lines[3],
        "3 problems: 3 errors, 0 rows rejected, 0 warnings; the project cannot be built"
    );
}

#[test]
fn ambiguous_columns_each_reported() {
    let project = project(
        b"ticket_id,created_at,resolved_at,priority\nT1,03/04/2024 09:00,05/04/2024 10:00,P1\n",
        CONFIG,
    );
    let run = project.run(&["check"]);
    run.failure();
    assert_eq!(
        run.stdout,
        "tickets.csv:1:2: error: column `created_at`: ambiguous date format: every value, such as `03/04/2024 09:00`, reads both as `%d/%m/%Y %H:%M` and as `%m/%d/%Y %H:%M`; declare which with date_format = \"%d/%m/%Y %H:%M\" or \"%m/%d/%Y %H:%M\" in [tickets], or for this column alone in [tickets.date_formats]\n\
         tickets.csv:1:3: error: column `resolved_at`: ambiguous date format: every value, such as `05/04/2024 10:00`, reads both as `%d/%m/%Y %H:%M` and as `%m/%d/%Y %H:%M`; declare which with date_format = \"%d/%m/%Y %H:%M\" or \"%m/%d/%Y %H:%M\" in [tickets], or for this column alone in [tickets.date_formats]\n\
         2 problems: 2 errors, 0 rows rejected, 0 warnings; the project cannot be built\n",
        "{run}"
    );
}

#[test]
fn unreadable_source_values_are_warnings() {
    let project = project(
        b"ticket_id,created_at,resolved_at,priority,sla_met\nT1,2024-01-01 09:00,2024-01-01 10:00,P1,perhaps\n",
        CONFIG,
    );
    let run = project.run(&["check", "--as-of", "2024-02-01"]);
    run.success();
    assert_eq!(
        run.stdout,
        "tickets.csv:2:5: warning: ticket T1: column `sla_met` `perhaps`: value not read, left empty: expected met or breached, such as `true`, `Within SLA`, or a time left such as `-2:15`; map other labels in [tickets.values.source_verdict]\n\
         1 problem: 0 errors, 0 rows rejected, 1 warning; the project can be built\n",
        "{run}"
    );
}

#[test]
fn config_error_stops_at_the_first() {
    let project = project(
        b"ticket_id,created_at\nT1,2024-01-01 09:00\n",
        &CONFIG.replace("preset = ", "presett = \"x\"\npreset = "),
    );
    project
        .run(&["check"])
        .failure()
        .stderr_is("slaudit: slaudit.toml:6:1: unknown key `presett`; did you mean `preset`?");
}

/// Times in an impossible order are flagged and the tickets kept. An exact copy of a row is
/// left out once, and a different row under the same id is rejected.
#[test]
fn inconsistent_times_and_duplicates() {
    let project = project(
        b"ticket_id,created_at,first_response_at,resolved_at,closed_at,priority\n\
          T1,2024-01-01 09:00,2024-01-01 12:00,2024-01-01 11:00,,P1\n\
          T2,2024-01-02 09:00,,2024-01-02 11:00,2024-01-02 10:30,P1\n\
          T3,2024-01-30 09:00,,2024-02-03 09:00,,P1\n\
          T4,2024-01-04 09:00,,2024-01-04 10:00,,P1\n\
          T4,2024-01-04 09:00,,2024-01-04 10:00,,P1\n\
          T5,2024-01-05 09:00,,2024-01-05 10:00,,P1\n\
          T5,2024-01-05 09:00,,2024-01-05 10:30,,P1\n",
        &CONFIG.replace(
            "timezone = \"UTC\"\n",
            "timezone = \"UTC\"\nmax_rejected = 1\n",
        ),
    );
    let run = project.run(&["check", "--as-of", "2024-02-01"]);
    run.success();
    assert_eq!(
        run.stdout,
        "tickets.csv:2:3: warning: ticket T1: column `first_response_at` `2024-01-01 12:00`: inconsistent timestamps: first response 1h 00m after the resolution; kept, so the response is measured to it\n\
         tickets.csv:3:5: warning: ticket T2: column `closed_at` `2024-01-02 10:30`: inconsistent timestamps: closed 30m before the resolution; kept, the resolution clock stops at the resolution\n\
         tickets.csv:4:4: warning: ticket T3: column `resolved_at` `2024-02-03 09:00`: timestamp after the as-of instant: 57h 00m after the as-of instant 2024-02-01 00:00 UTC; the ticket is measured as it stood then\n\
         tickets.csv:6:1: warning: ticket T4: column `ticket_id` `T4`: duplicate row left out: an exact copy of line 5; the ticket is kept once\n\
         tickets.csv:8:1: rejected: column `ticket_id`: duplicate ticket id `T5` with different values: first seen on line 7, which is kept; this row is left out\n\
         5 problems: 0 errors, 1 row rejected, 4 warnings; the project can be built\n",
        "{run}"
    );
}

#[test]
fn missing_priority_column_is_a_warning() {
    let project = project(
        b"ticket_id,created_at,resolved_at,prio\nT1,2024-01-01 09:00,2024-01-01 10:00,P1\n",
        CONFIG,
    );
    let run = project.run(&["check", "--as-of", "2024-02-01"]);
    run.success();
    assert_eq!(
        run.stdout,
        "tickets.csv:1: warning: no column for `priority` (expected `priority`), so no ticket has a priority or an \
         SLA target; name the column that holds it with [tickets.columns] priority = \"COLUMN\"\n\
         1 problem: 0 errors, 0 rows rejected, 1 warning; the project can be built\n",
        "{run}"
    );
    let build = project.run(&["build", "--as-of", "2024-02-01"]);
    build.success();
    assert!(
        build
            .stderr
            .contains("slaudit: warning: tickets.csv:1: no column for `priority`"),
        "{build}"
    );
}

/// A calendar that cannot be built is reported at the line of its table.
#[test]
fn calendar_problem_names_its_table_line() {
    let project = project(
        b"ticket_id,created_at,resolved_at,priority\nT1,2024-01-01 09:00,2024-01-01 10:00,P1\n",
        &format!(
            "{CONFIG}calendar = \"office\"\n\n[calendars.office]\ntimezone = \"UTC\"\n\
             hours = {{ mon-fri = \"09:00-17:00\" }}\nholiday_files = [\"missing.ics\"]\n"
        ),
    );
    let run = project.run(&["check", "--as-of", "2024-02-01"]);
    run.failure();
    assert!(
        run.stdout.starts_with(
            "slaudit.toml:14: error: calendar `office`: invalid holiday file in holiday_files: failed to read"
        ),
        "{run}"
    );
    let build = project.run(&["build", "--as-of", "2024-02-01"]);
    build.failure();
    assert!(
        build
            .stderr
            .starts_with("slaudit: slaudit.toml:14: calendar `office`:"),
        "{build}"
    );
}

/// When every ticket comes after the as-of instant, check fails as build does.
#[test]
fn nothing_to_audit_cannot_be_built() {
    let project = project(
        b"ticket_id,created_at,resolved_at,priority\nT1,2024-03-01 09:00,2024-03-01 10:00,P1\n",
        CONFIG,
    );
    let run = project.run(&["check", "--as-of", "2024-02-01"]);
    run.failure();
    assert!(
        run.stdout.contains(
            "slaudit.toml: error: nothing to audit: the only ticket was opened 2024-03-01 09:00, after the \
             as-of instant 2024-02-01 00:00 UTC; check --as-of and [project] period"
        ),
        "{run}"
    );
    project.run(&["build", "--as-of", "2024-02-01"]).failure();
}

#[test]
fn events_file_problems_name_their_place() {
    let config = format!(
        "{}\n[events]\nfile = \"events.csv\"\n",
        CONFIG.replace(
            "timezone = \"UTC\"",
            "timezone = \"Europe/Berlin\"\nmax_rejected = 10"
        )
    );
    let project = project(
        b"ticket_id,created_at,priority\n\
          T1,2025-03-30 00:00,P1\n\
          T2,2025-10-26 00:00,P1\n",
        &config,
    );
    // The events file puts its time in column 3, where the tickets file has `priority`.
    project.file(
        "events.csv",
        "ticket_id,kind,at,value\n\
         T1,status,2025-03-30 02:30,resolved\n\
         T2,status,2025-10-26 02:30,resolved\n",
    );
    let run = project.run(&["check", "--as-of", "2025-12-01"]);
    run.success();
    let lines: Vec<&str> = run.stdout.lines().collect();
    // 02:30 on 30 March does not exist in Berlin; on 26 October it occurs twice.
    assert!(
        lines[0].starts_with(
            "events.csv:2:3: rejected: column `at`: local time `2025-03-30 02:30` does not exist"
        ),
        "{run}"
    );
    assert!(
        lines[1].starts_with("events.csv:3:3: warning: ticket T2: column `at` `2025-10-26 02:30`: ambiguous local time"),
        "{run}"
    );
}
