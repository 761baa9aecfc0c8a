//! The unified-style text of a fix: each changed policy document (or the request context)
//! before and after, pretty-printed JSON, with three lines of context.

use super::change::Change;
use crate::scenario::Scenario;
use serde_json::Value;
use similar::TextDiff;

fn pretty(v: Option<&Value>) -> String {
    match v {
        Some(v) => serde_json::to_string_pretty(v).unwrap_or_default() + "\n",
        None => String::new(),
    }
}

fn unified(old: &str, new: &str, from: &str, to: &str) -> String {
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(from, to)
        .to_string()
}

/// The diff of every change, applied in order to `scenario` (the scenario before the fix).
pub(super) fn diff(scenario: &Scenario, changes: &[Change]) -> String {
    let mut out = String::new();
    let mut current = scenario.clone();
    for change in changes {
        match change {
            Change::Policy {
                at, before, after, ..
            } => {
                let place = at.place();
                let from = if before.is_some() {
                    format!("a/{place}")
                } else {
                    "/dev/null".to_string()
                };
                out.push_str(&unified(
                    &pretty(before.as_ref()),
                    &pretty(Some(after)),
                    &from,
                    &format!("b/{place}"),
                ));
            }
            Change::Context { .. } => {
                let before = Value::Object(current.request.context.clone());
                let mut next = current.clone();
                change.apply(&mut next);
                let after = Value::Object(next.request.context.clone());
                out.push_str(&unified(
                    &pretty(Some(&before)),
                    &pretty(Some(&after)),
                    "a/request.context",
                    "b/request.context",
                ));
            }
        }
        change.apply(&mut current);
    }
    out
}
