//! A report's pages in the browser (the report builder's preview), run in
//! the report worker (`src/bin/report_worker.rs`): its numbers, read from
//! the API the way the server reads them from its database for a render
//! (`server/src/report/data.rs`) — the same questions: the cascade list's
//! first for a tree, the largest spike's drivers, the same row counts — and
//! laid out by `report::layout`, the server's own code, with text measured
//! by an offscreen canvas in the bundled face (loaded into the worker as a
//! web font). A tree's picture is drawn by the same `raster::picture` and
//! encoded by the canvas. The numbers are kept while only what does not
//! change them is edited (title, order, branding…).

use crate::api::{self, CascadeQuery};
use crate::error::ApiFailure;
use analytics::date::Date;
use analytics::explorer::Cascade;
use analytics::listening::{self, SpikeRule};
use analytics::report::{PageFormat, PanelKind, ReportDefinition};
use report::ReportData;
use report::content::{DRIVERS, Picture, TOP_CASCADES, TreePicture, tree_picture_size};
use std::cell::RefCell;
use wasm_bindgen::{Clamped, JsCast, JsValue};

thread_local! {
    /// The numbers last read, and what they were read for.
    static READ: RefCell<Option<(Reads, ReportData)>> = const { RefCell::new(None) };
    /// The bundled face, once asked for.
    static FACE: RefCell<Option<web_sys::FontFace>> = const { RefCell::new(None) };
}

/// Where the build puts the bundled face (`server/build/pages.rs`).
pub const FONT_URL: &str = "/fonts/ReportSansSC-Regular.woff2";

/// Starts fetching the bundled face into the worker's fonts.
pub fn start_font() {
    let _ = face();
}

fn face() -> Result<web_sys::FontFace, JsValue> {
    if let Some(f) = FACE.with_borrow(|f| f.clone()) {
        return Ok(f);
    }
    let face = web_sys::FontFace::new_with_str(charts::BUNDLED_FONT, &format!("url({FONT_URL})"))?;
    // A worker's `fonts` (web-sys binds it on documents only).
    let fonts: web_sys::FontFaceSet =
        js_sys::Reflect::get(&js_sys::global(), &"fonts".into())?.unchecked_into();
    fonts.add(&face)?;
    let _ = face.load();
    FACE.set(Some(face.clone()));
    Ok(face)
}

/// Waits for the bundled face; `false` when it could not be loaded (the
/// pages are then measured in a fallback face).
async fn font_ready() -> bool {
    match face().and_then(|f| f.loaded()) {
        Ok(p) => wasm_bindgen_futures::JsFuture::from(p).await.is_ok(),
        Err(_) => false,
    }
}

/// The pages of the definition `json`, or what went wrong in words.
pub async fn pages_of_json(json: &str) -> Result<Vec<String>, String> {
    let def: ReportDefinition =
        serde_json::from_str(json).map_err(|e| format!("not a report definition: {e}"))?;
    pages(def).await.map_err(|e| e.detail())
}

/// `def`'s pages, as SVG documents.
pub async fn pages(def: ReportDefinition) -> Result<Vec<String>, ApiFailure> {
    let reads = Reads::of(&def);
    let kept = READ.with_borrow(|r| {
        r.as_ref()
            .filter(|(asked, _)| *asked == reads)
            .map(|(_, data)| data.clone())
    });
    let data = match kept {
        Some(data) => data,
        None => {
            let data = read(reads.clone()).await?;
            READ.set(Some((reads, data.clone())));
            data
        }
    };
    if !font_ready().await {
        leptos::logging::warn!("the report's typeface could not be loaded in the worker");
    }
    let measure = OffscreenWidth::new()
        .map_err(|e| ApiFailure::Malformed(format!("no canvas to measure text: {e:?}")))?;
    report::layout::pages(&report::content(&def, &data), &measure)
        .map_err(|e| ApiFailure::Malformed(e.0))
}

/// Text widths from an offscreen canvas' 2D context, in the charts' face.
struct OffscreenWidth {
    context: web_sys::OffscreenCanvasRenderingContext2d,
}

impl OffscreenWidth {
    fn new() -> Result<OffscreenWidth, JsValue> {
        let canvas = web_sys::OffscreenCanvas::new(1, 1)?;
        let context = canvas
            .get_context("2d")?
            .ok_or_else(|| JsValue::from_str("no 2D context"))?
            .dyn_into()?;
        Ok(OffscreenWidth { context })
    }
}

impl charts::measured::TextWidth for OffscreenWidth {
    fn width(&self, text: &str, px: f64) -> f64 {
        crate::components::measured_canvas::canvas_width(
            text,
            px,
            |font| self.context.set_font(font),
            |t| self.context.measure_text(t).map(|m| m.width()).ok(),
        )
    }
}

/// What of a definition decides which numbers are read: a change of
/// anything else (title, order, branding…) redraws without reading again.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Reads {
    campaign_id: i64,
    from: Option<String>,
    to: Option<String>,
    kinds: Vec<PanelKind>,
    /// Each tree panel's cascade (`None`: the largest).
    trees: Vec<Option<String>>,
    page: PageFormat,
}

impl Reads {
    fn of(def: &ReportDefinition) -> Reads {
        let mut kinds: Vec<PanelKind> = def.panels.iter().map(|p| p.kind).collect();
        kinds.sort_by_key(|k| k.as_str());
        kinds.dedup();
        Reads {
            campaign_id: def.campaign_id,
            from: def.filter.from.clone(),
            to: def.filter.to.clone(),
            trees: def
                .panels
                .iter()
                .filter(|p| p.kind == PanelKind::Tree)
                .map(|p| p.cascade.clone().filter(|r| !r.trim().is_empty()))
                .collect(),
            kinds,
            page: def.page,
        }
    }

    fn wants(&self, kind: PanelKind) -> bool {
        self.kinds.contains(&kind)
    }
}

/// Reads what a definition's panels show (`r`: what of it decides).
async fn read(r: Reads) -> Result<ReportData, ApiFailure> {
    let id = r.campaign_id;
    let day = |d: &Option<String>| d.as_deref().and_then(Date::parse);
    let summary = api::campaign_summary(id).await?;
    let days = api::campaign_days(id).await?;
    let sketches = api::campaign_sketches(id).await?;
    let accounts = if r.wants(PanelKind::Sources) || r.wants(PanelKind::Accounts) {
        api::campaign_accounts(id).await?
    } else {
        Vec::new()
    };
    let funnel = if r.wants(PanelKind::Funnel) {
        api::campaign_funnel(id, "channel", &[], day(&r.from), day(&r.to)).await?
    } else {
        Vec::new()
    };
    let largest = |per_page: usize, root: Option<String>| CascadeQuery {
        sort: "size".into(),
        ascending: false,
        page: 1,
        per_page: per_page as u32,
        channel: None,
        min_size: None,
        max_size: None,
        from: None,
        to: None,
        root,
    };
    let cascades = if r.wants(PanelKind::Cascades) {
        api::cascades(id, &largest(TOP_CASCADES, None)).await?.items
    } else {
        Vec::new()
    };
    let mut trees: Vec<TreePicture> = Vec::new();
    let size = tree_picture_size(r.page);
    for root in &r.trees {
        let page = api::cascades(id, &largest(1, root.clone())).await?;
        let Some(c) = page.items.into_iter().next() else {
            continue;
        };
        if trees.iter().any(|t| t.root == c.root_id) {
            continue;
        }
        let blob = api::cascade_tree(id, &c.root_id).await?;
        let Ok(cascade) = Cascade::from_blob(blob) else {
            continue;
        };
        let (rgba, fig) = raster::picture(&cascade, size);
        let (n, depth) = (fig.metrics.n, fig.metrics.depth);
        let d = raster::PICTURE_DENSITY;
        let href = png_data_uri(rgba, size.0 * d, size.1 * d)
            .await
            .map_err(|e| ApiFailure::Malformed(format!("drawing cascade {}: {e:?}", c.root_id)))?;
        trees.push(TreePicture {
            root: c.root_id.clone(),
            author: c.author.clone(),
            channel: c.channel,
            size: n,
            depth,
            picture: Picture {
                href,
                width: size.0,
                height: size.1,
            },
        });
    }
    let (mut mentions, mut drivers) = (Vec::new(), None);
    if r.wants(PanelKind::Listening) {
        let c = &summary.campaign;
        let offset = i64::from(c.workspace.utc_offset_s);
        let start = |d: &str| Date::parse(d).map(|d| d.to_days() * 86_400 - offset);
        let from = start(&c.start_date).unwrap_or(0);
        let to = start(&c.end_date).map_or(from + 86_400, |d| d + 86_400);
        let brands = api::brands().await?;
        let ours = brands.iter().find(|b| b.id == c.brand.id);
        let rivals = brands
            .iter()
            .filter(|b| b.workspace == c.workspace.slug && b.competitor && b.id != c.brand.id);
        for (b, competitor) in ours
            .into_iter()
            .map(|b| (b, false))
            .chain(rivals.map(|b| (b, true)))
        {
            let hours = api::mention_hours(b.id, from, to).await?;
            mentions.push((b.name.clone(), competitor, hours));
        }
        if let Some((_, _, hours)) = mentions.first() {
            let biggest = listening::spikes(hours, &SpikeRule::default())
                .into_iter()
                .max_by_key(|s| s.mentions);
            if let Some(s) = biggest {
                let d = api::mention_drivers(c.brand.id, s.start, s.end, DRIVERS).await?;
                drivers = Some((s, d));
            }
        }
    }
    Ok(ReportData {
        summary,
        days,
        sketches,
        accounts,
        funnel,
        cascades,
        mentions,
        drivers,
        trees,
        as_of: (js_sys::Date::now() / 1000.0) as i64,
    })
}

/// `rgba` (`w × h` pixels) as a `data:image/png;base64,…` URI, encoded by
/// an offscreen canvas.
async fn png_data_uri(rgba: Vec<u8>, w: u32, h: u32) -> Result<String, JsValue> {
    let canvas = web_sys::OffscreenCanvas::new(w, h)?;
    let ctx: web_sys::OffscreenCanvasRenderingContext2d = canvas
        .get_context("2d")?
        .ok_or_else(|| JsValue::from_str("no 2D context"))?
        .dyn_into()?;
    let image = web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), w, h)?;
    ctx.put_image_data(&image, 0.0, 0.0)?;
    let blob: web_sys::Blob = wasm_bindgen_futures::JsFuture::from(canvas.convert_to_blob()?)
        .await?
        .dyn_into()?;
    let bytes = wasm_bindgen_futures::JsFuture::from(blob.array_buffer()).await?;
    let png = js_sys::Uint8Array::new(&bytes).to_vec();
    Ok(report::content::png_href(&png))
}
