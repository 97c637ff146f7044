//! Shared by the load clients of `tests/server-bench`: `server-bench` (the
//! side-by-side benchmark of onelastai-server and the Express + Mongoose
//! baseline) and `server-soak` (a long mixed load against onelastai-server).
//!
//! Both send the same documents and list queries ([`documents`]) and read
//! the processes they load from `/proc` ([`procfs`]).

pub mod documents;
pub mod procfs;

use std::time::{SystemTime, UNIX_EPOCH};

/// A short lowercase tag unique to this run (milliseconds since the epoch in
/// base 36), so documents of two runs against one database never collide.
pub fn run_tag() -> String {
    let mut ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let digits = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    while ms > 0 {
        out.push(digits[(ms % 36) as usize]);
        ms /= 36;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The `p`-quantile (0..=1) of sorted microsecond latencies, in milliseconds.
pub fn percentile_ms(sorted_us: &[u64], p: f64) -> f64 {
    if sorted_us.is_empty() {
        return 0.0;
    }
    let i = ((sorted_us.len() as f64 - 1.0) * p).round() as usize;
    sorted_us[i.min(sorted_us.len() - 1)] as f64 / 1000.0
}
