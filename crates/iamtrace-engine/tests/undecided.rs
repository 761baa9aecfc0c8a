//! Statements that cannot be evaluated (an unknown condition operator such as `StringEqualz`)
//! are neither applied nor dropped: when one could change the decision the evaluation is
//! undecided and gives both possible results, and no gate claims more than was decided.
//!
//! AWS: a condition operator AWS does not know makes the policy invalid
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>),
//! so iamtrace cannot know what AWS would do with the statement.

use iamtrace_engine::decision::{evaluate, Decision, Evaluation, GateKind, GateOutcome, Layer};
use iamtrace_engine::scenario::Scenario;
use serde_json::{json, Value};

const USER: &str = "arn:aws:iam::111122223333:user/jane";
const OBJ: &str = "arn:aws:s3:::bucket/key";

fn run(policies: Value, options: Value) -> Evaluation {
    let s = json!({"version": 1,
        "request": {"principal": USER, "action": "s3:GetObject", "resource": OBJ,
                    "resource_account": "111122223333"},
        "policies": policies, "options": options});
    let scenario = Scenario::parse(&s.to_string())
        .expect("valid scenario")
        .scenario;
    evaluate(&scenario)
}

fn allow_all() -> Value {
    json!({"Sid": "AllowS3", "Effect": "Allow", "Action": "s3:*", "Resource": "*"})
}

fn unknown_op(sid: &str, effect: &str) -> Value {
    json!({"Sid": sid, "Effect": effect, "Action": "s3:GetObject", "Resource": "*",
           "Condition": {"StringEqualz": {"aws:username": "jane"}}})
}

fn policy(statements: Vec<Value>) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

fn gate(e: &Evaluation, kind: GateKind) -> &iamtrace_engine::decision::Gate {
    e.gates
        .iter()
        .find(|g| g.kind == kind)
        .expect("the gate is there")
}

#[test]
fn unknown_operator_deny_on_an_allowed_request_is_undecided() {
    let e = run(
        json!({"identity": [policy(vec![allow_all(), unknown_op("DenyJane", "Deny")])]}),
        json!({}),
    );
    let u = e
        .undecided
        .as_ref()
        .expect("the Deny could change the decision");
    assert_eq!(u.most_permissive.decision, Decision::Allowed);
    assert_eq!(u.most_restrictive.decision, Decision::ExplicitDeny);
    assert_eq!(u.most_restrictive.denied_by, Some(Layer::Identity));
    assert!(
        u.summary.starts_with(
            "undecided: allowed unless Deny statement 'DenyJane' in identity-based policy 1"
        ),
        "{}",
        u.summary
    );
    assert!(u.summary.contains("StringEqualz"), "{}", u.summary);
    assert!(
        u.summary
            .ends_with("then explicitly denied by the identity-based policy"),
        "{}",
        u.summary
    );
    assert_eq!(e.unknown_statements.len(), 1);
    let s = &e.unknown_statements[u.statements[0]];
    assert_eq!((s.layer, s.index, s.statement), (Layer::Identity, 0, 1));
    assert_eq!(s.label, "DenyJane");
    assert!(s.could_change_decision);
    assert!(s.reasons.iter().any(|r| r.contains("StringEqualz")));

    let g = gate(&e, GateKind::ExplicitDeny);
    assert_eq!(g.outcome, GateOutcome::Unknown);
    assert!(
        g.reason
            .starts_with("no Deny statement applies for certain"),
        "{}",
        g.reason
    );
    assert!(!g.reason.contains("no applicable Deny"), "{}", g.reason);
    assert!(g.reason.contains("'DenyJane'"), "{}", g.reason);
}

#[test]
fn unknown_operator_allow_on_an_implicitly_denied_request_is_undecided() {
    let e = run(
        json!({"identity": [policy(vec![unknown_op("AllowJane", "Allow")])]}),
        json!({}),
    );
    assert_eq!(
        (e.decision, e.denied_by),
        (Decision::ImplicitDeny, Some(Layer::Identity))
    );
    let u = e
        .undecided
        .as_ref()
        .expect("the Allow could change the decision");
    assert_eq!(u.most_permissive.decision, Decision::Allowed);
    assert_eq!(u.most_restrictive.decision, Decision::ImplicitDeny);
    assert!(
        u.summary.starts_with(
            "undecided: implicitly denied by the identity-based policy unless Allow statement 'AllowJane'"
        ),
        "{}",
        u.summary
    );
    assert!(u.summary.ends_with("then allowed"), "{}", u.summary);
    let g = gate(&e, GateKind::Identity);
    assert_eq!(g.outcome, GateOutcome::Unknown);
    assert!(g.reason.contains("then the gate passes"), "{}", g.reason);
    // The explicit-deny gate is certain: no Deny at all.
    assert_eq!(
        gate(&e, GateKind::ExplicitDeny).outcome,
        GateOutcome::Passed
    );
}

#[test]
fn unknown_allow_under_a_certain_explicit_deny_leaves_the_decision_certain() {
    let deny = json!({"Sid": "DenyAll", "Effect": "Deny", "Action": "s3:*", "Resource": "*"});
    let e = run(
        json!({"identity": [policy(vec![deny, unknown_op("AllowJane", "Allow")])]}),
        json!({}),
    );
    assert_eq!(
        (e.decision, e.denied_by),
        (Decision::ExplicitDeny, Some(Layer::Identity))
    );
    assert!(e.undecided.is_none(), "{:?}", e.undecided);
    assert_eq!(e.unknown_statements.len(), 1);
    assert_eq!(e.unknown_statements[0].label, "AllowJane");
    assert!(!e.unknown_statements[0].could_change_decision);
    assert_eq!(
        gate(&e, GateKind::ExplicitDeny).outcome,
        GateOutcome::Failed
    );
    // The identity gate itself would pass if the Allow applied: it says so.
    let g = gate(&e, GateKind::Identity);
    assert_eq!(g.outcome, GateOutcome::Unknown);
    assert!(g.reason.contains("'AllowJane'"), "{}", g.reason);
}

#[test]
fn unknown_allow_in_an_scp_level_leaves_that_level_undecided() {
    let scp_ok = policy(vec![
        json!({"Effect": "Allow", "Action": "*", "Resource": "*"}),
    ]);
    let scp_unknown = policy(vec![unknown_op("MaybeS3", "Allow")]);
    let e = run(
        json!({"identity": [policy(vec![allow_all()])], "scp": [[scp_ok], [scp_unknown]]}),
        json!({}),
    );
    assert_eq!(
        (e.decision, e.denied_by),
        (Decision::ImplicitDeny, Some(Layer::Scp))
    );
    let u = e.undecided.as_ref().expect("undecided");
    assert_eq!(u.most_permissive.decision, Decision::Allowed);
    assert!(
        u.summary.contains("at organization level 2"),
        "{}",
        u.summary
    );
    let levels: Vec<GateOutcome> = e
        .gates
        .iter()
        .filter(|g| g.kind == GateKind::Scp)
        .map(|g| g.outcome)
        .collect();
    assert_eq!(levels, vec![GateOutcome::Passed, GateOutcome::Unknown]);
}

#[test]
fn unknown_deny_and_unknown_allow_give_both_extremes() {
    let e = run(
        json!({"identity": [policy(vec![unknown_op("MaybeAllow", "Allow"), unknown_op("MaybeDeny", "Deny")])]}),
        json!({}),
    );
    let u = e.undecided.as_ref().expect("undecided");
    assert_eq!(u.most_permissive.decision, Decision::Allowed);
    assert_eq!(u.most_restrictive.decision, Decision::ExplicitDeny);
    assert_eq!(u.statements.len(), 2);
    assert!(
        u.summary
            .starts_with("undecided: allowed if the statements that could not be evaluated allow, explicitly denied by the identity-based policy if they deny"),
        "{}",
        u.summary
    );
}

#[test]
fn unknown_statement_in_a_policy_that_does_not_take_part_is_not_listed() {
    // SCPs do not restrict the management account: its SCP statements play no part.
    let e = run(
        json!({"identity": [policy(vec![allow_all()])],
               "scp": [[policy(vec![unknown_op("MaybeDeny", "Deny")])]]}),
        json!({"caller_is_management_account": true}),
    );
    assert_eq!(e.decision, Decision::Allowed);
    assert!(e.undecided.is_none());
    assert!(e.unknown_statements.is_empty());
    assert_eq!(
        gate(&e, GateKind::ExplicitDeny).outcome,
        GateOutcome::Passed
    );
}

#[test]
fn a_statement_that_fails_its_action_test_is_not_unknown() {
    let other = json!({"Effect": "Deny", "Action": "ec2:*", "Resource": "*",
                       "Condition": {"StringEqualz": {"aws:username": "jane"}}});
    let e = run(
        json!({"identity": [policy(vec![allow_all(), other])]}),
        json!({}),
    );
    assert_eq!(e.decision, Decision::Allowed);
    assert!(e.undecided.is_none());
    assert!(e.unknown_statements.is_empty());
}

#[test]
fn an_undecided_reproduction_does_not_agree_with_aws() {
    let s = json!({"version": 1,
        "request": {"principal": USER, "action": "s3:GetObject", "resource": OBJ,
                    "resource_account": "111122223333"},
        "policies": {"identity": [policy(vec![allow_all(), unknown_op("DenyJane", "Deny")])]},
        "observed": {"source": "error_text", "decision": "explicit_deny", "layer": "identity",
                     "message": "User: arn:aws:iam::111122223333:user/jane is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::bucket/key with an explicit deny in an identity-based policy"}});
    let scenario = Scenario::parse(&s.to_string())
        .expect("valid scenario")
        .scenario;
    let e = evaluate(&scenario);
    let a = iamtrace_engine::imports::scenario_agreement(&scenario, &e)
        .expect("a claim")
        .expect("readable claim");
    assert!(!a.agrees, "{a:?}");
    let d = a
        .checks
        .iter()
        .find(|c| c.what == "decision")
        .expect("decision check");
    assert_eq!(d.iamtrace, "undecided (allowed or explicit_deny)");
    assert!(
        a.summary.contains("could not evaluate") && a.summary.contains("DenyJane"),
        "{}",
        a.summary
    );
}
