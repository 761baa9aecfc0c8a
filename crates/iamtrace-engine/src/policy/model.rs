//! The parsed form of an IAM policy document (rules §3.1–§3.5), every element with its span.
//!
//! The model is deliberately close to the JSON: it records what was written (including raw
//! operator names and unparsed values) so that validation and the trace can speak about the
//! user's text. Interpretation (matching, conditions) lives in `matching` and `conditions`.

use super::span::{Span, Spanned};
use serde::Serialize;

/// The kind of policy a document is, which decides the elements it may carry (§3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyType {
    /// Identity-based policy (inline or managed) attached to a user, group or role.
    Identity,
    /// Resource-based policy (bucket policy, queue policy, key policy, secret policy…).
    Resource,
    /// An IAM role trust policy (the role's resource-based policy for `sts:AssumeRole*`).
    TrustPolicy,
    /// A permissions boundary attached to a user or role.
    PermissionsBoundary,
    /// A session policy passed to `AssumeRole*` or `GetFederationToken`.
    Session,
    /// An AWS Organizations service control policy.
    Scp,
    /// An AWS Organizations resource control policy.
    Rcp,
    /// A VPC endpoint policy.
    VpcEndpoint,
}

impl PolicyType {
    /// The name AWS uses in its documentation and error texts.
    pub fn aws_name(self) -> &'static str {
        match self {
            PolicyType::Identity => "identity-based policy",
            PolicyType::Resource => "resource-based policy",
            PolicyType::TrustPolicy => "role trust policy",
            PolicyType::PermissionsBoundary => "permissions boundary",
            PolicyType::Session => "session policy",
            PolicyType::Scp => "service control policy",
            PolicyType::Rcp => "resource control policy",
            PolicyType::VpcEndpoint => "VPC endpoint policy",
        }
    }

    /// Whether statements of this type carry `Principal`/`NotPrincipal` (§1.2, §3.4).
    pub fn has_principal(self) -> bool {
        matches!(
            self,
            PolicyType::Resource
                | PolicyType::TrustPolicy
                | PolicyType::Rcp
                | PolicyType::VpcEndpoint
        )
    }
}

/// The `Version` element (§3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PolicyVersion {
    /// `2012-10-17`: the current language, with policy variables.
    V2012_10_17,
    /// `2008-10-17`, or no `Version` at all: `${…}` is literal text.
    V2008_10_17,
}

/// `Allow` or `Deny` (case-sensitive, §3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub enum Effect {
    Allow,
    Deny,
}

/// A whole policy document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Policy {
    /// The `Version` element as written, if present.
    pub version_text: Option<Spanned<String>>,
    /// The language version in force (absent or invalid `Version`: 2008-10-17 semantics).
    pub version: PolicyVersion,
    pub id: Option<Spanned<String>>,
    pub statements: Vec<Statement>,
    /// The whole document.
    pub span: Span,
}

impl Policy {
    /// Whether policy variables are substituted (only under 2012-10-17, §3.13).
    pub fn variables_enabled(&self) -> bool {
        self.version == PolicyVersion::V2012_10_17
    }
}

/// One statement. Elements that were missing or malformed are `None`; validation reports why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    /// Position in the policy's statement list, from 0.
    pub index: usize,
    pub sid: Option<Spanned<String>>,
    pub effect: Option<Spanned<Effect>>,
    pub principal: Option<PrincipalBlock>,
    pub action: Option<ActionBlock>,
    pub resource: Option<ResourceBlock>,
    /// Condition entries flattened: one per (operator, key) pair, in source order.
    pub conditions: Vec<ConditionEntry>,
    /// Whether a `Condition` element was present (an empty `{}` is a validation error, §3.8).
    pub has_condition_element: bool,
    /// Elements that could not be read in full (a value of the wrong JSON type, an empty
    /// condition block): AWS would reject the policy, so what it means is unknown and the
    /// element's test is `Unknown` (never "matches" or "absent").
    pub unreadable: Vec<Unreadable>,
    pub span: Span,
}

impl Statement {
    /// A label for the trace: the Sid, or "statement N" (1-based) when there is none.
    pub fn label(&self) -> String {
        match &self.sid {
            Some(s) if !s.value.is_empty() => s.value.clone(),
            _ => format!("statement {}", self.index + 1),
        }
    }
}

/// An element of a statement that the grammar could not read in full.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unreadable {
    /// The element as written: `Action`, `NotResource`, `Principal`, `Condition`…
    pub element: &'static str,
    /// The element's whole member (name and value).
    pub span: Span,
}

impl Statement {
    /// The first unreadable part of `element` (or of its `Not…` twin), if any.
    pub fn unreadable(&self, element: &str) -> Option<&Unreadable> {
        self.unreadable
            .iter()
            .find(|u| u.element.trim_start_matches("Not") == element)
    }
}

/// `Action` or `NotAction`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionBlock {
    /// `true` for `NotAction`.
    pub negated: bool,
    pub patterns: Vec<Spanned<String>>,
    pub span: Span,
}

/// `Resource` or `NotResource`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResourceBlock {
    /// `true` for `NotResource`.
    pub negated: bool,
    pub patterns: Vec<Spanned<String>>,
    pub span: Span,
}

/// `Principal` or `NotPrincipal` (§3.5).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrincipalBlock {
    /// `true` for `NotPrincipal`.
    pub negated: bool,
    /// The entries; the bare string form `"*"` becomes one entry of kind [`PrincipalKind::Any`].
    pub entries: Vec<PrincipalEntry>,
    pub span: Span,
}

/// The key under which a principal value is listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum PrincipalKind {
    /// The bare `"Principal": "*"` form.
    Any,
    /// `AWS`: accounts, users, roles, sessions, federated users, unique IDs, or `*`.
    Aws,
    Service,
    Federated,
    CanonicalUser,
}

/// One principal value, e.g. `{"AWS": "arn:aws:iam::111122223333:root"}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrincipalEntry {
    pub kind: PrincipalKind,
    pub value: Spanned<String>,
}

/// One `operator: { key: values }` pair of a `Condition` element.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConditionEntry {
    /// The operator as written, e.g. `ForAnyValue:StringLikeIfExists`. Parsed by `conditions`.
    pub operator: Spanned<String>,
    /// The condition key as written (matching is case-insensitive, §3.8).
    pub key: Spanned<String>,
    /// The values, normalised to strings (numbers and booleans written bare become text, §3.1).
    pub values: Vec<Spanned<String>>,
    /// Span of the whole `key: values` member.
    pub span: Span,
}
