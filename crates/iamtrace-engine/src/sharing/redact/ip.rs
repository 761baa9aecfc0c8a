//! IP addresses and CIDR ranges rewritten so that membership is kept: an address inside a range
//! of the case stays inside the rewritten range, and one outside stays outside.
//!
//! The networks of the case (the addresses cut to the widest range's prefix, at most /24) are
//! moved to reserved blocks, and the bits below that prefix are kept: two values share a prefix
//! after the rewrite exactly when they shared it before, so every `IpAddress`/`NotIpAddress` test
//! says what it said. Public /24 networks go to the documentation ranges of RFC 5737
//! (`192.0.2.0/24`, `198.51.100.0/24`, `203.0.113.0/24`), wider public ones to the benchmarking
//! block `198.18.0.0/15` (RFC 2544, never routed), private ones into `10.0.0.0/8`; IPv6 networks
//! to the documentation prefix `2001:db8::/32` (RFC 3849).

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// What became of one written value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IpRewrite {
    Replaced(String),
    /// Already in a documentation range.
    Placeholder,
    /// Cannot be moved without breaking membership; the reason says why.
    Kept(String),
}

/// A written address (`203.0.113.5`) or range (`203.0.113.0/24`).
pub fn parse(text: &str) -> Option<IpNet> {
    if text.contains('/') {
        text.parse::<IpNet>().ok()
    } else {
        text.parse::<IpAddr>().ok().map(IpNet::from)
    }
}

/// Distinct values in the order they first appear: the first network of the case gets the first
/// documentation range.
fn in_order<T: PartialEq>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

const DOC_V4: [u32; 3] = [0xC000_0200, 0xC633_6400, 0xCB00_7100];

fn is_private_v4(a: u32) -> bool {
    let ip = Ipv4Addr::from(a);
    ip.is_private() || ip.is_loopback() || ip.is_link_local()
}

/// The rewrite of every value, keyed by its text.
pub fn rewrite_all(values: &[String]) -> BTreeMap<String, IpRewrite> {
    let mut v4 = Vec::new();
    let mut v6 = Vec::new();
    for text in values {
        match parse(text) {
            Some(IpNet::V4(n)) => v4.push((text.clone(), n)),
            Some(IpNet::V6(n)) => v6.push((text.clone(), n)),
            None => {}
        }
    }
    let mut out = BTreeMap::new();
    out.extend(rewrite_v4(&v4));
    out.extend(rewrite_v6(&v6));
    out
}

fn written(text: &str, addr: IpAddr, len: u8) -> String {
    if text.contains('/') {
        format!("{addr}/{len}")
    } else {
        addr.to_string()
    }
}

fn rewrite_v4(values: &[(String, Ipv4Net)]) -> Vec<(String, IpRewrite)> {
    let Some(widest) = values.iter().map(|(_, n)| n.prefix_len()).min() else {
        return Vec::new();
    };
    let k = u32::from(widest.min(24));
    let keep_all = |why: String| {
        values
            .iter()
            .map(|(t, _)| (t.clone(), IpRewrite::Kept(why.clone())))
            .collect()
    };
    if k < 8 {
        return keep_all(format!(
            "a range as wide as /{widest} cannot move to a reserved block without changing which \
             addresses it holds"
        ));
    }
    let top = |a: u32| a >> (32 - k);
    let tops = in_order(values.iter().map(|(_, n)| top(u32::from(n.addr()))));
    // Documentation networks already in the case stay where they are.
    let doc_tops: Vec<u32> = if k == 24 {
        DOC_V4.iter().map(|d| d >> 8).collect()
    } else {
        Vec::new()
    };
    let mut free_doc = doc_tops.iter().copied().filter(|d| !tops.contains(d));
    let mut next_bench = 0u32;
    let mut next_private = 0u32;
    let mut target = BTreeMap::new();
    for &t in &tops {
        if doc_tops.contains(&t) {
            target.insert(t, t);
            continue;
        }
        let private = is_private_v4(t << (32 - k));
        let to = if private {
            let room = 1u32 << (k - 8);
            if next_private >= room {
                return keep_all(format!(
                    "the case has more private /{k} networks than fit in 10.0.0.0/8"
                ));
            }
            next_private += 1;
            (10 << (k - 8)) | (next_private - 1)
        } else if let Some(d) = free_doc.next() {
            d
        } else if k >= 15 {
            let room = 1u32 << (k - 15);
            if next_bench >= room {
                return keep_all(format!(
                    "the case has more public /{k} networks than fit in 198.18.0.0/15"
                ));
            }
            next_bench += 1;
            ((0xC612_0000u32) >> (32 - k)) | (next_bench - 1)
        } else {
            let room = 1u32 << (k - 8);
            if next_private >= room {
                return keep_all(format!(
                    "the case has more /{k} networks than fit in 10.0.0.0/8"
                ));
            }
            next_private += 1;
            (10 << (k - 8)) | (next_private - 1)
        };
        target.insert(t, to);
    }
    let low = if k == 32 { 0 } else { u32::MAX >> k };
    values
        .iter()
        .map(|(text, n)| {
            let a = u32::from(n.addr());
            let t = top(a);
            let to = target.get(&t).copied().unwrap_or(t);
            let r = if to == t {
                IpRewrite::Placeholder
            } else {
                let addr = Ipv4Addr::from((to << (32 - k)) | (a & low));
                IpRewrite::Replaced(written(text, IpAddr::V4(addr), n.prefix_len()))
            };
            (text.clone(), r)
        })
        .collect()
}

fn rewrite_v6(values: &[(String, Ipv6Net)]) -> Vec<(String, IpRewrite)> {
    let Some(widest) = values.iter().map(|(_, n)| n.prefix_len()).min() else {
        return Vec::new();
    };
    let doc: u128 = 0x2001_0db8 << 96;
    // Networks are cut at /48 when every value is at least that narrow, else at /32.
    let k: u32 = if widest >= 48 { 48 } else { 32 };
    let top = |a: u128| a >> (128 - k);
    let tops = in_order(values.iter().map(|(_, n)| top(u128::from(n.addr()))));
    let room: usize = if k == 48 { 1 << 16 } else { 1 };
    if widest < 32 || tops.len() > room {
        return values
            .iter()
            .map(|(t, _)| {
                (
                    t.clone(),
                    IpRewrite::Kept(
                        "the IPv6 ranges of the case do not fit in the documentation prefix \
                         2001:db8::/32 without changing which addresses they hold"
                            .into(),
                    ),
                )
            })
            .collect();
    }
    let doc_top = top(doc);
    let low = u128::MAX >> k;
    values
        .iter()
        .map(|(text, n)| {
            let a = u128::from(n.addr());
            let t = top(a);
            let i = tops.iter().position(|x| *x == t).unwrap_or(0) as u128;
            let to = if k == 48 {
                (doc_top << 16 | i) & ((1 << 48) - 1)
            } else {
                doc_top
            };
            let r = if (k == 32 && t == doc_top) || (k == 48 && t >> 16 == doc_top) {
                IpRewrite::Placeholder
            } else {
                let addr = Ipv6Addr::from((to << (128 - k)) | (a & low));
                IpRewrite::Replaced(written(text, IpAddr::V6(addr), n.prefix_len()))
            };
            (text.clone(), r)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rw(values: &[&str]) -> BTreeMap<String, IpRewrite> {
        rewrite_all(&values.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    fn replaced(m: &BTreeMap<String, IpRewrite>, k: &str) -> IpNet {
        match &m[k] {
            IpRewrite::Replaced(s) => parse(s).unwrap(),
            other => panic!("{k}: {other:?}"),
        }
    }

    #[test]
    fn membership_is_kept_for_a_slash_16() {
        let m = rw(&["52.94.0.0/16", "52.94.7.9", "52.95.1.1"]);
        let range = replaced(&m, "52.94.0.0/16");
        assert!(range.contains(&replaced(&m, "52.94.7.9").addr()));
        assert!(!range.contains(&replaced(&m, "52.95.1.1").addr()));
        assert!(range.to_string().starts_with("198.18."));
    }

    #[test]
    fn slash_24_networks_go_to_documentation_ranges() {
        let m = rw(&["54.240.143.0/24", "54.240.143.7", "8.8.8.8"]);
        assert_eq!(replaced(&m, "54.240.143.0/24").to_string(), "192.0.2.0/24");
        assert_eq!(replaced(&m, "54.240.143.7").to_string(), "192.0.2.7/32");
        assert_eq!(replaced(&m, "8.8.8.8").to_string(), "198.51.100.8/32");
        assert_eq!(rw(&["203.0.113.9"])["203.0.113.9"], IpRewrite::Placeholder);
    }

    #[test]
    fn private_networks_stay_private_and_wide_ranges_are_kept() {
        let m = rw(&["192.168.1.0/24", "192.168.1.20"]);
        assert_eq!(replaced(&m, "192.168.1.0/24").to_string(), "10.0.0.0/24");
        assert!(matches!(
            rw(&["0.0.0.0/0"])["0.0.0.0/0"],
            IpRewrite::Kept(_)
        ));
        let v6 = rw(&["2600:1f18::/32", "2600:1f18:1:2::5"]);
        assert!(replaced(&v6, "2600:1f18::/32").contains(&replaced(&v6, "2600:1f18:1:2::5").addr()));
    }
}
