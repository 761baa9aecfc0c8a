//! "Did you mean": the closest name by edit distance (Damerau–Levenshtein, letters compared
//! without case), when it is close enough to be a typo.

use crate::catalog::Catalog;
use crate::matching::wildcard::has_wildcard;

/// The action an `unknown-service` or `unknown-action` entry was probably meant to be, as a whole
/// entry to write instead (`s3:GetObjects` → `s3:GetObject`, `s4:GetObject` → `s3:GetObject`):
/// the same "did you mean" the finding's message gives, for editors that offer it as a repair.
/// `None` when the entry is an action of the catalog, a wildcard, malformed, or nothing is close.
pub fn did_you_mean(cat: &Catalog, entry: &str) -> Option<String> {
    let (prefix, name) = entry.split_once(':')?;
    if prefix.is_empty() || name.is_empty() || has_wildcard(prefix) || has_wildcard(name) {
        return None;
    }
    let service = match cat.service(prefix) {
        Some(s) if s.action(name).is_some() => return None,
        Some(s) => s,
        None => {
            let p = closest(prefix, cat.services().iter().map(|s| s.prefix()))?;
            cat.service(p)?
        }
    };
    let fixed = match service.action(name) {
        Some(a) => a.name(),
        None => closest(name, service.actions().iter().map(|a| a.name()))?,
    };
    Some(format!("{}:{fixed}", service.prefix()))
}

/// The candidate closest to `written`, if at most a third of its letters (and at most 3) differ.
pub fn closest<'a>(written: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let lower = written.to_ascii_lowercase();
    let limit = (lower.chars().count() / 3).clamp(1, 3);
    candidates
        .map(|c| {
            (
                strsim::damerau_levenshtein(&lower, &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    #[test]
    fn did_you_mean_gives_the_whole_entry_to_write() {
        let cat = crate::catalog::catalog().expect("catalog");
        let dym = |e: &str| super::did_you_mean(cat, e);
        assert_eq!(dym("s3:GetObjects").as_deref(), Some("s3:GetObject"));
        assert_eq!(dym("S3:getobjects").as_deref(), Some("s3:GetObject"));
        assert_eq!(dym("s4:GetObject").as_deref(), Some("s3:GetObject"));
        assert_eq!(dym("kms:Decrpyt").as_deref(), Some("kms:Decrypt"));
        for none in [
            "s3:GetObject",
            "s3:Get*",
            "s3:Frobnicate",
            "nosuchservice:x",
            "x",
            "*",
        ] {
            assert_eq!(dym(none), None, "{none}");
        }
    }

    #[test]
    fn typos_are_suggested_and_strangers_are_not() {
        let names = ["GetObject", "GetObjectAcl", "PutObject", "ListBucket"];
        assert_eq!(
            super::closest("GetObjects", names.into_iter()),
            Some("GetObject")
        );
        assert_eq!(
            super::closest("listbuckt", names.into_iter()),
            Some("ListBucket")
        );
        assert_eq!(super::closest("DescribeInstances", names.into_iter()), None);
    }
}
