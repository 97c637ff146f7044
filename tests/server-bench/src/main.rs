//! `server-bench`: a bounded load on loopback servers, measured from outside.
//!
//! For each target (a URL and the pid of its process): a warm-up that
//! creates `--warmup` users and reads them, then `--gets` × `GET
//! /api/users/{id}` over those users and `--posts` × `POST /api/users`, with
//! `--concurrency` requests in flight. Reports requests/s, p50/p99 latency,
//! the server's CPU-seconds per 10k requests (utime + stime from
//! `/proc/<pid>/stat`) and its peak RSS (`VmHWM`), then the ratios of the
//! first target to the second.

use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

struct Target {
    name: String,
    url: String,
    pid: u32,
}

struct Args {
    token: String,
    posts: usize,
    gets: usize,
    warmup: usize,
    concurrency: usize,
    targets: Vec<Target>,
}

const USAGE: &str = "usage: server-bench --token T [--posts N] [--gets N] [--warmup N] [--concurrency N] --target NAME=URL@PID [--target ...]";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        token: String::new(),
        posts: 5000,
        gets: 10000,
        warmup: 300,
        concurrency: 16,
        targets: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        let number = |s: String| s.parse::<usize>().map_err(|_| format!("not a number: {s}"));
        match flag.as_str() {
            "--token" => args.token = value()?,
            "--posts" => args.posts = number(value()?)?,
            "--gets" => args.gets = number(value()?)?,
            "--warmup" => args.warmup = number(value()?)?,
            "--concurrency" => args.concurrency = number(value()?)?.max(1),
            "--target" => {
                let spec = value()?;
                let (name, rest) = spec.split_once('=').ok_or(USAGE)?;
                let (url, pid) = rest.rsplit_once('@').ok_or(USAGE)?;
                let host_ok =
                    url.starts_with("http://127.0.0.1:") || url.starts_with("http://localhost:");
                if !host_ok {
                    return Err(format!("{url}: loopback targets only"));
                }
                args.targets.push(Target {
                    name: name.to_string(),
                    url: url.trim_end_matches('/').to_string(),
                    pid: pid.parse().map_err(|_| format!("bad pid in {spec}"))?,
                });
            }
            _ => return Err(USAGE.to_string()),
        }
    }
    if args.token.is_empty() || args.targets.is_empty() {
        return Err(USAGE.to_string());
    }
    Ok(args)
}

/// utime + stime of a process, in clock ticks.
fn cpu_ticks(pid: u32) -> Result<u64, String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map_err(|e| format!("/proc/{pid}/stat: {e}"))?;
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th.
    let after = stat.rsplit_once(')').map(|(_, r)| r).ok_or("bad stat")?;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let get = |i: usize| {
        fields
            .get(i)
            .and_then(|s| s.parse::<u64>().ok())
            .ok_or("bad stat field")
    };
    Ok(get(11)? + get(12)?)
}

/// Peak resident set size in KiB.
fn peak_rss_kib(pid: u32) -> Result<u64, String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(|e| format!("/proc/{pid}/status: {e}"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| "no VmHWM".to_string())
}

fn clock_ticks_per_second() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

struct Phase {
    requests: usize,
    errors: usize,
    seconds: f64,
    latencies_us: Vec<u64>,
    cpu_seconds: f64,
    ids: Vec<String>,
}

impl Phase {
    fn percentile_ms(&self, p: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return 0.0;
        }
        let i = ((self.latencies_us.len() as f64 - 1.0) * p).round() as usize;
        self.latencies_us[i.min(self.latencies_us.len() - 1)] as f64 / 1000.0
    }
    fn rps(&self) -> f64 {
        self.requests as f64 / self.seconds.max(1e-9)
    }
    fn cpu_per_10k(&self) -> f64 {
        self.cpu_seconds / self.requests.max(1) as f64 * 10_000.0
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Post,
    Get,
}

/// What every phase against one target shares.
#[derive(Clone, Copy)]
struct Load<'a> {
    client: &'a reqwest::Client,
    target: &'a Target,
    token: &'a str,
    concurrency: usize,
    ticks: f64,
}

async fn run_phase(
    load: &Load<'_>,
    kind: Kind,
    n: usize,
    run_id: &str,
    ids: Arc<Vec<String>>,
) -> Result<Phase, String> {
    let Load {
        client,
        target,
        token,
        concurrency,
        ticks,
    } = *load;
    let next = Arc::new(AtomicUsize::new(0));
    let cpu0 = cpu_ticks(target.pid)?;
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let client = client.clone();
        let next = Arc::clone(&next);
        let ids = Arc::clone(&ids);
        let url = target.url.clone();
        let token = token.to_string();
        let run_id = run_id.to_string();
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut created = Vec::new();
            let mut errors = 0;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let t = Instant::now();
                let request = match kind {
                    Kind::Post => client
                        .post(format!("{url}/api/users"))
                        .header("content-type", "application/json")
                        .body(
                            json!({
                                "id": format!("user_{run_id}_{i}"),
                                "email": format!("bench.{run_id}.{i}@example.com"),
                                "name": "Bench User",
                                "authMethod": "passwordless",
                                "bio": "Load test account",
                                "preferences": {"smsNotifications": true},
                            })
                            .to_string(),
                        ),
                    Kind::Get => {
                        let id = ids.get(i % ids.len().max(1)).cloned().unwrap_or_default();
                        client.get(format!("{url}/api/users/{id}"))
                    }
                };
                let result = request.bearer_auth(&token).send().await;
                let ok = match result {
                    Ok(r) if r.status().is_success() => {
                        let body = r.bytes().await.unwrap_or_default();
                        if kind == Kind::Post {
                            if let Ok(v) = serde_json::from_slice::<Value>(&body) {
                                if let Some(id) = v["_id"].as_str() {
                                    created.push(id.to_string());
                                }
                            }
                        }
                        true
                    }
                    Ok(r) => {
                        let _ = r.bytes().await;
                        false
                    }
                    Err(_) => false,
                };
                latencies.push(t.elapsed().as_micros() as u64);
                if !ok {
                    errors += 1;
                }
            }
            (latencies, created, errors)
        }));
    }
    let mut phase = Phase {
        requests: n,
        errors: 0,
        seconds: 0.0,
        latencies_us: Vec::with_capacity(n),
        cpu_seconds: 0.0,
        ids: Vec::new(),
    };
    for w in workers {
        let (lat, created, errors) = w.await.map_err(|e| e.to_string())?;
        phase.latencies_us.extend(lat);
        phase.ids.extend(created);
        phase.errors += errors;
    }
    phase.seconds = started.elapsed().as_secs_f64();
    phase.cpu_seconds = (cpu_ticks(target.pid)? - cpu0) as f64 / ticks;
    phase.latencies_us.sort_unstable();
    Ok(phase)
}

struct Report {
    name: String,
    post: Phase,
    get: Phase,
    peak_rss_kib: u64,
}

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("server-bench: {e}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), String> {
    let args = parse_args()?;
    let ticks = clock_ticks_per_second();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(args.concurrency)
        .build()
        .map_err(|e| e.to_string())?;
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    let loads: Vec<Load> = args
        .targets
        .iter()
        .map(|target| Load {
            client: &client,
            target,
            token: &args.token,
            concurrency: args.concurrency,
            ticks,
        })
        .collect();
    // The warm-up users are the ones read back: FerretDB on SQLite finds a
    // document by `_id` with a table scan, so reads over a large collection
    // would measure the database, not the servers. Phases alternate between
    // the targets so that a change in the machine's background load hits
    // both alike.
    let mut pools = Vec::new();
    for load in &loads {
        let t = load.target;
        eprintln!(
            "server-bench: {} ({}, pid {}): warm-up {} x POST + {} x GET",
            t.name, t.url, t.pid, args.warmup, args.warmup
        );
        let warm = run_phase(
            load,
            Kind::Post,
            args.warmup,
            &format!("w{stamp}"),
            Arc::new(Vec::new()),
        )
        .await?;
        if warm.ids.is_empty() {
            return Err(format!(
                "{}: no user was created ({} errors)",
                t.name, warm.errors
            ));
        }
        let ids = Arc::new(warm.ids);
        run_phase(load, Kind::Get, args.warmup, "", Arc::clone(&ids)).await?;
        pools.push(ids);
    }
    let mut gets = Vec::new();
    for (load, ids) in loads.iter().zip(&pools) {
        eprintln!(
            "server-bench: {}: {} x GET /api/users/{{id}} over {} users",
            load.target.name,
            args.gets,
            ids.len()
        );
        gets.push(run_phase(load, Kind::Get, args.gets, "", Arc::clone(ids)).await?);
    }
    let mut posts = Vec::new();
    for load in &loads {
        eprintln!(
            "server-bench: {}: {} x POST /api/users",
            load.target.name, args.posts
        );
        posts.push(
            run_phase(
                load,
                Kind::Post,
                args.posts,
                &format!("r{stamp}"),
                Arc::new(Vec::new()),
            )
            .await?,
        );
    }
    let mut reports = Vec::new();
    for ((load, get), post) in loads.iter().zip(gets).zip(posts) {
        reports.push(Report {
            name: load.target.name.clone(),
            post,
            get,
            peak_rss_kib: peak_rss_kib(load.target.pid)?,
        });
    }

    println!();
    println!(
        "concurrency {}; per server: warm-up {} POST + {} GET, then {} GET /api/users/{{id}} (over the warm-up users), then {} POST /api/users",
        args.concurrency, args.warmup, args.warmup, args.gets, args.posts
    );
    println!(
        "{:<10} {:<5} {:>8} {:>7} {:>9} {:>8} {:>8} {:>14}",
        "server", "route", "requests", "errors", "req/s", "p50 ms", "p99 ms", "CPU-s per 10k"
    );
    for r in &reports {
        for (route, p) in [("POST", &r.post), ("GET", &r.get)] {
            println!(
                "{:<10} {:<5} {:>8} {:>7} {:>9.0} {:>8.2} {:>8.2} {:>14.2}",
                r.name,
                route,
                p.requests,
                p.errors,
                p.rps(),
                p.percentile_ms(0.5),
                p.percentile_ms(0.99),
                p.cpu_per_10k()
            );
        }
    }
    for r in &reports {
        println!(
            "{:<10} peak RSS {:.1} MiB",
            r.name,
            r.peak_rss_kib as f64 / 1024.0
        );
    }
    if let [a, b, ..] = reports.as_slice() {
        let both = |r: &Report| {
            (r.post.cpu_seconds + r.get.cpu_seconds) / (r.post.requests + r.get.requests) as f64
        };
        let cpu = both(a) / both(b);
        let rss = a.peak_rss_kib as f64 / b.peak_rss_kib as f64;
        println!(
            "ratios {} / {}: CPU per request POST {:.3}, GET {:.3}, overall {:.3} (target <= 0.200); peak RSS {:.3} (target <= 0.333); req/s POST {:.2}x, GET {:.2}x",
            a.name,
            b.name,
            a.post.cpu_per_10k() / b.post.cpu_per_10k(),
            a.get.cpu_per_10k() / b.get.cpu_per_10k(),
            cpu,
            rss,
            a.post.rps() / b.post.rps(),
            a.get.rps() / b.get.rps(),
        );
        println!(
            "targets: CPU {} , RSS {}",
            if cpu <= 0.2 { "met" } else { "NOT met" },
            if rss <= 1.0 / 3.0 { "met" } else { "NOT met" }
        );
    }
    let errors: usize = reports.iter().map(|r| r.post.errors + r.get.errors).sum();
    if errors > 0 {
        return Err(format!("{errors} requests failed"));
    }
    Ok(())
}
