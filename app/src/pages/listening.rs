//! `/campaigns/:id/listening`: the campaign brand's mentions per hour over
//! the campaign's dates against its tracked competitors, the spikes found by
//! `analytics::listening` (rule and parameters shown), what drove the spike
//! chosen in the URL (`?spike=<start>`), and share of voice.

use crate::api;
use crate::app::{localized, use_lang, use_set_query};
use crate::components::chart::ChartCanvas;
use crate::components::export::{CsvButton, Subject, Table, provide_export_subject};
use crate::components::status::{EmptyState, ErrorPanel, Loading};
use crate::error::ApiFailure;
use crate::i18n::{Msg, channel_name, t};
use analytics::date::Date;
use analytics::format;
use analytics::listening::{self, Spike, SpikeRule};
use analytics::wire::{Campaign, Channel, MentionDrivers, MentionHour};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use report::labelled;

/// One brand's series: name, competitor flag, hours.
type BrandSeries = (String, bool, Vec<MentionHour>);

/// The campaign's brand first, then the workspace's tracked competitors.
async fn load(id: i64) -> Result<(Campaign, i64, i64, Vec<(i64, BrandSeries)>), ApiFailure> {
    let campaign = api::campaign_summary(id).await?.campaign;
    let offset = i64::from(campaign.workspace.utc_offset_s);
    let day_start = |d: &str| Date::parse(d).map(|d| d.to_days() * 86_400 - offset);
    let from = day_start(&campaign.start_date).unwrap_or(0);
    let to = day_start(&campaign.end_date).map_or(from + 86_400, |d| d + 86_400);
    let brands = api::brands().await?;
    let mut series = Vec::new();
    let ours = (campaign.brand.id, campaign.brand.name.clone(), false);
    let rivals = brands
        .iter()
        .filter(|b| {
            b.competitor && b.workspace == campaign.workspace.slug && b.id != campaign.brand.id
        })
        .map(|b| (b.id, b.name.clone(), true));
    for (bid, name, competitor) in std::iter::once(ours).chain(rivals) {
        let hours = api::mention_hours(bid, from, to).await?;
        series.push((bid, (name, competitor, hours)));
    }
    Ok((campaign, from, to, series))
}

#[component]
pub fn Listening() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|v| v.parse::<i64>().ok()));
    let data = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => load(id).await,
                None => Err(ApiFailure::Status {
                    status: 404,
                    message: "not a campaign id".into(),
                }),
            }
        }
    });
    view! {
        <nav class="breadcrumb">
            {move || id.get().map(|cid| view! {
                <a href=move || localized(&format!("/campaigns/{cid}"), lang.get())>{move || format!("← {}", t(lang.get(), Msg::KeyFigures))}</a>
            })}
        </nav>
        <h1>{move || t(lang.get(), Msg::ListeningTitle)}</h1>
        {move || match data.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(failure)) => view! { <ErrorPanel failure on_retry=move || data.refetch()/> }.into_any(),
            Some(Ok((campaign, from, to, series))) => view! { <Listen campaign from to series/> }.into_any(),
        }}
    }
}

#[component]
fn Listen(
    campaign: Campaign,
    from: i64,
    to: i64,
    series: Vec<(i64, BrandSeries)>,
) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let set_query = use_set_query();
    let rule = SpikeRule::default();
    let offset = campaign.workspace.utc_offset_s;
    let (brand_id, (brand, _, hours)) = series[0].clone();
    let for_meta = campaign.clone();
    provide_export_subject(Signal::derive(move || Subject::Campaign {
        campaign: for_meta.clone(),
        filter: None,
    }));
    let spikes = listening::spikes(&hours, &rule);
    let total: u64 = hours.iter().map(|h| h.mentions).sum();
    let chosen = Memo::new(move |_| {
        query
            .read()
            .get("spike")
            .and_then(|v| v.parse::<i64>().ok())
    });
    let spikes_for_drivers = spikes.clone();
    let drivers = LocalResource::new(move || {
        let start = chosen.get();
        let spike = spikes_for_drivers
            .iter()
            .find(|s| Some(s.start) == start)
            .cloned();
        async move {
            match spike {
                Some(s) => api::mention_drivers(brand_id, s.start, s.end, 10)
                    .await
                    .map(|d| Some((s, d))),
                None => Ok(None),
            }
        }
    });
    let chart_series: Vec<BrandSeries> = series.iter().map(|(_, s)| s.clone()).collect();
    let chart_spikes = spikes.clone();
    let chart = Signal::derive(move || {
        let l = lang.get();
        labelled::mentions_chart(&chart_series, &chart_spikes, offset, l)
    });
    let voices = listening::share_of_voice(
        &series.iter().map(|(_, s)| s.clone()).collect::<Vec<_>>(),
        from,
        to,
    );
    let rule_text = move || {
        t(lang.get(), Msg::SpikeRuleText)
            .replace("{min}", &rule.min_mentions.to_string())
            .replace("{k}", &format!("{}", rule.k))
            .replace("{w}", &rule.window_h.to_string())
    };
    let when = move |s: i64| format::day_hour(s, offset, lang.get());
    let spike_rows = spikes
        .iter()
        .cloned()
        .map(|s| {
            let set_query = set_query.clone();
            let start = s.start;
            view! {
                <tr data-start=s.start.to_string() data-mentions=s.mentions.to_string()
                    class:chosen=move || chosen.get() == Some(start)>
                    <th scope="row">{move || when(s.start)}</th>
                    <td>{move || when(s.end)}</td>
                    <td class="num">{format::count(s.mentions)}</td>
                    <td class="num">{format::count(s.peak)}</td>
                    <td class="num">{format!("{:.1}", s.baseline)}</td>
                    <td class="num">{format!("{:.1}", s.score)}</td>
                    <td><button type="button" class="secondary" on:click=move |_| set_query("spike", Some(start.to_string()))>
                        {move || t(lang.get(), Msg::ShowDrivers)}
                    </button></td>
                </tr>
            }
        })
        .collect_view();
    let has_spikes = !spikes.is_empty();
    view! {
        <p class="meta">{format!("{} · {}", brand, campaign.name)} " · " {move || t(lang.get(), Msg::ListeningPeriod)}</p>
        {if total == 0 {
            view! { <EmptyState title=Msg::MentionsPerHour hint=Msg::ListeningEmpty/> }.into_any()
        } else {
            view! {
                <section class="panel">
                    <ChartCanvas chart name="mentions"/>
                    <p class="footnote rule"><strong>{move || t(lang.get(), Msg::SpikeRule)}</strong>": " {rule_text}</p>
                </section>
            }
            .into_any()
        }}
        <section class="panel spikes" aria-labelledby="spikes-title">
            <h2 id="spikes-title">{move || t(lang.get(), Msg::SpikesTitle)}</h2>
            {if has_spikes {
                view! {
                    <div class="table-scroll">
                        <table class="spikes-table">
                            <thead>
                                <tr>
                                    <th scope="col">{move || t(lang.get(), Msg::ColStart)}</th>
                                    <th scope="col">{move || t(lang.get(), Msg::ColEnd)}</th>
                                    <th scope="col" class="num">{move || t(lang.get(), Msg::ColMentions)}</th>
                                    <th scope="col" class="num">{move || t(lang.get(), Msg::ColPeak)}</th>
                                    <th scope="col" class="num">{move || t(lang.get(), Msg::ColBaseline)}</th>
                                    <th scope="col" class="num">{move || t(lang.get(), Msg::ColScore)}</th>
                                    <th scope="col"><span class="sr-only">{move || t(lang.get(), Msg::WhatDrove)}</span></th>
                                </tr>
                            </thead>
                            <tbody>{spike_rows}</tbody>
                        </table>
                    </div>
                }
                .into_any()
            } else {
                view! { <p class="status empty">{move || t(lang.get(), Msg::NoSpikes)}</p> }.into_any()
            }}
            {move || match drivers.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(failure)) => view! { <ErrorPanel failure on_retry=move || drivers.refetch()/> }.into_any(),
                Some(Ok(None)) => ().into_any(),
                Some(Ok(Some((s, d)))) => view! { <Drivers s d offset/> }.into_any(),
            }}
        </section>
        <section class="panel sov" aria-labelledby="sov-title">
            <h2 id="sov-title">{move || t(lang.get(), Msg::ShareOfVoice)}</h2>
            <table>
                <thead>
                    <tr>
                        <th scope="col">{move || t(lang.get(), Msg::ColBrand)}</th>
                        <th scope="col" class="num">{move || t(lang.get(), Msg::ColMentions)}</th>
                        <th scope="col" class="num">{move || t(lang.get(), Msg::ShareOfVoice)}</th>
                    </tr>
                </thead>
                <tbody>
                    {voices.into_iter().map(|v| {
                        let competitor = v.competitor;
                        view! {
                            <tr data-brand=v.brand.clone() data-mentions=v.mentions.to_string() data-share=v.share.to_string()>
                                <th scope="row">
                                    {v.brand.clone()}
                                    {competitor.then(|| view! { " " <span class="tag">{move || t(lang.get(), Msg::Competitor)}</span> })}
                                </th>
                                <td class="num">{format::count(v.mentions)}</td>
                                <td class="num">{format::percent(v.share)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// What drove the chosen spike: its top posts and authors.
#[component]
fn Drivers(s: Spike, d: MentionDrivers, offset: i32) -> impl IntoView {
    let lang = use_lang();
    move || {
        let l = lang.get();
        let when = |at: i64| format::day_hour(at, offset, l);
        let channel = |c: &str| Channel::parse(c).map(|c| channel_name(l, c)).unwrap_or("");
        let csv = d.clone();
        let table = move || Table::Drivers(csv.clone(), offset);
        view! {
            <div class="drivers" data-start=s.start.to_string()>
                <div class="table-tools"><CsvButton name="spike-drivers" table/></div>
                <h3>{format!("{} · {} – {}", t(l, Msg::WhatDrove), when(s.start), when(s.end))}</h3>
                <h4>{t(l, Msg::TopPosts)}</h4>
                <ul class="mention-posts">
                    {d.top_posts.iter().map(|p| view! {
                        <li data-post=p.id.clone()>
                            <strong>{format!("@{}", p.handle)}</strong>
                            {format!(" · {} · {} {} · {}", channel(&p.channel), format::count(p.followers), t(l, Msg::ColFollowers), format::day_hour(p.at, offset, l))}
                            <br/>
                            <span class="text">{p.text.clone()}</span>
                        </li>
                    }).collect_view()}
                </ul>
                <h4>{t(l, Msg::TopAuthors)}</h4>
                <table>
                    <thead>
                        <tr>
                            <th scope="col">{t(l, Msg::NodeAccount)}</th>
                            <th scope="col">{t(l, Msg::ColChannel)}</th>
                            <th scope="col" class="num">{t(l, Msg::ColMentions)}</th>
                            <th scope="col" class="num">{t(l, Msg::ColFollowers)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {d.top_authors.iter().map(|a| view! {
                            <tr data-author=a.author.clone()>
                                <th scope="row">{format!("@{}", a.handle)}</th>
                                <td>{channel(&a.channel)}</td>
                                <td class="num">{format::count(a.mentions)}</td>
                                <td class="num">{format::count(a.followers)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <p class="footnote">{format!("{} {} · {} {}", format::count(d.mentions), t(l, Msg::ColMentions), format::count(d.authors), t(l, Msg::ColAuthor))}</p>
            </div>
        }
    }
}
