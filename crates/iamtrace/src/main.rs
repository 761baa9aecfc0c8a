//! `iamtrace`: explains AWS AccessDenied decisions from scenario files.
//!
//! - `iamtrace eval PATH…` prints the decision trace of each scenario (or JSON lines with
//!   `--format json`); exit 0 when all are allowed, 1 on a denial or an undecided result, 2 on an
//!   input error.
//! - `iamtrace check PATH…` compares scenarios that carry `expect` with the engine; exit 0 when all
//!   pass, 1 on a mismatch or an undecided result, 2 on an input error.
//! - `iamtrace import PATH|-…` turns pasted artefacts (decoded message, error text, CloudTrail
//!   event, raw AWS CLI policy output, collect output…) into one scenario.
//! - `iamtrace collect PATH|-` prints the shell snippet that fetches every policy of a case.
//! - `iamtrace redact FILE|-` writes the case with identifying values replaced by AWS's
//!   documentation placeholders (verified to decide the same) to stdout, the mapping to stderr.

mod args;
mod input;
mod redact;
mod render;
mod terminal;

use args::{Command, Format, Options};
use iamtrace_engine::decision::Evaluation;
use iamtrace_engine::imports;
use iamtrace_engine::reproduction::commands::{collect_snippet, CaseFacts};
use serde_json::{json, Value};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let opts = match args::parse(&argv) {
        Ok(o) => o,
        Err(e) => {
            eprintln!(
                "iamtrace: {}\n\n{}",
                terminal::safe(&e.to_string(), false),
                args::USAGE
            );
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
        Command::Collect => run_collect(&opts),
        Command::Redact => opts.paths.first().map_or(2, |p| redact::run(p)),
    };
    ExitCode::from(code)
}

/// One scenario read from disk or stdin, or why it could not be.
struct Loaded {
    file: String,
    result: Result<input::LoadedScenario, input::LoadError>,
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

fn eval_json(file: &str, loaded: &input::LoadedScenario, e: &Evaluation) -> Value {
    let scenario = &loaded.scenario;
    let agreement = match iamtrace_engine::imports::scenario_agreement(scenario, e) {
        None => Value::Null,
        Some(Ok(a)) => json!(a),
        Some(Err(msg)) => json!({"error": msg}),
    };
    let reproduction = iamtrace_engine::reproduction::reproduction(scenario, e);
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
        "warnings": loaded.warnings,
        "notes": loaded.notes,
        "agreement": agreement,
        "reproduction": reproduction,
    })
}

fn print_line(out: &mut impl Write, v: &Value) {
    let _ = writeln!(out, "{v}");
}

fn run_eval(opts: &Options) -> u8 {
    let (loaded, mut input_error) = load_all(opts);
    let mut denied = false;
    let painter = render::Painter::new(opts.color);
    let stdout = std::io::stdout();
    let mut out = terminal::SafeWriter::new(stdout.lock(), painter.colour());
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
            Ok(loaded) => {
                let scenario = &loaded.scenario;
                let e = input::evaluate(loaded);
                if !e.errors.is_empty() {
                    input_error = true;
                }
                if e.decision != iamtrace_engine::decision::Decision::Allowed
                    || e.undecided.is_some()
                {
                    denied = true;
                }
                match opts.format {
                    Format::Json => print_line(&mut out, &eval_json(&item.file, loaded, &e)),
                    Format::Text => {
                        let _ = write!(out, "{}", render::trace(&painter, &item.file, loaded, &e));
                        if let Some(a) = iamtrace_engine::imports::scenario_agreement(scenario, &e)
                        {
                            let _ = write!(out, "{}", render::agreement(&painter, &a));
                        }
                        let r = iamtrace_engine::reproduction::reproduction(scenario, &e);
                        let _ = write!(out, "{}", render::reproduction(&painter, &r));
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
    let painter = render::Painter::new(opts.color);
    let stdout = std::io::stdout();
    let mut out = terminal::SafeWriter::new(stdout.lock(), painter.colour());
    for item in &loaded {
        let loaded = match &item.result {
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
        let scenario = &loaded.scenario;
        let Some(expect) = &scenario.expect else {
            skipped += 1;
            continue;
        };
        let e = input::evaluate(loaded);
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
                let mut v = eval_json(&item.file, loaded, &e);
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
                    let _ = write!(out, "{}", render::trace(&painter, &item.file, loaded, &e));
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
                let _ = write!(out, "{}", render::trace(&painter, &item.file, loaded, &e));
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

fn import_one(path: &str, principal: Option<String>) -> Result<imports::Import, String> {
    let text = input::read_text(path).map_err(|e| format!("{path}: {}", e.message))?;
    imports::import(&text, &imports::ImportOptions { principal })
        .map_err(|e| format!("{path}: {e}"))
}

fn run_import(opts: &Options) -> u8 {
    let mut case: Option<imports::Import> = None;
    for path in &opts.paths {
        // Later artefacts are read for the first one's principal (a session stays a session).
        let principal = opts.principal.clone().or_else(|| {
            case.as_ref()
                .and_then(|c| c.scenario.request.principal.clone())
        });
        let imp = match import_one(path, principal) {
            Ok(i) => i,
            Err(e) => {
                eprintln!("iamtrace import: {}", terminal::safe(&e.to_string(), false));
                return 2;
            }
        };
        eprintln!("recognised: {}", terminal::safe(&imp.recognised, false));
        for f in &imp.filled {
            eprintln!("filled: {}", terminal::safe(&f.to_string(), false));
        }
        for n in &imp.notes {
            eprintln!("note: {}", terminal::safe(&n.to_string(), false));
        }
        for c in &imp.candidates {
            eprintln!("other candidate: {}", terminal::safe(&c.to_string(), false));
        }
        case = Some(match case {
            None => imp,
            Some(mut first) => {
                let (combined, notes) = imports::combine(&first.scenario, &imp.scenario);
                for n in &notes {
                    eprintln!("added: {}", terminal::safe(&n.to_string(), false));
                }
                first.scenario = combined;
                first
            }
        });
    }
    match case {
        Some(c) => {
            println!("{}", c.scenario.to_json_string());
            0
        }
        None => 2,
    }
}

fn run_collect(opts: &Options) -> u8 {
    let Some(path) = opts.paths.first() else {
        eprintln!("iamtrace collect: give a file or - for stdin");
        return 2;
    };
    let imp = match import_one(path, opts.principal.clone()) {
        Ok(i) => i,
        Err(e) => {
            eprintln!(
                "iamtrace collect: {}",
                terminal::safe(&e.to_string(), false)
            );
            return 2;
        }
    };
    let facts = CaseFacts::from_scenario(&imp.scenario);
    let snippet = collect_snippet(&facts);
    match opts.format {
        Format::Json => println!("{}", json!(snippet)),
        Format::Text => {
            print!("{}", terminal::safe(&snippet.script, false));
            for n in &snippet.notes {
                eprintln!("note: {}", terminal::safe(&n.to_string(), false));
            }
        }
    }
    0
}
