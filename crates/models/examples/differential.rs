//! The crate's side of the differential fuzzer against Mongoose
//! (`tools/differential.sh`, `tests/mongoose/differential.js`).
//!
//! Reads cases from stdin, two lines each: `<collection> <now as ISO>`, then
//! the input document as JSON text (one line). Writes one JSON line per case:
//! `{"valid":true,"output":{...}}` or `{"valid":false,"errors":[{path, kind,
//! message}, ...]}`, from `Collection::validate_json` on the engine's own
//! JSON reader, as the package and the server call it. The package's one-pass
//! transcoder (`Collection::transcode`) runs on every case too: where it
//! takes a document, its text must be the walk's, or the case is a fault.

use onelastai_models::{json, Collection, Date, Json};
use std::io::{BufRead, Write};

fn main() -> std::io::Result<()> {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    while let Some(head) = lines.next() {
        let head = head?;
        let text = lines.next().transpose()?.unwrap_or_default();
        writeln!(out, "{}", answer(&head, &text))?;
    }
    out.flush()
}

fn answer(head: &str, text: &str) -> String {
    let (name, now) = head.split_once(' ').unwrap_or((head, ""));
    let Some(collection) = Collection::from_name(name) else {
        return format!(
            "{{\"fault\":{}}}",
            quote(&format!("unknown collection {name}"))
        );
    };
    let Some(now) = Date::parse_iso(now) else {
        return format!("{{\"fault\":{}}}", quote(&format!("bad now {now}")));
    };
    let input = match json::parse(text) {
        Ok(input) => input,
        Err(e) => return format!("{{\"fault\":{}}}", quote(&format!("input: {e}"))),
    };
    let mut transcoded = String::new();
    let taken = collection.transcode(text, now, &mut transcoded);
    match collection.validate_json(&input, now) {
        Ok(doc) => {
            let output = Json::Object(doc).to_text();
            if taken && transcoded != output {
                let why = format!("the transcoder wrote {transcoded}, the walk {output}");
                return format!("{{\"fault\":{}}}", quote(&why));
            }
            format!("{{\"valid\":true,\"output\":{output}}}")
        }
        Err(_) if taken => format!(
            "{{\"fault\":{}}}",
            quote(&format!(
                "the transcoder passed what the walk refuses: {transcoded}"
            ))
        ),
        Err(errors) => {
            let errors: Vec<_> = errors
                .iter()
                .map(|e| {
                    format!(
                        "{{\"path\":{},\"kind\":{},\"message\":{}}}",
                        quote(&e.path),
                        quote(e.kind.as_str()),
                        quote(&e.message)
                    )
                })
                .collect();
            format!("{{\"valid\":false,\"errors\":[{}]}}", errors.join(","))
        }
    }
}

fn quote(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}
