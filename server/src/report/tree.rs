//! A cascade's tree picture for a report: drawn by the `raster` crate, as
//! the explorer draws it (radial, flagged reposts red), at twice the
//! picture's CSS size for print, and embedded as a PNG.

use analytics::cascade::codec::TreeBlob;
use analytics::explorer::Cascade;
use report::content::{Picture, TreePicture};
use resvg::tiny_skia;

/// Tree pictures already drawn, by campaign, data version, root and size:
/// a tree does not change until its campaign's data does, and drawing a
/// 10^4-node tree (reading it, laying it out, encoding it) is most of a
/// report's time.
#[derive(Debug, Default)]
pub struct TreeCache {
    inner: std::sync::Mutex<std::collections::HashMap<TreeKey, TreePicture>>,
}

/// Campaign, data version, root post, picture size.
pub type TreeKey = (i64, i64, String, (u32, u32));

/// Pictures kept (each at most a few hundred KB).
const KEPT: usize = 16;

impl TreeCache {
    pub fn get(&self, key: &TreeKey) -> Option<TreePicture> {
        self.inner.lock().ok()?.get(key).cloned()
    }

    pub fn put(&self, key: TreeKey, picture: TreePicture) {
        let Ok(mut m) = self.inner.lock() else { return };
        // Older versions of the same campaign's trees are of no more use.
        m.retain(|k, _| k.0 != key.0 || k.1 == key.1);
        if m.len() >= KEPT {
            m.clear();
        }
        m.insert(key, picture);
    }
}

/// The picture of `blob` at `size` CSS pixels, with what it is of;
/// `None` when the blob cannot be read as a tree.
pub fn picture(
    blob: TreeBlob,
    root: &str,
    author: &str,
    channel: analytics::wire::Channel,
    size: (u32, u32),
) -> Option<TreePicture> {
    let cascade = Cascade::from_blob(blob).ok()?;
    let (rgba, fig) = raster::picture(&cascade, size);
    let d = raster::PICTURE_DENSITY;
    let pixmap =
        tiny_skia::Pixmap::from_vec(rgba, tiny_skia::IntSize::from_wh(size.0 * d, size.1 * d)?)?;
    let png = super::draw::encode_png(&pixmap).ok()?;
    Some(TreePicture {
        root: root.to_string(),
        author: author.to_string(),
        channel,
        size: fig.metrics.n,
        depth: fig.metrics.depth,
        picture: Picture {
            href: report::content::png_href(&png),
            width: size.0,
            height: size.1,
        },
    })
}
