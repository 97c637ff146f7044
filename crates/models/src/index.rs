//! Indexes as data: what the spec declares, named as MongoDB names them.
//!
//! Field-level options (`unique`, `index`, `sparse`) come first, in field
//! order, then the schema's `.index()` calls, as Mongoose sends them to
//! `createIndex`. An index declared twice with the same keys is kept once:
//! the first declaration wins, which is what a database built by Mongoose
//! holds (the second `createIndex` with other options fails there). The only
//! such conflict in the spec is `subscriptions.stripeSubscriptionId`, sparse
//! at field level and non-sparse in `.index()`: it stays sparse (see
//! COMPATIBILITY.md).

use crate::engine::{Kind, Schema};
use serde::Serialize;

/// One index of a collection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct IndexSpec {
    /// MongoDB's default name: `key_dir` pairs joined by `_` (`isActive_1_lastLoginAt_-1`).
    pub name: String,
    /// Key paths and directions (1 or -1), in order.
    #[cfg_attr(feature = "typescript", tsify(type = "[string, number][]"))]
    pub keys: Vec<(String, i32)>,
    /// Unique index.
    pub unique: bool,
    /// Sparse index.
    pub sparse: bool,
}

impl IndexSpec {
    fn new(keys: Vec<(String, i32)>, unique: bool, sparse: bool) -> Self {
        let name = keys
            .iter()
            .map(|(k, d)| format!("{k}_{d}"))
            .collect::<Vec<_>>()
            .join("_");
        Self {
            name,
            keys,
            unique,
            sparse,
        }
    }

    /// The paths of the index's keys.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|(k, _)| k.as_str())
    }
}

/// Every index of a top-level schema, de-duplicated by key pattern.
pub fn indexes(schema: &Schema) -> Vec<IndexSpec> {
    let mut all = Vec::new();
    field_indexes(schema, "", &mut all);
    for decl in schema.indexes {
        let keys = decl
            .keys
            .iter()
            .map(|(k, d)| ((*k).to_string(), *d))
            .collect();
        all.push(IndexSpec::new(keys, decl.unique, decl.sparse));
    }
    let mut out: Vec<IndexSpec> = Vec::new();
    for ix in all {
        if !out.iter().any(|o| o.keys == ix.keys) {
            out.push(ix);
        }
    }
    out
}

fn field_indexes(schema: &Schema, prefix: &str, out: &mut Vec<IndexSpec>) {
    for f in schema.fields {
        let path = format!("{prefix}{}", f.name);
        let r = f.rules;
        if r.unique || r.index || r.sparse {
            out.push(IndexSpec::new(vec![(path.clone(), 1)], r.unique, r.sparse));
        }
        let nested = match &f.kind {
            Kind::Object(s) | Kind::Array(Kind::Object(s)) => Some(*s),
            _ => None,
        };
        if let Some(s) = nested {
            field_indexes(s, &format!("{path}."), out);
        }
    }
}

#[cfg(feature = "server")]
impl IndexSpec {
    /// The driver's view: keys in order, the name, `unique` and `sparse`.
    pub fn to_index_model(&self) -> mongodb::IndexModel {
        let mut keys = bson::Document::new();
        for (k, d) in &self.keys {
            keys.insert(k.clone(), *d);
        }
        let options = mongodb::options::IndexOptions::builder()
            .name(self.name.clone())
            .unique(self.unique.then_some(true))
            .sparse(self.sparse.then_some(true))
            .build();
        mongodb::IndexModel::builder()
            .keys(keys)
            .options(options)
            .build()
    }
}
