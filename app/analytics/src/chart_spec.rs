//! Chart specs, independent of any drawing backend: a daily series chart
//! and an x–y chart, with their words and how their axes are labelled. The
//! dashboard's pages and the reports build them (`overview`, `reach`,
//! `listening`, the explorer's curves); `charts` draws them. Re-exported
//! from `overview`, where they began.

use crate::date::Date;
use crate::format::{self, Lang};
use crate::palette::Rgb;

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesStyle {
    Line,
    /// A line with the area below it filled.
    Area,
}

/// The words a chart shows, already in the reader's language.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartText {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
}

/// One series of a daily chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub color: Rgb,
    pub style: SeriesStyle,
    /// One value per day of [`DailyChart::days`].
    pub values: Vec<f64>,
}

/// A chart with one point per day: what to draw, not how.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyChart {
    pub text: ChartText,
    pub lang: Lang,
    pub days: Vec<Date>,
    pub series: Vec<Series>,
}

impl DailyChart {
    /// The y-axis top: the largest value, at least 1 so an empty chart still
    /// has a scale.
    pub fn y_max(&self) -> f64 {
        self.series
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .fold(1.0, f64::max)
    }

    /// Axis label of day `i`.
    pub fn day_label(&self, i: usize) -> String {
        self.days
            .get(i)
            .map(|d| format::short_date(*d, self.lang))
            .unwrap_or_default()
    }

    /// Axis label of a value.
    pub fn value_label(&self, v: f64) -> String {
        format::compact(v, self.lang)
    }
}

/// What an [`XyChart`]'s x values are, for its axis labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XAxis {
    /// Seconds after a start (`12 min`, `3.5 h`).
    Elapsed,
    /// Whole numbers (levels of a tree).
    Count,
    /// Unix seconds, shown as day and hour with this offset from UTC.
    Clock { offset_seconds: i32 },
}

/// One series of an [`XyChart`].
#[derive(Debug, Clone, PartialEq)]
pub struct XySeries {
    pub name: String,
    pub color: Rgb,
    pub points: Vec<(f64, f64)>,
}

/// A chart of series over a numeric x axis, with optional shaded x ranges
/// (e.g. spikes): what to draw, not how.
#[derive(Debug, Clone, PartialEq)]
pub struct XyChart {
    pub text: ChartText,
    pub lang: Lang,
    pub x_axis: XAxis,
    pub series: Vec<XySeries>,
    /// `[start, end)` ranges of x to shade.
    pub marks: Vec<(f64, f64)>,
}

impl XyChart {
    /// The x range covered by the points (at least one unit wide).
    pub fn x_range(&self) -> (f64, f64) {
        let xs = self
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.0));
        let (lo, hi) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
            (a.min(x), b.max(x))
        });
        if lo.is_finite() && hi > lo {
            (lo, hi)
        } else if lo.is_finite() {
            (lo, lo + 1.0)
        } else {
            (0.0, 1.0)
        }
    }

    /// The y-axis top: the largest value, at least 1.
    pub fn y_max(&self) -> f64 {
        self.series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.1))
            .fold(1.0, f64::max)
    }

    /// Axis label of an x value.
    pub fn x_label(&self, x: f64) -> String {
        match self.x_axis {
            XAxis::Elapsed => format::duration(x, self.lang),
            XAxis::Count => format::count(x.round().max(0.0) as u64),
            XAxis::Clock { offset_seconds } => {
                format::day_hour(x as i64, offset_seconds, self.lang)
            }
        }
    }

    /// Axis label of a y value.
    pub fn y_label(&self, v: f64) -> String {
        format::compact(v, self.lang)
    }
}
