//! The explorer's prediction panel: the cascade's final size as of now, and
//! "what we would have predicted" at an earlier hour — the forecast the
//! model makes from the tree as it stood then — beside the size it reached.
//! The hour lives in the URL (`at=6`), like the rest of the view.

use super::FiguresEq;
use super::panels::outlook_now;
use crate::app::{use_lang, use_set_queries};
use crate::components::outlook;
use crate::i18n::{Msg, t};
use analytics::cascade::prediction::{self, HORIZONS_H};
use analytics::format;
use analytics::wire::{CascadeOutlook, OutlookState, PredictionParams};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use std::sync::Arc;

#[component]
pub(super) fn OutlookPanel(figures: Memo<Arc<FiguresEq>>) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let set = use_set_queries();
    let at = Memo::new(move |_| {
        query
            .read()
            .get("at")
            .and_then(|v| format::decimal(&v))
            .filter(|h| HORIZONS_H.contains(h))
    });
    let choose = move |ev| {
        let v = event_target_value(&ev);
        set(&[("at", (v != "now").then_some(v))]);
    };
    move || {
        let l = lang.get();
        let fig = figures.get();
        let now = outlook_now(&fig.0);
        let size = fig.0.metrics.n;
        let chosen = at.get();
        let options = HORIZONS_H
            .iter()
            .map(|&h| {
                view! {
                    <option value=h.to_string() selected=chosen == Some(h)>{format::duration(h * 3600.0, l)}</option>
                }
            })
            .collect_view();
        let replay = chosen.map(|h| {
            let models = prediction::default_models();
            match prediction::at_hour(&fig.0.tree, h, &models) {
                None => view! { <p class="replay" data-at=h.to_string()>{t(l, Msg::ReplayTooEarly)}</p> }.into_any(),
                Some(o) => {
                    let then = CascadeOutlook::of(&o, size, PredictionParams::Defaults);
                    let n = size as f64;
                    let inside = |lo: Option<f64>, hi: Option<f64>| {
                        lo.zip(hi).is_some_and(|(lo, hi)| lo <= n && n <= hi)
                    };
                    let (verdict, msg) = if inside(then.low80, then.high80) {
                        ("inside80", Msg::ReplayInside80)
                    } else if inside(then.low95, then.high95) {
                        ("inside95", Msg::ReplayInside95)
                    } else {
                        ("outside", Msg::ReplayOutside)
                    };
                    // Against the size it ended at, once it has ended.
                    let judged = (now.state == OutlookState::Finished).then(|| {
                        format!(
                            " — {}: {} · {}",
                            t(l, Msg::ReplayObserved),
                            format::count(size),
                            t(l, msg)
                        )
                    });
                    let verdict = judged.is_some().then_some(verdict);
                    view! {
                        <p class="replay" data-at=h.to_string() data-estimate=then.estimate.to_string()
                            data-low95=then.low95.unwrap_or_default().to_string()
                            data-high95=then.high95.unwrap_or_default().to_string()
                            data-verdict=verdict>
                            <strong>{outlook::headline(&then, l)}</strong>
                            {format!(" ({})", outlook::detail(&then, l))}
                            {judged}
                        </p>
                    }
                    .into_any()
                }
            }
        });
        view! {
            <section class="panel outlook-panel" data-outlook=now.state.as_str() aria-labelledby="outlook-title">
                <h2 id="outlook-title">{t(l, Msg::ColPredicted)}</h2>
                <p class="outlook-now">
                    <strong>{outlook::headline(&now, l)}</strong>
                    {(now.state == OutlookState::Growing).then(|| format!(" ({})", outlook::detail(&now, l)))}
                </p>
                <label class="replay-at">
                    {t(l, Msg::ReplayAt)}
                    " "
                    <select name="at" on:change=choose.clone()>
                        <option value="now" selected=chosen.is_none()>{t(l, Msg::ReplayNow)}</option>
                        {options}
                    </select>
                    " "
                    {t(l, Msg::ReplayHour)}
                </label>
                {replay}
            </section>
        }
    }
}
