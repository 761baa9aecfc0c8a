//! The request itself is checked: AWS authorizes one action (`service:ActionName`) on one
//! resource (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html>),
//! and account IDs are 12 digits
//! (<https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html>).
//! A request that is not one is an input error, so the result is never presented as complete.

use iamtrace_engine::decision::{evaluate, Evaluation};
use iamtrace_engine::scenario::Scenario;
use serde_json::json;

fn run(action: &str, resource: &str, resource_account: Option<&str>) -> Evaluation {
    let mut request = json!({"principal": "arn:aws:iam::111122223333:user/jane",
        "action": action, "resource": resource});
    if let Some(a) = resource_account {
        request["resource_account"] = json!(a);
    }
    let s = json!({"version": 1, "request": request, "policies": {"identity": [
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}]}});
    evaluate(&Scenario::parse(&s.to_string()).expect("scenario").scenario)
}

fn error_on<'a>(e: &'a Evaluation, place: &str) -> &'a str {
    e.errors
        .iter()
        .find(|x| x.place == place)
        .map(|x| x.message.as_str())
        .unwrap_or_else(|| panic!("no error on {place}: {:?}", e.errors))
}

#[test]
fn malformed_actions_are_errors_that_say_what_a_request_looks_like() {
    for (action, says) in [
        ("", "names no action"),
        ("GetObject", "has no service prefix"),
        ("s3:", "not a whole action"),
        (":GetObject", "not a whole action"),
        ("s3:Get Object", "not an action name"),
    ] {
        let e = run(action, "arn:aws:s3:::bucket/key", None);
        let m = error_on(&e, "request.action");
        assert!(m.contains(says), "{action:?}: {m}");
        assert!(m.contains("s3:GetObject"), "{m}");
        assert!(!e.complete, "{action:?}");
    }
}

#[test]
fn a_wildcard_in_the_request_is_explained() {
    let e = run("s3:Get*", "arn:aws:s3:::bucket/key", None);
    let m = error_on(&e, "request.action");
    assert!(m.contains("'s3:Get*' is a pattern, not an action"), "{m}");
    assert!(m.contains("Wildcards belong in policies"), "{m}");
}

#[test]
fn an_empty_resource_is_an_error() {
    let e = run("s3:GetObject", "  ", None);
    assert!(error_on(&e, "request.resource").contains("names no resource"));
    assert!(!e.complete);
}

#[test]
fn a_resource_account_that_is_not_an_account_id_is_not_read_as_another_account() {
    let e = run("s3:GetObject", "arn:aws:s3:::bucket/key", Some("prod"));
    assert!(error_on(&e, "request.resource_account").contains("'prod' is not an AWS account ID"));
    assert!(
        !e.cross_account,
        "an unreadable account must not make the request cross-account"
    );
    assert!(!e.complete);
    let e = run(
        "s3:GetObject",
        "arn:aws:s3:::bucket/key",
        Some("11112222333"),
    );
    assert!(!e.cross_account);
    assert!(!e.errors.is_empty());
}

#[test]
fn well_formed_requests_have_no_request_errors() {
    for (action, account) in [
        ("s3:GetObject", Some("111122223333")),
        ("execute-api:Invoke", None),
        ("sts:AssumeRole", Some("444455556666")),
    ] {
        let e = run(action, "arn:aws:s3:::bucket/key", account);
        assert!(e.errors.is_empty(), "{action}: {:?}", e.errors);
    }
}
