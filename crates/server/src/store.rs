//! The database, behind a deadline.
//!
//! Every operation runs under the configured timeout (and every query
//! carries it to the server as `maxTimeMS`, so the database abandons it too)
//! and its failure is
//! sorted into what a client can act on: the database is unreachable (503),
//! a unique index refused the write (409), or something unexpected (500,
//! logged). Only operations MongoDB >= 6 and FerretDB 1.24 both support are
//! used: no sessions, no transactions.

use bson::{doc, oid::ObjectId, Document};
use futures_util::TryStreamExt;
use mongodb::error::{ErrorKind, WriteFailure};
use mongodb::options::{ClientOptions, FindOptions};
use mongodb::{Client, Database};
use std::future::{Future, IntoFuture};
use std::time::Duration;

/// MongoDB's duplicate key error code.
const DUPLICATE_KEY: i32 = 11000;

/// Codes a server sends while it is shutting down, stepping down or starting.
const UNAVAILABLE_CODES: &[i32] = &[
    6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436,
];

/// Codes of a write the database refuses for the document's contents
/// (BadValue, `$`/`.` field names, too large): the client's document, not a fault.
const REJECTED_CODES: &[i32] = &[2, 52, 57, 10334, 17419];

/// Why a database operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Not reachable, or no answer within the timeout.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A unique index refused the write.
    #[error("duplicate key: {0}")]
    Duplicate(String),
    /// The database cannot store this document.
    #[error("document rejected: {0}")]
    Rejected(String),
    /// Anything else.
    #[error("database error: {0}")]
    Other(String),
}

impl From<mongodb::error::Error> for StoreError {
    fn from(e: mongodb::error::Error) -> Self {
        classify(&e)
    }
}

/// Sorts a driver error into [`StoreError`].
pub fn classify(e: &mongodb::error::Error) -> StoreError {
    let text = e.to_string();
    match e.kind.as_ref() {
        ErrorKind::Io(_)
        | ErrorKind::ConnectionPoolCleared { .. }
        | ErrorKind::ServerSelection { .. }
        | ErrorKind::DnsResolve { .. }
        | ErrorKind::Shutdown => StoreError::Unavailable(text),
        ErrorKind::Write(WriteFailure::WriteError(w)) if w.code == DUPLICATE_KEY => {
            StoreError::Duplicate(w.message.clone())
        }
        ErrorKind::Write(WriteFailure::WriteError(w)) if REJECTED_CODES.contains(&w.code) => {
            StoreError::Rejected(text)
        }
        ErrorKind::Write(WriteFailure::WriteConcernError(w))
            if UNAVAILABLE_CODES.contains(&w.code) =>
        {
            StoreError::Unavailable(text)
        }
        ErrorKind::Command(c) if c.code == DUPLICATE_KEY => {
            StoreError::Duplicate(c.message.clone())
        }
        ErrorKind::Command(c) if UNAVAILABLE_CODES.contains(&c.code) => {
            StoreError::Unavailable(text)
        }
        // FerretDB on SQLite reports a unique violation caused by an update
        // as an InternalError carrying SQLite's message.
        _ if text.contains("UNIQUE constraint failed") => StoreError::Duplicate(text),
        _ => StoreError::Other(text),
    }
}

/// The database handle and the deadline every operation runs under.
#[derive(Clone, Debug)]
pub struct Store {
    db: Database,
    timeout: Duration,
    /// Whether the database stores an array directly inside an array; asked
    /// once (`buildInfo`), the first time a document needs it.
    nested_arrays: std::sync::OnceLock<bool>,
}

impl Store {
    /// Parses the URI and builds a client; connects lazily.
    ///
    /// `database` overrides the URI's default database; with neither, `onelastai`.
    pub async fn connect(
        uri: &str,
        database: Option<&str>,
        timeout: Duration,
    ) -> Result<Self, StoreError> {
        let mut options = deadline(timeout, ClientOptions::parse(uri).into_future())
            .await?
            .map_err(|e| StoreError::Other(format!("MONGODB_URI: {e}")))?;
        options.app_name = Some("onelastai-server".into());
        options.server_selection_timeout = Some(timeout);
        options.connect_timeout = Some(timeout);
        let name = database
            .map(str::to_string)
            .or_else(|| options.default_database.clone())
            .unwrap_or_else(|| "onelastai".into());
        let client = Client::with_options(options)?;
        Ok(Self {
            db: client.database(&name),
            timeout,
            nested_arrays: std::sync::OnceLock::new(),
        })
    }

    /// The database name in use.
    pub fn name(&self) -> &str {
        self.db.name()
    }

    /// The driver's database handle (index creation, tests).
    pub fn database(&self) -> &Database {
        &self.db
    }

    /// The per-operation deadline.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    fn coll(&self, name: &str) -> mongodb::Collection<Document> {
        self.db.collection(name)
    }

    /// Whether the database can store an array directly inside an array:
    /// MongoDB can, FerretDB 1.x cannot. Asked with `buildInfo` the first
    /// time, then remembered.
    pub async fn stores_nested_arrays(&self) -> Result<bool, StoreError> {
        if let Some(known) = self.nested_arrays.get() {
            return Ok(*known);
        }
        let admin = self.db.client().database("admin");
        let info = self.run(admin.run_command(doc! { "buildInfo": 1 })).await?;
        let known = *self
            .nested_arrays
            .get_or_init(|| stores_nested_arrays(&info));
        Ok(known)
    }

    /// `{ping: 1}`.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.run(self.db.run_command(doc! { "ping": 1 })).await?;
        Ok(())
    }

    /// Inserts one document (which carries its `_id`).
    pub async fn insert(&self, coll: &str, doc: &Document) -> Result<(), StoreError> {
        self.run(self.coll(coll).insert_one(doc)).await?;
        Ok(())
    }

    /// The first document matching `filter`, with `projection` applied.
    pub async fn find_one(
        &self,
        coll: &str,
        filter: Document,
        projection: Option<Document>,
    ) -> Result<Option<Document>, StoreError> {
        let c = self.coll(coll);
        let mut action = c.find_one(filter).max_time(self.timeout);
        if let Some(p) = projection {
            action = action.projection(p);
        }
        self.run(action).await
    }

    /// The document with this `_id`.
    pub async fn find_by_id(
        &self,
        coll: &str,
        id: ObjectId,
        projection: Option<Document>,
    ) -> Result<Option<Document>, StoreError> {
        self.find_one(coll, doc! { "_id": id }, projection).await
    }

    /// Up to `limit` documents matching `filter` in `sort` order.
    pub async fn find(
        &self,
        coll: &str,
        filter: Document,
        sort: Document,
        limit: i64,
        projection: Option<Document>,
    ) -> Result<Vec<Document>, StoreError> {
        let options = FindOptions::builder()
            .sort(sort)
            .limit(limit)
            .projection(projection)
            .max_time(self.timeout)
            .build();
        let c = self.coll(coll);
        self.run(async {
            let cursor = c.find(filter).with_options(options).await?;
            cursor.try_collect::<Vec<_>>().await
        })
        .await
    }

    /// `updateOne`; whether a document matched.
    pub async fn update_one(
        &self,
        coll: &str,
        filter: Document,
        update: Document,
    ) -> Result<bool, StoreError> {
        let r = self.run(self.coll(coll).update_one(filter, update)).await?;
        Ok(r.matched_count > 0)
    }

    /// `updateMany`; how many documents matched.
    pub async fn update_many(
        &self,
        coll: &str,
        filter: Document,
        update: Document,
    ) -> Result<u64, StoreError> {
        let r = self
            .run(self.coll(coll).update_many(filter, update))
            .await?;
        Ok(r.matched_count)
    }

    /// `deleteOne`; whether a document was deleted.
    pub async fn delete_one(&self, coll: &str, filter: Document) -> Result<bool, StoreError> {
        let r = self.run(self.coll(coll).delete_one(filter)).await?;
        Ok(r.deleted_count > 0)
    }

    /// `deleteMany`; how many documents were deleted.
    pub async fn delete_many(&self, coll: &str, filter: Document) -> Result<u64, StoreError> {
        let r = self.run(self.coll(coll).delete_many(filter)).await?;
        Ok(r.deleted_count)
    }

    /// Runs a driver future under the deadline.
    async fn run<T>(
        &self,
        fut: impl IntoFuture<Output = mongodb::error::Result<T>>,
    ) -> Result<T, StoreError> {
        deadline(self.timeout, fut.into_future())
            .await?
            .map_err(StoreError::from)
    }
}

/// Whether a server with this `buildInfo` answer stores arrays directly inside
/// arrays: FerretDB, which adds `ferretdbVersion` to the answer, does not.
pub fn stores_nested_arrays(build_info: &Document) -> bool {
    !build_info.contains_key("ferretdbVersion") && !build_info.contains_key("ferretdbFeatures")
}

async fn deadline<F: Future>(timeout: Duration, fut: F) -> Result<F::Output, StoreError> {
    tokio::time::timeout(timeout, fut)
        .await
        .map_err(|_| StoreError::Unavailable(format!("no answer within {timeout:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ferretdb_is_told_apart_by_its_build_info() {
        // As FerretDB 1.24 answers (abridged), and as MongoDB 7 does.
        let ferret = doc! { "version": "7.0.42", "ferretdbVersion": "unknown", "ferretdbFeatures": {}, "ok": 1 };
        let mongo =
            doc! { "version": "7.0.14", "gitVersion": "ce59cfc6", "modules": [], "ok": 1.0 };
        assert!(!stores_nested_arrays(&ferret));
        assert!(stores_nested_arrays(&mongo));
    }
}
