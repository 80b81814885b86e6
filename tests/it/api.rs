//! The HTTP API through the router, no socket: one test per behaviour and per error code.

use crate::common::corpus;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

async fn get(uri: &str) -> (StatusCode, String, String) {
    send(Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn send(req: Request<Body>) -> (StatusCode, String, String) {
    let response = corpus().router().oneshot(req).await.unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        content_type,
        String::from_utf8(body.to_vec()).unwrap(),
    )
}

async fn json(uri: &str) -> Value {
    let (status, _, body) = get(uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {body}");
    serde_json::from_str(&body).unwrap()
}

async fn error(uri: &str, status: StatusCode, code: &str) {
    let (got, content_type, body) = get(uri).await;
    assert_eq!(got, status, "{uri}: {body}");
    assert!(
        content_type.starts_with("application/json"),
        "{uri}: {content_type}"
    );
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["error"]["code"], code, "{uri}: {body}");
    assert!(!v["error"]["message"].as_str().unwrap().is_empty());
}

const GROUPS: [&str; 8] = [
    "theme", "risk", "age", "type", "outcome", "nation", "language", "practice",
];

#[tokio::test]
async fn the_issue_example_answers_hits_with_passages_and_every_facet_group() {
    let v = json("/api/v1/search?q=neglect&risk=domestic-abuse").await;
    let hits = v["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert_eq!(v["total"].as_u64().unwrap() as usize, hits.len());
    for hit in hits {
        assert!(
            hit["risk_factors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r == "domestic-abuse")
        );
        let passages = hit["passages"].as_array().unwrap();
        assert!(!passages.is_empty(), "{hit}");
        assert!(
            passages
                .iter()
                .any(|p| p["snippet"].as_str().unwrap().contains("<mark>"))
        );
    }
    let review: Value = json(&format!(
        "/api/v1/reviews/{}",
        hits[0]["id"].as_str().unwrap()
    ))
    .await;
    if review["format"] == "pdf" {
        assert!(hits[0]["passages"][0]["page"].as_u64().unwrap() >= 1);
    }
    for group in GROUPS {
        let counts = v["facets"][group]
            .as_array()
            .unwrap_or_else(|| panic!("facet group {group}"));
        assert!(!counts.is_empty(), "{group}");
        for c in counts {
            assert!(c["label"].as_str().is_some() && c["count"].as_u64().is_some());
        }
    }
}

#[tokio::test]
async fn facet_counts_count_reviews_and_are_multi_select() {
    let all = json("/api/v1/search?per_page=100").await;
    let total = all["total"].as_u64().unwrap();
    let count = |v: &Value, group: &str, key: &str| {
        v["facets"][group]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["value"] == key)
            .map(|c| c["count"].as_u64().unwrap())
            .unwrap()
    };
    // A nation's count is the number of reviews from that nation.
    let nations: u64 = all["facets"]["nation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .sum();
    assert!(nations <= total);
    let scotland = count(&all, "nation", "scotland");
    let filtered = json("/api/v1/search?nation=scotland&per_page=100").await;
    assert_eq!(filtered["total"].as_u64().unwrap(), scotland);
    // Selecting a nation leaves the nation group's counts as they were (multi-select)…
    assert_eq!(
        count(&filtered, "nation", "england"),
        count(&all, "nation", "england")
    );
    let selected = filtered["facets"]["nation"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["value"] == "scotland")
        .unwrap();
    assert_eq!(selected["selected"], true);
    // …while other groups count only Scottish reviews.
    let types: u64 = filtered["facets"]["type"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .sum();
    assert!(types <= scotland);
    // Values of one facet are OR-ed.
    let either = json("/api/v1/search?nation=scotland&nation=england&per_page=100").await;
    assert_eq!(
        either["total"].as_u64().unwrap(),
        scotland + count(&all, "nation", "england")
    );
}

#[tokio::test]
async fn quoted_phrases_match_words_in_order() {
    let phrase = json("/api/v1/search?q=%22disguised%20compliance%22&passages=10").await;
    assert!(phrase["total"].as_u64().unwrap() >= 1);
    for hit in phrase["hits"].as_array().unwrap() {
        let text = {
            let (_, _, t) = get(&format!(
                "/api/v1/reviews/{}/text",
                hit["id"].as_str().unwrap()
            ))
            .await;
            t.to_lowercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert!(text.contains("disguised compliance"), "{}", hit["title"]);
    }
}

#[tokio::test]
async fn snippets_escape_everything_but_mark() {
    let v = json("/api/v1/search?q=child&passages=10&per_page=100").await;
    for hit in v["hits"].as_array().unwrap() {
        for p in hit["passages"].as_array().unwrap() {
            let s = p["snippet"]
                .as_str()
                .unwrap()
                .replace("<mark>", "")
                .replace("</mark>", "");
            assert!(!s.contains('<') && !s.contains('>'), "{s}");
        }
    }
}

#[tokio::test]
async fn year_sort_and_range() {
    let v = json("/api/v1/search?sort=year_desc&per_page=100").await;
    let years: Vec<u64> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["year"].as_u64())
        .collect();
    assert!(years.windows(2).all(|w| w[0] >= w[1]), "{years:?}");
    let v = json("/api/v1/search?year_from=2015&year_to=2020&per_page=100").await;
    for h in v["hits"].as_array().unwrap() {
        let y = h["year"].as_u64().unwrap();
        assert!((2015..=2020).contains(&y));
    }
}

#[tokio::test]
async fn paging_is_stable_and_complete() {
    let all = json("/api/v1/search?q=child&per_page=100").await;
    let ids: Vec<&str> = all["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    let mut paged = Vec::new();
    for page in 1..=ids.len().div_ceil(3) {
        let v = json(&format!("/api/v1/search?q=child&per_page=3&page={page}")).await;
        paged.extend(
            v["hits"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h["id"].as_str().unwrap().to_string()),
        );
    }
    assert_eq!(paged, ids);
}

#[tokio::test]
async fn a_review_has_metadata_evidence_and_text() {
    let v = json("/api/v1/search?per_page=100").await;
    for hit in v["hits"].as_array().unwrap() {
        let id = hit["id"].as_str().unwrap();
        let r = json(&format!("/api/v1/reviews/{id}")).await;
        let source = r["source"].as_str().unwrap();
        assert!(!source.contains('/') && !source.is_empty());
        assert!(["pdf", "docx"].contains(&r["format"].as_str().unwrap()));
        assert_eq!(r["sha256"].as_str().unwrap().len(), 64);
        assert!(r["words"].as_u64().unwrap() > 500);
        assert!(!r["evidence"].as_array().unwrap().is_empty());
        let (status, content_type, text) = get(&format!("/api/v1/reviews/{id}/text")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(content_type, "text/plain; charset=utf-8");
        if r["format"] == "pdf" {
            assert_eq!(
                text.matches('\u{c}').count() as u64 + 1,
                r["pages"].as_u64().unwrap()
            );
        }
    }
}

#[tokio::test]
async fn facets_and_stats_describe_the_corpus() {
    let stats = json("/api/v1/stats").await;
    let facets = json("/api/v1/facets").await;
    let n = stats["reviews"].as_u64().unwrap();
    let joined = corpus()
        .report
        .files
        .iter()
        .filter(|f| matches!(f.outcome, cairn::ingest::FileOutcome::Joined { .. }))
        .count();
    assert_eq!(
        n as usize,
        corpus().report.ingested - joined,
        "one review, counted once"
    );
    let by_year: u64 = stats["by_year"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert!(by_year <= n && by_year > 0);
    let nations: u64 = facets["nation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .sum();
    assert_eq!(nations, n, "every review has one nation");
    let ages: Vec<&str> = facets["age"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].as_str().unwrap())
        .collect();
    assert_eq!(
        ages,
        [
            "unborn", "under-1", "1-4", "5-10", "11-15", "16-17", "18-plus"
        ]
    );
}

#[tokio::test]
async fn each_facet_value_says_how_often_it_was_right_when_measured() {
    let facets = json("/api/v1/facets").await;
    let value = |group: &str, key: &str| {
        facets[group]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["value"] == key)
            .unwrap_or_else(|| panic!("{group}/{key}"))
            .clone()
    };
    let neglect = &value("theme", "neglect")["accuracy"];
    for measure in ["precision", "recall"] {
        let x = neglect[measure].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&x), "{measure} {x}");
    }
    assert!(neglect["labelled"].as_u64().unwrap() > 0);
    // Each figure comes with its 95% interval, which holds it.
    for (measure, interval) in [
        ("precision", "precision_interval"),
        ("recall", "recall_interval"),
    ] {
        let x = neglect[measure].as_f64().unwrap();
        let [lo, hi] = [0, 1].map(|i| neglect[interval][i].as_f64().unwrap());
        assert!(
            0.0 <= lo && lo <= x && x <= hi && hi <= 1.0,
            "{measure} {x} in [{lo}, {hi}]"
        );
        assert!(
            hi - lo > 0.0,
            "{interval} from a few reviews is not a point"
        );
    }
    let readers = neglect["readers_agree"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&readers), "{readers}");
    assert!(neglect["measured_on"].as_str().unwrap().contains("heldout"));
    // A value the measurement never met says nothing rather than a made-up 1.0.
    let measured = |group: &str| {
        facets[group]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c.get("accuracy").is_some())
            .count()
    };
    assert!(measured("risk") > 0 && measured("language") == 0);
    // A value never tagged in the measurement has no precision, not a perfect one.
    for group in [
        "theme", "risk", "age", "type", "nation", "outcome", "practice",
    ] {
        for c in facets[group].as_array().unwrap() {
            let a = &c["accuracy"];
            if a.is_object() && a["assigned"] == 0 {
                assert!(
                    a["precision"].is_null() && a["precision_interval"].is_null(),
                    "{c}"
                );
            }
            if a.is_object() && a["labelled"] == 0 {
                assert!(
                    a["recall"].is_null() && a["recall_interval"].is_null(),
                    "{c}"
                );
            }
        }
    }
    // Search answers stay lean: accuracy is the taxonomy's, not the query's.
    let search = json("/api/v1/search?q=neglect").await;
    assert!(search["facets"]["theme"][0].get("accuracy").is_none());
    assert!(search["facets"]["theme"][0].get("estimated").is_none());
}

#[tokio::test]
async fn a_counted_value_says_how_many_reviews_likely_carry_it() {
    let facets = json("/api/v1/facets").await;
    let mut seen = 0;
    for group in ["theme", "risk"] {
        for c in facets[group].as_array().unwrap() {
            let (count, a, e) = (
                c["count"].as_u64().unwrap(),
                &c["accuracy"],
                &c["estimated"],
            );
            // Recall under a half would scale a count by more than two: no estimate then.
            let measured = a["precision"].as_f64().is_some_and(|p| p > 0.0)
                && a["recall"].as_f64().is_some_and(|r| r >= 0.5);
            if count == 0 || !measured {
                assert!(e.is_null(), "nothing to scale, no estimate: {c}");
                continue;
            }
            // count × precision / recall, inside a range that holds it.
            let (p, r) = (
                a["precision"].as_f64().unwrap(),
                a["recall"].as_f64().unwrap(),
            );
            let reviews = e["reviews"].as_u64().unwrap();
            // Never above the collection: a clamped estimate sits between count and scaled.
            let scaled = (count as f64 * p / r).round() as u64;
            assert!(
                reviews == scaled || (count..scaled).contains(&reviews),
                "{c}"
            );
            let [lo, hi] = [0, 1].map(|i| e["interval"][i].as_u64().unwrap());
            assert!(lo <= reviews && reviews <= hi && lo < hi, "{c}");
            seen += 1;
        }
    }
    assert!(seen > 0, "the sample corpus has measured values");
}

#[tokio::test]
async fn the_page_and_health_routes() {
    let (status, content_type, body) = get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/html"));
    assert!(body.contains("/api/v1"));
    assert!(body.contains("<title>cairn"));
    assert_eq!(get("/healthz").await.2, "ok");
    assert_eq!(get("/readyz").await.0, StatusCode::OK);
}

#[tokio::test]
async fn bad_query_400() {
    error(
        "/api/v1/search?per_page=1000",
        StatusCode::BAD_REQUEST,
        "bad_query",
    )
    .await;
    error(
        "/api/v1/search?page=0",
        StatusCode::BAD_REQUEST,
        "bad_query",
    )
    .await;
    error(
        "/api/v1/search?sort=random",
        StatusCode::BAD_REQUEST,
        "bad_query",
    )
    .await;
    error(
        "/api/v1/search?year_from=twenty",
        StatusCode::BAD_REQUEST,
        "bad_query",
    )
    .await;
    error(
        "/api/v1/search?colour=red",
        StatusCode::BAD_REQUEST,
        "bad_query",
    )
    .await;
}

#[tokio::test]
async fn unknown_facet_value_400_suggests_the_key() {
    let (status, _, body) = get("/api/v1/search?theme=neglct").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["error"]["code"], "unknown_facet_value");
    assert!(v["error"]["message"].as_str().unwrap().contains("neglect"));
}

#[tokio::test]
async fn not_found_404() {
    error(
        "/api/v1/reviews/0123456789abcdef",
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    error(
        "/api/v1/reviews/not-an-id/text",
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    error("/api/v1/nothing-here", StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn wrong_method_405() {
    let (status, _, body) =
        send(Request::post("/api/v1/search").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(body.contains("method_not_allowed"));
}

#[tokio::test]
async fn an_overlong_query_string_413() {
    let uri = format!("/api/v1/search?q={}", "a".repeat(9000));
    error(&uri, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
}

#[tokio::test]
async fn hostile_queries_never_500() {
    for q in [
        "\"",
        "(((",
        "title:x",
        "a AND OR NOT",
        "*",
        "~2",
        "\u{201c}",
        "-",
        "IN [a b]",
        "\\",
        "\0",
        "😀",
        "\u{202e}x",
    ] {
        let encoded: String = q.bytes().map(|b| format!("%{b:02X}")).collect();
        let (status, _, body) = get(&format!("/api/v1/search?q={encoded}")).await;
        assert_eq!(status, StatusCode::OK, "{q}: {body}");
    }
}

#[tokio::test]
async fn a_review_in_two_formats_is_counted_once_and_lists_its_files() {
    let v = json("/api/v1/search?q=%22Kelvinside%22&per_page=100").await;
    assert_eq!(v["total"], 1, "{v}");
    let icr = v["facets"]["type"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["value"] == "icr")
        .unwrap()["count"]
        .clone();
    assert_eq!(icr, 1);
    let id = v["hits"][0]["id"].as_str().unwrap();
    let r = json(&format!("/api/v1/reviews/{id}")).await;
    let files = r["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    // The DOCX's own id names the same review.
    let docx = files.iter().find(|f| f["format"] == "docx").unwrap();
    let via_docx = json(&format!("/api/v1/reviews/{}", docx["id"].as_str().unwrap())).await;
    assert_eq!(via_docx["id"], r["id"]);
}
