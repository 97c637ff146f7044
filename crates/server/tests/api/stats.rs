//! The admin statistics (issue 13): a known data set seeded through the API
//! (users, sessions over several days and countries, chat, tool runs,
//! reviews, payments, invoices, real sign-in successes, failures and a
//! lockout, and older auth events), and every endpoint's numbers checked
//! against plain loops over the stored documents, with the issue's
//! definitions written out here (UTC buckets, distinct users, nearest-rank
//! percentiles), not taken from the server.

use crate::common::{
    register_secret, run_create_admin, sign_in, sign_in_attempt, sign_up, Resp, TestServer, TOKEN,
};
use bson::{doc, Bson, Document};
use onelastai_models::{Collection, Date};
use onelastai_server::stats::{set_hooks, Engine, Hooks, PipelineRunner};
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

const DAY: i64 = 86_400_000;
const ADMIN_EMAIL: &str = "stats-admin@example.com";
const ADMIN_PASSWORD: &str = "admin-password-1234";

fn iso(ms: i64) -> String {
    Date::from_millis(ms).map_or_else(String::new, Date::to_iso_string)
}

fn ms_of(d: &Document, field: &str) -> Option<i64> {
    match d.get(field) {
        Some(Bson::DateTime(t)) => Some(t.timestamp_millis()),
        _ => None,
    }
}

fn num(d: &Document, field: &str) -> Option<f64> {
    match d.get(field) {
        Some(Bson::Int32(n)) => Some(f64::from(*n)),
        Some(Bson::Int64(n)) => Some(*n as f64),
        Some(Bson::Double(n)) => Some(*n),
        _ => None,
    }
}

fn text(d: &Document, field: &str) -> Option<String> {
    match d.get(field) {
        Some(Bson::String(s)) => Some(s.clone()),
        Some(Bson::ObjectId(o)) => Some(o.to_hex()),
        _ => None,
    }
}

/// A small deterministic generator (64-bit LCG), so the data set is the same every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

async fn created(server: &TestServer, path: &str, body: Value) -> Value {
    let r = server.post(path, &body).await;
    assert_eq!(r.status, 201, "POST {path} {body}: {}", r.text);
    r.json
}

async fn stats(server: &TestServer, path: &str, bearer: Option<&str>) -> Resp {
    server.call(Method::GET, path, None, bearer).await
}

async fn stats_ok(server: &TestServer, path: &str) -> Value {
    let r = stats(server, path, Some(TOKEN)).await;
    assert_eq!(r.status, 200, "GET {path}: {}", r.text);
    r.json
}

/// The week of `ms` starts on Monday 00:00 UTC: 1970-01-01 was a Thursday
/// (weekday 4 counting from Sunday = 0).
fn monday_of(ms: i64) -> i64 {
    let day = ms.div_euclid(DAY);
    let weekday_from_sunday = (day + 4).rem_euclid(7);
    let since_monday = (weekday_from_sunday + 6) % 7;
    (day - since_monday) * DAY
}

/// The first of the month of `ms`, 00:00 UTC, by the models crate's calendar.
fn first_of_month(ms: i64) -> i64 {
    let p = Date::from_millis(ms).map(Date::parts);
    p.and_then(|p| Date::from_parts_overflowing(p.year, i64::from(p.month) - 1, 1, 0))
        .map_or(i64::MIN, Date::millis)
}

/// The seeded window: the ten UTC days ending today (to = tomorrow 00:00).
struct Window {
    from: i64,
    to: i64,
}

impl Window {
    fn query(&self) -> String {
        format!("from={}&to={}", iso(self.from), iso(self.to))
    }

    fn holds(&self, ms: Option<i64>) -> bool {
        ms.is_some_and(|t| t >= self.from && t < self.to)
    }

    /// Bucket starts: `bucket(from)`, then each next start below `to`.
    fn starts(&self, bucket: fn(i64) -> i64) -> Vec<i64> {
        let mut out = vec![bucket(self.from)];
        // Step a day at a time and keep each new bucket start (no bucket
        // arithmetic of its own beyond `bucket`).
        let mut t = self.from;
        while t < self.to {
            let b = bucket(t);
            if out.last() != Some(&b) {
                out.push(b);
            }
            t += DAY;
        }
        out
    }
}

fn day_of(ms: i64) -> i64 {
    ms.div_euclid(DAY) * DAY
}

/// Seeds the data set; returns the window it lies in (plus documents outside it).
async fn seed(server: &TestServer) -> Window {
    let today = day_of(crate::common::now_ms());
    let w = Window {
        from: today - 9 * DAY,
        to: today + DAY,
    };
    // Times within day `d` (days before today; negative: outside the window).
    let at = |d: i64, hour: i64| iso(today - d * DAY + hour * 3_600_000 + 123);
    let mut rng = Lcg(13);

    // Users created over the days (one before the window), some with a sign-in.
    let mut users: Vec<(String, String)> = Vec::new(); // (app id, _id hex)
    let created_days = [12, 9, 8, 5, 5, 3, 1, 0];
    for (i, d) in created_days.iter().enumerate() {
        let mut body = json!({
            "id": format!("user_seed{i}"),
            "email": format!("seed{i}@example.com"),
            "name": format!("Seed {i}"),
            "createdAt": at(*d, 2 + i as i64),
        });
        if i % 3 == 1 {
            body["lastLoginAt"] = json!(at(d - (i as i64 % 2).min(*d), 20));
        }
        let u = created(server, "/api/users", body).await;
        users.push((
            u["id"].as_str().unwrap_or_default().to_string(),
            u["_id"].as_str().unwrap_or_default().to_string(),
        ));
    }

    // Sessions: countries DE/US/FR/none, several per user, some outside the window.
    let countries = [
        Some("DE"),
        Some("US"),
        Some("FR"),
        None,
        Some("DE"),
        Some("BR"),
    ];
    for k in 0..30 {
        let u = &users[rng.below(users.len() as u64) as usize];
        let d = rng.below(12) as i64; // 10 and 11 fall before the window
        let mut body = json!({
            "userId": u.1,
            "sessionId": format!("seeded-session-{k}"),
            "expiresAt": iso(today + 30 * DAY),
            "lastActivityAt": at(d, rng.below(24) as i64),
            "createdAt": at(d + rng.below(2) as i64, 1),
        });
        if let Some(c) = countries[rng.below(countries.len() as u64) as usize] {
            body["location"] = json!({ "country": c, "city": "Somewhere" });
        }
        created(server, "/api/user-sessions", body).await;
    }

    // Chat: sessions, messages and analytics for three agents (and one without).
    let agents = [
        Some("agent-einstein"),
        Some("agent-chef"),
        Some("agent-tutor"),
        None,
    ];
    for k in 0..25 {
        let u = &users[rng.below(6) as usize + 1];
        let d = rng.below(11) as i64;
        let mut body = json!({
            "id": format!("session_seed{k}"),
            "userId": u.0,
            "name": format!("Conversation {k}"),
            "createdAt": at(d, 3),
        });
        if let Some(a) = agents[rng.below(4) as usize] {
            body["agentId"] = json!(a);
        }
        created(server, "/api/chat-sessions", body).await;
    }
    for k in 0..60 {
        let u = &users[rng.below(5) as usize + 2];
        let d = rng.below(11) as i64;
        let mut body = json!({
            "sessionId": format!("session_seed{}", rng.below(25)),
            "messageId": format!("msg_seed{k}"),
            "userId": u.0,
            "role": if k % 2 == 0 { "user" } else { "assistant" },
            "content": format!("message {k}"),
            "createdAt": at(d, 4),
        });
        if let Some(a) = agents[rng.below(4) as usize] {
            body["agentId"] = json!(a);
        }
        created(server, "/api/chat-messages", body).await;
    }
    for _ in 0..30 {
        let u = &users[rng.below(6) as usize + 1];
        let d = rng.below(11) as i64;
        let a = agents[rng.below(3) as usize].unwrap_or("agent-einstein");
        let mut body = json!({
            "userId": u.0,
            "agentId": a,
            "agentName": a,
            "userMessage": "question",
            "aiResponse": "answer",
            "responseTime": 100 + rng.below(900),
            "model": "claude",
            "createdAt": at(d, 5),
        });
        if rng.below(3) > 0 {
            body["personalityScore"] = json!(rng.below(101));
        }
        if rng.below(2) == 0 {
            body["feedback"] = json!({ "satisfied": rng.below(3) > 0 });
        }
        created(server, "/api/chat-analytics", body).await;
    }

    // Tool runs (some anonymous, some without an execution time) and reviews.
    let tools = ["api-tester", "json-formatter", "dns-lookup"];
    for k in 0..40 {
        let d = rng.below(11) as i64;
        let mut body = json!({
            "toolName": tools[rng.below(3) as usize],
            "toolCategory": "developer",
            "action": "run",
            "success": rng.below(4) > 0,
            "createdAt": at(d, 6),
        });
        if k % 5 != 0 {
            body["userId"] = json!(users[rng.below(7) as usize + 1].0);
        }
        if k % 7 != 0 {
            body["executionTime"] = json!(10 + rng.below(500));
        }
        created(server, "/api/tool-usage-analytics", body).await;
    }
    for k in 0..12 {
        let d = rng.below(11) as i64;
        created(
            server,
            "/api/tool-reviews",
            json!({
                "toolId": tools[rng.below(3) as usize],
                "userId": users[rng.below(7) as usize + 1].0,
                "rating": 1 + rng.below(5),
                "title": format!("Review {k}"),
                "content": "fine",
                "createdAt": at(d, 7),
            }),
        )
        .await;
    }

    // Payments and invoices in two currencies, over the window (which may span two months).
    let statuses = ["succeeded", "succeeded", "failed", "pending"];
    let invoice_statuses = ["paid", "pending", "failed", "void"];
    for k in 0..24 {
        let u = &users[rng.below(7) as usize + 1];
        let d = rng.below(11) as i64;
        let currency = if k % 3 == 0 { "EUR" } else { "USD" };
        let common = json!({
            "userId": u.1,
            "email": "billing@example.com",
            "stripeSubscriptionId": format!("sub_{k}"),
            "agentId": "agent-einstein",
            "agentName": "Einstein",
            "plan": "monthly",
            "amount": 5.5 + rng.below(40) as f64,
            "currency": currency,
            "createdAt": at(d, 8),
        });
        let mut payment = common.clone();
        payment["status"] = json!(statuses[rng.below(4) as usize]);
        payment["paidAt"] = json!(at(d, 9));
        created(server, "/api/payments", payment).await;
        let mut invoice = common;
        invoice["status"] = json!(invoice_statuses[rng.below(4) as usize]);
        created(server, "/api/invoices", invoice).await;
    }

    // Older sign-in events, and one event of another type, through the API.
    for (k, (d, name)) in [
        (2, "sign_in_succeeded"),
        (2, "sign_in_failed"),
        (4, "sign_in_failed"),
        (4, "sign_in_locked"),
        (7, "sign_in_succeeded"),
        (14, "sign_in_succeeded"),
    ]
    .iter()
    .enumerate()
    {
        created(
            server,
            "/api/analytics-events",
            json!({
                "visitorId": format!("ip:10.0.0.{k}"),
                "sessionId": "auth",
                "eventType": "auth",
                "eventName": name,
                "timestamp": at(*d, 10),
            }),
        )
        .await;
    }
    created(
        server,
        "/api/analytics-events",
        json!({ "visitorId": "v", "sessionId": "s", "eventType": "page_view", "eventName": "sign_in_succeeded", "timestamp": at(1, 10) }),
    )
    .await;

    // Real sign-ins today: successes, wrong passwords, and a lockout (6th failure).
    register_secret("member-password-1234");
    let member = sign_up(
        server,
        "member@example.com",
        "member-password-1234",
        "Member",
    )
    .await;
    let _ = member;
    sign_in(server, "member@example.com", "member-password-1234").await;
    for password in ["wrong-1", "wrong-2"] {
        let r = sign_in_attempt(server, "member@example.com", password).await;
        assert_eq!(r.status, 401, "{}", r.text);
    }
    for k in 0..6 {
        let r = sign_in_attempt(server, "ghost@example.com", "nothing-here").await;
        assert_eq!(r.status, if k < 5 { 401 } else { 429 }, "{}", r.text);
    }
    w
}

/// Every document of a collection, straight from the database.
async fn all(server: &TestServer, coll: &str) -> Vec<Document> {
    server.find(coll, doc! {}).await
}

// ------------------------------------------------------------- expectations

async fn expected_activity(server: &TestServer, w: &Window, bucket: fn(i64) -> i64) -> Vec<Value> {
    let users = all(server, "users").await;
    let sessions = all(server, "usersessions").await;
    let starts = w.starts(bucket);
    let mut out = Vec::new();
    for s in &starts {
        let in_bucket = |t: Option<i64>| w.holds(t) && t.map(bucket) == Some(*s);
        let sign_ups = users
            .iter()
            .filter(|u| in_bucket(ms_of(u, "createdAt")))
            .count();
        let created = sessions
            .iter()
            .filter(|x| in_bucket(ms_of(x, "createdAt")))
            .count();
        let mut active = BTreeSet::new();
        for x in &sessions {
            if in_bucket(ms_of(x, "lastActivityAt")) {
                active.insert(text(x, "userId"));
            }
        }
        for u in &users {
            if in_bucket(ms_of(u, "lastLoginAt")) {
                active.insert(text(u, "_id"));
            }
        }
        out.push(json!({ "start": iso(*s), "activeUsers": active.len(), "signUps": sign_ups, "sessions": created }));
    }
    out
}

async fn expected_geography(server: &TestServer, w: &Window) -> Vec<Value> {
    let mut per: BTreeMap<Option<String>, (BTreeSet<Option<String>>, u64)> = BTreeMap::new();
    for x in all(server, "usersessions").await {
        if !w.holds(ms_of(&x, "lastActivityAt")) {
            continue;
        }
        let country = x
            .get_document("location")
            .ok()
            .and_then(|l| text(l, "country"));
        let e = per.entry(country).or_default();
        e.0.insert(text(&x, "userId"));
        e.1 += 1;
    }
    let mut rows: Vec<(Option<String>, u64, u64)> = per
        .into_iter()
        .map(|(c, (u, s))| (c, u.len() as u64, s))
        .collect();
    // Users descending, sessions descending, country ascending, null last.
    rows.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then(b.2.cmp(&a.2))
            .then_with(|| match (&a.0, &b.0) {
                (None, None) => std::cmp::Ordering::Equal,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (Some(_), None) => std::cmp::Ordering::Less,
                (Some(x), Some(y)) => x.cmp(y),
            })
    });
    rows.into_iter()
        .map(|(c, u, s)| json!({ "country": c, "users": u, "sessions": s }))
        .collect()
}

/// Nearest rank: the value at 1-based rank ceil(p/100 * n) of the sorted values.
fn nearest_rank(sorted: &[u64], p: f64) -> Value {
    if sorted.is_empty() {
        return Value::Null;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    json!(sorted[rank - 1])
}

async fn expected_engagement(server: &TestServer, w: &Window) -> Value {
    let mut per: BTreeMap<String, [u64; 3]> = BTreeMap::new();
    for (k, coll) in ["chatsessions", "chatmessages", "toolusageanalytics"]
        .iter()
        .enumerate()
    {
        for d in all(server, coll).await {
            if !w.holds(ms_of(&d, "createdAt")) {
                continue;
            }
            if let Some(Bson::String(u)) = d.get("userId") {
                per.entry(u.clone()).or_default()[k] += 1;
            }
        }
    }
    let n = per.len();
    let summary = |k: usize| {
        let mut v: Vec<u64> = per.values().map(|c| c[k]).collect();
        v.sort_unstable();
        let mean = if n == 0 {
            Value::Null
        } else {
            json!(v.iter().sum::<u64>() as f64 / n as f64)
        };
        json!({ "mean": mean, "p50": nearest_rank(&v, 50.0), "p90": nearest_rank(&v, 90.0) })
    };
    let bins = |k: usize| {
        let edges: [(u64, Option<u64>); 8] = [
            (0, Some(0)),
            (1, Some(1)),
            (2, Some(4)),
            (5, Some(9)),
            (10, Some(19)),
            (20, Some(49)),
            (50, Some(99)),
            (100, None),
        ];
        let rows: Vec<Value> = edges
            .iter()
            .map(|(lo, hi)| {
                let users = per
                    .values()
                    .filter(|c| c[k] >= *lo && hi.is_none_or(|h| c[k] <= h))
                    .count();
                json!({ "min": lo, "max": hi, "users": users })
            })
            .collect();
        Value::Array(rows)
    };
    let mut top: Vec<(&String, &[u64; 3])> = per.iter().collect();
    top.sort_by(|a, b| {
        b.1[1]
            .cmp(&a.1[1])
            .then(b.1[0].cmp(&a.1[0]))
            .then(b.1[2].cmp(&a.1[2]))
            .then(a.0.cmp(b.0))
    });
    let top: Vec<Value> = top
        .iter()
        .take(10)
        .map(|(u, c)| json!({ "userId": u, "chatSessions": c[0], "messages": c[1], "toolRuns": c[2] }))
        .collect();
    json!({
        "users": n,
        "chatSessionsPerUser": summary(0),
        "messagesPerUser": summary(1),
        "toolRunsPerUser": summary(2),
        "distribution": { "chatSessions": bins(0), "messages": bins(1), "toolRuns": bins(2) },
        "top": top,
    })
}

fn rate(part: u64, whole: u64) -> Value {
    if whole == 0 {
        Value::Null
    } else {
        json!(part as f64 / whole as f64)
    }
}

async fn expected_auth(server: &TestServer, w: &Window) -> (Value, Vec<Value>) {
    let events = all(server, "analyticsevents").await;
    let count = |s: Option<i64>| {
        let mut c = [0_u64; 3];
        for e in &events {
            let t = ms_of(e, "timestamp");
            if text(e, "eventType").as_deref() != Some("auth") || !w.holds(t) {
                continue;
            }
            if s.is_some_and(|s| t.map(day_of) != Some(s)) {
                continue;
            }
            match text(e, "eventName").as_deref() {
                Some("sign_in_succeeded") => c[0] += 1,
                Some("sign_in_failed") => c[1] += 1,
                Some("sign_in_locked") => c[2] += 1,
                _ => {}
            }
        }
        let mut v = json!({ "succeeded": c[0], "failed": c[1], "locked": c[2], "successRate": rate(c[0], c[0] + c[1] + c[2]) });
        if let Some(s) = s {
            v["start"] = json!(iso(s));
        }
        v
    };
    let buckets = w
        .starts(day_of)
        .into_iter()
        .map(|s| count(Some(s)))
        .collect();
    (count(None), buckets)
}

fn mean(values: &[f64]) -> Value {
    if values.is_empty() {
        Value::Null
    } else {
        json!(values.iter().sum::<f64>() / values.len() as f64)
    }
}

async fn expected_chat(server: &TestServer, w: &Window) -> Vec<Value> {
    #[derive(Default)]
    struct A {
        sessions: u64,
        messages: u64,
        interactions: u64,
        times: Vec<f64>,
        scores: Vec<f64>,
        satisfied: u64,
        rated: u64,
    }
    let mut per: BTreeMap<Option<String>, A> = BTreeMap::new();
    for d in all(server, "chatsessions").await {
        if w.holds(ms_of(&d, "createdAt")) {
            per.entry(text(&d, "agentId")).or_default().sessions += 1;
        }
    }
    for d in all(server, "chatmessages").await {
        if w.holds(ms_of(&d, "createdAt")) {
            per.entry(text(&d, "agentId")).or_default().messages += 1;
        }
    }
    for d in all(server, "chatanalytics").await {
        if !w.holds(ms_of(&d, "createdAt")) {
            continue;
        }
        let a = per.entry(text(&d, "agentId")).or_default();
        a.interactions += 1;
        a.times.extend(num(&d, "responseTime"));
        a.scores.extend(num(&d, "personalityScore"));
        if let Some(s) = d
            .get_document("feedback")
            .ok()
            .and_then(|f| f.get_bool("satisfied").ok())
        {
            a.rated += 1;
            a.satisfied += u64::from(s);
        }
    }
    let mut rows: Vec<(Option<String>, A)> = per.into_iter().collect();
    rows.sort_by(|(ka, a), (kb, b)| {
        b.sessions
            .cmp(&a.sessions)
            .then(b.messages.cmp(&a.messages))
            .then(b.interactions.cmp(&a.interactions))
            .then_with(|| (ka.is_none(), ka).cmp(&(kb.is_none(), kb)))
    });
    rows.into_iter()
        .map(|(k, a)| {
            json!({
                "agentId": k,
                "sessions": a.sessions,
                "messages": a.messages,
                "interactions": a.interactions,
                "avgResponseTimeMs": mean(&a.times),
                "avgPersonalityScore": mean(&a.scores),
                "satisfactionRate": rate(a.satisfied, a.rated),
                "rated": a.rated,
            })
        })
        .collect()
}

async fn expected_tools(server: &TestServer, w: &Window) -> Vec<Value> {
    #[derive(Default)]
    struct T {
        runs: u64,
        ok: u64,
        times: Vec<f64>,
        ratings: Vec<f64>,
    }
    let mut per: BTreeMap<Option<String>, T> = BTreeMap::new();
    for d in all(server, "toolusageanalytics").await {
        if !w.holds(ms_of(&d, "createdAt")) {
            continue;
        }
        let t = per.entry(text(&d, "toolName")).or_default();
        t.runs += 1;
        t.ok += u64::from(d.get_bool("success").unwrap_or(false));
        t.times.extend(num(&d, "executionTime"));
    }
    for d in all(server, "toolreviews").await {
        if w.holds(ms_of(&d, "createdAt")) {
            per.entry(text(&d, "toolId"))
                .or_default()
                .ratings
                .extend(num(&d, "rating"));
        }
    }
    let mut rows: Vec<(Option<String>, T)> = per.into_iter().collect();
    rows.sort_by(|(ka, a), (kb, b)| {
        b.runs
            .cmp(&a.runs)
            .then(b.ratings.len().cmp(&a.ratings.len()))
            .then_with(|| (ka.is_none(), ka).cmp(&(kb.is_none(), kb)))
    });
    rows.into_iter()
        .map(|(k, t)| {
            json!({
                "tool": k,
                "runs": t.runs,
                "succeeded": t.ok,
                "successRate": rate(t.ok, t.runs),
                "avgExecutionTimeMs": mean(&t.times),
                "reviews": t.ratings.len(),
                "avgRating": mean(&t.ratings),
            })
        })
        .collect()
}

/// `[paid, payments, failed, pending]` and invoices by status.
type MonthMoney = ([f64; 4], BTreeMap<String, u64>);

async fn expected_revenue(server: &TestServer, w: &Window) -> Vec<Value> {
    // (month start, currency) -> [paid, payments, failed, pending] and invoices by status.
    let mut money: BTreeMap<(i64, Option<String>), MonthMoney> = BTreeMap::new();
    let fresh = || {
        let inv: BTreeMap<String, u64> = ["paid", "pending", "failed", "void"]
            .iter()
            .map(|s| (s.to_string(), 0))
            .collect();
        ([0.0; 4], inv)
    };
    for p in all(server, "payments").await {
        let t = ms_of(&p, "paidAt");
        if !w.holds(t) {
            continue;
        }
        let key = (t.map_or(0, first_of_month), text(&p, "currency"));
        let e = money.entry(key).or_insert_with(fresh);
        let amount = num(&p, "amount").unwrap_or(0.0);
        match text(&p, "status").as_deref() {
            Some("succeeded") => {
                e.0[0] += amount;
                e.0[1] += 1.0;
            }
            Some("failed") => e.0[2] += amount,
            Some("pending") => e.0[3] += amount,
            _ => {}
        }
    }
    for i in all(server, "invoices").await {
        let t = ms_of(&i, "createdAt");
        if !w.holds(t) {
            continue;
        }
        let e = money
            .entry((t.map_or(0, first_of_month), text(&i, "currency")))
            .or_insert_with(fresh);
        *e.1.entry(text(&i, "status").unwrap_or_default())
            .or_default() += 1;
    }
    w.starts(first_of_month)
        .into_iter()
        .map(|s| {
            let currencies: Vec<Value> = money
                .iter()
                .filter(|((b, _), _)| *b == s)
                .map(|((_, c), (m, inv))| {
                    json!({ "currency": c, "paid": m[0], "payments": m[1] as u64, "failed": m[2], "pending": m[3], "invoices": inv })
                })
                .collect();
            json!({ "start": iso(s), "currencies": currencies })
        })
        .collect()
}

/// Equal as JSON, numbers compared to 1e-9 (sums of doubles in another order).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(1.0),
            _ => false,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn assert_same(what: &str, got: &Value, want: &Value) {
    assert!(
        same(got, want),
        "{what}:\n got  {}\n want {}",
        serde_json::to_string_pretty(got).unwrap_or_default(),
        serde_json::to_string_pretty(want).unwrap_or_default()
    );
}

/// Every endpoint against the loops; returns how many numbers were compared.
async fn check_all(server: &TestServer, w: &Window, engine: &str) -> usize {
    let q = w.query();
    let mut compared = 0;
    let mut check = |what: &str, got: &Value, want: &Value| {
        assert_same(&format!("{what} ({engine})"), got, want);
        compared += count_numbers(want);
    };
    for (interval, bucket) in [
        ("day", day_of as fn(i64) -> i64),
        ("week", monday_of),
        ("month", first_of_month),
    ] {
        let a = stats_ok(
            server,
            &format!("/api/stats/users/activity?{q}&interval={interval}"),
        )
        .await;
        assert_eq!(a["engine"], json!(engine));
        assert_eq!(a["interval"], json!(interval));
        check(
            &format!("activity by {interval}"),
            &a["buckets"],
            &Value::Array(expected_activity(server, w, bucket).await),
        );
    }
    let g = stats_ok(server, &format!("/api/stats/users/geography?{q}")).await;
    check(
        "geography",
        &g["countries"],
        &Value::Array(expected_geography(server, w).await),
    );
    let e = stats_ok(server, &format!("/api/stats/users/engagement?{q}")).await;
    let want = expected_engagement(server, w).await;
    for k in [
        "users",
        "chatSessionsPerUser",
        "messagesPerUser",
        "toolRunsPerUser",
        "distribution",
        "top",
    ] {
        check(&format!("engagement.{k}"), &e[k], &want[k]);
    }
    let a = stats_ok(server, &format!("/api/stats/auth?{q}&interval=day")).await;
    let (total, buckets) = expected_auth(server, w).await;
    check("auth total", &a["total"], &total);
    check("auth buckets", &a["buckets"], &Value::Array(buckets));
    let c = stats_ok(server, &format!("/api/stats/chat?{q}")).await;
    check(
        "chat",
        &c["agents"],
        &Value::Array(expected_chat(server, w).await),
    );
    let t = stats_ok(server, &format!("/api/stats/tools?{q}")).await;
    check(
        "tools",
        &t["tools"],
        &Value::Array(expected_tools(server, w).await),
    );
    let r = stats_ok(server, &format!("/api/stats/revenue?{q}")).await;
    assert_eq!(r["interval"], json!("month"));
    check(
        "revenue",
        &r["buckets"],
        &Value::Array(expected_revenue(server, w).await),
    );
    compared
}

fn count_numbers(v: &Value) -> usize {
    match v {
        Value::Number(_) => 1,
        Value::Array(a) => a.iter().map(count_numbers).sum(),
        Value::Object(o) => o.values().map(count_numbers).sum(),
        _ => 0,
    }
}

/// BSON as `tests/mingo/aggregate.mjs` reads it: dates as `{"$date": ms}`,
/// ObjectIds as their hex.
fn to_wire(b: &Bson) -> Value {
    match b {
        Bson::DateTime(d) => json!({ "$date": d.timestamp_millis() }),
        Bson::ObjectId(o) => json!(o.to_hex()),
        Bson::Document(d) => {
            Value::Object(d.iter().map(|(k, v)| (k.clone(), to_wire(v))).collect())
        }
        Bson::Array(a) => Value::Array(a.iter().map(to_wire).collect()),
        Bson::String(s) => json!(s),
        Bson::Boolean(x) => json!(x),
        Bson::Int32(n) => json!(n),
        Bson::Int64(n) => json!(n),
        Bson::Double(n) => json!(n),
        _ => Value::Null,
    }
}

fn from_wire(v: &Value) -> Bson {
    match v {
        Value::Object(m) if m.len() == 1 && m.get("$date").is_some_and(Value::is_i64) => {
            Bson::DateTime(bson::DateTime::from_millis(
                m["$date"].as_i64().unwrap_or(0),
            ))
        }
        Value::Object(m) => {
            Bson::Document(m.iter().map(|(k, v)| (k.clone(), from_wire(v))).collect())
        }
        Value::Array(a) => Bson::Array(a.iter().map(from_wire).collect()),
        Value::String(s) => Bson::String(s.clone()),
        Value::Bool(x) => Bson::Boolean(*x),
        Value::Number(n) => n
            .as_i64()
            .map_or_else(|| Bson::Double(n.as_f64().unwrap_or(f64::NAN)), Bson::Int64),
        Value::Null => Bson::Null,
    }
}

/// A pipeline runner for the server: every collection of `db` and the
/// pipeline go to `tests/mingo/aggregate.mjs` (Node, mingo), the results come back.
fn mingo(db: mongodb::Database) -> PipelineRunner {
    let installed = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/mingo/node_modules/mingo"
    );
    assert!(
        std::path::Path::new(installed).is_dir(),
        "mingo is not installed: run `npm ci` in tests/mingo (tools/test-server.sh does)"
    );
    Arc::new(move |coll: &'static str, pipeline: Vec<Document>| {
        let db = db.clone();
        Box::pin(async move {
            let mut collections = serde_json::Map::new();
            // Every collection, as a pipeline may read any (`$unionWith`).
            for name in Collection::ALL.map(Collection::name) {
                let docs = crate::common::find_in(&db, name, doc! {}).await;
                let docs = docs
                    .into_iter()
                    .map(|d| to_wire(&Bson::Document(d)))
                    .collect();
                collections.insert(name.to_string(), Value::Array(docs));
            }
            let pipeline: Vec<Value> = pipeline
                .into_iter()
                .map(|d| to_wire(&Bson::Document(d)))
                .collect();
            let input =
                json!({ "collection": coll, "pipeline": pipeline, "collections": collections });
            let rows = crate::common::node_json("tests/mingo/aggregate.mjs", &input).await?;
            Ok(rows
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|r| match from_wire(r) {
                            Bson::Document(d) => Some(d),
                            _ => None,
                        })
                        .collect()
                })
                .unwrap_or_default())
        })
    })
}

#[tokio::test]
async fn every_endpoint_matches_loops_over_the_seeded_documents_on_both_paths() {
    let server = TestServer::start("stats").await;
    let w = seed(&server).await;

    // Hand-checked facts of the data set, so the loops are checked too.
    let auth = expected_auth(&server, &w).await.0;
    // Today: the member's sign-in, 2 wrong passwords, 5 unknown-email
    // failures and 1 lockout; earlier: 2 successes, 2 failures, 1 lockout
    // (the day-14 success is outside the window).
    assert_eq!(
        auth,
        json!({ "succeeded": 3, "failed": 9, "locked": 2, "successRate": 3.0 / 14.0 })
    );
    let db = server.db_name();

    // This database is FerretDB: the buildInfo check picks the fallback.
    let compared = check_all(&server, &w, "fallback").await;
    eprintln!("stats: {compared} numbers compared per engine");

    // The MongoDB pipelines in mingo, an independent implementation of
    // MongoDB's aggregation, over the same documents: the same answers.
    set_hooks(
        &db,
        Hooks {
            engine: Some(Engine::Pipeline),
            runner: Some(mingo(server.db.clone())),
        },
    );
    check_all(&server, &w, "pipeline").await;

    // The MongoDB pipelines on FerretDB itself: refused, or (geography's
    // two-accumulator `$group`) answered with wrong session counts.
    set_hooks(
        &db,
        Hooks {
            engine: Some(Engine::Pipeline),
            runner: None,
        },
    );
    let q = w.query();
    let mut report = Vec::new();
    for path in [
        "users/activity",
        "users/geography",
        "users/engagement",
        "auth",
        "chat",
        "tools",
        "revenue",
    ] {
        let r = stats(&server, &format!("/api/stats/{path}?{q}"), Some(TOKEN)).await;
        report.push(format!("{path}: {}", r.status));
        assert!(r.status == 200 || r.status == 500, "{path}: {}", r.text);
    }
    set_hooks(&db, Hooks::default());
    eprintln!(
        "stats: the MongoDB pipelines on FerretDB 1.24 answer {}",
        report.join(", ")
    );
    server.finish().await;
}

#[tokio::test]
async fn only_admins_may_read_statistics_and_bad_parameters_are_400() {
    let server = TestServer::start("stats_access").await;
    register_secret(ADMIN_PASSWORD);
    let (status, out, err) =
        run_create_admin(&server.db_name(), ADMIN_EMAIL, Some(ADMIN_PASSWORD)).await;
    assert!(status.success(), "create-admin: {out} {err}");
    let admin = sign_in(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let member = sign_up(&server, "plain@example.com", "plain-password-1234", "Plain").await;
    let paths = [
        "users/activity",
        "users/geography",
        "users/engagement",
        "auth",
        "chat",
        "tools",
        "revenue",
    ];
    for p in paths {
        let path = format!("/api/stats/{p}");
        assert_eq!(
            stats(&server, &path, None).await.status,
            401,
            "{path} anonymous"
        );
        let r = stats(&server, &path, Some(&member.token)).await;
        assert_eq!(
            (r.status, r.code()),
            (403, "forbidden"),
            "{path} member: {}",
            r.text
        );
        assert_eq!(
            stats(&server, &path, Some(&admin.token)).await.status,
            200,
            "{path} admin"
        );
        assert_eq!(
            stats(&server, &path, Some(TOKEN)).await.status,
            200,
            "{path} service"
        );
    }
    // Defaults: the last 30 days, 31 daily buckets at most (30 when now is midnight).
    let a = stats_ok(&server, "/api/stats/users/activity").await;
    let n = a["buckets"].as_array().map_or(0, Vec::len);
    assert!(n == 30 || n == 31, "{n} default buckets");
    assert_eq!(
        stats_ok(&server, "/api/stats/revenue").await["interval"],
        json!("month")
    );

    let bad: HashMap<&str, &str> = HashMap::from([
        (
            "/api/stats/users/activity?from=2024-02-01&to=2024-01-01",
            "invalid_range",
        ),
        (
            "/api/stats/auth?from=2024-01-01&to=2024-01-01",
            "invalid_range",
        ),
        (
            "/api/stats/users/activity?interval=hour",
            "invalid_interval",
        ),
        ("/api/stats/revenue?interval=year", "invalid_interval"),
        ("/api/stats/chat?from=last-tuesday", "invalid_date"),
        (
            "/api/stats/users/activity?from=2018-01-01&to=2024-01-01&interval=day",
            "range_too_long",
        ),
    ]);
    for (path, code) in bad {
        let r = stats(&server, path, Some(TOKEN)).await;
        assert_eq!((r.status, r.code()), (400, code), "{path}: {}", r.text);
        assert!(
            r.json["message"].as_str().is_some_and(|m| m.len() > 20),
            "{path}: {}",
            r.text
        );
    }
    // Six years by week is fine; 1827 days by day too.
    let r = stats(
        &server,
        "/api/stats/users/activity?from=2018-01-01&to=2024-01-01&interval=week",
        Some(TOKEN),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.json["buckets"][0]["start"],
        json!("2018-01-01T00:00:00.000Z")
    );
    assert_eq!(r.json["buckets"].as_array().map_or(0, Vec::len), 313);
    let r = stats(
        &server,
        "/api/stats/auth?from=2019-01-01&to=2024-01-02&interval=day",
        Some(TOKEN),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["buckets"].as_array().map_or(0, Vec::len), 1827);
    server.finish().await;
}
