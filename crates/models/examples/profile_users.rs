//! A profiling loop (not part of the test suite): validates a collection's
//! spec example many times on the text path (JSON text in and out).
//! `valgrind --tool=callgrind target/release/examples/profile_users [collection]`.
use onelastai_models::json::{self, Json};
use onelastai_models::{Collection, Date};
fn main() {
    let name = std::env::args().nth(1).unwrap_or_else(|| "users".into());
    let c = Collection::from_name(&name).unwrap_or(Collection::Users);
    let path = format!(
        "{}/../../tests/vectors/{}.json",
        env!("CARGO_MANIFEST_DIR"),
        c.name()
    );
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let file: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let input = file["cases"]
        .as_array()
        .and_then(|c| c.iter().find(|k| k["name"] == "spec example document"))
        .map(|c| c["input"].to_string())
        .unwrap_or_default();
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
