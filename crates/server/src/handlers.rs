//! The generic handlers: one set for all 17 collections.
//!
//! Every write takes the same path: the models crate casts, normalises and
//! validates (the exact errors the browser sees), the collection's hooks run,
//! the document is converted to BSON by its schema, and the server adds what
//! Mongoose adds (`_id`s, timestamps, `__v`). Reads convert back and hide
//! secrets.

use crate::auth::Caller;
use crate::body::{
    self, forbidden_key, forbidden_key_error, nested_array, nested_array_error, JsonBody, KeyRule,
};
use crate::codec;
use crate::error::{ApiError, Result, MAX_ERRORS};
use crate::idempotency::{self, Outcome};
use crate::policy;
use crate::query::{self, ListQuery};
use crate::resource::Resource;
use crate::store::StoreError;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use bson::{doc, oid::ObjectId, Bson, DateTime, Document};
use onelastai_models::access::Operation;
use onelastai_models::engine::Options;
use onelastai_models::json::{self, Json as Tree, Object};
use onelastai_models::{storage, Collection, Date};
use serde_json::{json, Map, Value};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// How often a PATCH re-reads a document that changed between its read and
/// its write without its version changing (a writer that does not bump `__v`).
const PATCH_ATTEMPTS: usize = 3;

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(why) => {
                tracing::warn!(%why, "database unavailable");
                ApiError::Unavailable
            }
            StoreError::Rejected(why) => {
                tracing::warn!(%why, "the database refused a validated document");
                ApiError::bad_request(
                    "unstorable_document",
                    "the database cannot store this document",
                )
            }
            StoreError::Duplicate(why) | StoreError::Other(why) => ApiError::internal(why),
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(e: PathRejection) -> Self {
        ApiError::bad_request("invalid_path", e.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(e: QueryRejection) -> Self {
        ApiError::bad_request("invalid_query", e.body_text())
    }
}

/// The server clock as the models crate's `Date`.
pub fn now() -> Result<Date> {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_millis()).ok())
        .and_then(Date::from_millis);
    ms.ok_or_else(|| ApiError::internal("system clock outside the JavaScript date range"))
}

fn resource(route: &str) -> Result<Resource> {
    Resource::from_route(route)
        .ok_or_else(|| ApiError::NotFound(format!("unknown collection {route:?}")))
}

fn object_id(id: &str) -> Result<ObjectId> {
    ObjectId::parse_str(id).map_err(|_| {
        ApiError::bad_request(
            "invalid_id",
            format!("{id:?} is not a document id (24 hexadecimal characters)"),
        )
    })
}

fn not_found(res: &Resource, id: ObjectId) -> ApiError {
    ApiError::NotFound(format!("no document {id} in {}", res.collection.route()))
}

/// Leaves the secret fields out of what the database returns.
pub fn projection(res: &Resource) -> Option<Document> {
    (!res.secrets.is_empty()).then(|| {
        res.secrets
            .iter()
            .map(|s| (s.to_string(), Bson::Int32(0)))
            .collect()
    })
}

/// `filter` limited to what `extra` (a policy filter) allows.
fn and(filter: Document, extra: Option<Document>) -> Document {
    match extra {
        None => filter,
        Some(e) if filter.is_empty() => e,
        Some(e) => doc! { "$and": [filter, e] },
    }
}

/// A validated document, converted for storage; its secrets still to hash.
struct Prepared {
    /// The BSON document, `_id`s assigned.
    doc: Document,
    /// The first array directly inside an array, which FerretDB cannot store.
    nested_array: Option<String>,
    /// `(field, plaintext)` of each hashed field to replace by its hash.
    to_hash: Vec<(&'static str, String)>,
}

/// What a write is checked against besides the collection's rules.
struct WriteContext<'c> {
    caller: &'c Caller,
    /// Update: the stored document (its owner and protected fields may not
    /// change). Create: `None`.
    stored: Option<&'c Object<'c>>,
    /// Which fields the request sent (a PATCH leaves a stored hash as it is).
    fresh: &'c dyn Fn(&str) -> bool,
    /// Protected fields the server itself put into the input.
    server_set: &'c [&'c str],
}

/// Validates `input` with the models crate (at most [`MAX_ERRORS`] errors,
/// computed defaults filled first), checks it against the caller's rights
/// (owner and protected fields), applies the key rules and converts it to
/// BSON. CPU work: runs on the [`crate::work::Pool`].
fn prepare(
    res: Resource,
    mut input: Object<'_>,
    now: Date,
    ctx: &WriteContext<'_>,
) -> Result<Prepared> {
    let operator_key = forbidden_key(&input, KeyRule::Operators);
    if ctx.stored.is_none() {
        policy::claim_ownership(ctx.caller, &res, &mut input)?;
        let mut sent = policy::protected_sent(ctx.caller, &res, &input, None);
        sent.retain(|p| !ctx.server_set.contains(&p.as_str()));
        if !sent.is_empty() {
            return Err(ApiError::ForbiddenFields(sent));
        }
    }
    let given: Vec<String> = input.iter().map(|(k, _)| k.to_string()).collect();
    res.collection.fill_computed(&mut input, now);
    // What the computed defaults filled is the server's, not the caller's.
    let computed: Vec<String> = input
        .iter()
        .map(|(k, _)| k.to_string())
        .filter(|k| !given.contains(k))
        .collect();
    let limit = Options {
        max_errors: Some(MAX_ERRORS),
    };
    let doc = res
        .collection
        .validate_json_with(&Tree::Object(input), now, &limit)
        .map_err(|r| ApiError::Validation {
            collection: res.collection,
            errors: r.errors,
            truncated: r.truncated,
        })?;
    if ctx.stored.is_none() {
        policy::owned_by_caller(ctx.caller, &res, &doc)?;
        let mut sent = policy::protected_not_default(ctx.caller, &res, &doc);
        sent.retain(|p| {
            let top = p.split('.').next().unwrap_or_default();
            !ctx.server_set.contains(&top) && !computed.iter().any(|c| c == top)
        });
        if !sent.is_empty() {
            return Err(ApiError::ForbiddenFields(sent));
        }
    }
    if let Some(stored) = ctx.stored {
        policy::keeps_owner(ctx.caller, &res, stored, &doc)?;
        let changed = policy::protected_sent(ctx.caller, &res, &doc, Some(stored));
        if !changed.is_empty() {
            return Err(ApiError::ForbiddenFields(changed));
        }
    }
    if let Some(path) = operator_key.or_else(|| forbidden_key(&doc, KeyRule::Stored)) {
        return Err(forbidden_key_error(&path));
    }
    let nested_array = nested_array(&doc);
    // An empty hashed value is dropped: it would be a hash an empty password
    // matches (the models crate refuses one for password auth already).
    let mut doc = doc;
    let mut to_hash = Vec::new();
    for field in res.hashed.iter().copied().filter(|f| (ctx.fresh)(f)) {
        match json::get(&doc, field) {
            Some(Tree::String(s)) if s.is_empty() => doc.retain(|(k, _)| k != field),
            Some(Tree::String(s)) => to_hash.push((field, s.to_string())),
            _ => {}
        }
    }
    let schema = res.collection.schema();
    let mut stored = storage::to_bson(schema, &doc).map_err(ApiError::internal)?;
    storage::assign_ids(schema, &mut stored);
    Ok(Prepared {
        doc: stored,
        nested_array,
        to_hash,
    })
}

/// What the async side does after [`prepare`]: the storage rule that needs
/// the database's answer, and the password hashes (on their own pool).
async fn finish(app: &AppState, prepared: Prepared) -> Result<Document> {
    let Prepared {
        mut doc,
        nested_array,
        to_hash,
    } = prepared;
    if let Some(path) = nested_array {
        if !app.store().stores_nested_arrays().await? {
            return Err(nested_array_error(&path));
        }
    }
    for (field, plaintext) in to_hash {
        let hash = app.hasher().hash(plaintext).await?;
        doc.insert(field, Bson::String(hash));
    }
    Ok(doc)
}

fn bson_now(now: Date) -> Bson {
    Bson::DateTime(DateTime::from_millis(now.millis()))
}

/// A stored document's answer: 201, its body and `Location`.
pub struct Created {
    /// The new document's `_id` (hex).
    pub id: String,
    /// The document as returned.
    pub body: Value,
}

/// `POST /api/{collection}`: 201 with the stored document.
///
/// With an `Idempotency-Key` header, a retry of the same request returns the
/// first answer and stores nothing (see [`crate::idempotency`]).
pub async fn create(
    State(app): State<AppState>,
    path: std::result::Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    body: std::result::Result<JsonBody, ApiError>,
) -> Result<Response> {
    let Path(route) = path?;
    let res = resource(&route)?;
    policy::may_write(&caller, &res, Operation::Create)?;
    let key = idempotency::key(&headers)?;
    let JsonBody(bytes) = body?;
    app.require_indexes()?;
    let Some(key) = key else {
        let created = create_document(&app, res, bytes, &caller).await?;
        return Ok(created_response(&route, created));
    };
    let now_ms = now()?.millis();
    let abandon_after = app.request_timeout() * 2;
    let scope = caller.scope();
    let outcome = idempotency::claim(
        app.store(),
        &scope,
        &key,
        &route,
        &bytes,
        now_ms,
        abandon_after,
    )
    .await?;
    let claim = match outcome {
        Outcome::Replay(response) => return Ok(response),
        Outcome::Run(claim) => claim,
    };
    let result = create_document(&app, res, bytes, &caller).await;
    let location = result.as_ref().ok().map(|c| location(&route, c));
    let (status, text) = match &result {
        Ok(c) => (StatusCode::CREATED, c.body.to_string()),
        Err(e) => (e.status(), e.body().to_string()),
    };
    if idempotency::keeps(status) {
        idempotency::complete(app.store(), claim, status, &text, location.as_deref()).await;
    } else {
        idempotency::release(app.store(), claim).await;
    }
    result.map(|c| created_response(&route, c))
}

fn location(route: &str, c: &Created) -> String {
    format!("/api/{route}/{}", c.id)
}

fn created_response(route: &str, c: Created) -> Response {
    let location = location(route, &c);
    let mut response = (StatusCode::CREATED, Json(c.body)).into_response();
    if let Ok(location) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// A subscription's price is the active plan's of its period (for callers
/// who are not admins; an admin may set any price). `None`: leave as sent.
async fn plan_price(
    app: &AppState,
    res: &Resource,
    caller: &Caller,
    bytes: &Bytes,
) -> Result<Option<f64>> {
    if res.collection != Collection::Subscriptions || caller.is_admin() {
        return Ok(None);
    }
    let text = bytes.clone();
    let plan = app
        .cpu()
        .run(move || -> Result<Option<String>> {
            let input = body::parse_object(&text)?;
            Ok(json::get(&input, "plan")
                .and_then(Tree::as_str)
                .map(str::to_string))
        })
        .await??;
    let Some(plan) = plan else {
        return Ok(None);
    };
    let found = app
        .store()
        .find_one(
            Collection::SubscriptionPlans.name(),
            doc! { "period": &plan, "isActive": { "$ne": false } },
            Some(doc! { "price": 1 }),
        )
        .await?;
    let price = found.and_then(|d| match d.get("price") {
        Some(Bson::Int32(n)) => Some(f64::from(*n)),
        Some(Bson::Int64(n)) => Some(*n as f64),
        Some(Bson::Double(x)) => Some(*x),
        _ => None,
    });
    match price {
        Some(p) => Ok(Some(p)),
        None => Err(ApiError::Validation {
            collection: res.collection,
            errors: vec![onelastai_models::FieldError::new(
                "plan",
                onelastai_models::ErrorKind::UserDefined,
                format!("No active subscription plan has the period `{plan}`."),
                None,
            )],
            truncated: false,
        }),
    }
}

/// Validates, checks against the caller's rights, stores: the create path
/// every route that makes a document takes (sign-up and sessions too, as
/// the service).
pub async fn create_document(
    app: &AppState,
    res: Resource,
    bytes: Bytes,
    caller: &Caller,
) -> Result<Created> {
    let now = now()?;
    let price = plan_price(app, &res, caller, &bytes).await?;
    let who = caller.clone();
    let prepared = app
        .cpu()
        .run(move || {
            let mut input = body::parse_object(&bytes)?;
            // What the caller sent is checked before the server adds its own.
            let sent = policy::protected_sent(&who, &res, &input, None);
            if !sent.is_empty() {
                return Err(ApiError::ForbiddenFields(sent));
            }
            if let Some(price) = price {
                input.retain(|(k, _)| k != "price");
                input.push((std::borrow::Cow::Borrowed("price"), Tree::Number(price)));
            }
            // The server set the price: it is not the caller's protected field.
            let server_set: &[&str] = if price.is_some() { &["price"] } else { &[] };
            let ctx = WriteContext {
                caller: &who,
                stored: None,
                fresh: &|_| true,
                server_set,
            };
            prepare(res, input, now, &ctx)
        })
        .await??;
    let mut stored = finish(app, prepared).await?;
    let schema = res.collection.schema();
    if schema.timestamps {
        // Mongoose keeps a createdAt given for a new document; updatedAt equals it.
        let created = match stored.get("createdAt") {
            Some(Bson::DateTime(d)) => Bson::DateTime(*d),
            _ => bson_now(now),
        };
        stored.insert("createdAt", created.clone());
        stored.insert("updatedAt", created);
    }
    if schema.version_key {
        stored.remove("__v");
        stored.insert("__v", 0_i32);
    }
    let name = res.collection.name();
    if let Err(e) = app.store().insert(name, &stored).await {
        return Err(write_error(app, &res, &stored, e, true).await);
    }
    let id = stored
        .get_object_id("_id")
        .map(|id| id.to_hex())
        .unwrap_or_default();
    Ok(Created {
        id,
        body: res.present(codec::to_json(&stored), now),
    })
}

/// `GET /api/{collection}/{id}`: a document the caller may read; any other
/// is a 404.
pub async fn read(
    State(app): State<AppState>,
    path: std::result::Result<Path<(String, String)>, PathRejection>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Value>> {
    let Path((route, id)) = path?;
    let res = resource(&route)?;
    let id = object_id(&id)?;
    let filter = and(doc! { "_id": id }, policy::read_filter(&caller, &res)?);
    let doc = app
        .store()
        .find_one(res.collection.name(), filter, projection(&res))
        .await?
        .ok_or_else(|| not_found(&res, id))?;
    Ok(Json(res.present(codec::to_json(&doc), now()?)))
}

/// `GET /api/{collection}?field=value&sort=-field&limit=n&cursor=c`: the
/// documents the caller may read (its own, whatever the query says).
pub async fn list(
    State(app): State<AppState>,
    path: std::result::Result<Path<String>, PathRejection>,
    Extension(caller): Extension<Caller>,
    query: std::result::Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<Value>> {
    let Path(route) = path?;
    let res = resource(&route)?;
    let scope = policy::read_filter(&caller, &res)?;
    let Query(pairs) = query?;
    let mut q = query::parse(&res, &pairs)?;
    q.filter = and(q.filter, scope);
    page(&app, &res, q).await
}

/// `GET /api/app-configs/public`: the configs with `isPublic: true`, to anyone.
pub async fn list_public(
    State(app): State<AppState>,
    query: std::result::Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<Value>> {
    let res = Resource::of(Collection::AppConfigs);
    let Query(pairs) = query?;
    let mut q = query::parse(&res, &pairs)?;
    if let Some(flag) = res.collection.access().public_flag {
        q.filter = and(q.filter, Some(doc! { flag: true }));
    }
    page(&app, &res, q).await
}

async fn page(app: &AppState, res: &Resource, q: ListQuery) -> Result<Json<Value>> {
    let limit = usize::try_from(q.limit).unwrap_or(query::MAX_LIMIT as usize);
    let mut docs = app
        .store()
        .find(
            res.collection.name(),
            q.filter.clone(),
            q.sort.clone(),
            q.limit + 1,
            projection(res),
        )
        .await?;
    let more = docs.len() > limit;
    docs.truncate(limit);
    let docs: Vec<Map<String, Value>> = docs.iter().map(codec::to_json).collect();
    let next = if more {
        docs.last().and_then(|last| query::next_cursor(&q, last))
    } else {
        None
    };
    let now = now()?;
    let items: Vec<Value> = docs.into_iter().map(|d| res.present(d, now)).collect();
    Ok(Json(json!({ "items": items, "nextCursor": next })))
}

/// The `__v` a client based its change on: `If-Match: "<n>"` or `__v` in the body.
fn expected_version(headers: &HeaderMap, from_body: Option<Value>) -> Result<Option<i64>> {
    let invalid = |what: &str| {
        ApiError::bad_request(
            "invalid_version",
            format!("{what} must be the document's `__v`, a non-negative integer"),
        )
    };
    let from_header = match headers.get(header::IF_MATCH) {
        None => None,
        Some(v) => {
            let s = v.to_str().unwrap_or_default().trim();
            let s = s.strip_prefix("W/").unwrap_or(s).trim_matches('"');
            Some(
                s.parse::<i64>()
                    .ok()
                    .filter(|n| *n >= 0)
                    .ok_or_else(|| invalid("If-Match"))?,
            )
        }
    };
    let from_body = match from_body {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => Some(
            n.as_i64()
                .filter(|n| *n >= 0)
                .ok_or_else(|| invalid("`__v`"))?,
        ),
        Some(_) => return Err(invalid("`__v`")),
    };
    match (from_header, from_body) {
        (Some(h), Some(b)) if h != b => Err(ApiError::bad_request(
            "invalid_version",
            "If-Match and `__v` name different versions",
        )),
        (h, b) => Ok(h.or(b)),
    }
}

/// A stored document's `__v` (0 when absent, as for a document no writer versioned).
fn version_of(doc: &Document) -> i64 {
    match doc.get("__v") {
        Some(Bson::Int32(n)) => i64::from(*n),
        Some(Bson::Int64(n)) => *n,
        Some(Bson::Double(x)) if x.fract() == 0.0 => *x as i64,
        _ => 0,
    }
}

/// Matches the stored document only while it is still the one that was read.
fn unchanged_filter(id: ObjectId, current: &Document) -> Document {
    let mut filter = doc! { "_id": id };
    match current.get("__v") {
        Some(v) => filter.insert("__v", v.clone()),
        None => filter.insert("__v", doc! { "$exists": false }),
    };
    if let Some(updated) = current.get("updatedAt") {
        filter.insert("updatedAt", updated.clone());
    }
    filter
}

/// `PATCH /api/{collection}/{id}`: merge the body's top-level fields into the
/// stored document, validate the whole result, store it with `__v + 1`.
///
/// The client must send the `__v` it read (body or `If-Match`); a document
/// changed since is refused with 409, never overwritten. A caller that is
/// not an admin changes only documents it owns (others are 404), never
/// their owner or their protected fields (403).
pub async fn update(
    State(app): State<AppState>,
    path: std::result::Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    body: std::result::Result<JsonBody, ApiError>,
) -> Result<Json<Value>> {
    let Path((route, id)) = path?;
    let res = resource(&route)?;
    let id = object_id(&id)?;
    may_change(&app, &res, &caller, id, Operation::Update).await?;
    let JsonBody(bytes) = body?;
    app.require_indexes()?;
    let bytes = Arc::new(bytes);
    let parsed = bytes.clone();
    // The top-level fields of the patch: what it sets, its `__v` and `_id`.
    let (sent, version, given_id) = app
        .cpu()
        .run(move || -> Result<_> {
            let patch = body::parse_object(&parsed)?;
            let sent: Vec<String> = patch.iter().map(|(k, _)| k.to_string()).collect();
            let version = json::get(&patch, "__v").map(Tree::to_value);
            let given_id = json::get(&patch, "_id").map(Tree::to_value);
            Ok((sent, version, given_id))
        })
        .await??;
    let expected = expected_version(&headers, version)?.ok_or(ApiError::VersionRequired)?;
    if let Some(given) = given_id {
        if given.as_str().map(str::to_ascii_lowercase) != Some(id.to_hex()) {
            return Err(ApiError::bad_request(
                "immutable_field",
                "`_id` cannot be changed",
            ));
        }
    }

    let schema = res.collection.schema();
    let name = res.collection.name();
    let mine = policy::owner_filter(&caller, &res);
    let mut current_version = expected;
    for _ in 0..PATCH_ATTEMPTS {
        let now = now()?;
        let current = app
            .store()
            .find_one(name, and(doc! { "_id": id }, mine.clone()), None)
            .await?
            .ok_or_else(|| not_found(&res, id))?;
        current_version = version_of(&current);
        if current_version != expected {
            return Err(ApiError::Stale {
                expected,
                current: current_version,
            });
        }
        let stored = codec::to_json(&current);
        let body = bytes.clone();
        let sent_fields = sent.clone();
        let who = caller.clone();
        let prepared = app
            .cpu()
            .run(move || {
                let patch = body::parse_object(&body)?;
                // The stored document, read once: the base of the merge and
                // what the owner and protected fields are compared with.
                let before = Value::Object(stored);
                let Tree::Object(stored) = Tree::from_value(&before) else {
                    return Err(ApiError::internal("a stored document is not an object"));
                };
                let mut merged = stored.clone();
                for (k, v) in patch {
                    // `_id` and `__v` were checked above; createdAt is
                    // immutable (as in Mongoose) and updatedAt is the server's.
                    if matches!(k.as_ref(), "_id" | "__v" | "createdAt" | "updatedAt") {
                        continue;
                    }
                    match merged.iter_mut().find(|(key, _)| *key == k) {
                        Some(slot) => slot.1 = v,
                        None => merged.push((k, v)),
                    }
                }
                let fresh = |k: &str| sent_fields.iter().any(|s| s == k);
                let ctx = WriteContext {
                    caller: &who,
                    stored: Some(&stored),
                    fresh: &fresh,
                    server_set: &[],
                };
                prepare(res, merged, now, &ctx)
            })
            .await??;
        let mut next = finish(&app, prepared).await?;
        next.insert("_id", id);
        if schema.timestamps {
            next.insert("updatedAt", bson_now(now));
        }
        if schema.version_key {
            let v = current_version + 1;
            next.insert("__v", i32::try_from(v).map_or(Bson::Int64(v), Bson::Int32));
        }
        let mut set = Document::new();
        for (k, v) in &next {
            if k != "_id" && current.get(k) != Some(v) {
                set.insert(k.clone(), v.clone());
            }
        }
        let mut unset = Document::new();
        for k in current.keys() {
            let declared = schema.field(k).is_some() || k == "__v";
            if declared && !next.contains_key(k) {
                unset.insert(k.clone(), "");
            }
        }
        let mut update = doc! { "$set": set.clone() };
        if !unset.is_empty() {
            update.insert("$unset", unset.clone());
        }
        match app
            .store()
            .update_one(name, unchanged_filter(id, &current), update)
            .await
        {
            Ok(true) => {
                let mut after = current;
                for k in unset.keys() {
                    after.remove(k);
                }
                after.extend(set);
                return Ok(Json(res.present(codec::to_json(&after), now)));
            }
            // Changed or deleted since it was read: read it again.
            Ok(false) => continue,
            Err(e) => return Err(write_error(&app, &res, &next, e, false).await),
        }
    }
    Err(ApiError::Stale {
        expected,
        current: current_version,
    })
}

/// Whether `caller` may update or delete document `id` of `res` at all. A
/// caller refused the operation learns that only about documents it can
/// read: any other is a 404, as for a read.
async fn may_change(
    app: &AppState,
    res: &Resource,
    caller: &Caller,
    id: ObjectId,
    op: Operation,
) -> Result<()> {
    let refused = match policy::may_write(caller, res, op) {
        Ok(()) => return Ok(()),
        Err(e @ ApiError::Forbidden(_)) => e,
        Err(other) => return Err(other),
    };
    let Ok(scope) = policy::read_filter(caller, res) else {
        return Err(not_found(res, id));
    };
    let readable = app
        .store()
        .find_one(
            res.collection.name(),
            and(doc! { "_id": id }, scope),
            Some(doc! { "_id": 1 }),
        )
        .await?;
    match readable {
        Some(_) => Err(refused),
        None => Err(not_found(res, id)),
    }
}

/// `DELETE /api/{collection}/{id}`: 204. With `If-Match: "<__v>"`, only that
/// version. A caller that is not an admin deletes only what it owns.
pub async fn remove(
    State(app): State<AppState>,
    path: std::result::Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
) -> Result<StatusCode> {
    let Path((route, id)) = path?;
    let res = resource(&route)?;
    let id = object_id(&id)?;
    may_change(&app, &res, &caller, id, Operation::Delete).await?;
    let expected = expected_version(&headers, None)?;
    let name = res.collection.name();
    let mine = policy::owner_filter(&caller, &res);
    let mut filter = and(doc! { "_id": id }, mine.clone());
    if let Some(v) = expected {
        filter = and(filter, Some(doc! { "__v": v }));
    }
    if app.store().delete_one(name, filter).await? {
        return Ok(StatusCode::NO_CONTENT);
    }
    let current = app
        .store()
        .find_one(name, and(doc! { "_id": id }, mine), None)
        .await?;
    match (expected, current) {
        (Some(expected), Some(current)) => Err(ApiError::Stale {
            expected,
            current: version_of(&current),
        }),
        _ => Err(not_found(&res, id)),
    }
}

/// A failed insert or update: a duplicate key becomes a 409 naming the index.
async fn write_error(
    app: &AppState,
    res: &Resource,
    doc: &Document,
    e: StoreError,
    inserting: bool,
) -> ApiError {
    match e {
        StoreError::Duplicate(message) => duplicate(app, res, doc, &message, inserting).await,
        other => other.into(),
    }
}

/// Names the unique index a rejected document collides with.
///
/// MongoDB names it in the message (`index: email_1 dup key: ...`); FerretDB
/// does not, so the unique indexes are probed with the document's values.
async fn duplicate(
    app: &AppState,
    res: &Resource,
    doc: &Document,
    message: &str,
    inserting: bool,
) -> ApiError {
    let unique: Vec<_> = res
        .collection
        .indexes()
        .into_iter()
        .filter(|ix| ix.unique)
        .collect();
    let found = |name: String, fields: Vec<String>| ApiError::Duplicate {
        index: Some(name),
        fields,
    };
    if let Some(name) = message
        .split("index: ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
    {
        if name == "_id_" {
            return found(name.into(), vec!["_id".into()]);
        }
        if let Some(ix) = unique.iter().find(|ix| ix.name == name) {
            return found(ix.name.clone(), ix.fields().map(str::to_string).collect());
        }
    }
    let Some(id) = doc.get("_id").cloned() else {
        return ApiError::Duplicate {
            index: None,
            fields: Vec::new(),
        };
    };
    let name = res.collection.name();
    if inserting {
        match app
            .store()
            .find_one(name, doc! { "_id": id.clone() }, Some(doc! { "_id": 1 }))
            .await
        {
            Ok(Some(_)) => return found("_id_".into(), vec!["_id".into()]),
            Ok(None) => {}
            Err(e) => return e.into(),
        }
    }
    for ix in &unique {
        let mut filter = doc! { "_id": { "$ne": id.clone() } };
        let mut present = false;
        for key in ix.fields() {
            let v = lookup(doc, key).cloned().unwrap_or(Bson::Null);
            present |= v != Bson::Null;
            filter.insert(key, v);
        }
        if !present {
            continue;
        }
        match app
            .store()
            .find_one(name, filter, Some(doc! { "_id": 1 }))
            .await
        {
            Ok(Some(_)) => {
                return found(ix.name.clone(), ix.fields().map(str::to_string).collect())
            }
            Ok(None) => {}
            Err(e) => return e.into(),
        }
    }
    tracing::warn!(collection = name, %message, "duplicate key on an index that could not be identified");
    ApiError::Duplicate {
        index: None,
        fields: Vec::new(),
    }
}

/// The value at a dotted path through nested documents.
fn lookup<'d>(doc: &'d Document, path: &str) -> Option<&'d Bson> {
    let mut segments = path.split('.');
    let mut v = doc.get(segments.next()?)?;
    for seg in segments {
        v = v.as_document()?.get(seg)?;
    }
    Some(v)
}
