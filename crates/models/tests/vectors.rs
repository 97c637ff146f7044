//! Runs every case of `tests/vectors/*.json` (Mongoose 8's answers) through
//! the crate and requires exact agreement: verdict, error paths, kinds and
//! messages, and the normalised document of valid cases.

use onelastai_models::json::{self, Json};
use onelastai_models::{Collection, Date};
use serde_json::Value;

#[path = "support/vectors.rs"]
mod vectors;

/// Compares one case; returns the differences found.
fn check_case(collection: Collection, case: &Value) -> Vec<String> {
    let name = case["name"].as_str().unwrap_or("?");
    let mut diffs = Vec::new();
    let Some(now) = case["now"].as_str().and_then(Date::parse_iso) else {
        return vec![format!("{name}: bad `now`")];
    };
    let result = collection.validate(&case["input"], now);
    // The text path (the WebAssembly package's): JSON text in, JSON text out,
    // no `serde_json::Value` between. It must give the same answer.
    let text = serde_json::to_string(&case["input"]).unwrap_or_default();
    match json::parse_stringified(&text) {
        Err(e) => diffs.push(format!("{name}: the input text does not parse: {e}")),
        Ok(input) => {
            let fast = collection
                .validate_json(&input, now)
                .map(|doc| serde_json::from_str::<Value>(&Json::Object(doc).to_text()).ok());
            let slow = result.clone().map(|doc| Some(Value::Object(doc)));
            if fast != slow {
                diffs.push(format!(
                    "{name}: the text path differs\n    text:  {fast:?}\n    value: {slow:?}"
                ));
            }
        }
    }
    let want_valid = case["valid"].as_bool().unwrap_or(false);
    let (got_valid, got_errors) = match &result {
        Ok(_) => (true, Vec::new()),
        Err(errors) => (false, errors.clone()),
    };
    if got_valid != want_valid {
        diffs.push(format!(
            "{name}: valid {got_valid}, Mongoose says {want_valid}"
        ));
    }
    let want = vectors::file_errors(case);
    let got = vectors::error_keys(&got_errors);
    for missing in want.difference(&got) {
        diffs.push(format!("{name}: missing error {missing:?}"));
    }
    for extra in got.difference(&want) {
        diffs.push(format!("{name}: unexpected error {extra:?}"));
    }
    if let (Ok(doc), true) = (&result, want_valid) {
        let got = Value::Object(doc.clone());
        if got != case["output"] {
            diffs.push(format!(
                "{name}: output differs\n    got:  {got}\n    want: {}",
                case["output"]
            ));
        }
    }
    diffs
}

#[test]
fn every_vector_agrees_with_mongoose() {
    let mut files = 0;
    let mut cases = 0;
    let mut diffs = Vec::new();
    for collection in Collection::ALL {
        let file = vectors::file(collection.name());
        assert_eq!(file["collection"], collection.name());
        let list = file["cases"].as_array().cloned().unwrap_or_default();
        assert!(
            list.len() >= 25,
            "{}: only {} cases",
            collection,
            list.len()
        );
        files += 1;
        for case in &list {
            cases += 1;
            for d in check_case(collection, case) {
                diffs.push(format!("{collection}: {d}"));
            }
        }
    }
    println!(
        "vectors: {files} files, {cases} cases, {} differences",
        diffs.len()
    );
    assert!(
        diffs.is_empty(),
        "{} differences:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}
