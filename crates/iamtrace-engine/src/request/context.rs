//! The request's condition context: keys (case-insensitive, §3.8) and their values.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The most values iamtrace reads for one context key. AWS documents no such quota; the
/// multivalued keys it sends are small (a request carries at most 50 tags, the per-resource tag
/// quota, <https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html>), so we assume no
/// real request has more, and refuse larger lists instead of comparing them pair by pair.
pub const MAX_VALUES_PER_KEY: usize = 1_000;

/// The message for a key with more than [`MAX_VALUES_PER_KEY`] values.
pub fn too_many_values(key: &str, count: usize) -> String {
    format!(
        "'{key}' lists {count} values; iamtrace reads at most {MAX_VALUES_PER_KEY} values per \
         context key (AWS documents no quota for this, but a request carries at most 50 tags, \
         AWS's per-resource tag quota: \
         https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html)"
    )
}

/// The value of one context key. Single-valued keys hold one string; multivalued keys
/// (`aws:TagKeys`, `aws:PrincipalOrgPaths`…) a list, possibly empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ContextValue {
    Single(String),
    Multi(Vec<String>),
}

impl ContextValue {
    /// The values as a slice-like list (a single value is a list of one).
    pub fn values(&self) -> Vec<&str> {
        match self {
            ContextValue::Single(s) => vec![s.as_str()],
            ContextValue::Multi(v) => v.iter().map(String::as_str).collect(),
        }
    }

    pub fn is_multi(&self) -> bool {
        matches!(self, ContextValue::Multi(_))
    }

    /// Reads a scenario value: a string, number or boolean (normalised to text, §3.1), or a list.
    pub fn from_json(v: &serde_json::Value) -> Option<ContextValue> {
        fn scalar(v: &serde_json::Value) -> Option<String> {
            match v {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                serde_json::Value::Bool(b) => Some(b.to_string()),
                _ => None,
            }
        }
        match v {
            serde_json::Value::Array(items) => items
                .iter()
                .map(scalar)
                .collect::<Option<Vec<_>>>()
                .map(ContextValue::Multi),
            other => scalar(other).map(ContextValue::Single),
        }
    }
}

/// Where a context value came from, so the UI can show derived keys apart from given ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeySource {
    /// Typed or imported by the user.
    Given,
    /// Derived by iamtrace from the caller ARN or the resource (§4.7).
    Derived,
}

/// One context entry: the key as written, its value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContextEntry {
    pub key: String,
    pub value: ContextValue,
    pub source: KeySource,
    /// For derived keys: how the value was obtained ("account field of the caller ARN").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The condition context. Lookups are case-insensitive on the whole key name, including the tag
/// key in `aws:PrincipalTag/<k>` (§3.8).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ContextMap {
    entries: BTreeMap<String, ContextEntry>,
}

impl ContextMap {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a key. A later insert of the same key (in any case) replaces the earlier one.
    pub fn insert(
        &mut self,
        key: &str,
        value: ContextValue,
        source: KeySource,
        note: Option<String>,
    ) {
        self.entries.insert(
            key.to_ascii_lowercase(),
            ContextEntry {
                key: key.to_string(),
                value,
                source,
                note,
            },
        );
    }

    /// Sets a key given by the user.
    pub fn insert_given(&mut self, key: &str, value: ContextValue) {
        self.insert(key, value, KeySource::Given, None);
    }

    /// Sets a derived key unless the user already gave it (keys the user gives win, issue #3).
    pub fn insert_derived(&mut self, key: &str, value: ContextValue, note: &str) {
        let lower = key.to_ascii_lowercase();
        if !self.entries.contains_key(&lower) {
            self.insert(key, value, KeySource::Derived, Some(note.to_string()));
        }
    }

    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        self.entry(key).map(|e| &e.value)
    }

    /// [`ContextMap::get`] for a key already lower-cased (ASCII), without allocating: the
    /// compiled decision path folds condition keys once, when it reads the policy.
    pub fn get_folded(&self, lowercase_key: &str) -> Option<&ContextValue> {
        self.entries.get(lowercase_key).map(|e| &e.value)
    }

    pub fn entry(&self, key: &str) -> Option<&ContextEntry> {
        self.entries.get(&key.to_ascii_lowercase())
    }

    pub fn contains(&self, key: &str) -> bool {
        self.entry(key).is_some()
    }

    pub fn remove(&mut self, key: &str) -> Option<ContextEntry> {
        self.entries.remove(&key.to_ascii_lowercase())
    }

    /// All entries, ordered by lower-cased key.
    pub fn iter(&self) -> impl Iterator<Item = &ContextEntry> {
        self.entries.values()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_case_insensitive_and_given_wins() {
        let mut c = ContextMap::new();
        c.insert_given("aws:SourceIp", ContextValue::Single("203.0.113.9".into()));
        assert!(c.contains("AWS:SOURCEIP"));
        c.insert_derived("aws:sourceip", ContextValue::Single("x".into()), "test");
        assert_eq!(
            c.get("aws:SourceIP"),
            Some(&ContextValue::Single("203.0.113.9".into()))
        );
    }

    #[test]
    fn json_values_normalise_to_text() {
        let v = serde_json::json!([1, true, "a"]);
        assert_eq!(
            ContextValue::from_json(&v),
            Some(ContextValue::Multi(vec![
                "1".into(),
                "true".into(),
                "a".into()
            ]))
        );
        assert_eq!(ContextValue::from_json(&serde_json::json!({})), None);
    }
}
