//! [`Json`]: the engine's own JSON tree, borrowed from the text it was read from.
//!
//! Why not `serde_json::Value`: speed, which every caller pays for. A
//! `Value` owns every string and hashes every key into an `IndexMap`; under
//! callgrind that was half the cost of validating a document. A `Json`
//! borrows its strings from the input text (or from a `Value`, through
//! [`Json::from_value`]), keeps an object as a vector of pairs (documents are
//! small: a scan beats hashing), and the engine's output borrows the input's
//! strings in turn, so a valid document is read, checked and written with a
//! handful of allocations.
//!
//! The reader and writer are also the WebAssembly boundary's: numbers are
//! read by `str::parse::<f64>` (exact) and written by JavaScript's own number
//! formatting ([`crate::js::number_to_string`]), so `JSON.parse` reads back
//! the same double, and key order is kept.

use crate::{js, Date};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// A JSON object: its pairs in order, keys unique.
pub type Object<'a> = Vec<(Cow<'a, str>, Json<'a>)>;

/// A JSON value whose strings may borrow from the text or `Value` it came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Json<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number: a finite JavaScript double.
    Number(f64),
    /// A string.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Json<'a>>),
    /// An object, in key order.
    Object(Object<'a>),
    /// A date the engine cast; written as its ISO 8601 string, as JSON has no dates.
    Date(Date),
}

impl<'a> Json<'a> {
    /// Borrows a `serde_json::Value` (numbers as JavaScript reads them: doubles).
    pub fn from_value(v: &'a Value) -> Self {
        match v {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => Json::Number(js::as_f64(n)),
            Value::String(s) => Json::String(Cow::Borrowed(s)),
            Value::Array(items) => Json::Array(items.iter().map(Json::from_value).collect()),
            Value::Object(m) => Json::Object(
                m.iter()
                    .map(|(k, v)| (Cow::Borrowed(k.as_str()), Json::from_value(v)))
                    .collect(),
            ),
        }
    }

    /// The `serde_json::Value` of this value (integral numbers as integers, dates as strings).
    pub fn to_value(&self) -> Value {
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => js::number_value(*n),
            Json::String(s) => Value::String(s.to_string()),
            Json::Array(items) => Value::Array(items.iter().map(Json::to_value).collect()),
            Json::Object(pairs) => Value::Object(object_to_map(pairs)),
            Json::Date(d) => Value::String(d.to_iso_string()),
        }
    }

    /// A key's value, for objects.
    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        match self {
            Json::Object(pairs) => get(pairs, key),
            _ => None,
        }
    }

    /// The string, for strings.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// The items, for arrays.
    pub fn as_array(&self) -> Option<&[Json<'a>]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The pairs, for objects.
    pub fn as_object(&self) -> Option<&Object<'a>> {
        match self {
            Json::Object(pairs) => Some(pairs),
            _ => None,
        }
    }

    /// `null`?
    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    /// An object?
    pub fn is_object(&self) -> bool {
        matches!(self, Json::Object(_))
    }

    /// An array?
    pub fn is_array(&self) -> bool {
        matches!(self, Json::Array(_))
    }

    /// This value as JSON text.
    pub fn to_text(&self) -> String {
        let mut out = String::with_capacity(256);
        write(self, &mut out);
        out
    }
}

/// An object's pairs as a `serde_json::Map`.
pub fn object_to_map(pairs: &Object<'_>) -> Map<String, Value> {
    let mut m = Map::with_capacity(pairs.len());
    for (k, v) in pairs {
        m.insert(k.to_string(), v.to_value());
    }
    m
}

/// A key's value in an object's pairs. Objects of a document's size are
/// scanned, which beats hashing the key.
pub fn get<'p, 'a>(pairs: &'p Object<'a>, key: &str) -> Option<&'p Json<'a>> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// The deepest nesting of arrays and objects the reader accepts: 127
/// levels, as serde_json (whose recursion limit of 128 refuses the 128th).
/// Deeper text is refused, never a stack overflow.
pub const MAX_DEPTH: usize = 127;

/// Why a text is not JSON this reader accepts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason} at byte {offset}")]
pub struct ParseError {
    /// What went wrong.
    pub reason: &'static str,
    /// Byte offset in the text.
    pub offset: usize,
}

/// Parses one JSON value (RFC 8259); only whitespace may follow it. Of
/// repeated keys the last value wins, in the first one's place, as
/// `JSON.parse` does.
///
/// It accepts exactly the texts `serde_json::from_str::<Value>` accepts and
/// reads the same values from them (`tests/json_differential.rs` and the
/// `json_reader` fuzz target check that): no leading zeros, no `+`, no empty
/// fraction or exponent, no number past the doubles (`1e400`), no raw
/// control character (U+0000 to U+001F) in a string, no lone surrogate
/// escape (`"\ud800"`, which RFC 8259 allows but no Rust string can hold),
/// no nesting deeper than [`MAX_DEPTH`].
pub fn parse(text: &str) -> Result<Json<'_>, ParseError> {
    Parser::new(text, false).document()
}

/// [`parse`] for text `JSON.stringify` wrote, whose objects never repeat a
/// key: no search for repeated keys. Text that does repeat one keeps every
/// pair, and which of them the engine reads is then unspecified: use
/// [`parse`] for text from anywhere else.
///
/// It refuses what [`parse`] refuses, but one thing: a lone surrogate escape,
/// which `JSON.stringify` writes for a JavaScript string holding a lone
/// surrogate, reads as U+FFFD, as `String.prototype.toWellFormed()` gives.
pub fn parse_stringified(text: &str) -> Result<Json<'_>, ParseError> {
    Parser::new(text, true).document()
}

/// The texts of the items of the array `text` holds, each one JSON text,
/// found without reading them into trees (for batches: each item is then
/// validated on its own). Refuses what [`parse_stringified`] refuses, and
/// anything but an array.
pub fn array_items(text: &str) -> Result<Vec<&str>, ParseError> {
    let mut p = Parser::new(text, true);
    p.whitespace();
    if p.peek() != Some(b'[') {
        return Err(p.error("expected an array"));
    }
    p.i += 1;
    p.depth = 1;
    let mut items = Vec::new();
    p.whitespace();
    if p.peek() == Some(b']') {
        p.i += 1;
    } else {
        loop {
            p.whitespace();
            let start = p.i;
            p.skip()?;
            items.push(p.slice(start, p.i)?);
            p.whitespace();
            match p.peek() {
                Some(b',') => p.i += 1,
                Some(b']') => {
                    p.i += 1;
                    break;
                }
                _ => return Err(p.error("expected `,` or `]`")),
            }
        }
    }
    p.whitespace();
    if p.i != text.len() {
        return Err(p.error("trailing characters"));
    }
    Ok(items)
}

pub(crate) struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    /// The cursor: a byte offset in `text`.
    pub(crate) i: usize,
    /// Arrays and objects open around the cursor.
    pub(crate) depth: usize,
    /// Text `JSON.stringify` wrote ([`parse_stringified`]): no search for
    /// repeated keys, lone surrogate escapes read as U+FFFD.
    stringified: bool,
    /// The pairs of the objects being read, innermost last: each object is
    /// moved out into a vector of its exact size when it closes, so reading
    /// allocates once per object and never regrows.
    pairs: Object<'a>,
    /// The same for the items of the arrays being read.
    items: Vec<Json<'a>>,
}

impl<'a> Parser<'a> {
    pub(crate) fn new(text: &'a str, stringified: bool) -> Self {
        Parser {
            text,
            bytes: text.as_bytes(),
            i: 0,
            depth: 0,
            stringified,
            pairs: Vec::with_capacity(32),
            items: Vec::with_capacity(16),
        }
    }

    fn document(mut self) -> Result<Json<'a>, ParseError> {
        let v = self.value()?;
        self.whitespace();
        if self.i != self.bytes.len() {
            return Err(self.error("trailing characters"));
        }
        Ok(v)
    }

    fn error(&self, reason: &'static str) -> ParseError {
        ParseError {
            reason,
            offset: self.i,
        }
    }

    #[inline(always)]
    pub(crate) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.i).copied()
    }

    #[inline(always)]
    pub(crate) fn whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.i += 1;
        }
    }

    fn literal(&mut self, word: &str, v: Json<'a>) -> Result<Json<'a>, ParseError> {
        if self.bytes[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(v)
        } else {
            Err(self.error("expected a value"))
        }
    }

    pub(crate) fn value(&mut self) -> Result<Json<'a>, ParseError> {
        self.whitespace();
        match self.peek() {
            Some(b'{') => self.nested(Self::object),
            Some(b'[') => self.nested(Self::array),
            Some(b'"') => self.string().map(Json::String),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'n') => self.literal("null", Json::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.error("expected a value")),
        }
    }

    fn nested(
        &mut self,
        f: fn(&mut Self) -> Result<Json<'a>, ParseError>,
    ) -> Result<Json<'a>, ParseError> {
        if self.depth == MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.depth += 1;
        self.i += 1; // the opening bracket
        let v = f(self);
        self.depth -= 1;
        v
    }

    /// Moves past one value, refusing what [`Parser::value`] refuses,
    /// without building it: how the transcoder (`engine/transcode.rs`)
    /// finds where the values of an object start. Strings without escapes,
    /// numbers and literals cost no allocation; a string with escapes is
    /// read as `value` reads it. A loop, not a recursion: nesting costs one
    /// bit of `objects` per level.
    pub(crate) fn skip(&mut self) -> Result<(), ParseError> {
        // Bit 0 is the innermost container opened here: 1 for an object.
        // `MAX_DEPTH` < 128 levels fit.
        let mut objects: u128 = 0;
        let mut open = 0usize;
        loop {
            // Before a value.
            self.whitespace();
            match self.peek() {
                Some(b'"') => self.skip_string()?,
                Some(c @ (b'{' | b'[')) => {
                    if self.depth == MAX_DEPTH {
                        return Err(self.error("nested too deeply"));
                    }
                    self.depth += 1;
                    self.i += 1;
                    let is_object = c == b'{';
                    objects = (objects << 1) | u128::from(is_object);
                    open += 1;
                    self.whitespace();
                    let close = if is_object { b'}' } else { b']' };
                    if self.peek() != Some(close) {
                        if is_object {
                            self.key()?;
                        }
                        continue;
                    }
                }
                _ => {
                    self.value()?;
                }
            }
            // After a value, or on the bracket that closes an empty container.
            loop {
                if open == 0 {
                    return Ok(());
                }
                self.whitespace();
                let in_object = objects & 1 == 1;
                match (self.peek(), in_object) {
                    (Some(b','), _) => {
                        self.i += 1;
                        if in_object {
                            self.whitespace();
                            self.key()?;
                        }
                        break;
                    }
                    (Some(b'}'), true) | (Some(b']'), false) => {
                        self.i += 1;
                        self.depth -= 1;
                        open -= 1;
                        objects >>= 1;
                    }
                    (_, true) => return Err(self.error("expected `,` or `}`")),
                    (_, false) => return Err(self.error("expected `,` or `]`")),
                }
            }
        }
    }

    /// After an object's `{`: whether a pair follows (`false`: the object
    /// is empty, the cursor after its `}`).
    pub(crate) fn first_pair(&mut self) -> Option<bool> {
        self.whitespace();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Some(false);
        }
        Some(true)
    }

    /// After a pair's value: whether another pair follows (the cursor after
    /// the `,`), or the object ends (after its `}`); `None` for neither.
    pub(crate) fn next_pair(&mut self) -> Option<bool> {
        self.whitespace();
        let more = match self.peek()? {
            b',' => true,
            b'}' => false,
            _ => return None,
        };
        self.i += 1;
        Some(more)
    }

    /// Whether the pair at the cursor has the key `name` (which needs no
    /// escape), written as `JSON.stringify` writes it: then the cursor is
    /// moved onto its value. Otherwise it stays (after any whitespace).
    pub(crate) fn at_key(&mut self, name: &str) -> bool {
        self.whitespace();
        let i = self.i;
        let end = i + name.len() + 3;
        let matches = self.bytes.get(i..end).is_some_and(|pair| {
            pair[0] == b'"'
                && &pair[1..pair.len() - 2] == name.as_bytes()
                && pair[pair.len() - 2..] == *b"\":"
        });
        if matches {
            self.i = end;
        }
        matches
    }

    /// The text being read.
    pub(crate) fn text(&self) -> &'a str {
        self.text
    }

    /// With the cursor on a string without escapes: moves past it and
    /// returns where it ends (after its closing quote). Anything else: 0,
    /// the cursor unmoved.
    pub(crate) fn plain_string(&mut self) -> usize {
        if self.peek() != Some(b'"') {
            return 0;
        }
        let close = find_special(self.bytes, self.i + 1);
        if self.bytes.get(close) != Some(&b'"') {
            return 0;
        }
        self.i = close + 1;
        self.i
    }

    /// Where the value at the cursor ends when this reader and [`write`]
    /// would give back its very text (so it can be copied as it is), the
    /// cursor then moved past it: no whitespace, no escape, numbers in
    /// JavaScript's own form, no empty object, at most `max_depth` (< 128)
    /// levels of nesting. `None`, the cursor unmoved, for anything else.
    /// The value must be one [`Parser::skip`] took: its grammar is not
    /// checked again.
    pub(crate) fn verbatim(&mut self, max_depth: usize) -> Option<usize> {
        let bytes = self.bytes;
        let string_end = |i: usize| {
            let close = find_special(bytes, i + 1);
            (bytes.get(close) == Some(&b'"')).then_some(close + 1)
        };
        let mut i = self.i;
        // Bit 0 is the innermost container: 1 for an object.
        let mut objects: u128 = 0;
        let mut depth = 0usize;
        loop {
            // On a value.
            match *bytes.get(i)? {
                b'"' => i = string_end(i)?,
                c @ (b'{' | b'[') => {
                    depth += 1;
                    i += 1;
                    let next = *bytes.get(i)?;
                    if depth > max_depth.min(127) || (c == b'{' && next == b'}') {
                        return None;
                    }
                    objects = (objects << 1) | u128::from(c == b'{');
                    if c == b'{' {
                        // A key and its colon.
                        i = string_end(i)?;
                        if bytes.get(i) != Some(&b':') {
                            return None;
                        }
                        i += 1;
                        continue;
                    }
                    if next != b']' {
                        continue;
                    }
                }
                b't' => i += 4,
                b'f' => i += 5,
                b'n' => i += 4,
                _ => i = canonical_number(bytes, i)?,
            }
            // After a value (or on the `]` of an empty array): close what
            // ends here, or go on to the next one.
            loop {
                if depth == 0 {
                    self.i = i;
                    return Some(i);
                }
                match *bytes.get(i)? {
                    b',' => {
                        i += 1;
                        if objects & 1 == 1 {
                            i = string_end(i)?;
                            if bytes.get(i) != Some(&b':') {
                                return None;
                            }
                            i += 1;
                        }
                        break;
                    }
                    b'}' | b']' => {
                        i += 1;
                        depth -= 1;
                        objects >>= 1;
                    }
                    _ => return None,
                }
            }
        }
    }

    /// A key and its colon, skipped; the cursor on the key's quote.
    fn key(&mut self) -> Result<(), ParseError> {
        if self.peek() != Some(b'"') {
            return Err(self.error("expected a key"));
        }
        self.skip_string()?;
        self.whitespace();
        if self.peek() != Some(b':') {
            return Err(self.error("expected `:`"));
        }
        self.i += 1;
        Ok(())
    }

    /// A string, skipped; the cursor on its opening quote.
    fn skip_string(&mut self) -> Result<(), ParseError> {
        let open = self.i;
        self.i = find_special(self.bytes, open + 1);
        match self.peek() {
            Some(b'"') => {
                self.i += 1;
                Ok(())
            }
            Some(b'\\') => {
                self.i = open;
                self.string().map(drop)
            }
            Some(_) => Err(self.error("control character in string")),
            None => Err(self.error("unterminated string")),
        }
    }

    fn object(&mut self) -> Result<Json<'a>, ParseError> {
        self.whitespace();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(Json::Object(Vec::new()));
        }
        let start = self.pairs.len();
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
            match (!self.stringified)
                .then(|| self.pairs[start..].iter_mut().find(|(k, _)| *k == key))
                .flatten()
            {
                Some(slot) => slot.1 = v,
                None => self.pairs.push((key, v)),
            }
            self.whitespace();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(Json::Object(self.pairs.split_off(start)));
                }
                _ => return Err(self.error("expected `,` or `}`")),
            }
        }
    }

    fn array(&mut self) -> Result<Json<'a>, ParseError> {
        self.whitespace();
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(Json::Array(Vec::new()));
        }
        let start = self.items.len();
        loop {
            let v = self.value()?;
            self.items.push(v);
            self.whitespace();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(Json::Array(self.items.split_off(start)));
                }
                _ => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    /// A string, the cursor on its opening quote.
    pub(crate) fn string(&mut self) -> Result<Cow<'a, str>, ParseError> {
        self.i += 1;
        let start = self.i;
        // Fast path: no escapes, the text is borrowed as it is (it is UTF-8 already).
        self.i = find_special(self.bytes, self.i);
        match self.peek() {
            Some(b'"') => {
                let s = self.slice(start, self.i)?;
                self.i += 1;
                return Ok(Cow::Borrowed(s));
            }
            Some(b'\\') => {}
            Some(_) => return Err(self.error("control character in string")),
            None => return Err(self.error("unterminated string")),
        }
        let mut out = self.slice(start, self.i)?.to_string();
        loop {
            // On a backslash.
            self.i += 1;
            self.escape(&mut out)?;
            let run = self.i;
            self.i = find_special(self.bytes, self.i);
            out.push_str(self.slice(run, self.i)?);
            match self.peek() {
                Some(b'"') => {
                    self.i += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {}
                Some(_) => return Err(self.error("control character in string")),
                None => return Err(self.error("unterminated string")),
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
                if !(0xD800..0xE000).contains(&unit) {
                    // Not a surrogate: a `char` of its own.
                    char::from_u32(unit).unwrap_or('\u{FFFD}')
                } else {
                    let is_high = unit < 0xDC00;
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
                    // A lone surrogate has no Rust `char`: refused as serde_json
                    // refuses it, or, in text `JSON.stringify` wrote, U+FFFD
                    // as `toWellFormed()` gives.
                    if !self.stringified {
                        return Err(self.error("lone surrogate in \\u escape"));
                    }
                    '\u{FFFD}'
                }
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

    fn number(&mut self) -> Result<Json<'a>, ParseError> {
        let start = self.i;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.i += 1;
        }
        let int_start = self.i;
        // Integers of up to 15 digits are exact doubles: read them directly.
        let mut small: u64 = 0;
        while let Some(d @ b'0'..=b'9') = self.peek() {
            small = small.wrapping_mul(10).wrapping_add(u64::from(d - b'0'));
            self.i += 1;
        }
        let int_digits = self.i - int_start;
        if int_digits == 0 {
            return Err(self.error("invalid number"));
        }
        if int_digits > 1 && self.bytes[int_start] == b'0' {
            return Err(self.error("leading zero in number"));
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
        if integral && int_digits <= 15 {
            let x = small as f64;
            return Ok(Json::Number(if negative { -x } else { x }));
        }
        let text = self.slice(start, self.i)?;
        let x: f64 = text.parse().map_err(|_| self.error("invalid number"))?;
        if x.is_finite() {
            Ok(Json::Number(x))
        } else {
            Err(self.error("number out of range"))
        }
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
    }

    #[inline(always)]
    fn slice(&self, from: usize, to: usize) -> Result<&'a str, ParseError> {
        self.text
            .get(from..to)
            .ok_or_else(|| self.error("invalid UTF-8 boundary"))
    }
}

/// The end of the number at `i` when [`write_number`] writes it back as
/// it is (JavaScript's own form: `JSON.stringify`'s); `None` otherwise.
pub(crate) fn canonical_number(bytes: &[u8], i: usize) -> Option<usize> {
    let len = bytes[i..]
        .iter()
        .position(|b| !matches!(b, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'))
        .unwrap_or(bytes.len() - i);
    let token = std::str::from_utf8(&bytes[i..i + len]).ok()?;
    let digits = token.strip_prefix('-').unwrap_or(token);
    // Integers of up to 15 digits are their own form, but for `-0` (written `0`).
    let plain =
        !digits.is_empty() && digits.len() <= 15 && digits.bytes().all(|b| b.is_ascii_digit());
    if plain && token != "-0" {
        return Some(i + len);
    }
    let mut written = String::with_capacity(24);
    write_number(token.parse().ok()?, &mut written);
    (written == token).then_some(i + len)
}

/// Appends one ASCII byte: a `Vec<u8>` push, without `String::push`'s
/// UTF-8 encoding of a `char` (a call of its own in the size-optimised
/// WebAssembly build, where the writer spent a tenth of its time in it).
#[inline(always)]
pub(crate) fn ascii(out: &mut String, b: u8) {
    debug_assert!(b.is_ascii());
    // SAFETY: every caller passes an ASCII byte, which keeps the text UTF-8.
    unsafe { out.as_mut_vec() }.push(b);
}

/// Appends `s`: a copy into room already there when there is some, inlined,
/// else `push_str`. At opt-level "s" `push_str` stays a call (`reserve`,
/// then `extend_from_slice`), and the transcoder's many short copies (keys,
/// strings copied as they came) spent a fifth of its WebAssembly time in
/// those two calls.
#[inline(always)]
pub(crate) fn put(out: &mut String, s: &str) {
    // SAFETY: `s` is UTF-8, and it is copied whole after UTF-8 text.
    let bytes = unsafe { out.as_mut_vec() };
    let len = bytes.len();
    if bytes.capacity() - len >= s.len() {
        // SAFETY: the room was just checked; the regions cannot overlap
        // (`s` is borrowed while `out` is borrowed mutably).
        unsafe {
            std::ptr::copy_nonoverlapping(s.as_ptr(), bytes.as_mut_ptr().add(len), s.len());
            bytes.set_len(len + s.len());
        }
    } else {
        bytes.extend_from_slice(s.as_bytes());
    }
}

/// Appends `v` as JSON text.
pub fn write(v: &Json<'_>, out: &mut String) {
    match v {
        Json::Null => put(out, "null"),
        Json::Bool(b) => put(out, if *b { "true" } else { "false" }),
        Json::Number(n) => write_number(*n, out),
        Json::String(s) => write_str(s, out),
        Json::Date(d) => {
            ascii(out, b'"');
            d.write_iso(out);
            ascii(out, b'"');
        }
        Json::Array(items) => {
            ascii(out, b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    ascii(out, b',');
                }
                write(item, out);
            }
            ascii(out, b']');
        }
        Json::Object(pairs) => {
            ascii(out, b'{');
            for (i, (k, v)) in pairs.iter().enumerate() {
                if i > 0 {
                    ascii(out, b',');
                }
                write_str(k, out);
                ascii(out, b':');
                write(v, out);
            }
            ascii(out, b'}');
        }
    }
}

/// Appends a JavaScript number as `JSON.stringify` writes it (`null` for
/// the non-finite numbers, which JSON cannot say).
pub fn write_number(n: f64, out: &mut String) {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        // Exact as an integer; -0 writes as 0, as in JavaScript.
        if n < 0.0 {
            ascii(out, b'-');
        }
        write_u64(n.abs() as u64, out);
    } else if n.is_finite() {
        out.push_str(ryu_js::Buffer::new().format_finite(n));
    } else {
        out.push_str("null");
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
    out.push_str(std::str::from_utf8(&buf[i..]).unwrap_or_default());
}

/// Appends `s` as a JSON string literal: quotes, backslashes and control
/// characters escaped, everything else as it is.
pub fn write_str(s: &str, out: &mut String) {
    ascii(out, b'"');
    let bytes = s.as_bytes();
    let mut run = 0;
    loop {
        let i = find_special(bytes, run);
        let Some(&b) = bytes.get(i) else { break };
        put(out, &s[run..i]);
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            _ => "",
        };
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            ascii(out, HEX[usize::from(b >> 4)]);
            ascii(out, HEX[usize::from(b & 0xf)]);
        } else {
            out.push_str(escape);
        }
        run = i + 1;
    }
    put(out, &s[run..]);
    ascii(out, b'"');
}

/// The index of the first `"`, `\\` or control character (below U+0020) in
/// `bytes` from `i` on, or `bytes.len()`. Eight bytes at a time: most
/// strings have none of them, and this is the reader's and writer's inner loop.
#[inline(always)]
fn find_special(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    while let Some(chunk) = bytes
        .get(i..i + 8)
        .and_then(|c| <&[u8; 8]>::try_from(c).ok())
    {
        // One 8-byte load (`copy_from_slice` stays a call at opt-level "z").
        let w = u64::from_le_bytes(*chunk);
        let found = has_zero(w ^ (ONES * u64::from(b'"')))
            | has_zero(w ^ (ONES * u64::from(b'\\')))
            | (w.wrapping_sub(ONES * 0x20) & !w & HIGHS);
        if found != 0 {
            // The lowest flagged byte is exact (false flags only sit above a true one).
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    // Fewer than eight left (the reader rarely gets here: the closing quote
    // and what follows it are in the same text).
    while let Some(&b) = bytes.get(i) {
        if SPECIAL[usize::from(b)] {
            return i;
        }
        i += 1;
    }
    i
}

/// The bytes [`find_special`] stops at.
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// serde_json's reading, exact (`float_roundtrip` is on for the tests).
    fn reference(text: &str) -> Value {
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    /// The same doubles, keys and order as serde_json reads, compared as
    /// JavaScript would see them (every number a double).
    fn same_as_serde_json(text: &str) {
        let ours = parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        let theirs = reference(text);
        assert_eq!(ours, Json::from_value(&theirs), "{text}");
        assert_eq!(
            serde_json::to_string(&ours.to_value()).ok(),
            serde_json::to_string(&Json::from_value(&theirs).to_value()).ok(),
            "{text}"
        );
    }

    fn vector_texts() -> Vec<String> {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors");
        let mut texts = Vec::new();
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.map(|e| e.path()).unwrap_or_default();
            if path.extension().is_some_and(|x| x == "json") {
                texts.push(std::fs::read_to_string(&path).unwrap_or_default());
            }
        }
        texts
    }

    #[test]
    fn reads_every_vector_file_as_serde_json_does() {
        let texts = vector_texts();
        assert_eq!(texts.len(), 17);
        for text in texts {
            same_as_serde_json(&text);
            // And as JSON.stringify writes it: compact, read both ways.
            let compact = serde_json::to_string(&reference(&text)).unwrap_or_default();
            same_as_serde_json(&compact);
            assert_eq!(parse_stringified(&compact), parse(&compact));
        }
    }

    #[test]
    fn scalars_and_structure() {
        for text in [
            "null",
            "true",
            "false",
            "0",
            "-1",
            "999999999999999",
            "-999999999999999",
            "9007199254740993",
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
        // Repeated keys: the last value, in the first one's place.
        assert_eq!(
            parse(r#"{"b":1,"a":2,"b":3}"#).map(|v| v.to_text()),
            Ok(r#"{"b":3,"a":2}"#.to_string())
        );
        // Strings without escapes are borrowed.
        assert!(matches!(
            parse(r#"["abc"]"#)
                .ok()
                .as_ref()
                .and_then(|v| v.as_array())
                .map(|a| &a[0]),
            Some(Json::String(Cow::Borrowed("abc")))
        ));
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
                Ok(Json::Number(n)) => assert_eq!(n.to_bits(), f.to_bits(), "{text}"),
                other => panic!("{text}: {other:?}"),
            }
            let mut out = String::new();
            write_number(f, &mut out);
            assert_eq!(out, js::number_to_string(f), "{text}");
        }
    }

    #[test]
    fn writes_what_json_parse_reads_back() {
        for text in vector_texts() {
            let v = reference(&text);
            let ours = Json::from_value(&v).to_text();
            assert_eq!(Json::from_value(&reference(&ours)), Json::from_value(&v));
        }
        let mut out = String::new();
        write_str("a\"b\\c\n\u{1}\u{1f}\u{7f}é\u{2028}😀", &mut out);
        assert_eq!(out, "\"a\\\"b\\\\c\\n\\u0001\\u001f\u{7f}é\u{2028}😀\"");
        for (n, text) in [
            (0.1 + 0.2, "0.30000000000000004"),
            (1e21, "1e+21"),
            (-1.5, "-1.5"),
            (5e-324, "5e-324"),
            (-0.0, "0"),
            (0.0, "0"),
            (-42.0, "-42"),
            (999_999_999_999_999.0, "999999999999999"),
            (1e15, "1000000000000000"),
            (9_007_199_254_740_993.0, "9007199254740992"),
            (f64::NAN, "null"),
        ] {
            let mut out = String::new();
            write_number(n, &mut out);
            assert_eq!(out, text);
        }
        let d = Date::parse_iso("2024-01-15T10:30:00Z").map(Json::Date);
        assert_eq!(
            d.map(|d| d.to_text()),
            Some("\"2024-01-15T10:30:00.000Z\"".into())
        );
    }

    /// `array_items` finds the items `parse_stringified` reads, and
    /// refuses what it refuses; `skip`, under it, is checked the same way.
    #[test]
    fn array_items_are_the_items_the_reader_reads() {
        let texts = [
            "[]",
            " [ ] ",
            "[1]",
            "[1,\"a\",null,true,false,-0.5e3]",
            "[{}, [], {\"a\":[1,{\"b\":\"c\\\"\"}]}, [[[]]], \"\\u00e9\"]",
            "[{\"a\":1,\"a\":2}]",
        ];
        for text in texts {
            let Ok(Json::Array(expected)) = parse_stringified(text) else {
                panic!("{text}: the reader must read it as an array");
            };
            let items = array_items(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            let read: Vec<Json> = items
                .iter()
                .map(|t| parse_stringified(t).unwrap_or_else(|e| panic!("{t}: {e}")))
                .collect();
            assert_eq!(read, expected, "{text}");
        }
        let deep = format!("[{}{}]", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        let refused = [
            "",
            "{}",
            "1",
            "[",
            "[1,]",
            "[,1]",
            "[1 2]",
            "[1]x",
            "[{\"a\"}]",
            "[{\"a\":}]",
            "[{1:2}]",
            "[{\"a\":1,}]",
            "[\"\\x\"]",
            "[tru]",
            "[01]",
            "[1.]",
            "[\"\u{1}\"]",
            "[[1}]",
            "[{\"a\":1]]",
            &deep,
        ];
        for text in refused {
            assert!(
                !parse_stringified(text).is_ok_and(|v| v.is_array()),
                "{text}: the reader takes it"
            );
            assert!(array_items(text).is_err(), "{text}: array_items takes it");
        }
    }

    #[test]
    fn strings_with_specials_at_every_offset_read_and_write_as_serde_json() {
        for special in ['"', '\\', '\n', '\u{1}', '\u{1f}', 'é', '😀', '\u{7f}'] {
            for len in 0..40 {
                for at in 0..=len {
                    let s: String = (0..len)
                        .map(|i| if i == at { special } else { 'a' })
                        .collect();
                    let mut ours = String::new();
                    write_str(&s, &mut ours);
                    assert_eq!(
                        Some(&ours),
                        serde_json::to_string(&s).ok().as_ref(),
                        "{s:?}"
                    );
                    assert_eq!(
                        parse(&ours).ok().as_ref().and_then(Json::as_str),
                        Some(s.as_str())
                    );
                }
            }
        }
    }

    #[test]
    fn lone_surrogates_are_refused_or_in_stringified_text_replacement_characters() {
        let s = |t: &str| {
            parse_stringified(t)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
        };
        assert_eq!(s(r#""a\ud800b""#).as_deref(), Some("a\u{FFFD}b"));
        assert_eq!(s(r#""\udc00""#).as_deref(), Some("\u{FFFD}"));
        assert_eq!(s(r#""\ud800\u0041""#).as_deref(), Some("\u{FFFD}A"));
        for text in [r#""a\ud800b""#, r#""\udc00""#, r#""\ud800\u0041""#] {
            assert!(parse(text).is_err(), "{text}");
        }
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
            "01",
            "-007",
            "+1",
            ".5",
            "\"\u{0}\"",
            "\"a\u{1f}\"",
            "\"\\u0041\n\"",
        ] {
            assert!(parse(text).is_err(), "{text}");
            assert!(parse_stringified(text).is_err(), "{text}");
        }
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert_eq!(parse(&deep).map_err(|e| e.reason), Err("nested too deeply"));
        // serde_json's limit: 127 levels read, the 128th refused.
        let ok = "[".repeat(127) + &"]".repeat(127);
        assert!(parse(&ok).is_ok());
        let past = "[".repeat(128) + &"]".repeat(128);
        assert!(parse(&past).is_err());
    }
}
