//! Arbitrary bytes as a request body: `parse_object` answers (an object or
//! a 4xx) and never panics; an object it accepts is one the models crate's
//! reader accepts too (both are serde_json's grammar).

#![no_main]

use libfuzzer_sys::fuzz_target;
use onelastai_models::json;

fuzz_target!(|data: &[u8]| {
    if onelastai_server::body::parse_object(data).is_ok() {
        let text = std::str::from_utf8(data);
        assert!(
            text.is_ok_and(|t| json::parse(t).is_ok_and(|v| v.is_object())),
            "the server reads {data:?} as an object, the models crate does not"
        );
    }
});
