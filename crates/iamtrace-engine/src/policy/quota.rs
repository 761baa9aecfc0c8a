//! AWS's size quotas for policy documents, so that input AWS would never accept is refused at
//! once (with the quota named) instead of being evaluated at whatever cost it takes.
//!
//! AWS counts characters without white space for IAM policies
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html>); we count that
//! way for every type, which is never stricter than the service's own rule.

use super::PolicyType;

/// The largest document AWS accepts for a policy type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeQuota {
    /// Characters, not counting white space.
    pub characters: usize,
    /// Which AWS quota this is, as a user reads it.
    pub what: &'static str,
    /// The AWS page that documents it.
    pub url: &'static str,
}

const IAM_QUOTAS: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html";
const ORGANIZATIONS_QUOTAS: &str =
    "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html";

/// The quota for `policy_type`. Where AWS has several (managed vs inline, one per service), the
/// largest is used, since the scenario does not say which kind of document it is.
pub fn size_quota(policy_type: PolicyType) -> SizeQuota {
    match policy_type {
        PolicyType::Identity => SizeQuota {
            characters: 10_240,
            what: "10,240 characters for an identity-based policy (a role's inline policies; \
                   managed policies: 6,144)",
            url: IAM_QUOTAS,
        },
        PolicyType::PermissionsBoundary => SizeQuota {
            characters: 6_144,
            what: "6,144 characters for a managed policy (a permissions boundary is one)",
            url: IAM_QUOTAS,
        },
        PolicyType::TrustPolicy => SizeQuota {
            characters: 8_192,
            what: "8,192 characters for a role trust policy (2,048 unless raised)",
            url: IAM_QUOTAS,
        },
        PolicyType::Session => SizeQuota {
            characters: 2_048,
            what: "2,048 characters for a session policy",
            url: "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html",
        },
        PolicyType::Scp => SizeQuota {
            characters: 5_120,
            what: "5,120 characters for a service control policy",
            url: ORGANIZATIONS_QUOTAS,
        },
        PolicyType::Rcp => SizeQuota {
            characters: 5_120,
            what: "5,120 characters for a resource control policy",
            url: ORGANIZATIONS_QUOTAS,
        },
        PolicyType::VpcEndpoint => SizeQuota {
            characters: 20_480,
            what: "20,480 characters for a VPC endpoint policy",
            url: "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html",
        },
        PolicyType::Resource => SizeQuota {
            characters: 32_768,
            what: "32 KB for a resource-based policy (the largest any service allows, a KMS key \
                   policy; an S3 bucket policy: 20 KB)",
            url: "https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html",
        },
    }
}

/// `Err` with a message citing the quota when `text` is larger than AWS accepts for the type.
/// Stops counting at the quota, so a hostile megabyte costs no more than a legal policy.
pub fn check_size(text: &str, policy_type: PolicyType) -> Result<(), String> {
    let quota = size_quota(policy_type);
    let counted = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(quota.characters + 1)
        .count();
    if counted <= quota.characters {
        return Ok(());
    }
    let total = text.chars().filter(|c| !c.is_whitespace()).count();
    Err(format!(
        "the policy has {total} characters (not counting white space), which exceeds AWS's quota \
         of {} ({}); AWS would refuse to save it, so iamtrace does not evaluate it",
        quota.what, quota.url
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_is_not_counted() {
        let padded = format!("{}{}", " ".repeat(100_000), "x".repeat(2_048));
        assert_eq!(check_size(&padded, PolicyType::Session), Ok(()));
        let over = "x".repeat(2_049);
        let e = check_size(&over, PolicyType::Session).unwrap_err();
        assert!(
            e.contains("2049 characters") && e.contains("quota of 2,048"),
            "{e}"
        );
    }
}
