//! `Resource` entries against the resource types of the statement's actions:
//! `resource-type-mismatch`.
//!
//! Each action is authorized on the resource types the Service Authorization Reference lists
//! for it; an action with none "does not support resource-level permissions", and only
//! `"Resource": "*"` covers it
//! (<https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html>).
//! Only actions named exactly are checked: `s3:Get*` rightly lists objects and buckets alike.

use super::actions::Resolved;
use crate::catalog::{pattern_may_match_format, ActionRef};
use crate::policy::{Finding, Severity, Statement};

/// Whether some `Resource` entry can be a resource of the action.
pub fn resources_fit(action: &ActionRef<'_>, patterns: &[&str]) -> bool {
    let mut types = action.resource_types().peekable();
    if types.peek().is_none() {
        return patterns.contains(&"*");
    }
    types.any(|(t, _)| {
        t.arn_formats()
            .iter()
            .any(|f| patterns.iter().any(|p| pattern_may_match_format(p, f)))
    })
}

/// The resource types of an action, as `bucket (arn:${Partition}:s3:::${BucketName})`.
pub fn describe_types(action: &ActionRef<'_>) -> String {
    let types: Vec<String> = action
        .resource_types()
        .map(|(t, _)| format!("{} `{}`", t.name(), t.arn_formats().join("` or `")))
        .collect();
    types.join(", ")
}

pub(super) fn check_resources(listed: &Resolved, statement: &Statement, out: &mut Vec<Finding>) {
    let Some(block) = &statement.resource else {
        return;
    };
    if block.negated || block.patterns.is_empty() || statement.unreadable("Resource").is_some() {
        return;
    }
    let patterns: Vec<&str> = block.patterns.iter().map(|p| p.value.as_str()).collect();
    let mut seen: Vec<*const crate::catalog::Action> = Vec::new();
    for (action, entry, exact) in &listed.actions {
        if !exact || seen.contains(&(action.action as *const _)) {
            continue;
        }
        seen.push(action.action);
        if resources_fit(action, &patterns) {
            continue;
        }
        let name = action.full_name();
        let message = if action.resource_types().next().is_none() {
            format!(
                "`{name}` does not support resource-level permissions: only `\"Resource\": \"*\"` \
                 covers it, so this statement never applies to it. \
                 https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html"
            )
        } else {
            format!(
                "`{name}` is authorized on {}; no Resource entry of this statement can be one of \
                 them, so the statement never applies to `{name}`. \
                 https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
                describe_types(action)
            )
        };
        out.push(Finding {
            severity: Severity::Error,
            code: crate::policy::FindingCode::ResourceTypeMismatch,
            message,
            span: entry.span,
        });
    }
}
