//! Killing `slaudit serve` with SIGKILL loses no acknowledged answer, and a restart repairs a
//! partial last record.

mod survey_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use slaudit::survey::read_answers;
use slaudit::survey::store::torn_copy_path;
use survey_support::*;

const LIMITS: &str = "rate_limit_burst = 100000\nrate_limit_per_minute = 100000";
const CLIENTS: usize = 8;
const ROUNDS: usize = 200;

#[test]
fn sigkill_during_burst_keeps_every_acknowledged_answer() {
    let project = Project::new(LIMITS);
    let mut server = Server::start(&project);
    let address = server.address;
    let acknowledged = Mutex::new(Vec::new());
    let acknowledged_count = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for client in 0..CLIENTS {
            let (acknowledged, acknowledged_count) = (&acknowledged, &acknowledged_count);
            scope.spawn(move || {
                for round in 0..ROUNDS {
                    let comment = format!("c{client}r{round}");
                    let ticket = format!("T{:03}", 1 + (client * ROUNDS + round) % TICKETS);
                    let body = format!("rating={}&comment={comment}", 1 + round % 5);
                    match post_form(address, &link(&ticket), &body) {
                        Ok(reply) if reply.status == 200 => {
                            acknowledged.lock().unwrap().push(comment);
                            acknowledged_count.fetch_add(1, Ordering::SeqCst);
                        }
                        _ => break,
                    }
                }
            });
        }
        // Kill once the burst is well under way, or after a bounded wait.
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while acknowledged_count.load(Ordering::SeqCst) < 200
            && std::time::Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(5));
        }
        server.child.kill().unwrap();
    });
    server.child.wait().unwrap();
    let acknowledged = acknowledged.into_inner().unwrap();
    assert!(
        acknowledged.len() >= 200,
        "only {} answers before the kill",
        acknowledged.len()
    );
    assert!(
        acknowledged.len() < CLIENTS * ROUNDS,
        "the kill came after the burst ended, so it tested nothing"
    );

    let before_restart = read_answers(&project.surveys_csv()).unwrap();
    assert!(
        before_restart.rejected.is_empty(),
        "{:?}",
        before_restart.rejected
    );
    let saved: std::collections::HashSet<String> = before_restart
        .answers
        .iter()
        .map(|a| a.comment.clone())
        .collect();
    for comment in &acknowledged {
        assert!(
            saved.contains(comment),
            "acknowledged answer {comment} is missing"
        );
    }

    let restarted = Server::start(&project);
    assert_eq!(get(restarted.address, "/healthz").status, 200);
    let after_restart = read_answers(&project.surveys_csv()).unwrap();
    assert_eq!(after_restart.torn_tail_bytes, 0);
    assert!(after_restart.rejected.is_empty());
    assert_eq!(after_restart.answers, before_restart.answers);
    let repaired = restarted.stderr().contains("removed a partial last record");
    assert_eq!(
        repaired,
        before_restart.torn_tail_bytes > 0,
        "{}",
        restarted.stderr()
    );
    assert_eq!(torn_copy_path(&project.surveys_csv()).exists(), repaired);
}

#[test]
fn restart_repairs_torn_last_record() {
    let project = Project::new(LIMITS);
    let good =
        "ticket_id,submitted_at,rating,comment\nT001,2026-07-01T09:30:00Z,5,\"two\nlines\"\n";
    let torn = "T002,2026-07-01T09:31:00Z,4,\"cut in the mid";
    std::fs::write(project.surveys_csv(), format!("{good}{torn}")).unwrap();

    let server = Server::start(&project);

    assert_eq!(
        std::fs::read_to_string(project.surveys_csv()).unwrap(),
        good
    );
    assert_eq!(
        std::fs::read_to_string(torn_copy_path(&project.surveys_csv())).unwrap(),
        torn
    );
    let log = server.stderr();
    assert!(
        log.contains(&format!(
            "removed a partial last record of {} bytes",
            torn.len()
        )),
        "{log}"
    );
    let reply = post_form(server.address, &link("T003"), "rating=3").unwrap();
    assert_eq!(reply.status, 200);
    let answers = read_answers(&project.surveys_csv()).unwrap().answers;
    let tickets: Vec<&str> = answers.iter().map(|a| a.ticket_id.as_str()).collect();
    assert_eq!(tickets, ["T001", "T003"]);
    assert_eq!(answers[0].comment, "two\nlines");
}
