//! `cairn extract FILE [--json]`

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
}

pub fn execute(args: Args) -> crate::Result<ExitCode> {
    let bytes = std::fs::read(&args.file).map_err(|source| crate::Error::Io {
        path: args.file.display().to_string(),
        source,
    })?;
    match extract::extract(&bytes) {
        Ok(doc) => {
            if args.json {
                let out = json!({
                    "status": doc.status(),
                    "format": doc.format,
                    "pages": doc.pages,
                    "sections": doc.sections,
                    "languages": doc.languages,
                    "metadata": doc.metadata,
                    "warnings": doc.warnings,
                });
                println!(
                    "{}",
                    serde_json::to_string_pretty(&out).expect("JSON values serialise")
                );
            } else {
                for (i, page) in doc.pages.iter().enumerate() {
                    if i > 0 {
                        print!("\u{c}");
                    }
                    println!("{}", page.text);
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
                println!("{out}");
            }
            eprintln!("{}: {e}", args.file.display());
            Ok(ExitCode::from(2))
        }
    }
}
