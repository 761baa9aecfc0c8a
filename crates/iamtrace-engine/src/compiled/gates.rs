//! The gates of the decision (IAM-SEMANTICS §1.3–§1.9, §2.1–§2.2) with outcomes only: the same
//! rules, in the same order, as `decision::gates`, read from per-policy summaries instead of
//! traces. Which gate fails first names the layer (§6.3).

use super::policy::{CompiledPolicy, RequestView};
use crate::decision::services;
use crate::decision::{Decision, Layer, PossibleResult};
use crate::explain::{Applies, GrantKind};
use crate::policy::Effect;
use crate::request::Caller;

/// How strongly the resource-based policy names the caller (§1.4 columns), weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Grant {
    /// Names the account: IAM in that account must delegate.
    Account,
    /// Names the role of a role session (or the federating user).
    ParentEntity,
    /// Names the caller itself, `*`, a service principal…
    Direct,
}

fn grant_strength(kind: Option<GrantKind>) -> Grant {
    match kind {
        Some(GrantKind::ParentEntity) => Grant::ParentEntity,
        Some(GrantKind::Account) | None => Grant::Account,
        Some(
            GrantKind::Caller
            | GrantKind::Wildcard
            | GrantKind::Service
            | GrantKind::Federated
            | GrantKind::CanonicalUser,
        ) => Grant::Direct,
    }
}

/// How the gates read statements that could not be evaluated (as `decision::evaluate::Reading`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reading {
    AsEvaluated,
    MostRestrictive,
    MostPermissive,
}

/// What the gates need from one policy: which effects apply, for certain or possibly, and the
/// strongest grant of its applying `Allow` statements (resource-based policies only).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Summary {
    deny_yes: bool,
    deny_unknown: bool,
    allow_yes: bool,
    allow_unknown: bool,
    grant_yes: Option<Grant>,
    grant_any: Option<Grant>,
}

/// Which `Allow` statements of a policy the gates still need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Allows {
    /// Every one, for the strongest grant (the resource-based policy).
    Grants,
    /// Whether one applies.
    Any,
    /// None: only Denies matter (RCPs, whose levels always allow; a list in which another
    /// policy already allows for certain).
    Ignored,
}

impl Summary {
    /// Summarises a policy; `None` (unreadable, over its quota) has no statements.
    pub(super) fn of(
        policy: Option<&CompiledPolicy>,
        view: &RequestView<'_>,
        allows: Allows,
    ) -> Self {
        let mut s = Summary::default();
        let Some(policy) = policy else { return s };
        policy.for_each_candidate(view, |effect, decide| {
            match effect {
                // Once a Deny applies for certain, further Denies change no reading.
                Effect::Deny if !s.deny_yes => match decide().applies {
                    Applies::Yes => s.deny_yes = true,
                    Applies::Unknown => s.deny_unknown = true,
                    Applies::No => {}
                },
                Effect::Allow
                    if allows == Allows::Grants || (allows == Allows::Any && !s.allow_yes) =>
                {
                    let o = decide();
                    let g = grant_strength(o.grant);
                    match o.applies {
                        Applies::Yes => {
                            s.allow_yes = true;
                            s.grant_yes = s.grant_yes.max(Some(g));
                            s.grant_any = s.grant_any.max(Some(g));
                        }
                        Applies::Unknown => {
                            s.allow_unknown = true;
                            s.grant_any = s.grant_any.max(Some(g));
                        }
                        Applies::No => {}
                    }
                }
                _ => {}
            }
            // Nothing left to learn: a certain Deny and the Allows needed.
            !(s.deny_yes && (allows == Allows::Ignored || (allows == Allows::Any && s.allow_yes)))
        });
        s
    }

    /// Summarises a list of policies of which one allowing is enough (identity, session, one SCP
    /// level): after a certain Allow, the others are read for their Denies only.
    pub(super) fn of_list(
        policies: &[Option<CompiledPolicy>],
        view: &RequestView<'_>,
    ) -> Vec<Self> {
        let mut allowed = false;
        policies
            .iter()
            .map(|p| {
                let allows = if allowed {
                    Allows::Ignored
                } else {
                    Allows::Any
                };
                let s = Summary::of(p.as_ref(), view, allows);
                allowed |= s.allow_yes;
                s
            })
            .collect()
    }

    fn deny(&self, r: Reading) -> bool {
        self.deny_yes || (r == Reading::MostRestrictive && self.deny_unknown)
    }

    fn allow(&self, r: Reading) -> bool {
        self.allow_yes || (r == Reading::MostPermissive && self.allow_unknown)
    }

    fn grant(&self, r: Reading) -> Option<Grant> {
        if r == Reading::MostPermissive {
            self.grant_any
        } else {
            self.grant_yes
        }
    }

    /// Whether some statement could not be evaluated (so the other readings may differ).
    pub(super) fn has_unknown(&self) -> bool {
        self.deny_unknown || self.allow_unknown
    }
}

/// The summaries of one request's participating policies, by layer (`None`: layer not given or
/// not taking part).
pub(super) struct Summaries {
    pub(super) scp: Option<Vec<Vec<Summary>>>,
    pub(super) rcp: Option<Vec<Vec<Summary>>>,
    pub(super) vpc_endpoint: Option<Summary>,
    pub(super) resource: Option<Summary>,
    pub(super) identity: Option<Vec<Summary>>,
    pub(super) boundary: Option<Summary>,
    pub(super) session: Option<Vec<Summary>>,
}

/// The facts about the request the gates read.
pub(super) struct Facts<'a> {
    pub(super) caller: &'a Caller,
    pub(super) action: &'a str,
    pub(super) cross_account: bool,
    pub(super) trust: bool,
    pub(super) kms_key: bool,
    pub(super) kms_alias: bool,
    /// SCPs apply (given, and the caller is not exempt, §1.6).
    pub(super) scp_applies: bool,
}

impl Summaries {
    fn all(&self) -> impl Iterator<Item = (Layer, &Summary)> {
        fn levels(
            l: &Option<Vec<Vec<Summary>>>,
            layer: Layer,
        ) -> impl Iterator<Item = (Layer, &Summary)> {
            l.iter().flatten().flatten().map(move |s| (layer, s))
        }
        fn list(l: &Option<Vec<Summary>>, layer: Layer) -> impl Iterator<Item = (Layer, &Summary)> {
            l.iter().flatten().map(move |s| (layer, s))
        }
        levels(&self.scp, Layer::Scp)
            .chain(levels(&self.rcp, Layer::Rcp))
            .chain(self.vpc_endpoint.iter().map(|s| (Layer::VpcEndpoint, s)))
            .chain(self.resource.iter().map(|s| (Layer::Resource, s)))
            .chain(list(&self.identity, Layer::Identity))
            .chain(
                self.boundary
                    .iter()
                    .map(|s| (Layer::PermissionsBoundary, s)),
            )
            .chain(list(&self.session, Layer::Session))
    }

    pub(super) fn has_unknown(&self) -> bool {
        self.all().any(|(_, s)| s.has_unknown())
    }

    /// The decision and blamed layer under one reading of the unknown statements.
    pub(super) fn result(&self, f: &Facts<'_>, r: Reading) -> PossibleResult {
        let denied = |decision, layer| PossibleResult {
            decision,
            denied_by: Some(layer),
        };
        // (1) Explicit deny in any participating policy; blame in the order of §6.3.
        if let Some((layer, _)) = self.all().find(|(_, s)| s.deny(r)) {
            return denied(Decision::ExplicitDeny, layer);
        }
        let grant = if f.kms_alias {
            None
        } else {
            self.resource.as_ref().and_then(|s| s.grant(r))
        };
        let any_allow = |l: &Option<Vec<Summary>>| l.iter().flatten().any(|s| s.allow(r));
        let scp_fails = f.scp_applies
            && self
                .scp
                .as_ref()
                .is_some_and(|levels| levels.iter().any(|lvl| !lvl.iter().any(|s| s.allow(r))));
        let vpce_fails = self.vpc_endpoint.is_some_and(|s| !s.allow(r));
        let identity_fails = |grant: Option<Grant>| match f.caller {
            Caller::Root { .. } => f.trust,
            c if !c.is_iam_principal() => false,
            _ => {
                !any_allow(&self.identity)
                    && !matches!(grant, Some(Grant::Direct | Grant::ParentEntity))
            }
        };
        let boundary_fails = |grant: Option<Grant>| match &self.boundary {
            Some(b) if f.caller.is_iam_principal() => {
                (grant != Some(Grant::Direct) || f.trust) && !b.allow(r)
            }
            _ => false,
        };
        let session_fails = |grant: Option<Grant>| {
            if !f.caller.is_session() || grant == Some(Grant::Direct) {
                return false;
            }
            match &self.session {
                Some(list) if !list.is_empty() => !list.iter().any(|s| s.allow(r)),
                // No session policy: a federated user has no identity-derived rights (§1.8).
                _ => matches!(f.caller, Caller::FederatedUser { .. }),
            }
        };
        // RCP levels never fail: RCPFullAWSAccess cannot be detached (§1.7).
        let failed = if f.cross_account {
            // Caller side first, then the resource owner's side (§1.5).
            let resource_fails = f.kms_alias
                || (f.kms_key && !services::kms_works_cross_account(f.action))
                || grant.is_none();
            [
                (scp_fails, Layer::Scp),
                (vpce_fails, Layer::VpcEndpoint),
                (identity_fails(None), Layer::Identity),
                (boundary_fails(None), Layer::PermissionsBoundary),
                (session_fails(None), Layer::Session),
                (resource_fails, Layer::Resource),
            ]
        } else {
            let no_identity = matches!(f.caller, Caller::Service { .. } | Caller::Anonymous);
            let required = f.kms_key || f.trust || no_identity;
            let resource_fails = !f.kms_alias && grant.is_none() && required;
            [
                (scp_fails, Layer::Scp),
                (vpce_fails, Layer::VpcEndpoint),
                (resource_fails, Layer::Resource),
                (identity_fails(grant), Layer::Identity),
                (boundary_fails(grant), Layer::PermissionsBoundary),
                (session_fails(grant), Layer::Session),
            ]
        };
        match failed.iter().find(|(fails, _)| *fails) {
            Some(&(_, layer)) => denied(Decision::ImplicitDeny, layer),
            None => PossibleResult {
                decision: Decision::Allowed,
                denied_by: None,
            },
        }
    }
}
