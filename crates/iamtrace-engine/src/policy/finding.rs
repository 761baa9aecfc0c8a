//! Validation findings, graded as IAM Access Analyzer grades them (§3.15).

use super::span::Span;
use serde::Serialize;

/// How serious a finding is (Access Analyzer's four grades).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// AWS would reject the policy (or an element of it) when saving.
    Error,
    /// The policy grants more than it seems to.
    SecurityWarning,
    /// Legal but probably not what was meant.
    Warning,
    /// A simplification or clean-up.
    Suggestion,
}

/// One validation finding: a stable code, a message and the span it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// Stable identifier such as `missing-effect` (kebab-case; never renamed once released).
    pub code: &'static str,
    pub message: String,
    pub span: Span,
}
