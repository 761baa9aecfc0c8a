//! Matching: wildcards, actions, resource ARNs, principals, and whether a statement applies (§3.5–§3.7, §1.2).

pub mod action;
pub mod arn;
pub mod principal;
mod statement;
pub mod wildcard;

pub use action::action_matches;
pub use arn::{resource_matches, split_arn};
pub use principal::{evaluate_principal, match_principal_entry, EntryMatch};
pub(crate) use statement::resource_entry;
pub use statement::{evaluate_policy, evaluate_statement};
