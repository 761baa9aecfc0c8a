//! One change to a scenario: a policy document replaced (or created), or request context keys
//! set, and how to apply it to a copy.

use crate::decision::Layer;
use crate::scenario::{PolicySource, Scenario};
use serde::Serialize;
use serde_json::Value;

/// Where a policy sits in a scenario: its layer, the organization level (0 = root) for SCPs and
/// RCPs, and its position among the layer's (or level's) policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct PolicyRef {
    pub layer: Layer,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<usize>,
    pub index: usize,
}

impl PolicyRef {
    /// The scenario-file path of the policy: `policies.identity[0]`, `policies.scp[1][0]`.
    pub fn place(&self) -> String {
        match (self.layer, self.level) {
            (_, Some(l)) => format!("policies.{}[{l}][{}]", self.layer.name(), self.index),
            (Layer::Identity | Layer::Session, None) => {
                format!("policies.{}[{}]", self.layer.name(), self.index)
            }
            (layer, None) => format!("policies.{}", layer.name()),
        }
    }
}

/// One change a fix makes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// A policy document replaced; `before` is `None` when the fix creates the policy.
    Policy {
        at: PolicyRef,
        /// The name given to a policy the fix creates.
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        before: Option<Value>,
        after: Value,
    },
    /// Request context keys set (`Some`) or removed (`None`), as `(key, before, after)`.
    Context {
        keys: Vec<(String, Option<Value>, Option<Value>)>,
    },
}

impl Change {
    /// The policy the change touches, if it is a policy change.
    pub fn policy(&self) -> Option<PolicyRef> {
        match self {
            Change::Policy { at, .. } => Some(*at),
            Change::Context { .. } => None,
        }
    }

    /// Applies the change to a scenario. `false` when the policy's place does not exist and
    /// cannot be created (an SCP level that is not there).
    pub fn apply(&self, scenario: &mut Scenario) -> bool {
        match self {
            Change::Policy {
                at, name, after, ..
            } => match slot(scenario, *at) {
                Some(src) => {
                    let Ok(text) = serde_json::to_string_pretty(after) else {
                        return false;
                    };
                    if src.text.is_empty() && src.name.is_none() {
                        src.name = name.clone();
                    }
                    src.text = text;
                    // The text no longer sits in the file as read.
                    src.base = None;
                    src.string_at = None;
                    src.was_string = false;
                    true
                }
                None => false,
            },
            Change::Context { keys } => {
                let ctx = &mut scenario.request.context;
                for (key, _, after) in keys {
                    // Context keys are case-insensitive: replace the key as the user wrote it.
                    let existing: Vec<String> = ctx
                        .keys()
                        .filter(|k| k.eq_ignore_ascii_case(key))
                        .cloned()
                        .collect();
                    for k in &existing {
                        ctx.remove(k);
                    }
                    if let Some(v) = after {
                        let k = existing.first().cloned().unwrap_or_else(|| key.clone());
                        ctx.insert(k, v.clone());
                    }
                }
                true
            }
        }
    }
}

/// The policy at `at`, created (empty) when it is the next one of an identity or session list,
/// or an absent single layer. SCP and RCP levels are never created.
fn slot(scenario: &mut Scenario, at: PolicyRef) -> Option<&mut PolicySource> {
    let p = &mut scenario.policies;
    match at.layer {
        Layer::Identity => list_slot(&mut p.identity, at.index),
        Layer::Session => list_slot(&mut p.session, at.index),
        Layer::Resource => single_slot(&mut p.resource, at.index),
        Layer::PermissionsBoundary => single_slot(&mut p.permissions_boundary, at.index),
        Layer::VpcEndpoint => single_slot(&mut p.vpc_endpoint, at.index),
        Layer::Scp => p.scp.as_mut()?.get_mut(at.level?)?.get_mut(at.index),
        Layer::Rcp => p.rcp.as_mut()?.get_mut(at.level?)?.get_mut(at.index),
    }
}

fn list_slot(l: &mut Option<Vec<PolicySource>>, index: usize) -> Option<&mut PolicySource> {
    let v = l.get_or_insert_with(Vec::new);
    if index == v.len() {
        v.push(PolicySource::default());
    }
    v.get_mut(index)
}

fn single_slot(s: &mut Option<PolicySource>, index: usize) -> Option<&mut PolicySource> {
    if index != 0 {
        return None;
    }
    Some(s.get_or_insert_with(PolicySource::default))
}

/// The policy at `at`, if the scenario has it.
pub(super) fn source(scenario: &Scenario, at: PolicyRef) -> Option<&PolicySource> {
    let p = &scenario.policies;
    match at.layer {
        Layer::Identity => p.identity.as_ref()?.get(at.index),
        Layer::Session => p.session.as_ref()?.get(at.index),
        Layer::Resource => p.resource.as_ref().filter(|_| at.index == 0),
        Layer::PermissionsBoundary => p.permissions_boundary.as_ref().filter(|_| at.index == 0),
        Layer::VpcEndpoint => p.vpc_endpoint.as_ref().filter(|_| at.index == 0),
        Layer::Scp => p.scp.as_ref()?.get(at.level?)?.get(at.index),
        Layer::Rcp => p.rcp.as_ref()?.get(at.level?)?.get(at.index),
    }
}

/// The document of the policy at `at` as a JSON object, when its text is one (a policy that
/// cannot be read is never edited).
pub(super) fn document(scenario: &Scenario, at: PolicyRef) -> Option<Value> {
    let v: Value = serde_json::from_str(&source(scenario, at)?.text).ok()?;
    v.is_object().then_some(v)
}
