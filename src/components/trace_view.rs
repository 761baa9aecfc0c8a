//! The chosen gate in detail: its policies, each statement's trace (action, resource, principal,
//! each condition with policy values against request values and why). Choosing a statement
//! highlights it in its editor.

use crate::app::{use_ctx, Focus};
use crate::state::DocRef;
use iamtrace_engine::decision::{Evaluation, GatePolicy};
use iamtrace_engine::explain::{
    Applies, ConditionTrace, ElementTrace, PolicyResult, StatementTrace,
};
use iamtrace_engine::policy::{Effect, Span};
use leptos::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};

static FOCUS_SEQ: AtomicU64 = AtomicU64::new(1);

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
        let i = ctx.selected_gate.get()?;
        let g = e.gates.get(i)?.clone();
        let policies = g.policies.iter().map(|gp| {
            let r = doc_ref(&e, gp);
            let name = gp.name.clone().unwrap_or_else(|| {
                format!("{} {}", gp.layer.name().replace('_', " "), gp.index + 1)
            });
            let level = gp.level.map(|l| format!(" · level {}", l + 1)).unwrap_or_default();
            let statements = gp.trace.as_ref().map(|t| t.statements.clone()).unwrap_or_default();
            view! {
                <div class="trace-policy">
                    <h4>{name}{level}<span class=format!("result {}", match gp.result { Some(PolicyResult::Allow) => "allow", Some(PolicyResult::Deny) => "deny", _ => "nomatch" })>{result_word(gp.result)}</span></h4>
                    {gp.arn.clone().map(|a| view! { <p class="muted arn"><code>{a}</code></p> })}
                    <ol class="statements">
                        {statements.into_iter().map(|s| statement(s, r, focus)).collect_view()}
                    </ol>
                </div>
            }
        }).collect_view();
        Some(view! {
            <section class="panel trace" aria-labelledby="trace-h" id="trace">
                <h2 id="trace-h">{g.title.clone()}</h2>
                <p class="gate-reason">{g.reason.clone()}</p>
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
) -> impl IntoView {
    let span = s.span;
    let effect = match s.effect {
        Some(Effect::Allow) => "Allow",
        Some(Effect::Deny) => "Deny",
        None => "?",
    };
    view! {
        <li class=format!("stmt {}", applies_class(s.applies))>
            <button class="stmt-head" title="Show this statement in its editor"
                on:click=move |_| focus(r, span)>
                <span class=format!("effect {}", effect.to_lowercase())>{effect}</span>
                <span class="stmt-label">{s.label.clone()}</span>
                <span class="stmt-applies">{applies_word(s.applies)}</span>
                <span class="muted">{format!("line {}", s.span.line)}</span>
            </button>
            <ul class="tests">
                {s.principal.map(|p| element(p.element))}
                {element(s.action)}
                {element(s.resource)}
                {s.conditions.into_iter().map(condition).collect_view()}
            </ul>
            {(!s.assumptions.is_empty()).then(|| view! {
                <ul class="assume">{s.assumptions.into_iter().map(|a| view! { <li>{a}</li> }).collect_view()}</ul>
            })}
        </li>
    }
}

fn element(t: ElementTrace) -> impl IntoView {
    view! {
        <li class=format!("test {}", applies_class(t.passes))>
            <span class="test-name">{t.element}</span>
            <span class="test-reason">{t.reason}</span>
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
            <span class="test-reason">{c.reason}</span>
        </li>
    }
}
