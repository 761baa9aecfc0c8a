//! The output of the "collect everything" snippet ([`crate::reproduction::commands::collect_snippet`]):
//! one JSON object holding the raw outputs of the AWS CLI commands that print a case's policies.
//!
//! ```json
//! {"iamtrace_collect": 1, "principal": "arn:…",
//!  "authorization_details": <get-account-authorization-details output>,
//!  "permissions_boundary": <get-policy-version output>,
//!  "resource": <get-bucket-policy, get-key-policy, get-role… output>,
//!  "scp": [{"target": "111122223333", "policies": [<describe-policy output>, …]}, …, {"target": "r-…", …}],
//!  "rcp": [ same, for the resource owner's account ],
//!  "vpc_endpoint": <describe-vpc-endpoints output>}
//! ```
//! Organizations levels are listed from the account up to the root, as the snippet walks them
//! (`list-parents`); the scenario holds them root first. A command that failed prints `null`.

use super::{authorization_details, ArtefactKind, Import, ImportError, ImportOptions};
use crate::policy::envelope::unwrap_value;
use crate::scenario::{PolicySource, Scenario};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Collected {
    principal: Option<String>,
    authorization_details: Option<Value>,
    permissions_boundary: Option<Value>,
    resource: Option<Value>,
    scp: Option<Vec<Level>>,
    rcp: Option<Vec<Level>>,
    vpc_endpoint: Option<Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Level {
    target: String,
    policies: Vec<Value>,
}

/// A document given as a bare policy or as a CLI command's raw output.
fn source(v: &Value, what: &str, notes: &mut Vec<String>) -> Option<PolicySource> {
    if v.is_null() {
        return None;
    }
    if v.get("Statement").is_some() {
        return Some(PolicySource::from_text(
            serde_json::to_string_pretty(v).unwrap_or_default(),
        ));
    }
    match unwrap_value(v) {
        Some(u) => {
            notes.push(format!("{what}: {}", u.note));
            Some(PolicySource {
                text: u.document_text,
                name: u.name,
                arn: u.arn,
                base: None,
                was_string: true,
                string_at: None,
            })
        }
        None => {
            notes.push(format!(
                "{what}: not a policy document nor the output of a command that prints one; left out"
            ));
            None
        }
    }
}

fn levels(
    list: Option<Vec<Level>>,
    what: &str,
    notes: &mut Vec<String>,
    filled: &mut Vec<String>,
) -> Option<Vec<Vec<PolicySource>>> {
    let list = list?;
    if list.iter().all(|l| l.policies.is_empty()) {
        notes.push(format!("no {what} were collected (the account is not in an organization, or the Organizations calls were refused: they work from the management account or a delegated administrator); the layer is left out"));
        return None;
    }
    let mut out: Vec<Vec<PolicySource>> = list
        .iter()
        .map(|l| {
            l.policies
                .iter()
                .filter_map(|p| source(p, &format!("{what} of {}", l.target), notes))
                .collect()
        })
        .collect();
    out.reverse();
    let targets: Vec<&str> = list.iter().rev().map(|l| l.target.as_str()).collect();
    filled.push(format!(
        "{what}: {} levels ({})",
        out.len(),
        targets.join(" → ")
    ));
    Some(out)
}

pub(crate) fn is_collected(o: &serde_json::Map<String, Value>) -> bool {
    o.contains_key("iamtrace_collect")
}

pub(crate) fn import(v: &Value, options: &ImportOptions) -> Result<Import, ImportError> {
    let c: Collected = serde_json::from_value(v.clone()).map_err(|e| {
        ImportError::new(format!(
            "not recognised: an iamtrace collect output, but its fields do not read: {e}"
        ))
    })?;
    let mut notes = Vec::new();
    let mut filled = Vec::new();
    let principal = options
        .principal
        .clone()
        .or(c.principal.clone())
        .filter(|p| !p.trim().is_empty());
    let mut scenario = Scenario {
        version: crate::scenario::CURRENT_VERSION,
        ..Default::default()
    };
    scenario.request.principal = principal.clone();
    scenario.request.resource = "*".into();
    if let Some(ad) = c.authorization_details.as_ref().filter(|v| !v.is_null()) {
        match authorization_details::import(
            ad,
            &ImportOptions {
                principal: principal.clone(),
                record: None,
            },
        ) {
            Err(e) => notes.push(format!(
                "authorization details: {e}; the identity layer is left out"
            )),
            Ok(imp) => {
                filled.extend(imp.filled);
                notes.extend(
                    imp.notes
                        .into_iter()
                        .filter(|n| !n.starts_with("the authorization details carry no request")),
                );
                let s = imp.scenario;
                scenario.request.principal = s.request.principal.or(principal);
                scenario.request.context = s.request.context;
                scenario.policies.identity = s.policies.identity;
                scenario.policies.permissions_boundary = s.policies.permissions_boundary;
                scenario.options = s.options;
            }
        }
    }
    if let Some(b) = c.permissions_boundary.as_ref() {
        if let Some(mut src) = source(b, "permissions boundary", &mut notes) {
            if let Some(had) = &scenario.policies.permissions_boundary {
                src.name = had.name.clone();
                src.arn = had.arn.clone();
            } else if let Some(arn) = boundary_arn(c.authorization_details.as_ref()) {
                src.name = arn.rsplit('/').next().map(str::to_string);
                src.arn = Some(arn);
            }
            scenario.options.caller_has_permissions_boundary = true;
            scenario.policies.permissions_boundary = Some(src);
            filled.push("permissions boundary".into());
        }
    }
    if let Some(r) = c.resource.as_ref() {
        if let Some(src) = source(r, "resource", &mut notes) {
            scenario.policies.resource = Some(src);
            filled.push("resource-based policy".into());
        }
    }
    scenario.policies.scp = levels(c.scp, "SCPs", &mut notes, &mut filled);
    scenario.policies.rcp = levels(c.rcp, "RCPs", &mut notes, &mut filled);
    if let Some(v) = c.vpc_endpoint.as_ref() {
        if let Some(src) = source(v, "VPC endpoint", &mut notes) {
            scenario.policies.vpc_endpoint = Some(src);
            filled.push("VPC endpoint policy".into());
        }
    }
    let who = scenario
        .request
        .principal
        .as_deref()
        .map(|p| format!(" for {p}"))
        .unwrap_or_default();
    notes.push("the collected output carries no request: import it after the error (or combine it with one) to fill the action and resource".into());
    Ok(Import {
        kind: ArtefactKind::Collected,
        scenario,
        recognised: format!("the output of iamtrace's collect snippet{who}"),
        filled,
        notes,
        candidates: Vec::new(),
        choices: Vec::new(),
    })
}

fn boundary_arn(ad: Option<&Value>) -> Option<String> {
    let ad = ad?;
    ["UserDetailList", "RoleDetailList"]
        .iter()
        .filter_map(|k| ad.get(*k).and_then(Value::as_array))
        .flatten()
        .find_map(|e| {
            e.get("PermissionsBoundary")?
                .get("PermissionsBoundaryArn")?
                .as_str()
                .map(str::to_string)
        })
}
