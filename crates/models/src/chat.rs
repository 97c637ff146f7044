//! Spec section 3, Chat & Conversation: `chatsessions` and `chatmessages`.

use crate::{model, Date};

/// 3.1 A conversation with an agent, messages embedded.
#[model(
    collection = "chatsessions",
    timestamps,
    owner = "userId",
    read = owner,
    create = owner,
    update = owner,
    delete = owner
)]
#[index("id: 1", unique)]
#[index("userId: 1, lastUpdated: -1")]
#[index("agentId: 1, createdAt: -1")]
#[index("isActive: 1")]
pub struct ChatSession {
    /// Session id (`session_1234567890`).
    #[field(required, unique)]
    pub id: String,
    /// The user (`users.id`).
    #[field(required, index)]
    pub user_id: String,
    /// The agent.
    #[field(index)]
    pub agent_id: Option<String>,
    /// Conversation title.
    #[field(required)]
    pub name: String,
    /// The messages, in order.
    pub messages: Vec<SessionMessage>,
    /// Last activity.
    #[field(default = now)]
    pub last_updated: Option<Date>,
    /// Whether the conversation is open.
    #[field(default = true)]
    pub is_active: Option<bool>,
    /// Counters.
    pub metadata: Option<SessionMetadata>,
}

/// One message of a chat session.
#[model(subdocument)]
pub struct SessionMessage {
    /// Message id.
    #[field(required)]
    pub id: String,
    /// Who wrote it.
    #[field(required)]
    pub role: MessageRole,
    /// The text.
    #[field(required)]
    pub content: String,
    /// When it was written.
    #[field(default = now)]
    pub timestamp: Option<Date>,
    /// The user's rating.
    pub feedback: Option<Feedback>,
    /// Still being streamed.
    #[field(default = false)]
    pub is_streaming: Option<bool>,
    /// Streaming finished.
    #[field(default = true)]
    pub streaming_complete: Option<bool>,
    /// Attached files.
    pub attachments: Vec<SessionAttachment>,
}

/// A file attached to a chat session message.
#[model(subdocument)]
pub struct SessionAttachment {
    /// File name.
    #[field(required)]
    pub name: String,
    /// Size in bytes.
    pub size: Option<f64>,
    /// MIME type.
    pub r#type: Option<String>,
    /// Where the file is.
    pub url: Option<String>,
    /// Inline content (base64).
    pub data: Option<String>,
}

/// Who wrote a message.
#[model]
pub enum MessageRole {
    /// The person.
    User,
    /// The agent.
    Assistant,
}

/// A rating of an answer (the spec's enum also lists `null`, i.e. no rating).
#[model]
pub enum Feedback {
    /// Thumbs up.
    Positive,
    /// Thumbs down.
    Negative,
}

/// Counters of a chat session.
#[model]
pub struct SessionMetadata {
    /// Number of messages.
    #[field(default = 0)]
    pub total_messages: Option<f64>,
    /// Tokens used.
    #[field(default = 0)]
    pub total_tokens: Option<f64>,
    /// Duration in milliseconds.
    #[field(default = 0)]
    pub duration: Option<f64>,
}

/// 3.2 One chat message, stored on its own for analytics.
#[model(
    collection = "chatmessages",
    timestamps,
    owner = "userId",
    read = owner,
    create = owner,
    update = owner,
    delete = owner
)]
#[index("messageId: 1", unique)]
#[index("sessionId: 1, createdAt: 1")]
#[index("userId: 1, createdAt: -1")]
#[index("agentId: 1, createdAt: -1")]
#[index("feedback: 1")]
pub struct ChatMessage {
    /// The chat session (`chatsessions.id`).
    #[field(required, index)]
    pub session_id: String,
    /// Message id.
    #[field(required, unique)]
    pub message_id: String,
    /// The user.
    #[field(required, index)]
    pub user_id: String,
    /// The agent.
    #[field(index)]
    pub agent_id: Option<String>,
    /// Who wrote it.
    #[field(required)]
    pub role: MessageRole,
    /// The text.
    #[field(required)]
    pub content: String,
    /// Tokens used.
    pub tokens: Option<f64>,
    /// Model that answered.
    pub model: Option<String>,
    /// Response time in milliseconds.
    pub response_time: Option<f64>,
    /// The user's rating.
    pub feedback: Option<Feedback>,
    /// Attached files.
    pub attachments: Vec<MessageAttachment>,
    /// Language, sentiment, topics.
    pub metadata: Option<MessageMetadata>,
}

/// A file attached to a stored chat message.
#[model(subdocument)]
pub struct MessageAttachment {
    /// File name.
    #[field(required)]
    pub name: String,
    /// Size in bytes.
    pub size: Option<f64>,
    /// MIME type.
    pub r#type: Option<String>,
    /// Where the file is.
    pub url: Option<String>,
}

/// Analysis of a stored chat message.
#[model]
pub struct MessageMetadata {
    /// Language code.
    pub language: Option<String>,
    /// Detected sentiment.
    pub sentiment: Option<String>,
    /// Topics.
    pub topics: Vec<String>,
}
