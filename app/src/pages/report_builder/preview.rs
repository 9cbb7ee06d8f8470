//! The live preview: the definition being edited, laid out into pages by the
//! `report` crate — the code the server renders PNG, SVG and PDF with — in
//! the report worker (`src/bin/report_worker.rs`, which reads the numbers
//! and measures text in the report's typeface). The page shows the pages
//! in the same typeface (the bundled subset, `public/fonts`), fetched as a
//! web font after the form is drawn.

use crate::app::use_lang;
use crate::components::status::{ErrorPanel, Loading};
use crate::error::ApiFailure;
use analytics::report::ReportDefinition;
use i18n::{BuilderMsg, builder_text, page_count};
use leptos::prelude::*;
use std::cell::Cell;
use wasm_bindgen_futures::JsFuture;

use crate::components::report_pages::FONT_URL;

/// Whether the report's typeface is in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FontState {
    Loading,
    Ready,
    Failed,
}

thread_local! {
    /// The face's state for the whole session: fetched once, whichever
    /// report is opened next.
    static FONT: Cell<Option<FontState>> = const { Cell::new(None) };
}

/// Fetches the typeface and adds it to the document, then sets `state`
/// (when the page that asked is still there).
fn fetch_font(state: RwSignal<FontState>) {
    FONT.set(Some(FontState::Loading));
    leptos::task::spawn_local(async move {
        let done = match load_font().await {
            Ok(()) => FontState::Ready,
            Err(e) => {
                leptos::logging::warn!("report typeface: {e:?}");
                FontState::Failed
            }
        };
        FONT.set(Some(done));
        state.try_set(done);
    });
}

async fn load_font() -> Result<(), wasm_bindgen::JsValue> {
    let face = web_sys::FontFace::new_with_str(charts::BUNDLED_FONT, &format!("url({FONT_URL})"))?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    document.fonts().add(&face)?;
    JsFuture::from(face.load()?).await?;
    Ok(())
}

/// The pages of `draft`, drawn as the server draws them.
#[component]
pub fn Preview(draft: RwSignal<ReportDefinition>) -> impl IntoView {
    let lang = use_lang();
    // Fetched once a session; a page opened while another's fetch is out
    // asks again (the second answer comes from the HTTP cache).
    let font = RwSignal::new(match FONT.get() {
        Some(FontState::Ready) => FontState::Ready,
        _ => FontState::Loading,
    });
    let started = StoredValue::new(font.get_untracked() == FontState::Ready);
    // Laid out again on every edit (the worker reads the numbers again only
    // when an edit changes them); the latest answer wins.
    let worker = StoredValue::new_local(None::<ReportWorker>);
    let pages = RwSignal::new(None::<Result<(Vec<String>, FontState), ApiFailure>>);
    let asked = RwSignal::new(0u32);
    // The question the pages on screen answer (behind `asked` while the
    // worker lays out an edit).
    let drawn = RwSignal::new(0u32);
    Effect::new(move |_| {
        let def = draft.get();
        let seq = asked.get_untracked() + 1;
        asked.set(seq);
        if worker.with_value(Option::is_none) {
            match ReportWorker::start(move |seq_back, answer| {
                if seq_back == asked.get_untracked() {
                    pages.set(Some(answer.map(|p| (p, font.get_untracked()))));
                    drawn.set(seq_back);
                }
            }) {
                Ok(w) => worker.set_value(Some(w)),
                Err(e) => {
                    pages.set(Some(Err(ApiFailure::Malformed(format!(
                        "the report worker: {e:?}"
                    )))));
                    return;
                }
            }
        }
        worker.with_value(|w| {
            if let Some(w) = w {
                w.ask(seq, &def);
            }
        });
    });
    // After the first pages are on screen.
    Effect::new(move |_| {
        if matches!(pages.get(), Some(Ok(_))) && !started.get_value() {
            started.set_value(true);
            fetch_font(font);
        }
    });
    view! {
        <section class="report-preview" data-current=move || (drawn.get() == asked.get()).to_string() aria-label=move || builder_text(lang.get(), BuilderMsg::Preview)>
            <p class="preview-status" role="status">
                {move || match pages.get() {
                    Some(Ok(_)) if drawn.get() != asked.get() => {
                        builder_text(lang.get(), BuilderMsg::Drawing).to_string()
                    }
                    Some(Ok((p, _))) => page_count(lang.get(), p.len()),
                    _ => builder_text(lang.get(), BuilderMsg::Drawing).to_string(),
                }}
                " · "
                <span class="font-state" data-font=move || match font.get() {
                    FontState::Loading => "loading",
                    FontState::Ready => "ready",
                    FontState::Failed => "failed",
                }>
                    {move || match font.get() {
                        FontState::Loading => builder_text(lang.get(), BuilderMsg::FontLoading),
                        FontState::Ready => charts::BUNDLED_FONT,
                        FontState::Failed => builder_text(lang.get(), BuilderMsg::FontFailed),
                    }}
                </span>
            </p>
            {move || match pages.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(failure)) => view! { <ErrorPanel failure on_retry=move || draft.update(|_| ())/> }.into_any(),
                Some(Ok((pages, _))) => pages
                    .into_iter()
                    .enumerate()
                    .map(|(i, svg)| view! {
                        // The page is the report crate's SVG: every text in it
                        // was escaped there (`report::text`).
                        <div class="report-page" data-page=i + 1 inner_html=svg></div>
                    })
                    .collect_view()
                    .into_any(),
            }}
        </section>
    }
}

/// The report worker, started once per preview: asked with a sequence
/// number, answering with it.
struct ReportWorker {
    worker: web_sys::Worker,
    /// What to ask once the worker says it is ready (a message posted
    /// before its handler is set is lost): the latest question only.
    pending: std::rc::Rc<std::cell::RefCell<Option<Option<js_sys::Object>>>>,
    _on_message: wasm_bindgen::closure::Closure<dyn FnMut(web_sys::MessageEvent)>,
}

/// Where the build puts the worker's loader (`server/build/wasm.rs`).
const WORKER_URL: &str = "/report_worker_loader.js";

impl ReportWorker {
    fn start(
        answered: impl Fn(u32, Result<Vec<String>, ApiFailure>) + 'static,
    ) -> Result<ReportWorker, wasm_bindgen::JsValue> {
        use wasm_bindgen::JsCast;
        let worker = web_sys::Worker::new(WORKER_URL)?;
        // `Some(waiting)` until the worker is ready, then `None`.
        let pending = std::rc::Rc::new(std::cell::RefCell::new(Some(None::<js_sys::Object>)));
        let (to, waiting) = (worker.clone(), pending.clone());
        let on_message = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |event: web_sys::MessageEvent| {
                let data = event.data();
                let get = |k: &str| js_sys::Reflect::get(&data, &k.into()).ok();
                let Some(seq) = get("seq").and_then(|v| v.as_f64()) else {
                    // `ready`: ask what was asked meanwhile.
                    if let Some(Some(message)) = waiting.borrow_mut().take() {
                        let _ = to.post_message(&message);
                    }
                    return;
                };
                let answer = match get("pages").filter(|p| p.is_object()) {
                    Some(list) => Ok(js_sys::Array::from(&list)
                        .iter()
                        .filter_map(|p| p.as_string())
                        .collect()),
                    None => Err(ApiFailure::Malformed(
                        get("error")
                            .and_then(|e| e.as_string())
                            .unwrap_or_else(|| "the report worker gave no answer".into()),
                    )),
                };
                answered(seq as u32, answer);
            },
        );
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Ok(ReportWorker {
            worker,
            pending,
            _on_message: on_message,
        })
    }

    fn ask(&self, seq: u32, def: &ReportDefinition) {
        let Ok(json) = serde_json::to_string(def) else {
            return;
        };
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"seq".into(), &seq.into());
        let _ = js_sys::Reflect::set(&message, &"def".into(), &json.into());
        let mut pending = self.pending.borrow_mut();
        match pending.as_mut() {
            Some(waiting) => *waiting = Some(message),
            None => {
                let _ = self.worker.post_message(&message);
            }
        }
    }
}

impl Drop for ReportWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
