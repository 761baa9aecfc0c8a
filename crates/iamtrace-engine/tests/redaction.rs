//! Redaction before sharing: on every conformance fixture, every gallery example and random
//! scenarios, the redacted case decides exactly as the original (same decision, same layer, the
//! same applies/does-not-apply for every statement), and no original account ID or principal
//! name survives unless the redaction lists it as kept.

use iamtrace_engine::decision::{evaluate, Evaluation};
use iamtrace_engine::explain::Applies;
use iamtrace_engine::scenario::Scenario;
use iamtrace_engine::sharing::redact::ValueKind;
use iamtrace_engine::sharing::{decode, encode, redact, Redaction};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::Path;

/// The outcome values the guarantee is about, taken from the evaluation (never its prose).
fn outcomes(e: &Evaluation) -> (String, Option<String>, Vec<Vec<Applies>>) {
    (
        e.decision.to_string(),
        e.denied_by.map(|l| l.name().to_string()),
        e.policies
            .iter()
            .map(|p| {
                p.trace
                    .iter()
                    .flat_map(|t| &t.statements)
                    .map(|s| s.applies)
                    .collect()
            })
            .collect(),
    )
}

/// 12-digit runs not inside a longer number.
fn account_ids(text: &str) -> BTreeSet<String> {
    let b = text.as_bytes();
    let mut out = BTreeSet::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 12 {
                out.insert(text[start..i].to_string());
            }
        } else {
            i += 1;
        }
    }
    out
}

fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The names in the caller's ARN: user, role and session names.
fn principal_names(s: &Scenario) -> Vec<String> {
    let Some(p) = &s.request.principal else {
        return Vec::new();
    };
    let Some(resource) = p.strip_prefix("arn:").and_then(|r| r.splitn(5, ':').nth(4)) else {
        return Vec::new();
    };
    resource
        .split('/')
        .skip(1)
        .filter(|n| n.chars().count() >= 3)
        .map(str::to_string)
        .collect()
}

/// The value, or a value holding it, is listed as kept.
fn is_kept(r: &Redaction, value: &str) -> bool {
    r.kept.iter().any(|k| k.value.contains(value))
}

/// Checks the guarantee on one case; returns the counts of values replaced, kept as AWS
/// documentation placeholders already, and kept because replacing them changes an outcome.
fn check(name: &str, original: &Scenario) -> (usize, usize, usize) {
    let r = redact(original);
    assert!(r.verified, "{name}: not verified");
    let text = r.scenario.to_json_string();
    let read = Scenario::parse(&text)
        .expect("the redacted case reads back")
        .scenario;
    assert_eq!(
        outcomes(&evaluate(original)),
        outcomes(&evaluate(&read)),
        "{name}: outcomes changed\n{text}"
    );
    for id in account_ids(&original.to_json_string()) {
        assert!(
            !text.contains(&id) || is_kept(&r, &id),
            "{name}: account ID {id} survives without being listed as kept\n{text}"
        );
    }
    for n in principal_names(original) {
        assert!(
            !has_word(&text, &n) || is_kept(&r, &n),
            "{name}: principal name {n} survives without being listed as kept\n{text}"
        );
    }
    // The mapping is never in the case, so never in a link made from it.
    let link = decode(&encode(&r.scenario)).expect("the link opens");
    let in_link = link.to_json_string();
    for x in &r.replaced {
        let o = x.original.trim_end_matches('*');
        if o.chars().count() >= 4 {
            assert!(
                !has_word(&in_link, o) || text.contains(o),
                "{name}: {o} is in the link"
            );
        }
    }
    let placeholders = r
        .kept
        .iter()
        .filter(|k| k.reason.contains("documentation placeholder"))
        .count();
    (r.replaced.len(), placeholders, r.kept.len() - placeholders)
}

fn cases(dir: &str) -> Vec<(String, Scenario)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(dir);
    let mut paths: Vec<_> = std::fs::read_dir(&root)
        .expect("directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("read");
            let s = Scenario::parse(&text).expect("parse").scenario;
            (p.display().to_string(), s)
        })
        .collect()
}

#[test]
fn every_fixture_and_example_keeps_its_outcomes_and_leaks_no_id() {
    let (mut replaced, mut placeholders, mut kept, mut n) = (0, 0, 0, 0);
    for dir in ["tests/fixtures/conformance", "examples"] {
        for (name, s) in cases(dir) {
            let (r, p, k) = check(&name, &s);
            replaced += r;
            placeholders += p;
            kept += k;
            n += 1;
        }
    }
    println!(
        "redaction coverage: {n} cases, {replaced} values replaced, {placeholders} already AWS \
         documentation placeholders, {kept} kept because replacing them changes an outcome"
    );
    assert!(n >= 90 && replaced > 10 * kept);
}

fn scenario(v: Value) -> Scenario {
    Scenario::parse(&v.to_string()).expect("scenario").scenario
}

fn policy(statements: Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

#[test]
fn a_prefix_wildcard_keeps_matching_the_bucket_it_matched() {
    let s = scenario(json!({
        "title": "acme-prod-logs is denied to deployer",
        "request": {"principal": "arn:aws:iam::210987654321:user/deployer", "action": "s3:GetObject",
            "resource": "arn:aws:s3:::acme-prod-logs/2026/app.log", "resource_account": "210987654321"},
        "policies": {"identity": [policy(json!([
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-prod-*"},
            {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-dev-*"}]))]}
    }));
    let r = redact(&s);
    let text = r.scenario.to_json_string();
    assert!(r.verified && r.kept.is_empty(), "{:?}", r.kept);
    assert!(
        !text.contains("acme") && !text.contains("deployer") && !text.contains("210987654321"),
        "{text}"
    );
    assert!(
        text.contains("arn:aws:s3:::amzn-s3-demo-prefix01-*"),
        "{text}"
    );
    assert!(
        text.contains("arn:aws:s3:::amzn-s3-demo-prefix01-example"),
        "{text}"
    );
    assert_eq!(evaluate(&r.scenario).decision, evaluate(&s).decision);
    let bucket = r
        .replaced
        .iter()
        .find(|x| x.original == "acme-prod-*")
        .expect("the prefix");
    assert_eq!(bucket.kind, ValueKind::Bucket);
}

#[test]
fn ip_addresses_stay_inside_the_ranges_they_were_in() {
    let s = scenario(json!({
        "request": {"principal": "arn:aws:iam::210987654321:user/ops", "action": "s3:GetObject",
            "resource": "arn:aws:s3:::corp-data/x", "context": {"aws:SourceIp": "54.240.143.7"}},
        "policies": {"identity": [policy(json!([
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*",
             "Condition": {"IpAddress": {"aws:SourceIp": ["54.240.0.0/16", "8.8.8.0/24"]}}},
            {"Effect": "Deny", "Action": "s3:*", "Resource": "*",
             "Condition": {"NotIpAddress": {"aws:SourceIp": "54.240.143.0/24"}}}]))]}
    }));
    let r = redact(&s);
    let text = r.scenario.to_json_string();
    assert!(r.verified && !text.contains("54.240"), "{text}");
    assert_eq!(evaluate(&r.scenario).decision.to_string(), "allowed");
    assert!(r.replaced.iter().any(|x| x.kind == ValueKind::IpAddress));
}

#[test]
fn one_value_gets_one_placeholder_across_request_context_and_policies() {
    let s = scenario(json!({
        "request": {"principal": "arn:aws:sts::210987654321:assumed-role/etl-runner/nightly",
            "action": "sts:AssumeRole", "resource": "arn:aws:iam::309876543210:role/reporting",
            "context": {"sts:ExternalId": "acme-7731", "aws:PrincipalTag/team": "payments",
                        "aws:PrincipalOrgID": "o-k3j4h5g6f7", "aws:SourceVpce": "vpce-0a1b2c3d4e5f60718"}},
        "policies": {
            "identity": [policy(json!([{"Effect": "Allow", "Action": "sts:AssumeRole",
                "Resource": "arn:aws:iam::309876543210:role/reporting"}]))],
            "resource": policy(json!([{"Effect": "Allow", "Action": "sts:AssumeRole",
                "Principal": {"AWS": "arn:aws:iam::210987654321:role/etl-runner"},
                "Condition": {"StringEquals": {"sts:ExternalId": "acme-7731",
                    "aws:PrincipalTag/team": "payments", "aws:PrincipalOrgID": "o-k3j4h5g6f7"}}}]))
        }
    }));
    let r = redact(&s);
    let text = r.scenario.to_json_string();
    for leaked in [
        "210987654321",
        "309876543210",
        "etl-runner",
        "nightly",
        "reporting",
        "acme-7731",
        "payments",
        "o-k3j4h5g6f7",
        "vpce-0a1b2c3d4e5f60718",
    ] {
        assert!(!text.contains(leaked), "{leaked} in {text}");
    }
    assert_eq!(evaluate(&r.scenario).decision.to_string(), "allowed");
    assert!(
        text.contains("111122223333")
            && text.contains("444455556666")
            && text.contains("o-exampleorgid")
    );
    let kinds: BTreeSet<_> = r.replaced.iter().map(|x| format!("{:?}", x.kind)).collect();
    for k in [
        "Account",
        "Role",
        "Session",
        "ExternalId",
        "TagValue",
        "Organization",
        "VpcEndpoint",
    ] {
        assert!(kinds.contains(k), "{k} not replaced: {kinds:?}");
    }
}

#[test]
fn text_after_a_wildcard_keeps_matching_and_what_cannot_be_replaced_is_kept_with_the_reason() {
    // `*log*` matches the bucket inside its name: the bucket keeps `log`, the rest is replaced.
    let s = scenario(json!({
        "request": {"principal": "arn:aws:iam::210987654321:user/ops", "action": "s3:PutObject",
            "resource": "arn:aws:s3:::acme-prod-logs/a.txt"},
        "policies": {"identity": [policy(json!([
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            {"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::*log*/*"}]))]}
    }));
    let r = redact(&s);
    let text = r.scenario.to_json_string();
    assert!(r.verified && r.kept.is_empty(), "{:?}", r.kept);
    assert_eq!(evaluate(&r.scenario).decision.to_string(), "explicit_deny");
    assert!(
        !text.contains("acme") && !text.contains("prod") && text.contains("arn:aws:s3:::*log*/*"),
        "{text}"
    );

    // A policy variable's default must spell the end of the bucket name: that cannot be rewritten
    // consistently, so the bucket is kept, with the outcome its replacement would change.
    let s = scenario(json!({
        "request": {"principal": "arn:aws:iam::210987654321:user/ops", "action": "s3:ListBucket",
            "resource": "arn:aws:s3:::acme-bucket-company-wide"},
        "policies": {"identity": [policy(json!([{"Effect": "Allow", "Action": "s3:ListBucket",
            "Resource": "arn:aws:s3:::acme-bucket-${aws:PrincipalTag/team, 'company-wide'}"}]))]}
    }));
    let r = redact(&s);
    assert!(r.verified);
    assert_eq!(evaluate(&r.scenario).decision.to_string(), "allowed");
    let kept = r
        .kept
        .iter()
        .find(|k| k.value == "acme-bucket-company-wide")
        .expect("kept");
    assert!(
        kept.reason
            .contains("the decision would become implicit_deny instead of allowed"),
        "{}",
        kept.reason
    );
    assert!(!r.scenario.to_json_string().contains("210987654321"));
}

fn account() -> impl Strategy<Value = String> {
    "[2-9][0-9]{11}"
}

fn word() -> impl Strategy<Value = String> {
    "[a-z]{3,7}(-[a-z]{2,5})?"
}

prop_compose! {
    fn random_case()(
        caller in account(), owner in account(), user in word(), role in word(),
        bucket in word(), key in word(), tag in word(), other_tag in word(),
        ip in (1u8..=223, any::<u8>(), any::<u8>(), any::<u8>()), cidr_len in 8u8..=32,
        as_role in any::<bool>(), cross in any::<bool>(),
        kinds in proptest::collection::vec((0usize..6, any::<bool>()), 1..5),
        prefix_len in 1usize..4,
    ) -> Value {
        let acct_r = if cross { owner.clone() } else { caller.clone() };
        let principal = if as_role {
            format!("arn:aws:sts::{caller}:assumed-role/{role}/{user}")
        } else {
            format!("arn:aws:iam::{caller}:user/{user}")
        };
        let (a, b, c, d) = ip;
        let request_ip = format!("{a}.{b}.{c}.{d}");
        let range = format!("{a}.{b}.{c}.0/{cidr_len}");
        let prefix: String = bucket.chars().take(prefix_len).collect();
        let statements: Vec<Value> = kinds.iter().map(|(k, deny)| {
            let effect = if *deny { "Deny" } else { "Allow" };
            match k {
                0 => json!({"Effect": effect, "Action": "s3:GetObject", "Resource": format!("arn:aws:s3:::{bucket}/{key}")}),
                1 => json!({"Effect": effect, "Action": "s3:*", "Resource": format!("arn:aws:s3:::{prefix}*")}),
                2 => json!({"Effect": effect, "Action": "*", "Resource": "*",
                    "Condition": {"IpAddress": {"aws:SourceIp": range}}}),
                3 => json!({"Effect": effect, "Action": "s3:GetObject", "Resource": "*",
                    "Condition": {"StringEquals": {"aws:PrincipalTag/team": other_tag}}}),
                4 => json!({"Effect": effect, "Action": "s3:GetObject", "Resource": "*",
                    "Condition": {"ArnLike": {"aws:PrincipalArn": format!("arn:aws:iam::{caller}:*")}}}),
                _ => json!({"Effect": effect, "Action": "s3:GetObject", "Resource": "*",
                    "Condition": {"StringEquals": {"aws:PrincipalTag/team": tag}}}),
            }
        }).collect();
        let mut policies = json!({"identity": [policy(Value::Array(statements))]});
        if cross {
            policies["resource"] = policy(json!([{"Effect": "Allow", "Action": "s3:GetObject",
                "Principal": {"AWS": if as_role { format!("arn:aws:iam::{caller}:role/{role}") } else { caller.clone() }},
                "Resource": format!("arn:aws:s3:::{bucket}/*")}]));
        }
        json!({
            "title": format!("{user} cannot read {bucket}"),
            "request": {"principal": principal, "action": "s3:GetObject",
                "resource": format!("arn:aws:s3:::{bucket}/{key}"), "resource_account": acct_r,
                "context": {"aws:SourceIp": request_ip, "aws:PrincipalTag/team": tag}},
            "policies": policies,
        })
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn random_cases_keep_their_outcomes_and_leak_no_account(case in random_case()) {
        let s = scenario(case);
        check("random case", &s);
        // Random account IDs are never documentation placeholders: each is replaced or kept.
        let r = redact(&s);
        for id in account_ids(&s.to_json_string()) {
            prop_assert!(r.replaced.iter().any(|x| x.original == id) || is_kept(&r, &id));
        }
    }
}
