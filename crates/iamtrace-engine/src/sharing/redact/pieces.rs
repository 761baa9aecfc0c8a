//! Where the identifying values sit in a string of the case: an ARN's account and resource
//! names, a principal, a condition value read by its key. A string is cut into pieces; each
//! identifying piece is offered to a rewrite function, everything else (partitions, services,
//! Regions, resource types, wildcards, policy variables) is kept as written.
//!
//! ARN fields follow "Amazon Resource Names (ARNs)"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html>) and the identifier
//! shapes "IAM identifiers" (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html>).

use super::ip;
use super::kind::ValueKind;

/// How a piece is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// The whole value (`acme-prod-logs`).
    Whole,
    /// The literal text a wildcard pattern starts with (`acme-prod-` of `acme-prod-*`): its
    /// rewrite must be a prefix of the rewrite of every value that starts with it.
    Prefix,
    /// Literal text after a wildcard (`log` of `*log*`): kept as written, and kept inside every
    /// value that holds it, so that the pattern still matches what it matched.
    Fragment,
}

/// One identifying piece of a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece<'a> {
    pub kind: ValueKind,
    pub text: &'a str,
    pub role: Role,
    /// The placeholder stem for a resource of this service (`my-function`).
    pub base: Option<&'static str>,
}

/// Where a string sits in the case.
#[derive(Debug, Clone, Copy)]
pub enum Slot<'a> {
    /// The request's principal or resource, a `Resource` entry, an ARN-valued key.
    Arn,
    /// A value under `Principal` (`AWS`, `Service`, `Federated`, `CanonicalUser`).
    Principal(&'a str),
    /// A condition value or request context value, with its key.
    Condition(&'a str),
    /// `request.resource_account`.
    Account,
}

/// `s` with each identifying piece replaced by what `f` returns for it (`None` keeps the piece).
pub fn rewrite(slot: Slot, s: &str, f: &mut dyn FnMut(&Piece) -> Option<String>) -> String {
    if ip::parse(s).is_some() && !matches!(slot, Slot::Arn | Slot::Account) {
        return offer(f, ValueKind::IpAddress, s, Role::Whole, None).unwrap_or_else(|| s.into());
    }
    if s.starts_with("arn:") {
        return arn(s, f);
    }
    match slot {
        Slot::Arn | Slot::Account => bare(s, None, f),
        Slot::Principal(kind) if kind.eq_ignore_ascii_case("AWS") => bare(s, None, f),
        Slot::Principal(kind) if kind.eq_ignore_ascii_case("CanonicalUser") => bare(s, None, f),
        Slot::Principal(_) => s.to_string(),
        Slot::Condition(key) => condition_value(key, s, f),
    }
}

fn offer(
    f: &mut dyn FnMut(&Piece) -> Option<String>,
    kind: ValueKind,
    text: &str,
    role: Role,
    base: Option<&'static str>,
) -> Option<String> {
    f(&Piece {
        kind,
        text,
        role,
        base,
    })
}

/// Splits at `/` and `:` outside `${…}` variables; separators are their own parts.
fn split_parts(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut depth = 0usize;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth > 0 => depth -= 1,
            b'/' | b':' if depth == 0 => {
                parts.push(&s[start..i]);
                parts.push(&s[i..=i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    parts.push(&s[start..]);
    parts
}

/// The literal text before the first wildcard or policy variable, and the rest.
fn literal_prefix(s: &str) -> (&str, &str) {
    let cut = [s.find('*'), s.find('?'), s.find("${")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(s.len());
    s.split_at(cut)
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn lower_alnum(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

fn hex(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The prefixes of IAM unique IDs ("IAM identifiers", unique ID prefixes).
const UNIQUE: [&str; 11] = [
    "AIDA", "AROA", "AKIA", "ASIA", "AGPA", "ANPA", "ANVA", "APKA", "AIPA", "ASCA", "ACCA",
];

/// The kind an identifier's shape says it is, if any.
pub fn shape(s: &str) -> Option<ValueKind> {
    if s.len() == 12 && all_digits(s) {
        return Some(ValueKind::Account);
    }
    if let Some(rest) = s.strip_prefix("o-") {
        if (10..=32).contains(&rest.len()) && lower_alnum(rest) {
            return Some(ValueKind::Organization);
        }
    }
    if let Some(rest) = s.strip_prefix("r-") {
        if (4..=32).contains(&rest.len()) && lower_alnum(rest) {
            return Some(ValueKind::Root);
        }
    }
    if let Some((root, ou)) = s.strip_prefix("ou-").and_then(|r| r.split_once('-')) {
        if (4..=32).contains(&root.len())
            && lower_alnum(root)
            && (8..=32).contains(&ou.len())
            && lower_alnum(ou)
        {
            return Some(ValueKind::OrganizationalUnit);
        }
    }
    if let Some(rest) = s.strip_prefix("p-") {
        if (8..=128).contains(&rest.len())
            && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return Some(ValueKind::PolicyId);
        }
    }
    if let Some(rest) = s.strip_prefix("vpce-") {
        if (8..=17).contains(&rest.len()) && hex(rest) {
            return Some(ValueKind::VpcEndpoint);
        }
    }
    if let Some(rest) = s.strip_prefix("vpc-") {
        if (8..=17).contains(&rest.len()) && hex(rest) {
            return Some(ValueKind::Vpc);
        }
    }
    if let Some((marker, rest)) = s.split_once('-') {
        if (1..=12).contains(&marker.len())
            && marker.bytes().all(|b| b.is_ascii_lowercase())
            && (8..=17).contains(&rest.len())
            && hex(rest)
            && rest.bytes().any(|b| b.is_ascii_digit())
        {
            return Some(ValueKind::ResourceId);
        }
    }
    let uuid: Vec<&str> = s.split('-').collect();
    if uuid.len() == 5
        && uuid.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && uuid.iter().all(|p| hex(p))
    {
        return Some(ValueKind::KeyId);
    }
    if s.len() >= 16
        && UNIQUE.iter().any(|p| s.starts_with(p))
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return Some(ValueKind::UniqueId);
    }
    if s.len() == 64 && hex(s) {
        return Some(ValueKind::CanonicalUser);
    }
    None
}

/// A piece that may be a name: rewritten whole, or by its literal prefix when it is a pattern.
/// Wildcards, variables, numbers and AWS's own names stay.
fn name(
    s: &str,
    kind: ValueKind,
    base: Option<&'static str>,
    f: &mut dyn FnMut(&Piece) -> Option<String>,
) -> String {
    if let Some(k) = shape(s) {
        return offer(f, k, s, Role::Whole, None).unwrap_or_else(|| s.into());
    }
    let (prefix, rest) = literal_prefix(s);
    for fragment in rest.split(['*', '?']) {
        if !fragment.is_empty() && !fragment.contains("${") && !fragment.contains('}') {
            let _ = offer(f, kind, fragment, Role::Fragment, base);
        }
    }
    if prefix.is_empty() || keep_word(prefix) || shape_marker(prefix) {
        return s.to_string();
    }
    if rest.is_empty() {
        return offer(f, kind, s, Role::Whole, base).unwrap_or_else(|| s.into());
    }
    match offer(f, kind, prefix, Role::Prefix, base) {
        Some(p) => format!("{p}{rest}"),
        None => s.to_string(),
    }
}

/// Words that are not names: AWS's own, numbers (versions, dates), `$LATEST`.
fn keep_word(s: &str) -> bool {
    const WORDS: [&str; 12] = [
        "aws",
        "$LATEST",
        "service_control_policy",
        "resource_control_policy",
        "tag_policy",
        "backup_policy",
        "aiservices_opt_out_policy",
        "chatbot_policy",
        "declarative_policy_ec2",
        "index",
        "stream",
        "aws-service-role",
    ];
    WORDS.contains(&s) || (s.len() < 12 && all_digits(s))
}

/// The start of an identifier (`vpce-`, `o-`, `AROA`): a pattern on the ID's type, not a name.
fn shape_marker(s: &str) -> bool {
    const MARKERS: [&str; 17] = [
        "vpce-", "vpc-", "o-", "ou-", "r-", "p-", "i-", "sg-", "subnet-", "eni-", "ami-", "vol-",
        "snap-", "igw-", "nat-", "rtb-", "acl-",
    ];
    MARKERS.contains(&s) || UNIQUE.iter().any(|u| u.starts_with(s)) || all_digits(s)
}

/// A value that is not an ARN, judged by its shape alone (account IDs, unique IDs…).
fn bare(s: &str, _key: Option<&str>, f: &mut dyn FnMut(&Piece) -> Option<String>) -> String {
    match shape(s) {
        Some(k) => offer(f, k, s, Role::Whole, None).unwrap_or_else(|| s.into()),
        None => s.to_string(),
    }
}

fn condition_value(key: &str, s: &str, f: &mut dyn FnMut(&Piece) -> Option<String>) -> String {
    let k = key.to_ascii_lowercase();
    if shape(s).is_some() {
        return bare(s, Some(key), f);
    }
    let tag_value = (k.contains("tag/") && !k.contains("tagkeys")) || k == "aws:principaltag";
    if tag_value {
        return name(s, ValueKind::TagValue, None, f);
    }
    match k.as_str() {
        "sts:externalid" => name(s, ValueKind::ExternalId, None, f),
        "aws:username" => name(s, ValueKind::User, None, f),
        "aws:sourceidentity" | "sts:sourceidentity" | "sts:rolesessionname" => {
            name(s, ValueKind::Session, None, f)
        }
        "aws:userid" => join(
            split_parts(s),
            |i, p, f| {
                if i == 0 {
                    bare(p, None, f)
                } else {
                    name(p, ValueKind::Session, None, f)
                }
            },
            f,
        ),
        "aws:principalorgpaths"
        | "aws:resourceorgpaths"
        | "aws:sourceorgpaths"
        | "aws:vpceorgpaths" => join(split_parts(s), |_, p, f| bare(p, None, f), f),
        "s3:prefix" => join(
            split_parts(s),
            |_, p, f| name(p, ValueKind::ObjectKey, None, f),
            f,
        ),
        _ => s.to_string(),
    }
}

/// Rewrites each non-separator part with `each(index among name parts, part)`.
fn join(
    parts: Vec<&str>,
    mut each: impl FnMut(usize, &str, &mut dyn FnMut(&Piece) -> Option<String>) -> String,
    f: &mut dyn FnMut(&Piece) -> Option<String>,
) -> String {
    let mut out = String::new();
    let mut i = 0;
    for p in parts {
        if p == "/" || p == ":" {
            out.push_str(p);
        } else {
            out.push_str(&each(i, p, f));
            i += 1;
        }
    }
    out
}

/// `arn:partition:service:region:account:resource`.
fn arn(s: &str, f: &mut dyn FnMut(&Piece) -> Option<String>) -> String {
    let fields: Vec<&str> = s.splitn(6, ':').collect();
    let [_, partition, service, region, account, resource] = fields[..] else {
        return s.to_string();
    };
    let account_out = if account.len() == 12 && all_digits(account) {
        offer(f, ValueKind::Account, account, Role::Whole, None).unwrap_or_else(|| account.into())
    } else {
        account.to_string()
    };
    let svc = service.to_ascii_lowercase();
    let parts = split_parts(resource);
    let names: Vec<&str> = parts
        .iter()
        .copied()
        .filter(|p| *p != "/" && *p != ":")
        .collect();
    let count = names.len();
    let bucket_form = svc == "s3" && account.is_empty();
    let typed = !bucket_form && count > 1;
    let kind_of = |i: usize, ty: &str| -> (ValueKind, Option<&'static str>) {
        if bucket_form {
            return if i == 0 {
                (ValueKind::Bucket, None)
            } else {
                (ValueKind::ObjectKey, None)
            };
        }
        let last = i + 1 == count;
        match (svc.as_str(), ty) {
            ("iam", "user") if last => (ValueKind::User, None),
            ("iam", "role") if last => (ValueKind::Role, None),
            (
                "iam",
                "user" | "role" | "group" | "policy" | "instance-profile" | "server-certificate",
            ) if !last => (ValueKind::Path, None),
            ("iam", "group") => (ValueKind::ResourceName, Some("ExampleGroup")),
            ("iam", "policy") => (ValueKind::ResourceName, Some("ExamplePolicy")),
            ("sts", "assumed-role") if i == 1 => (ValueKind::Role, None),
            ("sts", "assumed-role" | "federated-user") => (ValueKind::Session, None),
            ("lambda", _) => (ValueKind::ResourceName, Some("my-function")),
            ("dynamodb", _) => (ValueKind::ResourceName, Some("MyTable")),
            ("secretsmanager", _) => (ValueKind::ResourceName, Some("MySecret")),
            ("kms", "alias") => (ValueKind::ResourceName, Some("ExampleAlias")),
            ("sqs", _) => (ValueKind::ResourceName, Some("MyQueue")),
            ("sns", _) => (ValueKind::ResourceName, Some("MyTopic")),
            _ => (ValueKind::ResourceName, None),
        }
    };
    let ty = if typed {
        names.first().copied().unwrap_or("")
    } else {
        ""
    };
    let resource_out = join(
        parts,
        |i, p, f| {
            if typed && i == 0 {
                return p.to_string();
            }
            if !typed && svc == "iam" && p == "root" {
                return p.to_string();
            }
            let (kind, base) = if typed {
                kind_of(i, ty)
            } else {
                kind_of(i, "")
            };
            let (kind, base) = match (svc.as_str(), typed) {
                ("sqs", false) => (ValueKind::ResourceName, Some("MyQueue")),
                ("sns", false) => (ValueKind::ResourceName, Some("MyTopic")),
                _ => (kind, base),
            };
            name(p, kind, base, f)
        },
        f,
    );
    format!("arn:{partition}:{service}:{region}:{account_out}:{resource_out}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(slot: Slot, s: &str) -> Vec<(ValueKind, String, Role)> {
        let mut out = Vec::new();
        rewrite(slot, s, &mut |p| {
            out.push((p.kind, p.text.to_string(), p.role));
            None
        });
        out
    }

    #[test]
    fn arn_pieces_are_account_and_names_not_types() {
        assert_eq!(
            pieces(
                Slot::Arn,
                "arn:aws:sts::210987654321:assumed-role/deployer/ci-42"
            ),
            vec![
                (ValueKind::Account, "210987654321".into(), Role::Whole),
                (ValueKind::Role, "deployer".into(), Role::Whole),
                (ValueKind::Session, "ci-42".into(), Role::Whole),
            ]
        );
        assert_eq!(
            pieces(Slot::Arn, "arn:aws:s3:::acme-prod-*"),
            vec![(ValueKind::Bucket, "acme-prod-".into(), Role::Prefix)]
        );
        assert_eq!(
            pieces(Slot::Arn, "arn:aws:s3:::acme/home/${aws:username}/*"),
            vec![
                (ValueKind::Bucket, "acme".into(), Role::Whole),
                (ValueKind::ObjectKey, "home".into(), Role::Whole),
            ]
        );
        assert!(
            pieces(Slot::Arn, "arn:aws:iam::aws:policy/AdministratorAccess")
                .iter()
                .all(|p| p.0 != ValueKind::Account)
        );
    }

    #[test]
    fn condition_values_by_key() {
        assert_eq!(
            pieces(Slot::Condition("aws:PrincipalTag/team"), "payments"),
            vec![(ValueKind::TagValue, "payments".into(), Role::Whole)]
        );
        assert!(pieces(Slot::Condition("aws:RequestedRegion"), "eu-west-1").is_empty());
        assert_eq!(
            pieces(Slot::Condition("aws:SourceVpce"), "vpce-0a1b2c3d4e")[0].0,
            ValueKind::VpcEndpoint
        );
        assert_eq!(
            pieces(Slot::Condition("aws:SourceIp"), "198.51.100.0/24")[0].0,
            ValueKind::IpAddress
        );
    }
}
