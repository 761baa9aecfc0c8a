//! Parse + evaluate on a realistic 100-statement policy (issue 2: evaluating one request should
//! take under 20 µs natively). Run with
//! `nice cargo bench -p iamtrace-engine --bench evaluate -- --warm-up-time 1 --measurement-time 3`.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use iamtrace_engine::compiled::{CompiledScenario, Verdict};
use iamtrace_engine::decision::evaluate as explain;
use iamtrace_engine::matching::evaluate_policy;
use iamtrace_engine::matching::wildcard::{glob_match, Case};
use iamtrace_engine::policy::{parse_policy, PolicyType};
use iamtrace_engine::request::{Caller, ContextMap, ContextValue, Request};
use iamtrace_engine::scenario::Scenario;

const SERVICES: [(&str, &[&str]); 6] = [
    ("s3", &["s3:Get*", "s3:PutObject", "s3:List*"]),
    (
        "ec2",
        &["ec2:Describe*", "ec2:StartInstances", "ec2:StopInstances"],
    ),
    (
        "dynamodb",
        &["dynamodb:GetItem", "dynamodb:Query", "dynamodb:BatchGet*"],
    ),
    ("sqs", &["sqs:SendMessage", "sqs:ReceiveMessage"]),
    ("kms", &["kms:Decrypt", "kms:GenerateDataKey*"]),
    ("logs", &["logs:CreateLogStream", "logs:PutLogEvents"]),
];

/// A 100-statement identity policy in the style of real ones: per-service statements with
/// wildcard actions and resources, and conditions on source IP, paths, time and tag keys.
fn policy_text() -> String {
    let mut statements = Vec::new();
    for i in 0..100 {
        let (service, actions) = SERVICES[i % SERVICES.len()];
        let effect = if i % 10 == 9 { "Deny" } else { "Allow" };
        let resource = match service {
            "s3" => format!(
                r#"["arn:aws:s3:::team-{i}-bucket", "arn:aws:s3:::team-{i}-bucket/home/${{aws:username}}/*"]"#
            ),
            "ec2" => format!(r#""arn:aws:ec2:us-east-?:111122223333:instance/i-{i:04}*""#),
            "dynamodb" => format!(r#""arn:aws:dynamodb:*:111122223333:table/Orders{i}*""#),
            "sqs" => format!(r#""arn:aws:sqs:eu-west-1:111122223333:queue-{i}""#),
            "kms" => format!(r#""arn:aws:kms:*:111122223333:key/*{i}""#),
            _ => format!(r#""arn:aws:logs:*:*:log-group:/app/{i}/*""#),
        };
        let condition = match i % 4 {
            0 => r#""IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32", "198.51.100.0/22"]}"#.to_string(),
            1 => r#""StringLike": {"s3:prefix": ["home/${aws:username}/*", "shared/*"]}, "Bool": {"aws:SecureTransport": "true"}"#.to_string(),
            2 => r#""DateLessThan": {"aws:CurrentTime": "2027-01-01T00:00:00Z"}, "DateGreaterThan": {"aws:CurrentTime": "2020-06-30"}"#.to_string(),
            _ => r#""ForAnyValue:StringEquals": {"aws:TagKeys": ["team", "cost-center", "env"]}, "StringEquals": {"aws:PrincipalTag/team": "payments"}"#.to_string(),
        };
        let actions: Vec<String> = actions.iter().map(|a| format!("\"{a}\"")).collect();
        statements.push(format!(
            r#"{{"Sid": "S{i}", "Effect": "{effect}", "Action": [{}], "Resource": {resource}, "Condition": {{{condition}}}}}"#,
            actions.join(", ")
        ));
    }
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
        statements.join(",\n")
    )
}

fn request() -> Request {
    let mut context = ContextMap::new();
    let mut given = |k: &str, v: &str| context.insert_given(k, ContextValue::Single(v.into()));
    given("aws:SourceIp", "203.0.113.77");
    given("aws:CurrentTime", "2026-11-28T05:00:00Z");
    given("aws:SecureTransport", "true");
    given("aws:username", "ana");
    given("aws:PrincipalTag/team", "payments");
    given("s3:prefix", "home/ana/reports");
    context.insert_given(
        "aws:TagKeys",
        ContextValue::Multi(vec!["env".into(), "owner".into()]),
    );
    Request {
        caller: Caller::parse(Some("arn:aws:iam::111122223333:user/ana")).expect("caller"),
        action: "s3:GetObject".into(),
        resource: "arn:aws:s3:::team-48-bucket/home/ana/reports/q3.pdf".into(),
        resource_account: Some("111122223333".into()),
        context,
        caller_has_permissions_boundary: false,
    }
}

/// The same request and statements as a scenario for the compiled path: four identity policies of
/// 25 statements (one document of 100 is over AWS's 10,240-character quota, which a scenario
/// enforces).
fn scenario(policy: &str) -> Scenario {
    let req = request();
    let context: serde_json::Map<String, serde_json::Value> = req
        .context
        .iter()
        .map(|e| {
            let v = match &e.value {
                ContextValue::Single(s) => serde_json::json!(s),
                ContextValue::Multi(l) => serde_json::json!(l),
            };
            (e.key.clone(), v)
        })
        .collect();
    let text = serde_json::json!({"version": 1,
        "request": {"principal": req.caller.arn(), "action": req.action, "resource": req.resource,
                    "resource_account": req.resource_account, "context": context},
        "policies": {"identity": split(policy)}})
    .to_string();
    Scenario::parse(&text).expect("scenario").scenario
}

fn split(policy: &str) -> Vec<serde_json::Value> {
    let doc: serde_json::Value = serde_json::from_str(policy).expect("json");
    let statements = doc["Statement"].as_array().expect("statements");
    statements
        .chunks(25)
        .map(|c| serde_json::json!({"Version": "2012-10-17", "Statement": c}))
        .collect()
}

fn benches(c: &mut Criterion) {
    let text = policy_text();
    let parsed = parse_policy(&text, PolicyType::Identity).expect("policy parses");
    assert_eq!(parsed.policy.statements.len(), 100);
    let req = request();
    let trace = evaluate_policy(&parsed.policy, PolicyType::Identity, &req);
    assert!(!trace.has_unknown, "the benchmark policy evaluates fully");

    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("100-statement policy", |b| {
        b.iter(|| parse_policy(black_box(&text), PolicyType::Identity))
    });
    group.finish();
    c.bench_function("evaluate one request against 100 statements", |b| {
        b.iter(|| {
            evaluate_policy(
                black_box(&parsed.policy),
                PolicyType::Identity,
                black_box(&req),
            )
        })
    });
    let scenario = scenario(&text);
    let compiled = CompiledScenario::new(&scenario);
    let evaluation = explain(&scenario);
    assert!(
        evaluation.complete && evaluation.errors.is_empty(),
        "{:?}",
        evaluation.errors
    );
    assert_eq!(
        evaluation.decision,
        iamtrace_engine::decision::Decision::Allowed
    );
    let explained = Verdict::of(&evaluation);
    assert_eq!(compiled.decide(compiled.request()), explained);
    c.bench_function(
        "evaluate the 100-statement scenario (4 policies), explained",
        |b| b.iter(|| explain(black_box(&scenario))),
    );
    c.bench_function(
        "decide one request against 100 statements (4 policies), compiled",
        |b| b.iter(|| compiled.decide(black_box(compiled.request()))),
    );
    let actions: Vec<String> = SERVICES
        .iter()
        .flat_map(|(s, _)| {
            ["Get", "Put", "Describe", "List", "Decrypt"].map(|v| format!("{s}:{v}Thing"))
        })
        .collect();
    c.bench_function(
        "sweep 30 actions against 100 statements (4 policies), compiled",
        |b| {
            b.iter(|| {
                let mut sweep = compiled.sweep();
                for a in &actions {
                    black_box(sweep.decide_action(a));
                }
            })
        },
    );
    c.bench_function("compile the 100-statement scenario (4 policies)", |b| {
        b.iter(|| CompiledScenario::new(black_box(&scenario)))
    });
    c.bench_function("parse + evaluate", |b| {
        b.iter(|| {
            let p = parse_policy(black_box(&text), PolicyType::Identity).expect("parses");
            evaluate_policy(&p.policy, PolicyType::Identity, black_box(&req))
        })
    });
    let hostile = "a".repeat(10_000);
    c.bench_function("glob *a*a*a*a*a*a*b against 10 kB", |b| {
        b.iter(|| {
            glob_match(
                black_box("*a*a*a*a*a*a*b"),
                black_box(&hostile),
                Case::Sensitive,
            )
        })
    });
}

criterion_group!(evaluate, benches);
criterion_main!(evaluate);
