//! The engine's Web Worker: says `ready`, receives a parent index array (`Int32Array`),
//! posts a progress message after each phase and then the result, computed
//! by the same code as on the main thread (`app::engine::compute`).

use app::engine::{compute, error_message, progress_message, result_message};
use js_sys::Int32Array;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn main() {
    console_error_panic_hook::set_once();
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        return;
    };
    let reply = scope.clone();
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let parent: Vec<i32> = match event.data().dyn_into::<Int32Array>() {
            Ok(a) => a.to_vec(),
            Err(_) => {
                let _ = reply.post_message(&error_message(
                    "the engine worker expects an Int32Array of parents",
                ));
                return;
            }
        };
        let result = compute(&parent, |phase| {
            let _ = reply.post_message(&progress_message(phase));
        });
        let _ = match result {
            Ok(c) => {
                let (msg, transfer) = result_message(&c);
                reply.post_message_with_transfer(&msg, &transfer)
            }
            Err(e) => reply.post_message(&error_message(&e)),
        };
    });
    scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    // The worker lives as long as its handler: keep it for the worker's life.
    handler.forget();
    // Messages posted before the handler was set are lost: ask for the input now.
    let ready = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&ready, &"type".into(), &"ready".into());
    let _ = scope.post_message(&ready);
}
