//! "Paste anything": a decoded authorization message, AccessDenied text, a CloudTrail event,
//! Troubleshooter output, a scenario file or account authorization details fill the page through
//! the importers; the box says what it recognised and filled.

use crate::app::use_ctx;
use crate::engine::{self, ImportReport};
use crate::text::{plain, rich};
use leptos::html;
use leptos::prelude::*;

#[component]
pub fn PasteBox() -> impl IntoView {
    let ctx = use_ctx();
    let area = NodeRef::<html::Textarea>::new();
    let report = RwSignal::new(None::<Result<ImportReport, String>>);
    let run = move || {
        let Some(a) = area.get_untracked() else {
            return;
        };
        let text = a.value();
        if text.trim().is_empty() {
            return;
        }
        let current = ctx.case.get_untracked();
        match engine::import(&text, &current) {
            Ok((case, r)) => {
                let what = if r.added {
                    format!("{} added to the case", plain(&r.recognised))
                } else {
                    format!("{} from the paste", plain(&r.recognised))
                };
                ctx.replace_case(&what, case);
                a.set_value("");
                report.set(Some(Ok(r)));
                // Show the layer AWS blamed, where the next paste goes.
                set_timeout(scroll_to_blamed_layer, std::time::Duration::from_millis(50));
            }
            Err(e) => report.set(Some(Err(e))),
        }
    };
    view! {
        <section class="panel paste" aria-labelledby="paste-h">
            <h2 id="paste-h">"Paste anything"</h2>
            <p class="muted">"A decoded authorization message, the AccessDenied text, a CloudTrail event, IAM Access Troubleshooter output, get-account-authorization-details output or an iamtrace scenario file."</p>
            <textarea node_ref=area id="paste" class="paste-area" rows="4" spellcheck="false"
                placeholder="User: arn:aws:sts::111122223333:assumed-role/… is not authorized to perform: s3:GetObject on resource: … because no identity-based policy allows the s3:GetObject action"
                aria-label="Paste an AWS artefact"
                on:paste=move |_| { set_timeout(run, std::time::Duration::from_millis(0)); }></textarea>
            <div class="row">
                <button class="btn primary" id="import" on:click=move |_| run()>"Fill the page"</button>
                <span class="muted">"Pasting adds to the case on the page (policies fill the layers it lacks); every paste is undoable."</span>
            </div>
            {move || report.get().map(|r| match r {
                Ok(r) => view! {
                    <div class="import-report ok" id="import-report">
                        <p>"Recognised "{rich(&r.recognised)}{if r.added { ", added to the case." } else { "." }}</p>
                        {(!r.filled.is_empty()).then(|| view! { <p>"Filled: "{rich(&r.filled.join(", "))}"."</p> })}
                        {(!r.notes.is_empty()).then(|| view! { <ul>{r.notes.iter().map(|n| view! { <li>{rich(n)}</li> }).collect_view()}</ul> })}
                        {(!r.candidates.is_empty()).then(|| view! { <p class="muted">"Also in the paste: "{rich(&r.candidates.join(", "))}</p> })}
                    </div>
                }.into_any(),
                Err(e) => view! {
                    <div class="import-report error" id="import-report" role="alert"><p>"Not recognised: "{rich(e.trim_start_matches("not recognised: "))}</p></div>
                }.into_any(),
            })}
        </section>
    }
}

/// Scrolls the layer AWS's message blamed (marked "AWS says this layer denied") into view.
fn scroll_to_blamed_layer() {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(".layer-head.aws-blamed").ok().flatten())
    {
        el.scroll_into_view_with_bool(true);
    }
}
