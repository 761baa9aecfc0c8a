//! Redaction of each gallery example (the cases the page offers): collect the values, build the
//! placeholders, rewrite, write out, read back and evaluate to verify — what the page's Redact
//! button runs. Also the worst case of verification: a case whose full rewrite changes an
//! outcome, so values are replaced group by group.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use iamtrace_engine::scenario::Scenario;
use iamtrace_engine::sharing::redact;
use std::path::Path;

fn gallery() -> Vec<(String, Scenario)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("examples")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("read");
            let name = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, Scenario::parse(&text).expect("parse").scenario)
        })
        .collect()
}

const GROUP_BY_GROUP: &str = r#"{
  "request": {"principal": "arn:aws:iam::210987654321:user/carlossalazar", "action": "s3:PutObject",
    "resource": "arn:aws:s3:::acme-prod-logs/report.txt", "resource_account": "309876543210",
    "context": {"aws:SourceIp": "54.240.143.7", "aws:PrincipalTag/team": "payments"}},
  "policies": {"identity": [{"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::acme-*",
     "Condition": {"IpAddress": {"aws:SourceIp": "54.240.0.0/16"}, "StringEquals": {"aws:PrincipalTag/team": "payments"}}},
    {"Effect": "Deny", "Action": "s3:*", "Resource": ["arn:aws:s3:::*log*", "arn:aws:s3:::*log*/*"]},
    {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::acme-${aws:PrincipalTag/env, 'prod-logs'}/*"}]}],
    "resource": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutObject",
      "Principal": {"AWS": "arn:aws:iam::210987654321:user/carlossalazar"}, "Resource": "arn:aws:s3:::acme-prod-logs/*"}]}}
}"#;

fn bench(c: &mut Criterion) {
    for (name, s) in gallery() {
        c.bench_function(&format!("redact {name}"), |b| {
            b.iter(|| redact(black_box(&s)))
        });
    }
    let s = Scenario::parse(GROUP_BY_GROUP).expect("parse").scenario;
    c.bench_function(
        "redact group by group (a variable default keeps the bucket)",
        |b| b.iter(|| redact(black_box(&s))),
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
