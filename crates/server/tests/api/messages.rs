//! A 422's `params` and human messages (issue 11):
//! - every field error carries `params`; with an `Accept-Language` naming a
//!   locale the models crate has, each also carries `userMessage` and the
//!   body its `locale` (`Content-Language` too); without one, or naming
//!   none the server has, neither; `message` stays Mongoose's either way.
//!   Expected sentences are written by hand here.
//! - parity: for every invalid vector, the server's `params` and its
//!   `userMessage` in English and French equal what the built package
//!   (`pkg/`) gives for the same input (`tests/pkg/server-parity.mjs`), and
//!   each localised 422 fits `/openapi.json`'s schema (Ajv, [`crate::contract`]).

use crate::common::{TestServer, TOKEN};
use crate::contract::Answers;
use crate::vector_files;
use onelastai_models::Collection;
use serde_json::{json, Value};

/// `POST /api/{route}` with the service token and an `Accept-Language`.
async fn post_in(
    server: &TestServer,
    route: &str,
    body: &Value,
    accept_language: Option<&str>,
) -> crate::common::Resp {
    let headers: Vec<(&str, &str)> = accept_language
        .map(|l| vec![("accept-language", l)])
        .unwrap_or_default();
    server
        .call_with(
            reqwest::Method::POST,
            &format!("/api/{route}"),
            Some(body),
            Some(TOKEN),
            &headers,
        )
        .await
}

/// The answer's errors by path.
fn by_path(r: &crate::common::Resp) -> serde_json::Map<String, Value> {
    assert_eq!(r.status, 422, "{}", r.text);
    r.json["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["path"].as_str().unwrap_or_default().to_string(),
                e.clone(),
            )
        })
        .collect()
}

/// Each `(path, sentence)`: the error at `path` has that `userMessage`.
fn assert_user_messages(errors: &serde_json::Map<String, Value>, expected: &[(&str, &str)]) {
    for (path, sentence) in expected {
        assert_eq!(errors[*path]["userMessage"], *sentence, "{path}");
    }
}

/// The error at `path` has these `params` and this `userMessage`.
fn assert_error(
    errors: &serde_json::Map<String, Value>,
    path: &str,
    params: Value,
    user_message: &str,
) {
    assert_eq!(errors[path]["params"], params, "{path}");
    assert_eq!(errors[path]["userMessage"], user_message, "{path}");
}

fn header<'r>(r: &'r crate::common::Resp, name: &str) -> Option<&'r str> {
    r.headers.get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn user_messages_in_english_and_french_by_hand() {
    let server = TestServer::start("messages").await;
    let user = json!({
        "id": "u1", "email": "a@b.co", "bio": "x".repeat(510), "role": "boss", "emailVerified": "maybe",
    });

    // No Accept-Language: params, no userMessage, no locale.
    let plain = post_in(&server, "users", &user, None).await;
    let errors = by_path(&plain);
    assert_eq!(
        errors["bio"]["params"],
        json!({"maxlength": 500, "length": 510})
    );
    assert_eq!(
        errors["role"]["params"],
        json!({"values": ["user", "admin", "moderator"]})
    );
    assert_eq!(
        errors["emailVerified"]["params"],
        json!({"type": "boolean"})
    );
    assert!(errors.values().all(|e| e.get("userMessage").is_none()));
    assert!(plain.json.get("locale").is_none());
    assert!(header(&plain, "content-language").is_none());
    assert!(header(&plain, "vary").is_some_and(|v| v.contains("accept-language")));
    let mongoose = errors["bio"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(mongoose.starts_with("Path `bio` ("), "{mongoose}");
    assert!(
        mongoose.ends_with("is longer than the maximum allowed length (500)."),
        "{mongoose}"
    );

    // French, by tag, by region and by weight.
    for accept in ["fr", "fr-CA", "en;q=0.2, fr;q=0.9", "de, fr;q=0.5"] {
        let r = post_in(&server, "users", &user, Some(accept)).await;
        let errors = by_path(&r);
        assert_eq!(r.json["locale"], "fr", "{accept}");
        assert_eq!(header(&r, "content-language"), Some("fr"), "{accept}");
        assert_user_messages(
            &errors,
            &[
                (
                    "bio",
                    "Bio doit comporter au plus 500 caractères (510 actuellement).",
                ),
                (
                    "role",
                    "Role doit être \"user\", \"admin\" ou \"moderator\".",
                ),
                ("emailVerified", "Email verified doit être vrai ou faux."),
            ],
        );
        // Mongoose's message and the params are the same as without the header.
        assert_eq!(errors["bio"]["message"], mongoose.as_str());
        assert_eq!(
            errors["bio"]["params"],
            json!({"maxlength": 500, "length": 510})
        );
        assert_eq!(r.json["message"], plain.json["message"]);
        assert_eq!(r.json["errorCount"], plain.json["errorCount"]);
    }

    // English.
    let r = post_in(&server, "users", &user, Some("en-GB")).await;
    let errors = by_path(&r);
    assert_eq!(r.json["locale"], "en");
    assert_user_messages(
        &errors,
        &[
            ("bio", "Bio must be at most 500 characters (510 now)."),
            (
                "role",
                "Role must be one of \"user\", \"admin\" or \"moderator\".",
            ),
            ("emailVerified", "Email verified must be true or false."),
        ],
    );

    // A language the server does not have: as without the header.
    for accept in ["de", "de-DE, it;q=0.5", "fr;q=0"] {
        let r = post_in(&server, "users", &user, Some(accept)).await;
        assert_eq!(r.json, plain.json, "{accept}");
        assert!(header(&r, "content-language").is_none(), "{accept}");
    }
    // Any language: English.
    let r = post_in(&server, "users", &user, Some("de, *;q=0.1")).await;
    assert_eq!(r.json["locale"], "en");

    // Bounds, a subdocument in an array, a custom rule, a missing field.
    let review = json!({ "toolId": "t", "userId": "u", "rating": 0, "title": "ok" });
    let r = post_in(&server, "tool-reviews", &review, Some("fr")).await;
    let errors = by_path(&r);
    assert_error(
        &errors,
        "rating",
        json!({"min": 1}),
        "Rating doit être au moins 1.",
    );
    let review = json!({ "toolId": "t", "userId": "u", "rating": 6, "title": "ok" });
    let r = post_in(&server, "tool-reviews", &review, Some("en")).await;
    let errors = by_path(&r);
    assert_error(
        &errors,
        "rating",
        json!({"max": 5}),
        "Rating must be at most 5.",
    );

    let session = json!({
        "id": "s", "userId": "u", "name": "n", "messages": [{ "id": "m", "role": "robot", "content": "hi" }],
    });
    let r = post_in(&server, "chat-sessions", &session, Some("en")).await;
    let errors = by_path(&r);
    assert_error(
        &errors,
        "messages.0.role",
        json!({"values": ["user", "assistant"]}),
        "Messages 1 role must be one of \"user\" or \"assistant\".",
    );

    let r = post_in(
        &server,
        "users",
        &json!({ "id": "u", "email": "nope" }),
        Some("fr"),
    )
    .await;
    let errors = by_path(&r);
    assert_error(&errors, "email", json!({}), "Invalid email format");

    let r = post_in(&server, "users", &json!({ "id": "u" }), Some("fr")).await;
    let errors = by_path(&r);
    assert_error(&errors, "email", json!({}), "Email est obligatoire.");

    // A 422 from the auth routes (users' rules) is localised too.
    let r = server
        .call_with(
            reqwest::Method::POST,
            "/api/auth/sign-up",
            Some(&json!({ "email": "new@b.co", "name": "New" })),
            None,
            &[("accept-language", "fr")],
        )
        .await;
    let errors = by_path(&r);
    assert_error(&errors, "password", json!({}), "Password est obligatoire.");
    server.finish().await;
}

/// Runs `tests/pkg/server-parity.mjs` on the collected answers.
async fn package_parity(cases: &[Value]) -> Value {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    assert!(
        root.join("pkg/node/models_bg.wasm").is_file() && root.join("pkg/messages.js").is_file(),
        "the package is not built: run `bash tools/build-pkg.sh` (tools/test-server.sh does when it is missing)"
    );
    crate::common::node_json("tests/pkg/server-parity.mjs", &Value::Array(cases.to_vec()))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn every_invalid_vector_has_the_packages_params_and_messages() {
    let server = TestServer::start("messages_parity").await;
    let (mut invalid, mut errors) = (0, 0);
    let mut cases = Vec::new();
    let mut contract = Answers::default();
    for c in Collection::ALL {
        let route = c.route();
        for case in vector_files::cases(c.name()) {
            if case["errors"].as_array().is_none_or(|e| e.is_empty()) {
                continue;
            }
            invalid += 1;
            let mut answers = serde_json::Map::new();
            for locale in ["en", "fr"] {
                let r = post_in(&server, route, &case["input"], Some(locale)).await;
                // The server refuses a few inputs before validation (400,
                // pinned in vectors.rs) and fills some fields itself (201):
                // only its 422s have messages to compare.
                if r.status != 422 {
                    continue;
                }
                let tag = format!("{} [{locale}]", case["name"]);
                contract.record("post", &format!("/api/{route}"), &r, &tag);
                assert_eq!(r.json["locale"], locale, "{route} / {}", case["name"]);
                let list = r.json["errors"].as_array().cloned().unwrap_or_default();
                for e in &list {
                    assert!(e["params"].is_object(), "{route}: no params in {e}");
                    assert!(
                        e["userMessage"].is_string(),
                        "{route}: no userMessage in {e}"
                    );
                }
                errors += list.len();
                answers.insert(locale.into(), Value::Array(list));
            }
            if !answers.is_empty() {
                cases.push(json!({
                    "collection": c.name(),
                    "input": case["input"],
                    "now": case["now"],
                    "answers": answers,
                }));
            }
        }
    }
    let report = package_parity(&cases).await;
    assert_eq!(
        report["templates"],
        onelastai_models::messages::locales_json(),
        "pkg/messages.js is not the models crate's templates: rebuild the package (bash tools/build-pkg.sh)"
    );
    let diffs: Vec<&str> = report["diffs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let compared = report["compared"].as_u64().unwrap_or_default();
    eprintln!(
        "messages parity: {invalid} invalid vectors, {} answered 422, {errors} server errors (en + fr), {compared} compared with the package, {} differences",
        cases.len(),
        diffs.len()
    );
    assert!(
        diffs.is_empty(),
        "{} differences:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
    match contract.check(&server).await {
        Ok(report) => println!("{}", report.trim()),
        Err(report) => panic!("localised 422s that do not fit /openapi.json:\n{report}"),
    }
    // Every server error was compared (none lacks a package counterpart).
    assert_eq!(compared as usize, errors);
    assert!(
        cases.len() > 300,
        "only {} invalid vectors answered 422",
        cases.len()
    );
    server.finish().await;
}

/// One huge `Accept-Language` (thousands of ranges, ~40 KB): the whole
/// header is read and the 422 comes at once (~10 ms here), in the locale
/// the header weighs highest.
#[tokio::test]
async fn a_huge_accept_language_is_answered_at_once() {
    let server = TestServer::start("messages_huge_header").await;
    let header = format!("{}fr;q=0.9", "de-DE;q=0.5, ".repeat(3_500));
    assert!(header.len() > 40_000);
    let started = std::time::Instant::now();
    let r = post_in(&server, "users", &json!({ "id": "u" }), Some(&header)).await;
    let took = started.elapsed();
    assert!(
        took < std::time::Duration::from_secs(2),
        "{took:?} for one header"
    );
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(r.json["locale"], "fr", "{}", r.text);
    // The server still answers others.
    let r = post_in(&server, "users", &json!({ "id": "u" }), Some("fr")).await;
    assert_eq!(r.json["locale"], "fr", "{}", r.text);
    server.finish().await;
}
