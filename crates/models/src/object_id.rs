//! `ObjectId`: MongoDB's 12-byte id, written as 24 lowercase hex digits.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A MongoDB ObjectId.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectId(pub [u8; 12]);

/// The text is not 24 hexadecimal digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an ObjectId is 24 hexadecimal characters, got {0:?}")]
pub struct InvalidObjectId(pub String);

impl ObjectId {
    /// The 24-digit lowercase hex form.
    pub fn to_hex(self) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut s = String::with_capacity(24);
        for b in self.0 {
            s.push(char::from(HEX[usize::from(b >> 4)]));
            s.push(char::from(HEX[usize::from(b & 15)]));
        }
        s
    }
}

impl FromStr for ObjectId {
    type Err = InvalidObjectId;

    /// 24 hex digits, either case (as bson's `ObjectId.isValid`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let b = s.as_bytes();
        if b.len() != 24 {
            return Err(InvalidObjectId(s.to_string()));
        }
        let mut out = [0u8; 12];
        for (i, pair) in b.chunks_exact(2).enumerate() {
            let hi = hex(pair[0]).ok_or_else(|| InvalidObjectId(s.to_string()))?;
            let lo = hex(pair[1]).ok_or_else(|| InvalidObjectId(s.to_string()))?;
            out[i] = hi << 4 | lo;
        }
        Ok(Self(out))
    }
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl Serialize for ObjectId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for ObjectId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip_lowercases() {
        let id: ObjectId = "65A1B2C3D4E5F6A7B8C9D0E1"
            .parse()
            .unwrap_or(ObjectId([0; 12]));
        assert_eq!(id.to_hex(), "65a1b2c3d4e5f6a7b8c9d0e1");
        assert!("65a1b2c3".parse::<ObjectId>().is_err());
        assert!("zza1b2c3d4e5f6a7b8c9d0e1".parse::<ObjectId>().is_err());
    }
}
