//! The decision rules one by one: each row of the same-account table (rules §1.4),
//! cross-account (§1.5), SCPs (§1.6), RCPs (§1.7), session principals (§1.8), root, anonymous,
//! service principals and special actions (§1.9), KMS (§2.1), role trust policies (§2.2),
//! VPC endpoints (§2.4), context derivation (§4.7) and the AWS message (§6).

use iamtrace_engine::decision::{evaluate, Decision, Evaluation, GateOutcome, Layer};
use iamtrace_engine::request::KeySource;
use iamtrace_engine::scenario::Scenario;
use serde_json::{json, Value};

const A: &str = "111122223333";
const B: &str = "444455556666";
const USER: &str = "arn:aws:iam::111122223333:user/jane";
const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/app/s1";
const ROLE: &str = "arn:aws:iam::111122223333:role/app";
const FED: &str = "arn:aws:sts::111122223333:federated-user/fred";
const ROOT: &str = "arn:aws:iam::111122223333:root";
const OBJ: &str = "arn:aws:s3:::bucket/key";

fn allow(action: &str) -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]})
}

fn deny(action: &str) -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": action, "Resource": "*"}]})
}

fn rbp(effect: &str, principal: Value, action: &str) -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": effect, "Principal": principal, "Action": action, "Resource": "*"}]})
}

fn aws(p: &str) -> Value {
    json!({"AWS": p})
}

fn run(
    principal: Option<&str>,
    action: &str,
    resource: &str,
    account: Option<&str>,
    policies: Value,
) -> Evaluation {
    run_with(
        principal,
        action,
        resource,
        account,
        policies,
        json!({}),
        json!({}),
    )
}

fn run_with(
    principal: Option<&str>,
    action: &str,
    resource: &str,
    account: Option<&str>,
    policies: Value,
    context: Value,
    options: Value,
) -> Evaluation {
    let mut request =
        json!({"principal": principal, "action": action, "resource": resource, "context": context});
    if let Some(a) = account {
        request["resource_account"] = json!(a);
    }
    let s = json!({"version": 1, "request": request, "policies": policies, "options": options});
    let scenario = Scenario::parse(&s.to_string())
        .expect("valid scenario")
        .scenario;
    evaluate(&scenario)
}

fn verdict(e: &Evaluation) -> (Decision, Option<Layer>) {
    (e.decision, e.denied_by)
}

const OK: (Decision, Option<Layer>) = (Decision::Allowed, None);
fn implicit(l: Layer) -> (Decision, Option<Layer>) {
    (Decision::ImplicitDeny, Some(l))
}
fn explicit(l: Layer) -> (Decision, Option<Layer>) {
    (Decision::ExplicitDeny, Some(l))
}

// §1.4 row "IAM user"

#[test]
fn user_named_directly_needs_no_identity_and_ignores_boundary_implicit_deny() {
    let e = run(
        Some(USER),
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({
        "identity": [], "resource": rbp("Allow", aws(USER), "s3:GetObject"),
        "permissions_boundary": allow("ec2:*")}),
    );
    assert_eq!(verdict(&e), OK);
    let identity = e
        .gates
        .iter()
        .find(|g| g.layer == Some(Layer::Identity))
        .unwrap();
    assert_eq!(identity.outcome, GateOutcome::Skipped);
}

#[test]
fn user_account_grant_delegates_to_identity_and_boundary() {
    let policies = |identity: Value| {
        json!({
        "identity": identity, "resource": rbp("Allow", aws(ROOT), "s3:GetObject"),
        "permissions_boundary": allow("ec2:*")})
    };
    let e = run(
        Some(USER),
        "s3:GetObject",
        OBJ,
        Some(A),
        policies(json!([])),
    );
    assert_eq!(verdict(&e), implicit(Layer::Identity));
    let e = run(
        Some(USER),
        "s3:GetObject",
        OBJ,
        Some(A),
        policies(json!([allow("s3:*")])),
    );
    assert_eq!(verdict(&e), implicit(Layer::PermissionsBoundary));
}

#[test]
fn user_wildcard_grant_needs_nothing_else() {
    let e = run(
        Some(USER),
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({
        "identity": [], "resource": rbp("Allow", json!("*"), "s3:GetObject"),
        "permissions_boundary": allow("ec2:*")}),
    );
    assert_eq!(verdict(&e), OK);
}

#[test]
fn no_resource_policy_same_account_identity_decides() {
    let e = run(
        Some(USER),
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({"identity": [allow("s3:GetObject")]}),
    );
    assert_eq!(verdict(&e), OK);
    let e = run(
        Some(USER),
        "s3:PutObject",
        OBJ,
        Some(A),
        json!({"identity": [allow("s3:GetObject")]}),
    );
    assert_eq!(verdict(&e), implicit(Layer::Identity));
}

// §1.4 row "role session"

#[test]
fn session_arn_grant_ignores_identity_boundary_and_session_implicit_denies() {
    let e = run(
        Some(SESSION),
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({
        "identity": [], "resource": rbp("Allow", aws(SESSION), "s3:GetObject"),
        "permissions_boundary": allow("ec2:*"), "session": [allow("ec2:*")]}),
    );
    assert_eq!(verdict(&e), OK);
    assert!(
        e.assumptions.iter().any(|a| a.contains("§8-Q1")),
        "{:?}",
        e.assumptions
    );
}

#[test]
fn role_arn_grant_skips_identity_but_boundary_and_session_apply() {
    let base = |boundary: Value, session: Value| {
        json!({
        "identity": [], "resource": rbp("Allow", aws(ROLE), "s3:GetObject"),
        "permissions_boundary": boundary, "session": session})
    };
    assert_eq!(
        verdict(&run(
            Some(SESSION),
            "s3:GetObject",
            OBJ,
            Some(A),
            base(Value::Null, Value::Null)
        )),
        OK
    );
    assert_eq!(
        verdict(&run(
            Some(SESSION),
            "s3:GetObject",
            OBJ,
            Some(A),
            base(allow("ec2:*"), Value::Null)
        )),
        implicit(Layer::PermissionsBoundary)
    );
    assert_eq!(
        verdict(&run(
            Some(SESSION),
            "s3:GetObject",
            OBJ,
            Some(A),
            base(Value::Null, json!([allow("ec2:*")]))
        )),
        implicit(Layer::Session)
    );
}

#[test]
fn role_session_account_grant_needs_identity_boundary_session() {
    let base = |identity: Value, session: Value| {
        json!({
        "identity": identity, "resource": rbp("Allow", aws(A), "s3:GetObject"), "session": session})
    };
    assert_eq!(
        verdict(&run(
            Some(SESSION),
            "s3:GetObject",
            OBJ,
            Some(A),
            base(json!([]), Value::Null)
        )),
        implicit(Layer::Identity)
    );
    assert_eq!(
        verdict(&run(
            Some(SESSION),
            "s3:GetObject",
            OBJ,
            Some(A),
            base(json!([allow("s3:*")]), json!([allow("ec2:*")]))
        )),
        implicit(Layer::Session)
    );
    assert_eq!(
        verdict(&run(
            Some(SESSION),
            "s3:GetObject",
            OBJ,
            Some(A),
            base(json!([allow("s3:*")]), Value::Null)
        )),
        OK
    );
}

#[test]
fn wildcard_with_principal_arn_condition_is_not_limited_by_boundary_or_session() {
    let policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
        "Action": "s3:GetObject", "Resource": "*",
        "Condition": {"ArnEquals": {"aws:PrincipalArn": ROLE}}}]});
    let e = run(
        Some(SESSION),
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({
        "identity": [], "resource": policy, "permissions_boundary": allow("ec2:*"), "session": [allow("ec2:*")]}),
    );
    assert_eq!(verdict(&e), OK);
}

// §1.4 row "federated user", §1.8

#[test]
fn federated_user_arn_grant_is_not_cut_by_session_policy() {
    let e = run(
        Some(FED),
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({
        "identity": [], "resource": rbp("Allow", aws(FED), "s3:GetObject"), "session": [allow("ec2:*")]}),
    );
    assert_eq!(verdict(&e), OK);
}

#[test]
fn federated_user_without_session_policy_has_no_identity_permissions() {
    let e = run(
        Some(FED),
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({"identity": [allow("s3:*")]}),
    );
    assert_eq!(verdict(&e), implicit(Layer::Session));
    let e = run(
        Some(FED),
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({"identity": [allow("s3:*")], "session": [allow("s3:GetObject")]}),
    );
    assert_eq!(verdict(&e), OK);
}

#[test]
fn role_session_without_session_policy_passes_the_session_gate() {
    let e = run(
        Some(SESSION),
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({"identity": [allow("s3:*")]}),
    );
    assert_eq!(verdict(&e), OK);
}

// §1.4 row "root user", §1.9

#[test]
fn root_has_full_access_in_its_account_but_explicit_denies_bite() {
    let e = run(Some(ROOT), "s3:GetObject", OBJ, Some(A), json!({}));
    assert_eq!(verdict(&e), OK);
    let e = run(
        Some(ROOT),
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({"resource": rbp("Deny", json!("*"), "s3:*")}),
    );
    assert_eq!(verdict(&e), explicit(Layer::Resource));
}

#[test]
fn root_cannot_assume_a_role() {
    let e = run(
        Some(ROOT),
        "sts:AssumeRole",
        "arn:aws:iam::111122223333:role/Target",
        None,
        json!({
        "resource": rbp("Allow", aws(ROOT), "sts:AssumeRole")}),
    );
    assert_eq!(verdict(&e), implicit(Layer::Identity));
    assert_eq!(
        e.message.as_deref(),
        Some("Roles may not be assumed by root accounts.")
    );
}

// §1.4 NotPrincipal + boundary

#[test]
fn notprincipal_deny_hits_principals_with_a_boundary() {
    let policy = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "NotPrincipal": {"AWS": [USER, ROOT]}, "Action": "s3:*", "Resource": "*"}]});
    let e = run(
        Some(USER),
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({
        "identity": [allow("s3:*")], "resource": policy.clone(), "permissions_boundary": allow("s3:*")}),
    );
    assert_eq!(verdict(&e), explicit(Layer::Resource));
    let e = run(
        Some(USER),
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({"identity": [allow("s3:*")], "resource": policy}),
    );
    assert_eq!(verdict(&e), OK);
}

// §1.5 cross-account

#[test]
fn cross_account_has_no_direct_grant_shortcut_on_the_caller_side() {
    let caller = "arn:aws:sts::444455556666:assumed-role/app/s1";
    let e = run(
        Some(caller),
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({
        "identity": [], "resource": rbp("Allow", aws(caller), "s3:GetObject")}),
    );
    assert!(e.cross_account);
    assert_eq!(verdict(&e), implicit(Layer::Identity));
    let e = run(
        Some(caller),
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({
        "identity": [allow("s3:*")], "resource": rbp("Allow", aws(B), "s3:GetObject")}),
    );
    assert_eq!(verdict(&e), OK);
}

#[test]
fn cross_account_needs_the_resource_policy() {
    let caller = "arn:aws:iam::444455556666:user/bob";
    let e = run(
        Some(caller),
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({"identity": [allow("s3:*")]}),
    );
    assert_eq!(verdict(&e), implicit(Layer::Resource));
    assert!(e.message_note.as_deref().unwrap_or("").contains("generic"));
}

#[test]
fn cross_account_blames_the_caller_side_first() {
    let caller = "arn:aws:iam::444455556666:user/bob";
    let e = run(
        Some(caller),
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({"identity": []}),
    );
    assert_eq!(verdict(&e), implicit(Layer::Identity));
}

// §1.6 SCPs

#[test]
fn scp_every_level_must_allow_and_exemptions() {
    let scp = json!([[allow("*")], [allow("ec2:*")], [allow("*")]]);
    let e = run(
        Some(USER),
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({"identity": [allow("*")], "scp": scp.clone()}),
    );
    assert_eq!(verdict(&e), implicit(Layer::Scp));
    let mgmt = json!({"caller_is_management_account": true});
    let e = run_with(
        Some(USER),
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({"identity": [allow("*")], "scp": scp.clone()}),
        json!({}),
        mgmt,
    );
    assert_eq!(verdict(&e), OK);
    let slr = "arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForSupport/x";
    let e = run(
        Some(slr),
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({"identity": [allow("*")], "scp": [[deny("*")]]}),
    );
    assert_eq!(verdict(&e), OK);
    let e = run(
        Some("sqs.amazonaws.com"),
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({
        "resource": rbp("Allow", json!({"Service": "sqs.amazonaws.com"}), "s3:GetObject"), "scp": [[deny("*")]]}),
    );
    assert_eq!(verdict(&e), OK);
}

#[test]
fn scp_deny_applies_to_member_root_and_names_the_policy_arn() {
    let arn = "arn:aws:organizations::999999999999:policy/o-abc/service_control_policy/p-1";
    let e = run(
        Some(ROOT),
        "s3:DeleteBucket",
        "arn:aws:s3:::bucket",
        Some(A),
        json!({
        "scp": [[allow("*")], [{"name": "NoDelete", "arn": arn, "document": deny("s3:DeleteBucket")}]]}),
    );
    assert_eq!(verdict(&e), explicit(Layer::Scp));
    assert_eq!(
        e.message.as_deref(),
        Some(format!("User: {ROOT} is not authorized to perform: s3:DeleteBucket on resource: \"arn:aws:s3:::bucket\" with an explicit deny in a service control policy: {arn}").as_str())
    );
}

// §1.7 RCPs

#[test]
fn rcp_scope_and_exemptions() {
    let rcp = json!([[allow("*"), rbp("Deny", json!("*"), "*")]]);
    let e = run(
        Some(USER),
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({"identity": [allow("*")], "rcp": rcp.clone()}),
    );
    assert_eq!(verdict(&e), explicit(Layer::Rcp));
    // ec2 is not a service RCPs cover.
    let e = run(
        Some(USER),
        "ec2:RunInstances",
        "*",
        None,
        json!({"identity": [allow("*")], "rcp": rcp.clone()}),
    );
    assert_eq!(verdict(&e), OK);
    // kms:RetireGrant is exempt.
    let key = "arn:aws:kms:us-east-1:111122223333:key/k";
    let e = run(
        Some(USER),
        "kms:RetireGrant",
        key,
        None,
        json!({
        "identity": [allow("*")], "resource": rbp("Allow", aws(ROOT), "kms:*"), "rcp": rcp.clone()}),
    );
    assert_eq!(verdict(&e), OK);
    // Resources in the management account.
    let e = run_with(
        Some(USER),
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({"identity": [allow("*")], "rcp": rcp.clone()}),
        json!({}),
        json!({"resource_in_management_account": true}),
    );
    assert_eq!(verdict(&e), OK);
    // Service-linked roles.
    let slr = "arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForSupport/x";
    let e = run(
        Some(slr),
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({"identity": [allow("*")], "rcp": rcp}),
    );
    assert_eq!(verdict(&e), OK);
}

#[test]
fn rcp_applies_to_external_callers_and_missing_full_access_is_assumed() {
    let caller = "arn:aws:iam::444455556666:user/bob";
    let e = run(
        Some(caller),
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({
        "identity": [allow("*")], "resource": rbp("Allow", aws(caller), "s3:GetObject"),
        "rcp": [[rbp("Deny", json!("*"), "s3:PutObject")]]}),
    );
    assert_eq!(verdict(&e), OK);
    assert!(e.assumptions.iter().any(|a| a.contains("RCPFullAWSAccess")));
    let e = run(
        Some(caller),
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({
        "identity": [allow("*")], "resource": rbp("Allow", aws(caller), "s3:GetObject"),
        "rcp": [[rbp("Deny", json!("*"), "s3:*")]]}),
    );
    assert_eq!(verdict(&e), explicit(Layer::Rcp));
}

// §1.9 special actions, anonymous and service principals

#[test]
fn get_caller_identity_cannot_be_denied() {
    let e = run(
        Some(USER),
        "sts:GetCallerIdentity",
        "*",
        None,
        json!({"identity": [deny("*")], "scp": [[deny("*")]]}),
    );
    assert_eq!(verdict(&e), OK);
}

#[test]
fn anonymous_needs_a_wildcard_grant() {
    let e = run(
        None,
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({"resource": rbp("Allow", json!("*"), "s3:GetObject")}),
    );
    assert_eq!(verdict(&e), OK);
    let e = run(
        None,
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({"resource": rbp("Allow", aws(USER), "s3:GetObject")}),
    );
    assert_eq!(verdict(&e), implicit(Layer::Resource));
    assert!(e.message_note.is_some());
}

#[test]
fn service_principal_needs_a_resource_grant() {
    let q = "arn:aws:sqs:us-east-1:111122223333:queue";
    let svc = json!({"Service": "sns.amazonaws.com"});
    let e = run(
        Some("sns.amazonaws.com"),
        "sqs:SendMessage",
        q,
        None,
        json!({"resource": rbp("Allow", svc, "sqs:SendMessage")}),
    );
    assert_eq!(verdict(&e), OK);
    let e = run(
        Some("sns.amazonaws.com"),
        "sqs:SendMessage",
        q,
        None,
        json!({}),
    );
    assert_eq!(verdict(&e), implicit(Layer::Resource));
}

// §2.1 KMS

#[test]
fn kms_key_policy_is_mandatory_and_account_statement_enables_iam() {
    let key = "arn:aws:kms:us-east-1:111122223333:key/k";
    let e = run(
        Some(USER),
        "kms:Decrypt",
        key,
        None,
        json!({
        "identity": [allow("kms:*")], "resource": rbp("Allow", aws("arn:aws:iam::111122223333:user/admin"), "kms:*")}),
    );
    assert_eq!(verdict(&e), implicit(Layer::Resource));
    let e = run(
        Some(USER),
        "kms:Decrypt",
        key,
        None,
        json!({"identity": [allow("kms:*")], "resource": rbp("Allow", aws(ROOT), "kms:*")}),
    );
    assert_eq!(verdict(&e), OK);
    let e = run(
        Some(USER),
        "kms:Decrypt",
        key,
        None,
        json!({"identity": [], "resource": rbp("Allow", aws(ROOT), "kms:*")}),
    );
    assert_eq!(verdict(&e), implicit(Layer::Identity));
    // Even the root user needs the key policy.
    let e = run(
        Some(ROOT),
        "kms:Decrypt",
        key,
        None,
        json!({"resource": rbp("Allow", aws(USER), "kms:*")}),
    );
    assert_eq!(verdict(&e), implicit(Layer::Resource));
}

#[test]
fn kms_only_some_operations_work_across_accounts() {
    let key = "arn:aws:kms:us-east-1:111122223333:key/k";
    let caller = "arn:aws:iam::444455556666:user/bob";
    let policies = json!({"identity": [allow("kms:*")], "resource": rbp("Allow", aws(B), "kms:*")});
    assert_eq!(
        verdict(&run(
            Some(caller),
            "kms:Decrypt",
            key,
            None,
            policies.clone()
        )),
        OK
    );
    assert_eq!(
        verdict(&run(
            Some(caller),
            "kms:ScheduleKeyDeletion",
            key,
            None,
            policies
        )),
        implicit(Layer::Resource)
    );
}

// §2.2 role trust policies

#[test]
fn trust_policy_rules() {
    let role = "arn:aws:iam::111122223333:role/Target";
    let e = run(
        Some(USER),
        "sts:AssumeRole",
        role,
        None,
        json!({"identity": [], "resource": rbp("Allow", aws(USER), "sts:AssumeRole")}),
    );
    assert_eq!(verdict(&e), OK);
    let e = run(
        Some(USER),
        "sts:AssumeRole",
        role,
        None,
        json!({
        "identity": [], "resource": rbp("Allow", aws(USER), "sts:AssumeRole"), "permissions_boundary": allow("s3:*")}),
    );
    assert_eq!(verdict(&e), implicit(Layer::PermissionsBoundary));
    let e = run(
        Some(USER),
        "sts:AssumeRole",
        role,
        None,
        json!({"identity": [allow("sts:AssumeRole")], "resource": rbp("Allow", aws("arn:aws:iam::111122223333:user/other"), "sts:AssumeRole")}),
    );
    assert_eq!(verdict(&e), implicit(Layer::Resource));
    assert!(e
        .message
        .as_deref()
        .unwrap()
        .ends_with("because no role trust policy allows the sts:AssumeRole action"));
    let e = run(
        Some(USER),
        "sts:AssumeRole",
        role,
        None,
        json!({"identity": [allow("sts:AssumeRole")], "resource": rbp("Deny", aws(USER), "sts:AssumeRole")}),
    );
    assert_eq!(verdict(&e), explicit(Layer::Resource));
    assert!(e
        .message
        .as_deref()
        .unwrap()
        .ends_with("with an explicit deny in the role trust policy"));
    // Cross-account: trust the account and allow in the caller's identity policy.
    let caller = "arn:aws:iam::444455556666:user/bob";
    let e = run(
        Some(caller),
        "sts:AssumeRole",
        role,
        None,
        json!({"identity": [], "resource": rbp("Allow", aws(B), "sts:AssumeRole")}),
    );
    assert_eq!(verdict(&e), implicit(Layer::Identity));
}

// §2.4 VPC endpoint

#[test]
fn vpc_endpoint_policy_is_an_extra_gate() {
    let e = run(
        Some(USER),
        "s3:PutObject",
        OBJ,
        Some(A),
        json!({
        "identity": [allow("s3:*")], "vpc_endpoint": rbp("Allow", json!("*"), "s3:GetObject")}),
    );
    assert_eq!(verdict(&e), implicit(Layer::VpcEndpoint));
    assert!(e
        .message
        .as_deref()
        .unwrap()
        .ends_with("because no VPC endpoint policy allows the s3:PutObject action"));
    assert!(e.message_note.as_deref().unwrap().contains("VPC endpoint"));
}

// §4.7 context, missing keys

#[test]
fn derived_keys_are_marked_and_given_keys_win() {
    let e = run_with(
        Some(USER),
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({"identity": []}),
        json!({"aws:PrincipalAccount": "999999999999"}),
        json!({}),
    );
    let ctx = &e.request.context;
    let username = ctx.entry("aws:username").unwrap();
    assert_eq!(username.source, KeySource::Derived);
    assert_eq!(username.value.values(), vec!["jane"]);
    assert_eq!(
        ctx.entry("aws:PrincipalAccount").unwrap().source,
        KeySource::Given
    );
    assert_eq!(
        ctx.get("aws:PrincipalAccount").unwrap().values(),
        vec!["999999999999"]
    );
    assert_eq!(ctx.get("aws:ResourceAccount").unwrap().values(), vec![A]);
    assert_eq!(ctx.get("aws:PrincipalType").unwrap().values(), vec!["User"]);
    let e = run(Some(SESSION), "s3:GetObject", OBJ, Some(A), json!({}));
    assert!(e.request.context.get("aws:username").is_none());
    assert_eq!(
        e.request.context.get("aws:PrincipalArn").unwrap().values(),
        vec![ROLE]
    );
    let e = run(Some(FED), "s3:GetObject", OBJ, Some(A), json!({}));
    assert_eq!(
        e.request.context.get("aws:userid").unwrap().values(),
        vec!["111122223333:fred"]
    );
}

#[test]
fn missing_key_is_reported_with_the_value_that_would_match() {
    let policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
        "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b"}}}]});
    let e = run(
        Some(USER),
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({"identity": [policy]}),
    );
    assert_eq!(verdict(&e), implicit(Layer::Identity));
    let m = e
        .missing_keys
        .iter()
        .find(|m| m.key == "aws:SourceVpce")
        .expect("missing key");
    assert!(m.would_match);
    assert!(
        m.message
            .contains("would match if `aws:SourceVpce` were `vpce-1a2b`"),
        "{}",
        m.message
    );
}

// Input errors

#[test]
fn unreadable_policy_is_reported_and_the_rest_still_decides() {
    let e = run(
        Some(USER),
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({"identity": ["{not json", allow("s3:*")]}),
    );
    assert_eq!(verdict(&e), OK);
    assert!(!e.complete);
    assert_eq!(e.errors.len(), 1);
    assert_eq!(e.errors[0].place, "policies.identity[0]");
    assert!(e.policies.iter().any(|p| p.error.is_some()));
}

#[test]
fn unreadable_caller_is_an_input_error() {
    let e = run(
        Some("arn:aws:iam::111122223333:group/devs"),
        "s3:GetObject",
        OBJ,
        Some(A),
        json!({"identity": [allow("*")]}),
    );
    assert!(!e.complete);
    assert_eq!(e.errors[0].place, "request.principal");
    assert_ne!(e.decision, Decision::Allowed);
}

// The three "Common scenarios" of IAM's AccessDenied troubleshooting guide.

#[test]
fn common_scenario_cross_account_role_assumption_needs_both_sides() {
    let role = "arn:aws:iam::111122223333:role/Deployer";
    let caller = "arn:aws:sts::444455556666:assumed-role/CI/build-42";
    let trust_b = rbp(
        "Allow",
        aws("arn:aws:iam::444455556666:root"),
        "sts:AssumeRole",
    );
    let may_assume = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role}]});
    let e = run(
        Some(caller),
        "sts:AssumeRole",
        role,
        None,
        json!({"identity": [may_assume.clone()], "resource": trust_b.clone()}),
    );
    assert_eq!(verdict(&e), OK);
    assert!(e.cross_account);
    let e = run(
        Some(caller),
        "sts:AssumeRole",
        role,
        None,
        json!({"identity": [], "resource": trust_b}),
    );
    assert_eq!(verdict(&e), implicit(Layer::Identity));
    let trust_other = rbp(
        "Allow",
        aws("arn:aws:iam::999999999999:root"),
        "sts:AssumeRole",
    );
    let e = run(
        Some(caller),
        "sts:AssumeRole",
        role,
        None,
        json!({"identity": [may_assume], "resource": trust_other}),
    );
    assert_eq!(verdict(&e), implicit(Layer::Resource));
    assert_eq!(
        e.message.as_deref(),
        Some(format!("User: {caller} is not authorized to perform: sts:AssumeRole on resource: {role} because no role trust policy allows the sts:AssumeRole action").as_str())
    );
}

#[test]
fn common_scenario_s3_through_a_vpc_endpoint() {
    let endpoint = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
        "Action": "s3:*", "Resource": ["arn:aws:s3:::bucket", "arn:aws:s3:::bucket/*"]}]});
    let bucket = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": ["arn:aws:s3:::bucket", "arn:aws:s3:::bucket/*"],
        "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b"}}}]});
    let via = |vpce: &str| json!({"aws:SourceVpce": vpce, "aws:SourceVpc": "vpc-111"});
    let policies =
        json!({"identity": [allow("s3:*")], "resource": bucket, "vpc_endpoint": endpoint});
    let e = run_with(
        Some(USER),
        "s3:GetObject",
        OBJ,
        Some(A),
        policies.clone(),
        via("vpce-1a2b"),
        json!({}),
    );
    assert_eq!(verdict(&e), OK);
    let e = run_with(
        Some(USER),
        "s3:GetObject",
        OBJ,
        Some(A),
        policies.clone(),
        via("vpce-9999"),
        json!({}),
    );
    assert_eq!(verdict(&e), explicit(Layer::Resource));
    let other = "arn:aws:s3:::other-bucket/key";
    let e = run_with(
        Some(USER),
        "s3:GetObject",
        other,
        Some(A),
        policies,
        via("vpce-1a2b"),
        json!({}),
    );
    assert_eq!(verdict(&e), implicit(Layer::VpcEndpoint));
}

#[test]
fn common_scenario_kms_two_sided_permissions() {
    let key = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd";
    let caller = "arn:aws:iam::444455556666:user/bob";
    let key_policy = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": ROOT}, "Action": "kms:*", "Resource": "*"},
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"}]});
    let iam = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": key}]});
    let e = run(
        Some(caller),
        "kms:Decrypt",
        key,
        None,
        json!({"identity": [iam.clone()], "resource": key_policy.clone()}),
    );
    assert_eq!(verdict(&e), OK);
    let e = run(
        Some(caller),
        "kms:Decrypt",
        key,
        None,
        json!({"identity": [], "resource": key_policy.clone()}),
    );
    assert_eq!(verdict(&e), implicit(Layer::Identity));
    let owner_only = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": ROOT}, "Action": "kms:*", "Resource": "*"}]});
    let e = run(
        Some(caller),
        "kms:Decrypt",
        key,
        None,
        json!({"identity": [iam], "resource": owner_only}),
    );
    assert_eq!(verdict(&e), implicit(Layer::Resource));
    // The external account can only use what the key policy gave it.
    let all = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:*", "Resource": key}]});
    let e = run(
        Some(caller),
        "kms:Encrypt",
        key,
        None,
        json!({"identity": [all], "resource": key_policy}),
    );
    assert_eq!(verdict(&e), implicit(Layer::Resource));
}
