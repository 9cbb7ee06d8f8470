//! Builds the browser app (`build/wasm.rs`: cargo, wasm-split, wasm-bindgen,
//! wasm-opt; `build/pages.rs`: the HTML of every entry page) and embeds it,
//! so that `cargo build -p server` (or `cargo install --path server`) alone
//! yields the complete binary.
//!
//! The app is rebuilt only when one of its inputs changed: their contents are
//! hashed and the built `dist/` is cached beside the target directory, shared
//! by every profile (clippy, tests and release builds reuse one app build).
//! Every file is precompressed here (gzip and brotli at their best levels),
//! so serving costs no CPU. Set `APP_DIST_DIR` to embed an already built
//! `dist/` instead of building the app, and `WOM_UNSPLIT=1` to build it as
//! one module (no route-level code splitting: to bisect a split regression).

#[path = "build/pages.rs"]
mod pages;
#[path = "build/wasm.rs"]
mod wasm;

use std::collections::hash_map::DefaultHasher;
use std::fmt::Write as _;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::{env, fs};

/// Inputs of the app build, relative to the workspace root.
const INPUTS: &[&str] = &[
    "app/Cargo.toml",
    "app/index.html",
    "app/static",
    "app/src",
    "app/analytics/Cargo.toml",
    "app/analytics/src",
    "app/charts/Cargo.toml",
    "app/charts/src",
    "app/raster/Cargo.toml",
    "app/raster/src",
    "app/i18n/Cargo.toml",
    "app/i18n/src",
    "app/report/Cargo.toml",
    "app/report/src",
    "style",
    "public",
    ".cargo/config.toml",
    "Cargo.toml",
    "Cargo.lock",
    "server/build.rs",
    "server/build",
    "end2end/package-lock.json",
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
    println!("cargo:rerun-if-env-changed=WOM_UNSPLIT");
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
    embed(&dist, &out, &compression_cache(&out));
}

/// Where compressed forms are kept between builds, by content hash: zopfli
/// takes seconds per megabyte, and most files do not change between builds.
fn compression_cache(out: &Path) -> PathBuf {
    out.ancestors()
        .nth(4)
        .expect("OUT_DIR is inside the target directory")
        .join("app-dist/compressed")
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
    let unsplit = env::var("WOM_UNSPLIT").unwrap_or_default();
    let hash = format!("{:016x}{unsplit}", hash_inputs(root));
    if fs::read_to_string(&stamp).ok().as_deref() == Some(hash.as_str())
        && dist.join("index.html").is_file()
    {
        return dist;
    }
    let staging = cache.join("staging");
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir_all(&cache)
        .unwrap_or_else(|e| fail(&format!("cannot create {}: {e}", cache.display())));

    // The inner cargo needs its own target directory: the outer cargo
    // holds the lock on ours.
    let split = env::var_os("WOM_UNSPLIT").is_none_or(|v| v.is_empty() || v == "0");
    let bundle = wasm::build(
        root,
        &target.join("app-wasm"),
        &cache.join("work"),
        &staging,
        split,
    );
    pages::write_all(root, &staging, &bundle);
    let _ = fs::remove_dir_all(&dist);
    fs::rename(&staging, &dist)
        .unwrap_or_else(|e| fail(&format!("cannot move the app build into place: {e}")));
    fs::write(&stamp, &hash)
        .unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", stamp.display())));
    dist
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
fn embed(dist: &Path, out: &Path, cache: &Path) {
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
        let key = format!("{:016x}-{}", wasm::hash(&[&raw]), raw.len());
        // A WOFF2 font is compressed already (and zopfli would take a
        // minute over the 2 MB face): served as it is.
        let packed_already = rel.ends_with(".woff2");
        let gz = if packed_already {
            raw.clone()
        } else {
            cached(cache, &format!("{key}.gz"), || gzip(&raw))
        };
        let br = if packed_already {
            raw.clone()
        } else {
            cached(cache, &format!("{key}.br"), || brotli(&raw))
        };
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

/// The content of `cache/name`, computed by `make` and kept when missing.
fn cached(cache: &Path, name: &str, make: impl FnOnce() -> Vec<u8>) -> Vec<u8> {
    let path = cache.join(name);
    if let Ok(bytes) = fs::read(&path) {
        return bytes;
    }
    let bytes = make();
    // A cache that cannot be written costs time, not correctness.
    let _ = fs::create_dir_all(cache).and_then(|_| fs::write(&path, &bytes));
    bytes
}

/// Gzip as small as the format allows (zopfli): every browser reads it, and
/// it is what the first-load budget counts.
fn gzip(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    zopfli::compress(
        zopfli::Options::default(),
        zopfli::Format::Gzip,
        data,
        &mut out,
    )
    .expect("writing to memory");
    out
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
