//! "What can this principal do here?": every action of AWS's catalog decided for the case's
//! principal, resource and context (the engine's sweep, through the compiled path), as a table
//! filtered by service, access level, outcome and deciding layer. Nothing runs until the user
//! opens it; while open it follows the case's evaluations.

use crate::app::{now, use_ctx};
use crate::engine;
use iamtrace_engine::catalog::AccessLevel;
use iamtrace_engine::decision::Layer;
use iamtrace_engine::sweep::{ActionSweep, Outcome, Scope, SweptAction};
use leptos::prelude::*;
use std::sync::Arc;

/// Rows drawn at most; the filters narrow the rest.
const ROWS_SHOWN: usize = 200;

const LEVELS: [AccessLevel; 5] = [
    AccessLevel::List,
    AccessLevel::Read,
    AccessLevel::Write,
    AccessLevel::Tagging,
    AccessLevel::PermissionsManagement,
];

const LAYERS: [Layer; 7] = [
    Layer::Identity,
    Layer::Resource,
    Layer::PermissionsBoundary,
    Layer::Scp,
    Layer::Rcp,
    Layer::Session,
    Layer::VpcEndpoint,
];

/// The layer as the page names it elsewhere.
fn layer_label(l: Layer) -> &'static str {
    match l {
        Layer::Identity => "identity-based policy",
        Layer::Resource => "resource-based policy",
        Layer::PermissionsBoundary => "permissions boundary",
        Layer::Scp => "SCP",
        Layer::Rcp => "RCP",
        Layer::Session => "session policy",
        Layer::VpcEndpoint => "VPC endpoint policy",
    }
}

fn outcome_label(o: Outcome) -> &'static str {
    match o {
        Outcome::Allowed => "Allowed",
        Outcome::ExplicitDeny => "Explicit deny",
        Outcome::ImplicitDeny => "Implicit deny",
        Outcome::Undecided => "Undecided",
        Outcome::NotApplicable => "Not applicable here",
    }
}

/// The outcome filter's choices: (value, label).
const OUTCOMES: [(&str, &str); 8] = [
    ("decided", "Decided here (all but not applicable)"),
    ("any", "Any, with not applicable"),
    ("allowed", "Allowed"),
    ("denied", "Denied (explicit or implicit)"),
    ("explicit_deny", "Explicit deny"),
    ("implicit_deny", "Implicit deny"),
    ("undecided", "Undecided"),
    ("not_applicable", "Not applicable here"),
];

fn outcome_matches(filter: &str, o: Outcome) -> bool {
    match filter {
        "any" => true,
        "decided" => o != Outcome::NotApplicable,
        "denied" => matches!(o, Outcome::ExplicitDeny | Outcome::ImplicitDeny),
        other => o.name() == other,
    }
}

/// The filters, as the controls hold them ("" is "any").
#[derive(Clone, Default, PartialEq)]
struct Filters {
    service: String,
    level: String,
    outcome: String,
    layer: String,
    search: String,
}

impl Filters {
    fn keep(&self, r: &SweptAction) -> bool {
        let service = self.service.trim();
        let prefix = r.action.split(':').next().unwrap_or("");
        (service.is_empty() || prefix.eq_ignore_ascii_case(service))
            && (self.level.is_empty() || r.access_level.aws_name() == self.level)
            && outcome_matches(
                if self.outcome.is_empty() {
                    "decided"
                } else {
                    &self.outcome
                },
                r.decision,
            )
            && (self.layer.is_empty() || r.denied_by.is_some_and(|l| l.name() == self.layer))
            && (self.search.trim().is_empty()
                || r.action
                    .to_ascii_lowercase()
                    .contains(&self.search.trim().to_ascii_lowercase()))
    }
}

/// A note of the engine with its AWS documentation address as a link.
fn note_view(note: &str) -> impl IntoView {
    let Some(start) = note.find("https://") else {
        return note.to_string().into_any();
    };
    let end = note[start..]
        .find([')', ' '])
        .map_or(note.len(), |e| start + e);
    let (before, url, after) = (&note[..start], &note[start..end], &note[end..]);
    view! {
        {before.to_string()}
        <a class="cite" href=url.to_string() target="_blank" rel="noopener noreferrer"
            title="AWS documentation">"Service Authorization Reference ↗"</a>
        {after.to_string()}
    }
    .into_any()
}

/// The last sweep: its result and how long the engine took.
#[derive(Clone)]
struct Swept {
    result: Result<Arc<ActionSweep>, String>,
    ms: f64,
}

#[component]
pub fn ActionsPanel() -> impl IntoView {
    let ctx = use_ctx();
    let open = RwSignal::new(false);
    let swept = RwSignal::new(None::<Swept>);
    let filters = RwSignal::new(Filters::default());

    // Runs when opened, then after each evaluation of the edited case while open.
    Effect::new(move |_| {
        ctx.eval_seq.track();
        if !open.get() {
            return;
        }
        let case = ctx.case.get_untracked();
        let t0 = now();
        let result = engine::sweep(&case).map(Arc::new);
        swept.set(Some(Swept {
            result,
            ms: now() - t0,
        }));
    });

    let matching = Memo::new(move |_| {
        let f = filters.get();
        swept.with(|s| {
            let Some(Ok(all)) = s.as_ref().map(|s| &s.result) else {
                return (Vec::new(), 0);
            };
            let mut shown = Vec::new();
            let mut total = 0;
            for (i, r) in all.actions.iter().enumerate() {
                if f.keep(r) {
                    total += 1;
                    if shown.len() < ROWS_SHOWN {
                        shown.push(i);
                    }
                }
            }
            (shown, total)
        })
    });

    let open_case = move |i: usize| {
        let Some(Ok(all)) = swept.get_untracked().map(|s| s.result) else {
            return;
        };
        let Some(row) = all.actions.get(i) else {
            return;
        };
        let case = ctx.case.get_untracked();
        if let Some(single) = engine::action_case(&case, row) {
            ctx.replace_case(&format!("the case of {}", row.action), single);
        }
    };

    let set = move |f: fn(&mut Filters, String)| {
        move |ev| {
            let v = event_target_value(&ev);
            filters.update(|x| f(x, v));
        }
    };

    let services = Memo::new(move |_| {
        swept.with(|s| {
            let Some(Ok(all)) = s.as_ref().map(|s| &s.result) else {
                return Vec::new();
            };
            let mut prefixes: Vec<String> = Vec::new();
            for r in &all.actions {
                let p = r.action.split(':').next().unwrap_or("");
                if prefixes.last().map(String::as_str) != Some(p) {
                    prefixes.push(p.to_string());
                }
            }
            prefixes
        })
    });

    let body = move || {
        let Some(s) = swept.get() else {
            return view! { <p class="muted">"Deciding every action…"</p> }.into_any();
        };
        let all = match s.result {
            Ok(all) => all,
            Err(e) => {
                return view! { <p class="sweep-error" id="sweep-error">{e}</p> }.into_any();
            }
        };
        let c = all.counts;
        let time = format!(
            "{} actions decided in {:.0} ms: {} allowed, {} explicit deny, {} implicit deny, {} undecided, {} not applicable to this resource.",
            c.total, s.ms, c.allowed, c.explicit_deny, c.implicit_deny, c.undecided, c.not_applicable
        );
        let notes = all.notes.clone();
        let resource = all.resource.clone();
        view! {
            <p class="sweep-time" id="sweep-time" data-ms=format!("{:.1}", s.ms) data-total=c.total.to_string()>{time}</p>
            <div class="sweep-filters" role="group" aria-label="Filter the actions">
                <label class="field"><span class="field-label">"Service"</span>
                    <input id="sweep-service" list="sweep-services" placeholder="any, e.g. s3" spellcheck="false"
                        prop:value=move || filters.with(|f| f.service.clone())
                        on:input=set(|f, v| f.service = v)/>
                    <datalist id="sweep-services">
                        {move || services.get().into_iter().map(|p| view! { <option value=p/> }).collect_view()}
                    </datalist>
                </label>
                <label class="field"><span class="field-label">"Action contains"</span>
                    <input id="sweep-search" placeholder="e.g. Object" spellcheck="false"
                        prop:value=move || filters.with(|f| f.search.clone())
                        on:input=set(|f, v| f.search = v)/>
                </label>
                <label class="field"><span class="field-label">"Access level"</span>
                    <select id="sweep-level" prop:value=move || filters.with(|f| f.level.clone()) on:change=set(|f, v| f.level = v)>
                        <option value="">"Any"</option>
                        {LEVELS.iter().map(|l| view! { <option value=l.aws_name()>{l.aws_name()}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field"><span class="field-label">"Decision"</span>
                    <select id="sweep-decision" prop:value=move || filters.with(|f| if f.outcome.is_empty() { "decided".to_string() } else { f.outcome.clone() }) on:change=set(|f, v| f.outcome = v)>
                        {OUTCOMES.iter().map(|(v, l)| view! { <option value=*v>{*l}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field"><span class="field-label">"Denied by"</span>
                    <select id="sweep-layer" prop:value=move || filters.with(|f| f.layer.clone()) on:change=set(|f, v| f.layer = v)>
                        <option value="">"Any layer"</option>
                        {LAYERS.iter().map(|l| view! { <option value=l.name()>{layer_label(*l)}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            <p class="muted" id="sweep-shown">{move || {
                let (shown, total) = matching.get();
                if total > shown.len() {
                    format!("{total} matching actions; the first {} are shown — narrow the filters to see the rest.", shown.len())
                } else {
                    format!("{total} matching actions.")
                }
            }}</p>
            <div class="sweep-scroll">
            <table class="sweep-table" id="sweep-table">
                <thead><tr>
                    <th scope="col">"Action"</th><th scope="col">"Access level"</th>
                    <th scope="col">"Decision"</th><th scope="col">"Denied by"</th>
                    <th scope="col">"Decided on"</th><th scope="col"><span class="sr">"Open"</span></th>
                </tr></thead>
                <tbody>
                {
                    let all = all.clone();
                    let resource = resource.clone();
                    move || matching.get().0.into_iter().filter_map(|i| {
                        let r = all.actions.get(i)?.clone();
                        let denied = match (&r.undecided, r.denied_by) {
                            (Some(b), _) => format!(
                                "{} at most, {} at least",
                                b.most_restrictive.denied_by.map_or("—", layer_label),
                                b.most_permissive.denied_by.map_or("allowed", layer_label)
                            ),
                            (None, Some(l)) => layer_label(l).to_string(),
                            (None, None) => String::new(),
                        };
                        let on = match r.scope {
                            Scope::CaseResource => "this resource".to_string(),
                            Scope::AllResources => "* (no resource-level permissions)".to_string(),
                            Scope::OtherResourceTypes => format!("authorized on {}", r.authorized_on.join(", ")),
                        };
                        let on_title = match r.scope {
                            Scope::CaseResource => resource.clone(),
                            _ => String::new(),
                        };
                        let decided = r.scope != Scope::OtherResourceTypes;
                        let label = format!("Open the case of {}", r.action);
                        Some(view! {
                            <tr data-action=r.action.clone() data-decision=r.decision.name()
                                data-denied-by=r.denied_by.map(|l| l.name()).unwrap_or("")>
                                <td><code>{r.action.clone()}</code></td>
                                <td>{r.access_level.aws_name()}</td>
                                <td><span class=format!("badge {}", r.decision.name())>{outcome_label(r.decision)}</span></td>
                                <td>{denied}</td>
                                <td class="muted" title=on_title>{on}</td>
                                <td>{decided.then(|| view! {
                                    <button class="btn tiny" title=label.clone() aria-label=label.clone()
                                        on:click=move |_| open_case(i)>"Open"</button>
                                })}</td>
                            </tr>
                        })
                    }).collect_view()
                }
                </tbody>
            </table>
            </div>
            <ul class="sweep-notes muted">
                {notes.iter().map(|n| view! { <li>{note_view(n)}</li> }).collect_view()}
            </ul>
        }
        .into_any()
    };

    view! {
        <section class="panel sweep" id="sweep" aria-labelledby="sweep-title">
            <div class="row">
                <h2 id="sweep-title">"What can this principal do here?"</h2>
                <button class="btn small" id="sweep-toggle" aria-expanded=move || open.get().to_string()
                    on:click=move |_| open.update(|o| *o = !*o)>
                    {move || if open.get() { "Close" } else { "Decide every action" }}
                </button>
            </div>
            {move || (!open.get()).then(|| view! {
                <p class="muted">"Every action in AWS's catalog, decided for this principal, resource and context, with the layer that denies each."</p>
            })}
            {move || open.get().then(body)}
        </section>
    }
}
