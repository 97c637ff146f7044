//! JSON <-> BSON, the way Mongoose and the Node driver store documents.
//!
//! The models crate speaks JSON: dates are ISO strings and ObjectIds are hex
//! strings. MongoDB must hold real BSON dates and ObjectIds, or Mongoose code
//! reading the same collections would see strings. Which strings are dates is
//! known only from the schema, so writing is schema-driven ([`to_bson`]);
//! reading needs no schema ([`to_json`]): every BSON date becomes an ISO
//! string and every ObjectId a hex string, as `JSON.stringify` of a Mongoose
//! document gives.
//!
//! Numbers follow js-bson: an integral value in the int32 range is an
//! `Int32`, anything else a `Double`, so `price: 20` and `price: 19.99` get
//! the BSON types Mongoose gives them.

use bson::{oid, Bson, DateTime, Document};
use onelastai_models::engine::{Kind, Schema};
use onelastai_models::{js, Date};
use serde_json::{Map, Number, Value};

/// A value the schema types as a date or ObjectId is not one.
///
/// Cannot happen for a document the models crate validated; reported as an
/// internal error, never as the client's fault.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {what}")]
pub struct CodecError {
    /// Dotted path of the value.
    pub path: String,
    /// What was wrong with it.
    pub what: &'static str,
}

/// A validated document of `schema` as the BSON document to store.
pub fn to_bson(schema: &Schema, doc: &Map<String, Value>) -> Result<Document, CodecError> {
    let mut path = String::new();
    object(schema, doc, &mut path)
}

/// One value of `kind` as BSON (query values, cursor positions).
pub fn value_to_bson(kind: &Kind, v: &Value) -> Result<Bson, CodecError> {
    let mut path = String::new();
    typed(kind, v, &mut path)
}

fn object(
    schema: &Schema,
    m: &Map<String, Value>,
    path: &mut String,
) -> Result<Document, CodecError> {
    let mut out = Document::new();
    for (k, v) in m {
        let len = push(path, k);
        let b = match k.as_str() {
            "_id" if schema.has_id => typed(&Kind::ObjectId, v, path)?,
            "__v" if schema.version_key => typed(&Kind::Number, v, path)?,
            _ => match schema.field(k) {
                Some(f) => typed(&f.kind, v, path)?,
                None => plain(v),
            },
        };
        path.truncate(len);
        out.insert(k.clone(), b);
    }
    Ok(out)
}

fn typed(kind: &Kind, v: &Value, path: &mut String) -> Result<Bson, CodecError> {
    let fail = |path: &String, what| CodecError {
        path: path.clone(),
        what,
    };
    Ok(match (kind, v) {
        (_, Value::Null) => Bson::Null,
        (Kind::Date, Value::String(s)) => {
            let d = Date::parse_iso(s).ok_or_else(|| fail(path, "not an ISO date"))?;
            Bson::DateTime(DateTime::from_millis(d.millis()))
        }
        (Kind::ObjectId, Value::String(s)) => {
            Bson::ObjectId(oid::ObjectId::parse_str(s).map_err(|_| fail(path, "not an ObjectId"))?)
        }
        (Kind::Array(inner), Value::Array(items)) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let len = push(path, &i.to_string());
                out.push(typed(inner, item, path)?);
                path.truncate(len);
            }
            Bson::Array(out)
        }
        (Kind::Map(inner), Value::Object(m)) => {
            let mut out = Document::new();
            for (k, item) in m {
                let len = push(path, k);
                out.insert(k.clone(), typed(inner, item, path)?);
                path.truncate(len);
            }
            Bson::Document(out)
        }
        (Kind::Object(s), Value::Object(m)) => Bson::Document(object(s, m, path)?),
        // Strings, numbers, booleans and Mixed values are stored as they are.
        (_, other) => plain(other),
    })
}

/// Schema-less JSON to BSON (Mixed values, undeclared keys).
fn plain(v: &Value) -> Bson {
    match v {
        Value::Null => Bson::Null,
        Value::Bool(b) => Bson::Boolean(*b),
        Value::Number(n) => number(n),
        Value::String(s) => Bson::String(s.clone()),
        Value::Array(items) => Bson::Array(items.iter().map(plain).collect()),
        Value::Object(m) => Bson::Document(m.iter().map(|(k, v)| (k.clone(), plain(v))).collect()),
    }
}

/// A JSON number as js-bson would store it (see [`f64_to_bson`]).
fn number(n: &Number) -> Bson {
    f64_to_bson(js::as_f64(n))
}

/// js-bson's rule: integral and within int32 -> `Int32`, else `Double`.
pub fn f64_to_bson(x: f64) -> Bson {
    if x.fract() == 0.0 && (f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&x) {
        Bson::Int32(x as i32)
    } else {
        Bson::Double(x)
    }
}

/// A stored document as JSON: dates as ISO strings, ObjectIds as hex.
pub fn to_json(doc: &Document) -> Map<String, Value> {
    doc.iter()
        .map(|(k, v)| (k.clone(), bson_to_json(v)))
        .collect()
}

/// One stored value as JSON.
fn bson_to_json(v: &Bson) -> Value {
    match v {
        Bson::Null | Bson::Undefined => Value::Null,
        Bson::Boolean(b) => Value::Bool(*b),
        Bson::Int32(i) => Value::from(*i),
        Bson::Int64(i) => Value::from(*i),
        Bson::Double(x) => js::number_value(*x),
        Bson::String(s) => Value::String(s.clone()),
        Bson::ObjectId(id) => Value::String(id.to_hex()),
        Bson::DateTime(d) => match Date::from_millis(d.timestamp_millis()) {
            Some(d) => Value::String(d.to_iso_string()),
            None => Value::Null,
        },
        Bson::Array(items) => Value::Array(items.iter().map(bson_to_json).collect()),
        Bson::Document(d) => Value::Object(to_json(d)),
        // Types neither Mongoose schemas nor this server write (Decimal128,
        // binary, regex...): their shell notation, as text.
        other => Value::String(other.to_string()),
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
    use onelastai_models::Collection;
    use serde_json::json;

    #[test]
    fn numbers_follow_js_bson() {
        assert_eq!(number(&Number::from(20)), Bson::Int32(20));
        assert_eq!(plain(&json!(19.99)), Bson::Double(19.99));
        assert_eq!(plain(&json!(3_000_000_000_i64)), Bson::Double(3e9));
        assert_eq!(plain(&json!(2.0)), Bson::Int32(2));
    }

    #[test]
    fn dates_and_ids_round_trip_by_schema() {
        let schema = Collection::ChatSessions.schema();
        let doc = json!({
            "id": "s", "userId": "u", "name": "n",
            "messages": [{"_id": "65a1b2c3d4e5f6a7b8c9d0e1", "id": "m", "role": "user",
                          "content": "c", "timestamp": "2024-01-15T10:30:00.000Z",
                          "attachments": [{"name": "a", "size": 3}]}],
            "lastUpdated": "2024-01-15T10:30:00.000Z",
            "metadata": {"totalTokens": 1.5}
        });
        let Value::Object(m) = doc else { return };
        let mut b = to_bson(schema, &m).unwrap_or_default();
        assert!(matches!(b.get("lastUpdated"), Some(Bson::DateTime(_))));
        assign_ids(schema, &mut b);
        assert_eq!(b.keys().next().map(String::as_str), Some("_id"));
        let back = to_json(&b);
        assert_eq!(back["lastUpdated"], "2024-01-15T10:30:00.000Z");
        assert_eq!(back["messages"][0]["_id"], "65a1b2c3d4e5f6a7b8c9d0e1");
        assert_eq!(back["messages"][0]["timestamp"], "2024-01-15T10:30:00.000Z");
        // The attachment got a generated id; the nested metadata object did not.
        assert!(back["messages"][0]["attachments"][0]["_id"].is_string());
        assert!(back["metadata"].get("_id").is_none());
        assert_eq!(back["metadata"]["totalTokens"], 1.5);
    }

    #[test]
    fn a_string_where_a_date_belongs_is_an_error_not_a_panic() {
        let schema = Collection::Users.schema();
        let m = json!({"lastLoginAt": "yesterday"});
        let Value::Object(m) = m else { return };
        let e = to_bson(schema, &m).err().map(|e| e.path);
        assert_eq!(e.as_deref(), Some("lastLoginAt"));
    }
}
