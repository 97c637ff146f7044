//! Identity (issue 10): sign-up, sign-in, sessions, sign-out, lockouts that
//! live in the database (shared by several server processes), auth events,
//! password changes and `create-admin`. Expectations come from the issue,
//! not from the code under test.

use crate::common::{
    mongodb_uri, register_secret, run_create_admin, sha256_hex, sign_in, sign_in_attempt, sign_up,
    unique_db, Resp, ServerBinary, Session, TestServer,
};
use base64::Engine;
use bson::{doc, oid::ObjectId, Bson, DateTime, Document};
use reqwest::Method;
use serde_json::json;
use std::time::{Duration, Instant};

const WEEK_MS: i64 = 7 * 24 * 3600 * 1000;
const MINUTE_MS: i64 = 60_000;

async fn me(server: &TestServer, token: &str) -> Resp {
    server
        .call(Method::GET, "/api/auth/me", None, Some(token))
        .await
}

fn retry_after(r: &Resp) -> Option<u64> {
    r.headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}

fn oid(hex: &str) -> ObjectId {
    match ObjectId::parse_str(hex) {
        Ok(o) => o,
        Err(e) => panic!("{hex:?} is not an ObjectId: {e}"),
    }
}

/// The auth events stored, oldest first.
async fn auth_events(server: &TestServer) -> Vec<Document> {
    let mut events = server
        .find("analyticsevents", doc! { "eventType": "auth" })
        .await;
    events.sort_by_key(|e| {
        e.get_datetime("timestamp")
            .map(|d| d.timestamp_millis())
            .unwrap_or(0)
    });
    events
}

/// Every string anywhere in a document.
fn strings(b: &Bson, out: &mut Vec<String>) {
    match b {
        Bson::String(s) => out.push(s.clone()),
        Bson::Document(d) => d.values().for_each(|v| strings(v, out)),
        Bson::Array(a) => a.iter().for_each(|v| strings(v, out)),
        _ => {}
    }
}

fn all_strings(d: &Document) -> Vec<String> {
    let mut out = Vec::new();
    strings(&Bson::Document(d.clone()), &mut out);
    out
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

#[tokio::test]
async fn sign_up_sign_in_me_sign_out_then_the_token_is_refused() {
    let server = TestServer::start("auth_flow").await;
    let t0 = crate::common::now_ms();
    let up = sign_up(&server, "Dana@Example.com", "dana-Passw0rd-1", "Dana").await;
    let user = &up.body["user"];
    assert_eq!(user["email"], "dana@example.com", "{user}");
    assert_eq!(user["role"], "user", "{user}");
    assert_eq!(user["emailVerified"], false, "{user}");
    assert_eq!(user["isActive"], true, "{user}");
    assert!(up.id.starts_with("user_"), "server-made id: {}", up.id);
    let expires = up.body["expiresAt"].clone();
    assert!(
        crate::common::iso_within(
            &expires,
            t0 + WEEK_MS - MINUTE_MS,
            crate::common::now_ms() + WEEK_MS + MINUTE_MS
        ),
        "a session lives 7 days: {expires}"
    );

    // The sign-up token is a session.
    let r = me(&server, &up.token).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["user"]["_id"], up.oid.as_str());

    // Sign-in: another session, the same user, lastLoginAt set.
    let before_login = crate::common::now_ms();
    let s = sign_in(&server, "dana@example.com", "dana-Passw0rd-1").await;
    assert_ne!(s.token, up.token);
    assert_eq!(s.oid, up.oid);
    let r = me(&server, &s.token).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["user"]["id"], up.id.as_str());
    let stored = server.raw("users", &up.oid).await;
    let last_login = stored
        .as_ref()
        .and_then(|d| d.get_datetime("lastLoginAt").ok())
        .map(|d| d.timestamp_millis());
    assert!(
        last_login.is_some_and(|t| t >= before_login - 1000 && t <= crate::common::now_ms() + 1000),
        "lastLoginAt set on sign-in: {last_login:?}"
    );

    // Sign-out ends that session only.
    let out = server
        .call(Method::POST, "/api/auth/sign-out", None, Some(&s.token))
        .await;
    assert_eq!(out.status, 204, "{}", out.text);
    let refused = me(&server, &s.token).await;
    assert_eq!(refused.status, 401, "{}", refused.text);
    assert_eq!(refused.code(), "unauthorized");
    let refused = server
        .call(Method::GET, "/api/chat-sessions", None, Some(&s.token))
        .await;
    assert_eq!(
        refused.status, 401,
        "a signed-out token on a collection: {}",
        refused.text
    );
    let again = server
        .call(Method::POST, "/api/auth/sign-out", None, Some(&s.token))
        .await;
    assert_eq!(again.status, 401, "{}", again.text);
    let sessions = server
        .find("usersessions", doc! { "sessionId": sha256_hex(&s.token) })
        .await;
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].get_bool("isActive").ok(), Some(false));
    let still = me(&server, &up.token).await;
    assert_eq!(
        still.status, 200,
        "the other session lives on: {}",
        still.text
    );

    // No credentials: no user.
    let anonymous = server.call(Method::GET, "/api/auth/me", None, None).await;
    assert_eq!(anonymous.status, 401, "{}", anonymous.text);
    server.finish().await;
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_answer_in_comparable_time() {
    let server = TestServer::start("auth_same").await;
    sign_up(&server, "erin@example.com", "erin-Passw0rd-1", "Erin").await;
    sign_up(&server, "finn@example.com", "finn-Passw0rd-1", "Finn").await;
    // Four failures per known email (the fifth would lock it) and eight
    // unknown emails: 16 failures from this address, under its limit of 20.
    let mut wrong = Vec::new();
    let mut unknown = Vec::new();
    let mut bodies = Vec::new();
    for i in 0..8 {
        let email = if i % 2 == 0 {
            "erin@example.com"
        } else {
            "finn@example.com"
        };
        let started = Instant::now();
        let r = sign_in_attempt(&server, email, "not-the-password").await;
        wrong.push(started.elapsed());
        assert_eq!(r.status, 401, "{}", r.text);
        assert_eq!(r.code(), "invalid_credentials");
        bodies.push(("wrong password", r.text.clone()));

        let started = Instant::now();
        let r = sign_in_attempt(
            &server,
            &format!("nobody{i}@example.com"),
            "not-the-password",
        )
        .await;
        unknown.push(started.elapsed());
        assert_eq!(r.status, 401, "{}", r.text);
        bodies.push(("unknown email", r.text.clone()));
    }
    let first = bodies[0].1.clone();
    for (what, body) in &bodies {
        assert_eq!(
            body.as_bytes(),
            first.as_bytes(),
            "{what}: {body} != {first}"
        );
    }
    let (w, u) = (median(&mut wrong), median(&mut unknown));
    println!("sign-in failure medians: wrong password {w:?}, unknown email {u:?} (8 each)");
    let ratio = u.as_secs_f64() / w.as_secs_f64().max(1e-6);
    assert!(
        (1.0 / 3.0..=3.0).contains(&ratio),
        "an unknown email must cost about what a wrong password costs: {u:?} vs {w:?}"
    );
    server.finish().await;
}

#[tokio::test]
async fn the_sixth_failure_is_429_and_the_right_password_is_refused_until_the_window_passes() {
    let server = TestServer::start("auth_lock").await;
    let password = "gail-Passw0rd-1";
    sign_up(&server, "gail@example.com", password, "Gail").await;
    sign_up(&server, "hugo@example.com", "hugo-Passw0rd-1", "Hugo").await;
    for i in 1..=5 {
        let r = sign_in_attempt(&server, "gail@example.com", "wrong-password").await;
        assert_eq!(r.status, 401, "failure {i}: {}", r.text);
    }
    let sixth = sign_in_attempt(&server, "gail@example.com", "wrong-password").await;
    assert_eq!(sixth.status, 429, "the sixth failure: {}", sixth.text);
    assert_eq!(sixth.code(), "too_many_attempts");
    let wait = retry_after(&sixth);
    assert!(
        wait.is_some_and(|s| (1..=15 * 60).contains(&s)),
        "Retry-After in seconds, within the 15 minute window: {:?}",
        sixth.headers.get("retry-after")
    );
    let right = sign_in_attempt(&server, "Gail@Example.com", password).await;
    assert_eq!(
        right.status, 429,
        "the right password while locked: {}",
        right.text
    );
    assert!(right.json.get("token").is_none());
    let live = server
        .find("usersessions", doc! { "isActive": true })
        .await
        .len();
    // Sign-up made one session each; no sign-in went through.
    assert_eq!(live, 2, "no session opened while locked");
    // The lockout is per email: another account from the same address signs in.
    sign_in(&server, "hugo@example.com", "hugo-Passw0rd-1").await;
    server.finish().await;
}

/// Failures older than the window do not count: backdated `sign_in_failed`
/// events are inserted in the database (one cannot wait 15 minutes), and a
/// control shows that the same events inside the window do lock.
#[tokio::test]
async fn failures_older_than_the_window_do_not_count() {
    let server = TestServer::start("auth_window").await;
    let events = server.db.collection::<Document>("analyticsevents");
    for (email, minutes_ago, locked) in [
        ("ivan@example.com", 16_i64, false),
        ("jade@example.com", 14_i64, true),
    ] {
        let password = format!("{}-Passw0rd-1", &email[..4]);
        let up = sign_up(&server, email, &password, "Someone").await;
        // One real failure: the server's own event says how it keys the email.
        let r = sign_in_attempt(&server, email, "wrong-password").await;
        assert_eq!(r.status, 401, "{}", r.text);
        let recorded = server
            .find(
                "analyticsevents",
                doc! { "eventType": "auth", "eventName": "sign_in_failed", "userId": &up.id },
            )
            .await;
        let Some(mut template) = recorded.first().cloned() else {
            panic!("no sign_in_failed event with the user's id after a wrong password")
        };
        assert_eq!(recorded.len(), 1, "{recorded:?}");
        let email_hash = template
            .get_document("properties")
            .ok()
            .and_then(|p| p.get_str("emailHash").ok())
            .map(str::to_string);
        assert!(email_hash.is_some(), "properties.emailHash: {template:?}");
        // Four more, `minutes_ago` old, from another address.
        let at = DateTime::from_millis(crate::common::now_ms() - minutes_ago * MINUTE_MS);
        for _ in 0..4 {
            template.insert("_id", ObjectId::new());
            for field in ["timestamp", "createdAt", "updatedAt"] {
                if field == "timestamp" || template.contains_key(field) {
                    template.insert(field, at);
                }
            }
            template.insert(
                "context",
                doc! { "ipAddress": "192.0.2.77", "userAgent": "backdated" },
            );
            if let Err(e) = events.insert_one(template.clone()).await {
                panic!("insert a backdated event: {e}");
            }
        }
        let r = sign_in_attempt(&server, email, &password).await;
        if locked {
            // Five failures within 15 minutes, the oldest 14 minutes ago:
            // locked for about one more minute.
            assert_eq!(
                r.status, 429,
                "{email}, failures {minutes_ago} min old: {}",
                r.text
            );
            let wait = retry_after(&r);
            assert!(
                wait.is_some_and(|s| (45..=75).contains(&s)),
                "Retry-After about 60 s: {wait:?}"
            );
        } else {
            assert_eq!(
                r.status, 200,
                "{email}, failures {minutes_ago} min old: {}",
                r.text
            );
        }
    }
    server.finish().await;
}

#[tokio::test]
async fn twenty_failures_from_one_client_address_lock_that_address() {
    let server = TestServer::start_with(
        &mongodb_uri(),
        &unique_db("auth_client"),
        &[("TRUSTED_PROXIES", "127.0.0.1")],
    )
    .await;
    sign_up(&server, "kim@example.com", "kim-Passw0rd-11", "Kim").await;
    let attempt = |email: String, password: &'static str, from: &'static str| {
        let server = &server;
        async move {
            server
                .call_with(
                    Method::POST,
                    "/api/auth/sign-in",
                    Some(&json!({ "email": email, "password": password })),
                    None,
                    &[("x-forwarded-for", from)],
                )
                .await
        }
    };
    // 20 failures from 198.51.100.7, four per email (no email is locked).
    for i in 0..20 {
        let r = attempt(
            format!("ghost{}@example.com", i / 4),
            "wrong",
            "198.51.100.7",
        )
        .await;
        assert_eq!(r.status, 401, "failure {i}: {}", r.text);
    }
    let r = attempt("kim@example.com".into(), "kim-Passw0rd-11", "198.51.100.7").await;
    assert_eq!(
        r.status, 429,
        "the 21st attempt from that address: {}",
        r.text
    );
    assert!(retry_after(&r).is_some());
    let r = attempt("kim@example.com".into(), "kim-Passw0rd-11", "198.51.100.8").await;
    assert_eq!(r.status, 200, "another address: {}", r.text);
    server.finish().await;
}

#[tokio::test]
async fn sign_ups_from_one_client_address_are_limited_and_refused_ones_count_too() {
    let server = TestServer::start_with(
        &mongodb_uri(),
        &unique_db("auth_sign_ups"),
        &[
            ("TRUSTED_PROXIES", "127.0.0.1"),
            ("SIGN_UPS_PER_CLIENT", "3"),
        ],
    )
    .await;
    let attempt = |email: &'static str, from: &'static str| {
        let server = &server;
        async move {
            server
                .call_with(
                    Method::POST,
                    "/api/auth/sign-up",
                    Some(&json!({ "email": email, "password": "limit-Passw0rd-1", "name": "L" })),
                    None,
                    &[("x-forwarded-for", from)],
                )
                .await
        }
    };
    register_secret("limit-Passw0rd-1");
    // Three attempts from 198.51.100.20: two accounts and a taken email.
    for (email, status) in [
        ("lim1@example.com", 201),
        ("lim2@example.com", 201),
        ("lim1@example.com", 409),
    ] {
        let r = attempt(email, "198.51.100.20").await;
        assert_eq!(r.status, status, "{email}: {}", r.text);
    }
    let r = attempt("lim3@example.com", "198.51.100.20").await;
    assert_eq!(
        r.status, 429,
        "the 4th attempt from that address: {}",
        r.text
    );
    assert_eq!(r.json["error"], "too_many_sign_ups", "{}", r.text);
    let wait = retry_after(&r).unwrap_or(0);
    assert!(
        (1..=15 * 60).contains(&wait),
        "Retry-After within the 15-minute window: {wait}"
    );
    let made = server
        .find("users", doc! { "email": "lim3@example.com" })
        .await;
    assert!(made.is_empty(), "the refused sign-up stored nothing");
    // Another address is not affected, and sign-in is not limited by it.
    assert_eq!(
        attempt("lim3@example.com", "198.51.100.21").await.status,
        201
    );
    let r = sign_in_attempt(&server, "lim1@example.com", "limit-Passw0rd-1").await;
    assert_eq!(r.status, 200, "{}", r.text);
    // The attempts are not sign-in events: the lockout and the statistics
    // read those.
    let auth = server
        .find(
            "analyticsevents",
            doc! { "eventType": "auth", "eventName": "sign_up_attempted" },
        )
        .await;
    assert!(auth.is_empty(), "{auth:?}");
    server.finish().await;
}

#[tokio::test]
async fn the_stored_session_id_is_the_sha256_of_the_token_never_the_token() {
    let server = TestServer::start("auth_hash").await;
    let agent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36";
    let r = server
        .call_with(
            Method::POST,
            "/api/auth/sign-up",
            Some(&json!({ "email": "lena@example.com", "password": "lena-Passw0rd-1" })),
            None,
            &[("user-agent", agent)],
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let up = Session::from_answer(&r);
    let second = sign_in(&server, "lena@example.com", "lena-Passw0rd-1").await;
    for token in [&up.token, &second.token] {
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token);
        assert_eq!(
            bytes.map(|b| b.len()).ok(),
            Some(32),
            "256 random bits: {token}"
        );
    }
    let sessions = server
        .find("usersessions", doc! { "userId": oid(&up.oid) })
        .await;
    assert_eq!(
        sessions.len(),
        2,
        "one session per sign-up/sign-in, userId the user's _id"
    );
    for token in [&up.token, &second.token] {
        let found: Vec<&Document> = sessions
            .iter()
            .filter(|s| s.get_str("sessionId").ok() == Some(sha256_hex(token).as_str()))
            .collect();
        assert_eq!(
            found.len(),
            1,
            "a session whose sessionId is SHA-256(token)"
        );
        assert_ne!(found[0].get_str("sessionId").ok(), Some(token.as_str()));
    }
    for s in &sessions {
        for text in all_strings(s) {
            assert!(
                !text.contains(up.token.as_str()) && !text.contains(second.token.as_str()),
                "a token is stored in a session document: {s:?}"
            );
        }
        assert_eq!(s.get_bool("isActive").ok(), Some(true));
    }
    let first = sessions
        .iter()
        .find(|s| s.get_str("sessionId").ok() == Some(sha256_hex(&up.token).as_str()));
    let first = first.cloned().unwrap_or_default();
    assert_eq!(first.get_str("userAgent").ok(), Some(agent));
    assert_eq!(first.get_str("ipAddress").ok(), Some("127.0.0.1"));
    let expires = first
        .get_datetime("expiresAt")
        .map(|d| d.timestamp_millis())
        .unwrap_or(0);
    let now = crate::common::now_ms();
    assert!(
        (now + WEEK_MS - 5 * MINUTE_MS..=now + WEEK_MS).contains(&expires),
        "expiresAt 7 days ahead: {expires}"
    );
    // What the database holds is not a credential.
    let hash = sha256_hex(&up.token);
    let r = me(&server, &hash).await;
    assert_eq!(
        r.status, 401,
        "the stored sessionId used as a token: {}",
        r.text
    );
    server.finish().await;
}

#[tokio::test]
async fn sign_up_with_protected_fields_is_403_and_creates_nothing() {
    let server = TestServer::start("auth_signup_role").await;
    register_secret("mia-Passw0rd-1");
    register_secret("known-reset-token-123");
    for (extra, fields) in [
        (json!({ "role": "admin" }), vec!["role"]),
        (
            json!({ "emailVerified": true, "isActive": true, "resetPasswordToken": "known-reset-token-123" }),
            vec!["emailVerified", "isActive", "resetPasswordToken"],
        ),
    ] {
        let mut body =
            json!({ "email": "mia@example.com", "password": "mia-Passw0rd-1", "name": "Mia" });
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        let r = server
            .call(Method::POST, "/api/auth/sign-up", Some(&body), None)
            .await;
        assert_eq!(r.status, 403, "sign-up with {extra}: {}", r.text);
        assert_eq!(r.code(), "forbidden_field");
        let mut named: Vec<String> = r.json["fields"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        named.sort();
        let mut want: Vec<String> = fields.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(named, want, "{}", r.text);
        assert!(r.json.get("token").is_none());
        assert_eq!(server.count("users").await, 0, "no user stored");
        assert_eq!(server.count("usersessions").await, 0, "no session stored");
    }
    let r = sign_in_attempt(&server, "mia@example.com", "mia-Passw0rd-1").await;
    assert_eq!(r.status, 401, "{}", r.text);
    // The email was not taken: a plain sign-up works and makes a plain user.
    let up = sign_up(&server, "mia@example.com", "mia-Passw0rd-1", "Mia").await;
    assert_eq!(up.body["user"]["role"], "user");
    let stored = server.raw("users", &up.oid).await.unwrap_or_default();
    assert_eq!(stored.get_str("role").ok(), Some("user"));
    assert!(stored
        .get("resetPasswordToken")
        .is_none_or(|v| *v == Bson::Null));
    server.finish().await;
}

#[tokio::test]
async fn auth_events_are_recorded_with_their_names_user_ids_address_and_agent() {
    let server = TestServer::start("auth_events").await;
    let agent = "events-test-agent/1.0";
    let password = "noah-Passw0rd-1";
    let up = sign_up(&server, "noah@example.com", password, "Noah").await;
    let locked_user = sign_up(&server, "olga@example.com", "olga-Passw0rd-1", "Olga").await;
    let attempt = |email: &'static str, password: &'static str| {
        let server = &server;
        async move {
            server
                .call_with(
                    Method::POST,
                    "/api/auth/sign-in",
                    Some(&json!({ "email": email, "password": password })),
                    None,
                    &[("user-agent", agent)],
                )
                .await
        }
    };
    let wrong_olga = ("olga@example.com", "wrong-password", 401);
    for (email, password, status) in [
        ("noah@example.com", "noah-Passw0rd-1", 200),
        ("noah@example.com", "wrong-password", 401),
        ("nobody@example.com", "wrong-password", 401),
        wrong_olga,
        wrong_olga,
        wrong_olga,
        wrong_olga,
        wrong_olga,
        ("olga@example.com", "olga-Passw0rd-1", 429),
    ] {
        let r = attempt(email, password).await;
        assert_eq!(r.status, status, "{email} / {password}: {}", r.text);
    }

    let events = auth_events(&server).await;
    let named = |name: &str| -> Vec<&Document> {
        events
            .iter()
            .filter(|e| e.get_str("eventName").ok() == Some(name))
            .collect()
    };
    let succeeded = named("sign_in_succeeded");
    let failed = named("sign_in_failed");
    let locked = named("sign_in_locked");
    assert_eq!(succeeded.len(), 1, "{events:?}");
    assert_eq!(failed.len(), 7, "{events:?}");
    assert_eq!(locked.len(), 1, "{events:?}");
    assert_eq!(
        events.len(),
        9,
        "only sign-in attempts are auth events: {events:?}"
    );

    let user_id = |e: &Document| e.get_str("userId").ok().map(str::to_string);
    let hash = |e: &Document| {
        e.get_document("properties")
            .ok()
            .and_then(|p| p.get_str("emailHash").ok())
            .map(str::to_string)
    };
    assert_eq!(user_id(succeeded[0]), Some(up.id.clone()));
    let noah_failed: Vec<&&Document> = failed
        .iter()
        .filter(|e| hash(e) == hash(succeeded[0]))
        .collect();
    assert_eq!(noah_failed.len(), 1, "one failure for noah");
    assert_eq!(
        user_id(noah_failed[0]),
        Some(up.id.clone()),
        "known email: its user id"
    );
    let olga_failed: Vec<&&Document> = failed
        .iter()
        .filter(|e| user_id(e).as_deref() == Some(locked_user.id.as_str()))
        .collect();
    assert_eq!(olga_failed.len(), 5);
    let unknown: Vec<&&Document> = failed
        .iter()
        .filter(|e| hash(e) != hash(succeeded[0]) && hash(e) != hash(olga_failed[0]))
        .collect();
    assert_eq!(unknown.len(), 1, "one failure for the unknown email");
    assert!(
        matches!(unknown[0].get("userId"), None | Some(Bson::Null)),
        "an unknown email has no user id: {:?}",
        unknown[0]
    );
    assert_eq!(
        hash(locked[0]),
        hash(olga_failed[0]),
        "the lock names the locked email"
    );
    for e in &events {
        assert_eq!(e.get_str("eventType").ok(), Some("auth"));
        let context = e.get_document("context").cloned().unwrap_or_default();
        assert_eq!(
            context.get_str("ipAddress").ok(),
            Some("127.0.0.1"),
            "{e:?}"
        );
        assert_eq!(context.get_str("userAgent").ok(), Some(agent), "{e:?}");
        let h = hash(e).unwrap_or_default();
        assert!(
            !h.is_empty() && !h.contains('@'),
            "an email hash, not the email: {e:?}"
        );
        for text in all_strings(e) {
            assert!(
                !text.contains("Passw0rd") && !text.contains("wrong-password"),
                "a password in an auth event: {e:?}"
            );
            assert!(
                !text.contains("@example.com"),
                "a plain email in an auth event: {e:?}"
            );
        }
    }
    server.finish().await;
}

#[tokio::test]
async fn two_server_processes_share_the_lockout_and_the_sessions() {
    let db = unique_db("auth_two");
    let one = ServerBinary::start(&db, &[]).await;
    let two = ServerBinary::start(&db, &[]).await;
    let password = "pia-Passw0rd-11";
    register_secret(password);
    let up = one
        .call(
            Method::POST,
            "/api/auth/sign-up",
            Some(&json!({ "email": "pia@example.com", "password": password })),
            None,
        )
        .await;
    assert_eq!(up.status, 201, "{}", up.text);
    let up = Session::from_answer(&up);

    // A session made on one works on the other, both ways.
    let r = two
        .call(Method::GET, "/api/auth/me", None, Some(&up.token))
        .await;
    assert_eq!(
        r.status, 200,
        "a session from process one on process two: {}",
        r.text
    );
    assert_eq!(r.json["user"]["_id"], up.oid.as_str());
    let signin = json!({ "email": "pia@example.com", "password": password });
    let r = two
        .call(Method::POST, "/api/auth/sign-in", Some(&signin), None)
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let other = Session::from_answer(&r);
    let r = one
        .call(Method::GET, "/api/auth/me", None, Some(&other.token))
        .await;
    assert_eq!(
        r.status, 200,
        "a session from process two on process one: {}",
        r.text
    );

    // Failures sent to one lock the account on the other.
    let wrong = json!({ "email": "pia@example.com", "password": "wrong-password" });
    for i in 1..=5 {
        let r = one
            .call(Method::POST, "/api/auth/sign-in", Some(&wrong), None)
            .await;
        assert_eq!(r.status, 401, "failure {i} on process one: {}", r.text);
    }
    let r = two
        .call(Method::POST, "/api/auth/sign-in", Some(&signin), None)
        .await;
    assert_eq!(
        r.status, 429,
        "the right password on process two: {}",
        r.text
    );
    assert!(retry_after(&r).is_some());
    let r = one
        .call(Method::POST, "/api/auth/sign-in", Some(&signin), None)
        .await;
    assert_eq!(
        r.status, 429,
        "the right password on process one: {}",
        r.text
    );

    // A sign-out on one is seen by the other.
    let r = two
        .call(Method::POST, "/api/auth/sign-out", None, Some(&up.token))
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    let r = one
        .call(Method::GET, "/api/auth/me", None, Some(&up.token))
        .await;
    assert_eq!(r.status, 401, "signed out on two, used on one: {}", r.text);

    one.stop().await;
    two.stop().await;
    if let Ok(client) = mongodb::Client::with_uri_str(mongodb_uri()).await {
        let _ = client.database(&db).drop().await;
    }
}

#[tokio::test]
async fn create_admin_makes_an_admin_whose_session_has_admin_rights() {
    let server = TestServer::start("auth_admin").await;
    let db = server.db_name();
    let plain = sign_up(&server, "quin@example.com", "quin-Passw0rd-1", "Quin").await;
    let chat = json!({ "id": "chat-quin", "userId": plain.id, "name": "Quin's chat" });
    let r = server
        .call(
            Method::POST,
            "/api/chat-sessions",
            Some(&chat),
            Some(&plain.token),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let chat_id = r.json["_id"].as_str().unwrap_or_default().to_string();
    let board = |n: &str| json!({ "category": "points", "period": n, "nextUpdate": "2030-01-01T00:00:00.000Z" });

    // Without a password for a new user, create-admin refuses and makes nothing.
    let (status, _, _) = run_create_admin(&db, "ruth@example.com", None).await;
    assert!(
        !status.success(),
        "create-admin without a password for a new user"
    );
    assert!(
        server
            .find("users", doc! { "email": "ruth@example.com" })
            .await
            .is_empty(),
        "nothing created"
    );

    let password = "ruth-Passw0rd-1";
    register_secret(password);
    let (status, stdout, stderr) = run_create_admin(&db, "ruth@example.com", Some(password)).await;
    assert!(status.success(), "create-admin: {stdout} {stderr}");
    let stored = server
        .find("users", doc! { "email": "ruth@example.com" })
        .await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].get_str("role").ok(), Some("admin"));
    let hash = stored[0].get_str("password").unwrap_or_default();
    assert!(hash.starts_with("$argon2"), "the password is stored hashed");

    let admin = sign_in(&server, "ruth@example.com", password).await;
    let r = me(&server, &admin.token).await;
    assert_eq!(r.json["user"]["role"], "admin", "{}", r.text);
    // Admin rights through the session: every user, anyone's documents,
    // admin-only writes, protected fields.
    let r = server
        .call(
            Method::GET,
            "/api/users?limit=100",
            None,
            Some(&admin.token),
        )
        .await;
    let ids: Vec<&str> = r.json["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|i| i["_id"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        ids.contains(&plain.oid.as_str()),
        "the admin lists other users: {}",
        r.text
    );
    let r = server
        .call(
            Method::GET,
            &format!("/api/chat-sessions/{chat_id}"),
            None,
            Some(&admin.token),
        )
        .await;
    assert_eq!(r.status, 200, "the admin reads another's chat: {}", r.text);
    let r = server
        .call(
            Method::POST,
            "/api/leaderboards",
            Some(&board("daily")),
            Some(&admin.token),
        )
        .await;
    assert_eq!(
        r.status, 201,
        "the admin writes an admin-only collection: {}",
        r.text
    );
    let v = server
        .raw("users", &plain.oid)
        .await
        .and_then(|d| d.get_i32("__v").ok())
        .unwrap_or(0);
    let r = server
        .call(
            Method::PATCH,
            &format!("/api/users/{}", plain.oid),
            Some(&json!({ "emailVerified": true, "__v": v })),
            Some(&admin.token),
        )
        .await;
    assert_eq!(
        r.status, 200,
        "the admin sets a protected field: {}",
        r.text
    );

    // The plain user has none of this...
    let r = server
        .call(
            Method::POST,
            "/api/leaderboards",
            Some(&board("weekly")),
            Some(&plain.token),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.text);
    let r = server
        .call(
            Method::GET,
            &format!("/api/users/{}", admin.oid),
            None,
            Some(&plain.token),
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.text);
    // ... until create-admin promotes it: its live session gains the rights.
    let (status, stdout, stderr) = run_create_admin(&db, "quin@example.com", None).await;
    assert!(
        status.success(),
        "create-admin of an existing user: {stdout} {stderr}"
    );
    let r = server
        .call(
            Method::GET,
            &format!("/api/users/{}", admin.oid),
            None,
            Some(&plain.token),
        )
        .await;
    assert_eq!(r.status, 200, "promoted: {}", r.text);
    let r = server
        .call(
            Method::POST,
            "/api/leaderboards",
            Some(&board("weekly")),
            Some(&plain.token),
        )
        .await;
    assert_eq!(r.status, 201, "promoted: {}", r.text);
    let r = sign_in_attempt(&server, "quin@example.com", "quin-Passw0rd-1").await;
    assert_eq!(
        r.status, 200,
        "the password is kept when promoting: {}",
        r.text
    );
    server.finish().await;
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_the_other_sessions() {
    let server = TestServer::start("auth_password").await;
    let old = "sara-Passw0rd-1";
    let new = "sara-Passw0rd-2-new";
    register_secret(new);
    let s1 = sign_up(&server, "sara@example.com", old, "Sara").await;
    let s2 = sign_in(&server, "sara@example.com", old).await;
    let s3 = sign_in(&server, "sara@example.com", old).await;
    let stored_hash = |d: Option<Document>| {
        d.and_then(|d| d.get_str("password").ok().map(str::to_string))
            .unwrap_or_default()
    };
    let hash0 = stored_hash(server.raw("users", &s1.oid).await);
    let change = |current: &str, next: &str| json!({ "current": current, "new": next });

    let r = server
        .call(
            Method::POST,
            "/api/auth/password",
            Some(&change("wrong-current", new)),
            Some(&s1.token),
        )
        .await;
    assert_eq!(r.status, 401, "a wrong current password: {}", r.text);
    let r = server
        .call(
            Method::POST,
            "/api/auth/password",
            Some(&change(old, new)),
            None,
        )
        .await;
    assert_eq!(r.status, 401, "without a session: {}", r.text);
    let r = server
        .call(
            Method::POST,
            "/api/auth/password",
            Some(&change(old, "short")),
            Some(&s1.token),
        )
        .await;
    assert_eq!(
        r.status, 422,
        "a new password the users rules refuse: {}",
        r.text
    );
    assert_eq!(
        stored_hash(server.raw("users", &s1.oid).await),
        hash0,
        "nothing changed yet"
    );
    for s in [&s2, &s3] {
        assert_eq!(
            me(&server, &s.token).await.status,
            200,
            "sessions live until it changes"
        );
    }

    let r = server
        .call(
            Method::POST,
            "/api/auth/password",
            Some(&change(old, new)),
            Some(&s1.token),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    let hash1 = stored_hash(server.raw("users", &s1.oid).await);
    assert_ne!(hash1, hash0);
    assert!(
        hash1.starts_with("$argon2") && !hash1.contains(new),
        "stored hashed"
    );
    assert_eq!(
        me(&server, &s1.token).await.status,
        200,
        "the changing session lives on"
    );
    for s in [&s2, &s3] {
        let r = me(&server, &s.token).await;
        assert_eq!(r.status, 401, "the other sessions end: {}", r.text);
    }
    let r = sign_in_attempt(&server, "sara@example.com", old).await;
    assert_eq!(r.status, 401, "the old password: {}", r.text);
    sign_in(&server, "sara@example.com", new).await;
    server.finish().await;
}

#[tokio::test]
async fn patch_users_with_a_new_password_is_403() {
    let server = TestServer::start("auth_patch_pw").await;
    let old = "tess-Passw0rd-1";
    let new = "tess-Passw0rd-2-new";
    register_secret(new);
    let s = sign_up(&server, "tess@example.com", old, "Tess").await;
    let before = server.raw("users", &s.oid).await;
    let v = before
        .as_ref()
        .and_then(|d| d.get_i32("__v").ok())
        .unwrap_or(0);
    for body in [
        json!({ "password": new, "__v": v }),
        json!({ "password": new, "name": "Tess T.", "__v": v }),
    ] {
        let r = server
            .call(
                Method::PATCH,
                &format!("/api/users/{}", s.oid),
                Some(&body),
                Some(&s.token),
            )
            .await;
        assert_eq!(r.status, 403, "{body}: {}", r.text);
        assert_eq!(r.code(), "forbidden_field");
        assert_eq!(r.json["fields"], json!(["password"]), "{}", r.text);
        assert_eq!(server.raw("users", &s.oid).await, before, "nothing stored");
    }
    let r = sign_in_attempt(&server, "tess@example.com", new).await;
    assert_eq!(r.status, 401, "{}", r.text);
    sign_in(&server, "tess@example.com", old).await;
    // The same PATCH without the password goes through: the refusal was the password's.
    let r = server
        .call(
            Method::PATCH,
            &format!("/api/users/{}", s.oid),
            Some(&json!({ "name": "Tess T.", "__v": v })),
            Some(&s.token),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    server.finish().await;
}
