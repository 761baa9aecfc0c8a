//! Counterfactuals: which single policy, or which whole layer, taken away would flip the decision
//! ("allowed but for the SCP DenyAllOutsideEU at the OU"), and for an allowed request which
//! statements grant it and whether it would still be allowed without each. Each is the decision
//! of a copy of the scenario without that policy, layer or statement.

use super::change::{document, source, Change, PolicyRef};
use super::document::remove_statement;
use crate::decision::{evaluate, Decision, Evaluation, GateKind, GateOutcome, Layer};
use crate::policy::Effect;
use crate::scenario::{PolicySource, Scenario, ScenarioPolicies};
use serde::Serialize;

/// A policy or layer whose removal flips the decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Counterfactual {
    pub layer: Layer,
    /// The policy taken away; `None` when the whole layer is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicyRef>,
    /// The decision without it.
    pub decision: Decision,
    /// The layer AWS would blame without it; `None` when allowed.
    pub denied_by: Option<Layer>,
    /// "allowed but for the SCP DenyAllOutsideEU at the OU (level 2 of 3)".
    pub summary: String,
}

/// A statement that grants an allowed request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grant {
    pub policy: PolicyRef,
    /// Position of the statement in the policy.
    pub statement: usize,
    /// Sid or "statement N".
    pub label: String,
    /// The request is still allowed with this statement removed (another statement grants it).
    pub still_allowed_without: bool,
}

/// What a decision rests on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Counterfactuals {
    pub decision: Decision,
    /// For an allowed request: the `Allow` statements of the gates it passed.
    pub grants: Vec<Grant>,
    /// Every single policy, and every layer, whose removal flips allowed ↔ denied.
    pub flips: Vec<Counterfactual>,
}

/// Every policy of the scenario by its place, in the order of the blame tie-break (§6.3).
fn every_policy(p: &ScenarioPolicies) -> Vec<PolicyRef> {
    let at = |layer: Layer, level: Option<usize>, index: usize| PolicyRef {
        layer,
        level,
        index,
    };
    let mut out = Vec::new();
    for (layer, levels) in [(Layer::Scp, &p.scp), (Layer::Rcp, &p.rcp)] {
        for (lvl, list) in levels.iter().flatten().enumerate() {
            out.extend((0..list.len()).map(|i| at(layer, Some(lvl), i)));
        }
    }
    for (layer, single) in [
        (Layer::VpcEndpoint, &p.vpc_endpoint),
        (Layer::Resource, &p.resource),
    ] {
        if single.is_some() {
            out.push(at(layer, None, 0));
        }
    }
    out.extend((0..p.identity.as_ref().map_or(0, Vec::len)).map(|i| at(Layer::Identity, None, i)));
    if p.permissions_boundary.is_some() {
        out.push(at(Layer::PermissionsBoundary, None, 0));
    }
    out.extend((0..p.session.as_ref().map_or(0, Vec::len)).map(|i| at(Layer::Session, None, i)));
    out
}

/// A copy of the scenario with the policy at `at` taken away (an SCP detached from its level, an
/// identity policy removed, a single layer's policy absent): what the page's "switch off" shows.
pub fn without_policy(s: &Scenario, at: PolicyRef) -> Scenario {
    let mut c = s.clone();
    let p = &mut c.policies;
    let from_list = |l: &mut Option<Vec<PolicySource>>| {
        if let Some(v) = l {
            if at.index < v.len() {
                v.remove(at.index);
            }
        }
    };
    let from_levels = |l: &mut Option<Vec<Vec<PolicySource>>>| {
        if let Some(list) = l.as_mut().and_then(|v| v.get_mut(at.level.unwrap_or(0))) {
            if at.index < list.len() {
                list.remove(at.index);
            }
        }
    };
    match at.layer {
        Layer::Identity => from_list(&mut p.identity),
        Layer::Session => from_list(&mut p.session),
        Layer::Resource => p.resource = None,
        Layer::PermissionsBoundary => p.permissions_boundary = None,
        Layer::VpcEndpoint => p.vpc_endpoint = None,
        Layer::Scp => from_levels(&mut p.scp),
        Layer::Rcp => from_levels(&mut p.rcp),
    }
    c
}

/// A copy of the scenario without the whole layer (no SCPs: not in an organization).
pub fn without_layer(s: &Scenario, layer: Layer) -> Scenario {
    let mut c = s.clone();
    let p = &mut c.policies;
    match layer {
        Layer::Identity => p.identity = None,
        Layer::Session => p.session = None,
        Layer::Resource => p.resource = None,
        Layer::PermissionsBoundary => p.permissions_boundary = None,
        Layer::VpcEndpoint => p.vpc_endpoint = None,
        Layer::Scp => p.scp = None,
        Layer::Rcp => p.rcp = None,
    }
    c
}

fn layer_words(layer: Layer) -> &'static str {
    match layer {
        Layer::Identity => "identity-based policy",
        Layer::Resource => "resource-based policy",
        Layer::PermissionsBoundary => "permissions boundary",
        Layer::Scp => "SCP",
        Layer::Rcp => "RCP",
        Layer::Session => "session policy",
        Layer::VpcEndpoint => "VPC endpoint policy",
    }
}

fn level_words(level: usize, n: usize) -> String {
    let name = if level == 0 {
        "organization root"
    } else if level + 1 == n {
        "account"
    } else {
        "OU"
    };
    format!("at the {name} (level {} of {n})", level + 1)
}

fn policy_words(s: &Scenario, at: PolicyRef) -> String {
    let name = source(s, at)
        .and_then(|p| p.name.clone().or(p.arn.clone()))
        .map(|n| format!(" {n}"))
        .unwrap_or_else(|| match at.layer {
            Layer::Identity | Layer::Session | Layer::Scp | Layer::Rcp => {
                format!(" {}", at.index + 1)
            }
            _ => String::new(),
        });
    let n = match at.layer {
        Layer::Scp => s.policies.scp.as_ref().map_or(0, Vec::len),
        Layer::Rcp => s.policies.rcp.as_ref().map_or(0, Vec::len),
        _ => 0,
    };
    let level = at
        .level
        .map(|l| format!(" {}", level_words(l, n)))
        .unwrap_or_default();
    format!("the {}{name}{level}", layer_words(at.layer))
}

fn flipped(original: &Evaluation, e: &Evaluation) -> bool {
    (original.decision == Decision::Allowed) != (e.decision == Decision::Allowed)
        && e.undecided.is_none()
}

fn sentence(original: Decision, what: &str, e: &Evaluation) -> String {
    if original == Decision::Allowed {
        match e.denied_by {
            Some(l) => format!("denied by the {} without {what}", layer_words(l)),
            None => format!("denied without {what}"),
        }
    } else {
        format!("allowed but for {what}")
    }
}

/// Which single policy or layer taken away flips the decision, and what grants an allowed one.
pub fn counterfactuals(scenario: &Scenario) -> Counterfactuals {
    let original = evaluate(scenario);
    let mut flips = Vec::new();
    let policies = every_policy(&scenario.policies);
    for at in &policies {
        let e = evaluate(&without_policy(scenario, *at));
        if flipped(&original, &e) {
            flips.push(Counterfactual {
                layer: at.layer,
                policy: Some(*at),
                decision: e.decision,
                denied_by: e.denied_by,
                summary: sentence(original.decision, &policy_words(scenario, *at), &e),
            });
        }
    }
    let mut layers: Vec<Layer> = policies.iter().map(|at| at.layer).collect();
    layers.dedup();
    for layer in layers {
        let count = policies.iter().filter(|at| at.layer == layer).count();
        // A layer of one policy: taking the layer away is taking the policy away.
        if count == 1 && !matches!(layer, Layer::Scp | Layer::Rcp) {
            continue;
        }
        let e = evaluate(&without_layer(scenario, layer));
        if flipped(&original, &e) {
            let what = match layer {
                Layer::Scp => "the SCPs (outside an organization)".to_string(),
                Layer::Rcp => "the RCPs".to_string(),
                other => format!("every {}", layer_words(other)),
            };
            flips.push(Counterfactual {
                layer,
                policy: None,
                decision: e.decision,
                denied_by: e.denied_by,
                summary: sentence(original.decision, &what, &e),
            });
        }
    }
    let grants = if original.decision == Decision::Allowed {
        grants(scenario, &original)
    } else {
        Vec::new()
    };
    Counterfactuals {
        decision: original.decision,
        grants,
        flips,
    }
}

fn grants(scenario: &Scenario, original: &Evaluation) -> Vec<Grant> {
    let mut out: Vec<Grant> = Vec::new();
    for g in &original.gates {
        if g.kind == GateKind::ExplicitDeny || g.outcome != GateOutcome::Passed {
            continue;
        }
        for d in &g.deciding {
            if d.effect != Some(Effect::Allow) {
                continue;
            }
            let at = PolicyRef {
                layer: d.layer,
                level: d.level,
                index: d.index,
            };
            if out
                .iter()
                .any(|x| x.policy == at && x.statement == d.statement)
            {
                continue;
            }
            let still = document(scenario, at).and_then(|mut doc| {
                remove_statement(&mut doc, d.statement).then_some(())?;
                let mut copy = scenario.clone();
                Change::Policy {
                    at,
                    name: None,
                    before: None,
                    after: doc,
                }
                .apply(&mut copy)
                .then_some(())?;
                let e = evaluate(&copy);
                Some(e.decision == Decision::Allowed && e.undecided.is_none())
            });
            out.push(Grant {
                policy: at,
                statement: d.statement,
                label: d.label.clone(),
                still_allowed_without: still.unwrap_or(false),
            });
        }
    }
    out
}
