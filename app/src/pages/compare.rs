//! `/compare?a=1&b=2`: two campaigns' key figures side by side, with the
//! difference, following the suspects switch (`fakes=exclude`). Both
//! campaigns are picked in the URL, so the comparison can be shared.

use crate::api;
use crate::app::{localized, use_lang, use_set_query};
use crate::components::status::{EmptyState, ErrorPanel, Loading};
use crate::error::ApiFailure;
use crate::i18n::{Msg, kpi_label, t};
use analytics::format;
use analytics::overview::{self, KpiCard};
use analytics::wire::{Campaign, CampaignSummary};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// A campaign id from the URL: `None` when absent or not an id.
fn id_param(v: Option<String>) -> Option<i64> {
    v?.parse().ok().filter(|id| *id > 0)
}

async fn summary_of(id: Option<i64>) -> Option<Result<CampaignSummary, ApiFailure>> {
    match id {
        Some(id) => Some(api::campaign_summary(id).await),
        None => None,
    }
}

#[component]
pub fn Compare() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let a = Memo::new(move |_| id_param(query.read().get("a")));
    let b = Memo::new(move |_| id_param(query.read().get("b")));
    let exclude = Memo::new(move |_| query.read().get("fakes").as_deref() == Some("exclude"));
    let campaigns = LocalResource::new(api::campaigns);
    let left = LocalResource::new(move || summary_of(a.get()));
    let right = LocalResource::new(move || summary_of(b.get()));
    let set_query = use_set_query();
    let toggle = {
        let set_query = set_query.clone();
        move |_| {
            let on = !exclude.get_untracked();
            set_query("fakes", on.then(|| "exclude".to_string()));
        }
    };
    let picker = move |slot: &'static str,
                       label: Msg,
                       list: Vec<Campaign>,
                       chosen: Memo<Option<i64>>| {
        let set_query = set_query.clone();
        view! {
            <label class="field">
                <span>{move || t(lang.get(), label)}</span>
                <select name=slot
                    prop:value=move || chosen.get().map(|i| i.to_string()).unwrap_or_default()
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        set_query(slot, (!v.is_empty()).then_some(v));
                    }>
                    <option value="">"–"</option>
                    {list
                        .into_iter()
                        .map(|c| view! { <option value=c.id.to_string()>{format!("{} · {}", c.brand.name, c.name)}</option> })
                        .collect_view()}
                </select>
            </label>
        }
    };
    view! {
        <nav class="breadcrumb">
            <A href=move || localized("/", lang.get())>{move || format!("← {}", t(lang.get(), Msg::BackToCampaigns))}</A>
        </nav>
        <h1>{move || t(lang.get(), Msg::CompareTitle)}</h1>
        {move || match campaigns.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(failure)) => view! { <ErrorPanel failure on_retry=move || campaigns.refetch()/> }.into_any(),
            Some(Ok(list)) => view! {
                <section class="filters" aria-label=move || t(lang.get(), Msg::CompareTitle)>
                    {picker("a", Msg::CampaignA, list.clone(), a)}
                    {picker("b", Msg::CampaignB, list, b)}
                    <label class="switch">
                        <input type="checkbox" prop:checked=move || exclude.get() on:change=toggle.clone()/>
                        <span>{move || t(lang.get(), Msg::ExcludeSuspects)}</span>
                    </label>
                </section>
            }
            .into_any(),
        }}
        {move || match (left.get().flatten(), right.get().flatten()) {
            (Some(Err(failure)), _) | (_, Some(Err(failure))) => view! {
                <ErrorPanel failure on_retry=move || { left.refetch(); right.refetch(); }/>
            }
            .into_any(),
            (Some(Ok(x)), Some(Ok(y))) => view! { <CompareTable a=x b=y exclude/> }.into_any(),
            _ if a.get().is_none() || b.get().is_none() => {
                view! { <EmptyState title=Msg::CompareTitle hint=Msg::CompareHint/> }.into_any()
            }
            _ => view! { <Loading/> }.into_any(),
        }}
    }
}

/// `+12.5%` from `a` to `b`, or `–` when `a` is zero.
fn difference(a: &KpiCard, b: &KpiCard) -> String {
    if a.value == 0.0 {
        return "–".into();
    }
    let d = (b.value - a.value) / a.value.abs();
    let sign = if d > 0.0 { "+" } else { "" };
    format!("{sign}{}", format::percent(d))
}

#[component]
fn CompareTable(a: CampaignSummary, b: CampaignSummary, exclude: Memo<bool>) -> impl IntoView {
    let lang = use_lang();
    let head = |s: &CampaignSummary| {
        let id = s.campaign.id;
        let name = s.campaign.name.clone();
        view! {
            <th scope="col" class="num">
                <A href=move || localized(&format!("/campaigns/{id}"), lang.get())>{name.clone()}</A>
            </th>
        }
    };
    let (ha, hb) = (head(&a), head(&b));
    let rows = move || {
        let l = lang.get();
        let (ca, cb) = (
            overview::kpi_cards(&a, exclude.get()),
            overview::kpi_cards(&b, exclude.get()),
        );
        // Every figure either campaign has, in the cards' order.
        let mut keys: Vec<_> = ca.iter().map(|c| c.key).collect();
        for c in &cb {
            if !keys.contains(&c.key) {
                keys.push(c.key);
            }
        }
        keys.into_iter()
            .map(|k| {
                let x = ca.iter().find(|c| c.key == k);
                let y = cb.iter().find(|c| c.key == k);
                let show = |c: Option<&KpiCard>| {
                    c.map(|c| c.display.clone()).unwrap_or_else(|| "–".into())
                };
                let diff = match (x, y) {
                    (Some(x), Some(y)) => difference(x, y),
                    _ => "–".into(),
                };
                view! {
                    <tr data-kpi=k.id()
                        data-a=x.map(|c| c.value.to_string()).unwrap_or_default()
                        data-b=y.map(|c| c.value.to_string()).unwrap_or_default()>
                        <th scope="row">{kpi_label(l, k)}</th>
                        <td class="num">{show(x)}</td>
                        <td class="num">{show(y)}</td>
                        <td class="num">{diff}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <section class="panel compare">
            <table class="compare-table">
                <thead>
                    <tr>
                        <th scope="col">{move || t(lang.get(), Msg::ColFigure)}</th>
                        {ha}
                        {hb}
                        <th scope="col" class="num">{move || t(lang.get(), Msg::ColDifference)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}
