//! Chart drawing, generic over the plotters [`DrawingBackend`], so that one
//! function draws a chart to the browser canvas, to SVG and (later) to a
//! bitmap for image export.
//!
//! A chart function takes a precomputed spec from `analytics` and only draws:
//! no data shaping here, and no unwrapping — a backend failure comes back as
//! a [`ChartError`].

use analytics::overview::{DailyChart, Rgb, SeriesStyle, XyChart};
use analytics::reach::ShareChart;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::fmt;

pub mod export;
mod labels;
pub mod measured;

/// The bundled face (`public/fonts`, a subset of Noto Sans CJK SC): the
/// server draws every report with it and nothing else.
pub const BUNDLED_FONT: &str = "Report Sans SC";

/// Font stack for every chart: the bundled face, then CJK-capable faces a
/// browser may have, so Chinese labels render wherever one is installed.
pub const FONT_FAMILY: &str =
    "Report Sans SC, Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif";

/// A drawing backend failed; the message says which step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartError(pub String);

impl fmt::Display for ChartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "chart drawing failed: {}", self.0)
    }
}

impl std::error::Error for ChartError {}

fn err<E: fmt::Debug>(step: &'static str) -> impl FnOnce(E) -> ChartError {
    move |e| ChartError(format!("{step}: {e:?}"))
}

/// How large a chart's text is drawn: `scale` multiplies every font size, so a
/// chart on a 4K wall screen or in a high-resolution export stays readable.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartStyle {
    pub scale: f64,
}

impl Default for ChartStyle {
    fn default() -> Self {
        ChartStyle { scale: 1.0 }
    }
}

impl ChartStyle {
    fn px(&self, size: f64) -> f64 {
        size * self.scale.clamp(0.5, 4.0)
    }

    /// The plotters font size that renders as `px` CSS pixels: plotters
    /// draws text at 1/1.24 of the size it is given (its size is a line
    /// height), so ask for more.
    fn font(&self, px: f64) -> f64 {
        self.px(px) * 1.24
    }

    fn px_u32(&self, size: f64) -> u32 {
        self.px(size).round() as u32
    }

    /// The charts' face at `px` CSS pixels. Built from its parts, not from
    /// a `&str` (whose conversion lower-cases the name, which pulls Unicode's
    /// case tables into every page that draws a chart).
    fn text(&self, px: f64) -> FontDesc<'static> {
        FontDesc::new(
            FontFamily::Name(FONT_FAMILY),
            self.font(px),
            FontStyle::Normal,
        )
    }

    /// Axis labels and descriptions: muted.
    fn axis_font(&self) -> TextStyle<'static> {
        self.text(TEXT_PX).color(&MUTED)
    }

    /// A chart's title.
    fn title_font(&self) -> TextStyle<'static> {
        self.text(TITLE_PX).color(&INK)
    }
}

/// The charts' one type scale, CSS pixels: titles; everything else read
/// (axes, series' names, legends); labels inside bars.
const TITLE_PX: f64 = 17.0;
pub(crate) const TEXT_PX: f64 = 13.0;
const SMALL_PX: f64 = 12.0;

/// A positive CSS pixel length (`"16px"`, `"17.5px"`, `" 20 px"`), such as
/// the page's computed root font size that chart text scales with.
pub fn css_px(css: &str) -> Option<f64> {
    let css = css.trim();
    let num = css.strip_suffix("px").unwrap_or(css).trim_end();
    analytics::format::decimal(num).filter(|px| *px > 0.0 && *px < 1e6)
}

/// The charts' palette: titles and legend text, axis text, grid lines
/// (the page's own colours, `style/main.css`).
pub(crate) const INK: RGBColor = RGBColor(0x0f, 0x17, 0x2a);
pub(crate) const MUTED: RGBColor = RGBColor(0x47, 0x55, 0x69);
const BOLD_GRID: RGBColor = RGBColor(0xe2, 0xe8, 0xf0);

fn color(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

/// Draws a daily chart (one point per day, several series, each named at
/// the end of its line) filling `area`.
pub fn draw_daily_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &DailyChart,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    area.fill(&WHITE).map_err(err("background"))?;
    let days = chart.days.len();
    let x_max = days.saturating_sub(1).max(1) as f64;
    let y_max = chart.y_max() * 1.08;
    let axis_text = style.axis_font();
    let room = labels::label_room(area, chart.series.iter().map(|s| s.name.as_str()), style)?;
    let (margin, y_area) = (style.px_u32(14.0), style.px_u32(70.0));
    // As many dates as fit side by side (a slot of 80 CSS pixels holds
    // "3月28日" or "Mar 28" with room to spare), at most 8.
    let plot_w = area
        .dim_in_pixel()
        .0
        .saturating_sub(margin + y_area + room.max(margin));
    let fit = (plot_w / style.px_u32(80.0).max(1)) as usize;
    let mut ctx = ChartBuilder::on(area)
        .caption(&chart.text.title, style.title_font())
        .margin(margin)
        .margin_right(room.max(margin))
        .x_label_area_size(style.px_u32(44.0))
        .y_label_area_size(y_area)
        .build_cartesian_2d(0f64..x_max, 0f64..y_max)
        .map_err(err("axes"))?;
    ctx.configure_mesh()
        .disable_x_mesh()
        .x_labels(days.clamp(2, 8).min(fit.max(2)))
        .y_labels(6)
        .x_label_formatter(&|x| chart.day_label(x.round().max(0.0) as usize))
        .y_label_formatter(&|v| chart.value_label(*v))
        .x_desc(chart.text.x_label.as_str())
        .y_desc(chart.text.y_label.as_str())
        .label_style(axis_text.clone())
        .axis_desc_style(axis_text)
        .max_light_lines(0)
        .bold_line_style(BOLD_GRID)
        .draw()
        .map_err(err("mesh"))?;
    for series in &chart.series {
        let c = color(series.color);
        let points = series
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| (i as f64, *v));
        match series.style {
            SeriesStyle::Area => ctx
                .draw_series(
                    AreaSeries::new(points, 0.0, c.mix(0.18))
                        .border_style(c.stroke_width(style.px_u32(3.0))),
                )
                .map_err(err("area series"))?,
            SeriesStyle::Line => ctx
                .draw_series(LineSeries::new(points, c.stroke_width(style.px_u32(3.0))))
                .map_err(err("line series"))?,
        };
    }
    let ends: Vec<(&str, Rgb, i32)> = chart
        .series
        .iter()
        .filter_map(|s| {
            let (i, v) = s.values.iter().enumerate().next_back()?;
            Some((
                s.name.as_str(),
                s.color,
                ctx.backend_coord(&(i as f64, *v)).1,
            ))
        })
        .collect();
    let (xs, ys) = ctx.plotting_area().get_pixel_range();
    labels::draw_end_labels(area, &ends, (xs.end, ys.start, ys.end), style)?;
    area.present().map_err(err("present"))
}

/// Draws a share chart: one 100%-stacked horizontal bar per row, each part
/// labelled with its percentage where it is wide enough, and a legend in a
/// strip below (so it never covers a bar).
pub fn draw_share_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &ShareChart,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    root.fill(&WHITE).map_err(err("background"))?;
    let strip = style.px_u32(30.0);
    let height = root.dim_in_pixel().1;
    let (area, legend) = root.split_vertically(height.saturating_sub(strip));
    let legend_font = style.text(TEXT_PX).color(&INK);
    let (sw, gap) = (style.px_u32(14.0) as i32, style.px_u32(22.0) as i32);
    let mut x = style.px_u32(14.0) as i32;
    let y = (strip / 2) as i32;
    for (name, c) in &chart.parts {
        legend
            .draw(&Rectangle::new(
                [(x, y - sw / 2), (x + sw, y + sw / 2)],
                color(*c).filled(),
            ))
            .map_err(err("legend swatch"))?;
        x += sw + sw / 2;
        legend
            .draw(&Text::new(
                name.as_str(),
                (x, y),
                legend_font.clone().pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(err("legend text"))?;
        let (w, _) = legend
            .estimate_text_size(name, &legend_font)
            .map_err(err("legend text size"))?;
        x += w as i32 + gap;
    }
    let rows = chart.rows.len().max(1);
    let axis_text = style.axis_font();
    let mut ctx = ChartBuilder::on(&area)
        .caption(&chart.text.title, style.title_font())
        .margin(style.px_u32(14.0))
        .margin_right(style.px_u32(28.0))
        .x_label_area_size(style.px_u32(44.0))
        .y_label_area_size(style.px_u32(110.0))
        .build_cartesian_2d(0f64..100f64, 0f64..rows as f64)
        .map_err(err("axes"))?;
    ctx.configure_mesh()
        .disable_y_mesh()
        .x_labels(6)
        .y_labels(rows * 2 + 1)
        .x_label_formatter(&|v| format!("{v:.0}%"))
        .y_label_formatter(&|v| {
            // Labels sit at the middle of each bar (row i spans i..i+1,
            // drawn top to bottom).
            let i = (rows as f64 - v - 0.5).round();
            if (rows as f64 - v - 0.5 - i).abs() < 0.01 && i >= 0.0 {
                chart
                    .rows
                    .get(i as usize)
                    .map(|r| r.label.clone())
                    .unwrap_or_default()
            } else {
                String::new()
            }
        })
        .x_desc(chart.text.x_label.as_str())
        .label_style(axis_text.clone())
        .axis_desc_style(axis_text)
        .max_light_lines(0)
        .bold_line_style(BOLD_GRID)
        .draw()
        .map_err(err("mesh"))?;
    // A part's label: white on a colour dark enough for it, else ink (a
    // colour too light for text on white is too light under white text).
    let label_font = |c: Rgb| {
        style
            .text(SMALL_PX)
            .color(if c.for_text() == c { &WHITE } else { &INK })
            .pos(Pos::new(HPos::Left, VPos::Center))
    };
    for (i, row) in chart.rows.iter().enumerate() {
        let top = (rows - i) as f64 - 0.2;
        let bottom = (rows - i - 1) as f64 + 0.2;
        let mut left = 0.0;
        for (share, (_, c)) in row.shares().into_iter().zip(&chart.parts) {
            let right = left + share * 100.0;
            if share > 0.0 {
                ctx.draw_series(std::iter::once(Rectangle::new(
                    [(left, top), (right, bottom)],
                    color(*c).filled(),
                )))
                .map_err(err("bar"))?;
                if share >= 0.08 {
                    ctx.draw_series(std::iter::once(Text::new(
                        analytics::format::percent(share),
                        (left + 1.0, (top + bottom) / 2.0),
                        label_font(*c),
                    )))
                    .map_err(err("bar label"))?;
                }
            }
            left = right;
        }
    }
    root.present().map_err(err("present"))
}

/// Draws an x–y chart: a line per series over a numeric axis, shaded
/// ranges behind them, each line named at its end when there is more than
/// one.
pub fn draw_xy_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &XyChart,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    area.fill(&WHITE).map_err(err("background"))?;
    let (x0, x1) = chart.x_range();
    let y_max = chart.y_max() * 1.08;
    let axis_text = style.axis_font();
    let named = chart.series.len() > 1;
    let room = if named {
        labels::label_room(area, chart.series.iter().map(|s| s.name.as_str()), style)?
    } else {
        0
    };
    let mut ctx = ChartBuilder::on(area)
        .caption(&chart.text.title, style.title_font())
        .margin(style.px_u32(12.0))
        .margin_right(room.max(style.px_u32(24.0)))
        .x_label_area_size(style.px_u32(50.0))
        .y_label_area_size(style.px_u32(60.0))
        .build_cartesian_2d(x0..x1, 0f64..y_max)
        .map_err(err("axes"))?;
    ctx.configure_mesh()
        .disable_x_mesh()
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&|x| chart.x_label(*x))
        .y_label_formatter(&|v| chart.y_label(*v))
        .x_desc(chart.text.x_label.as_str())
        .y_desc(chart.text.y_label.as_str())
        .label_style(axis_text.clone())
        .axis_desc_style(axis_text)
        .max_light_lines(0)
        .bold_line_style(BOLD_GRID)
        .draw()
        .map_err(err("mesh"))?;
    let shade = RGBColor(0xdc, 0x26, 0x26).mix(0.15);
    ctx.draw_series(
        chart
            .marks
            .iter()
            .map(|&(a, b)| Rectangle::new([(a.max(x0), 0.0), (b.min(x1), y_max)], shade.filled())),
    )
    .map_err(err("marks"))?;
    for series in &chart.series {
        let c = color(series.color);
        ctx.draw_series(LineSeries::new(
            series.points.iter().copied(),
            c.stroke_width(style.px_u32(2.5)),
        ))
        .map_err(err("line series"))?;
    }
    if named {
        let ends: Vec<(&str, Rgb, i32)> = chart
            .series
            .iter()
            .filter_map(|s| {
                let end = s
                    .points
                    .iter()
                    .copied()
                    .max_by(|a, b| a.0.total_cmp(&b.0))?;
                Some((s.name.as_str(), s.color, ctx.backend_coord(&end).1))
            })
            .collect();
        let (xs, ys) = ctx.plotting_area().get_pixel_range();
        labels::draw_end_labels(area, &ends, (xs.end, ys.start, ys.end), style)?;
    }
    area.present().map_err(err("present"))
}

/// A chart the app draws on a canvas (and an export draws to SVG or a
/// bitmap): its drawing function and what the page says about it.
pub trait Chart {
    fn draw_on<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        style: &ChartStyle,
    ) -> Result<(), ChartError>;
    /// The accessible name of the drawing.
    fn title(&self) -> &str;
    /// The colours of its series or parts, for tests that look at pixels.
    fn colors(&self) -> Vec<Rgb>;
    /// One figure per series or row (a series' last value, a row's total):
    /// what a test or a screen reader can check against the API.
    fn totals(&self) -> Vec<f64>;
}

impl Chart for DailyChart {
    fn draw_on<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        style: &ChartStyle,
    ) -> Result<(), ChartError> {
        draw_daily_chart(area, self, style)
    }
    fn title(&self) -> &str {
        &self.text.title
    }
    fn colors(&self) -> Vec<Rgb> {
        self.series.iter().map(|s| s.color).collect()
    }
    fn totals(&self) -> Vec<f64> {
        self.series
            .iter()
            .map(|s| s.values.last().copied().unwrap_or(0.0))
            .collect()
    }
}

impl Chart for ShareChart {
    fn draw_on<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        style: &ChartStyle,
    ) -> Result<(), ChartError> {
        draw_share_chart(area, self, style)
    }
    fn title(&self) -> &str {
        &self.text.title
    }
    fn colors(&self) -> Vec<Rgb> {
        self.parts.iter().map(|p| p.1).collect()
    }
    fn totals(&self) -> Vec<f64> {
        self.rows.iter().map(|r| r.values.iter().sum()).collect()
    }
}

impl Chart for XyChart {
    fn draw_on<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        style: &ChartStyle,
    ) -> Result<(), ChartError> {
        draw_xy_chart(area, self, style)
    }
    fn title(&self) -> &str {
        &self.text.title
    }
    fn colors(&self) -> Vec<Rgb> {
        self.series.iter().map(|s| s.color).collect()
    }
    fn totals(&self) -> Vec<f64> {
        self.series
            .iter()
            .map(|s| s.points.last().map_or(0.0, |p| p.1))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::css_px;

    #[test]
    fn css_pixel_lengths_are_read_exactly_and_anything_else_is_refused() {
        assert_eq!(css_px("16px"), Some(16.0));
        assert_eq!(css_px(" 17.5px "), Some(17.5));
        assert_eq!(css_px("20 px"), Some(20.0));
        assert_eq!(css_px("12"), Some(12.0));
        assert_eq!(css_px("13.333px"), Some(13.333));
        for bad in [
            "",
            "px",
            "0px",
            "-4px",
            "1e3px",
            "1.px",
            ".5px",
            "12pt",
            "NaNpx",
            "1.2.3px",
            "9999999px",
        ] {
            assert_eq!(css_px(bad), None, "{bad:?}");
        }
    }
}
