//! Documents per second for each collection: the spec's example document,
//! from JSON bytes to a validated, normalised document.
//!
//! `cargo bench -p onelastai-models` (divan prints the items/s per collection).

use onelastai_models::{Collection, Date};
use serde_json::Value;

fn main() {
    divan::main();
}

/// The spec example document of a collection, as JSON bytes.
fn example(c: Collection) -> Vec<u8> {
    let path = format!(
        "{}/../../tests/vectors/{}.json",
        env!("CARGO_MANIFEST_DIR"),
        c.name()
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let file: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let case = file["cases"]
        .as_array()
        .and_then(|cases| cases.iter().find(|k| k["name"] == "spec example document"))
        .unwrap_or_else(|| panic!("{path}: no spec example document"));
    serde_json::to_vec(&case["input"]).unwrap_or_default()
}

#[divan::bench(args = Collection::ALL.map(Collection::name))]
fn spec_example(bencher: divan::Bencher, name: &str) {
    let c = Collection::from_name(name).unwrap_or_else(|| panic!("{name}"));
    let bytes = example(c);
    let now = Date::from_millis(1_705_314_600_000).unwrap_or_else(|| unreachable!());
    assert!(
        serde_json::from_slice::<Value>(&bytes)
            .map(|v| c.validate(&v, now).is_ok())
            .unwrap_or(false),
        "{name}: the spec example must be valid"
    );
    bencher
        .counter(divan::counter::ItemsCount::new(1usize))
        .bench(|| {
            let input: Value =
                serde_json::from_slice(divan::black_box(&bytes)).unwrap_or(Value::Null);
            c.validate(&input, now)
        });
}
