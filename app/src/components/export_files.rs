//! What a download writes, run in its own chunk (`crate::lazy`): the
//! caption and the file name from what the page is about, each table's
//! columns, the chart drawn to SVG (and rasterised by the browser for a
//! PNG), the CSV (`analytics::csv`), and the saving.

use super::export::{ChartFile, Format, Subject, Table, TableFile};
use crate::i18n::{
    Msg, STEP_NAMES, channel_label, channel_name, filter_words, kpi_label, source_name, t,
};
use analytics::date::Date;
use analytics::{Lang, format};
use i18n::{ReportMsg, report_text};
use wasm_bindgen::{JsCast, JsValue, closure::Closure};

/// What a page's downloaded charts say they show.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExportMeta {
    /// The campaign (or brand), printed first, and first in the file name.
    pub subject: String,
    /// The dates shown, as printed.
    pub period: String,
    /// The dates shown for the file name (`2026-03-01_2026-03-28`).
    pub period_slug: String,
    /// The active filters, in words (empty when there are none).
    pub filters: String,
}

impl ExportMeta {
    /// The lines printed above the chart.
    pub fn caption(&self) -> Vec<String> {
        let mut second = self.period.clone();
        if !self.filters.is_empty() {
            second = format!("{second} · {}", self.filters);
        }
        [self.subject.clone(), second]
            .into_iter()
            .filter(|l| !l.trim().is_empty())
            .collect()
    }

    /// `campaign-chart-dates.ext`, with nothing a file system refuses.
    pub fn file_name(&self, chart: &str, ext: &str) -> String {
        let stem = [self.subject.as_str(), chart, self.period_slug.as_str()]
            .iter()
            .map(|p| format::file_slug(p))
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        format!(
            "{}.{ext}",
            if stem.is_empty() {
                "chart".into()
            } else {
                stem
            }
        )
    }
}

/// What a page's downloads say they show, from what it is about.
pub fn meta(subject: &Subject, l: Lang) -> ExportMeta {
    match subject {
        Subject::Unknown => ExportMeta::default(),
        Subject::Campaign { campaign, filter } => campaign_meta(campaign, filter.as_ref(), l),
        Subject::Cascade {
            handle,
            root,
            excluded,
        } => ExportMeta {
            subject: format!("{} · @{handle}", t(l, Msg::ExplorerTitle)),
            period: root.clone(),
            period_slug: root.clone(),
            filters: if *excluded {
                t(l, Msg::ExcludeFlagged).to_string()
            } else {
                String::new()
            },
        },
    }
}

/// What a campaign's charts show under `filter` (the campaign's own dates
/// where the filter leaves them open).
fn campaign_meta(
    c: &analytics::wire::Campaign,
    filter: Option<&analytics::selection::Filter>,
    l: Lang,
) -> ExportMeta {
    let first = filter.and_then(|f| f.from).or(Date::parse(&c.start_date));
    let last = filter.and_then(|f| f.to).or(Date::parse(&c.end_date));
    let (period, period_slug) = match (first, last) {
        (Some(a), Some(b)) => (format::date_range(a, b, l), format!("{a}_{b}")),
        _ => (String::new(), String::new()),
    };
    ExportMeta {
        subject: format!("{} · {}", c.name, c.brand.name),
        period,
        period_slug,
        filters: filter.map(|f| filter_words(f, l)).unwrap_or_default(),
    }
}

impl Table {
    /// Its header and rows: plain values (raw counts, not `1.2万`), the
    /// columns the page shows plus what a spreadsheet needs to join it.
    pub fn csv(&self, l: Lang) -> (Vec<String>, Vec<Vec<String>>) {
        let heads = |ms: &[Msg]| ms.iter().map(|m| t(l, *m).to_string()).collect::<Vec<_>>();
        match self {
            // The figure, its raw value (a ratio as a fraction, money in
            // currency units), what the card shows and its interval.
            Table::Kpis(cards) => (
                vec![
                    t(l, Msg::ColFigure).to_string(),
                    report_text(l, ReportMsg::ColValue).to_string(),
                    report_text(l, ReportMsg::ColShown).to_string(),
                    report_text(l, ReportMsg::ColInterval).to_string(),
                ],
                cards
                    .iter()
                    .map(|c| {
                        vec![
                            kpi_label(l, c.key).to_string(),
                            c.value.to_string(),
                            c.display.clone(),
                            c.interval.clone().unwrap_or_default(),
                        ]
                    })
                    .collect(),
            ),
            Table::Accounts(accounts) => (
                heads(&[
                    Msg::ColAccount,
                    Msg::ColChannel,
                    Msg::ColSource,
                    Msg::ColImpressions,
                    Msg::ColReach,
                    Msg::ColNewFans,
                    Msg::ColPotential,
                ]),
                accounts
                    .iter()
                    .map(|a| {
                        let name = if a.account.is_empty() {
                            t(l, Msg::EarnedAccounts).to_string()
                        } else {
                            a.handle.clone()
                        };
                        vec![
                            name,
                            channel_label(l, &a.channel),
                            t(l, source_name(a.source)).to_string(),
                            a.counters.impressions.to_string(),
                            a.reach.value.round().to_string(),
                            a.counters.new_fans.to_string(),
                            a.counters.potential_reach.to_string(),
                        ]
                    })
                    .collect(),
            ),
            Table::FunnelSteps(total) => (
                heads(&[
                    Msg::ColStep,
                    Msg::ColUsers,
                    Msg::ColStepRate,
                    Msg::ColOverallRate,
                ]),
                STEP_NAMES
                    .iter()
                    .enumerate()
                    .map(|(i, m)| {
                        vec![
                            t(l, *m).to_string(),
                            total.steps[i].to_string(),
                            format::rate(total.step_rate(i)),
                            format::rate(total.overall_rate(i)),
                        ]
                    })
                    .collect(),
            ),
            Table::Cascades(items, offset) => {
                let mut header = heads(&[
                    Msg::ColAuthor,
                    Msg::ColChannel,
                    Msg::ColPosted,
                    Msg::ColSize,
                    Msg::ColDepth,
                    Msg::ColVirality,
                    Msg::ColT50,
                    Msg::ColPredicted,
                    Msg::ColFlagged,
                ]);
                header.extend(
                    ["root_id", "state", "low80", "high80", "low95", "high95"].map(String::from),
                );
                let opt = |v: Option<f64>| v.map(|v| v.round().to_string()).unwrap_or_default();
                let rows = items
                    .iter()
                    .map(|c| {
                        let o = &c.prediction;
                        vec![
                            c.author.clone(),
                            channel_name(l, c.channel).to_string(),
                            Date::from_unix(c.posted_at, *offset).to_string(),
                            c.size.to_string(),
                            c.depth.to_string(),
                            c.structural_virality
                                .map(|v| v.to_string())
                                .unwrap_or_default(),
                            c.t50_s.to_string(),
                            o.estimate.round().to_string(),
                            c.flagged_reposts.to_string(),
                            c.root_id.clone(),
                            o.state.as_str().to_string(),
                            opt(o.low80),
                            opt(o.high80),
                            opt(o.low95),
                            opt(o.high95),
                        ]
                    })
                    .collect();
                (header, rows)
            }
            Table::Drivers(d, offset) => {
                // The top posts (with their text), then the top authors.
                let header = heads(&[
                    Msg::NodeAccount,
                    Msg::ColChannel,
                    Msg::ColFollowers,
                    Msg::ColMentions,
                    Msg::ColPosted,
                    Msg::TopPosts,
                ]);
                let posts = d.top_posts.iter().map(|p| {
                    vec![
                        format!("@{}", p.handle),
                        channel_label(l, &p.channel),
                        p.followers.to_string(),
                        String::new(),
                        format::day_hour(p.at, *offset, l),
                        p.text.clone(),
                    ]
                });
                let authors = d.top_authors.iter().map(|a| {
                    vec![
                        format!("@{}", a.handle),
                        channel_label(l, &a.channel),
                        a.followers.to_string(),
                        a.mentions.to_string(),
                        String::new(),
                        String::new(),
                    ]
                });
                (header, posts.chain(authors).collect())
            }
        }
    }
}

/// Draws and saves `file` (run in the export chunk). Both formats are the
/// SVG `charts::export` draws; a PNG is that SVG drawn at twice the
/// device's pixels and rasterised by the browser, so the export code draws
/// on one backend only (and shares no drawing code with the pages' chunks).
pub async fn save(file: ChartFile) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let factor = match file.format {
        Format::Svg => 1.0,
        // Twice the device's pixels: sharp when printed or zoomed.
        Format::Png => window.device_pixel_ratio().max(1.0) * 2.0,
    };
    let style = charts::ChartStyle {
        scale: file.root_font_px / 16.0 * factor,
    };
    let m = meta(&file.subject, file.lang);
    let caption = m.caption();
    let ext = match file.format {
        Format::Png => "png",
        Format::Svg => "svg",
    };
    let name = m.file_name(file.name, ext);
    let head = charts::export::caption_height(caption.len(), &style);
    let size = (
        (f64::from(file.size.0) * factor).round() as u32,
        (f64::from(file.size.1) * factor).round() as u32 + head,
    );
    let svg =
        charts::export::svg(&file.chart, &caption, size, &style).map_err(|e| e.to_string())?;
    let svg = blob(&svg, "image/svg+xml;charset=utf-8")?;
    match file.format {
        Format::Svg => download(&document, &svg, &name),
        Format::Png => {
            let png = rasterise(&document, &svg, size).await?;
            download(&document, &png, &name)
        }
    }
}

fn js_error(e: JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| format!("{e:?}"))
}

/// A blob of `text` with the MIME type `kind`.
fn blob(text: &str, kind: &str) -> Result<web_sys::Blob, String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(kind);
    web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(js_error)
}

/// The PNG of an SVG blob of `size` pixels, drawn by the browser.
async fn rasterise(
    document: &web_sys::Document,
    svg: &web_sys::Blob,
    size: (u32, u32),
) -> Result<web_sys::Blob, String> {
    use wasm_bindgen_futures::JsFuture;
    let url = web_sys::Url::create_object_url_with_blob(svg).map_err(js_error)?;
    let image = web_sys::HtmlImageElement::new().map_err(js_error)?;
    image.set_src(&url);
    let decoded = JsFuture::from(image.decode()).await;
    let _ = web_sys::Url::revoke_object_url(&url);
    decoded.map_err(js_error)?;
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(js_error)?
        .unchecked_into();
    canvas.set_width(size.0);
    canvas.set_height(size.1);
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(js_error)?
        .ok_or("this browser gives no 2D canvas context")?
        .unchecked_into();
    context
        .draw_image_with_html_image_element(&image, 0.0, 0.0)
        .map_err(js_error)?;
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        let refuse = reject.clone();
        let got = Closure::once_into_js(move |png: JsValue| {
            let _ = if png.is_null() {
                reject.call1(
                    &JsValue::NULL,
                    &JsValue::from_str("the browser made no PNG"),
                )
            } else {
                resolve.call1(&JsValue::NULL, &png)
            };
        });
        if let Err(e) = canvas.to_blob_with_type(got.unchecked_ref(), "image/png") {
            let _ = refuse.call1(&JsValue::NULL, &e);
        }
    });
    JsFuture::from(done)
        .await
        .map_err(js_error)?
        .dyn_into::<web_sys::Blob>()
        .map_err(|_| "the browser made no PNG".to_string())
}

/// Writes and saves `file` as CSV (`analytics::csv`: formulas neutralised).
pub fn save_table(file: TableFile) -> Result<(), String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let (header, rows) = file.table.csv(file.lang);
    let text = analytics::csv::table(&header, &rows);
    let name = meta(&file.subject, file.lang).file_name(file.table.name(), "csv");
    download(&document, &blob(&text, "text/csv;charset=utf-8")?, &name)
}

/// Saves `blob` as `name` through a temporary link to an object URL.
fn download(document: &web_sys::Document, blob: &web_sys::Blob, name: &str) -> Result<(), String> {
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(|e| format!("{e:?}"))?;
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| format!("{e:?}"))?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // Released once the download has started.
    let release = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    if let Some(w) = web_sys::window() {
        let _ = w
            .set_timeout_with_callback_and_timeout_and_arguments_0(release.unchecked_ref(), 10_000);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_say_campaign_chart_and_dates_and_nothing_else() {
        let m = ExportMeta {
            subject: "春季新品上市 Spring Tea: Launch/2026".into(),
            period: "Mar 1 – Mar 28, 2026".into(),
            period_slug: "2026-03-01_2026-03-28".into(),
            filters: String::new(),
        };
        assert_eq!(
            m.file_name("reach", "png"),
            "春季新品上市-Spring-Tea-Launch-2026-reach-2026-03-01_2026-03-28.png"
        );
        assert_eq!(ExportMeta::default().file_name("", "svg"), "chart.svg");
        let hostile = ExportMeta {
            subject: "../../etc/passwd <script>".into(),
            ..ExportMeta::default()
        };
        assert_eq!(hostile.file_name("x", "svg"), "etc-passwd-script-x.svg");
        assert_eq!(m.caption(), vec![m.subject.clone(), m.period.clone()]);
        let filtered = ExportMeta {
            filters: "Weibo".into(),
            ..m.clone()
        };
        assert_eq!(filtered.caption()[1], "Mar 1 – Mar 28, 2026 · Weibo");
    }
}
