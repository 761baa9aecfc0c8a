//! The policy language: a span-keeping JSON reader, the document model, parsing and validation
//! (rules §3).

mod arn_check;
mod condition_check;
pub mod envelope;
mod finding;
mod grammar;
pub mod json;
mod model;
mod parse;
pub mod quota;
mod span;
mod validate;
mod variables;

pub use finding::{Finding, FindingCode, Severity};
pub use model::{
    ActionBlock, ConditionEntry, Effect, Policy, PolicyType, PolicyVersion, PrincipalBlock,
    PrincipalEntry, PrincipalKind, ResourceBlock, Statement, Unreadable,
};
pub(crate) use parse::policy_model;
pub use parse::{parse_policy, policy_from_json, ParsedPolicy};
pub use span::{Span, Spanned};
