//! Load benchmark of `slaudit serve`: concurrent clients post durable answers over loopback.
//!
//! Run with `cargo bench --bench survey_server`. Environment variables change the load:
//! `SURVEY_BENCH_CLIENTS` (default 64), `SURVEY_BENCH_REQUESTS` (default 20000) and
//! `SURVEY_BENCH_WORKERS` (the server's `workers`, default 64). The survey file lives under
//! the build's target folder, on the same disk as the project, so every fsync is real.
//!
//! Each client keeps one connection open and sends its share of the answers one after the
//! other. At the end the server is stopped with SIGTERM and the answers in the file are
//! counted: the run fails unless the file holds exactly the acknowledged answers.

#[path = "../tests/survey_support/mod.rs"]
mod survey_support;

use std::io::{BufReader, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use slaudit::survey::read_answers;
use survey_support::{link, read_reply, Project, Server, TICKETS};

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let clients = setting("SURVEY_BENCH_CLIENTS", 64);
    let requests = setting("SURVEY_BENCH_REQUESTS", 20_000);
    let workers = setting("SURVEY_BENCH_WORKERS", 64);
    let per_client = requests / clients;

    let project = Project::new(&format!(
        "rate_limit_burst = 1000000\nrate_limit_per_minute = 1000000\nworkers = {workers}"
    ));
    let mut server = Server::start(&project);
    let address = server.address;
    let links: Vec<String> = (1..=TICKETS).map(|n| link(&format!("T{n:03}"))).collect();

    let started = Instant::now();
    let results: Vec<(usize, Vec<Duration>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..clients)
            .map(|client| {
                let links = &links;
                scope.spawn(move || {
                    let stream = TcpStream::connect(address).expect("connect to the server");
                    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
                    stream.set_nodelay(true).unwrap();
                    let mut writer = stream.try_clone().unwrap();
                    let mut reader = BufReader::new(stream);
                    let mut latencies = Vec::with_capacity(per_client);
                    let mut acknowledged = 0;
                    for round in 0..per_client {
                        let path = &links[(client * per_client + round) % links.len()];
                        let body = format!("rating={}&comment=client+{client}+round+{round}", 1 + round % 5);
                        let request = format!(
                            "POST {path} HTTP/1.1\r\nHost: bench\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        let sent = Instant::now();
                        writer.write_all(request.as_bytes()).expect("send a request");
                        let reply = read_reply(&mut reader).expect("read a response");
                        latencies.push(sent.elapsed());
                        if reply.status == 200 {
                            acknowledged += 1;
                        }
                    }
                    (acknowledged, latencies)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let elapsed = started.elapsed();

    server.signal("TERM");
    let code = server.wait_exit(Duration::from_secs(30));
    assert_eq!(
        code,
        Some(0),
        "the server did not stop cleanly:\n{}",
        server.stderr()
    );

    let acknowledged: usize = results.iter().map(|(count, _)| count).sum();
    let mut latencies: Vec<Duration> = results.into_iter().flat_map(|(_, l)| l).collect();
    latencies.sort();
    let percentile = |p: f64| {
        let index = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1;
        latencies[index].as_secs_f64() * 1_000.0
    };
    let in_file = read_answers(&project.surveys_csv()).unwrap();
    println!(
        "clients {clients}, workers {workers}, requests {}",
        latencies.len()
    );
    println!(
        "acknowledged {acknowledged}, in file {}",
        in_file.answers.len()
    );
    println!(
        "{:.0} answers/s, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms, wall {:.2} s",
        acknowledged as f64 / elapsed.as_secs_f64(),
        percentile(0.50),
        percentile(0.99),
        percentile(1.0),
        elapsed.as_secs_f64()
    );
    assert_eq!(in_file.answers.len(), acknowledged, "answers lost or extra");
    assert_eq!(in_file.torn_tail_bytes, 0);
}
