//! "Collect everything": one read-only AWS CLI snippet that prints every policy of the case as
//! one JSON object, which the paste box imports in one go; with the IAM read permissions it needs.

use crate::app::use_ctx;
use crate::cli_hint;
use crate::clipboard;
use iamtrace_engine::reproduction::commands::collect_snippet;
use leptos::prelude::*;

/// A fold under the layers' heading; the snippet is built only while the fold is open.
#[component]
pub fn CollectEverything() -> impl IntoView {
    let ctx = use_ctx();
    let open = RwSignal::new(false);
    let copied = RwSignal::new(false);
    let snippet = Memo::new(move |_| {
        open.get()
            .then(|| ctx.case.with(|c| collect_snippet(&cli_hint::facts(c))))
    });
    view! {
        <details class="collect" id="collect-everything"
            on:toggle=move |ev| {
                use wasm_bindgen::JsCast;
                let now = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .is_some_and(|d| d.has_attribute("open"));
                open.set(now);
                copied.set(false);
            }>
            <summary>"Collect everything in one step (read-only AWS CLI snippet)"</summary>
            {move || snippet.get().map(|s| {
                let script = s.script.clone();
                view! {
                    <p class="muted">"Run it where the AWS CLI has credentials for the account (CloudShell works), then paste its whole output into the paste box: every layer it prints is filled at once."</p>
                    <div class="cli collect-script">
                        <pre><code>{s.script.clone()}</code></pre>
                        <button class="btn small" aria-label="Copy the collect snippet"
                            on:click=move |_| { copied.set(clipboard::copy(&script)); }>
                            {move || if copied.get() { "Copied" } else { "Copy" }}
                        </button>
                    </div>
                    <p class="collect-permissions">"It calls only read actions; the credentials need: "
                        {s.permissions.iter().enumerate().map(|(i, p)| view! {
                            {(i > 0).then_some(", ")}<code>{p.clone()}</code>
                        }).collect_view()}"."
                    </p>
                    {(!s.notes.is_empty()).then(|| view! {
                        <ul class="muted">{s.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}</ul>
                    })}
                }
            })}
        </details>
    }
}
