//! The explanation: statement and policy traces, and the AccessDenied text AWS would print (§6).

pub mod aws_docs;
mod diagnosis;
pub mod message;
mod trace;

pub use diagnosis::{Diagnosis, DiagnosisKind};

pub use trace::{
    Applies, ConditionTrace, ElementTrace, GrantKind, MatchedEntry, PolicyResult, PolicyTrace,
    PolicyValueTrace, PrincipalTrace, StatementTrace,
};
