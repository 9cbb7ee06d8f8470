//! A cascade's final size as the cascade table and the explorer print it:
//! the size of a finished cascade, "too early to tell", or a forecast with
//! its intervals, the horizon it was made at and whose parameters it used
//! (`analytics::cascade::prediction`). Never an infinite bound.

use crate::i18n::{Msg, t};
use analytics::Lang;
use analytics::format;
use analytics::wire::{CascadeOutlook, OutlookState, PredictionParams};

fn count(v: f64) -> String {
    format::count(v.max(0.0).round() as u64)
}

/// The headline: `1,234` (finished), `too early to tell`, or the forecast's
/// median.
pub fn headline(o: &CascadeOutlook, l: Lang) -> String {
    match o.state {
        OutlookState::Finished => format!("{} · {}", count(o.estimate), t(l, Msg::OutlookFinished)),
        OutlookState::TooEarly => t(l, Msg::OutlookTooEarly).to_string(),
        OutlookState::Growing => count(o.estimate),
    }
}

/// The forecast's intervals, horizon and parameters (empty unless growing):
/// `80%: 1,100–1,500 · 95%: 1,000–2,000 · made at 6 h · default parameters`.
pub fn detail(o: &CascadeOutlook, l: Lang) -> String {
    let (Some(h), Some(l80), Some(h80), Some(l95), Some(h95)) =
        (o.horizon_h, o.low80, o.high80, o.low95, o.high95)
    else {
        return String::new();
    };
    let params = match o.params {
        PredictionParams::Defaults => Msg::OutlookDefaults,
        PredictionParams::Own => Msg::OutlookOwn,
    };
    format!(
        "80%: {}–{} · 95%: {}–{} · {} {} · {}",
        count(l80),
        count(h80),
        count(l95),
        count(h95),
        t(l, Msg::OutlookAtHour),
        format::duration(h * 3600.0, l),
        t(l, params)
    )
}
