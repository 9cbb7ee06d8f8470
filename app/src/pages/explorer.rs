//! `/campaigns/:id/cascades/:root`: one cascade, drawn and explained.
//!
//! The tree is rasterised in WASM (the `raster` crate) into one
//! pixel buffer and blitted with `putImageData`; only the few labels go
//! through the canvas's `fillText`. View state is in the URL: `layout`
//! (tidy|radial), `exclude=flagged`, `node` (the selected post), and the
//! viewport `z`, `x`, `y`. The panels around the tree are in `panels`; those
//! under it come from their own chunk, after the tree is drawn.

mod panels;
mod replay;

use panels::{FlagsPanel, MetricCards, spreaders_and_curves};

use crate::api;
use crate::app::{localized, use_lang, use_set_queries};
use crate::components::export::{Subject, provide_export_subject};
use crate::components::status::{ErrorPanel, Loading};
use crate::error::ApiFailure;
use crate::i18n::{Msg, t};
use crate::lazy::deferred;
use analytics::explorer::{self, Cascade, Figures, Shape};
use analytics::format;
use leptos::html::Canvas;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use raster::Viewport;
use std::sync::Arc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{Clamped, JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, ImageData};

/// How many key spreaders are listed (and labelled on the picture: 3).
const TOP: usize = 10;
const LABELLED: usize = 3;

#[component]
pub fn Explorer() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|v| v.parse::<i64>().ok()));
    let root = Memo::new(move |_| params.read().get("root").unwrap_or_default());
    let cascade = LocalResource::new(move || {
        let (id, root) = (id.get(), root.get());
        async move {
            let Some(id) = id else {
                return Err(ApiFailure::Status {
                    status: 404,
                    message: "not a campaign id".into(),
                });
            };
            let blob = api::cascade_tree(id, &root).await?;
            Cascade::from_blob(blob)
                .map(Arc::new)
                .map_err(|e| ApiFailure::Malformed(format!("cascade {root}: {e}")))
        }
    });
    view! {
        <nav class="breadcrumb">
            {move || id.get().map(|cid| view! {
                <A href=move || localized(&format!("/campaigns/{cid}/cascades"), lang.get())>{move || format!("← {}", t(lang.get(), Msg::CascadesTitle))}</A>
            })}
        </nav>
        {move || match cascade.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(failure)) => view! { <ErrorPanel failure on_retry=move || cascade.refetch()/> }.into_any(),
            Some(Ok(c)) => view! { <Explore cascade=c/> }.into_any(),
        }}
    }
}

/// A number from the URL, or `default`.
fn num(v: Option<String>, default: f64) -> f64 {
    v.and_then(|v| analytics::format::decimal(&v))
        .unwrap_or(default)
}

#[component]
fn Explore(cascade: Arc<Cascade>) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let set = use_set_queries();
    let shape = Memo::new(move |_| match query.read().get("layout").as_deref() {
        Some("radial") => Shape::Radial,
        _ => Shape::Tidy,
    });
    let exclude = Memo::new(move |_| query.read().get("exclude").as_deref() == Some("flagged"));
    // What the curves' downloads say they show: this cascade, as shown.
    let c_meta = cascade.clone();
    provide_export_subject(Signal::derive(move || Subject::Cascade {
        handle: c_meta.handle(0).to_string(),
        root: c_meta.blob.ids.first().cloned().unwrap_or_default(),
        excluded: exclude.get(),
    }));
    let flagged = Arc::new(cascade.flagged());
    let c = cascade.clone();
    let figures: Memo<Arc<FiguresEq>> = Memo::new(move |_| {
        Arc::new(FiguresEq(explorer::figures(
            &c,
            exclude.get(),
            shape.get(),
            TOP,
        )))
    });
    // The selected node, by post id in the URL.
    let selected = {
        let c = cascade.clone();
        Memo::new(move |_| {
            let post = query.read().get("node")?;
            c.blob.ids.iter().position(|p| *p == post).map(|i| i as u32)
        })
    };
    let hover = RwSignal::new(None::<u32>);
    let canvas = NodeRef::<Canvas>::new();
    let size = RwSignal::new((0u32, 0u32));
    // The viewport lives here while the pointer moves and is written to the
    // URL when a gesture ends.
    let viewport = RwSignal::new(None::<Viewport>);
    let from_url = move |w: u32, h: u32| {
        let q = query.read_untracked();
        let mut vp = Viewport::fit(w, h, shape.get_untracked());
        vp.zoom = num(q.get("z"), 1.0).clamp(0.5, 4096.0);
        vp.cx = num(q.get("x"), vp.cx);
        vp.cy = num(q.get("y"), vp.cy);
        vp
    };
    let measure = move || {
        if let Some(el) = canvas.get_untracked() {
            let w = el.client_width().max(320) as u32;
            let h = el.client_height().max(240) as u32;
            if size.get_untracked() != (w, h) {
                size.set((w, h));
            }
        }
    };
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());
    // A new layout or a URL change (a shared link, back/forward) resets the
    // viewport from the URL.
    Effect::new(move |_| {
        let (w, h) = size.get();
        let _ = (
            shape.get(),
            query.with(|q| (q.get("z"), q.get("x"), q.get("y"))),
        );
        if w > 0 {
            viewport.set(Some(from_url(w, h)));
        }
    });
    let commit = {
        let set = set.clone();
        move |vp: Viewport| {
            set(&[
                ("z", Some(format!("{:.4}", vp.zoom))),
                ("x", Some(format!("{:.5}", vp.cx))),
                ("y", Some(format!("{:.5}", vp.cy))),
            ]);
        }
    };
    let buffer = StoredValue::new_local(Vec::<u8>::new());
    let flagged_draw = flagged.clone();
    let c_draw = cascade.clone();
    let draw = move |fig: &Figures, vp: &Viewport, sel: Option<u32>| -> Result<(), JsValue> {
        let Some(el) = canvas.get_untracked() else {
            return Ok(());
        };
        if el.width() != vp.width || el.height() != vp.height {
            el.set_width(vp.width);
            el.set_height(vp.height);
        }
        let ctx: CanvasRenderingContext2d = el
            .get_context("2d")?
            .ok_or_else(|| JsValue::from_str("no 2D context"))?
            .dyn_into()?;
        let shape = shape.get_untracked();
        buffer.update_value(|buf| raster::raster(fig, &flagged_draw, shape, vp, sel, buf));
        buffer.with_value(|buf| {
            let image =
                ImageData::new_with_u8_clamped_array_and_sh(Clamped(buf), vp.width, vp.height)?;
            ctx.put_image_data(&image, 0.0, 0.0)
        })?;
        // Labels: the original's author and the top spreaders.
        // Labels grow with the page's text (larger on wall screens).
        let px = 13.0 * crate::components::chart::root_font_px() / 16.0;
        ctx.set_font(&format!(
            "600 {px:.0}px Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
        ));
        ctx.set_text_baseline("middle");
        let labelled = std::iter::once(fig.tree.ids[0])
            .chain(fig.spreaders.iter().take(LABELLED).map(|s| s.node));
        for node in labelled {
            let Some(v) = fig.tree.ids.iter().position(|&id| id == node) else {
                continue;
            };
            let (x, y) = vp.to_screen(shape, fig.layout.x[v], fig.layout.y[v]);
            let text = format!("@{}", c_draw.handle(node));
            ctx.set_fill_style_str("rgba(255,255,255,0.85)");
            let w = ctx.measure_text(&text).map(|m| m.width()).unwrap_or(60.0);
            ctx.fill_rect(x + 7.0, y - px * 0.7, w + 6.0, px * 1.4);
            ctx.set_fill_style_str("#0f172a");
            ctx.fill_text(&text, x + 10.0, y)?;
        }
        Ok(())
    };
    let draw = StoredValue::new_local(draw);
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let fig = figures.get();
        let sel = selected.get();
        let Some(vp) = viewport.get() else {
            measure();
            return;
        };
        if let Err(e) = draw.with_value(|d| d(&fig.0, &vp, sel)) {
            error.set(Some(format!("{e:?}")));
        }
    });
    // The benchmark's hook: redraw the whole tree `frames` times on a
    // `width × height` bitmap (the page's own size when 0) and return each
    // frame's milliseconds (rasterise + blit + labels).
    Effect::new(move |_| {
        let Some(window) = web_sys::window() else {
            return;
        };
        let hook = Closure::<dyn Fn(u32, u32, u32) -> js_sys::Array>::new(
            move |frames: u32, width: u32, height: u32| {
                let out = js_sys::Array::new();
                let fig = figures.get_untracked();
                let sel = selected.get_untracked();
                let Some(mut vp) = viewport.get_untracked() else {
                    return out;
                };
                if width > 0 && height > 0 {
                    vp = Viewport::fit(width, height, shape.get_untracked());
                }
                let perf = web_sys::window().and_then(|w| w.performance());
                for i in 0..frames {
                    // Pan a pixel each frame so every frame is a real redraw.
                    let vp = vp.panned(shape.get_untracked(), f64::from(i % 2), 0.0);
                    let t0 = perf.as_ref().map_or(0.0, |p| p.now());
                    let _ = draw.with_value(|d| d(&fig.0, &vp, sel));
                    let t1 = perf.as_ref().map_or(0.0, |p| p.now());
                    out.push(&JsValue::from_f64(t1 - t0));
                }
                out
            },
        );
        let _ = js_sys::Reflect::set(
            &window,
            &JsValue::from_str("__womExplorerRedraw"),
            hook.as_ref(),
        );
        hook.forget();
    });

    // Pointer gestures: drag pans, wheel zooms about the pointer, a click
    // (a press that did not move) selects the node under it.
    let drag = StoredValue::new(None::<(f64, f64, f64)>);
    let set_node = {
        let set = set.clone();
        let c = cascade.clone();
        move |node: Option<u32>| {
            let post = node.and_then(|n| c.blob.ids.get(n as usize).cloned());
            set(&[("node", post)]);
        }
    };
    let on_down = move |ev: web_sys::PointerEvent| {
        drag.set_value(Some((
            f64::from(ev.offset_x()),
            f64::from(ev.offset_y()),
            0.0,
        )));
        if let Some(el) = canvas.get_untracked() {
            let _ = el.set_pointer_capture(ev.pointer_id());
        }
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        let (x, y) = (f64::from(ev.offset_x()), f64::from(ev.offset_y()));
        if let Some((px, py, moved)) = drag.get_value() {
            if let Some(vp) = viewport.get_untracked() {
                viewport.set(Some(vp.panned(shape.get_untracked(), x - px, y - py)));
            }
            drag.set_value(Some((x, y, moved + (x - px).abs() + (y - py).abs())));
        } else if let Some(vp) = viewport.get_untracked() {
            let fig = figures.get_untracked();
            hover.set(raster::node_at(
                &fig.0,
                shape.get_untracked(),
                &vp,
                x,
                y,
                8.0,
            ));
        }
    };
    let on_up = {
        let commit = commit.clone();
        let set_node = set_node.clone();
        move |ev: web_sys::PointerEvent| {
            let Some((_, _, moved)) = drag.get_value() else {
                return;
            };
            drag.set_value(None);
            let Some(vp) = viewport.get_untracked() else {
                return;
            };
            if moved < 3.0 {
                let fig = figures.get_untracked();
                let hit = raster::node_at(
                    &fig.0,
                    shape.get_untracked(),
                    &vp,
                    f64::from(ev.offset_x()),
                    f64::from(ev.offset_y()),
                    8.0,
                );
                set_node(hit);
            } else {
                commit(vp);
            }
        }
    };
    let on_wheel = {
        let commit = commit.clone();
        move |ev: web_sys::WheelEvent| {
            ev.prevent_default();
            let Some(vp) = viewport.get_untracked() else {
                return;
            };
            let factor = if ev.delta_y() < 0.0 { 1.25 } else { 0.8 };
            let vp = vp.zoomed(
                shape.get_untracked(),
                factor,
                f64::from(ev.offset_x()),
                f64::from(ev.offset_y()),
            );
            viewport.set(Some(vp));
            commit(vp);
        }
    };
    let zoom_by = {
        let commit = commit.clone();
        move |factor: f64| {
            let Some(vp) = viewport.get_untracked() else {
                return;
            };
            let vp = vp.zoomed(
                shape.get_untracked(),
                factor,
                f64::from(vp.width) / 2.0,
                f64::from(vp.height) / 2.0,
            );
            viewport.set(Some(vp));
            commit(vp);
        }
    };
    let fit = {
        let set = set.clone();
        move || set(&[("z", None), ("x", None), ("y", None)])
    };
    let on_key = {
        let (zoom_by, fit, commit) = (zoom_by.clone(), fit.clone(), commit.clone());
        move |ev: web_sys::KeyboardEvent| {
            let Some(vp) = viewport.get_untracked() else {
                return;
            };
            let pan = |dx: f64, dy: f64| {
                let vp = vp.panned(shape.get_untracked(), dx, dy);
                viewport.set(Some(vp));
                commit(vp);
            };
            match ev.key().as_str() {
                "+" | "=" => zoom_by(1.25),
                "-" | "_" => zoom_by(0.8),
                "0" => fit(),
                "ArrowLeft" => pan(60.0, 0.0),
                "ArrowRight" => pan(-60.0, 0.0),
                "ArrowUp" => pan(0.0, 60.0),
                "ArrowDown" => pan(0.0, -60.0),
                _ => return,
            }
            ev.prevent_default();
        }
    };
    let (zi, zo, ft) = (zoom_by.clone(), zoom_by.clone(), fit.clone());
    let set_layout = {
        let set = set.clone();
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            set(&[
                ("layout", (v == "radial").then_some(v)),
                ("z", None),
                ("x", None),
                ("y", None),
            ]);
        }
    };
    let toggle_exclude = {
        let set = set.clone();
        move |_| {
            let on = !exclude.get_untracked();
            set(&[("exclude", on.then(|| "flagged".to_string()))]);
        }
    };

    let c_details = cascade.clone();
    let flagged_details = flagged.clone();
    let details = move || {
        let node = hover.get().or(selected.get())?;
        let fig = figures.get();
        explorer::details(&c_details, &fig.0, &flagged_details, node)
    };
    let c_info = cascade.clone();
    view! {
        <header class="campaign-head">
            <h1>{move || format!("{} · @{}", t(lang.get(), Msg::ExplorerTitle), c_info.handle(0))}</h1>
            <p class="meta">{cascade.blob.ids.first().cloned().unwrap_or_default()}</p>
        </header>
        <MetricCards figures/>
        <replay::OutlookPanel figures/>
        <section class="panel explorer" aria-labelledby="explorer-title">
            <div class="panel-head">
                <h2 id="explorer-title">{move || t(lang.get(), Msg::WordOfMouth)}</h2>
                <div class="tools">
                    <label class="window">
                        <span>{move || t(lang.get(), Msg::LayoutLabel)}</span>
                        <select name="layout" on:change=set_layout prop:value=move || if shape.get() == Shape::Radial { "radial" } else { "tidy" }>
                            <option value="tidy">{move || t(lang.get(), Msg::LayoutTidy)}</option>
                            <option value="radial">{move || t(lang.get(), Msg::LayoutRadial)}</option>
                        </select>
                    </label>
                    <button type="button" class="secondary" on:click=move |_| zi(1.25)>{move || t(lang.get(), Msg::ZoomIn)}</button>
                    <button type="button" class="secondary" on:click=move |_| zo(0.8)>{move || t(lang.get(), Msg::ZoomOut)}</button>
                    <button type="button" class="secondary" on:click=move |_| ft()>{move || t(lang.get(), Msg::FitView)}</button>
                </div>
            </div>
            <div class="tree-wrap">
                <canvas
                    node_ref=canvas
                    class="tree-canvas"
                    tabindex="0"
                    role="img"
                    aria-label=move || format!("{} · {}", t(lang.get(), Msg::ExplorerTitle), t(lang.get(), Msg::ExplorerHelp))
                    data-nodes=move || figures.get().0.tree.len().to_string()
                    data-zoom=move || viewport.get().map(|v| v.zoom.to_string()).unwrap_or_default()
                    data-root=move || {
                        // Where the original is drawn (CSS pixels), for tests.
                        let fig = figures.get();
                        viewport.get().map(|vp| {
                            let (x, y) = vp.to_screen(shape.get(), fig.0.layout.x[0], fig.0.layout.y[0]);
                            format!("{x:.1},{y:.1}")
                        }).unwrap_or_default()
                    }
                    on:pointerdown=on_down
                    on:pointermove=on_move
                    on:pointerup=on_up
                    on:pointerleave=move |_| hover.set(None)
                    on:wheel=on_wheel
                    on:keydown=on_key
                ></canvas>
                {move || details().map(|d| {
                    let l = lang.get();
                    view! {
                        <dl class="node-details" data-node=d.post.clone() role="status">
                            <div><dt>{t(l, Msg::NodeAccount)}</dt><dd>{format!("@{}", d.handle)}</dd></div>
                            <div><dt>{t(l, Msg::ColFollowers)}</dt><dd>{format::count(d.followers)}</dd></div>
                            <div><dt>{t(l, Msg::NodeAfter)}</dt><dd>{format::duration(d.seconds_after_root, l)}</dd></div>
                            <div><dt>{t(l, Msg::NodeLevel)}</dt><dd>{d.level}</dd></div>
                            <div><dt>{t(l, Msg::NodeSubtree)}</dt><dd data-subtree=d.subtree.to_string()>{format::count(d.subtree)}</dd></div>
                            <div><dt>{t(l, Msg::ColShare)}</dt><dd>{format::percent(d.contribution)}</dd></div>
                            <div><dt>{t(l, Msg::NodePost)}</dt><dd>{d.post.clone()}</dd></div>
                            {d.flagged.then(|| view! { <div class="flagged"><dt>{t(l, Msg::FlaggedTitle)}</dt><dd>"⚠"</dd></div> })}
                        </dl>
                    }
                })}
            </div>
            <p class="footnote">{move || t(lang.get(), Msg::ExplorerHelp)}</p>
            {move || error.get().map(|e| view! { <p class="status error" role="alert">{e}</p> })}
        </section>
        <FlagsPanel cascade=cascade.clone() exclude on_toggle=toggle_exclude/>
        {deferred(spreaders_and_curves(figures))}
    }
}

/// `Figures` compared by identity, so a memo of it re-runs its readers only
/// when it is recomputed.
#[derive(Debug)]
pub(super) struct FiguresEq(pub(super) Figures);

impl PartialEq for FiguresEq {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}
