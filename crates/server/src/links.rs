//! Links by email: password reset and passwordless sign-in.
//!
//! Both requests answer `202` with the same body whatever the email is
//! (known, unknown, inactive, the other kind of account), and do the lookup,
//! the write and the mail after answering, so neither the answer nor its
//! timing tells whether an account exists. Both are limited like sign-in
//! (5 requests per email, 20 per client address, per 15 minutes: 429 for
//! every email alike).
//!
//! A link carries 256 random bits; the user document keeps only their
//! SHA-256 (`resetPasswordToken`) and an expiry (`resetPasswordExpires`):
//! 1 hour for a password reset, 15 minutes for a sign-in link. The two
//! kinds never mix: a reset is only made for and accepted from a password
//! account, a sign-in link only for a `passwordless` one. A link works
//! once: using it removes the token (a write conditional on the version
//! read, so two uses at once succeed once).

use crate::auth::{self, Client};
use crate::body::JsonBody;
use crate::error::{ApiError, Result};
use crate::handlers::now;
use crate::mailer::Mail;
use crate::{AppState, Caller};
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use bson::{doc, DateTime, Document};
use onelastai_models::Collection;
use serde_json::json;
use std::collections::HashMap;

/// How long a password-reset link works.
pub const RESET_TTL_MS: i64 = 60 * 60_000;
/// How long a sign-in link works.
pub const MAGIC_LINK_TTL_MS: i64 = 15 * 60_000;

/// Which link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Reset,
    SignIn,
}

impl Kind {
    fn event(self) -> &'static str {
        match self {
            Kind::Reset => "password_reset_requested",
            Kind::SignIn => "magic_link_requested",
        }
    }

    fn ttl_ms(self) -> i64 {
        match self {
            Kind::Reset => RESET_TTL_MS,
            Kind::SignIn => MAGIC_LINK_TTL_MS,
        }
    }

    /// The accounts this kind of link is for.
    fn accounts(self) -> Document {
        match self {
            Kind::Reset => doc! { "authMethod": { "$ne": "passwordless" } },
            Kind::SignIn => doc! { "authMethod": "passwordless" },
        }
    }

    fn mail(self, app_url: &str, token: &str, to: &str) -> Mail {
        match self {
            Kind::Reset => Mail {
                to: to.to_string(),
                subject: "Reset your OneLastAI password".into(),
                text: format!(
                    "Someone (we hope you) asked to reset the password of this account.\n\n\
                     Choose a new password here (the link works once, for 1 hour):\n\
                     {app_url}/reset-password?token={token}\n\n\
                     If it was not you, ignore this message: your password stays as it is.\n"
                ),
            },
            Kind::SignIn => Mail {
                to: to.to_string(),
                subject: "Your OneLastAI sign-in link".into(),
                text: format!(
                    "Sign in to OneLastAI with this link (it works once, for 15 minutes):\n\
                     {app_url}/magic-link?token={token}\n\n\
                     If you did not ask for it, ignore this message.\n"
                ),
            },
        }
    }
}

/// The answer to every link request.
fn accepted() -> Response {
    (
        StatusCode::ACCEPTED,
        Json(json!({
            "message": "If an account can use it, a link is on its way to that address."
        })),
    )
        .into_response()
}

async fn request_link(
    app: AppState,
    client: Client,
    body: std::result::Result<JsonBody, ApiError>,
    kind: Kind,
) -> Result<Response> {
    let body = auth::small_object(&app, body?).await?;
    let email = auth::string_field(&body, "email")?.trim().to_lowercase();
    let email_hash = auth::sha256_hex(&email);
    auth::check_limit(&app, &[kind.event()], &email_hash, &client).await?;
    auth::record(&app, kind.event(), None, &email_hash, &client).await;
    // After the answer: the lookup, the write and the mail take time only
    // for real accounts, and nobody waits for them.
    spawn_link(app, email, kind);
    Ok(accepted())
}

/// Mails a sign-in link to the passwordless account `email` (after its
/// sign-up), in the background.
pub(crate) fn mail_sign_in_link(app: &AppState, email: String) {
    spawn_link(app.clone(), email, Kind::SignIn);
}

/// [`send_link`] in the background (a failure is logged).
fn spawn_link(app: AppState, email: String, kind: Kind) {
    tokio::spawn(async move {
        if let Err(e) = send_link(&app, &email, kind).await {
            tracing::warn!(error = %e, kind = ?kind, "could not send a link");
        }
    });
}

async fn send_link(app: &AppState, email: &str, kind: Kind) -> Result<()> {
    let mut filter = doc! { "email": email, "isActive": { "$ne": false } };
    filter.extend(kind.accounts());
    let Some(user) = app
        .store()
        .find_one(Collection::Users.name(), filter, None)
        .await?
    else {
        return Ok(());
    };
    let (token, hash) = auth::new_token();
    let expires = now()?.millis() + kind.ttl_ms();
    let set = doc! {
        "resetPasswordToken": hash,
        "resetPasswordExpires": DateTime::from_millis(expires),
    };
    if !auth::write_user(app, &user, set, &[]).await? {
        return Err(ApiError::internal("the user changed while a link was made"));
    }
    app.mailer()
        .send(kind.mail(app.app_url(), &token, email))
        .await
        .map_err(ApiError::internal)
}

/// `400 invalid_token`: unknown, used and expired links alike.
fn invalid_token() -> ApiError {
    ApiError::bad_request(
        "invalid_token",
        "this link has expired or was already used; ask for a new one",
    )
}

/// The user holding a live link token of `kind`; used or expired links are
/// refused alike (`400 invalid_token`).
async fn redeem(app: &AppState, token: &str, kind: Kind) -> Result<Document> {
    let invalid = invalid_token;
    let token = token.trim();
    if token.len() != 43 {
        return Err(invalid());
    }
    let mut filter = doc! {
        "resetPasswordToken": auth::sha256_hex(token),
        "isActive": { "$ne": false },
    };
    filter.extend(kind.accounts());
    let user = app
        .store()
        .find_one(Collection::Users.name(), filter, None)
        .await?
        .ok_or_else(invalid)?;
    let expires = user
        .get_datetime("resetPasswordExpires")
        .map(|d| d.timestamp_millis())
        .unwrap_or(0);
    if expires <= now()?.millis() {
        return Err(invalid());
    }
    Ok(user)
}

/// Writes `set` and removes the link's token from `user` (read by
/// [`redeem`]); `400 invalid_token` when the user changed since it was read
/// (the same link used twice at once works once). Returns the user's `_id`.
async fn use_up(app: &AppState, user: &Document, set: Document) -> Result<bson::oid::ObjectId> {
    let oid = user
        .get_object_id("_id")
        .map_err(|_| ApiError::internal("a user without an ObjectId"))?;
    if auth::write_user(
        app,
        user,
        set,
        &["resetPasswordToken", "resetPasswordExpires"],
    )
    .await?
    {
        Ok(oid)
    } else {
        Err(invalid_token())
    }
}

/// `POST /api/auth/password-reset {email}`: `202` always; a password
/// account gets a link.
pub async fn password_reset(
    State(app): State<AppState>,
    Extension(client): Extension<Client>,
    body: std::result::Result<JsonBody, ApiError>,
) -> Result<Response> {
    request_link(app, client, body, Kind::Reset).await
}

/// `POST /api/auth/password-reset/confirm {token, password}`: sets the
/// password (the users rules), removes the token and ends every session of
/// the user (204). `400 invalid_token`, `422` for a password the rules refuse.
pub async fn password_reset_confirm(
    State(app): State<AppState>,
    Extension(client): Extension<Client>,
    body: std::result::Result<JsonBody, ApiError>,
) -> Result<StatusCode> {
    let body = auth::small_object(&app, body?).await?;
    let token = auth::string_field(&body, "token")?;
    let password = auth::string_field(&body, "password")?;
    let user = redeem(&app, &token, Kind::Reset).await?;
    auth::check_new_password(&user, &password)?;
    let hash = app.hasher().hash(password).await?;
    let oid = use_up(&app, &user, doc! { "password": hash }).await?;
    auth::end_sessions(&app, oid, None).await?;
    let email_hash = auth::email_hash_of(&user);
    auth::record(
        &app,
        "password_reset_completed",
        user.get_str("id").ok(),
        &email_hash,
        &client,
    )
    .await;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/auth/magic-link {email}`: `202` always; a passwordless
/// account gets a sign-in link.
pub async fn magic_link(
    State(app): State<AppState>,
    Extension(client): Extension<Client>,
    body: std::result::Result<JsonBody, ApiError>,
) -> Result<Response> {
    request_link(app, client, body, Kind::SignIn).await
}

/// `POST /api/auth/magic-link/confirm {token}`: the link is used up and the
/// person signed in (`200 {token, expiresAt, user}`, or the two-factor
/// challenge); the email counts as verified. `400 invalid_token`.
pub async fn magic_link_confirm(
    State(app): State<AppState>,
    Extension(client): Extension<Client>,
    body: std::result::Result<JsonBody, ApiError>,
) -> Result<Response> {
    let body = auth::small_object(&app, body?).await?;
    let token = auth::string_field(&body, "token")?;
    let user = redeem(&app, &token, Kind::SignIn).await?;
    let email_hash = auth::email_hash_of(&user);
    auth::check_lockout(&app, &email_hash, &client).await?;
    let set = doc! {
        "emailVerified": true,
        "lastLoginAt": DateTime::from_millis(now()?.millis()),
    };
    let oid = use_up(&app, &user, set).await?;
    if user.get_bool("twoFactorEnabled").unwrap_or(false) {
        return crate::twofactor::challenge(&app, oid, &email_hash);
    }
    auth::record(
        &app,
        "sign_in_succeeded",
        user.get_str("id").ok(),
        &email_hash,
        &client,
    )
    .await;
    auth::signed_in(&app, oid, &client, StatusCode::OK).await
}

/// `GET /api/dev/outbox[?to=<email>&limit=<n>]`: the development outbox,
/// newest first (service token or an admin). 404 where mail goes by SMTP,
/// which production always does.
pub async fn dev_outbox(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response> {
    let Some(dir) = app.mailer().outbox().map(std::path::Path::to_path_buf) else {
        return Err(ApiError::NotFound("no such route".into()));
    };
    crate::policy::admin_only(&caller, "the outbox is for administrators")?;
    let to = query.get("to").cloned();
    let limit = query
        .get("limit")
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(50)
        .clamp(1, 500);
    let messages =
        tokio::task::spawn_blocking(move || crate::mailer::read_outbox(&dir, to.as_deref(), limit))
            .await
            .map_err(ApiError::internal)?
            .map_err(ApiError::internal)?;
    let mut response = Json(json!({
        "development": "DEVELOPMENT OUTBOX: mail is written here instead of being sent; this route does not exist in production (APP_ENV=production needs SMTP)",
        "messages": messages,
    }))
    .into_response();
    response
        .headers_mut()
        .insert("x-development-only", HeaderValue::from_static("outbox"));
    Ok(response)
}
