//! Saved reports drawn on the server, without a browser: the numbers are
//! read as the API serves them ([`data`]), laid out into SVG pages by the
//! `report` crate (the builder's preview runs the same code) and turned
//! into PNG, SVG or PDF ([`draw`]) with the bundled face only ([`font`]).
//!
//! Renders are bounded: at most [`RENDER_SLOTS`] at once (each holds at
//! most one page image, [`draw::MAX_PIXELS`]), a scale of 1 to
//! [`MAX_SCALE`], and a definition already bounded by its checks. They are
//! cached by a hash of the definition, the campaign's data version and
//! [`RENDERER_VERSION`], for [`CACHE_FOR`].

pub mod cli;
pub mod data;
pub mod draw;
pub mod font;
pub mod logo;
pub mod tree;

use crate::db::Db;
use crate::stats::cascades::CascadeCache;
use analytics::report::{Report, ReportDefinition};
use analytics::wire::Brand;
use font::Fonts;
use report::ReportData;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Changes whenever the same definition and data would draw differently.
pub const RENDERER_VERSION: &str = "report-1";
/// Renders running at once (the machine's cores; more would only queue).
pub const RENDER_SLOTS: usize = 2;
/// The largest PNG scale (device pixels per CSS pixel).
pub const MAX_SCALE: u32 = 4;
/// How long a cached render is served: predictions and "as of" move on.
pub const CACHE_FOR: Duration = Duration::from_secs(600);
/// Cached renders kept.
const CACHE_ENTRIES: usize = 32;
/// The longest a render may take before the caller is told so.
pub const RENDER_TIMEOUT: Duration = Duration::from_secs(60);

/// A file format a report renders to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Png,
    Svg,
    Pdf,
}

impl Format {
    /// `png`, `svg` or `pdf`.
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "png" => Some(Format::Png),
            "svg" => Some(Format::Svg),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Svg => "svg",
            Format::Pdf => "pdf",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Png => "image/png",
            Format::Svg => "image/svg+xml",
            Format::Pdf => "application/pdf",
        }
    }
}

/// What to render: the format, the PNG scale, and one page or all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Request {
    pub format: Format,
    pub scale: u32,
    /// One page (from 1), or every page (stacked for PNG and SVG).
    pub page: Option<usize>,
}

/// A rendered file.
#[derive(Debug)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub format: Format,
    /// The report's pages (not only those in the file).
    pub pages: usize,
    /// What could not be drawn as asked, e.g. characters the bundled face lacks.
    pub warnings: Vec<String>,
    /// `title.ext`, for a download.
    pub file_name: String,
}

/// Why a report could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The request asks for something out of bounds (the message says what).
    #[error("{0}")]
    Bad(String),
    /// The result would be too large to draw.
    #[error("{0}")]
    TooLarge(String),
    /// A page past the report's last.
    #[error("{0}")]
    NoPage(String),
    #[error("the report's campaign {0} no longer exists")]
    NoCampaign(i64),
    #[error("the report could not be drawn: {0}")]
    Draw(String),
    #[error("the render took longer than {} s", RENDER_TIMEOUT.as_secs())]
    TimedOut,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// A render's cache key: a SHA-256 ([`Renderer::key`]).
type CacheKey = [u8; 32];

/// The renderer: the bundled face, the render slots and the cache.
pub struct Renderer {
    /// The face, or why it could not be read (a broken build: every render
    /// then says so, and the rest of the server runs on).
    fonts: Result<Fonts, String>,
    /// Render slots; a slot is held by the drawing itself, so a render the
    /// caller stopped waiting for (a time-out) still counts until it ends.
    slots: Arc<tokio::sync::Semaphore>,
    trees: tree::TreeCache,
    cache: Mutex<HashMap<CacheKey, (Instant, Arc<Rendered>)>>,
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renderer")
            .field("fonts", &self.fonts)
            .finish()
    }
}

/// The text of every `<text>` element of an SVG document, unescaped: what
/// a reader sees printed (tests compare it with the API's numbers).
pub fn svg_text(svg: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(at) = rest.find("<text") {
        rest = &rest[at..];
        let Some(open_end) = rest.find('>') else {
            break;
        };
        let body = &rest[open_end + 1..];
        let Some(close) = body.find("</text>") else {
            break;
        };
        let t = body[..close]
            .trim()
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        if !t.is_empty() {
            out.push(t);
        }
        rest = &body[close..];
    }
    out
}

impl Default for Renderer {
    fn default() -> Self {
        Renderer::new()
    }
}

impl Renderer {
    pub fn new() -> Renderer {
        Renderer {
            fonts: Fonts::load(),
            slots: Arc::new(tokio::sync::Semaphore::new(RENDER_SLOTS)),
            trees: tree::TreeCache::default(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The bundled face.
    pub fn fonts(&self) -> Result<&Fonts, RenderError> {
        self.fonts
            .as_ref()
            .map_err(|e| RenderError::Draw(e.clone()))
    }

    /// Checks a request's bounds against the report's page count.
    fn check(req: &Request, pages: usize) -> Result<(), RenderError> {
        if !(1..=MAX_SCALE).contains(&req.scale) {
            return Err(RenderError::Bad(format!(
                "scale={} is out of range: 1 to {MAX_SCALE}",
                req.scale
            )));
        }
        if let Some(p) = req.page
            && !(1..=pages).contains(&p)
        {
            // Like any path past the end: it does not exist.
            return Err(RenderError::NoPage(format!(
                "page={p} is out of range: the report has {pages} page{}",
                if pages == 1 { "" } else { "s" }
            )));
        }
        Ok(())
    }

    /// The report's pages as SVG documents, and what they could not draw.
    pub fn pages(
        &self,
        def: &ReportDefinition,
        data: &ReportData,
    ) -> Result<(Vec<String>, Vec<String>), RenderError> {
        let fonts = self.fonts()?;
        let content = report::content(def, data);
        let pages = report::pages(&content, fonts).map_err(|e| RenderError::Draw(e.to_string()))?;
        let mut missing = std::collections::BTreeSet::new();
        for page in &pages {
            for t in svg_text(page) {
                missing.extend(fonts.missing(&t));
            }
        }
        let mut warnings = Vec::new();
        if !missing.is_empty() {
            let list: Vec<String> = missing
                .iter()
                .map(|c| format!("U+{:04X}", *c as u32))
                .collect();
            warnings.push(format!(
                "{} character{} not in the bundled font, drawn as empty boxes: {}",
                missing.len(),
                if missing.len() == 1 { " is" } else { "s are" },
                list.join(" ")
            ));
        }
        Ok((pages, warnings))
    }

    /// Draws `def` over `data` as asked (CPU work: run it off the async
    /// threads).
    pub fn draw(
        &self,
        def: &ReportDefinition,
        data: &ReportData,
        req: &Request,
    ) -> Result<Rendered, RenderError> {
        let fonts = self.fonts()?;
        let (pages, warnings) = self.pages(def, data)?;
        Self::check(req, pages.len())?;
        let chosen: Vec<String> = match req.page {
            Some(p) => vec![pages[p - 1].clone()],
            None => pages.clone(),
        };
        let too_large = |e: draw::DrawError| match e {
            draw::DrawError::TooLarge(m) => RenderError::TooLarge(m),
            other => RenderError::Draw(other.to_string()),
        };
        let bytes = match req.format {
            Format::Svg => match req.page {
                Some(_) => chosen[0].clone().into_bytes(),
                None => draw::stacked_svg(&chosen, def.page).into_bytes(),
            },
            Format::Png => draw::png(&chosen, def.page, req.scale, fonts).map_err(too_large)?,
            Format::Pdf => draw::pdf(
                &chosen,
                def.page,
                &report::text::clean(&def.title),
                &report::text::clean(&def.branding.name),
                def.lang.tag(),
                fonts,
            )
            .map_err(too_large)?,
        };
        let stem = analytics::format::file_slug(&def.title);
        let page = req.page.map(|p| format!("-p{p}")).unwrap_or_default();
        Ok(Rendered {
            bytes,
            format: req.format,
            pages: pages.len(),
            warnings,
            file_name: format!(
                "{}{page}.{}",
                if stem.is_empty() { "report" } else { &stem },
                req.format.extension()
            ),
        })
    }

    /// The cache key: the definition, the data version, the brands the
    /// reader may see (a listening panel shows them), the renderer, the request.
    fn key(def: &ReportDefinition, version: i64, audience: &[i64], req: &Request) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(RENDERER_VERSION.as_bytes());
        h.update(serde_json::to_vec(def).unwrap_or_default());
        h.update(version.to_le_bytes());
        for b in audience {
            h.update(b.to_le_bytes());
        }
        h.update(format!("{:?}", req).as_bytes());
        h.finalize().into()
    }

    /// Renders stored report `report` for a reader who may see the brands
    /// `may_see` accepts: from the cache when the definition and the data
    /// are unchanged, else in a render slot.
    pub async fn render(
        self: &Arc<Self>,
        db: &Db,
        cascades: &CascadeCache,
        report: &Report,
        req: Request,
        may_see: impl Fn(&Brand) -> bool,
    ) -> Result<Arc<Rendered>, RenderError> {
        // Bounds first: a bad scale is refused before anything is read.
        Self::check(&Request { page: None, ..req }, usize::MAX)?;
        let def = &report.definition;
        let version = db.campaign_version(def.campaign_id).await?;
        // Who may see which competitors changes what a listening panel shows.
        let audience = if def
            .panels
            .iter()
            .any(|p| p.kind == analytics::report::PanelKind::Listening)
        {
            let brands = db.list_brands(Some(&report.workspace)).await?;
            brands.iter().filter(|b| may_see(b)).map(|b| b.id).collect()
        } else {
            Vec::new()
        };
        let key = Self::key(def, version, &audience, &req);
        if let Some(hit) = self.cached(&key) {
            return Ok(hit);
        }
        let data = data::read(db, cascades, &self.trees, def, &may_see)
            .await?
            .map_err(|_| RenderError::NoCampaign(def.campaign_id))?;
        let slot = Arc::clone(&self.slots)
            .acquire_owned()
            .await
            .map_err(|_| RenderError::Draw("the renderer is shutting down".into()))?;
        let me = Arc::clone(self);
        let def = def.clone();
        let job = tokio::task::spawn_blocking(move || {
            let drawn = me.draw(&def, &data, &req);
            drop(slot);
            drawn
        });
        let rendered = match tokio::time::timeout(RENDER_TIMEOUT, job).await {
            Err(_) => return Err(RenderError::TimedOut),
            Ok(Err(e)) => return Err(RenderError::Draw(format!("the render stopped: {e}"))),
            Ok(Ok(r)) => Arc::new(r?),
        };
        self.remember(key, rendered.clone());
        Ok(rendered)
    }

    fn cached(&self, key: &[u8; 32]) -> Option<Arc<Rendered>> {
        let cache = self.cache.lock().ok()?;
        cache
            .get(key)
            .filter(|(at, _)| at.elapsed() < CACHE_FOR)
            .map(|(_, r)| r.clone())
    }

    fn remember(&self, key: [u8; 32], r: Arc<Rendered>) {
        let Ok(mut cache) = self.cache.lock() else {
            return;
        };
        cache.retain(|_, (at, _)| at.elapsed() < CACHE_FOR);
        if cache.len() >= CACHE_ENTRIES
            && let Some(oldest) = cache.iter().min_by_key(|(_, (at, _))| *at).map(|(k, _)| *k)
        {
            cache.remove(&oldest);
        }
        cache.insert(key, (Instant::now(), r));
    }
}
