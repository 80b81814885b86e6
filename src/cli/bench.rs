//! `cairn bench`

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Corpus to ingest.
    #[arg(long, env = "CAIRN_CORPUS", default_value = "corpus-sample")]
    pub corpus: PathBuf,
    /// Times the query mix is replayed.
    #[arg(long, default_value_t = 200)]
    pub rounds: usize,
    /// Taxonomy file (see `cairn ingest --help`).
    #[arg(long, env = "CAIRN_TAXONOMY")]
    pub taxonomy: Option<PathBuf>,
}

pub fn execute(args: Args) -> crate::Result<ExitCode> {
    let taxonomy = super::load_taxonomy(args.taxonomy.as_deref())?;
    let dir = std::env::temp_dir().join(format!("cairn-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let result = crate::bench::run(&args.corpus, &dir, taxonomy, args.rounds);
    let _ = std::fs::remove_dir_all(&dir);
    let report = result?;
    outln!("{}", report.to_markdown());
    Ok(ExitCode::SUCCESS)
}
