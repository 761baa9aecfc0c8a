//! What can this principal do here? Every action of a service (or of the whole catalog) decided
//! for the case's principal, resource and context through the compiled decision path, with the
//! layer that denies each.
//!
//! Each action is decided on the resource AWS authorizes it on (see [`Scope`]): the case's
//! resource when it is of one of the action's resource types, `*` for actions without
//! resource-level permissions, and not at all when the action acts on other resource types.
//! [`scenario_for`] gives the single-request case a row stands for; a property test holds every
//! row to [`decision::evaluate`](crate::decision::evaluate) of that case.
//!
//! ```
//! use iamtrace_engine::scenario::Scenario;
//! use iamtrace_engine::sweep::{sweep, Outcome, Scope};
//!
//! let scenario = Scenario::parse(r#"{"version": 1,
//!   "request": {"principal": "arn:aws:iam::111122223333:user/ana",
//!               "action": "s3:GetObject", "resource": "arn:aws:s3:::amzn-s3-demo-bucket/k"},
//!   "policies": {"identity": [{"Version": "2012-10-17", "Statement": [
//!     {"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}]}}"#)
//! .expect("scenario")
//! .scenario;
//! let swept = sweep(&scenario, Some("s3")).expect("s3 is in the catalog");
//! let row = |name: &str| swept.actions.iter().find(|r| r.action == name).expect("action");
//! assert_eq!(row("s3:GetObject").decision, Outcome::Allowed);
//! assert_eq!(row("s3:PutObject").decision, Outcome::ImplicitDeny);
//! assert_eq!(row("s3:ListBucket").scope, Scope::OtherResourceTypes);
//! assert_eq!(row("s3:ListAllMyBuckets").scope, Scope::AllResources);
//! ```

mod scope;

pub use scope::Scope;

use crate::catalog::{self, AccessLevel};
use crate::compiled::{Bounds, CompiledScenario, Verdict};
use crate::decision::context::build_request;
use crate::decision::{Decision, Layer};
use crate::scenario::Scenario;
use scope::ResourceFit;
use serde::{Serialize, Serializer};

/// The Service Authorization Reference page that lists each action's resource types.
pub const RESOURCE_TYPES_DOC: &str = "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html";

/// Every action swept, services by prefix and actions by name, with the counts and the assumptions made.
#[derive(Debug, Clone, Serialize)]
pub struct ActionSweep {
    /// The catalog's version ([`catalog::version`]).
    pub catalog: String,
    /// The service swept (its prefix as the catalog writes it), `None` for the whole catalog.
    pub service: Option<String>,
    /// The case's resource.
    pub resource: String,
    pub actions: Vec<SweptAction>,
    pub counts: Counts,
    /// How each action's resource was chosen and what AWS leaves open, for the user.
    pub notes: Vec<String>,
}

/// One action of a sweep.
#[derive(Debug, Clone, Serialize)]
pub struct SweptAction {
    /// `s3:GetObject`, as the catalog writes it.
    pub action: String,
    /// The access level AWS gives the action (`List`, `Read`, `Write`, `Tagging`,
    /// `Permissions management`).
    #[serde(serialize_with = "aws_access_level")]
    pub access_level: AccessLevel,
    pub decision: Outcome,
    /// The layer AWS would name for a denial; for an undecided action, the layer that denies
    /// when every statement that could not be evaluated works against the caller.
    pub denied_by: Option<Layer>,
    /// The resource the action was decided on: the case's resource, `*`, or `None` when not
    /// applicable.
    pub resource: Option<String>,
    pub scope: Scope,
    /// Both possible results of an undecided action.
    pub undecided: Option<Bounds>,
    /// For an action not applicable here, the resource types it is authorized on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authorized_on: Vec<&'static str>,
}

/// The outcome of one action of a sweep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Allowed,
    ExplicitDeny,
    ImplicitDeny,
    /// A statement that could not be evaluated (an unknown condition operator, a malformed
    /// value…) can change the result: both results are in [`SweptAction::undecided`].
    Undecided,
    /// The action is authorized on other resource types than the case's resource.
    NotApplicable,
}

impl Outcome {
    /// The name in JSON and the CLI: `allowed`, `explicit_deny`, `implicit_deny`, `undecided`,
    /// `not_applicable`.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Allowed => "allowed",
            Outcome::ExplicitDeny => "explicit_deny",
            Outcome::ImplicitDeny => "implicit_deny",
            Outcome::Undecided => "undecided",
            Outcome::NotApplicable => "not_applicable",
        }
    }

    fn of(verdict: &Verdict) -> Outcome {
        if verdict.undecided.is_some() {
            return Outcome::Undecided;
        }
        match verdict.decision {
            Decision::Allowed => Outcome::Allowed,
            Decision::ExplicitDeny => Outcome::ExplicitDeny,
            Decision::ImplicitDeny => Outcome::ImplicitDeny,
        }
    }
}

/// How many actions had each outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub total: usize,
    pub allowed: usize,
    pub explicit_deny: usize,
    pub implicit_deny: usize,
    pub undecided: usize,
    pub not_applicable: usize,
}

impl Counts {
    fn add(&mut self, outcome: Outcome) {
        self.total += 1;
        *match outcome {
            Outcome::Allowed => &mut self.allowed,
            Outcome::ExplicitDeny => &mut self.explicit_deny,
            Outcome::ImplicitDeny => &mut self.implicit_deny,
            Outcome::Undecided => &mut self.undecided,
            Outcome::NotApplicable => &mut self.not_applicable,
        } += 1;
    }
}

/// Why a sweep could not be made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SweepError {
    pub message: String,
}

impl std::fmt::Display for SweepError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

fn aws_access_level<S: Serializer>(level: &AccessLevel, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(level.aws_name())
}

/// Decides every action of `service` (a prefix such as `s3`, any case), or of the whole
/// catalog, for the case's principal, resource and context. Fails only for a service the
/// catalog does not know (with a "did you mean") or when the catalog is unavailable.
pub fn sweep(scenario: &Scenario, service: Option<&str>) -> Result<ActionSweep, SweepError> {
    let cat = catalog::catalog().ok_or_else(|| SweepError {
        message: "the AWS catalog could not be read, so there are no actions to sweep".into(),
    })?;
    let services = cat.services();
    let chosen = match service.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(prefix) => Some(
            services
                .iter()
                .position(|s| s.prefix().eq_ignore_ascii_case(prefix))
                .ok_or_else(|| unknown_service(prefix, cat))?,
        ),
    };
    let on_case = CompiledScenario::new(scenario);
    let cross_account = on_case.request().is_cross_account();
    let on_all = CompiledScenario::new(&on_all_resources(scenario, cross_account));
    let mut case_sweep = on_case.sweep();
    let mut all_sweep = on_all.sweep();
    let resource = scenario.request.resource.trim().to_string();
    let mut fit = ResourceFit::new(cat, &resource);

    let range = match chosen {
        Some(i) => i..i + 1,
        None => 0..services.len(),
    };
    let mut actions = Vec::with_capacity(
        range
            .clone()
            .filter_map(|i| services.get(i))
            .map(|s| s.actions().len())
            .sum(),
    );
    let mut counts = Counts::default();
    let mut name = String::new();
    for index in range {
        let Some(service) = services.get(index) else {
            continue;
        };
        // Alphabetical, as the Service Authorization Reference lists them.
        for action in service.by_name.iter().filter_map(|&i| {
            Some(catalog::ActionRef {
                service,
                action: service.actions().get(i as usize)?,
            })
        }) {
            name.clear();
            name.push_str(service.prefix());
            name.push(':');
            name.push_str(action.action.name());
            let scope = fit.scope(index, &action);
            let verdict = match scope {
                Scope::CaseResource => Some(case_sweep.decide_action(&name)),
                Scope::AllResources => Some(all_sweep.decide_action(&name)),
                Scope::OtherResourceTypes => None,
            };
            let row = match verdict {
                Some(v) => SweptAction {
                    action: name.clone(),
                    access_level: action.action.access_level(),
                    decision: Outcome::of(&v),
                    denied_by: match &v.undecided {
                        Some(b) => b.most_restrictive.denied_by,
                        None => v.denied_by,
                    },
                    resource: Some(if scope == Scope::AllResources {
                        "*".to_string()
                    } else {
                        resource.clone()
                    }),
                    scope,
                    undecided: v.undecided,
                    authorized_on: Vec::new(),
                },
                None => SweptAction {
                    action: name.clone(),
                    access_level: action.action.access_level(),
                    decision: Outcome::NotApplicable,
                    denied_by: None,
                    resource: None,
                    scope,
                    undecided: None,
                    authorized_on: action.resource_types().map(|(t, _)| t.name()).collect(),
                },
            };
            counts.add(row.decision);
            actions.push(row);
        }
    }
    Ok(ActionSweep {
        catalog: catalog::version(),
        service: chosen
            .and_then(|i| services.get(i))
            .map(|s| s.prefix().to_string()),
        notes: notes(scenario, &resource, cross_account),
        resource,
        actions,
        counts,
    })
}

/// The single-request case an action of a sweep stands for: the scenario with `action` in
/// place of its own, on the case's resource or on `*` (see [`Scope`]); `None` for an action
/// not applicable here. Evaluating it explains the row.
pub fn scenario_for(scenario: &Scenario, action: &str, scope: Scope) -> Option<Scenario> {
    let mut case = match scope {
        Scope::CaseResource => scenario.clone(),
        Scope::AllResources => {
            let cross_account = build_request(scenario).request.is_cross_account();
            on_all_resources(scenario, cross_account)
        }
        Scope::OtherResourceTypes => return None,
    };
    action.clone_into(&mut case.request.action);
    Some(case)
}

/// The case as a request on `*` (an action without resource-level permissions): no resource,
/// so no resource-based policy; the caller's account stands for the resource owner (rules §7,
/// as for any request on `*`), so a cross-account case's RCPs — the resource owner's — are left
/// out, and the management-account option follows the caller's.
fn on_all_resources(scenario: &Scenario, cross_account: bool) -> Scenario {
    let mut case = scenario.clone();
    case.request.resource = "*".into();
    case.request.resource_account = None;
    case.policies.resource = None;
    if cross_account {
        case.policies.rcp = None;
    }
    case.options.resource_in_management_account = scenario.options.caller_is_management_account;
    case
}

fn unknown_service(prefix: &str, cat: &catalog::Catalog) -> SweepError {
    let suggestion =
        crate::lint::suggest::closest(prefix, cat.services().iter().map(|s| s.prefix()))
            .map(|p| format!("; did you mean '{p}'?"))
            .unwrap_or_default();
    SweepError {
        message: format!(
            "'{prefix}' is not a service prefix in the AWS catalog ({}){suggestion}",
            catalog::version()
        ),
    }
}

/// What the user should know about how the actions were decided.
fn notes(scenario: &Scenario, resource: &str, cross_account: bool) -> Vec<String> {
    let mut notes = vec![format!(
        "Each action is decided on the resource AWS authorizes it on, by the resource types the \
         Service Authorization Reference lists for it ({RESOURCE_TYPES_DOC}): on {resource} when \
         it fits the ARN format of one of the action's resource types; on * for actions without \
         resource-level permissions; actions authorized on other resource types are not \
         applicable here and are not decided."
    )];
    let mut all = "For the actions decided on *, the resource-based policy does not take part \
                   (it governs requests for its own resource). AWS does not document which \
                   account owns a request on *; we assume the caller's account"
        .to_string();
    if cross_account {
        all.push_str(", and leave out the RCPs given (those of the resource owner's organization)");
    }
    all.push('.');
    notes.push(all);
    if !scenario.request.context.is_empty() {
        notes.push(
            "AWS does not document this; we assume every action is sent with the case's context \
             keys (a real request for another action may carry other keys, such as that \
             action's own condition keys)."
                .into(),
        );
    }
    notes
}

#[cfg(test)]
mod tests;
