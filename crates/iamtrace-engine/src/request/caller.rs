//! Who made the request: the caller ARN (or service principal, or nobody) read into the kinds of
//! principal AWS distinguishes (rules §5.2, §3.5 identity chain).

use serde::{Deserialize, Serialize};

/// The principal that signed the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Caller {
    /// `arn:aws:iam::A:root`.
    Root { partition: String, account: String },
    /// `arn:aws:iam::A:user/path/name`.
    IamUser {
        partition: String,
        account: String,
        /// The path between `user/` and the name, with surrounding slashes (`/` when none).
        path: String,
        name: String,
        arn: String,
    },
    /// `arn:aws:sts::A:assumed-role/RoleName/session` (the role path is not in this ARN, §5.3).
    RoleSession {
        partition: String,
        account: String,
        role_name: String,
        session_name: String,
        arn: String,
    },
    /// `arn:aws:sts::A:federated-user/name` (`GetFederationToken`).
    FederatedUser {
        partition: String,
        account: String,
        name: String,
        arn: String,
    },
    /// A role ARN given as the caller. AWS never signs as a role, only as its sessions; we treat it
    /// as "some session of this role" and say so (AWS does not document this input).
    Role {
        partition: String,
        account: String,
        path: String,
        name: String,
        arn: String,
    },
    /// A service principal such as `cloudtrail.amazonaws.com`.
    Service { name: String },
    /// An unsigned request (`"principal": null`).
    Anonymous,
}

/// Why a caller string was not understood.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallerError {
    pub message: String,
}

impl std::fmt::Display for CallerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl Caller {
    /// Reads a caller from the request's `principal` (`None` = anonymous).
    pub fn parse(principal: Option<&str>) -> Result<Caller, CallerError> {
        let Some(text) = principal else {
            return Ok(Caller::Anonymous);
        };
        let text = text.trim();
        if text.is_empty() {
            return Err(CallerError {
                message: "the principal is empty; use null for an anonymous (unsigned) request"
                    .into(),
            });
        }
        if !text.starts_with("arn:") {
            if text.ends_with(".amazonaws.com") || text.ends_with(".amazonaws.com.cn") {
                return Ok(Caller::Service {
                    name: text.to_string(),
                });
            }
            if text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit()) {
                return Err(CallerError {
                    message: format!(
                        "'{text}' is an account ID, not a caller; the account's root user is arn:aws:iam::{text}:root"
                    ),
                });
            }
            return Err(CallerError {
                message: format!(
                    "'{text}' is not a principal ARN or a service principal (expected arn:aws:iam::…, arn:aws:sts::… or <service>.amazonaws.com)"
                ),
            });
        }
        let parts: Vec<&str> = text.splitn(6, ':').collect();
        if parts.len() != 6 {
            return Err(CallerError {
                message: format!("'{text}' is not a complete ARN (arn:partition:service:region:account:resource)"),
            });
        }
        let (partition, service, account, resource) = (parts[1], parts[2], parts[4], parts[5]);
        if !(account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())) {
            return Err(CallerError {
                message: format!("the account field of '{text}' is not a 12-digit account ID"),
            });
        }
        let partition = partition.to_string();
        let account = account.to_string();
        let arn = text.to_string();
        let bad = |what: &str| CallerError {
            message: format!("'{text}' is not a caller ARN: {what}"),
        };
        match service {
            "iam" => {
                if resource == "root" {
                    return Ok(Caller::Root { partition, account });
                }
                let (ty, rest) = resource
                    .split_once('/')
                    .ok_or_else(|| bad("expected root, user/… or role/…"))?;
                let (path, name) = match rest.rsplit_once('/') {
                    Some((p, n)) => (format!("/{p}/"), n.to_string()),
                    None => ("/".to_string(), rest.to_string()),
                };
                if name.is_empty() {
                    return Err(bad("the name is empty"));
                }
                match ty {
                    "user" => Ok(Caller::IamUser { partition, account, path, name, arn }),
                    "role" => Ok(Caller::Role { partition, account, path, name, arn }),
                    _ => Err(bad("IAM callers are root, user/… or (sessions of) role/…; groups and instance profiles are never principals")),
                }
            }
            "sts" => {
                if let Some(rest) = resource.strip_prefix("assumed-role/") {
                    let (role, session) = rest
                        .split_once('/')
                        .ok_or_else(|| bad("expected assumed-role/ROLE/SESSION"))?;
                    if role.is_empty() || session.is_empty() {
                        return Err(bad("expected assumed-role/ROLE/SESSION"));
                    }
                    Ok(Caller::RoleSession {
                        partition,
                        account,
                        role_name: role.to_string(),
                        session_name: session.to_string(),
                        arn,
                    })
                } else if let Some(name) = resource.strip_prefix("federated-user/") {
                    if name.is_empty() {
                        return Err(bad("the federated user name is empty"));
                    }
                    Ok(Caller::FederatedUser {
                        partition,
                        account,
                        name: name.to_string(),
                        arn,
                    })
                } else {
                    Err(bad("STS callers are assumed-role/… or federated-user/…"))
                }
            }
            _ => Err(bad(
                "callers are IAM (arn:aws:iam::…) or STS (arn:aws:sts::…) ARNs",
            )),
        }
    }

    /// The caller's account, if it has one (not for service principals or anonymous callers).
    pub fn account(&self) -> Option<&str> {
        match self {
            Caller::Root { account, .. }
            | Caller::IamUser { account, .. }
            | Caller::RoleSession { account, .. }
            | Caller::FederatedUser { account, .. }
            | Caller::Role { account, .. } => Some(account),
            Caller::Service { .. } | Caller::Anonymous => None,
        }
    }

    pub fn partition(&self) -> Option<&str> {
        match self {
            Caller::Root { partition, .. }
            | Caller::IamUser { partition, .. }
            | Caller::RoleSession { partition, .. }
            | Caller::FederatedUser { partition, .. }
            | Caller::Role { partition, .. } => Some(partition),
            Caller::Service { .. } | Caller::Anonymous => None,
        }
    }

    /// The ARN the caller signed as (what AWS prints after `User:`).
    pub fn arn(&self) -> String {
        match self {
            Caller::Root { partition, account } => format!("arn:{partition}:iam::{account}:root"),
            Caller::IamUser { arn, .. }
            | Caller::RoleSession { arn, .. }
            | Caller::FederatedUser { arn, .. }
            | Caller::Role { arn, .. } => arn.clone(),
            Caller::Service { name } => name.clone(),
            Caller::Anonymous => "anonymous".to_string(),
        }
    }

    /// Whether the caller is a session principal whose permissions session policies narrow (§1.8).
    pub fn is_session(&self) -> bool {
        matches!(
            self,
            Caller::RoleSession { .. } | Caller::FederatedUser { .. } | Caller::Role { .. }
        )
    }

    /// Whether the caller is an IAM principal (has identity policies and possibly a boundary).
    pub fn is_iam_principal(&self) -> bool {
        matches!(
            self,
            Caller::IamUser { .. }
                | Caller::RoleSession { .. }
                | Caller::FederatedUser { .. }
                | Caller::Role { .. }
        )
    }

    /// Whether this is a service-linked role session (role path `aws-service-role/…` is not in the
    /// session ARN, so we recognise the `AWSServiceRoleFor` name prefix AWS gives them).
    pub fn is_service_linked_role(&self) -> bool {
        match self {
            Caller::RoleSession { role_name, .. } => role_name.starts_with("AWSServiceRoleFor"),
            Caller::Role { path, name, .. } => {
                path.starts_with("/aws-service-role/") || name.starts_with("AWSServiceRoleFor")
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_kind() {
        assert!(matches!(
            Caller::parse(Some("arn:aws:iam::123456789012:root")),
            Ok(Caller::Root { .. })
        ));
        match Caller::parse(Some(
            "arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/JaneDoe",
        ))
        .unwrap()
        {
            Caller::IamUser { path, name, .. } => {
                assert_eq!(path, "/division_abc/subdivision_xyz/");
                assert_eq!(name, "JaneDoe");
            }
            other => panic!("{other:?}"),
        }
        match Caller::parse(Some(
            "arn:aws:sts::123456789012:assumed-role/Admin/jane@example.com",
        ))
        .unwrap()
        {
            Caller::RoleSession {
                role_name,
                session_name,
                ..
            } => {
                assert_eq!(role_name, "Admin");
                assert_eq!(session_name, "jane@example.com");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            Caller::parse(Some("arn:aws:sts::123456789012:federated-user/bob")),
            Ok(Caller::FederatedUser { .. })
        ));
        assert!(matches!(
            Caller::parse(Some("cloudtrail.amazonaws.com")),
            Ok(Caller::Service { .. })
        ));
        assert_eq!(Caller::parse(None), Ok(Caller::Anonymous));
    }

    #[test]
    fn rejects_non_callers() {
        assert!(Caller::parse(Some("arn:aws:iam::123456789012:group/devs")).is_err());
        assert!(Caller::parse(Some("123456789012"))
            .unwrap_err()
            .message
            .contains(":root"));
        assert!(Caller::parse(Some("arn:aws:s3:::bucket")).is_err());
        assert!(Caller::parse(Some("arn:aws:iam::12345:user/x")).is_err());
    }
}
