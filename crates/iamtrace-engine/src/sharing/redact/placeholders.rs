//! The placeholders AWS's documentation uses, per kind of value, and numbered ones after them.
//!
//! AWS reserves some of these for documentation (`amzn-s3-demo-bucket`: "Amazon S3 bucket naming
//! rules", <https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html>; the account
//! IDs `111122223333` and `444455556666` throughout the IAM User Guide; `o-exampleorgid`,
//! `r-examplerootid111` and `ou-examplerootid111-exampleouid111` in the AWS Organizations User
//! Guide; `vpce-1a2b3c4d` in the AWS PrivateLink guide; `AIDACKCEVSQ6C2EXAMPLE` and
//! `AKIAIOSFODNN7EXAMPLE` in "IAM identifiers"). Beyond the documented ones, numbered variants of
//! the same shape follow.

use super::kind::ValueKind;

/// The documented placeholders of a kind, best first.
fn documented(kind: ValueKind) -> &'static [&'static str] {
    match kind {
        ValueKind::Account => &[
            "111122223333",
            "444455556666",
            "777788889999",
            "123456789012",
        ],
        ValueKind::Organization => &["o-exampleorgid", "o-a1b2c3d4e5"],
        ValueKind::Root => &["r-examplerootid111", "r-ab12"],
        ValueKind::OrganizationalUnit => {
            &["ou-examplerootid111-exampleouid111", "ou-ab12-11111111"]
        }
        ValueKind::PolicyId => &["p-examplepolicyid111", "p-examplepolicyid222"],
        ValueKind::User => &["JohnDoe", "Jane", "Mateo", "Saanvi", "Paulo"],
        ValueKind::Role => &["ExampleRole", "MyRole"],
        ValueKind::Session => &["my-role-session", "ExampleSession"],
        ValueKind::Path => &["division_abc", "subdivision_xyz"],
        ValueKind::Bucket => &[
            "amzn-s3-demo-bucket",
            "amzn-s3-demo-bucket1",
            "amzn-s3-demo-bucket2",
            "amzn-s3-demo-destination-bucket",
        ],
        ValueKind::ObjectKey => &["example-folder", "example-object"],
        ValueKind::ResourceName => &["example-resource"],
        ValueKind::ResourceId => &[],
        ValueKind::KeyId => &["1234abcd-12ab-34cd-56ef-1234567890ab"],
        ValueKind::Vpc => &["vpc-111bbb22", "vpc-1a2b3c4d"],
        ValueKind::VpcEndpoint => &["vpce-1a2b3c4d", "vpce-11aa22bb"],
        ValueKind::IpAddress => &[],
        ValueKind::UniqueId => &[
            "AIDACKCEVSQ6C2EXAMPLE",
            "AROADBQP57FF2AEXAMPLE",
            "AKIAIOSFODNN7EXAMPLE",
        ],
        ValueKind::CanonicalUser => {
            &["79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"]
        }
        ValueKind::ExternalId => &["example-external-id"],
        ValueKind::TagValue => &["example-value"],
    }
}

/// Whether a value already is one of AWS's documentation placeholders (or AWS's own ID, such as
/// the `p-FullAWSAccess` SCP): nothing about the user's account is in it.
pub fn is_placeholder(kind: ValueKind, value: &str) -> bool {
    documented(kind).contains(&value) || matches!(value, "p-FullAWSAccess" | "p-RCPFullAWSAccess")
}

/// The `n`-th placeholder for a value of `kind` (documented ones first, then numbered). `original`
/// gives the shape where the kind has several (`AROA…` stays `AROA…`, `i-…` stays `i-…`, an object
/// key keeps its file extension); `base` names a resource by its service (`my-function`).
pub fn nth(kind: ValueKind, original: &str, base: Option<&str>, n: usize) -> String {
    match kind {
        ValueKind::UniqueId => {
            let prefix = original.get(..4).unwrap_or("AIDA");
            let doc = documented(kind).iter().find(|d| d.starts_with(prefix));
            match (doc, n) {
                (Some(d), 0) => (*d).to_string(),
                _ => format!("{prefix}EXAMPLE{:011}", n + 1),
            }
        }
        ValueKind::ResourceId => {
            let marker = original.split_once('-').map_or("id", |(m, _)| m);
            format!("{marker}-1234567890abcdef{n:x}")
        }
        ValueKind::ResourceName if base.is_some() => {
            let b = base.unwrap_or("example-resource");
            if n == 0 {
                b.to_string()
            } else {
                format!("{b}{}", n + 1)
            }
        }
        ValueKind::ObjectKey => {
            let ext = original
                .rsplit_once('.')
                .filter(|(stem, e)| {
                    !stem.is_empty()
                        && !e.is_empty()
                        && e.len() <= 5
                        && e.chars().all(|c| c.is_ascii_alphanumeric())
                })
                .map(|(_, e)| format!(".{e}"))
                .unwrap_or_default();
            let stem = if ext.is_empty() {
                "example-folder"
            } else {
                "example-object"
            };
            if n == 0 {
                format!("{stem}{ext}")
            } else {
                format!("{stem}{}{ext}", n + 1)
            }
        }
        _ => {
            let doc = documented(kind);
            if let Some(d) = doc.get(n) {
                return (*d).to_string();
            }
            let k = n - doc.len() + 1;
            match kind {
                ValueKind::Account => format!("{:012}", 111_122_220_000u64 + k as u64),
                ValueKind::Organization => format!("o-exampleorg{k:03}"),
                ValueKind::Root => format!("r-examplerootid{k:03}"),
                ValueKind::OrganizationalUnit => format!("ou-examplerootid111-exampleou{k:03}"),
                ValueKind::PolicyId => format!("p-examplepolicy{k:03}"),
                ValueKind::User => format!("ExampleUser{k}"),
                ValueKind::Role => format!("ExampleRole{}", k + 1),
                ValueKind::Session => format!("ExampleSession{}", k + 1),
                ValueKind::Path => format!("example_path{k}"),
                ValueKind::Bucket => format!("amzn-s3-demo-bucket{}", k + 2),
                ValueKind::KeyId => format!("1234abcd-12ab-34cd-56ef-{k:012x}"),
                ValueKind::Vpc => format!("vpc-1a2b{k:04x}"),
                ValueKind::VpcEndpoint => format!("vpce-1a2b{k:04x}"),
                ValueKind::CanonicalUser => {
                    format!("79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7c{k:08x}")
                }
                ValueKind::ExternalId => format!("example-external-id-{}", k + 1),
                ValueKind::TagValue => format!("example-value-{}", k + 1),
                _ => format!("example-name{k}"),
            }
        }
    }
}

/// The placeholder of a literal prefix written before a wildcard (`acme-prod-` of `acme-prod-*`),
/// ending in the same separator so that the pattern still reads as a prefix. Its stem is one no
/// whole-value placeholder starts with, so a rewritten pattern matches no placeholder it should not.
pub fn nth_prefix(kind: ValueKind, original: &str, n: usize) -> String {
    let sep = original
        .chars()
        .last()
        .filter(|c| !c.is_ascii_alphanumeric())
        .map(String::from)
        .unwrap_or_default();
    match kind {
        ValueKind::Bucket => format!("amzn-s3-demo-prefix{:02}{sep}", n + 1),
        _ => format!("prefix{:02}{sep}", n + 1),
    }
}

/// The placeholder of what follows a rewritten prefix in a longer name (`logs` of
/// `acme-prod-logs` under `acme-prod-*`). Numbered with a fixed width so that no remainder
/// placeholder is a prefix of another.
pub fn nth_remainder(original: &str, n: usize) -> String {
    let sep = original
        .chars()
        .last()
        .filter(|c| !c.is_ascii_alphanumeric())
        .map(String::from)
        .unwrap_or_default();
    format!("example{:02}{sep}", n + 1)
}
