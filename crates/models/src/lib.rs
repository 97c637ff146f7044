//! # onelastai-models
//!
//! The product's 17 MongoDB collections, declared once and validated the
//! same way everywhere: in the browser (WebAssembly), in Node and in the
//! native server.
//!
//! Each collection is a Rust type in the module of its spec section
//! ([`users`], [`subscriptions`], [`chat`], [`analytics`], [`gamification`],
//! [`marketplace`], [`billing`], [`config`]). Its fields carry the spec's
//! Mongoose rules as `#[field(...)]` attributes; the `#[model]` attribute
//! turns them into a [`engine::Schema`] that one engine applies:
//!
//! ```
//! use onelastai_models::{Collection, Date};
//! use serde_json::json;
//!
//! let now = Date::parse_iso("2024-01-15T10:30:00Z").unwrap();
//! let out = Collection::Users
//!     .validate(&json!({"id": "user_1", "email": " Ann@Example.COM"}), now);
//! assert!(out.is_err()); // leading space: not the spec's email format
//! let ok = Collection::Users
//!     .validate(&json!({"id": "user_1", "email": "Ann@Example.COM"}), now)
//!     .unwrap();
//! assert_eq!(ok["email"], "ann@example.com");
//! assert_eq!(ok["role"], "user");
//! ```
//!
//! Casting, defaults, setters, error paths, kinds and messages follow
//! Mongoose 8; the few deliberate differences are listed in COMPATIBILITY.md
//! at the repository root.

pub mod access;
pub mod engine;
pub mod index;
pub mod js;
pub mod json;
#[cfg(not(target_arch = "wasm32"))]
pub mod json_schema;
#[cfg(not(target_arch = "wasm32"))]
pub mod messages;
#[cfg(feature = "server")]
pub mod storage;

mod collection;
mod date;
mod object_id;

pub mod analytics;
pub mod billing;
pub mod chat;
pub mod config;
pub mod gamification;
pub mod marketplace;
pub mod subscriptions;
pub mod users;

pub use collection::{Collection, UnknownCollection};
pub use date::{Date, DateParts};
pub use engine::{ErrorKind, FieldError, Model};
pub use index::IndexSpec;
pub use json::Json;
pub use object_id::{InvalidObjectId, ObjectId};

use onelastai_models_derive::model;

/// Validates `input` as a `T` and returns the typed, normalised document.
///
/// The same pass as [`Collection::validate`], then a typed view of the result.
pub fn validate_as<T>(input: &serde_json::Value, now: Date) -> Result<T, Vec<FieldError>>
where
    T: Model + serde::de::DeserializeOwned,
{
    let doc = engine::validate(T::schema(), input, now)?;
    serde_json::from_value(serde_json::Value::Object(doc)).map_err(|e| {
        vec![FieldError::new(
            "",
            ErrorKind::Cast,
            format!(
                "the normalised document does not fit {}: {e}",
                T::schema().name
            ),
            None,
        )]
    })
}
