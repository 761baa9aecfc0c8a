//! The request: principal, action, resource, resource account, and the context keys (given keys
//! editable, multivalued allowed; keys derived from the principal shown apart, read-only).

use crate::app::use_ctx;
use crate::catalog_info::{self, Known, MAX_SUGGESTIONS};
use crate::state::{Case, ContextRow};
use iamtrace_engine::request::{ContextValue, KeySource};
use leptos::prelude::*;

/// The input error the engine reported for a request field (`request.principal`…), if any.
fn field_error(ctx: crate::app::Ctx, place: &'static str) -> Option<String> {
    ctx.eval.with(|e| {
        e.as_ref()?
            .errors
            .iter()
            .find(|x| x.place == place)
            .map(|x| x.message.clone())
    })
}

/// An action is written `service:ActionName`
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html>).
fn check_action(v: &str) -> Option<String> {
    let v = v.trim();
    match v.split_once(':') {
        _ if v.is_empty() => Some("Give the action AWS refused, such as s3:GetObject.".into()),
        Some((service, name)) if !service.is_empty() && !name.is_empty() => None,
        _ => Some(format!(
            "'{v}' is not an action: write it as service:ActionName, such as s3:GetObject."
        )),
    }
}

/// An AWS account ID is 12 digits
/// (<https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html>).
fn check_account(v: &str) -> Option<String> {
    let v = v.trim();
    let valid = v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit());
    (!v.is_empty() && !valid)
        .then(|| format!("'{v}' is not an account ID: an AWS account ID is 12 digits."))
}

#[component]
fn Field(
    label: &'static str,
    hint: &'static str,
    get: fn(&Case) -> String,
    set: fn(&mut Case, String),
    id: &'static str,
    /// The engine's name for the field, whose input errors are shown here.
    #[prop(optional)]
    place: &'static str,
    /// A check of the value the page makes itself.
    #[prop(optional)]
    check: Option<fn(&str) -> Option<String>>,
    /// The id of a `<datalist>` of suggestions.
    #[prop(optional)]
    list: Option<&'static str>,
) -> impl IntoView {
    let ctx = use_ctx();
    let value = Memo::new(move |_| ctx.case.with(get));
    let error = Memo::new(move |_| {
        let engine = (!place.is_empty())
            .then(|| field_error(ctx, place))
            .flatten();
        engine.or_else(|| check.and_then(|f| value.with(|v| f(v))))
    });
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    view! {
        <label class="field" class:invalid=move || error.with(Option::is_some)>
            <span class="field-label">{label}</span>
            <input id=id spellcheck="false" autocomplete="off" placeholder=hint list=list
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=move || error.with(Option::is_some).then(|| described.clone())
                prop:value=move || value.get()
                on:input=move |ev| { let v = event_target_value(&ev); ctx.case.update(|c| set(c, v)) }/>
            {move || error.get().map(|m| view! {
                <span class="field-error" id=error_id.clone() role="alert">{crate::text::rich(&m)}</span>
            })}
        </label>
    }
}

#[component]
pub fn RequestPanel() -> impl IntoView {
    let ctx = use_ctx();
    let rows = Memo::new(move |_| {
        ctx.case
            .with(|c| c.context.iter().map(|r| r.id).collect::<Vec<_>>())
    });
    let add_row = move |_| {
        ctx.case.update(|c| {
            c.context.push(ContextRow {
                id: crate::state::next_id(),
                key: String::new(),
                values: vec![String::new()],
                multi: false,
            })
        })
    };
    let derived = Memo::new(move |_| {
        ctx.eval.with(|e| {
            e.as_ref()
                .map(|e| {
                    e.request
                        .context
                        .iter()
                        .filter(|x| x.source == KeySource::Derived)
                        .map(|x| {
                            let v = match &x.value {
                                ContextValue::Single(s) => s.clone(),
                                ContextValue::Multi(v) => format!("[{}]", v.join(", ")),
                            };
                            (x.key.clone(), v, x.note.clone().unwrap_or_default())
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let opt = move |label: &'static str, get: fn(&Case) -> bool, set: fn(&mut Case, bool)| {
        let v = Memo::new(move |_| ctx.case.with(get));
        view! {
            <label class="check">
                <input type="checkbox" prop:checked=move || v.get()
                    on:change=move |ev| { let b = event_target_checked(&ev); ctx.case.update(|c| set(c, b)) }/>
                {label}
            </label>
        }
    };
    view! {
        <section class="panel request" aria-labelledby="req-h">
            <h2 id="req-h">"Request"</h2>
            <div class="fields">
                <Field id="principal" label="Principal" hint="arn:aws:sts::111122223333:assumed-role/Role/session (empty: anonymous)"
                    place="request.principal"
                    get=|c| c.principal.clone() set=|c, v| c.principal = v/>
                <Field id="action" label="Action" hint="s3:GetObject" check=check_action list="action-options"
                    get=|c| c.action.clone() set=|c, v| c.action = v/>
                <ActionOptions/>
                <Field id="resource" label="Resource" hint="arn:aws:s3:::bucket/key"
                    get=|c| c.resource.clone() set=|c, v| c.resource = v/>
                <Field id="resource-account" label="Resource account" hint="the account that owns the resource"
                    check=check_account get=|c| c.resource_account.clone() set=|c, v| c.resource_account = v/>
            </div>
            <ActionFacts/>
            <div class="options">
                {opt("Caller's account is the organization's management account (SCPs do not apply)",
                    |c| c.caller_is_management_account, |c, b| c.caller_is_management_account = b)}
                {opt("Resource is in the management account (RCPs do not apply)",
                    |c| c.resource_in_management_account, |c, b| c.resource_in_management_account = b)}
                {opt("Caller has a permissions boundary not pasted here",
                    |c| c.caller_has_permissions_boundary, |c, b| c.caller_has_permissions_boundary = b)}
            </div>
            <h3>"Context keys"</h3>
            <table class="ctx">
                <thead><tr><th scope="col">"Key"</th><th scope="col">"Values"</th><th scope="col">"List"</th><th scope="col"><span class="sr">"Remove"</span></th></tr></thead>
                <tbody>
                    <For each=move || rows.get() key=|id| *id let:id>
                        <ContextRowView id=id/>
                    </For>
                </tbody>
            </table>
            <button class="btn small" on:click=add_row>"Add context key"</button>
            <div class="derived" class:hidden=move || derived.with(Vec::is_empty)>
                <h3>"Derived by iamtrace"</h3>
                <p class="muted">"Keys AWS sets from the principal and resource; read-only. Give a key above to override it."</p>
                <table class="ctx derived-table">
                    <thead><tr><th scope="col">"Key"</th><th scope="col">"Value"</th><th scope="col">"From"</th></tr></thead>
                    <tbody>
                        {move || derived.get().into_iter().map(|(k, v, n)| view! {
                            <tr><td><code>{k}</code></td><td><code>{v}</code></td><td class="muted">{crate::text::rich(&n)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// The actions of AWS's catalog matching what is typed in the Action field, with their access
/// levels, as the field's `<datalist>` (the browser's own accessible suggestion list).
#[component]
fn ActionOptions() -> impl IntoView {
    let ctx = use_ctx();
    let typed = Memo::new(move |_| ctx.case.with(|c| c.action.clone()));
    let options = Memo::new(move |_| typed.with(|t| catalog_info::suggest(t, MAX_SUGGESTIONS)));
    view! {
        <datalist id="action-options">
            {move || options.get().into_iter().map(|o| view! {
                <option value=o.action label=o.access_level></option>
            }).collect_view()}
        </datalist>
    }
}

/// What AWS's catalog says about the request's action: its access level, the ARN of each resource
/// type it is authorized on (with the case's account and region), and the condition keys its
/// requests can carry; or, for a name the catalog does not list, the action it was probably
/// meant to be.
#[component]
fn ActionFacts() -> impl IntoView {
    let ctx = use_ctx();
    let facts = Memo::new(move |_| {
        ctx.case.with(|c| {
            let region = c
                .context
                .iter()
                .find(|r| r.key.trim().eq_ignore_ascii_case("aws:RequestedRegion"))
                .and_then(|r| r.values.first().cloned());
            let known = Known::from_case(&c.principal, &c.resource_account, region.as_deref());
            catalog_info::facts(&c.action, &known)
        })
    });
    let unknown = Memo::new(move |_| {
        ctx.case.with(|c| {
            let a = c.action.trim();
            let cat = iamtrace_engine::catalog::catalog()?;
            let (service, name) = a.split_once(':')?;
            if name.is_empty() || name.contains(['*', '?']) || cat.action(a).is_some() {
                return None;
            }
            let known_service = cat.service(service).is_some();
            Some((
                a.to_string(),
                known_service,
                iamtrace_engine::lint::did_you_mean(cat, a),
            ))
        })
    });
    let present = Memo::new(move |_| {
        ctx.case.with(|c| {
            c.context
                .iter()
                .map(|r| r.key.trim().to_ascii_lowercase())
                .collect::<Vec<_>>()
        })
    });
    let add_key = move |key: String, multi: bool| {
        ctx.case.update(|c| {
            c.context.push(ContextRow {
                id: crate::state::next_id(),
                key,
                values: vec![String::new()],
                multi,
            })
        })
    };
    let known_view = move || {
        facts.get().map(|f| {
            let resources = if f.resources.is_empty() {
                view! {
                    <p class="muted">"It supports no resource-level permissions: only "<code>"\"Resource\": \"*\""</code>" covers it."</p>
                }
                .into_any()
            } else {
                view! {
                    <ul class="arn-templates">
                        {f.resources.into_iter().map(|r| {
                            let arn = r.arn.clone();
                            let label = format!("Use this {} ARN as the request's resource", r.resource_type);
                            view! {
                                <li>
                                    <span class="rtype">{r.resource_type}{r.required.then_some(" (required)")}</span>" "
                                    <code class="arn-template">{r.arn}</code>" "
                                    <button class="btn tiny" aria-label=label
                                        on:click=move |_| { let a = arn.clone(); ctx.destructive("use the ARN template as the resource", move |c| c.resource = a) }>"Use"</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            };
            let keys = f.keys;
            let n = keys.len();
            view! {
                <p><code>{f.action}</code>" · access level "<strong class="access-level">{f.access_level}</strong></p>
                <p class="facts-h">"Authorized on:"</p>
                {resources}
                {(n > 0).then(|| view! {
                    <p class="facts-h">{format!("Condition keys its requests can carry ({n}), besides the ")}
                        <a class="cite" href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html"
                            target="_blank" rel="noopener noreferrer">"global condition keys ↗"</a>
                        ". Choose one to give its value:"</p>
                    <ul class="action-keys">
                        {keys.into_iter().map(|(k, t)| {
                            let lower = k.to_ascii_lowercase();
                            let given = Memo::new(move |_| present.with(|p| p.contains(&lower)));
                            let multi = t.starts_with("ArrayOf");
                            let key = k.clone();
                            view! {
                                <li>
                                    <button class="btn tiny key-chip" title=format!("{t}: add a context row for this key")
                                        prop:disabled=move || given.get()
                                        on:click=move |_| add_key(key.clone(), multi)>
                                        <code>{k}</code>
                                    </button>
                                    <span class="muted">" "{t}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })}
            }
        })
    };
    let unknown_view = move || {
        unknown.get().map(|(a, known_service, dym)| {
            let what = if known_service {
                " is not an action in AWS's catalog: no policy can grant or deny it."
            } else {
                " names no service in AWS's catalog: no policy can grant or deny it."
            };
            view! {
                <p class="unknown-action" role="note"><code>{a}</code>{what}
                    {dym.map(|d| {
                        let fixed = d.clone();
                        view! {
                            " Did you mean "<code>{d.clone()}</code>"? "
                            <button class="btn tiny fix" on:click=move |_| { let f = fixed.clone(); ctx.case.update(move |c| c.action = f) }>
                                {format!("Use {d}")}
                            </button>
                        }
                    })}
                </p>
            }
        })
    };
    view! {
        <div class="action-facts" id="action-facts" aria-live="polite">
            {known_view}
            {unknown_view}
        </div>
    }
}

#[component]
fn ContextRowView(id: u64) -> impl IntoView {
    let ctx = use_ctx();
    let row = Memo::new(move |_| {
        ctx.case
            .with(|c| c.context.iter().find(|r| r.id == id).cloned())
    });
    let edit = move |f: Box<dyn FnOnce(&mut ContextRow)>| {
        ctx.case.update(|c| {
            if let Some(r) = c.context.iter_mut().find(|r| r.id == id) {
                f(r)
            }
        })
    };
    let key =
        Memo::new(move |_| row.with(|r| r.as_ref().map(|r| r.key.clone()).unwrap_or_default()));
    let multi = Memo::new(move |_| row.with(|r| r.as_ref().is_some_and(|r| r.multi)));
    let error = Memo::new(move |_| {
        let k = key.get();
        ctx.eval.with(|e| {
            e.as_ref()?
                .errors
                .iter()
                .find(|x| x.place.strip_prefix("request.context.") == Some(k.trim()))
                .map(|x| x.message.clone())
        })
    });
    let count = Memo::new(move |_| row.with(|r| r.as_ref().map_or(0, |r| r.values.len())));
    let remove =
        move |_| ctx.destructive("remove context key", |c| c.context.retain(|r| r.id != id));
    view! {
        <tr>
            <td><input class="key" spellcheck="false" placeholder="aws:SourceIp" aria-label="Context key"
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                prop:value=move || key.get()
                on:input=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |r| r.key = v)) }/>
                {move || error.get().map(|m| view! { <span class="field-error" role="alert">{crate::text::rich(&m)}</span> })}</td>
            <td class="values">
                {move || (0..count.get()).map(|i| {
                    let value = Memo::new(move |_| row.with(|r| r.as_ref().and_then(|r| r.values.get(i).cloned()).unwrap_or_default()));
                    view! {
                        <span class="value">
                            <input spellcheck="false" aria-label=move || format!("Value {} of {}", i + 1, key.get())
                                prop:value=move || value.get()
                                on:input=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |r| if let Some(x) = r.values.get_mut(i) { *x = v })) }/>
                            {move || (multi.get() && count.get() > 1).then(|| view! {
                                <button class="btn tiny ghost" aria-label="Remove this value"
                                    on:click=move |_| edit(Box::new(move |r| { if i < r.values.len() { r.values.remove(i); } }))>"×"</button>
                            })}
                        </span>
                    }
                }).collect_view()}
                {move || multi.get().then(|| view! {
                    <button class="btn tiny" on:click=move |_| edit(Box::new(|r| r.values.push(String::new())))>"+ value"</button>
                })}
            </td>
            <td><input type="checkbox" aria-label="Multivalued key" title="Multivalued (a list, as aws:TagKeys)"
                prop:checked=move || multi.get()
                on:change=move |ev| { let b = event_target_checked(&ev); edit(Box::new(move |r| { r.multi = b; if !b { r.values.truncate(1); if r.values.is_empty() { r.values.push(String::new()) } } })) }/></td>
            <td><button class="btn tiny danger" aria-label="Remove this key" on:click=remove>"×"</button></td>
        </tr>
    }
}
