//! A report's content laid out into pages, each one SVG document: a running
//! head (the agency's colour rule, logo and name, when the data was read),
//! the title on the first page, the blocks in order — a block that does not
//! fit starts the next page, a table that does not fit continues there with
//! its heading and column heads repeated — and a running foot with the page
//! number. Charts are drawn by `charts` on plotters' SVG backend and nested
//! as they are; every other line of text is measured by the caller's
//! [`TextWidth`], so an ellipsis lands where the font really ends.

use crate::content::{Block, Card, Content, Picture, Table};
use crate::text::{clean, escape, fit, xml_safe};
use analytics::report::{PageFormat, parse_hex_color};
use charts::export::AnyChart;
use charts::measured::{self, TextWidth};
use charts::{Chart, ChartError, ChartStyle, FONT_FAMILY};
use i18n::{ReportMsg, page_of, report_text};
use plotters::prelude::IntoDrawingArea;
use std::fmt::Write;

const INK: &str = "#0f172a";
const MUTED: &str = "#475569";
const RULE: &str = "#e2e8f0";
const BAND: &str = "#f1f5f9";
const CARD: &str = "#f8fafc";

/// Vertical sizes, in pixels.
const HEAD_TOP: f64 = 62.0;
const FOOT: f64 = 44.0;
const TITLE_BLOCK: f64 = 66.0;
const HEADING: f64 = 28.0;
const CARD_H: f64 = 66.0;
const CARD_GAP: f64 = 10.0;
const TABLE_HEAD: f64 = 24.0;
const ROW: f64 = 21.0;
const NOTE: f64 = 20.0;
const GAP: f64 = 18.0;
/// The fewest rows a long table starts with at the foot of a page.
const MIN_ROWS_HERE: f64 = 4.0;
const LOGO_W: f64 = 140.0;
const LOGO_H: f64 = 30.0;

/// The page's size and margins.
#[derive(Debug, Clone, Copy)]
struct Frame {
    w: f64,
    h: f64,
    margin: f64,
    format: PageFormat,
}

impl Frame {
    fn of(format: PageFormat) -> Frame {
        let (w, h) = format.size_px();
        Frame {
            w: f64::from(w),
            h: f64::from(h),
            margin: if format == PageFormat::Slide16x9 {
                40.0
            } else {
                48.0
            },
            format,
        }
    }

    fn content_w(&self) -> f64 {
        self.w - 2.0 * self.margin
    }

    fn bottom(&self) -> f64 {
        self.h - FOOT
    }

    fn chart_h(&self) -> f64 {
        match self.format {
            PageFormat::A4Portrait => 300.0,
            PageFormat::A4Landscape => 330.0,
            // A slide is one panel: the chart takes the page.
            PageFormat::Slide16x9 => self.bottom() - HEAD_TOP - 8.0,
        }
    }

    fn cards_per_row(&self) -> usize {
        ((self.content_w() / 170.0).floor() as usize).clamp(2, 5)
    }
}

/// What goes where on one page.
#[derive(Debug, Clone)]
enum Placed<'a> {
    Title,
    Cards(&'a str, &'a [Card]),
    Chart(&'a AnyChart, f64),
    /// Rows `from..to` of a table; `continued` when rows came before.
    Table {
        table: &'a Table,
        from: usize,
        to: usize,
        continued: bool,
    },
    Note(&'a str, &'a str),
    Picture(&'a str, &'a Picture, &'a str),
}

/// A picture's height on the page: its own, scaled to the content width.
fn picture_height(p: &Picture, frame: &Frame) -> f64 {
    let w = f64::from(p.width.max(1));
    f64::from(p.height) * (frame.content_w() / w).min(1.0)
}

fn cards_height(n: usize, frame: &Frame) -> f64 {
    let rows = n.div_ceil(frame.cards_per_row()).max(1) as f64;
    HEADING + rows * (CARD_H + CARD_GAP)
}

/// Whether a page holds nothing but (perhaps) the title.
fn holds_no_block(page: &[(f64, Placed<'_>)]) -> bool {
    page.iter().all(|(_, item)| matches!(item, Placed::Title))
}

/// The pages' contents, each a list of (top, item).
fn paginate<'a>(content: &'a Content, frame: &Frame) -> Vec<Vec<(f64, Placed<'a>)>> {
    let mut pages: Vec<Vec<(f64, Placed<'a>)>> = vec![vec![(HEAD_TOP, Placed::Title)]];
    let mut y = HEAD_TOP + TITLE_BLOCK;
    let new_page = |pages: &mut Vec<Vec<(f64, Placed<'a>)>>, y: &mut f64| {
        pages.push(Vec::new());
        *y = HEAD_TOP;
    };
    let bottom = frame.bottom();
    for block in &content.blocks {
        let last_is_free =
            |pages: &Vec<Vec<(f64, Placed<'a>)>>| pages.last().is_none_or(|p| holds_no_block(p));
        // A slide shows one panel.
        if frame.format == PageFormat::Slide16x9 && !last_is_free(&pages) {
            new_page(&mut pages, &mut y);
        }
        let (h, item) = match block {
            Block::Table(table) => {
                let note = if table.note.is_some() { NOTE } else { 0.0 };
                let need = HEADING + TABLE_HEAD + table.rows.len() as f64 * ROW + note;
                let room_rows = ((bottom - y - HEADING - TABLE_HEAD) / ROW).floor();
                // A table that fits on a page of its own is not split; a
                // longer one starts here only with a few rows' room.
                let whole_fits_later = HEAD_TOP + need <= bottom;
                if y + need > bottom
                    && !last_is_free(&pages)
                    && (whole_fits_later || room_rows < MIN_ROWS_HERE)
                {
                    new_page(&mut pages, &mut y);
                }
                let mut from = 0;
                loop {
                    let left = table.rows.len() - from;
                    let mut room =
                        ((bottom - y - HEADING - TABLE_HEAD) / ROW).floor().max(0.0) as usize;
                    if room == 0 {
                        if !last_is_free(&pages) {
                            new_page(&mut pages, &mut y);
                            continue;
                        }
                        room = 1;
                    }
                    let mut take = left.min(room);
                    // The note stays with the table's last rows.
                    if take == left
                        && take > 1
                        && y + HEADING + TABLE_HEAD + take as f64 * ROW + note > bottom
                    {
                        take -= 1;
                    }
                    let to = from + take;
                    let placed = Placed::Table {
                        table,
                        from,
                        to,
                        continued: from > 0,
                    };
                    if let Some(page) = pages.last_mut() {
                        page.push((y, placed));
                    }
                    let done = to == table.rows.len();
                    y += HEADING
                        + TABLE_HEAD
                        + take as f64 * ROW
                        + if done { note } else { 0.0 }
                        + GAP;
                    from = to;
                    if done {
                        break;
                    }
                    new_page(&mut pages, &mut y);
                }
                continue;
            }
            Block::Cards { title, cards } => (
                cards_height(cards.len(), frame),
                Placed::Cards(title, cards),
            ),
            Block::Chart(chart) => (frame.chart_h(), Placed::Chart(chart, 0.0)),
            Block::Note { title, text } => (HEADING + NOTE, Placed::Note(title, text)),
            Block::Picture {
                title,
                picture,
                caption,
            } => (
                picture_height(picture, frame) + HEADING + NOTE,
                Placed::Picture(title, picture, caption),
            ),
        };
        if y + h > bottom && !last_is_free(&pages) {
            new_page(&mut pages, &mut y);
        }
        let (h, item) = match item {
            // A chart shrinks to what is left of a page it has to itself.
            Placed::Chart(chart, _) => {
                let h = h.min(bottom - y).max(160.0);
                (h, Placed::Chart(chart, h))
            }
            other => (h, other),
        };
        if let Some(page) = pages.last_mut() {
            page.push((y, item));
        }
        y += h + GAP;
    }
    pages
}

/// Writes `<text>`: `anchor` is `start`, `middle` or `end`.
fn text(out: &mut String, x: f64, y: f64, px: f64, fill: &str, anchor: &str, s: &str) {
    let _ = write!(
        out,
        r#"<text x="{x:.1}" y="{y:.1}" font-size="{px}" fill="{fill}" text-anchor="{anchor}">{}</text>"#,
        escape(s)
    );
}

fn color_or(hex: &str, fallback: &str) -> String {
    match parse_hex_color(hex) {
        Some((r, g, b)) => format!("#{r:02x}{g:02x}{b:02x}"),
        None => fallback.to_string(),
    }
}

/// Every page of `content` as an SVG document.
pub fn pages(content: &Content, measure: &impl TextWidth) -> Result<Vec<String>, ChartError> {
    let frame = Frame::of(content.page);
    let placed = paginate(content, &frame);
    let count = placed.len();
    let primary = color_or(&content.branding.primary, "#1d4ed8");
    let accent = color_or(&content.branding.accent, INK);
    let mut out = Vec::with_capacity(count);
    for (i, items) in placed.iter().enumerate() {
        let mut svg = String::new();
        let (w, h, m) = (frame.w, frame.h, frame.margin);
        let _ = write!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT_FAMILY}">"#
        );
        let _ = write!(svg, r##"<rect width="{w}" height="{h}" fill="#ffffff"/>"##);
        // The running head.
        let _ = write!(svg, r#"<rect width="{w}" height="5" fill="{primary}"/>"#);
        let mut name_x = m;
        if let Some(logo) = &content.branding.logo {
            let _ = write!(
                svg,
                r#"<image x="{m}" y="14" width="{LOGO_W}" height="{LOGO_H}" preserveAspectRatio="xMinYMid meet" xlink:href="{}"/>"#,
                escape(logo)
            );
            name_x += LOGO_W + 10.0;
        }
        let as_of_w = measure.width(&content.as_of, 10.0);
        let name = fit(
            &content.branding.name,
            13.0,
            (w - m - as_of_w - 24.0 - name_x).max(20.0),
            measure,
        );
        text(&mut svg, name_x, 35.0, 13.0, INK, "start", &name);
        text(&mut svg, w - m, 35.0, 10.0, MUTED, "end", &content.as_of);
        let _ = write!(
            svg,
            r#"<line x1="{m}" y1="48" x2="{}" y2="48" stroke="{RULE}"/>"#,
            w - m
        );
        for (y, item) in items {
            draw(
                &mut svg, *y, item, content, &frame, &primary, &accent, measure,
            )?;
        }
        // The running foot.
        let foot = h - 20.0;
        let _ = write!(
            svg,
            r#"<line x1="{m}" y1="{}" x2="{}" y2="{}" stroke="{RULE}"/>"#,
            h - 34.0,
            w - m,
            h - 34.0
        );
        let page = page_of(content.lang, i + 1, count);
        let credit = if content.branding.show_product {
            report_text(content.lang, ReportMsg::MadeWith).to_string()
        } else {
            content.title.clone()
        };
        let credit = fit(
            &credit,
            9.5,
            frame.content_w() - measure.width(&page, 9.5) - 24.0,
            measure,
        );
        text(&mut svg, m, foot, 9.5, MUTED, "start", &credit);
        text(&mut svg, w - m, foot, 9.5, MUTED, "end", &page);
        svg.push_str("</svg>");
        out.push(xml_safe(svg));
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
fn draw(
    svg: &mut String,
    y: f64,
    item: &Placed<'_>,
    content: &Content,
    frame: &Frame,
    primary: &str,
    accent: &str,
    measure: &impl TextWidth,
) -> Result<(), ChartError> {
    let (m, cw) = (frame.margin, frame.content_w());
    let heading = |svg: &mut String, title: &str| {
        let t = fit(title, 14.0, cw, measure);
        text(svg, m, y + 18.0, 14.0, INK, "start", &t);
    };
    match item {
        Placed::Title => {
            let t = fit(&content.title, 22.0, cw, measure);
            text(svg, m, y + 26.0, 22.0, primary, "start", &t);
            let s = fit(&content.subtitle, 12.0, cw, measure);
            text(svg, m, y + 48.0, 12.0, MUTED, "start", &s);
        }
        Placed::Cards(title, cards) => {
            heading(svg, title);
            let per_row = frame.cards_per_row();
            let card_w = (cw - CARD_GAP * (per_row as f64 - 1.0)) / per_row as f64;
            for (k, c) in cards.iter().enumerate() {
                let (row, col) = (k / per_row, k % per_row);
                let x = m + col as f64 * (card_w + CARD_GAP);
                let top = y + HEADING + row as f64 * (CARD_H + CARD_GAP);
                let _ = write!(
                    svg,
                    r#"<rect x="{x:.1}" y="{top:.1}" width="{card_w:.1}" height="{CARD_H}" rx="6" fill="{CARD}" stroke="{RULE}"/>"#
                );
                let inner = card_w - 20.0;
                text(
                    svg,
                    x + 10.0,
                    top + 18.0,
                    11.0,
                    MUTED,
                    "start",
                    &fit(&c.label, 11.0, inner, measure),
                );
                text(
                    svg,
                    x + 10.0,
                    top + 43.0,
                    19.0,
                    INK,
                    "start",
                    &fit(&c.value, 19.0, inner, measure),
                );
                if let Some(note) = &c.note {
                    text(
                        svg,
                        x + 10.0,
                        top + 58.0,
                        9.5,
                        MUTED,
                        "start",
                        &fit(note, 9.5, inner, measure),
                    );
                }
            }
        }
        Placed::Chart(chart, h) => {
            let size = (cw.round() as u32, h.round() as u32);
            let mut inner = String::new();
            {
                let root = measured::svg(&mut inner, size, measure).into_drawing_area();
                chart.draw_on(&root, &ChartStyle::default())?;
                root.present()
                    .map_err(|e| ChartError(format!("present: {e:?}")))?;
            }
            // plotters writes one document; nested where it belongs.
            let at = format!(r#"<svg x="{m}" y="{y:.1}" "#);
            svg.push_str(&inner.replacen("<svg ", &at, 1));
        }
        Placed::Table {
            table,
            from,
            to,
            continued,
        } => {
            let title = if *continued {
                format!(
                    "{} {}",
                    table.title,
                    report_text(content.lang, ReportMsg::Continued)
                )
            } else {
                table.title.clone()
            };
            heading(svg, &title);
            let total: f64 = table
                .columns
                .iter()
                .map(|c| c.weight)
                .sum::<f64>()
                .max(1e-9);
            let mut xs = vec![m];
            for c in &table.columns {
                let last = *xs.last().expect("a start");
                xs.push(last + cw * c.weight / total);
            }
            let top = y + HEADING;
            let _ = write!(
                svg,
                r#"<rect x="{m}" y="{top:.1}" width="{cw}" height="{TABLE_HEAD}" fill="{BAND}"/>"#
            );
            let cell = |svg: &mut String,
                        k: usize,
                        baseline: f64,
                        px: f64,
                        fill: &str,
                        s: &str,
                        numeric: bool| {
                let width = xs[k + 1] - xs[k] - 12.0;
                let s = fit(s, px, width.max(8.0), measure);
                if numeric {
                    text(svg, xs[k + 1] - 6.0, baseline, px, fill, "end", &s);
                } else {
                    text(svg, xs[k] + 6.0, baseline, px, fill, "start", &s);
                }
            };
            for (k, c) in table.columns.iter().enumerate() {
                cell(svg, k, top + 16.0, 10.5, accent, &c.label, c.numeric);
            }
            for (r, row) in table.rows[*from..*to].iter().enumerate() {
                let ry = top + TABLE_HEAD + r as f64 * ROW;
                for (k, value) in row.iter().enumerate().take(table.columns.len()) {
                    cell(
                        svg,
                        k,
                        ry + 14.5,
                        11.0,
                        INK,
                        value,
                        table.columns[k].numeric,
                    );
                }
                let _ = write!(
                    svg,
                    r#"<line x1="{m}" y1="{:.1}" x2="{}" y2="{:.1}" stroke="{RULE}"/>"#,
                    ry + ROW,
                    m + cw,
                    ry + ROW
                );
            }
            if *to == table.rows.len()
                && let Some(note) = &table.note
            {
                let ny = top + TABLE_HEAD + (to - from) as f64 * ROW + 15.0;
                text(
                    svg,
                    m,
                    ny,
                    10.0,
                    MUTED,
                    "start",
                    &fit(note, 10.0, cw, measure),
                );
            }
        }
        Placed::Picture(title, picture, caption) => {
            heading(svg, title);
            let h = picture_height(picture, frame);
            let w = f64::from(picture.width).min(cw);
            let _ = write!(
                svg,
                r#"<image x="{m}" y="{:.1}" width="{w:.1}" height="{h:.1}" preserveAspectRatio="xMidYMid meet" xlink:href="{}"/>"#,
                y + HEADING,
                escape(&picture.href)
            );
            let _ = write!(
                svg,
                r#"<rect x="{m}" y="{:.1}" width="{w:.1}" height="{h:.1}" fill="none" stroke="{RULE}"/>"#,
                y + HEADING
            );
            text(
                svg,
                m,
                y + HEADING + h + 15.0,
                10.0,
                MUTED,
                "start",
                &fit(caption, 10.0, cw, measure),
            );
        }
        Placed::Note(title, body) => {
            heading(svg, title);
            text(
                svg,
                m,
                y + HEADING + 14.0,
                11.0,
                MUTED,
                "start",
                &fit(&clean(body), 11.0, cw, measure),
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Column, Table};
    use crate::text::tests::Approx;
    use analytics::Lang;
    use analytics::report::Branding;

    fn content(blocks: Vec<Block>, title: &str) -> Content {
        Content {
            lang: Lang::Zh,
            page: PageFormat::A4Portrait,
            title: title.into(),
            subtitle: "活动 · 品牌".into(),
            as_of: "数据截至 2026-12-01 10:00 UTC+08:00".into(),
            branding: Branding {
                name: "代理商".into(),
                ..Branding::default()
            },
            blocks,
        }
    }

    fn table(rows: usize, cell: &str) -> Table {
        Table {
            title: "账号".into(),
            columns: vec![
                Column {
                    label: "名称".into(),
                    numeric: false,
                    weight: 2.0,
                },
                Column {
                    label: "曝光量".into(),
                    numeric: true,
                    weight: 1.0,
                },
            ],
            rows: (0..rows)
                .map(|i| vec![format!("{cell}{i}"), format!("{}", i * 7)])
                .collect(),
            note: Some("合计".into()),
        }
    }

    /// The text of every `<text>` element, with its font size.
    fn texts(svg: &str) -> Vec<(f64, String)> {
        let mut out = Vec::new();
        for piece in svg.split("<text ").skip(1) {
            let size = piece
                .split("font-size=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .and_then(analytics::format::decimal)
                .unwrap_or(0.0);
            let body = piece
                .split('>')
                .nth(1)
                .unwrap_or("")
                .split("</text")
                .next()
                .unwrap_or("");
            out.push((size, body.trim().to_string()));
        }
        out
    }

    #[test]
    fn a_long_table_continues_with_its_heads_and_every_page_is_numbered() {
        let c = content(vec![Block::Table(table(120, "账号"))], "月报");
        let pages = pages(&c, &Approx).unwrap();
        assert!(pages.len() >= 3, "{} pages", pages.len());
        let mut rows_seen = 0;
        for (i, p) in pages.iter().enumerate() {
            let t: Vec<String> = texts(p).into_iter().map(|(_, s)| s).collect();
            assert!(
                t.contains(&page_of(Lang::Zh, i + 1, pages.len())),
                "page {}",
                i + 1
            );
            assert!(t.contains(&c.as_of));
            assert!(
                t.contains(&"名称".to_string()),
                "the column heads on page {}",
                i + 1
            );
            if i > 0 {
                assert!(t.contains(&"账号 （续）".to_string()), "{t:?}");
            }
            rows_seen += t
                .iter()
                .filter(|s| s.starts_with("账号") && s.len() > 6 && !s.contains('续'))
                .count();
            // Nothing is drawn over the foot.
            for y in p
                .split(" y=\"")
                .skip(1)
                .filter_map(|r| r.split('"').next()?.parse::<f64>().ok())
            {
                assert!(y <= 1123.0, "{y}");
            }
        }
        assert_eq!(rows_seen, 120, "every row once");
        // The note comes with the last rows only.
        assert_eq!(pages.iter().filter(|p| p.contains(">合计<")).count(), 1);
    }

    #[test]
    fn ten_kilobyte_names_are_cut_to_the_page() {
        let long = "超长名称".repeat(850);
        assert!(long.len() > 10_000);
        let c = content(
            vec![
                Block::Cards {
                    title: long.clone(),
                    cards: vec![Card {
                        label: long.clone(),
                        value: long.clone(),
                        note: Some(long.clone()),
                    }],
                },
                Block::Table(table(3, &long)),
                Block::Note {
                    title: long.clone(),
                    text: long.clone(),
                },
            ],
            &long,
        );
        let pages = pages(&c, &Approx).unwrap();
        assert_eq!(pages.len(), 1);
        let width = Frame::of(PageFormat::A4Portrait).content_w();
        for (px, t) in texts(&pages[0]) {
            assert!(
                Approx.width(&t, px) <= width + 0.5,
                "{px}px {:?}…",
                t.chars().take(10).collect::<String>()
            );
            if t.chars().count() > 40 {
                assert!(t.ends_with('…'), "{t}");
            }
        }
    }

    #[test]
    fn a_slide_holds_one_panel() {
        let mut c = content(
            vec![
                Block::Note {
                    title: "一".into(),
                    text: "x".into(),
                },
                Block::Note {
                    title: "二".into(),
                    text: "y".into(),
                },
            ],
            "t",
        );
        c.page = PageFormat::Slide16x9;
        let pages = pages(&c, &Approx).unwrap();
        assert_eq!(
            pages.len(),
            2,
            "the title and the first panel, then the second"
        );
        assert!(pages[0].contains(">一<") && pages[1].contains(">二<"));
    }
}
