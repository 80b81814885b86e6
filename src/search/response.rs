//! The shapes search answers with (API.md).

use crate::classify::accuracy::{Estimate, ValueAccuracy};
use crate::document::{Evidence, Facets, FileRef, Format, Review};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
pub struct SearchResponse {
    pub query: String,
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub took_ms: u64,
    pub hits: Vec<Hit>,
    pub facets: BTreeMap<String, Vec<FacetCount>>,
}

/// One review in a result list: its facets, flattened, as API.md shows them.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: String,
    pub title: String,
    #[serde(flatten)]
    pub facets: Facets,
    /// BM25 score; `null` when sorted by year.
    pub score: Option<f32>,
    pub passages: Vec<HitPassage>,
}

impl Hit {
    pub fn from_review(r: &Review, score: Option<f32>) -> Hit {
        Hit {
            id: r.id.clone(),
            title: r.title.clone(),
            facets: r.facets.clone(),
            score,
            passages: Vec::new(),
        }
    }
}

/// A passage of a hit with its snippet.
#[derive(Debug, Clone, Serialize)]
pub struct HitPassage {
    /// 1-based PDF page; `null` for DOCX.
    pub page: Option<u32>,
    pub section: Option<String>,
    /// HTML-escaped text in which only `<mark>` and `</mark>` are markup.
    pub snippet: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FacetCount {
    pub value: String,
    pub label: String,
    pub count: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selected: Option<bool>,
    /// How often the value was right when measured on labelled reviews (`GET /api/v1/facets`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accuracy: Option<ValueAccuracy>,
    /// How many reviews of the collection likely carry the value, from `count` and `accuracy`
    /// (`GET /api/v1/facets`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimated: Option<Estimate>,
}

/// `GET /api/v1/reviews/{id}`.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewDetail {
    #[serde(flatten)]
    pub hit: Hit,
    pub source: String,
    pub format: Format,
    pub pages: Option<u32>,
    pub words: u64,
    pub ingested_at: String,
    pub sha256: String,
    pub warnings: Vec<String>,
    pub evidence: Vec<Evidence>,
    /// Every file of the review (PDF and DOCX, republications): counted as one review.
    pub files: Vec<FileRef>,
    /// Residual personal data flagged at ingest; present for curators and admins only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub personal_data: Option<Vec<String>>,
    /// Themes and risk factors the text affirms too seldom to tag; present for curators and
    /// admins only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggested: Option<Vec<Evidence>>,
}

impl ReviewDetail {
    pub fn from_review(r: Review) -> ReviewDetail {
        let hit = Hit::from_review(&r, None);
        let files = vec![r.file_ref()];
        ReviewDetail {
            hit,
            source: r.source,
            format: r.format,
            pages: r.pages,
            words: r.words,
            ingested_at: r.ingested_at,
            sha256: r.sha256,
            warnings: r.warnings,
            evidence: r.evidence,
            personal_data: Some(r.personal_data),
            // A suggestion a curator confirms leaves the list when the override is applied.
            suggested: Some(r.suggested),
            files,
        }
    }
}

/// `GET /api/v1/stats`.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub reviews: u64,
    pub pages: u64,
    pub words: u64,
    pub by_year: BTreeMap<String, u64>,
}
