//! Which artefact was pasted: decided from the JSON fields present (or, for text, the AccessDenied
//! phrases). Look-alikes (a policy document, a JSON error body, truncated JSON) are refused with
//! the reason rather than guessed at.

use super::util::{has_any, short};
use super::{
    authorization_details, cloudtrail, collected, decoded_message, error_text, troubleshooter,
    ArtefactKind, Import, ImportError, ImportOptions,
};
use crate::scenario::Scenario;
use serde_json::Value;

/// Largest artefact accepted (a full `get-account-authorization-details` of a large account is a
/// few megabytes).
const MAX_LEN: usize = 32 * 1024 * 1024;

const KINDS_LIST: &str = "a decode-authorization-message output (DecodedMessage, or allowed/explicitDeny/context), a CloudTrail event (eventSource and eventName, or Records), Access Troubleshooter output (evaluations, requestContext), get-account-authorization-details output (UserDetailList, RoleDetailList, GroupDetailList, Policies) or an iamtrace scenario (request)";

pub(crate) fn import(text: &str, options: &ImportOptions) -> Result<Import, ImportError> {
    if text.len() > MAX_LEN {
        return Err(ImportError::new(format!(
            "not recognised: the text is {} MB, more than the {} MB an artefact can be",
            text.len() / (1024 * 1024),
            MAX_LEN / (1024 * 1024)
        )));
    }
    let t = text.trim_start_matches('\u{feff}').trim();
    if t.is_empty() {
        return Err(ImportError::new(
            "not recognised: the text is empty; paste an AccessDenied message, a decoded authorization message, a CloudTrail event, Access Troubleshooter output, get-account-authorization-details output or a scenario",
        ));
    }
    if t.starts_with('{') || t.starts_with('[') {
        let value: Value = match serde_json::from_str(t) {
            Ok(v) => v,
            Err(e) => {
                if !json_start(t) && error_text::parse(t).is_some() {
                    return error_text::import(t);
                }
                let how = if e.is_eof() {
                    "it ends early (truncated?)"
                } else {
                    "it is not valid JSON"
                };
                return Err(ImportError::new(format!(
                    "not recognised: looks like JSON but {how}: {e}"
                )));
            }
        };
        return import_json(t, &value, options);
    }
    // S3's XML error body (`<Error><Code>AccessDenied</Code>…`) is read by the error-text importer
    // as it is; other markup is a page the text was copied from.
    let xml_error = t.starts_with("<?xml") || t.starts_with("<Error>") || t.contains("<Code>");
    if !xml_error && super::util::has_markup(t) {
        // Copied from a rendered page: read the text, not the markup (a principal must never
        // come out as `<span>arn:…</span>`).
        let plain = super::util::strip_markup(t);
        let mut imported = error_text::import(plain.trim())?;
        imported.notes.insert(
            0,
            "HTML markup (tags and entities) was removed from the paste".into(),
        );
        return Ok(imported);
    }
    error_text::import(t)
}

/// [`super::import_as`]: the text read as `kind`, without detection.
pub(crate) fn import_as(
    kind: ArtefactKind,
    text: &str,
    options: &ImportOptions,
) -> Result<Import, ImportError> {
    if text.len() > MAX_LEN {
        return Err(ImportError::new(format!(
            "not recognised: the text is {} MB, more than the {} MB an artefact can be",
            text.len() / (1024 * 1024),
            MAX_LEN / (1024 * 1024)
        )));
    }
    let t = text.trim_start_matches('\u{feff}').trim();
    let json = || -> Result<Value, ImportError> {
        serde_json::from_str(t).map_err(|e| {
            ImportError::new(format!(
                "not a {}: it is not valid JSON: {e}",
                kind.as_str().replace('_', " ")
            ))
        })
    };
    match kind {
        ArtefactKind::ErrorText => error_text::import(t),
        ArtefactKind::Scenario => import_scenario(t),
        ArtefactKind::DecodedMessage => decoded_message::import(&json()?),
        ArtefactKind::AccessTroubleshooter => troubleshooter::import(&json()?),
        ArtefactKind::AuthorizationDetails => authorization_details::import(&json()?, options),
        ArtefactKind::CloudtrailEvent => match json()? {
            Value::Array(items) => cloudtrail::import_records(&items, options),
            v => cloudtrail::import(&v, options),
        },
        ArtefactKind::Collected => collected::import(&json()?, options),
        ArtefactKind::PolicyOutput => crate::policy::envelope::unwrap_value(&json()?)
            .map(policy_output)
            .ok_or_else(|| {
                ImportError::new("not a policy printed by an AWS CLI command: no known envelope")
            }),
    }
}

fn import_json(text: &str, v: &Value, options: &ImportOptions) -> Result<Import, ImportError> {
    if let Value::Array(items) = v {
        // A bare list of CloudTrail records (jq '.Records' output).
        if !items.is_empty() && items.iter().all(cloudtrail::is_record) {
            return cloudtrail::import_records(items, options);
        }
        return Err(ImportError::new(format!(
            "not recognised: a JSON list, but not a list of CloudTrail records (each with eventSource and eventName); expected {KINDS_LIST}"
        )));
    }
    let Some(o) = v.as_object() else {
        return Err(ImportError::new(format!(
            "not recognised: a JSON {} on its own; expected {KINDS_LIST}",
            kind_name(v)
        )));
    };
    if collected::is_collected(o) {
        return collected::import(v, options);
    }
    if o.contains_key("DecodedMessage") || decoded_message::is_inner(o) {
        return decoded_message::import(v);
    }
    if o.contains_key("Records") || cloudtrail::is_record(v) || cloudtrail::is_lookup_events(v) {
        return cloudtrail::import(v, options);
    }
    // An EventBridge event "AWS API Call via CloudTrail" carries the record in `detail`.
    if let Some(detail) = o.get("detail").filter(|d| cloudtrail::is_record(d)) {
        let mut imp = cloudtrail::import(detail, options)?;
        imp.recognised = format!(
            "an EventBridge event carrying {}",
            imp.recognised.trim_start_matches("a ")
        );
        return Ok(imp);
    }
    // `requestContext` alone is also in API Gateway and Lambda events: require the troubleshooter's
    // own lists.
    if o.contains_key("evaluations")
        || (o.contains_key("requestContext") && o.contains_key("policies"))
    {
        return troubleshooter::import(v);
    }
    if has_any(
        o,
        &[
            "UserDetailList",
            "RoleDetailList",
            "GroupDetailList",
            "Policies",
        ],
    ) {
        return authorization_details::import(v, options);
    }
    if o.contains_key("request") {
        return import_scenario(text);
    }
    if let Some(u) = crate::policy::envelope::unwrap_value(v) {
        return Ok(policy_output(u));
    }
    // Look-alikes with a specific answer.
    if has_any(o, &["Statement", "Version"]) && !o.contains_key("request") {
        return Err(ImportError::new(
            "not recognised: this is a policy document, not an artefact of a denied request; paste it into the layer it belongs to (identity, resource, SCP…)",
        ));
    }
    if has_any(o, &["errorCode", "errorMessage"]) {
        return Err(ImportError::new(
            "not recognised: looks like part of a CloudTrail event (errorCode/errorMessage) but has no eventSource and eventName; paste the whole record",
        ));
    }
    if let Some(Value::Object(err)) = o.get("Error") {
        if let Some(m) = err.get("Message").and_then(Value::as_str) {
            // An SDK's JSON error body: read its message as error text.
            return error_text::import(m);
        }
    }
    if has_any(o, &["message", "Message"]) {
        if let Some(m) = o
            .get("message")
            .or_else(|| o.get("Message"))
            .and_then(Value::as_str)
        {
            if error_text::parse(m).is_some() {
                return error_text::import(m);
            }
        }
    }
    let keys: Vec<&str> = o.keys().map(String::as_str).take(6).collect();
    Err(ImportError::new(format!(
        "not recognised: looks like JSON but has none of the fields of {KINDS_LIST}; its fields are {}",
        if keys.is_empty() {
            "none".to_string()
        } else {
            short(&keys.join(", "), 120)
        }
    )))
}

fn import_scenario(text: &str) -> Result<Import, ImportError> {
    let parsed = Scenario::parse(text).map_err(|e| {
        ImportError::new(format!(
            "not recognised: looks like an iamtrace scenario (it has 'request') but it does not read: {e}"
        ))
    })?;
    let notes = parsed
        .warnings
        .iter()
        .map(|w| format!("{} (line {})", w.message, w.span.line))
        .collect();
    let s = parsed.scenario;
    let who = s
        .request
        .principal
        .as_deref()
        .map(|p| format!(" for {p}"))
        .unwrap_or_default();
    Ok(Import {
        kind: ArtefactKind::Scenario,
        recognised: format!("an iamtrace scenario{who}"),
        filled: Vec::new(),
        notes,
        candidates: Vec::new(),
        choices: Vec::new(),
        scenario: s,
    })
}

/// A policy printed by an AWS CLI command: a case holding just that policy, in its layer.
fn policy_output(u: crate::policy::envelope::Unwrapped) -> Import {
    use crate::decision::Layer;
    let src = crate::scenario::PolicySource {
        text: u.document_text,
        name: u.name,
        arn: u.arn,
        base: None,
        was_string: true,
        string_at: None,
    };
    let mut s = Scenario {
        version: crate::scenario::CURRENT_VERSION,
        ..Default::default()
    };
    s.request.resource = "*".into();
    let mut notes = vec![u.note];
    let p = &mut s.policies;
    match u.layer {
        Layer::Identity => p.identity = Some(vec![src]),
        Layer::Scp | Layer::Rcp => {
            notes.push("placed as the only level of its layer: AWS evaluates every level from the root down to the account, so add the other levels' policies too".into());
            if u.layer == Layer::Scp {
                p.scp = Some(vec![vec![src]]);
            } else {
                p.rcp = Some(vec![vec![src]]);
            }
        }
        Layer::VpcEndpoint => p.vpc_endpoint = Some(src),
        _ => p.resource = Some(src),
    }
    let layer = u.layer;
    Import {
        kind: ArtefactKind::PolicyOutput,
        recognised: format!("the output of {}", u.source_command),
        filled: vec![format!("{} policy", layer.name().replace('_', " "))],
        notes,
        candidates: Vec::new(),
        choices: Vec::new(),
        scenario: s,
    }
}

/// Whether text opens like JSON: a brace followed by a key or the end, a bracket followed by a
/// value.
fn json_start(t: &str) -> bool {
    let mut chars = t.chars();
    let first = chars.next();
    let next = chars.find(|c| !c.is_whitespace());
    match (first, next) {
        (Some('{'), Some(c)) => c == '"' || c == '}',
        (Some('['), Some(c)) => "{[\"]-0123456789tfn".contains(c),
        _ => false,
    }
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    }
}
