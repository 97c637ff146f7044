//! The server's keys for account secrets: what seals a TOTP secret at rest,
//! keys the backup-code hashes and seals the two-step sign-in challenge.
//!
//! `TOTP_ENCRYPTION_KEY` is `<id>:<base64 of 32 random bytes>`; new values
//! are sealed with it. `TOTP_ENCRYPTION_OLD_KEYS` lists earlier keys the same
//! way (comma-separated), used only to open what they sealed. A sealed value
//! is `v1:<id>:<base64url(nonce ‖ ciphertext ‖ tag)>` (AES-256-GCM, 96-bit
//! random nonce, the owner's `_id` as associated data, so a sealed secret
//! copied onto another user does not open). Rotation: put the current key in
//! the old list, set a new current key, restart; a value sealed with an old
//! key is sealed again with the current one the next time it is used
//! (sign-in), and the old key can be dropped once nothing names it (see the
//! server README for the query).

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The version prefix of a sealed value.
const VERSION: &str = "v1";

/// One key and its id.
#[derive(Clone)]
struct Key {
    id: String,
    bytes: [u8; 32],
}

/// The current key and the old ones.
#[derive(Clone)]
pub struct KeyRing {
    current: Key,
    old: Vec<Key>,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Key ids only: the keys are secrets.
        f.debug_struct("KeyRing")
            .field("current", &self.current.id)
            .field("old", &self.old.iter().map(|k| &k.id).collect::<Vec<_>>())
            .finish()
    }
}

/// Why a key setting or a sealed value is unusable.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
    /// A key setting is not `<id>:<base64 of 32 bytes>`.
    #[error("expected <id>:<base64 of 32 bytes> (id: letters, digits, - or _), got {0}")]
    BadKey(String),
    /// Two keys share an id.
    #[error("key id {0:?} is given twice")]
    DuplicateId(String),
    /// The sealed value is not `v1:<id>:<data>`.
    #[error("not a sealed value")]
    Malformed,
    /// No key has the sealed value's id.
    #[error("no key with id {0:?} (was it dropped from TOTP_ENCRYPTION_OLD_KEYS?)")]
    UnknownKey(String),
    /// The key, the data or the associated data do not match.
    #[error("the sealed value does not open with its key")]
    Tampered,
}

fn parse_key(s: &str) -> Result<Key, KeyError> {
    let bad = || KeyError::BadKey(format!("a value of {} characters", s.len()));
    let (id, b64) = s.trim().split_once(':').ok_or_else(bad)?;
    let id_ok = !id.is_empty()
        && id.len() <= 32
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !id_ok {
        return Err(bad());
    }
    let bytes = STANDARD
        .decode(b64.trim())
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .ok_or_else(bad)?;
    Ok(Key {
        id: id.to_string(),
        bytes,
    })
}

impl KeyRing {
    /// The ring of `TOTP_ENCRYPTION_KEY` (`current`) and
    /// `TOTP_ENCRYPTION_OLD_KEYS` (`old`, comma-separated).
    pub fn parse(current: &str, old: Option<&str>) -> Result<Self, KeyError> {
        let current = parse_key(current)?;
        let mut old_keys: Vec<Key> = Vec::new();
        for part in old.unwrap_or_default().split(',').map(str::trim) {
            if part.is_empty() {
                continue;
            }
            let key = parse_key(part)?;
            if key.id == current.id || old_keys.iter().any(|k| k.id == key.id) {
                return Err(KeyError::DuplicateId(key.id));
            }
            old_keys.push(key);
        }
        Ok(Self {
            current,
            old: old_keys,
        })
    }

    /// The id of the key new values are sealed with.
    pub fn current_id(&self) -> &str {
        &self.current.id
    }

    fn key(&self, id: &str) -> Result<&Key, KeyError> {
        std::iter::once(&self.current)
            .chain(&self.old)
            .find(|k| k.id == id)
            .ok_or_else(|| KeyError::UnknownKey(id.to_string()))
    }

    /// `plaintext` sealed with the current key, bound to `aad`.
    pub fn seal(&self, plaintext: &[u8], aad: &[u8]) -> Result<String, KeyError> {
        let cipher = Aes256Gcm::new((&self.current.bytes).into());
        let nonce_bytes = crate::auth::random_bytes::<12>();
        let nonce = Nonce::from_slice(&nonce_bytes);
        let sealed = cipher
            .encrypt(
                nonce,
                Payload {
                    msg: plaintext,
                    aad,
                },
            )
            .map_err(|_| KeyError::Tampered)?;
        let mut data = nonce_bytes.to_vec();
        data.extend(sealed);
        Ok(format!(
            "{VERSION}:{}:{}",
            self.current.id,
            URL_SAFE_NO_PAD.encode(data)
        ))
    }

    /// Opens a value [`KeyRing::seal`] made with any key of the ring, and
    /// says whether it was sealed with an old key (to seal it again).
    pub fn open(&self, sealed: &str, aad: &[u8]) -> Result<(Vec<u8>, bool), KeyError> {
        let mut parts = sealed.splitn(3, ':');
        let (Some(VERSION), Some(id), Some(data)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(KeyError::Malformed);
        };
        let key = self.key(id)?;
        let data = URL_SAFE_NO_PAD
            .decode(data)
            .map_err(|_| KeyError::Malformed)?;
        if data.len() < 12 + 16 {
            return Err(KeyError::Malformed);
        }
        let (nonce, ciphertext) = data.split_at(12);
        let cipher = Aes256Gcm::new((&key.bytes).into());
        let plain = cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad,
                },
            )
            .map_err(|_| KeyError::Tampered)?;
        Ok((plain, key.id != self.current.id))
    }

    /// `<id>:<hex HMAC-SHA-256(key, data)>` with the current key: a keyed
    /// hash, so a leaked database alone does not let anyone test guesses.
    pub fn mac(&self, data: &[u8]) -> String {
        format!("{}:{}", self.current.id, mac_hex(&self.current, data))
    }

    /// Whether `stored` (from [`KeyRing::mac`], with any key of the ring) is
    /// the keyed hash of `data` (constant time).
    pub fn mac_matches(&self, stored: &str, data: &[u8]) -> bool {
        let Some((id, hex_mac)) = stored.split_once(':') else {
            return false;
        };
        let Ok(key) = self.key(id) else {
            return false;
        };
        let Ok(expected) = hex::decode(hex_mac) else {
            return false;
        };
        let Ok(mut m) = <Hmac<Sha256> as Mac>::new_from_slice(&key.bytes) else {
            return false;
        };
        m.update(data);
        m.verify_slice(&expected).is_ok()
    }
}

fn mac_hex(key: &Key, data: &[u8]) -> String {
    match <Hmac<Sha256> as Mac>::new_from_slice(&key.bytes) {
        Ok(mut m) => {
            m.update(data);
            hex::encode(m.finalize().into_bytes())
        }
        // HMAC takes keys of any length; this cannot happen.
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: &str, byte: u8) -> String {
        format!("{id}:{}", STANDARD.encode([byte; 32]))
    }

    #[test]
    fn seals_open_with_their_key_and_owner_only() {
        let ring = KeyRing::parse(&key("k2", 2), Some(&key("k1", 1))).expect("ring");
        let sealed = ring.seal(b"JBSWY3DPEHPK3PXP", b"owner-a").expect("seal");
        assert!(sealed.starts_with("v1:k2:"), "{sealed}");
        assert!(!sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(
            ring.open(&sealed, b"owner-a"),
            Ok((b"JBSWY3DPEHPK3PXP".to_vec(), false))
        );
        assert_eq!(ring.open(&sealed, b"owner-b"), Err(KeyError::Tampered));
        // Another ring with the same id but other bytes cannot open it.
        let other = KeyRing::parse(&key("k2", 9), None).expect("ring");
        assert_eq!(other.open(&sealed, b"owner-a"), Err(KeyError::Tampered));
        // After rotation the old key still opens it and says so.
        let rotated = KeyRing::parse(&key("k3", 3), Some(&key("k2", 2))).expect("ring");
        assert_eq!(
            rotated.open(&sealed, b"owner-a"),
            Ok((b"JBSWY3DPEHPK3PXP".to_vec(), true))
        );
        let dropped = KeyRing::parse(&key("k3", 3), None).expect("ring");
        assert_eq!(
            dropped.open(&sealed, b"owner-a"),
            Err(KeyError::UnknownKey("k2".into()))
        );
    }

    #[test]
    fn macs_verify_across_rotation() {
        let ring = KeyRing::parse(&key("a", 1), None).expect("ring");
        let m = ring.mac(b"code");
        assert!(ring.mac_matches(&m, b"code"));
        assert!(!ring.mac_matches(&m, b"cod3"));
        let rotated = KeyRing::parse(&key("b", 2), Some(&key("a", 1))).expect("ring");
        assert!(rotated.mac_matches(&m, b"code"));
    }

    #[test]
    fn bad_settings_are_refused() {
        assert!(KeyRing::parse("nokey", None).is_err());
        assert!(KeyRing::parse(&format!("k:{}", STANDARD.encode([0u8; 16])), None).is_err());
        assert!(KeyRing::parse(&key("k", 1), Some(&key("k", 2))).is_err());
        assert!(KeyRing::parse(&key("bad id", 1), None).is_err());
    }
}
