//! AWS rules that are easy to miss, each with the AWS documentation page that states it
//! (issue 9, "AWS rules still missed").

use iamtrace_engine::decision::{evaluate, Decision, Evaluation, GateOutcome, Layer};
use iamtrace_engine::scenario::Scenario;
use serde_json::{json, Value};

const A: &str = "111122223333";
const USER: &str = "arn:aws:iam::111122223333:user/jane";
const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/app/s1";
const ROLE: &str = "arn:aws:iam::111122223333:role/app";

fn run(principal: &str, action: &str, resource: &str, policies: Value) -> Evaluation {
    run_with(principal, action, resource, policies, json!({}))
}

fn run_with(
    principal: &str,
    action: &str,
    resource: &str,
    policies: Value,
    context: Value,
) -> Evaluation {
    let request =
        json!({"principal": principal, "action": action, "resource": resource, "context": context});
    let s = json!({"version": 1, "request": request, "policies": policies});
    let scenario = Scenario::parse(&s.to_string())
        .expect("valid scenario")
        .scenario;
    evaluate(&scenario)
}

fn doc(statements: Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

fn verdict(e: &Evaluation) -> (Decision, Option<Layer>) {
    (e.decision, e.denied_by)
}

fn has_assumption(e: &Evaluation, needle: &str) -> bool {
    e.assumptions
        .iter()
        .any(|a| a.starts_with("AWS does not document this; we assume") && a.contains(needle))
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
// "NotPrincipal must be used with Deny. Using it with Allow is not supported"; the older text:
// "the permissions specified in the policy statement will be granted to all principals except
// for the ones specified". A listed caller must never be granted by that very statement.
#[test]
fn allow_with_notprincipal_never_grants_to_a_listed_member_of_the_chain() {
    let bucket = |not: Value| {
        doc(
            json!([{"Effect": "Allow", "NotPrincipal": not, "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::bucket/*"}]),
        )
    };
    for listed in [SESSION, ROLE, "arn:aws:iam::111122223333:root"] {
        let e = run(
            SESSION,
            "s3:GetObject",
            "arn:aws:s3:::bucket/key",
            json!({"identity": [], "resource": bucket(json!({"AWS": listed}))}),
        );
        assert_eq!(
            verdict(&e),
            (Decision::ImplicitDeny, Some(Layer::Identity)),
            "{listed} is listed: the Allow must not grant to the session"
        );
        assert!(
            has_assumption(&e, "any member of its identity chain"),
            "{listed}"
        );
    }
    // Another principal listed: the Allow grants to everyone else, this caller included.
    let e = run(
        USER,
        "s3:GetObject",
        "arn:aws:s3:::bucket/key",
        json!({"identity": [], "resource": bucket(json!({"AWS": SESSION}))}),
    );
    assert_eq!(verdict(&e), (Decision::Allowed, None));
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
// ("AWS might verify the account first and then the user"): a Deny exempts only a caller whose
// whole chain is listed; the choice is surfaced as an assumption.
#[test]
fn deny_with_notprincipal_partly_listed_chain_is_an_assumption() {
    let policy = doc(json!([
        {"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "s3:GetObject", "Resource": "*"},
        {"Effect": "Deny", "NotPrincipal": {"AWS": SESSION}, "Action": "s3:*", "Resource": "*"}]));
    let e = run(
        SESSION,
        "s3:GetObject",
        "arn:aws:s3:::bucket/key",
        json!({"resource": policy}),
    );
    assert_eq!(verdict(&e), (Decision::ExplicitDeny, Some(Layer::Resource)));
    assert!(has_assumption(&e, "every member of its identity chain"));
    let _ = (A, GateOutcome::Passed);
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
// "If the * wildcard is the last character of a resource ARN segment, it can expand to match
// beyond colon boundaries." `arn:aws:sqs:*` covers every queue.
#[test]
fn short_resource_pattern_ending_in_a_star_runs_past_the_colons() {
    let queue = "arn:aws:sqs:us-east-1:111122223333:orders";
    for pattern in ["arn:aws:sqs:*", "arn:aws:sqs:us-east-1:*"] {
        let e = run(
            USER,
            "sqs:SendMessage",
            queue,
            json!({"identity": [doc(json!([{"Effect": "Allow", "Action": "sqs:*", "Resource": pattern}]))]}),
        );
        assert_eq!(verdict(&e), (Decision::Allowed, None), "{pattern}");
        assert!(
            e.policies[0]
                .findings
                .iter()
                .all(|f| f.code != "arn-too-short"),
            "{pattern} is not a malformed ARN"
        );
        // The same pattern in NotResource excludes the queue.
        let e = run(
            USER,
            "sqs:SendMessage",
            queue,
            json!({"identity": [doc(json!([
                {"Effect": "Allow", "Action": "sqs:*", "Resource": "*"},
                {"Effect": "Deny", "Action": "sqs:*", "NotResource": pattern}]))]}),
        );
        assert_eq!(
            verdict(&e),
            (Decision::Allowed, None),
            "NotResource {pattern}"
        );
    }
    let e = run(
        USER,
        "sqs:SendMessage",
        queue,
        json!({"identity": [doc(json!([{"Effect": "Allow", "Action": "sqs:*", "Resource": "arn:aws:sqs:eu-west-1:*"}]))]}),
    );
    assert_eq!(verdict(&e), (Decision::ImplicitDeny, Some(Layer::Identity)));
}

// A short pattern without the trailing `*` matches nothing; AWS is silent, so the choice is an
// assumption (docs/engine.md, "Resources").
#[test]
fn short_resource_pattern_without_a_star_is_an_assumption_when_it_decides() {
    let e = run(
        USER,
        "s3:GetObject",
        "arn:aws:s3:::bucket/key",
        json!({"identity": [doc(json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:bucket"}]))]}),
    );
    assert_eq!(verdict(&e), (Decision::ImplicitDeny, Some(Layer::Identity)));
    assert!(has_assumption(&e, "fewer than six colon-separated fields"));
    // Not said when the action already rules the statement out.
    let e = run(
        USER,
        "ec2:RunInstances",
        "arn:aws:ec2:us-east-1:111122223333:instance/i-1",
        json!({"identity": [doc(json!([
            {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"},
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:bucket"}]))]}),
    );
    assert!(!has_assumption(&e, "fewer than six colon-separated fields"));
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
// "If AWS cannot resolve a variable, this might cause the entire statement to be invalid."
// An Allow with NotResource whose variable has no value must not widen to every resource.
#[test]
fn unresolved_variable_in_notresource_does_not_widen_the_allow() {
    let policy = doc(json!([{"Effect": "Allow", "Action": "s3:GetObject",
        "NotResource": "arn:aws:s3:::private/${aws:PrincipalTag/team}/*"}]));
    // A role session without the tag: aws:PrincipalTag/team has no value.
    let e = run(
        SESSION,
        "s3:GetObject",
        "arn:aws:s3:::private/finance/report",
        json!({"identity": [policy.clone()]}),
    );
    assert_eq!(
        verdict(&e),
        (Decision::ImplicitDeny, Some(Layer::Identity)),
        "the Allow must not apply when its exclusion cannot be computed"
    );
    assert!(
        !e.complete,
        "an undecided statement makes the result incomplete"
    );
    assert!(has_assumption(
        &e,
        "NotResource entry whose policy variable has no value"
    ));
    // With the tag, the exclusion works as written.
    let e = run_with(
        SESSION,
        "s3:GetObject",
        "arn:aws:s3:::private/finance/report",
        json!({"identity": [policy.clone()]}),
        json!({"aws:PrincipalTag/team": "finance"}),
    );
    assert_eq!(verdict(&e), (Decision::ImplicitDeny, Some(Layer::Identity)));
    assert!(e.complete);
    let e = run_with(
        SESSION,
        "s3:GetObject",
        "arn:aws:s3:::public/x",
        json!({"identity": [policy]}),
        json!({"aws:PrincipalTag/team": "finance"}),
    );
    assert_eq!(verdict(&e), (Decision::Allowed, None));
}

fn allow(action: &str) -> Value {
    doc(json!([{"Effect": "Allow", "Action": action, "Resource": "*"}]))
}

fn gate(e: &Evaluation, layer: Layer) -> &iamtrace_engine::decision::Gate {
    e.gates
        .iter()
        .find(|g| g.layer == Some(layer))
        .expect("gate")
}

// https://docs.aws.amazon.com/kms/latest/developerguide/alias-access.html
// "kms:CreateAlias for the alias. Provide this permission in an IAM policy"; the key-policy
// requirement is for the KMS key, not the alias.
#[test]
fn kms_alias_permission_comes_from_iam_policies_not_a_key_policy() {
    let alias = "arn:aws:kms:us-east-1:111122223333:alias/test-key";
    let e = run(
        USER,
        "kms:CreateAlias",
        alias,
        json!({"identity": [allow("kms:CreateAlias")]}),
    );
    assert_eq!(verdict(&e), (Decision::Allowed, None));
    let g = gate(&e, Layer::Resource);
    assert_eq!(g.outcome, GateOutcome::NotApplicable);
    assert!(g.reason.contains("no key policy"), "{}", g.reason);
    // The note says the key needs its own permission.
    assert!(e
        .service_notes
        .iter()
        .any(|n| !n.refused && n.message.contains("key ARN as the resource")));
    // A key request still needs the key policy.
    let key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let e = run(
        USER,
        "kms:CreateAlias",
        key,
        json!({"identity": [allow("kms:CreateAlias")]}),
    );
    assert_eq!(verdict(&e), (Decision::ImplicitDeny, Some(Layer::Resource)));
    // Without an IAM policy, the alias operation is denied by the identity layer.
    let e = run(
        USER,
        "kms:DeleteAlias",
        alias,
        json!({"identity": [], "resource": doc(json!([{"Effect": "Allow",
            "Principal": {"AWS": USER}, "Action": "kms:*", "Resource": "*"}]))}),
    );
    assert_eq!(
        verdict(&e),
        (Decision::ImplicitDeny, Some(Layer::Identity)),
        "a key policy given for an alias request grants nothing"
    );
}

// https://docs.aws.amazon.com/kms/latest/developerguide/alias-create.html
// "The alias/aws/ prefix is reserved for AWS managed key."
#[test]
fn aws_managed_aliases_cannot_be_modified() {
    for action in ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"] {
        let e = run(
            USER,
            action,
            "arn:aws:kms:us-east-1:111122223333:alias/aws/s3",
            json!({"identity": [allow("kms:*")]}),
        );
        assert_eq!(e.decision, Decision::Allowed, "authorization alone allows");
        assert!(
            e.service_notes
                .iter()
                .any(|n| n.refused && n.message.contains("AWS managed alias")),
            "{action}"
        );
    }
    let e = run(
        USER,
        "kms:CreateAlias",
        "arn:aws:kms:us-east-1:111122223333:alias/team",
        json!({"identity": [allow("kms:*")]}),
    );
    assert!(e.service_notes.iter().all(|n| !n.refused));
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies
// AWS managed policies "are available for all AWS customers to use": reading one is decided by
// the caller's own IAM policies, not a cross-account evaluation against account "aws".
#[test]
fn aws_managed_policy_resources_are_not_another_accounts() {
    let arn = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    let e = run(
        USER,
        "iam:GetPolicy",
        arn,
        json!({"identity": [allow("iam:GetPolicy")]}),
    );
    assert_eq!(verdict(&e), (Decision::Allowed, None));
    assert!(!e.cross_account);
    assert!(e.assumptions.iter().any(|a| a.contains("owned by AWS")));
    // Without permission, the identity layer denies (not a missing resource policy).
    let e = run(
        USER,
        "iam:GetPolicy",
        arn,
        json!({"identity": [allow("s3:*")]}),
    );
    assert_eq!(verdict(&e), (Decision::ImplicitDeny, Some(Layer::Identity)));
    // An explicit resource_account "aws" means the same.
    let s = json!({"version": 1, "request": {"principal": USER, "action": "iam:GetPolicy",
        "resource": arn, "resource_account": "aws"}, "policies": {"identity": [allow("iam:*")]}});
    let e = evaluate(&Scenario::parse(&s.to_string()).expect("valid").scenario);
    assert_eq!(verdict(&e), (Decision::Allowed, None));
}

fn trust(actions: Value, condition: Value) -> Value {
    let mut st = json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
        "Action": actions});
    if condition != Value::Null {
        st["Condition"] = condition;
    }
    doc(json!([st]))
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html ("Permissions required
// to add session tags": the role trust policy must allow sts:TagSession, with conditions on
// aws:RequestTag, aws:TagKeys, sts:TransitiveTagKeys) and
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html
// (sts:SetSourceIdentity, sts:SourceIdentity). Same account too: the trust policy decides.
#[test]
fn session_tags_and_source_identity_need_the_trust_policy() {
    let role = "arn:aws:iam::111122223333:role/target";
    let identity = allow("sts:*");
    // Trust policy allows only AssumeRole: TagSession is denied by the role trust policy.
    let e = run(
        USER,
        "sts:TagSession",
        role,
        json!({"identity": [identity.clone()], "resource": trust(json!("sts:AssumeRole"), Value::Null)}),
    );
    assert_eq!(verdict(&e), (Decision::ImplicitDeny, Some(Layer::Resource)));
    assert!(
        e.message
            .as_deref()
            .unwrap_or("")
            .contains("role trust policy"),
        "{:?}",
        e.message
    );
    // Without any trust policy, the same-account request is still denied.
    let e = run(
        USER,
        "sts:TagSession",
        role,
        json!({"identity": [identity.clone()]}),
    );
    assert_eq!(verdict(&e), (Decision::ImplicitDeny, Some(Layer::Resource)));

    // Tag conditions in the trust policy.
    let tagged = trust(
        json!(["sts:AssumeRole", "sts:TagSession"]),
        json!({"StringEquals": {"aws:RequestTag/team": "blue"},
               "ForAllValues:StringEquals": {"sts:TransitiveTagKeys": ["team"]}}),
    );
    let policies = json!({"identity": [identity.clone()], "resource": tagged});
    let blue = run_with(
        USER,
        "sts:TagSession",
        role,
        policies.clone(),
        json!({"aws:RequestTag/team": "blue", "sts:TransitiveTagKeys": ["team"]}),
    );
    assert_eq!(verdict(&blue), (Decision::Allowed, None));
    let red = run_with(
        USER,
        "sts:TagSession",
        role,
        policies.clone(),
        json!({"aws:RequestTag/team": "red", "sts:TransitiveTagKeys": ["team"]}),
    );
    assert_eq!(
        verdict(&red),
        (Decision::ImplicitDeny, Some(Layer::Resource))
    );
    let transitive = run_with(
        USER,
        "sts:TagSession",
        role,
        policies,
        json!({"aws:RequestTag/team": "blue", "sts:TransitiveTagKeys": ["team", "cost"]}),
    );
    assert_eq!(
        verdict(&transitive),
        (Decision::ImplicitDeny, Some(Layer::Resource))
    );

    // Source identity, and SetContext.
    let si = trust(
        json!(["sts:AssumeRole", "sts:SetSourceIdentity"]),
        json!({"StringLike": {"sts:SourceIdentity": "jane*"}}),
    );
    let policies = json!({"identity": [identity.clone()], "resource": si});
    for (value, expected) in [
        ("jane@example.com", Decision::Allowed),
        ("bob", Decision::ImplicitDeny),
    ] {
        let e = run_with(
            USER,
            "sts:SetSourceIdentity",
            role,
            policies.clone(),
            json!({"sts:SourceIdentity": value}),
        );
        assert_eq!(e.decision, expected, "{value}");
    }
    let e = run(
        USER,
        "sts:SetContext",
        role,
        json!({"identity": [identity.clone()], "resource": trust(json!("sts:AssumeRole"), Value::Null)}),
    );
    assert_eq!(verdict(&e), (Decision::ImplicitDeny, Some(Layer::Resource)));

    // An AssumeRole that passes tags says TagSession is checked too.
    let e = run_with(
        USER,
        "sts:AssumeRole",
        role,
        json!({"identity": [identity], "resource": trust(json!("sts:AssumeRole"), Value::Null)}),
        json!({"aws:RequestTag/team": "blue", "sts:SourceIdentity": "jane"}),
    );
    assert_eq!(e.decision, Decision::Allowed);
    for permission in ["sts:TagSession", "sts:SetSourceIdentity"] {
        assert!(
            e.service_notes
                .iter()
                .any(|n| n.message.contains(permission)),
            "{permission}"
        );
    }
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies
// ("You cannot change the permissions defined in AWS managed policies"),
// https://repost.aws/knowledge-center/identity-center-aws-reserved-sso (IAM Identity Center
// reserved roles are "only modifiable by AWS") and
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRole.html (UnmodifiableEntity for
// service-linked roles): the authorization decision stands, with a note that AWS refuses.
#[test]
fn non_authorization_refusals_are_noted_beside_the_decision() {
    let admin = json!({"identity": [allow("iam:*")]});
    for action in [
        "iam:CreatePolicyVersion",
        "iam:DeletePolicy",
        "iam:SetDefaultPolicyVersion",
    ] {
        let e = run(
            USER,
            action,
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            admin.clone(),
        );
        assert_eq!(e.decision, Decision::Allowed, "{action}");
        assert!(
            e.service_notes
                .iter()
                .any(|n| n.refused && n.message.contains("AWS managed policy")),
            "{action}"
        );
    }
    // Reading it is fine: no refusal.
    let e = run(
        USER,
        "iam:GetPolicy",
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        admin.clone(),
    );
    assert!(e.service_notes.is_empty());
    // A customer managed policy can be changed.
    let e = run(
        USER,
        "iam:CreatePolicyVersion",
        "arn:aws:iam::111122223333:policy/mine",
        admin.clone(),
    );
    assert!(e.service_notes.is_empty());

    let sso = "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123";
    let e = run(USER, "iam:AttachRolePolicy", sso, admin.clone());
    let n = e.service_notes.first().expect("a note");
    assert!(n.refused && n.error == Some("UnmodifiableEntity"));
    assert!(n.message.contains("IAM Identity Center"));
    // Denied by authorization too: the note is still there.
    let e = run(USER, "iam:DeleteRole", sso, json!({"identity": []}));
    assert_eq!(e.decision, Decision::ImplicitDeny);
    assert!(e.service_notes.iter().any(|n| n.refused));
    let slr = "arn:aws:iam::111122223333:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk";
    let e = run(USER, "iam:PutRolePolicy", slr, admin.clone());
    assert!(e
        .service_notes
        .iter()
        .any(|n| n.refused && n.message.contains("service-linked role")));
    let e = run(USER, "iam:PutRolePolicy", ROLE, admin);
    assert!(e.service_notes.is_empty());
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
// A principal is named as {"AWS": "arn…"} (or Service, Federated, CanonicalUser); only "*" may
// be a bare string. A bare ARN is a positioned error and the statement is unknown, not "empty".
#[test]
fn bare_string_principal_arn_is_an_error_and_the_statement_is_unknown() {
    let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Deny\",\n  \"Principal\": \"arn:aws:iam::111122223333:root\",\n  \"Action\": \"s3:*\", \"Resource\": \"*\"}]}";
    let parsed =
        iamtrace_engine::policy::parse_policy(text, iamtrace_engine::policy::PolicyType::Resource)
            .expect("json");
    let f = parsed
        .findings
        .iter()
        .find(|f| f.code == "invalid-principal")
        .expect("a positioned error");
    assert_eq!((f.span.line, f.span.column), (2, 16));
    assert!(
        f.message
            .contains("{\"AWS\": \"arn:aws:iam::111122223333:root\"}"),
        "{}",
        f.message
    );

    let policy: Value = serde_json::from_str(text).expect("json");
    let e = run(
        USER,
        "s3:GetObject",
        "arn:aws:s3:::bucket/key",
        json!({"identity": [allow("s3:*")], "resource": policy}),
    );
    let trace = e
        .policies
        .iter()
        .find(|p| p.layer == Layer::Resource)
        .and_then(|p| p.trace.as_ref())
        .expect("trace");
    let st = &trace.statements[0];
    assert_eq!(st.applies, iamtrace_engine::explain::Applies::Unknown);
    let reason = &st.principal.as_ref().expect("principal").element.reason;
    assert!(reason.contains("could not be read"), "{reason}");
    assert!(!reason.contains("empty"), "{reason}");
    assert!(!e.complete, "the result cannot be complete");
}

// docs/engine.md, "Conditions": a non-ARN request value under an Arn… operator matches no pattern;
// AWS is silent (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN).
#[test]
fn non_arn_value_under_an_arn_operator_is_an_assumption() {
    let policy = doc(
        json!([{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*",
        "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:111122223333:*"}}}]),
    );
    let e = run_with(
        USER,
        "sqs:SendMessage",
        "arn:aws:sqs:us-east-1:111122223333:q",
        json!({"identity": [policy.clone()]}),
        json!({"aws:SourceArn": "topic-name"}),
    );
    assert_eq!(verdict(&e), (Decision::ImplicitDeny, Some(Layer::Identity)));
    assert!(has_assumption(&e, "is not an ARN"));
    let e = run_with(
        USER,
        "sqs:SendMessage",
        "arn:aws:sqs:us-east-1:111122223333:q",
        json!({"identity": [policy]}),
        json!({"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:t"}),
    );
    assert_eq!(verdict(&e), (Decision::Allowed, None));
    assert!(!has_assumption(&e, "is not an ARN"));
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
// documents set qualifiers for comparisons of values; Null compares none, so its reading is an
// assumption.
#[test]
fn null_with_a_set_qualifier_is_an_assumption() {
    let policy = doc(
        json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
        "Condition": {"ForAllValues:Null": {"aws:TagKeys": "false"}}}]),
    );
    let e = run(
        USER,
        "s3:GetObject",
        "arn:aws:s3:::bucket/key",
        json!({"identity": [policy]}),
    );
    assert_eq!(verdict(&e), (Decision::Allowed, None));
    assert!(has_assumption(&e, "ForAllValues:Null is always true"));
}
