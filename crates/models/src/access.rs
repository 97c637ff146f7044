//! Who may do what with each collection: declared next to the fields, read
//! by every layer.
//!
//! A collection's `#[model(...)]` says who owns a document (`owner = "userId"`,
//! and whether that field holds the user's app `id` or its ObjectId `_id`),
//! who may read, create, update and delete (`read = anyone | owner | admin`,
//! and so on) and which boolean field makes a document public
//! (`public_flag = "isPublic"`). A field marked `#[field(protected)]` is set
//! by the server or an admin only: a signed-in user who sends one is refused.
//! The server enforces these; its README's access table is generated from
//! them (and a hand-written policy test checks the server against the
//! product's intent, not against these declarations).

use crate::engine::{Kind, Schema};
use crate::json::{Json, Object};

/// Who may perform an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// Anyone, signed in or not.
    Anyone,
    /// A signed-in user, on documents it owns (and admins on every document).
    Owner,
    /// Admins only: the service credential or a user whose role is `admin`.
    Admin,
}

impl Who {
    /// The word used in declarations and tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Who::Anyone => "anyone",
            Who::Owner => "owner",
            Who::Admin => "admin",
        }
    }
}

/// What the owner field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerKey {
    /// The user's application id (`users.id`, `user_...`).
    AppId,
    /// The user's document `_id` (an ObjectId).
    ObjectId,
}

/// A collection's access rules.
#[derive(Debug, Clone, Copy)]
pub struct Access {
    /// The dotted path of the field that ties a document to the user who owns
    /// it (`userId`, `metadata.author.id`; `id` for `users`, owned by
    /// itself), if anyone owns it. What it holds follows from its type
    /// ([`owner_key`]).
    pub owner: Option<&'static str>,
    /// Reading and listing.
    pub read: Who,
    /// Creating.
    pub create: Who,
    /// Updating.
    pub update: Who,
    /// Deleting.
    pub delete: Who,
    /// A boolean field: documents where it is `true` can be read by anyone.
    pub public_flag: Option<&'static str>,
}

impl Access {
    /// What an operation requires.
    pub fn rule(&self, op: Operation) -> Who {
        match op {
            Operation::Read => self.read,
            Operation::Create => self.create,
            Operation::Update => self.update,
            Operation::Delete => self.delete,
        }
    }
}

/// The four things a caller can do to a collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// Read one document or list them.
    Read,
    /// Create a document.
    Create,
    /// Change a document.
    Update,
    /// Delete a document.
    Delete,
}

impl Operation {
    /// All four, in table order.
    pub const ALL: [Operation; 4] = [
        Operation::Read,
        Operation::Create,
        Operation::Update,
        Operation::Delete,
    ];

    /// The operation's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Read => "read",
            Operation::Create => "create",
            Operation::Update => "update",
            Operation::Delete => "delete",
        }
    }
}

/// What a collection's owner field holds: an ObjectId field holds the user's
/// `_id`, any other its app `id`.
pub fn owner_key(schema: &Schema, path: &str) -> OwnerKey {
    match schema.resolve_scalar(path) {
        Some(p) if matches!(p.kind, Kind::ObjectId) => OwnerKey::ObjectId,
        _ => OwnerKey::AppId,
    }
}

/// The schema paths of the fields marked `protected`, with `.` between the
/// segments and without array positions (`metadata.allVersions.rating`).
pub fn protected_paths(schema: &Schema) -> Vec<String> {
    protected_fields(schema)
        .into_iter()
        .map(|(p, _)| p)
        .collect()
}

/// The fields marked `protected`, by schema path (as [`protected_paths`]), with their rules.
pub fn protected_fields(schema: &Schema) -> Vec<(String, crate::engine::Rules)> {
    fn walk(schema: &Schema, prefix: &str, out: &mut Vec<(String, crate::engine::Rules)>) {
        for f in schema.fields {
            let path = if prefix.is_empty() {
                f.name.to_string()
            } else {
                format!("{prefix}.{}", f.name)
            };
            if f.rules.protected {
                out.push((path, f.rules));
                continue;
            }
            let mut kind = &f.kind;
            if let Kind::Array(inner) = kind {
                kind = inner;
            }
            if let Kind::Object(s) = kind {
                walk(s, &path, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(schema, "", &mut out);
    out
}

/// Every value a document holds at a schema path (array positions filled in):
/// `(metadata.allVersions.0.rating, value)`. Absent values are left out.
pub fn values_at<'d, 'a>(doc: &'d Object<'a>, path: &str) -> Vec<(String, &'d Json<'a>)> {
    fn walk<'d, 'a>(
        v: &'d Json<'a>,
        segments: &[&str],
        at: String,
        out: &mut Vec<(String, &'d Json<'a>)>,
    ) {
        let Some((first, rest)) = segments.split_first() else {
            out.push((at, v));
            return;
        };
        match v {
            Json::Object(pairs) => {
                if let Some((_, child)) = pairs.iter().find(|(k, _)| k == first) {
                    walk(child, rest, join(&at, first), out);
                }
            }
            Json::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, segments, join(&at, &i.to_string()), out);
                }
            }
            _ => {}
        }
    }
    fn join(a: &str, b: &str) -> String {
        if a.is_empty() {
            b.to_string()
        } else {
            format!("{a}.{b}")
        }
    }
    let segments: Vec<&str> = path.split('.').collect();
    let mut out = Vec::new();
    let Some((first, rest)) = segments.split_first() else {
        return out;
    };
    if let Some((_, v)) = doc.iter().find(|(k, _)| k == first) {
        walk(v, rest, (*first).to_string(), &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Collection;

    #[test]
    fn protected_paths_reach_nested_and_array_fields() {
        let tools = protected_paths(Collection::Tools.schema());
        for p in [
            "verified",
            "featured",
            "metadata.downloads",
            "metadata.allVersions.rating",
        ] {
            assert!(tools.iter().any(|t| t == p), "{p} in {tools:?}");
        }
        assert!(!tools.iter().any(|t| t == "metadata.name"));
    }

    #[test]
    fn values_at_fills_in_array_positions() {
        let text = r#"{"metadata":{"allVersions":[{"rating":4},{"x":1},{"rating":5}]}}"#;
        let Ok(Json::Object(doc)) = crate::json::parse(text) else {
            panic!("parse")
        };
        let found: Vec<String> = values_at(&doc, "metadata.allVersions.rating")
            .into_iter()
            .map(|(p, v)| format!("{p}={}", v.to_text()))
            .collect();
        assert_eq!(
            found,
            [
                "metadata.allVersions.0.rating=4",
                "metadata.allVersions.2.rating=5"
            ]
        );
    }
}
