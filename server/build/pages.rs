//! The HTML of the app: one page per entry route (the same single-page app,
//! each preloading what its route needs before it can draw), the pages
//! without WebAssembly (`app/static/`), the stylesheet, the icon and the
//! route → chunks manifest the server's tests check the budgets against.

use std::path::{Path, PathBuf};

use super::wasm::{Bundle, hash, read, write};
use super::{collect_files, fail};

/// An entry page of the dashboard.
#[derive(Debug)]
pub struct Page {
    /// Where it is written in `dist` (`server/src/http/assets.rs` serves it
    /// for its routes).
    pub file: &'static str,
    /// The router's path (app/src/app.rs).
    pub route: &'static str,
    /// The module that draws it.
    pub entry: Entry,
    /// The lazy routes' splits (app/src/lazy.rs) its first draw needs.
    pub splits: &'static [&'static str],
    /// The splits of its parts drawn after that (`lazy_part!`), fetched
    /// once the page runs; not preloaded, so they do not delay the first draw.
    pub later: &'static [&'static str],
}

/// The modules pages are drawn by (app/src/app.rs): pages of one module
/// link to the other's with a page load.
#[derive(Debug, PartialEq)]
pub enum Entry {
    /// The dashboard's (`App`), split at its lazy routes.
    Dashboard,
    /// The reports' (`ReportsApp`), one module with its own stylesheet.
    Reports,
}

/// Every entry page. A split no page names must be in [`ON_DEMAND`]: the
/// build stops otherwise, so a new page cannot escape its budget.
pub const PAGES: &[Page] = &[
    Page {
        file: "index.html",
        route: "/",
        entry: Entry::Dashboard,
        splits: &[],
        later: &[],
    },
    Page {
        file: "pages/overview.html",
        route: "/campaigns/:id",
        entry: Entry::Dashboard,
        splits: &["overview"],
        later: &["overview_panels"],
    },
    Page {
        file: "pages/cascades.html",
        route: "/campaigns/:id/cascades",
        entry: Entry::Dashboard,
        splits: &["cascades"],
        later: &[],
    },
    Page {
        file: "pages/explorer.html",
        route: "/campaigns/:id/cascades/:root",
        entry: Entry::Dashboard,
        splits: &["explorer"],
        later: &["explorer_panels"],
    },
    Page {
        file: "pages/listening.html",
        route: "/campaigns/:id/listening",
        entry: Entry::Dashboard,
        splits: &["listening"],
        later: &[],
    },
    Page {
        file: "pages/compare.html",
        route: "/compare",
        entry: Entry::Dashboard,
        splits: &["compare"],
        later: &[],
    },
    Page {
        file: "pages/reports.html",
        route: "/reports",
        entry: Entry::Reports,
        splits: &[],
        later: &[],
    },
    Page {
        file: "pages/report.html",
        route: "/reports/:id",
        // The preview's pages are drawn by the report worker (its own module).
        entry: Entry::Reports,
        splits: &[],
        later: &[],
    },
];

/// Splits no page needs to draw, fetched when first called: the chart
/// downloads (`app/src/components/export.rs`).
pub const ON_DEMAND: &[&str] = &["export"];

/// Writes every page, the stylesheet, the icon and `pages.json` into `dist`.
pub fn write_all(root: &Path, dist: &Path, bundle: &Bundle) {
    let css = read(&root.join("style/main.css"));
    let css_name = format!("/main-{:016x}.css", hash(&[&css]));
    write(&dist.join(&css_name[1..]), &css);
    // The reports' pages' own rules, in their first load only.
    let reports_css = read(&root.join("style/reports.css"));
    let reports_css_name = format!("/reports-{:016x}.css", hash(&[&reports_css]));
    write(&dist.join(&reports_css_name[1..]), &reports_css);
    let icon = read(&root.join("public/favicon.svg"));
    write(&dist.join("favicon.svg"), &icon);
    // The reports' typeface, which the builder's report worker loads as a
    // web font while it reads the first numbers
    // (app/src/components/report_pages.rs), with its licence beside it.
    let fonts = dist.join("fonts");
    std::fs::create_dir_all(&fonts)
        .unwrap_or_else(|e| fail(&format!("cannot create {}: {e}", fonts.display())));
    for font in ["ReportSansSC-Regular.woff2", "OFL.txt"] {
        write(
            &fonts.join(font),
            &read(&root.join("public/fonts").join(font)),
        );
    }
    let shared_head = format!(
        "<link rel=\"stylesheet\" href=\"{css_name}\" />\n    <link rel=\"icon\" href=\"/favicon.svg\" />"
    );

    let boot = format!(
        "import init, * as bindings from '{js}';\n\
         await init({{ module_or_path: '{wasm}' }});\n\
         // The engine's entry points, for the benchmark and its tests.\n\
         window.wasmBindings = bindings;\n",
        js = bundle.main_js,
        wasm = bundle.main_wasm
    );
    let boot_name = format!("/boot-{:016x}.js", hash(&[boot.as_bytes()]));
    write(&dist.join(&boot_name[1..]), boot.as_bytes());
    let reports_boot = format!(
        "import init from '{js}';\nawait init({{ module_or_path: '{wasm}' }});\n",
        js = bundle.reports.js,
        wasm = bundle.reports.wasm
    );
    let reports_boot_name = format!("/boot-{:016x}.js", hash(&[reports_boot.as_bytes()]));
    write(&dist.join(&reports_boot_name[1..]), reports_boot.as_bytes());

    check_splits(bundle);
    let template = String::from_utf8(read(&root.join("app/index.html")))
        .unwrap_or_else(|_| fail("app/index.html is not UTF-8"));
    let mut manifest = String::from("{\n  \"pages\": [\n");
    for (i, page) in PAGES.iter().enumerate() {
        let chunks = chunks_of(bundle, page.splits);
        let head = match page.entry {
            Entry::Dashboard => {
                let mut head = format!(
                    "{shared_head}\n    <link rel=\"modulepreload\" href=\"{}\" />\n    \
                     <link rel=\"preload\" href=\"{}\" as=\"fetch\" type=\"application/wasm\" crossorigin />",
                    bundle.main_js, bundle.main_wasm
                );
                if let Some(loader) = &bundle.loader_js {
                    head.push_str(&format!(
                        "\n    <link rel=\"modulepreload\" href=\"{loader}\" />"
                    ));
                }
                for chunk in &chunks {
                    head.push_str(&format!(
                        "\n    <link rel=\"preload\" href=\"{chunk}\" as=\"fetch\" type=\"application/wasm\" crossorigin />"
                    ));
                }
                head.push_str(&format!(
                    "\n    <script type=\"module\" src=\"{boot_name}\"></script>"
                ));
                head
            }
            Entry::Reports => format!(
                "{shared_head}\n    <link rel=\"stylesheet\" href=\"{reports_css_name}\" />\n    \
                 <link rel=\"modulepreload\" href=\"{}\" />\n    \
                 <link rel=\"preload\" href=\"{}\" as=\"fetch\" type=\"application/wasm\" crossorigin />\n    \
                 <script type=\"module\" src=\"{reports_boot_name}\"></script>",
                bundle.reports.js, bundle.reports.wasm
            ),
        };
        let html = fill(&template, &head, "app/index.html");
        let path = dist.join(page.file);
        if let Some(dir) = path.parent() {
            create_dir(dir);
        }
        write(&path, html.as_bytes());
        let later: Vec<String> = chunks_of(bundle, page.later)
            .into_iter()
            .filter(|c| !chunks.contains(c))
            .collect();
        manifest.push_str(&format!(
            "    {{ \"route\": \"{}\", \"html\": \"/{}\", \"chunks\": {}, \"later\": {} }}{}\n",
            page.route,
            page.file,
            json_list(&chunks),
            json_list(&later),
            if i + 1 < PAGES.len() { "," } else { "" }
        ));
    }
    manifest.push_str("  ],\n  \"on_demand\": {");
    for (i, name) in ON_DEMAND.iter().enumerate() {
        manifest.push_str(&format!(
            "{}\n    \"{name}\": {}",
            if i > 0 { "," } else { "" },
            json_list(&chunks_of(bundle, &[name]))
        ));
    }
    manifest.push_str("\n  }\n}\n");
    write(&dist.join("pages.json"), manifest.as_bytes());

    static_pages(root, dist, &shared_head);
}

/// Every split of the build is a page's or on demand, and every split a
/// page names exists (unless the app was built unsplit).
fn check_splits(bundle: &Bundle) {
    if bundle.splits.is_empty() {
        return;
    }
    let named: Vec<&str> = PAGES
        .iter()
        .flat_map(|p| p.splits.iter().chain(p.later).copied())
        .chain(ON_DEMAND.iter().copied())
        .collect();
    for split in bundle.splits.keys() {
        if !named.contains(&split.as_str()) {
            fail(&format!(
                "the app has a split `{split}` no page of server/build/pages.rs names: \
                 add its page (with its route) to PAGES, or to ON_DEMAND"
            ));
        }
    }
    for split in &named {
        if !bundle.splits.contains_key(*split) {
            fail(&format!(
                "server/build/pages.rs names a split `{split}` the app does not have"
            ));
        }
    }
}

/// The chunk files of `splits`, each once, in load order.
fn chunks_of(bundle: &Bundle, splits: &[&str]) -> Vec<String> {
    let mut chunks: Vec<String> = Vec::new();
    for split in splits {
        for chunk in bundle.splits.get(*split).into_iter().flatten() {
            if !chunks.contains(chunk) {
                chunks.push(chunk.clone());
            }
        }
    }
    chunks
}

fn json_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
    format!("[{}]", quoted.join(", "))
}

/// `template` with `@HEAD@` replaced by `head`, refusing inline script or style.
fn fill(template: &str, head: &str, what: &str) -> String {
    if template.matches("@HEAD@").count() != 1 {
        fail(&format!("{what} must hold `@HEAD@` once"));
    }
    let html = template.replace("@HEAD@", head);
    if html.contains("<script>") || html.contains("style=") {
        fail(&format!("{what} holds an inline script or style"));
    }
    html
}

/// Writes the pages without WebAssembly (`app/static/NAME.html` and its
/// script `NAME.js`: sign-in and settings) into `dist` as
/// `NAME/index.html`, with the dashboard's stylesheet and icon and a
/// content-hashed copy of the script.
fn static_pages(root: &Path, dist: &Path, shared_head: &str) {
    let mut files: Vec<PathBuf> = Vec::new();
    collect_files(&root.join("app/static"), &mut files);
    for page in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
    {
        let stem = page
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let script = read(&page.with_extension("js"));
        let name = format!("{stem}-{:016x}.js", hash(&[&script]));
        write(&dist.join(&name), &script);
        let head = format!("{shared_head}\n    <script type=\"module\" src=\"/{name}\"></script>");
        let template = String::from_utf8(read(page))
            .unwrap_or_else(|_| fail(&format!("{} is not UTF-8", page.display())));
        let html = fill(&template, &head, &page.display().to_string());
        let folder = dist.join(stem);
        create_dir(&folder);
        write(&folder.join("index.html"), html.as_bytes());
    }
}

fn create_dir(dir: &Path) {
    std::fs::create_dir_all(dir)
        .unwrap_or_else(|e| fail(&format!("cannot create {}: {e}", dir.display())));
}
