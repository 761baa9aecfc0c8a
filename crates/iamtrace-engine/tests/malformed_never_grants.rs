//! Property: a statement with an element AWS would refuse to read (a number, a list of objects, a
//! condition that is a string…) never turns an implicit deny into an allow. AWS rejects such a
//! policy outright (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html>),
//! so whatever iamtrace says, it must not be "allowed".

use iamtrace_engine::decision::{evaluate, Decision};
use iamtrace_engine::scenario::Scenario;
use proptest::prelude::*;
use serde_json::{json, Value};

/// Values of the wrong type for Action, Resource or NotAction/NotResource.
fn junk_list() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(|n| json!(n)),
        any::<bool>().prop_map(|b| json!(b)),
        Just(Value::Null),
        Just(json!({"s3": "GetObject"})),
        Just(json!([{"Action": "*"}])),
        Just(json!([["*"]])),
        Just(json!(["*", 5])),
        Just(json!([])),
    ]
}

/// Condition blocks AWS would refuse.
fn junk_condition() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!("aws:username")),
        Just(json!(["StringEquals"])),
        Just(json!([{"StringEquals": {"aws:username": "jane"}}])),
        any::<i64>().prop_map(|n| json!(n)),
        Just(Value::Null),
        Just(json!({"StringEquals": "aws:username"})),
        Just(json!({"StringEquals": ["aws:username"]})),
        Just(json!({"StringEqualz": {"aws:username": "jane"}})),
        Just(json!({"StringEquals": {"aws:username": {"nested": "x"}}})),
    ]
}

fn element(valid: &'static str) -> impl Strategy<Value = (bool, Value)> {
    prop_oneof![
        Just((false, json!(valid))),
        Just((false, json!([valid]))),
        junk_list().prop_map(|v| (true, v)),
    ]
}

fn statement() -> impl Strategy<Value = Value> {
    (
        element("*"),
        element("*"),
        proptest::option::of(junk_condition()),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_filter_map(
            "at least one element is malformed",
            |((bad_a, action), (bad_r, resource), condition, not_action, not_resource)| {
                if !(bad_a || bad_r || condition.is_some()) {
                    return None;
                }
                let mut s = json!({"Effect": "Allow"});
                s[if not_action { "NotAction" } else { "Action" }] = action;
                s[if not_resource {
                    "NotResource"
                } else {
                    "Resource"
                }] = resource;
                if let Some(c) = condition {
                    s["Condition"] = c;
                }
                Some(s)
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    #[test]
    fn a_malformed_allow_never_turns_an_implicit_deny_into_an_allow(extra in statement()) {
        let base = json!({"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"});
        let text = json!({"version": 1,
            "request": {"principal": "arn:aws:iam::111122223333:user/jane", "action": "s3:GetObject",
                        "resource": "arn:aws:s3:::bucket/key", "resource_account": "111122223333"},
            "policies": {"identity": [{"Version": "2012-10-17", "Statement": [base, extra.clone()]}]}})
        .to_string();
        let Ok(parsed) = Scenario::parse(&text) else {
            // Refusing the whole scenario is also never a grant.
            return Ok(());
        };
        let e = evaluate(&parsed.scenario);
        prop_assert_ne!(e.decision, Decision::Allowed, "granted by {}", extra);
    }
}
