//! The mapping from each identifying value of a case to its placeholder: one placeholder per
//! distinct value, so the same account, role or bucket gets the same placeholder everywhere.
//!
//! Wildcard patterns keep matching: a literal prefix written before a wildcard (`acme-prod-` of
//! `arn:aws:s3:::acme-prod-*`) gets a placeholder (`amzn-s3-demo-`), and every value starting
//! with it is rewritten as that placeholder plus a placeholder for the rest
//! (`acme-prod-logs` → `amzn-s3-demo-example1`). Names that differ only in case get placeholders
//! that differ in the same way, so case-insensitive operators still compare them equal.
//! Literal text written after a wildcard (`log` of `*log*`) is kept, in the pattern and inside
//! every value that holds it (`acme-prod-logs` → `example01-logexample02`), and no placeholder
//! contains it unless its original did.
//! Values that must change together (a prefix and the values it covers, case variants, all IP
//! values) form one group: verification keeps or replaces a group as a whole.

use super::ip::{self, IpRewrite};
use super::kind::ValueKind;
use super::pieces::Role;
use super::placeholders::{is_placeholder, nth, nth_prefix, nth_remainder};
use std::collections::{HashMap, HashSet};

/// A value found in the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: ValueKind,
    pub text: String,
    pub role: Role,
    pub base: Option<&'static str>,
}

/// One distinct value and what it becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: ValueKind,
    pub original: String,
    /// Seen only as the literal prefix of a wildcard pattern.
    pub only_prefix: bool,
    /// `None`: the value stays as written (see `stays_because`).
    pub replacement: Option<String>,
    /// Why the value stays even before verification (a documentation placeholder already…).
    pub stays_because: Option<String>,
    /// Values of one group are replaced or kept together.
    pub group: usize,
}

/// Every value of a case with its placeholder.
#[derive(Debug, Clone, Default)]
pub struct ValueMap {
    pub entries: Vec<Entry>,
    by_text: HashMap<String, usize>,
    pub groups: usize,
}

struct Builder<'a> {
    kinds: HashMap<&'a str, (ValueKind, Option<&'static str>)>,
    prefixes: HashSet<&'a str>,
    taken: HashSet<String>,
    result: HashMap<String, Option<String>>,
    counters: HashMap<(ValueKind, Option<&'static str>, bool), usize>,
    remainders: HashMap<String, String>,
    by_lower: HashMap<String, String>,
    parent: HashMap<String, String>,
    prefix_placeholders: Vec<String>,
    fragments: Vec<String>,
}

/// How many numbered placeholders are tried before giving up on a clash-free one.
const MAX_TRIES: usize = 10_000;

impl Builder<'_> {
    fn find(&mut self, t: &str) -> String {
        let mut cur = t.to_string();
        while let Some(p) = self.parent.get(&cur) {
            if *p == cur {
                break;
            }
            cur = p.clone();
        }
        cur
    }

    fn union(&mut self, a: &str, b: &str) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.parent.insert(rb, ra);
        }
    }

    /// A fresh placeholder: used by no value of the case, starting with no prefix placeholder,
    /// and (for a prefix) the start of no value of the case, so that no rewritten pattern
    /// matches what its original did not.
    fn allocate(
        &mut self,
        kind: ValueKind,
        t: &str,
        base: Option<&'static str>,
        prefix: bool,
    ) -> String {
        let key = (kind, base, prefix);
        let mut n = self.counters.get(&key).copied().unwrap_or(0);
        for _ in 0..MAX_TRIES {
            let candidate = if prefix {
                nth_prefix(kind, t, n)
            } else {
                nth(kind, t, base, n)
            };
            n += 1;
            let clashes = self.taken.contains(&candidate)
                || self.avoided(&candidate)
                || self
                    .prefix_placeholders
                    .iter()
                    .any(|p| candidate.starts_with(p.as_str()))
                || (prefix && self.taken.iter().any(|v| v.starts_with(candidate.as_str())));
            if !clashes {
                self.counters.insert(key, n);
                self.taken.insert(candidate.clone());
                if prefix {
                    self.prefix_placeholders.push(candidate.clone());
                }
                return candidate;
            }
        }
        // Unreachable in practice (the numbered placeholders never run out); verification
        // still checks whatever this gives.
        format!("redacted-{}-{n}", kind.label().replace(' ', "-"))
    }

    fn remainder(&mut self, r: &str) -> String {
        if let Some(p) = self.remainders.get(r) {
            return p.clone();
        }
        let first = self.remainders.len();
        let p = (first..first + MAX_TRIES)
            .map(|n| nth_remainder(r, n))
            .find(|c| {
                !self.taken.contains(c)
                    && !self.remainders.values().any(|v| v == c)
                    && !self.avoided(c)
            })
            .unwrap_or_else(|| format!("redacted-{first}"));
        self.remainders.insert(r.to_string(), p.clone());
        p
    }

    /// Whether a placeholder holds a pattern fragment (of three characters or more: shorter ones,
    /// such as `-` of `*-*`, are in most placeholders; verification judges those).
    fn avoided(&self, candidate: &str) -> bool {
        self.fragments
            .iter()
            .any(|f| f.chars().count() >= 3 && candidate.contains(f.as_str()))
    }

    /// `t` with the pattern fragments it holds kept and every other part replaced; `None` when
    /// it holds none.
    fn around_fragments(&mut self, t: &str) -> Option<String> {
        let mut cuts: Vec<(usize, usize)> = Vec::new();
        let mut at = 0;
        while at < t.len() {
            let next = self
                .fragments
                .iter()
                .filter_map(|f| {
                    t.get(at..)?
                        .find(f.as_str())
                        .map(|i| (at + i, at + i + f.len()))
                })
                .min_by_key(|(start, end)| (*start, usize::MAX - end));
            match next {
                Some((start, end)) => {
                    cuts.push((start, end));
                    at = end;
                }
                None => break,
            }
        }
        if cuts.is_empty() {
            return None;
        }
        let mut out = String::new();
        let mut from = 0;
        for (start, end) in cuts {
            if start > from {
                let part = t.get(from..start).unwrap_or_default().to_string();
                out.push_str(&self.remainder(&part));
            }
            out.push_str(t.get(start..end).unwrap_or_default());
            from = end;
        }
        if from < t.len() {
            let part = t.get(from..).unwrap_or_default().to_string();
            out.push_str(&self.remainder(&part));
        }
        Some(out)
    }

    /// The longest other prefix of the case that `t` starts with.
    fn covering_prefix(&self, t: &str) -> Option<&str> {
        self.prefixes
            .iter()
            .filter(|p| p.len() < t.len() && t.starts_with(**p))
            .max_by_key(|p| p.len())
            .copied()
    }

    fn map(&mut self, t: &str) -> Option<String> {
        if let Some(r) = self.result.get(t) {
            return r.clone();
        }
        let (kind, base) = self
            .kinds
            .get(t)
            .copied()
            .unwrap_or((ValueKind::ResourceName, None));
        let placeholder = is_placeholder(kind, t);
        let out = if let Some(q) = self.covering_prefix(t).map(str::to_string) {
            self.union(t, &q);
            let head = self.map(&q);
            let rest = &t[q.len()..];
            match head {
                None if placeholder => None,
                head => {
                    let head = head.unwrap_or(q);
                    let tail = if placeholder {
                        rest.to_string()
                    } else {
                        let rest = rest.to_string();
                        self.around_fragments(&rest)
                            .unwrap_or_else(|| self.remainder(&rest))
                    };
                    Some(format!("{head}{tail}"))
                }
            }
        } else if placeholder {
            None
        } else if let Some(variant) = self.case_variant(kind, t) {
            Some(variant)
        } else if let Some(kept) = self.around_fragments(t) {
            (kept != t).then_some(kept)
        } else {
            Some(self.allocate(kind, t, base, self.prefixes.contains(t)))
        };
        if kind.is_name() {
            if let Some(o) = &out {
                self.by_lower
                    .entry(t.to_lowercase())
                    .or_insert_with(|| format!("{t}\u{0}{o}"));
            }
        }
        self.result.insert(t.to_string(), out.clone());
        out
    }

    /// `Alice` → `JohnDoe` makes `alice` → `johndoe` and `ALICE` → `JOHNDOE`.
    fn case_variant(&mut self, kind: ValueKind, t: &str) -> Option<String> {
        if !kind.is_name() {
            return None;
        }
        let seen = self.by_lower.get(&t.to_lowercase())?.clone();
        let (other, placeholder) = seen.split_once('\u{0}')?;
        let candidate = if t.chars().all(|c| !c.is_uppercase()) {
            placeholder.to_lowercase()
        } else if t.chars().all(|c| !c.is_lowercase()) {
            placeholder.to_uppercase()
        } else {
            return None;
        };
        if self.taken.contains(&candidate) {
            return None;
        }
        self.taken.insert(candidate.clone());
        let other = other.to_string();
        self.union(t, &other);
        Some(candidate)
    }
}

impl ValueMap {
    /// The placeholders of every value found, in the order found.
    pub fn build(found: &[Found]) -> ValueMap {
        let mut order: Vec<&Found> = Vec::new();
        let mut roles: HashMap<&str, (bool, bool)> = HashMap::new();
        let mut fragments: Vec<String> = Vec::new();
        for f in found {
            if f.role == Role::Fragment {
                if !fragments.contains(&f.text) {
                    fragments.push(f.text.clone());
                }
                continue;
            }
            let r = roles.entry(f.text.as_str()).or_insert((false, false));
            if !r.0 && !r.1 {
                order.push(f);
            }
            match f.role {
                Role::Whole => r.0 = true,
                Role::Prefix => r.1 = true,
                Role::Fragment => {}
            }
        }
        let mut b = Builder {
            kinds: order
                .iter()
                .map(|f| (f.text.as_str(), (f.kind, f.base)))
                .collect(),
            prefixes: roles
                .iter()
                .filter(|(t, r)| {
                    r.1 && !order
                        .iter()
                        .any(|f| f.text == **t && f.kind == ValueKind::IpAddress)
                })
                .map(|(t, _)| *t)
                .collect(),
            taken: found.iter().map(|f| f.text.clone()).collect(),
            result: HashMap::new(),
            counters: HashMap::new(),
            remainders: HashMap::new(),
            by_lower: HashMap::new(),
            parent: HashMap::new(),
            prefix_placeholders: Vec::new(),
            fragments,
        };
        let ips: Vec<String> = order
            .iter()
            .filter(|f| f.kind == ValueKind::IpAddress)
            .map(|f| f.text.clone())
            .collect();
        let ip_rewrites = ip::rewrite_all(&ips);
        let mut entries = Vec::new();
        let mut ip_root: Option<String> = None;
        for f in &order {
            let only_prefix = roles.get(f.text.as_str()).is_some_and(|r| !r.0);
            let (replacement, stays_because) = if f.kind == ValueKind::IpAddress {
                match &ip_root {
                    Some(root) => {
                        let root = root.clone();
                        b.union(&root, &f.text);
                    }
                    None => ip_root = Some(f.text.clone()),
                }
                match ip_rewrites.get(&f.text) {
                    Some(IpRewrite::Replaced(r)) => (Some(r.clone()), None),
                    Some(IpRewrite::Placeholder) => (None, Some(already())),
                    Some(IpRewrite::Kept(why)) => (None, Some(why.clone())),
                    None => (None, Some("not an IP address AWS reads".into())),
                }
            } else {
                let r = b.map(&f.text);
                let why = r.is_none().then(|| {
                    if is_placeholder(f.kind, &f.text) {
                        already()
                    } else {
                        "it is written as is in a wildcard pattern of the case".into()
                    }
                });
                (r, why)
            };
            entries.push(Entry {
                kind: f.kind,
                original: f.text.clone(),
                only_prefix,
                replacement,
                stays_because,
                group: 0,
            });
        }
        // Group numbers in the order groups first appear.
        let mut numbers: HashMap<String, usize> = HashMap::new();
        for e in &mut entries {
            let root = b.find(&e.original);
            let next = numbers.len();
            e.group = *numbers.entry(root).or_insert(next);
        }
        // Two values must never share a placeholder; a clash (rare: a composed name equal to
        // another placeholder) keeps the later value.
        let mut seen: HashSet<String> = HashSet::new();
        for e in &mut entries {
            if let Some(r) = &e.replacement {
                if !seen.insert(r.clone()) {
                    e.replacement = None;
                    e.stays_because =
                        Some("its placeholder would coincide with another value's".into());
                }
            }
        }
        let by_text = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.original.clone(), i))
            .collect();
        ValueMap {
            entries,
            by_text,
            groups: numbers.len(),
        }
    }

    /// What `text` becomes when its group is active.
    pub fn lookup(&self, text: &str, active: &[bool]) -> Option<&str> {
        let e = self.entries.get(*self.by_text.get(text)?)?;
        if active.get(e.group).copied().unwrap_or(false) {
            e.replacement.as_deref()
        } else {
            None
        }
    }
}

fn already() -> String {
    "already an AWS documentation placeholder".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(kind: ValueKind, text: &str, role: Role) -> Found {
        Found {
            kind,
            text: text.into(),
            role,
            base: None,
        }
    }

    #[test]
    fn a_prefix_and_the_names_it_covers_stay_consistent() {
        let m = ValueMap::build(&[
            found(ValueKind::Bucket, "acme-prod-logs", Role::Whole),
            found(ValueKind::Bucket, "acme-prod-", Role::Prefix),
            found(ValueKind::Bucket, "acme-", Role::Prefix),
            found(ValueKind::Bucket, "other", Role::Whole),
        ]);
        let all = vec![true; m.groups];
        let logs = m.lookup("acme-prod-logs", &all).unwrap();
        let prod = m.lookup("acme-prod-", &all).unwrap();
        let acme = m.lookup("acme-", &all).unwrap();
        assert!(
            logs.starts_with(prod) && prod.starts_with(acme),
            "{acme} {prod} {logs}"
        );
        assert!(!logs.contains("acme") && !logs.contains("logs"));
        assert_eq!(m.groups, 2);
        assert_eq!(m.lookup("other", &all), Some("amzn-s3-demo-bucket"));
    }

    #[test]
    fn text_after_a_wildcard_is_kept_inside_the_names_that_hold_it() {
        let m = ValueMap::build(&[
            found(ValueKind::Bucket, "acme-prod-logs", Role::Whole),
            found(ValueKind::Bucket, "log", Role::Fragment),
            found(ValueKind::Bucket, "payroll", Role::Whole),
        ]);
        let all = vec![true; m.groups];
        let logs = m.lookup("acme-prod-logs", &all).unwrap();
        assert!(logs.contains("log") && !logs.contains("acme"), "{logs}");
        let m2 = ValueMap::build(&[
            found(ValueKind::Bucket, "acme-prod-logs", Role::Whole),
            found(ValueKind::Bucket, "acme-prod-", Role::Prefix),
            found(ValueKind::Bucket, "logs", Role::Fragment),
        ]);
        let all2 = vec![true; m2.groups];
        assert_eq!(
            m2.lookup("acme-prod-logs", &all2),
            Some("amzn-s3-demo-prefix01-logs")
        );
        let other = m.lookup("payroll", &all).unwrap();
        assert!(!other.contains("log"), "{other}");
    }

    #[test]
    fn placeholders_stay_and_are_never_reused() {
        let m = ValueMap::build(&[
            found(ValueKind::Account, "111122223333", Role::Whole),
            found(ValueKind::Account, "210987654321", Role::Whole),
        ]);
        let all = vec![true; m.groups];
        assert_eq!(m.lookup("111122223333", &all), None);
        assert_eq!(m.lookup("210987654321", &all), Some("444455556666"));
    }

    #[test]
    fn case_variants_keep_their_case_relation() {
        let m = ValueMap::build(&[
            found(ValueKind::User, "Alice", Role::Whole),
            found(ValueKind::User, "alice", Role::Whole),
        ]);
        let all = vec![true; m.groups];
        assert_eq!(m.lookup("Alice", &all), Some("JohnDoe"));
        assert_eq!(m.lookup("alice", &all), Some("johndoe"));
        assert_eq!(m.groups, 1);
    }
}
