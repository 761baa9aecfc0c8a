//! The examples gallery: load a worked case (the current one stays undoable).

use crate::app::use_ctx;
use crate::engine;
use crate::examples::{title, EXAMPLES};
use leptos::prelude::*;

#[component]
pub fn Gallery() -> impl IntoView {
    let ctx = use_ctx();
    let on_change = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        let Some((file, json)) = EXAMPLES.iter().find(|(f, _)| *f == v) else {
            return;
        };
        match engine::read_scenario_file(json) {
            Ok(case) => ctx.replace_case(&format!("the example “{}”", title(json, file)), case),
            Err(e) => ctx.error(format!("The example {file} could not be read: {e}")),
        }
    };
    view! {
        <label class="gallery">
            <span class="sr">"Examples"</span>
            <select id="examples" on:change=on_change prop:value="">
                <option value="" selected>"Examples…"</option>
                {EXAMPLES.iter().map(|(file, json)| view! {
                    <option value=*file>{title(json, file)}</option>
                }).collect_view()}
            </select>
        </label>
    }
}
