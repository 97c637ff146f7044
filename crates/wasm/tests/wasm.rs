//! Rust-level tests of the WebAssembly module, run inside a JavaScript
//! engine by `wasm-bindgen-test-runner` (Node; headless Chromium through
//! chromedriver with `WASM_BINDGEN_USE_BROWSER=1`): the size-class allocator
//! as the module's global allocator, and the boundary that turns JavaScript
//! values into JSON text and back (`tools/test-wasm.sh`).
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Date as JsDate, Object, Reflect, JSON};
use onelastai_models_wasm::{
    boundary, calculate_expiry_date, is_subscription_valid, validate, validate_many, verdict,
};
use std::alloc::{alloc, dealloc, realloc, Layout};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

fn js(text: &str) -> JsValue {
    JSON::parse(text).unwrap_or_else(|_| panic!("bad JSON in a test: {text}"))
}

fn text(v: &JsValue) -> String {
    JSON::stringify(v).map(String::from).unwrap_or_default()
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

// ---------------------------------------------------------------------------
// The allocator (crates/wasm/src/allocator.rs) is the global allocator here.
// ---------------------------------------------------------------------------

#[wasm_bindgen_test]
fn blocks_are_aligned_writable_and_do_not_overlap() {
    let mut live: Vec<(*mut u8, Layout, u8)> = Vec::new();
    let mut seed = 7u32;
    for i in 0..2000u32 {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let size = 1 + (seed >> 8) as usize % 3000;
        let align = 1usize << (seed % 8);
        let layout = Layout::from_size_align(size, align).unwrap_or_else(|_| unreachable!());
        // SAFETY: a non-zero size; the block is written within its size and freed once below.
        let p = unsafe { alloc(layout) };
        assert!(!p.is_null(), "{size} bytes aligned {align}");
        assert_eq!(p as usize % align, 0, "{size} bytes aligned {align}");
        let fill = (i % 251) as u8;
        // SAFETY: `p` holds `size` bytes.
        unsafe { p.write_bytes(fill, size) };
        live.push((p, layout, fill));
        if seed.is_multiple_of(3) {
            let (p, layout, fill) = live.swap_remove((seed as usize / 3) % live.len());
            // SAFETY: `p` came from `alloc(layout)` and was filled with `fill`.
            unsafe {
                assert!(std::slice::from_raw_parts(p, layout.size())
                    .iter()
                    .all(|b| *b == fill));
                dealloc(p, layout);
            }
        }
    }
    // Every live block still holds its own bytes: none was handed out twice.
    for (p, layout, fill) in live {
        // SAFETY: as above.
        unsafe {
            assert!(std::slice::from_raw_parts(p, layout.size())
                .iter()
                .all(|b| *b == fill));
            dealloc(p, layout);
        }
    }
}

#[wasm_bindgen_test]
fn a_freed_block_serves_its_class_again() {
    let layout = Layout::from_size_align(100, 8).unwrap_or_else(|_| unreachable!());
    // SAFETY: a non-zero size, freed once.
    unsafe {
        let a = alloc(layout);
        dealloc(a, layout);
        let b = alloc(Layout::from_size_align(120, 8).unwrap_or_else(|_| unreachable!()));
        assert_eq!(a, b, "100 and 120 bytes share the 128-byte class");
        dealloc(
            b,
            Layout::from_size_align(120, 8).unwrap_or_else(|_| unreachable!()),
        );
    }
}

#[wasm_bindgen_test]
fn large_and_page_aligned_blocks_grow_memory() {
    for (size, align) in [(65_536, 1), (200_000, 16), (4096, 4096), (1 << 20, 65_536)] {
        let layout = Layout::from_size_align(size, align).unwrap_or_else(|_| unreachable!());
        // SAFETY: a non-zero size, written within it, freed once.
        unsafe {
            let p = alloc(layout);
            assert!(
                !p.is_null() && (p as usize).is_multiple_of(align),
                "{size} aligned {align}"
            );
            p.write_bytes(0xab, size);
            assert_eq!(*p.add(size - 1), 0xab);
            dealloc(p, layout);
        }
    }
}

#[wasm_bindgen_test]
fn an_impossible_size_is_refused_not_a_trap() {
    let layout = Layout::from_size_align(usize::MAX / 2, 1).unwrap_or_else(|_| unreachable!());
    // SAFETY: a non-zero size; null is the allocator's answer for what it cannot give.
    assert!(unsafe { alloc(layout) }.is_null());
}

#[wasm_bindgen_test]
fn realloc_keeps_the_contents() {
    let layout = Layout::from_size_align(24, 8).unwrap_or_else(|_| unreachable!());
    // SAFETY: sizes are non-zero; the block is read within its size and freed once.
    unsafe {
        let p = alloc(layout);
        for i in 0..24 {
            *p.add(i) = i as u8;
        }
        let q = realloc(p, layout, 5000);
        assert!(!q.is_null());
        assert!((0..24).all(|i| *q.add(i) == i as u8));
        dealloc(
            q,
            Layout::from_size_align(5000, 8).unwrap_or_else(|_| unreachable!()),
        );
    }
    // And through the standard collections.
    let v: Vec<u64> = (0..100_000).collect();
    assert_eq!(v.iter().sum::<u64>(), 4_999_950_000);
}

// ---------------------------------------------------------------------------
// The boundary (crates/wasm/src/boundary.rs, boundary.js).
// ---------------------------------------------------------------------------

#[wasm_bindgen_test]
fn values_cross_as_json_text() {
    let obj = Object::new();
    let _ = Reflect::set(&obj, &"d".into(), &JsDate::new(&JsValue::from_f64(0.0)));
    let _ = Reflect::set(&obj, &"u".into(), &JsValue::UNDEFINED);
    let _ = Reflect::set(&obj, &"n".into(), &JsValue::from_f64(f64::NAN));
    let read_text = |v: &JsValue| boundary::with_text(v, "", |t| t.map(str::to_string));
    let read = read_text(&obj).unwrap_or_else(|e| panic!("{e:?}"));
    // A Date as its ISO string, undefined dropped, NaN as a string that fails casts.
    assert_eq!(
        read.as_deref(),
        Some(r#"{"d":"1970-01-01T00:00:00.000Z","n":"NaN"}"#)
    );
    assert_eq!(read_text(&JsValue::UNDEFINED).ok().flatten(), None);
    // The buffer kept from the longer text above: a shorter one reads exactly.
    assert_eq!(
        read_text(&JsValue::from_str("é")).ok().flatten().as_deref(),
        Some("\"é\"")
    );
}

#[wasm_bindgen_test]
fn a_value_without_json_is_a_cast_error_not_an_exception() {
    let cyclic = Object::new();
    let _ = Reflect::set(&cyclic, &"self".into(), &cyclic);
    let e = boundary::with_text(&cyclic, "properties", |_| ())
        .err()
        .unwrap_or_else(|| panic!("a cycle read"));
    assert_eq!(e.path, "properties");
    assert!(e
        .message
        .starts_with("Cannot read the value at path \"properties\" as JSON"));
    let r = validate(&"appconfigs".into(), &cyclic, &JsValue::UNDEFINED)
        .unwrap_or_else(|_| panic!("validate threw"));
    assert_eq!(get(&r, "ok"), JsValue::FALSE);
}

#[wasm_bindgen_test]
fn dates_are_read_from_dates_strings_and_numbers() {
    let at = |v: JsValue| boundary::read_date(&v).map(|d| d.to_iso_string());
    let iso = Some("2024-01-15T10:30:00.000Z".to_string());
    assert_eq!(
        at(JsDate::new(&JsValue::from_f64(1_705_314_600_000.0)).into()),
        iso
    );
    assert_eq!(at("2024-01-15T10:30:00Z".into()), iso);
    assert_eq!(at(JsValue::from_f64(1_705_314_600_000.0)), iso);
    assert_eq!(at("not a date".into()), None);
    assert_eq!(at(JsDate::new(&JsValue::from_f64(f64::NAN)).into()), None);
}

#[wasm_bindgen_test]
fn results_are_plain_objects() {
    let options = js(r#"{"now":"2024-01-15T10:30:00.000Z"}"#);
    let ok = validate(
        &"users".into(),
        &js(r#"{"id":"u1","email":"Ada@Example.com"}"#),
        &options,
    )
    .unwrap_or_else(|_| panic!("validate threw"));
    assert_eq!(get(&ok, "ok"), JsValue::TRUE);
    let value = get(&ok, "value");
    assert_eq!(get(&value, "email"), JsValue::from_str("ada@example.com"));
    assert_eq!(
        get(&value, "joinedAt"),
        JsValue::from_str("2024-01-15T10:30:00.000Z")
    );
    assert!(Object::get_prototype_of(&value) == Object::get_prototype_of(&Object::new()));
    let bad = validate(&"users".into(), &js(r#"{"email":["x"]}"#), &options)
        .unwrap_or_else(|_| panic!("validate threw"));
    assert_eq!(get(&bad, "ok"), JsValue::FALSE);
    let errors = Array::from(&get(&bad, "errors"));
    assert_eq!(
        text(&errors.get(0)),
        r#"{"path":"id","kind":"required","message":"Path `id` is required."}"#
    );
}

#[wasm_bindgen_test]
fn a_verdict_is_the_answer_without_the_document() {
    let options = js(r#"{"now":"2024-01-15T10:30:00.000Z"}"#);
    let ok = verdict(
        &"users".into(),
        &js(r#"{"id":"u1","email":"Ada@Example.com"}"#),
        &options,
    )
    .unwrap_or_else(|_| panic!("verdict threw"));
    assert_eq!(text(&ok), r#"{"ok":true}"#);
    // Refused: the same errors, in the same order, as validate's, and the
    // same truncation under maxErrors.
    for (input, options) in [
        (r#"{"email":["x"],"role":"boss"}"#, r#"{}"#),
        (r#"{"email":["x"],"role":"boss"}"#, r#"{"maxErrors":1}"#),
        (r#"[1]"#, r#"{}"#),
    ] {
        let (input, options) = (js(input), js(options));
        let v = verdict(&"users".into(), &input, &options).unwrap_or_else(|_| panic!("threw"));
        let full = validate(&"users".into(), &input, &options).unwrap_or_else(|_| panic!("threw"));
        assert_eq!(get(&v, "ok"), JsValue::FALSE);
        assert_eq!(text(&v), text(&full));
    }
    assert!(verdict(&"nope".into(), &js("{}"), &JsValue::UNDEFINED).is_err());
}

#[wasm_bindgen_test]
fn validate_many_answers_as_validate_does_one_by_one() {
    let options = js(r#"{"now":"2024-01-15T10:30:00.000Z","maxErrors":1}"#);
    let inputs = js(r#"[{"id":"u1","email":"Ada@Example.com"},{"email":["x"]},null,[1],"x",{}]"#);
    let many = validate_many(&"users".into(), &inputs, &options)
        .unwrap_or_else(|_| panic!("validateMany threw"));
    let one_by_one: Array = Array::from(&inputs)
        .iter()
        .map(|input| {
            validate(&"users".into(), &input, &options).unwrap_or_else(|_| panic!("threw"))
        })
        .collect();
    assert_eq!(Array::from(&many).length(), 6);
    assert_eq!(text(&many), text(&one_by_one));
    // Not an array, or no JSON text as a whole: undefined (the package then goes one by one).
    let cyclic = Object::new();
    let _ = Reflect::set(&cyclic, &"self".into(), &cyclic);
    let with_cycle = Array::of2(&js("{}"), &cyclic);
    for inputs in [js("{}"), with_cycle.into()] {
        let r = validate_many(&"users".into(), &inputs, &JsValue::UNDEFINED)
            .unwrap_or_else(|_| panic!("threw"));
        assert!(r.is_undefined());
    }
    assert!(validate_many(&"nope".into(), &js("[]"), &JsValue::UNDEFINED).is_err());
}

#[wasm_bindgen_test]
fn max_errors_cuts_the_list_and_says_so() {
    let options = js(r#"{"maxErrors":1}"#);
    let r = validate(&"users".into(), &js("{}"), &options).unwrap_or_else(|_| panic!("threw"));
    assert_eq!(Array::from(&get(&r, "errors")).length(), 1);
    assert_eq!(get(&r, "truncated"), JsValue::TRUE);
    for bad in ["0", "1.5", "\"3\""] {
        let options = js(&format!(r#"{{"maxErrors":{bad}}}"#));
        assert!(
            validate(&"users".into(), &js("{}"), &options).is_err(),
            "maxErrors {bad}"
        );
    }
}

#[wasm_bindgen_test]
fn programming_errors_throw() {
    assert!(validate(&"nope".into(), &js("{}"), &JsValue::UNDEFINED).is_err());
    assert!(validate(&"users".into(), &js("{}"), &js(r#"{"now":"later"}"#)).is_err());
    assert!(calculate_expiry_date(&"yearly".into(), &"2024-01-15".into()).is_err());
}

#[wasm_bindgen_test]
fn the_spec_helpers_answer_as_the_spec() {
    let expiry = calculate_expiry_date(&"monthly".into(), &"2023-01-31T08:00:00Z".into());
    assert_eq!(expiry.ok().as_deref(), Some("2023-03-03T08:00:00.000Z"));
    let sub = js(r#"{"status":"active","expiryDate":"2024-02-01T00:00:00.000Z"}"#);
    let before: JsValue = "2024-01-31T00:00:00Z".into();
    let after: JsValue = "2024-02-02T00:00:00Z".into();
    assert_eq!(is_subscription_valid(&sub, &before).ok(), Some(true));
    assert_eq!(is_subscription_valid(&sub, &after).ok(), Some(false));
    assert_eq!(
        is_subscription_valid(&JsValue::NULL, &before).ok(),
        Some(false)
    );
}

#[wasm_bindgen_test]
fn quoted_is_a_json_string_literal() {
    assert_eq!(boundary::quoted("a\"b\n"), r#""a\"b\n""#);
}
