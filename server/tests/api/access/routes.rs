//! The isolation matrix's requests: every route of the OpenAPI document,
//! each with what it needs to succeed for a caller who may ask, and what
//! kind of route it is (which decides what everyone else must get).

use super::*;

/// One request of the matrix: method, URI, body, success status, kind.
pub(super) struct Case {
    pub(super) method: &'static str,
    /// The path as the OpenAPI document names it.
    pub(super) path: &'static str,
    pub(super) uri: String,
    pub(super) body: String,
    pub(super) ok: StatusCode,
    pub(super) kind: Kind,
}

pub(super) fn cases(w: &World, n: usize) -> Vec<Case> {
    let a1 = w.a1;
    let b = w.brand_a1;
    let r = w.report_a1;
    let c = |method, path, uri: String, body: String, ok, kind| Case {
        method,
        path,
        uri,
        body,
        ok,
        kind,
    };
    use Kind::*;
    use StatusCode as S;
    vec![
        c(
            "get",
            "/api/v1/health",
            "/api/v1/health".into(),
            String::new(),
            S::OK,
            Open,
        ),
        c(
            "get",
            "/api/v1/openapi.json",
            "/api/v1/openapi.json".into(),
            String::new(),
            S::OK,
            Open,
        ),
        c(
            "post",
            "/api/v1/session",
            "/api/v1/session".into(),
            "{}".into(),
            S::BAD_REQUEST,
            Open,
        ),
        c(
            "delete",
            "/api/v1/session",
            "/api/v1/session".into(),
            String::new(),
            S::NO_CONTENT,
            Own,
        ),
        c(
            "get",
            "/api/v1/me",
            "/api/v1/me".into(),
            String::new(),
            S::OK,
            Own,
        ),
        c(
            "put",
            "/api/v1/me/password",
            "/api/v1/me/password".into(),
            format!(r#"{{"current":"{PASSWORD}","password":"{PASSWORD}"}}"#),
            S::NO_CONTENT,
            Own,
        ),
        c(
            "delete",
            "/api/v1/me/sessions",
            "/api/v1/me/sessions".into(),
            String::new(),
            S::NO_CONTENT,
            Own,
        ),
        c(
            "get",
            "/api/v1/campaigns",
            "/api/v1/campaigns".into(),
            String::new(),
            S::OK,
            List,
        ),
        c(
            "get",
            "/api/v1/brands",
            "/api/v1/brands".into(),
            String::new(),
            S::OK,
            List,
        ),
        c(
            "post",
            "/api/v1/campaigns",
            "/api/v1/campaigns".into(),
            format!(
                r#"{{"workspace":"alpha","brand":"New {n}","name":"N {n}","start":"2026-03-01","end":"2026-03-02","channels":["weibo"]}}"#
            ),
            S::CREATED,
            AlphaWrite,
        ),
        c(
            "post",
            "/api/v1/brands",
            "/api/v1/brands".into(),
            format!(r#"{{"workspace":"alpha","name":"Brand {n}"}}"#),
            S::CREATED,
            AlphaWrite,
        ),
        c(
            "post",
            "/api/v1/ingest",
            "/api/v1/ingest?workspace=alpha".into(),
            format!(
                r#"{{"kind":"exposure","id":"mx{n}","channel":"weibo","user_id":"mv{n}","post_id":"ap0","time":"2026-03-04T10:00:00+08:00","campaign":{a1}}}"#
            ),
            S::OK,
            AlphaWrite,
        ),
        c(
            "get",
            "/api/v1/workspaces/{slug}/members",
            "/api/v1/workspaces/alpha/members".into(),
            String::new(),
            S::OK,
            AlphaManage,
        ),
        c(
            "post",
            "/api/v1/workspaces/{slug}/members",
            "/api/v1/workspaces/alpha/members".into(),
            format!(r#"{{"email":"new{n}@test.example","role":"viewer"}}"#),
            S::CREATED,
            AlphaManage,
        ),
        c(
            "put",
            "/api/v1/workspaces/{slug}/members/{email}",
            "/api/v1/workspaces/alpha/members/spare@test.example".into(),
            r#"{"role":"viewer"}"#.into(),
            S::OK,
            AlphaManage,
        ),
        c(
            "delete",
            "/api/v1/workspaces/{slug}/members/{email}",
            format!("/api/v1/workspaces/alpha/members/new{n}@test.example"),
            String::new(),
            S::NO_CONTENT,
            AlphaManage,
        ),
        c(
            "get",
            "/api/v1/workspaces/{slug}/keys",
            "/api/v1/workspaces/alpha/keys".into(),
            String::new(),
            S::OK,
            AlphaManage,
        ),
        c(
            "post",
            "/api/v1/workspaces/{slug}/keys",
            "/api/v1/workspaces/alpha/keys".into(),
            r#"{"name":"k","scopes":["read"]}"#.into(),
            S::CREATED,
            AlphaManage,
        ),
        c(
            "delete",
            "/api/v1/workspaces/{slug}/keys/{key_id}",
            format!("/api/v1/workspaces/alpha/keys/{}", w.spare_key),
            String::new(),
            S::NO_CONTENT,
            AlphaManage,
        ),
        c(
            "get",
            "/api/v1/campaigns/{id}/summary",
            format!("/api/v1/campaigns/{a1}/summary"),
            String::new(),
            S::OK,
            AlphaResource,
        ),
        c(
            "get",
            "/api/v1/campaigns/{id}/timeseries",
            format!("/api/v1/campaigns/{a1}/timeseries?grain=hour"),
            String::new(),
            S::OK,
            AlphaResource,
        ),
        c(
            "get",
            "/api/v1/campaigns/{id}/funnel",
            format!("/api/v1/campaigns/{a1}/funnel?by=post"),
            String::new(),
            S::OK,
            AlphaResource,
        ),
        c(
            "get",
            "/api/v1/campaigns/{id}/accounts",
            format!("/api/v1/campaigns/{a1}/accounts"),
            String::new(),
            S::OK,
            AlphaResource,
        ),
        c(
            "get",
            "/api/v1/campaigns/{id}/posts",
            format!("/api/v1/campaigns/{a1}/posts"),
            String::new(),
            S::OK,
            AlphaResource,
        ),
        c(
            "get",
            "/api/v1/campaigns/{id}/sketches",
            format!("/api/v1/campaigns/{a1}/sketches"),
            String::new(),
            S::OK,
            AlphaResource,
        ),
        c(
            "get",
            "/api/v1/campaigns/{id}/cascades",
            format!("/api/v1/campaigns/{a1}/cascades"),
            String::new(),
            S::OK,
            AlphaResource,
        ),
        c(
            "get",
            "/api/v1/campaigns/{id}/cascades/{root}/tree",
            format!("/api/v1/campaigns/{a1}/cascades/ap0/tree"),
            String::new(),
            S::OK,
            AlphaResource,
        ),
        c(
            "get",
            "/api/v1/brands/{id}/mentions",
            format!("/api/v1/brands/{b}/mentions"),
            String::new(),
            S::OK,
            AlphaResource,
        ),
        c(
            "get",
            "/api/v1/brands/{id}/mentions/drivers",
            format!("/api/v1/brands/{b}/mentions/drivers?from=1772000000&to=1773000000"),
            String::new(),
            S::OK,
            AlphaResource,
        ),
        c(
            "get",
            "/api/v1/reports",
            "/api/v1/reports".into(),
            String::new(),
            S::OK,
            List,
        ),
        c(
            "post",
            "/api/v1/reports",
            "/api/v1/reports".into(),
            report_body(a1),
            S::CREATED,
            AlphaWrite,
        ),
        c(
            "get",
            "/api/v1/reports/{id}",
            format!("/api/v1/reports/{r}"),
            String::new(),
            S::OK,
            AlphaResource,
        ),
        c(
            "put",
            "/api/v1/reports/{id}",
            format!("/api/v1/reports/{r}"),
            report_body(a1),
            S::OK,
            AlphaEdit,
        ),
        c(
            "delete",
            "/api/v1/reports/{id}",
            format!(
                "/api/v1/reports/{}",
                w.spare_reports[n % w.spare_reports.len()]
            ),
            String::new(),
            S::NO_CONTENT,
            AlphaEdit,
        ),
        c(
            "get",
            "/api/v1/reports/{id}/render.png",
            format!("/api/v1/reports/{r}/render.png?scale=1"),
            String::new(),
            S::OK,
            AlphaResource,
        ),
        c(
            "get",
            "/api/v1/reports/{id}/render.svg",
            format!("/api/v1/reports/{r}/render.svg"),
            String::new(),
            S::OK,
            AlphaResource,
        ),
        c(
            "get",
            "/api/v1/reports/{id}/render.pdf",
            format!("/api/v1/reports/{r}/render.pdf"),
            String::new(),
            S::OK,
            AlphaResource,
        ),
    ]
}

fn report_body(campaign: i64) -> String {
    serde_json::to_string(&report_definition(campaign)).unwrap()
}

/// The same request with the id replaced by one that does not exist: what a
/// caller without the right must not be able to tell apart.
pub(super) fn with_missing_id(case: &Case, w: &World) -> String {
    if case.path.starts_with("/api/v1/reports/") {
        case.uri
            .replacen(&format!("/reports/{}", w.report_a1), "/reports/987654", 1)
    } else if case.path.starts_with("/api/v1/brands/") {
        case.uri
            .replacen(&format!("/{}/", w.brand_a1), "/987654/", 1)
    } else {
        case.uri.replacen(&format!("/{}/", w.a1), "/987654/", 1)
    }
}
