//! Redaction before sharing: the case with its account IDs, organization IDs, principal and
//! resource names, IP addresses, VPC and endpoint IDs, external IDs and tag values replaced,
//! consistently everywhere, by AWS's documentation placeholders (`111122223333`,
//! `amzn-s3-demo-bucket`, `o-exampleorgid`…).
//!
//! The pass is verified: the redacted case is evaluated and must give the same decision, the
//! same layer and the same outcome for every gate, statement and test as the original. A value
//! that cannot be replaced without changing an outcome is kept and listed with the reason. The
//! mapping (what replaced what) is returned beside the redacted case, never inside it: a
//! permalink made from [`Redaction::scenario`] carries no original value that was replaced.

mod free_text;
mod ip;
mod kind;
mod mapping;
mod pieces;
mod placeholders;
mod rewrite;
mod verify;

pub use kind::ValueKind;

use crate::decision::evaluate;
use crate::scenario::Scenario;
use free_text::FreeText;
use mapping::{Found, ValueMap};
use rewrite::Pass;
use serde::Serialize;
use verify::{difference, outcome, Outcome};

/// A value the redacted case no longer holds, and its placeholder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Replaced {
    pub kind: ValueKind,
    /// The value as written; a wildcard pattern's literal prefix is shown as `acme-prod-*`.
    pub original: String,
    pub replacement: String,
}

/// A value the redacted case still holds, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Kept {
    pub kind: ValueKind,
    pub value: String,
    pub reason: String,
}

/// The redacted case, with what was replaced (the mapping, for the user's eyes only) and what was
/// kept.
#[derive(Debug, Clone, PartialEq)]
pub struct Redaction {
    pub scenario: Scenario,
    pub replaced: Vec<Replaced>,
    pub kept: Vec<Kept>,
    /// The redacted case gives every outcome the original gives. `false` only if even the case
    /// with nothing replaced reads differently once written out (then nothing is replaced).
    pub verified: bool,
}

/// Redacts a whole case and verifies that it still decides the same.
pub fn redact(scenario: &Scenario) -> Redaction {
    let mut found = Vec::new();
    let identity = |t: &str| t.to_string();
    Pass {
        piece: &mut |p| {
            found.push(Found {
                kind: p.kind,
                text: p.text.to_string(),
                role: p.role,
                base: p.base,
            });
            None
        },
        text: &identity,
    }
    .scenario(scenario);
    let map = ValueMap::build(&found);
    let before = outcome(&evaluate(scenario));
    let replaceable: Vec<bool> = (0..map.groups)
        .map(|g| {
            map.entries
                .iter()
                .any(|e| e.group == g && e.replacement.is_some())
        })
        .collect();

    let mut active = replaceable.clone();
    let mut kept_because: Vec<Option<String>> = vec![None; map.groups];
    let (mut result, mut diff) = attempt(scenario, &map, &active, &before);
    if diff.is_some() {
        // Replace group by group, keeping each group whose replacement changes an outcome.
        active = vec![false; map.groups];
        (result, diff) = attempt(scenario, &map, &active, &before);
        for g in 0..map.groups {
            if !replaceable.get(g).copied().unwrap_or(false) || diff.is_some() {
                continue;
            }
            set(&mut active, g, true);
            let (r, d) = attempt(scenario, &map, &active, &before);
            match d {
                None => result = r,
                Some(why) => {
                    set(&mut active, g, false);
                    set(&mut kept_because, g, Some(why));
                }
            }
        }
    }
    report(result, diff.is_none(), &map, &active, &kept_because)
}

fn set<T>(v: &mut [T], i: usize, value: T) {
    if let Some(x) = v.get_mut(i) {
        *x = value;
    }
}

/// The case with the active groups replaced, written out and read back as a user would get it,
/// and the first outcome it changes.
fn attempt(
    scenario: &Scenario,
    map: &ValueMap,
    active: &[bool],
    before: &Outcome,
) -> (Scenario, Option<String>) {
    let free = FreeText::new(
        map.entries
            .iter()
            .filter(|e| !e.only_prefix)
            .filter_map(|e| {
                map.lookup(&e.original, active)
                    .map(|r| (e.original.clone(), r.to_string()))
            })
            .collect(),
    );
    let text = |t: &str| free.apply(t);
    let redacted = Pass {
        piece: &mut |p| map.lookup(p.text, active).map(str::to_string),
        text: &text,
    }
    .scenario(scenario);
    match Scenario::parse(&redacted.to_json_string()) {
        Ok(read) => {
            let d = difference(before, &outcome(&evaluate(&read.scenario)));
            (read.scenario, d)
        }
        Err(e) => (
            redacted,
            Some(format!("the redacted case could not be read back ({e})")),
        ),
    }
}

fn shown(text: &str, only_prefix: bool) -> String {
    if only_prefix {
        format!("{text}*")
    } else {
        text.to_string()
    }
}

fn report(
    scenario: Scenario,
    verified: bool,
    map: &ValueMap,
    active: &[bool],
    kept_because: &[Option<String>],
) -> Redaction {
    let mut replaced = Vec::new();
    let mut kept = Vec::new();
    for e in &map.entries {
        match map.lookup(&e.original, active) {
            Some(r) => replaced.push(Replaced {
                kind: e.kind,
                original: shown(&e.original, e.only_prefix),
                replacement: shown(r, e.only_prefix),
            }),
            None => {
                let reason = match (&e.stays_because, kept_because.get(e.group)) {
                    (Some(why), _) => why.clone(),
                    (None, Some(Some(why))) => format!("replacing it changes an outcome: {why}"),
                    (None, _) => {
                        "the redacted case could not be verified, so nothing was replaced".into()
                    }
                };
                kept.push(Kept {
                    kind: e.kind,
                    value: shown(&e.original, e.only_prefix),
                    reason,
                });
            }
        }
    }
    Redaction {
        scenario,
        replaced,
        kept,
        verified,
    }
}
