//! Property tests: arbitrary markdown never panics the register parser, diagnostics point at
//! real lines, and rendered notes never carry a script or an unsafe link.

use proptest::prelude::*;
use slaudit::register::{render_notes, Register};

/// Pieces that exercise the register grammar and the ways HTML can be smuggled into markdown.
const FRAGMENTS: &[&str] = &[
    "\n",
    "\n\n",
    "# Register\n",
    "## Owners\n",
    "## Exceptions\n",
    "## Risk acceptances\n",
    "## Actions\n",
    "## Other\n",
    "### EX-01 — title\n",
    "### RA-1 - risk\n",
    "### AC-1\n",
    "#### details\n",
    "- Status: approved\n",
    "- Status: done\n",
    "- Scope: priority in (P1, P2) and not (team = \"x\")\n",
    "- Scope: `tickets A, B`\n",
    "- Scope: (((\n",
    "- Expires: 2026-02-30\n",
    "- Due: 2026-09-30\n",
    "- Owner: Dana\n",
    "- Links: a, b\n",
    "| Control area | Owner | Team | Last review | Next review |\n",
    "| --- | --- | --- | --- | --- |\n",
    "| Metrics | — | x | 2026-01-01 | 2026-13-01 |\n",
    "<script>alert(1)</script>\n",
    "<SCRIPT src=x>",
    "<ScRiPt>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](jav&#x61;script:alert(1))",
    "[x](jav\\ascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "![i](javascript:alert(1))",
    "![i](data:text/html,<script>)",
    "[x][ref]",
    "[ref]: javascript:alert(1)\n",
    "<javascript:alert(1)>",
    "<https://example.com/a>",
    "[ok](https://example.com/\"onmouseover=\"x)",
    "`<script>`",
    "```\n<script>\n```\n",
    "    <script>\n",
    "> <script>\n",
    "&lt;script&gt;",
    "&#60;script",
    "\\<script>",
    "**",
    "_",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "\"",
    "|",
    "—",
    "\r\n",
    "\u{feff}",
];

fn markdown() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(FRAGMENTS).prop_map(str::to_string),
        1 => any::<String>(),
        1 => "[ -~]{0,12}",
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

/// Collects the value of every `name="…"` attribute of a tag in `html`.
///
/// Every literal `<` in rendered notes opens a tag that the renderer wrote, because user text
/// has `<` escaped. No such tag contains a literal `>` before its end. So text such as
/// `&lt;a href="…"` is not mistaken for a tag.
fn attribute_values<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let needle = format!(" {name}=\"");
    let mut values = Vec::new();
    for (start, _) in html.match_indices('<') {
        let tag = &html[start..];
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        for (at, _) in tag.match_indices(&needle) {
            let rest = &tag[at + needle.len()..];
            values.push(&rest[..rest.find('"').unwrap_or(rest.len())]);
        }
    }
    values
}

/// Panics with the offending HTML unless it is free of scripts and unsafe link targets.
fn assert_safe(html: &str) {
    assert!(
        !html.to_ascii_lowercase().contains("<script"),
        "script tag in {html:?}"
    );
    for target in attribute_values(html, "href")
        .into_iter()
        .chain(attribute_values(html, "src"))
    {
        let lower = target.trim_start().to_ascii_lowercase();
        assert!(
            !lower.starts_with("javascript:"),
            "javascript: target in {html:?}"
        );
        assert!(
            lower.starts_with("http://")
                || lower.starts_with("https://")
                || lower.starts_with("mailto:"),
            "target {target:?} in {html:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2048,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn register_parser_never_panics(text in markdown()) {
        let (register, diagnostics) = Register::parse(&text, "register.md", &["u_verification"]);
        let lines = text.matches('\n').count() + 1;
        for diagnostic in &diagnostics {
            prop_assert!(diagnostic.line >= 1 && diagnostic.line <= lines, "{diagnostic}");
            prop_assert!(diagnostic.column.is_none_or(|column| column >= 1), "{diagnostic}");
        }
        for notes in register
            .exceptions
            .iter()
            .map(|entry| &entry.notes)
            .chain(register.risk_acceptances.iter().map(|entry| &entry.notes))
            .chain(register.actions.iter().map(|entry| &entry.notes))
        {
            assert_safe(&notes.html);
        }
    }

    #[test]
    fn rendered_notes_are_safe(text in markdown()) {
        assert_safe(&render_notes(&text));
    }
}

#[test]
fn safety_check_catches_unsafe_html() {
    let caught = |html: &str| std::panic::catch_unwind(|| assert_safe(html)).is_err();
    assert!(caught("<p><SCRIPT>x</SCRIPT></p>"));
    assert!(caught("<a href=\"javascript:alert(1)\">x</a>"));
    assert!(caught("<img src=\"data:image/png,x\" />"));
    assert!(!caught("<a href=\"https://example.com\">x</a>"));
    assert!(!caught("<p>&lt;a href=\"javascript:x\"&gt;</p>"));
}
