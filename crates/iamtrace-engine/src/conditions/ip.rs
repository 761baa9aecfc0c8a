//! Addresses and CIDR ranges for `IpAddress` / `NotIpAddress` (rules §3.9), IPv4 and IPv6.

use ipnet::IpNet;
use std::net::IpAddr;

/// A policy value: a CIDR range, or one address (`/32` for IPv4, `/128` for IPv6). Bits beyond the
/// prefix are ignored, as AWS does (`203.0.113.5/24` ≡ `203.0.113.0/24`).
pub fn parse_range(text: &str) -> Result<IpNet, String> {
    if text.contains('/') {
        text.parse::<IpNet>()
            .map(|n| n.trunc())
            .map_err(|_| format!("'{text}' is not an IPv4 or IPv6 CIDR range"))
    } else {
        text.parse::<IpAddr>()
            .map(IpNet::from)
            .map_err(|_| format!("'{text}' is not an IP address or CIDR range"))
    }
}

/// A request value: one address.
pub fn parse_address(text: &str) -> Option<IpAddr> {
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_single_addresses() {
        let r = parse_range("203.0.113.5/24").unwrap();
        assert!(r.contains(&parse_address("203.0.113.200").unwrap()));
        let one = parse_range("203.0.113.5").unwrap();
        assert!(one.contains(&parse_address("203.0.113.5").unwrap()));
        assert!(!one.contains(&parse_address("203.0.113.6").unwrap()));
        let v6 = parse_range("2001:DB8:1234:5678::/64").unwrap();
        assert!(v6.contains(&parse_address("2001:db8:1234:5678::1").unwrap()));
        assert!(!v6.contains(&parse_address("2001:db8:1234:5679::1").unwrap()));
        assert!(!v6.contains(&parse_address("203.0.113.5").unwrap()));
        assert!(parse_range("203.0.113.0/33").is_err());
        assert!(parse_range("not-an-ip").is_err());
    }
}
