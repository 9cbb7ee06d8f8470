//! Runs the parsed command line. Every failure ends here as one line on
//! stderr (`error: what: why`) and a non-zero exit status; nothing panics on
//! bad input.

use crate::cascade;
use crate::config::{
    ApiKeyCommand, BrandCommand, CampaignCommand, CascadeCommand, Cli, Command, ImportArgs,
    ImportFormat, MemberCommand, ServeArgs, UserCommand, WorkspaceCommand,
};
use crate::db::Db;
use crate::db::NewCampaign;
use crate::demo;
use crate::http;
use crate::import;
use anyhow::Context;
use std::process::ExitCode;
use std::time::Instant;

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse_checked();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", one_line(&e));
            ExitCode::FAILURE
        }
    }
}

/// An error and its causes on one line, each cause once: many errors
/// (sqlx's among them) already print their source in their own message.
fn one_line(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let msg = cause.to_string();
        if out.contains(&msg) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&msg);
    }
    out
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match &cli.command {
        Some(Command::Serve(_)) | None => {
            serve(
                &cli.database_url,
                cli.public_url.as_deref(),
                cli.serve_args().clone(),
            )
            .await
        }
        Some(Command::User(command)) => {
            let db = Db::open(&cli.database_url).await?;
            user_command(&db, &public_base(cli.public_url.as_deref())?, command).await
        }
        Some(Command::Member(command)) => {
            let db = Db::open(&cli.database_url).await?;
            member_command(&db, command).await
        }
        Some(Command::Cascade(command)) => {
            let stdout = std::io::stdout();
            let (args, output) = match command {
                CascadeCommand::Metrics(a) => (a, cascade::Output::MetricsCsv),
                CascadeCommand::Layout(a) => (a, cascade::Output::LayoutJson),
                CascadeCommand::EvaluatePrediction(a) => {
                    return cascade::evaluate_prediction(
                        a,
                        &mut stdout.lock(),
                        &mut std::io::stderr(),
                    );
                }
                CascadeCommand::FitPrediction(a) => {
                    return cascade::fit_prediction(a, &mut stdout.lock(), &mut std::io::stderr());
                }
            };
            if let (Some(workspace), Some(campaign)) = (&args.workspace, args.campaign) {
                if output != cascade::Output::MetricsCsv {
                    anyhow::bail!(
                        "stored cascades can be read by `cascade metrics` only; export files for the others"
                    );
                }
                let db = Db::open(&cli.database_url).await?;
                return cascade::stored_metrics(&db, workspace, campaign, &mut stdout.lock()).await;
            }
            let failed = cascade::run(args, output, &mut stdout.lock(), &mut std::io::stderr())?;
            if failed > 0 {
                anyhow::bail!("{failed} file(s) could not be read or parsed (named above)");
            }
            Ok(())
        }
        Some(Command::Workspace(command)) => {
            let db = Db::open(&cli.database_url).await?;
            match command {
                WorkspaceCommand::Create {
                    slug,
                    name,
                    timezone,
                } => {
                    let ws = db.create_workspace(slug, name, timezone).await?;
                    println!(
                        "created workspace {} ({}, {})",
                        ws.slug, ws.name, ws.timezone
                    );
                }
                WorkspaceCommand::List => {
                    for ws in db.list_workspaces().await? {
                        println!("{}\t{}\t{}", ws.slug, ws.name, ws.timezone);
                    }
                }
            }
            Ok(())
        }
        Some(Command::ApiKey(command)) => {
            let db = Db::open(&cli.database_url).await?;
            match command {
                ApiKeyCommand::Create {
                    workspace,
                    name,
                    scope,
                } => {
                    let scopes = crate::access::Scopes::parse(scope)
                        .map_err(|e| anyhow::anyhow!("--scope: {e}"))?;
                    let (id, key) = db.create_api_key(workspace, name, scopes).await?;
                    println!(
                        "API key {id} for workspace {workspace} (scopes {}); it is shown only now, store it safely:",
                        scopes.to_text()
                    );
                    println!("{key}");
                }
                ApiKeyCommand::List { workspace } => {
                    println!("id\tprefix\tname\tscopes\tcreated\tlast used\tstatus");
                    for k in db.list_api_keys(workspace).await? {
                        let status = if k.revoked_at.is_some() {
                            "revoked"
                        } else {
                            "active"
                        };
                        println!(
                            "{}\twom_{}…\t{}\t{}\t{}\t{}\t{status}",
                            k.id,
                            k.prefix,
                            k.name,
                            k.scopes.to_text(),
                            when(Some(k.created_at)),
                            when(k.last_used_at)
                        );
                    }
                }
                ApiKeyCommand::Revoke { workspace, key } => {
                    let k = db.revoke_api_key(workspace, key).await?;
                    println!(
                        "revoked key {} (wom_{}…) of workspace {workspace}",
                        k.id, k.prefix
                    );
                }
            }
            Ok(())
        }
        Some(Command::Brand(BrandCommand::Create {
            workspace,
            name,
            competitor,
            keywords,
        })) => {
            let db = Db::open(&cli.database_url).await?;
            let brand = db
                .create_brand(workspace, name, *competitor, keywords)
                .await?;
            println!(
                "created {} {} ({})",
                if brand.competitor {
                    "competitor"
                } else {
                    "brand"
                },
                brand.name,
                if brand.keywords.is_empty() {
                    "no keywords".to_string()
                } else {
                    brand.keywords.join(", ")
                }
            );
            println!("{}", brand.id);
            Ok(())
        }
        Some(Command::Brand(BrandCommand::List { workspace })) => {
            let db = Db::open(&cli.database_url).await?;
            db.workspace(workspace).await?;
            for b in db.list_brands(Some(workspace)).await? {
                println!(
                    "{}\t{}\t{}\t{}",
                    b.id,
                    b.name,
                    if b.competitor { "competitor" } else { "client" },
                    b.keywords.join(",")
                );
            }
            Ok(())
        }
        Some(Command::Campaign(CampaignCommand::Create {
            workspace,
            brand,
            competitor,
            name,
            start,
            end,
            budget,
            currency,
            channels,
            keywords,
        })) => {
            let db = Db::open(&cli.database_url).await?;
            let id = db
                .create_campaign(&NewCampaign {
                    workspace: workspace.clone(),
                    brand: brand.clone(),
                    competitor: *competitor,
                    name: name.clone(),
                    start: start.clone(),
                    end: end.clone(),
                    budget: budget.clone(),
                    currency: currency.clone(),
                    channels: channels.clone(),
                    keywords: keywords.clone(),
                })
                .await?;
            println!("created campaign {id}");
            println!("{id}");
            Ok(())
        }
        Some(Command::Import(args)) => import_files(&cli.database_url, args).await,
        Some(Command::Report(command)) => crate::report::cli::run(&cli.database_url, command).await,
    }
}

/// A Unix time as UTC `YYYY-MM-DD HH:MM`, or `never`.
fn when(t: Option<i64>) -> String {
    t.and_then(|t| chrono::DateTime::from_timestamp(t, 0))
        .map_or_else(
            || "never".into(),
            |d| d.format("%Y-%m-%d %H:%M").to_string(),
        )
}

/// Where printed links point: `--public-url`, else the default address.
fn public_base(public_url: Option<&str>) -> anyhow::Result<String> {
    match public_url {
        Some(url) => {
            http::HttpConfig::for_public_url(url)
                .map_err(|e| anyhow::anyhow!("--public-url: {e}"))?;
            Ok(url.trim_end_matches('/').to_string())
        }
        None => Ok("http://127.0.0.1:3000".into()),
    }
}

/// A one-time sign-in link: the secret in the fragment, which the browser
/// never sends to the server (so it is in no request line, log or Referer).
fn sign_in_url(base: &str, secret: &str) -> String {
    format!("{base}/sign-in#signin={secret}")
}

async fn user_command(db: &Db, base: &str, command: &UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Create {
            email,
            name,
            password_stdin,
        } => {
            let hash = if *password_stdin {
                let mut line = String::new();
                std::io::stdin()
                    .read_line(&mut line)
                    .context("cannot read the password from standard input")?;
                let password = line.strip_suffix('\n').unwrap_or(&line);
                let password = password.strip_suffix('\r').unwrap_or(password).to_string();
                Some(
                    tokio::task::spawn_blocking(move || crate::access::hash_password(&password))
                        .await
                        .context("password hashing failed")?
                        .context("the password from standard input")?,
                )
            } else {
                None
            };
            let user = db.create_user(email, name, hash.as_deref()).await?;
            println!("created user {} ({})", user.email, user.name);
            if hash.is_none() {
                let secret = db.create_sign_in_link(user.id).await?;
                println!("one-time sign-in link (valid 24 hours; then set a password):");
                println!("{}", sign_in_url(base, &secret));
            }
        }
        UserCommand::List => {
            for u in db.list_users().await? {
                let status = match (u.disabled, u.has_password) {
                    (true, _) => "disabled",
                    (false, true) => "active",
                    (false, false) => "no password yet",
                };
                println!(
                    "{}\t{}\t{status}\t{}",
                    u.email,
                    u.name,
                    when(Some(u.created_at))
                );
            }
        }
        UserCommand::ResetPassword { email } => {
            let user = db.require_user(email).await?;
            if user.disabled {
                anyhow::bail!("user {} is disabled", user.email);
            }
            let secret = db.create_sign_in_link(user.id).await?;
            println!(
                "one-time sign-in link for {} (valid 24 hours; signed in, set a new password):",
                user.email
            );
            println!("{}", sign_in_url(base, &secret));
        }
        UserCommand::Disable { email } => {
            let user = db.disable_user(email).await?;
            println!("disabled {}: every session ended", user.email);
        }
    }
    Ok(())
}

async fn member_command(db: &Db, command: &MemberCommand) -> anyhow::Result<()> {
    match command {
        MemberCommand::Add {
            workspace,
            email,
            role,
            brand,
        } => {
            let r = crate::access::Role::parse(role)
                .ok_or_else(|| crate::db::access::AccessError::BadRole(role.clone()))?;
            let m = db.add_member(workspace, email, r, *brand).await?;
            println!(
                "{} is now {} of workspace {workspace}{}",
                m.email,
                m.role.as_str(),
                m.brand_id
                    .map(|b| format!(" (brand {b})"))
                    .unwrap_or_default()
            );
        }
        MemberCommand::List { workspace } => {
            for m in db.list_members(workspace).await? {
                println!(
                    "{}\t{}\t{}\t{}",
                    m.email,
                    m.name,
                    m.role.as_str(),
                    m.brand_id.map(|b| b.to_string()).unwrap_or_default()
                );
            }
        }
        MemberCommand::Remove { workspace, email } => {
            db.remove_member(workspace, email).await?;
            println!("removed {email} from workspace {workspace}");
        }
    }
    Ok(())
}

/// Reports (done, total) on a progress bar.
fn progress_to(bar: &indicatif::ProgressBar) -> impl FnMut(u64, u64) + '_ {
    move |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    }
}

async fn import_files(database_url: &str, args: &ImportArgs) -> anyhow::Result<()> {
    let db = Db::open(database_url).await?;
    let bar = indicatif::ProgressBar::new(0).with_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg} {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    if args.format != ImportFormat::Twitter15 {
        bar.set_message("bytes");
        let csv = args.format == ImportFormat::Csv;
        let s = import::import_events(
            &db,
            &args.workspace,
            args.campaign,
            csv,
            args.strict,
            &args.paths,
            progress_to(&bar),
        )
        .await?;
        bar.finish_and_clear();
        for (file, reason) in &s.unreadable {
            eprintln!("{}: {reason}", file.display());
        }
        for (file, e) in s.rejected.iter().take(50) {
            let field = if e.field.is_empty() {
                String::new()
            } else {
                format!(" {}:", e.field)
            };
            eprintln!("{}: line {}:{field} {}", file.display(), e.line, e.reason);
        }
        if s.rejected.len() > 50 {
            eprintln!("… and {} more rejected lines", s.rejected.len() - 50);
        }
        println!(
            "imported {} files: {} events stored, {} duplicates skipped, {} lines rejected{}",
            s.files,
            s.stored,
            s.duplicates,
            s.rejected.len(),
            if args.strict {
                " (--strict: a file with any rejected line stored nothing)"
            } else {
                ""
            }
        );
        if !s.rejected.is_empty() || !s.unreadable.is_empty() {
            anyhow::bail!(
                "{} line(s) rejected, {} file(s) unreadable (named above)",
                s.rejected.len(),
                s.unreadable.len()
            );
        }
        return Ok(());
    }
    bar.set_message("files");
    let s = import::import_twitter15(
        &db,
        &args.workspace,
        args.campaign,
        &args.paths,
        progress_to(&bar),
    )
    .await?;
    bar.finish_and_clear();
    for (file, reason) in &s.rejected {
        eprintln!("{}: {reason}", file.display());
    }
    for c in &s.conflict_examples {
        eprintln!("conflict: {c}");
    }
    let r = &s.repairs;
    println!(
        "imported {} trees from {} files: {} posts stored, {} duplicates skipped, {} conflicts, {} labels",
        s.trees, s.files, s.stored, s.duplicates, s.conflicts, s.labels
    );
    println!(
        "trees repaired: {} duplicate lines, {} self-loops, {} edges into the root, {} extra parents, \
         {} unreachable nodes dropped; {} nodes timed before the root, {} before their parent",
        s.dup_lines,
        r.self_loops,
        r.edges_into_root,
        r.extra_parents,
        r.unreachable,
        r.before_root,
        r.before_parent
    );
    if !s.rejected.is_empty() || s.conflicts > 0 {
        anyhow::bail!(
            "{} file(s) rejected and {} conflict(s) (named above)",
            s.rejected.len(),
            s.conflicts
        );
    }
    Ok(())
}

async fn serve(
    database_url: &str,
    public_url: Option<&str>,
    args: ServeArgs,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let config = match public_url {
        Some(url) => http::HttpConfig::for_public_url(url)
            .map_err(|e| anyhow::anyhow!("--public-url: {e}"))?,
        None => http::HttpConfig::default(),
    };
    // Bind first: a port in use is reported before any slow work.
    let listener = tokio::net::TcpListener::bind(&args.addr)
        .await
        .with_context(|| format!("cannot listen on {}", args.addr))?;
    let db = Db::open(database_url).await?;
    if args.demo {
        let loaded = demo::load::load_if_absent(&db, args.demo_size)
            .await
            .context("cannot load the demo workspace")?;
        match loaded {
            Some(stats) => tracing::info!(
                events = stats.events,
                secs = stats.seconds,
                "loaded the demo workspace"
            ),
            None => tracing::info!("the demo workspace is already loaded"),
        }
        if demo::load::load_second_agency(&db)
            .await
            .context("cannot load the second demo agency")?
        {
            tracing::info!("loaded the second demo agency");
        }
        if demo::load::load_reports(&db)
            .await
            .context("cannot save the demo's reports")?
        {
            tracing::info!("saved the demo's reports");
        }
    }
    let local = listener
        .local_addr()
        .context("cannot read the listening address")?;
    // The sign-in secret goes to standard output only, in the URL's
    // fragment: never into the log, a request line or a Referer.
    let link = if args.demo {
        let secret = demo::load::demo_sign_in_link(&db)
            .await
            .context("cannot make the demo's sign-in link")?;
        format!("sign-in#signin={secret}")
    } else {
        String::new()
    };
    let base = match public_url {
        Some(url) => url.trim_end_matches('/').to_string(),
        None => format!("http://{local}"),
    };
    let app = http::app(http::AppState::with_config(db, config))
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    println!("Dashboard: {base}/{link}");
    tracing::info!(
        ready_ms = started.elapsed().as_millis() as u64,
        "listening on {local}"
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("the server stopped")
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
