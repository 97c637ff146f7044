//! The spec's indexes as data: names, key order, options, de-duplication.

use onelastai_models::{Collection, IndexSpec};

fn find(c: Collection, name: &str) -> IndexSpec {
    c.indexes()
        .into_iter()
        .find(|i| i.name == name)
        .unwrap_or_else(|| panic!("{c}: no index {name}"))
}

#[test]
fn names_follow_mongodb_and_keys_keep_their_order() {
    let ix = find(Collection::Users, "isActive_1_lastLoginAt_-1");
    assert_eq!(
        ix.keys,
        vec![("isActive".to_string(), 1), ("lastLoginAt".to_string(), -1)]
    );
    assert!(!ix.unique && !ix.sparse);
    let ix = find(Collection::Tools, "metadata.slug_1");
    assert!(ix.unique, "field-level unique inside a nested object");
    let ix = find(Collection::UserAchievements, "achievements.category_1");
    assert_eq!(
        ix.fields().collect::<Vec<_>>(),
        vec!["achievements.category"]
    );
}

#[test]
fn indexes_declared_twice_are_kept_once() {
    for c in Collection::ALL {
        let all = c.indexes();
        for (i, a) in all.iter().enumerate() {
            assert!(
                all[i + 1..].iter().all(|b| b.name != a.name),
                "{c}: {} declared twice",
                a.name
            );
        }
    }
    // `id: { unique: true }` and `index({ id: 1 }, { unique: true })`.
    let ids: Vec<_> = Collection::Users
        .indexes()
        .into_iter()
        .filter(|i| i.name == "id_1")
        .collect();
    assert_eq!(ids.len(), 1);
    assert!(ids[0].unique);
}

#[test]
fn stripe_subscription_id_stays_sparse() {
    // Field level: { sparse: true, index: true }; .index({ stripeSubscriptionId: 1 }) without
    // options. The first declaration is the one a Mongoose-built database holds.
    let ix = find(Collection::Subscriptions, "stripeSubscriptionId_1");
    assert!(ix.sparse && !ix.unique);
}

#[test]
fn every_collection_has_the_spec_index_count() {
    // Counted by hand from the spec: field-level declarations plus .index()
    // calls, minus the ones that repeat the same keys.
    let expected = [
        (Collection::Users, 9),
        (Collection::UserSessions, 4),
        (Collection::Subscriptions, 7),
        (Collection::SubscriptionPlans, 2),
        (Collection::ChatSessions, 6),
        (Collection::ChatMessages, 8),
        (Collection::AnalyticsEvents, 11),
        (Collection::ChatAnalytics, 7),
        (Collection::ToolUsageAnalytics, 6),
        (Collection::UserAchievements, 4),
        (Collection::UserRewards, 4),
        (Collection::Leaderboards, 3),
        (Collection::Tools, 9),
        (Collection::ToolReviews, 6),
        (Collection::Invoices, 5),
        (Collection::Payments, 6),
        (Collection::AppConfigs, 3),
    ];
    for (c, n) in expected {
        let names: Vec<_> = c.indexes().into_iter().map(|i| i.name).collect();
        assert_eq!(names.len(), n, "{c}: {names:?}");
    }
}
