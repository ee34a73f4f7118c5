//! A hostile comment travels from the form to the survey CSV neutralised and reads back intact.

mod survey_support;

use slaudit::survey::read_answers;
use survey_support::*;

#[test]
fn hostile_comment_is_neutralised_and_reads_back() {
    let project = Project::new("");
    let server = Server::start(&project);
    let comment =
        "=HYPERLINK(\"http://evil.example\",\"Click\")\n<script>alert('x')</script>, \"quoted\"";
    let reply = post_form(
        server.address,
        &link("T007"),
        &format!("rating=1&comment={}", encode(comment)),
    )
    .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.body);

    let text = std::fs::read_to_string(project.surveys_csv()).unwrap();
    let record = text.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert!(
        record.ends_with(
            ",1,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Click\"\")\n<script>alert('x')</script>, \"\"quoted\"\"\""
        ),
        "{record}"
    );
    assert!(record.starts_with("T007,"), "{record}");

    let answers = read_answers(&project.surveys_csv()).unwrap().answers;
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0].comment, comment);
    assert_eq!(answers[0].rating, 1);
}

#[test]
fn form_page_escapes_ticket_title() {
    let project = Project::new("");
    let server = Server::start(&project);
    let page = get(server.address, &link("T001"));
    assert!(!page.body.contains("<b>jammed</b>"), "{}", page.body);
    assert!(page.body.contains("&lt;b&gt;jammed&lt;/b&gt;"));
}
