//! The HTML pages of the survey server: the form, the thank-you page and short status pages.
//!
//! Pages need no JavaScript and read on a phone. Every dynamic text goes through
//! [`escape_html`]. The one stylesheet is inline, allowed by its hash in the
//! Content-Security-Policy, so no script or other style can run.

use std::sync::OnceLock;

use sha2::{Digest, Sha256};

use super::token::base64_encode;

const STYLE: &str = "body{margin:0;font:1.05rem/1.5 system-ui,sans-serif;color:#1b1b1b;background:#f5f5f2}\
main{max-width:34rem;margin:0 auto;padding:1.25rem}\
h1{font-size:1.35rem;line-height:1.3}\
.ticket{color:#555;margin-top:-.5rem}\
fieldset{border:0;padding:0;margin:0 0 1rem}\
legend{font-weight:600;margin-bottom:.5rem}\
.choice{display:block;padding:.6rem .75rem;margin:.3rem 0;background:#fff;border:1px solid #ccc;border-radius:.4rem}\
.choice input{margin-right:.6rem;transform:scale(1.3)}\
label[for=comment]{display:block;font-weight:600;margin-bottom:.4rem}\
textarea{box-sizing:border-box;width:100%;min-height:7rem;font:inherit;padding:.5rem;border:1px solid #ccc;border-radius:.4rem}\
button{margin-top:1rem;width:100%;padding:.8rem;font:inherit;font-weight:600;color:#fff;background:#1d4f91;border:0;border-radius:.4rem}\
.note{background:#fff8d6;padding:.6rem .75rem;border-radius:.4rem}";

/// Returns the Content-Security-Policy sent with every response.
pub fn content_security_policy() -> &'static str {
    static POLICY: OnceLock<String> = OnceLock::new();
    POLICY.get_or_init(|| {
        let hash = base64_encode(&Sha256::digest(STYLE.as_bytes()));
        format!(
            "default-src 'none'; style-src 'sha256-{hash}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
        )
    })
}

pub use crate::html::escape as escape_html;

/// Wraps a page body; `title` and `body` must already be escaped.
fn layout(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n<title>{title}</title>\n\
         <style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )
}

/// The labels of the five ratings, from 1 to 5.
pub const RATING_LABELS: [&str; 5] = [
    "Very dissatisfied",
    "Dissatisfied",
    "Neither satisfied nor dissatisfied",
    "Satisfied",
    "Very satisfied",
];

/// The ticket details shown on the form page.
pub struct FormPage<'a> {
    pub ticket_id: &'a str,
    pub title: Option<&'a str>,
    pub max_comment_chars: usize,
    /// A note above the form, such as that an earlier answer will be replaced.
    pub note: Option<String>,
}

/// Renders the one-question form, which posts back to its own address.
pub fn form_page(page: &FormPage<'_>) -> String {
    let id = escape_html(page.ticket_id);
    let heading = match page.title {
        Some(title) => format!(
            "<h1>{}</h1>\n<p class=\"ticket\">Ticket {id}</p>",
            escape_html(title)
        ),
        None => format!("<h1>Ticket {id}</h1>"),
    };
    let note = page
        .note
        .as_deref()
        .map(|note| format!("<p class=\"note\">{}</p>\n", escape_html(note)))
        .unwrap_or_default();
    let mut choices = String::new();
    for (index, label) in RATING_LABELS.iter().enumerate() {
        let value = index + 1;
        choices.push_str(&format!(
            "<label class=\"choice\" for=\"rating{value}\"><input type=\"radio\" id=\"rating{value}\" name=\"rating\" value=\"{value}\" required>{value} — {label}</label>\n"
        ));
    }
    let body = format!(
        "{heading}\n{note}<form method=\"post\">\n<fieldset>\n\
         <legend>How satisfied are you with how we handled this ticket?</legend>\n{choices}</fieldset>\n\
         <label for=\"comment\">Comment (optional, up to {max} characters)</label>\n\
         <textarea id=\"comment\" name=\"comment\" maxlength=\"{max}\" rows=\"5\"></textarea>\n\
         <button type=\"submit\">Send answer</button>\n</form>",
        max = page.max_comment_chars
    );
    layout("Satisfaction survey", &body)
}

/// Renders the page shown after an answer was saved.
pub fn thank_you_page(rating: u8, editable_until: &str) -> String {
    let label = RATING_LABELS[usize::from(rating.clamp(1, 5)) - 1];
    let body = format!(
        "<h1>Thank you</h1>\n<p>Your answer ({rating} — {label}) is saved.</p>\n\
         <p>You can change it from the same link until {}.</p>",
        escape_html(editable_until)
    );
    layout("Thank you", &body)
}

/// Renders a short page that states what happened and what to do next.
pub fn message_page(heading: &str, what_happened: &str, what_to_do: &str) -> String {
    let body = format!(
        "<h1>{}</h1>\n<p>{}</p>\n<p>{}</p>",
        escape_html(heading),
        escape_html(what_happened),
        escape_html(what_to_do)
    );
    layout(&escape_html(heading), &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(
            escape_html("<a href=\"x\" title='y'>&</a>"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
        );
    }

    #[test]
    fn csp_hash_matches_inline_style() {
        let page = message_page("A", "b", "c");
        let start = page.find("<style>").unwrap() + "<style>".len();
        let end = page.find("</style>").unwrap();
        let hash = base64_encode(&Sha256::digest(&page.as_bytes()[start..end]));
        assert!(
            content_security_policy().contains(&format!("'sha256-{hash}'")),
            "{}",
            content_security_policy()
        );
        assert!(content_security_policy().starts_with("default-src 'none';"));
        assert!(!content_security_policy().contains("script-src"));
    }

    #[test]
    fn form_has_label_for_every_control() {
        let page = form_page(&FormPage {
            ticket_id: "INC1",
            title: Some("<b>Printer</b>"),
            max_comment_chars: 2_000,
            note: None,
        });
        for id in [
            "rating1", "rating2", "rating3", "rating4", "rating5", "comment",
        ] {
            assert!(page.contains(&format!("id=\"{id}\"")), "{id}");
            assert!(page.contains(&format!("for=\"{id}\"")), "label for {id}");
        }
        assert!(page.contains("<h1>&lt;b&gt;Printer&lt;/b&gt;</h1>"));
        assert!(page.contains("name=\"viewport\""));
        assert!(page.contains("maxlength=\"2000\""));
        assert!(!page.contains("<script"));
    }

    #[test]
    fn form_without_title_shows_ticket_id() {
        let page = form_page(&FormPage {
            ticket_id: "INC<1>",
            title: None,
            max_comment_chars: 10,
            note: Some("Replaces \"earlier\"".to_string()),
        });
        assert!(page.contains("<h1>Ticket INC&lt;1&gt;</h1>"));
        assert!(page.contains("<p class=\"note\">Replaces &quot;earlier&quot;</p>"));
    }
}
