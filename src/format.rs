//! The editors' Format button: re-indents a JSON document with two spaces, keeping member order,
//! duplicates and numbers exactly as written (serde_json would sort keys and drop duplicates).

use iamtrace_engine::policy::json::{self, Json, JsonError, JsonKind};

/// The document re-indented, or why it is not JSON.
pub fn format_json(text: &str) -> Result<String, JsonError> {
    let root = json::parse(text)?;
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    write(&root, 0, &mut out);
    out.push('\n');
    Ok(out)
}

fn write(v: &Json, depth: usize, out: &mut String) {
    let indent = |out: &mut String, d: usize| {
        out.push('\n');
        for _ in 0..d {
            out.push_str("  ");
        }
    };
    match &v.kind {
        JsonKind::Null => out.push_str("null"),
        JsonKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        JsonKind::Number(n) => out.push_str(n),
        JsonKind::String(s) => string(s, out),
        JsonKind::Array(items) if items.is_empty() => out.push_str("[]"),
        JsonKind::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, depth + 1);
                write(item, depth + 1, out);
            }
            indent(out, depth);
            out.push(']');
        }
        JsonKind::Object(members) if members.is_empty() => out.push_str("{}"),
        JsonKind::Object(members) => {
            out.push('{');
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, depth + 1);
                string(&m.key.value, out);
                out.push_str(": ");
                write(&m.value, depth + 1, out);
            }
            indent(out, depth);
            out.push('}');
        }
    }
}

fn string(s: &str, out: &mut String) {
    out.push_str(&serde_json::Value::String(s.to_string()).to_string());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_and_duplicates() {
        let f = format_json(r#"{"Version":"2012-10-17","Statement":[],"Effect":1.50,"Effect":2}"#)
            .unwrap();
        assert_eq!(
            f,
            "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [],\n  \"Effect\": 1.50,\n  \"Effect\": 2\n}\n"
        );
    }

    #[test]
    fn malformed_json_is_an_error_with_position() {
        let e = format_json("{\n  \"a\": ,\n}").unwrap_err();
        assert_eq!(e.span.line, 2);
    }
}
