//! Search: requests → tantivy queries, facet counts, passages, snippets.
//!
//! [`Service`] is the engine behind the HTTP API and the CLI; it knows nothing of HTTP.
//! Handlers call it inside `spawn_blocking`.

mod brief;
mod query;
mod request;
mod response;
mod service;

pub use self::brief::{Brief, BriefItem};
pub use self::query::{QueryOptions, Synonyms};

pub use self::request::{MAX_PASSAGES, MAX_PER_PAGE, SearchRequest, Sort};
pub use self::response::{FacetCount, Hit, HitPassage, ReviewDetail, SearchResponse, Stats};
pub use self::service::Service;

/// Why a search could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// A parameter is malformed or out of bounds.
    #[error("{0}")]
    InvalidParameter(String),
    /// A facet value that the taxonomy does not know.
    #[error("{0}")]
    UnknownFacetValue(String),
    /// No review with this id.
    #[error("no review with id `{0}`")]
    NotFound(String),
    #[error(transparent)]
    Index(#[from] crate::index::IndexError),
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> Self {
        SearchError::Index(e.into())
    }
}
