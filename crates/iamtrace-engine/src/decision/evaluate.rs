//! The decision procedure of IAM-SEMANTICS §1.3 (single account) and §1.5 (cross-account).

use super::context::build_request;
use super::result::{Decision, Evaluation};
use crate::scenario::Scenario;

/// Decides a whole scenario the way AWS does and explains it.
pub fn evaluate(scenario: &Scenario) -> Evaluation {
    let built = build_request(scenario);
    let cross_account = built.request.is_cross_account();
    let complete = built.errors.is_empty();
    Evaluation {
        decision: Decision::ImplicitDeny,
        denied_by: None,
        message: None,
        message_note: None,
        cross_account,
        gates: Vec::new(),
        policies: Vec::new(),
        request: built.request,
        missing_keys: Vec::new(),
        assumptions: built.assumptions,
        errors: built.errors,
        complete,
    }
}
