//! Time to compute verified fixes (and counterfactuals) for each denied case of the gallery
//! (`examples/`), the cases the page shows; the goal is 50 ms per case in the page.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use iamtrace_engine::decision::{evaluate, Decision};
use iamtrace_engine::fixes::{counterfactuals, suggest};
use iamtrace_engine::scenario::Scenario;

fn gallery() -> Vec<(String, Scenario)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|x| x == "json"));
    paths.sort();
    paths
        .iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            let s = Scenario::parse(&text).ok()?.scenario;
            let name = p.file_stem()?.to_string_lossy().into_owned();
            Some((name, s))
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let cases = gallery();
    assert!(!cases.is_empty(), "no gallery examples");
    let mut group = c.benchmark_group("fixes");
    for (name, s) in &cases {
        if evaluate(s).decision == Decision::Allowed {
            continue;
        }
        assert!(!suggest(s).fixes.is_empty(), "{name}: no fix");
        group.bench_function(name.as_str(), |b| b.iter(|| suggest(black_box(s))));
    }
    group.finish();
    let mut group = c.benchmark_group("counterfactuals");
    for (name, s) in &cases {
        group.bench_function(name.as_str(), |b| b.iter(|| counterfactuals(black_box(s))));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
