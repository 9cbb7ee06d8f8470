//! A chart drawn by `charts` onto a canvas. The spec is computed by
//! `analytics`; this component only sizes the canvas and redraws when the
//! spec or the canvas width changes.

use super::export::{ChartFile, Format, use_export_subject};
use super::measured_canvas::measured_canvas;
use crate::app::use_lang;
use crate::i18n::{Msg, t};
use charts::Chart;
use charts::export::AnyChart;
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;

/// Bitmap height before the stylesheet sizes the canvas.
const HEIGHT: u32 = 380;

#[component]
pub fn ChartCanvas<C>(
    chart: Signal<C>,
    /// Names the chart in the page (`data-chart`), for tests and styles.
    name: &'static str,
    /// Bitmap height before the stylesheet sizes the canvas.
    #[prop(default = HEIGHT)]
    height: u32,
) -> impl IntoView
where
    C: Chart + Into<AnyChart> + Clone + Send + Sync + 'static,
{
    let lang = use_lang();
    let subject = use_export_subject();
    let canvas = NodeRef::<Canvas>::new();
    let width = RwSignal::new(0u32);
    let error = RwSignal::new(None::<String>);
    let handle = window_event_listener(leptos::ev::resize, move |_| {
        if let Some(c) = canvas.get_untracked() {
            width.set(c.client_width().max(0) as u32);
        }
    });
    on_cleanup(move || handle.remove());
    Effect::new(move |_| {
        let Some(c) = canvas.get() else { return };
        // Track the width so a resize redraws at the new size.
        let w = match width.get() {
            0 => c.client_width().max(320) as u32,
            w => w,
        };
        // The bitmap matches the CSS box, so text is drawn at its real size.
        let h = match c.client_height() {
            h if h > 0 => h as u32,
            _ => height,
        };
        c.set_width(w);
        c.set_height(h);
        let spec = chart.get();
        let style = charts::ChartStyle {
            scale: root_font_px() / 16.0,
        };
        let result = match measured_canvas(c) {
            Some(backend) => spec
                .draw_on(&backend.into_drawing_area(), &style)
                .map_err(|e| e.to_string()),
            None => Err("this browser gives no 2D canvas context".to_string()),
        };
        error.set(result.err());
    });
    let colors = move || {
        chart.with(|c| {
            c.colors()
                .iter()
                .map(|c| c.hex())
                .collect::<Vec<_>>()
                .join(",")
        })
    };
    // Each series' last value (or each row's total), for tests and for
    // assistive tools.
    let totals = move || {
        chart.with(|c| {
            c.totals()
                .iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(",")
        })
    };
    let label = move || chart.with(|c| c.title().to_string());
    // Downloads: the chart as the page shows it, with what it shows.
    let save = move |format: Format| {
        let Some(c) = canvas.get_untracked() else {
            return;
        };
        let file = ChartFile {
            chart: chart.get_untracked().into(),
            subject: subject.get_untracked(),
            name,
            size: (
                c.client_width().max(320) as u32,
                c.client_height().max(200) as u32,
            ),
            format,
            root_font_px: root_font_px(),
            lang: lang.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            let saved = crate::lazy::save_chart(file);
            #[cfg(feature = "split")]
            let saved = saved.await;
            let saved = match saved {
                Ok(saving) => Ok(saving.await),
                Err(missing) => Err(missing),
            };
            error.set(super::export::failure(saved, lang.get_untracked()));
        });
    };
    let tools = move || {
        let l = lang.get();
        view! {
            <div class="chart-tools">
                <button type="button" class="download" data-download="png" title=format!("{} PNG", t(l, Msg::Download))
                    on:click=move |_| save(Format::Png)>"PNG"</button>
                <button type="button" class="download" data-download="svg" title=format!("{} SVG", t(l, Msg::Download))
                    on:click=move |_| save(Format::Svg)>"SVG"</button>
            </div>
        }
    };
    view! {
        <figure class="chart">
            {tools}
            <canvas
                node_ref=canvas
                class="chart-canvas"
                data-chart=name
                height=height
                role="img"
                aria-label=label
                data-series-colors=colors
                data-series-totals=totals
            ></canvas>
            {move || error.get().map(|e| view! { <p class="status error" role="alert">{e}</p> })}
        </figure>
    }
}

/// The page's root font size in CSS pixels (the stylesheet enlarges it on
/// very large screens), so chart text grows with the page's text.
pub fn root_font_px() -> f64 {
    let px = web_sys::window()
        .and_then(|w| {
            let root = w.document()?.document_element()?;
            w.get_computed_style(&root).ok().flatten()
        })
        .and_then(|style| style.get_property_value("font-size").ok())
        .and_then(|v| charts::css_px(&v));
    px.unwrap_or(16.0)
}
