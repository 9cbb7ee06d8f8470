//! Any plotters backend with text measured by the caller: plotters
//! measures text natively with a byte-count guess (a Chinese character
//! counts three times) and in the browser through the DOM (an inline-styled
//! element the app's Content-Security-Policy refuses). Layouts, ellipses and
//! legends need the width the text will really have in the font that draws
//! it: the server measures with the bundled font's advances, the browser
//! with its canvas' `measureText`.

use plotters::prelude::SVGBackend;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

/// How wide a line of text is.
pub trait TextWidth {
    /// The advance width of `text` at `px` CSS pixels, in pixels.
    fn width(&self, text: &str, px: f64) -> f64;
}

impl<T: TextWidth> TextWidth for &T {
    fn width(&self, text: &str, px: f64) -> f64 {
        (*self).width(text, px)
    }
}

/// The CSS pixel size plotters' SVG backend writes for a font of plotters
/// size `size` (its size is a line height).
pub const SVG_PX_PER_SIZE: f64 = 1.0 / 1.24;

/// Backend `B` whose text is measured by `M`; `px_per_size` is the CSS
/// pixel size `B` draws a font of plotters size 1 at.
pub struct Measured<B, M> {
    inner: B,
    measure: M,
    px_per_size: f64,
}

impl<B: DrawingBackend, M: TextWidth> Measured<B, M> {
    pub fn new(inner: B, measure: M, px_per_size: f64) -> Self {
        Measured {
            inner,
            measure,
            px_per_size,
        }
    }
}

/// plotters' SVG backend writing a document of `size` pixels into `out`,
/// its text measured by `measure`.
pub fn svg<'a, M: TextWidth>(
    out: &'a mut String,
    size: (u32, u32),
    measure: M,
) -> Measured<SVGBackend<'a>, M> {
    Measured::new(SVGBackend::with_string(out, size), measure, SVG_PX_PER_SIZE)
}

type Result<E> = std::result::Result<(), DrawingErrorKind<E>>;

impl<B: DrawingBackend, M: TextWidth> DrawingBackend for Measured<B, M> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<B::ErrorType> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<B::ErrorType> {
        self.inner.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<B::ErrorType> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<B::ErrorType> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<B::ErrorType> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<B::ErrorType> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<B::ErrorType> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<B::ErrorType> {
        self.inner.fill_polygon(vert, style)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<B::ErrorType> {
        self.inner.draw_text(text, style, pos)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> std::result::Result<(u32, u32), DrawingErrorKind<B::ErrorType>> {
        let px = style.size() * self.px_per_size;
        let width = self.measure.width(text, px);
        // A line's height, as a browser's span would measure it.
        Ok((width.ceil() as u32, (px * 1.2).ceil() as u32))
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<B::ErrorType> {
        self.inner.blit_bitmap(pos, size, src)
    }
}
