//! `cairn extract FILE [--json] [--facets]`

use crate::classify::Classifier;
use crate::extract;
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    pub file: PathBuf,
    /// Print JSON: format, pages, sections, languages, metadata, warnings.
    #[arg(long)]
    pub json: bool,
    /// Print the facets the file would be given and the passages behind each, instead of the
    /// text: what a curator checks before ingesting or overriding.
    #[arg(long)]
    pub facets: bool,
    /// Taxonomy file for `--facets` (see `cairn ingest --help`).
    #[arg(long, env = "CAIRN_TAXONOMY")]
    pub taxonomy: Option<PathBuf>,
}

pub fn execute(args: Args) -> crate::Result<ExitCode> {
    let bytes = std::fs::read(&args.file).map_err(|source| crate::Error::Io {
        path: args.file.display().to_string(),
        source,
    })?;
    match extract::extract(&bytes) {
        Ok(doc) => {
            if args.facets {
                let classifier = Classifier::new(super::load_taxonomy(args.taxonomy.as_deref())?);
                let name = args
                    .file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let classified = classifier.classify(&doc, &name);
                if args.json {
                    print_json(&json!({
                        "title": classified.title,
                        "facets": classified.facets,
                        "evidence": classified.evidence,
                        "suggested": classified.suggested,
                    }));
                } else {
                    outln!("{}", classified.title);
                    let suggested = classified.suggested.iter().map(|e| (e, " (suggested)"));
                    for (e, note) in classified.evidence.iter().map(|e| (e, "")).chain(suggested) {
                        outln!("\n{}: {}{note}", e.facet, e.value);
                        for p in &e.passages {
                            let page = p.page.map(|n| format!("p. {n}")).unwrap_or("-".into());
                            outln!("  {page}: {}", p.text);
                        }
                    }
                }
            } else if args.json {
                print_json(&json!({
                    "status": doc.status(),
                    "format": doc.format,
                    "pages": doc.pages,
                    "sections": doc.sections,
                    "languages": doc.languages,
                    "metadata": doc.metadata,
                    "warnings": doc.warnings,
                }));
            } else {
                for (i, page) in doc.pages.iter().enumerate() {
                    if i > 0 {
                        out!("\u{c}");
                    }
                    outln!("{}", page.text);
                }
                for w in &doc.warnings {
                    eprintln!("{}: warning: {w}", args.file.display());
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            if args.json {
                let out = json!({"status": e.code(), "error": {"code": e.code(), "message": e.to_string()}});
                outln!("{out}");
            }
            eprintln!("{}: {e}", args.file.display());
            Ok(ExitCode::from(2))
        }
    }
}

fn print_json(value: &serde_json::Value) {
    outln!(
        "{}",
        serde_json::to_string_pretty(value).expect("JSON values serialise")
    );
}
