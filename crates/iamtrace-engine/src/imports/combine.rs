//! Combining two imports of one case: the request and AWS's claim from an error, decoded message,
//! CloudTrail event or troubleshooter output, plus the policies of an authorization-details file
//! (imported with the first one's principal).

use crate::scenario::Scenario;

/// Returns `primary` with what it lacks taken from `secondary`: each policy layer `primary` does
/// not have, context keys it does not set (its own values win), and the claim if it has none.
/// The notes say what was taken and any disagreement between the two.
pub fn combine(primary: &Scenario, secondary: &Scenario) -> (Scenario, Vec<String>) {
    let mut out = primary.clone();
    let mut notes = Vec::new();
    let (p, s) = (&mut out.policies, &secondary.policies);
    let mut took = |name: &str, taken: bool| {
        if taken {
            notes.push(format!("{name} taken from the second artefact"));
        }
    };
    if p.identity.as_ref().is_none_or(Vec::is_empty) && s.identity.is_some() {
        p.identity = s.identity.clone();
        took("identity policies", true);
    }
    macro_rules! fill {
        ($field:ident, $label:expr) => {
            if p.$field.is_none() && s.$field.is_some() {
                p.$field = s.$field.clone();
                took($label, true);
            }
        };
    }
    fill!(resource, "resource-based policy");
    fill!(permissions_boundary, "permissions boundary");
    fill!(scp, "SCPs");
    fill!(rcp, "RCPs");
    fill!(session, "session policies");
    fill!(vpc_endpoint, "VPC endpoint policy");
    for (k, v) in &secondary.request.context {
        if !out
            .request
            .context
            .keys()
            .any(|have| have.eq_ignore_ascii_case(k))
        {
            out.request.context.insert(k.clone(), v.clone());
            notes.push(format!("context key {k} taken from the second artefact"));
        } else if let Some((_, mine)) = out
            .request
            .context
            .iter()
            .find(|(have, _)| have.eq_ignore_ascii_case(k))
        {
            if mine != v {
                notes.push(format!(
                    "the two artefacts disagree on {k} ({mine} and {v}); kept {mine}"
                ));
            }
        }
    }
    if out.request.principal.is_none() {
        out.request.principal = secondary.request.principal.clone();
    }
    if out.request.action.is_empty() {
        out.request.action = secondary.request.action.clone();
    }
    let unset = |r: &str| r.is_empty() || r == "*";
    if unset(&out.request.resource) && !unset(&secondary.request.resource) {
        out.request.resource = secondary.request.resource.clone();
    }
    if out.request.resource_account.is_none() {
        out.request.resource_account = secondary.request.resource_account.clone();
    }
    if out.observed.is_none() {
        out.observed = secondary.observed.clone();
    }
    let o = &mut out.options;
    o.caller_has_permissions_boundary |= secondary.options.caller_has_permissions_boundary;
    o.caller_is_management_account |= secondary.options.caller_is_management_account;
    o.resource_in_management_account |= secondary.options.resource_in_management_account;
    (out, notes)
}
