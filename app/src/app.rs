//! The app shell: routes, the language in force, and the page frame.

use crate::components::header::Header;
use crate::lazy::{CascadesRoute, CompareRoute, ExplorerRoute, ListeningRoute, OverviewRoute};
use crate::pages::campaign_list::CampaignList;
use crate::pages::not_found::{Elsewhere, NotFound, leave_by_links_to_the_dashboard};
use crate::pages::report_builder::ReportBuilder;
use crate::pages::reports::Reports;
use analytics::Lang;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::{Lazy, path};

/// The language of the page, provided to every component.
#[derive(Debug, Clone, Copy)]
pub struct UiLang(pub Memo<Lang>);

/// The language in force: `use_context` of [`UiLang`], English if absent.
pub fn use_lang() -> Memo<Lang> {
    use_context::<UiLang>()
        .map(|l| l.0)
        .unwrap_or_else(|| Memo::new(|_| Lang::En))
}

/// `path` with the current language kept in its query, so links preserve it.
pub fn localized(path: &str, lang: Lang) -> String {
    format!("{path}?lang={}", lang.tag())
}

/// A setter of one query parameter of the current page (removed with
/// `None`), keeping every other one: view state lives in the URL, so a copied
/// link reproduces the view.
pub fn use_set_query() -> impl Fn(&str, Option<String>) + Clone {
    let set = use_set_queries();
    move |key, value| set(&[(key, value)])
}

/// A setter of several query parameters at once (one history entry).
pub fn use_set_queries() -> impl Fn(&[(&str, Option<String>)]) + Clone {
    let query = use_query_map();
    let navigate = use_navigate();
    move |changes| {
        let mut q = query.get_untracked();
        for (key, value) in changes {
            match value {
                Some(v) => q.replace(key.to_string(), v.clone()),
                None => {
                    q.remove(key);
                }
            }
        }
        let path = web_sys::window()
            .and_then(|w| w.location().pathname().ok())
            .unwrap_or_default();
        navigate(
            &format!("{path}{}", q.to_query_string()),
            Default::default(),
        );
    }
}

/// Fetches with `key`'s current value until the key did not change while
/// the request was out: when the view changes twice quickly, two requests
/// overlap and may answer in either order, and the later view must win.
pub async fn fetch_latest<K, T, Fut>(key: Memo<K>, fetch: impl Fn(K) -> Fut) -> T
where
    K: Clone + PartialEq + Send + Sync + 'static,
    Fut: std::future::Future<Output = T>,
{
    loop {
        let asked = key.get_untracked();
        let answer = fetch(asked.clone()).await;
        if key.get_untracked() == asked {
            return answer;
        }
    }
}

/// The dashboard: one single-page app over every page. The campaign list is
/// in the main module; every other page is a lazy route whose code is its
/// own chunk (`crate::lazy`), fetched the first time it is opened.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Shell/>
        </Router>
    }
}

/// Everything inside the router: the language context, header and pages.
#[component]
fn Shell() -> impl IntoView {
    provide_lang();
    view! {
        <Header/>
        <main class="page">
            <Routes fallback=NotFound>
                <Route path=path!("/") view=CampaignList/>
                <Route path=path!("/campaigns/:id") view={Lazy::<OverviewRoute>::new()}/>
                <Route path=path!("/campaigns/:id/cascades") view={Lazy::<CascadesRoute>::new()}/>
                <Route path=path!("/campaigns/:id/cascades/:root") view={Lazy::<ExplorerRoute>::new()}/>
                <Route path=path!("/campaigns/:id/listening") view={Lazy::<ListeningRoute>::new()}/>
                <Route path=path!("/compare") view={Lazy::<CompareRoute>::new()}/>
            </Routes>
        </main>
    }
}

/// The reports: the saved reports and a report's builder, a module of their
/// own (`src/bin/reports.rs`) whose pages link to the dashboard's with a
/// page load (and the dashboard's to them, `rel="external"`). In the
/// dashboard's module the builder's code would be shared with every page's
/// chunks, cutting each page's first load into more, smaller pieces.
#[component]
pub fn ReportsApp() -> impl IntoView {
    view! {
        <Router>
            <ReportsShell/>
        </Router>
    }
}

#[component]
fn ReportsShell() -> impl IntoView {
    provide_lang();
    leave_by_links_to_the_dashboard();
    view! {
        <Header/>
        <main class="page">
            <Routes fallback=Elsewhere>
                <Route path=path!("/reports") view=Reports/>
                <Route path=path!("/reports/:id") view=ReportBuilder/>
            </Routes>
        </main>
    }
}

/// The language of the page (the URL's, else the browser's), provided to
/// every component and set on `<html lang>`.
fn provide_lang() {
    let query = use_query_map();
    let lang = Memo::new(move |_| {
        query
            .read()
            .get("lang")
            .and_then(|tag| Lang::from_tag(&tag))
            .or_else(browser_lang)
            .unwrap_or_default()
    });
    provide_context(UiLang(lang));
    Effect::new(move |_| {
        let tag = lang.get().tag();
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", tag);
        }
    });
}

fn browser_lang() -> Option<Lang> {
    web_sys::window()?
        .navigator()
        .language()
        .and_then(|tag| Lang::from_tag(&tag))
}
