//! `slaudit serve` over real HTTP on 127.0.0.1: every status, and no change to the survey file
//! for any rejected request.

mod survey_support;

use std::time::Duration;

use slaudit::survey::read_answers;
use survey_support::*;

const LIMITS: &str = "max_comment_chars = 100\nmax_body_bytes = 2048\nrate_limit_burst = 1000\nrate_limit_per_minute = 1000";

/// Sends a request that must be rejected with `status` and checks the file is unchanged.
fn assert_rejected(project: &Project, server: &Server, request: &[u8], status: u16) -> Reply {
    let before = project.csv_bytes();
    let reply = exchange(server.address, request).unwrap();
    assert_eq!(reply.status, status, "{}", reply.body);
    assert_eq!(
        project.csv_bytes(),
        before,
        "a rejected request changed the file"
    );
    assert_security_headers(&reply);
    reply
}

fn assert_security_headers(reply: &Reply) {
    let csp = reply.header("Content-Security-Policy").unwrap_or_default();
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    assert_eq!(reply.header("X-Content-Type-Options"), Some("nosniff"));
    assert_eq!(reply.header("Referrer-Policy"), Some("no-referrer"));
    assert_eq!(reply.header("Cache-Control"), Some("no-store"));
}

fn form_post(path: &str, body: &str) -> Vec<u8> {
    format!(
        "POST {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

#[test]
fn server_answers_every_status() {
    let project = Project::new(LIMITS);
    let server = Server::start(&project);
    let address = server.address;

    let health = get(address, "/healthz");
    assert_eq!(health.status, 200);
    assert_eq!(health.body, "ok");
    assert_security_headers(&health);

    let form = get(address, &link("T001"));
    assert_eq!(form.status, 200);
    assert!(
        form.body.contains("Printer &lt;b&gt;jammed&lt;/b&gt;"),
        "{}",
        form.body
    );
    assert!(form.body.contains("type=\"radio\""));
    assert_security_headers(&form);
    let untitled = get(address, &link("T002"));
    assert!(
        untitled.body.contains("<h1>Ticket T002</h1>"),
        "{}",
        untitled.body
    );

    let before = project.csv_bytes();
    let thanks = post_form(address, &link("T001"), "rating=4&comment=Fixed+fast").unwrap();
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    assert!(thanks.body.contains("Thank you"));
    assert_security_headers(&thanks);
    assert!(project.csv_bytes().len() > before.len());
    let saved = read_answers(&project.surveys_csv()).unwrap().answers;
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].ticket_id, "T001");
    assert_eq!(saved[0].rating, 4);
    assert_eq!(saved[0].comment, "Fixed fast");

    let rotated = link_with(OLD_KEY, "T003", now() + 3_600);
    assert_eq!(
        get(address, &rotated).status,
        200,
        "the second key verifies"
    );

    // 400: no rating, a rating out of range, a comment over the limit, not a form.
    for body in [
        "comment=x",
        "rating=9",
        &format!("rating=3&comment={}", "y".repeat(101)),
    ] {
        assert_rejected(&project, &server, &form_post(&link("T004"), body), 400);
    }
    let json = format!(
        "POST {} HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{{\"rating\":5}}",
        link("T004")
    );
    assert_rejected(&project, &server, json.as_bytes(), 400);

    // 403: a changed link and an expired one.
    let tampered = link("T001").replacen("VDAwMQ", "VDAwNQ", 1);
    assert_ne!(tampered, link("T001"));
    let bad = assert_rejected(&project, &server, &form_post(&tampered, "rating=5"), 403);
    assert!(bad.body.contains("not valid"));
    let expired = link_with(KEY, "T001", now() - 60);
    let reply = assert_rejected(&project, &server, &form_post(&expired, "rating=5"), 403);
    assert!(reply.body.contains("expired"));
    assert_eq!(get(address, &expired).status, 403);

    // 404: an unknown path, a path that tries to leave the site, an unknown ticket.
    for path in ["/", "/favicon.ico", "/../slaudit.toml", "/s/../surveys.csv"] {
        let request = format!("GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        let status = if path.starts_with("/s/") { 403 } else { 404 };
        assert_rejected(&project, &server, request.as_bytes(), status);
    }
    let unknown = assert_rejected(
        &project,
        &server,
        &form_post(&link("NOPE"), "rating=5"),
        404,
    );
    assert!(unknown.body.contains("Ticket not found"));

    // 405 with Allow.
    let put = format!(
        "PUT {} HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: 8\r\n\r\nrating=5",
        link("T001")
    );
    let reply = assert_rejected(&project, &server, put.as_bytes(), 405);
    assert_eq!(reply.header("Allow"), Some("GET, HEAD, POST"));

    // 413 by a declared length: one just over the limit and one no server could hold.
    for length in ["2049", "1000000000000"] {
        let request = format!(
            "POST {} HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {length}\r\n\r\nrating=5&comment=",
            link("T005")
        );
        assert_rejected(&project, &server, request.as_bytes(), 413);
    }

    // 413 by a chunked body that grows past the limit.
    let mut chunked = format!(
        "POST {} HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n",
        link("T005")
    )
    .into_bytes();
    let chunk = format!("rating=5&comment={}", "z".repeat(1_000));
    for _ in 0..3 {
        chunked.extend_from_slice(format!("{:X}\r\n{chunk}\r\n", chunk.len()).as_bytes());
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    assert_rejected(&project, &server, &chunked, 413);

    // A chunked body within the limit is read and saved.
    let body = "rating=2&comment=chunked";
    let small = format!(
        "POST {} HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n{:X}\r\n{body}\r\n0\r\n\r\n",
        link("T006"),
        body.len()
    );
    assert_eq!(exchange(address, small.as_bytes()).unwrap().status, 200);

    assert_eq!(get(address, "/healthz").status, 200, "still serving");
    let log = server.stderr();
    assert!(log.contains(" GET /healthz 200 "), "{log}");
    assert!(log.contains(" POST /s/[token] 200 "), "{log}");
    assert!(
        !log.contains("/s/v1."),
        "tokens must not reach the log:\n{log}"
    );
}

#[test]
fn rate_limit_gets_429_with_retry_after() {
    let project = Project::new("rate_limit_burst = 3\nrate_limit_per_minute = 1");
    let server = Server::start(&project);
    for _ in 0..3 {
        assert_eq!(get(server.address, &link("T001")).status, 200);
    }
    let reply = assert_rejected(
        &project,
        &server,
        &form_post(&link("T001"), "rating=5"),
        429,
    );
    let wait: u64 = reply.header("Retry-After").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(get(server.address, "/healthz").status, 200);
}

#[test]
fn sigterm_finishes_answers_then_exits_zero() {
    const CLIENTS: usize = 4;
    const ROUNDS: usize = 300;
    let project = Project::new(LIMITS);
    let mut server = Server::start(&project);
    let address = server.address;
    let acknowledged = std::sync::Mutex::new(Vec::new());
    let count = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for client in 0..CLIENTS {
            let (acknowledged, count) = (&acknowledged, &count);
            scope.spawn(move || {
                for round in 0..ROUNDS {
                    let comment = format!("client{client}-round{round}");
                    let ticket = format!("T{:03}", 1 + (client * ROUNDS + round) % TICKETS);
                    let body = format!("rating=3&comment={comment}");
                    match post_form(address, &link(&ticket), &body) {
                        Ok(reply) if reply.status == 200 => {
                            acknowledged.lock().unwrap().push(comment);
                            count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        }
                        _ => break,
                    }
                }
            });
        }
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while count.load(std::sync::atomic::Ordering::SeqCst) < 40
            && std::time::Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(2));
        }
        server.signal("TERM");
    });
    assert_eq!(
        server.wait_exit(Duration::from_secs(20)),
        Some(0),
        "{}",
        server.stderr()
    );
    assert!(
        server.stderr().contains("slaudit: stopped"),
        "{}",
        server.stderr()
    );
    let acknowledged = acknowledged.into_inner().unwrap();
    assert!(acknowledged.len() >= 40);
    assert!(
        acknowledged.len() < CLIENTS * ROUNDS,
        "the signal came after the burst ended, so it tested nothing"
    );
    let file = read_answers(&project.surveys_csv()).unwrap();
    assert_eq!(file.torn_tail_bytes, 0);
    let saved: Vec<String> = file.answers.into_iter().map(|a| a.comment).collect();
    for comment in acknowledged {
        assert!(
            saved.contains(&comment),
            "acknowledged {comment} is missing"
        );
    }
}

#[test]
fn sigint_stops_idle_server() {
    let project = Project::new(LIMITS);
    let mut server = Server::start(&project);
    assert_eq!(get(server.address, "/healthz").status, 200);
    server.signal("INT");
    assert_eq!(
        server.wait_exit(Duration::from_secs(20)),
        Some(0),
        "{}",
        server.stderr()
    );
}
