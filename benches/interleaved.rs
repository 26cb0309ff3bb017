//! The ratios of the README's table, measured so that a shared, noisy machine cannot tilt them:
//! the contenders for one input run in alternating short batches (floor, jsonschema, crate,
//! floor, …), so a slow spell of the host hits all of them alike, and each gets the median of its
//! batches. Prints one JSON object per line for `benches/ratios.py`.

mod common;

use std::hint::black_box;
use std::time::Instant;

use common::{INPUTS, PATH_ID, context, schema_validator, stored_and_update};
use rebilly_customer::{Contract, Customer, ParseOptions, Problem, UpsertRequest};

/// Batches per contender, and the time one batch should take.
const BATCHES: usize = 301;
const BATCH_NANOS: u128 = 200_000;

/// Median nanoseconds per call of each contender, measured in alternating batches.
fn interleaved(contenders: &mut [&mut dyn FnMut()]) -> Vec<f64> {
    // Size each contender's batch to about BATCH_NANOS.
    let sizes: Vec<u32> = contenders
        .iter_mut()
        .map(|f| {
            for _ in 0..100 {
                f();
            }
            let start = Instant::now();
            let mut n = 0u32;
            while start.elapsed().as_nanos() < BATCH_NANOS {
                f();
                n += 1;
            }
            n.max(1)
        })
        .collect();
    let mut samples = vec![Vec::with_capacity(BATCHES); contenders.len()];
    for _ in 0..BATCHES {
        for (i, f) in contenders.iter_mut().enumerate() {
            let start = Instant::now();
            for _ in 0..sizes[i] {
                f();
            }
            samples[i].push(start.elapsed().as_nanos() as f64 / f64::from(sizes[i]));
        }
    }
    samples
        .into_iter()
        .map(|mut s| {
            s.sort_by(f64::total_cmp);
            s[s.len() / 2]
        })
        .collect()
}

fn main() {
    let validator = schema_validator();
    let (stored, update) = stored_and_update();
    let context = context();
    let today = ParseOptions::new().with_contract(Contract::Rebilly2026_08);
    for (name, input) in INPUTS {
        let invalid = name == "invalid";
        let input_2026 = as_2026_08(input);
        let mut floor = || {
            black_box(serde_json::from_slice::<common::FloorBody>(black_box(input)).ok());
        };
        let mut schema = || {
            let value: serde_json::Value = serde_json::from_slice(black_box(input)).unwrap();
            if invalid {
                black_box(validator.iter_errors(&value).count());
            } else {
                black_box(validator.is_valid(&value));
            }
        };
        let mut parse = || match UpsertRequest::parse(PATH_ID, black_box(input)) {
            Ok(request) => drop(black_box(request)),
            Err(error) => drop(black_box(Problem::from(error))),
        };
        // The same body under 2026-08 (see `as_2026_08`), against the same floor.
        let mut parse_2026 =
            || match UpsertRequest::parse_with(PATH_ID, black_box(&input_2026), today) {
                Ok(request) => drop(black_box(request)),
                Err(error) => drop(black_box(Problem::from(error))),
            };
        let mut floor_2026 = || {
            black_box(serde_json::from_slice::<common::FloorBody2026>(black_box(&input_2026)).ok());
        };
        let mut contenders: Vec<&mut dyn FnMut()> = vec![
            &mut floor,
            &mut schema,
            &mut parse,
            &mut parse_2026,
            &mut floor_2026,
        ];
        let mut upsert = || {
            let (stored, update) = (stored.clone(), update.clone());
            let outcome = Customer::apply_upsert(Some(stored), update, &context).unwrap();
            black_box(outcome.customer().to_json());
        };
        let mut clones = || {
            black_box((stored.clone(), update.clone()));
        };
        let typical = INPUTS[0].1;
        let mut parse_typical = || {
            black_box(UpsertRequest::parse(PATH_ID, black_box(typical)).ok());
        };
        // Each comparison across inputs runs in one group too: the upsert beside the typical
        // parse (the cost of cloning its inputs is measured apart and taken off), and the
        // invalid input beside the typical one.
        if name == "typical" {
            contenders.push(&mut upsert);
            contenders.push(&mut clones);
        }
        if invalid {
            contenders.push(&mut parse_typical);
        }
        let medians = interleaved(&mut contenders);
        print!(
            r#"{{"input": "{name}", "floor": {:.1}, "jsonschema": {:.1}, "crate": {:.1}, "crate_2026": {:.1}, "floor_2026": {:.1}"#,
            medians[0], medians[1], medians[2], medians[3], medians[4]
        );
        if name == "typical" {
            print!(r#", "upsert": {:.1}"#, medians[5] - medians[6]);
        }
        if invalid {
            print!(r#", "typical": {:.1}"#, medians[5]);
        }
        println!("}}");
    }
}

/// The body as a 2026-08 client sends it: `isEddRequired` (no longer a member) left out, and
/// the instrument named by `defaultPaymentInstrumentId`, with the same members otherwise; an
/// invalid body stays as it is. The floor's shape is the same, so the ratio compares alike.
fn as_2026_08(input: &[u8]) -> Vec<u8> {
    let Ok(serde_json::Value::Object(mut body)) = serde_json::from_slice(input) else {
        return input.to_vec();
    };
    body.remove("isEddRequired");
    if let Some(instrument) = body.remove("defaultPaymentInstrument") {
        if let Some(id) = instrument.get("paymentInstrumentId") {
            body.insert("defaultPaymentInstrumentId".to_owned(), id.clone());
        }
    }
    serde_json::to_vec(&body).expect("renders")
}
