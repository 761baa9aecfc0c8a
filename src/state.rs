//! The case being edited: plain data the page edits, converted to and from the engine's
//! [`Scenario`] (the same format the CLI reads), kept in local storage, with an undo history.

pub use crate::switch_off::SwitchedOff;
use iamtrace_engine::scenario::{
    Expectation, PolicySource, Scenario, ScenarioOptions, ScenarioPolicies, ScenarioRequest,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::sync::atomic::{AtomicU64, Ordering};

/// Key under which the current case is kept in local storage.
pub const STORAGE_KEY: &str = "iamtrace.case.v1";
/// How many destructive actions can be undone.
const UNDO_DEPTH: usize = 20;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A fresh id for a policy, level or context row (keys for keyed lists; never stored meaning).
pub fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

/// Ids read back from storage must not collide with new ones.
fn see_id(id: u64) {
    NEXT_ID.fetch_max(id + 1, Ordering::Relaxed);
}

/// One policy document with its optional name and ARN.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Doc {
    pub id: u64,
    pub name: String,
    pub arn: String,
    pub text: String,
}

impl Doc {
    pub fn new(text: impl Into<String>) -> Self {
        Doc {
            id: next_id(),
            name: String::new(),
            arn: String::new(),
            text: text.into(),
        }
    }

    fn from_source(p: &PolicySource) -> Self {
        Doc {
            id: next_id(),
            name: p.name.clone().unwrap_or_default(),
            arn: p.arn.clone().unwrap_or_default(),
            text: dedent(
                &p.text,
                p.base.map_or(0, |b| b.column.saturating_sub(1) as usize),
            ),
        }
    }

    fn to_source(&self) -> PolicySource {
        PolicySource {
            name: non_empty(&self.name),
            arn: non_empty(&self.arn),
            ..PolicySource::from_text(self.text.clone())
        }
    }
}

/// One organization level (root, an OU, the account) of SCPs or RCPs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Level {
    pub id: u64,
    pub docs: Vec<Doc>,
}

impl Level {
    pub fn new(docs: Vec<Doc>) -> Self {
        Level {
            id: next_id(),
            docs,
        }
    }
}

/// One row of the context-key table. A list row is multivalued (`aws:TagKeys`…), even with one
/// value; a single row holds exactly one value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContextRow {
    pub id: u64,
    pub key: String,
    pub values: Vec<String>,
    pub multi: bool,
}

/// Which policy document a UI element is about, in the engine's terms
/// (layer name, organization level, position).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DocRef {
    pub layer: Layer,
    pub level: Option<usize>,
    pub index: usize,
}

pub use iamtrace_engine::decision::Layer;

/// The heading of a layer's section on the page, and the name of one of its policies.
pub trait LayerTitle {
    fn title(self) -> &'static str;
    fn noun(self) -> &'static str;
}

impl LayerTitle for Layer {
    fn title(self) -> &'static str {
        match self {
            Layer::Identity => "Identity-based policies",
            Layer::Resource => "Resource-based policy",
            Layer::PermissionsBoundary => "Permissions boundary",
            Layer::Scp => "Service control policies (SCPs)",
            Layer::Rcp => "Resource control policies (RCPs)",
            Layer::Session => "Session policies",
            Layer::VpcEndpoint => "VPC endpoint policy",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Layer::Identity => "Identity-based policy",
            Layer::Resource => "Resource-based policy",
            Layer::PermissionsBoundary => "Permissions boundary",
            Layer::Scp => "SCP",
            Layer::Rcp => "RCP",
            Layer::Session => "Session policy",
            Layer::VpcEndpoint => "VPC endpoint policy",
        }
    }
}

/// The whole case as the page edits it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Case {
    pub title: String,
    pub source: String,
    pub principal: String,
    pub action: String,
    pub resource: String,
    pub resource_account: String,
    pub context: Vec<ContextRow>,
    pub identity: Option<Vec<Doc>>,
    pub resource_policy: Option<Doc>,
    pub boundary: Option<Doc>,
    pub scp: Option<Vec<Level>>,
    pub rcp: Option<Vec<Level>>,
    pub session: Option<Vec<Doc>>,
    pub vpce: Option<Doc>,
    pub caller_is_management_account: bool,
    pub resource_in_management_account: bool,
    pub caller_has_permissions_boundary: bool,
    /// The expectation of a scenario file, kept so that a download round-trips.
    pub expect: Option<(String, Option<String>)>,
    /// What AWS itself said, when the case came from an AWS artefact.
    pub observed: Option<Value>,
    /// Policies and layers switched off for a moment: evaluated without them, never saved
    /// (local storage, permalinks and downloads keep every policy).
    #[serde(skip)]
    pub switched_off: SwitchedOff,
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Removes the indentation a document had inside its scenario file (`indent` = the column of its
/// opening brace, minus one), so that the editor shows it flush left. Only leading spaces of the
/// second and later lines are removed; those lie outside JSON strings, which cannot span lines.
fn dedent(text: &str, indent: usize) -> String {
    if indent == 0 || !text.contains('\n') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            let spaces = line.len() - line.trim_start_matches(' ').len();
            out.push_str(&line[spaces.min(indent)..]);
        } else {
            out.push_str(line);
        }
    }
    out
}

impl Case {
    /// A new case: a same-account S3 read with one identity policy, so the page is never blank.
    pub fn starter() -> Case {
        Case {
            title: String::new(),
            principal: "arn:aws:iam::111122223333:user/alice".into(),
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::amzn-s3-demo-bucket/report.csv".into(),
            resource_account: "111122223333".into(),
            identity: Some(vec![Doc {
                name: "ReadReports".into(),
                ..Doc::new(
                    r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadReports",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/reports/*"
    }
  ]
}"#,
                )
            }]),
            ..Case::default()
        }
    }

    /// Reads a scenario into the page's model.
    pub fn from_scenario(s: &Scenario) -> Case {
        let docs = |v: &Vec<PolicySource>| v.iter().map(Doc::from_source).collect::<Vec<_>>();
        let levels =
            |v: &Vec<Vec<PolicySource>>| v.iter().map(|l| Level::new(docs(l))).collect::<Vec<_>>();
        let p = &s.policies;
        Case {
            title: s.title.clone().unwrap_or_default(),
            source: s.source.clone().unwrap_or_default(),
            principal: s.request.principal.clone().unwrap_or_default(),
            action: s.request.action.clone(),
            resource: s.request.resource.clone(),
            resource_account: s.request.resource_account.clone().unwrap_or_default(),
            context: s
                .request
                .context
                .iter()
                .map(|(k, v)| context_row(k, v))
                .collect(),
            identity: p.identity.as_ref().map(docs),
            resource_policy: p.resource.as_ref().map(Doc::from_source),
            boundary: p.permissions_boundary.as_ref().map(Doc::from_source),
            scp: p.scp.as_ref().map(levels),
            rcp: p.rcp.as_ref().map(levels),
            session: p.session.as_ref().map(docs),
            vpce: p.vpc_endpoint.as_ref().map(Doc::from_source),
            caller_is_management_account: s.options.caller_is_management_account,
            resource_in_management_account: s.options.resource_in_management_account,
            caller_has_permissions_boundary: s.options.caller_has_permissions_boundary,
            expect: s
                .expect
                .as_ref()
                .map(|e| (e.decision.clone(), e.denied_by.clone())),
            observed: s.observed.clone(),
            switched_off: SwitchedOff::default(),
        }
    }

    /// The scenario the engine evaluates (and the file the page downloads).
    pub fn to_scenario(&self) -> Scenario {
        let docs = |v: &Vec<Doc>| v.iter().map(Doc::to_source).collect::<Vec<_>>();
        let levels = |v: &Vec<Level>| v.iter().map(|l| docs(&l.docs)).collect::<Vec<_>>();
        let mut context = Map::new();
        for row in &self.context {
            let key = row.key.trim();
            if key.is_empty() {
                continue;
            }
            let value = if row.multi {
                Value::Array(row.values.iter().cloned().map(Value::String).collect())
            } else {
                Value::String(row.values.first().cloned().unwrap_or_default())
            };
            context.insert(key.to_string(), value);
        }
        Scenario {
            version: iamtrace_engine::scenario::CURRENT_VERSION,
            title: non_empty(&self.title),
            source: non_empty(&self.source),
            request: ScenarioRequest {
                principal: non_empty(&self.principal),
                action: self.action.trim().to_string(),
                resource: self.resource.trim().to_string(),
                resource_account: non_empty(&self.resource_account),
                context,
                extra: Map::new(),
            },
            policies: ScenarioPolicies {
                identity: self.identity.as_ref().map(docs),
                resource: self.resource_policy.as_ref().map(Doc::to_source),
                permissions_boundary: self.boundary.as_ref().map(Doc::to_source),
                scp: self.scp.as_ref().map(levels),
                rcp: self.rcp.as_ref().map(levels),
                session: self.session.as_ref().map(docs),
                vpc_endpoint: self.vpce.as_ref().map(Doc::to_source),
                extra: Map::new(),
            },
            expect: self.expect.as_ref().map(|(d, l)| Expectation {
                decision: d.clone(),
                denied_by: l.clone(),
            }),
            observed: self.observed.clone(),
            options: ScenarioOptions {
                caller_is_management_account: self.caller_is_management_account,
                resource_in_management_account: self.resource_in_management_account,
                caller_has_permissions_boundary: self.caller_has_permissions_boundary,
                ..Default::default()
            },
            extra: Map::new(),
        }
    }

    /// The document a reference points at.
    pub fn doc(&self, r: DocRef) -> Option<&Doc> {
        match r.layer {
            Layer::Identity => self.identity.as_ref()?.get(r.index),
            Layer::Session => self.session.as_ref()?.get(r.index),
            Layer::Resource => self.resource_policy.as_ref(),
            Layer::PermissionsBoundary => self.boundary.as_ref(),
            Layer::VpcEndpoint => self.vpce.as_ref(),
            Layer::Scp => self.scp.as_ref()?.get(r.level?)?.docs.get(r.index),
            Layer::Rcp => self.rcp.as_ref()?.get(r.level?)?.docs.get(r.index),
        }
    }

    /// Every document with its reference, in layer order.
    pub fn all_docs(&self) -> Vec<(DocRef, &Doc)> {
        let mut out = Vec::new();
        push_list(Layer::Identity, &self.identity, &mut out);
        for (layer, d) in [
            (Layer::Resource, &self.resource_policy),
            (Layer::PermissionsBoundary, &self.boundary),
            (Layer::VpcEndpoint, &self.vpce),
        ] {
            if let Some(d) = d {
                out.push((
                    DocRef {
                        layer,
                        level: None,
                        index: 0,
                    },
                    d,
                ));
            }
        }
        for (layer, levels) in [(Layer::Scp, &self.scp), (Layer::Rcp, &self.rcp)] {
            for (level, l) in levels.iter().flatten().enumerate() {
                for (index, d) in l.docs.iter().enumerate() {
                    out.push((
                        DocRef {
                            layer,
                            level: Some(level),
                            index,
                        },
                        d,
                    ));
                }
            }
        }
        push_list(Layer::Session, &self.session, &mut out);
        out
    }

    /// The reference of the document with this id.
    pub fn doc_ref(&self, id: u64) -> Option<DocRef> {
        self.all_docs()
            .into_iter()
            .find(|(_, d)| d.id == id)
            .map(|(r, _)| r)
    }

    /// The document with this id, for editing.
    pub fn doc_mut(&mut self, id: u64) -> Option<&mut Doc> {
        let lists = self
            .identity
            .iter_mut()
            .chain(self.session.iter_mut())
            .flatten();
        let singles = self
            .resource_policy
            .iter_mut()
            .chain(self.boundary.iter_mut())
            .chain(self.vpce.iter_mut());
        let levels = self
            .scp
            .iter_mut()
            .chain(self.rcp.iter_mut())
            .flatten()
            .flat_map(|l| l.docs.iter_mut());
        lists.chain(singles).chain(levels).find(|d| d.id == id)
    }

    /// Whether this is the sample case a first visit shows (unchanged).
    pub fn is_sample(&self) -> bool {
        *self == Case::starter_like(self)
    }

    /// Whether the case holds anything the user may not want to lose.
    pub fn is_substantial(&self) -> bool {
        *self != Case::default() && *self != Case::starter_like(self)
    }

    fn starter_like(other: &Case) -> Case {
        let mut s = Case::starter();
        // Ids differ between two starters; compare content only.
        if let (Some(a), Some(b)) = (s.identity.as_mut(), other.identity.as_ref()) {
            for (x, y) in a.iter_mut().zip(b) {
                x.id = y.id;
            }
        }
        s
    }

    /// Reads a case saved by [`Case::to_storage`].
    pub fn from_storage(text: &str) -> Option<Case> {
        let case: Case = serde_json::from_str(text).ok()?;
        for row in &case.context {
            see_id(row.id);
        }
        let mut max = 0;
        for (_, d) in case.all_docs() {
            max = max.max(d.id);
        }
        for l in case.scp.iter().chain(case.rcp.iter()).flatten() {
            max = max.max(l.id);
        }
        see_id(max);
        Some(case)
    }

    pub fn to_storage(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

fn context_row(key: &str, v: &Value) -> ContextRow {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let (values, multi) = match v {
        Value::Array(items) => (items.iter().map(text).collect(), true),
        other => (vec![text(other)], false),
    };
    ContextRow {
        id: next_id(),
        key: key.to_string(),
        values,
        multi,
    }
}

fn push_list<'a>(layer: Layer, v: &'a Option<Vec<Doc>>, out: &mut Vec<(DocRef, &'a Doc)>) {
    for (index, d) in v.iter().flatten().enumerate() {
        out.push((
            DocRef {
                layer,
                level: None,
                index,
            },
            d,
        ));
    }
}

/// Snapshots of the case before destructive actions.
#[derive(Debug, Clone, Default)]
pub struct History {
    entries: Vec<(String, Case)>,
}

impl History {
    /// Remembers `case` before the action named `what` replaces or removes part of it.
    pub fn push(&mut self, what: impl Into<String>, case: Case) {
        self.entries.push((what.into(), case));
        if self.entries.len() > UNDO_DEPTH {
            self.entries.remove(0);
        }
    }

    pub fn pop(&mut self) -> Option<(String, Case)> {
        self.entries.pop()
    }

    /// What the next undo would undo.
    pub fn last(&self) -> Option<&str> {
        self.entries.last().map(|(w, _)| w.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenario_round_trip_keeps_layers_absent_or_empty() {
        let mut c = Case::starter();
        c.session = Some(vec![]);
        c.scp = Some(vec![Level::new(vec![Doc::new("{}")]), Level::new(vec![])]);
        c.context.push(ContextRow {
            id: 1,
            key: "aws:TagKeys".into(),
            values: vec!["a".into(), "b".into()],
            multi: true,
        });
        let back = Case::from_scenario(&c.to_scenario());
        assert_eq!(back.session, Some(vec![]));
        assert!(back.boundary.is_none());
        assert_eq!(back.scp.as_ref().map(Vec::len), Some(2));
        assert_eq!(back.context[0].values, vec!["a", "b"]);
        assert!(back.context[0].multi);
    }

    #[test]
    fn dedent_removes_file_indentation_only() {
        assert_eq!(
            dedent("{\n      \"a\": 1\n    }", 4),
            "{\n  \"a\": 1\n}".to_string()
        );
    }

    #[test]
    fn storage_round_trip() {
        let c = Case::starter();
        assert_eq!(Case::from_storage(&c.to_storage()), Some(c));
    }
}
