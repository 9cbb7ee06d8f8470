//! Text as a report prints it: cleaned of what could reorder or break a
//! line, fitted to a width with an ellipsis, and escaped for SVG.

use charts::measured::TextWidth;

/// Whether `c` may stand in an XML document (XML 1.0's `Char`).
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// A bidirectional override or isolate, which would reorder the text
/// around a name (`U+202A`–`U+202E`, `U+2066`–`U+2069`).
fn bidi_control(c: char) -> bool {
    ('\u{202a}'..='\u{202e}').contains(&c) || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// `text` without control characters and what XML refuses (`U+FFFE`…),
/// and without bidirectional overrides and isolates; line breaks become
/// spaces. Right-to-left letters themselves stay.
pub fn clean(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c == '\n' || c == '\r' || c == '\t' {
                ' '
            } else {
                c
            }
        })
        .filter(|c| !c.is_control() && xml_char(*c) && !bidi_control(*c))
        .collect()
}

/// A whole SVG document without what XML refuses and without bidi
/// controls: the last step before a page leaves the layout, so that a name
/// from the data (a brand in a chart's legend, say) cannot make the page
/// unreadable to an SVG parser.
pub fn xml_safe(doc: String) -> String {
    if doc.chars().all(|c| xml_char(c) && !bidi_control(c)) {
        return doc;
    }
    doc.chars()
        .filter(|c| xml_char(*c) && !bidi_control(*c))
        .collect()
}

/// The longest start of `text` (cleaned) that is at most `max_width` pixels
/// wide at `px`, with `…` where it was cut.
pub fn fit(text: &str, px: f64, max_width: f64, measure: &impl TextWidth) -> String {
    let text = clean(text);
    if measure.width(&text, px) <= max_width {
        return text;
    }
    let chars: Vec<char> = text.chars().collect();
    // Binary search on the number of characters kept.
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().collect::<String>() + "…";
        if measure.width(&candidate, px) <= max_width {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let kept: String = chars[..lo].iter().collect();
    format!("{}…", kept.trim_end())
}

/// `text` with `&`, `<`, `>` and quotes escaped, for SVG text and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Every character half an em wide, CJK a whole em: close enough to
    /// the bundled font to test layout without it.
    pub struct Approx;

    impl TextWidth for Approx {
        fn width(&self, text: &str, px: f64) -> f64 {
            text.chars()
                .map(|c| if (c as u32) < 0x2e80 { 0.55 } else { 1.0 })
                .sum::<f64>()
                * px
        }
    }

    #[test]
    fn cleaning_removes_overrides_and_controls_but_keeps_letters() {
        assert_eq!(clean("a\u{202e}gnp.exe\u{202c}b"), "agnp.exeb");
        assert_eq!(clean("שלום\u{2067}x\u{2069}"), "שלוםx");
        assert_eq!(clean("line\nbreak\u{7}"), "line break");
        assert_eq!(clean("品牌 😀"), "品牌 😀");
        assert_eq!(clean("a\u{fffe}b\u{ffff}c\u{0}"), "abc");
        let doc = "<svg><text>a\u{ffff}\u{202e}b</text></svg>".to_string();
        assert_eq!(xml_safe(doc), "<svg><text>ab</text></svg>");
    }

    #[test]
    fn fitting_cuts_with_an_ellipsis_only_when_needed() {
        assert_eq!(fit("短名", 10.0, 100.0, &Approx), "短名");
        let long = "很".repeat(10_000);
        let cut = fit(&long, 10.0, 100.0, &Approx);
        assert!(cut.ends_with('…'), "{cut}");
        assert!(Approx.width(&cut, 10.0) <= 100.0);
        assert_eq!(cut.chars().count(), 10, "{cut}");
        assert_eq!(fit("abc", 10.0, 1.0, &Approx), "…");
    }

    #[test]
    fn escaping_covers_markup() {
        assert_eq!(escape("<script>&\"'"), "&lt;script&gt;&amp;&quot;&apos;");
    }
}
