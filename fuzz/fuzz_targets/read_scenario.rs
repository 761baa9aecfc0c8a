//! Fuzz target: the scenario file reader, then the layered decision on whatever reads, then
//! save-and-reload (see `common::check_scenario`).
#![no_main]

mod common;

use iamtrace_engine::scenario::Scenario;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Scenario::parse(text) {
        Err(e) => {
            assert!(!e.message.is_empty());
            assert!(
                e.span.start <= e.span.end && e.span.end <= text.len(),
                "{:?}",
                e.span
            );
        }
        Ok(parsed) => {
            for w in &parsed.warnings {
                assert!(!w.message.is_empty());
            }
            common::check_scenario(&parsed.scenario);
        }
    }
});
