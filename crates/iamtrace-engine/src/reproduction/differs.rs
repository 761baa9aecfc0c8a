//! When every input AWS's claim points at is present and the result is still another: what
//! differs, and the input most likely behind it, from the outcome values of the evaluation.
//!
//! These are hints, not findings: AWS does not say which input of its evaluation differs from the
//! case, so each sentence names the likely cause ("the copy pasted may differ from the one AWS
//! evaluated") rather than claiming one.

use super::{layer_noun, layer_title};
use crate::decision::{Decision, Evaluation, Layer};
use crate::policy::Effect;

/// AWS's result, reduced to what the hints compare.
pub(super) struct Claimed {
    /// `allowed`, `explicit_deny`, `implicit_deny`, or `denied` when AWS did not say which.
    pub decision: String,
    pub layer: Option<Layer>,
}

/// The statements of `layer` that decided with `effect`, by label.
fn deciding(evaluation: &Evaluation, layer: Layer, effect: Effect) -> Vec<String> {
    let mut out: Vec<String> = evaluation
        .gates
        .iter()
        .flat_map(|g| &g.deciding)
        .filter(|d| d.layer == layer && d.effect == Some(effect))
        .map(|d| format!("`{}`", d.label))
        .collect();
    out.dedup();
    out
}

/// Context keys tested by `effect` statements of `layer` that the request does not carry, and
/// that would make one of those statements apply.
fn untold_keys(evaluation: &Evaluation, layer: Option<Layer>, effect: Effect) -> Vec<String> {
    let mut keys: Vec<String> = evaluation
        .missing_keys
        .iter()
        .filter(|k| k.would_match && k.effect == Some(effect))
        .filter(|k| layer.is_none_or(|l| l == k.layer))
        .map(|k| format!("`{}`", k.key))
        .collect();
    keys.sort();
    keys.dedup();
    keys.truncate(3);
    keys
}

fn keys_clause(keys: &[String]) -> String {
    if keys.is_empty() {
        String::new()
    } else {
        format!(
            " (the case does not give {}, which a statement there tests)",
            keys.join(", ")
        )
    }
}

/// What differs between AWS's result and the case's, and the likely missing or different input,
/// most likely first. Empty when the two agree.
pub(super) fn likely_causes(claim: &Claimed, evaluation: &Evaluation) -> Vec<String> {
    let ours = evaluation.decision;
    let mine = evaluation.denied_by;
    let aws_denied = claim.decision != "allowed";
    let mut out = Vec::new();
    match (aws_denied, claim.layer) {
        // AWS: an explicit deny in `l`; here no Deny of `l` applies.
        (true, Some(l)) if claim.decision == "explicit_deny" && mine != Some(l) => {
            let keys = untold_keys(evaluation, Some(l), Effect::Deny);
            out.push(format!(
                "AWS applied a Deny statement of {}, but no Deny statement pasted there applies to this request{}: the request may have carried a context value the case lacks, or the copy pasted differs from the one AWS evaluated",
                layer_noun(l),
                keys_clause(&keys)
            ));
        }
        // AWS: no Allow in `l`; here `l` allows.
        (true, Some(l)) if ours == Decision::Allowed || (mine != Some(l) && mine.is_some()) => {
            let allows = deciding(evaluation, l, Effect::Allow);
            if let Some(m) = mine.filter(|m| *m != l) {
                out.push(format!(
                    "iamtrace stops at {} and AWS at {}: as pasted, {} {} the request where AWS's did not; a policy of that layer is likely missing (AWS evaluates every policy attached) or a context value differs",
                    layer_title(m),
                    layer_title(l),
                    layer_noun(m),
                    verb(m, "denies", "deny")
                ));
            }
            if !allows.is_empty() {
                out.push(format!(
                    "{} {} the request here ({}), but AWS found no Allow there: the copy pasted may be newer than the one AWS evaluated, or a condition value differs",
                    capitalised(layer_noun(l)),
                    verb(l, "allows", "allow"),
                    allows.join(", ")
                ));
            }
        }
        // AWS allowed; here a layer denies.
        (false, _) if ours != Decision::Allowed => {
            if let Some(m) = mine {
                if ours == Decision::ExplicitDeny {
                    out.push(format!(
                        "AWS allowed the request, but a Deny statement of {} applies here ({}): a condition value likely differs from what AWS saw",
                        layer_noun(m),
                        deciding(evaluation, m, Effect::Deny).join(", ")
                    ));
                } else {
                    let keys = untold_keys(evaluation, Some(m), Effect::Allow);
                    out.push(format!(
                        "AWS allowed the request, but {} {} allow it here{}: the policy that granted it is likely missing from the case",
                        layer_noun(m),
                        verb(m, "does not", "do not"),
                        keys_clause(&keys)
                    ));
                }
            }
        }
        _ => {}
    }
    if out.is_empty() && aws_denied && ours == Decision::Allowed {
        out.push("AWS denied but the pasted policies allow: a policy AWS evaluated is missing or differs (an SCP, an RCP, a permissions boundary or a session policy AWS applied)".into());
    }
    out
}

/// `singular` or `plural` to agree with the layer's noun ("the SCPs … deny", "the permissions
/// boundary denies").
fn verb(layer: Layer, singular: &'static str, plural: &'static str) -> &'static str {
    match layer {
        Layer::Identity | Layer::Session | Layer::Scp | Layer::Rcp => plural,
        _ => singular,
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
