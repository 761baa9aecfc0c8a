//! Checks shared by the scenario, importer and permalink targets: what a caller relies on once a
//! scenario has been read, beyond "never panics".
#![allow(dead_code)]

use iamtrace_engine::decision::{evaluate, Decision, Evaluation};
use iamtrace_engine::imports::{scenario_agreement, Import, ImportError};
use iamtrace_engine::scenario::Scenario;

/// Evaluates the scenario and checks the evaluation is coherent; then saves it, reads the saved
/// file back and checks it decides the same way (what "save scenario" promises).
pub fn check_scenario(s: &Scenario) -> Evaluation {
    let e = evaluate(s);
    assert_eq!(
        e.decision == Decision::Allowed,
        e.denied_by.is_none(),
        "an allowed request blames no layer, a denied one blames one: {:?} / {:?}",
        e.decision,
        e.denied_by
    );
    assert!(e.assumptions.iter().all(|a| !a.is_empty()));
    if let Some(r) = scenario_agreement(s, &e) {
        let _ = r;
    }
    let saved = s.to_json_string();
    let back = Scenario::parse(&saved)
        .unwrap_or_else(|err| panic!("a saved scenario does not read back: {err}\n{saved}"))
        .scenario;
    let e2 = evaluate(&back);
    assert_eq!(
        (e.decision, e.denied_by),
        (e2.decision, e2.denied_by),
        "the saved scenario decides differently\n{saved}"
    );
    e
}

/// Checks an import result: a recognised import names what it read and yields a scenario that
/// passes [`check_scenario`]; a refusal says why.
pub fn check_import(r: Result<Import, ImportError>) {
    match r {
        Ok(imp) => {
            assert!(!imp.recognised.is_empty());
            assert!(imp.notes.iter().all(|n| !n.is_empty()));
            check_scenario(&imp.scenario);
        }
        Err(e) => assert!(!e.reason.is_empty()),
    }
}
