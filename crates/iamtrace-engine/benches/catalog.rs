//! The catalog's one-time decode (paid by the first lookup, so by the first verdict) and lookups.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use iamtrace_engine::catalog;

fn bench(c: &mut Criterion) {
    c.bench_function("catalog decode (first use)", |b| {
        b.iter(|| black_box(catalog::decode_embedded()).is_some())
    });
    let Some(cat) = catalog::catalog() else {
        return;
    };
    c.bench_function("catalog action lookup", |b| {
        b.iter(|| cat.action(black_box("S3:getobject")).is_some())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
