use std::sync::{Arc, Mutex};

use super::*;
use crate::survey::settings::RateSettings;
use crate::survey::store::AppendError;
use crate::survey::TicketEntry;

const KEY: &str = "k3y-for-tests-k3y-for-tests-k3y-for-tests";
/// 2026-07-01T00:00:00Z.
const NOW: i64 = 1_782_864_000;
const DAY: i64 = 86_400;

/// Records answers in memory, or fails every append when `failing` is set.
#[derive(Clone, Default)]
struct MemorySink {
    answers: Arc<Mutex<Vec<Answer>>>,
    failing: bool,
}

impl AnswerSink for MemorySink {
    fn append(&self, answer: Answer) -> Result<(), AppendError> {
        if self.failing {
            return Err(AppendError("disk full".to_string()));
        }
        self.answers.lock().unwrap().push(answer);
        Ok(())
    }
}

fn keys() -> SigningKeys {
    SigningKeys::new(vec![KEY.as_bytes().to_vec()], "test").unwrap()
}

fn settings() -> Settings {
    Settings {
        file: "surveys.csv".into(),
        link_lifetime: 28 * DAY,
        edit_window: 7 * DAY,
        max_comment_chars: 20,
        max_body_bytes: 300,
        rate: RateSettings {
            per_minute: 60,
            burst: 100,
            max_clients: 100,
        },
        workers: 1,
        trusted_proxies: vec![],
        zone: chrono_tz::UTC,
    }
}

struct Fixture {
    app: App,
    sink: MemorySink,
}

fn fixture_with(settings: Settings, sink: MemorySink, existing: &[Answer]) -> Fixture {
    let mut directory = TicketDirectory::default();
    directory.insert(
        "INC1",
        TicketEntry {
            title: Some("Laptop <will not> boot".to_string()),
            requester: Some("ana@example.com".to_string()),
            resolved: Some(NOW - DAY),
        },
    );
    directory.insert("INC2", TicketEntry::default());
    let app = App::new(
        directory,
        keys(),
        settings,
        Box::new(sink.clone()),
        existing,
    );
    Fixture { app, sink }
}

fn fixture() -> Fixture {
    fixture_with(settings(), MemorySink::default(), &[])
}

fn link(ticket: &str) -> String {
    format!("/s/{}", keys().sign(ticket, NOW + 28 * DAY))
}

fn head(method: &str, url: &str) -> RequestHead {
    RequestHead {
        method: method.to_string(),
        url: url.to_string(),
        peer: "127.0.0.1".parse().unwrap(),
        forwarded_for: None,
        content_type: None,
        content_length: None,
    }
}

fn post(url: &str, body: &str) -> RequestHead {
    RequestHead {
        content_type: Some("application/x-www-form-urlencoded".to_string()),
        content_length: Some(body.len() as u64),
        ..head("POST", url)
    }
}

fn text(response: &Response) -> String {
    String::from_utf8(response.body.clone()).unwrap()
}

impl Fixture {
    fn get(&self, url: &str) -> Response {
        self.app.handle(&head("GET", url), b"", NOW * 1_000)
    }

    fn post_at(&self, url: &str, body: &str, at: i64) -> Response {
        self.app
            .handle(&post(url, body), body.as_bytes(), at * 1_000)
    }

    fn post(&self, url: &str, body: &str) -> Response {
        self.post_at(url, body, NOW)
    }

    fn saved(&self) -> Vec<Answer> {
        self.sink.answers.lock().unwrap().clone()
    }
}

fn assert_security_headers(response: &Response) {
    let csp = response.header("Content-Security-Policy").unwrap();
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    assert_eq!(response.header("X-Content-Type-Options"), Some("nosniff"));
    assert_eq!(response.header("Referrer-Policy"), Some("no-referrer"));
    assert_eq!(response.header("Cache-Control"), Some("no-store"));
}

#[test]
fn get_link_shows_form_with_escaped_title() {
    let fixture = fixture();
    let response = fixture.get(&link("INC1"));
    assert_eq!(response.status, 200);
    let page = text(&response);
    assert!(
        page.contains("<h1>Laptop &lt;will not&gt; boot</h1>"),
        "{page}"
    );
    assert!(page.contains("name=\"rating\" value=\"5\""));
    assert!(page.contains("<form method=\"post\">"));
    assert_security_headers(&response);
    assert!(fixture.saved().is_empty(), "a GET never records an answer");
}

#[test]
fn ticket_without_title_shows_its_id() {
    let page = text(&fixture().get(&link("INC2")));
    assert!(page.contains("<h1>Ticket INC2</h1>"), "{page}");
}

#[test]
fn post_saves_answer_and_thanks() {
    let fixture = fixture();
    let response = fixture.post(&link("INC1"), "rating=4&comment=Quick+fix%2C+thanks%21");
    assert_eq!(response.status, 200, "{}", text(&response));
    assert!(text(&response).contains("Thank you"));
    assert!(
        text(&response).contains("8 July 2026, 00:00 UTC"),
        "{}",
        text(&response)
    );
    assert_security_headers(&response);
    assert_eq!(
        fixture.saved(),
        vec![Answer {
            ticket_id: "INC1".to_string(),
            submitted_at: NOW,
            rating: 4,
            comment: "Quick fix, thanks!".to_string(),
        }]
    );
}

#[test]
fn comment_is_optional_and_normalised() {
    let fixture = fixture();
    assert_eq!(fixture.post(&link("INC1"), "rating=5").status, 200);
    assert_eq!(
        fixture
            .post(&link("INC2"), "comment=%20a%0D%0Ab%00%0Dc+&rating=3")
            .status,
        200
    );
    let saved = fixture.saved();
    assert_eq!(saved[0].comment, "");
    assert_eq!(saved[1].comment, "a\nb\nc");
}

#[test]
fn malformed_answers_get_400() {
    let fixture = fixture();
    for (body, reason) in [
        ("", "No rating was chosen."),
        ("rating=", "No rating was chosen."),
        ("rating=0", "The rating must be a number from 1 to 5."),
        ("rating=6", "The rating must be a number from 1 to 5."),
        ("rating=4.5", "The rating must be a number from 1 to 5."),
        (
            "rating=4&rating=5",
            "The form holds the field `rating` twice.",
        ),
        (
            "rating=4&comment=%ZZ",
            "The form data is not correctly encoded.",
        ),
        (
            "rating=4&comment=%+1",
            "The form data is not correctly encoded.",
        ),
        (
            "rating=4&comment=%FF",
            "The form data is not valid UTF-8 text.",
        ),
        (
            "rating=4&comment=123456789012345678901",
            "The comment has 21 characters, but at most 20 are accepted.",
        ),
    ] {
        let response = fixture.post(&link("INC1"), body);
        assert_eq!(response.status, 400, "{body}");
        assert!(
            text(&response).contains(reason),
            "{body}: {}",
            text(&response)
        );
        assert_security_headers(&response);
    }
    assert!(fixture.saved().is_empty());
}

#[test]
fn comment_limit_counts_characters_not_bytes() {
    let fixture = fixture();
    let twenty_accents = "%C3%A9".repeat(20);
    let response = fixture.post(&link("INC1"), &format!("rating=2&comment={twenty_accents}"));
    assert_eq!(response.status, 200, "{}", text(&response));
}

#[test]
fn post_without_form_type_gets_400() {
    let fixture = fixture();
    let mut request = post(&link("INC1"), "rating=4");
    request.content_type = Some("application/json".to_string());
    let response = fixture.app.handle(&request, b"rating=4", NOW * 1_000);
    assert_eq!(response.status, 400);
    request.content_type = Some("Application/X-WWW-Form-Urlencoded; charset=UTF-8".to_string());
    assert_eq!(
        fixture
            .app
            .handle(&request, b"rating=4", NOW * 1_000)
            .status,
        200
    );
}

#[test]
fn tampered_link_gets_403() {
    let fixture = fixture();
    let good = link("INC1");
    let forged = good.replacen("SU5DMQ", "SU5DMg", 1);
    assert_ne!(good, forged);
    for url in [
        forged.as_str(),
        "/s/",
        "/s/v1.x.y.z",
        "/s/%2e%2e%2fetc%2fpasswd",
    ] {
        let response = fixture.get(url);
        assert_eq!(response.status, 403, "{url}");
        assert!(text(&response).contains("This survey link is not valid"));
        assert_eq!(fixture.post(url, "rating=5").status, 403, "{url}");
    }
    assert!(fixture.saved().is_empty());
}

#[test]
fn expired_link_gets_403_with_date() {
    let fixture = fixture();
    let url = format!("/s/{}", keys().sign("INC1", NOW - 1));
    let response = fixture.get(&url);
    assert_eq!(response.status, 403);
    assert!(text(&response).contains("This survey link has expired"));
    assert!(
        text(&response).contains("30 June 2026, 23:59 UTC"),
        "{}",
        text(&response)
    );
    assert_eq!(fixture.post(&url, "rating=5").status, 403);
    assert!(fixture.saved().is_empty());
}

#[test]
fn unknown_path_or_ticket_gets_404() {
    let fixture = fixture();
    for url in ["/", "/index.html", "/../../etc/passwd", "/s", "/healthz/x"] {
        assert_eq!(fixture.get(url).status, 404, "{url}");
    }
    let unknown = link("INC9");
    let response = fixture.get(&unknown);
    assert_eq!(response.status, 404);
    assert!(text(&response).contains("Ticket not found"));
    assert_eq!(fixture.post(&unknown, "rating=5").status, 404);
    assert!(fixture.saved().is_empty());
}

#[test]
fn wrong_method_gets_405_with_allow() {
    let fixture = fixture();
    let url = link("INC1");
    for method in ["PUT", "DELETE", "PATCH", "OPTIONS"] {
        let response = fixture.app.handle(&head(method, &url), b"", NOW * 1_000);
        assert_eq!(response.status, 405, "{method}");
        assert_eq!(response.header("Allow"), Some("GET, HEAD, POST"));
    }
    let response = fixture
        .app
        .handle(&head("POST", "/healthz"), b"", NOW * 1_000);
    assert_eq!(response.status, 405);
    assert_eq!(response.header("Allow"), Some("GET, HEAD"));
    assert!(fixture.saved().is_empty());
}

#[test]
fn oversized_body_gets_413_before_reading() {
    let fixture = fixture();
    let mut request = post(&link("INC1"), "");
    request.content_length = Some(301);
    match fixture.app.begin(&request, NOW * 1_000) {
        Step::Respond(response) => assert_eq!(response.status, 413),
        Step::ReadBody(_) => panic!("a declared length over the limit must not be read"),
    }
}

#[test]
fn body_past_limit_gets_413() {
    let fixture = fixture();
    let mut request = post(&link("INC1"), "");
    request.content_length = None;
    let Step::ReadBody(pending) = fixture.app.begin(&request, NOW * 1_000) else {
        panic!("a chunked body must be read");
    };
    assert_eq!(pending.limit, 300);
    let response = fixture.app.finish(pending, Body::TooLarge, NOW * 1_000);
    assert_eq!(response.status, 413);
    let exact = format!("rating=1&comment={}", "x".repeat(20));
    assert_eq!(fixture.post(&link("INC1"), &exact).status, 200);
    let long = format!("rating=1&comment={}", "x".repeat(290));
    assert_eq!(fixture.post(&link("INC1"), &long).status, 413);
    assert_eq!(fixture.saved().len(), 1);
}

#[test]
fn burst_over_rate_gets_429_with_retry_after() {
    let mut settings = settings();
    settings.rate = RateSettings {
        per_minute: 2,
        burst: 2,
        max_clients: 10,
    };
    let fixture = fixture_with(settings, MemorySink::default(), &[]);
    assert_eq!(fixture.get(&link("INC1")).status, 200);
    assert_eq!(fixture.get("/nothing").status, 404);
    let response = fixture.post(&link("INC1"), "rating=5");
    assert_eq!(response.status, 429);
    assert_eq!(response.header("Retry-After"), Some("30"));
    assert!(text(&response).contains("Wait 30 seconds"));
    assert!(fixture.saved().is_empty());
    assert_eq!(
        fixture.get("/healthz").status,
        200,
        "health checks are not limited"
    );
}

#[test]
fn rate_limit_uses_forwarded_client_behind_trusted_proxy() {
    let mut settings = settings();
    settings.rate = RateSettings {
        per_minute: 1,
        burst: 1,
        max_clients: 10,
    };
    settings.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    let fixture = fixture_with(settings, MemorySink::default(), &[]);
    let from = |client: &str| RequestHead {
        forwarded_for: Some(client.to_string()),
        ..head("GET", "/x")
    };
    assert_eq!(fixture.app.handle(&from("203.0.113.1"), b"", 0).status, 404);
    assert_eq!(fixture.app.handle(&from("203.0.113.2"), b"", 0).status, 404);
    assert_eq!(fixture.app.handle(&from("203.0.113.1"), b"", 0).status, 429);
}

#[test]
fn repeat_within_window_is_saved_and_noted() {
    let fixture = fixture();
    let url = link("INC1");
    assert_eq!(fixture.post(&url, "rating=2").status, 200);
    let page = text(&fixture.get(&url));
    assert!(
        page.contains("You already answered on 1 July 2026, 00:00 UTC"),
        "{page}"
    );
    assert!(page.contains("<form"));
    let response = fixture.post_at(&url, "rating=5", NOW + 7 * DAY);
    assert_eq!(response.status, 200);
    assert_eq!(fixture.saved().len(), 2, "every raw answer is kept");
}

#[test]
fn answer_after_window_gets_409() {
    let earlier = Answer {
        ticket_id: "INC1".to_string(),
        submitted_at: NOW - 8 * DAY,
        rating: 2,
        comment: String::new(),
    };
    let fixture = fixture_with(settings(), MemorySink::default(), &[earlier]);
    let response = fixture.post(&link("INC1"), "rating=5");
    assert_eq!(response.status, 409);
    assert!(text(&response).contains("Your answer can no longer be changed"));
    assert!(fixture.saved().is_empty());
    let page = fixture.get(&link("INC1"));
    assert_eq!(page.status, 200);
    assert!(text(&page).contains("Your answer is already recorded"));
    assert!(!text(&page).contains("<form"));
}

#[test]
fn failed_save_gets_503_without_thanks() {
    let sink = MemorySink {
        failing: true,
        ..MemorySink::default()
    };
    let fixture = fixture_with(settings(), sink, &[]);
    let response = fixture.post(&link("INC1"), "rating=5");
    assert_eq!(response.status, 503);
    assert!(text(&response).contains("could not be saved"));
    let page = text(&fixture.get(&link("INC1")));
    assert!(
        !page.contains("You already answered"),
        "a failed save opens no window"
    );
}

#[test]
fn healthz_answers_ok() {
    let response = fixture().get("/healthz");
    assert_eq!(response.status, 200);
    assert_eq!(text(&response), "ok");
    assert_security_headers(&response);
}

#[test]
fn log_path_hides_token_and_control_characters() {
    assert_eq!(loggable_path(&link("INC1")), "/s/[token]");
    assert_eq!(loggable_path("/s/abc?x=1"), "/s/[token]");
    assert_eq!(loggable_path("/healthz?probe=1"), "/healthz");
    assert_eq!(loggable_path("/a\u{1b}[31mb\n"), "/a?[31mb?");
    assert_eq!(loggable_path(&format!("/{}", "x".repeat(300))).len(), 203);
}

#[test]
fn form_parser_decodes_pairs() {
    assert_eq!(
        parse_form(b"a=1&b=x+y%26z&&c").unwrap(),
        vec![
            ("a".to_string(), "1".to_string()),
            ("b".to_string(), "x y&z".to_string()),
            ("c".to_string(), String::new()),
        ]
    );
}
