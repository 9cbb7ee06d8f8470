//! Every colour a chart draws with: the channels', the reach chart's, the
//! sources' and the mentions'. In one place, with the test that keeps them
//! apart for colour-blind readers and in greyscale print.

use crate::wire::Channel;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`, for CSS and for tests that look for the colour on screen.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// This colour for text on white (a series' direct label): itself if it
    /// reads already (WCAG AA, contrast ≥ 4.5), else the same hue darkened
    /// until it does ([`TEXT_FORMS`]; the palette test checks both).
    pub fn for_text(self) -> Rgb {
        TEXT_FORMS
            .iter()
            .find(|(c, _)| *c == self)
            .map_or(self, |(_, t)| *t)
    }
}

/// The palette's colours too light for text on white, each with the same
/// hue darkened (in steps of 5 %) until its contrast is ≥ 4.5. A table, not
/// a computation: the browser's module then carries no `pow`.
const TEXT_FORMS: [(Rgb, Rgb); 6] = [
    (Rgb(0xe6, 0x9f, 0x00), Rgb(0x95, 0x67, 0x00)),
    (Rgb(0x00, 0x9e, 0x73), Rgb(0x00, 0x86, 0x62)),
    (Rgb(0xf9, 0x73, 0x16), Rgb(0xbb, 0x56, 0x10)),
    (Rgb(0xf5, 0x9e, 0x0b), Rgb(0x9f, 0x67, 0x07)),
    (Rgb(0x05, 0x96, 0x69), Rgb(0x04, 0x87, 0x5e)),
    (Rgb(0x94, 0xa3, 0xb8), Rgb(0x68, 0x72, 0x81)),
];

/// A channel's colour in charts (the same hue as its chip on the page):
/// Okabe–Ito-like hues chosen to stay apart for colour-blind readers and in
/// greyscale print.
pub fn channel_color(c: Channel) -> Rgb {
    match c {
        Channel::Weibo => Rgb(0xe6, 0x9f, 0x00),
        Channel::Wechat => Rgb(0x00, 0x9e, 0x73),
        Channel::Douyin => Rgb(0x1f, 0x29, 0x37),
        Channel::Xiaohongshu => Rgb(0xe1, 0x1d, 0x48),
        Channel::X => Rgb(0x86, 0x19, 0x8f),
        Channel::Facebook => Rgb(0x4f, 0x46, 0xe5),
    }
}

/// Series colours of the reach chart: cumulative unique reach, cumulative impressions.
pub const REACH_COLOR: Rgb = Rgb(0x25, 0x63, 0xeb);
pub const IMPRESSIONS_COLOR: Rgb = Rgb(0xf9, 0x73, 0x16);

/// Colours of owned, paid and earned in charts and on the page.
pub const SOURCE_COLORS: [Rgb; 3] = [
    Rgb(0x1d, 0x4e, 0xd8),
    Rgb(0xf5, 0x9e, 0x0b),
    Rgb(0x05, 0x96, 0x69),
];

/// The series colours of the mentions chart: the campaign's brand, and
/// every tracked competitor.
pub const OURS: Rgb = Rgb(0x25, 0x63, 0xeb);
pub const THEIRS: Rgb = Rgb(0x94, 0xa3, 0xb8);

#[cfg(test)]
mod tests {
    use super::*;

    /// Colour vision, for the palette test: sRGB → CIE L*a*b* (D65), and
    /// deuteranopia simulated with Machado, Oliveira & Fernandes (2009),
    /// severity 1, on linear RGB.
    mod vision {
        use super::Rgb;

        pub fn linear(c: u8) -> f64 {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        }

        /// WCAG 2 contrast ratio against white (1 … 21).
        pub fn contrast_on_white(c: Rgb) -> f64 {
            let l = 0.2126 * linear(c.0) + 0.7152 * linear(c.1) + 0.0722 * linear(c.2);
            1.05 / (l + 0.05)
        }

        fn lab_of_linear([r, g, b]: [f64; 3]) -> [f64; 3] {
            let f = |t: f64| {
                if t > 0.008856 {
                    t.cbrt()
                } else {
                    7.787 * t + 16.0 / 116.0
                }
            };
            let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
            let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
            let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
            [
                116.0 * f(y) - 16.0,
                500.0 * (f(x) - f(y)),
                200.0 * (f(y) - f(z)),
            ]
        }

        pub fn lab(c: Rgb) -> [f64; 3] {
            lab_of_linear([linear(c.0), linear(c.1), linear(c.2)])
        }

        pub fn deuteranope_lab(c: Rgb) -> [f64; 3] {
            const M: [[f64; 3]; 3] = [
                [0.367322, 0.860646, -0.227968],
                [0.280085, 0.672501, 0.047413],
                [-0.011820, 0.042940, 0.968881],
            ];
            let l = [linear(c.0), linear(c.1), linear(c.2)];
            let seen = M.map(|row| (row[0] * l[0] + row[1] * l[1] + row[2] * l[2]).clamp(0.0, 1.0));
            lab_of_linear(seen)
        }

        pub fn distance(a: [f64; 3], b: [f64; 3]) -> f64 {
            ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
        }
    }

    /// Every chart's series colours, by chart.
    fn palettes() -> Vec<(&'static str, Vec<Rgb>)> {
        vec![
            (
                "channels",
                Channel::ALL.iter().map(|c| channel_color(*c)).collect(),
            ),
            ("reach over time", vec![REACH_COLOR, IMPRESSIONS_COLOR]),
            ("owned, paid, earned", SOURCE_COLORS.to_vec()),
            ("mentions", vec![OURS, THEIRS]),
        ]
    }

    /// Every chart's series colours stay apart for a deuteranope (ΔE*ab ≥
    /// 12, a difference seen at a glance), in greyscale print (lightness
    /// ≥ 7 apart), and each stands out from the white ground.
    #[test]
    fn every_palette_survives_deuteranopia_and_greyscale() {
        let palettes = palettes();
        let white = Rgb(255, 255, 255);
        for (name, colors) in palettes {
            for (i, a) in colors.iter().enumerate() {
                let l = vision::lab(*a)[0];
                assert!(
                    l <= 75.0,
                    "{name}: {} is too light on white (L* {l:.0})",
                    a.hex()
                );
                assert!(vision::distance(vision::lab(*a), vision::lab(white)) >= 25.0);
                for b in &colors[i + 1..] {
                    let seen =
                        vision::distance(vision::deuteranope_lab(*a), vision::deuteranope_lab(*b));
                    assert!(
                        seen >= 12.0,
                        "{name}: {} and {} look alike to a deuteranope (ΔE {seen:.1})",
                        a.hex(),
                        b.hex()
                    );
                    let grey = (vision::lab(*a)[0] - vision::lab(*b)[0]).abs();
                    assert!(
                        grey >= 7.0,
                        "{name}: {} and {} print as the same grey (ΔL* {grey:.1})",
                        a.hex(),
                        b.hex()
                    );
                }
            }
        }
        // The simulation itself: red and green, the classic confusion.
        let (red, green) = (Rgb(0xdc, 0x26, 0x26), Rgb(0x16, 0xa3, 0x4a));
        let normal = vision::distance(vision::lab(red), vision::lab(green));
        let seen = vision::distance(vision::deuteranope_lab(red), vision::deuteranope_lab(green));
        assert!(
            normal > 80.0 && seen < normal / 2.0,
            "{normal:.1} → {seen:.1}"
        );
    }

    /// Each colour's form for a direct label reads on white (WCAG AA) and
    /// keeps its hue; one that reads already is itself.
    #[test]
    fn direct_label_colours_read_on_white() {
        let all: Vec<Rgb> = palettes().into_iter().flat_map(|(_, c)| c).collect();
        for (c, _) in TEXT_FORMS {
            assert!(all.contains(&c), "{} is in no palette", c.hex());
        }
        for (name, colors) in palettes() {
            for c in &colors {
                let t = c.for_text();
                let seen = vision::contrast_on_white(t);
                assert!(seen >= 4.5, "{name}: {} as text ({seen:.2})", c.hex());
                if vision::contrast_on_white(*c) >= 4.5 {
                    assert_eq!(t, *c);
                } else {
                    let hue = |c: Rgb| {
                        let [_, a, b] = vision::lab(c);
                        b.atan2(a)
                    };
                    assert!(
                        (hue(t) - hue(*c)).abs() < 0.2,
                        "{name}: {} → {}",
                        c.hex(),
                        t.hex()
                    );
                }
            }
        }
    }
}
