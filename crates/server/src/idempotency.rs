//! `Idempotency-Key` on `POST`: a create whose answer was lost can be sent
//! again and is stored once.
//!
//! The first request with a key claims it by inserting a record whose `_id`
//! is the SHA-256 of the caller's credential and the key (a unique `_id`, so
//! two servers racing on one key cannot both win). When the create is
//! answered, the record keeps the answer's status, body and `Location`; a
//! retry with the same key and the same request (method, route and body
//! bytes) within [`KEY_LIFETIME`] gets that answer again (with
//! `Idempotent-Replayed: true`) and stores nothing. The same key with another
//! request is `422 idempotency_key_reused`; a retry while the first is still
//! running is `409 idempotency_key_in_progress` (a claim older than twice
//! the request deadline was abandoned and is taken over). Answers a retry could
//! change (5xx, 408, 429) are not kept: the claim is released instead.
//!
//! Records live in the database (collection [`COLLECTION`]), so several
//! server instances share them and the server keeps no state. MongoDB drops
//! them after 24 h through a TTL index; where the database has no TTL
//! indexes (FerretDB) an expired record is ignored and replaced when its key
//! comes again, and old records are swept now and then.

use crate::error::{ApiError, Result};
use crate::store::{Store, StoreError};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bson::{doc, Bson, DateTime, Document};
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

/// The collection holding the records (not one of the 17: the server's own).
pub const COLLECTION: &str = "idempotencykeys";

/// How long a key is remembered.
pub const KEY_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// Longest accepted key.
pub const MAX_KEY_LEN: usize = 255;

/// At most one sweep of expired records per process per this interval.
const SWEEP_EVERY_MS: i64 = 60_000;

/// The header clients send.
pub const HEADER: &str = "idempotency-key";

/// A claimed key: the create runs, then [`complete`] or [`release`].
#[derive(Debug)]
pub struct Claim {
    id: String,
}

/// What [`claim`] found.
#[derive(Debug)]
pub enum Outcome {
    /// The key is new (or expired): run the request.
    Run(Claim),
    /// The same request was answered before: send this again.
    Replay(Response),
}

/// The `Idempotency-Key` of a request, if it sent one.
pub fn key(headers: &HeaderMap) -> Result<Option<String>> {
    let Some(v) = headers.get(HEADER) else {
        return Ok(None);
    };
    let invalid = || {
        ApiError::bad_request(
            "invalid_idempotency_key",
            format!("Idempotency-Key must be 1 to {MAX_KEY_LEN} visible ASCII characters"),
        )
    };
    let s = v.to_str().map_err(|_| invalid())?.trim();
    let visible = s.bytes().all(|b| (0x21..=0x7e).contains(&b));
    if s.is_empty() || s.len() > MAX_KEY_LEN || !visible {
        return Err(invalid());
    }
    Ok(Some(s.to_string()))
}

fn digest(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_be_bytes());
        h.update(p);
    }
    hex::encode(h.finalize())
}

/// Claims `key` for `scope` (the caller's credential digest) and this
/// request, or finds the answer a previous request with it got.
pub async fn claim(
    store: &Store,
    scope: &str,
    key: &str,
    route: &str,
    body: &[u8],
    now_ms: i64,
    abandon_after: Duration,
) -> Result<Outcome> {
    let id = digest(&[scope.as_bytes(), key.as_bytes()]);
    let request = digest(&[b"POST", route.as_bytes(), body]);
    sweep(store, now_ms).await;
    let record = doc! {
        "_id": &id,
        "request": &request,
        "state": "pending",
        "createdAt": DateTime::from_millis(now_ms),
    };
    // Twice at most: the second time after removing an expired record.
    for _ in 0..2 {
        match store.insert(COLLECTION, &record).await {
            Ok(()) => return Ok(Outcome::Run(Claim { id })),
            Err(StoreError::Duplicate(_)) => {}
            Err(e) => return Err(e.into()),
        }
        let Some(existing) = store
            .find_one(COLLECTION, doc! { "_id": &id }, None)
            .await?
        else {
            continue; // released meanwhile: claim again
        };
        let created = existing
            .get_datetime("createdAt")
            .map(|d| d.timestamp_millis())
            .unwrap_or(0);
        if now_ms.saturating_sub(created) >= lifetime_ms() {
            store
                .delete_one(
                    COLLECTION,
                    doc! { "_id": &id, "createdAt": DateTime::from_millis(created) },
                )
                .await?;
            continue;
        }
        if existing.get_str("request").ok() != Some(request.as_str()) {
            return Err(ApiError::IdempotencyKeyReused);
        }
        if existing.get_str("state").ok() != Some("done") {
            // A claim older than any request may live was abandoned (its
            // server stopped, or the request passed its deadline): take it over.
            let abandon_ms = i64::try_from(abandon_after.as_millis()).unwrap_or(i64::MAX);
            if now_ms.saturating_sub(created) < abandon_ms {
                return Err(ApiError::IdempotencyInProgress);
            }
            let filter = doc! {
                "_id": &id,
                "state": "pending",
                "createdAt": DateTime::from_millis(created),
            };
            store.delete_one(COLLECTION, filter).await?;
            continue;
        }
        return Ok(Outcome::Replay(replay(&existing)));
    }
    Err(ApiError::IdempotencyInProgress)
}

fn lifetime_ms() -> i64 {
    i64::try_from(KEY_LIFETIME.as_millis()).unwrap_or(i64::MAX)
}

/// The stored answer as a response.
fn replay(record: &Document) -> Response {
    let status = record
        .get_i32("status")
        .ok()
        .and_then(|s| u16::try_from(s).ok())
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK);
    let body = record.get_str("body").unwrap_or("{}").to_string();
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    if let Some(location) = record
        .get_str("location")
        .ok()
        .and_then(|l| HeaderValue::from_str(l).ok())
    {
        headers.insert(header::LOCATION, location);
    }
    response
}

/// Whether an answer with this status is kept for retries.
pub fn keeps(status: StatusCode) -> bool {
    !(status.is_server_error()
        || status == StatusCode::REQUEST_TIMEOUT
        || status == StatusCode::TOO_MANY_REQUESTS)
}

/// Records the answer of a claimed request.
pub async fn complete(
    store: &Store,
    claim: Claim,
    status: StatusCode,
    body: &str,
    location: Option<&str>,
) {
    let mut set = doc! {
        "state": "done",
        "status": i32::from(status.as_u16()),
        "body": body,
    };
    if let Some(l) = location {
        set.insert("location", l);
    }
    let update = doc! { "$set": set };
    if let Err(e) = store
        .update_one(COLLECTION, doc! { "_id": &claim.id }, update)
        .await
    {
        // The create happened; a retry will see the claim as in progress until it expires.
        tracing::warn!(error = %e, "could not record an idempotent answer");
    }
}

/// Gives a claim back (the request failed in a way a retry may fix).
pub async fn release(store: &Store, claim: Claim) {
    let filter = doc! { "_id": &claim.id, "state": "pending" };
    if let Err(e) = store.delete_one(COLLECTION, filter).await {
        tracing::warn!(error = %e, "could not release an idempotency key");
    }
}

/// Deletes expired records, at most once a minute per process (FerretDB has
/// no TTL indexes; on MongoDB this finds nothing the TTL monitor left).
async fn sweep(store: &Store, now_ms: i64) {
    static LAST: AtomicI64 = AtomicI64::new(0);
    let last = LAST.load(Ordering::Relaxed);
    if now_ms - last < SWEEP_EVERY_MS
        || LAST
            .compare_exchange(last, now_ms, Ordering::AcqRel, Ordering::Relaxed)
            .is_err()
    {
        return;
    }
    let cutoff = DateTime::from_millis(now_ms.saturating_sub(lifetime_ms()));
    let filter = doc! { "createdAt": { "$lt": Bson::DateTime(cutoff) } };
    if let Err(e) = store.delete_many(COLLECTION, filter).await {
        tracing::debug!(error = %e, "idempotency sweep failed");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_visible_ascii_up_to_255() {
        let mut h = HeaderMap::new();
        assert!(matches!(key(&h), Ok(None)));
        h.insert(HEADER, HeaderValue::from_static("retry-7f3a"));
        assert_eq!(key(&h).ok().flatten().as_deref(), Some("retry-7f3a"));
        for bad in ["", "has space", &"k".repeat(256)] {
            if let Ok(v) = HeaderValue::from_str(bad) {
                h.insert(HEADER, v);
                assert!(key(&h).is_err(), "{bad:?}");
            }
        }
    }

    #[test]
    fn digests_separate_their_parts() {
        assert_ne!(digest(&[b"ab", b"c"]), digest(&[b"a", b"bc"]));
        assert_eq!(digest(&[b"x"]).len(), 64);
    }

    #[test]
    fn only_final_answers_are_kept() {
        assert!(keeps(StatusCode::CREATED));
        assert!(keeps(StatusCode::UNPROCESSABLE_ENTITY));
        assert!(keeps(StatusCode::CONFLICT));
        assert!(!keeps(StatusCode::SERVICE_UNAVAILABLE));
        assert!(!keeps(StatusCode::REQUEST_TIMEOUT));
    }
}
