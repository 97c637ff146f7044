//! Messages for people, and the machine-readable `params` of a
//! [`FieldError`]: the one place both live.
//!
//! A [`FieldError`]'s `message` is Mongoose's, meant for developers (the
//! vectors pin it). What a form shows a person is written here instead, as
//! data: per locale, one template per error kind, the names of the types a
//! cast message uses, and the word that ends a list. The server renders
//! them for a 422 when the client sends `Accept-Language`
//! ([`negotiate`], [`format`]); the npm package renders the same data, which
//! `tools/build-pkg.sh` writes into `pkg/messages.js` from
//! `examples/messages_data.rs` ([`locales_json`]). Native only: the `.wasm`
//! does not carry it.
//!
//! ## Template syntax
//! A template is text with placeholders in braces:
//! - `{name}`: the value called `name`: `label` (the field's label, from
//!   its path: [`label_of`]), `message` (Mongoose's message) or a param of
//!   the error ([`params`]: `maxlength`, `length`, `values`, `min`, `max`,
//!   `type`). Numbers are written as JavaScript writes them; `{type}` is the
//!   locale's name of the type (`types`, else `anyType`); a list such as
//!   `{values}` is written `"a", "b" or "c"` with the locale's `or`. A value
//!   that is absent is written as nothing.
//! - `{name?text}`: `text` (which may hold placeholders, not conditionals)
//!   when `name` has a value, nothing otherwise:
//!   `"{label} must be at most {maxlength} characters{length? ({length} now)}."`.
//!
//! A cast error at the document's root (path `""`, no label) uses the
//! locale's `document` sentence instead of its `cast` template.
//!
//! ## Adding a locale
//! Add a [`Locale`] to [`LOCALES`] (every kind, every type name) and rebuild
//! the package: the server negotiates it and `formatError` knows it. An app
//! can also add one to the package alone with `addLocale`.

use crate::engine::{ErrorKind, FieldError};
use crate::js;
use crate::json_schema::form_field_at;
use crate::Collection;
use serde_json::{json, Map, Value};

/// The human messages of one language.
#[derive(Debug)]
pub struct Locale {
    /// The language tag (`en`, `fr`).
    pub tag: &'static str,
    /// One template per error kind.
    pub kinds: &'static [(ErrorKind, &'static str)],
    /// A cast error at the document's root: the input is not an object.
    pub document: &'static str,
    /// What `{type}` says for each type name of the models crate
    /// (`string`, `number`, ... as `FormField::kind` names them).
    pub types: &'static [(&'static str, &'static str)],
    /// What `{type}` says for a type not in `types`.
    pub any_type: &'static str,
    /// The word before a list's last item (`"a", "b" or "c"`).
    pub or: &'static str,
}

/// The built-in locales; the first is the default of `formatError`.
pub const LOCALES: &[Locale] = &[
    Locale {
        tag: "en",
        kinds: &[
            (ErrorKind::Required, "{label} is required."),
            (
                ErrorKind::MaxLength,
                "{label} must be at most {maxlength} characters{length? ({length} now)}.",
            ),
            (
                ErrorKind::MinLength,
                "{label} must be at least {minlength} characters.",
            ),
            (ErrorKind::Enum, "{label} must be one of {values}."),
            (ErrorKind::Min, "{label} must be at least {min}."),
            (ErrorKind::Max, "{label} must be at most {max}."),
            (ErrorKind::Regexp, "{label} is not in the expected format."),
            (ErrorKind::Cast, "{label} must be {type}."),
            (ErrorKind::UserDefined, "{message}"),
        ],
        document: "The document must be an object.",
        types: &[
            ("string", "text"),
            ("number", "a number"),
            ("boolean", "true or false"),
            ("date", "a date"),
            ("objectId", "an id"),
            ("array", "a list"),
            ("map", "a set of named values"),
            ("object", "an object"),
            ("mixed", "a value"),
        ],
        any_type: "a valid value",
        or: "or",
    },
    Locale {
        tag: "fr",
        kinds: &[
            (ErrorKind::Required, "{label} est obligatoire."),
            (
                ErrorKind::MaxLength,
                "{label} doit comporter au plus {maxlength} caractères{length? ({length} actuellement)}.",
            ),
            (
                ErrorKind::MinLength,
                "{label} doit comporter au moins {minlength} caractères.",
            ),
            (ErrorKind::Enum, "{label} doit être {values}."),
            (ErrorKind::Min, "{label} doit être au moins {min}."),
            (ErrorKind::Max, "{label} doit être au plus {max}."),
            (ErrorKind::Regexp, "{label} n'a pas le format attendu."),
            (ErrorKind::Cast, "{label} doit être {type}."),
            (ErrorKind::UserDefined, "{message}"),
        ],
        document: "Le document doit être un objet.",
        types: &[
            ("string", "du texte"),
            ("number", "un nombre"),
            ("boolean", "vrai ou faux"),
            ("date", "une date"),
            ("objectId", "un identifiant"),
            ("array", "une liste"),
            ("map", "un ensemble de valeurs nommées"),
            ("object", "un objet"),
            ("mixed", "une valeur"),
        ],
        any_type: "une valeur valide",
        or: "ou",
    },
];

impl Locale {
    /// The built-in locale with this exact tag (lowercase).
    pub fn get(tag: &str) -> Option<&'static Locale> {
        LOCALES.iter().find(|l| l.tag == tag)
    }

    /// The template of `kind`.
    pub fn template(&self, kind: ErrorKind) -> Option<&'static str> {
        self.kinds.iter().find(|(k, _)| *k == kind).map(|(_, t)| *t)
    }
}

/// Every locale as JSON, for the package (`pkg/messages.js`):
/// `{ <tag>: { kinds: { <kind>: template }, document, types: { <type>: name }, anyType, or } }`.
pub fn locales_json() -> Value {
    let all: Map<String, Value> = LOCALES
        .iter()
        .map(|l| {
            let kinds: Map<String, Value> = l
                .kinds
                .iter()
                .map(|(k, t)| (k.as_str().to_string(), Value::from(*t)))
                .collect();
            let types: Map<String, Value> = l
                .types
                .iter()
                .map(|(k, t)| (k.to_string(), Value::from(*t)))
                .collect();
            let locale = json!({
                "kinds": kinds,
                "document": l.document,
                "types": types,
                "anyType": l.any_type,
                "or": l.or,
            });
            (l.tag.to_string(), locale)
        })
        .collect();
    Value::Object(all)
}

/// The machine-readable details of `error`, an error of `collection`, read
/// from the declared rules of its path and from its value:
/// `{maxlength, length}` (the value's UTF-16 length), `{values}` (enum),
/// `{min}`, `{max}`, `{type}` (cast: the path's type, `object` at the root,
/// `mixed` where no field is declared); `{}` for the other kinds.
pub fn params(collection: Collection, error: &FieldError) -> Map<String, Value> {
    let field = || form_field_at(collection, &error.path);
    let mut out = Map::new();
    match error.kind {
        ErrorKind::MaxLength => {
            if let Some(n) = field().and_then(|f| f.max_length) {
                out.insert("maxlength".into(), Value::from(n));
            }
            if let Some(Value::String(s)) = &error.value {
                out.insert("length".into(), Value::from(js::utf16_len(s)));
            }
        }
        ErrorKind::Enum => {
            let values = field().and_then(|f| f.values).unwrap_or_default();
            out.insert("values".into(), Value::from(values.to_vec()));
        }
        ErrorKind::Min => {
            if let Some(n) = field().and_then(|f| f.min) {
                out.insert("min".into(), js::number_value(n));
            }
        }
        ErrorKind::Max => {
            if let Some(n) = field().and_then(|f| f.max) {
                out.insert("max".into(), js::number_value(n));
            }
        }
        ErrorKind::Cast => {
            let kind = if error.path.is_empty() {
                "object"
            } else {
                field().map_or("mixed", |f| f.kind)
            };
            out.insert("type".into(), Value::from(kind));
        }
        ErrorKind::Required | ErrorKind::MinLength | ErrorKind::Regexp | ErrorKind::UserDefined => {
        }
    }
    out
}

/// A path as a person reads it: words split at camelCase, `_` and `-`,
/// array positions counted from 1, the first letter capitalised
/// (`messages.0.role` -> `Messages 1 role`, `socialLinks.github` ->
/// `Social links github`).
pub fn label_of(path: &str) -> String {
    if path.is_empty() {
        return String::new();
    }
    let mut words: Vec<String> = Vec::new();
    for seg in path.split('.') {
        if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
            words.push(js::number_to_string(js::string_to_number(seg) + 1.0));
            continue;
        }
        // A space between a lowercase letter or digit and the uppercase letter after it.
        let mut spaced = String::with_capacity(seg.len() + 4);
        let mut prev: Option<char> = None;
        for c in seg.chars() {
            if c.is_ascii_uppercase()
                && prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
            {
                spaced.push(' ');
            }
            spaced.push(c);
            prev = Some(c);
        }
        words.extend(
            spaced
                .to_lowercase()
                .split(|c: char| js::is_whitespace(c) || c == '_' || c == '-')
                .filter(|w| !w.is_empty())
                .map(str::to_string),
        );
    }
    let text = words.join(" ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

/// The message for a person of `error` in `locale`, its `params` given
/// ([`params`]): the kind's template, or Mongoose's message for a kind the
/// locale has no template for.
pub fn format(locale: &Locale, error: &FieldError, params: &Map<String, Value>) -> String {
    let label = label_of(&error.path);
    let template = if error.kind == ErrorKind::Cast && label.is_empty() {
        Some(locale.document)
    } else {
        locale.template(error.kind)
    };
    let Some(template) = template else {
        return error.message.clone();
    };
    let lookup = |name: &str| -> Option<String> {
        match name {
            "label" => Some(label.clone()).filter(|l| !l.is_empty()),
            "message" => Some(error.message.clone()),
            "type" => params.get("type").map(|t| {
                let t = t.as_str().unwrap_or_default();
                let named = locale.types.iter().find(|(k, _)| *k == t);
                named.map_or(locale.any_type, |(_, n)| n).to_string()
            }),
            _ => params.get(name).map(|v| value_text(v, locale)),
        }
    };
    render(template, &lookup)
}

/// A param as a template writes it.
fn value_text(v: &Value, locale: &Locale) -> String {
    match v {
        Value::Number(n) => js::number_to_string(js::as_f64(n)),
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let quoted: Vec<String> = items
                .iter()
                .map(|x| format!("\"{}\"", value_text(x, locale)))
                .collect();
            match quoted.split_last() {
                Some((last, rest)) if !rest.is_empty() => {
                    format!("{} {} {last}", rest.join(", "), locale.or)
                }
                _ => quoted.concat(),
            }
        }
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Fills the placeholders of `template` (see the module's syntax).
fn render(template: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = closing_brace(after) else {
            // An unmatched `{` is text.
            out.push_str(&rest[open..]);
            return out;
        };
        let inner = &after[..close];
        match inner.split_once('?') {
            Some((name, text)) if !name.contains('{') => {
                if lookup(name).is_some() {
                    out.push_str(&render(text, lookup));
                }
            }
            _ => out.push_str(&lookup(inner).unwrap_or_default()),
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The position of the `}` that closes a placeholder whose `{` precedes `s`.
fn closing_brace(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return Some(i),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The built-in locale an `Accept-Language` header asks for: its language
/// ranges by decreasing `q` (1 when absent; `q=0` means "not this"), each
/// matched by its tag or its primary subtag (`fr-CA` -> `fr`), case
/// insensitively; `*` is the first locale (English). `None` when the header
/// names no language the crate has.
pub fn negotiate(accept_language: &str) -> Option<&'static Locale> {
    let mut ranges: Vec<(f64, &str)> = accept_language
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let tag = parts.next()?.trim();
            let mut q = 1.0;
            for p in parts {
                if let Some((k, v)) = p.split_once('=') {
                    if k.trim().eq_ignore_ascii_case("q") {
                        q = v
                            .trim()
                            .parse::<f64>()
                            .ok()
                            .filter(|q| (0.0..=1.0).contains(q))?;
                    }
                }
            }
            (!tag.is_empty() && q > 0.0).then_some((q, tag))
        })
        .collect();
    // Stable: equal weights keep the header's order.
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranges.into_iter().find_map(|(_, tag)| {
        if tag == "*" {
            return LOCALES.first();
        }
        let tag = tag.to_ascii_lowercase();
        let primary = tag.split('-').next().unwrap_or_default();
        Locale::get(&tag).or_else(|| Locale::get(primary))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn error(path: &str, kind: ErrorKind, value: Option<Value>) -> FieldError {
        FieldError::new(path, kind, "Mongoose's own words.".into(), value)
    }

    fn en() -> &'static Locale {
        Locale::get("en").unwrap()
    }

    fn fr() -> &'static Locale {
        Locale::get("fr").unwrap()
    }

    #[test]
    fn params_from_the_declarations() {
        // Expected values read from the spec: users.bio maxlength 500,
        // users.role enum, toolreviews.rating min 1 max 5.
        let bio = error("bio", ErrorKind::MaxLength, Some(json!("🤖".repeat(251))));
        assert_eq!(
            Value::Object(params(Collection::Users, &bio)),
            json!({"maxlength": 500, "length": 502})
        );
        let role = error("role", ErrorKind::Enum, Some(json!("boss")));
        assert_eq!(
            Value::Object(params(Collection::Users, &role)),
            json!({"values": ["user", "admin", "moderator"]})
        );
        let rating = error("rating", ErrorKind::Min, Some(json!(0)));
        assert_eq!(
            Value::Object(params(Collection::ToolReviews, &rating)),
            json!({"min": 1})
        );
        let rating = error("rating", ErrorKind::Max, Some(json!(6)));
        assert_eq!(
            Value::Object(params(Collection::ToolReviews, &rating)),
            json!({"max": 5})
        );
        let nested = error("messages.3.role", ErrorKind::Enum, None);
        assert_eq!(
            Value::Object(params(Collection::ChatSessions, &nested)),
            json!({"values": ["user", "assistant"]})
        );
        let cast = error("emailVerified", ErrorKind::Cast, Some(json!("maybe")));
        assert_eq!(
            Value::Object(params(Collection::Users, &cast)),
            json!({"type": "boolean"})
        );
        let root = error("", ErrorKind::Cast, None);
        assert_eq!(
            Value::Object(params(Collection::Users, &root)),
            json!({"type": "object"})
        );
        let unknown = error("nope.deeper", ErrorKind::Cast, None);
        assert_eq!(
            Value::Object(params(Collection::Users, &unknown)),
            json!({"type": "mixed"})
        );
        let required = error("email", ErrorKind::Required, None);
        assert!(params(Collection::Users, &required).is_empty());
    }

    #[test]
    fn labels() {
        assert_eq!(label_of("bio"), "Bio");
        assert_eq!(label_of("socialLinks.github"), "Social links github");
        assert_eq!(label_of("messages.0.role"), "Messages 1 role");
        assert_eq!(label_of("metadata.author.id"), "Metadata author id");
        assert_eq!(label_of("two_factor-code"), "Two factor code");
        assert_eq!(label_of("emailVerified"), "Email verified");
        assert_eq!(label_of(""), "");
    }

    #[test]
    fn sentences_by_hand() {
        let bio = error("bio", ErrorKind::MaxLength, Some(json!("x".repeat(510))));
        let p = params(Collection::Users, &bio);
        assert_eq!(
            format(en(), &bio, &p),
            "Bio must be at most 500 characters (510 now)."
        );
        assert_eq!(
            format(fr(), &bio, &p),
            "Bio doit comporter au plus 500 caractères (510 actuellement)."
        );
        // No value: no "(n now)".
        let bio = error("bio", ErrorKind::MaxLength, None);
        let p = params(Collection::Users, &bio);
        assert_eq!(
            format(en(), &bio, &p),
            "Bio must be at most 500 characters."
        );
        let role = error("role", ErrorKind::Enum, Some(json!("boss")));
        let p = params(Collection::Users, &role);
        assert_eq!(
            format(en(), &role, &p),
            "Role must be one of \"user\", \"admin\" or \"moderator\"."
        );
        assert_eq!(
            format(fr(), &role, &p),
            "Role doit être \"user\", \"admin\" ou \"moderator\"."
        );
        let cast = error("emailVerified", ErrorKind::Cast, Some(json!("maybe")));
        let p = params(Collection::Users, &cast);
        assert_eq!(
            format(en(), &cast, &p),
            "Email verified must be true or false."
        );
        assert_eq!(
            format(fr(), &cast, &p),
            "Email verified doit être vrai ou faux."
        );
        let root = error("", ErrorKind::Cast, None);
        let p = params(Collection::Users, &root);
        assert_eq!(format(en(), &root, &p), "The document must be an object.");
        assert_eq!(format(fr(), &root, &p), "Le document doit être un objet.");
        let custom = FieldError::user_defined("email", "Invalid email format", None);
        assert_eq!(format(fr(), &custom, &Map::new()), "Invalid email format");
        let rating = error("rating", ErrorKind::Min, Some(json!(0)));
        let p = params(Collection::ToolReviews, &rating);
        assert_eq!(format(fr(), &rating, &p), "Rating doit être au moins 1.");
    }

    #[test]
    fn template_syntax() {
        let lookup = |name: &str| match name {
            "a" => Some("A".to_string()),
            _ => None,
        };
        assert_eq!(render("x{a}y", &lookup), "xAy");
        assert_eq!(render("x{b}y", &lookup), "xy");
        assert_eq!(render("{a? ({a} now)}.", &lookup), " (A now).");
        assert_eq!(render("{b? ({b} now)}.", &lookup), ".");
        assert_eq!(render("open { brace", &lookup), "open { brace");
    }

    #[test]
    fn accept_language() {
        let tag = |h: &str| negotiate(h).map(|l| l.tag);
        assert_eq!(tag("fr"), Some("fr"));
        assert_eq!(tag("fr-CA"), Some("fr"));
        assert_eq!(tag("FR-ca, en;q=0.5"), Some("fr"));
        assert_eq!(tag("de, fr;q=0.8, en;q=0.9"), Some("en"));
        assert_eq!(tag("en;q=0.1, fr;q=0.2"), Some("fr"));
        assert_eq!(tag("fr;q=0, en;q=0.3"), Some("en"));
        assert_eq!(tag("de"), None);
        assert_eq!(tag("de, *;q=0.1"), Some("en"));
        assert_eq!(tag(""), None);
        assert_eq!(tag("fr;q=abc"), None);
    }

    #[test]
    fn every_locale_has_every_kind_and_type() {
        let kinds = ErrorKind::ALL;
        let types = en().types.iter().map(|(t, _)| *t).collect::<Vec<_>>();
        for l in LOCALES {
            for k in kinds {
                assert!(l.template(k).is_some(), "{} lacks {k:?}", l.tag);
            }
            let mine = l.types.iter().map(|(t, _)| *t).collect::<Vec<_>>();
            assert_eq!(mine, types, "{}", l.tag);
        }
    }
}
