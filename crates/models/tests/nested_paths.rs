//! Property tests that reach every declared path: real documents (the
//! vectors' valid inputs) mutated at one path of the schema (a nested
//! object's field, an array subdocument's field, a map value, a Mixed value,
//! the containers themselves), with the value forms casting cares about.
//! Thousands of cases per collection; what needs no oracle is checked here:
//! - a verdict always comes, the same on the text path (the package's);
//! - a mutation at a path only makes errors under that path's top-level
//!   field (and, for users, the spec's cross-field rules);
//! - a valid result stays valid when validated again, with every value it
//!   had (defaults an ignored nested value suppressed may fill in);
//! - an error on a secret path never carries the value.
//!
//! Whether each answer is Mongoose's is what the differential fuzzer checks
//! with the same kind of mutations against real Mongoose
//! (`tools/differential.sh`, a fixed-seed slice of it in `tools/test.sh`).

use onelastai_models::engine::{Kind, Schema};
use onelastai_models::json::{self, Json};
use onelastai_models::{Collection, Date};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

#[path = "support/vectors.rs"]
mod vectors;

fn now() -> Date {
    Date::from_millis(1_705_314_600_000).unwrap_or_else(|| unreachable!("in range"))
}

/// One declared path: segments, `#` for an array index, `*` for a map key.
fn paths(schema: &Schema, prefix: &[&'static str], out: &mut Vec<Vec<&'static str>>) {
    for f in schema.fields {
        let mut p = prefix.to_vec();
        p.push(f.name);
        out.push(p.clone());
        match &f.kind {
            Kind::Object(inner) => paths(inner, &p, out),
            Kind::Array(Kind::Object(inner)) => {
                p.push("#");
                out.push(p.clone());
                paths(inner, &p, out);
            }
            Kind::Array(_) => {
                p.push("#");
                out.push(p);
            }
            Kind::Map(_) => {
                p.push("*");
                out.push(p);
            }
            _ => {}
        }
    }
}

/// Sets `value` at `path` in `doc`, creating what is missing on the way.
fn set(doc: &mut Value, path: &[&str], value: Value) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    let slot = match (doc, *first) {
        (Value::Array(items), "#") => {
            if items.is_empty() {
                items.push(json!({}));
            }
            &mut items[0]
        }
        (Value::Object(m), "*") => m.entry("k").or_insert(Value::Null),
        (Value::Object(m), key) => m.entry(key).or_insert(Value::Null),
        _ => return,
    };
    if rest.is_empty() {
        *slot = value;
        return;
    }
    let wants_array = rest[0] == "#";
    if wants_array && !slot.is_array() {
        *slot = json!([]);
    } else if !wants_array && !slot.is_object() {
        *slot = json!({});
    }
    set(slot, rest, value);
}

/// The value forms of the differential fuzzer, as JSON.
fn value_form() -> impl Strategy<Value = Value> {
    let strings = prop_oneof![
        Just("42"),
        Just(" 42 "),
        Just("1e3"),
        Just("0x1F"),
        Just("Infinity"),
        Just("1e400"),
        Just(""),
        Just("   "),
        Just("true"),
        Just("yes"),
        Just("no"),
        Just("0"),
        Just("2024-01-15"),
        Just("Jan 15 2024"),
        Just("Thu, 31 Jul 1987 22:16:41 GMT-0530"),
        Just("2024-02-30"),
        Just("12"),
        Just("95177"),
        Just("65a1b2c3d4e5f6a7b8c9d0e1"),
        Just("65A1B2C3D4E5F6A7B8C9D0E1"),
        Just("user"),
        Just("active"),
        Just("monthly"),
        Just("🤖é\u{0}\u{2028}"),
    ]
    .prop_map(|s| Value::String(s.to_string()));
    let leaf = prop_oneof![
        strings,
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        prop_oneof![
            Just(0.0),
            Just(-1.0),
            Just(5.5),
            Just(100.1),
            Just(1.7e15),
            Just(9e15)
        ]
        .prop_map(|n| json!(n)),
        "[a-zA-Z0-9 ]{0,120}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            inner.clone().prop_map(|v| json!({ "_id": v })),
            prop::collection::vec(("[a-z$.]{1,6}", inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// The base documents of a collection: the vectors' valid inputs.
fn bases(c: Collection) -> Vec<Value> {
    vectors::cases(c.name())
        .into_iter()
        .filter(|case| case["valid"] == true)
        .map(|case| case["input"].clone())
        .collect()
}

/// Whether `big` holds every value of `small` (objects compared key by key).
fn contains(big: &Value, small: &Value) -> bool {
    match (big, small) {
        (Value::Object(b), Value::Object(s)) => s
            .iter()
            .all(|(k, v)| b.get(k).is_some_and(|x| contains(x, v))),
        (Value::Array(b), Value::Array(s)) => {
            b.len() == s.len() && b.iter().zip(s).all(|(x, y)| contains(x, y))
        }
        (b, s) => b == s,
    }
}

/// Each collection's base documents and declared paths, read once.
#[allow(clippy::type_complexity)]
fn targets() -> &'static [(Vec<Value>, Vec<Vec<&'static str>>)] {
    static TARGETS: std::sync::OnceLock<Vec<(Vec<Value>, Vec<Vec<&'static str>>)>> =
        std::sync::OnceLock::new();
    TARGETS.get_or_init(|| {
        Collection::ALL
            .into_iter()
            .map(|c| {
                let mut all = Vec::new();
                paths(c.schema(), &[], &mut all);
                (bases(c), all)
            })
            .collect()
    })
}

fn check(c: Collection, path: &[&str], input: &Value) -> Result<(), TestCaseError> {
    let result = c.validate(input, now());
    // The text path gives the same answer.
    let text = serde_json::to_string(input).unwrap_or_default();
    let tree = json::parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
    let fast = c
        .validate_json(&tree, now())
        .map(|doc| serde_json::from_str::<Value>(&Json::Object(doc).to_text()).ok());
    prop_assert_eq!(
        &fast,
        &result.clone().map(|d| Some(Value::Object(d))),
        "{}: text path",
        c
    );
    match result {
        Ok(doc) => {
            // Valid again, keeping every value (defaults a nested object's
            // odd value suppressed the first time may now fill in).
            // A required Mixed `{}` is valid and minimised away: validated
            // again, only such paths may be missing.
            let doc = Value::Object(doc);
            let again = c.validate(&doc, now()).map(Value::Object);
            let explained = match &again {
                Ok(a) => contains(a, &doc),
                Err(errors) => errors.iter().all(|e| {
                    e.kind == onelastai_models::ErrorKind::Required
                        && doc
                            .pointer(&format!("/{}", e.path.replace('.', "/")))
                            .is_none()
                }),
            };
            prop_assert!(
                explained,
                "{}: validated again, {} became {:?} (input {})",
                c,
                doc,
                again,
                input
            );
        }
        Err(errors) => {
            prop_assert!(!errors.is_empty());
            let top = path[0];
            let cross_field: &[&str] = if c == Collection::Users {
                &["email", "password", "backupCodes"]
            } else {
                &[]
            };
            for e in &errors {
                let first = e.path.split('.').next().unwrap_or_default();
                prop_assert!(
                    first == top || cross_field.contains(&first),
                    "{}: mutating {} gave an error at {} ({}) for {}",
                    c,
                    path.join("."),
                    e.path,
                    e.message,
                    input
                );
                let secret = c.schema().field(first).is_some_and(|f| f.rules.secret);
                prop_assert!(
                    !secret || e.value.is_none(),
                    "{}: a secret value echoed at {}",
                    c,
                    e.path
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    /// 2,048 mutations per collection, at every declared path.
    #[test]
    fn mutations_at_every_path(base_pick in any::<prop::sample::Index>(),
                               path_pick in any::<prop::sample::Index>(),
                               value in value_form()) {
        for (i, c) in Collection::ALL.into_iter().enumerate() {
            let (bases, all) = &targets()[i];
            let path = &all[path_pick.index(all.len())];
            let mut doc = bases[base_pick.index(bases.len())].clone();
            set(&mut doc, path, value.clone());
            check(c, path, &doc)?;
        }
    }
}

#[test]
fn every_collection_has_nested_paths_to_reach() {
    for c in Collection::ALL {
        let mut all = Vec::new();
        paths(c.schema(), &[], &mut all);
        assert!(!bases(c).is_empty(), "{c}: no valid vector to mutate");
        assert!(all.len() >= 4, "{c}: {} paths", all.len());
    }
    let mut tools = Vec::new();
    paths(Collection::Tools.schema(), &[], &mut tools);
    assert!(tools.contains(&vec!["config", "inputs", "#", "validation", "min"]));
}
