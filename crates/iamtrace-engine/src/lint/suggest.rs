//! "Did you mean": the closest name by edit distance (Damerau–Levenshtein, letters compared
//! without case), when it is close enough to be a typo.

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
