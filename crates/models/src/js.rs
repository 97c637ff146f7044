//! JavaScript's own conversions, reproduced where Mongoose relies on them:
//! `Number(string)`, `String(value)`, `.length` in UTF-16 units, `\s`,
//! and the `util.inspect` rendering Mongoose puts in cast error messages.
//! Each semantic has one implementation here; the casts, the date parser
//! ([`crate::Date::parse`]) and the server use these.

use crate::json::Json;
use serde_json::{Number, Value};

/// The largest integer a double represents exactly (2^53 - 1).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// `String(n)` for a JavaScript number.
pub fn number_to_string(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    ryu_js::Buffer::new().format_finite(n).to_string()
}

/// `String(value)` for a JSON value: arrays are joined with `,` (their
/// `null` elements as empty strings), objects are `[object Object]` (a
/// [`Json::Date`], which JSON input never holds, is its ISO form). `None`
/// where JavaScript throws: an object with an own `toString` key (a JSON
/// value, so not callable) has no primitive value.
pub fn to_string(v: &Json<'_>) -> Option<String> {
    let mut out = String::new();
    write_string(v, &mut out).then_some(out)
}

fn write_string(v: &Json<'_>, out: &mut String) -> bool {
    match v {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => out.push_str(&number_to_string(*n)),
        Json::String(s) => out.push_str(s),
        Json::Date(d) => d.write_iso(out),
        Json::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if !x.is_null() && !write_string(x, out) {
                    return false;
                }
            }
        }
        Json::Object(_) if v.get("toString").is_some() => return false,
        Json::Object(_) => out.push_str("[object Object]"),
    }
    true
}

/// A number as JSON: integral values as integers (as `JSON.stringify` writes
/// them), others as doubles. Non-finite numbers have no JSON form and become `null`.
pub fn number_value(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER {
        // Exact: |n| <= 2^53, integral.
        Value::Number(Number::from(n as i64))
    } else {
        Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

/// The double a JSON number holds.
pub fn as_f64(n: &Number) -> f64 {
    n.as_f64().unwrap_or(f64::NAN)
}

/// `.length` of a JavaScript string: UTF-16 code units.
pub fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// JavaScript's `\s` / `String.prototype.trim` whitespace (WhiteSpace and LineTerminator).
pub fn is_whitespace(c: char) -> bool {
    matches!(
        c,
        '\u{9}' | '\u{a}' | '\u{b}' | '\u{c}' | '\u{d}' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

/// The first `max` UTF-16 units of `s` followed by `...`, as Mongoose shows
/// long values in `maxlength` messages; `s` itself when it is short enough.
pub fn truncate_utf16(s: &str, max: usize) -> String {
    if utf16_len(s) <= max {
        return s.to_string();
    }
    let mut units = 0;
    let mut out = String::new();
    for c in s.chars() {
        units += c.len_utf16();
        if units > max {
            break;
        }
        out.push(c);
    }
    out.push_str("...");
    out
}

/// `String.prototype.trim`.
pub fn trim(s: &str) -> &str {
    s.trim_matches(is_whitespace)
}

/// `Number(s)` for a string: JavaScript's StringToNumber. `NaN` when it is not a number.
pub fn string_to_number(s: &str) -> f64 {
    let t = trim(s);
    if t.is_empty() {
        return 0.0;
    }
    let (sign, unsigned) = match t.as_bytes()[0] {
        b'+' => (1.0, &t[1..]),
        b'-' => (-1.0, &t[1..]),
        _ => (1.0, t),
    };
    if unsigned == "Infinity" {
        return sign * f64::INFINITY;
    }
    // 0x / 0o / 0b literals take no sign.
    if unsigned.len() > 2 && unsigned.as_bytes()[0] == b'0' && unsigned.len() == t.len() {
        let radix = match unsigned.as_bytes()[1] {
            b'x' | b'X' => Some(16),
            b'o' | b'O' => Some(8),
            b'b' | b'B' => Some(2),
            _ => None,
        };
        if let Some(radix) = radix {
            let mut n = 0.0f64;
            for c in unsigned[2..].chars() {
                match c.to_digit(radix) {
                    Some(d) => n = n * f64::from(radix) + f64::from(d),
                    None => return f64::NAN,
                }
            }
            return n;
        }
    }
    if !is_decimal_literal(unsigned) {
        return f64::NAN;
    }
    unsigned.parse::<f64>().map_or(f64::NAN, |n| sign * n)
}

/// `digits [. digits] [e[+-]digits]` or `. digits [e...]`, the StrUnsignedDecimalLiteral grammar.
fn is_decimal_literal(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let fs = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = i - fs;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let es = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == es {
            return false;
        }
    }
    i == b.len()
}

/// Mongoose's `getValueType`: `typeof`, or the constructor name for objects.
pub fn value_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "Array",
        Value::Object(_) => "Object",
    }
}

/// Mongoose's `getStringValue`: `util.inspect(value)` with the outer single
/// quotes of a string turned into double quotes, and always quoted.
pub fn cast_string_value(v: &Value) -> String {
    let mut s = inspect(v, 0);
    if s.starts_with('\'') {
        s.replace_range(..1, "\"");
    }
    if s.len() > 1 && s.ends_with('\'') {
        let end = s.len() - 1;
        s.replace_range(end.., "\"");
    }
    if !s.starts_with('"') {
        s = format!("\"{s}\"");
    }
    s
}

/// Node's `util.inspect` for JSON values (default options, single line).
pub fn inspect(v: &Value, depth: usize) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number_to_string(as_f64(n)),
        Value::String(s) => inspect_string(s),
        Value::Array(items) => {
            if items.is_empty() {
                "[]".into()
            } else if depth > 2 {
                "[Array]".into()
            } else {
                let inner: Vec<String> = items.iter().map(|x| inspect(x, depth + 1)).collect();
                format!("[ {} ]", inner.join(", "))
            }
        }
        Value::Object(map) => {
            if map.is_empty() {
                "{}".into()
            } else if depth > 2 {
                "[Object]".into()
            } else {
                let inner: Vec<String> = map
                    .iter()
                    .map(|(k, x)| format!("{}: {}", inspect_key(k), inspect(x, depth + 1)))
                    .collect();
                format!("{{ {} }}", inner.join(", "))
            }
        }
    }
}

fn inspect_key(k: &str) -> String {
    let plain = !k.is_empty()
        && k.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        k.to_string()
    } else {
        inspect_string(k)
    }
}

fn inspect_string(s: &str) -> String {
    let quote = if !s.contains('\'') {
        '\''
    } else if !s.contains('"') {
        '"'
    } else if !s.contains('`') {
        '`'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            '\\' => out.push_str("\\\\"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_to_number_follows_javascript() {
        let cases: &[(&str, f64)] = &[
            ("42", 42.0),
            (" 42 ", 42.0),
            ("\n\t42\u{a0}", 42.0),
            ("19.99", 19.99),
            ("1e3", 1000.0),
            ("-1.5E-2", -0.015),
            (".5", 0.5),
            ("5.", 5.0),
            ("+7", 7.0),
            ("0x10", 16.0),
            ("0b101", 5.0),
            ("0o17", 15.0),
            ("   ", 0.0),
            ("Infinity", f64::INFINITY),
            ("-Infinity", f64::NEG_INFINITY),
        ];
        for (s, want) in cases {
            assert_eq!(string_to_number(s), *want, "Number({s:?})");
        }
        for s in [
            "abc", "1,5", "inf", "infinity", "NaN", "-0x10", "0x", "1e", "e5", ".", "1 2", "0xZ",
        ] {
            assert!(string_to_number(s).is_nan(), "Number({s:?}) should be NaN");
        }
    }

    #[test]
    fn number_to_string_follows_javascript() {
        assert_eq!(number_to_string(1e21), "1e+21");
        assert_eq!(number_to_string(19.99), "19.99");
        assert_eq!(number_to_string(100.0), "100");
        assert_eq!(number_to_string(-0.0), "0");
        assert_eq!(number_to_string(1e-7), "1e-7");
    }

    #[test]
    fn utf16_counts_surrogate_pairs() {
        assert_eq!(utf16_len("🤖"), 2);
        assert_eq!(utf16_len("é"), 1);
        assert_eq!(utf16_len("abc"), 3);
    }

    #[test]
    fn cast_values_render_like_mongoose() {
        assert_eq!(cast_string_value(&Value::String("abc".into())), "\"abc\"");
        assert_eq!(
            cast_string_value(&serde_json::json!({"a": 1})),
            "\"{ a: 1 }\""
        );
        assert_eq!(cast_string_value(&serde_json::json!(12)), "\"12\"");
    }
}
