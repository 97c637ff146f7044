//! The rules engine: one cast-normalise-validate pass for every collection.
//!
//! Collections are data here. Each `#[model]` type produces a [`Schema`]
//! (its fields, their [`Kind`] and [`Rules`], its indexes); [`validate`]
//! walks a JSON document against a schema the way Mongoose 8 does on
//! `new Model(doc).validateSync()`: cast every path, apply setters
//! (`lowercase`, `trim`) and defaults, drop unknown keys, run validators, and
//! report every failing path at once. Nothing in this module knows about any
//! one collection.

pub mod cast;
mod error;
mod transcode;
mod walk;

pub use error::{ErrorKind, FieldError};
pub use transcode::transcode;
pub use walk::{
    validate, validate_json, validate_json_with, validate_path, Options, PathError, Rejection,
};

use crate::{Date, ObjectId};
use std::collections::BTreeMap;

/// A type declared with `#[model]`: it knows its schema, which is static
/// data (built by the compiler, not at run time).
pub trait Model {
    /// The schema the engine applies to this type.
    const SCHEMA: Schema;

    /// [`Model::SCHEMA`], as a `'static` reference.
    fn schema() -> &'static Schema {
        &Self::SCHEMA
    }
}

/// How a Rust field type maps to a Mongoose schema type.
pub trait FieldType {
    /// The kind of value the engine casts this field to.
    const KIND: Kind;
}

/// A cross-field rule over the cast document (the spec's `pre('save')`
/// checks): the errors it finds.
#[derive(Debug, Clone, Copy)]
pub struct CrossFieldCheck {
    /// The top-level fields the rule reads. It is given these alone (those
    /// of them the document has), by the tree walk and by the transcoder,
    /// which never builds the rest: a field it reads and does not list is
    /// absent to it, everywhere alike, and the vectors show it.
    pub reads: &'static [&'static str],
    /// The rule.
    pub run: fn(&crate::json::Object<'_>) -> Vec<FieldError>,
}

impl CrossFieldCheck {
    /// Runs the rule on the fields of `doc` it reads.
    pub fn run_on(&self, doc: &crate::json::Object<'_>) -> Vec<FieldError> {
        let read: crate::json::Object<'_> = doc
            .iter()
            .filter(|(k, _)| self.reads.contains(&k.as_ref()))
            .cloned()
            .collect();
        (self.run)(&read)
    }
}

/// The schema of a collection, a nested object or an array subdocument.
#[derive(Debug)]
pub struct Schema {
    /// The Rust type's name (`User`).
    pub name: &'static str,
    /// The MongoDB collection name, for top-level collections.
    pub collection: Option<&'static str>,
    /// `timestamps: true`: `createdAt`/`updatedAt` exist and the server sets them.
    pub timestamps: bool,
    /// Documents and array subdocuments carry an `_id`; nested objects do not.
    pub has_id: bool,
    /// Top-level documents carry Mongoose's `__v`.
    pub version_key: bool,
    /// The declared fields, in the spec's order.
    pub fields: &'static [Field],
    /// Compound and explicit indexes (`schema.index(...)` calls).
    pub indexes: &'static [IndexDecl],
    /// Cross-field rules (the spec's `pre('save')` checks), run on the cast document.
    pub check: Option<CrossFieldCheck>,
    /// Who may read, create, update and delete (top-level collections).
    pub access: Option<crate::access::Access>,
    /// Fills computed defaults into an input before it is stored (the
    /// server calls it through `Collection::fill_computed`; validation alone,
    /// as Mongoose's, does not).
    pub compute: Option<ComputeHook>,
}

/// A computed default: fills absent fields of an input from its other
/// fields, at time `now` (a subscription's `expiryDate` from its plan).
pub type ComputeHook = fn(&mut crate::json::Object<'_>, Date);

impl Schema {
    /// The field with this wire name.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// What one path segment names here: a declared field's kind and rules,
    /// or the `_id` a document or subdocument carries (an ObjectId, no rules).
    pub fn child(&self, segment: &str) -> Option<(&Kind, Rules)> {
        static OBJECT_ID: Kind = Kind::ObjectId;
        match segment {
            "_id" if self.has_id => Some((&OBJECT_ID, Rules::default())),
            _ => self.field(segment).map(|f| (&f.kind, f.rules)),
        }
    }

    /// The scalar a dotted query path names (`email`, `socialLinks.github`,
    /// `messages.role` through an array of subdocuments, `_id`): its kind,
    /// its rules, and whether it goes through an array (MongoDB then matches
    /// any element). Paths to objects, arrays of arrays, maps and Mixed
    /// values do not resolve. What list filters, sorts and cursors are cast by.
    pub fn resolve_scalar(&self, path: &str) -> Option<ScalarPath<'_>> {
        let mut current: &Schema = self;
        let mut through_array = false;
        let mut segments = path.split('.').peekable();
        while let Some(seg) = segments.next() {
            let (mut kind, rules) = current.child(seg)?;
            if let Kind::Array(inner) = kind {
                through_array = true;
                kind = inner;
            }
            match kind {
                Kind::Object(s) if segments.peek().is_some() => current = s,
                Kind::String
                | Kind::Enum(_)
                | Kind::Number
                | Kind::Boolean
                | Kind::Date
                | Kind::ObjectId
                    if segments.peek().is_none() =>
                {
                    return Some(ScalarPath {
                        kind,
                        rules,
                        through_array,
                    })
                }
                _ => return None,
            }
        }
        None
    }

    /// The top-level fields marked `hashed`.
    pub fn hashed_fields(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.fields
            .iter()
            .filter(|f| f.rules.hashed)
            .map(|f| f.name)
    }

    /// The top-level fields marked `secret`.
    pub fn secret_fields(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.fields
            .iter()
            .filter(|f| f.rules.secret)
            .map(|f| f.name)
    }
}

/// What [`Schema::resolve_scalar`] found.
#[derive(Debug, Clone, Copy)]
pub struct ScalarPath<'s> {
    /// The scalar's kind.
    pub kind: &'s Kind,
    /// Its rules (setters such as `lowercase` apply to query values too).
    pub rules: Rules,
    /// The path goes through an array.
    pub through_array: bool,
}

/// One declared field.
#[derive(Debug)]
pub struct Field {
    /// The wire name (camelCase, as in the spec).
    pub name: &'static str,
    /// What values cast to.
    pub kind: Kind,
    /// Validators, setters, default and index flags.
    pub rules: Rules,
}

/// The Mongoose schema type of a path.
#[derive(Debug)]
pub enum Kind {
    /// `String`.
    String,
    /// `Number` (an IEEE double, as in JavaScript).
    Number,
    /// `Boolean`.
    Boolean,
    /// `Date`.
    Date,
    /// `Schema.Types.ObjectId`.
    ObjectId,
    /// `Schema.Types.Mixed`: any JSON value, kept as given.
    Mixed,
    /// A `String` with an `enum` validator.
    Enum(&'static [&'static str]),
    /// `{ type: Map, of: <kind> }`.
    Map(&'static Kind),
    /// `[<kind>]`: an array of primitives or of subdocuments.
    Array(&'static Kind),
    /// A nested object or a subdocument.
    Object(&'static Schema),
}

impl Kind {
    /// The type name Mongoose uses in its cast error messages.
    pub fn cast_name(&self) -> String {
        match self {
            Kind::String | Kind::Enum(_) => "string".into(),
            Kind::Number => "Number".into(),
            Kind::Boolean => "Boolean".into(),
            Kind::Date => "date".into(),
            Kind::ObjectId => "ObjectId".into(),
            Kind::Mixed => "Mixed".into(),
            Kind::Map(_) => "Map".into(),
            Kind::Array(inner) => match inner {
                Kind::Object(_) => "Array".into(),
                other => format!("[{}]", other.cast_name()),
            },
            Kind::Object(_) => "Embedded".into(),
        }
    }

    /// The type a TypeScript-facing caller sees for this kind.
    pub fn type_name(&self) -> &'static str {
        match self {
            Kind::String | Kind::Enum(_) => "string",
            Kind::Number => "number",
            Kind::Boolean => "boolean",
            Kind::Date => "date",
            Kind::ObjectId => "objectId",
            Kind::Mixed => "mixed",
            Kind::Map(_) => "map",
            Kind::Array(_) => "array",
            Kind::Object(_) => "object",
        }
    }
}

/// The rules of one field, as the spec declares them.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rules {
    /// `required: true`.
    pub required: bool,
    /// `unique: true` (a unique single-field index).
    pub unique: bool,
    /// `index: true` (a single-field index).
    pub index: bool,
    /// `sparse: true`.
    pub sparse: bool,
    /// `lowercase: true` (setter, before validation).
    pub lowercase: bool,
    /// `trim: true` (setter, before validation).
    pub trim: bool,
    /// Never returned by any API (passwords, 2FA secrets, backup codes, reset tokens).
    pub secret: bool,
    /// Stored as a one-way hash of the value sent (implies `secret`).
    pub hashed: bool,
    /// Set by the server or an admin only; a signed-in user may not send it.
    pub protected: bool,
    /// `min: n`.
    pub min: Option<f64>,
    /// `max: n`.
    pub max: Option<f64>,
    /// `maxlength: n`, in UTF-16 code units as JavaScript counts.
    pub maxlength: Option<usize>,
    /// `default: ...`, applied when the value is absent.
    pub default: Option<DefaultValue>,
}

/// A field's default value.
#[derive(Debug, Clone, Copy)]
pub enum DefaultValue {
    /// A boolean literal.
    Bool(bool),
    /// A number literal.
    Number(f64),
    /// A string literal.
    Str(&'static str),
    /// `Date.now`: the caller's clock.
    Now,
}

/// A `schema.index(keys, options)` call.
#[derive(Debug, Clone, Copy)]
pub struct IndexDecl {
    /// Key paths and directions, in order.
    pub keys: &'static [(&'static str, i32)],
    /// `unique: true`.
    pub unique: bool,
    /// `sparse: true`.
    pub sparse: bool,
}

impl FieldType for String {
    const KIND: Kind = Kind::String;
}

impl FieldType for f64 {
    const KIND: Kind = Kind::Number;
}

impl FieldType for bool {
    const KIND: Kind = Kind::Boolean;
}

impl FieldType for Date {
    const KIND: Kind = Kind::Date;
}

impl FieldType for ObjectId {
    const KIND: Kind = Kind::ObjectId;
}

impl FieldType for serde_json::Value {
    const KIND: Kind = Kind::Mixed;
}

impl<T: FieldType> FieldType for Vec<T> {
    const KIND: Kind = Kind::Array(&T::KIND);
}

impl<T: FieldType> FieldType for BTreeMap<String, T> {
    const KIND: Kind = Kind::Map(&T::KIND);
}
