//! List queries: `?<field>=<value>&sort=[-]<field>&limit=<n>&cursor=<token>`.
//!
//! Filters are equality on declared fields only. Each value is cast by the
//! field's schema kind (with its `lowercase`/`trim` setters, as Mongoose casts
//! queries) and put into the filter as a plain BSON value, so nothing a
//! client sends can become a query operator. Sorting is allowed on the
//! leading key of a declared index (and `_id`). Pages are keyset pages: the
//! cursor holds the sort key and `_id` of the last document returned.

use crate::error::ApiError;
use crate::resource::Resource;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use bson::{doc, oid::ObjectId, Bson, Document};
use onelastai_models::engine::{cast, Kind, Rules, Schema};
use onelastai_models::Json;
use onelastai_models::{js, storage, Date};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Page size when `limit` is absent.
pub const DEFAULT_LIMIT: i64 = 20;
/// Largest `limit`.
pub const MAX_LIMIT: i64 = 100;

/// A parsed list request.
#[derive(Debug)]
pub struct ListQuery {
    /// Equality filter, plus the keyset condition of the cursor.
    pub filter: Document,
    /// `{<field>: dir, _id: dir}`.
    pub sort: Document,
    /// Page size.
    pub limit: i64,
    /// The sort field.
    pub sort_field: String,
    /// 1 or -1.
    pub direction: i32,
}

/// The opaque `cursor`: where the previous page ended.
///
/// A client can send anything here, so nothing in it is trusted: the sort
/// value travels as text and is cast by the sort field's schema kind exactly
/// as a filter value is (a string stays a plain string, never an operator
/// document), and anything that does not fit is `400 invalid_cursor`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Cursor {
    /// Sort field.
    k: String,
    /// Direction.
    d: i32,
    /// The last document's sort value as text (`None` when absent or null).
    v: Option<String>,
    /// The last document's `_id` (hex).
    id: String,
}

fn bad(message: impl Into<String>) -> ApiError {
    ApiError::bad_request("invalid_query", message)
}

/// Parses the query string pairs of a list request.
pub fn parse(res: &Resource, pairs: &[(String, String)]) -> Result<ListQuery, ApiError> {
    let schema = res.collection.schema();
    let mut filter = Document::new();
    let mut sort: Option<&str> = None;
    let mut limit: Option<&str> = None;
    let mut cursor: Option<&str> = None;
    for (key, value) in pairs {
        let slot = match key.as_str() {
            "sort" => &mut sort,
            "limit" => &mut limit,
            "cursor" => &mut cursor,
            _ => {
                if filter.contains_key(key) {
                    return Err(bad(format!("`{key}` is given more than once")));
                }
                let bson = filter_value(res, schema, key, value)?;
                filter.insert(key.clone(), bson);
                continue;
            }
        };
        if slot.replace(value.as_str()).is_some() {
            return Err(bad(format!("`{key}` is given more than once")));
        }
    }

    let limit = match limit {
        None => DEFAULT_LIMIT,
        Some(s) => match s.parse::<i64>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => {
                return Err(bad(format!(
                    "`limit` must be an integer from 1 to {MAX_LIMIT}, got {s:?}"
                )))
            }
        },
    };

    let (sort_field, direction) = match sort {
        None => ("_id".to_string(), 1),
        Some(s) => {
            let (field, dir) = match s.strip_prefix('-') {
                Some(f) => (f, -1),
                None => (s.strip_prefix('+').unwrap_or(s), 1),
            };
            let allowed = sortable_fields(res);
            if !allowed.iter().any(|f| f == field) {
                return Err(bad(format!(
                    "cannot sort on {field:?}; sortable fields: {}",
                    allowed.join(", ")
                )));
            }
            (field.to_string(), dir)
        }
    };
    let mut sort = Document::new();
    sort.insert(sort_field.clone(), direction);
    if sort_field != "_id" {
        sort.insert("_id", direction);
    }

    if let Some(token) = cursor {
        let after = decode_cursor(token)?;
        if after.k != sort_field || after.d != direction {
            return Err(invalid_cursor("it belongs to another sort order"));
        }
        let keyset = keyset(schema, &sort_field, direction, &after)?;
        filter = if filter.is_empty() {
            keyset
        } else {
            doc! { "$and": [filter, keyset] }
        };
    }

    Ok(ListQuery {
        filter,
        sort,
        limit,
        sort_field,
        direction,
    })
}

/// The fields a list can be sorted on: `_id` and the leading key of every
/// index, secrets and paths through arrays excluded.
pub fn sortable_fields(res: &Resource) -> Vec<String> {
    let schema = res.collection.schema();
    let mut out = vec!["_id".to_string()];
    for ix in res.collection.indexes() {
        let Some((first, _)) = ix.keys.first() else {
            continue;
        };
        let top = first.split('.').next().unwrap_or_default();
        let scalar = matches!(resolve(schema, first), Some((_, _, false)));
        if scalar && !res.is_secret(top) && !out.contains(first) {
            out.push(first.clone());
        }
    }
    out
}

/// The kind and rules a dotted path names, and whether it goes through an
/// array: the models crate's one schema traversal.
fn resolve<'s>(schema: &'s Schema, path: &str) -> Option<(&'s Kind, Rules, bool)> {
    schema
        .resolve_scalar(path)
        .map(|p| (p.kind, p.rules, p.through_array))
}

/// One equality filter value, cast by the field's kind.
fn filter_value(res: &Resource, schema: &Schema, key: &str, raw: &str) -> Result<Bson, ApiError> {
    let top = key.split('.').next().unwrap_or_default();
    if res.is_secret(top) {
        return Err(bad(format!("`{key}` cannot be used in a filter")));
    }
    let Some((kind, rules, _)) = resolve(schema, key) else {
        return Err(bad(format!(
            "unknown filter `{key}`: filters are declared fields of {} with a string, number, boolean, date, ObjectId or enum value",
            res.collection.name()
        )));
    };
    let looks_structured = matches!(kind, Kind::String | Kind::Enum(_))
        && matches!(raw.trim_start().chars().next(), Some('{' | '['))
        && matches!(
            serde_json::from_str::<Value>(raw),
            Ok(Value::Object(_) | Value::Array(_))
        );
    if looks_structured {
        // Said plainly for a person who tried `?email={"$gt": ""}`; the cast
        // below would have made it a plain string anyway.
        return Err(bad(format!(
            "filter `{key}`: values are plain strings; query operators and JSON objects are not supported"
        )));
    }
    cast(kind, &rules, raw).map_err(|why| bad(format!("filter `{key}`: {why}")))
}

/// Casts a query-string value (a filter, or a cursor's sort value) to a
/// scalar of `kind`, as Mongoose casts query values. The result is always a
/// plain BSON scalar.
fn cast(kind: &Kind, rules: &Rules, raw: &str) -> Result<Bson, String> {
    match kind {
        Kind::String | Kind::Enum(_) => {
            let mut s = raw.to_string();
            if rules.lowercase {
                s = s.to_lowercase();
            }
            if rules.trim {
                s = js::trim(&s).to_string();
            }
            if let Kind::Enum(values) = kind {
                if !values.contains(&s.as_str()) {
                    return Err(format!("{s:?} is not one of {}", values.join(", ")));
                }
            }
            Ok(Bson::String(s))
        }
        // As documents cast, except that a blank value filters nothing:
        // `Number("  ")` is 0, and `''` casts to null.
        Kind::Number => match cast::number(&Json::String(raw.into())) {
            Ok(Json::Number(n)) if !js::trim(raw).is_empty() => Ok(storage::f64_to_bson(n)),
            _ => Err(format!("{raw:?} is not a number")),
        },
        Kind::Boolean => match cast::boolean(&Json::String(raw.into())) {
            Ok(Json::Bool(b)) => Ok(Bson::Boolean(b)),
            _ => Err(format!("{raw:?} is not a boolean")),
        },
        Kind::Date => parse_date(raw)
            .map(|d| Bson::DateTime(bson::DateTime::from_millis(d.millis())))
            .ok_or_else(|| format!("{raw:?} is not a date")),
        Kind::ObjectId => ObjectId::parse_str(raw)
            .map(Bson::ObjectId)
            .map_err(|_| format!("{raw:?} is not an ObjectId (24 hexadecimal characters)")),
        _ => Err("this field cannot be filtered".into()),
    }
}

/// A date cast as the models crate casts document values (epoch milliseconds
/// outside the year range, else ISO 8601); an empty value is no date.
fn parse_date(raw: &str) -> Option<Date> {
    match cast::date(&Json::String(raw.into())) {
        Ok(Json::Date(d)) => Some(d),
        _ => None,
    }
}

/// The next-page cursor after `last` (a document as returned, JSON).
pub fn next_cursor(q: &ListQuery, last: &Map<String, Value>) -> Option<String> {
    let id = last.get("_id")?.as_str()?.to_string();
    let mut segments = q.sort_field.split('.');
    let first = segments.next().and_then(|k| last.get(k));
    let v = segments.fold(first, |v, k| v.and_then(|x| x.get(k)));
    let v = match v {
        // The `_id` travels as `id`.
        _ if q.sort_field == "_id" => None,
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Bool(b)) => Some(b.to_string()),
        Some(Value::Number(n)) => Some(js::number_to_string(js::as_f64(n))),
        // Sortable fields are scalars; a stored document of another shape
        // (written by other code) ends the listing rather than guess.
        Some(_) => return None,
    };
    let cursor = Cursor {
        k: q.sort_field.clone(),
        d: q.direction,
        v,
        id,
    };
    let json = serde_json::to_vec(&cursor).ok()?;
    Some(URL_SAFE_NO_PAD.encode(json))
}

/// The 400 for a cursor that is not one this server could have returned.
fn invalid_cursor(why: &str) -> ApiError {
    ApiError::bad_request(
        "invalid_cursor",
        format!("`cursor` is not a cursor this server returned ({why}); start again without it"),
    )
}

fn decode_cursor(token: &str) -> Result<Cursor, ApiError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(token)
        .map_err(|_| invalid_cursor("not base64url"))?;
    serde_json::from_slice(&bytes).map_err(|_| invalid_cursor("malformed"))
}

/// Documents after the cursor in `(field, _id)` order. MongoDB sorts a
/// missing or null field before every value, ascending.
fn keyset(schema: &Schema, field: &str, dir: i32, after: &Cursor) -> Result<Document, ApiError> {
    let id = ObjectId::parse_str(&after.id).map_err(|_| invalid_cursor("bad `_id`"))?;
    let id = Bson::ObjectId(id);
    if field == "_id" {
        // Cursors of earlier versions repeated the `_id` as the value.
        if after.v.as_ref().is_some_and(|v| *v != after.id) {
            return Err(invalid_cursor("unexpected value"));
        }
        let next = if dir == 1 { "$gt" } else { "$lt" };
        return Ok(doc! { "_id": { next: id } });
    }
    let v = match &after.v {
        None => Bson::Null,
        Some(raw) => {
            let (kind, rules, _) = resolve(schema, field).ok_or_else(|| invalid_cursor("field"))?;
            cast(kind, &rules, raw).map_err(|_| invalid_cursor("value does not fit the field"))?
        }
    };
    Ok(match (dir, v) {
        (1, Bson::Null) => doc! { "$or": [
            { field: Bson::Null, "_id": { "$gt": id } },
            { field: { "$ne": Bson::Null } },
        ] },
        (1, v) => doc! { "$or": [
            { field: { "$gt": v.clone() } },
            { field: v, "_id": { "$gt": id } },
        ] },
        (_, Bson::Null) => doc! { field: Bson::Null, "_id": { "$lt": id } },
        (_, v) => doc! { "$or": [
            { field: { "$lt": v.clone() } },
            { field: v, "_id": { "$lt": id } },
            { field: Bson::Null },
        ] },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use onelastai_models::Collection;
    use serde_json::json;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn filters_are_cast_by_kind() {
        let res = Resource::of(Collection::Users);
        let q = parse(
            &res,
            &pairs(&[
                ("email", "Ann@Example.COM"),
                ("isActive", "yes"),
                ("lastLoginAt", "2024-01-15"),
            ]),
        );
        let Ok(q) = q else { panic!("refused") };
        assert_eq!(q.filter.get_str("email").ok(), Some("ann@example.com"));
        assert_eq!(q.filter.get_bool("isActive").ok(), Some(true));
        assert!(matches!(
            q.filter.get("lastLoginAt"),
            Some(Bson::DateTime(_))
        ));
    }

    #[test]
    fn operators_secrets_and_unknown_fields_are_refused() {
        let res = Resource::of(Collection::Users);
        for (k, v) in [
            ("email", "{\"$gt\": \"\"}"),
            ("email[$gt]", ""),
            ("$where", "1"),
            ("password", "x"),
            ("resetPasswordToken", "x"),
            ("nope", "x"),
            ("role", "root"),
            ("isActive", "maybe"),
            ("preferences", "x"),
        ] {
            assert!(parse(&res, &pairs(&[(k, v)])).is_err(), "{k}={v}");
        }
        assert!(parse(&res, &pairs(&[("limit", "101")])).is_err());
        assert!(parse(&res, &pairs(&[("sort", "bio")])).is_err());
        assert!(parse(&res, &pairs(&[("sort", "resetPasswordToken")])).is_err());
        assert!(parse(&res, &pairs(&[("sort", "-createdAt")])).is_ok());
    }

    fn token(v: serde_json::Value) -> String {
        URL_SAFE_NO_PAD.encode(v.to_string())
    }

    #[test]
    fn crafted_cursors_are_invalid_cursor() {
        let res = Resource::of(Collection::Users);
        let id = "65a1b2c3d4e5f6a7b8c9d0e1";
        let crafted = [
            json!({"k": "createdAt", "d": -1, "v": {"$regex": ".*"}, "id": id}),
            json!({"k": "createdAt", "d": -1, "v": {"$ne": null}, "id": id}),
            json!({"k": "createdAt", "d": -1, "v": ["2024-01-15T00:00:00.000Z"], "id": id}),
            json!({"k": "createdAt", "d": -1, "v": 5, "id": id}),
            json!({"k": "createdAt", "d": -1, "v": "yesterday", "id": id}),
            json!({"k": "createdAt", "d": -1, "v": null, "id": {"$gt": ""}}),
            json!({"k": "createdAt", "d": -1, "v": null, "id": "nothex"}),
            json!({"k": "createdAt", "d": -1, "v": null, "id": id, "x": 1}),
            json!({"k": "createdAt", "d": 1, "v": null, "id": id}),
            json!({"k": "email", "d": -1, "v": null, "id": id}),
            json!({"k": "createdAt", "d": -1}),
            json!([1, 2]),
        ];
        for c in crafted {
            let q = parse(
                &res,
                &pairs(&[("sort", "-createdAt"), ("cursor", &token(c.clone()))]),
            );
            assert_eq!(q.err().map(|e| e.code()), Some("invalid_cursor"), "{c}");
        }
        for raw in ["%%%", "", "eyJr"] {
            let q = parse(&res, &pairs(&[("cursor", raw)]));
            assert_eq!(q.err().map(|e| e.code()), Some("invalid_cursor"), "{raw}");
        }
        // A number field's value must be a number; a string field's stays a string.
        let res = Resource::of(Collection::Tools);
        let c = token(json!({"k": "price", "d": 1, "v": "{\"$gt\":0}", "id": id}));
        let sortable = sortable_fields(&res);
        if sortable.iter().any(|f| f == "price") {
            let q = parse(&res, &pairs(&[("sort", "price"), ("cursor", &c)]));
            assert_eq!(q.err().map(|e| e.code()), Some("invalid_cursor"));
        }
    }

    #[test]
    fn a_returned_cursor_reads_back_as_plain_values() {
        let res = Resource::of(Collection::Users);
        let Ok(q) = parse(&res, &pairs(&[("sort", "email")])) else {
            panic!("refused")
        };
        let last = json!({"_id": "65a1b2c3d4e5f6a7b8c9d0e1", "email": "{\"$gt\": \"\"}@x.co"});
        let Some(next) = next_cursor(&q, last.as_object().unwrap_or(&Map::new())) else {
            panic!("no cursor")
        };
        let Ok(q) = parse(&res, &pairs(&[("sort", "email"), ("cursor", &next)])) else {
            panic!("own cursor refused")
        };
        // The keyset compares with the string itself, never an operator document.
        let first = q
            .filter
            .get_array("$or")
            .ok()
            .and_then(|a| a.first())
            .and_then(Bson::as_document)
            .and_then(|d| d.get_document("email").ok())
            .and_then(|d| d.get("$gt"))
            .cloned();
        assert_eq!(first, Some(Bson::String("{\"$gt\": \"\"}@x.co".into())));
        let Ok(q) = parse(&res, &pairs(&[("sort", "-createdAt")])) else {
            panic!("refused")
        };
        let last =
            json!({"_id": "65a1b2c3d4e5f6a7b8c9d0e1", "createdAt": "2024-01-15T10:30:00.000Z"});
        let next = next_cursor(&q, last.as_object().unwrap_or(&Map::new())).unwrap_or_default();
        let q = parse(&res, &pairs(&[("sort", "-createdAt"), ("cursor", &next)]));
        let Ok(q) = q else {
            panic!("own date cursor refused")
        };
        let lt = q
            .filter
            .get_array("$or")
            .ok()
            .and_then(|a| a.first())
            .and_then(Bson::as_document)
            .and_then(|d| d.get_document("createdAt").ok())
            .and_then(|d| d.get("$lt"))
            .cloned();
        let date = bson::DateTime::from_millis(1_705_314_600_000);
        assert_eq!(lt, Some(Bson::DateTime(date)), "{}", q.filter);
    }

    #[test]
    fn nested_and_array_paths_resolve() {
        let res = Resource::of(Collection::ChatSessions);
        assert!(parse(&res, &pairs(&[("messages.role", "user")])).is_ok());
        let res = Resource::of(Collection::Users);
        assert!(parse(&res, &pairs(&[("socialLinks.github", "x")])).is_ok());
        assert!(sortable_fields(&res).contains(&"socialLinks.github".to_string()));
    }
}
