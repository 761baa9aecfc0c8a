//! `Action`/`NotAction` entries against the catalog: `unknown-service`, `unknown-action`,
//! `action-pattern-matches-nothing`.

use super::suggest::closest;
use crate::catalog::{ActionRef, Catalog};
use crate::matching::action_matches;
use crate::matching::wildcard::{glob_match, has_wildcard, Case};
use crate::policy::{ActionBlock, Finding, Severity, Spanned};

/// The catalog actions an `Action` element names.
#[derive(Debug, Default)]
pub struct Resolved {
    /// `"*"` is listed: every action.
    pub everything: bool,
    /// The actions named or matched, each with the entry that named it and whether that entry
    /// is an exact name (no wildcard).
    pub actions: Vec<(ActionRef<'static>, Spanned<String>, bool)>,
    /// Some entry could not be resolved (unknown service or action, malformed): the list is
    /// incomplete, so no conclusion may rest on what it lacks.
    pub incomplete: bool,
}

/// The catalog actions of an `Action` element, without findings.
pub fn resolve_actions(cat: &'static Catalog, block: &ActionBlock) -> Resolved {
    check_actions(cat, block, &mut Vec::new())
}

pub(super) fn check_actions(
    cat: &'static Catalog,
    block: &ActionBlock,
    out: &mut Vec<Finding>,
) -> Resolved {
    let mut resolved = Resolved::default();
    for entry in &block.patterns {
        let text = entry.value.as_str();
        if text == "*" {
            resolved.everything = true;
            continue;
        }
        // Malformed entries are the grammar's `invalid-action`.
        let Some((prefix, name)) = text.split_once(':') else {
            resolved.incomplete = true;
            continue;
        };
        if prefix.is_empty() || name.is_empty() {
            resolved.incomplete = true;
            continue;
        }
        if has_wildcard(prefix) {
            let before = resolved.actions.len();
            for service in cat.services() {
                if glob_match(prefix, service.prefix(), Case::AsciiInsensitive) {
                    for a in service.action_refs() {
                        if action_matches(text, &a.full_name()) {
                            resolved.actions.push((a, entry.clone(), false));
                        }
                    }
                }
            }
            if resolved.actions.len() == before {
                nothing(entry, out);
            }
            continue;
        }
        let Some(service) = cat.service(prefix) else {
            resolved.incomplete = true;
            let hint = match closest(prefix, cat.services().iter().map(|s| s.prefix())) {
                Some(p) => format!("; did you mean `{p}`?"),
                None => String::new(),
            };
            out.push(Finding {
                severity: Severity::Error,
                code: crate::policy::FindingCode::UnknownService,
                message: format!(
                    "`{prefix}` is not a service prefix in AWS's Service Authorization Reference \
                     ({}){hint} The entry grants or denies nothing. \
                     https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
                    cat.source()
                ),
                span: entry.span,
            });
            continue;
        };
        if has_wildcard(name) {
            let before = resolved.actions.len();
            for a in service.action_refs() {
                if glob_match(name, a.action.name(), Case::AsciiInsensitive) {
                    resolved.actions.push((a, entry.clone(), false));
                }
            }
            if resolved.actions.len() == before {
                nothing(entry, out);
            }
            continue;
        }
        match service.action(name) {
            Some(action) => {
                resolved
                    .actions
                    .push((ActionRef { service, action }, entry.clone(), true))
            }
            None => {
                resolved.incomplete = true;
                let hint = match closest(name, service.actions().iter().map(|a| a.name())) {
                    Some(n) => format!(" Did you mean `{}:{n}`?", service.prefix()),
                    None => String::new(),
                };
                out.push(Finding {
                    severity: Severity::Error,
                    code: crate::policy::FindingCode::UnknownAction,
                    message: format!(
                        "`{text}` is not an action of {}: it grants or denies nothing.{hint} \
                         https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
                        service.prefix()
                    ),
                    span: entry.span,
                });
            }
        }
    }
    resolved
}

fn nothing(entry: &Spanned<String>, out: &mut Vec<Finding>) {
    out.push(Finding {
        severity: Severity::Warning,
        code: crate::policy::FindingCode::ActionPatternMatchesNothing,
        message: format!(
            "`{}` matches no action in AWS's Service Authorization Reference: the entry grants or \
             denies nothing",
            entry.value
        ),
        span: entry.span,
    });
}
