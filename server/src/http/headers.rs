//! What every response says about itself (the security headers) and what
//! the OpenAPI document says about credentials and the event format.

use super::AppState;
use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

/// The Content-Security-Policy the app runs under: scripts and styles only
/// from this origin (WebAssembly compiled by the page's own script), no
/// inline script or style, no framing (embeds will open it per embed).
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; \
    worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
    frame-ancestors 'none'";

/// Adds the security headers to every response, API and app alike.
pub async fn security_headers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert("content-security-policy", HeaderValue::from_static(CSP));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if state.config.secure_cookies {
        h.insert(
            "strict-transport-security",
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

/// Routes anyone may call.
pub const OPEN_ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/health"),
    ("post", "/api/v1/session"),
    ("get", "/api/v1/openapi.json"),
];

/// Routes for signed-in people only (not API keys): the session's own, and
/// an owner's settings.
fn people_only(path: &str) -> bool {
    [
        "/api/v1/session",
        "/api/v1/me",
        "/api/v1/me/password",
        "/api/v1/me/sessions",
    ]
    .contains(&path)
        || path.starts_with("/api/v1/workspaces/")
}

/// Declares the two credentials (the session cookie and a workspace key as
/// a bearer token) and which of them each operation takes, and the 401 and
/// 403 every protected route can answer.
pub fn document_security(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::security::{
        ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityRequirement, SecurityScheme,
    };
    use utoipa::openapi::{Ref, ResponseBuilder, content::ContentBuilder};
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "session",
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
            super::SESSION_COOKIE,
            "The HttpOnly cookie POST /api/v1/session sets",
        ))),
    );
    components.add_security_scheme(
        "api_key",
        SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
    );
    let error = |description: &str| {
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build()
    };
    for (path, item) in doc.paths.paths.iter_mut() {
        let ops = [
            ("get", item.get.as_mut()),
            ("post", item.post.as_mut()),
            ("put", item.put.as_mut()),
            ("delete", item.delete.as_mut()),
        ];
        for (method, op) in ops {
            let Some(op) = op else { continue };
            if OPEN_ROUTES.contains(&(method, path.as_str())) {
                op.security = Some(vec![SecurityRequirement::default()]);
                continue;
            }
            let mut schemes = vec![SecurityRequirement::new("session", Vec::<String>::new())];
            if !people_only(path) {
                schemes.push(SecurityRequirement::new("api_key", Vec::<String>::new()));
            }
            op.security = Some(schemes);
            op.responses
                .responses
                .entry("401".into())
                .or_insert_with(|| error("No valid session or API key").into());
            op.responses
                .responses
                .entry("403".into())
                .or_insert_with(|| {
                    error("Signed in, but the role or the key's scope does not allow this").into()
                });
        }
    }
}

/// Documents the ingestion body with the event format's one reference
/// (`analytics::events::FORMAT_DOC`) and every kind of event as examples,
/// in NDJSON and in CSV.
pub fn document_event_format(doc: &mut utoipa::openapi::OpenApi) {
    use analytics::events::{CSV_EXAMPLE, FORMAT_DOC, NDJSON_EXAMPLE};
    use utoipa::openapi::{
        ContentBuilder, ObjectBuilder, Required, Type, request_body::RequestBodyBuilder,
    };
    let text = |example: &str| {
        ContentBuilder::new()
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .min_length(Some(1)),
            ))
            .example(Some(serde_json::Value::String(example.into())))
            .build()
    };
    let body = RequestBodyBuilder::new()
        .description(Some(FORMAT_DOC))
        .required(Some(Required::True))
        .content("application/x-ndjson", text(NDJSON_EXAMPLE))
        .content("text/csv", text(CSV_EXAMPLE))
        .content("text/plain", text(NDJSON_EXAMPLE))
        .build();
    if let Some(op) = doc
        .paths
        .paths
        .get_mut("/api/v1/ingest")
        .and_then(|p| p.post.as_mut())
    {
        op.request_body = Some(body);
    }
}
