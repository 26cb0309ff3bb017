//! Allocations per operation, counted by an instrumented global allocator: the floor's, the
//! crate's parse, the `Value` the jsonschema path builds, and the upsert with rendering.
//! Prints one JSON object per line for `benches/ratios.py`.

mod common;

use std::alloc::System;

use common::{FloorBody, INPUTS, PATH_ID, context, stored_and_update};
use rebilly_customer::{Customer, UpsertRequest};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Allocations of one call of `f`, after a first call has filled the lazily built tables
/// (the regexes for non-ASCII text), which a server pays once.
fn count<T>(f: impl Fn() -> T) -> usize {
    drop(f());
    let region = Region::new(GLOBAL);
    let value = f();
    let allocations = region.change().allocations;
    drop(value);
    allocations
}

fn main() {
    for (name, input) in INPUTS {
        let floor = count(|| serde_json::from_slice::<FloorBody>(input).ok());
        let value = count(|| serde_json::from_slice::<serde_json::Value>(input).unwrap());
        let parse = count(|| UpsertRequest::parse(PATH_ID, input));
        println!(r#"{{"input": "{name}", "floor": {floor}, "value": {value}, "crate": {parse}}}"#);
    }
    let (stored, update) = stored_and_update();
    let context = context();
    let apply = |(stored, update): (Customer, UpsertRequest)| {
        let outcome = Customer::apply_upsert(Some(stored), update, &context).unwrap();
        outcome.customer().to_json()
    };
    drop(apply((stored.clone(), update.clone())));
    let inputs = (stored, update);
    let region = Region::new(GLOBAL);
    let json = apply(inputs);
    let upsert = region.change().allocations;
    drop(json);
    println!(r#"{{"input": "upsert", "crate": {upsert}}}"#);
}
