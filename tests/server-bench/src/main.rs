//! `server-bench`: the same bounded load against each target (a loopback URL
//! and the pid of its process), measured from outside.
//!
//! Phases, each run against every target in turn before the next phase
//! starts, so that a change in the machine's background load hits both alike:
//!
//! - warm-up: `--warmup` creates per collection (users without a password)
//!   and a tenth as many sign-ups, each document read back once, and a list
//!   walk per collection;
//! - GET: `--gets` × `GET /api/<route>/<id>` over the warm-up documents of
//!   the five collections of [`documents::Collection`];
//! - LIST: `--lists` list walks: the first page of a filtered, sorted list
//!   ([`Collection::list_query`]) and up to two more pages through
//!   `nextCursor`; every page counts as a request;
//! - POST: `--posts` creates, round robin over the five collections;
//! - SIGNUP: `--signups` × `POST /api/users` with a password, which both
//!   servers store as an argon2id hash (m=19456 KiB, t=2, p=1).
//!
//! Reads and lists run before the creates and over the warm-up documents
//! only: FerretDB on SQLite scans the table for an `_id` lookup and sorts a
//! list itself, so reads over a growing collection would measure the
//! database rather than the servers.
//!
//! Reported per phase and target: requests, errors, req/s, p50/p99 latency,
//! the server's CPU-seconds per 10k requests and the database's (utime +
//! stime from `/proc/<pid>/stat` of the target and of `--db-pid`, over that
//! target's run of the phase); then each target's peak RSS (`VmHWM`) and the
//! ratios of the first target to the second. `--note` lines (how the
//! servers were set up) are printed above the table.

use onelastai_server_bench::documents::{self, Collection};
use onelastai_server_bench::{percentile_ms, procfs, run_tag};
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Target {
    name: String,
    url: String,
    pid: u32,
}

struct Args {
    token: String,
    posts: usize,
    signups: usize,
    gets: usize,
    lists: usize,
    warmup: usize,
    concurrency: usize,
    db_pid: Option<u32>,
    notes: Vec<String>,
    targets: Vec<Target>,
}

const USAGE: &str = "usage: server-bench --token T [--posts N] [--signups N] [--gets N] [--lists N] [--warmup N] [--concurrency N] [--db-pid PID] [--note TEXT]... --target NAME=URL@PID [--target ...]";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        token: String::new(),
        posts: 5000,
        signups: 300,
        gets: 10000,
        lists: 1000,
        warmup: 100,
        concurrency: 16,
        db_pid: None,
        notes: Vec::new(),
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
            "--signups" => args.signups = number(value()?)?,
            "--gets" => args.gets = number(value()?)?,
            "--lists" => args.lists = number(value()?)?,
            "--warmup" => args.warmup = number(value()?)?.max(1),
            "--concurrency" => args.concurrency = number(value()?)?.max(1),
            "--db-pid" => {
                let v = value()?;
                args.db_pid = Some(v.parse().map_err(|_| format!("bad --db-pid {v}"))?);
            }
            "--note" => args.notes.push(value()?),
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

/// What one phase sends.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Op {
    Get,
    List,
    Post,
    Signup,
}

impl Op {
    fn label(self) -> &'static str {
        match self {
            Op::Get => "GET",
            Op::List => "LIST",
            Op::Post => "POST",
            Op::Signup => "SIGNUP",
        }
    }
}

/// The figures of one phase against one target.
#[derive(Default)]
struct Phase {
    requests: usize,
    errors: usize,
    seconds: f64,
    latencies_us: Vec<u64>,
    cpu_seconds: f64,
    db_cpu_seconds: f64,
    /// Documents created (POST and SIGNUP), for the reads that follow.
    created: Vec<(Collection, String)>,
}

impl Phase {
    fn rps(&self) -> f64 {
        self.requests as f64 / self.seconds.max(1e-9)
    }
    fn cpu_per_10k(&self) -> f64 {
        self.cpu_seconds / self.requests.max(1) as f64 * 10_000.0
    }
    fn db_cpu_per_10k(&self) -> f64 {
        self.db_cpu_seconds / self.requests.max(1) as f64 * 10_000.0
    }
}

/// What every phase against one target shares.
struct Load<'a> {
    client: &'a reqwest::Client,
    target: &'a Target,
    token: &'a str,
    concurrency: usize,
    db_pid: Option<u32>,
    ticks: f64,
}

/// One worker's share of a phase.
#[derive(Default)]
struct WorkerOut {
    latencies_us: Vec<u64>,
    errors: usize,
    created: Vec<(Collection, String)>,
}

impl WorkerOut {
    /// Sends one request; its body when the status is `expect`, else counts an error.
    async fn send(
        &mut self,
        request: reqwest::RequestBuilder,
        token: &str,
        expect: u16,
    ) -> Option<Value> {
        let started = Instant::now();
        let result = match request.bearer_auth(token).send().await {
            Ok(r) if r.status().as_u16() == expect => r.bytes().await.ok(),
            Ok(r) => {
                // Drain so the connection can be reused.
                let _ = r.bytes().await;
                None
            }
            Err(_) => None,
        };
        self.latencies_us
            .push(u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX));
        let body = result.and_then(|b| serde_json::from_slice::<Value>(&b).ok());
        if body.is_none() {
            self.errors += 1;
        }
        body
    }
}

/// What a worker of a phase sends with.
struct Worker {
    client: reqwest::Client,
    url: String,
    token: String,
    /// Prefix of the unique fields of the documents it creates.
    tag: String,
    /// The documents it reads.
    pool: Arc<Vec<(Collection, String)>>,
}

/// Request `i` of a phase (a list walk is up to three requests).
async fn job(w: &Worker, op: Op, i: usize, out: &mut WorkerOut) {
    let Worker {
        client,
        url,
        token,
        tag,
        pool,
    } = w;
    match op {
        Op::Post | Op::Signup => {
            let collection = match op {
                Op::Signup => Collection::Users,
                _ => Collection::ALL[i % Collection::ALL.len()],
            };
            let tag = format!("{tag}_{i}");
            let body = match op {
                Op::Signup => documents::signup(&tag),
                _ => collection.document(&tag, i as u64),
            };
            let request = client
                .post(format!("{url}/api/{}", collection.route()))
                .header("content-type", "application/json")
                .body(body.to_string());
            if let Some(doc) = out.send(request, token, 201).await {
                if let Some(id) = doc["_id"].as_str() {
                    out.created.push((collection, id.to_string()));
                }
            }
        }
        Op::Get => {
            let Some((collection, id)) = pool.get(i % pool.len().max(1)) else {
                out.errors += 1;
                return;
            };
            let request = client.get(format!("{url}/api/{}/{id}", collection.route()));
            out.send(request, token, 200).await;
        }
        Op::List => {
            let collection = Collection::ALL[i % Collection::ALL.len()];
            let first = format!(
                "{url}/api/{}?{}",
                collection.route(),
                collection.list_query()
            );
            let mut page = out.send(client.get(&first), token, 200).await;
            for _ in 0..2 {
                // nextCursor is base64url: it goes into the query as it is.
                let Some(cursor) = page.as_ref().and_then(|p| p["nextCursor"].as_str()) else {
                    break;
                };
                let next = format!("{first}&cursor={cursor}");
                page = out.send(client.get(&next), token, 200).await;
            }
        }
    }
}

async fn run_phase(
    load: &Load<'_>,
    op: Op,
    n: usize,
    tag: &str,
    pool: Arc<Vec<(Collection, String)>>,
) -> Result<Phase, String> {
    let target = load.target;
    let next = Arc::new(AtomicUsize::new(0));
    let cpu0 = procfs::cpu_ticks(target.pid)?;
    let db0 = load.db_pid.map(procfs::cpu_ticks).transpose()?;
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..load.concurrency {
        let next = Arc::clone(&next);
        let worker = Worker {
            client: load.client.clone(),
            url: target.url.clone(),
            token: load.token.to_string(),
            tag: tag.to_string(),
            pool: Arc::clone(&pool),
        };
        workers.push(tokio::spawn(async move {
            let mut out = WorkerOut::default();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                job(&worker, op, i, &mut out).await;
            }
            out
        }));
    }
    let mut phase = Phase::default();
    for w in workers {
        let out = w.await.map_err(|e| e.to_string())?;
        phase.latencies_us.extend(out.latencies_us);
        phase.created.extend(out.created);
        phase.errors += out.errors;
    }
    phase.seconds = started.elapsed().as_secs_f64();
    phase.cpu_seconds = (procfs::cpu_ticks(target.pid)? - cpu0) as f64 / load.ticks;
    if let (Some(pid), Some(db0)) = (load.db_pid, db0) {
        phase.db_cpu_seconds = (procfs::cpu_ticks(pid)? - db0) as f64 / load.ticks;
    }
    phase.requests = phase.latencies_us.len();
    phase.latencies_us.sort_unstable();
    Ok(phase)
}

const MEASURED: [Op; 4] = [Op::Get, Op::List, Op::Post, Op::Signup];

struct Report {
    name: String,
    /// In the order of [`MEASURED`].
    phases: Vec<Phase>,
    peak_rss_kib: u64,
}

impl Report {
    /// Server CPU-seconds per request over the phases `ops`.
    fn cpu_per_request(&self, ops: &[Op]) -> f64 {
        let (cpu, n) = MEASURED
            .iter()
            .zip(&self.phases)
            .filter(|(op, _)| ops.contains(op))
            .fold((0.0, 0), |(c, n), (_, p)| {
                (c + p.cpu_seconds, n + p.requests)
            });
        cpu / n.max(1) as f64
    }
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
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(args.concurrency)
        .build()
        .map_err(|e| e.to_string())?;
    let run = run_tag();
    let loads: Vec<Load> = args
        .targets
        .iter()
        .map(|target| Load {
            client: &client,
            target,
            token: &args.token,
            concurrency: args.concurrency,
            db_pid: args.db_pid,
            ticks: procfs::ticks_per_second(),
        })
        .collect();

    let mut pools = Vec::new();
    for load in &loads {
        let t = load.target;
        let creates = args.warmup * Collection::ALL.len();
        eprintln!(
            "server-bench: {} ({}, pid {}): warm-up {creates} x POST, {} x SIGNUP, as many GET, {} list walks",
            t.name,
            t.url,
            t.pid,
            args.warmup / 10,
            Collection::ALL.len()
        );
        let none = Arc::new(Vec::new());
        let warm = run_phase(load, Op::Post, creates, &format!("{run}w"), none.clone()).await?;
        if warm.created.len() < creates {
            return Err(format!(
                "{}: {} of {creates} warm-up creates failed",
                t.name, warm.errors
            ));
        }
        let signups =
            run_phase(load, Op::Signup, args.warmup / 10, &format!("{run}v"), none).await?;
        let mut ids = warm.created;
        ids.extend(signups.created);
        let ids = Arc::new(ids);
        let reads = run_phase(load, Op::Get, ids.len(), "", ids.clone()).await?;
        let lists = run_phase(load, Op::List, Collection::ALL.len(), "", ids.clone()).await?;
        let errors = signups.errors + reads.errors + lists.errors;
        if errors > 0 {
            return Err(format!("{}: {errors} warm-up requests failed", t.name));
        }
        pools.push(ids);
    }

    let mut phases: Vec<Vec<Phase>> = loads.iter().map(|_| Vec::new()).collect();
    for op in MEASURED {
        let n = match op {
            Op::Get => args.gets,
            Op::List => args.lists,
            Op::Post => args.posts,
            Op::Signup => args.signups,
        };
        for ((load, ids), out) in loads.iter().zip(&pools).zip(&mut phases) {
            eprintln!("server-bench: {}: {} x {}", load.target.name, n, op.label());
            let tag = format!("{run}{}", op.label().to_ascii_lowercase());
            out.push(run_phase(load, op, n, &tag, Arc::clone(ids)).await?);
        }
    }
    let mut reports = Vec::new();
    for (load, phases) in loads.iter().zip(phases) {
        reports.push(Report {
            name: load.target.name.clone(),
            phases,
            peak_rss_kib: procfs::peak_rss_kib(load.target.pid)?,
        });
    }
    print_reports(&args, &reports);

    let errors: usize = reports
        .iter()
        .flat_map(|r| &r.phases)
        .map(|p| p.errors)
        .sum();
    if errors > 0 {
        return Err(format!("{errors} requests failed"));
    }
    Ok(())
}

fn print_reports(args: &Args, reports: &[Report]) {
    println!();
    for note in &args.notes {
        println!("{note}");
    }
    println!(
        "load: concurrency {}; per server, after a warm-up ({} creates per collection, read back): {} GET /api/<route>/<id>, {} list walks (a filtered, sorted first page and up to 2 more pages through nextCursor), {} POST, {} SIGNUP (POST /api/users with a password); collections: {}",
        args.concurrency,
        args.warmup,
        args.gets,
        args.lists,
        args.posts,
        args.signups,
        Collection::ALL.map(Collection::route).join(", ")
    );
    let db = if args.db_pid.is_some() {
        "DB CPU-s/10k"
    } else {
        "DB (no --db-pid)"
    };
    println!(
        "{:<10} {:<6} {:>8} {:>7} {:>8} {:>8} {:>8} {:>13} {:>13}",
        "server", "phase", "requests", "errors", "req/s", "p50 ms", "p99 ms", "CPU-s/10k", db
    );
    for r in reports {
        for (op, p) in MEASURED.iter().zip(&r.phases) {
            println!(
                "{:<10} {:<6} {:>8} {:>7} {:>8.0} {:>8.2} {:>8.2} {:>13.2} {:>13.2}",
                r.name,
                op.label(),
                p.requests,
                p.errors,
                p.rps(),
                percentile_ms(&p.latencies_us, 0.5),
                percentile_ms(&p.latencies_us, 0.99),
                p.cpu_per_10k(),
                p.db_cpu_per_10k()
            );
        }
    }
    for r in reports {
        println!(
            "{:<10} peak RSS {:.1} MiB",
            r.name,
            procfs::mib(r.peak_rss_kib)
        );
    }
    let [a, b, ..] = reports else {
        return;
    };
    println!();
    println!(
        "ratios {} / {}:   {:>10} {:>12} {:>8} {:>8}",
        a.name, b.name, "CPU/request", "DB CPU/req", "req/s", "p50"
    );
    for (i, op) in MEASURED.iter().enumerate() {
        let (pa, pb) = (&a.phases[i], &b.phases[i]);
        println!(
            "  {:<28} {:>10.3} {:>12.3} {:>7.2}x {:>8.3}",
            op.label(),
            pa.cpu_per_10k() / pb.cpu_per_10k(),
            pa.db_cpu_per_10k() / pb.db_cpu_per_10k(),
            pa.rps() / pb.rps(),
            percentile_ms(&pa.latencies_us, 0.5) / percentile_ms(&pb.latencies_us, 0.5),
        );
    }
    let without = [Op::Get, Op::List, Op::Post];
    let cpu = a.cpu_per_request(&without) / b.cpu_per_request(&without);
    let cpu_all = a.cpu_per_request(&MEASURED) / b.cpu_per_request(&MEASURED);
    let rss = a.peak_rss_kib as f64 / b.peak_rss_kib as f64;
    println!(
        "  {:<28} {cpu:>10.3}   (target <= 0.200: {})",
        "GET+LIST+POST",
        met(cpu <= 0.2)
    );
    println!(
        "  {:<28} {cpu_all:>10.3}   (argon2id dominates SIGNUP on both)",
        "all phases with SIGNUP"
    );
    println!(
        "  {:<28} {rss:>10.3}   (target <= 0.333: {})",
        "peak RSS",
        met(rss <= 1.0 / 3.0)
    );
}

fn met(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "NOT met"
    }
}
