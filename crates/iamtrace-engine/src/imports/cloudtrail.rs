//! CloudTrail events: one record, a trail file `{"Records": […]}`, a bare list of records, or
//! `aws cloudtrail lookup-events` output (`{"Events": [{"CloudTrailEvent": "<JSON>"}]}`).
//!
//! What fills what (record fields per the CloudTrail record contents reference; keys per §4):
//! - principal: `userIdentity.arn` (IAMUser, AssumedRole → the session ARN, FederatedUser, Root),
//!   `invokedBy` for `AWSService`; `principalId` → `aws:userid` (§4.6);
//!   `sessionContext.sessionIssuer.arn` of a role session → `aws:PrincipalArn`, which keeps the
//!   role's path that the session ARN drops (§5.3);
//! - action: `eventSource` without `.amazonaws.com` + `:` + `eventName` (the few services whose
//!   host differs from the IAM prefix are mapped); the action AWS printed in `errorMessage` wins;
//! - resource: the ARN in `errorMessage`, else `resources[]`, else S3's `bucketName`/`key`;
//! - `sourceIPAddress` → `aws:SourceIp` (or `aws:VpcSourceIp` when the call came through a VPC
//!   endpoint, where `aws:SourceIp` is absent, §4.3; nothing when it is a service name);
//!   `vpcEndpointId` → `aws:SourceVpce`; `userAgent` → `aws:UserAgent`; `awsRegion` →
//!   `aws:RequestedRegion`; `eventTime` → `aws:CurrentTime` and `aws:EpochTime`;
//!   `sessionContext.attributes.mfaAuthenticated` → `aws:MultiFactorAuthPresent` and
//!   `creationDate` → `aws:TokenIssueTime` (both absent for long-term keys, which carry no
//!   session context, §4.2); `sessionContext.sourceIdentity` → `aws:SourceIdentity`;
//!   `tlsDetails` present → `aws:SecureTransport` true; `invokedBy` a service on a non-service
//!   identity → `aws:ViaAWSService` true (a forward access session);
//! - `recipientAccountId` → the resource owner when `resources[]` names none and it differs from
//!   the caller's account: CloudTrail delivers the event to the account that owns the resource
//!   (and to the caller's).
//! - `errorCode`/`errorMessage` → AWS's claim, the message read as AccessDenied text.

use super::error_text::{self, is_denial_code};
use super::observed::Observed;
use super::util::{action_for_operation, service_prefix, str_at};
use super::{ArtefactKind, Choice, Import, ImportError, ImportOptions};
use crate::scenario::{Scenario, ScenarioRequest};
use serde_json::Value;

/// Whether a JSON value is one CloudTrail record.
pub(crate) fn is_record(v: &Value) -> bool {
    v.get("eventSource").is_some_and(Value::is_string)
        && v.get("eventName").is_some_and(Value::is_string)
}

/// Whether a JSON value is `aws cloudtrail lookup-events` output.
pub(crate) fn is_lookup_events(v: &Value) -> bool {
    v.get("Events").is_some_and(|e| {
        e.as_array()
            .is_some_and(|a| a.iter().any(|x| x.get("CloudTrailEvent").is_some()))
    })
}

fn is_denied(r: &Value) -> bool {
    let code = r.get("errorCode").and_then(Value::as_str).unwrap_or("");
    is_denial_code(code) || code.contains("AccessDenied") || code.contains("Unauthorized")
}

pub(crate) fn import(v: &Value, options: &ImportOptions) -> Result<Import, ImportError> {
    if is_record(v) {
        return import_records(std::slice::from_ref(v), options);
    }
    if let Some(recs) = v.get("Records") {
        let Some(items) = recs.as_array() else {
            return Err(ImportError::new(
                "not recognised: 'Records' should be a list of CloudTrail records",
            ));
        };
        return import_records(items, options);
    }
    if is_lookup_events(v) {
        let mut records = Vec::new();
        for e in v["Events"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            match e.get("CloudTrailEvent") {
                Some(Value::String(s)) => records.push(serde_json::from_str(s).map_err(|err| {
                    ImportError::new(format!(
                        "not recognised: a lookup-events output whose CloudTrailEvent string is not valid JSON: {err}"
                    ))
                })?),
                Some(obj @ Value::Object(_)) => records.push(obj.clone()),
                _ => {}
            }
        }
        return import_records(&records, options);
    }
    Err(ImportError::new(
        "not recognised: no CloudTrail record (eventSource and eventName) found",
    ))
}

fn identity_arns(r: &Value) -> Vec<&str> {
    let ui = &r["userIdentity"];
    [
        str_at(ui, &["arn"]),
        str_at(ui, &["sessionContext", "sessionIssuer", "arn"]),
        str_at(ui, &["principalId"]),
        str_at(ui, &["invokedBy"]),
        str_at(ui, &["userName"]),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// A one-line label for a record ("s3:GetObject by arn:… at 2026-…, AccessDenied").
fn label(r: &Value) -> String {
    let src = r.get("eventSource").and_then(Value::as_str).unwrap_or("");
    let (prefix, _) = service_prefix(src);
    let name = r.get("eventName").and_then(Value::as_str).unwrap_or("");
    let who = str_at(&r["userIdentity"], &["arn"])
        .or(str_at(&r["userIdentity"], &["invokedBy"]))
        .unwrap_or("an unnamed caller");
    let when = r.get("eventTime").and_then(Value::as_str).unwrap_or("?");
    let code = r
        .get("errorCode")
        .and_then(Value::as_str)
        .map(|c| format!(", {c}"))
        .unwrap_or_default();
    format!("{prefix}:{name} by {who} at {when}{code}")
}

pub(crate) fn import_records(
    records: &[Value],
    options: &ImportOptions,
) -> Result<Import, ImportError> {
    // Positions count the records of the paste, so that a choice picks the same one again.
    let records: Vec<(usize, &Value)> = records
        .iter()
        .filter(|r| is_record(r))
        .enumerate()
        .collect();
    if records.is_empty() {
        return Err(ImportError::new(
            "not recognised: the list holds no CloudTrail record (eventSource and eventName)",
        ));
    }
    let total = records.len();
    let pick = |i: usize| Choice {
        label: label(records[i].1),
        options: ImportOptions {
            principal: None,
            record: Some(i),
        },
    };
    if let Some(i) = options.record {
        let Some(&(_, r)) = records.get(i) else {
            let mut e = ImportError::new(format!(
                "the paste holds {total} CloudTrail record{}; there is no record {}",
                if total == 1 { "" } else { "s" },
                i + 1
            ));
            e.choices = (0..total.min(50)).map(pick).collect();
            return Err(e);
        };
        let mut imp = import_record(r)?;
        if total > 1 {
            imp.notes
                .push(format!("record {} of {total}, as chosen", i + 1));
            imp.choices = (0..total)
                .filter(|j| *j != i && is_denied(records[*j].1))
                .take(50)
                .map(pick)
                .collect();
        }
        return Ok(imp);
    }
    let mut pool = records.clone();
    if let Some(want) = options.principal.as_deref() {
        pool.retain(|(_, r)| identity_arns(r).contains(&want));
        if pool.is_empty() {
            let callers = unique_callers(&records);
            return Err(ImportError::new(format!(
                "no CloudTrail record among {total} was made by {want}"
            ))
            .with_principals(callers));
        }
    }
    let denied: Vec<(usize, &Value)> = pool.iter().copied().filter(|(_, r)| is_denied(r)).collect();
    let mut notes = Vec::new();
    let mut candidates = Vec::new();
    let mut choices = Vec::new();
    let chosen = if denied.is_empty() {
        if pool.len() > 1 {
            let mut e = ImportError::new(format!(
                "none of the {} CloudTrail records is a denial (errorCode AccessDenied, AccessDeniedException, UnauthorizedOperation…); paste the denied record, or choose one",
                pool.len()
            ));
            e.candidates = pool.iter().take(20).map(|(_, r)| label(r)).collect();
            e.choices = pool.iter().take(20).map(|(i, _)| pick(*i)).collect();
            return Err(e);
        }
        notes.push("the record has no authorization error code: AWS allowed this request (or failed it for another reason); it is imported as allowed".into());
        pool[0].1
    } else {
        if denied.len() > 1 {
            notes.push(format!(
                "{} denied records; picked the first (choose another below, or with --principal)",
                denied.len()
            ));
            candidates = denied[1..].iter().take(50).map(|(_, r)| label(r)).collect();
            choices = denied[1..].iter().take(50).map(|(i, _)| pick(*i)).collect();
        }
        if total > denied.len() && denied.len() == 1 && total > 1 {
            notes.push(format!("{total} records; picked the only denied one"));
        }
        denied[0].1
    };
    let mut imp = import_record(chosen)?;
    imp.notes.extend(notes);
    imp.candidates.extend(candidates);
    imp.choices.extend(choices);
    Ok(imp)
}

fn unique_callers(records: &[(usize, &Value)]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (_, r) in records {
        if let Some(a) = str_at(&r["userIdentity"], &["arn"]) {
            if !out.iter().any(|x| x == a) {
                out.push(a.to_string());
            }
        }
    }
    out
}

fn set(req: &mut ScenarioRequest, filled: &mut Vec<String>, key: &str, v: Value, from: &str) {
    req.context.insert(key.to_string(), v);
    filled.push(format!("context key {key} (from {from})"));
}

fn is_ip(s: &str) -> bool {
    s.parse::<std::net::IpAddr>().is_ok()
}

fn import_record(r: &Value) -> Result<Import, ImportError> {
    let mut filled = Vec::new();
    let mut notes = Vec::new();
    let mut candidates = Vec::new();
    let mut req = ScenarioRequest::default();
    let ui = &r["userIdentity"];
    let id_type = str_at(ui, &["type"]).unwrap_or("");
    let invoked_by = str_at(ui, &["invokedBy"]);

    // The caller.
    match id_type {
        "AWSService" => match invoked_by {
            Some(s) => {
                req.principal = Some(s.to_string());
                filled.push("principal (the service in invokedBy)".into());
            }
            None => notes.push(
                "the caller is an AWS service but the record does not say which (no invokedBy)"
                    .into(),
            ),
        },
        "AWSAccount" => {
            let acct = str_at(ui, &["accountId"]).unwrap_or("");
            if acct == "anonymous" {
                notes.push("the caller is anonymous (an unsigned request)".into());
                filled.push("principal (anonymous)".into());
            } else {
                notes.push(format!(
                    "the caller is a principal of account {acct} (userIdentity type AWSAccount: CloudTrail does not name cross-account callers); set the principal before evaluating"
                ));
            }
        }
        _ => match str_at(ui, &["arn"]) {
            Some(a) => {
                req.principal = Some(a.to_string());
                filled.push("principal".into());
            }
            None => notes.push(format!(
                "the record does not name the caller (userIdentity type '{id_type}'); set the principal before evaluating"
            )),
        },
    }
    if let Some(pid) = str_at(ui, &["principalId"]) {
        if matches!(id_type, "IAMUser" | "AssumedRole" | "FederatedUser") && !pid.is_empty() {
            set(
                &mut req,
                &mut filled,
                "aws:userid",
                pid.into(),
                "principalId",
            );
        }
    }
    if id_type == "AssumedRole" {
        match str_at(ui, &["sessionContext", "sessionIssuer", "arn"]) {
            Some(role) => set(
                &mut req,
                &mut filled,
                "aws:PrincipalArn",
                role.into(),
                "sessionContext.sessionIssuer.arn, with the role's path",
            ),
            None => notes.push("the record has no sessionContext.sessionIssuer: aws:PrincipalArn is derived from the session ARN, without the role's path (§5.3)".into()),
        }
    }
    if id_type == "FederatedUser" {
        if let Some(u) = str_at(ui, &["sessionContext", "sessionIssuer", "arn"]) {
            notes.push(format!(
                "the federated user's session was issued by {u} (GetFederationToken); its permissions are that user's identity policies intersected with the session policy passed to GetFederationToken (§1.8), which CloudTrail does not record"
            ));
        }
    }
    if let Some(attrs) = ui.get("sessionContext").and_then(|s| s.get("attributes")) {
        if let Some(mfa) = attrs.get("mfaAuthenticated").and_then(Value::as_str) {
            set(
                &mut req,
                &mut filled,
                "aws:MultiFactorAuthPresent",
                mfa.to_ascii_lowercase().into(),
                "sessionContext.attributes.mfaAuthenticated",
            );
        }
        if let Some(t) = attrs.get("creationDate").and_then(Value::as_str) {
            set(
                &mut req,
                &mut filled,
                "aws:TokenIssueTime",
                t.into(),
                "sessionContext.attributes.creationDate",
            );
        }
    }
    if let Some(si) = str_at(ui, &["sessionContext", "sourceIdentity"]) {
        set(
            &mut req,
            &mut filled,
            "aws:SourceIdentity",
            si.into(),
            "sessionContext.sourceIdentity",
        );
    }
    if let (Some(s), true) = (invoked_by, id_type != "AWSService") {
        if s.ends_with(".amazonaws.com") {
            set(
                &mut req,
                &mut filled,
                "aws:ViaAWSService",
                "true".into(),
                &format!("invokedBy {s}"),
            );
        }
    }

    // The action.
    let source = r["eventSource"].as_str().unwrap_or("");
    let name = r["eventName"].as_str().unwrap_or("");
    let (prefix, prefix_note) = service_prefix(source);
    let (action, action_note) = action_for_operation(&prefix, name);
    req.action = action;
    filled.push("action".into());
    notes.extend(prefix_note);
    notes.extend(action_note);

    // AWS's claim.
    let code = r.get("errorCode").and_then(Value::as_str);
    let message = r.get("errorMessage").and_then(Value::as_str);
    let parsed = message.and_then(error_text::parse);
    let mut obs = match (&parsed, code) {
        (Some(p), Some(_)) if is_denied(r) || p.explicit.is_some() => {
            error_text::notes_for(p, &mut notes);
            error_text::observed(p, ArtefactKind::CloudtrailEvent)
        }
        (_, Some(c)) if is_denied(r) => {
            notes.push("the errorMessage does not say whether the deny was explicit or which policy type denied".into());
            Observed {
                source: Some(ArtefactKind::CloudtrailEvent),
                decision: Observed::denied(None),
                message: message.map(str::to_string),
                error_code: Some(c.to_string()),
                ..Default::default()
            }
        }
        (_, Some(c)) => {
            notes.push(format!(
                "the error code {c} is not an authorization failure; imported as if AWS allowed the request"
            ));
            Observed {
                source: Some(ArtefactKind::CloudtrailEvent),
                decision: "allowed".into(),
                message: message.map(str::to_string),
                error_code: Some(c.to_string()),
                ..Default::default()
            }
        }
        (_, None) => Observed {
            source: Some(ArtefactKind::CloudtrailEvent),
            decision: "allowed".into(),
            ..Default::default()
        },
    };
    obs.error_code = code.map(str::to_string);
    if let Some(p) = &parsed {
        if let Some(a) = &p.action {
            if !a.eq_ignore_ascii_case(&req.action) {
                notes.push(format!(
                    "the event is {} but AWS's message names the action {a}; using {a}",
                    req.action
                ));
                req.action = a.clone();
            }
        }
        if req.principal.is_none() {
            if let Some(pr) = p.principal.as_deref().filter(|p| p.starts_with("arn:")) {
                req.principal = Some(pr.to_string());
                filled.push("principal (from errorMessage)".into());
            }
        }
    }
    obs.action = Some(req.action.clone());
    obs.principal = req.principal.clone();

    // The resource.
    let listed: Vec<(&str, &str, Option<&str>)> = r
        .get("resources")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| {
                    Some((
                        x.get("ARN").and_then(Value::as_str)?,
                        x.get("type").and_then(Value::as_str).unwrap_or(""),
                        x.get("accountId").and_then(Value::as_str),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let object_op = prefix == "s3" && name.contains("Object");
    let pick = listed
        .iter()
        .position(|(_, t, _)| object_op && *t == "AWS::S3::Object")
        .unwrap_or(0);
    let resource_account = listed.iter().find_map(|(_, _, a)| *a);
    if let Some(res) = parsed.as_ref().and_then(|p| p.resource.clone()) {
        req.resource = res;
        filled.push("resource (from errorMessage)".into());
    } else if !listed.is_empty() {
        req.resource = listed[pick].0.to_string();
        filled.push("resource (from resources[])".into());
    } else if let (true, Some(bucket)) = (
        prefix == "s3",
        str_at(r, &["requestParameters", "bucketName"]),
    ) {
        req.resource = match str_at(r, &["requestParameters", "key"]) {
            Some(k) => format!("arn:aws:s3:::{bucket}/{k}"),
            None => format!("arn:aws:s3:::{bucket}"),
        };
        filled.push("resource (from requestParameters bucketName/key)".into());
    } else {
        req.resource = "*".into();
        notes.push("the record names no resource; the resource is set to \"*\": replace it with the resource ARN if the action has resource-level permissions".into());
    }
    for (arn, t, _) in &listed {
        if *arn != req.resource {
            candidates.push(format!("resource {arn} ({t})"));
        }
    }
    obs.resource = (req.resource != "*").then(|| req.resource.clone());
    let recipient = r.get("recipientAccountId").and_then(Value::as_str);
    match (resource_account, recipient) {
        (Some(a), _) => {
            req.resource_account = Some(a.to_string());
            filled.push("resource account (from resources[].accountId)".into());
        }
        // Delivered to an account other than the caller's: the resource owner's copy. When it
        // is the caller's own account it says nothing about the owner (cross-account events
        // reach both), so the owner is left to the resource ARN.
        (None, Some(a)) if str_at(ui, &["accountId"]).is_some_and(|c| c != a) => {
            req.resource_account = Some(a.to_string());
            filled.push("resource account (from recipientAccountId)".into());
            notes.push(format!(
                "the record was delivered to account {a}, not the caller's: taken as the resource owner (a cross-account request)"
            ));
        }
        _ => {}
    }

    // Network and request context.
    let vpce = r.get("vpcEndpointId").and_then(Value::as_str);
    if let Some(e) = vpce {
        set(
            &mut req,
            &mut filled,
            "aws:SourceVpce",
            e.into(),
            "vpcEndpointId",
        );
    }
    if let Some(ip) = r.get("sourceIPAddress").and_then(Value::as_str) {
        if is_ip(ip) {
            if vpce.is_some() {
                set(
                    &mut req,
                    &mut filled,
                    "aws:VpcSourceIp",
                    ip.into(),
                    "sourceIPAddress, through a VPC endpoint (aws:SourceIp is then absent)",
                );
            } else {
                set(
                    &mut req,
                    &mut filled,
                    "aws:SourceIp",
                    ip.into(),
                    "sourceIPAddress",
                );
            }
        } else {
            notes.push(format!(
                "sourceIPAddress is '{ip}', not an address (a service acting for the caller): aws:SourceIp left absent"
            ));
        }
    }
    if let Some(ua) = r.get("userAgent").and_then(Value::as_str) {
        set(
            &mut req,
            &mut filled,
            "aws:UserAgent",
            ua.into(),
            "userAgent",
        );
    }
    if let Some(region) = r.get("awsRegion").and_then(Value::as_str) {
        set(
            &mut req,
            &mut filled,
            "aws:RequestedRegion",
            region.into(),
            "awsRegion",
        );
    }
    if let Some(t) = r.get("eventTime").and_then(Value::as_str) {
        set(
            &mut req,
            &mut filled,
            "aws:CurrentTime",
            t.into(),
            "eventTime",
        );
        if let Ok(dt) =
            time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339)
        {
            set(
                &mut req,
                &mut filled,
                "aws:EpochTime",
                Value::String(dt.unix_timestamp().to_string()),
                "eventTime",
            );
        }
    }
    if r.get("tlsDetails").is_some_and(Value::is_object) {
        set(
            &mut req,
            &mut filled,
            "aws:SecureTransport",
            "true".into(),
            "tlsDetails",
        );
    }
    obs.context_keys = req.context.keys().cloned().collect();

    let who = req
        .principal
        .as_deref()
        .map(|p| format!(" by {p}"))
        .unwrap_or_default();
    let outcome = match obs.decision.as_str() {
        "allowed" => "allowed".to_string(),
        _ => obs
            .error_code
            .clone()
            .unwrap_or_else(|| "denied".to_string()),
    };
    let recognised = format!("a CloudTrail event: {}{who}, {outcome}", req.action);
    let scenario = Scenario {
        version: crate::scenario::CURRENT_VERSION,
        request: req,
        observed: Some(obs.to_json()),
        ..Default::default()
    };
    Ok(Import {
        kind: ArtefactKind::CloudtrailEvent,
        scenario,
        recognised,
        filled,
        notes,
        candidates,
        choices: Vec::new(),
    })
}
