//! Entry point of the word-of-mouth bundle (`word.html`): the cascade
//! table, the explorer and listening — and the engine's JavaScript entry
//! points (`wasmBindings.engine_layout`, `engine_tree_layout`), which only
//! this bundle exports, so the dashboard's first load does not carry them.

use app::engine::{compute, layout, result_message};
use js_sys::{Function, Int32Array};
use wasm_bindgen::prelude::*;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::WordApp);
}

/// JavaScript entry point of [`layout`]:
/// `await wasmBindings.engine_layout(int32Parents, progress => …)`.
#[wasm_bindgen]
pub async fn engine_layout(
    parent: Int32Array,
    on_progress: Option<Function>,
) -> Result<JsValue, JsValue> {
    layout(parent, on_progress).await
}

/// The same computation, synchronously on the calling thread, for the
/// benchmark against d3-hierarchy (which also runs on the main thread).
#[wasm_bindgen]
pub fn engine_tree_layout(parent: &[i32]) -> Result<JsValue, JsError> {
    let computed = compute(parent, |_| {}).map_err(|e| JsError::new(&e))?;
    Ok(result_message(&computed).0.into())
}
