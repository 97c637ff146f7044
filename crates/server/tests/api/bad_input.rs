//! Bad input: each a clear 4xx with the one error shape, and nothing stored.

use crate::common::{TestServer, TOKEN};
use reqwest::Method;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn assert_error_shape(tag: &str, status: u16, body: &Value) {
    assert!(
        (400..500).contains(&status),
        "{tag}: status {status}: {body}"
    );
    assert!(body["error"].is_string(), "{tag}: no error code: {body}");
    assert!(body["message"].is_string(), "{tag}: no message: {body}");
    let text = body.to_string();
    for leak in ["mongodb", "Kind:", "panicked", "at src/", "E11000", "bson"] {
        assert!(
            !text.contains(leak),
            "{tag}: internal detail {leak:?} in {text}"
        );
    }
}

/// (what, route, content type, body, status, error code)
type BodyCase = (
    &'static str,
    &'static str,
    &'static str,
    Vec<u8>,
    u16,
    &'static str,
);

#[tokio::test]
async fn bad_bodies_are_4xx_and_store_nothing() {
    let server = TestServer::start("badbody").await;
    let valid_user = json!({"id": "user_ok", "email": "ok@example.com"});
    let deep_40 = format!(
        "{{\"id\":\"u\",\"email\":\"d@e.co\",\"bio\":{}1{}}}",
        "[".repeat(40),
        "]".repeat(40)
    );
    let deep_huge = format!(
        "{{\"id\":\"u\",\"email\":\"d@e.co\",\"bio\":{}1{}}}",
        "[".repeat(20000),
        "]".repeat(20000)
    );
    let oversize =
        json!({"id": "u_big", "email": "big@e.co", "bio": "x".repeat(70 * 1024)}).to_string();
    let mut with_where = valid_user.clone();
    with_where["$where"] = json!("sleep(1000) || true");
    let cases: Vec<BodyCase> = vec![
        ("malformed JSON", "users", "application/json", b"{\"id\": \"u1\",".to_vec(), 400, "malformed_json"),
        ("trailing garbage", "users", "application/json", b"{\"id\":\"u\"} x".to_vec(), 400, "malformed_json"),
        ("invalid UTF-8", "users", "application/json", b"{\"id\":\"\xff\xfe\"}".to_vec(), 400, "malformed_json"),
        ("empty body", "users", "application/json", Vec::new(), 400, "malformed_json"),
        ("number out of range", "tools", "application/json", b"{\"rating\": 1e400}".to_vec(), 400, "malformed_json"),
        ("array body", "users", "application/json", b"[{\"id\":\"u\",\"email\":\"a@b.co\"}]".to_vec(), 400, "not_an_object"),
        ("string body", "users", "application/json", b"\"hello\"".to_vec(), 400, "not_an_object"),
        ("null body", "users", "application/json", b"null".to_vec(), 400, "not_an_object"),
        ("deep nesting", "users", "application/json", deep_40.into_bytes(), 400, "too_deep"),
        ("very deep nesting", "users", "application/json", deep_huge.into_bytes(), 400, "too_deep"),
        ("oversize", "users", "application/json", oversize.into_bytes(), 413, "payload_too_large"),
        ("not JSON content type", "users", "text/plain", valid_user.to_string().into_bytes(), 415, "unsupported_media_type"),
        ("form content type", "users", "application/x-www-form-urlencoded", b"id=u&email=a@b.co".to_vec(), 415, "unsupported_media_type"),
        ("$gt in a field", "users", "application/json", json!({"id": "u", "email": {"$gt": ""}}).to_string().into_bytes(), 422, "validation_failed"),
        ("$ne in an ObjectId field", "user-sessions", "application/json",
            json!({"userId": {"$ne": null}, "sessionId": "s", "expiresAt": "2030-01-01"}).to_string().into_bytes(), 422, "validation_failed"),
        ("$where at top level", "users", "application/json", with_where.to_string().into_bytes(), 400, "forbidden_key"),
        ("$where in a Mixed value", "app-configs", "application/json",
            json!({"key": "k", "value": {"$where": "1"}}).to_string().into_bytes(), 400, "forbidden_key"),
        ("$ key deep in a Mixed value", "analytics-events", "application/json",
            json!({"visitorId": "v", "sessionId": "s", "eventType": "x", "eventName": "y", "properties": {"a": [{"$set": 1}]}}).to_string().into_bytes(), 400, "forbidden_key"),
        ("dotted key in a Mixed value", "app-configs", "application/json",
            json!({"key": "k", "value": {"a.b": 1}}).to_string().into_bytes(), 400, "forbidden_key"),
        ("NUL in a key", "users", "application/json",
            b"{\"id\":\"u\",\"email\":\"a@b.co\",\"a\\u0000b\":1}".to_vec(), 400, "forbidden_key"),
        ("$ key in a Map", "user-achievements", "application/json",
            json!({"userId": "u", "progress": {"$inc": 1}}).to_string().into_bytes(), 422, "validation_failed"),
    ];
    for (tag, route, content_type, body, status, code) in cases {
        let r = server
            .send(
                Method::POST,
                &format!("/api/{route}"),
                Some((content_type, body)),
                &[],
                true,
            )
            .await;
        assert_eq!((r.status, r.code()), (status, code), "{tag}: {}", r.text);
        assert_error_shape(tag, r.status, &r.json);
    }
    for c in onelastai_models::Collection::ALL {
        assert_eq!(
            server.count(c.name()).await,
            0,
            "{}: something was stored",
            c.name()
        );
    }

    // A chunked body without Content-Length is cut at the limit too.
    let addr = server.base.trim_start_matches("http://").to_string();
    let mut stream = match tokio::net::TcpStream::connect(&addr).await {
        Ok(s) => s,
        Err(e) => panic!("connect: {e}"),
    };
    let head = format!(
        "POST /api/users HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    let _ = stream.write_all(head.as_bytes()).await;
    let chunk = "x".repeat(16 * 1024);
    for _ in 0..8 {
        let _ = stream
            .write_all(format!("{:x}\r\n{chunk}\r\n", chunk.len()).as_bytes())
            .await;
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer).await;
    assert!(
        answer.starts_with("HTTP/1.1 413"),
        "chunked oversize: {answer}"
    );
    assert_eq!(server.count("users").await, 0);
    server.finish().await;
}

#[tokio::test]
async fn bad_requests_are_4xx() {
    let server = TestServer::start("badreq").await;
    let created = server
        .post(
            "/api/users",
            &json!({"id": "user_1", "email": "one@example.com"}),
        )
        .await;
    assert_eq!(created.status, 201);
    let id = created.json["_id"].as_str().unwrap_or_default().to_string();
    let missing = "65a1b2c3d4e5f6a7b8c9d0e1";
    let get_cases: Vec<(String, u16, &str)> = vec![
        // Filters: never operators, only declared fields, values cast by type.
        (
            "/api/users?email=%7B%22%24gt%22%3A%22%22%7D".into(),
            400,
            "invalid_query",
        ),
        ("/api/users?email[$gt]=".into(), 400, "invalid_query"),
        ("/api/users?email%5B%24ne%5D=x".into(), 400, "invalid_query"),
        ("/api/users?$where=sleep(100)".into(), 400, "invalid_query"),
        (
            "/api/users?id=%7B%22%24where%22%3A%221%22%7D".into(),
            400,
            "invalid_query",
        ),
        (
            "/api/tools?rating=%7B%22%24gt%22%3A0%7D".into(),
            400,
            "invalid_query",
        ),
        ("/api/users?isActive=sometimes".into(), 400, "invalid_query"),
        (
            "/api/users?lastLoginAt=yesterday".into(),
            400,
            "invalid_query",
        ),
        (
            "/api/user-sessions?userId=nothex".into(),
            400,
            "invalid_query",
        ),
        ("/api/users?role=root".into(), 400, "invalid_query"),
        ("/api/users?nosuchfield=1".into(), 400, "invalid_query"),
        ("/api/users?preferences=1".into(), 400, "invalid_query"),
        ("/api/users?email=a&email=b".into(), 400, "invalid_query"),
        ("/api/users?limit=0".into(), 400, "invalid_query"),
        ("/api/users?limit=101".into(), 400, "invalid_query"),
        ("/api/users?limit=ten".into(), 400, "invalid_query"),
        ("/api/users?sort=bio".into(), 400, "invalid_query"),
        (
            "/api/users?cursor=not-a-cursor".into(),
            400,
            "invalid_cursor",
        ),
        (
            "/api/users?cursor=eyJrIjoiX2lkIiwiZCI6MSwidiI6bnVsbCwiaWQiOiJ4In0".into(),
            400,
            "invalid_cursor",
        ),
        // Unknown collections and routes.
        ("/api/nosuchthing".into(), 404, "not_found"),
        (
            "/api/nosuchthing/65a1b2c3d4e5f6a7b8c9d0e1".into(),
            404,
            "not_found",
        ),
        ("/api/Users".into(), 404, "not_found"),
        ("/api/users/x/y".into(), 404, "not_found"),
        ("/nothing".into(), 404, "not_found"),
        // Ids.
        ("/api/users/zzz".into(), 400, "invalid_id"),
        (
            "/api/users/65a1b2c3d4e5f6a7b8c9d0e".into(),
            400,
            "invalid_id",
        ),
        (
            "/api/users/%7B%22%24gt%22%3A%22%22%7D".into(),
            400,
            "invalid_id",
        ),
        (format!("/api/users/{missing}"), 404, "not_found"),
    ];
    for (path, status, code) in &get_cases {
        let r = server.get(path).await;
        assert_eq!(
            (r.status, r.code()),
            (*status, *code),
            "GET {path}: {}",
            r.text
        );
        assert_error_shape(path, r.status, &r.json);
    }
    // The filter that is a literal string still filters by equality (and finds nothing).
    let r = server.get("/api/users?id=user_1").await;
    assert_eq!(r.json["items"].as_array().map(Vec::len), Some(1));

    // Auth.
    for (tag, header) in [
        ("no token", None),
        (
            "wrong token",
            Some("Bearer not-the-token-at-all".to_string()),
        ),
        ("basic scheme", Some(format!("Basic {TOKEN}"))),
        ("token prefix", Some(format!("Bearer {}", &TOKEN[..10]))),
    ] {
        let headers: Vec<(&str, &str)> = header
            .iter()
            .map(|h| ("authorization", h.as_str()))
            .collect();
        let r = server
            .send(Method::GET, "/api/users", None, &headers, false)
            .await;
        assert_eq!(r.status, 401, "{tag}");
        assert_eq!(
            r.headers
                .get("www-authenticate")
                .and_then(|v| v.to_str().ok()),
            Some("Bearer")
        );
        assert_error_shape(tag, r.status, &r.json);
        let r = server
            .send(
                Method::POST,
                "/api/users",
                Some(("application/json", b"{}".to_vec())),
                &headers,
                false,
            )
            .await;
        assert_eq!(r.status, 401, "{tag} POST");
    }

    // Writes to bad ids or unknown collections.
    for (method, path, status) in [
        (Method::PATCH, "/api/users/zzz".to_string(), 400),
        (Method::DELETE, "/api/users/zzz".to_string(), 400),
        (Method::PATCH, format!("/api/users/{missing}"), 404),
        (Method::DELETE, format!("/api/users/{missing}"), 404),
        (Method::POST, "/api/nosuchthing".to_string(), 404),
        (Method::PUT, "/api/users".to_string(), 405),
    ] {
        let body = Some(("application/json", br#"{"__v": 0}"#.to_vec()));
        let r = server.send(method.clone(), &path, body, &[], true).await;
        assert_eq!(r.status, status, "{method} {path}: {}", r.text);
        assert_error_shape(&path, r.status, &r.json);
    }

    // Bad patches leave the document as it was.
    let path = format!("/api/users/{id}");
    for (tag, body, status, code) in [
        ("array", json!([1]), 400, "not_an_object"),
        ("no version", json!({"bio": "x"}), 428, "version_required"),
        (
            "bad version",
            json!({"bio": "x", "__v": "zero"}),
            400,
            "invalid_version",
        ),
        (
            "operator value",
            json!({"email": {"$gt": ""}, "__v": 0}),
            422,
            "validation_failed",
        ),
        (
            "$set key",
            json!({"$set": {"role": "admin"}, "__v": 0}),
            400,
            "forbidden_key",
        ),
        (
            "_id change",
            json!({"_id": missing, "__v": 0}),
            400,
            "immutable_field",
        ),
        (
            "dotted key into Mixed-free user",
            json!({"preferences.smsNotifications": "maybe", "__v": 0}),
            422,
            "validation_failed",
        ),
    ] {
        let r = server.patch(&path, &body).await;
        assert_eq!((r.status, r.code()), (status, code), "{tag}: {}", r.text);
        assert_error_shape(tag, r.status, &r.json);
    }
    let after = server.get(&path).await;
    assert_eq!(after.json["__v"], 0);
    assert_eq!(after.json["role"], "user");
    assert!(after.json.get("bio").is_none());
    assert_eq!(server.count("users").await, 1);
    server.finish().await;
}
