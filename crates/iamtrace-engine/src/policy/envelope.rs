//! The raw output of the AWS CLI commands that fetch policies, unwrapped to the policy document.
//!
//! Each command wraps its document differently: a JSON string in `Policy`
//! (`s3api get-bucket-policy`, `kms get-key-policy`, `lambda get-policy`,
//! `dynamodb get-resource-policy`), an object under `Role.AssumeRolePolicyDocument`
//! (`iam get-role`), `PolicyVersion.Document` (`iam get-policy-version`), `PolicyDocument`
//! (`iam get-role-policy`, `get-user-policy`, `get-group-policy`), `Policy.Content` with
//! `PolicySummary` (`organizations describe-policy`), `VpcEndpoints[].PolicyDocument`
//! (`ec2 describe-vpc-endpoints`), `Attributes.Policy` (`sqs get-queue-attributes`,
//! `sns get-topic-attributes`), `ResourcePolicy` (`secretsmanager get-resource-policy`) and
//! `policyText` (`ecr get-repository-policy`). Output shapes follow the AWS CLI command
//! reference, e.g. <https://docs.aws.amazon.com/cli/latest/reference/s3api/get-bucket-policy.html>
//! and <https://docs.aws.amazon.com/cli/latest/reference/organizations/describe-policy.html>.
//! IAM's raw API returns documents URL-encoded; both forms are read.

use crate::decision::Layer;
use crate::scenario::decode_document_string;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A policy document taken out of a CLI command's output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unwrapped {
    /// The policy document as JSON text.
    pub document_text: String,
    /// The policy's name, when the output carries it (inline policy name, SCP name, endpoint id).
    pub name: Option<String>,
    /// The policy's ARN, when the output carries it (`organizations describe-policy`).
    pub arn: Option<String>,
    /// The command the output comes from: `aws s3api get-bucket-policy`…
    pub source_command: &'static str,
    /// The layer such a document belongs to (`get-policy-version` and the inline-policy commands
    /// print identity policies, though a boundary is fetched the same way).
    pub layer: Layer,
    /// One line for the user: "Read the policy from the output of aws s3api get-bucket-policy."
    pub note: String,
}

/// A document as the CLI prints it: a decoded object, or JSON text (possibly URL-encoded).
#[derive(Deserialize)]
#[serde(untagged)]
enum Doc {
    Text(String),
    Object(serde_json::Map<String, Value>),
}

impl Doc {
    fn text(&self) -> Option<String> {
        match self {
            Doc::Text(s) => {
                let t = decode_document_string(s);
                t.trim_start().starts_with('{').then_some(t)
            }
            Doc::Object(o) => serde_json::to_string_pretty(o).ok(),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GetRole {
    role: RoleBody,
}
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RoleBody {
    role_name: Option<String>,
    assume_role_policy_document: Doc,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GetPolicyVersion {
    policy_version: PolicyVersionBody,
}
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PolicyVersionBody {
    document: Doc,
    version_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GetInlinePolicy {
    policy_name: Option<String>,
    policy_document: Doc,
    role_name: Option<String>,
    user_name: Option<String>,
    group_name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribePolicy {
    policy: OrgPolicy,
}
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct OrgPolicy {
    policy_summary: Option<PolicySummary>,
    content: Doc,
}
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PolicySummary {
    id: Option<String>,
    arn: Option<String>,
    name: Option<String>,
    #[serde(rename = "Type")]
    kind: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeVpcEndpoints {
    vpc_endpoints: Vec<VpcEndpoint>,
}
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct VpcEndpoint {
    vpc_endpoint_id: Option<String>,
    policy_document: Option<Doc>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GetAttributes {
    attributes: Attributes,
}
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Attributes {
    policy: Doc,
    topic_arn: Option<String>,
    queue_arn: Option<String>,
}

#[derive(Deserialize)]
struct GetSecretPolicy {
    #[serde(rename = "ResourcePolicy")]
    resource_policy: Doc,
    #[serde(rename = "Name")]
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GetRepositoryPolicy {
    policy_text: Doc,
    repository_name: Option<String>,
}

/// `{"Policy": "<JSON text>"}` and its relatives: S3 (nothing else), KMS (`PolicyName`),
/// Lambda and DynamoDB (`RevisionId`).
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PolicyString {
    policy: Doc,
    policy_name: Option<String>,
    revision_id: Option<String>,
}

fn found(
    doc: &Doc,
    name: Option<String>,
    arn: Option<String>,
    source_command: &'static str,
    detail: &str,
) -> Option<Unwrapped> {
    let document_text = doc.text()?;
    let layer = match source_command {
        "aws iam get-policy-version"
        | "aws iam get-role-policy"
        | "aws iam get-user-policy"
        | "aws iam get-group-policy" => Layer::Identity,
        "aws ec2 describe-vpc-endpoints" => Layer::VpcEndpoint,
        "aws organizations describe-policy" if detail.contains("(RCP ") => Layer::Rcp,
        "aws organizations describe-policy" => Layer::Scp,
        _ => Layer::Resource,
    };
    Some(Unwrapped {
        document_text,
        name,
        arn,
        source_command,
        layer,
        note: format!("Read the policy document from the output of {source_command}{detail}."),
    })
}

fn parse<T: for<'de> Deserialize<'de>>(v: &Value) -> Option<T> {
    serde_json::from_value(v.clone()).ok()
}

/// The service a `{"Policy": …, "RevisionId": …}` document belongs to, from its `Resource`s.
fn revision_service(doc: &Doc) -> (&'static str, &'static str) {
    let text = doc.text().unwrap_or_default();
    if text.contains(":dynamodb:") {
        ("aws dynamodb get-resource-policy", "")
    } else if text.contains(":lambda:") {
        ("aws lambda get-policy", "")
    } else {
        (
            "aws lambda get-policy",
            " (or aws dynamodb get-resource-policy: both print Policy and RevisionId)",
        )
    }
}

/// Unwraps the output of one AWS CLI command that fetches a policy, given as JSON text. `None`
/// when the text is not such an output (a bare policy document is not: it needs no unwrapping).
pub fn unwrap_cli_output(text: &str) -> Option<Unwrapped> {
    let t = text.trim_start_matches('\u{feff}').trim();
    if !t.starts_with('{') || starts_like_a_document(t) {
        return None;
    }
    let v: Value = serde_json::from_str(t).ok()?;
    unwrap_value(&v)
}

/// Whether the object's first member is one of a policy document's own (`Version`, `Statement`,
/// `Id`): such text is a document, and an editor can skip parsing it on every keystroke.
fn starts_like_a_document(t: &str) -> bool {
    let first = t[1..].trim_start();
    ["\"Version\"", "\"Statement\"", "\"Id\""]
        .iter()
        .any(|k| first.starts_with(k))
}

/// [`unwrap_cli_output`] for an already parsed JSON value.
pub fn unwrap_value(v: &Value) -> Option<Unwrapped> {
    let o = v.as_object()?;
    if o.contains_key("Statement") {
        return None;
    }
    if o.contains_key("Role") {
        let r: GetRole = parse(v)?;
        let detail = r
            .role
            .role_name
            .map(|n| format!(" (the trust policy of role {n})"))
            .unwrap_or_default();
        return found(
            &r.role.assume_role_policy_document,
            None,
            None,
            "aws iam get-role",
            &detail,
        );
    }
    if o.contains_key("PolicyVersion") {
        let p: GetPolicyVersion = parse(v)?;
        let detail = p
            .policy_version
            .version_id
            .map(|id| format!(" (version {id})"))
            .unwrap_or_default();
        return found(
            &p.policy_version.document,
            None,
            None,
            "aws iam get-policy-version",
            &detail,
        );
    }
    if o.contains_key("PolicyDocument") && !o.contains_key("VpcEndpoints") {
        let p: GetInlinePolicy = parse(v)?;
        let (command, owner) = if let Some(r) = &p.role_name {
            (
                "aws iam get-role-policy",
                format!(" (inline policy of role {r})"),
            )
        } else if let Some(u) = &p.user_name {
            (
                "aws iam get-user-policy",
                format!(" (inline policy of user {u})"),
            )
        } else if let Some(g) = &p.group_name {
            (
                "aws iam get-group-policy",
                format!(" (inline policy of group {g})"),
            )
        } else {
            ("aws iam get-role-policy", String::new())
        };
        return found(&p.policy_document, p.policy_name, None, command, &owner);
    }
    if o.get("Policy").is_some_and(Value::is_object) {
        let d: DescribePolicy = parse(v)?;
        let s = d.policy.policy_summary;
        let (name, arn, detail) = match s {
            Some(s) => {
                let kind = match s.kind.as_deref() {
                    Some("SERVICE_CONTROL_POLICY") => "SCP ",
                    Some("RESOURCE_CONTROL_POLICY") => "RCP ",
                    _ => "",
                };
                let detail = match (&s.name, &s.id) {
                    (Some(n), Some(id)) => format!(" ({kind}{n}, {id})"),
                    (Some(n), None) => format!(" ({kind}{n})"),
                    (None, Some(id)) => format!(" ({kind}{id})"),
                    (None, None) => String::new(),
                };
                (s.name, s.arn, detail)
            }
            None => (None, None, String::new()),
        };
        return found(
            &d.policy.content,
            name,
            arn,
            "aws organizations describe-policy",
            &detail,
        );
    }
    if o.contains_key("VpcEndpoints") {
        let d: DescribeVpcEndpoints = parse(v)?;
        let n = d.vpc_endpoints.len();
        let e = d
            .vpc_endpoints
            .into_iter()
            .find(|e| e.policy_document.is_some())?;
        let mut detail = e
            .vpc_endpoint_id
            .as_deref()
            .map(|id| format!(" (endpoint {id})"))
            .unwrap_or_default();
        if n > 1 {
            detail.push_str(&format!(
                "; the output lists {n} endpoints and the first with a policy was used"
            ));
        }
        let doc = e.policy_document?;
        return found(
            &doc,
            e.vpc_endpoint_id,
            None,
            "aws ec2 describe-vpc-endpoints",
            &detail,
        );
    }
    if o.contains_key("Attributes") {
        let a: GetAttributes = parse(v)?;
        let (command, detail) = match (&a.attributes.topic_arn, &a.attributes.queue_arn) {
            (Some(t), _) => ("aws sns get-topic-attributes", format!(" (topic {t})")),
            (None, Some(q)) => ("aws sqs get-queue-attributes", format!(" (queue {q})")),
            (None, None) => ("aws sqs get-queue-attributes", String::new()),
        };
        return found(&a.attributes.policy, None, None, command, &detail);
    }
    if o.contains_key("ResourcePolicy") {
        let s: GetSecretPolicy = parse(v)?;
        let detail = s
            .name
            .as_deref()
            .map(|n| format!(" (secret {n})"))
            .unwrap_or_default();
        return found(
            &s.resource_policy,
            None,
            None,
            "aws secretsmanager get-resource-policy",
            &detail,
        );
    }
    if o.contains_key("policyText") {
        let r: GetRepositoryPolicy = parse(v)?;
        let detail = r
            .repository_name
            .as_deref()
            .map(|n| format!(" (repository {n})"))
            .unwrap_or_default();
        return found(
            &r.policy_text,
            None,
            None,
            "aws ecr get-repository-policy",
            &detail,
        );
    }
    if o.get("Policy").is_some_and(Value::is_string) {
        let p: PolicyString = parse(v)?;
        let (command, detail) = if p.policy_name.is_some() {
            ("aws kms get-key-policy", "")
        } else if p.revision_id.is_some() {
            revision_service(&p.policy)
        } else {
            let text = p.policy.text().unwrap_or_default();
            if text.contains("\"kms:") && !text.contains("\"s3:") {
                ("aws kms get-key-policy", "")
            } else {
                ("aws s3api get-bucket-policy", "")
            }
        };
        return found(&p.policy, None, None, command, detail);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decision::evaluate;
    use crate::scenario::{PolicySource, Scenario, ScenarioPolicies, ScenarioRequest};

    const DOC: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyOthers","Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalAccount":"111122223333"}}},{"Sid":"AllowAll","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"*","Resource":"*"}]}"#;

    fn as_string(doc: &str) -> String {
        serde_json::to_string(doc).unwrap()
    }

    /// Realistic outputs of each command (shapes from the AWS CLI command reference examples).
    fn envelopes() -> Vec<(&'static str, String)> {
        let s = as_string(DOC);
        let url = as_string(
            &percent_encoding::utf8_percent_encode(DOC, percent_encoding::NON_ALPHANUMERIC)
                .to_string(),
        );
        vec![
            ("aws s3api get-bucket-policy", format!(r#"{{"Policy": {s}}}"#)),
            (
                "aws kms get-key-policy",
                format!(r#"{{"Policy": {s}, "PolicyName": "default"}}"#),
            ),
            (
                "aws iam get-role",
                format!(
                    r#"{{"Role": {{"Path": "/", "RoleName": "Deployer", "RoleId": "AROA1234567890EXAMPLE", "Arn": "arn:aws:iam::111122223333:role/Deployer", "CreateDate": "2023-01-01T00:00:00Z", "AssumeRolePolicyDocument": {DOC}, "MaxSessionDuration": 3600}}}}"#
                ),
            ),
            (
                "aws iam get-role",
                format!(
                    r#"{{"Role": {{"RoleName": "Deployer", "Arn": "arn:aws:iam::111122223333:role/Deployer", "AssumeRolePolicyDocument": {url}}}}}"#
                ),
            ),
            (
                "aws iam get-policy-version",
                format!(
                    r#"{{"PolicyVersion": {{"Document": {DOC}, "VersionId": "v2", "IsDefaultVersion": true, "CreateDate": "2023-04-11T00:22:54+00:00"}}}}"#
                ),
            ),
            (
                "aws iam get-role-policy",
                format!(
                    r#"{{"RoleName": "Test-Role", "PolicyName": "ExamplePolicy", "PolicyDocument": {DOC}}}"#
                ),
            ),
            (
                "aws iam get-user-policy",
                format!(
                    r#"{{"UserName": "Bob", "PolicyName": "ExamplePolicy", "PolicyDocument": {DOC}}}"#
                ),
            ),
            (
                "aws iam get-group-policy",
                format!(
                    r#"{{"GroupName": "Admins", "PolicyName": "ExamplePolicy", "PolicyDocument": {DOC}}}"#
                ),
            ),
            (
                "aws organizations describe-policy",
                format!(
                    r#"{{"Policy": {{"Content": {s}, "PolicySummary": {{"Arn": "arn:aws:organizations::111111111111:policy/o-exampleorgid/service_control_policy/p-examplepolicyid111", "Description": "Enables admins", "Name": "AllowAllS3Actions", "Type": "SERVICE_CONTROL_POLICY", "Id": "p-examplepolicyid111", "AwsManaged": false}}}}}}"#
                ),
            ),
            (
                "aws ec2 describe-vpc-endpoints",
                format!(
                    r#"{{"VpcEndpoints": [{{"VpcEndpointId": "vpce-032a826a", "VpcEndpointType": "Gateway", "VpcId": "vpc-aabb1122", "ServiceName": "com.amazonaws.us-east-1.s3", "State": "available", "PolicyDocument": {s}, "RouteTableIds": []}}]}}"#
                ),
            ),
            (
                "aws sqs get-queue-attributes",
                format!(
                    r#"{{"Attributes": {{"Policy": {s}, "QueueArn": "arn:aws:sqs:us-east-1:111122223333:MyQueue"}}}}"#
                ),
            ),
            (
                "aws sns get-topic-attributes",
                format!(
                    r#"{{"Attributes": {{"SubscriptionsConfirmed": "1", "DisplayName": "my-topic", "Owner": "111122223333", "Policy": {s}, "TopicArn": "arn:aws:sns:us-west-2:111122223333:my-topic"}}}}"#
                ),
            ),
            (
                "aws lambda get-policy",
                format!(
                    r#"{{"Policy": {}, "RevisionId": "93017fc9-59cb-41dc-901b-4845ce4bf668"}}"#,
                    as_string(&DOC.replace(
                        r#""Resource":"*"}]"#,
                        r#""Resource":"arn:aws:lambda:us-west-2:111122223333:function:my-function"}]"#
                    ))
                ),
            ),
            (
                "aws secretsmanager get-resource-policy",
                format!(
                    r#"{{"ARN": "arn:aws:secretsmanager:us-west-2:111122223333:secret:MyTestSecret-a1b2c3", "Name": "MyTestSecret", "ResourcePolicy": {s}}}"#
                ),
            ),
            (
                "aws ecr get-repository-policy",
                format!(
                    r#"{{"registryId": "111122223333", "repositoryName": "project-a/nginx-web-app", "policyText": {s}}}"#
                ),
            ),
            (
                "aws dynamodb get-resource-policy",
                format!(
                    r#"{{"Policy": {}, "RevisionId": "1709841168699"}}"#,
                    as_string(&DOC.replace(
                        r#""Resource":"*"}]"#,
                        r#""Resource":"arn:aws:dynamodb:us-west-2:111122223333:table/Music"}]"#
                    ))
                ),
            ),
        ]
    }

    fn decide(resource_policy: &str) -> (String, Option<String>) {
        let s = Scenario {
            request: ScenarioRequest {
                principal: Some("arn:aws:iam::444455556666:user/mallory".into()),
                action: "s3:GetObject".into(),
                resource: "arn:aws:s3:::amzn-s3-demo-bucket/key".into(),
                resource_account: Some("111122223333".into()),
                ..Default::default()
            },
            policies: ScenarioPolicies {
                identity: Some(vec![PolicySource::from_text(
                    r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
                )]),
                resource: Some(PolicySource::from_text(resource_policy)),
                ..Default::default()
            },
            ..Default::default()
        };
        let e = evaluate(&s);
        (
            e.decision.name().to_string(),
            e.denied_by.map(|l| l.name().to_string()),
        )
    }

    #[test]
    fn every_envelope_unwraps_to_a_document_deciding_like_the_bare_one() {
        let bare = decide(DOC);
        assert_eq!(bare.0, "explicit_deny", "the fixture must decide something");
        for (command, out) in envelopes() {
            let u = unwrap_cli_output(&out).unwrap_or_else(|| panic!("{command}: not unwrapped"));
            assert_eq!(u.source_command, command, "{out}");
            assert!(u.note.contains(command), "{}", u.note);
            let doc = if command.ends_with("lambda get-policy")
                || command.ends_with("dynamodb get-resource-policy")
            {
                // These two documents name their own resource; compare their own bare decision.
                let inner: Value = serde_json::from_str(&out).unwrap();
                decide(inner["Policy"].as_str().unwrap())
            } else {
                bare.clone()
            };
            assert_eq!(decide(&u.document_text), doc, "{command}");
        }
    }

    #[test]
    fn describe_policy_keeps_name_and_arn() {
        let (_, out) = envelopes()
            .into_iter()
            .find(|(c, _)| c.contains("describe-policy"))
            .unwrap();
        let u = unwrap_cli_output(&out).unwrap();
        assert_eq!(u.name.as_deref(), Some("AllowAllS3Actions"));
        assert!(u.arn.unwrap().ends_with("/p-examplepolicyid111"));
        assert!(u.note.contains("SCP AllowAllS3Actions"), "{}", u.note);
    }

    #[test]
    fn bare_documents_and_other_json_are_not_envelopes() {
        assert!(unwrap_cli_output(DOC).is_none());
        assert!(unwrap_cli_output(r#"{"Records": []}"#).is_none());
        assert!(unwrap_cli_output(r#"{"Policy": 3}"#).is_none());
        assert!(unwrap_cli_output(r#"{"Policy": "not json"}"#).is_none());
        assert!(unwrap_cli_output("[1,2]").is_none());
        assert!(unwrap_cli_output("{").is_none());
    }
}
