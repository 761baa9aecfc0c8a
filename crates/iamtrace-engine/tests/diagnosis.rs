//! The catalog's diagnosis in the trace: a statement that fails on Resource because it names
//! another resource type than the request's (ListBucket on objects, GetObject on the bucket, a
//! KMS alias for the key), and a request whose resource fits none of the action's types.

use iamtrace_engine::decision::evaluate;
use iamtrace_engine::explain::DiagnosisKind;
use iamtrace_engine::scenario::Scenario;

fn diagnoses(action: &str, resource: &str, listed: &str) -> Vec<(DiagnosisKind, String)> {
    let text = format!(
        r#"{{"version": 1, "request": {{"principal": "arn:aws:iam::111122223333:user/jane",
          "action": "{action}", "resource": "{resource}"}},
          "policies": {{"identity": [{{"Version": "2012-10-17", "Statement": [{{"Sid": "Grant",
            "Effect": "Allow", "Action": "{action}", "Resource": "{listed}"}}]}}]}}}}"#
    );
    let scenario = Scenario::parse(&text).expect("scenario").scenario;
    let e = evaluate(&scenario);
    e.policies
        .iter()
        .filter_map(|p| p.trace.as_ref())
        .flat_map(|t| t.statements.iter())
        .filter_map(|s| s.diagnosis.clone())
        .map(|d| (d.kind, d.message))
        .collect()
}

#[test]
fn list_bucket_on_objects_says_the_bucket_is_needed() {
    let d = diagnoses(
        "s3:ListBucket",
        "arn:aws:s3:::amzn-s3-demo-bucket",
        "arn:aws:s3:::amzn-s3-demo-bucket/*",
    );
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        matches!(&d[0].0, DiagnosisKind::WrongResourceType { request_type, .. } if request_type == "bucket")
    );
    assert!(d[0].1.starts_with(
        "`s3:ListBucket` is authorized on the bucket `arn:aws:s3:::amzn-s3-demo-bucket`; this statement lists only objects `arn:aws:s3:::amzn-s3-demo-bucket/*`"
    ), "{}", d[0].1);
}

#[test]
fn get_object_on_the_bucket_says_objects_are_needed() {
    let d = diagnoses(
        "s3:GetObject",
        "arn:aws:s3:::amzn-s3-demo-bucket/report.csv",
        "arn:aws:s3:::amzn-s3-demo-bucket",
    );
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].1.starts_with(
        "`s3:GetObject` is authorized on the object `arn:aws:s3:::amzn-s3-demo-bucket/report.csv`; this statement lists only buckets `arn:aws:s3:::amzn-s3-demo-bucket`"
    ), "{}", d[0].1);
}

#[test]
fn a_kms_alias_in_resource_is_not_the_key() {
    let d = diagnoses(
        "kms:Decrypt",
        "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "arn:aws:kms:us-east-1:111122223333:alias/ExampleAlias",
    );
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        d[0].1.contains("this statement lists only aliases"),
        "{}",
        d[0].1
    );
    assert!(d[0].1.contains("kms:RequestAlias"), "{}", d[0].1);
}

#[test]
fn a_request_resource_of_no_type_is_said_and_a_plain_miss_is_not_diagnosed() {
    let d = diagnoses(
        "s3:GetObject",
        "arn:aws:sqs:us-east-1:111122223333:queue",
        "arn:aws:s3:::amzn-s3-demo-bucket/*",
    );
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(matches!(d[0].0, DiagnosisKind::RequestFitsNoType { .. }));
    assert!(
        d[0].1
            .contains("is none of the resource types `s3:GetObject` is authorized on"),
        "{}",
        d[0].1
    );
    // Another object than the one listed: the right type, just not covered. No diagnosis.
    let d = diagnoses(
        "s3:GetObject",
        "arn:aws:s3:::other-bucket/key",
        "arn:aws:s3:::amzn-s3-demo-bucket/*",
    );
    assert!(d.is_empty(), "{d:?}");
}
