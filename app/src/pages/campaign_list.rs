//! `/?ws=slug`: one workspace's campaigns, grouped by client brand (the
//! first workspace the person may read when the URL names none).

use crate::api;
use crate::app::{localized, use_lang};
use crate::components::status::{EmptyState, ErrorPanel, Loading};
use crate::i18n::{Msg, channel_name, t};
use analytics::date::Date;
use analytics::format;
use analytics::wire::Campaign;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CampaignList() -> impl IntoView {
    let campaigns = LocalResource::new(api::campaigns);
    let query = use_query_map();
    view! {
        {move || match campaigns.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(failure)) => {
                view! { <ErrorPanel failure on_retry=move || campaigns.refetch()/> }.into_any()
            }
            Some(Ok(list)) if list.is_empty() => {
                view! { <EmptyState title=Msg::NoCampaigns hint=Msg::NoCampaignsHint/> }.into_any()
            }
            Some(Ok(list)) => {
                let ws = query.get().get("ws");
                view! { <Workspace campaigns=in_workspace(list, ws.as_deref())/> }.into_any()
            }
        }}
    }
}

/// The campaigns of workspace `ws` (the first listed when `None` or when
/// the person may read none of that workspace's).
fn in_workspace(campaigns: Vec<Campaign>, ws: Option<&str>) -> Vec<Campaign> {
    let known = ws.filter(|w| campaigns.iter().any(|c| c.workspace.slug == *w));
    let Some(slug) = known
        .map(str::to_string)
        .or_else(|| campaigns.first().map(|c| c.workspace.slug.clone()))
    else {
        return campaigns;
    };
    campaigns
        .into_iter()
        .filter(|c| c.workspace.slug == slug)
        .collect()
}

/// Campaigns by brand, in the order the API lists them.
fn by_brand(campaigns: Vec<Campaign>) -> Vec<(Campaign, Vec<Campaign>)> {
    let mut groups: Vec<(Campaign, Vec<Campaign>)> = Vec::new();
    for c in campaigns {
        match groups
            .iter_mut()
            .find(|(head, _)| head.brand.id == c.brand.id)
        {
            Some((_, list)) => list.push(c),
            None => groups.push((c.clone(), vec![c])),
        }
    }
    groups
}

#[component]
fn Workspace(campaigns: Vec<Campaign>) -> impl IntoView {
    let lang = use_lang();
    let workspace = campaigns
        .first()
        .map(|c| c.workspace.name.clone())
        .unwrap_or_default();
    view! {
        <h1 class="workspace-name">{workspace}</h1>
        <h2 class="section-title">{move || t(lang.get(), Msg::Campaigns)}</h2>
        {by_brand(campaigns)
            .into_iter()
            .map(|(head, list)| {
                let competitor = head.brand.competitor;
                view! {
                    <section class="brand" aria-label=head.brand.name.clone()>
                        <h3>
                            {head.brand.name.clone()}
                            {competitor.then(|| view! { <span class="tag">{move || t(lang.get(), Msg::Competitor)}</span> })}
                        </h3>
                        <ul class="campaign-cards">
                            {list.into_iter().map(|c| view! { <CampaignCard campaign=c/> }).collect_view()}
                        </ul>
                    </section>
                }
            })
            .collect_view()}
    }
}

#[component]
fn CampaignCard(campaign: Campaign) -> impl IntoView {
    let lang = use_lang();
    let id = campaign.id;
    let dates = (
        Date::parse(&campaign.start_date),
        Date::parse(&campaign.end_date),
    );
    let channels = campaign.channels.clone();
    let budget = campaign.budget_cents;
    let currency = campaign.currency.clone();
    view! {
        <li class="campaign-card">
            <A href=move || localized(&format!("/campaigns/{id}"), lang.get())>
                <span class="campaign-name">{campaign.name.clone()}</span>
            </A>
            <p class="dates">
                {move || match dates {
                    (Some(a), Some(b)) => format::date_range(a, b, lang.get()),
                    _ => String::new(),
                }}
            </p>
            <p class="channels">
                {channels
                    .into_iter()
                    .map(|ch| view! { <span class=format!("chip ch-{}", ch.as_str())>{move || channel_name(lang.get(), ch)}</span> })
                    .collect_view()}
            </p>
            <p class="budget">
                {move || match budget {
                    Some(b) => format!("{} {}", t(lang.get(), Msg::Budget), format::money_compact(b, &currency, lang.get())),
                    None => t(lang.get(), Msg::NoBudget).to_string(),
                }}
            </p>
        </li>
    }
}
