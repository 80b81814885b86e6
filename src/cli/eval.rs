//! `cairn eval facets [SET...]`

use crate::classify::Classifier;
use crate::eval;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to evaluate: `facets` (the classifier) or `search` (the ranking).
    #[arg(value_parser = ["facets", "search"])]
    pub what: String,
    /// Labelled sets (folders with a README table). Default: corpus-sample, the tuning part and
    /// the three held-out parts (`search`: the sets its judgments cover, all but the third).
    pub sets: Vec<PathBuf>,
    /// Print per-value figures and every confusion.
    #[arg(long)]
    pub verbose: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Relevance judgments, for `search`.
    #[arg(long, default_value = "tests/data/relevance/queries.toml")]
    pub queries: PathBuf,
    /// Write each value's measured accuracy over the sets named to FILE (the API's
    /// `index-config/accuracy.toml`, measured on the held-out parts; the sets must be named).
    #[arg(long, value_name = "FILE", requires = "sets")]
    pub write_accuracy: Option<PathBuf>,
    /// Taxonomy file (see `cairn ingest --help`).
    #[arg(long, env = "CAIRN_TAXONOMY")]
    pub taxonomy: Option<PathBuf>,
}

/// Every labelled set, in the order `eval search` ingests them: which file of a review comes
/// first decides the review's id, so the order is part of the measurement.
const LABELLED_SETS: [&str; 5] = [
    "corpus-sample",
    "tests/data/labelled/tune",
    "tests/data/labelled/heldout",
    "tests/data/labelled/heldout2",
    "tests/data/labelled/heldout3",
];

/// The sets `eval search`'s relevance judgments were made over: the third held-out part came
/// later, and its unjudged reviews would count as misses.
const JUDGED_SETS: &[&str] = LABELLED_SETS.split_at(4).0;

impl Args {
    fn sets_or(&self, default: &[&str]) -> Vec<PathBuf> {
        if self.sets.is_empty() {
            default.iter().map(PathBuf::from).collect()
        } else {
            self.sets.clone()
        }
    }
}

pub fn execute(args: Args) -> crate::Result<ExitCode> {
    if args.what == "search" {
        return search(args);
    }
    let classifier = Classifier::new(super::load_taxonomy(args.taxonomy.as_deref())?);
    let sets = args.sets_or(&LABELLED_SETS);
    let mut all = Vec::new();
    let mut last = None;
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
        last = Some(result);
    }
    if sets.len() > 1 {
        let result = eval::evaluate(&all, &classifier);
        report("all sets", &result, args.verbose, args.json);
        json.insert(
            "all".into(),
            serde_json::to_value(&result).unwrap_or_default(),
        );
        last = Some(result);
    }
    if let (Some(path), Some(result)) = (&args.write_accuracy, &last) {
        let names: Vec<String> = sets.iter().map(|s| s.display().to_string()).collect();
        let short: Vec<String> = sets
            .iter()
            .map(|s| {
                s.file_name()
                    .unwrap_or(s.as_os_str())
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        let accuracy = result.accuracy(&short.join(", "));
        let command = format!(
            "cairn eval facets --write-accuracy {} {}",
            path.display(),
            names.join(" ")
        );
        std::fs::write(path, accuracy.to_toml(&command)).map_err(|source| crate::Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        eprintln!("wrote {}", path.display());
    }
    if args.json {
        outln!("{}", serde_json::Value::Object(json));
    }
    Ok(ExitCode::SUCCESS)
}

fn report(name: &str, result: &eval::Evaluation, verbose: bool, json: bool) {
    if json {
        return;
    }
    outln!("## {name} ({} files)\n", result.files);
    out!("{}", result.table());
    let agreement = result.agreement_table();
    if !agreement.is_empty() {
        outln!();
        out!("{agreement}");
    }
    for u in &result.unreadable {
        outln!("unreadable: {u}");
    }
    if verbose {
        outln!(
            "\n| value | precision | recall | F1 | precision, 95% interval | recall, 95% interval \
             |\n|---|---|---|---|---|---|"
        );
        for (value, c) in &result.by_value {
            let [p, r] = c.intervals();
            outln!(
                "| {value} | {:.2} | {:.2} | {:.2} | {p} | {r} |",
                c.precision(),
                c.recall(),
                c.f1()
            );
        }
        if !result.suggested_by_value.is_empty() {
            outln!(
                "\nSuggestions per value (told once, short of a tag): how often a curator would \
                 confirm one.\n\n| value | suggested | labelled | share |\n|---|---|---|---|"
            );
            for (value, c) in &result.suggested_by_value {
                outln!(
                    "| {value} | {} | {} | {:.2} |",
                    c.true_positive + c.false_positive,
                    c.true_positive,
                    c.precision()
                );
            }
        }
        if !result.readers_by_value.is_empty() {
            outln!(
                "\nTwo coders per value, on the files coded twice (agreement: 2 × both / (first + \
                 second)):\n\n| value | both | second only | first only | agreement |\n|---|---|---|---|---|"
            );
            for (value, c) in &result.readers_by_value {
                outln!(
                    "| {value} | {} | {} | {} | {:.2} |",
                    c.true_positive,
                    c.false_positive,
                    c.false_negative,
                    c.f1()
                );
            }
        }
        outln!();
        for (what, files) in &result.confusions {
            outln!("- {what}: {}", files.join(", "));
        }
    }
    outln!();
}

/// Index every labelled set in a temporary directory, then score the judged queries with
/// cairn's query handling and with plain BM25 (no synonyms, no typo correction).
fn search(args: Args) -> crate::Result<ExitCode> {
    use crate::eval::relevance;
    use crate::search::{QueryOptions, Service};
    let io = |path: &std::path::Path, e: String| crate::Error::Io {
        path: path.display().to_string(),
        source: std::io::Error::other(e),
    };
    let judged = relevance::read(&args.queries).map_err(|e| io(&args.queries, e))?;
    let sets = args.sets_or(JUDGED_SETS);
    let taxonomy = super::load_taxonomy(args.taxonomy.as_deref())?;
    let dir = std::env::temp_dir().join(format!("cairn-eval-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let result = (|| -> crate::Result<()> {
        let index = crate::index::ReviewIndex::open_or_create(&dir)?;
        let ingester =
            crate::ingest::Ingester::new(index.clone(), Classifier::new(taxonomy.clone()));
        ingester.ingest_paths(&sets, &mut |_| {})?;
        let service = Service::new(index.clone(), taxonomy);
        let keys = relevance::keys(&index, &judged)?;
        let plain = QueryOptions::plain();
        let mut rows = Vec::new();
        for part in ["tune", "heldout"] {
            for (name, options) in [("cairn", QueryOptions::default()), ("plain BM25", plain)] {
                let s = relevance::evaluate(
                    &service,
                    &judged,
                    part,
                    options,
                    &keys,
                    args.verbose && name == "cairn",
                )?;
                rows.push((part, name, s));
            }
        }
        if args.json {
            let json: Vec<_> = rows
                .iter()
                .map(|(p, n, s)| serde_json::json!({"part": p, "system": n, "scores": s}))
                .collect();
            outln!("{}", serde_json::Value::Array(json));
        } else {
            outln!("| part | system | queries | nDCG@10 | MRR | P@5 |\n|---|---|---|---|---|---|");
            for (part, name, s) in rows {
                outln!(
                    "| {part} | {name} | {} | {:.3} | {:.3} | {:.3} |",
                    s.queries,
                    s.ndcg10,
                    s.mrr,
                    s.p5
                );
            }
        }
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result?;
    Ok(ExitCode::SUCCESS)
}
