//! A JSON policy editor: a transparent textarea over a highlighted `<pre>`, line numbers, the
//! parse error or findings marked at their line and column, and a Format button.
//!
//! Highlighting builds text nodes and `<span>`s directly (never HTML from user text) and only for
//! the editor whose text changed, so tens of kB stay smooth to type in.

use crate::app::use_ctx;
use crate::format::format_json;
use crate::highlight::{line_of, pieces, utf16_offset, Mark};
use crate::state::DocRef;
use iamtrace_engine::policy::{Finding, FindingCode, Severity, Span};
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Height of one editor line in pixels (must match `--line` in style.css).
const LINE_PX: f64 = 19.0;
/// Lines an editor shows at once (its scroll box is this high).
const VISIBLE_LINES: usize = 24;
/// Lines coloured beyond the visible ones, above and below. The rest of a long document is
/// drawn as plain text until it is scrolled near, so a keystroke or an opened link costs what is
/// on screen, not the whole document.
const OVERSCAN_LINES: usize = 60;

/// A problem to show under the editor.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub error: bool,
    pub line: u32,
    pub column: u32,
    pub message: String,
    pub span: Span,
    /// A one-click repair: replace this byte range of the text with this.
    pub fix: Option<Fix>,
}

/// A repair: a JSON syntax error's, or a mistyped action's "did you mean".
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    pub label: String,
    pub start: usize,
    pub end: usize,
    pub insert: String,
}

/// The repair of an `unknown-action` or `unknown-service` finding: the entry at `span` (a JSON
/// string) replaced by the action AWS's catalog says it was probably meant to be.
pub fn did_you_mean_fix(text: &str, f: &Finding) -> Option<Fix> {
    if !matches!(
        f.code,
        FindingCode::UnknownAction | FindingCode::UnknownService
    ) {
        return None;
    }
    let raw = text.get(f.span.start..f.span.end)?;
    let (start, end) = match raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(_) => (f.span.start + 1, f.span.end - 1),
        None => (f.span.start, f.span.end),
    };
    let entry = text.get(start..end)?;
    let fixed = iamtrace_engine::lint::did_you_mean(iamtrace_engine::catalog::catalog()?, entry)?;
    Some(Fix {
        label: format!("Use {fixed}"),
        start,
        end,
        insert: fixed,
    })
}

/// The span of the character at byte `at`, with its 1-based line and column.
fn span_at(text: &str, at: usize) -> Span {
    let at = at.min(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    Span {
        start: at,
        end,
        line: line_of(text, at) as u32,
        column: text[line_start..at].chars().count() as u32 + 1,
    }
}

/// A JSON syntax error placed on the token that causes it: a trailing comma is marked on the
/// comma (the parser stops at the bracket after it), a missing comma at the end of the value
/// before it; both with a repair.
pub fn json_problem(text: &str, message: &str, span: Span) -> Problem {
    let before = text.get(..span.start.min(text.len())).unwrap_or("");
    let prev = before.trim_end();
    let plain = |span: Span| Problem {
        error: true,
        line: span.line,
        column: span.column,
        message: message.to_string(),
        span,
        fix: None,
    };
    if message.starts_with("trailing comma") && prev.ends_with(',') {
        let at = prev.len() - 1;
        let s = span_at(text, at);
        return Problem {
            message: format!(
                "a comma after the last {} is not allowed in JSON",
                if message.contains(']') {
                    "element of a list"
                } else {
                    "member of an object"
                }
            ),
            fix: Some(Fix {
                label: "Remove the comma".into(),
                start: at,
                end: at + 1,
                insert: String::new(),
            }),
            ..plain(s)
        };
    }
    let next_starts_value = text
        .get(span.start..)
        .and_then(|t| t.chars().next())
        .is_some_and(|c| matches!(c, '"' | '{' | '[') || c.is_ascii_digit());
    if message.starts_with("expected ',' or") && next_starts_value && !prev.is_empty() {
        let at = prev.len();
        let s = span_at(text, at.saturating_sub(1));
        return Problem {
            message: "a comma is missing after this value".to_string(),
            fix: Some(Fix {
                label: "Insert the comma".into(),
                start: at,
                end: at,
                insert: ",".into(),
            }),
            ..plain(s)
        };
    }
    plain(span)
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
                out.push(text.with_untracked(|t| json_problem(t, &err.message, err.span)));
            }
            for f in &p.findings {
                out.push(Problem {
                    error: f.severity == Severity::Error,
                    line: f.span.line,
                    column: f.span.column,
                    message: f.message.clone(),
                    span: f.span,
                    fix: text.with_untracked(|t| did_you_mean_fix(t, f)),
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

    // The one-line note of an AWS CLI output unwrapped into this editor.
    let unwrapped = RwSignal::new(None::<String>);

    let pre_ref = NodeRef::<html::Pre>::new();
    let area_ref = NodeRef::<html::Textarea>::new();
    let scroll_ref = NodeRef::<html::Div>::new();

    // The first line of the window painted in colour; moves when the editor is scrolled far
    // enough that the visible lines would leave it.
    let window_top = RwSignal::new(0usize);
    Effect::new(move |_| {
        let m = marks.get();
        let top = window_top.get();
        text.with(|t| {
            if let Some(pre) = pre_ref.get() {
                paint(&pre, t, &m, painted_range(t, top));
            }
        });
    });
    let on_scroll = move |_| {
        if let Some(s) = scroll_ref.get() {
            let top = (f64::from(s.scroll_top()) / LINE_PX) as usize;
            if top.abs_diff(window_top.get_untracked()) > OVERSCAN_LINES / 2 {
                window_top.set(top);
            }
        }
    };

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
        // The raw output of an AWS CLI command (get-bucket-policy, describe-policy…): the
        // document it carries goes into the editor, with where it came from.
        if let Some(u) = iamtrace_engine::policy::envelope::unwrap_cli_output(&v) {
            area.set_value(&u.document_text);
            unwrapped.set(Some(u.note.clone()));
            ctx.destructive("take the policy document out of the CLI output", |c| {
                if let Some(d) = c.doc_mut(doc_id) {
                    d.text = u.document_text;
                    if d.name.is_empty() {
                        d.name = u.name.unwrap_or_default();
                    }
                    if d.arn.is_empty() {
                        d.arn = u.arn.unwrap_or_default();
                    }
                }
            });
            return;
        }
        ctx.case.update(|c| {
            if let Some(d) = c.doc_mut(doc_id) {
                d.text = v;
            }
        });
        ctx.evaluate_now();
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

    let repair = move |fix: Fix| {
        let t = text.get_untracked();
        if fix.start <= fix.end
            && t.is_char_boundary(fix.start)
            && t.is_char_boundary(fix.end)
            && fix.end <= t.len()
        {
            let fixed = format!("{}{}{}", &t[..fix.start], fix.insert, &t[fix.end..]);
            let what = match fix.label.strip_prefix("Use ") {
                Some(action) => format!("use {action}"),
                None => fix.label.to_lowercase(),
            };
            ctx.destructive(&what, |c| {
                if let Some(d) = c.doc_mut(doc_id) {
                    d.text = fixed;
                }
            });
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
            <div class="editor-scroll" node_ref=scroll_ref on:scroll=on_scroll>
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
            {move || unwrapped.get().map(|note| view! { <p class="unwrap-note muted" role="note">{note}</p> })}
            <ul class="problems">
                {move || problems.get().unwrap_or_default().into_iter().take(8).map(|p| {
                    let span = p.span;
                    let fix = p.fix.clone();
                    view! {
                        <li class:error=p.error class:warning=!p.error>
                            <button class="linklike" on:click=move |_| go_to(span)>
                                {format!("Line {}, column {}", p.line, p.column)}
                            </button>
                            ": " {crate::text::rich(&p.message)}
                            {fix.map(|f| {
                                let label = f.label.clone();
                                view! { " " <button class="btn tiny fix" on:click=move |_| repair(f.clone())>{label}</button> }
                            })}
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

/// The bytes of `text` to paint in colour when the editor's window starts at line `top`.
fn painted_range(text: &str, top: usize) -> (usize, usize) {
    let first = top.saturating_sub(OVERSCAN_LINES);
    let last = top + VISIBLE_LINES + OVERSCAN_LINES;
    let line_start = |n: usize| {
        if n == 0 {
            return Some(0);
        }
        text.match_indices('\n').nth(n - 1).map(|(i, _)| i + 1)
    };
    let from = line_start(first).unwrap_or(text.len());
    let to = text
        .get(from..)
        .and_then(|rest| {
            rest.match_indices('\n')
                .nth(last - first)
                .map(|(i, _)| from + i)
        })
        .unwrap_or(text.len());
    (from, to)
}

/// Replaces the highlighted text of `pre` with `text` drawn with `marks`, in colour within the
/// byte range `window` and as plain text elsewhere.
fn paint(pre: &web_sys::HtmlPreElement, text: &str, marks: &[Mark], window: (usize, usize)) {
    let Some(doc) = pre.owner_document() else {
        return;
    };
    let frag = doc.create_document_fragment();
    // Text outside the window, waiting to be drawn as one text node.
    let mut plain: Option<(usize, usize)> = None;
    let flush = |plain: &mut Option<(usize, usize)>| {
        if let Some((a, z)) = plain.take() {
            let _ = frag.append_child(&doc.create_text_node(&text[a..z]));
        }
    };
    for p in pieces(text, marks) {
        if p.end <= window.0 || p.start >= window.1 {
            plain = Some(plain.map_or((p.start, p.end), |(a, _)| (a, p.end)));
            continue;
        }
        flush(&mut plain);
        let chunk = &text[p.start..p.end];
        if p.class.is_empty() {
            let _ = frag.append_child(&doc.create_text_node(chunk));
        } else if let Ok(span) = doc.create_element("span") {
            span.set_class_name(&p.class);
            span.set_text_content(Some(chunk));
            let _ = frag.append_child(&span);
        }
    }
    flush(&mut plain);
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

#[cfg(test)]
mod tests {
    use super::{did_you_mean_fix, json_problem, painted_range, OVERSCAN_LINES, VISIBLE_LINES};

    #[test]
    fn a_long_document_is_coloured_around_the_visible_lines_only() {
        let text: String = (0..300).map(|i| format!("line {i}\n")).collect();
        let (from, to) = painted_range(&text, 100);
        let first = 100 - OVERSCAN_LINES;
        let last = 100 + VISIBLE_LINES + OVERSCAN_LINES;
        assert!(text[from..].starts_with(&format!("line {first}\n")));
        assert!(text[..to].ends_with(&format!("line {last}")));
        // The top of the document, and a document shorter than the window: all of it.
        assert_eq!(painted_range(&text, 0).0, 0);
        assert_eq!(painted_range("{}", 0), (0, 2));
        assert_eq!(painted_range(&text, 10_000), (text.len(), text.len()));
    }
    use iamtrace_engine::policy::{json, parse_policy, PolicyType};

    #[test]
    fn a_mistyped_action_can_be_replaced_by_the_suggestion() {
        let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\",\n  \"Action\": [\"s3:GetObjects\", \"s3:PutObject\"], \"Resource\": \"*\"}]}";
        let policy = parse_policy(text, PolicyType::Identity)
            .expect("policy")
            .policy;
        let findings = iamtrace_engine::lint::lint_policy(&policy, PolicyType::Identity);
        let f = findings
            .iter()
            .find(|f| f.code.as_str() == "unknown-action")
            .expect("unknown-action");
        assert!(
            f.message.contains("Did you mean `s3:GetObject`?"),
            "{}",
            f.message
        );
        let fix = did_you_mean_fix(text, f).expect("fix");
        assert_eq!(fix.label, "Use s3:GetObject");
        let fixed = format!("{}{}{}", &text[..fix.start], fix.insert, &text[fix.end..]);
        assert!(
            fixed.contains(r#"["s3:GetObject", "s3:PutObject"]"#),
            "{fixed}"
        );
        let again = parse_policy(&fixed, PolicyType::Identity)
            .expect("policy")
            .policy;
        assert!(iamtrace_engine::lint::lint_policy(&again, PolicyType::Identity).is_empty());
    }

    fn problem(text: &str) -> super::Problem {
        let e = json::parse(text).unwrap_err();
        json_problem(text, &e.message, e.span)
    }

    #[test]
    fn trailing_comma_is_marked_on_the_comma_and_can_be_removed() {
        let text = "{\n  \"a\": 1,\n  \"b\": [1, 2,\n  ],\n}";
        let p = problem(text);
        assert_eq!((p.line, p.column), (3, 13), "{p:?}");
        assert_eq!(&text[p.span.start..p.span.end], ",");
        let f = p.fix.expect("fix");
        let fixed = format!("{}{}{}", &text[..f.start], f.insert, &text[f.end..]);
        // The next error is the second trailing comma, also on its comma.
        let q = problem(&fixed);
        assert_eq!((q.line, q.column), (4, 4), "{q:?}");
    }

    #[test]
    fn missing_comma_is_marked_after_the_value_before_it() {
        let text = "{\n  \"a\": \"x\"\n  \"b\": 2\n}";
        let p = problem(text);
        assert_eq!((p.line, p.column), (2, 10), "{p:?}");
        let f = p.fix.expect("fix");
        let fixed = format!("{}{}{}", &text[..f.start], f.insert, &text[f.end..]);
        assert!(json::parse(&fixed).is_ok(), "{fixed}");
    }
}
