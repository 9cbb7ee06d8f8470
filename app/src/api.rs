//! The only module that knows the API's URLs. Every call returns the wire
//! type from `analytics::wire` or an [`ApiFailure`].

use crate::error::ApiFailure;
use analytics::cascade::codec::TreeBlob;
use analytics::date::Date;
use analytics::hll::DaySketch;
use analytics::report::{Report, ReportDefinition};
use analytics::wire::{
    AccountDay, Brand, Campaign, CampaignSummary, CascadePage, Channel, ChannelDay, ErrorBody, Me,
    MentionDrivers, MentionHour,
};
use gloo_net::http::{Request, Response};
use leptos_router::params::ParamsMap;
use serde::de::DeserializeOwned;
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue, closure::Closure};

const BASE: &str = "/api/v1";

fn summary_url(id: i64) -> String {
    format!("{BASE}/campaigns/{id}/summary")
}

fn timeseries_url(id: i64) -> String {
    format!("{BASE}/campaigns/{id}/timeseries")
}

fn accounts_url(id: i64) -> String {
    format!("{BASE}/campaigns/{id}/accounts")
}

fn sketches_url(id: i64) -> String {
    format!("{BASE}/campaigns/{id}/sketches")
}

fn tree_url(id: i64, root: &str) -> String {
    let root: String = js_sys::encode_uri_component(root).into();
    format!("{BASE}/campaigns/{id}/cascades/{root}/tree")
}

/// A route's `:id`, when it is a campaign id.
pub fn campaign_id(params: &ParamsMap) -> Option<i64> {
    params
        .get_str("id")?
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
}

/// What every page of one campaign reads first: the campaign.
pub fn campaign_reads(params: &ParamsMap) -> Vec<String> {
    campaign_id(params).map(summary_url).into_iter().collect()
}

/// What the overview reads before it draws: the campaign and its day rows,
/// reach sketches and accounts.
pub fn overview_reads(params: &ParamsMap) -> Vec<String> {
    campaign_id(params)
        .map(|id| {
            vec![
                summary_url(id),
                timeseries_url(id),
                sketches_url(id),
                accounts_url(id),
            ]
        })
        .unwrap_or_default()
}

/// What the explorer reads before it draws: the tree.
pub fn explorer_reads(params: &ParamsMap) -> Vec<String> {
    match (campaign_id(params), params.get_str("root")) {
        (Some(id), Some(root)) => vec![tree_url(id, root)],
        _ => Vec::new(),
    }
}

/// A page whose first reads depend on more than its route (compare reads
/// what its query names, once the user has chosen).
pub fn no_reads(_: &ParamsMap) -> Vec<String> {
    Vec::new()
}

/// How long a read started early waits for its page, in milliseconds:
/// after that the page reads afresh.
const EARLY_FOR_MS: f64 = 30_000.0;

thread_local! {
    /// Reads started before the page that makes them has loaded, by URL,
    /// with when they started.
    static EARLY: RefCell<Vec<(String, f64, js_sys::Promise)>> = const { RefCell::new(Vec::new()) };
    /// Marks an early read's failure as handled: the page that takes the
    /// read sees it, and one that never comes must not log it.
    static IGNORE: Closure<dyn FnMut(JsValue)> = Closure::new(|_| {});
}

/// Starts `GET url` for each of `urls` now, for a page whose code has not
/// arrived yet: the page's own first `GET` of the same URL takes the answer
/// instead of asking again (a lazy route's `data()`, `crate::lazy`). A
/// fresh start replaces an earlier one of the same URL that no page took.
pub fn start_early(urls: Vec<String>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let now = js_sys::Date::now();
    EARLY.with_borrow_mut(|early| {
        early.retain(|(url, at, _)| now - at < EARLY_FOR_MS && !urls.contains(url));
        for url in urls {
            let read = window.fetch_with_str(&url);
            IGNORE.with(|ignore| {
                let _ = read.catch(ignore);
            });
            early.push((url, now, read));
        }
    });
}

/// The read of `url` started early, if one is waiting.
fn take_early(url: &str) -> Option<js_sys::Promise> {
    let now = js_sys::Date::now();
    EARLY.with_borrow_mut(|early| {
        let at = early
            .iter()
            .position(|(u, at, _)| u == url && now - at < EARLY_FOR_MS)?;
        Some(early.swap_remove(at).2)
    })
}

/// `GET /api/v1/me`: who is signed in, and their workspaces.
pub async fn me() -> Result<Me, ApiFailure> {
    get_json(&format!("{BASE}/me")).await
}

/// `DELETE /api/v1/session`: signs out.
pub async fn sign_out() -> Result<(), ApiFailure> {
    let url = format!("{BASE}/session");
    let response = Request::delete(&url)
        .send()
        .await
        .map_err(|e| ApiFailure::Unreachable(format!("DELETE {url}: {e}")))?;
    // Already signed out is as good as signed out.
    if !response.ok() && response.status() != 401 {
        return Err(status_failure(response).await);
    }
    Ok(())
}

/// `GET /api/v1/campaigns`.
pub async fn campaigns() -> Result<Vec<Campaign>, ApiFailure> {
    get_json(&format!("{BASE}/campaigns")).await
}

/// `GET /api/v1/campaigns/{id}/summary`.
pub async fn campaign_summary(id: i64) -> Result<CampaignSummary, ApiFailure> {
    get_json(&summary_url(id)).await
}

/// `GET /api/v1/campaigns/{id}/funnel?by=…&channel=…&from=…&to=…`: `by` is
/// channel, post or kol; days are `YYYY-MM-DD`; one request per channel of
/// `channels` (their rows add up: a person is counted per channel), all
/// channels when it is empty.
pub async fn campaign_funnel(
    id: i64,
    by: &str,
    channels: &[Channel],
    from: Option<Date>,
    to: Option<Date>,
) -> Result<Vec<analytics::funnel::FunnelRow>, ApiFailure> {
    let mut base = format!("{BASE}/campaigns/{id}/funnel?by={by}");
    if let Some(d) = from {
        base.push_str(&format!("&from={d}"));
    }
    if let Some(d) = to {
        base.push_str(&format!("&to={d}"));
    }
    if channels.is_empty() {
        return get_json(&base).await;
    }
    let mut rows = Vec::new();
    for c in channels {
        rows.extend(
            get_json::<Vec<analytics::funnel::FunnelRow>>(&format!(
                "{base}&channel={}",
                c.as_str()
            ))
            .await?,
        );
    }
    Ok(rows)
}

/// `GET /api/v1/campaigns/{id}/timeseries`: rollups by day and channel.
pub async fn campaign_days(id: i64) -> Result<Vec<ChannelDay>, ApiFailure> {
    get_json(&timeseries_url(id)).await
}

/// `GET /api/v1/campaigns/{id}/accounts`: rollups by day, channel and credited account.
pub async fn campaign_accounts(id: i64) -> Result<Vec<AccountDay>, ApiFailure> {
    get_json(&accounts_url(id)).await
}

/// What a page of the cascade list asks for. Filters are passed on as
/// typed (the API names any it cannot read); days are `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CascadeQuery {
    /// size, depth, virality, t50, predicted or posted.
    pub sort: String,
    pub ascending: bool,
    pub page: u32,
    pub per_page: u32,
    pub channel: Option<String>,
    pub min_size: Option<String>,
    pub max_size: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// Only the cascade rooted at this post.
    pub root: Option<String>,
}

/// `GET /api/v1/campaigns/{id}/cascades?…`: one page of the cascade list.
pub async fn cascades(id: i64, q: &CascadeQuery) -> Result<CascadePage, ApiFailure> {
    let order = if q.ascending { "asc" } else { "desc" };
    let mut url = format!(
        "{BASE}/campaigns/{id}/cascades?sort={}&order={order}&page={}&per_page={}",
        js_sys::encode_uri_component(&q.sort),
        q.page,
        q.per_page
    );
    for (name, v) in [
        ("channel", &q.channel),
        ("min_size", &q.min_size),
        ("max_size", &q.max_size),
        ("from", &q.from),
        ("to", &q.to),
        ("root", &q.root),
    ] {
        if let Some(v) = v {
            url.push_str(&format!("&{name}={}", js_sys::encode_uri_component(v)));
        }
    }
    get_json(&url).await
}

/// `GET /api/v1/campaigns/{id}/cascades/{root}/tree`: one cascade, decoded.
pub async fn cascade_tree(id: i64, root: &str) -> Result<TreeBlob, ApiFailure> {
    let bytes = get_bytes(&tree_url(id, root)).await?;
    analytics::cascade::codec::decode(&bytes)
        .map_err(|e| ApiFailure::Malformed(format!("cascade {root}: {e}")))
}

/// `GET /api/v1/brands`.
pub async fn brands() -> Result<Vec<Brand>, ApiFailure> {
    get_json(&format!("{BASE}/brands")).await
}

/// `GET /api/v1/brands/{id}/mentions?from=&to=`.
pub async fn mention_hours(brand: i64, from: i64, to: i64) -> Result<Vec<MentionHour>, ApiFailure> {
    get_json(&format!(
        "{BASE}/brands/{brand}/mentions?from={from}&to={to}"
    ))
    .await
}

/// `GET /api/v1/brands/{id}/mentions/drivers?from=&to=&limit=`.
pub async fn mention_drivers(
    brand: i64,
    from: i64,
    to: i64,
    limit: u32,
) -> Result<MentionDrivers, ApiFailure> {
    get_json(&format!(
        "{BASE}/brands/{brand}/mentions/drivers?from={from}&to={to}&limit={limit}"
    ))
    .await
}

/// `GET /api/v1/reports`: every report the caller may read.
pub async fn reports() -> Result<Vec<Report>, ApiFailure> {
    get_json(&format!("{BASE}/reports")).await
}

/// `GET /api/v1/reports/{id}`.
pub async fn report(id: i64) -> Result<Report, ApiFailure> {
    get_json(&report_url(id)).await
}

fn report_url(id: i64) -> String {
    format!("{BASE}/reports/{id}")
}

/// Where report `id`'s render as `format` (png, svg or pdf) is downloaded.
pub fn report_render_url(id: i64, format: &str) -> String {
    format!("{}/render.{format}", report_url(id))
}

/// Saves `def`: a new report (`POST /api/v1/reports`) when `id` is `None`,
/// else replaces report `id` (`PUT`). The answer is the report as stored.
pub async fn save_report(id: Option<i64>, def: &ReportDefinition) -> Result<Report, ApiFailure> {
    let (url, request) = match id {
        None => {
            let url = format!("{BASE}/reports");
            (url.clone(), Request::post(&url))
        }
        Some(id) => {
            let url = report_url(id);
            (url.clone(), Request::put(&url))
        }
    };
    let response = request
        .json(def)
        .map_err(|e| ApiFailure::Malformed(format!("{url}: {e}")))?
        .send()
        .await
        .map_err(|e| ApiFailure::Unreachable(format!("{url}: {e}")))?;
    if !response.ok() {
        return Err(status_failure(response).await);
    }
    response
        .json::<Report>()
        .await
        .map_err(|e| ApiFailure::Malformed(format!("{url}: {e}")))
}

/// `DELETE /api/v1/reports/{id}`.
pub async fn delete_report(id: i64) -> Result<(), ApiFailure> {
    let url = report_url(id);
    let response = Request::delete(&url)
        .send()
        .await
        .map_err(|e| ApiFailure::Unreachable(format!("DELETE {url}: {e}")))?;
    if !response.ok() {
        return Err(status_failure(response).await);
    }
    Ok(())
}

async fn get_bytes(url: &str) -> Result<Vec<u8>, ApiFailure> {
    get_ok(url)
        .await?
        .binary()
        .await
        .map_err(|e| ApiFailure::Malformed(format!("GET {url}: {e}")))
}

/// `GET /api/v1/campaigns/{id}/sketches`: the reach sketches, decoded.
pub async fn campaign_sketches(id: i64) -> Result<Vec<DaySketch>, ApiFailure> {
    let url = sketches_url(id);
    let bytes = get_bytes(&url).await?;
    analytics::hll::decode_set(&bytes).map_err(|e| ApiFailure::Malformed(format!("GET {url}: {e}")))
}

async fn get_json<T: DeserializeOwned>(url: &str) -> Result<T, ApiFailure> {
    get_ok(url)
        .await?
        .json::<T>()
        .await
        .map_err(|e| ApiFailure::Malformed(format!("GET {url}: {e}")))
}

/// `GET url`, a successful answer or the failure it is.
async fn get_ok(url: &str) -> Result<Response, ApiFailure> {
    let sent = match take_early(url) {
        Some(read) => wasm_bindgen_futures::JsFuture::from(read)
            .await
            .map(|r| Response::from(web_sys::Response::unchecked_from_js(r)))
            .map_err(|e| match e.dyn_ref::<js_sys::Error>() {
                Some(e) => String::from(e.message()),
                None => format!("{e:?}"),
            }),
        None => Request::get(url).send().await.map_err(|e| e.to_string()),
    };
    let response = sent.map_err(|e| ApiFailure::Unreachable(format!("GET {url}: {e}")))?;
    if response.status() == 401 {
        // Not signed in (or the session ended): to the sign-in page, and
        // back to this view afterwards.
        crate::session::to_sign_in();
    }
    if !response.ok() {
        return Err(status_failure(response).await);
    }
    Ok(response)
}

async fn status_failure(response: Response) -> ApiFailure {
    let status = response.status();
    let message = match response.json::<ErrorBody>().await {
        Ok(body) => body.error.message,
        Err(_) => response.status_text(),
    };
    // A gateway in front of a stopped server answers 502/503/504: to the
    // user that is the same as no answer.
    if matches!(status, 502..=504) {
        return ApiFailure::Unreachable(format!("HTTP {status}: {message}"));
    }
    ApiFailure::Status { status, message }
}
