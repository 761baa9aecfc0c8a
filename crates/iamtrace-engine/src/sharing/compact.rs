//! The scenario as the shortest JSON that reads back the same: what a permalink carries.
//!
//! The envelope comes from [`Scenario::to_json`] (the one writer of the format), minus fields whose
//! absence reads back identically (`"version":1`, `"principal":null`, `"context":{}`). Policy
//! documents are written as the user's own text with the insignificant whitespace removed, so key
//! order and duplicate keys survive (re-serialising through `serde_json::Value` would lose both).

use crate::policy::json;
use crate::scenario::{PolicySource, Scenario, ScenarioPolicies};
use serde_json::Value;

/// The scenario as compact JSON text, readable by [`Scenario::parse`], without the fields whose
/// absence reads back the same. This is what a permalink carries.
pub fn compact_json(scenario: &Scenario) -> String {
    write(scenario, true)
}

/// The scenario as compact JSON text with every field [`Scenario::to_json`] writes, but policy
/// documents in the user's own key order (for callers that hand the scenario on as an object).
pub fn ordered_json(scenario: &Scenario) -> String {
    write(scenario, false)
}

fn write(scenario: &Scenario, drop_defaults: bool) -> String {
    let Value::Object(mut top) = scenario.to_json() else {
        return String::new();
    };
    if drop_defaults {
        if top.get("version") == Some(&Value::from(1)) {
            top.shift_remove("version");
        }
        if let Some(Value::Object(req)) = top.get_mut("request") {
            if req.get("principal") == Some(&Value::Null) {
                req.shift_remove("principal");
            }
            if req
                .get("context")
                .and_then(Value::as_object)
                .is_some_and(|c| c.is_empty())
            {
                req.shift_remove("context");
            }
        }
    }
    let mut out = String::with_capacity(1024);
    out.push('{');
    for (i, (key, value)) in top.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_string(&mut out, key);
        out.push(':');
        match (key.as_str(), value) {
            ("policies", Value::Object(map)) => push_policies(&mut out, &scenario.policies, map),
            _ => push_value(&mut out, value),
        }
    }
    out.push('}');
    out
}

fn push_policies(out: &mut String, p: &ScenarioPolicies, written: &serde_json::Map<String, Value>) {
    out.push('{');
    for (i, (key, value)) in written.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_string(out, key);
        out.push(':');
        let one = |out: &mut String, s: &Option<PolicySource>| match s {
            Some(s) => push_policy(out, s),
            None => out.push_str("null"),
        };
        match key.as_str() {
            "identity" => push_list(out, p.identity.as_deref()),
            "session" => push_list(out, p.session.as_deref()),
            "resource" => one(out, &p.resource),
            "permissions_boundary" => one(out, &p.permissions_boundary),
            "vpc_endpoint" => one(out, &p.vpc_endpoint),
            "scp" => push_levels(out, p.scp.as_deref()),
            "rcp" => push_levels(out, p.rcp.as_deref()),
            _ => push_value(out, value),
        }
    }
    out.push('}');
}

fn push_levels(out: &mut String, levels: Option<&[Vec<PolicySource>]>) {
    out.push('[');
    for (i, level) in levels.unwrap_or_default().iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_list(out, Some(level));
    }
    out.push(']');
}

fn push_list(out: &mut String, list: Option<&[PolicySource]>) {
    out.push('[');
    for (i, p) in list.unwrap_or_default().iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_policy(out, p);
    }
    out.push(']');
}

/// Mirrors `PolicySource::to_json`: a bare document, or `{name, arn, document}`.
fn push_policy(out: &mut String, p: &PolicySource) {
    if p.name.is_none() && p.arn.is_none() {
        return push_document(out, &p.text);
    }
    out.push('{');
    if let Some(n) = &p.name {
        out.push_str("\"name\":");
        push_string(out, n);
        out.push(',');
    }
    if let Some(a) = &p.arn {
        out.push_str("\"arn\":");
        push_string(out, a);
        out.push(',');
    }
    out.push_str("\"document\":");
    push_document(out, &p.text);
    out.push('}');
}

/// A document the engine's own reader accepts is embedded as minified JSON; anything else (text
/// being typed) as a JSON string, exactly as typed, so no work is lost.
fn push_document(out: &mut String, text: &str) {
    if json::parse(text).is_ok() {
        minify_into(out, text);
    } else {
        push_string(out, text);
    }
}

/// Removes whitespace outside strings. `text` must be valid JSON.
fn minify_into(out: &mut String, text: &str) {
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            out.push(c);
            in_string = c == '"';
        }
    }
}

fn push_string(out: &mut String, s: &str) {
    push_value(out, &Value::String(s.to_owned()));
}

fn push_value(out: &mut String, v: &Value) {
    // Serialising a `Value` to a string cannot fail.
    out.push_str(&serde_json::to_string(v).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_document_order_and_duplicates_and_drops_defaults() {
        let text = r#"{"version": 1, "request": {"principal": null, "action": "s3:GetObject", "resource": "*", "context": {}},
          "policies": {"identity": [{"Version": "2012-10-17", "Statement": [
             {"Sid": "a b", "Effect": "Allow", "Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}]}}"#;
        let s = Scenario::parse(text).unwrap().scenario;
        assert_eq!(
            compact_json(&s),
            r#"{"request":{"action":"s3:GetObject","resource":"*"},"policies":{"identity":[{"Version":"2012-10-17","Statement":[{"Sid":"a b","Effect":"Allow","Effect":"Deny","Action":"s3:*","Resource":"*"}]}]}}"#
        );
    }

    #[test]
    fn ordered_json_keeps_every_field() {
        let s = Scenario::parse(r#"{"request":{"action":"a:b","resource":"*"}}"#)
            .unwrap()
            .scenario;
        assert_eq!(
            ordered_json(&s),
            r#"{"version":1,"request":{"principal":null,"action":"a:b","resource":"*","context":{}},"policies":{}}"#
        );
    }

    #[test]
    fn a_half_typed_document_survives_as_text() {
        let mut s = Scenario::default();
        s.policies.resource = Some(PolicySource::from_text("{\"Statement\": [\n  {\"Effect\""));
        let back = Scenario::parse(&compact_json(&s)).unwrap().scenario;
        assert_eq!(
            back.policies.resource.unwrap().text,
            "{\"Statement\": [\n  {\"Effect\""
        );
    }
}
