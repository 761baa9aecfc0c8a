//! The AWS CLI command that fetches each layer's policy for the case's principal or resource,
//! shown next to the layer's editor with a copy button.

use crate::state::{Case, Layer};

/// What a layer is, in one line (AWS's terms).
pub fn description(layer: Layer) -> &'static str {
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

/// The name part of an IAM or STS ARN: (kind, name) such as ("role", "Admin").
fn principal_parts(principal: &str) -> Option<(&str, String)> {
    let resource = principal.splitn(6, ':').nth(5)?;
    let mut parts = resource.split('/');
    let kind = parts.next()?;
    let rest: Vec<&str> = parts.collect();
    match kind {
        "user" | "role" => Some((kind, rest.last()?.to_string())),
        "assumed-role" => Some(("role", rest.first()?.to_string())),
        _ => None,
    }
}

fn arn_part(arn: &str, n: usize) -> &str {
    arn.splitn(6, ':').nth(n).unwrap_or("")
}

/// The shell command that fetches the layer's policies; `level` for SCP/RCP levels.
pub fn command(case: &Case, layer: Layer, level: Option<(usize, usize)>) -> String {
    let p = case.principal.trim();
    let (kind, name) = principal_parts(p).unwrap_or(("role", "ROLE_NAME".into()));
    let res = case.resource.trim();
    let service = arn_part(res, 2);
    match layer {
        Layer::Identity if kind == "user" => format!(
            "aws iam list-attached-user-policies --user-name {name} && aws iam list-user-policies --user-name {name} && aws iam list-groups-for-user --user-name {name}"
        ),
        Layer::Identity => format!(
            "aws iam list-attached-role-policies --role-name {name} && aws iam list-role-policies --role-name {name}"
        ),
        Layer::PermissionsBoundary => format!(
            "aws iam get-{kind} --{kind}-name {name} --query {}.PermissionsBoundary",
            if kind == "user" { "User" } else { "Role" }
        ),
        Layer::Resource => resource_command(case, service, res),
        Layer::Scp | Layer::Rcp => {
            let filter = if layer == Layer::Scp {
                "SERVICE_CONTROL_POLICY"
            } else {
                "RESOURCE_CONTROL_POLICY"
            };
            let account = if layer == Layer::Scp {
                arn_part(p, 4).to_string()
            } else {
                case.resource_account.trim().to_string()
            };
            let target = match level {
                Some((0, _)) => "r-ROOT_ID".to_string(),
                Some((i, n)) if i + 1 == n && !account.is_empty() => account,
                Some((_, _)) => "ou-OU_ID".to_string(),
                None => "TARGET_ID".to_string(),
            };
            format!("aws organizations list-policies-for-target --target-id {target} --filter {filter}")
        }
        Layer::Session => {
            "# Session policies are passed to sts:AssumeRole (--policy, --policy-arns) and cannot be fetched later; check the caller's code or CloudTrail's AssumeRole event".to_string()
        }
        Layer::VpcEndpoint => {
            let vpce = case
                .context
                .iter()
                .find(|r| r.key.eq_ignore_ascii_case("aws:SourceVpce"))
                .and_then(|r| r.values.first().cloned())
                .unwrap_or_else(|| "vpce-ENDPOINT_ID".into());
            format!("aws ec2 describe-vpc-endpoints --vpc-endpoint-ids {vpce} --query 'VpcEndpoints[0].PolicyDocument' --output text")
        }
    }
}

fn resource_command(case: &Case, service: &str, res: &str) -> String {
    let tail = arn_part(res, 5);
    if case
        .action
        .to_ascii_lowercase()
        .starts_with("sts:assumerole")
    {
        let role = tail.rsplit('/').next().unwrap_or("ROLE_NAME");
        return format!(
            "aws iam get-role --role-name {role} --query Role.AssumeRolePolicyDocument"
        );
    }
    match service {
        "s3" => {
            let bucket = tail.split('/').next().unwrap_or("BUCKET");
            format!("aws s3api get-bucket-policy --bucket {bucket} --query Policy --output text")
        }
        "kms" => format!("aws kms get-key-policy --key-id {res} --policy-name default --output text"),
        "sqs" => format!("aws sqs get-queue-attributes --queue-url QUEUE_URL --attribute-names Policy # queue {tail}"),
        "sns" => format!("aws sns get-topic-attributes --topic-arn {res} --query Attributes.Policy --output text"),
        "secretsmanager" => format!("aws secretsmanager get-resource-policy --secret-id {res}"),
        "lambda" => format!("aws lambda get-policy --function-name {res}"),
        "ecr" => format!("aws ecr get-repository-policy --repository-name {}", tail.trim_start_matches("repository/")),
        "iam" => {
            let role = tail.rsplit('/').next().unwrap_or("ROLE_NAME");
            format!("aws iam get-role --role-name {role} --query Role.AssumeRolePolicyDocument")
        }
        _ => "# See the service's get-…-policy command for this resource".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_name_the_principal_and_resource() {
        let mut c = Case::starter();
        c.principal = "arn:aws:sts::111122223333:assumed-role/Deployer/ci".into();
        assert!(command(&c, Layer::Identity, None).contains("--role-name Deployer"));
        assert!(command(&c, Layer::Resource, None)
            .contains("get-bucket-policy --bucket amzn-s3-demo-bucket"));
        assert!(command(&c, Layer::Scp, Some((1, 2))).contains("--target-id 111122223333"));
    }
}
