//! iamtrace-engine: evaluates AWS IAM authorization requests the way AWS does and explains why.
//!
//! The crate has no web dependencies; it builds natively and for `wasm32-unknown-unknown`.
//! Modules follow AWS's concepts:
//! - [`catalog`]: AWS's catalog of services, actions, resource types and condition keys,
//! - [`policy`]: the policy language (JSON with spans, grammar, validation),
//! - [`matching`]: actions, resources (ARNs), principals, wildcards, and the statement test,
//! - [`conditions`]: operators, set qualifiers, `IfExists`, policy variables,
//! - [`request`]: the caller and the condition context,
//! - [`compiled`]: compile a scenario once and decide many requests fast (no explanation),
//! - [`lint`]: what the catalog reveals about a policy (unknown actions, wrong resource types…),
//! - [`decision`]: the layered decision (explicit deny, RCP, SCP, VPC endpoint, resource,
//!   identity, permissions boundary, session) with its gates,
//! - [`explain`]: traces and the AccessDenied text,
//! - [`sweep`]: what the case's principal can do here: every action of a service or of the
//!   catalog decided through the compiled path,
//! - [`fixes`]: what to change so that a denied request is allowed (verified), and which policy
//!   or layer a decision rests on,
//! - [`scenario`]: the scenario file format, [`imports`]: artefacts users paste,
//!   [`sharing`]: permalinks, [`reproduction`]: whether a case reproduces AWS's claim and what
//!   to paste next.
//!
//! Every rule cites the rules reference `docs/rules.md` (AWS's documented behaviour, with links)
//! by section, as `rules §1.4` or `§1.4`.

pub mod catalog;
pub mod compiled;
pub mod conditions;
pub mod decision;
pub mod explain;
pub mod fixes;
pub mod imports;
mod interned;
pub mod lint;
pub mod matching;
pub mod policy;
pub mod reproduction;
pub mod request;
pub mod scenario;
pub mod sharing;
pub mod sweep;
