//! The one-pass transcoder (`engine::transcode`) against the tree walk it
//! stands in for: on every vector input, and on variants of each that
//! reorder keys, add unknown ones and drop fields, it either gives up or
//! writes exactly the text the tree walk writes, and it never passes a
//! document the walk refuses. The vectors' expected answers come from
//! Mongoose (tests/vectors.rs checks the walk against them); this file
//! checks that the transcoder adds nothing of its own.

#[path = "support/vectors.rs"]
mod vectors;

use onelastai_models::json::{self, Json};
use onelastai_models::{Collection, Date};
use serde_json::{Map, Value};

/// What the tree walk writes for `text`: the document's JSON text, or `None` when it refuses it.
fn walked(c: Collection, text: &str, now: Date) -> Option<String> {
    let tree = json::parse_stringified(text).ok()?;
    let doc = c.validate_json(&tree, now).ok()?;
    Some(Json::Object(doc).to_text())
}

/// What the transcoder writes for `text` (after a prefix it must keep).
fn transcoded(c: Collection, text: &str, now: Date) -> Option<String> {
    const PREFIX: &str = "{\"ok\":true,\"value\":";
    let mut out = String::from(PREFIX);
    let done = c.transcode(text, now, &mut out);
    assert!(
        out.starts_with(PREFIX),
        "{}: the prefix was changed",
        c.name()
    );
    if done {
        Some(out[PREFIX.len()..].to_string())
    } else {
        assert_eq!(out, PREFIX, "{}: a refusal left text behind", c.name());
        None
    }
}

/// Counts of one comparison run.
#[derive(Default, Debug)]
struct Tally {
    compared: usize,
    walk_passed: usize,
    transcoded: usize,
}

/// Compares the two on `input`; panics on any difference.
fn compare(c: Collection, what: &str, input: &Value, now: Date, tally: &mut Tally) {
    let text = input.to_string();
    let walk = walked(c, &text, now);
    let fast = transcoded(c, &text, now);
    tally.compared += 1;
    match (&walk, &fast) {
        (None, Some(out)) => panic!(
            "{} {what}: the walk refuses it, the transcoder wrote {out}\ninput: {text}",
            c.name()
        ),
        (Some(w), Some(f)) => assert_eq!(
            f,
            w,
            "{} {what}: the transcoder's text differs\ninput: {text}",
            c.name()
        ),
        _ => {}
    }
    tally.walk_passed += usize::from(walk.is_some());
    tally.transcoded += usize::from(fast.is_some());
}

/// `v` with every object's keys in reverse order.
fn reversed(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .rev()
                .map(|(k, x)| (k.clone(), reversed(x)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(reversed).collect()),
        other => other.clone(),
    }
}

/// `v` with an unknown key in every object, first and last.
fn with_unknown_keys(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            out.insert(
                "zzUnknownFirst".into(),
                serde_json::json!({"a": [1, {"b": null}], "c": "x\"y"}),
            );
            for (k, x) in m {
                out.insert(k.clone(), with_unknown_keys(x));
            }
            out.insert("zzUnknownLast".into(), Value::from(1.5));
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(with_unknown_keys).collect()),
        other => other.clone(),
    }
}

/// `v` without its `i`th top-level key.
fn without_key(v: &Value, i: usize) -> Option<Value> {
    let m = v.as_object()?;
    let key = m.keys().nth(i)?;
    let mut out = m.clone();
    out.remove(key);
    Some(Value::Object(out))
}

#[test]
fn transcoder_writes_what_the_walk_writes_or_gives_up() {
    let mut tally = Tally::default();
    let mut examples = 0;
    for c in Collection::ALL {
        for case in vectors::cases(c.name()) {
            let Some(now) = case["now"].as_str().and_then(Date::parse_iso) else {
                panic!("{}: a case without `now`", c.name());
            };
            let name = case["name"].as_str().unwrap_or_default().to_string();
            let input = &case["input"];
            compare(c, &name, input, now, &mut tally);
            compare(
                c,
                &format!("{name} (keys reversed)"),
                &reversed(input),
                now,
                &mut tally,
            );
            compare(
                c,
                &format!("{name} (unknown keys)"),
                &with_unknown_keys(input),
                now,
                &mut tally,
            );
            let keys = input.as_object().map_or(0, Map::len);
            for i in 0..keys {
                if let Some(v) = without_key(input, i) {
                    compare(c, &format!("{name} (without key {i})"), &v, now, &mut tally);
                }
            }
            if name == vectors::SPEC_EXAMPLE {
                examples += 1;
                let text = input.to_string();
                assert!(
                    transcoded(c, &text, now).is_some(),
                    "{}: the spec example is valid and plain: the transcoder must take it",
                    c.name()
                );
            }
        }
    }
    assert_eq!(examples, Collection::ALL.len());
    // The transcoder must do the work for most documents that pass, or it is not the fast path.
    assert!(
        tally.transcoded * 10 >= tally.walk_passed * 9,
        "the transcoder took only {} of {} passing documents",
        tally.transcoded,
        tally.walk_passed
    );
    println!("{tally:?}");
}

#[test]
fn text_the_reader_refuses_is_never_transcoded() {
    let now = Date::parse_iso("2024-01-15T10:30:00.000Z").unwrap_or_else(|| unreachable!());
    let example = vectors::spec_example("appconfigs").to_string();
    let bad = [
        format!("{example} x"),
        example.replace("\"ai_config\"", "\"ai_config"),
        example.replace("true", "tru"),
        example.replace(":", ""),
        format!("[{example}]"),
        "{\"key\":\"a\",\"value\":1,\"zz\":[1,]}".to_string(),
        "{\"key\":\"a\",\"value\":1,\"zz\":{\"a\" 1}}".to_string(),
        "{\"key\":\"a\",\"value\":1,\"zz\":\"\\x\"}".to_string(),
        format!(
            "{{\"key\":\"a\",\"value\":1,\"zz\":{}}}",
            "[".repeat(200) + &"]".repeat(200)
        ),
    ];
    for text in &bad {
        assert!(
            transcoded(Collection::AppConfigs, text, now).is_none(),
            "transcoded a text the reader refuses: {text}"
        );
    }
    // The same document, well formed, is taken: the cases above fail for their flaw alone.
    assert!(transcoded(Collection::AppConfigs, &example, now).is_some());
    assert!(transcoded(
        Collection::AppConfigs,
        "{\"key\":\"a\",\"value\":1,\"zz\":[1]}",
        now
    )
    .is_some());
}

/// Mixed values are copied as they came when the walk would write the same
/// text; on a table of values near each condition (numbers not in
/// JavaScript's form, escapes, empty objects, nesting at the limit), the
/// copy and the walk agree, and the plain ones are copied.
#[test]
fn mixed_values_copied_as_they_came_are_what_the_walk_writes() {
    let now = Date::parse_iso("2024-01-15T10:30:00.000Z").unwrap_or_else(|| unreachable!());
    let nested = |levels: usize| format!("{}1{}", "[".repeat(levels), "]".repeat(levels));
    let values = [
        // (the value's text, whether the transcoder must take it)
        ("1", true),
        ("-12.5", true),
        ("1e+21", true),
        ("1e-7", true),
        ("123456789012345", true),
        ("\"x\"", true),
        ("true", true),
        ("[]", true),
        ("[1,\"a\",[],[{\"b\":false}]]", true),
        (
            "{\"openai\":{\"apiKey\":\"\",\"model\":\"gpt-4\",\"enabled\":true}}",
            true,
        ),
        (&nested(100), true),
        // Written otherwise by the walk, or removed, or refused: the tree decides.
        // `value` is required: `null` is an error.
        ("null", false),
        ("-0", false),
        ("1.0", false),
        ("1E21", false),
        ("1e21", false),
        ("0.10", false),
        ("1234567890123456789", false),
        ("{}", false),
        ("{\"a\":{}}", false),
        ("[{}]", false),
        ("\"a\\nb\"", false),
        ("\"\\u0041\"", false),
        ("{\"a\\\"\":1}", false),
        ("[ 1]", false),
        (&nested(101), false),
    ];
    let mut tally = Tally::default();
    for (value, taken) in values {
        let text = format!("{{\"key\":\"k\",\"value\":{value}}}");
        let walk = walked(Collection::AppConfigs, &text, now);
        let fast = transcoded(Collection::AppConfigs, &text, now);
        if let Some(fast) = &fast {
            assert_eq!(Some(fast), walk.as_ref(), "{text}");
        }
        if taken {
            assert!(fast.is_some(), "{text}: plain, it must be copied");
        }
        tally.compared += 1;
    }
    assert_eq!(tally.compared, values.len());
}

/// The transcoder writes declared names between quotes as they are: none
/// may need an escape in JSON.
#[test]
fn declared_names_need_no_escape() {
    use onelastai_models::engine::{Kind, Schema};
    fn names(schema: &Schema, seen: &mut usize) {
        for field in schema.fields {
            let mut written = String::new();
            json::write_str(field.name, &mut written);
            assert_eq!(
                written,
                format!("\"{}\"", field.name),
                "{}.{}",
                schema.name,
                field.name
            );
            *seen += 1;
            let mut kind = &field.kind;
            while let Kind::Array(inner) | Kind::Map(inner) = kind {
                kind = inner;
            }
            if let Kind::Object(inner) = kind {
                names(inner, seen);
            }
        }
    }
    let mut seen = 0;
    for c in Collection::ALL {
        names(c.schema(), &mut seen);
    }
    assert!(seen > 200, "{seen} names");
}
