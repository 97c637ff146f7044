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
        answer(req, &method, path).await
    }

    /// `POST` a JSON value.
    pub async fn post(&self, path: &str, body: &Value) -> Resp {
        self.call(reqwest::Method::POST, path, Some(body), Some(TOKEN))
            .await
    }

    /// `PATCH` a JSON value.
    pub async fn patch(&self, path: &str, body: &Value) -> Resp {
        self.call(reqwest::Method::PATCH, path, Some(body), Some(TOKEN))
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

/// Sends one request with any credential (`bearer: None` sends none) and
/// scans the answer for secrets, as [`TestServer::send`] does.
pub async fn request(
    http: &reqwest::Client,
    base: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<&Value>,
    bearer: Option<&str>,
    headers: &[(&str, &str)],
) -> Resp {
    let mut req = http.request(method.clone(), format!("{base}{path}"));
    if let Some(token) = bearer {
        req = req.bearer_auth(token);
    }
    if let Some(body) = body {
        let bytes = serde_json::to_vec(body).unwrap_or_default();
        req = req.header("content-type", "application/json").body(bytes);
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    answer(req, &method, path).await
}

/// Sends `req` and reads its answer, which is scanned for secrets.
async fn answer(req: reqwest::RequestBuilder, method: &reqwest::Method, path: &str) -> Resp {
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

impl TestServer {
    /// Sends a JSON request as `bearer` (a session token, [`TOKEN`], or
    /// `None` for an anonymous caller).
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
        bearer: Option<&str>,
    ) -> Resp {
        request(&self.http, &self.base, method, path, body, bearer, &[]).await
    }

    /// [`TestServer::call`] with extra headers.
    pub async fn call_with(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
        bearer: Option<&str>,
        headers: &[(&str, &str)],
    ) -> Resp {
        request(&self.http, &self.base, method, path, body, bearer, headers).await
    }

    /// The name of this server's database.
    pub fn db_name(&self) -> String {
        self.db.name().to_string()
    }

    /// The stored documents of a collection matching `filter`, straight from
    /// the database.
    pub async fn find(&self, collection: &str, filter: bson::Document) -> Vec<bson::Document> {
        find_in(&self.db, collection, filter).await
    }
}

/// The documents of `collection` in `db` matching `filter`.
pub async fn find_in(
    db: &mongodb::Database,
    collection: &str,
    filter: bson::Document,
) -> Vec<bson::Document> {
    use futures_util::TryStreamExt;
    let cursor = match db
        .collection::<bson::Document>(collection)
        .find(filter)
        .await
    {
        Ok(c) => c,
        Err(e) => panic!("find in {collection}: {e}"),
    };
    match cursor.try_collect().await {
        Ok(docs) => docs,
        Err(e) => panic!("read {collection}: {e}"),
    }
}

/// The lowercase hex SHA-256 of `text`.
pub fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(text.as_bytes()))
}

/// Runs `node <script>` (a path from the repository's root, run there) with
/// `input` as JSON on stdin; its stdout read as JSON, or why not (its
/// stderr when it fails).
pub async fn node_json(script: &str, input: &Value) -> Result<Value, String> {
    use tokio::io::AsyncWriteExt;
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let mut child = tokio::process::Command::new("node")
        .arg(script)
        .current_dir(root)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("node {script}: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(input.to_string().as_bytes())
            .await
            .map_err(|e| format!("node {script} stdin: {e}"))?;
    }
    let out = child
        .wait_with_output()
        .await
        .map_err(|e| format!("node {script}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "node {script}: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("node {script} answer: {e}"))
}

/// The server binary of this build.
pub const SERVER_BIN: &str = env!("CARGO_BIN_EXE_onelastai-server");

/// The real server binary, run as its own process on a loopback port over
/// the database `db` of `MONGODB_URI` (several processes may share one).
pub struct ServerBinary {
    child: tokio::process::Child,
    /// Its loopback address.
    pub addr: std::net::SocketAddr,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// A client for it.
    pub http: reqwest::Client,
}

impl ServerBinary {
    /// Starts the binary and waits until `/ready` answers 200.
    pub async fn start(db: &str, extra: &[(&str, &str)]) -> Self {
        Self::start_from(SERVER_BIN, db, extra).await
    }

    /// [`ServerBinary::start`] with the binary at `bin` (another build).
    pub async fn start_from(bin: &str, db: &str, extra: &[(&str, &str)]) -> Self {
        let addr = match std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()) {
            Ok(a) => a,
            Err(e) => panic!("no free port: {e}"),
        };
        let mut cmd = tokio::process::Command::new(bin);
        cmd.env_clear()
            .env("MONGODB_URI", mongodb_uri())
            .env("MONGODB_DB", db)
            .env("API_TOKEN", TOKEN)
            .env("LISTEN_ADDR", addr.to_string())
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::inherit())
            .kill_on_drop(true);
        for (k, v) in extra {
            cmd.env(k, v);
        }
        let child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) => panic!("spawn {bin}: {e}"),
        };
        let http = match reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
        {
            Ok(c) => c,
            Err(e) => panic!("http client: {e}"),
        };
        let server = Self {
            child,
            addr,
            base: format!("http://{addr}"),
            http,
        };
        let started = std::time::Instant::now();
        loop {
            let ready = server
                .http
                .get(format!("{}/ready", server.base))
                .send()
                .await;
            if ready.is_ok_and(|r| r.status() == 200) {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the server binary did not become ready"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        server
    }

    /// Sends a JSON request as `bearer` (`None`: anonymous).
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
        bearer: Option<&str>,
    ) -> Resp {
        request(&self.http, &self.base, method, path, body, bearer, &[]).await
    }

    /// Its process id (`None` once it has exited).
    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    /// Stops the process.
    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

/// Runs `onelastai-server create-admin --email <email>` over the database
/// `db` of `MONGODB_URI`, with `password` (when given) on standard input;
/// returns its exit status, standard output and standard error.
pub async fn run_create_admin(
    db: &str,
    email: &str,
    password: Option<&str>,
) -> (std::process::ExitStatus, String, String) {
    use tokio::io::AsyncWriteExt;
    let mut cmd = tokio::process::Command::new(SERVER_BIN);
    cmd.env_clear()
        .env("MONGODB_URI", mongodb_uri())
        .env("MONGODB_DB", db)
        .env("API_TOKEN", TOKEN)
        .env("RUST_LOG", "warn")
        .args(["create-admin", "--email", email])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => panic!("spawn {SERVER_BIN} create-admin: {e}"),
    };
    if let Some(mut stdin) = child.stdin.take() {
        if let Some(password) = password {
            if let Err(e) = stdin.write_all(format!("{password}\n").as_bytes()).await {
                panic!("create-admin stdin: {e}");
            }
        }
        drop(stdin);
    }
    let out = match tokio::time::timeout(Duration::from_secs(60), child.wait_with_output()).await {
        Ok(Ok(o)) => o,
        Ok(Err(e)) => panic!("create-admin: {e}"),
        Err(_) => panic!("create-admin did not finish within 60 s"),
    };
    (
        out.status,
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A signed-in user, as sign-up or sign-in answered.
#[derive(Debug, Clone)]
pub struct Session {
    /// The bearer token.
    pub token: String,
    /// The user's app id (`user_...`).
    pub id: String,
    /// The user's `_id` (hex).
    pub oid: String,
    /// The whole answer.
    pub body: Value,
}

impl Session {
    /// Reads `{token, user}` from a sign-up or sign-in answer.
    pub fn from_answer(r: &Resp) -> Self {
        let token = r.json["token"].as_str().unwrap_or_default().to_string();
        let id = r.json["user"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let oid = r.json["user"]["_id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(
            !token.is_empty() && !id.is_empty() && oid.len() == 24,
            "not a signed-in answer: {} {}",
            r.status,
            r.text
        );
        Self {
            token,
            id,
            oid,
            body: r.json.clone(),
        }
    }
}

/// `POST /api/auth/sign-up` that must succeed (201).
pub async fn sign_up(server: &TestServer, email: &str, password: &str, name: &str) -> Session {
    register_secret(password);
    let r = server
        .call(
            reqwest::Method::POST,
            "/api/auth/sign-up",
            Some(&serde_json::json!({ "email": email, "password": password, "name": name })),
            None,
        )
        .await;
    assert_eq!(r.status, 201, "sign-up {email}: {}", r.text);
    Session::from_answer(&r)
}

/// An anonymous `POST /api/auth/sign-in`, its answer whatever it is.
pub async fn sign_in_attempt(server: &TestServer, email: &str, password: &str) -> Resp {
    server
        .call(
            reqwest::Method::POST,
            "/api/auth/sign-in",
            Some(&serde_json::json!({ "email": email, "password": password })),
            None,
        )
        .await
}

/// `POST /api/auth/sign-in` that must succeed (200).
pub async fn sign_in(server: &TestServer, email: &str, password: &str) -> Session {
    let r = sign_in_attempt(server, email, password).await;
    assert_eq!(r.status, 200, "sign-in {email}: {}", r.text);
    Session::from_answer(&r)
}
