//! `GET /openapi.json`: valid for Redocly's validator, describing exactly
//! the routes the server answers, with the routes and collections the spec
//! names (written out here, not taken from the server).

use crate::common::TestServer;
use crate::contract::{self, node, Answers};
use serde_json::Value;

/// The spec's 17 collections as the server routes them.
const COLLECTION_ROUTES: &[&str] = &[
    "users",
    "user-sessions",
    "subscriptions",
    "subscription-plans",
    "chat-sessions",
    "chat-messages",
    "analytics-events",
    "chat-analytics",
    "tool-usage-analytics",
    "user-achievements",
    "user-rewards",
    "leaderboards",
    "tools",
    "tool-reviews",
    "invoices",
    "payments",
    "app-configs",
];

/// Routes outside the collections that the document must describe.
const FIXED: &[(&str, &str)] = &[
    ("get", "/health"),
    ("get", "/ready"),
    ("get", "/openapi.json"),
    ("post", "/api/auth/sign-up"),
    ("post", "/api/auth/sign-in"),
    ("post", "/api/auth/sign-out"),
    ("get", "/api/auth/me"),
    ("post", "/api/auth/password"),
    ("get", "/api/app-configs/public"),
];

fn operations(doc: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in item.as_object().into_iter().flatten().map(|(m, _)| m) {
            out.push((method.clone(), path.clone()));
        }
    }
    out
}

#[tokio::test]
async fn the_document_is_valid_openapi_and_names_every_route() {
    let server = TestServer::start("openapi").await;
    let (doc, file) = contract::document(&server).await;
    assert_eq!(doc["openapi"], "3.1.0");

    let (ok, report) = node("lint.mjs", &[&file]);
    println!("{}", report.lines().last().unwrap_or_default());
    assert!(ok, "Redocly finds errors in /openapi.json:\n{report}");

    // The validator can fail: the same document with a dangling $ref and an
    // operation without responses has errors.
    let mut broken = doc.clone();
    broken["paths"]["/api/tools"]["post"]["responses"] = Value::Null;
    broken["paths"]["/api/tools/{id}"]["get"]["responses"]["200"]["content"]["application/json"]
        ["schema"] = serde_json::json!({ "$ref": "#/components/schemas/Nope" });
    let broken_file = contract::scratch("broken-openapi.json");
    std::fs::write(&broken_file, broken.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let (ok, report) = node("lint.mjs", &[&broken_file]);
    assert!(!ok, "Redocly accepted a broken document:\n{report}");

    let ops = operations(&doc);
    let has = |m: &str, p: &str| ops.iter().any(|(om, op)| om == m && op == p);
    let mut missing = Vec::new();
    for (m, p) in FIXED {
        if !has(m, p) {
            missing.push(format!("{m} {p}"));
        }
    }
    for route in COLLECTION_ROUTES {
        let list = format!("/api/{route}");
        let one = format!("/api/{route}/{{id}}");
        for (m, p) in [
            ("get", &list),
            ("post", &list),
            ("get", &one),
            ("patch", &one),
            ("delete", &one),
        ] {
            if !has(m, p) {
                missing.push(format!("{m} {p}"));
            }
        }
        let params = &doc["paths"][&list]["get"]["parameters"];
        let names: Vec<&str> = params
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p["name"].as_str())
            .collect();
        for q in ["sort", "limit", "cursor"] {
            if !names.contains(&q) {
                missing.push(format!("{list}: query parameter {q}"));
            }
        }
    }
    assert!(missing.is_empty(), "not described: {missing:?}");
    for scheme in ["serviceToken", "sessionToken"] {
        assert_eq!(
            doc["components"]["securitySchemes"][scheme]["scheme"], "bearer",
            "{scheme}"
        );
    }
    println!(
        "openapi: {} operations on {} paths, {} component schemas",
        ops.len(),
        doc["paths"].as_object().map_or(0, |p| p.len()),
        doc["components"]["schemas"]
            .as_object()
            .map_or(0, |s| s.len())
    );
    server.finish().await;
}

/// Every operation the document describes is served: none gets the
/// router's `no such route` 404 or its 405, and every answer (whatever it
/// is without a body or credentials) fits the document.
#[tokio::test]
async fn every_described_operation_is_served_and_answers_as_described() {
    let server = TestServer::start("openapi_served").await;
    let (doc, _) = contract::document(&server).await;
    let mut answers = Answers::default();
    let mut unserved = Vec::new();
    for (method, template) in operations(&doc) {
        let path = template.replace("{id}", "65a1b2c3d4e5f6a7b8c9d0e1");
        let m = reqwest::Method::from_bytes(method.to_ascii_uppercase().as_bytes())
            .unwrap_or(reqwest::Method::GET);
        let body = (m == reqwest::Method::POST || m == reqwest::Method::PATCH)
            .then(|| ("application/json", b"{}".to_vec()));
        // Without credentials: what anyone gets.
        let r = server.send(m, &path, body, &[], false).await;
        if r.status == 405 || (r.status == 404 && r.json["message"] == "no such route") {
            unserved.push(format!("{method} {template}: {} {}", r.status, r.text));
        }
        answers.record(&method, &path, &r, "anonymous, empty body");
    }
    assert!(
        unserved.is_empty(),
        "described but not served:\n{}",
        unserved.join("\n")
    );
    let n = answers.len();
    match answers.check(&server).await {
        Ok(report) => println!("{n} operations served; {}", report.trim()),
        Err(report) => panic!("answers that do not fit /openapi.json:\n{report}"),
    }
    server.finish().await;
}
