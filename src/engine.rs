//! The page's calls into the engine (in-process Rust, not the JS bindings), in one place.

use crate::state::Case;
use iamtrace_engine::decision::{self, Evaluation};
use iamtrace_engine::scenario::Scenario;
use iamtrace_engine::sharing::{self, ShareError};

/// Evaluates the case as AWS would.
pub fn evaluate(case: &Case) -> Evaluation {
    decision::evaluate(&case.to_scenario())
}

/// What a paste was recognised as and what it filled.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportReport {
    pub recognised: String,
    pub filled: Vec<String>,
    pub notes: Vec<String>,
    pub candidates: Vec<String>,
}

/// Reads whatever the user pasted into a case.
pub fn import(text: &str) -> Result<(Case, ImportReport), String> {
    match iamtrace_engine::imports::import(text, &Default::default()) {
        Ok(i) => Ok((
            Case::from_scenario(&i.scenario),
            ImportReport {
                recognised: i.recognised,
                filled: i.filled,
                notes: i.notes,
                candidates: i.candidates,
            },
        )),
        Err(e) => Err(e.to_string()),
    }
}

/// The permalink fragment (without `#`) of a case.
pub fn share_fragment(case: &Case) -> String {
    sharing::encode(&case.to_scenario())
}

/// Opens a permalink fragment.
pub fn open_fragment(fragment: &str) -> Result<Case, ShareError> {
    sharing::decode(fragment).map(|s| Case::from_scenario(&s))
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
