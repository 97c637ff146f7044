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

/// `castString`: numbers and booleans become strings; an object with a
/// non-empty string `_id` becomes that id (a populated document); other
/// objects and arrays do not cast.
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
            Some(id @ Json::String(s)) if !s.is_empty() => Ok(id.clone()),
            _ => Err(NotCastable),
        },
        Json::Array(_) | Json::Null => Err(NotCastable),
    }
}

/// `SchemaNumber.prototype.cast`: an object with an `_id` (a populated
/// document) is its `_id`, then `castNumber`: `Number(string)`, `''` to
/// `null`, booleans to 1/0. Non-finite results are refused: JSON and BSON
/// stores cannot hold them.
pub fn number<'a>(v: &Json<'a>) -> Cast<'a> {
    match mongoose_number(v) {
        Ok(Some(n)) if n.is_finite() => Ok(Json::Number(n)),
        Ok(None) => Ok(Json::Null),
        _ => Err(NotCastable),
    }
}

/// Whether Mongoose casts `v` to `±Infinity` on a Number path, which this
/// crate refuses (COMPATIBILITY.md, `non-finite-number`).
pub fn non_finite(v: &Json<'_>) -> bool {
    matches!(mongoose_number(v), Ok(Some(n)) if n.is_infinite())
}

/// Mongoose's Number cast without the finiteness rule: `None` is `null`.
fn mongoose_number(v: &Json<'_>) -> Result<Option<f64>, NotCastable> {
    let n = match failed_value(&Kind::Number, v) {
        Json::Number(n) => *n,
        Json::Null => return Ok(None),
        Json::String(s) if s.is_empty() => return Ok(None),
        Json::String(s) => js::string_to_number(s),
        Json::Bool(b) => f64::from(u8::from(*b)),
        _ => return Err(NotCastable),
    };
    if n.is_nan() {
        Err(NotCastable)
    } else {
        Ok(Some(n))
    }
}

/// The value a CastError of `kind` shows for `v`: the `_id` of an object
/// that has one where Mongoose casts that `_id` (Number), else `v` itself.
pub fn failed_value<'v, 'a>(kind: &Kind, v: &'v Json<'a>) -> &'v Json<'a> {
    match (kind, v) {
        (Kind::Number, Json::Object(_)) => v.get("_id").unwrap_or(v),
        _ => v,
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

/// `toISOString()`'s own form, `YYYY-MM-DDTHH:mm:ss.sssZ`, read without
/// the general parser: what nearly every date a program sends looks like.
/// Only where no field can overflow into the next (days up to 28, hours up
/// to 23, ...); anything else is `None` and goes through [`Date::parse`],
/// which reads these strings as the same date.
pub(crate) fn canonical_iso(s: &str) -> Option<Date> {
    const SHAPE: &[u8; 24] = b"0000-00-00T00:00:00.000Z";
    if s.len() != SHAPE.len() {
        return None;
    }
    // Year, month, day, hours, minutes, seconds, milliseconds.
    let mut parts = [0i64; 8];
    let mut at = 0;
    for (&c, &shape) in s.as_bytes().iter().zip(SHAPE) {
        if shape != b'0' {
            if c != shape {
                return None;
            }
            at += 1;
        } else if c.is_ascii_digit() {
            parts[at] = parts[at] * 10 + i64::from(c - b'0');
        } else {
            return None;
        }
    }
    let [year, month, day, hour, minute, second, ms, _] = parts;
    if !(1..=12).contains(&month)
        || !(1..=28).contains(&day)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let ms_of_day = ((hour * 60 + minute) * 60 + second) * 1000 + ms;
    Date::from_parts_overflowing(year, month - 1, day, ms_of_day)
}

/// `castDate`: numbers are epoch milliseconds, `''` is `null`, numeric
/// strings outside the year range are milliseconds, other strings are read
/// by `new Date(string)` ([`Date::parse`]), and an array by `new Date` of
/// its `String()` (`["2024-01-15"]`, `[2024, 1]`).
pub fn date<'a>(v: &Json<'a>) -> Cast<'a> {
    let d = match v {
        Json::Date(d) => Some(*d),
        Json::Number(n) => Date::from_js_number(*n),
        Json::String(s) if s.is_empty() => return Ok(Json::Null),
        Json::String(s) => canonical_iso(s).or_else(|| {
            let n = js::string_to_number(s);
            if !n.is_nan() && !(-271_820.0..275_761.0).contains(&n) {
                Date::from_js_number(n)
            } else {
                Date::parse(s)
            }
        }),
        Json::Array(_) => js::to_string(v).and_then(|s| Date::parse(&s)),
        _ => None,
    };
    d.map(Json::Date).ok_or(NotCastable)
}

/// `castObjectId`: 24 hex digits (either case), written lowercase, from a
/// string, from `String()` of an array (`[hex]`), or from `String()` of the
/// truthy `_id` of an object (a populated document).
pub fn object_id<'a>(v: &Json<'a>) -> Cast<'a> {
    let text = match v {
        Json::String(s) => Cow::Borrowed(s.as_ref()),
        Json::Array(_) => Cow::Owned(js::to_string(v).ok_or(NotCastable)?),
        Json::Object(_) => match v.get("_id") {
            Some(Json::String(s)) if !s.is_empty() => Cow::Borrowed(s.as_ref()),
            Some(id) if js::truthy(id) => Cow::Owned(js::to_string(id).ok_or(NotCastable)?),
            _ => return Err(NotCastable),
        },
        _ => return Err(NotCastable),
    };
    let id = text.parse::<ObjectId>().map_err(|_| NotCastable)?;
    match v {
        // Already the lowercase form: kept as it came.
        Json::String(s) if !s.bytes().any(|b| b.is_ascii_uppercase()) => Ok(v.clone()),
        _ => Ok(Json::String(Cow::Owned(id.to_hex()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path reads every string it takes as the general parser
    /// (V8's grammar) does, and leaves the rest to it.
    #[test]
    fn canonical_iso_dates_read_as_date_parse_reads_them() {
        let mut taken = 0;
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        for i in 0..50_000 {
            let s = format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                next(10_000),
                next(14),
                next(33),
                next(26),
                next(62),
                next(62),
                next(1000)
            );
            // Some strings off the shape: other separators, letters, lengths.
            let s = match i % 10 {
                0 => s.replacen('T', " ", 1),
                1 => s.replacen('Z', "z", 1),
                2 => s.replacen('0', "a", 1),
                3 => format!("{s} "),
                4 => s[..23].to_string(),
                _ => s,
            };
            if let Some(d) = canonical_iso(&s) {
                taken += 1;
                assert_eq!(Some(d), Date::parse(&s), "{s}");
                // The transcoder copies these strings as they came: they
                // must be what `toISOString()` writes for their date.
                assert_eq!(d.to_iso_string(), s);
            }
            let expected = Date::parse(&s).map(Json::Date).ok_or(NotCastable);
            let n = js::string_to_number(&s);
            if n.is_nan() {
                assert_eq!(date(&Json::String(Cow::Borrowed(&s))), expected, "{s}");
            }
        }
        assert!(taken > 10_000, "{taken}");
    }
}
