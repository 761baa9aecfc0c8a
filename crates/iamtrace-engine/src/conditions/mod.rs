//! Condition evaluation: operators, set qualifiers, `IfExists`, policy variables (§3.8–§3.13).

pub mod compare;
pub mod date;
mod evaluate;
pub mod ip;
pub mod number;
mod operator;
pub mod variables;

pub use evaluate::{
    evaluate_condition, ASSUME_BOOL_LITERAL, ASSUME_BOOL_VARIABLE, ASSUME_EMPTY_VALUES,
    ASSUME_MULTI_NO_QUALIFIER, ASSUME_TYPE_MISMATCH,
};
pub use operator::{BaseOperator, Operator, OperatorError, OperatorFamily, SetQualifier};

#[cfg(test)]
mod tests;
