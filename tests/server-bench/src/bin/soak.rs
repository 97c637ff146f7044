//! `server-soak`: minutes of mixed traffic against one onelastai-server, and a
//! report of what it did to the server (issue 9's soak benchmark; a report,
//! not a timed test).
//!
//! Why: a short benchmark misses what only shows over time or under abuse:
//! memory that grows and is not given back, connections that are never
//! closed, a 5xx that one request in ten thousand gets, a slow client that
//! holds a worker. So the load mixes what a real server sees:
//!
//! - `--clients` normal clients (HTTP/1.1 keep-alive through reqwest), each
//!   looping over a weighted mix ([`Mix`]): valid creates over five
//!   collections (a few of them users with a password, hashed by the server),
//!   GET by id of documents it created, list walks (a filtered, sorted first
//!   page and up to two more pages through `nextCursor`), invalid documents
//!   (422), oversized bodies (`--body-limit` + 1 KiB, 413) and many-errors
//!   bodies (a chat session whose `messages` holds `--many-errors-items`
//!   empty objects, inside the body limit: 422). Each client deletes its
//!   oldest document once it holds `--keep`, so the collections stay the same
//!   size and the database (FerretDB scans tables) does not slow down over
//!   the run and blur the server's figures.
//! - `--slow-clients` clients on raw TCP, in turn: a POST whose body trickles
//!   one byte per `--slow-interval`; a request whose headers stop half-way and
//!   then trickle; a connection that sends nothing. Expected: a 408, or the
//!   server closing the connection. One still open after `--slow-give-up` is
//!   abandoned and reported as "held open".
//!
//! Latency percentiles are those of the normal requests (creates, sign-ups,
//! reads, list pages, deletes, invalid documents); the adversarial kinds get
//! their own rows. 400, 408, 409, 413 and 422 are expected non-5xx outcomes;
//! a status outside a kind's expected set is marked in the table.
//!
//! Memory: VmRSS of `--pid`, sampled every second. "start" is taken after a
//! warm-up (`--warmup` of the same mix, slow clients excepted) and
//! `--settle` of quiet, "end" after the load stops and the same quiet, so
//! both are the idle footprint; "peak" is the highest sample.
//!
//! Exit status 1 when a response was a 5xx, a normal request got no answer
//! (timeout or connection error), the server process went away, or the end
//! RSS is more than 20% above the start.

use onelastai_server_bench::documents::{self, Collection};
use onelastai_server_bench::{percentile_ms, procfs, run_tag};
use serde_json::Value;
use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::{sleep, sleep_until, Instant};

const USAGE: &str = "usage: server-soak --url http://127.0.0.1:PORT --pid PID --token T [--duration 10m] [--clients 32] [--slow-clients 4] [--warmup 15s] [--settle 10s] [--body-limit BYTES] [--many-errors-items 50000] [--keep 50] [--slow-interval 2s] [--slow-give-up 30s] [--progress 10s]";

/// Settings, from the command line.
#[derive(Debug, Clone)]
struct Opts {
    url: String,
    /// `host:port` of `url`, for the raw TCP clients.
    addr: String,
    pid: u32,
    token: String,
    duration: Duration,
    clients: usize,
    slow_clients: usize,
    warmup: Duration,
    settle: Duration,
    body_limit: usize,
    many_errors_items: usize,
    keep: usize,
    slow_interval: Duration,
    slow_give_up: Duration,
    progress: Duration,
}

/// `90`, `90s`, `1500ms`, `10m`, `1h`.
fn parse_duration(s: &str) -> Result<Duration, String> {
    let bad = || format!("not a duration: {s:?} (e.g. 90s, 10m, 1h, 500ms)");
    let (digits, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = digits.parse().map_err(|_| bad())?;
    Ok(match unit {
        "" | "s" => Duration::from_secs(n),
        "ms" => Duration::from_millis(n),
        "m" => Duration::from_secs(n * 60),
        "h" => Duration::from_secs(n * 3600),
        _ => return Err(bad()),
    })
}

fn parse_args() -> Result<Opts, String> {
    let mut o = Opts {
        url: String::new(),
        addr: String::new(),
        pid: 0,
        token: String::new(),
        duration: Duration::from_secs(600),
        clients: 32,
        slow_clients: 4,
        warmup: Duration::from_secs(15),
        settle: Duration::from_secs(10),
        body_limit: 1 << 20,
        many_errors_items: 50_000,
        keep: 50,
        slow_interval: Duration::from_secs(2),
        slow_give_up: Duration::from_secs(30),
        progress: Duration::from_secs(10),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        let number = |s: String| s.parse::<usize>().map_err(|_| format!("not a number: {s}"));
        match flag.as_str() {
            "--url" => o.url = value()?.trim_end_matches('/').to_string(),
            "--pid" => o.pid = number(value()?)? as u32,
            "--token" => o.token = value()?,
            "--duration" => o.duration = parse_duration(&value()?)?,
            "--clients" => o.clients = number(value()?)?.max(1),
            "--slow-clients" => o.slow_clients = number(value()?)?,
            "--warmup" => o.warmup = parse_duration(&value()?)?,
            "--settle" => o.settle = parse_duration(&value()?)?,
            "--body-limit" => o.body_limit = number(value()?)?,
            "--many-errors-items" => o.many_errors_items = number(value()?)?,
            "--keep" => o.keep = number(value()?)?.max(1),
            "--slow-interval" => o.slow_interval = parse_duration(&value()?)?,
            "--slow-give-up" => o.slow_give_up = parse_duration(&value()?)?,
            "--progress" => o.progress = parse_duration(&value()?)?,
            "-h" | "--help" => return Err(USAGE.to_string()),
            _ => return Err(format!("unknown argument {flag:?}\n{USAGE}")),
        }
    }
    o.addr = match o.url.strip_prefix("http://") {
        Some(a) if a.starts_with("127.0.0.1:") || a.starts_with("localhost:") => a.to_string(),
        _ => {
            return Err(format!(
                "--url {:?}: loopback http URLs only\n{USAGE}",
                o.url
            ))
        }
    };
    if o.pid == 0 || o.token.is_empty() {
        return Err(USAGE.to_string());
    }
    // The many-errors body must stay inside the limit to reach validation.
    let overhead = documents::many_errors_body("x", 0).len() + 64;
    let fits = o.body_limit.saturating_sub(overhead) / 3;
    if o.many_errors_items > fits {
        eprintln!(
            "server-soak: --many-errors-items {} does not fit in --body-limit {}; using {fits}",
            o.many_errors_items, o.body_limit
        );
        o.many_errors_items = fits;
    }
    Ok(o)
}

/// What a request was for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Create,
    Signup,
    Read,
    ListPage,
    Delete,
    Invalid,
    Oversized,
    ManyErrors,
    SlowBody,
    SlowHeaders,
    IdleConnection,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Create => "create",
            Kind::Signup => "sign-up (argon2id)",
            Kind::Read => "read by id",
            Kind::ListPage => "list page",
            Kind::Delete => "delete",
            Kind::Invalid => "invalid document",
            Kind::Oversized => "oversized body",
            Kind::ManyErrors => "many-errors body",
            Kind::SlowBody => "slow body",
            Kind::SlowHeaders => "slow headers",
            Kind::IdleConnection => "idle connection",
        }
    }

    /// Part of the normal traffic (latency percentiles, "no answer" fails the run).
    fn normal(self) -> bool {
        matches!(
            self,
            Kind::Create
                | Kind::Signup
                | Kind::Read
                | Kind::ListPage
                | Kind::Delete
                | Kind::Invalid
        )
    }

    /// Whether `outcome` is what this kind of request should get.
    fn expects(self, outcome: Outcome) -> bool {
        match (self, outcome) {
            (Kind::Create | Kind::Signup, Outcome::Status(s)) => s == 201,
            (Kind::Read | Kind::ListPage, Outcome::Status(s)) => s == 200,
            (Kind::Delete, Outcome::Status(s)) => s == 204,
            (Kind::Invalid | Kind::ManyErrors, Outcome::Status(s)) => s == 422,
            (Kind::Oversized, Outcome::Status(s)) => s == 413,
            (Kind::Oversized, Outcome::Closed) => true,
            (Kind::SlowBody | Kind::SlowHeaders | Kind::IdleConnection, Outcome::Status(s)) => {
                s == 408 || s == 400
            }
            (Kind::SlowBody | Kind::SlowHeaders | Kind::IdleConnection, Outcome::Closed) => true,
            (_, Outcome::CutAtEnd) => true,
            _ => false,
        }
    }
}

/// How a request ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    /// An HTTP status.
    Status(u16),
    /// The server closed (or reset) the connection without an answer.
    Closed,
    /// No answer within the client's timeout.
    Timeout,
    /// The connection could not be opened.
    ConnectError,
    /// A slow request the server had not ended after `--slow-give-up`.
    HeldOpen,
    /// A slow request still running when the run ended.
    CutAtEnd,
}

impl Outcome {
    fn is_5xx(self) -> bool {
        matches!(self, Outcome::Status(s) if s >= 500)
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Status(s) => write!(f, "{s}"),
            Outcome::Closed => f.write_str("closed by server"),
            Outcome::Timeout => f.write_str("no answer (timeout)"),
            Outcome::ConnectError => f.write_str("connect error"),
            Outcome::HeldOpen => f.write_str("held open"),
            Outcome::CutAtEnd => f.write_str("cut at end of run"),
        }
    }
}

/// Counters every client updates, for the progress lines.
#[derive(Default)]
struct Live {
    requests: AtomicU64,
    server_errors: AtomicU64,
    no_answer: AtomicU64,
}

/// Outcomes and latencies of one kind of request.
#[derive(Default)]
struct KindStats {
    latencies_us: Vec<u64>,
    outcomes: BTreeMap<Outcome, u64>,
}

/// Everything a client saw.
#[derive(Default)]
struct Stats {
    by_kind: BTreeMap<Kind, KindStats>,
}

impl Stats {
    fn record(&mut self, live: &Live, kind: Kind, outcome: Outcome, elapsed: Duration) {
        live.requests.fetch_add(1, Ordering::Relaxed);
        if outcome.is_5xx() {
            live.server_errors.fetch_add(1, Ordering::Relaxed);
        }
        if kind.normal() && !matches!(outcome, Outcome::Status(_)) {
            live.no_answer.fetch_add(1, Ordering::Relaxed);
        }
        let k = self.by_kind.entry(kind).or_default();
        k.latencies_us
            .push(u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX));
        *k.outcomes.entry(outcome).or_default() += 1;
    }

    fn merge(&mut self, other: Stats) {
        for (kind, s) in other.by_kind {
            let k = self.by_kind.entry(kind).or_default();
            k.latencies_us.extend(s.latencies_us);
            for (o, n) in s.outcomes {
                *k.outcomes.entry(o).or_default() += n;
            }
        }
    }

    fn total(&self) -> u64 {
        self.by_kind
            .values()
            .flat_map(|k| k.outcomes.values())
            .sum()
    }

    fn count(&self, pred: impl Fn(Kind, Outcome) -> bool) -> u64 {
        self.by_kind
            .iter()
            .flat_map(|(kind, k)| k.outcomes.iter().map(move |(o, n)| (*kind, *o, *n)))
            .filter(|(kind, o, _)| pred(*kind, *o))
            .map(|(_, _, n)| n)
            .sum()
    }
}

/// A small deterministic generator (xorshift64*): the mix needs no more, and
/// a seed per client makes a run repeatable.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn below(&mut self, n: u64) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1)
    }
}

/// What a normal client does next, in thousandths of its actions.
struct Mix;

impl Mix {
    const CREATE: u64 = 300;
    const READ: u64 = 380;
    const LIST: u64 = 150;
    const INVALID: u64 = 125;
    const SIGNUP: u64 = 5;
    const OVERSIZED: u64 = 25;
    const MANY_ERRORS: u64 = 15;
    const TOTAL: u64 = Self::CREATE
        + Self::READ
        + Self::LIST
        + Self::INVALID
        + Self::SIGNUP
        + Self::OVERSIZED
        + Self::MANY_ERRORS;
}

/// Bodies every client sends as they are.
struct Bodies {
    oversized: Vec<u8>,
    many_errors: String,
}

/// A normal client: reqwest over keep-alive connections.
struct Client {
    http: reqwest::Client,
    opts: Arc<Opts>,
    bodies: Arc<Bodies>,
    live: Arc<Live>,
    tag: String,
    rng: Rng,
    /// Documents it created and has not deleted, oldest first.
    own: VecDeque<(Collection, String)>,
    created: u64,
    stats: Stats,
}

impl Client {
    /// Sends `request`; its outcome and, on a 2xx, its JSON body.
    async fn send(
        &mut self,
        kind: Kind,
        request: reqwest::RequestBuilder,
    ) -> (Outcome, Option<Value>) {
        let started = std::time::Instant::now();
        let (outcome, body) = match request.bearer_auth(&self.opts.token).send().await {
            Ok(r) => {
                let status = r.status().as_u16();
                match r.bytes().await {
                    Ok(b) if (200..300).contains(&status) => {
                        (Outcome::Status(status), serde_json::from_slice(&b).ok())
                    }
                    Ok(_) => (Outcome::Status(status), None),
                    Err(e) => (transport(&e), None),
                }
            }
            Err(e) => (transport(&e), None),
        };
        self.stats
            .record(&self.live, kind, outcome, started.elapsed());
        (outcome, body)
    }

    fn post(
        &self,
        collection: Collection,
        body: impl Into<reqwest::Body>,
    ) -> reqwest::RequestBuilder {
        self.http
            .post(format!("{}/api/{}", self.opts.url, collection.route()))
            .header("content-type", "application/json")
            .body(body)
    }

    async fn create(&mut self, signup: bool) {
        self.created += 1;
        let tag = format!("{}_{}", self.tag, self.created);
        let (kind, collection, body) = if signup {
            (Kind::Signup, Collection::Users, documents::signup(&tag))
        } else {
            let c = Collection::ALL[self.rng.below(Collection::ALL.len() as u64) as usize];
            (Kind::Create, c, c.document(&tag, self.created))
        };
        let request = self.post(collection, body.to_string());
        if let (_, Some(doc)) = self.send(kind, request).await {
            if let Some(id) = doc["_id"].as_str() {
                self.own.push_back((collection, id.to_string()));
            }
        }
    }

    async fn read(&mut self) {
        let i = self.rng.below(self.own.len() as u64) as usize;
        let Some((collection, id)) = self.own.get(i).cloned() else {
            return self.create(false).await;
        };
        let url = format!("{}/api/{}/{id}", self.opts.url, collection.route());
        let request = self.http.get(url);
        self.send(Kind::Read, request).await;
    }

    async fn delete_oldest(&mut self) {
        let Some((collection, id)) = self.own.pop_front() else {
            return;
        };
        let url = format!("{}/api/{}/{id}", self.opts.url, collection.route());
        let request = self.http.delete(url);
        self.send(Kind::Delete, request).await;
    }

    async fn list_walk(&mut self) {
        let c = Collection::ALL[self.rng.below(Collection::ALL.len() as u64) as usize];
        let first = format!("{}/api/{}?{}", self.opts.url, c.route(), c.list_query());
        let request = self.http.get(&first);
        let (_, mut page) = self.send(Kind::ListPage, request).await;
        for _ in 0..2 {
            // nextCursor is base64url: it goes into the query as it is.
            let Some(cursor) = page.as_ref().and_then(|p| p["nextCursor"].as_str()) else {
                break;
            };
            let request = self.http.get(format!("{first}&cursor={cursor}"));
            page = self.send(Kind::ListPage, request).await.1;
        }
    }

    async fn invalid(&mut self) {
        self.created += 1;
        let c = Collection::ALL[self.rng.below(Collection::ALL.len() as u64) as usize];
        let body = c.invalid_document(&format!("{}_bad{}", self.tag, self.created));
        let request = self.post(c, body.to_string());
        self.send(Kind::Invalid, request).await;
    }

    async fn oversized(&mut self) {
        let request = self.post(Collection::Users, self.bodies.oversized.clone());
        self.send(Kind::Oversized, request).await;
    }

    async fn many_errors(&mut self) {
        let request = self.post(Collection::ChatSessions, self.bodies.many_errors.clone());
        self.send(Kind::ManyErrors, request).await;
    }

    /// The mix until `deadline`.
    async fn run(mut self, deadline: Instant) -> Self {
        while Instant::now() < deadline {
            if self.own.len() > self.opts.keep {
                self.delete_oldest().await;
                continue;
            }
            let mut pick = self.rng.below(Mix::TOTAL);
            let mut next = |weight: u64| {
                let hit = pick < weight;
                pick = pick.saturating_sub(weight);
                hit
            };
            if next(Mix::CREATE) {
                self.create(false).await;
            } else if next(Mix::READ) {
                self.read().await;
            } else if next(Mix::LIST) {
                self.list_walk().await;
            } else if next(Mix::INVALID) {
                self.invalid().await;
            } else if next(Mix::SIGNUP) {
                self.create(true).await;
            } else if next(Mix::OVERSIZED) {
                self.oversized().await;
            } else {
                self.many_errors().await;
            }
        }
        self
    }
}

/// A reqwest error as an outcome.
fn transport(e: &reqwest::Error) -> Outcome {
    if e.is_timeout() {
        Outcome::Timeout
    } else if e.is_connect() {
        Outcome::ConnectError
    } else {
        Outcome::Closed
    }
}

/// The status of an HTTP response that starts `head`, once its first line is in.
fn status_line(head: &[u8]) -> Option<u16> {
    let line_end = head.windows(2).position(|w| w == b"\r\n")?;
    let line = std::str::from_utf8(&head[..line_end]).ok()?;
    line.strip_prefix("HTTP/1.")?.get(2..5)?.parse().ok()
}

/// One deliberately slow request on its own connection: what the server did
/// about it, and when.
async fn slow_request(opts: &Opts, kind: Kind, run_end: Instant) -> Outcome {
    let body = documents::Collection::AnalyticsEvents
        .document("slow", 0)
        .to_string();
    let (head, trickle): (String, Vec<u8>) = match kind {
        Kind::SlowBody => (
            format!(
                "POST /api/analytics-events HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                opts.addr,
                opts.token,
                body.len()
            ),
            body.into_bytes(),
        ),
        // Headers that never end: a header value that grows one byte at a time.
        Kind::SlowHeaders => (
            format!("GET /api/users?limit=1 HTTP/1.1\r\nHost: {}\r\nX-Slow: ", opts.addr),
            vec![b'a'; 4096],
        ),
        _ => (String::new(), Vec::new()),
    };
    let connect = tokio::time::timeout(Duration::from_secs(5), TcpStream::connect(&opts.addr));
    let stream = match connect.await {
        Ok(Ok(s)) => s,
        Ok(Err(_)) | Err(_) => return Outcome::ConnectError,
    };
    let (mut rd, mut wr) = stream.into_split();
    let mut writing = wr.write_all(head.as_bytes()).await.is_ok();
    let give_up = Instant::now() + opts.slow_give_up;
    let mut tick = tokio::time::interval(opts.slow_interval);
    tick.tick().await;
    let mut next_byte = trickle.iter();
    let mut buf = [0_u8; 1024];
    let mut got = 0;
    loop {
        tokio::select! {
            read = rd.read(&mut buf[got..]) => match read {
                Ok(0) | Err(_) => return status_line(&buf[..got]).map_or(Outcome::Closed, Outcome::Status),
                Ok(n) => {
                    got += n;
                    if let Some(status) = status_line(&buf[..got]) {
                        return Outcome::Status(status);
                    }
                    if got == buf.len() {
                        return Outcome::Closed;
                    }
                }
            },
            _ = tick.tick(), if writing => match next_byte.next() {
                // A failed write means the server closed its side; an answer may
                // still be waiting to be read.
                Some(b) => writing = wr.write_all(std::slice::from_ref(b)).await.is_ok(),
                None => writing = false,
            },
            () = sleep_until(give_up) => return Outcome::HeldOpen,
            () = sleep_until(run_end) => return Outcome::CutAtEnd,
        }
    }
}

/// A slow client: slow body, slow headers and idle connections in turn until `run_end`.
async fn slow_client(opts: Arc<Opts>, live: Arc<Live>, first: usize, run_end: Instant) -> Stats {
    let kinds = [Kind::SlowBody, Kind::SlowHeaders, Kind::IdleConnection];
    let mut stats = Stats::default();
    let mut i = first;
    while Instant::now() < run_end {
        let kind = kinds[i % kinds.len()];
        i += 1;
        let started = std::time::Instant::now();
        let outcome = slow_request(&opts, kind, run_end).await;
        stats.record(&live, kind, outcome, started.elapsed());
        if outcome == Outcome::ConnectError {
            sleep(Duration::from_secs(1)).await;
        }
    }
    stats
}

/// RSS samples of the server, one a second, and whether it went away.
#[derive(Default)]
struct Memory {
    peak_kib: u64,
    last_kib: u64,
    gone: bool,
}

fn sample_memory(
    pid: u32,
    memory: Arc<Mutex<Memory>>,
    stop: Arc<AtomicBool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        while !stop.load(Ordering::Relaxed) {
            let sample = procfs::rss_kib(pid);
            if let Ok(mut m) = memory.lock() {
                match sample {
                    Ok(kib) => {
                        m.last_kib = kib;
                        m.peak_kib = m.peak_kib.max(kib);
                    }
                    Err(_) => m.gone = true,
                }
            }
            sleep(Duration::from_secs(1)).await;
        }
    })
}

fn rss_now(opts: &Opts) -> Result<u64, String> {
    procfs::rss_kib(opts.pid).map_err(|e| format!("the server (pid {}) is gone: {e}", opts.pid))
}

#[tokio::main]
async fn main() {
    match run().await {
        Ok(true) => {}
        Ok(false) => std::process::exit(1),
        Err(e) => {
            eprintln!("server-soak: {e}");
            std::process::exit(2);
        }
    }
}

/// Runs the normal clients until `deadline` (and the slow ones when `slow`).
async fn load(
    clients: Vec<Client>,
    opts: &Arc<Opts>,
    live: &Arc<Live>,
    deadline: Instant,
    slow: bool,
) -> Result<(Vec<Client>, Stats), String> {
    let mut normal = Vec::new();
    for c in clients {
        normal.push(tokio::spawn(c.run(deadline)));
    }
    let mut slow_tasks = Vec::new();
    if slow {
        for i in 0..opts.slow_clients {
            slow_tasks.push(tokio::spawn(slow_client(
                Arc::clone(opts),
                Arc::clone(live),
                i,
                deadline,
            )));
        }
    }
    let mut stats = Stats::default();
    let mut clients = Vec::new();
    for t in normal {
        let mut c = t.await.map_err(|e| format!("a client failed: {e}"))?;
        stats.merge(std::mem::take(&mut c.stats));
        clients.push(c);
    }
    for t in slow_tasks {
        stats.merge(t.await.map_err(|e| format!("a slow client failed: {e}"))?);
    }
    Ok((clients, stats))
}

/// Prints a progress line every `--progress` until `stop`.
fn progress(
    opts: &Arc<Opts>,
    live: &Arc<Live>,
    memory: &Arc<Mutex<Memory>>,
    stop: Arc<AtomicBool>,
) -> tokio::task::JoinHandle<()> {
    let (every, live, memory) = (opts.progress, Arc::clone(live), Arc::clone(memory));
    tokio::spawn(async move {
        let started = Instant::now();
        let mut last = 0;
        while !stop.load(Ordering::Relaxed) {
            sleep(every).await;
            let n = live.requests.load(Ordering::Relaxed);
            let rss = memory.lock().map_or(0, |m| m.last_kib);
            eprintln!(
                "server-soak: [{:>5.0} s] {n} requests ({:.0}/s), 5xx {}, normal without answer {}, RSS {:.1} MiB",
                started.elapsed().as_secs_f64(),
                (n - last) as f64 / every.as_secs_f64().max(1e-3),
                live.server_errors.load(Ordering::Relaxed),
                live.no_answer.load(Ordering::Relaxed),
                procfs::mib(rss)
            );
            last = n;
        }
    })
}

async fn run() -> Result<bool, String> {
    let opts = Arc::new(parse_args()?);
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .connect_timeout(Duration::from_secs(5))
        // Shorter than any keep-alive idle timeout the server may set, so a
        // request is not sent on a connection the server is closing.
        .pool_idle_timeout(Duration::from_secs(2))
        .build()
        .map_err(|e| e.to_string())?;
    let mut oversized = br#"{"id":"user_oversized","email":"big@example.com","bio":""#.to_vec();
    oversized.resize(opts.body_limit + 1024, b'x');
    oversized.extend_from_slice(br#""}"#);
    let bodies = Arc::new(Bodies {
        oversized,
        many_errors: documents::many_errors_body("manyerrors", opts.many_errors_items),
    });
    let run = run_tag();
    let live = Arc::new(Live::default());
    let clients: Vec<Client> = (0..opts.clients)
        .map(|i| Client {
            http: http.clone(),
            opts: Arc::clone(&opts),
            bodies: Arc::clone(&bodies),
            live: Arc::clone(&live),
            tag: format!("{run}c{i}"),
            rng: Rng::new(i as u64 + 1),
            own: VecDeque::new(),
            created: 0,
            stats: Stats::default(),
        })
        .collect();

    eprintln!(
        "server-soak: {} (pid {}): warm-up {:?} with {} clients, then {:?} with {} clients + {} slow clients",
        opts.url, opts.pid, opts.warmup, opts.clients, opts.duration, opts.clients, opts.slow_clients
    );
    let memory = Arc::new(Mutex::new(Memory::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = sample_memory(opts.pid, Arc::clone(&memory), Arc::clone(&stop));
    let ticker = progress(&opts, &live, &memory, Arc::clone(&stop));

    let rss_before_warmup = rss_now(&opts)?;
    let (clients, warm) = load(clients, &opts, &live, Instant::now() + opts.warmup, false).await?;
    sleep(opts.settle).await;
    let rss_start = rss_now(&opts)?;
    if let Ok(mut m) = memory.lock() {
        m.peak_kib = rss_start;
    }
    let started = std::time::Instant::now();
    let (_clients, stats) =
        load(clients, &opts, &live, Instant::now() + opts.duration, true).await?;
    let seconds = started.elapsed().as_secs_f64();
    let peak_during = memory.lock().map_or(0, |m| m.peak_kib);
    sleep(opts.settle).await;
    let rss_end = rss_now(&opts);
    let health = health(&http, &opts).await;
    stop.store(true, Ordering::Relaxed);
    let _ = sampler.await;
    ticker.abort();
    let gone = memory.lock().map_or(true, |m| m.gone) || rss_end.is_err();
    let hwm = procfs::peak_rss_kib(opts.pid).unwrap_or(0);

    Ok(report(&Report {
        opts: &opts,
        warm: &warm,
        stats: &stats,
        seconds,
        rss_before_warmup,
        rss_start,
        peak_during,
        rss_end: rss_end.ok(),
        hwm,
        gone,
        health,
    }))
}

/// `GET /health` after the run: its status and latency, or why it failed.
async fn health(http: &reqwest::Client, opts: &Opts) -> Result<(u16, f64), String> {
    let started = std::time::Instant::now();
    let r = http
        .get(format!("{}/health", opts.url))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    Ok((
        r.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0,
    ))
}

/// What the run measured.
struct Report<'a> {
    opts: &'a Opts,
    warm: &'a Stats,
    stats: &'a Stats,
    seconds: f64,
    rss_before_warmup: u64,
    rss_start: u64,
    peak_during: u64,
    rss_end: Option<u64>,
    hwm: u64,
    gone: bool,
    health: Result<(u16, f64), String>,
}

/// Prints the report; whether the run passed.
fn report(r: &Report) -> bool {
    let o = r.opts;
    let s = r.stats;
    let total = s.total();
    println!();
    println!(
        "soak: {} (pid {}), {:.0} s, {} clients + {} slow clients; warm-up {:.0} s, settle {:.0} s; body limit {} bytes, many-errors body {} items ({} bytes)",
        o.url,
        o.pid,
        r.seconds,
        o.clients,
        o.slow_clients,
        o.warmup.as_secs_f64(),
        o.settle.as_secs_f64(),
        o.body_limit,
        o.many_errors_items,
        documents::many_errors_body("manyerrors", o.many_errors_items).len()
    );
    println!(
        "requests: {total} ({:.1}/s); warm-up before it: {} requests, {} of them 5xx",
        total as f64 / r.seconds.max(1e-9),
        r.warm.total(),
        r.warm.count(|_, o| o.is_5xx())
    );
    let mut normal: Vec<u64> = s
        .by_kind
        .iter()
        .filter(|(k, _)| k.normal())
        .flat_map(|(_, k)| k.latencies_us.iter().copied())
        .collect();
    normal.sort_unstable();
    println!(
        "latency of the {} normal requests (creates, sign-ups, reads, list pages, deletes, invalid documents): p50 {:.2} ms, p99 {:.2} ms",
        normal.len(),
        percentile_ms(&normal, 0.5),
        percentile_ms(&normal, 0.99)
    );
    let mut by_outcome: BTreeMap<Outcome, u64> = BTreeMap::new();
    for k in s.by_kind.values() {
        for (o, n) in &k.outcomes {
            *by_outcome.entry(*o).or_default() += n;
        }
    }
    let counts: Vec<String> = by_outcome
        .iter()
        .map(|(o, n)| format!("{o}: {n}"))
        .collect();
    println!("by status: {}", counts.join(", "));
    println!(
        "{:<20} {:>8} {:>9} {:>9} {:>9}  outcomes (* = not what this kind expects)",
        "kind", "requests", "p50 ms", "p99 ms", "max ms"
    );
    for (kind, k) in &s.by_kind {
        let mut lat = k.latencies_us.clone();
        lat.sort_unstable();
        let outcomes: Vec<String> = k
            .outcomes
            .iter()
            .map(|(o, n)| format!("{o}{}: {n}", if kind.expects(*o) { "" } else { "*" }))
            .collect();
        println!(
            "{:<20} {:>8} {:>9.2} {:>9.2} {:>9.2}  {}",
            kind.label(),
            lat.len(),
            percentile_ms(&lat, 0.5),
            percentile_ms(&lat, 0.99),
            percentile_ms(&lat, 1.0),
            outcomes.join(", ")
        );
    }
    let server_errors = s.count(|_, o| o.is_5xx()) + r.warm.count(|_, o| o.is_5xx());
    let no_answer = s.count(|k, o| k.normal() && !matches!(o, Outcome::Status(_)));
    let held_open = s.count(|_, o| o == Outcome::HeldOpen);
    println!("5xx: {server_errors}");
    let (mib, start) = (procfs::mib, r.rss_start);
    let within = r.rss_end.map(|end| (end as f64) <= start as f64 * 1.2);
    match r.rss_end {
        Some(end) => println!(
            "RSS: before warm-up {:.1} MiB; start {:.1} MiB (after warm-up and {:.0} s idle); peak during the run {:.1} MiB (1 s samples; VmHWM since the server started {:.1} MiB); end {:.1} MiB ({:.0} s after the load stopped): end/start {:.2}, within 20% of start: {}",
            mib(r.rss_before_warmup),
            mib(start),
            o.settle.as_secs_f64(),
            mib(r.peak_during),
            mib(r.hwm),
            mib(end),
            o.settle.as_secs_f64(),
            end as f64 / start.max(1) as f64,
            if within == Some(true) { "yes" } else { "NO" }
        ),
        None => println!("RSS: start {:.1} MiB; end unknown: the server is gone", mib(start)),
    }
    match &r.health {
        Ok((status, ms)) => println!("GET /health after the run: {status} in {ms:.1} ms"),
        Err(e) => println!("GET /health after the run: no answer ({e})"),
    }
    if held_open > 0 {
        println!(
            "note: {held_open} slow requests were still open after {:.0} s (the server does not time them out)",
            o.slow_give_up.as_secs_f64()
        );
    }
    let mut failures = Vec::new();
    if server_errors > 0 {
        failures.push(format!("{server_errors} responses were 5xx"));
    }
    if no_answer > 0 {
        failures.push(format!("{no_answer} normal requests got no answer"));
    }
    if r.gone {
        failures.push("the server process went away".to_string());
    }
    if within == Some(false) {
        failures.push("end RSS is more than 20% above the start".to_string());
    }
    if failures.is_empty() {
        println!("verdict: PASS");
        true
    } else {
        println!("verdict: FAIL: {}", failures.join("; "));
        false
    }
}
