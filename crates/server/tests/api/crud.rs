//! Create, read, list, patch and delete on all 17 collections with the
//! spec's example documents; indexes present after start.

use crate::common::{iso_within, now_ms, TestServer};
use crate::vector_files;
use onelastai_models::engine::Kind;
use onelastai_models::Collection;
use onelastai_server::query::sortable_fields;
use onelastai_server::resource::Resource;
use serde_json::{json, Value};

#[tokio::test]
async fn indexes_are_present_after_start() {
    let server = TestServer::start("indexes").await;
    assert!(server.state.indexes_ready());
    let mut checked = 0;
    for c in Collection::ALL {
        let coll = server.db.collection::<bson::Document>(c.name());
        let models = match coll.list_indexes().await {
            Ok(cursor) => {
                use futures_util::TryStreamExt;
                cursor.try_collect::<Vec<_>>().await.unwrap_or_default()
            }
            Err(e) => panic!("listIndexes {}: {e}", c.name()),
        };
        for spec in c.indexes() {
            let found = models.iter().find(|m| {
                m.options.as_ref().and_then(|o| o.name.as_deref()) == Some(spec.name.as_str())
            });
            let Some(found) = found else {
                panic!("{}: index {} missing", c.name(), spec.name)
            };
            let keys: Vec<(String, i32)> = found
                .keys
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.as_i32()
                            .unwrap_or_else(|| v.as_f64().unwrap_or(0.0) as i32),
                    )
                })
                .collect();
            assert_eq!(keys, spec.keys, "{}.{} keys", c.name(), spec.name);
            let unique = found
                .options
                .as_ref()
                .and_then(|o| o.unique)
                .unwrap_or(false);
            assert_eq!(unique, spec.unique, "{}.{} unique", c.name(), spec.name);
            checked += 1;
        }
    }
    // Starting again over the same database is a no-op, not an error.
    assert!(server.state.ensure_indexes().await.is_ok());
    println!("{checked} indexes present on 17 collections");
    server.finish().await;
}

/// A top-level plain string field to change in a PATCH.
fn patchable_field(c: Collection) -> Option<&'static str> {
    let schema = c.schema();
    let indexed: Vec<String> = c
        .indexes()
        .iter()
        .flat_map(|ix| ix.fields().map(str::to_string).collect::<Vec<_>>())
        .collect();
    schema
        .fields
        .iter()
        .find(|f| {
            matches!(f.kind, Kind::String)
                && !f.rules.lowercase
                && f.rules.maxlength.is_none_or(|m| m >= 20)
                && !indexed.iter().any(|i| i == f.name)
                && !Resource::of(c).is_secret(f.name)
        })
        .map(|f| f.name)
}

#[tokio::test]
async fn crud_on_every_collection_with_the_spec_examples() {
    let server = TestServer::start("crud").await;
    for c in Collection::ALL {
        let route = c.route();
        let case = vector_files::case(c.name(), vector_files::SPEC_EXAMPLE);
        let input = &case["input"];
        let t0 = now_ms();

        // Create.
        let created = server.post(&format!("/api/{route}"), input).await;
        assert_eq!(created.status, 201, "{route}: create: {}", created.text);
        let doc = &created.json;
        let id = doc["_id"].as_str().unwrap_or_default().to_string();
        assert_eq!(id.len(), 24, "{route}: _id {doc}");
        if let Some(given) = input.get("_id").and_then(Value::as_str) {
            assert_eq!(id, given.to_ascii_lowercase(), "{route}: given _id kept");
        }
        assert_eq!(
            created
                .headers
                .get("location")
                .and_then(|v| v.to_str().ok()),
            Some(format!("/api/{route}/{id}").as_str())
        );
        assert_eq!(doc["__v"], 0, "{route}: __v");
        if c.schema().timestamps {
            assert_eq!(doc["createdAt"], doc["updatedAt"], "{route}: timestamps");
            if input.get("createdAt").is_none() {
                assert!(
                    iso_within(&doc["createdAt"], t0, now_ms()),
                    "{route}: createdAt {doc}"
                );
            }
        }
        if c == Collection::Subscriptions {
            assert!(doc["isValid"].is_boolean(), "{route}: isValid");
        }
        // The stored document has real BSON types.
        let raw = server.raw(c.name(), &id).await;
        let Some(raw) = raw else {
            panic!("{route}: not stored")
        };
        assert!(matches!(raw.get("_id"), Some(bson::Bson::ObjectId(_))));
        if c.schema().timestamps {
            assert!(matches!(
                raw.get("createdAt"),
                Some(bson::Bson::DateTime(_))
            ));
        }
        assert_eq!(raw.get("__v"), Some(&bson::Bson::Int32(0)));

        // Read.
        let read = server.get(&format!("/api/{route}/{id}")).await;
        assert_eq!(read.status, 200, "{route}: read");
        let mut expected = created.json.clone();
        let mut got = read.json.clone();
        // isValid is computed at read time; both reads are within the same second here.
        expected.as_object_mut().map(|m| m.remove("isValid"));
        got.as_object_mut().map(|m| m.remove("isValid"));
        assert_eq!(got, expected, "{route}: read == created");

        // List: by _id, and sorted on every sortable field.
        let listed = server.get(&format!("/api/{route}?_id={id}")).await;
        assert_eq!(listed.status, 200, "{route}: list");
        assert_eq!(listed.json["items"].as_array().map(Vec::len), Some(1));
        assert_eq!(listed.json["items"][0]["_id"], id.as_str());
        for field in sortable_fields(&Resource::of(c)) {
            for dir in ["", "-"] {
                let r = server.get(&format!("/api/{route}?sort={dir}{field}")).await;
                assert_eq!(r.status, 200, "{route}: sort={dir}{field}: {}", r.text);
                assert_eq!(
                    r.json["items"].as_array().map(Vec::len),
                    Some(1),
                    "{route}: sort={dir}{field}"
                );
            }
        }

        // Patch: without the version it is refused; with it, merged and re-validated.
        let refused = server
            .patch(&format!("/api/{route}/{id}"), &json!({}))
            .await;
        assert_eq!(refused.status, 428, "{route}: patch without __v");
        let mut patch = json!({ "__v": 0 });
        if let Some(field) = patchable_field(c) {
            patch[field] = json!("patched value");
        }
        let patched = server.patch(&format!("/api/{route}/{id}"), &patch).await;
        assert_eq!(patched.status, 200, "{route}: patch: {}", patched.text);
        assert_eq!(patched.json["__v"], 1, "{route}: __v bumped");
        if let Some(field) = patchable_field(c) {
            assert_eq!(patched.json[field], "patched value", "{route}: {field}");
        }
        if c.schema().timestamps {
            assert_eq!(patched.json["createdAt"], created.json["createdAt"]);
        }
        let reread = server.get(&format!("/api/{route}/{id}")).await;
        let (mut a, mut b) = (reread.json.clone(), patched.json.clone());
        a.as_object_mut().map(|m| m.remove("isValid"));
        b.as_object_mut().map(|m| m.remove("isValid"));
        assert_eq!(a, b, "{route}: read after patch");
        // The same version again is stale.
        let stale = server.patch(&format!("/api/{route}/{id}"), &patch).await;
        assert_eq!(stale.status, 409, "{route}: stale patch");
        assert_eq!(stale.code(), "stale_version");
        // An invalid patch changes nothing.
        let bad = server
            .patch(
                &format!("/api/{route}/{id}"),
                &json!({ "__v": 1, "createdAt": "x", (first_required(c)): null }),
            )
            .await;
        assert_eq!(bad.status, 422, "{route}: invalid patch: {}", bad.text);
        let after_bad = server.get(&format!("/api/{route}/{id}")).await;
        assert_eq!(after_bad.json["__v"], 1, "{route}: unchanged");

        // Delete: an If-Match of an old version is refused, the current one deletes.
        let path = format!("/api/{route}/{id}");
        let stale = server
            .send(
                reqwest::Method::DELETE,
                &path,
                None,
                &[("if-match", "\"0\"")],
                true,
            )
            .await;
        assert_eq!(
            (stale.status, stale.code()),
            (409, "stale_version"),
            "{route}: stale delete"
        );
        let deleted = server
            .send(
                reqwest::Method::DELETE,
                &path,
                None,
                &[("if-match", "\"1\"")],
                true,
            )
            .await;
        assert_eq!(deleted.status, 204, "{route}: delete: {}", deleted.text);
        assert_eq!(server.get(&format!("/api/{route}/{id}")).await.status, 404);
        assert_eq!(
            server.delete(&format!("/api/{route}/{id}")).await.status,
            404
        );
        assert_eq!(server.count(c.name()).await, 0);
    }
    server.finish().await;
}

fn first_required(c: Collection) -> &'static str {
    c.schema()
        .fields
        .iter()
        .find(|f| f.rules.required)
        .map_or("id", |f| f.name)
}

#[tokio::test]
async fn lists_filter_sort_and_page_with_cursors() {
    let server = TestServer::start("list").await;
    // 7 users; three are admins; two have no lastLoginAt.
    for i in 0..7 {
        let mut user = json!({
            "id": format!("user_{i}"),
            "email": format!("User{i}@Example.com"),
            "role": if i % 2 == 0 { "admin" } else { "user" },
            "isActive": i != 3,
        });
        if i >= 2 {
            user["lastLoginAt"] = json!(format!("2024-01-{:02}T10:00:00Z", 10 + (i % 4)));
            user["socialLinks"] = json!({"github": format!("gh{}", i % 3)});
        }
        let r = server.post("/api/users", &user).await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let r = server.get("/api/users?role=admin").await;
    assert_eq!(r.json["items"].as_array().map(Vec::len), Some(4));
    // Values are cast and set like Mongoose does: lowercase email, boolean strings.
    let r = server.get("/api/users?email=USER3@example.COM").await;
    assert_eq!(r.json["items"][0]["id"], "user_3");
    let r = server.get("/api/users?isActive=false").await;
    assert_eq!(r.json["items"].as_array().map(Vec::len), Some(1));
    let r = server
        .get("/api/users?lastLoginAt=2024-01-12T10:00:00.000Z")
        .await;
    assert_eq!(r.json["items"].as_array().map(Vec::len), Some(2));

    // Paging through every sort order returns each document exactly once, in order.
    for sort in [
        "",
        "id",
        "-id",
        "socialLinks.github",
        "-socialLinks.github",
        "-createdAt",
        "role",
        "-role",
        "isActive",
        "-isActive",
    ] {
        let mut seen: Vec<Value> = Vec::new();
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        loop {
            let mut url = format!("/api/users?limit=2&sort={sort}");
            if sort.is_empty() {
                url = "/api/users?limit=2".into();
            }
            if let Some(c) = &cursor {
                url.push_str(&format!("&cursor={c}"));
            }
            let r = server.get(&url).await;
            assert_eq!(r.status, 200, "{url}: {}", r.text);
            let items = r.json["items"].as_array().cloned().unwrap_or_default();
            assert!(items.len() <= 2);
            seen.extend(items);
            pages += 1;
            match r.json["nextCursor"].as_str() {
                Some(c) => cursor = Some(c.to_string()),
                None => break,
            }
            assert!(pages < 10, "{sort}: endless paging");
        }
        let ids: Vec<&str> = seen.iter().filter_map(|d| d["id"].as_str()).collect();
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), 7, "sort={sort}: {ids:?}");
        assert_eq!(ids.len(), 7, "sort={sort}: {ids:?}");
        // Order check on the sort key (missing values first ascending, last descending).
        let field = sort.trim_start_matches('-');
        if !field.is_empty() {
            let keys: Vec<String> = seen
                .iter()
                .map(|d| {
                    let v = field.split('.').fold(d.clone(), |v, seg| v[seg].clone());
                    match v {
                        Value::Null => String::new(),
                        Value::String(s) => s,
                        other => other.to_string(),
                    }
                })
                .collect();
            let mut sorted = keys.clone();
            sorted.sort();
            if sort.starts_with('-') {
                sorted.reverse();
            }
            assert_eq!(keys, sorted, "sort={sort}");
        }
    }
    // A cursor from one sort order is refused by another.
    let r = server.get("/api/users?limit=2&sort=id").await;
    let c = r.json["nextCursor"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let r = server
        .get(&format!("/api/users?limit=2&sort=-id&cursor={c}"))
        .await;
    assert_eq!(r.status, 400);
    server.finish().await;
}

#[tokio::test]
async fn app_configs_private_ones_need_the_token() {
    let server = TestServer::start("configs").await;
    let public =
        json!({"key": "ui_theme", "value": {"dark": true}, "isPublic": true, "category": "ui"});
    let private =
        json!({"key": "ai_config", "value": {"openai": {"model": "gpt-4"}}, "isPublic": false});
    let p = server.post("/api/app-configs", &public).await;
    let q = server.post("/api/app-configs", &private).await;
    assert_eq!((p.status, q.status), (201, 201));
    let private_id = q.json["_id"].as_str().unwrap_or_default().to_string();

    // Without a token: only the public listing.
    let open = server
        .send(
            reqwest::Method::GET,
            "/api/app-configs/public",
            None,
            &[],
            false,
        )
        .await;
    assert_eq!(open.status, 200);
    let keys: Vec<&str> = open.json["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["key"].as_str())
        .collect();
    assert_eq!(keys, vec!["ui_theme"]);
    let filtered = server
        .send(
            reqwest::Method::GET,
            "/api/app-configs/public?category=ui",
            None,
            &[],
            false,
        )
        .await;
    assert_eq!(filtered.json["items"].as_array().map(Vec::len), Some(1));
    // The generic list shows anonymous callers the public ones only, and a
    // private one is not found (its existence is not disclosed).
    let anonymous_list = server
        .send(reqwest::Method::GET, "/api/app-configs", None, &[], false)
        .await;
    assert_eq!(anonymous_list.status, 200);
    assert_eq!(
        anonymous_list.json["items"].as_array().map(Vec::len),
        Some(1)
    );
    assert!(!anonymous_list.text.contains("gpt-4"));
    let private = server
        .send(
            reqwest::Method::GET,
            &format!("/api/app-configs/{private_id}"),
            None,
            &[],
            false,
        )
        .await;
    assert_eq!(private.status, 404);
    assert!(!private.text.contains("gpt-4"));
    // With it: everything.
    let all = server.get("/api/app-configs").await;
    assert_eq!(all.json["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        server
            .get(&format!("/api/app-configs/{private_id}"))
            .await
            .status,
        200
    );
    server.finish().await;
}

#[tokio::test]
async fn health_and_ready() {
    let server = TestServer::start("health").await;
    let h = server
        .send(reqwest::Method::GET, "/health", None, &[], false)
        .await;
    assert_eq!((h.status, h.json["status"].as_str()), (200, Some("ok")));
    let r = server
        .send(reqwest::Method::GET, "/ready", None, &[], false)
        .await;
    assert_eq!((r.status, r.json["status"].as_str()), (200, Some("ready")));
    assert!(r.headers.get("x-request-id").is_some());
    server.finish().await;
}

#[tokio::test]
async fn a_conflicting_index_is_reported_and_the_others_are_created() {
    let uri = crate::common::mongodb_uri();
    let db_name = crate::common::unique_db("conflict");
    let client = match mongodb::Client::with_uri_str(&uri).await {
        Ok(c) => c,
        Err(e) => panic!("client: {e}"),
    };
    // An index someone made by hand: the same keys as `email_1`, another name.
    let legacy = mongodb::IndexModel::builder()
        .keys(bson::doc! { "email": 1 })
        .options(
            mongodb::options::IndexOptions::builder()
                .name("legacy_email".to_string())
                .build(),
        )
        .build();
    let users = client
        .database(&db_name)
        .collection::<bson::Document>("users");
    if let Err(e) = users.create_index(legacy).await {
        panic!("legacy index: {e}");
    }
    let server = TestServer::start_with(&uri, &db_name, &[]).await;
    assert!(server.state.indexes_ready(), "a conflict is not fatal");
    let report = match onelastai_server::indexes::ensure_indexes(server.state.store()).await {
        Ok(r) => r,
        Err(e) => panic!("index pass: {e}"),
    };
    println!("index conflicts reported: {:?}", report.problems);
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    assert!(report.problems[0].starts_with("users.email_1:"));
    let total: usize = Collection::ALL.iter().map(|c| c.indexes().len()).sum();
    assert_eq!(report.ensured, total - 1);
    let names = users.list_index_names().await.unwrap_or_default();
    assert!(names.iter().any(|n| n == "id_1") && names.iter().any(|n| n == "legacy_email"));
    let r = server
        .post("/api/users", &json!({"id": "u1", "email": "a@b.co"}))
        .await;
    assert_eq!(r.status, 201);
    server.finish().await;
}
