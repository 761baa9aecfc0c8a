//! The AccessDenied text AWS prints (rules §6.1, §6.2, §6.5) and when AWS prints only a
//! generic `Access Denied` instead (§6.4).

use crate::decision::Layer;
use crate::request::{Caller, Request};

/// What STS answers when a root user calls `AssumeRole` (observed in AWS responses; AWS names no
/// policy type, §1.9).
pub const ROOT_CANNOT_ASSUME_ROLE: &str = "Roles may not be assumed by root accounts.";

/// The facts the message is made of.
#[derive(Debug, Clone, Copy)]
pub struct Denial<'a> {
    /// The ARN the caller signed as (a role *session* ARN for assumed roles, §6.1).
    pub caller_arn: &'a str,
    /// `service:Action` as the request gave it (AWS does not normalise it, §6.2).
    pub action: &'a str,
    pub resource: &'a str,
    /// Lower-cased service prefix (`s3` quotes the resource, §6.1).
    pub service: &'a str,
    pub layer: Layer,
    pub explicit: bool,
    /// The resource-based policy is a role trust policy (`sts:AssumeRole*`), which has its own
    /// phrases (§6.2).
    pub trust_policy: bool,
    /// The ARN of the denying policy, printed after the reason for the policy types AWS covers
    /// (§6.5). Only used for explicit denies.
    pub policy_arn: Option<&'a str>,
}

/// The policy type as the reason names it, with its article for the explicit form.
fn article_and_name(layer: Layer, trust_policy: bool) -> (&'static str, &'static str) {
    match layer {
        Layer::Identity => ("an", "identity-based policy"),
        Layer::Resource if trust_policy => ("the", "role trust policy"),
        Layer::Resource => ("a", "resource-based policy"),
        Layer::PermissionsBoundary => ("a", "permissions boundary"),
        Layer::Session => ("a", "session policy"),
        Layer::Scp => ("a", "service control policy"),
        Layer::Rcp => ("a", "resource control policy"),
        Layer::VpcEndpoint => ("a", "VPC endpoint policy"),
    }
}

/// The reason phrase of §6.2, with the policy ARN suffix of §6.5 where AWS prints one.
pub fn reason(d: &Denial) -> String {
    let (article, name) = article_and_name(d.layer, d.trust_policy);
    if d.explicit {
        let suffix = match (d.policy_arn, d.layer) {
            // §6.5: SCPs, RCPs, boundaries, session and identity policies; not resource-based
            // or VPC endpoint policies.
            (
                Some(arn),
                Layer::Scp
                | Layer::Rcp
                | Layer::PermissionsBoundary
                | Layer::Session
                | Layer::Identity,
            ) if !arn.is_empty() => format!(": {arn}"),
            _ => String::new(),
        };
        format!("with an explicit deny in {article} {name}{suffix}")
    } else {
        format!("because no {name} allows the {} action", d.action)
    }
}

/// The whole enhanced message:
/// `User: <caller ARN> is not authorized to perform: <action> on resource: <resource> <reason>`.
///
/// S3 quotes the resource (§6.1). A request on `*` has no resource to name, so the
/// `on resource:` part is left out, as in AWS's examples for actions without resource-level
/// permissions (§6.1).
pub fn access_denied(d: &Denial) -> String {
    let resource = if d.resource == "*" || d.resource.is_empty() {
        String::new()
    } else if d.service == "s3" {
        format!(" on resource: \"{}\"", d.resource)
    } else {
        format!(" on resource: {}", d.resource)
    };
    format!(
        "User: {} is not authorized to perform: {}{resource} {}",
        d.caller_arn,
        d.action,
        reason(d)
    )
}

/// When AWS would print only a generic `Access Denied` instead of the enhanced text (§6.4), why.
pub fn generic_message_note(request: &Request, layer: Layer) -> Option<String> {
    if request.service() != "s3" {
        return None;
    }
    if matches!(request.caller, Caller::Anonymous) {
        return Some("S3 answers an anonymous request with a generic \"Access Denied\": the enhanced text is only for same-account and same-organization callers (§6.4)".into());
    }
    if request.is_cross_account() {
        let org = |k: &str| {
            request
                .context
                .get(k)
                .and_then(|v| v.values().first().map(|s| s.to_string()))
        };
        match (org("aws:PrincipalOrgID"), org("aws:ResourceOrgID")) {
            (Some(a), Some(b)) if a == b => {}
            (Some(_), Some(_)) => {
                return Some("the caller's organization differs from the bucket owner's: S3 prints only a generic \"Access Denied\" (§6.4)".into())
            }
            _ => {
                return Some("cross-account S3 request: unless caller and bucket owner are in the same organization, S3 prints only a generic \"Access Denied\" (§6.4)".into())
            }
        }
    }
    if layer == Layer::VpcEndpoint {
        return Some("S3 does not return the enhanced text for VPC endpoint policy denials: it prints a generic \"Access Denied\" (§6.4)".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn denial(layer: Layer, explicit: bool) -> Denial<'static> {
        Denial {
            caller_arn: "arn:aws:iam::123456789012:user/carlos",
            action: "iam:CreateUser",
            resource: "arn:aws:iam::123456789012:user/new",
            service: "iam",
            layer,
            explicit,
            trust_policy: false,
            policy_arn: None,
        }
    }

    #[test]
    fn explicit_phrases() {
        let cases = [
            (
                Layer::Identity,
                "with an explicit deny in an identity-based policy",
            ),
            (
                Layer::Resource,
                "with an explicit deny in a resource-based policy",
            ),
            (
                Layer::PermissionsBoundary,
                "with an explicit deny in a permissions boundary",
            ),
            (Layer::Session, "with an explicit deny in a session policy"),
            (
                Layer::Scp,
                "with an explicit deny in a service control policy",
            ),
            (
                Layer::Rcp,
                "with an explicit deny in a resource control policy",
            ),
            (
                Layer::VpcEndpoint,
                "with an explicit deny in a VPC endpoint policy",
            ),
        ];
        for (layer, phrase) in cases {
            assert_eq!(reason(&denial(layer, true)), phrase);
        }
    }

    #[test]
    fn implicit_phrases() {
        let cases = [
            (
                Layer::Identity,
                "because no identity-based policy allows the iam:CreateUser action",
            ),
            (
                Layer::Resource,
                "because no resource-based policy allows the iam:CreateUser action",
            ),
            (
                Layer::PermissionsBoundary,
                "because no permissions boundary allows the iam:CreateUser action",
            ),
            (
                Layer::Session,
                "because no session policy allows the iam:CreateUser action",
            ),
            (
                Layer::Scp,
                "because no service control policy allows the iam:CreateUser action",
            ),
            (
                Layer::VpcEndpoint,
                "because no VPC endpoint policy allows the iam:CreateUser action",
            ),
        ];
        for (layer, phrase) in cases {
            assert_eq!(reason(&denial(layer, false)), phrase);
        }
    }

    #[test]
    fn trust_policy_phrases() {
        let mut d = denial(Layer::Resource, false);
        d.trust_policy = true;
        d.action = "sts:AssumeRole";
        assert_eq!(
            reason(&d),
            "because no role trust policy allows the sts:AssumeRole action"
        );
        d.explicit = true;
        assert_eq!(reason(&d), "with an explicit deny in the role trust policy");
    }

    #[test]
    fn whole_message_and_s3_quotes() {
        assert_eq!(
            access_denied(&denial(Layer::Identity, false)),
            "User: arn:aws:iam::123456789012:user/carlos is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/new because no identity-based policy allows the iam:CreateUser action"
        );
        let mut d = denial(Layer::Identity, false);
        d.service = "s3";
        d.action = "s3:GetObject";
        d.resource = "arn:aws:s3:::amzn-s3-demo-bucket1/object-name";
        assert_eq!(
            access_denied(&d),
            "User: arn:aws:iam::123456789012:user/carlos is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::amzn-s3-demo-bucket1/object-name\" because no identity-based policy allows the s3:GetObject action"
        );
        d.resource = "*";
        assert!(access_denied(&d).contains("s3:GetObject because"));
    }

    #[test]
    fn policy_arn_suffix_only_where_aws_prints_it() {
        let arn = "arn:aws:organizations::111111111111:policy/o-abc/service_control_policy/p-123";
        let mut d = denial(Layer::Scp, true);
        d.policy_arn = Some(arn);
        assert_eq!(
            reason(&d),
            format!("with an explicit deny in a service control policy: {arn}")
        );
        d.layer = Layer::Resource;
        assert_eq!(
            reason(&d),
            "with an explicit deny in a resource-based policy"
        );
        d.layer = Layer::VpcEndpoint;
        assert_eq!(reason(&d), "with an explicit deny in a VPC endpoint policy");
        d.layer = Layer::Scp;
        d.explicit = false;
        assert!(!reason(&d).contains(arn));
    }
}
