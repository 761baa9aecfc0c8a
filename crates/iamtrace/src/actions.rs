//! `iamtrace actions FILE [--service PREFIX]`: what can this principal do here? Every action of
//! a service (or of AWS's whole catalog) decided for the scenario's principal, resource and
//! context through the engine's compiled path. `--format json` prints one JSON line per action
//! (`action`, `access_level`, `decision`, `denied_by`, `resource`, `undecided`,
//! `authorized_on`) and a last line `{"summary": {…counts, "ms", "catalog", "notes"}}`; the text
//! is a table followed by the summary. Exit 0, or 2 on an input error or an unknown service.

use crate::args::{self, Format};
use crate::input;
use crate::render::Painter;
use crate::terminal::{self, SafeWriter};
use iamtrace_engine::compiled::Bounds;
use iamtrace_engine::decision::PossibleResult;
use iamtrace_engine::sweep::{sweep, ActionSweep, Outcome, SweptAction};
use serde_json::json;
use std::io::Write;
use std::time::Instant;

fn possible(r: PossibleResult) -> String {
    match r.denied_by {
        Some(l) => format!("{} / {l}", r.decision),
        None => r.decision.to_string(),
    }
}

/// The last column of the table: the blamed layer, both possible results, or the resource
/// types a not-applicable action is authorized on.
fn detail(row: &SweptAction, bounds: Option<&Bounds>) -> String {
    match (row.decision, bounds) {
        (Outcome::Undecided, Some(b)) => format!(
            "{} or {}",
            possible(b.most_permissive),
            possible(b.most_restrictive)
        ),
        (Outcome::NotApplicable, _) => {
            format!("(authorized on {})", row.authorized_on.join(", "))
        }
        _ => row.denied_by.map(|l| l.to_string()).unwrap_or_default(),
    }
}

fn painted(p: &Painter, o: Outcome, width: usize) -> String {
    let text = format!("{:<width$}", o.name());
    match o {
        Outcome::Allowed => p.good(&text),
        Outcome::ExplicitDeny | Outcome::ImplicitDeny => p.bad(&text),
        Outcome::Undecided => p.bold(&text),
        Outcome::NotApplicable => p.dim(&text),
    }
}

fn summary_text(s: &ActionSweep, ms: f64) -> String {
    let c = &s.counts;
    let scope = s.service.as_deref().unwrap_or("every service");
    format!(
        "{scope} on {}: {} actions — {} allowed, {} explicit_deny, {} implicit_deny, {} undecided, \
         {} not_applicable ({ms:.1} ms; AWS catalog {})",
        s.resource,
        c.total,
        c.allowed,
        c.explicit_deny,
        c.implicit_deny,
        c.undecided,
        c.not_applicable,
        s.catalog
    )
}

/// `iamtrace actions`: exit 0, or 2 on bad input.
pub fn run(args: &args::Actions) -> u8 {
    let file = &args.path;
    let opts = &args.output;
    let painter = Painter::new(opts.color);
    let fail = |message: &str, line: Option<u32>, column: Option<u32>| {
        match opts.format {
            Format::Json => println!(
                "{}",
                json!({"file": file, "error": {"message": message, "line": line, "column": column}})
            ),
            Format::Text => {
                let e = input::LoadError {
                    message: message.to_string(),
                    line,
                    column,
                };
                eprintln!(
                    "{}",
                    terminal::safe(&crate::render::load_error(&painter, file, &e), false)
                );
            }
        }
        2
    };
    let loaded = match input::load(file) {
        Ok(l) => l,
        Err(e) => return fail(&e.message, e.line, e.column),
    };
    // The catalog is decoded once per process, on first use; the time reported is the sweep's.
    let _ = iamtrace_engine::catalog::catalog();
    let started = Instant::now();
    let swept = match sweep(&loaded.scenario, args.service.as_deref()) {
        Ok(s) => s,
        Err(e) => return fail(&e.message, None, None),
    };
    let ms = started.elapsed().as_secs_f64() * 1000.0;

    let stdout = std::io::stdout();
    let mut out = SafeWriter::new(stdout.lock(), painter.colour());
    match opts.format {
        Format::Json => {
            for row in &swept.actions {
                let _ = writeln!(out, "{}", json!(row));
            }
            let _ = writeln!(
                out,
                "{}",
                json!({"summary": {
                    "file": file,
                    "service": swept.service,
                    "resource": swept.resource,
                    "counts": swept.counts,
                    "ms": (ms * 100.0).round() / 100.0,
                    "catalog": swept.catalog,
                    "notes": swept.notes,
                }})
            );
        }
        Format::Text => {
            let action_width = swept
                .actions
                .iter()
                .map(|r| r.action.len())
                .max()
                .unwrap_or(0)
                .max("ACTION".len());
            let (level_width, decision_width) = ("Permissions management".len(), 14);
            let _ = writeln!(
                out,
                "{}",
                painter.bold(&format!(
                    "{:<action_width$}  {:<level_width$}  {:<decision_width$}  DENIED BY",
                    "ACTION", "ACCESS LEVEL", "DECISION"
                ))
            );
            for row in &swept.actions {
                let _ = writeln!(
                    out,
                    "{:<action_width$}  {:<level_width$}  {}  {}",
                    row.action,
                    row.access_level.aws_name(),
                    painted(&painter, row.decision, decision_width),
                    detail(row, row.undecided.as_ref())
                );
            }
            let _ = writeln!(out, "{}", summary_text(&swept, ms));
            for n in &swept.notes {
                let _ = writeln!(out, "{}", painter.dim(&format!("note: {n}")));
            }
        }
    }
    0
}
