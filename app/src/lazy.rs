//! Route-level code splitting: every page but the campaign list is a lazy
//! route whose view lives in its own WebAssembly chunk, fetched when the
//! router first needs it (the build's wasm-split step cuts the module at the
//! functions marked here; `server/build.rs` preloads an entry page's chunks
//! from its HTML).
//!
//! Without the `split` feature the same routes are built into one module —
//! the same router, the same pages, no chunks — so a splitting regression
//! can be bisected against an unsplit build (`WOM_UNSPLIT=1`).
//!
//! A chunk that cannot be fetched (a tab left open across an upgrade asks
//! for a file the new release no longer has, or the connection dropped)
//! becomes [`ChunkMissing`], shown as an error with a Reload button: the
//! loader is *fallible*, so the failure never panics the whole app.

use crate::app::use_lang;
use crate::i18n::{Msg, t};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

/// A page's code could not be loaded.
#[derive(Debug, Clone, Copy)]
pub struct ChunkMissing;

impl From<leptos::wasm_split::SplitLoaderError> for ChunkMissing {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkMissing
    }
}

/// What a page shows instead of itself when its chunk is missing.
#[component]
pub fn ChunkMissingPanel() -> impl IntoView {
    let lang = use_lang();
    let reload = |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    };
    view! {
        <div class="status error chunk-missing" role="alert">
            <h2>{move || t(lang.get(), Msg::AppUpdated)}</h2>
            <p>{move || t(lang.get(), Msg::AppUpdatedHint)}</p>
            <button type="button" on:click=reload>{move || t(lang.get(), Msg::Reload)}</button>
        </div>
    }
}

/// Declares a lazy route `$route` whose view is `$page`, split into the
/// chunk `$split` (the name `server/build/pages.rs` maps to the page's URLs).
/// `$reads` names what the page reads first, from the route's parameters:
/// the router asks for it before it fetches the chunk, so the API answers
/// while the page's code is on its way ([`crate::api::start_early`]).
macro_rules! lazy_page {
    ($(#[$doc:meta])* $route:ident, $split:ident, $page:path, reads = $reads:path) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $route;

        impl leptos_router::LazyRoute for $route {
            fn data() -> Self {
                use leptos::prelude::GetUntracked;
                let params = leptos_router::hooks::use_params_map().get_untracked();
                $crate::api::start_early($reads(&params));
                $route
            }

            async fn view(_: Self) -> leptos::prelude::AnyView {
                use leptos::prelude::*;
                match $split().await {
                    Ok(view) => view,
                    Err($crate::lazy::ChunkMissing) => {
                        view! { <$crate::lazy::ChunkMissingPanel/> }.into_any()
                    }
                }
            }
        }

        $crate::lazy::lazy_part!($split, fn $split() {
            use $page as Page;
            view! { <Page/> }.into_any()
        });
    };
}

/// Declares `$name`, a part of a page split into the chunk `$split`: the
/// page draws first, and the part when its chunk has arrived (fetched while
/// the page's data is on its way). Awaited in either build.
macro_rules! lazy_part {
    ($(#[$doc:meta])* $split:ident, $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $body:block) => {
        $(#[$doc])*
        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split($split, wasm_split_path = ::leptos::wasm_split, fallible)]
        $vis fn $name($($arg: $ty),*) -> Result<leptos::prelude::AnyView, $crate::lazy::ChunkMissing> {
            Ok($body)
        }

        $(#[$doc])*
        #[cfg(not(feature = "split"))]
        $vis async fn $name($($arg: $ty),*) -> Result<leptos::prelude::AnyView, $crate::lazy::ChunkMissing> {
            Ok($body)
        }
    };
}
pub(crate) use lazy_part;

/// The part `load` resolves to, with a placeholder while its chunk is on
/// its way and the Reload message if it cannot be fetched.
pub fn deferred(
    load: impl std::future::Future<Output = Result<AnyView, ChunkMissing>> + Send + 'static,
) -> AnyView {
    deferred_boxed(Box::pin(load))
}

/// [`deferred`] with nothing in its place while its chunk is on its way:
/// for a button beside what is already drawn.
pub fn deferred_quiet(
    load: impl std::future::Future<Output = Result<AnyView, ChunkMissing>> + Send + 'static,
) -> AnyView {
    let load: PartLoad = Box::pin(load);
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move { load.await.unwrap_or_else(|ChunkMissing| ().into_any()) })}
        </Suspense>
    }
    .into_any()
}

/// A part being loaded (one type, so the suspense around parts is one
/// piece of code however many parts a page has).
type PartLoad =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<AnyView, ChunkMissing>> + Send>>;

fn deferred_boxed(load: PartLoad) -> AnyView {
    view! {
        <Suspense fallback=|| view! { <crate::components::status::Loading/> }>
            {Suspend::new(async move {
                match load.await {
                    Ok(part) => part,
                    Err(ChunkMissing) => view! { <ChunkMissingPanel/> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

lazy_part!(
    /// The overview's filters (dates, channels), after the first draw.
    overview_panels,
    pub fn filter_bar(
        campaign: analytics::wire::Campaign,
        filter: Memo<(analytics::selection::Filter, Vec<analytics::selection::BadParam>)>,
    ) {
        use crate::components::filters::FilterBar;
        view! { <FilterBar campaign filter/> }.into_any()
    }
);

lazy_part!(
    /// The tools above the KPI cards, after the first draw: a report of
    /// this view, and the cards' CSV.
    overview_panels,
    pub fn kpi_tools(campaign: i64, cards: Vec<analytics::overview::KpiCard>) {
        use crate::components::export::{CsvButton, Table};
        use crate::pages::campaign_overview::ReportLink;
        view! {
            <ReportLink campaign/>
            <CsvButton name="key-figures" table=move || Table::Kpis(cards.clone())/>
        }
        .into_any()
    }
);

lazy_part!(
    /// The overview's trends by channel (below its first chart).
    overview_panels,
    pub fn trends_panel(
        summary: analytics::wire::CampaignSummary,
        days: std::sync::Arc<Vec<analytics::wire::ChannelDay>>,
        filter: Memo<(analytics::selection::Filter, Vec<analytics::selection::BadParam>)>,
    ) {
        use crate::components::trends::TrendsPanel;
        view! { <TrendsPanel summary days filter/> }.into_any()
    }
);
lazy_part!(
    /// The overview's reach panel: owned, paid and earned, and the accounts.
    overview_panels,
    pub fn reach_panel(
        campaign: i64,
        sketches: std::sync::Arc<Vec<analytics::hll::DaySketch>>,
        filter: Memo<(analytics::selection::Filter, Vec<analytics::selection::BadParam>)>,
    ) {
        use crate::components::reach_panel::ReachPanelFor;
        view! { <ReachPanelFor campaign sketches filter/> }.into_any()
    }
);
lazy_part!(
    /// The overview's fan-conversion funnel.
    overview_panels,
    pub fn funnel_panel(
        campaign: i64,
        filter: Memo<(analytics::selection::Filter, Vec<analytics::selection::BadParam>)>,
        exclude: Memo<bool>,
    ) {
        use crate::components::funnel::FunnelPanelFor;
        view! { <FunnelPanelFor campaign filter exclude/> }.into_any()
    }
);

lazy_page!(
    /// `/campaigns/:id`: a campaign's key figures, reach, trends and funnel.
    OverviewRoute,
    overview,
    crate::pages::campaign_overview::CampaignOverview,
    reads = crate::api::overview_reads
);
lazy_page!(
    /// `/compare`: two campaigns side by side.
    CompareRoute,
    compare,
    crate::pages::compare::Compare,
    reads = crate::api::no_reads
);
lazy_page!(
    /// `/campaigns/:id/cascades`: the cascade table.
    CascadesRoute,
    cascades,
    crate::pages::cascades::Cascades,
    reads = crate::api::campaign_reads
);
lazy_page!(
    /// `/campaigns/:id/cascades/:root`: one propagation tree, drawn.
    ExplorerRoute,
    explorer,
    crate::pages::explorer::Explorer,
    reads = crate::api::explorer_reads
);
lazy_page!(
    /// `/campaigns/:id/listening`: mentions, sentiment and spikes.
    ListeningRoute,
    listening,
    crate::pages::listening::Listening,
    reads = crate::api::campaign_reads
);

/// Draws a chart into a file and saves it: the export code is its own
/// chunk, fetched on the first download (`crate::components::export_files`).
#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(export, wasm_split_path = ::leptos::wasm_split, fallible)
)]
pub fn save_chart(file: crate::components::export::ChartFile) -> Result<Saving, ChunkMissing> {
    Ok(Box::pin(crate::components::export_files::save(file)))
}

/// A chart being drawn into a file and saved, in the export chunk.
pub type Saving = std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), String>>>>;

/// Writes a table as CSV and saves it, from the same chunk.
#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(export, wasm_split_path = ::leptos::wasm_split, fallible)
)]
pub fn save_table(
    file: crate::components::export::TableFile,
) -> Result<Result<(), String>, ChunkMissing> {
    Ok(crate::components::export_files::save_table(file))
}

/// A computation of the engine, started in the explorer's chunk.
pub type EngineRun = std::pin::Pin<Box<dyn std::future::Future<Output = Result<JsValue, JsValue>>>>;

/// The engine's JavaScript entry points (`wasmBindings.engine_layout`,
/// `engine_tree_layout`) run in the explorer's chunk (which draws trees
/// with the same engine): these start it there, so the main module holds
/// only their wrappers. (A chunk of its own would cut every page's shared
/// code into more, smaller files: see BENCHMARKS.md.)
#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(explorer, wasm_split_path = ::leptos::wasm_split, fallible)
)]
pub fn start_engine_layout(
    parent: js_sys::Int32Array,
    on_progress: Option<js_sys::Function>,
) -> Result<EngineRun, ChunkMissing> {
    Ok(Box::pin(crate::engine::layout(parent, on_progress)))
}

/// The engine on the calling thread (see [`start_engine_layout`]).
#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(explorer, wasm_split_path = ::leptos::wasm_split, fallible)
)]
pub fn engine_tree_layout(parent: Vec<i32>) -> Result<Result<JsValue, String>, ChunkMissing> {
    Ok(crate::engine::compute(&parent, |_| {})
        .map(|computed| crate::engine::result_message(&computed).0.into()))
}
