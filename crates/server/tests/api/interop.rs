//! Mongoose interop: runs `tests/interop/interop.js` (real Mongoose from npm)
//! against this server and its database. See that script for what it checks.

use crate::common::{mongodb_uri, unique_db, TestServer, TOKEN};
use onelastai_models::Collection;
use std::path::Path;
use std::process::Stdio;

#[tokio::test]
async fn mongoose_reads_what_the_server_wrote_and_back() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let script = root.join("tests/interop/interop.js");
    assert!(
        root.join("tests/mongoose/node_modules/mongoose").is_dir(),
        "Mongoose is not installed: run `npm ci` in tests/mongoose (tools/test-server.sh does)"
    );
    let db = unique_db("interop");
    let server = TestServer::start_with(&mongodb_uri(), &db, &[]).await;
    let routes: serde_json::Map<String, serde_json::Value> = Collection::ALL
        .iter()
        .map(|c| (c.name().to_string(), c.route().into()))
        .collect();
    let output = tokio::process::Command::new("node")
        .arg(&script)
        .current_dir(root.join("tests/interop"))
        .env("TZ", "UTC")
        .env("SERVER_URL", &server.base)
        .env("API_TOKEN", TOKEN)
        .env("MONGODB_URI", mongodb_uri())
        .env("SERVER_DB", &db)
        .env("MONGOOSE_DB", format!("{db}_m"))
        .env("ROUTES", serde_json::Value::Object(routes).to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .await;
    let output = match output {
        Ok(o) => o,
        Err(e) => panic!("cannot run node (Node 20 is required for the interop test): {e}"),
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr: String = String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|l| !l.contains("Duplicate schema index") && !l.contains("--trace-warnings"))
        .collect::<Vec<_>>()
        .join("\n");
    println!("{stdout}");
    assert!(
        output.status.success(),
        "interop.js failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    server.finish().await;
}
