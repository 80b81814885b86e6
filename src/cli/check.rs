//! `cairn check FILE...`: residual personal data and metadata leaks, without indexing.

use crate::{extract, guard};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

pub fn execute(args: Args) -> crate::Result<ExitCode> {
    let mut found = false;
    for file in &args.files {
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{}: {e}", file.display());
                found = true;
                continue;
            }
        };
        let doc = match extract::extract(&bytes) {
            Ok(doc) => doc,
            Err(e) => {
                eprintln!("{}: cannot check: {e}", file.display());
                found = true;
                continue;
            }
        };
        let report = guard::check(&doc);
        for l in &report.findings {
            outln!(
                "{}: page {}: {}: {}",
                file.display(),
                l.page,
                l.finding.kind.as_str(),
                l.finding.text
            );
        }
        for leak in &report.leaks {
            outln!("{}: metadata: {leak}", file.display());
        }
        if report.is_clean() {
            eprintln!("{}: clean", file.display());
        } else {
            found = true;
        }
    }
    Ok(if found {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
