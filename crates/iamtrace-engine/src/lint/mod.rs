//! Lint: what AWS's catalog (see [`crate::catalog`]) reveals about a policy that its grammar
//! cannot — an action that does not exist grants nothing, a `Resource` of the wrong resource
//! type never matches, a condition key that the action's requests never carry is always absent.
//!
//! # Finding codes
//!
//! Codes are stable (never renamed once released); severities follow IAM Access Analyzer's
//! grades (<https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>).
//!
//! | code | severity | meaning |
//! |---|---|---|
//! | `unknown-service` | error | the action's service prefix is not in the catalog |
//! | `unknown-action` | error | the service has no such action (with a "did you mean") |
//! | `action-pattern-matches-nothing` | warning | a wildcard action that matches no action |
//! | `resource-type-mismatch` | error | no `Resource` entry of the statement can be a resource type the action is authorized on |
//! | `unknown-condition-key` | warning | neither a global key nor a key of any service |
//! | `condition-key-not-for-action` | warning | none of the statement's actions has the key in its requests |
//! | `operator-key-type-mismatch` | warning | the operator compares another type than the key's |
//!
//! The lint never guesses: a statement with `NotAction` is not checked against actions'
//! resource types or keys, `NotResource` is not checked against resource types, `"Action": "*"`
//! covers every key, and a `Resource` entry with a policy variable may be anything.

mod actions;
mod conditions;
mod diagnose;
mod resources;
pub(crate) mod suggest;

use crate::catalog;
use crate::policy::{Finding, Policy, PolicyType, Statement};

pub use actions::{resolve_actions, Resolved};
pub use diagnose::diagnose;
pub use suggest::did_you_mean;

/// The catalog findings of a policy, in source order. Empty when the catalog is unavailable.
/// The checks are the same for every policy type (the type decides which elements exist, and
/// that is the grammar's finding).
pub fn lint_policy(policy: &Policy, _policy_type: PolicyType) -> Vec<Finding> {
    let Some(cat) = catalog::catalog() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for statement in &policy.statements {
        lint_statement(cat, statement, &mut out);
    }
    out.sort_by_key(|f| (f.span.start, f.span.end));
    out
}

fn lint_statement(cat: &'static catalog::Catalog, statement: &Statement, out: &mut Vec<Finding>) {
    let Some(block) = &statement.action else {
        return;
    };
    let resolved = actions::check_actions(cat, block, out);
    // What the statement's requests can be: only for `Action` (NotAction covers the rest).
    let listed: Option<&Resolved> = (!block.negated).then_some(&resolved);
    if let Some(listed) = listed {
        resources::check_resources(listed, statement, out);
    }
    conditions::check_conditions(cat, listed, statement, out);
}
