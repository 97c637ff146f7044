//! Identity: who sent a request, and the routes that sign people up, in and
//! out.
//!
//! `Authorization: Bearer <token>` carries either the service token
//! (`API_TOKEN`: full access, acts as an admin) or a session token. A session
//! token is 256 random bits handed to the client once; the server stores only
//! its SHA-256 (`usersessions.sessionId`), so a leaked database does not
//! leak sessions. Sessions expire (`SESSION_TTL_HOURS`) and slide:
//! `lastActivityAt` is written at most once a minute. A user whose `role` is
//! `admin` has the service token's rights. No header: an anonymous caller.
//!
//! Sign-in failures are counted in the database (the `analyticsevents` the
//! spec's authentication success/failure rates are computed from), so a
//! lockout holds across every server instance: after 5 failures for one
//! email within 15 minutes, or 20 from one client address, attempts get 429
//! until the window passes. A wrong password and an unknown email get the
//! same answer in comparable time (an unknown email is checked against a
//! dummy hash).

use crate::body::{self, JsonBody};
use crate::error::{ApiError, Result};
use crate::handlers::{self, now};
use crate::resource::Resource;
use crate::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use bson::{doc, oid::ObjectId, Bson, DateTime};
use onelastai_models::json::{self as tree, Json as Tree};
use onelastai_models::{Collection, Date};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

/// Failed sign-ins for one email within [`WINDOW`] before it is locked.
pub const MAX_FAILURES_PER_EMAIL: u64 = 5;
/// Failed sign-ins from one client address within [`WINDOW`] before it is locked.
pub const MAX_FAILURES_PER_CLIENT: u64 = 20;
/// The lockout window.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// `lastActivityAt` is written at most this often.
const ACTIVITY_EVERY_MS: i64 = 60_000;

/// A signed-in user, as its session found it.
#[derive(Debug, Clone)]
pub struct SessionUser {
    /// The user's `_id`.
    pub oid: ObjectId,
    /// The user's app `id` (`user_...`).
    pub id: String,
    /// `user`, `admin` or `moderator`.
    pub role: String,
    /// The name shown for the user: its `name`, else its app id (never its email).
    pub display_name: String,
    /// The session's `_id`.
    pub session: ObjectId,
}

/// Who sent a request.
#[derive(Debug, Clone)]
pub enum Caller {
    /// No credentials.
    Anonymous {
        /// The client's address (for per-client limits and idempotency scopes).
        ip: String,
    },
    /// A session token.
    User(Arc<SessionUser>),
    /// The service token (`API_TOKEN`).
    Service,
}

impl Caller {
    /// The service token, or a user whose role is `admin`.
    pub fn is_admin(&self) -> bool {
        match self {
            Caller::Service => true,
            Caller::User(u) => u.role == "admin",
            Caller::Anonymous { .. } => false,
        }
    }

    /// A name for what is kept per caller (idempotency keys); never a credential.
    pub fn scope(&self) -> String {
        match self {
            Caller::Service => "service".into(),
            Caller::User(u) => format!("user:{}", u.oid),
            Caller::Anonymous { ip } => format!("anonymous:{ip}"),
        }
    }
}

/// The client's address and user agent, as the request says.
#[derive(Debug, Clone)]
pub struct Client {
    /// The address: the peer's, or the one a trusted proxy forwarded.
    pub ip: String,
    /// `User-Agent`.
    pub user_agent: Option<String>,
}

/// The client of a request: behind a trusted proxy (`TRUSTED_PROXIES`, the
/// web app on loopback by default) the last address in `X-Forwarded-For`
/// that is not itself a trusted proxy.
pub fn client(peer: Option<SocketAddr>, headers: &HeaderMap, trusted: &[IpAddr]) -> Client {
    let peer_ip = peer.map(|p| p.ip());
    let mut ip = peer_ip;
    if peer_ip.is_some_and(|p| trusted.contains(&p)) {
        if let Some(xff) = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()) {
            let forwarded = xff
                .split(',')
                .rev()
                .filter_map(|s| s.trim().parse::<IpAddr>().ok())
                .find(|a| !trusted.contains(a));
            if forwarded.is_some() {
                ip = forwarded;
            }
        }
    }
    Client {
        ip: ip
            .map(|i| i.to_string())
            .unwrap_or_else(|| "unknown".into()),
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.chars().take(512).collect()),
    }
}

/// The hex SHA-256 of `s` (what the server keeps of tokens and emails).
pub(crate) fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// The `emailHash` of the stored user `user` (what auth events and the
/// sign-in lockout name it by).
pub(crate) fn email_hash_of(user: &bson::Document) -> String {
    sha256_hex(user.get_str("email").unwrap_or_default())
}

/// Middleware: puts the [`Caller`] and the [`Client`] into the request's
/// extensions. A token that is not the service token nor a live session is
/// 401, even where no credentials are needed: a client should learn that
/// its session ended.
pub async fn authenticate(State(app): State<AppState>, mut req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let client = client(peer, req.headers(), app.trusted_proxies());
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.trim()
                .split_once(' ')
                .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
                .map(|(_, token)| token.trim().to_string())
        });
    let caller = match given {
        None => Caller::Anonymous {
            ip: client.ip.clone(),
        },
        Some(None) => return ApiError::Unauthorized.into_response(),
        Some(Some(token)) if app.token_matches(token.as_bytes()) => Caller::Service,
        Some(Some(token)) => match session_user(&app, &token).await {
            Ok(Some(user)) => Caller::User(Arc::new(user)),
            Ok(None) => return ApiError::Unauthorized.into_response(),
            Err(e) => return e.into_response(),
        },
    };
    req.extensions_mut().insert(caller);
    req.extensions_mut().insert(client);
    next.run(req).await
}

/// The user of a live session token.
async fn session_user(app: &AppState, token: &str) -> Result<Option<SessionUser>> {
    // A session token is 43 base64url characters; anything else is not one.
    if token.len() != 43 {
        return Ok(None);
    }
    let now = now()?.millis();
    let store = app.store();
    let session = store
        .find_one(
            Collection::UserSessions.name(),
            doc! { "sessionId": sha256_hex(token), "isActive": true },
            None,
        )
        .await?;
    let Some(session) = session else {
        return Ok(None);
    };
    let expires = session
        .get_datetime("expiresAt")
        .map(|d| d.timestamp_millis())
        .unwrap_or(0);
    let (Ok(session_id), Ok(user_oid)) = (
        session.get_object_id("_id"),
        session.get_object_id("userId"),
    ) else {
        return Ok(None);
    };
    if expires <= now {
        return Ok(None);
    }
    let user = store
        .find_one(
            Collection::Users.name(),
            doc! { "_id": user_oid, "isActive": { "$ne": false } },
            Some(doc! { "id": 1, "role": 1, "name": 1 }),
        )
        .await?;
    let Some(user) = user else {
        return Ok(None);
    };
    let last = session
        .get_datetime("lastActivityAt")
        .map(|d| d.timestamp_millis())
        .unwrap_or(0);
    if now - last >= ACTIVITY_EVERY_MS {
        let store = store.clone();
        tokio::spawn(async move {
            let touch = doc! { "$set": { "lastActivityAt": DateTime::from_millis(now) } };
            if let Err(e) = store
                .update_one(
                    Collection::UserSessions.name(),
                    doc! { "_id": session_id },
                    touch,
                )
                .await
            {
                tracing::debug!(error = %e, "could not record session activity");
            }
        });
    }
    let id = user.get_str("id").unwrap_or_default().to_string();
    let display_name = user
        .get_str("name")
        .ok()
        .filter(|n| !n.trim().is_empty())
        .map_or_else(|| id.clone(), str::to_string);
    Ok(Some(SessionUser {
        oid: user_oid,
        id,
        role: user.get_str("role").unwrap_or("user").to_string(),
        display_name,
        session: session_id,
    }))
}

/// `N` bytes from the operating system's random source.
pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut bytes = [0_u8; N];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

/// 256 random bits as base64url, and the SHA-256 the server keeps.
pub(crate) fn new_token() -> (String, String) {
    let token = URL_SAFE_NO_PAD.encode(random_bytes::<32>());
    let hash = sha256_hex(&token);
    (token, hash)
}

/// A new app id: `user_` and 16 random hex digits.
fn new_user_id() -> String {
    format!("user_{}", hex::encode(random_bytes::<8>()))
}

/// Device class, browser and OS from a user agent, roughly.
fn device(user_agent: &str) -> (&'static str, Option<&'static str>, Option<&'static str>) {
    let ua = user_agent.to_ascii_lowercase();
    let device = if ua.contains("ipad") || ua.contains("tablet") {
        "tablet"
    } else if ua.contains("mobile") || ua.contains("iphone") || ua.contains("android") {
        "mobile"
    } else {
        "desktop"
    };
    let browser = [
        ("edg/", "Edge"),
        ("firefox/", "Firefox"),
        ("chrome/", "Chrome"),
        ("safari/", "Safari"),
    ]
    .iter()
    .find(|(needle, _)| ua.contains(needle))
    .map(|(_, name)| *name);
    let os = [
        ("windows", "Windows"),
        ("android", "Android"),
        ("iphone", "iOS"),
        ("ipad", "iOS"),
        ("mac os", "macOS"),
        ("linux", "Linux"),
    ]
    .iter()
    .find(|(needle, _)| ua.contains(needle))
    .map(|(_, name)| *name);
    (device, browser, os)
}

/// Opens a session for `user_oid`; returns the token and when it expires.
async fn open_session(
    app: &AppState,
    user_oid: ObjectId,
    client: &Client,
) -> Result<(String, Date)> {
    let now = now()?;
    let expires = Date::from_millis(now.millis() + app.session_ttl_ms())
        .ok_or_else(|| ApiError::internal("session expiry out of range"))?;
    let (token, hash) = new_token();
    let mut session = json!({
        "userId": user_oid.to_hex(),
        "sessionId": hash,
        "ipAddress": client.ip,
        "isActive": true,
        "expiresAt": expires.to_iso_string(),
        "lastActivityAt": now.to_iso_string(),
    });
    if let Some(ua) = &client.user_agent {
        let (kind, browser, os) = device(ua);
        session["userAgent"] = json!(ua);
        session["deviceType"] = json!(kind);
        session["browser"] = json!(browser);
        session["os"] = json!(os);
    }
    let bytes = serde_json::to_vec(&session).map_err(ApiError::internal)?;
    let res = Resource::of(Collection::UserSessions);
    handlers::create_document(app, res, bytes.into(), &Caller::Service).await?;
    Ok((token, expires))
}

/// Records a sign-in attempt as an `analyticsevents` document.
pub(crate) async fn record(
    app: &AppState,
    name: &str,
    user_id: Option<&str>,
    email_hash: &str,
    client: &Client,
) {
    record_with(app, name, user_id, email_hash, client, Map::new()).await;
}

/// [`record`] with more `properties` (besides `emailHash`).
pub(crate) async fn record_with(
    app: &AppState,
    name: &str,
    user_id: Option<&str>,
    email_hash: &str,
    client: &Client,
    mut properties: Map<String, Value>,
) {
    properties.insert("emailHash".into(), json!(email_hash));
    record_event(app, AUTH_EVENTS, name, user_id, client, properties).await;
}

/// The `eventType` of sign-in events ([`record`]).
const AUTH_EVENTS: &str = "auth";
/// The `eventType` of sign-up attempts: apart from the sign-in events, which
/// the statistics and the lockout read.
const SIGN_UP_EVENTS: &str = "sign_up";

/// Stores an `analyticsevents` document of `event_type` from `client`.
async fn record_event(
    app: &AppState,
    event_type: &str,
    name: &str,
    user_id: Option<&str>,
    client: &Client,
    properties: Map<String, Value>,
) {
    let Ok(now) = now() else { return };
    let mut event = json!({
        "visitorId": format!("ip:{}", client.ip),
        "sessionId": event_type,
        "eventType": event_type,
        "eventName": name,
        "properties": {},
        "context": { "ipAddress": client.ip },
        "timestamp": now.to_iso_string(),
    });
    if let Some(id) = user_id {
        event["userId"] = json!(id);
    }
    for (k, v) in properties {
        event["properties"][k] = v;
    }
    if let Some(ua) = &client.user_agent {
        event["context"]["userAgent"] = json!(ua);
    }
    let Ok(bytes) = serde_json::to_vec(&event) else {
        return;
    };
    let res = Resource::of(Collection::AnalyticsEvents);
    if let Err(e) = handlers::create_document(app, res, bytes.into(), &Caller::Service).await {
        tracing::warn!(error = %e, event = name, "could not record an {event_type} event");
    }
}

/// The events that count toward the sign-in lockout: wrong passwords and
/// wrong two-factor codes.
const FAILURES: &[&str] = &["sign_in_failed", "two_factor_failed"];

/// 429 when the email or the client address failed too often lately.
pub(crate) async fn check_lockout(app: &AppState, email_hash: &str, client: &Client) -> Result<()> {
    check_limit(app, FAILURES, email_hash, client).await
}

/// 429 when the email or the client address has, within [`WINDOW`], as many
/// auth events named `events` as the sign-in limits allow
/// ([`MAX_FAILURES_PER_EMAIL`], [`MAX_FAILURES_PER_CLIENT`]).
pub(crate) async fn check_limit(
    app: &AppState,
    events: &[&str],
    email_hash: &str,
    client: &Client,
) -> Result<()> {
    for (filter, limit) in [
        (
            doc! { "properties.emailHash": email_hash },
            MAX_FAILURES_PER_EMAIL,
        ),
        (
            doc! { "context.ipAddress": &client.ip },
            MAX_FAILURES_PER_CLIENT,
        ),
    ] {
        if let Some(retry_after) = reached(app, AUTH_EVENTS, events, filter, limit).await? {
            return Err(ApiError::TooManyAttempts { retry_after });
        }
    }
    Ok(())
}

/// 429 `too_many_sign_ups` when the client address tried
/// `SIGN_UPS_PER_CLIENT` sign-ups within [`WINDOW`]: each costs a password
/// hash and may store a user, so one address may not make them without end.
async fn check_sign_up_limit(app: &AppState, client: &Client) -> Result<()> {
    let filter = doc! { "context.ipAddress": &client.ip };
    let limit = app.sign_ups_per_client();
    match reached(app, SIGN_UP_EVENTS, &[SIGN_UP_ATTEMPT], filter, limit).await? {
        Some(retry_after) => Err(ApiError::TooManySignUps { retry_after }),
        None => Ok(()),
    }
}

/// The auth event every sign-up attempt records (counted by
/// [`check_sign_up_limit`]).
const SIGN_UP_ATTEMPT: &str = "sign_up_attempted";

/// Whether the events of `event_type` named `events` matching `filter`
/// number `limit` within [`WINDOW`]: if so, the seconds until the oldest of
/// the last `limit` leaves it.
async fn reached(
    app: &AppState,
    event_type: &str,
    events: &[&str],
    filter: bson::Document,
    limit: u64,
) -> Result<Option<u64>> {
    let now = now()?.millis();
    let window_ms = i64::try_from(WINDOW.as_millis()).unwrap_or(i64::MAX);
    let since = DateTime::from_millis(now - window_ms);
    let mut f = doc! {
        "eventType": event_type,
        "eventName": { "$in": events },
        "timestamp": { "$gte": since },
    };
    f.extend(filter);
    let recent = app
        .store()
        .find(
            Collection::AnalyticsEvents.name(),
            f,
            doc! { "timestamp": -1 },
            i64::try_from(limit).unwrap_or(i64::MAX),
            Some(doc! { "timestamp": 1 }),
        )
        .await?;
    if (recent.len() as u64) < limit {
        return Ok(None);
    }
    let oldest = recent
        .last()
        .and_then(|d| d.get_datetime("timestamp").ok())
        .map_or(now, |d| d.timestamp_millis());
    let left_ms = (oldest + window_ms - now).max(1000);
    Ok(Some(u64::try_from((left_ms + 999) / 1000).unwrap_or(1)))
}

pub(crate) fn string_field(body: &Map<String, Value>, name: &str) -> Result<String> {
    match body.get(name) {
        Some(Value::String(s)) => Ok(s.clone()),
        _ => Err(ApiError::bad_request(
            "invalid_body",
            format!("`{name}` is required and must be a string"),
        )),
    }
}

/// Parses a small JSON object body on the workers.
pub(crate) async fn small_object(app: &AppState, body: JsonBody) -> Result<Map<String, Value>> {
    let JsonBody(bytes) = body;
    app.cpu()
        .run(move || {
            let input = body::parse_object(&bytes)?;
            Ok(tree::object_to_map(&input))
        })
        .await?
}

/// The answer of a successful sign-up or sign-in.
pub(crate) async fn signed_in(
    app: &AppState,
    user_oid: ObjectId,
    client: &Client,
    status: StatusCode,
) -> Result<Response> {
    let (token, expires) = open_session(app, user_oid, client).await?;
    let res = Resource::of(Collection::Users);
    let user = app
        .store()
        .find_by_id(
            Collection::Users.name(),
            user_oid,
            handlers::projection(&res),
        )
        .await?
        .ok_or_else(|| ApiError::internal("the signed-in user vanished"))?;
    let body = json!({
        "token": token,
        "expiresAt": expires.to_iso_string(),
        "user": res.present(crate::codec::to_json(&user), now()?),
    });
    Ok((status, Json(body)).into_response())
}

/// The answer of a completed sign-in (password, or its two-factor step):
/// the user's `lastLoginAt` set to now, then `200` as [`signed_in`].
pub(crate) async fn signed_in_now(
    app: &AppState,
    user_oid: ObjectId,
    client: &Client,
) -> Result<Response> {
    let touch = doc! { "$set": { "lastLoginAt": DateTime::from_millis(now()?.millis()) } };
    app.store()
        .update_one(Collection::Users.name(), doc! { "_id": user_oid }, touch)
        .await?;
    signed_in(app, user_oid, client, StatusCode::OK).await
}

/// `POST /api/auth/sign-up {email, password, name?, ...profile}`: a new user
/// (the server sets `id`, `role: "user"`, `emailVerified: false`,
/// `isActive: true`), signed in: `201 {token, expiresAt, user}`. With
/// `authMethod: "passwordless"` and no password: the account is made and a
/// sign-in link mailed to it, `202 {message}` (not signed in until the link
/// is used).
pub async fn sign_up(
    State(app): State<AppState>,
    Extension(client): Extension<Client>,
    body: std::result::Result<JsonBody, ApiError>,
) -> Result<Response> {
    let JsonBody(bytes) = body?;
    app.require_indexes()?;
    check_sign_up_limit(&app, &client).await?;
    // Every attempt counts, not only the accounts made: a refused one (a
    // taken email) costs a password hash too.
    record_event(
        &app,
        SIGN_UP_EVENTS,
        SIGN_UP_ATTEMPT,
        None,
        &client,
        Map::new(),
    )
    .await;
    let res = Resource::of(Collection::Users);
    let input = app
        .cpu()
        .run(move || -> Result<(Vec<u8>, Option<String>)> {
            let mut input = body::parse_object(&bytes)?;
            let anonymous = Caller::Anonymous { ip: String::new() };
            let mut refused = crate::policy::protected_sent(&anonymous, &res, &input, None);
            // The one protected field sign-up takes is the password.
            refused.retain(|p| p != "password");
            if !refused.is_empty() {
                return Err(ApiError::ForbiddenFields(refused));
            }
            // A password account needs its password here (a stored user
            // without one could never sign in); a passwordless account has
            // none and signs in by the links mailed to it.
            let has_password =
                matches!(tree::get(&input, "password"), Some(Tree::String(p)) if !p.is_empty());
            let passwordless = matches!(
                tree::get(&input, "authMethod"),
                Some(Tree::String(m)) if m == "passwordless"
            );
            let link_to = match tree::get(&input, "email") {
                Some(Tree::String(e)) if passwordless => Some(e.trim().to_lowercase()),
                _ => None,
            };
            if passwordless && tree::get(&input, "password").is_some() {
                return Err(ApiError::bad_request(
                    "password_not_allowed",
                    "a passwordless account signs in by links mailed to it: send no password",
                ));
            }
            if !has_password && !passwordless {
                return Err(ApiError::Validation {
                    collection: Collection::Users,
                    errors: vec![onelastai_models::FieldError::new(
                        "password",
                        onelastai_models::ErrorKind::Required,
                        "Path `password` is required.".into(),
                        None,
                    )],
                    truncated: false,
                });
            }
            input.retain(|(k, _)| {
                !matches!(k.as_ref(), "_id" | "id" | "__v" | "createdAt" | "updatedAt")
            });
            for (k, v) in [
                ("id", Tree::String(Cow::Owned(new_user_id()))),
                ("role", Tree::String(Cow::Borrowed("user"))),
                ("emailVerified", Tree::Bool(false)),
                ("isActive", Tree::Bool(true)),
            ] {
                input.push((Cow::Borrowed(k), v));
            }
            Ok((Tree::Object(input).to_text().into_bytes(), link_to))
        })
        .await??;
    let (input, link_to) = input;
    let created = handlers::create_document(&app, res, input.into(), &Caller::Service).await?;
    if let Some(email) = link_to {
        // Not signed in yet: the first sign-in link proves the address.
        crate::links::mail_sign_in_link(&app, email);
        return Ok((
            StatusCode::ACCEPTED,
            Json(json!({
                "message": "Account created: a sign-in link is on its way to that address."
            })),
        )
            .into_response());
    }
    let oid = created
        .id
        .parse::<ObjectId>()
        .map_err(|_| ApiError::internal("created user without an ObjectId"))?;
    signed_in(&app, oid, &client, StatusCode::CREATED).await
}

/// `POST /api/auth/sign-in {email, password}`: `200 {token, expiresAt, user}`,
/// `401 invalid_credentials`, or `429 too_many_attempts`.
pub async fn sign_in(
    State(app): State<AppState>,
    Extension(client): Extension<Client>,
    body: std::result::Result<JsonBody, ApiError>,
) -> Result<Response> {
    let body = small_object(&app, body?).await?;
    let email = string_field(&body, "email")?.trim().to_lowercase();
    let password = string_field(&body, "password")?;
    let email_hash = sha256_hex(&email);
    if let Err(locked) = check_lockout(&app, &email_hash, &client).await {
        if matches!(locked, ApiError::TooManyAttempts { .. }) {
            record(&app, "sign_in_locked", None, &email_hash, &client).await;
        }
        return Err(locked);
    }
    let user = app
        .store()
        .find_one(
            Collection::Users.name(),
            doc! { "email": &email },
            Some(doc! { "_id": 1, "id": 1, "password": 1, "isActive": 1, "twoFactorEnabled": 1 }),
        )
        .await?;
    let active = user
        .as_ref()
        .is_some_and(|u| u.get_bool("isActive").unwrap_or(true));
    let hash = user
        .as_ref()
        .filter(|_| active)
        .and_then(|u| u.get_str("password").ok())
        .map(str::to_string);
    // Unknown email, inactive or passwordless account: the same work, the same answer.
    let matches = app.hasher().verify(password, hash).await?;
    let user_id = user.as_ref().and_then(|u| u.get_str("id").ok());
    let oid = user.as_ref().and_then(|u| u.get_object_id("_id").ok());
    match (matches, oid) {
        (true, Some(oid)) => {
            let two_factor = user
                .as_ref()
                .is_some_and(|u| u.get_bool("twoFactorEnabled").unwrap_or(false));
            if two_factor {
                // The password was right; the second step completes the sign-in.
                return crate::twofactor::challenge(&app, oid, &email_hash);
            }
            record(&app, "sign_in_succeeded", user_id, &email_hash, &client).await;
            signed_in_now(&app, oid, &client).await
        }
        _ => {
            record(&app, "sign_in_failed", user_id, &email_hash, &client).await;
            Err(ApiError::InvalidCredentials)
        }
    }
}

pub(crate) fn session_of(caller: &Caller) -> Result<&SessionUser> {
    match caller {
        Caller::User(u) => Ok(u),
        _ => Err(ApiError::Unauthorized),
    }
}

/// `POST /api/auth/sign-out`: the session ends; its token is refused from then on.
pub async fn sign_out(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<StatusCode> {
    let user = session_of(&caller)?;
    app.store()
        .update_one(
            Collection::UserSessions.name(),
            doc! { "_id": user.session },
            doc! { "$set": { "isActive": false } },
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/auth/sign-out-everywhere`: every session of the caller ends,
/// this one included (204).
pub async fn sign_out_everywhere(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<StatusCode> {
    let user = session_of(&caller)?;
    end_sessions(&app, user.oid, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ends every active session of `user`, except `keep`.
pub(crate) async fn end_sessions(
    app: &AppState,
    user: ObjectId,
    keep: Option<ObjectId>,
) -> Result<u64> {
    let mut filter = doc! { "userId": user, "isActive": true };
    if let Some(keep) = keep {
        filter.insert("_id", doc! { "$ne": keep });
    }
    Ok(app
        .store()
        .update_many(
            Collection::UserSessions.name(),
            filter,
            doc! { "$set": { "isActive": false } },
        )
        .await?)
}

/// `422` unless `password` meets the users rules for the stored user's
/// auth method (checked on the plain password, before it is hashed).
pub(crate) fn check_new_password(stored: &bson::Document, password: &str) -> Result<()> {
    let context = json!({ "authMethod": stored.get_str("authMethod").unwrap_or("password") });
    let errors = Collection::Users
        .validate_path("password", &json!(password), Some(&context), now()?)
        .map_err(ApiError::internal)?;
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation {
            collection: Collection::Users,
            errors,
            truncated: false,
        })
    }
}

/// A stored user's `__v`.
fn version_of(doc: &bson::Document) -> i64 {
    match doc.get("__v") {
        Some(Bson::Int32(n)) => i64::from(*n),
        Some(Bson::Int64(n)) => *n,
        _ => 0,
    }
}

/// Sets and unsets server-owned fields of the stored user `stored`: the
/// whole resulting document is validated by the users model first (the
/// spec's rules, the two-factor backup-code rule included), then written
/// with `updatedAt` and `__v + 1`, only if the user is still at the version
/// read. `Ok(false)`: it changed meanwhile and nothing was written (a
/// single-use token or code used twice at once is used once).
pub(crate) async fn write_user(
    app: &AppState,
    stored: &bson::Document,
    set: bson::Document,
    unset: &[&str],
) -> Result<bool> {
    let oid = stored
        .get_object_id("_id")
        .map_err(|_| ApiError::internal("a user without an ObjectId"))?;
    let now = now()?;
    let mut merged = crate::codec::to_json(stored);
    merged.extend(crate::codec::to_json(&set));
    for k in unset {
        merged.remove(*k);
    }
    let checked = app
        .cpu()
        .run(move || Collection::Users.validate(&Value::Object(merged), now))
        .await?;
    if let Err(errors) = checked {
        return Err(ApiError::Validation {
            collection: Collection::Users,
            errors,
            truncated: false,
        });
    }
    let version = version_of(stored);
    let next = version + 1;
    let mut set = set;
    set.insert("updatedAt", DateTime::from_millis(now.millis()));
    set.insert(
        "__v",
        i32::try_from(next).map_or(Bson::Int64(next), Bson::Int32),
    );
    let mut update = doc! { "$set": set };
    if !unset.is_empty() {
        let fields: bson::Document = unset
            .iter()
            .map(|k| ((*k).to_string(), Bson::String(String::new())))
            .collect();
        update.insert("$unset", fields);
    }
    let mut filter = doc! { "_id": oid };
    match stored.get("__v") {
        Some(v) => filter.insert("__v", v.clone()),
        None => filter.insert("__v", doc! { "$exists": false }),
    };
    Ok(app
        .store()
        .update_one(Collection::Users.name(), filter, update)
        .await?)
}

/// `GET /api/auth/me`: `{user}` of the session (`{user: null, service: true}`
/// for the service token).
pub async fn me(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Value>> {
    if matches!(caller, Caller::Service) {
        return Ok(Json(json!({ "user": null, "service": true })));
    }
    let user = session_of(&caller)?;
    let res = Resource::of(Collection::Users);
    let doc = app
        .store()
        .find_by_id(
            Collection::Users.name(),
            user.oid,
            handlers::projection(&res),
        )
        .await?
        .ok_or(ApiError::Unauthorized)?;
    Ok(Json(
        json!({ "user": res.present(crate::codec::to_json(&doc), now()?) }),
    ))
}

/// `POST /api/auth/password {current, new}`: changes the caller's password
/// (the current one is required); the caller's other sessions end. 204.
pub async fn change_password(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: std::result::Result<JsonBody, ApiError>,
) -> Result<StatusCode> {
    let user = session_of(&caller)?.clone();
    let body = small_object(&app, body?).await?;
    let current = string_field(&body, "current")?;
    let new = string_field(&body, "new")?;
    let stored = app
        .store()
        .find_by_id(Collection::Users.name(), user.oid, None)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let hash = stored.get_str("password").ok().map(str::to_string);
    if !app.hasher().verify(current, hash).await? {
        return Err(ApiError::InvalidCredentials);
    }
    check_new_password(&stored, &new)?;
    let new_hash = app.hasher().hash(new).await?;
    let now = now()?;
    let version = stored.get("__v").cloned().unwrap_or(Bson::Int32(0));
    let next_version = match version {
        Bson::Int32(n) => Bson::Int32(n + 1),
        Bson::Int64(n) => Bson::Int64(n + 1),
        _ => Bson::Int32(1),
    };
    app.store()
        .update_one(
            Collection::Users.name(),
            doc! { "_id": user.oid },
            doc! { "$set": {
                "password": new_hash,
                "updatedAt": DateTime::from_millis(now.millis()),
                "__v": next_version,
            } },
        )
        .await?;
    app.store()
        .update_many(
            Collection::UserSessions.name(),
            doc! { "userId": user.oid, "_id": { "$ne": user.session } },
            doc! { "$set": { "isActive": false } },
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `onelastai-server create-admin --email <email>`: makes the user with this
/// email an admin, or creates one with the password read from the first
/// line of standard input. Returns what it did, for people.
pub async fn create_admin(app: &AppState, email: &str, password: Option<String>) -> Result<String> {
    let email = email.trim().to_lowercase();
    let existing = app
        .store()
        .find_one(Collection::Users.name(), doc! { "email": &email }, None)
        .await?;
    if let Some(user) = existing {
        let oid = user
            .get_object_id("_id")
            .map_err(|_| ApiError::internal("a user without an ObjectId"))?;
        app.store()
            .update_one(
                Collection::Users.name(),
                doc! { "_id": oid },
                doc! { "$set": { "role": "admin" } },
            )
            .await?;
        return Ok(format!("{email} is now an admin"));
    }
    let Some(password) = password else {
        return Err(ApiError::bad_request(
            "password_required",
            "no user has this email; give the new admin's password on standard input",
        ));
    };
    let user = json!({
        "id": new_user_id(),
        "email": email,
        "password": password,
        "role": "admin",
        "emailVerified": true,
        "isActive": true,
    });
    let bytes = serde_json::to_vec(&user).map_err(ApiError::internal)?;
    let created = handlers::create_document(
        app,
        Resource::of(Collection::Users),
        bytes.into(),
        &Caller::Service,
    )
    .await?;
    Ok(format!("created admin {email} ({})", created.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bits_and_stored_as_their_hash() {
        let (token, hash) = new_token();
        assert_eq!(token.len(), 43);
        assert_eq!(
            URL_SAFE_NO_PAD.decode(&token).map(|b| b.len()).ok(),
            Some(32)
        );
        assert_eq!(hash, sha256_hex(&token));
        assert_ne!(new_token().0, token);
    }

    #[test]
    fn a_trusted_proxy_forwards_the_client_address() {
        let trusted: Vec<IpAddr> =
            vec!["127.0.0.1".parse().unwrap_or(IpAddr::from([127, 0, 0, 1]))];
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            "203.0.113.9, 127.0.0.1"
                .parse()
                .unwrap_or(header::HeaderValue::from_static("")),
        );
        let local = SocketAddr::from(([127, 0, 0, 1], 5000));
        assert_eq!(client(Some(local), &h, &trusted).ip, "203.0.113.9");
        let remote = SocketAddr::from(([198, 51, 100, 7], 5000));
        assert_eq!(client(Some(remote), &h, &trusted).ip, "198.51.100.7");
    }

    #[test]
    fn user_agents_give_a_device_class() {
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1";
        assert_eq!(device(iphone), ("mobile", Some("Safari"), Some("iOS")));
        let chrome =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36";
        assert_eq!(device(chrome), ("desktop", Some("Chrome"), Some("Linux")));
    }
}
