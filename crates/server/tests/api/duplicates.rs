//! Duplicate keys: 409 naming the index and its fields, on insert and on
//! update; 50 concurrent creates of one email give exactly one 201.

use crate::common::TestServer;
use serde_json::json;
use std::sync::Arc;

#[tokio::test]
async fn duplicates_are_409_naming_the_index() {
    let server = TestServer::start("dup").await;
    let a = server
        .post(
            "/api/users",
            &json!({"id": "user_a", "email": "a@example.com"}),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.text);
    let b = server
        .post(
            "/api/users",
            &json!({"id": "user_b", "email": "b@example.com"}),
        )
        .await;
    assert_eq!(b.status, 201);

    // Same email, other case: the lowercase setter makes it the same key.
    let r = server
        .post(
            "/api/users",
            &json!({"id": "user_c", "email": "A@Example.COM"}),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.text);
    assert_eq!(r.code(), "duplicate_key");
    assert_eq!(r.json["index"], "email_1");
    assert_eq!(r.json["fields"], json!(["email"]));
    let r = server
        .post(
            "/api/users",
            &json!({"id": "user_a", "email": "c@example.com"}),
        )
        .await;
    assert_eq!((r.status, r.json["index"].as_str()), (409, Some("id_1")));

    // A compound unique index.
    let sub = json!({"userId": "user_a", "agentId": "einstein", "plan": "daily", "price": 1});
    assert_eq!(server.post("/api/subscriptions", &sub).await.status, 201);
    let r = server.post("/api/subscriptions", &sub).await;
    assert_eq!(r.status, 409, "{}", r.text);
    assert_eq!(r.json["index"], "userId_1_agentId_1");
    assert_eq!(r.json["fields"], json!(["userId", "agentId"]));

    // An explicit _id twice.
    let plan = json!({"_id": "65a1b2c3d4e5f6a7b8c9d0e1", "id": "p1", "name": "n", "displayName": "d",
                      "price": 1, "period": "month", "description": "x", "priceFormatted": "$1"});
    assert_eq!(
        server.post("/api/subscription-plans", &plan).await.status,
        201
    );
    let mut again = plan.clone();
    again["id"] = json!("p2");
    let r = server.post("/api/subscription-plans", &again).await;
    assert_eq!(
        (r.status, r.json["index"].as_str()),
        (409, Some("_id_")),
        "{}",
        r.text
    );

    // An update that collides.
    let b_id = b.json["_id"].as_str().unwrap_or_default();
    let r = server
        .patch(
            &format!("/api/users/{b_id}"),
            &json!({"email": "a@example.com", "__v": 0}),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.text);
    assert_eq!(r.json["index"], "email_1");
    let unchanged = server.get(&format!("/api/users/{b_id}")).await;
    assert_eq!(unchanged.json["email"], "b@example.com");
    assert_eq!(unchanged.json["__v"], 0);

    assert_eq!(server.count("users").await, 2);
    assert_eq!(server.count("subscriptions").await, 1);
    server.finish().await;
}

#[tokio::test]
async fn fifty_concurrent_creates_of_one_email_give_one_201() {
    let server = Arc::new(TestServer::start("race").await);
    let mut tasks = Vec::new();
    for i in 0..50 {
        let server = Arc::clone(&server);
        tasks.push(tokio::spawn(async move {
            let user = json!({
                "id": format!("user_race_{i}"),
                "email": "race@example.com",
                "password": format!("race-password-{i}"),
            });
            let r = server.post("/api/users", &user).await;
            (r.status, r.json["index"].as_str().map(str::to_string))
        }));
    }
    let mut created = 0;
    let mut conflicts = 0;
    for t in tasks {
        match t.await {
            Ok((201, _)) => created += 1,
            Ok((409, Some(index))) if index == "email_1" => conflicts += 1,
            Ok(other) => panic!("unexpected answer {other:?}"),
            Err(e) => panic!("task: {e}"),
        }
    }
    println!("50 concurrent creates: {created} x 201, {conflicts} x 409 email_1");
    assert_eq!((created, conflicts), (1, 49));
    assert_eq!(server.count("users").await, 1);
    if let Ok(server) = Arc::try_unwrap(server) {
        server.finish().await;
    }
}
