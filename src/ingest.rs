//! Walks inputs and runs extract → classify → index, one outcome per file.
//!
//! A bad file never stops a batch: it gets one [`FileOutcome::Refused`] line naming the reason
//! and what to do, and the others are still committed. Files are committed in batches, so a
//! crash loses at most the batch in flight; re-running the same ingest skips what is already
//! indexed (same bytes, same id) and finishes the job with no duplicates.
//!
//! This module knows nothing of HTTP.

use crate::classify::{Classifier, Sidecar, Taxonomy};
use crate::document::{Extracted, Review};
use crate::extract;
use crate::guard::{self, Policy};
use crate::index::{IndexedReview, ReviewIndex};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Files written per commit.
const BATCH: usize = 64;

/// What happened to one file.
#[derive(Debug, Clone)]
pub enum FileOutcome {
    /// Indexed (new or changed).
    Ingested { id: String, title: String },
    /// Another file of a review already indexed (the same text as PDF and DOCX, or
    /// republished): kept as one of that review's files, counted once.
    Joined { id: String, review: String },
    /// The same bytes are already indexed.
    Unchanged { id: String },
    /// Not indexed; `reason` says why and what to do.
    Refused { code: &'static str, reason: String },
}

/// One file's line in the report.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub path: PathBuf,
    pub outcome: FileOutcome,
    pub pages: u32,
    pub elapsed: Duration,
}

/// The summary of a run.
#[derive(Debug, Default)]
pub struct Report {
    pub ingested: usize,
    pub unchanged: usize,
    pub refused: usize,
    pub pages: u64,
    pub words: u64,
    pub elapsed: Duration,
    pub files: Vec<FileReport>,
}

/// Progress events for a progress bar or log lines.
#[derive(Debug)]
pub enum Progress<'a> {
    Found(usize),
    Done(&'a FileReport),
}

/// Why a prepared file was refused.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Extract(#[from] extract::Error),
    #[error(transparent)]
    Sidecar(#[from] crate::classify::SidecarError),
    #[error("{path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    /// Personal data found under the `refuse` policy.
    #[error("personal data that anonymisation missed: {0}; redact the file and try again")]
    PersonalData(String),
}

impl IngestError {
    pub fn code(&self) -> &'static str {
        match self {
            IngestError::Extract(e) => e.code(),
            IngestError::Sidecar(_) => "invalid_sidecar",
            IngestError::Read { .. } => "unreadable",
            IngestError::PersonalData(_) => "personal_data_found",
        }
    }
}

/// What happened to one file: its outcome, pages, words, and the record to write if any.
type OneFile = (FileOutcome, u32, u64, Option<IndexedReview>);

/// Runs the pipeline into one index.
#[derive(Clone)]
pub struct Ingester {
    index: ReviewIndex,
    classifier: Classifier,
    limits: extract::Limits,
    policy: Policy,
}

/// The id of a file: the first 16 hex digits of its SHA-256, and the full digest.
pub fn content_id(bytes: &[u8]) -> (String, String) {
    let digest = hex(&Sha256::digest(bytes));
    (digest[..16].to_string(), digest)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Ingester {
    pub fn new(index: ReviewIndex, classifier: Classifier) -> Ingester {
        Ingester {
            index,
            classifier,
            limits: extract::Limits::default(),
            policy: Policy::Redact,
        }
    }

    /// What to do with residual personal data (default: redact).
    pub fn with_policy(mut self, policy: Policy) -> Ingester {
        self.policy = policy;
        self
    }

    pub fn taxonomy(&self) -> &Taxonomy {
        self.classifier.taxonomy()
    }

    pub fn with_limits(mut self, limits: extract::Limits) -> Ingester {
        self.limits = limits;
        self
    }

    pub fn index(&self) -> &ReviewIndex {
        &self.index
    }

    /// Extract and classify one file's bytes into a record ready to index.
    pub fn prepare(
        &self,
        bytes: &[u8],
        file_name: &str,
        source_key: &str,
        sidecar: Option<&Sidecar>,
    ) -> Result<(IndexedReview, Extracted), IngestError> {
        let mut extracted = extract::extract_with(bytes, &self.limits)?;
        let personal_data =
            guard::apply(&mut extracted, self.policy).map_err(IngestError::PersonalData)?;
        let mut classified = self.classifier.classify(&extracted, file_name);
        if let Some(sidecar) = sidecar {
            sidecar.apply(&mut classified, &format!("{file_name}.meta.toml"));
        }
        let (id, sha256) = content_id(bytes);
        // A curator's override through the API outlives re-ingest and re-index.
        if let Ok(Some(o)) = crate::overrides::Overrides::for_index(self.index.dir()).get(&id) {
            o.fields.apply(&mut classified, &o.note());
        }
        let fingerprint = crate::fingerprint::signature(
            &extracted
                .passages
                .iter()
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
        );
        let review = Review {
            id,
            sha256,
            title: classified.title,
            source: file_name.to_string(),
            format: extracted.format,
            pages: extracted.page_count,
            words: extracted.words(),
            ingested_at: now_rfc3339(),
            facets: classified.facets,
            evidence: classified.evidence,
            suggested: classified.suggested,
            warnings: extracted.warnings.clone(),
            personal_data,
            fingerprint,
        };
        let indexed = IndexedReview {
            review,
            source_key: source_key.to_string(),
            passages: extracted.passages.clone(),
            full_text: extracted.full_text(),
            duplicate_of: None,
        };
        Ok((indexed, extracted))
    }

    /// Mark `indexed` as another file of a review already indexed or pending in this batch,
    /// when its text is nearly the same.
    pub fn join_duplicate(
        &self,
        indexed: &mut IndexedReview,
        pending: &[IndexedReview],
    ) -> Result<(), crate::index::IndexError> {
        let sig = &indexed.review.fingerprint;
        let in_batch = pending
            .iter()
            .filter(|p| p.duplicate_of.is_none())
            .map(|p| {
                (
                    crate::fingerprint::similarity(sig, &p.review.fingerprint),
                    &p.review.id,
                )
            })
            .filter(|(s, _)| *s >= crate::fingerprint::THRESHOLD)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, id)| id.clone());
        indexed.duplicate_of = match in_batch {
            Some(id) => Some(id),
            None => self.index.find_duplicate(sig, &indexed.source_key)?,
        };
        Ok(())
    }

    /// Ingest files and folders (recursively). Per-file failures are in the report; the
    /// result is an error only when the index itself cannot be written.
    pub fn ingest_paths(
        &self,
        paths: &[PathBuf],
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> crate::Result<Report> {
        let started = Instant::now();
        let mut files = Vec::new();
        let mut report = Report::default();
        for path in paths {
            match collect(path, &mut files, true) {
                Ok(()) => {}
                Err(e) => {
                    let line = FileReport {
                        path: path.clone(),
                        outcome: FileOutcome::Refused {
                            code: "unreadable",
                            reason: format!("{e}; check the path exists and is readable"),
                        },
                        pages: 0,
                        elapsed: Duration::ZERO,
                    };
                    progress(Progress::Done(&line));
                    report.refused += 1;
                    report.files.push(line);
                }
            }
        }
        // PDFs first, so that a review published as PDF and DOCX keeps the PDF's page numbers
        // and the DOCX joins it as another file.
        files.sort_by_key(|p| {
            let pdf = p.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
            (!pdf, p.clone())
        });
        progress(Progress::Found(files.len()));

        let mut batch: Vec<IndexedReview> = Vec::new();
        let mut batch_ids = std::collections::HashSet::new();
        // Files are read, extracted and classified on every core, a chunk at a time; what
        // depends on order (copies of a review, identical files, commits) is decided after, in
        // the files' order, so the result is the same as one file after another.
        for chunk in files.chunks(BATCH) {
            for (path, (mut outcome, pages, words, mut prepared), elapsed) in
                self.prepare_chunk(chunk)
            {
                if let Some(p) = prepared.as_ref()
                    && batch_ids.contains(&p.review.id)
                {
                    // The same bytes twice in one run (under two names).
                    outcome = FileOutcome::Unchanged {
                        id: p.review.id.clone(),
                    };
                    prepared = None;
                }
                if let Some(p) = prepared.as_mut() {
                    self.join_duplicate(p, &batch)?;
                    if let Some(review) = &p.duplicate_of {
                        outcome = FileOutcome::Joined {
                            id: p.review.id.clone(),
                            review: review.clone(),
                        };
                    }
                }
                let line = FileReport {
                    path,
                    outcome,
                    pages,
                    elapsed,
                };
                match &line.outcome {
                    FileOutcome::Ingested { .. } | FileOutcome::Joined { .. } => {
                        report.ingested += 1;
                        report.pages += u64::from(pages);
                        report.words += words;
                    }
                    FileOutcome::Unchanged { .. } => report.unchanged += 1,
                    FileOutcome::Refused { .. } => report.refused += 1,
                }
                if let Some(p) = prepared {
                    batch_ids.insert(p.review.id.clone());
                    batch.push(p);
                }
                progress(Progress::Done(&line));
                report.files.push(line);
            }
            if !batch.is_empty() {
                self.index.write(&batch, &[])?;
                batch.clear();
                batch_ids.clear();
            }
        }
        report.elapsed = started.elapsed();
        Ok(report)
    }

    /// Run [`Self::ingest_one`] over `chunk` on every core; results in the chunk's order.
    fn prepare_chunk(&self, chunk: &[PathBuf]) -> Vec<(PathBuf, OneFile, Duration)> {
        let workers = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(chunk.len())
            .max(1);
        let next = std::sync::atomic::AtomicUsize::new(0);
        let slots: Vec<std::sync::Mutex<Option<_>>> =
            chunk.iter().map(|_| std::sync::Mutex::new(None)).collect();
        let none = std::collections::HashSet::new();
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(path) = chunk.get(i) else { break };
                        let t0 = Instant::now();
                        let result = self.ingest_one(path, &none);
                        *slots[i].lock().unwrap_or_else(|p| p.into_inner()) =
                            Some((result, t0.elapsed()));
                    }
                });
            }
        });
        chunk
            .iter()
            .zip(slots)
            .map(|(path, slot)| {
                let (result, elapsed) = slot
                    .into_inner()
                    .unwrap_or_else(|p| p.into_inner())
                    .expect("every slot is filled by a worker");
                (path.clone(), result, elapsed)
            })
            .collect()
    }

    fn ingest_one(&self, path: &Path, pending: &std::collections::HashSet<String>) -> OneFile {
        let refused = |e: IngestError| {
            let hint = match &e {
                IngestError::Extract(_)
                | IngestError::Read { .. }
                | IngestError::PersonalData(_) => String::new(),
                IngestError::Sidecar(_) => "; fix or remove the sidecar file".into(),
            };
            FileOutcome::Refused {
                code: e.code(),
                reason: format!("{e}{hint}"),
            }
        };
        let bytes = match read_bounded(path, self.limits.max_file_bytes) {
            Ok(b) => b,
            Err(e) => return (refused(e), 0, 0, None),
        };
        let sidecar = match Sidecar::load_for(path, self.classifier.taxonomy()) {
            Ok(s) => s,
            Err(e) => return (refused(e.into()), 0, 0, None),
        };
        let (id, _) = content_id(&bytes);
        // Unchanged bytes with no curator override to re-apply: nothing to do.
        if sidecar.is_none() && (pending.contains(&id) || self.index.contains(&id).unwrap_or(false))
        {
            return (FileOutcome::Unchanged { id }, 0, 0, None);
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let source_key = source_key(path);
        match self.prepare(&bytes, &name, &source_key, sidecar.as_ref()) {
            Ok((indexed, extracted)) => {
                let pages = extracted.page_count.unwrap_or(0);
                let words = indexed.review.words;
                let outcome = FileOutcome::Ingested {
                    id: indexed.review.id.clone(),
                    title: indexed.review.title.clone(),
                };
                (outcome, pages, words, Some(indexed))
            }
            Err(e) => (refused(e), 0, 0, None),
        }
    }
}

/// The source key of an upload: uploads of the same file name replace each other.
pub fn source_key_for_upload(name: &str) -> String {
    let digest = hex(&Sha256::digest(format!("upload:{name}").as_bytes()));
    digest[..16].to_string()
}

/// A stable key for where a file came from, without storing its path.
pub fn source_key(path: &Path) -> String {
    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let digest = hex(&Sha256::digest(canonical.to_string_lossy().as_bytes()));
    digest[..16].to_string()
}

fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>, IngestError> {
    let err = |source| IngestError::Read {
        path: path.display().to_string(),
        source,
    };
    let len = std::fs::metadata(path).map_err(err)?.len();
    if len > max {
        return Err(IngestError::Extract(extract::Error::TooLarge(format!(
            "{len} bytes is over the {max} byte limit"
        ))));
    }
    std::fs::read(path).map_err(err)
}

/// Files under `path`. In folders, hidden files, sidecars and documentation are skipped;
/// a file named explicitly is always tried.
fn collect(path: &Path, out: &mut Vec<PathBuf>, explicit: bool) -> std::io::Result<()> {
    let meta = std::fs::metadata(path)?;
    if meta.is_file() {
        if explicit || is_candidate(path) {
            out.push(path.to_path_buf());
        }
        return Ok(());
    }
    if meta.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for entry in entries {
            let hidden = entry
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if !hidden {
                collect(&entry, out, false)?;
            }
        }
    }
    Ok(())
}

fn is_candidate(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    const SKIP: [&str; 7] = [
        ".meta.toml",
        ".md",
        ".txt",
        ".toml",
        ".json",
        ".csv",
        ".html",
    ];
    !SKIP.iter().any(|s| name.ends_with(s))
}

fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_the_bytes() {
        let (a, full) = content_id(b"one");
        assert_eq!(a.len(), 16);
        assert_eq!(full.len(), 64);
        assert_eq!(content_id(b"one").0, a);
        assert_ne!(content_id(b"two").0, a);
    }

    #[test]
    fn folders_skip_sidecars_and_documentation() {
        assert!(is_candidate(Path::new("a/review.pdf")));
        assert!(is_candidate(Path::new("a/review-without-extension")));
        assert!(!is_candidate(Path::new("a/review.pdf.meta.toml")));
        assert!(!is_candidate(Path::new("a/README.md")));
    }
}
