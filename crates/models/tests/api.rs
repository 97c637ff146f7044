//! The public API around the engine: one field at a time, typed documents,
//! the collection registry.

use onelastai_models::users::{AuthMethod, Role, User};
use onelastai_models::{validate_as, Collection, Date, ErrorKind};
use serde_json::json;

fn now() -> Date {
    Date::parse_iso("2024-01-15T10:30:00Z").unwrap_or_else(|| unreachable!())
}

fn kinds(errors: &[onelastai_models::FieldError]) -> Vec<(String, ErrorKind)> {
    errors.iter().map(|e| (e.path.clone(), e.kind)).collect()
}

#[test]
fn one_field_reports_only_its_own_errors() {
    let users = Collection::Users;
    let e = users.validate_path("email", &json!("ann@example"), None, now());
    assert_eq!(
        kinds(&e.unwrap_or_default()),
        vec![("email".into(), ErrorKind::UserDefined)]
    );
    let ok = users.validate_path("email", &json!("Ann@Example.com"), None, now());
    assert_eq!(
        ok.map(|e| e.len()),
        Ok(0),
        "other required fields are not reported"
    );

    // The password rule depends on authMethod: default password, or the form's choice.
    let short = json!("abc");
    let e = users
        .validate_path("password", &short, None, now())
        .unwrap_or_default();
    assert_eq!(kinds(&e), vec![("password".into(), ErrorKind::UserDefined)]);
    assert!(e[0].value.is_none(), "a password is never echoed back");
    let form = json!({"authMethod": "passwordless"});
    let e = users.validate_path("password", &short, Some(&form), now());
    assert_eq!(e.map(|e| e.len()), Ok(0));
}

#[test]
fn one_nested_array_field_has_its_full_path() {
    let e = Collection::Tools
        .validate_path("config.inputs.1.type", &json!("text"), None, now())
        .unwrap_or_default();
    assert_eq!(
        kinds(&e),
        vec![("config.inputs.1.type".into(), ErrorKind::Enum)]
    );
    assert_eq!(
        e[0].message,
        "`text` is not a valid enum value for path `type`."
    );
}

#[test]
fn unknown_paths_are_refused() {
    let e = Collection::Users.validate_path("nickname", &json!("x"), None, now());
    assert!(e.is_err());
    assert!(Collection::Tools
        .validate_path("config.inputs.x.type", &json!(1), None, now())
        .is_err());
}

#[test]
fn typed_documents_come_out_normalised() {
    let input = json!({"id": "user_1", "email": "ADA@EXAMPLE.COM", "name": "  Ada  ", "extra": 1});
    let user: User = validate_as(&input, now()).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(user.email, "ada@example.com");
    assert_eq!(user.name.as_deref(), Some("Ada"));
    assert_eq!(user.auth_method, Some(AuthMethod::Password));
    assert_eq!(user.role, Some(Role::User));
    assert_eq!(user.joined_at, Some(now()));
    assert!(user.backup_codes.is_empty());
}

#[test]
fn the_registry_names_all_seventeen_collections() {
    let names: Vec<&str> = Collection::ALL.iter().map(|c| c.name()).collect();
    assert_eq!(
        names,
        [
            "users",
            "usersessions",
            "subscriptions",
            "subscriptionplans",
            "chatsessions",
            "chatmessages",
            "analyticsevents",
            "chatanalytics",
            "toolusageanalytics",
            "userachievements",
            "userrewards",
            "leaderboards",
            "tools",
            "toolreviews",
            "invoices",
            "payments",
            "appconfigs"
        ]
    );
    for c in Collection::ALL {
        assert_eq!(Collection::from_name(c.name()), Some(c));
        assert_eq!(Collection::from_route(c.route()), Some(c));
        assert_eq!(c.schema().collection, Some(c.name()));
    }
    let err = "user"
        .parse::<Collection>()
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("usersessions"),
        "the error lists the valid names: {err}"
    );
}

#[test]
fn secrets_are_declared_on_the_fields() {
    let users: Vec<&str> = Collection::Users.schema().secret_fields().collect();
    assert_eq!(
        users,
        [
            "password",
            "resetPasswordToken",
            "twoFactorSecret",
            "tempTwoFactorSecret",
            "backupCodes",
            "tempBackupCodes"
        ]
    );
    for c in Collection::ALL
        .into_iter()
        .filter(|c| *c != Collection::Users)
    {
        assert_eq!(c.schema().secret_fields().count(), 0, "{c}");
    }
}

#[test]
fn mixed_values_nest_at_most_100_levels() {
    // `levels` arrays around a number: the value nests `levels` deep.
    let nested =
        |levels: usize| (0..levels).fold(serde_json::json!(1), |v, _| serde_json::json!([v]));
    let at = |levels: usize| {
        Collection::AppConfigs.validate(
            &serde_json::json!({"key": "k", "value": nested(levels)}),
            now(),
        )
    };
    assert!(at(0).is_ok());
    assert!(at(100).is_ok());
    let errors = at(101).err().unwrap_or_default();
    assert_eq!(kinds(&errors), vec![("value".to_string(), ErrorKind::Cast)]);
    assert!(errors[0].message.contains("nested deeper than 100 levels"));
    // An empty array innermost counts like the number did.
    let around_empty = |levels: usize| {
        let value = (0..levels).fold(serde_json::json!([]), |v, _| serde_json::json!([v]));
        Collection::AppConfigs.validate(&serde_json::json!({"key": "k", "value": value}), now())
    };
    assert!(around_empty(100).is_ok());
    assert!(around_empty(101).is_err());
}
