//! Whether a statement applies to a request (§1.2): principal, action, resource and conditions,
//! explained entry by entry.

use crate::explain::{PolicyTrace, StatementTrace};
use crate::policy::{Policy, PolicyType, Statement};
use crate::request::Request;

/// Evaluates one statement of `policy` (a policy of type `policy_type`) against the request.
pub fn evaluate_statement(
    statement: &Statement,
    policy: &Policy,
    policy_type: PolicyType,
    request: &Request,
) -> StatementTrace {
    let _ = (statement, policy, policy_type, request);
    todo!("statement evaluation: helper B")
}

/// Evaluates every statement of a policy and combines them (`result(S)` of §1.2).
pub fn evaluate_policy(policy: &Policy, policy_type: PolicyType, request: &Request) -> PolicyTrace {
    let _ = (policy, policy_type, request);
    todo!("policy evaluation: helper B")
}
