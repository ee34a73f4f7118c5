//! Notes: the free markdown under a register entry, rendered to HTML that is safe to put in
//! a page.
//!
//! Raw HTML, inline or block, is shown as text and never passed through. Links and images
//! are kept only when their target is an `http:`, `https:` or `mailto:` URL; any other
//! target (`javascript:`, `data:`, relative paths) drops the link and keeps its text.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Returns the markdown extensions the register is read with. Smart punctuation stays off
/// because it would turn the straight quotes of a scope into typographic ones.
pub(super) fn markdown_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// Renders markdown to safe HTML under the rules of this module.
pub fn render_notes(markdown: &str) -> String {
    render_events(Parser::new_ext(markdown, markdown_options()))
}

/// Renders parsed markdown to safe HTML. The events must be balanced, as a parser or a run of
/// whole blocks gives them.
pub(super) fn render_events<'a>(events: impl IntoIterator<Item = Event<'a>>) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, Sanitize::new(events.into_iter()));
    html
}

/// Returns whether a link or image target may stay a link: an `http:`, `https:` or `mailto:`
/// URL, ignoring case and leading white space.
pub fn is_safe_url(url: &str) -> bool {
    let url = url.trim_start_matches(|c: char| c.is_whitespace() || c.is_control());
    ["http://", "https://", "mailto:"].iter().any(|scheme| {
        url.get(..scheme.len())
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case(scheme))
    })
}

/// Rewrites events so that the HTML writer emits nothing unsafe.
struct Sanitize<'a, I: Iterator<Item = Event<'a>>> {
    events: I,
    /// For each open link or image, whether its start tag was dropped, so that its end tag
    /// is dropped too.
    dropped: Vec<bool>,
}

impl<'a, I: Iterator<Item = Event<'a>>> Sanitize<'a, I> {
    fn new(events: I) -> Self {
        Sanitize {
            events,
            dropped: Vec::new(),
        }
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for Sanitize<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            let event = self.events.next()?;
            let event = match event {
                Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
                // An HTML block becomes a paragraph of its escaped source.
                Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
                Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
                Event::Start(Tag::Link { ref dest_url, .. })
                | Event::Start(Tag::Image { ref dest_url, .. }) => {
                    let safe = is_safe_url(dest_url);
                    self.dropped.push(!safe);
                    if !safe {
                        continue;
                    }
                    event
                }
                Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
                    if self.dropped.pop().unwrap_or(false) {
                        continue;
                    }
                    event
                }
                other => other,
            };
            return Some(event);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_block_is_escaped() {
        let html = render_notes("<script>alert(1)</script>\n");
        assert_eq!(html, "<p>&lt;script&gt;alert(1)&lt;/script&gt;\n</p>\n");
    }

    #[test]
    fn inline_html_is_escaped() {
        let html = render_notes("Call <b onclick=\"x()\">now</b>.");
        assert_eq!(
            html,
            "<p>Call &lt;b onclick=\"x()\"&gt;now&lt;/b&gt;.</p>\n"
        );
    }

    #[test]
    fn javascript_link_keeps_text_only() {
        let html = render_notes("[click](javascript:alert(1)) here");
        assert_eq!(html, "<p>click here</p>\n");
    }

    #[test]
    fn entity_encoded_scheme_is_dropped() {
        let html = render_notes("[x](jav&#x61;script:alert(1))");
        assert_eq!(html, "<p>x</p>\n");
    }

    #[test]
    fn autolink_with_other_scheme_is_text() {
        let html = render_notes("<javascript:alert(1)>");
        assert_eq!(html, "<p>javascript:alert(1)</p>\n");
    }

    #[test]
    fn https_and_mailto_links_are_kept() {
        let html = render_notes("[a](https://example.com/x) [b](MAILTO:desk@example.com)");
        assert_eq!(
            html,
            "<p><a href=\"https://example.com/x\">a</a> <a href=\"MAILTO:desk@example.com\">b</a></p>\n"
        );
    }

    #[test]
    fn relative_link_is_text() {
        let html = render_notes("see [the plan](plan.html)");
        assert_eq!(html, "<p>see the plan</p>\n");
    }

    #[test]
    fn unsafe_image_keeps_alt_text() {
        let html = render_notes("![chart](data:image/png;base64,AAAA)");
        assert_eq!(html, "<p>chart</p>\n");
    }

    #[test]
    fn http_image_is_kept() {
        let html = render_notes("![chart](http://example.com/c.png)");
        assert_eq!(
            html,
            "<p><img src=\"http://example.com/c.png\" alt=\"chart\" /></p>\n"
        );
    }

    #[test]
    fn safe_image_inside_unsafe_link() {
        let html = render_notes("[![logo](https://example.com/l.png)](javascript:x)");
        assert_eq!(
            html,
            "<p><img src=\"https://example.com/l.png\" alt=\"logo\" /></p>\n"
        );
    }

    #[test]
    fn safe_url_ignores_case_and_leading_space() {
        assert!(is_safe_url("HTTPS://example.com"));
        assert!(is_safe_url("  http://example.com"));
        assert!(!is_safe_url("javascript:alert(1)"));
        assert!(!is_safe_url("https:"));
        assert!(!is_safe_url("//example.com"));
        assert!(!is_safe_url("ftp://example.com"));
    }
}
