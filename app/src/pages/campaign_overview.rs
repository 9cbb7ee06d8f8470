//! `/campaigns/:id`: a campaign's KPI cards and reach over time.

use crate::api;
use crate::app::{localized, use_lang, use_set_query};
use crate::components::funnel::FunnelPanel;
use crate::components::kpi_cards::KpiCards;
use crate::components::reach_chart::ReachChart;
use crate::components::status::{EmptyState, ErrorPanel, Loading};
use crate::error::ApiFailure;
use crate::i18n::{Msg, channel_name, t};
use analytics::date::Date;
use analytics::format;
use analytics::overview::{self, ChartText, ReachSeriesNames};
use analytics::wire::CampaignSummary;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn CampaignOverview() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let summary = LocalResource::new(move || {
        let raw = id.get();
        async move {
            match raw.parse::<i64>() {
                Ok(id) if id > 0 => api::campaign_summary(id).await,
                _ => Err(ApiFailure::Status {
                    status: 404,
                    message: format!("{raw:?} is not a campaign id"),
                }),
            }
        }
    });
    view! {
        <nav class="breadcrumb">
            <A href=move || localized("/", lang.get())>{move || format!("← {}", t(lang.get(), Msg::BackToCampaigns))}</A>
        </nav>
        {move || match summary.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(failure)) => view! { <ErrorPanel failure on_retry=move || summary.refetch()/> }.into_any(),
            Some(Ok(s)) => view! { <Overview summary=s/> }.into_any(),
        }}
    }
}

/// Whether the view leaves out suspected fake accounts: `?fakes=exclude`,
/// kept in the URL so a shared link shows the same figures.
fn use_exclude_suspects() -> Memo<bool> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get("fakes").as_deref() == Some("exclude"))
}

#[component]
fn Overview(summary: CampaignSummary) -> impl IntoView {
    let lang = use_lang();
    let exclude = use_exclude_suspects();
    let set_query = use_set_query();
    let toggle = move |_| {
        let on = !exclude.get_untracked();
        set_query("fakes", on.then(|| "exclude".to_string()));
    };
    let campaign_id = summary.campaign.id;
    let funnel = LocalResource::new(move || api::campaign_funnel(campaign_id));
    let share = overview::suspect_fan_share(&summary);
    let cards_of = summary.clone();
    let cards = Memo::new(move |_| overview::kpi_cards(&cards_of, exclude.get()));
    let c = summary.campaign.clone();
    let dates = (Date::parse(&c.start_date), Date::parse(&c.end_date));
    let has_exposures = summary.kpis.impressions > 0;
    let chart = Signal::derive(move || {
        let l = lang.get();
        overview::reach_over_time(
            &summary,
            exclude.get(),
            ChartText {
                title: t(l, Msg::ReachChartTitle).into(),
                x_label: t(l, Msg::ChartAxisDate).into(),
                y_label: t(l, Msg::ChartAxisPeople).into(),
            },
            ReachSeriesNames {
                unique_reach: t(l, Msg::SeriesUniqueReach).into(),
                impressions: t(l, Msg::SeriesImpressions).into(),
            },
            l,
        )
    });
    let channels = c.channels.clone();
    view! {
        <header class="campaign-head">
            <h1>{c.name.clone()}</h1>
            <p class="meta">
                <span class="brand-name">{c.brand.name.clone()}</span>
                " · "
                <span>
                    {move || match dates {
                        (Some(a), Some(b)) => format::date_range(a, b, lang.get()),
                        _ => String::new(),
                    }}
                </span>
                " · "
                {channels
                    .into_iter()
                    .map(|ch| view! { <span class=format!("chip ch-{}", ch.as_str())>{move || channel_name(lang.get(), ch)}</span> })
                    .collect_view()}
            </p>
        </header>
        <section class="suspects" aria-label=move || t(lang.get(), Msg::ExcludeSuspects)>
            <label class="switch">
                <input type="checkbox" prop:checked=move || exclude.get() on:change=toggle/>
                <span>{move || t(lang.get(), Msg::ExcludeSuspects)}</span>
            </label>
            {share.map(|s| view! {
                <span class="suspect-share" data-share=s.to_string()>
                    <strong>{format::percent(s)}</strong>
                    " "
                    {move || t(lang.get(), Msg::SuspectFansShare)}
                </span>
            })}
            <p class="footnote">{move || t(lang.get(), Msg::SuspectSignals)}</p>
        </section>
        {move || view! { <KpiCards cards=cards.get()/> }}
        <section class="panel">
            {if has_exposures {
                view! { <ReachChart chart/> }.into_any()
            } else {
                view! { <EmptyState title=Msg::ReachChartTitle hint=Msg::ChartEmpty/> }.into_any()
            }}
            <p class="footnote">{move || t(lang.get(), Msg::DataSource)}</p>
        </section>
        {move || match funnel.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(failure)) => view! { <ErrorPanel failure on_retry=move || funnel.refetch()/> }.into_any(),
            Some(Ok(rows)) => view! { <FunnelPanel rows exclude/> }.into_any(),
        }}
    }
}
