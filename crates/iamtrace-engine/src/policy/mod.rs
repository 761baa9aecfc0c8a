//! The policy language: a span-keeping JSON reader, the document model, parsing and validation
//! (IAM-SEMANTICS §3).

pub mod json;
mod model;
mod span;

pub use model::{
    ActionBlock, ConditionEntry, Effect, Policy, PolicyType, PolicyVersion, PrincipalBlock,
    PrincipalEntry, PrincipalKind, ResourceBlock, Statement,
};
pub use span::{Span, Spanned};
