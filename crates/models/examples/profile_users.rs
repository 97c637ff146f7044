//! A profiling loop (not part of the test suite): validates the users spec
//! example many times. `valgrind --tool=callgrind target/release/examples/profile_users`.
use onelastai_models::{Collection, Date};
fn main() {
    let path = format!(
        "{}/../../tests/vectors/users.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let file: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let input = file["cases"]
        .as_array()
        .and_then(|c| c.iter().find(|k| k["name"] == "spec example document"))
        .map(|c| c["input"].clone())
        .unwrap_or_default();
    let now = Date::from_millis(0).unwrap_or_else(|| unreachable!());
    let mut ok = 0;
    for _ in 0..2000 {
        ok += usize::from(Collection::Users.validate(&input, now).is_ok());
    }
    println!("{ok}");
}
