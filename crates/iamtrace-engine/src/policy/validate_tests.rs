//! One test per validation finding: the policy a user would write, the code they would see.

use crate::policy::{parse_policy, Finding, PolicyType, Severity};

/// Findings for a policy of the given type (the text must be JSON).
fn findings(policy_type: PolicyType, text: &str) -> Vec<Finding> {
    parse_policy(text, policy_type)
        .unwrap_or_else(|e| panic!("not JSON: {e}"))
        .findings
}

fn codes(policy_type: PolicyType, text: &str) -> Vec<&'static str> {
    findings(policy_type, text)
        .iter()
        .map(|f| f.code.as_str())
        .collect()
}

/// An identity-policy statement with the given extra members, wrapped in a 2012-10-17 policy.
fn identity(members: &str) -> Vec<&'static str> {
    codes(
        PolicyType::Identity,
        &format!(r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow",{members}}}}}"#),
    )
}

/// A single condition block on an otherwise clean identity statement.
fn condition(block: &str) -> Vec<Finding> {
    findings(
        PolicyType::Identity,
        &format!(
            r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{block}}}}}"#
        ),
    )
}

fn condition_codes(block: &str) -> Vec<&'static str> {
    condition(block).iter().map(|f| f.code.as_str()).collect()
}

fn find<'a>(fs: &'a [Finding], code: &str) -> &'a Finding {
    fs.iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {code} in {fs:?}"))
}

const CLEAN: &str = r#""Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*""#;

#[test]
fn a_clean_identity_policy_has_no_findings() {
    assert!(identity(CLEAN).is_empty());
}

#[test]
fn missing_version_is_a_warning_that_mentions_variables() {
    let fs = findings(
        PolicyType::Identity,
        r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#,
    );
    let f = find(&fs, "missing-version");
    assert_eq!(f.severity, Severity::Warning);
    assert!(f.message.contains("literal"));
}

#[test]
fn scp_and_rcp_require_the_current_version() {
    let text =
        r#"{"Version":"2008-10-17","Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*"}}"#;
    assert_eq!(codes(PolicyType::Scp, text), ["version-required"]);
    let text = r#"{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}}"#;
    assert_eq!(codes(PolicyType::Rcp, text), ["version-required"]);
}

#[test]
fn version_after_statement_is_a_suggestion() {
    let fs = findings(
        PolicyType::Identity,
        r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"},"Version":"2012-10-17"}"#,
    );
    assert_eq!(
        find(&fs, "version-after-statement").severity,
        Severity::Suggestion
    );
}

#[test]
fn id_is_refused_in_identity_policies_only() {
    let text = r#"{"Version":"2012-10-17","Id":"x","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#;
    assert_eq!(codes(PolicyType::Identity, text), ["id-not-allowed"]);
    assert_eq!(codes(PolicyType::Session, text), ["id-not-allowed"]);
    let text = r#"{"Version":"2012-10-17","Id":"x","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject"}}"#;
    assert!(codes(PolicyType::Resource, text).is_empty());
}

#[test]
fn sids_must_be_alphanumeric_and_unique() {
    let text = r#"{"Version":"2012-10-17","Statement":[
        {"Sid":"Read Only","Effect":"Allow","Action":"s3:Get*","Resource":"*"},
        {"Sid":"A1","Effect":"Allow","Action":"s3:Get*","Resource":"*"},
        {"Sid":"A1","Effect":"Deny","Action":"s3:Put*","Resource":"*"}]}"#;
    assert_eq!(
        codes(PolicyType::Identity, text),
        ["invalid-sid", "duplicate-sid"]
    );
    let fs = findings(PolicyType::Identity, text);
    assert_eq!(find(&fs, "duplicate-sid").severity, Severity::Error);
    // Resource policies of other services may allow spaces; duplicates there are a warning.
    let text = text.replace("\"Effect\"", "\"Principal\":\"*\",\"Effect\"");
    let fs = findings(PolicyType::Resource, &text);
    assert_eq!(fs.len(), 1, "{fs:?}");
    assert_eq!(find(&fs, "duplicate-sid").severity, Severity::Warning);
}

#[test]
fn principal_is_forbidden_in_identity_boundary_session_and_scp() {
    let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}}"#;
    for t in [
        PolicyType::Identity,
        PolicyType::PermissionsBoundary,
        PolicyType::Session,
        PolicyType::Scp,
    ] {
        assert_eq!(codes(t, text), ["principal-not-allowed"], "{t:?}");
    }
}

#[test]
fn principal_is_required_in_resource_trust_rcp_and_endpoint_policies() {
    let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}}"#;
    for t in [
        PolicyType::Resource,
        PolicyType::Rcp,
        PolicyType::VpcEndpoint,
    ] {
        assert_eq!(codes(t, text), ["missing-principal"], "{t:?}");
    }
    let trust =
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}}"#;
    assert_eq!(codes(PolicyType::TrustPolicy, trust), ["missing-principal"]);
}

#[test]
fn rcp_rules() {
    let rcp = |stmt: &str| {
        codes(
            PolicyType::Rcp,
            &format!(r#"{{"Version":"2012-10-17","Statement":{stmt}}}"#),
        )
    };
    // AWS's own RCPFullAWSAccess is the one allowed Allow.
    assert!(rcp(r#"{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}"#).is_empty());
    assert_eq!(
        rcp(r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}"#),
        ["rcp-allow"]
    );
    assert_eq!(
        rcp(r#"{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}"#),
        ["rcp-action-wildcard"]
    );
    assert_eq!(
        rcp(r#"{"Effect":"Deny","Principal":"*","NotAction":"s3:*","Resource":"*"}"#),
        ["rcp-notaction"]
    );
    assert_eq!(
        rcp(
            r#"{"Effect":"Deny","Principal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}"#
        ),
        ["rcp-principal-not-star"]
    );
    assert_eq!(
        rcp(r#"{"Effect":"Deny","NotPrincipal":"*","Action":"s3:*","Resource":"*"}"#),
        ["notprincipal-not-allowed"]
    );
    assert_eq!(
        rcp(r#"{"Effect":"Deny","Principal":"*","Action":"s3:*"}"#),
        ["missing-resource"]
    );
}

#[test]
fn trust_policy_rules() {
    let trust = |stmt: &str| {
        codes(
            PolicyType::TrustPolicy,
            &format!(r#"{{"Version":"2012-10-17","Statement":{stmt}}}"#),
        )
    };
    assert!(trust(r#"{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}"#).is_empty());
    assert_eq!(
        trust(r#"{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}"#),
        ["trust-wildcard-principal"]
    );
    assert_eq!(
        trust(
            r#"{"Effect":"Deny","NotPrincipal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}"#
        ),
        ["notprincipal-not-allowed"]
    );
    assert_eq!(
        trust(
            r#"{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole","Resource":"*"}"#
        ),
        ["resource-not-allowed"]
    );
}

#[test]
fn broad_allows_are_security_warnings() {
    let resource = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"*"}}"#;
    let fs = findings(PolicyType::Resource, resource);
    assert_eq!(
        find(&fs, "allow-with-notprincipal").severity,
        Severity::SecurityWarning
    );
    assert_eq!(
        identity(r#""NotAction":"iam:*","Resource":"*""#),
        ["allow-with-notaction"]
    );
    assert_eq!(
        identity(r#""Action":"s3:*","NotResource":"arn:aws:s3:::secret/*""#),
        ["allow-with-notresource"]
    );
    // In an SCP, Allow + NotAction is the usual deny-list shape and grants nothing.
    let scp = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}}"#;
    assert!(codes(PolicyType::Scp, scp).is_empty());
}

#[test]
fn empty_arrays_make_a_statement_inert() {
    assert_eq!(identity(r#""Action":[],"Resource":"*""#), ["empty-array"]);
    assert_eq!(
        identity(r#""Action":"s3:*","Resource":[]"#),
        ["empty-array"]
    );
    assert_eq!(
        condition_codes(r#"{"StringEquals":{"aws:username":[]}}"#),
        ["empty-array"]
    );
}

#[test]
fn missing_resource_in_identity_policy() {
    assert_eq!(identity(r#""Action":"s3:*""#), ["missing-resource"]);
}

#[test]
fn actions_are_checked_for_shape() {
    assert_eq!(
        identity(r#""Action":"GetObject","Resource":"*""#),
        ["invalid-action"]
    );
    assert_eq!(
        identity(r#""Action":"s3:Get Object","Resource":"*""#),
        ["invalid-action"]
    );
    let fs = findings(
        PolicyType::Identity,
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3*:Get*","Resource":"*"}}"#,
    );
    assert_eq!(
        find(&fs, "wildcard-in-service-name").severity,
        Severity::Suggestion
    );
}

#[test]
fn malformed_resource_arns() {
    assert_eq!(
        identity(r#""Action":"s3:*","Resource":"my-bucket""#),
        ["invalid-arn-prefix"]
    );
    assert_eq!(
        identity(r#""Action":"iam:*","Resource":"arn:aws:iam::123456789012:u*""#),
        ["iam-resource-type-wildcard"]
    );
    assert_eq!(
        identity(r#""Action":"s3:*","Resource":"arn:aws-mars:s3:::b""#),
        ["invalid-arn-partition"]
    );
    assert_eq!(
        identity(r#""Action":"s3:*","Resource":"arn:aws:s3:b""#),
        ["arn-too-short"]
    );
}

#[test]
fn malformed_principals() {
    let resource = |p: &str| {
        codes(
            PolicyType::Resource,
            &format!(
                r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Deny","Principal":{p},"Action":"s3:GetObject","Resource":"*"}}}}"#
            ),
        )
    };
    assert_eq!(
        resource(r#"{"AWS":"arn:aws:iam::111122223333:user/dev-*"}"#),
        ["principal-partial-wildcard"]
    );
    assert_eq!(
        resource(r#"{"AWS":"1111-2222-3333"}"#),
        ["invalid-principal"]
    );
    assert_eq!(resource(r#"{"Group":"admins"}"#), ["invalid-principal-key"]);
    assert_eq!(
        resource(r#"{"AWS":"arn:aws:iam::${aws:PrincipalAccount}:root"}"#),
        ["policy-variable-not-allowed"]
    );
}

#[test]
fn unknown_operator_message_carries_the_suggestion() {
    let fs = condition(r#"{"stringEquals":{"aws:username":"bob"}}"#);
    let f = find(&fs, "unknown-condition-operator");
    assert_eq!(f.severity, Severity::Error);
    assert!(
        f.message.contains("did you mean 'StringEquals'"),
        "{}",
        f.message
    );
}

#[test]
fn unknown_operator_is_reported_once_per_block() {
    let fs = condition(r#"{"StringEqual":{"aws:username":"bob","aws:userid":"x"}}"#);
    assert_eq!(fs.len(), 1, "{fs:?}");
}

#[test]
fn null_if_exists() {
    let fs = condition(r#"{"NullIfExists":{"aws:TokenIssueTime":"true"}}"#);
    assert!(find(&fs, "null-if-exists").message.contains("IfExists"));
}

#[test]
fn for_all_values_on_a_single_valued_key() {
    let fs = condition(r#"{"ForAllValues:StringEquals":{"aws:RequestedRegion":"eu-west-1"}}"#);
    assert_eq!(
        find(&fs, "forallvalues-single-valued-key").severity,
        Severity::SecurityWarning
    );
    // Multivalued global keys and unknown service keys draw no such finding.
    assert!(condition_codes(r#"{"ForAllValues:StringEquals":{"aws:TagKeys":"team"}}"#).is_empty());
    assert!(
        condition_codes(r#"{"ForAllValues:StringEquals":{"ec2:InstanceType":"t3.micro"}}"#)
            .is_empty()
    );
}

#[test]
fn multivalued_key_without_qualifier() {
    assert_eq!(
        condition_codes(r#"{"StringEquals":{"aws:TagKeys":"team"}}"#),
        ["multivalued-key-without-qualifier"]
    );
    assert!(condition_codes(r#"{"Null":{"aws:TagKeys":"false"}}"#).is_empty());
}

#[test]
fn null_with_a_set_qualifier() {
    assert_eq!(
        condition_codes(r#"{"ForAnyValue:Null":{"aws:TagKeys":"true"}}"#),
        ["null-with-set-qualifier"]
    );
}

#[test]
fn bool_takes_one_value() {
    assert_eq!(
        condition_codes(r#"{"Bool":{"aws:SecureTransport":["true","false"]}}"#),
        ["bool-multiple-values"]
    );
}

#[test]
fn type_mismatches() {
    for block in [
        r#"{"NumericLessThan":{"s3:max-keys":"ten"}}"#,
        r#"{"DateGreaterThan":{"aws:CurrentTime":"yesterday"}}"#,
        r#"{"Bool":{"aws:SecureTransport":"yes"}}"#,
        r#"{"IpAddress":{"aws:SourceIp":"203.0.113.300/24"}}"#,
        r#"{"BinaryEquals":{"s3:x":"not base64!"}}"#,
        r#"{"ArnLike":{"aws:SourceArn":"my-topic"}}"#,
    ] {
        let fs = condition(block);
        assert_eq!(
            find(&fs, "type-mismatch").severity,
            Severity::Warning,
            "{block}"
        );
    }
    for block in [
        r#"{"NumericLessThan":{"s3:max-keys":10}}"#,
        r#"{"DateGreaterThan":{"aws:CurrentTime":"2024-01-01T00:00:00Z"}}"#,
        r#"{"Bool":{"aws:SecureTransport":false}}"#,
        r#"{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:db8::/32","198.51.100.7"]}}"#,
        r#"{"BinaryEquals":{"s3:x":"QmluYXJ5VmFsdWU="}}"#,
    ] {
        assert!(condition_codes(block).is_empty(), "{block}");
    }
}

#[test]
fn wildcard_in_string_equals_suggests_like() {
    let fs = condition(r#"{"StringNotEquals":{"aws:PrincipalTag/team":"dev*"}}"#);
    assert!(find(&fs, "wildcard-without-like")
        .message
        .contains("StringNotLike"));
    assert!(condition_codes(r#"{"StringLike":{"aws:PrincipalTag/team":"dev*"}}"#).is_empty());
}

#[test]
fn cidr_host_bits_and_private_source_ip() {
    let fs = condition(r#"{"IpAddress":{"aws:SourceIp":"203.0.113.5/24"}}"#);
    assert!(find(&fs, "cidr-host-bits")
        .message
        .contains("203.0.113.0/24"));
    let fs = condition(r#"{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","192.168.1.0/24"]}}"#);
    assert_eq!(
        find(&fs, "source-ip-private-only").severity,
        Severity::Error
    );
    assert!(
        condition_codes(r#"{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","203.0.113.0/24"]}}"#)
            .is_empty()
    );
    assert!(condition_codes(r#"{"IpAddress":{"aws:VpcSourceIp":"10.0.0.0/8"}}"#).is_empty());
}

#[test]
fn case_twins_are_found_in_long_condition_blocks_too() {
    // Long blocks are checked by hashing, short ones by comparing: both find the same twins,
    // and only those, wherever they stand and whatever else is there.
    for n in [3, 31, 32, 33, 40, 80] {
        for (a, b) in [(0, 1), (1, n - 1), (n - 2, n - 1), (0, n - 1)] {
            let keys: Vec<String> = (0..n)
                .map(|i| match i {
                    _ if i == a => r#""aws:PrincipalTag/Team":"x""#.to_string(),
                    _ if i == b => r#""aws:principaltag/team":"y""#.to_string(),
                    _ => format!(r#""aws:PrincipalTag/k{i}":"v""#),
                })
                .collect();
            let fs = condition(&format!(r#"{{"StringEquals":{{{}}}}}"#, keys.join(",")));
            let twins: Vec<_> = fs
                .iter()
                .filter(|f| f.code == "duplicate-condition-key")
                .collect();
            assert_eq!(twins.len(), 1, "n={n} a={a} b={b}: {fs:?}");
            assert!(
                twins[0].message.contains("'aws:principaltag/team'"),
                "{twins:?}"
            );
        }
        let same: Vec<String> = (0..n)
            .map(|i| format!(r#""aws:PrincipalTag/k{}":"v""#, i % (n / 2 + 1)))
            .collect();
        let fs = condition(&format!(r#"{{"StringEquals":{{{}}}}}"#, same.join(",")));
        assert!(
            !fs.iter().any(|f| f.code == "duplicate-condition-key"),
            "same spelling twice is a duplicate member, not a case twin: {fs:?}"
        );
    }
}

#[test]
fn duplicate_condition_keys_differing_in_case() {
    let fs =
        condition(r#"{"StringEquals":{"aws:PrincipalTag/Team":"a","aws:principaltag/team":"b"}}"#);
    let f = find(&fs, "duplicate-condition-key");
    assert_eq!(f.severity, Severity::Error);
    // Same key under two different operators is fine.
    assert!(condition_codes(
        r#"{"StringEquals":{"aws:PrincipalTag/Team":"a"},"StringLike":{"aws:principaltag/team":"b*"}}"#
    )
    .is_empty());
}

#[test]
fn malformed_policy_variables() {
    for value in [
        "${}",
        "home/${aws:username",
        "${aws:user name}",
        "${aws:username,'x'}",
    ] {
        let fs = condition(&format!(r#"{{"StringLike":{{"s3:prefix":"{value}"}}}}"#));
        assert_eq!(
            find(&fs, "invalid-policy-variable").severity,
            Severity::Error,
            "{value}"
        );
        let codes = identity(&format!(
            r#""Action":"s3:*","Resource":"arn:aws:s3:::b/{value}""#
        ));
        assert_eq!(codes, ["invalid-policy-variable"], "{value}");
    }
    assert!(condition_codes(
        r#"{"StringLike":{"s3:prefix":"home/${aws:username, 'nobody'}/${*}"}}"#
    )
    .is_empty());
}

#[test]
fn variables_in_old_versions_are_literal() {
    let fs = findings(
        PolicyType::Identity,
        r#"{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}/*"}}"#,
    );
    let f = find(&fs, "policy-variable-in-old-version");
    assert_eq!(f.severity, Severity::Warning);
    let fs = findings(
        PolicyType::Identity,
        r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"s3:prefix":"${aws:username}"}}}}"#,
    );
    find(&fs, "policy-variable-in-old-version");
}

#[test]
fn variables_where_they_are_not_allowed() {
    assert_eq!(
        identity(r#""Action":"s3:${aws:username}","Resource":"*""#),
        ["policy-variable-not-allowed"]
    );
    assert_eq!(
        identity(r#""Action":"s3:*","Resource":"arn:aws:s3:${aws:RequestedRegion}::b""#),
        ["policy-variable-not-allowed"]
    );
    assert_eq!(
        condition_codes(r#"{"StringEquals":{"aws:PrincipalTag/${aws:username}":"x"}}"#),
        ["policy-variable-not-allowed"]
    );
    assert_eq!(
        condition_codes(r#"{"NumericEquals":{"s3:max-keys":"${aws:username}"}}"#),
        ["policy-variable-unsupported-operator"]
    );
    assert_eq!(
        condition_codes(r#"{"StringEquals":{"s3:prefix":"${aws:TagKeys}"}}"#),
        ["policy-variable-multivalued-key"]
    );
}

#[test]
fn finding_spans_point_at_the_offending_text() {
    let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": {\n    \"Effect\": \"Allow\",\n    \"Action\": \"s3:*\",\n    \"Resource\": \"*\",\n    \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"yes\"}}\n  }\n}";
    let fs = findings(PolicyType::Identity, text);
    let f = find(&fs, "type-mismatch");
    assert_eq!((f.span.line, f.span.column), (7, 51));
    assert_eq!(&text[f.span.start..f.span.end], "\"yes\"");
}

#[test]
fn federated_principal_needs_the_matching_action() {
    let trust = |principal: &str, action: &str| {
        codes(
            PolicyType::TrustPolicy,
            &format!(
                r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Principal":{principal},"Action":{action}}}}}"#
            ),
        )
    };
    let saml = r#"{"Federated":"arn:aws:iam::111122223333:saml-provider/Okta"}"#;
    let oidc = r#"{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}"#;
    assert!(trust(saml, r#""sts:AssumeRoleWithSAML""#).is_empty());
    assert!(trust(
        oidc,
        r#"["sts:AssumeRoleWithWebIdentity","sts:TagSession"]"#
    )
    .is_empty());
    assert_eq!(
        trust(saml, r#""sts:AssumeRole""#),
        ["federated-principal-action-mismatch"]
    );
    assert_eq!(
        trust(oidc, r#""sts:AssumeRoleWithSAML""#),
        [
            "federated-principal-action-mismatch",
            "federated-principal-action-mismatch"
        ]
    );
    assert_eq!(
        trust(
            r#"{"AWS":"111122223333"}"#,
            r#""sts:AssumeRoleWithWebIdentity""#
        ),
        ["federated-principal-action-mismatch"]
    );
}
