//! `/reports…`: saved report definitions (list, create, read, replace,
//! delete) and their renders as PNG, SVG and PDF. Reading takes
//! [`ReadReport`] (a client sees only their brand's reports), changing
//! takes [`EditReport`] (owner or analyst); a definition is checked by
//! `analytics::report` and its logo sanitised before it is stored.

use super::caller::{EditReport, ReadReport, Writer};
use super::error::json_body;
use super::params::{self, NoQuery, Params};
use super::{ApiError, AppState};
use crate::access::Caller;
use crate::report::{Format, RenderError, Request};
use analytics::report::{Report, ReportDefinition};
use analytics::wire::{Campaign, ErrorBody};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_reports, create_report))
        .routes(routes!(get_report, replace_report, delete_report))
        .routes(routes!(render_png))
        .routes(routes!(render_svg))
        .routes(routes!(render_pdf))
}

/// The query of `GET /reports`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    workspace: Option<String>,
}

/// Every report the caller may read (a client: their brand's), oldest
/// first, or only `workspace`'s.
#[utoipa::path(get, path = "/reports", tag = "reports",
    params(("workspace" = Option<String>, Query, description = "Only this workspace's reports (its slug)")),
    responses((status = 200, description = "The reports the caller may read", body = Vec<Report>),
              (status = 400, description = "A query parameter this route does not read", body = ErrorBody),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 404, description = "No such workspace (of the caller's)", body = ErrorBody)))]
async fn list_reports(
    State(state): State<AppState>,
    caller: Caller,
    Params(q): Params<ListQuery>,
) -> Result<Json<Vec<Report>>, ApiError> {
    let workspaces: Vec<String> = match &q.workspace {
        Some(w) if caller.grant(w).is_some() => vec![w.clone()],
        Some(w) => {
            return Err(ApiError::NotFound(format!(
                "no workspace has slug {:?}",
                crate::access::truncate(w, 40)
            )));
        }
        None => caller.grants.iter().map(|g| g.workspace.clone()).collect(),
    };
    let mut out = Vec::new();
    for w in workspaces {
        out.extend(
            state
                .db
                .list_reports(&w)
                .await?
                .into_iter()
                .filter(|r| caller.may_read(&r.workspace, r.brand_id)),
        );
    }
    Ok(Json(out))
}

/// Checks a definition and returns it with its logo sanitised, and its
/// campaign (one the caller may read and write in).
async fn accepted(
    state: &AppState,
    caller: &Caller,
    body: &[u8],
) -> Result<(ReportDefinition, Campaign), ApiError> {
    let mut def: ReportDefinition = json_body(body)?;
    def.check().map_err(|e| ApiError::Invalid(e.to_string()))?;
    let campaign = state
        .campaigns
        .get(&state.db, def.campaign_id)
        .await?
        .filter(|c| caller.may_read(&c.workspace.slug, c.brand.id))
        // Another tenant's campaign reads exactly as a missing one.
        .ok_or_else(|| {
            ApiError::NotFound(format!(
                "campaign_id: no campaign has id {}",
                def.campaign_id
            ))
        })?;
    if !caller.may_write(&campaign.workspace.slug) {
        return Err(ApiError::forbidden(format!(
            "your role in workspace {:?} does not allow saving reports",
            campaign.workspace.slug
        )));
    }
    for (i, p) in def.panels.iter().enumerate() {
        if let Some(root) = &p.cascade
            && !state.db.post_in_campaign(root, campaign.id).await?
        {
            return Err(ApiError::Invalid(format!(
                "panels[{i}].cascade: campaign {} has no cascade rooted at post {:?}",
                campaign.id,
                crate::access::truncate(root, 80)
            )));
        }
    }
    if let Some(logo) = &def.branding.logo {
        let fonts = state.renderer.fonts().map_err(render_error)?;
        def.branding.logo = Some(
            crate::report::logo::sanitize(logo, fonts)
                .map_err(|e| ApiError::Invalid(e.to_string()))?,
        );
    }
    Ok((def, campaign))
}

/// `POST /api/v1/reports`: saves a report definition of a campaign.
#[utoipa::path(post, path = "/reports", tag = "reports",
    request_body = ReportDefinition,
    responses((status = 201, description = "Saved (an SVG logo as sanitised)", body = Report),
              (status = 400, description = "Not the expected JSON", body = ErrorBody),
              (status = 403, description = "The caller may not write in the campaign's workspace", body = ErrorBody),
              (status = 404, description = "No such campaign (or not one the caller may read)", body = ErrorBody),
              (status = 422, description = "An unacceptable field, named", body = ErrorBody)))]
async fn create_report(
    State(state): State<AppState>,
    writer: Writer,
    body: Bytes,
) -> Result<(StatusCode, Json<Report>), ApiError> {
    let (def, campaign) = accepted(&state, writer.caller(), &body).await?;
    let report = state.db.create_report(&campaign, &def).await?;
    Ok((StatusCode::CREATED, Json(report)))
}

/// One report.
#[utoipa::path(get, path = "/reports/{id}", tag = "reports",
    params(("id" = i64, Path, description = "The report's id", minimum = 1)),
    responses((status = 200, description = "The report", body = Report),
              (status = 400, description = "A malformed id, or a query parameter", body = ErrorBody),
              (status = 404, description = "No such report (or not one the caller may read)", body = ErrorBody)))]
async fn get_report(
    ReadReport { report, .. }: ReadReport,
    Params(NoQuery {}): Params<NoQuery>,
) -> Json<Report> {
    Json(report)
}

/// `PUT /api/v1/reports/{id}`: replaces a report's definition (its
/// campaign must stay in the same workspace).
#[utoipa::path(put, path = "/reports/{id}", tag = "reports",
    params(("id" = i64, Path, description = "The report's id", minimum = 1)),
    request_body = ReportDefinition,
    responses((status = 200, description = "Replaced", body = Report),
              (status = 400, description = "A malformed id, or not the expected JSON", body = ErrorBody),
              (status = 403, description = "The caller may only read it", body = ErrorBody),
              (status = 404, description = "No such report", body = ErrorBody),
              (status = 422, description = "An unacceptable field, named", body = ErrorBody)))]
async fn replace_report(
    State(state): State<AppState>,
    EditReport { report, caller }: EditReport,
    body: Bytes,
) -> Result<Json<Report>, ApiError> {
    let (def, campaign) = accepted(&state, &caller, &body).await?;
    if campaign.workspace.slug != report.workspace {
        return Err(ApiError::Invalid(format!(
            "campaign_id: campaign {} is in another workspace than the report",
            campaign.id
        )));
    }
    state
        .db
        .update_report(report.id, &campaign, &def)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no report has id {}", report.id)))
}

/// `DELETE /api/v1/reports/{id}`.
#[utoipa::path(delete, path = "/reports/{id}", tag = "reports",
    params(("id" = i64, Path, description = "The report's id", minimum = 1)),
    responses((status = 204, description = "Deleted"),
              (status = 400, description = "A malformed id, or a query parameter", body = ErrorBody),
              (status = 403, description = "The caller may only read it", body = ErrorBody),
              (status = 404, description = "No such report", body = ErrorBody)))]
async fn delete_report(
    State(state): State<AppState>,
    EditReport { report, .. }: EditReport,
    Params(NoQuery {}): Params<NoQuery>,
) -> Result<StatusCode, ApiError> {
    state.db.delete_report(report.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The query of a render.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RenderQuery {
    scale: Option<String>,
    page: Option<String>,
}

fn render_error(e: RenderError) -> ApiError {
    match e {
        RenderError::Bad(m) => ApiError::BadRequest(m),
        RenderError::TooLarge(m) => ApiError::TooLarge(m),
        RenderError::NoPage(m) => ApiError::NotFound(m),
        RenderError::NoCampaign(id) => {
            ApiError::NotFound(format!("the report's campaign {id} no longer exists"))
        }
        RenderError::Db(e) => ApiError::Storage(e),
        other => ApiError::Internal(other.to_string()),
    }
}

/// `attachment`-free disposition with an ASCII fallback name and the
/// UTF-8 one (a Chinese title stays readable).
fn disposition(name: &str) -> HeaderValue {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    HeaderValue::from_str(&format!(
        "inline; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("inline"))
}

async fn render(
    state: AppState,
    ReadReport { report, caller }: ReadReport,
    q: RenderQuery,
    format: Format,
) -> Result<Response, ApiError> {
    let scale = match (&q.scale, format) {
        (None, _) => 2,
        (Some(v), Format::Png) => {
            params::int_in("scale", v, 1..=i64::from(crate::report::MAX_SCALE))? as u32
        }
        (Some(_), _) => {
            return Err(ApiError::BadRequest(
                "scale is for PNG only: SVG and PDF are vector drawings".into(),
            ));
        }
    };
    let page = q
        .page
        .as_deref()
        .map(|v| params::int_in("page", v, 1..=10_000).map(|p| p as usize))
        .transpose()?;
    let req = Request {
        format,
        scale,
        page,
    };
    let rendered = state
        .renderer
        .render(&state.db, &state.cascades, &report, req, |b| {
            caller.may_read(&b.workspace, b.id)
        })
        .await
        .map_err(render_error)?;
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        disposition(&rendered.file_name),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    headers.insert("x-report-pages", HeaderValue::from(rendered.pages));
    if !rendered.warnings.is_empty()
        && let Ok(v) = HeaderValue::from_str(&rendered.warnings.join("; "))
    {
        headers.insert("x-render-warnings", v);
    }
    Ok((headers, rendered.bytes.clone()).into_response())
}

/// The report as a PNG: every page one under the other, or `?page=`.
#[utoipa::path(get, path = "/reports/{id}/render.png", tag = "reports",
    params(("id" = i64, Path, description = "The report's id", minimum = 1),
           ("scale" = Option<i64>, Query, description = "Device pixels per CSS pixel, 1–4 (default 2)", minimum = 1, maximum = 4),
           ("page" = Option<i64>, Query, description = "Only this page (from 1)", minimum = 1, maximum = 10000)),
    responses((status = 200, description = "The PNG; X-Report-Pages says how many pages the report has, X-Render-Warnings what could not be drawn", content_type = "image/png"),
              (status = 400, description = "A malformed id, a scale or page out of range or an unknown parameter", body = ErrorBody),
              (status = 404, description = "No such report, or a page past its last", body = ErrorBody),
              (status = 413, description = "The image would be too large: ask for one page", body = ErrorBody)))]
async fn render_png(
    State(state): State<AppState>,
    report: ReadReport,
    Params(q): Params<RenderQuery>,
) -> Result<Response, ApiError> {
    render(state, report, q, Format::Png).await
}

/// The report as one SVG (pages one under the other), or `?page=`.
#[utoipa::path(get, path = "/reports/{id}/render.svg", tag = "reports",
    params(("id" = i64, Path, description = "The report's id", minimum = 1),
           ("page" = Option<i64>, Query, description = "Only this page (from 1)", minimum = 1, maximum = 10000)),
    responses((status = 200, description = "The SVG", content_type = "image/svg+xml"),
              (status = 400, description = "A malformed id, a page out of range or an unknown parameter", body = ErrorBody),
              (status = 404, description = "No such report, or a page past its last", body = ErrorBody)))]
async fn render_svg(
    State(state): State<AppState>,
    report: ReadReport,
    Params(q): Params<RenderQuery>,
) -> Result<Response, ApiError> {
    render(state, report, q, Format::Svg).await
}

/// The report as a vector PDF, one page per report page, the text selectable.
#[utoipa::path(get, path = "/reports/{id}/render.pdf", tag = "reports",
    params(("id" = i64, Path, description = "The report's id", minimum = 1),
           ("page" = Option<i64>, Query, description = "Only this page (from 1)", minimum = 1, maximum = 10000)),
    responses((status = 200, description = "The PDF", content_type = "application/pdf"),
              (status = 400, description = "A malformed id, a page out of range or an unknown parameter", body = ErrorBody),
              (status = 404, description = "No such report, or a page past its last", body = ErrorBody)))]
async fn render_pdf(
    State(state): State<AppState>,
    report: ReadReport,
    Params(q): Params<RenderQuery>,
) -> Result<Response, ApiError> {
    render(state, report, q, Format::Pdf).await
}
