//! # onelastai-server
//!
//! The product's HTTP API over MongoDB. One generic set of handlers serves
//! the 17 collections of the models crate under `/api/<route>`; every write
//! goes through the crate's validation, so the server accepts exactly what
//! the browser accepts and rejects it with the same field errors.
//!
//! [`app`] builds the router (tests drive it over a real socket), [`build`]
//! connects and ensures the indexes, [`serve`] runs it until shutdown.

#![warn(missing_docs)]

pub mod account;
pub mod auth;
pub mod body;
pub mod codec;
pub mod config;
pub mod connections;
pub mod error;
pub mod handlers;
pub mod idempotency;
pub mod indexes;
pub mod keyring;
pub mod links;
pub mod mailer;
pub mod openapi;
pub mod password;
pub mod policy;
pub mod query;
pub mod resource;
pub mod stats;
pub mod store;
pub mod twofactor;
pub mod work;

pub use auth::Caller;
pub use config::{Config, LogFormat};
pub use error::{ApiError, Result};
pub use openapi::{Endpoint, Op, Routes};
pub use store::Store;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderName, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use onelastai_models::Collection;
use password::PasswordHasher;
use serde_json::json;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use subtle::ConstantTimeEq;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_http::LatencyUnit;

/// How long to wait between index creation attempts while the database is down.
const INDEX_RETRY: Duration = Duration::from_secs(2);

/// What every handler shares.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

struct Shared {
    store: Store,
    token: Vec<u8>,
    body_limit: usize,
    request_timeout: Duration,
    hasher: PasswordHasher,
    cpu: work::Pool,
    session_ttl: Duration,
    sign_ups_per_client: u64,
    trusted_proxies: Vec<std::net::IpAddr>,
    indexes_ready: AtomicBool,
    /// The account flows' settings (auth.rs, twofactor.rs, links.rs).
    account: AccountSettings,
}

/// What the account-security flows need: the mailer, the key ring, links' base.
struct AccountSettings {
    mailer: mailer::Mailer,
    totp_keys: Option<keyring::KeyRing>,
    app_url: String,
}

/// Validation jobs waiting for a worker at most, per core; past it `503 busy`.
const CPU_QUEUE_PER_CORE: usize = 64;

impl AppState {
    /// State over a store, with the token and limits of `config`.
    pub fn new(store: Store, config: &Config) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self(Arc::new(Shared {
            store,
            token: config.api_token.as_bytes().to_vec(),
            body_limit: config.body_limit,
            request_timeout: config.request_timeout,
            hasher: PasswordHasher::default(),
            cpu: work::Pool::new("validation", cores, cores * CPU_QUEUE_PER_CORE),
            session_ttl: config.session_ttl,
            sign_ups_per_client: config.sign_ups_per_client,
            trusted_proxies: config.trusted_proxies.clone(),
            indexes_ready: AtomicBool::new(false),
            account: AccountSettings {
                mailer: mailer::Mailer::new(&config.mail),
                totp_keys: config.totp_keys.clone(),
                app_url: config.app_url.clone(),
            },
        }))
    }

    /// Where mail goes.
    pub fn mailer(&self) -> &mailer::Mailer {
        &self.0.account.mailer
    }

    /// The keys of two-factor secrets, when configured.
    pub fn totp_keys(&self) -> Option<&keyring::KeyRing> {
        self.0.account.totp_keys.as_ref()
    }

    /// The web app's address, for links in mail.
    pub fn app_url(&self) -> &str {
        &self.0.account.app_url
    }

    /// The deadline of a whole request.
    pub fn request_timeout(&self) -> Duration {
        self.0.request_timeout
    }

    /// Accounts one client address may make per [`auth::WINDOW`].
    pub fn sign_ups_per_client(&self) -> u64 {
        self.0.sign_ups_per_client
    }

    /// How long a session lives, in milliseconds.
    pub fn session_ttl_ms(&self) -> i64 {
        i64::try_from(self.0.session_ttl.as_millis()).unwrap_or(i64::MAX)
    }

    /// Proxies whose `X-Forwarded-For` is believed.
    pub fn trusted_proxies(&self) -> &[std::net::IpAddr] {
        &self.0.trusted_proxies
    }

    /// The workers for parsing, validation and BSON conversion.
    pub fn cpu(&self) -> &work::Pool {
        &self.0.cpu
    }

    /// The database.
    pub fn store(&self) -> &Store {
        &self.0.store
    }

    /// Largest accepted body, in bytes.
    pub fn body_limit(&self) -> usize {
        self.0.body_limit
    }

    /// The password hasher.
    pub fn hasher(&self) -> &PasswordHasher {
        &self.0.hasher
    }

    /// Whether the declared indexes have been ensured.
    pub fn indexes_ready(&self) -> bool {
        self.0.indexes_ready.load(Ordering::Acquire)
    }

    /// Writes wait for the indexes: a unique index created late could not
    /// undo the duplicates written before it.
    pub fn require_indexes(&self) -> Result<()> {
        if self.indexes_ready() {
            Ok(())
        } else {
            Err(ApiError::Unavailable)
        }
    }

    /// Whether `given` is the service token (constant time).
    pub fn token_matches(&self, given: &[u8]) -> bool {
        given.ct_eq(&self.0.token).into()
    }

    /// One index pass; on success marks the state ready.
    pub async fn ensure_indexes(&self) -> std::result::Result<(), store::StoreError> {
        let report = indexes::ensure_indexes(self.store()).await?;
        if report.problems.is_empty() {
            tracing::info!(ensured = report.ensured, "indexes ensured");
        } else {
            tracing::warn!(
                ensured = report.ensured,
                problems = report.problems.len(),
                "indexes ensured, some could not be created: {}",
                report.problems.join("; ")
            );
        }
        self.0.indexes_ready.store(true, Ordering::Release);
        Ok(())
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The database settings are unusable.
    #[error("{0}")]
    Store(#[from] store::StoreError),
    /// The listen address could not be bound, or serving failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Connects, ensures the indexes (or keeps retrying in the background while
/// the database is unreachable) and returns the state to serve.
pub async fn build(config: &Config) -> std::result::Result<AppState, StartError> {
    let store = Store::connect(
        &config.mongodb_uri,
        config.database.as_deref(),
        config.db_timeout,
    )
    .await?;
    let state = AppState::new(store, config);
    if let Err(e) = state.ensure_indexes().await {
        tracing::warn!(error = %e, "database not reachable at start; index creation retries in the background, writes get 503 until then");
        let retry = state.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(INDEX_RETRY).await;
                match retry.ensure_indexes().await {
                    Ok(()) => break,
                    Err(e) => tracing::warn!(error = %e, "index creation retry failed"),
                }
            }
        });
    }
    Ok(state)
}

/// Builds, binds and serves until `shutdown` completes.
pub async fn serve(
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::result::Result<(), StartError> {
    let state = build(&config).await?;
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let limits = fit_open_files(config.connections);
    tracing::info!(
        addr = %listener.local_addr()?,
        database = state.store().name(),
        max_connections = limits.max_connections,
        "listening"
    );
    connections::serve(listener, app(state), limits, shutdown).await?;
    Ok(())
}

/// File descriptors kept for the database pool, logs and the listener.
const RESERVED_FILES: u64 = 64;

/// Raises the open-file limit to fit `MAX_CONNECTIONS` (up to the hard
/// limit); if it still cannot, lowers the connection cap to what fits, so
/// the server refuses no connection with `Too many open files`.
fn fit_open_files(mut limits: connections::ConnectionLimits) -> connections::ConnectionLimits {
    let wanted = limits.max_connections as u64 + RESERVED_FILES;
    let available = rlimit::increase_nofile_limit(wanted).unwrap_or(0);
    if available > 0 && available < wanted {
        let fits = usize::try_from(available.saturating_sub(RESERVED_FILES).max(1)).unwrap_or(1);
        tracing::warn!(
            requested = limits.max_connections,
            open_file_limit = available,
            "MAX_CONNECTIONS does not fit the open-file limit; serving {fits} connections at most"
        );
        limits.max_connections = fits;
    }
    limits
}

/// Every route the server has, each next to its description in
/// `/openapi.json` (see [`openapi`]): a new route is one more [`Endpoint`]
/// here, whose [`Op`] says who may call it, what it takes and what it answers.
pub fn routes() -> Routes {
    use onelastai_models::access::Operation;
    use openapi::{Body, Caller as May, Param};
    let status = |value: &str| {
        Body::Schema(json!({
            "type": "object",
            "required": ["status"],
            "properties": { "status": { "const": value } },
        }))
    };
    let session = || {
        Body::Schema(json!({
            "type": "object",
            "required": ["token", "expiresAt", "user"],
            "properties": {
                "token": { "type": "string", "description": "The session token: send it as `Authorization: Bearer <token>`. Shown once." },
                "expiresAt": { "type": "string", "format": "date-time" },
                "user": { "$ref": "#/components/schemas/User" },
            },
        }))
    };
    let strings = account::strings;
    stats::endpoints(account::routes(Routes::new()))
        .add(Endpoint::service("/health").get(
            health,
            Op::new("health", "The process is up").answers(200, "Up.", Some(status("ok"))),
        ))
        .add(Endpoint::service("/ready").get(
            ready,
            Op::new("ready", "The database answers and the indexes are ensured")
                .answers(200, "Ready.", Some(status("ready"))),
        ))
        .add(Endpoint::service("/openapi.json").get(
            openapi::serve_document,
            Op::new("openapi", "This document (OpenAPI 3.1)")
                .answers(200, "The document.", Some(Body::Schema(json!({ "type": "object" })))),
        ))
        .add(Endpoint::new("/api/auth/sign-up").post(
            auth::sign_up,
            Op::new("signUp", "Create a password account and sign in")
                .describe("Any profile field of `UserInput` may be sent too; the server sets `id`, `role: \"user\"`, `emailVerified: false` and `isActive: true`.")
                .tag("auth")
                .collection(Collection::Users)
                .body(strings(&["email", "password"]))
                .answers(201, "Signed up and in.", Some(session()))
                .answers(202, "`authMethod: \"passwordless\"` without a password: the account is made and a sign-in link mailed to it (not signed in yet).", Some(account::accepted()))
                .errors(&[400, 403, 409, 422, 429]),
        ))
        .add(Endpoint::new("/api/auth/sign-in").post(
            auth::sign_in,
            Op::new("signIn", "Sign in with email and password")
                .describe("After 5 failures for one email, or 20 from one client, within 15 minutes: 429 until the window passes.")
                .tag("auth")
                .body(strings(&["email", "password"]))
                .answers(200, "Signed in; for a two-factor account, the challenge of the code step (`POST /api/auth/sign-in/2fa`).", Some(account::session_or_challenge()))
                .errors(&[401, 429]),
        ))
        .add(Endpoint::new("/api/auth/sign-out").post(
            auth::sign_out,
            Op::new("signOut", "End the session")
                .tag("auth")
                .caller(May::Session)
                .answers(204, "Signed out; the token is refused from now on.", None),
        ))
        .add(Endpoint::new("/api/auth/me").get(
            auth::me,
            Op::new("me", "The signed-in user")
                .tag("auth")
                .caller(May::SessionOrService)
                .answers(200, "The session's user (`user: null, service: true` for the service token).", Some(Body::Schema(json!({
                    "type": "object",
                    "required": ["user"],
                    "properties": {
                        "user": { "oneOf": [{ "$ref": "#/components/schemas/User" }, { "type": "null" }] },
                        "service": { "const": true },
                    },
                })))),
        ))
        .add(Endpoint::new("/api/auth/password").post(
            auth::change_password,
            Op::new("changePassword", "Change the password (the current one is required)")
                .describe("The new password meets the users rules; the caller's other sessions end.")
                .tag("auth")
                .caller(May::Session)
                .body(strings(&["current", "new"]))
                .answers(204, "Changed.", None)
                .errors(&[422]),
        ))
        .add(Endpoint::new("/api/app-configs/public").get(
            handlers::list_public,
            Op::new("listPublicAppConfigs", "The app configs with `isPublic: true`, to anyone")
                .collection(Collection::AppConfigs)
                .param(Param::ListQuery)
                .answers(200, "A page of public configs.", Some(Body::Page))
                .errors(&[400]),
        ))
        .add(
            Endpoint::new("/api/{collection}")
                .get(
                    handlers::list,
                    Op::new("list", "List the documents the caller may read")
                        .caller(May::Rule(Operation::Read))
                        .param(Param::ListQuery)
                        .answers(200, "A page, in sort order.", Some(Body::Page))
                        .errors(&[400, 403]),
                )
                .post(
                    handlers::create,
                    Op::new("create", "Create a document")
                        .describe("Validated by the models crate: cast, normalised, defaults filled, unknown keys dropped. The answer is the stored document (`Location` names it).")
                        .caller(May::Rule(Operation::Create))
                        .param(Param::IdempotencyKey)
                        .body(Body::Input)
                        .answers(201, "Created.", Some(Body::Output))
                        .errors(&[403, 409, 422]),
                ),
        )
        .add(
            Endpoint::new("/api/{collection}/{id}")
                .get(
                    handlers::read,
                    Op::new("read", "Read one document")
                        .caller(May::Rule(Operation::Read))
                        .answers(200, "The document.", Some(Body::Output))
                        .errors(&[400, 403, 404]),
                )
                .patch(
                    handlers::update,
                    Op::new("update", "Change top-level fields of a document")
                        .describe("The merged document is validated as a whole and stored with `__v + 1`; a document changed since the `__v` sent is refused with 409, never overwritten.")
                        .caller(May::Rule(Operation::Update))
                        .param(Param::IfMatch)
                        .body(Body::Patch)
                        .answers(200, "The changed document.", Some(Body::Output))
                        .errors(&[403, 404, 409, 422, 428]),
                )
                .delete(
                    handlers::remove,
                    Op::new("delete", "Delete a document")
                        .caller(May::Rule(Operation::Delete))
                        .param(Param::IfMatch)
                        .answers(204, "Deleted.", None)
                        .errors(&[400, 403, 404, 409]),
                ),
        )
}

/// The router: [`routes`], the caller identified on every `/api` route.
pub fn app(state: AppState) -> Router {
    let (service, api) = routes().into_routers();
    let api = api.route_layer(middleware::from_fn_with_state(
        state.clone(),
        auth::authenticate,
    ));
    let request_id = HeaderName::from_static("x-request-id");
    Router::new()
        .merge(service)
        .merge(api)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn(error::localize))
        .layer(DefaultBodyLimit::max(state.body_limit()))
        .layer(middleware::from_fn_with_state(state.clone(), deadline))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            declared_length,
        ))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    let id = req
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default();
                    tracing::info_span!(
                        "request",
                        method = %req.method(),
                        path = %req.uri().path(),
                        request_id = %id,
                    )
                })
                .on_request(())
                .on_response(
                    DefaultOnResponse::new()
                        .level(tracing::Level::INFO)
                        .latency_unit(LatencyUnit::Micros),
                ),
        )
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, RandomRequestId))
        .layer(SetSensitiveRequestHeadersLayer::new([
            header::AUTHORIZATION,
        ]))
        .with_state(state)
}

/// Gives requests that arrive without an `x-request-id` a random one (a
/// UUID): a counter would tell anyone how many requests the server served.
#[derive(Clone, Copy, Default)]
struct RandomRequestId;

impl MakeRequestId for RandomRequestId {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let id = uuid::Uuid::new_v4().to_string();
        axum::http::HeaderValue::from_str(&id)
            .ok()
            .map(RequestId::new)
    }
}

/// A body declared larger than `BODY_LIMIT` is refused before a byte of it
/// is read (413, and the connection closes).
async fn declared_length(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let limit = app.body_limit();
    if declared.is_some_and(|n| n > limit as u64) {
        return ApiError::PayloadTooLarge { limit }.into_response();
    }
    next.run(req).await
}

/// The whole request (body read, validation, database) under
/// `REQUEST_TIMEOUT_MS`: past it the request's future is dropped, which
/// abandons its work, and the client gets `503 timeout` (`408` when the body
/// was still arriving; see [`body::JsonBody`]).
async fn deadline(State(app): State<AppState>, mut req: Request, next: Next) -> Response {
    let at = tokio::time::Instant::now() + app.0.request_timeout;
    req.extensions_mut().insert(body::Deadline(at));
    match tokio::time::timeout_at(at, next.run(req)).await {
        Ok(response) => response,
        Err(_) => ApiError::Timeout.into_response(),
    }
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::internal("handler panicked").into_response()
}

/// `GET /health`: the process is up.
async fn health() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

/// `GET /ready`: the database answers and the indexes are ensured.
async fn ready(State(app): State<AppState>) -> Response {
    match app.store().ping().await {
        Ok(()) if app.indexes_ready() => Json(json!({ "status": "ready" })).into_response(),
        Ok(()) => ApiError::Unavailable.into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

async fn not_found() -> ApiError {
    ApiError::NotFound("no such route".into())
}

async fn method_not_allowed() -> Response {
    (
        StatusCode::METHOD_NOT_ALLOWED,
        Json(json!({ "error": "method_not_allowed", "message": "this route does not accept that method" })),
    )
        .into_response()
}
