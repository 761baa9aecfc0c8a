//! The layered decision (§1, §2): explicit deny, RCPs, SCPs, VPC endpoint, resource-based policy,
//! identity policies, permissions boundary, session policies; same-account and cross-account.
//!
//! [`evaluate`] takes a whole [`Scenario`](crate::scenario::Scenario) and returns an [`Evaluation`]: the decision, the layer
//! AWS would blame, every gate in order with the policies and statements that decided it, and the
//! AccessDenied text AWS would print.

pub(crate) mod context;
mod evaluate;
mod gates;
mod layer;
mod load;
mod missing;
mod result;
pub mod services;
mod undecided;

pub use evaluate::evaluate;
pub use layer::Layer;
pub use result::{
    DecidingStatement, Decision, Evaluation, Gate, GateKind, GateOutcome, GatePolicy, InputError,
    MissingKey, PolicyError, PolicyReport, PossibleResult, Side, Undecided, UnknownStatement,
};
pub use services::ServiceNote;
pub use undecided::result_phrase;
