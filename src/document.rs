//! Plain domain types shared by every stage of the pipeline.
//!
//! This module depends on nothing else in the crate. Its types are what the other modules pass
//! to each other: [`Extracted`] text from `extract`, [`Facets`] and [`Evidence`] from
//! `classify`, and the [`Review`] record that `index` stores and `search` returns.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The file formats cairn reads. Sniffed from the bytes, never from the file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Pdf,
    Docx,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
        }
    }
}

/// One printed page: everything on it in reading order, running headers and footers included.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Page {
    /// 1-based page number.
    pub number: u32,
    pub text: String,
}

/// A run of text under one heading, without running headers, footers or page numbers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Section {
    pub heading: String,
    /// The page the section starts on; `None` for formats without pages (DOCX).
    pub page: Option<u32>,
    pub text: String,
}

/// A paragraph-sized chunk of clean text: the unit that search returns and cites.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Passage {
    pub page: Option<u32>,
    pub section: Option<String>,
    pub text: String,
    /// ISO 639-1 code where known (`en`, `cy`), else whatlang's ISO 639-3 code.
    pub language: Option<String>,
}

/// The text of one file, as the extractor found it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Extracted {
    pub format: Format,
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
    pub passages: Vec<Passage>,
    /// Document metadata (PDF Info, DOCX core properties). Kept for inspection by the
    /// personal-data guard; never indexed.
    pub metadata: BTreeMap<String, String>,
    /// Languages present, most text first.
    pub languages: Vec<String>,
    pub warnings: Vec<String>,
    /// The document's own page count where the format knows it (DOCX app properties).
    pub page_count: Option<u32>,
}

impl Extracted {
    /// Number of words in the clean text (passages).
    pub fn words(&self) -> u64 {
        self.passages
            .iter()
            .map(|p| p.text.split_whitespace().count() as u64)
            .sum()
    }

    /// `partial` when part of the text could not be decoded (the warnings say where), else
    /// `ok`. A file with no text at all is never a success: it is an extraction error.
    pub fn status(&self) -> &'static str {
        if self.warnings.iter().any(|w| w.starts_with("partial")) {
            "partial"
        } else {
            "ok"
        }
    }

    /// The full text, pages separated by form feeds.
    pub fn full_text(&self) -> String {
        let mut out = String::new();
        for (i, page) in self.pages.iter().enumerate() {
            if i > 0 {
                out.push('\u{c}');
            }
            out.push_str(&page.text);
        }
        out
    }
}

/// Every facet of one review. Keys are the kebab-case keys of the taxonomy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Facets {
    pub review_type: Option<String>,
    pub nation: Option<String>,
    pub year: Option<u16>,
    pub age_band: Option<String>,
    pub child_age_years: Option<f32>,
    pub outcome: Option<String>,
    pub themes: Vec<String>,
    pub risk_factors: Vec<String>,
    pub practice_themes: Vec<String>,
    pub languages: Vec<String>,
}

/// A passage that made the classifier assign a value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidencePassage {
    pub page: Option<u32>,
    pub text: String,
}

/// Why a review carries a facet value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The facet's API parameter name: `theme`, `risk`, `age`, `type`, …
    pub facet: String,
    pub value: String,
    pub passages: Vec<EvidencePassage>,
}

/// One ingested review: what the index stores besides its text.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Review {
    /// Stable id derived from the file's bytes.
    pub id: String,
    pub sha256: String,
    pub title: String,
    /// The file name (never a path).
    pub source: String,
    pub format: Format,
    pub pages: Option<u32>,
    pub words: u64,
    /// RFC 3339 time of ingest.
    pub ingested_at: String,
    pub facets: Facets,
    pub evidence: Vec<Evidence>,
    pub warnings: Vec<String>,
    /// Themes and risk factors the text affirms too seldom to tag, with their passages: shown to
    /// curators only, to confirm through the facets override or leave.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suggested: Vec<Evidence>,
    /// Residual personal data indexed under the `flag` policy: shown to curators only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub personal_data: Vec<String>,
    /// MinHash signature of the text, to recognise the same review in another file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fingerprint: Vec<u64>,
}

/// One file of a review: a review published as PDF and DOCX, or republished, has several.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileRef {
    /// The file's own id (from its bytes).
    pub id: String,
    pub source: String,
    pub format: Format,
    pub pages: Option<u32>,
    pub sha256: String,
    pub ingested_at: String,
}

impl Review {
    pub fn file_ref(&self) -> FileRef {
        FileRef {
            id: self.id.clone(),
            source: self.source.clone(),
            format: self.format,
            pages: self.pages,
            sha256: self.sha256.clone(),
            ingested_at: self.ingested_at.clone(),
        }
    }
}
