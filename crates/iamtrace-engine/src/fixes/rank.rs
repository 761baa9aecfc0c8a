//! Which fix comes first. Least privilege and the user's intent, in this order: a change the user
//! can make before one only the organization's administrators can; fewer changes; changes at the
//! layer AWS blamed before changes elsewhere; then by tactic (editing the statement that nearly
//! applied, then a context value, a key policy delegation, a new statement, an exemption from a
//! Deny, narrowing it, removing it).

use super::candidates::{Candidate, Tactic};
use crate::decision::Layer;

/// The sort key of a fix made of `path` (smaller is better).
pub(super) fn score(
    path: &[Candidate],
    blamed: Option<Layer>,
) -> (bool, usize, usize, Vec<Tactic>) {
    let org = path.iter().any(|c| c.tactic == Tactic::Organization);
    let elsewhere = path.iter().filter(|c| Some(c.at.layer) != blamed).count();
    let mut tactics: Vec<Tactic> = path.iter().map(|c| c.tactic).collect();
    tactics.sort();
    tactics.reverse();
    (org, path.len(), elsewhere, tactics)
}
