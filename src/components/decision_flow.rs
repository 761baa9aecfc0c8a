//! The decision flow: AWS's evaluation as gates in order (IAM-SEMANTICS §1.3, §1.5), drawn as
//! SVG. The path the request took is solid, the deciding gate stands out, skipped gates are
//! dashed. Each gate is a keyboard-focusable button with a text alternative; choosing one shows
//! its policies and statement traces.

use crate::app::use_ctx;
use iamtrace_engine::decision::{Decision, Gate, GateOutcome, Side};
use leptos::prelude::*;

const W: f64 = 340.0;
const GATE_W: f64 = 300.0;
const GATE_H: f64 = 46.0;
const GAP: f64 = 18.0;
const LABEL_H: f64 = 26.0;
const X: f64 = (W - GATE_W) / 2.0;

fn outcome_words(o: GateOutcome) -> &'static str {
    match o {
        GateOutcome::Passed => "passed",
        GateOutcome::Failed => "stops the request",
        GateOutcome::Skipped => "skipped",
        GateOutcome::NotApplicable => "not applicable",
        GateOutcome::Unknown => "undecided",
    }
}

fn outcome_class(o: GateOutcome) -> &'static str {
    match o {
        GateOutcome::Passed => "passed",
        GateOutcome::Failed => "failed",
        GateOutcome::Skipped => "skipped",
        GateOutcome::NotApplicable => "na",
        GateOutcome::Unknown => "unknown",
    }
}

fn side_label(s: Side) -> &'static str {
    match s {
        Side::Caller => "Caller's side",
        Side::Resource => "Resource's side",
    }
}

/// One row of the picture.
enum Row {
    Label(&'static str),
    Gate(usize),
}

fn rows(gates: &[Gate]) -> Vec<Row> {
    let mut out = Vec::new();
    let mut side = None;
    for (i, g) in gates.iter().enumerate() {
        if g.side.is_some() && g.side != side {
            out.push(Row::Label(side_label(g.side.unwrap_or(Side::Caller))));
            side = g.side;
        }
        out.push(Row::Gate(i));
    }
    out
}

#[component]
pub fn DecisionFlow() -> impl IntoView {
    let ctx = use_ctx();
    let select = move |i: usize| {
        ctx.selected_gate
            .update(|s| *s = if *s == Some(i) { None } else { Some(i) })
    };
    move || {
        let Some(e) = ctx.eval.get() else {
            return ().into_any();
        };
        let gates = &e.gates;
        let decisive = gates.iter().position(|g| g.decisive);
        let reached = |i: usize| e.decision == Decision::Allowed || decisive.is_none_or(|d| i <= d);
        let mut y = 8.0;
        let mut parts = Vec::new();
        let mut last_gate: Option<(usize, f64)> = None;
        for row in rows(gates) {
            match row {
                Row::Label(text) => {
                    parts.push(
                        view! { <text class="side-label" x=W / 2.0 - 10.0 y=y + 17.0 text-anchor="end">{text}</text> }.into_any(),
                    );
                    y += LABEL_H;
                }
                Row::Gate(i) => {
                    let g = &gates[i];
                    if let Some((j, prev_bottom)) = last_gate {
                        let on_path = reached(j) && reached(i);
                        parts.push(view! {
                            <line class="edge" class:on-path=on_path x1=W / 2.0 y1=prev_bottom x2=W / 2.0 y2=y - 2.0
                                marker-end=if on_path { "url(#arrow-on)" } else { "url(#arrow-off)" }/>
                        }.into_any());
                    }
                    let label = format!(
                        "{}: {}{}. {}",
                        g.title,
                        outcome_words(g.outcome),
                        if g.decisive {
                            " (decides the request)"
                        } else {
                            ""
                        },
                        g.reason
                    );
                    let cls = format!(
                        "gate {}{}{}",
                        outcome_class(g.outcome),
                        if g.decisive { " decisive" } else { "" },
                        if reached(i) { "" } else { " unreached" }
                    );
                    let aria = label.clone();
                    let title = g.title.clone();
                    let sub = outcome_words(g.outcome).to_string();
                    let top = y;
                    parts.push(view! {
                        <g class=cls tabindex="0" role="button" data-gate=i.to_string()
                            aria-label=aria
                            aria-pressed=move || (ctx.selected_gate.get() == Some(i)).to_string()
                            class:selected=move || ctx.selected_gate.get() == Some(i)
                            on:click=move |_| select(i)
                            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                                if ev.key() == "Enter" || ev.key() == " " { ev.prevent_default(); select(i) }
                            }>
                            <title>{label}</title>
                            <rect x=X y=top width=GATE_W height=GATE_H rx="8"/>
                            <text class="gate-title" x=X + 14.0 y=top + 20.0>{title}</text>
                            <text class="gate-sub" x=X + 14.0 y=top + 37.0>{sub}</text>
                            <text class="gate-mark" x=X + GATE_W - 14.0 y=top + 29.0 text-anchor="end">
                                {match g.outcome { GateOutcome::Passed => "✓", GateOutcome::Failed => "✕", GateOutcome::Skipped => "–", GateOutcome::NotApplicable => "·", GateOutcome::Unknown => "?" }}
                            </text>
                        </g>
                    }.into_any());
                    last_gate = Some((i, top + GATE_H));
                    y += GATE_H + GAP;
                }
            }
        }
        let h = y;
        let summary = match decisive {
            Some(d) => format!("{} gates; decided at {}", gates.len(), gates[d].title),
            None => format!("{} gates", gates.len()),
        };
        view! {
            <section class="panel flow" aria-labelledby="flow-h">
                <h2 id="flow-h">"Decision flow"</h2>
                <p class="muted">"AWS checks these in order. Choose a gate to see its policies and statements."</p>
                <svg class="flow-svg" viewBox=format!("0 0 {W} {h}") role="group" aria-label=summary
                    preserveAspectRatio="xMidYMin meet">
                    <defs>
                        <marker id="arrow-on" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
                            <path class="arrow-on" d="M0,0 L10,5 L0,10 z"/>
                        </marker>
                        <marker id="arrow-off" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
                            <path class="arrow-off" d="M0,0 L10,5 L0,10 z"/>
                        </marker>
                    </defs>
                    {parts}
                </svg>
            </section>
        }
        .into_any()
    }
}
