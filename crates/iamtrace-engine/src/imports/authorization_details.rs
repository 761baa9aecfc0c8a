//! `aws iam get-account-authorization-details` output: the identity policies and permissions
//! boundary of one user or role (IAM API reference, GetAccountAuthorizationDetails).
//!
//! For the chosen principal:
//! - a user: its inline policies (`UserPolicyList`), attached managed policies, and for each of its
//!   groups (`GroupList` → `GroupDetailList`) the group's inline and attached managed policies;
//! - a role: its inline policies (`RolePolicyList`) and attached managed policies;
//! - a role session ARN maps to its role by name and account (the session ARN has no path, §5.3);
//! - managed policy documents come from `Policies[]`, the version marked `IsDefaultVersion` (or
//!   `DefaultVersionId`); documents are URL-encoded strings in the raw API and objects in the CLI's
//!   output, both accepted;
//! - `PermissionsBoundary.PermissionsBoundaryArn` → the boundary layer;
//! - `Tags` → `aws:PrincipalTag/<key>` (session tags, which override role tags, are not in this
//!   file, §4.1); a role's `Arn` → `aws:PrincipalArn` (with its path); the unique id →
//!   `aws:userid` (§4.6).

use super::util::short;
use super::{ArtefactKind, Import, ImportError, ImportOptions};
use crate::request::Caller;
use crate::scenario::{decode_document_string, PolicySource, Scenario, ScenarioRequest};
use serde_json::Value;

fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn document_text(doc: &Value) -> Option<String> {
    match doc {
        Value::String(st) => Some(decode_document_string(st)),
        Value::Object(_) => serde_json::to_string_pretty(doc).ok(),
        _ => None,
    }
}

/// The default version's document of a managed policy in `Policies[]`.
fn managed_document(root: &Value, arn: &str) -> Option<String> {
    let p = list(root, "Policies").iter().find(|p| s(p, "Arn") == arn)?;
    let default_id = s(p, "DefaultVersionId");
    let versions = list(p, "PolicyVersionList");
    let v = versions
        .iter()
        .find(|v| v.get("IsDefaultVersion").and_then(Value::as_bool) == Some(true))
        .or_else(|| versions.iter().find(|v| s(v, "VersionId") == default_id))?;
    document_text(v.get("Document")?)
}

enum Entity<'a> {
    User(&'a Value),
    Role(&'a Value),
}

fn candidates(root: &Value) -> Vec<String> {
    list(root, "UserDetailList")
        .iter()
        .chain(list(root, "RoleDetailList"))
        .map(|e| s(e, "Arn").to_string())
        .filter(|a| !a.is_empty())
        .collect()
}

/// Finds the principal the user asked for (or the only one).
fn choose<'a>(
    root: &'a Value,
    want: Option<&str>,
) -> Result<(Entity<'a>, Option<String>), ImportError> {
    let users = list(root, "UserDetailList");
    let roles = list(root, "RoleDetailList");
    let Some(want) = want.map(str::trim).filter(|w| !w.is_empty()) else {
        return match (users.len(), roles.len()) {
            (1, 0) => Ok((Entity::User(&users[0]), None)),
            (0, 1) => Ok((Entity::Role(&roles[0]), None)),
            (0, 0) => Err(ImportError::new(
                "the authorization details list no users or roles (was it run with --filter LocalManagedPolicy only?); nothing to pick",
            )),
            (u, r) => {
                let mut e = ImportError::new(format!(
                    "the authorization details hold {u} user{} and {r} role{}; choose the principal with --principal (a user or role ARN, a role session ARN, or a name)",
                    if u == 1 { "" } else { "s" },
                    if r == 1 { "" } else { "s" }
                ));
                e = e.with_principals(candidates(root));
                Err(e)
            }
        };
    };
    let not_found = || {
        let mut e = ImportError::new(format!(
            "no user or role '{want}' in the authorization details"
        ));
        e = e.with_principals(candidates(root));
        e
    };
    if want.starts_with("arn:") {
        match Caller::parse(Some(want)) {
            Ok(Caller::IamUser { arn, .. }) => users
                .iter()
                .find(|u| s(u, "Arn") == arn)
                .map(|u| (Entity::User(u), None))
                .ok_or_else(not_found),
            Ok(Caller::Role { arn, .. }) => roles
                .iter()
                .find(|r| s(r, "Arn") == arn)
                .map(|r| (Entity::Role(r), None))
                .ok_or_else(not_found),
            Ok(Caller::RoleSession {
                account,
                role_name,
                session_name,
                ..
            }) => roles
                .iter()
                .find(|r| {
                    s(r, "RoleName") == role_name
                        && s(r, "Arn").split(':').nth(4) == Some(account.as_str())
                })
                .map(|r| (Entity::Role(r), Some(session_name)))
                .ok_or_else(not_found),
            Ok(Caller::FederatedUser { .. }) => Err(ImportError::new(
                "a federated user's permissions come from the IAM user that called GetFederationToken, which its ARN does not name (§1.8); pass that user's ARN with --principal",
            )),
            Ok(Caller::Root { .. }) => Err(ImportError::new(
                "the root user has no identity policies in the authorization details; nothing to fill",
            )),
            _ => Err(not_found()),
        }
    } else {
        let u = users.iter().find(|u| s(u, "UserName") == want);
        let r = roles.iter().find(|r| s(r, "RoleName") == want);
        match (u, r) {
            (Some(_), Some(_)) => {
                let mut e = ImportError::new(format!(
                    "'{want}' names both a user and a role; pass the ARN"
                ));
                e = e.with_principals(candidates(root));
                Err(e)
            }
            (Some(u), None) => Ok((Entity::User(u), None)),
            (None, Some(r)) => Ok((Entity::Role(r), None)),
            (None, None) => Err(not_found()),
        }
    }
}

struct Filler<'a> {
    root: &'a Value,
    identity: Vec<PolicySource>,
    seen_arns: Vec<String>,
    filled: Vec<String>,
    notes: Vec<String>,
}

impl Filler<'_> {
    fn inline(&mut self, entries: &[Value], owner: &str) {
        for p in entries {
            let name = s(p, "PolicyName");
            match p.get("PolicyDocument").and_then(document_text) {
                Some(text) => {
                    self.identity.push(PolicySource {
                        name: Some(name.to_string()),
                        text,
                        was_string: p.get("PolicyDocument").is_some_and(Value::is_string),
                        ..Default::default()
                    });
                    self.filled
                        .push(format!("identity policy {name} (inline, {owner})"));
                }
                None => self
                    .notes
                    .push(format!("inline policy {name} of {owner} has no document")),
            }
        }
    }

    fn attached(&mut self, entries: &[Value], owner: &str) {
        for p in entries {
            let arn = s(p, "PolicyArn");
            let name = s(p, "PolicyName");
            if self.seen_arns.iter().any(|a| a == arn) {
                continue;
            }
            self.seen_arns.push(arn.to_string());
            match managed_document(self.root, arn) {
                Some(text) => {
                    self.identity.push(PolicySource {
                        name: Some(name.to_string()),
                        arn: Some(arn.to_string()),
                        text,
                        ..Default::default()
                    });
                    self.filled
                        .push(format!("identity policy {name} (managed, {owner})"));
                }
                None => self.notes.push(format!(
                    "managed policy {arn} attached to {owner} is not in the file's Policies list (AWS managed policies are listed only without --filter or with --filter AWSManagedPolicy); paste its document into the identity layer"
                )),
            }
        }
    }
}

pub(crate) fn import(v: &Value, options: &ImportOptions) -> Result<Import, ImportError> {
    let (entity, session) = choose(v, options.principal.as_deref())?;
    let mut f = Filler {
        root: v,
        identity: Vec::new(),
        seen_arns: Vec::new(),
        filled: Vec::new(),
        notes: Vec::new(),
    };
    let mut req = ScenarioRequest::default();
    let e = match entity {
        Entity::User(u) => {
            let name = s(u, "UserName");
            let owner = format!("user {name}");
            f.inline(list(u, "UserPolicyList"), &owner);
            f.attached(list(u, "AttachedManagedPolicies"), &owner);
            for g in list(u, "GroupList").iter().filter_map(Value::as_str) {
                match list(v, "GroupDetailList")
                    .iter()
                    .find(|d| s(d, "GroupName") == g)
                {
                    Some(d) => {
                        let owner = format!("group {g}");
                        f.inline(list(d, "GroupPolicyList"), &owner);
                        f.attached(list(d, "AttachedManagedPolicies"), &owner);
                    }
                    None => f.notes.push(format!(
                        "user {name} is in group {g}, which is not in the file's GroupDetailList; its policies are missing"
                    )),
                }
            }
            req.principal = Some(s(u, "Arn").to_string());
            if !s(u, "UserId").is_empty() {
                req.context
                    .insert("aws:userid".into(), Value::from(s(u, "UserId")));
                f.filled.push("context key aws:userid (UserId)".into());
            }
            u
        }
        Entity::Role(r) => {
            let name = s(r, "RoleName");
            let owner = format!("role {name}");
            f.inline(list(r, "RolePolicyList"), &owner);
            f.attached(list(r, "AttachedManagedPolicies"), &owner);
            let role_arn = s(r, "Arn").to_string();
            match &session {
                Some(sess) => {
                    req.principal = options.principal.clone();
                    if !s(r, "RoleId").is_empty() {
                        req.context.insert(
                            "aws:userid".into(),
                            Value::from(format!("{}:{sess}", s(r, "RoleId"))),
                        );
                        f.filled
                            .push("context key aws:userid (RoleId:session)".into());
                    }
                    f.notes.push(format!(
                        "the session's role {role_arn} was found by name; session policies and session tags passed when it was assumed are not in this file (§1.8)"
                    ));
                }
                None => {
                    req.principal = Some(role_arn.clone());
                    f.notes.push("the principal is the role itself: evaluated as some session of the role (pass the session ARN with --principal to name it)".into());
                }
            }
            req.context
                .insert("aws:PrincipalArn".into(), Value::from(role_arn));
            f.filled
                .push("context key aws:PrincipalArn (the role ARN, with its path)".into());
            r
        }
    };
    f.filled.push("principal".into());
    for t in list(e, "Tags") {
        let (k, val) = (s(t, "Key"), s(t, "Value"));
        if !k.is_empty() {
            req.context
                .insert(format!("aws:PrincipalTag/{k}"), Value::from(val));
            f.filled.push(format!("context key aws:PrincipalTag/{k}"));
        }
    }
    let mut scenario = Scenario {
        version: crate::scenario::CURRENT_VERSION,
        ..Default::default()
    };
    if let Some(b) = e.get("PermissionsBoundary") {
        let arn = s(b, "PermissionsBoundaryArn");
        scenario.options.caller_has_permissions_boundary = true;
        match managed_document(v, arn) {
            Some(text) => {
                scenario.policies.permissions_boundary = Some(PolicySource {
                    name: arn.rsplit('/').next().map(str::to_string),
                    arn: Some(arn.to_string()),
                    text,
                    ..Default::default()
                });
                f.filled.push(format!("permissions boundary {arn}"));
            }
            None => f.notes.push(format!(
                "the permissions boundary {arn} is not in the file's Policies list; paste its document into the boundary layer"
            )),
        }
    }
    let principal = req.principal.clone().unwrap_or_default();
    req.resource = "*".into();
    f.notes.push("the authorization details carry no request: fill in the action and resource (or import the error first and pass its principal with --principal)".into());
    let n = f.identity.len();
    scenario.policies.identity = Some(f.identity);
    scenario.request = req;
    Ok(Import {
        kind: ArtefactKind::AuthorizationDetails,
        scenario,
        recognised: format!(
            "a get-account-authorization-details output; {n} identity {} for {}",
            if n == 1 { "policy" } else { "policies" },
            short(&principal, 200)
        ),
        filled: f.filled,
        notes: f.notes,
        candidates: Vec::new(),
        choices: Vec::new(),
    })
}
