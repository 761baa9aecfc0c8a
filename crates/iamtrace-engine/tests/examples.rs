//! The gallery (`examples/*.json`, shown on the page and opened from permalinks): every example
//! must get the decision and blamed layer its `expect` gives, read cleanly, and cite its AWS page.

use iamtrace_engine::decision::evaluate;
use iamtrace_engine::policy::Severity;
use iamtrace_engine::scenario::Scenario;

fn examples() -> Vec<(String, Scenario)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("examples directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let name = path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(path).expect("readable example");
            let parsed = Scenario::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(parsed.warnings.is_empty(), "{name}: {:?}", parsed.warnings);
            (name, parsed.scenario)
        })
        .collect()
}

#[test]
fn every_example_matches_its_expectation() {
    let all = examples();
    assert!(all.len() >= 10, "the gallery has {} examples", all.len());
    let mut failures = Vec::new();
    for (name, scenario) in &all {
        let expect = scenario
            .expect
            .clone()
            .unwrap_or_else(|| panic!("{name}: no expect"));
        assert!(
            scenario.title.as_deref().is_some_and(|t| !t.is_empty()),
            "{name}: no title"
        );
        assert!(
            scenario
                .source
                .as_deref()
                .is_some_and(|s| s.starts_with("https://docs.aws.amazon.com/")),
            "{name}: source is not an AWS doc page"
        );
        let eval = evaluate(scenario);
        assert!(eval.complete, "{name}: incomplete: {:?}", eval.errors);
        for p in &eval.policies {
            let errors: Vec<_> = p
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .collect();
            assert!(
                errors.is_empty(),
                "{name}: {:?} policy {}: {errors:?}",
                p.layer,
                p.index
            );
        }
        let got = eval.denied_by.map(|l| l.name().to_string());
        if eval.decision.name() != expect.decision || got != expect.denied_by {
            failures.push(format!(
                "{name}: expected {} / {:?}, got {} / {:?}; {}",
                expect.decision,
                expect.denied_by,
                eval.decision,
                got,
                eval.message.as_deref().unwrap_or("")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_scp_example_names_the_denying_scp_by_arn() {
    let (_, scp) = examples()
        .into_iter()
        .find(|(n, _)| n.contains("scp-region-deny"))
        .expect("the SCP example");
    let message = evaluate(&scp).message.expect("a denial has a message");
    assert!(
        message.contains("is not authorized to perform: ec2:RunInstances")
            && message.contains("with an explicit deny in a service control policy")
            && message.ends_with(
                ": arn:aws:organizations::111111111111:policy/o-exampleorgid/service_control_policy/p-examplepolicyid111"
            ),
        "{message}"
    );
}
