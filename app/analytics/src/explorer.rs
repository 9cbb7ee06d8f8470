//! The cascade explorer: one cascade from the API's blob, its figures (with
//! or without the subtrees the amplification detector flags, each flag with
//! its signals), and its picture rasterised into an RGBA pixel buffer, so a
//! 10^5-node tree costs one `putImageData`, not one canvas call per node.

use crate::cascade::amplification::{AccountFeatures, AmplificationConfig, Flag, detect};
use crate::cascade::build::{BuildError, Tree};
use crate::cascade::codec::TreeBlob;
use crate::cascade::layout::{self, Layout};
use crate::cascade::metrics::{CascadeMetrics, PrefixPoint};
use crate::cascade::prediction::{self, Prediction};

/// One cascade, decoded, with the detector's findings.
#[derive(Debug, Clone)]
pub struct Cascade {
    pub blob: TreeBlob,
    /// Node ids are indices into the blob; times are seconds after the root.
    /// Nodes the root cannot reach (a damaged blob) are left out.
    pub tree: Tree<u32>,
    /// The account behind each node of `tree` (tree order).
    pub features: Vec<AccountFeatures>,
    /// What the detector (default thresholds) flags, burst by burst (node
    /// numbers are `tree`'s).
    pub flags: Vec<Flag>,
}

impl Cascade {
    /// The cascade of a blob; `Err` when it is too large to number.
    pub fn from_blob(blob: TreeBlob) -> Result<Cascade, BuildError> {
        let n = blob.parent.len();
        let time: Vec<f64> = blob
            .offset_ms
            .iter()
            .map(|&ms| ms as f64 / 1000.0)
            .collect();
        let tree = Tree::from_parents((0..n as u32).collect(), &blob.parent, time)?;
        let at = |v: &Vec<u32>, i: usize| u64::from(v.get(i).copied().unwrap_or(0));
        let features: Vec<AccountFeatures> = tree
            .ids
            .iter()
            .map(|&i| i as usize)
            .map(|i| AccountFeatures {
                followers: at(&blob.followers, i),
                following: at(&blob.following, i),
                posts: at(&blob.posts, i),
                age_days: blob
                    .age_days
                    .get(i)
                    .copied()
                    .filter(|a| a.is_finite())
                    .map(f64::from),
            })
            .collect();
        let flags = detect(&tree, &features, &AmplificationConfig::default());
        Ok(Cascade {
            blob,
            tree,
            features,
            flags,
        })
    }

    /// Which blob nodes the detector flags (each flagged repost; its
    /// subtree goes with it when excluded), by blob index.
    pub fn flagged(&self) -> Vec<bool> {
        let mut out = vec![false; self.blob.parent.len()];
        for f in &self.flags {
            for &v in &f.nodes {
                if let Some(&id) = self.tree.ids.get(v as usize) {
                    out[id as usize] = true;
                }
            }
        }
        out
    }

    /// Followers of blob node `v`'s account.
    pub fn followers(&self, v: u32) -> u64 {
        u64::from(self.blob.followers.get(v as usize).copied().unwrap_or(0))
    }

    /// The handle of blob node `v`.
    pub fn handle(&self, v: u32) -> &str {
        self.blob.handles.get(v as usize).map_or("", String::as_str)
    }
}

/// One key spreader: a reposter ranked by the size of the subtree below it.
#[derive(Debug, Clone, PartialEq)]
pub struct KeySpreader {
    /// Blob index.
    pub node: u32,
    pub handle: String,
    pub followers: u64,
    pub subtree: u64,
    pub children: u64,
    /// Share of the cascade (as shown) in the subtree.
    pub contribution: f64,
}

/// What the explorer shows about the cascade as shown (flagged subtrees
/// left out when asked).
#[derive(Debug, Clone)]
pub struct Figures {
    /// The tree shown; its ids are blob indices.
    pub tree: Tree<u32>,
    pub metrics: CascadeMetrics,
    /// Nodes per level, the root's level first.
    pub breadth: Vec<u64>,
    /// `(seconds after the root, nodes so far)`.
    pub growth: Vec<(f64, u64)>,
    /// Structural virality and depth of the tree as it grew.
    pub over_time: Vec<PrefixPoint>,
    pub spreaders: Vec<KeySpreader>,
    /// Final size, from the tree shown and its followers (as the cascade
    /// list computes it: observed until the last arrival).
    pub prediction: Prediction,
    /// Nodes left out (flagged reposts and their subtrees).
    pub excluded: u64,
    pub layout: Layout,
}

/// How the tree is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Tidy,
    Radial,
}

/// Buckets of the growth and over-time series.
pub const BUCKETS: usize = 48;

/// The figures of `c`, without the flagged subtrees when `exclude_flagged`.
pub fn figures(c: &Cascade, exclude_flagged: bool, shape: Shape, top: usize) -> Figures {
    let tree = if exclude_flagged {
        let nodes: Vec<u32> = c
            .flags
            .iter()
            .flat_map(|f| f.nodes.iter().copied())
            .collect();
        c.tree.without(&nodes)
    } else {
        c.tree.clone()
    };
    let followers: Vec<u64> = tree.ids.iter().map(|&v| c.followers(v)).collect();
    let metrics = tree.metrics();
    let root_s = tree.time.first().copied().unwrap_or(0.0);
    let seen_s = tree.time.iter().copied().fold(root_s, f64::max) - root_s;
    let prediction = prediction::with_followers(&tree, &followers, seen_s);
    let spreaders = tree
        .spreaders_by_subtree(top)
        .into_iter()
        .map(|s| {
            let node = tree.ids[s.node as usize];
            KeySpreader {
                node,
                handle: c.handle(node).to_string(),
                followers: followers[s.node as usize],
                subtree: s.subtree,
                children: s.children,
                contribution: s.contribution,
            }
        })
        .collect();
    let layout = match shape {
        Shape::Tidy => layout::tidy(&tree),
        Shape::Radial => layout::radial(&tree),
    };
    Figures {
        breadth: tree.breadth_per_level(),
        growth: tree.growth_curve(BUCKETS),
        over_time: tree.virality_over_time(BUCKETS),
        excluded: (c.tree.len() - tree.len()) as u64,
        metrics,
        spreaders,
        prediction,
        layout,
        tree,
    }
}

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
    for v in 1..n {
        let p = fig.tree.parent[v] as usize;
        line(buf, w, h, screen[p], screen[v], EDGE);
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
    let (x0, y0) = (a.0 + t0 * dx, a.1 + t0 * dy);
    let (x1, y1) = (a.0 + t1 * dx, a.1 + t1 * dy);
    let steps = (x1 - x0).abs().max((y1 - y0).abs()).ceil().max(1.0) as i64;
    let (sx, sy) = ((x1 - x0) / steps as f64, (y1 - y0) / steps as f64);
    for i in 0..=steps {
        let f = i as f64;
        put(
            buf,
            w,
            h,
            (x0 + sx * f).round() as i64,
            (y0 + sy * f).round() as i64,
            c,
        );
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

/// What a hover or click on node `node` (a blob index) tells: its account,
/// followers, time after the original, subtree and share of the cascade.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeDetails {
    pub node: u32,
    pub post: String,
    pub handle: String,
    pub followers: u64,
    pub seconds_after_root: f64,
    pub level: u32,
    pub subtree: u64,
    pub contribution: f64,
    pub flagged: bool,
}

/// Details of blob node `node` in the tree shown; `None` if it is not shown.
pub fn details(c: &Cascade, fig: &Figures, flagged: &[bool], node: u32) -> Option<NodeDetails> {
    let v = fig.tree.ids.iter().position(|&id| id == node)?;
    let sizes = fig.tree.subtree_sizes();
    Some(NodeDetails {
        node,
        post: c.blob.ids.get(node as usize).cloned().unwrap_or_default(),
        handle: c.handle(node).to_string(),
        followers: c.followers(node),
        seconds_after_root: fig.tree.time[v] - fig.tree.time[0],
        level: fig.tree.level[v],
        subtree: sizes[v],
        contribution: sizes[v] as f64 / fig.tree.len().max(1) as f64,
        flagged: flagged.get(node as usize).copied().unwrap_or(false),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cascade::codec;

    /// A root with a broadcast of 30 reposts, one of which has a chain of 5,
    /// and a burst of 25 low-quality accounts within a minute under node 1.
    fn blob() -> TreeBlob {
        let mut parent = vec![u32::MAX];
        let mut offset = vec![0i64];
        for i in 0..30 {
            parent.push(0);
            offset.push(60_000 * (i + 1));
        }
        for i in 0..5 {
            parent.push(if i == 0 { 1 } else { 30 + i });
            offset.push(3_600_000 + 60_000 * i64::from(i));
        }
        let burst_from = parent.len();
        for i in 0..25 {
            parent.push(1);
            offset.push(7_200_000 + 2_000 * i);
        }
        let n = parent.len();
        let low = |i: usize| i >= burst_from;
        TreeBlob {
            root_time_ms: 1_772_330_400_000,
            parent,
            offset_ms: offset,
            followers: (0..n)
                .map(|i| if low(i) { 3 } else { 500 + i as u32 })
                .collect(),
            following: (0..n).map(|i| if low(i) { 1500 } else { 200 }).collect(),
            posts: (0..n).map(|i| if low(i) { 0 } else { 300 }).collect(),
            age_days: (0..n)
                .map(|i| if low(i) { 2.0 } else { f32::NAN })
                .collect(),
            flags: vec![0; n],
            ids: (0..n).map(|i| format!("p{i}")).collect(),
            handles: (0..n).map(|i| format!("user{i}")).collect(),
        }
    }

    #[test]
    fn the_burst_is_flagged_with_its_signals_and_excluding_it_recomputes_everything() {
        let bytes = codec::encode(&blob());
        let c = Cascade::from_blob(codec::decode(&bytes).unwrap()).unwrap();
        assert_eq!(c.tree.len(), 61);
        assert_eq!(c.flags.len(), 1);
        let flag = &c.flags[0];
        assert_eq!(flag.parent, 1);
        let flagged = flag.nodes.len() as u64;
        assert!(flagged >= 20, "{flagged} of the 25");
        assert_eq!(flag.signals.few_posts, flagged);
        assert_eq!(flag.signals.new_account, flagged);
        assert_eq!(c.flagged().iter().filter(|f| **f).count() as u64, flagged);
        let with = figures(&c, false, Shape::Tidy, 3);
        let without = figures(&c, true, Shape::Tidy, 3);
        assert_eq!((with.metrics.n, without.metrics.n), (61, 61 - flagged));
        assert_eq!(without.excluded, flagged);
        assert_eq!(with.metrics, c.tree.metrics());
        // Node 1 carried the burst and the chain: the top spreader.
        assert_eq!(with.spreaders[0].handle, "user1");
        assert_eq!(with.spreaders[0].subtree, 31);
        assert!((with.spreaders[0].contribution - 31.0 / 61.0).abs() < 1e-12);
        assert_eq!(without.spreaders[0].subtree, 31 - flagged);
        assert_eq!(with.breadth, vec![1, 30, 26, 1, 1, 1, 1]);
        assert_eq!(without.breadth[2], 26 - flagged);
        assert_eq!(with.growth.last(), Some(&(7_248.0, 61)));
        assert!(with.prediction.estimate >= 61.0);
        assert!(
            with.metrics.structural_virality.unwrap()
                > without.metrics.structural_virality.unwrap() * 0.5
        );
    }

    #[test]
    fn the_picture_has_every_colour_and_hit_testing_finds_nodes() {
        let c = Cascade::from_blob(blob()).unwrap();
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
        let c = Cascade::from_blob(blob()).unwrap();
        let fig = figures(&c, false, Shape::Tidy, 3);
        let far = vp.zoomed(Shape::Tidy, 4096.0, -1e6, 1e6);
        let mut buf = Vec::new();
        raster(&fig, &c.flagged(), Shape::Tidy, &far, None, &mut buf);
        assert_eq!(buf.len(), 1440 * 900 * 4);
    }

    #[test]
    fn nodes_a_damaged_blob_cuts_off_are_left_out_not_panicked_on() {
        let mut b = blob();
        b.parent[3] = 7; // a cycle the root cannot reach
        b.parent[7] = 3;
        b.parent[9] = 1_000_000; // a parent that does not exist
        let c = Cascade::from_blob(b).unwrap();
        assert_eq!(c.tree.len(), 58);
        assert!(!c.tree.ids.contains(&3) && !c.tree.ids.contains(&9));
        let fig = figures(&c, true, Shape::Radial, 3);
        assert!(details(&c, &fig, &c.flagged(), 3).is_none());
        assert_eq!(c.features.len(), c.tree.len());
    }
}
