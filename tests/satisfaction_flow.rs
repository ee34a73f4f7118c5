//! The path a newcomer follows: sign links, answer one through `slaudit serve`, stop the
//! server, build, and find the answer on the satisfaction page.

mod common;
mod survey_support;

use std::time::Duration;

use common::{page_text, read_csv, run_in};
use survey_support::{encode, post_form, Project, Server};

#[test]
fn answer_reaches_the_site() {
    let project = Project::new("");
    let links = project.path().join("links.csv");
    run_in(
        project.path(),
        &[
            "survey",
            "links",
            ".",
            "--base-url",
            "https://survey.example.com",
            "--out",
            links.to_str().unwrap(),
        ],
    )
    .success();
    let rows = read_csv(&std::fs::read_to_string(&links).unwrap());
    let row = rows.iter().find(|row| row[0] == "T007").unwrap();
    let path = row[2].strip_prefix("https://survey.example.com").unwrap();

    let mut server = Server::start(&project);
    let comment = "=1+1 <script>alert(1)</script>\nSlow to reply";
    let body = format!("rating=2&comment={}", encode(comment));
    let reply = post_form(server.address, path, &body).unwrap();
    assert_eq!(reply.status, 200, "{}", reply.body);
    server.signal("TERM");
    assert_eq!(
        server.wait_exit(Duration::from_secs(10)),
        Some(0),
        "{}",
        server.stderr()
    );

    let build = run_in(project.path(), &["build", ".", "--out", "site"]);
    build.success();
    let site = project.path().join("site");
    let html = std::fs::read_to_string(site.join("areas/satisfaction.html")).unwrap();
    assert!(
        !html.contains("<script>alert"),
        "markup reached the page raw"
    );
    let page = page_text(&html);
    for sentence in [
        "Answers counted 1, one per ticket",
        "Response rate 2.0%: 1 of 50 resolved tickets have an answer",
        "T007",
        "2 / 5",
        "=1+1 <script>alert(1)</script> Slow to reply",
    ] {
        assert!(page.contains(sentence), "{sentence}\n{page}\n{build}");
    }
    let low =
        read_csv(&std::fs::read_to_string(site.join("evidence/survey-low-scores.csv")).unwrap());
    assert_eq!(low.len(), 2, "{low:?}");
    assert_eq!(low[1][0], "T007");
    assert_eq!(low[1][7], format!("'{comment}"));
}
