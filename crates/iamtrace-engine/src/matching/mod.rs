//! Matching: wildcards, actions, resource ARNs, principals, and whether a statement applies (§3.5–§3.7, §1.2).

mod statement;

pub use statement::{evaluate_policy, evaluate_statement};
