//! Spec section 6, Marketplace: `tools` and `toolreviews`.

use crate::{model, Date};
use serde_json::Value;

/// 6.1 A marketplace tool or plugin.
#[model(
    collection = "tools",
    timestamps,
    owner = "metadata.author.id",
    public_flag = "published",
    read = owner,
    create = owner,
    update = owner,
    delete = owner
)]
#[index("id: 1", unique)]
#[index("metadata.slug: 1", unique)]
#[index("metadata.category: 1")]
#[index("metadata.tags: 1")]
#[index("metadata.author.id: 1")]
#[index("published: 1, featured: 1")]
#[index("verified: 1")]
#[index("metadata.downloads: -1")]
#[index("metadata.stars: -1")]
pub struct Tool {
    /// Tool id (`tool_123`).
    #[field(required, unique)]
    pub id: String,
    /// Listing data.
    pub metadata: Option<ToolMetadata>,
    /// Inputs, outputs and settings.
    pub config: Option<ToolConfig>,
    /// Lifecycle hooks.
    pub hooks: Vec<ToolHook>,
    /// Package dependencies.
    pub dependencies: Vec<ToolDependency>,
    /// Source repository URL.
    #[field(required)]
    pub code_url: String,
    /// Entry point function name.
    #[field(required)]
    pub main_function: String,
    /// Listed in the marketplace.
    #[field(default = false)]
    pub published: Option<bool>,
    /// Reviewed by the team.
    #[field(default = false, protected)]
    pub verified: Option<bool>,
    /// Featured on the front page.
    #[field(default = false, protected)]
    pub featured: Option<bool>,
    /// Permissions the tool asks for.
    pub required_permissions: Vec<String>,
    /// Runs in the sandbox.
    #[field(default = true)]
    pub sandboxed: Option<bool>,
    /// Assessed risk.
    #[field(default = "low")]
    pub risk_level: Option<RiskLevel>,
}

/// A tool's listing data.
#[model]
pub struct ToolMetadata {
    /// Name.
    #[field(required)]
    pub name: String,
    /// URL slug, unique.
    #[field(required, unique)]
    pub slug: String,
    /// Short description.
    #[field(required)]
    pub description: String,
    /// Long description.
    pub long_description: Option<String>,
    /// Category.
    pub category: Option<ToolKind>,
    /// Search tags.
    pub tags: Vec<String>,
    /// Icon (an emoji).
    pub icon: Option<String>,
    /// Banner image URL.
    pub banner: Option<String>,
    /// Who published it.
    pub author: Option<ToolAuthor>,
    /// Current version (`1.0.0`).
    #[field(required)]
    pub current_version: String,
    /// Every released version.
    pub all_versions: Vec<ToolVersion>,
    /// Downloads.
    #[field(default = 0, protected)]
    pub downloads: Option<f64>,
    /// Stars.
    #[field(default = 0, protected)]
    pub stars: Option<f64>,
    /// Uses.
    #[field(default = 0, protected)]
    pub uses: Option<f64>,
}

/// A marketplace tool's category.
#[model]
pub enum ToolKind {
    /// Data processing.
    DataProcessing,
    /// Integration.
    Integration,
    /// Analytics.
    Analytics,
    /// Automation.
    Automation,
    /// Utility.
    Utility,
    /// AI.
    Ai,
    /// Custom.
    Custom,
}

/// A tool's author.
#[model]
pub struct ToolAuthor {
    /// The user.
    #[field(required)]
    pub id: String,
    /// Name shown.
    #[field(required)]
    pub name: String,
    /// Avatar URL.
    pub avatar: Option<String>,
    /// Verified author.
    #[field(default = false, protected)]
    pub verified: Option<bool>,
}

/// One released version of a tool.
#[model(subdocument)]
pub struct ToolVersion {
    /// Version id (`v1.0.0`).
    #[field(required)]
    pub version_id: String,
    /// Version (`1.0.0`).
    #[field(required)]
    pub version: String,
    /// Release date.
    #[field(default = now)]
    pub release_date: Option<Date>,
    /// Description.
    pub description: Option<String>,
    /// Changes.
    pub changelog: Option<String>,
    /// Stable release.
    #[field(default = true)]
    pub is_stable: Option<bool>,
    /// Downloads.
    #[field(default = 0, protected)]
    pub downloads: Option<f64>,
    /// Rating, 0-5.
    #[field(min = 0, max = 5, default = 0, protected)]
    pub rating: Option<f64>,
}

/// A tool's inputs, outputs and settings.
#[model]
pub struct ToolConfig {
    /// Inputs.
    pub inputs: Vec<ToolInput>,
    /// Outputs.
    pub outputs: Vec<ToolOutput>,
    /// Settings.
    pub settings: Vec<ToolSetting>,
}

/// One input of a tool.
#[model(subdocument)]
pub struct ToolInput {
    /// Input id.
    #[field(required)]
    pub id: String,
    /// Label.
    #[field(required)]
    pub name: String,
    /// Value type.
    pub r#type: Option<InputType>,
    /// Help text.
    pub description: Option<String>,
    /// Whether the input must be given.
    #[field(default = false)]
    pub required: Option<bool>,
    /// Default value, any JSON.
    pub default_value: Option<Value>,
    /// Constraints on the value.
    pub validation: Option<InputValidation>,
}

/// A tool input's value type.
#[model]
pub enum InputType {
    /// Text.
    String,
    /// Number.
    Number,
    /// Boolean.
    Boolean,
    /// Array.
    Array,
    /// Object.
    Object,
    /// File.
    File,
    /// Several choices.
    Multiselect,
}

/// Constraints on a tool input.
#[model]
pub struct InputValidation {
    /// Minimum length.
    pub min_length: Option<f64>,
    /// Maximum length.
    pub max_length: Option<f64>,
    /// Regular expression.
    pub pattern: Option<String>,
    /// Minimum value.
    pub min: Option<f64>,
    /// Maximum value.
    pub max: Option<f64>,
}

/// One output of a tool.
#[model(subdocument)]
pub struct ToolOutput {
    /// Output id.
    #[field(required)]
    pub id: String,
    /// Label.
    #[field(required)]
    pub name: String,
    /// Value type.
    pub r#type: Option<String>,
    /// Help text.
    pub description: Option<String>,
}

/// One setting of a tool.
#[model(subdocument)]
pub struct ToolSetting {
    /// Setting id.
    #[field(required)]
    pub id: String,
    /// Label.
    #[field(required)]
    pub name: String,
    /// Value type.
    pub r#type: Option<String>,
    /// Default value, any JSON.
    pub default_value: Option<Value>,
}

/// A lifecycle hook of a tool.
#[model(subdocument)]
pub struct ToolHook {
    /// Hook name (`onExecute`).
    #[field(required)]
    pub name: String,
    /// Hook type.
    #[field(required)]
    pub r#type: String,
    /// Source code.
    #[field(required)]
    pub code: String,
}

/// A package a tool depends on.
#[model(subdocument)]
pub struct ToolDependency {
    /// Package name.
    #[field(required)]
    pub name: String,
    /// Version range.
    #[field(required)]
    pub version: String,
    /// Package registry.
    pub r#type: Option<PackageRegistry>,
}

/// A dependency's package registry.
#[model]
pub enum PackageRegistry {
    /// npm.
    Npm,
    /// PyPI.
    Pip,
    /// RubyGems.
    Gem,
}

/// A tool's assessed risk.
#[model]
pub enum RiskLevel {
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
}

/// 6.2 A user's review of a tool.
#[model(
    collection = "toolreviews",
    timestamps,
    owner = "userId",
    read = anyone,
    create = owner,
    update = owner,
    delete = owner
)]
#[index("toolId: 1, createdAt: -1")]
#[index("userId: 1")]
#[index("rating: -1")]
#[index("verified: 1")]
#[index("helpful: -1")]
pub struct ToolReview {
    /// The tool (`tools.id`).
    #[field(required, index)]
    pub tool_id: String,
    /// The reviewer.
    #[field(required, index)]
    pub user_id: String,
    /// Stars, 1-5.
    #[field(required, min = 1, max = 5)]
    pub rating: f64,
    /// Title, at most 100 UTF-16 units.
    #[field(required, maxlength = 100)]
    pub title: String,
    /// Review text.
    #[field(required)]
    pub content: String,
    /// Good points.
    pub pros: Vec<String>,
    /// Bad points.
    pub cons: Vec<String>,
    /// Version reviewed.
    pub version: Option<String>,
    /// "Helpful" votes.
    #[field(default = 0, protected)]
    pub helpful: Option<f64>,
    /// "Not helpful" votes.
    #[field(default = 0, protected)]
    pub not_helpful: Option<f64>,
    /// Reviewer verified.
    #[field(default = false, protected)]
    pub verified: Option<bool>,
    /// Screenshots and files.
    pub attachments: Vec<ReviewAttachment>,
}

/// A file attached to a review.
#[model(subdocument)]
pub struct ReviewAttachment {
    /// Attachment type.
    pub r#type: Option<AttachmentType>,
    /// Where the file is.
    #[field(required)]
    pub url: String,
    /// File name.
    pub filename: Option<String>,
}

/// A review attachment's type.
#[model]
pub enum AttachmentType {
    /// Image.
    Image,
    /// Video.
    Video,
    /// Other file.
    File,
}
