//! An [`Evaluation`] read back from its JSON is the same evaluation: the page evaluates in a Web
//! Worker and sends the result across as JSON, so nothing the page shows may be lost on the way.

use iamtrace_engine::decision::{evaluate, Evaluation};
use iamtrace_engine::scenario::Scenario;

fn round_trip(name: &str, scenario_text: &str) {
    let scenario = Scenario::parse(scenario_text)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .scenario;
    let eval = evaluate(&scenario);
    let json = serde_json::to_string(&eval).expect("serializes");
    let back: Evaluation =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}: reads back: {e}"));
    assert_eq!(
        back, eval,
        "{name}: differs after a round trip through JSON"
    );
}

fn scenario_files(dir: &str) -> Vec<std::path::PathBuf> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths
}

#[test]
fn every_conformance_scenario_and_example_survives_json() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let mut n = 0;
    for dir in ["tests/fixtures/conformance", "examples"] {
        for path in scenario_files(&format!("{root}/{dir}")) {
            let text = std::fs::read_to_string(&path).expect("readable");
            round_trip(&path.display().to_string(), &text);
            n += 1;
        }
    }
    assert!(n >= 90, "only {n} scenarios");
}

/// What the fixtures may not cover: input errors, unknown statements (undecided), service
/// notes, derived context keys of every caller kind, catalog diagnoses, findings.
#[test]
fn unusual_results_survive_json() {
    let cases = [
        (
            "unreadable policy and a bad principal",
            r#"{"request": {"principal": "alice", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"},
                "policies": {"identity": ["{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","]}}"#,
        ),
        (
            "unknown operator",
            r#"{"request": {"principal": "arn:aws:iam::111122223333:user/a", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"},
                "policies": {"identity": [{"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
                  {"Sid": "Odd", "Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"StringLikeish": {"aws:SourceVpc": "vpc-1"}}}]}]}}"#,
        ),
        (
            "KMS alias management (a service note) by a role session, missing keys",
            r#"{"request": {"principal": "arn:aws:sts::111122223333:assumed-role/R/s", "action": "kms:DeleteAlias", "resource": "arn:aws:kms:us-east-1:111122223333:alias/a"},
                "policies": {"identity": [{"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Action": "kms:*", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b"}}}]}]}}"#,
        ),
        (
            "ListBucket on objects (a diagnosis), anonymous caller, findings",
            r#"{"request": {"principal": null, "action": "s3:ListBucket", "resource": "arn:aws:s3:::b", "context": {"aws:TagKeys": ["a", "b"], "aws:SecureTransport": true}},
                "policies": {"resource": {"Version": "2012-10-17", "Statement": [
                  {"Sid": "S", "Effect": "Allow", "Principal": "*", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b/*"},
                  {"Sid": "S", "Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "NotAction": "s3:Get*", "NotResource": "arn:aws:s3:::x"}]}}}"#,
        ),
        (
            "federated user across accounts",
            r#"{"request": {"principal": "arn:aws:sts::111122223333:federated-user/f", "action": "sqs:SendMessage", "resource": "arn:aws:sqs:us-east-1:444455556666:q"},
                "policies": {"identity": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}]}],
                             "resource": {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "sqs:*", "Resource": "*"}]}}}"#,
        ),
    ];
    for (name, text) in cases {
        round_trip(name, text);
    }
}
