//! Secrets: never in any response (every response of the suite goes through
//! `common::scan_for_secrets`); the stored password is an argon2id hash that
//! verifies.

use crate::common::{register_secret, TestServer, SCANNED};
use onelastai_server::password::verify;
use serde_json::{json, Value};
use std::sync::atomic::Ordering;

fn verifies(password: &str, stored: Option<&bson::Bson>) -> bool {
    let Some(bson::Bson::String(hash)) = stored else {
        return false;
    };
    hash.starts_with("$argon2id$") && verify(password, hash)
}

#[tokio::test]
async fn secrets_never_leave_the_server() {
    let server = TestServer::start("secrets").await;
    let password = "Pw-7c1d0e5f-secret";
    let new_password = "Pw-new-93ab21-secret";
    let codes: Vec<String> = (0..8).map(|i| format!("code-4f2a-{i}")).collect();
    for s in [
        password,
        new_password,
        "totp-9e8d7c",
        "temp-totp-1a2b3c",
        "reset-token-55aa",
    ] {
        register_secret(s);
    }
    for c in &codes {
        register_secret(c);
    }
    register_secret("temp-code-77");
    let user = json!({
        "id": "user_secret",
        "email": "secret@example.com",
        "password": password,
        "twoFactorEnabled": true,
        "twoFactorSecret": "totp-9e8d7c",
        "tempTwoFactorSecret": "temp-totp-1a2b3c",
        "backupCodes": codes,
        "tempBackupCodes": ["temp-code-77"],
        "resetPasswordToken": "reset-token-55aa",
    });
    let created = server.post("/api/users", &user).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.json["_id"].as_str().unwrap_or_default().to_string();

    // Stored: a verifying argon2id hash, and the other secrets as sent.
    let raw = server.raw("users", &id).await;
    let Some(raw) = raw else { panic!("not stored") };
    assert!(
        verifies(password, raw.get("password")),
        "stored password: {:?}",
        raw.get("password")
    );
    assert!(!verifies("wrong password", raw.get("password")));
    assert_eq!(raw.get_str("twoFactorSecret").ok(), Some("totp-9e8d7c"));

    // Every read path.
    let paths = [
        format!("/api/users/{id}"),
        "/api/users".to_string(),
        "/api/users?email=secret@example.com".to_string(),
        "/api/users?sort=-createdAt&limit=1".to_string(),
        "/api/users?twoFactorEnabled=true".to_string(),
    ];
    for p in &paths {
        let r = server.get(p).await;
        assert_eq!(r.status, 200, "{p}");
    }
    // Filters and sorts on secrets are refused (no oracle on their values).
    for p in [
        "/api/users?password=x",
        "/api/users?resetPasswordToken=reset-token-55aa",
        "/api/users?backupCodes=code-4f2a-0",
        "/api/users?sort=resetPasswordToken",
    ] {
        let r = server.get(p).await;
        assert_eq!(r.status, 400, "{p}");
    }

    // Patch: a plain field keeps the hash; a new password is hashed again.
    let r = server
        .patch(
            &format!("/api/users/{id}"),
            &json!({"bio": "hello", "__v": 0}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let raw = server.raw("users", &id).await.unwrap_or_default();
    assert!(verifies(password, raw.get("password")), "hash kept");
    let r = server
        .patch(
            &format!("/api/users/{id}"),
            &json!({"password": new_password, "__v": 1}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let raw = server.raw("users", &id).await.unwrap_or_default();
    assert!(verifies(new_password, raw.get("password")), "new hash");

    // Error answers leave secret values out too.
    let r = server
        .patch(
            &format!("/api/users/{id}"),
            &json!({"backupCodes": codes[..3], "password": "short", "__v": 2}),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    let paths: Vec<&str> = r.json["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["path"].as_str())
        .collect();
    assert_eq!(paths, vec!["password", "backupCodes"]);
    assert!(r.json["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .all(|e| e.get("value").is_none()));
    let mut dup = user.clone();
    dup["id"] = json!("user_secret_2");
    let r = server.post("/api/users", &dup).await;
    assert_eq!(r.status, 409);

    // An empty password is never stored (a hash of "" would let "" log in):
    // refused for password auth, dropped for a passwordless user.
    let before = server.count("users").await;
    let r = server
        .post(
            "/api/users",
            &json!({"id": "user_empty", "email": "empty@example.com", "password": ""}),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(server.count("users").await, before);
    let r = server
        .post(
            "/api/users",
            &json!({"id": "user_empty", "email": "empty@example.com", "password": "",
                    "authMethod": "passwordless"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let raw = server
        .raw("users", r.json["_id"].as_str().unwrap_or_default())
        .await
        .unwrap_or_default();
    assert!(raw.get("password").is_none());

    let all = server.get("/api/users").await;
    for doc in all.json["items"].as_array().into_iter().flatten() {
        assert!(doc.get("password").is_none() && doc.get("backupCodes").is_none());
        assert_eq!(doc.get("twoFactorSecret"), None::<&Value>);
    }
    println!(
        "responses scanned for secrets so far in this run: {}",
        SCANNED.load(Ordering::Relaxed)
    );
    server.finish().await;
}
