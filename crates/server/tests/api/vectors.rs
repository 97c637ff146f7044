//! Every case of `tests/vectors/` over HTTP, with expectations from the
//! vector files (Mongoose's answers) and from Mongoose itself
//! (`tests/mongoose/oracle.js`), never from the models crate or the
//! server's own helpers:
//! - a case the file says is invalid gets 422 and the file's errors (path,
//!   kind, message);
//! - a valid case gets 201 and the file's normalised document, with the
//!   server's clock where the file has the case's, less the secret fields,
//!   plus `_id`, `__v: 0`, `createdAt`/`updatedAt` and, for subscriptions,
//!   `isValid` as Mongoose's `isValid()` answers at the server's clock;
//! - a subscription whose only error is the missing `expiryDate` is filled
//!   by the server from the spec's `calculateExpiryDate`: expected is
//!   Mongoose's answer for the input with the expiry date Mongoose's own
//!   `calculateExpiryDate` gives for the start date the server used;
//! - the cases the server refuses with 400 (a `$` key, or a `.` key it would
//!   store: `forbidden_key`; an array in an array on FerretDB:
//!   `nested_array`) are pinned below by name, and counted;
//! - every answer (201, 422, 400, and the 204 of each delete) validates
//!   against `/openapi.json`'s schema for its route and status (Ajv, see
//!   [`crate::contract`]).

use crate::common::{iso_within, now_ms, TestServer};
use crate::contract::Answers;
use crate::vector_files;
use onelastai_models::Collection;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::process::{Command, Stdio};

/// The secret fields of `users` (the spec's list, written out here).
const SECRETS: &[&str] = &[
    "password",
    "twoFactorSecret",
    "tempTwoFactorSecret",
    "backupCodes",
    "tempBackupCodes",
    "resetPasswordToken",
];

/// The cases the server refuses with 400 where Mongoose answers otherwise:
/// (route, case name, error code). `nested_array` ones only where the
/// database cannot store an array directly inside an array (FerretDB);
/// `too_deep` is the body's nesting limit, below Mixed's 100 levels.
const REFUSED: &[(&str, &str, &str)] = &[
    ("users", "unknown top-level fields dropped", "forbidden_key"),
    (
        "analytics-events",
        "properties keys with dollar and dot kept",
        "forbidden_key",
    ),
    (
        "analytics-events",
        "unknown top-level fields dropped",
        "forbidden_key",
    ),
    (
        "tool-usage-analytics",
        "input-output-mixed-nested",
        "nested_array",
    ),
    (
        "tool-usage-analytics",
        "input-output-mixed-arrays",
        "nested_array",
    ),
    (
        "tool-usage-analytics",
        "input-mixed-dollar-and-dot-keys",
        "forbidden_key",
    ),
    (
        "app-configs",
        "value-dollar-and-dotted-keys",
        "forbidden_key",
    ),
    (
        "app-configs",
        "value nested 101 levels deep (mixed-depth)",
        "too_deep",
    ),
    (
        "app-configs",
        "value nested exactly 100 levels deep is kept",
        "too_deep",
    ),
    (
        "tools",
        "config-inputs-deep-value-replaced-by-dotted-key (dotted-key-overlap)",
        "too_deep",
    ),
    (
        "tools",
        "config-inputs-deep-value-replaced-by-dotted-key-with-inputs (dotted-key-overlap)",
        "too_deep",
    ),
    (
        "tools",
        "config-inputs-deep-default-value (mixed-depth)",
        "too_deep",
    ),
];

/// The spec's collections without `{ timestamps: true }` (schemas.js).
const NO_TIMESTAMPS: &[Collection] = &[Collection::AnalyticsEvents];

/// One question for `tests/mongoose/oracle.js` and what it is for.
enum Ask {
    /// The server filled `expiryDate`: compare with Mongoose's answer.
    Expiry {
        tag: String,
        got: Value,
        window: (i64, i64),
    },
    /// `isValid` of a created subscription at the start and end of its request.
    IsValid { tag: String, got: bool },
}

/// Asks Mongoose (one node process for every question).
fn oracle(questions: &[Value]) -> Vec<Value> {
    if questions.is_empty() {
        return Vec::new();
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/mongoose");
    assert!(
        dir.join("node_modules/mongoose").is_dir(),
        "Mongoose is not installed: run `bash tools/setup.sh` (npm ci in tests/mongoose)"
    );
    let mut child = Command::new("node")
        .arg("oracle.js")
        .current_dir(&dir)
        .env("TZ", "UTC")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("node oracle.js: {e}"));
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap_or_else(|| unreachable!("piped"));
        let text = Value::Array(questions.to_vec()).to_string();
        stdin
            .write_all(text.as_bytes())
            .unwrap_or_else(|e| panic!("oracle stdin: {e}"));
    }
    let out = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("node oracle.js: {e}"));
    assert!(out.status.success(), "node oracle.js failed");
    let answers: Vec<Value> =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("oracle answer: {e}"));
    assert_eq!(answers.len(), questions.len(), "oracle answers");
    answers
}

/// Errors as the files hold them: (path, kind, message).
fn error_set(errors: &Value) -> BTreeSet<(String, String, String)> {
    errors
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or_default().to_string();
            (s("path"), s("kind"), s("message"))
        })
        .collect()
}

/// Compares Mongoose's document with the server's answer. Strings equal to
/// `now` (the clock of Mongoose's answer) may be the server's clock during
/// the request instead; `_id`s the server generated (where `want` has none)
/// are allowed.
fn compare(
    want: &Value,
    got: &Value,
    now: &str,
    window: (i64, i64),
    path: &str,
    diffs: &mut Vec<String>,
) {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (k, wv) in w {
                let p = format!("{path}.{k}");
                match g.get(k) {
                    Some(gv) => compare(wv, gv, now, window, &p, diffs),
                    None => diffs.push(format!("{p}: missing")),
                }
            }
            for k in g.keys() {
                if !w.contains_key(k) && k != "_id" {
                    diffs.push(format!("{path}.{k}: unexpected"));
                }
            }
        }
        (Value::Array(w), Value::Array(g)) if w.len() == g.len() => {
            for (i, (wv, gv)) in w.iter().zip(g).enumerate() {
                compare(wv, gv, now, window, &format!("{path}.{i}"), diffs);
            }
        }
        (w, g) if w == g => {}
        (Value::String(w), g) if w == now && iso_within(g, window.0, window.1) => {}
        (w, g) => diffs.push(format!("{path}: want {w}, got {g}")),
    }
}

/// What Mongoose says of a created document.
struct Want<'v> {
    /// The input sent.
    input: &'v Value,
    /// Mongoose's normalised document, at the clock `now`.
    doc: &'v Value,
    now: &'v str,
    /// The server's clock during the request (epoch ms, from and to).
    window: (i64, i64),
}

/// Checks a created document against Mongoose's.
fn check_created(c: Collection, tag: &str, want: Want<'_>, got: &Value, diffs: &mut Vec<String>) {
    let Want {
        input,
        doc: want,
        now,
        window,
    } = want;
    let mut want = want.as_object().cloned().unwrap_or_default();
    let mut got = got.as_object().cloned().unwrap_or_default();
    for s in SECRETS {
        if c == Collection::Users {
            want.remove(*s);
        }
    }
    // Mongoose: createdAt kept when given, updatedAt = createdAt, __v = 0.
    want.remove("updatedAt");
    want.remove("__v");
    let given_created = want.remove("createdAt");
    let created_at = got.remove("createdAt");
    let updated_at = got.remove("updatedAt");
    let given = input.get("createdAt").is_some_and(|v| !v.is_null());
    if NO_TIMESTAMPS.contains(&c) {
        if created_at.is_some() || updated_at.is_some() {
            diffs.push(format!("{tag}: timestamps on a schema without them"));
        }
    } else {
        match (&given_created, given) {
            (Some(v), true) if created_at.as_ref() != Some(v) => {
                diffs.push(format!("{tag}: createdAt {created_at:?}, given {v}"));
            }
            (_, false)
                if !created_at
                    .as_ref()
                    .is_some_and(|v| iso_within(v, window.0, window.1)) =>
            {
                diffs.push(format!("{tag}: createdAt {created_at:?} is not now"));
            }
            _ => {}
        }
        if updated_at != created_at {
            diffs.push(format!("{tag}: updatedAt {updated_at:?} != createdAt"));
        }
    }
    if got.remove("__v") != Some(json!(0)) {
        diffs.push(format!("{tag}: __v is not 0"));
    }
    got.remove("isValid");
    let mut d = Vec::new();
    compare(
        &Value::Object(want),
        &Value::Object(got),
        now,
        window,
        "",
        &mut d,
    );
    diffs.extend(d.into_iter().map(|x| format!("{tag}: {x}")));
}

#[tokio::test]
async fn every_vector_over_http_agrees_with_mongoose() {
    let server = TestServer::start("vectors").await;
    let nested_arrays = server
        .state
        .store()
        .stores_nested_arrays()
        .await
        .unwrap_or_else(|e| panic!("buildInfo: {e}"));
    let (mut cases, mut created, mut invalid, mut refused) = (0, 0, 0, 0);
    let mut refused_names = BTreeSet::new();
    let mut diffs: Vec<String> = Vec::new();
    let mut questions: Vec<Value> = Vec::new();
    let mut asks: Vec<Ask> = Vec::new();
    let mut contract = Answers::default();
    for c in Collection::ALL {
        let route = c.route();
        for case in vector_files::cases(c.name()) {
            cases += 1;
            let name = case["name"].as_str().unwrap_or("?").to_string();
            let tag = format!("{route} / {name}");
            let input = &case["input"];
            let t0 = now_ms();
            let r = server.post(&format!("/api/{route}"), input).await;
            let t1 = now_ms();
            contract.record("post", &format!("/api/{route}"), &r, &name);
            let window = (t0, t1);
            let pinned = REFUSED.iter().find(|(rt, n, code)| {
                *rt == route && *n == name && (*code != "nested_array" || !nested_arrays)
            });
            if let Some((_, _, code)) = pinned {
                refused += 1;
                refused_names.insert(tag.clone());
                if r.status != 400 || r.code() != *code {
                    diffs.push(format!(
                        "{tag}: status {} {} (want 400 {code})",
                        r.status,
                        r.code()
                    ));
                }
                if server.count(c.name()).await != 0 {
                    diffs.push(format!("{tag}: a refused document was stored"));
                }
                continue;
            }
            let file_errors = error_set(&case["errors"]);
            let expiry_filled = c == Collection::Subscriptions
                && matches!(input.get("expiryDate"), None | Some(Value::Null))
                && file_errors.len() == 1
                && file_errors
                    .iter()
                    .all(|(p, k, _)| p == "expiryDate" && k == "required");
            if expiry_filled && r.status == 201 {
                // The start the server used: the cast start date, or its clock.
                let start = r.json["startDate"].clone();
                let start = if start.is_string() {
                    start
                } else {
                    r.json["createdAt"].clone()
                };
                questions.push(json!({
                    "kind": "expiry",
                    "input": input,
                    "start": start,
                    "now": r.json["createdAt"],
                }));
                asks.push(Ask::Expiry {
                    tag: tag.clone(),
                    got: r.json.clone(),
                    window,
                });
                created += 1;
            } else if case["valid"] == true {
                created += 1;
                if r.status != 201 {
                    diffs.push(format!("{tag}: status {} (want 201): {}", r.status, r.text));
                    continue;
                }
                let now = case["now"].as_str().unwrap_or_default();
                let want = Want {
                    input,
                    doc: &case["output"],
                    now,
                    window,
                };
                check_created(c, &tag, want, &r.json, &mut diffs);
            } else if expiry_filled {
                diffs.push(format!(
                    "{tag}: status {} (the server fills expiryDate): {}",
                    r.status, r.text
                ));
                continue;
            } else {
                invalid += 1;
                if r.status != 422 {
                    diffs.push(format!("{tag}: status {} (want 422): {}", r.status, r.text));
                    continue;
                }
                let got = error_set(&r.json["errors"]);
                if got != file_errors {
                    diffs.push(format!(
                        "{tag}: errors differ from the vector file\n  got:  {got:?}\n  file: {file_errors:?}"
                    ));
                }
                if server.count(c.name()).await != 0 {
                    diffs.push(format!("{tag}: an invalid document was stored"));
                }
                continue;
            }
            if c == Collection::Subscriptions && r.status == 201 {
                let doc = json!({ "status": r.json["status"], "expiryDate": r.json["expiryDate"] });
                for at in [t0, t1] {
                    questions.push(json!({ "kind": "isValid", "doc": doc, "at": at }));
                }
                let got = r.json["isValid"].as_bool().unwrap_or_default();
                asks.push(Ask::IsValid {
                    tag: tag.clone(),
                    got,
                });
            }
            let id = r.json["_id"].as_str().unwrap_or_default().to_string();
            let del = server.delete(&format!("/api/{route}/{id}")).await;
            contract.record("delete", &format!("/api/{route}/{id}"), &del, &name);
            if del.status != 204 {
                diffs.push(format!("{tag}: delete {}", del.status));
            }
        }
    }
    // Mongoose's answers to what only it can say.
    let answers = oracle(&questions);
    let mut next = answers.iter();
    for ask in asks {
        match ask {
            Ask::Expiry { tag, got, window } => {
                let answer = next.next().cloned().unwrap_or_default();
                let case = &answer["case"];
                if case["valid"] != true {
                    diffs.push(format!("{tag}: created, Mongoose says {}", case["errors"]));
                    continue;
                }
                let now = case["now"].as_str().unwrap_or_default();
                let input = case["input"].clone();
                let want = Want {
                    input: &input,
                    doc: &case["output"],
                    now,
                    window,
                };
                check_created(Collection::Subscriptions, &tag, want, &got, &mut diffs);
            }
            Ask::IsValid { tag, got } => {
                let at_start = next.next().cloned().unwrap_or_default();
                let at_end = next.next().cloned().unwrap_or_default();
                if at_start == at_end && at_start != Value::Bool(got) {
                    diffs.push(format!(
                        "{tag}: isValid {got}, Mongoose's isValid() {at_start}"
                    ));
                }
            }
        }
    }
    let pinned: Vec<_> = REFUSED
        .iter()
        .filter(|(_, _, code)| *code != "nested_array" || !nested_arrays)
        .collect();
    if refused != pinned.len() {
        diffs.push(format!(
            "{refused} of the {} pinned refusals happened: {refused_names:?}",
            pinned.len()
        ));
    }
    let fills = questions.iter().filter(|q| q["kind"] == "expiry").count();
    let validity = questions.iter().filter(|q| q["kind"] == "isValid").count() / 2;
    println!(
        "vectors over HTTP: {cases} cases: {created} created (201; {fills} expiry dates filled and {validity} isValid answers checked against Mongoose), {invalid} rejected with the file's errors (422), {refused} refused by name (400); {} differences",
        diffs.len()
    );
    // The contract: every answer fits the OpenAPI document's schema for its status.
    match contract.check(&server).await {
        Ok(report) => println!("{}", report.trim()),
        Err(report) => diffs.push(format!("answers that do not fit /openapi.json:\n{report}")),
    }
    assert!(
        diffs.is_empty(),
        "{} differences:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
    server.finish().await;
}
