//! `cairn eval facets [SET...]`

use crate::classify::Classifier;
use crate::eval;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to evaluate (only `facets` for now).
    #[arg(value_parser = ["facets"])]
    pub what: String,
    /// Labelled sets (folders with a README table). Default: the held-out part, the tuning
    /// part and corpus-sample.
    pub sets: Vec<PathBuf>,
    /// Print per-value figures and every confusion.
    #[arg(long)]
    pub verbose: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Taxonomy file (see `cairn ingest --help`).
    #[arg(long, env = "CAIRN_TAXONOMY")]
    pub taxonomy: Option<PathBuf>,
}

pub fn execute(args: Args) -> crate::Result<ExitCode> {
    let classifier = Classifier::new(super::load_taxonomy(args.taxonomy.as_deref())?);
    let sets = if args.sets.is_empty() {
        vec![
            PathBuf::from("tests/data/labelled/heldout"),
            PathBuf::from("tests/data/labelled/tune"),
            PathBuf::from("corpus-sample"),
        ]
    } else {
        args.sets.clone()
    };
    let mut all = Vec::new();
    let mut json = serde_json::Map::new();
    for set in &sets {
        let items = eval::read_set(set).map_err(|e| crate::Error::Io {
            path: set.display().to_string(),
            source: std::io::Error::other(e.to_string()),
        })?;
        let result = eval::evaluate(&items, &classifier);
        report(&set.display().to_string(), &result, args.verbose, args.json);
        json.insert(
            set.display().to_string(),
            serde_json::to_value(&result).unwrap_or_default(),
        );
        all.extend(items);
    }
    if sets.len() > 1 {
        let result = eval::evaluate(&all, &classifier);
        report("all sets", &result, args.verbose, args.json);
        json.insert(
            "all".into(),
            serde_json::to_value(&result).unwrap_or_default(),
        );
    }
    if args.json {
        println!("{}", serde_json::Value::Object(json));
    }
    Ok(ExitCode::SUCCESS)
}

fn report(name: &str, result: &eval::Evaluation, verbose: bool, json: bool) {
    if json {
        return;
    }
    println!("## {name} ({} files)\n", result.files);
    print!("{}", result.table());
    for u in &result.unreadable {
        println!("unreadable: {u}");
    }
    if verbose {
        println!("\n| value | precision | recall | F1 |\n|---|---|---|---|");
        for (value, c) in &result.by_value {
            println!(
                "| {value} | {:.2} | {:.2} | {:.2} |",
                c.precision(),
                c.recall(),
                c.f1()
            );
        }
        println!();
        for (what, files) in &result.confusions {
            println!("- {what}: {}", files.join(", "));
        }
    }
    println!();
}
