//! The 17 collections and their indexes as JSON, for `tools/build-pkg.sh`
//! to write `pkg/collections.js`: `[{ name, indexes: [{ name, keys: [[path,
//! 1 | -1]], unique, sparse }] }]`. Built natively at package build time, so
//! the WebAssembly module does not carry code that only the build runs.

use onelastai_models::Collection;
use serde_json::{json, Value};

fn main() {
    let data: Vec<Value> = Collection::ALL
        .into_iter()
        .map(|c| json!({ "name": c.name(), "indexes": c.indexes() }))
        .collect();
    println!("{}", Value::Array(data));
}
