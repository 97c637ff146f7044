//! Validates the spec's example document of every collection (from
//! `tests/vectors/`) and prints the verdicts, then shows what a rejected
//! document looks like.
//!
//! `cargo run -p onelastai-models --example spec_examples`

use onelastai_models::{Collection, Date};
use serde_json::{json, Value};
use std::process::ExitCode;

fn spec_example(c: Collection) -> Result<Value, String> {
    let path = format!(
        "{}/../../tests/vectors/{}.json",
        env!("CARGO_MANIFEST_DIR"),
        c.name()
    );
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let file: Value = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    file["cases"]
        .as_array()
        .and_then(|cases| cases.iter().find(|k| k["name"] == "spec example document"))
        .map(|case| case["input"].clone())
        .ok_or_else(|| format!("{path}: no \"spec example document\" case"))
}

fn main() -> ExitCode {
    let Some(now) = Date::parse_iso("2024-01-15T10:30:00.000Z") else {
        return ExitCode::FAILURE;
    };
    let mut failures = 0;
    println!("The spec's example documents, validated at {now}:");
    for c in Collection::ALL {
        match spec_example(c).map(|doc| c.validate(&doc, now)) {
            Ok(Ok(doc)) => println!(
                "  {:<20} valid    ({} fields after normalisation)",
                c.name(),
                doc.len()
            ),
            Ok(Err(errors)) => {
                failures += 1;
                println!("  {:<20} INVALID", c.name());
                for e in errors {
                    println!("      {}: {} ({})", e.path, e.message, e.kind.as_str());
                }
            }
            Err(e) => {
                failures += 1;
                println!("  {:<20} {e}", c.name());
            }
        }
    }

    let broken = json!({
        "id": "user_42",
        "email": "Ada@Example",
        "password": "short",
        "role": "owner",
        "bio": "🤖".repeat(251),
        "twoFactorEnabled": "yes",
        "backupCodes": ["a1b2"],
        "lastLoginAt": "yesterday"
    });
    let fields: Vec<&String> = broken
        .as_object()
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    println!("\nA sign-up form with mistakes in {fields:?}");
    match Collection::Users.validate(&broken, now) {
        Ok(_) => {
            failures += 1;
            println!("  unexpectedly valid");
        }
        Err(errors) => {
            println!("is rejected with {} errors, all at once:", errors.len());
            for e in errors {
                println!("  {:<12} {:<13} {}", e.path, e.kind.as_str(), e.message);
            }
        }
    }
    if failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
