//! `util.inspect` by the crate (`js::inspect`), for the differential in
//! `tests/mongoose/inspect-values.js`: reads one JSON value per line on
//! stdin and prints, per line, the inspected text as a JSON string. With
//! `--width`, reads JSON strings and prints `js::display_width` of each.

use onelastai_models::js;
use std::io::{BufRead, Write};

fn main() -> std::io::Result<()> {
    let width = std::env::args().any(|a| a == "--width");
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = line?;
        let shown = match serde_json::from_str::<serde_json::Value>(&line) {
            Ok(serde_json::Value::String(s)) if width => js::display_width(&s).to_string(),
            Ok(v) => js::inspect(&v),
            Err(e) => format!("<unreadable: {e}>"),
        };
        writeln!(out, "{}", serde_json::Value::String(shown))?;
    }
    out.flush()
}
