//! Share (a permalink in the URL fragment, copied to the clipboard), Redact (the same, made from
//! the case with its identifying values replaced), download and upload of the scenario file (the
//! format `iamtrace` reads), and undo.

use super::redact::RedactDialog;
use crate::app::{use_ctx, Ctx};
use crate::clipboard;
use crate::engine;
use iamtrace_engine::sharing::MAX_LINK_CHARS;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

fn page_url() -> String {
    web_sys::window()
        .and_then(|w| {
            let l = w.location();
            Some(format!(
                "{}{}{}",
                l.origin().ok()?,
                l.pathname().ok()?,
                l.search().ok()?
            ))
        })
        .unwrap_or_default()
}

/// Makes the link of a fragment, copies it and shows it; `what` says which case it carries.
pub fn publish(ctx: Ctx, link: RwSignal<Option<String>>, fragment: &str, what: &str) {
    let url = format!("{}#{}", page_url(), fragment);
    if url.len() > MAX_LINK_CHARS {
        ctx.error(format!(
            "This case makes a {}-character link, too long to share; use Download instead.",
            url.len()
        ));
        return;
    }
    let copied = clipboard::copy(&url);
    ctx.info(format!(
        "{} {what}({} characters). The case is in the part after #, which browsers never send to a server.",
        if copied { "Link copied" } else { "Link ready to copy" },
        url.len()
    ));
    link.set(Some(url));
}

pub fn download(name: &str, text: &str) -> Option<()> {
    let doc = web_sys::window()?.document()?;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let a: web_sys::HtmlAnchorElement = doc.create_element("a").ok()?.dyn_into().ok()?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Some(())
}

pub fn file_name(title: &str) -> String {
    let slug: String = title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug
        .split('-')
        .filter(|s| !s.is_empty())
        .take(8)
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty() {
        "iamtrace-scenario.json".into()
    } else {
        format!("{slug}.json")
    }
}

#[component]
pub fn ShareBar() -> impl IntoView {
    let ctx = use_ctx();
    let link = RwSignal::new(None::<String>);
    let redacting = RwSignal::new(false);
    let share = move |_| {
        let fragment = ctx.case.with_untracked(engine::share_fragment);
        publish(ctx, link, &fragment, "");
    };
    let save = move |_| {
        let (title, text) = ctx
            .case
            .with_untracked(|c| (c.title.clone(), engine::scenario_file(c)));
        if download(&file_name(&title), &text).is_none() {
            ctx.error("The browser refused the download.");
        }
    };
    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        let name = file.name();
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
            match text.ok().and_then(|t| t.as_string()) {
                Some(t) => match engine::read_scenario_file(&t) {
                    Ok(case) => ctx.replace_case(&format!("the file {name}"), case),
                    Err(e) => ctx.error(format!(
                        "{name} is not a scenario file: {e}. Your work is unchanged."
                    )),
                },
                None => ctx.error(format!("{name} could not be read.")),
            }
        });
    };
    let can_undo = Memo::new(move |_| ctx.history.with(|h| h.last().is_some()));
    view! {
        <button class="btn" on:click=move |_| ctx.undo() disabled=move || !can_undo.get()
            title=move || ctx.history.with(|h| h.last().map(|w| format!("Undo {w}")).unwrap_or_else(|| "Nothing to undo".into()))>
            "Undo"
        </button>
        <button class="btn" on:click=save title="Download the case as a scenario file (the format the iamtrace CLI reads)">"Download"</button>
        <label class="btn file" title="Open a scenario file">
            "Upload"
            <input type="file" accept=".json,application/json" class="sr" on:change=on_file/>
        </label>
        <button class="btn" id="redact" on:click=move |_| redacting.update(|o| *o = !*o)
            aria-expanded=move || redacting.get().to_string()
            title="Replace account IDs, names, IPs and other identifying values by AWS's documentation placeholders before sharing">
            "Redact"
        </button>
        <button class="btn primary" id="share" on:click=share>"Share"</button>
        <RedactDialog open=redacting link=link/>
        {move || link.get().map(|l| view! {
            <input class="share-link" id="share-link" readonly aria-label="Permalink" prop:value=l
                on:focus=move |ev| { if let Some(i) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) { i.select() } }/>
        })}
    }
}
