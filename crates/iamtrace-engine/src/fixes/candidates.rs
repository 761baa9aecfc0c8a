//! Candidate changes for a denied request, read from the evaluation's outcome values (never its
//! prose): for each failing gate, the statements that nearly applied (every test passes but the
//! ones the change fixes), a new statement allowing exactly the request, the context value a
//! condition lacks, the exception AWS documents for a `Deny`, and the organization's side.
//! Candidates are not yet verified; `verify.rs` applies and evaluates each.

use super::change::{document, source, Change, PolicyRef};
use super::context_keys;
use super::document::{
    add_condition, add_entry, add_principal, empty_policy, push_statement, remove_entry,
    remove_statement, sid_for, statement, statement_mut,
};
use super::organization;
use super::{FixKind, Organization};
use crate::decision::services;
use crate::decision::{
    DecidingStatement, Evaluation, Gate, GateKind, GateOutcome, GatePolicy, Layer, Side,
};
use crate::explain::{Applies, ConditionTrace, StatementTrace};
use crate::policy::{Effect, PolicyType};
use crate::request::Caller;
use crate::scenario::Scenario;
use serde_json::{Map, Value};

/// How a candidate changes things, best (least privilege, most likely intended) first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Tactic {
    /// Add the request's action, resource or principal to the statement that nearly applied.
    NearlyApplied,
    /// Send the request with the context value a condition needs.
    AddContext,
    /// A KMS key policy delegating the request's action to IAM policies.
    Delegate,
    /// A new statement allowing exactly the request.
    NewStatement,
    /// Exempt the caller from a `Deny` with an `aws:PrincipalArn` condition.
    ExemptCaller,
    /// Remove the request's action from a `Deny` that lists it with others.
    NarrowDeny,
    /// Remove the `Deny` statement.
    RemoveDeny,
    /// A change only the organization's administrators can make.
    Organization,
}

/// One change to try.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Candidate {
    pub kind: FixKind,
    pub tactic: Tactic,
    /// The policy changed (for context: the policy whose condition needs the value).
    pub at: PolicyRef,
    pub side: Option<Side>,
    pub summary: String,
    pub change: Change,
    pub organization: Option<Organization>,
}

/// What every candidate needs to know about the request.
pub(super) struct Ctx<'a> {
    pub scenario: &'a Scenario,
    pub eval: &'a Evaluation,
    /// The request's action as written.
    pub action: &'a str,
    pub resource: &'a str,
    /// The request is on a KMS key: the key policy's `Resource` is `"*"`, meaning this key
    /// (AWS KMS, Key policies: "Resource … the value is "*", which means this KMS key").
    pub kms_key: bool,
}

impl<'a> Ctx<'a> {
    pub(super) fn new(scenario: &'a Scenario, eval: &'a Evaluation) -> Self {
        let service = eval.request.service();
        Ctx {
            scenario,
            eval,
            action: &eval.request.action,
            resource: &eval.request.resource,
            kms_key: services::is_kms_key_request(&service, &eval.request.resource),
        }
    }

    fn statement_trace(&self, policy: usize, statement: usize) -> Option<&StatementTrace> {
        self.eval
            .policies
            .get(policy)?
            .trace
            .as_ref()?
            .statements
            .iter()
            .find(|s| s.index == statement)
    }

    fn policy_type(&self, layer: Layer) -> PolicyType {
        if layer == Layer::Resource && services::is_trust_policy_action(self.action) {
            PolicyType::TrustPolicy
        } else {
            layer.policy_type()
        }
    }

    /// `aws:PrincipalArn` as the request carries it (given, or derived by the engine).
    pub(super) fn principal_arn(&self) -> Option<String> {
        let v = self.eval.request.context.get("aws:PrincipalArn")?;
        v.values().first().map(|s| s.to_string())
    }

    /// How a resource-based policy names exactly this caller: the user, the role (for a role
    /// session: role ARNs match their sessions and outlive them), the federated user, the
    /// account's root, or the service.
    fn principal_entry(&self) -> Option<(&'static str, String)> {
        match &self.eval.request.caller {
            Caller::IamUser { arn, .. }
            | Caller::FederatedUser { arn, .. }
            | Caller::Role { arn, .. } => Some(("AWS", arn.clone())),
            Caller::RoleSession {
                partition,
                account,
                role_name,
                ..
            } => Some((
                "AWS",
                self.principal_arn()
                    .filter(|a| a.contains(":role/"))
                    .unwrap_or_else(|| format!("arn:{partition}:iam::{account}:role/{role_name}")),
            )),
            Caller::Root { partition, account } => {
                Some(("AWS", format!("arn:{partition}:iam::{account}:root")))
            }
            Caller::Service { name } => Some(("Service", name.clone())),
            // Only "*" admits an unsigned request: a fix never makes a resource public.
            Caller::Anonymous => None,
        }
    }
}

/// Every candidate for the evaluation's failing gates.
pub(super) fn candidates(ctx: &Ctx) -> Vec<Candidate> {
    let mut out = Vec::new();
    for gate in &ctx.eval.gates {
        if gate.outcome != GateOutcome::Failed {
            continue;
        }
        match gate.kind {
            GateKind::ExplicitDeny => {
                for d in &gate.deciding {
                    deny_candidates(ctx, d, &mut out);
                }
            }
            GateKind::Scp => out.extend(organization::allow_at_level(ctx, gate)),
            GateKind::Rcp => {}
            GateKind::Resource
            | GateKind::Identity
            | GateKind::PermissionsBoundary
            | GateKind::Session
            | GateKind::VpcEndpoint => allow_candidates(ctx, gate, &mut out),
        }
    }
    out
}

/// The side of a deciding statement's layer in a cross-account request.
fn side_of(ctx: &Ctx, layer: Layer) -> Option<Side> {
    if !ctx.eval.cross_account {
        return None;
    }
    Some(match layer {
        Layer::Resource | Layer::Rcp => Side::Resource,
        _ => Side::Caller,
    })
}

fn policy_change(ctx: &Ctx, at: PolicyRef, after: Value, name: Option<String>) -> Change {
    Change::Policy {
        at,
        name,
        before: document(ctx.scenario, at),
        after,
    }
}

fn label(ctx: &Ctx, at: PolicyRef) -> String {
    let title = match at.layer {
        Layer::Resource if ctx.policy_type(at.layer) == PolicyType::TrustPolicy => {
            "role trust policy".to_string()
        }
        Layer::Resource if ctx.kms_key => "KMS key policy".to_string(),
        other => other.policy_type().aws_name().to_string(),
    };
    match source(ctx.scenario, at).and_then(|s| s.name.clone().or(s.arn.clone())) {
        Some(n) => format!("{title} {n}"),
        None if matches!(at.layer, Layer::Identity | Layer::Session) => {
            format!("{title} {}", at.index + 1)
        }
        None => title,
    }
}

// ----- A statement that does not allow yet -----

/// The tests of an `Allow` statement that fail, when each can be fixed by adding the request's
/// own value to a positive element; `None` when a test is unknown or cannot be fixed so.
fn fixable_failures(st: &StatementTrace) -> Option<Vec<&'static str>> {
    let mut failing = Vec::new();
    let tests = [
        st.principal.as_ref().map(|p| &p.element),
        Some(&st.action),
        Some(&st.resource),
    ];
    for t in tests.into_iter().flatten() {
        match t.passes {
            Applies::Yes => {}
            Applies::Unknown => return None,
            Applies::No if matches!(t.element, "Action" | "Resource" | "Principal") => {
                failing.push(t.element)
            }
            Applies::No => return None,
        }
    }
    Some(failing)
}

fn is_bare_star(p: &str) -> bool {
    p == "*"
}

fn allow_candidates(ctx: &Ctx, gate: &Gate, out: &mut Vec<Candidate>) {
    let Some(layer) = gate.layer else { return };
    let side = gate.side;
    for gp in &gate.policies {
        let Some(trace) = &gp.trace else { continue };
        let at = PolicyRef {
            layer: gp.layer,
            level: gp.level,
            index: gp.index,
        };
        for st in &trace.statements {
            if st.effect != Some(Effect::Allow) || st.applies == Applies::Yes {
                continue;
            }
            if let Some(failing) = fixable_failures(st) {
                if !failing.is_empty() {
                    if let Some(c) = nearly_applied(ctx, at, st, &failing, side) {
                        out.push(c);
                    }
                } else {
                    context_for_allow(ctx, at, st, side, out);
                }
            }
        }
    }
    if layer == Layer::Resource && ctx.kms_key && !ctx.eval.cross_account {
        if let Some(c) = delegate_key_policy(ctx, gate) {
            out.push(c);
        }
    }
    if let Some(c) = new_statement(ctx, layer, &gate.policies, side) {
        out.push(c);
    }
}

/// Add the request's action, resource or principal to the statement that failed only there.
fn nearly_applied(
    ctx: &Ctx,
    at: PolicyRef,
    st: &StatementTrace,
    failing: &[&'static str],
    side: Option<Side>,
) -> Option<Candidate> {
    // The statement that nearly applied fails exactly one test.
    let [only] = failing else {
        return None;
    };
    let mut doc = document(ctx.scenario, at)?;
    // Least privilege: the other elements of the statement must not be broad ("*", "s3:*"), or
    // the new entry would be granted with everything they cover; a new statement says exactly
    // the request instead. In a key policy "*" is the key itself.
    let broad = |m: Option<&crate::explain::MatchedEntry>| {
        m.is_some_and(|m| m.pattern == "*" || m.pattern.ends_with(":*"))
    };
    let resource_broad = broad(st.resource.matched.as_ref())
        && !is_bare_star(ctx.resource)
        && !(ctx.kms_key && at.layer == Layer::Resource);
    let action_broad = broad(st.action.matched.as_ref());
    let too_broad = match *only {
        "Action" => resource_broad,
        "Resource" => action_broad,
        _ => action_broad || resource_broad,
    };
    if too_broad {
        return None;
    }
    let entry = ctx.principal_entry();
    let s = statement_mut(&mut doc, st.index)?;
    let mut what = Vec::new();
    for f in failing {
        let ok = match *f {
            "Action" => {
                what.push(format!("the action {}", ctx.action));
                add_entry(s, "Action", ctx.action)
            }
            "Resource" => {
                what.push(format!("the resource {}", ctx.resource));
                add_entry(s, "Resource", ctx.resource)
            }
            "Principal" => {
                let (kind, value) = entry.clone()?;
                what.push(format!("the principal {value}"));
                add_principal(s, kind, &value)
            }
            _ => false,
        };
        if !ok {
            return None;
        }
    }
    let summary = format!(
        "Add {} to statement '{}' of the {}: its only failing test.",
        what.join(" and "),
        st.label,
        label(ctx, at)
    );
    Some(Candidate {
        kind: FixKind::EditStatement,
        tactic: Tactic::NearlyApplied,
        at,
        side,
        summary,
        change: policy_change(ctx, at, doc, None),
        organization: None,
    })
}

/// An `Allow` whose principal, action and resource match but whose conditions fail: the values
/// the request could carry.
fn context_for_allow(
    ctx: &Ctx,
    at: PolicyRef,
    st: &StatementTrace,
    side: Option<Side>,
    out: &mut Vec<Candidate>,
) {
    let failing: Vec<&ConditionTrace> = st
        .conditions
        .iter()
        .filter(|c| c.outcome == Applies::No)
        .collect();
    if failing.is_empty() || failing.len() > 2 {
        return;
    }
    if failing
        .iter()
        .any(|c| !context_keys::can_add(&c.key, c.request_values.is_some()))
    {
        return;
    }
    // The first condition's values, each with the others' first value.
    let Some((first, rest)) = failing.split_first() else {
        return;
    };
    let mut fixed_rest = Vec::new();
    for c in rest {
        match context_keys::values_to_try(c).into_iter().next() {
            Some(v) => fixed_rest.push((c.key.clone(), v)),
            None => return,
        }
    }
    for v in context_keys::values_to_try(first) {
        let mut keys = vec![(first.key.clone(), v)];
        keys.extend(fixed_rest.iter().cloned());
        out.push(context_candidate(
            ctx,
            at,
            &st.label,
            Effect::Allow,
            keys,
            side,
        ));
    }
}

fn context_candidate(
    ctx: &Ctx,
    at: PolicyRef,
    statement: &str,
    effect: Effect,
    keys: Vec<(String, Value)>,
    side: Option<Side>,
) -> Candidate {
    let mut changes = Vec::new();
    let mut meanings = Vec::new();
    let through_endpoint = keys.iter().any(|(k, _)| {
        k.eq_ignore_ascii_case("aws:SourceVpce") || k.eq_ignore_ascii_case("aws:SourceVpc")
    });
    for (k, v) in keys {
        let before = given(ctx.scenario, &k);
        let text = match &v {
            Value::String(s) => s.clone(),
            Value::Array(a) => a
                .iter()
                .map(|x| {
                    x.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| x.to_string())
                })
                .collect::<Vec<_>>()
                .join(", "),
            other => other.to_string(),
        };
        meanings.push(context_keys::meaning(&k, &text));
        changes.push((k, before, Some(v)));
    }
    // Through a VPC endpoint a request carries no aws:SourceIp (AWS global condition context
    // keys page, aws:SourceIp).
    if through_endpoint {
        if let Some(before) = given(ctx.scenario, "aws:SourceIp") {
            changes.push(("aws:SourceIp".into(), Some(before), None));
            meanings.push("a request through an endpoint carries no aws:SourceIp".into());
        }
    }
    let verb = if effect == Effect::Allow {
        "then applies"
    } else {
        "then no longer applies"
    };
    Candidate {
        kind: FixKind::AddContext,
        tactic: Tactic::AddContext,
        at,
        side,
        summary: format!(
            "{}: statement '{statement}' of the {} {verb}.",
            capitalise(&meanings.join("; ")),
            label(ctx, at)
        ),
        change: Change::Context { keys: changes },
        organization: None,
    }
}

fn given(s: &Scenario, key: &str) -> Option<Value> {
    s.request
        .context
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.clone())
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Where a new statement goes: the first readable policy of the layer that the user can edit
/// (AWS managed policies cannot be changed), else a new policy (identity and session layers),
/// else the layer's only policy (created when absent).
fn target_policy(ctx: &Ctx, layer: Layer, policies: &[GatePolicy]) -> Option<PolicyRef> {
    let editable = |gp: &&GatePolicy| {
        gp.trace.is_some()
            && !gp
                .arn
                .as_deref()
                .is_some_and(|a| a.contains(":aws:policy/"))
            && document(
                ctx.scenario,
                PolicyRef {
                    layer: gp.layer,
                    level: gp.level,
                    index: gp.index,
                },
            )
            .is_some()
    };
    if let Some(gp) = policies.iter().find(editable) {
        return Some(PolicyRef {
            layer: gp.layer,
            level: gp.level,
            index: gp.index,
        });
    }
    let p = &ctx.scenario.policies;
    match layer {
        Layer::Identity => Some(PolicyRef {
            layer,
            level: None,
            index: p.identity.as_ref().map_or(0, Vec::len),
        }),
        Layer::Session => Some(PolicyRef {
            layer,
            level: None,
            index: p.session.as_ref().map_or(0, Vec::len),
        }),
        Layer::Resource | Layer::PermissionsBoundary | Layer::VpcEndpoint => {
            let at = PolicyRef {
                layer,
                level: None,
                index: 0,
            };
            // An unreadable policy is never overwritten.
            match source(ctx.scenario, at) {
                Some(_) if document(ctx.scenario, at).is_none() => None,
                _ => Some(at),
            }
        }
        Layer::Scp | Layer::Rcp => None,
    }
}

/// A statement allowing exactly the request in `layer`'s policy.
pub(super) fn allow_statement(ctx: &Ctx, layer: Layer, sid: &str) -> Option<Map<String, Value>> {
    let mut st = Map::new();
    st.insert("Sid".into(), Value::String(sid.into()));
    st.insert("Effect".into(), Value::String("Allow".into()));
    let ty = ctx.policy_type(layer);
    if ty.has_principal() && layer != Layer::Rcp {
        let (kind, value) = ctx.principal_entry()?;
        let mut p = Map::new();
        p.insert(kind.into(), Value::String(value));
        st.insert("Principal".into(), Value::Object(p));
    }
    st.insert("Action".into(), Value::String(ctx.action.into()));
    if ty != PolicyType::TrustPolicy {
        let resource = if layer == Layer::Resource && ctx.kms_key {
            "*"
        } else {
            ctx.resource
        };
        st.insert("Resource".into(), Value::String(resource.into()));
    }
    Some(st)
}

fn new_statement(
    ctx: &Ctx,
    layer: Layer,
    policies: &[GatePolicy],
    side: Option<Side>,
) -> Option<Candidate> {
    let at = target_policy(ctx, layer, policies)?;
    let existing = document(ctx.scenario, at);
    let created = existing.is_none();
    let mut doc = existing.unwrap_or_else(empty_policy);
    let sid = sid_for("Allow", ctx.action);
    let st = allow_statement(ctx, layer, &sid)?;
    let principal = st
        .get("Principal")
        .and_then(Value::as_object)
        .and_then(|p| p.values().next())
        .and_then(Value::as_str)
        .map(|p| format!(" to {p}"))
        .unwrap_or_default();
    if !push_statement(&mut doc, st) {
        return None;
    }
    let name = created.then(|| sid.clone());
    let on = if layer == Layer::Resource && ctx.kms_key {
        "this key (in a key policy, \"Resource\": \"*\" means the key itself)".to_string()
    } else {
        ctx.resource.to_string()
    };
    let summary = if created {
        let title = title_of(ctx, layer);
        format!(
            "Add {} {title} {sid} allowing {}{principal} on {on}.",
            article(&title),
            ctx.action,
        )
    } else {
        format!(
            "Add statement {sid} to the {}, allowing {}{principal} on {on}.",
            label(ctx, at),
            ctx.action,
        )
    };
    Some(Candidate {
        kind: FixKind::AddStatement,
        tactic: Tactic::NewStatement,
        at,
        side,
        summary,
        change: policy_change(ctx, at, doc, name),
        organization: None,
    })
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    }
}

fn title_of(ctx: &Ctx, layer: Layer) -> String {
    match layer {
        Layer::Resource if ctx.policy_type(layer) == PolicyType::TrustPolicy => {
            "role trust policy".into()
        }
        Layer::Resource if ctx.kms_key => "KMS key policy".into(),
        other => other.policy_type().aws_name().into(),
    }
}

/// The key policy names the account so that IAM policies can allow the key: the statement of
/// AWS's default key policy ("Enable IAM User Permissions"), for the request's action only
/// (the default has `kms:*`; AWS KMS, Default key policy).
fn delegate_key_policy(ctx: &Ctx, gate: &Gate) -> Option<Candidate> {
    let owner = ctx.eval.request.resource_account.clone()?;
    let partition = ctx
        .eval
        .request
        .caller
        .partition()
        .unwrap_or("aws")
        .to_string();
    let at = target_policy(ctx, Layer::Resource, &gate.policies)?;
    let mut doc = document(ctx.scenario, at).unwrap_or_else(empty_policy);
    let mut st = Map::new();
    st.insert(
        "Sid".into(),
        Value::String("Enable IAM User Permissions".into()),
    );
    st.insert("Effect".into(), Value::String("Allow".into()));
    let mut p = Map::new();
    p.insert(
        "AWS".into(),
        Value::String(format!("arn:{partition}:iam::{owner}:root")),
    );
    st.insert("Principal".into(), Value::Object(p));
    st.insert("Action".into(), Value::String(ctx.action.into()));
    st.insert("Resource".into(), Value::String("*".into()));
    if !push_statement(&mut doc, st) {
        return None;
    }
    Some(Candidate {
        kind: FixKind::AddStatement,
        tactic: Tactic::Delegate,
        at,
        side: None,
        summary: format!(
            "Delegate the key to IAM: add to the KMS key policy the statement of AWS's default key policy naming account {owner}, for {} only, so that the identity-based policies that allow it take effect (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).",
            ctx.action
        ),
        change: policy_change(ctx, at, doc, None),
        organization: None,
    })
}

// ----- An explicit deny -----

fn deny_candidates(ctx: &Ctx, d: &DecidingStatement, out: &mut Vec<Candidate>) {
    let at = PolicyRef {
        layer: d.layer,
        level: d.level,
        index: d.index,
    };
    let side = side_of(ctx, d.layer);
    let Some(st) = ctx.statement_trace(d.policy, d.statement) else {
        return;
    };
    // A context value that makes a condition of the Deny false.
    for c in &st.conditions {
        if !context_keys::can_add(&c.key, c.request_values.is_some()) {
            continue;
        }
        for v in context_keys::values_to_try(c) {
            out.push(context_candidate(
                ctx,
                at,
                &d.label,
                Effect::Deny,
                vec![(c.key.clone(), v)],
                side,
            ));
        }
    }
    // The organization's policies are not the user's to edit.
    if matches!(d.layer, Layer::Scp | Layer::Rcp) {
        out.extend(organization::deny(ctx, d));
        return;
    }
    if let Some(c) = exempt_caller(ctx, at, d, side, FixKind::EditStatement) {
        out.push(c);
    }
    if let Some(c) = narrow_deny(ctx, at, d, st, side) {
        out.push(c);
    }
    if let Some(c) = remove_deny(ctx, at, d, side) {
        out.push(c);
    }
}

/// AWS's documented exception: a `Deny` with `"ArnNotLike": {"aws:PrincipalArn": …}` does not
/// apply to the principals listed (IAM User Guide, aws:PrincipalArn; the Organizations SCP
/// examples use the same pattern).
pub(super) fn exempt_caller(
    ctx: &Ctx,
    at: PolicyRef,
    d: &DecidingStatement,
    side: Option<Side>,
    kind: FixKind,
) -> Option<Candidate> {
    let arn = ctx.principal_arn()?;
    let mut doc = document(ctx.scenario, at)?;
    let s = statement_mut(&mut doc, d.statement)?;
    if !add_condition(s, "ArnNotLike", "aws:PrincipalArn", &arn) {
        return None;
    }
    Some(Candidate {
        kind,
        tactic: Tactic::ExemptCaller,
        at,
        side,
        summary: format!(
            "Exempt {arn} from Deny statement '{}' of the {} with the condition AWS documents, \"ArnNotLike\": {{\"aws:PrincipalArn\": \"{arn}\"}} (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn).",
            d.label,
            label(ctx, at)
        ),
        change: policy_change(ctx, at, doc, None),
        organization: None,
    })
}

fn narrow_deny(
    ctx: &Ctx,
    at: PolicyRef,
    d: &DecidingStatement,
    st: &StatementTrace,
    side: Option<Side>,
) -> Option<Candidate> {
    let m = st.action.matched.as_ref()?;
    if st.action.element != "Action" || !m.pattern.eq_ignore_ascii_case(ctx.action) {
        return None;
    }
    let mut doc = document(ctx.scenario, at)?;
    let s = statement_mut(&mut doc, d.statement)?;
    if !remove_entry(s, "Action", &m.pattern) {
        return None;
    }
    Some(Candidate {
        kind: FixKind::EditStatement,
        tactic: Tactic::NarrowDeny,
        at,
        side,
        summary: format!(
            "Remove {} from the actions Deny statement '{}' of the {} lists; it still denies the others.",
            m.pattern,
            d.label,
            label(ctx, at)
        ),
        change: policy_change(ctx, at, doc, None),
        organization: None,
    })
}

pub(super) fn remove_deny(
    ctx: &Ctx,
    at: PolicyRef,
    d: &DecidingStatement,
    side: Option<Side>,
) -> Option<Candidate> {
    let mut doc = document(ctx.scenario, at)?;
    statement(&doc, d.statement)?;
    if !remove_statement(&mut doc, d.statement) {
        return None;
    }
    Some(Candidate {
        kind: FixKind::RemoveStatement,
        tactic: Tactic::RemoveDeny,
        at,
        side,
        summary: format!(
            "Remove Deny statement '{}' from the {}.",
            d.label,
            label(ctx, at)
        ),
        change: policy_change(ctx, at, doc, None),
        organization: None,
    })
}
