//! One policy value against one request value, per operator family (rules §3.9).
//!
//! Policy values are read once into an [`Operand`]; a policy value that cannot be read (bad CIDR,
//! date, number, base64) is an error that makes the condition `Unknown`. A request value that is
//! not of the operator's type matches no policy value (§3.9 "type mismatches").

use super::date::{parse_instant, Instant};
use super::ip::{parse_address, parse_range};
use super::number::{parse_decimal, Decimal};
use super::variables::{has_variables, substitute, Substitution};
use super::{BaseOperator, OperatorFamily};
use crate::matching::arn::{arn_like, split_arn};
use crate::matching::wildcard::{glob_match, glob_match_escaped, Case};
use crate::request::ContextMap;
use base64::Engine;
use ipnet::IpNet;
use std::borrow::Cow;
use std::net::IpAddr;

/// A policy value ready for comparison.
#[derive(Debug, Clone)]
pub enum Operand<'a> {
    /// A variable had no value: matches nothing (§3.13).
    Nothing,
    /// String and ARN operators. `pattern` is `plain` as a glob; `escaped` says whether `\`
    /// escapes in it (after variable substitution).
    Text {
        plain: Cow<'a, str>,
        pattern: Cow<'a, str>,
        escaped: bool,
    },
    /// `"*"` under an ARN operator: every ARN.
    AnyArn,
    Number(Decimal<'a>),
    Date(Instant),
    /// `None`: neither `true` nor `false`, which never matches (§8-Q16).
    Bool(Option<bool>),
    Binary(Vec<u8>),
    Range(IpNet),
    /// `Null`: `true` = the key must be absent.
    Null(bool),
}

/// How a policy value was read, for the trace.
#[derive(Debug, Clone)]
pub struct ReadValue<'a> {
    pub operand: Operand<'a>,
    /// The value after substitution, when it had variables.
    pub substituted: Option<String>,
    /// Why the value matches nothing (unresolved variable), for the trace.
    pub unresolved: Option<String>,
    /// A substituted value held `*` or `?`, kept literal.
    pub literal_wildcards: bool,
}

fn parse_bool(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Reads one policy value for operator `op`. `context` is `Some` when variables are substituted
/// (Version 2012-10-17); variables apply to String and ARN operators, and to `Bool` (§8-Q17).
pub fn read_policy_value<'a>(
    op: BaseOperator,
    text: &'a str,
    context: Option<&ContextMap>,
) -> Result<ReadValue<'a>, String> {
    let family = op.family();
    let substitutes = matches!(
        family,
        OperatorFamily::String | OperatorFamily::Arn | OperatorFamily::Bool
    );
    let mut read = ReadValue {
        operand: Operand::Nothing,
        substituted: None,
        unresolved: None,
        literal_wildcards: false,
    };
    let (plain, pattern, escaped): (Cow<'a, str>, Cow<'a, str>, bool) = match context {
        Some(ctx) if has_variables(text) => {
            if !substitutes {
                return Err(format!(
                    "'{text}': policy variables cannot be used with {} operators (§3.13)",
                    family_name(family)
                ));
            }
            match substitute(text, ctx) {
                Substitution::Resolved {
                    plain,
                    pattern,
                    literal_wildcards,
                } => {
                    read.substituted = Some(plain.clone());
                    read.literal_wildcards = literal_wildcards;
                    (Cow::Owned(plain), Cow::Owned(pattern), true)
                }
                Substitution::Unresolved { variable, why } => {
                    read.unresolved = Some(format!("{variable} has no value ({why})"));
                    return Ok(read);
                }
                Substitution::Malformed(m) => return Err(m),
            }
        }
        _ => (Cow::Borrowed(text), Cow::Borrowed(text), false),
    };
    read.operand = match family {
        OperatorFamily::String => Operand::Text {
            plain,
            pattern,
            escaped,
        },
        OperatorFamily::Arn => {
            if plain == "*" && !escaped {
                Operand::AnyArn
            } else if split_arn(&plain).is_none() {
                return Err(format!(
                    "'{plain}' is not an ARN (arn:partition:service:region:account:resource)"
                ));
            } else {
                Operand::Text {
                    plain,
                    pattern,
                    escaped,
                }
            }
        }
        OperatorFamily::Bool => Operand::Bool(parse_bool(&plain)),
        OperatorFamily::Numeric => {
            Operand::Number(parse_decimal(text).ok_or_else(|| format!("'{text}' is not a number"))?)
        }
        OperatorFamily::Date => Operand::Date(parse_instant(text)?),
        OperatorFamily::Binary => Operand::Binary(
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .map_err(|_| {
                    format!("'{text}' is not base64 (BinaryEquals compares base64 values)")
                })?,
        ),
        OperatorFamily::Ip => Operand::Range(parse_range(text)?),
        OperatorFamily::Null => Operand::Null(
            parse_bool(text)
                .ok_or_else(|| format!("'{text}': Null takes \"true\" or \"false\""))?,
        ),
    };
    Ok(read)
}

fn family_name(f: OperatorFamily) -> &'static str {
    match f {
        OperatorFamily::String => "String",
        OperatorFamily::Numeric => "Numeric",
        OperatorFamily::Date => "Date",
        OperatorFamily::Bool => "Bool",
        OperatorFamily::Binary => "Binary",
        OperatorFamily::Ip => "IP address",
        OperatorFamily::Arn => "ARN",
        OperatorFamily::Null => "Null",
    }
}

/// A request value read for the operator's family.
#[derive(Debug, Clone)]
pub enum RequestValue<'a> {
    Text(&'a str),
    Number(Decimal<'a>),
    Date(Instant),
    Bool(bool),
    Binary(Vec<u8>),
    Address(IpAddr),
    /// Not of the operator's type: matches nothing.
    Mismatch,
}

/// Reads one request value for the operator's family.
pub fn read_request_value(family: OperatorFamily, text: &str) -> RequestValue<'_> {
    let v = match family {
        OperatorFamily::String | OperatorFamily::Arn | OperatorFamily::Null => {
            Some(RequestValue::Text(text))
        }
        OperatorFamily::Numeric => parse_decimal(text).map(RequestValue::Number),
        OperatorFamily::Date => parse_instant(text).ok().map(RequestValue::Date),
        OperatorFamily::Bool => parse_bool(text).map(RequestValue::Bool),
        OperatorFamily::Binary => base64::engine::general_purpose::STANDARD
            .decode(text)
            .ok()
            .map(RequestValue::Binary),
        OperatorFamily::Ip => parse_address(text).map(RequestValue::Address),
    };
    v.unwrap_or(RequestValue::Mismatch)
}

fn eq_ignore_case(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.eq_ignore_ascii_case(b)
        || a.chars()
            .flat_map(char::to_lowercase)
            .eq(b.chars().flat_map(char::to_lowercase))
}

/// Whether the request value stands in the operator's *positive* relation to the policy value
/// (equals, is like, is less than, is in the range…). Negated operators negate the combination
/// over all policy values, not this (§3.8).
pub fn relation_holds(op: BaseOperator, policy: &Operand<'_>, request: &RequestValue<'_>) -> bool {
    use BaseOperator::*;
    match (policy, request) {
        (Operand::Nothing, _) | (_, RequestValue::Mismatch) => false,
        (
            Operand::Text {
                plain,
                pattern,
                escaped,
            },
            RequestValue::Text(c),
        ) => match op {
            StringEquals | StringNotEquals => plain == c,
            StringEqualsIgnoreCase | StringNotEqualsIgnoreCase => eq_ignore_case(plain, c),
            StringLike | StringNotLike => {
                if *escaped {
                    glob_match_escaped(pattern, c, Case::Sensitive)
                } else {
                    glob_match(pattern, c, Case::Sensitive)
                }
            }
            ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => arn_like(pattern, c, *escaped),
            _ => false,
        },
        (Operand::AnyArn, RequestValue::Text(_)) => true,
        (Operand::Number(p), RequestValue::Number(c)) => compare(op, c.cmp(p)),
        (Operand::Date(p), RequestValue::Date(c)) => compare(op, c.nanos.cmp(&p.nanos)),
        (Operand::Bool(Some(p)), RequestValue::Bool(c)) => p == c,
        (Operand::Binary(p), RequestValue::Binary(c)) => p == c,
        (Operand::Range(net), RequestValue::Address(a)) => net.contains(a),
        _ => false,
    }
}

/// `request ⋄ policy` for the ordering operators.
fn compare(op: BaseOperator, request_vs_policy: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::*;
    use BaseOperator::*;
    match op {
        NumericEquals | NumericNotEquals | DateEquals | DateNotEquals => request_vs_policy == Equal,
        NumericLessThan | DateLessThan => request_vs_policy == Less,
        NumericLessThanEquals | DateLessThanEquals => request_vs_policy != Greater,
        NumericGreaterThan | DateGreaterThan => request_vs_policy == Greater,
        NumericGreaterThanEquals | DateGreaterThanEquals => request_vs_policy != Less,
        _ => false,
    }
}
