//! Checks of `Condition` entries (§3.8–§3.13, §3.15): operator names, set qualifiers against the
//! known multivalued global keys, value types, wildcards, variables and `aws:SourceIp` ranges.

use super::grammar::Findings;
use super::model::{ConditionEntry, Statement};
use super::variables::{mentions_variable, scan};
use super::FindingCode;
use super::{Severity, Span};
use crate::conditions::{BaseOperator, Operator, OperatorFamily, SetQualifier};
use base64::Engine as _;
use ipnet::IpNet;
use std::collections::{HashMap, HashSet};
use std::net::IpAddr;

/// The global condition keys AWS documents as multivalued (§3.11, §4). Any other `aws:` key is
/// single-valued; service keys are unknown without a catalog and are not judged.
pub(super) const MULTIVALUED_GLOBAL_KEYS: [&str; 7] = [
    "aws:TagKeys",
    "aws:PrincipalOrgPaths",
    "aws:ResourceOrgPaths",
    "aws:SourceOrgPaths",
    "aws:VpceOrgPaths",
    "aws:CalledVia",
    "aws:PrincipalServiceNamesList",
];

/// `Some(true)` for a known multivalued key, `Some(false)` for a known single-valued (global) key,
/// `None` when the key's arity is unknown (service keys).
pub(super) fn is_multivalued(key: &str) -> Option<bool> {
    if MULTIVALUED_GLOBAL_KEYS
        .iter()
        .any(|k| k.eq_ignore_ascii_case(key))
    {
        Some(true)
    } else if key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:")) {
        Some(false)
    } else {
        None
    }
}

/// Checks every condition entry of one statement.
pub(super) fn check_conditions(st: &Statement, variables_enabled: bool, out: &mut Findings) {
    let mut reported_operators: HashSet<usize> = HashSet::new();
    let mut spellings: KeySpellings = HashMap::new();
    for (i, e) in st.conditions.iter().enumerate() {
        check_key(e, &st.conditions[..i], &mut spellings, out);
        let op = match Operator::parse(&e.operator.value) {
            Ok(op) => op,
            Err(err) => {
                if reported_operators.insert(e.operator.span.start) {
                    let bare = e
                        .operator
                        .value
                        .rsplit_once(':')
                        .map_or(e.operator.value.as_str(), |(_, b)| b);
                    let code = if bare == "NullIfExists" {
                        FindingCode::NullIfExists
                    } else {
                        FindingCode::UnknownConditionOperator
                    };
                    out.error(code, e.operator.span, err.message);
                }
                continue;
            }
        };
        check_operator_use(e, op, out);
        for v in &e.values {
            check_value(e, op, &v.value, v.span, variables_enabled, out);
        }
        check_source_ip(e, op, out);
    }
}

/// The spellings seen so far of each condition key, per operator block (by the operator's offset).
type KeySpellings<'a> = HashMap<(usize, String), Vec<&'a str>>;

fn note_spelling<'a>(e: &'a ConditionEntry, spellings: &mut KeySpellings<'a>) {
    let seen = spellings
        .entry((e.operator.span.start, e.key.value.to_ascii_lowercase()))
        .or_default();
    if !seen.contains(&e.key.value.as_str()) {
        seen.push(&e.key.value);
    }
}

fn check_key<'a>(
    e: &'a ConditionEntry,
    earlier: &'a [ConditionEntry],
    spellings: &mut KeySpellings<'a>,
    out: &mut Findings,
) {
    let key = &e.key.value;
    if key.is_empty() {
        out.error(
            FindingCode::InvalidConditionKey,
            e.key.span,
            "the condition key is empty".to_string(),
        );
    }
    if mentions_variable(key) {
        out.error(
            FindingCode::PolicyVariableNotAllowed,
            e.key.span,
            format!(
                "condition key '{key}' contains a policy variable; variables are allowed only \
                 in condition values, not in key names"
            ),
        );
    }
    /// Up to this many entries in a statement, earlier ones are compared directly.
    const SMALL: usize = 32;
    let same_case_twin = if earlier.len() < SMALL {
        earlier.iter().any(|p| {
            p.operator.span.start == e.operator.span.start
                && p.key.value.eq_ignore_ascii_case(key)
                && p.key.value != *key
        })
    } else {
        if earlier.len() == SMALL {
            for p in earlier {
                note_spelling(p, spellings);
            }
        }
        spellings
            .get(&(e.operator.span.start, key.to_ascii_lowercase()))
            .is_some_and(|seen| seen.iter().any(|s| *s != key.as_str()))
    };
    if earlier.len() >= SMALL {
        note_spelling(e, spellings);
    }
    if same_case_twin {
        out.error(
            FindingCode::DuplicateConditionKey,
            e.key.span,
            format!(
                "condition key '{key}' appears twice in the '{}' block with different letter \
                 case; key names are case-insensitive, so this is the same key",
                e.operator.value
            ),
        );
    }
}

fn check_operator_use(e: &ConditionEntry, op: Operator, out: &mut Findings) {
    let key = &e.key.value;
    let multivalued = is_multivalued(key);
    if op.base == BaseOperator::Null {
        if op.qualifier.is_some() {
            out.push(
                Severity::Warning,
                FindingCode::NullWithSetQualifier,
                e.operator.span,
                format!(
                    "'{}' puts a set qualifier on Null: ForAllValues:Null is always true and \
                     ForAnyValue:Null always false; use plain Null to test whether '{key}' is present",
                    e.operator.value
                ),
            );
        }
        return;
    }
    match (op.qualifier, multivalued) {
        (Some(SetQualifier::ForAllValues), Some(false)) => out.push(
            Severity::SecurityWarning,
            FindingCode::ForAllValuesSingleValuedKey,
            e.key.span,
            format!(
                "ForAllValues with the single-valued key '{key}' is overly permissive: it is \
                 also true when the key is absent from the request; use the operator without \
                 the qualifier"
            ),
        ),
        (None, Some(true)) => out.push(
            Severity::Warning,
            FindingCode::MultivaluedKeyWithoutQualifier,
            e.key.span,
            format!(
                "'{key}' is multivalued and should be used with ForAllValues: or ForAnyValue:; \
                 AWS does not document the result without one (we treat it as ForAnyValue, \
                 §8-Q18)"
            ),
        ),
        _ => {}
    }
    if op.base == BaseOperator::Bool && e.values.len() > 1 {
        out.error(
            FindingCode::BoolMultipleValues,
            e.span,
            format!("Bool takes one value, but '{key}' lists {}", e.values.len()),
        );
    }
}

fn check_value(
    e: &ConditionEntry,
    op: Operator,
    value: &str,
    span: Span,
    variables_enabled: bool,
    out: &mut Findings,
) {
    let family = op.base.family();
    if mentions_variable(value) {
        if !variables_enabled {
            out.push(
                Severity::Warning,
                FindingCode::PolicyVariableInOldVersion,
                span,
                format!(
                    "'{value}' looks like a policy variable, but variables need \
                     \"Version\": \"2012-10-17\"; in this policy it is literal text"
                ),
            );
        } else if matches!(family, OperatorFamily::String | OperatorFamily::Arn) {
            match scan(value) {
                Err(why) => out.error(FindingCode::InvalidPolicyVariable, span, why),
                Ok(uses) => {
                    for k in uses.iter().filter_map(|u| u.key) {
                        if is_multivalued(k) == Some(true) {
                            out.error(
                                FindingCode::PolicyVariableMultivaluedKey,
                                span,
                                format!(
                                    "'${{{k}}}' names a multivalued key; policy variables take \
                                     single-valued keys only"
                                ),
                            );
                        }
                    }
                }
            }
            return;
        } else {
            out.error(
                FindingCode::PolicyVariableUnsupportedOperator,
                span,
                format!(
                    "'{value}' uses a policy variable with {}; variables work only with String \
                     and ARN operators (§8-Q17)",
                    op.base.name()
                ),
            );
            return;
        }
    }
    let mismatch = |expected: &str, out: &mut Findings| {
        out.push(
            Severity::Warning,
            FindingCode::TypeMismatch,
            span,
            format!(
                "'{value}' is not {expected}, which {} expects for '{}'; it can never match",
                op.base.name(),
                e.key.value
            ),
        )
    };
    match family {
        OperatorFamily::Numeric if !is_number(value) => mismatch("a number", out),
        OperatorFamily::Date if !is_date(value) => mismatch(
            "a date (ISO 8601 such as 2024-01-31T12:00:00Z, or epoch seconds)",
            out,
        ),
        OperatorFamily::Bool | OperatorFamily::Null
            if !value.eq_ignore_ascii_case("true") && !value.eq_ignore_ascii_case("false") =>
        {
            mismatch("true or false", out)
        }
        OperatorFamily::Binary
            if base64::engine::general_purpose::STANDARD
                .decode(value)
                .is_err() =>
        {
            mismatch("base64-encoded data", out)
        }
        OperatorFamily::Ip => match parse_ip(value) {
            None => mismatch("an IP address or CIDR range", out),
            Some(net) if net.addr() != net.network() => out.push(
                Severity::Warning,
                FindingCode::CidrHostBits,
                span,
                format!(
                    "'{value}' has bits set beyond its /{} prefix; AWS ignores them, so it means \
                     {}",
                    net.prefix_len(),
                    net.trunc()
                ),
            ),
            Some(_) => {}
        },
        OperatorFamily::Arn if !value.starts_with("arn:") && !value.starts_with(['*', '?']) => {
            mismatch("an ARN", out)
        }
        OperatorFamily::String => {
            let equals = matches!(
                op.base,
                BaseOperator::StringEquals
                    | BaseOperator::StringNotEquals
                    | BaseOperator::StringEqualsIgnoreCase
                    | BaseOperator::StringNotEqualsIgnoreCase
            );
            if equals && value.contains(['*', '?']) {
                let like = if op.base.is_negated() {
                    "StringNotLike"
                } else {
                    "StringLike"
                };
                out.push(
                    Severity::Warning,
                    FindingCode::WildcardWithoutLike,
                    span,
                    format!(
                        "'{value}' contains a wildcard, but {} compares literally ('*' matches \
                         only '*'); use {like} if a pattern was meant",
                        op.base.name()
                    ),
                );
            }
        }
        _ => {}
    }
}

/// `aws:SourceIp` never holds a private address (§3.9): a list of only private ranges never
/// matches (`IpAddress`) or always matches (`NotIpAddress`).
fn check_source_ip(e: &ConditionEntry, op: Operator, out: &mut Findings) {
    if op.base.family() != OperatorFamily::Ip
        || !e.key.value.eq_ignore_ascii_case("aws:SourceIp")
        || e.values.is_empty()
    {
        return;
    }
    let all_private = e
        .values
        .iter()
        .all(|v| parse_ip(&v.value).is_some_and(|net| is_private(&net)));
    if all_private {
        let effect = if op.base.is_negated() {
            "always matches"
        } else {
            "never matches"
        };
        out.error(
            FindingCode::SourceIpPrivateOnly,
            e.span,
            format!(
                "aws:SourceIp only ever holds public addresses, and every range listed here is \
                 private, so this {} condition {effect}; for traffic through a VPC endpoint use \
                 aws:VpcSourceIp",
                op.base.name()
            ),
        );
    }
}

fn parse_ip(value: &str) -> Option<IpNet> {
    value
        .parse::<IpNet>()
        .ok()
        .or_else(|| value.parse::<IpAddr>().ok().map(IpNet::from))
}

fn is_private(net: &IpNet) -> bool {
    const PRIVATE: [&str; 8] = [
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "fc00::/7",
        "fe80::/10",
        "::1/128",
    ];
    PRIVATE
        .iter()
        .filter_map(|r| r.parse::<IpNet>().ok())
        .any(|r| r.contains(net))
}

/// An integer or decimal as AWS's numeric operators take them.
fn is_number(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// Epoch seconds or the W3C profile of ISO 8601 (§3.9): `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, then
/// `Thh:mm`, `:ss`, `.s…`, with an optional zone `Z` or `±hh:mm` (a missing zone means UTC, §8-Q15).
pub(super) fn is_date(s: &str) -> bool {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && s.len() != 4 {
        return true;
    }
    let b = s.as_bytes();
    let num = |from: usize, len: usize, max: u32| -> bool {
        b.get(from..from + len)
            .filter(|d| d.iter().all(u8::is_ascii_digit))
            .and_then(|d| std::str::from_utf8(d).ok())
            .and_then(|d| d.parse::<u32>().ok())
            .is_some_and(|n| n <= max)
    };
    let positive = |from: usize, len: usize, max: u32| {
        num(from, len, max) && !b[from..from + len].iter().all(|&d| d == b'0')
    };
    if !num(0, 4, 9999) {
        return false;
    }
    if b.len() == 4 {
        return true;
    }
    if b.get(4) != Some(&b'-') || !positive(5, 2, 12) {
        return false;
    }
    if b.len() == 7 {
        return true;
    }
    if b.get(7) != Some(&b'-') || !positive(8, 2, 31) {
        return false;
    }
    if b.len() == 10 {
        return true;
    }
    if b.get(10) != Some(&b'T') || !num(11, 2, 23) || b.get(13) != Some(&b':') || !num(14, 2, 59) {
        return false;
    }
    let mut i = 16;
    if b.get(i) == Some(&b':') {
        if !num(i + 1, 2, 60) {
            return false;
        }
        i += 3;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == start {
                return false;
            }
        }
    }
    match b.get(i) {
        None => true,
        Some(b'Z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            i + 6 == b.len() && num(i + 1, 2, 23) && b[i + 3] == b':' && num(i + 4, 2, 59)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_every_documented_form() {
        for d in [
            "2024",
            "2024-02",
            "2024-02-29",
            "2024-02-29T12:30Z",
            "2024-02-29T12:30:59Z",
            "2024-02-29T12:30:59.123Z",
            "2024-02-29T12:30:59+02:00",
            "2024-02-29T12:30:59",
            "1700000000",
        ] {
            assert!(is_date(d), "{d}");
        }
        for d in [
            "",
            "24-01-01",
            "2024-13",
            "2024-00-10",
            "2024-01-32",
            "2024/01/01",
            "yesterday",
            "2024-01-01T25:00Z",
            "2024-01-01T12:00:00.Z",
            "2024-01-01T12:00+2",
        ] {
            assert!(!is_date(d), "{d}");
        }
    }

    #[test]
    fn numbers() {
        for n in ["0", "-12", "3.25"] {
            assert!(is_number(n), "{n}");
        }
        for n in ["", "1e3", "1.", ".5", "ten", "--1"] {
            assert!(!is_number(n), "{n}");
        }
    }

    #[test]
    fn key_arity() {
        assert_eq!(is_multivalued("AWS:TagKeys"), Some(true));
        assert_eq!(is_multivalued("aws:SourceIp"), Some(false));
        assert_eq!(is_multivalued("aws:RequestTag/team"), Some(false));
        assert_eq!(is_multivalued("s3:prefix"), None);
        // Found by fuzzing: a multi-byte character across the fourth byte.
        assert_eq!(is_multivalued("abcé"), None);
    }
}
