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
/// other on a light grey ground. Each page is drawn on a pixmap of its own
/// (resvg sizes its clip layers by the target: one tall target made every
/// chart's clip as tall as the whole report) and streamed into the PNG, so
/// at most two pages are held in memory.
pub fn png(
    pages: &[String],
    format: PageFormat,
    scale: u32,
    fonts: &Fonts,
) -> Result<Vec<u8>, DrawError> {
    use std::io::Write;
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
    let encoding = |e: png::EncodingError| DrawError::Page {
        page: 0,
        reason: format!("PNG encoding: {e}"),
    };
    let (pw, page_h) = (w * scale, h * scale);
    let pixmap = || {
        tiny_skia::Pixmap::new(pw, page_h)
            .ok_or_else(|| DrawError::TooLarge(format!("a {pw}×{page_h} page cannot be allocated")))
    };
    // Two pages are drawn at once (the machine's two cores), then written
    // in order: at most two pages are held.
    let mut pair = [pixmap()?, pixmap()?];
    let s = scale as f32;
    let draw = |svg: &str, page: usize, into: &mut tiny_skia::Pixmap| -> Result<(), DrawError> {
        let tree = parse(svg, page, fonts)?;
        into.fill(tiny_skia::Color::WHITE);
        resvg::render(
            &tree,
            tiny_skia::Transform::from_scale(s, s),
            &mut into.as_mut(),
        );
        Ok(())
    };
    let mut out = Vec::with_capacity((pw * page_h) as usize / 4);
    let mut enc = png::Encoder::new(&mut out, pw, ph as u32);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    enc.set_filter(png::Filter::Adaptive);
    let mut writer = enc.write_header().map_err(encoding)?;
    {
        let mut stream = writer.stream_writer().map_err(encoding)?;
        let gap_row: Vec<u8> = [0xe2, 0xe8, 0xf0].repeat(pw as usize);
        let io = |e: std::io::Error| DrawError::Page {
            page: 0,
            reason: format!("PNG encoding: {e}"),
        };
        for (k, two) in pages.chunks(2).enumerate() {
            let [first, second] = &mut pair;
            std::thread::scope(|scope| -> Result<(), DrawError> {
                let other = two
                    .get(1)
                    .map(|svg| scope.spawn(|| draw(svg, 2 * k + 2, second)));
                draw(&two[0], 2 * k + 1, first)?;
                match other.map(|h| h.join()) {
                    None | Some(Ok(Ok(()))) => Ok(()),
                    Some(Ok(Err(e))) => Err(e),
                    Some(Err(_)) => Err(DrawError::Page {
                        page: 2 * k + 2,
                        reason: "its drawing stopped".into(),
                    }),
                }
            })?;
            for (j, page) in pair.iter().take(two.len()).enumerate() {
                if k + j > 0 {
                    for _ in 0..PAGE_GAP * scale {
                        stream.write_all(&gap_row).map_err(io)?;
                    }
                }
                write_rgb(&mut stream, page).map_err(io)?;
            }
        }
        stream.finish().map_err(encoding)?;
    }
    writer.finish().map_err(encoding)?;
    Ok(out)
}

/// An opaque pixmap as an RGB PNG, compressed for speed (fdeflate with
/// adaptive filtering: within a few percent of the default's size at a
/// quarter of its time), written row by row so that no second copy of the
/// image is held.
pub fn encode_png(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::with_capacity(pixmap.data().len() / 16);
    let mut enc = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    enc.set_filter(png::Filter::Adaptive);
    let mut writer = enc.write_header()?;
    {
        let mut stream = writer.stream_writer()?;
        write_rgb(&mut stream, pixmap)?;
        stream.finish()?;
    }
    writer.finish()?;
    Ok(out)
}

/// An opaque pixmap's rows as RGB (its alpha dropped), one row at a time.
fn write_rgb(out: &mut impl std::io::Write, pixmap: &tiny_skia::Pixmap) -> std::io::Result<()> {
    let w = pixmap.width() as usize;
    let mut row = Vec::with_capacity(w * 3);
    for line in pixmap.data().chunks_exact(w * 4) {
        row.clear();
        row.extend(line.chunks_exact(4).flat_map(|px| [px[0], px[1], px[2]]));
        out.write_all(&row)?;
    }
    Ok(())
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
