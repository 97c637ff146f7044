//! Password hashing: argon2id with its recommended parameters, off the
//! async runtime and bounded so a burst of sign-ups cannot exhaust memory
//! (each hash holds 19 MiB while it runs): a [`Pool`] of one worker per core
//! and a bounded queue.

use crate::error::ApiError;
use crate::work::Pool;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::Argon2;

/// Hashes waiting for a worker at most, per core; past it a sign-up gets `503 busy`.
const QUEUE_PER_CORE: usize = 32;

/// Hashes passwords on the blocking pool, one per core at a time.
#[derive(Debug, Clone)]
pub struct PasswordHasher {
    pool: Pool,
    dummy: std::sync::Arc<std::sync::OnceLock<String>>,
}

impl Default for PasswordHasher {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            pool: Pool::new("password hashing", cores, cores * QUEUE_PER_CORE),
            dummy: Default::default(),
        }
    }
}

impl PasswordHasher {
    /// The PHC string (`$argon2id$v=19$m=19456,t=2,p=1$...`) of `password`.
    pub async fn hash(&self, password: String) -> Result<String, ApiError> {
        self.pool
            .run(move || {
                let salt = SaltString::generate(&mut OsRng);
                Argon2::default()
                    .hash_password(password.as_bytes(), &salt)
                    .map(|h| h.to_string())
            })
            .await?
            .map_err(|e| ApiError::internal(format!("argon2: {e}")))
    }
}

impl PasswordHasher {
    /// Whether `password` matches `hash`, on the workers. Without a hash (an
    /// unknown email, a passwordless account) the password is checked
    /// against a dummy hash of the same cost, and the answer is `false`: a
    /// caller cannot tell the cases apart by the time taken.
    pub async fn verify(&self, password: String, hash: Option<String>) -> Result<bool, ApiError> {
        let dummy = hash.is_none();
        let hash = match hash {
            Some(h) => h,
            None => self.dummy().await?,
        };
        let matches = self.pool.run(move || verify(&password, &hash)).await?;
        Ok(matches && !dummy)
    }

    /// A hash of a random password, made once.
    async fn dummy(&self) -> Result<String, ApiError> {
        if let Some(h) = self.dummy.get() {
            return Ok(h.clone());
        }
        use argon2::password_hash::rand_core::RngCore;
        let mut bytes = [0_u8; 16];
        OsRng.fill_bytes(&mut bytes);
        let made = self.hash(hex::encode(bytes)).await?;
        Ok(self.dummy.get_or_init(|| made).clone())
    }
}

/// Whether `password` matches the PHC string `hash`.
pub fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_and_verify() {
        let h = PasswordHasher::default()
            .hash("correct horse".into())
            .await
            .unwrap_or_default();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify("correct horse", &h));
        assert!(!verify("wrong horse", &h));
    }
}
