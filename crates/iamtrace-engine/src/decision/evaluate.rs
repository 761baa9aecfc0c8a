//! The decision procedure of rules §1.3 (single account) and §1.5 (cross-account), with
//! the service rules of §1.6–§1.9 and §2.1–§2.2 and the blame tie-break of §6.3.
//!
//! Every policy is read and evaluated once (`load.rs`); the gates then look at the traces
//! (`gates.rs`). Gates are built in the order the blame tie-break walks them, so the first
//! failing gate is the layer AWS names.

use super::context::build_request;
use super::layer::Layer;
use super::missing::missing_keys;
use super::result::{
    Decision, Evaluation, Gate, GateOutcome, InputError, PolicyReport, PossibleResult,
    UnknownStatement,
};
use super::services;
use super::undecided::decide;
use crate::explain::message;
use crate::explain::Applies;
use crate::policy::{Effect, PolicyType};
use crate::request::{Caller, Request};
use crate::scenario::Scenario;

/// Decides a whole scenario the way AWS does and explains it.
///
/// Bad input never aborts: an unreadable caller is evaluated as anonymous, an unreadable policy
/// is left out; both are listed in `errors` and `complete` is then `false`.
pub fn evaluate(scenario: &Scenario) -> Evaluation {
    let built = build_request(scenario);
    let mut run = Run {
        request: built.request,
        reports: Vec::new(),
        errors: built.errors,
        assumptions: built.assumptions,
        resource_type: PolicyType::Resource,
        principal_arn_assumption: built.principal_arn_assumption,
        reading: Reading::AsEvaluated,
    };
    let sets = run.load(scenario);
    let unknown = run.unknown_statements();
    let others = if unknown.is_empty() {
        None
    } else {
        // The gates only read traces; the other readings must not leave assumptions behind.
        let saved = run.assumptions.clone();
        run.reading = Reading::MostRestrictive;
        let restrictive = run.gates(scenario, &sets);
        run.reading = Reading::MostPermissive;
        let permissive = run.gates(scenario, &sets);
        run.reading = Reading::AsEvaluated;
        run.assumptions = saved;
        Some((restrictive, permissive))
    };
    let gates = run.gates(scenario, &sets);
    run.finish(gates, unknown, others)
}

/// How the gates read statements that could not be evaluated. A Deny that applies can only make
/// the decision more denied and an Allow only more allowed, so the two extreme readings bound
/// every possible decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reading {
    /// Unknown statements do not apply (the trace's own result).
    AsEvaluated,
    /// Unknown `Deny` statements apply, unknown `Allow` statements do not.
    MostRestrictive,
    /// Unknown `Allow` statements apply, unknown `Deny` statements do not.
    MostPermissive,
}

impl Reading {
    /// Whether a statement with this outcome and effect counts as applying.
    pub(super) fn counts(self, applies: Applies, effect: Effect) -> bool {
        match applies {
            Applies::Yes => true,
            Applies::No => false,
            Applies::Unknown => match self {
                Reading::AsEvaluated => false,
                Reading::MostRestrictive => effect == Effect::Deny,
                Reading::MostPermissive => effect == Effect::Allow,
            },
        }
    }
}

/// Positions in `Run::reports` of each layer's policies.
#[derive(Default)]
pub(super) struct Sets {
    pub(super) scp: Option<Vec<Vec<usize>>>,
    pub(super) rcp: Option<Vec<Vec<usize>>>,
    pub(super) vpc_endpoint: Option<usize>,
    pub(super) resource: Option<usize>,
    pub(super) identity: Option<Vec<usize>>,
    pub(super) boundary: Option<usize>,
    pub(super) session: Option<Vec<usize>>,
}

/// One evaluation in progress: the request, every policy read, and what the user should know.
pub(super) struct Run {
    pub(super) request: Request,
    pub(super) reports: Vec<PolicyReport>,
    pub(super) errors: Vec<InputError>,
    pub(super) assumptions: Vec<String>,
    pub(super) resource_type: PolicyType,
    /// Said only when some condition looked at `aws:PrincipalArn`.
    pub(super) principal_arn_assumption: Option<String>,
    pub(super) reading: Reading,
}

impl Run {
    pub(super) fn assume(&mut self, text: String) {
        if !self.assumptions.contains(&text) {
            self.assumptions.push(text);
        }
    }

    /// Whether a participating condition looked at `aws:PrincipalArn` (as key or variable).
    fn uses_principal_arn(&self) -> bool {
        const KEY: &str = "aws:principalarn";
        self.reports
            .iter()
            .filter(|r| r.participates)
            .filter_map(|r| r.trace.as_ref())
            .flat_map(|t| &t.statements)
            .flat_map(|st| &st.conditions)
            .any(|c| {
                c.key.eq_ignore_ascii_case(KEY)
                    || c.values
                        .iter()
                        .any(|v| v.text.to_ascii_lowercase().contains(KEY))
            })
    }

    /// Picks the decision and the blamed layer from the gates, then writes the message.
    fn finish(
        mut self,
        mut gates: Vec<Gate>,
        mut unknown: Vec<UnknownStatement>,
        others: Option<(Vec<Gate>, Vec<Gate>)>,
    ) -> Evaluation {
        let gci = services::is_get_caller_identity(&self.request.action);
        let (decision, decisive) = decide(&gates, gci);
        if gci {
            for g in &mut gates {
                g.outcome = GateOutcome::Skipped;
            }
            gates[0].reason =
                "sts:GetCallerIdentity needs no permission and succeeds even under an explicit deny (§1.9)".into();
        }
        let mut denied_by = None;
        if let Some(i) = decisive {
            gates[i].decisive = true;
            if decision != Decision::Allowed {
                denied_by = gates[i].layer;
            }
        }

        let mut message_text = None;
        let mut message_note = None;
        if let (Some(layer), Some(i)) = (denied_by, decisive) {
            let explicit = decision == Decision::ExplicitDeny;
            let policy_arn = if explicit {
                gates[i]
                    .deciding
                    .first()
                    .and_then(|d| self.reports[d.policy].arn.clone())
            } else {
                None
            };
            let root_assume = matches!(self.request.caller, Caller::Root { .. })
                && self.resource_type == PolicyType::TrustPolicy
                && layer == Layer::Identity
                && !explicit;
            message_text = Some(if root_assume {
                message::ROOT_CANNOT_ASSUME_ROLE.to_string()
            } else {
                message::access_denied(&message::Denial {
                    caller_arn: &self.request.caller.arn(),
                    action: &self.request.action,
                    resource: &self.request.resource,
                    service: &self.request.service(),
                    layer,
                    explicit,
                    trust_policy: layer == Layer::Resource
                        && self.resource_type == PolicyType::TrustPolicy,
                    policy_arn: policy_arn.as_deref(),
                })
            });
            message_note = message::generic_message_note(&self.request, layer);
        }

        let undecided = match others {
            Some((restrictive, permissive)) if !gci => self.settle(
                &mut gates,
                &mut unknown,
                PossibleResult {
                    decision,
                    denied_by,
                },
                &restrictive,
                &permissive,
            ),
            _ => None,
        };

        let missing = missing_keys(&self.reports);
        if let Some(a) = self.principal_arn_assumption.take() {
            if self.uses_principal_arn() {
                self.assume(a);
            }
        }
        for r in &self.reports {
            if !r.participates {
                continue;
            }
            if let Some(t) = &r.trace {
                for st in &t.statements {
                    for a in &st.assumptions {
                        if !self.assumptions.contains(a) {
                            self.assumptions.push(a.clone());
                        }
                    }
                }
            }
        }
        let complete = self.errors.is_empty()
            && self
                .reports
                .iter()
                .filter(|r| r.participates)
                .all(|r| r.trace.as_ref().is_some_and(|t| !t.has_unknown));
        let service_notes = services::service_notes(&self.request);
        Evaluation {
            decision,
            denied_by,
            message: message_text,
            message_note,
            cross_account: self.request.is_cross_account(),
            gates,
            policies: self.reports,
            request: self.request,
            missing_keys: missing,
            assumptions: self.assumptions,
            errors: self.errors,
            service_notes,
            complete,
            unknown_statements: unknown,
            undecided,
        }
    }
}

/// A short description of the caller's kind, for reasons.
pub(super) fn caller_kind(caller: &Caller) -> &'static str {
    match caller {
        Caller::Root { .. } => "root user",
        Caller::IamUser { .. } => "IAM user",
        Caller::RoleSession { .. } => "role session",
        Caller::FederatedUser { .. } => "federated user",
        Caller::Role { .. } => "role",
        Caller::Service { .. } => "service principal",
        Caller::Anonymous => "anonymous caller",
    }
}

/// "a role session", "an IAM user", "an anonymous caller".
pub(super) fn a_caller(caller: &Caller) -> String {
    let kind = caller_kind(caller);
    let article = if kind.starts_with(['I', 'a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {kind}")
}
