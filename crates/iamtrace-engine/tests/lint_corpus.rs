//! AWS's own documented policies lint clean: the gallery (`examples/`) and the conformance
//! scenarios (`tests/fixtures/conformance/`, each derived from an AWS documentation page) carry
//! no catalog finding — no error and no warning.

use iamtrace_engine::decision::evaluate;
use iamtrace_engine::scenario::Scenario;

const LINT_CODES: &[&str] = &[
    "unknown-service",
    "unknown-action",
    "action-pattern-matches-nothing",
    "resource-type-mismatch",
    "unknown-condition-key",
    "condition-key-not-for-action",
    "operator-key-type-mismatch",
];

fn scenarios(dir: &str) -> Vec<(String, Scenario)> {
    let dir = format!("{}/../../{dir}", env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).expect("readable");
            let name = p.display().to_string();
            let parsed = Scenario::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, parsed.scenario)
        })
        .collect()
}

#[test]
fn documented_policies_carry_no_catalog_finding() {
    let mut all = scenarios("examples");
    all.extend(scenarios("tests/fixtures/conformance"));
    assert!(all.len() >= 90, "{} scenarios", all.len());
    let mut hits = Vec::new();
    for (name, scenario) in &all {
        let evaluation = evaluate(scenario);
        for report in &evaluation.policies {
            for f in &report.findings {
                if LINT_CODES.contains(&f.code.as_str()) {
                    hits.push(format!(
                        "{name} {:?}[{}] {}:{} {} {}",
                        report.layer, report.index, f.span.line, f.span.column, f.code, f.message
                    ));
                }
            }
        }
    }
    assert!(hits.is_empty(), "{}", hits.join("\n"));
}
