//! JSON text to [`serde_json::Value`] and back, for the boundary.
//!
//! Why not serde_json's own reader and writer: size, which the browser pays
//! for. Its default float reading can be one ulp off and its exact mode
//! (`float_roundtrip`) adds ~16 KB of tables; here numbers are read by
//! `str::parse::<f64>` (exact, and in the module already for Mongoose's
//! `Number(string)`) and written by JavaScript's own number formatting
//! ([`onelastai_models::js::number_to_string`]), which `JSON.parse` reads back
//! to the same double. The reader builds the `Value` serde_json would:
//! integers that fit `u64`/`i64` as integers, other numbers as `f64`, objects
//! in key order with the last of duplicate keys winning (as `JSON.parse` does).

use onelastai_models::js;
use serde_json::{Map, Number, Value};

/// serde_json's nesting limit: deeper input is refused, never a stack overflow.
const MAX_DEPTH: usize = 128;

/// Why a text is not JSON this reader accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// What went wrong.
    pub reason: &'static str,
    /// Byte offset in the text.
    pub offset: usize,
}

/// Parses one JSON value; only whitespace may follow it.
pub fn parse(text: &str) -> Result<Value, ParseError> {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        i: 0,
        depth: 0,
    };
    let v = p.value()?;
    p.whitespace();
    if p.i != p.bytes.len() {
        return Err(p.error("trailing characters"));
    }
    Ok(v)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    i: usize,
    depth: usize,
}

impl Parser<'_> {
    fn error(&self, reason: &'static str) -> ParseError {
        ParseError {
            reason,
            offset: self.i,
        }
    }

    // Hot, tiny, and not inlined by itself at opt-level "z".
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.i).copied()
    }

    fn whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.i += 1;
        }
    }

    fn literal(&mut self, word: &str, v: Value) -> Result<Value, ParseError> {
        if self.bytes[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(v)
        } else {
            Err(self.error("expected a value"))
        }
    }

    fn value(&mut self) -> Result<Value, ParseError> {
        self.whitespace();
        match self.peek() {
            Some(b'{') => self.nested(Self::object),
            Some(b'[') => self.nested(Self::array),
            Some(b'"') => self.string().map(Value::String),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.error("expected a value")),
        }
    }

    fn nested(
        &mut self,
        f: fn(&mut Self) -> Result<Value, ParseError>,
    ) -> Result<Value, ParseError> {
        if self.depth == MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.depth += 1;
        self.i += 1; // the opening bracket
        let v = f(self);
        self.depth -= 1;
        v
    }

    fn object(&mut self) -> Result<Value, ParseError> {
        let mut map = Map::new();
        self.whitespace();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(Value::Object(map));
        }
        loop {
            self.whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a key"));
            }
            let key = self.string()?;
            self.whitespace();
            if self.peek() != Some(b':') {
                return Err(self.error("expected `:`"));
            }
            self.i += 1;
            let v = self.value()?;
            map.insert(key, v);
            self.whitespace();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(Value::Object(map));
                }
                _ => return Err(self.error("expected `,` or `}`")),
            }
        }
    }

    fn array(&mut self) -> Result<Value, ParseError> {
        let mut items = Vec::new();
        self.whitespace();
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.whitespace();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    /// A string, the cursor on its opening quote.
    fn string(&mut self) -> Result<String, ParseError> {
        self.i += 1;
        let start = self.i;
        // Fast path: no escapes, the text is borrowed as it is (it is UTF-8 already).
        while let Some(b) = self.peek() {
            match b {
                b'"' => {
                    let s = self.slice(start, self.i)?.to_string();
                    self.i += 1;
                    return Ok(s);
                }
                b'\\' => break,
                _ => self.i += 1,
            }
        }
        let mut out = self.slice(start, self.i)?.to_string();
        loop {
            let run = self.i;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' {
                    break;
                }
                self.i += 1;
            }
            out.push_str(self.slice(run, self.i)?);
            match self.peek() {
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    self.escape(&mut out)?;
                }
                _ => return Err(self.error("unterminated string")),
            }
        }
    }

    /// One escape sequence, the cursor after its backslash.
    fn escape(&mut self, out: &mut String) -> Result<(), ParseError> {
        let c = self
            .peek()
            .ok_or_else(|| self.error("unterminated string"))?;
        self.i += 1;
        let ch = match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = self.hex4()?;
                let is_high = (0xD800..0xDC00).contains(&unit);
                let low_follows = self.bytes[self.i..].starts_with(b"\\u");
                if is_high && low_follows {
                    let save = self.i;
                    self.i += 2;
                    let low = self.hex4()?;
                    if (0xDC00..0xE000).contains(&low) {
                        let code = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                        out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                        return Ok(());
                    }
                    self.i = save; // not a pair: the high half stands alone
                }
                // A lone surrogate has no Rust `char`: U+FFFD, as `toWellFormed()` gives.
                char::from_u32(unit).unwrap_or('\u{FFFD}')
            }
            _ => return Err(self.error("invalid escape")),
        };
        out.push(ch);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let digits = self
            .bytes
            .get(self.i..self.i + 4)
            .ok_or_else(|| self.error("invalid \\u escape"))?;
        let mut v = 0;
        for &d in digits {
            let x = (d as char)
                .to_digit(16)
                .ok_or_else(|| self.error("invalid \\u escape"))?;
            v = v * 16 + x;
        }
        self.i += 4;
        Ok(v)
    }

    fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.i;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.i += 1;
        }
        let int_start = self.i;
        self.digits();
        if self.i == int_start {
            return Err(self.error("invalid number"));
        }
        let mut integral = true;
        if self.peek() == Some(b'.') {
            integral = false;
            self.i += 1;
            let frac = self.i;
            self.digits();
            if self.i == frac {
                return Err(self.error("invalid number"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            integral = false;
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            let exp = self.i;
            self.digits();
            if self.i == exp {
                return Err(self.error("invalid number"));
            }
        }
        let text = self.slice(start, self.i)?;
        if integral {
            if negative {
                if let Ok(n) = text.parse::<i64>() {
                    // `-0` is the double -0, as serde_json reads it.
                    return Ok(if n == 0 {
                        float(-0.0)
                    } else {
                        Value::Number(n.into())
                    });
                }
            } else if let Ok(n) = text.parse::<u64>() {
                return Ok(Value::Number(n.into()));
            }
        }
        let x: f64 = text.parse().map_err(|_| self.error("invalid number"))?;
        if x.is_finite() {
            Ok(float(x))
        } else {
            Err(self.error("number out of range"))
        }
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
    }

    fn slice(&self, from: usize, to: usize) -> Result<&str, ParseError> {
        self.text
            .get(from..to)
            .ok_or_else(|| self.error("invalid UTF-8 boundary"))
    }
}

/// Appends `v` as JSON text.
pub fn write(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(n, out),
        Value::String(s) => write_str(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => write_object(map, out),
    }
}

/// Appends an object as JSON text, in its key order.
pub fn write_object(map: &Map<String, Value>, out: &mut String) {
    out.push('{');
    for (i, (k, v)) in map.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_str(k, out);
        out.push(':');
        write(v, out);
    }
    out.push('}');
}

fn write_number(n: &Number, out: &mut String) {
    if let Some(u) = n.as_u64() {
        write_u64(u, out);
    } else if let Some(i) = n.as_i64() {
        out.push('-');
        write_u64(i.unsigned_abs(), out);
    } else {
        // Finite: a `Value` cannot hold NaN or infinities.
        out.push_str(&js::number_to_string(n.as_f64().unwrap_or(0.0)));
    }
}

fn write_u64(mut n: u64, out: &mut String) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &buf[i..] {
        out.push(char::from(d));
    }
}

/// Appends `s` as a JSON string literal: quotes, backslashes and control
/// characters escaped, everything else as it is.
pub fn write_str(s: &str, out: &mut String) {
    out.push('"');
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[run..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        } else {
            out.push_str(escape);
        }
        run = i + 1;
    }
    out.push_str(&s[run..]);
    out.push('"');
}

fn float(x: f64) -> Value {
    Number::from_f64(x).map_or(Value::Null, Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// serde_json's reading, exact (`float_roundtrip` is on for the tests).
    fn reference(text: &str) -> Value {
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn same_as_serde_json(text: &str) {
        let ours = parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        let theirs = reference(text);
        assert_eq!(ours, theirs, "{text}");
        // Same key order, same number representation.
        assert_eq!(
            serde_json::to_string(&ours).ok(),
            serde_json::to_string(&theirs).ok(),
            "{text}"
        );
    }

    #[test]
    fn reads_every_vector_file_as_serde_json_does() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors");
        let mut files = 0;
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.map(|e| e.path()).unwrap_or_default();
            if path.extension().is_some_and(|x| x == "json") {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                same_as_serde_json(&text);
                // And as JSON.stringify writes it: compact.
                same_as_serde_json(&serde_json::to_string(&reference(&text)).unwrap_or_default());
                files += 1;
            }
        }
        assert_eq!(files, 17);
    }

    #[test]
    fn scalars_and_structure() {
        for text in [
            "null",
            "true",
            "false",
            "0",
            "-1",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "1.5",
            "-2.5e-3",
            "1E+2",
            "1e308",
            "5e-324",
            "0.30000000000000004",
            "123456789012345678901234567890",
            "\"\"",
            "\"a\"",
            "-0",
            "[]",
            "{}",
            "[1,[2,[3]]]",
            r#"{"b":1,"a":2,"b":3}"#,
            r#" { "a" : [ 1 , 2 ] } "#,
            r#""\"\\\/\b\f\n\r\t\u0000\u001f\u00e9\u20ac\ud83d\ude00""#,
            "\"ü€😀\"",
            r#"{"k\u00e9y":"v"}"#,
        ] {
            same_as_serde_json(text);
        }
    }

    #[test]
    fn floats_read_exactly() {
        // Shortest round-trip forms of many doubles, as JSON.stringify writes them.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let f = f64::from_bits(x);
            if !f.is_finite() {
                continue;
            }
            let text = format!("{f:e}");
            match parse(&text) {
                Ok(Value::Number(n)) => {
                    assert_eq!(n.as_f64().map(f64::to_bits), Some(f.to_bits()), "{text}")
                }
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn writes_what_json_parse_reads_back_as_serde_json_wrote_it() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors");
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let text = std::fs::read_to_string(entry.map(|e| e.path()).unwrap_or_default())
                .unwrap_or_default();
            let v = reference(&text);
            let mut ours = String::new();
            write(&v, &mut ours);
            assert_eq!(reference(&ours), v);
        }
        let mut out = String::new();
        write_str("a\"b\\c\n\u{1}\u{1f}\u{7f}é\u{2028}😀", &mut out);
        assert_eq!(out, "\"a\\\"b\\\\c\\n\\u0001\\u001f\u{7f}é\u{2028}😀\"");
        assert_eq!(
            reference(&out),
            Value::String("a\"b\\c\n\u{1}\u{1f}\u{7f}é\u{2028}😀".into())
        );
        for (n, text) in [
            (0.1 + 0.2, "0.30000000000000004"),
            (1e21, "1e+21"),
            (-1.5, "-1.5"),
            (5e-324, "5e-324"),
        ] {
            let mut out = String::new();
            write(&float(n), &mut out);
            assert_eq!(out, text);
        }
        for (v, text) in [
            (Value::from(u64::MAX), "18446744073709551615"),
            (Value::from(i64::MIN), "-9223372036854775808"),
            (Value::from(0), "0"),
        ] {
            let mut out = String::new();
            write(&v, &mut out);
            assert_eq!(out, text);
        }
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        assert_eq!(
            parse(r#""a\ud800b""#),
            Ok(Value::String("a\u{FFFD}b".into()))
        );
        assert_eq!(parse(r#""\udc00""#), Ok(Value::String("\u{FFFD}".into())));
        assert_eq!(
            parse(r#""\ud800\u0041""#),
            Ok(Value::String("\u{FFFD}A".into()))
        );
    }

    #[test]
    fn refuses_what_is_not_json() {
        for text in [
            "",
            "nul",
            "[1,]",
            "{\"a\":1,}",
            "{a:1}",
            "01x",
            "1.",
            "-",
            "1e",
            "\"abc",
            "[1 2]",
            "\"\\x\"",
            "\"\\u12\"",
            "1e400",
            "{} {}",
        ] {
            assert!(parse(text).is_err(), "{text}");
        }
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert_eq!(parse(&deep).map_err(|e| e.reason), Err("nested too deeply"));
        let ok = "[".repeat(128) + &"]".repeat(128);
        assert!(parse(&ok).is_ok());
    }
}
