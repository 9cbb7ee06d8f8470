//! The top bar: product name, link home, and the language switch.

use crate::app::{localized, use_lang};
use crate::i18n::{Msg, t};
use analytics::Lang;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_query_map};

#[component]
pub fn Header() -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    let other = move || match lang.get() {
        Lang::En => Lang::Zh,
        Lang::Zh => Lang::En,
    };
    // The same view in the other language: every other query parameter kept.
    let query = use_query_map();
    let switch_href = move || {
        let mut q = query.get();
        q.replace("lang", other().tag().to_string());
        format!("{}{}", location.pathname.get(), q.to_query_string())
    };
    view! {
        <header class="topbar">
            // A page load, not a client-side route: the word-of-mouth bundle
            // has no campaign list.
            <a href=move || localized("/", lang.get()) class="brand" rel="external">
                <img src="/favicon.svg" alt="" width="28" height="28"/>
                <span>{move || t(lang.get(), Msg::AppTitle)}</span>
            </a>
            <span class="tagline">{move || t(lang.get(), Msg::AppTagline)}</span>
            <A href=switch_href attr:class="lang-switch" attr:hreflang=move || other().tag()>
                {move || t(lang.get(), Msg::SwitchLanguage)}
            </A>
        </header>
    }
}
