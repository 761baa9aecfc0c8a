//! The compiled decision path (`compiled::decide`) and the explaining one (`decision::evaluate`)
//! give the same verdict — decision, blamed layer, and both bounds when the result is undecided —
//! on every conformance fixture and gallery example, on variants of them that change the action,
//! and on random scenarios mixing every layer, caller kind, element form and condition shape
//! (including the ones AWS would refuse, which must stay undecided on both paths).

use iamtrace_engine::compiled::{CompiledScenario, Verdict};
use iamtrace_engine::decision::evaluate;
use iamtrace_engine::scenario::Scenario;
use proptest::prelude::*;
use serde_json::{json, Value};

fn scenarios_in(dir: &str) -> Vec<(String, Scenario, String)> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).expect("readable");
            let name = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let s = Scenario::parse(&text).expect("scenario").scenario;
            (name, s, text)
        })
        .collect()
}

fn fixtures() -> Vec<(String, Scenario, String)> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut all = scenarios_in(&format!("{root}/../../tests/fixtures/conformance"));
    let examples = scenarios_in(&format!("{root}/../../examples"));
    assert!(all.len() >= 80 && examples.len() >= 10);
    all.extend(examples);
    all
}

/// Actions each fixture is also decided with: its own in other letter cases, the special
/// actions the gates know (trust policies, KMS, RCP exemptions, GetCallerIdentity), ordinary
/// ones of several services, and malformed ones (which are still decided, with an error).
const ACTIONS: &[&str] = &[
    "sts:AssumeRole",
    "STS:assumerolewithsaml",
    "sts:TagSession",
    "sts:GetCallerIdentity",
    "kms:Decrypt",
    "kms:PutKeyPolicy",
    "kms:RetireGrant",
    "kms:CreateAlias",
    "s3:GetObject",
    "s3:PutObject",
    "s3:ListBucket",
    "S3:DeleteBucket",
    "ec2:RunInstances",
    "ec2:DescribeInstances",
    "iam:PassRole",
    "iam:CreateUser",
    "dynamodb:GetItem",
    "sqs:SendMessage",
    "secretsmanager:GetSecretValue",
    "lambda:InvokeFunction",
    "logs:PutLogEvents",
    "s3:Get*",
    "noservice",
    "",
];

fn assert_same(name: &str, scenario: &Scenario, verdict: Verdict) {
    let explained = Verdict::of(&evaluate(scenario));
    assert_eq!(
        verdict, explained,
        "{name} ({}): compiled {verdict:?}, explained {explained:?}",
        scenario.request.action
    );
}

#[test]
fn both_paths_agree_on_every_fixture_and_example() {
    for (name, scenario, _) in fixtures() {
        let compiled = CompiledScenario::new(&scenario);
        let verdict = compiled.decide(compiled.request());
        assert_same(&name, &scenario, verdict);
    }
}

#[test]
fn both_paths_agree_on_action_variants_of_every_fixture() {
    let mut decided = 0;
    for (name, scenario, _) in fixtures() {
        let compiled = CompiledScenario::new(&scenario);
        let mut sweep = compiled.sweep();
        let own = scenario.request.action.clone();
        let variants = [own.to_ascii_uppercase(), own.to_ascii_lowercase()];
        for action in ACTIONS
            .iter()
            .copied()
            .chain(variants.iter().map(String::as_str))
        {
            let mut variant = scenario.clone();
            variant.request.action = action.to_string();
            let verdict = sweep.decide_action(action);
            assert_same(&name, &variant, verdict);
            decided += 1;
        }
    }
    assert!(decided > 2000, "{decided} variants");
}

// ---- random scenarios ----

const ACCOUNT: &str = "111122223333";
const OTHER: &str = "444455556666";

fn principal() -> impl Strategy<Value = Option<&'static str>> {
    prop::sample::select(vec![
        Some("arn:aws:iam::111122223333:user/ana"),
        Some("arn:aws:iam::111122223333:user/dev/bob"),
        Some("arn:aws:sts::111122223333:assumed-role/Deployer/s1"),
        Some("arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForECS/x"),
        Some("arn:aws:iam::111122223333:role/Deployer"),
        Some("arn:aws:sts::111122223333:federated-user/fed"),
        Some("arn:aws:iam::111122223333:root"),
        Some("arn:aws:sts::444455556666:assumed-role/Partner/p"),
        Some("arn:aws:iam::444455556666:user/partner"),
        Some("ec2.amazonaws.com"),
        Some("anonymous"),
        Some("not a principal"),
        None,
    ])
}

fn action() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "s3:GetObject",
        "s3:PutObject",
        "s3:ListBucket",
        "sts:AssumeRole",
        "sts:TagSession",
        "kms:Decrypt",
        "kms:PutKeyPolicy",
        "kms:RetireGrant",
        "ec2:RunInstances",
        "iam:PassRole",
        "sqs:SendMessage",
        "sts:GetCallerIdentity",
        "S3:getobject",
    ])
}

fn resource() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "arn:aws:s3:::bucket/home/ana/doc.txt",
        "arn:aws:s3:::bucket",
        "arn:aws:s3:::other/key",
        "arn:aws:iam::111122223333:role/Deployer",
        "arn:aws:iam::444455556666:role/Shared",
        "arn:aws:kms:us-east-1:111122223333:key/1234abcd",
        "arn:aws:kms:us-east-1:444455556666:key/1234abcd",
        "arn:aws:kms:us-east-1:111122223333:alias/app",
        "arn:aws:ec2:us-east-1:111122223333:instance/i-1",
        "arn:aws:sqs:eu-west-1:444455556666:queue",
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        "*",
    ])
}

fn action_entry() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        json!("*"),
        json!("s3:*"),
        json!("s3:Get*"),
        json!("S3:getobject"),
        json!("s3:PutObject"),
        json!("s3*:*"),
        json!("*:Get*"),
        json!("sts:AssumeRole*"),
        json!("sts:TagSession"),
        json!("kms:*"),
        json!("kms:Decrypt"),
        json!("ec2:RunInstances"),
        json!("iam:*"),
        json!("sqs:*"),
        json!("s3:?etObject"),
    ])
}

fn resource_entry() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        json!("*"),
        json!("arn:aws:s3:::bucket"),
        json!("arn:aws:s3:::bucket/*"),
        json!("arn:aws:s3:::bucket/home/${aws:username}/*"),
        json!("arn:aws:s3:::bucket/home/${aws:PrincipalTag/team}/*"),
        json!("arn:aws:s3:::${aws:username}*"),
        json!("arn:aws:s3:::*"),
        json!("arn:aws:kms:*:111122223333:key/*"),
        json!("arn:aws:kms:*:*:alias/*"),
        json!("arn:aws:iam::*:role/*"),
        json!("arn:aws:sqs:*"),
        json!("arn:aws:sqs"),
        json!("arn:aws:ec2:us-east-?:111122223333:instance/*"),
        json!("arn:aws:s3:::bucket/${aws:nokey}"),
        json!("arn:aws:s3:::bucket/${bad"),
        json!("arn:aws:s3:::bucket/home/${aws:username}/doc.txt"),
    ])
}

fn principal_value() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        json!("*"),
        json!({"AWS": "*"}),
        json!({"AWS": ACCOUNT}),
        json!({"AWS": format!("arn:aws:iam::{OTHER}:root")}),
        json!({"AWS": "arn:aws:iam::111122223333:user/ana"}),
        json!({"AWS": "arn:aws:iam::111122223333:role/Deployer"}),
        json!({"AWS": "arn:aws:sts::111122223333:assumed-role/Deployer/s1"}),
        json!({"AWS": "arn:aws:iam::444455556666:user/partner"}),
        json!({"AWS": ["arn:aws:iam::111122223333:user/ana", OTHER]}),
        json!({"AWS": "AIDAEXAMPLEUNIQUEID"}),
        json!({"Service": "ec2.amazonaws.com"}),
        json!({"Federated": "cognito-identity.amazonaws.com"}),
        json!({"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}),
        json!({"AWS": "arn:aws:iam::111122223333:user/*"}),
        json!({"AWS": 5}),
        json!({}),
    ])
}

fn condition() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        json!({"StringEquals": {"aws:username": "ana"}}),
        json!({"StringEquals": {"aws:PrincipalTag/team": ["data", "ml"]}}),
        json!({"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1"]}}),
        json!({"StringLike": {"s3:prefix": ["home/${aws:username}/*", "shared/*"]}}),
        json!({"StringEqualsIgnoreCase": {"aws:username": "ANA"}}),
        json!({"StringNotLikeIfExists": {"aws:userid": "AIDA*"}}),
        json!({"ForAnyValue:StringEquals": {"aws:TagKeys": ["env", "team"]}}),
        json!({"ForAllValues:StringLike": {"aws:TagKeys": ["e*", "t*"]}}),
        json!({"ForAllValues:StringNotEquals": {"aws:TagKeys": "owner"}}),
        json!({"Bool": {"aws:SecureTransport": "true"}}),
        json!({"Bool": {"aws:MultiFactorAuthPresent": "maybe"}}),
        json!({"BoolIfExists": {"aws:MultiFactorAuthPresent": false}}),
        json!({"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}),
        json!({"NumericGreaterThanEquals": {"s3:max-keys": ".5"}}),
        json!({"NumericEquals": {"s3:max-keys": "ten"}}),
        json!({"DateGreaterThan": {"aws:CurrentTime": "2020-06-30"}}),
        json!({"DateLessThan": {"aws:CurrentTime": "2027-01-01T00:00:00Z"}}),
        json!({"DateLessThan": {"aws:EpochTime": "1700000000"}}),
        json!({"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]}}),
        json!({"NotIpAddress": {"aws:SourceIp": "198.51.100.0/22"}}),
        json!({"IpAddress": {"aws:SourceIp": "300.1.1.1/8"}}),
        json!({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/Deploy*"}}),
        json!({"ArnEquals": {"aws:SourceArn": "not-an-arn"}}),
        json!({"ArnNotLikeIfExists": {"aws:PrincipalArn": "*"}}),
        json!({"Null": {"aws:TokenIssueTime": "true"}}),
        json!({"Null": {"aws:SourceVpce": "false"}}),
        json!({"ForAnyValue:Null": {"aws:TagKeys": "true"}}),
        json!({"StringEquals": {"aws:ResourceAccount": "${aws:PrincipalAccount}"}}),
        json!({"StringEquals": {"aws:PrincipalAccount": ACCOUNT}}),
        json!({"StringEquals": {"aws:username": []}}),
        json!({"StringEqualz": {"aws:username": "ana"}}),
        json!({"NullIfExists": {"aws:username": "true"}}),
        json!({"BinaryEquals": {"aws:username": "YW5h"}}),
        json!({"NumericLessThan": {"aws:MultiFactorAuthAge": "${aws:username}"}}),
        json!({"StringEquals": "aws:username"}),
        json!({"StringEquals": {"aws:username": {"nested": 1}}}),
    ])
}

fn list_or_one(v: impl Strategy<Value = Value>) -> impl Strategy<Value = Value> {
    prop::collection::vec(v, 0..3).prop_map(|mut l| match l.len() {
        1 => l.remove(0),
        _ => Value::Array(l),
    })
}

fn statement(with_principal: bool) -> impl Strategy<Value = Value> {
    (
        prop::sample::select(vec![
            Some("Allow"),
            Some("Allow"),
            Some("Deny"),
            None,
            Some("allow"),
        ]),
        any::<bool>(),
        proptest::option::weighted(0.95, list_or_one(action_entry())),
        any::<bool>(),
        proptest::option::weighted(0.85, list_or_one(resource_entry())),
        proptest::option::weighted(0.4, prop::collection::vec(condition(), 1..3)),
        prop::sample::select(vec![0u8, 1, 2]),
        principal_value(),
        0u8..10,
    )
        .prop_map(
            move |(
                effect,
                not_action,
                action,
                not_resource,
                resource,
                conditions,
                np,
                principal,
                junk,
            )| {
                let mut s = json!({});
                if let Some(e) = effect {
                    s["Effect"] = json!(e);
                }
                if let Some(a) = action {
                    s[if not_action { "NotAction" } else { "Action" }] = a;
                }
                if let Some(r) = resource {
                    s[if not_resource {
                        "NotResource"
                    } else {
                        "Resource"
                    }] = r;
                }
                if let Some(cs) = conditions {
                    let mut block = serde_json::Map::new();
                    for c in cs {
                        match c {
                            Value::Object(m) => {
                                for (k, v) in m {
                                    block.insert(k, v);
                                }
                            }
                            other => {
                                s["Condition"] = other;
                            }
                        }
                    }
                    if s.get("Condition").is_none() {
                        s["Condition"] = Value::Object(block);
                    }
                }
                // Resource-side documents name a principal; sometimes one appears where it
                // may not, or is missing where it must be.
                if with_principal != (junk == 0) {
                    s[if np == 2 { "NotPrincipal" } else { "Principal" }] = principal;
                }
                if junk == 1 {
                    s["Action"] = json!(7);
                }
                s
            },
        )
}

fn policy(with_principal: bool) -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(statement(with_principal), 1..4),
        prop::sample::select(vec!["2012-10-17", "2012-10-17", "2008-10-17"]),
    )
        .prop_map(|(st, v)| json!({"Version": v, "Statement": st}))
}

fn maybe_list(p: impl Strategy<Value = Value>) -> impl Strategy<Value = Option<Value>> {
    proptest::option::weighted(0.5, prop::collection::vec(p, 0..3).prop_map(Value::Array))
}

fn levels(p: impl Strategy<Value = Value>) -> impl Strategy<Value = Option<Value>> {
    proptest::option::weighted(
        0.3,
        prop::collection::vec(prop::collection::vec(p, 0..2).prop_map(Value::Array), 1..3)
            .prop_map(Value::Array),
    )
}

fn context() -> impl Strategy<Value = Value> {
    (
        proptest::option::of(prop::sample::select(vec!["ana", "bob"])),
        proptest::option::of(prop::sample::select(vec![
            "203.0.113.7",
            "198.51.100.1",
            "x",
        ])),
        proptest::option::of(prop::sample::select(vec!["true", "false"])),
        proptest::option::of(prop::collection::vec(
            prop::sample::select(vec!["env", "team", "owner"]),
            0..3,
        )),
        proptest::option::of(prop::sample::select(vec!["data", "ops"])),
        proptest::option::of(prop::sample::select(vec![
            "2026-11-28T05:00:00Z",
            "2019-01-01",
            "never",
        ])),
        proptest::option::of(prop::sample::select(vec!["120", "7200", "-1"])),
    )
        .prop_map(|(user, ip, secure, tags, team, time, age)| {
            let mut c = serde_json::Map::new();
            let mut put = |k: &str, v: Option<Value>| {
                if let Some(v) = v {
                    c.insert(k.into(), v);
                }
            };
            put("aws:username", user.map(|u| json!(u)));
            put("aws:SourceIp", ip.map(|u| json!(u)));
            put("aws:SecureTransport", secure.map(|u| json!(u)));
            put("aws:TagKeys", tags.map(|t| json!(t)));
            put("aws:PrincipalTag/team", team.map(|u| json!(u)));
            put("aws:CurrentTime", time.map(|u| json!(u)));
            put("aws:MultiFactorAuthAge", age.map(|u| json!(u)));
            put("s3:prefix", Some(json!("home/ana/x")));
            Value::Object(c)
        })
}

prop_compose! {
    fn scenario()(
        principal in principal(),
        action in action(),
        resource in resource(),
        account in prop::sample::select(vec![None, Some(ACCOUNT), Some(OTHER), Some("bad")]),
        context in context(),
        identity in maybe_list(policy(false)),
        resource_policy in proptest::option::weighted(0.6, policy(true)),
        boundary in proptest::option::weighted(0.3, policy(false)),
        session in maybe_list(policy(false)),
        vpce in proptest::option::weighted(0.2, policy(true)),
        scp in levels(policy(false)),
        rcp in levels(policy(true)),
        flags in (any::<bool>(), any::<bool>(), any::<bool>()),
    ) -> Value {
        let mut policies = serde_json::Map::new();
        let mut put = |k: &str, v: Option<Value>| {
            if let Some(v) = v {
                policies.insert(k.into(), v);
            }
        };
        put("identity", identity);
        put("resource", resource_policy);
        put("permissions_boundary", boundary);
        put("session", session);
        put("vpc_endpoint", vpce);
        put("scp", scp);
        put("rcp", rcp);
        let mut request = json!({"action": action, "resource": resource, "context": context});
        if let Some(p) = principal {
            request["principal"] = json!(p);
        }
        if let Some(a) = account {
            request["resource_account"] = json!(a);
        }
        json!({"version": 1, "request": request, "policies": policies,
               "options": {"caller_is_management_account": flags.0 && flags.1,
                           "resource_in_management_account": flags.1 && flags.2,
                           "caller_has_permissions_boundary": flags.2}})
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]
    #[test]
    fn both_paths_agree_on_random_scenarios(text in scenario(), other in action()) {
        let Ok(parsed) = Scenario::parse(&text.to_string()) else {
            return Ok(());
        };
        let scenario = parsed.scenario;
        let compiled = CompiledScenario::new(&scenario);
        let explained = Verdict::of(&evaluate(&scenario));
        let fast = compiled.decide(compiled.request());
        prop_assert_eq!(fast, explained, "{}", text);
        // The same case with another action, through a sweep.
        let mut variant = scenario.clone();
        variant.request.action = other.to_string();
        let explained = Verdict::of(&evaluate(&variant));
        let fast = compiled.sweep().decide_action(other);
        prop_assert_eq!(fast, explained, "{} with {}", text, other);
    }
}

/// The generator reaches every outcome the property is about: each decision, each layer
/// blamed, and undecided results (so agreement is not only agreement on easy cases).
#[test]
fn random_scenarios_cover_every_outcome() {
    use iamtrace_engine::decision::Layer;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    use std::collections::HashSet;

    let mut runner = TestRunner::deterministic();
    let strategy = scenario();
    let (mut decisions, mut layers, mut undecided) = (HashSet::new(), HashSet::new(), 0);
    for _ in 0..3000 {
        let text = strategy.new_tree(&mut runner).expect("tree").current();
        let Ok(parsed) = Scenario::parse(&text.to_string()) else {
            continue;
        };
        let v = Verdict::of(&evaluate(&parsed.scenario));
        decisions.insert(v.decision);
        layers.extend(v.denied_by);
        undecided += usize::from(!v.is_decided());
    }
    assert_eq!(decisions.len(), 3, "{decisions:?}");
    for l in [
        Layer::Identity,
        Layer::Resource,
        Layer::PermissionsBoundary,
        Layer::Scp,
        Layer::Rcp,
        Layer::Session,
        Layer::VpcEndpoint,
    ] {
        assert!(layers.contains(&l), "no scenario blamed {l}: {layers:?}");
    }
    assert!(undecided >= 30, "{undecided} undecided scenarios");
}
