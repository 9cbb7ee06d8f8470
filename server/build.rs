//! Builds the browser app with trunk and embeds it, so that `cargo build -p
//! server` (or `cargo install --path server`) alone yields the complete binary.
//!
//! The app is rebuilt only when one of its inputs changed: their contents are
//! hashed and the built `dist/` is cached beside the target directory, shared
//! by every profile (clippy, tests and release builds reuse one app build).
//! Every file is precompressed here (gzip and brotli at their best levels),
//! so serving costs no CPU. Set `APP_DIST_DIR` to embed an already built
//! `dist/` instead of running trunk.

use std::collections::hash_map::DefaultHasher;
use std::fmt::Write as _;
use std::hash::Hasher;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::{env, fs};

/// Inputs of the app build, relative to the workspace root.
const INPUTS: &[&str] = &[
    "app/Cargo.toml",
    "app/index.html",
    "app/word.html",
    "app/static",
    "app/src",
    "app/analytics/Cargo.toml",
    "app/analytics/src",
    "app/charts/Cargo.toml",
    "app/charts/src",
    "app/raster/Cargo.toml",
    "app/raster/src",
    "style",
    "public",
    "Trunk.toml",
    ".cargo/config.toml",
    "Cargo.toml",
    "Cargo.lock",
    "server/build.rs",
];

fn main() {
    let manifest =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let root = manifest
        .parent()
        .expect("server/ sits in the workspace")
        .to_path_buf();
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-env-changed=APP_DIST_DIR");
    // Clones that share one target directory share this script's
    // fingerprint (cargo hashes workspace members by their relative path), so
    // a build in another clone would make cargo skip this script here: the
    // setup scripts export the clone's root, and a different root reruns it
    // (the input hash below then decides whether trunk must run).
    println!("cargo:rerun-if-env-changed=WOM_SOURCE_ROOT");

    let dist = match env::var_os("APP_DIST_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => {
            for input in INPUTS {
                // Relative to this package, so each clone watches its own files.
                println!("cargo:rerun-if-changed=../{input}");
            }
            build_app(&root, &out)
        }
    };
    if !dist.join("index.html").is_file() {
        fail(&format!(
            "{} holds no index.html: the app build produced nothing to embed",
            dist.display()
        ));
    }
    embed(&dist, &out);
}

/// Runs trunk unless the cached build matches the current inputs.
fn build_app(root: &Path, out: &Path) -> PathBuf {
    // OUT_DIR is <target>/[<triple>/]<profile>/build/server-<hash>/out.
    let target = out
        .ancestors()
        .nth(4)
        .expect("OUT_DIR is inside the target directory");
    let cache = target.join("app-dist");
    let dist = cache.join("dist");
    let stamp = cache.join("inputs.hash");
    let hash = format!("{:016x}", hash_inputs(root));
    if fs::read_to_string(&stamp).ok().as_deref() == Some(hash.as_str())
        && dist.join("index.html").is_file()
    {
        return dist;
    }
    let staging = cache.join("staging");
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir_all(&cache)
        .unwrap_or_else(|e| fail(&format!("cannot create {}: {e}", cache.display())));

    // The inner cargo must not inherit the outer build's variables (the outer
    // profile, RUSTFLAGS for the host, clippy's wrapper), and it needs its own
    // target directory: the outer cargo holds the lock on ours.
    // Two pages, two bundles: the dashboard (index.html: campaigns,
    // overview, comparison) and word of mouth (word.html, served under
    // /word/: cascades, explorer, listening), so neither first load carries
    // the other's code.
    trunk(root, target, &staging, "app/index.html", "/");
    trunk(
        root,
        target,
        &staging.join("word"),
        "app/word.html",
        "/word/",
    );
    // No inline script may run under the CSP: trunk's loader moves into a file.
    externalize_loader(&staging.join("index.html"), "/");
    externalize_loader(&staging.join("word").join("index.html"), "/word/");
    static_pages(root, &staging);
    let _ = fs::remove_dir_all(&dist);
    fs::rename(&staging, &dist)
        .unwrap_or_else(|e| fail(&format!("cannot move the app build into place: {e}")));
    fs::write(&stamp, &hash)
        .unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", stamp.display())));
    dist
}

/// Runs `trunk build` of the page `page` into `dist`, served under `public_url`.
fn trunk(root: &Path, target: &Path, dist: &Path, page: &str, public_url: &str) {
    let mut cmd = Command::new("trunk");
    cmd.current_dir(root)
        .args(["build", "--release", "--offline", "--config"])
        .arg(root.join("Trunk.toml"))
        .arg("--dist")
        .arg(dist)
        .arg("--public-url")
        .arg(public_url)
        .arg(root.join(page))
        .env_clear()
        .env("CARGO_TARGET_DIR", target.join("app-wasm"))
        .env("NO_COLOR", "true");
    // binaryen's wasm-opt comes from npm (end2end/package.json); Debian's is
    // too old for current Rust output.
    let mut path = vec![root.join("end2end/node_modules/.bin")];
    path.extend(
        env::var_os("PATH")
            .map(|p| env::split_paths(&p).collect::<Vec<_>>())
            .unwrap_or_default(),
    );
    cmd.env(
        "PATH",
        env::join_paths(path).unwrap_or_else(|e| fail(&format!("bad PATH: {e}"))),
    );
    for keep in [
        "HOME",
        "CARGO_HOME",
        "RUSTUP_HOME",
        "RUSTUP_TOOLCHAIN",
        "TMPDIR",
        "USER",
        "LANG",
    ] {
        if let Some(v) = env::var_os(keep) {
            cmd.env(keep, v);
        }
    }
    let status = cmd.status().unwrap_or_else(|e| {
        fail(&format!(
            "cannot run trunk ({e}). Install the app toolchain with `.ci/test` or `.ci/start`, \
             or see README.md (trunk 0.21.14, wasm-bindgen-cli, binaryen), or set APP_DIST_DIR"
        ))
    });
    if !status.success() {
        fail(&format!(
            "trunk build of {page} failed ({status}); its output is above"
        ));
    }
}

/// Moves the inline `<script type="module">` trunk writes into `page` (the
/// loader that imports the bindings and starts the WebAssembly) into a
/// content-hashed file beside it, served under `public_url`, and points the
/// page at it: the Content-Security-Policy allows no inline script.
fn externalize_loader(page: &Path, public_url: &str) {
    let html = fs::read_to_string(page)
        .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", page.display())));
    let open = "<script type=\"module\">";
    let Some(start) = html.find(open) else {
        fail(&format!(
            "{} has no inline module script to move",
            page.display()
        ));
    };
    let body_start = start + open.len();
    let Some(len) = html[body_start..].find("</script>") else {
        fail(&format!(
            "{}: the loader script is not closed",
            page.display()
        ));
    };
    let script = &html[body_start..body_start + len];
    let mut h = DefaultHasher::new();
    h.write(script.as_bytes());
    let name = format!("boot-{:016x}.js", h.finish());
    let dir = page.parent().expect("a page lives in a folder");
    fs::write(dir.join(&name), script.trim())
        .unwrap_or_else(|e| fail(&format!("cannot write {name}: {e}")));
    let tag = format!("<script type=\"module\" src=\"{public_url}{name}\"></script>");
    let rewritten = format!(
        "{}{tag}{}",
        &html[..start],
        &html[body_start + len + "</script>".len()..]
    );
    if rewritten.contains("<script>") || rewritten.contains(open) {
        fail(&format!("{} still holds an inline script", page.display()));
    }
    fs::write(page, rewritten)
        .unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", page.display())));
}

/// Writes the pages without WebAssembly (`app/static/NAME.html` and its
/// script `NAME.js`: sign-in and settings) into `dist` as
/// `NAME/index.html`, with the dashboard's content-hashed stylesheet and
/// icon and a content-hashed copy of the script.
fn static_pages(root: &Path, dist: &Path) {
    let read = |p: &Path| {
        fs::read_to_string(p).unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", p.display())))
    };
    let index = read(&dist.join("index.html"));
    let links: Vec<&str> = index
        .split('<')
        .filter(|tag| {
            tag.starts_with("link rel=\"stylesheet\"") || tag.starts_with("link rel=\"icon\"")
        })
        .collect();
    if links.len() != 2 {
        fail("the dashboard's page has no stylesheet or icon link to share with the static pages");
    }
    let mut pages = Vec::new();
    collect_files(&root.join("app/static"), &mut pages);
    for page in pages
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
    {
        let stem = page
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let script = read(&page.with_extension("js"));
        let mut h = DefaultHasher::new();
        h.write(script.as_bytes());
        let name = format!("{stem}-{:016x}.js", h.finish());
        fs::write(dist.join(&name), &script)
            .unwrap_or_else(|e| fail(&format!("cannot write {name}: {e}")));
        let head = format!(
            "<{}\n    <{}\n    <script type=\"module\" src=\"/{name}\"></script>",
            links[0].trim_end(),
            links[1].trim_end()
        );
        let html = read(page).replace("@HEAD@", &head);
        if html.contains("<script>") || html.contains("style=") {
            fail(&format!(
                "{} holds an inline script or style",
                page.display()
            ));
        }
        let folder = dist.join(stem);
        fs::create_dir_all(&folder)
            .unwrap_or_else(|e| fail(&format!("cannot create {}: {e}", folder.display())));
        fs::write(folder.join("index.html"), html)
            .unwrap_or_else(|e| fail(&format!("cannot write the {stem} page: {e}")));
    }
}

fn hash_inputs(root: &Path) -> u64 {
    let mut files = Vec::new();
    for input in INPUTS {
        collect_files(&root.join(input), &mut files);
    }
    files.sort();
    let mut h = DefaultHasher::new();
    for f in files {
        h.write(
            f.strip_prefix(root)
                .unwrap_or(&f)
                .to_string_lossy()
                .as_bytes(),
        );
        h.write(&fs::read(&f).unwrap_or_default());
    }
    h.finish()
}

fn collect_files(path: &Path, files: &mut Vec<PathBuf>) {
    if path.is_dir() {
        for entry in fs::read_dir(path).into_iter().flatten().flatten() {
            collect_files(&entry.path(), files);
        }
    } else if path.is_file() {
        files.push(path.to_path_buf());
    }
}

/// Writes every file of `dist` with its gzip and brotli forms into OUT_DIR and
/// generates `assets.rs`, a table of `include_bytes!` entries.
fn embed(dist: &Path, out: &Path) {
    let mut files = Vec::new();
    collect_files(dist, &mut files);
    files.sort();
    let packed = out.join("assets");
    let _ = fs::remove_dir_all(&packed);
    fs::create_dir_all(&packed)
        .unwrap_or_else(|e| fail(&format!("cannot create {}: {e}", packed.display())));
    let mut table = String::from("&[\n");
    for (i, file) in files.iter().enumerate() {
        let rel = file
            .strip_prefix(dist)
            .expect("collected under dist")
            .to_string_lossy()
            .replace('\\', "/");
        let raw = fs::read(file)
            .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", file.display())));
        let gz = gzip(&raw);
        let br = brotli(&raw);
        let gz_path = packed.join(format!("{i}.gz"));
        let br_path = packed.join(format!("{i}.br"));
        fs::write(&gz_path, &gz)
            .unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", gz_path.display())));
        fs::write(&br_path, &br)
            .unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", br_path.display())));
        // Keep a compressed form only where it is smaller (images already are).
        let gz_expr = if gz.len() < raw.len() {
            format!("Some(include_bytes!({:?}))", gz_path)
        } else {
            "None".into()
        };
        let br_expr = if br.len() < raw.len() {
            format!("Some(include_bytes!({:?}))", br_path)
        } else {
            "None".into()
        };
        let _ = writeln!(
            table,
            "    Asset {{ path: {:?}, raw: include_bytes!({:?}), gzip: {gz_expr}, brotli: {br_expr} }},",
            format!("/{rel}"),
            file
        );
    }
    table.push(']');
    fs::write(out.join("assets.rs"), table)
        .unwrap_or_else(|e| fail(&format!("cannot write assets.rs: {e}")));
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(data).expect("writing to memory");
    enc.finish().expect("writing to memory")
}

fn brotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &data[..], &mut out, &params).expect("writing to memory");
    out
}

fn fail(msg: &str) -> ! {
    eprintln!("error: {msg}");
    std::process::exit(1);
}
