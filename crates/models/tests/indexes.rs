//! The spec's indexes as data: names, key order, options, de-duplication.

use onelastai_models::{Collection, IndexSpec};

fn find(c: Collection, name: &str) -> IndexSpec {
    c.indexes()
        .into_iter()
        .find(|i| i.name == name)
        .unwrap_or_else(|| panic!("{c}: no index {name}"))
}

#[test]
fn names_follow_mongodb_and_keys_keep_their_order() {
    let ix = find(Collection::Users, "isActive_1_lastLoginAt_-1");
    assert_eq!(
        ix.keys,
        vec![("isActive".to_string(), 1), ("lastLoginAt".to_string(), -1)]
    );
    assert!(!ix.unique && !ix.sparse);
    let ix = find(Collection::Tools, "metadata.slug_1");
    assert!(ix.unique, "field-level unique inside a nested object");
    let ix = find(Collection::UserAchievements, "achievements.category_1");
    assert_eq!(
        ix.fields().collect::<Vec<_>>(),
        vec!["achievements.category"]
    );
}

#[test]
fn indexes_declared_twice_are_kept_once() {
    for c in Collection::ALL {
        let all = c.indexes();
        for (i, a) in all.iter().enumerate() {
            assert!(
                all[i + 1..].iter().all(|b| b.name != a.name),
                "{c}: {} declared twice",
                a.name
            );
        }
    }
    // `id: { unique: true }` and `index({ id: 1 }, { unique: true })`.
    let ids: Vec<_> = Collection::Users
        .indexes()
        .into_iter()
        .filter(|i| i.name == "id_1")
        .collect();
    assert_eq!(ids.len(), 1);
    assert!(ids[0].unique);
}

#[test]
fn stripe_subscription_id_stays_sparse() {
    // Field level: { sparse: true, index: true }; .index({ stripeSubscriptionId: 1 }) without
    // options. The first declaration is the one a Mongoose-built database holds.
    let ix = find(Collection::Subscriptions, "stripeSubscriptionId_1");
    assert!(ix.sparse && !ix.unique);
}

/// Every collection's indexes are Mongoose's own list (`schema.indexes()`,
/// written by `tests/mongoose/generate-vectors.js` into
/// `tests/vectors/indexes/mongoose.json`): the same keys in the same order
/// and the same `unique` and `sparse` options, after the documented
/// de-duplication (a key pattern declared twice is created once, with the
/// first declaration's options: COMPATIBILITY.md, `stripe-index-sparse`).
/// `background` is Mongoose's default for every index and means nothing to
/// MongoDB 4.2 and later; any other option would be one the crate cannot
/// declare, and fails the test.
#[test]
fn indexes_are_the_ones_mongoose_declares() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/vectors/indexes/mongoose.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let all: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut diffs = Vec::new();
    for c in Collection::ALL {
        let Some(declared) = all[c.name()].as_array() else {
            diffs.push(format!("{c}: not in the file"));
            continue;
        };
        let mut want: Vec<IndexSpec> = Vec::new();
        for entry in declared {
            let (Some(keys), Some(options)) = (entry[0].as_object(), entry[1].as_object()) else {
                diffs.push(format!("{c}: unreadable entry {entry}"));
                continue;
            };
            for option in options.keys() {
                if !matches!(option.as_str(), "unique" | "sparse" | "background") {
                    diffs.push(format!("{c}: option {option} the crate cannot declare"));
                }
            }
            let keys: Vec<(String, i32)> = keys
                .iter()
                .map(|(k, d)| (k.clone(), d.as_i64().unwrap_or(0) as i32))
                .collect();
            if want.iter().any(|w| w.keys == keys) {
                continue;
            }
            let flag =
                |name: &str| options.get(name).and_then(serde_json::Value::as_bool) == Some(true);
            let name = keys
                .iter()
                .map(|(k, d)| format!("{k}_{d}"))
                .collect::<Vec<_>>()
                .join("_");
            want.push(IndexSpec {
                name,
                keys,
                unique: flag("unique"),
                sparse: flag("sparse"),
            });
        }
        let got = c.indexes();
        if got != want {
            diffs.push(format!("{c}:\n  crate:    {got:?}\n  mongoose: {want:?}"));
        }
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}
