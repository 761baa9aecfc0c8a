//! Validation of a parsed policy against its policy type (§3.4) and the checks of §3.15 that
//! need no action catalog.

use super::grammar::{Findings, SourceFacts};
use super::{Policy, PolicyType};

/// Adds the validation findings for `policy` read as `policy_type`.
pub(super) fn validate(
    policy: &Policy,
    facts: &SourceFacts,
    policy_type: PolicyType,
    out: &mut Findings,
) {
    let _ = (policy, facts, policy_type, out);
}
