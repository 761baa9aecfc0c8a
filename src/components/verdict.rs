//! The verdict banner: allowed, explicit deny, implicit deny, or undecided (a statement that could
//! not be evaluated can change the decision: both results); the AWS error text; agreement
//! with what AWS said (when the case came from an AWS artefact); missing input; assumptions.

use crate::app::use_ctx;
use crate::clipboard;
use crate::state::Case;
use crate::text::{place_label, rich};
use iamtrace_engine::decision::{result_phrase, Decision, Evaluation};
use iamtrace_engine::imports::{self, Observed};
use iamtrace_engine::reproduction::{self, ReproductionStatus};
use leptos::prelude::*;

fn layer_words(l: &str) -> &'static str {
    match l {
        "identity" => "identity-based policy",
        "resource" => "resource-based policy",
        "permissions_boundary" => "permissions boundary",
        "scp" => "service control policy",
        "rcp" => "resource control policy",
        "session" => "session policy",
        "vpc_endpoint" => "VPC endpoint policy",
        _ => "policy",
    }
}

/// What AWS said (when the case came from an AWS artefact) or the scenario file expects,
/// against our decision: (agrees, summary, what is likely missing).
fn agreement(e: &Evaluation, case: &Case) -> Option<(bool, String, Vec<String>)> {
    if let Some(obs) = case
        .observed
        .as_ref()
        .and_then(|v| Observed::from_json(v).ok())
    {
        let a = imports::agreement(&obs, &case.to_scenario(), e);
        // The reproduction's hints hold the agreement's and what differs layer by layer.
        let likely = if a.agrees {
            Vec::new()
        } else {
            let r = reproduction::reproduction(&case.to_scenario(), e);
            if r.likely.is_empty() {
                a.likely_missing.clone()
            } else {
                r.likely
            }
        };
        return Some((a.agrees, agreement_summary(&a), likely));
    }
    let (d, l) = case.expect.as_ref()?;
    let ours_l = e.denied_by.map(|l| l.name().to_string());
    let theirs = match l {
        Some(l) if d != "allowed" => format!("{} by the {}", d.replace('_', " "), layer_words(l)),
        _ => d.replace('_', " "),
    };
    if e.undecided.is_some() {
        return Some((
            false,
            format!(
                "Undecided: the expected result ({theirs}) is at most one of the possible results."
            ),
            Vec::new(),
        ));
    }
    let same = *d == e.decision.name() && (d == "allowed" || l.is_none() || *l == ours_l);
    if same {
        return Some((
            true,
            format!("Agrees with the expected result: {theirs}."),
            Vec::new(),
        ));
    }
    let likely = reproduction::reproduction(&case.to_scenario(), e).likely;
    let ours = match e.denied_by {
        Some(l) if e.decision != Decision::Allowed => format!(
            "{} by the {}",
            e.decision.name().replace('_', " "),
            layer_words(l.name())
        ),
        _ => e.decision.name().replace('_', " "),
    };
    Some((
        false,
        format!(
            "Differs from the expected result: expected {theirs}, iamtrace finds {ours}.{}",
            if likely.is_empty() { "" } else { " Likely:" }
        ),
        likely,
    ))
}

/// "undecided: allowed unless …" as a sentence: "Allowed unless …."
fn sentence(summary: &str) -> String {
    let s = summary.strip_prefix("undecided: ").unwrap_or(summary);
    let mut c = s.chars();
    match c.next() {
        Some(f) => format!("{}{}.", f.to_uppercase(), c.as_str()),
        None => String::new(),
    }
}

/// One sentence on AWS's claim against the reproduction, in the page's words (the engine's
/// summary names the checks by their field names).
fn agreement_summary(a: &imports::Agreement) -> String {
    if a.agrees {
        return a.summary.clone();
    }
    let differ: Vec<&str> = a
        .checks
        .iter()
        .filter(|c| !c.agrees)
        .map(|c| match c.what.as_str() {
            "decision" => "the decision",
            "layer" => "the layer that denied",
            "policy_arn" => "the policy AWS named",
            "matched_statement" => "the statement AWS matched",
            _ => "a detail",
        })
        .collect();
    let list = match differ.as_slice() {
        [] => "a detail".to_string(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    };
    format!("iamtrace does not agree with AWS: {list} differ.")
}

/// Marks the first verdict on the performance timeline (`iamtrace-first-verdict`), so that the
/// time from navigation to the first decision can be measured.
fn mark_first_verdict() {
    static DONE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !DONE.swap(true, std::sync::atomic::Ordering::Relaxed) {
        if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
            let _ = p.mark("iamtrace-first-verdict");
        }
    }
}

#[component]
pub fn Verdict() -> impl IntoView {
    let ctx = use_ctx();
    let copied = RwSignal::new(false);
    move || {
        let Some(e) = ctx.eval.get() else {
            return view! { <section class="verdict pending" id="verdict"><p>"Evaluating…"</p></section> }.into_any();
        };
        mark_first_verdict();
        // AWS's claim against the inputs: while the layer AWS blamed holds no readable policy,
        // iamtrace's own verdict is not an answer, so the page says what to paste instead.
        let repro = ctx
            .case
            .with_untracked(|c| reproduction::reproduction(&c.to_scenario(), &e));
        let incomplete = repro.status == ReproductionStatus::Incomplete;
        let undecided = e.undecided.clone();
        let (class, title) = match e.decision {
            _ if incomplete => ("incomplete", "Waiting for policies".to_string()),
            _ if undecided.is_some() => ("undecided", "Undecided".to_string()),
            Decision::Allowed => ("allowed", "Allowed".to_string()),
            Decision::ExplicitDeny => ("explicit", "Explicit deny".to_string()),
            Decision::ImplicitDeny => ("implicit", "Implicit deny".to_string()),
        };
        // Undecided: the sentence with both results replaces the confident "by the …" line.
        let by = match &undecided {
            _ if incomplete => Some(repro.summary.clone()),
            Some(u) => Some(sentence(&u.summary)),
            None => e
                .denied_by
                .map(|l| format!("by the {}", layer_words(l.name()))),
        };
        let possible = undecided.as_ref().map(|u| {
            format!(
                "Possible results: {}, or {}.",
                result_phrase(u.most_permissive),
                result_phrase(u.most_restrictive)
            )
        });
        let aws_head = if undecided.is_some() {
            "What AWS would say if the statements that could not be evaluated do not apply"
        } else {
            "What AWS would say"
        };
        let icon = match e.decision {
            _ if incomplete => "…",
            _ if undecided.is_some() => "?",
            Decision::Allowed => "✓",
            _ => "✕",
        };
        let unknown = e.unknown_statements.clone();
        let policies = e.policies.clone();
        // Incomplete: neither iamtrace's AWS message nor its disagreement with AWS is shown as if
        // it were the answer.
        let message = e.message.clone().filter(|_| !incomplete);
        let msg_for_copy = message.clone().unwrap_or_default();
        let agree = ctx
            .case
            .with_untracked(|c| agreement(&e, c))
            .filter(|_| !incomplete);
        let checklist = incomplete.then(|| repro.missing.clone());
        let status = repro.status.name();
        let seq = ctx.eval_seq.get_untracked();
        view! {
            <section class=format!("verdict {class}") id="verdict" data-decision=e.decision.name()
                data-denied-by=e.denied_by.map(|l| l.name()).unwrap_or("") data-seq=seq.to_string()
                data-undecided=undecided.is_some().to_string()
                data-reproduction=status
                data-eval-ms=move || format!("{:.2}", ctx.eval_ms.get())
                aria-live="polite">
                <div class="verdict-head">
                    <span class="verdict-icon" aria-hidden="true">{icon}</span>
                    <div>
                        <p class="verdict-title">{title}</p>
                        {by.map(|b| view! { <p class="verdict-by">{b}</p> })}
                        {possible.map(|p| view! { <p class="verdict-possible">{p}</p> })}
                    </div>
                    <span class="timing muted" title="Time the engine took for this evaluation">
                        {move || format!("{:.1} ms", ctx.eval_ms.get())}
                    </span>
                </div>
                {checklist.map(|missing| view! {
                    <div class="checklist" id="reproduction-checklist">
                        <h3>"To reproduce what AWS said, paste:"</h3>
                        <ol>{missing.into_iter().map(|m| view! { <MissingItem item=m/> }).collect_view()}</ol>
                        <p class="muted">"Paste each output into the paste box or the layer's editor: the case keeps what it already has."</p>
                    </div>
                })}
                {(!e.errors.is_empty()).then(|| view! {
                    <div class="errors">
                        <h3>"Input problems"</h3>
                        <ul>{e.errors.iter().map(|x| {
                            let pos = x.line.map(|l| format!(" (line {l}, column {})", x.column.unwrap_or(1))).unwrap_or_default();
                            view! { <li><strong>{place_label(&x.place)}</strong>": "{rich(&x.message)}{pos}</li> }
                        }).collect_view()}</ul>
                    </div>
                })}
                {e.cross_account.then(|| view! { <p class="muted">"Cross-account request: both the caller's account and the resource owner's account must allow it."</p> })}
                {message.map(|m| view! {
                    <div class="aws-text">
                        <div class="aws-text-head">
                            <span>{aws_head}</span>
                            <button class="btn tiny" on:click=move |_| { copied.set(clipboard::copy(&msg_for_copy)); }>
                                {move || if copied.get() { "Copied" } else { "Copy" }}
                            </button>
                        </div>
                        <pre class="aws-message">{m}</pre>
                    </div>
                })}
                {e.message_note.clone().map(|n| view! { <p class="note">{rich(&n)}</p> })}
                {agree.map(|(ok, text, missing)| view! {
                    <div class="agreement" class:agree=ok class:disagree=!ok id="agreement">
                        <p>{rich(&text)}</p>
                        {(!missing.is_empty()).then(|| view! {
                            <ul>{missing.into_iter().map(|m| view! { <li>{rich(&m)}</li> }).collect_view()}</ul>
                        })}
                    </div>
                })}
{(!unknown.is_empty()).then(|| view! {
                    <div class="unknown-statements" id="unknown-statements">
                        <h3>"Statements that could not be evaluated"</h3>
                        <ul>{unknown.into_iter().map(|u| {
                            let name = policies.get(u.policy).and_then(|p| p.name.clone())
                                .map(|n| format!(" '{n}'"))
                                .unwrap_or_else(|| format!(" {}", u.index + 1));
                            let level = u.level.map(|l| format!(", organization level {}", l + 1)).unwrap_or_default();
                            let effect = u.effect.map(|e| format!("{e:?} ")).unwrap_or_default();
                            let tail = if u.could_change_decision { "" } else { " It cannot change the decision." };
                            view! {
                                <li class:could-change=u.could_change_decision>
                                    {effect}"statement "<code>{u.label.clone()}</code>
                                    {format!(" in {}{name}{level}: {}.{tail}", layer_words(u.layer.name()), u.reasons.join("; "))}
                                </li>
                            }
                        }).collect_view()}</ul>
                    </div>
                })}
                {(!e.missing_keys.is_empty()).then(|| view! {
                    <div class="missing">
                        <h3>"Missing input"</h3>
                        <ul>{e.missing_keys.iter().map(|m| view! {
                            <li class:would-match=m.would_match><code>{m.key.clone()}</code>" — "{rich(&m.message)}</li>
                        }).collect_view()}</ul>
                    </div>
                })}
                {(!e.assumptions.is_empty()).then(|| view! {
                    <details class="assumptions">
                        <summary>{format!("Assumptions ({})", e.assumptions.len())}</summary>
                        <ul>{e.assumptions.iter().map(|a| view! { <li>{rich(a)}</li> }).collect_view()}</ul>
                    </details>
                })}
            </section>
        }
        .into_any()
    }
}

/// One input to paste: why, and the AWS CLI command that prints it (with a copy button).
#[component]
fn MissingItem(item: reproduction::MissingInput) -> impl IntoView {
    let copied = RwSignal::new(false);
    let command = item.command.clone();
    view! {
        <li data-layer=item.layer.name()>
            <p>{rich(&item.reason)}</p>
            <div class="cli">
                <code>{item.command.clone()}</code>
                <button class="btn small" on:click=move |_| { copied.set(clipboard::copy(&command)); }>
                    {move || if copied.get() { "Copied" } else { "Copy" }}
                </button>
            </div>
        </li>
    }
}
