//! Draws each chart natively to SVG, the same code path the browser canvas and
//! image exports use, and checks what a reader would see in it.

use analytics::Lang;
use analytics::date::Date;
use analytics::overview::{
    ChartText, DailyChart, IMPRESSIONS_COLOR, REACH_COLOR, Series, SeriesStyle,
};
use plotters::prelude::*;

fn reach_chart(lang: Lang) -> DailyChart {
    let first = Date::parse("2026-03-01").unwrap();
    let days: Vec<Date> = first.through(Date::parse("2026-03-28").unwrap()).collect();
    let reach: Vec<f64> = (0..days.len()).map(|i| (i as f64 + 1.0) * 1500.0).collect();
    let impressions: Vec<f64> = (0..days.len()).map(|i| (i as f64 + 1.0) * 4000.0).collect();
    DailyChart {
        text: ChartText {
            title: "触达趋势 Reach over time".into(),
            x_label: "日期".into(),
            y_label: "人数".into(),
        },
        lang,
        days,
        series: vec![
            Series {
                name: "独立触达".into(),
                color: REACH_COLOR,
                style: SeriesStyle::Area,
                values: reach,
            },
            Series {
                name: "曝光量".into(),
                color: IMPRESSIONS_COLOR,
                style: SeriesStyle::Line,
                values: impressions,
            },
        ],
    }
}

fn to_svg(chart: &DailyChart) -> String {
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (960, 400)).into_drawing_area();
        charts::draw_daily_chart(&area, chart, &charts::ChartStyle::default()).expect("draws");
    }
    svg
}

#[test]
fn reach_chart_draws_series_labels_and_cjk_text() {
    let svg = to_svg(&reach_chart(Lang::Zh));
    assert!(svg.starts_with("<svg"), "{}", &svg[..80]);
    // Both series are drawn in their colours (axes alone don't count).
    assert!(
        svg.contains("#2563EB") || svg.contains("#2563eb"),
        "reach colour missing"
    );
    assert!(
        svg.contains("#F97316") || svg.contains("#f97316"),
        "impressions colour missing"
    );
    // Chinese text is kept as text, so any viewer with a CJK font renders it.
    for text in [
        "触达趋势 Reach over time",
        "独立触达",
        "曝光量",
        "日期",
        "3月1日",
        "5万",
        "10万",
    ] {
        assert!(svg.contains(text), "missing {text}");
    }
}

#[test]
fn english_chart_uses_english_dates_and_units() {
    let svg = to_svg(&reach_chart(Lang::En));
    assert!(svg.contains("Mar 1"));
    assert!(
        svg.contains("50K") && svg.contains("100K"),
        "y axis ticks in K"
    );
}

#[test]
fn an_empty_chart_still_draws_axes() {
    let mut chart = reach_chart(Lang::En);
    chart.days.clear();
    for s in &mut chart.series {
        s.values.clear();
    }
    let svg = to_svg(&chart);
    assert!(svg.contains("Reach over time"));
}

#[test]
fn text_sizes_follow_the_style_scale() {
    let chart = reach_chart(Lang::En);
    let sizes = |scale: f64| {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (960, 400)).into_drawing_area();
            charts::draw_daily_chart(&area, &chart, &charts::ChartStyle { scale }).unwrap();
        }
        let mut sizes: Vec<f64> = svg
            .split("font-size=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next()?.parse().ok())
            .collect();
        sizes.sort_by(f64::total_cmp);
        sizes.dedup();
        sizes
    };
    let (one, two) = (sizes(1.0), sizes(2.0));
    assert!(!one.is_empty() && one.len() == two.len());
    for (a, b) in one.iter().zip(&two) {
        assert!((b / a - 2.0).abs() < 0.01, "{a} → {b}");
    }
    // Axis labels stay readable: at least 12 px at scale 1.
    assert!(one[0] >= 12.0, "{one:?}");
}

fn share_chart(lang: Lang) -> analytics::reach::ShareChart {
    use analytics::reach::{SOURCE_COLORS, ShareChart, ShareRow};
    ShareChart {
        text: ChartText {
            title: "自有 / 付费 / 赢得 Owned, paid, earned".into(),
            x_label: "占比".into(),
            y_label: String::new(),
        },
        lang,
        parts: vec![
            ("自有".into(), SOURCE_COLORS[0]),
            ("付费".into(), SOURCE_COLORS[1]),
            ("赢得".into(), SOURCE_COLORS[2]),
        ],
        rows: vec![
            ShareRow {
                label: "曝光量".into(),
                values: vec![50.0, 30.0, 20.0],
            },
            ShareRow {
                label: "新增粉丝".into(),
                values: vec![0.0, 0.0, 0.0],
            },
            ShareRow {
                label: "潜在触达".into(),
                values: vec![1.0, 0.0, 99.0],
            },
        ],
    }
}

/// `chart` drawn to SVG at 960 × 360.
fn share_svg(chart: &analytics::reach::ShareChart) -> String {
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (960, 360)).into_drawing_area();
        charts::draw_share_chart(&area, chart, &charts::ChartStyle::default()).expect("draws");
    }
    svg
}

#[test]
fn share_chart_draws_every_part_its_percentages_and_cjk_labels() {
    let svg = share_svg(&share_chart(Lang::Zh));
    for c in analytics::reach::SOURCE_COLORS.map(|c| c.hex()) {
        assert!(
            svg.contains(&c) || svg.contains(&c.to_uppercase()),
            "part colour {c} missing"
        );
    }
    for text in [
        "自有 / 付费 / 赢得 Owned, paid, earned",
        "曝光量",
        "新增粉丝",
        "潜在触达",
        "自有",
        "赢得",
        "50%",
        "30%",
        "20%",
        "99%",
        "100%",
    ] {
        assert!(svg.contains(text), "missing {text}");
    }
    // A part under 8% of its bar is drawn but not labelled (no overlap).
    assert!(!svg.contains(">1%<"), "a 1% label would not fit");
    // The trait draws the same picture and reports the rows' totals.
    let chart = share_chart(Lang::Zh);
    let mut again = String::new();
    {
        let area = SVGBackend::with_string(&mut again, (960, 360)).into_drawing_area();
        charts::Chart::draw_on(&chart, &area, &charts::ChartStyle::default()).unwrap();
    }
    assert_eq!(svg, again);
    assert_eq!(charts::Chart::totals(&chart), [100.0, 0.0, 100.0]);
}

#[test]
fn trends_by_channel_draw_one_coloured_line_per_channel() {
    use analytics::overview::channel_color;
    use analytics::wire::Channel;
    let mut chart = reach_chart(Lang::En);
    chart.series = [Channel::Weibo, Channel::Douyin]
        .into_iter()
        .map(|c| Series {
            name: c.as_str().into(),
            color: channel_color(c),
            style: SeriesStyle::Line,
            values: (0..chart.days.len()).map(|i| i as f64 * 10.0).collect(),
        })
        .collect();
    let svg = to_svg(&chart);
    for c in [Channel::Weibo, Channel::Douyin] {
        let hex = channel_color(c).hex();
        assert!(
            svg.contains(&hex) || svg.contains(&hex.to_uppercase()),
            "{hex} missing"
        );
        assert!(svg.contains(c.as_str()));
    }
}

#[test]
fn xy_chart_draws_durations_clock_hours_shaded_spikes_and_cjk() {
    use analytics::overview::{Rgb, XAxis, XyChart, XySeries};
    let mut chart = XyChart {
        text: ChartText {
            title: "传播增长 Growth".into(),
            x_label: "发布后".into(),
            y_label: "节点".into(),
        },
        lang: Lang::Zh,
        x_axis: XAxis::Elapsed,
        series: vec![XySeries {
            name: "节点".into(),
            color: Rgb(0x25, 0x63, 0xeb),
            points: (0..=48)
                .map(|i| (i as f64 * 1800.0, (i * i) as f64))
                .collect(),
        }],
        marks: vec![],
    };
    let draw = |chart: &XyChart| {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (720, 320)).into_drawing_area();
            charts::draw_xy_chart(&area, chart, &charts::ChartStyle::default()).expect("draws");
        }
        svg
    };
    let svg = draw(&chart);
    for text in ["传播增长 Growth", "发布后", "节点", "小时"] {
        assert!(svg.contains(text), "missing {text}");
    }
    assert!(svg.contains("#2563EB") || svg.contains("#2563eb"));
    // Clock hours in Beijing time, a shaded spike, two series with a legend.
    chart.x_axis = XAxis::Clock {
        offset_seconds: 8 * 3600,
    };
    chart.lang = Lang::En;
    chart.series[0].points = (0..72)
        .map(|i| (1_773_403_200.0 + i as f64 * 3600.0, 5.0))
        .collect();
    chart.series.push(XySeries {
        name: "competitor".into(),
        color: Rgb(0x64, 0x74, 0x8b),
        points: chart.series[0].points.clone(),
    });
    chart.marks = vec![(1_773_489_600.0, 1_773_500_400.0)];
    let svg = draw(&chart);
    assert!(
        svg.contains("Mar 14") && svg.contains(":00"),
        "clock labels"
    );
    assert!(svg.contains("competitor"), "the second line is named");
    assert!(
        svg.contains("#DC2626") || svg.contains("#dc2626"),
        "shaded spike"
    );
    // Nothing to draw still draws the axes.
    chart.series.clear();
    chart.marks.clear();
    assert!(draw(&chart).contains("传播增长"));
}

/// The `<text>` elements of `svg`: x, y, fill and content.
fn texts(svg: &str) -> Vec<(f64, f64, String, String)> {
    let attr = |tag: &str, name: &str| -> Option<String> {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(tag[at..at + tag[at..].find('"')?].to_string())
    };
    svg.split("<text")
        .skip(1)
        .filter_map(|piece| {
            let (tag, rest) = piece.split_once('>')?;
            let content = rest.split("</text>").next()?.trim().to_string();
            Some((
                attr(tag, "x")?.parse().ok()?,
                attr(tag, "y")?.parse().ok()?,
                attr(tag, "fill").unwrap_or_default().to_lowercase(),
                content,
            ))
        })
        .collect()
}

#[test]
fn lines_are_named_at_their_ends_in_their_colours_without_a_legend_box() {
    let chart = reach_chart(Lang::Zh);
    let svg = to_svg(&chart);
    let found = texts(&svg);
    for s in &chart.series {
        let (x, _, fill, _) = found
            .iter()
            .find(|t| t.3 == s.name)
            .unwrap_or_else(|| panic!("{} is not named", s.name));
        // Right of the plot (its lines end near 960 − the labels' room).
        assert!(*x > 800.0, "{} at x {x}", s.name);
        assert_eq!(*fill, s.color.for_text().hex(), "{}", s.name);
    }
    // The impressions line ends higher than reach: its label is above.
    let y_of = |name: &str| found.iter().find(|t| t.3 == name).unwrap().1;
    assert!(y_of("曝光量") < y_of("独立触达"));
    // No boxed legend, no vertical grid: the only rectangles are the
    // background and the plot's fill.
    assert!(
        !svg.to_lowercase().contains("#cbd5e1"),
        "a legend frame is drawn"
    );
}

#[test]
fn end_labels_of_lines_that_end_together_do_not_overlap() {
    use analytics::overview::channel_color;
    use analytics::wire::Channel;
    let mut chart = reach_chart(Lang::En);
    chart.series = Channel::ALL
        .into_iter()
        .map(|c| Series {
            name: c.as_str().into(),
            color: channel_color(c),
            style: SeriesStyle::Line,
            values: vec![5.0; chart.days.len()],
        })
        .collect();
    let svg = to_svg(&chart);
    let found = texts(&svg);
    let mut ys: Vec<f64> = Channel::ALL
        .iter()
        .map(|c| {
            found
                .iter()
                .find(|t| t.3 == c.as_str())
                .unwrap_or_else(|| panic!("{} is not named", c.as_str()))
                .1
        })
        .collect();
    ys.sort_by(f64::total_cmp);
    for pair in ys.windows(2) {
        assert!(pair[1] - pair[0] >= 13.0, "labels overlap: {ys:?}");
    }
    assert!(ys[0] >= 0.0 && ys[ys.len() - 1] <= 400.0, "{ys:?}");
}

#[test]
fn dates_on_a_narrow_chart_do_not_collide() {
    let chart = reach_chart(Lang::En);
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (360, 260)).into_drawing_area();
        charts::draw_daily_chart(&area, &chart, &charts::ChartStyle::default()).expect("draws");
    }
    let mut xs: Vec<f64> = texts(&svg)
        .into_iter()
        .filter(|t| t.3.starts_with("Mar "))
        .map(|t| t.0)
        .collect();
    assert!(xs.len() >= 2, "{xs:?}");
    xs.sort_by(f64::total_cmp);
    // "Mar 28" is about 40 px wide at 13 px: centres 50 px apart never touch.
    for pair in xs.windows(2) {
        assert!(pair[1] - pair[0] >= 50.0, "dates collide: {xs:?}");
    }
}

#[test]
fn every_chart_uses_one_type_scale() {
    let (daily, share) = (
        to_svg(&reach_chart(Lang::Zh)),
        share_svg(&share_chart(Lang::Zh)),
    );
    let mut sizes: Vec<i64> = [daily, share]
        .iter()
        .flat_map(|svg| {
            svg.split("font-size=\"")
                .skip(1)
                .filter_map(|s| s.split('"').next()?.parse::<f64>().ok())
                .map(|px| px.round() as i64)
                .collect::<Vec<_>>()
        })
        .collect();
    sizes.sort();
    sizes.dedup();
    // Titles 17, everything read 13, labels inside bars 12.
    assert_eq!(sizes, [12, 13, 17]);
}

#[test]
fn a_bar_part_is_labelled_in_a_colour_that_reads_on_it() {
    let svg = share_svg(&share_chart(Lang::Zh));
    // The bars' labels come after the axes' (which may print the same
    // percentage, muted).
    let fill_of = |label: &str| {
        texts(&svg)
            .into_iter()
            .rfind(|t| t.3 == label)
            .unwrap_or_else(|| panic!("no {label}"))
            .2
    };
    // Owned is dark blue: white on it. Paid (amber) and earned (green) are
    // too light for white text: ink on them.
    assert_eq!(fill_of("50%"), "#ffffff");
    assert_eq!(fill_of("30%"), "#0f172a");
    assert_eq!(fill_of("20%"), "#0f172a");
}
