//! Runs the parsed command line. Every failure ends here as one line on
//! stderr (`error: what: why`) and a non-zero exit status; nothing panics on
//! bad input.

use crate::cascade;
use crate::config::{CascadeCommand, Cli, Command, ServeArgs};
use crate::db::Db;
use crate::demo;
use crate::http;
use anyhow::Context;
use clap::Parser;
use std::process::ExitCode;
use std::time::Instant;

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
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
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match &cli.command {
        Some(Command::Serve(_)) | None => serve(&cli.database_url, cli.serve_args().clone()).await,
        Some(Command::Cascade(command)) => {
            let (args, output) = match command {
                CascadeCommand::Metrics(a) => (a, cascade::Output::MetricsCsv),
                CascadeCommand::Layout(a) => (a, cascade::Output::LayoutJson),
                CascadeCommand::EvaluatePrediction(a) => (a, cascade::Output::PredictionEvaluation),
            };
            let stdout = std::io::stdout();
            let failed = cascade::run(args, output, &mut stdout.lock(), &mut std::io::stderr())?;
            if failed > 0 {
                anyhow::bail!("{failed} file(s) could not be read or parsed (named above)");
            }
            Ok(())
        }
    }
}

async fn serve(database_url: &str, args: ServeArgs) -> anyhow::Result<()> {
    let started = Instant::now();
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
    }
    let local = listener
        .local_addr()
        .context("cannot read the listening address")?;
    let app = http::app(http::AppState { db });
    println!("Dashboard: http://{local}/");
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
