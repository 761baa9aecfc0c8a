//! Whether a statement applies to a request (§1.2): principal, action, resource and conditions,
//! explained entry by entry.
//!
//! Each test is three-valued. A statement applies when every test passes; it does not apply when
//! any test fails; otherwise (some test could not be decided: unknown operator, malformed value,
//! missing `Effect`, missing required element) it is `Unknown`, which the policy result counts as
//! not applying while flagging it.

use super::action::action_matches;
use super::arn::{
    is_open_short_pattern, resource_matches_escaped, resource_matches_split, split_arn,
};
use super::principal::{evaluate_principal, ASSUME_NOTPRINCIPAL_ALLOW};
use super::wildcard::{glob_match, has_wildcard, push_pattern, Case};
use crate::conditions::evaluate_condition;
use crate::conditions::variables::ASSUME_LITERAL_SUBSTITUTION;
use crate::conditions::variables::{has_variables, substitute, Substitution};
use crate::explain::{
    Applies, ConditionTrace, ElementTrace, MatchedEntry, PolicyResult, PolicyTrace, PrincipalTrace,
    StatementTrace,
};
use crate::policy::{
    ActionBlock, Effect, Policy, PolicyType, ResourceBlock, Spanned, Statement, Unreadable,
};
use crate::request::Request;
use std::sync::Arc;

/// Assumption recorded when a role trust policy carries a `Resource` element.
pub const ASSUME_TRUST_RESOURCE: &str = "A role trust policy may not contain Resource or \
NotResource (AWS rejects it at save); we evaluate the element as written.";

/// Assumption recorded when a `Resource`/`NotResource` pattern with fewer than six fields (and no
/// trailing `*`) decides a statement.
pub const ASSUME_SHORT_RESOURCE: &str = "AWS does not document this; we assume a Resource or \
NotResource pattern with fewer than six colon-separated fields (and not ending in '*') matches \
nothing, since it cannot name an ARN (arn:partition:service:region:account:resource).";

/// Assumption recorded when a `NotResource` entry holds a variable without a value.
pub const ASSUME_NOTRESOURCE_UNRESOLVED: &str = "AWS does not document this; we assume a \
NotResource entry whose policy variable has no value leaves the statement undecided (AWS's \
policy variables page says a variable it cannot resolve may make the whole statement invalid), \
rather than excluding nothing and so widening the statement.";

/// What evaluating one request against many statements computes once.
struct Prepared<'r> {
    request: &'r Request,
    /// The request's resource split into its six ARN fields.
    resource_fields: Option<[&'r str; 6]>,
    /// The reason shared by every statement whose `Action` does not match.
    no_action: Arc<str>,
    /// The reason shared by every statement whose `Resource` does not match.
    no_resource: Arc<str>,
}

impl<'r> Prepared<'r> {
    fn new(request: &'r Request) -> Self {
        let res = &request.resource;
        let star_note = if res == "*" {
            " (the action is authorized against \"*\", which only the pattern \"*\" matches, §8-Q24)"
        } else {
            ""
        };
        Prepared {
            request,
            resource_fields: split_arn(res),
            no_action: format!("no entry of Action matches {}", request.action).into(),
            no_resource: format!("no entry of Resource matches {res}{star_note}").into(),
        }
    }
}

/// Evaluates one statement of `policy` (a policy of type `policy_type`) against the request.
pub fn evaluate_statement(
    statement: &Statement,
    policy: &Policy,
    policy_type: PolicyType,
    request: &Request,
) -> StatementTrace {
    statement_trace(statement, policy, policy_type, &Prepared::new(request))
}

fn statement_trace(
    statement: &Statement,
    policy: &Policy,
    policy_type: PolicyType,
    prepared: &Prepared<'_>,
) -> StatementTrace {
    let request = prepared.request;
    let mut assumptions = Vec::new();
    let variables = policy.variables_enabled();
    let effect = statement.effect.as_ref().map(|e| e.value);

    let principal = principal_test(statement, effect, policy_type, request, &mut assumptions);
    if effect == Some(Effect::Allow)
        && principal.as_ref().is_some_and(|p| {
            p.element.element == "NotPrincipal" && p.element.passes == Applies::Yes
        })
    {
        assumptions.push(ASSUME_NOTPRINCIPAL_ALLOW.to_string());
    }
    let mut principal = principal;
    if let Some(p) = principal.as_mut() {
        unreadable_is_unknown(&mut p.element, statement.unreadable("Principal"));
    }
    let mut action = match &statement.action {
        Some(block) => action_test(block, prepared),
        None => ElementTrace {
            element: "Action",
            passes: Applies::Unknown,
            matched: None,
            reason: "the statement has neither Action nor NotAction; AWS rejects it (§3.1)".into(),
            span: None,
        },
    };
    unreadable_is_unknown(&mut action, statement.unreadable("Action"));
    let mut resource = match &statement.resource {
        Some(block) => {
            if policy_type == PolicyType::TrustPolicy {
                assumptions.push(ASSUME_TRUST_RESOURCE.to_string());
            }
            let mut noted = Vec::new();
            let trace = resource_test(block, prepared, variables, &mut noted);
            // Said only when the resource test can still decide the statement.
            let decided_elsewhere = action.passes == Applies::No
                || principal
                    .as_ref()
                    .is_some_and(|p| p.element.passes == Applies::No);
            for a in noted {
                let skip = decided_elsewhere && a == ASSUME_SHORT_RESOURCE;
                if !skip && !assumptions.contains(&a) {
                    assumptions.push(a);
                }
            }
            trace
        }
        None => match policy_type {
            PolicyType::Resource | PolicyType::TrustPolicy | PolicyType::VpcEndpoint => {
                ElementTrace {
                    element: "Resource",
                    passes: Applies::Yes,
                    matched: None,
                    reason: format!(
                        "no Resource element: in a {} the statement covers the resource the \
                         policy is attached to (§1.2)",
                        policy_type.aws_name()
                    )
                    .into(),
                    span: None,
                }
            }
            _ => ElementTrace {
                element: "Resource",
                passes: Applies::Unknown,
                matched: None,
                reason: format!(
                    "the statement has neither Resource nor NotResource, which a {} requires; \
                     AWS rejects it (§3.4)",
                    policy_type.aws_name()
                )
                .into(),
                span: None,
            },
        },
    };
    unreadable_is_unknown(&mut resource, statement.unreadable("Resource"));
    // Conditions only matter when the other tests do not already rule the statement out.
    let ruled_out = principal
        .iter()
        .map(|p| p.element.passes)
        .chain([action.passes, resource.passes])
        .any(|t| t == Applies::No);
    let unreadable_condition = statement.unreadable("Condition");
    let conditions: Vec<_> = if ruled_out {
        Vec::new()
    } else {
        let mut traces: Vec<_> = statement
            .conditions
            .iter()
            .map(|c| evaluate_condition(c, variables, &request.context, &mut assumptions))
            .collect();
        traces.extend(unreadable_condition.map(unreadable_condition_trace));
        traces
    };

    let tests = principal
        .iter()
        .map(|p| p.element.passes)
        .chain([action.passes, resource.passes])
        .chain(conditions.iter().map(|c| match c.outcome {
            // The part that could not be read may be what decides: a readable entry that is
            // false does not rule the statement out.
            Applies::No if unreadable_condition.is_some() => Applies::Unknown,
            other => other,
        }))
        .chain([if effect.is_some() {
            Applies::Yes
        } else {
            Applies::Unknown
        }]);
    let mut applies = Applies::Yes;
    for t in tests {
        match t {
            Applies::No => {
                applies = Applies::No;
                break;
            }
            Applies::Unknown => applies = Applies::Unknown,
            Applies::Yes => {}
        }
    }

    StatementTrace {
        index: statement.index,
        sid: statement.sid.as_ref().map(|s| s.value.clone()),
        label: statement.label(),
        effect,
        span: statement.span,
        applies,
        principal,
        action,
        resource,
        conditions_skipped: ruled_out
            && (!statement.conditions.is_empty() || unreadable_condition.is_some()),
        conditions,
        assumptions,
        diagnosis: None,
    }
}

/// An element that could not be read in full cannot be said to match or not to match.
fn unreadable_is_unknown(trace: &mut ElementTrace, part: Option<&Unreadable>) {
    if let Some(part) = part {
        trace.passes = Applies::Unknown;
        trace.reason = format!(
            "{} could not be read in full (see the validation errors; AWS would refuse this \
             policy), so whether it covers the request is unknown",
            part.element
        )
        .into();
        trace.span = Some(part.span);
    }
}

/// The stand-in for a `Condition` element (or part of one) that could not be read: it cannot
/// be evaluated, so the statement is unknown rather than unconditional.
fn unreadable_condition_trace(part: &Unreadable) -> ConditionTrace {
    ConditionTrace {
        operator: "Condition".to_string(),
        operator_span: part.span,
        key: String::new(),
        key_span: part.span,
        values: Vec::new(),
        request_values: None,
        outcome: Applies::Unknown,
        reason: "the Condition element could not be read in full (see the validation errors; \
                 AWS would refuse this policy), so whether the statement's conditions hold is \
                 unknown"
            .to_string(),
        key_missing: false,
    }
}

/// Evaluates every statement of a policy and combines them (`result(S)` of §1.2); statements
/// that cannot be decided count as not applying and set `has_unknown`.
pub fn evaluate_policy(policy: &Policy, policy_type: PolicyType, request: &Request) -> PolicyTrace {
    let prepared = Prepared::new(request);
    let statements: Vec<StatementTrace> = policy
        .statements
        .iter()
        .map(|s| statement_trace(s, policy, policy_type, &prepared))
        .collect();
    let applying = |e: Effect| {
        statements
            .iter()
            .any(|s| s.applies == Applies::Yes && s.effect == Some(e))
    };
    let result = if applying(Effect::Deny) {
        PolicyResult::Deny
    } else if applying(Effect::Allow) {
        PolicyResult::Allow
    } else {
        PolicyResult::NoMatch
    };
    PolicyTrace {
        policy_type,
        result,
        has_unknown: statements.iter().any(|s| s.applies == Applies::Unknown),
        statements,
    }
}

fn principal_test(
    statement: &Statement,
    effect: Option<Effect>,
    policy_type: PolicyType,
    request: &Request,
    assumptions: &mut Vec<String>,
) -> Option<PrincipalTrace> {
    let unknown = |reason: String, span| PrincipalTrace {
        element: ElementTrace {
            element: "Principal",
            passes: Applies::Unknown,
            matched: None,
            reason: reason.into(),
            span,
        },
        grant: None,
    };
    match (&statement.principal, policy_type.has_principal()) {
        (Some(block), true) => Some(evaluate_principal(block, effect, request, assumptions)),
        (None, true) => Some(unknown(
            format!(
                "the statement has no Principal, which a {} requires; AWS rejects it (§3.4)",
                policy_type.aws_name()
            ),
            None,
        )),
        (Some(block), false) => Some(unknown(
            format!(
                "a {} may not contain Principal or NotPrincipal; AWS rejects it (§3.4)",
                policy_type.aws_name()
            ),
            Some(block.span),
        )),
        (None, false) => None,
    }
}

fn entry(index: usize, p: &Spanned<String>, substituted: Option<String>) -> MatchedEntry {
    MatchedEntry {
        index,
        pattern: p.value.clone(),
        substituted,
        span: p.span,
    }
}

fn action_test(block: &ActionBlock, prepared: &Prepared<'_>) -> ElementTrace {
    let action = prepared.request.action.as_str();
    let hit = block
        .patterns
        .iter()
        .enumerate()
        .find(|(_, p)| action_matches(&p.value, action));
    let (element, passes, reason) = match (block.negated, hit) {
        (false, Some((_, p))) => (
            "Action",
            Applies::Yes,
            format!("{action} matches '{}'", p.value).into(),
        ),
        (false, None) if block.patterns.is_empty() => (
            "Action",
            Applies::No,
            Arc::from("Action is empty: the statement covers no action"),
        ),
        (false, None) => ("Action", Applies::No, prepared.no_action.clone()),
        (true, Some((_, p))) => (
            "NotAction",
            Applies::No,
            format!(
                "NotAction lists '{}', which matches {action}: the statement does not cover it",
                p.value
            )
            .into(),
        ),
        // An empty NotAction would cover every action: AWS does not document how it reads one (IAM
        // may refuse the policy), so the statement is not applied either way.
        (true, None) if block.patterns.is_empty() => (
            "NotAction",
            Applies::Unknown,
            Arc::from(
                "NotAction is empty: AWS does not document what it covers (it may refuse the \
                 policy), so whether the statement applies is unknown",
            ),
        ),
        (true, None) => (
            "NotAction",
            Applies::Yes,
            format!("{action} is not listed in NotAction, so the statement covers it").into(),
        ),
    };
    ElementTrace {
        element,
        passes,
        matched: hit.map(|(i, p)| entry(i, p, None)),
        reason,
        span: Some(block.span),
    }
}

/// One `Resource` entry against the request's resource (`resource_fields`: the resource split by
/// [`split_arn`]): `Yes`/`No`/`Unknown`, the substituted pattern, and a note for the trace.
/// The compiled decision path calls it for entries with policy variables.
pub(crate) fn resource_entry(
    pattern: &str,
    negated: bool,
    request: &Request,
    resource_fields: Option<&[&str; 6]>,
    variables: bool,
    assumptions: &mut Vec<String>,
) -> (Applies, Option<String>, Option<String>) {
    let yes_no = |b: bool| if b { Applies::Yes } else { Applies::No };
    if pattern != "*"
        && request.resource != "*"
        && split_arn(pattern).is_none()
        && !is_open_short_pattern(pattern)
        && !assumptions.iter().any(|a| a == ASSUME_SHORT_RESOURCE)
    {
        assumptions.push(ASSUME_SHORT_RESOURCE.to_string());
    }
    if !(variables && has_variables(pattern)) {
        let m = resource_matches_split(pattern, &request.resource, resource_fields);
        return (yes_no(m), None, None);
    }
    // Variables are substituted only in the resource part, after the fifth colon (§3.7, §3.13).
    let Some(fields) = split_arn(pattern) else {
        return (Applies::No, None, None);
    };
    let resource_part = fields[5];
    let prefix = &pattern[..pattern.len() - resource_part.len()];
    // The five fields before the resource part take no variables: compare them first.
    let fields_match = resource_fields.is_some_and(|r| {
        fields[..5]
            .iter()
            .zip(&r[..5])
            .all(|(p, t)| glob_match(p, t, Case::Sensitive))
    });
    // Text before the first variable is a literal (or glob) prefix of the resource part.
    let literal_head = &resource_part[..resource_part.find("${").unwrap_or(0)];
    let head_fails = !has_wildcard(literal_head)
        && resource_fields.is_some_and(|r| !r[5].starts_with(literal_head));
    if !fields_match || head_fails {
        return (Applies::No, None, None);
    }
    match substitute(resource_part, &request.context) {
        Substitution::Resolved {
            plain,
            pattern: escaped,
            literal_wildcards,
        } => {
            if literal_wildcards && !assumptions.iter().any(|a| a == ASSUME_LITERAL_SUBSTITUTION) {
                assumptions.push(ASSUME_LITERAL_SUBSTITUTION.to_string());
            }
            let mut full = String::with_capacity(prefix.len() + escaped.len() + 4);
            push_pattern(&mut full, prefix);
            full.push_str(&escaped);
            let m = resource_matches_escaped(&full, &request.resource);
            (yes_no(m), Some(format!("{prefix}{plain}")), None)
        }
        // "If AWS cannot resolve a variable, this might cause the entire statement to be
        // invalid" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html).
        // In Resource the entry matches nothing; in NotResource "excludes nothing" would widen
        // the statement, so the entry is undecided.
        Substitution::Unresolved { variable, why } if negated => {
            if !assumptions
                .iter()
                .any(|a| a == ASSUME_NOTRESOURCE_UNRESOLVED)
            {
                assumptions.push(ASSUME_NOTRESOURCE_UNRESOLVED.to_string());
            }
            (
                Applies::Unknown,
                None,
                Some(format!(
                    "'{pattern}': {variable} has no value ({why}); AWS may treat the whole \
                     statement as invalid, so whether NotResource excludes the request cannot be \
                     decided"
                )),
            )
        }
        Substitution::Unresolved { variable, why } => (
            Applies::No,
            None,
            Some(format!(
                "'{pattern}': {variable} has no value ({why}), so the entry matches nothing"
            )),
        ),
        Substitution::Malformed(m) => (Applies::Unknown, None, Some(m)),
    }
}

fn resource_test(
    block: &ResourceBlock,
    prepared: &Prepared<'_>,
    variables: bool,
    assumptions: &mut Vec<String>,
) -> ElementTrace {
    let element = if block.negated {
        "NotResource"
    } else {
        "Resource"
    };
    let res = &prepared.request.resource;
    let mut hit = None;
    let mut notes = Vec::new();
    let mut unknown = false;
    for (i, p) in block.patterns.iter().enumerate() {
        let (m, substituted, note) = resource_entry(
            &p.value,
            block.negated,
            prepared.request,
            prepared.resource_fields.as_ref(),
            variables,
            assumptions,
        );
        if let Some(n) = note {
            notes.push(n);
        }
        match m {
            Applies::Yes => {
                hit = Some(entry(i, p, substituted));
                break;
            }
            Applies::Unknown => unknown = true,
            Applies::No => {}
        }
    }
    let shown = |m: &MatchedEntry| match &m.substituted {
        Some(s) => format!("'{}' (substituted: '{s}')", m.pattern),
        None => format!("'{}'", m.pattern),
    };
    let star_note = if res == "*" {
        " (the action is authorized against \"*\", which only the pattern \"*\" matches, §8-Q24)"
    } else {
        ""
    };
    let (passes, reason): (Applies, Arc<str>) = match (block.negated, &hit) {
        (false, Some(m)) => (Applies::Yes, format!("{res} matches {}", shown(m)).into()),
        (true, Some(m)) => (
            Applies::No,
            format!(
                "NotResource lists {}, which matches {res}: the statement does not cover it",
                shown(m)
            )
            .into(),
        ),
        (_, None) if unknown => (
            Applies::Unknown,
            format!("whether {element} covers {res} cannot be decided").into(),
        ),
        (false, None) if block.patterns.is_empty() => (
            Applies::No,
            Arc::from("Resource is empty: the statement covers no resource"),
        ),
        (false, None) => (Applies::No, prepared.no_resource.clone()),
        (true, None) if block.patterns.is_empty() => (
            Applies::Unknown,
            Arc::from(
                "NotResource is empty: AWS does not document what it covers (it may refuse the \
                 policy), so whether the statement applies is unknown",
            ),
        ),
        (true, None) => (
            Applies::Yes,
            format!("{res} is not listed in NotResource, so the statement covers it{star_note}")
                .into(),
        ),
    };
    let reason = if notes.is_empty() {
        reason
    } else {
        format!("{reason}; {}", notes.join("; ")).into()
    };
    ElementTrace {
        element,
        passes,
        matched: hit,
        reason,
        span: Some(block.span),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::GrantKind;
    use crate::policy::parse_policy;
    use crate::request::{Caller, ContextMap, ContextValue};

    fn request(caller: &str, action: &str, resource: &str) -> Request {
        Request {
            caller: Caller::parse(Some(caller)).unwrap(),
            action: action.into(),
            resource: resource.into(),
            resource_account: Some("111122223333".into()),
            context: ContextMap::new(),
            caller_has_permissions_boundary: false,
        }
    }

    fn eval(text: &str, ty: PolicyType, r: &Request) -> PolicyTrace {
        let parsed = parse_policy(text, ty).expect("json");
        evaluate_policy(&parsed.policy, ty, r)
    }

    const ANA: &str = "arn:aws:iam::111122223333:user/ana";

    #[test]
    fn allow_and_deny_combine_per_section_1_2() {
        let p = r#"{"Version":"2012-10-17","Statement":[
            {"Sid":"Own","Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]},
            {"Sid":"NoLogs","Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::*log*"}]}"#;
        let t = eval(
            p,
            PolicyType::Identity,
            &request(ANA, "s3:GetObject", "arn:aws:s3:::b/k"),
        );
        assert_eq!(t.result, PolicyResult::Allow);
        let own = &t.statements[0];
        assert_eq!(own.applies, Applies::Yes);
        assert_eq!(own.label, "Own");
        assert_eq!(own.resource.matched.as_ref().unwrap().index, 1);
        assert_eq!(t.statements[1].applies, Applies::No);
        assert!(t.statements[1]
            .resource
            .reason
            .contains("no entry of Resource"));

        let t = eval(
            p,
            PolicyType::Identity,
            &request(ANA, "s3:PutObject", "arn:aws:s3:::x-logs/n"),
        );
        assert_eq!(t.result, PolicyResult::Deny);
        let t = eval(
            p,
            PolicyType::Identity,
            &request(ANA, "ec2:RunInstances", "*"),
        );
        assert_eq!(t.result, PolicyResult::NoMatch);
        assert!(!t.has_unknown);
    }

    #[test]
    fn not_action_and_not_resource() {
        let p = r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","NotAction":"iam:*","Resource":"*"},
            {"Effect":"Deny","Action":"s3:*","NotResource":"arn:aws:s3:::public/*"}]}"#;
        let t = eval(
            p,
            PolicyType::Identity,
            &request(ANA, "IAM:CreateUser", "*"),
        );
        assert_eq!(t.statements[0].applies, Applies::No);
        assert_eq!(t.statements[0].action.element, "NotAction");
        let t = eval(
            p,
            PolicyType::Identity,
            &request(ANA, "s3:GetObject", "arn:aws:s3:::public/x"),
        );
        assert_eq!(t.result, PolicyResult::Allow);
        let t = eval(
            p,
            PolicyType::Identity,
            &request(ANA, "s3:GetObject", "arn:aws:s3:::private/x"),
        );
        assert_eq!(t.result, PolicyResult::Deny);
        // A specific NotResource pattern never excludes a "*" request (§8-Q24).
        let t = eval(
            p,
            PolicyType::Identity,
            &request(ANA, "s3:ListAllMyBuckets", "*"),
        );
        assert_eq!(t.statements[1].resource.passes, Applies::Yes);
    }

    #[test]
    fn missing_elements_are_unknown_not_false() {
        let p = r#"{"Version":"2012-10-17","Statement":[{"Action":"s3:*","Resource":"*"}]}"#;
        let t = eval(p, PolicyType::Identity, &request(ANA, "s3:GetObject", "*"));
        assert_eq!(t.statements[0].applies, Applies::Unknown, "missing Effect");
        assert!(t.has_unknown);
        assert_eq!(t.result, PolicyResult::NoMatch);

        let p = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*"}}"#;
        let t = eval(
            p,
            PolicyType::Identity,
            &request(ANA, "s3:GetObject", "arn:aws:s3:::b"),
        );
        assert_eq!(t.statements[0].resource.passes, Applies::Unknown);
        // A failing test decides regardless of the unknown one.
        let t = eval(
            p,
            PolicyType::Identity,
            &request(ANA, "ec2:RunInstances", "*"),
        );
        assert_eq!(t.statements[0].applies, Applies::No);
    }

    #[test]
    fn resource_policy_without_resource_covers_the_attached_resource() {
        let p = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow",
            "Principal":{"AWS":"arn:aws:iam::111122223333:role/Deployer"},"Action":"sqs:SendMessage"}}"#;
        let r = request(
            "arn:aws:sts::111122223333:assumed-role/Deployer/s",
            "sqs:SendMessage",
            "arn:aws:sqs:us-east-1:111122223333:q",
        );
        let t = eval(p, PolicyType::Resource, &r);
        assert_eq!(t.result, PolicyResult::Allow);
        let p = t.statements[0].principal.as_ref().unwrap();
        assert_eq!(p.grant, Some(GrantKind::ParentEntity));
    }

    #[test]
    fn unknown_operator_makes_the_statement_unknown() {
        let p = r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*",
            "Condition":{"StringEqualz":{"aws:username":"x"}}}}"#;
        let t = eval(p, PolicyType::Identity, &request(ANA, "s3:GetObject", "*"));
        assert_eq!(t.statements[0].applies, Applies::Unknown);
        assert!(t.statements[0].conditions[0]
            .reason
            .contains("StringEqualz"));
        assert_eq!(t.result, PolicyResult::NoMatch);
    }

    #[test]
    fn variables_in_resources_substitute_the_resource_part_only() {
        let p = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject",
            "Resource":"arn:aws:s3:::home/${aws:username}/*"}}"#;
        let mut r = request(ANA, "s3:GetObject", "arn:aws:s3:::home/ana/doc");
        r.context
            .insert_given("aws:username", ContextValue::Single("ana".into()));
        let t = eval(p, PolicyType::Identity, &r);
        assert_eq!(t.result, PolicyResult::Allow);
        assert_eq!(
            t.statements[0]
                .resource
                .matched
                .as_ref()
                .unwrap()
                .substituted
                .as_deref(),
            Some("arn:aws:s3:::home/ana/*")
        );
        r.resource = "arn:aws:s3:::home/bob/doc".into();
        assert_eq!(
            eval(p, PolicyType::Identity, &r).result,
            PolicyResult::NoMatch
        );

        // Unresolved: the entry matches nothing.
        let mut r = request(ANA, "s3:GetObject", "arn:aws:s3:::home//doc");
        let t = eval(p, PolicyType::Identity, &r);
        assert_eq!(t.result, PolicyResult::NoMatch);
        assert!(t.statements[0].resource.reason.contains("matches nothing"));

        // Literal under 2008-10-17 (or no Version).
        let old = p.replace(r#""Version":"2012-10-17","#, "");
        r.resource = "arn:aws:s3:::home/${aws:username}/doc".into();
        r.context
            .insert_given("aws:username", ContextValue::Single("ana".into()));
        assert_eq!(
            eval(&old, PolicyType::Identity, &r).result,
            PolicyResult::Allow
        );
    }

    #[test]
    fn trust_policy_statement_and_conditions_trace() {
        let p = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow",
            "Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole",
            "Condition":{"StringEquals":{"sts:ExternalId":"abc"},"Bool":{"aws:MultiFactorAuthPresent":"true"}}}}"#;
        let mut r = request(
            "arn:aws:iam::444455556666:user/partner",
            "sts:AssumeRole",
            "arn:aws:iam::111122223333:role/R",
        );
        r.context
            .insert_given("sts:ExternalId", ContextValue::Single("abc".into()));
        let t = eval(p, PolicyType::TrustPolicy, &r);
        let s = &t.statements[0];
        assert_eq!(
            s.principal.as_ref().unwrap().grant,
            Some(GrantKind::Account)
        );
        assert_eq!(s.conditions[0].outcome, Applies::Yes);
        assert_eq!(s.conditions[1].outcome, Applies::No);
        assert!(s.conditions[1].key_missing);
        assert_eq!(s.applies, Applies::No);
    }

    #[test]
    fn conditions_are_skipped_once_another_test_fails() {
        let p = r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*",
            "Condition":{"StringEqualz":{"aws:username":"x"}}}}"#;
        let t = eval(
            p,
            PolicyType::Identity,
            &request(ANA, "ec2:RunInstances", "*"),
        );
        let s = &t.statements[0];
        assert_eq!(
            s.applies,
            Applies::No,
            "an unknown condition cannot rescue a failed action"
        );
        assert!(s.conditions_skipped && s.conditions.is_empty());
        assert!(!t.has_unknown);
    }
}
