//! Walking a whole scenario — request, context, every policy of every layer, and the free text
//! around them — and rewriting each identifying piece.
//!
//! Policy documents are edited in place at the spans of their strings, so that everything else
//! in them (member order, duplicate members, numbers as written) stays exactly as the user wrote
//! it. Free text (the title, AWS's message under `observed`, policy names, fields this version
//! does not know) gets the same placeholders wherever a replaced value occurs in it as a word.

use super::pieces::{rewrite, Piece, Slot};
use crate::policy::json::{self, Json, JsonKind};
use crate::policy::Span;
use crate::scenario::{PolicySource, Scenario};
use serde_json::{Map, Value};

/// The rewrite functions of one pass: `piece` for identifying pieces of structured values,
/// `text` for free text.
pub struct Pass<'a> {
    pub piece: &'a mut dyn FnMut(&Piece) -> Option<String>,
    pub text: &'a dyn Fn(&str) -> String,
}

impl Pass<'_> {
    fn value(&mut self, slot: Slot, v: &Value) -> Value {
        match v {
            Value::String(s) => Value::String(rewrite(slot, s, self.piece)),
            Value::Array(items) => {
                Value::Array(items.iter().map(|i| self.value(slot, i)).collect())
            }
            other => other.clone(),
        }
    }

    fn free(&self, v: &Value) -> Value {
        match v {
            Value::String(s) => Value::String((self.text)(s)),
            Value::Array(items) => Value::Array(items.iter().map(|i| self.free(i)).collect()),
            Value::Object(m) => Value::Object(self.free_map(m)),
            other => other.clone(),
        }
    }

    fn free_map(&self, m: &Map<String, Value>) -> Map<String, Value> {
        m.iter().map(|(k, v)| (k.clone(), self.free(v))).collect()
    }

    fn policy(&mut self, p: &PolicySource) -> PolicySource {
        let text = match json::parse(&p.text) {
            Ok(root) => {
                let mut edits = Vec::new();
                self.document(&root, &mut edits);
                splice(&p.text, edits)
            }
            // Not JSON: nothing of it is evaluated; the words of the case are still replaced.
            Err(_) => (self.text)(&p.text),
        };
        PolicySource {
            name: p.name.as_deref().map(|n| (self.text)(n)),
            arn: p.arn.as_deref().map(|a| rewrite(Slot::Arn, a, self.piece)),
            text,
            base: None,
            was_string: p.was_string,
            string_at: None,
        }
    }

    fn document(&mut self, root: &Json, edits: &mut Vec<(Span, String)>) {
        let Some(statement) = root.get("Statement") else {
            return;
        };
        match &statement.kind {
            JsonKind::Array(items) => {
                for s in items {
                    self.statement(s, edits);
                }
            }
            JsonKind::Object(_) => self.statement(statement, edits),
            _ => {}
        }
    }

    fn statement(&mut self, s: &Json, edits: &mut Vec<(Span, String)>) {
        for m in s.as_object().unwrap_or_default() {
            match m.key.value.as_str() {
                "Principal" | "NotPrincipal" => {
                    for p in m.value.as_object().unwrap_or_default() {
                        self.strings(&p.value, Slot::Principal(&p.key.value), edits);
                    }
                }
                "Resource" | "NotResource" => self.strings(&m.value, Slot::Arn, edits),
                "Condition" => {
                    for op in m.value.as_object().unwrap_or_default() {
                        for key in op.value.as_object().unwrap_or_default() {
                            self.strings(&key.value, Slot::Condition(&key.key.value), edits);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn strings(&mut self, v: &Json, slot: Slot, edits: &mut Vec<(Span, String)>) {
        match &v.kind {
            JsonKind::String(s) => {
                let new = rewrite(slot, s, self.piece);
                if new != *s {
                    edits.push((v.span, Value::String(new).to_string()));
                }
            }
            JsonKind::Array(items) => {
                for i in items {
                    self.strings(i, slot, edits);
                }
            }
            _ => {}
        }
    }

    /// The scenario with every identifying piece rewritten.
    pub fn scenario(&mut self, s: &Scenario) -> Scenario {
        let r = &s.request;
        let mut out = s.clone();
        out.title = s.title.as_deref().map(|t| (self.text)(t));
        out.source = s.source.as_deref().map(|t| (self.text)(t));
        out.request.principal = r
            .principal
            .as_deref()
            .map(|p| rewrite(Slot::Arn, p, self.piece));
        out.request.resource = rewrite(Slot::Arn, &r.resource, self.piece);
        out.request.resource_account = r
            .resource_account
            .as_deref()
            .map(|a| rewrite(Slot::Account, a, self.piece));
        out.request.context = r
            .context
            .iter()
            .map(|(k, v)| (k.clone(), self.value(Slot::Condition(k), v)))
            .collect();
        out.request.extra = self.free_map(&r.extra);
        let p = &s.policies;
        let list = |pass: &mut Self, v: &Vec<PolicySource>| -> Vec<PolicySource> {
            v.iter().map(|x| pass.policy(x)).collect()
        };
        out.policies.identity = p.identity.as_ref().map(|v| list(self, v));
        out.policies.resource = p.resource.as_ref().map(|x| self.policy(x));
        out.policies.permissions_boundary = p.permissions_boundary.as_ref().map(|x| self.policy(x));
        out.policies.scp = p
            .scp
            .as_ref()
            .map(|levels| levels.iter().map(|l| list(self, l)).collect());
        out.policies.rcp = p
            .rcp
            .as_ref()
            .map(|levels| levels.iter().map(|l| list(self, l)).collect());
        out.policies.session = p.session.as_ref().map(|v| list(self, v));
        out.policies.vpc_endpoint = p.vpc_endpoint.as_ref().map(|x| self.policy(x));
        out.policies.extra = self.free_map(&p.extra);
        out.observed = s.observed.as_ref().map(|o| self.free(o));
        out.extra = self.free_map(&s.extra);
        out
    }
}

/// `text` with each span replaced by its new JSON text.
fn splice(text: &str, mut edits: Vec<(Span, String)>) -> String {
    edits.sort_by_key(|(span, _)| span.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (span, new) in edits {
        if span.start < at || span.end > text.len() {
            continue;
        }
        out.push_str(text.get(at..span.start).unwrap_or_default());
        out.push_str(&new);
        at = span.end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}
