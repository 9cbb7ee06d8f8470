//! The explorer's panels around the tree: its figures (cards), the
//! suspicious amplification found in it, and — from their own chunk, drawn
//! after the tree — its key spreaders and its growth curves.

use super::FiguresEq;
use crate::app::use_lang;
use crate::components::chart::ChartCanvas;
use crate::components::outlook;
use crate::i18n::{Msg, t};
use crate::lazy::lazy_part;
use analytics::cascade::prediction;
use analytics::explorer::{Cascade, Figures};
use analytics::format;
use analytics::overview::{ChartText, Rgb, XAxis, XyChart, XySeries};
use analytics::wire::{CascadeOutlook, PredictionParams};
use leptos::prelude::*;
use std::sync::Arc;

lazy_part!(
    /// The panels under the tree (who made it spread, and its curves),
    /// drawn from their own chunk after the tree: the tree draws first.
    explorer_panels,
    pub(super) fn spreaders_and_curves(figures: Memo<Arc<FiguresEq>>) {
        view! {
            <SpreadersPanel figures/>
            <CurvesPanel figures/>
        }
        .into_any()
    }
);

#[component]
pub(super) fn MetricCards(figures: Memo<Arc<FiguresEq>>) -> impl IntoView {
    let lang = use_lang();
    move || {
        let l = lang.get();
        let fig = figures.get();
        let m = &fig.0.metrics;
        let now = outlook_now(&fig.0);
        let cards = [
            (
                "size",
                t(l, Msg::ColSize).to_string(),
                format::count(m.n),
                m.n as f64,
            ),
            (
                "depth",
                t(l, Msg::ColDepth).to_string(),
                m.depth.to_string(),
                f64::from(m.depth),
            ),
            (
                "max_breadth",
                t(l, Msg::MaxBreadth).to_string(),
                format::count(m.max_breadth),
                m.max_breadth as f64,
            ),
            (
                "virality",
                t(l, Msg::ColVirality).to_string(),
                m.structural_virality
                    .map(|v| format!("{v:.2}"))
                    .unwrap_or_else(|| "–".into()),
                m.structural_virality.unwrap_or(0.0),
            ),
            (
                "t50",
                t(l, Msg::ColT50).to_string(),
                format::duration(m.t50 - m.t_min, l),
                m.t50 - m.t_min,
            ),
            (
                "predicted",
                t(l, Msg::ColPredicted).to_string(),
                outlook::headline(&now, l),
                now.estimate,
            ),
        ];
        view! {
            <section class="kpis" aria-label=t(l, Msg::KeyFigures)>
                {cards.into_iter().map(|(key, label, shown, value)| view! {
                    <div class="kpi" data-metric=key data-value=value.to_string()>
                        <div class="kpi-label">{label}</div>
                        <div class="kpi-value">{shown}</div>
                    </div>
                }).collect_view()}
            </section>
            {(fig.0.excluded > 0).then(|| view! {
                <p class="footnote excluded-note" data-excluded=fig.0.excluded.to_string()>
                    {format!("{} ", format::count(fig.0.excluded))}{t(l, Msg::ExcludedNote)}
                </p>
            })}
            <p class="footnote">{t(l, Msg::PredictionNote)}</p>
        }
    }
}

/// The outlook of the tree shown, as of now (the browser's clock), with the
/// shipped parameters.
pub(super) fn outlook_now(fig: &Figures) -> CascadeOutlook {
    let now_s = js_sys::Date::now() / 1000.0;
    let o = prediction::outlook(&fig.tree, now_s, &prediction::default_models());
    CascadeOutlook::of(&o, fig.metrics.n, PredictionParams::Defaults)
}

#[component]
pub(super) fn FlagsPanel(
    cascade: Arc<Cascade>,
    exclude: Memo<bool>,
    on_toggle: impl Fn(leptos::ev::Event) + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let any = !cascade.flags.is_empty();
    let c = cascade.clone();
    view! {
        <section class="panel flags" aria-labelledby="flags-title">
            <div class="panel-head">
                <h2 id="flags-title">{move || t(lang.get(), Msg::FlaggedTitle)}</h2>
                {any.then(|| view! {
                    <label class="switch">
                        <input type="checkbox" name="exclude" prop:checked=move || exclude.get() on:change=on_toggle/>
                        <span>{move || t(lang.get(), Msg::ExcludeFlagged)}</span>
                    </label>
                })}
            </div>
            {move || {
                let l = lang.get();
                if c.flags.is_empty() {
                    return view! { <p class="status empty">{t(l, Msg::NoFlags)}</p> }.into_any();
                }
                c.flags
                    .iter()
                    .map(|f| {
                        let parent = c.tree.ids.get(f.parent as usize).copied().unwrap_or(0);
                        let s = f.signals;
                        let signals = [
                            (s.few_followers, Msg::SigFewFollowers),
                            (s.few_posts, Msg::SigFewPosts),
                            (s.new_account, Msg::SigNewAccount),
                            (s.follows_many, Msg::SigFollowsMany),
                        ]
                        .into_iter()
                        .filter(|(n, _)| *n > 0)
                        .map(|(n, m)| format!("{} {}", format::count(n), t(l, m)))
                        .collect::<Vec<_>>()
                        .join(" · ");
                        view! {
                            <p class="flag" data-parent=c.handle(parent).to_string() data-nodes=f.nodes.len().to_string()>
                                <strong>{format!("{} ", format::count(f.nodes.len() as u64))}</strong>
                                {format!("{} @{} {} {}", t(l, Msg::FlagReposts), c.handle(parent), t(l, Msg::FlagWithin), format::duration(f.end - f.start, l))}
                                <br/>
                                <small>{signals}</small>
                            </p>
                        }
                    })
                    .collect_view()
                    .into_any()
            }}
        </section>
    }
}

#[component]
pub(super) fn SpreadersPanel(figures: Memo<Arc<FiguresEq>>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="panel spreaders" aria-labelledby="spreaders-title">
            <h2 id="spreaders-title">{move || t(lang.get(), Msg::KeySpreaders)}</h2>
            {move || {
                let l = lang.get();
                let fig = figures.get();
                let rows = fig
                    .0
                    .spreaders
                    .iter()
                    .map(|s| view! {
                        <tr data-handle=s.handle.clone() data-share=s.contribution.to_string()>
                            <th scope="row">{format!("@{}", s.handle)}</th>
                            <td class="num">{format::count(s.followers)}</td>
                            <td class="num">{format::count(s.subtree)}</td>
                            <td class="num">{format::count(s.children)}</td>
                            <td class="num">{format::percent(s.contribution)}</td>
                        </tr>
                    })
                    .collect_view();
                view! {
                    <table>
                        <thead>
                            <tr>
                                <th scope="col">{t(l, Msg::NodeAccount)}</th>
                                <th scope="col" class="num">{t(l, Msg::ColFollowers)}</th>
                                <th scope="col" class="num">{t(l, Msg::NodeSubtree)}</th>
                                <th scope="col" class="num">{t(l, Msg::ColDirect)}</th>
                                <th scope="col" class="num">{t(l, Msg::ColShare)}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                }
            }}
        </section>
    }
}

const BLUE: Rgb = Rgb(0x25, 0x63, 0xeb);
const ORANGE: Rgb = Rgb(0xf9, 0x73, 0x16);

#[component]
pub(super) fn CurvesPanel(figures: Memo<Arc<FiguresEq>>) -> impl IntoView {
    let lang = use_lang();
    let chart = move |title: Msg,
                      x_label: Msg,
                      y_label: Msg,
                      axis: XAxis,
                      points: fn(&Figures) -> Vec<(f64, f64)>,
                      color: Rgb| {
        Signal::derive(move || {
            let l = lang.get();
            let fig = figures.get();
            XyChart {
                text: ChartText {
                    title: t(l, title).into(),
                    x_label: t(l, x_label).into(),
                    y_label: t(l, y_label).into(),
                },
                lang: l,
                x_axis: axis,
                series: vec![XySeries {
                    name: t(l, y_label).into(),
                    color,
                    points: points(&fig.0),
                }],
                marks: Vec::new(),
            }
        })
    };
    let breadth = chart(
        Msg::BreadthTitle,
        Msg::AxisLevel,
        Msg::AxisNodes,
        XAxis::Count,
        |f| {
            f.breadth
                .iter()
                .enumerate()
                .map(|(i, &b)| (i as f64, b as f64))
                .collect()
        },
        BLUE,
    );
    let growth = chart(
        Msg::GrowthTitle,
        Msg::AxisElapsed,
        Msg::AxisNodes,
        XAxis::Elapsed,
        |f| {
            let t0 = f.tree.time.first().copied().unwrap_or(0.0);
            f.growth.iter().map(|&(t, n)| (t - t0, n as f64)).collect()
        },
        BLUE,
    );
    let virality = chart(
        Msg::ViralityTitle,
        Msg::AxisElapsed,
        Msg::ColVirality,
        XAxis::Elapsed,
        |f| {
            let t0 = f.tree.time.first().copied().unwrap_or(0.0);
            f.over_time
                .iter()
                .filter_map(|p| Some((p.time - t0, p.structural_virality?)))
                .collect()
        },
        ORANGE,
    );
    let depth = chart(
        Msg::DepthTitle,
        Msg::AxisElapsed,
        Msg::ColDepth,
        XAxis::Elapsed,
        |f| {
            let t0 = f.tree.time.first().copied().unwrap_or(0.0);
            f.over_time
                .iter()
                .map(|p| (p.time - t0, f64::from(p.depth)))
                .collect()
        },
        ORANGE,
    );
    view! {
        <section class="panel curves">
            <div class="curve-grid">
                <ChartCanvas chart=breadth name="breadth" height=260/>
                <ChartCanvas chart=growth name="growth" height=260/>
                <ChartCanvas chart=virality name="virality" height=260/>
                <ChartCanvas chart=depth name="depth" height=260/>
            </div>
        </section>
    }
}
