//! The database going away: 503 within the timeout, never a hang, and
//! recovery once it is back, without restarting the server. Runs its own
//! devdb (tools/devdb) on a spare port and data directory, so stopping it
//! does not disturb the other tests.

use crate::common::{unique_db, TestServer};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A devdb this test owns; stopped on drop, even when the test fails.
struct Devdb {
    port: u16,
    data_dir: PathBuf,
}

impl Devdb {
    fn new() -> Self {
        let port = match std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()) {
            Ok(a) => a.port(),
            Err(e) => panic!("no spare port: {e}"),
        };
        let data_dir = repo_root()
            .join("target/tmp")
            .join(format!("outage-devdb-{}-{port}", std::process::id()));
        Self { port, data_dir }
    }

    fn uri(&self) -> String {
        format!("mongodb://127.0.0.1:{}/", self.port)
    }

    async fn start(&self) {
        self.script("start.sh").await;
    }

    async fn stop(&self) {
        self.script("stop.sh").await;
    }

    async fn script(&self, name: &'static str) {
        let (port, dir) = (self.port, self.data_dir.clone());
        match tokio::task::spawn_blocking(move || run_script(name, port, &dir)).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => panic!("{e}"),
            Err(e) => panic!("tools/devdb/{name}: {e}"),
        }
    }
}

/// `bash tools/devdb/<name> --port <port> --data-dir <dir>`.
fn run_script(name: &str, port: u16, dir: &Path) -> Result<(), String> {
    let out = Command::new("bash")
        .arg(repo_root().join("tools/devdb").join(name))
        .arg("--port")
        .arg(port.to_string())
        .arg("--data-dir")
        .arg(dir)
        .output()
        .map_err(|e| format!("tools/devdb/{name}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "tools/devdb/{name} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

impl Drop for Devdb {
    fn drop(&mut self) {
        let _ = run_script("stop.sh", self.port, &self.data_dir);
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

const DB_TIMEOUT_MS: u64 = 1500;
const REQUEST_TIMEOUT_MS: u64 = 4000;

async fn timed(
    server: &TestServer,
    what: &str,
    f: impl std::future::Future<Output = crate::common::Resp>,
) -> (u16, Duration) {
    let t = Instant::now();
    let r = f.await;
    let elapsed = t.elapsed();
    println!("  {what}: {} in {elapsed:?}", r.status);
    if r.status == 503 {
        assert_eq!(r.code(), "unavailable", "{what}: {}", r.text);
        assert!(
            !r.text.contains("127.0.0.1"),
            "{what}: internal detail: {}",
            r.text
        );
    }
    let _ = server;
    (r.status, elapsed)
}

async fn wait_for(server: &TestServer, path: &str, status: u16, limit: Duration) -> Duration {
    let t = Instant::now();
    loop {
        let r = server.get(path).await;
        if r.status == status {
            return t.elapsed();
        }
        assert!(
            t.elapsed() < limit,
            "{path}: still {} after {limit:?}",
            r.status
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test]
async fn database_down_gives_503_in_time_and_recovers_without_restart() {
    let devdb = Devdb::new();
    let budget = Duration::from_millis(REQUEST_TIMEOUT_MS + 1000);
    let extra = [("DB_TIMEOUT_MS", "1500"), ("REQUEST_TIMEOUT_MS", "4000")];
    assert_eq!(DB_TIMEOUT_MS, 1500);

    // 1. The server starts while its database is down: up, not ready, writes 503.
    let server = TestServer::start_with(&devdb.uri(), &unique_db("outage"), &extra).await;
    assert!(!server.state.indexes_ready());
    let health = server
        .send(reqwest::Method::GET, "/health", None, &[], false)
        .await;
    assert_eq!(health.status, 200);
    println!("database down at start:");
    let (s, t) = timed(
        &server,
        "GET /ready",
        server.send(reqwest::Method::GET, "/ready", None, &[], false),
    )
    .await;
    assert_eq!(s, 503);
    assert!(t < budget);
    let (s, t) = timed(
        &server,
        "POST /api/users",
        server.post("/api/users", &json!({"id": "u0", "email": "u0@e.co"})),
    )
    .await;
    assert_eq!(s, 503);
    assert!(t < budget);

    // 2. The database comes up: indexes are created in the background, writes succeed.
    devdb.start().await;
    let took = wait_for(&server, "/ready", 200, Duration::from_secs(30)).await;
    println!("ready {took:?} after the database started");
    assert!(server.state.indexes_ready());
    let a = server
        .post("/api/users", &json!({"id": "u1", "email": "u1@e.co"}))
        .await;
    assert_eq!(a.status, 201, "{}", a.text);
    let id = a.json["_id"].as_str().unwrap_or_default().to_string();
    let names = server
        .db
        .collection::<bson::Document>("users")
        .list_index_names()
        .await
        .unwrap_or_default();
    assert!(
        names.iter().any(|n| n == "email_1"),
        "indexes after late start: {names:?}"
    );

    // 3. Stopped mid-run: every kind of request gets 503 within the timeout.
    devdb.stop().await;
    println!("database stopped mid-run:");
    let checks = [
        timed(
            &server,
            "GET /api/users/{id}",
            server.get(&format!("/api/users/{id}")),
        )
        .await,
        timed(&server, "GET /api/users", server.get("/api/users")).await,
        timed(
            &server,
            "POST /api/users",
            server.post("/api/users", &json!({"id": "u2", "email": "u2@e.co"})),
        )
        .await,
        timed(
            &server,
            "PATCH /api/users/{id}",
            server.patch(&format!("/api/users/{id}"), &json!({"bio": "x", "__v": 0})),
        )
        .await,
        timed(
            &server,
            "DELETE /api/users/{id}",
            server.delete(&format!("/api/users/{id}")),
        )
        .await,
        timed(
            &server,
            "GET /ready",
            server.send(reqwest::Method::GET, "/ready", None, &[], false),
        )
        .await,
    ];
    for (status, elapsed) in checks {
        assert_eq!(status, 503);
        assert!(elapsed < budget, "{elapsed:?} >= {budget:?}");
    }
    let h = server
        .send(reqwest::Method::GET, "/health", None, &[], false)
        .await;
    assert_eq!(h.status, 200, "the process itself stays healthy");

    // 4. Back again: the same server recovers by itself; the data survived.
    devdb.start().await;
    let took = wait_for(
        &server,
        &format!("/api/users/{id}"),
        200,
        Duration::from_secs(30),
    )
    .await;
    println!("reads recovered {took:?} after the database restarted");
    let b = server
        .post("/api/users", &json!({"id": "u3", "email": "u3@e.co"}))
        .await;
    assert_eq!(b.status, 201, "{}", b.text);
    let list = server.get("/api/users").await;
    assert_eq!(list.json["items"].as_array().map(Vec::len), Some(2));
    server.finish().await;
    drop(devdb);
}
