//! cairn: a search engine for learning from child-protection case reviews.
//!
//! Data flows one way (see `DESIGN.md`):
//! file bytes → [`extract`] → [`classify`] → [`index`] ← [`search`] ← [`api`].
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use cairn::{classify::{Classifier, Taxonomy}, index::ReviewIndex, ingest::Ingester};
//! use cairn::search::{SearchRequest, Service};
//!
//! let dir = tempfile::tempdir()?;
//! let index = ReviewIndex::open_or_create(dir.path())?;
//! let ingester = Ingester::new(index.clone(), Classifier::new(Taxonomy::builtin()));
//! let report = ingester.ingest_paths(&[std::path::PathBuf::from("tests/fixtures/two-page-review.pdf")], &mut |_| {})?;
//! assert_eq!(report.ingested, 1);
//!
//! let service = Service::new(index, Taxonomy::builtin());
//! let answer = service.search(&SearchRequest { q: "neglect".into(), ..SearchRequest::default() })?;
//! assert_eq!(answer.total, 1);
//! # Ok(())
//! # }
//! ```

#![forbid(unsafe_code)]

pub mod api;
pub mod bench;
pub mod classify;
pub mod cli;
pub mod document;
pub mod eval;
pub mod extract;
pub mod fingerprint;
pub mod guard;
pub mod index;
pub mod ingest;
pub mod keys;
pub mod overrides;
pub mod search;

/// Every error of the library, lifted from the module that raised it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Extract(#[from] extract::Error),
    #[error(transparent)]
    Index(#[from] index::IndexError),
    #[error(transparent)]
    Search(#[from] search::SearchError),
    #[error(transparent)]
    Taxonomy(#[from] classify::TaxonomyError),
    #[error(transparent)]
    Sidecar(#[from] classify::SidecarError),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
