//! Saved reports as an agency uses them: the demo's Chinese report drawn as
//! PNG, SVG and PDF with the API's numbers in every format; definitions
//! saved, replaced and deleted with each mistake named; hostile text,
//! hostile logos and out-of-range renders neutralised or refused.

use super::*;
use analytics::report::{Branding, Panel, PanelKind, Report, ReportDefinition};
use base64::Engine;

fn bearer(key: &str) -> Vec<(&'static str, String)> {
    vec![("authorization", format!("Bearer {key}"))]
}

async fn call(state: &AppState, method: &str, uri: &str, key: &str, body: &str) -> Reply {
    let h = bearer(key);
    let headers: Vec<(&str, &str)> = h.iter().map(|(k, v)| (*k, v.as_str())).collect();
    send_to(state, method, uri, &headers, Body::from(body.to_string())).await
}

/// `GET uri` with `key`.
async fn get_as(state: &AppState, key: &str, uri: &str) -> Reply {
    call(state, "GET", uri, key, "").await
}

/// The text `pdftotext` reads from a PDF (poppler-utils, installed by the
/// test command): what a reader can select and copy.
fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by the test command");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    let n = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    (n(16), n(20))
}

#[tokio::test]
async fn the_demo_report_prints_the_apis_numbers_in_every_format() {
    let db = demo_db().await;
    server::demo::load::load_reports(&db).await.unwrap();
    let (_, key) = db
        .create_api_key("demo", "reports", server::access::Scopes::DEFAULT)
        .await
        .unwrap();
    let state = AppState::new(db);
    let list = get_as(&state, &key, "/api/v1/reports?workspace=demo").await;
    assert_eq!(list.status, StatusCode::OK);
    let reports: Vec<Report> = list.json();
    let zh = &reports[0];
    assert_eq!(zh.definition.lang, analytics::Lang::Zh);
    assert_eq!(
        zh.definition.panels.len(),
        PanelKind::ALL.len(),
        "every kind of panel"
    );
    // The numbers the dashboard's cards show, as the API serves them.
    let summary: CampaignSummary = get_as(
        &state,
        &key,
        &format!("/api/v1/campaigns/{}/summary", zh.definition.campaign_id),
    )
    .await
    .json();
    let cards = analytics::overview::kpi_cards(&summary, false);
    assert!(cards.len() >= 8);

    let svg = get_as(
        &state,
        &key,
        &format!("/api/v1/reports/{}/render.svg", zh.id),
    )
    .await;
    assert_eq!(svg.status, StatusCode::OK);
    assert_eq!(svg.header(header::CONTENT_TYPE), "image/svg+xml");
    assert!(
        svg.header(header::CONTENT_DISPOSITION)
            .contains("filename*=UTF-8''")
    );
    assert_eq!(
        svg.headers.get("x-render-warnings"),
        None,
        "no character is missing"
    );
    let pages: usize = svg.headers["x-report-pages"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((2..=8).contains(&pages), "{pages} pages");
    let svg_text = server::report::svg_text(std::str::from_utf8(&svg.body).unwrap());
    let pdf = get_as(
        &state,
        &key,
        &format!("/api/v1/reports/{}/render.pdf", zh.id),
    )
    .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.body.starts_with(b"%PDF-"));
    assert!(
        pdf.body.len() < 500_000,
        "the PDF is {} bytes",
        pdf.body.len()
    );
    let pdf_text = pdf_text(&pdf.body);
    let pdf_squashed: String = pdf_text.split_whitespace().collect();
    for card in &cards {
        assert!(
            svg_text.iter().any(|t| t == &card.display),
            "{} not in the SVG",
            card.display
        );
        assert!(
            pdf_text.contains(&card.display),
            "{} not in the PDF",
            card.display
        );
    }
    // Every page says when the data was read and which page it is.
    for p in 1..=pages {
        let page = i18n::page_of(analytics::Lang::Zh, p, pages);
        assert!(svg_text.contains(&page), "{page}");
        // pdftotext drops the spaces between Chinese and digits.
        let squashed: String = page.split_whitespace().collect();
        assert!(pdf_squashed.contains(&squashed), "{page} in the PDF");
    }
    assert_eq!(
        svg_text
            .iter()
            .filter(|t| t.starts_with("数据截至 "))
            .count(),
        pages
    );
    // Chinese text is real text in the PDF, and the face is embedded.
    assert!(pdf_text.contains("核心指标") && pdf_text.contains("传播效果报告"));
    let raw = String::from_utf8_lossy(&pdf.body);
    assert!(raw.contains("ReportSansSC-Regular") && raw.contains("/FontFile3"));
    // White-label: nothing names the product.
    for name in ["口碑传播分析", "Word-of-Mouth Analytics"] {
        assert!(!svg_text.iter().any(|t| t.contains(name)), "{name}");
        assert!(!pdf_text.contains(name), "{name} in the PDF");
    }

    let png = get_as(
        &state,
        &key,
        &format!("/api/v1/reports/{}/render.png", zh.id),
    )
    .await;
    assert_eq!(png.status, StatusCode::OK);
    let (w, h) = png_size(&png.body);
    assert_eq!(w, 794 * 2, "A4 at 2× by default");
    assert_eq!(h, (1123 * pages as u32 + 24 * (pages as u32 - 1)) * 2);
    let one = get_as(
        &state,
        &key,
        &format!("/api/v1/reports/{}/render.png?scale=1&page=2", zh.id),
    )
    .await;
    assert_eq!(png_size(&one.body), (794, 1123));

    // A page past the last one does not exist.
    let r = get_as(
        &state,
        &key,
        &format!("/api/v1/reports/{}/render.pdf?page=99", zh.id),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(
        r.json::<ErrorBody>()
            .error
            .message
            .contains(&format!("the report has {pages} pages"))
    );
    // Out of range: named, and nothing drawn.
    for (q, says) in [
        ("render.png?scale=5", "scale"),
        ("render.png?scale=0", "scale"),
        ("render.svg?scale=2", "PNG only"),
        ("render.png?dpi=300", "unknown query parameter \"dpi\""),
    ] {
        let r = get_as(&state, &key, &format!("/api/v1/reports/{}/{q}", zh.id)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{q}");
        let e: ErrorBody = r.json();
        assert!(e.error.message.contains(says), "{q}: {}", e.error.message);
    }
}

fn hostile_definition(campaign: i64) -> ReportDefinition {
    let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20" onload="alert(1)"><script>alert(2)</script><rect width="60" height="20" fill="#dc2626"/></svg>"##;
    ReportDefinition {
        title: format!(
            "=cmd|' /C calc'!A0 <script>alert(1)</script> & \u{202e}evil\u{202c} שלום 😀 \u{fffe}\u{1} {}",
            "长".repeat(120)
        ),
        campaign_id: campaign,
        lang: analytics::Lang::Zh,
        page: analytics::report::PageFormat::A4Landscape,
        filter: Default::default(),
        panels: PanelKind::ALL.iter().map(|k| Panel::of(*k)).collect(),
        branding: Branding {
            name: "<b>Agency</b> & Co \"x\" 'y'\u{ffff}".into(),
            logo: Some(format!(
                "data:image/svg+xml;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(svg)
            )),
            ..Branding::default()
        },
    }
}

#[tokio::test]
async fn definitions_are_checked_saved_replaced_and_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&fresh_db(dir.path(), "reports")).await.unwrap();
    db.create_workspace("acme", "Acme", "Asia/Shanghai")
        .await
        .unwrap();
    let campaign = db
        .create_campaign(&server::db::NewCampaign {
            workspace: "acme".into(),
            brand: "<script>alert('brand')</script> & 🍵 \u{fffe}".into(),
            competitor: false,
            name: format!("{}<img src=x onerror=alert(1)>", "超长活动名称".repeat(28)),
            start: "2026-03-01".into(),
            end: "2026-03-28".into(),
            budget: Some("1000".into()),
            currency: "CNY".into(),
            channels: vec!["weibo".into()],
            keywords: vec![],
        })
        .await
        .unwrap();
    let (_, key) = db
        .create_api_key("acme", "t", server::access::Scopes::DEFAULT)
        .await
        .unwrap();
    let state = AppState::new(db);
    let def = hostile_definition(campaign);
    let created = call(
        &state,
        "POST",
        "/api/v1/reports",
        &key,
        &serde_json::to_string(&def).unwrap(),
    )
    .await;
    assert_eq!(
        created.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&created.body)
    );
    let report: Report = created.json();
    // The stored logo is the sanitised one.
    let logo = report.definition.branding.logo.clone().unwrap();
    let logo = base64::engine::general_purpose::STANDARD
        .decode(logo.strip_prefix("data:image/svg+xml;base64,").unwrap())
        .unwrap();
    let logo = String::from_utf8(logo).unwrap();
    assert!(
        !logo.contains("script") && !logo.contains("onload") && logo.contains("path"),
        "{logo}"
    );

    // Every format draws, the text escaped, cut to fit and the missing
    // characters (emoji, Hebrew) reported.
    let svg = get_as(
        &state,
        &key,
        &format!("/api/v1/reports/{}/render.svg", report.id),
    )
    .await;
    assert_eq!(svg.status, StatusCode::OK);
    let warnings = svg
        .header(header::HeaderName::from_static("x-render-warnings"))
        .to_string();
    assert!(
        warnings.contains("U+1F600") && warnings.contains("U+05E9"),
        "{warnings}"
    );
    let body = String::from_utf8(svg.body.clone()).unwrap();
    assert!(!body.contains("<script") && !body.contains("<img") && !body.contains("<b>"));
    assert!(!body.contains('\u{202e}'), "the override is removed");
    let fonts = server::report::font::Fonts::load().unwrap();
    let tree = resvg::usvg::Tree::from_str(&body, &fonts.svg_options()).expect("well-formed SVG");
    assert!(tree.size().width() > 1000.0);
    let texts = server::report::svg_text(&body);
    let title = texts
        .iter()
        .find(|t| t.starts_with("=cmd"))
        .expect("the title is printed");
    assert!(title.ends_with('…'), "the long title is cut: {title}");
    assert!(
        texts.iter().any(|t| t.contains("<b>Agency</b> & Co")),
        "the name is printed as text"
    );
    for format in ["png?scale=1", "pdf"] {
        let r = get_as(
            &state,
            &key,
            &format!("/api/v1/reports/{}/render.{format}", report.id),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{format}");
    }

    // Mistakes are named, and change nothing.
    for (patch, status, says) in [
        (
            r#""title":"""#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "title: must not be empty",
        ),
        (r#""panels":[]"#, StatusCode::UNPROCESSABLE_ENTITY, "panels"),
        (
            r##""branding":{"name":"x","primary":"red"}"##,
            StatusCode::UNPROCESSABLE_ENTITY,
            "branding.primary",
        ),
        (
            r#""campaign_id":987654"#,
            StatusCode::NOT_FOUND,
            "campaign_id: no campaign has id 987654",
        ),
        (
            r#""colour":"red""#,
            StatusCode::BAD_REQUEST,
            "unknown field `colour`",
        ),
        (
            r#""branding":{"name":"x","logo":"data:image/svg+xml;base64,PGh0bWw+PC9odG1sPg=="}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "branding.logo",
        ),
    ] {
        let mut v: serde_json::Value = serde_json::to_value(&def).unwrap();
        let extra: serde_json::Value = serde_json::from_str(&format!("{{{patch}}}")).unwrap();
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        let r = call(
            &state,
            "PUT",
            &format!("/api/v1/reports/{}", report.id),
            &key,
            &v.to_string(),
        )
        .await;
        assert_eq!(
            r.status,
            status,
            "{patch}: {}",
            String::from_utf8_lossy(&r.body)
        );
        let e: ErrorBody = r.json();
        assert!(
            e.error.message.contains(says),
            "{patch}: {}",
            e.error.message
        );
    }
    let kept: Report = get_as(&state, &key, &format!("/api/v1/reports/{}", report.id))
        .await
        .json();
    assert_eq!(kept.definition, report.definition);

    // Replaced, then deleted.
    let mut plain = def.clone();
    plain.title = "月报".into();
    plain.branding.logo = None;
    let r = call(
        &state,
        "PUT",
        &format!("/api/v1/reports/{}", report.id),
        &key,
        &serde_json::to_string(&plain).unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json::<Report>().definition.title, "月报");
    let r = call(
        &state,
        "DELETE",
        &format!("/api/v1/reports/{}", report.id),
        &key,
        "",
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = get_as(
        &state,
        &key,
        &format!("/api/v1/reports/{}/render.pdf", report.id),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}
