//! The walk: cast, set, default, validate and minimise one document.

use super::cast::{self, NotCastable};
use super::{DefaultValue, ErrorKind, FieldError, Kind, Rules, Schema};
use crate::json::{self, Json, Object};
use crate::{js, Date};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// Validates `input` against `schema` at time `now` (used by `Date.now` defaults).
///
/// Returns the normalised document (cast values, setters applied, defaults
/// filled, unknown keys dropped, empty objects removed) or every field error.
/// [`validate_json`] with conversions from and to `serde_json::Value`, for
/// callers that hold one.
pub fn validate(
    schema: &Schema,
    input: &Value,
    now: Date,
) -> Result<Map<String, Value>, Vec<FieldError>> {
    validate_json(schema, &Json::from_value(input), now).map(|doc| json::object_to_map(&doc))
}

/// [`validate`] on the engine's own tree: the output borrows the input's
/// strings wherever they come through unchanged.
pub fn validate_json<'a>(
    schema: &Schema,
    input: &Json<'a>,
    now: Date,
) -> Result<Object<'a>, Vec<FieldError>> {
    validate_json_with(schema, input, now, &Options::default()).map_err(|r| r.errors)
}

/// [`validate_json`] under [`Options`]: with `max_errors`, the walk stops
/// at the first error past the limit, so a hostile document costs at most
/// the work of that many errors (plus reading it), and
/// [`Rejection::truncated`] says the list is incomplete.
pub fn validate_json_with<'a>(
    schema: &Schema,
    input: &Json<'a>,
    now: Date,
    options: &Options,
) -> Result<Object<'a>, Rejection> {
    let Json::Object(input) = input else {
        let shown = input.to_value();
        return Err(Rejection {
            errors: vec![FieldError::new(
                "",
                super::ErrorKind::Cast,
                format!(
                    "Parameter \"obj\" to Document() must be an object, got \"{}\" (type {})",
                    js::inspect(&shown),
                    js::value_type(&shown)
                ),
                Some(shown),
            )],
            truncated: false,
        });
    };
    let mut walk = Walker {
        max_errors: options.max_errors.unwrap_or(usize::MAX),
        path: String::with_capacity(64),
        ..Walker::detached(now)
    };
    let out = walk.object(schema, Some(input));
    // The cross-field rules read the whole document: a truncated walk has none.
    if let (Some(check), false) = (schema.check, walk.truncated) {
        for mut e in check.run_on(&out) {
            if walk.errors.iter().any(|x| x.path == e.path) {
                continue;
            }
            let top = e.path.split('.').next().unwrap_or_default();
            if schema.field(top).is_some_and(|f| f.rules.secret) {
                e.value = None;
            }
            walk.push(e);
        }
    }
    if walk.errors.is_empty() {
        Ok(out)
    } else {
        Err(Rejection {
            errors: walk.errors,
            truncated: walk.truncated,
        })
    }
}

/// How a validation pass runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Stop after this many errors (`None`: report every error). A server
    /// facing the internet sets it: a 1 MiB body can hold over a million
    /// failing paths.
    pub max_errors: Option<usize>,
}

/// Why a document was refused: its errors, in document order.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    /// The failing paths found, at most [`Options::max_errors`] of them.
    pub errors: Vec<FieldError>,
    /// The walk stopped at the limit: more paths fail than `errors` lists.
    pub truncated: bool,
}

/// A path that does not name a declared field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{path}` is not a field of {schema}")]
pub struct PathError {
    /// The path asked for.
    pub path: String,
    /// The schema it was looked up in.
    pub schema: &'static str,
}

/// The errors of one path alone: `value` is placed at `path` in `context` (or
/// in an empty document) and the document is validated; errors on other paths
/// are left out. The same rules and messages as [`validate`].
pub fn validate_path(
    schema: &'static Schema,
    path: &str,
    value: &Value,
    context: Option<&Value>,
    now: Date,
) -> Result<Vec<FieldError>, PathError> {
    let unknown = || PathError {
        path: path.to_string(),
        schema: schema.name,
    };
    resolve(schema, path).ok_or_else(unknown)?;
    // The context on the engine's own tree (its strings borrowed), the value set in it.
    let mut doc = match context.map(Json::from_value) {
        Some(Json::Object(pairs)) => Json::Object(pairs),
        _ => Json::Object(Vec::new()),
    };
    let segments: Vec<&str> = path.split('.').collect();
    set_path(&mut doc, &segments, Json::from_value(value));
    let prefix = [path, "."].concat();
    // Only the errors matter: the normalised document is not converted back.
    Ok(match validate_json(schema, &doc, now) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .into_iter()
            .filter(|e| e.path == path || e.path.starts_with(&prefix))
            .collect(),
    })
}

/// Finds the kind a dotted path (with array indices) names.
fn resolve<'s>(schema: &'s Schema, path: &str) -> Option<&'s Kind> {
    let mut segments = path.split('.');
    let mut kind = schema.child(segments.next()?)?.0;
    for seg in segments {
        kind = match kind {
            Kind::Object(s) => s.child(seg)?.0,
            Kind::Array(inner) if seg.parse::<usize>().is_ok() => inner,
            Kind::Map(inner) => inner,
            Kind::Mixed => return Some(kind),
            _ => return None,
        };
    }
    Some(kind)
}

/// Sets `value` at `path` (dotted, with array indices), creating objects and
/// arrays on the way; an index above 10,000 sets nothing.
fn set_path<'a>(doc: &mut Json<'a>, path: &[&str], value: Json<'a>) {
    let Some((seg, rest)) = path.split_first() else {
        *doc = value;
        return;
    };
    let fresh = || match rest.first().map(|s| s.parse::<usize>()) {
        Some(Ok(_)) => Json::Array(Vec::new()),
        _ => Json::Object(Vec::new()),
    };
    let slot = match doc {
        Json::Array(items) => {
            let Some(idx) = seg.parse::<usize>().ok().filter(|i| *i <= 10_000) else {
                return;
            };
            while items.len() <= idx {
                items.push(Json::Object(Vec::new()));
            }
            &mut items[idx]
        }
        Json::Object(pairs) => {
            let at = match pairs.iter().position(|(k, _)| k == seg) {
                Some(at) => at,
                None => {
                    pairs.push((Cow::Owned((*seg).to_string()), Json::Null));
                    pairs.len() - 1
                }
            };
            &mut pairs[at].1
        }
        _ => return,
    };
    if !rest.is_empty() && !slot.is_object() && !slot.is_array() {
        *slot = fresh();
    }
    set_path(slot, rest, value);
}

pub(super) struct Walker {
    /// The clock of `Date.now` defaults.
    now: Date,
    pub(super) errors: Vec<FieldError>,
    /// The full dotted path of the value being walked.
    path: String,
    /// Where the path relative to the innermost (sub)document starts: Mongoose
    /// words messages with that relative path (`Path `size` is required.`).
    rel_start: usize,
    /// Nesting depth of plain nested objects inside the current (sub)document.
    pub(super) depth: usize,
    /// Defaults apply (not below a nested object that was ignored).
    defaults: bool,
    /// Errors kept at most; past it the walk winds down.
    max_errors: usize,
    /// An error was dropped at the limit.
    truncated: bool,
    /// Inside a `secret` field: errors carry no value and their messages do
    /// not show the input (a password sent as an array must not come back
    /// inside a CastError).
    secret: bool,
    /// Only cast errors are recorded (the subdocuments Mongoose built before
    /// a bad element of their array: their validators never run). Deciding
    /// this when an error is found, not by removing errors afterwards, keeps
    /// the error limit exact: what a limited walk reports is the start of
    /// what an unlimited one does.
    cast_only: bool,
}

impl Walker {
    /// A walker at the top of a document, with no error limit and no path
    /// yet: the transcoder's (`transcode.rs`) for single values, whose
    /// errors only say that the value fails; [`validate_json_with`] sets its
    /// limit and room for the path.
    pub(super) fn detached(now: Date) -> Self {
        Walker {
            now,
            errors: Vec::new(),
            max_errors: usize::MAX,
            truncated: false,
            path: String::new(),
            rel_start: 0,
            depth: 0,
            defaults: true,
            secret: false,
            cast_only: false,
        }
    }

    /// Runs `f` with `name` appended to the current path.
    fn at<T>(&mut self, name: &str, f: impl FnOnce(&mut Self) -> T) -> T {
        let len = self.path.len();
        if !self.path.is_empty() {
            self.path.push('.');
        }
        self.path.push_str(name);
        let out = f(self);
        self.path.truncate(len);
        out
    }

    /// The current path as Mongoose's messages name it.
    fn rel(&self) -> &str {
        self.path.get(self.rel_start..).unwrap_or(&self.path)
    }

    /// Keeps `e` unless the limit is reached, which ends the walk.
    fn push(&mut self, e: FieldError) {
        if self.cast_only && e.kind != ErrorKind::Cast {
            return;
        }
        if self.errors.len() < self.max_errors {
            self.errors.push(e);
        } else {
            self.truncated = true;
        }
    }

    /// The limit was passed: the walk returns without looking further.
    fn stopped(&self) -> bool {
        self.truncated
    }

    fn fail(&mut self, kind: ErrorKind, message: String, value: Option<Value>) {
        let (message, value) = if self.secret {
            (redacted_message(kind, self.rel()), None)
        } else {
            (message, value)
        };
        let e = FieldError::new(&self.path, kind, message, value);
        self.push(e);
    }

    /// A CastError at the current path; `at` is the path its message names.
    fn fail_cast(
        &mut self,
        type_name: &str,
        shown: Value,
        shown_type: &str,
        at: &str,
        because: Option<&str>,
    ) {
        if self.secret {
            let msg = format!("Cast to {type_name} failed at path \"{at}\"");
            let e = FieldError::new(&self.path, ErrorKind::Cast, msg, None);
            return self.push(e);
        }
        let msg = cast_message(type_name, &shown, shown_type, at, because);
        let e = FieldError::new(&self.path, ErrorKind::Cast, msg, Some(shown));
        self.push(e);
    }

    fn required(&mut self) {
        let msg = format!("Path `{}` is required.", self.rel());
        self.fail(ErrorKind::Required, msg, None);
    }

    /// A CastError: `Cast to {type} failed for value ... at path "..."[ because of "..."]`.
    fn cast_error(&mut self, type_name: &str, shown: &Json<'_>, because: Option<&str>) {
        let shown = shown.to_value();
        let at = self.rel().to_string();
        self.fail_cast(
            type_name,
            shown.clone(),
            js::value_type(&shown),
            &at,
            because,
        );
    }

    /// A document, nested object or subdocument: declared fields only.
    fn object<'a>(&mut self, schema: &Schema, input: Option<&Object<'a>>) -> Object<'a> {
        let expanded = input.map(|m| expand_dotted_keys(schema, m, self.depth == 0));
        let mut input = Lookup {
            pairs: expanded.as_deref().map_or(&[], Vec::as_slice),
            next: 0,
        };
        let mut out = Vec::with_capacity(schema.fields.len() + 2);
        if schema.has_id {
            if let Some(v) = input.get("_id") {
                if let Some(id) = self.at("_id", |w| {
                    w.scalar(&Kind::ObjectId, &Rules::default(), Some(v))
                }) {
                    out.push((Cow::Borrowed("_id"), id));
                }
            }
        }
        for field in schema.fields {
            if self.stopped() {
                return out;
            }
            let v = input.get(field.name);
            let outer = (self.secret, self.defaults);
            self.secret |= field.rules.secret;
            let value = self.at(field.name, |w| w.value(&field.kind, &field.rules, v));
            (self.secret, self.defaults) = outer;
            if let Some(value) = value {
                out.push((Cow::Borrowed(field.name), value));
            }
        }
        if schema.version_key {
            if let Some(v) = input.get("__v") {
                if let Some(value) = self.at("__v", |w| {
                    w.scalar(&Kind::Number, &Rules::default(), Some(v))
                }) {
                    out.push((Cow::Borrowed("__v"), value));
                }
            }
        }
        out
    }

    /// One path: `None` when it ends up absent from the document.
    pub(super) fn value<'a>(
        &mut self,
        kind: &Kind,
        rules: &Rules,
        v: Option<&Json<'a>>,
    ) -> Option<Json<'a>> {
        let defaulted;
        let v = match (v, rules.default) {
            (None, Some(d)) if self.defaults => {
                defaulted = self.default_value(d);
                Some(&defaulted)
            }
            (v, _) => v,
        };
        match kind {
            Kind::Object(schema) => self.nested(schema, v),
            Kind::Array(inner) => self.array(inner, v),
            Kind::Map(inner) => self.map(inner, v),
            _ => self.scalar(kind, rules, v),
        }
    }

    fn default_value(&self, d: DefaultValue) -> Json<'static> {
        match d {
            DefaultValue::Bool(b) => Json::Bool(b),
            DefaultValue::Number(n) => Json::Number(n),
            DefaultValue::Str(s) => Json::String(Cow::Borrowed(s)),
            DefaultValue::Now => Json::Date(self.now),
        }
    }

    /// A nested object. Directly in a (sub)document, a value that is not an
    /// object is ignored (`null` stays `null`), and so are the defaults
    /// below it. Deeper, as Mongoose sets a nested path: an array counts as
    /// an empty object, `null`, `false`, `0` and `""` are kept as given
    /// unless a default below makes the path an object, and any other value
    /// is a `Cast to Object` error. The children's `required` rules run
    /// whatever the value.
    fn nested<'a>(&mut self, schema: &Schema, v: Option<&Json<'a>>) -> Option<Json<'a>> {
        self.depth += 1;
        let out = match v {
            None => minimized(self.object(schema, None)),
            Some(Json::Object(m)) => minimized(self.object(schema, Some(m))),
            Some(other) if self.depth == 1 => {
                let saved = std::mem::replace(&mut self.defaults, false);
                self.object(schema, None);
                self.defaults = saved;
                other.is_null().then_some(Json::Null)
            }
            Some(Json::Array(_)) => minimized(self.object(schema, None)),
            Some(other) if !js::truthy(other) => {
                minimized(self.object(schema, None)).or_else(|| Some(other.clone()))
            }
            Some(other) => {
                self.cast_error("Object", other, None);
                self.object(schema, None);
                None
            }
        };
        self.depth -= 1;
        out
    }

    fn array<'a>(&mut self, inner: &Kind, v: Option<&Json<'a>>) -> Option<Json<'a>> {
        let wrapped;
        let items: &[Json<'a>] = match v {
            None if self.defaults => return Some(Json::Array(Vec::new())),
            None => return None,
            Some(Json::Null) => return Some(Json::Null),
            Some(Json::Array(items)) => items,
            Some(other) => {
                wrapped = [other.clone()];
                &wrapped
            }
        };
        match inner {
            Kind::Object(schema) => self.document_array(schema, items),
            _ => self.primitive_array(inner, items),
        }
    }

    /// An array of subdocuments. Objects (and arrays, which are objects to
    /// Mongoose: empty subdocuments) become subdocuments and `null` stays;
    /// any other value fails the array, `""`, `0` and `false` included
    /// (COMPATIBILITY.md, `document-array-elements`).
    fn document_array<'a>(&mut self, schema: &Schema, items: &[Json<'a>]) -> Option<Json<'a>> {
        if let Some(bad) = items
            .iter()
            .position(|x| !x.is_object() && !x.is_array() && !x.is_null())
        {
            // Mongoose has built the subdocuments before the bad element by
            // then: their cast errors stay, their validators never run.
            let outer = std::mem::replace(&mut self.cast_only, true);
            self.subdocuments(schema, &items[..bad]);
            self.cast_only = outer;
            self.cast_error("embedded", &items[bad], Some("ObjectParameterError"));
            return None;
        }
        Some(Json::Array(self.subdocuments(schema, items)))
    }

    /// The elements of a document array, walked.
    fn subdocuments<'a>(&mut self, schema: &Schema, items: &[Json<'a>]) -> Vec<Json<'a>> {
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            if self.stopped() {
                break;
            }
            let empty = Vec::new();
            let m = match item {
                Json::Object(m) => m,
                Json::Array(_) => &empty,
                _ => {
                    out.push(Json::Null);
                    continue;
                }
            };
            let doc = self.at(&i.to_string(), |w| {
                let saved = (w.rel_start, w.depth, w.defaults);
                w.rel_start = w.path.len() + 1;
                w.depth = 0;
                w.defaults = true;
                let doc = w.object(schema, Some(m));
                (w.rel_start, w.depth, w.defaults) = saved;
                doc
            });
            out.push(Json::Object(doc));
        }
        out
    }

    /// An array of primitives: the first element that fails to cast fails the array.
    fn primitive_array<'a>(&mut self, inner: &Kind, items: &[Json<'a>]) -> Option<Json<'a>> {
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            if item.is_null() {
                out.push(Json::Null);
                continue;
            }
            match cast::scalar(inner, item) {
                Ok(x) => out.push(x),
                Err(NotCastable) => {
                    self.at(&i.to_string(), |w| {
                        // Mongoose shows `util.inspect` of the array as it
                        // stands, the elements before this one cast, and calls
                        // that text a string; the error's value is the element.
                        // (Cast dates and ObjectIds would be shown as strings
                        // here: no array of them is declared.)
                        let type_name = format!("[{}]", inner.cast_name());
                        let at = w.rel().to_string();
                        if w.secret {
                            return w.fail_cast(&type_name, Value::Null, "", &at, None);
                        }
                        let now: Vec<Value> =
                            out.iter().chain(&items[i..]).map(Json::to_value).collect();
                        // The array is a Proxy, and Node's inspect (showProxy
                        // off) takes a Proxy whose first element is `null` for
                        // a revoked one.
                        let text = if now.first().is_some_and(Value::is_null) {
                            "<Revoked Proxy>".to_string()
                        } else {
                            js::inspect(&Value::Array(now))
                        };
                        let shown = Value::String(text);
                        let msg =
                            cast_message(&type_name, &shown, "string", &at, Some("CastError"));
                        let e =
                            FieldError::new(&w.path, ErrorKind::Cast, msg, Some(item.to_value()));
                        w.push(e);
                    });
                    return None;
                }
            }
        }
        Some(Json::Array(out))
    }

    /// `{ type: Map, of: ... }`, built as `new Map(value)`: from an object's
    /// entries, or from an array of `[key, value]` entries (`""` and `[]`
    /// are empty). Keys are strings that do not start with `$`, hold no `.`
    /// and are not `__proto__`, `constructor` or `prototype`; values are cast
    /// one by one, a later entry replacing an earlier one of the same key.
    fn map<'a>(&mut self, inner: &Kind, v: Option<&Json<'a>>) -> Option<Json<'a>> {
        let v = match v {
            None => return None,
            Some(Json::Null) => return Some(Json::Null),
            Some(v) => v,
        };
        let entries = match map_entries(v) {
            Ok(entries) => entries,
            Err(reason) => {
                self.cast_error("Map", v, reason);
                return None;
            }
        };
        let mut out: Vec<(Cow<'a, str>, Json<'a>)> = Vec::with_capacity(entries.len());
        let mut failed = false;
        for (key, item) in entries {
            if self.stopped() {
                break;
            }
            // An entry without a value is `undefined`, which the driver
            // stores as null.
            let cast = match item {
                None | Some(Json::Null) => Ok(Json::Null),
                Some(item) => cast::scalar(inner, item),
            };
            match cast {
                Ok(x) => match out.iter_mut().find(|(k, _)| *k == key) {
                    Some(slot) => slot.1 = x,
                    None => out.push((key, x)),
                },
                Err(NotCastable) => {
                    failed = true;
                    let item = item.unwrap_or(&Json::Null);
                    let at = format!("{}.$*", self.rel());
                    self.at(&key, |w| {
                        // The message names the map's `$*` path, the error the
                        // key's; Mongoose keeps the first failure of a key.
                        if w.errors.iter().any(|e| e.path == w.path) {
                            return;
                        }
                        let shown = cast::failed_value(inner, item);
                        let reason = cast_reason(inner, shown);
                        let shown = shown.to_value();
                        let shown_type = js::value_type(&shown);
                        w.fail_cast(&inner.cast_name(), shown, shown_type, &at, reason);
                    });
                }
            }
        }
        (!failed).then_some(Json::Object(out))
    }

    pub(super) fn scalar<'a>(
        &mut self,
        kind: &Kind,
        rules: &Rules,
        v: Option<&Json<'a>>,
    ) -> Option<Json<'a>> {
        let Some(v) = v else {
            if rules.required {
                self.required();
            }
            return None;
        };
        if matches!(kind, Kind::Mixed) {
            if rules.required && v.is_null() {
                self.required();
            }
            if nested_deeper_than(v, MAX_NESTING) {
                let msg = format!(
                    "Path `{}` is nested deeper than {MAX_NESTING} levels, which MongoDB cannot store.",
                    self.rel()
                );
                self.fail(ErrorKind::Cast, msg, None);
                return None;
            }
            return match v {
                Json::Object(m) => minimized(minimize(m.clone())),
                other => Some(other.clone()),
            };
        }
        let mut value = if v.is_null() {
            Json::Null
        } else {
            match cast::scalar(kind, v) {
                Ok(c) => c,
                Err(NotCastable) => {
                    let shown = cast::failed_value(kind, v);
                    self.cast_error(&kind.cast_name(), shown, cast_reason(kind, shown));
                    return None;
                }
            }
        };
        if let Json::String(s) = &mut value {
            // Plain ASCII without capitals is already lowercase: no new string.
            if rules.lowercase && (!s.is_ascii() || s.bytes().any(|b| b.is_ascii_uppercase())) {
                *s = Cow::Owned(s.to_lowercase());
            }
            if rules.trim {
                *s = match std::mem::take(s) {
                    Cow::Borrowed(b) => Cow::Borrowed(js::trim(b)),
                    Cow::Owned(o) if js::trim(&o).len() == o.len() => Cow::Owned(o),
                    Cow::Owned(o) => Cow::Owned(js::trim(&o).to_string()),
                };
            }
        }
        self.check_rules(kind, rules, &value);
        Some(value)
    }

    /// The validators of one cast value; Mongoose reports the first that fails.
    fn check_rules(&mut self, kind: &Kind, rules: &Rules, value: &Json<'_>) {
        let failed = match value {
            Json::Null if rules.required => Some(ErrorKind::Required),
            Json::String(s) if rules.required && s.is_empty() => Some(ErrorKind::Required),
            Json::String(s) => match kind {
                Kind::Enum(values) if !values.contains(&s.as_ref()) => Some(ErrorKind::Enum),
                _ => rules
                    .maxlength
                    .filter(|max| s.len() > *max && js::utf16_len(s) > *max)
                    .map(|_| ErrorKind::MaxLength),
            },
            Json::Number(x) => {
                if rules.min.is_some_and(|min| *x < min) {
                    Some(ErrorKind::Min)
                } else if rules.max.is_some_and(|max| *x > max) {
                    Some(ErrorKind::Max)
                } else {
                    None
                }
            }
            _ => None,
        };
        let Some(failed) = failed else { return };
        if failed == ErrorKind::Required {
            return self.required();
        }
        let msg = validator_message(failed, self.rel(), rules, value);
        self.fail(failed, msg, Some(value.to_value()));
    }
}

/// The message of an error on a `secret` path: the path and the rule, never the value.
fn redacted_message(kind: ErrorKind, path: &str) -> String {
    match kind {
        ErrorKind::Required => format!("Path `{path}` is required."),
        kind => format!("Path `{path}` is invalid ({}).", kind.as_str()),
    }
}

/// Mongoose's default message of a failed validator (`lib/error/messages.js`).
fn validator_message(kind: ErrorKind, path: &str, rules: &Rules, value: &Json<'_>) -> String {
    let show = js::number_to_string;
    let number = match value {
        Json::Number(n) => *n,
        _ => f64::NAN,
    };
    let text = value.as_str().unwrap_or_default();
    match kind {
        ErrorKind::Enum => format!("`{text}` is not a valid enum value for path `{path}`."),
        ErrorKind::MaxLength => format!(
            "Path `{path}` (`{}`, length {}) is longer than the maximum allowed length ({}).",
            js::truncate_utf16(text, 30),
            js::utf16_len(text),
            rules.maxlength.unwrap_or_default()
        ),
        ErrorKind::Min => format!(
            "Path `{path}` ({}) is less than minimum allowed value ({}).",
            show(number),
            show(rules.min.unwrap_or_default())
        ),
        ErrorKind::Max => format!(
            "Path `{path}` ({}) is more than maximum allowed value ({}).",
            show(number),
            show(rules.max.unwrap_or_default())
        ),
        _ => format!("Path `{path}` is invalid ({}).", kind.as_str()),
    }
}

/// Finds the fields of an input object in schema order. Objects usually
/// come in that order (a form's fields, a document written by this engine),
/// so the pair after the last one found is tried first; otherwise the pairs
/// are scanned. Keys are assumed unique: `json::parse` and `Json::from_value`
/// make them so, and `json::parse_stringified` trusts its text to.
struct Lookup<'p, 'a> {
    pairs: &'p [(Cow<'a, str>, Json<'a>)],
    next: usize,
}

impl<'p, 'a> Lookup<'p, 'a> {
    fn get(&mut self, key: &str) -> Option<&'p Json<'a>> {
        if let Some((k, v)) = self.pairs.get(self.next) {
            if k == key {
                self.next += 1;
                return Some(v);
            }
        }
        let at = self.pairs.iter().position(|(k, _)| k == key)?;
        self.next = at + 1;
        Some(&self.pairs[at].1)
    }
}

/// MongoDB refuses documents nested deeper than 100 levels; Mixed values are
/// checked against it before any recursive work (see COMPATIBILITY.md).
pub const MAX_NESTING: usize = 100;

/// Whether a value nests deeper than `limit` levels. Recursive, but never
/// more than `limit + 1` calls deep, whatever the value's depth.
fn nested_deeper_than(v: &Json<'_>, limit: usize) -> bool {
    let children: &mut dyn Iterator<Item = &Json<'_>> = match v {
        Json::Array(items) => &mut items.iter(),
        Json::Object(pairs) => &mut pairs.iter().map(|(_, x)| x),
        _ => return false,
    };
    let mut children = children.peekable();
    if children.peek().is_none() {
        return false;
    }
    limit == 0 || children.any(|x| nested_deeper_than(x, limit - 1))
}

/// Mongoose's CastError message:
/// `Cast to {type} failed for value {shown} (type {shown_type}) at path "{at}"[ because of "{because}"]`.
fn cast_message(
    type_name: &str,
    shown: &Value,
    shown_type: &str,
    at: &str,
    because: Option<&str>,
) -> String {
    let mut msg = format!(
        "Cast to {type_name} failed for value {} (type {shown_type}) at path \"{at}\"",
        js::cast_string_value(shown)
    );
    if let Some(reason) = because {
        msg.push_str(&format!(" because of \"{reason}\""));
    }
    msg
}

/// The `because of "..."` Mongoose appends for some types' cast errors:
/// the class of the error the cast threw.
fn cast_reason(kind: &Kind, v: &Json<'_>) -> Option<&'static str> {
    match kind {
        Kind::Boolean => Some("CastError"),
        Kind::ObjectId => Some("BSONError"),
        // `Number(value)` and `new Date(value)` throw for an object whose
        // own `toString` is not a function (or an array holding one).
        Kind::Number | Kind::Date if js::to_string(v).is_none() => Some("TypeError"),
        _ => None,
    }
}

/// Mongoose sets `{"a.b": 1}` as the path `a.b`, after the plain keys
/// and in the input's order. A dotted key that names no declared path
/// is ignored, and so is one that names a nested object with a value
/// other than an object directly in a (sub)document. Parents that are
/// not objects give way to one; a later key replaces what an earlier
/// one set (COMPATIBILITY.md, `dotted-key-overlap`).
fn expand_dotted_keys<'p, 'a>(
    schema: &Schema,
    m: &'p Object<'a>,
    top: bool,
) -> Cow<'p, Object<'a>> {
    if !m.iter().any(|(k, _)| k.contains('.')) {
        return Cow::Borrowed(m);
    }
    let (plain, dotted): (Vec<_>, Vec<_>) = m.iter().partition(|(k, _)| !k.contains('.'));
    let mut pairs: Object<'a> = plain.into_iter().cloned().collect();
    for (k, v) in dotted {
        let segments: Vec<Cow<'a, str>> = match k {
            Cow::Borrowed(b) => b.split('.').map(Cow::Borrowed).collect(),
            Cow::Owned(o) => o.split('.').map(|s| Cow::Owned(s.to_string())).collect(),
        };
        let last = segments.len() - 1;
        // A declared path: each segment but the last names a nested
        // object, or the path goes on inside a Map, Mixed or array value.
        let mut at = Some(schema);
        let mut names_object = false;
        for (i, seg) in segments.iter().enumerate() {
            let kind = at.and_then(|s| s.field(seg)).map(|f| &f.kind);
            at = None;
            match kind {
                Some(Kind::Object(inner)) => {
                    at = Some(inner);
                    names_object = i == last;
                }
                Some(Kind::Map(_) | Kind::Mixed | Kind::Array(_)) => break,
                Some(_) if i == last => {}
                _ => {
                    names_object = true;
                    at = None;
                    break;
                }
            }
        }
        // `names_object` without `at`: no declared path (ignored).
        if names_object && at.is_none() || top && names_object && !v.is_object() && !v.is_null() {
            continue;
        }
        let mut cur = &mut pairs;
        let mut sch = Some(schema);
        for (i, seg) in segments.iter().enumerate() {
            let found = cur.iter().position(|(k, _)| k == seg);
            if i == last {
                insert(cur, seg.clone(), v.clone());
                break;
            }
            let at = match found {
                Some(at) => at,
                None => {
                    cur.push((seg.clone(), Json::Object(Vec::new())));
                    cur.len() - 1
                }
            };
            sch = match sch.and_then(|s| s.field(seg)).map(|f| &f.kind) {
                Some(Kind::Object(inner)) => Some(inner),
                _ => None,
            };
            let slot = &mut cur[at].1;
            match slot {
                // Mongoose set that nested object's own dotted keys
                // with it, before this key.
                Json::Object(next) => {
                    if let Some(inner) = sch {
                        if let Cow::Owned(o) = expand_dotted_keys(inner, next, false) {
                            *next = o;
                        }
                    }
                }
                _ => *slot = Json::Object(Vec::new()),
            }
            let Json::Object(next) = slot else { break };
            cur = next;
        }
    }
    Cow::Owned(pairs)
}

/// A map value is `[key, value]` entries: `new Map(value)`. `Err` holds the
/// `because of` of the failure: a `TypeError` where the value is not
/// iterable (a non-empty string, a number), an entry is not an object or a
/// key not a string, nothing for a key Mongoose refuses.
type Entries<'p, 'a> = Vec<(Cow<'a, str>, Option<&'p Json<'a>>)>;

fn map_entries<'p, 'a>(v: &'p Json<'a>) -> Result<Entries<'p, 'a>, Option<&'static str>> {
    const TYPE_ERROR: Option<&str> = Some("TypeError");
    let refused = |k: &str| {
        k.starts_with('$')
            || k.contains('.')
            || matches!(k, "__proto__" | "constructor" | "prototype")
    };
    let mut entries = Vec::new();
    match v {
        // An own `constructor` key hides the object's class: not an `Object`
        // to Mongoose, and no iterable to `Map`.
        Json::Object(m) if json::get(m, "constructor").is_some() => return Err(TYPE_ERROR),
        Json::Object(m) if m.iter().any(|(k, _)| refused(k)) => return Err(None),
        Json::Object(m) => entries.extend(m.iter().map(|(k, x)| (k.clone(), Some(x)))),
        Json::String(s) if s.is_empty() => {}
        // Entry by entry, as `Map` reads them: the first bad one decides.
        Json::Array(items) => {
            for item in items {
                let (key, value) = match item {
                    Json::Array(pair) => (pair.first(), pair.get(1)),
                    Json::Object(pair) => (json::get(pair, "0"), json::get(pair, "1")),
                    _ => return Err(TYPE_ERROR),
                };
                match key {
                    Some(Json::String(k)) if refused(k) => return Err(None),
                    Some(Json::String(k)) => entries.push((k.clone(), value)),
                    _ => return Err(TYPE_ERROR),
                }
            }
        }
        _ => return Err(TYPE_ERROR),
    }
    Ok(entries)
}

/// Sets `key` in an object: in place when it is there, else at the end.
fn insert<'a>(m: &mut Object<'a>, key: Cow<'a, str>, v: Json<'a>) {
    match m.iter_mut().find(|(k, _)| *k == key) {
        Some(slot) => slot.1 = v,
        None => m.push((key, v)),
    }
}

/// Mongoose's `minimize`: empty objects are removed, recursively, from plain objects.
fn minimize(m: Object<'_>) -> Object<'_> {
    if !m.iter().any(|(_, v)| matches!(v, Json::Object(_))) {
        return m;
    }
    m.into_iter()
        .filter_map(|(k, v)| match v {
            Json::Object(inner) => minimized(minimize(inner)).map(|v| (k, v)),
            other => Some((k, other)),
        })
        .collect()
}

fn minimized(m: Object<'_>) -> Option<Json<'_>> {
    (!m.is_empty()).then_some(Json::Object(m))
}
