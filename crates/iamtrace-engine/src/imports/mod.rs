//! Importers: turn what a user has (a decoded authorization message, AccessDenied text, a
//! CloudTrail event, Access Troubleshooter output, `get-account-authorization-details` output, the
//! output of the collect snippet, or a scenario file) into a [`Scenario`], keeping what AWS itself claimed as [`Observed`]
//! (rules §6). The kind is detected from the text; the user just pastes.
//!
//! After evaluation, [`agreement`] compares the reproduction with AWS's claim and names what input
//! is most likely missing.

mod agreement;
mod authorization_details;
mod cloudtrail;
mod collected;
mod combine;
mod decoded_message;
mod detect;
mod error_text;
mod observed;
mod troubleshooter;
mod util;

pub use agreement::{agreement, scenario_agreement, Agreement, AgreementCheck};
pub use combine::combine;
pub use observed::{Observed, ObservedPolicy, ObservedStatement};

use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};

/// The kinds of artefact [`import`] recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArtefactKind {
    /// Output of `aws sts decode-authorization-message`, whole or its inner JSON (§6.6).
    DecodedMessage,
    /// AccessDenied / UnauthorizedOperation error text, bare or inside an SDK/CLI wrapper (§6.1).
    ErrorText,
    /// A CloudTrail event, one record or `{"Records": […]}`.
    CloudtrailEvent,
    /// Output of IAM Access Troubleshooter's `GetRequestAuthorizationDetails`.
    AccessTroubleshooter,
    /// Output of `aws iam get-account-authorization-details`.
    AuthorizationDetails,
    /// An iamtrace scenario file.
    Scenario,
    /// The output of iamtrace's "collect everything" snippet (`iamtrace_collect`).
    Collected,
    /// The raw output of an AWS CLI command that prints one policy (`s3api get-bucket-policy`…).
    PolicyOutput,
}

impl ArtefactKind {
    /// The snake_case name used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            ArtefactKind::DecodedMessage => "decoded_message",
            ArtefactKind::ErrorText => "error_text",
            ArtefactKind::CloudtrailEvent => "cloudtrail_event",
            ArtefactKind::AccessTroubleshooter => "access_troubleshooter",
            ArtefactKind::AuthorizationDetails => "authorization_details",
            ArtefactKind::Scenario => "scenario",
            ArtefactKind::Collected => "collected",
            ArtefactKind::PolicyOutput => "policy_output",
        }
    }
}

/// Choices the artefact alone does not settle.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportOptions {
    /// The principal to pick: an IAM user, role or role-session ARN (or a bare user/role name) in
    /// an authorization-details file; the caller whose record to pick among several CloudTrail
    /// records.
    pub principal: Option<String>,
    /// The CloudTrail record to pick, by its position (from 0) among the records of the paste,
    /// when several were denied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<usize>,
}

/// An alternative the import did not pick, with the options that pick it instead: the page's
/// picker and the CLI's `--principal` offer these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choice {
    /// "s3:GetObject by arn:aws:iam::111122223333:user/mateo at 2026-…, AccessDenied".
    pub label: String,
    pub options: ImportOptions,
}

impl Choice {
    /// The choice of a principal (authorization details, CloudTrail callers).
    pub(crate) fn principal(arn: &str) -> Choice {
        Choice {
            label: arn.to_string(),
            options: ImportOptions {
                principal: Some(arn.to_string()),
                record: None,
            },
        }
    }
}

/// The result of an import: the scenario plus what was recognised and filled.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Import {
    pub kind: ArtefactKind,
    /// The scenario, written as JSON by [`Scenario::to_json`]; AWS's claim is in `observed`.
    #[serde(serialize_with = "scenario_as_json")]
    pub scenario: Scenario,
    /// What was recognised, in a sentence: "an AWS CLI decode-authorization-message output for
    /// user arn:aws:iam::111122223333:user/mateo".
    pub recognised: String,
    /// What the import filled: "principal", "action", "context key aws:SourceVpce", "identity
    /// policy AllowS3"…
    pub filled: Vec<String>,
    /// What the user should know or do next (assumptions, missing inputs, the decode command).
    pub notes: Vec<String>,
    /// Alternatives the import did not pick (other denied CloudTrail records, other resources…).
    pub candidates: Vec<String>,
    /// The alternatives that can be picked instead, with the options that pick each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Choice>,
}

fn scenario_as_json<S: serde::Serializer>(s: &Scenario, ser: S) -> Result<S::Ok, S::Error> {
    s.to_json().serialize(ser)
}

/// Why the text could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportError {
    /// "not recognised: looks like JSON but has none of the fields of …".
    pub reason: String,
    /// When the import needs a choice (several principals in an authorization-details file), the
    /// values `ImportOptions::principal` accepts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<String>,
    /// The same alternatives with the options that pick each (for a picker).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Choice>,
}

impl ImportError {
    pub(crate) fn new(reason: impl Into<String>) -> Self {
        ImportError {
            reason: reason.into(),
            candidates: Vec::new(),
            choices: Vec::new(),
        }
    }

    /// The error with principals to choose from.
    pub(crate) fn with_principals(mut self, arns: Vec<String>) -> Self {
        self.choices = arns.iter().map(|a| Choice::principal(a)).collect();
        self.candidates = arns;
        self
    }
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason)?;
        if !self.candidates.is_empty() {
            write!(f, " (choices: {})", self.candidates.join(", "))?;
        }
        Ok(())
    }
}

impl std::error::Error for ImportError {}

/// Reads any artefact the user pasted into a scenario. The kind is detected from the text.
pub fn import(text: &str, options: &ImportOptions) -> Result<Import, ImportError> {
    detect::import(text, options)
}

/// Reads the text as the given kind of artefact, without detecting it (for a caller that knows
/// what it has, and for fuzzing each importer on its own). A text of another kind is refused or
/// yields a scenario with little filled, never a panic.
pub fn import_as(
    kind: ArtefactKind,
    text: &str,
    options: &ImportOptions,
) -> Result<Import, ImportError> {
    detect::import_as(kind, text, options)
}
