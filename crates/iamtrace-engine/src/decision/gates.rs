//! The gates of the flow (§1.3–§1.9, §2.1–§2.2): one per layer (one per level for SCPs and
//! RCPs), each with its outcome, reason, policies and deciding statements.

use super::evaluate::{a_caller, Reading, Run, Sets};
use super::layer::Layer;
use super::result::{DecidingStatement, Gate, GateKind, GateOutcome, GatePolicy, Side};
use super::services;
use crate::explain::{GrantKind, PolicyTrace};
use crate::policy::{Effect, PolicyType};
use crate::request::Caller;
use crate::scenario::Scenario;

/// How strongly the resource-based policy names the caller (§1.4 columns).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Grant {
    /// Names the account: IAM in that account must delegate (identity must allow).
    Account,
    /// Names the role of a role session (or the federating user): identity not needed,
    /// boundary and session policy still apply.
    ParentEntity,
    /// Names the caller itself, `*`, a service principal…: final in one account.
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

fn level_name(i: usize, n: usize) -> &'static str {
    if i == 0 {
        "organization root"
    } else if i + 1 == n {
        "account"
    } else {
        "OU"
    }
}

impl Run {
    fn gate_policy(&self, idx: usize) -> GatePolicy {
        let r = &self.reports[idx];
        GatePolicy {
            policy: idx,
            layer: r.layer,
            level: r.level,
            index: r.index,
            name: r.name.clone(),
            arn: r.arn.clone(),
            result: r.trace.as_ref().map(|t| t.result),
            // The other readings of unknown statements only need the outcome.
            trace: if self.reading == Reading::AsEvaluated {
                r.trace.clone()
            } else {
                None
            },
        }
    }

    /// The statements of the given policies that apply with the given effect.
    fn applicable(&self, idxs: &[usize], effect: Effect) -> Vec<DecidingStatement> {
        let mut out = Vec::new();
        for &idx in idxs {
            let r = &self.reports[idx];
            let Some(trace) = &r.trace else { continue };
            for st in &trace.statements {
                if st.effect == Some(effect) && self.reading.counts(st.applies, effect) {
                    out.push(DecidingStatement {
                        policy: idx,
                        layer: r.layer,
                        level: r.level,
                        index: r.index,
                        statement: st.index,
                        label: st.label.clone(),
                        effect: st.effect,
                        span: st.span,
                    });
                }
            }
        }
        out
    }

    /// The strongest grant the resource-based policy gives this caller, with its statements.
    fn resource_grant(&self, idx: Option<usize>) -> Option<(Grant, Vec<DecidingStatement>)> {
        let idx = idx?;
        let trace: &PolicyTrace = self.reports[idx].trace.as_ref()?;
        let mut best: Option<(Grant, Vec<DecidingStatement>)> = None;
        for d in self.applicable(&[idx], Effect::Allow) {
            let kind = trace
                .statements
                .iter()
                .find(|s| s.index == d.statement)
                .and_then(|s| s.principal.as_ref())
                .and_then(|p| p.grant);
            let g = grant_strength(kind);
            match &mut best {
                Some((b, list)) if *b == g => list.push(d),
                Some((b, _)) if *b > g => {}
                _ => best = Some((g, vec![d])),
            }
        }
        best
    }

    pub(super) fn gates(&mut self, scenario: &Scenario, sets: &Sets) -> Vec<Gate> {
        let req = &self.request;
        let caller = req.caller.clone();
        let action = req.action.clone();
        let service = req.service();
        let cross = req.is_cross_account();
        let trust = self.resource_type == PolicyType::TrustPolicy;
        let kms_key = services::is_kms_key_request(&service, &req.resource);
        // An alias has no key policy: whatever was given as the resource policy is not used.
        let kms_alias = service == "kms" && services::is_kms_alias(&req.resource);
        let resource_idx = if kms_alias { None } else { sets.resource };
        let no_identity = matches!(caller, Caller::Service { .. } | Caller::Anonymous);
        let (caller_side, resource_side) = if cross {
            (Some(Side::Caller), Some(Side::Resource))
        } else {
            (None, None)
        };
        let mut gates = Vec::new();

        // (1) Explicit deny anywhere, in either account (§1.3 step 1, §1.5).
        let participating: Vec<usize> = (0..self.reports.len())
            .filter(|&i| self.reports[i].participates)
            .collect();
        let denies = self.applicable(&participating, Effect::Deny);
        let deny_policies: Vec<usize> = {
            let mut v: Vec<usize> = denies.iter().map(|d| d.policy).collect();
            v.dedup();
            v
        };
        gates.push(Gate {
            kind: GateKind::ExplicitDeny,
            layer: denies.first().map(|d| d.layer),
            title: "explicit deny".into(),
            side: None,
            level: None,
            outcome: if denies.is_empty() {
                GateOutcome::Passed
            } else {
                GateOutcome::Failed
            },
            reason: match denies.first() {
                None => "no applicable Deny statement in any policy (§1.3 step 1)".into(),
                Some(d) => format!(
                    "Deny statement '{}' in the {} applies; an explicit deny overrides every Allow (§1.3 step 1)",
                    d.label,
                    self.layer_title(d.layer)
                ),
            },
            policies: deny_policies.iter().map(|&i| self.gate_policy(i)).collect(),
            deciding: denies,
            decisive: false,
        });

        // Resource-side grant, needed by several gates.
        let grant = self.resource_grant(resource_idx);
        let grant_kind = grant.as_ref().map(|g| g.0);

        if cross {
            // Trusted account (caller side) first, then trusting account (§1.5, §6.3).
            self.scp_gates(scenario, sets, &mut gates, caller_side);
            self.vpce_gate(sets, &mut gates, caller_side);
            self.identity_gate(sets, &mut gates, caller_side, None, trust);
            self.boundary_gate(sets, &mut gates, caller_side, None, trust);
            self.session_gate(sets, &mut gates, caller_side, None, trust);
            self.rcp_gates(scenario, sets, &mut gates, resource_side);
            // Resource side: the resource-based policy must allow the caller (any form).
            let title = self.resource_title();
            let mut g = self.layer_gate(
                GateKind::Resource,
                Layer::Resource,
                title,
                resource_side,
                resource_idx,
            );
            match (&grant, resource_idx) {
                _ if kms_alias => {
                    g.outcome = GateOutcome::Failed;
                    g.reason = format!(
                        "{} is a KMS alias, which has no key policy: nothing in its account can \
                         grant it to another account's caller (AWS KMS, Controlling access to aliases)",
                        self.request.resource
                    );
                }
                _ if kms_key && !services::kms_works_cross_account(&action) => {
                    g.outcome = GateOutcome::Failed;
                    g.reason = format!(
                        "{action} does not work across accounts: permissions for it granted to another account have no effect (§2.1)"
                    );
                }
                (Some((kind, deciding)), _) => {
                    g.outcome = GateOutcome::Passed;
                    g.reason = format!(
                        "an Allow names {} (cross-account: the resource owner's policy must allow, §1.5)",
                        match kind {
                            Grant::Account => "the caller's account",
                            Grant::ParentEntity => "the caller's role",
                            Grant::Direct => "the caller (or \"*\")",
                        }
                    );
                    g.deciding = deciding.clone();
                }
                (None, None) => {
                    g.outcome = GateOutcome::Failed;
                    g.reason = format!(
                        "no {} given: another account's caller needs the resource owner's policy to allow it (§1.5)",
                        self.resource_title()
                    );
                }
                (None, Some(_)) => {
                    g.outcome = GateOutcome::Failed;
                    g.reason = format!(
                        "no Allow statement names {} or its account for {action} (cross-account needs both sides to allow, §1.5)",
                        caller.arn()
                    );
                }
            }
            gates.push(g);
        } else {
            self.rcp_gates(scenario, sets, &mut gates, None);
            self.scp_gates(scenario, sets, &mut gates, None);
            self.vpce_gate(sets, &mut gates, None);
            // (4) Resource-based policy (§1.3 step 4, §1.4).
            let required = kms_key || trust || no_identity;
            let title = self.resource_title();
            let mut g = self.layer_gate(
                GateKind::Resource,
                Layer::Resource,
                title,
                None,
                resource_idx,
            );
            match (&grant, resource_idx) {
                _ if kms_alias => {
                    g.outcome = GateOutcome::NotApplicable;
                    g.reason = format!(
                        "{} is a KMS alias, which has no key policy: permission on the alias comes \
                         from IAM policies; the key policy applies to the key (AWS KMS, Controlling \
                         access to aliases){}",
                        self.request.resource,
                        if sets.resource.is_some() {
                            "; the resource policy given was not used"
                        } else {
                            ""
                        }
                    );
                }
                (Some((kind, deciding)), _) => {
                    g.outcome = GateOutcome::Passed;
                    g.reason = if trust && *kind == Grant::Direct {
                        "an Allow names the caller itself: no identity-based policy is needed, but for sts:AssumeRole* the permissions boundary still applies (§2.2)".into()
                    } else {
                        grant_sentence(*kind, &caller)
                    };
                    g.deciding = deciding.clone();
                }
                (None, _) if required => {
                    g.outcome = GateOutcome::Failed;
                    g.reason = if kms_key {
                        "the key policy must allow the caller, directly or by naming the account so that IAM policies can delegate (§2.1)".into()
                    } else if trust {
                        "the role trust policy must allow the caller, directly or by naming its account (§2.2)".into()
                    } else {
                        format!(
                            "{} has no identity-based policies: only a resource-based policy naming it (or \"*\") can allow it (§1.4)",
                            a_caller(&caller)
                        )
                    };
                    if resource_idx.is_none() {
                        g.reason = format!("no {} given; {}", self.resource_title(), g.reason);
                    }
                }
                (None, None) => {
                    g.outcome = GateOutcome::NotApplicable;
                    g.reason = "no resource-based policy: the identity-based policies decide (§1.3 step 4)".into();
                }
                (None, Some(_)) => {
                    g.outcome = GateOutcome::NotApplicable;
                    g.reason = "grants nothing to this caller; in one account that is fine: the identity-based policies must allow (§1.3 step 4)".into();
                }
            }
            gates.push(g);
            self.identity_gate(sets, &mut gates, None, grant_kind, trust);
            self.boundary_gate(sets, &mut gates, None, grant_kind, trust);
            self.session_gate(sets, &mut gates, None, grant_kind, trust);
        }
        gates
    }

    fn resource_title(&self) -> String {
        let service = self.request.service();
        if self.resource_type == PolicyType::TrustPolicy {
            "role trust policy".into()
        } else if services::is_kms_key_request(&service, &self.request.resource) {
            "KMS key policy".into()
        } else if service == "kms" && services::is_kms_alias(&self.request.resource) {
            "KMS alias (no key policy)".into()
        } else {
            "resource-based policy".into()
        }
    }

    pub(super) fn layer_title(&self, layer: Layer) -> String {
        match layer {
            Layer::Resource => self.resource_title(),
            other => other.policy_type().aws_name().to_string(),
        }
    }

    /// A gate for one layer with its policies attached and the outcome still to be decided.
    fn layer_gate(
        &self,
        kind: GateKind,
        layer: Layer,
        title: String,
        side: Option<Side>,
        idx: Option<usize>,
    ) -> Gate {
        Gate {
            kind,
            layer: Some(layer),
            title,
            side,
            level: None,
            outcome: GateOutcome::NotApplicable,
            reason: String::new(),
            policies: idx.map(|i| vec![self.gate_policy(i)]).unwrap_or_default(),
            deciding: Vec::new(),
            decisive: false,
        }
    }

    /// A gate that needs an applicable Allow among `idxs`.
    fn allow_gate(
        &self,
        kind: GateKind,
        layer: Layer,
        title: String,
        side: Option<Side>,
        level: Option<usize>,
        idxs: &[usize],
    ) -> Gate {
        let allows = self.applicable(idxs, Effect::Allow);
        let what = layer.policy_type().aws_name();
        Gate {
            kind,
            layer: Some(layer),
            title,
            side,
            level,
            outcome: if allows.is_empty() {
                GateOutcome::Failed
            } else {
                GateOutcome::Passed
            },
            reason: match allows.first() {
                Some(d) => format!("allowed by statement '{}'", d.label),
                None if idxs.is_empty() => format!("no {what} given, so none allows the request"),
                None => format!(
                    "no {what} statement allows {} on this resource",
                    self.request.action
                ),
            },
            policies: idxs.iter().map(|&i| self.gate_policy(i)).collect(),
            deciding: allows,
            decisive: false,
        }
    }

    fn org_gates(
        &mut self,
        exemption: Option<String>,
        levels: Option<&Vec<Vec<usize>>>,
        layer: Layer,
        gates: &mut Vec<Gate>,
        side: Option<Side>,
    ) {
        let kind = if layer == Layer::Scp {
            GateKind::Scp
        } else {
            GateKind::Rcp
        };
        let short = if layer == Layer::Scp { "SCP" } else { "RCP" };
        let levels = match (exemption, levels) {
            (None, Some(levels)) if !levels.is_empty() => levels,
            (reason, levels) => {
                let mut g = self.layer_gate(kind, layer, format!("{short}s"), side, None);
                g.policies = levels
                    .map(|l| l.iter().flatten().map(|&i| self.gate_policy(i)).collect())
                    .unwrap_or_default();
                g.reason = reason.unwrap_or_else(|| format!("no {short} levels given"));
                gates.push(g);
                return;
            }
        };
        let n = levels.len();
        for (lvl, idxs) in levels.iter().enumerate() {
            let title = format!("{short} level {} of {n} ({})", lvl + 1, level_name(lvl, n));
            let mut g = self.allow_gate(kind, layer, title, side, Some(lvl), idxs);
            if layer == Layer::Scp {
                if g.outcome == GateOutcome::Failed {
                    g.reason = format!(
                        "no SCP attached at the {} allows {}: every level from the root down must allow (§1.6)",
                        level_name(lvl, n),
                        self.request.action
                    );
                }
            } else if g.outcome == GateOutcome::Failed {
                // RCPFullAWSAccess is attached to every level and cannot be detached (§1.7).
                g.outcome = GateOutcome::Passed;
                g.reason = "no Allow pasted at this level; RCPFullAWSAccess is always attached and cannot be detached, so the level allows (§1.7)".into();
                self.assume(
                    "an RCP level without an Allow was given; RCPFullAWSAccess cannot be detached, so we assume it is attached there (§1.7)"
                        .into(),
                );
            }
            gates.push(g);
        }
    }

    fn scp_gates(
        &mut self,
        scenario: &Scenario,
        sets: &Sets,
        gates: &mut Vec<Gate>,
        side: Option<Side>,
    ) {
        let ex = self.scp_exemption(scenario);
        self.org_gates(ex, sets.scp.as_ref(), Layer::Scp, gates, side);
    }

    fn rcp_gates(
        &mut self,
        scenario: &Scenario,
        sets: &Sets,
        gates: &mut Vec<Gate>,
        side: Option<Side>,
    ) {
        let ex = self.rcp_exemption(scenario, &self.request.service());
        self.org_gates(ex, sets.rcp.as_ref(), Layer::Rcp, gates, side);
    }

    fn vpce_gate(&self, sets: &Sets, gates: &mut Vec<Gate>, side: Option<Side>) {
        let title = "VPC endpoint policy".to_string();
        match sets.vpc_endpoint {
            Some(i) => {
                let mut g = self.allow_gate(
                    GateKind::VpcEndpoint,
                    Layer::VpcEndpoint,
                    title,
                    side,
                    None,
                    &[i],
                );
                if g.outcome == GateOutcome::Failed {
                    g.reason = format!(
                        "the request went through a VPC endpoint whose policy does not allow {} (§2.4)",
                        self.request.action
                    );
                }
                gates.push(g);
            }
            None => {
                let mut g =
                    self.layer_gate(GateKind::VpcEndpoint, Layer::VpcEndpoint, title, side, None);
                g.reason = "no VPC endpoint policy given: the request did not go through an endpoint, or its policy is the default full access (§2.4)".into();
                gates.push(g);
            }
        }
    }

    fn identity_gate(
        &mut self,
        sets: &Sets,
        gates: &mut Vec<Gate>,
        side: Option<Side>,
        grant: Option<Grant>,
        trust: bool,
    ) {
        let caller = self.request.caller.clone();
        let idxs = sets.identity.clone().unwrap_or_default();
        let title = "identity-based policies".to_string();
        if let Caller::Root { .. } = caller {
            let mut g = self.layer_gate(GateKind::Identity, Layer::Identity, title, side, None);
            if trust {
                g.outcome = GateOutcome::Failed;
                g.reason = "the root user cannot call sts:AssumeRole (§1.9, §2.2)".into();
                self.assume(
                    "AWS refuses AssumeRole for a root user without naming a policy type; we report the identity layer".into(),
                );
            } else {
                g.outcome = GateOutcome::Passed;
                g.reason = "the root user has full access in its own account (§1.9)".into();
            }
            gates.push(g);
            return;
        }
        if !caller.is_iam_principal() {
            let mut g = self.layer_gate(GateKind::Identity, Layer::Identity, title, side, None);
            g.reason = format!(
                "{} has no identity-based policies (§1.4)",
                a_caller(&caller)
            );
            gates.push(g);
            return;
        }
        let mut g = self.allow_gate(
            GateKind::Identity,
            Layer::Identity,
            title,
            side,
            None,
            &idxs,
        );
        match grant {
            Some(Grant::Direct) => {
                g.outcome = GateOutcome::Skipped;
                g.reason = "not needed: the resource-based policy names the caller itself (same account, §1.4)".into();
            }
            Some(Grant::ParentEntity) => {
                g.outcome = GateOutcome::Skipped;
                g.reason = "not needed: the resource-based policy names the caller's role (same account, §1.4); the boundary and session policies still apply".into();
            }
            Some(Grant::Account) if g.outcome == GateOutcome::Failed => {
                g.reason = format!(
                    "the resource-based policy names the account, which delegates to IAM: an identity-based policy must allow {} (§1.4)",
                    self.request.action
                );
            }
            _ => {}
        }
        if g.outcome == GateOutcome::Failed && side == Some(Side::Caller) {
            g.reason = format!(
                "{} (cross-account: the caller's own account must allow too, §1.5)",
                g.reason
            );
        }
        gates.push(g);
    }

    fn boundary_gate(
        &mut self,
        sets: &Sets,
        gates: &mut Vec<Gate>,
        side: Option<Side>,
        grant: Option<Grant>,
        trust: bool,
    ) {
        let caller = self.request.caller.clone();
        let title = "permissions boundary".to_string();
        let Some(i) = sets.boundary.filter(|_| caller.is_iam_principal()) else {
            let mut g = self.layer_gate(
                GateKind::PermissionsBoundary,
                Layer::PermissionsBoundary,
                title,
                side,
                sets.boundary,
            );
            g.reason = if caller.is_iam_principal() {
                "no permissions boundary given".into()
            } else {
                format!("{} has no permissions boundary", a_caller(&caller))
            };
            gates.push(g);
            return;
        };
        let mut g = self.allow_gate(
            GateKind::PermissionsBoundary,
            Layer::PermissionsBoundary,
            title,
            side,
            None,
            &[i],
        );
        if grant == Some(Grant::Direct) {
            if trust {
                // §2.2 / §8-Q2: the trust-policy page says the boundary must allow AssumeRole.
                if g.outcome == GateOutcome::Failed {
                    g.reason = format!(
                        "the trust policy names the caller, but for {} the caller's permissions boundary must still allow it (§2.2, §8-Q2)",
                        self.request.action
                    );
                }
                self.assume("AWS documents two rules here; for sts:AssumeRole* we follow the role-trust-policy page: the permissions boundary must allow the call even when the trust policy names the caller (§8-Q2)".into());
            } else {
                g.outcome = GateOutcome::Skipped;
                g.reason = "not needed: the resource-based policy names the caller itself, which a boundary's implicit deny does not limit (§1.4)".into();
            }
        } else if g.outcome == GateOutcome::Failed {
            g.reason = format!(
                "the permissions boundary does not allow {}: effective permissions are the intersection (§1.3 step 6)",
                self.request.action
            );
        }
        gates.push(g);
    }

    fn session_gate(
        &mut self,
        sets: &Sets,
        gates: &mut Vec<Gate>,
        side: Option<Side>,
        grant: Option<Grant>,
        trust: bool,
    ) {
        let caller = self.request.caller.clone();
        let title = "session policies".to_string();
        if !caller.is_session() {
            let mut g = self.layer_gate(GateKind::Session, Layer::Session, title, side, None);
            g.reason = format!("{} has no session policies (§1.8)", a_caller(&caller));
            gates.push(g);
            return;
        }
        let idxs = sets.session.clone().unwrap_or_default();
        let federated = matches!(caller, Caller::FederatedUser { .. });
        let mut g = self.allow_gate(GateKind::Session, Layer::Session, title, side, None, &idxs);
        if idxs.is_empty() {
            if federated {
                g.outcome = GateOutcome::Failed;
                g.reason = "a federated user (GetFederationToken) without a session policy has no permissions from identity-based policies (§1.8)".into();
            } else {
                g.outcome = GateOutcome::NotApplicable;
                g.reason =
                    "no session policy was passed: nothing narrows the role's permissions (§1.8)"
                        .into();
            }
        } else if g.outcome == GateOutcome::Failed {
            g.reason = format!(
                "no session policy allows {}: session permissions are the intersection with the session policies (§1.8)",
                self.request.action
            );
        }
        if grant == Some(Grant::Direct) && g.outcome != GateOutcome::NotApplicable {
            if g.outcome == GateOutcome::Failed {
                if trust {
                    self.assume("AWS does not document whether a session policy must allow sts:AssumeRole when the trust policy names the session itself; we assume it need not (§8-Q2)".into());
                } else {
                    self.assume("AWS documents that a same-account grant naming the session ARN is not limited by session policies; an open-source simulator disagrees and it is not verified live (§8-Q1)".into());
                }
            }
            g.outcome = GateOutcome::Skipped;
            g.reason = "not needed: the resource-based policy names the session itself, which session policies do not narrow (§1.4, §2.5)".into();
        }
        gates.push(g);
    }
}

fn grant_sentence(grant: Grant, caller: &Caller) -> String {
    match grant {
        Grant::Direct => format!(
            "an Allow names {} itself (or \"*\"): in one account that is enough (§1.4)",
            caller.arn()
        ),
        Grant::ParentEntity => "an Allow names the caller's role (or federating user): the identity policy is not needed, the boundary and session policies still apply (§1.4)".into(),
        Grant::Account => "an Allow names the caller's account, which delegates to IAM: an identity-based policy must allow too (§1.4)".into(),
    }
}
