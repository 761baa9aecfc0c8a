//! Numbers for the `Numeric…` operators (rules §3.9): integers or decimals, compared
//! exactly (no floating-point rounding of long account-sized integers).

use std::cmp::Ordering;

/// A decimal number as written, normalised for comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal<'a> {
    negative: bool,
    /// Integer digits without leading zeros (empty for zero).
    int: &'a str,
    /// Fraction digits without trailing zeros.
    frac: &'a str,
}

/// Reads `[+-]digits[.digits]` (either side of the point may be empty, not both). Exponents,
/// spaces, `NaN` and infinities are not numbers here.
pub fn parse_decimal(text: &str) -> Option<Decimal<'_>> {
    let (negative, body) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return None;
    }
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    Some(Decimal {
        negative: negative && !(int.is_empty() && frac.is_empty()),
        int,
        frac,
    })
}

impl Ord for Decimal<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        let magnitude = self
            .int
            .len()
            .cmp(&other.int.len())
            .then_with(|| self.int.cmp(other.int))
            .then_with(|| self.frac.cmp(other.frac));
        match (self.negative, other.negative) {
            (false, false) => magnitude,
            (true, true) => magnitude.reverse(),
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
        }
    }
}

impl PartialOrd for Decimal<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        parse_decimal(a).unwrap().cmp(&parse_decimal(b).unwrap())
    }

    #[test]
    fn compares_exactly() {
        assert_eq!(cmp("10", "9"), Ordering::Greater);
        assert_eq!(cmp("010", "10.000"), Ordering::Equal);
        assert_eq!(cmp("-0", "0"), Ordering::Equal);
        assert_eq!(cmp("-5", "-10"), Ordering::Greater);
        assert_eq!(cmp("0.05", "0.5"), Ordering::Less);
        assert_eq!(cmp(".5", "0.50"), Ordering::Equal);
        assert_eq!(
            cmp("9007199254740993", "9007199254740992"),
            Ordering::Greater,
            "no float rounding"
        );
    }

    #[test]
    fn rejects_non_numbers() {
        for bad in ["", "-", ".", "1e3", "1.2.3", " 1", "abc", "+"] {
            assert!(parse_decimal(bad).is_none(), "{bad}");
        }
    }
}
