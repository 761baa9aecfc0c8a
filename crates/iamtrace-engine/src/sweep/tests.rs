use super::*;
use crate::decision::evaluate;
use serde_json::json;

fn scenario(value: serde_json::Value) -> Scenario {
    Scenario::parse(&value.to_string())
        .expect("scenario")
        .scenario
}

fn row<'a>(swept: &'a ActionSweep, action: &str) -> &'a SweptAction {
    swept
        .actions
        .iter()
        .find(|r| r.action.eq_ignore_ascii_case(action))
        .unwrap_or_else(|| panic!("{action} not swept"))
}

/// Alice reads one bucket's objects; the bucket (another account) lets her.
fn cross_account_reader() -> Scenario {
    scenario(json!({
        "version": 1,
        "request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
                    "resource": "arn:aws:s3:::amzn-s3-demo-bucket/report.csv",
                    "resource_account": "444455556666"},
        "policies": {
            "identity": [{"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"},
                {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}]}],
            "resource": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"},
                 "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"}]}
        }
    }))
}

#[test]
fn each_action_is_decided_on_the_resource_aws_authorizes_it_on() {
    let swept = sweep(&cross_account_reader(), Some("S3")).expect("sweep");
    assert_eq!(swept.service.as_deref(), Some("s3"));
    // Objects: the case's resource; the bucket policy allows only GetObject.
    let get = row(&swept, "s3:GetObject");
    assert_eq!(
        (get.scope, get.decision),
        (Scope::CaseResource, Outcome::Allowed)
    );
    assert_eq!(get.resource.as_deref(), Some(swept.resource.as_str()));
    let acl = row(&swept, "s3:GetObjectAcl");
    assert_eq!(
        (acl.decision, acl.denied_by),
        (Outcome::ImplicitDeny, Some(Layer::Resource))
    );
    let delete = row(&swept, "s3:DeleteObject");
    assert_eq!(
        (delete.decision, delete.denied_by),
        (Outcome::ExplicitDeny, Some(Layer::Identity))
    );
    // The bucket is another resource type: not decided on an object.
    let list = row(&swept, "s3:ListBucket");
    assert_eq!(
        (list.scope, list.decision, list.resource.as_deref()),
        (Scope::OtherResourceTypes, Outcome::NotApplicable, None)
    );
    assert!(
        list.authorized_on.contains(&"bucket"),
        "{:?}",
        list.authorized_on
    );
    // No resource-level permissions: on `*`, in the caller's account, without the bucket
    // policy; the identity policy's `s3:List*` on `*` allows it.
    let all = row(&swept, "s3:ListAllMyBuckets");
    assert_eq!(
        (all.scope, all.decision, all.resource.as_deref()),
        (Scope::AllResources, Outcome::Allowed, Some("*"))
    );
    let c = swept.counts;
    assert_eq!(c.total, swept.actions.len());
    assert_eq!(
        c.allowed + c.explicit_deny + c.implicit_deny + c.undecided + c.not_applicable,
        c.total
    );
    assert!(swept.notes.iter().any(|n| n.contains("leave out the RCPs")));
}

#[test]
fn a_row_is_what_evaluating_its_own_case_says() {
    let case = cross_account_reader();
    let swept = sweep(&case, Some("s3")).expect("sweep");
    for r in swept
        .actions
        .iter()
        .filter(|r| r.scope != Scope::OtherResourceTypes)
    {
        let single = scenario_for(&case, &r.action, r.scope).expect("decided");
        let explained = Verdict::of(&evaluate(&single));
        assert_eq!(Outcome::of(&explained), r.decision, "{}", r.action);
    }
    assert!(scenario_for(&case, "s3:ListBucket", Scope::OtherResourceTypes).is_none());
}

#[test]
fn the_whole_catalog_is_swept_when_no_service_is_given() {
    let swept = sweep(&cross_account_reader(), None).expect("sweep");
    let cat = catalog::catalog().expect("catalog");
    assert_eq!(swept.actions.len(), cat.actions().count());
    assert!(swept.actions.len() > 20_000);
    assert_eq!(swept.service, None);
    // Another service's actions on resources are not applicable to an S3 object; EC2's
    // describe actions take `*` and the identity policy does not allow them.
    let run = row(&swept, "ec2:RunInstances");
    assert_eq!(run.decision, Outcome::NotApplicable);
    let describe = row(&swept, "ec2:DescribeInstances");
    assert_eq!(
        (describe.scope, describe.decision, describe.denied_by),
        (
            Scope::AllResources,
            Outcome::ImplicitDeny,
            Some(Layer::Identity)
        )
    );
}

#[test]
fn an_unknown_service_is_refused_with_a_suggestion() {
    let err = sweep(&cross_account_reader(), Some("s4")).expect_err("no such service");
    assert!(err.message.contains("'s4'"), "{}", err.message);
    assert!(err.message.contains("did you mean 's3'"), "{}", err.message);
    let err = sweep(&cross_account_reader(), Some("nothing-like-it")).expect_err("unknown");
    assert!(!err.message.contains("did you mean"), "{}", err.message);
}

#[test]
fn kms_keys_and_aliases_are_different_resources() {
    let case = scenario(json!({
        "version": 1,
        "request": {"principal": "arn:aws:iam::111122223333:role/App", "action": "kms:Decrypt",
                    "resource": "arn:aws:kms:us-east-1:111122223333:alias/app"},
        "policies": {"identity": [{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "kms:*", "Resource": "*"}]}]}
    }));
    let swept = sweep(&case, Some("kms")).expect("sweep");
    assert_eq!(row(&swept, "kms:CreateAlias").scope, Scope::CaseResource);
    assert_eq!(row(&swept, "kms:Decrypt").scope, Scope::OtherResourceTypes);
    assert_eq!(row(&swept, "kms:ListKeys").scope, Scope::AllResources);
}

#[test]
fn a_case_on_star_decides_only_actions_without_resource_level_permissions() {
    let case = scenario(json!({
        "version": 1,
        "request": {"principal": "arn:aws:iam::111122223333:user/ana", "action": "s3:ListAllMyBuckets",
                    "resource": "*"},
        "policies": {"identity": [{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"}]}]}
    }));
    let swept = sweep(&case, Some("s3")).expect("sweep");
    assert!(swept
        .actions
        .iter()
        .all(|r| (r.scope == Scope::AllResources) == (r.decision == Outcome::Allowed)));
    assert_eq!(row(&swept, "s3:GetObject").decision, Outcome::NotApplicable);
    assert!(!swept.notes.iter().any(|n| n.contains("RCPs")));
}

#[test]
fn an_undecided_action_says_so_with_both_results() {
    let case = scenario(json!({
        "version": 1,
        "request": {"principal": "arn:aws:iam::111122223333:user/ana", "action": "s3:GetObject",
                    "resource": "arn:aws:s3:::amzn-s3-demo-bucket/k"},
        "policies": {"identity": [{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            {"Effect": "Deny", "Action": "s3:Put*", "Resource": "*",
             "Condition": {"StringEqualz": {"aws:username": "ana"}}}]}]}
    }));
    let swept = sweep(&case, Some("s3")).expect("sweep");
    let put = row(&swept, "s3:PutObject");
    assert_eq!(put.decision, Outcome::Undecided);
    let bounds = put.undecided.expect("bounds");
    assert_eq!(bounds.most_restrictive.decision, Decision::ExplicitDeny);
    assert_eq!(bounds.most_permissive.decision, Decision::Allowed);
    assert_eq!(put.denied_by, Some(Layer::Identity));
    assert_eq!(row(&swept, "s3:GetObject").decision, Outcome::Allowed);
}
