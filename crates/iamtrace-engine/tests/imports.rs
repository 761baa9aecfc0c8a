//! Importers: realistic artefacts of each kind, every extracted field asserted.

use iamtrace_engine::imports::{import, import_as, ArtefactKind, Import, ImportOptions, Observed};
use serde_json::Value;

fn fixture(name: &str) -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/artefacts/"
    );
    std::fs::read_to_string(format!("{path}{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn imp(text: &str) -> Import {
    import(text, &ImportOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn observed(i: &Import) -> Observed {
    Observed::from_json(i.scenario.observed.as_ref().expect("observed")).unwrap()
}

fn ctx<'a>(i: &'a Import, key: &str) -> Option<&'a Value> {
    i.scenario.request.context.get(key)
}

fn not_recognised(text: &str) -> String {
    let e = import(text, &ImportOptions::default()).expect_err("should not be recognised");
    assert!(e.reason.starts_with("not recognised"), "{}", e.reason);
    e.reason
}

#[test]
fn decoded_message_whole_cli_output() {
    let i = imp(&fixture("decoded-explicit-user.json"));
    assert_eq!(i.kind, ArtefactKind::DecodedMessage);
    let r = &i.scenario.request;
    assert_eq!(
        r.principal.as_deref(),
        Some("arn:aws:iam::111122223333:user/mateo")
    );
    assert_eq!(r.action, "ec2:TerminateInstances");
    assert_eq!(
        r.resource,
        "arn:aws:ec2:eu-west-1:111122223333:instance/i-0123456789abcdef0"
    );
    assert_eq!(r.resource_account.as_deref(), Some("111122223333"));
    assert_eq!(ctx(&i, "ec2:ResourceTag/env"), Some(&Value::from("prod")));
    assert_eq!(
        ctx(&i, "aws:RequestedRegion"),
        Some(&Value::from("eu-west-1"))
    );
    assert_eq!(
        ctx(&i, "aws:userid"),
        Some(&Value::from("AIDAEXAMPLEUSERID0001"))
    );
    for internal in [
        "aws:Region",
        "aws:Service",
        "aws:Resource",
        "aws:Type",
        "aws:Account",
        "aws:ARN",
    ] {
        assert!(
            ctx(&i, internal).is_none(),
            "{internal} leaked into the context"
        );
    }
    let o = observed(&i);
    assert_eq!(o.decision, "explicit_deny");
    assert_eq!(o.explicit, Some(true));
    assert_eq!(o.matched_statements.len(), 1);
    let s = &o.matched_statements[0];
    assert_eq!(s.sid, "ProtectProd");
    assert_eq!(s.effect, "Deny");
    assert_eq!(
        s.actions,
        vec!["ec2:TerminateInstances", "ec2:StopInstances"]
    );
    assert_eq!(s.resources, vec!["arn:aws:ec2:*:*:instance/*"]);
    assert!(o.context_keys.iter().any(|k| k == "aws:Service"));
    assert!(
        i.recognised.contains(
            "decode-authorization-message output for user arn:aws:iam::111122223333:user/mateo"
        ),
        "{}",
        i.recognised
    );
}

#[test]
fn error_text_enhanced_explicit_scp_with_arn() {
    let i = imp("User: arn:aws:sts::111122223333:assumed-role/Deployer/ci-run-42 is not authorized to perform: s3:PutObject on resource: \"arn:aws:s3:::amzn-s3-demo-bucket/reports/q1 final.csv\" with an explicit deny in a service control policy: arn:aws:organizations::999988887777:policy/o-a1b2c3d4e5/service_control_policy/p-examplescp1 (DenyRegions)");
    assert_eq!(i.kind, ArtefactKind::ErrorText);
    let r = &i.scenario.request;
    assert_eq!(
        r.principal.as_deref(),
        Some("arn:aws:sts::111122223333:assumed-role/Deployer/ci-run-42")
    );
    assert_eq!(r.action, "s3:PutObject");
    assert_eq!(
        r.resource,
        "arn:aws:s3:::amzn-s3-demo-bucket/reports/q1 final.csv"
    );
    let o = observed(&i);
    assert_eq!(o.decision, "explicit_deny");
    assert_eq!(o.layer.as_deref(), Some("scp"));
    assert_eq!(
        o.policy_arn.as_deref(),
        Some("arn:aws:organizations::999988887777:policy/o-a1b2c3d4e5/service_control_policy/p-examplescp1")
    );
    assert_eq!(o.policy_name.as_deref(), Some("DenyRegions"));
}

#[test]
fn garbage_is_not_recognised() {
    not_recognised("hello world");
    not_recognised("{\"eventVersion\": \"1.08\", \"userIdentity\": {");
    not_recognised("{\"Version\":\"2012-10-17\",\"Statement\":[]}");
    not_recognised("");
    not_recognised("{\"foo\": 1}");
}

// ---------------------------------------------------------------------------------------------
// Decoded authorization messages (§6.6)

#[test]
fn decoded_message_inner_json_role_session_bare_action() {
    let i = imp(&fixture("decoded-implicit-role-inner.json"));
    assert_eq!(i.kind, ArtefactKind::DecodedMessage);
    assert!(i.recognised.contains("inner JSON"), "{}", i.recognised);
    assert!(i.recognised.contains("role session"), "{}", i.recognised);
    let r = &i.scenario.request;
    assert_eq!(
        r.principal.as_deref(),
        Some("arn:aws:sts::444455556666:assumed-role/BuildRunner/build-7781")
    );
    // The service prefix comes from aws:Service.
    assert_eq!(r.action, "ec2:RunInstances");
    assert_eq!(r.resource, "arn:aws:ec2:us-east-2:444455556666:instance/*");
    assert_eq!(r.resource_account.as_deref(), Some("444455556666"));
    assert_eq!(
        ctx(&i, "aws:PrincipalArn"),
        Some(&Value::from(
            "arn:aws:iam::444455556666:role/ci/BuildRunner"
        ))
    );
    assert_eq!(
        ctx(&i, "aws:SourceVpce"),
        Some(&Value::from("vpce-0a1b2c3d4e5f60718"))
    );
    // A multivalued key keeps its list form even with one value.
    assert_eq!(
        ctx(&i, "aws:TagKeys"),
        Some(&serde_json::json!(["CostCenter"]))
    );
    assert_eq!(
        ctx(&i, "aws:RequestTag/CostCenter"),
        Some(&Value::from("cc-042"))
    );
    assert_eq!(ctx(&i, "ec2:InstanceType"), Some(&Value::from("m7g.large")));
    assert_eq!(
        ctx(&i, "aws:RequestedRegion"),
        Some(&Value::from("us-east-2"))
    );
    assert_eq!(
        ctx(&i, "aws:userid"),
        Some(&Value::from("AROAEXAMPLEROLEID0002:build-7781"))
    );
    assert!(i.filled.iter().any(|f| f.contains("aws:Service")));
    let o = observed(&i);
    assert_eq!(o.decision, "implicit_deny");
    assert_eq!(o.explicit, Some(false));
    assert!(o.matched_statements.is_empty());
    assert_eq!(o.layer, None);
}

#[test]
fn decoded_message_federated_user_statement_without_sid() {
    let i = imp(&fixture("decoded-explicit-federated.json"));
    let r = &i.scenario.request;
    assert_eq!(
        r.principal.as_deref(),
        Some("arn:aws:sts::111122223333:federated-user/contractor-ana")
    );
    assert!(i.recognised.contains("federated user"), "{}", i.recognised);
    assert_eq!(r.action, "ec2:CreateVolume");
    assert_eq!(
        ctx(&i, "aws:RequestedRegion"),
        Some(&Value::from("eu-central-1"))
    );
    assert_eq!(
        ctx(&i, "aws:userid"),
        Some(&Value::from("111122223333:contractor-ana"))
    );
    let o = observed(&i);
    assert_eq!(o.decision, "explicit_deny");
    assert_eq!(o.matched_statements[0].sid, "");
    assert_eq!(o.matched_statements[0].actions, vec!["ec2:*"]);
    assert!(i.recognised.contains("(no Sid)"), "{}", i.recognised);
}

#[test]
fn decoded_message_truncated_inner_string_is_refused() {
    let text = fixture("decoded-explicit-user.json");
    // Cut the inner JSON string but keep the outer JSON valid.
    let v: Value = serde_json::from_str(&text).unwrap();
    let inner = v["DecodedMessage"].as_str().unwrap();
    let cut = serde_json::json!({ "DecodedMessage": &inner[..inner.len() / 2] }).to_string();
    let reason = not_recognised(&cut);
    assert!(reason.contains("DecodedMessage"), "{reason}");
    assert!(reason.contains("truncated"), "{reason}");
}

// ---------------------------------------------------------------------------------------------
// Error text (§6.1–§6.5)

#[test]
fn error_text_every_layer_phrase() {
    let who = "User: arn:aws:iam::111122223333:user/mateo is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::amzn-s3-demo-bucket/a.txt\"";
    let cases = [
        ("with an explicit deny in an identity-based policy", "identity", true),
        ("because no identity-based policy allows the s3:GetObject action", "identity", false),
        ("with an explicit deny in a resource-based policy", "resource", true),
        ("because no resource-based policy allows the s3:GetObject action", "resource", false),
        ("with an explicit deny in a permissions boundary", "permissions_boundary", true),
        ("because no permissions boundary allows the s3:GetObject action", "permissions_boundary", false),
        ("with an explicit deny in a session policy", "session", true),
        ("with an explicit deny in a sessions policy", "session", true),
        ("because no session policy allows the s3:GetObject action", "session", false),
        ("with an explicit deny in a service control policy", "scp", true),
        ("because no service control policy allows the s3:GetObject action", "scp", false),
        ("with an explicit deny in a resource control policy", "rcp", true),
        ("with an explicit deny in a VPC endpoint policy", "vpc_endpoint", true),
        ("because no VPC endpoint policy allows the s3:GetObject action", "vpc_endpoint", false),
        (
            "with an explicit deny in a VPC endpoint policy transitively through a service control policy",
            "vpc_endpoint",
            true,
        ),
    ];
    for (reason, layer, explicit) in cases {
        let i = imp(&format!("{who} {reason}"));
        let o = observed(&i);
        assert_eq!(o.layer.as_deref(), Some(layer), "{reason}");
        assert_eq!(o.explicit, Some(explicit), "{reason}");
        assert_eq!(
            o.decision,
            if explicit {
                "explicit_deny"
            } else {
                "implicit_deny"
            },
            "{reason}"
        );
        assert_eq!(i.scenario.request.action, "s3:GetObject", "{reason}");
        assert_eq!(
            i.scenario.request.resource, "arn:aws:s3:::amzn-s3-demo-bucket/a.txt",
            "{reason}"
        );
        assert_eq!(o.policy_arn, None, "{reason}");
        if reason.contains("transitively") {
            assert!(i.notes.iter().any(|n| n.contains("transitively")));
        }
    }
}

#[test]
fn error_text_trust_policy_is_the_resource_layer() {
    let i = imp("User: arn:aws:iam::111122223333:user/mateo is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::444455556666:role/Auditor because no role trust policy allows the sts:AssumeRole action");
    let o = observed(&i);
    assert_eq!(o.layer.as_deref(), Some("resource"));
    assert_eq!(o.explicit, Some(false));
    assert_eq!(
        i.scenario.request.resource,
        "arn:aws:iam::444455556666:role/Auditor"
    );
    let e = observed(&imp("User: arn:aws:iam::111122223333:user/mateo is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::444455556666:role/Auditor with an explicit deny in the role trust policy"));
    assert_eq!(e.layer.as_deref(), Some("resource"));
    assert_eq!(e.explicit, Some(true));
}

#[test]
fn error_text_policy_arn_with_and_without_name() {
    let base = "User: arn:aws:sts::111122223333:assumed-role/Dev/ana is not authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:eu-west-1:111122223333:instance/*";
    let with = observed(&imp(&format!("{base} with an explicit deny in a permissions boundary: arn:aws:iam::111122223333:policy/DevBoundary (DevBoundary)")));
    assert_eq!(with.layer.as_deref(), Some("permissions_boundary"));
    assert_eq!(
        with.policy_arn.as_deref(),
        Some("arn:aws:iam::111122223333:policy/DevBoundary")
    );
    assert_eq!(with.policy_name.as_deref(), Some("DevBoundary"));
    let without = observed(&imp(&format!("{base} with an explicit deny in a resource control policy: arn:aws:organizations::999988887777:policy/o-a1b2c3d4e5/resource_control_policy/p-rcp0001.")));
    assert_eq!(without.layer.as_deref(), Some("rcp"));
    assert_eq!(without.policy_arn.as_deref(), Some("arn:aws:organizations::999988887777:policy/o-a1b2c3d4e5/resource_control_policy/p-rcp0001"));
    assert_eq!(without.policy_name, None);
    let implicit = observed(&imp(&format!("{base} because no service control policy allows the ec2:RunInstances action: arn:aws:organizations::999988887777:policy/o-a1b2c3d4e5/service_control_policy/p-allowlist")));
    assert_eq!(implicit.explicit, Some(false));
    assert_eq!(implicit.layer.as_deref(), Some("scp"));
    assert_eq!(implicit.policy_arn.as_deref(), Some("arn:aws:organizations::999988887777:policy/o-a1b2c3d4e5/service_control_policy/p-allowlist"));
}

#[test]
fn error_text_cli_wrapper() {
    let i = imp(&fixture("cli-s3-explicit-identity.txt"));
    assert!(i.recognised.contains("AWS CLI"), "{}", i.recognised);
    let r = &i.scenario.request;
    assert_eq!(
        r.principal.as_deref(),
        Some("arn:aws:iam::111122223333:user/mateo")
    );
    assert_eq!(r.action, "s3:GetObject");
    assert_eq!(
        r.resource,
        "arn:aws:s3:::amzn-s3-demo-bucket/private/notes.txt"
    );
    let o = observed(&i);
    assert_eq!(o.error_code.as_deref(), Some("AccessDenied"));
    assert_eq!(o.layer.as_deref(), Some("identity"));
    assert_eq!(
        o.policy_arn.as_deref(),
        Some("arn:aws:iam::111122223333:policy/DenyPrivatePrefix")
    );
    assert_eq!(o.policy_name.as_deref(), Some("DenyPrivatePrefix"));
    assert!(o
        .message
        .as_deref()
        .unwrap()
        .starts_with("User: arn:aws:iam::111122223333:user/mateo"));
}

#[test]
fn error_text_java_wrapper() {
    let i = imp(&fixture("java-s3-implicit-resource.txt"));
    assert!(i.recognised.contains("Java"), "{}", i.recognised);
    let r = &i.scenario.request;
    assert_eq!(
        r.principal.as_deref(),
        Some("arn:aws:sts::444455556666:assumed-role/PartnerReader/etl-nightly")
    );
    assert_eq!(r.action, "s3:ListBucket");
    assert_eq!(r.resource, "arn:aws:s3:::amzn-s3-demo-partner-bucket");
    let o = observed(&i);
    assert_eq!(o.decision, "implicit_deny");
    assert_eq!(o.layer.as_deref(), Some("resource"));
    assert!(!o.message.as_deref().unwrap().contains("Status Code"));
}

#[test]
fn error_text_go_wrapper_session_policy() {
    let i = imp(&fixture("go-sdk-session.txt"));
    let r = &i.scenario.request;
    assert_eq!(
        r.principal.as_deref(),
        Some("arn:aws:sts::111122223333:assumed-role/OrdersWriter/lambda-orders")
    );
    assert_eq!(r.action, "dynamodb:PutItem");
    assert_eq!(
        r.resource,
        "arn:aws:dynamodb:eu-west-1:111122223333:table/Orders"
    );
    let o = observed(&i);
    assert_eq!(o.error_code.as_deref(), Some("AccessDeniedException"));
    assert_eq!(o.layer.as_deref(), Some("session"));
    assert_eq!(o.explicit, Some(true));
}

#[test]
fn error_text_ec2_encoded_message_gives_the_decode_command() {
    let i = imp(&fixture("ec2-encoded.txt"));
    let r = &i.scenario.request;
    // The action comes from the CLI's operation name and EC2's error code.
    assert_eq!(r.action, "ec2:RunInstances");
    assert_eq!(r.principal, None);
    let o = observed(&i);
    assert_eq!(o.error_code.as_deref(), Some("UnauthorizedOperation"));
    assert_eq!(o.decision, "denied");
    assert_eq!(o.explicit, None);
    assert!(
        i.notes.iter().any(|n| n.contains(
            "aws sts decode-authorization-message --encoded-message '4GIOHlTkIaWHQD0Q0m6XSnuUMCm-abc_123EXAMPLEencodedmessage'"
        )),
        "{:?}",
        i.notes
    );
    assert!(i
        .notes
        .iter()
        .any(|n| n.contains("derived from the SDK's operation name")));
}

#[test]
fn error_text_troubleshooter_authorization_id_multiline() {
    let i = imp(&fixture("troubleshooter-id.txt"));
    let r = &i.scenario.request;
    assert_eq!(
        r.principal.as_deref(),
        Some("arn:aws:iam::123456789012:user/janedoe")
    );
    assert_eq!(r.action, "iam:CreateInstanceProfile");
    assert_eq!(
        r.resource,
        "arn:aws:iam::123456789012:instance-profile/my-instance-profile"
    );
    let o = observed(&i);
    assert_eq!(o.layer.as_deref(), Some("identity"));
    assert_eq!(o.explicit, Some(true));
    assert_eq!(
        o.policy_arn.as_deref(),
        Some("arn:aws:iam::123456789012:policy/ExampleDenyPolicy")
    );
    assert_eq!(
        o.authorization_id.as_deref(),
        Some("EXAMPLE1a2b3c4d5e6f7g8h9i0j")
    );
    assert!(i.notes.iter().any(|n| n.contains(
        "aws iam-toolbox get-request-authorization-details --authorization-id EXAMPLE1a2b3c4d5e6f7g8h9i0j"
    )));
}

#[test]
fn error_text_older_short_forms() {
    let i = imp(
        "User: arn:aws:iam::111122223333:user/mateo is not authorized to perform: iam:ListUsers",
    );
    let r = &i.scenario.request;
    assert_eq!(
        r.principal.as_deref(),
        Some("arn:aws:iam::111122223333:user/mateo")
    );
    assert_eq!(r.action, "iam:ListUsers");
    assert_eq!(r.resource, "*");
    let o = observed(&i);
    assert_eq!(o.decision, "denied");
    assert_eq!(o.explicit, None);
    assert_eq!(o.layer, None);
    assert!(i.notes.iter().any(|n| n.contains("does not say whether")));

    let bare = imp("Access Denied");
    let o = observed(&bare);
    assert_eq!(o.decision, "denied");
    assert_eq!(bare.scenario.request.principal, None);
    assert!(bare
        .notes
        .iter()
        .any(|n| n.contains("does not name the caller")));
    assert!(bare
        .notes
        .iter()
        .any(|n| n.contains("does not name the action")));

    let xml = imp(&fixture("s3-rest-access-denied.xml"));
    let o = observed(&xml);
    assert_eq!(o.error_code.as_deref(), Some("AccessDenied"));
    assert_eq!(o.message.as_deref(), Some("Access Denied"));
    assert_eq!(o.decision, "denied");
}

#[test]
fn error_text_s3_block_public_access_reason_is_kept() {
    let i = imp("User: arn:aws:iam::111122223333:user/mateo is not authorized to perform: s3:PutBucketPolicy on resource: \"arn:aws:s3:::amzn-s3-demo-bucket\" because public policies are prevented by the BlockPublicPolicy setting in S3 Block Public Access");
    let o = observed(&i);
    assert_eq!(o.layer, None);
    assert!(
        i.notes.iter().any(|n| n.contains("BlockPublicPolicy")),
        "{:?}",
        i.notes
    );
}

// ---------------------------------------------------------------------------------------------
// CloudTrail

#[test]
fn cloudtrail_assumed_role_through_vpc_endpoint() {
    let i = imp(&fixture("cloudtrail-assumed-role-s3.json"));
    assert_eq!(i.kind, ArtefactKind::CloudtrailEvent);
    let r = &i.scenario.request;
    assert_eq!(
        r.principal.as_deref(),
        Some("arn:aws:sts::111122223333:assumed-role/ReportReader/reporting-job")
    );
    assert_eq!(r.action, "s3:GetObject");
    assert_eq!(
        r.resource,
        "arn:aws:s3:::amzn-s3-demo-bucket/reports/2026/q3.csv"
    );
    // The role ARN with its path (§5.3).
    assert_eq!(
        ctx(&i, "aws:PrincipalArn"),
        Some(&Value::from(
            "arn:aws:iam::111122223333:role/analytics/ReportReader"
        ))
    );
    assert_eq!(
        ctx(&i, "aws:userid"),
        Some(&Value::from("AROAEXAMPLEROLEID0004:reporting-job"))
    );
    assert_eq!(
        ctx(&i, "aws:SourceVpce"),
        Some(&Value::from("vpce-1a2b3c4d5e6f70819"))
    );
    // Through a VPC endpoint the address is aws:VpcSourceIp and aws:SourceIp is absent (§4.3).
    assert_eq!(ctx(&i, "aws:VpcSourceIp"), Some(&Value::from("10.0.12.34")));
    assert_eq!(ctx(&i, "aws:SourceIp"), None);
    assert!(ctx(&i, "aws:UserAgent")
        .unwrap()
        .as_str()
        .unwrap()
        .starts_with("[aws-cli/2.22.4"));
    assert_eq!(
        ctx(&i, "aws:RequestedRegion"),
        Some(&Value::from("eu-west-1"))
    );
    assert_eq!(
        ctx(&i, "aws:CurrentTime"),
        Some(&Value::from("2026-11-27T08:15:42Z"))
    );
    assert_eq!(ctx(&i, "aws:EpochTime"), Some(&Value::from("1795767342")));
    assert_eq!(
        ctx(&i, "aws:MultiFactorAuthPresent"),
        Some(&Value::from("false"))
    );
    assert_eq!(
        ctx(&i, "aws:TokenIssueTime"),
        Some(&Value::from("2026-11-27T08:12:03Z"))
    );
    assert_eq!(
        ctx(&i, "aws:SourceIdentity"),
        Some(&Value::from("ana@example.com"))
    );
    assert_eq!(ctx(&i, "aws:SecureTransport"), Some(&Value::from("true")));
    assert_eq!(r.resource_account.as_deref(), Some("111122223333"));
    assert!(i
        .candidates
        .iter()
        .any(|c| c.contains("arn:aws:s3:::amzn-s3-demo-bucket (AWS::S3::Bucket)")));
    let o = observed(&i);
    assert_eq!(o.decision, "implicit_deny");
    assert_eq!(o.layer.as_deref(), Some("identity"));
    assert_eq!(o.error_code.as_deref(), Some("AccessDenied"));
    assert!(o.context_keys.iter().any(|k| k == "aws:SourceVpce"));
}

#[test]
fn cloudtrail_trail_file_picks_the_first_denied_record() {
    let i = imp(&fixture("cloudtrail-trail-file.json"));
    let r = &i.scenario.request;
    assert_eq!(
        r.principal.as_deref(),
        Some("arn:aws:iam::111122223333:user/ops/jorge")
    );
    assert_eq!(r.action, "iam:CreateUser");
    assert_eq!(r.resource, "arn:aws:iam::111122223333:user/temp-admin");
    assert_eq!(ctx(&i, "aws:SourceIp"), Some(&Value::from("198.51.100.23")));
    assert_eq!(
        ctx(&i, "aws:userid"),
        Some(&Value::from("AIDAEXAMPLEUSERID0005"))
    );
    // Long-term access keys: no session context, so no MFA or token keys (§4.2).
    assert_eq!(ctx(&i, "aws:MultiFactorAuthPresent"), None);
    assert_eq!(ctx(&i, "aws:TokenIssueTime"), None);
    assert_eq!(ctx(&i, "aws:PrincipalArn"), None);
    let o = observed(&i);
    assert_eq!(o.decision, "explicit_deny");
    assert_eq!(o.layer.as_deref(), Some("scp"));
    assert_eq!(
        o.policy_arn.as_deref(),
        Some("arn:aws:organizations::999988887777:policy/o-a1b2c3d4e5/service_control_policy/p-denyiamusr")
    );
    assert!(
        i.notes
            .iter()
            .any(|n| n.contains("2 denied records; picked the first")),
        "{:?}",
        i.notes
    );
    assert_eq!(i.candidates.len(), 1);
    assert!(i.candidates[0].contains("ec2:TerminateInstances"));
}

#[test]
fn cloudtrail_principal_option_picks_the_record() {
    let opts = ImportOptions {
        principal: Some(
            "arn:aws:sts::111122223333:assumed-role/WebTier/i-0abc1234def567890".into(),
        ),
        record: None,
    };
    let i = import(&fixture("cloudtrail-trail-file.json"), &opts).unwrap();
    let r = &i.scenario.request;
    assert_eq!(r.action, "ec2:TerminateInstances");
    assert_eq!(
        r.resource,
        "arn:aws:ec2:eu-west-1:111122223333:instance/i-0fedcba9876543210"
    );
    assert_eq!(
        ctx(&i, "aws:PrincipalArn"),
        Some(&Value::from("arn:aws:iam::111122223333:role/WebTier"))
    );
    let o = observed(&i);
    assert_eq!(
        o.error_code.as_deref(),
        Some("Client.UnauthorizedOperation")
    );
    assert_eq!(o.decision, "implicit_deny");
    assert_eq!(o.layer.as_deref(), Some("identity"));
    assert!(i.notes.iter().any(|n| n.contains("aws sts decode-authorization-message --encoded-message 'Zm9vYmFyLWVuY29kZWQtbWVzc2FnZS1leGFtcGxlLTAxMjM0NTY3ODk'")));

    let none = import(
        &fixture("cloudtrail-trail-file.json"),
        &ImportOptions {
            principal: Some("arn:aws:iam::111122223333:user/nobody".into()),
            record: None,
        },
    )
    .unwrap_err();
    assert!(none.reason.contains("no CloudTrail record"));
    assert!(none
        .candidates
        .iter()
        .any(|c| c == "arn:aws:iam::111122223333:user/ops/jorge"));
}

#[test]
fn cloudtrail_service_principal_and_bare_access_denied() {
    let i = imp(&fixture("cloudtrail-aws-service.json"));
    let r = &i.scenario.request;
    assert_eq!(r.principal.as_deref(), Some("cloudtrail.amazonaws.com"));
    assert_eq!(r.action, "s3:PutObject");
    assert!(r
        .resource
        .starts_with("arn:aws:s3:::amzn-s3-demo-trail-bucket/AWSLogs/"));
    // sourceIPAddress is a service name: no aws:SourceIp.
    assert_eq!(ctx(&i, "aws:SourceIp"), None);
    assert!(i.notes.iter().any(|n| n.contains("not an address")));
    assert_eq!(ctx(&i, "aws:ViaAWSService"), None);
    let o = observed(&i);
    assert_eq!(o.decision, "denied");
    assert_eq!(o.explicit, None);
    assert_eq!(o.message.as_deref(), Some("Access Denied"));
}

#[test]
fn cloudtrail_lookup_events_root_kms() {
    let i = imp(&fixture("cloudtrail-lookup-events.json"));
    assert_eq!(i.kind, ArtefactKind::CloudtrailEvent);
    let r = &i.scenario.request;
    assert_eq!(
        r.principal.as_deref(),
        Some("arn:aws:iam::111122223333:root")
    );
    assert_eq!(r.action, "kms:ScheduleKeyDeletion");
    assert_eq!(
        r.resource,
        "arn:aws:kms:ap-southeast-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    );
    assert_eq!(
        ctx(&i, "aws:MultiFactorAuthPresent"),
        Some(&Value::from("true"))
    );
    assert_eq!(ctx(&i, "aws:userid"), None);
    let o = observed(&i);
    assert_eq!(o.error_code.as_deref(), Some("AccessDeniedException"));
    assert_eq!(o.layer.as_deref(), Some("resource"));
    assert_eq!(o.decision, "implicit_deny");
}

// ---------------------------------------------------------------------------------------------
// Access Troubleshooter

#[test]
fn troubleshooter_explicit_scp_for_a_role_session() {
    let i = imp(&fixture("troubleshooter-explicit-scp.json"));
    assert_eq!(i.kind, ArtefactKind::AccessTroubleshooter);
    let r = &i.scenario.request;
    assert_eq!(
        r.principal.as_deref(),
        Some("arn:aws:sts::111122223333:assumed-role/Deployer/deploy-2026-11-27")
    );
    assert_eq!(r.action, "ec2:RunInstances");
    assert_eq!(
        r.resource,
        "arn:aws:ec2:ap-northeast-3:111122223333:instance/*"
    );
    assert_eq!(ctx(&i, "ec2:InstanceType"), Some(&Value::from("t3.micro")));
    assert_eq!(
        ctx(&i, "aws:MultiFactorAuthPresent"),
        Some(&Value::from(false))
    );
    assert_eq!(
        ctx(&i, "aws:PrincipalOrgPaths"),
        Some(&serde_json::json!([
            "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"
        ]))
    );
    let o = observed(&i);
    assert_eq!(o.decision, "explicit_deny");
    assert_eq!(o.layer.as_deref(), Some("scp"));
    assert_eq!(
        o.policy_arn.as_deref(),
        Some("arn:aws:organizations::999988887777:policy/o-a1b2c3d4e5/service_control_policy/p-regions01")
    );
    assert_eq!(o.matched_statements.len(), 2);
    assert_eq!(o.matched_statements[0].sid, "DenyRegions");
    assert_eq!(o.matched_statements[0].effect, "Deny");
    assert_eq!(o.evaluated_policies.len(), 3);
    assert_eq!(o.evaluated_policies[0].layer.as_deref(), Some("scp"));
    assert!(i.candidates.iter().any(|c| c.contains("iam:PassRole")));
    assert!(i
        .notes
        .iter()
        .any(|n| n.contains("get-request-authorization-policy")));
    // Without documents, no layer is filled.
    assert_eq!(i.scenario.policies.scp, None);
}

#[test]
fn troubleshooter_implicit_with_merged_documents() {
    let i = imp(&fixture("troubleshooter-implicit-user.json"));
    let r = &i.scenario.request;
    assert_eq!(
        r.principal.as_deref(),
        Some("arn:aws:iam::111122223333:user/mateo")
    );
    assert_eq!(r.action, "secretsmanager:GetSecretValue");
    let ids = i.scenario.policies.identity.as_ref().unwrap();
    assert_eq!(ids.len(), 1);
    assert!(ids[0].text.contains("ReadDevSecrets"));
    assert_eq!(ids[0].arn, None);
    assert_eq!(i.scenario.policies.resource, None);
    let o = observed(&i);
    assert_eq!(o.decision, "implicit_deny");
    assert_eq!(o.layer, None);
    assert!(i
        .notes
        .iter()
        .any(|n| n.contains("secretsmanager-resource-EXAMPLE0002")));
}

// ---------------------------------------------------------------------------------------------
// get-account-authorization-details

fn details(principal: Option<&str>) -> Result<Import, iamtrace_engine::imports::ImportError> {
    import(
        &fixture("authorization-details.json"),
        &ImportOptions {
            principal: principal.map(str::to_string),
            record: None,
        },
    )
}

#[test]
fn authorization_details_user_with_groups_and_boundary() {
    let i = details(Some("arn:aws:iam::111122223333:user/mateo")).unwrap();
    assert_eq!(i.kind, ArtefactKind::AuthorizationDetails);
    let ids = i.scenario.policies.identity.as_ref().unwrap();
    let names: Vec<&str> = ids.iter().map(|p| p.name.as_deref().unwrap()).collect();
    // Inline, attached managed (once, though the group attaches it too), the group's inline.
    assert_eq!(
        names,
        vec!["OwnAccessKeys", "ReportsReadOnly", "DevsDescribe"]
    );
    let ro = &ids[1];
    assert_eq!(
        ro.arn.as_deref(),
        Some("arn:aws:iam::111122223333:policy/ReportsReadOnly")
    );
    // The default version (v2), URL-decoded.
    assert!(ro.text.contains("ReadReports"), "{}", ro.text);
    assert!(!ro.text.contains('%'));
    let b = i.scenario.policies.permissions_boundary.as_ref().unwrap();
    assert_eq!(
        b.arn.as_deref(),
        Some("arn:aws:iam::111122223333:policy/boundaries/S3OnlyBoundary")
    );
    assert!(b.text.contains("BoundaryS3Only"));
    assert!(i.scenario.options.caller_has_permissions_boundary);
    assert_eq!(
        ctx(&i, "aws:PrincipalTag/team"),
        Some(&Value::from("analytics"))
    );
    assert_eq!(
        ctx(&i, "aws:userid"),
        Some(&Value::from("AIDAEXAMPLEUSERID0001"))
    );
    assert_eq!(
        i.scenario.request.principal.as_deref(),
        Some("arn:aws:iam::111122223333:user/mateo")
    );
    // The AWS managed policy is not in the file: said, not guessed.
    assert!(i
        .notes
        .iter()
        .any(|n| n.contains("arn:aws:iam::aws:policy/ReadOnlyAccess")));
}

#[test]
fn authorization_details_role_session_maps_to_its_role() {
    let i = details(Some(
        "arn:aws:sts::111122223333:assumed-role/ReportReader/reporting-job",
    ))
    .unwrap();
    let ids = i.scenario.policies.identity.as_ref().unwrap();
    let names: Vec<&str> = ids.iter().map(|p| p.name.as_deref().unwrap()).collect();
    assert_eq!(names, vec!["WriteReports", "ReportsReadOnly"]);
    assert_eq!(
        i.scenario.request.principal.as_deref(),
        Some("arn:aws:sts::111122223333:assumed-role/ReportReader/reporting-job")
    );
    assert_eq!(
        ctx(&i, "aws:PrincipalArn"),
        Some(&Value::from(
            "arn:aws:iam::111122223333:role/analytics/ReportReader"
        ))
    );
    assert_eq!(
        ctx(&i, "aws:userid"),
        Some(&Value::from("AROAEXAMPLEROLEID0004:reporting-job"))
    );
    assert_eq!(i.scenario.policies.permissions_boundary, None);
    assert!(!i.scenario.options.caller_has_permissions_boundary);
}

#[test]
fn authorization_details_needs_a_choice() {
    let e = details(None).unwrap_err();
    assert!(e.reason.contains("2 users and 1 role;"), "{}", e.reason);
    assert_eq!(e.candidates.len(), 3);
    let by_name = details(Some("jorge")).unwrap();
    assert_eq!(
        by_name.scenario.request.principal.as_deref(),
        Some("arn:aws:iam::111122223333:user/ops/jorge")
    );
    assert_eq!(
        by_name.scenario.policies.identity.as_ref().map(Vec::len),
        Some(0)
    );
    let fed = details(Some("arn:aws:sts::111122223333:federated-user/bob")).unwrap_err();
    assert!(fed.reason.contains("GetFederationToken"));
    let missing = details(Some("arn:aws:iam::111122223333:role/Nope")).unwrap_err();
    assert!(missing.reason.contains("no user or role"));
}

// ---------------------------------------------------------------------------------------------
// Scenario files and look-alikes

#[test]
fn scenario_files_import_as_themselves() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/conformance/001-same-account-identity-explicit-deny-log-bucket.json"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let i = imp(&text);
    assert_eq!(i.kind, ArtefactKind::Scenario);
    assert_eq!(i.scenario.request.action, "s3:PutObject");
    assert!(i.scenario.policies.identity.is_some());
}

#[test]
fn look_alikes_and_garbage_get_a_reason() {
    assert!(
        not_recognised("{\"Version\":\"2012-10-17\",\"Statement\":[]}").contains("policy document")
    );
    assert!(
        not_recognised("{\"errorCode\":\"AccessDenied\",\"errorMessage\":\"x\"}")
            .contains("eventSource")
    );
    assert!(
        not_recognised("{\"eventVersion\": \"1.08\", \"userIdentity\": {").contains("truncated")
    );
    assert!(not_recognised("{\"foo\": 1, \"bar\": 2}").contains("foo, bar"));
    assert!(not_recognised("[1, 2, 3]").contains("CloudTrail"));
    assert!(not_recognised("42").contains("not an AccessDenied message"));
    assert!(not_recognised("the build failed: connection reset by peer")
        .contains("not an AccessDenied"));
    assert!(not_recognised("{\"request\": {\"action\": 3}}").contains("scenario"));
    assert!(
        not_recognised("{\"Records\": [{\"eventVersion\": \"1.08\"}]}")
            .contains("no CloudTrail record")
    );
    assert!(not_recognised("{\"evaluations\": []}").contains("without any evaluation"));
    assert!(not_recognised("{\"DecodedMessage\": \"{\\\"foo\\\": 1}\"}")
        .contains("not an authorization message"));
    // Hostile input: deep nesting and binary noise come back as errors, not panics.
    let deep = "[".repeat(100_000);
    let _ = import(&deep, &ImportOptions::default()).unwrap_err();
    let noise: String = (0..5000u32)
        .map(|i| char::from_u32(0x20 + (i * 7919) % 0x5f).unwrap())
        .collect();
    let _ = import(&noise, &ImportOptions::default());
}

#[test]
fn import_result_serializes() {
    let i = imp(&fixture("cloudtrail-assumed-role-s3.json"));
    let v = serde_json::to_value(&i).unwrap();
    assert_eq!(v["kind"], "cloudtrail_event");
    assert_eq!(v["scenario"]["request"]["action"], "s3:GetObject");
    assert_eq!(v["scenario"]["observed"]["decision"], "implicit_deny");
    assert_eq!(v["scenario"]["observed"]["source"], "cloudtrail_event");
    // The scenario JSON reads back, claim included.
    let text = i.scenario.to_json_string();
    let back = iamtrace_engine::scenario::Scenario::parse(&text)
        .unwrap()
        .scenario;
    assert_eq!(back.observed, i.scenario.observed);
}

// ---------------------------------------------------------------------------------------------
// Agreement with AWS's claim, after evaluation

mod agreement {
    use super::*;
    use iamtrace_engine::decision::evaluate;
    use iamtrace_engine::imports::{agreement, scenario_agreement, Agreement};
    use iamtrace_engine::scenario::{PolicySource, Scenario};

    fn policy(name: &str, arn: Option<&str>, doc: Value) -> PolicySource {
        PolicySource {
            name: Some(name.into()),
            arn: arn.map(str::to_string),
            text: doc.to_string(),
            ..Default::default()
        }
    }

    fn agree(s: &Scenario) -> Agreement {
        let ev = evaluate(s);
        let via_scenario = scenario_agreement(s, &ev).unwrap().unwrap();
        let o = Observed::from_json(s.observed.as_ref().unwrap()).unwrap();
        let direct = agreement(&o, s, &ev);
        assert_eq!(via_scenario, direct);
        direct
    }

    const SCP_ARN: &str =
        "arn:aws:organizations::999988887777:policy/o-a1b2c3d4e5/service_control_policy/p-denyiamusr";

    fn scp_case() -> Scenario {
        let i = imp(&fixture("cloudtrail-trail-file.json"));
        let mut s = i.scenario;
        s.policies.identity = Some(vec![policy(
            "Admin",
            None,
            serde_json::json!({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}),
        )]);
        s
    }

    fn full_access() -> PolicySource {
        policy(
            "FullAWSAccess",
            Some("arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess"),
            serde_json::json!({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}),
        )
    }

    fn deny_iam_users(arn: &str) -> PolicySource {
        policy(
            "DenyIamUsers",
            Some(arn),
            serde_json::json!({"Version":"2012-10-17","Statement":[{"Sid":"DenyIamUsers","Effect":"Deny","Action":"iam:CreateUser","Resource":"*"}]}),
        )
    }

    #[test]
    fn agrees_when_the_named_scp_denies() {
        let mut s = scp_case();
        s.policies.scp = Some(vec![
            vec![full_access()],
            vec![full_access(), deny_iam_users(SCP_ARN)],
        ]);
        let a = agree(&s);
        assert!(a.agrees, "{a:#?}");
        assert!(a.likely_missing.is_empty());
        let what: Vec<&str> = a.checks.iter().map(|c| c.what.as_str()).collect();
        assert_eq!(what, vec!["decision", "layer", "policy_arn"]);
        assert!(
            a.summary
                .starts_with("iamtrace agrees with AWS: explicit deny"),
            "{}",
            a.summary
        );
    }

    #[test]
    fn missing_scp_is_named() {
        let a = agree(&scp_case());
        assert!(!a.agrees);
        assert_eq!(
            a.likely_missing[0],
            "AWS blamed a service control policy, but no SCP was given"
        );
        assert!(a
            .likely_missing
            .iter()
            .any(|m| m.contains("no pasted policy has that ARN")));
        let decision = &a.checks[0];
        assert_eq!(
            (decision.aws.as_str(), decision.iamtrace.as_str()),
            ("explicit_deny", "allowed")
        );
    }

    #[test]
    fn a_different_policy_arn_is_reported() {
        let mut s = scp_case();
        let other = "arn:aws:organizations::999988887777:policy/o-a1b2c3d4e5/service_control_policy/p-other";
        s.policies.scp = Some(vec![vec![full_access(), deny_iam_users(other)]]);
        let a = agree(&s);
        assert!(!a.agrees);
        let arn_check = a.checks.iter().find(|c| c.what == "policy_arn").unwrap();
        assert!(!arn_check.agrees);
        assert_eq!(arn_check.iamtrace, other);
        assert!(a.checks.iter().find(|c| c.what == "layer").unwrap().agrees);
        assert!(a
            .likely_missing
            .iter()
            .any(|m| m.contains("no pasted policy has that ARN")));
    }

    fn decoded_case(identity: Value) -> Scenario {
        let mut s = imp(&fixture("decoded-explicit-user.json")).scenario;
        s.policies.identity = Some(vec![policy("Ops", None, identity)]);
        s
    }

    #[test]
    fn matched_sid_agrees_when_the_statement_is_pasted() {
        let s = decoded_case(serde_json::json!({"Version":"2012-10-17","Statement":[
            {"Sid":"AllowEc2","Effect":"Allow","Action":"ec2:*","Resource":"*"},
            {"Sid":"ProtectProd","Effect":"Deny","Action":["ec2:TerminateInstances","ec2:StopInstances"],
             "Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"StringEquals":{"ec2:ResourceTag/env":"prod"}}}]}));
        let a = agree(&s);
        assert!(a.agrees, "{a:#?}");
        assert!(a
            .checks
            .iter()
            .any(|c| c.what == "matched_statement" && c.agrees));
    }

    #[test]
    fn matched_sid_missing_from_the_pasted_policies() {
        let s = decoded_case(serde_json::json!({"Version":"2012-10-17","Statement":[
            {"Sid":"AllowEc2","Effect":"Allow","Action":"ec2:*","Resource":"*"}]}));
        let a = agree(&s);
        assert!(!a.agrees);
        assert!(
            a.likely_missing.iter().any(|m| m
                == "AWS matched statement `ProtectProd` explicitly; no pasted policy has that Sid"),
            "{:?}",
            a.likely_missing
        );
    }

    #[test]
    fn source_vpce_without_endpoint_policy() {
        let mut s = imp(&fixture("decoded-implicit-role-inner.json")).scenario;
        s.policies.identity = Some(vec![policy(
            "Build",
            None,
            serde_json::json!({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*"}]}),
        )]);
        let a = agree(&s);
        assert!(!a.agrees);
        assert!(
            a.likely_missing.iter().any(|m| m == "the decoded message carries aws:SourceVpce, but no VPC endpoint policy was given"),
            "{:?}",
            a.likely_missing
        );
        // Once the endpoint policy is given and lacks the action, the reproduction agrees.
        s.policies.vpc_endpoint = Some(policy(
            "Endpoint",
            None,
            serde_json::json!({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ec2:Describe*","Resource":"*"}]}),
        ));
        let a = agree(&s);
        assert!(a.agrees, "{a:#?}");
    }

    #[test]
    fn denied_without_a_reason_lists_the_layers_not_given() {
        let mut s = imp("User: arn:aws:iam::111122223333:user/mateo is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::amzn-s3-demo-bucket/a.txt\"").scenario;
        s.policies.identity = Some(vec![policy(
            "Read",
            None,
            serde_json::json!({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}),
        )]);
        let a = agree(&s);
        assert!(!a.agrees);
        assert_eq!(a.checks.len(), 1);
        assert!(
            a.likely_missing[0].starts_with("AWS denied but the pasted policies allow: a policy AWS evaluated is missing or differs (not given: SCP, RCP, resource-based policy, permissions boundary"),
            "{:?}",
            a.likely_missing
        );
        // "denied" agrees with either kind of deny.
        s.policies.identity = Some(vec![]);
        assert!(agree(&s).agrees);
    }

    #[test]
    fn allowed_by_aws_but_denied_here() {
        let text = fixture("cloudtrail-trail-file.json");
        let v: Value = serde_json::from_str(&text).unwrap();
        let mut s = imp(&v["Records"][0].to_string()).scenario;
        assert_eq!(
            observed(&imp(&v["Records"][0].to_string())).decision,
            "allowed"
        );
        // sts:GetCallerIdentity needs no permission (§1.9): the reproduction agrees with none.
        s.policies.identity = Some(vec![]);
        assert!(agree(&s).agrees);
        s.request.action = "s3:ListAllMyBuckets".into();
        let a = agree(&s);
        assert!(!a.agrees);
        assert!(
            a.likely_missing[0]
                .starts_with("AWS allowed the request but the pasted policies deny it"),
            "{:?}",
            a.likely_missing
        );
    }

    #[test]
    fn troubleshooter_evaluated_layers_are_listed_when_missing() {
        let mut s = imp(&fixture("troubleshooter-explicit-scp.json")).scenario;
        s.policies.identity = Some(vec![policy(
            "DeployerAccess",
            Some("arn:aws:iam::111122223333:policy/DeployerAccess"),
            serde_json::json!({"Version":"2012-10-17","Statement":[{"Sid":"AllowEc2","Effect":"Allow","Action":"ec2:*","Resource":"*"}]}),
        )]);
        let a = agree(&s);
        assert!(!a.agrees);
        assert_eq!(
            a.likely_missing[0],
            "AWS blamed a service control policy, but no SCP was given"
        );
        assert!(a.likely_missing.iter().any(|m| m.contains(
            "AWS matched statement `DenyRegions` explicitly; no pasted policy has that Sid"
        )));
        assert!(a
            .likely_missing
            .iter()
            .any(|m| m.starts_with("AWS evaluated a service control policy")));
        let v = serde_json::to_value(&a).unwrap();
        assert_eq!(v["agrees"], false);
    }
}

// ---------------------------------------------------------------------------------------------
// Never a panic, whatever is pasted.

mod no_panic {
    use super::*;
    use proptest::prelude::*;

    const PIECES: [&str; 24] = [
        "User: ",
        "arn:aws:iam::111122223333:user/x",
        " is not authorized to perform",
        ": ",
        "s3:GetObject",
        " on resource: ",
        "\"",
        "arn:aws:s3:::b/k é",
        " with an explicit deny in ",
        "a ",
        "service control policy",
        " because no ",
        " allows the ",
        " action",
        ": arn:aws:organizations::1:policy/p",
        " (",
        ")",
        "Encoded authorization failure message: ",
        "An error occurred (",
        ") when calling the ",
        " operation",
        "(Service: ",
        "operation error ",
        "<Code>",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn error_text_fragments(parts in proptest::collection::vec(0usize..PIECES.len(), 0..30)) {
            let text: String = parts.iter().map(|i| PIECES[*i]).collect();
            let _ = import(&text, &ImportOptions::default());
        }

        #[test]
        fn truncated_artefacts(cut in 0usize..4000, which in 0usize..5) {
            let names = [
                "decoded-explicit-user.json",
                "cloudtrail-trail-file.json",
                "troubleshooter-explicit-scp.json",
                "authorization-details.json",
                "java-s3-implicit-resource.txt",
            ];
            let text = fixture(names[which]);
            let mut end = cut.min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            let _ = import(&text[..end], &ImportOptions::default());
        }
    }
}

#[test]
fn cut_error_text_is_flagged_not_trusted() {
    let i = imp("User: arn:aws:iam::111122223333:user/mateo is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::amzn-s3-demo-bucket/rep");
    assert!(
        i.notes.iter().any(|n| n.contains("cut short")),
        "{:?}",
        i.notes
    );
    let j = imp("User: arn:aws:iam::111122223333:user/mateo is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k with an explicit deny in a servi");
    let o = observed(&j);
    assert_eq!(o.layer, None);
    assert_eq!(o.explicit, Some(true));
    assert!(
        j.notes.iter().any(|n| n.contains("'servi'")),
        "{:?}",
        j.notes
    );
}

#[test]
fn go_head_request_403_and_authentication_errors() {
    let i = imp("Error: reading S3 Bucket (amzn-s3-demo-bucket): operation error S3: HeadBucket, https response error StatusCode: 403, RequestID: EXAMPLEREQ, HostID: EXAMPLEHOST=, api error Forbidden: Forbidden");
    assert_eq!(i.scenario.request.action, "s3:ListBucket");
    let o = observed(&i);
    assert_eq!(o.decision, "denied");
    assert_eq!(o.error_code.as_deref(), Some("Forbidden"));
    assert!(i
        .notes
        .iter()
        .any(|n| n.contains("HTTP 403 without a message")));
    assert!(
        i.notes
            .iter()
            .any(|n| n.contains("HeadBucket is authorized as s3:ListBucket"))
            || i.notes
                .iter()
                .any(|n| n.contains("derived from the SDK's operation name"))
    );
    let e = not_recognised("An error occurred (SignatureDoesNotMatch) when calling the GetObject operation: The request signature we calculated does not match the signature you provided. Check your key and signing method. (Status Code: 403)");
    assert!(e.contains("authentication error"), "{e}");
    let e = not_recognised("software.amazon.awssdk.services.sts.model.StsException: The security token included in the request is expired (Service: Sts, Status Code: 403, Request ID: x) ExpiredToken");
    assert!(e.contains("authentication error"), "{e}");
}

#[test]
fn combine_error_with_authorization_details() {
    let err = imp(&fixture("cloudtrail-assumed-role-s3.json"));
    let principal = err.scenario.request.principal.clone();
    let det = import(
        &fixture("authorization-details.json"),
        &ImportOptions {
            principal,
            record: None,
        },
    )
    .unwrap();
    let (s, notes) = iamtrace_engine::imports::combine(&err.scenario, &det.scenario);
    assert_eq!(s.request.action, "s3:GetObject");
    assert_eq!(
        s.request.resource,
        "arn:aws:s3:::amzn-s3-demo-bucket/reports/2026/q3.csv"
    );
    assert_eq!(s.policies.identity.as_ref().map(Vec::len), Some(2));
    assert_eq!(
        s.request.context.get("aws:PrincipalTag/team"),
        Some(&Value::from("analytics"))
    );
    assert_eq!(s.observed, err.scenario.observed);
    assert!(notes
        .iter()
        .any(|n| n == "identity policies taken from the second artefact"));
    // The reproduction now allows (ReportsReadOnly grants s3:GetObject) while AWS denied:
    // the agreement says so.
    let ev = iamtrace_engine::decision::evaluate(&s);
    let a = iamtrace_engine::imports::scenario_agreement(&s, &ev)
        .unwrap()
        .unwrap();
    assert_eq!(ev.decision.name(), "allowed");
    assert!(!a.agrees);
    assert!(
        a.likely_missing.iter().any(|m| m.starts_with(
            "AWS blamed an identity-based policy, but what was pasted for that layer does not deny"
        )),
        "{:?}",
        a.likely_missing
    );
    assert!(a.likely_missing.iter().any(|m| m
        == "the CloudTrail event carries aws:SourceVpce, but no VPC endpoint policy was given"));
}

#[test]
fn cloudtrail_federated_user_lambda_versioned_event_name() {
    let i = imp(&fixture("cloudtrail-federated-lambda.json"));
    let r = &i.scenario.request;
    assert_eq!(
        r.principal.as_deref(),
        Some("arn:aws:sts::111122223333:federated-user/contractor-ana")
    );
    // GetFunction20150331v2 is lambda:GetFunction.
    assert_eq!(r.action, "lambda:GetFunction");
    assert_eq!(
        r.resource,
        "arn:aws:lambda:eu-west-1:111122223333:function:orders-api"
    );
    assert_eq!(
        ctx(&i, "aws:userid"),
        Some(&Value::from("111122223333:contractor-ana"))
    );
    assert_eq!(
        ctx(&i, "aws:MultiFactorAuthPresent"),
        Some(&Value::from("false"))
    );
    assert_eq!(ctx(&i, "aws:PrincipalArn"), None);
    assert!(i
        .notes
        .iter()
        .any(|n| n.contains("arn:aws:iam::111122223333:user/federation-broker")));
    let o = observed(&i);
    assert_eq!(o.decision, "implicit_deny");
    assert_eq!(o.layer.as_deref(), Some("session"));
    assert_eq!(o.action.as_deref(), Some("lambda:GetFunction"));
}

#[test]
fn eventbridge_wrapped_cloudtrail_and_api_gateway_look_alike() {
    let record: Value = serde_json::from_str(&fixture("cloudtrail-assumed-role-s3.json")).unwrap();
    let event = serde_json::json!({
        "version": "0",
        "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        "detail-type": "AWS API Call via CloudTrail",
        "source": "aws.s3",
        "account": "111122223333",
        "time": "2026-11-27T08:15:42Z",
        "region": "eu-west-1",
        "resources": [],
        "detail": record
    });
    let i = imp(&event.to_string());
    assert_eq!(i.kind, ArtefactKind::CloudtrailEvent);
    assert!(
        i.recognised.starts_with("an EventBridge event carrying"),
        "{}",
        i.recognised
    );
    assert_eq!(i.scenario.request.action, "s3:GetObject");
    assert_eq!(observed(&i).decision, "implicit_deny");

    let apigw = r#"{"resource":"/orders","path":"/orders","httpMethod":"GET","headers":{},"requestContext":{"accountId":"111122223333","stage":"prod","identity":{"sourceIp":"203.0.113.1"}},"body":null}"#;
    let reason = not_recognised(apigw);
    assert!(reason.contains("none of the fields"), "{reason}");
}

#[test]
fn cli_wrapper_after_retries() {
    let i = imp("An error occurred (AccessDeniedException) when calling the Decrypt operation (reached max retries: 4): User: arn:aws:sts::111122223333:assumed-role/App/i-0abc is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab because no resource-based policy allows the kms:Decrypt action");
    let r = &i.scenario.request;
    assert_eq!(
        r.principal.as_deref(),
        Some("arn:aws:sts::111122223333:assumed-role/App/i-0abc")
    );
    assert_eq!(r.action, "kms:Decrypt");
    let o = observed(&i);
    assert_eq!(o.error_code.as_deref(), Some("AccessDeniedException"));
    assert!(o.message.as_deref().unwrap().starts_with("User: "));
    assert_eq!(o.layer.as_deref(), Some("resource"));
}

#[test]
fn log_lines_with_bracketed_prefixes_are_error_text() {
    let i = imp("[ERROR] ClientError: An error occurred (AccessDenied) when calling the PutObject operation: User: arn:aws:sts::111122223333:assumed-role/uploader-role/uploader is not authorized to perform: s3:PutObject on resource: \"arn:aws:s3:::amzn-s3-demo-bucket/in/x.json\" because no identity-based policy allows the s3:PutObject action\nTraceback (most recent call last):\n  File \"/var/task/app.py\", line 12, in handler");
    assert_eq!(i.kind, ArtefactKind::ErrorText);
    assert_eq!(
        i.scenario.request.resource,
        "arn:aws:s3:::amzn-s3-demo-bucket/in/x.json"
    );
    assert_eq!(observed(&i).layer.as_deref(), Some("identity"));
}

#[test]
fn import_as_reads_the_named_kind_without_detection() {
    let o = ImportOptions::default();
    // The same CloudTrail record, named as such, gives the same scenario as detection does.
    let text = fixture("cloudtrail-assumed-role-s3.json");
    let forced = import_as(ArtefactKind::CloudtrailEvent, &text, &o).unwrap();
    assert_eq!(forced.kind, ArtefactKind::CloudtrailEvent);
    assert_eq!(forced.scenario, imp(&text).scenario);
    // Named as another kind, it is refused with that kind's reason instead of being re-detected.
    let e = import_as(ArtefactKind::AccessTroubleshooter, &text, &o).unwrap_err();
    assert!(e.reason.contains("without any evaluation"), "{}", e.reason);
    let e = import_as(
        ArtefactKind::DecodedMessage,
        "User: x is not authorized",
        &o,
    )
    .unwrap_err();
    assert!(e.reason.contains("not valid JSON"), "{}", e.reason);
}

/// An AccessDenied message copied from a rendered page keeps its markup; the principal must be
/// the ARN, never `<span>arn:…</span>`, and the user is told the markup was removed.
#[test]
fn error_text_copied_as_html_is_read_as_its_text() {
    let html = r#"<div class="error"><p>User: <span class="arn">arn:aws:iam::111122223333:user/jane</span> is not authorized to perform: s3:GetObject on resource: &quot;arn:aws:s3:::amzn-s3-demo-bucket/key&quot; because no identity-based policy allows the s3:GetObject action</p></div>"#;
    let i = imp(html);
    assert_eq!(
        i.scenario.request.principal.as_deref(),
        Some("arn:aws:iam::111122223333:user/jane")
    );
    assert_eq!(i.scenario.request.action, "s3:GetObject");
    assert_eq!(
        i.scenario.request.resource,
        "arn:aws:s3:::amzn-s3-demo-bucket/key"
    );
    assert!(i.notes[0].contains("HTML markup"), "{:?}", i.notes);
}

/// Several denied records: the import picks the first and offers the others as choices whose
/// options import exactly that record.
#[test]
fn cloudtrail_choices_pick_each_other_denied_record() {
    let text = fixture("cloudtrail-trail-file.json");
    let i = imp(&text);
    assert_eq!(i.choices.len(), 1, "{:?}", i.choices);
    let c = &i.choices[0];
    assert!(c.label.contains("ec2:TerminateInstances"), "{c:?}");
    assert_eq!(c.options.record, Some(2));
    let picked = import(&text, &c.options).unwrap();
    assert_eq!(picked.scenario.request.action, "ec2:TerminateInstances");
    assert!(picked.notes.iter().any(|n| n == "record 3 of 3, as chosen"));
    // From the picked record, the first denial is offered back; the allowed one is not.
    assert_eq!(picked.choices.len(), 1);
    assert_eq!(picked.choices[0].options.record, Some(1));
    let gone = import(
        &text,
        &ImportOptions {
            principal: None,
            record: Some(7),
        },
    )
    .unwrap_err();
    assert!(gone.reason.contains("there is no record 8"), "{gone:?}");
    assert_eq!(gone.choices.len(), 3);
}

/// Authorization details with several principals: the error lists each as a choice that imports
/// that principal.
#[test]
fn authorization_details_choices_pick_each_principal() {
    let text = fixture("authorization-details.json");
    let e = import(&text, &ImportOptions::default()).unwrap_err();
    assert_eq!(e.choices.len(), 3, "{e:?}");
    for c in &e.choices {
        let i = import(&text, &c.options).unwrap_or_else(|e| panic!("{c:?}: {e}"));
        assert_eq!(
            i.scenario.request.principal.as_deref(),
            c.options.principal.as_deref()
        );
    }
}
