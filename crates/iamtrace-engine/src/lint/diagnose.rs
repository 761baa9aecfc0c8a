//! Decides a [`Diagnosis`] for a statement that failed on `Resource`, from the catalog: which
//! resource type the request's resource is, and which ones the statement's entries name.

use crate::catalog::{self, arn_fits_format, pattern_may_match_format};
use crate::explain::{Applies, Diagnosis, DiagnosisKind, StatementTrace};
use crate::policy::Statement;
use crate::request::Request;

/// The diagnosis of a statement trace, when the catalog explains its failure.
pub fn diagnose(
    statement: &Statement,
    trace: &StatementTrace,
    request: &Request,
) -> Option<Diagnosis> {
    if trace.action.passes != Applies::Yes || trace.resource.passes != Applies::No {
        return None;
    }
    let block = statement.resource.as_ref().filter(|b| !b.negated)?;
    if request.resource == "*" {
        return None;
    }
    let cat = catalog::catalog()?;
    let action = cat.action(&request.action)?;
    let fits = |formats: &[String]| {
        formats
            .iter()
            .any(|f| arn_fits_format(&request.resource, f))
    };
    let Some((request_type, _)) = action.resource_types().find(|(t, _)| fits(t.arn_formats()))
    else {
        let types: Vec<(String, String)> = action
            .resource_types()
            .map(|(t, _)| (t.name().to_string(), t.arn_formats().join(" or ")))
            .collect();
        if types.is_empty() {
            return None;
        }
        return Some(Diagnosis::new(DiagnosisKind::RequestFitsNoType {
            action: action.full_name(),
            resource: request.resource.clone(),
            types,
        }));
    };
    // The resource type each entry names (among the service's types), when it names one only
    // of other types than the request's.
    let mut listed = Vec::new();
    for entry in &block.patterns {
        let p = entry.value.as_str();
        if p.contains("${") || p == "*" {
            return None;
        }
        let named: Vec<&str> = action
            .service
            .resource_types()
            .iter()
            .filter(|t| {
                t.arn_formats()
                    .iter()
                    .any(|f| pattern_may_match_format(p, f))
            })
            .map(|t| t.name())
            .collect();
        if named.is_empty() || named.contains(&request_type.name()) {
            return None;
        }
        listed.push((
            p.to_string(),
            named.first().copied().unwrap_or_default().to_string(),
        ));
    }
    if listed.is_empty() {
        return None;
    }
    Some(Diagnosis::new(DiagnosisKind::WrongResourceType {
        action: action.full_name(),
        resource: request.resource.clone(),
        request_type: request_type.name().to_string(),
        listed,
    }))
}
