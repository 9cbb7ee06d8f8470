//! `/campaigns/:id/cascades`: the campaign's cascades, sortable by size,
//! depth, structural virality, speed (t50) and predicted final size,
//! filtered by channel, size and date, paged. Everything is in the URL
//! (`sort`, `order`, `channel`, `min`, `max`, `from`, `to`, `page`).

use crate::api;
use crate::app::{fetch_latest, localized, use_lang, use_set_queries};
use crate::components::export::{CsvButton, Subject, Table, provide_export_subject};
use crate::components::outlook;
use crate::components::status::{EmptyState, ErrorPanel, Loading};
use crate::i18n::{Msg, channel_name, t};
use analytics::format;
use analytics::wire::{CascadePage, Channel};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Rows per page the table offers (`per`), the first the default.
const PER_PAGE: [u32; 4] = [50, 10, 25, 100];

/// Sortable columns: URL value and heading.
const SORTS: [(&str, Msg); 5] = [
    ("size", Msg::ColSize),
    ("depth", Msg::ColDepth),
    ("virality", Msg::ColVirality),
    ("t50", Msg::ColT50),
    ("predicted", Msg::ColPredicted),
];

#[component]
pub fn Cascades() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let set = use_set_queries();
    let id = Memo::new(move |_| params.read().get("id").and_then(|v| v.parse::<i64>().ok()));
    let q = move |name: &str| query.read().get(name).unwrap_or_default();
    let sort = Memo::new(move |_| {
        Some(q("sort"))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "size".into())
    });
    let ascending = Memo::new(move |_| q("order") == "asc");
    let page_no = Memo::new(move |_| {
        q("page")
            .parse::<u32>()
            .ok()
            .filter(|p| *p >= 1)
            .unwrap_or(1)
    });
    let per = Memo::new(move |_| {
        q("per")
            .parse::<u32>()
            .ok()
            .filter(|p| PER_PAGE.contains(p))
            .unwrap_or(PER_PAGE[0])
    });
    // What the list request asks, from the URL.
    let api_query = Memo::new(move |_| {
        let opt = |name: &str| Some(q(name)).filter(|v| !v.is_empty());
        api::CascadeQuery {
            sort: sort.get(),
            ascending: ascending.get(),
            page: page_no.get(),
            per_page: per.get(),
            channel: opt("channel"),
            min_size: opt("min"),
            max_size: opt("max"),
            from: opt("from"),
            to: opt("to"),
            root: None,
        }
    });
    let campaign = LocalResource::new(move || async move {
        match id.get() {
            Some(id) => api::campaign_summary(id).await.map(|s| s.campaign),
            None => Err(crate::error::ApiFailure::Status {
                status: 404,
                message: "not a campaign id".into(),
            }),
        }
    });
    provide_export_subject(Signal::derive(move || {
        campaign
            .get()
            .and_then(Result::ok)
            .map(|campaign| Subject::Campaign {
                campaign,
                filter: None,
            })
            .unwrap_or_default()
    }));
    let page = LocalResource::new(move || {
        api_query.track();
        fetch_latest(api_query, move |query: api::CascadeQuery| async move {
            match id.get_untracked() {
                Some(id) => api::cascades(id, &query).await,
                None => Err(crate::error::ApiFailure::Status {
                    status: 404,
                    message: "not a campaign id".into(),
                }),
            }
        })
    });
    let set_param = {
        let set = set.clone();
        move |name: &'static str, v: String| {
            set(&[(name, (!v.is_empty()).then_some(v)), ("page", None)])
        }
    };
    let sort_by = {
        let set = set.clone();
        move |key: &'static str| {
            let same = sort.get_untracked() == key;
            let order = if same && !ascending.get_untracked() {
                Some("asc".to_string())
            } else {
                None
            };
            set(&[
                ("sort", Some(key.to_string())),
                ("order", order),
                ("page", None),
            ]);
        }
    };
    let go = {
        let set = set.clone();
        move |p: u32| set(&[("page", (p > 1).then(|| p.to_string()))])
    };
    let filters = move || {
        let Some(Ok(c)) = campaign.get() else {
            return None;
        };
        let (s1, s2, s3, s4, s5, s6) = (
            set_param.clone(),
            set_param.clone(),
            set_param.clone(),
            set_param.clone(),
            set_param.clone(),
            set_param.clone(),
        );
        Some(view! {
            <section class="filters" aria-label=move || t(lang.get(), Msg::FilterLabel)>
                <label class="field">
                    <span>{move || t(lang.get(), Msg::FilterChannels)}</span>
                    <select name="channel" prop:value=move || q("channel") on:change=move |ev| s1("channel", event_target_value(&ev))>
                        <option value="">{move || t(lang.get(), Msg::AllChannels)}</option>
                        {c.channels.iter().map(|&ch| view! { <option value=ch.as_str()>{move || channel_name(lang.get(), ch)}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{move || t(lang.get(), Msg::MinSize)}</span>
                    <input type="number" name="min" min="1" inputmode="numeric" prop:value=move || q("min") on:change=move |ev| s2("min", event_target_value(&ev))/>
                </label>
                <label class="field">
                    <span>{move || t(lang.get(), Msg::MaxSize)}</span>
                    <input type="number" name="max" min="1" inputmode="numeric" prop:value=move || q("max") on:change=move |ev| s3("max", event_target_value(&ev))/>
                </label>
                <label class="field">
                    <span>{move || t(lang.get(), Msg::FilterFrom)}</span>
                    <input type="date" name="from" min=c.start_date.clone() prop:value=move || q("from") on:change=move |ev| s4("from", event_target_value(&ev))/>
                </label>
                <label class="field">
                    <span>{move || t(lang.get(), Msg::FilterTo)}</span>
                    <input type="date" name="to" prop:value=move || q("to") on:change=move |ev| s5("to", event_target_value(&ev))/>
                </label>
                <label class="field">
                    <span>{move || t(lang.get(), Msg::PerPage)}</span>
                    <select name="per" prop:value=move || per.get().to_string()
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            s6("per", if v == PER_PAGE[0].to_string() { String::new() } else { v })
                        }>
                        {PER_PAGE.iter().map(|n| view! { <option value=n.to_string()>{n.to_string()}</option> }).collect_view()}
                    </select>
                </label>
            </section>
        })
    };
    let table = move |p: CascadePage| {
        let l = lang.get();
        let Some(cid) = id.get() else {
            return view! { <Loading/> }.into_any();
        };
        if p.items.is_empty() {
            return view! { <EmptyState title=Msg::CascadesTitle hint=Msg::CascadesEmpty/> }
                .into_any();
        }
        let pages = p.total.div_ceil(u64::from(p.per_page)).max(1) as u32;
        let offset = campaign
            .get()
            .and_then(|c| c.ok())
            .map_or(0, |c| c.workspace.utc_offset_s);
        let heads = SORTS
            .iter()
            .map(|&(key, msg)| {
                let sort_by = sort_by.clone();
                let active = sort.get() == key;
                let aria = if !active { "none" } else if ascending.get() { "ascending" } else { "descending" };
                let arrow = if !active { "" } else if ascending.get() { " ▲" } else { " ▼" };
                view! {
                    <th scope="col" class="num" aria-sort=aria>
                        <button type="button" class="sort" data-sort=key on:click=move |_| sort_by(key)>{format!("{}{arrow}", t(l, msg))}</button>
                    </th>
                }
            })
            .collect_view();
        let (now, total) = (p.page, p.total);
        let for_csv = p.items.clone();
        let table = move || Table::Cascades(for_csv.clone(), offset);
        let rows = p
            .items
            .into_iter()
            .map(|c| {
                let href = localized(&format!("/campaigns/{cid}/cascades/{}", js_sys::encode_uri_component(&c.root_id)), l);
                let (headline, detail) = (outlook::headline(&c.prediction, l), outlook::detail(&c.prediction, l));
                let state = c.prediction.state.as_str();
                let posted = analytics::date::Date::from_unix(c.posted_at, offset);
                let channel = Channel::parse(c.channel.as_str()).map(|ch| channel_name(l, ch)).unwrap_or("");
                view! {
                    <tr data-root=c.root_id.clone() data-size=c.size.to_string() data-depth=c.depth.to_string()>
                        <th scope="row"><A href=href>{c.author}</A></th>
                        <td>{channel}</td>
                        <td>{format::short_date(posted, l)}</td>
                        <td class="num">{format::count(c.size)}</td>
                        <td class="num">{c.depth}</td>
                        <td class="num">{c.structural_virality.map(|v| format!("{v:.2}")).unwrap_or_else(|| "–".into())}</td>
                        <td class="num">{format::duration(c.t50_s, l)}</td>
                        <td class="num outlook" data-outlook=state data-estimate=c.prediction.estimate.to_string()>
                            {headline}
                            {(!detail.is_empty()).then(|| view! { <small class="outlook-detail">{detail}</small> })}
                        </td>
                        <td class="num">{format::count(c.flagged_reposts)}</td>
                    </tr>
                }
            })
            .collect_view();
        let (prev, next) = (go.clone(), go.clone());
        view! {
            <div class="table-scroll">
                <div class="table-tools"><CsvButton name="cascades" table/></div>
                <table class="cascades" data-total=total.to_string()>
                    <thead>
                        <tr>
                            <th scope="col">{t(l, Msg::ColAuthor)}</th>
                            <th scope="col">{t(l, Msg::ColChannel)}</th>
                            <th scope="col">{t(l, Msg::ColPosted)}</th>
                            {heads}
                            <th scope="col" class="num">{t(l, Msg::ColFlagged)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <nav class="pager" aria-label=t(l, Msg::PageWord)>
                <button type="button" class="secondary" prop:disabled={now <= 1} on:click=move |_| prev(now - 1)>{t(l, Msg::PagePrev)}</button>
                <span class="page-of" data-page=now.to_string() data-pages=pages.to_string()>
                    {match l {
                        analytics::Lang::Zh => format!("{} {now} {} {pages} 页", t(l, Msg::PageWord), t(l, Msg::PageOf)),
                        analytics::Lang::En => format!("{} {now} {} {pages}", t(l, Msg::PageWord), t(l, Msg::PageOf)),
                    }}
                </span>
                <button type="button" class="secondary" prop:disabled={now >= pages} on:click=move |_| next(now + 1)>{t(l, Msg::PageNext)}</button>
            </nav>
        }
        .into_any()
    };
    view! {
        <nav class="breadcrumb">
            {move || id.get().map(|cid| view! {
                <a href=move || localized(&format!("/campaigns/{cid}"), lang.get())>{move || format!("← {}", t(lang.get(), Msg::KeyFigures))}</a>
            })}
        </nav>
        <h1>{move || t(lang.get(), Msg::CascadesTitle)}</h1>
        {move || campaign.get().and_then(|c| c.ok()).map(|c| view! { <p class="meta">{c.name}</p> })}
        {filters}
        <section class="panel">
            {move || match page.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(failure)) => view! { <ErrorPanel failure on_retry=move || page.refetch()/> }.into_any(),
                Some(Ok(p)) => table(p),
            }}
        </section>
    }
}
