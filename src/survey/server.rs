//! The socket side of the survey server: tiny_http, a fixed pool of worker threads, the
//! request log and a clean stop.
//!
//! What tiny_http 0.12 does and does not let a server bound:
//! - It accepts connections itself and reads each one's request line and headers on a thread
//!   of its own. Their size, their number and how long a client may take have no limit.
//!   Neither the listener nor the accepted sockets are reachable to set a read timeout. (A
//!   receive timeout on the listening socket would be inherited by accepted sockets on Linux,
//!   but it also makes `accept` fail, which ends tiny_http's accept thread.) The reverse
//!   proxy must bound these.
//! - It reads bodies of at most 1,024 declared bytes before handing the request over.
//! - Requests are handled here by a fixed number of workers, so at most that many requests
//!   are in progress; others wait in tiny_http's queue.
//! - A body is read only after its head passed every check, and then at most the configured
//!   limit plus one byte, whether it is chunked or declares a length.
//! - When a request with an unread body is dropped, tiny_http reads the rest of the declared
//!   length into one buffer of that size, so a huge `Content-Length` would make it allocate
//!   that much. Such requests are answered and then abandoned instead of dropped.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, TcpListener};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context;

use super::handlers::{loggable_path, App, Body, RequestHead, Response, Step};
use super::limits::read_bounded;
use crate::time::format_utc;

/// Bodies tiny_http reads before handing a request over; larger ones are left on the socket.
const PREREAD_BYTES: u64 = 1_024;

/// The largest unread declared body left for tiny_http to drain when a request is dropped.
const DRAIN_LIMIT_BYTES: u64 = 1 << 20;

/// How often idle workers look at the stop flag.
const POLL_INTERVAL: Duration = Duration::from_millis(100);

/// Serves requests until `stop` is set, then lets every request in progress finish.
///
/// Returns an error when tiny_http stops accepting connections.
pub fn run(app: Arc<App>, listener: TcpListener, stop: Arc<AtomicBool>) -> anyhow::Result<()> {
    let listener = disable_nagle(listener).context("failed to set TCP_NODELAY")?;
    let server = tiny_http::Server::from_listener(listener, None)
        .map_err(|error| anyhow::anyhow!("failed to start the HTTP server: {error}"))?;
    let server = Arc::new(server);
    let failed = Arc::new(AtomicBool::new(false));
    let abandoned = Arc::new(AtomicU64::new(0));
    let mut workers = Vec::new();
    for index in 0..app.settings().workers {
        let (app, server, stop, failed, abandoned) = (
            app.clone(),
            server.clone(),
            stop.clone(),
            failed.clone(),
            abandoned.clone(),
        );
        let worker = std::thread::Builder::new()
            .name(format!("survey-worker-{index}"))
            .spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    match server.recv_timeout(POLL_INTERVAL) {
                        Ok(Some(request)) => {
                            // A panic drops the request, for which tiny_http sends a 500, and
                            // must not cost the pool a worker.
                            let served = std::panic::catch_unwind(std::panic::AssertUnwindSafe(
                                || serve_one(&app, request, &abandoned),
                            ));
                            if served.is_err() {
                                eprintln!("slaudit: a request handler panicked; the client got a 500 response");
                            }
                        }
                        Ok(None) => {}
                        Err(error) => {
                            eprintln!("slaudit: the server stopped accepting connections: {error}");
                            failed.store(true, Ordering::SeqCst);
                            stop.store(true, Ordering::SeqCst);
                        }
                    }
                }
            })
            .context("failed to start a worker thread")?;
        workers.push(worker);
    }
    for worker in workers {
        if worker.join().is_err() {
            eprintln!("slaudit: a worker thread panicked");
        }
    }
    if failed.load(Ordering::SeqCst) {
        anyhow::bail!("the survey server stopped accepting connections");
    }
    Ok(())
}

/// Sets TCP_NODELAY on the listening socket, which Linux copies to every accepted socket.
///
/// tiny_http writes a response's head and body in separate segments and offers no way to set
/// options on the sockets it accepts. With Nagle's algorithm on, the body waits for the
/// client's delayed ACK of the head, about 40 ms on Linux, on every keep-alive response.
#[cfg(unix)]
fn disable_nagle(listener: TcpListener) -> std::io::Result<TcpListener> {
    use std::os::fd::OwnedFd;
    // The same socket seen as a stream, only to reach `set_nodelay`.
    let socket = std::net::TcpStream::from(OwnedFd::from(listener));
    socket.set_nodelay(true)?;
    Ok(TcpListener::from(OwnedFd::from(socket)))
}

#[cfg(not(unix))]
fn disable_nagle(listener: TcpListener) -> std::io::Result<TcpListener> {
    Ok(listener)
}

/// Reads the clock, in Unix milliseconds. This is the server's only clock reading.
fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_millis() as i64)
}

fn header_values(request: &tiny_http::Request, name: &'static str) -> Option<String> {
    let values: Vec<&str> = request
        .headers()
        .iter()
        .filter(|header| header.field.equiv(name))
        .map(|header| header.value.as_str())
        .collect();
    (!values.is_empty()).then(|| values.join(","))
}

fn serve_one(app: &App, mut request: tiny_http::Request, abandoned: &AtomicU64) {
    let started = std::time::Instant::now();
    let now = now_ms();
    let head = RequestHead {
        method: request.method().as_str().to_string(),
        url: request.url().to_string(),
        peer: request
            .remote_addr()
            .map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |address| address.ip()),
        forwarded_for: header_values(&request, "X-Forwarded-For"),
        content_type: header_values(&request, "Content-Type"),
        content_length: request.body_length().map(|length| length as u64),
    };
    let (response, body_left) = match app.begin(&head, now) {
        Step::Respond(response) => (response, head.content_length.unwrap_or(0)),
        Step::ReadBody(pending) => match read_bounded(request.as_reader(), pending.limit) {
            Ok(Some(body)) => (app.finish(pending, Body::Complete(body), now), 0),
            Ok(None) => (app.finish(pending, Body::TooLarge, now), 0),
            Err(error) => {
                eprintln!("slaudit: failed to read a request body: {error}");
                (Response::text(400, "the request body could not be read"), 0)
            }
        },
    };
    let status = response.status;
    send(request, response, body_left, abandoned);
    log_request(&head, status, started.elapsed());
}

fn send(request: tiny_http::Request, response: Response, body_left: u64, abandoned: &AtomicU64) {
    let mut reply = tiny_http::Response::from_data(response.body).with_status_code(response.status);
    for (name, value) in &response.headers {
        if let Ok(header) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            reply.add_header(header);
        }
    }
    if body_left <= PREREAD_BYTES {
        if let Err(error) = request.respond(reply) {
            eprintln!("slaudit: failed to send a response: {error}");
        }
    } else if body_left <= DRAIN_LIMIT_BYTES {
        // Dropping the request reads the rest of the body, which a client can withhold, so the
        // drop runs on a thread of its own and never blocks a worker.
        let spawned = std::thread::Builder::new()
            .name("survey-drain".to_string())
            .spawn(move || {
                let _ = request.respond(reply);
            });
        if let Err(error) = spawned {
            eprintln!("slaudit: failed to start a thread to close a connection: {error}");
        }
    } else {
        // NOTE: tiny_http 0.12 would allocate the whole declared length to drain it, so the
        // response is sent and the connection leaked. One socket and one tiny_http thread stay
        // open until the process ends.
        let stream = request.upgrade("close", reply);
        std::mem::forget(stream);
        let count = abandoned.fetch_add(1, Ordering::SeqCst) + 1;
        eprintln!(
            "slaudit: abandoned a connection that declared a {body_left}-byte body ({count} so far); let the reverse proxy limit body sizes"
        );
    }
}

/// Writes one line per request to stderr: time, method, path without token, status, duration.
fn log_request(head: &RequestHead, status: u16, elapsed: Duration) {
    let method: String = head
        .method
        .chars()
        .take(16)
        .map(|c| if c.is_ascii_graphic() { c } else { '?' })
        .collect();
    let line = format!(
        "{} {method} {} {status} {:.1}ms\n",
        format_utc(now_ms().div_euclid(1_000)),
        loggable_path(&head.url),
        elapsed.as_secs_f64() * 1_000.0
    );
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}
