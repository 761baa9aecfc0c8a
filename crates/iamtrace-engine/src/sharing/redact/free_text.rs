//! Replacing the case's values where they occur as words in free text (a title, AWS's message).

/// Replaces whole-word occurrences of the originals, longest first.
///
/// The texts are short (a title, AWS's message) and the values few, so a scan that tries the
/// values at each position (with a first-byte filter) is enough; it keeps a multi-pattern
/// automaton out of the page.
pub struct FreeText {
    /// Originals with their replacements, longest original first.
    pairs: Vec<(String, String)>,
    /// Whether some original starts with this byte.
    starts: [bool; 256],
}

/// A match: where it starts and ends in the text, and which pair it is.
struct Found {
    start: usize,
    end: usize,
    pair: usize,
}

/// Shorter values are too likely to be ordinary words of the text.
const MIN_LEN: usize = 3;
/// Values at least this long are replaced inside longer words too (a role name inside a policy
/// name: `AppServer` in `AppServerS3Read`); shorter ones and numbers only as whole words.
const INSIDE_WORDS_LEN: usize = 6;

impl FreeText {
    pub fn new(pairs: Vec<(String, String)>) -> FreeText {
        let mut pairs: Vec<(String, String)> = pairs
            .into_iter()
            .filter(|(o, _)| o.chars().count() >= MIN_LEN)
            .collect();
        pairs.sort_by_key(|(o, _)| std::cmp::Reverse(o.len()));
        let mut starts = [false; 256];
        for (o, _) in &pairs {
            if let Some(&b) = o.as_bytes().first() {
                starts[usize::from(b)] = true;
            }
        }
        FreeText { pairs, starts }
    }

    /// The leftmost match at or after `from`, the longest of those starting there.
    fn find(&self, text: &str, from: usize) -> Option<Found> {
        let bytes = text.as_bytes();
        (from..bytes.len())
            .filter(|&i| self.starts[usize::from(bytes[i])] && text.is_char_boundary(i))
            .find_map(|start| {
                let rest = text.get(start..)?;
                let pair = self
                    .pairs
                    .iter()
                    .position(|(o, _)| rest.starts_with(o.as_str()))?;
                let end = start + self.pairs[pair].0.len();
                Some(Found { start, end, pair })
            })
    }

    pub fn apply(&self, text: &str) -> String {
        if self.pairs.is_empty() {
            return text.to_string();
        }
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        let mut from = 0;
        while let Some(m) = self.find(text, from) {
            from = m.end;
            let before = text.get(..m.start).and_then(|t| t.chars().next_back());
            let after = text.get(m.end..).and_then(|t| t.chars().next());
            let found = text.get(m.start..m.end).unwrap_or_default();
            let whole_word_only = found.chars().count() < INSIDE_WORDS_LEN
                || found
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '.' || c == ':' || c == '/');
            if whole_word_only && (word(before) || word(after)) {
                continue;
            }
            let Some((_, r)) = self.pairs.get(m.pair) else {
                continue;
            };
            out.push_str(text.get(at..m.start).unwrap_or_default());
            out.push_str(r);
            at = m.end;
        }
        out.push_str(text.get(at..).unwrap_or_default());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_longest_first() {
        let f = FreeText::new(vec![
            ("acme".into(), "example".into()),
            ("acme-prod".into(), "amzn".into()),
            ("210987654321".into(), "444455556666".into()),
            ("AppServer".into(), "ExampleRole".into()),
        ]);
        assert_eq!(
            f.apply("acme-prod and acme in arn:aws:iam::210987654321:root, not acmes nor 12109876543210"),
            "amzn and example in arn:aws:iam::444455556666:root, not acmes nor 12109876543210"
        );
        assert_eq!(f.apply("AppServerS3Read"), "ExampleRoleS3Read");
    }
}
