//! Mongoose's casts (`lib/cast/*.js`), one function per schema type. Public
//! so that other layers (the server's query filters) cast exactly as
//! documents are cast, instead of re-implementing the rules.
//!
//! Each returns the cast JSON value (`null` where Mongoose casts to `null`,
//! e.g. `''` for a Number) or `Err(NotCastable)` where Mongoose throws a CastError.

use super::Kind;
use crate::{js, Date, ObjectId};
use serde_json::Value;

/// The value cannot be cast to the path's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotCastable;

type Cast = Result<Value, NotCastable>;

/// Casts a present, non-null value to a scalar kind.
pub fn scalar(kind: &Kind, v: &Value) -> Cast {
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
pub fn string(v: &Value) -> Cast {
    match v {
        Value::String(_) => Ok(v.clone()),
        Value::Number(n) => Ok(Value::String(js::number_to_string(js::as_f64(n)))),
        Value::Bool(b) => Ok(Value::String(b.to_string())),
        Value::Object(m) => match m.get("_id") {
            Some(Value::String(id)) => Ok(Value::String(id.clone())),
            _ => Err(NotCastable),
        },
        Value::Array(_) | Value::Null => Err(NotCastable),
    }
}

/// `castNumber`: `Number(string)`, `''` to `null`, booleans to 1/0.
/// Non-finite results are refused: JSON and BSON stores cannot hold them.
pub fn number(v: &Value) -> Cast {
    let n = match v {
        Value::Number(n) => js::as_f64(n),
        Value::String(s) if s.is_empty() => return Ok(Value::Null),
        Value::String(s) => js::string_to_number(s),
        Value::Bool(b) => f64::from(u8::from(*b)),
        _ => return Err(NotCastable),
    };
    if n.is_finite() {
        Ok(js::number_value(n))
    } else {
        Err(NotCastable)
    }
}

/// `castBoolean`: `true 'true' 1 '1' 'yes'` and `false 'false' 0 '0' 'no'`.
pub fn boolean(v: &Value) -> Cast {
    match v {
        Value::Bool(_) => Ok(v.clone()),
        Value::String(s) => match s.as_str() {
            "true" | "1" | "yes" => Ok(Value::Bool(true)),
            "false" | "0" | "no" => Ok(Value::Bool(false)),
            _ => Err(NotCastable),
        },
        Value::Number(n) => {
            let x = js::as_f64(n);
            if x == 1.0 {
                Ok(Value::Bool(true))
            } else if x == 0.0 {
                Ok(Value::Bool(false))
            } else {
                Err(NotCastable)
            }
        }
        _ => Err(NotCastable),
    }
}

/// `castDate`: numbers are epoch milliseconds, `''` is `null`, numeric strings
/// outside the year range are milliseconds, other strings are dates.
pub fn date(v: &Value) -> Cast {
    let d = match v {
        Value::Number(n) => Date::from_js_number(js::as_f64(n)),
        Value::String(s) if s.is_empty() => return Ok(Value::Null),
        Value::String(s) => {
            let n = js::string_to_number(s);
            if !n.is_nan() && !(-271_820.0..275_761.0).contains(&n) {
                Date::from_js_number(n)
            } else {
                Date::parse_iso(s)
            }
        }
        // `new Date([x])` reads the array's string form.
        Value::Array(_) => single_element_string(v).and_then(|s| Date::parse_iso(&s)),
        _ => None,
    };
    d.map(|d| Value::String(d.to_iso_string()))
        .ok_or(NotCastable)
}

/// `castObjectId`: 24 hex digits (either case), written lowercase; an object
/// carrying such an `_id` casts to it.
pub fn object_id(v: &Value) -> Cast {
    let from_array;
    let s = match v {
        Value::String(s) => s.as_str(),
        Value::Object(m) => match m.get("_id") {
            Some(Value::String(s)) => s.as_str(),
            _ => return Err(NotCastable),
        },
        // `new ObjectId(value.toString())`: `[hex]` reads as `hex`.
        Value::Array(_) => {
            from_array = single_element_string(v).ok_or(NotCastable)?;
            from_array.as_str()
        }
        _ => return Err(NotCastable),
    };
    s.parse::<ObjectId>()
        .map(|id| Value::String(id.to_hex()))
        .map_err(|_| NotCastable)
}

/// `String([x])` for a one-element array of a string or number.
fn single_element_string(v: &Value) -> Option<String> {
    match v.as_array()?.as_slice() {
        [Value::String(s)] => Some(s.clone()),
        [Value::Number(n)] => Some(js::number_to_string(js::as_f64(n))),
        _ => None,
    }
}
