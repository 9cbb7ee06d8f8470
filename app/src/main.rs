//! Browser entry point: installs the panic hook and mounts the app — and the
//! engine's JavaScript entry points (`wasmBindings.engine_layout`,
//! `engine_tree_layout`), whose code is fetched on their first call.

use js_sys::{Function, Int32Array};
use wasm_bindgen::prelude::*;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}

/// JavaScript entry point of [`app::engine::layout`]:
/// `await wasmBindings.engine_layout(int32Parents, progress => …)`.
#[wasm_bindgen]
pub async fn engine_layout(
    parent: Int32Array,
    on_progress: Option<Function>,
) -> Result<JsValue, JsValue> {
    let start = app::lazy::start_engine_layout(parent, on_progress);
    #[cfg(feature = "split")]
    let start = start.await;
    start
        .map_err(|_| JsValue::from(JsError::new(CHUNK_MISSING)))?
        .await
}

/// The same computation, on the calling thread, for the benchmark against
/// d3-hierarchy (which also runs on the main thread):
/// `await wasmBindings.engine_tree_layout(int32Parents)`.
#[wasm_bindgen]
pub async fn engine_tree_layout(parent: Vec<i32>) -> Result<JsValue, JsError> {
    let computed = app::lazy::engine_tree_layout(parent);
    #[cfg(feature = "split")]
    let computed = computed.await;
    computed
        .map_err(|_| JsError::new(CHUNK_MISSING))?
        .map_err(|e| JsError::new(&e))
}

const CHUNK_MISSING: &str = "the engine's code could not be loaded";
