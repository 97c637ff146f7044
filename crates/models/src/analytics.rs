//! Spec section 4, Analytics & Tracking: `analyticsevents`, `chatanalytics`, `toolusageanalytics`.

use crate::{model, Date};
use serde_json::Value;

/// 4.1 A behaviour or system event.
#[model(
    collection = "analyticsevents",
    owner = "userId",
    read = owner,
    create = anyone,
    update = admin,
    delete = admin
)]
#[index("visitorId: 1, timestamp: -1")]
#[index("sessionId: 1, timestamp: -1")]
#[index("userId: 1, timestamp: -1")]
#[index("eventType: 1, timestamp: -1")]
#[index("eventName: 1, timestamp: -1")]
#[index("context.url: 1")]
#[index("timestamp: -1")]
pub struct AnalyticsEvent {
    /// Anonymous visitor id.
    #[field(required, index)]
    pub visitor_id: String,
    /// Browser session id.
    #[field(required, index)]
    pub session_id: String,
    /// The user, when signed in.
    #[field(index)]
    pub user_id: Option<String>,
    /// Event type (`page_view`).
    #[field(required)]
    pub event_type: String,
    /// Event name (`agent_chat_started`).
    #[field(required)]
    pub event_name: String,
    /// Free-form event properties.
    pub properties: Option<Value>,
    /// Where the event happened.
    pub context: Option<EventContext>,
    /// When it happened.
    #[field(default = now, index)]
    pub timestamp: Option<Date>,
}

/// Where an analytics event happened.
#[model]
pub struct EventContext {
    /// Page URL.
    pub url: Option<String>,
    /// Referrer URL.
    pub referrer: Option<String>,
    /// User agent.
    pub user_agent: Option<String>,
    /// Client IP address.
    pub ip_address: Option<String>,
    /// Device class.
    pub device_type: Option<String>,
    /// Browser.
    pub browser: Option<String>,
    /// Operating system.
    pub os: Option<String>,
}

/// 4.2 One question and answer with an agent, for analytics.
#[model(
    collection = "chatanalytics",
    timestamps,
    owner = "userId",
    read = owner,
    create = owner,
    update = admin,
    delete = admin
)]
#[index("userId: 1, createdAt: -1")]
#[index("agentId: 1, createdAt: -1")]
#[index("feedback.satisfied: 1")]
#[index("responseTime: 1")]
#[index("personalityScore: -1")]
pub struct ChatAnalytics {
    /// The user.
    #[field(required, index)]
    pub user_id: String,
    /// The agent.
    #[field(required, index)]
    pub agent_id: String,
    /// The agent's name.
    #[field(required)]
    pub agent_name: String,
    /// The question.
    #[field(required)]
    pub user_message: String,
    /// The answer.
    #[field(required)]
    pub ai_response: String,
    /// Response time in milliseconds.
    #[field(required)]
    pub response_time: f64,
    /// Model that answered.
    #[field(required)]
    pub model: String,
    /// Language code.
    #[field(default = "en")]
    pub language: Option<String>,
    /// How well the answer kept the agent's personality, 0-100.
    #[field(min = 0, max = 100)]
    pub personality_score: Option<f64>,
    /// The user's feedback.
    pub feedback: Option<InteractionFeedback>,
    /// Cost accounting.
    pub metadata: Option<ChatAnalyticsMetadata>,
}

/// A user's feedback on one answer.
#[model]
pub struct InteractionFeedback {
    /// Interaction id.
    pub interaction_id: Option<String>,
    /// Whether the user was satisfied.
    pub satisfied: Option<bool>,
    /// Free-text comment.
    pub comment: Option<String>,
}

/// Cost accounting of one answer.
#[model]
pub struct ChatAnalyticsMetadata {
    /// Tokens used.
    pub tokens_used: Option<f64>,
    /// Cost in USD.
    pub cost: Option<f64>,
    /// Provider (`anthropic`).
    pub provider: Option<String>,
}

/// 4.3 One use of a developer tool.
#[model(
    collection = "toolusageanalytics",
    timestamps,
    owner = "userId",
    read = owner,
    create = owner,
    update = admin,
    delete = admin
)]
#[index("userId: 1, createdAt: -1")]
#[index("toolName: 1, createdAt: -1")]
#[index("toolCategory: 1, createdAt: -1")]
#[index("success: 1")]
#[index("executionTime: 1")]
pub struct ToolUsageAnalytics {
    /// The user, when signed in.
    #[field(index)]
    pub user_id: Option<String>,
    /// Tool name (`api-tester`).
    #[field(required)]
    pub tool_name: String,
    /// Tool category.
    #[field(required)]
    pub tool_category: ToolCategory,
    /// What was done (`test_endpoint`).
    #[field(required)]
    pub action: String,
    /// Free-form input.
    pub input: Option<Value>,
    /// Free-form output.
    pub output: Option<Value>,
    /// Whether it succeeded.
    #[field(required)]
    pub success: bool,
    /// Error message.
    pub error: Option<String>,
    /// Execution time in milliseconds.
    pub execution_time: Option<f64>,
    /// Request details.
    pub metadata: Option<ToolUsageMetadata>,
}

/// A developer tool's category.
#[model]
pub enum ToolCategory {
    /// Network tools.
    Network,
    /// Data tools.
    Data,
    /// Developer tools.
    Developer,
    /// Security tools.
    Security,
    /// Web tools.
    Web,
}

/// Request details of a tool use.
#[model]
pub struct ToolUsageMetadata {
    /// Client IP address.
    pub ip_address: Option<String>,
    /// User agent.
    pub user_agent: Option<String>,
    /// Session id.
    pub session_id: Option<String>,
}
