//! Ways around the access rules that the input alone does not show: dotted
//! keys (validation expands them into nested paths), and server-set values.

use crate::common::TestServer;
use serde_json::{json, Value};

/// Signs up a user; returns its session token and app id.
async fn sign_up(server: &TestServer, email: &str) -> (String, String) {
    let body = json!({"email": email, "password": "correct horse battery"});
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    let r = server
        .send(
            reqwest::Method::POST,
            "/api/auth/sign-up",
            Some(("application/json", bytes)),
            &[],
            false,
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let token = r.json["token"].as_str().unwrap_or_default().to_string();
    let id = r.json["user"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    (token, id)
}

async fn post_as(
    server: &TestServer,
    token: &str,
    path: &str,
    body: &Value,
) -> crate::common::Resp {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let auth = format!("Bearer {token}");
    server
        .send(
            reqwest::Method::POST,
            path,
            Some(("application/json", bytes)),
            &[("authorization", auth.as_str())],
            false,
        )
        .await
}

fn tool(slug: &str) -> Value {
    json!({
        "id": format!("tool_{slug}"),
        "metadata": {
            "name": "Tester", "slug": slug, "description": "d", "currentVersion": "1.0.0",
        },
        "codeUrl": "https://example.com/x", "mainFunction": "run", "published": true,
    })
}

#[tokio::test]
async fn dotted_keys_cannot_reach_the_owner_or_protected_fields() {
    let server = TestServer::start("bypass").await;
    let (a, a_id) = sign_up(&server, "a@example.com").await;
    let (_, b_id) = sign_up(&server, "b@example.com").await;

    // Plain: the owner is filled in.
    let r = post_as(&server, &a, "/api/tools", &tool("t1")).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.json["metadata"]["author"]["id"], a_id);

    // Naming B, plainly or through a dotted key: refused, nothing stored.
    let mut named = tool("t2");
    named["metadata"]["author"] = json!({"id": b_id, "name": "B"});
    let r = post_as(&server, &a, "/api/tools", &named).await;
    assert_eq!((r.status, r.code()), (403, "forbidden_owner"), "{}", r.text);
    let mut dotted = tool("t3");
    dotted["metadata.author.id"] = json!(b_id);
    let r = post_as(&server, &a, "/api/tools", &dotted).await;
    assert_eq!((r.status, r.code()), (403, "forbidden_owner"), "{}", r.text);

    // Usage counts, plainly or dotted.
    let mut counted = tool("t4");
    counted["metadata"]["downloads"] = json!(5000);
    let r = post_as(&server, &a, "/api/tools", &counted).await;
    assert_eq!((r.status, r.code()), (403, "forbidden_field"), "{}", r.text);
    assert_eq!(r.json["fields"], json!(["metadata.downloads"]));
    let mut dotted = tool("t5");
    dotted["metadata.stars"] = json!(99);
    let r = post_as(&server, &a, "/api/tools", &dotted).await;
    assert_eq!((r.status, r.code()), (403, "forbidden_field"), "{}", r.text);
    assert_eq!(server.count("tools").await, 1);
    server.finish().await;
}

#[tokio::test]
async fn a_users_subscription_takes_its_price_from_the_plan() {
    let server = TestServer::start("plan_price").await;
    let plan = json!({
        "id": "plan_monthly", "name": "Monthly", "displayName": "Monthly",
        "price": 19, "period": "monthly", "description": "d", "priceFormatted": "$19",
    });
    assert_eq!(
        server.post("/api/subscription-plans", &plan).await.status,
        201
    );
    let (a, a_id) = sign_up(&server, "sub@example.com").await;
    let r = post_as(
        &server,
        &a,
        "/api/subscriptions",
        &json!({"agentId": "einstein", "plan": "monthly"}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.json["price"], 19);
    assert_eq!(r.json["userId"], a_id);
    assert_eq!(r.json["status"], "active");
    assert!(r.json["expiryDate"].is_string());
    // A price of one's own choosing, or a plan nobody sells: refused.
    let r = post_as(
        &server,
        &a,
        "/api/subscriptions",
        &json!({"agentId": "newton", "plan": "monthly", "price": 0}),
    )
    .await;
    assert_eq!((r.status, r.code()), (403, "forbidden_field"), "{}", r.text);
    let r = post_as(
        &server,
        &a,
        "/api/subscriptions",
        &json!({"agentId": "newton", "plan": "daily"}),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(r.json["errors"][0]["path"], "plan");
    assert_eq!(server.count("subscriptions").await, 1);
    server.finish().await;
}
