//! A chart drawn by `charts` onto a canvas. The spec is computed by
//! `analytics`; this component only sizes the canvas and redraws when the
//! spec or the canvas width changes.

use super::measured_canvas::MeasuredCanvas;
use charts::Chart;
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
    C: Chart + Clone + Send + Sync + 'static,
{
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
        let result = match MeasuredCanvas::new(c) {
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
    view! {
        <figure class="chart">
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
