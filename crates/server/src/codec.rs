//! BSON -> JSON, the way `JSON.stringify` of a Mongoose document reads.
//!
//! Writing is the models crate's (`onelastai_models::storage`: the
//! validated document to BSON, typed by its schema). Reading needs no
//! schema: every BSON date becomes an ISO string and every ObjectId a hex
//! string.

use bson::{Bson, Document};
use onelastai_models::{js, Date};
use serde_json::{Map, Value};

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

#[cfg(test)]
mod tests {
    use super::*;
    use bson::{doc, oid::ObjectId, DateTime};

    #[test]
    fn dates_and_ids_read_as_json_strings() {
        let id =
            ObjectId::parse_str("65a1b2c3d4e5f6a7b8c9d0e1").unwrap_or_else(|_| ObjectId::new());
        let d = doc! {
            "_id": id,
            "at": DateTime::from_millis(1_705_314_600_000),
            "n": 20_i32,
            "x": 19.99,
            "list": [{ "_id": id }],
        };
        let json = to_json(&d);
        assert_eq!(json["_id"], "65a1b2c3d4e5f6a7b8c9d0e1");
        assert_eq!(json["at"], "2024-01-15T10:30:00.000Z");
        assert_eq!(json["n"], 20);
        assert_eq!(json["x"], 19.99);
        assert_eq!(json["list"][0]["_id"], "65a1b2c3d4e5f6a7b8c9d0e1");
    }
}
