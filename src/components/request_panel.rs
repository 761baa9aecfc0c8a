//! The request: principal, action, resource, resource account, and the context keys (given keys
//! editable, multivalued allowed; keys derived from the principal shown apart, read-only).

use crate::app::use_ctx;
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
            <input id=id spellcheck="false" autocomplete="off" placeholder=hint
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
                <Field id="action" label="Action" hint="s3:GetObject" check=check_action
                    get=|c| c.action.clone() set=|c, v| c.action = v/>
                <Field id="resource" label="Resource" hint="arn:aws:s3:::bucket/key"
                    get=|c| c.resource.clone() set=|c, v| c.resource = v/>
                <Field id="resource-account" label="Resource account" hint="the account that owns the resource"
                    check=check_account get=|c| c.resource_account.clone() set=|c, v| c.resource_account = v/>
            </div>
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
