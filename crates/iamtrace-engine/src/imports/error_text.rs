//! AccessDenied error text in the forms of rules §6: the enhanced message (§6.1) with its
//! reason phrases (§6.2) and policy ARN suffix (§6.5), the SDK and CLI wrappers around it, the
//! EC2 encoded form (§6.6), the Access Troubleshooter authorization id, and older short forms.

use super::observed::{layer_from_phrase, Observed};
use super::util::{action_for_operation, service_prefix, short};
use super::{ArtefactKind, Import, ImportError};
use crate::scenario::{Scenario, ScenarioRequest};

/// Error codes that mean "denied by authorization" (S3, most JSON services, EC2, SNS).
const DENIAL_CODES: [&str; 7] = [
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "Client.UnauthorizedOperation",
    "UnauthorizedAccess",
    "AuthorizationError",
    "AuthorizationErrorException",
];

/// Codes that come with HTTP 403 but mean the request was not authenticated (bad or expired
/// credentials, clock skew): authorization never ran, so there is nothing to evaluate.
const AUTHENTICATION_CODES: [&str; 9] = [
    "SignatureDoesNotMatch",
    "InvalidClientTokenId",
    "InvalidAccessKeyId",
    "ExpiredToken",
    "ExpiredTokenException",
    "RequestExpired",
    "RequestTimeTooSkewed",
    "UnrecognizedClientException",
    "IncompleteSignature",
];

/// Whether an error code is one of the authorization-failure codes.
pub(crate) fn is_denial_code(code: &str) -> bool {
    DENIAL_CODES.iter().any(|c| c.eq_ignore_ascii_case(code))
}

/// Everything read from one error text.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ParsedError {
    /// The AWS message without SDK wrappers.
    pub message: String,
    pub principal: Option<String>,
    pub action: Option<String>,
    pub resource: Option<String>,
    pub explicit: Option<bool>,
    /// The policy type as printed ("service control policy").
    pub phrase: Option<String>,
    pub layer: Option<&'static str>,
    /// "… VPC endpoint policy transitively through a service control policy".
    pub transitive_scp: bool,
    pub policy_arn: Option<String>,
    pub policy_name: Option<String>,
    /// S3's non-policy reasons (Block Public Access, SSE-C).
    pub special_reason: Option<String>,
    pub authorization_id: Option<String>,
    pub encoded_message: Option<String>,
    pub error_code: Option<String>,
    /// From the wrapper: the API operation and the SDK's service name.
    pub operation: Option<String>,
    pub service: Option<String>,
    pub request_id: Option<String>,
    /// Which wrapper was seen ("AWS CLI / boto3", "AWS SDK for Java", …).
    pub wrapper: Option<&'static str>,
    /// S3's quoted resource has no closing quote (the text was likely cut).
    pub unclosed_quote: bool,
}

/// Whether a text looks like an authorization failure at all.
fn looks_denied(t: &str) -> bool {
    let lower = t.to_ascii_lowercase();
    lower.contains("is not authorized to perform")
        || lower.contains("encoded authorization failure message")
        || lower.contains("access denied")
        || lower.contains("accessdenied")
        || lower.contains("unauthorizedoperation")
        || lower.contains("not authorized to perform")
        || lower.contains("statuscode: 403")
        || lower.contains("status code: 403")
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(&s[i..j])
}

fn xml_unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A token of letters, digits and the characters AWS uses in ids and encoded messages.
fn token(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || "-_=+/".contains(c)))
        .unwrap_or(s.len());
    &s[..end]
}

fn trim_sentence_end(s: &str) -> &str {
    s.trim().trim_end_matches(['.', ',', ';'])
}

/// Reads an error text; `None` when it is not an authorization failure.
pub(crate) fn parse(text: &str) -> Option<ParsedError> {
    // Messages are often wrapped across lines (as in AWS's docs); one space everywhere.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if !looks_denied(&flat) {
        return None;
    }
    let mut p = ParsedError::default();
    let mut msg = flat.clone();

    // S3 REST XML: <Error><Code>AccessDenied</Code><Message>…</Message><RequestId>…
    if let Some(code) = between(&msg, "<Code>", "</Code>") {
        p.error_code = Some(code.trim().to_string());
        p.request_id = between(&msg, "<RequestId>", "</RequestId>").map(|s| s.trim().to_string());
        p.wrapper = Some("S3 REST XML error");
        if let Some(m) = between(&msg, "<Message>", "</Message>") {
            msg = xml_unescape(m.trim());
        }
    }
    // AWS CLI and boto3: "An error occurred (Code) when calling the Op operation[ (…)]: message".
    if let Some(i) = msg.find("An error occurred (") {
        let rest = msg[i + "An error occurred (".len()..].to_string();
        if let Some(j) = rest.find(')') {
            p.error_code = Some(rest[..j].to_string());
            p.wrapper = Some("AWS CLI / boto3");
            let after = &rest[j + 1..];
            let mut tail = after;
            if let Some(op) = between(after, " when calling the ", " operation") {
                p.operation = Some(op.trim().to_string());
                let k = after.find(" operation").unwrap_or(0) + " operation".len();
                tail = &after[k..];
                // "… operation (reached max retries: 4): message"
                if tail.starts_with(" (") {
                    if let Some(close) = tail.find(')') {
                        tail = &tail[close + 1..];
                    }
                }
            }
            if let Some(k) = tail.find(": ") {
                msg = tail[k + 2..].to_string();
            }
        }
    }
    // AWS SDK for Go v2: "operation error S3: GetObject, https response error StatusCode: 403,
    // RequestID: …, api error AccessDenied: message".
    if let Some(i) = msg.find("operation error ") {
        let rest = &msg[i + "operation error ".len()..];
        if let Some((svc, tail)) = rest.split_once(": ") {
            p.service = Some(svc.trim().to_string());
            p.operation = Some(tail.split(',').next().unwrap_or("").trim().to_string());
            p.wrapper = Some("AWS SDK for Go");
        }
        if let Some(id) = between(&msg, "RequestID: ", ",") {
            p.request_id = Some(id.trim().to_string());
        }
        if let Some(k) = msg.find("api error ") {
            let tail = msg[k + "api error ".len()..].to_string();
            if let Some((code, m)) = tail.split_once(": ") {
                p.error_code = Some(code.trim().to_string());
                msg = m.to_string();
            }
        }
    }
    // AWS SDK for Java: "message (Service: S3, Status Code: 403, Request ID: …)" (v2) or
    // "(Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: …)" (v1).
    if let Some(i) = msg.rfind("(Service: ") {
        let inner = msg[i + 1..].trim_end().trim_end_matches(')').to_string();
        for field in inner.split([',', ';']) {
            if let Some((k, v)) = field.split_once(':') {
                let v = v.trim().to_string();
                match k.trim() {
                    "Service" => p.service = Some(v),
                    "Error Code" => p.error_code = Some(v),
                    "Request ID" => p.request_id = Some(v),
                    _ => {}
                }
            }
        }
        p.wrapper = Some("AWS SDK for Java");
        msg = msg[..i].trim_end().to_string();
    }
    // "AccessDenied: User: …" (JavaScript SDK) and "…S3Exception: User: …" prefixes.
    if let Some(i) = msg.find("User: ") {
        if i > 0 {
            let prefix = msg[..i].trim_end().trim_end_matches(':');
            let code = prefix.rsplit([' ', '.']).next().unwrap_or("");
            if p.error_code.is_none() && is_denial_code(code) {
                p.error_code = Some(code.to_string());
            }
            msg = msg[i..].to_string();
        }
    }
    p.message = msg.trim().to_string();
    let m = p.message.clone();

    // The enhanced message (§6.1).
    if let Some(i) = m.find("is not authorized to perform") {
        if let Some(u) = m[..i].rfind("User: ") {
            let who = m[u + "User: ".len()..i].trim();
            if !who.is_empty() {
                p.principal = Some(who.to_string());
            }
        }
        let after = m[i + "is not authorized to perform".len()..]
            .trim_start_matches(':')
            .trim_start();
        let action = after.split_whitespace().next().unwrap_or("");
        let action = trim_sentence_end(action);
        let mut rest = "";
        if action.contains(':') {
            p.action = Some(action.to_string());
            rest = after[after.find(action).map(|k| k + action.len()).unwrap_or(0)..].trim_start();
        }
        if let Some(r) = rest.strip_prefix("on resource: ") {
            let (res, tail) = if let Some(q) = r.strip_prefix('"') {
                match q.find('"') {
                    Some(k) => (&q[..k], &q[k + 1..]),
                    None => {
                        p.unclosed_quote = true;
                        (q, "")
                    }
                }
            } else {
                let stops = [" with an ", " because ", " due to ", ". ", " Encoded "];
                let k = stops
                    .iter()
                    .filter_map(|s| r.find(s))
                    .min()
                    .unwrap_or(r.len());
                (&r[..k], &r[k..])
            };
            let res = trim_sentence_end(res);
            if !res.is_empty() {
                p.resource = Some(res.to_string());
            }
            rest = tail.trim_start();
        }
        read_reason(rest, &mut p);
    }

    if let Some(i) = m.find("Encoded authorization failure message: ") {
        let t = token(&m[i + "Encoded authorization failure message: ".len()..]);
        if !t.is_empty() {
            p.encoded_message = Some(t.to_string());
        }
    }
    if let Some(i) = m.to_ascii_lowercase().find("authorization id: ") {
        let t = token(&m[i + "authorization id: ".len()..]);
        if !t.is_empty() {
            p.authorization_id = Some(t.to_string());
        }
    }
    if p.authorization_id.is_none() {
        if let Some(i) = m.find("#/authorization-details/") {
            let t = token(&m[i + "#/authorization-details/".len()..]);
            if !t.is_empty() {
                p.authorization_id = Some(t.to_string());
            }
        }
    }
    // EC2's code alone names the service (§6.6).
    if p.action.is_none() {
        if let Some(op) = &p.operation {
            let svc = match (&p.service, p.error_code.as_deref()) {
                (Some(s), _) => Some(service_prefix(s).0),
                (None, Some(c)) if c.contains("UnauthorizedOperation") => Some("ec2".to_string()),
                _ => None,
            };
            if let Some(svc) = svc {
                p.action = Some(action_for_operation(&svc, op).0);
            }
        }
    }
    Some(p)
}

/// Reads `with an explicit deny in a … [: ARN [(Name)]]` or `because no … allows the X action`.
fn read_reason(rest: &str, p: &mut ParsedError) {
    let lower = rest.to_ascii_lowercase();
    let explicit_at = ["with an explicit deny in ", "due to an explicit deny in "]
        .iter()
        .find_map(|k| lower.find(k).map(|i| i + k.len()));
    if let Some(start) = explicit_at {
        p.explicit = Some(true);
        let tail = &rest[start..];
        let tail = ["a ", "an ", "the "]
            .iter()
            .find_map(|a| tail.strip_prefix(a))
            .unwrap_or(tail);
        let stops = [":", " transitively", ". ", " Go to ", " Encoded "];
        let k = stops
            .iter()
            .filter_map(|s| tail.find(s))
            .min()
            .unwrap_or(tail.len());
        let phrase = trim_sentence_end(&tail[..k]);
        p.layer = layer_from_phrase(phrase);
        p.phrase = Some(phrase.to_string());
        p.transitive_scp = tail
            .to_ascii_lowercase()
            .contains("transitively through a service control policy");
        read_arn_suffix(&tail[k..], p);
        return;
    }
    if let Some(i) = lower.find("because no ") {
        let tail = &rest[i + "because no ".len()..];
        if let Some(k) = tail.find(" allows the ") {
            p.explicit = Some(false);
            let phrase = tail[..k].trim();
            p.layer = layer_from_phrase(phrase);
            p.phrase = Some(phrase.to_string());
            let after = &tail[k + " allows the ".len()..];
            if let Some(j) = after.find(" action") {
                read_arn_suffix(&after[j + " action".len()..], p);
            }
            return;
        }
    }
    // An older trust-policy typo: "because the role trust policy allows the sts:AssumeRole
    // action" (§6.2 history) still means an implicit deny in the trust policy.
    if lower.contains("because the role trust policy allows") {
        p.explicit = Some(false);
        p.layer = Some("resource");
        p.phrase = Some("role trust policy".into());
        return;
    }
    if let Some(i) = lower.find("because ") {
        let reason = trim_sentence_end(&rest[i..]);
        if !reason.is_empty() {
            p.special_reason = Some(reason.to_string());
        }
    }
}

/// `: arn:… (Name)` after the policy type (§6.5).
fn read_arn_suffix(s: &str, p: &mut ParsedError) {
    let Some(arn_part) = s.trim_start().strip_prefix(':') else {
        return;
    };
    let arn_part = arn_part.trim_start();
    if !arn_part.starts_with("arn:") {
        return;
    }
    let arn = arn_part.split_whitespace().next().unwrap_or("");
    let arn = trim_sentence_end(arn);
    p.policy_arn = Some(arn.to_string());
    let after = arn_part[arn_part.find(arn).map(|k| k + arn.len()).unwrap_or(0)..].trim_start();
    if let Some(n) = after.strip_prefix('(') {
        if let Some(k) = n.find(')') {
            p.policy_name = Some(n[..k].trim().to_string());
        }
    }
}

/// The claim an error text makes.
pub(crate) fn observed(p: &ParsedError, source: ArtefactKind) -> Observed {
    Observed {
        source: Some(source),
        decision: Observed::denied(p.explicit),
        explicit: p.explicit,
        layer: p.layer.map(str::to_string),
        policy_arn: p.policy_arn.clone(),
        policy_name: p.policy_name.clone(),
        message: Some(p.message.clone()),
        error_code: p.error_code.clone(),
        authorization_id: p.authorization_id.clone(),
        action: p.action.clone(),
        principal: p.principal.clone(),
        resource: p.resource.clone(),
        ..Default::default()
    }
}

/// Notes every reader of a parsed error shares (decode command, troubleshooter id, reasons).
pub(crate) fn notes_for(p: &ParsedError, notes: &mut Vec<String>) {
    if let Some(enc) = &p.encoded_message {
        notes.push(format!(
            "the message carries an encoded authorization message; decode it (needs sts:DecodeAuthorizationMessage) and paste the output here for the full request context: aws sts decode-authorization-message --encoded-message '{enc}'"
        ));
    }
    if let Some(id) = &p.authorization_id {
        notes.push(format!(
            "the message carries an Access Troubleshooter authorization id; for AWS's full evaluation run (needs iam:GetRequestAuthorizationDetails) and paste the output here: aws iam-toolbox get-request-authorization-details --authorization-id {id}"
        ));
    }
    if let (Some(phrase), None) = (&p.phrase, p.layer) {
        notes.push(format!(
            "AWS named the policy type '{phrase}', which iamtrace does not know (is the text cut short?); the layer is left open"
        ));
    }
    if p.transitive_scp {
        notes.push("AWS says the VPC endpoint policy denied transitively through a service control policy: the SCP's deny reached this request through the endpoint; look at both the VPC endpoint policy and the SCPs".into());
    }
    if let Some(r) = &p.special_reason {
        notes.push(format!(
            "AWS gave a reason that is not a policy layer: {r}; iamtrace does not model it"
        ));
    }
    if p.explicit.is_none() && p.encoded_message.is_none() {
        notes.push("the message does not say whether the deny was explicit or implicit, nor which policy type denied (an older or service-specific form, §6.4); the claim only says \"denied\"".into());
    }
    if p.message.eq_ignore_ascii_case("forbidden") || p.error_code.as_deref() == Some("Forbidden") {
        notes.push("an HTTP 403 without a message (S3 HEAD requests carry no error body): most likely an authorization failure, but AWS does not say; for the reason, make the same request as a GET or look up the CloudTrail event".into());
    }
    if p.unclosed_quote {
        notes.push("the quoted resource has no closing quote: the text may be cut short; check the resource".into());
    }
}

/// Imports error text as a scenario.
pub(crate) fn import(text: &str) -> Result<Import, ImportError> {
    if let Some(code) = AUTHENTICATION_CODES.iter().find(|c| text.contains(*c)) {
        if !text.contains("is not authorized to perform") {
            return Err(ImportError::new(format!(
                "not recognised: {code} is an authentication error (the credentials or the signature were refused), not an authorization denial; no policy was evaluated, so there is nothing to reproduce"
            )));
        }
    }
    let Some(p) = parse(text) else {
        return Err(ImportError::new(format!(
            "not recognised: the text is not JSON and is not an AccessDenied message (none of 'is not authorized to perform', 'Access Denied', 'AccessDenied', 'UnauthorizedOperation', 'Encoded authorization failure message' appears): \"{}\"",
            short(text.trim(), 80)
        )));
    };
    let mut filled = Vec::new();
    let mut notes = Vec::new();
    let mut request = ScenarioRequest::default();
    if let Some(pr) = &p.principal {
        if pr == "anonymous" {
            notes.push("AWS names the caller 'anonymous': an unsigned request".into());
            filled.push("principal (anonymous)".to_string());
        } else {
            request.principal = Some(pr.clone());
            filled.push("principal".to_string());
        }
    } else {
        notes.push("the message does not name the caller; set the principal before evaluating (an empty principal means an anonymous request)".into());
    }
    match &p.action {
        Some(a) => {
            request.action = a.clone();
            filled.push("action".to_string());
            if !p.message.contains(a.as_str()) {
                notes.push(format!(
                    "the action {a} was derived from the SDK's operation name, not printed by AWS; check it"
                ));
            }
        }
        None => {
            notes.push("the message does not name the action; fill it in before evaluating".into())
        }
    }
    match &p.resource {
        Some(r) => {
            request.resource = r.clone();
            filled.push("resource".to_string());
        }
        None => {
            request.resource = "*".into();
            notes.push("the message names no resource (AWS omits it in some messages, §6.1); the resource is set to \"*\": replace it with the resource ARN if the action has resource-level permissions".into());
        }
    }
    notes_for(&p, &mut notes);
    let obs = observed(&p, ArtefactKind::ErrorText);
    let what = match (p.explicit, p.layer) {
        (Some(true), Some(l)) => format!("an explicit deny in {}", super::observed::layer_title(l)),
        (Some(false), Some(l)) => format!(
            "an implicit deny (no {} allows it)",
            super::observed::layer_title(l)
                .trim_start_matches("an ")
                .trim_start_matches("a ")
        ),
        _ if p.encoded_message.is_some() => "an encoded authorization failure".to_string(),
        _ => "a denial that names no reason".to_string(),
    };
    let form = match p.wrapper {
        Some(w) => format!("an AccessDenied message inside an {w} error"),
        None => "an AccessDenied message".to_string(),
    };
    let who = p
        .principal
        .as_deref()
        .map(|pr| format!(" for {pr}"))
        .unwrap_or_default();
    let recognised = format!("{form}{who}: {what}");
    let scenario = Scenario {
        version: crate::scenario::CURRENT_VERSION,
        request,
        observed: Some(obs.to_json()),
        ..Default::default()
    };
    Ok(Import {
        kind: ArtefactKind::ErrorText,
        scenario,
        recognised,
        filled,
        notes,
        candidates: Vec::new(),
        choices: Vec::new(),
    })
}
