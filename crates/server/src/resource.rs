//! Collection descriptors: what the generic handlers need to know about each
//! of the 17 collections, all of it read from the models crate.
//!
//! The crate declares secrets, hashed fields, computed defaults, owners,
//! access rules and protected fields next to the fields; this module only
//! caches what the handlers look up on every request, and adds the one
//! read-side method of the spec (`isValid()` of a subscription).

use onelastai_models::subscriptions::{self, SubscriptionStatus};
use onelastai_models::{Collection, Date};
use serde_json::{Map, Value};
use std::sync::OnceLock;

/// Adds computed fields to a document on its way out, at time `now`.
pub type Decorate = fn(&mut Map<String, Value>, Date);

/// One collection as the HTTP layer serves it.
#[derive(Debug, Clone, Copy)]
pub struct Resource {
    /// The collection (name, route, schema, validation, indexes, access).
    pub collection: Collection,
    /// Top-level fields never returned by any endpoint, nor usable in filters or
    /// sorts: the fields the models crate marks `secret`.
    pub secrets: &'static [&'static str],
    /// Secret fields stored as argon2id hashes of the value sent (`hashed`).
    pub hashed: &'static [&'static str],
    /// Runs on every document returned.
    pub decorate: Option<Decorate>,
}

/// Per collection, in `Collection::ALL` order: its secret and hashed fields.
fn fields_of(collection: Collection) -> (&'static [&'static str], &'static [&'static str]) {
    type Lists = (Vec<&'static str>, Vec<&'static str>);
    static BY_COLLECTION: OnceLock<Vec<Lists>> = OnceLock::new();
    let all = BY_COLLECTION.get_or_init(|| {
        Collection::ALL
            .iter()
            .map(|c| {
                let schema = c.schema();
                (
                    schema.secret_fields().collect(),
                    schema.hashed_fields().collect(),
                )
            })
            .collect()
    });
    Collection::ALL
        .iter()
        .position(|c| *c == collection)
        .and_then(|i| all.get(i))
        .map_or((&[], &[]), |(s, h)| (s.as_slice(), h.as_slice()))
}

impl Resource {
    /// The descriptor of `collection`.
    pub fn of(collection: Collection) -> Self {
        let (secrets, hashed) = fields_of(collection);
        Self {
            collection,
            secrets,
            hashed,
            decorate: match collection {
                Collection::Subscriptions => Some(add_is_valid),
                _ => None,
            },
        }
    }

    /// The descriptor served under `/api/<route>`.
    pub fn from_route(route: &str) -> Option<Self> {
        Collection::from_route(route).map(Self::of)
    }

    /// Whether the top-level field `name` is secret.
    pub fn is_secret(&self, name: &str) -> bool {
        self.secrets.contains(&name)
    }

    /// A stored document as returned to clients: secrets removed, computed fields added.
    pub fn present(&self, mut doc: Map<String, Value>, now: Date) -> Value {
        for s in self.secrets {
            doc.shift_remove(*s);
        }
        if let Some(decorate) = self.decorate {
            decorate(&mut doc, now);
        }
        Value::Object(doc)
    }
}

/// The spec's `isValid()`: active and not yet expired.
fn add_is_valid(doc: &mut Map<String, Value>, now: Date) {
    let status = doc
        .get("status")
        .and_then(Value::as_str)
        .and_then(SubscriptionStatus::parse);
    let valid = doc
        .get("expiryDate")
        .and_then(Value::as_str)
        .and_then(Date::parse_iso)
        .is_some_and(|expiry| subscriptions::is_valid(status, expiry, now));
    doc.insert("isValid".into(), Value::Bool(valid));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn now() -> Date {
        Date::parse_iso("2024-01-31T08:00:00Z").unwrap_or_else(|| unreachable!())
    }

    fn obj(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn is_valid_needs_active_and_future_expiry() {
        let mut m = obj(json!({"status": "active", "expiryDate": "2024-02-01T00:00:00.000Z"}));
        add_is_valid(&mut m, now());
        assert_eq!(m["isValid"], true);
        let mut m = obj(json!({"status": "cancelled", "expiryDate": "2024-02-01T00:00:00.000Z"}));
        add_is_valid(&mut m, now());
        assert_eq!(m["isValid"], false);
    }

    #[test]
    fn secrets_and_hashes_come_from_the_models_crate() {
        let users = Resource::of(Collection::Users);
        assert!(users.is_secret("password") && users.is_secret("backupCodes"));
        assert_eq!(users.hashed, &["password"]);
        assert!(Resource::of(Collection::Tools).secrets.is_empty());
    }
}
