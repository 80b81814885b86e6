//! The tantivy index: schema, the one writer, commits and deletes.
//!
//! Layout: one index directory holding two kinds of document, told apart by the `kind` field.
//! - a *review* document per review: `id`, `title`, the whole clean text in `body` for ranking,
//!   every facet value as a tantivy `Facet` (`/theme/neglect`, `/risk/domestic-abuse`, …) in
//!   `facet`, `year` as a fast field, the [`Review`] record as stored JSON in `meta` and the
//!   page text (pages separated by form feeds) stored in `fulltext`;
//! - a *passage* document per paragraph-sized chunk: the review's `id`, `text`, `page`,
//!   `section`, `ord` (its position in the review) and `lang`.
//!
//! One index rather than two keeps a review and its passages in one commit: a delete by the
//! `id` term removes both at once, so a reader never sees passages without their review.
//! Ids come from the file's bytes; `source` (a hash of where the file came from) lets a changed
//! file replace its old version. Commits are all-or-nothing (tantivy's guarantee): a crash
//! mid-ingest leaves the last commit intact.
//!
//! This module knows nothing of HTTP.

pub mod schema;
pub mod welsh;

pub use self::schema::Fields;

use crate::document::{Passage, Review};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// Errors of the index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// No index in the directory.
    #[error("no index at {0}; build one with `cairn ingest PATH --index {0}`")]
    Missing(String),
    /// The directory cannot be created or read.
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    /// Another process holds the writer.
    #[error("the index at {0} is being written by another process; try again when it finishes")]
    Locked(String),
    /// A stored record does not parse: the index was written by an incompatible version.
    #[error("stored review {id} cannot be read ({message}); rebuild the index")]
    Corrupt { id: String, message: String },
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

/// A review ready to be written: the record, its passages and its page text.
#[derive(Debug, Clone)]
pub struct IndexedReview {
    pub review: Review,
    /// Hash of the file's origin (path or upload name), to replace older versions.
    pub source_key: String,
    pub passages: Vec<Passage>,
    /// Pages separated by form feeds.
    pub full_text: String,
    /// When this file is another copy of an indexed review: that review's id.
    pub duplicate_of: Option<String>,
}

/// A handle on the index; cheap to clone and share between threads.
#[derive(Clone)]
pub struct ReviewIndex {
    inner: Arc<Inner>,
}

struct Inner {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// Writes are serialised here; the tantivy writer is taken per batch so that another
    /// process (a `cairn ingest` beside a running `serve`) can write in between.
    write_lock: Mutex<()>,
}

/// Memory budget of the tantivy writer.
const WRITER_HEAP: usize = 100_000_000;

impl ReviewIndex {
    /// Does `dir` hold an index?
    pub fn exists(dir: &Path) -> bool {
        dir.join("meta.json").is_file()
    }

    /// Open the index in `dir`, or create an empty one.
    pub fn open_or_create(dir: &Path) -> Result<ReviewIndex, IndexError> {
        std::fs::create_dir_all(dir).map_err(|source| IndexError::Io {
            path: dir.display().to_string(),
            source,
        })?;
        let (schema, fields) = schema::build();
        let directory = tantivy::directory::MmapDirectory::open(dir)
            .map_err(|e| IndexError::Tantivy(e.into()))?;
        let index = Index::open_or_create(directory, schema)?;
        ReviewIndex::from_index(dir, index, fields)
    }

    /// Open an existing index.
    pub fn open(dir: &Path) -> Result<ReviewIndex, IndexError> {
        if !ReviewIndex::exists(dir) {
            return Err(IndexError::Missing(dir.display().to_string()));
        }
        ReviewIndex::open_or_create(dir)
    }

    fn from_index(dir: &Path, index: Index, fields: Fields) -> Result<ReviewIndex, IndexError> {
        schema::register_tokenizers(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Ok(ReviewIndex {
            inner: Arc::new(Inner {
                dir: dir.to_path_buf(),
                index,
                reader,
                fields,
                write_lock: Mutex::new(()),
            }),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.inner.dir
    }

    pub fn fields(&self) -> &Fields {
        &self.inner.fields
    }

    pub fn tantivy(&self) -> &Index {
        &self.inner.index
    }

    /// A searcher on the last commit.
    pub fn searcher(&self) -> tantivy::Searcher {
        self.inner.reader.searcher()
    }

    fn writer(&self) -> Result<IndexWriter, IndexError> {
        match self.inner.index.writer_with_num_threads(1, WRITER_HEAP) {
            Ok(w) => Ok(w),
            Err(tantivy::TantivyError::LockFailure(..)) => {
                Err(IndexError::Locked(self.inner.dir.display().to_string()))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Is a file with this id in the last commit (as a review or as another copy of one)?
    pub fn contains(&self, id: &str) -> Result<bool, IndexError> {
        Ok(self.canonical_id(id)?.is_some())
    }

    /// The review a file id belongs to: itself, or the review it is a copy of.
    pub fn canonical_id(&self, id: &str) -> Result<Option<String>, IndexError> {
        let f = &self.inner.fields;
        let searcher = self.searcher();
        let q = TermQuery::new(Term::from_field_text(f.id, id), IndexRecordOption::Basic);
        for (_, addr) in searcher.search(&q, &TopDocs::with_limit(64).order_by_score())? {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let kind = doc.get_first(f.kind).and_then(|v| v.as_str()).unwrap_or("");
            if kind == schema::KIND_REVIEW {
                return Ok(Some(id.to_string()));
            }
            if kind == schema::KIND_DUPLICATE {
                return Ok(doc
                    .get_first(f.dup_of)
                    .and_then(|v| v.as_str())
                    .map(str::to_string));
            }
        }
        Ok(None)
    }

    /// The indexed review whose text is nearly the same as `signature`, if any. Reviews from
    /// `source` are skipped: a changed file replaces its old version rather than joining it.
    pub fn find_duplicate(
        &self,
        signature: &[u64],
        source: &str,
    ) -> Result<Option<String>, IndexError> {
        let bands = crate::fingerprint::bands(signature);
        if bands.is_empty() {
            return Ok(None);
        }
        let replaced = self.ids_from_source(source)?;
        let f = &self.inner.fields;
        let searcher = self.searcher();
        let q = tantivy::query::BooleanQuery::new(
            bands
                .iter()
                .map(|b| {
                    let q: Box<dyn tantivy::query::Query> = Box::new(TermQuery::new(
                        Term::from_field_text(f.band, b),
                        IndexRecordOption::Basic,
                    ));
                    (tantivy::query::Occur::Should, q)
                })
                .collect(),
        );
        let mut best: Option<(f64, String)> = None;
        for (_, addr) in searcher.search(&q, &TopDocs::with_limit(50).order_by_score())? {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let review = schema::review_from_doc(f, &doc)?;
            let s = crate::fingerprint::similarity(signature, &review.fingerprint);
            if !replaced.contains(&review.id)
                && s >= crate::fingerprint::THRESHOLD
                && best.as_ref().is_none_or(|(b, _)| s > *b)
            {
                best = Some((s, review.id));
            }
        }
        Ok(best.map(|(_, id)| id))
    }

    /// Every file of a review: its own, then the copies found later.
    pub fn files(&self, review: &Review) -> Result<Vec<crate::document::FileRef>, IndexError> {
        let f = &self.inner.fields;
        let searcher = self.searcher();
        let q = TermQuery::new(
            Term::from_field_text(f.dup_of, &review.id),
            IndexRecordOption::Basic,
        );
        let mut files = vec![review.file_ref()];
        for (_, addr) in searcher.search(&q, &TopDocs::with_limit(1000).order_by_score())? {
            let doc: TantivyDocument = searcher.doc(addr)?;
            files.push(schema::review_from_doc(f, &doc)?.file_ref());
        }
        Ok(files)
    }

    /// Write reviews in one commit, replacing older versions from the same source, and
    /// delete `remove` ids in the same commit.
    pub fn write(&self, reviews: &[IndexedReview], remove: &[String]) -> Result<(), IndexError> {
        let _guard = self
            .inner
            .write_lock
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut writer = self.writer()?;
        let f = &self.inner.fields;
        for id in remove {
            writer.delete_term(Term::from_field_text(f.id, id));
            writer.delete_term(Term::from_field_text(f.dup_of, id));
        }
        for r in reviews {
            // The same bytes ingested again replace themselves (same id); a changed file
            // replaces the version that came from the same source.
            writer.delete_term(Term::from_field_text(f.id, &r.review.id));
            for old in self.ids_from_source(&r.source_key)? {
                writer.delete_term(Term::from_field_text(f.id, &old));
                // A replaced review takes its other copies with it; they are found again
                // (and joined to the new version) when they are next ingested.
                writer.delete_term(Term::from_field_text(f.dup_of, &old));
            }
            if let Some(of) = &r.duplicate_of {
                writer.add_document(schema::duplicate_doc(f, r, of))?;
                continue;
            }
            writer.add_document(schema::review_doc(f, r))?;
            for (ord, passage) in r.passages.iter().enumerate() {
                writer.add_document(schema::passage_doc(f, &r.review.id, ord as u64, passage))?;
            }
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        self.inner.reader.reload()?;
        Ok(())
    }

    /// Replace a review's stored record (facets, title, evidence), keeping its passages, text
    /// and other files.
    pub fn update_record(&self, review: &Review) -> Result<(), IndexError> {
        let f = &self.inner.fields;
        let Some(doc) = self.review_doc(&review.id)? else {
            return Err(IndexError::Corrupt {
                id: review.id.clone(),
                message: "no such review to update".into(),
            });
        };
        let source_key = doc
            .get_first(f.source)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string();
        let full_text = doc
            .get_first(f.fulltext)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string();
        let indexed = IndexedReview {
            review: review.clone(),
            source_key,
            passages: self.passages(&review.id)?,
            full_text,
            duplicate_of: None,
        };
        let _guard = self
            .inner
            .write_lock
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut writer = self.writer()?;
        writer.delete_query(Box::new(of_kind(f, &review.id, schema::KIND_REVIEW)))?;
        writer.add_document(schema::review_doc(f, &indexed))?;
        writer.commit()?;
        writer.wait_merging_threads()?;
        self.inner.reader.reload()?;
        Ok(())
    }

    /// Delete a review with its passages and all its files. Any of its file ids names it.
    /// Returns whether it existed.
    pub fn delete(&self, id: &str) -> Result<bool, IndexError> {
        let Some(canonical) = self.canonical_id(id)? else {
            return Ok(false);
        };
        self.write(&[], &[canonical])?;
        Ok(true)
    }

    fn ids_from_source(&self, source_key: &str) -> Result<Vec<String>, IndexError> {
        let f = &self.inner.fields;
        let searcher = self.searcher();
        let query = TermQuery::new(
            Term::from_field_text(f.source, source_key),
            IndexRecordOption::Basic,
        );
        let docs = searcher.search(&query, &TopDocs::with_limit(100).order_by_score())?;
        let mut ids = Vec::new();
        for (_, addr) in docs {
            let doc: TantivyDocument = searcher.doc(addr)?;
            if let Some(id) = doc.get_first(f.id).and_then(|v| v.as_str()) {
                ids.push(id.to_string());
            }
        }
        Ok(ids)
    }

    /// The stored record of a review; a copy's id gives the review it is a copy of.
    pub fn review(&self, id: &str) -> Result<Option<Review>, IndexError> {
        let Some(id) = self.canonical_id(id)? else {
            return Ok(None);
        };
        let Some(doc) = self.review_doc(&id)? else {
            return Ok(None);
        };
        schema::review_from_doc(&self.inner.fields, &doc).map(Some)
    }

    /// The stored page text of a review, pages separated by form feeds.
    pub fn text(&self, id: &str) -> Result<Option<String>, IndexError> {
        let Some(id) = self.canonical_id(id)? else {
            return Ok(None);
        };
        Ok(self.review_doc(&id)?.and_then(|doc| {
            doc.get_first(self.inner.fields.fulltext)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        }))
    }

    fn review_doc(&self, id: &str) -> Result<Option<TantivyDocument>, IndexError> {
        let f = &self.inner.fields;
        let searcher = self.searcher();
        let q = of_kind(f, id, schema::KIND_REVIEW);
        let top = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
        match top.first() {
            Some((_, addr)) => Ok(Some(searcher.doc(*addr)?)),
            None => Ok(None),
        }
    }

    /// A review's passages in reading order.
    pub fn passages(&self, id: &str) -> Result<Vec<Passage>, IndexError> {
        let f = &self.inner.fields;
        let searcher = self.searcher();
        let q = of_kind(f, id, schema::KIND_PASSAGE);
        let n = searcher.search(&q, &Count)?;
        let top = searcher.search(
            &q,
            &TopDocs::with_limit(n.max(1)).order_by_fast_field::<u64>("ord", tantivy::Order::Asc),
        )?;
        let mut out = Vec::with_capacity(n);
        for (_, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            out.push(schema::passage_from_doc(f, &doc));
        }
        Ok(out)
    }

    /// Every stored review record, in index order.
    pub fn all_reviews(&self) -> Result<Vec<Review>, IndexError> {
        let f = &self.inner.fields;
        let searcher = self.searcher();
        let q = TermQuery::new(
            Term::from_field_text(f.kind, schema::KIND_REVIEW),
            IndexRecordOption::Basic,
        );
        let n = searcher.search(&q, &Count)?;
        let top = searcher.search(&q, &TopDocs::with_limit(n.max(1)).order_by_score())?;
        let mut out = Vec::with_capacity(n);
        for (_, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            out.push(schema::review_from_doc(f, &doc)?);
        }
        Ok(out)
    }
}

pub use self::schema::{KIND_DUPLICATE, KIND_PASSAGE, KIND_REVIEW, facet_path};

/// The documents of one kind (a review, its passages) that carry `id`.
fn of_kind(f: &Fields, id: &str, kind: &str) -> tantivy::query::BooleanQuery {
    tantivy::query::BooleanQuery::intersection(vec![
        Box::new(TermQuery::new(
            Term::from_field_text(f.id, id),
            IndexRecordOption::Basic,
        )),
        Box::new(TermQuery::new(
            Term::from_field_text(f.kind, kind),
            IndexRecordOption::Basic,
        )),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Facets, Format};

    fn review(id: &str, source: &str) -> IndexedReview {
        IndexedReview {
            review: Review {
                id: id.into(),
                sha256: "0".repeat(64),
                title: format!("Review {id}"),
                source: "r.pdf".into(),
                format: Format::Pdf,
                pages: Some(1),
                words: 3,
                ingested_at: String::new(),
                facets: Facets {
                    themes: vec!["neglect".into()],
                    ..Facets::default()
                },
                evidence: vec![],
                warnings: vec![],
                personal_data: vec![],
                suggested: vec![],
                fingerprint: vec![],
            },
            source_key: source.into(),
            duplicate_of: None,
            passages: vec![Passage {
                page: Some(1),
                section: None,
                text: "signs of neglect".into(),
                language: None,
            }],
            full_text: "signs of neglect".into(),
        }
    }

    #[test]
    fn writes_replace_by_source_and_deletes_remove_passages_too() {
        let dir = tempfile::tempdir().unwrap();
        let index = ReviewIndex::open_or_create(dir.path()).unwrap();
        index.write(&[review("aaaa", "src1")], &[]).unwrap();
        assert!(index.contains("aaaa").unwrap());
        index.write(&[review("bbbb", "src1")], &[]).unwrap();
        assert!(
            !index.contains("aaaa").unwrap(),
            "replaced by the new version"
        );
        assert!(index.delete("bbbb").unwrap());
        assert!(!index.delete("bbbb").unwrap());
        let searcher = index.searcher();
        assert_eq!(searcher.num_docs(), 0, "no orphan passages");
    }

    #[test]
    fn opening_a_missing_index_says_how_to_build_one() {
        let dir = tempfile::tempdir().unwrap();
        let err = ReviewIndex::open(&dir.path().join("none"))
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("cairn ingest"), "{err}");
    }
}
