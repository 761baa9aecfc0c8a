//! The page: shared state, start-up (permalink, local storage), live evaluation, and layout.

use crate::components::{
    actions_table::ActionsPanel, decision_flow::DecisionFlow, fixes::FixPanel, gallery::Gallery,
    layer_editor::Layers, paste_box::PasteBox, request_panel::RequestPanel, share::ShareBar,
    trace_view::TraceView, verdict::Verdict,
};
use crate::engine;
use crate::state::{Case, History, STORAGE_KEY};
use iamtrace_engine::decision::Evaluation;
use iamtrace_engine::policy::Span;
use leptos::prelude::*;
use std::sync::Arc;

/// A message for the user above the page, optionally undoable.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
    pub undo: bool,
}

/// A request to show a region of a policy editor (a statement clicked in the trace).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Focus {
    pub doc_id: u64,
    pub span: Span,
    /// Changes on every request, so that clicking the same statement again scrolls again.
    pub seq: u64,
}

/// Everything components share. All fields are signals (cheap to copy).
#[derive(Clone, Copy)]
pub struct Ctx {
    pub case: RwSignal<Case>,
    pub history: RwSignal<History>,
    pub eval: RwSignal<Option<Arc<Evaluation>>>,
    /// Milliseconds the last evaluation took in the engine.
    pub eval_ms: RwSignal<f64>,
    /// Counts evaluations (tests and measurements wait for it to change).
    pub eval_seq: RwSignal<u64>,
    pub selected_gate: RwSignal<Option<usize>>,
    pub focus: RwSignal<Option<Focus>>,
    pub notice: RwSignal<Option<Notice>>,
    /// Evaluates the case (set once the page has started).
    pub evaluator: StoredValue<Option<crate::evaluator::Evaluator>, LocalStorage>,
}

pub fn use_ctx() -> Ctx {
    expect_context::<Ctx>()
}

impl Ctx {
    /// Asks for the current case's evaluation at once, before the page redraws what the edit
    /// changed (typing in a large policy: the worker starts while the editor repaints). The
    /// page's own evaluation effect then finds the same case already asked for.
    pub fn evaluate_now(&self) {
        self.evaluator.with_value(|e| {
            if let Some(e) = e {
                let case = self.case.get_untracked();
                let text = case.to_storage();
                e.request_ahead(&case, text);
            }
        });
    }

    /// Replaces the whole case (example, import, upload, link), keeping the old one for undo.
    pub fn replace_case(&self, what: &str, new: Case) {
        let old = self.case.get_untracked();
        let undoable = old.is_substantial();
        if undoable {
            self.history.update(|h| h.push(what, old));
        }
        self.case.set(new);
        self.selected_gate.set(None);
        self.notice.set(Some(Notice {
            text: format!("Loaded {what}."),
            error: false,
            undo: undoable,
        }));
    }

    /// Edits the case as a destructive action (removing a layer, a policy…), undoable.
    pub fn destructive(&self, what: &str, f: impl FnOnce(&mut Case)) {
        let old = self.case.get_untracked();
        self.history.update(|h| h.push(what, old));
        self.case.update(f);
        self.notice.set(Some(Notice {
            text: format!("{what}."),
            error: false,
            undo: true,
        }));
    }

    pub fn undo(&self) {
        let Some((what, case)) = self.history.try_update(|h| h.pop()).flatten() else {
            return;
        };
        self.case.set(case);
        self.selected_gate.set(None);
        self.notice.set(Some(Notice {
            text: format!("Undone: {what}."),
            error: false,
            undo: false,
        }));
    }

    pub fn error(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice {
            text: text.into(),
            error: true,
            undo: false,
        }));
    }

    pub fn info(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice {
            text: text.into(),
            error: false,
            undo: false,
        }));
    }
}

/// Milliseconds since navigation start.
pub fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn load_stored() -> Option<Case> {
    Case::from_storage(&storage()?.get_item(STORAGE_KEY).ok()??)
}

/// Saves the case (as [`Case::to_storage`] wrote it).
fn save(stored: &str) {
    if let Some(s) = storage() {
        // Quota errors only lose persistence, never the work on the page.
        let _ = s.set_item(STORAGE_KEY, stored);
    }
}

/// The permalink fragment of the address, if any (without `#`).
fn location_fragment() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let f = hash.strip_prefix('#').unwrap_or(&hash).to_string();
    (!f.is_empty()).then_some(f)
}

/// Removes the fragment from the address once its case is on the page, so that a reload shows
/// the (possibly edited) work from local storage instead of the link again.
fn clear_fragment() {
    if let Some(w) = web_sys::window() {
        let loc = w.location();
        let url = format!(
            "{}{}",
            loc.pathname().unwrap_or_default(),
            loc.search().unwrap_or_default()
        );
        if let Ok(h) = w.history() {
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    }
}

/// Opens the permalink in the address, if any. A bad link leaves the work untouched.
fn open_location_link(ctx: Ctx) {
    let Some(fragment) = location_fragment() else {
        return;
    };
    crate::evaluator::mark("iamtrace-link-opening");
    let opened = engine::open_link(&fragment);
    crate::evaluator::mark("iamtrace-link-decoded");
    match opened {
        Ok((case, other_catalog)) => {
            let what = match case.title.trim() {
                "" => "the shared link".to_string(),
                t => format!("the shared case “{t}”"),
            };
            ctx.replace_case(&what, case);
            if let Some(c) = other_catalog {
                ctx.notice.update(|n| {
                    if let Some(n) = n {
                        n.text = format!("{} {}", n.text, engine::other_catalog_note(&c));
                    }
                });
            }
            clear_fragment();
        }
        Err(e) => {
            ctx.error(format!(
                "The link was not opened: {e}. Your work is unchanged."
            ));
            clear_fragment();
        }
    }
}

/// From here on, scripts of this page may not open any connection at all (the start-up fetch of
/// the .wasm needed `connect-src 'self'`). CSP policies only ever add up, so this cannot loosen.
fn lock_down_network() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let (Ok(meta), Some(head)) = (doc.create_element("meta"), doc.head()) {
        let _ = meta.set_attribute("http-equiv", "Content-Security-Policy");
        let _ = meta.set_attribute("content", "connect-src 'none'");
        let _ = head.append_child(&meta);
    }
}

/// Removes the loading indicator `index.html` shows until the app runs.
fn remove_boot_indicator() {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        el.remove();
    }
}

/// The browser tab's title: the case's title, when it has one.
fn set_document_title(title: &str) {
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        let t = title.trim();
        doc.set_title(&if t.is_empty() {
            DEFAULT_TITLE.to_string()
        } else {
            format!("{t} — iamtrace")
        });
    }
}

/// The tab title of `index.html`.
const DEFAULT_TITLE: &str = "iamtrace — why did AWS say AccessDenied?";

#[component]
pub fn App() -> impl IntoView {
    remove_boot_indicator();
    lock_down_network();
    let ctx = Ctx {
        case: RwSignal::new(load_stored().unwrap_or_else(Case::starter)),
        history: RwSignal::new(History::default()),
        eval: RwSignal::new(None),
        eval_ms: RwSignal::new(0.0),
        eval_seq: RwSignal::new(0),
        selected_gate: RwSignal::new(None),
        focus: RwSignal::new(None),
        notice: RwSignal::new(None),
        evaluator: StoredValue::new_local(None),
    };
    provide_context(ctx);
    open_location_link(ctx);

    let title = Memo::new(move |_| ctx.case.with(|c| c.title.trim().to_string()));
    Effect::new(move |_| set_document_title(&title.get()));

    let on_hash = window_event_listener(leptos::ev::hashchange, move |_| open_location_link(ctx));
    on_cleanup(move || on_hash.remove());

    // Live evaluation, on every edit, with no fixed delay: small cases at once, larger ones in
    // a Web Worker (only the newest case's result is shown; see `evaluator`).
    let evaluator = crate::evaluator::Evaluator::new(
        move |outcome| {
            ctx.eval_ms.set(outcome.ms);
            ctx.eval.set(Some(Arc::new(outcome.evaluation)));
            ctx.eval_seq.update(|s| *s += 1);
        },
        move |message| ctx.error(message),
    );
    ctx.evaluator.set_value(Some(evaluator));
    Effect::new(move |_| {
        let case = ctx.case.get();
        let text = case.to_storage();
        save(&text);
        ctx.evaluator.with_value(|e| {
            if let Some(e) = e {
                e.request(&case, text);
            }
        });
    });

    view! {
        <header class="top">
            <div class="brand">
                <h1>"iamtrace"</h1>
                <p class="tagline">"Why did AWS say AccessDenied? Paste it, see AWS's decision. Nothing leaves your browser."</p>
            </div>
            <nav class="toolbar" aria-label="Case">
                <Gallery/>
                <ShareBar/>
            </nav>
        </header>
        <NoticeBar/>
        <CaseHeading/>
        <main class="layout">
            <div class="inputs">
                <PasteBox/>
                <RequestPanel/>
                <Layers/>
            </div>
            <aside class="outputs" aria-label="Decision">
                <Verdict/>
                <FixPanel/>
                <DecisionFlow/>
                <TraceView/>
                <ActionsPanel/>
            </aside>
        </main>
        <footer class="foot">
            "iamtrace evaluates AWS IAM policies the way AWS documents it, entirely in this page. "
            "Where AWS is silent, the decision says what it assumes. "
            <span id="catalog-version">"AWS's catalog of actions, resource types and condition keys: "
                <code>{crate::catalog_info::version()}</code>"."</span>
        </footer>
    }
}

/// The case's title as the page's heading; for the sample case, what it is and what to do.
#[component]
fn CaseHeading() -> impl IntoView {
    let ctx = use_ctx();
    let state = Memo::new(move |_| {
        ctx.case.with(|c| {
            if !c.title.trim().is_empty() {
                Some((c.title.trim().to_string(), false))
            } else if c.is_sample() {
                Some(("Sample case".to_string(), true))
            } else {
                None
            }
        })
    });
    move || {
        state.get().map(|(title, sample)| {
            view! {
                <div class="case-head">
                    <h2 class="case-title" id="case-title">{title}</h2>
                    {sample.then(|| view! {
                        <p class="sample-note" id="sample-note">
                            "A made-up request, so the page is not blank. Replace it by pasting your AccessDenied message below, or open an example."
                        </p>
                    })}
                </div>
            }
        })
    }
}

#[component]
fn NoticeBar() -> impl IntoView {
    let ctx = use_ctx();
    move || {
        ctx.notice.get().map(|n| {
            let undo_label = ctx
                .history
                .with(|h| h.last().map(|w| format!("Undo {}", crate::text::plain(w))))
                .unwrap_or_else(|| "Undo".into());
            view! {
                <div class="notice" class:error=n.error role="status" aria-live="polite">
                    <span class="notice-text">{crate::text::rich(&n.text)}</span>
                    {n.undo.then(|| view! {
                        <button class="btn small" aria-label=undo_label.clone() title=undo_label.clone() on:click=move |_| ctx.undo()>"Undo"</button>
                    })}
                    <button class="btn small ghost" aria-label="Dismiss" on:click=move |_| ctx.notice.set(None)>"×"</button>
                </div>
            }
        })
    }
}
