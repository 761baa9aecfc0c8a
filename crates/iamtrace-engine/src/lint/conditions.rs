//! Condition keys against the catalog: `unknown-condition-key`, `condition-key-not-for-action`,
//! `operator-key-type-mismatch`.
//!
//! Keys are case-insensitive (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html>).
//! Keys of identity providers (`accounts.google.com:aud`, `token.actions.githubusercontent.com:sub`,
//! any OIDC provider URL) are named after the provider, not a service, and are never reported
//! unknown (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif>).

use super::actions::Resolved;
use super::suggest::closest;
use crate::catalog::{Catalog, ConditionKey, ValueType};
use crate::conditions::{Operator, OperatorFamily};
use crate::policy::{ConditionEntry, Finding, Severity, Statement};

pub(super) fn check_conditions(
    cat: &'static Catalog,
    listed: Option<&Resolved>,
    statement: &Statement,
    out: &mut Vec<Finding>,
) {
    for entry in &statement.conditions {
        let key = entry.key.value.as_str();
        if key.is_empty() || key.contains("${") {
            continue;
        }
        let Some((prefix, _)) = key.split_once(':') else {
            unknown(cat, entry, out);
            continue;
        };
        let Some(found) = cat.condition_key(key) else {
            if !prefix.contains(['.', '/']) {
                unknown(cat, entry, out);
            }
            continue;
        };
        type_mismatch(entry, found, out);
        // Global keys may be in any request; keys of identity providers (`saml:sub`,
        // `cognito-identity.amazonaws.com:sub`) are in every request of a federated session.
        let own_service = cat
            .service(prefix)
            .is_some_and(|s| s.condition_key(key).is_some());
        if cat.global_key(key).is_some() || prefix.eq_ignore_ascii_case("aws") || !own_service {
            continue;
        }
        let Some(listed) = listed else {
            continue;
        };
        if listed.everything || listed.incomplete || listed.actions.is_empty() {
            continue;
        }
        if listed.actions.iter().any(|(a, _, _)| a.supports_key(key)) {
            continue;
        }
        let mut names: Vec<String> = listed
            .actions
            .iter()
            .map(|(a, _, _)| a.full_name())
            .collect();
        names.dedup();
        let shown = if names.len() > 3 {
            format!("{} and {} more", names[..3].join(", "), names.len() - 3)
        } else {
            names.join(", ")
        };
        out.push(Finding {
            severity: Severity::Warning,
            code: crate::policy::FindingCode::ConditionKeyNotForAction,
            message: format!(
                "`{key}` is not among the condition keys AWS lists for {shown}: in those requests \
                 the key is absent, so a condition on it never matches (a negated operator or \
                 IfExists always does). \
                 https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html"
            ),
            span: entry.key.span,
        });
    }
}

fn unknown(cat: &Catalog, entry: &ConditionEntry, out: &mut Vec<Finding>) {
    let key = entry.key.value.as_str();
    let prefix = key.split_once(':').map(|(p, _)| p).unwrap_or_default();
    let candidates: Vec<&str> = match cat.service(prefix) {
        Some(s) => s.condition_keys().iter().map(|k| k.name()).collect(),
        None => cat.global_keys().iter().map(|k| k.name()).collect(),
    };
    let hint = match closest(key, candidates.into_iter()) {
        Some(k) => format!(" Did you mean `{k}`?"),
        None => String::new(),
    };
    out.push(Finding {
        severity: Severity::Warning,
        code: crate::policy::FindingCode::UnknownConditionKey,
        message: format!(
            "`{key}` is neither a global condition key nor a key of {}: no request carries it, so \
             a condition on it never matches (a negated operator or IfExists always does).{hint} \
             https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html",
            match cat.service(prefix) {
                Some(s) => format!("the service `{}`", s.prefix()),
                None => "any service".to_string(),
            }
        ),
        span: entry.key.span,
    });
}

/// Which key types an operator family can compare. AWS documents an operator per type
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>);
/// where AWS is silent we accept: string operators on every type but IP addresses (an address
/// never equals a CIDR block as text), ARN operators on strings (many ARN-valued keys are typed
/// String), and numeric operators on dates (`aws:EpochTime` is documented as both).
fn accepts(family: OperatorFamily, value: ValueType) -> bool {
    use OperatorFamily as F;
    use ValueType as V;
    match family {
        F::Null | F::Binary => true,
        F::String => value != V::IpAddress,
        F::Numeric => matches!(value, V::Numeric | V::Date),
        F::Date => value == V::Date,
        F::Bool => value == V::Bool,
        F::Ip => value == V::IpAddress,
        F::Arn => matches!(value, V::Arn | V::String),
    }
}

fn type_mismatch(entry: &ConditionEntry, key: &ConditionKey, out: &mut Vec<Finding>) {
    let Ok(op) = Operator::parse(&entry.operator.value) else {
        return;
    };
    let family = op.base.family();
    let value = key.key_type().value;
    if accepts(family, value) {
        return;
    }
    let use_instead = match value {
        ValueType::String => "a String operator (StringEquals, StringLike…)",
        ValueType::Arn => "an ARN operator (ArnEquals, ArnLike…)",
        ValueType::Bool => "Bool",
        ValueType::Numeric => "a Numeric operator (NumericEquals, NumericLessThan…)",
        ValueType::Date => "a Date operator (DateGreaterThan, DateLessThan…)",
        ValueType::IpAddress => "IpAddress or NotIpAddress",
        ValueType::Binary => "BinaryEquals",
    };
    out.push(Finding {
        severity: Severity::Warning,
        code: crate::policy::FindingCode::OperatorKeyTypeMismatch,
        message: format!(
            "`{}` compares {} values, but `{}` is of type {}; use {use_instead}. \
             https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html",
            entry.operator.value,
            family_name(family),
            entry.key.value,
            key.key_type().aws_name()
        ),
        span: entry.operator.span,
    });
}

fn family_name(f: OperatorFamily) -> &'static str {
    match f {
        OperatorFamily::String => "string",
        OperatorFamily::Numeric => "numeric",
        OperatorFamily::Date => "date",
        OperatorFamily::Bool => "Boolean",
        OperatorFamily::Binary => "binary",
        OperatorFamily::Ip => "IP address",
        OperatorFamily::Arn => "ARN",
        OperatorFamily::Null => "any",
    }
}
