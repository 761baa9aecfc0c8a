//! Small helpers shared by the importers: JSON lookups, context values, action names.

use serde_json::{Map, Value};

/// Multivalued global keys (§4.1, §4.3, §4.4, §4.5): their values stay lists even with one item.
const MULTIVALUED: [&str; 8] = [
    "aws:tagkeys",
    "aws:principalorgpaths",
    "aws:principalservicenameslist",
    "aws:resourceorgpaths",
    "aws:vpceorgpaths",
    "aws:sourceorgpaths",
    "aws:calledvia",
    "aws:principaltagkeys",
];

pub(crate) fn is_multivalued(key: &str) -> bool {
    MULTIVALUED.contains(&key.to_ascii_lowercase().as_str())
}

/// A scenario context value for a key: one value as a string, several (or a multivalued key) as a
/// list.
pub(crate) fn context_value(key: &str, mut values: Vec<String>) -> Value {
    if values.len() == 1 && !is_multivalued(key) {
        Value::String(values.remove(0))
    } else {
        Value::Array(values.into_iter().map(Value::String).collect())
    }
}

/// A JSON scalar as text (strings as they are, numbers and booleans printed).
pub(crate) fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The string at a path of object keys.
pub(crate) fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for k in path {
        cur = cur.get(*k)?;
    }
    cur.as_str()
}

/// Whether `o` has any of the keys.
pub(crate) fn has_any(o: &Map<String, Value>, keys: &[&str]) -> bool {
    keys.iter().any(|k| o.contains_key(*k))
}

/// Shortens long text for notes ("AbC…").
pub(crate) fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

/// The IAM service prefix for a CloudTrail `eventSource` host or an SDK service name, with a note
/// when the mapping is not the identity. Most services use the same name for both; the few that
/// do not are listed here.
pub(crate) fn service_prefix(name: &str) -> (String, Option<String>) {
    let n = name
        .trim()
        .trim_end_matches(".amazonaws.com")
        .trim_end_matches(".amazonaws.com.cn")
        .to_ascii_lowercase();
    let n = n
        .strip_prefix("amazon ")
        .or_else(|| n.strip_prefix("aws "))
        .unwrap_or(&n)
        .to_string();
    let known: [(&str, &str); 12] = [
        ("monitoring", "cloudwatch"),
        ("email", "ses"),
        ("sesv2", "ses"),
        ("cloudwatch logs", "logs"),
        ("cloudwatchlogs", "logs"),
        ("elastic load balancing", "elasticloadbalancing"),
        ("elastic load balancing v2", "elasticloadbalancing"),
        ("api gateway", "apigateway"),
        ("eventbridge", "events"),
        ("sfn", "states"),
        ("cognito identity provider", "cognito-idp"),
        ("secrets manager", "secretsmanager"),
    ];
    if let Some((_, p)) = known.iter().find(|(k, _)| *k == n) {
        return (
            p.to_string(),
            Some(format!("service '{name}' maps to the IAM prefix '{p}'")),
        );
    }
    (n.replace(' ', ""), None)
}

/// The IAM action for an API operation. Most actions are named after their operation; the S3
/// operations that are not are mapped (documented in the S3 actions table). Returns a note when
/// the name was mapped.
pub(crate) fn action_for_operation(prefix: &str, op: &str) -> (String, Option<String>) {
    if prefix == "s3" {
        let mapped = match op {
            "ListObjectsV2" | "ListObjects" | "HeadBucket" | "ListObjectVersions" => {
                Some(if op == "ListObjectVersions" {
                    "ListBucketVersions"
                } else {
                    "ListBucket"
                })
            }
            "HeadObject" | "GetObjectAttributes" => Some("GetObject"),
            _ => None,
        };
        if let Some(m) = mapped {
            return (
                format!("s3:{m}"),
                Some(format!("the S3 operation {op} is authorized as s3:{m}")),
            );
        }
    }
    (format!("{prefix}:{op}"), None)
}
