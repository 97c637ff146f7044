//! The account-security routes in the route table: sign out everywhere,
//! two-factor enrolment and sign-in ([`crate::twofactor`]), password reset
//! and sign-in links ([`crate::links`]), and the development outbox.

use crate::openapi::{Body, Caller as May, Endpoint, Op, Routes};
use crate::{auth, links, twofactor};
use serde_json::json;

/// An object body of string fields, all required.
pub(crate) fn strings(names: &[&str]) -> Body {
    let properties: serde_json::Map<String, serde_json::Value> = names
        .iter()
        .map(|n| (n.to_string(), json!({ "type": "string" })))
        .collect();
    Body::Schema(json!({ "type": "object", "required": names, "properties": properties }))
}

/// The backup codes an answer shows: [`twofactor::BACKUP_CODES`] strings.
fn backup_codes() -> serde_json::Value {
    let n = twofactor::BACKUP_CODES;
    json!({ "type": "array", "items": { "type": "string" }, "minItems": n, "maxItems": n })
}

/// A session, or a two-factor challenge (sign-in and sign-in links).
pub(crate) fn session_or_challenge() -> Body {
    Body::Schema(json!({
        "oneOf": [
            {
                "type": "object",
                "required": ["token", "expiresAt", "user"],
                "properties": {
                    "token": { "type": "string", "description": "The session token: send it as `Authorization: Bearer <token>`. Shown once." },
                    "expiresAt": { "type": "string", "format": "date-time" },
                    "user": { "$ref": "#/components/schemas/User" },
                },
            },
            {
                "type": "object",
                "required": ["twoFactorRequired", "challenge", "expiresAt"],
                "properties": {
                    "twoFactorRequired": { "const": true },
                    "challenge": { "type": "string", "description": "Send it with a code to POST /api/auth/sign-in/2fa (5 minutes)." },
                    "expiresAt": { "type": "string", "format": "date-time" },
                },
            },
        ],
    }))
}

/// `{message}`: the answer of the link requests.
pub(crate) fn accepted() -> Body {
    Body::Schema(json!({
        "type": "object",
        "required": ["message"],
        "properties": { "message": { "type": "string" } },
    }))
}

/// `table` with the account-security endpoints added.
pub fn routes(table: Routes) -> Routes {
    table
        .add(Endpoint::new("/api/auth/sign-out-everywhere").post(
            auth::sign_out_everywhere,
            Op::new("signOutEverywhere", "End every session of the signed-in user")
                .describe("This session included: every token of the user is refused from now on.")
                .tag("auth")
                .caller(May::Session)
                .answers(204, "Signed out everywhere.", None),
        ))
        .add(Endpoint::new("/api/auth/sign-in/2fa").post(
            twofactor::sign_in,
            Op::new("signInTwoFactor", "Second sign-in step: a TOTP or backup code")
                .describe("`challenge` comes from a sign-in (or sign-in link) of a two-factor user. A TOTP code is accepted one 30-second step either side of the server's clock; a backup code works once. Wrong codes count toward the sign-in lockout.")
                .tag("auth")
                .body(strings(&["challenge", "code"]))
                .answers(200, "Signed in.", Some(session_or_challenge()))
                .errors(&[400, 401, 429]),
        ))
        .add(Endpoint::new("/api/auth/2fa").get(
            twofactor::status,
            Op::new("twoFactorStatus", "Whether two-factor sign-in is on, and backup codes left")
                .tag("auth")
                .caller(May::Session)
                .answers(
                    200,
                    "The caller's two-factor state.",
                    Some(Body::Schema(json!({
                        "type": "object",
                        "required": ["enabled", "backupCodesLeft", "pending", "available"],
                        "properties": {
                            "enabled": { "type": "boolean" },
                            "backupCodesLeft": { "type": "integer" },
                            "pending": { "type": "boolean", "description": "A setup waits for its first code." },
                            "available": { "type": "boolean", "description": "The server has a TOTP key." },
                        },
                    }))),
                ),
        ))
        .add(Endpoint::new("/api/auth/2fa/setup").post(
            twofactor::setup,
            Op::new("twoFactorSetup", "Start two-factor enrolment: a new secret and 10 backup codes")
                .describe("Shown this once; stored sealed (secret) and hashed (codes) until `enable` confirms them.")
                .tag("auth")
                .caller(May::Session)
                .answers(
                    200,
                    "The otpauth URI, the secret (for typing) and the backup codes.",
                    Some(Body::Schema(json!({
                        "type": "object",
                        "required": ["otpauthUri", "secret", "codes"],
                        "properties": {
                            "otpauthUri": { "type": "string" },
                            "secret": { "type": "string", "description": "Base32." },
                            "codes": backup_codes(),
                        },
                    }))),
                )
                .errors(&[400]),
        ))
        .add(Endpoint::new("/api/auth/2fa/enable").post(
            twofactor::enable,
            Op::new("twoFactorEnable", "Turn two-factor sign-in on with a code of the new secret")
                .tag("auth")
                .caller(May::Session)
                .body(strings(&["code"]))
                .answers(204, "On.", None)
                .errors(&[400, 409]),
        ))
        .add(Endpoint::new("/api/auth/2fa/backup-codes").post(
            twofactor::new_backup_codes,
            Op::new("twoFactorNewBackupCodes", "10 new backup codes in place of the old ones")
                .describe("Every earlier backup code stops working. The code is a TOTP or an unused backup code; wrong ones count toward the sign-in lockout.")
                .tag("auth")
                .caller(May::Session)
                .body(strings(&["code"]))
                .answers(
                    200,
                    "The new codes, shown this once.",
                    Some(Body::Schema(json!({
                        "type": "object",
                        "required": ["codes"],
                        "properties": {
                            "codes": backup_codes(),
                        },
                    }))),
                )
                .errors(&[400, 401, 429]),
        ))
        .add(Endpoint::new("/api/auth/2fa/disable").post(
            twofactor::disable,
            Op::new("twoFactorDisable", "Turn two-factor sign-in off (password and a code)")
                .describe("A password account sends `password` too; the code is a TOTP or an unused backup code.")
                .tag("auth")
                .caller(May::Session)
                .body(strings(&["code"]))
                .answers(204, "Off.", None)
                .errors(&[400, 401, 429]),
        ))
        .add(Endpoint::new("/api/auth/password-reset").post(
            links::password_reset,
            Op::new("passwordReset", "Mail a password-reset link")
                .describe("Always 202 with the same body, whether an account has the email or not; the link works once, for 1 hour. Limited like sign-in.")
                .tag("auth")
                .body(strings(&["email"]))
                .answers(202, "Accepted.", Some(accepted()))
                .errors(&[429]),
        ))
        .add(Endpoint::new("/api/auth/password-reset/confirm").post(
            links::password_reset_confirm,
            Op::new("passwordResetConfirm", "Set a new password with a reset link's token")
                .describe("The password meets the users rules; the token is used up and every session of the user ends.")
                .tag("auth")
                .body(strings(&["token", "password"]))
                .answers(204, "Changed.", None)
                .errors(&[400, 422]),
        ))
        .add(Endpoint::new("/api/auth/magic-link").post(
            links::magic_link,
            Op::new("magicLink", "Mail a sign-in link to a passwordless account")
                .describe("Always 202 with the same body; the link works once, for 15 minutes. Limited like sign-in.")
                .tag("auth")
                .body(strings(&["email"]))
                .answers(202, "Accepted.", Some(accepted()))
                .errors(&[429]),
        ))
        .add(Endpoint::new("/api/auth/magic-link/confirm").post(
            links::magic_link_confirm,
            Op::new("magicLinkConfirm", "Sign in with a sign-in link's token")
                .tag("auth")
                .body(strings(&["token"]))
                .answers(200, "Signed in, or the two-factor step.", Some(session_or_challenge()))
                .errors(&[400, 429]),
        ))
        .add(Endpoint::new("/api/dev/outbox").get(
            links::dev_outbox,
            Op::new("devOutbox", "DEVELOPMENT ONLY: the mail outbox")
                .describe("Exists only when mail is not sent by SMTP, which `APP_ENV=production` requires; 404 otherwise. Service token or an admin. `?to=<email>&limit=<n>`.")
                .tag("development")
                .caller(May::SessionOrService)
                .answers(200, "Messages, newest first.", Some(Body::Schema(json!({ "type": "object" }))))
                .errors(&[401, 403, 404]),
        ))
}
