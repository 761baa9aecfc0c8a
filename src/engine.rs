//! The page's calls into the engine (in-process Rust, not the JS bindings), in one place.

use crate::state::Case;
use iamtrace_engine::decision::Evaluation;
pub use iamtrace_engine::imports::{Choice, ImportOptions};
use iamtrace_engine::scenario::Scenario;
use iamtrace_engine::sharing::{self, ShareError};

/// Evaluates the case as AWS would, without the policies and layers switched off on the page.
pub fn evaluate(case: &Case) -> Evaluation {
    crate::switch_off::evaluate(case)
}

/// What a paste was recognised as and what it filled.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportReport {
    pub recognised: String,
    pub filled: Vec<String>,
    pub notes: Vec<String>,
    pub candidates: Vec<String>,
    /// What else the paste holds that can be picked instead (other denied records, principals).
    pub choices: Vec<Choice>,
    /// The paste was added to the case on the page instead of replacing it.
    pub added: bool,
}

/// A paste that could not be imported: why, and the choices that would import it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportFailure {
    pub message: String,
    pub choices: Vec<Choice>,
}

/// Reads whatever the user pasted. When the page already holds a case of the user's (not the
/// sample), pastes add up: policies (an AWS CLI output, authorization details for the case's
/// principal, the collect snippet's output) fill the layers the case lacks, and an AWS error
/// pasted over policies keeps them. What the two disagree on is said in the notes, never
/// silently resolved (the case's own values are kept).
/// `choice` picks among what the paste holds (a principal, a CloudTrail record); without it,
/// the case's principal is the one picked.
pub fn import(
    text: &str,
    current: &Case,
    choice: Option<&ImportOptions>,
) -> Result<(Case, ImportReport), ImportFailure> {
    use iamtrace_engine::imports::{self, ArtefactKind};
    let keep = current.is_substantial();
    let options = match choice {
        Some(c) => c.clone(),
        None => ImportOptions {
            principal: keep
                .then(|| current.to_scenario().request.principal)
                .flatten(),
            record: None,
        },
    };
    let i = imports::import(text, &options).map_err(|e| ImportFailure {
        message: e.reason.clone(),
        choices: e.choices,
    })?;
    let policies_only = matches!(
        i.kind,
        ArtefactKind::PolicyOutput | ArtefactKind::AuthorizationDetails | ArtefactKind::Collected
    );
    let mut notes = i.notes;
    let (scenario, added) = if keep && policies_only {
        let (combined, more) = imports::combine(&current.to_scenario(), &i.scenario);
        notes.extend(more);
        (combined, true)
    } else if keep && current.observed.is_none() && i.scenario.observed.is_some() {
        // An AWS error over the user's policies: its request and claim, with their policies.
        let (combined, more) = imports::combine(&i.scenario, &current.to_scenario());
        notes.extend(more);
        (combined, true)
    } else {
        (i.scenario, false)
    };
    Ok((
        Case::from_scenario(&scenario),
        ImportReport {
            recognised: i.recognised,
            filled: i.filled,
            notes,
            candidates: i.candidates,
            choices: i.choices,
            added,
        },
    ))
}

/// The permalink fragment (without `#`) of a case.
pub fn share_fragment(case: &Case) -> String {
    sharing::encode(&case.to_scenario())
}

/// The case with its identifying values replaced by AWS's documentation placeholders, verified to
/// decide the same; the mapping comes beside it and never goes into a link.
pub fn redact(case: &Case) -> sharing::Redaction {
    sharing::redact(&case.to_scenario())
}

/// The permalink fragment of a scenario (the redacted case's).
pub fn scenario_fragment(scenario: &Scenario) -> String {
    sharing::encode(scenario)
}

/// Opens a permalink fragment.
pub fn open_fragment(fragment: &str) -> Result<Case, ShareError> {
    sharing::decode(fragment).map(|s| Case::from_scenario(&s))
}

/// Opens a permalink fragment, with the catalog version it was made with when that is not the
/// page's (lint findings and diagnoses may then differ from what its author saw).
pub fn open_link(fragment: &str) -> Result<(Case, Option<String>), ShareError> {
    sharing::open(fragment).map(|l| {
        let other = l.other_catalog().map(str::to_string);
        (Case::from_scenario(&l.scenario), other)
    })
}

/// What the page says of a link made with another catalog.
pub fn other_catalog_note(made_with: &str) -> String {
    format!(
        "The link was made with AWS's catalog {made_with}; this page has {}: findings about \
         actions, resource types and condition keys may differ from what its author saw.",
        iamtrace_engine::catalog::version()
    )
}

/// The scenario file text (the format `iamtrace` reads).
pub fn scenario_file(case: &Case) -> String {
    let mut t = case.to_scenario().to_json_string();
    t.push('\n');
    t
}

/// Reads a scenario file.
pub fn read_scenario_file(text: &str) -> Result<Case, String> {
    Scenario::parse(text)
        .map(|p| Case::from_scenario(&p.scenario))
        .map_err(|e| e.to_string())
}
