//! A profiling loop (not part of the test suite): validates a collection's
//! spec example many times on the text path (JSON text in and out).
//! `valgrind --tool=callgrind target/release/examples/profile_users [collection]`.
use onelastai_models::json::{self, Json};

#[path = "../tests/support/vectors.rs"]
mod vectors;

use onelastai_models::{Collection, Date};
fn main() {
    let name = std::env::args().nth(1).unwrap_or_else(|| "users".into());
    let c = Collection::from_name(&name).unwrap_or(Collection::Users);
    let input = vectors::spec_example(c.name()).to_string();
    let now = Date::from_millis(0).unwrap_or_else(|| unreachable!());
    let mut ok = 0;
    for _ in 0..2000 {
        let doc = json::parse_stringified(&input).ok();
        let out = doc.and_then(|d| {
            c.validate_json(&d, now)
                .ok()
                .map(|o| Json::Object(o).to_text())
        });
        ok += usize::from(out.is_some());
    }
    println!("{ok}");
}
