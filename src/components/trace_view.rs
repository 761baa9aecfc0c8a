//! The chosen gate in detail (the deciding gate until the user chooses another): its policies,
//! each statement's trace (action, resource, principal, each condition with policy values against
//! request values and why). Statements are ranked, those that nearly applied first; a long tail
//! of statements that do not apply is folded by why. Choosing a statement highlights it in its
//! editor.

use crate::app::{use_ctx, Focus};
use crate::state::{DocRef, LayerTitle};
use crate::text::rich;
use iamtrace_engine::decision::{Evaluation, GatePolicy, Layer};
use iamtrace_engine::explain::{
    Applies, ConditionTrace, ElementTrace, PolicyResult, StatementTrace,
};
use iamtrace_engine::policy::json::{self, JsonKind};
use iamtrace_engine::policy::{Effect, Finding, FindingCode, Span};
use leptos::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};

static FOCUS_SEQ: AtomicU64 = AtomicU64::new(1);

/// Statements shown before the rest of those that do not apply is folded.
const SHOWN_NOT_APPLYING: usize = 5;
/// Policies with at most this many statements show them all.
const SHOW_ALL_UP_TO: usize = 8;
/// Entries of a policy list shown beside a failed test.
const SHOWN_ENTRIES: usize = 12;

fn applies_class(a: Applies) -> &'static str {
    match a {
        Applies::Yes => "yes",
        Applies::No => "no",
        Applies::Unknown => "unknown",
    }
}

fn applies_word(a: Applies) -> &'static str {
    match a {
        Applies::Yes => "applies",
        Applies::No => "does not apply",
        Applies::Unknown => "cannot be evaluated",
    }
}

fn result_word(r: Option<PolicyResult>) -> &'static str {
    match r {
        Some(PolicyResult::Allow) => "allows",
        Some(PolicyResult::Deny) => "denies",
        Some(PolicyResult::NoMatch) => "no statement applies",
        None => "could not be read",
    }
}

/// The editor document a gate's policy came from.
fn doc_ref(e: &Evaluation, gp: &GatePolicy) -> Option<DocRef> {
    let p = e.policies.get(gp.policy)?;
    Some(DocRef {
        layer: p.layer,
        level: p.level,
        index: p.index,
    })
}

/// Why a statement does not apply, for folding the long tail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Miss {
    Principal,
    Action,
    Resource,
    Condition,
}

impl Miss {
    fn words(self) -> &'static str {
        match self {
            Miss::Principal => "that do not name this principal",
            Miss::Action => "that do not match the action",
            Miss::Resource => "that do not match the resource",
            Miss::Condition => "whose conditions do not hold",
        }
    }
}

/// How many of a statement's tests fail, and the first that does (action before resource, as a
/// reader scans for the action first).
pub fn misses(s: &StatementTrace) -> (usize, Option<Miss>) {
    let mut n = 0;
    let mut first = None;
    let mut fail = |failed: bool, m: Miss| {
        if failed {
            n += 1;
            first = first.or(Some(m));
        }
    };
    fail(s.action.passes == Applies::No, Miss::Action);
    fail(s.resource.passes == Applies::No, Miss::Resource);
    fail(
        s.principal
            .as_ref()
            .is_some_and(|p| p.element.passes == Applies::No),
        Miss::Principal,
    );
    for c in &s.conditions {
        fail(c.outcome == Applies::No, Miss::Condition);
    }
    (n, first)
}

/// Statements in reading order of usefulness: those that apply, then those that cannot be
/// evaluated, then those that nearly applied (fewest failing tests; a failing action last).
pub fn ranked(statements: &[StatementTrace]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..statements.len()).collect();
    order.sort_by_key(|&i| {
        let s = &statements[i];
        let applies = match s.applies {
            Applies::Yes => 0,
            Applies::Unknown => 1,
            Applies::No => 2,
        };
        let (n, first) = misses(s);
        (applies, n, first == Some(Miss::Action), i)
    });
    order
}

/// What a policy's `Action`/`Resource`/`Principal` element lists, read from the policy text at
/// the element's span. `None` when the text no longer holds that element there (edited since).
pub fn listed(policy_text: &str, element: &str, span: Span) -> Option<Vec<String>> {
    let member = policy_text.get(span.start..span.end)?;
    if !member.starts_with(&format!("\"{element}\"")) {
        return None;
    }
    let doc = json::parse(&format!("{{{member}}}")).ok()?;
    let JsonKind::Object(members) = doc.kind else {
        return None;
    };
    let value = &members.first()?.value;
    let mut out = Vec::new();
    collect(value, None, &mut out);
    Some(out)
}

fn collect(v: &json::Json, kind: Option<&str>, out: &mut Vec<String>) {
    match &v.kind {
        JsonKind::String(s) => out.push(match kind {
            Some(k) if k != "AWS" => format!("{k}: {s}"),
            _ => s.clone(),
        }),
        JsonKind::Array(items) => {
            for item in items {
                collect(item, kind, out);
            }
        }
        JsonKind::Object(members) => {
            for m in members {
                collect(&m.value, Some(&m.key.value), out);
            }
        }
        JsonKind::Null => out.push("null".into()),
        JsonKind::Bool(b) => out.push(b.to_string()),
        JsonKind::Number(n) => out.push(n.clone()),
    }
}

/// What a test is compared against: the policy's text and the request's values.
#[derive(Clone)]
struct Against {
    text: Option<String>,
    /// The policy's findings (the catalog's among them), for statements failing on Action.
    findings: Vec<Finding>,
    principal: String,
    action: String,
    resource: String,
}

#[component]
pub fn TraceView() -> impl IntoView {
    let ctx = use_ctx();
    let focus = move |r: Option<DocRef>, span: Span| {
        let Some(r) = r else { return };
        if let Some(doc_id) = ctx.case.with_untracked(|c| c.doc(r).map(|d| d.id)) {
            ctx.focus.set(Some(Focus {
                doc_id,
                span,
                seq: FOCUS_SEQ.fetch_add(1, Ordering::Relaxed),
            }));
        }
    };
    move || {
        let e = ctx.eval.get()?;
        let i = ctx
            .selected_gate
            .get()
            .or_else(|| e.gates.iter().position(|g| g.decisive))?;
        let g = e.gates.get(i)?.clone();
        let policies = g.policies.iter().map(|gp| {
            let r = doc_ref(&e, gp);
            let name = gp.name.clone().unwrap_or_else(|| {
                let several = matches!(gp.layer, Layer::Identity | Layer::Session) || gp.level.is_some();
                if several {
                    format!("{} {}", gp.layer.noun(), gp.index + 1)
                } else {
                    gp.layer.noun().to_string()
                }
            });
            let level = gp.level.map(|l| format!(" · level {}", l + 1)).unwrap_or_default();
            let statements = gp.trace.as_ref().map(|t| t.statements.clone()).unwrap_or_default();
            let against = Against {
                text: r.and_then(|r| ctx.case.with_untracked(|c| c.doc(r).map(|d| d.text.clone()))),
                findings: e.policies.get(gp.policy).map(|p| p.findings.clone()).unwrap_or_default(),
                principal: e.request.caller.arn(),
                action: e.request.action.clone(),
                resource: e.request.resource.clone(),
            };
            let order = ranked(&statements);
            let not_applying = order.iter().filter(|&&k| statements[k].applies == Applies::No).count();
            let fold = statements.len() > SHOW_ALL_UP_TO && not_applying > SHOWN_NOT_APPLYING;
            let mut shown = Vec::new();
            let mut folded: Vec<(Miss, Vec<StatementTrace>)> = Vec::new();
            let mut seen_no = 0;
            for k in order {
                let s = statements[k].clone();
                if s.applies == Applies::No {
                    seen_no += 1;
                    if fold && seen_no > SHOWN_NOT_APPLYING {
                        let why = misses(&s).1.unwrap_or(Miss::Condition);
                        match folded.iter_mut().find(|(m, _)| *m == why) {
                            Some((_, v)) => v.push(s),
                            None => folded.push((why, vec![s])),
                        }
                        continue;
                    }
                }
                shown.push(s);
            }
            folded.sort_by_key(|(m, _)| *m);
            let against_shown = against.clone();
            view! {
                <div class="trace-policy">
                    <h4>{name}{level}<span class=format!("result {}", match gp.result { Some(PolicyResult::Allow) => "allow", Some(PolicyResult::Deny) => "deny", _ => "nomatch" })>{result_word(gp.result)}</span></h4>
                    {gp.arn.clone().map(|a| view! { <p class="muted arn"><code>{a}</code></p> })}
                    <ol class="statements">
                        {shown.into_iter().map(|s| statement(s, r, focus, &against_shown)).collect_view()}
                    </ol>
                    {folded.into_iter().map(|(why, rest)| {
                        let against = against.clone();
                        let open = RwSignal::new(false);
                        let n = rest.len();
                        let rest = StoredValue::new(rest);
                        view! {
                            <details class="more-statements" on:toggle=move |_| open.set(true)>
                                <summary>{format!("and {n} more statement{} {}", if n == 1 { "" } else { "s" }, why.words())}</summary>
                                {move || open.get().then(|| view! {
                                    <ol class="statements">
                                        {rest.get_value().into_iter().map(|s| statement(s, r, focus, &against)).collect_view()}
                                    </ol>
                                })}
                            </details>
                        }
                    }).collect_view()}
                </div>
            }
        }).collect_view();
        Some(view! {
            <section class="panel trace" aria-labelledby="trace-h" id="trace" data-gate=i.to_string()>
                <h2 id="trace-h">{g.title.clone()}</h2>
                <p class="gate-reason">{rich(&g.reason)}</p>
                {(!g.deciding.is_empty()).then(|| view! {
                    <p class="deciding">"Decided by: "
                        {g.deciding.iter().map(|d| d.label.clone()).collect::<Vec<_>>().join(", ")}
                    </p>
                })}
                {g.policies.is_empty().then(|| view! { <p class="muted">"No policy at this gate."</p> })}
                {policies}
            </section>
        })
    }
}

fn statement(
    s: StatementTrace,
    r: Option<DocRef>,
    focus: impl Fn(Option<DocRef>, Span) + Copy + Send + Sync + 'static,
    against: &Against,
) -> impl IntoView {
    let span = s.span;
    let effect = match s.effect {
        Some(Effect::Allow) => "Allow",
        Some(Effect::Deny) => "Deny",
        None => "?",
    };
    let text = against.text.as_deref();
    let diagnosis = diagnosis(&s, &against.findings);
    view! {
        <li class=format!("stmt {}", applies_class(s.applies)) data-sid=s.label.clone()>
            <button class="stmt-head" title="Show this statement in its editor"
                on:click=move |_| focus(r, span)>
                <span class=format!("effect {}", effect.to_lowercase())>{effect}</span>
                <span class="stmt-label">{s.label.clone()}</span>
                <span class="stmt-applies">{applies_word(s.applies)}</span>
                <span class="muted">{format!("line {}", s.span.line)}</span>
            </button>
            <ul class="tests">
                {s.principal.map(|p| element(p.element, text, &against.principal))}
                {element(s.action, text, &against.action)}
                {element(s.resource, text, &against.resource)}
                {s.conditions.into_iter().map(condition).collect_view()}
            </ul>
            {(!diagnosis.is_empty()).then(|| view! {
                <ul class="diagnosis" aria-label="What AWS's catalog says">
                    {diagnosis.into_iter().map(|d| view! { <li>{rich(&d)}</li> }).collect_view()}
                </ul>
            })}
            {(!s.assumptions.is_empty()).then(|| view! {
                <ul class="assume">{s.assumptions.into_iter().map(|a| view! { <li>{rich(&a)}</li> }).collect_view()}</ul>
            })}
        </li>
    }
}

/// Why, by AWS's catalog, a statement does not cover the request: the engine's diagnosis of a
/// failed `Resource`, and for a failed `Action` the catalog findings on its entries (an action
/// that does not exist, a pattern that matches none).
pub fn diagnosis(s: &StatementTrace, findings: &[Finding]) -> Vec<String> {
    let mut out = Vec::new();
    if s.action.passes == Applies::No {
        if let Some(span) = s.action.span {
            out.extend(
                findings
                    .iter()
                    .filter(|f| {
                        matches!(
                            f.code,
                            FindingCode::UnknownAction
                                | FindingCode::UnknownService
                                | FindingCode::ActionPatternMatchesNothing
                        ) && f.span.start >= span.start
                            && f.span.end <= span.end
                    })
                    .map(|f| f.message.clone()),
            );
        }
    }
    if let Some(d) = &s.diagnosis {
        out.push(d.message.clone());
    }
    out
}

fn element(t: ElementTrace, policy_text: Option<&str>, request: &str) -> impl IntoView {
    // When the test fails, show what the policy lists beside what the request has.
    let entries = (t.passes == Applies::No)
        .then(|| listed(policy_text?, t.element, t.span?))
        .flatten()
        .filter(|v| !v.is_empty());
    let against = entries.map(|v| {
        let more = v.len().saturating_sub(SHOWN_ENTRIES);
        view! {
            <span class="cond-values listed"><span class="muted">"policy: "</span>
                {v.into_iter().take(SHOWN_ENTRIES).map(|x| view! { <code>{x}</code> }).collect_view()}
                {(more > 0).then(|| view! { <span class="muted">{format!("and {more} more")}</span> })}
            </span>
            <span class="cond-values"><span class="muted">"request: "</span><code>{request.to_string()}</code></span>
        }
    });
    view! {
        <li class=format!("test {}", applies_class(t.passes)) data-element=t.element>
            <span class="test-name">{t.element}</span>
            {against}
            <span class="test-reason">{rich(&t.reason)}</span>
        </li>
    }
}

fn condition(c: ConditionTrace) -> impl IntoView {
    let values = c
        .values
        .iter()
        .map(|v| {
            let shown = match &v.substituted {
                Some(s) => format!("{} → {}", v.text, s),
                None => v.text.clone(),
            };
            view! { <code class:matched=v.matched class:unresolved=v.unresolved>{shown}</code> }
        })
        .collect_view();
    let req = match &c.request_values {
        Some(v) if v.is_empty() => "(empty list)".to_string(),
        Some(v) => v.join(", "),
        None => "(absent)".to_string(),
    };
    view! {
        <li class=format!("test cond {}", applies_class(c.outcome))>
            <span class="test-name">"Condition"</span>
            <span class="cond-expr"><code>{c.operator}</code>" "<code>{c.key}</code></span>
            <span class="cond-values"><span class="muted">"policy: "</span>{values}</span>
            <span class="cond-values"><span class="muted">"request: "</span><code class:missing=c.key_missing>{req}</code></span>
            <span class="test-reason">{rich(&c.reason)}</span>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iamtrace_engine::scenario::Scenario;

    #[test]
    fn listed_reads_the_element_at_its_span() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": ["lambda:*", "logs:*"], "Resource": "*",
            "Principal": {"AWS": "arn:aws:iam::777788889999:root", "Service": ["s3.amazonaws.com"]}}]}"#;
        let at = |needle: &str, end: &str| {
            let start = text.find(needle).unwrap();
            let stop = start + text[start..].find(end).unwrap() + end.len();
            Span {
                start,
                end: stop,
                line: 1,
                column: 1,
            }
        };
        assert_eq!(
            listed(text, "Action", at("\"Action\"", "]")),
            Some(vec!["lambda:*".to_string(), "logs:*".to_string()])
        );
        assert_eq!(
            listed(text, "Principal", at("\"Principal\"", "]}")),
            Some(vec![
                "arn:aws:iam::777788889999:root".to_string(),
                "Service: s3.amazonaws.com".to_string()
            ])
        );
        // The text changed since the evaluation: nothing rather than something wrong.
        assert_eq!(listed(text, "Resource", at("\"Action\"", "]")), None);
    }

    #[test]
    fn nearly_applying_statements_come_first() {
        let policy = r#"{"Version": "2012-10-17", "Statement": [
            {"Sid": "OtherAction", "Effect": "Allow", "Action": "ec2:*", "Resource": "*"},
            {"Sid": "OtherBucket", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::other/*"},
            {"Sid": "Applies", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
            {"Sid": "Nothing", "Effect": "Allow", "Action": "ec2:*", "Resource": "arn:aws:s3:::other/*"}
        ]}"#;
        let scenario = serde_json::json!({
            "request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
                        "resource": "arn:aws:s3:::bucket/key"},
            "policies": {"identity": [policy]}
        });
        let s = Scenario::parse(&scenario.to_string())
            .expect("scenario")
            .scenario;
        let e = iamtrace_engine::decision::evaluate(&s);
        let trace = e.policies[0].trace.as_ref().expect("trace");
        let labels: Vec<&str> = ranked(&trace.statements)
            .into_iter()
            .map(|i| trace.statements[i].label.as_str())
            .collect();
        assert_eq!(labels, ["Applies", "OtherBucket", "OtherAction", "Nothing"]);
    }

    #[test]
    fn statements_failing_on_action_or_resource_say_why_by_the_catalog() {
        let policy = r#"{"Version": "2012-10-17", "Statement": [
            {"Sid": "Typo", "Effect": "Allow", "Action": "s3:ListBuckets", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket"},
            {"Sid": "Objects", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"}
        ]}"#;
        let scenario = serde_json::json!({
            "request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:ListBucket",
                        "resource": "arn:aws:s3:::amzn-s3-demo-bucket"},
            "policies": {"identity": [policy]}
        });
        let s = Scenario::parse(&scenario.to_string())
            .expect("scenario")
            .scenario;
        let e = iamtrace_engine::decision::evaluate(&s);
        let p = &e.policies[0];
        let trace = p.trace.as_ref().expect("trace");
        let typo = diagnosis(&trace.statements[0], &p.findings);
        assert_eq!(typo.len(), 1, "{typo:?}");
        assert!(
            typo[0].contains("Did you mean `s3:ListBucket`?"),
            "{typo:?}"
        );
        let objects = diagnosis(&trace.statements[1], &p.findings);
        assert!(
            objects
                .iter()
                .any(|d| d.contains("is authorized on the bucket") && d.contains("objects")),
            "{objects:?}"
        );
    }
}
