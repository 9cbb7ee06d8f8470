//! The one face the server draws text with: the bundled subset of Noto
//! Sans CJK SC (`public/fonts`, OFL, renamed "Report Sans SC" as the
//! licence asks of a modified version). No system font is ever looked up,
//! so a render is the same on every machine; a character the face lacks is
//! reported, never silently dropped.

use charts::measured::TextWidth;
use resvg::usvg::{self, fontdb};
use std::collections::BTreeSet;
use std::sync::Arc;

/// The face's file, compiled into the binary.
pub static BUNDLED: &[u8] = include_bytes!("../../../public/fonts/ReportSansSC-Regular.otf");

/// The bundled face: measuring text, and the font database usvg draws from.
pub struct Fonts {
    face: ttf_parser::Face<'static>,
    units_per_em: f64,
    db: Arc<fontdb::Database>,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fonts")
            .field("family", &charts::BUNDLED_FONT)
            .finish()
    }
}

impl Fonts {
    /// Reads the bundled face (and checks its family name is the one the
    /// charts ask for: usvg drops text whose family it cannot match).
    pub fn load() -> Result<Fonts, String> {
        let face = ttf_parser::Face::parse(BUNDLED, 0)
            .map_err(|e| format!("the bundled font cannot be read: {e}"))?;
        let mut db = fontdb::Database::new();
        db.load_font_data(BUNDLED.to_vec());
        let named = db.faces().any(|f| {
            f.families
                .iter()
                .any(|(name, _)| name == charts::BUNDLED_FONT)
        });
        if !named {
            return Err(format!(
                "the bundled font is not called {:?}: every chart's text would be lost",
                charts::BUNDLED_FONT
            ));
        }
        db.set_sans_serif_family(charts::BUNDLED_FONT);
        Ok(Fonts {
            units_per_em: f64::from(face.units_per_em().max(1)),
            face,
            db: Arc::new(db),
        })
    }

    /// Whether the face draws `c` (whitespace and controls need no glyph).
    pub fn has(&self, c: char) -> bool {
        c.is_whitespace() || c.is_control() || self.face.glyph_index(c).is_some_and(|g| g.0 != 0)
    }

    /// The characters of `text` the face cannot draw.
    pub fn missing(&self, text: &str) -> BTreeSet<char> {
        text.chars().filter(|c| !self.has(*c)).collect()
    }

    /// Every character the face maps.
    pub fn characters(&self) -> Vec<char> {
        let mut out = BTreeSet::new();
        if let Some(cmap) = self.face.tables().cmap {
            for sub in cmap.subtables {
                if sub.is_unicode() {
                    sub.codepoints(|cp| {
                        if let Some(c) = char::from_u32(cp) {
                            out.insert(c);
                        }
                    });
                }
            }
        }
        out.into_iter().collect()
    }

    /// Whether the face's glyph for `c` has an outline (a real drawing, not
    /// an empty box or `.notdef`).
    pub fn draws(&self, c: char) -> bool {
        struct Count(usize);
        impl ttf_parser::OutlineBuilder for Count {
            fn move_to(&mut self, _: f32, _: f32) {}
            fn line_to(&mut self, _: f32, _: f32) {
                self.0 += 1;
            }
            fn quad_to(&mut self, _: f32, _: f32, _: f32, _: f32) {
                self.0 += 1;
            }
            fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, _: f32, _: f32) {
                self.0 += 1;
            }
            fn close(&mut self) {}
        }
        let Some(g) = self.face.glyph_index(c).filter(|g| g.0 != 0) else {
            return false;
        };
        let mut count = Count(0);
        self.face.outline_glyph(g, &mut count).is_some() && count.0 > 0
    }

    /// Options for parsing SVG with this face only, and no file access: an
    /// `<image>` may only be an embedded `data:` URI.
    pub fn svg_options(&self) -> usvg::Options<'static> {
        let mut opt = usvg::Options {
            font_family: charts::BUNDLED_FONT.to_string(),
            fontdb: self.db.clone(),
            ..usvg::Options::default()
        };
        opt.image_href_resolver.resolve_string = Box::new(|_, _| None);
        opt
    }
}

impl TextWidth for Fonts {
    fn width(&self, text: &str, px: f64) -> f64 {
        let units: f64 = text
            .chars()
            .map(|c| {
                let g = self.face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
                f64::from(self.face.glyph_hor_advance(g).unwrap_or(0))
            })
            .sum();
        units * px / self.units_per_em
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The set the face was cut to (GB 2312, level 1 of the Table of
    /// General Standard Chinese Characters, Latin, punctuation, and every
    /// character of the app's words): see `public/fonts/README.md`.
    const CHARSET: &str = include_str!("../../../public/fonts/charset.txt");

    #[test]
    fn every_character_of_the_bundled_set_has_a_real_glyph() {
        let fonts = Fonts::load().unwrap();
        let set: Vec<char> = CHARSET.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(set.len() > 8_000, "{}", set.len());
        // Blank by design: the half-width Hangul filler.
        const BLANK: [char; 1] = ['\u{ffa0}'];
        let tofu: String = set
            .iter()
            .filter(|c| !fonts.draws(**c) && !BLANK.contains(c))
            .collect();
        assert!(tofu.is_empty(), "no outline for: {tofu}");
        // GB 2312's two-byte table is in it entirely.
        assert!(set.contains(&'啊') && set.contains(&'齄') && set.contains(&'啰'));
        assert_eq!(fonts.characters().len(), CHARSET.chars().count());
    }

    /// Figures line up in tables, KPI cards and on axes: the face's digits
    /// are tabular (one advance for all ten), with no `tnum` feature to ask
    /// for (which neither plotters nor usvg could).
    #[test]
    fn the_faces_figures_are_tabular() {
        let fonts = Fonts::load().unwrap();
        let advances: BTreeSet<u16> = ('0'..='9')
            .map(|c| {
                let glyph = fonts.face.glyph_index(c).expect("a digit");
                fonts.face.glyph_hor_advance(glyph).expect("an advance")
            })
            .collect();
        assert_eq!(advances.len(), 1, "{advances:?}");
    }

    #[test]
    fn every_word_the_app_and_reports_print_is_in_the_face() {
        let fonts = Fonts::load().unwrap();
        let mut words: Vec<String> = Vec::new();
        for lang in [analytics::Lang::En, analytics::Lang::Zh] {
            words.extend(i18n::Msg::ALL.iter().map(|m| i18n::t(lang, *m).to_string()));
            words.extend(
                i18n::ReportMsg::ALL
                    .iter()
                    .map(|m| i18n::report_text(lang, *m).to_string()),
            );
        }
        let missing: BTreeSet<char> = words.iter().flat_map(|w| fonts.missing(w)).collect();
        assert!(missing.is_empty(), "{missing:?}");
        assert!(fonts.missing("😀 שלום").contains(&'😀'));
    }

    #[test]
    fn usvg_draws_the_whole_set_with_the_face_and_no_system_font() {
        let fonts = Fonts::load().unwrap();
        let chars: Vec<char> = CHARSET.chars().filter(|c| !c.is_whitespace()).collect();
        let lines: Vec<String> = chars.chunks(100).map(|c| c.iter().collect()).collect();
        let mut svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="{}" font-family="{}">"#,
            lines.len() * 24 + 24,
            charts::FONT_FAMILY
        );
        for (i, line) in lines.iter().enumerate() {
            svg.push_str(&format!(
                r#"<text x="4" y="{}" font-size="16">{}</text>"#,
                i * 24 + 20,
                report::text::escape(line)
            ));
        }
        svg.push_str("</svg>");
        let tree = usvg::Tree::from_str(&svg, &fonts.svg_options()).unwrap();
        // Each line became text with glyph outlines of the one face.
        let mut texts = 0;
        for node in tree.root().children() {
            if let usvg::Node::Text(t) = node {
                texts += 1;
                assert!(t.flattened().bounding_box().width() > 100.0);
            }
        }
        assert_eq!(texts, lines.len());
        let families: BTreeSet<String> = tree
            .fontdb()
            .faces()
            .flat_map(|f| f.families.iter().map(|(n, _)| n.clone()))
            .collect();
        assert_eq!(
            families.into_iter().collect::<Vec<_>>(),
            [charts::BUNDLED_FONT]
        );
    }
}
