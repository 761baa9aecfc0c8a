//! The "Switch off" toggles of the layer editors, and the banner saying what is switched off.
//! The case is then evaluated without those policies or layers (`crate::switch_off`); the
//! toggles are not saved anywhere (local storage, links and downloads keep every policy).

use crate::app::use_ctx;
use crate::state::{Case, DocRef, Layer};
use crate::switch_off;
use crate::text::place_label;
use leptos::prelude::*;

/// The page's label of a policy: "Identity-based policy 2 (ReadReports)".
fn doc_words(case: &Case, r: DocRef) -> String {
    let place = match (r.layer, r.level) {
        (_, Some(l)) => format!("policies.{}[{l}][{}]", r.layer.name(), r.index),
        (Layer::Identity | Layer::Session, None) => {
            format!("policies.{}[{}]", r.layer.name(), r.index)
        }
        (layer, None) => format!("policies.{}", layer.name()),
    };
    let label = place_label(&place);
    match case.doc(r).map(|d| d.name.trim().to_string()) {
        Some(n) if !n.is_empty() => format!("{label} ({n})"),
        _ => label,
    }
}

/// A whole layer in words: "every SCP".
fn layer_words(layer: Layer) -> &'static str {
    match layer {
        Layer::Identity => "every identity-based policy",
        Layer::Session => "every session policy",
        Layer::Scp => "every SCP (as outside an organization)",
        Layer::Rcp => "every RCP",
        Layer::Resource => "the resource-based policy",
        Layer::PermissionsBoundary => "the permissions boundary",
        Layer::VpcEndpoint => "the VPC endpoint policy",
    }
}

/// A policy's toggle (in its editor's head).
#[component]
pub fn SwitchDoc(id: u64) -> impl IntoView {
    let ctx = use_ctx();
    let off = Memo::new(move |_| ctx.case.with(|c| c.switched_off.docs.contains(&id)));
    let toggle = move |_| ctx.case.update(|c| c.switched_off.toggle_doc(id));
    view! {
        <button class="btn small switch" class:is-off=move || off.get()
            aria-pressed=move || off.get().to_string()
            title="See the decision without this policy, for now (not saved, not in links)"
            on:click=toggle>
            {move || if off.get() { "Switch back on" } else { "Switch off" }}
        </button>
    }
}

/// The note in a switched-off policy's block.
#[component]
pub fn SwitchedNote(id: u64) -> impl IntoView {
    let ctx = use_ctx();
    let off = Memo::new(move |_| ctx.case.with(|c| switch_off::doc_is_off(c, id)));
    move || {
        off.get().then(|| {
            view! {
                <p class="switched-note" role="note">"Switched off: the decision is shown without this policy."</p>
            }
        })
    }
}

/// Whether a policy block is switched off (for its class).
pub fn doc_off(id: u64) -> Memo<bool> {
    let ctx = use_ctx();
    Memo::new(move |_| ctx.case.with(|c| switch_off::doc_is_off(c, id)))
}

/// A layer's toggle, for layers of several policies (identity-based, session, SCPs, RCPs);
/// a layer of one policy is switched off with that policy. Shown only while the layer is there.
#[component]
pub fn SwitchLayer(layer: Layer) -> impl IntoView {
    let ctx = use_ctx();
    let state = Memo::new(move |_| {
        ctx.case.with(|c| {
            switch_off::layer_present(c, layer).then(|| c.switched_off.layers.contains(&layer))
        })
    });
    let toggle = move |_| ctx.case.update(|c| c.switched_off.toggle_layer(layer));
    let multi = matches!(
        layer,
        Layer::Identity | Layer::Session | Layer::Scp | Layer::Rcp
    );
    move || {
        let off = state.get()?;
        multi.then(|| {
            view! {
                <div class="switch-layer">
                    <button class="btn small switch" class:is-off=off aria-pressed=off.to_string()
                        title="See the decision without this whole layer, for now (not saved, not in links)"
                        on:click=toggle>
                        {if off { "Switch layer back on" } else { "Switch off layer" }}
                    </button>
                    {off.then(|| view! {
                        <span class="switched-note" role="note">{format!("Switched off: the decision is shown without {}.", layer_words(layer).replacen("every", "any", 1))}</span>
                    })}
                </div>
            }
        })
    }
}

/// What is switched off, above the fixes: the decision on the page is without it.
#[component]
pub fn SwitchedOffBanner() -> impl IntoView {
    let ctx = use_ctx();
    let list = Memo::new(move |_| {
        ctx.case.with(|c| {
            let a = switch_off::active(c);
            let mut words: Vec<String> = a
                .layers
                .iter()
                .map(|l| layer_words(*l).to_string())
                .collect();
            words.extend(a.docs.iter().map(|r| doc_words(c, *r)));
            words
        })
    });
    let all_on = move |_| {
        ctx.case
            .update(|c| c.switched_off = crate::state::SwitchedOff::default())
    };
    move || {
        let words = list.get();
        (!words.is_empty()).then(|| {
            view! {
                <div class="switched-banner" id="switched-off" role="status">
                    <p><strong>"Switched off for now: "</strong>{words.join("; ")}"."</p>
                    <p class="muted">"The decision above is the one without them. Nothing is removed from the case: links and downloads keep every policy."</p>
                    <button class="btn small" id="switch-all-on" on:click=all_on>"Switch everything back on"</button>
                </div>
            }
        })
    }
}
