//! IAM Access Troubleshooter output: `aws iam-toolbox get-request-authorization-details`
//! (the `GetRequestAuthorizationDetails` API, in public preview).
//!
//! The shape read is the one in the IAM Toolbox API reference: `requestContext` (key → JSON value),
//! `evaluations[]` (`action`, `resource`, `context`, `evaluatedEffect` ALLOW | EXPLICIT_DENY |
//! IMPLICIT_DENY, `matchedPolicies[]` with `uri` and `matchedStatements[]` of `sid` and
//! `evaluatedEffect`), `policies[]` (`type` IDENTITY_BASED_POLICY…, `inline`, `uri`, `attachedTo[]`
//! of `arn`) and `nextToken`.
//!
//! Assumed (the reference does not say, and we have no real output to check against):
//! - the caller is `requestContext["aws:PrincipalArn"]`; for a role that is the role ARN, so the
//!   session ARN is rebuilt from `aws:userid` (`AROA…:<session>`) when present;
//! - policy documents are not in this output (`GetRequestAuthorizationPolicy` returns them); when
//!   an entry of `policies[]` does carry one (`document` or `policyDocument`, e.g. merged in by a
//!   script), it is placed in its layer.

use super::observed::{layer_from_type_name, Observed, ObservedPolicy, ObservedStatement};
use super::util::scalar_text;
use super::{ArtefactKind, Import, ImportError};
use crate::scenario::{decode_document_string, PolicySource, Scenario, ScenarioRequest};
use serde_json::{Map, Value};

fn effect_title(e: &str) -> String {
    match e.to_ascii_uppercase().as_str() {
        "DENY" => "Deny".into(),
        "ALLOW" => "Allow".into(),
        other => other.to_string(),
    }
}

/// The caller: `aws:PrincipalArn`, with a role's session ARN rebuilt from `aws:userid`.
fn principal(ctx: &Map<String, Value>, notes: &mut Vec<String>) -> Option<String> {
    let get = |k: &str| {
        ctx.iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(k))
            .and_then(|(_, v)| v.as_str())
    };
    let arn = get("aws:PrincipalArn")?;
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() == 6 && parts[2] == "iam" && parts[5].starts_with("role/") {
        let role_name = parts[5].rsplit('/').next().unwrap_or("");
        if let Some(session) = get("aws:userid")
            .and_then(|u| u.split_once(':'))
            .map(|x| x.1)
        {
            let session_arn = format!(
                "arn:{}:sts::{}:assumed-role/{role_name}/{session}",
                parts[1], parts[4]
            );
            notes.push(format!(
                "the caller's session ARN {session_arn} was rebuilt from aws:PrincipalArn and aws:userid"
            ));
            return Some(session_arn);
        }
        notes.push("the caller is a role (aws:PrincipalArn) and the session name is unknown; evaluated as some session of the role".into());
    }
    Some(arn.to_string())
}

pub(crate) fn import(v: &Value) -> Result<Import, ImportError> {
    let evaluations = v
        .get("evaluations")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if evaluations.is_empty() {
        return Err(ImportError::new(
            "not recognised: Access Troubleshooter output without any evaluation (evaluations is missing or empty)",
        ));
    }
    let mut notes = Vec::new();
    let mut filled = Vec::new();
    let mut candidates = Vec::new();
    let denied: Vec<usize> = evaluations
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            e.get("evaluatedEffect")
                .and_then(Value::as_str)
                .is_some_and(|x| !x.eq_ignore_ascii_case("ALLOW"))
        })
        .map(|(i, _)| i)
        .collect();
    let pick = denied.first().copied().unwrap_or(0);
    for (i, e) in evaluations.iter().enumerate() {
        if i != pick {
            candidates.push(format!(
                "evaluation {} on {}: {}",
                e.get("action").and_then(Value::as_str).unwrap_or("?"),
                e.get("resource").and_then(Value::as_str).unwrap_or("?"),
                e.get("evaluatedEffect")
                    .and_then(Value::as_str)
                    .unwrap_or("?")
            ));
        }
    }
    if evaluations.len() > 1 {
        notes.push(format!(
            "{} evaluations (one per action and resource the request needed); picked the first denied one",
            evaluations.len()
        ));
    }
    if v.get("nextToken").is_some_and(|t| !t.is_null()) {
        notes.push("the output has a nextToken: more evaluations exist; run the command without --max-items to get them all".into());
    }
    let ev = &evaluations[pick];

    // Request context, then the evaluation's own keys on top.
    let mut req = ScenarioRequest::default();
    let empty = Map::new();
    let rc = v
        .get("requestContext")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut merged = rc.clone();
    if let Some(Value::Object(c)) = ev.get("context") {
        for (k, val) in c {
            merged.insert(k.clone(), val.clone());
        }
    }
    let mut context_keys = Vec::new();
    for (k, val) in &merged {
        context_keys.push(k.clone());
        let ok = match val {
            Value::Array(items) => items.iter().all(|x| scalar_text(x).is_some()),
            other => scalar_text(other).is_some(),
        };
        if ok {
            req.context.insert(k.clone(), val.clone());
            filled.push(format!("context key {k}"));
        } else {
            notes.push(format!(
                "context key {k} has a value iamtrace cannot use as a condition value; skipped"
            ));
        }
    }
    match principal(&merged, &mut notes) {
        Some(p) => {
            req.principal = Some(p);
            filled.push("principal".into());
        }
        None => notes.push(
            "the output carries no aws:PrincipalArn; set the principal before evaluating".into(),
        ),
    }
    match ev.get("action").and_then(Value::as_str) {
        Some(a) => {
            req.action = a.to_string();
            filled.push("action".into());
        }
        None => notes.push("the evaluation names no action; fill it in".into()),
    }
    match ev.get("resource").and_then(Value::as_str) {
        Some(r) if !r.is_empty() => {
            req.resource = r.to_string();
            filled.push("resource".into());
        }
        _ => req.resource = "*".into(),
    }

    // Policies AWS evaluated.
    let policies = v
        .get("policies")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut evaluated = Vec::new();
    let mut scenario = Scenario {
        version: crate::scenario::CURRENT_VERSION,
        ..Default::default()
    };
    let mut scp_levels: Vec<(u8, String, Vec<PolicySource>)> = Vec::new();
    let mut rcp_levels: Vec<(u8, String, Vec<PolicySource>)> = Vec::new();
    let mut missing_docs = Vec::new();
    for p in &policies {
        let ty = p.get("type").and_then(Value::as_str).unwrap_or("");
        let uri = p
            .get("uri")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let layer = layer_from_type_name(ty);
        let attached_to: Vec<String> = p
            .get("attachedTo")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.get("arn").and_then(Value::as_str).map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        evaluated.push(ObservedPolicy {
            policy_type: ty.to_string(),
            layer: layer.map(str::to_string),
            uri: uri.clone(),
            inline: p.get("inline").and_then(Value::as_bool),
            attached_to: attached_to.clone(),
        });
        let doc = p.get("document").or_else(|| p.get("policyDocument"));
        let Some(doc) = doc else {
            missing_docs.push(uri.clone());
            continue;
        };
        let text = match doc {
            Value::String(s) => decode_document_string(s),
            other => other.to_string(),
        };
        let src = PolicySource {
            name: uri
                .rsplit('/')
                .next()
                .filter(|n| !n.is_empty())
                .map(str::to_string),
            arn: uri.starts_with("arn:").then(|| uri.clone()),
            text,
            ..Default::default()
        };
        let pol = &mut scenario.policies;
        filled.push(format!("{} policy {uri}", layer.unwrap_or(ty)));
        match layer {
            Some("identity") => pol.identity.get_or_insert_with(Vec::new).push(src),
            Some("session") => pol.session.get_or_insert_with(Vec::new).push(src),
            Some("resource") => pol.resource = Some(src),
            Some("permissions_boundary") => pol.permissions_boundary = Some(src),
            Some("vpc_endpoint") => pol.vpc_endpoint = Some(src),
            Some(l @ ("scp" | "rcp")) => {
                let target = attached_to.first().cloned().unwrap_or_default();
                // Root first, then OUs in the order given, then the account.
                let rank = if target.contains(":root/") {
                    0
                } else if target.contains(":ou/") {
                    1
                } else {
                    2
                };
                let levels = if l == "scp" {
                    &mut scp_levels
                } else {
                    &mut rcp_levels
                };
                match levels.iter_mut().find(|(_, t, _)| *t == target) {
                    Some((_, _, list)) => list.push(src),
                    None => levels.push((rank, target, vec![src])),
                }
            }
            _ => notes.push(format!("policy {uri} has an unknown type '{ty}'; not used")),
        }
    }
    for (levels, slot) in [
        (scp_levels, &mut scenario.policies.scp),
        (rcp_levels, &mut scenario.policies.rcp),
    ] {
        if !levels.is_empty() {
            let mut levels = levels;
            levels.sort_by_key(|(rank, _, _)| *rank);
            *slot = Some(levels.into_iter().map(|(_, _, l)| l).collect());
        }
    }
    if !missing_docs.is_empty() {
        let id = v
            .get("authorizationId")
            .and_then(Value::as_str)
            .unwrap_or("<authorization-id>");
        notes.push(format!(
            "this output lists the policies AWS evaluated but not their text; fetch each and paste it into its layer: {}",
            missing_docs
                .iter()
                .map(|u| format!(
                    "aws iam-toolbox get-request-authorization-policy --authorization-id {id} --policy-uri '{u}'"
                ))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }

    // The claim.
    let effect = ev
        .get("evaluatedEffect")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_ascii_uppercase();
    let (decision, explicit) = match effect.as_str() {
        "ALLOW" => ("allowed".to_string(), None),
        "EXPLICIT_DENY" => (Observed::denied(Some(true)), Some(true)),
        "IMPLICIT_DENY" => (Observed::denied(Some(false)), Some(false)),
        _ => (Observed::denied(None), None),
    };
    let mut matched = Vec::new();
    for mp in ev
        .get("matchedPolicies")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        let uri = mp.get("uri").and_then(Value::as_str).unwrap_or("");
        for ms in mp
            .get("matchedStatements")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            matched.push(ObservedStatement {
                sid: ms
                    .get("sid")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                effect: effect_title(
                    ms.get("evaluatedEffect")
                        .and_then(Value::as_str)
                        .unwrap_or(""),
                ),
                policy_uri: Some(uri.to_string()),
                ..Default::default()
            });
        }
    }
    let deny_uri = matched
        .iter()
        .find(|s| s.effect == "Deny")
        .and_then(|s| s.policy_uri.clone());
    let layer = deny_uri.as_ref().and_then(|u| {
        evaluated
            .iter()
            .find(|p| &p.uri == u)
            .and_then(|p| p.layer.clone())
    });
    let obs = Observed {
        source: Some(ArtefactKind::AccessTroubleshooter),
        decision: decision.clone(),
        explicit,
        layer: if explicit == Some(true) { layer } else { None },
        policy_arn: deny_uri.filter(|u| u.starts_with("arn:")),
        authorization_id: v
            .get("authorizationId")
            .and_then(Value::as_str)
            .map(str::to_string),
        matched_statements: matched,
        evaluated_policies: evaluated,
        context_keys,
        action: (!req.action.is_empty()).then(|| req.action.clone()),
        principal: req.principal.clone(),
        resource: (req.resource != "*").then(|| req.resource.clone()),
        ..Default::default()
    };
    let who = req
        .principal
        .as_deref()
        .map(|p| format!(" for {p}"))
        .unwrap_or_default();
    let recognised = format!(
        "Access Troubleshooter output (GetRequestAuthorizationDetails){who}: {} on {}, {}",
        req.action,
        req.resource,
        decision.replace('_', " ")
    );
    notes.push("the Access Troubleshooter output shape is read as documented in the IAM Toolbox API reference (preview); which context key names the caller is assumed (aws:PrincipalArn)".into());
    scenario.request = req;
    scenario.observed = Some(obs.to_json());
    Ok(Import {
        kind: ArtefactKind::AccessTroubleshooter,
        scenario,
        recognised,
        filled,
        notes,
        candidates,
        choices: Vec::new(),
    })
}
