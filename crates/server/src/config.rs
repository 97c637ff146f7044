//! Configuration from the environment, checked once at start.
//!
//! Everything the server needs comes from environment variables so the same
//! binary runs locally, in CI and behind a load balancer; `--help` prints
//! [`HELP`].

use crate::connections::ConnectionLimits;
use crate::keyring::KeyRing;
use crate::mailer::{smtp_url, MailConfig};
use std::net::SocketAddr;
use std::time::Duration;

/// The `--help` text.
pub const HELP: &str = "\
onelastai-server: the OneLastAI HTTP API over MongoDB (17 collections under /api).

USAGE:
    onelastai-server [--help | --version]
    onelastai-server create-admin --email <email>
        makes the user with this email an admin, or creates one with the
        password read from the first line of standard input

Configuration comes from the environment:
    MONGODB_URI          required. mongodb:// or mongodb+srv:// URI (MongoDB >= 6,
                         or the local FerretDB started by tools/devdb/start.sh)
    MONGODB_DB           database name (default: the URI's database, else `onelastai`)
    API_TOKEN            bearer token every /api route requires (at least 16 characters)
    API_TOKEN_FILE       file holding the token instead (first line; used when
                         API_TOKEN is unset)
    LISTEN_ADDR          address to listen on (default 127.0.0.1:8080)
    BODY_LIMIT           largest accepted request body in bytes (default 1048576)
    DB_TIMEOUT_MS        deadline of each database operation (default 5000); past it
                         the request gets 503
    REQUEST_TIMEOUT_MS   deadline of a whole request: body read, validation, database
                         (default 15000); past it 503 `timeout`, or 408 while the
                         body is still arriving
    MAX_CONNECTIONS      open connections at most (default 1024); more wait to be
                         accepted. The server raises its open-file limit to fit
    HEADER_TIMEOUT_MS    a request's headers must arrive within this, counted from
                         the connection's start or their first byte (default 10000);
                         silent or slow connections are closed after it
    IDLE_TIMEOUT_MS      a kept-alive connection with no request is closed after
                         this (default 60000)
    SESSION_TTL_HOURS    how long a session token lives (default 168: 7 days)
    TRUSTED_PROXIES      comma-separated addresses whose X-Forwarded-For is
                         believed (default 127.0.0.1,::1: the web app); used for
                         per-client sign-in limits and session records
    SIGN_UPS_PER_CLIENT  accounts one client address may make per 15 minutes
                         (default 30); past it 429 `too_many_sign_ups`
    APP_ENV              `development` (default) or `production`; production needs
                         SMTP and never has the mail outbox or /api/dev/outbox
    APP_URL              the web app's address, for links in mail (default
                         http://localhost:3000)
    SMTP_URL             smtps://user:pass@host:465 or smtp://user:pass@host:587?tls=required
                         (lettre's form; rustls); or SMTP_HOST, SMTP_PORT (587),
                         SMTP_USERNAME, SMTP_PASSWORD. TLS is always required
    MAIL_FROM            the sender (default `OneLastAI <no-reply@localhost>`)
    MAIL_OUTBOX_DIR      development without SMTP: where mail is written, one JSON
                         file a message (default $TMPDIR/onelastai-outbox)
    TOTP_ENCRYPTION_KEY  <id>:<base64 of 32 bytes>: seals two-factor secrets
                         (AES-256-GCM) and keys backup-code hashes; without it
                         two-factor enrolment is refused
    TOTP_ENCRYPTION_OLD_KEYS  comma-separated earlier keys, same form, only to open
                         what they sealed (key rotation: crates/server/README.md)
    LOG_FORMAT           `text` (default) or `json`
    RUST_LOG             log filter (default `info`)

ROUTES:
    POST /api/auth/sign-up             {email, password, name?, ...} -> 201 {token, expiresAt, user}
                                       ({email, authMethod: passwordless}: 202, a sign-in link mailed)
    POST /api/auth/sign-in             {email, password} -> 200 {token, expiresAt, user}; 401; 429
    POST /api/auth/sign-out            the session ends (204)
    GET  /api/auth/me                  {user}
    POST /api/auth/password            {current, new} (204)
    POST /api/auth/sign-out-everywhere every session of the caller ends (204)
    POST /api/auth/sign-in/2fa         {challenge, code} -> 200 {token, expiresAt, user}; 401; 429
    GET  /api/auth/2fa                 {enabled, backupCodesLeft, pending}
    POST /api/auth/2fa/setup           -> {otpauthUri, secret, codes} (shown once)
    POST /api/auth/2fa/enable          {code} (204)
    POST /api/auth/2fa/disable         {password?, code} (204)
    POST /api/auth/2fa/backup-codes    {code} -> {codes}: 10 new backup codes (shown once)
    POST /api/auth/password-reset      {email} -> 202 always; mails a link
    POST /api/auth/password-reset/confirm  {token, password} (204); 400 invalid_token
    POST /api/auth/magic-link          {email} -> 202 always; mails a link to passwordless users
    POST /api/auth/magic-link/confirm  {token} -> 200 {token, expiresAt, user} (or twoFactorRequired)
    GET  /api/dev/outbox               development outbox (service token; never in production)
    GET  /health                       process up (no token)
    GET  /ready                        database reachable and indexes ensured (no token)
    GET  /api/app-configs/public       public app configs (no token)
    POST   /api/<collection>           create          (201, 422, 409); an `Idempotency-Key`
                                       header makes a retry return the first answer
    GET    /api/<collection>           list: ?<field>=<value>&sort=[-]<field>&limit=<1..100>&cursor=<next>
    GET    /api/<collection>/<id>      read            (404)
    PATCH  /api/<collection>/<id>      merge + validate; needs the current `__v` (body or If-Match)
    DELETE /api/<collection>/<id>      delete          (204)
  Authorization: Bearer <API_TOKEN> (admin) or a session token; without one, only
  public reads, sign-up and sign-in. Who may do what: crates/server/README.md.
  collections: users user-sessions subscriptions subscription-plans chat-sessions
  chat-messages analytics-events chat-analytics tool-usage-analytics user-achievements
  user-rewards leaderboards tools tool-reviews invoices payments app-configs
";

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// The server's settings.
#[derive(Clone)]
pub struct Config {
    /// `MONGODB_URI`.
    pub mongodb_uri: String,
    /// `MONGODB_DB`; `None` uses the URI's database or `onelastai`.
    pub database: Option<String>,
    /// `LISTEN_ADDR`.
    pub listen: SocketAddr,
    /// `API_TOKEN` (or the content of `API_TOKEN_FILE`).
    pub api_token: String,
    /// `BODY_LIMIT` in bytes.
    pub body_limit: usize,
    /// `DB_TIMEOUT_MS`.
    pub db_timeout: Duration,
    /// `REQUEST_TIMEOUT_MS`.
    pub request_timeout: Duration,
    /// `LOG_FORMAT`.
    pub log_format: LogFormat,
    /// `MAX_CONNECTIONS`, `HEADER_TIMEOUT_MS`, `IDLE_TIMEOUT_MS`.
    pub connections: ConnectionLimits,
    /// `SESSION_TTL_HOURS`.
    pub session_ttl: Duration,
    /// `TRUSTED_PROXIES`.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// `SIGN_UPS_PER_CLIENT`: accounts one client address may make per
    /// [`crate::auth::WINDOW`].
    pub sign_ups_per_client: u64,
    /// `APP_ENV=production`.
    pub production: bool,
    /// `APP_URL`, without a trailing slash.
    pub app_url: String,
    /// SMTP or the development outbox.
    pub mail: MailConfig,
    /// `TOTP_ENCRYPTION_KEY` and `TOTP_ENCRYPTION_OLD_KEYS`.
    pub totp_keys: Option<KeyRing>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URI may carry credentials and the token is a secret.
        f.debug_struct("Config")
            .field("database", &self.database)
            .field("listen", &self.listen)
            .field("body_limit", &self.body_limit)
            .field("db_timeout", &self.db_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("log_format", &self.log_format)
            .field("connections", &self.connections)
            .field("production", &self.production)
            .field("app_url", &self.app_url)
            .field("mail", &self.mail)
            .field("totp_keys", &self.totp_keys)
            .finish_non_exhaustive()
    }
}

/// A missing or malformed setting.
#[derive(Debug, thiserror::Error)]
#[error("{var}: {problem}")]
pub struct ConfigError {
    /// The environment variable.
    pub var: &'static str,
    /// What is wrong with it.
    pub problem: String,
}

fn err(var: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        var,
        problem: problem.into(),
    }
}

/// Shortest accepted API token.
pub const MIN_TOKEN_LEN: usize = 16;

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
    }

    /// Reads settings through `get` (the environment, or a map in tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mongodb_uri = get("MONGODB_URI").ok_or_else(|| {
            err(
                "MONGODB_URI",
                "not set (for a local database run tools/run-server.sh)",
            )
        })?;
        let api_token = match (get("API_TOKEN"), get("API_TOKEN_FILE")) {
            (Some(t), _) => t,
            (None, Some(path)) => std::fs::read_to_string(&path)
                .map_err(|e| err("API_TOKEN_FILE", format!("cannot read {path}: {e}")))?
                .lines()
                .next()
                .unwrap_or_default()
                .trim()
                .to_string(),
            (None, None) => return Err(err("API_TOKEN", "not set (nor API_TOKEN_FILE)")),
        };
        if api_token.chars().count() < MIN_TOKEN_LEN {
            return Err(err(
                "API_TOKEN",
                format!("must be at least {MIN_TOKEN_LEN} characters"),
            ));
        }
        let listen = match get("LISTEN_ADDR") {
            Some(s) => s
                .parse()
                .map_err(|_| err("LISTEN_ADDR", format!("not a socket address: {s:?}")))?,
            None => SocketAddr::from(([127, 0, 0, 1], 8080)),
        };
        let number = |var: &'static str, default: u64, min: u64| -> Result<u64, ConfigError> {
            match get(var) {
                None => Ok(default),
                Some(s) => match s.parse::<u64>() {
                    Ok(n) if n >= min => Ok(n),
                    _ => Err(err(var, format!("expected an integer >= {min}, got {s:?}"))),
                },
            }
        };
        let body_limit = usize::try_from(number("BODY_LIMIT", 1 << 20, 64)?)
            .map_err(|_| err("BODY_LIMIT", "too large"))?;
        let db_timeout = Duration::from_millis(number("DB_TIMEOUT_MS", 5000, 100)?);
        let request_timeout = Duration::from_millis(number("REQUEST_TIMEOUT_MS", 15000, 100)?);
        let connections = ConnectionLimits {
            max_connections: usize::try_from(number("MAX_CONNECTIONS", 1024, 1)?)
                .map_err(|_| err("MAX_CONNECTIONS", "too large"))?,
            header_timeout: Duration::from_millis(number("HEADER_TIMEOUT_MS", 10_000, 100)?),
            idle_timeout: Duration::from_millis(number("IDLE_TIMEOUT_MS", 60_000, 100)?),
        };
        let session_ttl = Duration::from_secs(number("SESSION_TTL_HOURS", 168, 1)? * 3600);
        let sign_ups_per_client = number("SIGN_UPS_PER_CLIENT", 30, 1)?;
        let trusted_proxies = match get("TRUSTED_PROXIES") {
            None => vec![
                std::net::IpAddr::from([127, 0, 0, 1]),
                std::net::IpAddr::from(std::net::Ipv6Addr::LOCALHOST),
            ],
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| {
                    s.parse()
                        .map_err(|_| err("TRUSTED_PROXIES", format!("not an IP address: {s:?}")))
                })
                .collect::<Result<_, _>>()?,
        };
        let log_format = match get("LOG_FORMAT").as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(err(
                    "LOG_FORMAT",
                    format!("expected text or json, got {other:?}"),
                ))
            }
        };
        let production = match get("APP_ENV").as_deref() {
            None | Some("development") => false,
            Some("production") => true,
            Some(other) => {
                return Err(err(
                    "APP_ENV",
                    format!("expected development or production, got {other:?}"),
                ))
            }
        };
        let app_url = get("APP_URL")
            .unwrap_or_else(|| "http://localhost:3000".into())
            .trim_end_matches('/')
            .to_string();
        if !(app_url.starts_with("http://") || app_url.starts_with("https://")) {
            return Err(err("APP_URL", format!("not an http(s) URL: {app_url:?}")));
        }
        let from = get("MAIL_FROM").unwrap_or_else(|| "OneLastAI <no-reply@localhost>".into());
        let smtp = match (get("SMTP_URL"), get("SMTP_HOST")) {
            (Some(url), _) => Some(url),
            (None, Some(host)) => {
                let port = u16::try_from(number("SMTP_PORT", 587, 1)?)
                    .map_err(|_| err("SMTP_PORT", "not a port"))?;
                Some(smtp_url(
                    &host,
                    port,
                    get("SMTP_USERNAME").as_deref(),
                    get("SMTP_PASSWORD").as_deref(),
                ))
            }
            (None, None) => None,
        };
        let mail = match smtp {
            Some(url) => MailConfig::Smtp { url, from },
            None if production => {
                return Err(err(
                    "SMTP_URL",
                    "APP_ENV=production needs SMTP (SMTP_URL or SMTP_HOST): the development outbox is never used in production",
                ))
            }
            None => MailConfig::Outbox {
                dir: get("MAIL_OUTBOX_DIR").map_or_else(
                    || std::env::temp_dir().join("onelastai-outbox"),
                    std::path::PathBuf::from,
                ),
            },
        };
        mail.check().map_err(|e| err("SMTP_URL", e.to_string()))?;
        let totp_keys = match get("TOTP_ENCRYPTION_KEY") {
            Some(current) => Some(
                KeyRing::parse(&current, get("TOTP_ENCRYPTION_OLD_KEYS").as_deref())
                    .map_err(|e| err("TOTP_ENCRYPTION_KEY", e.to_string()))?,
            ),
            None => None,
        };
        Ok(Self {
            mongodb_uri,
            database: get("MONGODB_DB"),
            listen,
            api_token,
            body_limit,
            db_timeout,
            request_timeout,
            log_format,
            connections,
            session_ttl,
            trusted_proxies,
            sign_ups_per_client,
            production,
            app_url,
            mail,
            totp_keys,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| m.get(k).cloned()
    }

    #[test]
    fn defaults_and_required_settings() {
        let c = Config::from_lookup(lookup(&[
            ("MONGODB_URI", "mongodb://127.0.0.1:27017/"),
            ("API_TOKEN", "0123456789abcdef"),
        ]));
        let Ok(c) = c else {
            panic!("valid config refused")
        };
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(c.body_limit, 1 << 20);
        assert_eq!(c.connections.max_connections, 1024);
        assert_eq!(c.connections.header_timeout, Duration::from_secs(10));
        assert_eq!(c.connections.idle_timeout, Duration::from_secs(60));
        assert!(Config::from_lookup(lookup(&[("API_TOKEN", "0123456789abcdef")])).is_err());
        assert!(Config::from_lookup(lookup(&[
            ("MONGODB_URI", "mongodb://x/"),
            ("API_TOKEN", "short")
        ]))
        .is_err());
        assert!(Config::from_lookup(lookup(&[
            ("MONGODB_URI", "mongodb://x/"),
            ("API_TOKEN", "0123456789abcdef"),
            ("BODY_LIMIT", "lots")
        ]))
        .is_err());
    }

    #[test]
    fn production_needs_smtp_and_never_gets_the_outbox() {
        let base = [
            ("MONGODB_URI", "mongodb://x/"),
            ("API_TOKEN", "0123456789abcdef"),
        ];
        let dev = Config::from_lookup(lookup(&base));
        assert!(matches!(dev.map(|c| c.mail), Ok(MailConfig::Outbox { .. })));
        let mut prod = base.to_vec();
        prod.push(("APP_ENV", "production"));
        prod.push(("MAIL_OUTBOX_DIR", "/tmp/x"));
        assert!(Config::from_lookup(lookup(&prod)).is_err());
        prod.push(("SMTP_HOST", "mail.example.com"));
        let c = Config::from_lookup(lookup(&prod));
        assert!(matches!(
            c.map(|c| c.mail),
            Ok(MailConfig::Smtp { url, .. }) if url == "smtp://mail.example.com:587?tls=required"
        ));
    }
}
