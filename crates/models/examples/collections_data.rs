//! The 17 collections as JSON, for `tools/build-pkg.sh` to write
//! `pkg/collections.js`: `[{ name, route, model, indexes: [{ name, keys:
//! [[path, 1 | -1]], unique, sparse }], fields: [FormField] }]`. Built
//! natively at package build time, so the WebAssembly module does not carry
//! code that only the build runs.

use onelastai_models::json_schema::form_fields;
use onelastai_models::Collection;
use serde_json::{json, Value};

fn main() {
    let data: Vec<Value> = Collection::ALL
        .into_iter()
        .map(|c| {
            json!({
                "name": c.name(),
                "route": c.route(),
                "model": c.schema().name,
                "indexes": c.indexes(),
                "fields": form_fields(c),
            })
        })
        .collect();
    println!("{}", Value::Array(data));
}
