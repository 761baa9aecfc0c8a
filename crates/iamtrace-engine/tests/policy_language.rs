//! The policy reader on real and hostile input: every conformance fixture's policies read without
//! error findings, and hostile documents are handled without a panic.

use iamtrace_engine::policy::{parse_policy, PolicyType, Severity};
use iamtrace_engine::scenario::{PolicySource, Scenario};
use std::path::Path;

fn fixtures() -> Vec<(String, Scenario)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/conformance");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("fixture directory") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path).expect("readable fixture");
            let parsed = Scenario::parse(&text).expect("fixture is a valid scenario");
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            out.push((name, parsed.scenario));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The policy type each layer's documents are read as.
fn layers(s: &Scenario) -> Vec<(PolicyType, &PolicySource)> {
    let p = &s.policies;
    let mut out = Vec::new();
    for src in p.identity.iter().flatten() {
        out.push((PolicyType::Identity, src));
    }
    if let Some(src) = &p.resource {
        let trust = s
            .request
            .action
            .to_ascii_lowercase()
            .starts_with("sts:assumerole");
        let t = if trust {
            PolicyType::TrustPolicy
        } else {
            PolicyType::Resource
        };
        out.push((t, src));
    }
    if let Some(src) = &p.permissions_boundary {
        out.push((PolicyType::PermissionsBoundary, src));
    }
    for src in p.scp.iter().flatten().flatten() {
        out.push((PolicyType::Scp, src));
    }
    for src in p.rcp.iter().flatten().flatten() {
        out.push((PolicyType::Rcp, src));
    }
    for src in p.session.iter().flatten() {
        out.push((PolicyType::Session, src));
    }
    if let Some(src) = &p.vpc_endpoint {
        out.push((PolicyType::VpcEndpoint, src));
    }
    out
}

#[test]
fn every_conformance_policy_reads_without_errors() {
    let fixtures = fixtures();
    assert!(fixtures.len() >= 80, "found {} fixtures", fixtures.len());
    let mut read = 0;
    let mut problems = Vec::new();
    for (name, scenario) in &fixtures {
        for (policy_type, src) in layers(scenario) {
            let parsed = parse_policy(&src.text, policy_type)
                .unwrap_or_else(|e| panic!("{name}: {policy_type:?} policy is not JSON: {e}"));
            read += 1;
            assert!(
                !parsed.policy.statements.is_empty(),
                "{name}: no statements"
            );
            for f in parsed
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
            {
                problems.push(format!(
                    "{name} ({policy_type:?}): {} {}",
                    f.code, f.message
                ));
            }
        }
    }
    assert!(read > 100, "only {read} policies read");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn statement(i: usize) -> String {
    format!(
        r#"{{"Sid":"S{i}","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bucket-{i}/*","Condition":{{"StringEquals":{{"aws:PrincipalTag/team":"t{i}"}}}}}}"#
    )
}

#[test]
fn a_megabyte_policy_with_ten_thousand_statements_parses() {
    let body: Vec<String> = (0..10_000).map(statement).collect();
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        body.join(",")
    );
    assert!(text.len() > 1_000_000, "{} bytes", text.len());
    let parsed = parse_policy(&text, PolicyType::Identity).expect("valid JSON");
    assert_eq!(parsed.policy.statements.len(), 10_000);
    assert!(parsed.findings.is_empty(), "{:?}", &parsed.findings[..1]);
}

#[test]
fn deep_nesting_is_refused_without_panic() {
    for depth in [100, 10_000, 1_000_000] {
        let text = format!(
            r#"{{"Statement":{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{{"StringEquals":{{"k":{}{}}}}}}}}}"#,
            "[".repeat(depth),
            "]".repeat(depth)
        );
        for t in [
            PolicyType::Identity,
            PolicyType::Resource,
            PolicyType::Scp,
            PolicyType::Rcp,
        ] {
            let err = parse_policy(&text, t).expect_err("nesting is refused");
            assert!(err.message.contains("nesting"), "{}", err.message);
        }
    }
}

#[test]
fn nesting_within_the_limit_is_a_finding_not_a_crash() {
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{{"StringEquals":{{"k":{}"v"{}}}}}}}}}"#,
        "[".repeat(40),
        "]".repeat(40)
    );
    let parsed = parse_policy(&text, PolicyType::Identity).expect("within the depth limit");
    assert!(parsed
        .findings
        .iter()
        .any(|f| f.code == "invalid-condition-value"));
}
