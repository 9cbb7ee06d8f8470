//! The fan-conversion funnel of a campaign: steps, rates with their 95%
//! Wilson intervals, retention, and the same split by channel, by post or by
//! KOL, for the window and split in the URL (`?window=7d&split=kol`).
//! Figures come from `analytics::funnel`.

use crate::app::{use_lang, use_set_query};
use crate::components::export::{CsvButton, Table};
use crate::components::status::{EmptyState, ErrorPanel, Loading};
use crate::i18n::{Msg, STEP_NAMES, channel_name, t};
use analytics::format;
use analytics::funnel::{self, DEFAULT_WINDOW_S, FunnelCounts, FunnelRow, WINDOWS_S};
use analytics::wire::Channel;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// How the funnel's groups are formed (the API's `by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    Channel,
    Post,
    Kol,
}

impl Split {
    pub const ALL: [Split; 3] = [Split::Channel, Split::Post, Split::Kol];

    pub fn id(self) -> &'static str {
        match self {
            Split::Channel => "channel",
            Split::Post => "post",
            Split::Kol => "kol",
        }
    }

    fn title(self) -> Msg {
        match self {
            Split::Channel => Msg::ByChannel,
            Split::Post => Msg::ByPost,
            Split::Kol => Msg::ByKol,
        }
    }

    fn column(self) -> Msg {
        match self {
            Split::Channel => Msg::ColChannel,
            Split::Post => Msg::ColPost,
            Split::Kol => Msg::ColKol,
        }
    }
}

/// The split in the URL (`?split=`), by channel when absent or unknown.
pub fn use_split() -> Memo<Split> {
    let query = use_query_map();
    Memo::new(move |_| {
        let q = query.read();
        let id = q.get("split").unwrap_or_default();
        Split::ALL
            .into_iter()
            .find(|s| s.id() == id)
            .unwrap_or(Split::Channel)
    })
}

/// Groups shown when split by post or KOL (the largest by people exposed).
const TOP_GROUPS: usize = 20;

/// The funnel with its own read, by the split chosen and the filter's days
/// and channels: drawn from a later chunk, so the request and its parsing
/// are not in the overview's first draw.
#[component]
pub fn FunnelPanelFor(
    campaign: i64,
    filter: Memo<(
        analytics::selection::Filter,
        Vec<analytics::selection::BadParam>,
    )>,
    exclude: Memo<bool>,
) -> impl IntoView {
    let split = use_split();
    // What the request depends on: the split and the filter's days and
    // channels.
    let key = Memo::new(move |_| {
        (
            split.get(),
            filter.with(|(f, _)| (f.channels.clone(), f.from, f.to)),
        )
    });
    let funnel = LocalResource::new(move || {
        key.track();
        crate::app::fetch_latest(key, move |(s, (channels, from, to))| async move {
            crate::api::campaign_funnel(campaign, s.id(), &channels, from, to)
                .await
                .map(|rows| (s, rows))
        })
    });
    move || match funnel.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(failure)) => {
            view! { <ErrorPanel failure on_retry=move || funnel.refetch()/> }.into_any()
        }
        Some(Ok((split, rows))) => view! { <FunnelPanel rows exclude split/> }.into_any(),
    }
}

#[component]
pub fn FunnelPanel(rows: Vec<FunnelRow>, exclude: Memo<bool>, split: Split) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let set_query = use_set_query();
    let set_split = {
        let set_query = set_query.clone();
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            set_query("split", (v != Split::Channel.id()).then_some(v));
        }
    };
    let window = Memo::new(move |_| {
        query
            .read()
            .get("window")
            .and_then(|w| funnel::parse_window(&w))
            .unwrap_or(DEFAULT_WINDOW_S)
    });
    let pick = move |ev: leptos::ev::Event| set_query("window", Some(event_target_value(&ev)));
    let view_of = Memo::new(move |_| funnel::for_window(&rows, window.get(), exclude.get()));
    let steps_table = move |total: FunnelCounts| {
        let l = lang.get();
        STEP_NAMES
            .iter()
            .enumerate()
            .map(|(i, msg)| {
                view! {
                    <tr data-step=i.to_string() data-users=total.steps[i].to_string()>
                        <th scope="row">{t(l, *msg)}</th>
                        <td class="num">{format::count(total.steps[i])}</td>
                        <td class="num">{format::rate(total.step_rate(i))}</td>
                        <td class="num">{format::rate(total.overall_rate(i))}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <section class="panel funnel" aria-labelledby="funnel-title">
            <div class="panel-head">
                <h2 id="funnel-title">{move || t(lang.get(), Msg::FunnelTitle)}</h2>
                <label class="window">
                    <span>{move || t(lang.get(), Msg::ConversionWindow)}</span>
                    <select on:change=pick prop:value=move || funnel::window_label(window.get())>
                        {WINDOWS_S
                            .iter()
                            .map(|&w| {
                                let label = funnel::window_label(w);
                                view! { <option value=label.clone()>{label.clone()}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="window">
                    <span>{move || t(lang.get(), Msg::FunnelSplit)}</span>
                    <select name="split" on:change=set_split prop:value=split.id()>
                        {Split::ALL
                            .iter()
                            .map(|&s| view! { <option value=s.id()>{move || t(lang.get(), s.title())}</option> })
                            .collect_view()}
                    </select>
                </label>
            </div>
            {move || {
                let (total, mut by_channel) = view_of.get();
                let top = split != Split::Channel;
                // for_window lists groups largest first.
                if top {
                    by_channel.truncate(TOP_GROUPS);
                }
                if total.steps[0] == 0 {
                    return view! { <EmptyState title=Msg::FunnelTitle hint=Msg::FunnelEmpty/> }.into_any();
                }
                let l = lang.get();
                let retention = format!(
                    "{}: {} · {}: {}",
                    t(l, Msg::Retained7),
                    format::rate(funnel::wilson(total.retained_7d, total.steps[2]).map(|ci| (total.retained_7d as f64 / total.steps[2] as f64, ci))),
                    t(l, Msg::Retained30),
                    format::rate(funnel::wilson(total.retained_30d, total.steps[2]).map(|ci| (total.retained_30d as f64 / total.steps[2] as f64, ci))),
                );
                let csv_total = total.clone();
                let table = move || Table::FunnelSteps(csv_total.clone());
                view! {
                    <div class="table-tools"><CsvButton name="funnel" table/></div>
                    <table class="funnel-steps">
                        <thead>
                            <tr>
                                <th scope="col">{t(l, Msg::ColStep)}</th>
                                <th scope="col" class="num">{t(l, Msg::ColUsers)}</th>
                                <th scope="col" class="num">{t(l, Msg::ColStepRate)}</th>
                                <th scope="col" class="num">{t(l, Msg::ColOverallRate)}</th>
                            </tr>
                        </thead>
                        <tbody>{steps_table(total.clone())}</tbody>
                    </table>
                    <p class="retention">{retention}</p>
                    <h3>{t(l, split.title())}</h3>
                    {top.then(|| view! { <p class="footnote">{t(l, Msg::FunnelTop)}</p> })}
                    <div class="table-scroll">
                    <table class="funnel-channels" data-split=split.id()>
                        <thead>
                            <tr>
                                <th scope="col">{t(l, split.column())}</th>
                                {STEP_NAMES.iter().map(|m| view! { <th scope="col" class="num">{t(l, *m)}</th> }).collect_view()}
                                <th scope="col" class="num">{t(l, Msg::ColOverallRate)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {by_channel
                                .into_iter()
                                .map(|c| {
                                    let name = match (split, Channel::parse(&c.key)) {
                                        (Split::Channel, Some(ch)) => channel_name(l, ch).to_string(),
                                        _ if c.key.is_empty() => "–".to_string(),
                                        _ => c.key.clone(),
                                    };
                                    view! {
                                        <tr data-channel=c.key.clone() data-group=c.key.clone()>
                                            <th scope="row">{name}</th>
                                            {c.steps.iter().map(|n| view! { <td class="num">{format::count(*n)}</td> }).collect_view()}
                                            <td class="num">{format::rate(c.overall_rate(3))}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                    </div>
                    <p class="footnote">{t(l, Msg::FunnelNote)}</p>
                }
                .into_any()
            }}
        </section>
    }
}
