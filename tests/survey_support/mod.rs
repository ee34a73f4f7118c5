//! Shared helpers for the survey tests: a temporary project, the real `slaudit serve` binary
//! on 127.0.0.1 port 0, and a raw HTTP/1.1 client that can also send lying or chunked bodies.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use slaudit::survey::SigningKeys;

pub const KEY: &str = "integration-test-key-0123456789abcdefghij";
pub const OLD_KEY: &str = "older-integration-key-0123456789abcdefghij";
pub const TICKETS: usize = 50;

/// The header of the ServiceNow-style tickets file the tests write.
pub const TICKETS_HEADER: &str =
    "number,opened_at,resolved_at,state,priority,short_description,caller_id\n";

/// Formats one row of the tickets file. A ticket without `resolved` is still in progress.
pub fn ticket_row(id: &str, title: &str, requester: &str, resolved: Option<&str>) -> String {
    let mut cells = csv::Writer::from_writer(Vec::new());
    let (state, resolved) = match resolved {
        Some(resolved) => ("Resolved", resolved),
        None => ("In Progress", ""),
    };
    cells
        .write_record([
            id,
            "2026-05-31 09:00:00",
            resolved,
            state,
            "3 - Moderate",
            title,
            requester,
        ])
        .unwrap();
    String::from_utf8(cells.into_inner().unwrap()).unwrap()
}

/// A project folder with tickets T001…T050, all resolved, and a secret file.
pub struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    /// `surveys` is appended to the `[surveys]` table.
    pub fn new(surveys: &str) -> Project {
        let dir = tempfile::tempdir().unwrap();
        let config = format!(
            "[project]\ntitle = \"Survey test\"\n\n[tickets]\nfile = \"tickets.csv\"\npreset = \"servicenow\"\ntimezone = \"UTC\"\n\n[surveys]\nfile = \"surveys.csv\"\nsecret_file = \"secret.txt\"\n{surveys}\n"
        );
        std::fs::write(dir.path().join("slaudit.toml"), config).unwrap();
        let mut tickets = String::from(TICKETS_HEADER);
        for index in 1..=TICKETS {
            let title = if index == 2 {
                ""
            } else {
                "Printer <b>jammed</b>"
            };
            let day = 1 + index % 28;
            tickets.push_str(&ticket_row(
                &format!("T{index:03}"),
                title,
                &format!("user{index}@example.com"),
                Some(&format!("2026-06-{day:02} 10:00:00")),
            ));
        }
        std::fs::write(dir.path().join("tickets.csv"), tickets).unwrap();
        let secret = dir.path().join("secret.txt");
        std::fs::write(&secret, format!("{KEY}\n{OLD_KEY}\n")).unwrap();
        restrict(&secret);
        Project { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn surveys_csv(&self) -> PathBuf {
        self.path().join("surveys.csv")
    }

    pub fn csv_bytes(&self) -> Vec<u8> {
        std::fs::read(self.surveys_csv()).unwrap_or_default()
    }
}

#[cfg(unix)]
fn restrict(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Builds a survey path for a ticket, signed with `key` and valid until `expires`.
pub fn link_with(key: &str, ticket: &str, expires: i64) -> String {
    let keys = SigningKeys::new(vec![key.as_bytes().to_vec()], "test").unwrap();
    format!("/s/{}", keys.sign(ticket, expires))
}

pub fn link(ticket: &str) -> String {
    link_with(KEY, ticket, now() + 86_400)
}

/// A running `slaudit serve`; killed when dropped.
pub struct Server {
    pub child: Child,
    pub address: SocketAddr,
    pub stderr_path: PathBuf,
    _stderr_dir: tempfile::TempDir,
}

impl Server {
    pub fn start(project: &Project) -> Server {
        let stderr_dir = tempfile::tempdir().unwrap();
        let stderr_path = stderr_dir.path().join("stderr.log");
        let stderr = std::fs::File::create(&stderr_path).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_slaudit"))
            .arg("serve")
            .arg(project.path())
            .args(["--bind", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let Some(address) = line.trim().strip_prefix("listening on http://") else {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "server did not start; stdout: {line:?}; stderr:\n{}",
                std::fs::read_to_string(&stderr_path).unwrap_or_default()
            );
        };
        Server {
            address: address.parse().unwrap(),
            child,
            stderr_path,
            _stderr_dir: stderr_dir,
        }
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr_path).unwrap_or_default()
    }

    /// Sends a signal with the system's `kill` command.
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([format!("-{name}"), self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits up to `limit` for the process to exit and returns its exit code.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<i32> {
        let deadline = std::time::Instant::now() + limit;
        while std::time::Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A parsed HTTP response.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Sends raw bytes on a new connection and reads one response.
pub fn exchange(address: SocketAddr, request: &[u8]) -> std::io::Result<Reply> {
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(5))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    stream.write_all(request)?;
    read_reply(&mut BufReader::new(stream))
}

pub fn read_reply(reader: &mut impl BufRead) -> std::io::Result<Reply> {
    let mut status_line = String::new();
    reader.read_line(&mut status_line)?;
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {status_line:?}")))?;
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    let length: usize = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("Content-Length"))
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

pub fn get(address: SocketAddr, path: &str) -> Reply {
    exchange(
        address,
        format!("GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .unwrap()
}

pub fn post_form(address: SocketAddr, path: &str, body: &str) -> std::io::Result<Reply> {
    exchange(
        address,
        format!(
            "POST {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    )
}

/// Percent-encodes a form value.
pub fn encode(value: &str) -> String {
    let mut encoded = String::new();
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}
