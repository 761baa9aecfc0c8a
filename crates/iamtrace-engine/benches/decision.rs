//! A whole decision on a cross-account scenario with every layer present: SCPs (3 levels),
//! RCPs (3 levels), a VPC endpoint policy, a bucket policy, identity policies, a permissions
//! boundary and a session policy.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use iamtrace_engine::compiled::{CompiledScenario, Verdict};
use iamtrace_engine::decision::{evaluate, Decision};
use iamtrace_engine::scenario::Scenario;

const SCENARIO: &str = r#"{
  "version": 1,
  "title": "Cross-account S3 read through a VPC endpoint, every layer present",
  "request": {
    "principal": "arn:aws:sts::111122223333:assumed-role/DataReader/etl-job",
    "action": "s3:GetObject",
    "resource": "arn:aws:s3:::analytics-bucket/reports/2026/11/summary.csv",
    "resource_account": "444455556666",
    "context": {
      "aws:SourceVpce": "vpce-1a2b3c4d",
      "aws:SourceVpc": "vpc-111bbb22",
      "aws:PrincipalOrgID": "o-exampleorg",
      "aws:ResourceOrgID": "o-exampleorg",
      "aws:SecureTransport": true,
      "aws:RequestedRegion": "eu-west-1",
      "aws:PrincipalTag/team": "analytics",
      "aws:MultiFactorAuthPresent": false,
      "aws:CurrentTime": "2026-11-28T05:00:00Z"
    }
  },
  "policies": {
    "scp": [
      [{"name": "FullAWSAccess", "arn": "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess",
        "document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}],
      [{"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Sid": "DenyOutsideRegions", "Effect": "Deny", "NotAction": ["iam:*", "sts:*", "organizations:*", "support:*"], "Resource": "*",
         "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}}}]}],
      [{"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:*", "kms:*", "ec2:*", "sts:*"], "Resource": "*"},
        {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}]}]
    ],
    "rcp": [
      [{"Version": "2012-10-17", "Statement": [{"Sid": "RCPFullAWSAccess", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}],
      [{"Version": "2012-10-17", "Statement": [
        {"Sid": "RCPFullAWSAccess", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
        {"Sid": "OrgOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
         "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-exampleorg"}, "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}}]}],
      [{"Version": "2012-10-17", "Statement": [
        {"Sid": "RCPFullAWSAccess", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
        {"Sid": "TLSOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
         "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}}]}]
    ],
    "vpc_endpoint": {"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::analytics-bucket", "arn:aws:s3:::analytics-bucket/*"],
       "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-exampleorg"}}}]},
    "resource": {"Version": "2012-10-17", "Statement": [
      {"Sid": "ReadersFromDataAccount", "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:role/DataReader", "arn:aws:iam::777788889999:root"]},
       "Action": ["s3:GetObject", "s3:GetObjectVersion"], "Resource": "arn:aws:s3:::analytics-bucket/reports/*",
       "Condition": {"StringEquals": {"aws:SourceVpce": ["vpce-1a2b3c4d", "vpce-5e6f7a8b"]}}},
      {"Sid": "DenyUnencryptedTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
       "Resource": ["arn:aws:s3:::analytics-bucket", "arn:aws:s3:::analytics-bucket/*"],
       "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]},
    "identity": [
      {"name": "ReadReports", "arn": "arn:aws:iam::111122223333:policy/ReadReports", "document": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::analytics-bucket", "arn:aws:s3:::analytics-bucket/reports/${aws:PrincipalTag/team}/*", "arn:aws:s3:::analytics-bucket/reports/*"]}]}},
      {"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Action": "s3:PutObject", "Resource": "*"},
        {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:eu-west-1:444455556666:key/*"}]}
    ],
    "permissions_boundary": {"name": "DataBoundary", "arn": "arn:aws:iam::111122223333:policy/DataBoundary", "document": {"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": ["s3:Get*", "s3:List*", "kms:Decrypt", "logs:*"], "Resource": "*"},
      {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}]}},
    "session": [{"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::analytics-bucket/*",
       "Condition": {"DateLessThan": {"aws:CurrentTime": "2027-01-01T00:00:00Z"}}}]}]
  }
}"#;

fn bench(c: &mut Criterion) {
    let scenario = Scenario::parse(SCENARIO).expect("scenario").scenario;
    let first = evaluate(&scenario);
    assert_eq!(first.decision, Decision::Allowed, "{:?}", first.gates);
    assert!(first.cross_account && first.complete);
    c.bench_function("decision/cross-account, seven layers", |b| {
        b.iter(|| evaluate(black_box(&scenario)))
    });
    let compiled = CompiledScenario::new(&scenario);
    assert_eq!(compiled.decide(compiled.request()), Verdict::of(&first));
    c.bench_function("decision/cross-account, seven layers, compiled", |b| {
        b.iter(|| compiled.decide(black_box(compiled.request())))
    });
    c.bench_function("decision/read scenario + decide", |b| {
        b.iter(|| {
            evaluate(
                &Scenario::parse(black_box(SCENARIO))
                    .expect("scenario")
                    .scenario,
            )
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
