//! Downloads, as a page asks for them: a chart as PNG (twice the screen's
//! pixels) or SVG, a table as CSV. A page says what its downloads are
//! about ([`provide_export_subject`]) and hands over the chart or the table's
//! data; everything that writes a file — the caption and the file name, the
//! table's columns, the drawing and the saving — is in
//! [`super::export_files`], its own chunk (`crate::lazy::save_chart`,
//! `save_table`) fetched on the first download.

use crate::i18n::{Msg, t};
use analytics::Lang;
use analytics::funnel::FunnelCounts;
use analytics::overview::KpiCard;
use analytics::reach::AccountReach;
use analytics::selection::Filter;
use analytics::wire::{Campaign, CascadeSummary, MentionDrivers};
use charts::export::AnyChart;
use leptos::prelude::*;

/// What a page's downloads are about.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Subject {
    #[default]
    Unknown,
    /// A campaign, with the view's filter where it has one.
    Campaign {
        campaign: Campaign,
        filter: Option<Filter>,
    },
    /// One cascade in the explorer.
    Cascade {
        handle: String,
        root: String,
        excluded: bool,
    },
}

/// Says what the page's downloads are about.
pub fn provide_export_subject(subject: Signal<Subject>) {
    provide_context(subject);
}

/// What the enclosing page says its downloads are about (read when a
/// download starts); unknown where the page says nothing.
pub fn use_export_subject() -> Signal<Subject> {
    use_context::<Signal<Subject>>().unwrap_or_default()
}

/// The picture formats a chart downloads as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Png,
    Svg,
}

/// One chart to save: the spec, what it is about, its name on the page and
/// the size it has there (CSS pixels).
#[derive(Debug, Clone)]
pub struct ChartFile {
    pub chart: AnyChart,
    pub subject: Subject,
    pub name: &'static str,
    pub size: (u32, u32),
    pub format: Format,
    pub root_font_px: f64,
    pub lang: Lang,
}

/// A table's data, as the page shows it; its columns are written by
/// `export_files::Table::csv`.
#[derive(Debug, Clone)]
pub enum Table {
    /// The KPI cards, as the page shows them.
    Kpis(Vec<KpiCard>),
    Accounts(Vec<AccountReach>),
    FunnelSteps(FunnelCounts),
    /// A page of the cascade table, with the workspace's UTC offset.
    Cascades(Vec<CascadeSummary>, i32),
    /// A spike's drivers, with the workspace's UTC offset.
    Drivers(MentionDrivers, i32),
}

impl Table {
    /// Its name in file names and in the page (`data-table`).
    pub fn name(&self) -> &'static str {
        match self {
            Table::Kpis(_) => "key-figures",
            Table::Accounts(_) => "accounts",
            Table::FunnelSteps(_) => "funnel",
            Table::Cascades(..) => "cascades",
            Table::Drivers(..) => "spike-drivers",
        }
    }
}

/// One table to save as CSV.
#[derive(Debug, Clone)]
pub struct TableFile {
    pub table: Table,
    pub subject: Subject,
    pub lang: Lang,
}

/// What a download that did not happen says: its reason, or that the
/// app's code has changed (the export chunk could not be fetched).
pub fn failure(
    saved: Result<Result<(), String>, crate::lazy::ChunkMissing>,
    l: Lang,
) -> Option<String> {
    match saved {
        Ok(Ok(())) => None,
        Ok(Err(e)) => Some(e),
        Err(crate::lazy::ChunkMissing) => Some(t(l, Msg::AppUpdatedHint).to_string()),
    }
}

/// A "CSV" button that saves the table `table` gives when clicked.
#[component]
pub fn CsvButton<T>(name: &'static str, table: T) -> impl IntoView
where
    T: Fn() -> Table + 'static,
{
    let lang = crate::app::use_lang();
    let subject = use_export_subject();
    let error = RwSignal::new(None::<String>);
    let click = move |_| {
        let file = TableFile {
            table: table(),
            subject: subject.get_untracked(),
            lang: lang.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            let saved = crate::lazy::save_table(file);
            #[cfg(feature = "split")]
            let saved = saved.await;
            error.set(failure(saved, lang.get_untracked()));
        });
    };
    view! {
        <button type="button" class="download" data-download="csv" data-table=name
            title=move || format!("{} CSV", t(lang.get(), Msg::Download)) on:click=click>"CSV"</button>
        {move || error.get().map(|e| view! { <span class="status error" role="alert">{e}</span> })}
    }
}
