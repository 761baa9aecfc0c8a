//! Reading policies: JSON with spans, grammar and validation, on a realistic 100-statement policy
//! and on a 1 MB policy of 10,000 statements (the hostile-input ceiling).

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use iamtrace_engine::policy::{parse_policy, PolicyType};

/// One of a few statement shapes seen in real identity policies, varied by `i`.
fn statement(i: usize) -> String {
    match i % 4 {
        0 => format!(
            r#"{{"Sid":"Read{i}","Effect":"Allow","Action":["s3:GetObject","s3:GetObjectVersion","s3:ListBucket"],
               "Resource":["arn:aws:s3:::bucket-{i}","arn:aws:s3:::bucket-{i}/${{aws:username}}/*"],
               "Condition":{{"StringEquals":{{"aws:PrincipalTag/team":["data","ml"]}},"Bool":{{"aws:SecureTransport":"true"}}}}}}"#
        ),
        1 => format!(
            r#"{{"Sid":"Ec2{i}","Effect":"Allow","Action":"ec2:*Instances","Resource":"arn:aws:ec2:eu-west-1:111122223333:instance/*",
               "Condition":{{"StringLike":{{"ec2:ResourceTag/Project":"proj-{i}-*"}},"IpAddress":{{"aws:SourceIp":["203.0.113.0/24","2001:db8::/32"]}}}}}}"#
        ),
        2 => format!(
            r#"{{"Sid":"Deny{i}","Effect":"Deny","NotAction":["iam:*","sts:*"],"Resource":"*",
               "Condition":{{"StringNotEquals":{{"aws:RequestedRegion":["eu-west-1","eu-central-1"]}},"DateGreaterThan":{{"aws:CurrentTime":"2026-01-01T00:00:00Z"}}}}}}"#
        ),
        _ => format!(
            r#"{{"Sid":"Kms{i}","Effect":"Allow","Action":["kms:Decrypt","kms:GenerateDataKey"],"Resource":"arn:aws:kms:eu-west-1:111122223333:key/{i:08}-aaaa-bbbb-cccc-dddddddddddd",
               "Condition":{{"ForAnyValue:StringEquals":{{"aws:CalledVia":["s3.amazonaws.com"]}},"NumericLessThan":{{"aws:MultiFactorAuthAge":"3600"}}}}}}"#
        ),
    }
}

fn policy(statements: usize) -> String {
    let body: Vec<String> = (0..statements).map(statement).collect();
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        body.join(",\n")
    )
}

fn parse(c: &mut Criterion) {
    let small = policy(100);
    let parsed = parse_policy(&small, PolicyType::Identity).expect("valid JSON");
    assert!(!parsed.has_errors(), "{:?}", parsed.findings);
    let big = policy(10_000);
    let mut group = c.benchmark_group("parse_policy");
    group.throughput(Throughput::Bytes(small.len() as u64));
    group.bench_function("100 statements", |b| {
        b.iter(|| parse_policy(black_box(&small), PolicyType::Identity))
    });
    group.throughput(Throughput::Bytes(big.len() as u64));
    group.bench_function("10,000 statements", |b| {
        b.iter(|| parse_policy(black_box(&big), PolicyType::Identity))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = parse
}
criterion_main!(benches);
