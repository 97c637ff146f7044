//! Request bodies: a JSON object or a clear 4xx.
//!
//! [`JsonBody`] reads at most the configured number of bytes (413 past it),
//! before the request's deadline (408), and refuses bodies declared as
//! something other than JSON (415); [`parse_object`] then refuses malformed
//! JSON (400), anything but an object (400) and nesting deeper than
//! [`MAX_DEPTH`] (400). Handlers see a `serde_json` map and nothing else.
//!
//! [`forbidden_key`] and [`nested_array`] are the storage rules applied after
//! validation: no key may start with `$` (query operators such as `$where` or
//! `$gt`), contain a `.` where it would be stored, or contain a NUL byte, on
//! every database; no array may sit directly inside another where the
//! database cannot store that (FerretDB; see `Store::stores_nested_arrays`).

use crate::error::ApiError;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use onelastai_models::json::{self, Json, Object};

/// Deepest accepted nesting of objects and arrays in a body.
pub const MAX_DEPTH: usize = 32;

/// The instant a request must be answered by (`REQUEST_TIMEOUT_MS` after it
/// arrived), put in its extensions by the deadline middleware.
#[derive(Debug, Clone, Copy)]
pub struct Deadline(pub tokio::time::Instant);

/// A request body declared as JSON (or undeclared), read whole: at most
/// `BODY_LIMIT` bytes (413) and before the request's deadline (408). Parsing
/// is left to the caller, off the async threads ([`parse_object`]).
#[derive(Debug)]
pub struct JsonBody(pub Bytes);

impl FromRequest<AppState> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        if let Some(ct) = req.headers().get(header::CONTENT_TYPE) {
            if !is_json(ct.to_str().unwrap_or_default()) {
                return Err(ApiError::UnsupportedMediaType);
            }
        }
        let limit = state.body_limit();
        let deadline = req.extensions().get::<Deadline>().map(|d| d.0);
        let read = Bytes::from_request(req, state);
        let bytes = match deadline {
            Some(at) => tokio::time::timeout_at(at, read)
                .await
                .map_err(|_| ApiError::SlowBody)?,
            None => read.await,
        };
        let bytes = bytes.map_err(|rejection| match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge { limit },
            _ => ApiError::bad_request("unreadable_body", "the request body could not be read"),
        })?;
        Ok(JsonBody(bytes))
    }
}

fn is_json(content_type: &str) -> bool {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

/// Parses a body that must be a JSON object, into the models crate's tree
/// (borrowing the body's strings: a 1 MiB body of a million small values
/// costs a third of what a `serde_json::Value` would).
pub fn parse_object(bytes: &[u8]) -> Result<Object<'_>, ApiError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| ApiError::bad_request("malformed_json", "the body is not valid UTF-8"))?;
    let value = json::parse(text).map_err(|e| {
        if e.reason.contains("deep") {
            too_deep()
        } else {
            ApiError::bad_request("malformed_json", format!("the body is not valid JSON: {e}"))
        }
    })?;
    if deeper_than(&value, MAX_DEPTH) {
        return Err(too_deep());
    }
    match value {
        Json::Object(m) => Ok(m),
        other => Err(ApiError::bad_request(
            "not_an_object",
            format!("the body must be a JSON object, got {}", type_name(&other)),
        )),
    }
}

fn too_deep() -> ApiError {
    ApiError::bad_request(
        "too_deep",
        format!("the body nests objects or arrays deeper than {MAX_DEPTH} levels"),
    )
}

fn type_name(v: &Json<'_>) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) | Json::Date(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

/// Whether `v` nests deeper than `limit` (a scalar is 0, `{}` and `[]` are
/// 1). Recursion never goes more than `limit + 1` calls deep.
fn deeper_than(v: &Json<'_>, limit: usize) -> bool {
    match v {
        Json::Array(items) => limit == 0 || items.iter().any(|x| deeper_than(x, limit - 1)),
        Json::Object(pairs) => limit == 0 || pairs.iter().any(|(_, x)| deeper_than(x, limit - 1)),
        _ => false,
    }
}

/// Which keys [`forbidden_key`] looks for.
#[derive(Debug, Clone, Copy)]
pub enum KeyRule {
    /// Keys starting with `$` or holding a NUL byte (checked on the raw input,
    /// where dotted keys are still paths in Mongoose's sense).
    Operators,
    /// Also keys containing `.` (checked on the document to be stored).
    Stored,
}

/// The dotted path of the first key `rule` forbids, if any.
pub fn forbidden_key(m: &Object<'_>, rule: KeyRule) -> Option<String> {
    fn object(m: &Object<'_>, rule: KeyRule, path: &mut Vec<String>) -> bool {
        for (k, v) in m {
            path.push(k.to_string());
            let bad = k.starts_with('$')
                || k.contains('\0')
                || (matches!(rule, KeyRule::Stored) && k.contains('.'));
            if bad || walk(v, rule, path) {
                return true;
            }
            path.pop();
        }
        false
    }
    fn walk(v: &Json<'_>, rule: KeyRule, path: &mut Vec<String>) -> bool {
        match v {
            Json::Object(m) => object(m, rule, path),
            Json::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if !matches!(item, Json::Object(_) | Json::Array(_)) {
                        continue;
                    }
                    path.push(i.to_string());
                    if walk(item, rule, path) {
                        return true;
                    }
                    path.pop();
                }
                false
            }
            _ => false,
        }
    }
    let mut path = Vec::new();
    object(m, rule, &mut path).then(|| path.join("."))
}

/// The 400 for a key [`forbidden_key`] found.
pub fn forbidden_key_error(path: &str) -> ApiError {
    ApiError::bad_request(
        "forbidden_key",
        format!(
            "the key at `{path}` is not allowed: keys may not start with `$`, contain `.` or contain NUL"
        ),
    )
}

/// The dotted path of the first array that directly holds another array.
pub fn nested_array(m: &Object<'_>) -> Option<String> {
    fn walk(v: &Json<'_>, in_array: bool, path: &mut Vec<String>) -> bool {
        match v {
            Json::Array(_) if in_array => true,
            Json::Array(items) => items.iter().enumerate().any(|(i, item)| {
                path.push(i.to_string());
                let found = walk(item, true, path);
                if !found {
                    path.pop();
                }
                found
            }),
            Json::Object(m) => m.iter().any(|(k, item)| {
                path.push(k.to_string());
                let found = walk(item, false, path);
                if !found {
                    path.pop();
                }
                found
            }),
            _ => false,
        }
    }
    let mut path = Vec::new();
    m.iter()
        .any(|(k, v)| {
            path.push(k.to_string());
            let found = walk(v, false, &mut path);
            if !found {
                path.pop();
            }
            found
        })
        .then(|| path.join("."))
}

/// The 400 for an array [`nested_array`] found.
pub fn nested_array_error(path: &str) -> ApiError {
    ApiError::bad_request(
        "nested_array",
        format!(
            "the value at `{path}` is an array inside an array, which the database cannot store"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: serde_json::Value) -> Object<'static> {
        let text = v.to_string();
        let text: &'static str = Box::leak(text.into_boxed_str());
        match json::parse(text) {
            Ok(Json::Object(m)) => m,
            _ => Vec::new(),
        }
    }

    #[test]
    fn only_objects_are_bodies() {
        assert!(parse_object(b"{\"a\":1}").is_ok());
        for bad in [&b"[1]"[..], b"\"x\"", b"null", b"{", b"", b"{\"a\":1}x"] {
            let code = parse_object(bad).err().map(|e| e.code());
            assert!(
                matches!(code, Some("malformed_json" | "not_an_object")),
                "{bad:?}"
            );
        }
        let deep = format!("{}1{}", "[".repeat(40), "]".repeat(40));
        let wrapped = format!("{{\"a\":{deep}}}");
        assert_eq!(
            parse_object(wrapped.as_bytes()).err().map(|e| e.code()),
            Some("too_deep")
        );
        let very_deep = format!("{{\"a\":{}1{}}}", "[".repeat(5000), "]".repeat(5000));
        assert_eq!(
            parse_object(very_deep.as_bytes()).err().map(|e| e.code()),
            Some("too_deep")
        );
    }

    #[test]
    fn arrays_in_arrays_are_found() {
        let m = obj(json!({"a": [1, {"b": [[2]]}], "c": [3]}));
        assert_eq!(nested_array(&m).as_deref(), Some("a.1.b.0"));
        let m = obj(json!({"a": [{"b": [2]}], "c": {"d": []}}));
        assert_eq!(nested_array(&m), None);
    }

    #[test]
    fn operator_and_dotted_keys_are_found() {
        let m = obj(json!({"a": {"b": [{"$where": "1"}]}}));
        assert_eq!(
            forbidden_key(&m, KeyRule::Operators).as_deref(),
            Some("a.b.0.$where")
        );
        let m = obj(json!({"context.url": "x"}));
        assert_eq!(forbidden_key(&m, KeyRule::Operators), None);
        assert_eq!(
            forbidden_key(&m, KeyRule::Stored).as_deref(),
            Some("context.url")
        );
    }
}
