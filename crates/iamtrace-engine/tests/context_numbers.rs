//! Numbers in the request context keep the text they were written with: AWS compares condition
//! values as text (string operators) or as exact integers/decimals (numeric operators), see
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>

use iamtrace_engine::decision::{evaluate, Decision};
use iamtrace_engine::scenario::Scenario;

/// A scenario whose context is written verbatim (so that no generic JSON writer rounds it).
fn decide(context_value: &str, operator: &str, policy_value: &str) -> (Decision, Vec<String>) {
    let text = format!(
        r#"{{"version": 1,
            "request": {{"principal": "arn:aws:iam::111122223333:user/jane",
                         "action": "s3:ListBucket", "resource": "arn:aws:s3:::b",
                         "context": {{"s3:max-keys": {context_value}}}}},
            "policies": {{"identity": [{{"Version": "2012-10-17", "Statement": [
                {{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*",
                  "Condition": {{"{operator}": {{"s3:max-keys": "{policy_value}"}}}}}}]}}]}}}}"#
    );
    let parsed = Scenario::parse(&text).expect("valid scenario");
    let warnings = parsed.warnings.iter().map(|w| w.message.clone()).collect();
    (evaluate(&parsed.scenario).decision, warnings)
}

const BIG: &str = "123456789012345678901234567890";

#[test]
fn big_integers_keep_every_digit() {
    assert_eq!(decide(BIG, "NumericEquals", BIG).0, Decision::Allowed);
    assert_eq!(decide(BIG, "StringEquals", BIG).0, Decision::Allowed);
    // One more than the policy value: exact comparison tells them apart.
    let next = "123456789012345678901234567891";
    assert_eq!(decide(next, "NumericEquals", BIG).0, Decision::ImplicitDeny);
    assert_eq!(decide(next, "NumericGreaterThan", BIG).0, Decision::Allowed);
    assert_eq!(decide(next, "StringEquals", BIG).0, Decision::ImplicitDeny);
}

#[test]
fn decimals_are_compared_as_written() {
    assert_eq!(decide("0.10", "StringEquals", "0.10").0, Decision::Allowed);
    assert_eq!(decide("0.10", "NumericEquals", "0.1").0, Decision::Allowed);
    assert_eq!(
        decide("9007199254740993", "NumericEquals", "9007199254740992").0,
        Decision::ImplicitDeny,
        "no float rounding"
    );
}

#[test]
fn exponent_notation_is_compared_as_plain_digits_with_a_warning() {
    let (decision, warnings) = decide("1e3", "NumericEquals", "1000");
    assert_eq!(decision, Decision::Allowed);
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("1e3") && w.contains("1000")),
        "{warnings:?}"
    );
    assert_eq!(decide("1e3", "StringEquals", "1000").0, Decision::Allowed);
    assert_eq!(
        decide("2.5E-1", "NumericEquals", "0.25").0,
        Decision::Allowed
    );
}

#[test]
fn a_saved_scenario_keeps_the_digits() {
    let text = format!(
        r#"{{"version":1,"request":{{"action":"s3:ListBucket","resource":"*",
            "context":{{"k":{BIG},"n":[7, {BIG}]}}}}}}"#
    );
    let saved = Scenario::parse(&text)
        .expect("valid")
        .scenario
        .to_json_string();
    assert!(saved.contains(BIG), "{saved}");
    assert!(saved.contains("7"), "{saved}");
}
