//! `iamtrace redact FILE`: the case with its account IDs, organization IDs, principal and
//! resource names, IP addresses, VPC and endpoint IDs, external IDs and tag values replaced by
//! AWS's documentation placeholders, verified to decide exactly as the original. The redacted
//! scenario goes to stdout (ready to share or to make a permalink from); what was replaced and
//! what was kept, and why, goes to stderr, so `iamtrace redact case.json > shareable.json` keeps
//! the mapping on the terminal only.

use crate::input;
use crate::terminal::safe;
use iamtrace_engine::decision::evaluate;
use iamtrace_engine::sharing::redact;

/// Runs the command; the exit code: 0 redacted and verified, 1 not verified (nothing was
/// replaced), 2 an input error.
pub fn run(path: &str) -> u8 {
    let loaded = match input::load(path) {
        Ok(l) => l,
        Err(e) => {
            let at = match (e.line, e.column) {
                (Some(l), Some(c)) => format!(" at line {l}, column {c}"),
                _ => String::new(),
            };
            eprintln!("iamtrace redact: {path}: {}{at}", safe(&e.message, false));
            return 2;
        }
    };
    let r = redact(&loaded.scenario);
    println!("{}", r.scenario.to_json_string());
    for x in &r.replaced {
        eprintln!(
            "replaced {} {} → {}",
            x.kind.label(),
            safe(&x.original, false),
            safe(&x.replacement, false)
        );
    }
    for k in &r.kept {
        eprintln!(
            "kept {} {}: {}",
            k.kind.label(),
            safe(&k.value, false),
            safe(&k.reason, false)
        );
    }
    let decision = evaluate(&r.scenario).decision;
    if r.verified {
        eprintln!(
            "iamtrace redact: {} replaced, {} kept; the redacted case decides as the original \
             ({decision}, with the same outcome for every statement)",
            r.replaced.len(),
            r.kept.len()
        );
        0
    } else {
        eprintln!(
            "iamtrace redact: the case does not read back the same once written out, so nothing \
             was replaced"
        );
        1
    }
}
