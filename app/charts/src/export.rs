//! Charts as files: one chart with a caption above it — the campaign, the
//! dates and the filters it shows — drawn by the same functions as the page,
//! on any backend: SVG text here, a PNG through a canvas in the browser.

use crate::{Chart, ChartError, ChartStyle, MUTED, err};
use analytics::overview::{DailyChart, Rgb, XyChart};
use analytics::reach::ShareChart;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Any chart the app draws, as one type (a chart can then cross into the
/// export code's own chunk).
#[derive(Debug, Clone, PartialEq)]
pub enum AnyChart {
    Daily(DailyChart),
    Share(ShareChart),
    Xy(XyChart),
}

impl From<DailyChart> for AnyChart {
    fn from(c: DailyChart) -> Self {
        AnyChart::Daily(c)
    }
}

impl From<ShareChart> for AnyChart {
    fn from(c: ShareChart) -> Self {
        AnyChart::Share(c)
    }
}

impl From<XyChart> for AnyChart {
    fn from(c: XyChart) -> Self {
        AnyChart::Xy(c)
    }
}

impl Chart for AnyChart {
    fn draw_on<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        style: &ChartStyle,
    ) -> Result<(), ChartError> {
        match self {
            AnyChart::Daily(c) => c.draw_on(area, style),
            AnyChart::Share(c) => c.draw_on(area, style),
            AnyChart::Xy(c) => c.draw_on(area, style),
        }
    }

    fn title(&self) -> &str {
        match self {
            AnyChart::Daily(c) => c.title(),
            AnyChart::Share(c) => c.title(),
            AnyChart::Xy(c) => c.title(),
        }
    }

    fn colors(&self) -> Vec<Rgb> {
        match self {
            AnyChart::Daily(c) => c.colors(),
            AnyChart::Share(c) => c.colors(),
            AnyChart::Xy(c) => c.colors(),
        }
    }

    fn totals(&self) -> Vec<f64> {
        match self {
            AnyChart::Daily(c) => c.totals(),
            AnyChart::Share(c) => c.totals(),
            AnyChart::Xy(c) => c.totals(),
        }
    }
}

/// Caption text: 12 px lines, this far apart.
const CAPTION_PX: f64 = 12.0;
const LINE_PX: f64 = 18.0;

/// The height the caption's `lines` take above the chart, in pixels.
pub fn caption_height(lines: usize, style: &ChartStyle) -> u32 {
    if lines == 0 {
        return 0;
    }
    (style.px(LINE_PX) * lines as f64 + style.px(12.0)).round() as u32
}

/// Draws `caption` (one line each) on white, then `chart` below it.
pub fn draw_captioned<DB: DrawingBackend>(
    chart: &AnyChart,
    caption: &[String],
    area: &DrawingArea<DB, Shift>,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    area.fill(&WHITE).map_err(err("background"))?;
    let head = caption_height(caption.len(), style);
    let (top, body) = area.split_vertically(head);
    let text = style.text(CAPTION_PX).color(&MUTED);
    let x = style.px(14.0).round() as i32;
    for (i, line) in caption.iter().enumerate() {
        let y = (style.px(10.0) + style.px(LINE_PX) * i as f64).round() as i32;
        top.draw_text(line, &text, (x, y)).map_err(err("caption"))?;
    }
    chart.draw_on(&body, style)
}

/// The chart and its caption as an SVG document of `size` pixels.
pub fn svg(
    chart: &AnyChart,
    caption: &[String],
    size: (u32, u32),
    style: &ChartStyle,
) -> Result<String, ChartError> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        draw_captioned(chart, caption, &root, style)?;
        root.present().map_err(err("present"))?;
    }
    Ok(out)
}
