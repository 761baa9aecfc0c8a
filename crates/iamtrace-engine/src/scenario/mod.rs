//! The scenario file: the whole case (request, policies per layer, optional expectation and AWS's
//! own claim). This one format is what the CLI reads, the page downloads and uploads, and the
//! permalink carries. See `docs/scenario.md`.
//!
//! Reading keeps source spans: each policy document remembers where it sits in the file, so a
//! trace can say "scenario.json:14". Unknown fields are kept (and written back) with a warning.

use crate::policy::envelope::{unwrap_cli_output, unwrap_value, Unwrapped};
use crate::policy::json::{self, Json, JsonError, JsonKind};
use crate::policy::Span;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The newest scenario format version this build writes. Every older version stays readable.
pub const CURRENT_VERSION: u32 = 1;

/// A whole case.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scenario {
    /// Format version (absent in a file: 1, the format of `../shared/conformance`).
    pub version: u32,
    pub title: Option<String>,
    /// Where the case comes from (an AWS doc URL, a ticket…).
    pub source: Option<String>,
    pub request: ScenarioRequest,
    pub policies: ScenarioPolicies,
    pub expect: Option<Expectation>,
    /// What AWS itself said (filled by importers; compared after evaluation).
    pub observed: Option<Value>,
    /// Facts about the accounts that the request alone does not carry.
    pub options: ScenarioOptions,
    /// Top-level fields this version does not know, kept as they were.
    pub extra: Map<String, Value>,
}

/// The request of a scenario, as written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScenarioRequest {
    /// The caller ARN or service principal; `None` for an unsigned (anonymous) request.
    pub principal: Option<String>,
    pub action: String,
    pub resource: String,
    /// The account that owns the resource, when the ARN does not say or differs from the caller's.
    pub resource_account: Option<String>,
    /// Context keys as given: key → string, number, boolean or list.
    pub context: Map<String, Value>,
    pub extra: Map<String, Value>,
}

/// Facts about the setting that change which layers apply.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ScenarioOptions {
    /// The caller's account is the organization's management account (SCPs do not apply, §1.6).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub caller_is_management_account: bool,
    /// The resource owner is the management account (RCPs do not apply, §1.7).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub resource_in_management_account: bool,
    /// The caller's IAM user or role has a permissions boundary even though none is pasted
    /// (matters for `NotPrincipal`, §1.4).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub caller_has_permissions_boundary: bool,
}

/// A policy of some layer: the document text plus an optional name and ARN.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PolicySource {
    pub name: Option<String>,
    /// The policy's ARN (managed policies, SCPs, RCPs), printed in AWS's message suffix (§6.5).
    pub arn: Option<String>,
    /// The document as JSON text.
    pub text: String,
    /// Where `text` sits in the scenario file, when it was read from one and not re-encoded
    /// (a document given as a JSON string has no usable base: spans are relative to the string).
    pub base: Option<Span>,
    /// The document was given as a (possibly URL-encoded) JSON string, as AWS APIs return it.
    pub was_string: bool,
}

/// The policies of each layer. `None` means "this layer does not apply" (not in an organization,
/// no boundary, no endpoint…), which differs from a present but empty policy.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScenarioPolicies {
    pub identity: Option<Vec<PolicySource>>,
    pub resource: Option<PolicySource>,
    pub permissions_boundary: Option<PolicySource>,
    /// One list of attached SCPs per level, from the organization root down to the caller's account.
    pub scp: Option<Vec<Vec<PolicySource>>>,
    /// One list of attached RCPs per level, from the root down to the resource owner's account.
    pub rcp: Option<Vec<Vec<PolicySource>>>,
    pub session: Option<Vec<PolicySource>>,
    pub vpc_endpoint: Option<PolicySource>,
    pub extra: Map<String, Value>,
}

/// The decision a scenario expects, as in `../shared/conformance`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expectation {
    /// `allowed`, `explicit_deny` or `implicit_deny`.
    pub decision: String,
    /// The layer AWS blames, `null` when allowed.
    #[serde(default)]
    pub denied_by: Option<String>,
}

/// Why a scenario could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScenarioError {
    pub message: String,
    pub span: Span,
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} at line {}, column {}",
            self.message, self.span.line, self.span.column
        )
    }
}

impl std::error::Error for ScenarioError {}

impl From<JsonError> for ScenarioError {
    fn from(e: JsonError) -> Self {
        ScenarioError {
            message: e.message,
            span: e.span,
        }
    }
}

/// A scenario read from text, with warnings about what was ignored.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedScenario {
    pub scenario: Scenario,
    pub warnings: Vec<ScenarioError>,
    /// What the reader did that the user should know: "Read the policy document from the output
    /// of aws s3api get-bucket-policy." for a layer given as raw AWS CLI output.
    pub notes: Vec<ScenarioError>,
}

const LAYER_KEYS: [&str; 7] = [
    "identity",
    "resource",
    "permissions_boundary",
    "scp",
    "rcp",
    "session",
    "vpc_endpoint",
];

impl Scenario {
    /// Reads a scenario file of any version this build knows.
    pub fn parse(text: &str) -> Result<ParsedScenario, ScenarioError> {
        let root = json::parse(text)?;
        let mut r = Reader {
            text,
            warnings: Vec::new(),
            notes: Vec::new(),
        };
        let scenario = r.scenario(&root)?;
        Ok(ParsedScenario {
            scenario,
            warnings: r.warnings,
            notes: r.notes,
        })
    }

    /// Writes the scenario as JSON in the current version. Policy documents are written as JSON
    /// objects when their text is valid JSON, else as the string the user typed (never lost).
    pub fn to_json(&self) -> Value {
        let mut o = Map::new();
        o.insert("version".into(), Value::from(CURRENT_VERSION));
        if let Some(t) = &self.title {
            o.insert("title".into(), Value::String(t.clone()));
        }
        if let Some(s) = &self.source {
            o.insert("source".into(), Value::String(s.clone()));
        }
        let mut req = Map::new();
        req.insert(
            "principal".into(),
            self.request
                .principal
                .clone()
                .map(Value::String)
                .unwrap_or(Value::Null),
        );
        req.insert("action".into(), Value::String(self.request.action.clone()));
        req.insert(
            "resource".into(),
            Value::String(self.request.resource.clone()),
        );
        if let Some(a) = &self.request.resource_account {
            req.insert("resource_account".into(), Value::String(a.clone()));
        }
        req.insert(
            "context".into(),
            Value::Object(self.request.context.clone()),
        );
        for (k, v) in &self.request.extra {
            req.insert(k.clone(), v.clone());
        }
        o.insert("request".into(), Value::Object(req));

        let p = &self.policies;
        let mut pol = Map::new();
        let list =
            |v: &Vec<PolicySource>| Value::Array(v.iter().map(PolicySource::to_json).collect());
        if let Some(v) = &p.identity {
            pol.insert("identity".into(), list(v));
        }
        if let Some(v) = &p.resource {
            pol.insert("resource".into(), v.to_json());
        }
        if let Some(v) = &p.permissions_boundary {
            pol.insert("permissions_boundary".into(), v.to_json());
        }
        if let Some(levels) = &p.scp {
            pol.insert(
                "scp".into(),
                Value::Array(levels.iter().map(list).collect()),
            );
        }
        if let Some(levels) = &p.rcp {
            pol.insert(
                "rcp".into(),
                Value::Array(levels.iter().map(list).collect()),
            );
        }
        if let Some(v) = &p.session {
            pol.insert("session".into(), list(v));
        }
        if let Some(v) = &p.vpc_endpoint {
            pol.insert("vpc_endpoint".into(), v.to_json());
        }
        for (k, v) in &p.extra {
            pol.insert(k.clone(), v.clone());
        }
        o.insert("policies".into(), Value::Object(pol));
        let opts = serde_json::to_value(&self.options).unwrap_or(Value::Null);
        if opts.as_object().is_some_and(|m| !m.is_empty()) {
            o.insert("options".into(), opts);
        }
        if let Some(e) = &self.expect {
            o.insert(
                "expect".into(),
                serde_json::to_value(e).unwrap_or(Value::Null),
            );
        }
        if let Some(obs) = &self.observed {
            o.insert("observed".into(), obs.clone());
        }
        for (k, v) in &self.extra {
            o.insert(k.clone(), v.clone());
        }
        Value::Object(o)
    }

    /// The scenario as pretty JSON text.
    pub fn to_json_string(&self) -> String {
        serde_json::to_string_pretty(&self.to_json()).unwrap_or_default()
    }
}

impl PolicySource {
    /// A policy from its document text alone.
    pub fn from_text(text: impl Into<String>) -> Self {
        PolicySource {
            text: text.into(),
            ..Default::default()
        }
    }

    fn document_json(&self) -> Value {
        serde_json::from_str::<Value>(&self.text)
            .unwrap_or_else(|_| Value::String(self.text.clone()))
    }

    fn to_json(&self) -> Value {
        if self.name.is_none() && self.arn.is_none() {
            return self.document_json();
        }
        let mut o = Map::new();
        if let Some(n) = &self.name {
            o.insert("name".into(), Value::String(n.clone()));
        }
        if let Some(a) = &self.arn {
            o.insert("arn".into(), Value::String(a.clone()));
        }
        o.insert("document".into(), self.document_json());
        Value::Object(o)
    }
}

struct Reader<'a> {
    text: &'a str,
    warnings: Vec<ScenarioError>,
    notes: Vec<ScenarioError>,
}

fn err(message: impl Into<String>, span: Span) -> ScenarioError {
    ScenarioError {
        message: message.into(),
        span,
    }
}

impl<'a> Reader<'a> {
    fn warn_unknown(&mut self, m: &json::Member, place: &str) {
        self.warnings.push(err(
            format!(
                "unknown field '{}' in {place}: kept, but not used",
                m.key.value
            ),
            m.key.span,
        ));
    }

    fn opt_string(&self, v: &Json, what: &str) -> Result<Option<String>, ScenarioError> {
        match &v.kind {
            JsonKind::Null => Ok(None),
            JsonKind::String(s) => Ok(Some(s.clone())),
            _ => Err(err(
                format!("'{what}' must be a string, found {}", v.kind_name()),
                v.span,
            )),
        }
    }

    fn scenario(&mut self, root: &Json) -> Result<Scenario, ScenarioError> {
        let members = root.as_object().ok_or_else(|| {
            err(
                format!("a scenario is a JSON object, found {}", root.kind_name()),
                root.span,
            )
        })?;
        let mut s = Scenario {
            version: 1,
            ..Default::default()
        };
        let mut saw_request = false;
        for m in members {
            let v = &m.value;
            match m.key.value.as_str() {
                "version" => {
                    let n = match &v.kind {
                        JsonKind::Number(n) => n.parse::<u32>().ok(),
                        _ => None,
                    }
                    .ok_or_else(|| err("'version' must be a positive whole number", v.span))?;
                    if n == 0 {
                        return Err(err("'version' must be 1 or more", v.span));
                    }
                    if n > CURRENT_VERSION {
                        return Err(err(
                            format!(
                                "this scenario is format version {n}, newer than this iamtrace reads (up to {CURRENT_VERSION}); update iamtrace"
                            ),
                            v.span,
                        ));
                    }
                    s.version = n;
                }
                "title" => s.title = self.opt_string(v, "title")?,
                "source" => s.source = self.opt_string(v, "source")?,
                "request" => {
                    s.request = self.request(v)?;
                    saw_request = true;
                }
                "policies" => s.policies = self.policies(v)?,
                "expect" => {
                    if !matches!(v.kind, JsonKind::Null) {
                        s.expect = Some(
                            serde_json::from_value(v.to_value())
                                .map_err(|e| err(format!("'expect' is malformed: {e}"), v.span))?,
                        );
                    }
                }
                "observed" => {
                    if !matches!(v.kind, JsonKind::Null) {
                        s.observed = Some(v.to_value());
                    }
                }
                "options" => {
                    s.options = serde_json::from_value(v.to_value())
                        .map_err(|e| err(format!("'options' is malformed: {e}"), v.span))?;
                }
                _ => {
                    self.warn_unknown(m, "the scenario");
                    s.extra.insert(m.key.value.clone(), v.to_value());
                }
            }
        }
        if !saw_request {
            return Err(err("the scenario has no 'request'", root.span));
        }
        Ok(s)
    }

    fn request(&mut self, v: &Json) -> Result<ScenarioRequest, ScenarioError> {
        let members = v.as_object().ok_or_else(|| {
            err(
                format!("'request' must be an object, found {}", v.kind_name()),
                v.span,
            )
        })?;
        let mut r = ScenarioRequest::default();
        let (mut saw_action, mut saw_resource) = (false, false);
        for m in members {
            let mv = &m.value;
            match m.key.value.as_str() {
                "principal" => r.principal = self.opt_string(mv, "principal")?,
                "action" => {
                    r.action = self.opt_string(mv, "action")?.unwrap_or_default();
                    saw_action = true;
                }
                "resource" => {
                    r.resource = self.opt_string(mv, "resource")?.unwrap_or_default();
                    saw_resource = true;
                }
                "resource_account" => {
                    r.resource_account = self.opt_string(mv, "resource_account")?
                }
                "context" => match mv.to_value() {
                    Value::Object(map) => r.context = map,
                    Value::Null => {}
                    _ => return Err(err("'context' must be an object of key → value", mv.span)),
                },
                _ => {
                    self.warn_unknown(m, "the request");
                    r.extra.insert(m.key.value.clone(), mv.to_value());
                }
            }
        }
        if !saw_action {
            return Err(err("the request has no 'action'", v.span));
        }
        if !saw_resource {
            return Err(err("the request has no 'resource' (use \"*\" for actions without resource-level permissions)", v.span));
        }
        Ok(r)
    }

    fn policies(&mut self, v: &Json) -> Result<ScenarioPolicies, ScenarioError> {
        let members = v.as_object().ok_or_else(|| {
            err(
                format!("'policies' must be an object, found {}", v.kind_name()),
                v.span,
            )
        })?;
        let mut p = ScenarioPolicies::default();
        for m in members {
            let mv = &m.value;
            if matches!(mv.kind, JsonKind::Null) && LAYER_KEYS.contains(&m.key.value.as_str()) {
                continue;
            }
            match m.key.value.as_str() {
                "identity" => p.identity = Some(self.policy_list(mv, "identity")?),
                "session" => p.session = Some(self.policy_list(mv, "session")?),
                "resource" => p.resource = Some(self.policy(mv, "resource")?),
                "permissions_boundary" => {
                    p.permissions_boundary = Some(self.policy(mv, "permissions_boundary")?)
                }
                "vpc_endpoint" => p.vpc_endpoint = Some(self.policy(mv, "vpc_endpoint")?),
                "scp" => p.scp = Some(self.levels(mv, "scp")?),
                "rcp" => p.rcp = Some(self.levels(mv, "rcp")?),
                _ => {
                    self.warn_unknown(m, "'policies'");
                    p.extra.insert(m.key.value.clone(), mv.to_value());
                }
            }
        }
        Ok(p)
    }

    fn levels(&mut self, v: &Json, layer: &str) -> Result<Vec<Vec<PolicySource>>, ScenarioError> {
        let items = v.as_array().ok_or_else(|| {
            err(
                format!("'{layer}' must be a list of levels (root → OUs → account), each a list of policies"),
                v.span,
            )
        })?;
        items
            .iter()
            .map(|lvl| self.policy_list(lvl, layer))
            .collect()
    }

    fn policy_list(&mut self, v: &Json, layer: &str) -> Result<Vec<PolicySource>, ScenarioError> {
        match &v.kind {
            JsonKind::Array(items) => items.iter().map(|p| self.policy(p, layer)).collect(),
            // A single policy where a list is expected: accept it as a list of one.
            JsonKind::Object(_) | JsonKind::String(_) => Ok(vec![self.policy(v, layer)?]),
            _ => Err(err(
                format!(
                    "'{layer}' must be a list of policies, found {}",
                    v.kind_name()
                ),
                v.span,
            )),
        }
    }

    fn policy(&mut self, v: &Json, layer: &str) -> Result<PolicySource, ScenarioError> {
        match &v.kind {
            JsonKind::Object(_) if v.get("document").is_some() => {
                let mut p = self.document(v.get("document").unwrap_or(v), layer)?;
                for m in v.as_object().unwrap_or_default() {
                    match m.key.value.as_str() {
                        "name" => p.name = self.opt_string(&m.value, "name")?,
                        "arn" => p.arn = self.opt_string(&m.value, "arn")?,
                        "document" => {}
                        _ => self.warn_unknown(m, &format!("a '{layer}' policy")),
                    }
                }
                Ok(p)
            }
            _ => self.document(v, layer),
        }
    }

    /// The output of an AWS CLI command that fetches a policy, unwrapped (with a note).
    fn envelope(&mut self, u: Option<Unwrapped>, span: Span) -> Option<PolicySource> {
        let u = u?;
        self.notes.push(err(u.note, span));
        Some(PolicySource {
            text: u.document_text,
            name: u.name,
            arn: u.arn,
            base: None,
            was_string: true,
        })
    }

    fn document(&mut self, v: &Json, layer: &str) -> Result<PolicySource, ScenarioError> {
        match &v.kind {
            JsonKind::Object(_) => {
                if v.get("Statement").is_none() {
                    if let Some(p) = self.envelope(unwrap_value(&v.to_value()), v.span) {
                        return Ok(p);
                    }
                }
                Ok(PolicySource {
                    text: self.text[v.span.start..v.span.end].to_string(),
                    base: Some(v.span),
                    ..Default::default()
                })
            }
            JsonKind::String(s) => {
                let decoded = decode_document_string(s);
                if let Some(p) = self.envelope(unwrap_cli_output(&decoded), v.span) {
                    return Ok(p);
                }
                Ok(PolicySource { text: decoded, was_string: true, ..Default::default() })
            }
            _ => Err(err(
                format!("a '{layer}' policy must be a policy document (object), a JSON string, or {{name, arn, document}}; found {}", v.kind_name()),
                v.span,
            )),
        }
    }
}

/// A policy document given as a string: plain JSON text, or URL-encoded as IAM's APIs return it
/// (`%7B%22Version%22…`). Returns the JSON text.
pub fn decode_document_string(s: &str) -> String {
    let trimmed = s.trim_start();
    if trimmed.starts_with('{') {
        return s.to_string();
    }
    if trimmed.starts_with('%') {
        if let Ok(decoded) = percent_encoding::percent_decode_str(s).decode_utf8() {
            // IAM encodes with '+' for spaces in some outputs.
            let d = decoded.replace('+', " ");
            if d.trim_start().starts_with('{') {
                return if serde_json::from_str::<Value>(&decoded).is_ok() {
                    decoded.into_owned()
                } else {
                    d
                };
            }
        }
    }
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_conformance_fixture() {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/conformance"
        );
        let mut n = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let parsed =
                Scenario::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(
                parsed.warnings.is_empty(),
                "{}: {:?}",
                path.display(),
                parsed.warnings
            );
            assert!(parsed.scenario.expect.is_some());
            n += 1;
        }
        assert!(n >= 80);
    }

    #[test]
    fn absent_layer_differs_from_empty() {
        let s = Scenario::parse(
            r#"{"request":{"principal":null,"action":"s3:GetObject","resource":"*"},
                "policies":{"identity":[],"permissions_boundary":null,"scp":[[{"Statement":[]}]]}}"#,
        )
        .unwrap()
        .scenario;
        assert_eq!(s.policies.identity, Some(vec![]));
        assert_eq!(s.policies.permissions_boundary, None);
        assert_eq!(s.policies.scp.as_ref().map(|l| l.len()), Some(1));
        assert_eq!(s.request.principal, None);
    }

    #[test]
    fn documents_keep_their_place_and_strings_decode() {
        let text = r#"{"request":{"action":"a:b","resource":"*"},
 "policies":{"identity":[{"name":"p","arn":"arn:aws:iam::1:policy/p","document":{"Statement":[]}},
   "%7B%22Statement%22%3A%5B%5D%7D"]}}"#;
        let s = Scenario::parse(text).unwrap().scenario;
        let ids = s.policies.identity.unwrap();
        assert_eq!(ids[0].name.as_deref(), Some("p"));
        assert_eq!(ids[0].text, r#"{"Statement":[]}"#);
        assert_eq!(ids[0].base.unwrap().line, 2);
        assert_eq!(ids[1].text, r#"{"Statement":[]}"#);
    }

    #[test]
    fn unknown_fields_warn_and_survive_round_trip() {
        let text =
            r#"{"request":{"action":"a:b","resource":"*","color":"red"},"policies":{},"zzz":1}"#;
        let p = Scenario::parse(text).unwrap();
        assert_eq!(p.warnings.len(), 2);
        let again = Scenario::parse(&p.scenario.to_json_string())
            .unwrap()
            .scenario;
        assert_eq!(again.extra.get("zzz"), Some(&Value::from(1)));
        assert_eq!(again.request.extra.get("color"), Some(&Value::from("red")));
    }

    #[test]
    fn written_policies_keep_the_users_member_order() {
        // IAM has rejected policies whose Version follows Statement (§8-Q11): never reorder.
        let text = r#"{"request":{"action":"a:b","resource":"*"},
            "policies":{"identity":[{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"*","Resource":"*"}]}]}}"#;
        let s = Scenario::parse(text).unwrap().scenario;
        let out = s.to_json_string();
        let v = out.find("\"Version\"").unwrap();
        let st = out.find("\"Statement\"").unwrap();
        assert!(v < st, "{out}");
        assert!(out.find("\"Sid\"").unwrap() < out.find("\"Effect\"").unwrap());
    }

    #[test]
    fn layers_given_as_raw_cli_output_decide_like_the_bare_documents() {
        // The shapes of `aws s3api get-bucket-policy` and `aws organizations describe-policy`
        // (AWS CLI command reference).
        let bucket = r#"{"Statement":[{"Sid":"DenyGet","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
        let scp = r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
        let request = r#""request":{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"}"#;
        let identity =
            r#""identity":[{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}]"#;
        let bare = format!(
            r#"{{{request},"policies":{{{identity},"resource":{bucket},"scp":[[{scp}]]}}}}"#
        );
        let raw = format!(
            r#"{{{request},"policies":{{{identity},"resource":{{"Policy":{}}},"scp":[[{{"Policy":{{"PolicySummary":{{"Id":"p-abc123","Arn":"arn:aws:organizations::111122223333:policy/o-abc/service_control_policy/p-abc123","Name":"FullAccess","Type":"SERVICE_CONTROL_POLICY"}},"Content":{}}}}}]]}}}}"#,
            serde_json::to_string(bucket).unwrap(),
            serde_json::to_string(scp).unwrap()
        );
        let a = Scenario::parse(&bare).unwrap();
        let b = Scenario::parse(&raw).unwrap();
        assert!(b.warnings.is_empty(), "{:?}", b.warnings);
        assert_eq!(b.notes.len(), 2);
        assert!(b.notes[0].message.contains("aws s3api get-bucket-policy"));
        let scp_source = &b.scenario.policies.scp.as_ref().unwrap()[0][0];
        assert_eq!(scp_source.name.as_deref(), Some("FullAccess"));
        let (ea, eb) = (
            crate::decision::evaluate(&a.scenario),
            crate::decision::evaluate(&b.scenario),
        );
        assert_eq!(ea.decision, crate::decision::Decision::ExplicitDeny);
        assert_eq!((ea.decision, ea.denied_by), (eb.decision, eb.denied_by));
    }

    #[test]
    fn future_versions_are_refused_clearly() {
        let e = Scenario::parse(r#"{"version":99,"request":{"action":"a:b","resource":"*"}}"#)
            .unwrap_err();
        assert!(e.message.contains("newer"));
    }
}
