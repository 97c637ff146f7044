//! Field errors, worded as Mongoose words them (`lib/error/messages.js`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What kind of rule a path failed. Serialised as Mongoose's `kind` strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub enum ErrorKind {
    /// `required` failed: missing, `null`, or `''` for a string.
    #[serde(rename = "required")]
    Required,
    /// Not one of the `enum` values.
    #[serde(rename = "enum")]
    Enum,
    /// Below `min`.
    #[serde(rename = "min")]
    Min,
    /// Above `max`.
    #[serde(rename = "max")]
    Max,
    /// Longer than `maxlength` (UTF-16 code units).
    #[serde(rename = "maxlength")]
    MaxLength,
    /// Shorter than `minlength`.
    #[serde(rename = "minlength")]
    MinLength,
    /// Does not match `match`.
    #[serde(rename = "regexp")]
    Regexp,
    /// A custom rule (the spec's `pre('save')` checks).
    #[serde(rename = "user defined")]
    UserDefined,
    /// The value could not be cast to the path's type; the message names the type.
    #[serde(rename = "cast")]
    Cast,
}

impl ErrorKind {
    /// Every kind, in declaration order (a new kind is a compile error in
    /// [`ErrorKind::position`] until it is listed here).
    pub const ALL: [ErrorKind; 9] = [
        ErrorKind::Required,
        ErrorKind::Enum,
        ErrorKind::Min,
        ErrorKind::Max,
        ErrorKind::MaxLength,
        ErrorKind::MinLength,
        ErrorKind::Regexp,
        ErrorKind::UserDefined,
        ErrorKind::Cast,
    ];

    /// The kind's index in [`ErrorKind::ALL`].
    pub const fn position(self) -> usize {
        match self {
            ErrorKind::Required => 0,
            ErrorKind::Enum => 1,
            ErrorKind::Min => 2,
            ErrorKind::Max => 3,
            ErrorKind::MaxLength => 4,
            ErrorKind::MinLength => 5,
            ErrorKind::Regexp => 6,
            ErrorKind::UserDefined => 7,
            ErrorKind::Cast => 8,
        }
    }

    /// The kind as it appears on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Required => "required",
            ErrorKind::Enum => "enum",
            ErrorKind::Min => "min",
            ErrorKind::Max => "max",
            ErrorKind::MaxLength => "maxlength",
            ErrorKind::MinLength => "minlength",
            ErrorKind::Regexp => "regexp",
            ErrorKind::UserDefined => "user defined",
            ErrorKind::Cast => "cast",
        }
    }
}

const _: () = {
    let mut i = 0;
    while i < ErrorKind::ALL.len() {
        assert!(ErrorKind::ALL[i].position() == i);
        i += 1;
    }
};

/// One failing path of a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
#[error("{message}")]
pub struct FieldError {
    /// Dotted path with array indices, e.g. `messages.0.role`.
    pub path: String,
    /// Which rule failed.
    pub kind: ErrorKind,
    /// Mongoose's default wording, meant for people.
    pub message: String,
    /// The offending value, when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional, type = "unknown"))]
    pub value: Option<Value>,
}

impl FieldError {
    /// A custom rule's error with its own message.
    pub fn user_defined(path: &str, message: &str, value: Option<Value>) -> Self {
        Self::new(path, ErrorKind::UserDefined, message.to_string(), value)
    }

    /// A field error of any kind.
    pub fn new(path: &str, kind: ErrorKind, message: String, value: Option<Value>) -> Self {
        Self {
            path: path.to_string(),
            kind,
            message,
            value,
        }
    }
}
