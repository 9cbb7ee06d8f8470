//! The reach-over-time chart, drawn by `charts` onto a canvas. The spec is
//! computed by `analytics`; this component only sizes the canvas and redraws
//! when the spec or the canvas width changes.

use analytics::overview::DailyChart;
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;

/// Bitmap height before the stylesheet sizes the canvas.
const HEIGHT: u32 = 380;

#[component]
pub fn ReachChart(#[prop(into)] chart: Signal<DailyChart>) -> impl IntoView {
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
            _ => HEIGHT,
        };
        c.set_width(w);
        c.set_height(h);
        let spec = chart.get();
        let result = match CanvasBackend::with_canvas_object(c) {
            Some(backend) => charts::draw_daily_chart(&backend.into_drawing_area(), &spec)
                .map_err(|e| e.to_string()),
            None => Err("this browser gives no 2D canvas context".to_string()),
        };
        error.set(result.err());
    });
    let colors = move || {
        chart.with(|c| {
            c.series
                .iter()
                .map(|s| s.color.hex())
                .collect::<Vec<_>>()
                .join(",")
        })
    };
    let label = move || chart.with(|c| c.text.title.clone());
    view! {
        <figure class="chart">
            <canvas
                node_ref=canvas
                class="chart-canvas"
                height=HEIGHT
                role="img"
                aria-label=label
                data-series-colors=colors
            ></canvas>
            {move || error.get().map(|e| view! { <p class="status error" role="alert">{e}</p> })}
        </figure>
    }
}
