//! The word-of-mouth engine for the browser: glue between JavaScript arrays
//! and `analytics::cascade` (every computation is there).
//!
//! Big trees never freeze the page: [`layout`] computes trees above
//! [`WORKER_THRESHOLD`] nodes in a Web Worker running the same WASM engine
//! (`src/bin/engine_worker.rs`, built beside the app), reporting
//! each phase as it finishes; smaller ones are computed in place, where a
//! worker's start-up would cost more than it saves.

use analytics::cascade::{NONE, Tree, layout as tidy_layout};
use js_sys::{Array, Float64Array, Function, Int32Array, Object, Promise, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker};

/// Trees with more nodes than this are computed off the main thread.
pub const WORKER_THRESHOLD: usize = 100_000;

/// A worker message handler kept alive from JavaScript's side.
type Handler = Closure<dyn FnMut(MessageEvent)>;

/// Where the worker's loader is served (`server/build.rs` writes it; it
/// loads the worker's content-hashed module, so it is never cached stale).
const WORKER_URL: &str = "/engine_worker_loader.js";

/// The phases reported while a tree is computed, in order.
pub const PHASES: [&str; 3] = ["tree", "metrics", "layout"];

/// A computed tree: headline figures and coordinates indexed like the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Computed {
    pub n: u32,
    pub depth: u32,
    pub subtree_sum: f64,
    pub x: Vec<f64>,
    pub y: Vec<f64>,
}

/// Builds the tree of a parent index array (`-1` for the root at index 0,
/// every parent before its children, siblings in index order), its metrics
/// and its tidy layout; `phase_done(i)` runs after each of [`PHASES`].
pub fn compute(parent: &[i32], mut phase_done: impl FnMut(usize)) -> Result<Computed, String> {
    let n = parent.len();
    if n == 0 || parent[0] >= 0 {
        return Err("node 0 must be the root (parent -1)".into());
    }
    let mut parents = Vec::with_capacity(n);
    for (i, &p) in parent.iter().enumerate() {
        if i > 0 && (p < 0 || p as usize >= i) {
            return Err(format!("node {i}: parent {p} must be an earlier node"));
        }
        parents.push(if p < 0 { NONE } else { p as u32 });
    }
    let tree = Tree::from_parents((0..n as u32).collect(), &parents, vec![0.0; n])
        .map_err(|e| e.to_string())?;
    phase_done(0);
    let m = tree.metrics();
    let subtree_sum = tree.subtree_sizes().iter().map(|&s| s as f64).sum();
    phase_done(1);
    let l = tidy_layout::tidy(&tree);
    let mut x = vec![0.0; n];
    let mut y = vec![0.0; n];
    for (v, &id) in tree.ids.iter().enumerate() {
        x[id as usize] = l.x[v];
        y[id as usize] = l.y[v];
    }
    phase_done(2);
    Ok(Computed {
        n: m.n as u32,
        depth: m.depth,
        subtree_sum,
        x,
        y,
    })
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    // Setting a property on a plain object we just made cannot fail.
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `{type: "progress", phase, done, total}`: the message the worker posts.
pub fn progress_message(phase: usize) -> Object {
    let msg = Object::new();
    set(&msg, "type", &"progress".into());
    set(&msg, "phase", &PHASES[phase].into());
    set(&msg, "done", &((phase + 1) as u32).into());
    set(&msg, "total", &(PHASES.len() as u32).into());
    msg
}

/// `{type: "done", n, depth, subtree_sum, x, y}` and the buffers to transfer.
pub fn result_message(c: &Computed) -> (Object, Array) {
    let msg = Object::new();
    let x = Float64Array::from(c.x.as_slice());
    let y = Float64Array::from(c.y.as_slice());
    set(&msg, "type", &"done".into());
    set(&msg, "n", &c.n.into());
    set(&msg, "depth", &c.depth.into());
    set(&msg, "subtree_sum", &c.subtree_sum.into());
    set(&msg, "x", &x);
    set(&msg, "y", &y);
    (msg, Array::of2(&x.buffer(), &y.buffer()))
}

/// `{type: "error", message}`.
pub fn error_message(message: &str) -> Object {
    let msg = Object::new();
    set(&msg, "type", &"error".into());
    set(&msg, "message", &message.into());
    msg
}

/// Computes a tree in place or in a worker (above [`WORKER_THRESHOLD`]
/// nodes), calling `on_progress` with each progress message. Resolves to
/// the `done` message's shape.
pub async fn layout(parent: Int32Array, on_progress: Option<Function>) -> Result<JsValue, JsValue> {
    let report = move |msg: &JsValue| {
        if let Some(f) = &on_progress {
            let _ = f.call1(&JsValue::NULL, msg);
        }
    };
    if (parent.length() as usize) <= WORKER_THRESHOLD {
        let computed = compute(&parent.to_vec(), |phase| report(&progress_message(phase)))
            .map_err(|e| JsValue::from(JsError::new(&e)))?;
        return Ok(result_message(&computed).0.into());
    }
    let worker = Worker::new(WORKER_URL)?;
    // The handler lives until the answer arrives; it is dropped with `slot`.
    let slot: Rc<RefCell<Option<Handler>>> = Rc::new(RefCell::new(None));
    // The worker says "ready" once its WASM is running and listening;
    // anything posted before that would be lost.
    let input = RefCell::new(Some(parent));
    let answer = Promise::new(&mut |resolve: Function, reject: Function| {
        let report = report.clone();
        let to_worker = worker.clone();
        let input = input.take();
        let mut input = Some(input);
        let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            match get(&data, "type").as_string().as_deref() {
                Some("ready") => {
                    if let Some(Some(parent)) = input.take() {
                        // Hand the array over without copying it.
                        let sent = to_worker
                            .post_message_with_transfer(&parent, &Array::of1(&parent.buffer()));
                        if let Err(e) = sent {
                            let _ = reject.call1(&JsValue::NULL, &e);
                        }
                    }
                }
                Some("progress") => report(&data),
                Some("done") => {
                    let _ = resolve.call1(&JsValue::NULL, &data);
                }
                _ => {
                    let message = get(&data, "message")
                        .as_string()
                        .unwrap_or_else(|| "the engine worker failed".into());
                    let _ = reject.call1(&JsValue::NULL, &JsError::new(&message).into());
                }
            }
        });
        worker.set_onmessage(Some(handler.as_ref().unchecked_ref()));
        *slot.borrow_mut() = Some(handler);
    });
    let result = wasm_bindgen_futures::JsFuture::from(answer).await;
    worker.terminate();
    drop(slot.borrow_mut().take());
    result
}
