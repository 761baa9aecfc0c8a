//! Replacing the case's values where they occur as words in free text (a title, AWS's message).

use aho_corasick::{AhoCorasick, MatchKind};

/// Replaces whole-word occurrences of the originals, longest first.
pub struct FreeText {
    finder: Option<AhoCorasick>,
    replacements: Vec<String>,
}

/// Shorter values are too likely to be ordinary words of the text.
const MIN_LEN: usize = 3;
/// Values at least this long are replaced inside longer words too (a role name inside a policy
/// name: `AppServer` in `AppServerS3Read`); shorter ones and numbers only as whole words.
const INSIDE_WORDS_LEN: usize = 6;

impl FreeText {
    pub fn new(pairs: Vec<(String, String)>) -> FreeText {
        let pairs: Vec<(String, String)> = pairs
            .into_iter()
            .filter(|(o, _)| o.chars().count() >= MIN_LEN)
            .collect();
        let finder = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(pairs.iter().map(|(o, _)| o.as_str()))
            .ok();
        FreeText {
            finder,
            replacements: pairs.into_iter().map(|(_, r)| r).collect(),
        }
    }

    pub fn apply(&self, text: &str) -> String {
        let Some(finder) = &self.finder else {
            return text.to_string();
        };
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for m in finder.find_iter(text) {
            let before = text.get(..m.start()).and_then(|t| t.chars().next_back());
            let after = text.get(m.end()..).and_then(|t| t.chars().next());
            let found = text.get(m.start()..m.end()).unwrap_or_default();
            let whole_word_only = found.chars().count() < INSIDE_WORDS_LEN
                || found
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '.' || c == ':' || c == '/');
            if whole_word_only && (word(before) || word(after)) {
                continue;
            }
            let Some(r) = self.replacements.get(m.pattern().as_usize()) else {
                continue;
            };
            out.push_str(text.get(at..m.start()).unwrap_or_default());
            out.push_str(r);
            at = m.end();
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
