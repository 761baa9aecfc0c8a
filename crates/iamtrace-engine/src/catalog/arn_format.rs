//! Whether a `Resource` entry can cover an ARN of a resource type, given the type's ARN format
//! from the Service Authorization Reference (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`).
//!
//! Both sides are patterns: the entry has `*` and `?` (and policy variables, which may stand for
//! anything), the format has `${…}` placeholders. The answer is whether some ARN fits both,
//! computed on the product of the two patterns (no backtracking; cost is the product of their
//! lengths, refused beyond [`MAX_STATES`], when the answer is "may match").
//!
//! The fields are compared as AWS compares ARNs: the first five colon-separated fields one by
//! one (a wildcard does not cross a colon), then the resource part as one pattern
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html>).
//! Letters are compared ignoring case here, so that a difference in case is never reported as a
//! mismatch (AWS compares ARNs case-sensitively; this errs on the side of no finding).
//!
//! A placeholder of the format matches any text, `/` and `:` included (object keys, role paths,
//! alias names such as `alias/aws/s3` and Lambda qualifiers have them), except the placeholders of
//! [`NO_SLASH`], whose values AWS documents without `/`.

use crate::matching::arn::{is_open_short_pattern, split_arn};

/// Placeholders whose values never contain `/`: S3 bucket names ("Bucket names can consist only
/// of lowercase letters, numbers, periods (.), and hyphens (-)",
/// <https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html>).
const NO_SLASH: &[&str] = &["BucketName"];

/// Beyond this many states of the product the answer is "may match".
const MAX_STATES: usize = 1 << 20;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    Lit(char),
    /// `?`: one character.
    One,
    /// `*` or a variable: any text.
    Any,
    /// A placeholder whose value has no `/`.
    AnyNoSlash,
}

/// Whether a `Resource` entry of a policy (with `*`, `?` and policy variables) can cover some
/// ARN of the format. `*` covers everything; entries that are not ARNs answer `true` (the
/// policy validation reports them).
pub fn pattern_may_match_format(pattern: &str, format: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    let pattern = without_variables(pattern);
    fields_intersect(&pattern, format, false)
}

/// Whether a concrete ARN (a request's resource) is of the format.
pub fn arn_fits_format(arn: &str, format: &str) -> bool {
    fields_intersect(arn, format, true)
}

/// A policy variable `${…}` may stand for any text: it becomes `*`.
fn without_variables(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(start) = rest.find("${") {
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        out.push_str(&rest[..start]);
        out.push('*');
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out
}

fn fields_intersect(pattern: &str, format: &str, literal: bool) -> bool {
    let Some(f) = split_arn(format) else {
        return true;
    };
    match split_arn(pattern) {
        Some(p) => p
            .iter()
            .zip(f.iter())
            .all(|(p, f)| intersect(&tokens(p, literal), &format_tokens(f))),
        None if !literal && is_open_short_pattern(pattern) => {
            // `arn:aws:sqs:*`: the fields written one by one, the last against the rest.
            let written: Vec<&str> = pattern.split(':').collect();
            let last = written.len().saturating_sub(1);
            written.iter().enumerate().all(|(i, p)| {
                if i < last {
                    f.get(i)
                        .is_some_and(|f| intersect(&tokens(p, false), &format_tokens(f)))
                } else {
                    let rest = f.get(i..).map(|r| r.join(":")).unwrap_or_default();
                    intersect(&tokens(p, false), &format_tokens(&rest))
                }
            })
        }
        None => !literal,
    }
}

fn tokens(text: &str, literal: bool) -> Vec<Tok> {
    text.chars()
        .map(|c| match c {
            '*' if !literal => Tok::Any,
            '?' if !literal => Tok::One,
            c => Tok::Lit(c.to_ascii_lowercase()),
        })
        .collect()
}

fn format_tokens(text: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        out.extend(
            rest[..start]
                .chars()
                .map(|c| Tok::Lit(c.to_ascii_lowercase())),
        );
        let name = &rest[start + 2..start + end];
        out.push(if NO_SLASH.contains(&name) {
            Tok::AnyNoSlash
        } else {
            Tok::Any
        });
        rest = &rest[start + end + 1..];
    }
    out.extend(rest.chars().map(|c| Tok::Lit(c.to_ascii_lowercase())));
    out
}

/// Whether some text is matched by both token strings: reachability on their product.
fn intersect(p: &[Tok], f: &[Tok]) -> bool {
    let (m, n) = (p.len() + 1, f.len() + 1);
    if m.saturating_mul(n) > MAX_STATES {
        return true;
    }
    let mut seen = vec![false; m * n];
    let mut stack = vec![(0usize, 0usize)];
    while let Some((i, j)) = stack.pop() {
        let Some(s) = seen.get_mut(i * n + j) else {
            continue;
        };
        if *s {
            continue;
        }
        *s = true;
        if i == p.len() && j == f.len() {
            return true;
        }
        let (pt, ft) = (p.get(i).copied(), f.get(j).copied());
        // A wildcard matching no text.
        if pt == Some(Tok::Any) {
            stack.push((i + 1, j));
        }
        if matches!(ft, Some(Tok::Any | Tok::AnyNoSlash)) {
            stack.push((i, j + 1));
        }
        // One character that both sides accept.
        let (Some(pt), Some(ft)) = (pt, ft) else {
            continue;
        };
        let common = match (pt, ft) {
            (Tok::Lit(a), Tok::Lit(b)) => a == b,
            (Tok::Lit('/'), Tok::AnyNoSlash) => false,
            _ => true,
        };
        if common {
            let ni = if pt == Tok::Any { i } else { i + 1 };
            let nj = if matches!(ft, Tok::Any | Tok::AnyNoSlash) {
                j
            } else {
                j + 1
            };
            stack.push((ni, nj));
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUCKET: &str = "arn:${Partition}:s3:::${BucketName}";
    const OBJECT: &str = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
    const KEY: &str = "arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}";
    const ALIAS: &str = "arn:${Partition}:kms:${Region}:${Account}:alias/${Alias}";

    #[test]
    fn bucket_and_object_arns_are_told_apart() {
        assert!(pattern_may_match_format(
            "arn:aws:s3:::amzn-s3-demo-bucket",
            BUCKET
        ));
        assert!(!pattern_may_match_format(
            "arn:aws:s3:::amzn-s3-demo-bucket/*",
            BUCKET
        ));
        assert!(pattern_may_match_format(
            "arn:aws:s3:::amzn-s3-demo-bucket/*",
            OBJECT
        ));
        assert!(!pattern_may_match_format(
            "arn:aws:s3:::amzn-s3-demo-bucket",
            OBJECT
        ));
        assert!(pattern_may_match_format(
            "arn:aws:s3:::amzn-s3-demo-bucket*",
            OBJECT
        ));
        assert!(pattern_may_match_format("arn:aws:s3:::*", BUCKET));
        assert!(!pattern_may_match_format("arn:aws:s3:::*/*", BUCKET));
        assert!(pattern_may_match_format("*", BUCKET));
        assert!(pattern_may_match_format("arn:aws:s3:*", BUCKET));
    }

    #[test]
    fn policy_variables_may_be_anything() {
        let home = "arn:aws:s3:::amzn-s3-demo-bucket/home/${aws:username}/*";
        assert!(pattern_may_match_format(home, OBJECT));
        assert!(!pattern_may_match_format(home, BUCKET));
        assert!(pattern_may_match_format(
            "arn:aws:iam::*:user/${aws:username}",
            "arn:${Partition}:iam::${Account}:user/${UserNameWithPath}"
        ));
    }

    #[test]
    fn kms_keys_and_aliases_differ() {
        let alias = "arn:aws:kms:us-east-1:111122223333:alias/ExampleAlias";
        assert!(!pattern_may_match_format(alias, KEY));
        assert!(pattern_may_match_format(alias, ALIAS));
        assert!(pattern_may_match_format(
            "arn:aws:kms:*:*:alias/aws/*",
            ALIAS
        ));
        assert!(arn_fits_format(
            "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            KEY
        ));
        assert!(!arn_fits_format(alias, KEY));
    }

    #[test]
    fn wildcards_do_not_cross_colons_in_the_first_fields() {
        let function = "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}";
        assert!(pattern_may_match_format(
            "arn:aws:lambda:*:*:function:my-function:*",
            function
        ));
        assert!(!pattern_may_match_format(
            "arn:aws:sqs:*:*:function:x",
            function
        ));
        assert!(arn_fits_format("arn:aws:s3:::Amzn-S3-Demo-Bucket", BUCKET));
        assert!(!arn_fits_format("*", BUCKET));
    }
}
