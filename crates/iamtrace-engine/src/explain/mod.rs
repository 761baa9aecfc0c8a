//! The explanation: statement and policy traces, and the AccessDenied text AWS would print (§6).

pub mod aws_docs;
pub mod message;
mod trace;

pub use trace::{
    Applies, ConditionTrace, ElementTrace, GrantKind, MatchedEntry, PolicyResult, PolicyTrace,
    PolicyValueTrace, PrincipalTrace, StatementTrace,
};
