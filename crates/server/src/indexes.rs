//! Index creation at start: every index the models crate declares.
//!
//! `createIndex` with the same keys and options is a no-op, so this is
//! idempotent. An index that conflicts with an existing one (same name or
//! keys, other options) is reported and skipped; the others are still
//! created. Only an unreachable database stops the pass, to be retried.

use crate::store::{classify, Store, StoreError};
use bson::Document;
use onelastai_models::Collection;

/// What one pass did.
#[derive(Debug, Default)]
pub struct IndexReport {
    /// Indexes created or already present as declared.
    pub ensured: usize,
    /// `collection.index: reason` for each index that could not be created.
    pub problems: Vec<String>,
}

/// Creates every declared index of the 17 collections.
pub async fn ensure_indexes(store: &Store) -> Result<IndexReport, StoreError> {
    let mut report = IndexReport::default();
    for c in Collection::ALL {
        let coll = store.database().collection::<Document>(c.name());
        for spec in c.indexes() {
            let outcome =
                tokio::time::timeout(store.timeout(), coll.create_index(spec.to_index_model()))
                    .await;
            match outcome {
                Err(_) => {
                    return Err(StoreError::Unavailable(format!(
                        "createIndex {}.{} timed out",
                        c.name(),
                        spec.name
                    )))
                }
                Ok(Ok(_)) => report.ensured += 1,
                Ok(Err(e)) => match classify(&e) {
                    StoreError::Unavailable(why) => return Err(StoreError::Unavailable(why)),
                    _ => {
                        let why = describe(&e);
                        tracing::warn!(
                            collection = c.name(),
                            index = %spec.name,
                            error = %why,
                            "index not created (conflicts with an existing index?)"
                        );
                        report
                            .problems
                            .push(format!("{}.{}: {why}", c.name(), spec.name));
                    }
                },
            }
        }
    }
    ensure_idempotency_expiry(store).await?;
    Ok(report)
}

/// The TTL index that drops idempotency records after 24 h. Databases
/// without TTL indexes (FerretDB) refuse it; records are then expired by
/// the server itself (see `idempotency`), so this is a note, not a problem.
async fn ensure_idempotency_expiry(store: &Store) -> Result<(), StoreError> {
    let coll = store
        .database()
        .collection::<Document>(crate::idempotency::COLLECTION);
    let model = mongodb::IndexModel::builder()
        .keys(bson::doc! { "createdAt": 1 })
        .options(
            mongodb::options::IndexOptions::builder()
                .name("createdAt_ttl".to_string())
                .expire_after(crate::idempotency::KEY_LIFETIME)
                .build(),
        )
        .build();
    match tokio::time::timeout(store.timeout(), coll.create_index(model)).await {
        Err(_) => Err(StoreError::Unavailable(
            "createIndex idempotencykeys.createdAt_ttl timed out".into(),
        )),
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => match classify(&e) {
            StoreError::Unavailable(why) => Err(StoreError::Unavailable(why)),
            _ => {
                tracing::info!(error = %describe(&e), "no TTL index for idempotency keys; the server expires them itself");
                Ok(())
            }
        },
    }
}

/// The server's own words for a failed `createIndex`.
fn describe(e: &mongodb::error::Error) -> String {
    match e.kind.as_ref() {
        mongodb::error::ErrorKind::Command(c) => {
            format!("error {} ({}): {}", c.code, c.code_name, c.message)
        }
        other => other.to_string(),
    }
}
