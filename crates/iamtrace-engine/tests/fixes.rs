//! Fixes and counterfactuals (`iamtrace_engine::fixes`): every denial among the conformance
//! fixtures and the gallery gets a verified first fix at a layer AWS's rules let change; SCP and
//! RCP explicit denies are outside the user's control; fixes never add a wildcard; counterfactuals
//! name the policy a decision rests on.

use iamtrace_engine::decision::{evaluate, Decision, Evaluation, Layer};
use iamtrace_engine::fixes::{counterfactuals, suggest, Change, Fix, FixKind};
use iamtrace_engine::scenario::Scenario;
use proptest::prelude::*;
use serde_json::{json, Value};

fn cases() -> Vec<(String, Scenario)> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let mut paths = Vec::new();
    for dir in ["tests/fixtures/conformance", "examples"] {
        let entries = std::fs::read_dir(format!("{root}/{dir}")).expect("fixture directory");
        paths.extend(
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json")),
        );
    }
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let name = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(p).expect("readable fixture");
            let parsed = Scenario::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, parsed.scenario)
        })
        .collect()
}

fn case(name: &str) -> Scenario {
    cases()
        .into_iter()
        .find(|(n, _)| n.starts_with(name))
        .unwrap_or_else(|| panic!("no fixture {name}"))
        .1
}

/// Applies a fix's changes to the original: must give the fix's own scenario.
fn reapply(original: &Scenario, fix: &Fix) -> Scenario {
    let mut s = original.clone();
    for c in &fix.changes {
        assert!(
            c.apply(&mut s),
            "a change of '{}' does not apply",
            fix.summary
        );
    }
    s
}

/// Which layers take part in the fixed evaluation: a fix may only change those, and never an
/// organization policy unless it says it is outside the user's control.
fn check_layers(name: &str, fix: &Fix, fixed: &Evaluation) {
    for c in &fix.changes {
        let Some(at) = c.policy() else { continue };
        if fix.kind != FixKind::OutsideControl {
            assert!(
                !matches!(at.layer, Layer::Scp | Layer::Rcp),
                "{name}: '{}' edits an organization policy the user does not control",
                fix.summary
            );
        }
        let report = fixed
            .policies
            .iter()
            .find(|p| p.layer == at.layer && p.level == at.level && p.index == at.index)
            .unwrap_or_else(|| panic!("{name}: changed policy {} not evaluated", at.place()));
        assert!(
            report.participates,
            "{name}: '{}' changes {}, which does not take part in this request",
            fix.summary,
            at.place()
        );
    }
}

#[test]
fn every_denial_gets_a_verified_first_fix_at_a_layer_aws_lets_change() {
    let mut denials = 0;
    let mut fixes_found = 0;
    let mut table = Vec::new();
    for (name, scenario) in cases() {
        let eval = evaluate(&scenario);
        if eval.decision == Decision::Allowed {
            assert!(
                suggest(&scenario).fixes.is_empty(),
                "{name}: allowed, yet fixes"
            );
            continue;
        }
        denials += 1;
        let s = suggest(&scenario);
        assert!(!s.fixes.is_empty(), "{name}: no fix: {:?}", s.notes);
        fixes_found += s.fixes.len();
        for fix in &s.fixes {
            let fixed = reapply(&scenario, fix);
            let e = evaluate(&fixed);
            assert_eq!(
                e.decision,
                Decision::Allowed,
                "{name}: '{}' is not verified",
                fix.summary
            );
            assert!(e.undecided.is_none(), "{name}: '{}' undecided", fix.summary);
            check_layers(&name, fix, &e);
            match fix.kind {
                FixKind::OutsideControl => assert!(fix.scenario.is_none()),
                _ => assert_eq!(fix.scenario.as_ref(), Some(&fixed), "{name}"),
            }
            assert!(
                !fix.diff.is_empty(),
                "{name}: '{}' has no diff",
                fix.summary
            );
        }
        let first = &s.fixes[0];
        table.push(format!(
            "{name}: {} candidates, {} verified fixes, first {} at {}",
            s.candidates,
            s.fixes.len(),
            first.kind.name(),
            first.layer
        ));
    }
    println!("{}", table.join("\n"));
    println!("{denials} denials, {fixes_found} verified fixes");
    assert!(denials >= 50, "only {denials} denials among the fixtures");
}

#[test]
fn scp_and_rcp_explicit_denies_are_outside_the_users_control() {
    let mut seen = 0;
    for (name, scenario) in cases() {
        let eval = evaluate(&scenario);
        let Some(deny) = eval.gates.first().filter(|g| !g.deciding.is_empty()) else {
            continue;
        };
        let org: Vec<_> = deny
            .deciding
            .iter()
            .filter(|d| matches!(d.layer, Layer::Scp | Layer::Rcp))
            .collect();
        if org.is_empty() {
            continue;
        }
        seen += 1;
        let s = suggest(&scenario);
        let outside: Vec<&Fix> = s
            .fixes
            .iter()
            .filter(|f| f.kind == FixKind::OutsideControl)
            .collect();
        assert!(!outside.is_empty(), "{name}: no outside_control fix");
        for f in outside {
            let o = f.organization.as_ref().expect("organization details");
            assert!(
                ["organization root", "OU", "account"].contains(&o.level_name.as_str()),
                "{name}: level {}",
                o.level_name
            );
            assert!(
                org.iter().any(|d| Some(&d.label) == o.statement.as_ref()),
                "{name}: names statement {:?}",
                o.statement
            );
            assert!(f.summary.contains("organization's administrators"));
        }
    }
    assert!(seen >= 5, "only {seen} SCP/RCP explicit denies");
}

#[test]
fn the_scp_region_deny_names_its_level_and_the_exemption_it_documents() {
    let s = suggest(&case("06-scp-region-deny"));
    let f = &s.fixes[0];
    assert_eq!(f.kind, FixKind::OutsideControl);
    assert_eq!(f.layer, Layer::Scp);
    assert_eq!(f.policy.level, Some(1));
    assert_eq!(f.policy.index, 1);
    let o = f.organization.as_ref().expect("organization");
    assert_eq!(o.level_name, "OU");
    assert_eq!(o.policy_name.as_deref(), Some("DenyAllOutsideEU"));
    assert!(
        o.exemptions
            .iter()
            .any(|e| e.contains("Role1AllowedToBypassThisSCP")),
        "{:?}",
        o.exemptions
    );
    assert!(f.diff.contains("+++ b/policies.scp[1][1]"), "{}", f.diff);
}

#[test]
fn the_rcp_requiring_tls_is_fixed_by_sending_over_tls_first() {
    let s = suggest(&case("044-rcp-explicit-deny-no-tls"));
    let f = &s.fixes[0];
    assert_eq!(f.kind, FixKind::AddContext);
    let Change::Context { keys } = &f.changes[0] else {
        panic!("not a context change");
    };
    assert!(keys[0].0.eq_ignore_ascii_case("aws:SecureTransport"));
    assert_eq!(keys[0].2, Some(json!(true)));
    assert!(s.fixes.iter().any(|f| f.kind == FixKind::OutsideControl));
}

#[test]
fn a_key_policy_without_the_account_is_delegated_to_iam() {
    let s = suggest(&case("053-kms-no-account-statement"));
    let f = &s.fixes[0];
    assert_eq!((f.kind, f.layer), (FixKind::AddStatement, Layer::Resource));
    assert!(f.diff.contains("\"Sid\": \"Enable IAM User Permissions\""));
    assert!(f.diff.contains("arn:aws:iam::111122223333:root"));
    // Only the request's action, not the default policy's kms:*.
    assert!(
        f.diff.contains("+      \"Action\": \"kms:Decrypt\""),
        "{}",
        f.diff
    );
}

#[test]
fn the_statement_that_nearly_applied_is_edited_first() {
    let s = suggest(&case("007-cross-account-resource-policy-lacks-action"));
    let f = &s.fixes[0];
    assert_eq!((f.kind, f.layer), (FixKind::EditStatement, Layer::Resource));
    assert!(f.summary.contains("s3:DeleteObject"));
    assert!(f.summary.contains("'CarlosObjects'"));
    assert!(
        f.summary
            .contains("the resource owner's side (account 222222222222) is missing"),
        "{}",
        f.summary
    );
}

#[test]
fn a_trust_policy_names_the_other_accounts_caller() {
    let s = suggest(&case("03-cross-account-assume-role-resource-side-denied"));
    let f = &s.fixes[0];
    assert_eq!(f.layer, Layer::Resource);
    assert!(f.diff.contains("arn:aws:iam::444455556666:user/Richard"));
    assert!(f.summary.contains("resource owner's side"));
    let s = suggest(&case("02-cross-account-assume-role-caller-side-denied"));
    assert_eq!(s.fixes[0].layer, Layer::Identity);
    assert!(s.fixes[0]
        .summary
        .contains("the caller's side (account 444455556666)"));
}

#[test]
fn both_missing_sides_of_a_cross_account_request_are_one_fix() {
    let s = suggest(&case("005-cross-account-identity-explicit-deny"));
    let f = &s.fixes[0];
    assert!(
        f.summary.contains("both sides are missing"),
        "{}",
        f.summary
    );
    let layers: Vec<Layer> = f
        .changes
        .iter()
        .filter_map(|c| c.policy())
        .map(|p| p.layer)
        .collect();
    assert!(layers.contains(&Layer::Identity) && layers.contains(&Layer::Resource));
}

#[test]
fn a_statement_granting_every_s3_action_is_not_widened_to_a_new_resource() {
    // OwnBucket allows s3:* on the user's bucket: adding the log object to it would grant s3:*
    // there. The fix adds a statement for s3:PutObject alone.
    let s = suggest(&case("001-same-account-identity-explicit-deny"));
    assert!(!s.fixes.is_empty());
    for f in &s.fixes {
        assert!(
            !f.summary.contains("to statement 'OwnBucket'"),
            "{}",
            f.summary
        );
        assert!(
            f.diff.contains("+      \"Action\": \"s3:PutObject\""),
            "{}",
            f.diff
        );
    }
}

#[test]
fn a_missing_mfa_age_is_a_context_fix() {
    let s = suggest(&case("074-mfa-age-absent"));
    let f = &s.fixes[0];
    assert_eq!(f.kind, FixKind::AddContext);
    assert!(f.summary.contains("MFA"), "{}", f.summary);
    assert!(f.diff.contains("aws:MultiFactorAuthAge"), "{}", f.diff);
}

#[test]
fn counterfactuals_name_the_scp_a_denial_rests_on() {
    let c = counterfactuals(&case("06-scp-region-deny"));
    assert_eq!(c.decision, Decision::ExplicitDeny);
    let summaries: Vec<&str> = c.flips.iter().map(|f| f.summary.as_str()).collect();
    assert!(
        summaries.contains(&"allowed but for the SCP DenyAllOutsideEU at the OU (level 2 of 3)"),
        "{summaries:?}"
    );
    assert!(summaries.contains(&"allowed but for the SCPs (outside an organization)"));
    // The identity policy is not what denies: taking it away does not allow.
    assert!(c.flips.iter().all(|f| f.layer != Layer::Identity));
}

#[test]
fn grants_say_which_statement_still_grants_without_another() {
    // Same account: the identity policy and the bucket policy naming the user each allow.
    let c = counterfactuals(&case("002-same-account-identity-and-resource-allow"));
    assert_eq!(c.decision, Decision::Allowed);
    let resource = c
        .grants
        .iter()
        .find(|g| g.policy.layer == Layer::Resource)
        .expect("the bucket policy grants");
    assert_eq!(resource.label, "OnlyCarlos");
    assert!(resource.still_allowed_without);
    // With a boundary, both the identity policy and the boundary are needed.
    let c = counterfactuals(&case("014-boundary-and-identity-intersection-allows"));
    assert!(!c.grants.is_empty());
    assert!(
        c.grants.iter().all(|g| !g.still_allowed_without),
        "{:?}",
        c.grants
    );
    // Without the identity policy it is denied; without the boundary the identity policy alone
    // decides, and still allows.
    let layers: Vec<Layer> = c.flips.iter().map(|f| f.layer).collect();
    assert!(layers.contains(&Layer::Identity), "{:?}", c.flips);
    assert!(
        !layers.contains(&Layer::PermissionsBoundary),
        "{:?}",
        c.flips
    );
}

// ----- Least privilege, over random cases -----

/// Every `*`-bearing entry of the elements a fix could widen, with its element name.
fn wildcards(doc: &Value, out: &mut Vec<String>) {
    let statements = match doc.get("Statement") {
        Some(Value::Array(a)) => a.clone(),
        Some(o @ Value::Object(_)) => vec![o.clone()],
        _ => Vec::new(),
    };
    for st in statements {
        for el in [
            "Action",
            "NotAction",
            "Resource",
            "NotResource",
            "Principal",
        ] {
            let mut stack = vec![st.get(el).cloned().unwrap_or(Value::Null)];
            while let Some(v) = stack.pop() {
                match v {
                    Value::String(s) if s.contains('*') => out.push(format!("{el}={s}")),
                    Value::Array(a) => stack.extend(a),
                    Value::Object(o) => stack.extend(o.into_iter().map(|(_, v)| v)),
                    _ => {}
                }
            }
        }
    }
}

fn statement_strategy(principal: bool) -> impl Strategy<Value = Value> {
    let actions = prop::sample::select(vec![
        "s3:GetObject",
        "s3:PutObject",
        "s3:Get*",
        "s3:*",
        "ec2:RunInstances",
        "*",
    ]);
    let resources = prop::sample::select(vec![
        "arn:aws:s3:::amzn-s3-demo-bucket/*",
        "arn:aws:s3:::amzn-s3-demo-bucket/report.csv",
        "arn:aws:s3:::other-bucket/*",
        "*",
    ]);
    let principals = prop::sample::select(vec![
        "arn:aws:iam::111122223333:user/alice",
        "arn:aws:iam::111122223333:user/bob",
        "arn:aws:iam::111122223333:root",
        "arn:aws:iam::444455556666:root",
    ]);
    (
        prop::bool::weighted(0.2),
        prop::collection::vec(actions, 1..3),
        prop::collection::vec(resources, 1..3),
        principals,
    )
        .prop_map(move |(deny, a, r, p)| {
            let mut st = json!({
                "Effect": if deny { "Deny" } else { "Allow" },
                "Action": a,
                "Resource": r,
            });
            if principal {
                st["Principal"] = json!({"AWS": p});
            }
            st
        })
}

fn scenario_strategy() -> impl Strategy<Value = Scenario> {
    (
        prop::sample::select(vec![
            "arn:aws:iam::111122223333:user/alice",
            "arn:aws:sts::111122223333:assumed-role/Reader/s1",
        ]),
        prop::sample::select(vec!["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]),
        prop::sample::select(vec!["111122223333", "444455556666"]),
        prop::collection::vec(statement_strategy(false), 0..4),
        prop::option::of(prop::collection::vec(statement_strategy(false), 1..3)),
        prop::option::of(prop::collection::vec(statement_strategy(true), 1..3)),
    )
        .prop_map(|(principal, action, owner, identity, boundary, resource)| {
            let doc = |sts: Vec<Value>| json!({"Version": "2012-10-17", "Statement": sts});
            let mut policies = json!({"identity": [doc(identity)]});
            if let Some(b) = boundary {
                policies["permissions_boundary"] = doc(b);
            }
            if let Some(r) = resource {
                policies["resource"] = doc(r);
            }
            let file = json!({
                "request": {
                    "principal": principal,
                    "action": action,
                    "resource": "arn:aws:s3:::amzn-s3-demo-bucket/report.csv",
                    "resource_account": owner,
                },
                "policies": policies,
            });
            Scenario::parse(&file.to_string())
                .expect("generated scenario")
                .scenario
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn a_fix_never_adds_a_wildcard_that_was_not_there(s in scenario_strategy()) {
        let suggestions = suggest(&s);
        for fix in &suggestions.fixes {
            for c in &fix.changes {
                let Change::Policy { before, after, .. } = c else { continue };
                let mut old = Vec::new();
                if let Some(b) = before {
                    wildcards(b, &mut old);
                }
                let mut new = Vec::new();
                wildcards(after, &mut new);
                for w in &new {
                    let had = old.iter().filter(|o| *o == w).count();
                    let has = new.iter().filter(|n| *n == w).count();
                    prop_assert!(has <= had, "'{}' adds {w}: {}", fix.summary, fix.diff);
                }
            }
            if let Some(fixed) = &fix.scenario {
                prop_assert_eq!(evaluate(fixed).decision, Decision::Allowed);
            }
        }
    }
}
