//! The Redact dialog of the Share bar: a preview of the case with its account IDs, names, IP
//! addresses and other identifying values replaced by AWS's documentation placeholders (verified
//! by the engine to decide exactly as the original), what was replaced and what was kept and
//! why, and a link made from the redacted case. The mapping is shown here only: it is never in
//! the link, the file or anything else that leaves the browser.

use super::share::{download, file_name, publish};
use crate::app::use_ctx;
use crate::engine;
use iamtrace_engine::decision::evaluate;
use iamtrace_engine::sharing::Redaction;
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn RedactDialog(open: RwSignal<bool>, link: RwSignal<Option<String>>) -> impl IntoView {
    let ctx = use_ctx();
    // Recomputed while open, so the preview follows edits of the case.
    let redaction = Memo::new(move |_| {
        open.get()
            .then(|| ctx.case.with(|c| Arc::new(engine::redact(c))))
    });
    let share = move |_| {
        if let Some(r) = redaction.get_untracked() {
            let fragment = engine::scenario_fragment(&r.scenario);
            publish(ctx, link, &fragment, "to the redacted case ");
        }
    };
    let save = move |_| {
        if let Some(r) = redaction.get_untracked() {
            let title = r.scenario.title.clone().unwrap_or_default();
            let mut text = r.scenario.to_json_string();
            text.push('\n');
            if download(&file_name(&format!("{title} redacted")), &text).is_none() {
                ctx.error("The browser refused the download.");
            }
        }
    };
    move || {
        redaction.get().map(|r| {
            view! {
                <section class="redact-dialog" id="redact-dialog" role="dialog" aria-label="Redacted case">
                    <div class="redact-head">
                        <h2>"Redacted case"</h2>
                        <button class="btn" on:click=move |_| open.set(false) aria-label="Close">"Close"</button>
                    </div>
                    {summary(&r)}
                    <div class="redact-actions">
                        <button class="btn primary" id="share-redacted" on:click=share disabled=!r.verified>
                            "Share redacted"
                        </button>
                        <button class="btn" on:click=save disabled=!r.verified>"Download redacted"</button>
                    </div>
                    {kept(&r)}
                    {replaced(&r)}
                    <h3>"Preview"</h3>
                    <pre class="redact-preview" id="redact-preview">{r.scenario.to_json_string()}</pre>
                </section>
            }
        })
    }
}

fn summary(r: &Redaction) -> impl IntoView {
    let decision = evaluate(&r.scenario).decision;
    let text = if r.verified {
        format!(
            "{} values replaced, {} kept. Checked: the redacted case decides as yours ({}), with \
             the same outcome for every statement. A link or file made here carries only the \
             redacted case; what replaced what stays in this browser.",
            r.replaced.len(),
            r.kept.len(),
            decision.name().replace('_', " ")
        )
    } else {
        "This case does not read back the same once written out, so nothing was replaced; share \
         it only where its account IDs and names may be seen."
            .to_string()
    };
    view! { <p class="redact-summary" id="redact-summary">{text}</p> }
}

fn kept(r: &Redaction) -> impl IntoView {
    (!r.kept.is_empty()).then(|| {
        let items = r
            .kept
            .iter()
            .map(|k| {
                view! {
                    <li><span class="kind">{k.kind.label()}</span>" "<code>{k.value.clone()}</code>": "{k.reason.clone()}</li>
                }
            })
            .collect_view();
        view! {
            <h3>"Still in the redacted case"</h3>
            <ul class="redact-kept" id="redact-kept">{items}</ul>
        }
    })
}

fn replaced(r: &Redaction) -> impl IntoView {
    (!r.replaced.is_empty()).then(|| {
        let rows = r
            .replaced
            .iter()
            .map(|x| {
                view! {
                    <tr><td>{x.kind.label()}</td><td><code>{x.original.clone()}</code></td><td><code>{x.replacement.clone()}</code></td></tr>
                }
            })
            .collect_view();
        view! {
            <details class="redact-map" id="redact-map">
                <summary>"What replaced what (only in this browser)"</summary>
                <table><thead><tr><th>"kind"</th><th>"yours"</th><th>"in the link"</th></tr></thead><tbody>{rows}</tbody></table>
            </details>
        }
    })
}
