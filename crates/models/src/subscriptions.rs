//! Spec section 2, Agent Subscriptions: `subscriptions` and `subscriptionplans`.

use crate::engine::{cast, Kind};
use crate::json::{self, Json, Object};
use crate::{model, Date};
use std::borrow::Cow;

/// 2.1 A user's subscription to an AI agent.
#[model(
    collection = "subscriptions",
    timestamps,
    compute = fill_expiry_date,
    owner = "userId",
    read = owner,
    create = owner,
    update = admin,
    delete = owner
)]
#[index("userId: 1, agentId: 1", unique)]
#[index("userId: 1, status: 1")]
#[index("agentId: 1, status: 1")]
#[index("status: 1, expiryDate: 1")]
#[index("stripeSubscriptionId: 1")]
pub struct AgentSubscription {
    /// The subscriber (`users.id`).
    #[field(required, index)]
    pub user_id: String,
    /// The agent (`einstein`).
    #[field(required, index)]
    pub agent_id: String,
    /// Billing period.
    #[field(required)]
    pub plan: Plan,
    /// Price paid, not negative.
    #[field(required, min = 0, protected)]
    pub price: f64,
    /// Lifecycle state.
    #[field(default = "active", protected)]
    pub status: Option<SubscriptionStatus>,
    /// When the subscription starts.
    #[field(default = now, protected)]
    pub start_date: Option<Date>,
    /// When it ends; the server fills it from [`calculate_expiry_date`] when absent.
    #[field(required, protected)]
    pub expiry_date: Date,
    /// Stripe's subscription id.
    #[field(sparse, index, protected)]
    pub stripe_subscription_id: Option<String>,
}

/// A subscription's billing period.
#[model]
pub enum Plan {
    /// One day.
    Daily,
    /// Seven days.
    Weekly,
    /// One calendar month.
    Monthly,
}

/// A subscription's lifecycle state.
#[model]
pub enum SubscriptionStatus {
    /// Running.
    Active,
    /// Past its expiry date.
    Expired,
    /// Cancelled by the user.
    Cancelled,
}

/// The spec's `calculateExpiryDate(plan, startDate)`, in UTC: daily and
/// weekly add 1 and 7 calendar days, monthly adds one calendar month with
/// JavaScript's overflow (Jan 31 + 1 month = Mar 3 in a non-leap year).
/// `None` only when the result leaves JavaScript's date range.
pub fn calculate_expiry_date(plan: Plan, start: Date) -> Option<Date> {
    let p = start.parts();
    let (month0, day) = (i64::from(p.month) - 1, i64::from(p.day));
    match plan {
        Plan::Daily => Date::from_parts_overflowing(p.year, month0, day + 1, p.ms_of_day),
        Plan::Weekly => Date::from_parts_overflowing(p.year, month0, day + 7, p.ms_of_day),
        Plan::Monthly => Date::from_parts_overflowing(p.year, month0 + 1, day, p.ms_of_day),
    }
}

/// The computed default of `expiryDate` (the `compute` hook of
/// [`AgentSubscription`]): when it is absent or null,
/// `calculateExpiryDate(plan, startDate)`, with `plan` and `startDate` cast
/// as validation casts them (`startDate` absent: `now`, its default). Left
/// absent when either does not cast, so validation reports what is wrong.
pub fn fill_expiry_date(input: &mut Object<'_>, now: Date) {
    if !matches!(json::get(input, "expiryDate"), None | Some(Json::Null)) {
        return;
    }
    let plan = json::get(input, "plan")
        .and_then(|v| cast::scalar(&Kind::String, v).ok())
        .and_then(|v| v.as_str().and_then(Plan::parse));
    let start = match json::get(input, "startDate") {
        None | Some(Json::Null) => Some(now),
        Some(v) => match cast::date(v) {
            Ok(Json::Date(d)) => Some(d),
            _ => None,
        },
    };
    let (Some(plan), Some(start)) = (plan, start) else {
        return;
    };
    if let Some(expiry) = calculate_expiry_date(plan, start) {
        input.retain(|(k, _)| k != "expiryDate");
        input.push((Cow::Borrowed("expiryDate"), Json::Date(expiry)));
    }
}

/// The spec's `isValid()`: active and not yet expired at `now`.
pub fn is_valid(status: Option<SubscriptionStatus>, expiry: Date, now: Date) -> bool {
    status == Some(SubscriptionStatus::Active) && expiry > now
}

impl AgentSubscription {
    /// The spec's `isValid()` at `now`.
    pub fn is_valid(&self, now: Date) -> bool {
        is_valid(self.status, self.expiry_date, now)
    }
}

/// 2.2 A plan offered for sale.
#[model(
    collection = "subscriptionplans",
    timestamps,
    read = anyone,
    create = admin,
    update = admin,
    delete = admin
)]
#[index("id: 1", unique)]
#[index("isActive: 1")]
pub struct SubscriptionPlan {
    /// Plan id (`monthly`).
    #[field(required, unique)]
    pub id: String,
    /// Name.
    #[field(required)]
    pub name: String,
    /// Name shown to people.
    #[field(required)]
    pub display_name: String,
    /// Price, not negative.
    #[field(required, min = 0)]
    pub price: f64,
    /// Billing period (`month`).
    #[field(required)]
    pub period: String,
    /// Description.
    #[field(required)]
    pub description: String,
    /// Price as shown (`$19.00`).
    #[field(required)]
    pub price_formatted: String,
    /// Feature bullet points.
    pub features: Vec<String>,
    /// Whether the plan is on sale.
    #[field(default = true)]
    pub is_active: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse_iso(s).unwrap_or(Date::from_millis(0).unwrap_or_else(|| unreachable!()))
    }

    #[test]
    fn expiry_dates_follow_the_spec_arithmetic() {
        let cases = [
            (
                Plan::Daily,
                "2024-01-15T10:30:00.000Z",
                "2024-01-16T10:30:00.000Z",
            ),
            (
                Plan::Daily,
                "2024-02-28T23:59:59.999Z",
                "2024-02-29T23:59:59.999Z",
            ),
            (
                Plan::Weekly,
                "2024-12-28T00:00:00.000Z",
                "2025-01-04T00:00:00.000Z",
            ),
            (
                Plan::Monthly,
                "2023-01-31T08:00:00.000Z",
                "2023-03-03T08:00:00.000Z",
            ),
            (
                Plan::Monthly,
                "2024-01-31T08:00:00.000Z",
                "2024-03-02T08:00:00.000Z",
            ),
            (
                Plan::Monthly,
                "2024-12-15T00:00:00.000Z",
                "2025-01-15T00:00:00.000Z",
            ),
        ];
        for (plan, start, want) in cases {
            let got = calculate_expiry_date(plan, d(start)).map(|x| x.to_iso_string());
            assert_eq!(got.as_deref(), Some(want), "{plan:?} from {start}");
        }
    }

    #[test]
    fn validity_needs_active_and_future_expiry() {
        let now = d("2024-01-15T10:30:00Z");
        assert!(is_valid(
            Some(SubscriptionStatus::Active),
            d("2024-01-15T10:30:00.001Z"),
            now
        ));
        assert!(!is_valid(Some(SubscriptionStatus::Active), now, now));
        assert!(!is_valid(
            Some(SubscriptionStatus::Cancelled),
            d("2025-01-01"),
            now
        ));
        assert!(!is_valid(None, d("2025-01-01"), now));
    }
}

#[cfg(test)]
mod expiry_tests {
    use super::*;

    fn now() -> Date {
        Date::parse_iso("2024-01-31T08:00:00Z").unwrap_or_else(|| unreachable!())
    }

    fn filled(text: &str) -> Option<String> {
        let Ok(Json::Object(mut m)) = json::parse(text) else {
            return None;
        };
        fill_expiry_date(&mut m, now());
        json::get(&m, "expiryDate").map(Json::to_text)
    }

    #[test]
    fn expiry_is_computed_from_plan_and_start() {
        // Written out from the spec's calculateExpiryDate: Jan 31 + 1 month
        // is Mar 2 in 2024 (a leap year); + 1 day of Feb 28 is Feb 29.
        assert_eq!(
            filled(r#"{"plan":"monthly"}"#).as_deref(),
            Some("\"2024-03-02T08:00:00.000Z\"")
        );
        assert_eq!(
            filled(r#"{"plan":"daily","startDate":"2024-02-28T00:00:00Z"}"#).as_deref(),
            Some("\"2024-02-29T00:00:00.000Z\"")
        );
        assert_eq!(
            filled(r#"{"plan":"weekly","expiryDate":null,"startDate":null}"#).as_deref(),
            Some("\"2024-02-07T08:00:00.000Z\"")
        );
    }

    #[test]
    fn nothing_is_computed_from_what_does_not_cast_or_is_given() {
        assert_eq!(filled(r#"{"plan":"yearly"}"#), None);
        assert_eq!(filled(r#"{"plan":"monthly","startDate":"soon"}"#), None);
        assert_eq!(
            filled(r#"{"plan":"monthly","expiryDate":"2030-01-01"}"#).as_deref(),
            Some("\"2030-01-01\"")
        );
    }
}
