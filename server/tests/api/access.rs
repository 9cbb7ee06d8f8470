//! Two agencies on one server: the isolation matrix (every route of the
//! OpenAPI document × every kind of caller), sessions and their cookies,
//! sign-in failures, bounded windows, the security headers, and the
//! accounts' command line.

use super::{Reply, fresh_db};
use axum::body::Body;
use axum::http::StatusCode;
use server::access::{Role, Scopes, hash_password};
use server::db::{Db, NewCampaign};
use server::http::{AppState, HttpConfig, SESSION_COOKIE};

async fn send(
    state: &AppState,
    method: &str,
    uri: &str,
    headers: &[(&str, String)],
    body: &str,
) -> Reply {
    let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    super::send_to(state, method, uri, &headers, Body::from(body.to_string())).await
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
    /// A saved report of A1, and more the matrix deletes (one per caller).
    report_a1: i64,
    spare_reports: Vec<i64>,
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

/// A small report of campaign `campaign`: its key figures and cascades.
pub(super) fn report_definition(campaign: i64) -> analytics::report::ReportDefinition {
    use analytics::report::{Panel, PanelKind, ReportDefinition};
    ReportDefinition {
        title: "Alpha Launch report".into(),
        campaign_id: campaign,
        lang: analytics::Lang::En,
        page: Default::default(),
        filter: Default::default(),
        panels: vec![Panel::of(PanelKind::Kpis), Panel::of(PanelKind::Cascades)],
        branding: Default::default(),
    }
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
    let campaign_a1 = db.campaign(a1).await.unwrap().unwrap();
    let mut reports = Vec::new();
    for _ in 0..=CALLERS.len() {
        reports.push(
            db.create_report(&campaign_a1, &report_definition(a1))
                .await
                .unwrap()
                .id,
        );
    }
    World {
        state: AppState::new(db),
        report_a1: reports[0],
        spare_reports: reports[1..].to_vec(),
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
    /// A change to one of A1's things (a saved report): who may not read
    /// it gets 404, who may read but not write 403.
    AlphaEdit,
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
        Kind::AlphaEdit => match expected(Kind::AlphaResource, who, ok) {
            s if s != ok => s,
            _ if matches!(who, Who::User("owner_a" | "analyst_a") | Who::KeyAIngest) => ok,
            _ => S::FORBIDDEN,
        },
        Kind::AlphaWrite => match who {
            Who::User("owner_a" | "analyst_a") | Who::KeyAIngest => ok,
            Who::User("owner_b") | Who::KeyB => S::NOT_FOUND,
            _ => S::FORBIDDEN,
        },
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
                } else if case.path.starts_with("/api/v1/reports/") {
                    w.report_a1
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

#[path = "access/routes.rs"]
mod routes;
use routes::{cases, with_missing_id};

#[path = "access/sessions.rs"]
mod sessions;

#[path = "access/cli.rs"]
mod cli;
