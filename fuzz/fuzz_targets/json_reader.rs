//! Arbitrary bytes into the JSON reader: it never panics, and it agrees
//! with serde_json (same verdict; the same tree when both accept). Bytes
//! that are not UTF-8 are read as their lossy UTF-8 text (the reader takes
//! a `str`), and serde_json must refuse the raw bytes.

#![no_main]

use libfuzzer_sys::fuzz_target;
use onelastai_fuzz::json_differential;

fuzz_target!(|data: &[u8]| {
    match std::str::from_utf8(data) {
        Ok(text) => json_differential(text),
        Err(_) => {
            assert!(serde_json::from_slice::<serde_json::Value>(data).is_err());
            json_differential(&String::from_utf8_lossy(data));
        }
    }
});
