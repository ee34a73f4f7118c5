//! Request handling as plain functions from a request value to a response value.
//!
//! A request is handled in two steps so that nothing is read from a client that will be
//! rejected anyway. [`App::begin`] takes the request line and headers and either returns a
//! response at once or requests the body, within a limit. [`App::finish`] takes the body and
//! returns the response. The socket side lives in [`super::server`], and [`App::handle`] runs
//! both steps for tests.
//!
//! Routes: `GET /healthz`; `GET /s/<token>` shows the form and `POST /s/<token>` saves an
//! answer. Nothing maps a URL to a file.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use super::limits::{client_address, RateLimiter};
use super::pages::{self, FormPage};
use super::settings::Settings;
use super::store::AnswerSink;
use super::token::{SigningKeys, TokenError};
use super::{Answer, TicketDirectory};
use crate::time::Instant;

/// The request line and headers of a request.
#[derive(Debug, Clone)]
pub struct RequestHead {
    pub method: String,
    /// The request target as sent, such as `/s/v1.SU5D….1800000000.…?utm=x`.
    pub url: String,
    /// The address of the TCP peer.
    pub peer: IpAddr,
    pub forwarded_for: Option<String>,
    pub content_type: Option<String>,
    /// The declared body length; `None` for a chunked body or no body.
    pub content_length: Option<u64>,
}

/// A response to send: status, headers and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// Builds a response with the headers every response carries.
    fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![
                ("Content-Type", content_type.to_string()),
                (
                    "Content-Security-Policy",
                    pages::content_security_policy().to_string(),
                ),
                ("X-Content-Type-Options", "nosniff".to_string()),
                ("Referrer-Policy", "no-referrer".to_string()),
                ("Cache-Control", "no-store".to_string()),
                ("X-Frame-Options", "DENY".to_string()),
                ("X-Robots-Tag", "noindex, nofollow".to_string()),
            ],
            body,
        }
    }

    pub fn html(status: u16, page: String) -> Response {
        Response::new(status, "text/html; charset=utf-8", page.into_bytes())
    }

    pub fn text(status: u16, text: &str) -> Response {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            text.as_bytes().to_vec(),
        )
    }

    fn message(status: u16, heading: &str, what_happened: &str, what_to_do: &str) -> Response {
        Response::html(
            status,
            pages::message_page(heading, what_happened, what_to_do),
        )
    }

    fn with_header(mut self, name: &'static str, value: String) -> Response {
        self.headers.push((name, value));
        self
    }

    /// Returns the value of a header, for tests and the log.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The page the server sends when a request fails in a way no handler foresaw.
    pub fn internal_error() -> Response {
        Response::message(
            500,
            "Something went wrong",
            "The server could not handle this request.",
            "Try again in a few minutes.",
        )
    }
}

/// The next step after a request's head.
#[derive(Debug)]
pub enum Step {
    Respond(Response),
    /// Read the body, at most `limit` bytes, and pass it to [`App::finish`].
    ReadBody(PendingAnswer),
}

/// A POST whose token was accepted, waiting for its body.
#[derive(Debug, Clone)]
pub struct PendingAnswer {
    ticket_id: String,
    pub limit: usize,
}

/// A request body as read by the server.
#[derive(Debug, Clone)]
pub enum Body {
    Complete(Vec<u8>),
    /// The body went past the limit; reading stopped there.
    TooLarge,
}

/// Everything the handlers need, shared by the worker threads.
pub struct App {
    directory: TicketDirectory,
    keys: SigningKeys,
    settings: Settings,
    sink: Box<dyn AnswerSink>,
    rate_limiter: Mutex<RateLimiter>,
    /// The time of each ticket's first answer, which opens its edit window.
    first_answers: Mutex<HashMap<String, Instant>>,
}

impl App {
    /// `existing` are the answers already in the survey file.
    pub fn new(
        directory: TicketDirectory,
        keys: SigningKeys,
        settings: Settings,
        sink: Box<dyn AnswerSink>,
        existing: &[Answer],
    ) -> App {
        let mut first_answers: HashMap<String, Instant> = HashMap::new();
        for answer in existing {
            first_answers
                .entry(answer.ticket_id.clone())
                .and_modify(|first| *first = (*first).min(answer.submitted_at))
                .or_insert(answer.submitted_at);
        }
        App {
            directory,
            keys,
            rate_limiter: Mutex::new(RateLimiter::new(settings.rate)),
            settings,
            sink,
            first_answers: Mutex::new(first_answers),
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Handles a request whose body is already in memory: both steps in one call.
    pub fn handle(&self, head: &RequestHead, body: &[u8], now_ms: i64) -> Response {
        match self.begin(head, now_ms) {
            Step::Respond(response) => response,
            Step::ReadBody(pending) => {
                let body = if body.len() > pending.limit {
                    Body::TooLarge
                } else {
                    Body::Complete(body.to_vec())
                };
                self.finish(pending, body, now_ms)
            }
        }
    }

    /// Routes a request by its head; `now_ms` is the time in Unix milliseconds.
    pub fn begin(&self, head: &RequestHead, now_ms: i64) -> Step {
        let path = head.url.split(['?', '#']).next().unwrap_or_default();
        let method = head.method.as_str();
        if path == "/healthz" {
            return Step::Respond(match method {
                "GET" | "HEAD" => Response::text(200, "ok"),
                _ => method_not_allowed("GET, HEAD"),
            });
        }
        let client = client_address(
            head.peer,
            head.forwarded_for.as_deref(),
            &self.settings.trusted_proxies,
        );
        let rate = self
            .rate_limiter
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .check(client, now_ms);
        if let Err(wait) = rate {
            return Step::Respond(too_many_requests(wait));
        }
        let Some(token) = path.strip_prefix("/s/") else {
            return Step::Respond(not_found());
        };
        let now = now_ms.div_euclid(1_000);
        match method {
            "GET" | "HEAD" => Step::Respond(self.show_form(token, now)),
            "POST" => self.begin_answer(token, head, now),
            _ => Step::Respond(method_not_allowed("GET, HEAD, POST")),
        }
    }

    /// Checks a token and finds its ticket; the error is the response to send.
    fn ticket_of(&self, token: &str, now: Instant) -> Result<String, Response> {
        let verified = self.keys.verify(token, now).map_err(|error| match error {
            TokenError::Malformed | TokenError::BadSignature => invalid_link(),
            TokenError::Expired { expires, .. } => expired_link(&self.display_time(expires)),
        })?;
        if self.directory.get(&verified.ticket_id).is_none() {
            return Err(unknown_ticket());
        }
        Ok(verified.ticket_id)
    }

    fn show_form(&self, token: &str, now: Instant) -> Response {
        let ticket_id = match self.ticket_of(token, now) {
            Ok(ticket_id) => ticket_id,
            Err(response) => return response,
        };
        let note = match self.first_answer(&ticket_id) {
            Some(first) if now > self.window_end(first) => {
                return Response::message(
                    200,
                    "Your answer is already recorded",
                    &format!(
                        "You answered this survey on {}. Answers can be changed for {} after the first one, and that time is over.",
                        self.display_time(first),
                        crate::time::describe_span(self.settings.edit_window)
                    ),
                    "Thank you for taking part. There is nothing more to do.",
                );
            }
            Some(first) => Some(format!(
                "You already answered on {}. Sending the form again replaces that answer; this is possible until {}.",
                self.display_time(first),
                self.display_time(self.window_end(first))
            )),
            None => None,
        };
        let entry = self.directory.get(&ticket_id);
        let page = pages::form_page(&FormPage {
            ticket_id: &ticket_id,
            title: entry.and_then(|entry| entry.title.as_deref()),
            max_comment_chars: self.settings.max_comment_chars,
            note,
        });
        Response::html(200, page)
    }

    fn begin_answer(&self, token: &str, head: &RequestHead, now: Instant) -> Step {
        let ticket_id = match self.ticket_of(token, now) {
            Ok(ticket_id) => ticket_id,
            Err(response) => return Step::Respond(response),
        };
        let form_type = head
            .content_type
            .as_deref()
            .and_then(|value| value.split(';').next())
            .map(str::trim);
        if !form_type.is_some_and(|t| t.eq_ignore_ascii_case("application/x-www-form-urlencoded")) {
            return Step::Respond(bad_request("The answer was not sent as a web form."));
        }
        let limit = self.settings.max_body_bytes;
        if head
            .content_length
            .is_some_and(|length| length > limit as u64)
        {
            return Step::Respond(self.too_large());
        }
        Step::ReadBody(PendingAnswer { ticket_id, limit })
    }

    /// Validates and saves an answer whose body was read.
    pub fn finish(&self, pending: PendingAnswer, body: Body, now_ms: i64) -> Response {
        let now = now_ms.div_euclid(1_000);
        let body = match body {
            Body::Complete(body) => body,
            Body::TooLarge => return self.too_large(),
        };
        let (rating, comment) = match self.read_form(&body) {
            Ok(fields) => fields,
            Err(reason) => return bad_request(&reason),
        };
        let first = self.first_answer(&pending.ticket_id);
        if let Some(first) = first {
            if now > self.window_end(first) {
                return Response::message(
                    409,
                    "Your answer can no longer be changed",
                    &format!(
                        "You answered this survey on {}, and answers can be changed for {} after the first one. Your first answer stays recorded.",
                        self.display_time(first),
                        crate::time::describe_span(self.settings.edit_window)
                    ),
                    "There is nothing more to do. Thank you for taking part.",
                );
            }
        }
        let answer = Answer {
            ticket_id: pending.ticket_id.clone(),
            submitted_at: now,
            rating,
            comment,
        };
        if let Err(error) = self.sink.append(answer) {
            eprintln!(
                "slaudit: answer for ticket {} not saved: {error}",
                pending.ticket_id
            );
            return Response::message(
                503,
                "Your answer could not be saved",
                "The server could not store your answer, so nothing was recorded.",
                "Please send the form again in a few minutes.",
            )
            .with_header("Retry-After", "120".to_string());
        }
        let first = *self
            .first_answers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .entry(pending.ticket_id)
            .or_insert(now);
        Response::html(
            200,
            pages::thank_you_page(rating, &self.display_time(self.window_end(first))),
        )
    }

    /// Reads the rating and the comment from a form body, or returns why they are invalid.
    fn read_form(&self, body: &[u8]) -> Result<(u8, String), String> {
        let fields = parse_form(body)?;
        let mut rating = None;
        let mut comment = None;
        for (name, value) in fields {
            let slot = match name.as_str() {
                "rating" => &mut rating,
                "comment" => &mut comment,
                _ => continue,
            };
            if slot.replace(value).is_some() {
                return Err(format!("The form holds the field `{name}` twice."));
            }
        }
        let rating = match rating.as_deref().map(str::trim) {
            None | Some("") => return Err("No rating was chosen.".to_string()),
            Some(text) => match text.parse::<u8>() {
                Ok(value @ 1..=5) => value,
                _ => return Err("The rating must be a number from 1 to 5.".to_string()),
            },
        };
        let comment = clean_comment(comment.as_deref().unwrap_or_default());
        let length = comment.chars().count();
        if length > self.settings.max_comment_chars {
            return Err(format!(
                "The comment has {length} characters, but at most {} are accepted.",
                self.settings.max_comment_chars
            ));
        }
        Ok((rating, comment))
    }

    fn too_large(&self) -> Response {
        Response::message(
            413,
            "Your answer is too long",
            &format!(
                "The form sent more than {} bytes, which is more than this survey accepts.",
                self.settings.max_body_bytes
            ),
            &format!(
                "Go back, shorten the comment to at most {} characters and send it again.",
                self.settings.max_comment_chars
            ),
        )
    }

    fn first_answer(&self, ticket_id: &str) -> Option<Instant> {
        self.first_answers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(ticket_id)
            .copied()
    }

    fn window_end(&self, first: Instant) -> Instant {
        first.saturating_add(self.settings.edit_window)
    }

    fn display_time(&self, instant: Instant) -> String {
        use chrono::TimeZone as _;
        match self.settings.zone.timestamp_opt(instant, 0).single() {
            Some(local) => local.format("%-d %B %Y, %H:%M %Z").to_string(),
            None => crate::time::format_utc(instant),
        }
    }
}

fn method_not_allowed(allow: &str) -> Response {
    Response::message(
        405,
        "Method not allowed",
        "This address does not accept this kind of request.",
        "Open the survey link in a web browser.",
    )
    .with_header("Allow", allow.to_string())
}

fn too_many_requests(wait_seconds: u64) -> Response {
    Response::message(
        429,
        "Too many requests",
        "This address sent more requests than the survey accepts in a short time.",
        &format!("Wait {wait_seconds} seconds, then try again."),
    )
    .with_header("Retry-After", wait_seconds.to_string())
}

fn not_found() -> Response {
    Response::message(
        404,
        "Page not found",
        "There is no page at this address.",
        "Open the survey link exactly as it appears in your e-mail.",
    )
}

fn unknown_ticket() -> Response {
    Response::message(
        404,
        "Ticket not found",
        "This survey link is for a ticket that the survey no longer knows.",
        "Ask the service desk for a new survey link.",
    )
}

fn invalid_link() -> Response {
    Response::message(
        403,
        "This survey link is not valid",
        "The link is incomplete or was changed.",
        "Open the link exactly as it appears in your e-mail, or ask the service desk for a new one.",
    )
}

fn expired_link(expired_at: &str) -> Response {
    Response::message(
        403,
        "This survey link has expired",
        &format!("The link was valid until {expired_at}."),
        "If you still want to answer, ask the service desk for a new link.",
    )
}

fn bad_request(reason: &str) -> Response {
    Response::message(
        400,
        "Your answer could not be read",
        reason,
        "Go back to the form, choose a rating from 1 to 5 and send it again.",
    )
}

/// Normalises a comment: line breaks become `\n`, tabs stay, other control characters are removed, and
/// surrounding whitespace is trimmed.
pub fn clean_comment(text: &str) -> String {
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    let kept: String = unified
        .chars()
        .filter(|&c| c == '\n' || c == '\t' || !c.is_control())
        .collect();
    kept.trim().to_string()
}

/// Parses an `application/x-www-form-urlencoded` body into name and value pairs.
pub fn parse_form(body: &[u8]) -> Result<Vec<(String, String)>, String> {
    let mut fields = Vec::new();
    for pair in body.split(|&b| b == b'&').filter(|pair| !pair.is_empty()) {
        let (name, value) = match pair.iter().position(|&b| b == b'=') {
            Some(index) => (&pair[..index], &pair[index + 1..]),
            None => (pair, &b""[..]),
        };
        fields.push((percent_decode(name)?, percent_decode(value)?));
    }
    Ok(fields)
}

fn percent_decode(text: &[u8]) -> Result<String, String> {
    let invalid = || "The form data is not correctly encoded.".to_string();
    let mut bytes = Vec::with_capacity(text.len());
    let mut index = 0;
    while index < text.len() {
        match text[index] {
            b'+' => bytes.push(b' '),
            b'%' => {
                let digits = text.get(index + 1..index + 3).ok_or_else(invalid)?;
                if !digits.iter().all(u8::is_ascii_hexdigit) {
                    return Err(invalid());
                }
                let digits = std::str::from_utf8(digits).map_err(|_| invalid())?;
                bytes.push(u8::from_str_radix(digits, 16).map_err(|_| invalid())?);
                index += 2;
            }
            byte => bytes.push(byte),
        }
        index += 1;
    }
    String::from_utf8(bytes).map_err(|_| "The form data is not valid UTF-8 text.".to_string())
}

/// Returns the request path as it may be logged. The query is dropped, a survey token becomes
/// `[token]`, and anything but printable ASCII becomes `?`.
pub fn loggable_path(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    if path.starts_with("/s/") {
        return "/s/[token]".to_string();
    }
    let mut shown: String = path
        .chars()
        .take(200)
        .map(|c| if c.is_ascii_graphic() { c } else { '?' })
        .collect();
    if path.chars().count() > 200 {
        shown.push_str("...");
    }
    shown
}

#[cfg(test)]
mod tests;
