//! The tantivy schema and the mapping between [`Review`] records and documents.

use super::{IndexError, IndexedReview};
use crate::document::{Facets, Passage, Review};
use tantivy::schema::{
    FAST, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions, Value,
};
use tantivy::{Index, TantivyDocument};

pub const KIND_REVIEW: &str = "review";
pub const KIND_PASSAGE: &str = "passage";
/// Another file of a review already indexed (same text, other bytes).
pub const KIND_DUPLICATE: &str = "duplicate";

/// The English analyser: words, lower case, Porter/Snowball English stemming.
pub const EN: &str = "en_stem";

/// Handles on the schema's fields.
#[derive(Debug, Clone)]
pub struct Fields {
    pub kind: Field,
    pub id: Field,
    pub source: Field,
    pub title: Field,
    pub body: Field,
    pub facet: Field,
    pub year: Field,
    pub meta: Field,
    pub fulltext: Field,
    pub text: Field,
    pub page: Field,
    pub section: Field,
    pub ord: Field,
    pub lang: Field,
    /// On a duplicate file: the id of the review it belongs to.
    pub dup_of: Field,
    /// LSH band keys of a review's text signature.
    pub band: Field,
    /// Welsh text, with the Welsh analyser: the review's Welsh passages, and a Welsh passage.
    pub body_cy: Field,
    pub text_cy: Field,
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let analysed = |tokenizer: &str, stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let options = TextOptions::default().set_indexing_options(indexing);
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let english = |stored: bool| analysed(EN, stored);
    let welsh = |stored: bool| analysed(super::welsh::CY, stored);
    let fields = Fields {
        kind: b.add_text_field("kind", STRING | STORED),
        id: b.add_text_field("id", STRING | STORED | FAST),
        source: b.add_text_field("source", STRING | STORED),
        title: b.add_text_field("title", english(true)),
        body: b.add_text_field("body", english(false)),
        facet: b.add_facet_field("facet", FacetOptions::default()),
        year: b.add_u64_field("year", INDEXED | FAST | STORED),
        meta: b.add_text_field("meta", STORED),
        fulltext: b.add_text_field("fulltext", STORED),
        text: b.add_text_field("text", english(true)),
        page: b.add_u64_field("page", STORED),
        section: b.add_text_field("section", STORED),
        ord: b.add_u64_field("ord", STORED | FAST),
        lang: b.add_text_field("lang", STRING | STORED),
        dup_of: b.add_text_field("dup_of", STRING | STORED),
        band: b.add_text_field("band", STRING),
        body_cy: b.add_text_field("body_cy", welsh(false)),
        text_cy: b.add_text_field("text_cy", welsh(true)),
    };
    (b.build(), fields)
}

/// Register the analysers the schema names (tantivy ships `en_stem`; Welsh is ours).
pub fn register_tokenizers(index: &Index) {
    index
        .tokenizers()
        .register(super::welsh::CY, super::welsh::analyzer());
}

/// Is a passage in Welsh (and so analysed as Welsh)?
fn is_welsh(p: &Passage) -> bool {
    p.language.as_deref() == Some("cy")
}

/// The facet path of a value: `/theme/neglect`.
pub fn facet_path(group: &str, key: &str) -> String {
    format!("/{group}/{key}")
}

fn facet_paths(f: &Facets) -> Vec<String> {
    let mut out = Vec::new();
    let one = |group: &str, v: &Option<String>, out: &mut Vec<String>| {
        if let Some(k) = v {
            out.push(facet_path(group, k));
        }
    };
    one("type", &f.review_type, &mut out);
    one("nation", &f.nation, &mut out);
    one("age", &f.age_band, &mut out);
    one("outcome", &f.outcome, &mut out);
    for (group, values) in [
        ("theme", &f.themes),
        ("risk", &f.risk_factors),
        ("practice", &f.practice_themes),
        ("language", &f.languages),
    ] {
        for k in values {
            out.push(facet_path(group, k));
        }
    }
    out
}

pub fn review_doc(f: &Fields, r: &IndexedReview) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.kind, KIND_REVIEW);
    doc.add_text(f.id, &r.review.id);
    doc.add_text(f.source, &r.source_key);
    doc.add_text(f.title, &r.review.title);
    let (mut body, mut body_cy) = (String::new(), String::new());
    for p in &r.passages {
        let target = if is_welsh(p) { &mut body_cy } else { &mut body };
        target.push_str(&p.text);
        target.push('\n');
    }
    doc.add_text(f.body, &body);
    doc.add_text(f.body_cy, &body_cy);
    for path in facet_paths(&r.review.facets) {
        doc.add_facet(f.facet, tantivy::schema::Facet::from(path.as_str()));
    }
    if let Some(y) = r.review.facets.year {
        doc.add_u64(f.year, u64::from(y));
    }
    doc.add_text(
        f.meta,
        serde_json::to_string(&r.review).expect("a Review always serialises"),
    );
    doc.add_text(f.fulltext, &r.full_text);
    for band in crate::fingerprint::bands(&r.review.fingerprint) {
        doc.add_text(f.band, band);
    }
    doc
}

/// A file that is another copy of review `of`: findable by its id, counted nowhere.
pub fn duplicate_doc(f: &Fields, r: &IndexedReview, of: &str) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.kind, KIND_DUPLICATE);
    doc.add_text(f.id, &r.review.id);
    doc.add_text(f.source, &r.source_key);
    doc.add_text(f.dup_of, of);
    doc.add_text(
        f.meta,
        serde_json::to_string(&r.review).expect("a Review always serialises"),
    );
    doc
}

pub fn passage_doc(f: &Fields, review_id: &str, ord: u64, p: &Passage) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.kind, KIND_PASSAGE);
    doc.add_text(f.id, review_id);
    doc.add_text(if is_welsh(p) { f.text_cy } else { f.text }, &p.text);
    doc.add_u64(f.page, p.page.map(u64::from).unwrap_or(0));
    if let Some(s) = &p.section {
        doc.add_text(f.section, s);
    }
    doc.add_u64(f.ord, ord);
    if let Some(l) = &p.language {
        doc.add_text(f.lang, l);
    }
    doc
}

pub fn review_from_doc(f: &Fields, doc: &TantivyDocument) -> Result<Review, IndexError> {
    let id = doc
        .get_first(f.id)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string();
    let meta = doc
        .get_first(f.meta)
        .and_then(|v| v.as_str())
        .ok_or_else(|| IndexError::Corrupt {
            id: id.clone(),
            message: "no stored metadata".into(),
        })?;
    serde_json::from_str(meta).map_err(|e| IndexError::Corrupt {
        id,
        message: e.to_string(),
    })
}

/// A stored passage, read back from its document.
pub fn passage_from_doc(f: &Fields, doc: &TantivyDocument) -> Passage {
    let page = doc.get_first(f.page).and_then(|v| v.as_u64()).unwrap_or(0);
    Passage {
        page: (page > 0).then_some(page as u32),
        section: doc
            .get_first(f.section)
            .and_then(|v| v.as_str())
            .map(str::to_string),
        text: doc
            .get_first(f.text)
            .or_else(|| doc.get_first(f.text_cy))
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string(),
        language: doc
            .get_first(f.lang)
            .and_then(|v| v.as_str())
            .map(str::to_string),
    }
}
