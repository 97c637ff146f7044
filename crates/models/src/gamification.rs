//! Spec section 5, Gamification: `userachievements`, `userrewards`, `leaderboards`.

use crate::{model, Date};
use std::collections::BTreeMap;

/// 5.1 A user's achievements and badges.
#[model(
    collection = "userachievements",
    timestamps,
    owner = "userId",
    read = owner,
    create = admin,
    update = admin,
    delete = admin
)]
#[index("userId: 1", unique)]
#[index("totalPoints: -1")]
#[index("masteryLevel: 1")]
#[index("achievements.category: 1")]
pub struct UserAchievements {
    /// The user.
    #[field(required, unique)]
    pub user_id: String,
    /// Unlocked achievements.
    pub achievements: Vec<Achievement>,
    /// Points from achievements.
    #[field(default = 0)]
    pub total_points: Option<f64>,
    /// Achievements unlocked.
    #[field(default = 0)]
    pub total_unlocked: Option<f64>,
    /// Achievements that exist.
    #[field(default = 50)]
    pub total_possible: Option<f64>,
    /// Progress towards each achievement, by achievement id.
    pub progress: Option<BTreeMap<String, f64>>,
    /// Most recent unlock.
    pub last_unlocked_at: Option<Date>,
    /// Days in a row with activity.
    #[field(default = 0)]
    pub current_streak: Option<f64>,
    /// Mastery level.
    #[field(default = "novice")]
    pub mastery_level: Option<MasteryLevel>,
}

/// One unlocked achievement.
#[model(subdocument)]
pub struct Achievement {
    /// Achievement id (`first-agent`).
    #[field(required)]
    pub id: String,
    /// Name.
    #[field(required)]
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Icon (an emoji).
    pub icon: Option<String>,
    /// Category.
    pub category: Option<AchievementCategory>,
    /// Points awarded.
    #[field(default = 0)]
    pub points: Option<f64>,
    /// Rarity.
    pub rarity: Option<Rarity>,
    /// When it was unlocked.
    #[field(default = now)]
    pub unlocked_at: Option<Date>,
    /// What unlocks it.
    pub requirements: Option<Requirements>,
}

/// What unlocks an achievement.
#[model]
pub struct Requirements {
    /// Requirement type (`agentUsage`).
    #[field(required)]
    pub r#type: String,
    /// Threshold.
    #[field(required)]
    pub value: f64,
    /// Metric measured.
    pub metric: Option<String>,
}

/// An achievement's category.
#[model]
pub enum AchievementCategory {
    /// Trying things.
    Explorer,
    /// Talking a lot.
    Communicator,
    /// Mastery.
    Master,
    /// The rarest.
    Legend,
}

/// How rare an achievement or item is.
#[model]
pub enum Rarity {
    /// Common.
    Common,
    /// Uncommon.
    Uncommon,
    /// Rare.
    Rare,
    /// Epic.
    Epic,
    /// Legendary.
    Legendary,
}

/// A user's mastery level.
#[model]
pub enum MasteryLevel {
    /// Starting out.
    Novice,
    /// Beginner.
    Beginner,
    /// Intermediate.
    Intermediate,
    /// Advanced.
    Advanced,
    /// Expert.
    Expert,
    /// Master.
    Master,
}

/// 5.2 A user's points, items and transactions.
#[model(
    collection = "userrewards",
    timestamps,
    owner = "userId",
    read = owner,
    create = admin,
    update = admin,
    delete = admin
)]
#[index("userId: 1", unique)]
#[index("totalPoints: -1")]
#[index("availablePoints: -1")]
#[index("inventory.type: 1")]
pub struct UserRewards {
    /// The user.
    #[field(required, unique)]
    pub user_id: String,
    /// Points ever earned, not negative.
    #[field(default = 0, min = 0)]
    pub total_points: Option<f64>,
    /// Points that can be spent, not negative.
    #[field(default = 0, min = 0)]
    pub available_points: Option<f64>,
    /// Points spent, not negative.
    #[field(default = 0, min = 0)]
    pub spent_points: Option<f64>,
    /// Items.
    pub inventory: Vec<InventoryItem>,
    /// Point movements.
    pub transactions: Vec<RewardTransaction>,
    /// Cosmetics in use.
    pub active_cosmetics: Option<ActiveCosmetics>,
    /// Totals.
    pub stats: Option<RewardStats>,
}

/// An item in a user's inventory.
#[model(subdocument)]
pub struct InventoryItem {
    /// Item id (`frame-gold`).
    #[field(required)]
    pub id: String,
    /// Name.
    #[field(required)]
    pub name: String,
    /// Item type.
    pub r#type: Option<ItemType>,
    /// Price in points.
    #[field(required)]
    pub price: f64,
    /// Rarity.
    pub rarity: Option<Rarity>,
    /// Whether the user owns it.
    #[field(default = false)]
    pub owned: Option<bool>,
    /// Preview URL.
    pub preview: Option<String>,
}

/// An inventory item's type.
#[model]
pub enum ItemType {
    /// Cosmetic.
    Cosmetic,
    /// Badge.
    Badge,
    /// Theme.
    Theme,
    /// Profile frame.
    Frame,
    /// Name effect.
    Effect,
    /// Exclusive item.
    Exclusive,
}

/// A movement of points.
#[model(subdocument)]
pub struct RewardTransaction {
    /// Transaction id.
    #[field(required)]
    pub id: String,
    /// When it happened.
    #[field(default = now)]
    pub timestamp: Option<Date>,
    /// Transaction type.
    pub r#type: Option<TransactionType>,
    /// Points moved.
    #[field(required)]
    pub amount: f64,
    /// Description.
    #[field(required)]
    pub description: String,
    /// Related item id.
    pub related_item: Option<String>,
    /// Whether it can be refunded.
    #[field(default = false)]
    pub refundable: Option<bool>,
}

/// A point transaction's type.
#[model]
pub enum TransactionType {
    /// Bought an item.
    Purchase,
    /// Earned points.
    Earn,
    /// Refunded a purchase.
    Refund,
    /// Bonus points.
    Bonus,
    /// Event reward.
    Event,
}

/// Cosmetics a user has switched on.
#[model]
pub struct ActiveCosmetics {
    /// Profile frame item id.
    pub profile_frame: Option<String>,
    /// Profile theme item id.
    pub profile_theme: Option<String>,
    /// Name effect item id.
    pub name_effect: Option<String>,
    /// Achievements shown on the profile.
    pub achievements: Vec<String>,
}

/// Reward totals.
#[model]
pub struct RewardStats {
    /// Points earned.
    #[field(default = 0)]
    pub total_earned: Option<f64>,
    /// Points spent.
    #[field(default = 0)]
    pub total_spent: Option<f64>,
    /// Items owned.
    #[field(default = 0)]
    pub items_owned: Option<f64>,
    /// Refunds used.
    #[field(default = 0)]
    pub refunds_used: Option<f64>,
}

/// 5.3 A ranking of users for one category and period.
#[model(
    collection = "leaderboards",
    timestamps,
    read = anyone,
    create = admin,
    update = admin,
    delete = admin
)]
#[index("category: 1, period: 1", unique)]
#[index("rankings.userId: 1")]
#[index("lastUpdated: -1")]
pub struct Leaderboard {
    /// What is ranked.
    #[field(required)]
    pub category: LeaderboardCategory,
    /// Over which period.
    #[field(required)]
    pub period: LeaderboardPeriod,
    /// The ranking, best first.
    pub rankings: Vec<Ranking>,
    /// Users taking part.
    #[field(default = 0)]
    pub total_participants: Option<f64>,
    /// Last recomputation.
    #[field(default = now)]
    pub last_updated: Option<Date>,
    /// Next recomputation.
    #[field(required)]
    pub next_update: Date,
}

/// One user's place on a leaderboard.
#[model(subdocument)]
pub struct Ranking {
    /// The user.
    #[field(required)]
    pub user_id: String,
    /// User name shown.
    #[field(required)]
    pub username: String,
    /// Score.
    #[field(required)]
    pub score: f64,
    /// Rank, 1 is best.
    #[field(required)]
    pub rank: f64,
    /// Avatar URL.
    pub avatar: Option<String>,
    /// Places gained since last time.
    #[field(default = 0)]
    pub change: Option<f64>,
    /// Direction of change.
    #[field(default = "same")]
    pub trend: Option<Trend>,
}

/// What a leaderboard ranks.
#[model]
pub enum LeaderboardCategory {
    /// Points.
    Points,
    /// Achievements.
    Achievements,
    /// Streak.
    Streak,
    /// Messages sent.
    Messages,
    /// Tokens used.
    Tokens,
}

/// A leaderboard's period.
#[model]
pub enum LeaderboardPeriod {
    /// Today.
    Daily,
    /// This week.
    Weekly,
    /// This month.
    Monthly,
    /// Ever.
    AllTime,
}

/// Direction of a rank change.
#[model]
pub enum Trend {
    /// Climbing.
    Up,
    /// Falling.
    Down,
    /// Unchanged.
    Same,
}
