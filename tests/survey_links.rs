//! `slaudit survey links`: one signed link per resolved ticket, which the server accepts.

mod survey_support;

use std::process::{Command, Output};

use slaudit::survey::SigningKeys;
use survey_support::*;

fn links(project: &Project, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_slaudit"));
    command
        .args(["survey", "links"])
        .arg(project.path())
        .args(args);
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().unwrap();
    eprintln!(
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// 2026-07-01T00:00:00Z.
const AS_OF: i64 = 1_782_864_000;

#[test]
fn links_cover_resolved_tickets_since_date() {
    let project = Project::new("");
    let tickets = project.path().join("tickets.csv");
    let mut text = std::fs::read_to_string(&tickets).unwrap();
    text.push_str(&ticket_row("T900", "Open ticket", "open@example.com", None));
    text.push_str(&ticket_row(
        "T901",
        "Formula requester",
        "=cmd|'/C calc'!A0",
        Some("2026-06-20 10:00:00"),
    ));
    std::fs::write(&tickets, text).unwrap();

    let output = links(
        &project,
        &[
            "--base-url",
            "https://survey.example.com/",
            "--since",
            "2026-06-10",
            "--as-of",
            "2026-07-01T00:00:00Z",
        ],
        &[],
    );
    assert!(output.status.success());
    let csv = String::from_utf8(output.stdout).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("ticket_id,requester,link,expires_at"));

    // Tickets T001…T050 were resolved on June 1 + (n mod 28); T901 on June 20; T900 is open.
    let mut expected: Vec<String> = (1..=TICKETS)
        .filter(|n| 1 + n % 28 >= 10)
        .map(|n| format!("T{n:03}"))
        .collect();
    expected.push("T901".to_string());
    let rows: Vec<Vec<String>> = lines
        .map(|line| {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(line.as_bytes());
            reader
                .records()
                .next()
                .unwrap()
                .unwrap()
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect();
    let ids: Vec<&str> = rows.iter().map(|row| row[0].as_str()).collect();
    assert_eq!(ids, expected);

    let keys = SigningKeys::new(vec![KEY.as_bytes().to_vec()], "test").unwrap();
    let expires = AS_OF + 28 * 86_400;
    for row in &rows {
        let token = row[2]
            .strip_prefix("https://survey.example.com/s/")
            .unwrap();
        let verified = keys.verify(token, AS_OF).unwrap();
        assert_eq!(verified.ticket_id, row[0]);
        assert_eq!(verified.expires, expires);
        assert_eq!(row[3], "2026-07-29T00:00:00Z");
    }
    assert_eq!(rows[0][1], "user9@example.com");
    let formula = rows.iter().find(|row| row[0] == "T901").unwrap();
    assert_eq!(formula[1], "'=cmd|'/C calc'!A0", "requester neutralised");
}

#[test]
fn generated_link_opens_the_form() {
    let project = Project::new("");
    let out = project.path().join("links.csv");
    let output = links(
        &project,
        &[
            "--base-url",
            "http://127.0.0.1:9",
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert!(output.status.success());
    assert!(output.stdout.is_empty());
    let csv = std::fs::read_to_string(&out).unwrap();
    let first = csv.lines().nth(1).unwrap();
    let path = first
        .split(',')
        .nth(2)
        .unwrap()
        .strip_prefix("http://127.0.0.1:9")
        .unwrap();
    let server = Server::start(&project);
    assert_eq!(get(server.address, path).status, 200);
}

#[test]
fn secret_from_env_and_short_secret() {
    let project = Project::new("");
    let config_path = project.path().join("slaudit.toml");
    let config = std::fs::read_to_string(&config_path).unwrap().replace(
        "secret_file = \"secret.txt\"",
        "secret_env = \"SURVEY_TEST_SECRET\"",
    );
    std::fs::write(&config_path, config).unwrap();
    let args = [
        "--base-url",
        "https://s.example.com",
        "--as-of",
        "2026-07-01",
    ];

    let output = links(&project, &args, &[("SURVEY_TEST_SECRET", KEY)]);
    assert!(output.status.success());

    let output = links(&project, &args, &[("SURVEY_TEST_SECRET", "too-short")]);
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("key 1 in environment variable SURVEY_TEST_SECRET is 9 bytes long, but a key needs at least 32 bytes"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("too-short"),
        "the secret must not be printed"
    );
}

#[test]
fn secret_in_config_is_rejected() {
    let project = Project::new(&format!("secret = \"{KEY}\""));
    let output = links(&project, &["--base-url", "https://s.example.com"], &[]);
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("a survey secret must not be written in slaudit.toml"),
        "{stderr}"
    );
    assert!(!stderr.contains(KEY));
}
