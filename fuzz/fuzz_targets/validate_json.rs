//! The first byte picks a collection (name order, as `fuzz/seed.mjs`
//! numbers them), the rest is JSON text. When it reads, validation gets a
//! verdict without panicking: a valid document is written as JSON that
//! reads again and validates again without panicking; a refusal has errors,
//! each with a message, and a path wherever the input is an object. Under an
//! error limit the errors are the first ones of the full list, and
//! `truncated` says whether any were left out.
//!
//! The package's one-pass transcoder (`Collection::transcode`), on the same
//! text: where it takes it, it writes what the walk writes for the text read
//! as `JSON.stringify`'s (`json::parse_stringified`), and it never takes
//! what the walk refuses.
//!
//! Not asserted: that a valid document validates again to the same text.
//! Mongoose is not idempotent there, and neither is the crate: 6 of the 498
//! valid cases of `tests/vectors` change on a second pass (a nested path given
//! a string is dropped, then defaulted; an object of empty objects in a
//! required Mixed is minimised away, then required).

#![no_main]

use libfuzzer_sys::fuzz_target;
use onelastai_fuzz::collection;
use onelastai_models::engine::Options;
use onelastai_models::json::{self, Json};
use onelastai_models::Date;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let c = collection(selector);
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let Ok(input) = json::parse(text) else {
        return;
    };
    let Some(now) = Date::from_millis(1_705_314_600_000) else {
        return;
    };
    let full = c.validate_json(&input, now);
    match &full {
        Ok(doc) => {
            let written = Json::Object(doc.clone()).to_text();
            match json::parse(&written) {
                Ok(again) => {
                    let _ = c.validate_json(&again, now);
                }
                Err(e) => panic!("{c}: the valid document {written} does not read: {e}"),
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "{c}: refused without errors");
            for e in errors {
                assert!(!e.message.is_empty(), "{c}: empty message at {:?}", e.path);
                assert!(
                    !input.is_object() || !e.path.is_empty(),
                    "{c}: an error without a path: {e:?}"
                );
            }
        }
    }
    let mut transcoded = String::new();
    if c.transcode(text, now, &mut transcoded) {
        let walked = json::parse_stringified(text)
            .map_err(|e| format!("{e}"))
            .and_then(|tree| c.validate_json(&tree, now).map_err(|e| format!("{e:?}")));
        match walked {
            Ok(doc) => assert_eq!(
                transcoded,
                Json::Object(doc).to_text(),
                "{c}: the transcoder differs on {text}"
            ),
            Err(e) => panic!("{c}: the transcoder took {text}, the walk refuses it: {e}"),
        }
    }
    // The error limit: the first errors of the full list, in the same order.
    let limit = 1 + usize::from(selector / 17) % 4;
    let options = Options {
        max_errors: Some(limit),
    };
    match (c.validate_json_with(&input, now, &options), &full) {
        (Ok(a), Ok(b)) => assert_eq!(&a, b, "{c}: the limit changed the document"),
        (Err(r), Err(all)) => {
            let n = all.len().min(limit);
            assert_eq!(r.errors, all[..n], "{c}: limit {limit}");
            assert_eq!(
                r.truncated,
                all.len() > n,
                "{c}: limit {limit}, {} errors",
                all.len()
            );
        }
        (limited, _) => panic!("{c}: limit {limit} gave {limited:?}, no limit {full:?}"),
    }
});
