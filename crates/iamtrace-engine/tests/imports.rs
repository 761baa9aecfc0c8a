//! Importers: realistic artefacts of each kind, every extracted field asserted.

use iamtrace_engine::imports::{import, ArtefactKind, Import, ImportOptions, Observed};
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
