//! One `Condition` entry read once: the operator resolved to its enums, the key folded for
//! lookup, the policy values parsed (IAM-SEMANTICS §3.8–§3.12). Deciding it against a request
//! gives only the outcome; the explaining path (`conditions::evaluate_condition`) gives the
//! sentences. Entries whose values hold policy variables are left to the explaining path, which
//! substitutes them per request.

use crate::conditions::compare::{read_policy_value, read_request_value, relation_holds, Operand};
use crate::conditions::date::Instant;
use crate::conditions::number::parse_decimal;
use crate::conditions::variables::has_variables;
use crate::conditions::{evaluate_condition, BaseOperator, Operator, OperatorFamily, SetQualifier};
use crate::explain::Applies;
use crate::policy::ConditionEntry;
use crate::request::{ContextMap, ContextValue};
use ipnet::IpNet;
use std::borrow::Cow;

/// A condition entry ready to decide.
#[derive(Debug, Clone)]
pub(super) enum Condition {
    /// Undecidable whatever the request: an operator AWS does not know, a value that cannot be
    /// read under the operator (bad CIDR, date, number, ARN…).
    Unknown,
    /// Values with policy variables (or `Binary…`, whose request values are decoded per
    /// request): decided by the explaining path.
    Explained,
    Ready(Ready),
}

/// An operator with its pre-read values.
#[derive(Debug, Clone)]
pub(super) struct Ready {
    op: Operator,
    /// The key, ASCII-lower-cased (context lookups ignore case, §3.8).
    key: Box<str>,
    values: Vec<Value>,
}

/// A policy value read for its operator (the owned form of [`Operand`]).
#[derive(Debug, Clone)]
enum Value {
    Text(Box<str>),
    AnyArn,
    /// Kept as written; re-reading a decimal borrows it and costs no allocation.
    Number(Box<str>),
    Date(Instant),
    Bool(Option<bool>),
    Range(IpNet),
    Null(bool),
}

impl Value {
    fn read(op: BaseOperator, text: &str) -> Result<Value, String> {
        let read = read_policy_value(op, text, None)?;
        Ok(match read.operand {
            Operand::Text { plain, .. } => Value::Text(plain.into()),
            Operand::AnyArn => Value::AnyArn,
            Operand::Number(_) => Value::Number(text.into()),
            Operand::Date(d) => Value::Date(d),
            Operand::Bool(b) => Value::Bool(b),
            Operand::Range(r) => Value::Range(r),
            Operand::Null(n) => Value::Null(n),
            // Without a context nothing is substituted, and binary values are not compiled.
            Operand::Nothing | Operand::Binary(_) => return Err(String::new()),
        })
    }

    fn operand(&self) -> Operand<'_> {
        match self {
            Value::Text(t) => Operand::Text {
                plain: Cow::Borrowed(t),
                pattern: Cow::Borrowed(t),
                escaped: false,
            },
            Value::AnyArn => Operand::AnyArn,
            Value::Number(n) => parse_decimal(n).map_or(Operand::Nothing, Operand::Number),
            Value::Date(d) => Operand::Date(*d),
            Value::Bool(b) => Operand::Bool(*b),
            Value::Range(r) => Operand::Range(*r),
            Value::Null(n) => Operand::Null(*n),
        }
    }
}

impl Condition {
    /// Reads `entry`; `variables` says whether the policy substitutes variables (2012-10-17).
    pub(super) fn compile(entry: &ConditionEntry, variables: bool) -> Condition {
        let Ok(op) = Operator::parse(&entry.operator.value) else {
            return Condition::Unknown;
        };
        if op.base.family() == OperatorFamily::Binary
            || (variables && entry.values.iter().any(|v| has_variables(&v.value)))
        {
            return Condition::Explained;
        }
        let mut values = Vec::with_capacity(entry.values.len());
        for v in &entry.values {
            match Value::read(op.base, &v.value) {
                Ok(value) => values.push(value),
                Err(_) => return Condition::Unknown,
            }
        }
        Condition::Ready(Ready {
            op,
            key: entry.key.value.to_ascii_lowercase().into(),
            values,
        })
    }

    /// The outcome of the condition for this context. `entry` is the entry it was compiled from,
    /// for the conditions the explaining path decides.
    pub(super) fn outcome(
        &self,
        entry: &ConditionEntry,
        variables: bool,
        context: &ContextMap,
    ) -> Applies {
        match self {
            Condition::Unknown => Applies::Unknown,
            Condition::Explained => {
                let mut assumptions = Vec::new();
                evaluate_condition(entry, variables, context, &mut assumptions).outcome
            }
            Condition::Ready(ready) => {
                if ready.holds(context) {
                    Applies::Yes
                } else {
                    Applies::No
                }
            }
        }
    }
}

impl Ready {
    /// Whether the condition holds: the missing-key table (§3.12), `IfExists` (§3.10), negated
    /// operators as NOR (§3.8), set qualifiers (§3.11) — as `conditions::evaluate_condition`.
    fn holds(&self, context: &ContextMap) -> bool {
        let base = self.op.base;
        let negated = base.is_negated();
        let value = context.get_folded(&self.key);
        if base == BaseOperator::Null {
            return match self.op.qualifier {
                Some(SetQualifier::ForAllValues) => true,
                Some(SetQualifier::ForAnyValue) => false,
                None => {
                    let absent = value.is_none();
                    self.values
                        .iter()
                        .any(|v| matches!(v, Value::Null(want) if *want == absent))
                }
            };
        }
        let Some(value) = value else {
            return if self.values.is_empty() && self.op.qualifier.is_none() && !self.op.if_exists {
                false
            } else if self.op.qualifier == Some(SetQualifier::ForAllValues) || self.op.if_exists {
                true
            } else if self.op.qualifier == Some(SetQualifier::ForAnyValue) {
                false
            } else {
                negated
            };
        };
        if self.values.is_empty() {
            return false;
        }
        let request_values: &[String] = match value {
            ContextValue::Single(s) => std::slice::from_ref(s),
            ContextValue::Multi(list) => list,
        };
        // m(c): request value c stands in the positive relation to some policy value.
        let family = base.family();
        let matches = |c: &str| {
            let request = read_request_value(family, c);
            self.values
                .iter()
                .any(|p| relation_holds(base, &p.operand(), &request))
        };
        let satisfies = |c: &String| matches(c) != negated;
        match self.op.qualifier {
            None if request_values.is_empty() => negated,
            None if negated => !request_values.iter().any(|c| matches(c)),
            None => request_values.iter().any(|c| matches(c)),
            Some(SetQualifier::ForAllValues) => request_values.iter().all(satisfies),
            Some(SetQualifier::ForAnyValue) => request_values.iter().any(satisfies),
        }
    }
}
