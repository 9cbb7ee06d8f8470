//! The canvas backend the charts draw on: plotters' own, with text measured
//! by the canvas' `measureText` (`charts::measured`). plotters measures text
//! in the browser by adding a `<span>` with an inline `style` attribute,
//! which the page's Content-Security-Policy (`style-src 'self'`, no inline
//! styles) refuses; measured here, no style attribute is ever set.

use charts::measured::{Measured, TextWidth};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// Text widths from a canvas' 2D context, in the charts' face.
pub struct CanvasWidth {
    context: CanvasRenderingContext2d,
}

impl TextWidth for CanvasWidth {
    fn width(&self, text: &str, px: f64) -> f64 {
        canvas_width(
            text,
            px,
            |font| self.context.set_font(font),
            |t| self.context.measure_text(t).map(|m| m.width()).ok(),
        )
    }
}

/// The width of `text` at `px` in the charts' face on any canvas context
/// (the page's, a worker's offscreen one): the font set as plotters-canvas
/// draws with it, then measured; an estimate if measuring fails.
pub fn canvas_width(
    text: &str,
    px: f64,
    set_font: impl FnOnce(&str),
    measure: impl FnOnce(&str) -> Option<f64>,
) -> f64 {
    set_font(&format!("normal {px}px {}", charts::FONT_FAMILY));
    measure(text).unwrap_or(px * text.chars().count() as f64 * 0.6)
}

/// [`CanvasBackend`] with CSP-safe text measurement.
pub type MeasuredCanvas = Measured<CanvasBackend, CanvasWidth>;

/// The backend of `canvas`, or `None` where the browser gives no 2D context.
pub fn measured_canvas(canvas: HtmlCanvasElement) -> Option<MeasuredCanvas> {
    let context = canvas
        .get_context("2d")
        .ok()??
        .dyn_into::<CanvasRenderingContext2d>()
        .ok()?;
    let inner = CanvasBackend::with_canvas_object(canvas)?;
    // plotters-canvas draws a font of size s at s CSS pixels.
    Some(Measured::new(inner, CanvasWidth { context }, 1.0))
}
