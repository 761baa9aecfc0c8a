// The page's evaluator in a Web Worker (src/evaluator.rs starts it from a Blob URL, so it costs
// no request). It runs the page's own WebAssembly module, which the page sends already compiled:
// no fetch, no second copy of the engine. Only the engine's plain exports are used (no
// wasm-bindgen glue here): every JS import of the module is a stub that throws, since the
// engine calls none of them; the Leptos app never starts here (`__wbindgen_start` is not called).
//
// Messages in:  {module: WebAssembly.Module}, then {seq, text} (what is switched off, a newline, then the case as the page stores it).
// Messages out: {seq, json, ms, fetched} (the evaluation as JSON, time taken, how many requests
// this worker ever made: none is expected) or {seq, error}, with
// `unusable: true` when the module cannot run here (the page then evaluates by itself).
let module = null;
let engine = null;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function instantiate() {
  const imports = {};
  for (const i of WebAssembly.Module.imports(module)) {
    if (i.kind !== "function") throw new Error(`the engine imports a ${i.kind}`);
    (imports[i.module] ??= {})[i.name] = () => {
      throw new Error(`${i.name} is not available to the evaluator`);
    };
  }
  engine = new WebAssembly.Instance(module, imports).exports;
}

function evaluate(text) {
  const bytes = encoder.encode(text);
  const ptr = engine.iamtrace_worker_alloc(bytes.length) >>> 0;
  new Uint8Array(engine.memory.buffer, ptr, bytes.length).set(bytes);
  const len = engine.iamtrace_worker_evaluate(ptr, bytes.length) >>> 0;
  const out = engine.iamtrace_worker_result() >>> 0;
  return decoder.decode(new Uint8Array(engine.memory.buffer, out, len));
}

onmessage = (e) => {
  const m = e.data;
  if (m.module) {
    module = m.module;
    return;
  }
  try {
    if (!engine) instantiate();
  } catch (err) {
    postMessage({ seq: m.seq, error: String(err), unusable: true });
    return;
  }
  try {
    const t0 = performance.now();
    const json = evaluate(m.text);
    const ms = performance.now() - t0;
    const fetched = performance.getEntriesByType("resource").length;
    postMessage({ seq: m.seq, json, ms, fetched });
  } catch (err) {
    // A trapped instance is never reused: the next case gets a fresh one.
    engine = null;
    postMessage({ seq: m.seq, error: String(err) });
  }
};
