//! A strict JSON reader that keeps the source span of every value and object member.
//!
//! serde_json gives neither spans nor duplicate members (it silently keeps the last one, which
//! rules §3.1 warns about), so policies and scenarios are read with this small parser.
//! It accepts exactly RFC 8259 JSON, as IAM does: comments, trailing commas, single quotes,
//! `NaN` and friends are errors with the line and column where they start. Nesting depth and
//! input size are bounded so that hostile input is refused quickly.

use super::span::{Span, Spanned};
use serde::Serialize;

/// Deepest nesting accepted. Real policies nest four or five levels; scenarios a few more.
pub const MAX_DEPTH: usize = 64;
/// Largest text accepted (bytes). AWS's own limits are far smaller (a managed policy: 6,144 chars).
pub const MAX_BYTES: usize = 8 * 1024 * 1024;

/// A JSON value with its span. Numbers keep their source text; object members keep their order
/// and any duplicates, so that validation can report them.
#[derive(Debug, Clone, PartialEq)]
pub struct Json {
    pub kind: JsonKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum JsonKind {
    Null,
    Bool(bool),
    /// The number exactly as written (`1`, `1.50`, `1e3`).
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<Member>),
}

/// One `"key": value` member of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub key: Spanned<String>,
    pub value: Json,
}

/// Why a text is not JSON, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonError {
    pub message: String,
    pub span: Span,
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} at line {}, column {}",
            self.message, self.span.line, self.span.column
        )
    }
}

impl std::error::Error for JsonError {}

impl Json {
    /// The members of an object, or `None` for any other kind.
    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.kind {
            JsonKind::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            JsonKind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Json]> {
        match &self.kind {
            JsonKind::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The first member named exactly `key` (member names in IAM policies are case-sensitive).
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.as_object()?
            .iter()
            .find(|m| m.key.value == key)
            .map(|m| &m.value)
    }

    /// A short name of the value's kind, for messages ("expected a string, found an array").
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            JsonKind::Null => "null",
            JsonKind::Bool(_) => "a boolean",
            JsonKind::Number(_) => "a number",
            JsonKind::String(_) => "a string",
            JsonKind::Array(_) => "an array",
            JsonKind::Object(_) => "an object",
        }
    }

    /// Converts to a `serde_json::Value` (duplicates: the last wins, as serde_json would do).
    pub fn to_value(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.kind {
            JsonKind::Null => Value::Null,
            JsonKind::Bool(b) => Value::Bool(*b),
            JsonKind::Number(n) => {
                serde_json::from_str::<Value>(n).unwrap_or_else(|_| Value::String(n.clone()))
            }
            JsonKind::String(s) => Value::String(s.clone()),
            JsonKind::Array(a) => Value::Array(a.iter().map(Json::to_value).collect()),
            JsonKind::Object(m) => Value::Object(
                m.iter()
                    .map(|m| (m.key.value.clone(), m.value.to_value()))
                    .collect(),
            ),
        }
    }
}

/// A character as an error message names it: printable ones quoted, invisible and control ones by
/// name or code point, since printing them raw shows nothing (or garbles the terminal).
pub fn describe_char(c: char) -> String {
    let named = match c {
        '\u{FEFF}' => Some("byte-order mark"),
        '\0' => Some("NUL character"),
        '\u{A0}' => Some("no-break space"),
        '\u{AD}' => Some("soft hyphen"),
        '\u{200B}' => Some("zero-width space"),
        '\u{200C}' => Some("zero-width non-joiner"),
        '\u{200D}' => Some("zero-width joiner"),
        '\u{200E}' | '\u{200F}' => Some("text direction mark"),
        '\u{2028}' => Some("line separator"),
        '\u{2029}' => Some("paragraph separator"),
        '\u{2060}' => Some("word joiner"),
        '\u{FFFD}' => Some("replacement character (the text was damaged in a conversion)"),
        _ => None,
    };
    let code = c as u32;
    match named {
        Some(name) => format!("{name} U+{code:04X}"),
        None if c.is_control() => format!("control character U+{code:04X}"),
        None if c.is_whitespace()
            || matches!(code, 0x202A..=0x202E | 0x2061..=0x2064 | 0x2066..=0x2069 | 0xFE00..=0xFE0F) =>
        {
            format!("invisible character U+{code:04X}")
        }
        None => format!("character '{c}'"),
    }
}

/// The text of `bytes`, or an error at the first byte that is not UTF-8 (with its byte offset,
/// line and column), for callers that read files.
pub fn text_from_bytes(bytes: &[u8]) -> Result<&str, JsonError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        let valid = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
        let line = 1 + valid.matches('\n').count();
        let column = 1 + valid.rsplit('\n').next().map_or(0, |l| l.chars().count());
        let byte = bytes.get(offset).copied().unwrap_or_default();
        JsonError {
            message: format!(
                "the text is not valid UTF-8: byte 0x{byte:02X} at byte offset {offset} \
                 (line {line}, column {column}) does not start or continue a character; save the \
                 file as UTF-8"
            ),
            span: Span {
                start: offset,
                end: offset,
                line: u32::try_from(line).unwrap_or(u32::MAX),
                column: u32::try_from(column).unwrap_or(u32::MAX),
            },
        }
    })
}

/// Parses one JSON document. Whitespace may surround it; anything else after it is an error.
pub fn parse(text: &str) -> Result<Json, JsonError> {
    if text.len() > MAX_BYTES {
        return Err(JsonError {
            message: format!(
                "input is {} bytes; iamtrace reads at most {} bytes",
                text.len(),
                MAX_BYTES
            ),
            span: Span {
                start: 0,
                end: 0,
                line: 1,
                column: 1,
            },
        });
    }
    let mut p = Parser {
        src: text.as_bytes(),
        text,
        pos: 0,
        line: 1,
        column: 1,
        items: Vec::new(),
        members: Vec::new(),
    };
    p.skip_ws();
    if p.pos >= p.src.len() {
        return Err(p.error_here("empty input: expected a JSON value"));
    }
    let value = p.value(0)?;
    p.skip_ws();
    if p.pos < p.src.len() {
        return Err(p.after_value(
            "unexpected text after the end of the JSON value (a policy is one JSON object)",
        ));
    }
    Ok(value)
}

struct Parser<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
    line: u32,
    column: u32,
    /// The elements of the arrays being read, innermost last: each array takes its own off the
    /// top when it closes, in one allocation of the right size (no growing per element).
    items: Vec<Json>,
    /// The same for the members of the objects being read.
    members: Vec<Member>,
}

#[derive(Clone, Copy)]
struct Mark {
    pos: usize,
    line: u32,
    column: u32,
}

impl<'a> Parser<'a> {
    fn mark(&self) -> Mark {
        Mark {
            pos: self.pos,
            line: self.line,
            column: self.column,
        }
    }

    fn span_from(&self, m: Mark) -> Span {
        Span {
            start: m.pos,
            end: self.pos,
            line: m.line,
            column: m.column,
        }
    }

    fn error_at(&self, m: Mark, message: impl Into<String>) -> JsonError {
        JsonError {
            message: message.into(),
            span: Span {
                start: m.pos,
                // One character, so that the span stays on character boundaries.
                end: m.pos
                    + self
                        .text
                        .get(m.pos..)
                        .and_then(|t| t.chars().next())
                        .map_or(0, char::len_utf8),
                line: m.line,
                column: m.column,
            },
        }
    }

    fn error_here(&self, message: impl Into<String>) -> JsonError {
        self.error_at(self.mark(), message)
    }

    /// The character at the current position, named so that the user can find it.
    fn describe_here(&self) -> String {
        match self.text.get(self.pos..).and_then(|t| t.chars().next()) {
            Some(c) => describe_char(c),
            None => "end of input".to_string(),
        }
    }

    /// An error where a `,`, a closing bracket or the end was due: a comment is called one, an
    /// invisible character is named.
    fn after_value(&self, expected: &str) -> JsonError {
        let rest = &self.src[self.pos..];
        if rest.starts_with(b"//") || rest.starts_with(b"/*") {
            return self.error_here(format!("comments are not allowed in JSON ({expected})"));
        }
        self.error_here(format!("{expected}, found {}", self.describe_here()))
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    /// Advances one byte, keeping line and column (in characters) current.
    fn bump(&mut self) {
        if let Some(&b) = self.src.get(self.pos) {
            self.pos += 1;
            if b == b'\n' {
                self.line += 1;
                self.column = 1;
            } else if b & 0xC0 != 0x80 {
                self.column += 1;
            }
        }
    }

    fn skip_ws(&mut self) {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\n' | b'\r' => self.bump(),
                _ => break,
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, JsonError> {
        if depth >= MAX_DEPTH {
            return Err(self.error_here(format!(
                "nesting deeper than {MAX_DEPTH} levels; no IAM policy or scenario needs that"
            )));
        }
        let start = self.mark();
        let kind = match self.peek() {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => JsonKind::String(self.string()?),
            Some(b't') => self.literal("true", JsonKind::Bool(true))?,
            Some(b'f') => self.literal("false", JsonKind::Bool(false))?,
            Some(b'n') => self.literal("null", JsonKind::Null)?,
            Some(b'-' | b'0'..=b'9') => JsonKind::Number(self.number()?),
            Some(b'/') => return Err(self.error_here("comments are not allowed in JSON")),
            Some(b'\'') => {
                return Err(
                    self.error_here("strings must use double quotes (\"), not single quotes")
                )
            }
            Some(_) => {
                let bom = if self.text[self.pos..].starts_with('\u{FEFF}') {
                    " (save the file as UTF-8 without a byte-order mark)"
                } else {
                    ""
                };
                return Err(self.error_here(format!(
                    "unexpected {}: expected a JSON value{bom}",
                    self.describe_here()
                )));
            }
            None => return Err(self.error_here("unexpected end of input: expected a JSON value")),
        };
        Ok(Json {
            kind,
            span: self.span_from(start),
        })
    }

    fn literal(&mut self, word: &str, kind: JsonKind) -> Result<JsonKind, JsonError> {
        let start = self.mark();
        if self.src[self.pos..].starts_with(word.as_bytes()) {
            for _ in 0..word.len() {
                self.bump();
            }
            Ok(kind)
        } else {
            Err(self.error_at(start, format!("invalid literal: expected '{word}'")))
        }
    }

    fn number(&mut self) -> Result<String, JsonError> {
        let start = self.mark();
        if self.peek() == Some(b'-') {
            self.bump();
        }
        match self.peek() {
            Some(b'0') => self.bump(),
            Some(b'1'..=b'9') => {
                while matches!(self.peek(), Some(b'0'..=b'9')) {
                    self.bump();
                }
            }
            _ => return Err(self.error_at(start, "invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.bump();
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error_here("invalid number: expected a digit after '.'"));
            }
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.bump();
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.bump();
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.bump();
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error_here("invalid number: expected a digit in the exponent"));
            }
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.bump();
            }
        }
        Ok(self.text[start.pos..self.pos].to_string())
    }

    fn string(&mut self) -> Result<String, JsonError> {
        let start = self.mark();
        self.bump(); // opening quote
        let mut out = String::new();
        loop {
            // Copy the run of plain characters in one go: it holds no newline, so only the
            // column moves, by the number of characters (bytes that do not continue one).
            let rest = self.src.get(self.pos..).unwrap_or_default();
            let mut n = memchr::memchr2(b'"', b'\\', rest).unwrap_or(rest.len());
            // Control characters end the run too (they are errors); both scans vectorise.
            if rest[..n].iter().copied().min().is_some_and(|b| b < 0x20) {
                n = rest[..n].iter().position(|&b| b < 0x20).unwrap_or(n);
            }
            let chars = if rest[..n].is_ascii() {
                n
            } else {
                rest[..n].iter().filter(|&&b| b & 0xC0 != 0x80).count()
            };
            let run = self.text.get(self.pos..self.pos + n).unwrap_or_default();
            self.column = self
                .column
                .saturating_add(u32::try_from(chars).unwrap_or(u32::MAX));
            self.pos += n;
            match self.peek() {
                Some(b'"') if out.is_empty() => {
                    self.bump();
                    return Ok(run.to_string());
                }
                _ => out.push_str(run),
            }
            match self.peek() {
                Some(b'"') => {
                    self.bump();
                    return Ok(out);
                }
                Some(b'\\') => {
                    let esc = self.mark();
                    self.bump();
                    let c = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.bump();
                            let hi = self.hex4(esc)?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                if self.src[self.pos..].starts_with(b"\\u") {
                                    self.bump();
                                    self.bump();
                                    let lo = self.hex4(esc)?;
                                    if !(0xDC00..0xE000).contains(&lo) {
                                        return Err(self.error_at(
                                            esc,
                                            "invalid surrogate pair in \\u escape",
                                        ));
                                    }
                                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                                } else {
                                    return Err(
                                        self.error_at(esc, "unpaired surrogate in \\u escape")
                                    );
                                }
                            } else {
                                hi
                            };
                            out.push(
                                char::from_u32(code)
                                    .ok_or_else(|| self.error_at(esc, "invalid \\u escape"))?,
                            );
                            continue;
                        }
                        _ => return Err(self.error_at(esc, "invalid escape sequence in string")),
                    };
                    self.bump();
                    out.push(c);
                }
                Some(_) => {
                    return Err(self.error_here(format!(
                        "{} in a string: control characters must be escaped (write a newline \
                         as \\n, a tab as \\t)",
                        self.describe_here()
                    )))
                }
                None => {
                    return Err(self.error_at(start, "unterminated string: missing closing '\"'"))
                }
            }
        }
    }

    fn hex4(&mut self, esc: Mark) -> Result<u32, JsonError> {
        let digits = self
            .src
            .get(self.pos..self.pos + 4)
            .and_then(|d| std::str::from_utf8(d).ok())
            .and_then(|d| u32::from_str_radix(d, 16).ok());
        match digits {
            Some(v) => {
                for _ in 0..4 {
                    self.bump();
                }
                Ok(v)
            }
            None => Err(self.error_at(esc, "invalid \\u escape: expected four hex digits")),
        }
    }

    fn array(&mut self, depth: usize) -> Result<JsonKind, JsonError> {
        let open = self.mark();
        self.bump();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.bump();
            return Ok(JsonKind::Array(Vec::new()));
        }
        let base = self.items.len();
        loop {
            self.skip_ws();
            if self.peek() == Some(b']') {
                return Err(self.error_here("trailing comma before ']' is not allowed in JSON"));
            }
            let item = self.value(depth + 1)?;
            self.items.push(item);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.bump(),
                Some(b']') => {
                    self.bump();
                    return Ok(JsonKind::Array(self.items.drain(base..).collect()));
                }
                None => return Err(self.error_at(open, "unterminated array: missing ']'")),
                _ => return Err(self.after_value("expected ',' or ']' after an array element")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<JsonKind, JsonError> {
        let open = self.mark();
        self.bump();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.bump();
            return Ok(JsonKind::Object(Vec::new()));
        }
        let base = self.members.len();
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'"') => {}
                Some(b'}') => {
                    return Err(self.error_here("trailing comma before '}' is not allowed in JSON"))
                }
                Some(b'/') => return Err(self.error_here("comments are not allowed in JSON")),
                None => return Err(self.error_at(open, "unterminated object: missing '}'")),
                _ => {
                    return Err(self.error_here(format!(
                        "expected a member name in double quotes, found {}",
                        self.describe_here()
                    )))
                }
            }
            let key_start = self.mark();
            let key = self.string()?;
            let key = Spanned::new(key, self.span_from(key_start));
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.error_here("expected ':' after the member name"));
            }
            self.bump();
            self.skip_ws();
            let value = self.value(depth + 1)?;
            self.members.push(Member { key, value });
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.bump(),
                Some(b'}') => {
                    self.bump();
                    return Ok(JsonKind::Object(self.members.drain(base..).collect()));
                }
                None => return Err(self.error_at(open, "unterminated object: missing '}'")),
                _ => return Err(self.after_value("expected ',' or '}' after an object member")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_at_members() {
        let j = parse("{\n  \"Effect\": \"Allow\"\n}").unwrap();
        let m = &j.as_object().unwrap()[0];
        assert_eq!((m.key.span.line, m.key.span.column), (2, 3));
        assert_eq!((m.value.span.line, m.value.span.column), (2, 13));
    }

    #[test]
    fn errors_carry_line_and_column() {
        let e = parse("{\n  \"a\": 1,\n}").unwrap_err();
        assert_eq!((e.span.line, e.span.column), (3, 1));
        assert!(e.message.contains("trailing comma"));
        let e = parse("{\"a\": 1} // x").unwrap_err();
        assert_eq!(e.span.column, 10);
        let e = parse("{\"a\": /* c */ 1}").unwrap_err();
        assert!(e.message.contains("comments"));
    }

    #[test]
    fn error_spans_cover_one_whole_character() {
        let text = "{\"a\": 1, \u{7bb}x}";
        let e = parse(text).unwrap_err();
        assert_eq!(&text[e.span.start..e.span.end], "\u{7bb}");
    }

    #[test]
    fn columns_count_characters() {
        let e = parse("[\"é\", x]").unwrap_err();
        assert_eq!(e.span.column, 7);
        // Runs of plain characters between escapes, multi-byte ones among them.
        let text = "[\"é\\u00e9\\\"ü\", x]";
        let e = parse(text).unwrap_err();
        assert_eq!((e.span.start, e.span.column), (text.len() - 2, 16));
        let j = parse("[\"é\\u00e9\\\"ü\", \"plain\"]").unwrap();
        let items = j.as_array().unwrap();
        assert_eq!(items[0].as_str(), Some("éé\"ü"));
        assert_eq!(items[1].as_str(), Some("plain"));
        assert_eq!(items[1].span.column, 16);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = "[".repeat(100_000);
        let e = parse(&text).unwrap_err();
        assert!(e.message.contains("nesting"));
    }

    #[test]
    fn duplicates_are_kept() {
        let j = parse(r#"{"a":1,"a":2}"#).unwrap();
        assert_eq!(j.as_object().unwrap().len(), 2);
    }

    #[test]
    fn invisible_characters_are_named() {
        let e = parse("\u{FEFF}{\"a\": 1}").unwrap_err();
        assert!(
            e.message.contains("byte-order mark U+FEFF")
                && e.message.contains("without a byte-order mark"),
            "{}",
            e.message
        );
        assert!(!e.message.contains('\u{FEFF}'), "not printed raw");
        let e = parse("{\"a\": 1,\0}").unwrap_err();
        assert!(e.message.contains("NUL character U+0000"), "{}", e.message);
        let e = parse("[1\u{200B}]").unwrap_err();
        assert!(
            e.message.contains("zero-width space U+200B"),
            "{}",
            e.message
        );
        let e = parse("[\u{1b}]").unwrap_err();
        assert!(
            e.message.contains("control character U+001B"),
            "{}",
            e.message
        );
        let e = parse("\"a\0b\"").unwrap_err();
        assert!(
            e.message.contains("NUL character U+0000 in a string"),
            "{}",
            e.message
        );
        assert_eq!(e.span.column, 3);
        let e = parse("[x]").unwrap_err();
        assert!(e.message.contains("character 'x'"), "{}", e.message);
    }

    #[test]
    fn comments_after_elements_are_called_comments() {
        for text in [
            "[1 // x\n]",
            "[1, 2 /* x */]",
            "{\"a\": 1 // x\n}",
            "{\"a\": 1} // x",
        ] {
            let e = parse(text).unwrap_err();
            assert!(
                e.message.contains("comments are not allowed"),
                "{text}: {}",
                e.message
            );
        }
        let e = parse("[1, // x\n 2]").unwrap_err();
        assert!(
            e.message.contains("comments are not allowed"),
            "{}",
            e.message
        );
        assert_eq!(e.span.column, 5);
    }

    #[test]
    fn invalid_utf8_gives_the_byte_offset() {
        let bytes = b"{\n  \"a\": \"caf\xe9\"}";
        let e = text_from_bytes(bytes).unwrap_err();
        assert!(
            e.message.contains("byte 0xE9 at byte offset 13")
                && e.message.contains("line 2, column 12"),
            "{}",
            e.message
        );
        assert_eq!((e.span.start, e.span.line, e.span.column), (13, 2, 12));
        assert_eq!(text_from_bytes("é".as_bytes()).ok(), Some("é"));
    }

    #[test]
    fn escapes_decode() {
        let j = parse(r#""a\u00e9\ud83d\ude00\n""#).unwrap();
        assert_eq!(j.as_str(), Some("aé😀\n"));
    }
}
