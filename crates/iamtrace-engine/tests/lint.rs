//! Each catalog lint code on a realistic policy, and the wildcards, variables and `Not…`
//! elements that must stay silent.

use iamtrace_engine::lint::lint_policy;
use iamtrace_engine::policy::{parse_policy, Finding, PolicyType, Severity};

fn lint(text: &str) -> Vec<Finding> {
    let parsed = parse_policy(text, PolicyType::Identity).expect("JSON");
    lint_policy(&parsed.policy, PolicyType::Identity)
}

fn codes(text: &str) -> Vec<&'static str> {
    lint(text).iter().map(|f| f.code.as_str()).collect()
}

fn statement(body: &str) -> String {
    format!(r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", {body}}}]}}"#)
}

#[test]
fn a_typo_in_an_action_is_an_error_with_the_right_name() {
    let text = statement(
        r#""Action": ["s3:GetObjects", "s3:PutObject"], "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*""#,
    );
    let f = lint(&text);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].code, "unknown-action");
    assert_eq!(f[0].severity, Severity::Error);
    assert!(
        f[0].message.contains("Did you mean `s3:GetObject`?"),
        "{}",
        f[0].message
    );
    assert_eq!((f[0].span.line, f[0].span.column), (1, 72));
    assert_eq!(&text[f[0].span.start..f[0].span.end], "\"s3:GetObjects\"");
}

#[test]
fn an_unknown_service_is_an_error() {
    let f = lint(&statement(r#""Action": "s4:GetObject", "Resource": "*""#));
    assert_eq!(
        f.iter().map(|f| f.code).collect::<Vec<_>>(),
        ["unknown-service"]
    );
    assert!(
        f[0].message.contains("did you mean `s3`?"),
        "{}",
        f[0].message
    );
}

#[test]
fn a_wildcard_that_matches_nothing_is_a_warning_and_real_wildcards_are_silent() {
    let f = lint(&statement(r#""Action": "s3:Gte*", "Resource": "*""#));
    assert_eq!(
        f.iter()
            .map(|f| (f.code.as_str(), f.severity))
            .collect::<Vec<_>>(),
        [("action-pattern-matches-nothing", Severity::Warning)]
    );
    for ok in [
        "s3:Get*",
        "s3:*",
        "*",
        "s3:?etObject",
        "ec2:Describe*",
        "*:Get*",
        "s3*:List*",
        "IAM:list*",
    ] {
        let text = statement(&format!(r#""Action": "{ok}", "Resource": "*""#));
        assert!(codes(&text).is_empty(), "{ok}: {:?}", lint(&text));
    }
}

#[test]
fn list_bucket_on_objects_is_a_resource_type_mismatch() {
    let f = lint(&statement(
        r#""Action": ["s3:ListBucket", "s3:GetObject"], "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*""#,
    ));
    assert_eq!(
        f.iter().map(|f| f.code).collect::<Vec<_>>(),
        ["resource-type-mismatch"]
    );
    assert!(
        f[0].message.contains("`s3:ListBucket` is authorized on"),
        "{}",
        f[0].message
    );
    assert!(
        f[0].message
            .contains("bucket `arn:${Partition}:s3:::${BucketName}`"),
        "{}",
        f[0].message
    );
    // Both ARNs listed: each action finds its own.
    let ok = statement(
        r#""Action": ["s3:ListBucket", "s3:GetObject"], "Resource": ["arn:aws:s3:::amzn-s3-demo-bucket", "arn:aws:s3:::amzn-s3-demo-bucket/*"]"#,
    );
    assert!(codes(&ok).is_empty(), "{:?}", lint(&ok));
    // GetObject on the bucket ARN.
    let f = lint(&statement(
        r#""Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket""#,
    ));
    assert_eq!(
        f.iter().map(|f| f.code).collect::<Vec<_>>(),
        ["resource-type-mismatch"]
    );
}

#[test]
fn kms_decrypt_on_an_alias_is_a_resource_type_mismatch() {
    let f = lint(&statement(
        r#""Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:alias/ExampleAlias""#,
    ));
    assert_eq!(
        f.iter().map(|f| f.code).collect::<Vec<_>>(),
        ["resource-type-mismatch"]
    );
    assert!(
        f[0].message
            .contains("key `arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}`"),
        "{}",
        f[0].message
    );
    let ok = statement(
        r#""Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/*""#,
    );
    assert!(codes(&ok).is_empty());
}

#[test]
fn an_action_without_resource_level_permissions_needs_a_star() {
    let f = lint(&statement(
        r#""Action": "s3:ListAllMyBuckets", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket""#,
    ));
    assert_eq!(
        f.iter().map(|f| f.code).collect::<Vec<_>>(),
        ["resource-type-mismatch"]
    );
    assert!(
        f[0].message
            .contains("does not support resource-level permissions"),
        "{}",
        f[0].message
    );
    assert!(codes(&statement(
        r#""Action": "s3:ListAllMyBuckets", "Resource": "*""#
    ))
    .is_empty());
}

#[test]
fn variables_not_elements_and_open_arns_never_mismatch() {
    for body in [
        r#""Action": "s3:ListBucket", "Resource": "arn:aws:s3:::${aws:username}""#,
        r#""Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/home/${aws:username}/*""#,
        r#""Action": "s3:ListBucket", "NotResource": "arn:aws:s3:::amzn-s3-demo-bucket/*""#,
        r#""NotAction": "s3:ListBucket", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*""#,
        r#""Action": "s3:ListBucket", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket*""#,
        r#""Action": "s3:ListBucket", "Resource": "arn:aws:s3:*""#,
        r#""Action": "iam:PassRole", "Resource": "arn:aws:iam::*:role/service-role/*""#,
        r#""Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:*:111122223333:function:my-function:*""#,
        r#""Action": "logs:PutLogEvents", "Resource": "arn:aws:logs:*:*:log-group:/aws/lambda/*:*""#,
    ] {
        let text = statement(body);
        assert!(codes(&text).is_empty(), "{body}: {:?}", lint(&text));
    }
}

#[test]
fn an_unknown_condition_key_is_a_warning_with_a_suggestion() {
    let f = lint(&statement(
        r#""Action": "s3:PutObject", "Resource": "*", "Condition": {"StringEquals": {"s3:x-amz-server-side-encryptio": "aws:kms"}}"#,
    ));
    assert_eq!(
        f.iter()
            .map(|f| (f.code.as_str(), f.severity))
            .collect::<Vec<_>>(),
        [("unknown-condition-key", Severity::Warning)]
    );
    assert!(
        f[0].message
            .contains("Did you mean `s3:x-amz-server-side-encryption`?"),
        "{}",
        f[0].message
    );
    let f = lint(&statement(
        r#""Action": "*", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegions": "eu-west-1"}}"#,
    ));
    assert_eq!(
        f.iter().map(|f| f.code).collect::<Vec<_>>(),
        ["unknown-condition-key"]
    );
    assert!(
        f[0].message.contains("`aws:RequestedRegion`"),
        "{}",
        f[0].message
    );
}

#[test]
fn global_tag_and_provider_keys_are_known_in_any_case() {
    for key in [
        "aws:PrincipalTag/CostCenter",
        "AWS:principaltag/team",
        "aws:RequestTag/Project",
        "aws:ResourceTag/Project",
        "aws:SourceVpce",
        "aws:userid",
        "token.actions.githubusercontent.com:sub",
        "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub",
        "accounts.google.com:aud",
    ] {
        let text = statement(&format!(
            r#""Action": "s3:GetObject", "Resource": "*", "Condition": {{"StringEquals": {{"{key}": "x"}}}}"#
        ));
        assert!(codes(&text).is_empty(), "{key}: {:?}", lint(&text));
    }
}

#[test]
fn a_key_the_action_never_carries_is_a_warning() {
    let f = lint(&statement(
        r#""Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*", "Condition": {"StringLike": {"s3:prefix": "home/*"}}"#,
    ));
    assert_eq!(
        f.iter()
            .map(|f| (f.code.as_str(), f.severity))
            .collect::<Vec<_>>(),
        [("condition-key-not-for-action", Severity::Warning)]
    );
    assert!(f[0].message.contains("s3:GetObject"), "{}", f[0].message);
    // ListBucket carries s3:prefix; a wildcard that includes it, NotAction and `*` are silent.
    for body in [
        r#""Action": "s3:ListBucket", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket""#,
        r#""Action": "s3:List*", "Resource": "*""#,
        r#""Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*""#,
        r#""NotAction": "s3:GetObject", "Resource": "*""#,
        r#""Action": "*", "Resource": "*""#,
    ] {
        let text = statement(&format!(
            r#"{body}, "Condition": {{"StringLike": {{"s3:prefix": "home/*"}}}}"#
        ));
        assert!(codes(&text).is_empty(), "{body}: {:?}", lint(&text));
    }
}

#[test]
fn an_operator_of_the_wrong_type_is_a_warning() {
    let f = lint(&statement(
        r#""Action": "*", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceIp": "203.0.113.0/24"}}"#,
    ));
    assert_eq!(
        f.iter()
            .map(|f| (f.code.as_str(), f.severity))
            .collect::<Vec<_>>(),
        [("operator-key-type-mismatch", Severity::Warning)]
    );
    assert!(f[0].message.contains("IPAddress"), "{}", f[0].message);
    let f = lint(&statement(
        r#""Action": "*", "Resource": "*", "Condition": {"NumericLessThan": {"aws:MultiFactorAuthPresent": "1"}}"#,
    ));
    assert_eq!(
        f.iter().map(|f| f.code).collect::<Vec<_>>(),
        ["operator-key-type-mismatch"]
    );
    for cond in [
        r#""IpAddress": {"aws:SourceIp": "203.0.113.0/24"}"#,
        r#""Bool": {"aws:SecureTransport": "false"}"#,
        r#""NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}"#,
        r#""NumericGreaterThan": {"aws:EpochTime": "1700000000"}"#,
        r#""DateGreaterThan": {"aws:CurrentTime": "2026-01-01T00:00:00Z"}"#,
        r#""ArnLike": {"aws:SourceArn": "arn:aws:sns:*:111122223333:*"}"#,
        r#""StringLike": {"aws:SourceArn": "arn:aws:sns:*:111122223333:*"}"#,
        r#""Null": {"aws:SourceIp": "true"}"#,
        r#""ForAnyValue:StringEquals": {"aws:TagKeys": ["Project"]}"#,
    ] {
        let text = statement(&format!(
            r#""Action": "*", "Resource": "*", "Condition": {{{cond}}}"#
        ));
        assert!(codes(&text).is_empty(), "{cond}: {:?}", lint(&text));
    }
}
