//! Reading `tests/vectors/*.json` (Mongoose's answers), shared by every Rust
//! consumer of the files: this crate's tests, benchmark and examples, and the
//! server's tests (`#[path = ".../support/vectors.rs"] mod vectors;`).
//! Every function panics with the file's path when it cannot be read: these
//! are tests and tools, and a missing vector file is a broken checkout.
#![allow(dead_code)] // each includer uses some of it

use onelastai_models::FieldError;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// The name of the case every file has: the spec's example document.
pub const SPEC_EXAMPLE: &str = "spec example document";

/// `tests/vectors/<collection>.json`.
pub fn path(collection: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/vectors")
        .join(format!("{collection}.json"))
}

/// The whole vector file of a collection.
pub fn file(collection: &str) -> Value {
    let path = path(collection);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The cases of a collection's vector file.
pub fn cases(collection: &str) -> Vec<Value> {
    file(collection)["cases"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The case of this name.
pub fn case(collection: &str, name: &str) -> Value {
    cases(collection)
        .into_iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("{}: no case {name:?}", path(collection).display()))
}

/// The input of the spec's example document.
pub fn spec_example(collection: &str) -> Value {
    case(collection, SPEC_EXAMPLE)["input"].clone()
}

/// An error as the vectors compare it: path, kind and message.
pub type ErrorKey = (String, String, String);

/// The errors a case's file says Mongoose gave.
pub fn file_errors(case: &Value) -> BTreeSet<ErrorKey> {
    case["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or_default().to_string();
            (s("path"), s("kind"), s("message"))
        })
        .collect()
}

/// The same view of errors the crate gave.
pub fn error_keys(errors: &[FieldError]) -> BTreeSet<ErrorKey> {
    errors
        .iter()
        .map(|e| {
            (
                e.path.clone(),
                e.kind.as_str().to_string(),
                e.message.clone(),
            )
        })
        .collect()
}
