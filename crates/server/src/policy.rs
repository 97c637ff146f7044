//! Who may do what: the models crate's access declarations
//! (`Collection::access`, `#[field(protected)]`) applied to a [`Caller`].
//!
//! - Reads: an admin reads everything; a collection readable by `anyone` is
//!   read by anyone; otherwise a signed-in user reads the documents it owns
//!   (plus the public ones, where the collection has a public flag) and an
//!   anonymous caller only the public ones. A document the caller may not
//!   read is a 404, never a 403: its existence is not disclosed.
//! - Writes: `anyone`, `owner` (a signed-in user, on its own documents; on
//!   create the owner field is filled with the caller's id, or must already
//!   hold it) or `admin`.
//! - Protected fields: a caller that is not an admin may not send one on
//!   create, nor change one on update (sending the stored value back is
//!   fine); `403 forbidden_field` names every such field.

use crate::auth::Caller;
use crate::error::{ApiError, Result};
use crate::resource::Resource;
use bson::{doc, Bson, Document};
use onelastai_models::access::{self, OwnerKey, Who};
use onelastai_models::engine::DefaultValue;
use onelastai_models::json::{Json, Object};
use serde_json::Value;
use std::borrow::Cow;

/// `Ok` for an admin (or the service token); `401` for an anonymous caller,
/// `403` with `refusal` for anyone else (routes for administrators only).
pub fn admin_only(caller: &Caller, refusal: &str) -> Result<()> {
    match caller {
        _ if caller.is_admin() => Ok(()),
        Caller::Anonymous { .. } => Err(ApiError::Unauthorized),
        _ => Err(ApiError::Forbidden(refusal.into())),
    }
}

/// The filter that limits what `caller` may read of `res`: `None` for
/// everything, or the documents matching it. Anonymous callers get 401 and
/// users 403 where they may read nothing at all.
pub fn read_filter(caller: &Caller, res: &Resource) -> Result<Option<Document>> {
    let access = res.collection.access();
    if caller.is_admin() || access.read == Who::Anyone {
        return Ok(None);
    }
    let public = access.public_flag.map(|flag| doc! { flag: true });
    let own = match (access.read, caller) {
        (Who::Owner, Caller::User(_)) => owner_filter(caller, res),
        _ => None,
    };
    match (public, own) {
        (Some(p), Some(o)) => Ok(Some(doc! { "$or": [p, o] })),
        (Some(p), None) => Ok(Some(p)),
        (None, Some(o)) => Ok(Some(o)),
        (None, None) => Err(refused(caller)),
    }
}

/// The filter of the documents `caller` owns in `res` (`None` for an admin:
/// every document; for a caller who can own nothing, a filter nothing matches).
pub fn owner_filter(caller: &Caller, res: &Resource) -> Option<Document> {
    if caller.is_admin() {
        return None;
    }
    let path = res.collection.access().owner?;
    let value = owner_value(caller, res, path).unwrap_or(Bson::Null);
    Some(if value == Bson::Null {
        // Nothing is owned by nobody.
        doc! { "_id": { "$exists": false } }
    } else {
        doc! { path: value }
    })
}

/// What `caller`'s documents hold in the owner field at `path`.
fn owner_value(caller: &Caller, res: &Resource, path: &str) -> Option<Bson> {
    let Caller::User(user) = caller else {
        return None;
    };
    Some(match access::owner_key(res.collection.schema(), path) {
        OwnerKey::ObjectId => Bson::ObjectId(user.oid),
        OwnerKey::AppId => Bson::String(user.id.clone()),
    })
}

/// 401 for an anonymous caller, 403 for a signed-in one.
fn refused(caller: &Caller) -> ApiError {
    match caller {
        Caller::Anonymous { .. } => ApiError::Unauthorized,
        _ => ApiError::Forbidden("your account may not do this; it needs an administrator".into()),
    }
}

/// Whether `caller` may perform a write `op` on `res` at all (the owner of
/// one document is checked by the handler).
pub fn may_write(caller: &Caller, res: &Resource, op: access::Operation) -> Result<()> {
    if caller.is_admin() {
        return Ok(());
    }
    match (res.collection.access().rule(op), caller) {
        (Who::Anyone, _) => Ok(()),
        (Who::Owner, Caller::User(_)) => Ok(()),
        _ => Err(refused(caller)),
    }
}

/// On create: fills the owner field of `input` with `caller`'s id when it is
/// absent or null, or refuses (403 `forbidden_owner`) a document owned by
/// someone else. An anonymous caller may create only unowned documents.
pub fn claim_ownership(caller: &Caller, res: &Resource, input: &mut Object<'_>) -> Result<()> {
    if caller.is_admin() {
        return Ok(());
    }
    let Some(path) = res.collection.access().owner else {
        return Ok(());
    };
    let given = access::values_at(input, path)
        .into_iter()
        .next()
        .map(|(_, v)| v.clone())
        .filter(|v| !v.is_null());
    let Some(mine) = owner_value(caller, res, path) else {
        return match given {
            None => Ok(()),
            Some(_) => Err(forbidden_owner()),
        };
    };
    let mine_text = match &mine {
        Bson::ObjectId(id) => id.to_hex(),
        Bson::String(s) => s.clone(),
        _ => String::new(),
    };
    match given {
        None => {
            set_path(input, path, Json::String(Cow::Owned(mine_text)));
            // An owner object such as a tool's `author: {id, name}` gets the
            // caller's display name too, when it has none.
            if let (Some((parent, _)), Caller::User(user)) = (path.rsplit_once('.'), caller) {
                let name_path = format!("{parent}.name");
                if access::values_at(input, &name_path).is_empty() {
                    let name = Json::String(Cow::Owned(user.display_name.clone()));
                    set_path(input, &name_path, name);
                }
            }
            Ok(())
        }
        Some(Json::String(s)) if s.eq_ignore_ascii_case(&mine_text) => Ok(()),
        Some(_) => Err(forbidden_owner()),
    }
}

/// After validation, on create: the document is owned by the caller (or by
/// nobody, for an anonymous caller). Catches what the input check cannot see,
/// such as a dotted key (`"metadata.author.id"`) that validation expands.
pub fn owned_by_caller(caller: &Caller, res: &Resource, doc: &Object<'_>) -> Result<()> {
    if caller.is_admin() {
        return Ok(());
    }
    let Some(path) = res.collection.access().owner else {
        return Ok(());
    };
    let held = access::values_at(doc, path)
        .into_iter()
        .next()
        .map(|(_, v)| v.to_value())
        .filter(|v| !v.is_null());
    let mine = owner_value(caller, res, path).map(|b| match b {
        Bson::ObjectId(id) => Value::String(id.to_hex()),
        Bson::String(s) => Value::String(s),
        _ => Value::Null,
    });
    if held == mine {
        Ok(())
    } else {
        Err(forbidden_owner())
    }
}

/// After validation, on create: protected fields that hold anything but
/// their declared default (a dotted key can reach a nested one). A field
/// whose default is the clock is checked on the input only.
pub fn protected_not_default(caller: &Caller, res: &Resource, doc: &Object<'_>) -> Vec<String> {
    if caller.is_admin() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (path, rules) in access::protected_fields(res.collection.schema()) {
        let default = match rules.default {
            None => None,
            Some(DefaultValue::Bool(b)) => Some(Value::Bool(b)),
            Some(DefaultValue::Number(n)) => Some(Json::Number(n).to_value()),
            Some(DefaultValue::Str(s)) => Some(Value::String(s.to_string())),
            Some(DefaultValue::Now) => continue,
        };
        for (at, v) in access::values_at(doc, &path) {
            let v = v.to_value();
            if !v.is_null() && Some(&v) != default.as_ref() {
                out.push(at);
            }
        }
    }
    out
}

/// On update: the owner field must still hold what was stored.
pub fn keeps_owner(
    caller: &Caller,
    res: &Resource,
    before: &Object<'_>,
    after: &Object<'_>,
) -> Result<()> {
    if caller.is_admin() {
        return Ok(());
    }
    let Some(path) = res.collection.access().owner else {
        return Ok(());
    };
    let value = |doc: &Object<'_>| {
        access::values_at(doc, path)
            .into_iter()
            .next()
            .map(|(_, v)| v.to_value())
    };
    if value(before) == value(after) {
        Ok(())
    } else {
        Err(forbidden_owner())
    }
}

fn forbidden_owner() -> ApiError {
    ApiError::ForbiddenOwner
}

/// Sets a dotted path in an object, making the objects on the way.
fn set_path<'a>(m: &mut Object<'a>, path: &str, value: Json<'a>) {
    let mut segments = path.split('.').peekable();
    let mut cur = m;
    while let Some(seg) = segments.next() {
        let at = match cur.iter().position(|(k, _)| k == seg) {
            Some(at) => at,
            None => {
                cur.push((Cow::Owned(seg.to_string()), Json::Null));
                cur.len() - 1
            }
        };
        if segments.peek().is_none() {
            cur[at].1 = value;
            return;
        }
        if !cur[at].1.is_object() {
            cur[at].1 = Json::Object(Vec::new());
        }
        let Json::Object(next) = &mut cur[at].1 else {
            return;
        };
        cur = next;
    }
}

/// The protected fields a caller that is not an admin sent (create: any
/// non-null value; update: a value that differs from `stored`), as concrete
/// paths. Empty for an admin.
pub fn protected_sent(
    caller: &Caller,
    res: &Resource,
    input: &Object<'_>,
    stored: Option<&Object<'_>>,
) -> Vec<String> {
    if caller.is_admin() {
        return Vec::new();
    }
    let stored_obj = stored;
    let mut out = Vec::new();
    for path in access::protected_paths(res.collection.schema()) {
        let sent = access::values_at(input, &path);
        match stored_obj {
            None => {
                for (at, v) in sent {
                    if !v.is_null() {
                        out.push(at);
                    }
                }
            }
            Some(before) => {
                let old: Vec<(String, Value)> = access::values_at(before, &path)
                    .into_iter()
                    .map(|(p, v)| (p, v.to_value()))
                    .collect();
                let new: Vec<(String, Value)> =
                    sent.into_iter().map(|(p, v)| (p, v.to_value())).collect();
                for (at, v) in &new {
                    let was = old.iter().find(|(p, _)| p == at).map(|(_, v)| v);
                    if was != Some(v) && !(was.is_none() && v.is_null()) {
                        out.push(at.clone());
                    }
                }
                for (at, _) in &old {
                    if !new.iter().any(|(p, _)| p == at) {
                        out.push(at.clone());
                    }
                }
            }
        }
    }
    out
}

/// The access table of `crates/server/README.md`, written from the models
/// crate's declarations (a test keeps the README equal to it).
pub fn access_table() -> String {
    use onelastai_models::Collection;
    let cell = |access: &onelastai_models::access::Access, op: access::Operation, who: &str| {
        let rule = access.rule(op);
        let public = access.public_flag.filter(|_| op == access::Operation::Read);
        match (who, rule) {
            (_, Who::Anyone) => "yes".to_string(),
            ("admin", _) => "yes".to_string(),
            ("user", Who::Owner) => match public {
                Some(flag) => format!("own, and `{flag}`"),
                None => "own".to_string(),
            },
            (_, _) => match public {
                Some(flag) => format!("`{flag}` only"),
                None => "no".to_string(),
            },
        }
    };
    let mut out = String::from(
        "| collection | owner field | anonymous: read / create / update / delete | user | admin | protected fields |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for c in Collection::ALL {
        let access = c.access();
        let row = |who: &str| {
            access::Operation::ALL
                .iter()
                .map(|op| cell(&access, *op, who))
                .collect::<Vec<_>>()
                .join(" / ")
        };
        let owner = match access.owner {
            Some(path) => match access::owner_key(c.schema(), path) {
                OwnerKey::ObjectId => format!("`{path}` (`_id`)"),
                OwnerKey::AppId => format!("`{path}`"),
            },
            None => "none".to_string(),
        };
        let protected = access::protected_paths(c.schema());
        let protected = if protected.is_empty() {
            "none".to_string()
        } else {
            protected
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push_str(&format!(
            "| `{}` | {owner} | {} | {} | {} | {protected} |\n",
            c.route(),
            row("anonymous"),
            row("user"),
            row("admin"),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const START: &str = "<!-- access-table: generated by `UPDATE_ACCESS_TABLE=1 cargo test -p onelastai-server access_table` -->\n";
    const END: &str = "<!-- /access-table -->";

    /// The README's table is the one the declarations give; with
    /// `UPDATE_ACCESS_TABLE=1` the test rewrites it instead.
    #[test]
    fn the_readme_access_table_is_generated_from_the_declarations() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
        let readme = std::fs::read_to_string(path).unwrap_or_default();
        let (Some(start), Some(end)) = (readme.find(START), readme.find(END)) else {
            panic!("README.md has no access-table markers")
        };
        let current = &readme[start + START.len()..end];
        let table = access_table();
        if std::env::var_os("UPDATE_ACCESS_TABLE").is_some() {
            let updated = format!("{}{START}{table}{}", &readme[..start], &readme[end..]);
            let _ = std::fs::write(path, updated);
            return;
        }
        assert_eq!(
            current, table,
            "crates/server/README.md's access table is stale: run UPDATE_ACCESS_TABLE=1 cargo test -p onelastai-server access_table"
        );
    }

    #[test]
    fn the_table_says_what_the_product_means() {
        // Spot checks written by hand: the full matrix is tests/api/policy.rs.
        let table = access_table();
        let row = |route: &str| {
            table
                .lines()
                .find(|l| l.starts_with(&format!("| `{route}` |")))
                .unwrap_or_default()
                .to_string()
        };
        assert!(row("tools").contains("`published` only / no / no / no"));
        assert!(row("users").contains("| no / no / no / no | own / no / own / own |"));
        assert!(row("subscription-plans").contains("| yes / no / no / no |"));
        assert!(row("subscriptions").contains("`price`"));
    }
}
