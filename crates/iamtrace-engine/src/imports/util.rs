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

/// An API version suffix some services add to CloudTrail event names (Lambda's
/// `GetFunction20150331v2`, CloudFront's `UpdateDistribution2020_05_31`).
fn strip_version_suffix(op: &str) -> Option<&str> {
    let b = op.as_bytes();
    let digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    // …YYYYMMDD[vN]
    let mut end = b.len();
    if let Some(v) = op.rfind('v') {
        if v + 1 < b.len() && digits(&b[v + 1..]) {
            end = v;
        }
    }
    let dated = |d: &[u8]| d.starts_with(b"19") || d.starts_with(b"20");
    if end > 8 && digits(&b[end - 8..end]) && dated(&b[end - 8..end]) {
        return Some(&op[..end - 8]);
    }
    // …YYYY_MM_DD
    if b.len() > 10 {
        let t = &b[b.len() - 10..];
        if digits(&t[..4])
            && dated(t)
            && t[4] == b'_'
            && digits(&t[5..7])
            && t[7] == b'_'
            && digits(&t[8..])
        {
            return Some(&op[..b.len() - 10]);
        }
    }
    None
}

/// The IAM action for an API operation. Most actions are named after their operation; the
/// operations that are not (S3's list and multipart operations, Lambda's `Invoke`) are mapped, and
/// API version suffixes in CloudTrail event names are dropped. Returns a note when the name was
/// changed.
pub(crate) fn action_for_operation(prefix: &str, op: &str) -> (String, Option<String>) {
    let (base, mut note) = match strip_version_suffix(op) {
        Some(b) => (
            b,
            Some(format!(
                "the event name {op} carries an API version; the action is {prefix}:{b}"
            )),
        ),
        None => (op, None),
    };
    let mapped = match (prefix, base) {
        ("s3", "ListObjectsV2" | "ListObjects" | "HeadBucket") => Some("ListBucket"),
        ("s3", "ListObjectVersions") => Some("ListBucketVersions"),
        ("s3", "HeadObject" | "GetObjectAttributes") => Some("GetObject"),
        ("s3", "DeleteObjects") => Some("DeleteObject"),
        (
            "s3",
            "CreateMultipartUpload"
            | "UploadPart"
            | "CompleteMultipartUpload"
            | "CopyObject"
            | "UploadPartCopy",
        ) => Some("PutObject"),
        ("s3", "ListParts") => Some("ListMultipartUploadParts"),
        ("lambda", "Invoke" | "InvokeAsync" | "InvokeWithResponseStream") => {
            Some(if base == "InvokeAsync" {
                "InvokeAsync"
            } else {
                "InvokeFunction"
            })
        }
        _ => None,
    };
    match mapped {
        Some(m) if m != base => {
            let extra = if matches!(base, "CopyObject" | "UploadPartCopy") {
                " (the copy also needs s3:GetObject on the source)"
            } else {
                ""
            };
            note = Some(format!(
                "the operation {op} is authorized as {prefix}:{m}{extra}"
            ));
            (format!("{prefix}:{m}"), note)
        }
        _ => (format!("{prefix}:{base}"), note),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_map_to_actions() {
        assert_eq!(action_for_operation("s3", "GetObject").0, "s3:GetObject");
        assert_eq!(
            action_for_operation("s3", "ListObjectsV2").0,
            "s3:ListBucket"
        );
        assert_eq!(
            action_for_operation("s3", "DeleteObjects").0,
            "s3:DeleteObject"
        );
        assert_eq!(
            action_for_operation("lambda", "Invoke").0,
            "lambda:InvokeFunction"
        );
        let (a, n) = action_for_operation("lambda", "GetFunction20150331v2");
        assert_eq!(a, "lambda:GetFunction");
        assert!(n.unwrap().contains("API version"));
        assert_eq!(
            action_for_operation("lambda", "ListFunctions20150331").0,
            "lambda:ListFunctions"
        );
        assert_eq!(
            action_for_operation("cloudfront", "UpdateDistribution2020_05_31").0,
            "cloudfront:UpdateDistribution"
        );
        // Names that merely end in digits are left alone.
        assert_eq!(
            action_for_operation("ec2", "RunInstances").0,
            "ec2:RunInstances"
        );
        assert!(action_for_operation("s3", "ListObjectsV2").1.is_some());
        assert_eq!(action_for_operation("x", "Get12345678").0, "x:Get12345678");
        assert_eq!(action_for_operation("x", "Get20150331").0, "x:Get");
        assert_eq!(action_for_operation("x", "12345678").0, "x:12345678");
    }
}

/// Whether pasted text carries HTML markup (copied from a web console or a rendered page): a
/// tag such as `<span>`, `</div>` or `<br/>`.
pub(crate) fn has_markup(t: &str) -> bool {
    let b = t.as_bytes();
    let Some(last_close) = b.iter().rposition(|&c| c == b'>') else {
        return false;
    };
    b.windows(2).enumerate().any(|(i, w)| {
        i < last_close
            && w[0] == b'<'
            && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!')
    })
}

/// The text of HTML: tags removed (a block tag or `<br>` becomes a line break), the common
/// entities and numeric character references decoded. Not a full HTML parser: enough for an
/// error message copied with its markup.
pub(crate) fn strip_markup(t: &str) -> String {
    let mut text = String::with_capacity(t.len());
    let mut rest = t;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let after = &rest[open..];
        match after.find('>') {
            Some(close) => {
                let tag = after[1..close].trim_start_matches('/').to_ascii_lowercase();
                let name: String = tag
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                if matches!(
                    name.as_str(),
                    "br" | "p" | "div" | "li" | "tr" | "pre" | "h1" | "h2" | "h3"
                ) {
                    text.push('\n');
                }
                rest = &after[close + 1..];
            }
            None => {
                text.push_str(after);
                rest = "";
            }
        }
    }
    text.push_str(rest);
    decode_entities(&text)
}

fn decode_entities(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut rest = t;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &after[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &after[len..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod markup_tests {
    use super::*;

    #[test]
    fn tags_and_entities_are_removed() {
        let html = "<p>User: <span class=\"arn\">arn:aws:iam::111122223333:user/jane</span> is not &quot;authorized&quot; &amp; more&#33;</p>";
        assert!(has_markup(html));
        assert_eq!(
            strip_markup(html).trim(),
            "User: arn:aws:iam::111122223333:user/jane is not \"authorized\" & more!"
        );
        assert!(!has_markup("a < b and c > d"));
        assert_eq!(
            strip_markup("x &bogus; &#xZZ; <unclosed"),
            "x &bogus; &#xZZ; <unclosed"
        );
    }
}
