//! Which context values a request can be made to carry, what that means for the user, and the
//! values worth trying for a condition.
//!
//! AWS sets every context key from the request itself (AWS global condition context keys page):
//! some describe how the caller sends it (through a VPC endpoint, with MFA, over TLS, with request
//! tags or service parameters) or what the caller and resource carry (tags), and those the user
//! can change. Others describe who the caller is or where the request came from (`aws:PrincipalArn`,
//! `aws:SourceIp`, `aws:PrincipalOrgID`, the time): a fix never invents them.

use crate::explain::ConditionTrace;
use serde_json::Value;

/// Keys a request never gains by sending it differently: AWS derives them from the caller, the
/// network path, the organization or the clock. (Lower case.)
const NOT_THE_CALLERS: [&str; 30] = [
    "aws:principalarn",
    "aws:principalaccount",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principaltype",
    "aws:principalisawsservice",
    "aws:principalservicename",
    "aws:principalservicenameslist",
    "aws:userid",
    "aws:username",
    "aws:resourceaccount",
    "aws:resourceorgid",
    "aws:resourceorgpaths",
    "aws:sourceip",
    "aws:vpcsourceip",
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:calledvia",
    "aws:calledviafirst",
    "aws:calledvialast",
    "aws:viaawsservice",
    "aws:federatedprovider",
    "aws:tokenissuetime",
    "aws:currenttime",
    "aws:epochtime",
    "aws:useragent",
    "aws:referer",
    "kms:calleraccount",
];

/// Keys the caller controls even when the request already carries them: signing in with MFA,
/// sending over TLS. (Lower case.)
const CHANGEABLE_WHEN_PRESENT: [&str; 3] = [
    "aws:multifactorauthpresent",
    "aws:multifactorauthage",
    "aws:securetransport",
];

/// Whether a fix may give the request this key (absent from it, or `present` with another value).
pub(super) fn can_add(key: &str, present: bool) -> bool {
    let k = key.to_ascii_lowercase();
    if present {
        return CHANGEABLE_WHEN_PRESENT.contains(&k.as_str());
    }
    k.contains(':') && !NOT_THE_CALLERS.contains(&k.as_str())
}

/// What giving the key means, for the summary: "send the request through VPC endpoint vpce-1a2b".
pub(super) fn meaning(key: &str, value: &str) -> String {
    let k = key.to_ascii_lowercase();
    if k == "aws:sourcevpce" {
        format!("send the request through VPC endpoint {value} (aws:SourceVpce)")
    } else if k == "aws:sourcevpc" {
        format!("send the request through a VPC endpoint in {value} (aws:SourceVpc)")
    } else if k == "aws:multifactorauthpresent" {
        "sign in with MFA (aws:MultiFactorAuthPresent true); a role session needs MFA when the role is assumed".into()
    } else if k == "aws:multifactorauthage" {
        format!("use credentials whose MFA sign-in is recent enough (aws:MultiFactorAuthAge {value} seconds)")
    } else if k == "aws:securetransport" {
        "send the request over TLS (HTTPS; aws:SecureTransport true)".into()
    } else if let Some(tag) = k.strip_prefix("aws:principaltag/") {
        format!("tag the calling user or role with {tag} = {value} ({key})")
    } else if k.contains(":resourcetag/") {
        format!(
            "tag the resource with {} = {value} ({key})",
            after_slash(key)
        )
    } else if k.starts_with("aws:requesttag/") {
        format!(
            "tag the request with {} = {value} ({key})",
            after_slash(key)
        )
    } else if k == "aws:tagkeys" {
        format!("send the request with the tag key {value} (aws:TagKeys)")
    } else if k == "aws:requestedregion" {
        format!("send the request to Region {value} (aws:RequestedRegion)")
    } else {
        format!("send the request with {key} = {value}")
    }
}

fn after_slash(key: &str) -> &str {
    key.split_once('/').map(|(_, t)| t).unwrap_or(key)
}

/// Values worth trying for the condition's key: the policy's own values made concrete (a `Like`
/// pattern with its wildcards filled, an address from a CIDR range, a number on either side of a
/// bound, both booleans). Verification decides which works.
pub(super) fn values_to_try(c: &ConditionTrace) -> Vec<Value> {
    let op = c
        .operator
        .trim_start_matches("ForAllValues:")
        .trim_start_matches("ForAnyValue:");
    let op = op.strip_suffix("IfExists").unwrap_or(op);
    let multi = c.operator.starts_with("For") || c.key.eq_ignore_ascii_case("aws:TagKeys");
    let texts: Vec<&str> = c
        .values
        .iter()
        .map(|v| v.substituted.as_deref().unwrap_or(&v.text))
        .filter(|t| !t.contains("${"))
        .collect();
    let mut out: Vec<Value> = Vec::new();
    let mut push = |v: Value| {
        let v = if multi { Value::Array(vec![v]) } else { v };
        if !out.contains(&v) {
            out.push(v);
        }
    };
    if op == "Bool" {
        push(Value::Bool(true));
        push(Value::Bool(false));
    } else if op == "Null" {
        // `Null` tests presence: no value to give.
    } else if op.starts_with("Numeric") {
        for t in &texts {
            if let Ok(n) = t.parse::<i64>() {
                for v in [n.saturating_sub(1), n, n.saturating_add(1)] {
                    if v >= 0 {
                        push(Value::from(v));
                    }
                }
            }
        }
    } else if op.ends_with("IpAddress") {
        for t in &texts {
            let addr = t.split('/').next().unwrap_or(t);
            push(Value::String(addr.to_string()));
        }
    } else {
        for t in &texts {
            let concrete: String = t
                .chars()
                .filter_map(|ch| match ch {
                    '*' => None,
                    '?' => Some('x'),
                    other => Some(other),
                })
                .collect();
            if !concrete.is_empty() {
                push(Value::String(concrete));
            }
        }
    }
    out.truncate(4);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_the_caller_is_is_never_added() {
        assert!(!can_add("aws:PrincipalArn", false));
        assert!(!can_add("aws:SourceIp", false));
        assert!(can_add("aws:SourceVpce", false));
        assert!(!can_add("aws:SourceVpce", true));
        assert!(can_add("aws:MultiFactorAuthPresent", true));
        assert!(can_add("s3:x-amz-server-side-encryption", false));
    }
}
