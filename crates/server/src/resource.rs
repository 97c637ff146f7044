//! Collection descriptors: what the generic handlers need to know about each
//! of the 17 collections beyond its schema.
//!
//! Most collections need nothing more than [`Collection`] itself. The few
//! collection-specific behaviours of the spec are data or small hooks here:
//! `users` hides and hashes its secrets, `subscriptions` computes
//! `expiryDate` and reports `isValid`, `appconfigs` has a public flag.

use onelastai_models::engine::Options;
use onelastai_models::json::{self, Json, Object};
use onelastai_models::subscriptions::{self, Plan, SubscriptionStatus};
use onelastai_models::{Collection, Date};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::sync::OnceLock;

/// Rewrites the raw input before validation, at time `now`.
pub type Prepare = fn(&mut Object<'_>, Date);

/// Adds computed fields to a document on its way out, at time `now`.
pub type Decorate = fn(&mut Map<String, Value>, Date);

/// One collection as the HTTP layer serves it.
#[derive(Debug, Clone, Copy)]
pub struct Resource {
    /// The collection (name, route, schema, validation, indexes).
    pub collection: Collection,
    /// Top-level fields never returned by any endpoint, nor usable in filters or
    /// sorts: the fields the models crate marks `#[field(secret)]`.
    pub secrets: &'static [&'static str],
    /// Secret fields stored as argon2id hashes of the value sent.
    pub hashed: &'static [&'static str],
    /// Runs on the input (or the merged document of a PATCH) before validation.
    pub prepare: Option<Prepare>,
    /// Runs on every document returned.
    pub decorate: Option<Decorate>,
    /// A boolean field; documents where it is `true` are listed without a token.
    pub public_flag: Option<&'static str>,
}

/// The top-level fields the models crate marks `#[field(secret)]`, per collection.
fn secret_fields(collection: Collection) -> &'static [&'static str] {
    static BY_COLLECTION: OnceLock<Vec<Vec<&'static str>>> = OnceLock::new();
    let all = BY_COLLECTION.get_or_init(|| {
        Collection::ALL
            .iter()
            .map(|c| c.schema().secret_fields().collect())
            .collect()
    });
    Collection::ALL
        .iter()
        .position(|c| *c == collection)
        .and_then(|i| all.get(i))
        .map_or(&[], Vec::as_slice)
}

impl Resource {
    /// The descriptor of `collection`.
    pub fn of(collection: Collection) -> Self {
        let plain = Self {
            collection,
            secrets: secret_fields(collection),
            hashed: &[],
            prepare: None,
            decorate: None,
            public_flag: None,
        };
        match collection {
            Collection::Users => Self {
                hashed: &["password"],
                ..plain
            },
            Collection::Subscriptions => Self {
                prepare: Some(fill_expiry_date),
                decorate: Some(add_is_valid),
                ..plain
            },
            Collection::AppConfigs => Self {
                public_flag: Some("isPublic"),
                ..plain
            },
            _ => plain,
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

/// A date `fill_expiry_date` puts in place while it finds out whether the
/// rest of the document is valid.
const PLACEHOLDER_DATE: &str = "1970-01-01T00:00:00.000Z";

/// `expiryDate` absent (or null): `calculateExpiryDate(plan, startDate)`, with
/// `startDate` as the models crate casts it (or its `Date.now` default).
///
/// Only a document whose other fields are valid gets one, so an invalid
/// document reports exactly the crate's errors, `expiryDate` included.
fn fill_expiry_date(input: &mut Object<'_>, now: Date) {
    if !matches!(json::get(input, "expiryDate"), None | Some(Json::Null)) {
        return;
    }
    let mut probe = input.clone();
    probe.retain(|(k, _)| k != "expiryDate");
    probe.push((
        Cow::Borrowed("expiryDate"),
        Json::String(Cow::Borrowed(PLACEHOLDER_DATE)),
    ));
    // Whether the rest is valid is all that matters: the first error answers it.
    let first_error = Options {
        max_errors: Some(1),
    };
    let Ok(doc) =
        Collection::Subscriptions.validate_json_with(&Json::Object(probe), now, &first_error)
    else {
        return;
    };
    let Some(plan) = json::get(&doc, "plan")
        .and_then(Json::as_str)
        .and_then(Plan::parse)
    else {
        return;
    };
    let start = match json::get(&doc, "startDate") {
        Some(Json::Date(d)) => *d,
        Some(Json::String(s)) => Date::parse_iso(s).unwrap_or(now),
        _ => now,
    };
    if let Some(expiry) = subscriptions::calculate_expiry_date(plan, start) {
        input.retain(|(k, _)| k != "expiryDate");
        input.push((
            Cow::Borrowed("expiryDate"),
            Json::String(Cow::Owned(expiry.to_iso_string())),
        ));
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

    /// `fill_expiry_date` on a JSON object, returning the result as a Map.
    fn filled(v: Value) -> Map<String, Value> {
        let json = Json::from_value(&v);
        let Json::Object(mut m) = json else {
            return Map::new();
        };
        fill_expiry_date(&mut m, now());
        json::object_to_map(&m)
    }

    #[test]
    fn expiry_is_filled_from_plan_and_start() {
        let m = filled(json!({"userId": "u", "agentId": "a", "plan": "monthly", "price": 5}));
        assert_eq!(m["expiryDate"], "2024-03-02T08:00:00.000Z");
        let m = filled(
            json!({"userId": "u", "agentId": "a", "plan": "daily", "price": 5,
                               "startDate": "2024-02-28T00:00:00Z"}),
        );
        assert_eq!(m["expiryDate"], "2024-02-29T00:00:00.000Z");
    }

    #[test]
    fn invalid_documents_get_no_expiry() {
        let m = filled(json!({"userId": "u", "agentId": "a", "plan": "yearly", "price": 5}));
        assert!(!m.contains_key("expiryDate"));
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
}
