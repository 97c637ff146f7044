//! Spec section 1, User Management: `users` and `usersessions`.

use crate::engine::CrossFieldCheck;
use crate::json::{self, Json, Object};
use crate::{js, model, Date, FieldError, ObjectId};

/// 1.1 A user account with authentication and profile data.
#[model(
    collection = "users",
    timestamps,
    check = USER_PRE_SAVE,
    owner = "id",
    read = owner,
    create = admin,
    update = owner,
    delete = owner
)]
#[index("id: 1", unique)]
#[index("email: 1", unique)]
#[index("sessionId: 1")]
#[index("resetPasswordToken: 1")]
#[index("socialLinks.twitter: 1")]
#[index("socialLinks.github: 1")]
#[index("role: 1")]
#[index("isActive: 1, lastLoginAt: -1")]
#[index("createdAt: -1")]
pub struct User {
    /// Application id (`user_1234567890`).
    #[field(required, unique)]
    pub id: String,
    /// Login email, stored lowercase; must match the spec's email format.
    #[field(required, unique, lowercase)]
    pub email: String,
    /// Display name, trimmed.
    #[field(trim)]
    pub name: Option<String>,
    /// Plaintext on input (at least 8 characters for password auth); the server stores a hash.
    #[field(hashed, protected)]
    pub password: Option<String>,
    /// How the user signs in.
    #[field(default = "password")]
    pub auth_method: Option<AuthMethod>,
    /// Whether the email address is confirmed.
    #[field(default = false, protected)]
    pub email_verified: Option<bool>,
    /// Avatar URL.
    pub avatar: Option<String>,
    /// Short biography, at most 500 UTF-16 units.
    #[field(maxlength = 500)]
    pub bio: Option<String>,
    /// Phone number.
    pub phone_number: Option<String>,
    /// Free-text location.
    pub location: Option<String>,
    /// IANA time zone.
    pub timezone: Option<String>,
    /// Profession.
    pub profession: Option<String>,
    /// Company.
    pub company: Option<String>,
    /// Personal website.
    pub website: Option<String>,
    /// Social profiles.
    pub social_links: Option<SocialLinks>,
    /// Notification preferences.
    pub preferences: Option<Preferences>,
    /// Last successful login.
    #[field(protected)]
    pub last_login_at: Option<Date>,
    /// Whether the account is active.
    #[field(default = true, protected)]
    pub is_active: Option<bool>,
    /// Authorisation role.
    #[field(default = "user", protected)]
    pub role: Option<Role>,
    /// Password reset token (hash). Secret: never returned by the server.
    #[field(secret, protected)]
    pub reset_password_token: Option<String>,
    /// When the reset token expires.
    #[field(protected)]
    pub reset_password_expires: Option<Date>,
    /// Current session id.
    #[field(protected)]
    pub session_id: Option<String>,
    /// When the current session expires.
    #[field(protected)]
    pub session_expiry: Option<Date>,
    /// Two-factor authentication switched on (needs at least 8 backup codes).
    #[field(default = false, protected)]
    pub two_factor_enabled: Option<bool>,
    /// Encrypted TOTP secret. Secret.
    #[field(secret, protected)]
    pub two_factor_secret: Option<String>,
    /// TOTP secret during enrolment. Secret.
    #[field(secret, protected)]
    pub temp_two_factor_secret: Option<String>,
    /// Two-factor backup codes. Secret.
    #[field(secret, protected)]
    pub backup_codes: Vec<String>,
    /// Backup codes during enrolment. Secret.
    #[field(secret, protected)]
    pub temp_backup_codes: Vec<String>,
    /// When the user joined.
    #[field(default = now, protected)]
    pub joined_at: Option<Date>,
}

/// How a user signs in.
#[model]
pub enum AuthMethod {
    /// Email and password.
    Password,
    /// Magic link.
    Passwordless,
}

/// A user's role.
#[model]
pub enum Role {
    /// A regular user.
    User,
    /// Full administration.
    Admin,
    /// Moderation rights.
    Moderator,
}

/// A user's social profiles.
#[model]
pub struct SocialLinks {
    /// LinkedIn URL.
    pub linkedin: Option<String>,
    /// Twitter handle.
    pub twitter: Option<String>,
    /// GitHub user name.
    pub github: Option<String>,
}

/// Notification preferences.
#[model]
pub struct Preferences {
    /// Email notifications.
    #[field(default = true)]
    pub email_notifications: Option<bool>,
    /// SMS notifications.
    #[field(default = false)]
    pub sms_notifications: Option<bool>,
    /// Marketing emails.
    #[field(default = true)]
    pub marketing_emails: Option<bool>,
    /// Product update emails.
    #[field(default = true)]
    pub product_updates: Option<bool>,
}

/// The spec's `/^[^\s@]+@[^\s@]+\.[^\s@]+$/`, with JavaScript's `\s`.
pub fn is_valid_email(s: &str) -> bool {
    let ok =
        |part: &str| !part.is_empty() && !part.chars().any(|c| c == '@' || js::is_whitespace(c));
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    // The domain needs a dot with at least one character on each side.
    ok(local)
        && ok(domain)
        && domain
            .char_indices()
            .any(|(i, c)| c == '.' && i > 0 && i + 1 < domain.len())
}

/// Messages of the spec's `pre('save')` rules.
pub const INVALID_EMAIL: &str = "Invalid email format";
/// See [`INVALID_EMAIL`].
pub const PASSWORD_TOO_SHORT: &str = "Password must be at least 8 characters";
/// See [`INVALID_EMAIL`].
pub const TOO_FEW_BACKUP_CODES: &str = "Two-factor enabled users must have at least 8 backup codes";

/// The spec's `userSchema.pre('save')` rules, run at validation time so a
/// form learns them before saving (see COMPATIBILITY.md). All of them are
/// reported, not only the first.
const USER_PRE_SAVE: CrossFieldCheck = CrossFieldCheck {
    reads: &[
        "email",
        "authMethod",
        "password",
        "twoFactorEnabled",
        "backupCodes",
    ],
    run: user_pre_save,
};

/// [`USER_PRE_SAVE`]'s rule.
fn user_pre_save(doc: &Object<'_>) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let field = |name: &str| json::get(doc, name);
    let email = field("email");
    if !email.and_then(Json::as_str).is_some_and(is_valid_email) {
        errors.push(FieldError::user_defined(
            "email",
            INVALID_EMAIL,
            email.map(Json::to_value),
        ));
    }
    let password_auth = field("authMethod").and_then(Json::as_str) == Some("password");
    // The spec checks only a non-empty password; an empty or null one given
    // explicitly is refused too (COMPATIBILITY.md, `users-empty-password`):
    // stored, it would mean a password-auth account without a password.
    let too_short = match field("password") {
        Some(Json::String(p)) => js::utf16_len(p) < 8,
        Some(Json::Null) => true,
        _ => false,
    };
    if password_auth && too_short {
        // The password itself is never echoed back.
        errors.push(FieldError::user_defined(
            "password",
            PASSWORD_TOO_SHORT,
            None,
        ));
    }
    if field("twoFactorEnabled") == Some(&Json::Bool(true)) {
        let codes = field("backupCodes")
            .and_then(Json::as_array)
            .map_or(0, <[Json]>::len);
        if codes < 8 {
            errors.push(FieldError::user_defined(
                "backupCodes",
                TOO_FEW_BACKUP_CODES,
                field("backupCodes").map(Json::to_value),
            ));
        }
    }
    errors
}

/// 1.2 An authentication session.
#[model(
    collection = "usersessions",
    timestamps,
    owner = "userId",
    read = owner,
    create = admin,
    update = admin,
    delete = owner
)]
#[index("userId: 1, createdAt: -1")]
#[index("sessionId: 1", unique)]
#[index("expiresAt: 1")]
#[index("isActive: 1, lastActivityAt: -1")]
pub struct UserSession {
    /// The user (`users._id`).
    #[field(required)]
    pub user_id: ObjectId,
    /// Session id.
    #[field(required, unique)]
    pub session_id: String,
    /// Client IP address.
    pub ip_address: Option<String>,
    /// Client user agent.
    pub user_agent: Option<String>,
    /// Device class.
    pub device_type: Option<DeviceType>,
    /// Browser name.
    pub browser: Option<String>,
    /// Operating system.
    pub os: Option<String>,
    /// Where the session comes from.
    pub location: Option<SessionLocation>,
    /// Whether the session is live.
    #[field(default = true)]
    pub is_active: Option<bool>,
    /// When the session expires.
    #[field(required)]
    pub expires_at: Date,
    /// Last request in this session.
    #[field(default = now)]
    pub last_activity_at: Option<Date>,
}

/// A device class.
#[model]
pub enum DeviceType {
    /// Desktop or laptop.
    Desktop,
    /// Phone.
    Mobile,
    /// Tablet.
    Tablet,
}

/// Where a session comes from.
#[model]
pub struct SessionLocation {
    /// Country code.
    pub country: Option<String>,
    /// City.
    pub city: Option<String>,
    /// IANA time zone.
    pub timezone: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::is_valid_email;

    #[test]
    fn email_rule_is_the_spec_regex() {
        for ok in [
            "a@b.co",
            "user@example.com",
            "a.b@c.d.e",
            "x@y..z",
            "ü@ö.de",
        ] {
            assert!(is_valid_email(ok), "{ok}");
        }
        for bad in [
            "",
            "a@b",
            "@b.co",
            "a@.co",
            "a@b.",
            "a b@c.d",
            "a@b@c.d",
            "a@b.c\u{a0}",
            "ab.cd",
        ] {
            assert!(!is_valid_email(bad), "{bad}");
        }
    }
}
