//! Building the request from a scenario: the caller, the resource owner (§7 conventions) and the
//! context keys derivable from the caller ARN and the resource (§4.6, §4.7). Keys the user gives
//! win; derived keys are marked as derived with a note.

use super::result::InputError;
use crate::request::{
    too_many_values, Caller, ContextMap, ContextValue, Request, MAX_VALUES_PER_KEY,
};
use crate::scenario::Scenario;

/// The request of a scenario, plus the errors and assumptions met while reading it.
pub(crate) struct BuiltRequest {
    pub request: Request,
    pub errors: Vec<InputError>,
    pub assumptions: Vec<String>,
    /// The role-path caveat of a derived `aws:PrincipalArn`, to say when a condition uses it.
    pub principal_arn_assumption: Option<String>,
}

/// The account field of an ARN, when it has one (`arn:aws:s3:::bucket` has none).
pub(crate) fn arn_account(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let account = parts.nth(3)?;
    (!account.is_empty()).then_some(account)
}

/// An account ID: exactly 12 digits
/// (<https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html>).
fn is_account_id(a: &str) -> bool {
    a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit())
}

fn request_error(place: &str, message: String) -> InputError {
    InputError {
        place: place.into(),
        message,
        line: None,
        column: None,
    }
}

/// A request names exactly one action, `service:ActionName`
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html>):
/// wildcards belong in policies, never in the request AWS authorizes.
fn validate_action(action: &str, errors: &mut Vec<InputError>) {
    const SHAPE: &str = "a request names exactly one action, written service:ActionName, such as \
                         s3:GetObject or iam:PassRole";
    let message = if action.is_empty() {
        Some(format!("the request names no action: {SHAPE}"))
    } else if action.contains(['*', '?']) {
        Some(format!(
            "'{action}' is a pattern, not an action: {SHAPE}. Wildcards belong in policies; to \
             see what the pattern covers, evaluate each action it stands for"
        ))
    } else {
        match action.split_once(':') {
            None => Some(format!("'{action}' has no service prefix: {SHAPE}")),
            Some((service, name)) if service.is_empty() || name.is_empty() => {
                Some(format!("'{action}' is not a whole action: {SHAPE}"))
            }
            Some((service, name))
                if name.contains(':')
                    || !service
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    || name.contains(char::is_whitespace) =>
            {
                Some(format!("'{action}' is not an action name: {SHAPE}"))
            }
            Some(_) => None,
        }
    };
    if let Some(m) = message {
        errors.push(request_error("request.action", m));
    }
}

pub(crate) fn build_request(scenario: &Scenario) -> BuiltRequest {
    let r = &scenario.request;
    let mut errors = Vec::new();
    let mut assumptions = Vec::new();
    let caller = match Caller::parse(r.principal.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            errors.push(InputError {
                place: "request.principal".into(),
                message: format!(
                    "{}; the request was evaluated as an anonymous (unsigned) request",
                    e.message
                ),
                line: None,
                column: None,
            });
            Caller::Anonymous
        }
    };
    if let Caller::Role { arn, .. } = &caller {
        assumptions.push(format!(
            "AWS does not document this; we assume the caller {arn} (a role, which never signs \
             requests itself) stands for a session of that role"
        ));
    }

    let mut context = ContextMap::new();
    for (key, value) in &r.context {
        if let Some(n) = value
            .as_array()
            .map(Vec::len)
            .filter(|n| *n > MAX_VALUES_PER_KEY)
        {
            errors.push(InputError {
                place: format!("request.context.{key}"),
                message: format!("{}; the key was left out", too_many_values(key, n)),
                line: None,
                column: None,
            });
            continue;
        }
        match ContextValue::from_json(value) {
            Some(v) => context.insert_given(key, v),
            None => errors.push(InputError {
                place: format!("request.context.{key}"),
                message: format!(
                    "the value of '{key}' must be a string, number, boolean or a list of them; the key was left out"
                ),
                line: None,
                column: None,
            }),
        }
    }

    validate_action(r.action.trim(), &mut errors);
    if r.resource.trim().is_empty() {
        errors.push(request_error(
            "request.resource",
            "the request names no resource: give the ARN of what the action acts on (such as \
             arn:aws:s3:::amzn-s3-demo-bucket/key), or * for an action that takes no resource \
             (such as s3:ListAllMyBuckets)"
                .into(),
        ));
    }

    // The resource owner: given, else the ARN's account field, else (S3 ARNs, "*") the caller's
    // account (rules §7 conventions, §1.1). A given value that is not an account ID is an
    // error and is not used: read as "another account" it would turn the request into a
    // cross-account one.
    let given_account = r
        .resource_account
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .filter(|a| {
            let ok = is_account_id(a) || *a == "aws";
            if !ok {
                errors.push(request_error(
                    "request.resource_account",
                    format!(
                        "'{a}' is not an AWS account ID (12 digits, such as 111122223333); it was \
                         not used, so the resource's owner comes from its ARN or the caller's account"
                    ),
                ));
            }
            ok
        });
    // AWS-owned resources (`arn:aws:iam::aws:policy/…`, AWS managed policies) are "available for
    // all AWS customers to use"
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies):
    // the caller's own account's IAM policies decide, as in one account.
    let aws_owned = match given_account {
        Some(a) => a == "aws",
        None => arn_account(&r.resource) == Some("aws"),
    };
    let resource_account = match given_account {
        _ if aws_owned => {
            let owner = caller.account().map(str::to_string);
            if let Some(acct) = &owner {
                assumptions.push(format!(
                    "{} is owned by AWS (account 'aws'), not by another account: AWS managed \
                     policies are available to every account, so the caller's account {acct}'s \
                     IAM policies decide, as in one account",
                    r.resource.trim()
                ));
            }
            owner
        }
        Some(a) => Some(a.to_string()),
        None => match arn_account(&r.resource) {
            Some(a) => Some(a.to_string()),
            None => {
                let owner = caller.account().map(str::to_string);
                if let Some(acct) = &owner {
                    if r.resource != "*" {
                        assumptions.push(format!(
                            "the resource ARN carries no account and no resource_account was given; \
                             we assume the resource belongs to the caller's account {acct} (§7)"
                        ));
                    }
                }
                owner
            }
        },
    };

    let principal_arn_assumption = derive_caller_keys(&caller, &mut context);
    // AWS does not say what aws:ResourceAccount holds for an AWS-owned resource: not derived.
    if let Some(acct) = resource_account.as_ref().filter(|_| !aws_owned) {
        context.insert_derived(
            "aws:ResourceAccount",
            ContextValue::Single(acct.clone()),
            "the account that owns the resource (§4.4)",
        );
    }

    let caller_has_permissions_boundary = scenario.policies.permissions_boundary.is_some()
        || scenario.options.caller_has_permissions_boundary;
    BuiltRequest {
        request: Request {
            caller,
            action: r.action.trim().to_string(),
            resource: r.resource.trim().to_string(),
            resource_account,
            context,
            caller_has_permissions_boundary,
        },
        errors,
        assumptions,
        principal_arn_assumption,
    }
}

/// Principal keys derivable from the caller ARN alone (§4.6, §4.7).
/// Returns the assumption made when the role path had to be guessed.
fn derive_caller_keys(caller: &Caller, c: &mut ContextMap) -> Option<String> {
    let mut assumption = None;
    let s = |v: &str| ContextValue::Single(v.to_string());
    let from_arn = "from the caller ARN (§4.7)";
    match caller {
        Caller::Root { account, .. } => {
            c.insert_derived("aws:PrincipalArn", s(&caller.arn()), from_arn);
            c.insert_derived("aws:PrincipalAccount", s(account), from_arn);
            c.insert_derived("aws:PrincipalType", s("Account"), from_arn);
            c.insert_derived(
                "aws:userid",
                s(account),
                "the root user's userid is the account ID (§4.6)",
            );
            c.insert_derived("aws:PrincipalIsAWSService", s("false"), from_arn);
        }
        Caller::IamUser {
            account, name, arn, ..
        } => {
            c.insert_derived("aws:PrincipalArn", s(arn), from_arn);
            c.insert_derived("aws:PrincipalAccount", s(account), from_arn);
            c.insert_derived("aws:PrincipalType", s("User"), from_arn);
            c.insert_derived(
                "aws:username",
                s(name),
                "the IAM user's name, without its path (§4.7)",
            );
            c.insert_derived("aws:PrincipalIsAWSService", s("false"), from_arn);
        }
        Caller::RoleSession {
            partition,
            account,
            role_name,
            ..
        } => {
            if !c.contains("aws:PrincipalArn") {
                let role_arn = format!("arn:{partition}:iam::{account}:role/{role_name}");
                c.insert_derived(
                    "aws:PrincipalArn",
                    s(&role_arn),
                    "the role ARN rebuilt from the session ARN; the session ARN has no role path (§5.3)",
                );
                assumption = Some(format!(
                    "the session ARN does not carry the role's path; we assume aws:PrincipalArn is \
                     {role_arn} (no path) — give aws:PrincipalArn in the context if the role has a path (§4.7, §5.3)"
                ));
            }
            c.insert_derived("aws:PrincipalAccount", s(account), from_arn);
            c.insert_derived("aws:PrincipalType", s("AssumedRole"), from_arn);
            c.insert_derived("aws:PrincipalIsAWSService", s("false"), from_arn);
        }
        Caller::Role { account, arn, .. } => {
            c.insert_derived("aws:PrincipalArn", s(arn), from_arn);
            c.insert_derived("aws:PrincipalAccount", s(account), from_arn);
            c.insert_derived("aws:PrincipalType", s("AssumedRole"), from_arn);
            c.insert_derived("aws:PrincipalIsAWSService", s("false"), from_arn);
        }
        Caller::FederatedUser {
            account, name, arn, ..
        } => {
            c.insert_derived("aws:PrincipalArn", s(arn), from_arn);
            c.insert_derived("aws:PrincipalAccount", s(account), from_arn);
            c.insert_derived("aws:PrincipalType", s("FederatedUser"), from_arn);
            c.insert_derived(
                "aws:userid",
                s(&format!("{account}:{name}")),
                "a federated user's userid is account:name (§4.6)",
            );
            c.insert_derived("aws:PrincipalIsAWSService", s("false"), from_arn);
        }
        Caller::Service { name } => {
            c.insert_derived(
                "aws:PrincipalIsAWSService",
                s("true"),
                "the caller is a service principal (§4.1)",
            );
            c.insert_derived(
                "aws:PrincipalServiceName",
                s(name),
                "the caller is a service principal (§4.1)",
            );
        }
        Caller::Anonymous => {
            let note = "an unsigned request (§1.9, §4.6)";
            c.insert_derived("aws:PrincipalType", s("Anonymous"), note);
            c.insert_derived("aws:userid", s("anonymous"), note);
            c.insert_derived("aws:PrincipalAccount", s("anonymous"), note);
        }
    }
    assumption
}
