//! The policy grammar (rules §3.1–§3.5, §3.8): reads a JSON value into the [`Policy`]
//! model, reporting every shape AWS would reject as a finding instead of stopping.
//!
//! The reader never panics and never gives up: an element that cannot be read is left out of the
//! model (`None` or a shorter list) and an error finding says why, so that the rest of the policy
//! can still be shown and evaluated.
//!
//! Choices where AWS is silent (each also listed in `docs/engine.md`):
//! - Duplicate members are errors (§8-Q23). For the model, the legacy interpretation AWS documents
//!   is applied where it exists (§3.1): a repeated `Action`/`NotAction`/`Resource`/`NotResource`
//!   merges its lists; for every other element (including `Effect`) the last one counts.
//! - A statement with both `Action` and `NotAction` (or `Resource` and `NotResource`, `Principal`
//!   and `NotPrincipal`) keeps the one written first.
//! - Element and operator names are matched exactly; a near miss in letter case is an unknown
//!   element with a hint (§8-Q20).

use super::finding::{Finding, Severity};
use super::json::{Json, JsonKind, Member};
use super::model::{
    ActionBlock, ConditionEntry, Effect, Policy, PolicyVersion, PrincipalBlock, PrincipalEntry,
    PrincipalKind, ResourceBlock, Statement, Unreadable,
};
use super::span::{Span, Spanned};
use super::FindingCode;

/// Facts about the source text that the model does not keep but validation needs.
#[derive(Debug, Default, Clone)]
pub(super) struct SourceFacts {
    /// `Version` was written after `Statement` (§8-Q11).
    pub version_after_statement: Option<Span>,
}

const TOP_LEVEL: [&str; 3] = ["Version", "Id", "Statement"];
const STATEMENT_ELEMENTS: [&str; 9] = [
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// Collects findings in source order.
#[derive(Debug, Default)]
pub(super) struct Findings(pub Vec<Finding>);

impl Findings {
    pub fn push(&mut self, severity: Severity, code: FindingCode, span: Span, message: String) {
        self.0.push(Finding {
            severity,
            code,
            message,
            span,
        });
    }

    pub fn error(&mut self, code: FindingCode, span: Span, message: String) {
        self.push(Severity::Error, code, span, message);
    }

    /// Whether an error was reported after the first `len` findings.
    fn error_since(&self, len: usize) -> bool {
        self.0
            .get(len..)
            .is_some_and(|new| new.iter().any(|f| f.severity == Severity::Error))
    }
}

/// The span from a member's name to the end of its value.
pub(super) fn member_span(m: &Member) -> Span {
    Span {
        start: m.key.span.start,
        end: m.value.span.end.max(m.key.span.end),
        line: m.key.span.line,
        column: m.key.span.column,
    }
}

/// Reports members named more than once in one object (§3.1, §8-Q23).
fn check_duplicates(members: &[Member], what: &dyn std::fmt::Display, out: &mut Findings) {
    /// Up to this many members, earlier ones are compared directly (no hashing).
    const SMALL: usize = 16;
    let mut seen = std::collections::HashSet::new();
    for (i, m) in members.iter().enumerate() {
        let key = m.key.value.as_str();
        let repeated = if members.len() <= SMALL {
            members[..i].iter().any(|e| e.key.value == key)
        } else {
            !seen.insert(key)
        };
        if repeated {
            out.error(
                FindingCode::DuplicateElement,
                m.key.span,
                format!(
                    "'{}' appears more than once in {what}; AWS rejects duplicate members \
                     (a generic JSON reader would silently keep only the last one)",
                    m.key.value
                ),
            );
        }
    }
}

fn unknown_element(m: &Member, known: &[&str], place: &str, out: &mut Findings) {
    let hint = known
        .iter()
        .find(|k| k.eq_ignore_ascii_case(&m.key.value))
        .map(|k| format!(" (did you mean '{k}'? element names are case-sensitive)"))
        .unwrap_or_default();
    out.error(
        FindingCode::UnknownElement,
        m.key.span,
        format!(
            "'{}' is not a valid {place} element{hint}; allowed: {}",
            m.key.value,
            known.join(", ")
        ),
    );
}

/// Reads a whole policy document.
pub(super) fn read_policy(json: &Json, out: &mut Findings) -> (Policy, SourceFacts) {
    let mut facts = SourceFacts::default();
    let mut policy = Policy {
        version_text: None,
        version: PolicyVersion::V2008_10_17,
        id: None,
        statements: Vec::new(),
        span: json.span,
    };
    let Some(members) = json.as_object() else {
        out.error(
            FindingCode::PolicyNotObject,
            json.span,
            format!(
                "a policy must be a JSON object with a \"Statement\" element, found {}",
                json.kind_name()
            ),
        );
        return (policy, facts);
    };
    check_duplicates(members, &"the policy", out);

    let mut statement_member: Option<&Member> = None;
    for m in members {
        match m.key.value.as_str() {
            "Version" => {
                if statement_member.is_some() {
                    facts.version_after_statement = Some(m.key.span);
                }
                match m.value.as_str() {
                    Some(v) => {
                        policy.version = match v {
                            "2012-10-17" => PolicyVersion::V2012_10_17,
                            "2008-10-17" => PolicyVersion::V2008_10_17,
                            _ => {
                                out.error(
                                    FindingCode::InvalidVersion,
                                    m.value.span,
                                    format!(
                                        "invalid Version \"{v}\": the only versions are \
                                         \"2012-10-17\" (current) and \"2008-10-17\" (legacy); \
                                         this policy is read with 2008-10-17 rules"
                                    ),
                                );
                                PolicyVersion::V2008_10_17
                            }
                        };
                        policy.version_text = Some(Spanned::new(v.to_string(), m.value.span));
                    }
                    None => out.error(
                        FindingCode::InvalidVersion,
                        m.value.span,
                        format!(
                            "Version must be the string \"2012-10-17\", found {}",
                            m.value.kind_name()
                        ),
                    ),
                }
            }
            "Id" => match m.value.as_str() {
                Some(v) => policy.id = Some(Spanned::new(v.to_string(), m.value.span)),
                None => out.error(
                    FindingCode::InvalidType,
                    m.value.span,
                    format!("Id must be a string, found {}", m.value.kind_name()),
                ),
            },
            "Statement" => statement_member = Some(m),
            _ => unknown_element(m, &TOP_LEVEL, "top-level", out),
        }
    }

    match statement_member {
        None => out.error(
            FindingCode::MissingStatement,
            json.span,
            "the policy has no \"Statement\" element".to_string(),
        ),
        Some(m) => read_statements(&m.value, &mut policy, out),
    }
    (policy, facts)
}

fn read_statements(value: &Json, policy: &mut Policy, out: &mut Findings) {
    match &value.kind {
        JsonKind::Object(_) => {
            if let Some(s) = read_statement(value, 0, out) {
                policy.statements.push(s);
            }
        }
        JsonKind::Array(items) => {
            if items.is_empty() {
                out.push(
                    Severity::Warning,
                    FindingCode::EmptyArray,
                    value.span,
                    "Statement is an empty array: the policy allows and denies nothing".to_string(),
                );
            }
            for (i, item) in items.iter().enumerate() {
                if let Some(s) = read_statement(item, i, out) {
                    policy.statements.push(s);
                }
            }
        }
        _ => out.error(
            FindingCode::InvalidType,
            value.span,
            format!(
                "Statement must be an object or an array of objects, found {}",
                value.kind_name()
            ),
        ),
    }
}

fn read_statement(json: &Json, index: usize, out: &mut Findings) -> Option<Statement> {
    let Some(members) = json.as_object() else {
        out.error(
            FindingCode::InvalidType,
            json.span,
            format!(
                "statement {} must be an object, found {}",
                index + 1,
                json.kind_name()
            ),
        );
        return None;
    };
    check_duplicates(members, &"a statement", out);
    let mut st = Statement {
        index,
        sid: None,
        effect: None,
        principal: None,
        action: None,
        resource: None,
        conditions: Vec::new(),
        has_condition_element: false,
        unreadable: Vec::new(),
        span: json.span,
    };
    let mut saw_effect = false;
    for m in members {
        let findings_before = out.0.len();
        match m.key.value.as_str() {
            "Sid" => match &m.value.kind {
                JsonKind::String(s) => st.sid = Some(Spanned::new(s.clone(), m.value.span)),
                _ => out.error(
                    FindingCode::InvalidType,
                    m.value.span,
                    format!("Sid must be a string, found {}", m.value.kind_name()),
                ),
            },
            "Effect" => {
                saw_effect = true;
                st.effect = match m.value.as_str() {
                    Some("Allow") => Some(Spanned::new(Effect::Allow, m.value.span)),
                    Some("Deny") => Some(Spanned::new(Effect::Deny, m.value.span)),
                    Some(other) => {
                        let hint = if other.eq_ignore_ascii_case("allow")
                            || other.eq_ignore_ascii_case("deny")
                        {
                            " (Effect is case-sensitive)"
                        } else {
                            ""
                        };
                        out.error(
                            FindingCode::InvalidEffect,
                            m.value.span,
                            format!(
                                "invalid Effect \"{other}\": must be exactly \"Allow\" or \"Deny\"{hint}"
                            ),
                        );
                        None
                    }
                    None => {
                        out.error(
                            FindingCode::InvalidEffect,
                            m.value.span,
                            format!(
                                "Effect must be the string \"Allow\" or \"Deny\", found {}",
                                m.value.kind_name()
                            ),
                        );
                        None
                    }
                };
            }
            "Action" | "NotAction" => {
                let negated = m.key.value == "NotAction";
                let prev = st.action.as_ref().map(|b| b.negated);
                if !pair_allowed(
                    m,
                    prev,
                    negated,
                    FindingCode::ActionAndNotAction,
                    "Action or NotAction",
                    out,
                ) {
                    continue;
                }
                let patterns = string_list(&m.value, &m.key.value, out);
                match &mut st.action {
                    Some(prev) => prev.patterns.extend(patterns),
                    None => {
                        st.action = Some(ActionBlock {
                            negated,
                            patterns,
                            span: member_span(m),
                        })
                    }
                }
            }
            "Resource" | "NotResource" => {
                let negated = m.key.value == "NotResource";
                let prev = st.resource.as_ref().map(|b| b.negated);
                if !pair_allowed(
                    m,
                    prev,
                    negated,
                    FindingCode::ResourceAndNotResource,
                    "Resource or NotResource",
                    out,
                ) {
                    continue;
                }
                let patterns = string_list(&m.value, &m.key.value, out);
                match &mut st.resource {
                    Some(prev) => prev.patterns.extend(patterns),
                    None => {
                        st.resource = Some(ResourceBlock {
                            negated,
                            patterns,
                            span: member_span(m),
                        })
                    }
                }
            }
            "Principal" | "NotPrincipal" => {
                let negated = m.key.value == "NotPrincipal";
                let prev = st.principal.as_ref().map(|b| b.negated);
                if !pair_allowed(
                    m,
                    prev,
                    negated,
                    FindingCode::PrincipalAndNotPrincipal,
                    "Principal or NotPrincipal",
                    out,
                ) {
                    continue;
                }
                st.principal = Some(read_principal(m, negated, out));
            }
            "Condition" => {
                st.has_condition_element = true;
                st.conditions = read_condition(&m.value, out);
            }
            _ => unknown_element(m, &STATEMENT_ELEMENTS, "statement", out),
        }
        // An error while reading a matching element leaves part of it unread: its test must
        // then be unknown, never "matches" or "absent" (a malformed Condition must not make the
        // statement unconditional, a malformed NotAction must not cover every action).
        let element = STATEMENT_ELEMENTS
            .iter()
            .skip(2)
            .find(|e| **e == m.key.value);
        if let Some(element) = element {
            if out.error_since(findings_before) {
                st.unreadable.push(Unreadable {
                    element,
                    span: member_span(m),
                });
            }
        }
    }
    if !saw_effect {
        out.error(
            FindingCode::MissingEffect,
            json.span,
            format!(
                "statement {} has no Effect: add \"Effect\": \"Allow\" or \"Deny\"",
                index + 1
            ),
        );
    }
    if st.action.is_none() {
        out.error(
            FindingCode::MissingAction,
            json.span,
            format!("statement {} has neither Action nor NotAction", index + 1),
        );
    }
    Some(st)
}

/// `X` and `NotX` in one statement (`Action`/`NotAction`, …) is an error (§3.1); the one written
/// first is used. Returns whether member `m` may be read.
fn pair_allowed(
    m: &Member,
    prev_negated: Option<bool>,
    negated: bool,
    code: FindingCode,
    names: &str,
    out: &mut Findings,
) -> bool {
    if prev_negated.is_some_and(|p| p != negated) {
        out.error(
            code,
            m.key.span,
            format!("a statement may contain {names}, not both; the one written first is used"),
        );
        return false;
    }
    true
}

/// A string or an array of strings (`Action`, `Resource`, principal values). Entries of another
/// kind are reported and left out.
fn string_list(value: &Json, element: &str, out: &mut Findings) -> Vec<Spanned<String>> {
    match &value.kind {
        JsonKind::String(s) => vec![Spanned::new(s.clone(), value.span)],
        JsonKind::Array(items) if items.is_empty() => {
            out.push(
                Severity::Warning,
                FindingCode::EmptyArray,
                value.span,
                format!("{element} is an empty array, so the statement never applies"),
            );
            Vec::new()
        }
        JsonKind::Array(items) => items
            .iter()
            .filter_map(|item| match &item.kind {
                JsonKind::String(s) => Some(Spanned::new(s.clone(), item.span)),
                _ => {
                    out.error(
                        FindingCode::InvalidType,
                        item.span,
                        format!(
                            "each {element} entry must be a string, found {}",
                            item.kind_name()
                        ),
                    );
                    None
                }
            })
            .collect(),
        _ => {
            out.error(
                FindingCode::InvalidType,
                value.span,
                format!(
                    "{element} must be a string or an array of strings, found {}",
                    value.kind_name()
                ),
            );
            Vec::new()
        }
    }
}

const PRINCIPAL_KEYS: [(&str, PrincipalKind); 4] = [
    ("AWS", PrincipalKind::Aws),
    ("Service", PrincipalKind::Service),
    ("Federated", PrincipalKind::Federated),
    ("CanonicalUser", PrincipalKind::CanonicalUser),
];

fn read_principal(m: &Member, negated: bool, out: &mut Findings) -> PrincipalBlock {
    let mut block = PrincipalBlock {
        negated,
        entries: Vec::new(),
        span: member_span(m),
    };
    let name = &m.key.value;
    match &m.value.kind {
        JsonKind::String(s) if s == "*" => block.entries.push(PrincipalEntry {
            kind: PrincipalKind::Any,
            value: Spanned::new(s.clone(), m.value.span),
        }),
        // Kept as an entry that matches no one for certain, so that the statement is unknown
        // rather than silently naming no one.
        JsonKind::String(s) => {
            out.error(
                FindingCode::InvalidPrincipal,
                m.value.span,
                format!(
                    "{name} as a plain string may only be \"*\"; write {{\"AWS\": \"{s}\"}} \
                     (or Service, Federated, CanonicalUser) to name a principal"
                ),
            );
            block.entries.push(PrincipalEntry {
                kind: PrincipalKind::Any,
                value: Spanned::new(s.clone(), m.value.span),
            });
        }
        JsonKind::Object(members) => {
            check_duplicates(members, &name, out);
            if members.is_empty() {
                out.error(
                    FindingCode::InvalidPrincipal,
                    m.value.span,
                    format!("{name} is an empty object: it names no principal"),
                );
                block.entries.push(PrincipalEntry {
                    kind: PrincipalKind::Any,
                    value: Spanned::new("{}".to_string(), m.value.span),
                });
            }
            for pm in members {
                let Some((_, kind)) = PRINCIPAL_KEYS.iter().find(|(k, _)| *k == pm.key.value)
                else {
                    let hint = PRINCIPAL_KEYS
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(&pm.key.value))
                        .map(|(k, _)| format!(" (did you mean '{k}'? keys are case-sensitive)"))
                        .unwrap_or_default();
                    out.error(
                        FindingCode::InvalidPrincipalKey,
                        pm.key.span,
                        format!(
                            "'{}' is not a principal type{hint}; use AWS, Service, Federated \
                             or CanonicalUser",
                            pm.key.value
                        ),
                    );
                    block.entries.push(PrincipalEntry {
                        kind: PrincipalKind::Any,
                        value: Spanned::new(format!("{{\"{}\": …}}", pm.key.value), pm.key.span),
                    });
                    continue;
                };
                for value in string_list(&pm.value, &format!("{name} {}", pm.key.value), out) {
                    block.entries.push(PrincipalEntry { kind: *kind, value });
                }
            }
        }
        _ => {
            out.error(
                FindingCode::InvalidPrincipal,
                m.value.span,
                format!(
                    "{name} must be \"*\" or an object such as {{\"AWS\": \"…\"}}, found {}",
                    m.value.kind_name()
                ),
            );
            block.entries.push(PrincipalEntry {
                kind: PrincipalKind::Any,
                value: Spanned::new(format!("<{}>", m.value.kind_name()), m.value.span),
            });
        }
    }
    block
}

/// Reads `{ operator: { key: value(s) } }` into one entry per (operator, key) pair (§3.8).
fn read_condition(value: &Json, out: &mut Findings) -> Vec<ConditionEntry> {
    let mut entries = Vec::new();
    let Some(operators) = value.as_object() else {
        out.error(
            FindingCode::InvalidType,
            value.span,
            format!(
                "Condition must be an object such as {{\"StringEquals\": {{\"key\": \"value\"}}}}, found {}",
                value.kind_name()
            ),
        );
        return entries;
    };
    check_duplicates(operators, &"the Condition element", out);
    if operators.is_empty() {
        out.error(
            FindingCode::EmptyCondition,
            value.span,
            "the Condition element is empty; AWS treats an empty condition block as making the \
             statement have no effect (we reject it, §8-Q14)"
                .to_string(),
        );
    }
    for op in operators {
        let operator = Spanned::new(op.key.value.clone(), op.key.span);
        let Some(keys) = op.value.as_object() else {
            out.error(
                FindingCode::InvalidType,
                op.value.span,
                format!(
                    "the value of condition operator '{}' must be an object of condition keys, found {}",
                    op.key.value,
                    op.value.kind_name()
                ),
            );
            continue;
        };
        // Described only when a duplicate is found.
        check_duplicates(keys, &format_args!("the {} block", op.key.value), out);
        if keys.is_empty() {
            out.error(
                FindingCode::EmptyCondition,
                op.value.span,
                format!(
                    "the '{}' block names no condition key; AWS treats empty condition blocks as \
                     making the statement have no effect (we reject it, §8-Q14)",
                    op.key.value
                ),
            );
        }
        for k in keys {
            entries.push(ConditionEntry {
                operator: operator.clone(),
                key: k.key.clone(),
                values: condition_values(&k.value, &k.key.value, out),
                span: member_span(k),
            });
        }
    }
    entries
}

/// Condition values: a scalar or an array of scalars; numbers and booleans become their text (§3.1).
fn condition_values(value: &Json, key: &str, out: &mut Findings) -> Vec<Spanned<String>> {
    fn scalar(v: &Json, key: &str, out: &mut Findings) -> Option<Spanned<String>> {
        let text = match &v.kind {
            JsonKind::String(s) => s.clone(),
            JsonKind::Number(n) => n.clone(),
            JsonKind::Bool(b) => b.to_string(),
            JsonKind::Null => {
                out.error(
                    FindingCode::InvalidConditionValue,
                    v.span,
                    format!(
                        "null is not a condition value for '{key}'; to test whether a key is \
                         present use the Null operator"
                    ),
                );
                return None;
            }
            JsonKind::Array(_) | JsonKind::Object(_) => {
                out.error(
                    FindingCode::InvalidConditionValue,
                    v.span,
                    format!(
                        "condition values for '{key}' must be strings, numbers or booleans, \
                         found {} nested inside",
                        v.kind_name()
                    ),
                );
                return None;
            }
        };
        Some(Spanned::new(text, v.span))
    }
    match &value.kind {
        JsonKind::Array(items) if items.is_empty() => {
            out.push(
                Severity::Warning,
                FindingCode::EmptyArray,
                value.span,
                format!(
                    "'{key}' lists no values, so no request value can match it: the condition is \
                     false (or true only when the key is absent and the operator tolerates that)"
                ),
            );
            Vec::new()
        }
        JsonKind::Array(items) => items.iter().filter_map(|i| scalar(i, key, out)).collect(),
        JsonKind::Object(_) => {
            out.error(
                FindingCode::InvalidConditionValue,
                value.span,
                format!(
                    "the value of condition key '{key}' must be a string, number, boolean or an \
                     array of them, found an object"
                ),
            );
            Vec::new()
        }
        _ => scalar(value, key, out).into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use crate::policy::{parse_policy, Effect, ParsedPolicy, PolicyType, PrincipalKind};

    fn parse(text: &str) -> ParsedPolicy {
        parse_policy(text, PolicyType::Identity).expect("valid JSON")
    }

    fn codes(p: &ParsedPolicy) -> Vec<&'static str> {
        p.findings.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn spans_point_at_each_element() {
        let text = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Read",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:ListBucket"],
      "Resource": "arn:aws:s3:::b/*",
      "Condition": {"StringEquals": {"aws:PrincipalTag/team": ["a", 7]}}
    }
  ]
}"#;
        let p = parse(text);
        let s = &p.policy.statements[0];
        assert_eq!((s.span.line, s.span.column), (4, 5));
        let sid = s.sid.as_ref().unwrap();
        assert_eq!((sid.span.line, sid.span.column), (5, 14));
        let action = &s.action.as_ref().unwrap().patterns[1];
        assert_eq!(action.value, "s3:ListBucket");
        assert_eq!((action.span.line, action.span.column), (7, 34));
        assert_eq!(
            &text[action.span.start..action.span.end],
            "\"s3:ListBucket\""
        );
        let c = &s.conditions[0];
        assert_eq!((c.operator.span.line, c.operator.span.column), (9, 21));
        assert_eq!((c.key.span.line, c.key.span.column), (9, 38));
        assert_eq!(c.values[1].value, "7");
        assert_eq!(&text[c.values[1].span.start..c.values[1].span.end], "7");
        assert_eq!(s.effect.as_ref().unwrap().value, Effect::Allow);
    }

    #[test]
    fn single_values_and_statement_object_are_accepted() {
        let p = parse(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*",
               "Condition":{"Bool":{"aws:SecureTransport":false}}}}"#,
        );
        assert!(p.findings.is_empty(), "{:?}", p.findings);
        assert_eq!(p.policy.statements.len(), 1);
        assert_eq!(
            p.policy.statements[0].conditions[0].values[0].value,
            "false"
        );
    }

    #[test]
    fn missing_effect_keeps_the_statement() {
        let p = parse(r#"{"Version":"2012-10-17","Statement":[{"Action":"s3:*","Resource":"*"}]}"#);
        assert_eq!(p.policy.statements.len(), 1);
        assert!(p.policy.statements[0].effect.is_none());
        assert_eq!(codes(&p), ["missing-effect"]);
    }

    #[test]
    fn effect_is_case_sensitive() {
        let p = parse(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"s3:*","Resource":"*"}]}"#,
        );
        assert_eq!(codes(&p), ["invalid-effect"]);
        assert!(p.findings[0].message.contains("case-sensitive"));
        assert!(p.policy.statements[0].effect.is_none());
    }

    #[test]
    fn unknown_elements_are_errors_with_a_hint() {
        let p = parse(
            r#"{"Version":"2012-10-17","statement":[],"Statement":[{"Effect":"Allow","action":"s3:*","Action":"s3:*","Resource":"*"}]}"#,
        );
        let unknown: Vec<_> = p
            .findings
            .iter()
            .filter(|f| f.code == "unknown-element")
            .collect();
        assert_eq!(unknown.len(), 2);
        assert!(unknown[0].message.contains("did you mean 'Statement'"));
        assert!(unknown[1].message.contains("did you mean 'Action'"));
    }

    #[test]
    fn duplicate_members_are_rejected_everywhere() {
        let p = parse(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Effect":"Allow",
            "Action":"s3:GetObject","Action":"s3:PutObject","Resource":"*",
            "Condition":{"StringEquals":{"aws:username":"a","aws:username":"b"}}}]}"#,
        );
        assert_eq!(
            codes(&p),
            [
                "duplicate-element",
                "duplicate-element",
                "duplicate-element"
            ]
        );
        let s = &p.policy.statements[0];
        // Legacy reading (§3.1): the last Effect counts, repeated Action lists merge.
        assert_eq!(s.effect.as_ref().unwrap().value, Effect::Allow);
        assert_eq!(s.action.as_ref().unwrap().patterns.len(), 2);
    }

    #[test]
    fn conflicting_pairs_are_rejected() {
        let p = parse(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*",
            "NotAction":"iam:*","Resource":"*","NotResource":"x"}]}"#,
        );
        assert_eq!(
            codes(&p),
            ["action-and-notaction", "resource-and-notresource"]
        );
        let s = &p.policy.statements[0];
        assert!(!s.action.as_ref().unwrap().negated);
        assert!(!s.resource.as_ref().unwrap().negated);
    }

    #[test]
    fn missing_statement_and_action() {
        let p = parse(r#"{"Version":"2012-10-17"}"#);
        assert_eq!(codes(&p), ["missing-statement"]);
        let p = parse(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Resource":"*"}}"#);
        assert_eq!(codes(&p), ["missing-action"]);
    }

    #[test]
    fn invalid_version_falls_back_to_legacy_rules() {
        let p = parse(
            r#"{"Version":"2012-10-18","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#,
        );
        assert_eq!(codes(&p), ["invalid-version"]);
        assert!(!p.policy.variables_enabled());
    }

    #[test]
    fn condition_values_must_be_scalars() {
        let p = parse(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*",
            "Condition":{"StringEquals":{"a:b":[["x"]],"a:c":{"x":1},"a:d":null}}}}"#,
        );
        assert_eq!(
            codes(&p),
            [
                "invalid-condition-value",
                "invalid-condition-value",
                "invalid-condition-value"
            ]
        );
        assert_eq!(p.policy.statements[0].conditions.len(), 3);
    }

    #[test]
    fn empty_condition_objects_are_rejected() {
        let p = parse(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{}}}"#,
        );
        assert_eq!(codes(&p), ["empty-condition"]);
        let p = parse(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{}}}}"#,
        );
        assert_eq!(codes(&p), ["empty-condition"]);
    }

    #[test]
    fn principals_of_every_form() {
        let p = parse_policy(
            r#"{"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":"*","Action":"s3:GetObject"},
              {"Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::111122223333:role/r"],
                "Service":"ec2.amazonaws.com"},"Action":"s3:GetObject"},
              {"Effect":"Allow","Principal":{"Aws":"111122223333"},"Action":"s3:GetObject"},
              {"Effect":"Allow","Principal":"111122223333","Action":"s3:GetObject"}]}"#,
            PolicyType::Resource,
        )
        .unwrap();
        let st = &p.policy.statements;
        assert_eq!(
            st[0].principal.as_ref().unwrap().entries[0].kind,
            PrincipalKind::Any
        );
        let e = &st[1].principal.as_ref().unwrap().entries;
        assert_eq!(e.len(), 3);
        assert_eq!(e[2].kind, PrincipalKind::Service);
        let c = codes(&p);
        assert!(c.contains(&"invalid-principal-key"), "{c:?}");
        assert!(c.contains(&"invalid-principal"), "{c:?}");
        let key = p
            .findings
            .iter()
            .find(|f| f.code == "invalid-principal-key")
            .unwrap();
        assert!(key.message.contains("did you mean 'AWS'"));
    }

    #[test]
    fn non_object_inputs_do_not_panic() {
        for text in [
            "[]",
            "1",
            "\"x\"",
            "null",
            r#"{"Statement":5}"#,
            r#"{"Statement":[1,[],"x"]}"#,
        ] {
            let p = parse(text);
            assert!(p.has_errors(), "{text}");
        }
    }
}
