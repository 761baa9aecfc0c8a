//! `Action` / `NotAction` matching (rules §3.6): a case-insensitive glob over the whole
//! `prefix:name` string.

use super::wildcard::{glob_match, Case};

/// Whether an `Action` entry such as `s3:Get*` covers the request's action.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    pattern == "*" || glob_match(pattern, action, Case::AsciiInsensitive)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_and_name_ignore_case() {
        assert!(action_matches("iam:ListAccessKeys", "IAM:listaccesskeys"));
        assert!(action_matches("s3:Get*", "s3:GetObjectAcl"));
        assert!(action_matches("*", "kms:Decrypt"));
        assert!(!action_matches("s3:Get*", "s3:PutObject"));
        assert!(action_matches("ec2:*Instances", "ec2:RunInstances"));
        assert!(action_matches("s3:?etObject", "s3:GetObject"));
    }

    #[test]
    fn wildcards_span_the_colon() {
        // A glob over the whole string: `s3*:Get*` reaches any prefix starting with s3 (§3.6).
        assert!(action_matches("s3*:Get*", "s3express:GetObject"));
        assert!(action_matches("*:Get*", "dynamodb:GetItem"));
        assert!(!action_matches("s3:*", "s3express:GetObject"));
    }
}
