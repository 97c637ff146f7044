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

/// One request, its answer recorded for the contract check.
struct Client<'s> {
    server: &'s TestServer,
    answers: Answers,
    /// `(method path, status)` of every answer, to check that each kind was met.
    seen: Vec<(String, u16)>,
}

impl Client<'_> {
    async fn call(
        &mut self,
        method: &str,
        path: &str,
        body: Option<Value>,
        bearer: Option<&str>,
    ) -> crate::common::Resp {
        self.call_with(method, path, body, bearer, &[]).await
    }

    /// [`Client::call`] with extra headers.
    async fn call_with(
        &mut self,
        method: &str,
        path: &str,
        body: Option<Value>,
        bearer: Option<&str>,
        headers: &[(&str, &str)],
    ) -> crate::common::Resp {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap_or(reqwest::Method::GET);
        let r = self
            .server
            .call_with(m, path, body.as_ref(), bearer, headers)
            .await;
        self.answers.record(method, path, &r, "flow");
        self.seen.push((format!("{method} {path}"), r.status));
        r
    }

    /// Sends raw bytes with a content type (malformed, too large, not JSON).
    async fn raw(&mut self, path: &str, content_type: &str, bytes: Vec<u8>) -> crate::common::Resp {
        let r = self
            .server
            .send(
                reqwest::Method::POST,
                path,
                Some((content_type, bytes)),
                &[],
                true,
            )
            .await;
        self.answers.record("post", path, &r, "raw body");
        self.seen.push((format!("POST {path}"), r.status));
        r
    }
}

/// Answers of every kind (the auth routes, each success status, and the
/// error statuses a client meets: 400, 401, 403, 404, 409, 413, 415, 422,
/// 428) fit the document's schema for their status.
#[tokio::test]
async fn answers_of_every_kind_fit_the_document() {
    use crate::common::TOKEN;
    use serde_json::json;
    let server = TestServer::start("openapi_flows").await;
    let mut c = Client {
        server: &server,
        answers: Answers::default(),
        seen: Vec::new(),
    };
    let service = Some(TOKEN);
    let who = json!({ "email": "contract@example.com", "password": "a long enough password", "name": "Con Tract" });

    c.call("GET", "/health", None, None).await;
    c.call("GET", "/ready", None, None).await;
    let up = c
        .call("POST", "/api/auth/sign-up", Some(who.clone()), None)
        .await;
    assert_eq!(up.status, 201, "{}", up.text);
    let token = up.json["token"].as_str().unwrap_or_default().to_string();
    let me = Some(token.as_str());
    c.call("POST", "/api/auth/sign-up", Some(who.clone()), None)
        .await;
    c.call(
        "POST",
        "/api/auth/sign-up",
        Some(json!({ "email": "nopass@example.com" })),
        None,
    )
    .await;
    let wrong = json!({ "email": "contract@example.com", "password": "not the password" });
    c.call("POST", "/api/auth/sign-in", Some(wrong), None).await;
    let right = json!({ "email": "contract@example.com", "password": "a long enough password" });
    c.call("POST", "/api/auth/sign-in", Some(right), None).await;
    c.call("GET", "/api/auth/me", None, me).await;
    c.call("GET", "/api/auth/me", None, service).await;
    c.call("GET", "/api/auth/me", None, None).await;
    c.call("GET", "/api/auth/me", None, Some("not-a-session"))
        .await;

    let review = json!({ "toolId": "tool_1", "rating": 4, "title": "Good", "content": "Works." });
    let created = c
        .call("POST", "/api/tool-reviews", Some(review.clone()), me)
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.json["_id"].as_str().unwrap_or_default().to_string();
    let one = format!("/api/tool-reviews/{id}");
    let mut bad = review.clone();
    bad["rating"] = json!(9);
    bad["title"] = json!("x".repeat(101));
    c.call("POST", "/api/tool-reviews", Some(bad), me).await;
    let mut protected = review.clone();
    protected["verified"] = json!(true);
    c.call("POST", "/api/tool-reviews", Some(protected), me)
        .await;
    c.call("POST", "/api/tools", Some(json!({ "id": "tool_x" })), None)
        .await;
    let key = [("idempotency-key", "contract-1")];
    c.call_with("POST", "/api/tool-reviews", Some(review.clone()), me, &key)
        .await;
    c.call_with("POST", "/api/tool-reviews", Some(review.clone()), me, &key)
        .await;
    c.call_with(
        "POST",
        "/api/tool-reviews",
        Some(json!({ "title": "other" })),
        me,
        &key,
    )
    .await;
    c.raw(
        "/api/tool-reviews",
        "application/json",
        b"{\"title\": ".to_vec(),
    )
    .await;
    c.raw("/api/tool-reviews", "text/plain", b"{}".to_vec())
        .await;
    c.raw(
        "/api/tool-reviews",
        "application/json",
        vec![b' '; 70 * 1024],
    )
    .await;

    c.call("GET", "/api/tool-reviews", None, None).await;
    c.call("GET", "/api/tool-reviews?sort=-rating&limit=1", None, None)
        .await;
    c.call("GET", "/api/tool-reviews?nope=1", None, None).await;
    c.call("GET", "/api/users", None, me).await;
    c.call("GET", "/api/invoices", None, None).await;
    c.call("GET", "/api/app-configs/public", None, None).await;
    c.call("GET", &one, None, None).await;
    c.call("GET", "/api/tool-reviews/not-an-id", None, None)
        .await;
    c.call(
        "GET",
        "/api/tool-reviews/65a1b2c3d4e5f6a7b8c9d0e1",
        None,
        None,
    )
    .await;

    // No version (428), a stale one (409), a rule broken (422), a
    // protected field (403), then the change itself.
    for patch in [
        json!({ "title": "Better" }),
        json!({ "title": "Better", "__v": 5 }),
        json!({ "rating": 0, "__v": 0 }),
        json!({ "verified": true, "__v": 0 }),
        json!({ "title": "Better", "__v": 0 }),
    ] {
        c.call("PATCH", &one, Some(patch), me).await;
    }
    c.call_with("DELETE", &one, None, me, &[("if-match", "\"7\"")])
        .await;
    c.call("DELETE", &one, None, me).await;
    c.call("DELETE", &one, None, me).await;

    let change = json!({ "current": "a long enough password", "new": "another long password" });
    c.call("POST", "/api/auth/password", Some(change), me).await;
    let wrong = json!({ "current": "not it", "new": "another long password 2" });
    c.call("POST", "/api/auth/password", Some(wrong), me).await;
    c.call("POST", "/api/auth/sign-out", None, me).await;
    c.call("POST", "/api/auth/sign-out", None, me).await;

    let statuses: std::collections::BTreeSet<u16> = c.seen.iter().map(|(_, s)| *s).collect();
    for want in [200, 201, 204, 400, 401, 403, 404, 409, 413, 415, 422, 428] {
        assert!(
            statuses.contains(&want),
            "no {want} answer among {:?}",
            c.seen
        );
    }
    let n = c.answers.len();
    match c.answers.check(&server).await {
        Ok(report) => println!("{n} answers of the flows; {}", report.trim()),
        Err(report) => panic!("answers that do not fit /openapi.json:\n{report}"),
    }
    server.finish().await;
}
