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

/// Inputs that once crashed the fuzz target (multi-byte characters where ASCII was expected).
#[test]
fn fuzz_regressions_do_not_panic() {
    let inputs = [
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\",\n \u{7bb}ction\": \"s3:*\"}]}",
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForAllValues:StringEquals":{"abcé":"x"}}}}"#,
    ];
    for text in inputs {
        for t in ALL_TYPES {
            match parse_policy(text, t) {
                Err(e) => assert!(text.is_char_boundary(e.span.end)),
                Ok(p) => assert!(p
                    .findings
                    .iter()
                    .all(|f| text.is_char_boundary(f.span.start)
                        && text.is_char_boundary(f.span.end))),
            }
        }
    }
}

const ALL_TYPES: [PolicyType; 8] = [
    PolicyType::Identity,
    PolicyType::Resource,
    PolicyType::TrustPolicy,
    PolicyType::PermissionsBoundary,
    PolicyType::Session,
    PolicyType::Scp,
    PolicyType::Rcp,
    PolicyType::VpcEndpoint,
];

mod never_panics {
    use super::ALL_TYPES;
    use iamtrace_engine::policy::parse_policy;
    use proptest::prelude::*;

    const NAMES: [&str; 14] = [
        "Version",
        "Id",
        "Statement",
        "Sid",
        "Effect",
        "Principal",
        "NotPrincipal",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
        "statement",
        "Extra",
    ];

    /// JSON values, each valid on its own, that exercise the grammar and the checks.
    const VALUES: [&str; 26] = [
        r#""2012-10-17""#,
        r#""2008-10-17""#,
        r#""Allow""#,
        r#""Deny""#,
        r#""allow""#,
        r#""*""#,
        r#"["s3:Get*", "iam:*", "s3*:x", "bad"]"#,
        r#"[]"#,
        r#"{}"#,
        r#"null"#,
        r#"1.5"#,
        r#"{"AWS": ["111122223333", "arn:aws:iam::111122223333:user/a*", "arn:aws:sts::1:x"]}"#,
        r#"{"Service": "ec2.amazonaws.com", "Federated": "arn:aws:iam::111122223333:saml-provider/x"}"#,
        r#"{"Group": "g", "AWS": {"x": 1}}"#,
        r#"["arn:aws:s3:::b/${aws:username}", "arn:aws:iam::123456789012:u*", "arn:x", "*"]"#,
        r#""arn:aws:s3:${aws:x}::b""#,
        r#"{"StringEquals": {"aws:TagKeys": ["a*", 1, true], "AWS:tagkeys": "b"}}"#,
        r#"{"ForAllValues:NullIfExists": {"aws:SourceIp": "10.0.0.1/8"}}"#,
        r#"{"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "300.1.1.1"]}, "Bool": {"k": [true, false]}}"#,
        r#"{"DateLessThan": {"aws:CurrentTime": ["2024-13-01", "${aws:x}"]}, "Null": {}}"#,
        r#"{"StringLike": {"s3:prefix": ["${}", "${aws:u", "${a b}", "${a,'x'}", "é${*}"]}}"#,
        r#"{"BinaryEquals": {"k": "!!"}, "NumericLessThan": {"k": [[1]]}}"#,
        r#"{"Effect": "Allow", "Action": "*", "Resource": "*"}"#,
        r#"[{"Effect": "Deny", "NotAction": "*", "Principal": "*"}, 5, []]"#,
        r#""é""#,
        r#""""#,
    ];

    fn object(first: Option<String>, members: &[(usize, usize)]) -> String {
        let body: Vec<String> = first
            .into_iter()
            .chain(
                members
                    .iter()
                    .map(|&(k, v)| format!("\"{}\": {}", NAMES[k], VALUES[v])),
            )
            .collect();
        format!("{{{}}}", body.join(", "))
    }

    fn members() -> impl Strategy<Value = Vec<(usize, usize)>> {
        proptest::collection::vec((0..NAMES.len(), 0..VALUES.len()), 0..9)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]
        /// Random policies made of real element names and awkward values never panic, and every
        /// finding points inside the text.
        #[test]
        fn random_policies(
            top in members(),
            statements in proptest::collection::vec(members(), 0..4),
        ) {
            let list: Vec<String> = statements.iter().map(|m| object(None, m)).collect();
            let text = object(Some(format!("\"Statement\": [{}]", list.join(", "))), &top);
            for t in ALL_TYPES {
                let p = parse_policy(&text, t).expect("generated text is JSON");
                for f in &p.findings {
                    prop_assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
                    prop_assert!(f.span.end <= text.len());
                }
            }
        }
    }
}

/// Wide objects (100,000 members) are read in linear time: duplicate and case-twin detection
/// must not compare every pair.
#[test]
fn wide_objects_do_not_take_quadratic_time() {
    let keys: Vec<String> = (0..100_000).map(|i| format!(r#""k{i}":"v""#)).collect();
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{{"StringEquals":{{{}}}}}}}}}"#,
        keys.join(",")
    );
    let parsed = parse_policy(&text, PolicyType::Identity).expect("valid JSON");
    assert_eq!(parsed.policy.statements[0].conditions.len(), 100_000);
    assert!(parsed.findings.is_empty());

    let members: Vec<String> = (0..100_000).map(|i| format!(r#""E{i}":1"#)).collect();
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"*","Resource":"*",{}}}}}"#,
        members.join(",")
    );
    let parsed = parse_policy(&text, PolicyType::Identity).expect("valid JSON");
    assert_eq!(
        parsed
            .findings
            .iter()
            .filter(|f| f.code == "unknown-element")
            .count(),
        100_000
    );
}

#[test]
fn x_and_not_x_in_one_statement_are_errors_and_the_first_is_used() {
    use iamtrace_engine::policy::{parse_policy, PolicyType, Severity};
    let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny",
 "Principal":"*","NotPrincipal":{"AWS":"111122223333"},
 "Action":"s3:GetObject","NotAction":"s3:PutObject",
 "Resource":"*","NotResource":"arn:aws:s3:::b/*"}]}"#;
    let parsed = parse_policy(text, PolicyType::Resource).unwrap();
    for (code, line) in [
        ("principal-and-notprincipal", 2),
        ("action-and-notaction", 3),
        ("resource-and-notresource", 4),
    ] {
        let f = parsed
            .findings
            .iter()
            .find(|f| f.code == code)
            .unwrap_or_else(|| panic!("{code}: {:?}", parsed.findings));
        assert_eq!(f.severity, Severity::Error);
        assert_eq!(f.span.line, line, "{code}");
        assert!(f.message.contains("not both"), "{}", f.message);
    }
    let st = &parsed.policy.statements[0];
    assert!(!st.action.as_ref().unwrap().negated);
    assert!(!st.resource.as_ref().unwrap().negated);
    assert!(!st.principal.as_ref().unwrap().negated);
}
