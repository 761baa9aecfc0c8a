//! One section per policy layer, in AWS's terms: what it is, the CLI command that fetches it, and
//! its editors. An absent layer shows an "Add …" button; a present one shows its editors, even
//! when empty, because "no policy" and "an empty policy" decide differently.

use crate::app::use_ctx;
use crate::cli_hint;
use crate::clipboard;
use crate::components::collect::CollectEverything;
use crate::components::policy_editor::PolicyEditor;
use crate::components::switch::{doc_off, SwitchDoc, SwitchLayer, SwitchedNote};
use crate::state::{Case, Doc, Layer, LayerTitle, Level};
use leptos::prelude::*;

const IDENTITY_TEMPLATE: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "*"
    }
  ]
}"#;
const RESOURCE_TEMPLATE: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::111122223333:root" },
      "Action": "s3:GetObject",
      "Resource": "*"
    }
  ]
}"#;
const ALLOW_ALL: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "*",
      "Resource": "*"
    }
  ]
}"#;
const ALLOW_ALL_WITH_PRINCIPAL: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": "*",
      "Action": "*",
      "Resource": "*"
    }
  ]
}"#;

fn template(layer: Layer) -> (&'static str, &'static str) {
    match layer {
        Layer::Identity => ("", IDENTITY_TEMPLATE),
        Layer::Resource => ("", RESOURCE_TEMPLATE),
        Layer::PermissionsBoundary => ("", ALLOW_ALL),
        Layer::Session => ("", ALLOW_ALL),
        Layer::Scp => ("FullAWSAccess", ALLOW_ALL),
        Layer::Rcp => ("RCPFullAWSAccess", ALLOW_ALL_WITH_PRINCIPAL),
        Layer::VpcEndpoint => ("", ALLOW_ALL_WITH_PRINCIPAL),
    }
}

fn new_doc(layer: Layer) -> Doc {
    let (name, text) = template(layer);
    Doc {
        name: name.into(),
        ..Doc::new(text)
    }
}

fn list_mut(c: &mut Case, layer: Layer) -> &mut Option<Vec<Doc>> {
    match layer {
        Layer::Session => &mut c.session,
        _ => &mut c.identity,
    }
}

fn single_mut(c: &mut Case, layer: Layer) -> &mut Option<Doc> {
    match layer {
        Layer::PermissionsBoundary => &mut c.boundary,
        Layer::VpcEndpoint => &mut c.vpce,
        _ => &mut c.resource_policy,
    }
}

fn levels_mut(c: &mut Case, layer: Layer) -> &mut Option<Vec<Level>> {
    match layer {
        Layer::Rcp => &mut c.rcp,
        _ => &mut c.scp,
    }
}

fn singular(layer: Layer) -> &'static str {
    match layer {
        Layer::Identity => "identity-based policy",
        Layer::Resource => "resource-based policy",
        Layer::PermissionsBoundary => "permissions boundary",
        Layer::Scp => "SCP",
        Layer::Rcp => "RCP",
        Layer::Session => "session policy",
        Layer::VpcEndpoint => "VPC endpoint policy",
    }
}

/// Every layer, in the order a user gathers them.
#[component]
pub fn Layers() -> impl IntoView {
    view! {
        <section class="panel layers" aria-labelledby="layers-h">
            <h2 id="layers-h">"Policies"</h2>
            <CollectEverything/>
            <DocList layer=Layer::Identity/>
            <SingleDoc layer=Layer::Resource/>
            <SingleDoc layer=Layer::PermissionsBoundary/>
            <DocList layer=Layer::Session/>
            <OrgLevels layer=Layer::Scp/>
            <OrgLevels layer=Layer::Rcp/>
            <SingleDoc layer=Layer::VpcEndpoint/>
        </section>
    }
}

/// A layer's title, description and fetch command.
#[component]
fn LayerHead(layer: Layer, #[prop(optional)] level: Option<(usize, usize)>) -> impl IntoView {
    let ctx = use_ctx();
    let cmd = Memo::new(move |_| ctx.case.with(|c| cli_hint::command(c, layer, level)));
    // The layer AWS's own message blamed (error text, CloudTrail…), marked where the user pastes.
    let blamed = Memo::new(move |_| {
        ctx.case.with(|c| {
            c.observed
                .as_ref()
                .and_then(|v| iamtrace_engine::imports::Observed::from_json(v).ok())
                .and_then(|o| o.layer)
                .and_then(|l| Layer::from_name(&l))
                == Some(layer)
        })
    });
    let copied = RwSignal::new(false);
    view! {
        <div class="layer-head" class:aws-blamed=move || blamed.get() && level.is_none_or(|(i, _)| i == 0)>
            <h3>{layer.title()}</h3>
            <SwitchLayer layer=layer/>
            {move || (blamed.get() && level.is_none_or(|(i, _)| i == 0)).then(|| view! {
                <p class="aws-says" role="note">"AWS says this layer denied the request."</p>
            })}
            <p class="muted">{cli_hint::description(layer)}</p>
            <div class="cli">
                <code>{move || cmd.get()}</code>
                <button class="btn small" aria-label=format!("Copy the AWS CLI command for {}", layer.title())
                    on:click=move |_| { copied.set(clipboard::copy(&cmd.get_untracked())); }>
                    {move || if copied.get() { "Copied" } else { "Copy" }}
                </button>
            </div>
        </div>
    }
}

/// Name, ARN, editor and remove button of one document.
#[component]
fn DocBlock(id: u64, layer: Layer, #[prop(into)] title: Signal<String>) -> impl IntoView {
    let ctx = use_ctx();
    let field = move |f: fn(&Doc) -> String| {
        Memo::new(move |_| {
            ctx.case.with(|c| {
                c.all_docs()
                    .into_iter()
                    .find(|(_, d)| d.id == id)
                    .map(|(_, d)| f(d))
                    .unwrap_or_default()
            })
        })
    };
    let name = field(|d| d.name.clone());
    let arn = field(|d| d.arn.clone());
    let set = move |f: fn(&mut Doc, String)| {
        move |ev| {
            let v = event_target_value(&ev);
            ctx.case.update(|c| {
                if let Some(d) = c.doc_mut(id) {
                    f(d, v)
                }
            })
        }
    };
    let remove = move |_| {
        ctx.destructive(&format!("remove {}", singular(layer)), |c| {
            remove_doc(c, id);
        })
    };
    let off = doc_off(id);
    view! {
        <div class="doc" class:switched-off=move || off.get()>
            <div class="doc-head">
                <span class="doc-title">{move || title.get()}</span>
                <input class="name" placeholder="name (optional)" aria-label="Policy name"
                    prop:value=move || name.get() on:input=set(|d, v| d.name = v)/>
                <input class="arn" placeholder="ARN (optional)" aria-label="Policy ARN"
                    prop:value=move || arn.get() on:input=set(|d, v| d.arn = v)/>
                <button class="btn small danger" on:click=remove
                    aria-label=move || format!("Remove {}", title.get())>"Remove"</button>
                <SwitchDoc id=id/>
            </div>
            <SwitchedNote id=id/>
            <PolicyEditor doc_id=id label=Signal::derive(move || title.get()).get_untracked()/>
        </div>
    }
}

/// Removes a document wherever it is; an emptied list stays present (empty ≠ absent).
fn remove_doc(c: &mut Case, id: u64) {
    for list in [&mut c.identity, &mut c.session].into_iter().flatten() {
        list.retain(|d| d.id != id);
    }
    for single in [&mut c.resource_policy, &mut c.boundary, &mut c.vpce] {
        if single.as_ref().is_some_and(|d| d.id == id) {
            *single = None;
        }
    }
    for levels in [&mut c.scp, &mut c.rcp].into_iter().flatten() {
        for l in levels.iter_mut() {
            l.docs.retain(|d| d.id != id);
        }
    }
}

/// Layers with several documents: identity-based and session policies.
#[component]
fn DocList(layer: Layer) -> impl IntoView {
    let ctx = use_ctx();
    let ids = Memo::new(move |_| {
        ctx.case.with(|c| {
            let l = if layer == Layer::Session {
                &c.session
            } else {
                &c.identity
            };
            l.as_ref()
                .map(|v| v.iter().map(|d| d.id).collect::<Vec<_>>())
        })
    });
    let add = move |_| {
        ctx.case.update(|c| {
            list_mut(c, layer)
                .get_or_insert_with(Vec::new)
                .push(new_doc(layer))
        })
    };
    let remove_layer = move |_| {
        ctx.destructive(
            &format!("remove all {}", layer.title().to_lowercase()),
            |c| *list_mut(c, layer) = None,
        )
    };
    view! {
        <section class="layer" class:absent=move || ids.with(Option::is_none) data-layer=layer.name()>
            <LayerHead layer=layer/>
            {move || match ids.get() {
                None => view! {
                    <div class="absent-row">
                        <span class="muted">{format!("No {} given: this layer does not take part.", layer.title().to_lowercase())}</span>
                        <button class="btn" on:click=add>{format!("Add {}", singular(layer))}</button>
                    </div>
                }.into_any(),
                Some(_) => view! {
                    <For each=move || ids.get().unwrap_or_default() key=|id| *id let:id>
                        <DocBlock id=id layer=layer title=Signal::derive(move || {
                            let pos = ids.with(|v| v.as_ref().and_then(|v| v.iter().position(|x| *x == id))).unwrap_or(0);
                            format!("{} {}", capitalise(singular(layer)), pos + 1)
                        })/>
                    </For>
                    <div class="layer-actions">
                        <button class="btn" on:click=add>{format!("Add {}", singular(layer))}</button>
                        <button class="btn ghost" on:click=remove_layer>"Remove layer"</button>
                        {move || ids.with(|v| v.as_ref().is_some_and(Vec::is_empty)).then(|| view! {
                            <span class="muted">"Present but empty: nothing is allowed by this layer."</span>
                        })}
                    </div>
                }.into_any(),
            }}
        </section>
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// Layers with one document: resource-based policy, permissions boundary, VPC endpoint policy.
#[component]
fn SingleDoc(layer: Layer) -> impl IntoView {
    let ctx = use_ctx();
    let id = Memo::new(move |_| {
        ctx.case.with(|c| {
            match layer {
                Layer::PermissionsBoundary => &c.boundary,
                Layer::VpcEndpoint => &c.vpce,
                _ => &c.resource_policy,
            }
            .as_ref()
            .map(|d| d.id)
        })
    });
    let add = move |_| {
        ctx.case
            .update(|c| *single_mut(c, layer) = Some(new_doc(layer)))
    };
    view! {
        <section class="layer" class:absent=move || id.with(Option::is_none) data-layer=layer.name()>
            <LayerHead layer=layer/>
            {move || match id.get() {
                None => view! {
                    <div class="absent-row">
                        <span class="muted">{format!("No {}: this layer does not take part.", singular(layer))}</span>
                        <button class="btn" on:click=add>{format!("Add {}", singular(layer))}</button>
                    </div>
                }.into_any(),
                Some(id) => view! {
                    <DocBlock id=id layer=layer title=Signal::derive(move || capitalise(singular(layer)))/>
                }.into_any(),
            }}
        </section>
    }
}

fn level_name(i: usize, n: usize) -> String {
    match (i, n) {
        (0, _) => "Root".into(),
        (i, n) if i + 1 == n => "Account".into(),
        (i, _) => format!("OU level {i}"),
    }
}

/// SCPs or RCPs: one list of policies per organization level, root → OUs → account.
#[component]
fn OrgLevels(layer: Layer) -> impl IntoView {
    let ctx = use_ctx();
    let levels = Memo::new(move |_| {
        ctx.case.with(|c| {
            if layer == Layer::Rcp { &c.rcp } else { &c.scp }
                .as_ref()
                .map(|v| {
                    v.iter()
                        .map(|l| (l.id, l.docs.iter().map(|d| d.id).collect::<Vec<_>>()))
                        .collect::<Vec<_>>()
                })
        })
    });
    let add_org = move |_| {
        ctx.case.update(|c| {
            *levels_mut(c, layer) = Some(vec![
                Level::new(vec![new_doc(layer)]),
                Level::new(vec![new_doc(layer)]),
            ])
        })
    };
    let add_level = move |_| {
        ctx.case.update(|c| {
            let v = levels_mut(c, layer).get_or_insert_with(Vec::new);
            let at = v.len().saturating_sub(1).max(1).min(v.len());
            v.insert(at, Level::new(vec![new_doc(layer)]));
        })
    };
    let remove_layer = move |_| {
        ctx.destructive(&format!("remove all {}", singular(layer)), |c| {
            *levels_mut(c, layer) = None
        })
    };
    let noun = singular(layer);
    view! {
        <section class="layer" class:absent=move || levels.with(Option::is_none) data-layer=layer.name()>
            <LayerHead layer=layer/>
            {move || match levels.get() {
                None => view! {
                    <div class="absent-row">
                        <span class="muted">{format!("No {noun}s: the account is not in an organization, or they are not enabled.")}</span>
                        <button class="btn" on:click=add_org>{format!("Add {noun}s")}</button>
                    </div>
                }.into_any(),
                Some(_) => view! {
                    <For each=move || levels.get().unwrap_or_default() key=|(lid, _)| *lid let:item>
                        <OrgLevel layer=layer level_id=item.0 levels=levels/>
                    </For>
                    <div class="layer-actions">
                        <button class="btn" on:click=add_level>"Add OU level"</button>
                        <button class="btn ghost" on:click=remove_layer>{format!("Remove all {noun}s")}</button>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}

type LevelIds = Option<Vec<(u64, Vec<u64>)>>;

#[component]
fn OrgLevel(layer: Layer, level_id: u64, levels: Memo<LevelIds>) -> impl IntoView {
    let ctx = use_ctx();
    let pos = Memo::new(move |_| {
        levels.with(|v| {
            let v = v.as_deref().unwrap_or_default();
            (
                v.iter().position(|(l, _)| *l == level_id).unwrap_or(0),
                v.len(),
            )
        })
    });
    let docs = Memo::new(move |_| {
        levels.with(|v| {
            v.as_deref()
                .unwrap_or_default()
                .iter()
                .find(|(l, _)| *l == level_id)
                .map(|(_, d)| d.clone())
                .unwrap_or_default()
        })
    });
    let with_level = move |c: &mut Case, f: &mut dyn FnMut(&mut Vec<Level>, usize)| {
        if let Some(v) = levels_mut(c, layer).as_mut() {
            if let Some(i) = v.iter().position(|l| l.id == level_id) {
                f(v, i)
            }
        }
    };
    let add = move |_| {
        ctx.case
            .update(|c| with_level(c, &mut |v, i| v[i].docs.push(new_doc(layer))))
    };
    let remove = move |_| {
        ctx.destructive("remove organization level", |c| {
            with_level(c, &mut |v, i| {
                v.remove(i);
            })
        })
    };
    let noun = singular(layer);
    view! {
        <div class="level">
            <div class="level-head">
                <strong>{move || { let (i, n) = pos.get(); format!("Level {} · {}", i + 1, level_name(i, n)) }}</strong>
                <button class="btn small" on:click=add>{format!("Add {noun} here")}</button>
                <button class="btn small ghost" on:click=remove>"Remove level"</button>
            </div>
            {move || docs.with(Vec::is_empty).then(|| view! {
                <p class="muted">{format!("No {noun} at this level: nothing is allowed through it.")}</p>
            })}
            <For each=move || docs.get() key=|id| *id let:id>
                <DocBlock id=id layer=layer title=Signal::derive(move || {
                    let (i, n) = pos.get();
                    let k = docs.with(|d| d.iter().position(|x| *x == id)).unwrap_or(0);
                    format!("{noun} {} at {}", k + 1, level_name(i, n).to_lowercase())
                })/>
            </For>
        </div>
    }
}
