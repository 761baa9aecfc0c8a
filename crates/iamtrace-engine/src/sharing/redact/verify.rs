//! The outcome guarantee: a redacted case must decide exactly as the original. Compared are the
//! outcome values of the evaluation, never its prose: the decision, the layer AWS would name,
//! every gate's outcome, and for every policy and statement whether it applies and what each of
//! its tests (principal, action, resource, each condition) said.

use crate::decision::{Decision, Evaluation, GateKind, GateOutcome, Layer, PossibleResult};
use crate::explain::{Applies, PolicyResult};

/// The outcome values of one evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    decision: Decision,
    denied_by: Option<Layer>,
    complete: bool,
    undecided: Option<(PossibleResult, PossibleResult)>,
    gates: Vec<(GateKind, Option<usize>, GateOutcome, bool)>,
    policies: Vec<PolicyOutcome>,
}

#[derive(Debug, Clone, PartialEq)]
struct PolicyOutcome {
    layer: Layer,
    level: Option<usize>,
    index: usize,
    participates: bool,
    readable: bool,
    result: Option<PolicyResult>,
    statements: Vec<StatementOutcome>,
}

#[derive(Debug, Clone, PartialEq)]
struct StatementOutcome {
    label: String,
    applies: Applies,
    principal: Option<Applies>,
    action: Applies,
    resource: Applies,
    conditions: Vec<Applies>,
}

/// The outcome values of `e`.
pub fn outcome(e: &Evaluation) -> Outcome {
    Outcome {
        decision: e.decision,
        denied_by: e.denied_by,
        complete: e.complete,
        undecided: e
            .undecided
            .as_ref()
            .map(|u| (u.most_restrictive, u.most_permissive)),
        gates: e
            .gates
            .iter()
            .map(|g| (g.kind, g.level, g.outcome, g.decisive))
            .collect(),
        policies: e
            .policies
            .iter()
            .map(|p| PolicyOutcome {
                layer: p.layer,
                level: p.level,
                index: p.index,
                participates: p.participates,
                readable: p.error.is_none(),
                result: p.trace.as_ref().map(|t| t.result),
                statements: p
                    .trace
                    .iter()
                    .flat_map(|t| &t.statements)
                    .map(|s| StatementOutcome {
                        label: s.label.clone(),
                        applies: s.applies,
                        principal: s.principal.as_ref().map(|p| p.element.passes),
                        action: s.action.passes,
                        resource: s.resource.passes,
                        conditions: s.conditions.iter().map(|c| c.outcome).collect(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn policy_words(p: &PolicyOutcome) -> String {
    match p.level {
        Some(level) => format!(
            "{} policy {} at organization level {}",
            p.layer.name(),
            p.index + 1,
            level
        ),
        None => format!("{} policy {}", p.layer.name(), p.index + 1),
    }
}

fn applies_word(a: Applies) -> &'static str {
    match a {
        Applies::Yes => "applies",
        Applies::No => "does not apply",
        Applies::Unknown => "cannot be evaluated",
    }
}

fn would(a: Applies) -> &'static str {
    match a {
        Applies::Yes => "would apply",
        Applies::No => "would not apply",
        Applies::Unknown => "could not be evaluated",
    }
}

/// The first outcome the redacted case would change, in words; `None` when every outcome is the
/// same.
pub fn difference(before: &Outcome, after: &Outcome) -> Option<String> {
    if before.decision != after.decision {
        return Some(format!(
            "the decision would become {} instead of {}",
            after.decision, before.decision
        ));
    }
    if before.denied_by != after.denied_by {
        return Some("another layer would deny the request".into());
    }
    if before.policies.len() != after.policies.len() {
        return Some("the redacted case would hold other policies".into());
    }
    for (b, a) in before.policies.iter().zip(&after.policies) {
        if b.statements.len() != a.statements.len() || b.readable != a.readable {
            return Some(format!("the {} would read differently", policy_words(b)));
        }
        for (bs, s) in b.statements.iter().zip(&a.statements) {
            if bs.applies != s.applies {
                return Some(format!(
                    "statement {} of the {} {}; redacted, it {}",
                    bs.label,
                    policy_words(b),
                    applies_word(bs.applies),
                    would(s.applies)
                ));
            }
            if bs != s {
                return Some(format!(
                    "a test of statement {} of the {} would have another outcome",
                    bs.label,
                    policy_words(b)
                ));
            }
        }
        if b != a {
            return Some(format!(
                "the {} would have another outcome",
                policy_words(b)
            ));
        }
    }
    if before.gates != after.gates {
        return Some("a gate of the decision would have another outcome".into());
    }
    if before != after {
        return Some("the decision would be less certain or more certain".into());
    }
    None
}
