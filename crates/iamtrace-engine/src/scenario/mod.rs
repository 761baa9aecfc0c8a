//! The scenario file: the whole case (request, policies per layer, optional expectation and AWS's
//! own claim). This one format is what the CLI reads, the page downloads and uploads, and the
//! permalink carries. See `docs/scenario.md`.
//!
//! Reading keeps source spans: each policy document remembers where it sits in the file, so a
//! trace can say "scenario.json:14". Unknown fields are kept (and written back) with a warning.

use crate::policy::envelope::{unwrap_cli_output, unwrap_value, Unwrapped};
use crate::policy::json::{self, Json, JsonError, JsonKind};
use crate::policy::Span;
use crate::request::{too_many_values, MAX_VALUES_PER_KEY};
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
    /// Options this version does not know, kept as they were.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The option names of [`ScenarioOptions`], as written in a file.
pub const OPTION_NAMES: [&str; 3] = [
    "caller_is_management_account",
    "resource_in_management_account",
    "caller_has_permissions_boundary",
];

/// The values `expect.decision` may take.
pub const EXPECTED_DECISIONS: [&str; 3] = ["allowed", "explicit_deny", "implicit_deny"];

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
    /// Where that JSON string (or the AWS CLI output it was unwrapped from) sits in the file:
    /// errors inside the document are reported relative to it.
    pub string_at: Option<Span>,
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

/// Whether `serde_json::Value` keeps everything the policy reader sees in this JSON: no object
/// repeats a member, and every number is written as serde_json writes it.
fn faithful(j: &Json) -> bool {
    match &j.kind {
        JsonKind::Object(members) => members.iter().enumerate().all(|(i, m)| {
            faithful(&m.value)
                && !members[..i]
                    .iter()
                    .any(|earlier| earlier.key.value == m.key.value)
        }),
        JsonKind::Array(items) => items.iter().all(faithful),
        JsonKind::Number(n) => serde_json::from_str::<Value>(n).is_ok_and(|v| {
            let written = v.to_string();
            written.as_str() == n.as_str()
        }),
        JsonKind::Null | JsonKind::Bool(_) | JsonKind::String(_) => true,
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

    /// The document as a JSON object when that object says exactly what the text says, else the
    /// text as a string. `serde_json::Value` keeps only the last of duplicate members (the policy
    /// reader merges repeated `Action`/`Resource` lists) and rewrites numbers (`1.50`, `1e3`, long
    /// digit strings), so such a document, written as an object, would read back meaning
    /// something else.
    fn document_json(&self) -> Value {
        match (
            json::parse(&self.text),
            serde_json::from_str::<Value>(&self.text),
        ) {
            (Ok(j), Ok(v)) if faithful(&j) => v,
            _ => Value::String(self.text.clone()),
        }
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

/// The largest exponent written out as digits; beyond it the number keeps its text (and is then
/// no number for the `Numeric…` operators) rather than become a string of millions of zeros.
const MAX_EXPANDED_EXPONENT: i64 = 400;

/// `1e3` → `1000`, `2.50E-1` → `0.25`, exactly (no floating point). `None` for numbers written
/// without an exponent, and for exponents beyond [`MAX_EXPANDED_EXPONENT`].
fn expand_exponent(text: &str) -> Option<String> {
    let (mantissa, exponent) = text.split_once(['e', 'E'])?;
    let exponent: i64 = exponent.parse().ok()?;
    if exponent.abs() > MAX_EXPANDED_EXPONENT {
        return None;
    }
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{int}{frac}");
    let point = i64::try_from(int.len()).ok()? + exponent;
    let len = i64::try_from(digits.len()).ok()?;
    let (int, frac) = if point <= 0 {
        (
            String::new(),
            "0".repeat(usize::try_from(-point).ok()?) + &digits,
        )
    } else if point >= len {
        (
            digits + &"0".repeat(usize::try_from(point - len).ok()?),
            String::new(),
        )
    } else {
        let at = usize::try_from(point).ok()?;
        (digits[..at].to_string(), digits[at..].to_string())
    };
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let frac = frac.trim_end_matches('0');
    let sign = if int == "0" && frac.is_empty() {
        ""
    } else {
        sign
    };
    Some(if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    })
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

    /// A context value with its numbers kept as written: a generic JSON reader turns
    /// `123456789012345678901234567890` into `1.2345678901234568e29`, which no longer equals the
    /// policy's value, while AWS compares the value's text (condition operators page,
    /// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>).
    fn context_value(&mut self, key: &str, v: &Json) -> Value {
        match &v.kind {
            JsonKind::Number(text) => {
                let text = match expand_exponent(text) {
                    Some(plain) => {
                        self.warnings.push(err(
                            format!(
                                "request.context.{key}: {text} is written with an exponent; AWS \
                                 services send numbers as plain digits, so it is compared as \
                                 {plain} (AWS does not document exponent notation in condition \
                                 values; we assume this)"
                            ),
                            v.span,
                        ));
                        plain
                    }
                    None => text.clone(),
                };
                match serde_json::from_str::<Value>(&text) {
                    Ok(Value::Number(n)) if n.to_string() == text => Value::Number(n),
                    _ => Value::String(text),
                }
            }
            JsonKind::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|item| self.context_value(key, item))
                    .collect(),
            ),
            _ => v.to_value(),
        }
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
        no_duplicates(members, "the scenario")?;
        let mut s = Scenario {
            version: 1,
            ..Default::default()
        };
        let mut saw_request = false;
        for m in members {
            let v = &m.value;
            match m.key.value.as_str() {
                "version" => s.version = version(v)?,
                "title" => s.title = self.opt_string(v, "title")?,
                "source" => s.source = self.opt_string(v, "source")?,
                "request" => {
                    s.request = self.request(v)?;
                    saw_request = true;
                }
                "policies" => s.policies = self.policies(v)?,
                "expect" => s.expect = self.expect(v)?,
                "observed" => {
                    if !matches!(v.kind, JsonKind::Null) {
                        s.observed = Some(v.to_value());
                    }
                }
                "options" => s.options = self.options(v)?,
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

    fn options(&mut self, v: &Json) -> Result<ScenarioOptions, ScenarioError> {
        let mut o = ScenarioOptions::default();
        if matches!(v.kind, JsonKind::Null) {
            return Ok(o);
        }
        let members = v.as_object().ok_or_else(|| {
            err(
                format!(
                    "'options' must be an object of option → true/false, found {}",
                    v.kind_name()
                ),
                v.span,
            )
        })?;
        no_duplicates(members, "'options'")?;
        for m in members {
            let name = m.key.value.as_str();
            let flag = match name {
                "caller_is_management_account" => &mut o.caller_is_management_account,
                "resource_in_management_account" => &mut o.resource_in_management_account,
                "caller_has_permissions_boundary" => &mut o.caller_has_permissions_boundary,
                _ => {
                    let hint = did_you_mean(name, &OPTION_NAMES)
                        .map(|k| format!(" (did you mean '{k}'?)"))
                        .unwrap_or_default();
                    self.warnings.push(err(
                        format!(
                            "unknown option '{name}'{hint}: kept, but not used; the options are {}",
                            OPTION_NAMES.join(", ")
                        ),
                        m.key.span,
                    ));
                    o.extra.insert(name.to_string(), m.value.to_value());
                    continue;
                }
            };
            *flag = match m.value.kind {
                JsonKind::Bool(b) => b,
                JsonKind::Null => false,
                _ => {
                    return Err(err(
                        format!(
                            "option '{name}' must be true or false, found {}",
                            m.value.kind_name()
                        ),
                        m.value.span,
                    ))
                }
            };
        }
        Ok(o)
    }

    fn expect(&mut self, v: &Json) -> Result<Option<Expectation>, ScenarioError> {
        if matches!(v.kind, JsonKind::Null) {
            return Ok(None);
        }
        let members = v.as_object().ok_or_else(|| {
            err(
                format!(
                    "'expect' must be an object such as {{\"decision\": \"implicit_deny\", \"denied_by\": \"identity\"}}, found {}",
                    v.kind_name()
                ),
                v.span,
            )
        })?;
        no_duplicates(members, "'expect'")?;
        let mut decision = None;
        let mut denied_by: Option<(String, Span)> = None;
        for m in members {
            let mv = &m.value;
            match m.key.value.as_str() {
                "decision" => {
                    let d = mv.as_str().ok_or_else(|| {
                        err(
                            format!(
                                "'expect.decision' must be one of {}, found {}",
                                EXPECTED_DECISIONS.join(", "),
                                mv.kind_name()
                            ),
                            mv.span,
                        )
                    })?;
                    decision = Some((one_of(d, &EXPECTED_DECISIONS, "expect.decision", mv.span)?, mv.span));
                }
                "denied_by" => {
                    denied_by = match &mv.kind {
                        JsonKind::Null => None,
                        JsonKind::String(l) => {
                            Some((one_of(l, &LAYER_KEYS, "expect.denied_by", mv.span)?, mv.span))
                        }
                        _ => {
                            return Err(err(
                                format!(
                                    "'expect.denied_by' must be a layer name ({}) or null when allowed, found {}",
                                    LAYER_KEYS.join(", "),
                                    mv.kind_name()
                                ),
                                mv.span,
                            ))
                        }
                    }
                }
                other => {
                    let hint = did_you_mean(other, &["decision", "denied_by"])
                        .map(|k| format!(" (did you mean '{k}'?)"))
                        .unwrap_or_default();
                    self.warnings.push(err(
                        format!("unknown field '{other}' in 'expect'{hint}: ignored; 'expect' has 'decision' and 'denied_by'"),
                        m.key.span,
                    ));
                }
            }
        }
        let Some((decision, _)) = decision else {
            return Err(err(
                format!(
                    "'expect' has no 'decision' (one of {})",
                    EXPECTED_DECISIONS.join(", ")
                ),
                v.span,
            ));
        };
        if let (Some((layer, span)), "allowed") = (&denied_by, decision.as_str()) {
            return Err(err(
                format!("'expect' says allowed but names the layer '{layer}' in denied_by: an allowed request is denied by no layer, write null"),
                *span,
            ));
        }
        Ok(Some(Expectation {
            decision,
            denied_by: denied_by.map(|(l, _)| l),
        }))
    }

    fn request(&mut self, v: &Json) -> Result<ScenarioRequest, ScenarioError> {
        let members = v.as_object().ok_or_else(|| {
            err(
                format!("'request' must be an object, found {}", v.kind_name()),
                v.span,
            )
        })?;
        no_duplicates(members, "'request'")?;
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
                "context" => {
                    context_keys_once(mv)?;
                    match &mv.kind {
                        JsonKind::Object(members) => {
                            for m in members {
                                if let Some(items) = m.value.as_array() {
                                    if items.len() > MAX_VALUES_PER_KEY {
                                        return Err(err(
                                            too_many_values(&m.key.value, items.len()),
                                            m.value.span,
                                        ));
                                    }
                                }
                                let value = self.context_value(&m.key.value, &m.value);
                                r.context.insert(m.key.value.clone(), value);
                            }
                        }
                        JsonKind::Null => {}
                        _ => {
                            return Err(err("'context' must be an object of key → value", mv.span))
                        }
                    }
                }
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
        no_duplicates(members, "'policies'")?;
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
            JsonKind::Object(members) if v.get("document").is_some() => {
                no_duplicates(members, &format!("a '{layer}' policy entry"))?;
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
            JsonKind::Object(_) if v.get("name").is_some() || v.get("arn").is_some() => Err(err(
                format!(
                    "this '{layer}' entry has name/arn but no document: write the policy under \"document\", as {{\"name\": …, \"arn\": …, \"document\": {{\"Version\": \"2012-10-17\", \"Statement\": […]}}}}"
                ),
                v.span,
            )),
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
            string_at: Some(span),
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
                Ok(PolicySource {
                    text: decoded,
                    was_string: true,
                    string_at: Some(v.span),
                    ..Default::default()
                })
            }
            _ => Err(err(
                format!("a '{layer}' policy must be a policy document (object), a JSON string, or {{name, arn, document}}; found {}", v.kind_name()),
                v.span,
            )),
        }
    }
}

/// Refuses a member named twice in one object: a JSON reader would silently keep the last one.
fn no_duplicates(members: &[json::Member], place: &str) -> Result<(), ScenarioError> {
    for (i, m) in members.iter().enumerate() {
        if let Some(first) = members[..i].iter().find(|f| f.key.value == m.key.value) {
            return Err(err(
                format!(
                    "'{}' appears twice in {place} (first at line {}, column {}); give it once (a JSON reader would silently keep only the last one)",
                    m.key.value, first.key.span.line, first.key.span.column
                ),
                m.key.span,
            ));
        }
    }
    Ok(())
}

/// Refuses a context key given twice, in any spelling: condition keys are case-insensitive.
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html>
fn context_keys_once(v: &Json) -> Result<(), ScenarioError> {
    let Some(members) = v.as_object() else {
        return Ok(());
    };
    for (i, m) in members.iter().enumerate() {
        let key = &m.key.value;
        if let Some(first) = members[..i]
            .iter()
            .find(|f| f.key.value.eq_ignore_ascii_case(key))
        {
            let spelling = if &first.key.value == key {
                String::new()
            } else {
                format!(" as '{}'", first.key.value)
            };
            return Err(err(
                format!(
                    "the context key '{key}' is given twice (first{spelling} at line {}, column {}); condition keys are case-insensitive, so give it once",
                    first.key.span.line, first.key.span.column
                ),
                m.key.span,
            ));
        }
    }
    Ok(())
}

/// `value` when it is one of `valid`, else an error listing them, with a did-you-mean.
fn one_of(value: &str, valid: &[&str], what: &str, span: Span) -> Result<String, ScenarioError> {
    if valid.contains(&value) {
        return Ok(value.to_string());
    }
    let hint = did_you_mean(value, valid)
        .map(|k| format!(" Did you mean '{k}'?"))
        .unwrap_or_default();
    Err(err(
        format!(
            "'{what}' is '{value}', which is not one of {}.{hint}",
            valid.join(", ")
        ),
        span,
    ))
}

/// The one name of `known` that `typed` most plausibly meant: the same apart from case and
/// separators, a prefix or part of it, or a few letters off. `None` when unsure.
pub(crate) fn did_you_mean<'k>(typed: &str, known: &[&'k str]) -> Option<&'k str> {
    let norm = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                '-' | ' ' | '.' => '_',
                c => c.to_ascii_lowercase(),
            })
            .collect()
    };
    let t = norm(typed);
    if t.is_empty() {
        return None;
    }
    if let Some(k) = known.iter().find(|k| norm(k) == t) {
        return Some(k);
    }
    let near: Vec<&str> = known
        .iter()
        .copied()
        .filter(|k| edit_distance(&norm(k), &t) <= 2 + t.chars().count() / 8)
        .collect();
    if let [one] = near[..] {
        return Some(one);
    }
    let parts: Vec<&str> = known
        .iter()
        .copied()
        .filter(|k| {
            let k = norm(k);
            t.chars().count() >= 3 && (k.starts_with(&t) || t.starts_with(&k) || k.contains(&t))
        })
        .collect();
    match parts[..] {
        [one] => Some(one),
        _ => None,
    }
}

/// Levenshtein distance between two short names.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

/// The `version` member: a whole number from 1 to [`CURRENT_VERSION`], each wrong form told apart.
fn version(v: &Json) -> Result<u32, ScenarioError> {
    let text = match &v.kind {
        JsonKind::Number(n) => n.as_str(),
        JsonKind::String(t) if t.trim().parse::<u32>().is_ok() => {
            return Err(err(
                format!("'version' is a number: write {}, without quotes", t.trim()),
                v.span,
            ))
        }
        _ => {
            return Err(err(
                format!(
                    "'version' must be a whole number such as {CURRENT_VERSION}, found {}",
                    v.kind_name()
                ),
                v.span,
            ))
        }
    };
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return match text.parse::<u32>() {
            Ok(0) => Err(err("'version' must be 1 or more (0 is no format version)", v.span)),
            Ok(n) if n <= CURRENT_VERSION => Ok(n),
            _ => Err(err(
                format!(
                    "this scenario is format version {text}, newer than this iamtrace reads: iamtrace knows versions up to {CURRENT_VERSION}; update iamtrace"
                ),
                v.span,
            )),
        };
    }
    if text.starts_with('-') {
        return Err(err(
            format!("'version' must be 1 or more, found {text}"),
            v.span,
        ));
    }
    match text.parse::<f64>() {
        Ok(f) if f.fract() == 0.0 && f >= 1.0 && f <= f64::from(CURRENT_VERSION) => Err(err(
            format!("'version' is a whole number: write {f}, not {text}"),
            v.span,
        )),
        Ok(f) if f.fract() == 0.0 && f > f64::from(CURRENT_VERSION) => Err(err(
            format!(
                "this scenario is format version {text}, newer than this iamtrace reads: iamtrace knows versions up to {CURRENT_VERSION}; update iamtrace"
            ),
            v.span,
        )),
        _ => Err(err(
            format!("'version' must be a whole number from 1 to {CURRENT_VERSION} (the versions iamtrace knows), found {text}"),
            v.span,
        )),
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

/// Where an input error's place (`request.action`, `request.context.aws:SourceIp`, …) sits in the
/// scenario file `text`, so that errors found while deciding (the request's own checks) get a
/// line and column like the reader's. Context keys are found case-insensitively, as AWS reads them.
pub fn locate(text: &str, place: &str) -> Option<Span> {
    let doc = json::parse(text).ok()?;
    let request = doc.get("request")?;
    let field = place.strip_prefix("request.")?;
    if let Some(key) = field.strip_prefix("context.") {
        let context = request.get("context")?.as_object()?;
        return context
            .iter()
            .find(|m| m.key.value.eq_ignore_ascii_case(key))
            .map(|m| m.value.span);
    }
    request.get(field).map(|v| v.span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponents_expand_exactly() {
        for (written, plain) in [
            ("1e3", "1000"),
            ("1E+3", "1000"),
            ("2.50e-1", "0.25"),
            ("-1.5e1", "-15"),
            ("0e5", "0"),
            ("-0.0e0", "0"),
            ("12345678901234567890e-10", "1234567890.123456789"),
            ("5e-3", "0.005"),
        ] {
            assert_eq!(
                expand_exponent(written).as_deref(),
                Some(plain),
                "{written}"
            );
        }
        assert_eq!(expand_exponent("123"), None);
        assert_eq!(expand_exponent("1e401"), None, "no megabyte of zeros");
    }

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
    fn saved_policies_with_duplicate_members_or_rewritten_numbers_keep_their_meaning() {
        // Found by the read_scenario fuzz target: a statement with "Action" twice (the reader
        // merges both lists) was saved as an object holding only the second list, so the saved
        // file denied what the original allowed.
        let text = r#"{"request":{"principal":"arn:aws:iam::111122223333:user/ana","action":"s3:GetObject","resource":"*"},
            "policies":{"identity":[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Action":"ec2:*","Resource":"*"}]},
              {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:PutObject","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":1.50}}}]}]}}"#;
        let original = Scenario::parse(text).unwrap().scenario;
        let saved = original.to_json_string();
        let back = Scenario::parse(&saved).unwrap().scenario;
        let texts = |s: &Scenario| -> Vec<String> {
            let ids = s.policies.identity.as_ref().unwrap();
            ids.iter()
                .map(|p| p.text.split_whitespace().collect())
                .collect()
        };
        assert_eq!(texts(&back), texts(&original), "{saved}");
        let decide = |s: &Scenario| crate::decision::evaluate(s).decision;
        assert_eq!(decide(&back), crate::decision::Decision::Allowed);
        assert_eq!(decide(&back), decide(&original));
        // A document serde_json writes back unchanged is still saved as an object.
        let plain = Scenario::parse(
            r#"{"request":{"action":"a:b","resource":"*"},"policies":{"identity":[{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericEquals":{"k":10}}}]}]}}"#,
        )
        .unwrap()
        .scenario;
        assert!(plain.to_json()["policies"]["identity"][0].is_object());
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

    fn version_error(v: &str) -> String {
        let text = format!(r#"{{"version":{v},"request":{{"action":"a:b","resource":"*"}}}}"#);
        let e = Scenario::parse(&text).unwrap_err();
        assert_eq!((e.span.line, e.span.column), (1, 12), "{v}: {e}");
        e.message
    }

    #[test]
    fn each_wrong_version_gets_its_own_message() {
        assert_eq!(
            version_error("1.0"),
            "'version' is a whole number: write 1, not 1.0"
        );
        assert_eq!(
            version_error("\"1\""),
            "'version' is a number: write 1, without quotes"
        );
        for big in ["4294967296", "99", "2.0"] {
            let m = version_error(big);
            assert!(
                m.contains(&format!("format version {big}, newer"))
                    && m.contains("iamtrace knows versions up to 1"),
                "{m}"
            );
        }
        assert!(version_error("0").contains("1 or more"));
        assert!(version_error("-1").contains("1 or more, found -1"));
        assert!(version_error("1.5").contains("whole number from 1 to 1"));
        assert!(version_error("true").contains("found a boolean"));
        assert!(!version_error("1.0").contains("positive whole number"));
    }

    #[test]
    fn a_named_entry_without_document_is_an_error() {
        let text = r#"{"request":{"action":"a:b","resource":"*"},
 "policies":{"identity":[{"name":"ReadOnly","arn":"arn:aws:iam::111122223333:policy/ReadOnly",
   "Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}]}}"#;
        let e = Scenario::parse(text).unwrap_err();
        assert!(
            e.message
                .starts_with("this 'identity' entry has name/arn but no document"),
            "{e}"
        );
        assert_eq!((e.span.line, e.span.column), (2, 26));
    }

    fn error_of(text: &str) -> ScenarioError {
        Scenario::parse(text).unwrap_err()
    }

    #[test]
    fn duplicate_members_are_positioned_errors() {
        let e = error_of(
            "{\"request\":{\"action\":\"a:b\",\"resource\":\"*\"},\n \"request\":{\"action\":\"c:d\",\"resource\":\"*\"}}",
        );
        assert_eq!(e.message, "'request' appears twice in the scenario (first at line 1, column 2); give it once (a JSON reader would silently keep only the last one)");
        assert_eq!((e.span.line, e.span.column), (2, 2));
        let e = error_of(
            r#"{"request":{"action":"a:b","resource":"*"},"policies":{"identity":[],"identity":[]}}"#,
        );
        assert!(
            e.message
                .starts_with("'identity' appears twice in 'policies'"),
            "{e}"
        );
        let e = error_of(r#"{"request":{"action":"a:b","action":"c:d","resource":"*"}}"#);
        assert!(
            e.message.starts_with("'action' appears twice in 'request'"),
            "{e}"
        );
        assert_eq!(e.span.column, 28);
    }

    #[test]
    fn a_context_key_in_two_spellings_is_an_error() {
        let e = error_of(
            r#"{"request":{"action":"a:b","resource":"*","context":{"aws:SourceIp":"1.2.3.4","aws:sourceip":"5.6.7.8"}}}"#,
        );
        assert!(
            e.message.starts_with("the context key 'aws:sourceip' is given twice (first as 'aws:SourceIp' at line 1, column 54); condition keys are case-insensitive"),
            "{e}"
        );
        assert_eq!(e.span.column, 79);
    }

    #[test]
    fn unknown_options_warn_with_a_suggestion_and_are_kept() {
        let p = Scenario::parse(
            r#"{"request":{"action":"a:b","resource":"*"},"options":{"caller_is_managment_account":true}}"#,
        )
        .unwrap();
        assert_eq!(p.warnings.len(), 1);
        assert!(
            p.warnings[0].message.starts_with("unknown option 'caller_is_managment_account' (did you mean 'caller_is_management_account'?)"),
            "{:?}",
            p.warnings
        );
        assert_eq!(p.warnings[0].span.column, 55);
        assert!(!p.scenario.options.caller_is_management_account);
        let again = Scenario::parse(&p.scenario.to_json_string()).unwrap();
        assert_eq!(
            again
                .scenario
                .options
                .extra
                .get("caller_is_managment_account"),
            Some(&Value::Bool(true))
        );
        let e = error_of(
            r#"{"request":{"action":"a:b","resource":"*"},"options":{"caller_is_management_account":"yes"}}"#,
        );
        assert_eq!(
            e.message,
            "option 'caller_is_management_account' must be true or false, found a string"
        );
    }

    #[test]
    fn expect_values_are_checked_with_readable_messages() {
        let expect = |e: &str| {
            error_of(&format!(
                r#"{{"request":{{"action":"a:b","resource":"*"}},"expect":{e}}}"#
            ))
        };
        let e = expect(r#"{"decision":"allow"}"#);
        assert_eq!(e.message, "'expect.decision' is 'allow', which is not one of allowed, explicit_deny, implicit_deny. Did you mean 'allowed'?");
        assert_eq!(e.span.column, 65);
        let e = expect(r#"{"decision":"implicit_deny","denied_by":"identity-based"}"#);
        assert!(
            e.message
                .contains("not one of identity, resource, permissions_boundary"),
            "{e}"
        );
        assert!(e.message.ends_with("Did you mean 'identity'?"), "{e}");
        let e = expect(r#"{"decision":"implicit_deny","denied_by":"boundary"}"#);
        assert!(
            e.message.ends_with("Did you mean 'permissions_boundary'?"),
            "{e}"
        );
        let e = expect(r#"{"denied_by":"scp"}"#);
        assert!(e.message.starts_with("'expect' has no 'decision'"), "{e}");
        let e = expect(r#""allowed""#);
        assert!(
            e.message.starts_with("'expect' must be an object such as"),
            "{e}"
        );
        let e = expect(r#"{"decision":"allowed","denied_by":"scp"}"#);
        assert!(e.message.contains("denied by no layer"), "{e}");
        for m in [expect(r#"{"decision":1}"#).message, expect("[]").message] {
            assert!(!m.contains("struct") && !m.contains("Expectation"), "{m}");
        }
    }

    #[test]
    fn suggestions_only_when_plausible() {
        assert_eq!(
            did_you_mean("Implicit-Deny", &EXPECTED_DECISIONS),
            Some("implicit_deny")
        );
        assert_eq!(did_you_mean("deny", &EXPECTED_DECISIONS), None);
        assert_eq!(did_you_mean("zzz", &LAYER_KEYS), None);
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
