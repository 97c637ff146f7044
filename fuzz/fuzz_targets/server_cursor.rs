//! A list query as a client could send it, into `query::parse`: it never
//! panics, and a filter it accepts holds no operator but the keyset's
//! (`$and`, `$or`, `$gt`, `$lt`, `$ne`) and compares every field with a plain
//! value: a crafted cursor or filter never puts `$regex`, `$in`, `$exists`,
//! `$where`, a document or an array into the query.
//!
//! The input:
//! - byte 0 picks the collection (name order, as `fuzz/seed.mjs` numbers them);
//! - byte 1: bit 0 sorts descending; bit 1 sends line 0 as the cursor token
//!   as it is; bit 2 gives the cursor the other direction; bits 3 to 7 pick
//!   the sort field among the sortable ones;
//! - the rest, as text, in lines: line 0 is the cursor's last sort value as
//!   JSON text (a string when it is not JSON) or the raw token; line 1 the
//!   cursor's `_id` (empty: a valid ObjectId); every further line a query
//!   pair `key=value` (filters, `limit`, even a second `sort` or `cursor`).

#![no_main]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use libfuzzer_sys::fuzz_target;
use onelastai_fuzz::{collection, filter_violation};
use onelastai_server::query;
use onelastai_server::resource::Resource;
use serde_json::{json, Value};

fuzz_target!(|data: &[u8]| {
    let [selector, flags, rest @ ..] = data else {
        return;
    };
    let res = Resource::of(collection(*selector));
    let fields = query::sortable_fields(&res);
    let field = &fields[usize::from(flags >> 3) % fields.len()];
    let descending = flags & 1 == 1;
    let sort = if descending {
        format!("-{field}")
    } else {
        field.clone()
    };
    let text = String::from_utf8_lossy(rest);
    let mut lines = text.split('\n');
    let value = lines.next().unwrap_or_default();
    let id = match lines.next() {
        Some("") | None => "65a1b2c3d4e5f6a7b8c9d0e1",
        Some(id) => id,
    };
    let cursor = if flags & 2 == 2 {
        value.to_string()
    } else {
        let v = serde_json::from_str::<Value>(value).unwrap_or_else(|_| Value::from(value));
        let d = if descending != (flags & 4 == 4) {
            -1
        } else {
            1
        };
        let token = json!({ "k": field, "d": d, "v": v, "id": id });
        URL_SAFE_NO_PAD.encode(token.to_string())
    };
    let mut pairs = vec![("sort".to_string(), sort), ("cursor".to_string(), cursor)];
    for line in lines {
        let (k, v) = line.split_once('=').unwrap_or((line, ""));
        pairs.push((k.to_string(), v.to_string()));
    }
    if let Ok(q) = query::parse(&res, &pairs) {
        if let Some(why) = filter_violation(&q.filter) {
            panic!(
                "{}: the filter carries what a client sent as an operator: {why}\nquery: {pairs:?}\nfilter: {}",
                res.collection, q.filter
            );
        }
    }
});
