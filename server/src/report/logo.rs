//! An agency's logo, made safe before it is stored: a PNG is checked to be
//! one (and not a huge canvas); an SVG is parsed by usvg — which runs no
//! script, loads no external file and bounds entity expansion — and written
//! out again as plain shapes (its text turned into outlines of the bundled
//! face), so nothing active or external survives.

use super::font::Fonts;
use analytics::report::MAX_LOGO_BYTES;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use resvg::usvg;

const PNG_HEAD: &str = "data:image/png;base64,";
const SVG_HEAD: &str = "data:image/svg+xml;base64,";
/// The largest logo canvas accepted, in pixels a side.
const MAX_SIDE: u32 = 4096;

/// Why a logo was refused: said in the API's 400.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("branding.logo: {0}")]
pub struct LogoError(pub String);

fn refuse(why: impl Into<String>) -> LogoError {
    LogoError(why.into())
}

/// The logo of a definition, sanitised: the data URI to store.
pub fn sanitize(uri: &str, fonts: &Fonts) -> Result<String, LogoError> {
    let (is_png, b64) = if let Some(rest) = uri.strip_prefix(PNG_HEAD) {
        (true, rest)
    } else if let Some(rest) = uri.strip_prefix(SVG_HEAD) {
        (false, rest)
    } else {
        return Err(refuse(
            "must be a data:image/png;base64 or data:image/svg+xml;base64 URI",
        ));
    };
    let bytes = STANDARD
        .decode(b64.trim())
        .map_err(|e| refuse(format!("is not valid base64: {e}")))?;
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(refuse(format!(
            "is {} KB; at most {} KB are allowed",
            bytes.len().div_ceil(1024),
            MAX_LOGO_BYTES / 1024
        )));
    }
    if is_png {
        check_png(&bytes)?;
        return Ok(format!("{PNG_HEAD}{}", STANDARD.encode(&bytes)));
    }
    let clean = sanitize_svg(&bytes, fonts)?;
    Ok(format!("{SVG_HEAD}{}", STANDARD.encode(clean.as_bytes())))
}

/// A PNG's signature and header: its size, within bounds.
fn check_png(bytes: &[u8]) -> Result<(), LogoError> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if bytes.len() < 24 || &bytes[..8] != SIGNATURE || &bytes[12..16] != b"IHDR" {
        return Err(refuse("is not a PNG file"));
    }
    let side =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    let (w, h) = (side(16), side(20));
    if w == 0 || h == 0 || w > MAX_SIDE || h > MAX_SIDE {
        return Err(refuse(format!(
            "is {w}×{h} pixels; each side must be 1 to {MAX_SIDE}"
        )));
    }
    Ok(())
}

/// An SVG logo re-written as plain shapes.
fn sanitize_svg(bytes: &[u8], fonts: &Fonts) -> Result<String, LogoError> {
    let text = std::str::from_utf8(bytes).map_err(|_| refuse("an SVG logo must be UTF-8 text"))?;
    let mut opt = fonts.svg_options();
    // An embedded raster image inside the logo is dropped too: what is kept
    // is vector drawing only.
    opt.image_href_resolver.resolve_data = Box::new(|_, _, _| None);
    let tree = usvg::Tree::from_str(text, &opt)
        .map_err(|e| refuse(format!("is not an SVG that can be drawn: {e}")))?;
    let size = tree.size();
    if !(size.width() >= 1.0 && size.height() >= 1.0) {
        return Err(refuse("an SVG logo must have a size"));
    }
    let write = usvg::WriteOptions {
        id_prefix: Some("logo-".into()),
        ..usvg::WriteOptions::default()
    };
    Ok(tree.to_string(&write))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svg_uri(svg: &str) -> String {
        format!("{SVG_HEAD}{}", STANDARD.encode(svg))
    }

    fn decoded(uri: &str) -> String {
        String::from_utf8(
            STANDARD
                .decode(uri.strip_prefix(SVG_HEAD).unwrap())
                .unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn scripts_handlers_and_external_references_do_not_survive() {
        let fonts = Fonts::load().unwrap();
        let hostile = r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="40" onload="alert(1)">
            <script>alert(document.cookie)</script>
            <rect width="120" height="40" fill="#1d4ed8" onclick="steal()"/>
            <image href="file:///etc/passwd" width="10" height="10"/>
            <image xlink:href="https://evil.example/track.png" width="10" height="10"/>
            <use xlink:href="https://evil.example/sprite.svg#x"/>
            <foreignObject width="10" height="10"><iframe xmlns="http://www.w3.org/1999/xhtml" src="https://evil.example"/></foreignObject>
            <a xlink:href="javascript:alert(1)"><text x="4" y="28" font-size="20">品牌</text></a>
        </svg>"##;
        let out = decoded(&sanitize(&svg_uri(hostile), &fonts).unwrap());
        for bad in [
            "script",
            "onload",
            "onclick",
            "passwd",
            "evil",
            "javascript",
            "iframe",
            "foreignObject",
            "<text",
        ] {
            assert!(!out.contains(bad), "{bad} survived: {out}");
        }
        // What is drawable stays: the rectangle and the text's outlines.
        assert!(out.contains("#1d4ed8") || out.contains("#1D4ED8"), "{out}");
        assert!(out.matches("<path").count() >= 2, "{out}");
    }

    #[test]
    fn a_billion_laughs_is_refused_quickly() {
        let fonts = Fonts::load().unwrap();
        let mut lol = String::from(r#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY l0 "lol">"#);
        for i in 1..10 {
            let prev = format!("&l{};", i - 1).repeat(10);
            lol.push_str(&format!(r#"<!ENTITY l{i} "{prev}">"#));
        }
        lol.push_str(r#"]><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&l9;</text></svg>"#);
        let started = std::time::Instant::now();
        let e = sanitize(&svg_uri(&lol), &fonts).unwrap_err();
        assert!(
            e.0.contains("is not an SVG") && e.0.contains("entity"),
            "{e}"
        );
        assert!(started.elapsed().as_secs() < 2, "{:?}", started.elapsed());
    }

    #[test]
    fn sizes_and_kinds_are_checked() {
        let fonts = Fonts::load().unwrap();
        let big = format!(
            "{SVG_HEAD}{}",
            STANDARD.encode(vec![b' '; MAX_LOGO_BYTES + 1])
        );
        assert!(
            sanitize(&big, &fonts)
                .unwrap_err()
                .0
                .contains("at most 200 KB")
        );
        let not_png = format!(
            "{PNG_HEAD}{}",
            STANDARD.encode(b"GIF89a......................")
        );
        assert_eq!(
            sanitize(&not_png, &fonts).unwrap_err().0,
            "is not a PNG file"
        );
        let mut huge = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        huge.extend(100_000u32.to_be_bytes());
        huge.extend(10u32.to_be_bytes());
        let huge = format!("{PNG_HEAD}{}", STANDARD.encode(&huge));
        assert!(sanitize(&huge, &fonts).unwrap_err().0.contains("100000×10"));
        assert!(sanitize("data:text/html;base64,PHNjcmlwdD4=", &fonts).is_err());
        assert!(
            sanitize(&format!("{SVG_HEAD}***"), &fonts)
                .unwrap_err()
                .0
                .contains("base64")
        );
    }
}
