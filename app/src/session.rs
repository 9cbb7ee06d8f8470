//! The way to the sign-in page and back. Signing in itself happens on
//! `/sign-in` (`app/sign-in.html` and `sign-in.js`: a page without
//! WebAssembly, so neither bundle carries it), which also exchanges a
//! one-time link's secret (`#signin=…`) for a session.

/// The path of the sign-in page.
pub const SIGN_IN_PATH: &str = "/sign-in";

fn location() -> Option<web_sys::Location> {
    web_sys::window().map(|w| w.location())
}

/// A full page load of `url`.
fn go(url: &str) {
    if let Some(l) = location() {
        let _ = l.assign(url);
    }
}

/// The current URL's `lang` parameter as a query fragment (`lang=zh-CN&`).
fn lang_param() -> String {
    let search = location().and_then(|l| l.search().ok()).unwrap_or_default();
    search
        .trim_start_matches('?')
        .split('&')
        .find(|p| p.starts_with("lang="))
        .map(|p| format!("{p}&"))
        .unwrap_or_default()
}

/// To the sign-in page, remembering the current view, to come back to it.
pub fn to_sign_in() {
    let Some(l) = location() else { return };
    let here = format!(
        "{}{}",
        l.pathname().unwrap_or_default(),
        l.search().unwrap_or_default()
    );
    let next: String = js_sys::encode_uri_component(&here).into();
    go(&format!("{SIGN_IN_PATH}?{}next={next}", lang_param()));
}

/// Signs out (the server ends the session and clears the cookie), then to
/// the sign-in page.
pub fn sign_out() {
    leptos::task::spawn_local(async {
        let _ = crate::api::sign_out().await;
        go(&format!("{SIGN_IN_PATH}?{}", lang_param()));
    });
}
