//! `iamtrace lint`: the findings of each policy (grammar and AWS's catalog), as text, JSON lines
//! (one per policy) or SARIF 2.1.0.

use crate::args::{self, LintFormat};
use crate::{input, terminal};
use iamtrace_engine::decision;
use iamtrace_engine::policy::{parse_policy, Finding, PolicyType, Severity};
use serde_json::{json, Value};
use std::io::Write;

/// One policy's findings, positions in its file.
struct Linted {
    file: String,
    /// `identity[0]` for a policy of a scenario; `None` for a policy file.
    policy: Option<String>,
    policy_type: PolicyType,
    findings: Vec<Located>,
}

struct Located {
    severity: Severity,
    code: &'static str,
    message: String,
    line: u32,
    column: u32,
}

fn located(f: &Finding, base: Option<iamtrace_engine::policy::Span>) -> Located {
    let at = base.map_or(f.span, |b| f.span.offset_by(b));
    Located {
        severity: f.severity,
        code: f.code.as_str(),
        message: f.message.clone(),
        line: at.line,
        column: at.column,
    }
}

fn is_scenario(text: &str) -> bool {
    serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| {
            v.as_object()
                .map(|o| o.contains_key("request") || o.contains_key("policies"))
        })
        .unwrap_or(false)
}

/// Lints one file: a scenario (each policy as its layer's type) or a policy document.
fn lint_file(file: &str, policy_type: PolicyType) -> Result<Vec<Linted>, input::LoadError> {
    let text = input::read_text(file)?;
    if is_scenario(&text) {
        let loaded = input::load(file)?;
        let evaluation = decision::evaluate(&loaded.scenario);
        return Ok(evaluation
            .policies
            .iter()
            .map(|r| Linted {
                file: file.to_string(),
                policy: Some(match r.level {
                    Some(l) => format!("{}[{l}][{}]", r.layer, r.index),
                    None => format!("{}[{}]", r.layer, r.index),
                }),
                policy_type: r.policy_type,
                findings: match &r.error {
                    Some(e) => vec![Located {
                        severity: Severity::Error,
                        code: "invalid-json",
                        message: e.message.clone(),
                        line: r.base.map_or(e.line, |b| e.span.offset_by(b).line),
                        column: r.base.map_or(e.column, |b| e.span.offset_by(b).column),
                    }],
                    None => r.findings.iter().map(|f| located(f, r.base)).collect(),
                },
            })
            .collect());
    }
    match parse_policy(&text, policy_type) {
        Ok(parsed) => {
            let mut findings = parsed.findings.clone();
            findings.extend(iamtrace_engine::lint::lint_policy(
                &parsed.policy,
                policy_type,
            ));
            findings.sort_by_key(|f| (f.span.start, f.span.end));
            Ok(vec![Linted {
                file: file.to_string(),
                policy: None,
                policy_type,
                findings: findings.iter().map(|f| located(f, None)).collect(),
            }])
        }
        Err(e) => Err(input::LoadError {
            message: format!("not a policy document: {}", e.message),
            line: Some(e.span.line),
            column: Some(e.span.column),
        }),
    }
}

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::SecurityWarning => "security_warning",
        Severity::Warning => "warning",
        Severity::Suggestion => "suggestion",
    }
}

/// `iamtrace lint`: exit 0 without error findings, 1 with one, 2 on bad input.
pub fn run(opts: &args::Lint) -> u8 {
    let mut linted = Vec::new();
    let mut input_errors = Vec::new();
    for path in &opts.paths {
        match input::expand(path) {
            Ok(files) => {
                for file in files {
                    match lint_file(&file, opts.policy_type.policy_type()) {
                        Ok(l) => linted.extend(l),
                        Err(e) => input_errors.push((file, e)),
                    }
                }
            }
            Err(e) => input_errors.push((path.clone(), e)),
        }
    }
    let stdout = std::io::stdout();
    let mut out = terminal::SafeWriter::new(stdout.lock(), false);
    match opts.format {
        LintFormat::Text => {
            for l in &linted {
                for f in &l.findings {
                    let _ = writeln!(
                        out,
                        "{}:{}:{}: {} {}: {}",
                        l.file,
                        f.line,
                        f.column,
                        severity_name(f.severity),
                        f.code,
                        f.message
                    );
                }
            }
            let n: usize = linted.iter().map(|l| l.findings.len()).sum();
            let _ = writeln!(out, "{} policies, {n} findings", linted.len());
        }
        LintFormat::Json => {
            for l in &linted {
                let findings: Vec<Value> = l
                    .findings
                    .iter()
                    .map(|f| {
                        json!({"severity": severity_name(f.severity), "code": f.code,
                               "message": f.message, "line": f.line, "column": f.column})
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    "{}",
                    json!({"file": l.file, "policy": l.policy, "type": l.policy_type,
                           "findings": findings, "catalog": iamtrace_engine::catalog::version()})
                );
            }
            for (file, e) in &input_errors {
                let _ = writeln!(
                    out,
                    "{}",
                    json!({"file": file, "error": {"message": e.message, "line": e.line, "column": e.column}})
                );
            }
        }
        LintFormat::Sarif => {
            let _ = writeln!(out, "{}", sarif(&linted));
        }
    }
    for (file, e) in &input_errors {
        let at = match (e.line, e.column) {
            (Some(l), Some(c)) => format!(":{l}:{c}"),
            _ => String::new(),
        };
        eprintln!(
            "iamtrace: {}",
            terminal::safe(&format!("{file}{at}: {}", e.message), false)
        );
    }
    if linted.is_empty() && input_errors.is_empty() {
        eprintln!("iamtrace: no policy files found");
        return 2;
    }
    if !input_errors.is_empty() {
        2
    } else if linted
        .iter()
        .any(|l| l.findings.iter().any(|f| f.severity == Severity::Error))
    {
        1
    } else {
        0
    }
}

/// SARIF 2.1.0 (<https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html>): one run,
/// a rule per finding code, a result per finding.
fn sarif(linted: &[Linted]) -> Value {
    let mut codes: Vec<&str> = linted
        .iter()
        .flat_map(|l| l.findings.iter().map(|f| f.code))
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let rules: Vec<Value> = codes.iter().map(|c| json!({"id": c, "name": c})).collect();
    let results: Vec<Value> = linted
        .iter()
        .flat_map(|l| {
            l.findings.iter().map(move |f| {
                json!({
                    "ruleId": f.code,
                    "level": match f.severity {
                        Severity::Error => "error",
                        Severity::SecurityWarning | Severity::Warning => "warning",
                        Severity::Suggestion => "note",
                    },
                    "message": {"text": f.message},
                    "locations": [{"physicalLocation": {
                        "artifactLocation": {"uri": l.file},
                        "region": {"startLine": f.line, "startColumn": f.column}
                    }}]
                })
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "iamtrace",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
                "rules": rules,
                "properties": {"catalog": iamtrace_engine::catalog::version()}
            }},
            "results": results
        }]
    })
}
