//! Dates for the `Date…` operators (rules §3.9): the W3C profile of ISO 8601
//! (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `YYYY-MM-DDThh:mm[:ss[.s…]]TZD`) and UNIX epoch seconds.

use time::{Date, Month, PrimitiveDateTime, Time, UtcOffset};

/// An instant, as nanoseconds since the UNIX epoch, and how it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instant {
    pub nanos: i128,
    /// Written as a partial date (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`): the start of the period (§8-Q15).
    pub partial: bool,
    /// Written with a time but no zone designator: read as UTC (§8-Q15).
    pub no_zone: bool,
}

/// Assumption recorded when a partial or zoneless date took part in a comparison.
pub const ASSUME_PARTIAL_DATE: &str = "AWS does not document how a partial date (YYYY, YYYY-MM, \
YYYY-MM-DD) or a time without a zone compares with an instant; we read it as the start of the \
period, in UTC (§8-Q15).";

/// Reads a date. A string of digits is epoch seconds, except exactly four digits, which the W3C
/// profile reads as a year.
pub fn parse_instant(text: &str) -> Result<Instant, String> {
    let bad = || {
        format!("'{text}' is not a date AWS accepts (ISO 8601, e.g. 2026-01-31T12:00:00Z, or epoch seconds)")
    };
    let b = text.as_bytes();
    let all_digits = !b.is_empty() && b.iter().all(u8::is_ascii_digit);
    if all_digits && b.len() != 4 {
        let secs: i64 = text.parse().map_err(|_| bad())?;
        let t = time::OffsetDateTime::from_unix_timestamp(secs).map_err(|_| bad())?;
        return Ok(Instant {
            nanos: t.unix_timestamp_nanos(),
            partial: false,
            no_zone: false,
        });
    }
    let num = |s: &str, len: usize| -> Option<u32> {
        (s.len() == len && s.bytes().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (date_part, time_part) = match text.find(['T', 't']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let mut fields = date_part.split('-');
    let year = num(fields.next().ok_or_else(bad)?, 4).ok_or_else(bad)? as i32;
    let month = match fields.next() {
        Some(m) => num(m, 2).ok_or_else(bad)?,
        None => 1,
    };
    let has_day = date_part.len() == 10;
    let day = match fields.next() {
        Some(d) => num(d, 2).ok_or_else(bad)?,
        None => 1,
    };
    if fields.next().is_some() || (time_part.is_some() && !has_day) {
        return Err(bad());
    }
    let month = Month::try_from(month as u8).map_err(|_| bad())?;
    let date = Date::from_calendar_date(year, month, day as u8).map_err(|_| bad())?;
    let Some(tp) = time_part else {
        let nanos = PrimitiveDateTime::new(date, Time::MIDNIGHT)
            .assume_utc()
            .unix_timestamp_nanos();
        return Ok(Instant {
            nanos,
            partial: true,
            no_zone: false,
        });
    };
    // Split off the zone designator.
    let (clock, offset, no_zone) = if let Some(c) = tp.strip_suffix(['Z', 'z']) {
        (c, UtcOffset::UTC, false)
    } else if let Some(i) = tp.rfind(['+', '-']) {
        let (c, z) = tp.split_at(i);
        let sign: i8 = if z.starts_with('-') { -1 } else { 1 };
        let z = &z[1..];
        let (h, m) = match z.split_once(':') {
            Some((h, m)) => (h, m),
            None if z.len() == 4 && z.is_ascii() => z.split_at(2),
            None => (z, "00"),
        };
        let h = num(h, 2).ok_or_else(bad)? as i8;
        let m = num(m, 2).ok_or_else(bad)? as i8;
        let off = UtcOffset::from_hms(sign * h, sign * m, 0).map_err(|_| bad())?;
        (c, off, false)
    } else {
        (tp, UtcOffset::UTC, true)
    };
    let (hms, frac) = match clock.split_once('.') {
        Some((hms, f)) if !f.is_empty() && f.bytes().all(|c| c.is_ascii_digit()) => (hms, f),
        Some(_) => return Err(bad()),
        None => (clock, ""),
    };
    let mut parts = hms.split(':');
    let h = num(parts.next().ok_or_else(bad)?, 2).ok_or_else(bad)?;
    let m = num(parts.next().ok_or_else(bad)?, 2).ok_or_else(bad)?;
    let s = match parts.next() {
        Some(s) => num(s, 2).ok_or_else(bad)?,
        None if frac.is_empty() => 0,
        None => return Err(bad()),
    };
    if parts.next().is_some() {
        return Err(bad());
    }
    let nanos_frac: u32 = {
        let digits: String = frac.chars().chain("000000000".chars()).take(9).collect();
        digits.parse().map_err(|_| bad())?
    };
    let t = Time::from_hms_nano(h as u8, m as u8, s as u8, nanos_frac).map_err(|_| bad())?;
    let nanos = PrimitiveDateTime::new(date, t)
        .assume_offset(offset)
        .unix_timestamp_nanos();
    Ok(Instant {
        nanos,
        partial: false,
        no_zone,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: &str) -> i128 {
        parse_instant(s).unwrap().nanos / 1_000_000_000
    }

    #[test]
    fn every_w3c_form_and_epoch() {
        let t = 1_585_699_200; // 2020-04-01T00:00:00Z
        assert_eq!(secs("2020-04-01T00:00:00Z"), t);
        assert_eq!(secs("2020-04-01T00:00Z"), t);
        assert_eq!(secs("2020-04-01T00:00:00.000Z"), t);
        assert_eq!(secs("2020-04-01T02:00:00+02:00"), t);
        assert_eq!(secs("2020-03-31T19:00:00-05:00"), t);
        assert_eq!(secs("2020-04-01T02:00:00+0200"), t);
        assert_eq!(secs("2020-04-01"), t);
        assert_eq!(secs("1585699200"), t);
        assert_eq!(secs("2020-01"), 1_577_836_800);
        assert_eq!(secs("2020"), 1_577_836_800);
        assert!(parse_instant("2020-04-01").unwrap().partial);
        assert!(parse_instant("2020-04-01T00:00:00").unwrap().no_zone);
        assert_eq!(
            parse_instant("2020-04-01T00:00:00.5Z").unwrap().nanos % 1_000_000_000,
            500_000_000
        );
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for bad in [
            "",
            "2020-13-01",
            "2020-02-30",
            "2020-4-1",
            "yesterday",
            "2020-04-01T25:00:00Z",
            "2020-04T10:00Z",
            "2020-04-01T00:00:00.Z",
            "2020-04-01T00:00:00+2:00",
            "99999999999999999999",
        ] {
            assert!(parse_instant(bad).is_err(), "{bad}");
        }
    }
}
