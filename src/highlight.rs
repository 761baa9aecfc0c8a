//! JSON syntax highlighting for the editors: a lenient tokenizer (it must colour broken JSON too)
//! and the pieces to draw, with marks (errors, findings, the selected statement) laid over them.
//!
//! The pieces become DOM text nodes and `<span>`s; user text never goes through HTML parsing.

/// A run of text with the CSS classes it is drawn with (empty: plain text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub start: usize,
    pub end: usize,
    pub class: String,
}

/// A region to mark, in byte offsets of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub start: usize,
    pub end: usize,
    pub class: &'static str,
}

/// Splits JSON text into tokens: `(start, end, class)`, covering the whole text.
/// Classes: `k` member name, `s` string, `n` number, `w` true/false/null, `` anything else.
pub fn tokens(text: &str) -> Vec<(usize, usize, &'static str)> {
    let b = text.as_bytes();
    let mut out: Vec<(usize, usize, &'static str)> = Vec::new();
    let mut plain_start = 0;
    let mut i = 0;
    let flush = |out: &mut Vec<_>, from: usize, to: usize| {
        if to > from {
            out.push((from, to, ""));
        }
    };
    while i < b.len() {
        match b[i] {
            b'"' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + usize::from(i < b.len() && b[i] == b'"')).min(b.len());
                let mut j = i;
                while j < b.len() && matches!(b[j], b' ' | b'\t' | b'\r' | b'\n') {
                    j += 1;
                }
                let class = if j < b.len() && b[j] == b':' {
                    "k"
                } else {
                    "s"
                };
                flush(&mut out, plain_start, start);
                out.push((start, i, class));
                plain_start = i;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < b.len() && matches!(b[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                flush(&mut out, plain_start, start);
                out.push((start, i, "n"));
                plain_start = i;
            }
            b't' | b'f' | b'n' => {
                let start = i;
                while i < b.len() && b[i].is_ascii_alphabetic() {
                    i += 1;
                }
                let class = match &text[start..i] {
                    "true" | "false" | "null" => "w",
                    _ => "",
                };
                flush(&mut out, plain_start, start);
                out.push((start, i, class));
                plain_start = i;
            }
            _ => i += 1,
        }
    }
    flush(&mut out, plain_start, b.len());
    out
}

/// Tokens with the marks laid over them, merged where classes agree (fewer DOM nodes).
/// Offsets that fall inside a UTF-8 character are moved to the character's start.
pub fn pieces(text: &str, marks: &[Mark]) -> Vec<Piece> {
    let fix = |mut o: usize| {
        o = o.min(text.len());
        while !text.is_char_boundary(o) {
            o -= 1;
        }
        o
    };
    let marks: Vec<Mark> = marks
        .iter()
        .map(|m| {
            let start = fix(m.start);
            let mut end = fix(m.end).max(start);
            if end == start && start < text.len() {
                end = start + text[start..].chars().next().map_or(1, char::len_utf8);
            }
            Mark {
                start,
                end,
                class: m.class,
            }
        })
        .collect();
    let mut out: Vec<Piece> = Vec::new();
    let mut push = |start: usize, end: usize, class: String| {
        if end <= start {
            return;
        }
        if let Some(last) = out.last_mut() {
            if last.class == class && last.end == start {
                last.end = end;
                return;
            }
        }
        out.push(Piece { start, end, class });
    };
    for (start, end, class) in tokens(text) {
        let mut cuts = vec![start, end];
        for m in &marks {
            for c in [m.start, m.end] {
                if c > start && c < end {
                    cuts.push(c);
                }
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        for w in cuts.windows(2) {
            let (a, z) = (w[0], w[1]);
            let mut classes = String::from(class);
            for m in &marks {
                if m.start < z && a < m.end {
                    if !classes.is_empty() {
                        classes.push(' ');
                    }
                    classes.push_str(m.class);
                }
            }
            push(a, z, classes);
        }
    }
    out
}

/// Byte offset → UTF-16 offset (what a textarea's selection counts).
pub fn utf16_offset(text: &str, byte: usize) -> u32 {
    let mut b = byte.min(text.len());
    while !text.is_char_boundary(b) {
        b -= 1;
    }
    text[..b].encode_utf16().count() as u32
}

/// The 1-based line of a byte offset.
pub fn line_of(text: &str, byte: usize) -> usize {
    let b = byte.min(text.len());
    text.as_bytes()[..b].iter().filter(|&&c| c == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_keys_strings_numbers_words() {
        let t = r#"{"Effect": "Allow", "n": 12, "b": true}"#;
        let classes: Vec<(&str, &str)> = tokens(t)
            .into_iter()
            .filter(|(_, _, c)| !c.is_empty())
            .map(|(s, e, c)| (&t[s..e], c))
            .collect();
        assert_eq!(
            classes,
            vec![
                ("\"Effect\"", "k"),
                ("\"Allow\"", "s"),
                ("\"n\"", "k"),
                ("12", "n"),
                ("\"b\"", "k"),
                ("true", "w")
            ]
        );
    }

    #[test]
    fn pieces_cover_text_and_carry_marks() {
        let t = "{\"a\": <script>}";
        let p = pieces(
            t,
            &[Mark {
                start: 6,
                end: 6,
                class: "err",
            }],
        );
        let joined: String = p.iter().map(|x| &t[x.start..x.end]).collect();
        assert_eq!(joined, t);
        assert!(p
            .iter()
            .any(|x| &t[x.start..x.end] == "<" && x.class == "err"));
    }

    #[test]
    fn unterminated_string_and_multibyte_text_do_not_panic() {
        let t = "{\"é\u{1F600}: [1, 2\n\"x";
        let p = pieces(
            t,
            &[Mark {
                start: 3,
                end: 4,
                class: "sel",
            }],
        );
        let joined: String = p.iter().map(|x| &t[x.start..x.end]).collect();
        assert_eq!(joined, t);
        assert_eq!(utf16_offset(t, t.len()), t.encode_utf16().count() as u32);
    }
}
