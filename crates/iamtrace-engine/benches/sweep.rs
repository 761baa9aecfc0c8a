//! "What can this principal do here?": every action of the catalog (about 22,000) decided for
//! one case through the compiled path, natively. Goal: ≤ 50 ms for the whole catalog.
//!
//! Two cases: the seven-layer cross-account S3 case of `benches/decision.rs` (most actions are
//! not applicable to an S3 object; the ones without resource-level permissions are decided on
//! `*`), and an administrator on `*`-only actions, where every action of the catalog that takes
//! `*` is decided.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use iamtrace_engine::scenario::Scenario;
use iamtrace_engine::sweep::sweep;

const GALLERY: &str = include_str!("../../../examples/06-scp-region-deny.json");

const EVERY_LAYER: &str = r#"{
  "version": 1,
  "request": {
    "principal": "arn:aws:sts::111122223333:assumed-role/DataReader/etl-job",
    "action": "s3:GetObject",
    "resource": "arn:aws:s3:::analytics-bucket/reports/2026/11/summary.csv",
    "resource_account": "444455556666",
    "context": {"aws:SourceVpce": "vpce-1a2b3c4d", "aws:PrincipalOrgID": "o-exampleorg",
                "aws:SecureTransport": true, "aws:RequestedRegion": "eu-west-1"}
  },
  "policies": {
    "scp": [
      [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}],
      [{"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "NotAction": ["iam:*", "sts:*", "organizations:*", "support:*"], "Resource": "*",
         "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}}}]}]
    ],
    "rcp": [[{"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
      {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
       "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-exampleorg"}}}]}]],
    "vpc_endpoint": {"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}]},
    "resource": {"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/DataReader"},
       "Action": ["s3:GetObject", "s3:GetObjectVersion"], "Resource": "arn:aws:s3:::analytics-bucket/reports/*"},
      {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::analytics-bucket/*",
       "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]},
    "identity": [{"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": ["s3:Get*", "s3:List*", "ec2:Describe*", "kms:Decrypt"], "Resource": "*"},
      {"Effect": "Deny", "Action": "s3:PutObject", "Resource": "*"}]}],
    "permissions_boundary": {"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": ["s3:Get*", "s3:List*", "ec2:*", "kms:Decrypt", "logs:*"], "Resource": "*"},
      {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}]},
    "session": [{"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": "*", "Resource": "*"}]}]
  }
}"#;

const ADMIN_ON_STAR: &str = r#"{
  "version": 1,
  "request": {"principal": "arn:aws:iam::111122223333:user/admin", "action": "s3:ListAllMyBuckets",
              "resource": "*"},
  "policies": {"identity": [{"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "*", "Resource": "*"},
    {"Effect": "Deny", "Action": ["iam:Delete*", "organizations:*"], "Resource": "*"}]}]}
}"#;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("sweep");
    group.sample_size(20);
    for (name, text) in [
        ("whole catalog, seven layers, S3 object", EVERY_LAYER),
        ("whole catalog, gallery SCP region deny", GALLERY),
        ("whole catalog, admin on *", ADMIN_ON_STAR),
    ] {
        let scenario = Scenario::parse(text).expect("scenario").scenario;
        let swept = sweep(&scenario, None).expect("sweep");
        assert!(swept.counts.total > 20_000);
        assert!(swept.counts.allowed > 0 && swept.counts.not_applicable > 0);
        group.bench_function(name, |b| b.iter(|| sweep(black_box(&scenario), None)));
    }
    let scenario = Scenario::parse(EVERY_LAYER).expect("scenario").scenario;
    group.bench_function("service s3, seven layers", |b| {
        b.iter(|| sweep(black_box(&scenario), Some("s3")))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
