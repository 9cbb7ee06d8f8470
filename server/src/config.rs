//! The command line and its environment variables, parsed once. Every knob
//! has a default that runs out of the box and is documented here (and shown
//! by `--help`).

use crate::db::DEFAULT_DATABASE_URL;
use crate::demo::DemoSize;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Word-of-mouth campaign analytics: the dashboard, its API and its tools.
#[derive(Debug, Parser)]
#[command(name = "server", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// Database URL. `sqlite://PATH` or `sqlite:PATH`; a missing file is
    /// created, with its folder.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub database_url: String,

    #[command(subcommand)]
    pub command: Option<Command>,

    /// Options of `serve`, which runs when no subcommand is given.
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the dashboard and the API (the default).
    Serve(ServeArgs),
    /// Propagation trees: metrics and layouts of cascade files.
    #[command(subcommand)]
    Cascade(CascadeCommand),
}

#[derive(Debug, Subcommand)]
pub enum CascadeCommand {
    /// Print one CSV row of metrics per tree (the columns of Twitter15's
    /// reference_metrics.csv). A file that cannot be read or parsed is named
    /// on stderr with the reason; the others are still printed, and the exit
    /// status is non-zero at the end.
    Metrics(CascadeArgs),
    /// Print one JSON line per tree: node ids and parents in breadth-first
    /// order (siblings in input order) and the tidy-tree coordinates.
    Layout(CascadeArgs),
    /// Evaluate the popularity prediction on finished trees with at least
    /// 50 nodes, observed for 1 hour and for 6 hours (times in minutes, as in
    /// Twitter15), beside the naive baseline; prints a Markdown table.
    EvaluatePrediction(CascadeArgs),
}

#[derive(Debug, Clone, Args)]
pub struct CascadeArgs {
    /// Input format.
    #[arg(long, value_enum, default_value = "twitter15")]
    pub format: CascadeFormat,
    /// Tree files, or folders holding `tree/` (as the Twitter15 dataset does).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

/// Formats `server cascade` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CascadeFormat {
    /// `['uid', 'tweet_id', 'delay']->['uid', 'tweet_id', 'delay']` per line, `tree/<id>.txt`.
    Twitter15,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on, HOST:PORT.
    #[arg(long, env = "BIND_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: String,

    /// Load the demo workspace (slug `demo`) into an empty database; does
    /// nothing when the database already holds it.
    #[arg(long)]
    pub demo: bool,

    /// Size of the demo workspace (with --demo).
    #[arg(long, value_enum, default_value = "small", requires = "demo")]
    pub demo_size: DemoSize,
}

impl Cli {
    /// The `serve` options, whether given after `serve` or without a subcommand.
    pub fn serve_args(&self) -> &ServeArgs {
        match &self.command {
            Some(Command::Serve(args)) => args,
            _ => &self.serve,
        }
    }
}
