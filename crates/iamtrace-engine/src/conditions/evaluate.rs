//! One condition (`operator: {key: values}`) against the request context: the missing-key table
//! (rules §3.12), `…IfExists` (§3.10), negated operators as NOR (§3.8), set qualifiers
//! (§3.11), and multivalued keys without a qualifier (§8-Q18).

use super::compare::{read_policy_value, read_request_value, relation_holds, Operand, ReadValue};
use super::date::ASSUME_PARTIAL_DATE;
use super::variables::ASSUME_LITERAL_SUBSTITUTION;
use super::{BaseOperator, Operator, OperatorFamily, SetQualifier};
use crate::explain::{Applies, ConditionTrace, PolicyValueTrace};
use crate::matching::wildcard::has_wildcard;
use crate::policy::ConditionEntry;
use crate::request::{ContextMap, ContextValue};
use std::borrow::Cow;

/// Assumption recorded when a multivalued request key meets an operator without a set qualifier.
pub const ASSUME_MULTI_NO_QUALIFIER: &str = "AWS does not define an operator without \
ForAllValues/ForAnyValue on a multivalued key; we assume a positive operator is true when some \
request value matches and a negated one when no request value matches (§8-Q18).";

/// Assumption recorded when a condition lists no values.
pub const ASSUME_EMPTY_VALUES: &str = "AWS documents an empty list of condition values \
inconsistently; we assume no value can match: the condition is false, except ForAllValues or \
IfExists with the key absent, which are true (§8-Q14).";

/// Assumption recorded when a request value is not of the operator's type.
pub const ASSUME_TYPE_MISMATCH: &str = "AWS does not document a request value of the wrong type \
(e.g. text under a Numeric operator); we assume it matches no policy value (§3.9).";

/// Assumption recorded when `Bool` meets a value other than true/false.
pub const ASSUME_BOOL_LITERAL: &str = "AWS documents only true/false for Bool; we compare them \
case-insensitively and let any other value match nothing (§8-Q16).";

/// Assumption recorded when a variable is substituted into a `Bool` value.
pub const ASSUME_BOOL_VARIABLE: &str = "AWS documents policy variables in Bool values \
inconsistently; we substitute them (§8-Q17).";

/// Assumption recorded when a request value under an `Arn…` operator is not an ARN.
pub const ASSUME_ARN_NOT_ARN: &str = "AWS does not document this; we assume a request value that \
is not an ARN (fewer than six colon-separated fields) matches no ARN pattern under an Arn… \
operator: ArnEquals/ArnLike are false and ArnNotEquals/ArnNotLike true for it (the pattern \"*\" \
alone still matches it).";

/// Assumption recorded when `Null` carries a set qualifier.
pub const ASSUME_NULL_QUALIFIER: &str = "AWS does not document this; we assume ForAllValues:Null \
is always true and ForAnyValue:Null always false, whatever the key (the qualifiers compare sets of \
values, and Null compares none).";

fn note(assumptions: &mut Vec<String>, a: &str) {
    if !assumptions.iter().any(|x| x == a) {
        assumptions.push(a.to_string());
    }
}

/// At most this many values are quoted in a reason; the rest are counted.
const QUOTED_VALUES: usize = 10;

fn quote_list(values: &[&str]) -> String {
    let mut out = values
        .iter()
        .take(QUOTED_VALUES)
        .map(|v| format!("'{v}'"))
        .collect::<Vec<_>>()
        .join(", ");
    if values.len() > QUOTED_VALUES {
        out.push_str(&format!(" and {} more", values.len() - QUOTED_VALUES));
    }
    out
}

/// `m(c)` for every request value `c` (whether it stands in the operator's positive relation to
/// some policy value), marking in `traces` each policy value that some request value satisfies;
/// also the request values that are not of the operator's type.
///
/// Equal request values and equal policy values are compared once, and values without wildcards
/// under the string operators are found by hash lookup, so the cost is (distinct request values)
/// × (distinct wildcard patterns) instead of every pair: 10,000 exact tag keys against 10,000
/// request values is 20,000 lookups, not 10^8 comparisons.
fn match_values<'v>(
    base: BaseOperator,
    read: &[ReadValue<'_>],
    entry: &ConditionEntry,
    cvals: &[&'v str],
    traces: &mut [PolicyValueTrace],
) -> (Vec<(usize, bool)>, Vec<&'v str>) {
    use super::compare::RequestValue;
    use std::collections::HashMap;

    /// How a string policy value is looked up, when it can be.
    enum Exact {
        Sensitive,
        IgnoreCase,
    }
    let exact_kind = match base {
        BaseOperator::StringEquals
        | BaseOperator::StringNotEquals
        | BaseOperator::StringLike
        | BaseOperator::StringNotLike => Some(Exact::Sensitive),
        BaseOperator::StringEqualsIgnoreCase | BaseOperator::StringNotEqualsIgnoreCase => {
            Some(Exact::IgnoreCase)
        }
        _ => None,
    };
    let like = matches!(base, BaseOperator::StringLike | BaseOperator::StringNotLike);
    let fold = |s: &str| s.chars().flat_map(char::to_lowercase).collect::<String>();

    // Policy values: exact ones by their text, the rest grouped by what they compare.
    let mut exact: HashMap<Cow<'_, str>, Vec<usize>> = HashMap::new();
    let mut scan: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut scan_index: HashMap<(bool, &str), usize> = HashMap::new();
    for (pi, p) in read.iter().enumerate() {
        if let (
            Some(kind),
            Operand::Text {
                plain,
                pattern,
                escaped,
            },
        ) = (&exact_kind, &p.operand)
        {
            let literal = !like || (!*escaped && !has_wildcard(pattern));
            if literal {
                let key = match kind {
                    Exact::Sensitive => Cow::Borrowed(plain.as_ref()),
                    Exact::IgnoreCase => Cow::Owned(fold(plain)),
                };
                exact.entry(key).or_default().push(pi);
                continue;
            }
        }
        let key = match &p.operand {
            Operand::Text {
                pattern, escaped, ..
            } => (*escaped, pattern.as_ref()),
            _ => (
                false,
                p.substituted
                    .as_deref()
                    .unwrap_or(entry.values[pi].value.as_str()),
            ),
        };
        match scan_index.get(&key) {
            Some(&g) => scan[g].1.push(pi),
            None => {
                scan_index.insert(key, scan.len());
                scan.push((pi, vec![pi]));
            }
        }
    }

    let mut seen: HashMap<&str, bool> = HashMap::with_capacity(cvals.len().min(4096));
    let mut mismatched = Vec::new();
    let mut per_value = Vec::with_capacity(cvals.len());
    for (ci, c) in cvals.iter().enumerate() {
        if let Some(&any) = seen.get(c) {
            per_value.push((ci, any));
            continue;
        }
        let rv = read_request_value(base.family(), c);
        if matches!(rv, RequestValue::Mismatch) {
            mismatched.push(*c);
        }
        let mut any = false;
        if let (Some(kind), RequestValue::Text(text)) = (&exact_kind, &rv) {
            let hits = match kind {
                Exact::Sensitive => exact.get(*text),
                Exact::IgnoreCase => exact.get(fold(text).as_str()),
            };
            for &pi in hits.into_iter().flatten() {
                traces[pi].matched = true;
                any = true;
            }
        }
        for (representative, members) in &scan {
            if relation_holds(base, &read[*representative].operand, &rv) {
                for &pi in members {
                    traces[pi].matched = true;
                }
                any = true;
            }
        }
        seen.insert(c, any);
        per_value.push((ci, any));
    }
    (per_value, mismatched)
}

/// Evaluates one condition entry. `variables` says whether policy variables are substituted
/// (Version 2012-10-17). Assumptions that affected the outcome are appended to `assumptions`.
pub fn evaluate_condition(
    entry: &ConditionEntry,
    variables: bool,
    context: &ContextMap,
    assumptions: &mut Vec<String>,
) -> ConditionTrace {
    let ctx_value = context.get(&entry.key.value);
    let request_values: Option<Vec<&str>> = ctx_value.map(ContextValue::values);
    let mut trace = ConditionTrace {
        operator: entry.operator.value.clone(),
        operator_span: entry.operator.span,
        key: entry.key.value.clone(),
        key_span: entry.key.span,
        values: entry
            .values
            .iter()
            .map(|v| PolicyValueTrace {
                text: v.value.clone(),
                substituted: None,
                unresolved: false,
                matched: false,
                span: v.span,
            })
            .collect(),
        request_values: request_values
            .as_ref()
            .map(|v| v.iter().map(|s| s.to_string()).collect()),
        outcome: Applies::Unknown,
        reason: String::new(),
        key_missing: ctx_value.is_none(),
    };

    let op = match Operator::parse(&entry.operator.value) {
        Ok(op) => op,
        Err(e) => {
            trace.reason = format!("cannot evaluate: {}", e.message);
            return trace;
        }
    };
    let base = op.base;
    let family = base.family();
    let negated = base.is_negated();

    // Read the policy values.
    let var_ctx = variables.then_some(context);
    let mut read: Vec<ReadValue<'_>> = Vec::with_capacity(entry.values.len());
    let mut errors = Vec::new();
    let mut unresolved_notes = Vec::new();
    for (i, v) in entry.values.iter().enumerate() {
        match read_policy_value(base, &v.value, var_ctx) {
            Ok(r) => {
                let t = &mut trace.values[i];
                t.substituted = r.substituted.clone();
                if let Some(why) = &r.unresolved {
                    t.unresolved = true;
                    unresolved_notes.push(format!("{why}: it matches nothing"));
                }
                if r.literal_wildcards {
                    note(assumptions, ASSUME_LITERAL_SUBSTITUTION);
                }
                if family == OperatorFamily::Bool {
                    if r.substituted.is_some() {
                        note(assumptions, ASSUME_BOOL_VARIABLE);
                    }
                    if matches!(r.operand, Operand::Bool(None)) {
                        note(assumptions, ASSUME_BOOL_LITERAL);
                    }
                }
                if let Operand::Date(d) = &r.operand {
                    if d.partial || d.no_zone {
                        note(assumptions, ASSUME_PARTIAL_DATE);
                    }
                }
                read.push(r);
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        trace.reason = format!("cannot evaluate: {}", errors.join("; "));
        return trace;
    }
    let suffix = if unresolved_notes.is_empty() {
        String::new()
    } else {
        format!(" ({})", unresolved_notes.join("; "))
    };

    let outcome = |b: bool| if b { Applies::Yes } else { Applies::No };

    // Null tests existence only (§3.9, §3.12).
    if base == BaseOperator::Null {
        let (result, reason) = match op.qualifier {
            Some(SetQualifier::ForAllValues) => {
                note(assumptions, ASSUME_NULL_QUALIFIER);
                (true, "ForAllValues:Null is always true (§3.9)".to_string())
            }
            Some(SetQualifier::ForAnyValue) => {
                note(assumptions, ASSUME_NULL_QUALIFIER);
                (false, "ForAnyValue:Null is always false (§3.9)".to_string())
            }
            None => {
                let absent = ctx_value.is_none();
                let mut result = false;
                for (i, r) in read.iter().enumerate() {
                    if let Operand::Null(want_absent) = r.operand {
                        if want_absent == absent {
                            trace.values[i].matched = true;
                            result = true;
                        }
                    }
                }
                let state = if absent { "absent" } else { "present" };
                (
                    result,
                    if read.is_empty() {
                        note(assumptions, ASSUME_EMPTY_VALUES);
                        "no values listed: nothing can match".to_string()
                    } else {
                        format!(
                            "the key is {state}, so Null {} is {result}",
                            quote_list(
                                &entry
                                    .values
                                    .iter()
                                    .map(|v| v.value.as_str())
                                    .collect::<Vec<_>>()
                            )
                        )
                    },
                )
            }
        };
        trace.outcome = outcome(result);
        trace.reason = reason;
        return trace;
    }

    // The key is absent (§3.10–§3.12).
    let Some(cvals) = request_values else {
        let (result, reason) = if read.is_empty() && op.qualifier.is_none() && !op.if_exists {
            note(assumptions, ASSUME_EMPTY_VALUES);
            (
                false,
                "no values listed and the key is absent: false".to_string(),
            )
        } else if op.qualifier == Some(SetQualifier::ForAllValues) {
            (
                true,
                "key absent: ForAllValues is true for an empty set of request values (§3.11)"
                    .to_string(),
            )
        } else if op.if_exists {
            (
                true,
                "key absent: IfExists makes the condition true (§3.10)".to_string(),
            )
        } else if op.qualifier == Some(SetQualifier::ForAnyValue) {
            (
                false,
                "key absent: ForAnyValue is false with no request values (§3.11)".to_string(),
            )
        } else if negated {
            (
                true,
                format!(
                    "key absent: the negated operator {} is true (§3.12)",
                    base.name()
                ),
            )
        } else {
            (
                false,
                format!("key absent: {} is false (§3.12)", base.name()),
            )
        };
        trace.outcome = outcome(result);
        trace.reason = reason;
        return trace;
    };

    if read.is_empty() {
        note(assumptions, ASSUME_EMPTY_VALUES);
        trace.outcome = Applies::No;
        trace.reason = "no values listed: nothing can match (§8-Q14)".to_string();
        return trace;
    }

    // m(c): does request value c stand in the positive relation to some policy value?
    let (per_value, mismatched) = match_values(base, &read, entry, &cvals, &mut trace.values);
    if family == OperatorFamily::Arn
        && cvals.iter().any(|c| {
            !matches!(
                read_request_value(family, c),
                super::compare::RequestValue::Mismatch
            ) && crate::matching::split_arn(c).is_none()
        })
    {
        note(assumptions, ASSUME_ARN_NOT_ARN);
    }
    if !mismatched.is_empty() {
        note(assumptions, ASSUME_TYPE_MISMATCH);
    }
    if family == OperatorFamily::Date
        && cvals
            .iter()
            .any(|c| super::date::parse_instant(c).is_ok_and(|d| d.partial || d.no_zone))
    {
        note(assumptions, ASSUME_PARTIAL_DATE);
    }
    let op1 = |m: bool| if negated { !m } else { m };
    let first = |want: bool| {
        per_value
            .iter()
            .find(|(_, m)| op1(*m) == want)
            .map(|(i, _)| cvals[*i])
    };
    let matched_values: Vec<&str> = trace
        .values
        .iter()
        .filter(|v| v.matched)
        .map(|v| v.substituted.as_deref().unwrap_or(&v.text))
        .collect();
    let shown_matched = quote_list(&matched_values);
    let (result, mut reason) = match op.qualifier {
        None => {
            if matches!(ctx_value, Some(ContextValue::Multi(_))) {
                note(assumptions, ASSUME_MULTI_NO_QUALIFIER);
            }
            let any_match = per_value.iter().any(|(_, m)| *m);
            if cvals.is_empty() {
                (
                    negated,
                    format!(
                        "the key is present with no values: nothing matches, so {} is {negated}",
                        base.name()
                    ),
                )
            } else if negated {
                if any_match {
                    (
                        false,
                        format!(
                            "request value {} matches {shown_matched}, so {} is false",
                            quote_list(&[first(false).unwrap_or("")]),
                            base.name()
                        ),
                    )
                } else {
                    (
                        true,
                        format!(
                            "request value(s) {} match none of the policy values",
                            quote_list(&cvals)
                        ),
                    )
                }
            } else if any_match {
                (
                    true,
                    format!(
                        "request value {} matches {shown_matched}",
                        quote_list(&[first(true).unwrap_or("")])
                    ),
                )
            } else {
                (
                    false,
                    format!(
                        "request value(s) {} match none of the policy values",
                        quote_list(&cvals)
                    ),
                )
            }
        }
        Some(SetQualifier::ForAllValues) => match first(false) {
            _ if cvals.is_empty() => (
                true,
                "ForAllValues: the request has no values for the key, so it is true (§3.11)"
                    .to_string(),
            ),
            Some(bad) => (
                false,
                format!(
                    "ForAllValues: request value '{bad}' does not satisfy {} (§3.11)",
                    base.name()
                ),
            ),
            None => (
                true,
                format!(
                    "ForAllValues: every request value ({}) satisfies {}",
                    quote_list(&cvals),
                    base.name()
                ),
            ),
        },
        Some(SetQualifier::ForAnyValue) => match first(true) {
            Some(good) => (
                true,
                format!(
                    "ForAnyValue: request value '{good}' satisfies {}",
                    base.name()
                ),
            ),
            None if cvals.is_empty() => (
                false,
                "ForAnyValue: the request has no values for the key, so it is false (§3.11)"
                    .to_string(),
            ),
            None => (
                false,
                format!(
                    "ForAnyValue: no request value ({}) satisfies {}",
                    quote_list(&cvals),
                    base.name()
                ),
            ),
        },
    };
    if !mismatched.is_empty() {
        reason.push_str(&format!(
            "; {} is not a valid {} value and matches nothing",
            quote_list(&mismatched),
            match family {
                OperatorFamily::Numeric => "number",
                OperatorFamily::Date => "date",
                OperatorFamily::Bool => "Boolean",
                OperatorFamily::Binary => "base64",
                OperatorFamily::Ip => "IP address",
                _ => "",
            }
        ));
    }
    reason.push_str(&suffix);
    trace.outcome = outcome(result);
    trace.reason = reason;
    trace
}
