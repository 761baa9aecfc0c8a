//! Verification and search: every candidate is applied to a copy of the scenario, which is
//! evaluated again. A copy that is allowed, with certainty (no statement that could not be
//! evaluated can change it) and with no new input error, is a fix. A copy that is still denied
//! but fails fewer gates is kept for a second (and third) change, so that a cross-account request
//! missing both sides, or a Deny hiding a missing Allow, gets one fix with every change it needs.

use super::candidates::{candidates, Candidate, Ctx, Tactic};
use super::diff::diff;
use super::rank::score;
use super::{Fix, FixKind, Suggestions, MAX_CHANGES};
use crate::decision::{evaluate, Decision, Evaluation, GateKind, GateOutcome, Side};
use crate::scenario::Scenario;

/// Partial fixes kept for the next change, per depth.
const BEAM: usize = 4;
/// The most copies evaluated for one scenario.
const BUDGET: usize = 400;

/// How far from allowed an evaluation is: each failing gate, each applicable Deny.
fn failures(e: &Evaluation) -> usize {
    e.gates
        .iter()
        .filter(|g| g.outcome == GateOutcome::Failed)
        .map(|g| {
            if g.kind == GateKind::ExplicitDeny {
                g.deciding.len().max(1)
            } else {
                1
            }
        })
        .sum()
}

fn verified(e: &Evaluation, original: &Evaluation) -> bool {
    e.decision == Decision::Allowed
        && e.undecided.is_none()
        && e.errors.len() <= original.errors.len()
}

struct State {
    scenario: Scenario,
    eval: Evaluation,
    path: Vec<Candidate>,
}

pub(super) fn search(scenario: &Scenario) -> Suggestions {
    let original = evaluate(scenario);
    let mut notes = Vec::new();
    if original.decision == Decision::Allowed {
        return Suggestions {
            decision: original.decision,
            fixes: Vec::new(),
            candidates: 0,
            notes: vec!["the request is allowed: nothing to fix".into()],
        };
    }
    if let Some(e) = original
        .errors
        .iter()
        .find(|e| e.place.starts_with("request"))
    {
        return Suggestions {
            decision: original.decision,
            fixes: Vec::new(),
            candidates: 0,
            notes: vec![format!(
                "the request itself cannot be read ({}: {}); fix that first",
                e.place, e.message
            )],
        };
    }
    if original.undecided.is_some() {
        notes.push("the decision depends on statements that could not be evaluated; a fix is kept only when the request is then allowed whatever they say".into());
    }
    let blamed = original.denied_by;
    let mut found: Vec<(Vec<Candidate>, Scenario)> = Vec::new();
    let mut tried = 0;
    let mut frontier = vec![State {
        scenario: scenario.clone(),
        eval: original.clone(),
        path: Vec::new(),
    }];
    'depth: for depth in 0..MAX_CHANGES {
        let mut next: Vec<State> = Vec::new();
        for state in &frontier {
            let ctx = Ctx::new(&state.scenario, &state.eval);
            let before = failures(&state.eval);
            for cand in candidates(&ctx) {
                if tried >= BUDGET {
                    notes.push(format!("stopped after trying {BUDGET} changes"));
                    break 'depth;
                }
                let mut copy = state.scenario.clone();
                if !cand.change.apply(&mut copy) {
                    continue;
                }
                tried += 1;
                let e = evaluate(&copy);
                let mut path = state.path.clone();
                path.push(cand);
                if verified(&e, &original) {
                    found.push((path, copy));
                } else if depth + 1 < MAX_CHANGES && e.undecided.is_none() && failures(&e) < before
                {
                    next.push(State {
                        scenario: copy,
                        eval: e,
                        path,
                    });
                }
            }
        }
        // A fix with fewer changes is always better: no need to look for longer ones.
        if !found.is_empty() {
            break;
        }
        next.sort_by_key(|s| score(&s.path, blamed));
        next.truncate(BEAM);
        frontier = next;
    }
    found.sort_by_key(|(path, _)| score(path, blamed));
    let mut fixes: Vec<Fix> = Vec::new();
    let mut seen: Vec<serde_json::Value> = Vec::new();
    let mut context_seen: Vec<Vec<String>> = Vec::new();
    for (path, fixed) in found {
        let key = fixed.to_json();
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        // One value per context key is enough: "MFA age 3599" and "3600" are one suggestion.
        if path.iter().all(|c| c.kind == FixKind::AddContext) {
            let mut keys: Vec<String> = path
                .iter()
                .flat_map(|c| match &c.change {
                    super::Change::Context { keys } => keys
                        .iter()
                        .map(|(k, _, _)| k.to_ascii_lowercase())
                        .collect(),
                    super::Change::Policy { .. } => Vec::new(),
                })
                .collect();
            keys.sort();
            if context_seen.contains(&keys) {
                continue;
            }
            context_seen.push(keys);
        }
        if let Some(f) = assemble(scenario, &original, path, fixed) {
            fixes.push(f);
        }
    }
    if fixes.is_empty() {
        notes.push(format!(
            "no change of up to {MAX_CHANGES} policies or context values that iamtrace knows to propose makes the request allowed"
        ));
    }
    Suggestions {
        decision: original.decision,
        fixes,
        candidates: tried,
        notes,
    }
}

fn assemble(
    scenario: &Scenario,
    original: &Evaluation,
    path: Vec<Candidate>,
    fixed: Scenario,
) -> Option<Fix> {
    let first = path.first()?;
    let org = path.iter().any(|c| c.tactic == Tactic::Organization);
    let kind = if org {
        FixKind::OutsideControl
    } else {
        first.kind
    };
    let mut summary = if let [only] = path.as_slice() {
        only.summary.clone()
    } else {
        let steps: Vec<String> = path
            .iter()
            .enumerate()
            .map(|(i, c)| format!("({}) {}", i + 1, c.summary))
            .collect();
        format!("{} changes, all needed: {}", path.len(), steps.join(" "))
    };
    if original.cross_account {
        // Which side lacks an Allow (an explicit deny is not a missing side).
        let grants = |c: &&Candidate| {
            matches!(
                c.tactic,
                Tactic::NearlyApplied | Tactic::NewStatement | Tactic::Delegate
            )
        };
        let caller = path
            .iter()
            .filter(grants)
            .any(|c| c.side == Some(Side::Caller));
        let resource = path
            .iter()
            .filter(grants)
            .any(|c| c.side == Some(Side::Resource));
        let caller_account = original.request.caller.account().unwrap_or("?");
        let owner = original.request.resource_account.as_deref().unwrap_or("?");
        let which = match (caller, resource) {
            (true, true) => format!(
                "both sides are missing, the caller's account {caller_account} and the resource owner's account {owner}"
            ),
            (true, false) => format!("the caller's side (account {caller_account}) is missing"),
            (false, true) => format!("the resource owner's side (account {owner}) is missing"),
            (false, false) => String::new(),
        };
        if !which.is_empty() {
            summary = format!("Cross-account, both accounts must allow: {which}. {summary}");
        }
    }
    let changes: Vec<_> = path.iter().map(|c| c.change.clone()).collect();
    Some(Fix {
        kind,
        layer: first.at.layer,
        policy: first.at,
        side: first.side,
        summary,
        diff: diff(scenario, &changes),
        changes,
        scenario: (!org).then_some(fixed),
        organization: path.iter().find_map(|c| c.organization.clone()),
    })
}
