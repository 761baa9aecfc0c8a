//! Engine text as the page shows it: every sentence the engine writes (gate reasons, traces,
//! notes, input errors) goes through [`rich`] (for text on the page) or [`plain`] (for attributes
//! such as `aria-label`). Both speak in the page's labels instead of scenario field names
//! (`request.principal` → "Principal", `policy_arn` → "policy ARN"), and turn the engine's
//! citations of its rule reference ("(§1.4)") into links to the AWS documentation page that
//! rule comes from, or drop them where no AWS page says it (open questions, worked examples).

use leptos::prelude::*;

/// An AWS documentation page a rule comes from: (short title, URL).
type DocPage = (&'static str, &'static str);

const IAM_EVAL: DocPage = (
    "Policy evaluation logic",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html",
);
const IAM_EVAL_DA: DocPage = (
    "Allow or deny within an account",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html",
);
const IAM_EVAL_XACCT: DocPage = (
    "Cross-account policy evaluation",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html",
);
const IAM_POLICIES: DocPage = (
    "Policies and permissions in IAM",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html",
);
const SESSION: DocPage = (
    "Session policies",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session",
);
const SCP: DocPage = (
    "Service control policies",
    "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html",
);
const RCP: DocPage = (
    "Resource control policies",
    "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html",
);
const PRINCIPAL: DocPage = (
    "Principal element",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
);
const TROUBLESHOOT: DocPage = (
    "Troubleshoot access denied",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html",
);
const KMS_DEFAULT: DocPage = (
    "Default KMS key policy",
    "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html",
);
const STS_ASSUMEROLE: DocPage = (
    "STS AssumeRole",
    "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html",
);
const S3_AUTH: DocPage = (
    "How S3 authorizes a request",
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-auth-workflow-object-operation.html",
);
const VPCE: DocPage = (
    "VPC endpoint policies",
    "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html",
);
const GRAMMAR: DocPage = (
    "IAM policy grammar",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html",
);
const VERSION: DocPage = (
    "Version element",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html",
);
const EFFECT: DocPage = (
    "Effect element",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_effect.html",
);
const ACTION: DocPage = (
    "Action element",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html",
);
const RESOURCE: DocPage = (
    "Resource element",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
);
const CONDITION: DocPage = (
    "Condition element",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html",
);
const OPERATORS: DocPage = (
    "Condition operators",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html",
);
const IF_EXISTS: DocPage = (
    "…IfExists condition operators",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists",
);
const MULTI_KEYS: DocPage = (
    "Multivalued context keys",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html",
);
const VARIABLES: DocPage = (
    "Policy variables",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html",
);
const AA_CHECKS: DocPage = (
    "Access Analyzer policy checks",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html",
);
const CONDITION_KEYS: DocPage = (
    "Global condition context keys",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html",
);
const IDENTIFIERS: DocPage = (
    "IAM identifiers",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html",
);
const POLICY_ARN_IN_ERRORS: DocPage = (
    "Access denied messages with policy ARNs",
    "https://aws.amazon.com/blogs/security/enhanced-access-denied-error-messages-with-policy-arns",
);
const STS_DECODE: DocPage = (
    "STS DecodeAuthorizationMessage",
    "https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html",
);

/// The AWS page behind a section of the engine's rule reference, from the sources that section
/// cites. `None` for sections no AWS page states: worked examples (7), open questions (8), prior
/// art (9), the source index (10).
fn doc_page(section: &str) -> Option<DocPage> {
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

/// A piece of engine text: plain words, or a link to an AWS documentation page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Link {
        title: &'static str,
        url: &'static str,
    },
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

/// The page's label for a scenario place (`request.principal`, `policies.scp[1][0]`).
pub fn place_label(place: &str) -> String {
    if let Some(key) = place.strip_prefix("request.context.") {
        return format!("context key {key}");
    }
    if let Some(field) = place.strip_prefix("request.") {
        return match field {
            "principal" => "Principal".into(),
            "action" => "Action".into(),
            "resource" => "Resource".into(),
            "resource_account" => "Resource account".into(),
            "context" => "Context keys".into(),
            other => field_words(other),
        };
    }
    if let Some(rest) = place.strip_prefix("policies.") {
        let (layer, idx) = rest.split_at(rest.find('[').unwrap_or(rest.len()));
        let nums: Vec<usize> = idx
            .split(['[', ']'])
            .filter_map(|s| s.parse::<usize>().ok())
            .collect();
        let noun = match layer {
            "identity" => "Identity-based policy",
            "resource" => "Resource-based policy",
            "permissions_boundary" => "Permissions boundary",
            "scp" => "SCP",
            "rcp" => "RCP",
            "session" => "Session policy",
            "vpc_endpoint" => "VPC endpoint policy",
            _ => return field_words(rest),
        };
        return match nums.as_slice() {
            [level, i] => format!("{noun} {} at level {}", i + 1, level + 1),
            [i] => format!("{noun} {}", i + 1),
            _ => noun.to_string(),
        };
    }
    field_words(place)
}

/// A scenario field name in words, as the page labels it.
fn field_words(name: &str) -> String {
    match name {
        "resource_account" => "Resource account".into(),
        "policy_arn" => "policy ARN".into(),
        "matched_statement" => "matched statement".into(),
        "denied_by" => "blamed layer".into(),
        "permissions_boundary" => "permissions boundary".into(),
        "vpc_endpoint" => "VPC endpoint".into(),
        "explicit_deny" => "explicit deny".into(),
        "implicit_deny" => "implicit deny".into(),
        other => other.replace('_', " "),
    }
}

const FIELD_NAMES: &[&str] = &[
    "resource_account",
    "policy_arn",
    "matched_statement",
    "denied_by",
    "permissions_boundary",
    "vpc_endpoint",
    "explicit_deny",
    "implicit_deny",
];

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Replaces scenario places and field names with the page's labels.
fn speak_labels(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let at_word_start = out.chars().last().is_none_or(|c| !is_word(c) && c != '.');
        if at_word_start && (rest.starts_with("request.") || rest.starts_with("policies.")) {
            // A place runs to the next space, or to ": " (context keys contain colons).
            let mut end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            if let Some(colon) = rest[..end].rfind(':') {
                if colon + 1 == end || rest[colon + 1..].starts_with(' ') {
                    end = colon;
                }
            }
            let place = rest[..end].trim_end_matches([',', ';', ')', '.']);
            if place.len() > "request.".len() {
                out.push_str(&place_label(place));
                rest = &rest[place.len()..];
                continue;
            }
        }
        if at_word_start {
            if let Some(name) = FIELD_NAMES.iter().find(|n| {
                rest.starts_with(**n) && rest[n.len()..].chars().next().is_none_or(|c| !is_word(c))
            }) {
                out.push_str(&field_words(name));
                rest = &rest[name.len()..];
                continue;
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Engine text in the page's words, its citations as links (or dropped).
pub fn pieces(text: &str) -> Vec<Piece> {
    let text = speak_labels(text);
    let mut links: Vec<DocPage> = Vec::new();
    let mut marked = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find('§') {
        marked.push_str(&rest[..i]);
        let after = &rest[i + '§'.len_utf8()..];
        match citation(after) {
            Some((section, n)) => {
                if let Some(page) = doc_page(&section) {
                    marked.push(MARK);
                    marked.push(char::from_u32(0xE000 + links.len() as u32).unwrap_or(MARK));
                    links.push(page);
                }
                rest = &after[n..];
            }
            // A lone `§`: dropped, as the page shows no section marks.
            None => rest = after,
        }
    }
    marked.push_str(rest);
    let cleaned = if text.contains('§') {
        tidy(&marked)
    } else {
        marked
    };
    let mut out = Vec::new();
    let mut seen: Vec<&'static str> = Vec::new();
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
        if seen.last() == Some(&page.1) && buf.trim_matches([',', ' ']).is_empty() {
            buf.clear();
            continue;
        }
        if !buf.is_empty() {
            out.push(Piece::Text(std::mem::take(&mut buf)));
        }
        seen.push(page.1);
        out.push(Piece::Link {
            title: page.0,
            url: page.1,
        });
    }
    if !buf.is_empty() {
        out.push(Piece::Text(buf));
    }
    out
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

/// Engine text without any citation, for attributes (`aria-label`, tooltips).
pub fn plain(text: &str) -> String {
    pieces(text)
        .into_iter()
        .map(|p| match p {
            Piece::Text(t) => t,
            Piece::Link { title, .. } => title.to_string(),
        })
        .collect::<String>()
}

/// Engine text for the page: words, and links to the AWS documentation it cites.
pub fn rich(text: &str) -> impl IntoView {
    pieces(text)
        .into_iter()
        .map(|p| match p {
            Piece::Text(t) => t.into_any(),
            Piece::Link { title, url } => view! {
                <a class="cite" href=url target="_blank" rel="noopener noreferrer"
                    title="AWS documentation">{title}" ↗"</a>
            }
            .into_any(),
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> String {
        pieces(text)
            .into_iter()
            .map(|p| match p {
                Piece::Text(t) => t,
                Piece::Link { title, .. } => format!("[{title}]"),
            })
            .collect()
    }

    #[test]
    fn citations_become_links_to_the_aws_page() {
        let p = pieces("an explicit deny overrides every Allow (§1.3 step 1)");
        assert_eq!(
            p,
            vec![
                Piece::Text("an explicit deny overrides every Allow (".into()),
                Piece::Link {
                    title: IAM_EVAL_DA.0,
                    url: IAM_EVAL_DA.1
                },
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
    fn no_section_mark_survives() {
        for t in [
            "§",
            "a § b",
            "(§7)",
            "§10 index",
            "x (§1.3 step 1/4/6)",
            "§3.13 and §4.7",
        ] {
            assert!(!plain(t).contains('§'), "{t}: {}", plain(t));
        }
    }

    #[test]
    fn field_names_become_labels() {
        assert_eq!(
            plain("request.principal: 'alice' is not a principal ARN"),
            "Principal: 'alice' is not a principal ARN"
        );
        assert_eq!(
            plain("policies.permissions_boundary: the policy is not valid JSON"),
            "Permissions boundary: the policy is not valid JSON"
        );
        assert_eq!(
            plain("policies.scp[1][0]: bad; request.context.aws:SourceIp: bad"),
            "SCP 1 at level 2: bad; context key aws:SourceIp: bad"
        );
        assert_eq!(
            plain("no resource_account was given (decision, layer, policy_arn differ)"),
            "no Resource account was given (decision, layer, policy ARN differ)"
        );
        // Inside other words and ARNs, nothing changes.
        assert_eq!(
            plain("my_policy_arn_x aws:ResourceAccount"),
            "my_policy_arn_x aws:ResourceAccount"
        );
    }
}
