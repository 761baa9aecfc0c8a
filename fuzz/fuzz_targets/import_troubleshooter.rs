//! Fuzz target: the importer for Access Troubleshooter output, read as that kind without detection
//! (`imports::import_as`); the first byte, when it is `@`, starts a line that picks a principal.
#![no_main]

mod common;

use iamtrace_engine::imports::{import_as, ArtefactKind, ImportOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (principal, text) = match text.strip_prefix('@').and_then(|t| t.split_once('\n')) {
        Some((p, rest)) => (Some(p.to_string()), rest),
        None => (None, text),
    };
    let options = ImportOptions { principal };
    common::check_import(import_as(
        ArtefactKind::AccessTroubleshooter,
        text,
        &options,
    ));
});
