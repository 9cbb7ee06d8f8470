//! The reach panel: unique reach of the selection (sketch unions, with their
//! 95% interval) beside potential reach, the overlap and frequency; the
//! owned / paid / earned split as a chart and a table; the owned and KOL
//! accounts, each tickable into the selection (`?acct=`); and the official
//! account matrix. Figures come from `analytics::reach`.

use crate::app::{use_lang, use_set_query};
use crate::components::chart::ChartCanvas;
use crate::components::export::{CsvButton, Table};
use crate::components::status::{EmptyState, ErrorPanel, Loading};
use crate::i18n::{Msg, channel_label, source_name, t};
use analytics::format;
use analytics::hll::DaySketch;
use analytics::reach::{self, ReachView};
use analytics::selection::{BadParam, Filter};
use analytics::wire::AccountDay;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use report::labelled;
use std::sync::Arc;

/// The reach panel with its own read of the campaign's accounts: it is
/// drawn from a later chunk, and the overview's early read answers it
/// (`api::start_early`), so the parsing lives here, not in the first draw.
#[component]
pub fn ReachPanelFor(
    campaign: i64,
    sketches: Arc<Vec<DaySketch>>,
    filter: Memo<(Filter, Vec<BadParam>)>,
) -> impl IntoView {
    let accounts = LocalResource::new(move || async move {
        crate::api::campaign_accounts(campaign).await.map(Arc::new)
    });
    move || match accounts.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(failure)) => {
            view! { <ErrorPanel failure on_retry=move || accounts.refetch()/> }.into_any()
        }
        Some(Ok(accounts)) => {
            let sketches = sketches.clone();
            view! { <ReachPanel accounts sketches filter/> }.into_any()
        }
    }
}

#[component]
pub fn ReachPanel(
    accounts: Arc<Vec<AccountDay>>,
    sketches: Arc<Vec<DaySketch>>,
    filter: Memo<(Filter, Vec<BadParam>)>,
) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let set_query = use_set_query();
    let tokens = Memo::new(move |_| {
        let mut t: Vec<String> = query
            .read()
            .get("acct")
            .unwrap_or_default()
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        t.sort();
        t.dedup();
        t
    });
    // Every account's token, to turn "all" into an explicit list.
    let every: Vec<String> = {
        let mut all: Vec<String> = accounts
            .iter()
            .map(|r| reach::account_token(&r.channel, &r.account))
            .collect();
        all.sort();
        all.dedup();
        all
    };
    let view_of: Memo<ReachView> = Memo::new(move |_| {
        filter.with(|(f, _)| reach::reach_view(&accounts, &sketches, f, &tokens.get()))
    });
    let choose = {
        let set_query = set_query.clone();
        let every = every.clone();
        move |now: Vec<String>| {
            let all = now.is_empty() || every.iter().all(|t| now.contains(t));
            set_query("acct", (!all).then(|| now.join(",")));
        }
    };
    let toggle = {
        let choose = choose.clone();
        move |token: String| {
            let mut now = tokens.get_untracked();
            if now.is_empty() {
                // From "all": every account but this one.
                now = every.clone();
            }
            if now.contains(&token) {
                now.retain(|t| *t != token);
            } else {
                now.push(token);
            }
            now.sort();
            choose(now);
        }
    };
    let only = move |token: String| choose(vec![token]);
    let set_all = {
        let set_query = use_set_query();
        move |_| set_query("acct", None)
    };
    let chart = Signal::derive(move || {
        let l = lang.get();
        view_of.with(|v| labelled::sources_chart(v, l))
    });
    view! {
        <section class="panel reach" aria-labelledby="reach-title">
            <div class="panel-head">
                <h2 id="reach-title">{move || t(lang.get(), Msg::ReachTitle)}</h2>
            </div>
            {move || {
                let l = lang.get();
                let v = view_of.get();
                if v.accounts.is_empty() {
                    // Nothing at all in the filter: only what to do next.
                    return view! { <EmptyState title=Msg::ReachTitle hint=Msg::ReachEmpty/> }.into_any();
                }
                let selection_empty = v.unique.value < 0.5 && v.impressions == 0;
                let headline = if selection_empty {
                    view! { <EmptyState title=Msg::ReachTitle hint=Msg::ReachEmpty/> }.into_any()
                } else {
                    view! {
                        <dl class="reach-figures">
                            <div data-figure="unique_reach" data-value=v.unique.value.to_string()
                                data-low=v.unique.low.to_string() data-high=v.unique.high.to_string()>
                                <dt>{t(l, Msg::ColReach)}</dt>
                                <dd>{v.unique.text()}</dd>
                            </div>
                            <div data-figure="potential_reach" data-value=v.potential.to_string()>
                                <dt>{t(l, Msg::PotentialReach)}</dt>
                                <dd>{format::count(v.potential)}</dd>
                            </div>
                            <div data-figure="overlap" data-value=v.overlap.to_string()>
                                <dt>{t(l, Msg::Overlap)}</dt>
                                <dd>
                                    {format::count(v.overlap.round() as u64)}
                                    {v.overlap_share.map(|s| view! {
                                        <small>{format!(" ({} {})", format::percent(s), t(l, Msg::OverlapHint))}</small>
                                    })}
                                </dd>
                            </div>
                            <div data-figure="frequency" data-value=v.frequency.unwrap_or(0.0).to_string()>
                                <dt>{t(l, Msg::Frequency)}</dt>
                                <dd>
                                    {v.frequency.map(|f| format!("{f:.2}")).unwrap_or_else(|| "–".into())}
                                    <small>{format!(" {}", t(l, Msg::FrequencyHint))}</small>
                                </dd>
                            </div>
                        </dl>
                    }
                    .into_any()
                };
                let sources = v
                    .sources
                    .iter()
                    .map(|s| {
                        let key = s.source.as_str();
                        view! {
                            <tr data-source=key data-impressions=s.counters.impressions.to_string()
                                data-reach=s.reach.value.to_string() data-fans=s.counters.new_fans.to_string()>
                                <th scope="row">{t(l, source_name(s.source))}</th>
                                <td class="num">{format::count(s.counters.impressions)}</td>
                                <td class="num">{s.reach.text()}</td>
                                <td class="num">{format::count(s.counters.engagements)}</td>
                                <td class="num">{format::count(s.counters.new_fans)}</td>
                                <td class="num">{format::count(s.counters.potential_reach)}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                let csv_accounts = v.accounts.clone();
                let accounts_csv = move || Table::Accounts(csv_accounts.clone());
                let chosen = tokens.get();
                let account_rows = v
                    .accounts
                    .iter()
                    .map(|a| {
                        let token = a.token();
                        let on = chosen.is_empty() || chosen.contains(&token);
                        let name = if a.account.is_empty() {
                            t(l, Msg::EarnedAccounts).to_string()
                        } else {
                            a.handle.clone()
                        };
                        let toggle = toggle.clone();
                        let only = only.clone();
                        let tk = token.clone();
                        let tk2 = token.clone();
                        let label = format!("{} · {}", name, channel_label(l, &a.channel));
                        view! {
                            <tr data-account=token.clone() data-reach=a.reach.value.to_string()
                                data-impressions=a.counters.impressions.to_string()>
                                <td>
                                    <input type="checkbox" prop:checked=on aria-label=label.clone()
                                        on:change=move |_| toggle(tk.clone())/>
                                </td>
                                <th scope="row">
                                    {name}
                                    " "
                                    <button type="button" class="link" aria-label=format!("{} · {}", t(l, Msg::OnlyThis), label)
                                        on:click=move |_| only(tk2.clone())>{t(l, Msg::OnlyThis)}</button>
                                </th>
                                <td>{channel_label(l, &a.channel)}</td>
                                <td>{t(l, source_name(a.source))}</td>
                                <td class="num">{format::count(a.counters.impressions)}</td>
                                <td class="num">{a.reach.text()}</td>
                                <td class="num">{format::count(a.counters.new_fans)}</td>
                                <td class="num">{format::count(a.counters.potential_reach)}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                let m = v.matrix.clone();
                let matrix = if m.accounts.is_empty() {
                    view! { <p class="status empty">{t(l, Msg::MatrixEmpty)}</p> }.into_any()
                } else {
                    let heads = m
                        .accounts
                        .iter()
                        .map(|a| view! {
                            <th scope="col" class="num">{a.handle.clone()}<br/><small>{channel_label(l, &a.channel)}</small></th>
                        })
                        .collect_view();
                    let body = m
                        .accounts
                        .iter()
                        .enumerate()
                        .map(|(i, a)| {
                            let cells = m.shared[i]
                                .iter()
                                .enumerate()
                                .map(|(j, n)| {
                                    if a.channel != m.accounts[j].channel {
                                        // Different channels: different users.
                                        return view! { <td class="num cross" data-shared="0">"–"</td> }.into_any();
                                    }
                                    // Shade by the share of the smaller audience.
                                    let smaller = a.reach.value.min(m.accounts[j].reach.value);
                                    let share = if smaller > 0.0 { (n / smaller).min(1.0) } else { 0.0 };
                                    // Shaded by a class (tenths), not an inline style: the
                                    // page's CSP allows no style attributes.
                                    let class = format!("{} share-{}", if i == j { "num diag" } else { "num" }, (share * 10.0).round() as u8);
                                    view! {
                                        <td class=class
                                            data-shared=n.to_string()>
                                            {format::count(n.round() as u64)}
                                        </td>
                                    }
                                    .into_any()
                                })
                                .collect_view();
                            view! {
                                <tr>
                                    <th scope="row">{a.handle.clone()} " " <small>{channel_label(l, &a.channel)}</small></th>
                                    {cells}
                                </tr>
                            }
                        })
                        .collect_view();
                    view! {
                        <table class="matrix">
                            <thead><tr><th scope="col">{t(l, Msg::ColAccount)}</th>{heads}</tr></thead>
                            <tbody>{body}</tbody>
                        </table>
                        <p class="matrix-totals">
                            <span data-figure="matrix_union" data-value=m.union.value.to_string()>
                                {t(l, Msg::MatrixUnion)} ": " <strong>{m.union.text()}</strong>
                            </span>
                            " · "
                            <span data-figure="matrix_sum" data-value=m.sum.to_string()>
                                {t(l, Msg::MatrixSum)} ": " <strong>{format::count(m.sum.round() as u64)}</strong>
                            </span>
                        </p>
                        <p class="footnote">{t(l, Msg::MatrixNote)}</p>
                    }
                    .into_any()
                };
                view! {
                    {headline}
                    <p class="footnote">{t(l, Msg::ReachNote)}</p>
                    <h3>{t(l, Msg::SourcesTitle)}</h3>
                    <ChartCanvas chart name="sources" height=300/>
                    <table class="sources">
                        <thead>
                            <tr>
                                <th scope="col">{t(l, Msg::ColSource)}</th>
                                <th scope="col" class="num">{t(l, Msg::ColImpressions)}</th>
                                <th scope="col" class="num">{t(l, Msg::ColReach)}</th>
                                <th scope="col" class="num">{crate::i18n::kpi_label(l, analytics::overview::KpiKey::Engagements)}</th>
                                <th scope="col" class="num">{t(l, Msg::ColNewFans)}</th>
                                <th scope="col" class="num">{t(l, Msg::ColPotential)}</th>
                            </tr>
                        </thead>
                        <tbody>{sources}</tbody>
                    </table>
                    <h3 id="matrix-title">{t(l, Msg::MatrixTitle)}</h3>
                    {matrix}
                    <h3>{t(l, Msg::AccountsTitle)}</h3>
                    <div class="account-pick">
                        <span>{t(l, Msg::ReachAccounts)}</span>
                        <button type="button" class="secondary" on:click=set_all.clone()
                            prop:disabled=chosen.is_empty()>{t(l, Msg::AllAccounts)}</button>
                    </div>
                    <div class="table-tools"><CsvButton name="accounts" table=accounts_csv/></div>
                    <div class="table-scroll">
                        <table class="accounts">
                            <thead>
                                <tr>
                                    <th scope="col"><span class="sr-only">{t(l, Msg::ReachAccounts)}</span></th>
                                    <th scope="col">{t(l, Msg::ColAccount)}</th>
                                    <th scope="col">{t(l, Msg::ColChannel)}</th>
                                    <th scope="col">{t(l, Msg::ColSource)}</th>
                                    <th scope="col" class="num">{t(l, Msg::ColImpressions)}</th>
                                    <th scope="col" class="num">{t(l, Msg::ColReach)}</th>
                                    <th scope="col" class="num">{t(l, Msg::ColNewFans)}</th>
                                    <th scope="col" class="num">{t(l, Msg::ColPotential)}</th>
                                </tr>
                            </thead>
                            <tbody>{account_rows}</tbody>
                        </table>
                    </div>
                }
                .into_any()
            }}
        </section>
    }
}
