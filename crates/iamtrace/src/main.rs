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
//! - `iamtrace fix FILE|-` proposes verified fixes for a denied scenario, best first; exit 0 with
//!   suggestions, 1 with none, 2 on an input error.
//! - `iamtrace lint PATH…` checks policies against AWS's catalog (text, JSON lines or SARIF);
//!   exit 1 on an error finding, 2 on an input error.
//! - `iamtrace redact FILE|-` writes the case with identifying values replaced by AWS's
//!   documentation placeholders (verified to decide the same) to stdout, the mapping to stderr.
//! - `iamtrace actions FILE|- [--service PREFIX]` decides every action of a service (or of the
//!   whole catalog) for the scenario's principal, resource and context; exit 2 on an input error.
//! - `iamtrace completions SHELL` prints a shell completion script.

mod actions;
mod args;
mod fix;
mod input;
mod lint;
mod redact;
mod render;
mod terminal;

use args::{Cli, Command, Format, Report};
use clap::{CommandFactory, FromArgMatches};
use iamtrace_engine::decision::Evaluation;
use iamtrace_engine::imports;
use iamtrace_engine::reproduction::commands::{collect_snippet, CaseFacts};
use serde_json::{json, Value};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    // The version names the AWS catalog the engine carries.
    let version = format!(
        "{}, AWS catalog {}",
        env!("CARGO_PKG_VERSION"),
        iamtrace_engine::catalog::version()
    );
    let parsed = Cli::command()
        .version(version)
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => return ExitCode::from(usage(&e)),
    };
    let code = match cli.command {
        None => {
            let _ = Cli::command().print_help();
            0
        }
        Some(Command::Eval(r)) => run_eval(&r),
        Some(Command::Check(r)) => run_check(&r),
        Some(Command::Import(i)) => run_import(&i),
        Some(Command::Collect(c)) => run_collect(&c),
        Some(Command::Fix(f)) => fix::run(&f),
        Some(Command::Lint(l)) => lint::run(&l),
        Some(Command::Redact(r)) => redact::run(&r.path),
        Some(Command::Actions(a)) => actions::run(&a),
        Some(Command::Completions(c)) => run_completions(&c),
    };
    ExitCode::from(code)
}

/// Prints what clap has to say instead of running: help and version on stdout (exit 0), a usage
/// error on stderr (exit 2; its text quotes the arguments, so it goes through [`terminal::safe`]).
fn usage(e: &clap::Error) -> u8 {
    if e.use_stderr() {
        eprint!("{}", terminal::safe(&e.render().to_string(), false));
        2
    } else {
        let _ = e.print();
        0
    }
}

fn run_completions(c: &args::Completions) -> u8 {
    clap_complete::generate(
        c.shell,
        &mut Cli::command(),
        "iamtrace",
        &mut std::io::stdout(),
    );
    0
}

/// One scenario read from disk or stdin, or why it could not be.
struct Loaded {
    file: String,
    result: Result<input::LoadedScenario, input::LoadError>,
}

fn load_all(paths: &[String]) -> (Vec<Loaded>, bool) {
    let mut out = Vec::new();
    let mut input_error = false;
    for path in paths {
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
        "findings": findings_json(e),
        "catalog": iamtrace_engine::catalog::version(),
    })
}

/// Every finding of every policy (grammar and catalog), with its policy and file position.
fn findings_json(e: &Evaluation) -> Value {
    let mut out = Vec::new();
    for r in &e.policies {
        for f in &r.findings {
            let at = r.base.map_or(f.span, |b| f.span.offset_by(b));
            out.push(json!({
                "layer": r.layer, "level": r.level, "index": r.index,
                "severity": f.severity, "code": f.code, "message": f.message,
                "line": at.line, "column": at.column,
            }));
        }
    }
    Value::Array(out)
}

fn print_line(out: &mut impl Write, v: &Value) {
    let _ = writeln!(out, "{v}");
}

fn run_eval(opts: &Report) -> u8 {
    let (loaded, mut input_error) = load_all(&opts.paths);
    let mut denied = false;
    let painter = render::Painter::new(opts.output.color);
    let stdout = std::io::stdout();
    let mut out = terminal::SafeWriter::new(stdout.lock(), painter.colour());
    for item in &loaded {
        match &item.result {
            Err(e) => {
                input_error = true;
                match opts.output.format {
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
                match opts.output.format {
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

fn run_check(opts: &Report) -> u8 {
    let (loaded, mut input_error) = load_all(&opts.paths);
    let (mut passed, mut failed, mut skipped) = (0usize, 0usize, 0usize);
    let painter = render::Painter::new(opts.output.color);
    let stdout = std::io::stdout();
    let mut out = terminal::SafeWriter::new(stdout.lock(), painter.colour());
    for item in &loaded {
        let loaded = match &item.result {
            Err(e) => {
                input_error = true;
                match opts.output.format {
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
        match opts.output.format {
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
    if opts.output.format == Format::Json {
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
    imports::import(
        &text,
        &imports::ImportOptions {
            principal,
            record: None,
        },
    )
    .map_err(|e| format!("{path}: {e}"))
}

fn run_import(opts: &args::Import) -> u8 {
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

fn run_collect(opts: &args::Collect) -> u8 {
    let imp = match import_one(&opts.path, opts.principal.clone()) {
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
        Format::Json => println!("{}", terminal::safe(&json!(snippet).to_string(), false)),
        Format::Text => {
            print!("{}", terminal::safe(&snippet.script, false));
            for n in &snippet.notes {
                eprintln!("note: {}", terminal::safe(&n.to_string(), false));
            }
        }
    }
    0
}
