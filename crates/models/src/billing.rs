//! Spec section 7, Billing & Payments: `invoices` and `payments`.

use crate::subscriptions::Plan;
use crate::{model, Date, ObjectId};

/// 7.1 An invoice.
#[model(
    collection = "invoices",
    timestamps,
    owner = "userId",
    read = owner,
    create = admin,
    update = admin,
    delete = admin
)]
#[index("userId: 1, createdAt: -1")]
#[index("stripeInvoiceId: 1")]
#[index("stripeSubscriptionId: 1")]
#[index("status: 1")]
#[index("agentId: 1")]
pub struct Invoice {
    /// The user (`users._id`).
    #[field(required)]
    pub user_id: ObjectId,
    /// Billing email.
    #[field(required)]
    pub email: String,
    /// Stripe's invoice id.
    pub stripe_invoice_id: Option<String>,
    /// Stripe's subscription id.
    #[field(required)]
    pub stripe_subscription_id: String,
    /// The agent.
    #[field(required)]
    pub agent_id: String,
    /// The agent's name.
    #[field(required)]
    pub agent_name: String,
    /// Billing period.
    #[field(required)]
    pub plan: Plan,
    /// Amount.
    #[field(required)]
    pub amount: f64,
    /// Currency code.
    #[field(default = "USD")]
    pub currency: Option<String>,
    /// Payment state.
    #[field(default = "pending")]
    pub status: Option<InvoiceStatus>,
    /// When it was paid.
    pub paid_at: Option<Date>,
}

/// An invoice's payment state.
#[model]
pub enum InvoiceStatus {
    /// Paid.
    Paid,
    /// Waiting for payment.
    Pending,
    /// Payment failed.
    Failed,
    /// Cancelled.
    Void,
}

/// 7.2 A payment transaction.
#[model(
    collection = "payments",
    timestamps,
    owner = "userId",
    read = owner,
    create = admin,
    update = admin,
    delete = admin
)]
#[index("userId: 1, createdAt: -1")]
#[index("stripePaymentIntentId: 1")]
#[index("stripeChargeId: 1")]
#[index("stripeSubscriptionId: 1")]
#[index("status: 1")]
#[index("paymentMethod: 1")]
pub struct Payment {
    /// The user (`users._id`).
    #[field(required)]
    pub user_id: ObjectId,
    /// Billing email.
    #[field(required)]
    pub email: String,
    /// Stripe's payment intent id.
    pub stripe_payment_intent_id: Option<String>,
    /// Stripe's charge id.
    pub stripe_charge_id: Option<String>,
    /// Stripe's invoice id.
    pub stripe_invoice_id: Option<String>,
    /// Stripe's subscription id.
    #[field(required)]
    pub stripe_subscription_id: String,
    /// The agent.
    #[field(required)]
    pub agent_id: String,
    /// The agent's name.
    #[field(required)]
    pub agent_name: String,
    /// Billing period.
    #[field(required)]
    pub plan: Plan,
    /// Amount.
    #[field(required)]
    pub amount: f64,
    /// Currency code.
    #[field(default = "USD")]
    pub currency: Option<String>,
    /// Payment state.
    #[field(default = "pending")]
    pub status: Option<PaymentStatus>,
    /// How it was paid.
    #[field(default = "card")]
    pub payment_method: Option<PaymentMethod>,
    /// Last four card digits.
    pub last4: Option<String>,
    /// Card brand.
    pub brand: Option<String>,
    /// When it was paid.
    #[field(default = now)]
    pub paid_at: Option<Date>,
}

/// A payment's state.
#[model]
pub enum PaymentStatus {
    /// Money received.
    Succeeded,
    /// In progress.
    Pending,
    /// Failed.
    Failed,
}

/// How a payment was made.
#[model]
pub enum PaymentMethod {
    /// Card.
    Card,
    /// PayPal.
    Paypal,
    /// Bank transfer.
    Bank,
}
