//! Policies and layers switched off for a moment: the case is evaluated without them (the
//! engine's `fixes::without_policy` and `fixes::without_layer`), so the user sees the decision
//! "as if this SCP were detached". Nothing of it is saved: local storage, permalinks and
//! downloads keep every policy, switched off or not.
//!
//! Taking a policy out of a list (identity-based or session policies, the SCPs of one level)
//! moves the ones after it up. The evaluation is renumbered back to the page's positions, so that
//! traces, findings and input errors stay on the editor they are about.

use crate::state::{Case, DocRef, Layer};
use iamtrace_engine::decision::{self, Evaluation};
use iamtrace_engine::fixes::{without_layer, without_policy, PolicyRef};
use iamtrace_engine::scenario::Scenario;
use std::collections::BTreeSet;

/// What the user switched off: documents by their id, layers by name. (Serialized only to
/// hand it to the page's evaluator worker with the case.)
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct SwitchedOff {
    pub docs: BTreeSet<u64>,
    pub layers: BTreeSet<Layer>,
}

impl SwitchedOff {
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty() && self.layers.is_empty()
    }

    pub fn toggle_doc(&mut self, id: u64) {
        if !self.docs.remove(&id) {
            self.docs.insert(id);
        }
    }

    pub fn toggle_layer(&mut self, layer: Layer) {
        if !self.layers.remove(&layer) {
            self.layers.insert(layer);
        }
    }
}

/// What is switched off and still on the page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Active {
    /// Whole layers, present in the case.
    pub layers: Vec<Layer>,
    /// Single policies, outside the layers above, in layer order.
    pub docs: Vec<DocRef>,
}

impl Active {
    pub fn is_empty(&self) -> bool {
        self.layers.is_empty() && self.docs.is_empty()
    }
}

/// Whether the case has the layer (present, even empty).
pub fn layer_present(case: &Case, layer: Layer) -> bool {
    match layer {
        Layer::Identity => case.identity.is_some(),
        Layer::Session => case.session.is_some(),
        Layer::Resource => case.resource_policy.is_some(),
        Layer::PermissionsBoundary => case.boundary.is_some(),
        Layer::VpcEndpoint => case.vpce.is_some(),
        Layer::Scp => case.scp.is_some(),
        Layer::Rcp => case.rcp.is_some(),
    }
}

/// The switch-offs that take effect: ids of removed documents and layers no longer present are
/// ignored, and a policy of a switched-off layer is counted with its layer.
pub fn active(case: &Case) -> Active {
    let off = &case.switched_off;
    if off.is_empty() {
        return Active::default();
    }
    let layers: Vec<Layer> = off
        .layers
        .iter()
        .copied()
        .filter(|l| layer_present(case, *l))
        .collect();
    let docs = case
        .all_docs()
        .into_iter()
        .filter(|(r, d)| off.docs.contains(&d.id) && !layers.contains(&r.layer))
        .map(|(r, _)| r)
        .collect();
    Active { layers, docs }
}

/// Whether the document is switched off (by itself or with its layer).
pub fn doc_is_off(case: &Case, id: u64) -> bool {
    case.switched_off.docs.contains(&id)
        || case
            .doc_ref(id)
            .is_some_and(|r| case.switched_off.layers.contains(&r.layer))
}

fn policy_ref(r: DocRef) -> PolicyRef {
    PolicyRef {
        layer: r.layer,
        level: r.level,
        index: r.index,
    }
}

/// The scenario without what is switched off, and the list positions taken out (policies of
/// identity, session, SCP and RCP lists, whose followers move up).
pub fn scenario_without(case: &Case, active: &Active) -> (Scenario, Vec<DocRef>) {
    let mut s = case.to_scenario();
    for layer in &active.layers {
        s = without_layer(&s, *layer);
    }
    // From the last position to the first, so that each removal leaves the others in place.
    let mut docs = active.docs.clone();
    docs.sort_by_key(|r| std::cmp::Reverse(r.index));
    for r in &docs {
        s = without_policy(&s, policy_ref(*r));
    }
    let shifted = docs
        .into_iter()
        .filter(|r| {
            matches!(
                r.layer,
                Layer::Identity | Layer::Session | Layer::Scp | Layer::Rcp
            )
        })
        .collect();
    (s, shifted)
}

/// The page's position of the policy now at `index` of its list.
fn original_index(removed: &[DocRef], layer: Layer, level: Option<usize>, index: usize) -> usize {
    let mut gone: Vec<usize> = removed
        .iter()
        .filter(|r| r.layer == layer && r.level == level)
        .map(|r| r.index)
        .collect();
    gone.sort_unstable();
    let mut i = index;
    for g in gone {
        if g <= i {
            i += 1;
        }
    }
    i
}

/// `policies.identity[1]…` or `policies.scp[1][0]…` with the page's position.
fn original_place(removed: &[DocRef], place: &str) -> String {
    let Some(rest) = place.strip_prefix("policies.") else {
        return place.to_string();
    };
    let Some(open) = rest.find('[') else {
        return place.to_string();
    };
    let Some(layer) = Layer::from_name(&rest[..open]) else {
        return place.to_string();
    };
    let mut nums = Vec::new();
    let mut tail = &rest[open..];
    while let Some(inner) = tail.strip_prefix('[') {
        let Some(close) = inner.find(']') else { break };
        let Ok(n) = inner[..close].parse::<usize>() else {
            break;
        };
        nums.push(n);
        tail = &inner[close + 1..];
    }
    match nums.as_slice() {
        [i] => format!(
            "policies.{}[{}]{tail}",
            layer.name(),
            original_index(removed, layer, None, *i)
        ),
        [l, i] => format!(
            "policies.{}[{l}][{}]{tail}",
            layer.name(),
            original_index(removed, layer, Some(*l), *i)
        ),
        _ => place.to_string(),
    }
}

/// Renumbers an evaluation of [`scenario_without`] to the page's positions.
pub fn restore_positions(e: &mut Evaluation, removed: &[DocRef]) {
    if removed.is_empty() {
        return;
    }
    for p in &mut e.policies {
        p.index = original_index(removed, p.layer, p.level, p.index);
    }
    for g in &mut e.gates {
        for p in &mut g.policies {
            p.index = original_index(removed, p.layer, p.level, p.index);
        }
        for d in &mut g.deciding {
            d.index = original_index(removed, d.layer, d.level, d.index);
        }
    }
    for u in &mut e.unknown_statements {
        u.index = original_index(removed, u.layer, u.level, u.index);
    }
    for x in &mut e.errors {
        x.place = original_place(removed, &x.place);
    }
}

/// Evaluates the case as AWS would, without what is switched off.
pub fn evaluate(case: &Case) -> Evaluation {
    let active = active(case);
    if active.is_empty() {
        return decision::evaluate(&case.to_scenario());
    }
    let (s, removed) = scenario_without(case, &active);
    let mut e = decision::evaluate(&s);
    restore_positions(&mut e, &removed);
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Doc;
    use iamtrace_engine::decision::Decision;

    const ALLOW: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
    const DENY: &str = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "No", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}]}"#;

    fn case(docs: &[&str]) -> Case {
        Case {
            identity: Some(docs.iter().map(|t| Doc::new(*t)).collect()),
            ..Case::starter()
        }
    }

    #[test]
    fn switching_off_the_deny_allows_and_keeps_positions() {
        let mut c = case(&[DENY, ALLOW, "{ not json"]);
        assert_eq!(evaluate(&c).decision, Decision::ExplicitDeny);
        let deny = c.identity.as_ref().map_or(0, |v| v[0].id);
        c.switched_off.toggle_doc(deny);
        let e = evaluate(&c);
        assert_eq!(e.decision, Decision::Allowed);
        // The allow is still the page's second policy, the unreadable one its third.
        let indices: Vec<usize> = e.policies.iter().map(|p| p.index).collect();
        assert_eq!(indices, vec![1, 2]);
        assert!(e.errors.iter().any(|x| x.place == "policies.identity[2]"));
        // Nothing of it is saved.
        let back = Case::from_storage(&c.to_storage()).map(|c| c.switched_off);
        assert_eq!(back, Some(SwitchedOff::default()));
        assert!(c
            .to_scenario()
            .policies
            .identity
            .is_some_and(|v| v.len() == 3));
    }

    #[test]
    fn switching_off_a_layer_removes_it() {
        let mut c = case(&[ALLOW]);
        c.boundary = Some(Doc::new(DENY));
        assert_eq!(evaluate(&c).decision, Decision::ExplicitDeny);
        c.switched_off.toggle_layer(Layer::PermissionsBoundary);
        assert_eq!(evaluate(&c).decision, Decision::Allowed);
        c.switched_off.toggle_layer(Layer::PermissionsBoundary);
        assert_eq!(evaluate(&c).decision, Decision::ExplicitDeny);
    }

    #[test]
    fn places_are_renumbered_per_list() {
        let removed = [
            DocRef {
                layer: Layer::Scp,
                level: Some(1),
                index: 0,
            },
            DocRef {
                layer: Layer::Scp,
                level: Some(1),
                index: 2,
            },
        ];
        assert_eq!(
            original_place(&removed, "policies.scp[1][0]"),
            "policies.scp[1][1]"
        );
        assert_eq!(
            original_place(&removed, "policies.scp[1][1]"),
            "policies.scp[1][3]"
        );
        assert_eq!(
            original_place(&removed, "policies.scp[0][0]"),
            "policies.scp[0][0]"
        );
        assert_eq!(
            original_place(&removed, "policies.identity[0]"),
            "policies.identity[0]"
        );
        assert_eq!(
            original_place(&removed, "request.principal"),
            "request.principal"
        );
    }
}
