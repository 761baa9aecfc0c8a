//! The explanation of one statement and one policy against a request: the data the UI's trace
//! view and the CLI draw. Every entry points back at the policy text with a span.

use crate::policy::{Effect, PolicyType, Span};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Whether a statement (or one of its tests) applies to the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Applies {
    Yes,
    No,
    /// The engine cannot decide (unknown operator, malformed value, missing element). Never
    /// silently treated as yes or no; the decision reports it.
    Unknown,
}

/// The entry of an `Action`/`Resource`/`Principal` list that decided the test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchedEntry {
    /// Position in the element's list, from 0.
    pub index: usize,
    /// The entry as written.
    pub pattern: String,
    /// The entry after policy-variable substitution, when it contained variables.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub substituted: Option<String>,
    pub span: Span,
}

/// The outcome of the `Action`, `Resource` or `Principal` test of a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElementTrace {
    /// The element name as written: `Action`, `NotAction`, `Resource`, `NotResource`,
    /// `Principal`, `NotPrincipal`; or the element AWS assumes when it is absent.
    #[serde(deserialize_with = "crate::interned::deserialize")]
    pub element: crate::interned::StaticText,
    /// Whether the test passes (for `Not…` elements: no entry matched).
    pub passes: Applies,
    /// The entry that matched, if any (for `Not…` elements the entry that excluded the request).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<MatchedEntry>,
    /// A sentence for the user: "s3:GetObject matches s3:Get*", "no entry matches iam:CreateUser".
    /// Shared (`Arc`) because most statements of a policy fail for the same reason: one string,
    /// not one per statement, keeps evaluation fast.
    pub reason: Arc<str>,
    /// The whole element, when present in the text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

/// How a resource-based `Principal` entry named the caller; decides which implicit denies the
/// grant overrides in the same-account table (rules §1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantKind {
    /// The caller's own ARN (user, role session, federated user).
    Caller,
    /// The parent entity: the role of a role session, the federating user of a federated user.
    ParentEntity,
    /// The caller's account (`123456789012` or `arn:aws:iam::123456789012:root`): delegation.
    Account,
    /// `"*"` or `{"AWS": "*"}`: everyone.
    Wildcard,
    /// A service principal (`{"Service": …}`).
    Service,
    /// A federated identity provider (`{"Federated": …}`).
    Federated,
    /// An S3 canonical user.
    CanonicalUser,
}

/// The `Principal`/`NotPrincipal` test, with how the caller was named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrincipalTrace {
    #[serde(flatten)]
    pub element: ElementTrace,
    /// For a passing `Principal`: how the caller was named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grant: Option<GrantKind>,
}

/// A policy value of a condition, with its substitution when it used policy variables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyValueTrace {
    pub text: String,
    /// The value after substituting variables (absent when it has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub substituted: Option<String>,
    /// A variable had no value and no default: this value can match nothing (§3.13).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unresolved: bool,
    /// Whether this value matched the request (for the value list display).
    pub matched: bool,
    pub span: Span,
}

/// One condition (`operator: {key: values}`) evaluated against the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConditionTrace {
    /// The operator as written.
    pub operator: String,
    pub operator_span: Span,
    /// The key as written in the policy.
    pub key: String,
    pub key_span: Span,
    pub values: Vec<PolicyValueTrace>,
    /// The request's values for the key; `None` when the key is absent from the request.
    pub request_values: Option<Vec<String>>,
    /// The condition's truth: `Yes` (true), `No` (false), `Unknown` (cannot be evaluated).
    pub outcome: Applies,
    /// Why, in a sentence: "key absent: a negated operator is true", "IfExists: key absent, true",
    /// "ForAllValues: request value 'x' is not in the policy set", "unknown operator …".
    pub reason: String,
    /// The key was absent from the request (so the user may have forgotten to give it).
    pub key_missing: bool,
}

/// One statement evaluated against the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementTrace {
    /// Position in the policy, from 0.
    pub index: usize,
    pub sid: Option<String>,
    /// Sid or "statement N".
    pub label: String,
    pub effect: Option<Effect>,
    pub span: Span,
    /// Whether the statement applies: principal, action, resource and every condition pass.
    pub applies: Applies,
    /// Present for policy types that carry a principal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<PrincipalTrace>,
    pub action: ElementTrace,
    pub resource: ElementTrace,
    pub conditions: Vec<ConditionTrace>,
    /// The conditions were not evaluated because the principal, action or resource test already
    /// failed, so the statement cannot apply whatever they say; `conditions` is then empty.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub conditions_skipped: bool,
    /// Choices iamtrace made where AWS is silent that affected this statement
    /// ("AWS does not document this; we assume …").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assumptions: Vec<String>,
    /// What AWS's catalog says about a failed `Resource` (see [`super::Diagnosis`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diagnosis: Option<super::Diagnosis>,
}

/// The combined result of a set of statements (§1.2 `result(S)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyResult {
    /// Some applicable statement has `Effect: Deny`.
    Deny,
    /// No applicable `Deny`, some applicable `Allow`.
    Allow,
    /// No statement applies.
    NoMatch,
}

/// One policy evaluated against the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyTrace {
    pub policy_type: PolicyType,
    pub result: PolicyResult,
    pub statements: Vec<StatementTrace>,
    /// Some statement could not be evaluated; `result` counts it as not applying.
    pub has_unknown: bool,
}
