//! The command line of API.md: `ingest`, `serve`, `search`, `extract`, `bench`.
//!
//! One file per subcommand, each with its arguments and `execute`. `main.rs` only parses and
//! maps the returned exit code.

/// `println!` for command output: a reader that goes away (`cairn extract f.pdf | head`)
/// ends the program quietly, as it ends other Unix tools, instead of a panic.
macro_rules! outln {
    () => {
        $crate::cli::write_stdout(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::cli::write_stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` with the same care as [`outln!`].
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::write_stdout(format_args!($($arg)*))
    };
}

mod bench;
mod check;
mod eval;
mod extract;
mod ingest;
mod keys;
mod search;
mod serve;

use crate::classify::Taxonomy;
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// cairn: search child-protection case reviews by what they are about.
#[derive(Debug, Parser)]
#[command(name = "cairn", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Extract, classify and index PDF and DOCX reviews (files or folders, recursively).
    Ingest(ingest::Args),
    /// Serve the search page and the HTTP API; builds the index from the corpus if none exists.
    Serve(serve::Args),
    /// Search the index from the command line.
    Search(search::Args),
    /// Print the text cairn extracts from one file; no index involved.
    Extract(extract::Args),
    /// Report residual personal data and metadata leaks in files, without indexing them.
    Check(check::Args),
    /// Measure the classifier against labelled reviews: precision, recall, F1, confusions.
    Eval(eval::Args),
    /// Manage API keys: add, list, revoke.
    Keys(keys::Args),
    /// Measure ingest throughput and search latency over a corpus.
    Bench(bench::Args),
}

/// Options every index-using command shares.
#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    /// Index directory.
    #[arg(long, env = "CAIRN_INDEX", default_value = "data/index")]
    pub index: PathBuf,
    /// Taxonomy file; defaults to `index-config/taxonomy.toml` when present, else the built-in one.
    #[arg(long, env = "CAIRN_TAXONOMY")]
    pub taxonomy: Option<PathBuf>,
}

impl IndexArgs {
    pub fn taxonomy(&self) -> crate::Result<Taxonomy> {
        load_taxonomy(self.taxonomy.as_deref())
    }
}

/// The taxonomy named, else `index-config/taxonomy.toml` in the working directory, else the
/// one built into the binary.
pub fn load_taxonomy(path: Option<&Path>) -> crate::Result<Taxonomy> {
    if let Some(path) = path {
        return Ok(Taxonomy::from_disk(path)?);
    }
    let local = Path::new("index-config/taxonomy.toml");
    if local.is_file() {
        return Ok(Taxonomy::from_disk(local)?);
    }
    Ok(Taxonomy::builtin())
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Ingest(args) => ingest::execute(args),
        Command::Serve(args) => serve::execute(args),
        Command::Search(args) => search::execute(args),
        Command::Extract(args) => extract::execute(args),
        Command::Check(args) => check::execute(args),
        Command::Keys(args) => keys::execute(args),
        Command::Eval(args) => eval::execute(args),
        Command::Bench(args) => bench::execute(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("cairn: {e}");
            ExitCode::from(2)
        }
    }
}

/// Write command output; a closed pipe exits 0 and any other failure exits 2.
pub(crate) fn write_stdout(args: std::fmt::Arguments<'_>) {
    use std::io::Write;
    if let Err(e) = std::io::stdout().lock().write_fmt(args) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("cairn: cannot write to standard output: {e}");
        std::process::exit(2);
    }
}
