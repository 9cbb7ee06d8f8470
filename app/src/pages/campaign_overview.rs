//! `/campaigns/:id`: a campaign's overview — filters, KPI cards, reach over
//! time, trends by channel, the reach panel and the fan-conversion funnel.
//! The panels below the first chart are drawn from their own chunk
//! (`crate::lazy`), fetched while the page's data is on its way.

use crate::api;
use crate::app::{localized, use_lang, use_set_query};
use crate::components::chart::ChartCanvas;
use crate::components::export::{Subject, provide_export_subject};
use crate::components::filters::use_filter;
use crate::components::kpi_cards::KpiCards;
use crate::components::status::{EmptyState, ErrorPanel, Loading};
use crate::error::ApiFailure;
use crate::i18n::{Msg, channel_name, t};
use crate::lazy::{deferred, deferred_quiet, filter_bar, funnel_panel, reach_panel, trends_panel};
use analytics::date::Date;
use analytics::format;
use analytics::overview;
use analytics::wire::CampaignSummary;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use report::labelled;
use std::sync::Arc;

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

/// Joins two loads: both values, the first failure, or still loading.
fn both<A: Clone, B: Clone>(
    a: Option<Result<A, ApiFailure>>,
    b: Option<Result<B, ApiFailure>>,
) -> Option<Result<(A, B), ApiFailure>> {
    match (a, b) {
        (Some(Err(e)), _) | (_, Some(Err(e))) => Some(Err(e)),
        (Some(Ok(a)), Some(Ok(b))) => Some(Ok((a, b))),
        _ => None,
    }
}

#[component]
fn Overview(summary: CampaignSummary) -> impl IntoView {
    let lang = use_lang();
    let filter = use_filter();
    let exclude = Memo::new(move |_| filter.with(|(f, _)| f.exclude_suspect));
    let narrowed = Memo::new(move |_| filter.with(|(f, _)| f.is_narrowed()));
    let set_query = use_set_query();
    let toggle = move |_| {
        let on = !exclude.get_untracked();
        set_query("fakes", on.then(|| "exclude".to_string()));
    };
    let campaign_id = summary.campaign.id;
    let days =
        LocalResource::new(
            move || async move { api::campaign_days(campaign_id).await.map(Arc::new) },
        );
    let sketches = LocalResource::new(move || async move {
        api::campaign_sketches(campaign_id).await.map(Arc::new)
    });
    let for_meta = summary.campaign.clone();
    provide_export_subject(Signal::derive(move || Subject::Campaign {
        campaign: for_meta.clone(),
        filter: Some(filter.with(|(f, _)| f.clone())),
    }));
    let share = overview::suspect_fan_share(&summary);
    let c = summary.campaign.clone();
    let dates = (Date::parse(&c.start_date), Date::parse(&c.end_date));
    let has_exposures = summary.kpis.impressions > 0;
    let has_budget = c.budget_cents.is_some_and(|b| b > 0);
    let channels = c.channels.clone();
    let for_cards = summary.clone();
    let for_chart = summary.clone();
    let for_trends = summary.clone();
    // KPI cards and the reach chart need the day rows and sketches only
    // when the view is narrowed; the whole campaign comes from the summary.
    let narrowed_data = move || both(days.get(), sketches.get());
    let retry = move || {
        days.refetch();
        sketches.refetch();
    };
    let cards_view = move || {
        let f = filter.with(|(f, _)| f.clone());
        if !f.is_narrowed() {
            let cards = overview::kpi_cards(&for_cards, f.exclude_suspect);
            return view! { <KpiCards cards campaign=campaign_id/> }.into_any();
        }
        match narrowed_data() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(failure)) => view! { <ErrorPanel failure on_retry=retry/> }.into_any(),
            Some(Ok((d, s))) => {
                let cards = overview::selection_cards(&for_cards, &d, &s, &f);
                view! {
                    <KpiCards cards campaign=campaign_id/>
                    <p class="footnote estimate-note">{move || t(lang.get(), Msg::EstimateNote)}</p>
                    {has_budget.then(|| view! { <p class="footnote">{move || t(lang.get(), Msg::CostsWholeCampaign)}</p> })}
                }
                .into_any()
            }
        }
    };
    let chart_view = move || {
        if !has_exposures {
            return view! { <EmptyState title=Msg::ReachChartTitle hint=Msg::ChartEmpty/> }
                .into_any();
        }
        let (d, s) = if narrowed.get() {
            match narrowed_data() {
                None => return view! { <Loading/> }.into_any(),
                Some(Err(failure)) => {
                    return view! { <ErrorPanel failure on_retry=retry/> }.into_any();
                }
                Some(Ok(pair)) => pair,
            }
        } else {
            (Arc::default(), Arc::default())
        };
        let summary = for_chart.clone();
        let chart = Signal::derive(move || {
            let l = lang.get();
            filter.with(|(f, _)| labelled::reach_chart(&summary, &d, &s, f, l))
        });
        view! { <ChartCanvas chart name="reach"/> }.into_any()
    };
    let trends_view = move || match days.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(failure)) => {
            view! { <ErrorPanel failure on_retry=move || days.refetch()/> }.into_any()
        }
        Some(Ok(_)) if !has_exposures => {
            view! { <EmptyState title=Msg::TrendsTitle hint=Msg::ChartEmpty/> }.into_any()
        }
        Some(Ok(d)) => deferred(trends_panel(for_trends.clone(), d, filter)).into_any(),
    };
    let reach_view = move || match sketches.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(failure)) => {
            view! { <ErrorPanel failure on_retry=move || sketches.refetch()/> }.into_any()
        }
        Some(Ok(s)) => deferred(reach_panel(campaign_id, s, filter)).into_any(),
    };
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
                " · "
                <a href=move || localized(&format!("/campaigns/{campaign_id}/cascades"), lang.get())>
                    {move || t(lang.get(), Msg::WordOfMouth)}
                </a>
                " · "
                <a href=move || localized(&format!("/campaigns/{campaign_id}/listening"), lang.get())>
                    {move || t(lang.get(), Msg::Listening)}
                </a>
                " · "
                <A href=move || format!("{}&a={campaign_id}", localized("/compare", lang.get()))>
                    {move || t(lang.get(), Msg::Compare)}
                </A>
            </p>
        </header>
        // The filters come with the panels drawn after the first chart, in
        // room kept for them.
        <div class="filters-slot">{deferred_quiet(filter_bar(c.clone(), filter))}</div>
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
        {cards_view}
        <section class="panel">
            {chart_view}
            <p class="footnote">{move || t(lang.get(), Msg::DataSource)}</p>
        </section>
        {trends_view}
        {reach_view}
        {deferred(funnel_panel(campaign_id, filter, exclude))}
    }
}

/// The link to a new report of `campaign` that starts from this view's
/// filters (its query), in the reports' module: drawn after the first draw,
/// beside the KPI cards' CSV button (`crate::lazy::kpi_tools`).
#[component]
pub fn ReportLink(campaign: i64) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let href = move || {
        let q = query.read().to_query_string();
        let rest = q.strip_prefix('?').unwrap_or("");
        let sep = if rest.is_empty() { "" } else { "&" };
        format!("/reports/new?campaign={campaign}{sep}{rest}")
    };
    view! {
        <a href=href class="build-report" rel="external">
            {move || t(lang.get(), Msg::BuildReport)}
        </a>
    }
}
