//! Every way a request can fail, and the one JSON shape clients see.
//!
//! A body is always `{"error": <code>, "message": <text>}`, plus `errors`
//! for 422 and `index`/`fields` for a duplicate key. Internal failures are
//! logged with their cause and answered with a generic message: no driver
//! text, no stack, no query.
//!
//! A 422's `errors` are the models crate's `FieldError`s (`message` is
//! Mongoose's, unchanged), each with its machine-readable `params`
//! (`onelastai_models::messages::params`). When the request's
//! `Accept-Language` names a locale the models crate has, [`localize`] adds
//! each error's `userMessage` (the sentence for a person, from the same
//! templates as the package's `formatError`) and the body's `locale`.

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use onelastai_models::messages::{self, Locale};
use onelastai_models::{Collection, FieldError};
use serde_json::{json, Value};

/// The most field errors a 422 carries (and validation looks for): a 1 MiB
/// body can hold over a million failing paths.
pub const MAX_ERRORS: usize = 100;

/// `Result` with [`ApiError`] by default.
pub type Result<T, E = ApiError> = std::result::Result<T, E>;

/// A failed request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 422: the document breaks the collection's rules.
    #[error("the document is not valid")]
    Validation {
        /// The collection whose rules the errors are of (their `params`
        /// are read from its declarations).
        collection: Collection,
        /// The failing paths in document order, at most [`MAX_ERRORS`].
        errors: Vec<FieldError>,
        /// More paths fail than `errors` lists: validation stopped at the limit.
        truncated: bool,
    },
    /// 400: the request itself is malformed.
    #[error("{message}")]
    BadRequest {
        /// Machine-readable reason (`malformed_json`, `invalid_id`, ...).
        code: &'static str,
        /// What is wrong, for people.
        message: String,
    },
    /// 401: no credentials where they are needed, or a token that is wrong,
    /// expired or signed out.
    #[error("sign in first: a valid `Authorization: Bearer <token>` header is required")]
    Unauthorized,
    /// 401: wrong email or password (the same answer for an unknown email).
    #[error("the email or password is wrong")]
    InvalidCredentials,
    /// 403: the caller may not do this at all.
    #[error("{0}")]
    Forbidden(String),
    /// 403: a document owned by someone else, or a change of its owner.
    #[error("you can only create and change documents you own")]
    ForbiddenOwner,
    /// 403: fields only the server or an administrator may set.
    #[error("these fields are set by the server or an administrator: {}", .0.join(", "))]
    ForbiddenFields(Vec<String>),
    /// 429: too many failed sign-ins; retry after this many seconds.
    #[error("too many failed sign-in attempts; try again in {retry_after} seconds")]
    TooManyAttempts {
        /// Seconds until the window passes.
        retry_after: u64,
    },
    /// 429: too many accounts made from one client address within the
    /// window (`SIGN_UPS_PER_CLIENT`); retry after this many seconds.
    #[error("too many accounts were made from this address; try again in {retry_after} seconds")]
    TooManySignUps {
        /// Seconds until the window passes.
        retry_after: u64,
    },
    /// 404: no such collection or document.
    #[error("{0}")]
    NotFound(String),
    /// 409: a unique index already holds these values.
    #[error("{}", duplicate_message(fields))]
    Duplicate {
        /// The index's name (`email_1`), when it could be determined.
        index: Option<String>,
        /// The index's key paths.
        fields: Vec<String>,
    },
    /// 409: the document changed since the version the client sent.
    #[error("the document was modified since version {expected} (now {current})")]
    Stale {
        /// The `__v` the client based its change on.
        expected: i64,
        /// The stored `__v`.
        current: i64,
    },
    /// 428: a PATCH without the version it applies to.
    #[error("send the document's current `__v` in the body (or an `If-Match: \"<__v>\"` header) so a stale update can be refused")]
    VersionRequired,
    /// 413: the body exceeds the configured limit.
    #[error("the request body exceeds {limit} bytes")]
    PayloadTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// 415: a body that is declared as something other than JSON.
    #[error("the request body must be JSON (`Content-Type: application/json`)")]
    UnsupportedMediaType,
    /// 503: the database did not answer in time, or is not ready.
    #[error("the database is unavailable; retry later")]
    Unavailable,
    /// 503: the request ran past `REQUEST_TIMEOUT_MS`; its work was abandoned.
    #[error("the request took too long and was abandoned; retry later")]
    Timeout,
    /// 503: the validation or password-hashing workers are saturated.
    #[error("the server is busy; retry shortly")]
    Busy,
    /// 408: the body did not arrive before the request deadline.
    #[error("the request body arrived too slowly")]
    SlowBody,
    /// 422: an `Idempotency-Key` already used with another request.
    #[error("this Idempotency-Key was already used with a different request; use a new key")]
    IdempotencyKeyReused,
    /// 409: the first request with this `Idempotency-Key` is still running.
    #[error("a request with this Idempotency-Key is still in progress; retry shortly")]
    IdempotencyInProgress,
    /// 500: a bug or an unexpected database answer. The detail is logged only.
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    /// A 400 with a code and a message.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::BadRequest {
            code,
            message: message.into(),
        }
    }

    /// A 500 whose detail goes to the log only.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        Self::Internal(detail.to_string())
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Validation { .. } | Self::IdempotencyKeyReused => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthorized | Self::InvalidCredentials => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) | Self::ForbiddenOwner | Self::ForbiddenFields(_) => {
                StatusCode::FORBIDDEN
            }
            Self::TooManyAttempts { .. } | Self::TooManySignUps { .. } => {
                StatusCode::TOO_MANY_REQUESTS
            }
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Duplicate { .. } | Self::Stale { .. } | Self::IdempotencyInProgress => {
                StatusCode::CONFLICT
            }
            Self::VersionRequired => StatusCode::PRECONDITION_REQUIRED,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Unavailable | Self::Timeout | Self::Busy => StatusCode::SERVICE_UNAVAILABLE,
            Self::SlowBody => StatusCode::REQUEST_TIMEOUT,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The machine-readable `error` code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation { .. } => "validation_failed",
            Self::BadRequest { code, .. } => code,
            Self::Unauthorized => "unauthorized",
            Self::InvalidCredentials => "invalid_credentials",
            Self::Forbidden(_) => "forbidden",
            Self::ForbiddenOwner => "forbidden_owner",
            Self::ForbiddenFields(_) => "forbidden_field",
            Self::TooManyAttempts { .. } => "too_many_attempts",
            Self::TooManySignUps { .. } => "too_many_sign_ups",
            Self::NotFound(_) => "not_found",
            Self::Duplicate { .. } => "duplicate_key",
            Self::Stale { .. } => "stale_version",
            Self::VersionRequired => "version_required",
            Self::PayloadTooLarge { .. } => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::Unavailable => "unavailable",
            Self::Timeout => "timeout",
            Self::Busy => "busy",
            Self::SlowBody => "request_timeout",
            Self::IdempotencyKeyReused => "idempotency_key_reused",
            Self::IdempotencyInProgress => "idempotency_key_in_progress",
            Self::Internal(_) => "internal",
        }
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        self.body_in(None)
    }

    /// The JSON body; a 422's errors with their `userMessage` in `locale`
    /// when there is one (and the body's `locale`).
    pub fn body_in(&self, locale: Option<&Locale>) -> Value {
        let mut body = json!({ "error": self.code(), "message": self.to_string() });
        match self {
            Self::Validation {
                collection,
                errors,
                truncated,
            } => {
                body["errors"] = Value::Array(
                    errors
                        .iter()
                        .map(|e| field_error_json(*collection, e, locale))
                        .collect(),
                );
                body["errorCount"] = json!(errors.len());
                body["truncated"] = json!(truncated);
                if let Some(locale) = locale {
                    body["locale"] = json!(locale.tag);
                }
            }
            Self::Duplicate { index, fields } => {
                body["index"] = json!(index);
                body["fields"] = json!(fields);
            }
            Self::ForbiddenFields(fields) => body["fields"] = json!(fields),
            Self::Stale { expected, current } => {
                body["expected"] = json!(expected);
                body["current"] = json!(current);
            }
            _ => {}
        }
        body
    }
}

/// One field error as a 422 lists it: the models crate's fields, its
/// `params`, and its `userMessage` in `locale` when there is one.
fn field_error_json(collection: Collection, e: &FieldError, locale: Option<&Locale>) -> Value {
    let mut v = json!(e);
    let params = messages::params(collection, e);
    if let Some(locale) = locale {
        v["userMessage"] = json!(messages::format(locale, e, &params));
    }
    v["params"] = Value::Object(params);
    v
}

fn duplicate_message(fields: &[String]) -> String {
    if fields.is_empty() {
        "a document with the same unique key already exists".into()
    } else {
        format!(
            "a document with the same {} already exists",
            fields.join(", ")
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match &self {
            Self::Internal(detail) => tracing::error!(%detail, "internal error"),
            Self::Timeout => tracing::warn!("request deadline passed"),
            Self::Busy => tracing::warn!("workers saturated"),
            _ => {}
        }
        if matches!(self, Self::Validation { .. }) {
            // Its body depends on Accept-Language ([`localize`]).
            let locale = LOCALE.try_with(|l| *l).ok().flatten();
            let mut response = (self.status(), axum::Json(self.body_in(locale))).into_response();
            let headers = response.headers_mut();
            headers.insert(header::VARY, HeaderValue::from_static("accept-language"));
            if let Some(locale) = locale {
                headers.insert(
                    header::CONTENT_LANGUAGE,
                    HeaderValue::from_static(locale.tag),
                );
            }
            return response;
        }
        let mut response = (self.status(), axum::Json(self.body())).into_response();
        if matches!(self, Self::Unauthorized) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        let headers = response.headers_mut();
        if matches!(
            self,
            Self::Unavailable | Self::Timeout | Self::Busy | Self::IdempotencyInProgress
        ) {
            headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        if let Self::TooManyAttempts { retry_after } | Self::TooManySignUps { retry_after } = &self
        {
            if let Ok(v) = HeaderValue::from_str(&retry_after.to_string()) {
                headers.insert(header::RETRY_AFTER, v);
            }
        }
        if matches!(self, Self::PayloadTooLarge { .. } | Self::SlowBody) {
            // The rest of the body is not read: the connection cannot be reused.
            headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        response
    }
}

tokio::task_local! {
    /// The locale [`localize`] negotiated for the request being answered,
    /// read where a 422 becomes a response (its body is written once).
    static LOCALE: Option<&'static Locale>;
}

/// Middleware: when the request's `Accept-Language` names a locale the
/// models crate has ([`messages::negotiate`]: `q` honoured, `fr-CA` -> `fr`,
/// `*` -> English), a 422's errors get their `userMessage` in it, the body
/// its `locale` and the response `Content-Language`. A header naming no
/// known locale, or none, leaves the body as it is: Mongoose's `message`
/// and the `params` to format from. `message` is never changed.
pub async fn localize(req: Request, next: Next) -> Response {
    let locale = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(messages::negotiate);
    LOCALE.scope(locale, next.run(req)).await
}
