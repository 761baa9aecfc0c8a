//! Whether the reproduction agrees with what AWS claimed.

use serde::Serialize;

/// One comparison between AWS's claim and the reproduction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgreementCheck {
    /// `decision`, `layer`, `policy_arn`, `matched_statement`.
    pub what: String,
    /// What AWS said.
    pub aws: String,
    /// What iamtrace found.
    pub iamtrace: String,
    pub agrees: bool,
}

/// Whether the reproduction agrees with AWS and, when not, what is most likely missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Agreement {
    pub agrees: bool,
    pub checks: Vec<AgreementCheck>,
    /// What input is most likely missing or wrong, most likely first.
    pub likely_missing: Vec<String>,
    pub summary: String,
}

/// Placeholder until `decision::Evaluation` lands.
pub fn agreement() -> Agreement {
    Agreement::default()
}
