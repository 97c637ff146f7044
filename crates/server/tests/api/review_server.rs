//! Proof points the review of the server's source found unproven: what
//! another signed-in user and wrong codes can do at the two-factor routes
//! that take a session and a code (`/api/auth/2fa/backup-codes`,
//! `/api/auth/2fa/disable`). Enrolment's TOTP code comes from the totp-rs
//! crate (RFC 6238); the expectations (401, the events, the lockout after 5
//! failures for one email, nothing changed) come from the issue.

use crate::common::{mongodb_uri, now_ms, sign_up, unique_db, Resp, TestServer};
use bson::doc;
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;
use totp_rs::{Algorithm, Secret, TOTP};

const KEY: &str = "k1:BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=";

async fn post(server: &TestServer, path: &str, body: Value, bearer: &str) -> Resp {
    server
        .call(Method::POST, path, Some(&body), Some(bearer))
        .await
}

/// The caller's `GET /api/auth/2fa`.
async fn status(server: &TestServer, bearer: &str) -> Value {
    let r = server
        .call(Method::GET, "/api/auth/2fa", None, Some(bearer))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json
}

/// A TOTP code of the base32 `secret` at `unix` seconds.
fn code_at(secret: &str, unix: i64) -> String {
    let Ok(bytes) = Secret::Encoded(secret.to_string()).to_bytes() else {
        panic!("setup's secret is not base32: {secret}");
    };
    TOTP::new_unchecked(Algorithm::SHA1, 6, 0, 30, bytes, None, String::new())
        .generate(u64::try_from(unix).unwrap_or_default())
}

/// Enrols the session's user; its backup codes.
async fn enrol(server: &TestServer, bearer: &str) -> (String, Vec<String>) {
    let r = post(server, "/api/auth/2fa/setup", json!({}), bearer).await;
    assert_eq!(r.status, 200, "setup: {}", r.text);
    let secret = r.json["secret"].as_str().unwrap_or_default().to_string();
    let codes: Vec<String> = r.json["codes"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| c.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(codes.len(), 10, "{}", r.text);
    // Not in the last seconds of a 30-second step, so the code stays current.
    let now = loop {
        let s = now_ms() / 1000;
        if s % 30 < 26 {
            break s;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    let code = code_at(&secret, now);
    let r = post(
        server,
        "/api/auth/2fa/enable",
        json!({ "code": code }),
        bearer,
    )
    .await;
    assert_eq!(r.status, 204, "enable: {}", r.text);
    (secret, codes)
}

#[tokio::test]
async fn wrong_codes_at_backup_codes_and_disable_count_toward_the_lockout_and_change_nothing() {
    let server = TestServer::start_with(
        &mongodb_uri(),
        &unique_db("review_2fa"),
        &[("TOTP_ENCRYPTION_KEY", KEY)],
    )
    .await;
    let password = "jo-Passw0rd-1";
    let jo = sign_up(&server, "jo@example.com", password, "Jo").await;
    let ann = sign_up(&server, "ann@example.com", "ann-Passw0rd-1", "Ann").await;
    let (secret, codes) = enrol(&server, &jo.token).await;

    // Another signed-in user, with Jo's backup code: her own account is
    // the only one these routes reach, and two-factor is off there.
    for path in ["/api/auth/2fa/backup-codes", "/api/auth/2fa/disable"] {
        let body = json!({ "code": codes[0], "password": "ann-Passw0rd-1" });
        let r = post(&server, path, body, &ann.token).await;
        assert_eq!(
            (r.status, r.code()),
            (400, "two_factor_disabled"),
            "ann {path}: {}",
            r.text
        );
    }

    // A six-digit code that is no TOTP code one step either side of now.
    let now = now_ms() / 1000;
    let near: Vec<String> = (-2..=2).map(|k| code_at(&secret, now + 30 * k)).collect();
    let wrong = (0..10)
        .map(|d| d.to_string().repeat(6))
        .find(|c| !near.contains(c))
        .unwrap_or_default();
    for (i, path) in [
        "/api/auth/2fa/backup-codes",
        "/api/auth/2fa/disable",
        "/api/auth/2fa/backup-codes",
        "/api/auth/2fa/disable",
        "/api/auth/2fa/backup-codes",
    ]
    .iter()
    .enumerate()
    {
        let body = json!({ "code": wrong, "password": password });
        let r = post(&server, path, body, &jo.token).await;
        assert_eq!(
            (r.status, r.code()),
            (401, "invalid_credentials"),
            "wrong code {i} at {path}: {}",
            r.text
        );
    }
    let failed = server
        .find(
            "analyticsevents",
            doc! { "eventType": "auth", "eventName": "two_factor_failed", "userId": &jo.id },
        )
        .await;
    assert_eq!(failed.len(), 5, "{failed:?}");
    // Five failures for the email: a right backup code is refused too.
    for path in ["/api/auth/2fa/backup-codes", "/api/auth/2fa/disable"] {
        let body = json!({ "code": codes[1], "password": password });
        let r = post(&server, path, body, &jo.token).await;
        assert_eq!(
            (r.status, r.code()),
            (429, "too_many_attempts"),
            "locked {path}: {}",
            r.text
        );
    }
    let after = status(&server, &jo.token).await;
    assert_eq!(after["enabled"], true, "{after}");
    assert_eq!(after["backupCodesLeft"], 10, "{after}");
    let ann_after = status(&server, &ann.token).await;
    assert_eq!(ann_after["enabled"], false, "{ann_after}");
    server.finish().await;
}

#[tokio::test]
async fn the_two_factor_step_not_the_password_step_sets_last_login() {
    let server = TestServer::start_with(
        &mongodb_uri(),
        &unique_db("review_2fa_login"),
        &[("TOTP_ENCRYPTION_KEY", KEY)],
    )
    .await;
    let password = "kim-Passw0rd-1";
    let kim = sign_up(&server, "kim@example.com", password, "Kim").await;
    let (_, codes) = enrol(&server, &kim.token).await;
    let last_login = |server: &TestServer| {
        let db = server.db.clone();
        async move {
            db.collection::<bson::Document>("users")
                .find_one(doc! { "email": "kim@example.com" })
                .await
                .ok()
                .flatten()
                .and_then(|u| {
                    u.get_datetime("lastLoginAt")
                        .ok()
                        .map(|d| d.timestamp_millis())
                })
        }
    };
    let before = last_login(&server).await;
    let r = server
        .call(
            Method::POST,
            "/api/auth/sign-in",
            Some(&json!({ "email": "kim@example.com", "password": password })),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let challenge = r.json["challenge"].as_str().unwrap_or_default().to_string();
    assert!(!challenge.is_empty(), "a challenge: {}", r.text);
    assert_eq!(last_login(&server).await, before, "the password step alone");
    let from = now_ms();
    let r = server
        .call(
            Method::POST,
            "/api/auth/sign-in/2fa",
            Some(&json!({ "challenge": challenge, "code": codes[0] })),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let to = now_ms();
    let at = last_login(&server).await;
    assert!(
        at.is_some_and(|t| t >= from - 1 && t <= to + 1),
        "lastLoginAt {at:?} within [{from}, {to}]"
    );
    server.finish().await;
}
