//! The examples gallery's cases (`examples/*.json`), embedded in the page at build time.

/// (file name, scenario JSON).
pub const EXAMPLES: &[(&str, &str)] = &[
    (
        "01-cross-account-assume-role-allowed.json",
        include_str!("../examples/01-cross-account-assume-role-allowed.json"),
    ),
    (
        "02-cross-account-assume-role-caller-side-denied.json",
        include_str!("../examples/02-cross-account-assume-role-caller-side-denied.json"),
    ),
    (
        "03-cross-account-assume-role-resource-side-denied.json",
        include_str!("../examples/03-cross-account-assume-role-resource-side-denied.json"),
    ),
    (
        "04-s3-vpc-endpoint-restrictive-policy.json",
        include_str!("../examples/04-s3-vpc-endpoint-restrictive-policy.json"),
    ),
    (
        "05-kms-key-policy-without-iam-delegation.json",
        include_str!("../examples/05-kms-key-policy-without-iam-delegation.json"),
    ),
    (
        "06-scp-region-deny.json",
        include_str!("../examples/06-scp-region-deny.json"),
    ),
    (
        "07-permissions-boundary-implicit-deny.json",
        include_str!("../examples/07-permissions-boundary-implicit-deny.json"),
    ),
    (
        "08-session-policy-narrows-role.json",
        include_str!("../examples/08-session-policy-narrows-role.json"),
    ),
    (
        "09-bucket-policy-names-role-session.json",
        include_str!("../examples/09-bucket-policy-names-role-session.json"),
    ),
    (
        "10-bucket-policy-names-role.json",
        include_str!("../examples/10-bucket-policy-names-role.json"),
    ),
];

/// The title of an example (its `title` field, else its file name).
pub fn title(json: &str, file: &str) -> String {
    serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|v| v.get("title")?.as_str().map(str::to_string))
        .unwrap_or_else(|| file.trim_end_matches(".json").to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_example_is_a_readable_scenario() {
        for (file, json) in super::EXAMPLES {
            assert!(crate::engine::read_scenario_file(json).is_ok(), "{file}");
        }
    }

    /// Every example opens from its own permalink; prints the link lengths for the notes
    /// (`cargo test -p iamtrace-web --lib examples -- --nocapture`).
    #[test]
    fn every_example_round_trips_through_its_permalink() {
        for (file, json) in super::EXAMPLES {
            let case = crate::engine::read_scenario_file(json).expect("example");
            let fragment = crate::engine::share_fragment(&case);
            let back = crate::engine::open_fragment(&fragment).expect("link opens");
            assert_eq!(
                back.to_scenario().to_json(),
                case.to_scenario().to_json(),
                "{file}"
            );
            println!("{file}: link fragment {} chars", fragment.len() + 1);
        }
    }
}
