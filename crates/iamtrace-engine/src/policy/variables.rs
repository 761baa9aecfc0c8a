//! The syntax of policy variables (`${key}`, `${key, 'default'}`, `${*}`, `${?}`, `${$}`) as the
//! validator needs it (rules §3.13). Substitution belongs to `conditions`.

/// One `${…}` occurrence in a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct VariableUse<'a> {
    /// Byte offset of `$` within the string.
    pub at: usize,
    /// The key (`aws:username`), or `None` for the special literals `${*}`, `${?}`, `${$}`.
    pub key: Option<&'a str>,
}

/// Whether the text contains anything that looks like a policy variable.
pub(super) fn mentions_variable(text: &str) -> bool {
    text.contains("${")
}

/// Reads every `${…}` in `text`. The first malformed one ends the scan with a message saying what
/// is wrong with it.
pub(super) fn scan(text: &str) -> Result<Vec<VariableUse<'_>>, String> {
    let mut out = Vec::new();
    let mut rest = 0;
    while let Some(found) = text[rest..].find("${") {
        let at = rest + found;
        let body_start = at + 2;
        let Some(close) = text[body_start..].find('}') else {
            return Err(format!(
                "policy variable at '{}' has no closing brace '}}'",
                excerpt(&text[at..])
            ));
        };
        let body = &text[body_start..body_start + close];
        rest = body_start + close + 1;
        if body.contains("${") {
            return Err(format!(
                "policy variable '{}' has no closing brace '}}' before the next '${{'",
                excerpt(&text[at..])
            ));
        }
        match body {
            "" => return Err("'${}' is an empty policy variable: name a condition key".into()),
            "*" | "?" | "$" => {
                out.push(VariableUse { at, key: None });
                continue;
            }
            _ => {}
        }
        let (key, default) = match body.split_once(',') {
            Some((k, d)) => (k, Some(d)),
            None => (body, None),
        };
        if key.is_empty() {
            return Err(format!(
                "policy variable '${{{body}}}' has no key before the comma"
            ));
        }
        if key.chars().any(char::is_whitespace) {
            return Err(format!(
                "policy variable '${{{body}}}': the key may not contain spaces"
            ));
        }
        if let Some(d) = default {
            let quoted = d
                .strip_prefix(" '")
                .and_then(|d| d.strip_suffix('\''))
                .is_some_and(|inner| !inner.contains('\''));
            if !quoted {
                return Err(format!(
                    "policy variable '${{{body}}}': a default value is written as a comma, one \
                     space and single-quoted text, e.g. '${{{key}, 'default'}}'"
                ));
            }
        }
        out.push(VariableUse { at, key: Some(key) });
    }
    Ok(out)
}

fn excerpt(s: &str) -> &str {
    match s.char_indices().nth(24) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_keys_defaults_and_specials() {
        let v =
            scan("arn:aws:s3:::b/${aws:username}/${aws:PrincipalTag/team, 'none'}/${*}").unwrap();
        let keys: Vec<_> = v.iter().map(|u| u.key).collect();
        assert_eq!(
            keys,
            [Some("aws:username"), Some("aws:PrincipalTag/team"), None]
        );
        assert_eq!(v[0].at, 15);
    }

    #[test]
    fn rejects_malformed_variables() {
        for (text, says) in [
            ("${}", "empty"),
            ("a/${aws:username", "closing brace"),
            ("${aws:user name}", "spaces"),
            ("${aws:username,'x'}", "single-quoted"),
            ("${aws:username, x}", "single-quoted"),
            ("${aws:username, 'x}", "single-quoted"),
            ("${${aws:username}}", "closing brace"),
        ] {
            let e = scan(text).unwrap_err();
            assert!(e.contains(says), "{text}: {e}");
        }
    }

    #[test]
    fn plain_text_has_no_variables() {
        assert_eq!(scan("a $ {b} $x}").unwrap(), []);
    }
}
