//! The result of deciding a whole request: the decision, the layer AWS would blame, the gates in
//! order (the data the decision-flow picture draws), every policy's trace, the AWS message, and
//! what the user should know (derived keys, missing keys, assumptions, input errors).

use super::services::ServiceNote;
use super::Layer;
use crate::explain::{PolicyResult, PolicyTrace};
use crate::policy::{Effect, Finding, PolicyType, Span};
use crate::request::Request;
use serde::{Deserialize, Serialize};

/// AWS's three outcomes (§1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Allowed,
    ExplicitDeny,
    ImplicitDeny,
}

impl Decision {
    /// The scenario-file name (`allowed`, `explicit_deny`, `implicit_deny`).
    pub fn name(self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::ExplicitDeny => "explicit_deny",
            Decision::ImplicitDeny => "implicit_deny",
        }
    }
}

impl std::fmt::Display for Decision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Which of the two evaluations of a cross-account request a gate belongs to (§1.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The trusted account: the caller's own policies.
    Caller,
    /// The trusting account: the resource owner's policies.
    Resource,
}

/// One check of the evaluation flow (§1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GateKind {
    /// Any applicable `Deny` in any participating policy ends the evaluation.
    ExplicitDeny,
    /// One level (root, OU…, account) of the resource owner's RCPs.
    Rcp,
    /// One level of the caller's account's SCPs.
    Scp,
    VpcEndpoint,
    /// The resource-based policy (key policy, role trust policy, bucket policy…).
    Resource,
    Identity,
    PermissionsBoundary,
    Session,
}

/// What a gate said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GateOutcome {
    /// The gate found what it needs (an Allow; or no Deny for the explicit-deny check).
    Passed,
    /// The gate is where the request stops (or would stop, if an earlier gate had not).
    Failed,
    /// Not needed for this request: an earlier rule already decided it (a resource-based grant
    /// naming the caller, `sts:GetCallerIdentity`…).
    Skipped,
    /// The layer does not take part: no policy given, or the caller/resource is exempt.
    NotApplicable,
    /// What the gate says depends on a statement that could not be evaluated: the reason names
    /// it and says what the gate would say if it applied.
    Unknown,
}

/// A policy as a gate used it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GatePolicy {
    /// Position in [`Evaluation::policies`].
    pub policy: usize,
    pub layer: Layer,
    /// The organization level (0 = root) for SCPs and RCPs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<usize>,
    /// Position among the layer's (or level's) policies.
    pub index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// `None` when the policy could not be read.
    pub result: Option<PolicyResult>,
    pub trace: Option<PolicyTrace>,
}

/// A statement that decided a gate: the `Deny` that matched, or the `Allow` that let it pass.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecidingStatement {
    /// Position in [`Evaluation::policies`].
    pub policy: usize,
    pub layer: Layer,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<usize>,
    /// Position of the policy among its layer's (or level's) policies.
    pub index: usize,
    /// Position of the statement in the policy.
    pub statement: usize,
    /// Sid or "statement N".
    pub label: String,
    pub effect: Option<Effect>,
    /// The statement's place in the policy text (add [`PolicyReport::base`] for the file).
    pub span: Span,
}

/// One gate of the flow, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gate {
    pub kind: GateKind,
    /// The layer the gate blames when it fails (`None` for the explicit-deny check).
    pub layer: Option<Layer>,
    /// A short title: "SCP level 2 of 3", "KMS key policy", "role trust policy".
    pub title: String,
    /// Cross-account requests: which evaluation the gate belongs to. `None` in one account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub side: Option<Side>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<usize>,
    pub outcome: GateOutcome,
    /// One line: why the gate said what it said (with the rules section it cites).
    pub reason: String,
    pub policies: Vec<GatePolicy>,
    pub deciding: Vec<DecidingStatement>,
    /// This gate decided the request (the blamed one when denied).
    pub decisive: bool,
}

/// Why a policy could not be read, and where (in the policy text, and in the file when known).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyError {
    pub message: String,
    pub line: u32,
    pub column: u32,
    pub span: Span,
}

/// Every policy of the scenario, read and evaluated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyReport {
    pub layer: Layer,
    /// The type it was read as (the resource layer is a trust policy for `sts:AssumeRole*`).
    pub policy_type: PolicyType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<usize>,
    pub index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// Where the policy text sits in the scenario file (spans in the trace are relative to the
    /// policy text; `Span::offset_by(base)` makes them file positions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<Span>,
    /// Whether the policy takes part in this request (SCPs of an exempt caller do not…).
    pub participates: bool,
    pub error: Option<PolicyError>,
    pub findings: Vec<Finding>,
    pub trace: Option<PolicyTrace>,
}

/// A condition that depended on a context key nobody gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MissingKey {
    pub key: String,
    /// Position in [`Evaluation::policies`].
    pub policy: usize,
    pub layer: Layer,
    pub statement: usize,
    pub label: String,
    pub effect: Option<Effect>,
    /// The policy values the condition compares against.
    pub values: Vec<String>,
    /// "this statement would match if `aws:SourceVpce` were `vpce-1a2b`" (when the missing keys
    /// are the only reason it does not apply), else what the key decided.
    pub message: String,
    /// Giving the key could change whether the statement applies.
    pub would_match: bool,
}

/// An input error: the decision is still computed from what could be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputError {
    /// What the error is about: `request.principal`, `policies.identity[0]`, …
    pub place: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}

/// A statement that could not be evaluated (unknown operator, unreadable condition…): AWS may or
/// may not apply it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnknownStatement {
    /// Position in [`Evaluation::policies`].
    pub policy: usize,
    pub layer: Layer,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<usize>,
    /// Position of the policy among its layer's (or level's) policies.
    pub index: usize,
    /// Position of the statement in the policy.
    pub statement: usize,
    /// Sid or "statement N".
    pub label: String,
    pub effect: Option<Effect>,
    /// The statement's place in the policy text.
    pub span: Span,
    /// The statement's place in the scenario file, when the policy's place there is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_span: Option<Span>,
    /// Why it could not be evaluated, one sentence per unknown test.
    pub reasons: Vec<String>,
    /// Whether it can change the decision (see [`Evaluation::undecided`]).
    pub could_change_decision: bool,
}

/// One possible result of an undecided request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PossibleResult {
    pub decision: Decision,
    /// The layer AWS would name; `None` when allowed.
    pub denied_by: Option<Layer>,
}

/// The decision depends on statements that could not be evaluated: both possible results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Undecided {
    /// The result when every unknown `Deny` applies and no unknown `Allow` does.
    pub most_restrictive: PossibleResult,
    /// The result when every unknown `Allow` applies and no unknown `Deny` does.
    pub most_permissive: PossibleResult,
    /// Positions in [`Evaluation::unknown_statements`] of the statements the result depends on.
    pub statements: Vec<usize>,
    /// One sentence: "allowed unless Deny statement 'X' in identity-based policy 1 applies; then
    /// explicitly denied by the identity-based policy".
    pub summary: String,
}

/// The whole result of [`evaluate`](super::evaluate).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// The decision with unknown statements read as not applying. When [`Evaluation::undecided`]
    /// is set this is only one of the possible results: show that first.
    pub decision: Decision,
    /// The layer AWS would name (§6.3 tie-break); `None` when allowed.
    pub denied_by: Option<Layer>,
    /// The AccessDenied text AWS would print (§6); `None` when allowed.
    pub message: Option<String>,
    /// When AWS would print only a generic `Access Denied` instead (§6.4), why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_note: Option<String>,
    /// The request crosses accounts: two evaluations, both must allow (§1.5).
    pub cross_account: bool,
    pub gates: Vec<Gate>,
    pub policies: Vec<PolicyReport>,
    /// The request as evaluated, with derived context keys marked as derived.
    pub request: Request,
    pub missing_keys: Vec<MissingKey>,
    /// "AWS does not document this; we assume …" statements that affected this decision.
    pub assumptions: Vec<String>,
    pub errors: Vec<InputError>,
    /// Service rules outside authorization: AWS refuses the request for another reason
    /// (`UnmodifiableEntity`…), or needs a second check, whatever the decision above says.
    pub service_notes: Vec<ServiceNote>,
    /// Every policy and statement could be read and evaluated.
    pub complete: bool,
    /// Every statement that could not be evaluated, including those that cannot change the
    /// decision.
    pub unknown_statements: Vec<UnknownStatement>,
    /// Set when a statement that could not be evaluated can change the decision (`null` in JSON
    /// when the decision is certain).
    pub undecided: Option<Undecided>,
}
