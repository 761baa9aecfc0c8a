//! Reading a policy document into the model (grammar of §3.1–§3.5) and validating it (§3.15).
//!
//! The grammar lives in `grammar.rs`, the policy-type and value checks in `validate.rs`; this file
//! is the entry point. See `validate.rs` for the table of finding codes.

use super::json::{Json, JsonError};
use super::{grammar, validate};
use super::{Finding, Policy, PolicyType};

/// A policy read from text: the model plus every finding about it.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedPolicy {
    pub policy: Policy,
    pub findings: Vec<Finding>,
}

impl ParsedPolicy {
    /// Whether any finding is an error (AWS would refuse to save the policy).
    pub fn has_errors(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.severity == super::Severity::Error)
    }
}

/// Parses and validates a policy document. Only text that is not JSON at all is an `Err`;
/// every other problem is a finding on an (as far as possible) usable model.
pub fn parse_policy(text: &str, policy_type: PolicyType) -> Result<ParsedPolicy, JsonError> {
    let json = super::json::parse(text)?;
    Ok(policy_from_json(&json, policy_type))
}

/// Reads an already-parsed JSON value as a policy of the given type. Never panics; findings are
/// sorted by position in the source.
pub fn policy_from_json(json: &Json, policy_type: PolicyType) -> ParsedPolicy {
    let mut findings = grammar::Findings::default();
    let (policy, facts) = grammar::read_policy(json, &mut findings);
    validate::validate(&policy, &facts, policy_type, &mut findings);
    let mut findings = findings.0;
    findings.sort_by_key(|f| (f.span.start, f.span.end));
    ParsedPolicy { policy, findings }
}

/// The model of an already-parsed JSON policy without validating it: what evaluation reads
/// (validation only adds findings, never changes the model). For the compiled decision path,
/// which reads a policy once and reports no findings.
pub(crate) fn policy_model(json: &Json) -> Policy {
    let mut findings = grammar::Findings::default();
    grammar::read_policy(json, &mut findings).0
}
