//! Statements that could not be evaluated, and whether they can change the decision.
//!
//! A statement whose test cannot be evaluated (unknown operator, unreadable condition…) is
//! neither applied nor dropped: the gates are also computed with every unknown `Deny` applying
//! (the most restrictive reading) and with every unknown `Allow` applying (the most permissive
//! one). When both give the same decision and blamed layer the decision is certain; otherwise
//! the evaluation is undecided and says both results. A gate whose outcome differs between the
//! readings gets [`GateOutcome::Unknown`] and a reason that names the statements.

use super::evaluate::Run;
use super::layer::Layer;
use super::result::{
    Decision, Gate, GateKind, GateOutcome, PossibleResult, Undecided, UnknownStatement,
};
use crate::explain::{Applies, StatementTrace};
use crate::policy::Effect;

/// The decision and the position of the deciding gate.
pub(super) fn decide(gates: &[Gate], get_caller_identity: bool) -> (Decision, Option<usize>) {
    if get_caller_identity {
        (Decision::Allowed, Some(0))
    } else if gates
        .first()
        .is_some_and(|g| g.outcome == GateOutcome::Failed)
    {
        (Decision::ExplicitDeny, Some(0))
    } else {
        match gates.iter().position(|g| g.outcome == GateOutcome::Failed) {
            Some(i) => (Decision::ImplicitDeny, Some(i)),
            None => (Decision::Allowed, None),
        }
    }
}

fn result_of(gates: &[Gate]) -> PossibleResult {
    let (decision, i) = decide(gates, false);
    let denied_by = match (decision, i) {
        (Decision::Allowed, _) | (_, None) => None,
        (_, Some(i)) => gates[i].layer,
    };
    PossibleResult {
        decision,
        denied_by,
    }
}

/// Why a statement could not be evaluated, one sentence per unknown test.
fn reasons(st: &StatementTrace) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(p) = &st.principal {
        if p.element.passes == Applies::Unknown {
            out.push(format!("{}: {}", p.element.element, p.element.reason));
        }
    }
    for e in [&st.action, &st.resource] {
        if e.passes == Applies::Unknown {
            out.push(format!("{}: {}", e.element, e.reason));
        }
    }
    for c in &st.conditions {
        if c.outcome == Applies::Unknown {
            out.push(format!("{} {}: {}", c.operator, c.key, c.reason));
        }
    }
    if out.is_empty() {
        out.push("the statement could not be evaluated".into());
    }
    out
}

/// "allowed", "explicitly denied by the SCP", "implicitly denied by the identity-based policy".
pub fn result_phrase(r: PossibleResult) -> String {
    let by = r
        .denied_by
        .map(|l| format!(" by the {}", layer_phrase(l)))
        .unwrap_or_default();
    match r.decision {
        Decision::Allowed => "allowed".into(),
        Decision::ExplicitDeny => format!("explicitly denied{by}"),
        Decision::ImplicitDeny => format!("implicitly denied{by}"),
    }
}

fn layer_phrase(l: Layer) -> &'static str {
    match l {
        Layer::Resource => "resource-based policy",
        other => other.policy_type().aws_name(),
    }
}

impl Run {
    /// Every statement of a participating policy that could not be evaluated.
    pub(super) fn unknown_statements(&self) -> Vec<UnknownStatement> {
        let mut out = Vec::new();
        for (idx, r) in self.reports.iter().enumerate() {
            if !r.participates {
                continue;
            }
            let Some(t) = &r.trace else { continue };
            for st in t
                .statements
                .iter()
                .filter(|s| s.applies == Applies::Unknown)
            {
                out.push(UnknownStatement {
                    policy: idx,
                    layer: r.layer,
                    level: r.level,
                    index: r.index,
                    statement: st.index,
                    label: st.label.clone(),
                    effect: st.effect,
                    span: st.span,
                    file_span: r.base.map(|b| st.span.offset_by(b)),
                    reasons: reasons(st),
                    could_change_decision: false,
                });
            }
        }
        out
    }

    /// "Deny statement 'DenyProd' in identity-based policy 'ops' (unknown operator …)".
    fn describe(&self, u: &UnknownStatement, with_reason: bool) -> String {
        let effect = match u.effect {
            Some(Effect::Allow) => "Allow ",
            Some(Effect::Deny) => "Deny ",
            None => "",
        };
        let r = &self.reports[u.policy];
        let policy = match &r.name {
            Some(n) => format!("'{n}'"),
            None => format!("{}", u.index + 1),
        };
        let level = u
            .level
            .map(|l| format!(" at organization level {}", l + 1))
            .unwrap_or_default();
        let why = if with_reason {
            format!(" ({})", u.reasons.join("; "))
        } else {
            String::new()
        };
        format!(
            "{effect}statement '{}' in {} {policy}{level}{why}",
            u.label,
            self.layer_title(u.layer)
        )
    }

    fn list(&self, unknown: &[UnknownStatement], which: &[usize], with_reason: bool) -> String {
        let names: Vec<String> = which
            .iter()
            .map(|&i| self.describe(&unknown[i], with_reason))
            .collect();
        match names.as_slice() {
            [] => "a statement".into(),
            [one] => one.clone(),
            [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
        }
    }

    /// Marks the gates that depend on unknown statements and decides whether the decision does.
    pub(super) fn settle(
        &self,
        gates: &mut [Gate],
        unknown: &mut [UnknownStatement],
        main: PossibleResult,
        restrictive_gates: &[Gate],
        permissive_gates: &[Gate],
    ) -> Option<Undecided> {
        if restrictive_gates.len() == gates.len() && permissive_gates.len() == gates.len() {
            for (i, g) in gates.iter_mut().enumerate() {
                let other = [restrictive_gates[i].outcome, permissive_gates[i].outcome]
                    .into_iter()
                    .find(|&o| o != g.outcome);
                if let Some(other) = other {
                    self.mark_gate(g, other, unknown);
                }
            }
        }
        let most_restrictive = result_of(restrictive_gates);
        let most_permissive = result_of(permissive_gates);
        let by_deny = most_restrictive != main;
        let by_allow = most_permissive != main;
        if !by_deny && !by_allow {
            return None;
        }
        let mut statements = Vec::new();
        for (i, u) in unknown.iter_mut().enumerate() {
            let matters = match u.effect {
                Some(Effect::Deny) => by_deny,
                Some(Effect::Allow) => by_allow,
                None => false,
            };
            if matters {
                u.could_change_decision = true;
                statements.push(i);
            }
        }
        let now = result_phrase(main);
        let summary = if by_deny && by_allow {
            format!(
                "undecided: {} if the statements that could not be evaluated allow, {} if they deny; it depends on {}",
                result_phrase(most_permissive),
                result_phrase(most_restrictive),
                self.list(unknown, &statements, false)
            )
        } else {
            let then = if by_deny {
                most_restrictive
            } else {
                most_permissive
            };
            let (verb, count) = if statements.len() > 1 {
                ("apply", "any of ")
            } else {
                ("applies", "")
            };
            format!(
                "undecided: {now} unless {count}{} {verb}; then {}",
                self.list(unknown, &statements, true),
                result_phrase(then)
            )
        };
        Some(Undecided {
            most_restrictive,
            most_permissive,
            statements,
            summary,
        })
    }

    fn mark_gate(&self, g: &mut Gate, other: GateOutcome, unknown: &[UnknownStatement]) {
        let explicit = g.kind == GateKind::ExplicitDeny;
        let wanted = if explicit {
            Effect::Deny
        } else {
            Effect::Allow
        };
        let of_effect = |u: &UnknownStatement| u.effect == Some(wanted);
        let mut which: Vec<usize> = (0..unknown.len())
            .filter(|&i| {
                let u = &unknown[i];
                of_effect(u) && (explicit || (Some(u.layer) == g.layer && u.level == g.level))
            })
            .collect();
        if which.is_empty() {
            // Another layer's unknown Allow changes this gate (a resource-based grant that would
            // make the identity gate unnecessary…).
            which = (0..unknown.len())
                .filter(|&i| of_effect(&unknown[i]))
                .collect();
        }
        let (verb, count) = if which.len() > 1 {
            ("apply", "any of ")
        } else {
            ("applies", "")
        };
        let list = self.list(unknown, &which, true);
        g.reason = if explicit {
            format!(
                "no Deny statement applies for certain: {list} could not be evaluated; if {} {verb}, the request is explicitly denied",
                if which.len() > 1 { "any of them" } else { "it" }
            )
        } else {
            let then = match other {
                GateOutcome::Passed => "the gate passes",
                GateOutcome::Failed => "the gate stops the request",
                GateOutcome::Skipped => "the gate is not needed",
                GateOutcome::NotApplicable => "the gate does not take part",
                GateOutcome::Unknown => "the gate is undecided",
            };
            format!(
                "{} — unless {count}{list} {verb}, which could not be evaluated; then {then}",
                g.reason
            )
        };
        g.outcome = GateOutcome::Unknown;
    }
}
