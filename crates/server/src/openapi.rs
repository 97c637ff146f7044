//! The route table and `GET /openapi.json`: one list of endpoints that both
//! the router and the OpenAPI 3.1 document are built from.
//!
//! Every route is declared once, as an [`Endpoint`]: its path, and for each
//! method the handler next to an [`Op`] saying what it takes and answers.
//! [`Routes::into_routers`] mounts the handlers; [`Routes::document`]
//! describes the same list. A route cannot be mounted without its
//! description, and a unit test fails when a `.route(` call appears
//! anywhere else in the crate.
//!
//! Request and response bodies of the collections are the models crate's
//! JSON Schemas (input for bodies, output for answers), less the fields it
//! marks `secret`, plus what the server adds (`_id`, `__v`, timestamps,
//! `isValid`); error answers are described from [`ApiError`] itself (one
//! value of each variant: its status, code and body keys).
//!
//! Why hand-built rather than utoipa or aide: both derive schemas from Rust
//! types, but our 17 collections are served by one generic handler whose
//! bodies are schema *data* (the models crate's declarations), so either
//! crate would need every schema passed in as raw JSON anyway and one
//! `#[utoipa::path]` per concrete collection path; the table below is ~600
//! lines with no new dependency, and it is the router itself.

use crate::error::ApiError;
use crate::query::{self, DEFAULT_LIMIT, MAX_LIMIT};
use crate::resource::Resource;
use crate::AppState;
use axum::handler::Handler;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter};
use axum::Router;
use onelastai_models::access::{Operation, Who};
use onelastai_models::json_schema::{self, Direction, Target};
use onelastai_models::{Collection, ErrorKind, FieldError};
use serde_json::{json, Map, Value};
use std::sync::OnceLock;

/// The placeholder a per-collection path carries (`/api/{collection}`).
const COLLECTION: &str = "{collection}";

/// HTTP methods the table uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
}

impl Method {
    fn filter(self) -> MethodFilter {
        match self {
            Method::Get => MethodFilter::GET,
            Method::Post => MethodFilter::POST,
            Method::Patch => MethodFilter::PATCH,
            Method::Delete => MethodFilter::DELETE,
        }
    }

    /// The lowercase name OpenAPI uses as the operation's key.
    pub fn key(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Post => "post",
            Method::Patch => "patch",
            Method::Delete => "delete",
        }
    }
}

/// Who may call an operation (the `security` of the operation).
#[derive(Debug, Clone, Copy)]
pub enum Caller {
    /// Anyone; a token, when sent, must be valid.
    Anyone,
    /// A session token (a signed-in person).
    Session,
    /// A session token or the service token.
    SessionOrService,
    /// As the collection's access rules say for this operation.
    Rule(Operation),
}

/// A request or response body.
#[derive(Debug, Clone)]
pub enum Body {
    /// A JSON Schema given inline.
    Schema(Value),
    /// The collection's input (what a client sends to create a document).
    Input,
    /// A partial input: the fields to change, and `__v`.
    Patch,
    /// The collection's document as the server returns it.
    Output,
    /// A page of documents: `{items, nextCursor}`.
    Page,
}

/// Query parameters, headers and the like an operation takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    /// `sort`, `limit`, `cursor` and equality filters on declared fields
    /// (see [`crate::query`]).
    ListQuery,
    /// `Idempotency-Key` (see [`crate::idempotency`]).
    IdempotencyKey,
    /// `If-Match: "<__v>"`.
    IfMatch,
}

/// What one method of one route does: its description in the document.
#[derive(Debug, Clone)]
pub struct Op {
    id: &'static str,
    summary: &'static str,
    description: Option<&'static str>,
    tag: Option<&'static str>,
    caller: Caller,
    collection: Option<Collection>,
    params: Vec<Param>,
    query: Vec<Value>,
    body: Option<Body>,
    answers: Vec<(u16, &'static str, Option<Body>)>,
    errors: Vec<u16>,
}

impl Op {
    /// An operation with a unique id (per collection for `{collection}`
    /// routes: the route is appended) and a one-line summary.
    pub fn new(id: &'static str, summary: &'static str) -> Self {
        Self {
            id,
            summary,
            description: None,
            tag: None,
            caller: Caller::Anyone,
            collection: None,
            params: Vec::new(),
            query: Vec::new(),
            body: None,
            answers: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// A longer description (CommonMark).
    pub fn describe(mut self, text: &'static str) -> Self {
        self.description = Some(text);
        self
    }

    /// The group the operation is listed under (per-collection routes are
    /// grouped by collection).
    pub fn tag(mut self, tag: &'static str) -> Self {
        self.tag = Some(tag);
        self
    }

    /// Who may call it.
    pub fn caller(mut self, caller: Caller) -> Self {
        self.caller = caller;
        self
    }

    /// The collection [`Body::Input`], [`Body::Output`] and [`Param::ListQuery`]
    /// refer to on a route without `{collection}`.
    pub fn collection(mut self, collection: Collection) -> Self {
        self.collection = Some(collection);
        self
    }

    /// A parameter.
    pub fn param(mut self, param: Param) -> Self {
        self.params.push(param);
        self
    }

    /// A query parameter of its own: `?name=` with this JSON Schema.
    pub fn query(mut self, name: &str, description: &str, schema: Value) -> Self {
        self.query.push(json!({
            "name": name,
            "in": "query",
            "description": description,
            "schema": schema,
        }));
        self
    }

    /// The JSON request body.
    pub fn body(mut self, body: Body) -> Self {
        self.body = Some(body);
        self
    }

    /// A success answer (`None`: no body, as a 204).
    pub fn answers(mut self, status: u16, description: &'static str, body: Option<Body>) -> Self {
        self.answers.push((status, description, body));
        self
    }

    /// The error statuses it can answer besides those every operation can
    /// (500, 503; 401 under `/api`; 400, 408, 413, 415 with a body).
    pub fn errors(mut self, statuses: &[u16]) -> Self {
        self.errors.extend_from_slice(statuses);
        self
    }
}

/// `Endpoint::get(handler, op)` and its siblings: [`Endpoint::on`] with a method.
macro_rules! method_shorthands {
    ($($name:ident => $method:ident,)*) => {$(
        #[doc = concat!("[`Endpoint::on`] with [`Method::", stringify!($method), "`].")]
        pub fn $name<H, T>(self, handler: H, op: Op) -> Self
        where
            H: Handler<T, AppState>,
            T: 'static,
        {
            self.on(Method::$method, handler, op)
        }
    )*};
}

/// One path and its methods: the handlers and their descriptions.
pub struct Endpoint {
    path: &'static str,
    router: MethodRouter<AppState>,
    ops: Vec<(Method, Op)>,
    /// Runs behind [`crate::auth::authenticate`] (every `/api` route).
    authenticated: bool,
}

impl Endpoint {
    /// A route under `/api` (the caller is identified first).
    pub fn new(path: &'static str) -> Self {
        Self {
            path,
            router: MethodRouter::new(),
            ops: Vec::new(),
            authenticated: true,
        }
    }

    /// A route outside `/api`, served without identifying the caller.
    pub fn service(path: &'static str) -> Self {
        Self {
            authenticated: false,
            ..Self::new(path)
        }
    }

    /// Serves `method` with `handler`, described by `op`.
    pub fn on<H, T>(mut self, method: Method, handler: H, op: Op) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.on(method.filter(), handler);
        self.ops.push((method, op));
        self
    }

    method_shorthands! {
        get => Get,
        post => Post,
        patch => Patch,
        delete => Delete,
    }
}

/// The route table: every endpoint the server has.
#[derive(Default)]
pub struct Routes(Vec<Endpoint>);

impl Routes {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an endpoint.
    // A builder step, not arithmetic: `Routes + Endpoint` would read worse.
    #[allow(clippy::should_implement_trait)]
    pub fn add(mut self, endpoint: Endpoint) -> Self {
        self.0.push(endpoint);
        self
    }

    /// Every `(method, path)` the table serves, paths as the router has them.
    pub fn operations(&self) -> Vec<(Method, &'static str)> {
        self.0
            .iter()
            .flat_map(|e| e.ops.iter().map(|(m, _)| (*m, e.path)))
            .collect()
    }

    /// The routers: `(outside /api, under /api)`; the caller adds the
    /// authentication layer to the second.
    pub fn into_routers(self) -> (Router<AppState>, Router<AppState>) {
        let (mut service, mut api) = (Router::new(), Router::new());
        for e in self.0 {
            if e.authenticated {
                api = api.route(e.path, e.router);
            } else {
                service = service.route(e.path, e.router);
            }
        }
        (service, api)
    }

    /// The OpenAPI 3.1 document of the table.
    pub fn document(&self) -> Value {
        let mut paths = Map::new();
        let mut components = Components::default();
        // Every collection's document, so inline bodies may refer to any
        // (`#/components/schemas/User` in the auth answers).
        for c in Collection::ALL {
            components.output(c);
        }
        for e in &self.0 {
            let collections: Vec<Option<Collection>> = if e.path.contains(COLLECTION) {
                Collection::ALL.iter().copied().map(Some).collect()
            } else {
                vec![None]
            };
            for c in collections {
                let path = match c {
                    Some(c) => e.path.replace(COLLECTION, c.route()),
                    None => e.path.to_string(),
                };
                let mut item = Map::new();
                for (method, op) in &e.ops {
                    let described = describe(op, c, e, &path, &mut components);
                    item.insert(method.key().into(), described);
                }
                paths.insert(path, Value::Object(item));
            }
        }
        json!({
            "openapi": "3.1.0",
            "info": {
                "title": "OneLastAI API",
                "version": env!("CARGO_PKG_VERSION"),
                "summary": "The product's 17 collections over MongoDB, validated by the models crate.",
                "description": DESCRIPTION,
                "license": { "name": "MIT", "identifier": "MIT" },
            },
            "servers": [{ "url": "/" }],
            "tags": tags(&paths),
            "paths": paths,
            "components": components.finish(),
        })
    }
}

const DESCRIPTION: &str = "Every collection is served under `/api/<route>` by the same handlers: \
`POST` creates (201), `GET` lists (keyset pages) or reads one, `PATCH` changes top-level fields \
(send the `__v` you read), `DELETE` removes. Every write is validated by the models crate, with \
Mongoose's error messages; a 422 lists every failing path. Errors are always \
`{\"error\": <code>, \"message\": <text>}` plus the fields of their kind.\n\n\
Send `Authorization: Bearer <token>` with a session token (from sign-up or sign-in) or the \
service token; without it the caller is anonymous and sees only what the collection's access \
rules give anyone.";

/// `GET /openapi.json`: the document of [`crate::routes`], built once.
pub async fn serve_document() -> Response {
    static TEXT: OnceLock<String> = OnceLock::new();
    let text = TEXT.get_or_init(|| crate::routes().document().to_string());
    ([(header::CONTENT_TYPE, "application/json")], text.as_str()).into_response()
}

/// The tags of the document: the service and auth groups, one per
/// collection, then any other tag an operation of `paths` uses.
fn tags(paths: &Map<String, Value>) -> Vec<Value> {
    let mut tags = vec![
        json!({ "name": "service", "description": "Health and description of the server." }),
        json!({ "name": "auth", "description": "Sign up, sign in and out, the current session." }),
        json!({ "name": "stats", "description": "Aggregations for administrators, computed in the database." }),
        json!({ "name": "development", "description": "Development-only routes (the local mail outbox); absent in production." }),
    ];
    for c in Collection::ALL {
        tags.push(json!({
            "name": c.route(),
            "description": format!("The `{}` collection ({}).", c.name(), c.schema().name),
        }));
    }
    let used = paths
        .values()
        .filter_map(Value::as_object)
        .flat_map(|item| item.values())
        .filter_map(|op| op["tags"].as_array())
        .flatten()
        .filter_map(Value::as_str);
    for tag in used {
        if !tags.iter().any(|t| t["name"] == tag) {
            tags.push(json!({ "name": tag }));
        }
    }
    tags
}

/// The schemas, parameters and responses shared by reference.
#[derive(Default)]
struct Components {
    schemas: Map<String, Value>,
}

impl Components {
    /// A `$ref` to the schema `name`, made by `make` the first time.
    fn schema(&mut self, name: &str, make: impl FnOnce(&mut Self) -> Value) -> Value {
        if !self.schemas.contains_key(name) {
            // Reserve the name first: a schema may refer to itself.
            self.schemas.insert(name.to_string(), Value::Null);
            let made = make(self);
            self.schemas.insert(name.to_string(), made);
        }
        json!({ "$ref": format!("#/components/schemas/{name}") })
    }

    /// The collection's document as the server returns it.
    fn output(&mut self, c: Collection) -> Value {
        self.schema(c.schema().name, |_| output_schema(c))
    }

    /// What a client sends to create a document.
    fn input(&mut self, c: Collection) -> Value {
        self.schema(&format!("{}Input", c.schema().name), |_| input_schema(c))
    }

    /// A `PATCH` body: any of the input's top-level fields, and `__v`.
    fn patch(&mut self, c: Collection) -> Value {
        let name = format!("{}Patch", c.schema().name);
        self.schema(&name, |_| {
            let mut schema = input_schema(c);
            if let Value::Object(m) = &mut schema {
                m.shift_remove("required");
                m.insert(
                    "description".into(),
                    json!(format!(
                        "Top-level fields of {} to replace, and the `__v` the change is based on \
                         (or send `If-Match`). The merged document is validated as a whole.",
                        c.schema().name
                    )),
                );
                if let Some(Value::Object(p)) = m.get_mut("properties") {
                    p.insert("__v".into(), json!({ "type": "integer", "minimum": 0 }));
                }
            }
            schema
        })
    }

    fn page(&mut self, c: Collection) -> Value {
        let name = format!("{}Page", c.schema().name);
        self.schema(&name, |me| {
            let item = me.output(c);
            json!({
                "type": "object",
                "required": ["items", "nextCursor"],
                "properties": {
                    "items": { "type": "array", "items": item },
                    "nextCursor": {
                        "type": ["string", "null"],
                        "description": "Send as `cursor` for the next page; null on the last page.",
                    },
                },
                "additionalProperties": false,
            })
        })
    }

    fn field_error(&mut self) -> Value {
        self.schema("FieldError", |_| {
            let kinds: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.as_str()).collect();
            let locales: Vec<String> = onelastai_models::messages::LOCALES
                .iter()
                .map(|l| format!("`{}`", l.tag))
                .collect();
            json!({
                "type": "object",
                "description": "One failing path, as the models crate (and Mongoose) reports it.",
                "required": ["path", "kind", "message"],
                "properties": {
                    "path": { "type": "string", "description": "Dotted, with array indices: `messages.0.role`." },
                    "kind": { "enum": kinds },
                    "message": { "type": "string", "description": "Mongoose's message, unchanged." },
                    "value": { "description": "The offending value, when there was one." },
                    "params": {
                        "type": "object",
                        "description": "Machine-readable details from the declared rules: `maxlength` and `length` (UTF-16), `values` (enum), `min`, `max`, `type` (cast); empty for the other kinds.",
                        "properties": {
                            "maxlength": { "type": "integer", "minimum": 0 },
                            "length": { "type": "integer", "minimum": 0 },
                            "values": { "type": "array", "items": { "type": "string" } },
                            "min": { "type": "number" },
                            "max": { "type": "number" },
                            "type": { "type": "string" },
                        },
                    },
                    "userMessage": {
                        "type": "string",
                        "description": format!("The message for a person, in the body's `locale`; only when `Accept-Language` names a locale the server has ({}).", locales.join(", ")),
                    },
                },
            })
        })
    }

    /// The error body of one status, from the [`ApiError`] variants that answer it.
    fn error(&mut self, status: u16) -> Value {
        self.schema(&format!("Error{status}"), |me| error_schema(me, status))
    }

    fn finish(self) -> Value {
        json!({
            "schemas": self.schemas,
            "securitySchemes": {
                "serviceToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The server's `API_TOKEN`: full access, acts as an administrator.",
                },
                "sessionToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A session token from sign-up or sign-in (256 random bits, base64url). \
                        It expires after `SESSION_TTL_HOURS` and ends at sign-out. A user whose role is \
                        `admin` has the service token's rights. (The web app keeps it in an httpOnly \
                        cookie and sends it as this header; the server reads no cookie.)",
                },
            },
        })
    }
}

/// One value of every [`ApiError`] variant. The match below makes a new
/// variant a compile error until it is listed here.
pub fn error_examples() -> Vec<ApiError> {
    let all = vec![
        ApiError::Validation {
            collection: Collection::Users,
            errors: vec![FieldError::new(
                "bio",
                ErrorKind::MaxLength,
                "too long".into(),
                None,
            )],
            truncated: false,
        },
        ApiError::bad_request("malformed_json", "the body is not valid JSON"),
        ApiError::Unauthorized,
        ApiError::InvalidCredentials,
        ApiError::Forbidden("no".into()),
        ApiError::ForbiddenOwner,
        ApiError::ForbiddenFields(vec!["role".into()]),
        ApiError::TooManyAttempts { retry_after: 1 },
        ApiError::TooManySignUps { retry_after: 1 },
        ApiError::NotFound("no such document".into()),
        ApiError::Duplicate {
            index: Some("email_1".into()),
            fields: vec!["email".into()],
        },
        ApiError::Stale {
            expected: 0,
            current: 1,
        },
        ApiError::VersionRequired,
        ApiError::PayloadTooLarge { limit: 1 },
        ApiError::UnsupportedMediaType,
        ApiError::Unavailable,
        ApiError::Timeout,
        ApiError::Busy,
        ApiError::SlowBody,
        ApiError::IdempotencyKeyReused,
        ApiError::IdempotencyInProgress,
        ApiError::Internal(String::new()),
    ];
    for e in &all {
        match e {
            ApiError::Validation { .. }
            | ApiError::BadRequest { .. }
            | ApiError::Unauthorized
            | ApiError::InvalidCredentials
            | ApiError::Forbidden(_)
            | ApiError::ForbiddenOwner
            | ApiError::ForbiddenFields(_)
            | ApiError::TooManyAttempts { .. }
            | ApiError::TooManySignUps { .. }
            | ApiError::NotFound(_)
            | ApiError::Duplicate { .. }
            | ApiError::Stale { .. }
            | ApiError::VersionRequired
            | ApiError::PayloadTooLarge { .. }
            | ApiError::UnsupportedMediaType
            | ApiError::Unavailable
            | ApiError::Timeout
            | ApiError::Busy
            | ApiError::SlowBody
            | ApiError::IdempotencyKeyReused
            | ApiError::IdempotencyInProgress
            | ApiError::Internal(_) => {}
        }
    }
    all
}

/// The schema of a key an error body may carry besides `error` and `message`.
fn error_key_schema(me: &mut Components, key: &str) -> Option<Value> {
    Some(match key {
        "errors" => {
            json!({ "type": "array", "items": me.field_error(), "maxItems": crate::error::MAX_ERRORS })
        }
        "errorCount" => json!({ "type": "integer", "minimum": 0 }),
        "locale" => {
            json!({ "type": "string", "description": "The locale of the errors' `userMessage` (from `Accept-Language`)." })
        }
        "truncated" => {
            json!({ "type": "boolean", "description": "More paths fail than `errors` lists." })
        }
        "index" => json!({ "type": ["string", "null"], "description": "The unique index's name." }),
        "fields" => json!({ "type": "array", "items": { "type": "string" } }),
        "expected" | "current" => json!({ "type": "integer", "minimum": 0 }),
        _ => return None,
    })
}

fn error_schema(me: &mut Components, status: u16) -> Value {
    let of_status: Vec<ApiError> = error_examples()
        .into_iter()
        .filter(|e| e.status().as_u16() == status)
        .collect();
    let mut codes: Vec<&str> = Vec::new();
    let mut open_codes = false;
    let mut properties = Map::new();
    properties.insert("message".into(), json!({ "type": "string" }));
    for e in &of_status {
        if matches!(e, ApiError::BadRequest { .. }) {
            // Its codes are many and say what exactly is malformed.
            open_codes = true;
        } else if !codes.contains(&e.code()) {
            codes.push(e.code());
        }
        // In a locale: a 422's keys include `locale` (and its errors' `userMessage`).
        if let Value::Object(body) = e.body_in(onelastai_models::messages::LOCALES.first()) {
            for key in body.keys() {
                if !properties.contains_key(key) && key != "error" {
                    if let Some(schema) = error_key_schema(me, key) {
                        properties.insert(key.clone(), schema);
                    }
                }
            }
        }
    }
    let code = if open_codes || codes.is_empty() {
        json!({ "type": "string", "description": "Machine-readable: `malformed_json`, `invalid_id`, `invalid_query`, `forbidden_key`, ..." })
    } else {
        json!({ "enum": codes })
    };
    properties.insert("error".into(), code);
    json!({
        "type": "object",
        "required": ["error", "message"],
        "properties": properties,
    })
}

/// What the reason phrases say, for the error responses.
fn status_text(status: u16) -> &'static str {
    match status {
        400 => "The request is malformed (its code says how).",
        401 => "No valid credentials where they are needed, or a token that is wrong, expired or signed out.",
        403 => "The caller may not do this.",
        404 => "No such document (or none the caller may see).",
        408 => "The body arrived too slowly.",
        409 => "A unique index already holds these values, or the document changed since the version sent.",
        413 => "The body exceeds `BODY_LIMIT`.",
        415 => "The body is not JSON.",
        422 => "The document breaks the collection's rules: every failing path, with its `params`; with `Accept-Language: en` or `fr` (`q` honoured, `fr-CA` is `fr`), also its `userMessage` and the body's `locale`.",
        428 => "A change without the version it applies to.",
        429 => "Too many failed sign-ins (`too_many_attempts`), or too many accounts made from one address (`too_many_sign_ups`); retry after `Retry-After` seconds.",
        500 => "A bug or an unexpected database answer; the detail is logged only.",
        503 => "The database is unavailable, the request ran past its deadline, or the server is busy.",
        _ => "Error.",
    }
}

/// The collection's schema as the models crate generates it (JSON Schema
/// 2020-12, which OpenAPI 3.1 uses), ready to sit under `components`.
fn models_schema(c: Collection, direction: Direction) -> Value {
    let mut schema = json_schema::schema_for(c.name(), direction, Target::Draft2020_12)
        .unwrap_or_else(|| json!({ "type": "object" }));
    if let Value::Object(m) = &mut schema {
        // A component is not a document root.
        m.remove("$schema");
        m.remove("$id");
    }
    schema
}

fn input_schema(c: Collection) -> Value {
    models_schema(c, Direction::Input)
}

/// The output schema less the secret fields, plus what the server adds.
fn output_schema(c: Collection) -> Value {
    let res = Resource::of(c);
    let mut schema = models_schema(c, Direction::Output);
    forbid_fields(&mut schema, res.secrets);
    let Value::Object(m) = &mut schema else {
        return schema;
    };
    let mut added = vec![(
        "_id",
        json!({ "type": "string", "pattern": "^[0-9a-f]{24}$", "description": "The document's ObjectId." }),
    )];
    let s = c.schema();
    if s.version_key {
        added.push((
            "__v",
            json!({ "type": "integer", "minimum": 0, "description": "The document's version: send it back with a change." }),
        ));
    }
    if s.timestamps {
        for name in ["createdAt", "updatedAt"] {
            added.push((name, json!({ "type": "string", "format": "date-time" })));
        }
    }
    if res.decorate.is_some() && c == Collection::Subscriptions {
        // resource.rs's `add_is_valid`: the spec's `isValid()`, computed on the way out.
        added.push((
            "isValid",
            json!({ "type": "boolean", "description": "Active and not yet expired, at the server's clock." }),
        ));
    }
    let properties = m
        .entry("properties")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(p) = properties {
        for (name, schema) in &added {
            p.insert((*name).to_string(), schema.clone());
        }
    }
    let required = m
        .entry("required")
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(r) = required {
        for (name, _) in &added {
            if !r.iter().any(|v| v == name) {
                r.push(json!(name));
            }
        }
    }
    schema
}

/// Forbids top-level `fields` (their schema becomes `false`) and drops
/// them from `required`: a response that carried a secret does not validate,
/// whatever `additionalProperties` says.
fn forbid_fields(schema: &mut Value, fields: &[&str]) {
    let Value::Object(m) = schema else { return };
    if let Some(Value::Object(p)) = m.get_mut("properties") {
        for f in fields {
            p.insert((*f).to_string(), json!(false));
        }
    }
    if let Some(Value::Array(r)) = m.get_mut("required") {
        r.retain(|v| !v.as_str().is_some_and(|s| fields.contains(&s)));
    }
}

/// The parameters of a list query on `c`: `sort`, `limit`, `cursor` and the
/// equality filters on its declared top-level scalar fields (dotted paths
/// into nested objects and arrays of subdocuments work too).
fn list_parameters(c: Collection) -> Vec<Value> {
    let res = Resource::of(c);
    let sortable: Vec<String> = query::sortable_fields(&res)
        .into_iter()
        .flat_map(|f| [f.clone(), format!("-{f}")])
        .collect();
    let schema = c.schema();
    let mut filters = Map::new();
    for f in schema.fields {
        if res.is_secret(f.name) {
            continue;
        }
        if let Some(p) = schema.resolve_scalar(f.name) {
            let mut s = json!({ "type": "string" });
            if let onelastai_models::engine::Kind::Enum(values) = p.kind {
                s = json!({ "enum": values });
            }
            filters.insert(f.name.to_string(), s);
        }
    }
    vec![
        json!({
            "name": "sort",
            "in": "query",
            "description": "A field to sort on (the leading key of an index, or `_id`); `-` first for descending. Default `_id`.",
            "schema": { "enum": sortable },
        }),
        json!({
            "name": "limit",
            "in": "query",
            "schema": { "type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT },
        }),
        json!({
            "name": "cursor",
            "in": "query",
            "description": "The `nextCursor` of the previous page (same sort).",
            "schema": { "type": "string" },
        }),
        json!({
            "name": "filter",
            "in": "query",
            "style": "form",
            "explode": true,
            "description": "Equality filters: `?<field>=<value>` on a declared field (dotted paths \
                into nested objects and arrays of subdocuments too), the value cast by the field's \
                type as Mongoose casts queries. Secret fields cannot be filtered on; no operators.",
            "schema": {
                "type": "object",
                "properties": filters,
                "additionalProperties": { "type": "string" },
            },
        }),
    ]
}

fn parameter(p: Param) -> Value {
    match p {
        Param::ListQuery => Value::Null,
        Param::IdempotencyKey => json!({
            "name": "Idempotency-Key",
            "in": "header",
            "description": "A retry with the same key and body returns the first answer and stores nothing.",
            "schema": { "type": "string", "minLength": 1, "maxLength": crate::idempotency::MAX_KEY_LEN, "pattern": "^[!-~]+$" },
        }),
        Param::IfMatch => json!({
            "name": "If-Match",
            "in": "header",
            "description": "`\"<__v>\"`: act only on this version of the document (409 otherwise).",
            "schema": { "type": "string" },
        }),
    }
}

fn body_schema(body: &Body, c: Option<Collection>, me: &mut Components) -> Value {
    match (body, c) {
        (Body::Schema(s), _) => s.clone(),
        (Body::Input, Some(c)) => me.input(c),
        (Body::Patch, Some(c)) => me.patch(c),
        (Body::Output, Some(c)) => me.output(c),
        (Body::Page, Some(c)) => me.page(c),
        // A collection body on an op that names no collection: a table bug
        // the unit tests catch.
        (_, None) => json!({ "type": "object" }),
    }
}

fn json_content(schema: Value) -> Value {
    json!({ "application/json": { "schema": schema } })
}

/// The security requirement of an operation.
fn security(caller: Caller, c: Option<Collection>) -> Value {
    let signed_in = json!([{ "sessionToken": [] }, { "serviceToken": [] }]);
    let anyone = json!([{}, { "sessionToken": [] }, { "serviceToken": [] }]);
    match caller {
        Caller::Anyone => anyone,
        Caller::Session => json!([{ "sessionToken": [] }]),
        Caller::SessionOrService => signed_in,
        Caller::Rule(op) => {
            let access = c.map(Collection::access);
            match access.map(|a| (a.rule(op), a.public_flag)) {
                Some((Who::Anyone, _)) => anyone,
                // Documents flagged public are readable by anyone.
                Some((_, Some(_))) if op == Operation::Read => anyone,
                Some((Who::Admin, _)) => json!([{ "serviceToken": [] }, { "sessionToken": [] }]),
                _ => signed_in,
            }
        }
    }
}

fn who_text(caller: Caller, c: Option<Collection>) -> Option<String> {
    let Caller::Rule(op) = caller else {
        return None;
    };
    let access = c?.access();
    let who = match access.rule(op) {
        Who::Anyone => "anyone".to_string(),
        Who::Owner => match access.owner {
            Some(owner) => {
                format!("a signed-in user, on documents it owns (`{owner}`), and administrators")
            }
            None => "administrators (no user owns these documents)".to_string(),
        },
        Who::Admin => {
            "administrators only (the service token, or a user whose role is `admin`)".to_string()
        }
    };
    let public = match (op, access.public_flag) {
        (Operation::Read, Some(flag)) => {
            format!(" Documents with `{flag}: true` are readable by anyone.")
        }
        _ => String::new(),
    };
    Some(format!("**Who**: {who}.{public}"))
}

/// The operation object of `op` at `path` (for collection `c` on per-collection routes).
fn describe(
    op: &Op,
    c: Option<Collection>,
    e: &Endpoint,
    path: &str,
    me: &mut Components,
) -> Value {
    let c = c.or(op.collection);
    let id = match (e.path.contains(COLLECTION), c) {
        (true, Some(c)) => format!("{}-{}", op.id, c.route()),
        _ => op.id.to_string(),
    };
    let tag = match (e.path.contains(COLLECTION), c, op.tag) {
        (_, _, Some(t)) => t.to_string(),
        (_, Some(c), None) => c.route().to_string(),
        (_, None, None) => "service".to_string(),
    };
    let mut o = Map::new();
    o.insert("operationId".into(), json!(id));
    o.insert("summary".into(), json!(op.summary));
    let mut text: Vec<String> = op.description.iter().map(|d| d.to_string()).collect();
    if let Some(who) = who_text(op.caller, c) {
        text.push(who);
    }
    if !text.is_empty() {
        o.insert("description".into(), json!(text.join("\n\n")));
    }
    o.insert("tags".into(), json!([tag]));

    let mut params = Vec::new();
    if path.contains("{id}") {
        params.push(json!({
            "name": "id",
            "in": "path",
            "required": true,
            "description": "The document's `_id`.",
            "schema": { "type": "string", "pattern": "^[0-9a-fA-F]{24}$" },
        }));
    }
    for p in &op.params {
        match (p, c) {
            (Param::ListQuery, Some(c)) => params.extend(list_parameters(c)),
            (Param::ListQuery, None) => {}
            (p, _) => params.push(parameter(*p)),
        }
    }
    params.extend(op.query.iter().cloned());
    if op.errors.contains(&422) {
        params.push(json!({
            "name": "Accept-Language",
            "in": "header",
            "description": "`en` or `fr` (`q` honoured, `fr-CA` is `fr`): a 422's errors also carry `userMessage`, a sentence for a person, and the body its `locale`. `message` stays Mongoose's.",
            "schema": { "type": "string" },
        }));
    }
    if !params.is_empty() {
        o.insert("parameters".into(), json!(params));
    }
    if let Some(body) = &op.body {
        let schema = body_schema(body, c, me);
        o.insert(
            "requestBody".into(),
            json!({ "required": true, "content": json_content(schema) }),
        );
    }
    if e.authenticated {
        o.insert("security".into(), security(op.caller, c));
    } else {
        o.insert("security".into(), json!([{}]));
    }

    let mut responses = Map::new();
    for (status, text, body) in &op.answers {
        let mut r = json!({ "description": text });
        if let Some(body) = body {
            r["content"] = json_content(body_schema(body, c, me));
        }
        if *status == 201 && matches!(body, Some(Body::Output)) {
            r["headers"] = json!({ "Location": {
                "description": "The new document's address: `/api/<route>/<_id>`.",
                "schema": { "type": "string" },
            } });
        }
        responses.insert(status.to_string(), r);
    }
    let mut errors = op.errors.clone();
    errors.extend([500, 503]);
    if e.authenticated {
        errors.push(401);
    }
    if op.body.is_some() {
        errors.extend([400, 408, 413, 415]);
    }
    errors.sort_unstable();
    errors.dedup();
    for status in errors {
        let schema = me.error(status);
        let mut r = json!({
            "description": status_text(status),
            "content": json_content(schema),
        });
        if matches!(status, 429 | 503) {
            r["headers"] = json!({ "Retry-After": {
                "description": "Seconds to wait before retrying.",
                "schema": { "type": "integer" },
            } });
        }
        responses.insert(status.to_string(), r);
    }
    o.insert("responses".into(), Value::Object(responses));
    Value::Object(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document() -> Value {
        crate::routes().document()
    }

    #[test]
    fn every_route_of_the_table_is_described_per_collection() {
        let doc = document();
        let paths = doc["paths"].as_object().cloned().unwrap_or_default();
        for (method, path) in crate::routes().operations() {
            let concrete: Vec<String> = if path.contains(COLLECTION) {
                Collection::ALL
                    .iter()
                    .map(|c| path.replace(COLLECTION, c.route()))
                    .collect()
            } else {
                vec![path.to_string()]
            };
            for p in concrete {
                let op = &paths
                    .get(&p)
                    .unwrap_or_else(|| panic!("{p} is not in the document"))[method.key()];
                assert!(op.is_object(), "{} {p} is not described", method.key());
                assert!(
                    op["responses"].is_object(),
                    "{} {p}: no responses",
                    method.key()
                );
            }
        }
        // 17 collections x 2 paths, plus the fixed routes.
        assert!(paths.len() >= 34 + 8, "{} paths", paths.len());
    }

    /// A route mounted with `.route(` anywhere but the table is a route the
    /// document does not describe.
    #[test]
    fn no_route_is_mounted_outside_the_table() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut found = Vec::new();
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir:?}: {e}"));
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|x| x != "rs") || path.ends_with("openapi.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for (n, line) in text.lines().enumerate() {
                for call in [".route(", ".route_service(", ".nest(", ".nest_service("] {
                    // A call with arguments (`Collection::route()` is not one).
                    let mounts = line
                        .match_indices(call)
                        .any(|(at, _)| !line[at + call.len()..].starts_with(')'));
                    if mounts {
                        found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                    }
                }
            }
        }
        assert!(
            found.is_empty(),
            "routes mounted outside the route table (declare them with an `Endpoint` in `routes()`, so /openapi.json describes them):\n{}",
            found.join("\n")
        );
    }

    #[test]
    fn error_bodies_are_described_for_every_variant() {
        let mut me = Components::default();
        for e in error_examples() {
            let status = e.status().as_u16();
            let _ = me.error(status);
            let schema = &me.schemas[&format!("Error{status}")];
            let Value::Object(body) = e.body() else {
                panic!("{} body is not an object", e.code());
            };
            for key in body.keys() {
                assert!(
                    schema["properties"].get(key).is_some(),
                    "{status} {}: body key {key:?} is not described",
                    e.code()
                );
            }
            let codes = &schema["properties"]["error"];
            if let Some(list) = codes["enum"].as_array() {
                assert!(list.iter().any(|c| c == e.code()), "{}", e.code());
            }
        }
    }

    #[test]
    fn responses_never_describe_secret_fields() {
        let doc = document();
        let user = &doc["components"]["schemas"]["User"];
        for secret in Resource::of(Collection::Users).secrets {
            assert_eq!(user["properties"][*secret], json!(false), "{secret}");
            let required = user["required"].as_array().cloned().unwrap_or_default();
            assert!(!required.iter().any(|r| r == *secret), "{secret}");
        }
        assert!(user["properties"]["_id"].is_object());
    }

    #[test]
    fn operation_ids_are_unique() {
        let doc = document();
        let mut ids = Vec::new();
        for item in doc["paths"]
            .as_object()
            .into_iter()
            .flat_map(|p| p.values())
        {
            for op in item.as_object().into_iter().flat_map(|o| o.values()) {
                ids.push(op["operationId"].as_str().unwrap_or_default().to_string());
            }
        }
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ids.len());
    }
}
