//! "Paste anything": a decoded authorization message, AccessDenied text, a CloudTrail event,
//! Troubleshooter output, a scenario file or account authorization details fill the page through
//! the importers; the box says what it recognised and filled.

use crate::app::use_ctx;
use crate::engine::{self, Choice, ImportFailure, ImportOptions, ImportReport};
use crate::state::Case;
use crate::text::{plain, rich};
use leptos::html;
use leptos::prelude::*;

/// The text of the last paste and the case before it, so that a choice re-imports it.
type LastPaste = Option<(String, Case)>;

#[component]
pub fn PasteBox() -> impl IntoView {
    let ctx = use_ctx();
    let area = NodeRef::<html::Textarea>::new();
    let report = RwSignal::new(None::<Result<ImportReport, ImportFailure>>);
    let last = StoredValue::new(LastPaste::None);
    // The last paste changed the case (a choice then replaces that change).
    let applied = StoredValue::new(false);
    let apply = move |text: &str, base: &Case, choice: Option<&ImportOptions>| {
        match engine::import(text, base, choice) {
            Ok((case, r)) => {
                let what = if r.added {
                    format!("{} added to the case", plain(&r.recognised))
                } else {
                    format!("{} from the paste", plain(&r.recognised))
                };
                // A choice revises the import before it: back to the case before that paste
                // (and its undo entry), so one undo still returns there.
                if choice.is_some() && applied.get_value() {
                    if base.is_substantial() {
                        ctx.history.update(|h| {
                            h.pop();
                        });
                    }
                    ctx.case.set(base.clone());
                }
                applied.set_value(true);
                ctx.replace_case(&what, case);
                report.set(Some(Ok(r)));
                // Show the layer AWS blamed, where the next paste goes.
                set_timeout(scroll_to_blamed_layer, std::time::Duration::from_millis(50));
            }
            Err(e) => {
                if choice.is_none() {
                    applied.set_value(false);
                }
                report.set(Some(Err(e)))
            }
        }
    };
    let run = move || {
        let Some(a) = area.get_untracked() else {
            return;
        };
        let text = a.value();
        if text.trim().is_empty() {
            return;
        }
        let base = ctx.case.get_untracked();
        last.set_value(Some((text.clone(), base.clone())));
        applied.set_value(false);
        apply(&text, &base, None);
        if matches!(report.get_untracked(), Some(Ok(_))) {
            a.set_value("");
        }
    };
    let pick = move |options: ImportOptions| {
        if let Some((text, base)) = last.get_value() {
            apply(&text, &base, Some(&options));
        }
    };
    let choices = move |choices: Vec<Choice>, head: &'static str| {
        (!choices.is_empty()).then(|| view! {
            <div class="import-choices" id="import-choices">
                <p>{head}</p>
                <ul>{choices.into_iter().map(|c| {
                    let options = c.options.clone();
                    view! {
                        <li><button class="btn small choice" on:click=move |_| pick(options.clone())>{plain(&c.label)}</button></li>
                    }
                }).collect_view()}</ul>
            </div>
        })
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
                        {if r.choices.is_empty() {
                            (!r.candidates.is_empty()).then(|| view! { <p class="muted">"Also in the paste: "{rich(&r.candidates.join(", "))}</p> }).into_any()
                        } else {
                            choices(r.choices.clone(), "Also in the paste; pick one to import it instead:").into_any()
                        }}
                    </div>
                }.into_any(),
                Err(e) => view! {
                    <div class="import-report error" id="import-report" role="alert">
                        <p>"Not recognised: "{rich(e.message.trim_start_matches("not recognised: "))}</p>
                        {choices(e.choices.clone(), "Pick one to import:")}
                    </div>
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
