//! Deciding every conformance scenario (`tests/fixtures/conformance`, taken from AWS
//! documentation). Criterion reports the time for all of them; divide by the count printed first
//! for the average per decision. Run with
//! `nice cargo bench -p iamtrace-engine --bench conformance -- --warm-up-time 1 --measurement-time 3`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use iamtrace_engine::compiled::{CompiledScenario, Verdict};
use iamtrace_engine::decision::evaluate;
use iamtrace_engine::scenario::Scenario;

fn scenarios() -> Vec<Scenario> {
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
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).expect("readable fixture");
            Scenario::parse(&text).expect("scenario").scenario
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let all = scenarios();
    println!("{} conformance scenarios", all.len());
    c.bench_function("conformance/evaluate every scenario", |b| {
        b.iter(|| {
            for s in &all {
                black_box(evaluate(black_box(s)));
            }
        })
    });
    let compiled: Vec<CompiledScenario> = all.iter().map(CompiledScenario::new).collect();
    for (s, c) in all.iter().zip(&compiled) {
        assert_eq!(c.decide(c.request()), Verdict::of(&evaluate(s)));
    }
    c.bench_function("conformance/decide every scenario, compiled", |b| {
        b.iter(|| {
            for c in &compiled {
                black_box(c.decide(black_box(c.request())));
            }
        })
    });
    c.bench_function("conformance/compile every scenario", |b| {
        b.iter(|| {
            for s in &all {
                black_box(CompiledScenario::new(black_box(s)));
            }
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
