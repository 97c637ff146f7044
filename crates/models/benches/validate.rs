//! Documents per second for each collection: the spec's example document,
//! from JSON text to the validated, normalised document as JSON text (the
//! WebAssembly package's path, natively: the one-pass transcoder), the same
//! through the tree walk alone (`text_to_text_tree`, the path before the
//! transcoder and still the one of documents that fail), and from and to
//! `serde_json::Value`.
//!
//! `cargo bench -p onelastai-models` (divan prints the items/s per collection).

use onelastai_models::json::{self, Json};
use onelastai_models::{Collection, Date};
use serde_json::Value;

fn main() {
    divan::main();
}

#[path = "../tests/support/vectors.rs"]
mod vectors;

/// The spec example document of a collection, as JSON bytes.
fn example(c: Collection) -> Vec<u8> {
    serde_json::to_vec(&vectors::spec_example(c.name())).unwrap_or_default()
}

#[divan::bench(args = Collection::ALL.map(Collection::name))]
fn text_to_text(bencher: divan::Bencher, name: &str) {
    let c = Collection::from_name(name).unwrap_or_else(|| panic!("{name}"));
    let text = String::from_utf8(example(c)).unwrap_or_default();
    let now = Date::from_millis(1_705_314_600_000).unwrap_or_else(|| unreachable!());
    let run = |text: &str| {
        let mut out = String::with_capacity(1024);
        c.transcode(text, now, &mut out).then_some(out)
    };
    assert!(
        run(&text).is_some(),
        "{name}: the spec example must be valid and transcoded"
    );
    bencher
        .counter(divan::counter::ItemsCount::new(1usize))
        .bench(|| run(divan::black_box(&text)));
}

#[divan::bench(args = Collection::ALL.map(Collection::name))]
fn text_to_text_tree(bencher: divan::Bencher, name: &str) {
    let c = Collection::from_name(name).unwrap_or_else(|| panic!("{name}"));
    let text = String::from_utf8(example(c)).unwrap_or_default();
    let now = Date::from_millis(1_705_314_600_000).unwrap_or_else(|| unreachable!());
    let run = |text: &str| {
        let input = json::parse_stringified(text).ok()?;
        let doc = c.validate_json(&input, now).ok()?;
        Some(Json::Object(doc).to_text())
    };
    assert!(
        run(&text).is_some(),
        "{name}: the spec example must be valid"
    );
    bencher
        .counter(divan::counter::ItemsCount::new(1usize))
        .bench(|| run(divan::black_box(&text)));
}

#[divan::bench(args = Collection::ALL.map(Collection::name))]
fn value_to_value(bencher: divan::Bencher, name: &str) {
    let c = Collection::from_name(name).unwrap_or_else(|| panic!("{name}"));
    let input: Value = serde_json::from_slice(&example(c)).unwrap_or(Value::Null);
    let now = Date::from_millis(1_705_314_600_000).unwrap_or_else(|| unreachable!());
    assert!(
        c.validate(&input, now).is_ok(),
        "{name}: the spec example must be valid"
    );
    bencher
        .counter(divan::counter::ItemsCount::new(1usize))
        .bench(|| c.validate(divan::black_box(&input), now));
}
