//! Sessions as people use them: cookie flags, a new id at every sign-in,
//! expiry, sign-out; cross-site writes; failed sign-ins; one-time links;
//! bounded windows; the security headers; bad account input.

use super::*;

pub(super) fn set_cookie(r: &Reply) -> String {
    r.header(axum::http::header::SET_COOKIE).to_string()
}

pub(super) fn token_of(set_cookie: &str) -> String {
    set_cookie
        .split(';')
        .next()
        .and_then(|kv| kv.strip_prefix(&format!("{SESSION_COOKIE}=")))
        .unwrap_or("")
        .to_string()
}

pub(super) async fn sign_in(state: &AppState, email: &str, password: &str) -> Reply {
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
