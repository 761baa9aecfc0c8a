//! The AWS CLI commands that print each layer's policy documents for a case's principal and
//! resource, and one "collect everything" snippet whose output the importer reads in one go.
//!
//! Commands follow the AWS CLI command reference
//! (<https://docs.aws.amazon.com/cli/latest/reference/>): `iam get-account-authorization-details`,
//! `iam get-policy` / `get-policy-version`, `organizations list-parents` /
//! `list-policies-for-target` / `describe-policy`, `iam get-role`, `s3api get-bucket-policy`,
//! `kms get-key-policy`, `sqs get-queue-attributes`, `sns get-topic-attributes`,
//! `lambda get-policy`, `secretsmanager get-resource-policy`, `ecr get-repository-policy`,
//! `dynamodb get-resource-policy`, `ec2 describe-vpc-endpoints`. All are read-only.

use crate::decision::Layer;
use crate::scenario::Scenario;
use serde::Serialize;

/// What the commands need to know about a case; empty strings where the case does not say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFacts {
    /// The caller ARN.
    pub principal: String,
    pub action: String,
    /// The resource ARN (`*` or empty when none).
    pub resource: String,
    /// The account that owns the resource, when known.
    pub resource_account: Option<String>,
    /// The `aws:SourceVpce` value of the request, when known.
    pub source_vpce: Option<String>,
}

impl CaseFacts {
    /// The facts of a scenario's request.
    pub fn from_scenario(s: &Scenario) -> CaseFacts {
        let r = &s.request;
        let source_vpce = r
            .context
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("aws:SourceVpce"))
            .and_then(|(_, v)| match v {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Array(a) => {
                    a.first().and_then(|x| x.as_str()).map(str::to_string)
                }
                _ => None,
            });
        CaseFacts {
            principal: r.principal.clone().unwrap_or_default(),
            action: r.action.clone(),
            resource: r.resource.clone(),
            resource_account: r.resource_account.clone(),
            source_vpce,
        }
    }

    fn principal(&self) -> Principal {
        principal_parts(self.principal.trim())
    }

    fn resource_owner(&self) -> String {
        self.resource_account
            .clone()
            .filter(|a| !a.trim().is_empty())
            .or_else(|| {
                let a = arn_part(self.resource.trim(), 4);
                (!a.is_empty()).then(|| a.to_string())
            })
            // An ARN without an account (S3): the evaluation assumes the caller's account.
            .unwrap_or_else(|| self.caller_account())
    }

    fn caller_account(&self) -> String {
        let a = arn_part(self.principal.trim(), 4);
        if a.is_empty() {
            "CALLER_ACCOUNT_ID".into()
        } else {
            a.to_string()
        }
    }

    fn is_assume_role(&self) -> bool {
        self.action
            .trim()
            .to_ascii_lowercase()
            .starts_with("sts:assumerole")
    }
}

/// The caller, as the IAM commands need it.
enum Principal {
    User(String),
    Role(String),
    Federated,
    Root,
    Other,
}

fn principal_parts(arn: &str) -> Principal {
    let Some(resource) = arn.splitn(6, ':').nth(5) else {
        return Principal::Other;
    };
    if arn_part(arn, 2) == "iam" && resource == "root" {
        return Principal::Root;
    }
    let mut parts = resource.split('/');
    let kind = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    match kind {
        "user" => rest.last().map(|n| Principal::User(n.to_string())),
        "role" => rest.last().map(|n| Principal::Role(n.to_string())),
        // The session ARN carries the role name without its path (§5.3).
        "assumed-role" => rest.first().map(|n| Principal::Role(n.to_string())),
        "federated-user" => Some(Principal::Federated),
        _ => None,
    }
    .unwrap_or(Principal::Other)
}

fn arn_part(arn: &str, n: usize) -> &str {
    if !arn.starts_with("arn:") {
        return "";
    }
    arn.splitn(6, ':').nth(n).unwrap_or("")
}

fn region_flag(arn: &str) -> String {
    let r = arn_part(arn, 3);
    if r.is_empty() {
        String::new()
    } else {
        format!(" --region {r}")
    }
}

/// What a layer is, in one line (AWS's terms).
pub fn layer_description(layer: Layer) -> &'static str {
    match layer {
        Layer::Identity => "Policies attached to the IAM user or role (inline and managed, and the user's groups).",
        Layer::Resource => "The policy on the resource itself: bucket policy, key policy, role trust policy, queue policy…",
        Layer::PermissionsBoundary => "A managed policy that caps what the user's or role's identity policies can allow.",
        Layer::Scp => "AWS Organizations policies that cap the caller's account, one level per root, OU and account.",
        Layer::Rcp => "AWS Organizations policies that cap the resource owner's resources, one level per root, OU and account.",
        Layer::Session => "Policies passed when the session was created (AssumeRole --policy); they narrow the role's permissions.",
        Layer::VpcEndpoint => "The policy of the VPC endpoint the request went through, if it did.",
    }
}

/// The policy id (`p-…`) at the end of an Organizations policy ARN
/// (`arn:aws:organizations::111122223333:policy/o-abc/service_control_policy/p-abc123`).
pub fn organizations_policy_id(arn: &str) -> Option<&str> {
    if arn_part(arn, 2) != "organizations" {
        return None;
    }
    arn.rsplit('/').next().filter(|id| id.starts_with("p-"))
}

const AUTH_QUERY_POLICIES: &str = "Policies: Policies[?AttachmentCount > `0`]";

/// `get-account-authorization-details` filtered to the caller (a role session: its role), with the
/// managed policies attached in the account, in the shape the importer reads.
fn identity_command(f: &CaseFacts) -> String {
    match f.principal() {
        Principal::User(name) => format!(
            "aws iam get-account-authorization-details --filter User Group LocalManagedPolicy AWSManagedPolicy --output json --query '{{UserDetailList: UserDetailList[?UserName==`\"{name}\"`], GroupDetailList: GroupDetailList, {AUTH_QUERY_POLICIES}}}'"
        ),
        Principal::Role(name) => format!(
            "aws iam get-account-authorization-details --filter Role LocalManagedPolicy AWSManagedPolicy --output json --query '{{RoleDetailList: RoleDetailList[?RoleName==`\"{name}\"`], {AUTH_QUERY_POLICIES}}}'"
        ),
        Principal::Federated => "# A federated user's permissions are those of the IAM user that called GetFederationToken (see the CloudTrail GetFederationToken event), intersected with the session policy passed then; run this for that user: aws iam get-account-authorization-details --filter User Group LocalManagedPolicy AWSManagedPolicy --output json".into(),
        Principal::Root => "# The root user has no identity-based policies.".into(),
        Principal::Other => "# Set the caller (an IAM user, role or role-session ARN) to get the command that prints its policies.".into(),
    }
}

fn boundary_command(f: &CaseFacts) -> String {
    let (kind, name) = match f.principal() {
        Principal::User(n) => ("user", n),
        Principal::Role(n) => ("role", n),
        _ => return "# Permissions boundaries are set on IAM users and roles; set the caller to one.".into(),
    };
    let top = if kind == "user" { "User" } else { "Role" };
    format!(
        "arn=$(aws iam get-{kind} --{kind}-name {name} --query {top}.PermissionsBoundary.PermissionsBoundaryArn --output text) && aws iam get-policy-version --policy-arn \"$arn\" --version-id \"$(aws iam get-policy --policy-arn \"$arn\" --query Policy.DefaultVersionId --output text)\" --output json"
    )
}

fn org_filter(layer: Layer) -> &'static str {
    if layer == Layer::Rcp {
        "RESOURCE_CONTROL_POLICY"
    } else {
        "SERVICE_CONTROL_POLICY"
    }
}

/// The shell loop that walks from the account up to the root, printing each level's policies
/// as `"key":[{"target":…,"policies":[describe-policy output…]},…]` (account first).
fn org_chain_loop(key: &str, account: &str, filter: &str) -> String {
    format!(
        "printf '\"{key}\":['; sep=; t={account}; while [ -n \"$t\" ] && [ \"$t\" != None ]; do printf '%s{{\"target\":\"%s\",\"policies\":[' \"$sep\" \"$t\"; ps=; for p in $(aws organizations list-policies-for-target --target-id \"$t\" --filter {filter} --query 'Policies[].Id' --output text); do printf '%s' \"$ps\"; aws organizations describe-policy --policy-id \"$p\" --output json || printf null; ps=,; done; printf ']}}'; sep=,; case \"$t\" in r-*) t= ;; *) t=$(aws organizations list-parents --child-id \"$t\" --query 'Parents[0].Id' --output text) || t= ;; esac; done; printf ']'"
    )
}

fn org_command(f: &CaseFacts, layer: Layer, policy_id: Option<&str>) -> String {
    if let Some(id) = policy_id {
        return format!("aws organizations describe-policy --policy-id {id} --output json");
    }
    let account = if layer == Layer::Scp {
        f.caller_account()
    } else {
        f.resource_owner()
    };
    let key = layer.name();
    format!(
        "{{ printf '{{\"iamtrace_collect\":1,'; {}; printf '}}\\n'; }}",
        org_chain_loop(key, &account, org_filter(layer))
    )
}

fn vpce_command(f: &CaseFacts) -> String {
    let vpce = f
        .source_vpce
        .clone()
        .unwrap_or_else(|| "vpce-ENDPOINT_ID".into());
    format!("aws ec2 describe-vpc-endpoints --vpc-endpoint-ids {vpce} --query 'VpcEndpoints[0].PolicyDocument' --output text")
}

/// The command printing the resource's policy in its raw CLI output (which the importer and the
/// layer editors unwrap), or `None` when the resource type has no resource-based policy command.
fn resource_raw_command(f: &CaseFacts) -> Option<String> {
    let res = f.resource.trim();
    let tail = arn_part(res, 5);
    if f.is_assume_role() {
        let role = tail
            .rsplit('/')
            .next()
            .filter(|r| !r.is_empty() && *r != "*")?;
        return Some(format!("aws iam get-role --role-name {role} --output json"));
    }
    let service = match arn_part(res, 2) {
        "" => f
            .action
            .split(':')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase(),
        s => s.to_string(),
    };
    let region = region_flag(res);
    let account = arn_part(res, 4);
    Some(match service.as_str() {
        "s3" => {
            let bucket = tail.split('/').next().filter(|b| !b.is_empty() && *b != "*")?;
            format!("aws s3api get-bucket-policy --bucket {bucket} --output json")
        }
        "kms" if tail.starts_with("key/") => format!(
            "aws kms get-key-policy --key-id {res} --policy-name default{region} --output json"
        ),
        "sqs" if !tail.is_empty() && !account.is_empty() => {
            let r = arn_part(res, 3);
            format!("aws sqs get-queue-attributes --queue-url https://sqs.{r}.amazonaws.com/{account}/{tail} --attribute-names Policy{region} --output json")
        }
        "sns" if !tail.is_empty() => format!(
            "aws sns get-topic-attributes --topic-arn {res}{region} --output json"
        ),
        "lambda" if tail.starts_with("function:") => {
            let mut parts = tail.trim_start_matches("function:").splitn(2, ':');
            let name = parts.next().unwrap_or("");
            let qualifier = parts
                .next()
                .map(|q| format!(" --qualifier {q}"))
                .unwrap_or_default();
            format!("aws lambda get-policy --function-name {name}{qualifier}{region} --output json")
        }
        "secretsmanager" if tail.starts_with("secret:") => format!(
            "aws secretsmanager get-resource-policy --secret-id {res}{region} --output json"
        ),
        "ecr" if tail.starts_with("repository/") => format!(
            "aws ecr get-repository-policy --repository-name {} --registry-id {account}{region} --output json",
            tail.trim_start_matches("repository/")
        ),
        "dynamodb" if tail.starts_with("table/") => {
            // An index is governed by its table's policy; a stream has its own.
            let arn = match res.find("/index/") {
                Some(i) => &res[..i],
                None => res,
            };
            format!("aws dynamodb get-resource-policy --resource-arn {arn}{region} --output json")
        }
        _ => return None,
    })
}

fn resource_command(f: &CaseFacts) -> String {
    let res = f.resource.trim();
    let tail = arn_part(res, 5);
    if f.is_assume_role() {
        if let Some(role) = tail
            .rsplit('/')
            .next()
            .filter(|r| !r.is_empty() && *r != "*")
        {
            return format!(
                "aws iam get-role --role-name {role} --query Role.AssumeRolePolicyDocument --output json"
            );
        }
    }
    if arn_part(res, 2) == "kms" && tail.starts_with("key/") {
        return format!(
            "aws kms get-key-policy --key-id {res} --policy-name default{} --query Policy --output text",
            region_flag(res)
        );
    }
    match resource_raw_command(f) {
        Some(c) => c,
        None if arn_part(res, 2) == "kms" => "# KMS key policies are fetched by key id or key ARN, not alias: find the key with aws kms describe-key --key-id ALIAS_ARN, then aws kms get-key-policy --key-id KEY_ARN --policy-name default --query Policy --output text".into(),
        None if arn_part(res, 2) == "iam" => "# Only IAM roles have a resource-based policy (the trust policy), and it is evaluated for sts:AssumeRole* only.".into(),
        None => "# No read command is known here for this resource type's policy: see the service's get-…-policy command in the AWS CLI reference.".into(),
    }
}

const SESSION_NOTE: &str = "# Session policies cannot be fetched: they are the Policy (and PolicyArns) parameter of the AssumeRole or GetFederationToken call that created the session. Find them in that call's CloudTrail event, under requestParameters.policy, or in the caller's code.";

/// The shell command that prints the layer's policy documents for the case, in one step.
/// `policy_id` is the id AWS named (an SCP or RCP `p-…`, or a managed policy ARN for the
/// identity or boundary layers), to fetch that very policy.
pub fn layer_command(f: &CaseFacts, layer: Layer, policy_id: Option<&str>) -> String {
    match layer {
        Layer::Identity => {
            match policy_id.filter(|a| a.starts_with("arn:") && a.contains(":policy/")) {
                Some(arn) => managed_policy_command(arn),
                None => identity_command(f),
            }
        }
        Layer::PermissionsBoundary => match policy_id.filter(|a| a.starts_with("arn:")) {
            Some(arn) => managed_policy_command(arn),
            None => boundary_command(f),
        },
        Layer::Scp | Layer::Rcp => org_command(f, layer, policy_id),
        Layer::Resource => resource_command(f),
        Layer::Session => SESSION_NOTE.into(),
        Layer::VpcEndpoint => vpce_command(f),
    }
}

fn managed_policy_command(arn: &str) -> String {
    format!(
        "aws iam get-policy-version --policy-arn {arn} --version-id \"$(aws iam get-policy --policy-arn {arn} --query Policy.DefaultVersionId --output text)\" --output json"
    )
}

/// A shell snippet (AWS CLI only, read-only calls) that prints one JSON object with every policy
/// a case needs, and the IAM permissions it uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CollectSnippet {
    /// The snippet, for `sh`/`bash`; its output is what the importer reads (`iamtrace_collect`).
    pub script: String,
    /// The IAM actions the snippet calls (`iam:GetAccountAuthorizationDetails`…).
    pub permissions: Vec<String>,
    /// What the snippet cannot fetch (session policies…), one line each.
    pub notes: Vec<String>,
}

/// The "collect everything" snippet for a case. Its output is one JSON object
/// `{"iamtrace_collect": 1, "principal", "authorization_details", "permissions_boundary",
/// "resource", "scp": [levels, account first], "rcp": […], "vpc_endpoint"}` that
/// [`crate::imports::import`] reads.
pub fn collect_snippet(f: &CaseFacts) -> CollectSnippet {
    let mut parts: Vec<String> = Vec::new();
    let mut perms: Vec<&str> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let principal = f.principal.trim().replace(['\'', '"', '\\'], "");
    parts.push(format!(
        "printf '{{\"iamtrace_collect\":1,\"principal\":\"{principal}\"'"
    ));
    match f.principal() {
        Principal::User(_) | Principal::Role(_) => {
            parts.push(format!(
                "printf ',\"authorization_details\":'; {} || printf null",
                identity_command(f)
            ));
            perms.push("iam:GetAccountAuthorizationDetails");
            parts.push(format!(
                "printf ',\"permissions_boundary\":'; ({}) 2>/dev/null || printf null",
                boundary_command(f)
            ));
            perms.extend([
                if matches!(f.principal(), Principal::User(_)) {
                    "iam:GetUser"
                } else {
                    "iam:GetRole"
                },
                "iam:GetPolicy",
                "iam:GetPolicyVersion",
            ]);
        }
        _ => notes.push(
            "the caller is not an IAM user or role: no identity policies or boundary to fetch"
                .into(),
        ),
    }
    match resource_raw_command(f) {
        Some(cmd) => {
            parts.push(format!(
                "printf ',\"resource\":'; {cmd} 2>/dev/null || printf null"
            ));
            let action = cmd
                .split_whitespace()
                .nth(1)
                .zip(cmd.split_whitespace().nth(2));
            if let Some(p) = action.and_then(|(svc, op)| read_permission(svc, op)) {
                perms.push(p);
            }
        }
        None => notes.push(
            "no read command is known for this resource's policy: paste it into the resource layer"
                .into(),
        ),
    }
    parts.push(format!(
        "printf ','; {}",
        org_chain_loop("scp", &f.caller_account(), "SERVICE_CONTROL_POLICY")
    ));
    parts.push(format!(
        "printf ','; {}",
        org_chain_loop("rcp", &f.resource_owner(), "RESOURCE_CONTROL_POLICY")
    ));
    perms.extend([
        "organizations:ListParents",
        "organizations:ListPoliciesForTarget",
        "organizations:DescribePolicy",
    ]);
    notes.push("the Organizations calls work only from the management account or a delegated administrator account; elsewhere the scp and rcp lists stay empty".into());
    if let Some(v) = &f.source_vpce {
        parts.push(format!(
            "printf ',\"vpc_endpoint\":'; aws ec2 describe-vpc-endpoints --vpc-endpoint-ids {v} --output json 2>/dev/null || printf null"
        ));
        perms.push("ec2:DescribeVpcEndpoints");
    }
    notes.push(SESSION_NOTE.trim_start_matches("# ").into());
    parts.push("printf '}\\n'".into());
    let mut permissions: Vec<String> = perms.iter().map(|p| p.to_string()).collect();
    permissions.dedup();
    let mut script =
        String::from("# iamtrace: collect the policies of this case (read-only AWS CLI calls).\n");
    script.push_str(&format!("# Needs: {}\n", permissions.join(", ")));
    script.push_str("# Save the output (… > collected.json) and paste it, or: iamtrace import error.txt collected.json\n");
    script.push_str("{\n");
    for p in &parts {
        script.push_str(p);
        script.push('\n');
    }
    script.push_str("}\n");
    CollectSnippet {
        script,
        permissions,
        notes,
    }
}

fn read_permission(service: &str, op: &str) -> Option<&'static str> {
    Some(match (service, op) {
        ("s3api", "get-bucket-policy") => "s3:GetBucketPolicy",
        ("kms", "get-key-policy") => "kms:GetKeyPolicy",
        ("sqs", "get-queue-attributes") => "sqs:GetQueueAttributes",
        ("sns", "get-topic-attributes") => "sns:GetTopicAttributes",
        ("lambda", "get-policy") => "lambda:GetPolicy",
        ("secretsmanager", "get-resource-policy") => "secretsmanager:GetResourcePolicy",
        ("ecr", "get-repository-policy") => "ecr:GetRepositoryPolicy",
        ("dynamodb", "get-resource-policy") => "dynamodb:GetResourcePolicy",
        ("iam", "get-role") => "iam:GetRole",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(principal: &str, action: &str, resource: &str) -> CaseFacts {
        CaseFacts {
            principal: principal.into(),
            action: action.into(),
            resource: resource.into(),
            ..Default::default()
        }
    }

    #[test]
    fn identity_commands_filter_to_the_caller_and_a_session_maps_to_its_role() {
        let f = facts(
            "arn:aws:sts::111122223333:assumed-role/Deployer/ci",
            "s3:GetObject",
            "arn:aws:s3:::amzn-s3-demo-bucket/k",
        );
        let c = layer_command(&f, Layer::Identity, None);
        assert!(
            c.starts_with("aws iam get-account-authorization-details --filter Role"),
            "{c}"
        );
        assert!(c.contains("RoleName==`\"Deployer\"`"), "{c}");
        let u = facts(
            "arn:aws:iam::111122223333:user/dev/alice",
            "s3:GetObject",
            "*",
        );
        assert!(layer_command(&u, Layer::Identity, None).contains("UserName==`\"alice\"`"));
        let b = layer_command(&u, Layer::PermissionsBoundary, None);
        assert!(b.contains("aws iam get-user --user-name alice --query User.PermissionsBoundary.PermissionsBoundaryArn"), "{b}");
        assert!(b.contains("get-policy-version"), "{b}");
    }

    #[test]
    fn resource_commands_are_right_for_each_service() {
        let p = "arn:aws:iam::111122223333:user/alice";
        let cases = [
            ("s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/a/b", "aws s3api get-bucket-policy --bucket amzn-s3-demo-bucket"),
            ("kms:Decrypt", "arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "aws kms get-key-policy --key-id arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab --policy-name default --region us-east-2 --query Policy --output text"),
            ("sqs:SendMessage", "arn:aws:sqs:us-east-1:111122223333:MyQueue", "aws sqs get-queue-attributes --queue-url https://sqs.us-east-1.amazonaws.com/111122223333/MyQueue --attribute-names Policy --region us-east-1"),
            ("sns:Publish", "arn:aws:sns:us-west-2:111122223333:my-topic", "aws sns get-topic-attributes --topic-arn arn:aws:sns:us-west-2:111122223333:my-topic --region us-west-2"),
            ("lambda:InvokeFunction", "arn:aws:lambda:us-west-2:111122223333:function:my-function:prod", "aws lambda get-policy --function-name my-function --qualifier prod --region us-west-2"),
            ("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-west-2:111122223333:secret:MyTestSecret-a1b2c3", "aws secretsmanager get-resource-policy --secret-id arn:aws:secretsmanager:us-west-2:111122223333:secret:MyTestSecret-a1b2c3 --region us-west-2"),
            ("ecr:BatchGetImage", "arn:aws:ecr:us-west-2:111122223333:repository/project-a/nginx", "aws ecr get-repository-policy --repository-name project-a/nginx --registry-id 111122223333 --region us-west-2"),
            ("dynamodb:Query", "arn:aws:dynamodb:us-west-2:111122223333:table/Music/index/ByArtist", "aws dynamodb get-resource-policy --resource-arn arn:aws:dynamodb:us-west-2:111122223333:table/Music --region us-west-2"),
            ("sts:AssumeRole", "arn:aws:iam::444455556666:role/path/Target", "aws iam get-role --role-name Target --query Role.AssumeRolePolicyDocument"),
        ];
        for (action, resource, want) in cases {
            let c = layer_command(&facts(p, action, resource), Layer::Resource, None);
            assert!(c.starts_with(want), "{action}: {c}");
        }
        // A role is a resource with a trust policy only for sts:AssumeRole*.
        let c = layer_command(
            &facts(p, "iam:GetRole", "arn:aws:iam::111122223333:role/X"),
            Layer::Resource,
            None,
        );
        assert!(c.starts_with('#'), "{c}");
    }

    #[test]
    fn organizations_commands_fetch_the_named_policy_or_walk_the_parents() {
        let f = facts("arn:aws:iam::111122223333:user/alice", "s3:GetObject", "*");
        let id = organizations_policy_id(
            "arn:aws:organizations::111122223333:policy/o-abc/service_control_policy/p-abc123",
        );
        assert_eq!(id, Some("p-abc123"));
        assert_eq!(
            layer_command(&f, Layer::Scp, id),
            "aws organizations describe-policy --policy-id p-abc123 --output json"
        );
        let chain = layer_command(&f, Layer::Scp, None);
        assert!(chain.contains("t=111122223333;"), "{chain}");
        assert!(chain.contains("--filter SERVICE_CONTROL_POLICY"), "{chain}");
        assert!(chain.contains("list-parents --child-id"), "{chain}");
        let s3 = CaseFacts {
            resource_account: Some("444455556666".into()),
            ..facts(
                "arn:aws:iam::111122223333:user/alice",
                "s3:GetObject",
                "arn:aws:s3:::b/k",
            )
        };
        let rcp = layer_command(&s3, Layer::Rcp, None);
        assert!(
            rcp.contains("t=444455556666;") && rcp.contains("RESOURCE_CONTROL_POLICY"),
            "{rcp}"
        );
    }

    #[test]
    fn vpc_endpoint_and_session_commands() {
        let f = CaseFacts {
            source_vpce: Some("vpce-1a2b3c4d".into()),
            ..facts("arn:aws:iam::111122223333:user/alice", "s3:GetObject", "*")
        };
        assert_eq!(
            layer_command(&f, Layer::VpcEndpoint, None),
            "aws ec2 describe-vpc-endpoints --vpc-endpoint-ids vpce-1a2b3c4d --query 'VpcEndpoints[0].PolicyDocument' --output text"
        );
        let s = layer_command(&f, Layer::Session, None);
        assert!(
            s.contains("requestParameters") && s.contains("AssumeRole"),
            "{s}"
        );
    }

    #[test]
    fn collect_snippet_lists_its_permissions_and_prints_one_json_object() {
        let f = facts(
            "arn:aws:sts::111122223333:assumed-role/Deployer/ci",
            "s3:GetObject",
            "arn:aws:s3:::amzn-s3-demo-bucket/k",
        );
        let c = collect_snippet(&f);
        for p in [
            "iam:GetAccountAuthorizationDetails",
            "s3:GetBucketPolicy",
            "organizations:DescribePolicy",
            "iam:GetRole",
        ] {
            assert!(
                c.permissions.iter().any(|x| x == p),
                "{p}: {:?}",
                c.permissions
            );
        }
        assert!(c.script.contains("\"iamtrace_collect\":1"));
        assert!(c
            .script
            .contains("get-bucket-policy --bucket amzn-s3-demo-bucket"));
        assert!(!c.script.contains("put-") && !c.script.contains("delete-"));
    }
}
