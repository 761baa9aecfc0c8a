//! Editing a policy document as JSON: its statements, an element's list of entries, a statement's
//! conditions. Shapes AWS accepts are kept (a lone string becomes a list only when a second entry
//! is added; `Statement` stays an object while it holds one statement).

use serde_json::{Map, Value};

/// A new, empty policy document of the current language version.
pub(super) fn empty_policy() -> Value {
    let mut o = Map::new();
    o.insert("Version".into(), Value::String("2012-10-17".into()));
    o.insert("Statement".into(), Value::Array(Vec::new()));
    Value::Object(o)
}

/// The statement at `index` (`Statement` as an array, or a lone object at index 0).
pub(super) fn statement_mut(doc: &mut Value, index: usize) -> Option<&mut Map<String, Value>> {
    match doc.get_mut("Statement")? {
        Value::Array(items) => items.get_mut(index)?.as_object_mut(),
        Value::Object(o) if index == 0 => Some(o),
        _ => None,
    }
}

/// The statement at `index`, read-only.
pub(super) fn statement(doc: &Value, index: usize) -> Option<&Map<String, Value>> {
    match doc.get("Statement")? {
        Value::Array(items) => items.get(index)?.as_object(),
        Value::Object(o) if index == 0 => Some(o),
        _ => None,
    }
}

/// Appends a statement (a lone statement object becomes a list of two).
pub(super) fn push_statement(doc: &mut Value, st: Map<String, Value>) -> bool {
    let Some(o) = doc.as_object_mut() else {
        return false;
    };
    match o.get_mut("Statement") {
        Some(Value::Array(items)) => items.push(Value::Object(st)),
        Some(lone @ Value::Object(_)) => {
            let first = lone.take();
            *lone = Value::Array(vec![first, Value::Object(st)]);
        }
        Some(_) => return false,
        None => {
            o.insert("Statement".into(), Value::Array(vec![Value::Object(st)]));
        }
    }
    true
}

/// Removes the statement at `index`.
pub(super) fn remove_statement(doc: &mut Value, index: usize) -> bool {
    let Some(o) = doc.as_object_mut() else {
        return false;
    };
    match o.get_mut("Statement") {
        Some(Value::Array(items)) if index < items.len() => {
            items.remove(index);
            true
        }
        Some(Value::Object(_)) if index == 0 => {
            o.insert("Statement".into(), Value::Array(Vec::new()));
            true
        }
        _ => false,
    }
}

/// Adds `entry` to a list element (`Action`, `Resource`): a string becomes a list of two.
/// `false` when the element is not a string or a list of strings.
pub(super) fn add_entry(st: &mut Map<String, Value>, element: &str, entry: &str) -> bool {
    match st.get_mut(element) {
        Some(Value::String(s)) => {
            let first = std::mem::take(s);
            st.insert(
                element.into(),
                Value::Array(vec![Value::String(first), Value::String(entry.into())]),
            );
            true
        }
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
            items.push(Value::String(entry.into()));
            true
        }
        _ => false,
    }
}

/// Removes the entry equal to `entry` (ASCII case-insensitively, as actions match) from a list
/// element that keeps at least one other entry.
pub(super) fn remove_entry(st: &mut Map<String, Value>, element: &str, entry: &str) -> bool {
    let Some(Value::Array(items)) = st.get_mut(element) else {
        return false;
    };
    let Some(pos) = items
        .iter()
        .position(|v| v.as_str().is_some_and(|s| s.eq_ignore_ascii_case(entry)))
    else {
        return false;
    };
    if items.len() < 2 {
        return false;
    }
    items.remove(pos);
    if let [only] = items.as_slice() {
        let only = only.clone();
        st.insert(element.into(), only);
    }
    true
}

/// Adds a principal entry under `kind` (`AWS`, `Service`) of the statement's `Principal`.
pub(super) fn add_principal(st: &mut Map<String, Value>, kind: &str, entry: &str) -> bool {
    match st.get_mut("Principal") {
        Some(Value::Object(p)) => match p.get_mut(kind) {
            Some(_) => add_entry(p, kind, entry),
            None => {
                p.insert(kind.into(), Value::String(entry.into()));
                true
            }
        },
        _ => false,
    }
}

/// Adds `value` under `operator` → `key` in the statement's `Condition` (creating what is
/// missing; an existing value list grows).
pub(super) fn add_condition(
    st: &mut Map<String, Value>,
    operator: &str,
    key: &str,
    value: &str,
) -> bool {
    let cond = st
        .entry("Condition")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(cond) = cond.as_object_mut() else {
        return false;
    };
    let block = cond
        .entry(operator)
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(block) = block.as_object_mut() else {
        return false;
    };
    let existing = block.keys().find(|k| k.eq_ignore_ascii_case(key)).cloned();
    match existing {
        Some(k) => add_entry(block, &k, value),
        None => {
            block.insert(key.into(), Value::String(value.into()));
            true
        }
    }
}

/// A Sid for a new statement from the action: `s3:GetObject` → `AllowS3GetObject`. IAM Sids
/// allow only ASCII letters and digits.
pub(super) fn sid_for(prefix: &str, action: &str) -> String {
    let mut out = String::from(prefix);
    for part in action.split([':', '-', '_']) {
        let mut chars = part.chars().filter(char::is_ascii_alphanumeric);
        if let Some(c) = chars.next() {
            out.push(c.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_lone_action_becomes_a_list_of_two() {
        let mut st = json!({"Action": "s3:GetObject"})
            .as_object()
            .cloned()
            .unwrap();
        assert!(add_entry(&mut st, "Action", "s3:PutObject"));
        assert_eq!(st["Action"], json!(["s3:GetObject", "s3:PutObject"]));
    }

    #[test]
    fn a_lone_statement_becomes_a_list_when_one_is_added() {
        let mut doc = json!({"Version": "2012-10-17", "Statement": {"Effect": "Deny"}});
        assert!(push_statement(&mut doc, Map::new()));
        assert_eq!(doc["Statement"].as_array().map(Vec::len), Some(2));
    }

    #[test]
    fn removing_the_last_but_one_entry_leaves_a_string() {
        let mut st = json!({"Action": ["s3:GetObject", "s3:DeleteObject"]})
            .as_object()
            .cloned()
            .unwrap();
        assert!(remove_entry(&mut st, "Action", "S3:DELETEOBJECT"));
        assert_eq!(st["Action"], json!("s3:GetObject"));
        assert!(!remove_entry(&mut st, "Action", "s3:GetObject"));
    }

    #[test]
    fn sids_keep_letters_and_digits_only() {
        assert_eq!(sid_for("Allow", "s3:GetObject"), "AllowS3GetObject");
        assert_eq!(
            sid_for("Allow", "route53-recovery:Get_X"),
            "AllowRoute53RecoveryGetX"
        );
    }
}
