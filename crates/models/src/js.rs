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

/// JavaScript's `ToBoolean`: everything but `null`, `false`, `0` and `""`
/// (JSON has no `NaN` or `undefined`).
pub fn truthy(v: &Json<'_>) -> bool {
    match v {
        Json::Null => false,
        Json::Bool(b) => *b,
        Json::Number(n) => *n != 0.0,
        Json::String(s) => !s.is_empty(),
        _ => true,
    }
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

/// Mongoose's `getValueType`: `typeof`, or the constructor name for
/// objects (`object` when an own `constructor` key hides it).
pub fn value_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "Array",
        Value::Object(m) if m.keys().any(|k| k == "constructor") => "object",
        Value::Object(_) => "Object",
    }
}

/// Mongoose's `getStringValue`: `util.inspect(value)` with a single quote at
/// either end turned into a double quote, then wrapped in double quotes
/// unless it starts with one.
pub fn cast_string_value(v: &Value) -> String {
    let mut s = inspect(v);
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

/// Node's `util.inspect(value)` with its default options (depth 2,
/// `breakLength` 80, `compact` 3, at most 100 array items), for JSON values: Node 20's
/// `lib/internal/util/inspect.js`, including its line breaking (an entry
/// list longer than the line goes one entry per line, arrays of more than
/// six short entries are grouped in columns, long strings are split after
/// their newlines). Column widths of non-ASCII text follow [`display_width`].
pub fn inspect(v: &Value) -> String {
    Inspector::default().value(v, 0)
}

const BREAK_LENGTH: usize = 80;
const COMPACT: usize = 3;

#[derive(Default)]
struct Inspector {
    /// `ctx.indentationLvl`.
    indentation: usize,
    /// `ctx.currentDepth`: the depth of the container entered last.
    current_depth: usize,
}

impl Inspector {
    /// `formatValue`.
    fn value(&mut self, v: &Value, depth: usize) -> String {
        let (entries, open, close): (Vec<(Option<&String>, &Value)>, &str, &str) = match v {
            Value::Null => return "null".into(),
            Value::Bool(b) => return b.to_string(),
            Value::Number(n) => {
                let n = as_f64(n);
                let negative_zero = n == 0.0 && n.is_sign_negative();
                return if negative_zero {
                    "-0".into()
                } else {
                    number_to_string(n)
                };
            }
            Value::String(s) => return self.string(s),
            Value::Array(items) => (items.iter().map(|x| (None, x)).collect(), "[", "]"),
            Value::Object(m) => (m.iter().map(|(k, x)| (Some(k), x)).collect(), "{", "}"),
        };
        if entries.is_empty() {
            let mut empty = String::from(open);
            empty.push_str(close);
            return empty;
        }
        if depth > 2 {
            return if v.is_array() { "[Array]" } else { "[Object]" }.into();
        }
        let depth = depth + 1;
        self.current_depth = depth;
        let mut out = Vec::new();
        for (key, x) in entries.iter().take(100) {
            self.indentation += 2;
            let shown = self.value(x, depth);
            self.indentation -= 2;
            out.push(match key {
                Some(k) => {
                    let mut entry = inspect_key(k);
                    entry.push_str(": ");
                    entry.push_str(&shown);
                    entry
                }
                None => shown,
            });
        }
        let mut entries = out.len();
        if let Value::Array(items) = v {
            if items.len() > 100 {
                out.push(plural("... ", items.len() - 100, " more item"));
            }
            entries = out.len();
            if entries > 6 {
                out = self.group(out, items);
            }
        }
        // reduceToSingleString: one line when the entries fit (isBelowBreakLength,
        // counting UTF-16 units), else one entry per line.
        if self.current_depth - depth < COMPACT && entries == out.len() {
            let mut total = out.len() * 2 + self.indentation + 11;
            let fits = total + out.len() <= BREAK_LENGTH
                && out.iter().all(|o| {
                    total += utf16_len(o);
                    total <= BREAK_LENGTH
                });
            let mut line = String::from(open);
            line.push(' ');
            line.push_str(&out.join(", "));
            line.push(' ');
            line.push_str(close);
            if fits && !line.contains('\n') {
                return line;
            }
        }
        let mut indent = String::from("\n");
        indent.push_str(&" ".repeat(self.indentation));
        let mut text = String::from(open);
        for (i, o) in out.iter().enumerate() {
            text.push_str(if i == 0 { "" } else { "," });
            text.push_str(&indent);
            text.push_str("  ");
            text.push_str(o);
        }
        text.push_str(&indent);
        text.push_str(close);
        text
    }

    /// `groupArrayElements`: short entries in aligned columns.
    fn group(&self, out: Vec<String>, items: &[Value]) -> Vec<String> {
        let len = out.len() - usize::from(items.len() > 100);
        let mut widths = Vec::with_capacity(len);
        let (mut total, mut max) = (0, 0);
        for o in &out[..len] {
            let w = display_width(o);
            widths.push(w);
            total += w + 2;
            max = max.max(w);
        }
        let actual_max = max + 2;
        let (total, actual) = (total as f64, actual_max as f64);
        if actual_max * 3 + self.indentation >= BREAK_LENGTH || (total / actual <= 5.0 && max > 6) {
            return out;
        }
        let bias = (actual - total / out.len() as f64).sqrt();
        let biased_max = (actual - 3.0 - bias).max(1.0);
        let columns = ((2.5 * biased_max * len as f64).sqrt() / biased_max + 0.5)
            .floor()
            .min(((BREAK_LENGTH - self.indentation) / actual_max) as f64)
            .min((COMPACT * 4).min(15) as f64) as usize;
        if columns <= 1 {
            return out;
        }
        let mut line_max = vec![0; columns];
        for (j, w) in widths.iter().enumerate() {
            line_max[j % columns] = line_max[j % columns].max(w + 2);
        }
        // Numbers are padded at the start (right-aligned), the rest at the end.
        let numbers = items.iter().take(out.len()).all(Value::is_number);
        let mut grouped = Vec::new();
        let mut line = String::new();
        for (j, o) in out[..len].iter().enumerate() {
            let last = j + 1 == len || (j + 1) % columns == 0;
            let fill = " ".repeat(line_max[j % columns] - widths[j] - 2);
            if numbers {
                line.push_str(&fill);
            }
            line.push_str(o);
            if !last {
                line.push_str(", ");
                if !numbers {
                    line.push_str(&fill);
                }
            } else {
                grouped.push(std::mem::take(&mut line));
            }
        }
        grouped.extend(out.into_iter().skip(len));
        grouped
    }

    /// `formatPrimitive` for a string: one longer than the line is split
    /// after each newline into `'...' +` lines.
    fn string(&self, s: &str) -> String {
        // Node also cuts a string at 10,000 UTF-16 units here; we show it
        // whole (COMPATIBILITY.md, `inspect-long-string`).
        let len = utf16_len(s);
        if len > 16 && len + self.indentation + 4 > BREAK_LENGTH {
            let mut joint = String::from(" +\n");
            joint.push_str(&" ".repeat(self.indentation + 2));
            let lines: Vec<String> = s.split_inclusive('\n').map(str_escape).collect();
            lines.join(joint.as_str())
        } else {
            str_escape(s)
        }
    }
}

/// `{prefix}{n}{noun}` with an `s` when `n` is not 1.
fn plural(prefix: &str, n: usize, noun: &str) -> String {
    let mut out = String::from(prefix);
    out.push_str(&n.to_string());
    out.push_str(noun);
    if n > 1 {
        out.push('s');
    }
    out
}

/// A key as `util.inspect` writes it: bare when it is an identifier.
fn inspect_key(k: &str) -> String {
    let mut chars = k.chars();
    let plain = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if k == "__proto__" {
        "['__proto__']".into()
    } else if plain {
        k.to_string()
    } else {
        str_escape(k)
    }
}

/// `strEscape`: quoted with `'`, or `"` when the text holds a `'`, or `` ` ``
/// when it holds both; control characters, the backslash and the quote
/// escaped.
fn str_escape(s: &str) -> String {
    let has = |c: char| s.contains(c);
    let quote = if !has('\'') {
        '\''
    } else if !has('"') {
        '"'
    } else if !has('`') && !s.as_bytes().windows(2).any(|w| w == b"${") {
        '`'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        let code = c as u32;
        let short = match c {
            '\u{8}' => 'b',
            '\t' => 't',
            '\n' => 'n',
            '\u{c}' => 'f',
            '\r' => 'r',
            '\\' => '\\',
            '\'' if quote == '\'' => '\'',
            _ => '\0',
        };
        if short != '\0' {
            out.push('\\');
            out.push(short);
        } else if code < 0x20 || (0x7f..0xa0).contains(&code) {
            push_hex(&mut out, 'x', code, 2, true);
        } else {
            out.push(c);
        }
    }
    out.push(quote);
    out
}

/// `\x1B`-style escapes: `digits` hex digits, upper or lower case.
fn push_hex(out: &mut String, kind: char, n: u32, digits: u32, upper: bool) {
    out.push('\\');
    out.push(kind);
    for i in (0..digits).rev() {
        let d = char::from_digit((n >> (4 * i)) & 0xf, 16).unwrap_or('0');
        out.push(if upper { d.to_ascii_uppercase() } else { d });
    }
}

/// Ranges of characters Node's ICU measures as 0 (zero-width) or 2 (wide)
/// columns: the first character, how many follow it, the width.
const WIDTHS: [(u32, u16, u8); 60] = [
    (0x300, 0x6f, 0),
    (0x483, 0x6, 0),
    (0x1100, 0x5f, 2),
    (0x200b, 0x4, 0),
    (0x202a, 0x4, 0),
    (0x2060, 0x4, 0),
    (0x20d0, 0x2f, 0),
    (0x231a, 0x1, 2),
    (0x2329, 0x1, 2),
    (0x23e9, 0x3, 2),
    (0x23f0, 0x0, 2),
    (0x23f3, 0x0, 2),
    (0x25fd, 0x1, 2),
    (0x2614, 0x1, 2),
    (0x2648, 0xb, 2),
    (0x267f, 0x0, 2),
    (0x2693, 0x0, 2),
    (0x26a1, 0x0, 2),
    (0x26aa, 0x1, 2),
    (0x26bd, 0x1, 2),
    (0x26c4, 0x1, 2),
    (0x26ce, 0x0, 2),
    (0x26d4, 0x0, 2),
    (0x26ea, 0x0, 2),
    (0x26f2, 0x1, 2),
    (0x26f5, 0x0, 2),
    (0x26fa, 0x0, 2),
    (0x26fd, 0x0, 2),
    (0x2705, 0x0, 2),
    (0x270a, 0x1, 2),
    (0x2728, 0x0, 2),
    (0x274c, 0x0, 2),
    (0x274e, 0x0, 2),
    (0x2753, 0x2, 2),
    (0x2757, 0x0, 2),
    (0x2795, 0x2, 2),
    (0x27b0, 0x0, 2),
    (0x27bf, 0x0, 2),
    (0x2b1b, 0x1, 2),
    (0x2b50, 0x0, 2),
    (0x2b55, 0x0, 2),
    (0x2e80, 0x1be, 2),
    (0x3041, 0x1d7e, 2),
    (0x4e00, 0x56cf, 2),
    (0xa960, 0x1f, 2),
    (0xac00, 0x2ba3, 2),
    (0xf900, 0x1ff, 2),
    (0xfe00, 0xf, 0),
    (0xfe10, 0x9, 2),
    (0xfe20, 0xf, 0),
    (0xfe30, 0x3f, 2),
    (0xfeff, 0x0, 0),
    (0xff00, 0x60, 2),
    (0xffe0, 0x6, 2),
    (0x1f004, 0x0, 2),
    (0x1f1e6, 0x469, 2),
    (0x1f680, 0x7f, 2),
    (0x1f900, 0x1ff, 2),
    (0x20000, 0xfffd, 2),
    (0x30000, 0xfffd, 2),
];

/// Node's `getStringWidth`: the columns a terminal gives a string. ASCII is
/// exact; for other characters Node asks ICU (East Asian Width, emoji
/// presentation, zero-width categories), which [`WIDTHS`] approximates with
/// the common wide (CJK, emoji) and zero-width ranges (COMPATIBILITY.md,
/// `inspect-width`).
pub fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let c = c as u32;
            match c {
                0..=0x1f | 0x7f..=0x9f | 0xe0001..=0xe01ef => 0,
                0x20..=0x7e => 1,
                _ => WIDTHS
                    .iter()
                    .find(|(lo, len, _)| c >= *lo && c - lo <= u32::from(*len))
                    .map_or(1, |w| usize::from(w.2)),
            }
        })
        .sum()
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
