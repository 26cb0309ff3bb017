//! Parse + validate + normalize against the floor and the usual alternative, on the committed
//! inputs; and the upsert with rendering. `python3 benches/ratios.py` runs this and prints the
//! ratios of the medians.

mod common;

use std::hint::black_box;
use std::time::Duration;

use common::{FloorBody, INPUTS, PATH_ID, context, schema_validator, stored_and_update};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use rebilly_customer::{Customer, Problem, UpsertRequest};

fn parse(c: &mut Criterion) {
    let validator = schema_validator();
    for (name, input) in INPUTS {
        let mut group = c.benchmark_group(format!("parse/{name}"));
        group.bench_function("floor", |b| {
            b.iter(|| serde_json::from_slice::<FloorBody>(black_box(input)).ok())
        });
        if name == "invalid" {
            // Every error, as the crate reports every error.
            group.bench_function("jsonschema", |b| {
                b.iter(|| {
                    let value: serde_json::Value =
                        serde_json::from_slice(black_box(input)).unwrap();
                    validator.iter_errors(&value).count()
                })
            });
            group.bench_function("crate", |b| {
                b.iter(|| {
                    let error = UpsertRequest::parse(PATH_ID, black_box(input)).unwrap_err();
                    Problem::from(error).invalid_fields().len()
                })
            });
        } else {
            group.bench_function("jsonschema", |b| {
                b.iter(|| {
                    let value: serde_json::Value =
                        serde_json::from_slice(black_box(input)).unwrap();
                    validator.is_valid(&value)
                })
            });
            group.bench_function("crate", |b| {
                b.iter(|| UpsertRequest::parse(PATH_ID, black_box(input)).unwrap())
            });
        }
        group.finish();
    }
}

fn upsert(c: &mut Criterion) {
    let (stored, update) = stored_and_update();
    let context = context();
    let mut group = c.benchmark_group("upsert/typical");
    group.bench_function("apply_and_render", |b| {
        b.iter_batched(
            || (stored.clone(), update.clone()),
            |(stored, update)| {
                let outcome = Customer::apply_upsert(Some(stored), update, &context).unwrap();
                outcome.customer().to_json()
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(60)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = parse, upsert
}
criterion_main!(benches);
