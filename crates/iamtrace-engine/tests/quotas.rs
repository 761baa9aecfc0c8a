//! Input beyond AWS's size quotas is refused at once with the quota named, instead of being
//! evaluated for seconds (issue 9: 10,000 `StringLike` patterns against 10,000 request values).
//! Quotas: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html> and the
//! pages cited in `policy::quota`.

use iamtrace_engine::decision::{evaluate, Decision};
use iamtrace_engine::explain::Applies;
use iamtrace_engine::request::MAX_VALUES_PER_KEY;
use iamtrace_engine::scenario::Scenario;
use serde_json::{json, Value};

const USER: &str = "arn:aws:iam::111122223333:user/jane";

fn tag_policy(patterns: Vec<String>) -> Value {
    json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "s3:PutObjectTagging", "Resource": "*",
        "Condition": {"ForAnyValue:StringLike": {"aws:TagKeys": patterns}}}]})
}

fn scenario(policies: Value, tag_keys: Vec<String>) -> String {
    json!({"version": 1,
        "request": {"principal": USER, "action": "s3:PutObjectTagging",
                    "resource": "arn:aws:s3:::b/k", "context": {"aws:TagKeys": tag_keys}},
        "policies": policies})
    .to_string()
}

fn numbered(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i}")).collect()
}

#[test]
fn ten_thousand_request_values_are_refused_citing_the_limit() {
    let text = scenario(
        json!({"identity": [tag_policy(numbered("p*", 10_000))]}),
        numbered("v", 10_000),
    );
    let e = Scenario::parse(&text).expect_err("refused");
    assert!(
        e.message.contains("'aws:TagKeys' lists 10000 values")
            && e.message.contains(&format!("at most {MAX_VALUES_PER_KEY}"))
            && e.message.contains("50 tags"),
        "{}",
        e.message
    );
    assert!(e.span.line >= 1 && e.span.end > e.span.start, "positioned");
}

#[test]
fn an_identity_policy_over_the_quota_is_not_evaluated_and_says_why() {
    // 10,000 patterns within the request-value limit: the policy alone is over AWS's quota.
    let text = scenario(
        json!({"identity": [tag_policy(numbered("p*", 10_000))]}),
        numbered("v", 100),
    );
    let e = evaluate(&Scenario::parse(&text).expect("reads").scenario);
    assert_ne!(e.decision, Decision::Allowed);
    assert!(!e.complete);
    let error = e
        .errors
        .iter()
        .find(|x| x.place == "policies.identity[0]")
        .expect("an input error for the policy");
    assert!(
        error
            .message
            .contains("exceeds AWS's quota of 10,240 characters")
            && error.message.contains(
                "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"
            ),
        "{}",
        error.message
    );
    assert!(e.policies[0].trace.is_none(), "not evaluated");
}

#[test]
fn a_session_policy_has_the_smaller_sts_quota() {
    // 2,048 characters for session policies (AssumeRole API reference).
    let big = tag_policy(numbered("p*", 400));
    let text = json!({"version": 1,
        "request": {"principal": "arn:aws:sts::111122223333:assumed-role/r/s",
                    "action": "s3:PutObjectTagging", "resource": "arn:aws:s3:::b/k"},
        "policies": {"identity": [big.clone()], "session": [big]}})
    .to_string();
    let e = evaluate(&Scenario::parse(&text).expect("reads").scenario);
    assert!(
        e.errors.iter().any(|x| x.place == "policies.session[0]"
            && x.message
                .contains("quota of 2,048 characters for a session policy")),
        "{:?}",
        e.errors
    );
    assert!(
        !e.errors.iter().any(|x| x.place == "policies.identity[0]"),
        "the same text is within the identity quota"
    );
}

#[test]
fn many_exact_tag_keys_within_the_limits_are_decided_correctly() {
    // The hash-lookup path: 1,000 literal keys in the policy, 1,000 request keys, one shared.
    let mut patterns = numbered("k", 999);
    patterns.push("shared".into());
    let mut request = numbered("r", 999);
    request.push("shared".into());
    let e = evaluate(
        &Scenario::parse(&scenario(
            json!({"identity": [tag_policy(patterns.clone())]}),
            request,
        ))
        .expect("reads")
        .scenario,
    );
    assert_eq!(e.decision, Decision::Allowed, "{:?}", e.errors);
    let trace = e.policies[0].trace.as_ref().expect("evaluated");
    let condition = &trace.statements[0].conditions[0];
    assert_eq!(condition.outcome, Applies::Yes);
    let matched: Vec<_> = condition
        .values
        .iter()
        .filter(|v| v.matched)
        .map(|v| v.text.as_str())
        .collect();
    assert_eq!(matched, ["shared"]);
    assert!(
        condition.reason.contains("'shared'") && condition.reason.len() < 500,
        "{}",
        condition.reason
    );
}
