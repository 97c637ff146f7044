//! Every collection's JSON Schemas as one JSON object, for
//! `tools/build-pkg.sh` to write `pkg/json-schemas.js`:
//! `{ <collection>: { input: { <target>: schema }, output: { ... } } }`,
//! targets `draft-2020-12`, `draft-07`, `openapi-3.0`. Built natively at
//! package build time: the `.wasm` does not carry the generator.

use onelastai_models::json_schema::{collection_schema, Direction, Target};
use onelastai_models::Collection;
use serde_json::{Map, Value};

fn main() {
    let mut all = Map::new();
    for c in Collection::ALL {
        let mut directions = Map::new();
        for d in Direction::ALL {
            let targets: Map<String, Value> = Target::ALL
                .into_iter()
                .map(|t| (t.name().to_string(), collection_schema(c, d, t)))
                .collect();
            directions.insert(d.name().to_string(), Value::Object(targets));
        }
        all.insert(c.name().to_string(), Value::Object(directions));
    }
    println!("{}", Value::Object(all));
}
