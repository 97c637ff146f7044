//! The harness: a real server on a loopback port, over the real database
//! named by `MONGODB_URI`, one fresh database per test, and an HTTP client
//! that checks every response it receives for secrets.

use onelastai_server::Config;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The secret fields the issue names, written out here (not taken from the
/// code under test) so the scan checks the implementation against the spec.
const USER_SECRETS: &[&str] = &[
    "password",
    "twoFactorSecret",
    "tempTwoFactorSecret",
    "backupCodes",
    "tempBackupCodes",
    "resetPasswordToken",
];

/// The token every test server uses.
pub const TOKEN: &str = "test-token-0123456789abcdef";

/// The database URI; a test without it fails, never skips.
pub fn mongodb_uri() -> String {
    match std::env::var("MONGODB_URI") {
        Ok(uri) if !uri.is_empty() => uri,
        _ => panic!(
            "MONGODB_URI is not set: these tests need the real local database. \
             Run `bash tools/test-server.sh`, or start one with `bash tools/devdb/start.sh` \
             and export the MONGODB_URI it prints."
        ),
    }
}

/// A database name unique to this test and run.
pub fn unique_db(tag: &str) -> String {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    format!("t_{tag}_{}_{}", std::process::id(), ms % 1_000_000_000)
}

/// Strings that must never appear in a response body.
fn secret_values() -> &'static Mutex<Vec<String>> {
    static S: OnceLock<Mutex<Vec<String>>> = OnceLock::new();
    S.get_or_init(|| Mutex::new(Vec::new()))
}

/// Registers a secret value: any response containing it fails the test.
pub fn register_secret(value: &str) {
    if let Ok(mut s) = secret_values().lock() {
        s.push(value.to_string());
    }
}

/// How many responses were scanned for secrets in this process.
pub static SCANNED: AtomicUsize = AtomicUsize::new(0);

/// Fails when `body` holds a secret field of a user document, an argon2
/// hash, or a registered secret value.
pub fn scan_for_secrets(context: &str, body: &str) {
    SCANNED.fetch_add(1, Ordering::Relaxed);
    assert!(
        !body.contains("$argon2"),
        "{context}: a password hash leaked: {body}"
    );
    if let Ok(values) = secret_values().lock() {
        for v in values.iter() {
            assert!(
                !body.contains(v.as_str()),
                "{context}: secret value {v:?} leaked: {body}"
            );
        }
    }
    if let Ok(json) = serde_json::from_str::<Value>(body) {
        let docs: Vec<&Value> = match json.get("items").and_then(Value::as_array) {
            Some(items) => items.iter().collect(),
            None => vec![&json],
        };
        for doc in docs {
            if let Some(m) = doc.as_object() {
                for s in USER_SECRETS {
                    assert!(
                        !m.contains_key(*s),
                        "{context}: secret field {s:?} in a response: {body}"
                    );
                }
            }
        }
    }
}

/// One HTTP response.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
    pub json: Value,
}

impl Resp {
    /// The `error` code of an error body.
    pub fn code(&self) -> &str {
        self.json["error"].as_str().unwrap_or_default()
    }
}

/// A running server and its database.
pub struct TestServer {
    pub base: String,
    pub http: reqwest::Client,
    pub db: mongodb::Database,
    pub state: onelastai_server::AppState,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    /// A server over a fresh database on `MONGODB_URI`.
    pub async fn start(tag: &str) -> Self {
        Self::start_with(&mongodb_uri(), &unique_db(tag), &[]).await
    }

    /// A server over `uri`/`db` with extra settings.
    pub async fn start_with(uri: &str, db: &str, extra: &[(&str, &str)]) -> Self {
        let mut env: HashMap<String, String> = HashMap::from([
            ("MONGODB_URI".into(), uri.to_string()),
            ("MONGODB_DB".into(), db.to_string()),
            ("API_TOKEN".into(), TOKEN.into()),
            ("BODY_LIMIT".into(), (64 * 1024).to_string()),
            ("DB_TIMEOUT_MS".into(), "3000".into()),
            ("REQUEST_TIMEOUT_MS".into(), "10000".into()),
        ]);
        for (k, v) in extra {
            env.insert((*k).into(), (*v).into());
        }
        let config = match Config::from_lookup(|k| env.get(k).cloned()) {
            Ok(c) => c,
            Err(e) => panic!("test config: {e}"),
        };
        let started = std::time::Instant::now();
        let state = match onelastai_server::build(&config).await {
            Ok(s) => s,
            Err(e) => panic!("server start: {e}"),
        };
        eprintln!(
            "server on database {db}: indexes ready={} after {:?}",
            state.indexes_ready(),
            started.elapsed()
        );
        let listener = match tokio::net::TcpListener::bind("127.0.0.1:0").await {
            Ok(l) => l,
            Err(e) => panic!("bind: {e}"),
        };
        let addr = match listener.local_addr() {
            Ok(a) => a,
            Err(e) => panic!("local addr: {e}"),
        };
        let app = onelastai_server::app(state.clone());
        let limits = config.connections;
        let task = tokio::spawn(async move {
            let forever = std::future::pending::<()>();
            let _ = onelastai_server::connections::serve(listener, app, limits, forever).await;
        });
        let client = match mongodb::Client::with_uri_str(uri).await {
            Ok(c) => c,
            Err(e) => panic!("test's own database client: {e}"),
        };
        let http = match reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
        {
            Ok(c) => c,
            Err(e) => panic!("http client: {e}"),
        };
        Self {
            base: format!("http://{addr}"),
            http,
            db: client.database(db),
            state,
            task,
        }
    }

    /// Drops the test database and stops the server.
    pub async fn finish(self) {
        let _ = self.db.drop().await;
        self.task.abort();
    }

    /// Sends a request; `auth` adds the bearer token.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<(&str, Vec<u8>)>,
        headers: &[(&str, &str)],
        auth: bool,
    ) -> Resp {
        let mut req = self
            .http
            .request(method.clone(), format!("{}{path}", self.base));
        if auth {
            req = req.bearer_auth(TOKEN);
        }
        if let Some((content_type, bytes)) = body {
            req = req.header("content-type", content_type).body(bytes);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let response = match req.send().await {
            Ok(r) => r,
            Err(e) => panic!("{method} {path}: {e}"),
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap_or_default();
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        scan_for_secrets(&format!("{method} {path}"), &text);
        Resp {
            status,
            headers,
            text,
            json,
        }
    }

    /// `POST` a JSON value.
    pub async fn post(&self, path: &str, body: &Value) -> Resp {
        let bytes = serde_json::to_vec(body).unwrap_or_default();
        self.send(
            reqwest::Method::POST,
            path,
            Some(("application/json", bytes)),
            &[],
            true,
        )
        .await
    }

    /// `PATCH` a JSON value.
    pub async fn patch(&self, path: &str, body: &Value) -> Resp {
        let bytes = serde_json::to_vec(body).unwrap_or_default();
        self.send(
            reqwest::Method::PATCH,
            path,
            Some(("application/json", bytes)),
            &[],
            true,
        )
        .await
    }

    /// `GET` with the token.
    pub async fn get(&self, path: &str) -> Resp {
        self.send(reqwest::Method::GET, path, None, &[], true).await
    }

    /// `DELETE` with the token.
    pub async fn delete(&self, path: &str) -> Resp {
        self.send(reqwest::Method::DELETE, path, None, &[], true)
            .await
    }

    /// Documents in a collection, straight from the database.
    pub async fn count(&self, collection: &str) -> u64 {
        match self
            .db
            .collection::<bson::Document>(collection)
            .count_documents(bson::doc! {})
            .await
        {
            Ok(n) => n,
            Err(e) => panic!("count {collection}: {e}"),
        }
    }

    /// The stored document with this hex `_id`, straight from the database.
    pub async fn raw(&self, collection: &str, id: &str) -> Option<bson::Document> {
        let oid = bson::oid::ObjectId::parse_str(id).ok()?;
        match self
            .db
            .collection::<bson::Document>(collection)
            .find_one(bson::doc! { "_id": oid })
            .await
        {
            Ok(d) => d,
            Err(e) => panic!("find {collection} {id}: {e}"),
        }
    }
}

/// Whether an ISO date string lies within `[from, to]` (epoch ms).
pub fn iso_within(v: &Value, from: i64, to: i64) -> bool {
    v.as_str()
        .and_then(onelastai_models::Date::parse_iso)
        .is_some_and(|d| (from..=to).contains(&d.millis()))
}

/// Epoch milliseconds now.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}
