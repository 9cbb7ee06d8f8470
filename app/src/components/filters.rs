//! The view's filters: date range and channels, kept in the URL (`from`,
//! `to`, `ch`) beside the suspects switch (`fakes`), so a copied link shows
//! the same selection. Parameters the page cannot read are named, not
//! silently dropped.

use crate::app::{use_lang, use_set_queries};
use crate::i18n::{Msg, channel_name, t};
use analytics::selection::{BadParam, Filter};
use analytics::wire::{Campaign, Channel};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The filter of the current URL, and what in it could not be read.
pub fn use_filter() -> Memo<(Filter, Vec<BadParam>)> {
    let query = use_query_map();
    Memo::new(move |_| {
        let q = query.read();
        Filter::from_query(|name| q.get(name))
    })
}

#[component]
pub fn FilterBar(campaign: Campaign, filter: Memo<(Filter, Vec<BadParam>)>) -> impl IntoView {
    let lang = use_lang();
    let set = use_set_queries();
    let channels = campaign.channels.clone();
    let all = channels.clone();
    let (min, max) = (campaign.start_date.clone(), campaign.end_date.clone());
    let set_day = {
        let set = set.clone();
        move |name: &'static str, ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            set(&[(name, (!v.is_empty()).then_some(v))]);
        }
    };
    let set_from = {
        let set_day = set_day.clone();
        move |ev| set_day("from", ev)
    };
    let set_to = move |ev| set_day("to", ev);
    let toggle = {
        let set = set.clone();
        move |c: Channel| {
            let (f, _) = filter.get_untracked();
            let mut now: Vec<Channel> = if f.channels.is_empty() {
                all.clone()
            } else {
                f.channels.clone()
            };
            if now.contains(&c) {
                now.retain(|x| *x != c);
            } else {
                now.push(c);
            }
            now.sort();
            let every = all.iter().all(|x| now.contains(x));
            let value = if every || now.is_empty() {
                None
            } else {
                Filter::channels_param(&now)
            };
            set(&[("ch", value)]);
        }
    };
    let reset = move |_| set(&[("from", None), ("to", None), ("ch", None)]);
    let day_value = move |to: bool| {
        let (f, _) = filter.get();
        let d = if to { f.to } else { f.from };
        d.map(|d| d.to_string()).unwrap_or_default()
    };
    view! {
        <section class="filters" aria-label=move || t(lang.get(), Msg::FilterLabel)>
            <label class="field">
                <span>{move || t(lang.get(), Msg::FilterFrom)}</span>
                <input type="date" name="from" min=min.clone() max=max.clone()
                    prop:value=move || day_value(false) on:change=set_from/>
            </label>
            <label class="field">
                <span>{move || t(lang.get(), Msg::FilterTo)}</span>
                <input type="date" name="to" min=min max=max
                    prop:value=move || day_value(true) on:change=set_to/>
            </label>
            <fieldset class="channels">
                <legend>{move || t(lang.get(), Msg::FilterChannels)}</legend>
                {channels
                    .into_iter()
                    .map(|c| {
                        let toggle = toggle.clone();
                        let on = move || filter.with(|(f, _)| f.has_channel(c.as_str()));
                        // The last channel left cannot be unticked: no
                        // channel at all would show nothing.
                        let only = move || filter.with(|(f, _)| f.channels == [c]);
                        view! {
                            <label class=format!("chip ch-{}", c.as_str())>
                                <input type="checkbox" name="ch" value=c.as_str()
                                    prop:checked=on prop:disabled=only
                                    on:change=move |_| toggle(c)/>
                                {move || channel_name(lang.get(), c)}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <button type="button" class="secondary" on:click=reset
                prop:disabled=move || !filter.with(|(f, _)| f.is_narrowed())>
                {move || t(lang.get(), Msg::FilterReset)}
            </button>
            {move || {
                let bad = filter.with(|(_, bad)| bad.clone());
                (!bad.is_empty()).then(|| {
                    let list = bad
                        .iter()
                        .map(|b| format!("{}={}", b.name, b.value))
                        .collect::<Vec<_>>()
                        .join(", ");
                    view! {
                        <p class="status warning ignored-params" role="status">
                            {t(lang.get(), Msg::IgnoredParams)} " " <code>{list}</code>
                        </p>
                    }
                })
            }}
        </section>
    }
}
