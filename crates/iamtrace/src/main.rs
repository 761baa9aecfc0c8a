//! `iamtrace`: explains AWS AccessDenied decisions from scenario files.
//!
//! - `iamtrace eval PATH…` prints the decision trace of each scenario (or JSON lines with
//!   `--format json`); exit 0 when all are allowed, 1 on a denial or an undecided result, 2 on an
//!   input error.
//! - `iamtrace check PATH…` compares scenarios that carry `expect` with the engine; exit 0 when all
//!   pass, 1 on a mismatch or an undecided result, 2 on an input error.
//! - `iamtrace import PATH|-` turns a pasted artefact (decoded message, error text, CloudTrail
//!   event…) into a scenario.

mod args;
mod input;
mod render;

use args::{Command, Format, Options};
use iamtrace_engine::decision::{evaluate, Evaluation};
use iamtrace_engine::scenario::Scenario;
use serde_json::{json, Value};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let opts = match args::parse(&argv) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("iamtrace: {e}\n\n{}", args::USAGE);
            return ExitCode::from(2);
        }
    };
    let code = match opts.command {
        Command::Help => {
            println!("{}", args::USAGE);
            0
        }
        Command::Version => {
            println!("iamtrace {}", env!("CARGO_PKG_VERSION"));
            0
        }
        Command::Eval => run_eval(&opts),
        Command::Check => run_check(&opts),
        Command::Import => run_import(&opts),
    };
    ExitCode::from(code)
}

/// One scenario read from disk or stdin, or why it could not be.
struct Loaded {
    file: String,
    result: Result<(Scenario, Vec<String>), input::LoadError>,
}

fn load_all(opts: &Options) -> (Vec<Loaded>, bool) {
    let mut out = Vec::new();
    let mut input_error = false;
    for path in &opts.paths {
        match input::expand(path) {
            Ok(files) => {
                for file in files {
                    let result = input::load(&file);
                    out.push(Loaded { file, result });
                }
            }
            Err(e) => {
                input_error = true;
                out.push(Loaded {
                    file: path.clone(),
                    result: Err(e),
                });
            }
        }
    }
    (out, input_error)
}

fn error_json(file: &str, e: &input::LoadError) -> Value {
    json!({"file": file, "error": {"message": e.message, "line": e.line, "column": e.column}})
}

fn eval_json(file: &str, scenario: &Scenario, warnings: &[String], e: &Evaluation) -> Value {
    let agreement = match iamtrace_engine::imports::scenario_agreement(scenario, e) {
        None => Value::Null,
        Some(Ok(a)) => json!(a),
        Some(Err(msg)) => json!({"error": msg}),
    };
    json!({
        "file": file,
        "title": scenario.title,
        "decision": e.decision,
        "denied_by": e.denied_by,
        "message": e.message,
        "message_note": e.message_note,
        "service_notes": e.service_notes,
        "cross_account": e.cross_account,
        "complete": e.complete,
        "undecided": e.undecided,
        "unknown_statements": e.unknown_statements,
        "gates": e.gates,
        "missing_keys": e.missing_keys,
        "assumptions": e.assumptions,
        "errors": e.errors,
        "warnings": warnings,
        "agreement": agreement,
    })
}

fn print_line(out: &mut impl Write, v: &Value) {
    let _ = writeln!(out, "{v}");
}

fn run_eval(opts: &Options) -> u8 {
    let (loaded, mut input_error) = load_all(opts);
    let mut denied = false;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let painter = render::Painter::new(opts.color);
    for item in &loaded {
        match &item.result {
            Err(e) => {
                input_error = true;
                match opts.format {
                    Format::Json => print_line(&mut out, &error_json(&item.file, e)),
                    Format::Text => {
                        let _ = writeln!(out, "{}", render::load_error(&painter, &item.file, e));
                    }
                }
            }
            Ok((scenario, warnings)) => {
                let e = evaluate(scenario);
                if !e.errors.is_empty() {
                    input_error = true;
                }
                if e.decision != iamtrace_engine::decision::Decision::Allowed
                    || e.undecided.is_some()
                {
                    denied = true;
                }
                match opts.format {
                    Format::Json => {
                        print_line(&mut out, &eval_json(&item.file, scenario, warnings, &e))
                    }
                    Format::Text => {
                        let _ = write!(
                            out,
                            "{}",
                            render::trace(&painter, &item.file, scenario, warnings, &e)
                        );
                        if let Some(a) = iamtrace_engine::imports::scenario_agreement(scenario, &e)
                        {
                            let _ = write!(out, "{}", render::agreement(&painter, &a));
                        }
                    }
                }
            }
        }
    }
    if loaded.is_empty() {
        eprintln!("iamtrace: no scenario files found");
        return 2;
    }
    if input_error {
        2
    } else if denied {
        1
    } else {
        0
    }
}

fn run_check(opts: &Options) -> u8 {
    let (loaded, mut input_error) = load_all(opts);
    let (mut passed, mut failed, mut skipped) = (0usize, 0usize, 0usize);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let painter = render::Painter::new(opts.color);
    for item in &loaded {
        let (scenario, warnings) = match &item.result {
            Err(e) => {
                input_error = true;
                match opts.format {
                    Format::Json => print_line(&mut out, &error_json(&item.file, e)),
                    Format::Text => {
                        let _ = writeln!(out, "{}", render::load_error(&painter, &item.file, e));
                    }
                }
                continue;
            }
            Ok(v) => v,
        };
        let Some(expect) = &scenario.expect else {
            skipped += 1;
            continue;
        };
        let e = evaluate(scenario);
        if !e.errors.is_empty() {
            input_error = true;
        }
        let got_layer = e.denied_by.map(|l| l.name().to_string());
        // An undecided result fails: the expectation can match at most one of its readings.
        let ok = e.undecided.is_none()
            && e.decision.name() == expect.decision
            && got_layer == expect.denied_by;
        if ok {
            passed += 1;
        } else {
            failed += 1;
        }
        match opts.format {
            Format::Json => {
                let mut v = eval_json(&item.file, scenario, warnings, &e);
                v["passed"] = json!(ok);
                v["expected"] = json!({"decision": expect.decision, "denied_by": expect.denied_by});
                print_line(&mut out, &v);
            }
            Format::Text if !ok => {
                if let Some(u) = &e.undecided {
                    let _ = writeln!(
                        out,
                        "{} {}: expected {} / {}, got an undecided result: {}",
                        painter.bad("UNDECIDED"),
                        item.file,
                        expect.decision,
                        expect.denied_by.as_deref().unwrap_or("-"),
                        render::possible_results(u)
                    );
                    let _ = write!(
                        out,
                        "{}",
                        render::trace(&painter, &item.file, scenario, warnings, &e)
                    );
                    continue;
                }
                let _ = writeln!(
                    out,
                    "{} {}: expected {} / {}, got {} / {}",
                    painter.bad("MISMATCH"),
                    item.file,
                    expect.decision,
                    expect.denied_by.as_deref().unwrap_or("-"),
                    e.decision,
                    got_layer.as_deref().unwrap_or("-")
                );
                let _ = write!(
                    out,
                    "{}",
                    render::trace(&painter, &item.file, scenario, warnings, &e)
                );
            }
            Format::Text => {}
        }
    }
    if opts.format == Format::Json {
        print_line(
            &mut out,
            &json!({"summary": {"passed": passed, "failed": failed, "skipped": skipped}}),
        );
    } else {
        if skipped > 0 {
            let _ = writeln!(out, "{skipped} without expect (skipped)");
        }
        let _ = writeln!(out, "{passed} passed, {failed} failed");
    }
    if input_error || loaded.is_empty() {
        2
    } else if failed > 0 {
        1
    } else {
        0
    }
}

fn run_import(opts: &Options) -> u8 {
    let Some(path) = opts.paths.first() else {
        eprintln!("iamtrace import: give a file or - for stdin");
        return 2;
    };
    let text = match input::read_text(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("iamtrace import: {path}: {}", e.message);
            return 2;
        }
    };
    let options = iamtrace_engine::imports::ImportOptions {
        principal: opts.principal.clone(),
    };
    match iamtrace_engine::imports::import(&text, &options) {
        Ok(imp) => {
            println!("{}", imp.scenario.to_json_string());
            eprintln!("recognised: {}", imp.recognised);
            for f in &imp.filled {
                eprintln!("filled: {f}");
            }
            for n in &imp.notes {
                eprintln!("note: {n}");
            }
            for c in &imp.candidates {
                eprintln!("other candidate: {c}");
            }
            0
        }
        Err(e) => {
            eprintln!("iamtrace import: {path}: {e}");
            2
        }
    }
}
