//! `/reports`: the saved reports the person may read, by workspace, each
//! linking to its builder; a new report starts from a campaign.

use crate::api;
use crate::app::{localized, use_lang};
use crate::components::status::{ErrorPanel, Loading};
use crate::i18n::{Msg, t};
use analytics::report::Report;
use analytics::wire::Campaign;
use i18n::{BuilderMsg, builder_text};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

#[component]
pub fn Reports() -> impl IntoView {
    let lang = use_lang();
    let listed = LocalResource::new(|| async {
        let reports = api::reports().await?;
        let campaigns = api::campaigns().await?;
        Ok::<_, crate::error::ApiFailure>((reports, campaigns))
    });
    view! {
        <h1>{move || t(lang.get(), Msg::Reports)}</h1>
        {move || match listed.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(failure)) => view! { <ErrorPanel failure on_retry=move || listed.refetch()/> }.into_any(),
            Some(Ok((reports, campaigns))) => view! { <Listed reports campaigns/> }.into_any(),
        }}
    }
}

#[component]
fn Listed(reports: Vec<Report>, campaigns: Vec<Campaign>) -> impl IntoView {
    let lang = use_lang();
    let navigate = use_navigate();
    let name_of = {
        let campaigns = campaigns.clone();
        move |id: i64| {
            campaigns
                .iter()
                .find(|c| c.id == id)
                .map(|c| c.name.clone())
                .unwrap_or_default()
        }
    };
    let start = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        if !v.is_empty() {
            navigate(
                &format!(
                    "/reports/new?campaign={v}&lang={}",
                    lang.get_untracked().tag()
                ),
                Default::default(),
            );
        }
    };
    let empty = reports.is_empty();
    view! {
        <label class="field new-report">
            <span>{move || builder_text(lang.get(), BuilderMsg::NewReport)}</span>
            <select on:change=start>
                <option value="" selected>"…"</option>
                {campaigns.iter().map(|c| view! {
                    <option value=c.id.to_string()>{format!("{} · {} · {}", c.workspace.name, c.brand.name, c.name)}</option>
                }).collect_view()}
            </select>
        </label>
        {empty.then(|| view! {
            <div class="status empty">
                <h2>{move || builder_text(lang.get(), BuilderMsg::NoReports)}</h2>
                <p>{move || builder_text(lang.get(), BuilderMsg::NoReportsHint)}</p>
            </div>
        })}
        <ul class="report-list">
            {reports.into_iter().map(|r| {
                let id = r.id;
                let d = r.definition;
                view! {
                    <li class="report-item">
                        <A href=move || localized(&format!("/reports/{id}"), lang.get())>
                            <span class="report-title">{d.title.clone()}</span>
                        </A>
                        <span class="report-meta">
                            {format!("{} · {} · {}", name_of(d.campaign_id), d.lang.tag(), d.page.as_str())}
                        </span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
