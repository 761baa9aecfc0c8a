//! Shape checks of `Resource` ARN patterns (§3.7) and `Principal` values (§3.5, §5).
//!
//! These checks know ARN syntax but no service catalog: they flag what is malformed for every
//! service (prefix, partition, field count, account, IAM resource-type wildcards), never whether a
//! resource type exists.

use super::finding::Severity;
use super::model::PrincipalKind;
use super::variables::mentions_variable;
use super::FindingCode;

/// The partitions AWS has published (`arn:<partition>:…`).
pub(super) const PARTITIONS: [&str; 8] = [
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// One problem found in a value: severity, stable code and message.
pub(super) type Problem = (Severity, FindingCode, String);

fn error(code: FindingCode, message: String) -> Problem {
    (Severity::Error, code, message)
}

/// Splits an ARN on its first five colons, ignoring colons inside `${…}` (variables such as
/// `${aws:username}` contain one). Returns fewer than six fields when there are fewer colons.
pub(super) fn split_arn(text: &str) -> Vec<&str> {
    let mut fields = Vec::with_capacity(6);
    let mut start = 0;
    let mut in_var = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() && fields.len() < 5 {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => in_var = true,
            b'}' => in_var = false,
            b':' if !in_var => {
                fields.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    fields.push(&text[start..]);
    fields
}

fn has_wildcard(s: &str) -> bool {
    s.contains(['*', '?'])
}

/// Glob match with `*` and `?` (for short fields only: partitions, account ids).
pub(super) fn glob_matches(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

fn partition_ok(field: &str) -> bool {
    if has_wildcard(field) {
        PARTITIONS.iter().any(|p| glob_matches(field, p))
    } else {
        PARTITIONS.contains(&field)
    }
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Checks a `Resource`/`NotResource` entry (§3.7, §8-Q24). Variables are checked elsewhere; a
/// field holding one is not judged here.
pub(super) fn check_resource(pattern: &str) -> Vec<Problem> {
    let mut out = Vec::new();
    if pattern == "*" {
        return out;
    }
    if !pattern.starts_with("arn:") {
        let hint = if pattern.to_ascii_lowercase().starts_with("arn:") {
            " ('arn' is lower case)"
        } else {
            ""
        };
        out.push(error(
            FindingCode::InvalidArnPrefix,
            format!("resource '{pattern}' must be \"*\" or an ARN starting with 'arn:'{hint}"),
        ));
        return out;
    }
    let mut fields = split_arn(pattern);
    // A `*` that ends the last field written may run on past the colons
    // (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html>):
    // `arn:aws:sqs:*` is judged as `arn:aws:sqs:*:*:*`.
    if fields.len() < 6 && fields.last().is_some_and(|f| f.ends_with('*')) {
        fields.resize(6, "*");
    }
    if fields.len() < 6 {
        out.push(error(
            FindingCode::ArnTooShort,
            format!(
                "resource '{pattern}' has {} colon-separated fields; an ARN has at least six \
                 (arn:partition:service:region:account:resource). It matches nothing",
                fields.len()
            ),
        ));
        return out;
    }
    let (partition, service, region, account, resource) =
        (fields[1], fields[2], fields[3], fields[4], fields[5]);
    if !mentions_variable(partition) && !partition_ok(partition) {
        out.push(error(
            FindingCode::InvalidArnPartition,
            format!(
                "'{partition}' in '{pattern}' is not an AWS partition ({})",
                PARTITIONS.join(", ")
            ),
        ));
    }
    let service_chars_ok = service
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-*?".contains(&b));
    if !mentions_variable(service) {
        if service.is_empty() || !service_chars_ok {
            out.push(error(
                FindingCode::InvalidArnService,
                format!(
                    "'{service}' in '{pattern}' is not a service namespace (lower-case letters, \
                     digits and '-')"
                ),
            ));
        } else if has_wildcard(service) {
            out.push((
                Severity::Suggestion,
                FindingCode::WildcardInServiceName,
                format!(
                    "the service field '{service}' of '{pattern}' contains a wildcard, which may \
                     reach services with similar names; the Resource reference says not to use one"
                ),
            ));
        }
    }
    let region_ok = region
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-*?".contains(&b));
    if !mentions_variable(region) && !region_ok {
        out.push(error(
            FindingCode::InvalidArnRegion,
            format!("'{region}' in '{pattern}' is not a region code such as us-east-1"),
        ));
    }
    let account_ok = account.is_empty()
        || account == "aws"
        || is_account_id(account)
        || (has_wildcard(account)
            && account
                .bytes()
                .all(|b| b.is_ascii_digit() || b"*?".contains(&b)));
    if !mentions_variable(account) && !account_ok {
        out.push(error(
            FindingCode::InvalidArnAccount,
            format!(
                "'{account}' in '{pattern}' is not an account ID: use 12 digits, a wildcard, or \
                 leave the field empty"
            ),
        ));
    }
    if resource.is_empty() {
        out.push(error(
            FindingCode::InvalidArnResource,
            format!("'{pattern}' has an empty resource part after the fifth colon"),
        ));
    } else if service == "iam" {
        let token = resource.split('/').next().unwrap_or(resource);
        if token != "*" && has_wildcard(token) && !mentions_variable(token) {
            out.push(error(
                FindingCode::IamResourceTypeWildcard,
                format!(
                    "the IAM resource type '{token}' in '{pattern}' contains a wildcard; write the \
                     type in full (user/, role/, policy/…) and put wildcards after the '/'"
                ),
            ));
        }
    }
    out
}

/// Checks one principal value of the given kind (§3.5). `"*"` as the whole value is fine
/// everywhere; variables are reported by the caller.
pub(super) fn check_principal(kind: PrincipalKind, value: &str) -> Option<Problem> {
    if value == "*" || mentions_variable(value) {
        return None;
    }
    if has_wildcard(value) {
        return Some(error(
            FindingCode::PrincipalPartialWildcard,
            format!(
                "principal '{value}' contains a wildcard; wildcards cannot match part of a \
                 principal: use \"*\" alone and narrow it with a condition such as \
                 aws:PrincipalArn (ArnLike)"
            ),
        ));
    }
    let invalid = |why: String| Some(error(FindingCode::InvalidPrincipal, why));
    match kind {
        PrincipalKind::Any => None,
        PrincipalKind::Aws => {
            if value.bytes().all(|b| b.is_ascii_digit()) {
                return if value.len() == 12 {
                    None
                } else {
                    invalid(format!(
                        "'{value}' is not an account ID: account IDs have exactly 12 digits"
                    ))
                };
            }
            if value.starts_with("arn:") {
                return check_principal_arn(value)
                    .map(|why| error(FindingCode::InvalidPrincipal, why));
            }
            let unique_id = value.len() >= 16
                && value.len() <= 128
                && value.starts_with('A')
                && value
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
            if unique_id {
                None
            } else {
                invalid(format!(
                    "'{value}' is not an AWS principal: use \"*\", a 12-digit account ID, a user, \
                     role, assumed-role or federated-user ARN, or a unique ID (AIDA…, AROA…)"
                ))
            }
        }
        PrincipalKind::Service => {
            if value.contains('.') && !value.chars().any(char::is_whitespace) {
                None
            } else {
                invalid(format!(
                    "'{value}' is not a service principal such as ec2.amazonaws.com"
                ))
            }
        }
        PrincipalKind::Federated => {
            if value.starts_with("arn:") {
                let f = split_arn(value);
                let ok = f.len() == 6
                    && PARTITIONS.contains(&f[1])
                    && f[2] == "iam"
                    && f[3].is_empty()
                    && is_account_id(f[4])
                    && (f[5].starts_with("saml-provider/") || f[5].starts_with("oidc-provider/"));
                if ok {
                    None
                } else {
                    invalid(format!(
                        "'{value}' is not a SAML or OIDC provider ARN \
                         (arn:aws:iam::123456789012:saml-provider/Name or …:oidc-provider/host)"
                    ))
                }
            } else if value.contains('.') && !value.chars().any(char::is_whitespace) {
                None
            } else {
                invalid(format!(
                    "'{value}' is not a federated principal: use a provider ARN or a built-in \
                     provider such as cognito-identity.amazonaws.com"
                ))
            }
        }
        PrincipalKind::CanonicalUser => {
            if value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
                None
            } else {
                invalid(format!(
                    "'{value}' is not a canonical user ID (64 hexadecimal characters)"
                ))
            }
        }
    }
}

/// Why an ARN in `{"AWS": …}` is not a principal ARN (§5.2), or `None` when it is one.
fn check_principal_arn(value: &str) -> Option<String> {
    let f = split_arn(value);
    if f.len() < 6 {
        return Some(format!("'{value}' is not a complete ARN"));
    }
    if !PARTITIONS.contains(&f[1]) {
        return Some(format!("'{}' in '{value}' is not an AWS partition", f[1]));
    }
    if !f[3].is_empty() {
        return Some(format!(
            "'{value}' names a region; IAM and STS principal ARNs have an empty region field"
        ));
    }
    if !is_account_id(f[4]) {
        return Some(format!(
            "'{}' in '{value}' is not a 12-digit account ID",
            f[4]
        ));
    }
    let resource = f[5];
    let named = |prefix: &str| {
        resource
            .strip_prefix(prefix)
            .is_some_and(|rest| !rest.is_empty() && !rest.ends_with('/'))
    };
    match f[2] {
        "iam" => {
            if resource == "root" || named("user/") || named("role/") {
                None
            } else if resource.starts_with("group/") {
                Some(format!(
                    "'{value}' is an IAM group; groups cannot be principals (name the users, or \
                     grant the group an identity-based policy)"
                ))
            } else if resource.starts_with("instance-profile/") {
                Some(format!(
                    "'{value}' is an instance profile; name its role instead"
                ))
            } else {
                Some(format!(
                    "'{value}' is not a principal: IAM principal ARNs end in :root, :user/… or :role/…"
                ))
            }
        }
        "sts" => {
            let session = resource
                .strip_prefix("assumed-role/")
                .and_then(|r| r.split_once('/'))
                .is_some_and(|(role, s)| !role.is_empty() && !s.is_empty() && !s.contains('/'));
            if session || named("federated-user/") {
                None
            } else {
                Some(format!(
                    "'{value}' is not a session principal: use …:assumed-role/ROLE/SESSION or \
                     …:federated-user/NAME"
                ))
            }
        }
        other => Some(format!(
            "'{value}' is a '{other}' ARN; principals are IAM (user, role, root) or STS \
             (assumed-role, federated-user) ARNs"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(p: &str) -> Vec<&'static str> {
        check_resource(p)
            .into_iter()
            .map(|(_, c, _)| c.as_str())
            .collect()
    }

    #[test]
    fn split_ignores_colons_in_variables() {
        assert_eq!(
            split_arn("arn:aws:iam::${aws:PrincipalAccount}:user/x:y"),
            [
                "arn",
                "aws",
                "iam",
                "",
                "${aws:PrincipalAccount}",
                "user/x:y"
            ]
        );
        assert_eq!(split_arn("arn:aws:s3"), ["arn", "aws", "s3"]);
    }

    #[test]
    fn good_resource_patterns_pass() {
        for p in [
            "*",
            "arn:aws:s3:::bucket/*",
            "arn:aws-cn:ec2:cn-north-1:123456789012:instance/*",
            "arn:*:iam::123456789012:user/division_abc*",
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:iam::123456789012:*",
            "arn:aws:sqs:*:1234567890??:queue",
            "arn:aws:s3:::b/${aws:username}/*",
            "arn:aws:dynamodb:us-east-1:123456789012:table/t/index/*",
        ] {
            assert_eq!(codes(p), Vec::<&str>::new(), "{p}");
        }
    }

    #[test]
    fn malformed_resource_patterns_are_named() {
        assert_eq!(codes("bucket/*"), ["invalid-arn-prefix"]);
        assert_eq!(codes("ARN:aws:s3:::b"), ["invalid-arn-prefix"]);
        assert_eq!(codes("arn:aws:s3:::"), ["invalid-arn-resource"]);
        assert_eq!(codes("arn:aws:s3::b"), ["arn-too-short"]);
        // A trailing `*` runs on past the colons: not too short.
        assert_eq!(codes("arn:aws:sqs:*"), Vec::<&str>::new());
        assert_eq!(codes("arn:aws:sqs:us-east-1:*"), Vec::<&str>::new());
        assert_eq!(codes("arn:aws:SQS:*"), ["invalid-arn-service"]);
        assert_eq!(codes("arn:amazon:s3:::b"), ["invalid-arn-partition"]);
        assert_eq!(codes("arn:aws:S3:::b"), ["invalid-arn-service"]);
        assert_eq!(codes("arn:aws:s3*:::b"), ["wildcard-in-service-name"]);
        assert_eq!(codes("arn:aws:ec2:US-EAST-1::b"), ["invalid-arn-region"]);
        assert_eq!(codes("arn:aws:ec2::12345:i/x"), ["invalid-arn-account"]);
        assert_eq!(
            codes("arn:aws:iam::123456789012:u*"),
            ["iam-resource-type-wildcard"]
        );
    }

    #[test]
    fn principal_values() {
        use PrincipalKind::*;
        let code = |k, v| check_principal(k, v).map(|(_, c, _)| c.as_str());
        let canonical = "a1".repeat(32);
        for (k, v) in [
            (Aws, "*"),
            (Aws, "111122223333"),
            (Aws, "arn:aws:iam::111122223333:root"),
            (Aws, "arn:aws:iam::111122223333:role/path/r"),
            (Aws, "arn:aws:sts::111122223333:assumed-role/r/s"),
            (Aws, "arn:aws:sts::111122223333:federated-user/bob"),
            (Aws, "AIDAJQABLZS4A3QDU576Q"),
            (Service, "ec2.amazonaws.com"),
            (Federated, "cognito-identity.amazonaws.com"),
            (Federated, "arn:aws:iam::111122223333:saml-provider/Okta"),
            (CanonicalUser, canonical.as_str()),
        ] {
            assert_eq!(code(k, v), None, "{v}");
        }
        for (k, v, c) in [
            (
                Aws,
                "arn:aws:iam::111122223333:user/*",
                "principal-partial-wildcard",
            ),
            (
                Aws,
                "arn:aws:sts::111122223333:assumed-role/r/*",
                "principal-partial-wildcard",
            ),
            (Aws, "11112222333", "invalid-principal"),
            (
                Aws,
                "arn:aws:iam::111122223333:group/g",
                "invalid-principal",
            ),
            (Aws, "arn:aws:s3:::bucket", "invalid-principal"),
            (Aws, "arn:aws:iam::1111:root", "invalid-principal"),
            (Aws, "bob", "invalid-principal"),
            (Service, "ec2", "invalid-principal"),
            (Service, "*.amazonaws.com", "principal-partial-wildcard"),
            (CanonicalUser, "abc", "invalid-principal"),
            (
                Federated,
                "arn:aws:iam::111122223333:user/x",
                "invalid-principal",
            ),
        ] {
            assert_eq!(code(k, v), Some(c), "{v}");
        }
    }
}
