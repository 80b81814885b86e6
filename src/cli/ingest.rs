//! `cairn ingest PATH...`

use super::IndexArgs;
use crate::classify::Classifier;
use crate::index::ReviewIndex;
use crate::ingest::{FileOutcome, Ingester, Progress, Report};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or folders to ingest.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub index: IndexArgs,
    /// Residual personal data: redact (default), flag for curators, or refuse the file.
    #[arg(long, default_value = "redact")]
    pub pii_policy: crate::guard::Policy,
}

pub fn execute(args: Args) -> crate::Result<ExitCode> {
    let taxonomy = args.index.taxonomy()?;
    let index = ReviewIndex::open_or_create(&args.index.index)?;
    let ingester = Ingester::new(index, Classifier::new(taxonomy)).with_policy(args.pii_policy);
    let report = run(&ingester, &args.paths)?;
    Ok(if report.refused > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// Ingest with a progress bar on a terminal and plain lines otherwise; print the summary.
pub fn run(ingester: &Ingester, paths: &[PathBuf]) -> crate::Result<Report> {
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    });
    let report = ingester.ingest_paths(paths, &mut |event| match event {
        Progress::Found(n) => {
            if let Some(bar) = &bar {
                bar.set_length(n as u64);
            }
        }
        Progress::Done(file) => {
            let line = match &file.outcome {
                FileOutcome::Refused { reason, .. } => {
                    Some(format!("{}: {reason}", file.path.display()))
                }
                _ => None,
            };
            match &bar {
                Some(bar) => {
                    bar.inc(1);
                    bar.set_message(file.path.display().to_string());
                    if let Some(line) = line {
                        bar.println(line);
                    }
                }
                None => match (&file.outcome, line) {
                    (_, Some(line)) => eprintln!("{line}"),
                    (FileOutcome::Ingested { id, .. }, None) => {
                        eprintln!("{}: ingested as {id}", file.path.display())
                    }
                    (FileOutcome::Joined { id, review }, None) => eprintln!(
                        "{}: ingested as {id}, another file of review {review}",
                        file.path.display()
                    ),
                    (FileOutcome::Unchanged { id }, None) => {
                        eprintln!("{}: unchanged ({id})", file.path.display())
                    }
                    _ => {}
                },
            }
        }
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let secs = report.elapsed.as_secs_f64();
    eprintln!(
        "{} ingested, {} unchanged, {} refused; {} pages, {} words in {:.1}s",
        report.ingested, report.unchanged, report.refused, report.pages, report.words, secs
    );
    Ok(report)
}
