//! Spec section 8, Configuration: `appconfigs`.

use crate::model;
use serde_json::Value;

/// 8.1 An application-wide setting.
#[model(
    collection = "appconfigs",
    timestamps,
    public_flag = "isPublic",
    read = admin,
    create = admin,
    update = admin,
    delete = admin
)]
#[index("key: 1", unique)]
#[index("category: 1")]
#[index("isPublic: 1")]
pub struct AppConfig {
    /// Setting key (`ai_config`).
    #[field(required, unique)]
    pub key: String,
    /// Setting value, any JSON.
    #[field(required)]
    pub value: Option<Value>,
    /// Description.
    pub description: Option<String>,
    /// Readable without the API token.
    #[field(default = false)]
    pub is_public: Option<bool>,
    /// Who changed it last.
    pub last_updated_by: Option<String>,
    /// Area of the product.
    pub category: Option<ConfigCategory>,
}

/// An application setting's area.
#[model]
pub enum ConfigCategory {
    /// AI providers.
    Ai,
    /// Billing.
    Billing,
    /// Security.
    Security,
    /// User interface.
    Ui,
    /// Feature flags.
    Features,
}
