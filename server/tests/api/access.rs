//! Two agencies on one server: the isolation matrix (every route of the
//! OpenAPI document × every kind of caller), sessions and their cookies,
//! sign-in failures, bounded windows, the security headers, and the
//! accounts' command line.

use super::{Reply, fresh_db};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use server::access::{Role, Scopes, hash_password};
use server::db::{Db, NewCampaign};
use server::http::{AppState, HttpConfig, SESSION_COOKIE, app};
use tower::ServiceExt;

async fn send(
    state: &AppState,
    method: &str,
    uri: &str,
    headers: &[(&str, String)],
    body: &str,
) -> Reply {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, v.as_str());
    }
    let res = app(state.clone())
        .oneshot(req.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

/// Strings only tenant alpha's campaign A1 (and its brand) hold: none may
/// appear in any answer to a caller who may not read A1.
const ALPHA_SECRETS: &[&str] = &["Alpha Client", "Alpha Launch", "alpha_official", "ap0"];
const PASSWORD: &str = "correct horse battery";

/// The two tenants and everyone who may ask.
struct World {
    state: AppState,
    /// Campaign A1 (brand a1 of alpha), its brand and a cascade root in it.
    a1: i64,
    brand_a1: i64,
    /// Users by role, each with a password.
    users: Vec<(&'static str, String)>,
    key_a_read: String,
    key_a_ingest: String,
    key_b: String,
    key_revoked: String,
    /// A key of alpha that the matrix revokes (again and again).
    spare_key: i64,
}

async fn campaign(db: &Db, workspace: &str, brand: &str, name: &str) -> i64 {
    db.create_campaign(&NewCampaign {
        workspace: workspace.into(),
        brand: brand.into(),
        competitor: false,
        name: name.into(),
        start: "2026-03-01".into(),
        end: "2026-03-28".into(),
        budget: Some("1000".into()),
        currency: "CNY".into(),
        channels: vec!["weibo".into()],
        keywords: vec![],
    })
    .await
    .unwrap()
}

/// Events of a small cascade rooted at `{p}0`, with exposures, an owned
/// account and mentions of `brand`.
fn events(campaign: i64, p: &str, handle: &str, brand: &str) -> String {
    let mut lines = vec![format!(
        r#"{{"kind":"account","id":"{p}a","channel":"weibo","user_id":"{handle}","handle":"{handle}","followers":1000,"type":"owned"}}"#
    )];
    lines.push(format!(r#"{{"kind":"post","id":"{p}0","channel":"weibo","author":"{handle}","time":"2026-03-02T10:00:00+08:00","campaign":{campaign}}}"#));
    for i in 1..6 {
        lines.push(format!(r#"{{"kind":"post","id":"{p}{i}","channel":"weibo","author":"{p}u{i}","time":"2026-03-02T11:0{i}:00+08:00","campaign":{campaign},"root_id":"{p}0","parent_id":"{p}0"}}"#));
        lines.push(format!(r#"{{"kind":"exposure","id":"{p}e{i}","channel":"weibo","user_id":"{p}v{i}","post_id":"{p}0","time":"2026-03-02T12:0{i}:00+08:00","campaign":{campaign}}}"#));
        lines.push(format!(r#"{{"kind":"mention","id":"{p}m{i}","brand":"{brand}","channel":"weibo","author":"{p}w{i}","time":"2026-03-03T10:0{i}:00+08:00","text":"{brand} {handle}"}}"#));
    }
    lines.join("\n")
}

async fn world(name: &str) -> World {
    let dir = tempfile::tempdir().unwrap().keep();
    let db = Db::open(&fresh_db(&dir, name)).await.unwrap();
    db.create_workspace("alpha", "Alpha Agency", "Asia/Shanghai")
        .await
        .unwrap();
    db.create_workspace("beta", "Beta Agency", "Asia/Shanghai")
        .await
        .unwrap();
    let a1 = campaign(&db, "alpha", "Alpha Client", "Alpha Launch").await;
    let a2 = campaign(&db, "alpha", "Alpha Second", "Second Wave").await;
    let b1 = campaign(&db, "beta", "Beta Brand", "Beta Push").await;
    db.create_brand("alpha", "Alpha Rival", true, &[])
        .await
        .unwrap();
    let ingest = |ws: &'static str, text: String| {
        let db = db.clone();
        async move {
            let events = analytics::events::parse_ndjson(&text).unwrap();
            db.ingest(ws, &events, server::db::OnConflict::Refuse)
                .await
                .unwrap();
        }
    };
    ingest("alpha", events(a1, "ap", "alpha_official", "Alpha Client")).await;
    ingest("alpha", events(a2, "sp", "second_official", "Alpha Second")).await;
    ingest("beta", events(b1, "bp", "beta_official", "Beta Brand")).await;
    let brands = db.list_brands(Some("alpha")).await.unwrap();
    let brand_of = |n: &str| brands.iter().find(|b| b.name == n).unwrap().id;
    let hash = hash_password(PASSWORD).unwrap();
    let mut users = Vec::new();
    for (who, ws, role, brand) in [
        ("owner_a", "alpha", Role::Owner, None),
        ("analyst_a", "alpha", Role::Analyst, None),
        ("viewer_a", "alpha", Role::Viewer, None),
        (
            "client_a1",
            "alpha",
            Role::Client,
            Some(brand_of("Alpha Client")),
        ),
        (
            "client_a2",
            "alpha",
            Role::Client,
            Some(brand_of("Alpha Second")),
        ),
        ("owner_b", "beta", Role::Owner, None),
        ("disabled_a", "alpha", Role::Viewer, None),
        ("expired_a", "alpha", Role::Viewer, None),
    ] {
        let email = format!("{who}@test.example");
        db.create_user(&email, who, Some(&hash)).await.unwrap();
        db.add_member(ws, &email, role, brand).await.unwrap();
        users.push((who, email));
    }
    db.disable_user("disabled_a@test.example").await.unwrap();
    let key = |ws: &'static str, scopes: Scopes| {
        let db = db.clone();
        async move { db.create_api_key(ws, "t", scopes).await.unwrap().1 }
    };
    let key_a_read = key("alpha", Scopes::parse("read").unwrap()).await;
    let key_a_ingest = key("alpha", Scopes::DEFAULT).await;
    let key_b = key("beta", Scopes::DEFAULT).await;
    let key_revoked = key("alpha", Scopes::DEFAULT).await;
    db.revoke_api_key("alpha", &key_revoked).await.unwrap();
    let spare_key = db
        .create_api_key("alpha", "spare", Scopes::DEFAULT)
        .await
        .unwrap()
        .0;
    db.create_user("spare@test.example", "Spare", None)
        .await
        .unwrap();
    db.add_member("alpha", "spare@test.example", Role::Viewer, None)
        .await
        .unwrap();
    World {
        state: AppState::new(db),
        a1,
        brand_a1: brand_of("Alpha Client"),
        users,
        key_a_read,
        key_a_ingest,
        key_b,
        key_revoked,
        spare_key,
    }
}

impl World {
    fn db(&self) -> &Db {
        &self.state.db
    }

    /// A new session of `who` (expired if `who` is expired_a), as headers.
    async fn session(&self, who: &str) -> Vec<(&'static str, String)> {
        let email = &self.users.iter().find(|(w, _)| *w == who).unwrap().1;
        let user = self.db().user_by_email(email).await.unwrap().unwrap();
        let token = self.db().create_session(user.id, false).await.unwrap();
        if who == "expired_a" {
            sqlx::query("UPDATE sessions SET seen_at = seen_at - 8 * 86400 WHERE user_id = $1")
                .bind(user.id)
                .execute(self.db().pool())
                .await
                .unwrap();
        }
        vec![
            ("cookie", format!("{SESSION_COOKIE}={token}")),
            ("sec-fetch-site", "same-origin".into()),
        ]
    }

    fn bearer(key: &str) -> Vec<(&'static str, String)> {
        vec![("authorization", format!("Bearer {key}"))]
    }

    async fn headers(&self, caller: Who) -> Vec<(&'static str, String)> {
        match caller {
            Who::Anonymous => Vec::new(),
            Who::User(who) => self.session(who).await,
            Who::KeyARead => Self::bearer(&self.key_a_read),
            Who::KeyAIngest => Self::bearer(&self.key_a_ingest),
            Who::KeyB => Self::bearer(&self.key_b),
            Who::KeyRevoked => Self::bearer(&self.key_revoked),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Anonymous,
    User(&'static str),
    KeyARead,
    KeyAIngest,
    KeyB,
    KeyRevoked,
}

const CALLERS: &[Who] = &[
    Who::Anonymous,
    Who::User("owner_a"),
    Who::User("analyst_a"),
    Who::User("viewer_a"),
    Who::User("client_a1"),
    Who::User("client_a2"),
    Who::User("owner_b"),
    Who::User("disabled_a"),
    Who::User("expired_a"),
    Who::KeyARead,
    Who::KeyAIngest,
    Who::KeyB,
    Who::KeyRevoked,
];

/// What kind of route, for the rule that decides each cell.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// Open to anyone.
    Open,
    /// Campaign A1's (or brand a1's) data.
    AlphaResource,
    /// A list filtered to what the caller may read.
    List,
    /// A write into workspace alpha.
    AlphaWrite,
    /// The signed-in person's own session routes.
    Own,
    /// Workspace alpha's members and keys (owners only).
    AlphaManage,
}

/// The status every caller must get on a route of `kind` (`ok` is the
/// route's success status).
fn expected(kind: Kind, who: Who, ok: StatusCode) -> StatusCode {
    use StatusCode as S;
    let dead = matches!(
        who,
        Who::Anonymous | Who::KeyRevoked | Who::User("disabled_a") | Who::User("expired_a")
    );
    if kind == Kind::Open {
        return ok;
    }
    if dead {
        return S::UNAUTHORIZED;
    }
    let key = matches!(who, Who::KeyARead | Who::KeyAIngest | Who::KeyB);
    match kind {
        Kind::Open => ok,
        Kind::List => ok,
        Kind::Own if key => S::FORBIDDEN,
        Kind::Own => ok,
        Kind::AlphaResource => match who {
            Who::User("owner_a" | "analyst_a" | "viewer_a" | "client_a1")
            | Who::KeyARead
            | Who::KeyAIngest => ok,
            _ => S::NOT_FOUND,
        },
        Kind::AlphaManage => match who {
            Who::User("owner_a") => ok,
            Who::User("owner_b") | Who::KeyB => S::NOT_FOUND,
            _ => S::FORBIDDEN,
        },
        Kind::AlphaWrite => match who {
            Who::User("owner_a" | "analyst_a") | Who::KeyAIngest => ok,
            Who::User("owner_b") | Who::KeyB => S::NOT_FOUND,
            _ => S::FORBIDDEN,
        },
    }
}

/// One request of the matrix: method, URI, body, success status, kind.
struct Case {
    method: &'static str,
    /// The path as the OpenAPI document names it.
    path: &'static str,
    uri: String,
    body: String,
    ok: StatusCode,
    kind: Kind,
}

fn cases(w: &World, n: usize) -> Vec<Case> {
    let a1 = w.a1;
    let b = w.brand_a1;
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
    ]
}

/// The same request with the id replaced by one that does not exist: what a
/// caller without the right must not be able to tell apart.
fn with_missing_id(case: &Case, w: &World) -> String {
    if case.path.starts_with("/api/v1/brands/") {
        case.uri
            .replacen(&format!("/{}/", w.brand_a1), "/987654/", 1)
    } else {
        case.uri.replacen(&format!("/{}/", w.a1), "/987654/", 1)
    }
}

async fn isolation_matrix(name: &str) {
    let w = world(name).await;
    // Every documented route is in the matrix, and the matrix names no
    // route the document lacks.
    let doc = server::http::openapi();
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, item) in &doc.paths.paths {
        for (method, op) in [
            ("get", &item.get),
            ("post", &item.post),
            ("put", &item.put),
            ("delete", &item.delete),
            ("patch", &item.patch),
        ] {
            if op.is_some() {
                documented.push((method.into(), path.clone()));
            }
        }
    }
    documented.push(("get".into(), "/api/v1/openapi.json".into()));
    let listed: Vec<(String, String)> = cases(&w, 0)
        .iter()
        .map(|c| (c.method.to_string(), c.path.to_string()))
        .collect();
    for route in &documented {
        assert!(
            listed.contains(route),
            "route {route:?} is not in the isolation matrix"
        );
    }
    for route in &listed {
        assert!(
            documented.contains(route),
            "the matrix names {route:?}, which the API does not document"
        );
    }

    let mut cells = 0;
    let mut n = 0;
    for &who in CALLERS {
        for case in cases(&w, {
            n += 1;
            n
        }) {
            let headers = w.headers(who).await;
            let method = case.method.to_uppercase();
            let r = send(&w.state, &method, &case.uri, &headers, &case.body).await;
            let want = expected(case.kind, who, case.ok);
            let body = String::from_utf8_lossy(&r.body).to_string();
            assert_eq!(r.status, want, "{who:?} {method} {}: {body}", case.uri);
            cells += 1;
            let may_read_a1 = matches!(
                who,
                Who::User("owner_a" | "analyst_a" | "viewer_a" | "client_a1")
                    | Who::KeyARead
                    | Who::KeyAIngest
            );
            if !may_read_a1 && case.kind != Kind::Open {
                for secret in ALPHA_SECRETS {
                    assert!(
                        !body.contains(secret),
                        "{who:?} {method} {} shows {secret:?}: {body}",
                        case.uri
                    );
                }
            }
            if want == StatusCode::NOT_FOUND && case.kind == Kind::AlphaResource {
                let headers = w.headers(who).await;
                let missing =
                    send(&w.state, &method, &with_missing_id(&case, &w), &headers, "").await;
                assert_eq!(missing.status, StatusCode::NOT_FOUND);
                let id = if case.path.starts_with("/api/v1/brands/") {
                    w.brand_a1
                } else {
                    w.a1
                };
                assert_eq!(
                    String::from_utf8_lossy(&missing.body).replace("987654", &id.to_string()),
                    body,
                    "{who:?}: another tenant's {} must read exactly as a missing one",
                    case.path
                );
            }
            if r.status == StatusCode::UNAUTHORIZED || r.status == StatusCode::FORBIDDEN {
                let e: analytics::wire::ErrorBody = r.json();
                assert!(!e.error.message.is_empty());
            }
        }
    }
    // Thirteen callers × every route.
    assert_eq!(cells, CALLERS.len() * listed.len());
    eprintln!(
        "isolation matrix: {cells} cells ({} routes × {} callers)",
        listed.len(),
        CALLERS.len()
    );
}

#[tokio::test]
async fn every_route_decides_who_may_ask_before_it_answers() {
    isolation_matrix("matrix").await;
}

#[tokio::test]
async fn a_client_sees_only_their_brand_and_the_lists_follow_the_caller() {
    let w = world("lists").await;
    let get = |who: Who, uri: &'static str| {
        let w = &w;
        async move {
            let h = w.headers(who).await;
            send(&w.state, "GET", uri, &h, "").await
        }
    };
    let names = |r: Reply| -> Vec<String> {
        let v: Vec<analytics::wire::Campaign> = r.json();
        v.into_iter().map(|c| c.name).collect()
    };
    assert_eq!(
        names(get(Who::User("client_a1"), "/api/v1/campaigns").await),
        ["Alpha Launch"]
    );
    assert_eq!(
        names(get(Who::User("client_a2"), "/api/v1/campaigns").await),
        ["Second Wave"]
    );
    assert_eq!(
        names(get(Who::User("owner_b"), "/api/v1/campaigns").await),
        ["Beta Push"]
    );
    assert_eq!(
        names(get(Who::KeyB, "/api/v1/campaigns").await),
        ["Beta Push"]
    );
    let mut all = names(get(Who::User("viewer_a"), "/api/v1/campaigns").await);
    all.sort();
    assert_eq!(all, ["Alpha Launch", "Second Wave"]);
    // Clients are not shown tracked competitors; viewers are.
    let brands = |r: Reply| -> Vec<String> {
        let v: Vec<analytics::wire::Brand> = r.json();
        v.into_iter().map(|b| b.name).collect()
    };
    assert_eq!(
        brands(get(Who::User("client_a1"), "/api/v1/brands").await),
        ["Alpha Client"]
    );
    assert!(
        brands(get(Who::User("viewer_a"), "/api/v1/brands").await)
            .contains(&"Alpha Rival".to_string())
    );
    // /me says where the person may look.
    let me: analytics::wire::Me = get(Who::User("client_a2"), "/api/v1/me").await.json();
    assert_eq!(me.workspaces.len(), 1);
    assert_eq!(
        (
            me.workspaces[0].slug.as_str(),
            me.workspaces[0].role.as_str()
        ),
        ("alpha", "client")
    );
}

fn set_cookie(r: &Reply) -> String {
    r.header(axum::http::header::SET_COOKIE).to_string()
}

fn token_of(set_cookie: &str) -> String {
    set_cookie
        .split(';')
        .next()
        .and_then(|kv| kv.strip_prefix(&format!("{SESSION_COOKIE}=")))
        .unwrap_or("")
        .to_string()
}

async fn sign_in(state: &AppState, email: &str, password: &str) -> Reply {
    let body = serde_json::json!({"email": email, "password": password}).to_string();
    send(
        state,
        "POST",
        "/api/v1/session",
        &[("content-type", "application/json".into())],
        &body,
    )
    .await
}

#[tokio::test]
async fn sessions_have_safe_cookies_new_ids_and_expiry() {
    let w = world("sessions").await;
    let email = "viewer_a@test.example";
    let first = sign_in(&w.state, email, PASSWORD).await;
    assert_eq!(first.status, StatusCode::NO_CONTENT);
    let cookie = set_cookie(&first);
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=2592000"] {
        assert!(cookie.contains(flag), "{flag} missing: {cookie}");
    }
    assert!(
        !cookie.contains("Secure"),
        "plain http: no Secure flag ({cookie})"
    );
    let second = sign_in(&w.state, email, PASSWORD).await;
    let (t1, t2) = (token_of(&cookie), token_of(&set_cookie(&second)));
    assert!(
        t1.len() >= 48 && t1 != t2,
        "a new session id at every sign-in"
    );
    // Stored hashed: the id is nowhere in the table.
    let stored: Vec<String> = sqlx::query_scalar("SELECT hash FROM sessions")
        .fetch_all(w.db().pool())
        .await
        .unwrap();
    assert!(!stored.contains(&t1) && stored.contains(&server::access::secret_hash(&t1)));
    let me = |t: String| {
        let st = w.state.clone();
        async move {
            send(
                &st,
                "GET",
                "/api/v1/me",
                &[("cookie", format!("{SESSION_COOKIE}={t}"))],
                "",
            )
            .await
            .status
        }
    };
    assert_eq!(me(t1.clone()).await, StatusCode::OK);
    // Signing out ends that session only.
    let out = send(
        &w.state,
        "DELETE",
        "/api/v1/session",
        &[
            ("cookie", format!("{SESSION_COOKIE}={t1}")),
            ("origin", "http://localhost".into()),
            ("host", "localhost".into()),
        ],
        "",
    )
    .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert!(set_cookie(&out).contains("Max-Age=0"));
    assert_eq!(me(t1).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me(t2.clone()).await, StatusCode::OK);
    // Idle for over 7 days, or signed in over 30 days ago: ended.
    sqlx::query("UPDATE sessions SET created_at = created_at - 31 * 86400")
        .execute(w.db().pool())
        .await
        .unwrap();
    assert_eq!(me(t2).await, StatusCode::UNAUTHORIZED);

    // Behind https: Secure cookies and HSTS.
    let https = AppState::with_config(
        w.db().clone(),
        HttpConfig::for_public_url("https://dash.example.com/").unwrap(),
    );
    let r = sign_in(&https, email, PASSWORD).await;
    assert!(set_cookie(&r).contains("; Secure"));
    assert!(
        r.header(axum::http::header::STRICT_TRANSPORT_SECURITY)
            .contains("max-age=")
    );
}

#[tokio::test]
async fn cookie_writes_from_another_site_are_refused() {
    let w = world("csrf").await;
    let h = w.session("owner_a").await;
    let cookie = h[0].clone();
    let body = r#"{"workspace":"alpha","name":"From afar"}"#;
    for (extra, status) in [
        (
            vec![("sec-fetch-site", "cross-site".to_string())],
            StatusCode::FORBIDDEN,
        ),
        (
            vec![
                ("origin", "https://evil.example".to_string()),
                ("host", "localhost:3000".into()),
            ],
            StatusCode::FORBIDDEN,
        ),
        (vec![], StatusCode::FORBIDDEN),
        (
            vec![
                ("origin", "http://localhost:3000".to_string()),
                ("host", "localhost:3000".into()),
            ],
            StatusCode::CREATED,
        ),
    ] {
        let mut headers = vec![cookie.clone()];
        headers.extend(extra);
        let r = send(&w.state, "POST", "/api/v1/brands", &headers, body).await;
        assert_eq!(r.status, status, "{:?}", String::from_utf8_lossy(&r.body));
    }
    // A sign-in posted from another site's page is refused too.
    let r = send(
        &w.state,
        "POST",
        "/api/v1/session",
        &[("sec-fetch-site", "cross-site".into())],
        &serde_json::json!({"email": "owner_a@test.example", "password": PASSWORD}).to_string(),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn wrong_email_and_wrong_password_look_alike_and_failures_slow_down() {
    let w = world("failures").await;
    let email = "analyst_a@test.example";
    let timed = |e: &'static str, p: &'static str| {
        let st = w.state.clone();
        async move {
            let t = std::time::Instant::now();
            let r = sign_in(&st, e, p).await;
            (r, t.elapsed().as_secs_f64())
        }
    };
    let (unknown, t_unknown) = timed("nobody@test.example", "wrong password").await;
    let (wrong, t_wrong) = timed("analyst_a@test.example", "wrong password").await;
    assert_eq!(
        (unknown.status, wrong.status),
        (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED)
    );
    assert_eq!(unknown.body, wrong.body, "the same answer for both");
    assert!(
        t_unknown > t_wrong / 4.0 && t_unknown < t_wrong * 4.0,
        "about the same time: {t_unknown:.3} s vs {t_wrong:.3} s"
    );
    // Five failures for the account, then 429 with Retry-After, even for
    // the right password; other accounts are not affected.
    for _ in 0..4 {
        assert_eq!(
            sign_in(&w.state, email, "wrong password").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let r = sign_in(&w.state, email, PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: i64 = r.header(axum::http::header::RETRY_AFTER).parse().unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    assert_eq!(
        sign_in(&w.state, "viewer_a@test.example", PASSWORD)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    // Counted in the database, so a second server process sees them.
    let other = AppState::new(w.db().clone());
    assert_eq!(
        sign_in(&other, email, PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn one_time_links_sign_in_once() {
    let w = world("links").await;
    let user = w
        .db()
        .user_by_email("viewer_a@test.example")
        .await
        .unwrap()
        .unwrap();
    let secret = w.db().create_sign_in_link(user.id).await.unwrap();
    let body = serde_json::json!({"link": secret}).to_string();
    let r = send(&w.state, "POST", "/api/v1/session", &[], &body).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let token = token_of(&set_cookie(&r));
    // Signed in by a fresh link, the person may set a password without the current one.
    let r = send(
        &w.state,
        "PUT",
        "/api/v1/me/password",
        &[
            ("cookie", format!("{SESSION_COOKIE}={token}")),
            ("sec-fetch-site", "same-origin".into()),
        ],
        r#"{"password":"a brand new password"}"#,
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::NO_CONTENT,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(
        sign_in(&w.state, "viewer_a@test.example", "a brand new password")
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let again = send(&w.state, "POST", "/api/v1/session", &[], &body).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    assert!(String::from_utf8_lossy(&again.body).contains("used or has expired"));
    // A short new password is refused by name.
    let r = send(
        &w.state,
        "PUT",
        "/api/v1/me/password",
        &[
            ("cookie", format!("{SESSION_COOKIE}={token}")),
            ("sec-fetch-site", "same-origin".into()),
        ],
        r#"{"password":"short"}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8_lossy(&r.body).contains("password"));
}

#[tokio::test]
async fn windows_are_bounded_before_anything_is_allocated() {
    let w = world("bounds").await;
    let h = w.session("viewer_a").await;
    let b = w.brand_a1;
    let a1 = w.a1;
    for (uri, says) in [
        (
            format!("/api/v1/brands/{b}/mentions?from=-9223372036854775808&to=9223372036854775806"),
            "Unix seconds from 0",
        ),
        (
            format!("/api/v1/brands/{b}/mentions?from=0&to=400000000000"),
            "Unix seconds from 0",
        ),
        (
            format!("/api/v1/brands/{b}/mentions?from=0&to=200000000"),
            "at most 366 days",
        ),
        (
            format!("/api/v1/brands/{b}/mentions/drivers?from=0&to=100000000"),
            "at most 366 days",
        ),
        (
            format!("/api/v1/campaigns/{a1}/timeseries?grain=hour&from=0&to=100000000"),
            "at most 366 days",
        ),
        (
            format!("/api/v1/campaigns/{a1}/cascades?page=99999999"),
            "page",
        ),
        (format!("/api/v1/campaigns/{a1}/posts?limit=5000"), "limit"),
        (
            format!("/api/v1/campaigns/{a1}/summary?x=1"),
            "unknown query parameter",
        ),
        (
            "/api/v1/brands/99999999999999999999/mentions".to_string(),
            "positive integer",
        ),
    ] {
        let r = send(&w.state, "GET", &uri, &h, "").await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
        let e: analytics::wire::ErrorBody = r.json();
        assert!(e.error.message.contains(says), "{uri}: {}", e.error.message);
    }
    // An empty window is an empty answer; a year-long one is zero-filled.
    let r = send(
        &w.state,
        "GET",
        &format!("/api/v1/brands/{b}/mentions?from=10&to=5"),
        &h,
        "",
    )
    .await;
    assert_eq!((r.status, r.body.as_slice()), (StatusCode::OK, &b"[]"[..]));
    let r = send(
        &w.state,
        "GET",
        &format!("/api/v1/brands/{b}/mentions?from=1767225600&to=1798761600"),
        &h,
        "",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let hours: Vec<analytics::wire::MentionHour> = r.json();
    assert_eq!(hours.len(), 8760);
    assert_eq!(hours.iter().map(|h| h.mentions).sum::<u64>(), 5);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let w = world("headers").await;
    for uri in ["/api/v1/health", "/", "/campaigns/1", "/api/v1/campaigns"] {
        let r = send(&w.state, "GET", uri, &[], "").await;
        let csp = r.header(axum::http::HeaderName::from_static(
            "content-security-policy",
        ));
        for part in [
            "default-src 'self'",
            "script-src 'self' 'wasm-unsafe-eval'",
            "style-src 'self'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(part), "{uri}: {part} missing from {csp}");
        }
        assert!(!csp.contains("unsafe-inline"), "{uri}");
        assert_eq!(
            r.header(axum::http::HeaderName::from_static(
                "x-content-type-options"
            )),
            "nosniff"
        );
        assert_eq!(
            r.header(axum::http::HeaderName::from_static("referrer-policy")),
            "no-referrer"
        );
    }
}

#[tokio::test]
async fn bad_account_input_gets_a_clear_error_and_changes_nothing() {
    use server::db::access::AccessError as E;
    let w = world("badinput").await;
    let db = w.db();
    let users_before = db.list_users().await.unwrap().len();
    let long = "x".repeat(10_000);
    for (email, name, says) in [
        ("not-an-email", "N", "not an email address"),
        ("", "N", "not an email address"),
        (&format!("{long}@x.co"), "N", "at most 254"),
        ("ok@test.example", "", "name must not be empty"),
        ("ok@test.example", &long, "name must be at most 100"),
    ] {
        let e = db.create_user(email, name, None).await.unwrap_err();
        assert!(e.to_string().contains(says), "{e}");
        assert!(
            e.to_string().len() < 300,
            "the message quotes no 10 KB field: {}",
            e.to_string().len()
        );
    }
    assert!(matches!(
        db.create_user("OWNER_A@test.example", "Again", None).await,
        Err(E::UserExists(_))
    ));
    assert_eq!(
        db.list_users().await.unwrap().len(),
        users_before,
        "nothing half-done"
    );
    let e = db
        .add_member("alpha", "owner_a@test.example", Role::Viewer, None)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("already a member"), "{e}");
    let beta_brand = db.list_brands(Some("beta")).await.unwrap()[0].id;
    let e = db
        .add_member(
            "alpha",
            "owner_b@test.example",
            Role::Client,
            Some(beta_brand),
        )
        .await
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("not a client brand of workspace \"alpha\""),
        "{e}"
    );
    let e = db
        .add_member("alpha", "owner_b@test.example", Role::Client, None)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("--brand"), "{e}");
    let e = db
        .add_member("alpha", "nobody@test.example", Role::Viewer, None)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("no user has email"), "{e}");
    assert!(
        db.grants_of_user(
            db.user_by_email("owner_b@test.example")
                .await
                .unwrap()
                .unwrap()
                .id
        )
        .await
        .unwrap()
        .iter()
        .all(|g| g.workspace == "beta")
    );
    // Over the API: a 10 KB brand name is refused by field.
    let h = w.session("owner_a").await;
    let r = send(
        &w.state,
        "POST",
        "/api/v1/brands",
        &h,
        &serde_json::json!({"name": long}).to_string(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8_lossy(&r.body).contains("name must be at most 100"));
    let r = send(&w.state, "POST", "/api/v1/ingest", &h, "").await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "an empty batch is refused"
    );
}

mod cli {
    use super::*;
    use std::io::Write;
    use std::process::{Command, Stdio};

    fn server(db: &str, args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
            .args(args)
            .env("DATABASE_URL", db)
            .env("RUST_LOG", "info")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        if let Some(input) = stdin {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(input.as_bytes())
                .unwrap();
        } else {
            drop(child.stdin.take());
        }
        let out = child.wait_with_output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into(),
            String::from_utf8_lossy(&out.stderr).into(),
        )
    }

    #[tokio::test]
    async fn users_members_and_scoped_keys_from_the_command_line() {
        let dir = tempfile::tempdir().unwrap();
        let url = fresh_db(dir.path(), "cliusers");
        let run = |args: &[&str], stdin: Option<&str>| server(&url, args, stdin);
        assert!(
            run(
                &["workspace", "create", "--slug", "acme", "--name", "Acme"],
                None
            )
            .0
        );
        let (ok, out, err) = run(
            &[
                "user",
                "create",
                "--email",
                "Ann@Example.com",
                "--name",
                "Ann",
                "--password-stdin",
            ],
            Some("s3cret pass word\n"),
        );
        assert!(ok, "{err}");
        assert!(
            out.contains("ann@example.com") && !out.contains("#signin="),
            "{out}"
        );
        let (ok, out, _) = run(
            &[
                "user",
                "create",
                "--email",
                "bo@example.com",
                "--name",
                "Bo",
            ],
            None,
        );
        assert!(ok);
        let link = out.lines().last().unwrap();
        assert!(
            link.starts_with("http://127.0.0.1:3000/sign-in#signin=") && link.len() > 40,
            "{link}"
        );
        let (_, out, _) = run(
            &[
                "--public-url",
                "https://dash.example.com/",
                "user",
                "reset-password",
                "--email",
                "bo@example.com",
            ],
            None,
        );
        assert!(
            out.lines()
                .last()
                .unwrap()
                .starts_with("https://dash.example.com/sign-in#signin="),
            "{out}"
        );
        let (ok, _, err) = run(
            &[
                "member",
                "add",
                "--workspace",
                "acme",
                "--email",
                "ann@example.com",
                "--role",
                "boss",
            ],
            None,
        );
        assert!(!ok && err.contains("role \"boss\" is unknown"), "{err}");
        assert!(
            run(
                &[
                    "member",
                    "add",
                    "--workspace",
                    "acme",
                    "--email",
                    "ann@example.com",
                    "--role",
                    "analyst"
                ],
                None
            )
            .0
        );
        let (ok, _, err) = run(
            &[
                "member",
                "add",
                "--workspace",
                "acme",
                "--email",
                "ann@example.com",
                "--role",
                "viewer",
            ],
            None,
        );
        assert!(!ok && err.contains("already a member"), "{err}");
        let (_, out, _) = run(&["member", "list", "--workspace", "acme"], None);
        assert_eq!(
            out.trim_end_matches('\n'),
            "ann@example.com\tAnn\tanalyst\t"
        );
        let (_, out, _) = run(
            &[
                "api-key",
                "create",
                "--workspace",
                "acme",
                "--scope",
                "read",
            ],
            None,
        );
        let key = out.lines().last().unwrap().to_string();
        let (ok, _, err) = run(
            &[
                "api-key",
                "create",
                "--workspace",
                "acme",
                "--scope",
                "write",
            ],
            None,
        );
        assert!(!ok && err.contains("scope \"write\" is unknown"), "{err}");

        // The password works over the API; the read key reads but cannot ingest.
        let db = Db::open(&url).await.unwrap();
        let state = AppState::new(db.clone());
        assert_eq!(
            sign_in(&state, "ann@example.com", "s3cret pass word")
                .await
                .status,
            StatusCode::NO_CONTENT
        );
        let bearer = [("authorization", format!("Bearer {key}"))];
        assert_eq!(
            send(&state, "GET", "/api/v1/campaigns", &bearer, "")
                .await
                .status,
            StatusCode::OK
        );
        let r = send(&state, "POST", "/api/v1/ingest", &bearer, "{}").await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(String::from_utf8_lossy(&r.body).contains("no `ingest` scope"));
        let (_, out, _) = run(&["api-key", "list", "--workspace", "acme"], None);
        let row = out.lines().nth(1).unwrap();
        assert!(
            row.contains("\tread\t") && !row.ends_with("never\tactive"),
            "last use recorded: {row}"
        );
        // Disabled: sign-in refused, sessions ended at once.
        let session = token_of(&set_cookie(
            &sign_in(&state, "ann@example.com", "s3cret pass word").await,
        ));
        assert!(run(&["user", "disable", "--email", "ann@example.com"], None).0);
        assert_eq!(
            sign_in(&state, "ann@example.com", "s3cret pass word")
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        let me = send(
            &state,
            "GET",
            "/api/v1/me",
            &[("cookie", format!("{SESSION_COOKIE}={session}"))],
            "",
        )
        .await;
        assert_eq!(me.status, StatusCode::UNAUTHORIZED);
        let (_, out, _) = run(&["user", "list"], None);
        assert!(out.contains("ann@example.com\tAnn\tdisabled"), "{out}");
        assert!(
            run(
                &[
                    "member",
                    "remove",
                    "--workspace",
                    "acme",
                    "--email",
                    "ann@example.com"
                ],
                None
            )
            .0
        );
        for help in [
            &["user", "--help"][..],
            &["member", "add", "--help"],
            &["api-key", "create", "--help"],
        ] {
            let (ok, out, _) = run(help, None);
            assert!(ok && out.contains("Usage"), "{help:?}");
        }
    }

    /// The demo start prints one link that signs in; neither it nor a
    /// password ever reaches the log.
    #[tokio::test]
    async fn the_demo_link_signs_in_and_no_secret_reaches_the_log() {
        use std::io::{BufRead, BufReader};
        let dir = tempfile::tempdir().unwrap();
        let url = fresh_db(dir.path(), "demolog");
        let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
            .args([
                "serve",
                "--demo",
                "--addr",
                "127.0.0.1:0",
                "--database-url",
                &url,
            ])
            .env("RUST_LOG", "debug")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = std::thread::spawn(move || {
            let mut all = String::new();
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                all.push_str(&line);
                all.push('\n');
            }
            all
        });
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let url_line = line
            .trim()
            .strip_prefix("Dashboard: ")
            .unwrap_or_else(|| panic!("{line}"))
            .to_string();
        let (base, secret) = url_line.split_once("/sign-in#signin=").unwrap();
        // Sign in over real HTTP, with the link and then with a password set.
        let post = |path: &str, body: String, cookie: Option<&str>, method: &str| {
            let addr = base.strip_prefix("http://").unwrap().to_string();
            let mut req = format!(
                "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            if let Some(c) = cookie {
                req.push_str(&format!("Cookie: {c}\r\n"));
            }
            req.push_str("\r\n");
            req.push_str(&body);
            let mut s = std::net::TcpStream::connect(&addr).unwrap();
            std::io::Write::write_all(&mut s, req.as_bytes()).unwrap();
            let mut out = String::new();
            std::io::Read::read_to_string(&mut s, &mut out).unwrap();
            out
        };
        let r = post(
            "/api/v1/session",
            serde_json::json!({"link": secret}).to_string(),
            None,
            "POST",
        );
        assert!(r.starts_with("HTTP/1.1 204"), "{r}");
        let cookie = r
            .lines()
            .find_map(|l| l.strip_prefix("set-cookie: "))
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let password = "a password nobody logs";
        let r = post(
            "/api/v1/me/password",
            serde_json::json!({"password": password}).to_string(),
            Some(&cookie),
            "PUT",
        );
        assert!(r.starts_with("HTTP/1.1 204"), "{r}");
        let r = post(
            "/api/v1/session",
            serde_json::json!({"email": "demo@example.com", "password": password}).to_string(),
            None,
            "POST",
        );
        assert!(r.starts_with("HTTP/1.1 204"), "{r}");
        let r = post(
            "/api/v1/session",
            serde_json::json!({"email": "demo@example.com", "password": "wrong one"}).to_string(),
            None,
            "POST",
        );
        assert!(r.starts_with("HTTP/1.1 401"), "{r}");
        child.kill().unwrap();
        child.wait().unwrap();
        let log = log.join().unwrap();
        assert!(log.contains("signed in"), "the log is being read: {log}");
        let session = cookie.split_once('=').unwrap().1;
        for secret in [secret, password, "wrong one", session] {
            assert!(!log.contains(secret), "the log holds a secret: {log}");
        }
        // Two agencies in the demo; the first keeps campaign ids 1–3.
        let db = Db::open(&url).await.unwrap();
        let campaigns = db.list_campaigns().await.unwrap();
        let demo: Vec<i64> = campaigns
            .iter()
            .filter(|c| c.workspace.slug == "demo")
            .map(|c| c.id)
            .collect();
        assert_eq!(
            demo.iter()
                .copied()
                .collect::<std::collections::BTreeSet<_>>(),
            [1, 2, 3].into()
        );
        assert!(campaigns.iter().any(|c| c.workspace.slug == "northwind"));
        let owner = db.user_by_email("demo@example.com").await.unwrap().unwrap();
        let grants = db.grants_of_user(owner.id).await.unwrap();
        assert_eq!(grants.len(), 1);
        assert_eq!(
            (grants[0].workspace.as_str(), grants[0].role),
            ("demo", Role::Owner)
        );
    }
}
