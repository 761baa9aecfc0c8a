//! Glob matching with `*` (any run of characters, including none) and `?` (exactly one
//! character), the only wildcards of `Action`, `Resource`, `StringLike` and the ARN operators
//! (rules §3.6, §3.7, §3.9).
//!
//! The matcher never backtracks, so its cost is linear in the text for a given pattern:
//! the pattern is split on `*` into segments; the first segment must match at the start, the last
//! at the end (every segment consumes a fixed number of characters, so its start is known), and
//! each middle segment is matched at its leftmost occurrence after the previous one. Taking the
//! leftmost occurrence is always safe: it ends earliest and leaves the most text for the rest.
//! Each text position is tried at most once per middle segment, so `*a*a*a*a*a*a*b` against
//! 10 kB is a handful of linear scans, not a search tree. Literal segments are found with the
//! standard library's two-way substring search when the match is case-sensitive.
//!
//! `?` matches one Unicode character. Case-insensitive matching folds ASCII letters only: the
//! names it is used for (service prefixes and action names) are ASCII.

/// Whether letters must match in case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    Sensitive,
    /// ASCII letters match regardless of case (action names, §3.6).
    AsciiInsensitive,
}

/// Matches `text` against a glob `pattern` in which `*` and `?` are wildcards and every other
/// character is literal.
pub fn glob_match(pattern: &str, text: &str, case: Case) -> bool {
    Matcher {
        escapes: false,
        case,
    }
    .matches(pattern, text)
}

/// Like [`glob_match`], but a backslash in `pattern` makes the next character literal. Patterns in
/// this form are produced by policy-variable substitution, whose substituted text is literal even
/// when it contains `*` or `?` (§8-Q19).
pub fn glob_match_escaped(pattern: &str, text: &str, case: Case) -> bool {
    Matcher {
        escapes: true,
        case,
    }
    .matches(pattern, text)
}

/// Appends `literal` to an escaped pattern so that it matches only itself.
pub fn push_escaped(out: &mut String, literal: &str) {
    for c in literal.chars() {
        if matches!(c, '*' | '?' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Appends unescaped pattern text (whose `*` and `?` stay wildcards) to an escaped pattern.
pub fn push_pattern(out: &mut String, pattern: &str) {
    for c in pattern.chars() {
        if c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Whether the pattern contains a wildcard at all.
pub fn has_wildcard(pattern: &str) -> bool {
    pattern.bytes().any(|b| b == b'*' || b == b'?')
}

#[derive(Clone, Copy)]
struct Matcher {
    escapes: bool,
    case: Case,
}

fn is_continuation(b: u8) -> bool {
    (0x80..0xC0).contains(&b)
}

/// The byte length of the UTF-8 sequence starting with `lead`.
fn char_len(lead: u8) -> usize {
    match lead {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

impl Matcher {
    fn matches(self, pattern: &str, text: &str) -> bool {
        if !pattern
            .bytes()
            .any(|b| b == b'*' || b == b'?' || (self.escapes && b == b'\\'))
        {
            return match self.case {
                Case::Sensitive => pattern == text,
                Case::AsciiInsensitive => pattern.eq_ignore_ascii_case(text),
            };
        }
        let mut segments = Segments {
            rest: Some(pattern.as_bytes()),
            escapes: self.escapes,
        };
        let Some(first) = segments.next() else {
            return text.is_empty();
        };
        let t = text.as_bytes();
        let Some(mut pos) = self.match_at(first, t, 0) else {
            return false;
        };
        let mut segments = segments.peekable();
        if segments.peek().is_none() {
            return pos == t.len();
        }
        while let Some(segment) = segments.next() {
            if segments.peek().is_none() {
                // The last segment is anchored at the end of the text.
                let Some(start) = back_chars(t, self.segment_chars(segment)) else {
                    return false;
                };
                return start >= pos && self.match_at(segment, t, start) == Some(t.len());
            }
            if segment.is_empty() {
                continue;
            }
            match self.find(segment, text, pos) {
                Some(end) => pos = end,
                None => return false,
            }
        }
        true
    }

    /// Matches one star-free segment at byte `start` of the text; returns where the match ends.
    fn match_at(self, segment: &[u8], t: &[u8], start: usize) -> Option<usize> {
        let mut j = start;
        let mut k = 0;
        while k < segment.len() {
            let mut b = segment[k];
            k += 1;
            if self.escapes && b == b'\\' && k < segment.len() {
                b = segment[k];
                k += 1;
            } else if b == b'?' {
                let lead = *t.get(j)?;
                j += char_len(lead);
                continue;
            }
            let c = *t.get(j)?;
            let equal = match self.case {
                Case::Sensitive => b == c,
                Case::AsciiInsensitive => b.eq_ignore_ascii_case(&c),
            };
            if !equal {
                return None;
            }
            j += 1;
        }
        (j <= t.len()).then_some(j)
    }

    /// How many characters a segment consumes (escapes do not count, `?` counts one).
    fn segment_chars(self, segment: &[u8]) -> usize {
        let mut n = 0;
        let mut k = 0;
        while k < segment.len() {
            if self.escapes && segment[k] == b'\\' && k + 1 < segment.len() {
                k += 1;
            }
            if !is_continuation(segment[k]) {
                n += 1;
            }
            k += 1;
        }
        n
    }

    /// Finds the leftmost match of a segment at or after byte `from`; returns where it ends.
    fn find(self, segment: &[u8], text: &str, from: usize) -> Option<usize> {
        let plain_literal = self.case == Case::Sensitive
            && !segment.contains(&b'?')
            && !(self.escapes && segment.contains(&b'\\'));
        if plain_literal {
            let needle = std::str::from_utf8(segment).ok()?;
            let hay = text.get(from..)?;
            return hay.find(needle).map(|i| from + i + needle.len());
        }
        let t = text.as_bytes();
        (from..t.len())
            .filter(|&i| !is_continuation(t[i]))
            .find_map(|i| self.match_at(segment, t, i))
    }
}

/// The byte offset `n` characters before the end of `t`, if it has that many.
fn back_chars(t: &[u8], n: usize) -> Option<usize> {
    let mut i = t.len();
    for _ in 0..n {
        if i == 0 {
            return None;
        }
        i -= 1;
        while i > 0 && is_continuation(t[i]) {
            i -= 1;
        }
    }
    Some(i)
}

/// Splits a pattern on its (unescaped) `*`; consecutive stars give empty segments.
struct Segments<'p> {
    rest: Option<&'p [u8]>,
    escapes: bool,
}

impl<'p> Iterator for Segments<'p> {
    type Item = &'p [u8];
    fn next(&mut self) -> Option<&'p [u8]> {
        let rest = self.rest?;
        let mut k = 0;
        while k < rest.len() {
            match rest[k] {
                b'\\' if self.escapes => k += 2,
                b'*' => {
                    self.rest = Some(&rest[k + 1..]);
                    return Some(&rest[..k]);
                }
                _ => k += 1,
            }
        }
        self.rest = None;
        Some(rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Reference: dynamic programming over characters, straight from the definition.
    fn reference(pattern: &[(char, bool)], text: &str, case: Case) -> bool {
        let t: Vec<char> = text.chars().collect();
        let eq = |a: char, b: char| match case {
            Case::Sensitive => a == b,
            Case::AsciiInsensitive => a.eq_ignore_ascii_case(&b),
        };
        // dp[j]: pattern prefix matches text prefix of length j.
        let mut dp = vec![false; t.len() + 1];
        dp[0] = true;
        for &(pc, wild) in pattern {
            let mut next = vec![false; t.len() + 1];
            if wild && pc == '*' {
                let mut any = false;
                for j in 0..=t.len() {
                    any |= dp[j];
                    next[j] = any;
                }
            } else {
                for j in 1..=t.len() {
                    next[j] = dp[j - 1] && ((wild && pc == '?') || eq(pc, t[j - 1]));
                }
            }
            dp = next;
        }
        dp[t.len()]
    }

    fn tokens(pattern: &str) -> Vec<(char, bool)> {
        pattern.chars().map(|c| (c, c == '*' || c == '?')).collect()
    }

    #[test]
    fn basic_cases() {
        let s = Case::Sensitive;
        assert!(glob_match("*", "", s));
        assert!(glob_match("", "", s));
        assert!(!glob_match("", "a", s));
        assert!(glob_match("s3:Get*", "s3:GetObject", s));
        assert!(!glob_match("s3:Get*", "s3:getObject", s));
        assert!(glob_match(
            "s3:Get*",
            "S3:GETOBJECT",
            Case::AsciiInsensitive
        ));
        assert!(glob_match("a?c", "abc", s));
        assert!(
            glob_match("a?c", "aéc", s),
            "? matches one character, not one byte"
        );
        assert!(!glob_match("a?c", "ac", s));
        assert!(glob_match("*log*", "bucket-logs/x", s));
        assert!(
            !glob_match("a*a", "a", s),
            "prefix and suffix may not overlap"
        );
        assert!(glob_match("a*a", "aa", s));
        assert!(glob_match("**", "anything", s));
        assert!(glob_match("*é", "café", s));
        assert!(!glob_match("*?é", "é", s));
    }

    #[test]
    fn escaped_patterns_keep_substituted_wildcards_literal() {
        let mut p = String::from("home/");
        push_escaped(&mut p, "a*b?");
        push_pattern(&mut p, "/*");
        assert!(glob_match_escaped(&p, "home/a*b?/x", Case::Sensitive));
        assert!(!glob_match_escaped(&p, "home/axxbc/x", Case::Sensitive));
        let mut q = String::new();
        push_escaped(&mut q, "back\\slash");
        assert!(glob_match_escaped(&q, "back\\slash", Case::Sensitive));
    }

    #[test]
    fn pathological_pattern_is_fast() {
        let text = "a".repeat(10_000);
        let start = std::time::Instant::now();
        assert!(!glob_match("*a*a*a*a*a*a*b", &text, Case::Sensitive));
        assert!(!glob_match("*a*a*a*a*a*a*b", &text, Case::AsciiInsensitive));
        assert!(!glob_match("*a?a?a?a?b*", &text, Case::Sensitive));
        assert!(glob_match("*a*a*a*a*a*a*a", &text, Case::Sensitive));
        // Not a timing assertion of speed goals (those are in benches/): a backtracking matcher
        // would take minutes here, so anything under a second proves the absence of blow-up.
        assert!(start.elapsed().as_secs() < 1);
    }

    fn pattern_strategy() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just('*'),
                Just('?'),
                Just('a'),
                Just('b'),
                Just('A'),
                Just(':'),
                Just('é')
            ],
            0..10,
        )
        .prop_map(|v| v.into_iter().collect())
    }

    fn text_strategy() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just('a'),
                Just('b'),
                Just('A'),
                Just(':'),
                Just('é'),
                Just('*')
            ],
            0..14,
        )
        .prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #[test]
        fn agrees_with_reference(p in pattern_strategy(), t in text_strategy()) {
            for case in [Case::Sensitive, Case::AsciiInsensitive] {
                prop_assert_eq!(glob_match(&p, &t, case), reference(&tokens(&p), &t, case),
                    "pattern {:?} text {:?} {:?}", p, t, case);
            }
        }

        #[test]
        fn escaped_agrees_with_reference(
            lit in text_strategy(), p in pattern_strategy(), t in text_strategy()
        ) {
            let mut escaped = String::new();
            push_escaped(&mut escaped, &lit);
            push_pattern(&mut escaped, &p);
            let mut toks: Vec<(char, bool)> = lit.chars().map(|c| (c, false)).collect();
            toks.extend(tokens(&p));
            prop_assert_eq!(
                glob_match_escaped(&escaped, &t, Case::Sensitive),
                reference(&toks, &t, Case::Sensitive)
            );
        }

        #[test]
        fn literal_pattern_matches_itself(t in text_strategy()) {
            let mut escaped = String::new();
            push_escaped(&mut escaped, &t);
            prop_assert!(glob_match_escaped(&escaped, &t, Case::Sensitive));
        }
    }
}
