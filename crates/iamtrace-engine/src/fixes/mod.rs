//! What to change so that a denied request is allowed, and what a decision rests on.
//!
//! [`suggest`] proposes fixes for a denied scenario, best first. Every fix is **verified**: it is
//! applied to a copy of the scenario, which is evaluated again and must be allowed, with certainty,
//! with nothing else changed. Fixes follow least privilege (the request's own action, resource and
//! principal, never a new `*`), prefer the layer AWS blamed, and prefer editing the statement that
//! nearly applied (whose only failing tests are the ones the fix changes). A service control
//! policy or resource control policy is the organization's: such a fix is `outside_control`,
//! names the policy, statement and organization level, and says what the organization's
//! administrators would have to change.
//!
//! [`counterfactuals`] says, for any case, which single policy or layer taken away flips the
//! decision, and for an allowed case which statements grant it.

mod candidates;
mod change;
mod context_keys;
mod counterfactual;
mod diff;
mod document;
mod organization;
mod rank;
mod verify;

pub use change::{Change, PolicyRef};
pub use counterfactual::{
    counterfactuals, without_layer, without_policy, Counterfactual, Counterfactuals, Grant,
};

use crate::decision::{Decision, Layer, Side};
use crate::scenario::Scenario;
use serde::{Serialize, Serializer};

/// What a fix does, in the words of the CLI's `kind` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FixKind {
    /// Add the request's action, resource or principal to a statement that nearly applied, or
    /// narrow a `Deny` with the exception AWS documents (an `aws:PrincipalArn` condition).
    EditStatement,
    /// Add a statement (or a policy) allowing exactly the request; a KMS key policy statement
    /// delegating to IAM.
    AddStatement,
    /// Remove a `Deny` statement.
    RemoveStatement,
    /// Send the request with a context value it lacks (through a VPC endpoint, with MFA, over
    /// TLS, with a tag).
    AddContext,
    /// Only the organization's administrators can change it: a service control policy or
    /// resource control policy.
    OutsideControl,
}

impl FixKind {
    /// The CLI name (`edit_statement`, …).
    pub fn name(self) -> &'static str {
        match self {
            FixKind::EditStatement => "edit_statement",
            FixKind::AddStatement => "add_statement",
            FixKind::RemoveStatement => "remove_statement",
            FixKind::AddContext => "add_context",
            FixKind::OutsideControl => "outside_control",
        }
    }
}

/// For an organization policy: where it sits and what its administrators could do.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Organization {
    /// `organization root`, `OU` or `account`.
    pub level_name: String,
    /// The policy's name or ARN, as given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_name: Option<String>,
    /// The statement that denies (Sid or "statement N"); `None` when the level lacks an `Allow`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    /// Exemptions the statement or AWS documents that would let the request through without
    /// changing the policy ("the statement does not apply when aws:PrincipalARN matches …").
    pub exemptions: Vec<String>,
}

/// One verified suggestion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fix {
    pub kind: FixKind,
    /// The layer of the (first) policy the fix changes.
    pub layer: Layer,
    /// The (first) policy the fix changes; for `add_context`, the policy whose condition needs
    /// the value.
    pub policy: PolicyRef,
    /// Cross-account requests: the side of the (first) change, the caller's account or the
    /// resource owner's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub side: Option<Side>,
    /// One or more sentences for the user.
    pub summary: String,
    /// Unified-style text of each changed policy (or the request context) before and after.
    pub diff: String,
    /// Every change, in order (a cross-account fix may need both accounts' policies).
    pub changes: Vec<Change>,
    /// The whole fixed scenario; `None` for `outside_control` (the change is not the user's).
    #[serde(serialize_with = "scenario_json")]
    pub scenario: Option<Scenario>,
    /// For `outside_control`: the organization policy and what its administrators could change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<Organization>,
}

fn scenario_json<S: Serializer>(s: &Option<Scenario>, ser: S) -> Result<S::Ok, S::Error> {
    match s {
        Some(s) => s.to_json().serialize(ser),
        None => ser.serialize_none(),
    }
}

/// The fixes for one scenario, with what it took to find them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestions {
    /// The decision of the scenario as given.
    pub decision: Decision,
    /// Verified fixes, best first (empty when allowed, or when nothing verified).
    pub fixes: Vec<Fix>,
    /// How many candidate changes were tried (applied and evaluated).
    pub candidates: usize,
    /// Why there are no fixes, or what the user should know about them.
    pub notes: Vec<String>,
}

/// The most changes one fix combines (a cross-account request may miss both sides and an
/// explicit deny at once).
const MAX_CHANGES: usize = 3;

/// Proposes verified fixes for a denied scenario, best first.
pub fn suggest(scenario: &Scenario) -> Suggestions {
    verify::search(scenario)
}
