//! Documents as MongoDB stores them (feature `server`): the engine's
//! normalised tree to BSON, the way Mongoose and the Node driver write it.
//!
//! The engine's output already carries its dates as dates
//! ([`Json::Date`]); ObjectIds come out as hex strings, so which strings are
//! ObjectIds is read from the schema, through the same field declarations
//! validation applied ([`Schema::field`], array and nested kinds). Numbers
//! follow js-bson: an integral value in the int32 range is an `Int32`,
//! anything else a `Double`, so `price: 20` and `price: 19.99` get the BSON
//! types Mongoose gives them.

use crate::engine::{Kind, Schema};
use crate::json::{Json, Object};
use bson::{oid, Bson, DateTime, Document};

/// A value the schema types as an ObjectId is not one. Cannot happen for a
/// document the engine validated; a caller reports it as its own fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: not an ObjectId")]
pub struct StorageError {
    /// Dotted path of the value.
    pub path: String,
}

/// A validated document of `schema` as the BSON document to store.
pub fn to_bson(schema: &Schema, doc: &Object<'_>) -> Result<Document, StorageError> {
    let mut path = String::new();
    object(schema, doc, &mut path)
}

fn object(schema: &Schema, m: &Object<'_>, path: &mut String) -> Result<Document, StorageError> {
    let mut out = Document::new();
    for (k, v) in m {
        let len = push(path, k);
        let b = match k.as_ref() {
            "_id" if schema.has_id => typed(&Kind::ObjectId, v, path)?,
            _ => match schema.field(k) {
                Some(f) => typed(&f.kind, v, path)?,
                None => plain(v),
            },
        };
        path.truncate(len);
        out.insert(k.to_string(), b);
    }
    Ok(out)
}

fn typed(kind: &Kind, v: &Json<'_>, path: &mut String) -> Result<Bson, StorageError> {
    Ok(match (kind, v) {
        (Kind::ObjectId, Json::String(s)) => Bson::ObjectId(
            oid::ObjectId::parse_str(s.as_ref())
                .map_err(|_| StorageError { path: path.clone() })?,
        ),
        (Kind::Array(inner), Json::Array(items)) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let len = push(path, &i.to_string());
                out.push(typed(inner, item, path)?);
                path.truncate(len);
            }
            Bson::Array(out)
        }
        (Kind::Map(inner), Json::Object(m)) => {
            let mut out = Document::new();
            for (k, item) in m {
                let len = push(path, k);
                out.insert(k.to_string(), typed(inner, item, path)?);
                path.truncate(len);
            }
            Bson::Document(out)
        }
        (Kind::Object(s), Json::Object(m)) => Bson::Document(object(s, m, path)?),
        // Dates are typed by the engine already; strings, numbers, booleans
        // and Mixed values are stored as they are.
        (_, other) => plain(other),
    })
}

/// Schema-less conversion (Mixed values, undeclared keys).
fn plain(v: &Json<'_>) -> Bson {
    match v {
        Json::Null => Bson::Null,
        Json::Bool(b) => Bson::Boolean(*b),
        Json::Number(n) => f64_to_bson(*n),
        Json::String(s) => Bson::String(s.to_string()),
        Json::Date(d) => Bson::DateTime(DateTime::from_millis(d.millis())),
        Json::Array(items) => Bson::Array(items.iter().map(plain).collect()),
        Json::Object(m) => {
            Bson::Document(m.iter().map(|(k, v)| (k.to_string(), plain(v))).collect())
        }
    }
}

/// js-bson's rule: integral and within int32 -> `Int32`, else `Double`.
pub fn f64_to_bson(x: f64) -> Bson {
    if x.fract() == 0.0 && (f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&x) {
        Bson::Int32(x as i32)
    } else {
        Bson::Double(x)
    }
}

/// Gives every document and array subdocument of `schema` without an `_id`
/// a fresh one, first in key order, as Mongoose does on `new Model(...)`.
pub fn assign_ids(schema: &Schema, doc: &mut Document) {
    if schema.has_id && !doc.contains_key("_id") {
        let mut with_id = Document::new();
        with_id.insert("_id", oid::ObjectId::new());
        with_id.extend(std::mem::take(doc));
        *doc = with_id;
    }
    for f in schema.fields {
        if let Some(v) = doc.get_mut(f.name) {
            assign_ids_in(&f.kind, v);
        }
    }
}

fn assign_ids_in(kind: &Kind, v: &mut Bson) {
    match (kind, v) {
        (Kind::Object(s), Bson::Document(d)) => assign_ids(s, d),
        (Kind::Array(inner), Bson::Array(items)) => {
            for item in items {
                assign_ids_in(inner, item);
            }
        }
        _ => {}
    }
}

fn push(path: &mut String, seg: &str) -> usize {
    let len = path.len();
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(seg);
    len
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{json, Collection, Date};

    fn now() -> Date {
        Date::parse_iso("2024-01-15T10:30:00Z").unwrap_or_else(|| unreachable!())
    }

    #[test]
    fn numbers_follow_js_bson() {
        assert_eq!(f64_to_bson(20.0), Bson::Int32(20));
        assert_eq!(f64_to_bson(19.99), Bson::Double(19.99));
        assert_eq!(f64_to_bson(3e9), Bson::Double(3e9));
    }

    #[test]
    fn dates_and_ids_are_typed_by_the_validated_document() {
        let text = r#"{"id":"s","userId":"u","name":"n",
            "messages":[{"_id":"65a1b2c3d4e5f6a7b8c9d0e1","id":"m","role":"user","content":"c",
                         "timestamp":"2024-01-15T10:30:00.000Z","attachments":[{"name":"a","size":3}]}],
            "lastUpdated":"2024-01-15T10:30:00.000Z","metadata":{"totalTokens":1.5}}"#;
        let Ok(input) = json::parse(text) else {
            panic!("parse")
        };
        let Ok(doc) = Collection::ChatSessions.validate_json(&input, now()) else {
            panic!("invalid")
        };
        let schema = Collection::ChatSessions.schema();
        let mut b = to_bson(schema, &doc).unwrap_or_default();
        assert!(matches!(b.get("lastUpdated"), Some(Bson::DateTime(_))));
        assign_ids(schema, &mut b);
        assert_eq!(b.keys().next().map(String::as_str), Some("_id"));
        let message = b
            .get_array("messages")
            .ok()
            .and_then(|a| a.first())
            .and_then(Bson::as_document)
            .cloned()
            .unwrap_or_default();
        assert!(matches!(message.get("_id"), Some(Bson::ObjectId(_))));
        assert!(matches!(message.get("timestamp"), Some(Bson::DateTime(_))));
        // The attachment got a generated id; the nested metadata object did not.
        let attachment = message
            .get_array("attachments")
            .ok()
            .and_then(|a| a.first())
            .and_then(Bson::as_document)
            .cloned()
            .unwrap_or_default();
        assert!(matches!(attachment.get("_id"), Some(Bson::ObjectId(_))));
        assert!(b
            .get_document("metadata")
            .is_ok_and(|m| !m.contains_key("_id")));
        assert_eq!(
            b.get_document("metadata")
                .ok()
                .and_then(|m| m.get("totalTokens")),
            Some(&Bson::Double(1.5))
        );
    }
}
