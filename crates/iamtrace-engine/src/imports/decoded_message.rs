//! The output of `aws sts decode-authorization-message` (rules §6.6): the whole CLI output
//! `{"DecodedMessage": "<JSON in a string>"}` or the inner JSON.
//!
//! The request context AWS reports becomes the scenario's context, except AWS's internal keys
//! (§6.6 table), which fill the request instead:
//! - `aws:Service` completes a bare action (`RunInstances` → `ec2:RunInstances`);
//! - `aws:ARN` is the resource when `context.resource` is missing;
//! - `aws:Account` is the resource owner (AWS does not document this key; we assume it names the
//!   account that owns the resource, which is what real messages show);
//! - `aws:Region` becomes `aws:RequestedRegion` unless the message carries that key itself (we
//!   assume the endpoint's Region is the requested Region, true for regional endpoints; global
//!   services use `us-east-1`, §4.5);
//! - `aws:Resource`, `aws:Type`, `aws:ID` are dropped (they only restate the resource).

use super::observed::{Observed, ObservedStatement};
use super::util::{context_value, scalar_text, str_at};
use super::{ArtefactKind, Import, ImportError};
use crate::request::Caller;
use crate::scenario::{Scenario, ScenarioRequest};
use serde_json::{Map, Value};

const PSEUDO_KEYS: [&str; 7] = [
    "aws:resource",
    "aws:account",
    "aws:type",
    "aws:arn",
    "aws:region",
    "aws:service",
    "aws:id",
];

/// Whether an object is the inner JSON of a decoded message.
pub(crate) fn is_inner(o: &Map<String, Value>) -> bool {
    o.get("context").is_some_and(Value::is_object)
        && (o.contains_key("allowed")
            || o.contains_key("explicitDeny")
            || o.contains_key("matchedStatements"))
}

/// `{"items": [...]}` → the list (also accepts a bare list).
fn items(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Object(o)) => o
            .get("items")
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default(),
        Some(Value::Array(a)) => a.iter().collect(),
        _ => Vec::new(),
    }
}

/// `{"items": [{"value": "x"}]}` → ["x"].
fn values(v: Option<&Value>) -> Vec<String> {
    items(v)
        .into_iter()
        .filter_map(|i| {
            i.get("value")
                .and_then(scalar_text)
                .or_else(|| scalar_text(i))
        })
        .collect()
}

fn title_case_effect(e: &str) -> String {
    match e.to_ascii_lowercase().as_str() {
        "deny" => "Deny".into(),
        "allow" => "Allow".into(),
        other => other.to_string(),
    }
}

/// A word for the kind of caller, for the "recognised" sentence.
pub(crate) fn caller_word(arn: &str) -> &'static str {
    match Caller::parse(Some(arn)) {
        Ok(Caller::Root { .. }) => "the root user",
        Ok(Caller::IamUser { .. }) => "user",
        Ok(Caller::RoleSession { .. }) => "role session",
        Ok(Caller::FederatedUser { .. }) => "federated user",
        Ok(Caller::Role { .. }) => "role",
        Ok(Caller::Service { .. }) => "service",
        Ok(Caller::Anonymous) | Err(_) => "caller",
    }
}

pub(crate) fn import(v: &Value) -> Result<Import, ImportError> {
    let (inner, whole) = match v.get("DecodedMessage") {
        Some(Value::String(s)) => {
            let parsed: Value = serde_json::from_str(s).map_err(|e| {
                ImportError::new(format!(
                    "not recognised: a decode-authorization-message output, but its DecodedMessage string is not valid JSON{}: {e}",
                    if e.is_eof() { " (truncated?)" } else { "" }
                ))
            })?;
            (parsed, true)
        }
        Some(Value::Object(_)) => (v["DecodedMessage"].clone(), true),
        Some(other) => {
            return Err(ImportError::new(format!(
                "not recognised: DecodedMessage should hold the decoded JSON as a string, found {other}"
            )))
        }
        None => (v.clone(), false),
    };
    let Some(o) = inner.as_object().filter(|o| is_inner(o)) else {
        return Err(ImportError::new(
            "not recognised: the DecodedMessage has no 'context' with 'allowed'/'explicitDeny'; it is not an authorization message",
        ));
    };
    let ctx = &o["context"];
    let mut filled = Vec::new();
    let mut notes = Vec::new();
    let mut request = ScenarioRequest::default();

    // The conditions, split into context and AWS's internal keys.
    let mut pseudo: Map<String, Value> = Map::new();
    let mut context_keys = Vec::new();
    for item in items(ctx.get("conditions")) {
        let Some(key) = item.get("key").and_then(Value::as_str) else {
            continue;
        };
        context_keys.push(key.to_string());
        let vals = values(item.get("values"));
        if PSEUDO_KEYS.contains(&key.to_ascii_lowercase().as_str()) {
            pseudo.insert(key.to_ascii_lowercase(), context_value(key, vals));
            continue;
        }
        request
            .context
            .insert(key.to_string(), context_value(key, vals));
        filled.push(format!("context key {key}"));
    }
    let pseudo_str = |k: &str| pseudo.get(k).and_then(Value::as_str).map(str::to_string);

    let principal_arn = str_at(ctx, &["principal", "arn"]).map(str::to_string);
    match &principal_arn {
        Some(a) => {
            request.principal = Some(a.clone());
            filled.push("principal".into());
        }
        None => notes.push(
            "the message has no context.principal.arn; set the principal before evaluating".into(),
        ),
    }
    // §4.6: aws:userid is the unique id AWS prints as context.principal.id.
    if let Some(id) = str_at(ctx, &["principal", "id"]) {
        if !request
            .context
            .keys()
            .any(|k| k.eq_ignore_ascii_case("aws:userid"))
        {
            request
                .context
                .insert("aws:userid".into(), Value::String(id.to_string()));
            filled.push("context key aws:userid (from the principal's unique id)".into());
        }
    }

    let service = pseudo_str("aws:service");
    match str_at(ctx, &["action"]) {
        Some(a) if a.contains(':') => {
            request.action = a.to_string();
            filled.push("action".into());
        }
        Some(a) => match &service {
            Some(s) => {
                request.action = format!("{s}:{a}");
                filled.push(format!("action (prefix '{s}' from aws:Service)"));
            }
            None => {
                request.action = a.to_string();
                notes.push(format!(
                    "the action '{a}' has no service prefix and the message carries no aws:Service; add the prefix (e.g. ec2:{a})"
                ));
            }
        },
        None => notes.push("the message has no context.action; fill it in".into()),
    }

    match str_at(ctx, &["resource"]).or(pseudo.get("aws:arn").and_then(Value::as_str)) {
        Some(r) => {
            request.resource = r.to_string();
            filled.push("resource".into());
        }
        None => {
            request.resource = "*".into();
            notes.push("the message names no resource; the resource is set to \"*\"".into());
        }
    }
    if let Some(acct) = pseudo_str("aws:account") {
        let caller_acct = principal_arn
            .as_deref()
            .and_then(|a| Caller::parse(Some(a)).ok())
            .and_then(|c| c.account().map(str::to_string));
        if caller_acct.as_deref() != Some(acct.as_str()) {
            notes.push(format!(
                "the resource owner {acct} is taken from aws:Account, an internal key AWS does not document; we assume it names the account that owns the resource"
            ));
        }
        request.resource_account = Some(acct);
        filled.push("resource account (from aws:Account)".into());
    }
    if let Some(region) = pseudo_str("aws:region") {
        if !request
            .context
            .keys()
            .any(|k| k.eq_ignore_ascii_case("aws:RequestedRegion"))
        {
            request
                .context
                .insert("aws:RequestedRegion".into(), Value::String(region));
            filled.push("context key aws:RequestedRegion (from aws:Region)".into());
        }
    }
    let dropped: Vec<&str> = ["aws:Resource", "aws:Type", "aws:ID"]
        .into_iter()
        .filter(|k| pseudo.contains_key(&k.to_ascii_lowercase()))
        .collect();
    if !dropped.is_empty() {
        notes.push(format!(
            "AWS's internal keys {} only restate the resource; not used as context",
            dropped.join(", ")
        ));
    }

    let allowed = o.get("allowed").and_then(Value::as_bool).unwrap_or(false);
    let explicit = o.get("explicitDeny").and_then(Value::as_bool);
    let matched: Vec<ObservedStatement> = items(o.get("matchedStatements"))
        .into_iter()
        .map(|s| ObservedStatement {
            sid: s
                .get("statementId")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            effect: title_case_effect(s.get("effect").and_then(Value::as_str).unwrap_or("")),
            actions: values(s.get("actions")),
            resources: values(s.get("resources")),
            policy_uri: None,
        })
        .collect();
    let decision = if allowed {
        "allowed".to_string()
    } else {
        Observed::denied(Some(explicit.unwrap_or(false)))
    };
    if !allowed && explicit.unwrap_or(false) && matched.is_empty() {
        notes.push("AWS says the deny was explicit but lists no matched statement".into());
    }
    if !allowed {
        notes.push("a decoded message does not say which policy type denied; the layer is found by evaluating the pasted policies".into());
    }
    let obs = Observed {
        source: Some(ArtefactKind::DecodedMessage),
        decision: decision.clone(),
        explicit: if allowed {
            None
        } else {
            Some(explicit.unwrap_or(false))
        },
        matched_statements: matched,
        context_keys,
        action: (!request.action.is_empty()).then(|| request.action.clone()),
        principal: principal_arn.clone(),
        resource: (request.resource != "*").then(|| request.resource.clone()),
        ..Default::default()
    };
    let form = if whole {
        "an AWS CLI decode-authorization-message output"
    } else {
        "a decoded authorization message (the inner JSON)"
    };
    let who = principal_arn
        .as_deref()
        .map(|a| format!(" for {} {a}", caller_word(a)))
        .unwrap_or_default();
    let what = match decision.as_str() {
        "explicit_deny" => {
            let sids: Vec<String> = obs
                .matched_statements
                .iter()
                .map(|s| {
                    if s.sid.is_empty() {
                        "(no Sid)".to_string()
                    } else {
                        s.sid.clone()
                    }
                })
                .collect();
            format!("an explicit deny (matched {})", sids.join(", "))
        }
        "implicit_deny" => "an implicit deny".to_string(),
        _ => "an allowed request".to_string(),
    };
    let scenario = Scenario {
        version: crate::scenario::CURRENT_VERSION,
        request,
        observed: Some(obs.to_json()),
        ..Default::default()
    };
    Ok(Import {
        kind: ArtefactKind::DecodedMessage,
        scenario,
        recognised: format!("{form}{who}: {what}"),
        filled,
        notes,
        candidates: Vec::new(),
        choices: Vec::new(),
    })
}
