//! What the fuzz targets share: how a byte picks a collection, the
//! differential check of the JSON reader against serde_json, and the rule a
//! list query's filter must keep.
//!
//! The targets panic (through `assert!`/`panic!`) on a finding: libFuzzer
//! then saves the input under `fuzz/artifacts/<target>/`.

use bson::{Bson, Document};
use onelastai_models::json::{self, Json};
use onelastai_models::Collection;
use serde_json::Value;

/// The collections in name order: the order of `tests/vectors/*.json` that
/// `fuzz/seed.mjs` numbers them in, so a seed's first byte names the
/// collection its vector belongs to.
pub fn collections() -> [Collection; 17] {
    let mut all = Collection::ALL;
    all.sort_by_key(|c| c.name());
    all
}

/// The collection a selector byte picks.
pub fn collection(selector: u8) -> Collection {
    let all = collections();
    all[usize::from(selector) % all.len()]
}

/// The reason [`json::parse`] gives for a lone surrogate escape, which
/// [`json::parse_stringified`] reads as U+FFFD instead.
const LONE_SURROGATE: &str = "lone surrogate in \\u escape";

/// The same tree: numbers by their bits (`-0` is not `0`), objects in order.
fn same(a: &Json<'_>, b: &Json<'_>) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x.to_bits() == y.to_bits(),
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, a), (kb, b))| ka == kb && same(a, b))
        }
        _ => a == b,
    }
}

/// Repeated keys folded as [`json::parse`] folds them: the last value in the
/// first one's place.
fn fold_repeated_keys(v: Json<'_>) -> Json<'_> {
    match v {
        Json::Array(items) => Json::Array(items.into_iter().map(fold_repeated_keys).collect()),
        Json::Object(pairs) => {
            let mut out: json::Object<'_> = Vec::with_capacity(pairs.len());
            for (k, v) in pairs {
                let v = fold_repeated_keys(v);
                match out.iter_mut().find(|(key, _)| *key == k) {
                    Some(slot) => slot.1 = v,
                    None => out.push((k, v)),
                }
            }
            Json::Object(out)
        }
        v => v,
    }
}

/// [`json::parse`] accepts `text` exactly when serde_json does (its default
/// recursion limit refuses the 128th level, the reader's `MAX_DEPTH` is 127:
/// deep texts are compared as they are), and reads the same tree from it;
/// [`json::parse_stringified`] reads it the same way but for lone surrogates
/// and repeated keys. Panics on a difference.
pub fn json_differential(text: &str) {
    let ours = json::parse(text);
    let theirs = serde_json::from_str::<Value>(text);
    match (&ours, &theirs) {
        (Ok(o), Ok(t)) => {
            let t = Json::from_value(t);
            assert!(same(o, &t), "{text:?}: read {o:?}, serde_json {t:?}");
            assert_eq!(o.to_value(), t.to_value(), "{text:?}");
            // What the writer writes reads back as the same tree (as
            // JavaScript numbers: `-0` is written `0`, as JSON.stringify does).
            let again = o.to_text();
            match json::parse(&again) {
                Ok(back) => assert!(*o == back, "{text:?}: written as {again:?}"),
                Err(e) => panic!("{text:?}: written as {again:?}, which does not read: {e}"),
            }
        }
        (Err(_), Err(_)) => {}
        _ => panic!("{text:?}: the reader says {ours:?}, serde_json {theirs:?}"),
    }
    match (&ours, json::parse_stringified(text)) {
        (Ok(o), Ok(s)) => {
            let s = fold_repeated_keys(s);
            assert!(
                same(o, &s),
                "{text:?}: parse {o:?}, parse_stringified {s:?}"
            );
        }
        (Ok(_), Err(e)) => panic!("{text:?}: parse accepts, parse_stringified says {e:?}"),
        (Err(e), _) if e.reason == LONE_SURROGATE => {}
        (Err(e), s) => assert_eq!(s.as_ref().err(), Some(e), "{text:?}"),
    }
}

/// The operators the keyset condition of a cursor writes, and nothing else:
/// `$and`/`$or` over documents, `$gt`/`$lt`/`$ne` on a field.
const COMBINATORS: [&str; 2] = ["$and", "$or"];
const COMPARISONS: [&str; 3] = ["$gt", "$lt", "$ne"];

/// Why a list query's filter is not one the server may send: an operator
/// other than the keyset's, or a document, array, regular expression or
/// JavaScript value under a field (an operator a client smuggled in through a
/// filter value or a cursor). `None` when it is clean.
pub fn filter_violation(filter: &Document) -> Option<String> {
    for (key, value) in filter {
        if COMBINATORS.contains(&key.as_str()) {
            let Bson::Array(items) = value else {
                return Some(format!("`{key}` holds {value}, not an array"));
            };
            for item in items {
                let Bson::Document(d) = item else {
                    return Some(format!("`{key}` holds {item}, not a document"));
                };
                if let Some(why) = filter_violation(d) {
                    return Some(why);
                }
            }
        } else if key.starts_with('$') {
            return Some(format!("operator `{key}` at the top of the filter"));
        } else {
            match value {
                Bson::Document(ops) => {
                    for (op, operand) in ops {
                        if !COMPARISONS.contains(&op.as_str()) {
                            return Some(format!("`{key}` holds {{{op}: ...}}: {value}"));
                        }
                        if let Some(why) = plain_value(key, operand) {
                            return Some(why);
                        }
                    }
                }
                v => {
                    if let Some(why) = plain_value(key, v) {
                        return Some(why);
                    }
                }
            }
        }
    }
    None
}

/// A value compared with a field must be a scalar: a document or an array
/// matches structurally (or carries operators), a regular expression
/// matches as a pattern, JavaScript runs.
fn plain_value(key: &str, v: &Bson) -> Option<String> {
    match v {
        Bson::Document(_)
        | Bson::Array(_)
        | Bson::RegularExpression(_)
        | Bson::JavaScriptCode(_)
        | Bson::JavaScriptCodeWithScope(_) => Some(format!("`{key}` compared with {v}")),
        _ => None,
    }
}
