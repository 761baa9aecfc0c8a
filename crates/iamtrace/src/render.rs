//! The readable trace: decision, AWS message, gates in order with the statements that decided
//! them (file:line), missing keys, assumptions and input errors. ANSI colour on a terminal.

use crate::args::Color;
use crate::input::{LoadError, LoadedScenario};
use iamtrace_engine::decision::{
    result_phrase, Decision, Evaluation, Gate, GateOutcome, PolicyReport, PossibleResult, Side,
    Undecided,
};
use iamtrace_engine::explain::{Applies, StatementTrace};
use iamtrace_engine::imports::Agreement;
use iamtrace_engine::policy::Span;
use iamtrace_engine::reproduction::{Reproduction, ReproductionStatus};
use iamtrace_engine::request::KeySource;
use std::fmt::Write;
use std::io::IsTerminal;

/// Adds colour when enabled.
pub struct Painter {
    on: bool,
}

impl Painter {
    pub fn new(color: Color) -> Self {
        let on = match color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        };
        Painter { on }
    }

    /// Whether colour codes are written (then [`crate::terminal::safe`] keeps them).
    pub fn colour(&self) -> bool {
        self.on
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    pub fn bad(&self, s: &str) -> String {
        self.paint("1;31", s)
    }
    pub fn good(&self, s: &str) -> String {
        self.paint("1;32", s)
    }
    fn warn(&self, s: &str) -> String {
        self.paint("33", s)
    }
    pub fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
    pub fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
}

pub fn load_error(p: &Painter, file: &str, e: &LoadError) -> String {
    match (e.line, e.column) {
        (Some(l), Some(c)) => format!("{}: {file}:{l}:{c}: {}", p.bad("error"), e.message),
        _ => format!("{}: {file}: {}", p.bad("error"), e.message),
    }
}

/// `file:line:column` of a span inside a policy: file positions when the policy's place in the
/// file is known, else positions inside the policy text.
fn location(file: &str, report: &PolicyReport, span: Span) -> String {
    match report.base {
        Some(base) => {
            let s = span.offset_by(base);
            format!("{file}:{}:{}", s.line, s.column)
        }
        None => format!(
            "{file} ({} policy text, line {}, column {})",
            policy_label(report),
            span.line,
            span.column
        ),
    }
}

fn policy_label(r: &PolicyReport) -> String {
    let mut s = match r.level {
        Some(l) => format!("{}[{l}][{}]", r.layer, r.index),
        None => format!("{}[{}]", r.layer, r.index),
    };
    if let Some(n) = &r.name {
        let _ = write!(s, " \"{n}\"");
    }
    s
}

/// Why a statement does not apply, in one line.
fn why_not(st: &StatementTrace) -> String {
    if let Some(p) = &st.principal {
        if p.element.passes != Applies::Yes {
            return p.element.reason.to_string();
        }
    }
    if st.action.passes != Applies::Yes {
        return st.action.reason.to_string();
    }
    if st.resource.passes != Applies::Yes {
        return match &st.diagnosis {
            Some(d) => format!("{}; {}", st.resource.reason, d.message),
            None => st.resource.reason.to_string(),
        };
    }
    for c in &st.conditions {
        if c.outcome != Applies::Yes {
            return format!("{} {}: {}", c.operator, c.key, c.reason);
        }
    }
    "applies".into()
}

fn outcome_mark(p: &Painter, g: &Gate) -> String {
    match g.outcome {
        GateOutcome::Passed => p.good("pass"),
        GateOutcome::Failed if g.decisive => p.bad("FAIL"),
        GateOutcome::Failed => p.warn("fail"),
        GateOutcome::Skipped => p.dim("skip"),
        GateOutcome::NotApplicable => p.dim("n/a "),
        GateOutcome::Unknown => p.warn("????"),
    }
}

fn result_name(r: PossibleResult) -> String {
    match r.denied_by {
        Some(l) => format!("{} / {l}", r.decision),
        None => r.decision.to_string(),
    }
}

/// "allowed (most permissive reading) or explicit_deny / identity (most restrictive reading)".
pub fn possible_results(u: &Undecided) -> String {
    format!(
        "{} (most permissive reading) or {} (most restrictive reading)",
        result_name(u.most_permissive),
        result_name(u.most_restrictive)
    )
}

pub fn trace(p: &Painter, file: &str, loaded: &LoadedScenario, e: &Evaluation) -> String {
    let (s, warnings) = (&loaded.scenario, &loaded.warnings);
    let mut o = String::new();
    let title = s
        .title
        .as_deref()
        .map(|t| format!(" — {t}"))
        .unwrap_or_default();
    let _ = writeln!(o, "{}{}", p.bold(file), title);
    let r = &e.request;
    let _ = writeln!(
        o,
        "  request: {} → {} on {}{}{}",
        r.caller.arn(),
        r.action,
        r.resource,
        r.resource_account
            .as_deref()
            .map(|a| format!(" (owner {a})"))
            .unwrap_or_default(),
        if e.cross_account {
            ", cross-account"
        } else {
            ""
        }
    );
    if !r.context.is_empty() {
        let keys: Vec<String> = r
            .context
            .iter()
            .map(|c| {
                let v = c.value.values().join(", ");
                let v = if c.value.is_multi() {
                    format!("[{v}]")
                } else {
                    v
                };
                match c.source {
                    KeySource::Given => format!("{}={v}", c.key),
                    KeySource::Derived => format!("{}={v} {}", c.key, p.dim("(derived)")),
                }
            })
            .collect();
        let _ = writeln!(o, "  context: {}", keys.join("; "));
    }
    let verdict = match (e.decision, e.denied_by) {
        (Decision::Allowed, _) => p.good("ALLOWED"),
        (d, Some(l)) => p.bad(&format!(
            "{} ({l})",
            d.name().to_uppercase().replace('_', " ")
        )),
        (d, None) => p.bad(&d.name().to_uppercase().replace('_', " ")),
    };
    match &e.undecided {
        Some(u) => {
            let _ = writeln!(
                o,
                "  decision: {} {}",
                p.bad("UNDECIDED"),
                p.dim(&format!(
                    "(as evaluated, with the unknown statements not applying: {})",
                    result_phrase(PossibleResult {
                        decision: e.decision,
                        denied_by: e.denied_by
                    })
                ))
            );
            let _ = writeln!(o, "  {}", p.warn(&u.summary));
            let _ = writeln!(o, "  possible results: {}", possible_results(u));
        }
        None => {
            let _ = writeln!(o, "  decision: {verdict}");
        }
    }
    if let Some(m) = &e.message {
        if e.undecided.is_some() {
            let _ = writeln!(
                o,
                "  AWS would print, if the unknown statements do not apply: {m}"
            );
        } else {
            let _ = writeln!(o, "  AWS would print: {m}");
        }
    }
    if let Some(n) = &e.message_note {
        let _ = writeln!(o, "  {} {n}", p.warn("note:"));
    }
    for n in &e.service_notes {
        let label = if n.refused {
            p.bad("service rule:")
        } else {
            p.warn("service rule:")
        };
        let _ = writeln!(o, "  {label} {} ({})", n.message, n.source);
    }
    let _ = writeln!(o, "  gates:");
    for g in &e.gates {
        let side = match g.side {
            Some(Side::Caller) => "[caller side] ",
            Some(Side::Resource) => "[resource side] ",
            None => "",
        };
        let _ = writeln!(
            o,
            "    {} {side}{}: {}",
            outcome_mark(p, g),
            g.title,
            g.reason
        );
        for d in &g.deciding {
            let report = &e.policies[d.policy];
            let _ = writeln!(
                o,
                "         {} statement '{}' in {} at {}",
                d.effect.map(|e| format!("{e:?}")).unwrap_or_default(),
                d.label,
                policy_label(report),
                location(file, report, d.span)
            );
        }
        // A failing Allow gate: say why each statement missed.
        if g.outcome == GateOutcome::Failed && g.deciding.is_empty() {
            for gp in &g.policies {
                let report = &e.policies[gp.policy];
                let Some(t) = &gp.trace else { continue };
                for st in &t.statements {
                    let _ = writeln!(
                        o,
                        "         {} '{}' ({}) at {}: {}",
                        p.dim("no:"),
                        st.label,
                        policy_label(report),
                        location(file, report, st.span),
                        why_not(st)
                    );
                }
            }
        }
    }
    if !e.unknown_statements.is_empty() {
        let _ = writeln!(o, "  statements that could not be evaluated:");
        for u in &e.unknown_statements {
            let report = &e.policies[u.policy];
            let _ = writeln!(
                o,
                "    - {} statement '{}' in {} at {}: {}{}",
                u.effect.map(|e| format!("{e:?}")).unwrap_or_default(),
                u.label,
                policy_label(report),
                location(file, report, u.span),
                u.reasons.join("; "),
                if u.could_change_decision {
                    ""
                } else {
                    " (cannot change the decision)"
                }
            );
        }
    }
    if !e.missing_keys.is_empty() {
        let _ = writeln!(o, "  missing context keys:");
        for m in &e.missing_keys {
            let _ = writeln!(o, "    - {}", m.message);
        }
    }
    if !e.assumptions.is_empty() {
        let _ = writeln!(o, "  assumptions:");
        for a in &e.assumptions {
            let _ = writeln!(o, "    - {a}");
        }
    }
    for r in &e.policies {
        for f in &r.findings {
            let _ = writeln!(
                o,
                "  {} {:?} {} at {}: {}",
                p.warn("finding:"),
                f.severity,
                f.code,
                location(file, r, f.span),
                f.message
            );
        }
    }
    for err in &e.errors {
        let at = match (err.line, err.column) {
            (Some(l), Some(c)) => format!(" (line {l}, column {c})"),
            _ => String::new(),
        };
        let _ = writeln!(
            o,
            "  {} {}{at}: {}",
            p.bad("error:"),
            err.place,
            err.message
        );
    }
    for w in warnings {
        let _ = writeln!(o, "  {} {w}", p.warn("warning:"));
    }
    for n in &loaded.notes {
        let _ = writeln!(o, "  {} {n}", p.dim("note:"));
    }
    if !e.complete {
        let _ = writeln!(
            o,
            "  {} some input could not be read or evaluated: the decision uses what could",
            p.warn("incomplete:")
        );
    }
    o.push('\n');
    o
}

/// Whether the reproduction agrees with what AWS said (for scenarios imported from an artefact).
pub fn agreement(p: &Painter, a: &Result<Agreement, String>) -> String {
    let mut o = String::new();
    match a {
        Err(e) => {
            let _ = writeln!(
                o,
                "  {} AWS's claim could not be read: {e}",
                p.warn("agreement:")
            );
        }
        Ok(a) => {
            let head = if a.agrees {
                p.good("agrees with AWS")
            } else {
                p.bad("differs from AWS")
            };
            let _ = writeln!(o, "  {} {head}: {}", p.bold("agreement:"), a.summary);
            for c in &a.checks {
                let mark = if c.agrees { p.good("=") } else { p.bad("≠") };
                let _ = writeln!(
                    o,
                    "    {mark} {}: AWS {} / iamtrace {}",
                    c.what, c.aws, c.iamtrace
                );
            }
            for m in &a.likely_missing {
                let _ = writeln!(o, "    {} {m}", p.warn("likely missing:"));
            }
        }
    }
    o.push('\n');
    o
}

/// The reproduction status, and what to paste next with the command that prints it.
pub fn reproduction(p: &Painter, r: &Reproduction) -> String {
    let mut o = String::new();
    if r.status == ReproductionStatus::NoClaim {
        return o;
    }
    let head = match r.status {
        ReproductionStatus::Reproduced => p.good("reproduced"),
        ReproductionStatus::Incomplete => p.warn("incomplete"),
        _ => p.bad("differs"),
    };
    let _ = writeln!(o, "  {} {head}: {}", p.bold("reproduction:"), r.summary);
    for (i, m) in r.missing.iter().enumerate() {
        let id = m
            .policy_id
            .as_deref()
            .map(|id| format!(" {id}"))
            .unwrap_or_default();
        let _ = writeln!(o, "    {}. paste {}{id}: {}", i + 1, m.layer, m.reason);
        let _ = writeln!(o, "       {}", m.command);
    }
    // The first hint is already in the summary.
    for l in r.likely.iter().skip(1) {
        let _ = writeln!(o, "    {} {l}", p.warn("also likely:"));
    }
    o.push('\n');
    o
}
