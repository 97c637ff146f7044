//! Two-factor sign-in: TOTP (RFC 6238: HMAC-SHA-1, 6 digits, 30-second
//! steps, through `totp-rs`) and single-use backup codes.
//!
//! Enrolment writes a new secret and 10 backup codes into
//! `tempTwoFactorSecret`/`tempBackupCodes`, answers the `otpauth://` URI and
//! the codes once, and moves them to `twoFactorSecret`/`backupCodes` when
//! the person proves their authenticator with a code. At rest the secret is
//! sealed with the server's key ([`crate::keyring`], AES-256-GCM, bound to
//! the user's `_id`); a backup code is kept as an HMAC-SHA-256 under that
//! key. A used code's entry becomes `used:<epoch ms>`: the list keeps its
//! length, so the users rule "a two-factor user has at least 8 backup codes"
//! keeps holding, and `GET /api/auth/2fa` says how many are left.
//!
//! A password sign-in of a two-factor user answers a challenge instead of
//! a session: the user's `_id`, the email's hash and an expiry, sealed with
//! the same key (nothing stored). `POST /api/auth/sign-in/2fa` opens it and
//! takes a code within one step either way of the server's clock, or an
//! unused backup code. Wrong codes are `two_factor_failed` auth events and
//! count toward the sign-in lockout like wrong passwords. A TOTP code signs
//! in once (RFC 6238 §5.2): each `two_factor_succeeded` event names its
//! step, and a code of a step already used is refused (a replay counts as a
//! failure).

use crate::auth::{self, Client};
use crate::body::JsonBody;
use crate::error::{ApiError, Result};
use crate::handlers::now;
use crate::keyring::KeyRing;
use crate::{AppState, Caller};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use bson::{doc, oid::ObjectId, Bson, Document};
use onelastai_models::Collection;
use serde_json::{json, Value};
use totp_rs::{Algorithm, TOTP};

/// Digits of a code.
pub const DIGITS: usize = 6;
/// Seconds of a step.
pub const STEP: u64 = 30;
/// Steps accepted either side of the server's (clock drift, typing time).
pub const SKEW: i64 = 1;
/// Backup codes made at enrolment.
pub const BACKUP_CODES: usize = 10;
/// How long a sign-in challenge lasts.
pub const CHALLENGE_TTL_MS: i64 = 5 * 60_000;
/// The issuer shown by authenticator apps.
const ISSUER: &str = "OneLastAI";
/// Associated data of sealed challenges (a sealed TOTP secret is bound to a
/// user's `_id` instead, so neither opens as the other).
const CHALLENGE_AAD: &[u8] = b"sign-in-challenge";
/// The prefix of a used backup code's entry.
const USED: &str = "used:";

fn totp(secret: Vec<u8>, account: &str) -> TOTP {
    TOTP::new_unchecked(
        Algorithm::SHA1,
        DIGITS,
        0,
        STEP,
        secret,
        Some(ISSUER.to_string()),
        account.to_string(),
    )
}

/// The code of `secret` at `unix_secs` (the unit tests' codes).
#[cfg(test)]
fn code_at(secret: &[u8], unix_secs: u64) -> String {
    totp(secret.to_vec(), "").generate(unix_secs)
}

/// Whether `code` is the code of `secret` within [`SKEW`] steps of `unix_secs`.
pub fn code_matches(secret: &[u8], code: &str, unix_secs: u64) -> bool {
    matching_step(secret, code, unix_secs).is_some()
}

/// The step (within [`SKEW`] of `unix_secs`) whose code `code` is.
fn matching_step(secret: &[u8], code: &str, unix_secs: u64) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let t = totp(secret.to_vec(), "");
    let mut found = None;
    for k in -SKEW..=SKEW {
        let at = unix_secs as i64 + k * STEP as i64;
        // Every candidate is compared (constant time in `totp-rs`), no early exit.
        if at >= 0 && t.check(&code, at as u64) {
            found = Some(at as u64 / STEP);
        }
    }
    found
}

/// A new backup code: 10 characters of base32 (50 bits), shown as `xxxxx-xxxxx`.
fn new_backup_code() -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let bytes = auth::random_bytes::<10>();
    let chars: String = bytes
        .iter()
        .map(|b| ALPHABET[usize::from(b % 32)] as char)
        .collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

/// A backup code as typed, reduced to what was issued (case, spaces and
/// dashes do not matter).
fn normalize_backup_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// What a backup code's keyed hash is taken of: the code bound to its user.
fn backup_message(user: ObjectId, code: &str) -> String {
    format!("{}:{}", user.to_hex(), normalize_backup_code(code))
}

fn backup_hash(keys: &KeyRing, user: ObjectId, code: &str) -> String {
    keys.mac(backup_message(user, code).as_bytes())
}

fn keys(app: &AppState) -> Result<&KeyRing> {
    app.totp_keys().ok_or_else(|| {
        ApiError::bad_request(
            "two_factor_unavailable",
            "two-factor sign-in is not configured on this server (TOTP_ENCRYPTION_KEY)",
        )
    })
}

async fn stored_user(app: &AppState, oid: ObjectId) -> Result<Document> {
    app.store()
        .find_by_id(Collection::Users.name(), oid, None)
        .await?
        .ok_or(ApiError::Unauthorized)
}

fn strings(doc: &Document, field: &str) -> Vec<String> {
    doc.get_array(field)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn unix_secs() -> Result<u64> {
    Ok(u64::try_from(now()?.millis() / 1000).unwrap_or(0))
}

/// What a code proved.
enum Proof {
    /// A TOTP code, of this step (unix seconds / 30).
    Totp(u64),
    /// The backup code at this index of `backupCodes`.
    Backup(usize),
}

/// Checks `code` against the user's enabled secret and unused backup codes.
/// Also says whether the secret was sealed with an old key.
fn check_code(
    keys: &KeyRing,
    user: &Document,
    oid: ObjectId,
    code: &str,
) -> Result<(Option<Proof>, bool)> {
    let sealed = user.get_str("twoFactorSecret").unwrap_or_default();
    let (secret, old_key) = keys
        .open(sealed, oid.to_hex().as_bytes())
        .map_err(|e| ApiError::internal(format!("two-factor secret of {oid}: {e}")))?;
    if let Some(step) = matching_step(&secret, code, unix_secs()?) {
        return Ok((Some(Proof::Totp(step)), old_key));
    }
    let wanted = backup_message(oid, code);
    let index = strings(user, "backupCodes")
        .iter()
        .position(|h| !h.starts_with(USED) && keys.mac_matches(h, wanted.as_bytes()));
    Ok((index.map(Proof::Backup), old_key))
}

/// Writes what a successful code changes: a backup code becomes used; a
/// secret sealed with an old key is sealed with the current one. `false`
/// when the user changed meanwhile (the code may have been used at once
/// elsewhere): the code is refused.
async fn spend(
    app: &AppState,
    keys: &KeyRing,
    user: &Document,
    oid: ObjectId,
    proof: &Proof,
    old_key: bool,
) -> Result<bool> {
    let mut set = Document::new();
    if let Proof::Backup(i) = proof {
        let mut codes = strings(user, "backupCodes");
        if let Some(slot) = codes.get_mut(*i) {
            *slot = format!("{USED}{}", now()?.millis());
        }
        set.insert("backupCodes", codes);
    }
    if old_key {
        let (secret, _) = keys
            .open(
                user.get_str("twoFactorSecret").unwrap_or_default(),
                oid.to_hex().as_bytes(),
            )
            .map_err(ApiError::internal)?;
        let resealed = keys
            .seal(&secret, oid.to_hex().as_bytes())
            .map_err(ApiError::internal)?;
        set.insert("twoFactorSecret", resealed);
    }
    if set.is_empty() {
        return Ok(true);
    }
    auth::write_user(app, user, set, &[]).await
}

/// The answer to a right password (or sign-in link) of a two-factor user:
/// `200 {twoFactorRequired: true, challenge, expiresAt}`.
pub fn challenge(app: &AppState, oid: ObjectId, email_hash: &str) -> Result<Response> {
    let keys = keys(app)?;
    let expires = now()?.millis() + CHALLENGE_TTL_MS;
    let payload = format!("{}|{email_hash}|{expires}", oid.to_hex());
    let sealed = keys
        .seal(payload.as_bytes(), CHALLENGE_AAD)
        .map_err(ApiError::internal)?;
    let challenge = URL_SAFE_NO_PAD.encode(sealed);
    let expires_at = onelastai_models::Date::from_millis(expires)
        .map(|d| d.to_iso_string())
        .unwrap_or_default();
    Ok((
        StatusCode::OK,
        Json(json!({
            "twoFactorRequired": true,
            "challenge": challenge,
            "expiresAt": expires_at,
        })),
    )
        .into_response())
}

/// The user and email hash of a live challenge.
fn open_challenge(keys: &KeyRing, challenge: &str) -> Result<(ObjectId, String)> {
    let refused = || {
        ApiError::bad_request(
            "invalid_challenge",
            "this sign-in has expired or is not valid; sign in again",
        )
    };
    let sealed = URL_SAFE_NO_PAD
        .decode(challenge.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(refused)?;
    let (plain, _) = keys.open(&sealed, CHALLENGE_AAD).map_err(|_| refused())?;
    let plain = String::from_utf8(plain).map_err(|_| refused())?;
    let mut parts = plain.split('|');
    let (Some(oid), Some(email_hash), Some(expires)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(refused());
    };
    let oid = ObjectId::parse_str(oid).map_err(|_| refused())?;
    let expires: i64 = expires.parse().map_err(|_| refused())?;
    if expires <= now()?.millis() {
        return Err(refused());
    }
    Ok((oid, email_hash.to_string()))
}

/// Whether the user already signed in with the TOTP code of `step` (RFC
/// 6238 §5.2: a code is accepted once). The successful sign-ins are the
/// `two_factor_succeeded` auth events, which name the step.
async fn totp_used(app: &AppState, user_id: &str, step: u64) -> Result<bool> {
    let step = i64::try_from(step).unwrap_or(i64::MAX);
    let used = app
        .store()
        .find_one(
            Collection::AnalyticsEvents.name(),
            doc! {
                "eventType": "auth",
                "eventName": "two_factor_succeeded",
                "userId": user_id,
                "properties.totpStep": step,
            },
            Some(doc! { "_id": 1 }),
        )
        .await?;
    Ok(used.is_some())
}

/// `POST /api/auth/sign-in/2fa {challenge, code}`: `200 {token, expiresAt,
/// user}`; `401 invalid_credentials` for a wrong code; `400
/// invalid_challenge`; `429 too_many_attempts`.
pub async fn sign_in(
    State(app): State<AppState>,
    Extension(client): Extension<Client>,
    body: std::result::Result<JsonBody, ApiError>,
) -> Result<Response> {
    let body = auth::small_object(&app, body?).await?;
    let challenge = auth::string_field(&body, "challenge")?;
    let code = auth::string_field(&body, "code")?;
    let keys = keys(&app)?;
    let (oid, email_hash) = open_challenge(keys, &challenge)?;
    if let Err(locked) = auth::check_lockout(&app, &email_hash, &client).await {
        if matches!(locked, ApiError::TooManyAttempts { .. }) {
            auth::record(&app, "sign_in_locked", None, &email_hash, &client).await;
        }
        return Err(locked);
    }
    let user = app
        .store()
        .find_one(
            Collection::Users.name(),
            doc! { "_id": oid, "isActive": { "$ne": false }, "twoFactorEnabled": true },
            None,
        )
        .await?
        .ok_or(ApiError::InvalidCredentials)?;
    let user_id = user.get_str("id").ok().map(str::to_string);
    let (proof, old_key) = check_code(keys, &user, oid, &code)?;
    let replayed = match (&proof, &user_id) {
        (Some(Proof::Totp(step)), Some(id)) => totp_used(&app, id, *step).await?,
        _ => false,
    };
    let spent = match &proof {
        Some(p) if !replayed => spend(&app, keys, &user, oid, p, old_key).await?,
        _ => false,
    };
    if !spent {
        auth::record(
            &app,
            "two_factor_failed",
            user_id.as_deref(),
            &email_hash,
            &client,
        )
        .await;
        return Err(ApiError::InvalidCredentials);
    }
    let mut properties = serde_json::Map::new();
    match proof {
        Some(Proof::Totp(step)) => {
            properties.insert("method".into(), json!("totp"));
            properties.insert("totpStep".into(), json!(step));
        }
        _ => {
            properties.insert("method".into(), json!("backup_code"));
        }
    }
    auth::record_with(
        &app,
        "two_factor_succeeded",
        user_id.as_deref(),
        &email_hash,
        &client,
        properties,
    )
    .await;
    auth::signed_in_now(&app, oid, &client).await
}

/// `GET /api/auth/2fa`: `{enabled, backupCodesLeft, pending}` of the caller.
pub async fn status(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Value>> {
    let me = auth::session_of(&caller)?;
    let user = stored_user(&app, me.oid).await?;
    let enabled = user.get_bool("twoFactorEnabled").unwrap_or(false);
    let left = if enabled {
        strings(&user, "backupCodes")
            .iter()
            .filter(|c| !c.starts_with(USED))
            .count()
    } else {
        0
    };
    Ok(Json(json!({
        "enabled": enabled,
        "backupCodesLeft": left,
        "pending": user.get_str("tempTwoFactorSecret").is_ok(),
        "available": app.totp_keys().is_some(),
    })))
}

/// `POST /api/auth/2fa/setup`: a new secret and 10 backup codes, kept in
/// the temporary fields until enabled: `{otpauthUri, secret, codes}` (the backup codes),
/// shown this once. `400 two_factor_enabled` when it is already on.
pub async fn setup(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Value>> {
    let me = auth::session_of(&caller)?;
    let keys = keys(&app)?;
    let user = stored_user(&app, me.oid).await?;
    if user.get_bool("twoFactorEnabled").unwrap_or(false) {
        return Err(ApiError::bad_request(
            "two_factor_enabled",
            "two-factor sign-in is already on; turn it off first to enrol again",
        ));
    }
    // 160 bits, the length RFC 4226 recommends for HMAC-SHA-1.
    let secret = auth::random_bytes::<20>().to_vec();
    let account = user.get_str("email").unwrap_or_default().to_string();
    let t = totp(secret.clone(), &account);
    let codes: Vec<String> = (0..BACKUP_CODES).map(|_| new_backup_code()).collect();
    let hashes: Vec<Bson> = codes
        .iter()
        .map(|c| Bson::String(backup_hash(keys, me.oid, c)))
        .collect();
    let sealed = keys
        .seal(&secret, me.oid.to_hex().as_bytes())
        .map_err(ApiError::internal)?;
    let set = doc! { "tempTwoFactorSecret": sealed, "tempBackupCodes": hashes };
    write(&app, &user, set, &[]).await?;
    Ok(Json(json!({
        "otpauthUri": t.get_url(),
        "secret": t.get_secret_base32(),
        "codes": codes,
    })))
}

/// `POST /api/auth/2fa/enable {code}`: a code of the pending secret turns
/// two-factor sign-in on (204); `400 invalid_code`, `400 no_pending_setup`.
pub async fn enable(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: std::result::Result<JsonBody, ApiError>,
) -> Result<StatusCode> {
    let me = auth::session_of(&caller)?;
    let body = auth::small_object(&app, body?).await?;
    let code = auth::string_field(&body, "code")?;
    let keys = keys(&app)?;
    let user = stored_user(&app, me.oid).await?;
    let Ok(sealed) = user.get_str("tempTwoFactorSecret") else {
        return Err(ApiError::bad_request(
            "no_pending_setup",
            "start with POST /api/auth/2fa/setup",
        ));
    };
    let (secret, _) = keys
        .open(sealed, me.oid.to_hex().as_bytes())
        .map_err(ApiError::internal)?;
    if !code_matches(&secret, &code, unix_secs()?) {
        return Err(ApiError::bad_request(
            "invalid_code",
            "that code does not match; check the authenticator app's clock and try the current code",
        ));
    }
    let resealed = keys
        .seal(&secret, me.oid.to_hex().as_bytes())
        .map_err(ApiError::internal)?;
    let codes: Vec<Bson> = strings(&user, "tempBackupCodes")
        .into_iter()
        .map(Bson::String)
        .collect();
    let set = doc! {
        "twoFactorSecret": resealed,
        "backupCodes": codes,
        "twoFactorEnabled": true,
    };
    write(
        &app,
        &user,
        set,
        &["tempTwoFactorSecret", "tempBackupCodes"],
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/auth/2fa/backup-codes {code}`: 10 new backup codes in place
/// of the old ones (all of which stop working), `{codes}`, shown this once.
/// The code is a TOTP or an unused backup code; wrong ones count toward the
/// lockout.
pub async fn new_backup_codes(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(client): Extension<Client>,
    body: std::result::Result<JsonBody, ApiError>,
) -> Result<Json<Value>> {
    let me = auth::session_of(&caller)?.clone();
    let body = auth::small_object(&app, body?).await?;
    let code = auth::string_field(&body, "code")?;
    let keys = keys(&app)?;
    let (user, email_hash) = enrolled_user(&app, me.oid, &client).await?;
    require_code(&app, keys, &user, &me, &code, &email_hash, &client).await?;
    let codes: Vec<String> = (0..BACKUP_CODES).map(|_| new_backup_code()).collect();
    let hashes: Vec<Bson> = codes
        .iter()
        .map(|c| Bson::String(backup_hash(keys, me.oid, c)))
        .collect();
    write(&app, &user, doc! { "backupCodes": hashes }, &[]).await?;
    Ok(Json(json!({ "codes": codes })))
}

/// The signed-in user's stored document and email hash, when two-factor
/// sign-in is on (400 otherwise) and the sign-in lockout allows a try.
async fn enrolled_user(
    app: &AppState,
    oid: ObjectId,
    client: &Client,
) -> Result<(Document, String)> {
    let user = stored_user(app, oid).await?;
    if !user.get_bool("twoFactorEnabled").unwrap_or(false) {
        return Err(ApiError::bad_request(
            "two_factor_disabled",
            "two-factor sign-in is not on",
        ));
    }
    let email_hash = auth::email_hash_of(&user);
    auth::check_lockout(app, &email_hash, client).await?;
    Ok((user, email_hash))
}

/// `auth::write_user` for a change the signed-in user asked for: `409
/// stale_version` when the user changed meanwhile (another request at once).
async fn write(app: &AppState, user: &Document, set: Document, unset: &[&str]) -> Result<()> {
    if auth::write_user(app, user, set, unset).await? {
        return Ok(());
    }
    Err(ApiError::Stale {
        expected: 0,
        current: 0,
    })
}

/// Refuses (`401`, a `two_factor_failed` event toward the lockout) a code
/// that is neither a TOTP code nor an unused backup code of the signed-in
/// user `me`; the code is not spent (what it confirms replaces or clears
/// the backup codes).
async fn require_code(
    app: &AppState,
    keys: &KeyRing,
    user: &Document,
    me: &auth::SessionUser,
    code: &str,
    email_hash: &str,
    client: &Client,
) -> Result<()> {
    if check_code(keys, user, me.oid, code)?.0.is_some() {
        return Ok(());
    }
    auth::record(app, "two_factor_failed", Some(&me.id), email_hash, client).await;
    Err(ApiError::InvalidCredentials)
}

/// `POST /api/auth/2fa/disable {password, code}`: turns two-factor sign-in
/// off (204). A password account gives its password; everyone gives a code
/// (TOTP or an unused backup code). Wrong codes count toward the lockout.
pub async fn disable(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(client): Extension<Client>,
    body: std::result::Result<JsonBody, ApiError>,
) -> Result<StatusCode> {
    let me = auth::session_of(&caller)?.clone();
    let body = auth::small_object(&app, body?).await?;
    let code = auth::string_field(&body, "code")?;
    let keys = keys(&app)?;
    let (user, email_hash) = enrolled_user(&app, me.oid, &client).await?;
    if let Ok(hash) = user.get_str("password") {
        let password = auth::string_field(&body, "password")?;
        if !app
            .hasher()
            .verify(password, Some(hash.to_string()))
            .await?
        {
            auth::record(&app, "sign_in_failed", Some(&me.id), &email_hash, &client).await;
            return Err(ApiError::InvalidCredentials);
        }
    }
    require_code(&app, keys, &user, &me, &code, &email_hash, &client).await?;
    let set = doc! { "twoFactorEnabled": false, "backupCodes": [] };
    write(
        &app,
        &user,
        set,
        &["twoFactorSecret", "tempTwoFactorSecret", "tempBackupCodes"],
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 rows (8 digits, the RFC's 20-byte key).
    #[test]
    fn rfc_6238_vectors() {
        let key = b"12345678901234567890".to_vec();
        let t = TOTP::new_unchecked(Algorithm::SHA1, 8, 0, 30, key, None, String::new());
        for (time, code) in [
            (59_u64, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(t.generate(time), code, "T={time}");
        }
    }

    #[test]
    fn one_step_either_way_and_no_more() {
        let secret = b"0123456789abcdefghij";
        let t = 1_700_000_015_u64;
        for (k, ok) in [
            (-2_i64, false),
            (-1, true),
            (0, true),
            (1, true),
            (2, false),
        ] {
            let at = (t as i64 + k * 30) as u64;
            assert_eq!(
                code_matches(secret, &code_at(secret, at), t),
                ok,
                "step {k}"
            );
        }
        assert!(!code_matches(secret, "12345", t));
        assert!(!code_matches(secret, "abcdef", t));
    }

    #[test]
    fn backup_codes_are_50_bits_and_forgiving_to_type() {
        let c = new_backup_code();
        assert_eq!(c.len(), 11);
        assert_eq!(
            normalize_backup_code(&c.to_uppercase().replace('-', " ")),
            c.replace('-', "")
        );
        assert_ne!(new_backup_code(), c);
    }
}
