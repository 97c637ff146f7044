//! CPU time and memory of another process, read from `/proc`.
//!
//! The benchmark measures the servers and the database from outside, so the
//! figures cover everything each process does (its runtime, its driver, its
//! allocator), and no server needs instrumenting.

use std::fs;

/// utime + stime of process `pid`, in clock ticks (`/proc/<pid>/stat`).
pub fn cpu_ticks(pid: u32) -> Result<u64, String> {
    let path = format!("/proc/{pid}/stat");
    let stat = fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    // The command name is parenthesised and may hold spaces: count fields
    // after its closing parenthesis. utime and stime are fields 14 and 15.
    let after = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .ok_or_else(|| format!("{path}: no command name"))?;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let field = |i: usize| {
        fields
            .get(i)
            .and_then(|s| s.parse::<u64>().ok())
            .ok_or_else(|| format!("{path}: field {} is not a number", i + 3))
    };
    Ok(field(11)? + field(12)?)
}

/// Clock ticks per second (`getconf CLK_TCK`, 100 when it cannot be asked).
pub fn ticks_per_second() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

/// A `kB` line of `/proc/<pid>/status`, in KiB: `VmRSS` (resident now) or
/// `VmHWM` (the resident peak since the process started).
pub fn status_kib(pid: u32, key: &str) -> Result<u64, String> {
    let path = format!("/proc/{pid}/status");
    let status = fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| format!("{path}: no {key}"))
}

/// Resident set size now, KiB.
pub fn rss_kib(pid: u32) -> Result<u64, String> {
    status_kib(pid, "VmRSS")
}

/// Peak resident set size, KiB.
pub fn peak_rss_kib(pid: u32) -> Result<u64, String> {
    status_kib(pid, "VmHWM")
}

/// KiB as MiB, for printing.
pub fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}
