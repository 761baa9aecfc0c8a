//! Fuzz target: condition evaluation on arbitrary operator, key, policy values and request
//! context, plus the wildcard and ARN matchers on arbitrary patterns.
//!
//! Input layout (lines): first byte picks variables on/off and whether the operator is one of the
//! known names (better coverage) or the raw first line; then the key, the policy values up to an
//! empty line, then context entries `key=value` or `key=[a|b|c]`.
//!
//! Besides "never panics", it checks what the trace promises: one value trace per policy value,
//! `key_missing` exactly when the key is absent, and a reason for every outcome.
#![no_main]

use iamtrace_engine::conditions::{evaluate_condition, BaseOperator};
use iamtrace_engine::matching::arn::{arn_like, resource_matches};
use iamtrace_engine::matching::wildcard::{glob_match, Case};
use iamtrace_engine::policy::{ConditionEntry, Span, Spanned};
use iamtrace_engine::request::{ContextMap, ContextValue};
use libfuzzer_sys::fuzz_target;

const BASES: [&str; 27] = [
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
];

fn spanned(s: &str) -> Spanned<String> {
    Spanned::new(s.to_string(), Span::default())
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let mut lines = text.split('\n');
    let first = lines.next().unwrap_or("");
    let operator = if flags & 0x80 == 0 {
        let base = BASES[(flags as usize & 0x1f) % BASES.len()];
        let qualifier = ["", "ForAllValues:", "ForAnyValue:"][(flags as usize >> 5) % 3];
        let if_exists = if first.starts_with('!') {
            "IfExists"
        } else {
            ""
        };
        format!("{qualifier}{base}{if_exists}")
    } else {
        first.to_string()
    };
    let variables = flags & 0x40 != 0;
    let key = lines.next().unwrap_or("");
    let mut values = Vec::new();
    for line in lines.by_ref() {
        if line.is_empty() {
            break;
        }
        values.push(spanned(line));
    }
    let mut context = ContextMap::new();
    for line in lines {
        let (k, v) = line.split_once('=').unwrap_or((line, ""));
        let value = match v.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            Some(list) if list.is_empty() => ContextValue::Multi(Vec::new()),
            Some(list) => ContextValue::Multi(list.split('|').map(str::to_string).collect()),
            None => ContextValue::Single(v.to_string()),
        };
        context.insert_given(k, value);
    }

    let entry = ConditionEntry {
        operator: spanned(&operator),
        key: spanned(key),
        values: values.clone(),
        span: Span::default(),
    };
    let mut assumptions = Vec::new();
    let trace = evaluate_condition(&entry, variables, &context, &mut assumptions);
    assert_eq!(trace.values.len(), values.len());
    assert_eq!(trace.key_missing, !context.contains(key));
    assert!(!trace.reason.is_empty());
    assert!(assumptions.iter().all(|a| !a.is_empty()));
    // A known operator never turns Unknown without a reason that says so.
    if BaseOperator::from_name(&operator).is_some()
        && trace.outcome == iamtrace_engine::explain::Applies::Unknown
    {
        assert!(
            trace.reason.starts_with("cannot evaluate"),
            "{}",
            trace.reason
        );
    }

    // The matchers on the same text: pattern = key, subject = each value.
    for v in &values {
        let _ = glob_match(key, v, Case::Sensitive);
        let _ = glob_match(key, v, Case::AsciiInsensitive);
        let _ = resource_matches(key, v);
        let _ = arn_like(key, v, flags & 1 == 1);
    }
});
