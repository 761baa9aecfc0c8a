//! Live evaluation of the case, with no fixed delay, off the main thread for all but small cases,
//! so that typing stays instant and a hostile case cannot freeze the tab.
//!
//! A case larger than [`SMALL_CASE_BYTES`] goes to a Web Worker that runs this page's own
//! WebAssembly module (sent to it already compiled: no request, no second copy of the engine;
//! `www/evaluator-worker.js`). Only the newest case's result is shown: a result for an older
//! case is dropped, and a worker still busy with an older case after [`RESTART_AFTER_MS`] is
//! stopped and restarted for the newest one. The result crosses back as the engine's own JSON
//! of [`Evaluation`]. Without workers, cases are evaluated on the main thread, at most once per
//! animation frame.

use crate::app::now;
use crate::engine;
use crate::state::Case;
use iamtrace_engine::decision::Evaluation;
use leptos::prelude::{request_animation_frame, set_timeout_with_handle, TimeoutHandle};
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Cases up to this size (as stored) are evaluated on the main thread at once: they take a
/// few milliseconds at most, less than a round trip through the worker.
pub const SMALL_CASE_BYTES: usize = 4 * 1024;

/// A worker still busy with an older case this long after it started is stopped and restarted
/// when a newer case waits.
const RESTART_AFTER_MS: f64 = 250.0;

/// The worker's script (run from a Blob URL).
const WORKER_JS: &str = include_str!("../www/evaluator-worker.js");

/// What one evaluation produced.
pub struct Outcome {
    pub evaluation: Evaluation,
    /// Milliseconds the evaluation took (in the worker: reading the case, evaluating, writing
    /// the result).
    pub ms: f64,
}

/// Starts evaluations and hands the newest case's result to the page.
#[derive(Clone)]
pub struct Evaluator(Rc<RefCell<Inner>>);

struct Inner {
    deliver: Rc<dyn Fn(Outcome)>,
    /// Said when the engine failed on the newest case (it never should).
    fail: Rc<dyn Fn(String)>,
    url: Option<String>,
    worker: Option<WorkerHandle>,
    /// The sequence number of the newest case asked for.
    latest: u64,
    /// The case asked for ahead of the page's evaluation effect ([`Evaluator::request_ahead`]),
    /// which then finds it evaluated already.
    ahead: Option<String>,
    /// The job the worker is on.
    busy: Option<Job>,
    /// The newest case, waiting for the worker to be free.
    waiting: Option<Job>,
    /// The newest case, waiting for the next animation frame (main-thread evaluation).
    frame: Option<(u64, Case)>,
    restart_timer: Option<TimeoutHandle>,
}

struct Job {
    seq: u64,
    /// What the evaluation reads (`evaluation_input`: what is switched off, then the case as
    /// stored).
    text: String,
    started: f64,
}

struct WorkerHandle {
    worker: web_sys::Worker,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl Evaluator {
    /// An evaluator that calls `deliver` with each newest result. Starts the worker.
    pub fn new(deliver: impl Fn(Outcome) + 'static, fail: impl Fn(String) + 'static) -> Self {
        let e = Evaluator(Rc::new(RefCell::new(Inner {
            deliver: Rc::new(deliver),
            fail: Rc::new(fail),
            url: worker_url(),
            worker: None,
            latest: 0,
            ahead: None,
            busy: None,
            waiting: None,
            frame: None,
            restart_timer: None,
        })));
        let w = e.spawn();
        e.0.borrow_mut().worker = w;
        e
    }

    /// Evaluates `case` (`text` is [`Case::to_storage`] of it). Only the newest case's result is
    /// delivered; a small case is evaluated before this returns. A case just asked for with
    /// [`Evaluator::request_ahead`] is not evaluated again.
    pub fn request(&self, case: &Case, text: String) {
        let text = evaluation_input(case, text);
        if self.0.borrow_mut().ahead.take().as_ref() == Some(&text) {
            return;
        }
        self.start(case, text);
    }

    /// Like [`Evaluator::request`], from an edit, before the page redraws; the page's
    /// evaluation effect that follows finds it asked for.
    pub fn request_ahead(&self, case: &Case, text: String) {
        let text = evaluation_input(case, text);
        self.0.borrow_mut().ahead = Some(text.clone());
        self.start(case, text);
    }

    fn start(&self, case: &Case, text: String) {
        mark("iamtrace-eval-requested");
        let mut s = self.0.borrow_mut();
        s.latest += 1;
        let seq = s.latest;
        s.waiting = None;
        s.frame = None;
        if text.len() <= SMALL_CASE_BYTES {
            let deliver = s.deliver.clone();
            drop(s);
            deliver(evaluate_here(case));
        } else if s.worker.is_some() {
            drop(s);
            self.to_worker(Job {
                seq,
                text,
                started: 0.0,
            });
        } else {
            s.frame = Some((seq, case.clone()));
            drop(s);
            self.next_frame();
        }
    }

    /// Evaluates the newest case at the next animation frame (once, however many came).
    fn next_frame(&self) {
        let weak = Rc::downgrade(&self.0);
        request_animation_frame(move || {
            let Some(inner) = weak.upgrade() else {
                return;
            };
            let mut s = inner.borrow_mut();
            let Some((seq, case)) = s.frame.take() else {
                return;
            };
            if seq != s.latest {
                return;
            }
            let deliver = s.deliver.clone();
            drop(s);
            deliver(evaluate_here(&case));
        });
    }

    fn to_worker(&self, job: Job) {
        let mut s = self.0.borrow_mut();
        let Some(busy) = s.busy.as_ref() else {
            drop(s);
            self.post(job);
            return;
        };
        let (busy_seq, elapsed) = (busy.seq, now() - busy.started);
        s.waiting = Some(job);
        if elapsed >= RESTART_AFTER_MS {
            drop(s);
            self.restart();
        } else if s.restart_timer.is_none() {
            let weak = Rc::downgrade(&self.0);
            let wait = Duration::from_millis((RESTART_AFTER_MS - elapsed).ceil() as u64);
            s.restart_timer = set_timeout_with_handle(
                move || {
                    let Some(inner) = weak.upgrade() else {
                        return;
                    };
                    let e = Evaluator(inner);
                    let stuck = {
                        let mut s = e.0.borrow_mut();
                        s.restart_timer = None;
                        s.waiting.is_some() && s.busy.as_ref().is_some_and(|b| b.seq == busy_seq)
                    };
                    if stuck {
                        e.restart();
                    }
                },
                wait,
            )
            .ok();
        }
    }

    /// Stops the worker (busy with an older case) and gives the newest case to a new one.
    fn restart(&self) {
        let old = {
            let mut s = self.0.borrow_mut();
            s.busy = None;
            s.worker.take()
        };
        if let Some(old) = old {
            old.worker.terminate();
        }
        let new = self.spawn();
        let mut s = self.0.borrow_mut();
        s.worker = new;
        let waiting = s.waiting.take();
        drop(s);
        if let Some(job) = waiting {
            self.resume(job);
        }
    }

    /// Sends a job to the (free) worker; without one, evaluates it on the main thread.
    fn post(&self, mut job: Job) {
        let mut s = self.0.borrow_mut();
        let sent = s.worker.as_ref().is_some_and(|w| {
            let msg = js_sys::Object::new();
            js_sys::Reflect::set(&msg, &"seq".into(), &JsValue::from_f64(job.seq as f64)).is_ok()
                && js_sys::Reflect::set(&msg, &"text".into(), &JsValue::from_str(&job.text)).is_ok()
                && w.worker.post_message(&msg).is_ok()
        });
        if sent {
            mark("iamtrace-eval-posted");
            job.started = now();
            s.busy = Some(job);
        } else {
            s.worker = None;
            drop(s);
            self.resume(job);
        }
    }

    /// Carries on with `job`: in the worker when there is one, else on the main thread.
    fn resume(&self, job: Job) {
        let has_worker = self.0.borrow().worker.is_some();
        if has_worker {
            self.post(job);
        } else if let Some(case) = Case::from_storage(&job.text) {
            self.0.borrow_mut().frame = Some((job.seq, case));
            self.next_frame();
        }
    }

    /// A message from the worker: the result of the job it was on.
    fn on_message(&self, data: JsValue) {
        let field = |k: &str| js_sys::Reflect::get(&data, &k.into()).ok();
        let seq = field("seq").and_then(|v| v.as_f64()).unwrap_or(-1.0) as u64;
        if field("fetched").and_then(|v| v.as_f64()).unwrap_or(0.0) > 0.0 {
            // The worker must never need the network; the browser tests look for this mark.
            mark("iamtrace-worker-fetched");
        }
        if field("unusable").is_some_and(|v| v.is_truthy()) {
            self.on_worker_error();
            return;
        }
        let mut s = self.0.borrow_mut();
        let Some(job) = s.busy.take_if(|b| b.seq == seq) else {
            return;
        };
        let waiting = s.waiting.take();
        let newest = job.seq == s.latest;
        let (deliver, fail) = (s.deliver.clone(), s.fail.clone());
        drop(s);
        if let Some(next) = waiting {
            self.post(next);
        }
        if !newest {
            return;
        }
        let json = field("json").and_then(|v| v.as_string());
        let ms = field("ms").and_then(|v| v.as_f64()).unwrap_or(0.0);
        mark("iamtrace-result-received");
        let read = json.as_deref().map(serde_json::from_str::<Evaluation>);
        mark("iamtrace-result-read");
        match read {
            Some(Ok(evaluation)) => {
                deliver(Outcome { evaluation, ms });
                mark("iamtrace-result-delivered");
            }
            _ => {
                let error = field("error").and_then(|v| v.as_string());
                fail(match error {
                    Some(e) => format!("The evaluation of this case failed ({e}). Please report it; the verdict shown is the previous one."),
                    None => "The evaluation of this case failed. Please report it; the verdict shown is the previous one.".into(),
                });
            }
        }
    }

    /// The worker could not start (no workers, a blocked script): evaluate on the main thread
    /// from now on.
    fn on_worker_error(&self) {
        let mut s = self.0.borrow_mut();
        if let Some(w) = s.worker.take() {
            w.worker.terminate();
        }
        let pending = s.waiting.take().or_else(|| s.busy.take());
        let latest = s.latest;
        drop(s);
        if let Some(job) = pending.filter(|j| j.seq == latest) {
            self.resume(job);
        }
    }

    fn spawn(&self) -> Option<WorkerHandle> {
        let url = self.0.borrow().url.clone()?;
        let worker = web_sys::Worker::new(&url).ok()?;
        let init = js_sys::Object::new();
        js_sys::Reflect::set(&init, &"module".into(), &wasm_bindgen::module()).ok()?;
        worker.post_message(&init).ok()?;
        let weak: Weak<RefCell<Inner>> = Rc::downgrade(&self.0);
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new({
            let weak = weak.clone();
            move |e: web_sys::MessageEvent| {
                if let Some(inner) = weak.upgrade() {
                    Evaluator(inner).on_message(e.data());
                }
            }
        });
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            if let Some(inner) = weak.upgrade() {
                Evaluator(inner).on_worker_error();
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Some(WorkerHandle {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        })
    }
}

/// The worker's script as a Blob URL (made once; a restarted worker reuses it).
fn worker_url() -> Option<String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(WORKER_JS));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

/// Marks a step on the performance timeline (for measurements).
pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

fn evaluate_here(case: &Case) -> Outcome {
    let t0 = now();
    let evaluation = engine::evaluate(case);
    Outcome {
        evaluation,
        ms: now() - t0,
    }
}

/// In the worker: evaluates a case as the page stores it and returns the evaluation as JSON
/// (empty when the text is not a case).
pub fn worker_evaluate(input: &str) -> String {
    let (off, case_text) = input.split_once('\n').unwrap_or(("", input));
    Case::from_storage(case_text)
        .map(|mut case| {
            case.switched_off = serde_json::from_str(off).unwrap_or_default();
            case
        })
        .and_then(|case| serde_json::to_string(&engine::evaluate(&case)).ok())
        .unwrap_or_default()
}

/// What an evaluation of `case` reads: what is switched off (which the stored case, `text`,
/// leaves out), a newline, then the stored case. Two equal inputs evaluate alike.
fn evaluation_input(case: &Case, text: String) -> String {
    if case.switched_off.is_empty() {
        return format!("\n{text}");
    }
    let off = serde_json::to_string(&case.switched_off).unwrap_or_default();
    format!("{off}\n{text}")
}

// The worker's entry points: a plain C interface over the module's memory, so the worker needs
// none of wasm-bindgen's JS glue (which would have to be fetched again).

thread_local! {
    static RESULT: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Reserves `len` bytes for the worker to write a case into.
#[no_mangle]
pub extern "C" fn iamtrace_worker_alloc(len: usize) -> *mut u8 {
    let mut buffer = std::mem::ManuallyDrop::new(Vec::<u8>::with_capacity(len));
    buffer.as_mut_ptr()
}

/// Evaluates the case in the `len` bytes at `ptr` (which it frees) and returns the length of
/// the result, found at [`iamtrace_worker_result`].
///
/// # Safety
/// `ptr` comes from `iamtrace_worker_alloc(len)` and its `len` bytes have been written.
#[no_mangle]
pub unsafe extern "C" fn iamtrace_worker_evaluate(ptr: *mut u8, len: usize) -> usize {
    // SAFETY: the buffer was allocated with capacity `len` and filled, as the caller promises.
    let bytes = unsafe { Vec::from_raw_parts(ptr, len, len) };
    let out = String::from_utf8(bytes)
        .map(|text| worker_evaluate(&text))
        .unwrap_or_default();
    RESULT.with(|r| {
        let n = out.len();
        *r.borrow_mut() = out;
        n
    })
}

/// Where the last result is (valid until the next evaluation).
#[no_mangle]
pub extern "C" fn iamtrace_worker_result() -> *const u8 {
    RESULT.with(|r| r.borrow().as_ptr())
}

#[cfg(test)]
mod tests {
    use super::{evaluation_input, worker_evaluate, SMALL_CASE_BYTES};
    use crate::state::{Case, Doc};
    use iamtrace_engine::decision::{Decision, Evaluation};

    #[test]
    fn the_worker_evaluates_without_what_is_switched_off() {
        let deny = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "No", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}]}"#;
        // An allow large enough that the page sends the case to the worker.
        let statements: Vec<String> = (0..60)
            .map(|i| format!(r#"{{"Sid": "A{i}", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}"#))
            .collect();
        let allow = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
            statements.join(",")
        );
        let mut case = Case {
            identity: Some(vec![Doc::new(deny), Doc::new(allow)]),
            ..Case::starter()
        };
        let decide = |case: &Case| {
            let input = evaluation_input(case, case.to_storage());
            assert!(input.len() > SMALL_CASE_BYTES);
            let e: Evaluation = serde_json::from_str(&worker_evaluate(&input)).expect("result");
            e.decision
        };
        assert_eq!(decide(&case), Decision::ExplicitDeny);
        let deny_id = case.identity.as_ref().map(|d| d[0].id).unwrap_or_default();
        case.switched_off.toggle_doc(deny_id);
        assert_eq!(decide(&case), Decision::Allowed);
    }
}
