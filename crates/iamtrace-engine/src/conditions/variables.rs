//! Policy variables (rules §3.13): `${key}`, `${key, 'default'}` and the special
//! `${*}`, `${?}`, `${$}`, substituted only under Version 2012-10-17 (the caller decides).
//!
//! Substituted text is literal: a `*` in a tag value does not become a wildcard (§8-Q19); that is
//! what `${*}` is for in the other direction. So a substitution yields both the plain text (for
//! equality operators) and an escaped glob pattern (for `…Like` and ARN operators and resources).

use super::super::matching::wildcard::{push_escaped, push_pattern};
use crate::request::{ContextMap, ContextValue};

/// Assumption recorded when a substituted value contained `*` or `?`.
pub const ASSUME_LITERAL_SUBSTITUTION: &str = "AWS does not document whether '*' or '?' inside a \
substituted variable value act as wildcards; we treat substituted text as literal (§8-Q19).";

/// The result of substituting the variables of one policy string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Substitution {
    /// The text had variables, all resolved.
    Resolved {
        /// The text with each variable replaced by its value.
        plain: String,
        /// The same as a glob in which `\` escapes: substituted text is literal.
        pattern: String,
        /// A substituted value contained `*` or `?` (kept literal).
        literal_wildcards: bool,
    },
    /// A variable had no value and no default: the policy value matches nothing.
    Unresolved {
        /// The variable as written, e.g. `${aws:PrincipalTag/team}`.
        variable: String,
        why: String,
    },
    /// The text is not valid variable syntax (AWS rejects the policy).
    Malformed(String),
}

/// Whether the text contains a `${` at all (the fast path: nothing to substitute).
pub fn has_variables(text: &str) -> bool {
    text.contains("${")
}

/// Substitutes every variable of `text` from the request context (key names case-insensitive).
pub fn substitute(text: &str, context: &ContextMap) -> Substitution {
    let mut plain = String::with_capacity(text.len());
    let mut pattern = String::with_capacity(text.len() + 8);
    let mut literal_wildcards = false;
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let before = &rest[..start];
        plain.push_str(before);
        push_pattern(&mut pattern, before);
        let body_start = start + 2;
        let Some(len) = closing_brace(&rest[body_start..]) else {
            return Substitution::Malformed(format!(
                "'{text}': a policy variable is missing its closing brace"
            ));
        };
        let body = &rest[body_start..body_start + len];
        let variable = &rest[start..body_start + len + 1];
        rest = &rest[body_start + len + 1..];
        let value: String = match body {
            "*" | "?" | "$" => body.to_string(),
            _ => {
                let (key, default) = match body.split_once(',') {
                    Some((k, d)) => {
                        let d = d.trim_start();
                        let Some(d) = d.strip_prefix('\'').and_then(|d| d.strip_suffix('\''))
                        else {
                            return Substitution::Malformed(format!(
                                "'{variable}': the default value must be in single quotes, \
                                 as in ${{aws:username, 'none'}}"
                            ));
                        };
                        (k, Some(d))
                    }
                    None => (body, None),
                };
                if key.is_empty() {
                    return Substitution::Malformed(format!("'{variable}': empty variable name"));
                }
                if key.chars().any(char::is_whitespace) {
                    return Substitution::Malformed(format!(
                        "'{variable}': a variable name may not contain spaces"
                    ));
                }
                match (context.get(key), default) {
                    (Some(ContextValue::Single(v)), _) => v.clone(),
                    (_, Some(d)) => d.to_string(),
                    (Some(ContextValue::Multi(_)), None) => {
                        return Substitution::Unresolved {
                            variable: variable.to_string(),
                            why: format!(
                                "{key} is multivalued; a variable can only use a single-valued key"
                            ),
                        }
                    }
                    (None, None) => {
                        return Substitution::Unresolved {
                            variable: variable.to_string(),
                            why: format!("{key} is not in the request and no default is given"),
                        }
                    }
                }
            }
        };
        literal_wildcards |= value.contains(['*', '?']) && !matches!(body, "*" | "?");
        plain.push_str(&value);
        push_escaped(&mut pattern, &value);
    }
    plain.push_str(rest);
    push_pattern(&mut pattern, rest);
    Substitution::Resolved {
        plain,
        pattern,
        literal_wildcards,
    }
}

/// The length of a variable body up to its closing `}`, skipping braces inside a quoted default.
fn closing_brace(s: &str) -> Option<usize> {
    let mut quoted = false;
    for (i, c) in s.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '}' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::wildcard::{glob_match_escaped, Case};

    fn ctx() -> ContextMap {
        let mut c = ContextMap::new();
        c.insert_given("aws:username", ContextValue::Single("ana".into()));
        c.insert_given("aws:PrincipalTag/team", ContextValue::Single("a*".into()));
        c.insert_given("aws:TagKeys", ContextValue::Multi(vec!["x".into()]));
        c
    }

    fn plain(text: &str) -> String {
        match substitute(text, &ctx()) {
            Substitution::Resolved { plain, .. } => plain,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn substitutes_keys_case_insensitively_with_defaults() {
        assert_eq!(plain("home/${aws:username}/*"), "home/ana/*");
        assert_eq!(plain("${AWS:UserName}"), "ana");
        assert_eq!(plain("${aws:principaltag/TEAM}"), "a*");
        assert_eq!(plain("${aws:SourceVpc, 'none'}"), "none");
        assert_eq!(plain("${aws:SourceVpc, 'with }brace'}"), "with }brace");
        assert_eq!(plain("${*}${?}${$}"), "*?$");
        assert_eq!(plain("no variables"), "no variables");
    }

    #[test]
    fn substituted_text_is_literal_in_patterns() {
        let Substitution::Resolved {
            pattern,
            literal_wildcards,
            ..
        } = substitute("team/${aws:PrincipalTag/team}/*", &ctx())
        else {
            panic!()
        };
        assert!(literal_wildcards);
        assert!(glob_match_escaped(&pattern, "team/a*/doc", Case::Sensitive));
        assert!(!glob_match_escaped(
            &pattern,
            "team/abc/doc",
            Case::Sensitive
        ));
        let Substitution::Resolved { pattern, .. } = substitute("a${*}", &ctx()) else {
            panic!()
        };
        assert!(glob_match_escaped(&pattern, "a*", Case::Sensitive));
        assert!(!glob_match_escaped(&pattern, "ab", Case::Sensitive));
    }

    #[test]
    fn unresolved_and_malformed() {
        assert!(matches!(
            substitute("${aws:PrincipalTag/missing}", &ctx()),
            Substitution::Unresolved { .. }
        ));
        assert!(matches!(
            substitute("${aws:TagKeys}", &ctx()),
            Substitution::Unresolved { .. }
        ));
        for bad in [
            "${aws:username",
            "${}",
            "${aws: username}",
            "${aws:username, none}",
        ] {
            assert!(
                matches!(substitute(bad, &ctx()), Substitution::Malformed(_)),
                "{bad}"
            );
        }
    }
}
