//! The cascade explorer's picture: a whole tree rasterised into one RGBA
//! pixel buffer (edges, nodes, flagged nodes, the selection), so the page
//! blits it with one `putImageData` instead of one canvas call per node;
//! the viewport (fit, zoom about a point, pan) and hit testing.
//!
//! A crate of its own so that it alone is compiled for speed in the WASM
//! bundle (`opt-level = 3`, see the workspace `Cargo.toml`), while the rest
//! of the app is compiled for size: a 10^5-node tree redraws every frame.

use analytics::explorer::{self, Cascade, Figures, Shape};

/// Where the picture looks: `zoom` 1 fits the whole tree; `cx`, `cy` are
/// the layout coordinates at the centre of the canvas.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    pub width: u32,
    pub height: u32,
    pub zoom: f64,
    pub cx: f64,
    pub cy: f64,
}

impl Viewport {
    /// The view that fits `shape`'s coordinates (tidy: 0..1, radial: -1..1).
    pub fn fit(width: u32, height: u32, shape: Shape) -> Viewport {
        let (cx, cy) = match shape {
            Shape::Tidy => (0.5, 0.5),
            Shape::Radial => (0.0, 0.0),
        };
        Viewport {
            width,
            height,
            zoom: 1.0,
            cx,
            cy,
        }
    }

    /// Pixels per layout unit, with a margin, for `shape`'s extent.
    fn scale(&self, shape: Shape) -> (f64, f64) {
        let extent = match shape {
            Shape::Tidy => 1.0,
            Shape::Radial => 2.0,
        };
        let margin = 24.0;
        let w = (f64::from(self.width) - 2.0 * margin).max(1.0);
        let h = (f64::from(self.height) - 2.0 * margin).max(1.0);
        match shape {
            // The tidy tree fills the box: wide trees stay readable.
            Shape::Tidy => (w / extent * self.zoom, h / extent * self.zoom),
            // The radial one keeps its circle round.
            Shape::Radial => {
                let s = w.min(h) / extent * self.zoom;
                (s, s)
            }
        }
    }

    /// Screen position (pixels) of layout point `(x, y)`.
    pub fn to_screen(&self, shape: Shape, x: f64, y: f64) -> (f64, f64) {
        let (sx, sy) = self.scale(shape);
        (
            (x - self.cx) * sx + f64::from(self.width) / 2.0,
            (y - self.cy) * sy + f64::from(self.height) / 2.0,
        )
    }

    /// Layout point under screen position `(px, py)`.
    pub fn to_layout(&self, shape: Shape, px: f64, py: f64) -> (f64, f64) {
        let (sx, sy) = self.scale(shape);
        (
            (px - f64::from(self.width) / 2.0) / sx + self.cx,
            (py - f64::from(self.height) / 2.0) / sy + self.cy,
        )
    }

    /// Zoomed by `factor` around screen point `(px, py)`, which stays put.
    pub fn zoomed(&self, shape: Shape, factor: f64, px: f64, py: f64) -> Viewport {
        let (lx, ly) = self.to_layout(shape, px, py);
        let mut v = *self;
        v.zoom = (self.zoom * factor).clamp(0.5, 4096.0);
        let (nx, ny) = v.to_layout(shape, px, py);
        v.cx += lx - nx;
        v.cy += ly - ny;
        v
    }

    /// Moved by `(dx, dy)` screen pixels (the picture follows the pointer).
    pub fn panned(&self, shape: Shape, dx: f64, dy: f64) -> Viewport {
        let (sx, sy) = self.scale(shape);
        let mut v = *self;
        v.cx -= dx / sx;
        v.cy -= dy / sy;
        v
    }
}

/// Colours of the picture, RGBA.
pub const BACKGROUND: [u8; 4] = [255, 255, 255, 255];
pub const EDGE: [u8; 4] = [0xcb, 0xd5, 0xe1, 255];
pub const NODE: [u8; 4] = [0x25, 0x63, 0xeb, 255];
pub const ROOT: [u8; 4] = [0x0f, 0x17, 0x2a, 255];
pub const FLAGGED: [u8; 4] = [0xdc, 0x26, 0x26, 255];
pub const SELECTED: [u8; 4] = [0xf5, 0x9e, 0x0b, 255];

/// Device pixels per CSS pixel of a report's tree picture (print).
pub const PICTURE_DENSITY: u32 = 2;

/// A cascade's whole tree as a report prints it — radial, flagged reposts
/// red, nothing selected — at [`PICTURE_DENSITY`] times `css` (width,
/// height in CSS pixels): the RGBA pixels, and the figures they are of.
/// The server and the builder's preview both draw it with this.
pub fn picture(cascade: &Cascade, css: (u32, u32)) -> (Vec<u8>, Figures) {
    let fig = explorer::figures(cascade, false, Shape::Radial, 1);
    let (w, h) = (css.0 * PICTURE_DENSITY, css.1 * PICTURE_DENSITY);
    let vp = Viewport::fit(w, h, Shape::Radial);
    let mut rgba = Vec::new();
    raster(
        &fig,
        &cascade.flagged(),
        Shape::Radial,
        &vp,
        None,
        &mut rgba,
    );
    (rgba, fig)
}

/// Draws `fig`'s tree into `buf` (`width × height × 4` bytes, resized as
/// needed): edges as one-pixel lines, nodes as small squares (flagged ones
/// red), `selected` (a blob index) ringed. Everything outside the canvas
/// is clipped; nothing here allocates per node.
pub fn raster(
    fig: &Figures,
    flagged: &[bool],
    shape: Shape,
    vp: &Viewport,
    selected: Option<u32>,
    buf: &mut Vec<u8>,
) {
    let (w, h) = (vp.width as usize, vp.height as usize);
    buf.resize(w * h * 4, 0);
    for px in buf.chunks_exact_mut(4) {
        px.copy_from_slice(&BACKGROUND);
    }
    let n = fig.tree.len();
    let (lx, ly) = (&fig.layout.x, &fig.layout.y);
    let screen: Vec<(f64, f64)> = (0..n).map(|v| vp.to_screen(shape, lx[v], ly[v])).collect();
    match shape {
        // Elbow links, as org charts draw them: down from the parent to
        // half way, one bar across its children, down to each child. A hub
        // with thousands of reposts costs one bar, not thousands of long
        // diagonals.
        Shape::Tidy => {
            for p in 0..n {
                let kids = fig.tree.children(p);
                if kids.is_empty() {
                    continue;
                }
                let (px, py) = screen[p];
                let cy = screen[kids.start].1;
                let mid = (py + cy) / 2.0;
                let (mut lo, mut hi) = (px, px);
                for c in kids.clone() {
                    lo = lo.min(screen[c].0);
                    hi = hi.max(screen[c].0);
                    vertical(buf, w, h, screen[c].0, mid, cy, EDGE);
                }
                vertical(buf, w, h, px, py, mid, EDGE);
                horizontal(buf, w, h, lo, hi, mid, EDGE);
            }
        }
        Shape::Radial => {
            for v in 1..n {
                let p = fig.tree.parent[v] as usize;
                line(buf, w, h, screen[p], screen[v], EDGE);
            }
        }
    }
    // Node squares grow with the zoom, from 1 to 5 pixels across.
    let r = ((vp.zoom.log2() * 0.6 + 1.0).round() as i64).clamp(1, 3) - 1;
    for v in 0..n {
        let id = fig.tree.ids[v] as usize;
        let colour = if v == 0 {
            ROOT
        } else if flagged.get(id).copied().unwrap_or(false) {
            FLAGGED
        } else {
            NODE
        };
        let rr = if v == 0 { r + 2 } else { r };
        square(buf, w, h, screen[v], rr, colour);
    }
    if let Some(sel) = selected
        && let Some(v) = fig.tree.ids.iter().position(|&id| id == sel)
    {
        ring(buf, w, h, screen[v], r + 5, SELECTED);
    }
}

fn put(buf: &mut [u8], w: usize, h: usize, x: i64, y: i64, c: [u8; 4]) {
    if x >= 0 && y >= 0 && (x as usize) < w && (y as usize) < h {
        let i = (y as usize * w + x as usize) * 4;
        buf[i..i + 4].copy_from_slice(&c);
    }
}

fn square(buf: &mut [u8], w: usize, h: usize, (x, y): (f64, f64), r: i64, c: [u8; 4]) {
    let (x, y) = (x.round() as i64, y.round() as i64);
    if x < -r || y < -r || x > w as i64 + r || y > h as i64 + r {
        return;
    }
    for dy in -r..=r {
        for dx in -r..=r {
            put(buf, w, h, x + dx, y + dy, c);
        }
    }
}

fn ring(buf: &mut [u8], w: usize, h: usize, (x, y): (f64, f64), r: i64, c: [u8; 4]) {
    let (x, y) = (x.round() as i64, y.round() as i64);
    for d in -r..=r {
        for t in 0..2 {
            put(buf, w, h, x + d, y - r + t, c);
            put(buf, w, h, x + d, y + r - t, c);
            put(buf, w, h, x - r + t, y + d, c);
            put(buf, w, h, x + r - t, y + d, c);
        }
    }
}

/// A horizontal run of pixels at `y` from `x0` to `x1`, clipped.
fn horizontal(buf: &mut [u8], w: usize, h: usize, x0: f64, x1: f64, y: f64, c: [u8; 4]) {
    let y = y.round();
    if y < 0.0 || y >= h as f64 {
        return;
    }
    let a = x0.min(x1).round().max(0.0);
    let b = x0.max(x1).round().min(w as f64 - 1.0);
    if a > b {
        return;
    }
    let row = y as usize * w * 4;
    for px in buf[row + a as usize * 4..row + (b as usize + 1) * 4].chunks_exact_mut(4) {
        px.copy_from_slice(&c);
    }
}

/// A vertical run of pixels at `x` from `y0` to `y1`, clipped.
fn vertical(buf: &mut [u8], w: usize, h: usize, x: f64, y0: f64, y1: f64, c: [u8; 4]) {
    let x = x.round();
    if x < 0.0 || x >= w as f64 {
        return;
    }
    let a = y0.min(y1).round().max(0.0);
    let b = y0.max(y1).round().min(h as f64 - 1.0);
    if a > b {
        return;
    }
    let x = x as usize * 4;
    for y in a as usize..=b as usize {
        let i = y * w * 4 + x;
        buf[i..i + 4].copy_from_slice(&c);
    }
}

/// A one-pixel line, clipped to the canvas first (Liang–Barsky), then
/// stepped along its longer axis.
fn line(buf: &mut [u8], w: usize, h: usize, a: (f64, f64), b: (f64, f64), c: [u8; 4]) {
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let bounds = [
        (-dx, a.0),
        (dx, w as f64 - 1.0 - a.0),
        (-dy, a.1),
        (dy, h as f64 - 1.0 - a.1),
    ];
    for (p, q) in bounds {
        if p == 0.0 {
            if q < 0.0 {
                return;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    if t0 > t1 || !t0.is_finite() || !t1.is_finite() {
        return;
    }
    // Integer steps (Bresenham) between the clipped, rounded ends, which
    // lie inside the canvas.
    let clamp = |v: f64, max: usize| (v.round() as i64).clamp(0, max as i64 - 1);
    let (mut x, mut y) = (clamp(a.0 + t0 * dx, w), clamp(a.1 + t0 * dy, h));
    let (x1, y1) = (clamp(a.0 + t1 * dx, w), clamp(a.1 + t1 * dy, h));
    let (ddx, ddy) = ((x1 - x).abs(), -(y1 - y).abs());
    let (sx, sy) = (if x < x1 { 1 } else { -1 }, if y < y1 { 1 } else { -1 });
    let mut err = ddx + ddy;
    let stride = w as i64 * 4;
    loop {
        let i = (y * stride + x * 4) as usize;
        buf[i..i + 4].copy_from_slice(&c);
        if x == x1 && y == y1 {
            break;
        }
        let e2 = 2 * err;
        if e2 >= ddy {
            err += ddy;
            x += sx;
        }
        if e2 <= ddx {
            err += ddx;
            y += sy;
        }
    }
}

/// The node (a blob index) drawn nearest to screen point `(px, py)`, within
/// `radius` pixels.
pub fn node_at(
    fig: &Figures,
    shape: Shape,
    vp: &Viewport,
    px: f64,
    py: f64,
    radius: f64,
) -> Option<u32> {
    let mut best: Option<(f64, usize)> = None;
    for v in 0..fig.tree.len() {
        let (x, y) = vp.to_screen(shape, fig.layout.x[v], fig.layout.y[v]);
        let d = (x - px).powi(2) + (y - py).powi(2);
        if d <= radius * radius && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, v));
        }
    }
    best.map(|(_, v)| fig.tree.ids[v])
}

#[cfg(test)]
mod tests {
    use super::*;
    use analytics::explorer::{Cascade, details, example_blob, figures};

    #[test]
    fn the_picture_has_every_colour_and_hit_testing_finds_nodes() {
        let c = Cascade::from_blob(example_blob()).unwrap();
        let flagged = c.flagged();
        for shape in [Shape::Tidy, Shape::Radial] {
            let fig = figures(&c, false, shape, 3);
            let vp = Viewport::fit(400, 300, shape);
            let mut buf = Vec::new();
            raster(&fig, &flagged, shape, &vp, Some(1), &mut buf);
            assert_eq!(buf.len(), 400 * 300 * 4);
            for colour in [EDGE, NODE, ROOT, FLAGGED, SELECTED] {
                assert!(
                    buf.chunks_exact(4).any(|p| p == colour),
                    "{shape:?} lacks {colour:?}"
                );
            }
            // The root is where the viewport puts it.
            let (x, y) = vp.to_screen(shape, fig.layout.x[0], fig.layout.y[0]);
            assert_eq!(node_at(&fig, shape, &vp, x + 1.0, y, 4.0), Some(0));
            assert_eq!(node_at(&fig, shape, &vp, -50.0, -50.0, 4.0), None);
            let d = details(&c, &fig, &flagged, 1).unwrap();
            assert_eq!((d.handle.as_str(), d.subtree, d.level), ("user1", 31, 1));
            assert_eq!(d.seconds_after_root, 60.0);
        }
    }

    #[test]
    fn zoom_keeps_the_pointed_spot_and_pan_follows_the_pointer() {
        let vp = Viewport::fit(1440, 900, Shape::Tidy);
        let spot = vp.to_layout(Shape::Tidy, 300.0, 200.0);
        let z = vp.zoomed(Shape::Tidy, 8.0, 300.0, 200.0);
        let again = z.to_layout(Shape::Tidy, 300.0, 200.0);
        assert!((spot.0 - again.0).abs() < 1e-12 && (spot.1 - again.1).abs() < 1e-12);
        let p = z.panned(Shape::Tidy, 40.0, -10.0);
        let (x, y) = p.to_screen(Shape::Tidy, spot.0, spot.1);
        assert!((x - 340.0).abs() < 1e-9 && (y - 190.0).abs() < 1e-9);
        // Far outside the canvas: drawing clips, nothing panics.
        let c = Cascade::from_blob(example_blob()).unwrap();
        let fig = figures(&c, false, Shape::Tidy, 3);
        let far = vp.zoomed(Shape::Tidy, 4096.0, -1e6, 1e6);
        let mut buf = Vec::new();
        raster(&fig, &c.flagged(), Shape::Tidy, &far, None, &mut buf);
        assert_eq!(buf.len(), 1440 * 900 * 4);
    }
}
