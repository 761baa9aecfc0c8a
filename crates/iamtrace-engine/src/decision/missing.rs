//! Conditions that depended on a context key nobody gave (issue #3): "this statement would match
//! if `aws:SourceVpce` were `vpce-1a2b`", or "this Deny applies because `aws:SourceIp` is absent".

use super::result::{MissingKey, PolicyReport};
use crate::explain::{Applies, ConditionTrace, StatementTrace};

fn element_passes(st: &StatementTrace) -> bool {
    st.principal
        .as_ref()
        .is_none_or(|p| p.element.passes == Applies::Yes)
        && st.action.passes == Applies::Yes
        && st.resource.passes == Applies::Yes
}

fn values_of(c: &ConditionTrace) -> Vec<String> {
    c.values
        .iter()
        .map(|v| v.substituted.clone().unwrap_or_else(|| v.text.clone()))
        .collect()
}

fn wanted(c: &ConditionTrace) -> String {
    let values = values_of(c)
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>();
    let list = match values.len() {
        0 => "a value".to_string(),
        1 => values[0].clone(),
        _ => format!("one of {}", values.join(", ")),
    };
    let op = c.operator.as_str();
    if op.contains("Equals") || op.starts_with("Bool") || op.contains("Like") {
        format!("`{}` were {list}", c.key)
    } else {
        format!("`{}` satisfied {op} {list}", c.key)
    }
}

/// Every condition of a participating policy whose key was absent, where that mattered: the
/// statement's principal, action and resource match, so the key decides whether it applies.
pub(crate) fn missing_keys(reports: &[PolicyReport]) -> Vec<MissingKey> {
    let mut out = Vec::new();
    for (idx, r) in reports.iter().enumerate() {
        if !r.participates {
            continue;
        }
        let Some(trace) = &r.trace else { continue };
        for st in &trace.statements {
            if !element_passes(st) {
                continue;
            }
            let failing: Vec<&ConditionTrace> = st
                .conditions
                .iter()
                .filter(|c| c.outcome != Applies::Yes)
                .collect();
            let only_missing = !failing.is_empty() && failing.iter().all(|c| c.key_missing);
            for c in st.conditions.iter().filter(|c| c.key_missing) {
                let effect = st
                    .effect
                    .map(|e| format!("{e:?}"))
                    .unwrap_or_else(|| "the".into());
                let (message, would_match) = if c.outcome != Applies::Yes && only_missing {
                    let others: Vec<String> = failing
                        .iter()
                        .filter(|o| o.key != c.key)
                        .map(|o| format!("`{}`", o.key))
                        .collect();
                    let rest = if others.is_empty() {
                        String::new()
                    } else {
                        format!(" and {} were given matching values", others.join(", "))
                    };
                    (
                        format!(
                            "{effect} statement '{}' would match if {}{rest}; nobody gave `{}`",
                            st.label,
                            wanted(c),
                            c.key
                        ),
                        true,
                    )
                } else if c.outcome == Applies::Yes {
                    (
                        format!(
                            "{effect} statement '{}': the condition on `{}` is true because the key is absent ({})",
                            st.label, c.key, c.reason
                        ),
                        true,
                    )
                } else {
                    (
                        format!(
                            "{effect} statement '{}': the condition on `{}` is false because the key is absent; other conditions fail too",
                            st.label, c.key
                        ),
                        false,
                    )
                };
                out.push(MissingKey {
                    key: c.key.clone(),
                    policy: idx,
                    layer: r.layer,
                    statement: st.index,
                    label: st.label.clone(),
                    effect: st.effect,
                    values: values_of(c),
                    message,
                    would_match,
                });
            }
        }
    }
    out
}
