//! Malformed statements are never a confident answer: a statement whose Condition, Action,
//! Resource or Principal cannot be read is `unknown` (AWS would refuse the policy at save,
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html>), so it can
//! neither grant nor confidently deny.

use iamtrace_engine::decision::{evaluate, Decision, Evaluation};
use iamtrace_engine::explain::Applies;
use iamtrace_engine::policy::Severity;
use iamtrace_engine::scenario::Scenario;
use serde_json::{json, Value};

const USER: &str = "arn:aws:iam::111122223333:user/jane";

fn run(statements: Value) -> Evaluation {
    let policy = json!({"Version": "2012-10-17", "Statement": statements});
    let s = json!({
        "version": 1,
        "request": {"principal": USER, "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k",
                    "context": {"aws:username": "jane"}},
        "policies": {"identity": [policy]}
    });
    let scenario = Scenario::parse(&s.to_string())
        .expect("valid scenario")
        .scenario;
    evaluate(&scenario)
}

/// The malformed `Condition` values the issue lists, each with a reason.
fn malformed_conditions() -> Vec<Value> {
    vec![
        json!("aws:username"),
        json!([{"StringEquals": {"aws:username": "jane"}}]),
        json!({"StringEquals": "aws:username"}),
        json!(42),
        Value::Null,
        json!({"StringEquals": {"aws:username": {"value": "jane"}}}),
        json!({"StringEquals": {"aws:username": ["jane", null]}}),
        json!({}),
        json!({"StringEquals": {}}),
    ]
}

fn statement_outcome(e: &Evaluation, index: usize) -> Applies {
    let trace = e.policies[0].trace.as_ref().expect("policy evaluated");
    trace.statements[index].applies
}

#[test]
fn allow_with_unreadable_condition_does_not_grant() {
    for condition in malformed_conditions() {
        let e = run(
            json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                            "Condition": condition}]),
        );
        assert_ne!(e.decision, Decision::Allowed, "{condition} granted");
        assert_eq!(statement_outcome(&e, 0), Applies::Unknown, "{condition}");
        assert!(!e.complete, "{condition}: result claimed complete");
        let error = e.policies[0]
            .findings
            .iter()
            .find(|f| f.severity == Severity::Error)
            .unwrap_or_else(|| panic!("{condition}: no error finding"));
        assert!(
            error.span.line >= 1 && error.span.end > error.span.start,
            "{condition}: finding not positioned"
        );
    }
}

#[test]
fn deny_with_unreadable_condition_is_not_a_confident_deny_or_non_match() {
    for condition in malformed_conditions() {
        let e = run(json!([
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
            {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*", "Condition": condition}
        ]));
        assert_ne!(e.decision, Decision::ExplicitDeny, "{condition}");
        assert_eq!(statement_outcome(&e, 1), Applies::Unknown, "{condition}");
        assert!(!e.complete, "{condition}: result claimed complete");
    }
}

#[test]
fn readable_false_entry_beside_an_unreadable_one_is_still_unknown() {
    // `aws:username` is "jane", so the first entry alone is false; the unreadable second operator
    // block might have been what the author meant, so the Deny is not ruled out.
    let e = run(json!([
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
        {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*",
         "Condition": {"StringEquals": {"aws:username": "bob"}, "StringLike": "x"}}
    ]));
    assert_eq!(statement_outcome(&e, 1), Applies::Unknown);
}

#[test]
fn malformed_not_elements_do_not_cover_everything() {
    // `NotAction: 5` read as an empty NotAction would cover every action.
    for (element, value) in [
        ("NotAction", json!(5)),
        ("NotAction", json!([{"a": 1}])),
        ("NotResource", json!(true)),
        ("Action", json!(["s3:GetObject", 7])),
    ] {
        let mut st = json!({"Effect": "Allow"});
        if element != "NotResource" {
            st["Resource"] = json!("*");
        }
        if !element.ends_with("Action") {
            st["Action"] = json!("s3:GetObject");
        }
        st[element] = value.clone();
        let e = run(json!([st]));
        assert_ne!(e.decision, Decision::Allowed, "{element}: {value} granted");
        assert_eq!(
            statement_outcome(&e, 0),
            Applies::Unknown,
            "{element}: {value}"
        );
    }
}
