//! Search that finds what practitioners mean, through the HTTP router.

use crate::common::corpus;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use cairn::classify::{Classifier, Taxonomy};
use cairn::document::Page;
use cairn::index::{IndexedReview, ReviewIndex};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

async fn search(q: &str) -> Value {
    let encoded: String = q.bytes().map(|b| format!("%{b:02X}")).collect();
    let req = Request::get(format!("/api/v1/search?q={encoded}&passages=3"))
        .body(Body::empty())
        .unwrap();
    let response = corpus().router().oneshot(req).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    serde_json::from_slice(&response.into_body().collect().await.unwrap().to_bytes()).unwrap()
}

fn titles(v: &Value, n: usize) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .take(n)
        .map(|h| h["title"].as_str().unwrap().to_string())
        .collect()
}

fn has(v: &Value, i: usize, field: &str, key: &str) -> bool {
    v["hits"][i][field]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x == key)
}

#[tokio::test]
async fn dv_finds_domestic_abuse() {
    let v = search("DV").await;
    assert!(v["total"].as_u64().unwrap() >= 3, "{v}");
    for i in 0..3 {
        assert!(
            has(&v, i, "risk_factors", "domestic-abuse") || has(&v, i, "themes", "homicide"),
            "{:?}",
            titles(&v, 3)
        );
    }
}

#[tokio::test]
async fn shaken_baby_finds_the_head_injury_review() {
    let v = search("shaken baby").await;
    assert!(
        has(&v, 0, "themes", "non-accidental-head-injury"),
        "{:?}",
        titles(&v, 3)
    );
}

#[tokio::test]
async fn a_typo_still_finds_neglect_and_marks_the_real_word() {
    let v = search("neglact").await;
    assert!(has(&v, 0, "themes", "neglect"), "{:?}", titles(&v, 3));
    let snippet = v["hits"][0]["passages"][0]["snippet"]
        .as_str()
        .unwrap()
        .to_lowercase();
    assert!(snippet.contains("<mark>neglect"), "{snippet}");
}

#[tokio::test]
async fn cosleeping_finds_unsafe_sleep_deaths() {
    let v = search("cosleeping").await;
    assert!(has(&v, 0, "themes", "sudi"), "{:?}", titles(&v, 3));
}

#[tokio::test]
async fn a_mutated_welsh_word_finds_welsh_text() {
    for q in ["gam-drin", "mhlentyn", "esgeulustod"] {
        let v = search(q).await;
        assert!(v["total"].as_u64().unwrap() >= 1, "{q}");
        assert!(has(&v, 0, "languages", "cy"), "{q}: {:?}", titles(&v, 3));
        let snippet = v["hits"][0]["passages"][0]["snippet"].as_str().unwrap();
        assert!(snippet.contains("<mark>"), "{q}: {snippet}");
    }
}

#[tokio::test]
async fn phrases_are_marked_whole() {
    let v = search("\"disguised compliance\"").await;
    let marked = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|h| h["passages"].as_array().unwrap().clone())
        .any(|p| {
            p["snippet"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("<mark>disguised compliance</mark>")
        });
    assert!(marked, "{v}");
}

#[tokio::test]
async fn brief_and_similar_answer_for_a_review() {
    let v = search("Kelvinside").await;
    let id = v["hits"][0]["id"].as_str().unwrap().to_string();
    let router = corpus().router();
    let brief = router
        .clone()
        .oneshot(
            Request::get(format!("/api/v1/reviews/{id}/brief"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(brief.status(), StatusCode::OK);
    let brief: Value =
        serde_json::from_slice(&brief.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert!(!brief["findings"].as_array().unwrap().is_empty(), "{brief}");
    assert!(
        !brief["recommendations"].as_array().unwrap().is_empty(),
        "{brief}"
    );
    assert!(brief["citation"].as_str().unwrap().contains("2012"));
    // Every quoted passage is the review's own text.
    let text = corpus()
        .index
        .text(&id)
        .unwrap()
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for item in brief["findings"].as_array().unwrap() {
        let quoted = item["text"]
            .as_str()
            .unwrap()
            .split_whitespace()
            .take(12)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(text.contains(&quoted), "not in the review: {quoted}");
    }
    let md = router
        .clone()
        .oneshot(
            Request::get(format!("/api/v1/reviews/{id}/brief?format=markdown"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(md.headers()["content-type"], "text/markdown; charset=utf-8");
    let similar = router
        .oneshot(
            Request::get(format!("/api/v1/reviews/{id}/similar"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let similar: Value =
        serde_json::from_slice(&similar.into_body().collect().await.unwrap().to_bytes()).unwrap();
    let hits = similar["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(
        hits.iter().all(|h| h["id"] != id.as_str()),
        "a review is not similar to itself"
    );
}

/// Nothing is truncated: a word that appears only on page 1,900 of a 2,000-page document is
/// found, highlighted, and cited with its page.
#[test]
fn a_word_on_page_1900_of_2000_is_found_and_marked() {
    let pages: Vec<Page> = (1..=2000u32)
        .map(|n| {
            let extra = if n == 1900 { " The health visitor noted a zygomorphic pattern of bruising." } else { "" };
            Page {
                number: n,
                text: format!(
                    "Analysis {n}\n\nOn this page the review describes practice episode {n} in detail, \
                     with the agencies involved and what they knew at the time.{extra}\n\nPage {n} of 2000"
                ),
            }
        })
        .collect();
    let clean = cairn::extract::text::structure_pages(&pages);
    let dir = tempfile::tempdir().unwrap();
    let index = ReviewIndex::open_or_create(dir.path()).unwrap();
    let doc = cairn::document::Extracted {
        format: cairn::document::Format::Pdf,
        pages: pages.clone(),
        sections: clean.sections,
        passages: clean.passages.clone(),
        metadata: Default::default(),
        languages: vec!["en".into()],
        warnings: vec![],
        page_count: Some(2000),
    };
    let classified = Classifier::new(Taxonomy::builtin()).classify(&doc, "long.pdf");
    let review = cairn::document::Review {
        id: "00000000000f0000".into(),
        sha256: "0".repeat(64),
        title: classified.title,
        source: "long.pdf".into(),
        format: cairn::document::Format::Pdf,
        pages: Some(2000),
        words: doc.words(),
        ingested_at: String::new(),
        facets: classified.facets,
        evidence: classified.evidence,
        warnings: vec![],
        personal_data: vec![],
        suggested: vec![],
        fingerprint: vec![],
    };
    index
        .write(
            &[IndexedReview {
                review,
                source_key: "long".into(),
                passages: clean.passages,
                full_text: doc.full_text(),
                duplicate_of: None,
            }],
            &[],
        )
        .unwrap();
    let answer = cairn::search::Service::new(index, Taxonomy::builtin())
        .search(&cairn::search::SearchRequest {
            q: "zygomorphic".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(answer.total, 1);
    let passage = &answer.hits[0].passages[0];
    assert_eq!(passage.page, Some(1900));
    assert!(
        passage.snippet.contains("<mark>zygomorphic</mark>"),
        "{}",
        passage.snippet
    );
}

#[tokio::test]
async fn a_synonym_inside_a_quoted_phrase_is_searched_too() {
    // The sample reviews write "domestic abuse", never "domestic violence incidents".
    let v = search("\"domestic violence\"").await;
    assert!(v["total"].as_u64().unwrap() >= 2, "{v}");
    assert!(has(&v, 0, "risk_factors", "domestic-abuse"));
}

#[tokio::test]
async fn a_query_naming_a_concept_finds_reviews_tagged_with_it_in_other_words() {
    // Child L's review speaks of "six children", never of a "large sibling group"; the
    // classifier tagged it, and the concept's name finds it.
    let v = search("large sibling group").await;
    let hits = v["hits"].as_array().unwrap();
    assert!(
        hits.iter().any(|h| h["risk_factors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "large-sibling-group")
            && h["title"].as_str().unwrap().contains("Child L")),
        "{:?}",
        titles(&v, 10)
    );
}

#[tokio::test]
async fn an_age_typed_in_the_query_finds_reviews_of_children_that_age() {
    let v = search("under 1").await;
    let hits = v["hits"].as_array().unwrap();
    assert!(hits.len() >= 3, "{v}");
    for h in &hits[..3] {
        assert_eq!(h["age_band"], "under-1", "{:?}", titles(&v, 5));
    }
}

#[tokio::test]
async fn a_query_made_of_concepts_finds_the_reviews_tagged_with_them_together() {
    // A researcher's "looked after teenagers": only one sample review has both words, but
    // several are tagged looked-after and are about a child of 11 to 17; they come first.
    let v = search("looked after teenagers").await;
    let hits = v["hits"].as_array().unwrap();
    assert!(hits.len() >= 3, "{:?}", titles(&v, 10));
    for h in &hits[..2] {
        let teen = h["age_band"] == "11-15" || h["age_band"] == "16-17";
        let looked_after = h["risk_factors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "looked-after-child");
        assert!(teen && looked_after, "{:?}", titles(&v, 5));
    }
}
