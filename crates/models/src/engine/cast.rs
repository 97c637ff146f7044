//! Mongoose's casts (`lib/cast/*.js`), one function per schema type. Public
//! so that other layers (the server's query filters) cast exactly as
//! documents are cast, instead of re-implementing the rules.
//!
//! Each returns the cast value (`null` where Mongoose casts to `null`, e.g.
//! `''` for a Number; a [`Json::Date`] for dates) or `Err(NotCastable)` where
//! Mongoose throws a CastError. A string that needs no change is returned
//! borrowed, as it came.

use super::Kind;
use crate::json::Json;
use crate::{js, Date, ObjectId};
use std::borrow::Cow;

/// The value cannot be cast to the path's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotCastable;

type Cast<'a> = Result<Json<'a>, NotCastable>;

/// Casts a present, non-null value to a scalar kind.
pub fn scalar<'a>(kind: &Kind, v: &Json<'a>) -> Cast<'a> {
    match kind {
        Kind::String | Kind::Enum(_) => string(v),
        Kind::Number => number(v),
        Kind::Boolean => boolean(v),
        Kind::Date => date(v),
        Kind::ObjectId => object_id(v),
        Kind::Mixed => Ok(v.clone()),
        Kind::Map(_) | Kind::Array(_) | Kind::Object(_) => Err(NotCastable),
    }
}

/// `castString`: numbers and booleans become strings; an object with a string
/// `_id` becomes that id; other objects and arrays do not cast.
pub fn string<'a>(v: &Json<'a>) -> Cast<'a> {
    match v {
        Json::String(_) => Ok(v.clone()),
        Json::Date(d) => Ok(Json::String(Cow::Owned(d.to_iso_string()))),
        Json::Number(n) => Ok(Json::String(Cow::Owned(js::number_to_string(*n)))),
        Json::Bool(b) => Ok(Json::String(Cow::Borrowed(if *b {
            "true"
        } else {
            "false"
        }))),
        Json::Object(_) => match v.get("_id") {
            Some(id @ Json::String(_)) => Ok(id.clone()),
            _ => Err(NotCastable),
        },
        Json::Array(_) | Json::Null => Err(NotCastable),
    }
}

/// `castNumber`: `Number(string)`, `''` to `null`, booleans to 1/0.
/// Non-finite results are refused: JSON and BSON stores cannot hold them.
pub fn number<'a>(v: &Json<'a>) -> Cast<'a> {
    let n = match v {
        Json::Number(n) => *n,
        Json::String(s) if s.is_empty() => return Ok(Json::Null),
        Json::String(s) => js::string_to_number(s),
        Json::Bool(b) => f64::from(u8::from(*b)),
        _ => return Err(NotCastable),
    };
    if n.is_finite() {
        Ok(Json::Number(n))
    } else {
        Err(NotCastable)
    }
}

/// `castBoolean`: `true 'true' 1 '1' 'yes'` and `false 'false' 0 '0' 'no'`.
pub fn boolean<'a>(v: &Json<'a>) -> Cast<'a> {
    match v {
        Json::Bool(_) => Ok(v.clone()),
        Json::String(s) => match s.as_ref() {
            "true" | "1" | "yes" => Ok(Json::Bool(true)),
            "false" | "0" | "no" => Ok(Json::Bool(false)),
            _ => Err(NotCastable),
        },
        Json::Number(x) if *x == 1.0 => Ok(Json::Bool(true)),
        Json::Number(x) if *x == 0.0 => Ok(Json::Bool(false)),
        _ => Err(NotCastable),
    }
}

/// `castDate`: numbers are epoch milliseconds, `''` is `null`, numeric strings
/// outside the year range are milliseconds, other strings are dates.
pub fn date<'a>(v: &Json<'a>) -> Cast<'a> {
    let d = match v {
        Json::Date(d) => Some(*d),
        Json::Number(n) => Date::from_js_number(*n),
        Json::String(s) if s.is_empty() => return Ok(Json::Null),
        Json::String(s) => {
            // `YYYY-...` is no number (`Number()` gives NaN): straight to the date reader.
            let b = s.as_bytes();
            if b.len() > 10 && b[4] == b'-' && b[..4].iter().all(u8::is_ascii_digit) {
                Date::parse_iso(s)
            } else {
                let n = js::string_to_number(s);
                if !n.is_nan() && !(-271_820.0..275_761.0).contains(&n) {
                    Date::from_js_number(n)
                } else {
                    Date::parse_iso(s)
                }
            }
        }
        // `new Date([x])` reads the array's string form.
        Json::Array(_) => single_element_string(v).and_then(|s| Date::parse_iso(&s)),
        _ => None,
    };
    d.map(Json::Date).ok_or(NotCastable)
}

/// `castObjectId`: 24 hex digits (either case), written lowercase; an object
/// carrying such an `_id` casts to it.
pub fn object_id<'a>(v: &Json<'a>) -> Cast<'a> {
    let (s, given) = match v {
        Json::String(s) => (Cow::Borrowed(s.as_ref()), Some(s)),
        Json::Object(_) => match v.get("_id") {
            Some(Json::String(s)) => (Cow::Borrowed(s.as_ref()), Some(s)),
            _ => return Err(NotCastable),
        },
        // `new ObjectId(value.toString())`: `[hex]` reads as `hex`.
        Json::Array(_) => (
            Cow::Owned(single_element_string(v).ok_or(NotCastable)?),
            None,
        ),
        _ => return Err(NotCastable),
    };
    let id = s.parse::<ObjectId>().map_err(|_| NotCastable)?;
    match given {
        // Already the lowercase form: kept as it came.
        Some(s) if !s.bytes().any(|b| b.is_ascii_uppercase()) => Ok(Json::String(s.clone())),
        _ => Ok(Json::String(Cow::Owned(id.to_hex()))),
    }
}

/// `String([x])` for a one-element array of a string or number.
fn single_element_string(v: &Json<'_>) -> Option<String> {
    match v.as_array()? {
        [Json::String(s)] => Some(s.to_string()),
        [Json::Number(n)] => Some(js::number_to_string(*n)),
        _ => None,
    }
}
