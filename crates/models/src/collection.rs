//! The 17 collections by name: the one list every layer dispatches on.

use crate::engine::{self, FieldError, Model, Schema};
use crate::json::{Json, Object};
use crate::{analytics, billing, chat, config, gamification, marketplace, subscriptions, users};
use crate::{Date, IndexSpec};
use serde_json::{Map, Value};
use std::fmt;
use std::str::FromStr;

macro_rules! collections {
    ($($variant:ident => $name:literal, $route:literal, $ty:ty;)*) => {
        /// One of the spec's 17 collections.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Collection {
            $(
                #[doc = concat!("`", $name, "`: [`", stringify!($ty), "`].")]
                $variant,
            )*
        }

        impl Collection {
            /// Every collection, in the spec's order.
            pub const ALL: [Collection; 17] = [$(Collection::$variant),*];

            /// The MongoDB collection name, as Mongoose derives it from the model.
            pub const fn name(self) -> &'static str {
                match self { $(Collection::$variant => $name),* }
            }

            /// The HTTP route segment (kebab-case plural).
            pub const fn route(self) -> &'static str {
                match self { $(Collection::$variant => $route),* }
            }

            /// The collection's schema.
            pub fn schema(self) -> &'static Schema {
                match self { $(Collection::$variant => <$ty as Model>::schema()),* }
            }
        }
    };
}

collections! {
    Users => "users", "users", users::User;
    UserSessions => "usersessions", "user-sessions", users::UserSession;
    Subscriptions => "subscriptions", "subscriptions", subscriptions::AgentSubscription;
    SubscriptionPlans => "subscriptionplans", "subscription-plans", subscriptions::SubscriptionPlan;
    ChatSessions => "chatsessions", "chat-sessions", chat::ChatSession;
    ChatMessages => "chatmessages", "chat-messages", chat::ChatMessage;
    AnalyticsEvents => "analyticsevents", "analytics-events", analytics::AnalyticsEvent;
    ChatAnalytics => "chatanalytics", "chat-analytics", analytics::ChatAnalytics;
    ToolUsageAnalytics => "toolusageanalytics", "tool-usage-analytics", analytics::ToolUsageAnalytics;
    UserAchievements => "userachievements", "user-achievements", gamification::UserAchievements;
    UserRewards => "userrewards", "user-rewards", gamification::UserRewards;
    Leaderboards => "leaderboards", "leaderboards", gamification::Leaderboard;
    Tools => "tools", "tools", marketplace::Tool;
    ToolReviews => "toolreviews", "tool-reviews", marketplace::ToolReview;
    Invoices => "invoices", "invoices", billing::Invoice;
    Payments => "payments", "payments", billing::Payment;
    AppConfigs => "appconfigs", "app-configs", config::AppConfig;
}

/// A name that is none of the 17 collections.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown collection {0:?}; expected one of: users, usersessions, subscriptions, subscriptionplans, chatsessions, chatmessages, analyticsevents, chatanalytics, toolusageanalytics, userachievements, userrewards, leaderboards, tools, toolreviews, invoices, payments, appconfigs")]
pub struct UnknownCollection(pub String);

impl Collection {
    /// The collection with this MongoDB name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The collection served under this route segment.
    pub fn from_route(route: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.route() == route)
    }

    /// Casts, normalises and validates `input` as a document of this
    /// collection, at time `now` (for `Date.now` defaults).
    pub fn validate(self, input: &Value, now: Date) -> Result<Map<String, Value>, Vec<FieldError>> {
        engine::validate(self.schema(), input, now)
    }

    /// [`Collection::validate`] on the engine's own tree ([`crate::json`]),
    /// without converting to and from `serde_json::Value`: the fast path, as
    /// the WebAssembly package takes it. The output borrows `input`'s strings.
    pub fn validate_json<'a>(
        self,
        input: &Json<'a>,
        now: Date,
    ) -> Result<Object<'a>, Vec<FieldError>> {
        engine::validate_json(self.schema(), input, now)
    }

    /// [`Collection::validate_json`] under [`engine::Options`]: with
    /// `max_errors`, at most that many errors, and the walk stops there
    /// ([`engine::Rejection::truncated`]). What a server facing the internet calls.
    pub fn validate_json_with<'a>(
        self,
        input: &Json<'a>,
        now: Date,
        options: &engine::Options,
    ) -> Result<Object<'a>, engine::Rejection> {
        engine::validate_json_with(self.schema(), input, now, options)
    }

    /// The normalised document of `text` (which `JSON.stringify` wrote)
    /// appended to `out` as JSON text, in one pass, when it passes; `false`,
    /// `out` unchanged, when it fails or may fail: then
    /// [`Collection::validate_json_with`] on its tree gives the errors (and,
    /// for a document that passes, the same text). See [`engine::transcode`].
    pub fn transcode(self, text: &str, now: Date, out: &mut String) -> bool {
        engine::transcode(self.schema(), text, now, out)
    }

    /// The errors of one path alone, for live form feedback; `context` is the
    /// rest of the document when a rule depends on other fields.
    pub fn validate_path(
        self,
        path: &str,
        value: &Value,
        context: Option<&Value>,
        now: Date,
    ) -> Result<Vec<FieldError>, engine::PathError> {
        engine::validate_path(self.schema(), path, value, context, now)
    }

    /// Who may read, create, update and delete, and who owns a document.
    pub fn access(self) -> crate::access::Access {
        // Every collection declares it (`#[model]` refuses one that does not).
        self.schema().access.unwrap_or(crate::access::Access {
            owner: None,
            read: crate::access::Who::Admin,
            create: crate::access::Who::Admin,
            update: crate::access::Who::Admin,
            delete: crate::access::Who::Admin,
            public_flag: None,
        })
    }

    /// Fills the collection's computed defaults into `input` (a subscription's
    /// `expiryDate`): what the server does before it validates a document to
    /// store. Validation alone, like Mongoose's, leaves them to the caller.
    pub fn fill_computed(self, input: &mut Object<'_>, now: Date) {
        if let Some(compute) = self.schema().compute {
            compute(input, now);
        }
    }

    /// Every index the spec declares for this collection, de-duplicated.
    pub fn indexes(self) -> Vec<IndexSpec> {
        crate::index::indexes(self.schema())
    }
}

impl FromStr for Collection {
    type Err = UnknownCollection;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_name(s).ok_or_else(|| UnknownCollection(s.to_string()))
    }
}

impl fmt::Display for Collection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
