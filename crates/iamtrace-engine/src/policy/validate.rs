//! Validation of a parsed policy against its policy type (§3.4) and the checks of §3.15 that
//! need no action catalog.
//!
//! Each check reports a [`FindingCode`](super::FindingCode): the enum is the one list of codes,
//! with what each means; `docs/engine.md` shows it to users (a test keeps the two equal).

use super::arn_check::{check_principal, check_resource, glob_matches, split_arn};
use super::condition_check::{check_conditions, is_multivalued};
use super::grammar::{Findings, SourceFacts};
use super::model::{Effect, PrincipalKind, Statement};
use super::variables::{mentions_variable, scan};
use super::FindingCode;
use super::{Policy, PolicyType, PolicyVersion, Severity};

/// Adds the validation findings for `policy` read as `policy_type`.
pub(super) fn validate(
    policy: &Policy,
    facts: &SourceFacts,
    policy_type: PolicyType,
    out: &mut Findings,
) {
    check_document(policy, facts, policy_type, out);
    for st in &policy.statements {
        check_principal_rules(st, policy_type, out);
        if policy_type == PolicyType::TrustPolicy {
            check_federated_actions(st, out);
        }
        check_action(st, policy_type, out);
        check_resource_rules(st, policy, policy_type, out);
        check_conditions(st, policy.variables_enabled(), out);
    }
}

fn is_iam_type(t: PolicyType) -> bool {
    matches!(
        t,
        PolicyType::Identity
            | PolicyType::PermissionsBoundary
            | PolicyType::Session
            | PolicyType::TrustPolicy
    )
}

fn check_document(policy: &Policy, facts: &SourceFacts, t: PolicyType, out: &mut Findings) {
    let org = matches!(t, PolicyType::Scp | PolicyType::Rcp);
    match &policy.version_text {
        None if org => out.error(
            FindingCode::VersionRequired,
            policy.span,
            format!(
                "a {} must contain \"Version\": \"2012-10-17\"",
                t.aws_name()
            ),
        ),
        None => out.push(
            Severity::Warning,
            FindingCode::MissingVersion,
            policy.span,
            "the policy has no Version, so AWS reads it with the 2008-10-17 rules: policy \
             variables such as ${aws:username} are literal text. Add \"Version\": \"2012-10-17\""
                .to_string(),
        ),
        Some(v) if org && v.value == "2008-10-17" => out.error(
            FindingCode::VersionRequired,
            v.span,
            format!("a {} must use \"Version\": \"2012-10-17\"", t.aws_name()),
        ),
        Some(_) => {}
    }
    if let Some(span) = facts.version_after_statement {
        out.push(
            Severity::Suggestion,
            FindingCode::VersionAfterStatement,
            span,
            "Version comes after Statement; the grammar allows any order, but IAM has been seen \
             rejecting such policies (\"failed legacy parsing\"), so put Version first"
                .to_string(),
        );
    }
    if let Some(id) = &policy.id {
        if matches!(
            t,
            PolicyType::Identity | PolicyType::PermissionsBoundary | PolicyType::Session
        ) {
            out.error(
                FindingCode::IdNotAllowed,
                id.span,
                format!(
                    "Id is not allowed in a {}; it is for resource-based policies",
                    t.aws_name()
                ),
            );
        }
    }
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for st in &policy.statements {
        let Some(sid) = &st.sid else { continue };
        if is_iam_type(t) && !sid.value.bytes().all(|b| b.is_ascii_alphanumeric()) {
            out.error(
                FindingCode::InvalidSid,
                sid.span,
                format!(
                    "Sid \"{}\" may contain only letters and digits (A-Z, a-z, 0-9) in a {}",
                    sid.value,
                    t.aws_name()
                ),
            );
        }
        if !sid.value.is_empty() && !seen.insert(sid.value.as_str()) {
            let severity = if matches!(t, PolicyType::Resource | PolicyType::VpcEndpoint) {
                Severity::Warning
            } else {
                Severity::Error
            };
            out.push(
                severity,
                FindingCode::DuplicateSid,
                sid.span,
                format!("Sid \"{}\" is used by more than one statement", sid.value),
            );
        }
    }
}

fn effect(st: &Statement) -> Option<Effect> {
    st.effect.as_ref().map(|e| e.value)
}

/// AWS's managed RCPFullAWSAccess statement: the one `Allow` an RCP may contain (§1.7).
fn is_rcp_full_access(st: &Statement) -> bool {
    let star = |v: &[super::Spanned<String>]| v.len() == 1 && v[0].value == "*";
    effect(st) == Some(Effect::Allow)
        && st.conditions.is_empty()
        && st.principal.as_ref().is_some_and(|p| {
            !p.negated
                && p.entries.len() == 1
                && p.entries[0].kind == PrincipalKind::Any
                && p.entries[0].value.value == "*"
        })
        && st
            .action
            .as_ref()
            .is_some_and(|a| !a.negated && star(&a.patterns))
        && st
            .resource
            .as_ref()
            .is_some_and(|r| !r.negated && star(&r.patterns))
}

fn check_principal_rules(st: &Statement, t: PolicyType, out: &mut Findings) {
    let forbidden = matches!(
        t,
        PolicyType::Identity
            | PolicyType::PermissionsBoundary
            | PolicyType::Session
            | PolicyType::Scp
    );
    let Some(p) = &st.principal else {
        if t.has_principal() {
            out.error(
                FindingCode::MissingPrincipal,
                st.span,
                format!(
                    "{} has no Principal; a {} must name who it applies to{}",
                    st.label(),
                    t.aws_name(),
                    if t == PolicyType::Rcp {
                        " (in an RCP: \"Principal\": \"*\")"
                    } else {
                        ""
                    }
                ),
            );
        }
        return;
    };
    let name = if p.negated {
        "NotPrincipal"
    } else {
        "Principal"
    };
    if forbidden {
        out.error(
            FindingCode::PrincipalNotAllowed,
            p.span,
            format!(
                "{name} is not allowed in a {}: it applies to the identity it is attached to",
                t.aws_name()
            ),
        );
        return;
    }
    if p.negated {
        if matches!(t, PolicyType::TrustPolicy | PolicyType::Rcp) {
            out.error(
                FindingCode::NotPrincipalNotAllowed,
                p.span,
                format!("NotPrincipal is not allowed in a {}", t.aws_name()),
            );
        } else if effect(st) == Some(Effect::Allow) {
            out.push(
                Severity::SecurityWarning,
                FindingCode::AllowWithNotPrincipal,
                p.span,
                "Allow with NotPrincipal grants access to everyone not listed, possibly \
                 including anonymous callers; AWS does not support it in most resource policies. \
                 Use \"Principal\": \"*\" with a condition on aws:PrincipalArn"
                    .to_string(),
            );
        }
    }
    if t == PolicyType::Rcp {
        if let Some(e) = p.entries.iter().find(|e| e.kind != PrincipalKind::Any) {
            out.error(
                FindingCode::RcpPrincipalNotStar,
                e.value.span,
                "an RCP's Principal must be exactly \"*\"; scope principals with conditions such \
                 as aws:PrincipalOrgID or aws:PrincipalIsAWSService"
                    .to_string(),
            );
        }
    }
    for e in &p.entries {
        if e.kind == PrincipalKind::Any && e.value.value == "*" && t == PolicyType::TrustPolicy {
            out.error(
                FindingCode::TrustWildcardPrincipal,
                e.value.span,
                "a role trust policy may not use \"Principal\": \"*\"; name the accounts, roles, \
                 services or providers that may assume the role"
                    .to_string(),
            );
        }
        if mentions_variable(&e.value.value) {
            out.error(
                FindingCode::PolicyVariableNotAllowed,
                e.value.span,
                format!(
                    "principal '{}' contains a policy variable; variables are not allowed in \
                     {name}",
                    e.value.value
                ),
            );
        } else if let Some((severity, code, message)) = check_principal(e.kind, &e.value.value) {
            out.push(severity, code, e.value.span, message);
        }
    }
}

fn check_action(st: &Statement, t: PolicyType, out: &mut Findings) {
    let Some(a) = &st.action else { return };
    let name = if a.negated { "NotAction" } else { "Action" };
    let rcp_full = t == PolicyType::Rcp && is_rcp_full_access(st);
    if t == PolicyType::Rcp {
        if a.negated {
            out.error(
                FindingCode::RcpNotAction,
                a.span,
                "NotAction is not supported in resource control policies; list the actions to deny"
                    .to_string(),
            );
        }
        if let Some(e) = &st.effect {
            if e.value == Effect::Allow && !rcp_full {
                out.error(
                    FindingCode::RcpAllow,
                    e.span,
                    "customer RCPs may only Deny; Allow is supported only in the AWS managed \
                     RCPFullAWSAccess policy"
                        .to_string(),
                );
            }
        }
    }
    if a.negated && effect(st) == Some(Effect::Allow) && t != PolicyType::Scp {
        out.push(
            Severity::SecurityWarning,
            FindingCode::AllowWithNotAction,
            a.span,
            "Allow with NotAction allows every action not listed, including actions of \
             services added later; list the allowed actions instead"
                .to_string(),
        );
    }
    for p in &a.patterns {
        let v = p.value.as_str();
        if mentions_variable(v) {
            out.error(
                FindingCode::PolicyVariableNotAllowed,
                p.span,
                format!(
                    "action '{v}' contains a policy variable; variables are not allowed in {name}"
                ),
            );
            continue;
        }
        if v == "*" {
            if t == PolicyType::Rcp && !rcp_full {
                out.error(
                    FindingCode::RcpActionWildcard,
                    p.span,
                    "a customer RCP may not use \"*\" alone as its Action; name the services' \
                     actions (wildcards inside a name such as s3:* are fine)"
                        .to_string(),
                );
            }
            continue;
        }
        let well_formed = v.split_once(':').is_some_and(|(service, action)| {
            !service.is_empty()
                && !action.is_empty()
                && service
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-*?".contains(&b))
                && action
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_*?".contains(&b))
        });
        if !well_formed {
            out.error(
                FindingCode::InvalidAction,
                p.span,
                format!(
                    "'{v}' is not an action: write \"*\" or service:ActionName, e.g. s3:GetObject"
                ),
            );
        } else if v.split(':').next().is_some_and(|s| s.contains(['*', '?'])) {
            out.push(
                Severity::Suggestion,
                FindingCode::WildcardInServiceName,
                p.span,
                format!(
                    "the service prefix of '{v}' contains a wildcard and may match services with \
                     similar names; spell the service out"
                ),
            );
        }
    }
}

fn check_resource_rules(st: &Statement, policy: &Policy, t: PolicyType, out: &mut Findings) {
    let Some(r) = &st.resource else {
        if matches!(
            t,
            PolicyType::Identity
                | PolicyType::PermissionsBoundary
                | PolicyType::Session
                | PolicyType::Rcp
        ) {
            out.error(
                FindingCode::MissingResource,
                st.span,
                format!(
                    "{} has neither Resource nor NotResource, which a {} requires",
                    st.label(),
                    t.aws_name()
                ),
            );
        }
        return;
    };
    let name = if r.negated { "NotResource" } else { "Resource" };
    if t == PolicyType::TrustPolicy {
        out.error(
            FindingCode::ResourceNotAllowed,
            r.span,
            format!(
                "{name} is not allowed in a role trust policy: the resource is the role itself"
            ),
        );
        return;
    }
    if r.negated && effect(st) == Some(Effect::Allow) && t != PolicyType::Scp {
        out.push(
            Severity::SecurityWarning,
            FindingCode::AllowWithNotResource,
            r.span,
            "Allow with NotResource allows the actions on every resource not listed, including \
             resources created later; list the allowed resources instead"
                .to_string(),
        );
    }
    for p in &r.patterns {
        let v = p.value.as_str();
        if mentions_variable(v) {
            if policy.version != PolicyVersion::V2012_10_17 {
                out.push(
                    Severity::Warning,
                    FindingCode::PolicyVariableInOldVersion,
                    p.span,
                    format!(
                        "'{v}' looks like it uses a policy variable, but variables need \
                         \"Version\": \"2012-10-17\"; here '${{…}}' is literal text"
                    ),
                );
            } else {
                let fields = split_arn(v);
                if fields.len() >= 6 && fields[..5].iter().any(|f| mentions_variable(f)) {
                    out.error(
                        FindingCode::PolicyVariableNotAllowed,
                        p.span,
                        format!(
                            "'{v}' uses a policy variable before the resource part; variables \
                             are allowed only after the fifth colon of an ARN"
                        ),
                    );
                }
                match scan(v) {
                    Err(why) => out.error(FindingCode::InvalidPolicyVariable, p.span, why),
                    Ok(uses) => {
                        for k in uses.iter().filter_map(|u| u.key) {
                            if is_multivalued(k) == Some(true) {
                                out.error(
                                    FindingCode::PolicyVariableMultivaluedKey,
                                    p.span,
                                    format!(
                                        "'${{{k}}}' names a multivalued key; policy variables \
                                         take single-valued keys only"
                                    ),
                                );
                            }
                        }
                    }
                }
            }
        }
        for (severity, code, message) in check_resource(v) {
            out.push(severity, code, p.span, message);
        }
    }
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;

/// Trust policies: a federated principal must be paired with the matching `AssumeRoleWith…` action,
/// and those actions with a federated principal (§2.2, §3.15 "mismatched federated principal").
fn check_federated_actions(st: &Statement, out: &mut Findings) {
    let (Some(p), Some(a)) = (&st.principal, &st.action) else {
        return;
    };
    if p.negated || a.negated || effect(st) != Some(Effect::Allow) {
        return;
    }
    let allows = |action: &str| {
        a.patterns
            .iter()
            .any(|pat| glob_matches(&pat.value.to_ascii_lowercase(), action))
    };
    let is_saml = |v: &str| {
        split_arn(v)
            .get(5)
            .is_some_and(|r| r.starts_with("saml-provider/"))
    };
    let federated = p
        .entries
        .iter()
        .filter(|e| e.kind == PrincipalKind::Federated);
    let has_saml_provider = federated.clone().any(|e| is_saml(&e.value.value));
    let has_web_provider = federated.clone().any(|e| !is_saml(&e.value.value));
    let allows_saml = has_saml_provider && allows("sts:assumerolewithsaml");
    let allows_web = has_web_provider && allows("sts:assumerolewithwebidentity");
    for e in federated {
        let (ok, what) = if is_saml(&e.value.value) {
            (allows_saml, "sts:AssumeRoleWithSAML")
        } else {
            (allows_web, "sts:AssumeRoleWithWebIdentity")
        };
        if !ok {
            out.error(
                FindingCode::FederatedPrincipalActionMismatch,
                e.value.span,
                format!(
                    "federated principal '{}' signs in with {what}, which this statement's Action \
                     does not allow",
                    e.value.value
                ),
            );
        }
    }
    for pat in &a.patterns {
        let v = pat.value.to_ascii_lowercase();
        let (saml, what) = match v.as_str() {
            "sts:assumerolewithsaml" => (true, "a SAML provider"),
            "sts:assumerolewithwebidentity" => (false, "an OIDC or web identity provider"),
            _ => continue,
        };
        let has_provider = if saml {
            has_saml_provider
        } else {
            has_web_provider
        };
        if !has_provider {
            out.error(
                FindingCode::FederatedPrincipalActionMismatch,
                pat.span,
                format!(
                    "'{}' is only ever called by users of {what}, but the statement names no \
                     such Federated principal",
                    pat.value
                ),
            );
        }
    }
}
