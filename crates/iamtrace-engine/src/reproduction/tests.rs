//! Reproduction status for each importer kind.

use super::*;
use crate::decision::evaluate;
use crate::imports::{combine, import, ImportOptions};

const ARTEFACTS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/artefacts"
);

fn artefact(name: &str) -> String {
    std::fs::read_to_string(format!("{ARTEFACTS}/{name}")).unwrap()
}

fn status_of(s: &Scenario) -> Reproduction {
    reproduction(s, &evaluate(s))
}

fn imported(text: &str) -> Scenario {
    import(text, &ImportOptions::default()).unwrap().scenario
}

fn with_policies(mut s: Scenario, policies: &str) -> Scenario {
    let p = Scenario::parse(&format!(
        r#"{{"request":{{"action":"a:b","resource":"*"}},"policies":{policies}}}"#
    ))
    .unwrap()
    .scenario;
    s.policies = p.policies;
    s
}

const SCP_ERROR: &str = "An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:iam::111122223333:user/mateo is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::amzn-s3-demo-bucket/k\" with an explicit deny in a service control policy: arn:aws:organizations::111122223333:policy/o-abc/service_control_policy/p-abc123 (DenyS3)";

const ALLOW_ALL: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

#[test]
fn error_text_naming_an_scp_is_incomplete_with_the_describe_policy_command_for_that_id() {
    // An AccessDenied naming an SCP ARN: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_access-denied-error-messages.html
    let r = status_of(&imported(SCP_ERROR));
    assert_eq!(r.status, ReproductionStatus::Incomplete);
    let first = &r.missing[0];
    assert_eq!(first.layer, Layer::Scp);
    assert_eq!(first.policy_id.as_deref(), Some("p-abc123"));
    assert_eq!(
        first.command,
        "aws organizations describe-policy --policy-id p-abc123 --output json"
    );
    assert!(
        r.summary
            .starts_with("AWS says: explicit deny in a service control policy (p-abc123)"),
        "{}",
        r.summary
    );
}

#[test]
fn pasting_the_named_scp_reproduces_the_error() {
    let s = imported(SCP_ERROR);
    let out = format!(
        r#"{{"Policy":{{"PolicySummary":{{"Id":"p-abc123","Arn":"arn:aws:organizations::111122223333:policy/o-abc/service_control_policy/p-abc123","Name":"DenyS3","Type":"SERVICE_CONTROL_POLICY"}},"Content":{}}}}}"#,
        serde_json::to_string(
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}"#
        )
        .unwrap()
    );
    let s = with_policies(
        s,
        &format!(r#"{{"identity":[{ALLOW_ALL}],"scp":[[{out}]]}}"#),
    );
    let r = status_of(&s);
    assert_eq!(r.status, ReproductionStatus::Reproduced, "{r:?}");
    assert!(r.missing.is_empty());
    assert!(r.summary.starts_with("Reproduced"), "{}", r.summary);
}

#[test]
fn an_unreadable_policy_in_the_blamed_layer_is_incomplete() {
    let s = with_policies(
        imported(SCP_ERROR),
        r#"{"identity":[{"Statement":[]}],"scp":[["{\"Statement\": ["]]}"#,
    );
    let r = status_of(&s);
    assert_eq!(r.status, ReproductionStatus::Incomplete, "{r:?}");
    assert!(
        r.missing
            .iter()
            .any(|m| m.layer == Layer::Scp && m.reason.contains("could not be read")),
        "{r:?}"
    );
}

#[test]
fn an_error_blaming_identity_with_nothing_pasted_is_incomplete_with_the_authorization_details_command(
) {
    let s = imported(&artefact("cli-s3-explicit-identity.txt"));
    let r = status_of(&s);
    assert_eq!(r.status, ReproductionStatus::Incomplete);
    let m = &r.missing[0];
    assert_eq!(m.layer, Layer::Identity);
    assert!(
        m.policy_id.as_deref() == Some("arn:aws:iam::111122223333:policy/DenyPrivatePrefix"),
        "{m:?}"
    );
    assert!(
        m.command.contains(
            "get-policy-version --policy-arn arn:aws:iam::111122223333:policy/DenyPrivatePrefix"
        ),
        "{}",
        m.command
    );
}

#[test]
fn decoded_message_without_policies_is_incomplete_and_with_them_reproduced() {
    let text = artefact("decoded-explicit-user.json");
    let s = imported(&text);
    let r = status_of(&s);
    assert_eq!(r.status, ReproductionStatus::Incomplete, "{r:?}");
    assert_eq!(r.missing[0].layer, Layer::Identity);
    assert!(
        r.missing[0].command.contains("UserName==`\"mateo\"`"),
        "{}",
        r.missing[0].command
    );
    let s = with_policies(
        s,
        &format!(
            r#"{{"identity":[{ALLOW_ALL},{{"Statement":[{{"Sid":"ProtectProd","Effect":"Deny","Action":["ec2:TerminateInstances","ec2:StopInstances"],"Resource":"arn:aws:ec2:*:*:instance/*"}}]}}]}}"#
        ),
    );
    let r = status_of(&s);
    assert_eq!(r.status, ReproductionStatus::Reproduced, "{r:?}");
}

#[test]
fn cloudtrail_event_reads_as_incomplete_then_reproduced_after_the_authorization_details() {
    let s = imported(&artefact("cloudtrail-assumed-role-s3.json"));
    let r = status_of(&s);
    assert_eq!(r.status, ReproductionStatus::Incomplete, "{r:?}");
    let m = &r.missing[0];
    assert_eq!(m.layer, Layer::Identity);
    // The session's role, not the session.
    assert!(
        m.command.contains("RoleName==`\"ReportReader\"`"),
        "{}",
        m.command
    );
    let s = with_policies(
        s,
        r#"{"identity":[{"Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}]}"#,
    );
    assert_eq!(status_of(&s).status, ReproductionStatus::Reproduced);
}

#[test]
fn all_inputs_present_but_another_result_differs() {
    let s = with_policies(
        imported(SCP_ERROR),
        &format!(r#"{{"identity":[{ALLOW_ALL}],"scp":[[{ALLOW_ALL}]]}}"#),
    );
    let r = status_of(&s);
    assert_eq!(r.status, ReproductionStatus::Differs, "{r:?}");
    assert!(
        r.summary.contains("iamtrace finds allowed"),
        "{}",
        r.summary
    );
}

#[test]
fn expect_is_a_claim_and_no_claim_says_so() {
    let text = format!(
        r#"{{"request":{{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"}},"policies":{{"identity":[{ALLOW_ALL}]}}}}"#
    );
    let s = Scenario::parse(&text).unwrap().scenario;
    let r = status_of(&s);
    assert_eq!(r.status, ReproductionStatus::NoClaim);
    assert!(r.missing.is_empty());
    let mut s2 = s.clone();
    s2.expect = Some(crate::scenario::Expectation {
        decision: "allowed".into(),
        denied_by: None,
    });
    assert_eq!(status_of(&s2).status, ReproductionStatus::Reproduced);
    s2.expect = Some(crate::scenario::Expectation {
        decision: "explicit_deny".into(),
        denied_by: Some("resource".into()),
    });
    let r = status_of(&s2);
    assert_eq!(r.status, ReproductionStatus::Incomplete);
    assert!(r.missing[0]
        .command
        .starts_with("aws s3api get-bucket-policy --bucket b"));
}

#[test]
fn a_second_artefact_completes_the_case() {
    let first = imported(SCP_ERROR);
    let (both, _) = combine(
        &first,
        &with_policies(first.clone(), &format!(r#"{{"identity":[{ALLOW_ALL}]}}"#)),
    );
    let r = status_of(&both);
    assert_eq!(r.status, ReproductionStatus::Incomplete);
    assert_eq!(r.missing.len(), 1, "{r:?}");
    assert_eq!(r.missing[0].layer, Layer::Scp);
}

/// What the collect snippet prints for a role session: authorization details filtered to the
/// role, the bucket policy, and SCP levels from the account up to the root.
fn collected_output() -> String {
    let scp = |id: &str, doc: &str| {
        format!(
            r#"{{"Policy":{{"PolicySummary":{{"Id":"{id}","Arn":"arn:aws:organizations::111122223333:policy/o-abc/service_control_policy/{id}","Name":"{id}","Type":"SERVICE_CONTROL_POLICY"}},"Content":{}}}}}"#,
            serde_json::to_string(doc).unwrap()
        )
    };
    let deny = r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}"#;
    format!(
        r#"{{"iamtrace_collect":1,"principal":"arn:aws:iam::111122223333:user/mateo",
"authorization_details":{{"UserDetailList":[{{"UserName":"mateo","UserId":"AIDAEXAMPLE","Arn":"arn:aws:iam::111122223333:user/mateo","UserPolicyList":[{{"PolicyName":"All","PolicyDocument":{ALLOW_ALL}}}],"GroupList":[],"AttachedManagedPolicies":[]}}],"GroupDetailList":[],"Policies":[]}},
"permissions_boundary":null,
"resource":{{"Policy":{}}},
"scp":[{{"target":"111122223333","policies":[{}]}},{{"target":"r-abcd","policies":[{}]}}],
"rcp":[{{"target":"111122223333","policies":[]}}]}}"#,
        serde_json::to_string(
            ALLOW_ALL
                .replace("\"Action\"", "\"Principal\":\"*\",\"Action\"")
                .as_str()
        )
        .unwrap(),
        scp("p-abc123", deny),
        scp("p-FullAWSAccess", ALLOW_ALL),
    )
}

#[test]
fn the_collect_output_completes_an_error_in_one_paste() {
    let error = imported(SCP_ERROR);
    let imp = import(
        &collected_output(),
        &ImportOptions {
            principal: error.request.principal.clone(),
            record: None,
        },
    )
    .unwrap();
    assert_eq!(imp.kind, crate::imports::ArtefactKind::Collected);
    let p = &imp.scenario.policies;
    assert_eq!(p.identity.as_ref().map(Vec::len), Some(1));
    assert!(p.resource.is_some());
    let scp = p.scp.as_ref().unwrap();
    // Root first.
    assert_eq!(scp[0][0].name.as_deref(), Some("p-FullAWSAccess"));
    assert_eq!(scp[1][0].name.as_deref(), Some("p-abc123"));
    assert!(p.rcp.is_none(), "no RCPs collected: the layer is left out");
    let (case, _) = combine(&error, &imp.scenario);
    let e = evaluate(&case);
    assert_eq!(e.denied_by, Some(Layer::Scp));
    assert_eq!(
        reproduction(&case, &e).status,
        ReproductionStatus::Reproduced
    );
}

#[test]
fn a_pasted_cli_output_lands_in_its_layer() {
    let out = format!(
        r#"{{"Policy": {}}}"#,
        serde_json::to_string(ALLOW_ALL).unwrap()
    );
    let imp = import(&out, &ImportOptions::default()).unwrap();
    assert_eq!(imp.kind, crate::imports::ArtefactKind::PolicyOutput);
    assert!(imp.scenario.policies.resource.is_some());
    assert!(
        imp.notes[0].contains("aws s3api get-bucket-policy"),
        "{:?}",
        imp.notes
    );
}

fn expecting(text: &str, decision: &str, denied_by: Option<&str>) -> Scenario {
    let mut s = Scenario::parse(text).unwrap().scenario;
    s.expect = Some(crate::scenario::Expectation {
        decision: decision.into(),
        denied_by: denied_by.map(str::to_string),
    });
    s
}

#[test]
fn a_differing_result_names_the_statement_that_allows_where_aws_found_none() {
    let s = expecting(
        r#"{"request":{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"},
           "policies":{"identity":[{"Statement":[{"Sid":"ReadAll","Effect":"Allow","Action":"s3:*","Resource":"*"}]}]}}"#,
        "implicit_deny",
        Some("identity"),
    );
    let r = status_of(&s);
    assert_eq!(r.status, ReproductionStatus::Differs, "{r:?}");
    assert!(r.likely[0].contains("`ReadAll`"), "{r:?}");
    assert!(r.summary.contains("likely:"), "{}", r.summary);
}

#[test]
fn a_differing_explicit_deny_names_the_context_key_the_case_lacks() {
    let s = expecting(
        r#"{"request":{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"},
           "policies":{"identity":[{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}],
             "scp":[[{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
               {"Sid":"OnlyFromOffice","Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-3"}}}]}]]}}"#,
        "explicit_deny",
        Some("scp"),
    );
    let r = status_of(&s);
    assert_eq!(r.status, ReproductionStatus::Differs, "{r:?}");
    assert!(
        r.likely[0].contains("no Deny statement pasted there applies")
            && r.likely[0].contains("`aws:RequestedRegion`"),
        "{r:?}"
    );
}

#[test]
fn allowed_by_aws_but_denied_here_points_at_the_layer_that_denies() {
    let s = expecting(
        r#"{"request":{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"},
           "policies":{"identity":[{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}],
             "permissions_boundary":{"Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}}}"#,
        "allowed",
        None,
    );
    let r = status_of(&s);
    assert_eq!(r.status, ReproductionStatus::Differs, "{r:?}");
    assert!(
        r.likely[0].contains("the permissions boundary does not allow it here"),
        "{r:?}"
    );
    // Agreeing results have no hints.
    let mut same = s.clone();
    same.expect = Some(crate::scenario::Expectation {
        decision: "implicit_deny".into(),
        denied_by: Some("permissions_boundary".into()),
    });
    assert!(status_of(&same).likely.is_empty());
}
