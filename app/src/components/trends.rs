//! Trends by channel: one line per channel of a daily figure chosen in the
//! URL (`?trend=impressions`), over the filter's days and channels.

use crate::app::{use_lang, use_set_query};
use crate::components::chart::ChartCanvas;
use crate::i18n::{Msg, kpi_label, t, trend_kpi};
use analytics::overview::TrendMetric;
use analytics::selection::{BadParam, Filter};
use analytics::wire::{CampaignSummary, ChannelDay};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use report::labelled;
use std::sync::Arc;

#[component]
pub fn TrendsPanel(
    summary: CampaignSummary,
    days: Arc<Vec<ChannelDay>>,
    filter: Memo<(Filter, Vec<BadParam>)>,
) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let set_query = use_set_query();
    let metric = Memo::new(move |_| {
        query
            .read()
            .get("trend")
            .and_then(|m| TrendMetric::parse(&m))
            .unwrap_or(TrendMetric::Impressions)
    });
    let pick = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        set_query("trend", (v != TrendMetric::Impressions.id()).then_some(v));
    };
    let chart = Signal::derive(move || {
        let l = lang.get();
        let m = metric.get();
        filter.with(|(f, _)| labelled::trends_chart(&summary, &days, f, m, l))
    });
    view! {
        <section class="panel trends" aria-labelledby="trends-title">
            <div class="panel-head">
                <h2 id="trends-title">{move || t(lang.get(), Msg::TrendsTitle)}</h2>
                <label class="window">
                    <span>{move || t(lang.get(), Msg::TrendFigure)}</span>
                    <select name="trend" on:change=pick prop:value=move || metric.get().id()>
                        {TrendMetric::ALL
                            .iter()
                            .map(|&m| view! {
                                <option value=m.id()>{move || kpi_label(lang.get(), trend_kpi(m))}</option>
                            })
                            .collect_view()}
                    </select>
                </label>
            </div>
            <ChartCanvas chart name="trends"/>
        </section>
    }
}
