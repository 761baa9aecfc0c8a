//! Every scenario of `tests/fixtures/conformance` (copied from `../shared/conformance`, taken from
//! AWS documentation) must get the decision and the blamed layer its `expect` gives.

use iamtrace_engine::decision::evaluate;
use iamtrace_engine::scenario::Scenario;

#[test]
fn every_conformance_scenario_matches_its_expectation() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/conformance"
    );
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("fixtures directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    assert!(
        paths.len() >= 80,
        "expected the 80 fixtures, found {}",
        paths.len()
    );
    let mut failures = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).expect("readable fixture");
        let scenario = Scenario::parse(&text)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .scenario;
        let expect = scenario.expect.clone().expect("fixtures carry expect");
        let eval = evaluate(&scenario);
        let got_layer = eval.denied_by.map(|l| l.name().to_string());
        if eval.decision.name() != expect.decision || got_layer != expect.denied_by {
            failures.push(format!(
                "{}: expected {} / {:?}, got {} / {:?}\n  gates: {}",
                path.file_name().unwrap_or_default().to_string_lossy(),
                expect.decision,
                expect.denied_by,
                eval.decision,
                got_layer,
                eval.gates
                    .iter()
                    .map(|g| format!("{}={:?}", g.title, g.outcome))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        assert!(
            eval.complete,
            "{}: incomplete: {:?}",
            path.display(),
            eval.errors
        );
        assert!(
            eval.undecided.is_none() && eval.unknown_statements.is_empty(),
            "{}: undecided: {:?}",
            path.display(),
            eval.undecided
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {} scenarios differ:\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n")
    );
}
