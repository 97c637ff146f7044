//! What the load clients send: valid and invalid documents and list queries
//! for five collections.
//!
//! The documents are modelled on the valid cases of
//! `tests/vectors/<collection>.json`, sized like real ones (a tool with its
//! config, a chat session with two messages), and accepted by both the
//! models crate and the Mongoose schemas, so both servers do the same work.
//! Every unique field (users `id` and `email`, tools `id` and
//! `metadata.slug`, chat-sessions `id`, the subscriptions `(userId,
//! agentId)` pair) is built from a tag the caller makes unique per create.
//! The list queries filter on a value every valid document here holds and
//! sort on an indexed field, so each one has pages to follow.

use serde_json::{json, Value};

/// The password of the users created with one: long enough for the spec's rule.
pub const PASSWORD: &str = "correct horse battery staple";

/// A collection the load clients use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Collection {
    /// `/api/users`
    Users,
    /// `/api/tools`
    Tools,
    /// `/api/chat-sessions`
    ChatSessions,
    /// `/api/subscriptions`
    Subscriptions,
    /// `/api/analytics-events`
    AnalyticsEvents,
}

impl Collection {
    /// Every collection the load clients use.
    pub const ALL: [Collection; 5] = [
        Collection::Users,
        Collection::Tools,
        Collection::ChatSessions,
        Collection::Subscriptions,
        Collection::AnalyticsEvents,
    ];

    /// The path segment after `/api/`.
    pub fn route(self) -> &'static str {
        match self {
            Collection::Users => "users",
            Collection::Tools => "tools",
            Collection::ChatSessions => "chat-sessions",
            Collection::Subscriptions => "subscriptions",
            Collection::AnalyticsEvents => "analytics-events",
        }
    }

    /// A valid document. `tag` (lowercase letters, digits and `_`) must be
    /// new for every call; `n` varies the numbers a list sorts on. Users
    /// carry no password (see [`signup`] for one that does).
    pub fn document(self, tag: &str, n: u64) -> Value {
        match self {
            Collection::Users => json!({
                "id": format!("user_{tag}"),
                "email": format!("bench.{tag}@example.com"),
                "name": "Bench User",
                "authMethod": "passwordless",
                "bio": "Load test account",
                "timezone": "Europe/Berlin",
                "socialLinks": {"github": format!("bench{tag}")},
                "preferences": {"smsNotifications": true},
            }),
            Collection::Tools => json!({
                "id": format!("tool_{tag}"),
                "metadata": {
                    "name": "Bench Tool",
                    "slug": format!("bench-tool-{}", tag.replace('_', "-")),
                    "description": "Summarize markdown documents",
                    "category": "data-processing",
                    "tags": ["bench", "markdown"],
                    "author": {"id": "user_bench", "name": "Bench Author"},
                    "currentVersion": "1.0.0",
                    "allVersions": [{"versionId": "v1.0.0", "version": "1.0.0", "isStable": true, "rating": 4.5}],
                    "downloads": n % 10_000,
                    "stars": n % 100,
                },
                "config": {
                    "inputs": [{"id": "text", "name": "Text", "type": "string", "required": true}],
                    "outputs": [{"id": "summary", "name": "Summary", "type": "string"}],
                },
                "codeUrl": "https://github.com/bench/md-summarizer",
                "mainFunction": "summarize",
                "published": true,
            }),
            Collection::ChatSessions => json!({
                "id": format!("session_{tag}"),
                "userId": format!("user_{tag}"),
                "agentId": "einstein",
                "name": "Physics Discussion",
                "messages": [
                    {"id": format!("msg_{tag}_1"), "role": "user", "content": "What is E=mc²?",
                     "timestamp": "2024-01-15T10:00:00.000Z"},
                    {"id": format!("msg_{tag}_2"), "role": "assistant", "feedback": "positive",
                     "content": "Energy equals mass times the speed of light squared.",
                     "timestamp": "2024-01-15T10:00:02.500Z"},
                ],
                "metadata": {"totalMessages": 2, "totalTokens": 150, "duration": 2500},
            }),
            // No expiryDate: both servers compute it from plan and startDate.
            Collection::Subscriptions => json!({
                "userId": format!("user_{tag}"),
                "agentId": "einstein",
                "plan": "monthly",
                "price": 19.99,
                "status": "active",
                "stripeSubscriptionId": format!("sub_{tag}"),
            }),
            Collection::AnalyticsEvents => json!({
                "visitorId": format!("visitor_{tag}"),
                "sessionId": format!("session_{tag}"),
                "userId": "user_bench",
                "eventType": "chat_interaction",
                "eventName": "agent_chat_started",
                "properties": {"agentId": "einstein", "page": "/agents/einstein", "tokens": n % 1000},
                "context": {"url": "https://onelastai.co/agents/einstein", "deviceType": "desktop", "browser": "Chrome"},
            }),
        }
    }

    /// A document the server must refuse with 422 (several field errors).
    pub fn invalid_document(self, tag: &str) -> Value {
        match self {
            Collection::Users => json!({
                "id": format!("user_{tag}"),
                "email": "not-an-email",
                "role": "root",
                "bio": "x".repeat(600),
            }),
            Collection::Tools => json!({
                "id": format!("tool_{tag}"),
                "metadata": {"name": "Broken", "category": "toys", "author": {"id": "user_bench"}},
                "riskLevel": "extreme",
            }),
            Collection::ChatSessions => json!({
                "id": format!("session_{tag}"),
                "messages": [{"id": "m1", "role": "robot"}],
            }),
            Collection::Subscriptions => json!({
                "userId": format!("user_{tag}"),
                "plan": "yearly",
                "price": -1,
            }),
            Collection::AnalyticsEvents => json!({
                "visitorId": format!("visitor_{tag}"),
                "timestamp": "not a date",
            }),
        }
    }

    /// The first page of a list: a filter every [`document`] matches, a sort
    /// on an indexed field, ten per page.
    pub fn list_query(self) -> &'static str {
        match self {
            Collection::Users => "role=user&sort=-createdAt&limit=10",
            Collection::Tools => {
                "metadata.category=data-processing&sort=-metadata.downloads&limit=10"
            }
            Collection::ChatSessions => "agentId=einstein&sort=-_id&limit=10",
            Collection::Subscriptions => "status=active&sort=userId&limit=10",
            Collection::AnalyticsEvents => "eventType=chat_interaction&sort=-timestamp&limit=10",
        }
    }
}

/// A valid user with a password, which the server stores as an argon2id hash.
pub fn signup(tag: &str) -> Value {
    let mut user = Collection::Users.document(tag, 0);
    user["authMethod"] = json!("password");
    user["password"] = json!(PASSWORD);
    user
}

/// A chat session whose `messages` holds `items` empty objects: three field
/// errors each (`id`, `role`, `content` are required), about 3 bytes each.
pub fn many_errors_body(tag: &str, items: usize) -> String {
    let mut body = format!(
        r#"{{"id":"session_{tag}","userId":"user_{tag}","name":"Many errors","messages":["#
    );
    body.reserve(items * 3 + 2);
    for i in 0..items {
        body.push_str(if i == 0 { "{}" } else { ",{}" });
    }
    body.push_str("]}");
    body
}
