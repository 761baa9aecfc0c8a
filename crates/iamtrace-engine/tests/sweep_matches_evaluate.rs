//! A sweep ("what can this principal do here?") says for each action what evaluating that one
//! request through `decision::evaluate` says: the same decision, blamed layer and bounds, on
//! every conformance fixture and gallery example (the service of its own action), on the whole
//! catalog for gallery cases, and on random scenarios.

use iamtrace_engine::compiled::Verdict;
use iamtrace_engine::decision::{evaluate, Decision};
use iamtrace_engine::scenario::Scenario;
use iamtrace_engine::sweep::{scenario_for, sweep, ActionSweep, Outcome, Scope};
use proptest::prelude::*;
use serde_json::{json, Value};

fn scenarios_in(dir: &str) -> Vec<(String, Scenario)> {
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
            let name = p.file_name().unwrap_or_default().to_string_lossy().into();
            (name, Scenario::parse(&text).expect("scenario").scenario)
        })
        .collect()
}

fn root() -> &'static str {
    env!("CARGO_MANIFEST_DIR")
}

/// Every `step`-th decided row of the sweep agrees with `evaluate` on the row's own case;
/// returns how many rows were compared.
fn check(name: &str, scenario: &Scenario, swept: &ActionSweep, step: usize) -> usize {
    let mut compared = 0;
    for row in swept
        .actions
        .iter()
        .filter(|r| r.scope != Scope::OtherResourceTypes)
        .step_by(step)
    {
        let single = scenario_for(scenario, &row.action, row.scope).expect("decided row");
        let explained = Verdict::of(&evaluate(&single));
        let expected_outcome = if explained.undecided.is_some() {
            Outcome::Undecided
        } else {
            match explained.decision {
                Decision::Allowed => Outcome::Allowed,
                Decision::ExplicitDeny => Outcome::ExplicitDeny,
                Decision::ImplicitDeny => Outcome::ImplicitDeny,
            }
        };
        let expected_layer = match &explained.undecided {
            Some(b) => b.most_restrictive.denied_by,
            None => explained.denied_by,
        };
        assert_eq!(
            (row.decision, row.denied_by, row.undecided),
            (expected_outcome, expected_layer, explained.undecided),
            "{name}: {} on {:?}",
            row.action,
            row.resource
        );
        compared += 1;
    }
    compared
}

#[test]
fn every_fixture_and_example_agrees_on_the_service_of_its_action() {
    let mut all = scenarios_in(&format!("{}/../../tests/fixtures/conformance", root()));
    all.extend(scenarios_in(&format!("{}/../../examples", root())));
    assert!(all.len() >= 90, "{} cases", all.len());
    let (mut compared, mut outcomes) = (0, std::collections::HashSet::new());
    for (name, scenario) in &all {
        let service = scenario.request.action.split(':').next().unwrap_or("");
        let Ok(swept) = sweep(scenario, Some(service)) else {
            continue; // a service the catalog does not know (a deliberate typo in a fixture)
        };
        compared += check(name, scenario, &swept, 1);
        outcomes.extend(swept.actions.iter().map(|r| r.decision));
    }
    assert!(compared > 5000, "{compared} rows compared");
    for o in [
        Outcome::Allowed,
        Outcome::ExplicitDeny,
        Outcome::ImplicitDeny,
        Outcome::NotApplicable,
    ] {
        assert!(outcomes.contains(&o), "no fixture gave {o:?}");
    }
}

#[test]
fn gallery_cases_agree_across_the_whole_catalog() {
    let examples = scenarios_in(&format!("{}/../../examples", root()));
    let mut compared = 0;
    for (name, scenario) in examples.iter().take(4) {
        let swept = sweep(scenario, None).expect("whole catalog");
        assert!(swept.actions.len() > 20_000);
        compared += check(name, scenario, &swept, 17);
    }
    assert!(compared > 1000, "{compared} rows compared");
}

// ---- random scenarios ----

fn action_entry() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        json!("*"),
        json!("s3:*"),
        json!("s3:Get*"),
        json!("s3:List*"),
        json!("s3:PutObject"),
        json!("s3:ListAllMyBuckets"),
        json!("*:Describe*"),
        json!("kms:*"),
        json!("kms:Decrypt"),
        json!("kms:List*"),
        json!("sts:AssumeRole"),
        json!("iam:*"),
        json!("iam:PassRole"),
        json!("sqs:*"),
    ])
}

fn resource_entry() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        json!("*"),
        json!("arn:aws:s3:::bucket"),
        json!("arn:aws:s3:::bucket/*"),
        json!("arn:aws:s3:::bucket/home/${aws:username}/*"),
        json!("arn:aws:kms:*:111122223333:key/*"),
        json!("arn:aws:kms:*:*:alias/*"),
        json!("arn:aws:iam::*:role/*"),
        json!("arn:aws:sqs:*"),
    ])
}

fn principal_value() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        json!("*"),
        json!({"AWS": "111122223333"}),
        json!({"AWS": "arn:aws:iam::444455556666:root"}),
        json!({"AWS": "arn:aws:iam::111122223333:user/ana"}),
        json!({"AWS": "arn:aws:iam::444455556666:user/partner"}),
        json!({"Service": "ec2.amazonaws.com"}),
    ])
}

fn condition() -> impl Strategy<Value = Option<Value>> {
    proptest::option::weighted(
        0.4,
        prop::sample::select(vec![
            json!({"StringEquals": {"aws:username": "ana"}}),
            json!({"StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}}),
            json!({"Bool": {"aws:SecureTransport": "false"}}),
            json!({"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}),
            json!({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}),
            json!({"StringLike": {"s3:prefix": "home/*"}}),
            json!({"StringEquals": {"aws:ResourceAccount": "${aws:PrincipalAccount}"}}),
            json!({"StringEqualz": {"aws:username": "ana"}}),
            json!({"NumericLessThan": {"aws:MultiFactorAuthAge": "ten"}}),
        ]),
    )
}

fn statement(with_principal: bool) -> impl Strategy<Value = Value> {
    (
        prop::sample::select(vec!["Allow", "Allow", "Deny"]),
        any::<bool>(),
        prop::collection::vec(action_entry(), 1..3),
        prop::collection::vec(resource_entry(), 1..3),
        condition(),
        principal_value(),
    )
        .prop_map(
            move |(effect, not_action, actions, resources, condition, principal)| {
                let mut s = json!({"Effect": effect, "Resource": resources});
                s[if not_action { "NotAction" } else { "Action" }] = json!(actions);
                if let Some(c) = condition {
                    s["Condition"] = c;
                }
                if with_principal {
                    s["Principal"] = principal;
                }
                s
            },
        )
}

fn policy(with_principal: bool) -> impl Strategy<Value = Value> {
    prop::collection::vec(statement(with_principal), 1..4)
        .prop_map(|st| json!({"Version": "2012-10-17", "Statement": st}))
}

prop_compose! {
    fn case()(
        principal in prop::sample::select(vec![
            "arn:aws:iam::111122223333:user/ana",
            "arn:aws:sts::111122223333:assumed-role/Deployer/s1",
            "arn:aws:iam::444455556666:user/partner",
            "arn:aws:iam::111122223333:root",
        ]),
        resource in prop::sample::select(vec![
            ("s3", "arn:aws:s3:::bucket/home/ana/doc.txt"),
            ("s3", "arn:aws:s3:::bucket"),
            ("kms", "arn:aws:kms:us-east-1:111122223333:key/1234abcd"),
            ("kms", "arn:aws:kms:us-east-1:444455556666:alias/app"),
            ("iam", "arn:aws:iam::111122223333:role/Deployer"),
            ("sts", "arn:aws:iam::444455556666:role/Shared"),
            ("sqs", "arn:aws:sqs:eu-west-1:444455556666:queue"),
        ]),
        account in prop::sample::select(vec![None, Some("111122223333"), Some("444455556666")]),
        identity in proptest::option::weighted(0.9, prop::collection::vec(policy(false), 1..3)),
        resource_policy in proptest::option::weighted(0.6, policy(true)),
        boundary in proptest::option::weighted(0.3, policy(false)),
        scp in proptest::option::weighted(0.3, policy(false)),
        rcp in proptest::option::weighted(0.3, policy(true)),
        context in prop::sample::select(vec![
            json!({}),
            json!({"aws:username": "ana", "aws:SecureTransport": true}),
            json!({"aws:SourceIp": "203.0.113.7", "aws:RequestedRegion": "eu-west-1"}),
        ]),
    ) -> (String, Value) {
        let mut policies = serde_json::Map::new();
        let mut put = |k: &str, v: Option<Value>| {
            if let Some(v) = v {
                policies.insert(k.into(), v);
            }
        };
        put("identity", identity.map(Value::from));
        put("resource", resource_policy);
        put("permissions_boundary", boundary);
        put("scp", scp.map(|p| json!([[{"Version": "2012-10-17", "Statement":
            [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}], [p]])));
        put("rcp", rcp.map(|p| json!([[p]])));
        let (service, resource) = resource;
        let mut request = json!({"principal": principal, "action": format!("{service}:Placeholder"),
                                 "resource": resource, "context": context});
        if let Some(a) = account {
            request["resource_account"] = json!(a);
        }
        (service.to_string(), json!({"version": 1, "request": request, "policies": policies}))
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn random_cases_agree_on_every_action_of_the_service((service, text) in case()) {
        let scenario = Scenario::parse(&text.to_string()).expect("scenario").scenario;
        let swept = sweep(&scenario, Some(&service)).expect("sweep");
        prop_assert!(swept.counts.total > 10);
        check(&text.to_string(), &scenario, &swept, 1);
    }
}

/// The random cases reach every outcome and every layer they can blame, so that agreement is
/// not only agreement on easy cases.
#[test]
fn random_cases_cover_every_outcome() {
    use iamtrace_engine::decision::Layer;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    use std::collections::HashSet;

    let mut runner = TestRunner::deterministic();
    let strategy = case();
    let (mut outcomes, mut layers) = (HashSet::new(), HashSet::new());
    for _ in 0..200 {
        let (service, text) = strategy.new_tree(&mut runner).expect("tree").current();
        let scenario = Scenario::parse(&text.to_string())
            .expect("scenario")
            .scenario;
        let swept = sweep(&scenario, Some(&service)).expect("sweep");
        outcomes.extend(swept.actions.iter().map(|r| r.decision));
        layers.extend(swept.actions.iter().filter_map(|r| r.denied_by));
    }
    assert_eq!(outcomes.len(), 5, "{outcomes:?}");
    for l in [
        Layer::Identity,
        Layer::Resource,
        Layer::PermissionsBoundary,
        Layer::Scp,
        Layer::Rcp,
    ] {
        assert!(layers.contains(&l), "no action denied by {l}: {layers:?}");
    }
}
