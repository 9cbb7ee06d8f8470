//! `/reports/:id` (and `/reports/new?campaign=ID`): a report's builder — the
//! definition's form beside a live preview drawn by the server's own layout
//! code — with Save, Delete and the server's PNG, SVG and PDF of what is
//! saved. The URL names the saved report, so it can be shared with anyone
//! in the workspace (they see it as their role allows).

mod form;
mod preview;

use crate::api;
use crate::app::{localized, use_lang};
use crate::components::status::{ErrorPanel, Loading};
use crate::error::ApiFailure;
use crate::i18n::{Msg, t};
use analytics::Lang;
use analytics::report::{
    Branding, PageFormat, Panel, PanelKind, Report, ReportDefinition, ReportFilter,
};
use analytics::selection::Filter;
use analytics::wire::Campaign;
use form::ReportForm;
use i18n::{BuilderMsg, builder_text};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::params::ParamsMap;
use preview::Preview;

/// What the builder opens with.
#[derive(Debug, Clone)]
struct Opened {
    saved: Option<Report>,
    draft: ReportDefinition,
    /// The campaigns of the report's workspace.
    campaigns: Vec<Campaign>,
}

fn missing(what: &str) -> ApiFailure {
    ApiFailure::Status {
        status: 404,
        message: what.to_string(),
    }
}

/// A new report's starting point, from the URL: the campaign and the
/// dashboard's filter state it was opened with (`from`, `to`, `ch`,
/// `fakes`, `acct`: the overview's own parameters).
#[derive(Debug, Clone, PartialEq)]
struct Start {
    campaign: Option<i64>,
    filter: ReportFilter,
}

fn start_of(query: &ParamsMap) -> Start {
    let get = |k: &str| query.get(k);
    let (f, _) = Filter::from_query(get);
    Start {
        campaign: get("campaign").and_then(|c| c.parse().ok()),
        filter: ReportFilter {
            from: f.from.map(|d| d.to_string()),
            to: f.to.map(|d| d.to_string()),
            channels: f.channels,
            accounts: get("acct")
                .map(|a| {
                    a.split(',')
                        .filter(|t| !t.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            exclude_suspect: f.exclude_suspect,
        },
    }
}

/// A new report of `campaign`: every panel, in the page's language, branded
/// with the workspace's name.
fn new_report(campaign: &Campaign, filter: ReportFilter, lang: Lang) -> ReportDefinition {
    ReportDefinition {
        title: format!(
            "{} · {}",
            campaign.name,
            builder_text(lang, BuilderMsg::UntitledReport)
        ),
        campaign_id: campaign.id,
        lang,
        page: PageFormat::default(),
        filter,
        panels: PanelKind::ALL.into_iter().map(Panel::of).collect(),
        branding: Branding {
            name: campaign.workspace.name.clone(),
            ..Branding::default()
        },
    }
}

async fn open(id: Option<String>, start: Start, lang: Lang) -> Result<Opened, ApiFailure> {
    let campaigns = api::campaigns().await?;
    let (saved, draft) = match id.as_deref() {
        Some("new") => {
            let c = match start.campaign {
                Some(w) => campaigns.iter().find(|c| c.id == w),
                None => campaigns.first(),
            }
            .ok_or_else(|| missing("no such campaign"))?;
            (None, new_report(c, start.filter, lang))
        }
        Some(v) => {
            let id = v
                .parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .ok_or_else(|| missing("not a report id"))?;
            let report = api::report(id).await?;
            let def = report.definition.clone();
            (Some(report), def)
        }
        None => return Err(missing("no report")),
    };
    let workspace = campaigns
        .iter()
        .find(|c| c.id == draft.campaign_id)
        .map(|c| c.workspace.slug.clone());
    let campaigns = campaigns
        .into_iter()
        .filter(|c| Some(&c.workspace.slug) == workspace.as_ref())
        .collect();
    Ok(Opened {
        saved,
        draft,
        campaigns,
    })
}

/// `/reports/:id` (and `/reports/new?…`).
#[component]
pub fn ReportBuilder() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let key = Memo::new(move |_| (params.read().get("id"), start_of(&query.read())));
    let opened = LocalResource::new(move || {
        let (id, start) = key.get();
        open(id, start, lang.get_untracked())
    });
    view! {
        <nav class="breadcrumb">
            <A href=move || localized("/reports", lang.get())>{move || format!("← {}", t(lang.get(), Msg::Reports))}</A>
        </nav>
        {move || match opened.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(failure)) => view! { <ErrorPanel failure on_retry=move || opened.refetch()/> }.into_any(),
            Some(Ok(o)) => view! { <Builder opened=o/> }.into_any(),
        }}
    }
}

/// Whether a save is out, or why the last one failed.
#[derive(Debug, Clone, PartialEq)]
enum Saving {
    Idle,
    Busy,
    Failed(String),
}

#[component]
fn Builder(opened: Opened) -> impl IntoView {
    let lang = use_lang();
    let w = move |m: BuilderMsg| builder_text(lang.get(), m);
    let navigate = use_navigate();
    let draft = RwSignal::new(opened.draft);
    let saved = RwSignal::new(opened.saved);
    let saving = RwSignal::new(Saving::Idle);
    let dirty = Memo::new(move |_| {
        saved
            .read()
            .as_ref()
            .is_none_or(|r| r.definition != *draft.read())
    });
    let problem = Memo::new(move |_| draft.read().check().err().map(|e| e.to_string()));
    let save = {
        let navigate = navigate.clone();
        move |_| {
            let def = draft.get_untracked();
            let id = saved.with_untracked(|s| s.as_ref().map(|r| r.id));
            saving.set(Saving::Busy);
            let navigate = navigate.clone();
            leptos::task::spawn_local(async move {
                match api::save_report(id, &def).await {
                    Ok(report) => {
                        saving.set(Saving::Idle);
                        if id.is_none() {
                            // The new report's own, shareable URL.
                            navigate(
                                &localized(
                                    &format!("/reports/{}", report.id),
                                    lang.get_untracked(),
                                ),
                                NavigateOptions {
                                    replace: true,
                                    ..Default::default()
                                },
                            );
                        } else {
                            // The server's form of it (a sanitised logo).
                            draft.set(report.definition.clone());
                            saved.set(Some(report));
                        }
                    }
                    Err(e) => saving.set(Saving::Failed(e.detail())),
                }
            });
        }
    };
    let delete = move |_| {
        let Some(id) = saved.with_untracked(|s| s.as_ref().map(|r| r.id)) else {
            return;
        };
        let sure = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message(builder_text(
                    lang.get_untracked(),
                    BuilderMsg::ConfirmDelete,
                ))
                .ok()
            })
            .unwrap_or(false);
        if !sure {
            return;
        }
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match api::delete_report(id).await {
                Ok(()) => navigate(
                    &localized("/reports", lang.get_untracked()),
                    Default::default(),
                ),
                Err(e) => saving.set(Saving::Failed(e.detail())),
            }
        });
    };
    let campaigns = opened.campaigns;
    view! {
        <div class="report-builder">
            <header class="builder-head">
                <h1>{move || draft.read().title.clone()}</h1>
                <p class="save-state" data-state=move || if dirty.get() { "unsaved" } else { "saved" }>
                    {move || match (saved.read().is_some(), dirty.get()) {
                        (false, _) => w(BuilderMsg::NotSaved),
                        (true, true) => w(BuilderMsg::Unsaved),
                        (true, false) => w(BuilderMsg::Saved),
                    }}
                </p>
                <div class="builder-actions">
                    <button type="button" class="primary save"
                        disabled=move || !dirty.get() || problem.get().is_some() || saving.get() == Saving::Busy
                        on:click=save>
                        {move || if saving.get() == Saving::Busy { w(BuilderMsg::Saving) } else { w(BuilderMsg::Save) }}
                    </button>
                    {move || saved.read().is_some().then(|| view! {
                        <button type="button" class="delete" on:click=delete.clone()>{move || w(BuilderMsg::Delete)}</button>
                    })}
                </div>
                {move || problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
                {move || match saving.get() {
                    Saving::Failed(why) => Some(view! { <p class="field-error save-error" role="alert">{why}</p> }),
                    _ => None,
                }}
                <Downloads saved dirty/>
            </header>
            <div class="builder-body">
                <ReportForm draft campaigns/>
                <Preview draft/>
            </div>
        </div>
    }
}

/// The server's renders of the saved report; a hint while the draft
/// differs from it (a download is of what is saved, the same for everyone).
#[component]
fn Downloads(saved: RwSignal<Option<Report>>, dirty: Memo<bool>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="downloads">
            {move || match (saved.read().as_ref().map(|r| r.id), dirty.get()) {
                (Some(id), false) => view! {
                    <span>{move || builder_text(lang.get(), BuilderMsg::Download)} " "</span>
                    {[("png", "PNG"), ("svg", "SVG"), ("pdf", "PDF")].into_iter().map(|(f, name)| view! {
                        <a class=format!("download-{f}") href=api::report_render_url(id, f) download="">{name}</a>
                    }).collect_view()}
                }.into_any(),
                _ => view! { <span class="hint">{move || builder_text(lang.get(), BuilderMsg::SaveToDownload)}</span> }.into_any(),
            }}
        </p>
    }
}
