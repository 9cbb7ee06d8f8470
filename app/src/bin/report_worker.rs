//! The report builder's Web Worker: receives `{seq, def}` (a report
//! definition as JSON), reads the report's numbers from the API and lays
//! its pages out with the server's own code (`app::components::report_pages`),
//! and answers `{seq, pages}` (SVG documents) or `{seq, error}`.
//!
//! A module of its own: the report's drawing needs most of the dashboard's
//! chart code, and in the app's module that code would be shared between
//! the report and every page's chunks — cutting each page's first load
//! into more, smaller pieces. Here it costs the pages nothing, and a long
//! report is laid out off the page's thread.

use app::components::report_pages;
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
        let data = event.data();
        let get = |k: &str| js_sys::Reflect::get(&data, &k.into()).unwrap_or(JsValue::UNDEFINED);
        let seq = get("seq");
        let def = get("def").as_string().unwrap_or_default();
        let reply = reply.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let answer = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&answer, &"seq".into(), &seq);
            match report_pages::pages_of_json(&def).await {
                Ok(pages) => {
                    let list: js_sys::Array = pages.iter().map(|p| JsValue::from_str(p)).collect();
                    let _ = js_sys::Reflect::set(&answer, &"pages".into(), &list);
                }
                Err(e) => {
                    let _ = js_sys::Reflect::set(&answer, &"error".into(), &e.into());
                }
            }
            let _ = reply.post_message(&answer);
        });
    });
    scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    // The report's typeface, fetched while the first numbers are read.
    report_pages::start_font();
    let ready = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&ready, &"ready".into(), &JsValue::TRUE);
    let _ = scope.post_message(&ready);
}
