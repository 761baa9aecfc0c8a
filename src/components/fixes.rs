//! "How to fix", beside the verdict. For a denied case: the engine's verified fixes, best first,
//! each with what it changes (layer and policy), its summary and diff, and an Apply button that
//! replaces the case with the fixed one as one undoable step. A fix in an SCP or RCP is outside
//! the user's control: no Apply, but which policy, statement and organization level, and what the
//! organization's administrators would have to change. For an allowed case: the statements that
//! grant it. For any case: which single policy or layer taken away flips the decision.
//!
//! Fixes are computed lazily: only while the panel is open, once the evaluation has settled, and
//! after a short idle time, so that typing stays fast. A case whose evaluation is slow gets a
//! button instead of an automatic search (a search evaluates up to a few hundred variants).

use crate::app::{now, use_ctx};
use crate::components::switch::SwitchedOffBanner;
use crate::state::{Case, DocRef};
use crate::switch_off;
use crate::text::{place_label, rich};
use iamtrace_engine::fixes::{self, Counterfactuals, Fix, FixKind, PolicyRef, Suggestions};
use iamtrace_engine::scenario::Scenario;
use leptos::prelude::*;
use std::sync::Arc;
use std::time::Duration;

/// Idle time after an evaluation before fixes are looked for.
const SETTLE: Duration = Duration::from_millis(250);
/// Above this time (ms) for one evaluation of the case, the search for fixes (up to a few
/// hundred evaluations) waits for the user to ask for it.
const AUTO_LIMIT_MS: f64 = 15.0;

/// What the panel shows for one evaluation.
#[derive(Debug, Clone)]
enum Advice {
    Denied {
        suggestions: Suggestions,
        flips: Counterfactuals,
    },
    Allowed(Counterfactuals),
}

/// The advice for one evaluation of one case, with the time it took.
#[derive(Debug, Clone)]
struct Computed {
    seq: u64,
    /// The case it was computed for: Apply refuses when the case has changed since.
    case: Arc<Case>,
    /// Time `fixes::suggest` took (0 for an allowed case).
    fix_ms: f64,
    /// Time of the whole computation (fixes and counterfactuals).
    total_ms: f64,
    advice: Arc<Advice>,
}

fn compute(case: &Case, seq: u64) -> Computed {
    let scenario = case.to_scenario();
    let t0 = now();
    let suggestions = fixes::suggest(&scenario);
    let fix_ms = now() - t0;
    let flips = fixes::counterfactuals(&scenario);
    let total_ms = now() - t0;
    let advice = if suggestions.decision == iamtrace_engine::decision::Decision::Allowed {
        Advice::Allowed(flips)
    } else {
        Advice::Denied { suggestions, flips }
    };
    Computed {
        seq,
        case: Arc::new(case.clone()),
        fix_ms: if matches!(advice, Advice::Allowed(_)) {
            0.0
        } else {
            fix_ms
        },
        total_ms,
        advice: Arc::new(advice),
    }
}

fn doc_ref(at: PolicyRef) -> DocRef {
    DocRef {
        layer: at.layer,
        level: at.level,
        index: at.index,
    }
}

/// "Identity-based policy 1 (ReadReports)", in the page's labels.
fn policy_label(case: &Case, at: PolicyRef) -> String {
    let label = place_label(&at.place());
    match case.doc(doc_ref(at)).map(|d| {
        if d.name.trim().is_empty() {
            d.arn.trim()
        } else {
            d.name.trim()
        }
    }) {
        Some(n) if !n.is_empty() => format!("{label} ({n})"),
        _ => label,
    }
}

fn kind_words(kind: FixKind) -> &'static str {
    match kind {
        FixKind::EditStatement => "Edit a statement",
        FixKind::AddStatement => "Add a statement",
        FixKind::RemoveStatement => "Remove a statement",
        FixKind::AddContext => "Send the request differently",
        FixKind::OutsideControl => "Outside your control",
    }
}

/// The AWS documentation prefix a summary may link to (anything else stays text: summaries
/// quote the user's own policies).
const AWS_DOCS: &str = "https://docs.aws.amazon.com/";

/// Engine text with its AWS documentation addresses as links.
fn summary_view(text: &str) -> impl IntoView {
    let mut out: Vec<AnyView> = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(AWS_DOCS) {
        let len = rest[at..]
            .find(|c: char| c.is_whitespace() || c == ')' || c == ',')
            .unwrap_or(rest.len() - at);
        let url = rest[at..at + len].trim_end_matches('.').to_string();
        out.push(rich(&rest[..at]).into_any());
        out.push(
            view! {
                <a class="cite" href=url.clone() target="_blank" rel="noopener noreferrer"
                    title=url.clone()>"AWS documentation ↗"</a>
            }
            .into_any(),
        );
        rest = &rest[at + url.len()..];
    }
    out.push(rich(rest).into_any());
    out.collect_view()
}

/// The diff as lines of text, added and removed ones marked; file headers become the page's
/// label of the policy (or "new policy").
fn diff_view(case: &Case, diff: &str) -> impl IntoView {
    let mut new_file = false;
    let lines: Vec<AnyView> = diff
        .lines()
        .filter_map(|line| {
            if let Some(from) = line.strip_prefix("--- ") {
                new_file = from == "/dev/null";
                return None;
            }
            if let Some(to) = line.strip_prefix("+++ ") {
                let place = to.strip_prefix("b/").unwrap_or(to);
                let label = policy_at(case, place).unwrap_or_else(|| place_label(place));
                let label = if new_file {
                    format!("{label}, a new policy")
                } else {
                    label
                };
                return Some(view! { <span class="diff-file">{label}"\n"</span> }.into_any());
            }
            let class = if line.starts_with("@@") {
                "diff-hunk"
            } else if line.starts_with('+') {
                "diff-add"
            } else if line.starts_with('-') {
                "diff-del"
            } else {
                "diff-ctx"
            };
            Some(view! { <span class=class>{line.to_string()}"\n"</span> }.into_any())
        })
        .collect();
    view! { <pre class="diff">{lines}</pre> }
}

/// The label of the policy at a scenario place (`policies.identity[0]`), with its name.
fn policy_at(case: &Case, place: &str) -> Option<String> {
    case.all_docs().into_iter().find_map(|(r, _)| {
        let at = PolicyRef {
            layer: r.layer,
            level: r.level,
            index: r.index,
        };
        (at.place() == place).then(|| policy_label(case, at))
    })
}

#[component]
pub fn FixPanel() -> impl IntoView {
    let ctx = use_ctx();
    let open = RwSignal::new(true);
    let computed: RwSignal<Option<Computed>> = RwSignal::new(None);
    // The evaluation waiting for the user to ask (slow cases).
    let waiting = RwSignal::new(false);
    let switched = Memo::new(move |_| ctx.case.with(|c| !switch_off::active(c).is_empty()));
    let timer: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);

    // `forced`: the user asked; otherwise only when one evaluation of the case is quick (the
    // page's last evaluation, timed where it ran: never evaluate a large case here to time it,
    // the main thread would freeze on a hostile one).
    let run = move |seq: u64, forced: bool| {
        if ctx.eval_seq.get_untracked() != seq || !open.get_untracked() {
            return;
        }
        let case = ctx.case.get_untracked();
        if !switch_off::active(&case).is_empty() {
            return;
        }
        if !forced && ctx.eval_ms.get_untracked() > AUTO_LIMIT_MS {
            waiting.set(true);
            return;
        }
        waiting.set(false);
        computed.set(Some(compute(&case, seq)));
    };
    Effect::new(move |_| {
        let seq = ctx.eval_seq.get();
        let is_open = open.get();
        let off = switched.get();
        if let Some(h) = timer.get_value() {
            h.clear();
        }
        if !is_open || off || computed.with_untracked(|c| c.as_ref().is_some_and(|c| c.seq == seq))
        {
            return;
        }
        waiting.set(false);
        timer.set_value(set_timeout_with_handle(move || run(seq, false), SETTLE).ok());
    });
    on_cleanup(move || {
        if let Some(h) = timer.get_value() {
            h.clear();
        }
    });

    let apply = move |c: &Computed, scenario: &Scenario, what: String| {
        if ctx
            .case
            .with_untracked(|current| current != c.case.as_ref())
        {
            ctx.info("The case changed since this fix was found; it is being looked for again.");
            return;
        }
        let mut fixed = Case::from_scenario(scenario);
        // What AWS said and what the file expected were about the case before the fix.
        fixed.expect = None;
        fixed.observed = None;
        ctx.destructive(&what, move |case| *case = fixed);
        ctx.selected_gate.set(None);
    };

    let body = move || {
        if switched.get() {
            return view! {
                <p class="muted">"Fixes are looked for in the whole case: switch every policy back on to see them."</p>
            }
            .into_any();
        }
        if !open.get() {
            return ().into_any();
        }
        let seq = ctx.eval_seq.get();
        let current = computed.get().filter(|c| c.seq == seq);
        let Some(c) = current else {
            if waiting.get() {
                return view! {
                    <div class="fix-wait">
                        <p class="muted">"This case takes a while to evaluate; looking for fixes evaluates many variants of it."</p>
                        <button class="btn small" id="find-fixes" on:click=move |_| run(ctx.eval_seq.get_untracked(), true)>"Find fixes"</button>
                    </div>
                }
                .into_any();
            }
            return view! { <p class="muted">"Looking for fixes…"</p> }.into_any();
        };
        match c.advice.as_ref() {
            Advice::Denied { suggestions, flips } => {
                denied_view(&c, suggestions, flips, apply).into_any()
            }
            Advice::Allowed(cf) => allowed_view(&c, cf).into_any(),
        }
    };

    let state = move || {
        if switched.get() {
            return "switched-off";
        }
        let seq = ctx.eval_seq.get();
        match computed.get().filter(|c| c.seq == seq) {
            None if !open.get() => "closed",
            None => "pending",
            Some(c) => match c.advice.as_ref() {
                Advice::Denied { .. } => "denied",
                Advice::Allowed(_) => "allowed",
            },
        }
    };
    let figure = move |f: fn(&Computed) -> f64| {
        move || {
            computed
                .get()
                .map(|c| format!("{:.2}", f(&c)))
                .unwrap_or_default()
        }
    };
    let count = move || {
        computed
            .get()
            .map(|c| match c.advice.as_ref() {
                Advice::Denied { suggestions, .. } => suggestions.fixes.len(),
                Advice::Allowed(_) => 0,
            })
            .unwrap_or(0)
            .to_string()
    };
    let heading = move || {
        let seq = ctx.eval_seq.get();
        match computed.get().filter(|c| c.seq == seq).map(|c| c.advice) {
            Some(a) if matches!(a.as_ref(), Advice::Allowed(_)) => "What grants it",
            _ => "How to fix",
        }
    };
    view! {
        <section class="panel fixes" id="fixes" aria-labelledby="fixes-h"
            data-state=state data-fix-ms=figure(|c| c.fix_ms) data-total-ms=figure(|c| c.total_ms)
            data-seq=move || computed.get().map(|c| c.seq.to_string()).unwrap_or_default()
            data-count=count>
            <div class="fixes-head">
                <h2 id="fixes-h">{heading}</h2>
                <span class="timing muted" title="Time the engine took to find and verify the fixes">
                    {move || computed.get().filter(|c| c.seq == ctx.eval_seq.get()).map(|c| format!("{:.1} ms", c.total_ms))}
                </span>
                <button class="btn tiny ghost" aria-expanded=move || open.get().to_string()
                    on:click=move |_| open.update(|o| *o = !*o)>
                    {move || if open.get() { "Hide" } else { "Show" }}
                </button>
            </div>
            <SwitchedOffBanner/>
            {body}
        </section>
    }
}

fn denied_view(
    c: &Computed,
    s: &Suggestions,
    flips: &Counterfactuals,
    apply: impl Fn(&Computed, &Scenario, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let case = c.case.clone();
    let items = s
        .fixes
        .iter()
        .enumerate()
        .map(|(i, f)| fix_view(c, &case, i, f, apply))
        .collect_view();
    let none = s.fixes.is_empty().then(|| {
        view! {
            <p class="muted" id="no-fixes">"No change was found that iamtrace could verify."</p>
        }
    });
    let notes = (!s.notes.is_empty()).then(|| {
        view! {
            <ul class="fix-notes muted">{s.notes.iter().map(|n| view! { <li>{summary_view(&sentence(n))}</li> }).collect_view()}</ul>
        }
    });
    view! {
        <p class="muted">"Each fix has been checked: with it, the request is allowed, and nothing else needs to change. Best first."</p>
        {none}
        <ol class="fix-list">{items}</ol>
        {notes}
        <Flips flips=flips.flips.clone() case=case.clone()/>
    }
}

/// Engine notes start lower-case; on the page they are sentences.
fn sentence(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => {
            let end = if s.ends_with('.') { "" } else { "." };
            format!("{}{}{end}", f.to_uppercase(), c.as_str())
        }
        None => String::new(),
    }
}

fn fix_view(
    c: &Computed,
    case: &Case,
    i: usize,
    f: &Fix,
    apply: impl Fn(&Computed, &Scenario, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let where_ = if f.kind == FixKind::AddContext {
        format!("Request context (for {})", policy_label(case, f.policy))
    } else {
        policy_label(case, f.policy)
    };
    let side = f.side.map(|s| match s {
        iamtrace_engine::decision::Side::Caller => " · the caller's account",
        iamtrace_engine::decision::Side::Resource => " · the resource owner's account",
    });
    let outside = f.kind == FixKind::OutsideControl;
    let org = f.organization.clone().map(|o| {
        let statement = o
            .statement
            .clone()
            .unwrap_or_else(|| "none: no statement at this level allows the request".into());
        let policy = o
            .policy_name
            .clone()
            .unwrap_or_else(|| place_label(&f.policy.place()));
        let exemptions = if o.exemptions.is_empty() {
            view! { <dd>"None documented for this request."</dd> }.into_any()
        } else {
            view! {
                <dd><ul>{o.exemptions.iter().map(|x| view! { <li>{summary_view(x)}</li> }).collect_view()}</ul></dd>
            }
            .into_any()
        };
        view! {
            <dl class="org">
                <dt>"Policy"</dt><dd class="org-policy">{policy}</dd>
                <dt>"Statement"</dt><dd class="org-statement">{statement}</dd>
                <dt>"Organization level"</dt><dd class="org-level">{o.level_name.clone()}{f.policy.level.map(|l| format!(" (level {})", l + 1))}</dd>
                <dt>"Exemptions"</dt>{exemptions}
            </dl>
        }
    });
    let apply_button = f.scenario.clone().filter(|_| !outside).map(|scenario| {
        let c = c.clone();
        let what = format!("apply the fix ({})", where_.clone());
        let label = format!("Apply fix {}: {}", i + 1, kind_words(f.kind));
        view! {
            <button class="btn small primary fix-apply" aria-label=label
                on:click=move |_| apply(&c, &scenario, what.clone())>"Apply"</button>
        }
    });
    let diff_head = if outside {
        "What the organization's administrators would have to change:"
    } else {
        "The change:"
    };
    view! {
        <li class="fix" class:outside=outside data-kind=f.kind.name() data-layer=f.layer.name()>
            <div class="fix-head">
                <span class="fix-kind">{kind_words(f.kind)}</span>
                <span class="fix-where">{where_.clone()}{side}</span>
                {apply_button}
            </div>
            <p class="fix-summary">{summary_view(&f.summary)}</p>
            {org}
            <details class="fix-diff" open={i == 0}>
                <summary>{diff_head}</summary>
                {diff_view(case, &f.diff)}
            </details>
        </li>
    }
}

fn allowed_view(c: &Computed, cf: &Counterfactuals) -> impl IntoView {
    let case = c.case.clone();
    let grants = cf
        .grants
        .iter()
        .map(|g| {
            let still = if g.still_allowed_without {
                "without it, another statement still grants the request"
            } else {
                "without it, the request is denied"
            };
            view! {
                <li class="grant" class:redundant=g.still_allowed_without>
                    "Statement "<code>{g.label.clone()}</code>" in "{policy_label(&case, g.policy)}
                    <span class="muted">{format!(" — {still}")}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        {(!cf.grants.is_empty()).then(|| view! {
            <p class="muted">"The statements that allow the request, gate by gate:"</p>
            <ul class="grants" id="grants">{grants}</ul>
        })}
        <Flips flips=cf.flips.clone() case=c.case.clone()/>
    }
}

/// "Allowed but for …": each single policy or layer whose removal flips the decision, with a
/// button to switch it off and see.
#[component]
fn Flips(flips: Vec<fixes::Counterfactual>, case: Arc<Case>) -> impl IntoView {
    let ctx = use_ctx();
    if flips.is_empty() {
        return ().into_any();
    }
    let items = flips
        .into_iter()
        .map(|f| {
            let doc = f.policy.and_then(|at| case.doc(doc_ref(at)).map(|d| d.id));
            let layer = f.layer;
            let switch = move |_| {
                ctx.case.update(|c| match doc {
                    Some(id) => c.switched_off.toggle_doc(id),
                    None => c.switched_off.toggle_layer(layer),
                })
            };
            view! {
                <li class="flip">
                    {summary_view(&sentence(&f.summary))}" "
                    <button class="btn tiny ghost" on:click=switch>"Switch it off to see"</button>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="flips" id="counterfactuals">
            <h3>"What the decision rests on"</h3>
            <ul>{items}</ul>
        </div>
    }
    .into_any()
}
