//! Fuzz target: the auto-detecting import entry (`imports::import`), as the CLI's `import` and
//! the page's paste box use it; a first line `@<principal>` picks a principal.
#![no_main]

mod common;

use iamtrace_engine::imports::{import, ImportOptions};
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
    common::check_import(import(text, &options));
});
