//! The decision flow: AWS's evaluation as gates in order (rules §1.3, §1.5), drawn as
//! SVG. The path the request took is solid, the deciding gate stands out, skipped gates are
//! dashed. Each gate is a keyboard-focusable button with a text alternative; choosing one shows
//! its policies and statement traces.

use crate::app::use_ctx;
use iamtrace_engine::decision::{Decision, Gate, GateOutcome, Side};
use leptos::prelude::*;

/// One column: its width, the gates' width and where they start.
const W: f64 = 340.0;
const GATE_W: f64 = 300.0;
const GATE_H: f64 = 46.0;
const GAP: f64 = 18.0;
const LABEL_H: f64 = 38.0;
const X: f64 = (W - GATE_W) / 2.0;
/// Two columns (cross-account requests): caller's side on the left, resource's side right.
const W2: f64 = 560.0;
const COL_W: f64 = 260.0;
const COL_GAP: f64 = 20.0;

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

/// Where one gate is drawn.
struct Placed {
    gate: usize,
    x: f64,
    y: f64,
    w: f64,
}

/// A column heading: the side and its account.
struct Heading {
    x: f64,
    y: f64,
    side: Side,
    account: Option<String>,
}

/// The picture's layout: gates, the edges between them (from, to), headings, and the height.
struct Layout {
    width: f64,
    placed: Vec<Placed>,
    edges: Vec<(usize, usize)>,
    headings: Vec<Heading>,
    height: f64,
}

/// One column for a request within one account; for a cross-account request the shared gates
/// on top, then the caller's and the resource owner's gates side by side (both must allow).
fn layout(gates: &[Gate], accounts: (Option<String>, Option<String>)) -> Layout {
    let cross = gates.iter().any(|g| g.side.is_some());
    let mut placed = Vec::new();
    let mut edges = Vec::new();
    let mut headings = Vec::new();
    let mut y = 8.0;
    if !cross {
        for i in 0..gates.len() {
            if i > 0 {
                edges.push((i - 1, i));
            }
            placed.push(Placed {
                gate: i,
                x: X,
                y,
                w: GATE_W,
            });
            y += GATE_H + GAP;
        }
        return Layout {
            width: W,
            placed,
            edges,
            headings,
            height: y,
        };
    }
    let shared: Vec<usize> = (0..gates.len())
        .filter(|&i| gates[i].side.is_none())
        .collect();
    let mut last_shared = None;
    for &i in &shared {
        if let Some(p) = last_shared {
            edges.push((p, i));
        }
        placed.push(Placed {
            gate: i,
            x: (W2 - GATE_W) / 2.0,
            y,
            w: GATE_W,
        });
        last_shared = Some(i);
        y += GATE_H + GAP;
    }
    let top = y;
    let mut bottom = y;
    for (c, side) in [Side::Caller, Side::Resource].into_iter().enumerate() {
        let x = (W2 - 2.0 * COL_W - COL_GAP) / 2.0 + c as f64 * (COL_W + COL_GAP);
        headings.push(Heading {
            x,
            y: top,
            side,
            account: if side == Side::Caller {
                accounts.0.clone()
            } else {
                accounts.1.clone()
            },
        });
        let mut y = top + LABEL_H;
        let mut prev = last_shared;
        for i in (0..gates.len()).filter(|&i| gates[i].side == Some(side)) {
            if let Some(p) = prev {
                edges.push((p, i));
            }
            placed.push(Placed {
                gate: i,
                x,
                y,
                w: COL_W,
            });
            prev = Some(i);
            y += GATE_H + GAP;
        }
        bottom = bottom.max(y);
    }
    Layout {
        width: W2,
        placed,
        edges,
        headings,
        height: bottom,
    }
}

#[component]
pub fn DecisionFlow() -> impl IntoView {
    let ctx = use_ctx();
    let select = move |i: usize| ctx.selected_gate.set(Some(i));
    move || {
        let Some(e) = ctx.eval.get() else {
            return ().into_any();
        };
        let gates = &e.gates;
        let decisive = gates.iter().position(|g| g.decisive);
        // The gate whose trace is open: the chosen one, else the deciding one.
        let shown = move || ctx.selected_gate.get().or(decisive);
        let reached = |i: usize| e.decision == Decision::Allowed || decisive.is_none_or(|d| i <= d);
        let accounts = (
            e.request.caller.account().map(str::to_string),
            e.request.resource_account.clone(),
        );
        let lay = layout(gates, accounts);
        let mut parts = Vec::new();
        for h in &lay.headings {
            let account = h.account.clone().map(|a| format!("account {a}"));
            parts.push(
                view! {
                    <text class="side-label" x=h.x + 4.0 y=h.y + 13.0>{side_label(h.side)}</text>
                    <text class="side-account" x=h.x + 4.0 y=h.y + 28.0>{account}</text>
                }
                .into_any(),
            );
        }
        let at = |i: usize| lay.placed.iter().find(|p| p.gate == i);
        for &(a, b) in &lay.edges {
            let (Some(pa), Some(pb)) = (at(a), at(b)) else {
                continue;
            };
            let on_path = reached(a) && reached(b);
            let (x1, y1) = (pa.x + pa.w / 2.0, pa.y + GATE_H);
            // Into a column from the shared gate above: aim right of the column's heading.
            let fork = gates[a].side.is_none() && gates[b].side.is_some();
            let x2 = pb.x + pb.w * if fork { 0.8 } else { 0.5 };
            let y2 = pb.y - 2.0;
            parts.push(
                view! {
                    <line class="edge" class:on-path=on_path x1=x1 y1=y1 x2=x2 y2=y2
                        marker-end=if on_path { "url(#arrow-on)" } else { "url(#arrow-off)" }/>
                }
                .into_any(),
            );
        }
        for p in &lay.placed {
            let i = p.gate;
            let g = &gates[i];
            let label = format!(
                "{}{}: {}{}. {}",
                g.side
                    .map(|s| format!("{} · ", side_label(s)))
                    .unwrap_or_default(),
                g.title,
                outcome_words(g.outcome),
                if g.decisive {
                    " (decides the request)"
                } else {
                    ""
                },
                crate::text::plain(&g.reason)
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
            let (x, top, w) = (p.x, p.y, p.w);
            let side = g
                .side
                .map(|s| match s {
                    Side::Caller => "caller",
                    Side::Resource => "resource",
                })
                .unwrap_or("");
            parts.push(view! {
                <g class=cls tabindex="0" role="button" data-gate=i.to_string() data-side=side
                    aria-label=aria
                    aria-pressed=move || (shown() == Some(i)).to_string()
                    class:selected=move || shown() == Some(i)
                    on:click=move |_| select(i)
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Enter" || ev.key() == " " { ev.prevent_default(); select(i) }
                    }>
                    <title>{label}</title>
                    <rect x=x y=top width=w height=GATE_H rx="8"/>
                    <text class="gate-title" x=x + 14.0 y=top + 20.0>{title}</text>
                    <text class="gate-sub" x=x + 14.0 y=top + 37.0>{sub}</text>
                    <text class="gate-mark" x=x + w - 14.0 y=top + 29.0 text-anchor="end">
                        {match g.outcome { GateOutcome::Passed => "✓", GateOutcome::Failed => "✕", GateOutcome::Skipped => "–", GateOutcome::NotApplicable => "·", GateOutcome::Unknown => "?" }}
                    </text>
                </g>
            }.into_any());
        }
        let (w, h) = (lay.width, lay.height);
        let two = !lay.headings.is_empty();
        let summary = match decisive {
            Some(d) => format!("{} gates; decided at {}", gates.len(), gates[d].title),
            None => format!("{} gates", gates.len()),
        };
        let incomplete = ctx.case.with_untracked(|c| {
            iamtrace_engine::reproduction::reproduction(&c.to_scenario(), &e).status
                == iamtrace_engine::reproduction::ReproductionStatus::Incomplete
        });
        view! {
            <section class="panel flow" class:provisional=incomplete aria-labelledby="flow-h">
                <h2 id="flow-h">"Decision flow"</h2>
                {incomplete.then(|| view! {
                    <p class="note" id="flow-provisional">"Only what has been pasted so far: until the layer AWS blamed holds its policies, this flow is not AWS's decision."</p>
                })}
                <p class="muted">{if two {
                    "AWS checks these in order. The request crosses accounts: the caller's account and the resource owner's account must both allow it. Choose a gate to see its policies and statements."
                } else {
                    "AWS checks these in order. Choose a gate to see its policies and statements."
                }}</p>
                <svg class="flow-svg" class:two-sides=two viewBox=format!("0 0 {w} {h}") role="group" aria-label=summary
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
