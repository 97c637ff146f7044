//! The OpenAPI contract: the server's answers are checked against its own
//! `/openapi.json` by independent tools in Node (`tests/openapi/`): Redocly's
//! validator for the document, Ajv (JSON Schema 2020-12) for every answer
//! recorded here.

use crate::common::{Resp, TestServer};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

/// `tests/openapi`, with its packages installed.
fn tools_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/openapi");
    assert!(
        dir.join("node_modules/@redocly/openapi-core").is_dir()
            && dir.join("node_modules/ajv").is_dir(),
        "the OpenAPI checkers are not installed: run `bash tools/test-server.sh` (npm ci in tests/openapi)"
    );
    dir
}

/// Runs `node <script> <args>` in `tests/openapi`: (success, what it printed).
pub fn node(script: &str, args: &[&Path]) -> (bool, String) {
    let out = Command::new("node")
        .arg(script)
        .args(args)
        .current_dir(tools_dir())
        .output()
        .unwrap_or_else(|e| panic!("node {script}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// A file under Cargo's scratch directory for integration tests.
pub fn scratch(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{}-{name}", std::process::id()))
}

/// The server's `/openapi.json`, as served, saved to a file.
pub async fn document(server: &TestServer) -> (Value, PathBuf) {
    let r = server.get("/openapi.json").await;
    assert_eq!(r.status, 200, "/openapi.json: {}", r.text);
    let file = scratch("openapi.json");
    std::fs::write(&file, &r.text).unwrap_or_else(|e| panic!("{file:?}: {e}"));
    (r.json, file)
}

/// Answers to check against the document.
#[derive(Default)]
pub struct Answers(Vec<Value>);

impl Answers {
    /// Records the answer `r` to `method path` (`tag` names it in failures).
    pub fn record(&mut self, method: &str, path: &str, r: &Resp, tag: &str) {
        let body = if r.text.is_empty() {
            Value::Null
        } else {
            r.json.clone()
        };
        self.0.push(json!({
            "method": method.to_ascii_lowercase(),
            // The document's paths have no query string.
            "path": path.split('?').next().unwrap_or(path),
            "status": r.status,
            "body": body,
            "tag": tag,
        }));
    }

    /// How many were recorded.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Checks every answer against `server`'s document with Ajv; the
    /// checker's report, or the failures.
    pub async fn check(self, server: &TestServer) -> Result<String, String> {
        let (_, doc) = document(server).await;
        let file = scratch("answers.jsonl");
        let lines: Vec<String> = self.0.iter().map(Value::to_string).collect();
        std::fs::write(&file, lines.join("\n")).unwrap_or_else(|e| panic!("{file:?}: {e}"));
        let (ok, report) = node("contract.mjs", &[&doc, &file]);
        if ok {
            Ok(report)
        } else {
            Err(report)
        }
    }
}
