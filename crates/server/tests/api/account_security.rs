//! Account security (issue 14): two-factor enrolment and sign-in, password
//! reset and sign-in links through the development outbox, sign out
//! everywhere. Expectations come from the issue and from independent code:
//! TOTP codes are computed here with a hand-written RFC 6238 (HMAC-SHA-1),
//! the sealed secret is opened here with AES-256-GCM and the key the test
//! gave the server, token hashes are computed here with SHA-256.

use crate::common::{
    mongodb_uri, now_ms, sha256_hex, sign_in, sign_in_attempt, sign_up, unique_db, Resp,
    TestServer, TOKEN,
};
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use bson::{doc, DateTime, Document};
use hmac::{Hmac, Mac};
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;

/// The key the test servers seal two-factor secrets with: id `k1`, 32 bytes of 7.
const KEY_BYTES: [u8; 32] = [7; 32];

fn key_setting() -> String {
    format!("k1:{}", STANDARD.encode(KEY_BYTES))
}

async fn start(tag: &str) -> TestServer {
    start_in(&unique_db(tag), &[("TOTP_ENCRYPTION_KEY", &key_setting())]).await
}

/// A server on database `db` with a development outbox of its own (the same
/// for every server on `db`), links to `http://app.test`, and `settings`.
async fn start_in(db: &str, settings: &[(&str, &str)]) -> TestServer {
    let outbox = std::env::temp_dir().join(format!("onelastai-test-outbox-{db}"));
    let outbox = outbox.to_string_lossy().into_owned();
    let mut env = vec![
        ("MAIL_OUTBOX_DIR", outbox.as_str()),
        ("APP_URL", "http://app.test"),
    ];
    env.extend_from_slice(settings);
    TestServer::start_with(&mongodb_uri(), db, &env).await
}

// --- RFC 6238 by hand -------------------------------------------------------

/// RFC 4648 base32 (no padding) to bytes.
fn base32_decode(s: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut bits, mut value, mut out) = (0_u32, 0_u32, Vec::new());
    for c in s.trim_end_matches('=').bytes() {
        let Some(v) = ALPHABET.iter().position(|a| *a == c.to_ascii_uppercase()) else {
            panic!("not base32: {s:?}");
        };
        value = (value << 5) | v as u32;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((value >> bits) as u8);
            value &= (1 << bits) - 1;
        }
    }
    out
}

/// The 6-digit TOTP of `secret` at `unix` seconds (RFC 6238 over RFC 4226).
fn totp(secret: &[u8], unix: i64) -> String {
    let counter = (unix / 30) as u64;
    let Ok(mut mac) = <Hmac<sha1::Sha1> as Mac>::new_from_slice(secret) else {
        panic!("hmac key");
    };
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = (h[19] & 0x0f) as usize;
    let bin = (u32::from(h[offset] & 0x7f) << 24)
        | (u32::from(h[offset + 1]) << 16)
        | (u32::from(h[offset + 2]) << 8)
        | u32::from(h[offset + 3]);
    format!("{:06}", bin % 1_000_000)
}

#[test]
fn the_tests_own_totp_meets_rfc_6238() {
    // RFC 6238 appendix B (SHA-1, its 20-byte key), last 6 of the 8 digits.
    let key = b"12345678901234567890";
    for (t, code) in [
        (59, "287082"),
        (1_111_111_109, "081804"),
        (1_234_567_890, "005924"),
        (2_000_000_000, "279037"),
    ] {
        assert_eq!(totp(key, t), code);
    }
    assert_eq!(base32_decode("GEZDGNBVGY3TQOJQ"), b"1234567890");
}

/// Seconds now, after waiting out the last 4 seconds of a step, so a code
/// computed here is judged by the server within the same step.
async fn steady_now() -> i64 {
    loop {
        let s = now_ms() / 1000;
        if s % 30 < 26 {
            return s;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

// --- helpers ----------------------------------------------------------------

async fn post(server: &TestServer, path: &str, body: Value, bearer: Option<&str>) -> Resp {
    server.call(Method::POST, path, Some(&body), bearer).await
}

/// Turns on a pending two-factor enrolment with `code`.
async fn enable(server: &TestServer, token: &str, code: &str) -> Resp {
    post(
        server,
        "/api/auth/2fa/enable",
        json!({ "code": code }),
        Some(token),
    )
    .await
}

/// Turns two-factor sign-in off with the password and a code.
async fn disable(server: &TestServer, token: &str, password: &str, code: &str) -> Resp {
    post(
        server,
        "/api/auth/2fa/disable",
        json!({ "password": password, "code": code }),
        Some(token),
    )
    .await
}

/// Sets a new password with a mailed reset token.
async fn confirm_reset(server: &TestServer, token: &str, password: &str) -> Resp {
    post(
        server,
        "/api/auth/password-reset/confirm",
        json!({ "token": token, "password": password }),
        None,
    )
    .await
}

/// Signs in with a mailed sign-in link's token.
async fn confirm_link(server: &TestServer, token: &str) -> Resp {
    post(
        server,
        "/api/auth/magic-link/confirm",
        json!({ "token": token }),
        None,
    )
    .await
}

/// The strings of a JSON array (the codes an answer lists).
fn json_strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| c.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// How many of `names` are `name`.
fn count_of(names: &[String], name: &str) -> usize {
    names.iter().filter(|n| *n == name).count()
}

/// The stored link expiry of a user, in ms (0 when absent).
fn link_expiry(user: &Document) -> i64 {
    user.get_datetime("resetPasswordExpires")
        .map(|d| d.timestamp_millis())
        .unwrap_or(0)
}

/// An anonymous request for a mailed link (`/api/auth/password-reset` or
/// `/api/auth/magic-link`) for `email`.
async fn ask_link(server: &TestServer, path: &str, email: &str) -> Resp {
    post(server, path, json!({ "email": email }), None).await
}

async fn stored_user(server: &TestServer, email: &str) -> Document {
    match server
        .find("users", doc! { "email": email })
        .await
        .into_iter()
        .next()
    {
        Some(u) => u,
        None => panic!("no stored user {email}"),
    }
}

fn strings_of(d: &Document, field: &str) -> Vec<String> {
    d.get_array(field)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Opens a sealed `v1:<id>:<base64url(nonce|ciphertext)>` with `key` and `aad`.
fn open_sealed(sealed: &str, key: &[u8; 32], aad: &[u8]) -> Option<Vec<u8>> {
    let data = URL_SAFE_NO_PAD.decode(sealed.splitn(3, ':').nth(2)?).ok()?;
    let (nonce, ct) = data.split_at(12);
    Aes256Gcm::new(key.into())
        .decrypt(Nonce::from_slice(nonce), Payload { msg: ct, aad })
        .ok()
}

/// Enrols `session` in two-factor sign-in; returns the secret and the codes.
async fn enrol(server: &TestServer, token: &str) -> (Vec<u8>, Vec<String>) {
    let r = post(server, "/api/auth/2fa/setup", json!({}), Some(token)).await;
    assert_eq!(r.status, 200, "setup: {}", r.text);
    let uri = r.json["otpauthUri"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let secret_b32 = uri
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("secret="))
        .unwrap_or_default();
    let secret = base32_decode(secret_b32);
    let codes: Vec<String> = json_strings(&r.json["codes"]);
    let now = steady_now().await;
    let r = enable(server, token, &totp(&secret, now)).await;
    assert_eq!(r.status, 204, "enable: {}", r.text);
    (secret, codes)
}

/// The password step of a two-factor user: the challenge.
async fn challenge(server: &TestServer, email: &str, password: &str) -> String {
    let r = sign_in_attempt(server, email, password).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["twoFactorRequired"], true, "{}", r.text);
    assert!(r.json.get("token").is_none(), "no session yet: {}", r.text);
    r.json["challenge"].as_str().unwrap_or_default().to_string()
}

async fn second_step(server: &TestServer, challenge: &str, code: &str) -> Resp {
    post(
        server,
        "/api/auth/sign-in/2fa",
        json!({ "challenge": challenge, "code": code }),
        None,
    )
    .await
}

async fn me_status(server: &TestServer, token: &str) -> u16 {
    server
        .call(Method::GET, "/api/auth/me", None, Some(token))
        .await
        .status
}

async fn event_names(server: &TestServer) -> Vec<String> {
    server
        .find("analyticsevents", doc! { "eventType": "auth" })
        .await
        .iter()
        .filter_map(|e| e.get_str("eventName").ok().map(str::to_string))
        .collect()
}

/// The outbox's messages to `to`, newest first, through the development route.
async fn outbox(server: &TestServer, to: &str) -> Vec<Value> {
    let r = server.get(&format!("/api/dev/outbox?to={to}")).await;
    assert_eq!(r.status, 200, "outbox: {}", r.text);
    r.json["messages"].as_array().cloned().unwrap_or_default()
}

/// Waits (up to 10 s) for the `n`-th message to `to`; returns the newest.
async fn wait_for_mail(server: &TestServer, to: &str, n: usize) -> Value {
    for _ in 0..100 {
        let messages = outbox(server, to).await;
        if messages.len() >= n {
            return messages[0].clone();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no message {n} to {to} in the outbox");
}

/// The `token` query parameter of the link to `path` in a message.
fn link_token(message: &Value, path: &str) -> String {
    let text = message["text"].as_str().unwrap_or_default();
    let prefix = format!("http://app.test{path}?token=");
    match text
        .split_whitespace()
        .find_map(|w| w.strip_prefix(prefix.as_str()))
    {
        Some(t) => t.to_string(),
        None => panic!("no {prefix} link in {text:?}"),
    }
}

/// Asks `route` for a link for `email` and returns the token of the `n`-th
/// message to it (its link to `page`).
async fn mailed_token(
    server: &TestServer,
    route: &str,
    email: &str,
    n: usize,
    page: &str,
) -> String {
    let r = ask_link(server, route, email).await;
    assert_eq!(r.status, 202, "{}", r.text);
    link_token(&wait_for_mail(server, email, n).await, page)
}

/// Moves the stored link expiry of `email` into the past (the test's stand-in
/// for waiting an hour).
async fn expire_link(server: &TestServer, email: &str) {
    let past = DateTime::from_millis(now_ms() - 1000);
    let updated = server
        .db
        .collection::<Document>("users")
        .update_one(
            doc! { "email": email },
            doc! { "$set": { "resetPasswordExpires": past } },
        )
        .await;
    assert!(matches!(updated, Ok(u) if u.matched_count == 1), "{email}");
}

// --- two-factor -------------------------------------------------------------

#[tokio::test]
async fn two_factor_enrolment_stores_only_sealed_and_hashed_secrets() {
    let server = start("tfa_enrol").await;
    let alice = sign_up(&server, "alice@example.com", "alice-Passw0rd", "Alice").await;
    let r = post(
        &server,
        "/api/auth/2fa/setup",
        json!({}),
        Some(&alice.token),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let uri = r.json["otpauthUri"].as_str().unwrap_or_default();
    assert!(
        uri.starts_with("otpauth://totp/OneLastAI:alice%40example.com?secret="),
        "{uri}"
    );
    assert!(uri.contains("issuer=OneLastAI"), "{uri}");
    let secret_b32 = r.json["secret"].as_str().unwrap_or_default().to_string();
    assert!(uri.contains(&format!("secret={secret_b32}")));
    let secret = base32_decode(&secret_b32);
    assert_eq!(secret.len(), 20, "160-bit secret");
    let codes: Vec<String> = json_strings(&r.json["codes"]);
    assert_eq!(codes.len(), 10);
    let distinct: std::collections::HashSet<&String> = codes.iter().collect();
    assert_eq!(distinct.len(), 10);

    // Pending: in the temporary fields, sealed and hashed; not yet on.
    let user = stored_user(&server, "alice@example.com").await;
    assert_eq!(user.get_bool("twoFactorEnabled").ok(), Some(false));
    let sealed = user.get_str("tempTwoFactorSecret").unwrap_or_default();
    assert!(sealed.starts_with("v1:k1:"), "{sealed}");
    let temp_codes = strings_of(&user, "tempBackupCodes");
    assert_eq!(temp_codes.len(), 10);
    for stored in user.iter().flat_map(|(_, v)| {
        let mut out = Vec::new();
        if let Some(s) = v.as_str() {
            out.push(s.to_string());
        }
        if let Some(a) = v.as_array() {
            out.extend(a.iter().filter_map(|x| x.as_str().map(str::to_string)));
        }
        out
    }) {
        assert!(!stored.contains(&secret_b32), "the secret is stored as is");
        assert!(!stored.contains(&hex::encode(&secret)));
        for c in &codes {
            assert!(!stored.contains(c.as_str()) && !stored.contains(&c.replace('-', "")));
        }
    }
    let status = server
        .call(Method::GET, "/api/auth/2fa", None, Some(&alice.token))
        .await;
    assert_eq!(status.json["pending"], true, "{}", status.text);
    assert_eq!(status.json["enabled"], false);

    // A wrong code does not enable it; the right one does.
    let now = steady_now().await;
    let wrong = format!(
        "{:06}",
        (totp(&secret, now).parse::<u32>().unwrap_or(0) + 1) % 1_000_000
    );
    let r = enable(&server, &alice.token, &wrong).await;
    assert_eq!((r.status, r.code()), (400, "invalid_code"), "{}", r.text);
    let r = enable(&server, &alice.token, &totp(&secret, now)).await;
    assert_eq!(r.status, 204, "{}", r.text);

    let user = stored_user(&server, "alice@example.com").await;
    assert_eq!(user.get_bool("twoFactorEnabled").ok(), Some(true));
    assert!(user.get("tempTwoFactorSecret").is_none());
    assert!(
        user.get("tempBackupCodes").is_none() || strings_of(&user, "tempBackupCodes").is_empty()
    );
    assert_eq!(
        strings_of(&user, "backupCodes"),
        temp_codes,
        "the pending codes moved"
    );
    // The stored secret is not the secret, and opens only with the key and
    // this user's _id.
    let sealed = user.get_str("twoFactorSecret").unwrap_or_default();
    assert!(!sealed.contains(&secret_b32));
    assert_eq!(
        open_sealed(sealed, &KEY_BYTES, alice.oid.as_bytes()),
        Some(secret.clone())
    );
    assert_eq!(open_sealed(sealed, &[8; 32], alice.oid.as_bytes()), None);
    assert_eq!(
        open_sealed(sealed, &KEY_BYTES, b"000000000000000000000000"),
        None
    );
    // Setting up again while on is refused.
    let r = post(
        &server,
        "/api/auth/2fa/setup",
        json!({}),
        Some(&alice.token),
    )
    .await;
    assert_eq!((r.status, r.code()), (400, "two_factor_enabled"));
    // The user document as the API returns it has none of these fields
    // (the harness scans every answer for them too).
    let r = server.get(&format!("/api/users/{}", alice.oid)).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["twoFactorEnabled"], true);
    server.finish().await;
}

#[tokio::test]
async fn totp_is_accepted_one_step_either_way_and_refused_at_two() {
    let server = start("tfa_skew").await;
    let s = sign_up(&server, "bea@example.com", "bea-Passw0rd-1", "Bea").await;
    let (secret, _) = enrol(&server, &s.token).await;
    let ch = challenge(&server, "bea@example.com", "bea-Passw0rd-1").await;
    let now = steady_now().await;
    for (steps, accepted) in [
        (-2_i64, false),
        (2, false),
        (-1, true),
        (0, true),
        (1, true),
    ] {
        let code = totp(&secret, now + steps * 30);
        // The same code may belong to another step by chance (1 in 10^6).
        let r = second_step(&server, &ch, &code).await;
        if accepted {
            assert_eq!(r.status, 200, "step {steps:+}: {}", r.text);
            assert!(r.json["token"].as_str().is_some_and(|t| t.len() == 43));
            let token = r.json["token"].as_str().unwrap_or_default();
            assert_eq!(me_status(&server, token).await, 200);
        } else {
            assert_eq!(
                (r.status, r.code()),
                (401, "invalid_credentials"),
                "step {steps:+}: {}",
                r.text
            );
        }
    }
    // A code signs in once (RFC 6238 section 5.2): the same code again is refused.
    let again = second_step(&server, &ch, &totp(&secret, now)).await;
    assert_eq!(
        (again.status, again.code()),
        (401, "invalid_credentials"),
        "a replayed code: {}",
        again.text
    );
    let names = event_names(&server).await;
    assert_eq!(count_of(&names, "two_factor_failed"), 3, "{names:?}");
    assert_eq!(count_of(&names, "two_factor_succeeded"), 3, "{names:?}");
    // A challenge is not a session, and a forged one is refused.
    assert_eq!(me_status(&server, &ch).await, 401);
    let r = second_step(&server, "bm90IGEgY2hhbGxlbmdl", &totp(&secret, now)).await;
    assert_eq!((r.status, r.code()), (400, "invalid_challenge"));
    server.finish().await;
}

#[tokio::test]
async fn a_backup_code_works_once() {
    let server = start("tfa_backup").await;
    let s = sign_up(&server, "carl@example.com", "carl-Passw0rd-1", "Carl").await;
    let (secret, codes) = enrol(&server, &s.token).await;
    let ch = challenge(&server, "carl@example.com", "carl-Passw0rd-1").await;
    let r = second_step(&server, &ch, &codes[0]).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = second_step(&server, &ch, &codes[0]).await;
    assert_eq!(
        (r.status, r.code()),
        (401, "invalid_credentials"),
        "used twice: {}",
        r.text
    );
    // Typed in capitals with a space instead of the dash: still the code.
    let typed = codes[1].to_uppercase().replace('-', " ");
    let r = second_step(&server, &ch, &typed).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let status = server
        .call(Method::GET, "/api/auth/2fa", None, Some(&s.token))
        .await;
    assert_eq!(status.json["backupCodesLeft"], 8, "{}", status.text);
    // The stored list keeps its 10 entries (the users rule: at least 8).
    let user = stored_user(&server, "carl@example.com").await;
    assert_eq!(strings_of(&user, "backupCodes").len(), 10);

    // New codes replace the old ones: the old unused ones stop working.
    // (Four wrong codes in this test, one short of the lockout.)
    let r = post(
        &server,
        "/api/auth/2fa/backup-codes",
        json!({ "code": codes[3] }),
        Some(&s.token),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let fresh: Vec<String> = json_strings(&r.json["codes"]);
    assert_eq!(fresh.len(), 10);
    assert!(fresh.iter().all(|c| !codes.contains(c)));
    let status = server
        .call(Method::GET, "/api/auth/2fa", None, Some(&s.token))
        .await;
    assert_eq!(status.json["backupCodesLeft"], 10, "{}", status.text);
    let r = second_step(&server, &ch, &codes[4]).await;
    assert_eq!(r.status, 401, "an old code after renewal: {}", r.text);
    let r = second_step(&server, &ch, &fresh[0]).await;
    assert_eq!(r.status, 200, "a new code: {}", r.text);
    let codes = fresh;

    // Turning it off needs the password and a code.
    let now = steady_now().await;
    let r = disable(&server, &s.token, "wrong-Passw0rd", &totp(&secret, now)).await;
    assert_eq!(r.status, 401, "{}", r.text);
    let r = disable(&server, &s.token, "carl-Passw0rd-1", "000000-bad").await;
    assert_eq!(r.status, 401, "{}", r.text);
    let r = disable(&server, &s.token, "carl-Passw0rd-1", &codes[2]).await;
    assert_eq!(r.status, 204, "{}", r.text);
    let user = stored_user(&server, "carl@example.com").await;
    assert_eq!(user.get_bool("twoFactorEnabled").ok(), Some(false));
    assert!(user.get("twoFactorSecret").is_none());
    // One step again.
    sign_in(&server, "carl@example.com", "carl-Passw0rd-1").await;
    server.finish().await;
}

#[tokio::test]
async fn wrong_codes_count_toward_the_lockout() {
    let server = start("tfa_lock").await;
    let s = sign_up(&server, "dora@example.com", "dora-Passw0rd-1", "Dora").await;
    let (secret, _) = enrol(&server, &s.token).await;
    let ch = challenge(&server, "dora@example.com", "dora-Passw0rd-1").await;
    let now = steady_now().await;
    let right = totp(&secret, now);
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    for i in 0..5 {
        let r = second_step(&server, &ch, wrong).await;
        assert_eq!(r.status, 401, "wrong code {i}: {}", r.text);
    }
    // Five failures for the email: the right code and the right password are refused.
    let r = second_step(&server, &ch, &right).await;
    assert_eq!(
        (r.status, r.code()),
        (429, "too_many_attempts"),
        "{}",
        r.text
    );
    let r = sign_in_attempt(&server, "dora@example.com", "dora-Passw0rd-1").await;
    assert_eq!(r.status, 429, "{}", r.text);
    let names = event_names(&server).await;
    assert_eq!(count_of(&names, "two_factor_failed"), 5, "{names:?}");
    server.finish().await;
}

// --- password reset ---------------------------------------------------------

#[tokio::test]
async fn password_reset_works_once_ends_sessions_and_expires() {
    let server = start("reset").await;
    let first = sign_up(&server, "erin@example.com", "erin-Passw0rd-1", "Erin").await;
    let second = sign_in(&server, "erin@example.com", "erin-Passw0rd-1").await;

    // The same answer for a real account and an unknown email.
    let known = ask_link(&server, "/api/auth/password-reset", "Erin@Example.com ").await;
    let unknown = ask_link(&server, "/api/auth/password-reset", "nobody@example.com").await;
    assert_eq!(known.status, 202, "{}", known.text);
    assert_eq!((known.status, &known.text), (unknown.status, &unknown.text));
    let before = now_ms();
    let mail = wait_for_mail(&server, "erin@example.com", 1).await;
    let token = link_token(&mail, "/reset-password");
    assert_eq!(
        URL_SAFE_NO_PAD.decode(&token).map(|b| b.len()).ok(),
        Some(32),
        "256-bit token"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(outbox(&server, "nobody@example.com").await.is_empty());

    let user = stored_user(&server, "erin@example.com").await;
    assert_eq!(
        user.get_str("resetPasswordToken").ok(),
        Some(sha256_hex(&token).as_str())
    );
    let expires = link_expiry(&user);
    let hour = 3_600_000;
    assert!(
        (before - 10_000 + hour..=now_ms() + hour).contains(&expires),
        "expiry {expires} is not one hour after {before}"
    );

    // The new password meets the rules.
    let r = confirm_reset(&server, &token, "short").await;
    assert_eq!(r.status, 422, "{}", r.text);
    let r = confirm_reset(&server, &token, "erin-New-Passw0rd").await;
    assert_eq!(r.status, 204, "{}", r.text);
    for s in [&first, &second] {
        assert_eq!(
            me_status(&server, &s.token).await,
            401,
            "sessions end at a reset"
        );
    }
    let user = stored_user(&server, "erin@example.com").await;
    assert!(user.get("resetPasswordToken").is_none());
    let old = sign_in_attempt(&server, "erin@example.com", "erin-Passw0rd-1").await;
    assert_eq!(old.status, 401);
    sign_in(&server, "erin@example.com", "erin-New-Passw0rd").await;
    // Used: refused.
    let r = confirm_reset(&server, &token, "erin-Other-Passw0rd").await;
    assert_eq!((r.status, r.code()), (400, "invalid_token"), "{}", r.text);

    // Expired: a new link whose stored expiry has passed is refused.
    let token = mailed_token(
        &server,
        "/api/auth/password-reset",
        "erin@example.com",
        2,
        "/reset-password",
    )
    .await;
    expire_link(&server, "erin@example.com").await;
    let r = confirm_reset(&server, &token, "erin-Other-Passw0rd").await;
    assert_eq!((r.status, r.code()), (400, "invalid_token"), "{}", r.text);
    sign_in(&server, "erin@example.com", "erin-New-Passw0rd").await;
    server.finish().await;
}

#[tokio::test]
async fn link_requests_are_limited_alike_for_known_and_unknown_emails() {
    let server = start("reset_limit").await;
    sign_up(&server, "fay@example.com", "fay-Passw0rd-1", "Fay").await;
    for email in ["fay@example.com", "ghost@example.com"] {
        let mut statuses = Vec::new();
        for _ in 0..6 {
            statuses.push(
                ask_link(&server, "/api/auth/password-reset", email)
                    .await
                    .status,
            );
        }
        assert_eq!(statuses, [202, 202, 202, 202, 202, 429], "{email}");
    }
    server.finish().await;
}

// --- sign-in links ----------------------------------------------------------

#[tokio::test]
async fn a_sign_in_link_works_once_and_expires() {
    let server = start("magic").await;
    let created = server
        .post(
            "/api/users",
            &json!({ "id": "user_passwordless1", "email": "hana@example.com", "authMethod": "passwordless" }),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    sign_up(&server, "ivan@example.com", "ivan-Passw0rd-1", "Ivan").await;

    let known = ask_link(&server, "/api/auth/magic-link", "hana@example.com").await;
    let unknown = ask_link(&server, "/api/auth/magic-link", "nobody@example.com").await;
    let password_user = ask_link(&server, "/api/auth/magic-link", "ivan@example.com").await;
    assert_eq!(known.status, 202);
    assert_eq!((known.status, &known.text), (unknown.status, &unknown.text));
    assert_eq!(
        (known.status, &known.text),
        (password_user.status, &password_user.text)
    );
    let before = now_ms();
    let mail = wait_for_mail(&server, "hana@example.com", 1).await;
    let token = link_token(&mail, "/magic-link");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        outbox(&server, "ivan@example.com").await.is_empty(),
        "password accounts get no sign-in link"
    );
    let user = stored_user(&server, "hana@example.com").await;
    assert_eq!(
        user.get_str("resetPasswordToken").ok(),
        Some(sha256_hex(&token).as_str())
    );
    let expires = link_expiry(&user);
    let quarter = 15 * 60_000;
    assert!(
        (before - 10_000 + quarter..=now_ms() + quarter).contains(&expires),
        "{expires}"
    );

    // Not a reset token.
    let r = confirm_reset(&server, &token, "hana-Passw0rd-1").await;
    assert_eq!((r.status, r.code()), (400, "invalid_token"));
    let r = confirm_link(&server, &token).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let session = r.json["token"].as_str().unwrap_or_default().to_string();
    assert_eq!(me_status(&server, &session).await, 200);
    assert_eq!(r.json["user"]["emailVerified"], true);
    let r = confirm_link(&server, &token).await;
    assert_eq!(
        (r.status, r.code()),
        (400, "invalid_token"),
        "used twice: {}",
        r.text
    );

    let token = mailed_token(
        &server,
        "/api/auth/magic-link",
        "hana@example.com",
        2,
        "/magic-link",
    )
    .await;
    expire_link(&server, "hana@example.com").await;
    let r = confirm_link(&server, &token).await;
    assert_eq!(
        (r.status, r.code()),
        (400, "invalid_token"),
        "expired: {}",
        r.text
    );
    server.finish().await;
}

// --- sessions and the outbox --------------------------------------------------

#[tokio::test]
async fn sign_out_everywhere_ends_every_session() {
    let server = start("everywhere").await;
    let a = sign_up(&server, "jo@example.com", "jo-Passw0rd-12", "Jo").await;
    let b = sign_in(&server, "jo@example.com", "jo-Passw0rd-12").await;
    let other = sign_up(&server, "kim@example.com", "kim-Passw0rd-1", "Kim").await;
    let r = post(
        &server,
        "/api/auth/sign-out-everywhere",
        json!({}),
        Some(&b.token),
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.text);
    assert_eq!(me_status(&server, &a.token).await, 401);
    assert_eq!(me_status(&server, &b.token).await, 401);
    assert_eq!(
        me_status(&server, &other.token).await,
        200,
        "only the caller's sessions"
    );
    let r = post(&server, "/api/auth/sign-out-everywhere", json!({}), None).await;
    assert_eq!(r.status, 401);
    server.finish().await;
}

#[tokio::test]
async fn the_outbox_is_for_admins_in_development_and_absent_in_production() {
    let server = start("outbox").await;
    let u = sign_up(&server, "lea@example.com", "lea-Passw0rd-1", "Lea").await;
    let r = server
        .call(Method::GET, "/api/dev/outbox", None, None)
        .await;
    assert_eq!(r.status, 401);
    let r = server
        .call(Method::GET, "/api/dev/outbox", None, Some(&u.token))
        .await;
    assert_eq!(r.status, 403);
    let r = server
        .call(Method::GET, "/api/dev/outbox", None, Some(TOKEN))
        .await;
    assert_eq!(r.status, 200);
    assert!(r.json["development"]
        .as_str()
        .is_some_and(|s| s.contains("DEVELOPMENT")));
    assert_eq!(
        r.headers
            .get("x-development-only")
            .and_then(|v| v.to_str().ok()),
        Some("outbox")
    );
    server.finish().await;

    // Production: SMTP (nothing listens there; sending fails in the
    // background), no outbox route, the same 202.
    let prod = TestServer::start_with(
        &mongodb_uri(),
        &unique_db("outbox_prod"),
        &[
            ("APP_ENV", "production"),
            ("SMTP_HOST", "127.0.0.1"),
            ("SMTP_PORT", "9"),
        ],
    )
    .await;
    let r = prod
        .call(Method::GET, "/api/dev/outbox", None, Some(TOKEN))
        .await;
    assert_eq!(r.status, 404, "{}", r.text);
    let r = ask_link(&prod, "/api/auth/password-reset", "x@example.com").await;
    assert_eq!(r.status, 202);
    // Two-factor needs the key: without it, enrolment is refused by name.
    let v = sign_up(&prod, "max@example.com", "max-Passw0rd-1", "Max").await;
    let r = post(&prod, "/api/auth/2fa/setup", json!({}), Some(&v.token)).await;
    assert_eq!((r.status, r.code()), (400, "two_factor_unavailable"));
    prod.finish().await;
}

#[tokio::test]
async fn a_rotated_key_still_opens_old_secrets_and_reseals_them_at_sign_in() {
    let db = unique_db("tfa_rotate");
    let old = key_setting();
    let server = start_in(&db, &[("TOTP_ENCRYPTION_KEY", &old)]).await;
    let s = sign_up(&server, "nora@example.com", "nora-Passw0rd-1", "Nora").await;
    let (secret, codes) = enrol(&server, &s.token).await;
    // (The first server keeps running until the test ends; it is not used again.)

    // A new current key `k2`; `k1` only in the old list.
    let new_bytes = [9_u8; 32];
    let new = format!("k2:{}", STANDARD.encode(new_bytes));
    let rotated = start_in(
        &db,
        &[
            ("TOTP_ENCRYPTION_KEY", &new),
            ("TOTP_ENCRYPTION_OLD_KEYS", &old),
        ],
    )
    .await;
    let before = stored_user(&rotated, "nora@example.com").await;
    assert!(before
        .get_str("twoFactorSecret")
        .unwrap_or_default()
        .starts_with("v1:k1:"));
    let ch = challenge(&rotated, "nora@example.com", "nora-Passw0rd-1").await;
    let r = second_step(&rotated, &ch, &totp(&secret, steady_now().await)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let after = stored_user(&rotated, "nora@example.com").await;
    let sealed = after.get_str("twoFactorSecret").unwrap_or_default();
    assert!(
        sealed.starts_with("v1:k2:"),
        "sealed again with the new key: {sealed}"
    );
    assert_eq!(
        open_sealed(sealed, &new_bytes, s.oid.as_bytes()),
        Some(secret.clone())
    );
    // Backup codes hashed under k1 still work while k1 is listed.
    let ch = challenge(&rotated, "nora@example.com", "nora-Passw0rd-1").await;
    let r = second_step(&rotated, &ch, &codes[0]).await;
    assert_eq!(r.status, 200, "{}", r.text);
    rotated.finish().await;
}

/// A minimal SMTP server on loopback (no TLS): answers each command and
/// sends every message's DATA down the channel.
async fn fake_smtp() -> (u16, tokio::sync::mpsc::UnboundedReceiver<String>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = match tokio::net::TcpListener::bind("127.0.0.1:0").await {
        Ok(l) => l,
        Err(e) => panic!("bind: {e}"),
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 fake ESMTP\r\n").await;
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(body) = data.as_mut() {
                        if line == "." {
                            let _ = tx.send(std::mem::take(body));
                            data = None;
                            let _ = write.write_all(b"250 queued\r\n").await;
                        } else {
                            body.push_str(&line);
                            body.push('\n');
                        }
                        continue;
                    }
                    let verb = line.get(..4).unwrap_or_default().to_ascii_uppercase();
                    let answer: &[u8] = match verb.as_str() {
                        "EHLO" => b"250-fake\r\n250 8BITMIME\r\n",
                        "DATA" => {
                            data = Some(String::new());
                            b"354 go ahead\r\n"
                        }
                        "QUIT" => {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            break;
                        }
                        _ => b"250 ok\r\n",
                    };
                    let _ = write.write_all(answer).await;
                }
            });
        }
    });
    (port, rx)
}

/// The text of a quoted-printable body (soft line breaks and `=XX` escapes).
fn unquote(qp: &str) -> String {
    let joined = qp.replace("=\n", "");
    let mut out = String::new();
    let mut chars = joined.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '=' {
            let hex: String = chars.by_ref().take(2).collect();
            match u8::from_str_radix(&hex, 16) {
                Ok(b) => out.push(b as char),
                Err(_) => {
                    out.push('=');
                    out.push_str(&hex);
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[tokio::test]
async fn with_smtp_the_reset_link_is_sent_by_smtp() {
    let (port, mut mail) = fake_smtp().await;
    let url = format!("smtp://127.0.0.1:{port}");
    let server = TestServer::start_with(
        &mongodb_uri(),
        &unique_db("smtp"),
        &[
            ("SMTP_URL", url.as_str()),
            ("MAIL_FROM", "OneLastAI <no-reply@onelastai.test>"),
            ("APP_URL", "http://app.test"),
        ],
    )
    .await;
    sign_up(&server, "olga@example.com", "olga-Passw0rd-1", "Olga").await;
    // No outbox where mail goes by SMTP.
    let r = server.get("/api/dev/outbox").await;
    assert_eq!(r.status, 404, "{}", r.text);
    let r = ask_link(&server, "/api/auth/password-reset", "olga@example.com").await;
    assert_eq!(r.status, 202);
    let data = match tokio::time::timeout(Duration::from_secs(10), mail.recv()).await {
        Ok(Some(d)) => d,
        other => panic!("no message reached the SMTP server: {other:?}"),
    };
    assert!(data.contains("To: olga@example.com"), "{data}");
    assert!(
        data.contains("From: OneLastAI <no-reply@onelastai.test>"),
        "{data}"
    );
    let text = unquote(&data);
    let token = text
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://app.test/reset-password?token="))
        .map(str::to_string);
    let Some(token) = token else {
        panic!("no reset link in {data}");
    };
    let r = confirm_reset(&server, &token, "olga-New-Passw0rd").await;
    assert_eq!(r.status, 204, "{}", r.text);
    sign_in(&server, "olga@example.com", "olga-New-Passw0rd").await;
    server.finish().await;
}

#[tokio::test]
async fn a_passwordless_sign_up_mails_a_sign_in_link_instead_of_a_session() {
    let server = start("passwordless_signup").await;
    let r = post(
        &server,
        "/api/auth/sign-up",
        json!({ "email": "pia@example.com", "name": "Pia", "authMethod": "passwordless", "password": "pia-Passw0rd-1" }),
        None,
    )
    .await;
    assert_eq!(
        (r.status, r.code()),
        (400, "password_not_allowed"),
        "{}",
        r.text
    );
    let r = post(
        &server,
        "/api/auth/sign-up",
        json!({ "email": "pia@example.com", "name": "Pia", "authMethod": "passwordless" }),
        None,
    )
    .await;
    assert_eq!(r.status, 202, "{}", r.text);
    assert!(r.json.get("token").is_none(), "not signed in: {}", r.text);
    let user = stored_user(&server, "pia@example.com").await;
    assert_eq!(user.get_str("authMethod").ok(), Some("passwordless"));
    assert!(user.get("password").is_none());
    let token = link_token(
        &wait_for_mail(&server, "pia@example.com", 1).await,
        "/magic-link",
    );
    let r = confirm_link(&server, &token).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["user"]["emailVerified"], true);
    // No password works for it, and the address cannot be taken again.
    let r = sign_in_attempt(&server, "pia@example.com", "").await;
    assert_eq!(r.status, 401);
    let r = post(
        &server,
        "/api/auth/sign-up",
        json!({ "email": "pia@example.com", "authMethod": "passwordless" }),
        None,
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.text);
    // A password account still needs its password.
    let r = post(
        &server,
        "/api/auth/sign-up",
        json!({ "email": "quinn@example.com" }),
        None,
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.text);
    server.finish().await;
}

/// Every new account-security route: an anonymous caller gets 401 where a
/// session is needed, and a huge or deeply nested body is refused (413,
/// 400 too_deep) before any work, for anonymous and signed-in callers alike.
#[tokio::test]
async fn the_account_security_routes_refuse_anonymous_callers_and_huge_or_deep_bodies() {
    let server = start("bodies").await;
    let jo = sign_up(&server, "jo@example.com", "jo-Passw0rd-12", "Jo").await;
    let bearer = format!("Bearer {}", jo.token);
    for (method, path) in [
        (Method::POST, "/api/auth/sign-out-everywhere"),
        (Method::GET, "/api/auth/2fa"),
        (Method::POST, "/api/auth/2fa/setup"),
        (Method::POST, "/api/auth/2fa/enable"),
        (Method::POST, "/api/auth/2fa/backup-codes"),
        (Method::POST, "/api/auth/2fa/disable"),
        (Method::GET, "/api/dev/outbox"),
    ] {
        let body =
            (method == Method::POST).then(|| ("application/json", b"{\"code\":\"1\"}".to_vec()));
        let r = server.send(method.clone(), path, body, &[], false).await;
        assert_eq!(r.status, 401, "anonymous {method} {path}: {}", r.text);
    }
    let oversize = json!({ "code": "1".repeat(70 * 1024), "email": "jo@example.com" }).to_string();
    let deep = format!("{{\"code\":{}1{}}}", "[".repeat(20000), "]".repeat(20000));
    let public = [
        "/api/auth/sign-in/2fa",
        "/api/auth/password-reset",
        "/api/auth/password-reset/confirm",
        "/api/auth/magic-link",
        "/api/auth/magic-link/confirm",
        "/api/auth/sign-up",
    ];
    let signed_in = [
        "/api/auth/2fa/enable",
        "/api/auth/2fa/backup-codes",
        "/api/auth/2fa/disable",
    ];
    let cases = public
        .iter()
        .map(|p| (*p, None))
        .chain(signed_in.iter().map(|p| (*p, Some(bearer.as_str()))));
    for (path, auth) in cases {
        let headers: Vec<(&str, &str)> = auth.map(|a| ("authorization", a)).into_iter().collect();
        for (tag, bytes, status, code) in [
            ("huge", oversize.clone(), 413, "payload_too_large"),
            ("deep", deep.clone(), 400, "too_deep"),
        ] {
            let r = server
                .send(
                    Method::POST,
                    path,
                    Some(("application/json", bytes.into_bytes())),
                    &headers,
                    false,
                )
                .await;
            assert_eq!(
                (r.status, r.code()),
                (status, code),
                "{tag} {path}: {}",
                r.text
            );
        }
    }
    assert!(
        outbox(&server, "jo@example.com").await.is_empty(),
        "no mail sent"
    );
    assert_eq!(me_status(&server, &jo.token).await, 200);
    server.finish().await;
}

/// Another signed-in user: Bob's session cannot renew Bob's codes or turn
/// Bob's two-factor off with Alice's codes, Alice's challenge takes none of
/// Bob's codes, and none of this spends or changes Alice's.
#[tokio::test]
async fn one_users_codes_do_nothing_for_another_user() {
    let server = start("tfa_other").await;
    let alice = sign_up(&server, "ada@example.com", "ada-Passw0rd-12", "Ada").await;
    let bob = sign_up(&server, "ben@example.com", "ben-Passw0rd-12", "Ben").await;
    let (a_secret, a_codes) = enrol(&server, &alice.token).await;
    let (b_secret, b_codes) = enrol(&server, &bob.token).await;
    let now = steady_now().await;
    let a_totp = totp(&a_secret, now);
    let b_totp = totp(&b_secret, now);
    // (The two TOTP codes agree by chance once in 10^6.)
    assert_ne!(a_totp, b_totp);

    let r = post(
        &server,
        "/api/auth/2fa/backup-codes",
        json!({ "code": a_codes[0] }),
        Some(&bob.token),
    )
    .await;
    assert_eq!(
        (r.status, r.code()),
        (401, "invalid_credentials"),
        "Alice's backup code renews Bob's: {}",
        r.text
    );
    for code in [&a_totp, &a_codes[1]] {
        let r = disable(&server, &bob.token, "ben-Passw0rd-12", code).await;
        assert_eq!(r.status, 401, "Alice's code turns Bob's off: {}", r.text);
    }
    let ch = challenge(&server, "ada@example.com", "ada-Passw0rd-12").await;
    for code in [&b_totp, &b_codes[0]] {
        let r = second_step(&server, &ch, code).await;
        assert_eq!(
            (r.status, r.code()),
            (401, "invalid_credentials"),
            "Bob's code signs Alice in: {}",
            r.text
        );
    }

    // Both are still on, with all their codes, and Alice's are unspent.
    for (s, email) in [(&alice, "ada@example.com"), (&bob, "ben@example.com")] {
        let status = server
            .call(Method::GET, "/api/auth/2fa", None, Some(&s.token))
            .await;
        assert_eq!(status.json["enabled"], true, "{email}: {}", status.text);
        assert_eq!(status.json["backupCodesLeft"], 10, "{email}");
    }
    let r = second_step(&server, &ch, &a_codes[0]).await;
    assert_eq!(r.status, 200, "Alice's own code: {}", r.text);
    server.finish().await;
}
