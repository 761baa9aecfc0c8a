//! `iamtrace fix FILE`: what to change so that a denied scenario is allowed, best first, each
//! verified by the engine (applied to a copy and evaluated again). `--format json` prints one
//! JSON line per suggestion: `kind`, `layer`, `policy` (`level`, `index`), `side`, `summary`,
//! `diff`, `scenario` (the whole fixed scenario, or `null` outside the user's control) and
//! `organization`. Exit 0 with suggestions, 1 with none, 2 on an input error.

use crate::args::{self, Format};
use crate::input;
use crate::render::Painter;
use crate::terminal::{self, SafeWriter};
use iamtrace_engine::fixes::{suggest, Fix, FixKind};
use serde_json::{json, Value};
use std::io::Write;

fn fix_json(f: &Fix) -> Value {
    json!({
        "kind": f.kind.name(),
        "layer": f.layer,
        "policy": {"level": f.policy.level, "index": f.policy.index},
        "side": f.side,
        "summary": f.summary,
        "diff": f.diff,
        "scenario": f.scenario.as_ref().map(|s| s.to_json()),
        "organization": f.organization,
    })
}

fn text(p: &Painter, n: usize, f: &Fix) -> String {
    let mut out = String::new();
    let place = f
        .changes
        .iter()
        .find_map(|c| c.policy())
        .map(|at| at.place())
        .unwrap_or_else(|| "request.context".into());
    let kind = if f.kind == FixKind::OutsideControl {
        p.bad(f.kind.name())
    } else {
        p.good(f.kind.name())
    };
    out.push_str(&format!("{n}. {kind} {}\n", p.dim(&place)));
    out.push_str(&format!("   {}\n", f.summary));
    if let Some(o) = &f.organization {
        for e in &o.exemptions {
            out.push_str(&format!("   exemption: {e}\n"));
        }
    }
    for line in f.diff.lines() {
        let painted = if line.starts_with("+++") || line.starts_with("---") {
            p.bold(line)
        } else if line.starts_with('+') {
            p.good(line)
        } else if line.starts_with('-') {
            p.bad(line)
        } else if line.starts_with("@@") {
            p.dim(line)
        } else {
            line.to_string()
        };
        out.push_str(&format!("   {painted}\n"));
    }
    if f.kind == FixKind::OutsideControl {
        out.push_str(&format!(
            "   {}\n",
            p.dim("(the change above is the organization's to make; it was verified on a copy)")
        ));
    }
    out
}

/// `iamtrace fix`: exit 0 with suggestions, 1 with none, 2 on bad input.
pub fn run(args: &args::Fix) -> u8 {
    let file = &args.path;
    let opts = &args.output;
    let painter = Painter::new(opts.color);
    let loaded = match input::load(file) {
        Ok(l) => l,
        Err(e) => {
            match opts.format {
                Format::Json => println!(
                    "{}",
                    json!({"file": file, "error": {"message": e.message, "line": e.line, "column": e.column}})
                ),
                Format::Text => eprint!(
                    "{}",
                    terminal::safe(&crate::render::load_error(&painter, file, &e), false)
                ),
            }
            return 2;
        }
    };
    let s = suggest(&loaded.scenario);
    let stdout = std::io::stdout();
    let mut out = SafeWriter::new(stdout.lock(), painter.colour());
    match opts.format {
        Format::Json => {
            for f in &s.fixes {
                let _ = writeln!(out, "{}", fix_json(f));
            }
        }
        Format::Text => {
            let _ = writeln!(
                out,
                "{file}: {} — {} verified fix{} ({} changes tried)",
                s.decision,
                s.fixes.len(),
                if s.fixes.len() == 1 { "" } else { "es" },
                s.candidates
            );
            for (i, f) in s.fixes.iter().enumerate() {
                let _ = write!(out, "{}", text(&painter, i + 1, f));
            }
        }
    }
    for n in &s.notes {
        eprintln!("note: {}", terminal::safe(n, false));
    }
    if s.fixes.is_empty() {
        1
    } else {
        0
    }
}
