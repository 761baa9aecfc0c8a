//! Reading a policy document into the model (grammar of §3.1–§3.5) and validating it (§3.15).

use super::json::{Json, JsonError};
use super::{Finding, Policy, PolicyType};

/// A policy read from text: the model plus every finding about it.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedPolicy {
    pub policy: Policy,
    pub findings: Vec<Finding>,
}

/// Parses and validates a policy document. Only text that is not JSON at all is an `Err`;
/// every other problem is a finding on an (as far as possible) usable model.
pub fn parse_policy(text: &str, policy_type: PolicyType) -> Result<ParsedPolicy, JsonError> {
    let json = super::json::parse(text)?;
    Ok(policy_from_json(&json, policy_type))
}

/// Reads an already-parsed JSON value as a policy of the given type.
pub fn policy_from_json(json: &Json, policy_type: PolicyType) -> ParsedPolicy {
    let _ = (json, policy_type);
    todo!("policy grammar: helper A")
}
