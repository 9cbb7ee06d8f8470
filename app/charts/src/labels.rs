//! How a line chart names its series: a label at the end of each line, in
//! the line's colour (darkened where it would not read on white), instead
//! of a boxed legend the eye must match up. Labels that would touch are
//! pushed apart, and kept within the plot's height.

use super::{ChartError, ChartStyle, err};
use analytics::overview::Rgb;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The size of a direct label, CSS pixels (the scale's text size).
const LABEL_PX: f64 = super::TEXT_PX;
/// The room between a line's end and its label, CSS pixels.
const GAP_PX: f64 = 6.0;

/// The width a chart keeps right of its plot for the labels of `names`
/// (device pixels of `area`'s backend).
pub fn label_room<'a, DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    names: impl Iterator<Item = &'a str>,
    style: &ChartStyle,
) -> Result<u32, ChartError> {
    let font = style.text(LABEL_PX).color(&BLACK);
    let mut widest = 0;
    for name in names {
        let (w, _) = area
            .estimate_text_size(name, &font)
            .map_err(err("label size"))?;
        widest = widest.max(w);
    }
    Ok(widest + style.px_u32(GAP_PX) * 2)
}

/// Draws each series' name at the height its line ends (`ends`: name,
/// colour and where the line ends, in backend pixels), right of `plot_right`
/// (backend pixels), between `top` and `bottom`.
pub fn draw_end_labels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    ends: &[(&str, Rgb, i32)],
    (plot_right, top, bottom): (i32, i32, i32),
    style: &ChartStyle,
) -> Result<(), ChartError> {
    if ends.is_empty() {
        return Ok(());
    }
    // A label's line: its size and a little.
    let line = style.px_u32(LABEL_PX + 3.0);
    let ys = spread(
        &ends.iter().map(|e| e.2).collect::<Vec<_>>(),
        line as i32,
        top + line as i32 / 2,
        bottom - line as i32 / 2,
    );
    let (bx, by) = area.get_base_pixel();
    let x = plot_right + style.px_u32(GAP_PX) as i32 - bx;
    for ((name, c, _), y) in ends.iter().zip(ys) {
        let t = c.for_text();
        let ink = RGBColor(t.0, t.1, t.2);
        let text = style
            .text(LABEL_PX)
            .color(&ink)
            .pos(Pos::new(HPos::Left, VPos::Center));
        area.draw(&Text::new(name.to_string(), (x, y - by), text))
            .map_err(err("label"))?;
    }
    Ok(())
}

/// Positions for labels wanted at `wanted`, each at least `gap` from the
/// next, within `lo..=hi` where they fit, moved as little as the order
/// allows (labels keep their lines' order from top to bottom).
pub fn spread(wanted: &[i32], gap: i32, lo: i32, hi: i32) -> Vec<i32> {
    // An insertion sort: a chart has a handful of lines (and the slice
    // sort's code would weigh on every page that draws a chart).
    let mut order: Vec<usize> = Vec::with_capacity(wanted.len());
    for i in 0..wanted.len() {
        let at = order
            .iter()
            .position(|&j| wanted[j] > wanted[i])
            .unwrap_or(order.len());
        order.insert(at, i);
    }
    let mut ys: Vec<i32> = order.iter().map(|&i| wanted[i].clamp(lo, hi)).collect();
    for k in 1..ys.len() {
        ys[k] = ys[k].max(ys[k - 1] + gap);
    }
    // Pushed past the bottom: move the run back up (the top may then be
    // passed only if the labels cannot all fit).
    if let Some(last) = ys.last_mut() {
        *last = (*last).min(hi);
    }
    for k in (0..ys.len().saturating_sub(1)).rev() {
        ys[k] = ys[k].min(ys[k + 1] - gap);
    }
    let mut out = vec![0; wanted.len()];
    for (k, &i) in order.iter().enumerate() {
        out[i] = ys[k];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::spread;

    #[test]
    fn labels_apart_keep_their_places() {
        assert_eq!(spread(&[10, 50, 90], 16, 0, 100), [10, 50, 90]);
    }

    #[test]
    fn labels_that_would_touch_are_pushed_apart_in_order() {
        let ys = spread(&[40, 40, 41], 16, 0, 200);
        assert_eq!(ys, [40, 56, 72]);
        // The order of the lines' ends is kept, whatever the input order.
        let ys = spread(&[60, 50, 55], 16, 0, 200);
        assert!(ys[2] - ys[1] >= 16 && ys[0] - ys[2] >= 16, "{ys:?}");
    }

    #[test]
    fn labels_at_the_bottom_move_up_and_stay_inside() {
        let ys = spread(&[95, 98, 100], 16, 0, 100);
        assert_eq!(ys, [68, 84, 100]);
        let ys = spread(&[-20], 16, 8, 100);
        assert_eq!(ys, [8]);
    }
}
