//! JSON Schemas of the collections, generated from the same declarations
//! the engine applies ([`Schema`], [`Kind`], [`Rules`]): no second
//! description of any collection.
//!
//! Two directions per collection:
//! - [`Direction::Output`]: the normalised document exactly as
//!   [`crate::Collection::validate`] returns it (dates as ISO 8601 strings,
//!   ObjectIds as 24 lowercase hex characters, defaults filled, so fields
//!   with a default, arrays and nested objects holding such fields are always
//!   present; `null` kept where a path holds null).
//! - [`Direction::Input`]: the canonical input, what a form sends without
//!   relying on Mongoose's casting: the same types (dates as `date-time`
//!   strings), `required` only where the declaration says so.
//!
//! Three dialects ([`Target`]): JSON Schema draft 2020-12, draft-07 and the
//! Schema Object of OpenAPI 3.0 (`nullable` instead of `"null"` in `type`,
//! no `$schema`, no `propertyNames`).
//!
//! What JSON Schema cannot say is stated in `description`s: `maxLength`
//! counts code points, Mongoose's `maxlength` counts UTF-16 code units (an
//! emoji is 2), so the schema's `maxLength` accepts a few strings the engine
//! refuses (never the reverse); the cross-field rules (a user's email format,
//! password length, backup codes) and casts are the engine's alone.
//!
//! Build-time code: the package ships the schemas as a generated JavaScript
//! module (`examples/collections_data.rs`, run by `tools/build-pkg.sh`), and
//! the server serves them; the `.wasm` does not link this module.

use crate::engine::{DefaultValue, Kind, Rules, Schema};
use crate::js;
use crate::Collection;
use serde_json::{json, Map, Value};

/// The JSON Schema dialect to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// JSON Schema draft 2020-12 (`"type": ["string", "null"]`).
    Draft2020_12,
    /// JSON Schema draft-07.
    Draft07,
    /// The Schema Object of OpenAPI 3.0 (`"nullable": true`).
    OpenApi30,
}

impl Target {
    /// Every target, in the order above.
    pub const ALL: [Target; 3] = [Target::Draft2020_12, Target::Draft07, Target::OpenApi30];

    /// The name Standard JSON Schema uses for it (`draft-2020-12`, `draft-07`, `openapi-3.0`).
    pub const fn name(self) -> &'static str {
        match self {
            Target::Draft2020_12 => "draft-2020-12",
            Target::Draft07 => "draft-07",
            Target::OpenApi30 => "openapi-3.0",
        }
    }

    /// The target with this name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The `$schema` URI, for the JSON Schema drafts.
    fn meta_schema(self) -> Option<&'static str> {
        match self {
            Target::Draft2020_12 => Some("https://json-schema.org/draft/2020-12/schema"),
            Target::Draft07 => Some("http://json-schema.org/draft-07/schema#"),
            Target::OpenApi30 => None,
        }
    }
}

/// Which side of validation the schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// The canonical input (what a form sends).
    Input,
    /// The normalised document (what validation returns).
    Output,
}

impl Direction {
    /// Both directions.
    pub const ALL: [Direction; 2] = [Direction::Input, Direction::Output];

    /// `input` or `output`.
    pub const fn name(self) -> &'static str {
        match self {
            Direction::Input => "input",
            Direction::Output => "output",
        }
    }
}

/// The JSON Schema of the collection named `collection_name` (its MongoDB
/// name, `usersessions`), or `None` for a name that is none of the 17.
pub fn schema_for(collection_name: &str, direction: Direction, target: Target) -> Option<Value> {
    Collection::from_name(collection_name).map(|c| collection_schema(c, direction, target))
}

/// The JSON Schema of `collection`.
pub fn collection_schema(collection: Collection, direction: Direction, target: Target) -> Value {
    let writer = Writer { direction, target };
    let mut root = match writer.object(collection.schema(), 0) {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    let mut out = Map::new();
    if let Some(uri) = target.meta_schema() {
        out.insert("$schema".into(), uri.into());
    }
    out.insert(
        "title".into(),
        format!("{} ({})", collection.schema().name, direction.name()).into(),
    );
    out.insert(
        "description".into(),
        match direction {
            Direction::Output => format!(
                "A `{}` document as validation returns it: cast, defaults filled, unknown keys dropped.",
                collection.name()
            ),
            Direction::Input => format!(
                "A `{}` document as a client sends it, without relying on casting.",
                collection.name()
            ),
        }
        .into(),
    );
    out.append(&mut root);
    Value::Object(out)
}

/// Whether a path at `depth` is always in the output document: it is
/// required, has a default, is an array (which defaults to `[]`), or is a
/// nested object holding such a path. (`null` given for it is kept: still
/// present.)
/// Exceptions: directly in a (sub)document (`depth` 0) a nested object given
/// a value that is not an object is dropped, and a Mixed value that is an
/// empty object (or holds only empty objects) is removed, `required` or not.
fn always_present(kind: &Kind, rules: &Rules, depth: usize) -> bool {
    match kind {
        Kind::Mixed => false,
        Kind::Array(_) => true,
        Kind::Object(s) => {
            has_required(s)
                || depth > 0
                    && s.fields
                        .iter()
                        .any(|f| always_present(&f.kind, &f.rules, depth + 1))
        }
        _ => rules.required || rules.default.is_some(),
    }
}

/// Whether a nested object holds a `required` path (directly or in a nested
/// object below): Mongoose runs those rules whatever was given for the
/// object, so it cannot be absent, `null` or another value.
fn has_required(schema: &Schema) -> bool {
    schema.fields.iter().any(|f| match &f.kind {
        Kind::Object(s) => has_required(s),
        Kind::Mixed | Kind::Array(_) | Kind::Map(_) => false,
        _ => f.rules.required,
    })
}

struct Writer {
    direction: Direction,
    target: Target,
}

/// A 24-character lowercase hex string, as ObjectIds are written out; input
/// also takes capitals (the engine lowercases them).
const OBJECT_ID_OUTPUT: &str = "^[0-9a-f]{24}$";
const OBJECT_ID_INPUT: &str = "^[0-9a-fA-F]{24}$";
/// A date JavaScript writes with an expanded year.
const EXPANDED_YEAR: &str =
    "^[+-][0-9]{6}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$";
/// Map keys MongoDB stores: no leading `$`, no `.`.
const MAP_KEY: &str = "^(?!\\$)[^.]*$";

impl Writer {
    fn output(&self) -> bool {
        self.direction == Direction::Output
    }

    /// A (sub)document or nested object; `depth` counts plain nested objects
    /// inside the current (sub)document (0 for the (sub)document itself).
    fn object(&self, schema: &Schema, depth: usize) -> Value {
        let mut properties = Map::new();
        let mut required = Vec::new();
        if schema.has_id {
            let id = self.object_id();
            properties.insert("_id".into(), id);
        }
        for field in schema.fields {
            let mut s = self.field(&field.kind, &field.rules, depth);
            if field.rules.secret {
                if let Value::Object(m) = &mut s {
                    m.insert("writeOnly".into(), true.into());
                }
            }
            properties.insert(field.name.into(), s);
            let present = match self.direction {
                Direction::Output => always_present(&field.kind, &field.rules, depth),
                Direction::Input => {
                    field.rules.required || matches!(field.kind, Kind::Object(s) if has_required(s))
                }
            };
            if present {
                required.push(Value::from(field.name));
            }
        }
        if schema.version_key {
            properties.insert(
                "__v".into(),
                json!({ "type": "number", "description": "Mongoose's version key." }),
            );
        }
        let mut m = Map::new();
        m.insert("type".into(), "object".into());
        m.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            m.insert("required".into(), Value::Array(required));
        }
        m.insert("additionalProperties".into(), false.into());
        Value::Object(m)
    }

    fn object_id(&self) -> Value {
        let pattern = if self.output() {
            OBJECT_ID_OUTPUT
        } else {
            OBJECT_ID_INPUT
        };
        json!({ "type": "string", "pattern": pattern, "description": "A MongoDB ObjectId: 24 hexadecimal characters." })
    }

    /// A declared field at `depth` (of the object that holds it).
    fn field(&self, kind: &Kind, rules: &Rules, depth: usize) -> Value {
        let mut nullable = !rules.required;
        let mut s = match kind {
            Kind::Object(inner) => {
                let object = self.object(inner, depth + 1);
                if has_required(inner) {
                    return object;
                }
                if depth >= 1 && self.output() {
                    // Below a nested object Mongoose keeps `false`, `0` and `""`
                    // as given for a nested path (the engine's `nested`).
                    return self.falsy_or(object);
                }
                nullable = true;
                object
            }
            _ => self.value(kind, rules),
        };
        if let (Some(d), Value::Object(m)) = (rules.default, &mut s) {
            match d {
                DefaultValue::Bool(b) => m.insert("default".into(), b.into()),
                DefaultValue::Number(n) => m.insert("default".into(), js::number_value(n)),
                DefaultValue::Str(x) => m.insert("default".into(), x.into()),
                DefaultValue::Now => m.insert(
                    "description".into(),
                    "Defaults to the time of validation.".into(),
                ),
            };
        }
        if nullable || matches!(kind, Kind::Array(_) | Kind::Map(_)) {
            // Arrays and maps keep a `null` given for them (no `required`
            // is declared on one).
            s = self.nullable(s);
        }
        s
    }

    /// The schema of one value of `kind` (an array element, a map value or a field).
    fn value(&self, kind: &Kind, rules: &Rules) -> Value {
        match kind {
            Kind::String => {
                let mut m = Map::new();
                m.insert("type".into(), "string".into());
                if rules.required {
                    // Mongoose's `required` refuses `""`.
                    m.insert("minLength".into(), 1.into());
                }
                if let Some(max) = rules.maxlength {
                    m.insert("maxLength".into(), max.into());
                    m.insert(
                        "description".into(),
                        format!(
                            "At most {max} UTF-16 code units (JavaScript's `length`, as Mongoose's `maxlength` counts); `maxLength` counts code points, so the engine is stricter for characters outside the Basic Multilingual Plane."
                        )
                        .into(),
                    );
                }
                Value::Object(m)
            }
            Kind::Enum(values) => json!({ "type": "string", "enum": values }),
            Kind::Number => {
                let mut m = Map::new();
                m.insert("type".into(), "number".into());
                if let Some(min) = rules.min {
                    m.insert("minimum".into(), js::number_value(min));
                }
                if let Some(max) = rules.max {
                    m.insert("maximum".into(), js::number_value(max));
                }
                Value::Object(m)
            }
            Kind::Boolean => json!({ "type": "boolean" }),
            Kind::Date if self.output() => json!({
                "type": "string",
                "anyOf": [
                    { "format": "date-time" },
                    { "pattern": EXPANDED_YEAR },
                ],
                "description": "An ISO 8601 instant with milliseconds and `Z` (`2024-01-15T10:30:00.000Z`), as JavaScript's `toISOString` writes it: years outside 0000-9999 with a sign and six digits (`+012345-01-01T00:00:00.000Z`), which RFC 3339's `date-time` does not cover.",
            }),
            Kind::Date => json!({
                "type": "string",
                "format": "date-time",
                "description": "An ISO 8601 date-time (the engine also casts epoch milliseconds and other date strings).",
            }),
            Kind::ObjectId => self.object_id(),
            Kind::Mixed if rules.required => json!({
                "not": { "type": "null" },
                "description": "Any JSON value but null (Mongoose's Mixed), kept as given; empty objects are removed.",
            }),
            Kind::Mixed => {
                json!({ "description": "Any JSON value (Mongoose's Mixed), kept as given; empty objects are removed." })
            }
            Kind::Array(inner) => {
                let item = match inner {
                    Kind::Object(s) => self.object(s, 0),
                    other => self.value(other, &Rules::default()),
                };
                json!({ "type": "array", "items": self.nullable(item) })
            }
            Kind::Map(inner) => {
                let item = self.value(inner, &Rules::default());
                let mut m = Map::new();
                m.insert("type".into(), "object".into());
                m.insert("additionalProperties".into(), self.nullable(item));
                if self.target != Target::OpenApi30 {
                    m.insert("propertyNames".into(), json!({ "pattern": MAP_KEY }));
                }
                m.insert(
                    "description".into(),
                    "A map (Mongoose's `Map`): keys do not start with `$` or contain `.`.".into(),
                );
                Value::Object(m)
            }
            Kind::Object(s) => self.object(s, 1),
        }
    }

    /// `schema`, or `null`.
    fn nullable(&self, schema: Value) -> Value {
        let Value::Object(mut m) = schema else {
            return schema;
        };
        if !m.contains_key("type") {
            // Mixed: already anything.
            if self.target == Target::OpenApi30 {
                m.insert("nullable".into(), true.into());
            }
            return Value::Object(m);
        }
        if let Some(Value::Array(values)) = m.get_mut("enum") {
            values.push(Value::Null);
        }
        match self.target {
            Target::OpenApi30 => {
                m.insert("nullable".into(), true.into());
            }
            Target::Draft2020_12 | Target::Draft07 => {
                if let Some(t) = m.remove("type") {
                    m.insert("type".into(), json!([t, "null"]));
                }
            }
        }
        Value::Object(m)
    }

    /// A nested object below another: the object, `null`, or the falsy
    /// value given for it (`false`, `0`, `""`).
    fn falsy_or(&self, object: Value) -> Value {
        json!({
            "anyOf": [
                self.nullable(object),
                { "enum": [false, 0, ""] },
            ]
        })
    }
}

/// One path of a collection with what a form needs to know about it: its
/// type, whether it is required, its limits, enum values and default. Array
/// positions are written `$`, map keys `$*` (`messages.$.role`,
/// `quotas.$*`), as Mongoose writes such paths.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FormField {
    /// The dotted path.
    pub path: String,
    /// `string`, `number`, `boolean`, `date`, `objectId`, `mixed`, `map`, `array` or `object`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// `required: true` (a string must not be empty either).
    pub required: bool,
    /// `maxlength`, in UTF-16 code units (JavaScript's `length`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
    /// `min`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// `max`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// The enum values.
    #[serde(rename = "enum", skip_serializing_if = "Option::is_none")]
    pub values: Option<&'static [&'static str]>,
    /// The default value; `"now"` for the time of validation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// Never returned by the server.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub secret: bool,
    /// Set by the server or an admin only.
    #[serde(skip_serializing_if = "std::ops::Not::not", rename = "protected")]
    pub is_protected: bool,
}

/// Every path of `collection` (`_id` first, then the declared fields in
/// order, each followed by the paths below it), for forms and for the
/// package's typed paths.
pub fn form_fields(collection: Collection) -> Vec<FormField> {
    let mut out = Vec::new();
    let schema = collection.schema();
    if schema.has_id {
        out.push(form_field("_id".into(), &Kind::ObjectId, &Rules::default()));
    }
    fields_below(schema, "", &mut out);
    out
}

/// The declared field a concrete path of `collection` names, as
/// [`form_fields`] lists it: array positions and map keys resolve to the
/// `$` and `$*` entries (`messages.0.role` -> `messages.$.role`), a path
/// inside a Mixed value to the Mixed field, anything else to `None`. What
/// an error's params are read from ([`crate::messages::params`]).
pub fn form_field_at(collection: Collection, path: &str) -> Option<FormField> {
    let is_index = |seg: &str| !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit());
    let mut declared: Vec<&str> = Vec::new();
    let mut at: Option<(&'static Kind, Rules)> = None;
    for seg in path.split('.') {
        let (next, name) = match at {
            None => (collection.schema().child(seg), seg),
            Some((Kind::Object(s), _)) => (s.child(seg), seg),
            Some((Kind::Array(inner), _)) if is_index(seg) => {
                (Some((*inner, Rules::default())), "$")
            }
            Some((Kind::Map(inner), _)) => (Some((*inner, Rules::default())), "$*"),
            Some((Kind::Mixed, _)) => break,
            Some(_) => (None, seg),
        };
        at = Some(next?);
        declared.push(name);
    }
    let (kind, rules) = at?;
    Some(form_field(declared.join("."), kind, &rules))
}

fn fields_below(schema: &Schema, prefix: &str, out: &mut Vec<FormField>) {
    for f in schema.fields {
        let path = format!("{prefix}{}", f.name);
        kind_paths(&f.kind, &f.rules, path, out);
    }
}

fn kind_paths(kind: &Kind, rules: &Rules, path: String, out: &mut Vec<FormField>) {
    out.push(form_field(path.clone(), kind, rules));
    match kind {
        Kind::Object(s) => fields_below(s, &format!("{path}."), out),
        Kind::Array(inner) => {
            let item = format!("{path}.$");
            if let Kind::Object(s) = inner {
                out.push(form_field(item.clone(), inner, &Rules::default()));
                if s.has_id {
                    out.push(form_field(
                        format!("{item}._id"),
                        &Kind::ObjectId,
                        &Rules::default(),
                    ));
                }
                fields_below(s, &format!("{item}."), out);
            } else {
                kind_paths(inner, &Rules::default(), item, out);
            }
        }
        Kind::Map(inner) => kind_paths(inner, &Rules::default(), format!("{path}.$*"), out),
        _ => {}
    }
}

fn form_field(path: String, kind: &Kind, rules: &Rules) -> FormField {
    FormField {
        path,
        kind: match kind {
            Kind::Enum(_) => "string",
            other => other.type_name(),
        },
        required: rules.required,
        max_length: rules.maxlength,
        min: rules.min,
        max: rules.max,
        values: match kind {
            Kind::Enum(values) => Some(values),
            _ => None,
        },
        default: rules.default.map(|d| match d {
            DefaultValue::Bool(b) => Value::Bool(b),
            DefaultValue::Number(n) => js::number_value(n),
            DefaultValue::Str(s) => Value::from(s),
            DefaultValue::Now => Value::from("now"),
        }),
        secret: rules.secret,
        is_protected: rules.protected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_collection_and_target() {
        for c in Collection::ALL {
            for d in Direction::ALL {
                for t in Target::ALL {
                    let s = schema_for(c.name(), d, t).unwrap();
                    assert_eq!(s["type"], "object", "{c} {d:?} {t:?}");
                    let text = s.to_string();
                    assert_eq!(text.contains("\"nullable\""), t == Target::OpenApi30);
                    assert_eq!(text.contains("$schema"), t != Target::OpenApi30);
                }
            }
        }
        assert!(schema_for("nope", Direction::Input, Target::Draft07).is_none());
    }

    #[test]
    fn user_fields_by_hand() {
        let out = schema_for("users", Direction::Output, Target::Draft2020_12).unwrap();
        let p = &out["properties"];
        assert_eq!(p["bio"]["maxLength"], 500);
        assert_eq!(p["bio"]["type"], json!(["string", "null"]));
        assert_eq!(
            p["role"]["enum"],
            json!(["user", "admin", "moderator", null])
        );
        assert_eq!(p["role"]["default"], "user");
        assert_eq!(p["email"]["type"], "string");
        assert_eq!(p["createdAt"]["anyOf"][0]["format"], "date-time");
        assert_eq!(p["_id"]["pattern"], OBJECT_ID_OUTPUT);
        assert_eq!(p["password"]["writeOnly"], true);
        let required = out["required"].as_array().unwrap();
        for name in ["id", "email", "role", "isActive", "backupCodes", "joinedAt"] {
            assert!(required.contains(&json!(name)), "{name}");
        }
        assert!(!required.contains(&json!("bio")));
        let fields = form_fields(Collection::Users);
        let bio = fields.iter().find(|f| f.path == "bio").unwrap();
        assert_eq!(bio.max_length, Some(500));
        assert!(fields.iter().any(|f| f.path == "backupCodes.$"));
        assert!(fields.iter().any(|f| f.path == "socialLinks.github"));
        let input = schema_for("users", Direction::Input, Target::OpenApi30).unwrap();
        assert_eq!(input["required"], json!(["id", "email"]));
        assert_eq!(input["properties"]["bio"]["nullable"], true);
        assert_eq!(input["properties"]["bio"]["type"], "string");
    }

    #[test]
    fn maps_and_subdocument_arrays_by_hand() {
        let out = schema_for("userachievements", Direction::Output, Target::OpenApi30).unwrap();
        let progress = &out["properties"]["progress"];
        assert_eq!(progress["type"], "object");
        assert_eq!(progress["nullable"], true);
        assert_eq!(
            progress["additionalProperties"],
            json!({ "type": "number", "nullable": true })
        );
        assert!(
            progress.get("propertyNames").is_none(),
            "not in OpenAPI 3.0"
        );
        let achievements = &out["properties"]["achievements"];
        assert_eq!(achievements["type"], "array");
        let item = &achievements["items"];
        assert_eq!(item["type"], "object");
        assert_eq!(item["nullable"], true);
        assert_eq!(item["additionalProperties"], false);
        assert_eq!(item["properties"]["_id"]["pattern"], OBJECT_ID_OUTPUT);
        let draft = schema_for("userachievements", Direction::Output, Target::Draft07).unwrap();
        assert_eq!(
            draft["properties"]["progress"]["propertyNames"]["pattern"],
            MAP_KEY
        );
        assert_eq!(
            draft["properties"]["progress"]["type"],
            json!(["object", "null"])
        );
    }

    /// The same cases as tests/pkg/errors.test.mjs gives the package's
    /// `fieldAt`, which resolves paths over the generated fields as this does.
    #[test]
    fn form_field_at_by_hand() {
        let at = |c: Collection, path: &str| form_field_at(c, path).map(|f| f.path);
        let path = |p: &str| Some(p.to_string());
        assert_eq!(
            at(Collection::ChatSessions, "messages.7.role"),
            path("messages.$.role")
        );
        assert_eq!(
            at(Collection::UserAchievements, "progress.level3"),
            path("progress.$*")
        );
        assert_eq!(
            at(Collection::AnalyticsEvents, "properties.a.b"),
            path("properties")
        );
        assert_eq!(
            at(Collection::Tools, "config.inputs.0.defaultValue.x"),
            path("config.inputs.$.defaultValue")
        );
        assert_eq!(at(Collection::Users, "nope"), None);
        assert_eq!(at(Collection::Users, "bio.x"), None);
        assert_eq!(at(Collection::ChatSessions, "messages.x.role"), None);
    }
}
