//! Admin statistics: the spec's aggregations (users: activity, geography,
//! engagement, authentication success/failure rates; the analytics and
//! billing collections' reporting), computed in the database.
//!
//! Every endpoint is for administrators (the service token or an admin
//! session) and takes `from`/`to` (ISO dates, `to` exclusive, default the
//! last 30 days) and, where it buckets, `interval=day|week|month`. Buckets
//! are UTC: a day starts at 00:00Z, a week on Monday 00:00Z, a month on the
//! 1st at 00:00Z; every bucket whose start lies in `[trunc(from), to)` is in
//! the answer, zeros included (the first bucket counts only from `from`).
//!
//! Two engines, chosen by the `buildInfo` answer the store already reads
//! ([`Store::stores_nested_arrays`](crate::store::Store::stores_nested_arrays)
//! tells FerretDB from MongoDB):
//!
//! - [`Engine::Pipeline`] (MongoDB >= 6): one aggregation pipeline per
//!   measure, with `$dateTrunc`, `$unionWith`, `$facet`, `$avg`, `$cond`;
//!   the server only merges the few grouped rows and fills empty buckets.
//! - [`Engine::Fallback`] (FerretDB 1.24, measured: it has none of those
//!   operators; a `$group` with more than one accumulator answers 0 for
//!   every accumulator after the first; and `$group` slows down with the
//!   number of groups, 15 s for 20,000 sessions grouped by country and
//!   user). The database filters by the range and streams projected rows
//!   (grouped with one accumulator only where the groups are few: per
//!   agent); the server folds them into counters whose number is bounded by
//!   the answer (buckets, countries, agents, tools, (bucket, currency)
//!   pairs, distinct per-user counts, the top 10), never by the documents
//!   read. Per-user figures (distinct active users, users per country,
//!   engagement) come from cursors sorted by user id and merged, so memory
//!   holds one user's counters at a time.
//!
//! The tests check both against loops over a seeded data set: the fallback
//! on FerretDB, the pipelines in mingo (an independent implementation of
//! MongoDB's aggregation) through [`Hooks::runner`], since no MongoDB runs
//! here.
//!
//! Percentiles are exact, by the nearest-rank definition: over the `n`
//! values sorted ascending, `pP` is the value at rank `ceil(P/100 * n)`
//! (1-based), i.e. the smallest value with at least P% of the values at or
//! below it; `null` when `n` is 0. Both engines compute them from a
//! histogram (value -> users), which the database builds under MongoDB.
//!
//! Indexes (the spec's, declared in the models crate): `users.createdAt: -1`
//! serves sign-ups, `analyticsevents.eventType: 1, timestamp: -1` the auth
//! rates, `usersessions.userId: 1, createdAt: -1` the fallback's sessions in
//! user order. The other range filters (`createdAt` of the chat, analytics,
//! review and billing collections, `lastActivityAt`, `lastLoginAt`,
//! `paidAt`) have no index of their own in the spec and scan; the server's
//! README lists the indexes that would serve them.

use crate::auth::Caller;
use crate::error::{ApiError, Result};
use crate::handlers::now;
use crate::store::classify;
use crate::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::{Extension, Json};
use bson::{doc, Bson, DateTime, Document};
use futures_util::future::BoxFuture;
use futures_util::TryStreamExt;
use onelastai_models::{Collection, Date};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock};

const MS_PER_DAY: i64 = 86_400_000;
/// The default range: the last 30 days.
const DEFAULT_DAYS: i64 = 30;
/// The longest range for `interval=day`: 5 years of 365.25 days (1,827 buckets at most).
pub const MAX_DAY_RANGE_DAYS: i64 = 1827;
/// The longest range for `week` and `month` (2,610 weeks, 600 months at most).
pub const MAX_RANGE_DAYS: i64 = 50 * 366;
/// The most users listed in `engagement.top`.
pub const TOP_USERS: usize = 10;
/// The sign-in event names `auth.rs` records.
const SIGN_IN_SUCCEEDED: &str = "sign_in_succeeded";
const SIGN_IN_FAILED: &str = "sign_in_failed";
const SIGN_IN_LOCKED: &str = "sign_in_locked";

/// The parameters every statistics endpoint takes, for the route table.
const PARAMS_TEXT: &str = "**Admin only**: the service token or an admin session (anyone else: 401 without credentials, 403 with them). \
Query: `from`, `to`: ISO 8601 dates, `to` exclusive (default: the 30 days before now); \
`400 invalid_date`, `400 invalid_range` when `from` is not before `to`, `400 range_too_long` past 5 years with `interval=day` (50 years otherwise). \
The answer carries `engine`: `pipeline` (MongoDB) or `fallback` (FerretDB).";
const BUCKETED_TEXT: &str = "**Admin only**: the service token or an admin session (anyone else: 401 without credentials, 403 with them). \
Query: `from`, `to`: ISO 8601 dates, `to` exclusive (default: the 30 days before now); `interval`: `day`, `week` (from Monday) or `month`, UTC; \
every bucket whose start lies in `[start of from's bucket, to)` is listed, zeros included. \
`400 invalid_date`, `400 invalid_interval`, `400 invalid_range` when `from` is not before `to`, `400 range_too_long` past 5 years with `interval=day` (50 years otherwise). \
The answer carries `engine`: `pipeline` (MongoDB) or `fallback` (FerretDB).";

/// A JSON Schema object with these required properties.
fn object(properties: Value) -> Value {
    let required: Vec<String> = properties
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    json!({ "type": "object", "required": required, "properties": properties })
}

fn answer(properties: Value) -> crate::openapi::Body {
    let mut p = json!({
        "from": { "type": "string", "format": "date-time" },
        "to": { "type": "string", "format": "date-time" },
        "engine": { "enum": ["pipeline", "fallback"] },
    });
    if let (Some(p), Some(extra)) = (p.as_object_mut(), properties.as_object()) {
        p.extend(extra.clone());
    }
    crate::openapi::Body::Schema(object(p))
}

/// Adds the statistics routes (`/api/stats/...`) to the route table.
pub fn endpoints(routes: crate::openapi::Routes) -> crate::openapi::Routes {
    use crate::openapi::{Caller as May, Endpoint, Op};
    let n = json!({ "type": "integer", "minimum": 0 });
    let num = json!({ "type": ["number", "null"] });
    let interval = json!({ "enum": ["day", "week", "month"] });
    let summary = object(
        json!({ "mean": num, "p50": { "type": ["integer", "null"] }, "p90": { "type": ["integer", "null"] } }),
    );
    let bins = json!({ "type": "array", "items": object(json!({ "min": n, "max": { "type": ["integer", "null"] }, "users": n })) });
    let op = |id, title, bucketed: bool| {
        let text = if bucketed { BUCKETED_TEXT } else { PARAMS_TEXT };
        let date = json!({ "type": "string", "format": "date-time" });
        let op = Op::new(id, title)
            .describe(text)
            .tag("stats")
            .caller(May::SessionOrService)
            .query(
                "from",
                "Start of the range, inclusive (ISO 8601). Default: 30 days before `to`.",
                date.clone(),
            )
            .query(
                "to",
                "End of the range, exclusive (ISO 8601). Default: now.",
                date,
            )
            .errors(&[400, 403]);
        if bucketed {
            op.query(
                "interval",
                "Bucket width, UTC (weeks from Monday). Default: `day` (`month` for revenue).",
                json!({ "enum": ["day", "week", "month"] }),
            )
        } else {
            op
        }
    };
    routes
        .add(Endpoint::new("/api/stats/users/activity").get(
            activity,
            op("statsUserActivity", "Active users, sign-ups and sessions per bucket", true).answers(
                200,
                "`activeUsers`: distinct users with `usersessions.lastActivityAt` or `users.lastLoginAt` in the bucket; `signUps`: users created in it; `sessions`: sessions created in it.",
                Some(answer(json!({
                    "interval": interval,
                    "buckets": { "type": "array", "items": object(json!({ "start": { "type": "string", "format": "date-time" }, "activeUsers": n, "signUps": n, "sessions": n })) },
                }))),
            ),
        ))
        .add(Endpoint::new("/api/stats/users/geography").get(
            geography,
            op("statsUserGeography", "Users and sessions per country", false).answers(
                200,
                "Per `usersessions.location.country` (`null`: none), the distinct users and the sessions active in the range (`lastActivityAt`), by users descending.",
                Some(answer(json!({
                    "countries": { "type": "array", "items": object(json!({ "country": { "type": ["string", "null"] }, "users": n, "sessions": n })) },
                }))),
            ),
        ))
        .add(Endpoint::new("/api/stats/users/engagement").get(
            engagement,
            op("statsUserEngagement", "Chat sessions, messages and tool runs per active user", false).answers(
                200,
                "Over the users with a chat session, chat message or tool run created in the range: mean and nearest-rank p50/p90 per user, the distribution in bins, and the 10 most engaged users (by messages, chat sessions, tool runs).",
                Some(answer(json!({
                    "users": n,
                    "chatSessionsPerUser": summary,
                    "messagesPerUser": summary,
                    "toolRunsPerUser": summary,
                    "distribution": object(json!({ "chatSessions": bins, "messages": bins, "toolRuns": bins })),
                    "top": { "type": "array", "items": object(json!({ "userId": { "type": "string" }, "chatSessions": n, "messages": n, "toolRuns": n })) },
                }))),
            ),
        ))
        .add(Endpoint::new("/api/stats/auth").get(
            auth,
            op("statsAuth", "Sign-in successes and failures per bucket", true).answers(
                200,
                "From the sign-in events (`analyticsevents`, `eventType: auth`): `successRate = succeeded / (succeeded + failed + locked)`, `null` without attempts.",
                Some(answer(json!({
                    "interval": interval,
                    "total": object(json!({ "succeeded": n, "failed": n, "locked": n, "successRate": num })),
                    "buckets": { "type": "array", "items": object(json!({ "start": { "type": "string", "format": "date-time" }, "succeeded": n, "failed": n, "locked": n, "successRate": num })) },
                }))),
            ),
        ))
        .add(Endpoint::new("/api/stats/chat").get(
            chat,
            op("statsChat", "Chat sessions, messages and answer quality per agent", false).answers(
                200,
                "Per `agentId`: chat sessions and messages created in the range; from `chatanalytics`: interactions, average `responseTime` and `personalityScore`, share of rated answers with `feedback.satisfied: true`.",
                Some(answer(json!({
                    "agents": { "type": "array", "items": object(json!({ "agentId": { "type": ["string", "null"] }, "sessions": n, "messages": n, "interactions": n, "avgResponseTimeMs": num, "avgPersonalityScore": num, "satisfactionRate": num, "rated": n })) },
                }))),
            ),
        ))
        .add(Endpoint::new("/api/stats/tools").get(
            tools,
            op("statsTools", "Runs, success rate, execution time and reviews per tool", false).answers(
                200,
                "Per tool: `toolusageanalytics` runs by `toolName`, and `toolreviews` by `toolId`, created in the range.",
                Some(answer(json!({
                    "tools": { "type": "array", "items": object(json!({ "tool": { "type": ["string", "null"] }, "runs": n, "succeeded": n, "successRate": num, "avgExecutionTimeMs": num, "reviews": n, "avgRating": num })) },
                }))),
            ),
        ))
        .add(Endpoint::new("/api/stats/revenue").get(
            revenue,
            op("statsRevenue", "Payments and invoices per bucket and currency", true).answers(
                200,
                "Per bucket (default `interval=month`) and currency: succeeded payments (amount and count, by `paidAt`), failed and pending amounts, and invoices created by status. The payments schema has no refund state.",
                Some(answer(json!({
                    "interval": interval,
                    "buckets": { "type": "array", "items": object(json!({
                        "start": { "type": "string", "format": "date-time" },
                        "currencies": { "type": "array", "items": object(json!({
                            "currency": { "type": ["string", "null"] },
                            "paid": { "type": "number" }, "payments": n, "failed": { "type": "number" }, "pending": { "type": "number" },
                            "invoices": object(json!({ "paid": n, "pending": n, "failed": n, "void": n })),
                        })) },
                    })) },
                }))),
            ),
        ))
}

// ---------------------------------------------------------------- engine

/// How an endpoint computes its numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// MongoDB's pipelines (`$dateTrunc`, `$unionWith`, `$facet`, `$avg`, `$cond`).
    Pipeline,
    /// What FerretDB 1.24 runs: filters and one-accumulator groups in the
    /// database, bounded folding in the server.
    Fallback,
}

impl Engine {
    fn name(self) -> &'static str {
        match self {
            Engine::Pipeline => "pipeline",
            Engine::Fallback => "fallback",
        }
    }
}

/// Runs an aggregation somewhere else than the database: `(collection,
/// pipeline)` to the result documents. A test hook (see [`Hooks`]).
pub type PipelineRunner = std::sync::Arc<
    dyn Fn(
            &'static str,
            Vec<Document>,
        ) -> BoxFuture<'static, std::result::Result<Vec<Document>, String>>
        + Send
        + Sync,
>;

/// Test hooks for one database (each test runs on a database of its own, so
/// tests running at the same time do not see each other's hooks).
#[derive(Clone, Default)]
pub struct Hooks {
    /// Use this engine instead of the `buildInfo` choice.
    pub engine: Option<Engine>,
    /// Run the pipelines of [`Engine::Pipeline`] with this instead of the database.
    pub runner: Option<PipelineRunner>,
}

fn hooks() -> &'static Mutex<HashMap<String, Hooks>> {
    static HOOKS: OnceLock<Mutex<HashMap<String, Hooks>>> = OnceLock::new();
    HOOKS.get_or_init(Mutex::default)
}

/// Test hook: sets (or, with `Hooks::default()`, clears) the hooks of the database `database`.
pub fn set_hooks(database: &str, h: Hooks) {
    if let Ok(mut all) = hooks().lock() {
        if h.engine.is_none() && h.runner.is_none() {
            all.remove(database);
        } else {
            all.insert(database.to_string(), h);
        }
    }
}

fn hooks_of(app: &AppState) -> Hooks {
    hooks()
        .lock()
        .ok()
        .and_then(|all| all.get(app.store().name()).cloned())
        .unwrap_or_default()
}

/// The engine for this database: MongoDB runs the pipelines, FerretDB the fallback.
pub async fn engine(app: &AppState) -> Result<Engine> {
    if let Some(forced) = hooks_of(app).engine {
        return Ok(forced);
    }
    Ok(if app.store().stores_nested_arrays().await? {
        Engine::Pipeline
    } else {
        Engine::Fallback
    })
}

// ---------------------------------------------------------------- parameters

/// The query string of every statistics endpoint.
#[derive(Debug, Default, Deserialize)]
pub struct Params {
    /// Start, inclusive (ISO date).
    pub from: Option<String>,
    /// End, exclusive (ISO date).
    pub to: Option<String>,
    /// `day`, `week` or `month`.
    pub interval: Option<String>,
}

/// A bucket width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    /// A UTC day.
    Day,
    /// A week from Monday 00:00 UTC.
    Week,
    /// A calendar month in UTC.
    Month,
}

impl Interval {
    fn parse(given: Option<&str>, default: Interval) -> Result<Self> {
        match given {
            None => Ok(default),
            Some("day") => Ok(Interval::Day),
            Some("week") => Ok(Interval::Week),
            Some("month") => Ok(Interval::Month),
            Some(other) => Err(ApiError::bad_request(
                "invalid_interval",
                format!("unknown interval {other:?}: use day, week or month"),
            )),
        }
    }

    /// The name in the answer and in `$dateTrunc`.
    pub fn name(self) -> &'static str {
        match self {
            Interval::Day => "day",
            Interval::Week => "week",
            Interval::Month => "month",
        }
    }

    /// The start of the bucket holding `ms`.
    pub fn start_of(self, ms: i64) -> i64 {
        let day = ms.div_euclid(MS_PER_DAY);
        match self {
            Interval::Day => day * MS_PER_DAY,
            // 1970-01-01 was a Thursday: 3 days after a Monday.
            Interval::Week => (day - (day + 3).rem_euclid(7)) * MS_PER_DAY,
            Interval::Month => {
                let p = Date::from_millis(ms).map(Date::parts);
                p.and_then(|p| Date::from_parts_overflowing(p.year, i64::from(p.month) - 1, 1, 0))
                    .map_or(day * MS_PER_DAY, Date::millis)
            }
        }
    }

    /// The start of the bucket after the one starting at `start`.
    fn next(self, start: i64) -> i64 {
        match self {
            Interval::Day => start + MS_PER_DAY,
            Interval::Week => start + 7 * MS_PER_DAY,
            Interval::Month => {
                let p = Date::from_millis(start).map(Date::parts);
                p.and_then(|p| Date::from_parts_overflowing(p.year, i64::from(p.month), 1, 0))
                    .map_or(start + 31 * MS_PER_DAY, Date::millis)
            }
        }
    }
}

/// A validated range: `[from, to)` in epoch milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Inclusive start.
    pub from: i64,
    /// Exclusive end.
    pub to: i64,
}

fn parse_date(name: &str, given: &str) -> Result<i64> {
    Date::parse_iso(given.trim())
        .map(Date::millis)
        .ok_or_else(|| {
            ApiError::bad_request(
                "invalid_date",
                format!("`{name}` must be an ISO 8601 date such as 2024-01-15 or 2024-01-15T10:30:00Z, not {given:?}"),
            )
        })
}

/// The range of `params` (default: the 30 days before `now_ms`), checked.
pub fn window(params: &Params, interval: Option<Interval>, now_ms: i64) -> Result<Window> {
    let to = match &params.to {
        Some(t) => parse_date("to", t)?,
        None => now_ms,
    };
    let from = match &params.from {
        Some(f) => parse_date("from", f)?,
        None => to - DEFAULT_DAYS * MS_PER_DAY,
    };
    if from >= to {
        return Err(ApiError::bad_request(
            "invalid_range",
            "`from` must be before `to` (`to` is exclusive)",
        ));
    }
    let days = (to - from).div_euclid(MS_PER_DAY);
    let (limit, what) = match interval {
        Some(Interval::Day) => (
            MAX_DAY_RANGE_DAYS,
            "with interval=day the range may span at most 5 years (1827 days); use week or month",
        ),
        _ => (MAX_RANGE_DAYS, "the range may span at most 50 years"),
    };
    if days > limit || (days == limit && (to - from).rem_euclid(MS_PER_DAY) > 0) {
        return Err(ApiError::bad_request("range_too_long", what));
    }
    Ok(Window { from, to })
}

/// The bucket starts of `window`: from the bucket holding `from` up to `to`.
pub fn bucket_starts(window: Window, interval: Interval) -> Vec<i64> {
    let mut starts = Vec::new();
    let mut s = interval.start_of(window.from);
    while s < window.to {
        starts.push(s);
        s = interval.next(s);
    }
    starts
}

/// The index of the bucket holding `ms`, if in the window.
fn bucket_of(starts: &[i64], window: Window, ms: i64) -> Option<usize> {
    if ms < window.from || ms >= window.to {
        return None;
    }
    starts.partition_point(|s| *s <= ms).checked_sub(1)
}

fn iso(ms: i64) -> String {
    Date::from_millis(ms).map_or_else(String::new, Date::to_iso_string)
}

fn range_filter(field: &str, w: Window) -> Document {
    doc! { field: { "$gte": DateTime::from_millis(w.from), "$lt": DateTime::from_millis(w.to) } }
}

/// `$dateTrunc` of `field` to the interval, in UTC (weeks from Monday).
fn date_trunc(field: &str, interval: Interval) -> Bson {
    let mut spec =
        doc! { "date": format!("${field}"), "unit": interval.name(), "timezone": "Etc/UTC" };
    if interval == Interval::Week {
        spec.insert("startOfWeek", "monday");
    }
    doc! { "$dateTrunc": spec }.into()
}

/// Checks the caller and the parameters; the window and interval of a request.
fn prepare(
    caller: &Caller,
    params: std::result::Result<Query<Params>, QueryRejection>,
    default_interval: Option<Interval>,
) -> Result<(Window, Option<Interval>)> {
    crate::policy::admin_only(caller, "statistics are for administrators")?;
    let Query(params) = params?;
    let interval = match default_interval {
        Some(d) => Some(Interval::parse(params.interval.as_deref(), d)?),
        None => None,
    };
    let w = window(&params, interval, now()?.millis())?;
    Ok((w, interval))
}

// ---------------------------------------------------------------- pipelines

/// A stage of the MongoDB pipelines, typed: the stages the statistics use.
/// [`pipeline`] writes them as the documents the driver sends.
#[derive(Debug, Clone)]
pub enum Stage {
    /// `$match`.
    Match(Document),
    /// `$project` without `_id`: each name set to an expression.
    Project(Vec<(&'static str, Bson)>),
    /// `$group` by a key expression, with named accumulators. (FerretDB 1.24
    /// computes only the first accumulator of a group: the fallback never
    /// sends more than one.)
    Group(Bson, Vec<(&'static str, Acc)>),
    /// `$unionWith` the documents of another collection, through a pipeline.
    UnionWith(Collection, Vec<Stage>),
    /// `$facet`: named pipelines over the same input, in one pass.
    Facet(Vec<(&'static str, Vec<Stage>)>),
    /// `$sort` by fields (1 ascending, -1 descending).
    Sort(Vec<(&'static str, i32)>),
    /// `$limit`.
    Limit(i64),
}

/// A `$group` accumulator.
#[derive(Debug, Clone)]
pub enum Acc {
    /// `{$sum: 1}`: the documents.
    Count,
    /// `{$sum: "$field"}`.
    Sum(&'static str),
    /// `{$avg: "$field"}`: the mean of the numbers (others are skipped).
    Avg(&'static str),
    /// The documents with a number at `field`: the weight of an [`Acc::Avg`].
    Numbers(&'static str),
    /// The documents for which a boolean expression holds.
    CountIf(Bson),
}

fn field_path(field: &str) -> String {
    format!("${field}")
}

impl Acc {
    fn to_bson(&self) -> Bson {
        let count_if = |cond: Bson| Bson::from(doc! { "$sum": { "$cond": [cond, 1, 0] } });
        match self {
            Acc::Count => doc! { "$sum": 1 }.into(),
            Acc::Sum(f) => doc! { "$sum": field_path(f) }.into(),
            Acc::Avg(f) => doc! { "$avg": field_path(f) }.into(),
            Acc::Numbers(f) => count_if(doc! { "$isNumber": field_path(f) }.into()),
            Acc::CountIf(cond) => count_if(cond.clone()),
        }
    }
}

impl Stage {
    fn to_document(&self) -> Document {
        match self {
            Stage::Match(filter) => doc! { "$match": filter.clone() },
            Stage::Project(fields) => {
                let mut p = doc! { "_id": 0 };
                for (name, expr) in fields {
                    p.insert(*name, expr.clone());
                }
                doc! { "$project": p }
            }
            Stage::Group(id, accs) => {
                let mut g = doc! { "_id": id.clone() };
                for (name, acc) in accs {
                    g.insert(*name, acc.to_bson());
                }
                doc! { "$group": g }
            }
            Stage::UnionWith(coll, stages) => {
                doc! { "$unionWith": { "coll": coll.name(), "pipeline": pipeline(stages) } }
            }
            Stage::Facet(facets) => {
                let mut f = Document::new();
                for (name, stages) in facets {
                    f.insert(*name, pipeline(stages));
                }
                doc! { "$facet": f }
            }
            Stage::Sort(keys) => {
                let mut k = Document::new();
                for (name, dir) in keys {
                    k.insert(*name, *dir);
                }
                doc! { "$sort": k }
            }
            Stage::Limit(n) => doc! { "$limit": *n },
        }
    }
}

/// The documents of a pipeline.
pub fn pipeline(stages: &[Stage]) -> Vec<Document> {
    stages.iter().map(Stage::to_document).collect()
}

// ---------------------------------------------------------------- reading

fn internal_store(e: mongodb::error::Error) -> ApiError {
    ApiError::from(classify(&e))
}

/// Runs `pipeline` on `coll` and hands each result to `f` as it arrives.
async fn each_aggregate(
    app: &AppState,
    coll: Collection,
    pipeline: Vec<Document>,
    mut f: impl FnMut(Document) -> Result<()>,
) -> Result<()> {
    let c = app.store().database().collection::<Document>(coll.name());
    let mut cursor = c
        .aggregate(pipeline)
        .max_time(app.request_timeout())
        .await
        .map_err(internal_store)?;
    while let Some(d) = cursor.try_next().await.map_err(internal_store)? {
        f(d)?;
    }
    Ok(())
}

/// Streams the documents of `coll` matching `filter`, projected to `projection`.
async fn each_found(
    app: &AppState,
    coll: Collection,
    filter: Document,
    projection: Document,
    mut f: impl FnMut(Document) -> Result<()>,
) -> Result<()> {
    let c = app.store().database().collection::<Document>(coll.name());
    let mut cursor = c
        .find(filter)
        .projection(projection)
        .batch_size(1000)
        .max_time(app.request_timeout())
        .await
        .map_err(internal_store)?;
    while let Some(d) = cursor.try_next().await.map_err(internal_store)? {
        f(d)?;
    }
    Ok(())
}

/// Runs `pipeline` and collects its (few, grouped) results.
async fn aggregate(app: &AppState, coll: Collection, stages: &[Stage]) -> Result<Vec<Document>> {
    let pipeline = pipeline(stages);
    if let Some(run) = hooks_of(app).runner {
        return run(coll.name(), pipeline).await.map_err(ApiError::internal);
    }
    let mut out = Vec::new();
    each_aggregate(app, coll, pipeline, |d| {
        out.push(d);
        Ok(())
    })
    .await?;
    Ok(out)
}

/// A number as `f64` (int32, int64, double); `None` for anything else.
fn number(v: Option<&Bson>) -> Option<f64> {
    match v? {
        Bson::Int32(n) => Some(f64::from(*n)),
        Bson::Int64(n) => Some(*n as f64),
        Bson::Double(n) if n.is_finite() => Some(*n),
        _ => None,
    }
}

fn count(v: Option<&Bson>) -> u64 {
    number(v).map_or(0, |n| n.max(0.0) as u64)
}

fn date_ms(v: Option<&Bson>) -> Option<i64> {
    match v? {
        Bson::DateTime(d) => Some(d.timestamp_millis()),
        _ => None,
    }
}

/// A grouping key as JSON (`null` for missing or null).
fn key_json(v: Option<&Bson>) -> Value {
    key_string(v).map_or(Value::Null, Value::String)
}

/// A grouping key as text; `None` for missing or null.
fn key_string(v: Option<&Bson>) -> Option<String> {
    match v {
        None | Some(Bson::Null) | Some(Bson::Undefined) => None,
        Some(Bson::String(s)) => Some(s.clone()),
        Some(Bson::ObjectId(o)) => Some(o.to_hex()),
        Some(other) => Some(other.to_string()),
    }
}

/// A key in a sorted stream, compared as the database orders it: ObjectIds
/// by bytes (their hex is in the same order), strings by UTF-8 bytes.
fn sort_key(v: Option<&Bson>) -> Option<String> {
    match v? {
        Bson::String(s) => Some(s.clone()),
        Bson::ObjectId(o) => Some(o.to_hex()),
        _ => None,
    }
}

/// Merges cursors that are each sorted by a key (cursor `i` by the field
/// `key_fields[i]`) and hands every row of the smallest key to a fold:
/// memory holds one row per cursor, whatever the number of users.
struct SortedMerge {
    cursors: Vec<mongodb::Cursor<Document>>,
    key_fields: Vec<&'static str>,
    heads: Vec<Option<(String, Document)>>,
}

impl SortedMerge {
    async fn new(sources: Vec<(mongodb::Cursor<Document>, &'static str)>) -> Result<Self> {
        let (cursors, key_fields): (Vec<_>, Vec<_>) = sources.into_iter().unzip();
        let mut m = Self {
            heads: Vec::with_capacity(cursors.len()),
            cursors,
            key_fields,
        };
        for i in 0..m.cursors.len() {
            let head = m.read(i).await?;
            m.heads.push(head);
        }
        Ok(m)
    }

    async fn read(&mut self, i: usize) -> Result<Option<(String, Document)>> {
        loop {
            let Some(d) = self.cursors[i].try_next().await.map_err(internal_store)? else {
                return Ok(None);
            };
            if let Some(k) = sort_key(d.get(self.key_fields[i])) {
                return Ok(Some((k, d)));
            }
        }
    }

    /// Folds the rows of the next key as `f(cursor index, row)`; the key, or
    /// `None` when every cursor is done.
    async fn next_fold(&mut self, mut f: impl FnMut(usize, &Document)) -> Result<Option<String>> {
        let Some(key) = self
            .heads
            .iter()
            .filter_map(|h| h.as_ref().map(|(k, _)| k))
            .min()
            .cloned()
        else {
            return Ok(None);
        };
        for i in 0..self.cursors.len() {
            while self.heads[i].as_ref().is_some_and(|(k, _)| *k == key) {
                let next = self.read(i).await?;
                if next.as_ref().is_some_and(|(k, _)| *k < key) {
                    return Err(ApiError::internal(
                        "a cursor sorted by the database came back out of order",
                    ));
                }
                if let Some((_, d)) = std::mem::replace(&mut self.heads[i], next) {
                    f(i, &d);
                }
            }
        }
        Ok(Some(key))
    }
}

async fn sorted_find(
    app: &AppState,
    coll: Collection,
    filter: Document,
    projection: Document,
    sort: Document,
) -> Result<mongodb::Cursor<Document>> {
    app.store()
        .database()
        .collection::<Document>(coll.name())
        .find(filter)
        .projection(projection)
        .sort(sort)
        .batch_size(1000)
        .max_time(app.request_timeout())
        .await
        .map_err(internal_store)
}

// ---------------------------------------------------------------- activity

/// `GET /api/stats/users/activity?interval=day|week|month`: per bucket, the
/// distinct users with session activity (`usersessions.lastActivityAt`) or
/// a sign-in (`users.lastLoginAt`) in it, the users created in it and the
/// sessions created in it.
pub async fn activity(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: std::result::Result<Query<Params>, QueryRejection>,
) -> Result<Json<Value>> {
    let (w, interval) = prepare(&caller, params, Some(Interval::Day))?;
    let interval = interval.unwrap_or(Interval::Day);
    let starts = bucket_starts(w, interval);
    let engine = engine(&app).await?;
    let mut active = vec![0_u64; starts.len()];
    let mut sign_ups = vec![0_u64; starts.len()];
    let mut sessions = vec![0_u64; starts.len()];
    match engine {
        Engine::Pipeline => {
            let per_bucket = |field: &str| {
                vec![
                    Stage::Match(range_filter(field, w)),
                    Stage::Group(date_trunc(field, interval), vec![("n", Acc::Count)]),
                ]
            };
            let fill = |rows: Vec<Document>, into: &mut Vec<u64>| {
                for r in rows {
                    if let Some(i) =
                        date_ms(r.get("_id")).and_then(|t| starts.binary_search(&t).ok())
                    {
                        into[i] += count(r.get("n"));
                    }
                }
            };
            fill(
                aggregate(&app, Collection::Users, &per_bucket("createdAt")).await?,
                &mut sign_ups,
            );
            fill(
                aggregate(&app, Collection::UserSessions, &per_bucket("createdAt")).await?,
                &mut sessions,
            );
            // (bucket, user) pairs of sessions and sign-ins, then users per bucket.
            let stages = [
                Stage::Match(range_filter("lastActivityAt", w)),
                Stage::Project(vec![
                    ("u", "$userId".into()),
                    ("b", date_trunc("lastActivityAt", interval)),
                ]),
                Stage::UnionWith(
                    Collection::Users,
                    vec![
                        Stage::Match(range_filter("lastLoginAt", w)),
                        Stage::Project(vec![
                            ("u", "$_id".into()),
                            ("b", date_trunc("lastLoginAt", interval)),
                        ]),
                    ],
                ),
                Stage::Group(doc! { "b": "$b", "u": "$u" }.into(), vec![]),
                Stage::Group("$_id.b".into(), vec![("n", Acc::Count)]),
            ];
            fill(
                aggregate(&app, Collection::UserSessions, &stages).await?,
                &mut active,
            );
        }
        Engine::Fallback => {
            for (coll, into) in [
                (Collection::Users, &mut sign_ups),
                (Collection::UserSessions, &mut sessions),
            ] {
                each_found(
                    &app,
                    coll,
                    range_filter("createdAt", w),
                    doc! { "_id": 0, "createdAt": 1 },
                    |d| {
                        if let Some(i) =
                            date_ms(d.get("createdAt")).and_then(|t| bucket_of(&starts, w, t))
                        {
                            into[i] += 1;
                        }
                        Ok(())
                    },
                )
                .await?;
            }
            // Both sorted by the user's `_id`: one user's buckets at a time.
            let sessions_by_user = sorted_find(
                &app,
                Collection::UserSessions,
                range_filter("lastActivityAt", w),
                doc! { "_id": 0, "userId": 1, "lastActivityAt": 1 },
                doc! { "userId": 1 },
            )
            .await?;
            let mut users_filter = range_filter("lastLoginAt", w);
            users_filter.insert("_id", doc! { "$type": "objectId" });
            let logins = sorted_find(
                &app,
                Collection::Users,
                users_filter,
                doc! { "lastLoginAt": 1 },
                doc! { "_id": 1 },
            )
            .await?;
            let mut merge =
                SortedMerge::new(vec![(sessions_by_user, "userId"), (logins, "_id")]).await?;
            let mut seen = vec![false; starts.len()];
            let mut touched: Vec<usize> = Vec::new();
            let fields = ["lastActivityAt", "lastLoginAt"];
            while merge
                .next_fold(|i, d| {
                    if let Some(b) =
                        date_ms(d.get(fields[i])).and_then(|t| bucket_of(&starts, w, t))
                    {
                        if !seen[b] {
                            seen[b] = true;
                            touched.push(b);
                        }
                    }
                })
                .await?
                .is_some()
            {
                for b in touched.drain(..) {
                    seen[b] = false;
                    active[b] += 1;
                }
            }
        }
    }
    let buckets: Vec<Value> = starts
        .iter()
        .enumerate()
        .map(|(i, s)| {
            json!({ "start": iso(*s), "activeUsers": active[i], "signUps": sign_ups[i], "sessions": sessions[i] })
        })
        .collect();
    Ok(Json(json!({
        "interval": interval.name(),
        "from": iso(w.from),
        "to": iso(w.to),
        "engine": engine.name(),
        "buckets": buckets,
    })))
}

// ---------------------------------------------------------------- geography

/// `GET /api/stats/users/geography`: per `usersessions.location.country`
/// (`null` when a session has none), the distinct users and the sessions
/// active in the range (`lastActivityAt`), by users descending.
pub async fn geography(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: std::result::Result<Query<Params>, QueryRejection>,
) -> Result<Json<Value>> {
    let (w, _) = prepare(&caller, params, None)?;
    let engine = engine(&app).await?;
    let mut countries: HashMap<Option<String>, (u64, u64)> = HashMap::new();
    match engine {
        Engine::Pipeline => {
            let stages = [
                Stage::Match(range_filter("lastActivityAt", w)),
                Stage::Group(
                    doc! { "c": "$location.country", "u": "$userId" }.into(),
                    vec![("n", Acc::Count)],
                ),
                Stage::Group(
                    "$_id.c".into(),
                    vec![("users", Acc::Count), ("sessions", Acc::Sum("n"))],
                ),
            ];
            for r in aggregate(&app, Collection::UserSessions, &stages).await? {
                let c = key_string(r.get("_id"));
                let e = countries.entry(c).or_default();
                e.0 += count(r.get("users"));
                e.1 += count(r.get("sessions"));
            }
        }
        Engine::Fallback => {
            // FerretDB's `$group` slows down with the number of groups
            // (15 s for 20,000 sessions grouped by country and user, measured):
            // sessions sorted by user instead, one user's countries at a time.
            let by_user = sorted_find(
                &app,
                Collection::UserSessions,
                range_filter("lastActivityAt", w),
                doc! { "_id": 0, "userId": 1, "location.country": 1 },
                doc! { "userId": 1 },
            )
            .await?;
            let mut merge = SortedMerge::new(vec![(by_user, "userId")]).await?;
            let mut mine: HashMap<Option<String>, u64> = HashMap::new();
            while merge
                .next_fold(|_, d| {
                    let c = d
                        .get_document("location")
                        .ok()
                        .and_then(|l| key_string(l.get("country")));
                    *mine.entry(c).or_default() += 1;
                })
                .await?
                .is_some()
            {
                for (c, n) in mine.drain() {
                    let e = countries.entry(c).or_default();
                    e.0 += 1;
                    e.1 += n;
                }
            }
        }
    }
    let mut rows: Vec<(Option<String>, (u64, u64))> = countries.into_iter().collect();
    // Users descending, then sessions descending, then the country (null last).
    rows.sort_by(|(ca, (ua, sa)), (cb, (ub, sb))| {
        ub.cmp(ua)
            .then(sb.cmp(sa))
            .then_with(|| (ca.is_none(), ca).cmp(&(cb.is_none(), cb)))
    });
    let countries: Vec<Value> = rows
        .into_iter()
        .map(|(c, (users, sessions))| json!({ "country": c, "users": users, "sessions": sessions }))
        .collect();
    Ok(Json(json!({
        "from": iso(w.from),
        "to": iso(w.to),
        "engine": engine.name(),
        "countries": countries,
    })))
}

// ---------------------------------------------------------------- engagement

/// A distribution of per-user counts: value -> users.
#[derive(Debug, Default, Clone)]
pub struct Histogram(BTreeMap<u64, u64>);

/// The bins of the engagement distribution: `[min, max]`, `None` = open.
pub const DISTRIBUTION_BINS: &[(u64, Option<u64>)] = &[
    (0, Some(0)),
    (1, Some(1)),
    (2, Some(4)),
    (5, Some(9)),
    (10, Some(19)),
    (20, Some(49)),
    (50, Some(99)),
    (100, None),
];

impl Histogram {
    /// Counts `users` more users with `value`.
    pub fn add(&mut self, value: u64, users: u64) {
        if users > 0 {
            *self.0.entry(value).or_default() += users;
        }
    }

    /// The number of users.
    pub fn users(&self) -> u64 {
        self.0.values().sum()
    }

    /// The nearest-rank percentile (see the module doc); `None` when empty.
    pub fn percentile(&self, p: u64) -> Option<u64> {
        let n = self.users();
        if n == 0 {
            return None;
        }
        let rank = (p * n).div_ceil(100).max(1);
        let mut seen = 0;
        for (value, users) in &self.0 {
            seen += users;
            if seen >= rank {
                return Some(*value);
            }
        }
        self.0.keys().next_back().copied()
    }

    /// `{mean, p50, p90}` over the users.
    pub fn summary(&self) -> Value {
        let n = self.users();
        let total: u64 = self.0.iter().map(|(v, u)| v * u).sum();
        let mean = if n == 0 {
            Value::Null
        } else {
            json!(total as f64 / n as f64)
        };
        json!({ "mean": mean, "p50": self.percentile(50), "p90": self.percentile(90) })
    }

    /// Users per [`DISTRIBUTION_BINS`] bin.
    pub fn bins(&self) -> Value {
        let bins: Vec<Value> = DISTRIBUTION_BINS
            .iter()
            .map(|(min, max)| {
                let users: u64 = self
                    .0
                    .iter()
                    .filter(|(v, _)| **v >= *min && max.is_none_or(|m| **v <= m))
                    .map(|(_, u)| u)
                    .sum();
                json!({ "min": min, "max": max, "users": users })
            })
            .collect();
        Value::Array(bins)
    }
}

/// One user's counts.
#[derive(Debug, Clone, PartialEq, Eq)]
struct UserCounts {
    user: String,
    chat_sessions: u64,
    messages: u64,
    tool_runs: u64,
}

impl UserCounts {
    /// The `top` order: messages, then chat sessions, then tool runs, all
    /// descending, then the user id.
    fn rank_key(
        &self,
    ) -> (
        std::cmp::Reverse<u64>,
        std::cmp::Reverse<u64>,
        std::cmp::Reverse<u64>,
        &str,
    ) {
        use std::cmp::Reverse;
        (
            Reverse(self.messages),
            Reverse(self.chat_sessions),
            Reverse(self.tool_runs),
            &self.user,
        )
    }
}

/// Keeps the best [`TOP_USERS`].
#[derive(Default)]
struct Top(Vec<UserCounts>);

impl Top {
    /// Inserts `u` at its place (after any equal key) if it ranks among the
    /// best: one binary search per user instead of a sort.
    fn offer(&mut self, u: UserCounts) {
        let at = self.0.partition_point(|x| x.rank_key() <= u.rank_key());
        if at < TOP_USERS {
            self.0.insert(at, u);
            self.0.truncate(TOP_USERS);
        }
    }
}

/// The three per-user sources of engagement, each filtered on `createdAt`.
const ENGAGEMENT_SOURCES: [Collection; 3] = [
    Collection::ChatSessions,
    Collection::ChatMessages,
    Collection::ToolUsageAnalytics,
];

/// `GET /api/stats/users/engagement`: over the users with a chat session, a
/// chat message or a tool run created in the range (`userId`), the mean,
/// p50 and p90 of each count per user, the distribution, and the top users.
pub async fn engagement(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: std::result::Result<Query<Params>, QueryRejection>,
) -> Result<Json<Value>> {
    let (w, _) = prepare(&caller, params, None)?;
    let engine = engine(&app).await?;
    let mut hist = [
        Histogram::default(),
        Histogram::default(),
        Histogram::default(),
    ];
    let mut top = Top::default();
    let mut users = 0_u64;
    let user_filter = |w: Window| {
        let mut f = range_filter("createdAt", w);
        f.insert("userId", doc! { "$type": "string" });
        f
    };
    match engine {
        Engine::Pipeline => {
            let fields = ["s", "m", "t"];
            // Each source's rows say which count they add to: 1 in its own field.
            let source = |k: usize| {
                let mut p = vec![("u", Bson::from("$userId"))];
                for (j, f) in fields.iter().enumerate() {
                    p.push((*f, doc! { "$literal": i32::from(j == k) }.into()));
                }
                vec![Stage::Match(user_filter(w)), Stage::Project(p)]
            };
            let mut stages = source(0);
            for (k, coll) in ENGAGEMENT_SOURCES.iter().enumerate().skip(1) {
                stages.push(Stage::UnionWith(*coll, source(k)));
            }
            stages.push(Stage::Group(
                "$u".into(),
                fields.iter().map(|f| (*f, Acc::Sum(f))).collect(),
            ));
            let histogram = |f: &str| {
                vec![Stage::Group(
                    field_path(f).into(),
                    vec![("users", Acc::Count)],
                )]
            };
            stages.push(Stage::Facet(vec![
                ("s", histogram("s")),
                ("m", histogram("m")),
                ("t", histogram("t")),
                (
                    "top",
                    vec![
                        Stage::Sort(vec![("m", -1), ("s", -1), ("t", -1), ("_id", 1)]),
                        Stage::Limit(TOP_USERS as i64),
                    ],
                ),
            ]));
            let rows = aggregate(&app, ENGAGEMENT_SOURCES[0], &stages).await?;
            let facets = rows.into_iter().next().unwrap_or_default();
            for (k, f) in fields.iter().enumerate() {
                for r in facets
                    .get_array(f)
                    .map(|a| a.as_slice())
                    .unwrap_or_default()
                {
                    if let Some(r) = r.as_document() {
                        hist[k].add(count(r.get("_id")), count(r.get("users")));
                    }
                }
            }
            users = hist[0].users();
            for r in facets
                .get_array("top")
                .map(|a| a.as_slice())
                .unwrap_or_default()
            {
                if let Some(r) = r.as_document() {
                    top.offer(UserCounts {
                        user: key_json(r.get("_id"))
                            .as_str()
                            .unwrap_or_default()
                            .to_string(),
                        chat_sessions: count(r.get("s")),
                        messages: count(r.get("m")),
                        tool_runs: count(r.get("t")),
                    });
                }
            }
        }
        Engine::Fallback => {
            // Per-user rows sorted by user, counted as they pass (FerretDB's
            // `$group` per user is slower than the sort, measured).
            let mut sources = Vec::with_capacity(3);
            for coll in ENGAGEMENT_SOURCES {
                let c = sorted_find(
                    &app,
                    coll,
                    user_filter(w),
                    doc! { "_id": 0, "userId": 1 },
                    doc! { "userId": 1 },
                )
                .await?;
                sources.push((c, "userId"));
            }
            let mut merge = SortedMerge::new(sources).await?;
            let mut c = [0_u64; 3];
            while let Some(user) = merge.next_fold(|i, _| c[i] += 1).await? {
                for (k, h) in hist.iter_mut().enumerate() {
                    h.add(c[k], 1);
                }
                users += 1;
                top.offer(UserCounts {
                    user,
                    chat_sessions: c[0],
                    messages: c[1],
                    tool_runs: c[2],
                });
                c = [0; 3];
            }
        }
    }
    let top: Vec<Value> = top
        .0
        .iter()
        .map(|u| json!({ "userId": u.user, "chatSessions": u.chat_sessions, "messages": u.messages, "toolRuns": u.tool_runs }))
        .collect();
    Ok(Json(json!({
        "from": iso(w.from),
        "to": iso(w.to),
        "engine": engine.name(),
        "users": users,
        "chatSessionsPerUser": hist[0].summary(),
        "messagesPerUser": hist[1].summary(),
        "toolRunsPerUser": hist[2].summary(),
        "distribution": {
            "chatSessions": hist[0].bins(),
            "messages": hist[1].bins(),
            "toolRuns": hist[2].bins(),
        },
        "top": top,
    })))
}

// ---------------------------------------------------------------- auth

/// Sign-in attempts of one bucket.
#[derive(Debug, Default, Clone, Copy)]
struct Attempts {
    succeeded: u64,
    failed: u64,
    locked: u64,
}

impl Attempts {
    fn add(&mut self, event: &str, n: u64) {
        match event {
            SIGN_IN_SUCCEEDED => self.succeeded += n,
            SIGN_IN_FAILED => self.failed += n,
            SIGN_IN_LOCKED => self.locked += n,
            _ => {}
        }
    }

    fn json(self, start: Option<i64>) -> Value {
        let attempts = self.succeeded + self.failed + self.locked;
        let rate = (attempts > 0).then(|| self.succeeded as f64 / attempts as f64);
        let mut v = json!({
            "succeeded": self.succeeded,
            "failed": self.failed,
            "locked": self.locked,
            "successRate": rate,
        });
        if let Some(s) = start {
            v["start"] = json!(iso(s));
        }
        v
    }
}

/// `GET /api/stats/auth?interval=...`: sign-in attempts per bucket from the
/// `analyticsevents` the server records (`eventType: "auth"`): succeeded,
/// failed (wrong email or password), locked (refused by the lockout), and
/// `successRate = succeeded / (succeeded + failed + locked)`, `null` when
/// there were none.
pub async fn auth(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: std::result::Result<Query<Params>, QueryRejection>,
) -> Result<Json<Value>> {
    let (w, interval) = prepare(&caller, params, Some(Interval::Day))?;
    let interval = interval.unwrap_or(Interval::Day);
    let starts = bucket_starts(w, interval);
    let engine = engine(&app).await?;
    let mut buckets = vec![Attempts::default(); starts.len()];
    // Served by the spec's `eventType: 1, timestamp: -1` index.
    let mut filter = doc! { "eventType": "auth" };
    filter.extend(range_filter("timestamp", w));
    match engine {
        Engine::Pipeline => {
            let stages = [
                Stage::Match(filter),
                Stage::Group(
                    doc! { "b": date_trunc("timestamp", interval), "e": "$eventName" }.into(),
                    vec![("n", Acc::Count)],
                ),
            ];
            for r in aggregate(&app, Collection::AnalyticsEvents, &stages).await? {
                let id = r.get_document("_id").ok();
                let b = id.and_then(|id| date_ms(id.get("b")));
                let e = id.and_then(|id| id.get_str("e").ok()).unwrap_or_default();
                if let Some(i) = b.and_then(|t| starts.binary_search(&t).ok()) {
                    buckets[i].add(e, count(r.get("n")));
                }
            }
        }
        Engine::Fallback => {
            let projection = doc! { "_id": 0, "timestamp": 1, "eventName": 1 };
            each_found(&app, Collection::AnalyticsEvents, filter, projection, |d| {
                if let Some(i) = date_ms(d.get("timestamp")).and_then(|t| bucket_of(&starts, w, t))
                {
                    buckets[i].add(d.get_str("eventName").unwrap_or_default(), 1);
                }
                Ok(())
            })
            .await?;
        }
    }
    let mut total = Attempts::default();
    for b in &buckets {
        total.succeeded += b.succeeded;
        total.failed += b.failed;
        total.locked += b.locked;
    }
    let out: Vec<Value> = starts
        .iter()
        .zip(&buckets)
        .map(|(s, b)| b.json(Some(*s)))
        .collect();
    Ok(Json(json!({
        "interval": interval.name(),
        "from": iso(w.from),
        "to": iso(w.to),
        "engine": engine.name(),
        "total": total.json(None),
        "buckets": out,
    })))
}

// ---------------------------------------------------------------- chat

/// Running sums for an average.
#[derive(Debug, Default, Clone, Copy)]
struct Mean {
    sum: f64,
    n: u64,
}

impl Mean {
    fn add(&mut self, v: Option<f64>) {
        if let Some(v) = v {
            self.sum += v;
            self.n += 1;
        }
    }

    fn value(self) -> Value {
        if self.n == 0 {
            Value::Null
        } else {
            json!(self.sum / self.n as f64)
        }
    }
}

/// One agent's chat figures.
#[derive(Debug, Default)]
struct AgentStats {
    sessions: u64,
    messages: u64,
    interactions: u64,
    response_time: Mean,
    personality: Mean,
    satisfied: u64,
    rated: u64,
}

/// `GET /api/stats/chat`: per agent (`agentId`, `null` when none), the chat
/// sessions and chat messages created in the range, and from
/// `chatanalytics`: interactions, average `responseTime`, average
/// `personalityScore` (over the interactions that have one) and the share of
/// rated interactions with `feedback.satisfied: true`.
pub async fn chat(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: std::result::Result<Query<Params>, QueryRejection>,
) -> Result<Json<Value>> {
    let (w, _) = prepare(&caller, params, None)?;
    let engine = engine(&app).await?;
    let mut agents: HashMap<Option<String>, AgentStats> = HashMap::new();
    // One accumulator: the same pipeline on both engines.
    for (coll, is_sessions) in [
        (Collection::ChatSessions, true),
        (Collection::ChatMessages, false),
    ] {
        let stages = [
            Stage::Match(range_filter("createdAt", w)),
            Stage::Group("$agentId".into(), vec![("n", Acc::Count)]),
        ];
        for r in aggregate(&app, coll, &stages).await? {
            let a = agents.entry(key_string(r.get("_id"))).or_default();
            if is_sessions {
                a.sessions += count(r.get("n"));
            } else {
                a.messages += count(r.get("n"));
            }
        }
    }
    match engine {
        Engine::Pipeline => {
            let is_bool = doc! { "$eq": [{ "$type": "$feedback.satisfied" }, "bool"] };
            let stages = [
                Stage::Match(range_filter("createdAt", w)),
                Stage::Group(
                    "$agentId".into(),
                    vec![
                        ("interactions", Acc::Count),
                        ("responseTime", Acc::Avg("responseTime")),
                        ("responseTimeN", Acc::Numbers("responseTime")),
                        ("personality", Acc::Avg("personalityScore")),
                        ("personalityN", Acc::Numbers("personalityScore")),
                        (
                            "satisfied",
                            Acc::CountIf(doc! { "$eq": ["$feedback.satisfied", true] }.into()),
                        ),
                        ("rated", Acc::CountIf(is_bool.into())),
                    ],
                ),
            ];
            for r in aggregate(&app, Collection::ChatAnalytics, &stages).await? {
                let a = agents.entry(key_string(r.get("_id"))).or_default();
                a.interactions += count(r.get("interactions"));
                let n = count(r.get("responseTimeN"));
                a.response_time.n += n;
                a.response_time.sum += number(r.get("responseTime")).unwrap_or(0.0) * n as f64;
                let n = count(r.get("personalityN"));
                a.personality.n += n;
                a.personality.sum += number(r.get("personality")).unwrap_or(0.0) * n as f64;
                a.satisfied += count(r.get("satisfied"));
                a.rated += count(r.get("rated"));
            }
        }
        Engine::Fallback => {
            let projection = doc! { "_id": 0, "agentId": 1, "responseTime": 1, "personalityScore": 1, "feedback.satisfied": 1 };
            each_found(
                &app,
                Collection::ChatAnalytics,
                range_filter("createdAt", w),
                projection,
                |d| {
                    let a = agents.entry(key_string(d.get("agentId"))).or_default();
                    a.interactions += 1;
                    a.response_time.add(number(d.get("responseTime")));
                    a.personality.add(number(d.get("personalityScore")));
                    if let Some(s) = d
                        .get_document("feedback")
                        .ok()
                        .and_then(|f| f.get_bool("satisfied").ok())
                    {
                        a.rated += 1;
                        a.satisfied += u64::from(s);
                    }
                    Ok(())
                },
            )
            .await?;
        }
    }
    let mut rows: Vec<(Option<String>, AgentStats)> = agents.into_iter().collect();
    rows.sort_by(|(ka, a), (kb, b)| {
        b.sessions
            .cmp(&a.sessions)
            .then(b.messages.cmp(&a.messages))
            .then(b.interactions.cmp(&a.interactions))
            .then_with(|| (ka.is_none(), ka).cmp(&(kb.is_none(), kb)))
    });
    let agents: Vec<Value> = rows
        .into_iter()
        .map(|(agent, a)| {
            json!({
                "agentId": agent,
                "sessions": a.sessions,
                "messages": a.messages,
                "interactions": a.interactions,
                "avgResponseTimeMs": a.response_time.value(),
                "avgPersonalityScore": a.personality.value(),
                "satisfactionRate": (a.rated > 0).then(|| a.satisfied as f64 / a.rated as f64),
                "rated": a.rated,
            })
        })
        .collect();
    Ok(Json(json!({
        "from": iso(w.from),
        "to": iso(w.to),
        "engine": engine.name(),
        "agents": agents,
    })))
}

// ---------------------------------------------------------------- tools

/// One tool's figures.
#[derive(Debug, Default)]
struct ToolStats {
    runs: u64,
    succeeded: u64,
    execution_time: Mean,
    reviews: u64,
    rating: Mean,
}

/// `GET /api/stats/tools`: per tool, the runs created in the range
/// (`toolusageanalytics`, by `toolName`), their success rate and average
/// `executionTime` (over the runs that have one), and the reviews created in
/// the range (`toolreviews`, by `toolId`) with their average rating. The
/// spec links the two by no field: a tool's runs and reviews meet where its
/// `toolName` equals the reviews' `toolId`.
pub async fn tools(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: std::result::Result<Query<Params>, QueryRejection>,
) -> Result<Json<Value>> {
    let (w, _) = prepare(&caller, params, None)?;
    let engine = engine(&app).await?;
    let mut tools: HashMap<Option<String>, ToolStats> = HashMap::new();
    match engine {
        Engine::Pipeline => {
            let stages = [
                Stage::Match(range_filter("createdAt", w)),
                Stage::Group(
                    "$toolName".into(),
                    vec![
                        ("runs", Acc::Count),
                        (
                            "succeeded",
                            Acc::CountIf(doc! { "$eq": ["$success", true] }.into()),
                        ),
                        ("time", Acc::Avg("executionTime")),
                        ("timeN", Acc::Numbers("executionTime")),
                    ],
                ),
            ];
            for r in aggregate(&app, Collection::ToolUsageAnalytics, &stages).await? {
                let t = tools.entry(key_string(r.get("_id"))).or_default();
                t.runs += count(r.get("runs"));
                t.succeeded += count(r.get("succeeded"));
                let n = count(r.get("timeN"));
                t.execution_time.n += n;
                t.execution_time.sum += number(r.get("time")).unwrap_or(0.0) * n as f64;
            }
            // Served by the spec's `toolId: 1, createdAt: -1` index for the grouping key.
            let stages = [
                Stage::Match(range_filter("createdAt", w)),
                Stage::Group(
                    "$toolId".into(),
                    vec![
                        ("reviews", Acc::Count),
                        ("rating", Acc::Avg("rating")),
                        ("ratingN", Acc::Numbers("rating")),
                    ],
                ),
            ];
            for r in aggregate(&app, Collection::ToolReviews, &stages).await? {
                let t = tools.entry(key_string(r.get("_id"))).or_default();
                t.reviews += count(r.get("reviews"));
                let n = count(r.get("ratingN"));
                t.rating.n += n;
                t.rating.sum += number(r.get("rating")).unwrap_or(0.0) * n as f64;
            }
        }
        Engine::Fallback => {
            let projection = doc! { "_id": 0, "toolName": 1, "success": 1, "executionTime": 1 };
            each_found(
                &app,
                Collection::ToolUsageAnalytics,
                range_filter("createdAt", w),
                projection,
                |d| {
                    let t = tools.entry(key_string(d.get("toolName"))).or_default();
                    t.runs += 1;
                    t.succeeded += u64::from(d.get_bool("success").unwrap_or(false));
                    t.execution_time.add(number(d.get("executionTime")));
                    Ok(())
                },
            )
            .await?;
            let projection = doc! { "_id": 0, "toolId": 1, "rating": 1 };
            each_found(
                &app,
                Collection::ToolReviews,
                range_filter("createdAt", w),
                projection,
                |d| {
                    let t = tools.entry(key_string(d.get("toolId"))).or_default();
                    t.reviews += 1;
                    t.rating.add(number(d.get("rating")));
                    Ok(())
                },
            )
            .await?;
        }
    }
    let mut rows: Vec<(Option<String>, ToolStats)> = tools.into_iter().collect();
    rows.sort_by(|(ka, a), (kb, b)| {
        b.runs
            .cmp(&a.runs)
            .then(b.reviews.cmp(&a.reviews))
            .then_with(|| (ka.is_none(), ka).cmp(&(kb.is_none(), kb)))
    });
    let tools: Vec<Value> = rows
        .into_iter()
        .map(|(tool, t)| {
            json!({
                "tool": tool,
                "runs": t.runs,
                "succeeded": t.succeeded,
                "successRate": (t.runs > 0).then(|| t.succeeded as f64 / t.runs as f64),
                "avgExecutionTimeMs": t.execution_time.value(),
                "reviews": t.reviews,
                "avgRating": t.rating.value(),
            })
        })
        .collect();
    Ok(Json(json!({
        "from": iso(w.from),
        "to": iso(w.to),
        "engine": engine.name(),
        "tools": tools,
    })))
}

// ---------------------------------------------------------------- revenue

/// One bucket's money in one currency.
#[derive(Debug, Default, Clone)]
struct Money {
    paid: f64,
    payments: u64,
    failed: f64,
    pending: f64,
    invoices: BTreeMap<String, u64>,
}

/// The counters of bucket `i` in `currency`.
fn money_at(
    money: &mut BTreeMap<(usize, Option<String>), Money>,
    i: usize,
    currency: Option<String>,
) -> &mut Money {
    money.entry((i, currency)).or_insert_with(|| Money {
        invoices: invoice_states(),
        ..Money::default()
    })
}

/// The invoice states the models crate declares, always listed.
fn invoice_states() -> BTreeMap<String, u64> {
    ["paid", "pending", "failed", "void"]
        .into_iter()
        .map(|s| (s.to_string(), 0))
        .collect()
}

impl Money {
    fn payment(&mut self, status: &str, amount: f64, n: u64) {
        match status {
            "succeeded" => {
                self.paid += amount;
                self.payments += n;
            }
            "failed" => self.failed += amount,
            "pending" => self.pending += amount,
            _ => {}
        }
    }
}

/// `GET /api/stats/revenue?interval=month`: per bucket and currency, the
/// amount of `payments` that succeeded (bucketed by `paidAt`) and how many,
/// the amounts failed and pending, and the `invoices` created in the bucket
/// by status. The payments schema declares no refund state (`status` is
/// `succeeded|pending|failed`), so there is no refunded amount to report.
pub async fn revenue(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: std::result::Result<Query<Params>, QueryRejection>,
) -> Result<Json<Value>> {
    let (w, interval) = prepare(&caller, params, Some(Interval::Month))?;
    let interval = interval.unwrap_or(Interval::Month);
    let starts = bucket_starts(w, interval);
    let engine = engine(&app).await?;
    // (bucket, currency) -> money; bounded by buckets x currencies.
    let mut money: BTreeMap<(usize, Option<String>), Money> = BTreeMap::new();
    match engine {
        Engine::Pipeline => {
            let stages = |field: &str| {
                vec![
                    Stage::Match(range_filter(field, w)),
                    Stage::Group(
                        doc! { "b": date_trunc(field, interval), "c": "$currency", "s": "$status" }
                            .into(),
                        vec![("amount", Acc::Sum("amount")), ("n", Acc::Count)],
                    ),
                ]
            };
            for (coll, field) in [
                (Collection::Payments, "paidAt"),
                (Collection::Invoices, "createdAt"),
            ] {
                for r in aggregate(&app, coll, &stages(field)).await? {
                    let id = r.get_document("_id").ok();
                    let b = id.and_then(|id| date_ms(id.get("b")));
                    let Some(i) = b.and_then(|t| starts.binary_search(&t).ok()) else {
                        continue;
                    };
                    let c = id.and_then(|id| key_string(id.get("c")));
                    let s = id
                        .and_then(|id| id.get_str("s").ok())
                        .unwrap_or_default()
                        .to_string();
                    let m = money_at(&mut money, i, c);
                    if coll == Collection::Payments {
                        m.payment(
                            &s,
                            number(r.get("amount")).unwrap_or(0.0),
                            count(r.get("n")),
                        );
                    } else {
                        *m.invoices.entry(s).or_default() += count(r.get("n"));
                    }
                }
            }
        }
        Engine::Fallback => {
            for (coll, field) in [
                (Collection::Payments, "paidAt"),
                (Collection::Invoices, "createdAt"),
            ] {
                let projection =
                    doc! { "_id": 0, field: 1, "currency": 1, "status": 1, "amount": 1 };
                each_found(&app, coll, range_filter(field, w), projection, |d| {
                    let Some(i) = date_ms(d.get(field)).and_then(|t| bucket_of(&starts, w, t))
                    else {
                        return Ok(());
                    };
                    let c = key_string(d.get("currency"));
                    let s = d.get_str("status").unwrap_or_default().to_string();
                    let m = money_at(&mut money, i, c);
                    if coll == Collection::Payments {
                        m.payment(&s, number(d.get("amount")).unwrap_or(0.0), 1);
                    } else {
                        *m.invoices.entry(s).or_default() += 1;
                    }
                    Ok(())
                })
                .await?;
            }
        }
    }
    let mut per_bucket: Vec<Vec<Value>> = vec![Vec::new(); starts.len()];
    for ((i, currency), m) in money {
        per_bucket[i].push(json!({
            "currency": currency,
            "paid": m.paid,
            "payments": m.payments,
            "failed": m.failed,
            "pending": m.pending,
            "invoices": m.invoices,
        }));
    }
    let buckets: Vec<Value> = starts
        .iter()
        .zip(per_bucket)
        .map(|(s, currencies)| json!({ "start": iso(*s), "currencies": currencies }))
        .collect();
    Ok(Json(json!({
        "interval": interval.name(),
        "from": iso(w.from),
        "to": iso(w.to),
        "engine": engine.name(),
        "buckets": buckets,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(s: &str) -> i64 {
        Date::parse_iso(s).map_or(i64::MIN, Date::millis)
    }

    fn params(from: Option<&str>, to: Option<&str>) -> Params {
        Params {
            from: from.map(str::to_string),
            to: to.map(str::to_string),
            interval: None,
        }
    }

    #[test]
    fn buckets_start_on_utc_days_mondays_and_firsts_of_month() {
        // 2024-01-17 was a Wednesday; 2024 is a leap year.
        let t = ms("2024-01-17T15:30:00Z");
        assert_eq!(Interval::Day.start_of(t), ms("2024-01-17T00:00:00Z"));
        assert_eq!(Interval::Week.start_of(t), ms("2024-01-15T00:00:00Z"));
        assert_eq!(
            Interval::Week.start_of(ms("2024-01-14T23:59:59.999Z")),
            ms("2024-01-08T00:00:00Z")
        );
        assert_eq!(
            Interval::Week.start_of(ms("2024-01-15T00:00:00Z")),
            ms("2024-01-15T00:00:00Z")
        );
        assert_eq!(Interval::Month.start_of(t), ms("2024-01-01T00:00:00Z"));
        assert_eq!(
            Interval::Month.next(ms("2024-01-01T00:00:00Z")),
            ms("2024-02-01T00:00:00Z")
        );
        assert_eq!(
            Interval::Month.next(ms("2024-12-01T00:00:00Z")),
            ms("2025-01-01T00:00:00Z")
        );
        // Before the epoch too: 1969-12-31 was a Wednesday.
        assert_eq!(
            Interval::Week.start_of(ms("1969-12-31T12:00:00Z")),
            ms("1969-12-29T00:00:00Z")
        );
    }

    #[test]
    fn every_bucket_of_the_range_is_listed() {
        let w = Window {
            from: ms("2024-01-30T12:00:00Z"),
            to: ms("2024-04-01T00:00:00Z"),
        };
        let months: Vec<i64> = ["2024-01-01", "2024-02-01", "2024-03-01"]
            .iter()
            .map(|s| ms(s))
            .collect();
        assert_eq!(bucket_starts(w, Interval::Month), months);
        let w = Window {
            from: ms("2024-02-27T00:00:00Z"),
            to: ms("2024-03-02T00:00:01Z"),
        };
        let days: Vec<i64> = [
            "2024-02-27",
            "2024-02-28",
            "2024-02-29",
            "2024-03-01",
            "2024-03-02",
        ]
        .iter()
        .map(|s| ms(s))
        .collect();
        assert_eq!(bucket_starts(w, Interval::Day), days);
        assert_eq!(bucket_of(&days, w, ms("2024-02-29T23:59:59.999Z")), Some(2));
        assert_eq!(bucket_of(&days, w, ms("2024-02-26T23:00:00Z")), None);
        assert_eq!(bucket_of(&days, w, ms("2024-03-02T00:00:01Z")), None);
    }

    #[test]
    fn bad_ranges_are_refused_with_a_reason() {
        let now = ms("2024-06-01T00:00:00Z");
        let w = window(&params(None, None), Some(Interval::Day), now).ok();
        assert_eq!(
            w,
            Some(Window {
                from: ms("2024-05-02T00:00:00Z"),
                to: now
            })
        );
        let code = |p: Params, i| window(&p, i, now).err().map(|e| e.code());
        assert_eq!(
            code(params(Some("2024-02-01"), Some("2024-01-01")), None),
            Some("invalid_range")
        );
        assert_eq!(
            code(params(Some("2024-01-01"), Some("2024-01-01")), None),
            Some("invalid_range")
        );
        assert_eq!(
            code(params(Some("yesterday"), None), None),
            Some("invalid_date")
        );
        // 5 years of days: 1827 is allowed, a day more is not (and is with weeks).
        assert_eq!(
            code(
                params(Some("2019-01-01"), Some("2024-01-02")),
                Some(Interval::Day)
            ),
            None
        );
        assert_eq!(
            code(
                params(Some("2019-01-01"), Some("2024-01-03")),
                Some(Interval::Day)
            ),
            Some("range_too_long")
        );
        assert_eq!(
            code(
                params(Some("2019-01-01"), Some("2024-01-03")),
                Some(Interval::Week)
            ),
            None
        );
        // Weeks and months: about 50 years (18,262 days) pass, 54 (19,723 days) do not.
        assert_eq!(
            code(
                params(Some("2000-01-01"), Some("2049-12-31")),
                Some(Interval::Month)
            ),
            None
        );
        for interval in [Interval::Week, Interval::Month] {
            assert_eq!(
                code(
                    params(Some("1970-01-01"), Some("2024-01-01")),
                    Some(interval)
                ),
                Some("range_too_long"),
                "{interval:?}"
            );
        }
        assert!(Interval::parse(Some("hour"), Interval::Day).is_err());
    }

    #[test]
    fn stages_are_written_as_the_documents_mongodb_reads() {
        let stages = [
            Stage::Match(doc! { "x": 1 }),
            Stage::Project(vec![("u", "$userId".into())]),
            Stage::Group(
                "$a".into(),
                vec![
                    ("n", Acc::Count),
                    ("s", Acc::Sum("amount")),
                    ("t", Acc::Avg("time")),
                    ("k", Acc::Numbers("time")),
                    (
                        "ok",
                        Acc::CountIf(doc! { "$eq": ["$success", true] }.into()),
                    ),
                ],
            ),
            Stage::UnionWith(Collection::Users, vec![Stage::Limit(2)]),
            Stage::Facet(vec![(
                "top",
                vec![Stage::Sort(vec![("m", -1), ("_id", 1)])],
            )]),
        ];
        let cond = |c: Document| doc! { "$sum": { "$cond": [c, 1, 0] } };
        assert_eq!(
            pipeline(&stages),
            vec![
                doc! { "$match": { "x": 1 } },
                doc! { "$project": { "_id": 0, "u": "$userId" } },
                doc! { "$group": {
                    "_id": "$a",
                    "n": { "$sum": 1 },
                    "s": { "$sum": "$amount" },
                    "t": { "$avg": "$time" },
                    "k": cond(doc! { "$isNumber": "$time" }),
                    "ok": cond(doc! { "$eq": ["$success", true] }),
                } },
                doc! { "$unionWith": { "coll": "users", "pipeline": [{ "$limit": 2_i64 }] } },
                doc! { "$facet": { "top": [{ "$sort": { "m": -1, "_id": 1 } }] } },
            ]
        );
        let week = date_trunc("t", Interval::Week);
        assert_eq!(
            week,
            Bson::from(
                doc! { "$dateTrunc": { "date": "$t", "unit": "week", "timezone": "Etc/UTC", "startOfWeek": "monday" } }
            )
        );
    }

    #[test]
    fn top_keeps_the_best_ten_in_rank_order() {
        // 25 users offered in a scrambled order, with ties on every count.
        let users: Vec<UserCounts> = (0..25u64)
            .map(|i| (i * 7) % 25)
            .map(|i| UserCounts {
                user: format!("u{i:02}"),
                chat_sessions: i % 3,
                messages: i % 5,
                tool_runs: i % 2,
            })
            .collect();
        let mut top = Top::default();
        for u in users.iter().cloned() {
            top.offer(u);
        }
        // Expected: messages, chat sessions, tool runs descending, then id.
        let mut want = users;
        want.sort_by(|a, b| {
            (b.messages, b.chat_sessions, b.tool_runs)
                .cmp(&(a.messages, a.chat_sessions, a.tool_runs))
                .then(a.user.cmp(&b.user))
        });
        want.truncate(TOP_USERS);
        assert_eq!(top.0, want);
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        // Hand-computed: values 1..=10 -> p50 = 5 (rank 5), p90 = 9 (rank 9).
        let mut h = Histogram::default();
        for v in 1..=10 {
            h.add(v, 1);
        }
        assert_eq!((h.percentile(50), h.percentile(90)), (Some(5), Some(9)));
        // [0, 0, 0, 7]: rank ceil(2) = 2 -> 0; rank ceil(3.6) = 4 -> 7.
        let mut h = Histogram::default();
        h.add(0, 3);
        h.add(7, 1);
        assert_eq!((h.percentile(50), h.percentile(90)), (Some(0), Some(7)));
        assert_eq!(h.summary()["mean"], json!(1.75));
        assert_eq!(Histogram::default().percentile(50), None);
        let bins = h.bins();
        assert_eq!(bins[0]["users"], json!(3));
        assert_eq!(bins[3]["users"], json!(1));
    }
}
