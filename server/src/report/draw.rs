//! A report's SVG pages turned into files: PNG through resvg/tiny-skia, a
//! vector PDF through krilla (selectable text, the face embedded as a
//! subset), and one SVG with the pages one under the other. The same usvg
//! tree, parsed with the bundled face only, feeds PNG and PDF.

use super::font::Fonts;
use analytics::report::PageFormat;
use krilla::Document;
use krilla::geom::Size;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla_svg::{SurfaceExt, SvgSettings};
use resvg::tiny_skia;
use resvg::usvg;

/// The gap between pages in a stacked SVG or PNG, in CSS pixels.
pub const PAGE_GAP: u32 = 24;
/// The most pixels one PNG may have (40 million: 160 MB of RGBA).
pub const MAX_PIXELS: u64 = 40_000_000;

/// Why pages could not be turned into a file.
#[derive(Debug, thiserror::Error)]
pub enum DrawError {
    #[error("{0}")]
    TooLarge(String),
    #[error("page {page} cannot be drawn: {reason}")]
    Page { page: usize, reason: String },
}

fn parse(svg: &str, page: usize, fonts: &Fonts) -> Result<usvg::Tree, DrawError> {
    usvg::Tree::from_str(svg, &fonts.svg_options()).map_err(|e| DrawError::Page {
        page,
        reason: e.to_string(),
    })
}

/// The pages one under the other, `PAGE_GAP` apart, as one SVG document.
pub fn stacked_svg(pages: &[String], format: PageFormat) -> String {
    let (w, h) = format.size_px();
    let n = pages.len() as u32;
    let total = n * h + n.saturating_sub(1) * PAGE_GAP;
    let mut out = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{w}" height="{total}" viewBox="0 0 {w} {total}">"#
    );
    for (i, page) in pages.iter().enumerate() {
        let y = i as u32 * (h + PAGE_GAP);
        out.push_str(&page.replacen("<svg ", &format!(r#"<svg y="{y}" "#), 1));
    }
    out.push_str("</svg>");
    out
}

/// The pages as one PNG, `scale` device pixels per CSS pixel, one under the
/// other on a light grey ground.
pub fn png(
    pages: &[String],
    format: PageFormat,
    scale: u32,
    fonts: &Fonts,
) -> Result<Vec<u8>, DrawError> {
    let (w, h) = format.size_px();
    let n = pages.len().max(1) as u32;
    let (pw, ph) = (
        u64::from(w * scale),
        u64::from((n * h + (n - 1) * PAGE_GAP) * scale),
    );
    if pw * ph > MAX_PIXELS {
        return Err(DrawError::TooLarge(format!(
            "{n} pages at scale {scale} would be {pw}×{ph} pixels, more than {MAX_PIXELS}: ask for one page (?page=1) or a smaller scale"
        )));
    }
    let mut pixmap = tiny_skia::Pixmap::new(pw as u32, ph as u32)
        .ok_or_else(|| DrawError::TooLarge(format!("a {pw}×{ph} image cannot be allocated")))?;
    pixmap.fill(tiny_skia::Color::from_rgba8(0xe2, 0xe8, 0xf0, 0xff));
    for (i, page) in pages.iter().enumerate() {
        let tree = parse(page, i + 1, fonts)?;
        let y = (i as u32 * (h + PAGE_GAP) * scale) as f32;
        let s = scale as f32;
        resvg::render(
            &tree,
            tiny_skia::Transform::from_row(s, 0.0, 0.0, s, 0.0, y),
            &mut pixmap.as_mut(),
        );
    }
    pixmap.encode_png().map_err(|e| DrawError::Page {
        page: 0,
        reason: format!("PNG encoding: {e}"),
    })
}

/// The pages as a PDF: vector drawing, the text selectable and the face
/// embedded (subset to the glyphs used). `title` and `author` fill the
/// document's metadata; nothing else names who made it.
pub fn pdf(
    pages: &[String],
    format: PageFormat,
    title: &str,
    author: &str,
    lang: &str,
    fonts: &Fonts,
) -> Result<Vec<u8>, DrawError> {
    let (w, h) = format.size_pt();
    let size = Size::from_wh(w, h).ok_or_else(|| DrawError::Page {
        page: 0,
        reason: "the page format has no size".into(),
    })?;
    let mut doc = Document::new();
    let mut meta = Metadata::new()
        .title(title.to_string())
        .language(lang.to_string());
    if !author.trim().is_empty() {
        meta = meta
            .authors(vec![author.to_string()])
            .creator(author.to_string());
    }
    doc.set_metadata(meta);
    for (i, page) in pages.iter().enumerate() {
        let tree = parse(page, i + 1, fonts)?;
        let mut p = doc.start_page_with(PageSettings::new(size));
        let mut surface = p.surface();
        surface
            .draw_svg(&tree, size, SvgSettings::default())
            .ok_or_else(|| DrawError::Page {
                page: i + 1,
                reason: "the PDF writer refused the drawing".into(),
            })?;
        surface.finish();
        p.finish();
    }
    doc.finish().map_err(|e| DrawError::Page {
        page: 0,
        reason: format!("PDF: {e:?}"),
    })
}
