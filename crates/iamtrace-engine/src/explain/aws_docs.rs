//! Links from the engine's text to the AWS documentation.
//!
//! Engine sentences cite the project's rules reference (`docs/rules.md`) by section, as in
//! "an explicit deny overrides every Allow (§1.3 step 1)". Users never see those numbers: every
//! output turns each citation into the AWS documentation page the section's rule comes from
//! ([`pieces`] for the page's links, [`with_urls`] for terminals and JSON), and drops citations
//! of sections no AWS page states (worked examples, open questions, the source index).

use std::borrow::Cow;

/// An AWS documentation page a rule comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocPage {
    /// A short title, e.g. "Principal element".
    pub title: &'static str,
    /// The page's address.
    pub url: &'static str,
}

/// Policy evaluation logic.
pub const IAM_EVAL: DocPage = DocPage {
    title: "Policy evaluation logic",
    url:
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html",
};

/// Allow or deny within an account.
pub const IAM_EVAL_DA: DocPage = DocPage {
    title: "Allow or deny within an account",
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html",
};

/// Cross-account policy evaluation.
pub const IAM_EVAL_XACCT: DocPage = DocPage {
    title: "Cross-account policy evaluation",
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html",
};

/// Policies and permissions in IAM.
pub const IAM_POLICIES: DocPage = DocPage {
    title: "Policies and permissions in IAM",
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html",
};

/// Session policies.
pub const SESSION: DocPage = DocPage {
    title: "Session policies",
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session",
};

/// Service control policies.
pub const SCP: DocPage = DocPage {
    title: "Service control policies",
    url:
        "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html",
};

/// Resource control policies.
pub const RCP: DocPage = DocPage {
    title: "Resource control policies",
    url:
        "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html",
};

/// Principal element.
pub const PRINCIPAL: DocPage = DocPage {
    title: "Principal element",
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
};

/// Troubleshoot access denied.
pub const TROUBLESHOOT: DocPage = DocPage {
    title: "Troubleshoot access denied",
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html",
};

/// Default KMS key policy.
pub const KMS_DEFAULT: DocPage = DocPage {
    title: "Default KMS key policy",
    url: "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html",
};

/// STS AssumeRole.
pub const STS_ASSUMEROLE: DocPage = DocPage {
    title: "STS AssumeRole",
    url: "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html",
};

/// How S3 authorizes a request.
pub const S3_AUTH: DocPage = DocPage {
    title: "How S3 authorizes a request",
    url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-auth-workflow-object-operation.html",
};

/// VPC endpoint policies.
pub const VPCE: DocPage = DocPage {
    title: "VPC endpoint policies",
    url: "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html",
};

/// IAM policy grammar.
pub const GRAMMAR: DocPage = DocPage {
    title: "IAM policy grammar",
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html",
};

/// Version element.
pub const VERSION: DocPage = DocPage {
    title: "Version element",
    url:
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html",
};

/// Effect element.
pub const EFFECT: DocPage = DocPage {
    title: "Effect element",
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_effect.html",
};

/// Action element.
pub const ACTION: DocPage = DocPage {
    title: "Action element",
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html",
};

/// Resource element.
pub const RESOURCE: DocPage = DocPage {
    title: "Resource element",
    url:
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
};

/// Condition element.
pub const CONDITION: DocPage = DocPage {
    title: "Condition element",
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html",
};

/// Condition operators.
pub const OPERATORS: DocPage = DocPage {
    title: "Condition operators",
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html",
};

/// …IfExists condition operators.
pub const IF_EXISTS: DocPage = DocPage {
    title: "…IfExists condition operators",
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists",
};

/// Multivalued context keys.
pub const MULTI_KEYS: DocPage = DocPage {
    title: "Multivalued context keys",
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html",
};

/// Policy variables.
pub const VARIABLES: DocPage = DocPage {
    title: "Policy variables",
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html",
};

/// Access Analyzer policy checks.
pub const AA_CHECKS: DocPage = DocPage {
    title: "Access Analyzer policy checks",
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html",
};

/// Global condition context keys.
pub const CONDITION_KEYS: DocPage = DocPage {
    title: "Global condition context keys",
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html",
};

/// IAM identifiers.
pub const IDENTIFIERS: DocPage = DocPage {
    title: "IAM identifiers",
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html",
};

/// Access denied messages with policy ARNs.
pub const POLICY_ARN_IN_ERRORS: DocPage = DocPage {
    title: "Access denied messages with policy ARNs",
    url: "https://aws.amazon.com/blogs/security/enhanced-access-denied-error-messages-with-policy-arns",
};

/// STS DecodeAuthorizationMessage.
pub const STS_DECODE: DocPage = DocPage {
    title: "STS DecodeAuthorizationMessage",
    url: "https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html",
};

/// The AWS page behind a section of the rules reference (`docs/rules.md`), from the sources that section
/// cites. `None` for sections no AWS page states: worked examples (7), open questions (8), prior
/// art (9), the source index (10).
pub fn page_for(section: &str) -> Option<DocPage> {
    let (major, minor) = match section.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (section, None),
    };
    Some(match (major, minor) {
        ("1", None | Some("1")) => IAM_EVAL,
        ("1", Some("2")) => IAM_POLICIES,
        ("1", Some("3" | "4")) => IAM_EVAL_DA,
        ("1", Some("5")) => IAM_EVAL_XACCT,
        ("1", Some("6")) => SCP,
        ("1", Some("7")) => RCP,
        ("1", Some("8")) => SESSION,
        ("1", Some("9")) => PRINCIPAL,
        ("1", Some("10")) => TROUBLESHOOT,
        ("2", Some("1")) => KMS_DEFAULT,
        ("2", Some("2")) => STS_ASSUMEROLE,
        ("2", Some("3")) => S3_AUTH,
        ("2", Some("4")) => VPCE,
        ("2", Some("5")) => SESSION,
        ("2", _) => IAM_EVAL_DA,
        ("3", Some("2")) => VERSION,
        ("3", Some("3")) => EFFECT,
        ("3", Some("4" | "5")) => PRINCIPAL,
        ("3", Some("6")) => ACTION,
        ("3", Some("7")) => RESOURCE,
        ("3", Some("8")) => CONDITION,
        ("3", Some("9" | "12")) => OPERATORS,
        ("3", Some("10")) => IF_EXISTS,
        ("3", Some("11")) => MULTI_KEYS,
        ("3", Some("13")) => VARIABLES,
        ("3", Some("15")) => AA_CHECKS,
        ("3", _) => GRAMMAR,
        ("4", _) => CONDITION_KEYS,
        ("5", _) => IDENTIFIERS,
        ("6", Some("5")) => POLICY_ARN_IN_ERRORS,
        ("6", Some("6")) => STS_DECODE,
        ("6", _) => TROUBLESHOOT,
        _ => return None,
    })
}

/// A piece of engine text: plain words, or a link to the AWS page a citation stood for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Words, citations removed.
    Text(String),
    /// The AWS page of one or more citations at this place.
    Link(DocPage),
}

/// Marks a link's place in the text while it is being cleaned (never in engine text).
const MARK: char = '\u{1}';

/// Reads one citation after a `§`: the section (`1.3`, `8-Q24`) and how many bytes it spans
/// (including a trailing ` step N`).
fn citation(rest: &str) -> Option<(String, usize)> {
    let b = rest.as_bytes();
    let digits = |from: usize| {
        (from..b.len())
            .take_while(|&i| b[i].is_ascii_digit())
            .count()
    };
    let mut n = digits(0);
    if n == 0 {
        return None;
    }
    if b.get(n) == Some(&b'.') && digits(n + 1) > 0 {
        n += 1 + digits(n + 1);
    }
    let section = rest[..n].to_string();
    if rest[n..].starts_with("-Q") && digits(n + 2) > 0 {
        n += 2 + digits(n + 2);
    }
    if rest[n..].starts_with(" step ") && digits(n + 6) > 0 {
        n += 6 + digits(n + 6);
        while rest[n..].starts_with('/') && digits(n + 1) > 0 {
            n += 1 + digits(n + 1);
        }
    }
    Some((section, n))
}

/// Engine text as words and AWS links: each citation becomes a link to its section's page (the
/// same page cited twice in a row is linked once); citations without a page are dropped with the
/// punctuation they leave ("(§8-Q2)", ", §7").
pub fn pieces(text: &str) -> Vec<Piece> {
    if !text.contains('§') {
        return vec![Piece::Text(text.to_string())];
    }
    let mut links: Vec<DocPage> = Vec::new();
    let mut marked = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('§') {
        marked.push_str(&rest[..i]);
        let after = &rest[i + '§'.len_utf8()..];
        match citation(after) {
            Some((section, n)) => {
                if let Some(page) = page_for(&section) {
                    marked.push(MARK);
                    marked.push(char::from_u32(0xE000 + links.len() as u32).unwrap_or(MARK));
                    links.push(page);
                }
                rest = &after[n..];
            }
            // A lone `§`: dropped.
            None => rest = after,
        }
    }
    marked.push_str(rest);
    let cleaned = tidy(&marked);
    let mut out = Vec::new();
    let mut seen: Option<DocPage> = None;
    let mut buf = String::new();
    let mut chars = cleaned.chars();
    while let Some(c) = chars.next() {
        if c != MARK {
            buf.push(c);
            continue;
        }
        let Some(page) = chars
            .next()
            .and_then(|k| links.get((k as u32).wrapping_sub(0xE000) as usize))
        else {
            continue;
        };
        // The same page twice in one group of citations: link it once.
        if seen == Some(*page) && buf.trim_matches([',', ' ']).is_empty() {
            buf.clear();
            continue;
        }
        if !buf.is_empty() {
            out.push(Piece::Text(std::mem::take(&mut buf)));
        }
        seen = Some(*page);
        out.push(Piece::Link(*page));
    }
    if !buf.is_empty() {
        out.push(Piece::Text(buf));
    }
    out
}

/// Engine text for a terminal or JSON: each citation replaced by its AWS page's address.
pub fn with_urls(text: &str) -> Cow<'_, str> {
    if !text.contains('§') {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        pieces(text)
            .into_iter()
            .map(|p| match p {
                Piece::Text(t) => t,
                Piece::Link(page) => page.url.to_string(),
            })
            .collect(),
    )
}

/// Cleans the punctuation a dropped citation leaves: "(, x)", "(x, )", " ()", doubled spaces.
fn tidy(s: &str) -> String {
    let mut t = s.to_string();
    loop {
        let before = t.len();
        for (from, to) in [
            ("(, ", "("),
            ("(; ", "("),
            (", )", ")"),
            ("; )", ")"),
            (": )", ")"),
            (", ,", ","),
            (" ()", ""),
            ("()", ""),
            ("  ", " "),
        ] {
            t = t.replace(from, to);
        }
        if t.len() == before {
            break;
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> String {
        pieces(text)
            .into_iter()
            .map(|p| match p {
                Piece::Text(t) => t,
                Piece::Link(page) => format!("[{}]", page.title),
            })
            .collect()
    }

    #[test]
    fn citations_become_links_to_the_aws_page() {
        assert_eq!(
            pieces("an explicit deny overrides every Allow (§1.3 step 1)"),
            vec![
                Piece::Text("an explicit deny overrides every Allow (".into()),
                Piece::Link(IAM_EVAL_DA),
                Piece::Text(")".into()),
            ]
        );
        assert_eq!(
            shown("cross-account needs both sides to allow, §1.5)"),
            "cross-account needs both sides to allow, [Cross-account policy evaluation])"
        );
    }

    #[test]
    fn open_questions_are_dropped_with_their_punctuation() {
        assert_eq!(
            shown("which only the pattern \"*\" matches, §8-Q24)"),
            "which only the pattern \"*\" matches)"
        );
        assert_eq!(
            shown("we assume it need not (§8-Q2). Next"),
            "we assume it need not. Next"
        );
        assert_eq!(
            shown("must still allow it (§2.2, §8-Q2)"),
            "must still allow it ([STS AssumeRole])"
        );
    }

    #[test]
    fn the_same_page_twice_is_linked_once() {
        assert_eq!(
            shown("x (§1.3, §1.4)"),
            "x ([Allow or deny within an account])"
        );
        assert_eq!(
            shown("x (§1.9, §4.6)"),
            "x ([Principal element], [Global condition context keys])"
        );
    }

    #[test]
    fn terminal_text_carries_addresses_and_no_section_mark() {
        assert_eq!(
            with_urls("the root user has full access in its own account (§1.9)"),
            format!(
                "the root user has full access in its own account ({})",
                PRINCIPAL.url
            )
        );
        for t in [
            "§",
            "a § b",
            "(§7)",
            "§10 index",
            "x (§1.3 step 1/4/6)",
            "§3.13 and §4.7",
        ] {
            assert!(!with_urls(t).contains('§'), "{t}: {}", with_urls(t));
        }
        assert!(matches!(with_urls("no citation"), Cow::Borrowed(_)));
    }
}
