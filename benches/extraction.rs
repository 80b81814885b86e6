//! Extraction fidelity scorer (issue "Extraction fidelity").
//!
//! `cargo bench --bench extraction` runs cairn's extractor over every file of
//! `../shared/realworld/pdf` and scores its page text against poppler's `pdftotext FILE -`:
//! NFKC, lowercase, tokens = runs of letters/digits, multiset overlap; a failure (error, panic,
//! timeout) counts as 0. Files whose reference has fewer than 20 tokens are timed but not
//! scored. It prints, in total and per producer family, median and mean recall, median
//! precision, the Word-export and CID-font files (tags from `../shared/realworld/SOURCES.md`),
//! glued and split words per 1,000 reference words, panics, pages/s on one core and the
//! slowest file; then DOCX recall against `pandoc -t plain --wrap=none` over
//! `../shared/realworld/docx`; then the DOCX files of `corpus-sample` converted to PDF by
//! LibreOffice, cairn's PDF text scored against cairn's DOCX text.
//!
//! Glued: a cairn token that is not a reference token and equals the concatenation of two
//! consecutive reference tokens. Split: two consecutive cairn tokens whose concatenation is a
//! reference token that is not among cairn's tokens. Both count occurrences.
//!
//! With MuPDF's `mutool` installed as well, each scored file is read by it as a second
//! reference: the files on which the two references disagree (either reads below 0.95 recall of
//! the other) are listed with cairn scored against both, the table is printed again over the
//! files they agree on, and the files with most split words are shown against both.
//!
//! Each missing tool (`pdftotext`, `pandoc`, `soffice`, `mutool`) skips what needs it, with a note.
//! Everything runs on one thread, so pages/s is one core's throughput. Set `CAIRN_BENCH_DUMP=DIR`
//! to write each PDF's cairn text and reference text there for a closer look.

use cairn::extract::{Limits, extract_with};
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use unicode_normalization::UnicodeNormalization;

/// Below this many reference tokens a file is timed but not scored.
const MIN_REF_TOKENS: usize = 20;
/// A reference tool taking longer than this is killed and counted as a hang.
const TOOL_TIMEOUT: Duration = Duration::from_secs(60);

const FAMILIES: [&str; 8] = [
    "Word",
    "LibreOffice",
    "Chromium/Skia",
    "pdfTeX/LaTeX",
    "Acrobat/Distiller",
    "Ghostscript",
    "Quartz",
    "other",
];

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let realworld = root.join("../shared/realworld");
    let tags = read_tags(&realworld.join("SOURCES.md"));
    let quiet = std::env::args().any(|a| a == "--quiet");

    pdf_table(&realworld.join("pdf"), &tags, quiet);
    docx_table(&realworld.join("docx"));
    libreoffice_table(&root.join("corpus-sample"));
}

// ---------------------------------------------------------------- scoring

fn tokens(text: &str) -> Vec<String> {
    let norm: String = text.nfkc().collect::<String>().to_lowercase();
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in norm.chars() {
        if c.is_alphanumeric() {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn counts(tokens: &[String]) -> HashMap<&str, usize> {
    let mut m: HashMap<&str, usize> = HashMap::new();
    for t in tokens {
        *m.entry(t.as_str()).or_default() += 1;
    }
    m
}

#[derive(Debug, Clone, Copy, Default)]
struct Score {
    recall: f64,
    precision: f64,
    glued: usize,
    split: usize,
    ref_tokens: usize,
}

impl Score {
    /// Split words per 1,000 reference words.
    fn split_per_1k(&self) -> f64 {
        self.split as f64 * 1000.0 / self.ref_tokens.max(1) as f64
    }
}

fn score(reference: &[String], candidate: &[String]) -> Score {
    let rc = counts(reference);
    let cc = counts(candidate);
    let common: usize = rc
        .iter()
        .map(|(t, n)| (*n).min(*cc.get(t).unwrap_or(&0)))
        .sum();
    let recall = if reference.is_empty() {
        0.0
    } else {
        common as f64 / reference.len() as f64
    };
    let precision = if candidate.is_empty() {
        0.0
    } else {
        common as f64 / candidate.len() as f64
    };
    let pairs: HashSet<String> = reference
        .windows(2)
        .map(|w| format!("{}{}", w[0], w[1]))
        .collect();
    let glued = candidate
        .iter()
        .filter(|t| !rc.contains_key(t.as_str()) && pairs.contains(t.as_str()))
        .count();
    let split = candidate
        .windows(2)
        .filter(|w| {
            let joined = format!("{}{}", w[0], w[1]);
            rc.contains_key(joined.as_str()) && !cc.contains_key(joined.as_str())
        })
        .count();
    Score {
        recall,
        precision,
        glued,
        split,
        ref_tokens: reference.len(),
    }
}

fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

fn f3(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| format!("{v:.3}"))
}

// ---------------------------------------------------------------- running things

/// What cairn made of one file.
enum Outcome {
    Text {
        pages: Vec<String>,
        producer: Option<String>,
    },
    Error(String),
    Panic(String),
}

fn run_cairn(bytes: &[u8]) -> (Outcome, Duration) {
    let limits = Limits::default();
    let start = Instant::now();
    let result = catch_unwind(AssertUnwindSafe(|| extract_with(bytes, &limits)));
    let elapsed = start.elapsed();
    let outcome = match result {
        Ok(Ok(ex)) => {
            let producer = ["Producer", "Creator"]
                .iter()
                .filter_map(|k| ex.metadata.get(*k))
                .cloned()
                .collect::<Vec<_>>();
            Outcome::Text {
                pages: ex.pages.into_iter().map(|p| p.text).collect(),
                producer: (!producer.is_empty()).then(|| producer.join(" | ")),
            }
        }
        Ok(Err(e)) => Outcome::Error(e.code().to_string()),
        Err(p) => Outcome::Panic(
            p.downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default(),
        ),
    };
    (outcome, elapsed)
}

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(tool).is_file()))
}

/// Run a command with a time limit; `None` if it failed or was killed (hang: second field).
fn run_tool(cmd: &mut Command) -> (Option<String>, Duration, bool) {
    let start = Instant::now();
    let Ok(mut child) = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    else {
        return (None, start.elapsed(), false);
    };
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let mut hung = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if start.elapsed() > TOOL_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                hung = true;
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(_) => break None,
        }
    };
    let elapsed = start.elapsed();
    let out = reader.join().unwrap_or_default();
    let ok = status.is_some_and(|s| s.success());
    (
        ok.then(|| String::from_utf8_lossy(&out).into_owned()),
        elapsed,
        hung,
    )
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext)))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `file name → tags` from the SOURCES.md table (`pdf/x.pdf | repo | path | licence | tags`).
fn read_tags(path: &Path) -> HashMap<String, Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut out = HashMap::new();
    for line in text.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 5 || !cells[0].contains('/') {
            continue;
        }
        let file = cells[0].rsplit('/').next().unwrap_or_default().to_string();
        let tags = cells[cells.len() - 1]
            .split(',')
            .map(|t| t.split_whitespace().next().unwrap_or("").to_string())
            .filter(|t| !t.is_empty())
            .collect();
        out.insert(file, tags);
    }
    out
}

/// The producer family from the Info `Producer`, else `Creator`.
fn family(producer: Option<&str>) -> &'static str {
    let Some(p) = producer else { return "other" };
    for part in p.split(" | ") {
        let p = part.to_lowercase();
        let f = if p.contains("word") && !p.contains("wordperfect") {
            "Word"
        } else if p.contains("libreoffice") || p.contains("openoffice") {
            "LibreOffice"
        } else if p.contains("skia") || p.contains("chrom") {
            "Chromium/Skia"
        } else if p.contains("latex")
            || p.contains("dvipdf")
            || p.contains("pdftex")
            || p.contains("xetex")
            || p.contains("luatex")
            || p.contains("miktex")
            || p.split(|c: char| !c.is_ascii_alphanumeric())
                .any(|w| w == "tex")
        {
            "pdfTeX/LaTeX"
        } else if p.contains("acrobat") || p.contains("distiller") || p.contains("adobe pdf") {
            "Acrobat/Distiller"
        } else if p.contains("ghostscript") {
            "Ghostscript"
        } else if p.contains("quartz") || p.contains("mac os x") {
            "Quartz"
        } else {
            continue;
        };
        return f;
    }
    "other"
}

/// Producer from the raw bytes, for files cairn could not open.
fn producer_from_bytes(bytes: &[u8]) -> Option<String> {
    let re = regex::bytes::Regex::new(r"/(?:Producer|Creator)\s*\(([^)]{1,200})\)").ok()?;
    let found: Vec<String> = re
        .captures_iter(bytes)
        .map(|c| String::from_utf8_lossy(&c[1]).into_owned())
        .collect();
    (!found.is_empty()).then(|| found.join(" | "))
}

// ---------------------------------------------------------------- PDF table

struct PdfRow {
    file: String,
    family: &'static str,
    tags: Vec<String>,
    pages: usize,
    cairn_secs: f64,
    ref_secs: Option<f64>,
    ref_hung: bool,
    status: String,
    panicked: bool,
    score: Option<Score>,
    /// Against MuPDF's `mutool`, when it is installed: where the two references differ.
    second: Option<SecondReference>,
}

/// A scored file read by a second engine (MuPDF's `mutool draw -F txt`).
#[derive(Debug, Clone, Copy)]
struct SecondReference {
    /// mutool's text scored against pdftotext's, and pdftotext's against mutool's.
    mutool_vs_pdftotext: Score,
    pdftotext_vs_mutool: Score,
    /// cairn's text scored against mutool's.
    cairn: Score,
}

/// Two references disagree on a file when either reads below this recall of the other.
const REFERENCES_AGREE_RECALL: f64 = 0.95;

impl SecondReference {
    /// Whether the references read the file's words differently: on such a file a score
    /// against either one measures the engines' disagreement as much as cairn. (They differ on
    /// line-end hyphens everywhere, pdftotext joining and MuPDF keeping them, so split words
    /// are shown per file below rather than used to set files aside.)
    fn disputed(&self) -> bool {
        [self.mutool_vs_pdftotext, self.pdftotext_vs_mutool]
            .iter()
            .any(|s| s.recall < REFERENCES_AGREE_RECALL)
    }
}

fn pdf_table(dir: &Path, tags: &HashMap<String, Vec<String>>, quiet: bool) {
    let paths = files(dir, "pdf");
    println!(
        "## PDF: cairn against pdftotext over {} ({} files)\n",
        dir.display(),
        paths.len()
    );
    if paths.is_empty() {
        println!("note: no PDF files found; skipping the PDF table\n");
        return;
    }
    let have_ref = on_path("pdftotext");
    if !have_ref {
        println!(
            "note: `pdftotext` (poppler) is not on PATH: the pdftotext column and the recall, \
             precision, glued and split columns are skipped\n"
        );
    }
    let have_second = have_ref && on_path("mutool");
    let mut rows = Vec::new();
    for path in &paths {
        let bytes = std::fs::read(path).unwrap_or_default();
        let (outcome, took) = run_cairn(&bytes);
        let (reference, ref_secs, ref_hung) = if have_ref {
            let (out, t, hung) = run_tool(Command::new("pdftotext").arg(path).arg("-"));
            (out, Some(t.as_secs_f64()), hung)
        } else {
            (None, None, false)
        };
        let ref_pages = reference
            .as_deref()
            .map(|r| r.matches('\u{c}').count())
            .filter(|n| *n > 0);
        let (status, panicked, text, cairn_pages, producer) = match outcome {
            Outcome::Text { pages, producer } => {
                let n = pages.len();
                ("ok".to_string(), false, Some(pages.join("\n")), n, producer)
            }
            Outcome::Error(code) => (code, false, None, 0, None),
            Outcome::Panic(msg) => (format!("PANIC: {msg}"), true, None, 0, None),
        };
        let producer = producer.or_else(|| producer_from_bytes(&bytes));
        if let Some(dump) = std::env::var_os("CAIRN_BENCH_DUMP") {
            let dump = PathBuf::from(dump);
            let _ = std::fs::create_dir_all(&dump);
            let base = name(path);
            let _ = std::fs::write(
                dump.join(format!("{base}.cairn.txt")),
                text.as_deref().unwrap_or(""),
            );
            let _ = std::fs::write(
                dump.join(format!("{base}.ref.txt")),
                reference.as_deref().unwrap_or(""),
            );
        }
        let ref_tokens = reference.as_deref().map(tokens).unwrap_or_default();
        let cand = text.as_deref().map(tokens).unwrap_or_default();
        let scored = ref_tokens.len() >= MIN_REF_TOKENS;
        let second = (scored && have_second)
            .then(|| {
                let (out, _, _) = run_tool(
                    Command::new("mutool")
                        .args(["draw", "-q", "-F", "txt", "-o", "-"])
                        .arg(path),
                );
                let mutool = tokens(&out?);
                (mutool.len() >= MIN_REF_TOKENS).then(|| SecondReference {
                    mutool_vs_pdftotext: score(&ref_tokens, &mutool),
                    pdftotext_vs_mutool: score(&mutool, &ref_tokens),
                    cairn: score(&mutool, &cand),
                })
            })
            .flatten();
        let score = scored.then(|| score(&ref_tokens, &cand));
        let file = name(path);
        let row = PdfRow {
            tags: tags.get(&file).cloned().unwrap_or_default(),
            family: family(producer.as_deref()),
            file,
            pages: ref_pages.unwrap_or(cairn_pages).max(1),
            cairn_secs: took.as_secs_f64(),
            ref_secs,
            ref_hung,
            status,
            panicked,
            score,
            second,
        };
        if !quiet {
            eprintln!(
                "{:<60} {:>5.2}s {:<18} {:<16} {}",
                row.file,
                row.cairn_secs,
                row.family,
                row.status,
                row.score
                    .map(|s| format!(
                        "R {:.3} P {:.3} g {} s {}",
                        s.recall, s.precision, s.glued, s.split
                    ))
                    .unwrap_or_else(|| "not scored".into())
            );
        }
        rows.push(row);
    }

    let scored = rows.iter().filter(|r| r.score.is_some()).count();
    println!(
        "{} files, {} with ≥ {MIN_REF_TOKENS} reference words scored; Word exports and CID fonts \
         are the mean recall over the scored files tagged `word` / `cid` in SOURCES.md; glued and \
         split are per 1,000 reference words\n",
        rows.len(),
        scored
    );
    print_summary_header("extractor");
    let all: Vec<&PdfRow> = rows.iter().collect();
    println!("| cairn | {} |", summary(&all));
    if have_ref {
        // A hang is reported apart and left out of the throughput.
        let done = rows.iter().filter(|r| !r.ref_hung);
        let pages: usize = done.clone().map(|r| r.pages).sum();
        let secs: f64 = done.filter_map(|r| r.ref_secs).sum();
        let hangs = rows.iter().filter(|r| r.ref_hung).count();
        let slowest = rows
            .iter()
            .filter(|r| r.ref_secs.is_some())
            .max_by(|a, b| a.ref_secs.unwrap().total_cmp(&b.ref_secs.unwrap()))
            .map(|r| format!("{} ({:.2} s)", r.file, r.ref_secs.unwrap()))
            .unwrap_or_default();
        println!(
            "| pdftotext (reference) | {} | — | — | — | — | — | — | — | 0 ({hangs} killed at {} s, not in pages/s) | {:.0} | {slowest} |",
            rows.len(),
            TOOL_TIMEOUT.as_secs(),
            pages as f64 / secs.max(1e-9)
        );
    }
    println!("\nPer producer family (Info `Producer`, else `Creator`):\n");
    print_summary_header("producer");
    for fam in FAMILIES {
        let group: Vec<&PdfRow> = rows.iter().filter(|r| r.family == fam).collect();
        if !group.is_empty() {
            println!("| {fam} | {} |", summary(&group));
        }
    }
    println!("| **total** | {} |", summary(&all));

    // The files furthest from the reference, with why.
    let mut worst: Vec<&PdfRow> = rows.iter().filter(|r| r.score.is_some()).collect();
    worst.sort_by(|a, b| {
        let (sa, sb) = (a.score.unwrap(), b.score.unwrap());
        (sa.recall.min(sa.precision)).total_cmp(&sb.recall.min(sb.precision))
    });
    println!("\nLowest-scoring files (min of recall and precision):\n");
    println!("| file | producer | tags | status | recall | precision | glued | split | seconds |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for r in worst.iter().take(12) {
        let s = r.score.unwrap();
        println!(
            "| {} | {} | {} | {} | {:.3} | {:.3} | {} | {} | {:.2} |",
            r.file,
            r.family,
            r.tags.join(","),
            r.status,
            s.recall,
            s.precision,
            s.glued,
            s.split,
            r.cairn_secs
        );
    }
    if have_second {
        second_reference_table(&rows);
    } else if have_ref {
        println!(
            "\nnote: MuPDF's `mutool` is not on PATH: the second-reference check (which files the \
             two references read differently) is skipped"
        );
    }
    let unscored: Vec<String> = rows
        .iter()
        .filter(|r| r.score.is_none())
        .map(|r| format!("{} ({})", r.file, r.status))
        .collect();
    println!(
        "\nNot scored (reference under {MIN_REF_TOKENS} words): {}\n",
        unscored.join(", ")
    );
}

/// The files on which pdftotext and MuPDF disagree, each scored against both, and the table
/// again over the files on which they agree: a miss on a disputed file may be the reference's.
fn second_reference_table(rows: &[PdfRow]) {
    let checked: Vec<&PdfRow> = rows.iter().filter(|r| r.second.is_some()).collect();
    let (disputed, agreed): (Vec<&PdfRow>, Vec<&PdfRow>) = checked
        .iter()
        .partition(|r| r.second.is_some_and(|s| s.disputed()));
    println!(
        "\nSecond reference: MuPDF (`mutool draw -F txt`) read {} of the scored files. On {} of \
         them the two references disagree (either reads below {REFERENCES_AGREE_RECALL} recall \
         of the other):\n",
        checked.len(),
        disputed.len()
    );
    println!(
        "| file | tags | mutool vs pdftotext (R / split /1k) | pdftotext vs mutool (R / split /1k) | cairn vs pdftotext (R / split /1k) | cairn vs mutool (R / split /1k) |"
    );
    println!("|---|---|---|---|---|---|");
    let cell = |s: Score| format!("{:.3} / {:.2}", s.recall, s.split_per_1k());
    for r in &disputed {
        let (Some(s), Some(second)) = (r.score, r.second) else {
            continue;
        };
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            r.file,
            r.tags.join(","),
            cell(second.mutool_vs_pdftotext),
            cell(second.pdftotext_vs_mutool),
            cell(s),
            cell(second.cairn)
        );
    }
    println!(
        "\nThe table again, against pdftotext, over the {} files the two references agree on:\n",
        agreed.len()
    );
    print_summary_header("extractor");
    println!("| cairn | {} |", summary(&agreed));

    // Split words by file: where a split against pdftotext is one MuPDF makes too.
    let mut splits: Vec<&&PdfRow> = checked
        .iter()
        .filter(|r| r.score.is_some_and(|s| s.split > 0))
        .collect();
    splits.sort_by_key(|r| std::cmp::Reverse(r.score.map_or(0, |s| s.split)));
    println!(
        "\nWhere cairn's split words come from (the ten files with most, against pdftotext):\n"
    );
    println!(
        "| file | cairn vs pdftotext (split /1k) | cairn vs mutool (split /1k) | mutool vs pdftotext (split /1k) |"
    );
    println!("|---|---|---|---|");
    let per_1k = |s: Score| format!("{} ({:.2})", s.split, s.split_per_1k());
    for r in splits.iter().take(10) {
        let (Some(s), Some(second)) = (r.score, r.second) else {
            continue;
        };
        println!(
            "| {} | {} | {} | {} |",
            r.file,
            per_1k(s),
            per_1k(second.cairn),
            per_1k(second.mutool_vs_pdftotext)
        );
    }
}

/// The head of a table whose rows are [`summary`]s, the first column named `first`.
fn print_summary_header(first: &str) {
    println!(
        "| {first} | files | median recall | mean recall | median precision | Word exports | CID fonts | glued /1k | split /1k | panics | pages/s | slowest file |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
}

/// The cells after the first of one row of the PDF table.
fn summary(rows: &[&PdfRow]) -> String {
    let scores: Vec<Score> = rows.iter().filter_map(|r| r.score).collect();
    let recalls: Vec<f64> = scores.iter().map(|s| s.recall).collect();
    let precisions: Vec<f64> = scores.iter().map(|s| s.precision).collect();
    let tagged = |tag: &str| -> String {
        let v: Vec<f64> = rows
            .iter()
            .filter(|r| r.tags.iter().any(|t| t == tag))
            .filter_map(|r| r.score.map(|s| s.recall))
            .collect();
        if v.is_empty() {
            "—".into()
        } else {
            format!("{} (n={})", f3(mean(&v)), v.len())
        }
    };
    let ref_words: usize = scores.iter().map(|s| s.ref_tokens).sum();
    let per_1k = |n: usize| {
        if ref_words == 0 {
            "—".to_string()
        } else {
            format!("{:.2}", n as f64 * 1000.0 / ref_words as f64)
        }
    };
    let glued = scores.iter().map(|s| s.glued).sum();
    let split = scores.iter().map(|s| s.split).sum();
    let panics = rows.iter().filter(|r| r.panicked).count();
    let pages: usize = rows.iter().map(|r| r.pages).sum();
    let secs: f64 = rows.iter().map(|r| r.cairn_secs).sum();
    let slowest = rows
        .iter()
        .max_by(|a, b| a.cairn_secs.total_cmp(&b.cairn_secs))
        .map(|r| format!("{} ({:.2} s)", r.file, r.cairn_secs))
        .unwrap_or_default();
    format!(
        "{} ({} scored) | {} | {} | {} | {} | {} | {} | {} | {} | {:.0} | {} |",
        rows.len(),
        scores.len(),
        f3(median(&recalls)),
        f3(mean(&recalls)),
        f3(median(&precisions)),
        tagged("word"),
        tagged("cid"),
        per_1k(glued),
        per_1k(split),
        panics,
        pages as f64 / secs.max(1e-9),
        slowest
    )
    .trim_end_matches(" |")
    .to_string()
}

// ---------------------------------------------------------------- DOCX table

fn docx_table(dir: &Path) {
    let paths = files(dir, "docx");
    println!(
        "## DOCX: cairn against pandoc over {} ({} files)\n",
        dir.display(),
        paths.len()
    );
    println!(
        "Every file for which pandoc gives any words is scored, the smallest test files too.\n"
    );
    if !on_path("pandoc") {
        println!("note: `pandoc` is not on PATH; skipping the DOCX table\n");
        return;
    }
    let mut recalls = Vec::new();
    let mut precisions = Vec::new();
    let mut panics = 0;
    let mut failures = Vec::new();
    let mut unscored = Vec::new();
    let mut per_file = Vec::new();
    let mut secs = 0.0;
    let mut slowest = (String::new(), 0.0f64);
    for path in &paths {
        let bytes = std::fs::read(path).unwrap_or_default();
        let (outcome, took) = run_cairn(&bytes);
        secs += took.as_secs_f64();
        if took.as_secs_f64() > slowest.1 {
            slowest = (name(path), took.as_secs_f64());
        }
        let (reference, _, _) = run_tool(
            Command::new("pandoc")
                .args(["-t", "plain", "--wrap=none"])
                .arg(path),
        );
        let text = match outcome {
            Outcome::Text { pages, .. } => Some(pages.join("\n")),
            Outcome::Error(code) => {
                failures.push(format!("{} ({code})", name(path)));
                None
            }
            Outcome::Panic(msg) => {
                panics += 1;
                failures.push(format!("{} (PANIC: {msg})", name(path)));
                None
            }
        };
        let ref_tokens = reference.as_deref().map(tokens).unwrap_or_default();
        if ref_tokens.is_empty() {
            unscored.push(name(path));
            continue;
        }
        let s = score(
            &ref_tokens,
            &text.as_deref().map(tokens).unwrap_or_default(),
        );
        recalls.push(s.recall);
        precisions.push(s.precision);
        per_file.push((name(path), s));
    }
    println!(
        "| extractor | files (scored) | median recall | mean recall | min recall | median precision | failures | panics | files/s | slowest file |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    println!(
        "| cairn | {} ({}) | {} | {} | {} | {} | {} | {} | {:.0} | {} ({:.2} s) |",
        paths.len(),
        recalls.len(),
        f3(median(&recalls)),
        f3(mean(&recalls)),
        f3(recalls.iter().cloned().reduce(f64::min)),
        f3(median(&precisions)),
        failures.len(),
        panics,
        paths.len() as f64 / f64::max(secs, 1e-9),
        slowest.0,
        slowest.1
    );
    per_file.sort_by(|a, b| a.1.recall.total_cmp(&b.1.recall));
    println!("\nLowest recall:\n");
    println!("| file | recall | precision |");
    println!("|---|---|---|");
    for (f, s) in per_file.iter().take(8) {
        println!("| {f} | {:.3} | {:.3} |", s.recall, s.precision);
    }
    println!(
        "\nFailures: {}",
        if failures.is_empty() {
            "none".into()
        } else {
            failures.join(", ")
        }
    );
    println!(
        "Not scored (pandoc failed or gave no words): {}\n",
        if unscored.is_empty() {
            "none".into()
        } else {
            unscored.join(", ")
        }
    );
}

// ---------------------------------------------------------------- LibreOffice round trip

fn libreoffice_table(dir: &Path) {
    let paths = files(dir, "docx");
    println!(
        "## DOCX → PDF by LibreOffice: cairn's PDF text against cairn's DOCX text ({} files of {})\n",
        paths.len(),
        dir.display()
    );
    if !on_path("soffice") {
        println!("note: `soffice` (LibreOffice) is not on PATH; skipping the round-trip table\n");
        return;
    }
    let out_dir = std::env::temp_dir().join(format!("cairn-bench-lo-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&out_dir);
    let have_ref = on_path("pdftotext");
    println!(
        "| file | pages | cairn recall | cairn precision | glued | split | pdftotext recall | pdftotext precision |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut cr = Vec::new();
    let mut cp = Vec::new();
    let mut pr = Vec::new();
    let mut pp = Vec::new();
    let (mut glued, mut split, mut words) = (0, 0, 0);
    for path in &paths {
        let bytes = std::fs::read(path).unwrap_or_default();
        let (docx, _) = run_cairn(&bytes);
        let Outcome::Text { pages, .. } = docx else {
            println!("| {} | — | DOCX not read | | | | | |", name(path));
            continue;
        };
        let reference = tokens(&pages.join("\n"));
        // A profile of its own, so that a LibreOffice already open elsewhere is not disturbed.
        let profile = format!(
            "-env:UserInstallation=file://{}",
            out_dir.join("lo-profile").display()
        );
        let (_, _, _) = run_tool(
            Command::new("soffice")
                .arg(&profile)
                .args(["--headless", "--convert-to", "pdf", "--outdir"])
                .arg(&out_dir)
                .arg(path),
        );
        let pdf = out_dir.join(path.with_extension("pdf").file_name().unwrap_or_default());
        let Ok(pdf_bytes) = std::fs::read(&pdf) else {
            println!("| {} | — | conversion failed | | | | | |", name(path));
            continue;
        };
        let (outcome, _) = run_cairn(&pdf_bytes);
        let (text, n_pages) = match outcome {
            Outcome::Text { pages, .. } => {
                let n = pages.len();
                (pages.join("\n"), n.to_string())
            }
            Outcome::Error(code) => (String::new(), code),
            Outcome::Panic(_) => (String::new(), "PANIC".into()),
        };
        let s = score(&reference, &tokens(&text));
        cr.push(s.recall);
        cp.push(s.precision);
        glued += s.glued;
        split += s.split;
        words += s.ref_tokens;
        let p = if have_ref {
            let (out, _, _) = run_tool(Command::new("pdftotext").arg(&pdf).arg("-"));
            let ps = score(&reference, &tokens(&out.unwrap_or_default()));
            pr.push(ps.recall);
            pp.push(ps.precision);
            format!("{:.3} | {:.3}", ps.recall, ps.precision)
        } else {
            "— | —".into()
        };
        println!(
            "| {} | {} | {:.3} | {:.3} | {} | {} | {} |",
            name(path),
            n_pages,
            s.recall,
            s.precision,
            s.glued,
            s.split,
            p
        );
    }
    println!(
        "| **mean** | | {} | {} | {:.2}/1k | {:.2}/1k | {} | {} |",
        f3(mean(&cr)),
        f3(mean(&cp)),
        glued as f64 * 1000.0 / words.max(1) as f64,
        split as f64 * 1000.0 / words.max(1) as f64,
        f3(mean(&pr)),
        f3(mean(&pp))
    );
    if !have_ref {
        println!("\nnote: `pdftotext` is not on PATH; its columns are skipped");
    }
    let _ = std::fs::remove_dir_all(&out_dir);
    println!();
}
