//! Loading, error and empty states: every panel shows one of these instead of
//! going blank.

use crate::app::use_lang;
use crate::error::ApiFailure;
use crate::i18n::{Msg, t};
use leptos::prelude::*;

/// A placeholder while data is on its way.
#[component]
pub fn Loading() -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="status loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            {move || t(lang.get(), Msg::Loading)}
        </div>
    }
}

/// A failed request: what happened, the detail, and a way to try again.
#[component]
pub fn ErrorPanel(failure: ApiFailure, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let hint = matches!(failure, ApiFailure::Unreachable(_));
    let title = failure.clone();
    view! {
        <div class="status error" role="alert">
            <h2>{move || title.title(lang.get())}</h2>
            <p class="detail">{failure.detail()}</p>
            {hint.then(|| view! { <p>{move || t(lang.get(), Msg::ErrorUnreachableHint)}</p> })}
            <button type="button" on:click=move |_| on_retry.run(())>{move || t(lang.get(), Msg::Retry)}</button>
        </div>
    }
}

/// Nothing to show yet, and what to do about it.
#[component]
pub fn EmptyState(title: Msg, hint: Msg) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="status empty">
            <h2>{move || t(lang.get(), title)}</h2>
            <p>{move || t(lang.get(), hint)}</p>
        </div>
    }
}
