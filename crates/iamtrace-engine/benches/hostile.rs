//! Hostile but legal input (issue 9): the largest set-qualified `StringLike` condition AWS's quotas
//! allow, against the most request values iamtrace reads for one key, with no pair matching so
//! that every (pattern, value) pair is compared. Must decide in well under 100 ms. Run with
//! `nice cargo bench -p iamtrace-engine --bench hostile -- --warm-up-time 1 --measurement-time 3`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use iamtrace_engine::decision::{evaluate, Decision};
use iamtrace_engine::policy::quota::size_quota;
use iamtrace_engine::policy::PolicyType;
use iamtrace_engine::request::MAX_VALUES_PER_KEY;
use iamtrace_engine::scenario::Scenario;

/// Distinct short patterns `*a`, `*b`, …, `*zz`, … (lower case and digits) filling a bucket
/// policy up to the resource-policy quota.
fn patterns(budget: usize) -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = Vec::new();
    let mut used = 0;
    for n in 0.. {
        let mut code = String::from("*");
        let mut k = n;
        loop {
            code.push(ALPHABET[k % ALPHABET.len()] as char);
            k /= ALPHABET.len();
            if k == 0 {
                break;
            }
        }
        used += code.len() + 3;
        if used > budget {
            break;
        }
        out.push(code);
    }
    out
}

/// Request values in upper case, which no pattern matches.
fn values(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let mut v = String::from("KEY-");
            let mut k = i;
            for _ in 0..4 {
                v.push((b'A' + (k % 26) as u8) as char);
                k /= 26;
            }
            v
        })
        .collect()
}

fn scenario() -> String {
    let quota = size_quota(PolicyType::Resource).characters;
    let policy = serde_json::json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/jane"},
        "Action": "s3:PutObjectTagging", "Resource": "arn:aws:s3:::b/*",
        "Condition": {"ForAnyValue:StringLike": {"aws:TagKeys": patterns(quota - 300)}}}]});
    assert!(policy.to_string().len() <= quota);
    serde_json::json!({"version": 1,
        "request": {"principal": "arn:aws:iam::111122223333:user/jane",
                    "action": "s3:PutObjectTagging", "resource": "arn:aws:s3:::b/k",
                    "context": {"aws:TagKeys": values(MAX_VALUES_PER_KEY)}},
        "policies": {"resource": policy}})
    .to_string()
}

fn bench(c: &mut Criterion) {
    let scenario = Scenario::parse(&scenario()).expect("scenario").scenario;
    let first = evaluate(&scenario);
    assert!(first.errors.is_empty(), "{:?}", first.errors);
    assert_eq!(first.decision, Decision::ImplicitDeny);
    c.bench_function(
        "decision/largest legal ForAnyValue:StringLike, every pair compared",
        |b| b.iter(|| evaluate(black_box(&scenario))),
    );
}

criterion_group!(hostile, bench);
criterion_main!(hostile);
