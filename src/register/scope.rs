//! Scopes: the filter language that selects the tickets, and the metrics of those tickets,
//! that an exception covers.
//!
//! ```text
//! scope      = or
//! or         = and { "or" and }
//! and        = unary { "and" unary }
//! unary      = "not" unary | primary
//! primary    = "(" or ")"
//!            | "tickets" value { "," value }
//!            | field ( "=" | "!=" ) value
//!            | field [ "not" ] "in" "(" value { "," value } ")"
//! field      = bare word | quoted string
//! value      = bare word | quoted string
//! ```
//!
//! Keywords are case-insensitive. A bare word is a run of characters other than white space,
//! `(`, `)`, `,`, `=`, `!` and quotes. A quoted string uses `"…"`, `'…'` or typographic quotes
//! `“…”`/`‘…’`; inside straight quotes `\"`, `\'` and `\\` escape the next character.
//!
//! Comparison rules are in [`Scope::matches`].

use std::borrow::Cow;
use std::fmt;

use crate::config::suggestion_or_list;
use crate::normalize::{Dataset, Priority, Sym, Ticket};

/// Parentheses and `not` may nest this deep; deeper input is rejected rather than risking the
/// stack of the recursive parser.
const MAX_NESTING: usize = 32;

/// The metric an exception can restrict itself to with `metric = response`; the same type the
/// clocks measure.
pub use crate::clock::Metric;

/// Read access to a ticket's fields by name, so that a scope can be matched against any
/// ticket representation.
///
/// `name` is one of [`KNOWN_FIELDS`] except `metric`, which the scope compares with the
/// metric it is asked about, or an extra field spelled as the caller declared it to
/// [`Scope::parse`]. A missing or empty value is `None`.
pub trait ScopeFields {
    fn field(&self, name: &str) -> Option<Cow<'_, str>>;
}

/// The fields every scope may name; `metric` is `response` or `resolution`.
pub const KNOWN_FIELDS: &[&str] = &[
    "id",
    "priority",
    "category",
    "subcategory",
    "team",
    "assignee",
    "requester",
    "channel",
    "status",
    "impact",
    "urgency",
    "metric",
];

/// A ticket field a scope compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    Id,
    Priority,
    Category,
    Subcategory,
    Team,
    Assignee,
    Requester,
    Channel,
    Status,
    Impact,
    Urgency,
    Metric,
    /// A column the caller declared, spelled as declared.
    Extra(String),
}

impl Field {
    /// Reads a field name, case-insensitively, among the known fields and `extra_fields`.
    fn parse(name: &str, extra_fields: &[&str]) -> Option<Field> {
        let lower = name.trim().to_lowercase();
        let known = match lower.as_str() {
            "id" => Some(Field::Id),
            "priority" => Some(Field::Priority),
            "category" => Some(Field::Category),
            "subcategory" => Some(Field::Subcategory),
            "team" => Some(Field::Team),
            "assignee" => Some(Field::Assignee),
            "requester" => Some(Field::Requester),
            "channel" => Some(Field::Channel),
            "status" => Some(Field::Status),
            "impact" => Some(Field::Impact),
            "urgency" => Some(Field::Urgency),
            "metric" => Some(Field::Metric),
            _ => None,
        };
        known.or_else(|| {
            extra_fields
                .iter()
                .find(|extra| extra.trim().to_lowercase() == lower)
                .map(|extra| Field::Extra((*extra).to_string()))
        })
    }

    /// Returns the name passed to [`ScopeFields::field`].
    pub fn name(&self) -> &str {
        match self {
            Field::Id => "id",
            Field::Priority => "priority",
            Field::Category => "category",
            Field::Subcategory => "subcategory",
            Field::Team => "team",
            Field::Assignee => "assignee",
            Field::Requester => "requester",
            Field::Channel => "channel",
            Field::Status => "status",
            Field::Impact => "impact",
            Field::Urgency => "urgency",
            Field::Metric => "metric",
            Field::Extra(name) => name,
        }
    }
}

/// A value of a comparison, already in the form it is compared in.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    /// Trimmed and lowercased text.
    Text(String),
    /// A policy priority level, from `P1`…`P9`.
    Priority(u8),
    /// An impact or urgency level, the leading number of `2` or `2 - Medium`.
    Level(u32),
    Metric(Metric),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Expr {
    /// `field = value` or `field in (…)`; `negated` for `!=` and `not in`.
    Compare {
        field: Field,
        values: Vec<Value>,
        negated: bool,
    },
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
}

/// A parsed scope, such as `priority in (P3, P4) and team = "Field"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    text: String,
    expr: Expr,
}

/// Why a scope did not parse: a message and the 1-based character position in the scope
/// text where the problem starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeError {
    pub position: usize,
    pub message: String,
}

impl fmt::Display for ScopeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at character {}: {}", self.position, self.message)
    }
}

impl std::error::Error for ScopeError {}

impl Scope {
    /// Parses a scope. `extra_fields` are the column names, besides [`KNOWN_FIELDS`], that
    /// the scope may compare; they are matched case-insensitively.
    pub fn parse(text: &str, extra_fields: &[&str]) -> Result<Scope, ScopeError> {
        Scope::parse_all(text, extra_fields).map_err(|mut errors| errors.remove(0))
    }

    /// Parses a scope like [`Scope::parse`], and on failure returns every error it can find,
    /// in the order of their positions. Unknown fields and invalid values do not stop the
    /// parse, so they are all reported, but the first syntax error does.
    pub fn parse_all(text: &str, extra_fields: &[&str]) -> Result<Scope, Vec<ScopeError>> {
        let tokens = lex(text).map_err(|error| vec![error])?;
        let mut parser = ScopeParser {
            tokens,
            next: 0,
            extra_fields,
            depth: 0,
            errors: Vec::new(),
        };
        if parser.peek().kind == TokenKind::End {
            return Err(vec![ScopeError {
                position: 1,
                message: "the scope is empty: expected a filter such as `priority = P3` or `tickets INC001, INC002`".to_string(),
            }]);
        }
        let parsed = parser.parse_or().and_then(|expr| {
            let token = parser.peek();
            if token.kind == TokenKind::End {
                Ok(expr)
            } else {
                Err(ScopeError {
                    position: token.position,
                    message: format!(
                        "expected `and`, `or` or the end of the scope, found {}",
                        token.describe()
                    ),
                })
            }
        });
        let mut errors = parser.errors;
        match parsed {
            Ok(expr) if errors.is_empty() => Ok(Scope {
                text: text.trim().to_string(),
                expr,
            }),
            Ok(_) => Err(errors),
            Err(syntax) => {
                errors.push(syntax);
                errors.sort_by_key(|error| error.position);
                Err(errors)
            }
        }
    }

    /// Returns the scope as written, trimmed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Returns whether the scope covers `metric` of `ticket`.
    ///
    /// Text is compared after trimming both sides, ignoring case. A missing value is the empty
    /// text, so `team = ""` matches tickets without a team and `team != "Field"` matches
    /// them too. `priority` compares policy priorities: `P3` matches a ticket whose priority
    /// reads `P3` or `p3`, and never a raw label such as `3 - Moderate` (map labels in
    /// `[tickets.values.priority]`). `impact` and `urgency` compare leading numbers, so `2`
    /// matches `2 - Medium`. `metric` compares with the metric asked about.
    pub fn matches(&self, ticket: &dyn ScopeFields, metric: Metric) -> bool {
        evaluate(&self.expr, ticket, metric)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

fn evaluate(expr: &Expr, ticket: &dyn ScopeFields, metric: Metric) -> bool {
    match expr {
        Expr::Compare {
            field,
            values,
            negated,
        } => {
            let found = if *field == Field::Metric {
                values.contains(&Value::Metric(metric))
            } else {
                let actual = ticket.field(field.name());
                let actual = actual.as_deref().unwrap_or("");
                values.iter().any(|value| value_equals(actual, value))
            };
            found != *negated
        }
        Expr::Not(inner) => !evaluate(inner, ticket, metric),
        Expr::And(parts) => parts.iter().all(|part| evaluate(part, ticket, metric)),
        Expr::Or(parts) => parts.iter().any(|part| evaluate(part, ticket, metric)),
    }
}

fn value_equals(actual: &str, expected: &Value) -> bool {
    match expected {
        Value::Text(folded) => {
            let actual = actual.trim();
            // Lowercasing ASCII gives ASCII, so an ASCII value equals the folded text only when
            // the bytes match, ignoring ASCII case. That check is much faster per ticket.
            if actual.is_ascii() {
                actual.eq_ignore_ascii_case(folded)
            } else {
                actual
                    .chars()
                    .flat_map(char::to_lowercase)
                    .eq(folded.chars())
            }
        }
        Value::Priority(level) => Priority::parse(actual).is_some_and(|p| p.level() == *level),
        Value::Level(level) => leading_number(actual) == Some(*level),
        Value::Metric(_) => false,
    }
}

/// Reads the number a value starts with, as in `2 - Medium`.
fn leading_number(text: &str) -> Option<u32> {
    let text = text.trim();
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    text[..digits].parse().ok()
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum TokenKind {
    LeftParen,
    RightParen,
    Comma,
    Equals,
    NotEquals,
    Word(String),
    Quoted(String),
    End,
}

#[derive(Debug, Clone)]
struct Token {
    kind: TokenKind,
    /// 1-based character position of the token's first character.
    position: usize,
}

impl Token {
    /// Describes the token for a message, such as `` `team` `` or "the end of the scope".
    fn describe(&self) -> String {
        match &self.kind {
            TokenKind::LeftParen => "`(`".to_string(),
            TokenKind::RightParen => "`)`".to_string(),
            TokenKind::Comma => "`,`".to_string(),
            TokenKind::Equals => "`=`".to_string(),
            TokenKind::NotEquals => "`!=`".to_string(),
            TokenKind::Word(word) => format!("`{word}`"),
            TokenKind::Quoted(text) => format!("`\"{text}\"`"),
            TokenKind::End => "the end of the scope".to_string(),
        }
    }

    fn is_keyword(&self, keyword: &str) -> bool {
        matches!(&self.kind, TokenKind::Word(word) if word.eq_ignore_ascii_case(keyword))
    }

    /// Returns whether the token is a bare keyword such as `and`, which names a field only
    /// when quoted.
    fn is_reserved(&self) -> bool {
        KEYWORDS.iter().any(|keyword| self.is_keyword(keyword))
    }
}

const KEYWORDS: &[&str] = &["and", "or", "not", "in", "tickets"];

fn is_word_char(c: char) -> bool {
    !c.is_whitespace() && !matches!(c, '(' | ')' | ',' | '=' | '!') && closing_quote(c).is_none()
}

/// Returns the quote that closes a string opened by `c`, or `None` when `c` opens no string.
fn closing_quote(c: char) -> Option<char> {
    match c {
        '"' => Some('"'),
        '\'' => Some('\''),
        '“' | '”' => Some('”'),
        '‘' | '’' => Some('’'),
        _ => None,
    }
}

fn lex(text: &str) -> Result<Vec<Token>, ScopeError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut index = 0;
    while index < chars.len() {
        let c = chars[index];
        let position = index + 1;
        if c.is_whitespace() {
            index += 1;
            continue;
        }
        let single = match c {
            '(' => Some(TokenKind::LeftParen),
            ')' => Some(TokenKind::RightParen),
            ',' => Some(TokenKind::Comma),
            '=' => Some(TokenKind::Equals),
            _ => None,
        };
        if let Some(kind) = single {
            tokens.push(Token { kind, position });
            index += 1;
            continue;
        }
        if c == '!' {
            if chars.get(index + 1) != Some(&'=') {
                return Err(ScopeError {
                    position,
                    message: "expected `!=`, found `!`".to_string(),
                });
            }
            tokens.push(Token {
                kind: TokenKind::NotEquals,
                position,
            });
            index += 2;
            continue;
        }
        if let Some(close) = closing_quote(c) {
            let straight = c == '"' || c == '\'';
            let mut value = String::new();
            let mut cursor = index + 1;
            loop {
                match chars.get(cursor) {
                    None => {
                        return Err(ScopeError {
                            position,
                            message: format!(
                                "expected a closing `{close}` for the value that starts here"
                            ),
                        })
                    }
                    Some(&'\\') if straight && cursor + 1 < chars.len() => {
                        value.push(chars[cursor + 1]);
                        cursor += 2;
                    }
                    Some(&next) if next == close => break,
                    Some(&next) => {
                        value.push(next);
                        cursor += 1;
                    }
                }
            }
            tokens.push(Token {
                kind: TokenKind::Quoted(value),
                position,
            });
            index = cursor + 1;
            continue;
        }
        let start = index;
        while index < chars.len() && is_word_char(chars[index]) {
            index += 1;
        }
        tokens.push(Token {
            kind: TokenKind::Word(chars[start..index].iter().collect()),
            position,
        });
    }
    tokens.push(Token {
        kind: TokenKind::End,
        position: chars.len() + 1,
    });
    Ok(tokens)
}

struct ScopeParser<'a> {
    tokens: Vec<Token>,
    next: usize,
    extra_fields: &'a [&'a str],
    depth: usize,
    /// Unknown fields and invalid values found so far. The parse goes on after each.
    errors: Vec<ScopeError>,
}

impl ScopeParser<'_> {
    fn peek(&self) -> &Token {
        &self.tokens[self.next.min(self.tokens.len() - 1)]
    }

    fn advance(&mut self) -> Token {
        let token = self.peek().clone();
        if self.next < self.tokens.len() - 1 {
            self.next += 1;
        }
        token
    }

    fn error(token: &Token, message: String) -> ScopeError {
        ScopeError {
            position: token.position,
            message,
        }
    }

    fn parse_or(&mut self) -> Result<Expr, ScopeError> {
        let mut parts = vec![self.parse_and()?];
        while self.peek().is_keyword("or") {
            self.advance();
            parts.push(self.parse_and()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::Or(parts)
        })
    }

    fn parse_and(&mut self) -> Result<Expr, ScopeError> {
        let mut parts = vec![self.parse_unary()?];
        while self.peek().is_keyword("and") {
            self.advance();
            parts.push(self.parse_unary()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::And(parts)
        })
    }

    fn parse_unary(&mut self) -> Result<Expr, ScopeError> {
        if self.peek().is_keyword("not") {
            let token = self.advance();
            self.enter(&token)?;
            let inner = self.parse_unary()?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(inner)));
        }
        self.parse_primary()
    }

    fn enter(&mut self, token: &Token) -> Result<(), ScopeError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(Self::error(
                token,
                format!("parentheses and `not` nest deeper than {MAX_NESTING} levels"),
            ));
        }
        Ok(())
    }

    fn parse_primary(&mut self) -> Result<Expr, ScopeError> {
        let token = self.advance();
        match &token.kind {
            TokenKind::LeftParen => {
                self.enter(&token)?;
                let inner = self.parse_or()?;
                self.depth -= 1;
                let close = self.advance();
                if close.kind != TokenKind::RightParen {
                    return Err(Self::error(
                        &close,
                        format!(
                            "expected `)` to close the `(` at character {}, found {}",
                            token.position,
                            close.describe()
                        ),
                    ));
                }
                Ok(inner)
            }
            TokenKind::Word(word) if word.eq_ignore_ascii_case("tickets") => {
                let mut values = vec![self.parse_value(&Field::Id, "`tickets`")?];
                while self.peek().kind == TokenKind::Comma {
                    self.advance();
                    values.push(self.parse_value(&Field::Id, "`,`")?);
                }
                Ok(Expr::Compare {
                    field: Field::Id,
                    values,
                    negated: false,
                })
            }
            TokenKind::Word(name) | TokenKind::Quoted(name) if !token.is_reserved() => {
                let field = self.resolve_field(&token, name);
                self.parse_comparison(field)
            }
            _ => Err(Self::error(
                &token,
                format!(
                    "expected a field name such as `priority` or `team`, found {}",
                    token.describe()
                ),
            )),
        }
    }

    /// Reads a field name. An unknown one is recorded as an error and read as a column of
    /// that name, so that the rest of the scope is still checked.
    fn resolve_field(&mut self, token: &Token, name: &str) -> Field {
        Field::parse(name, self.extra_fields).unwrap_or_else(|| {
            let mut candidates: Vec<&str> = KNOWN_FIELDS.to_vec();
            candidates.extend(self.extra_fields.iter().copied());
            self.errors.push(Self::error(
                token,
                format!(
                    "unknown field `{name}`{}",
                    suggestion_or_list(name, &candidates)
                ),
            ));
            Field::Extra(name.to_string())
        })
    }

    fn parse_comparison(&mut self, field: Field) -> Result<Expr, ScopeError> {
        let operator = self.advance();
        let negated = match &operator.kind {
            TokenKind::Equals => false,
            TokenKind::NotEquals => true,
            TokenKind::Word(word) if word.eq_ignore_ascii_case("in") => {
                return self.parse_list(field, false);
            }
            TokenKind::Word(word) if word.eq_ignore_ascii_case("not") => {
                let next = self.advance();
                if !next.is_keyword("in") {
                    return Err(Self::error(
                        &next,
                        format!("expected `in` after `not`, found {}", next.describe()),
                    ));
                }
                return self.parse_list(field, true);
            }
            _ => {
                return Err(Self::error(
                    &operator,
                    format!(
                        "expected `=`, `!=`, `in` or `not in` after `{}`, found {}",
                        field.name(),
                        operator.describe()
                    ),
                ))
            }
        };
        let after = if negated { "`!=`" } else { "`=`" };
        let value = self.parse_value(&field, after)?;
        Ok(Expr::Compare {
            field,
            values: vec![value],
            negated,
        })
    }

    fn parse_list(&mut self, field: Field, negated: bool) -> Result<Expr, ScopeError> {
        let open = self.advance();
        if open.kind != TokenKind::LeftParen {
            return Err(Self::error(
                &open,
                format!("expected `(` after `in`, found {}", open.describe()),
            ));
        }
        let mut values = vec![self.parse_value(&field, "`(`")?];
        loop {
            let token = self.advance();
            match token.kind {
                TokenKind::Comma => values.push(self.parse_value(&field, "`,`")?),
                TokenKind::RightParen => break,
                _ => {
                    return Err(Self::error(
                        &token,
                        format!("expected `,` or `)`, found {}", token.describe()),
                    ))
                }
            }
        }
        Ok(Expr::Compare {
            field,
            values,
            negated,
        })
    }

    /// Reads one value and checks it against what `field` can hold; `after` names the token
    /// before it for the message. A value the field cannot hold is recorded as an error and
    /// the parse goes on.
    fn parse_value(&mut self, field: &Field, after: &str) -> Result<Value, ScopeError> {
        let token = self.advance();
        let text = match &token.kind {
            TokenKind::Word(word) => word.clone(),
            TokenKind::Quoted(text) => text.clone(),
            _ => {
                return Err(Self::error(
                    &token,
                    format!("expected a value after {after}, found {}", token.describe()),
                ))
            }
        };
        let value = match field {
            Field::Priority => Priority::parse(&text)
                .map(|priority| Value::Priority(priority.level()))
                .ok_or_else(|| format!("invalid priority `{text}`: expected P1 to P9")),
            Field::Impact | Field::Urgency => {
                leading_number(&text).map(Value::Level).ok_or_else(|| {
                    format!(
                        "invalid {} `{text}`: expected a level such as 2 or \"2 - Medium\"",
                        field.name()
                    )
                })
            }
            Field::Metric => Metric::parse(&text).map(Value::Metric).ok_or_else(|| {
                format!(
                    "invalid metric `{text}`{}",
                    suggestion_or_list(&text, &["response", "resolution"])
                )
            }),
            _ => Ok(Value::Text(text.trim().to_lowercase())),
        };
        Ok(value.unwrap_or_else(|message| {
            self.errors.push(Self::error(&token, message));
            Value::Text(text.trim().to_lowercase())
        }))
    }
}

/// A canonical ticket seen through [`ScopeFields`], for matching scopes against a
/// [`Dataset`].
///
/// `priority` is the ticket's final priority unless [`TicketFields::with_priority`] sets the
/// one its targets are measured against. Extra fields are read from the dataset's extra
/// columns by their declared name.
#[derive(Debug, Clone, Copy)]
pub struct TicketFields<'a> {
    ticket: &'a Ticket,
    dataset: &'a Dataset,
    priority: Option<Priority>,
}

impl<'a> TicketFields<'a> {
    pub fn new(ticket: &'a Ticket, dataset: &'a Dataset) -> TicketFields<'a> {
        TicketFields {
            ticket,
            dataset,
            priority: ticket.priority,
        }
    }

    /// Compares `priority` with the given priority in place of the final one.
    pub fn with_priority(self, priority: Option<Priority>) -> TicketFields<'a> {
        TicketFields { priority, ..self }
    }
}

impl ScopeFields for TicketFields<'_> {
    fn field(&self, name: &str) -> Option<Cow<'_, str>> {
        let symbol = |sym: Sym| self.dataset.symbols.text(sym).map(Cow::Borrowed);
        let ticket = self.ticket;
        match name {
            "id" => Some(Cow::Borrowed(&*ticket.id)),
            "priority" => self
                .priority
                .map(|p| Cow::Borrowed(PRIORITY_NAMES[usize::from(p.level()) - 1])),
            "impact" => ticket.impact.map(|level| Cow::Owned(level.to_string())),
            "urgency" => ticket.urgency.map(|level| Cow::Owned(level.to_string())),
            "category" => symbol(ticket.category),
            "subcategory" => symbol(ticket.subcategory),
            "team" => symbol(ticket.team),
            "assignee" => symbol(ticket.assignee),
            "requester" => symbol(ticket.requester),
            "channel" => symbol(ticket.channel),
            "status" => symbol(ticket.status),
            _ => self.dataset.extra(ticket, name).map(Cow::Borrowed),
        }
    }
}

/// The text of each policy priority, so that matching a scope allocates nothing per ticket.
const PRIORITY_NAMES: [&str; Priority::MAX as usize] =
    ["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9"];

/// A map from field name to value, for callers without a ticket model; an empty value is
/// missing.
impl ScopeFields for std::collections::BTreeMap<String, String> {
    fn field(&self, name: &str) -> Option<Cow<'_, str>> {
        self.get(name)
            .filter(|value| !value.is_empty())
            .map(|value| Cow::Borrowed(value.as_str()))
    }
}

#[cfg(test)]
mod tests;
