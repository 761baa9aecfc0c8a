//! A JSON policy editor: a transparent textarea over a highlighted `<pre>`, line numbers, the
//! parse error or findings marked at their line and column, and a Format button.
//!
//! Highlighting builds text nodes and `<span>`s directly (never HTML from user text) and only for
//! the editor whose text changed, so tens of kB stay smooth to type in.

use crate::app::use_ctx;
use crate::format::format_json;
use crate::highlight::{line_of, pieces, utf16_offset, Mark};
use crate::state::DocRef;
use iamtrace_engine::policy::{Severity, Span};
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Height of one editor line in pixels (must match `--line` in style.css).
const LINE_PX: f64 = 19.0;

/// A problem to show under the editor.
#[derive(Debug, Clone, PartialEq)]
struct Problem {
    error: bool,
    line: u32,
    column: u32,
    message: String,
    span: Span,
}

/// The editor of the document with id `doc_id`.
#[component]
pub fn PolicyEditor(doc_id: u64, #[prop(into)] label: String) -> impl IntoView {
    let ctx = use_ctx();
    let text = Memo::new(move |_| {
        ctx.case.with(|c| {
            c.all_docs()
                .into_iter()
                .find(|(_, d)| d.id == doc_id)
                .map(|(_, d)| d.text.clone())
                .unwrap_or_default()
        })
    });
    let doc_ref = Memo::new(move |_| ctx.case.with(|c| c.doc_ref(doc_id)));
    let problems = Memo::new(move |_| {
        let r = doc_ref.get()?;
        ctx.eval.with(|e| {
            let e = e.as_ref()?;
            let p = e.policies.iter().find(|p| same_doc(r, p))?;
            let mut out = Vec::new();
            if let Some(err) = &p.error {
                out.push(Problem {
                    error: true,
                    line: err.line,
                    column: err.column,
                    message: err.message.clone(),
                    span: err.span,
                });
            }
            for f in &p.findings {
                out.push(Problem {
                    error: f.severity == Severity::Error,
                    line: f.span.line,
                    column: f.span.column,
                    message: f.message.clone(),
                    span: f.span,
                });
            }
            Some(out)
        })
    });
    let selection = Memo::new(move |_| {
        ctx.focus
            .get()
            .filter(|f| f.doc_id == doc_id)
            .map(|f| (f.span, f.seq))
    });
    let marks = Memo::new(move |_| {
        let mut m: Vec<Mark> = problems
            .get()
            .unwrap_or_default()
            .iter()
            .map(|p| Mark {
                start: p.span.start,
                end: p.span.end,
                class: if p.error { "err" } else { "warn" },
            })
            .collect();
        if let Some((s, _)) = selection.get() {
            m.push(Mark {
                start: s.start,
                end: s.end,
                class: "sel",
            });
        }
        m
    });
    let lines = Memo::new(move |_| text.with(|t| t.split('\n').count()));

    let pre_ref = NodeRef::<html::Pre>::new();
    let area_ref = NodeRef::<html::Textarea>::new();
    let scroll_ref = NodeRef::<html::Div>::new();

    Effect::new(move |_| {
        let m = marks.get();
        text.with(|t| {
            if let Some(pre) = pre_ref.get() {
                paint(&pre, t, &m);
            }
        });
    });

    // A statement clicked in the trace: scroll it into view.
    Effect::new(move |_| {
        if let (Some((span, _)), Some(scroller)) = (selection.get(), scroll_ref.get()) {
            let line = text.with_untracked(|t| line_of(t, span.start));
            scroller.set_scroll_top(((line as f64 - 3.0).max(0.0) * LINE_PX) as i32);
            scroller.scroll_into_view_with_bool(false);
        }
    });

    let go_to = move |span: Span| {
        if let Some(area) = area_ref.get() {
            let (a, z) =
                text.with_untracked(|t| (utf16_offset(t, span.start), utf16_offset(t, span.end)));
            let _ = area.focus();
            let _ = area.set_selection_range(a, z.max(a));
            if let Some(scroller) = scroll_ref.get() {
                let line = text.with_untracked(|t| line_of(t, span.start));
                scroller.set_scroll_top(((line as f64 - 3.0).max(0.0) * LINE_PX) as i32);
            }
        }
    };

    let on_input = move |ev: leptos::ev::Event| {
        let Some(area) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
        else {
            return;
        };
        let v = area.value();
        ctx.case.update(|c| {
            if let Some(d) = c.doc_mut(doc_id) {
                d.text = v;
            }
        });
    };

    let format = move |_| {
        let t = text.get_untracked();
        match format_json(&t) {
            Ok(f) if f != t => ctx.destructive("format policy", |c| {
                if let Some(d) = c.doc_mut(doc_id) {
                    d.text = f;
                }
            }),
            Ok(_) => {}
            Err(e) => ctx.error(format!(
                "Cannot format: {} at line {}, column {}.",
                e.message, e.span.line, e.span.column
            )),
        }
    };

    let gutter = move || {
        let n = lines.get();
        let mut s = String::with_capacity(n * 4);
        for i in 1..=n {
            s.push_str(&i.to_string());
            s.push('\n');
        }
        s
    };

    let aria = label.clone();
    view! {
        <div class="editor" data-doc=doc_id.to_string()>
            <div class="editor-scroll" node_ref=scroll_ref>
                <pre class="gutter" aria-hidden="true">{gutter}</pre>
                <div class="code">
                    <pre class="hl" aria-hidden="true" node_ref=pre_ref></pre>
                    <textarea
                        node_ref=area_ref
                        class="src"
                        spellcheck="false"
                        autocomplete="off"
                        autocapitalize="off"
                        wrap="off"
                        aria-label=aria
                        prop:value=move || text.get()
                        on:input=on_input
                    ></textarea>
                </div>
            </div>
            <div class="editor-foot">
                <button class="btn small" on:click=format title="Re-indent this document (keeps member order)">"Format"</button>
                <span class="muted">{move || format!("{} lines", lines.get())}</span>
            </div>
            <ul class="problems">
                {move || problems.get().unwrap_or_default().into_iter().take(8).map(|p| {
                    let span = p.span;
                    view! {
                        <li class:error=p.error class:warning=!p.error>
                            <button class="linklike" on:click=move |_| go_to(span)>
                                {format!("Line {}, column {}", p.line, p.column)}
                            </button>
                            ": " {p.message}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}

/// Whether an engine policy report is about the document `r`.
pub fn same_doc(r: DocRef, p: &iamtrace_engine::decision::PolicyReport) -> bool {
    p.layer.name() == r.layer.name() && p.level == r.level && p.index == r.index
}

/// Replaces the highlighted text of `pre` with `text` drawn with `marks`.
fn paint(pre: &web_sys::HtmlPreElement, text: &str, marks: &[Mark]) {
    let Some(doc) = pre.owner_document() else {
        return;
    };
    let frag = doc.create_document_fragment();
    for p in pieces(text, marks) {
        let chunk = &text[p.start..p.end];
        if p.class.is_empty() {
            let _ = frag.append_child(&doc.create_text_node(chunk));
        } else if let Ok(span) = doc.create_element("span") {
            span.set_class_name(&p.class);
            span.set_text_content(Some(chunk));
            let _ = frag.append_child(&span);
        }
    }
    // An error at the very end (unterminated document) still shows a marker.
    if marks
        .iter()
        .any(|m| m.start >= text.len() && m.class == "err")
    {
        if let Ok(span) = doc.create_element("span") {
            span.set_class_name("err eof");
            span.set_text_content(Some(" "));
            let _ = frag.append_child(&span);
        }
    }
    // A final newline needs a line after it, as the textarea shows one.
    let _ = frag.append_child(&doc.create_text_node("\n"));
    pre.set_text_content(None);
    let _ = pre.append_child(&frag);
}
