//! Text for a terminal: user text (scenario titles, principals, policy names, importer echoes)
//! may hold control characters — ESC, BEL, CR, backspace — or bidirectional overrides. Replayed
//! raw, a shared file could retitle the terminal, move the cursor or overwrite the `decision:`
//! line. Every text output goes through [`safe`] (or [`SafeWriter`]), which shows them as visible
//! escapes such as `\u{1b}`; only the colour codes the CLI writes itself pass through. The same
//! funnel turns the engine's citations ("§1.4") into AWS documentation addresses.

use iamtrace_engine::explain::aws_docs;
use std::borrow::Cow;
use std::io::{self, Write};

/// The exact colour sequences [`crate::render::Painter`] writes; nothing else starting with ESC
/// reaches the terminal.
const OWN_SEQUENCES: [&str; 6] = [
    "\x1b[1;31m",
    "\x1b[1;32m",
    "\x1b[33m",
    "\x1b[2m",
    "\x1b[1m",
    "\x1b[0m",
];

/// Characters shown as escapes: C0 controls but newline and tab, DEL, C1 controls, and the
/// bidirectional embedding/override/isolate marks (which reorder what the reader sees).
fn dangerous(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// `s` for a terminal: the engine's citations of its rules reference replaced by the AWS
/// documentation pages they stand for, and every dangerous character written as a visible `\u{…}`
/// escape. With `colour`, the CLI's own colour sequences are kept; without it, every ESC is
/// escaped.
pub fn safe(s: &str, colour: bool) -> Cow<'_, str> {
    match aws_docs::with_urls(s) {
        Cow::Borrowed(b) => escape(b, colour),
        Cow::Owned(o) => Cow::Owned(escape(&o, colour).into_owned()),
    }
}

fn escape(s: &str, colour: bool) -> Cow<'_, str> {
    if !s.chars().any(dangerous) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c == '\x1b' && colour {
            if let Some(seq) = OWN_SEQUENCES.iter().find(|q| rest.starts_with(**q)) {
                out.push_str(seq);
                rest = &rest[seq.len()..];
                continue;
            }
        }
        if dangerous(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

/// A writer that passes everything through [`safe`]. Each `write` is treated as whole text (the
/// CLI writes formatted strings, so a colour sequence is never split across two writes).
pub struct SafeWriter<W> {
    inner: W,
    colour: bool,
}

impl<W: Write> SafeWriter<W> {
    pub fn new(inner: W, colour: bool) -> Self {
        SafeWriter { inner, colour }
    }
}

impl<W: Write> Write for SafeWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.inner.write_all(safe(&text, self.colour).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_marks_become_visible_escapes() {
        let title = "ok\x1b]0;pwned\x07\rdecision: allowed\u{202e}";
        let shown = safe(title, true);
        assert_eq!(
            shown,
            "ok\\u{1b}]0;pwned\\u{7}\\u{d}decision: allowed\\u{202e}"
        );
        assert!(!shown.contains('\x1b') && !shown.contains('\r'));
    }

    #[test]
    fn own_colours_pass_only_when_colour_is_on() {
        let line = "\x1b[1;31mdenied\x1b[0m \x1b[8mhidden\x1b[1A";
        assert_eq!(
            safe(line, true),
            "\x1b[1;31mdenied\x1b[0m \\u{1b}[8mhidden\\u{1b}[1A"
        );
        assert!(!safe(line, false).contains('\x1b'));
    }

    #[test]
    fn citations_become_aws_addresses() {
        let shown = safe(
            "the root user cannot call sts:AssumeRole (§1.9, §2.2)",
            false,
        );
        assert!(!shown.contains('§'), "{shown}");
        assert!(shown.contains("(https://docs.aws.amazon.com/"), "{shown}");
    }

    #[test]
    fn plain_text_newlines_and_tabs_are_untouched() {
        assert!(matches!(safe("a\tb\nc é", true), Cow::Borrowed(_)));
    }
}
