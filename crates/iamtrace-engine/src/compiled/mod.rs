//! Compile once, decide many: a scenario's policies read and prepared once, then any number of
//! requests decided against them without a trace, sentences or per-statement allocation.
//!
//! [`decision::evaluate`](crate::decision::evaluate) reads every policy and explains every gate
//! on each call; that is what the case on screen needs. Sweeps and searches (every action of a
//! service, every variant of a case) need only the outcome, thousands of times:
//!
//! ```
//! use iamtrace_engine::compiled::CompiledScenario;
//! use iamtrace_engine::decision::{Decision, Layer};
//! use iamtrace_engine::scenario::Scenario;
//!
//! let scenario = Scenario::parse(r#"{"version": 1,
//!   "request": {"principal": "arn:aws:iam::111122223333:user/ana",
//!               "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"},
//!   "policies": {"identity": [{"Version": "2012-10-17", "Statement": [
//!     {"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}]}}"#)
//! .expect("scenario")
//! .scenario;
//! let compiled = CompiledScenario::new(&scenario);
//! assert_eq!(compiled.decide(compiled.request()).decision, Decision::Allowed);
//!
//! let mut sweep = compiled.sweep();
//! let put = sweep.decide_action("s3:PutObject");
//! assert_eq!((put.decision, put.denied_by), (Decision::ImplicitDeny, Some(Layer::Identity)));
//! ```
//!
//! The result is a [`Verdict`]: the decision, the blamed layer and, when statements that could
//! not be evaluated could change them, both bounds — the same three-valued answer as
//! [`Evaluation`] (see [`Verdict::of`]); a property test holds the
//! two paths to the same verdict on every fixture, gallery example and random scenario.
//!
//! What is compiled: per policy, statements indexed by the service prefix of their `Action`,
//! patterns lower-cased and split into ARN fields, condition operators resolved with their
//! values parsed (`policy.rs`, `condition.rs`); the gate rules read per-policy summaries
//! (`gates.rs`). Parts that need text per request — `Principal` matching, policy variables —
//! are decided by the explaining path's own functions.

mod condition;
mod gates;
mod policy;

use crate::decision::context::build_request;
use crate::decision::services;
use crate::decision::{Decision, Evaluation, Layer, PossibleResult};
use crate::policy::{json, policy_model, quota, PolicyType};
use crate::request::{Caller, Request};
use crate::scenario::{PolicySource, Scenario};
use gates::{Allows, Facts, Reading, Summaries, Summary};
use policy::{CompiledPolicy, RequestView};
use serde::Serialize;

/// The outcome of one request: what [`Evaluation`] says, without the explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// The decision when statements that could not be evaluated do not apply.
    pub decision: Decision,
    /// The layer AWS would name; `None` when allowed.
    pub denied_by: Option<Layer>,
    /// Set when statements that could not be evaluated could change the result.
    pub undecided: Option<Bounds>,
}

/// Both possible results of an undecided request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Bounds {
    /// Every unknown `Deny` applies, no unknown `Allow` does.
    pub most_restrictive: PossibleResult,
    /// Every unknown `Allow` applies, no unknown `Deny` does.
    pub most_permissive: PossibleResult,
}

impl Verdict {
    /// The verdict of an explained evaluation, to compare the two paths.
    pub fn of(evaluation: &Evaluation) -> Verdict {
        Verdict {
            decision: evaluation.decision,
            denied_by: evaluation.denied_by,
            undecided: evaluation.undecided.as_ref().map(|u| Bounds {
                most_restrictive: u.most_restrictive,
                most_permissive: u.most_permissive,
            }),
        }
    }

    /// Whether the result is certain (no unknown statement could change it).
    pub fn is_decided(&self) -> bool {
        self.undecided.is_none()
    }
}

/// One policy of the scenario as compiled; `None` when it cannot be read (not JSON, over AWS's
/// size quota), which the gates count as a policy without statements.
type Slot = Option<CompiledPolicy>;

/// A scenario's policies, read and compiled once, with the scenario's own request.
#[derive(Debug, Clone)]
pub struct CompiledScenario {
    request: Request,
    caller_is_management_account: bool,
    resource_in_management_account: bool,
    scp: Option<Vec<Vec<Slot>>>,
    rcp: Option<Vec<Vec<Slot>>>,
    vpc_endpoint: Option<Slot>,
    /// The resource-based policy as read for ordinary requests and for `sts:AssumeRole*` (a
    /// role trust policy has its own size quota).
    resource: Option<(Slot, Slot)>,
    identity: Option<Vec<Slot>>,
    permissions_boundary: Option<Slot>,
    session: Option<Vec<Slot>>,
}

/// Reads one policy the way the explaining path does (`decision::load`).
fn compile(src: &PolicySource, policy_type: PolicyType) -> Slot {
    quota::check_size(&src.text, policy_type).ok()?;
    let doc = json::parse(&src.text).ok()?;
    Some(CompiledPolicy::compile(policy_model(&doc), policy_type))
}

fn compile_list(list: &[PolicySource], policy_type: PolicyType) -> Vec<Slot> {
    list.iter().map(|s| compile(s, policy_type)).collect()
}

fn compile_levels(levels: &[Vec<PolicySource>], policy_type: PolicyType) -> Vec<Vec<Slot>> {
    levels
        .iter()
        .map(|l| compile_list(l, policy_type))
        .collect()
}

impl CompiledScenario {
    /// Reads and compiles every policy of the scenario, and builds its request.
    pub fn new(scenario: &Scenario) -> CompiledScenario {
        let p = &scenario.policies;
        let resource = p.resource.as_ref().map(|src| {
            let as_resource = compile(src, PolicyType::Resource);
            let fits_trust = quota::check_size(&src.text, PolicyType::TrustPolicy).is_ok();
            // The statements read the same either way; only the quota differs.
            let as_trust = as_resource.clone().filter(|_| fits_trust);
            (as_resource, as_trust)
        });
        CompiledScenario {
            request: build_request(scenario).request,
            caller_is_management_account: scenario.options.caller_is_management_account,
            resource_in_management_account: scenario.options.resource_in_management_account,
            scp: p.scp.as_ref().map(|l| compile_levels(l, PolicyType::Scp)),
            rcp: p.rcp.as_ref().map(|l| compile_levels(l, PolicyType::Rcp)),
            vpc_endpoint: p
                .vpc_endpoint
                .as_ref()
                .map(|s| compile(s, PolicyType::VpcEndpoint)),
            resource,
            identity: p
                .identity
                .as_ref()
                .map(|l| compile_list(l, PolicyType::Identity)),
            permissions_boundary: p
                .permissions_boundary
                .as_ref()
                .map(|s| compile(s, PolicyType::PermissionsBoundary)),
            session: p
                .session
                .as_ref()
                .map(|l| compile_list(l, PolicyType::Session)),
        }
    }

    /// The scenario's own request, as the explaining path builds it (derived context keys
    /// included).
    pub fn request(&self) -> &Request {
        &self.request
    }

    /// Decides `request` against the compiled policies (and the scenario's options).
    pub fn decide(&self, request: &Request) -> Verdict {
        decide(self, request)
    }

    /// Many requests of one case that differ in their action: the scenario's request is copied
    /// once, and each [`Sweep::decide_action`] only replaces its action.
    pub fn sweep(&self) -> Sweep<'_> {
        Sweep {
            compiled: self,
            request: self.request.clone(),
        }
    }

    fn summaries(&self, request: &Request, view: &RequestView<'_>, f: &Facts<'_>) -> Summaries {
        let caller = &request.caller;
        let of = |slot: &Slot, allows| Summary::of(slot.as_ref(), view, allows);
        let levels = |l: &Option<Vec<Vec<Slot>>>, applies: bool, allows: bool| {
            l.as_ref().filter(|_| applies).map(|l| {
                l.iter()
                    .map(|lvl| match allows {
                        true => Summary::of_list(lvl, view),
                        false => lvl.iter().map(|s| of(s, Allows::Ignored)).collect(),
                    })
                    .collect()
            })
        };
        let list = |l: &Option<Vec<Slot>>, applies: bool| {
            l.as_ref()
                .filter(|_| applies)
                .map(|l| Summary::of_list(l, view))
        };
        let rcp_applies = self.rcp.is_some()
            && !caller.is_service_linked_role()
            && !self.resource_in_management_account
            && services::rcp_covers(view.service, &request.action);
        let iam = caller.is_iam_principal();
        Summaries {
            scp: levels(&self.scp, f.scp_applies, true),
            // RCP levels always allow (RCPFullAWSAccess cannot be detached, §1.7): Denies only.
            rcp: levels(&self.rcp, rcp_applies, false),
            vpc_endpoint: self.vpc_endpoint.as_ref().map(|s| of(s, Allows::Any)),
            // A KMS alias has no key policy (AWS KMS, Controlling access to aliases).
            resource: self
                .resource
                .as_ref()
                .filter(|_| !f.kms_alias)
                .map(|(plain, trust)| of(if f.trust { trust } else { plain }, Allows::Grants)),
            identity: list(&self.identity, iam),
            boundary: self
                .permissions_boundary
                .as_ref()
                .filter(|_| iam)
                .map(|s| of(s, Allows::Any)),
            session: list(&self.session, caller.is_session()),
        }
    }
}

/// Decides `request` against a compiled scenario: the decision, the blamed layer, and both
/// bounds when statements that could not be evaluated could change them.
pub fn decide(compiled: &CompiledScenario, request: &Request) -> Verdict {
    if services::is_get_caller_identity(&request.action) {
        // Needs no permission and succeeds even under an explicit deny (§1.9).
        return Verdict {
            decision: Decision::Allowed,
            denied_by: None,
            undecided: None,
        };
    }
    let mut buffer = [0u8; 128];
    let lowered;
    let action: &str = match request.action.get(..buffer.len().min(request.action.len())) {
        Some(a) if a.len() == request.action.len() => {
            let b = &mut buffer[..a.len()];
            b.copy_from_slice(a.as_bytes());
            b.make_ascii_lowercase();
            match std::str::from_utf8(b) {
                Ok(s) => s,
                Err(_) => {
                    lowered = request.action.to_ascii_lowercase();
                    &lowered
                }
            }
        }
        _ => {
            lowered = request.action.to_ascii_lowercase();
            &lowered
        }
    };
    let service = action.split(':').next().unwrap_or("");
    let view = RequestView {
        request,
        action,
        service,
        resource_fields: crate::matching::split_arn(&request.resource),
    };
    let caller = &request.caller;
    let facts = Facts {
        caller,
        action: &request.action,
        cross_account: request.is_cross_account(),
        trust: services::is_trust_policy_action(&request.action),
        kms_key: services::is_kms_key_request(service, &request.resource),
        kms_alias: service == "kms" && services::is_kms_alias(&request.resource),
        scp_applies: compiled.scp.is_some()
            && !matches!(caller, Caller::Service { .. } | Caller::Anonymous)
            && !caller.is_service_linked_role()
            && !compiled.caller_is_management_account,
    };
    let summaries = compiled.summaries(request, &view, &facts);
    let main = summaries.result(&facts, Reading::AsEvaluated);
    let undecided = if summaries.has_unknown() {
        let most_restrictive = summaries.result(&facts, Reading::MostRestrictive);
        let most_permissive = summaries.result(&facts, Reading::MostPermissive);
        (most_restrictive != main || most_permissive != main).then_some(Bounds {
            most_restrictive,
            most_permissive,
        })
    } else {
        None
    };
    Verdict {
        decision: main.decision,
        denied_by: main.denied_by,
        undecided,
    }
}

/// Requests of one case that differ in their action, decided one after another against one
/// compiled scenario (see [`CompiledScenario::sweep`]).
pub struct Sweep<'c> {
    compiled: &'c CompiledScenario,
    request: Request,
}

impl Sweep<'_> {
    /// Decides the case's request with `action` in place of its own.
    pub fn decide_action(&mut self, action: &str) -> Verdict {
        self.request.action.clear();
        self.request.action.push_str(action.trim());
        decide(self.compiled, &self.request)
    }

    /// The request as last decided.
    pub fn request(&self) -> &Request {
        &self.request
    }
}
