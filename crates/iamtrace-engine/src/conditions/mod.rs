//! Condition evaluation: operators, set qualifiers, `IfExists`, policy variables (§3.8–§3.13).

mod operator;

pub use operator::{BaseOperator, Operator, OperatorError, OperatorFamily, SetQualifier};
