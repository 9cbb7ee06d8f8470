//! The command line and its environment variables, parsed once. Every knob
//! has a default that runs out of the box and is documented here (and shown
//! by `--help`).

use crate::db::DEFAULT_DATABASE_URL;
use crate::demo::DemoSize;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Word-of-mouth campaign analytics: the dashboard, its API and its tools.
#[derive(Debug, Parser)]
#[command(name = "server", version)]
pub struct Cli {
    /// Database URL: `sqlite://PATH` or `sqlite:PATH` (a missing file is
    /// created, with its folder), or `postgres://USER:PASSWORD@HOST:PORT/DB`
    /// (an existing database; its tables are created on first use).
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub database_url: String,

    /// The address users reach the server at, e.g. `https://dash.example.com`
    /// behind a proxy: the links the commands print start with it, and an
    /// https URL makes the session cookie `Secure` and turns on HSTS; the
    /// cross-site check compares `Origin` with it. Default: the request's
    /// own host (and `http://127.0.0.1:3000` in printed links).
    #[arg(long, env = "PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

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
    /// Workspaces (agencies or brand teams). Only the command line creates them.
    #[command(subcommand)]
    Workspace(WorkspaceCommand),
    /// People who sign in (emails, passwords, one-time sign-in links).
    #[command(subcommand)]
    User(UserCommand),
    /// Who belongs to a workspace, and with which role.
    #[command(subcommand)]
    Member(MemberCommand),
    /// A workspace's API keys (shown once, stored hashed).
    #[command(subcommand, name = "api-key")]
    ApiKey(ApiKeyCommand),
    /// Client brands and tracked competitors.
    #[command(subcommand)]
    Brand(BrandCommand),
    /// Client brands' campaigns.
    #[command(subcommand)]
    Campaign(CampaignCommand),
    /// Import events or cascades from files into a campaign.
    Import(ImportArgs),
    /// Saved reports: list them, render one to PNG, SVG or PDF.
    #[command(subcommand)]
    Report(ReportCommand),
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// A workspace's reports, one per line: id, title, campaign id,
    /// language, page format (tab-separated, no header).
    List {
        #[arg(long)]
        workspace: String,
    },
    /// Draw a report as the API's render does, without a server.
    Render {
        /// The report's id (first column of `report list`).
        #[arg(long)]
        report: i64,
        /// png, svg or pdf.
        #[arg(long)]
        format: String,
        /// PNG only: device pixels per CSS pixel, 1–4.
        #[arg(long, default_value_t = 2)]
        scale: u32,
        /// Only this page (from 1); every page by default.
        #[arg(long)]
        page: Option<usize>,
        /// Where to write the file.
        #[arg(long)]
        out: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum WorkspaceCommand {
    /// Create a workspace.
    Create {
        /// Short identifier used in URLs and commands: a–z, 0–9 and -.
        #[arg(long)]
        slug: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// IANA time zone that sets the day boundaries of daily figures.
        #[arg(long, default_value = "Asia/Shanghai")]
        timezone: String,
    },
    /// List workspaces.
    List,
}

#[derive(Debug, Subcommand)]
pub enum ApiKeyCommand {
    /// Create a key; it is printed alone on the last line, and only this once.
    Create {
        #[arg(long)]
        workspace: String,
        /// A label to recognise the key by.
        #[arg(long, default_value = "")]
        name: String,
        /// What the key may do, comma-separated: `read` (read the
        /// workspace's API) and `ingest` (send events, create brands and
        /// campaigns).
        #[arg(long, default_value = "read,ingest")]
        scope: String,
    },
    /// List a workspace's keys (prefixes, never the keys).
    List {
        #[arg(long)]
        workspace: String,
    },
    /// Revoke a key, given by its id, its prefix or the key itself.
    Revoke {
        #[arg(long)]
        workspace: String,
        key: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user. Without --password-stdin, prints a one-time sign-in
    /// link (valid 24 hours) alone on the last line.
    Create {
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// Read the password from one line of standard input (the newline is
        /// not part of it); 8 to 256 characters.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List users: email, name, status, created (tab-separated).
    List,
    /// Print a one-time sign-in link for the user (alone on the last line);
    /// signed in with it, they set a new password.
    ResetPassword {
        #[arg(long)]
        email: String,
    },
    /// Disable a user: sign-in is refused and every session ends at once.
    Disable {
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum MemberCommand {
    /// Add a user to a workspace with a role.
    Add {
        #[arg(long)]
        workspace: String,
        #[arg(long)]
        email: String,
        /// owner (everything, members and keys included), analyst (read,
        /// import, create brands and campaigns), viewer (read the whole
        /// workspace) or client (read one client brand's campaigns only).
        #[arg(long)]
        role: String,
        /// The client brand's id (role client only), as `brand list` shows it.
        #[arg(long)]
        brand: Option<i64>,
    },
    /// List a workspace's members: email, name, role, brand (tab-separated).
    List {
        #[arg(long)]
        workspace: String,
    },
    /// Remove a user from a workspace.
    Remove {
        #[arg(long)]
        workspace: String,
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum BrandCommand {
    /// Create a brand; prints its id.
    Create {
        #[arg(long)]
        workspace: String,
        #[arg(long)]
        name: String,
        /// A competitor to track (mentions, share of voice).
        #[arg(long)]
        competitor: bool,
        /// Listening keywords, comma-separated.
        #[arg(long, value_delimiter = ',')]
        keywords: Vec<String>,
    },
    /// List a workspace's brands.
    List {
        #[arg(long)]
        workspace: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum CampaignCommand {
    /// Create a campaign (and its brand, if new); prints the campaign's id.
    Create {
        #[arg(long)]
        workspace: String,
        /// Client brand (created if the workspace lacks it).
        #[arg(long)]
        brand: String,
        /// Mark a new brand as a tracked competitor.
        #[arg(long)]
        competitor: bool,
        #[arg(long)]
        name: String,
        /// First day, YYYY-MM-DD (workspace time zone).
        #[arg(long)]
        start: String,
        /// Last day, YYYY-MM-DD, inclusive.
        #[arg(long)]
        end: String,
        /// Budget in major units (e.g. 80000 or 80000.50).
        #[arg(long)]
        budget: Option<String>,
        #[arg(long, default_value = "CNY")]
        currency: String,
        /// Channels, comma-separated: weibo, wechat, douyin, xiaohongshu, x, facebook.
        #[arg(long, value_delimiter = ',')]
        channels: Vec<String>,
        /// Tracked keywords (hashtags, slogans), comma-separated.
        #[arg(long, value_delimiter = ',')]
        keywords: Vec<String>,
    },
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The workspace's slug.
    #[arg(long)]
    pub workspace: String,
    /// The campaign's id, as `GET /api/v1/campaigns` lists it.
    #[arg(long)]
    pub campaign: i64,
    /// Input format.
    #[arg(long, value_enum, default_value = "ndjson")]
    pub format: ImportFormat,
    /// Make each file all-or-nothing: one bad line or conflict and nothing of
    /// that file is stored (by default bad lines are skipped and reported).
    #[arg(long)]
    pub strict: bool,
    /// Files, or folders (for twitter15: folders holding `tree/`; otherwise
    /// the folder's .ndjson/.jsonl or .csv files).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

/// Formats `server import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// One event per line, the API's NDJSON format.
    Ndjson,
    /// A header row naming the NDJSON fields, then one event per row.
    Csv,
    /// Twitter15/16 propagation trees: one cascade per file, one node per uid.
    Twitter15,
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
    /// Evaluate the final-size prediction on finished trees with at least
    /// 50 nodes (times in minutes, as in Twitter15), observed for 1 hour and
    /// for 6 hours, beside the naive guesses: every model is fitted on the
    /// --train trees only and scored on PATH, or, without --train, by 10-fold
    /// cross-validation over PATH (no tree is predicted by a model fitted on
    /// it). Prints a Markdown table, or CSV with --csv.
    EvaluatePrediction(EvaluateArgs),
    /// Fit the prediction's models on finished trees (times in minutes) and
    /// print them as the table the product ships
    /// (app/analytics/src/cascade/prediction_defaults.in).
    FitPrediction(TreeFiles),
}

#[derive(Debug, Clone, Args)]
pub struct EvaluateArgs {
    /// Input format.
    #[arg(long, value_enum, default_value = "twitter15")]
    pub format: CascadeFormat,
    /// Trees to fit the models on (a file or a folder holding tree/); may be
    /// repeated, one path each.
    #[arg(long = "train", num_args = 1, value_name = "PATH")]
    pub train: Vec<PathBuf>,
    /// Trees to evaluate on: files, or folders holding `tree/`.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Print CSV (`horizon_h,model,trees,mdape,median_signed_error,coverage80,coverage95`,
    /// fractions) instead of a table.
    #[arg(long)]
    pub csv: bool,
}

#[derive(Debug, Clone, Args)]
pub struct TreeFiles {
    /// Input format.
    #[arg(long, value_enum, default_value = "twitter15")]
    pub format: CascadeFormat,
    /// Tree files, or folders holding `tree/`.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct CascadeArgs {
    /// Input format.
    #[arg(long, value_enum, default_value = "twitter15")]
    pub format: CascadeFormat,
    /// Tree files, or folders holding `tree/` (as the Twitter15 dataset does).
    #[arg(required_unless_present = "workspace", conflicts_with = "workspace")]
    pub paths: Vec<PathBuf>,
    /// Read the cascades stored in this workspace instead of files (with
    /// --campaign; `metrics` only). Times are minutes after the campaign's
    /// first day began, as in Twitter15.
    #[arg(long, requires = "campaign")]
    pub workspace: Option<String>,
    /// The campaign whose stored cascades to read.
    #[arg(long, requires = "workspace")]
    pub campaign: Option<i64>,
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
    /// Parses the command line; exits with clap's message on a mistake,
    /// including `serve`'s options given before another subcommand (where
    /// they would be silently ignored). `--database-url` is global: it goes
    /// before or after any subcommand.
    pub fn parse_checked() -> Cli {
        use clap::parser::ValueSource;
        use clap::{CommandFactory, FromArgMatches};
        let matches = Cli::command().get_matches();
        let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
        if let Some(sub) = matches.subcommand_name().filter(|s| *s != "serve") {
            for name in ["addr", "demo", "demo_size"] {
                if matches.value_source(name) == Some(ValueSource::CommandLine) {
                    Cli::command()
                        .error(
                            clap::error::ErrorKind::ArgumentConflict,
                            format!(
                                "--{} is an option of `serve`, not of `{sub}`",
                                name.replace('_', "-")
                            ),
                        )
                        .exit();
                }
            }
        }
        cli
    }

    /// The `serve` options, whether given after `serve` or without a subcommand.
    pub fn serve_args(&self) -> &ServeArgs {
        match &self.command {
            Some(Command::Serve(args)) => args,
            _ => &self.serve,
        }
    }
}
