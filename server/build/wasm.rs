//! The browser app's WebAssembly, built offline with pinned tools: cargo for
//! wasm32, the wasm-split step (`wasm_split_cli_support`, pinned in
//! Cargo.lock) cutting the module at the app's lazy routes, wasm-bindgen
//! (the CLI must equal Cargo.lock's `wasm-bindgen`), binaryen's wasm-opt on
//! every piece and terser on the JavaScript (both from npm, pinned in
//! end2end/package.json).
//!
//! Every file written is content-hashed, so it can be cached as immutable.
//! The main module, its JavaScript glue and the split loader import one
//! another, so the three share one hash over their contents. The reports'
//! pages' module and the workers are built unsplit, each module hashed with
//! its glue.

use std::collections::{BTreeMap, hash_map::DefaultHasher};
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::{env, fs};

use super::fail;

/// wasm-opt's options for every module: size first, and the features
/// current Rust emits for wasm32 (binaryen must be told).
const WASM_OPT: &[&str] = &[
    "-Oz",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
    "--strip-debug",
    "--strip-producers",
    "--strip-target-features",
];

/// The binaryen release whose wasm-opt is known to keep Rust 1.95's modules
/// working (Debian's 108 silently breaks them).
const WASM_OPT_VERSION: &str = "version 132";

/// The terser release the JavaScript is minified with.
const TERSER_VERSION: &str = "terser 5.51.4";

/// The built app, as written into `dist` (URL paths, starting with `/`).
#[derive(Debug)]
pub struct Bundle {
    /// The JavaScript glue of the main module.
    pub main_js: String,
    /// The main module.
    pub main_wasm: String,
    /// The split loader the glue imports (none when built without splitting).
    pub loader_js: Option<String>,
    /// Each split (a lazy route's name, e.g. `overview`) with the chunks it
    /// needs, in load order; empty when built without splitting.
    pub splits: BTreeMap<String, Vec<String>>,
    /// The reports' module (`app/src/bin/reports.rs`), never split.
    pub reports: Module,
}

/// A module of its own pages, and its JavaScript glue (URL paths).
#[derive(Debug)]
pub struct Module {
    pub js: String,
    pub wasm: String,
}

/// Builds the app into `dist`. `work` is scratch space; `target` is the
/// inner cargo's target directory.
pub fn build(root: &Path, target: &Path, work: &Path, dist: &Path, split: bool) -> Bundle {
    let wasm_bindgen = check_wasm_bindgen(root);
    let wasm_opt = npm_tool(root, "wasm-opt", WASM_OPT_VERSION);
    let tools = Tools {
        wasm_bindgen: &wasm_bindgen,
        wasm_opt: &wasm_opt,
        terser: &npm_tool(root, "terser", TERSER_VERSION),
    };
    let _ = fs::remove_dir_all(work);
    for dir in [work, dist] {
        fs::create_dir_all(dir)
            .unwrap_or_else(|e| fail(&format!("cannot create {}: {e}", dir.display())));
    }
    cargo_build(root, target, "app", split);
    // The worker is built without the split points: each is an exported
    // function, and would pull every page's code into the worker.
    cargo_build(root, target, "engine_worker", false);
    // The report builder's worker: the report's drawing, in a module of its
    // own so that it shares no chunk with the pages (app/src/bin/report_worker.rs).
    cargo_build(root, target, "report_worker", false);
    // The reports' pages: their module shares nothing with the dashboard's.
    cargo_build(root, target, "reports", false);
    let built = target.join("wasm32-unknown-unknown/wasm-release");

    for name in ["engine_worker", "report_worker"] {
        worker(
            &built.join(format!("{name}.wasm")),
            name,
            work,
            dist,
            &tools,
        );
    }
    // The reports' pages' module: an ES module, like the app's.
    let reports = standalone(
        &built.join("reports.wasm"),
        "reports",
        "web",
        work,
        dist,
        &tools,
    );
    main_module(&built.join("app.wasm"), work, dist, split, &tools, reports)
}

/// The tools of the build, found and checked.
struct Tools<'a> {
    wasm_bindgen: &'a Path,
    wasm_opt: &'a Path,
    terser: &'a Path,
}

/// Splits (when asked), binds and optimises the app's module: the bundle,
/// with the `reports` module built beside it.
fn main_module(
    input: &Path,
    work: &Path,
    dist: &Path,
    split: bool,
    tools: &Tools,
    reports: Module,
) -> Bundle {
    const MAIN_JS: &str = "./app.js";
    const LOADER: &str = "./__wasm_split.js";
    let split_dir = work.join("split");
    let bindgen_in = if split {
        let wasm = fs::read(input)
            .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", input.display())));
        let main_out = split_dir.join("app.wasm");
        let result = wasm_split_cli_support::transform({
            let mut opts = wasm_split_cli_support::Options::new(&wasm);
            opts.output_dir = &split_dir;
            opts.main_out_path = &main_out;
            opts.main_module = MAIN_JS;
            opts.link_name = LOADER;
            opts
        })
        .unwrap_or_else(|e| fail(&format!("wasm-split of {} failed: {e:?}", input.display())));
        Some((main_out, result.prefetch_map))
    } else {
        None
    };
    let bindgen_dir = work.join("bindgen");
    // The chunks link against the main module's own exports.
    let keep: &[&str] = if split {
        &["--keep-lld-exports", "--no-demangle"]
    } else {
        &[]
    };
    let main_wasm = bindgen(
        tools,
        bindgen_in.as_ref().map_or(input, |(p, _)| p),
        &bindgen_dir,
        "web",
        "app",
        keep,
    );

    // Chunks reference nothing by name: each gets its own hash.
    let mut renamed = BTreeMap::new();
    let mut splits = BTreeMap::new();
    if let Some((_, prefetch)) = &bindgen_in {
        for (name, stems) in prefetch {
            let mut files = Vec::new();
            for stem in stems {
                let file = renamed
                    .entry(stem.clone())
                    .or_insert_with(|| {
                        let path = split_dir.join(format!("{stem}.wasm"));
                        optimise(tools.wasm_opt, &path);
                        let bytes = read(&path);
                        let file = format!("{stem}-{:016x}.wasm", hash(&[&bytes]));
                        write(&dist.join(&file), &bytes);
                        file
                    })
                    .clone();
                files.push(format!("/{file}"));
            }
            splits.insert(name.clone(), files);
        }
    }

    // The glue, the module and the loader import one another: one hash.
    let mut glue = String::from_utf8(read(&bindgen_dir.join("app.js")))
        .unwrap_or_else(|_| fail("wasm-bindgen wrote a glue file that is not UTF-8"));
    let wasm = read(&main_wasm);
    let mut loader = if split {
        let mut js = String::from_utf8(read(&split_dir.join(LOADER)))
            .unwrap_or_else(|_| fail("wasm-split wrote a loader that is not UTF-8"));
        for (stem, file) in &renamed {
            js = replace_once(&js, &format!("\"./{stem}.wasm\""), &format!("\"./{file}\""));
        }
        Some(js)
    } else {
        None
    };
    let group = format!(
        "{:016x}",
        hash(&[
            glue.as_bytes(),
            &wasm,
            loader.as_deref().unwrap_or("").as_bytes()
        ])
    );
    let main_js = format!("app-{group}.js");
    let loader_name = format!("split-{group}.js");
    if let Some(js) = &mut loader {
        let name = &loader_name;
        *js = replace_once(
            js,
            &format!("from \"{MAIN_JS}\""),
            &format!("from \"./{main_js}\""),
        );
        // wasm-bindgen imports the loader once per function it provides.
        glue = replace_all(
            &glue,
            &format!("from \"{LOADER}\""),
            &format!("from \"./{name}\""),
        );
        write(&dist.join(name), &minify(tools.terser, js, true));
    }
    let loader_js = loader.is_some().then(|| format!("/{loader_name}"));
    let main_wasm = format!("app-{group}_bg.wasm");
    write(&dist.join(&main_js), &minify(tools.terser, &glue, true));
    write(&dist.join(&main_wasm), &wasm);
    Bundle {
        main_js: format!("/{main_js}"),
        main_wasm: format!("/{main_wasm}"),
        loader_js,
        splits,
        reports,
    }
}

/// A Web Worker `name` (the engine's, the report builder's): a classic
/// worker script (wasm-bindgen's `no-modules` target) behind a loader with
/// the fixed name the app knows (`/{name}_loader.js`: `app/src/engine.rs`,
/// `app/src/pages/report_builder/preview.rs`), which loads the
/// content-hashed files.
fn worker(input: &Path, name: &str, work: &Path, dist: &Path, tools: &Tools) {
    let built = standalone(input, name, "no-modules", work, dist, tools);
    write(
        &dist.join(format!("{name}_loader.js")),
        format!(
            "importScripts(\"{}\");\nwasm_bindgen(\"{}\");\n",
            built.js, built.wasm
        )
        .as_bytes(),
    );
}

/// An unsplit module `name` bound for wasm-bindgen's `target` (`web`: an ES
/// module; `no-modules`: a classic script), optimised and minified, its
/// glue and module content-hashed together into `dist`.
fn standalone(
    input: &Path,
    name: &str,
    target: &str,
    work: &Path,
    dist: &Path,
    tools: &Tools,
) -> Module {
    let dir = work.join(name);
    let wasm_path = bindgen(tools, input, &dir, target, name, &[]);
    let glue = String::from_utf8(read(&dir.join(format!("{name}.js")))).unwrap_or_else(|_| {
        fail(&format!(
            "wasm-bindgen wrote a script of {name} that is not UTF-8"
        ))
    });
    let js = minify(tools.terser, &glue, target == "web");
    let wasm = read(&wasm_path);
    let h = format!("{:016x}", hash(&[&js, &wasm]));
    let (js_name, wasm_name) = (format!("{name}-{h}.js"), format!("{name}-{h}_bg.wasm"));
    write(&dist.join(&js_name), &js);
    write(&dist.join(&wasm_name), &wasm);
    Module {
        js: format!("/{js_name}"),
        wasm: format!("/{wasm_name}"),
    }
}

/// wasm-bindgen of `input` into `dir` as `name.js` and `name_bg.wasm` for
/// `target`, the module then optimised; returns the module's path.
fn bindgen(
    tools: &Tools,
    input: &Path,
    dir: &Path,
    target: &str,
    name: &str,
    extra: &[&str],
) -> PathBuf {
    let mut cmd = Command::new(tools.wasm_bindgen);
    cmd.args([
        "--target",
        target,
        "--no-typescript",
        "--out-name",
        name,
        "--out-dir",
    ])
    .arg(dir)
    .args(extra)
    .arg(input);
    run(&mut cmd, &format!("wasm-bindgen of {name}"));
    let wasm = dir.join(format!("{name}_bg.wasm"));
    optimise(tools.wasm_opt, &wasm);
    wasm
}

/// `cargo build` of the app's binary `bin` for wasm32, unstripped and with
/// relocations kept (`.cargo/config.toml`): what wasm-split reads.
fn cargo_build(root: &Path, target: &Path, bin: &str, split: bool) {
    let mut cmd = Command::new("cargo");
    cmd.current_dir(root)
        .args([
            "build",
            "--offline",
            "--locked",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm-release",
            "-p",
            "app",
            "--bin",
            bin,
        ])
        .env_clear()
        .env("CARGO_TARGET_DIR", target)
        .env("NO_COLOR", "true");
    if split {
        cmd.args(["--features", "split"]);
    }
    // Panic locations name source files: without the machine's path to the
    // registry, they are shorter (and the same on every machine).
    let flags: Vec<String> = path_remaps()
        .iter()
        .map(|from| format!("\"--remap-path-prefix={from}=\""))
        .collect();
    cmd.arg("--config").arg(format!(
        "target.wasm32-unknown-unknown.rustflags=[{}]",
        flags.join(",")
    ));
    keep_env(&mut cmd);
    run(&mut cmd, &format!("cargo build of {bin} for wasm32"));
}

/// The registry's source folders, and the toolchain's source path (for the
/// standard library's generic code instantiated in the app; its built code
/// keeps its own paths).
fn path_remaps() -> Vec<String> {
    let mut from = Vec::new();
    let cargo_home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    if let Some(home) = cargo_home {
        for entry in fs::read_dir(home.join("registry/src"))
            .into_iter()
            .flatten()
            .flatten()
        {
            from.push(format!("{}/", entry.path().display()));
        }
    }
    let version = Command::new("rustc")
        .arg("-vV")
        .output()
        .map(|o| o.stdout)
        .unwrap_or_default();
    if let Some(hash) = String::from_utf8_lossy(&version)
        .lines()
        .find_map(|l| l.strip_prefix("commit-hash: "))
    {
        from.push(format!("/rustc/{}/", hash.trim()));
    }
    from.retain(|p| !p.contains(['"', '\\', '=']));
    from
}

/// The environment the inner tools need, and nothing of the outer build's
/// (its profile, RUSTFLAGS for the host, clippy's wrapper).
fn keep_env(cmd: &mut Command) {
    for keep in [
        "PATH",
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
}

fn check_wasm_bindgen(root: &Path) -> PathBuf {
    let lock = fs::read_to_string(root.join("Cargo.lock")).unwrap_or_default();
    let locked = lock
        .split("[[package]]")
        .find(|p| p.contains("\nname = \"wasm-bindgen\"\n"))
        .and_then(|p| p.split("version = \"").nth(1))
        .and_then(|v| v.split('"').next())
        .unwrap_or_else(|| fail("Cargo.lock pins no wasm-bindgen"))
        .to_string();
    let tool = PathBuf::from("wasm-bindgen");
    let found = version_of(&tool);
    if found.trim() != format!("wasm-bindgen {locked}") {
        fail(&format!(
            "wasm-bindgen-cli {locked} is needed (Cargo.lock's wasm-bindgen), found {:?}: \
             `cargo install wasm-bindgen-cli --version {locked} --force`, or run `.ci/test` / `.ci/start`",
            found.trim()
        ));
    }
    tool
}

/// `end2end/node_modules/.bin/NAME`, which must say `version` when asked.
fn npm_tool(root: &Path, name: &str, version: &str) -> PathBuf {
    let tool = root.join("end2end/node_modules/.bin").join(name);
    let found = version_of(&tool);
    if !found.contains(version) {
        fail(&format!(
            "{} is not {version} (found {:?}): run `npm ci` in end2end/, or `.ci/test` / `.ci/start`",
            tool.display(),
            found.trim()
        ));
    }
    tool
}

/// `js` minified by terser (as an ES module when `module`).
fn minify(terser: &Path, js: &str, module: bool) -> Vec<u8> {
    let dir = std::env::temp_dir().join(format!("wom-terser-{}", std::process::id()));
    let _ = fs::create_dir_all(&dir);
    let input = dir.join(format!("{:016x}.js", hash(&[js.as_bytes()])));
    write(&input, js.as_bytes());
    let mut cmd = Command::new(terser);
    cmd.arg(&input).args(["--compress", "--mangle"]);
    if module {
        cmd.arg("--module");
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| fail(&format!("cannot start terser ({e})")));
    let _ = fs::remove_file(&input);
    if !out.status.success() || out.stdout.is_empty() {
        fail(&format!(
            "terser failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    out.stdout
}

fn version_of(tool: &Path) -> String {
    Command::new(tool)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default()
}

fn optimise(wasm_opt: &Path, file: &Path) {
    let mut cmd = Command::new(wasm_opt);
    cmd.args(WASM_OPT).arg(file).arg("-o").arg(file);
    run(&mut cmd, &format!("wasm-opt of {}", file.display()));
    write(file, &without_custom_sections(&read(file), file));
}

/// `module` without its custom sections: wasm-opt keeps the linker's
/// (`linking`, `reloc.*`, which `--emit-relocs` asks for and only wasm-split
/// reads) and wasm-split's marker; no browser needs any of them.
fn without_custom_sections(module: &[u8], file: &Path) -> Vec<u8> {
    fn leb(bytes: &[u8], at: &mut usize) -> Option<usize> {
        let (mut value, mut shift) = (0usize, 0);
        loop {
            let byte = *bytes.get(*at)?;
            *at += 1;
            value |= usize::from(byte & 0x7f).checked_shl(shift)?;
            if byte < 0x80 {
                return Some(value);
            }
            shift += 7;
        }
    }
    let bad = || {
        fail(&format!(
            "{} is not a WebAssembly module wasm-opt could have written",
            file.display()
        ))
    };
    if module.len() < 8 || &module[..4] != b"\0asm" {
        bad();
    }
    let mut out = module[..8].to_vec();
    let mut at = 8;
    while at < module.len() {
        let start = at;
        let id = module[at];
        at += 1;
        let len = leb(module, &mut at).unwrap_or_else(bad);
        let end = at
            .checked_add(len)
            .filter(|&e| e <= module.len())
            .unwrap_or_else(bad);
        if id != 0 {
            out.extend_from_slice(&module[start..end]);
        }
        at = end;
    }
    out
}

fn run(cmd: &mut Command, what: &str) {
    let status = cmd
        .status()
        .unwrap_or_else(|e| fail(&format!("cannot start {what} ({e}); install the app's tools with `.ci/test` or `.ci/start`, or set APP_DIST_DIR")));
    if !status.success() {
        fail(&format!("{what} failed ({status}); its output is above"));
    }
}

/// `text` with its one occurrence of `from` replaced: a tool's output that
/// no longer has the shape this build expects must stop the build.
fn replace_once(text: &str, from: &str, to: &str) -> String {
    match text.matches(from).count() {
        1 => text.replacen(from, to, 1),
        n => fail(&format!(
            "expected {from:?} once in a generated file, found it {n} times"
        )),
    }
}

/// `text` with every occurrence (at least one) of `from` replaced.
fn replace_all(text: &str, from: &str, to: &str) -> String {
    if !text.contains(from) {
        fail(&format!("expected {from:?} in a generated file"));
    }
    text.replace(from, to)
}

pub fn hash(parts: &[&[u8]]) -> u64 {
    let mut h = DefaultHasher::new();
    for part in parts {
        h.write(part);
    }
    h.finish()
}

pub fn read(path: &Path) -> Vec<u8> {
    fs::read(path).unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", path.display())))
}

pub fn write(path: &Path, bytes: &[u8]) {
    fs::write(path, bytes)
        .unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", path.display())))
}
