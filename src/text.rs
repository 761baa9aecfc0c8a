//! Engine text as the page shows it: every sentence the engine writes (gate reasons, traces,
//! notes, input errors) goes through [`rich`] (for text on the page) or [`plain`] (for attributes
//! such as `aria-label`). Both speak in the page's labels instead of scenario field names
//! (`request.principal` → "Principal", `policy_arn` → "policy ARN"), and turn the engine's
//! citations of its rule reference ("(§1.4)") into links to the AWS documentation page that
//! rule comes from, or drop them where no AWS page says it (open questions, worked examples).

use leptos::prelude::*;

use iamtrace_engine::explain::aws_docs;

/// A piece of engine text: plain words, or a link to an AWS documentation page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Link {
        title: &'static str,
        url: &'static str,
    },
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
    aws_docs::pieces(&speak_labels(text))
        .into_iter()
        .map(|p| match p {
            aws_docs::Piece::Text(t) => Piece::Text(t),
            aws_docs::Piece::Link(page) => Piece::Link {
                title: page.title,
                url: page.url,
            },
        })
        .collect()
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
                    title: aws_docs::IAM_EVAL_DA.title,
                    url: aws_docs::IAM_EVAL_DA.url
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
