//! Any address the router does not know, and one another module draws.

use crate::components::status::EmptyState;
use crate::i18n::Msg;
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

#[component]
pub fn NotFound() -> impl IntoView {
    view! { <EmptyState title=Msg::PageNotFound hint=Msg::PageNotFoundHint/> }
}

/// An address of the other module (the dashboard's, seen from the reports')
/// reached other than by a click on a link: the page is loaded afresh
/// there, in place of the history entry the router has just made. An
/// address the server gives this module itself (`/reports`, `/reports/x`,
/// `server/src/http/assets.rs`) is not found here, not loaded again.
#[component]
pub fn Elsewhere() -> impl IntoView {
    // The router's address: the window's may not have changed yet.
    let at = use_location();
    let path = at.pathname.get_untracked();
    if is_reports_page(&path) {
        return view! { <NotFound/> }.into_any();
    }
    let (search, hash) = (at.search.get_untracked(), at.hash.get_untracked());
    let mut href = path;
    if !search.is_empty() {
        href.push('?');
        href.push_str(&search);
    }
    if !hash.is_empty() && !hash.starts_with('#') {
        href.push('#');
    }
    href.push_str(&hash);
    // After the router has written its entry, which the load replaces.
    set_timeout(
        move || {
            if let Some(w) = web_sys::window() {
                let _ = w.location().replace(&href);
            }
        },
        std::time::Duration::ZERO,
    );
    ().into_any()
}

/// Whether the server gives `path` to the reports' module (as
/// `server/src/http/assets.rs` does: `/reports` and `/reports/x`).
fn is_reports_page(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    parts.first() == Some(&"reports") && parts.len() <= 2
}

/// In the reports' module: a plain click on a link to one of the
/// dashboard's pages loads that page, before the router would route it
/// itself to a page this module does not have (the router leaves a click
/// whose default is prevented alone; a click with a modifier, a download
/// or another window's link keeps its default).
pub fn leave_by_links_to_the_dashboard() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(|ev: web_sys::MouseEvent| {
        if ev.default_prevented()
            || ev.button() != 0
            || ev.meta_key()
            || ev.alt_key()
            || ev.ctrl_key()
            || ev.shift_key()
        {
            return;
        }
        let Some(link) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        else {
            return;
        };
        let Some(location) = web_sys::window().map(|w| w.location()) else {
            return;
        };
        let same_origin = location.origin().ok() == Some(link.origin());
        if !same_origin
            || !link.target().is_empty()
            || link.has_attribute("download")
            || is_reports_page(&link.pathname())
        {
            return;
        }
        ev.prevent_default();
        let _ = location.assign(&link.href());
    });
    let _ = window.add_event_listener_with_callback_and_bool(
        "click",
        on_click.as_ref().unchecked_ref(),
        true,
    );
    on_click.forget();
}
