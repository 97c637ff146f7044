//! The access policy, cell by cell (issue 10): every collection × {anonymous,
//! user A, user B, the service token, an admin's session} × {list, get,
//! create, update, delete}, plus the protected-field and cross-owner cases.
//!
//! The expected outcome of each cell is written below by hand from the
//! product's intent, not derived from the models crate's declarations that
//! the server enforces: the point is to check those declarations (and the
//! server applying them) against what the product says. Every refusal is
//! also checked in the database: nothing stored, nothing changed.

use crate::common::{run_create_admin, sign_in, sign_up, Resp, Session, TestServer, TOKEN};
use crate::vector_files;
use bson::{oid::ObjectId, Bson, Document};
use reqwest::Method;
use serde_json::{json, Map, Value};
use std::collections::{BTreeSet, HashMap};

/// Who sends a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anon,
    A,
    B,
    /// The service token (`API_TOKEN`).
    Service,
    /// A user made admin with `onelastai-server create-admin`, by its session.
    Admin,
}

const CALLERS: [Who; 5] = [Who::Anon, Who::A, Who::B, Who::Service, Who::Admin];
const OPS: [&str; 5] = ["list", "get", "create", "update", "delete"];

impl Who {
    fn label(self) -> &'static str {
        match self {
            Who::Anon => "anonymous",
            Who::A => "user A",
            Who::B => "user B",
            Who::Service => "service token",
            Who::Admin => "admin session",
        }
    }

    fn is_admin(self) -> bool {
        matches!(self, Who::Service | Who::Admin)
    }
}

/// Where a collection's owner lives and what it holds.
#[derive(Debug, Clone, Copy)]
enum Owner {
    /// Nobody owns these documents.
    Nobody,
    /// The user's app id (`user_...`) at this path.
    AppId(&'static str),
    /// The user's `_id` (ObjectId) at this path.
    ObjectId(&'static str),
}

impl Owner {
    fn path(self) -> Option<&'static str> {
        match self {
            Owner::Nobody => None,
            Owner::AppId(p) | Owner::ObjectId(p) => Some(p),
        }
    }
}

/// One collection of the hand-written table.
struct Row {
    route: &'static str,
    /// The MongoDB collection (and vector file) name.
    name: &'static str,
    owner: Owner,
    /// The field that makes a document readable by anyone.
    public: Option<&'static str>,
    /// Fields a user may not send (stripped from the documents users create
    /// in the matrix; the extra cases send them). `*` is any array index.
    protected: &'static [&'static str],
    /// A harmless top-level field a PATCH changes, and whether it is a number.
    change: (&'static str, bool),
    /// `[list, get, create, update, delete][anonymous, A, B, service, admin session]`.
    ///
    /// list: `own` (only the caller's documents, its own seed among them),
    /// `all` (every seed), `pub` (only public ones), `own+pub`, or a status.
    /// get/update/delete target a document owned by user A (for collections
    /// with a public flag: a private one). Statuses: `401` unauthorized,
    /// `403` forbidden, `404` not_found, `403|404` any refusal of the two,
    /// `200`/`201`/`204` done.
    expect: [[&'static str; 5]; 5],
}

/// Owner-only reads, owner does everything.
const OWNER_ALL: [[&str; 5]; 5] = [
    ["401", "own", "own", "all", "all"],
    ["401", "200", "404", "200", "200"],
    ["401", "201", "201", "201", "201"],
    ["401", "200", "404", "200", "200"],
    ["401", "204", "404", "204", "204"],
];

/// Owner-only reads, writes by admins only (another user's document is
/// unreadable, so 404).
const OWNER_READS_ADMIN_WRITES: [[&str; 5]; 5] = [
    ["401", "own", "own", "all", "all"],
    ["401", "200", "404", "200", "200"],
    ["401", "403", "403", "201", "201"],
    ["401", "403", "404", "200", "200"],
    ["401", "403", "404", "204", "204"],
];

/// Owner-only reads, the owner creates, admins update and delete.
const OWNER_CREATES: [[&str; 5]; 5] = [
    ["401", "own", "own", "all", "all"],
    ["401", "200", "404", "200", "200"],
    ["401", "201", "201", "201", "201"],
    ["401", "403", "404", "200", "200"],
    ["401", "403", "404", "204", "204"],
];

/// Anyone reads, admins write.
const PUBLIC_ADMIN_WRITES: [[&str; 5]; 5] = [
    ["all", "all", "all", "all", "all"],
    ["200", "200", "200", "200", "200"],
    ["401", "403", "403", "201", "201"],
    ["401", "403", "403", "200", "200"],
    ["401", "403", "403", "204", "204"],
];

const SUBSCRIPTION_PROTECTED: &[&str] = &[
    "price",
    "status",
    "startDate",
    "expiryDate",
    "stripeSubscriptionId",
];
const TOOL_PROTECTED: &[&str] = &[
    "verified",
    "featured",
    "metadata.downloads",
    "metadata.stars",
    "metadata.uses",
    "metadata.author.verified",
    "metadata.allVersions.*.downloads",
    "metadata.allVersions.*.rating",
];
const REVIEW_PROTECTED: &[&str] = &["helpful", "notHelpful", "verified"];

/// The product's access policy, by hand.
fn table() -> Vec<Row> {
    vec![
        Row {
            route: "users",
            name: "users",
            owner: Owner::AppId("id"),
            public: None,
            protected: &[],
            change: ("name", false),
            expect: [
                ["401", "own", "own", "all", "all"],
                ["401", "200", "404", "200", "200"],
                ["401", "403", "403", "201", "201"],
                ["401", "200", "404", "200", "200"],
                ["401", "204", "404", "204", "204"],
            ],
        },
        Row {
            route: "user-sessions",
            name: "usersessions",
            owner: Owner::ObjectId("userId"),
            public: None,
            protected: &[],
            change: ("browser", false),
            expect: [
                ["401", "own", "own", "all", "all"],
                ["401", "200", "404", "200", "200"],
                ["401", "403", "403", "201", "201"],
                ["401", "403", "404", "200", "200"],
                ["401", "204", "404", "204", "204"],
            ],
        },
        Row {
            route: "subscriptions",
            name: "subscriptions",
            owner: Owner::AppId("userId"),
            public: None,
            protected: SUBSCRIPTION_PROTECTED,
            change: ("agentId", false),
            expect: [
                ["401", "own", "own", "all", "all"],
                ["401", "200", "404", "200", "200"],
                ["401", "201", "201", "201", "201"],
                ["401", "403", "404", "200", "200"],
                ["401", "204", "404", "204", "204"],
            ],
        },
        Row {
            route: "subscription-plans",
            name: "subscriptionplans",
            owner: Owner::Nobody,
            public: None,
            protected: &[],
            change: ("description", false),
            expect: PUBLIC_ADMIN_WRITES,
        },
        Row {
            route: "chat-sessions",
            name: "chatsessions",
            owner: Owner::AppId("userId"),
            public: None,
            protected: &[],
            change: ("name", false),
            expect: OWNER_ALL,
        },
        Row {
            route: "chat-messages",
            name: "chatmessages",
            owner: Owner::AppId("userId"),
            public: None,
            protected: &[],
            change: ("content", false),
            expect: OWNER_ALL,
        },
        Row {
            route: "analytics-events",
            name: "analyticsevents",
            owner: Owner::AppId("userId"),
            public: None,
            protected: &[],
            change: ("eventName", false),
            expect: [
                ["401", "own", "own", "all", "all"],
                ["401", "200", "404", "200", "200"],
                ["201", "201", "201", "201", "201"],
                ["401", "403", "404", "200", "200"],
                ["401", "403", "404", "204", "204"],
            ],
        },
        Row {
            route: "chat-analytics",
            name: "chatanalytics",
            owner: Owner::AppId("userId"),
            public: None,
            protected: &[],
            change: ("agentName", false),
            expect: OWNER_CREATES,
        },
        Row {
            route: "tool-usage-analytics",
            name: "toolusageanalytics",
            owner: Owner::AppId("userId"),
            public: None,
            protected: &[],
            change: ("action", false),
            expect: OWNER_CREATES,
        },
        Row {
            route: "user-achievements",
            name: "userachievements",
            owner: Owner::AppId("userId"),
            public: None,
            protected: &[],
            change: ("totalPossible", true),
            expect: OWNER_READS_ADMIN_WRITES,
        },
        Row {
            route: "user-rewards",
            name: "userrewards",
            owner: Owner::AppId("userId"),
            public: None,
            protected: &[],
            change: ("spentPoints", true),
            expect: OWNER_READS_ADMIN_WRITES,
        },
        Row {
            route: "leaderboards",
            name: "leaderboards",
            owner: Owner::Nobody,
            public: None,
            protected: &[],
            change: ("totalParticipants", true),
            expect: PUBLIC_ADMIN_WRITES,
        },
        Row {
            route: "tools",
            name: "tools",
            owner: Owner::AppId("metadata.author.id"),
            public: Some("published"),
            protected: TOOL_PROTECTED,
            change: ("mainFunction", false),
            expect: [
                ["pub", "own+pub", "own+pub", "all", "all"],
                ["404", "200", "404", "200", "200"],
                ["401", "201", "201", "201", "201"],
                ["401", "200", "404", "200", "200"],
                ["401", "204", "404", "204", "204"],
            ],
        },
        Row {
            route: "tool-reviews",
            name: "toolreviews",
            owner: Owner::AppId("userId"),
            public: None,
            protected: REVIEW_PROTECTED,
            change: ("title", false),
            expect: [
                ["all", "all", "all", "all", "all"],
                ["200", "200", "200", "200", "200"],
                ["401", "201", "201", "201", "201"],
                ["401", "200", "403|404", "200", "200"],
                ["401", "204", "403|404", "204", "204"],
            ],
        },
        Row {
            route: "invoices",
            name: "invoices",
            owner: Owner::ObjectId("userId"),
            public: None,
            protected: &[],
            change: ("agentName", false),
            expect: OWNER_READS_ADMIN_WRITES,
        },
        Row {
            route: "payments",
            name: "payments",
            owner: Owner::ObjectId("userId"),
            public: None,
            protected: &[],
            change: ("agentName", false),
            expect: OWNER_READS_ADMIN_WRITES,
        },
        Row {
            route: "app-configs",
            name: "appconfigs",
            owner: Owner::Nobody,
            public: Some("isPublic"),
            protected: &[],
            change: ("description", false),
            expect: [
                ["pub", "pub", "pub", "all", "all"],
                ["404", "404", "404", "200", "200"],
                ["401", "403", "403", "201", "201"],
                ["401", "404", "404", "200", "200"],
                ["401", "404", "404", "204", "204"],
            ],
        },
    ]
}

// ---------------------------------------------------------------------------
// Documents

/// The spec's example document of a collection (a valid vector case),
/// without what the server assigns.
fn template(name: &str) -> Map<String, Value> {
    let case = vector_files::case(name, vector_files::SPEC_EXAMPLE);
    assert_eq!(
        case["valid"], true,
        "{name}: the spec example is a valid case"
    );
    let mut m = case["input"].as_object().cloned().unwrap_or_default();
    for k in ["_id", "createdAt", "updatedAt", "__v"] {
        m.remove(k);
    }
    m
}

fn set_path(v: &mut Value, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            if let Some(m) = v.as_object_mut() {
                m.insert(path.to_string(), value);
            }
        }
        Some((head, rest)) => {
            if let Some(m) = v.as_object_mut() {
                let next = m.entry(head.to_string()).or_insert_with(|| json!({}));
                set_path(next, rest, value);
            }
        }
    }
}

/// Removes a dotted path (`*` for every array element).
fn remove_path(v: &mut Value, path: &str) {
    match path.split_once('.') {
        None => {
            if let Some(m) = v.as_object_mut() {
                m.remove(path);
            }
        }
        Some(("*", rest)) => {
            if let Some(items) = v.as_array_mut() {
                for item in items {
                    remove_path(item, rest);
                }
            }
        }
        Some((head, rest)) => {
            if let Some(next) = v.get_mut(head) {
                remove_path(next, rest);
            }
        }
    }
}

fn get_path<'v>(v: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(v, |cur, seg| cur.get(seg))
}

fn bson_path<'d>(d: &'d Document, path: &str) -> Option<&'d Bson> {
    let mut segments = path.split('.');
    let mut cur = d.get(segments.next()?)?;
    for seg in segments {
        cur = cur.as_document()?.get(seg)?;
    }
    Some(cur)
}

fn version(d: &Document) -> i64 {
    match d.get("__v") {
        Some(Bson::Int32(n)) => i64::from(*n),
        Some(Bson::Int64(n)) => *n,
        Some(Bson::Double(x)) => *x as i64,
        _ => 0,
    }
}

/// `{status} {error}` of an answer, for people.
fn said(r: &Resp) -> String {
    if r.code().is_empty() {
        r.status.to_string()
    } else {
        format!("{} {}", r.status, r.code())
    }
}

/// Whether an answer is the expected outcome (a status with its error code).
fn outcome_is(expect: &str, r: &Resp) -> bool {
    match expect {
        "200" => r.status == 200,
        "201" => r.status == 201,
        "204" => r.status == 204,
        "401" => r.status == 401 && r.code() == "unauthorized",
        "403" => r.status == 403 && r.code() == "forbidden",
        "404" => r.status == 404 && r.code() == "not_found",
        "403|404" => {
            (r.status == 403 && r.code().starts_with("forbidden"))
                || (r.status == 404 && r.code() == "not_found")
        }
        _ => false,
    }
}

/// One checked cell (of the matrix or the extra cases).
struct Cell {
    label: String,
    expected: String,
    observed: String,
    ok: bool,
    detail: String,
}

/// The seeded documents of a collection (hex `_id`s): `a` owned by A (or the
/// first of an ownerless collection; private where there is a public flag),
/// `b` owned by B, `p` a public one (owned by B where documents have owners).
#[derive(Debug, Clone, Default)]
struct Seeds {
    a: String,
    b: String,
    p: Option<String>,
}

/// The test's world: the server, its three signed-in people and the seeds.
struct World {
    server: TestServer,
    a: Session,
    b: Session,
    admin: Session,
    n: u32,
    leaderboard: usize,
    seeds: HashMap<&'static str, Seeds>,
}

impl World {
    fn token(&self, who: Who) -> Option<String> {
        match who {
            Who::Anon => None,
            Who::A => Some(self.a.token.clone()),
            Who::B => Some(self.b.token.clone()),
            Who::Service => Some(TOKEN.to_string()),
            Who::Admin => Some(self.admin.token.clone()),
        }
    }

    async fn call(&self, who: Who, method: Method, path: &str, body: Option<&Value>) -> Resp {
        let token = self.token(who);
        self.server.call(method, path, body, token.as_deref()).await
    }

    /// What a document `who` owns holds in the owner field (users A and B only).
    fn owner_value(&self, row: &Row, who: Who) -> Option<String> {
        let user = match who {
            Who::A => &self.a,
            Who::B => &self.b,
            _ => return None,
        };
        match row.owner {
            Owner::Nobody => None,
            Owner::AppId(_) => Some(user.id.clone()),
            Owner::ObjectId(_) => Some(user.oid.clone()),
        }
    }

    /// An owner value nobody signed in has (what admins create for).
    fn someone_else(&mut self, row: &Row) -> Option<String> {
        self.n += 1;
        match row.owner {
            Owner::Nobody => None,
            Owner::AppId(_) => Some(format!("user_other{}", self.n)),
            Owner::ObjectId(_) => Some(ObjectId::new().to_hex()),
        }
    }

    /// A valid document of `row` with fresh unique values, owned by `owner`
    /// (`None`: the owner field left out), public or not.
    fn make(&mut self, row: &Row, owner: Option<&str>, public: bool) -> Value {
        self.n += 1;
        let n = self.n;
        let mut m = template(row.name);
        let mut put = |k: &str, v: Value| {
            m.insert(k.to_string(), v);
        };
        match row.name {
            "users" => {
                put("id", json!(format!("user_pol{n}")));
                put("email", json!(format!("pol{n}@example.com")));
            }
            "usersessions" => put("sessionId", json!(format!("sess_pol_{n}"))),
            "subscriptions" => put("agentId", json!(format!("agent-{n}"))),
            "subscriptionplans" => {
                put("id", json!(format!("plan-{n}")));
                put("period", json!(format!("period-{n}")));
            }
            "chatsessions" => put("id", json!(format!("chat-{n}"))),
            "chatmessages" => put("messageId", json!(format!("msg-{n}"))),
            "leaderboards" => {
                let categories = ["points", "achievements", "streak", "messages", "tokens"];
                let periods = ["daily", "weekly", "monthly", "all-time"];
                let k = self.leaderboard;
                self.leaderboard += 1;
                assert!(k < 20, "out of leaderboard category × period pairs");
                put("category", json!(categories[k % 5]));
                put("period", json!(periods[k / 5]));
            }
            "tools" => put("id", json!(format!("tool-{n}"))),
            "appconfigs" => put("key", json!(format!("cfg_{n}"))),
            _ => {}
        }
        if let Some(flag) = row.public {
            put(flag, json!(public));
        }
        let mut v = Value::Object(m);
        if row.name == "tools" {
            set_path(&mut v, "metadata.slug", json!(format!("tool-{n}")));
        }
        if let (Some(path), false) = (row.owner.path(), row.name == "users") {
            match owner {
                Some(o) => set_path(&mut v, path, json!(o)),
                None => remove_path(&mut v, path),
            }
        }
        v
    }

    /// Creates a document with the service token; its `_id`.
    async fn seed(&mut self, row: &Row, owner: Option<&str>, public: bool) -> String {
        let body = self.make(row, owner, public);
        let r = self
            .server
            .call(
                Method::POST,
                &format!("/api/{}", row.route),
                Some(&body),
                Some(TOKEN),
            )
            .await;
        assert_eq!(r.status, 201, "seed {}: {}", row.route, r.text);
        r.json["_id"].as_str().unwrap_or_default().to_string()
    }

    async fn raw(&self, row: &Row, id: &str) -> Option<Document> {
        self.server.raw(row.name, id).await
    }
}

/// Whether a listed or stored JSON document is owned by `value`.
fn owned_by(row: &Row, item: &Value, value: &str) -> bool {
    row.owner
        .path()
        .and_then(|p| get_path(item, p))
        .and_then(Value::as_str)
        .is_some_and(|v| v.eq_ignore_ascii_case(value))
}

/// Whether a stored document's owner field holds `value` with the right type.
fn stored_owner_is(row: &Row, d: &Document, value: &str) -> bool {
    match row.owner {
        Owner::Nobody => true,
        Owner::AppId(p) => bson_path(d, p).and_then(Bson::as_str) == Some(value),
        Owner::ObjectId(p) => {
            bson_path(d, p)
                .and_then(Bson::as_object_id)
                .map(|o| o.to_hex())
                == Some(value.to_ascii_lowercase())
        }
    }
}

// ---------------------------------------------------------------------------
// The matrix

async fn list_cell(w: &World, row: &Row, who: Who, expect: &str) -> Cell {
    let r = w
        .call(
            who,
            Method::GET,
            &format!("/api/{}?limit=100", row.route),
            None,
        )
        .await;
    let mut cell = Cell {
        label: format!("{} / {} / list", row.route, who.label()),
        expected: expect.to_string(),
        observed: said(&r),
        ok: false,
        detail: String::new(),
    };
    if expect.chars().all(|c| c.is_ascii_digit() || c == '|') {
        cell.ok = outcome_is(expect, &r);
        return cell;
    }
    if r.status != 200 {
        cell.detail = r.text.clone();
        return cell;
    }
    let seeds = &w.seeds[row.name];
    let items = r.json["items"].as_array().cloned().unwrap_or_default();
    let ids: BTreeSet<String> = items
        .iter()
        .filter_map(|i| i["_id"].as_str().map(str::to_string))
        .collect();
    let mine = w.owner_value(row, who);
    let own = |item: &Value| mine.as_deref().is_some_and(|m| owned_by(row, item, m));
    let public = |item: &Value| row.public.is_some_and(|f| item[f] == true);
    let (own_seed, others_seed) = match who {
        Who::B => (&seeds.b, &seeds.a),
        _ => (&seeds.a, &seeds.b),
    };
    let mut problems = Vec::new();
    let mut must_see = |id: &str, what: &str| {
        if !ids.contains(id) {
            problems.push(format!("missing {what} {id}"));
        }
    };
    match expect {
        "all" => {
            must_see(&seeds.a, "a");
            must_see(&seeds.b, "b");
            if let Some(p) = &seeds.p {
                must_see(p, "p");
            }
        }
        "own" => must_see(own_seed, "its own"),
        "pub" => {
            if let Some(p) = &seeds.p {
                must_see(p, "the public one");
            }
        }
        "own+pub" => {
            must_see(own_seed, "its own");
            if let Some(p) = &seeds.p {
                must_see(p, "the public one");
            }
        }
        _ => problems.push(format!("bad expectation {expect:?}")),
    }
    let allowed = |item: &Value| match expect {
        "own" => own(item),
        "pub" => public(item),
        "own+pub" => own(item) || public(item),
        _ => true,
    };
    for item in &items {
        if !allowed(item) {
            problems.push(format!("leaked {}", item["_id"]));
        }
    }
    if expect != "all" && ids.contains(others_seed) {
        problems.push(format!("leaked the other's {others_seed}"));
    }
    cell.ok = problems.is_empty();
    cell.observed = if cell.ok {
        expect.to_string()
    } else {
        "200".into()
    };
    cell.detail = problems.join("; ");
    cell
}

async fn get_cell(w: &World, row: &Row, who: Who, expect: &str) -> Cell {
    let id = w.seeds[row.name].a.clone();
    let r = w
        .call(who, Method::GET, &format!("/api/{}/{id}", row.route), None)
        .await;
    let mut ok = outcome_is(expect, &r);
    let mut detail = String::new();
    if ok && r.status == 200 && r.json["_id"] != id.as_str() {
        ok = false;
        detail = format!("answered another document: {}", r.text);
    }
    if !ok && detail.is_empty() {
        detail = r.text.clone();
    }
    Cell {
        label: format!("{} / {} / get", row.route, who.label()),
        expected: expect.into(),
        observed: said(&r),
        ok,
        detail,
    }
}

async fn create_cell(w: &mut World, row: &Row, who: Who, expect: &str) -> Cell {
    // Users create for themselves: the owner field is left out where they
    // may create (the server fills it) and holds their own id where they may
    // not (so the refusal is the collection's, not the owner's). Admins
    // create for someone else. Nobody but admins sends protected fields.
    let owner = match who {
        Who::Anon => None,
        Who::A | Who::B if expect == "201" => None,
        Who::A | Who::B => w.owner_value(row, who),
        Who::Service | Who::Admin => w.someone_else(row),
    };
    let mut body = w.make(row, owner.as_deref(), false);
    if !who.is_admin() {
        for p in row.protected {
            remove_path(&mut body, p);
        }
    }
    let before = w.server.count(row.name).await;
    let r = w
        .call(
            who,
            Method::POST,
            &format!("/api/{}", row.route),
            Some(&body),
        )
        .await;
    let after = w.server.count(row.name).await;
    let mut ok = outcome_is(expect, &r);
    let mut detail = if ok { String::new() } else { r.text.clone() };
    if r.status == 201 {
        let id = r.json["_id"].as_str().unwrap_or_default();
        match w.raw(row, id).await {
            None => {
                ok = false;
                detail = "answered 201 but nothing is stored".into();
            }
            Some(stored) if row.name != "users" => {
                let wanted = match who {
                    Who::A | Who::B => w.owner_value(row, who),
                    _ => owner.clone(),
                };
                let path = row.owner.path();
                match (path, wanted) {
                    (Some(p), Some(v)) if !stored_owner_is(row, &stored, &v) => {
                        ok = false;
                        detail = format!("stored {p} = {:?}, expected {v}", bson_path(&stored, p));
                    }
                    (Some(p), None) => {
                        let v = bson_path(&stored, p);
                        if !matches!(v, None | Some(Bson::Null)) {
                            ok = false;
                            detail = format!("an anonymous document stored {p} = {v:?}");
                        }
                    }
                    _ => {}
                }
            }
            Some(_) => {}
        }
    } else if after != before {
        ok = false;
        detail = format!("refused but stored: {before} -> {after} documents");
    }
    Cell {
        label: format!("{} / {} / create", row.route, who.label()),
        expected: expect.into(),
        observed: said(&r),
        ok,
        detail,
    }
}

/// PATCHes document `id` of `row` as `who` with the row's harmless change;
/// checks the database: changed on 200, unchanged otherwise.
async fn patch_and_check(
    w: &mut World,
    row: &Row,
    who: Who,
    id: &str,
    expect: &str,
    label: String,
) -> Cell {
    w.n += 1;
    let Some(before) = w.raw(row, id).await else {
        panic!("{label}: the target {id} is not stored")
    };
    let (field, numeric) = row.change;
    let value = if numeric {
        json!(1000 + w.n)
    } else {
        json!(format!("changed-{}", w.n))
    };
    let body = json!({ field: value.clone(), "__v": version(&before) });
    let r = w
        .call(
            who,
            Method::PATCH,
            &format!("/api/{}/{id}", row.route),
            Some(&body),
        )
        .await;
    let after = w.raw(row, id).await;
    let mut ok = outcome_is(expect, &r);
    let mut detail = if ok { String::new() } else { r.text.clone() };
    if r.status == 200 {
        let stored = after.as_ref().and_then(|d| d.get(field)).cloned();
        let same = match &stored {
            Some(Bson::Int32(n)) => value.as_f64() == Some(f64::from(*n)),
            Some(Bson::Int64(n)) => value.as_f64() == Some(*n as f64),
            Some(Bson::Double(x)) => value.as_f64() == Some(*x),
            Some(Bson::String(s)) => value.as_str() == Some(s.as_str()),
            _ => false,
        };
        if !same {
            ok = false;
            detail = format!("answered 200 but stored {field} = {stored:?}");
        }
    } else if after.as_ref() != Some(&before) {
        ok = false;
        detail = format!("refused but the stored document changed: {after:?}");
    }
    Cell {
        label,
        expected: expect.into(),
        observed: said(&r),
        ok,
        detail,
    }
}

async fn update_cell(w: &mut World, row: &Row, who: Who, expect: &str) -> Cell {
    let id = w.seeds[row.name].a.clone();
    let label = format!("{} / {} / update", row.route, who.label());
    patch_and_check(w, row, who, &id, expect, label).await
}

/// DELETEs `id` as `who`; checks the database: gone on 204, there otherwise.
async fn delete_and_check(
    w: &World,
    row: &Row,
    who: Who,
    id: &str,
    expect: &str,
    label: String,
) -> Cell {
    let r = w
        .call(
            who,
            Method::DELETE,
            &format!("/api/{}/{id}", row.route),
            None,
        )
        .await;
    let still = w.raw(row, id).await.is_some();
    let mut ok = outcome_is(expect, &r);
    let mut detail = if ok { String::new() } else { r.text.clone() };
    if r.status == 204 && still {
        ok = false;
        detail = "answered 204 but the document is still stored".into();
    }
    if r.status != 204 && !still {
        ok = false;
        detail = format!("refused ({}) but the document is gone", r.status);
    }
    Cell {
        label,
        expected: expect.into(),
        observed: said(&r),
        ok,
        detail,
    }
}

async fn delete_cell(w: &mut World, row: &Row, who: Who, expect: &str) -> Cell {
    let label = format!("{} / {} / delete", row.route, who.label());
    let id = if row.name == "users" {
        // Users own themselves: A deletes A (last of all); admins delete a
        // fresh user, so that A and B live on.
        if who.is_admin() {
            w.seed(row, None, false).await
        } else {
            w.seeds[row.name].a.clone()
        }
    } else {
        // A document owned by A: the seeded one while it lives, else a new one.
        let a = w.seeds[row.name].a.clone();
        if w.raw(row, &a).await.is_some() {
            a
        } else {
            let owner = w.owner_value(row, Who::A);
            let id = w.seed(row, owner.as_deref(), false).await;
            if let Some(s) = w.seeds.get_mut(row.name) {
                s.a = id.clone();
            }
            id
        }
    };
    delete_and_check(w, row, who, &id, expect, label).await
}

// ---------------------------------------------------------------------------
// Extra cases: protected fields, cross-owner, prices from plans

fn fields_of(r: &Resp) -> BTreeSet<String> {
    r.json["fields"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// A 403 `forbidden_field` naming exactly `fields`, with nothing stored.
fn forbidden_fields_cell(label: &str, r: &Resp, fields: &[&str], stored: bool) -> Cell {
    let want: BTreeSet<String> = fields.iter().map(|s| s.to_string()).collect();
    let got = fields_of(r);
    let ok = r.status == 403 && r.code() == "forbidden_field" && got == want && !stored;
    Cell {
        label: label.to_string(),
        expected: format!("403 forbidden_field {want:?}"),
        observed: format!("{} {got:?}", said(r)),
        ok,
        detail: if ok {
            String::new()
        } else if stored {
            format!("something was stored: {}", r.text)
        } else {
            r.text.clone()
        },
    }
}

fn plain_cell(label: &str, expected: &str, r: &Resp, ok: bool, detail: String) -> Cell {
    Cell {
        label: label.to_string(),
        expected: expected.to_string(),
        observed: said(r),
        ok,
        detail: if ok {
            String::new()
        } else {
            format!("{detail} {}", r.text)
        },
    }
}

async fn extra_cases(w: &mut World, rows: &[Row]) -> Vec<Cell> {
    let row = |name: &str| -> &Row {
        match rows.iter().find(|r| r.name == name) {
            Some(r) => r,
            None => panic!("no row {name}"),
        }
    };
    let mut cells = Vec::new();

    // --- users: protected fields in A's own PATCH; lists forced to self.
    let users = row("users");
    let a_oid = w.a.oid.clone();
    for fields in [
        &["role"][..],
        &["password"][..],
        &["role", "isActive", "emailVerified", "password"][..],
    ] {
        let before = w.raw(users, &a_oid).await;
        let v = before.as_ref().map(version).unwrap_or(0);
        let mut body = json!({ "__v": v });
        for f in fields {
            body[*f] = match *f {
                "role" => json!("admin"),
                "isActive" => json!(false),
                "emailVerified" => json!(true),
                _ => json!("Another-passw0rd-9"),
            };
        }
        let r = w
            .call(
                Who::A,
                Method::PATCH,
                &format!("/api/users/{a_oid}"),
                Some(&body),
            )
            .await;
        let changed = w.raw(users, &a_oid).await != before;
        cells.push(forbidden_fields_cell(
            &format!("users / user A / PATCH own {fields:?}"),
            &r,
            fields,
            changed,
        ));
    }
    for (query, what) in [
        (format!("id={}", w.b.id), "id of B"),
        (format!("_id={}", w.b.oid), "_id of B"),
    ] {
        let r = w
            .call(Who::A, Method::GET, &format!("/api/users?{query}"), None)
            .await;
        let items = r.json["items"].as_array().cloned().unwrap_or_default();
        let leaked = items.iter().any(|i| i["_id"] == w.b.oid.as_str());
        cells.push(plain_cell(
            &format!("users / user A / list ?{what} (forced to self)"),
            "200 without B",
            &r,
            r.status == 200 && !leaked,
            format!("leaked={leaked}"),
        ));
    }

    // --- subscriptions: protected fields on create; the price is the plan's.
    let subs = row("subscriptions");
    let cases: [(&str, Value, &[&str]); 2] = [
        ("price", json!({ "price": 0 }), &["price"]),
        (
            "price, status, startDate, expiryDate, stripeSubscriptionId",
            json!({
                "price": 0,
                "status": "active",
                "startDate": "2024-01-01T00:00:00.000Z",
                "expiryDate": "2099-01-01T00:00:00.000Z",
                "stripeSubscriptionId": "sub_free_forever",
            }),
            SUBSCRIPTION_PROTECTED,
        ),
    ];
    for (what, extra, fields) in cases {
        let mut body = w.make(subs, None, false);
        for p in SUBSCRIPTION_PROTECTED {
            remove_path(&mut body, p);
        }
        body["plan"] = json!("monthly");
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        let before = w.server.count(subs.name).await;
        let r = w
            .call(Who::A, Method::POST, "/api/subscriptions", Some(&body))
            .await;
        let stored = w.server.count(subs.name).await != before;
        cells.push(forbidden_fields_cell(
            &format!("subscriptions / user A / create with {what}"),
            &r,
            fields,
            stored,
        ));
    }
    {
        let agent = format!("agent-price-{}", w.n);
        let body = json!({ "agentId": agent, "plan": "monthly" });
        let r = w
            .call(Who::A, Method::POST, "/api/subscriptions", Some(&body))
            .await;
        let id = r.json["_id"].as_str().unwrap_or_default().to_string();
        let stored = w.raw(subs, &id).await;
        let price = stored.as_ref().and_then(|d| match d.get("price") {
            Some(Bson::Double(x)) => Some(*x),
            Some(Bson::Int32(n)) => Some(f64::from(*n)),
            Some(Bson::Int64(n)) => Some(*n as f64),
            _ => None,
        });
        let owner_ok = stored
            .as_ref()
            .is_some_and(|d| stored_owner_is(subs, d, &w.a.id));
        let status = stored
            .as_ref()
            .and_then(|d| d.get_str("status").ok().map(str::to_string));
        let expiry_ok = stored
            .as_ref()
            .and_then(|d| d.get_datetime("expiryDate").ok())
            .is_some_and(|e| e.timestamp_millis() > crate::common::now_ms() + 27 * 86_400_000);
        let ok = r.status == 201
            && price == Some(12.34)
            && owner_ok
            && status.as_deref() == Some("active")
            && expiry_ok;
        cells.push(plain_cell(
            "subscriptions / user A / create {agentId, plan: monthly}: price of the active monthly plan, own userId, active, a month",
            "201 price 12.34",
            &r,
            ok,
            format!("price={price:?} owner_ok={owner_ok} status={status:?} expiry_ok={expiry_ok}"),
        ));
    }

    // --- tools: protected fields on create and PATCH; admins may set them.
    let tools = row("tools");
    {
        let mut body = w.make(tools, None, false);
        body["verified"] = json!(true);
        body["featured"] = json!(true);
        set_path(&mut body, "metadata.downloads", json!(1_000_000));
        set_path(&mut body, "metadata.stars", json!(5000));
        set_path(&mut body, "metadata.uses", json!(99));
        set_path(&mut body, "metadata.author.verified", json!(true));
        set_path(
            &mut body,
            "metadata.allVersions",
            json!([{ "versionId": "v1", "version": "1.0.0", "downloads": 7, "rating": 5 }]),
        );
        let before = w.server.count(tools.name).await;
        let r = w
            .call(Who::A, Method::POST, "/api/tools", Some(&body))
            .await;
        let stored = w.server.count(tools.name).await != before;
        cells.push(forbidden_fields_cell(
            "tools / user A / create with every protected field",
            &r,
            &[
                "verified",
                "featured",
                "metadata.downloads",
                "metadata.stars",
                "metadata.uses",
                "metadata.author.verified",
                "metadata.allVersions.0.downloads",
                "metadata.allVersions.0.rating",
            ],
            stored,
        ));
    }
    let tool_a = w.seeds["tools"].a.clone();
    {
        // Values other than the stored ones (sending a stored value back
        // unchanged is not setting it).
        let before = w.raw(tools, &tool_a).await;
        let v = before.as_ref().map(version).unwrap_or(0);
        let flag = |name: &str| {
            before
                .as_ref()
                .and_then(|d| d.get_bool(name).ok())
                .unwrap_or(false)
        };
        let body =
            json!({ "verified": !flag("verified"), "featured": !flag("featured"), "__v": v });
        let r = w
            .call(
                Who::A,
                Method::PATCH,
                &format!("/api/tools/{tool_a}"),
                Some(&body),
            )
            .await;
        let changed = w.raw(tools, &tool_a).await != before;
        cells.push(forbidden_fields_cell(
            "tools / user A / PATCH own {verified, featured}",
            &r,
            &["verified", "featured"],
            changed,
        ));
        // The whole metadata sent back with its counters raised.
        let before = w.raw(tools, &tool_a).await;
        let read = w
            .call(Who::A, Method::GET, &format!("/api/tools/{tool_a}"), None)
            .await;
        let mut metadata = read.json["metadata"].clone();
        let downloads = metadata["downloads"].as_f64().unwrap_or(0.0);
        let author_verified = metadata["author"]["verified"] == true;
        metadata["downloads"] = json!(downloads + 1000.0);
        metadata["author"]["verified"] = json!(!author_verified);
        let r = w
            .call(
                Who::A,
                Method::PATCH,
                &format!("/api/tools/{tool_a}"),
                Some(&json!({ "metadata": metadata, "__v": read.json["__v"] })),
            )
            .await;
        let changed = w.raw(tools, &tool_a).await != before;
        cells.push(forbidden_fields_cell(
            "tools / user A / PATCH own metadata {downloads, author.verified}",
            &r,
            &["metadata.downloads", "metadata.author.verified"],
            changed,
        ));
        // An admin's session may set them.
        let before = w.raw(tools, &tool_a).await;
        let v = before.as_ref().map(version).unwrap_or(0);
        let was = before
            .as_ref()
            .and_then(|d| d.get_bool("verified").ok())
            .unwrap_or(false);
        let r = w
            .call(
                Who::Admin,
                Method::PATCH,
                &format!("/api/tools/{tool_a}"),
                Some(&json!({ "verified": !was, "__v": v })),
            )
            .await;
        let set = w
            .raw(tools, &tool_a)
            .await
            .is_some_and(|d| d.get_bool("verified").is_ok_and(|v| v != was));
        cells.push(plain_cell(
            "tools / admin session / PATCH A's tool {verified: changed}",
            "200 and stored",
            &r,
            r.status == 200 && set,
            format!("stored={set}"),
        ));
    }
    // A's tool reads: B's published tool is readable by everyone, B's draft by nobody else.
    let (tool_b, tool_p) = (
        w.seeds["tools"].b.clone(),
        w.seeds["tools"].p.clone().unwrap_or_default(),
    );
    for who in CALLERS {
        let r = w
            .call(who, Method::GET, &format!("/api/tools/{tool_p}"), None)
            .await;
        cells.push(plain_cell(
            &format!("tools / {} / get B's published tool", who.label()),
            "200",
            &r,
            r.status == 200,
            String::new(),
        ));
    }
    let r = w
        .call(Who::A, Method::GET, &format!("/api/tools/{tool_b}"), None)
        .await;
    cells.push(plain_cell(
        "tools / user A / get B's draft",
        "404",
        &r,
        outcome_is("404", &r),
        String::new(),
    ));
    let label = "tools / user A / PATCH B's published tool".to_string();
    cells.push(patch_and_check(w, tools, Who::A, &tool_p, "403|404", label).await);
    let label = "tools / user A / DELETE B's published tool".to_string();
    cells.push(delete_and_check(w, tools, Who::A, &tool_p, "403|404", label).await);

    // --- tool reviews: protected fields.
    let reviews = row("toolreviews");
    {
        let mut body = w.make(reviews, None, false);
        body["helpful"] = json!(100);
        body["notHelpful"] = json!(0);
        body["verified"] = json!(true);
        let before = w.server.count(reviews.name).await;
        let r = w
            .call(Who::A, Method::POST, "/api/tool-reviews", Some(&body))
            .await;
        let stored = w.server.count(reviews.name).await != before;
        cells.push(forbidden_fields_cell(
            "tool-reviews / user A / create with helpful, notHelpful, verified",
            &r,
            REVIEW_PROTECTED,
            stored,
        ));
        let review_a = w.seeds["toolreviews"].a.clone();
        let before = w.raw(reviews, &review_a).await;
        let v = before.as_ref().map(version).unwrap_or(0);
        let r = w
            .call(
                Who::A,
                Method::PATCH,
                &format!("/api/tool-reviews/{review_a}"),
                Some(&json!({ "helpful": 999, "__v": v })),
            )
            .await;
        let changed = w.raw(reviews, &review_a).await != before;
        cells.push(forbidden_fields_cell(
            "tool-reviews / user A / PATCH own {helpful}",
            &r,
            &["helpful"],
            changed,
        ));
    }

    // --- app configs: the public one is read by anyone, written by admins.
    let configs = row("appconfigs");
    let config_p = w.seeds["appconfigs"].p.clone().unwrap_or_default();
    for who in CALLERS {
        let r = w
            .call(
                who,
                Method::GET,
                &format!("/api/app-configs/{config_p}"),
                None,
            )
            .await;
        cells.push(plain_cell(
            &format!("app-configs / {} / get the public config", who.label()),
            "200",
            &r,
            r.status == 200,
            String::new(),
        ));
    }
    let label = "app-configs / user A / PATCH the public config".to_string();
    cells.push(patch_and_check(w, configs, Who::A, &config_p, "403", label).await);
    let label = "app-configs / user A / DELETE the public config".to_string();
    cells.push(delete_and_check(w, configs, Who::A, &config_p, "403", label).await);

    // --- A against B's subscription, chat session and chat messages: 404.
    for name in ["subscriptions", "chatsessions", "chatmessages"] {
        let r0 = row(name);
        let b_doc = w.seeds[name].b.clone();
        let r = w
            .call(
                Who::A,
                Method::GET,
                &format!("/api/{}/{b_doc}", r0.route),
                None,
            )
            .await;
        cells.push(plain_cell(
            &format!("{} / user A / get B's", r0.route),
            "404",
            &r,
            outcome_is("404", &r),
            String::new(),
        ));
        let r = w
            .call(
                Who::A,
                Method::GET,
                &format!("/api/{}?userId={}&limit=100", r0.route, w.b.id),
                None,
            )
            .await;
        let items = r.json["items"].as_array().cloned().unwrap_or_default();
        let leaked: Vec<&Value> = items.iter().filter(|i| !owned_by(r0, i, &w.a.id)).collect();
        cells.push(plain_cell(
            &format!("{} / user A / list ?userId=<B> (forced to self)", r0.route),
            "200 without B's",
            &r,
            r.status == 200 && leaked.is_empty(),
            format!("leaked {leaked:?}"),
        ));
        let label = format!("{} / user A / PATCH B's", r0.route);
        cells.push(patch_and_check(w, r0, Who::A, &b_doc, "404", label).await);
        let label = format!("{} / user A / DELETE B's", r0.route);
        cells.push(delete_and_check(w, r0, Who::A, &b_doc, "404", label).await);
    }

    // --- A creating documents owned by B: 403 forbidden_owner, nothing stored.
    for name in [
        "subscriptions",
        "chatsessions",
        "chatmessages",
        "analyticsevents",
        "chatanalytics",
        "toolusageanalytics",
        "tools",
        "toolreviews",
    ] {
        let r0 = row(name);
        let b_owner = w.owner_value(r0, Who::B);
        let mut body = w.make(r0, b_owner.as_deref(), false);
        for p in r0.protected {
            remove_path(&mut body, p);
        }
        let before = w.server.count(r0.name).await;
        let r = w
            .call(
                Who::A,
                Method::POST,
                &format!("/api/{}", r0.route),
                Some(&body),
            )
            .await;
        let stored = w.server.count(r0.name).await != before;
        cells.push(plain_cell(
            &format!("{} / user A / create owned by B", r0.route),
            "403 forbidden_owner",
            &r,
            r.status == 403 && r.code() == "forbidden_owner" && !stored,
            format!("stored={stored}"),
        ));
    }
    // ... nor hand its own document over to B.
    {
        let chats = row("chatsessions");
        let chat_a = w.seeds["chatsessions"].a.clone();
        let before = w.raw(chats, &chat_a).await;
        let v = before.as_ref().map(version).unwrap_or(0);
        let r = w
            .call(
                Who::A,
                Method::PATCH,
                &format!("/api/chat-sessions/{chat_a}"),
                Some(&json!({ "userId": w.b.id, "__v": v })),
            )
            .await;
        let changed = w.raw(chats, &chat_a).await != before;
        cells.push(plain_cell(
            "chat-sessions / user A / PATCH own {userId: B}",
            "403 forbidden_owner",
            &r,
            r.status == 403 && r.code() == "forbidden_owner" && !changed,
            format!("changed={changed}"),
        ));
    }
    // An anonymous event may not name a user.
    {
        let events = row("analyticsevents");
        let body = w.make(events, Some(&w.a.id.clone()), false);
        let before = w.server.count(events.name).await;
        let r = w
            .call(
                Who::Anon,
                Method::POST,
                "/api/analytics-events",
                Some(&body),
            )
            .await;
        let stored = w.server.count(events.name).await != before;
        cells.push(plain_cell(
            "analytics-events / anonymous / create with userId of A",
            "403 forbidden_owner",
            &r,
            r.status == 403 && r.code() == "forbidden_owner" && !stored,
            format!("stored={stored}"),
        ));
    }
    cells
}

// ---------------------------------------------------------------------------

fn short(expect: &str) -> &str {
    match expect {
        "own+pub" => "o+p",
        "403|404" => "4xx",
        other => other,
    }
}

/// The compact matrix: expected outcomes, a `*` where the server differs.
fn print_summary(rows: &[Row], matrix: &HashMap<(usize, usize, usize), Cell>, extras: &[Cell]) {
    let mut out = String::new();
    out.push_str("\npolicy matrix: L=list G=get C=create U=update D=delete; each cell is the expected outcome,\n");
    out.push_str("`*` marks a cell where the server answered otherwise (listed below)\n\n");
    out.push_str(&format!("{:<22}", ""));
    for who in CALLERS {
        out.push_str(&format!("| {:<24}", who.label()));
    }
    out.push('\n');
    out.push_str(&format!("{:<22}", "collection"));
    for _ in CALLERS {
        out.push_str("| L    G    C    U    D    ");
    }
    out.push('\n');
    for (ri, row) in rows.iter().enumerate() {
        out.push_str(&format!("{:<22}", row.route));
        for ci in 0..CALLERS.len() {
            out.push_str("| ");
            for oi in 0..OPS.len() {
                let cell = &matrix[&(ri, ci, oi)];
                let mark = if cell.ok { "" } else { "*" };
                let shown = format!("{}{mark}", short(row.expect[oi][ci]));
                out.push_str(&format!("{shown:<5}"));
            }
        }
        out.push('\n');
    }
    let failed: Vec<&Cell> = matrix.values().filter(|c| !c.ok).collect();
    let mut failed: Vec<&Cell> = failed;
    failed.sort_by(|a, b| a.label.cmp(&b.label));
    out.push_str(&format!(
        "\nmatrix: {} cells, {} as expected, {} not\n",
        matrix.len(),
        matrix.len() - failed.len(),
        failed.len()
    ));
    for c in &failed {
        out.push_str(&format!(
            "  MISMATCH {}: expected {}, got {} — {}\n",
            c.label,
            c.expected,
            c.observed,
            c.detail.chars().take(300).collect::<String>()
        ));
    }
    let extra_failed = extras.iter().filter(|c| !c.ok).count();
    out.push_str(&format!(
        "\nextra cases: {}, {} as expected, {} not\n",
        extras.len(),
        extras.len() - extra_failed,
        extra_failed
    ));
    for c in extras {
        if c.ok {
            out.push_str(&format!("  ok   {}: {}\n", c.label, c.observed));
        } else {
            out.push_str(&format!(
                "  FAIL {}: expected {}, got {} — {}\n",
                c.label,
                c.expected,
                c.observed,
                c.detail.chars().take(300).collect::<String>()
            ));
        }
    }
    println!("{out}");
}

#[tokio::test]
async fn access_policy_matrix_over_17_collections() {
    let rows = table();
    assert_eq!(rows.len(), 17, "the table covers the 17 collections");
    let server = TestServer::start("policy").await;
    let db = server.db_name();

    // The people: A and B sign up; an admin is made with create-admin.
    let a = sign_up(&server, "alice@example.com", "alice-Passw0rd-1", "Alice").await;
    let b = sign_up(&server, "bob@example.com", "bob-Passw0rd-22", "Bob").await;
    let admin_password = "root-Passw0rd-333";
    crate::common::register_secret(admin_password);
    let (status, stdout, stderr) =
        run_create_admin(&db, "root@example.com", Some(admin_password)).await;
    assert!(status.success(), "create-admin: {stdout} {stderr}");
    let admin = sign_in(&server, "root@example.com", admin_password).await;
    assert_eq!(admin.body["user"]["role"], "admin", "{}", admin.body);

    let mut w = World {
        server,
        a,
        b,
        admin,
        n: 0,
        leaderboard: 0,
        seeds: HashMap::new(),
    };

    // Plans that price subscriptions: an inactive one first (never used), the active one.
    for (id, price, active) in [("old-monthly", 99.0, false), ("monthly", 12.34, true)] {
        let mut plan = Value::Object(template("subscriptionplans"));
        plan["id"] = json!(id);
        plan["period"] = json!("monthly");
        plan["price"] = json!(price);
        plan["isActive"] = json!(active);
        let r = w
            .server
            .call(
                Method::POST,
                "/api/subscription-plans",
                Some(&plan),
                Some(TOKEN),
            )
            .await;
        assert_eq!(r.status, 201, "plan {id}: {}", r.text);
    }

    // Seeds: `a` owned by A, `b` by B, `p` public (B's where there are owners).
    for row in &rows {
        let seeds = if row.name == "users" {
            Seeds {
                a: w.a.oid.clone(),
                b: w.b.oid.clone(),
                p: None,
            }
        } else {
            let owner_a = w.owner_value(row, Who::A);
            let owner_b = w.owner_value(row, Who::B);
            let a = w.seed(row, owner_a.as_deref(), false).await;
            let b = w.seed(row, owner_b.as_deref(), false).await;
            let p = match row.public {
                Some(_) => Some(w.seed(row, owner_b.as_deref(), true).await),
                None => None,
            };
            Seeds { a, b, p }
        };
        w.seeds.insert(row.name, seeds);
    }

    let mut matrix: HashMap<(usize, usize, usize), Cell> = HashMap::new();
    // list, get, create, update everywhere; deletes last (A deletes itself).
    for oi in 0..4 {
        for (ri, row) in rows.iter().enumerate() {
            for (ci, who) in CALLERS.iter().enumerate() {
                let expect = row.expect[oi][ci];
                let cell = match oi {
                    0 => list_cell(&w, row, *who, expect).await,
                    1 => get_cell(&w, row, *who, expect).await,
                    2 => create_cell(&mut w, row, *who, expect).await,
                    _ => update_cell(&mut w, row, *who, expect).await,
                };
                matrix.insert((ri, ci, oi), cell);
            }
        }
    }
    let extras = extra_cases(&mut w, &rows).await;

    let users_row = rows.iter().position(|r| r.name == "users").unwrap_or(0);
    let mut order: Vec<usize> = (0..rows.len()).filter(|i| *i != users_row).collect();
    order.push(users_row);
    for ri in order {
        let row = &rows[ri];
        let callers: Vec<usize> = if row.name == "users" {
            vec![0, 2, 3, 4, 1]
        } else {
            (0..CALLERS.len()).collect()
        };
        for ci in callers {
            let expect = row.expect[4][ci];
            let cell = delete_cell(&mut w, row, CALLERS[ci], expect).await;
            matrix.insert((ri, ci, 4), cell);
        }
    }
    // A deleted itself: its session ends with it.
    let gone = w.call(Who::A, Method::GET, "/api/auth/me", None).await;

    print_summary(&rows, &matrix, &extras);
    let failures =
        matrix.values().filter(|c| !c.ok).count() + extras.iter().filter(|c| !c.ok).count();
    assert_eq!(gone.status, 401, "a deleted user's session: {}", gone.text);
    assert_eq!(
        failures, 0,
        "{failures} policy cells differ from the product's table (see the summary above)"
    );
    w.server.finish().await;
}
