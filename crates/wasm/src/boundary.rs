//! The JS/WASM boundary: how values cross, and nothing else.
//!
//! Values cross as JSON text, both ways. On the way in, `JSON.stringify` (in
//! `boundary.js`) writes the caller's value, `Date` objects as ISO strings,
//! and the models crate's reader ([`json::parse_stringified`]) reads it into
//! a tree that borrows the text's strings; the engine validates that tree
//! and its result is written as JSON text ([`WriteJson`]), which `JSON.parse`
//! turns into plain objects, arrays and `null`: the runtime shape is exactly
//! the JSON the models crate produces. `validate` builds no
//! `serde_json::Value` on the way (a valid document costs a handful of
//! allocations); `validateField` and error values still go through one.
//!
//! Measured before choosing (Node 20, users / chatsessions / tools spec
//! examples, µs per `validate`, with the earlier `serde_json::Value` engine):
//! JSON text both ways 79 / 60 / 99; serde-wasm-bindgen's property-by-property
//! walk in and JSON out 78 / 72 / 123; JSON in and serde-wasm-bindgen
//! (`json_compatible`) out 90 / 66 / 113; serde-wasm-bindgen both ways
//! 98 / 79 / 149. The walk also needs its own handling of `Date` objects,
//! which it reads as `{}`.

use onelastai_models::engine::Rejection;
use onelastai_models::json::{self, Json};
use onelastai_models::{Date, ErrorKind, FieldError};
use serde_json::Value;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(module = "/src/boundary.js")]
extern "C" {
    /// Gives `boundary.js` the module's memory, once: it writes the
    /// caller's text straight into Rust's buffer.
    #[wasm_bindgen(js_name = useMemory)]
    fn use_memory(memory: JsValue);

    /// `JSON.stringify` with the rewrites of `boundary.js`, kept in
    /// JavaScript, and written as UTF-8 into the `cap` bytes at `ptr` when
    /// it fits for sure (three bytes per UTF-16 unit): the bytes written.
    /// Otherwise -1 minus its length in UTF-16 units, the text kept for
    /// [`take_input`]; NaN for no text; -Infinity when `JSON.stringify`
    /// threw ([`take_thrown`]). It catches in JavaScript: a `catch` import
    /// goes through wasm-bindgen's `handleError` on every call.
    #[wasm_bindgen(js_name = stageInput)]
    fn stage_input(value: &JsValue, ptr: u32, cap: u32) -> f64;

    /// What `JSON.stringify` threw in the last [`stage_input`].
    #[wasm_bindgen(js_name = takeThrown)]
    fn take_thrown() -> JsValue;

    /// Writes the kept text as UTF-8 into the `cap` bytes at `ptr`; returns the bytes written.
    #[wasm_bindgen(js_name = takeInput)]
    fn take_input(ptr: u32, cap: u32) -> u32;

    /// `options.now` as epoch milliseconds (the caller's clock when
    /// absent), or NaN where Rust must read it ([`now_option`]). A plain
    /// `f64`, not an `Option`: wasm-bindgen returns those through memory,
    /// which cost about 60 ns a call here.
    #[wasm_bindgen(js_name = nowOf)]
    fn now_of(options: &JsValue) -> f64;

    /// Remembers the date of an `options.now` string for [`now_of`].
    #[wasm_bindgen(js_name = rememberNow)]
    fn remember_now(now: &JsValue, millis: f64);

    /// `options.maxErrors`: 0 when absent, -1 for what no count can be
    /// (not a number, below 1), else the number.
    #[wasm_bindgen(js_name = maxErrorsOf)]
    fn max_errors_of(options: &JsValue) -> f64;

    /// `JSON.parse` of text this crate wrote (always JSON: no `catch`).
    #[wasm_bindgen(js_name = parseJson)]
    fn parse_json(text: &str) -> JsValue;
}

/// Runs `f` on a caller's value as JSON text, `None` for `undefined` (which
/// JSON cannot say, and which reads as `null`). A value that has no JSON form
/// (a cycle, a throwing `toJSON`) is a cast error at `path` (`""` for the
/// document), never an exception. The text is read into
/// a buffer kept from call to call: no allocation, and no zero-filling of
/// three bytes per UTF-16 unit, once the buffer has grown to the documents'
/// size. A nested call (a `toJSON` that validates) takes a fresh buffer.
pub fn with_text<R>(
    value: &JsValue,
    path: &str,
    f: impl FnOnce(Option<&str>) -> R,
) -> Result<R, Box<FieldError>> {
    let mut bytes = INPUT.take();
    let result = read_into(value, path, &mut bytes).map(f);
    // A huge document's buffer is not kept.
    if bytes.len() <= KEPT_BYTES {
        INPUT.set(bytes);
    }
    result
}

/// [`with_text`]'s reading, into `bytes` (grown as needed, never shrunk).
fn read_into<'b>(
    value: &JsValue,
    path: &str,
    bytes: &'b mut Vec<u8>,
) -> Result<Option<&'b str>, Box<FieldError>> {
    if !MEMORY_GIVEN.replace(true) {
        use_memory(wasm_bindgen::memory());
    }
    if bytes.is_empty() {
        bytes.resize(FIRST_BYTES, 0);
    }
    let place = |bytes: &mut Vec<u8>| (bytes.as_mut_ptr() as usize as u32, bytes.len() as u32);
    let (ptr, cap) = place(bytes);
    let staged = stage_input(value, ptr, cap);
    let written = if staged == f64::NEG_INFINITY {
        return Err(unreadable(path, &error_message(&take_thrown())));
    } else if staged.is_nan() {
        return Ok(None);
    } else if staged >= 0.0 {
        staged as usize
    } else {
        // A UTF-16 unit is at most three UTF-8 bytes; only growth is zero-filled.
        let units = (-1.0 - staged) as usize;
        if bytes.len() < units * 3 {
            bytes.resize(units * 3, 0);
        }
        let (ptr, cap) = place(bytes);
        take_input(ptr, cap) as usize
    };
    // `encodeInto` writes UTF-8 (lone surrogates as U+FFFD); checked all the same.
    std::str::from_utf8(bytes.get(..written).unwrap_or_default())
        .map(Some)
        .map_err(|_| unreadable(path, "the text is not UTF-8"))
}

/// The input buffer's first size: most documents fit at once.
const FIRST_BYTES: usize = 16 << 10;

/// The largest buffer [`with_text`] keeps for the next call.
const KEPT_BYTES: usize = 1 << 20;

/// Parses what [`with_text`] passes on; only the nesting limit can refuse it.
pub fn parse_text<'a>(text: Option<&'a str>, path: &str) -> Result<Json<'a>, Box<FieldError>> {
    match text {
        None => Ok(Json::Null),
        Some(text) => json::parse_stringified(text).map_err(|e| unreadable(path, e.reason)),
    }
}

/// Reads a caller's value as a `serde_json::Value` (see [`with_text`]).
pub fn read_value(value: &JsValue, path: &str) -> Result<Value, Box<FieldError>> {
    with_text(value, path, |text| {
        parse_text(text, path).map(|v| v.to_value())
    })?
}

fn unreadable(path: &str, reason: &str) -> Box<FieldError> {
    let message = match path {
        "" => format!("Cannot read the document as JSON: {reason}"),
        _ => format!("Cannot read the value at path \"{path}\" as JSON: {reason}"),
    };
    Box::new(FieldError::new(path, ErrorKind::Cast, message, None))
}

/// `s` as a JSON string literal, for messages.
pub fn quoted(s: &str) -> String {
    let mut out = String::new();
    json::write_str(s, &mut out);
    out
}

/// Values the boundary hands back to JavaScript, written as JSON text.
pub trait WriteJson {
    /// Appends `self` as JSON text.
    fn write_json(&self, out: &mut String);
}

impl WriteJson for Json<'_> {
    fn write_json(&self, out: &mut String) {
        json::write(self, out);
    }
}

impl WriteJson for FieldError {
    /// `{ path, kind, message, value? }`, as the crate's serde form.
    fn write_json(&self, out: &mut String) {
        out.push_str("{\"path\":");
        json::write_str(&self.path, out);
        out.push_str(",\"kind\":");
        json::write_str(self.kind.as_str(), out);
        out.push_str(",\"message\":");
        json::write_str(&self.message, out);
        if let Some(v) = &self.value {
            out.push_str(",\"value\":");
            json::write(&Json::from_value(v), out);
        }
        out.push('}');
    }
}

impl<T: WriteJson> WriteJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }
}

/// Writes `value` as a plain JavaScript value (`JSON.parse` of its JSON text).
pub fn write_value<T: WriteJson + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    written(|text| value.write_json(text))
}

/// `JSON.parse` of what `write` writes.
pub fn written(write: impl FnOnce(&mut String)) -> Result<JsValue, JsError> {
    // Not a buffer kept across calls like the input's: measured, it did not pay.
    let mut text = String::with_capacity(1024);
    write(&mut text);
    parse(&text)
}

/// The `{ ok: true, value } | { ok: false, errors, truncated? }` of a
/// validation; `truncated: true` only when `options.maxErrors` cut the list;
/// no `value` unless `keep_value` (a verdict).
pub fn write_result<T: WriteJson>(
    result: &Result<T, Rejection>,
    keep_value: bool,
) -> Result<JsValue, JsError> {
    written(|text| write_result_text(result, keep_value, text))
}

/// Appends [`write_result`]'s JSON text to `text`.
pub fn write_result_text<T: WriteJson>(
    result: &Result<T, Rejection>,
    keep_value: bool,
    text: &mut String,
) {
    match result {
        Ok(value) => {
            text.push_str("{\"ok\":true");
            if keep_value {
                text.push_str(",\"value\":");
                value.write_json(text);
            }
        }
        Err(rejection) => {
            text.push_str("{\"ok\":false,\"errors\":");
            rejection.errors.write_json(text);
            if rejection.truncated {
                text.push_str(",\"truncated\":true");
            }
        }
    }
    text.push('}');
}

/// `JSON.parse(text)`.
pub fn parse(text: &str) -> Result<JsValue, JsError> {
    Ok(parse_json(text))
}

/// A JavaScript date argument: a `Date`, an ISO 8601 string or epoch milliseconds.
pub fn read_date(value: &JsValue) -> Option<Date> {
    if let Some(d) = value.dyn_ref::<js_sys::Date>() {
        Date::from_js_number(d.get_time())
    } else if let Some(s) = value.as_string() {
        Date::parse_iso(&s)
    } else {
        value.as_f64().and_then(Date::from_js_number)
    }
}

/// The caller's clock (`Date.now()`).
pub fn current_time() -> Result<Date, JsError> {
    Date::from_js_number(js_sys::Date::now())
        .ok_or_else(|| JsError::new("Date.now() is outside JavaScript's date range"))
}

/// A property of an options object; `undefined` when `options` is `undefined` or `null`.
pub fn option(options: &JsValue, name: &str) -> Result<JsValue, JsError> {
    option_at(options, &JsValue::from_str(name))
}

fn option_at(options: &JsValue, key: &JsValue) -> Result<JsValue, JsError> {
    if options.is_undefined() || options.is_null() {
        return Ok(JsValue::UNDEFINED);
    }
    if !options.is_object() {
        return Err(JsError::new("options must be an object"));
    }
    js_sys::Reflect::get(options, key).map_err(|e| JsError::new(&error_message(&e)))
}

/// `options.maxErrors`: a positive integer, or absent (every error).
pub fn max_errors_option(options: &JsValue) -> Result<Option<usize>, JsError> {
    match max_errors_of(options) {
        0.0 => Ok(None),
        n if n >= 1.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0 => Ok(Some(n as usize)),
        _ => Err(JsError::new("options.maxErrors must be a positive integer")),
    }
}

thread_local! {
    /// [`with_text`]'s buffer between calls.
    static INPUT: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
    /// The key `"now"`, made a JavaScript string once.
    static NOW_KEY: JsValue = JsValue::from_str("now");
    /// `boundary.js` has the module's memory.
    static MEMORY_GIVEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// `options.now` as a date, the caller's clock when absent.
pub fn now_option(options: &JsValue) -> Result<Date, JsError> {
    let invalid = || JsError::new("options.now must be a valid Date or an ISO 8601 date string");
    // A Date, a number, none, or the string of the last call.
    let millis = now_of(options);
    if !millis.is_nan() {
        return Date::from_js_number(millis).ok_or_else(invalid);
    }
    let now = NOW_KEY.with(|key| option_at(options, key))?;
    if now.is_undefined() {
        return current_time();
    }
    let date = read_date(&now).ok_or_else(invalid)?;
    if now.is_string() {
        remember_now(&now, date.millis() as f64);
    }
    Ok(date)
}

/// `compute()` for the JavaScript string `key`, or the value remembered for
/// the same string last time (strings compare by value under `Object.is`).
pub fn remember<T: Copy>(
    last: &'static std::thread::LocalKey<RefCell<Option<(JsValue, T)>>>,
    key: &JsValue,
    compute: impl FnOnce() -> Option<T>,
) -> Option<T> {
    last.with(|cell| {
        if let Some((k, v)) = &*cell.borrow() {
            if js_sys::Object::is(k, key) {
                return Some(*v);
            }
        }
        let v = compute()?;
        *cell.borrow_mut() = Some((key.clone(), v));
        Some(v)
    })
}

/// The message of a thrown JavaScript value.
fn error_message(e: &JsValue) -> String {
    match e.dyn_ref::<js_sys::Error>() {
        Some(err) => String::from(err.message()),
        None => e.as_string().unwrap_or_else(|| "unknown error".into()),
    }
}
