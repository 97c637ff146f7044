//! Every case of `tests/vectors/` over HTTP: the same verdict and the same
//! field errors as the models crate (and so as Mongoose), and for valid
//! cases the crate's normalised document plus what the server adds.
//!
//! The server's documented rules on top of the crate are applied to the
//! expectation here, each by its rule, never by case name:
//! - `subscriptions`: an absent or null `expiryDate` is filled from
//!   `calculateExpiryDate(plan, startDate)` when the rest is valid;
//! - a valid document with a key starting with `$` anywhere in the input, or
//!   a `.` in a key it would store (Mixed values), is refused with 400
//!   `forbidden_key` (MongoDB operators; FerretDB cannot store such keys);
//!   one with an array directly inside an array, with 400 `nested_array`
//!   when the database cannot store it (FerretDB; MongoDB can);
//! - errors are the crate's, which leaves the value of a secret path out.

use crate::common::{iso_within, now_ms, TestServer};
use crate::vector_files;
use onelastai_models::subscriptions::{calculate_expiry_date, Plan};
use onelastai_models::{Collection, Date, Json};
use onelastai_server::body::{forbidden_key, nested_array, KeyRule};
use onelastai_server::resource::Resource;
use serde_json::{json, Map, Value};

/// What the server must answer for one case.
enum Expect {
    Created(Map<String, Value>),
    Invalid(Vec<onelastai_models::FieldError>),
    Forbidden,
}

fn server_now() -> Date {
    Date::from_millis(now_ms()).unwrap_or_else(|| unreachable!())
}

fn expectation(c: Collection, input: &Value, now: Date, nested_arrays: bool) -> Expect {
    let mut input = input.as_object().cloned().unwrap_or_default();
    if c == Collection::Subscriptions && matches!(input.get("expiryDate"), None | Some(Value::Null))
    {
        let mut probe = input.clone();
        probe.insert("expiryDate".into(), json!("1970-01-01T00:00:00.000Z"));
        if let Ok(doc) = c.validate(&Value::Object(probe), now) {
            let plan = doc["plan"].as_str().and_then(Plan::parse);
            let start = doc["startDate"]
                .as_str()
                .and_then(Date::parse_iso)
                .unwrap_or(now);
            if let Some(expiry) = plan.and_then(|p| calculate_expiry_date(p, start)) {
                input.insert("expiryDate".into(), json!(expiry.to_iso_string()));
            }
        }
    }
    let input = Value::Object(input);
    match c.validate(&input, now) {
        Err(errors) => Expect::Invalid(errors),
        Ok(doc) => {
            let doc_value = Value::Object(doc.clone());
            let (Json::Object(input), Json::Object(stored)) =
                (Json::from_value(&input), Json::from_value(&doc_value))
            else {
                unreachable!("objects stay objects")
            };
            if forbidden_key(&input, KeyRule::Operators).is_some()
                || forbidden_key(&stored, KeyRule::Stored).is_some()
                || (!nested_arrays && nested_array(&stored).is_some())
            {
                Expect::Forbidden
            } else {
                Expect::Created(doc)
            }
        }
    }
}

/// Compares the crate's normalised document with the server's answer.
/// `now` strings in `want` stand for the server's clock during the request;
/// `_id`s the server generated (where `want` has none) are allowed.
fn compare(
    want: &Value,
    got: &Value,
    now_iso: &str,
    window: (i64, i64),
    path: &str,
    diffs: &mut Vec<String>,
) {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (k, wv) in w {
                let p = format!("{path}.{k}");
                match g.get(k) {
                    Some(gv) => compare(wv, gv, now_iso, window, &p, diffs),
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
                compare(wv, gv, now_iso, window, &format!("{path}.{i}"), diffs);
            }
        }
        (Value::String(w), g) if w == now_iso => {
            if !iso_within(g, window.0, window.1) {
                diffs.push(format!("{path}: {g} is not the server's now"));
            }
        }
        (w, g) if w == g => {}
        (w, g) => diffs.push(format!("{path}: want {w}, got {g}")),
    }
}

#[tokio::test]
async fn every_vector_over_http_agrees_with_the_crate() {
    let server = TestServer::start("vectors").await;
    let nested_arrays = server
        .state
        .store()
        .stores_nested_arrays()
        .await
        .unwrap_or_else(|e| panic!("buildInfo: {e}"));
    let mut cases = 0;
    let mut created = 0;
    let mut invalid = 0;
    let mut forbidden = 0;
    let mut diffs: Vec<String> = Vec::new();
    for c in Collection::ALL {
        let res = Resource::of(c);
        let route = c.route();
        for case in vector_files::cases(c.name()) {
            cases += 1;
            let name = case["name"].as_str().unwrap_or("?").to_string();
            let tag = format!("{route} / {name}");
            let input = &case["input"];
            let t0 = now_ms();
            let r = server.post(&format!("/api/{route}"), input).await;
            let t1 = now_ms();
            let now = server_now();
            let want = expectation(c, input, now, nested_arrays);

            // Mongoose's own answer, from the file: same verdict and error set.
            let file_errors = vector_files::file_errors(&case);

            match want {
                Expect::Invalid(errors) => {
                    invalid += 1;
                    if r.status != 422 {
                        diffs.push(format!("{tag}: status {} (want 422): {}", r.status, r.text));
                        continue;
                    }
                    let got = r.json["errors"].clone();
                    let want_json = json!(errors);
                    if got != want_json {
                        diffs.push(format!(
                            "{tag}: errors differ\n  got:  {got}\n  want: {want_json}"
                        ));
                    }
                    if vector_files::error_keys(&errors) != file_errors {
                        diffs.push(format!("{tag}: errors differ from the vector file"));
                    }
                    if server.count(c.name()).await != 0 {
                        diffs.push(format!("{tag}: an invalid document was stored"));
                    }
                }
                Expect::Forbidden => {
                    forbidden += 1;
                    if r.status != 400 || !matches!(r.code(), "forbidden_key" | "nested_array") {
                        diffs.push(format!(
                            "{tag}: status {} (want 400 forbidden_key or nested_array): {}",
                            r.status, r.text
                        ));
                    }
                    if server.count(c.name()).await != 0 {
                        diffs.push(format!("{tag}: a refused document was stored"));
                    }
                }
                Expect::Created(doc) => {
                    created += 1;
                    if r.status != 201 {
                        diffs.push(format!("{tag}: status {} (want 201): {}", r.status, r.text));
                        continue;
                    }
                    // Only the filled expiry date may turn an invalid case valid.
                    let only_expiry_missing = c == Collection::Subscriptions
                        && file_errors.len() == 1
                        && file_errors
                            .iter()
                            .all(|(p, k, _)| p == "expiryDate" && k == "required");
                    if case["valid"] != true && !only_expiry_missing {
                        diffs.push(format!("{tag}: the vector file says invalid"));
                    }
                    let mut want = doc.clone();
                    let mut got = r.json.as_object().cloned().unwrap_or_default();
                    for s in res.secrets {
                        want.remove(*s);
                    }
                    // Mongoose: createdAt kept when given, updatedAt = createdAt, __v = 0.
                    let given_created = want.remove("createdAt");
                    want.remove("updatedAt");
                    want.remove("__v");
                    let created_at = got.remove("createdAt");
                    let updated_at = got.remove("updatedAt");
                    if c.schema().timestamps {
                        match &given_created {
                            Some(v) if !v.is_null() => {
                                if created_at.as_ref() != Some(v) {
                                    diffs.push(format!(
                                        "{tag}: createdAt {created_at:?}, given {v}"
                                    ));
                                }
                            }
                            _ => {
                                if !created_at.as_ref().is_some_and(|v| iso_within(v, t0, t1)) {
                                    diffs.push(format!(
                                        "{tag}: createdAt {created_at:?} is not now"
                                    ));
                                }
                            }
                        }
                        if updated_at != created_at {
                            diffs.push(format!("{tag}: updatedAt {updated_at:?} != createdAt"));
                        }
                    }
                    if got.remove("__v") != Some(json!(0)) {
                        diffs.push(format!("{tag}: __v is not 0"));
                    }
                    if c == Collection::Subscriptions
                        && !got.remove("isValid").is_some_and(|v| v.is_boolean())
                    {
                        diffs.push(format!("{tag}: isValid missing"));
                    }
                    // A filled expiry date follows from the start date the server used.
                    if c == Collection::Subscriptions
                        && matches!(input.get("expiryDate"), None | Some(Value::Null))
                    {
                        let start = got
                            .get("startDate")
                            .and_then(Value::as_str)
                            .and_then(Date::parse_iso);
                        let plan = want
                            .get("plan")
                            .and_then(Value::as_str)
                            .and_then(Plan::parse);
                        if let (Some(start), Some(plan)) = (start, plan) {
                            if let Some(expiry) = calculate_expiry_date(plan, start) {
                                want.insert("expiryDate".into(), json!(expiry.to_iso_string()));
                            }
                        }
                    }
                    let id = got
                        .get("_id")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string();
                    let now_iso = now.to_iso_string();
                    let mut d = Vec::new();
                    compare(
                        &Value::Object(want),
                        &Value::Object(got),
                        &now_iso,
                        (t0, t1),
                        "",
                        &mut d,
                    );
                    // The crate's output at the case's `now` must also match the file.
                    let file_now = case["now"]
                        .as_str()
                        .and_then(Date::parse_iso)
                        .unwrap_or(now);
                    if case["valid"] == true {
                        if let Ok(at_file_now) = c.validate(input, file_now) {
                            if Value::Object(at_file_now) != case["output"] {
                                d.push("crate output differs from the vector file".into());
                            }
                        }
                    }
                    diffs.extend(d.into_iter().map(|x| format!("{tag}: {x}")));
                    let del = server.delete(&format!("/api/{route}/{id}")).await;
                    if del.status != 204 {
                        diffs.push(format!("{tag}: delete {}", del.status));
                    }
                }
            }
        }
    }
    println!(
        "vectors over HTTP: {cases} cases: {created} created (201), {invalid} rejected with the crate's errors (422), {forbidden} refused for $/. keys or nested arrays (400); {} differences",
        diffs.len()
    );
    assert!(
        diffs.is_empty(),
        "{} differences:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
    server.finish().await;
}
