//! The top bar: product name, link home, the workspace switcher, who is
//! signed in with a sign-out button, and the language switch.

use crate::app::{localized, use_lang};
use crate::i18n::{Msg, t};
use analytics::Lang;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};

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
            <a href=move || localized("/", lang.get()) class="brand">
                <img src="/favicon.svg" alt="" width="28" height="28"/>
                <span>{move || t(lang.get(), Msg::AppTitle)}</span>
            </a>
            <span class="tagline">{move || t(lang.get(), Msg::AppTagline)}</span>
            <Account/>
            <A href=switch_href attr:class="lang-switch" attr:hreflang=move || other().tag()>
                {move || t(lang.get(), Msg::SwitchLanguage)}
            </A>
        </header>
    }
}

/// The signed-in person: the workspace switcher (the choice goes in the
/// URL, `/?ws=slug`, so links reproduce the view) and a sign-out button (a
/// `DELETE` request, never a link a crawler could follow).
#[component]
fn Account() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let me = LocalResource::new(crate::api::me);
    let navigate = use_navigate();
    let switch = move |ev: leptos::ev::Event| {
        let slug = event_target_value(&ev);
        let encoded: String = js_sys::encode_uri_component(&slug).into();
        navigate(
            &format!("/?ws={encoded}&lang={}", lang.get_untracked().tag()),
            Default::default(),
        );
    };
    view! {
        {move || me.get().and_then(Result::ok).map(|me| {
            let chosen = query.get().get("ws").unwrap_or_default();
            let options = me
                .workspaces
                .iter()
                .map(|w| {
                    let selected = w.slug == chosen;
                    view! { <option value=w.slug.clone() selected=selected>{w.name.clone()}</option> }
                })
                .collect_view();
            view! {
                <div class="account">
                    <label class="workspace-switch">
                        <span>{move || t(lang.get(), Msg::WorkspaceLabel)}</span>
                        <select on:change=switch.clone()>{options}</select>
                    </label>
                    // The reports' own module (`app::app::ReportsApp`): a page load.
                    <a href=move || localized("/reports", lang.get()) class="reports-link" rel="external">
                        {move || t(lang.get(), Msg::Reports)}
                    </a>
                    <span class="who" title=me.email.clone()>{me.name.clone()}</span>
                    // A page without WebAssembly (members, keys, password).
                    <a class="settings-link" rel="external"
                        href=move || format!("/settings?lang={}{}", lang.get().tag(), if chosen.is_empty() { String::new() } else { format!("&ws={chosen}") })>
                        {move || t(lang.get(), Msg::Settings)}
                    </a>
                    <button type="button" class="sign-out" on:click=move |_| crate::session::sign_out()>
                        {move || t(lang.get(), Msg::SignOut)}
                    </button>
                </div>
            }
        })}
    }
}
