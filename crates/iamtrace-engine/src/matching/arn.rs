//! ARN matching for `Resource`/`NotResource` and the `Arn…` condition operators
//! (rules §3.7, §3.9): the first five colons split an ARN into
//! `arn:partition:service:region:account` and the resource part; the first five fields are
//! compared one by one as globs (a wildcard cannot cross a colon), then the resource part, which
//! may itself contain `:` and `/`, as one glob. Matching is case-sensitive.

use super::wildcard::{glob_match, glob_match_escaped, Case};

/// The six fields of an ARN, or `None` when the text has fewer than six colon-separated fields.
pub fn split_arn(text: &str) -> Option<[&str; 6]> {
    let mut fields = [""; 6];
    let mut start = 0;
    let mut n = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b':' {
            fields[n] = &text[start..i];
            n += 1;
            start = i + 1;
            if n == 5 {
                fields[5] = &text[start..];
                return Some(fields);
            }
        }
    }
    None
}

/// Whether a `Resource` entry covers the request's resource (`*` for actions without resource-level
/// permissions). Rules of §3.7 and §8-Q24: `*` alone matches everything, including a `*` request;
/// any other pattern never matches a `*` request; a pattern with fewer than six fields matches
/// nothing unless its last field ends in `*` (see [`short_pattern_matches`]).
pub fn resource_matches(pattern: &str, resource: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    if resource == "*" {
        return false;
    }
    match split_arn(pattern) {
        Some(_) => arn_fields_match(pattern, resource, false),
        None => short_pattern_matches(pattern, resource),
    }
}

/// Whether `pattern` has fewer than six fields and ends in `*`, the form that
/// [`short_pattern_matches`] expands.
pub fn is_open_short_pattern(pattern: &str) -> bool {
    pattern.ends_with('*') && split_arn(pattern).is_none()
}

/// A `Resource` pattern with fewer than six fields whose last field ends in `*`
/// (`arn:aws:sqs:*`, `arn:aws:sqs:us-east-1:*`): "if the `*` wildcard is the last character of a
/// resource ARN segment, it can expand to match beyond colon boundaries"
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html>).
/// The fields written are compared one by one; the last one, as a glob, against the rest of the
/// ARN, colons included. Any other short pattern matches nothing. Not used by the `Arn…`
/// condition operators.
pub fn short_pattern_matches(pattern: &str, resource: &str) -> bool {
    if !is_open_short_pattern(pattern) || split_arn(resource).is_none() {
        return false;
    }
    let n = pattern.split(':').count();
    pattern
        .split(':')
        .zip(resource.splitn(n, ':'))
        .all(|(p, t)| glob_match(p, t, Case::Sensitive))
}

/// [`resource_matches`] for a pattern produced by policy-variable substitution, in which `\`
/// escapes the next character (substituted text is literal, §8-Q19).
pub fn resource_matches_escaped(pattern: &str, resource: &str) -> bool {
    if resource == "*" {
        return false;
    }
    arn_fields_match(pattern, resource, true)
}

/// `ArnLike` / `ArnEquals` (identical in AWS): each of the six fields compared as a glob.
/// A value that is not a six-field ARN does not match.
pub fn arn_like(pattern: &str, value: &str, escaped: bool) -> bool {
    arn_fields_match(pattern, value, escaped)
}

/// [`resource_matches`] with the request's resource already split by [`split_arn`] (evaluating
/// a policy splits it once, not once per entry).
pub fn resource_matches_split(pattern: &str, resource: &str, fields: Option<&[&str; 6]>) -> bool {
    if pattern == "*" {
        return true;
    }
    if resource == "*" {
        return false;
    }
    match (split_arn(pattern), fields) {
        (Some(p), Some(t)) => fields_match(&p, t, false),
        (None, Some(_)) => short_pattern_matches(pattern, resource),
        _ => false,
    }
}

fn arn_fields_match(pattern: &str, text: &str, escaped: bool) -> bool {
    let (Some(p), Some(t)) = (split_arn(pattern), split_arn(text)) else {
        return false;
    };
    fields_match(&p, &t, escaped)
}

fn fields_match(p: &[&str; 6], t: &[&str; 6], escaped: bool) -> bool {
    p.iter().zip(t.iter()).all(|(p, t)| {
        if escaped {
            glob_match_escaped(p, t, Case::Sensitive)
        } else {
            glob_match(p, t, Case::Sensitive)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_alone_matches_everything_including_star() {
        assert!(resource_matches("*", "arn:aws:s3:::b"));
        assert!(resource_matches("*", "*"));
        assert!(!resource_matches("arn:aws:s3:::*", "*"));
        assert!(!resource_matches("arn:*", "*"));
    }

    #[test]
    fn fields_are_separate_globs() {
        assert!(resource_matches(
            "arn:aws:s3:::amzn-s3-demo-bucket/*",
            "arn:aws:s3:::amzn-s3-demo-bucket/a/b:c"
        ));
        assert!(resource_matches(
            "arn:aws:s3:::*log*",
            "arn:aws:s3:::x-logs/notes.txt"
        ));
        assert!(resource_matches(
            "arn:aws:dynamodb:*:*:table/Books",
            "arn:aws:dynamodb:us-east-1:111122223333:table/Books"
        ));
        assert!(resource_matches(
            "arn:aws:ec2:us-east-?:*:instance/*",
            "arn:aws:ec2:us-east-2:111122223333:instance/i-1"
        ));
        // A region wildcard cannot absorb a colon.
        assert!(!resource_matches(
            "arn:aws:svc:*:111122223333:finance/*",
            "arn:aws:svc:us-east-2:999999999999:store/abc:111122223333:finance/x"
        ));
    }

    #[test]
    fn matching_is_case_sensitive() {
        assert!(!resource_matches(
            "arn:aws:iam::111122223333:user/bob",
            "arn:aws:iam::111122223333:user/Bob"
        ));
        assert!(!resource_matches("arn:AWS:s3:::b", "arn:aws:s3:::b"));
    }

    #[test]
    fn short_patterns_match_nothing() {
        assert!(!resource_matches("arn:aws:s3", "arn:aws:s3:::b"));
        assert!(!resource_matches("bucket/*", "bucket/x"));
        assert!(!resource_matches("arn:aws:s3:::*", "not-an-arn"));
    }

    #[test]
    fn a_trailing_star_of_a_short_pattern_runs_past_the_colons() {
        let q = "arn:aws:sqs:us-east-1:111122223333:orders";
        assert!(resource_matches("arn:aws:sqs:*", q));
        assert!(resource_matches("arn:aws:sqs:us-east-1:*", q));
        assert!(resource_matches("arn:aws:sqs:us-east-*", q));
        assert!(resource_matches("arn:*", q));
        assert!(resource_matches_split(
            "arn:aws:sqs:*",
            q,
            split_arn(q).as_ref()
        ));
        assert!(!resource_matches("arn:aws:sqs:eu-west-1:*", q));
        assert!(!resource_matches("arn:aws:sns:*", q));
        assert!(!resource_matches("arn:aws:sqs:*", "*"));
        assert!(!resource_matches("arn:aws:sqs:*", "arn:aws:sqs:x"));
        // Not for the ARN condition operators.
        assert!(!arn_like("arn:aws:sqs:*", q, false));
    }

    #[test]
    fn arn_like_example_of_the_operators_page() {
        // §3.9: ArnLike compares six fields; StringLike with the same pattern would match.
        let pattern = "arn:aws:svc:*:111122223333:finance/*";
        let value = "arn:aws:svc:us-east-2:999999999999:store/abc:111122223333:finance/x";
        assert!(!arn_like(pattern, value, false));
        assert!(super::super::wildcard::glob_match(
            pattern,
            value,
            Case::Sensitive
        ));
        assert!(arn_like(
            pattern,
            "arn:aws:svc:us-east-2:111122223333:finance/x",
            false
        ));
    }
}
