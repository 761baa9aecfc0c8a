//! Service rules kept as data: which services RCPs cover (§1.7), which KMS operations work across
//! accounts (§2.1), and the actions with special handling (§1.9, §2.1, §2.2); the rules outside
//! authorization that make AWS refuse a request or need a second check ([`service_notes`]).

use crate::matching::split_arn;
use crate::request::Request;
use serde::{Deserialize, Serialize};

/// Service prefixes that support resource control policies, as AWS's RCP page lists them
/// (rules §1.7; the 2026 list; it grows — update it here).
pub const RCP_SERVICES: &[&str] = &[
    "appstream",
    "dsql",
    "clouddirectory",
    "cloudfront",
    "cloudsearch",
    "logs",
    "networkmonitor",
    "cognito-identity",
    "cognito-idp",
    "comprehend",
    "comprehendmedical",
    "firehose",
    "dynamodb",
    "dax",
    "autoscaling",
    "ecr",
    "ecr-public",
    "gamelift",
    "inspector-scan",
    "kendra",
    "kinesisvideo",
    "memorydb",
    "aoss",
    "personalize",
    "polly",
    "s3",
    "swf",
    "sqs",
    "textract",
    "timestream-influxdb",
    "transcribe",
    "translate",
    "workspaces",
    "appconfig",
    "autoscaling-plans",
    "budgets",
    "servicediscovery",
    "cloudtrail-data",
    "codeartifact",
    "codebuild",
    "codecommit",
    "codepipeline",
    "compute-optimizer",
    "cost-optimization-hub",
    "events",
    "fms",
    "fis",
    "health",
    "rolesanywhere",
    "kms",
    "opensearch",
    "pricing",
    "pca-connector-ad",
    "resource-groups",
    "secretsmanager",
    "sts",
    "signin",
    "support",
    "transfer",
    "notifications",
    "wafv2",
    "xray",
];

/// Actions outside RCPs whatever the service (§1.7).
pub const RCP_EXEMPT_ACTIONS: &[&str] = &["kms:RetireGrant"];

/// KMS operations that work across accounts; permissions for any other KMS operation granted to
/// another account have no effect (§2.1).
pub const KMS_CROSS_ACCOUNT_ACTIONS: &[&str] = &[
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyPair",
    "kms:GenerateDataKeyPairWithoutPlaintext",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:GenerateMac",
    "kms:VerifyMac",
    "kms:Sign",
    "kms:Verify",
    "kms:DeriveSharedSecret",
    "kms:CreateGrant",
    "kms:DescribeKey",
    "kms:GetKeyRotationStatus",
    "kms:GetPublicKey",
    "kms:ListGrants",
    "kms:RetireGrant",
    "kms:RevokeGrant",
];

fn contains_action(list: &[&str], action: &str) -> bool {
    list.iter().any(|a| a.eq_ignore_ascii_case(action))
}

/// Whether the action's service is one RCPs cover.
pub fn rcp_covers(service: &str, action: &str) -> bool {
    RCP_SERVICES.contains(&service) && !contains_action(RCP_EXEMPT_ACTIONS, action)
}

/// `sts:AssumeRole`, `sts:AssumeRoleWithSAML`, `sts:AssumeRoleWithWebIdentity`: the resource
/// policy is the role's trust policy, which must allow (§2.2).
pub fn is_assume_role(action: &str) -> bool {
    action
        .get(..14)
        .is_some_and(|p| p.eq_ignore_ascii_case("sts:AssumeRole"))
}

/// Actions that STS authorizes against the role's trust policy besides `sts:AssumeRole*`: passing
/// session tags (`sts:TagSession`), a source identity (`sts:SetSourceIdentity`) or a trusted
/// context (`sts:SetContext`). "The role trust policy must include sts:TagSession"
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html>,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html>).
pub const TRUST_POLICY_PERMISSIONS: &[&str] =
    &["sts:TagSession", "sts:SetSourceIdentity", "sts:SetContext"];

/// Whether the request is authorized against a role trust policy: `sts:AssumeRole*` and the
/// [`TRUST_POLICY_PERMISSIONS`]; the resource is the role.
pub fn is_trust_policy_action(action: &str) -> bool {
    is_assume_role(action) || contains_action(TRUST_POLICY_PERMISSIONS, action)
}

/// `sts:GetCallerIdentity` needs no permission and cannot be denied (§1.9).
pub fn is_get_caller_identity(action: &str) -> bool {
    action.eq_ignore_ascii_case("sts:GetCallerIdentity")
}

/// A KMS request on a key: the resource policy is the key policy, which must allow (§2.1).
/// Aliases are not keys: they have no key policy (see [`is_kms_alias`]).
pub fn is_kms_key_request(service: &str, resource: &str) -> bool {
    service == "kms" && resource != "*" && !is_kms_alias(resource)
}

/// A KMS alias ARN (`arn:aws:kms:<region>:<account>:alias/<name>`). An alias has no key policy:
/// "kms:CreateAlias for the alias. Provide this permission in an IAM policy"
/// (<https://docs.aws.amazon.com/kms/latest/developerguide/alias-access.html>).
pub fn is_kms_alias(resource: &str) -> bool {
    split_arn(resource).is_some_and(|f| f[2] == "kms" && f[5].starts_with("alias/"))
}

/// Alias operations that also need permission on the KMS key(s) the alias points to
/// (<https://docs.aws.amazon.com/kms/latest/developerguide/alias-access.html>).
pub const KMS_ALIAS_MANAGEMENT_ACTIONS: &[&str] =
    &["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"];

/// IAM actions that change a managed policy; AWS managed policies (`arn:aws:iam::aws:policy/…`)
/// cannot be changed: "You cannot change the permissions defined in AWS managed policies"
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies>).
pub const MANAGED_POLICY_CHANGES: &[&str] = &[
    "iam:CreatePolicyVersion",
    "iam:DeletePolicy",
    "iam:DeletePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:TagPolicy",
    "iam:UntagPolicy",
];

/// IAM actions that change a role's permissions, trust or existence. On IAM Identity Center's
/// reserved roles (`role/aws-reserved/sso.amazonaws.com/…`) IAM refuses them: "Cannot perform the
/// operation on the protected role … this role is only modifiable by AWS"
/// (<https://repost.aws/knowledge-center/identity-center-aws-reserved-sso>); on service-linked
/// roles (`role/aws-service-role/…`) with `UnmodifiableEntity`: "only the service that depends on
/// the service-linked role can modify or delete the role"
/// (<https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRole.html>).
pub const PROTECTED_ROLE_CHANGES: &[&str] = &[
    "iam:AttachRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePolicy",
    "iam:DeleteRolePolicy",
    "iam:UpdateAssumeRolePolicy",
    "iam:DeleteRole",
    "iam:PutRolePermissionsBoundary",
    "iam:DeleteRolePermissionsBoundary",
];

/// Something AWS does apart from authorization: a refusal for another reason, or a second check
/// the request also needs. Shown beside the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceNote {
    /// AWS refuses the request whatever the policies say.
    pub refused: bool,
    /// The error code AWS returns, when it is documented.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::interned::deserialize_option"
    )]
    pub error: Option<crate::interned::StaticText>,
    pub message: String,
    /// The AWS documentation page that states the rule.
    #[serde(deserialize_with = "crate::interned::deserialize")]
    pub source: crate::interned::StaticText,
}

/// The service rules outside authorization that apply to this request.
pub fn service_notes(request: &Request) -> Vec<ServiceNote> {
    let mut notes = Vec::new();
    let action = request.action.as_str();
    let resource = request.resource.as_str();
    if is_kms_alias(resource) && contains_action(KMS_ALIAS_MANAGEMENT_ACTIONS, action) {
        const ALIAS_ACCESS: &str =
            "https://docs.aws.amazon.com/kms/latest/developerguide/alias-access.html";
        let name = split_arn(resource).map(|f| f[5]).unwrap_or_default();
        if name.starts_with("alias/aws/") {
            notes.push(ServiceNote {
                refused: true,
                error: None,
                message: format!(
                    "AWS will refuse this request whatever the policies say: {name} is an AWS \
                     managed alias (the alias/aws/ prefix is reserved for AWS managed keys), \
                     which cannot be created, updated or deleted"
                ),
                source: "https://docs.aws.amazon.com/kms/latest/developerguide/alias-create.html",
            });
        }
        let keys = if action.eq_ignore_ascii_case("kms:UpdateAlias") {
            "both the KMS key the alias points to now and the new one"
        } else {
            "the KMS key the alias points to"
        };
        notes.push(ServiceNote {
            refused: false,
            error: None,
            message: format!(
                "this decides {action} on the alias only (an alias has no key policy: IAM \
                 policies decide). AWS also requires {action} on {keys}, which its key policy \
                 must allow: evaluate the same request with the key ARN as the resource"
            ),
            source: ALIAS_ACCESS,
        });
    }
    if let Some([_, _, "iam", _, account, res]) = split_arn(resource) {
        if account == "aws"
            && res.starts_with("policy/")
            && contains_action(MANAGED_POLICY_CHANGES, action)
        {
            notes.push(ServiceNote {
                refused: true,
                error: None,
                message: format!(
                    "AWS will refuse {action} whatever the policies say: {resource} is an AWS \
                     managed policy, which customers cannot change (copy it into a customer \
                     managed policy instead)"
                ),
                source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies",
            });
        }
        if contains_action(PROTECTED_ROLE_CHANGES, action) {
            if res.starts_with("role/aws-reserved/sso.amazonaws.com/") {
                notes.push(ServiceNote {
                    refused: true,
                    error: Some("UnmodifiableEntity"),
                    message: format!(
                        "AWS will refuse {action} with UnmodifiableEntity whatever the policies \
                         say: {resource} is an IAM Identity Center reserved role (\"Cannot perform \
                         the operation on the protected role … this role is only modifiable by \
                         AWS\"); change its permission set in IAM Identity Center instead"
                    ),
                    source: "https://repost.aws/knowledge-center/identity-center-aws-reserved-sso",
                });
            } else if res.starts_with("role/aws-service-role/") {
                notes.push(ServiceNote {
                    refused: true,
                    error: Some("UnmodifiableEntity"),
                    message: format!(
                        "AWS will refuse {action} with UnmodifiableEntity whatever the policies \
                         say: {resource} is a service-linked role, which only the service that \
                         depends on it can modify or delete"
                    ),
                    source:
                        "https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRole.html",
                });
            }
        }
    }
    if is_assume_role(action) {
        let ctx = &request.context;
        let tags = ctx.iter().any(|e| {
            let k = e.key.to_ascii_lowercase();
            k.starts_with("aws:requesttag/") || k == "aws:tagkeys" || k == "sts:transitivetagkeys"
        });
        let checks = [
            (tags, "sts:TagSession", "passes session tags (aws:RequestTag, aws:TagKeys or sts:TransitiveTagKeys)",
             "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html"),
            (ctx.contains("sts:SourceIdentity"), "sts:SetSourceIdentity", "sets a source identity (sts:SourceIdentity)",
             "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html"),
        ];
        for (present, permission, what, source) in checks {
            if present {
                notes.push(ServiceNote {
                    refused: false,
                    error: None,
                    message: format!(
                        "this request {what}: AWS also requires {permission}, which the role's \
                         trust policy (and, unless it names the caller, the caller's identity \
                         policy) must allow; evaluate the same request with the action {permission}"
                    ),
                    source,
                });
            }
        }
    }
    notes
}

/// Whether a KMS operation works across accounts (§2.1).
pub fn kms_works_cross_account(action: &str) -> bool {
    contains_action(KMS_CROSS_ACCOUNT_ACTIONS, action)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assume_role_family_only() {
        assert!(is_assume_role("sts:AssumeRole"));
        assert!(is_assume_role("STS:assumerolewithsaml"));
        assert!(is_assume_role("sts:AssumeRoleWithWebIdentity"));
        assert!(!is_assume_role("sts:AssumeRoot"));
        assert!(!is_assume_role("sts:GetCallerIdentity"));
    }

    #[test]
    fn trust_policy_actions() {
        assert!(is_trust_policy_action("sts:TagSession"));
        assert!(is_trust_policy_action("STS:setsourceidentity"));
        assert!(is_trust_policy_action("sts:SetContext"));
        assert!(is_trust_policy_action("sts:AssumeRole"));
        assert!(!is_trust_policy_action("sts:GetSessionToken"));
    }

    #[test]
    fn rcp_scope() {
        assert!(rcp_covers("s3", "s3:GetObject"));
        assert!(!rcp_covers("ec2", "ec2:RunInstances"));
        assert!(!rcp_covers("kms", "kms:RetireGrant"));
        assert!(rcp_covers("kms", "kms:Decrypt"));
    }

    #[test]
    fn kms_cross_account_list() {
        assert!(kms_works_cross_account("kms:decrypt"));
        assert!(!kms_works_cross_account("kms:PutKeyPolicy"));
        assert!(!kms_works_cross_account("kms:ScheduleKeyDeletion"));
    }
}
