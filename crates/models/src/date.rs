//! `Date`: a JavaScript/BSON date, milliseconds since the Unix epoch, UTC.
//!
//! Written as JavaScript's `toISOString()` writes it
//! (`2024-01-15T10:30:00.000Z`) and read from the ISO 8601 forms
//! `new Date(string)` accepts. The calendar arithmetic is done here, by hand,
//! so the WebAssembly build carries no date library.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// JavaScript's valid date range: ±8.64e15 ms around the epoch.
const MAX_MS: i64 = 8_640_000_000_000_000;
const MS_PER_DAY: i64 = 86_400_000;

/// A point in time with millisecond precision, as JavaScript and BSON hold it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i64);

/// The parts of a date in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateParts {
    /// Full year (may be negative or above 9999).
    pub year: i64,
    /// Month, 1-12.
    pub month: u32,
    /// Day of the month, 1-31.
    pub day: u32,
    /// Milliseconds since midnight.
    pub ms_of_day: i64,
}

impl Date {
    /// A date from epoch milliseconds, if inside JavaScript's range.
    pub fn from_millis(ms: i64) -> Option<Self> {
        (-MAX_MS..=MAX_MS).contains(&ms).then_some(Self(ms))
    }

    /// `new Date(number)`: truncates toward zero, `None` outside the range or for NaN.
    pub fn from_js_number(n: f64) -> Option<Self> {
        if !n.is_finite() || n.abs() > MAX_MS as f64 {
            return None;
        }
        Self::from_millis(n.trunc() as i64)
    }

    /// Milliseconds since the Unix epoch.
    pub fn millis(self) -> i64 {
        self.0
    }

    /// The UTC calendar parts.
    pub fn parts(self) -> DateParts {
        let days = self.0.div_euclid(MS_PER_DAY);
        let ms_of_day = self.0.rem_euclid(MS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        DateParts {
            year,
            month,
            day,
            ms_of_day,
        }
    }

    /// `Date.UTC(year, month0, day, ...)`-style construction: months and days
    /// overflow into the next ones, as JavaScript's `setMonth`/`setDate` do.
    pub fn from_parts_overflowing(
        year: i64,
        month0: i64,
        day: i64,
        ms_of_day: i64,
    ) -> Option<Self> {
        let year = year.checked_add(month0.div_euclid(12))?;
        let month = month0.rem_euclid(12) as u32 + 1;
        let days = days_from_civil(year, month, 1).checked_add(day - 1)?;
        let ms = days.checked_mul(MS_PER_DAY)?.checked_add(ms_of_day)?;
        Self::from_millis(ms)
    }

    /// `toISOString()`.
    pub fn to_iso_string(self) -> String {
        let mut out = String::with_capacity(24);
        self.write_iso(&mut out);
        out
    }

    /// Appends `toISOString()` to `out`.
    pub fn write_iso(self, out: &mut String) {
        let p = self.parts();
        // At most "+275760-09-13T00:00:00.000Z": 27 bytes, written in place.
        let mut buf = [0u8; 32];
        let mut len = 0;
        let mut put = |n: u64, width: usize, prefix: u8| {
            if prefix != 0 {
                buf[len] = prefix;
                len += 1;
            }
            let mut n = n;
            for i in (0..width).rev() {
                buf[len + i] = b'0' + (n % 10) as u8;
                n /= 10;
            }
            len += width;
        };
        if (0..=9999).contains(&p.year) {
            put(p.year.unsigned_abs(), 4, 0);
        } else {
            put(
                p.year.unsigned_abs(),
                6,
                if p.year < 0 { b'-' } else { b'+' },
            );
        }
        let ms = p.ms_of_day.unsigned_abs();
        put(u64::from(p.month), 2, b'-');
        put(u64::from(p.day), 2, b'-');
        put(ms / 3_600_000, 2, b'T');
        put(ms / 60_000 % 60, 2, b':');
        put(ms / 1000 % 60, 2, b':');
        put(ms % 1000, 3, b'.');
        put(0, 0, b'Z');
        // Only ASCII digits and separators were written.
        out.push_str(std::str::from_utf8(&buf[..len]).unwrap_or_default());
    }

    /// `new Date(string)` for ISO 8601 date-time strings (ECMAScript's Date
    /// Time String Format, with `' '` accepted for `'T'`). Date-only forms
    /// are UTC; date-times without an offset are read as UTC (the server runs
    /// in UTC). Other formats are not accepted; see COMPATIBILITY.md.
    pub fn parse_iso(s: &str) -> Option<Self> {
        let mut p = Cursor {
            s: s.as_bytes(),
            i: 0,
        };
        let year = match p.peek() {
            Some(b'+') | Some(b'-') => {
                let neg = p.next() == Some(b'-');
                let y = p.digits(6)? as i64;
                if neg && y == 0 {
                    return None;
                }
                if neg {
                    -y
                } else {
                    y
                }
            }
            _ => p.digits(4)? as i64,
        };
        let mut month = 1;
        let mut day = 1;
        if p.eat(b'-') {
            month = p.digits(2)?;
            if p.eat(b'-') {
                day = p.digits(2)?;
            }
        }
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        let mut ms_of_day = 0i64;
        let mut offset_min = 0i64;
        if p.eat(b'T') || p.eat(b't') || p.eat(b' ') {
            let h = p.digits(2)? as i64;
            p.expect(b':')?;
            let m = p.digits(2)? as i64;
            let mut sec = 0;
            let mut ms = 0;
            if p.eat(b':') {
                sec = p.digits(2)? as i64;
                if p.eat(b'.') || p.eat(b',') {
                    let start = p.i;
                    let mut frac = 0i64;
                    while let Some(d) = p.peek().filter(u8::is_ascii_digit) {
                        if p.i - start < 3 {
                            frac = frac * 10 + i64::from(d - b'0');
                        }
                        p.i += 1;
                    }
                    let n = p.i - start;
                    if n == 0 {
                        return None;
                    }
                    for _ in n..3 {
                        frac *= 10;
                    }
                    ms = frac;
                }
            }
            let valid_time =
                (h < 24 && m < 60 && sec < 60) || (h == 24 && m == 0 && sec == 0 && ms == 0);
            if !valid_time {
                return None;
            }
            ms_of_day = ((h * 60 + m) * 60 + sec) * 1000 + ms;
            match p.peek() {
                Some(b'Z') | Some(b'z') => {
                    p.i += 1;
                }
                Some(c @ (b'+' | b'-')) => {
                    p.i += 1;
                    let oh = p.digits(2)? as i64;
                    p.eat(b':');
                    let om = p.digits(2)? as i64;
                    if oh > 23 || om > 59 {
                        return None;
                    }
                    let sign = if c == b'+' { 1 } else { -1 };
                    offset_min = sign * (oh * 60 + om);
                }
                _ => {}
            }
        } else if p.eat(b'Z') || p.eat(b'z') {
            // A date-only form with an explicit UTC marker.
        }
        if p.i != p.s.len() {
            return None;
        }
        let days = days_from_civil(year, month, i64::from(day));
        let ms = days * MS_PER_DAY + ms_of_day - offset_min * 60_000;
        Self::from_millis(ms)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso_string())
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_iso_string())
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse_iso(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("not an ISO date: {s:?}")))
    }
}

struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn expect(&mut self, c: u8) -> Option<()> {
        self.eat(c).then_some(())
    }
    fn digits(&mut self, n: usize) -> Option<u32> {
        let end = self.i.checked_add(n)?;
        let chunk = self.s.get(self.i..end)?;
        let mut v = 0u32;
        for &d in chunk {
            if !d.is_ascii_digit() {
                return None;
            }
            v = v * 10 + u32::from(d - b'0');
        }
        self.i = end;
        Some(v)
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> String {
        Date::parse_iso(s)
            .map(Date::to_iso_string)
            .unwrap_or_else(|| "invalid".into())
    }

    #[test]
    fn parses_the_iso_forms() {
        assert_eq!(iso("2024-01-15T10:30:00.000Z"), "2024-01-15T10:30:00.000Z");
        assert_eq!(iso("2024-01-15"), "2024-01-15T00:00:00.000Z");
        assert_eq!(iso("2024-01"), "2024-01-01T00:00:00.000Z");
        assert_eq!(iso("2024"), "2024-01-01T00:00:00.000Z");
        assert_eq!(iso("2024-01-15T10:30"), "2024-01-15T10:30:00.000Z");
        assert_eq!(iso("2024-01-15T10:30:00+02:00"), "2024-01-15T08:30:00.000Z");
        assert_eq!(
            iso("2024-01-15T10:30:00.123456Z"),
            "2024-01-15T10:30:00.123Z"
        );
        assert_eq!(iso("2024-01-15 10:30:00Z"), "2024-01-15T10:30:00.000Z");
        assert_eq!(
            iso("+275760-09-13T00:00:00.000Z"),
            "+275760-09-13T00:00:00.000Z"
        );
        assert_eq!(
            iso("-000001-01-01T00:00:00Z"),
            "-000001-01-01T00:00:00.000Z"
        );
        for bad in [
            "",
            "not a date",
            "2024-13-01",
            "2024-02-30",
            "2024-01-15T25:00",
            "2024-1-5",
            "-000000-01-01",
        ] {
            assert_eq!(iso(bad), "invalid", "{bad:?}");
        }
    }

    #[test]
    fn civil_round_trip() {
        for days in [-719_468, -1, 0, 1, 19_737, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, i64::from(d)), days);
        }
    }

    #[test]
    fn month_overflow_matches_javascript() {
        // new Date(Date.UTC(2023, 0, 31)).setUTCMonth(1) -> 2023-03-03
        let d = Date::from_parts_overflowing(2023, 1, 31, 0).map(Date::to_iso_string);
        assert_eq!(d.as_deref(), Some("2023-03-03T00:00:00.000Z"));
    }
}
