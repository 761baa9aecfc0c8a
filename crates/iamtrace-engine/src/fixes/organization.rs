//! Service control policies and resource control policies belong to the organization: the user
//! cannot change them. A fix there is `outside_control`: it names the policy, the statement and
//! the organization level, says what the organization's administrators would have to change (the
//! change is still verified on a copy), and lists the exemptions that would let the request
//! through unchanged.
//!
//! AWS: SCPs restrict every principal of member accounts, never the management account or
//! service-linked roles (Organizations, Service control policies); RCPs restrict resources of
//! member accounts, never the management account's (Organizations, Resource control policies).

use super::candidates::{allow_statement, exempt_caller, remove_deny, Candidate, Ctx, Tactic};
use super::change::{document, source, Change, PolicyRef};
use super::document::{push_statement, sid_for};
use super::{FixKind, Organization};
use crate::decision::{DecidingStatement, Gate, Layer};
use crate::explain::StatementTrace;

const SCP_PAGE: &str =
    "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html";
const RCP_PAGE: &str =
    "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html";

/// `organization root`, `OU` or `account` for level `i` of `n` (root first, account last).
fn level_name(i: usize, n: usize) -> &'static str {
    if i == 0 {
        "organization root"
    } else if i + 1 == n {
        "account"
    } else {
        "OU"
    }
}

fn levels(ctx: &Ctx, layer: Layer) -> usize {
    let p = &ctx.scenario.policies;
    match layer {
        Layer::Scp => p.scp.as_ref().map_or(0, Vec::len),
        Layer::Rcp => p.rcp.as_ref().map_or(0, Vec::len),
        _ => 0,
    }
}

fn short(layer: Layer) -> &'static str {
    if layer == Layer::Scp {
        "SCP"
    } else {
        "RCP"
    }
}

fn policy_name(ctx: &Ctx, at: PolicyRef) -> Option<String> {
    source(ctx.scenario, at).and_then(|s| s.name.clone().or(s.arn.clone()))
}

/// What the statement's own conditions exempt: each condition of a `Deny` that applies is true,
/// and the statement stops applying when one of them is false.
fn exemptions(st: &StatementTrace, layer: Layer) -> Vec<String> {
    let mut out: Vec<String> = st
        .conditions
        .iter()
        .map(|c| {
            let values: Vec<&str> = c.values.iter().map(|v| v.text.as_str()).collect();
            let negated = c.operator.contains("Not");
            format!(
                "statement '{}' does not apply when {} {} {} ({})",
                st.label,
                c.key,
                if negated { "matches" } else { "does not match" },
                values.join(" or "),
                c.operator
            )
        })
        .collect();
    out.push(if layer == Layer::Scp {
        format!("SCPs do not restrict the management account or service-linked roles ({SCP_PAGE})")
    } else {
        format!("RCPs do not restrict resources in the management account or service-linked roles ({RCP_PAGE})")
    });
    out
}

/// An explicit deny in an SCP or RCP: what the administrators would change (exempt the caller,
/// or remove the statement), each verified.
pub(super) fn deny(ctx: &Ctx, d: &DecidingStatement) -> Vec<Candidate> {
    let at = PolicyRef {
        layer: d.layer,
        level: d.level,
        index: d.index,
    };
    let Some(st) = ctx
        .eval
        .policies
        .get(d.policy)
        .and_then(|p| p.trace.as_ref())
        .and_then(|t| t.statements.iter().find(|s| s.index == d.statement))
    else {
        return Vec::new();
    };
    let level = d.level.unwrap_or(0);
    let level_name = level_name(level, levels(ctx, d.layer));
    let name = policy_name(ctx, at);
    let organization = Organization {
        level_name: level_name.to_string(),
        policy_name: name.clone(),
        statement: Some(d.label.clone()),
        exemptions: exemptions(st, d.layer),
    };
    let what = format!(
        "{} {}at the {level_name} (level {} of {})",
        short(d.layer),
        name.map(|n| format!("{n} ")).unwrap_or_default(),
        level + 1,
        levels(ctx, d.layer)
    );
    let side = if ctx.eval.cross_account {
        Some(if d.layer == Layer::Scp {
            crate::decision::Side::Caller
        } else {
            crate::decision::Side::Resource
        })
    } else {
        None
    };
    let mut out = Vec::new();
    let admins = "Outside your control: only the organization's administrators can change";
    if let Some(mut c) = exempt_caller(ctx, at, d, side, FixKind::OutsideControl) {
        c.tactic = Tactic::Organization;
        c.summary = format!(
            "{admins} the {what}. Its Deny statement '{}' applies to this request; they would have to exempt the caller with \"ArnNotLike\": {{\"aws:PrincipalArn\": …}} (the pattern of AWS's SCP examples) or detach the policy from this level.",
            d.label
        );
        c.organization = Some(organization.clone());
        out.push(c);
    }
    if let Some(mut c) = remove_deny(ctx, at, d, side) {
        c.kind = FixKind::OutsideControl;
        c.tactic = Tactic::Organization;
        c.summary = format!(
            "{admins} the {what}. Its Deny statement '{}' applies to this request; they would have to remove the statement.",
            d.label
        );
        c.organization = Some(organization);
        out.push(c);
    }
    out
}

/// An SCP level without an `Allow` for the request: the administrators would have to attach (or
/// extend) an SCP at that level allowing it. Every level from the root down must allow (§1.6).
pub(super) fn allow_at_level(ctx: &Ctx, gate: &Gate) -> Vec<Candidate> {
    let Some(level) = gate.level else {
        return Vec::new();
    };
    let layer = Layer::Scp;
    let Some(gp) = gate.policies.iter().find(|gp| {
        document(
            ctx.scenario,
            PolicyRef {
                layer,
                level: Some(level),
                index: gp.index,
            },
        )
        .is_some()
    }) else {
        return Vec::new();
    };
    let at = PolicyRef {
        layer,
        level: Some(level),
        index: gp.index,
    };
    let Some(mut doc) = document(ctx.scenario, at) else {
        return Vec::new();
    };
    let sid = sid_for("Allow", ctx.action);
    let Some(st) = allow_statement(ctx, layer, &sid) else {
        return Vec::new();
    };
    if !push_statement(&mut doc, st) {
        return Vec::new();
    }
    let n = levels(ctx, layer);
    let level_name = level_name(level, n);
    let name = policy_name(ctx, at);
    let before = document(ctx.scenario, at);
    vec![Candidate {
        kind: FixKind::OutsideControl,
        tactic: Tactic::Organization,
        at,
        side: gate.side,
        summary: format!(
            "Outside your control: no SCP attached at the {level_name} (level {} of {n}) allows {}; every level from the root down must allow it ({SCP_PAGE}). The organization's administrators would have to allow {} on {} in an SCP attached there{}.",
            level + 1,
            ctx.action,
            ctx.action,
            ctx.resource,
            name.as_deref().map(|n| format!(", for example in {n}")).unwrap_or_default()
        ),
        change: Change::Policy {
            at,
            name: None,
            before,
            after: doc,
        },
        organization: Some(Organization {
            level_name: level_name.into(),
            policy_name: name,
            statement: None,
            exemptions: vec![format!(
                "SCPs do not restrict the management account or service-linked roles ({SCP_PAGE})"
            )],
        }),
    }]
}
