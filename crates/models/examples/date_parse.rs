//! `new Date(string)` by the crate, for the date-string differential
//! (`tools/date-differential.sh`): reads one JSON string per line on stdin
//! and prints, per line, the epoch milliseconds or `NaN`, as
//! `Date.parse` under `TZ=UTC` would.

use onelastai_models::Date;
use std::io::{BufRead, Write};

fn main() -> std::io::Result<()> {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = line?;
        let parsed = serde_json::from_str::<String>(&line)
            .ok()
            .and_then(|s| Date::parse(&s));
        match parsed {
            Some(d) => writeln!(out, "{}", d.millis())?,
            None => writeln!(out, "NaN")?,
        }
    }
    out.flush()
}
