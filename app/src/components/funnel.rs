//! The fan-conversion funnel of a campaign: steps, rates with their 95%
//! Wilson intervals, retention, and the same by channel, for the window in
//! the URL (`?window=7d`). Figures come from `analytics::funnel`.

use crate::app::{use_lang, use_set_query};
use crate::components::status::EmptyState;
use crate::i18n::{Msg, channel_name, t};
use analytics::format;
use analytics::funnel::{self, DEFAULT_WINDOW_S, FunnelCounts, FunnelRow, WINDOWS_S};
use analytics::wire::Channel;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const STEP_NAMES: [Msg; funnel::STEPS] = [
    Msg::StepExposed,
    Msg::StepEngaged,
    Msg::StepFans,
    Msg::StepConverted,
];

/// `0.42 [0.39–0.45]` as percentages.
fn rate(r: Option<(f64, (f64, f64))>) -> String {
    match r {
        Some((p, (lo, hi))) => format!(
            "{} [{}–{}]",
            format::percent(p),
            format::percent(lo),
            format::percent(hi)
        ),
        None => "–".into(),
    }
}

#[component]
pub fn FunnelPanel(rows: Vec<FunnelRow>, exclude: Memo<bool>) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let set_query = use_set_query();
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
                        <td class="num">{rate(total.step_rate(i))}</td>
                        <td class="num">{rate(total.overall_rate(i))}</td>
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
            </div>
            {move || {
                let (total, by_channel) = view_of.get();
                if total.steps[0] == 0 {
                    return view! { <EmptyState title=Msg::FunnelTitle hint=Msg::FunnelEmpty/> }.into_any();
                }
                let l = lang.get();
                let retention = format!(
                    "{}: {} · {}: {}",
                    t(l, Msg::Retained7),
                    rate(funnel::wilson(total.retained_7d, total.steps[2]).map(|ci| (total.retained_7d as f64 / total.steps[2] as f64, ci))),
                    t(l, Msg::Retained30),
                    rate(funnel::wilson(total.retained_30d, total.steps[2]).map(|ci| (total.retained_30d as f64 / total.steps[2] as f64, ci))),
                );
                view! {
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
                    <h3>{t(l, Msg::ByChannel)}</h3>
                    <table class="funnel-channels">
                        <thead>
                            <tr>
                                <th scope="col">{t(l, Msg::ColChannel)}</th>
                                {STEP_NAMES.iter().map(|m| view! { <th scope="col" class="num">{t(l, *m)}</th> }).collect_view()}
                                <th scope="col" class="num">{t(l, Msg::ColOverallRate)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {by_channel
                                .into_iter()
                                .map(|c| {
                                    let name = Channel::parse(&c.key)
                                        .map(|ch| channel_name(l, ch).to_string())
                                        .unwrap_or_else(|| c.key.clone());
                                    view! {
                                        <tr data-channel=c.key.clone()>
                                            <th scope="row">{name}</th>
                                            {c.steps.iter().map(|n| view! { <td class="num">{format::count(*n)}</td> }).collect_view()}
                                            <td class="num">{rate(c.overall_rate(3))}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                    <p class="footnote">{t(l, Msg::FunnelNote)}</p>
                }
                .into_any()
            }}
        </section>
    }
}
