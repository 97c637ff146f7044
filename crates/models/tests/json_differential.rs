//! The JSON reader against serde_json: on every input, [`json::parse`]
//! accepts exactly when `serde_json::from_str::<Value>` does, and when both
//! accept they read the same tree: the same doubles bit for bit (serde_json
//! with `float_roundtrip`, exact, as the dev-dependency enables it), the same
//! strings, the same keys in the same order (of repeated keys the last value,
//! in the first one's place: serde_json's `preserve_order` map does that).
//!
//! Depth: serde_json's default recursion limit (128) refuses the 128th level
//! of nesting; the reader's [`json::MAX_DEPTH`] is 127, the deepest nesting
//! serde_json accepts, so the two are compared as they are on every input,
//! deep ones included (no input is left out and no `unbounded_depth`).
//!
//! [`json::parse_stringified`] is held to the same reading, but for the two
//! things it is documented to do differently: it keeps a lone surrogate
//! escape (which `JSON.stringify` writes for a lone surrogate) as U+FFFD
//! where serde_json refuses it, and it does not look for repeated keys.
//!
//! Inputs: arbitrary strings, strings over JSON's own alphabet, soups of
//! tokens near the grammar's edges, and, for most cases, valid documents
//! (the inputs of `tests/vectors` and generated ones) with a few mutations
//! each: so numbers, strings and escapes are tried just inside and just
//! outside the grammar, not only garbage that fails at its first byte.

use onelastai_models::json::{self, Json};
use onelastai_models::Collection;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::TestRunner;
use serde_json::Value;
use std::cell::Cell;
use std::sync::OnceLock;

#[path = "support/vectors.rs"]
mod vectors;

/// The reason [`json::parse`] gives for a lone surrogate escape.
const LONE_SURROGATE: &str = "lone surrogate in \\u escape";

/// The same tree: numbers by their bits (so `-0` is not `0`), objects in order.
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

/// An object's repeated keys folded as [`json::parse`] folds them: the last
/// value in the first one's place.
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

/// The differential check of one text.
fn check(text: &str) {
    let ours = json::parse(text);
    let theirs = serde_json::from_str::<Value>(text);
    match (&ours, &theirs) {
        (Ok(o), Ok(t)) => {
            let t = Json::from_value(t);
            assert!(same(o, &t), "{text:?}: read {o:?}, serde_json {t:?}");
            // And as `Json::to_value` hands it on.
            assert_eq!(o.to_value(), t.to_value(), "{text:?}");
        }
        (Err(_), Err(_)) => {}
        _ => panic!("{text:?}: the reader says {ours:?}, serde_json {theirs:?}"),
    }
    let stringified = json::parse_stringified(text);
    match (&ours, stringified) {
        (Ok(o), Ok(s)) => {
            let s = fold_repeated_keys(s);
            assert!(
                same(o, &s),
                "{text:?}: parse {o:?}, parse_stringified {s:?}"
            );
        }
        (Ok(_), Err(e)) => panic!("{text:?}: parse accepts, parse_stringified says {e:?}"),
        // Past a lone surrogate, parse_stringified reads on and may accept or
        // fail later; before it, the two read the same text the same way.
        (Err(e), _) if e.reason == LONE_SURROGATE => {}
        (Err(e), s) => assert_eq!(s.as_ref().err(), Some(e), "{text:?}"),
    }
}

/// Every vector input, as compact JSON text, and every vector file as it is.
fn corpus() -> &'static [String] {
    static CORPUS: OnceLock<Vec<String>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let mut texts = Vec::new();
        for c in Collection::ALL {
            let file = vectors::file(c.name());
            texts.push(serde_json::to_string_pretty(&file).unwrap_or_default());
            for case in file["cases"].as_array().into_iter().flatten() {
                texts.push(serde_json::to_string(&case["input"]).unwrap_or_default());
            }
        }
        texts
    })
}

/// Pieces that sit at the grammar's edges, inserted or substituted by mutations.
#[rustfmt::skip]
const SNIPPETS: &[&str] = &[
    "0", "00", "01", "-", "-0", "-01", "+", "+1", ".", ".5", "1.", "e", "E", "e+", "E-", "e5",
    "1e", "1e+", "1e400", "-1e400", "1e-400", "1E308", "1.7976931348623157e308",
    "1.7976931348623159e308", "2.4703282292062328e-324", "9007199254740993",
    "18446744073709551616", "0.1e1", "0e99999999999", "1e99999999999", "1e-99999999999",
    "\\", "\\u", "\\u00", "\\u0041", "\\u00e9", "\\ud800", "\\udbff", "\\udc00", "\\udfff",
    "\\ud83d\\ude00", "\\ud800\\u0041", "\\ud800\\ud800", "\\ud800\\", "\\uD834\\uDD1E", "\\x",
    "\\'", "\\/", "\\b", "\\0", "\"", "\u{0}", "\u{1}", "\u{1f}", "\u{7f}", "\t", "\n", "\r",
    "\u{b}", "\u{c}", " ", ",", ":", "[", "]", "{", "}", "[]", "{}", "null", "nul", "true",
    "tru", "false", "NaN", "Infinity", "-Infinity", "0x1F", "1_000", "\u{feff}", "\u{a0}", "é",
    "😀", "\u{2028}", "\u{fffd}", "//", "/*", "'a'",
];

#[derive(Debug, Clone)]
enum Mutation {
    Insert(Index, usize),
    Replace(Index, usize),
    Delete(Index, usize),
    Duplicate(Index, usize),
    InsertChar(Index, char),
    Truncate(Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let snippet = 0..SNIPPETS.len();
    prop_oneof![
        4 => (any::<Index>(), snippet.clone()).prop_map(|(i, s)| Mutation::Insert(i, s)),
        4 => (any::<Index>(), snippet).prop_map(|(i, s)| Mutation::Replace(i, s)),
        2 => (any::<Index>(), 1usize..4).prop_map(|(i, n)| Mutation::Delete(i, n)),
        1 => (any::<Index>(), 1usize..12).prop_map(|(i, n)| Mutation::Duplicate(i, n)),
        2 => (any::<Index>(), any::<char>()).prop_map(|(i, c)| Mutation::InsertChar(i, c)),
        1 => any::<Index>().prop_map(Mutation::Truncate),
    ]
}

/// Applies mutations at character boundaries (the text stays a `str`).
fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for m in mutations {
        let at = |i: &Index| i.index(chars.len() + 1);
        match m {
            Mutation::Insert(i, s) => {
                let at = at(i);
                chars.splice(at..at, SNIPPETS[*s].chars());
            }
            Mutation::Replace(i, s) => {
                let at = at(i);
                // Replace as many characters as the snippet has (a digit by a
                // digit, `\u00e9` by `\ud800`), within the text.
                let end = (at + SNIPPETS[*s].chars().count()).min(chars.len());
                chars.splice(at..end, SNIPPETS[*s].chars());
            }
            Mutation::Delete(i, n) => {
                let at = at(i);
                let end = (at + n).min(chars.len());
                chars.drain(at..end);
            }
            Mutation::Duplicate(i, n) => {
                let at = at(i);
                let end = (at + n).min(chars.len());
                let copy: Vec<char> = chars[at..end].to_vec();
                chars.splice(end..end, copy);
            }
            Mutation::InsertChar(i, c) => {
                let at = at(i);
                chars.insert(at, *c);
            }
            Mutation::Truncate(i) => {
                let at = at(i);
                chars.truncate(at);
            }
        }
    }
    chars.into_iter().collect()
}

/// Numbers just inside and outside the grammar: leading zeros, empty parts,
/// signs, long mantissas, exponents near the range's ends.
fn number_like() -> impl Strategy<Value = String> {
    prop_oneof![
        "[-+]?(0|[1-9][0-9]{0,24}|0[0-9]{1,3}|)(\\.[0-9]{0,20})?([eE][-+]?[0-9]{0,4})?",
        "-?[1-9][0-9]{0,20}(\\.[0-9]{0,20})?[eE]-?(30[0-9]|3[1-4][0-9]|29[0-9])",
        "-?(0|[1-9])\\.[0-9]{0,3}[eE]-?[0-9]{5,12}",
        "-?0\\.0{300,340}[1-9]{1,3}",
        "-?[1-9][0-9]{300,320}(\\.[0-9])?",
    ]
}

/// String literals with escapes, surrogates (paired, lone, half), invalid
/// escapes and raw control characters.
fn string_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-z é😀]{1,4}",
        "\\\\[\"\\\\/bfnrt]",
        "\\\\u[0-9a-fA-F]{4}",
        "\\\\u[dD][89abAB][0-9a-fA-F]{2}",
        "\\\\u[dD][c-fC-F][0-9a-fA-F]{2}",
        "\\\\u[dD][89abAB][0-9a-f]{2}\\\\u[dD][c-fC-F][0-9a-f]{2}",
        "\\\\u[0-9a-gA-G]{0,4}",
        "\\\\[^u]",
        "[\\x00-\\x1f\\x7f]",
    ];
    prop::collection::vec(piece, 0..8).prop_map(|pieces| format!("\"{}\"", pieces.concat()))
}

/// A run of tokens, mostly well-formed ones, in any order.
fn token_soup() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        3 => number_like(),
        3 => string_like(),
        1 => prop::sample::select(vec!["null", "true", "false", "nul", "tru", "fals"])
            .prop_map(str::to_string),
        4 => prop::sample::select(vec!["[", "]", "{", "}", ",", ":", " ", "\n", "\t", "\r"])
            .prop_map(str::to_string),
    ];
    prop::collection::vec(token, 0..12).prop_map(|t| t.concat())
}

/// Valid documents of every shape, written compact or indented.
fn valid_text() -> impl Strategy<Value = String> {
    let number = prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        (-400i32..400).prop_map(|e| Value::from(10f64.powi(e))),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number,
        "\\PC{0,12}".prop_map(Value::String),
        "[\\x00-\\x1f\"\\\\\u{7f}\u{2028}é😀]{0,6}".prop_map(Value::String),
    ];
    let value = leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(("[a-c$.]{0,3}", inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    });
    (value, any::<bool>()).prop_map(|(v, pretty)| {
        if pretty {
            serde_json::to_string_pretty(&v).unwrap_or_default()
        } else {
            serde_json::to_string(&v).unwrap_or_default()
        }
    })
}

/// A vector input or a generated valid document.
fn seed_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<Index>().prop_map(|i| corpus()[i.index(corpus().len())].clone()),
        2 => valid_text(),
        1 => token_soup(),
    ]
}

/// Most of the cases: valid documents a few mutations away from valid. The
/// share the reader accepts is checked too, so that the mutations stay near
/// the grammar's edges (neither all valid nor all broken at the first byte).
#[test]
fn mutated_valid_documents() {
    let (total, accepted) = (Cell::new(0u32), Cell::new(0u32));
    let mut runner = TestRunner::new(ProptestConfig {
        cases: 12_000,
        ..ProptestConfig::default()
    });
    let cases = (seed_text(), prop::collection::vec(mutation(), 1..4));
    let result = runner.run(&cases, |(text, m)| {
        let text = mutate(&text, &m);
        total.set(total.get() + 1);
        if json::parse(&text).is_ok() {
            accepted.set(accepted.get() + 1);
        }
        check(&text);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let share = f64::from(accepted.get()) / f64::from(total.get());
    eprintln!(
        "mutated documents: {} of {} accepted ({:.0}%)",
        accepted.get(),
        total.get(),
        share * 100.0
    );
    assert!((0.05..0.8).contains(&share), "accepted share {share}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn valid_documents(text in valid_text()) {
        check(&text);
    }

    #[test]
    fn tokens_near_the_grammar(text in token_soup()) {
        check(&text);
    }

    #[test]
    fn numbers(n in number_like()) {
        check(&n);
        check(&format!("[{n}]"));
        check(&format!("{{\"n\":{n}}}"));
    }

    #[test]
    fn strings(s in string_like()) {
        check(&s);
        check(&format!("{{{s}:1}}"));
    }

    #[test]
    fn arbitrary_strings(text in any::<String>()) {
        check(&text);
    }

    #[test]
    fn strings_over_the_json_alphabet(
        text in "[\\[\\]{}\",:0-9eE.+\\-\\\\ubfnrt/ \\t\\n\\r\\x00\\x1fdDa-fA-F]{0,32}"
    ) {
        check(&text);
    }
}

#[test]
fn every_vector_input_and_file() {
    for text in corpus() {
        check(text);
    }
}

/// Hand-written cases for each class RFC 8259 (or serde_json) refuses, with
/// the valid text beside each, all checked against serde_json as well.
#[test]
fn each_class_at_the_edge() {
    #[rustfmt::skip]
    let refused = [
        // Leading zeros.
        "01", "-01", "00", "-00", "007", "-007", "00.5", "[01]", "{\"a\":01}",
        // Signs, empty parts.
        "+1", "+0", "-", "--1", "- 1", ".5", "-.5", "1.", "1.e5", "1e", "1e+", "1E-", "1e.5",
        "0x10", "1_0", "NaN", "Infinity", "-Infinity",
        // Numbers past the doubles.
        "1e400", "-1e400", "1.7976931348623159e308", "1e99999999999999999999",
        "[1e309]",
        // Raw control characters in strings.
        "\"\u{0}\"", "\"a\u{1}b\"", "\"\u{1f}\"", "\"\t\"", "\"\n\"", "\"\r\"",
        "\"\\u0041\u{1}\"", "{\"\u{0}\":1}",
        // Lone surrogate escapes (serde_json refuses them; RFC 8259 leaves them unpredictable).
        "\"\\ud800\"", "\"\\udbff\"", "\"\\udc00\"", "\"\\udfff\"", "\"a\\ud800b\"",
        "\"\\ud800\\u0041\"", "\"\\ud800\\ud800\"", "\"\\udc00\\ud800\"", "\"\\ud800\\n\"",
        "\"\\ud800\\\"", "{\"\\ud800\":1}",
        // Escapes.
        "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"", "\"\\U0041\"", "\"\\'\"", "\"\\0\"", "\"\\",
        // Structure and literals.
        "", " ", "nul", "True", "[1,]", "{\"a\":1,}", "{a:1}", "[1 2]", "{} {}", "\u{feff}{}",
        "{\"a\" 1}", "[", "]", "'a'", "/*c*/1",
    ];
    for text in refused {
        assert!(json::parse(text).is_err(), "{text:?} accepted");
        check(text);
    }
    #[rustfmt::skip]
    let accepted = [
        "0", "-0", "0.5", "-0.0", "0e5", "0E-5", "10", "1e5", "1E+5", "1e-5", "1.5e0",
        "1.7976931348623157e308", "-1.7976931348623157e308", "1e-400", "-1e-400",
        "2.4703282292062328e-324", "2.4703282292062327e-324", "1e-99999999999999999999",
        "0e99999999999999999999", "123456789012345678901234567890", "18446744073709551616",
        "\"\u{7f}\"", "\"\\ud83d\\ude00\"", "\"\\uD834\\uDD1E\"", "\"\\u0000\\u001f\"",
        "\" é😀\u{2028}\"", " \t\n\r[ 1 , { \"a\" : null } ] \r\n\t ", "{\"a\":1,\"a\":2}",
    ];
    for text in accepted {
        assert!(json::parse(text).is_ok(), "{text:?} refused");
        check(text);
    }
}

#[test]
fn nesting_to_the_limit_and_past_it() {
    for depth in [1, 126, 127, 128, 129, 200] {
        for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
            let text = open.repeat(depth) + "1" + &close.repeat(depth);
            check(&text);
            assert_eq!(
                json::parse(&text).is_ok(),
                depth <= json::MAX_DEPTH,
                "{depth}"
            );
            // Refused at the first level too deep, whatever follows.
            let broken = open.repeat(depth) + "01";
            check(&broken);
        }
    }
}

#[test]
fn stringified_text_keeps_lone_surrogates_as_replacement_characters() {
    let s = |t: &str| {
        json::parse_stringified(t)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
    };
    assert_eq!(s(r#""a\ud800b""#).as_deref(), Some("a\u{FFFD}b"));
    assert_eq!(s(r#""\udc00""#).as_deref(), Some("\u{FFFD}"));
    assert_eq!(s(r#""\ud800\u0041""#).as_deref(), Some("\u{FFFD}A"));
    assert_eq!(s(r#""\ud800\ud83d\ude00""#).as_deref(), Some("\u{FFFD}😀"));
    for text in [r#""a\ud800b""#, r#""\udc00""#, r#""\ud800\u0041""#] {
        assert_eq!(
            json::parse(text).map_err(|e| e.reason),
            Err(LONE_SURROGATE),
            "{text}"
        );
    }
    // Everything else RFC 8259 refuses, parse_stringified refuses too.
    for text in ["01", "-007", "\"\u{1}\"", "1.", "+1", "1e400", "\"\\x\""] {
        assert!(json::parse_stringified(text).is_err(), "{text:?}");
    }
}
