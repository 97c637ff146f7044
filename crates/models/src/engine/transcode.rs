//! One pass from the text `JSON.stringify` wrote to the normalised
//! document's JSON text, without building either tree: the WebAssembly
//! package's `validate` path for the documents that pass.
//!
//! [`transcode`] reads an object once when its keys come in the schema's
//! order (forms and documents this engine wrote), else twice: first to find
//! where each declared field's value starts, then in the schema's order. It
//! casts, sets, defaults and checks each value and writes it; what comes
//! through unchanged (most strings, dates in `toISOString()`'s form,
//! booleans, numbers, plain Mixed values) is copied as it came. Only what
//! passes is written: the first value that would be an error, and every
//! case Mongoose decides by looking around (a dotted key, a repeated key),
//! make it give up, and the caller walks the tree
//! ([`super::validate_json_with`]), which finds every error and words it.
//! What it does not copy, scalars go through the tree walk's own
//! [`Walker::scalar`], and every value it does not read itself (Map
//! values, nested objects given as something else, arrays holding what
//! their type does not) is read as a tree and handed to [`Walker::value`]:
//! there is one copy of Mongoose's rules, and this module decides the order
//! and what may be copied. `tests/transcode.rs` and the differential
//! fuzzer compare it with the walk.
//!
//! Measured (`cargo bench -p onelastai-models --bench validate`, native,
//! the spec examples, `text_to_text` against `text_to_text_tree`, fastest
//! run on 2026-11-30): users 2.5 against 5.3 µs, tools 2.8 against 8.0 µs,
//! appconfigs 0.46 against 1.96 µs.

use super::walk::Walker;
use super::{Kind, Rules, Schema};
use crate::json::{self, Json, Object, Parser, MAX_DEPTH};
use crate::{js, Date};
use std::ops::Range;

/// A field with no value in the input.
const ABSENT: usize = usize::MAX;

/// Appends the normalised document of `text` under `schema` to `out` and
/// returns `true`, or leaves `out` as it was and returns `false` when the
/// document fails (or may fail) a rule: the caller then validates the tree
/// of `text`, which gives the same document when this one passes.
///
/// `text` must be what `JSON.stringify` writes (see
/// [`json::parse_stringified`]): its objects never repeat a key.
pub fn transcode(schema: &Schema, text: &str, now: Date, out: &mut String) -> bool {
    let start = out.len();
    // The output is about the input's size: grown once (if the caller has
    // not made the room already), not as it is written.
    out.reserve(text.len() + 512);
    let mut t = Transcoder {
        p: Parser::new(text, true),
        walker: Walker::detached(now),
        slots: Vec::with_capacity(64),
    };
    let done = t.document(schema, text.len(), out).is_some();
    if !done {
        out.truncate(start);
    }
    done
}

struct Transcoder<'t> {
    p: Parser<'t>,
    /// Casts scalars and walks the values read as trees; any error it
    /// records ends the transcoding.
    walker: Walker,
    /// For each field of the objects being read, innermost last: where its
    /// value starts ([`ABSENT`]) and where it ends when it is a string
    /// without escapes (else 0). A stack, not an array per object: zeroing
    /// a fixed array per subdocument showed in the profile.
    slots: Vec<(usize, usize)>,
}

/// `None`: give up, the tree walk decides. `Some(false)`: the path ends up
/// absent from the document (nothing written).
type Written = Option<bool>;

impl<'t> Transcoder<'t> {
    fn document(&mut self, schema: &Schema, len: usize, out: &mut String) -> Option<()> {
        self.p.whitespace();
        if self.p.peek() != Some(b'{') {
            return None;
        }
        let mut spans = schema.check.map(|check| Spans {
            reads: check.reads,
            found: Vec::with_capacity(check.reads.len()),
        });
        self.object(schema, 0, out, spans.as_mut())?;
        self.p.whitespace();
        if self.p.i != len {
            return None;
        }
        // The cross-field rules read the top-level values they name, read
        // back from what was written.
        if let (Some(check), Some(spans)) = (schema.check, spans) {
            let mut doc: Object<'_> = Vec::with_capacity(spans.found.len());
            for (name, span) in spans.found {
                let value = json::parse_stringified(out.get(span)?).ok()?;
                doc.push((name.into(), value));
            }
            if !(check.run)(&doc).is_empty() {
                return None;
            }
        }
        Some(())
    }

    /// An object of `schema`, the cursor on its `{`: its fields in the
    /// schema's order (`_id` first and `__v` last, as the walk writes them).
    /// `depth` is the walk's: nested objects inside the current
    /// (sub)document. `Some(false)` when it has no field, which
    /// `minimize` removes from a nested object. With `spans`, where the
    /// fields a cross-field rule reads were written.
    ///
    /// Read once when its keys come in the schema's order (forms and
    /// documents this engine wrote do), else twice: first to find where each
    /// value starts, then in order. Reading twice at every level re-read a
    /// nested value once per level above it: a third of `tools`' time.
    fn object(
        &mut self,
        schema: &Schema,
        depth: usize,
        out: &mut String,
        mut spans: Option<&mut Spans>,
    ) -> Written {
        if self.p.depth == MAX_DEPTH {
            return None;
        }
        let (at, mark, outer) = (self.p.i, out.len(), self.p.depth);
        let found = spans.as_ref().map_or(0, |s| s.found.len());
        if let Some(written) = self.in_order(schema, depth, out, spans.as_deref_mut())? {
            return Some(written);
        }
        // A key out of order: again from the start, reading twice.
        self.walker.errors.clear();
        out.truncate(mark);
        (self.p.i, self.p.depth) = (at, outer);
        if let Some(spans) = spans.as_deref_mut() {
            spans.found.truncate(found);
        }
        self.in_two_passes(schema, depth, out, spans)
    }

    /// [`Transcoder::object`] in one pass: `Some(None)` at the first key
    /// out of the schema's order (or an `_id` after a field), and where a
    /// field skipped over fails, which its key later in the object may undo.
    fn in_order(
        &mut self,
        schema: &Schema,
        depth: usize,
        out: &mut String,
        spans: Option<&mut Spans>,
    ) -> Option<Written> {
        let outer = self.p.depth;
        self.p.depth += 1;
        self.p.i += 1;
        let mut fields = Fields::open(out, spans);
        let plain = Rules::default();
        // The next field to write; where `__v` is, written last.
        let (mut next, mut hint, mut version) = (0, 0, ABSENT);
        let mut more = self.p.first_pair()?;
        while more {
            // The key the schema expects next, recognised without reading it.
            let expected = schema
                .fields
                .get(next)
                .is_some_and(|f| self.p.at_key(f.name));
            let j = if expected {
                Some(next)
            } else {
                let key = self.key()?;
                let at = self.p.i;
                match &*key {
                    "_id" if schema.has_id => {
                        if next > 0 || !fields.first {
                            return Some(None);
                        }
                        let value = (at, self.p.plain_string());
                        self.field(&mut fields, "_id", &Kind::ObjectId, &plain, value, depth)?;
                        None
                    }
                    "__v" if schema.version_key => {
                        if version != ABSENT {
                            return None;
                        }
                        version = at;
                        self.p.skip().ok()?;
                        None
                    }
                    key => match field_index(schema, key, &mut hint) {
                        Some(j) if j >= next => Some(j),
                        Some(_) => return Some(None),
                        None => {
                            self.p.skip().ok()?;
                            None
                        }
                    },
                }
            };
            if let Some(j) = j {
                // Absent unless their keys come later, out of order: what
                // fails among them is decided in two passes.
                for f in &schema.fields[next..j] {
                    let gap = (ABSENT, 0);
                    if self
                        .field(&mut fields, f.name, &f.kind, &f.rules, gap, depth)
                        .is_none()
                    {
                        return Some(None);
                    }
                }
                let f = &schema.fields[j];
                let value = (self.p.i, self.p.plain_string());
                self.field(&mut fields, f.name, &f.kind, &f.rules, value, depth)?;
                next = j + 1;
            }
            more = self.p.next_pair()?;
        }
        let end = self.p.i;
        for f in &schema.fields[next..] {
            self.field(&mut fields, f.name, &f.kind, &f.rules, (ABSENT, 0), depth)?;
        }
        if version != ABSENT {
            self.field(
                &mut fields,
                "__v",
                &Kind::Number,
                &plain,
                (version, 0),
                depth,
            )?;
        }
        (self.p.i, self.p.depth) = (end, outer);
        Some(Some(fields.close()))
    }

    /// [`Transcoder::object`] in two passes.
    fn in_two_passes(
        &mut self,
        schema: &Schema,
        depth: usize,
        out: &mut String,
        spans: Option<&mut Spans>,
    ) -> Written {
        let n = schema.fields.len();
        let outer = self.p.depth;
        self.p.depth += 1;
        self.p.i += 1;
        // The fields, then `_id`, then `__v`.
        let base = self.slots.len();
        self.slots.resize(base + n + 2, (ABSENT, 0));
        let (id, version) = (base + n, base + n + 1);
        let mut hint = 0;
        let mut more = self.p.first_pair()?;
        while more {
            let key = self.key()?;
            let slot = match &*key {
                "_id" if schema.has_id => Some(id),
                "__v" if schema.version_key => Some(version),
                key => field_index(schema, key, &mut hint).map(|i| base + i),
            };
            let skipped = match slot {
                Some(slot) if self.slots[slot].0 != ABSENT => return None,
                Some(slot) => {
                    let start = self.p.i;
                    let end = self.p.plain_string();
                    self.slots[slot] = (start, end);
                    end != 0
                }
                None => false,
            };
            if !skipped {
                self.p.skip().ok()?;
            }
            more = self.p.next_pair()?;
        }
        let end = self.p.i;

        let mut fields = Fields::open(out, spans);
        let plain = Rules::default();
        if schema.has_id && self.slots[id].0 != ABSENT {
            let value = self.slots[id];
            self.field(&mut fields, "_id", &Kind::ObjectId, &plain, value, depth)?;
        }
        for (i, field) in schema.fields.iter().enumerate() {
            let value = self.slots[base + i];
            self.field(
                &mut fields,
                field.name,
                &field.kind,
                &field.rules,
                value,
                depth,
            )?;
        }
        if schema.version_key && self.slots[version].0 != ABSENT {
            let value = self.slots[version];
            self.field(&mut fields, "__v", &Kind::Number, &plain, value, depth)?;
        }
        self.slots.truncate(base);
        (self.p.i, self.p.depth) = (end, outer);
        Some(fields.close())
    }

    /// A key and its colon, the cursor on its quote, then on the value.
    /// `None` for a dotted key: Mongoose sets it as a path, after the others.
    fn key(&mut self) -> Option<std::borrow::Cow<'t, str>> {
        self.p.whitespace();
        if self.p.peek() != Some(b'"') {
            return None;
        }
        let key = self.p.string().ok()?;
        if key.as_bytes().contains(&b'.') {
            return None;
        }
        self.p.whitespace();
        if self.p.peek() != Some(b':') {
            return None;
        }
        self.p.i += 1;
        self.p.whitespace();
        Some(key)
    }

    /// `"name":value` unless the path ends up absent. `value`: where the
    /// input's value starts ([`ABSENT`]), and where it ends when it is a
    /// string without escapes (else 0).
    fn field(
        &mut self,
        fields: &mut Fields<'_, '_>,
        name: &'static str,
        kind: &Kind,
        rules: &Rules,
        (at, plain_end): (usize, usize),
        depth: usize,
    ) -> Option<()> {
        let out = &mut *fields.out;
        let mark = out.len();
        if !fields.first {
            json::ascii(out, b',');
        }
        // Declared names need no escape.
        json::put(out, "\"");
        json::put(out, name);
        json::put(out, "\":");
        let start = out.len();
        let text = self.p.text();
        let kept = match text.get(at..plain_end) {
            Some(quoted) if plain_end != 0 => kept_as_is(kind, rules, quoted).then_some(plain_end),
            _ if at != ABSENT => kept_token(kind, rules, text, at),
            _ => None,
        };
        let written = if let Some(end) = kept {
            json::put(out, text.get(at..end)?);
            self.p.i = end;
            true
        } else if at == ABSENT {
            self.walked(kind, rules, None, depth, out)?
        } else {
            self.p.i = at;
            self.present(kind, rules, depth, out)?
        };
        if written {
            fields.first = false;
            if let Some(spans) = fields.spans.as_deref_mut() {
                if spans.reads.contains(&name) {
                    spans.found.push((name, start..out.len()));
                }
            }
        } else {
            out.truncate(mark);
        }
        Some(())
    }

    /// A value in the input, the cursor on it.
    fn present(&mut self, kind: &Kind, rules: &Rules, depth: usize, out: &mut String) -> Written {
        let at = self.p.i;
        match (kind, self.p.peek()?) {
            // A nested object: `minimize` drops it when empty.
            (Kind::Object(schema), b'{') => self.object(schema, depth + 1, out, None),
            (Kind::Array(inner), b'[') => match self.array(inner, out)? {
                Some(()) => Some(true),
                None => {
                    self.p.i = at;
                    self.tree(kind, rules, depth, out)
                }
            },
            // A Mixed value the walk would keep as it is, copied; `null`
            // only where it may be.
            (Kind::Mixed, c) if !(rules.required && c == b'n') => {
                match self.p.verbatim(super::walk::MAX_NESTING) {
                    Some(end) => {
                        json::put(out, self.p.text().get(at..end)?);
                        Some(true)
                    }
                    None => self.tree(kind, rules, depth, out),
                }
            }
            (Kind::String | Kind::Enum(_) | Kind::Number, b'{' | b'[')
            | (Kind::Boolean | Kind::Date | Kind::ObjectId, b'{' | b'[')
            | (Kind::Object(_) | Kind::Array(_) | Kind::Map(_) | Kind::Mixed, _) => {
                self.tree(kind, rules, depth, out)
            }
            _ => {
                let v = self.p.value().ok()?;
                let cast = self.walker.scalar(kind, rules, Some(&v));
                self.written(cast, out)
            }
        }
    }

    /// An array of subdocuments or of primitives, the cursor on its `[`.
    /// `Some(None)` for an element the walk must see as a tree (a
    /// subdocument given as something else, an object or array where a
    /// primitive belongs): the caller takes the whole array that way.
    fn array(&mut self, inner: &Kind, out: &mut String) -> Option<Option<()>> {
        if self.p.depth == MAX_DEPTH {
            return None;
        }
        let mark = out.len();
        let outer = self.p.depth;
        self.p.depth += 1;
        self.p.i += 1;
        json::ascii(out, b'[');
        self.p.whitespace();
        if self.p.peek() == Some(b']') {
            self.p.i += 1;
        } else {
            loop {
                self.p.whitespace();
                match (inner, self.p.peek()?) {
                    // A subdocument: written even when empty.
                    (Kind::Object(schema), b'{') => {
                        self.object(schema, 0, out, None)?;
                    }
                    (Kind::Object(_), _) | (_, b'{' | b'[') => {
                        out.truncate(mark);
                        self.p.depth = outer;
                        return Some(None);
                    }
                    _ => match self.p.value().ok()? {
                        Json::Null => json::put(out, "null"),
                        v => json::write(&super::cast::scalar(inner, &v).ok()?, out),
                    },
                }
                self.p.whitespace();
                match self.p.peek() {
                    Some(b',') => {
                        self.p.i += 1;
                        json::ascii(out, b',');
                    }
                    Some(b']') => {
                        self.p.i += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        json::ascii(out, b']');
        self.p.depth = outer;
        Some(Some(()))
    }

    /// The value at the cursor read as a tree and walked.
    fn tree(&mut self, kind: &Kind, rules: &Rules, depth: usize, out: &mut String) -> Written {
        let v = self.p.value().ok()?;
        self.walked(kind, rules, Some(&v), depth, out)
    }

    /// [`Walker::value`] on `v` (absent: `None`), written.
    fn walked(
        &mut self,
        kind: &Kind,
        rules: &Rules,
        v: Option<&Json<'_>>,
        depth: usize,
        out: &mut String,
    ) -> Written {
        self.walker.depth = depth;
        let walked = self.walker.value(kind, rules, v);
        self.written(walked, out)
    }

    /// Writes what the walker gave, unless it found an error.
    fn written(&self, value: Option<Json<'_>>, out: &mut String) -> Written {
        if !self.walker.errors.is_empty() {
            return None;
        }
        Some(value.is_some_and(|v| {
            json::write(&v, out);
            true
        }))
    }
}

/// Whether a string value (`quoted`: its text with its quotes, no escapes
/// in it) comes through casting, setters and validators unchanged and
/// valid, so that it can be copied as it is: what most strings of a valid
/// document do. `false` leaves the decision to the walker.
fn kept_as_is(kind: &Kind, rules: &Rules, quoted: &str) -> bool {
    let Some(s) = quoted.get(1..quoted.len() - 1) else {
        return false;
    };
    match kind {
        Kind::String | Kind::Enum(_) => {
            let bytes = s.as_bytes();
            // Each check is the one `Walker::scalar` and `check_rules` make.
            !(rules.lowercase && (!s.is_ascii() || bytes.iter().any(u8::is_ascii_uppercase)))
                && !(rules.trim && js::trim(s).len() != s.len())
                && !(rules.required && s.is_empty())
                && !matches!(kind, Kind::Enum(values) if !values.contains(&s))
                && !rules
                    .maxlength
                    .is_some_and(|max| s.len() > max && js::utf16_len(s) > max)
        }
        // `toISOString()`'s own form of a date it reads as written.
        Kind::Date => super::cast::canonical_iso(s).is_some(),
        // The lowercase form of an ObjectId, which the cast keeps.
        Kind::ObjectId => {
            s.len() == 24
                && s.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        }
        _ => false,
    }
}

/// Where a boolean or number at `at` ends when it comes through casting
/// and validators unchanged and valid (`false` on a Boolean path, a number
/// in JavaScript's own form within a Number path's bounds), so that it can
/// be copied as it is. `None` leaves the decision to the walker.
fn kept_token(kind: &Kind, rules: &Rules, text: &str, at: usize) -> Option<usize> {
    let rest = text.get(at..)?;
    match kind {
        Kind::Boolean if rest.starts_with("true") => Some(at + 4),
        Kind::Boolean if rest.starts_with("false") => Some(at + 5),
        Kind::Number if rest.starts_with(|c: char| c == '-' || c.is_ascii_digit()) => {
            let end = json::canonical_number(text.as_bytes(), at)?;
            if rules.min.is_some() || rules.max.is_some() {
                let x: f64 = text.get(at..end)?.parse().ok()?;
                if rules.min.is_some_and(|min| x < min) || rules.max.is_some_and(|max| x > max) {
                    return None;
                }
            }
            Some(end)
        }
        _ => None,
    }
}

/// The output of one object being written.
struct Fields<'o, 's> {
    out: &'o mut String,
    /// No field written yet.
    first: bool,
    spans: Option<&'s mut Spans>,
}

impl<'o, 's> Fields<'o, 's> {
    /// Starts an object: its `{` written.
    fn open(out: &'o mut String, spans: Option<&'s mut Spans>) -> Self {
        json::ascii(out, b'{');
        Fields {
            out,
            first: true,
            spans,
        }
    }

    /// Ends it with its `}`: whether it has a field.
    fn close(self) -> bool {
        json::ascii(self.out, b'}');
        !self.first
    }
}

/// Where the top-level values a cross-field rule reads were written.
struct Spans {
    reads: &'static [&'static str],
    found: Vec<(&'static str, Range<usize>)>,
}

/// The index of the field named `key`, trying the one after the last found
/// first: inputs mostly come in the schema's order.
fn field_index(schema: &Schema, key: &str, next: &mut usize) -> Option<usize> {
    let fields = schema.fields;
    let found = match fields.get(*next) {
        Some(f) if f.name == key => *next,
        _ => fields.iter().position(|f| f.name == key)?,
    };
    *next = found + 1;
    Some(found)
}
