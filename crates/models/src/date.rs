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

    /// `new Date(string)` as V8 (Node, Chromium) reads it, with the local
    /// time zone taken to be UTC: the ECMAScript Date Time String Format
    /// and V8's legacy fallback for everything else (`"Jan 15 2024"`,
    /// `"Thu, 31 Jul 1987 22:16:41 GMT-0530"`, `"2008-5-26 19:15"`,
    /// `"2024-02-30"` rolling over to March 1, `"12"` meaning December 2001).
    /// `None` where V8 gives an Invalid Date. The grammar is V8's own: see the `v8` module below.
    pub fn parse(s: &str) -> Option<Self> {
        v8::parse(s).and_then(|p| p.to_date())
    }

    /// ISO 8601 date-time strings only: what V8 reads as an ECMAScript Date
    /// Time String (`2024-01-15`, `2024-01-15T10:30:00.000Z`, `±HH:mm` or
    /// `±HHmm` offsets, any number of fraction digits, expanded years
    /// `+275760-...`), and a space instead of the `T`. Date-times without an
    /// offset are read as UTC. For reading dates this crate wrote; casts
    /// take [`Date::parse`], as Mongoose does.
    pub fn parse_iso(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        let p = if b.get(10) == Some(&b' ') && b.get(4) == Some(&b'-') {
            v8::parse(&format!("{}T{}", &s[..10], &s[11..]))
        } else {
            v8::parse(s)
        };
        p.filter(|p| p.iso).and_then(|p| p.to_date())
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

/// V8's date parser (`src/date/dateparser.{h,cc}`, `dateparser-inl.h`) and
/// the steps of `ParseDateTimeString` (`builtins-date.cc`) after it, as
/// Node 20 runs them, with the local time zone fixed to UTC.
///
/// A string is first read as an ECMAScript Date Time String
/// (`[+-yy]yyyy[-MM[-DD]][THH:mm[:ss[.sss]][Z|+-hh:mm|+-hhmm]]`); whatever
/// that reading leaves over goes to the legacy grammar, token by token:
/// - numbers followed by `:` (or `::`, or `.` with milliseconds) are times,
///   other numbers are date parts (at most three, `-` after them skipped);
/// - words are runs of characters from `A` up (so every non-ASCII character
///   is a word character): a word that starts like a month name is the
///   month, `am`/`pm` shift the hour, `ut utc z gmt cdt cst edt est mdt mst
///   pdt pst` are zones; other words are allowed only before the first
///   number, and not directly in front of it;
/// - `+`/`-` after a zone or a time start an offset (`hh`, `hhmm`, `hh:mm`);
///   elsewhere after a number they (and `)`) are an error;
/// - parenthesised text, whitespace and any other character are skipped; a
///   NUL ends the string.
///
/// Date parts are read month-day-year, or year-month-day when the first is
/// not a day (1-31); a named month leaves day and year; years 0-49 are
/// 2000-2049 and 50-99 are 1950-1999; a missing year is 2001 (V8 fills
/// missing parts with 1). Days up to 31 roll over into the next month.
mod v8 {
    use super::{days_from_civil, Date, MS_PER_DAY};
    use crate::js;

    /// The fields V8's parser hands to `MakeDay`/`MakeTime`.
    pub(super) struct Parsed {
        year: i64,
        month: u32,
        day: i64,
        ms_of_day: i64,
        /// Seconds east of UTC; `None`: local time (UTC here).
        offset: Option<i64>,
        /// Read entirely as an ECMAScript Date Time String.
        pub(super) iso: bool,
    }

    impl Parsed {
        /// `MakeDate(MakeDay(...), MakeTime(...))`, the offset, `TimeClip`.
        pub(super) fn to_date(&self) -> Option<Date> {
            if self.year.abs() > 1_000_000 {
                return None;
            }
            let days = days_from_civil(self.year, self.month, self.day);
            Date::from_millis(days * MS_PER_DAY + self.ms_of_day - self.offset.unwrap_or(0) * 1000)
        }
    }

    // Token kinds; a word's kind is its keyword type (WORD: none).
    const END: u8 = 0;
    const NUM: u8 = 1;
    const SYM: u8 = 2;
    const SPACE: u8 = 3;
    const UNKNOWN: u8 = 4;
    const WORD: u8 = 5;
    const MONTH: u8 = 6;
    const ZONE: u8 = 7;
    const TIME_SEPARATOR: u8 = 8;
    const AM_PM: u8 = 9;

    /// `DateToken`: a number's value (its first 9 significant digits) and
    /// length in digits, a symbol's character, a keyword's value.
    #[derive(Clone, Copy, PartialEq, Eq)]
    struct Tok {
        kind: u8,
        value: i32,
        len: usize,
    }

    impl Tok {
        fn number(self, len: usize) -> Option<i32> {
            (self.kind == NUM && self.len == len).then_some(self.value)
        }
        fn is(self, kind: u8, value: i32) -> bool {
            self.kind == kind && self.value == value
        }
        fn sign(self) -> Option<i32> {
            match self.kind {
                SYM if self.value == i32::from(b'+') => Some(1),
                SYM if self.value == i32::from(b'-') => Some(-1),
                _ => None,
            }
        }
        fn is_z(self) -> bool {
            self.is(ZONE, 0) && self.len == 1
        }
    }

    /// Month names match on their first three letters, at any length.
    const MONTHS: &[u8] = b"janfebmaraprmayjunjulaugsepoctnovdec";
    /// The other keywords, which must be the whole word: am pm, zone names, t.
    const KEYWORDS: &[u8] = b"am\0pm\0ut\0utcz\0\0gmtcdtcstedtestmdtmstpdtpstt\0\0";
    const ZONE_HOURS: [i8; 12] = [0, 0, 0, 0, -5, -6, -4, -5, -6, -7, -7, -8];

    /// A word character: from `A` up, except JavaScript's non-ASCII white
    /// space (V8 counts U+2028 and U+2029 as word characters).
    fn is_word(c: char) -> bool {
        c >= 'A' && (!js::is_whitespace(c) || matches!(c, '\u{2028}' | '\u{2029}'))
    }

    /// `DateStringTokenizer::Scan`, over the whole string up to the first NUL
    /// (the tokens depend on the text alone), ending with `END`.
    fn tokens(s: &str) -> Vec<Tok> {
        let mut it = s.chars().take_while(|&c| c != '\0').peekable();
        let mut out = Vec::new();
        while let Some(ch) = it.next() {
            let mut tok = |kind, value, len| out.push(Tok { kind, value, len });
            if ch.is_ascii_digit() {
                // The value of the first 9 significant digits (leading zeros skipped).
                let (mut value, mut len, mut significant, mut c) = (0, 0, 0, ch);
                loop {
                    let d = c as i32 - '0' as i32;
                    if (value > 0 || d > 0) && significant < 9 {
                        value = value * 10 + d;
                        significant += 1;
                    }
                    len += 1;
                    match it.next_if(char::is_ascii_digit) {
                        Some(next) => c = next,
                        None => break,
                    }
                }
                tok(NUM, value, len);
            } else if is_word(ch) {
                let (mut pre, mut len, mut c) = ([0u8; 3], 0, ch);
                loop {
                    if let Some(p) = pre.get_mut(len) {
                        *p = if c.is_ascii() { c as u8 | 0x20 } else { 0xff };
                    }
                    len += c.len_utf16();
                    match it.next_if(|&c| is_word(c)) {
                        Some(next) => c = next,
                        None => break,
                    }
                }
                let find = |table: &[u8]| table.chunks(3).position(|k| k == pre);
                let (kind, value) = match (find(MONTHS), find(KEYWORDS)) {
                    (Some(m), _) => (MONTH, m as i32 + 1),
                    (_, Some(k)) if len <= 3 => match k {
                        0 | 1 => (AM_PM, k as i32 * 12),
                        14 => (TIME_SEPARATOR, 0),
                        _ => (ZONE, i32::from(ZONE_HOURS[k - 2])),
                    },
                    _ => (WORD, 0),
                };
                tok(kind, value, len);
            } else if matches!(ch, ':' | '-' | '+' | '.' | ')') {
                tok(SYM, ch as i32, 1);
            } else if js::is_whitespace(ch) {
                tok(SPACE, 0, 1);
            } else {
                if ch == '(' {
                    let mut depth = 1;
                    while depth > 0 {
                        match it.next() {
                            Some('(') => depth += 1,
                            Some(')') => depth -= 1,
                            Some(_) => {}
                            None => break,
                        }
                    }
                }
                tok(UNKNOWN, 0, 1);
            }
        }
        out.push(Tok {
            kind: END,
            value: 0,
            len: 0,
        });
        out
    }

    /// The tokenizer's `Peek`/`Next`/`SkipSymbol` over the token list.
    struct Cursor {
        t: Vec<Tok>,
        i: usize,
    }

    impl Cursor {
        fn peek(&self) -> Tok {
            self.t.get(self.i).copied().unwrap_or(Tok {
                kind: END,
                value: 0,
                len: 0,
            })
        }
        fn next(&mut self) -> Tok {
            let t = self.peek();
            if t.kind != END {
                self.i += 1;
            }
            t
        }
        fn skip(&mut self, c: u8) -> bool {
            let hit = self.peek().is(SYM, i32::from(c));
            if hit {
                self.i += 1;
            }
            hit
        }
        /// `Next().number()` when the next token is a number of `len` digits in `range`.
        fn number(&mut self, len: usize, range: std::ops::RangeInclusive<i32>) -> Option<i32> {
            let n = self.peek().number(len).filter(|n| range.contains(n))?;
            self.i += 1;
            Some(n)
        }
    }

    /// Up to `N` numbers, in order (`DayComposer`, `TimeComposer`).
    struct Parts<const N: usize> {
        v: [i32; N],
        n: usize,
    }

    impl<const N: usize> Parts<N> {
        fn new() -> Self {
            Self { v: [0; N], n: 0 }
        }
        fn add(&mut self, x: i32) -> bool {
            let room = self.n < N;
            if room {
                self.v[self.n] = x;
                self.n += 1;
            }
            room
        }
        /// The parts, the missing ones filled with `x`.
        fn fill(&mut self, x: i32) -> [i32; N] {
            self.v[self.n..].fill(x);
            self.n = N;
            self.v
        }
    }

    /// The time parts expect `n` next (a minute, a second, milliseconds).
    fn expecting(time: &Parts<4>, n: i32) -> bool {
        match time.n {
            1 | 2 => (0..60).contains(&n),
            3 => (0..1000).contains(&n),
            _ => false,
        }
    }

    /// `ReadMilliseconds`: the first three digits, as a fraction.
    fn milliseconds(t: Tok) -> i32 {
        match t.len {
            1 => t.value * 100,
            2 => t.value * 10,
            len => t.value / 10i32.pow(len.clamp(3, 9) as u32 - 3),
        }
    }

    /// `TimeZoneComposer`: sign, hour and minute, each maybe unset.
    struct Zone {
        sign: Option<i32>,
        hour: Option<i32>,
        minute: Option<i32>,
    }

    impl Zone {
        fn set(&mut self, hours: i32) {
            (self.sign, self.hour, self.minute) =
                (Some(hours.signum() | 1), Some(hours.abs()), Some(0));
        }
    }

    /// `DateParser::Parse`.
    pub(super) fn parse(s: &str) -> Option<Parsed> {
        let mut sc = Cursor { t: tokens(s), i: 0 };
        let mut day = Parts::<3>::new();
        let mut named_month = None;
        let mut time = Parts::<4>::new();
        let mut hour_offset = None;
        let mut tz = Zone {
            sign: None,
            hour: None,
            minute: None,
        };
        let iso = es5(&mut sc, &mut day, &mut time, &mut tz)?;
        let mut has_read_number = day.n > 0;
        loop {
            let token = sc.next();
            let peek = sc.peek();
            match token.kind {
                END => break,
                NUM => {
                    let n = token.value;
                    has_read_number = true;
                    if sc.skip(b':') {
                        if sc.skip(b':') {
                            if time.n > 0 {
                                return None;
                            }
                            time.add(n);
                            time.add(0);
                        } else {
                            if !time.add(n) {
                                return None;
                            }
                            sc.skip(b'.');
                        }
                    } else if sc.skip(b'.') && expecting(&time, n) {
                        time.add(n);
                        let f = sc.next();
                        if f.kind != NUM {
                            return None;
                        }
                        time.add(milliseconds(f));
                        time.fill(0);
                    } else if tz.hour.is_some() && tz.minute.is_none() && (0..60).contains(&n) {
                        tz.minute = Some(n);
                    } else if expecting(&time, n) {
                        time.add(n);
                        time.fill(0);
                        // Only the end, a space, `Z` or a sign may follow a time.
                        let peek = sc.peek();
                        if !matches!(peek.kind, END | SPACE)
                            && !peek.is_z()
                            && peek.sign().is_none()
                        {
                            return None;
                        }
                    } else {
                        if !day.add(n) {
                            return None;
                        }
                        sc.skip(b'-');
                    }
                }
                AM_PM if time.n > 0 => hour_offset = Some(token.value),
                MONTH => {
                    named_month = Some(token.value);
                    sc.skip(b'-');
                }
                ZONE if has_read_number => tz.set(token.value),
                // Other words only before the first number, and apart from it.
                WORD.. => {
                    if has_read_number || peek.kind == NUM {
                        return None;
                    }
                }
                _ => match token.sign() {
                    Some(sign) if (tz.hour == Some(0) && tz.minute == Some(0)) || time.n > 0 => {
                        tz.sign = Some(sign);
                        let (n, len) = if peek.kind == NUM {
                            sc.next();
                            (peek.value, peek.len)
                        } else {
                            (0, 0)
                        };
                        has_read_number = true;
                        (tz.hour, tz.minute) = match len {
                            _ if sc.peek().is(SYM, i32::from(b':')) => (Some(n), None),
                            1 | 2 => (Some(n), Some(0)),
                            3 | 4 => (Some(n / 100), Some(n % 100)),
                            _ => return None,
                        };
                    }
                    _ if has_read_number
                        && (token.sign().is_some() || token.is(SYM, i32::from(b')'))) =>
                    {
                        return None;
                    }
                    _ => {}
                },
            }
        }
        // DayComposer::Write.
        if day.n == 0 {
            return None;
        }
        let c = day.fill(1);
        let is_day = |x: i32| (1..=31).contains(&x);
        let (year, month, dd) = match named_month {
            None if iso || !is_day(c[0]) => (c[0], c[1], c[2]),
            None => (c[2], c[0], c[1]),
            Some(m) if !is_day(c[0]) => (c[0], m, c[1]),
            Some(m) => (c[1], m, c[0]),
        };
        let year = match year {
            0..=49 if !iso => year + 2000,
            50..=99 if !iso => year + 1900,
            _ => year,
        };
        if !(1..=12).contains(&month) || !is_day(dd) {
            return None;
        }
        // TimeComposer::Write.
        let [mut h, m, sec, ms] = time.fill(0);
        if let Some(offset) = hour_offset {
            if !(0..=12).contains(&h) {
                return None;
            }
            h = h % 12 + offset;
        }
        let in_range = (0..24).contains(&h)
            && (0..60).contains(&m)
            && (0..60).contains(&sec)
            && (0..1000).contains(&ms);
        if !in_range && (h, m, sec, ms) != (24, 0, 0, 0) {
            return None;
        }
        // TimeZoneComposer::Write: V8 sums in unsigned 32-bit arithmetic and
        // refuses a result above the largest Smi.
        let offset = match tz.sign {
            None => None,
            Some(sign) => {
                let (h, m) = (tz.hour.unwrap_or(0) as u32, tz.minute.unwrap_or(0) as u32);
                let total = h.wrapping_mul(3600).wrapping_add(m.wrapping_mul(60));
                if total > i32::MAX as u32 {
                    return None;
                }
                Some(i64::from(sign) * i64::from(total))
            }
        };
        let ms_of_day =
            ((i64::from(h) * 60 + i64::from(m)) * 60 + i64::from(sec)) * 1000 + i64::from(ms);
        Some(Parsed {
            year: i64::from(year),
            month: month as u32,
            day: i64::from(dd),
            ms_of_day,
            offset,
            iso,
        })
    }

    /// `ParseES5DateTime`: reads as much as it can as an ECMAScript Date
    /// Time String. `Some(true)`: it read everything; `Some(false)`: the
    /// legacy parser goes on from the cursor; `None`: invalid.
    fn es5(
        sc: &mut Cursor,
        day: &mut Parts<3>,
        time: &mut Parts<4>,
        tz: &mut Zone,
    ) -> Option<bool> {
        if let Some(sign) = sc.peek().sign() {
            sc.next();
            let Some(year) = sc.peek().number(6) else {
                // The legacy parser starts at the sign.
                sc.i -= 1;
                return Some(false);
            };
            if sign < 0 && year == 0 {
                // V8 has read the year by then: `-000000` loses it.
                sc.t.remove(sc.i);
                sc.i -= 1;
                return Some(false);
            }
            sc.next();
            day.add(sign * year);
        } else if let Some(year) = sc.number(4, 0..=9999) {
            day.add(year);
        } else {
            return Some(false);
        }
        if sc.skip(b'-') {
            let Some(m) = sc.number(2, 1..=12) else {
                return Some(false);
            };
            day.add(m);
            if sc.skip(b'-') {
                let Some(d) = sc.number(2, 1..=31) else {
                    return Some(false);
                };
                day.add(d);
            }
        }
        if sc.peek().kind != TIME_SEPARATOR {
            if sc.peek().kind != END {
                return Some(false);
            }
        } else {
            sc.next();
            let hour = sc.number(2, 0..=24)?;
            time.add(hour);
            // 24:00[:00[.000]] only.
            let top = if hour == 24 { 0 } else { 59 };
            if !sc.skip(b':') {
                return None;
            }
            time.add(sc.number(2, 0..=top)?);
            if sc.skip(b':') {
                time.add(sc.number(2, 0..=top)?);
                if sc.skip(b'.') {
                    let f = sc.next();
                    if f.kind != NUM || (hour == 24 && f.value > 0) {
                        return None;
                    }
                    time.add(milliseconds(f));
                }
            }
            if sc.peek().is_z() {
                sc.next();
                tz.set(0);
            } else if let Some(sign) = sc.peek().sign() {
                sc.next();
                tz.sign = Some(sign);
                let (h, m) = match sc.peek().number(4) {
                    Some(hm) => {
                        sc.next();
                        (hm / 100, hm % 100)
                    }
                    None => {
                        let h = sc.number(2, 0..=23)?;
                        if !sc.skip(b':') {
                            return None;
                        }
                        (h, sc.number(2, 0..=59)?)
                    }
                };
                if h > 23 || m > 59 {
                    return None;
                }
                (tz.hour, tz.minute) = (Some(h), Some(m));
            }
            if sc.peek().kind != END {
                return None;
            }
        }
        // Date-only forms are UTC; date-times without an offset local time.
        if tz.hour.is_none() && time.n == 0 {
            tz.set(0);
        }
        Some(true)
    }
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
        assert_eq!(iso("2024-01-15T10:30:00+0200"), "2024-01-15T08:30:00.000Z");
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
        // V8's ECMAScript reading lets a day up to 31 roll over.
        assert_eq!(iso("2024-02-30"), "2024-03-01T00:00:00.000Z");
        for bad in [
            "",
            "not a date",
            "2024-13-01",
            "2024-01-15T25:00",
            "2024-1-5",
            "Jan 5 2024",
            "-000000-01-01",
            "2024-01-15T10:30:00,5Z",
        ] {
            assert_eq!(iso(bad), "invalid", "{bad:?}");
        }
    }

    /// V8's answers (`Date.parse(s)` in Node 20 under `TZ=UTC`), written
    /// down from node; `tools/date-differential.sh` compares thousands more.
    #[test]
    fn parses_what_v8_parses() {
        let cases: &[(&str, Option<i64>)] = &[
            ("Jan 15 2024", Some(1705276800000)),
            ("FEB 18 2015", Some(1424217600000)),
            ("Thu, 31 Jul 1987 22:16:41 GMT-0530", Some(554788001000)),
            ("Sun Dec 16 1999 16:17 GMT+01:00", Some(945357420000)),
            ("14 March 2026", Some(1773446400000)),
            ("5-Apr-1987", Some(544579200000)),
            ("1973 Nov 24", Some(122947200000)),
            ("2008-5-26 19:15", Some(1211829300000)),
            ("2023-12-19 5:09 AM", Some(1702962540000)),
            ("95177", Some(2941328851200000)),
            ("2024-02-30", Some(1709251200000)),
            ("12", Some(1007164800000)),
            ("\n2024-01-15", Some(1705276800000)),
            ("Jan 15", Some(979516800000)),
            ("-000000-12", Some(1007164800000)),
            ("Jan 5 0000000001999", Some(915494400000)),
            ("2024-01-01T00:00:00.00012345678912Z", Some(1704067200123)),
            ("10:00 +999999999:", None),
            ("10:00 +99999:", None),
            ("+275760-09-13T00:00:00.000Z", Some(8640000000000000)),
            ("+275760-09-13T00:00:00.001Z", None),
            ("-271821-04-20T00:00:00.000Z", Some(-8640000000000000)),
            ("-271821-04-19T23:59:59.999Z", None),
            ("Sat Sep 13 275760 00:00:00 GMT", Some(8640000000000000)),
            ("Sat Sep 13 275760 00:00:00 GMT-0001", None),
            ("2024-01-15T24:00", Some(1705363200000)),
            ("2024-01-15T24:00:00.001", None),
            ("12:00 PM Jan 1 2000", Some(946728000000)),
            ("12 AM Jan 1 2000", None),
            ("13:00 PM Jan 1 2000", None),
            ("1 2 3 4", None),
            (
                "Jan 1 2000 10:00:00 (comment (nested)) GMT+2",
                Some(946713600000),
            ),
            ("Jan 1 2000 (unbalanced", Some(946684800000)),
            ("2024-01-15T10:30:00,5Z", None),
            ("2024-01-15t10:30z", Some(1705314600000)),
            ("2024-01-15T10:30:00+0530", Some(1705294800000)),
            ("2024-01-15 10:30:00Z", Some(1705314600000)),
            ("x 1", Some(978307200000)),
            ("x1", None),
            ("1 x", None),
            ("2024-01-15\u{0}garbage", Some(1705276800000)),
            ("Jan 1 2000 10:00 +05:30", Some(946701000000)),
            ("Jan 1 2000 - 10:00", None),
        ];
        for (s, want) in cases {
            assert_eq!(Date::parse(s).map(Date::millis), *want, "{s:?}");
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
