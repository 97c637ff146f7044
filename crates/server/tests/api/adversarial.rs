//! Hostile clients (issue 9): one test per defect and finding, each with the
//! bound the issue sets. The bounds that concern the whole process (memory,
//! connections) run the real `onelastai-server` binary as a child process
//! and read its RSS from `/proc`; the others use the in-process server.

use crate::common::{
    mongodb_uri, register_secret, unique_db, ServerBinary, TestServer, SERVER_BIN, TOKEN,
};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The server binary as a child process over the test database: the
/// common [`ServerBinary`], with what these tests measure.
struct ServerProcess(ServerBinary);

impl std::ops::Deref for ServerProcess {
    type Target = ServerBinary;
    fn deref(&self) -> &ServerBinary {
        &self.0
    }
}

impl ServerProcess {
    async fn start(tag: &str, extra: &[(&str, &str)]) -> Self {
        // ADVERSARIAL_SERVER_BIN runs these against another build (an older
        // commit's, to show the tests fail there).
        let bin =
            std::env::var("ADVERSARIAL_SERVER_BIN").unwrap_or_else(|_| SERVER_BIN.to_string());
        Self(ServerBinary::start_from(&bin, &unique_db(tag), extra).await)
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Resident memory of the server process, in KiB.
    fn rss_kib(&self) -> u64 {
        let pid = self.pid().unwrap_or_default();
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    }

    async fn post_raw(&self, path: &str, body: Vec<u8>) -> (u16, String, Duration) {
        let started = Instant::now();
        let r = self
            .http
            .post(self.url(path))
            .bearer_auth(TOKEN)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await;
        let Ok(r) = r else {
            panic!("POST {path}: {r:?}")
        };
        let status = r.status().as_u16();
        let text = r.text().await.unwrap_or_default();
        (status, text, started.elapsed())
    }

    async fn health_latency(&self) -> Duration {
        let started = Instant::now();
        let r = self.http.get(self.url("/health")).send().await;
        assert!(r.is_ok_and(|r| r.status() == 200), "/health failed");
        started.elapsed()
    }
}

/// A chat session whose `messages` holds as many `{}` as fit in `bytes`:
/// three missing required fields each, over a million errors in 1 MiB.
fn many_errors_body(bytes: usize) -> Vec<u8> {
    let head = r#"{"id":"s1","userId":"u1","name":"n","messages":["#;
    let items = (bytes - head.len() - 2) / 3;
    let mut body = String::with_capacity(bytes);
    body.push_str(head);
    for i in 0..items {
        if i > 0 {
            body.push(',');
        }
        body.push_str("{}");
    }
    body.push_str("]}");
    body.into_bytes()
}

#[tokio::test]
async fn a_body_of_a_million_errors_is_answered_small_fast_and_cheaply() {
    let server = ServerProcess::start("adv_errors", &[]).await;
    let body = many_errors_body(1 << 20);
    assert!(body.len() <= 1 << 20);
    // Warm up (allocator arenas, the database connection), then measure.
    let (status, _, _) = server
        .post_raw("/api/chat-sessions", many_errors_body(4096))
        .await;
    assert_eq!(status, 422);
    let before = server.rss_kib();
    let (status, text, took) = server.post_raw("/api/chat-sessions", body.clone()).await;
    // What the request left behind, once the allocator had a moment to give
    // freed pages back (mimalloc purges after a short delay).
    tokio::time::sleep(Duration::from_millis(300)).await;
    let after = server.rss_kib();
    assert_eq!(status, 422, "{}", &text[..text.len().min(300)]);
    assert!(took < Duration::from_secs(1), "answered in {took:?}");
    assert!(text.len() < 64 * 1024, "a {} byte answer", text.len());
    let json: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    assert_eq!(json["errors"].as_array().map(Vec::len), Some(100));
    assert_eq!(json["errorCount"], 100);
    assert_eq!(json["truncated"], true);
    assert_eq!(json["errors"][0]["path"], "messages.0.id");
    assert_eq!(json["errors"][99]["path"], "messages.33.id");
    let growth_mib = after.saturating_sub(before) / 1024;
    assert!(growth_mib < 50, "RSS grew by {growth_mib} MiB");

    // Four at once: /health keeps answering meanwhile.
    let mut heavy = Vec::new();
    for _ in 0..4 {
        let url = server.url("/api/chat-sessions");
        let http = server.http.clone();
        let body = body.clone();
        heavy.push(tokio::spawn(async move {
            http.post(url)
                .bearer_auth(TOKEN)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .map(|r| r.status().as_u16())
        }));
    }
    let mut worst = Duration::ZERO;
    for _ in 0..5 {
        worst = worst.max(server.health_latency().await);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for h in heavy {
        assert!(matches!(h.await, Ok(Ok(422))));
    }
    assert!(worst < Duration::from_millis(500), "/health took {worst:?}");
    let peak_mib = server.rss_kib() / 1024;
    eprintln!("RSS before {before} KiB, after one {after} KiB, after four {peak_mib} MiB");
}

/// Whether the server closed `stream` (EOF or reset) within `limit`.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> bool {
    let mut buf = [0_u8; 256];
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            // An answer (408) before the close is fine; keep reading.
            Ok(Ok(_)) => continue,
        }
    }
}

#[tokio::test]
async fn idle_and_slow_connections_are_closed_and_health_answers_meanwhile() {
    let header_ms = 1500;
    let server = ServerProcess::start(
        "adv_idle",
        &[
            ("HEADER_TIMEOUT_MS", "1500"),
            ("IDLE_TIMEOUT_MS", "2000"),
            ("MAX_CONNECTIONS", "1024"),
        ],
    )
    .await;
    let opened = Instant::now();
    let mut idle = Vec::new();
    for _ in 0..300 {
        match TcpStream::connect(server.addr).await {
            Ok(s) => idle.push(s),
            Err(e) => panic!("connect: {e}"),
        }
    }
    // Slowloris: headers that never finish, a byte every 300 ms.
    let mut slow = Vec::new();
    for _ in 0..10 {
        let Ok(mut s) = TcpStream::connect(server.addr).await else {
            panic!("connect")
        };
        let _ = s.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n").await;
        slow.push(s);
    }
    let trickle = tokio::spawn(async move {
        for _ in 0..20 {
            for s in &mut slow {
                let _ = s.write_all(b"X").await;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        slow
    });
    // A kept-alive connection that made one request, then stays silent.
    let Ok(mut kept) = TcpStream::connect(server.addr).await else {
        panic!("connect")
    };
    let _ = kept
        .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await;
    let mut first = [0_u8; 512];
    let n = kept.read(&mut first).await.unwrap_or(0);
    assert!(String::from_utf8_lossy(&first[..n]).starts_with("HTTP/1.1 200"));
    let kept_since = Instant::now();

    // Meanwhile /health answers.
    let latency = server.health_latency().await;
    assert!(latency < Duration::from_secs(1), "/health took {latency:?}");

    let limit = Duration::from_millis(header_ms + 2000);
    for (i, s) in idle.iter_mut().enumerate() {
        let left = limit.saturating_sub(opened.elapsed());
        assert!(
            closed_within(s, left).await,
            "idle connection {i} still open {:?} after it opened",
            opened.elapsed()
        );
    }
    let Ok(mut slow) = trickle.await else {
        panic!("trickle task")
    };
    for s in &mut slow {
        assert!(
            closed_within(s, Duration::from_millis(500)).await,
            "slowloris still open"
        );
    }
    let left = Duration::from_millis(2000 + 2000).saturating_sub(kept_since.elapsed());
    assert!(
        closed_within(&mut kept, left).await,
        "kept-alive idle connection still open"
    );
    let latency = server.health_latency().await;
    assert!(latency < Duration::from_secs(1));
}

#[tokio::test]
async fn a_declared_oversized_body_is_refused_before_it_is_sent() {
    let server = TestServer::start("adv_length").await;
    let Some(addr) = server.base.strip_prefix("http://") else {
        panic!("base")
    };
    let Ok(mut s) = TcpStream::connect(addr).await else {
        panic!("connect")
    };
    let head = format!(
        "POST /api/users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        100 * 1024 * 1024
    );
    let _ = s.write_all(head.as_bytes()).await;
    let mut buf = vec![0_u8; 4096];
    let read = tokio::time::timeout(Duration::from_secs(2), s.read(&mut buf)).await;
    let n = match read {
        Ok(Ok(n)) => n,
        other => panic!("no answer without the body: {other:?}"),
    };
    let text = String::from_utf8_lossy(&buf[..n]).to_ascii_lowercase();
    assert!(text.starts_with("http/1.1 413"), "{text}");
    assert!(text.contains("connection: close"), "{text}");
    assert!(closed_within(&mut s, Duration::from_secs(2)).await);
    server.finish().await;
}

#[tokio::test]
async fn a_slow_body_is_408_and_closes() {
    let server = TestServer::start_with(
        &mongodb_uri(),
        &unique_db("adv_slowbody"),
        &[("REQUEST_TIMEOUT_MS", "1000")],
    )
    .await;
    let Some(addr) = server.base.strip_prefix("http://") else {
        panic!("base")
    };
    let Ok(mut s) = TcpStream::connect(addr).await else {
        panic!("connect")
    };
    let head = format!(
        "POST /api/users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"id\":"
    );
    let _ = s.write_all(head.as_bytes()).await;
    let started = Instant::now();
    let mut buf = vec![0_u8; 4096];
    let n = match tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf)).await {
        Ok(Ok(n)) => n,
        other => panic!("no answer: {other:?}"),
    };
    let text = String::from_utf8_lossy(&buf[..n]).to_ascii_lowercase();
    assert!(text.starts_with("http/1.1 408"), "{text}");
    assert!(text.contains("connection: close"), "{text}");
    assert!(text.contains("request_timeout"), "{text}");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(server.count("users").await, 0);
    server.finish().await;
}

#[tokio::test]
async fn each_cause_of_a_503_has_its_own_code() {
    // No database at this address: reads wait for it until a deadline.
    let dead = {
        let Ok(l) = std::net::TcpListener::bind("127.0.0.1:0") else {
            panic!("bind")
        };
        let a = l.local_addr().map(|a| a.to_string()).unwrap_or_default();
        drop(l);
        format!("mongodb://{a}/?directConnection=true")
    };
    let id = "65a1b2c3d4e5f6a7b8c9d0e1";
    // The database deadline comes first: unavailable.
    let server = TestServer::start_with(
        &dead,
        "adv_503",
        &[("DB_TIMEOUT_MS", "300"), ("REQUEST_TIMEOUT_MS", "5000")],
    )
    .await;
    let r = server.get(&format!("/api/users/{id}")).await;
    assert_eq!((r.status, r.code()), (503, "unavailable"), "{}", r.text);
    assert_eq!(
        r.headers.get("retry-after").map(|v| v.as_bytes()),
        Some(&b"1"[..])
    );
    // The request deadline comes first: timeout.
    let server = TestServer::start_with(
        &dead,
        "adv_503",
        &[("DB_TIMEOUT_MS", "5000"), ("REQUEST_TIMEOUT_MS", "300")],
    )
    .await;
    let r = server.get(&format!("/api/users/{id}")).await;
    assert_eq!((r.status, r.code()), (503, "timeout"), "{}", r.text);
    assert!(r.headers.contains_key("retry-after"));
}

/// Base64url (no padding) of a JSON value: a cursor as a client could craft it.
fn crafted(v: Value) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
}

#[tokio::test]
async fn crafted_cursors_are_400_invalid_cursor() {
    let server = TestServer::start("adv_cursor").await;
    for i in 0..3 {
        let tool = json!({"key": format!("k{i}"), "value": i, "isPublic": true});
        let r = server.post("/api/app-configs", &tool).await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let id = "65a1b2c3d4e5f6a7b8c9d0e1";
    let values = [
        json!({"$regex": ".*"}),
        json!({"$ne": null}),
        json!({"$in": ["a", "b"]}),
        json!({"$exists": true}),
        json!({"$gt": ""}),
        json!(["a"]),
        json!([]),
        json!({}),
        json!(5),
        json!(true),
    ];
    // Each list with a sort it allows: a date field and a string field.
    let lists = [
        ("/api/users", "createdAt", true),
        ("/api/app-configs", "key", true),
        ("/api/app-configs/public", "key", false),
    ];
    let mut checked = 0;
    for (list, field, auth) in lists {
        let mut cursors: Vec<String> = Vec::new();
        for v in &values {
            cursors.push(crafted(json!({"k": field, "d": -1, "v": v, "id": id})));
            cursors.push(crafted(json!({"k": field, "d": -1, "v": null, "id": v})));
        }
        if field == "createdAt" {
            cursors.push(crafted(
                json!({"k": field, "d": -1, "v": "not a date", "id": id}),
            ));
        }
        cursors.push(crafted(
            json!({"k": field, "d": -1, "v": null, "id": id, "$where": "1"}),
        ));
        cursors.push(crafted(json!({"k": field, "d": 2, "v": null, "id": id})));
        cursors.push(crafted(
            json!({"k": "_id", "d": -1, "v": {"$gt": ""}, "id": id}),
        ));
        cursors.push(crafted(json!("string")));
        cursors.push(crafted(json!(null)));
        cursors.push("!!!".into());
        cursors.push("e30".into()); // {}
        for c in &cursors {
            let path = format!("{list}?sort=-{field}&cursor={c}");
            let r = server
                .send(reqwest::Method::GET, &path, None, &[], auth)
                .await;
            assert_eq!(
                (r.status, r.code()),
                (400, "invalid_cursor"),
                "{path}: {}",
                r.text
            );
            checked += 1;
        }
    }
    assert!(checked > 60, "{checked}");
    // The cursor the server returns still works.
    let page = server.get("/api/app-configs?sort=-key&limit=2").await;
    let next = page.json["nextCursor"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let rest = server
        .get(&format!("/api/app-configs?sort=-key&limit=2&cursor={next}"))
        .await;
    assert_eq!(rest.status, 200, "{}", rest.text);
    assert_eq!(rest.json["items"].as_array().map(Vec::len), Some(1));
    server.finish().await;
}

#[tokio::test]
async fn a_secret_sent_in_the_wrong_shape_never_comes_back() {
    let server = TestServer::start("adv_secret").await;
    let secrets = [
        "correct horse battery",
        "totp-raw-secret-77",
        "bk-code-9911",
    ];
    for s in secrets {
        register_secret(s);
    }
    let bodies = [
        json!({"id": "u1", "email": "a@b.co", "password": ["correct horse battery"]}),
        json!({"id": "u1", "email": "a@b.co", "password": {"p": "correct horse battery"}}),
        json!({"id": "u1", "email": "a@b.co", "twoFactorSecret": ["totp-raw-secret-77"]}),
        json!({"id": "u1", "email": "a@b.co", "backupCodes": ["ok", ["bk-code-9911"]]}),
        json!({"id": "u1", "email": "a@b.co", "tempBackupCodes": [{"c": "bk-code-9911"}]}),
    ];
    for body in &bodies {
        // Every response passes through the secret scan of `common`.
        let r = server.post("/api/users", body).await;
        assert_eq!(r.status, 422, "{}", r.text);
        for s in secrets {
            assert!(!r.text.contains(s), "{}", r.text);
        }
    }
    server.finish().await;
}

#[tokio::test]
async fn an_empty_or_null_password_never_removes_the_stored_hash() {
    let server = TestServer::start("adv_password").await;
    let user =
        json!({"id": "u_pw", "email": "pw@example.com", "password": "correct horse battery"});
    register_secret("correct horse battery");
    let r = server.post("/api/users", &user).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.json["_id"].as_str().unwrap_or_default().to_string();
    let hash = |doc: Option<bson::Document>| {
        doc.and_then(|d| d.get_str("password").ok().map(str::to_string))
    };
    let stored = hash(server.raw("users", &id).await);
    assert!(stored
        .as_deref()
        .is_some_and(|h| h.starts_with("$argon2id$")));
    for empty in [json!(""), json!(null)] {
        let r = server
            .patch(
                &format!("/api/users/{id}"),
                &json!({"__v": 0, "password": empty}),
            )
            .await;
        assert_eq!(r.status, 422, "{}", r.text);
        assert_eq!(r.json["errors"][0]["path"], "password");
        assert_eq!(r.json["errors"][0]["kind"], "user defined");
        assert_eq!(
            r.json["errors"][0]["message"],
            "Password must be at least 8 characters"
        );
        assert_eq!(hash(server.raw("users", &id).await), stored);
    }
    // And on create.
    let r = server
        .post(
            "/api/users",
            &json!({"id": "u_pw2", "email": "pw2@example.com", "password": ""}),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(server.count("users").await, 1);
    server.finish().await;
}

#[tokio::test]
async fn request_ids_are_random_and_echoed() {
    let server = TestServer::start("adv_reqid").await;
    let a = server.get("/health").await;
    let b = server.get("/health").await;
    let id = |r: &crate::common::Resp| {
        r.headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let (a, b) = (id(&a), id(&b));
    assert_eq!(a.len(), 36, "{a}");
    assert_ne!(a, b);
    assert!(a.parse::<u64>().is_err() && b.parse::<u64>().is_err());
    let echoed = server
        .send(
            reqwest::Method::GET,
            "/health",
            None,
            &[("x-request-id", "client-chosen-1")],
            false,
        )
        .await;
    assert_eq!(id(&echoed), "client-chosen-1");
    server.finish().await;
}

#[tokio::test]
async fn a_post_retried_with_its_idempotency_key_is_stored_once() {
    let server = TestServer::start("adv_idem").await;
    // One subscription per user and agent (a unique index): each create names its agent.
    let tool =
        |agent: &str| json!({"userId": "u1", "agentId": agent, "plan": "monthly", "price": 9.99});
    let send = |body: Value, key: &'static str| {
        let bytes = serde_json::to_vec(&body).unwrap_or_default();
        let server = &server;
        async move {
            server
                .send(
                    reqwest::Method::POST,
                    "/api/subscriptions",
                    Some(("application/json", bytes)),
                    &[("idempotency-key", key)],
                    true,
                )
                .await
        }
    };
    let first = send(tool("a"), "retry-key-1").await;
    assert_eq!(first.status, 201, "{}", first.text);
    let again = send(tool("a"), "retry-key-1").await;
    assert_eq!(again.status, 201, "{}", again.text);
    assert_eq!(again.json, first.json);
    assert_eq!(again.headers.get("location"), first.headers.get("location"));
    assert_eq!(
        again
            .headers
            .get("idempotent-replayed")
            .map(|v| v.as_bytes()),
        Some(&b"true"[..])
    );
    assert_eq!(server.count("subscriptions").await, 1);
    // The same key with another body.
    let reused = send(tool("b"), "retry-key-1").await;
    assert_eq!(
        (reused.status, reused.code()),
        (422, "idempotency_key_reused")
    );
    assert_eq!(server.count("subscriptions").await, 1);
    // Without a key, a second create is a second document.
    let plain = server.post("/api/subscriptions", &tool("p")).await;
    assert_eq!(plain.status, 201);
    assert_eq!(server.count("subscriptions").await, 2);
    // A 422 is an answer too: replayed, not revalidated into a new one.
    let bad = json!({"userId": "u1"});
    let r1 = send(bad.clone(), "retry-key-2").await;
    let r2 = send(bad, "retry-key-2").await;
    assert_eq!((r1.status, r2.status), (422, 422));
    assert_eq!(r1.json, r2.json);
    // Ten at once with one key: one document.
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let http = server.http.clone();
        let url = format!("{}/api/subscriptions", server.base);
        let body = serde_json::to_vec(&tool("c")).unwrap_or_default();
        tasks.push(tokio::spawn(async move {
            http.post(url)
                .bearer_auth(TOKEN)
                .header("content-type", "application/json")
                .header("idempotency-key", "retry-key-3")
                .body(body)
                .send()
                .await
                .map(|r| r.status().as_u16())
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        if let Ok(Ok(s)) = t.await {
            statuses.push(s);
        }
    }
    assert!(
        statuses.iter().all(|s| *s == 201 || *s == 409),
        "{statuses:?}"
    );
    assert!(statuses.contains(&201));
    assert_eq!(server.count("subscriptions").await, 3);
    // Malformed keys.
    let long = "k".repeat(300);
    for key in ["", long.as_str()] {
        let r = server
            .send(
                reqwest::Method::POST,
                "/api/subscriptions",
                Some(("application/json", b"{}".to_vec())),
                &[("idempotency-key", key)],
                true,
            )
            .await;
        assert_eq!((r.status, r.code()), (400, "invalid_idempotency_key"));
    }
    server.finish().await;
}
