//! Keys and roles, the audit log, limits, upload and delete, the personal-data guard, OpenAPI.

use crate::common::{TestIndex, fixture};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use cairn::api::{Anonymous, AuditLog};
use cairn::guard::Policy;
use cairn::keys::{KeyStore, Role};
use http_body_util::BodyExt;
use proptest::prelude::*;
use serde_json::Value;
use std::sync::Arc;
use tower::ServiceExt;

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// A deployment off loopback: one key per role, no anonymous access, an audit log.
struct Deployment {
    t: TestIndex,
    reader: String,
    curator: String,
    admin: String,
    audit: std::path::PathBuf,
}

impl Deployment {
    fn new() -> Deployment {
        let t = TestIndex::from_fixtures(&["two-page-review.pdf"]);
        let mut store = KeyStore::open(t.index.dir()).unwrap();
        let reader = store.add("r", Role::Reader).unwrap();
        let curator = store.add("c", Role::Curator).unwrap();
        let admin = store.add("a", Role::Admin).unwrap();
        let audit = t.index.dir().parent().unwrap().join("audit.jsonl");
        Deployment {
            t,
            reader,
            curator,
            admin,
            audit,
        }
    }

    fn router(&self, policy: Policy) -> Router {
        let log = Arc::new(AuditLog::open(&self.audit, 1 << 20, 2).unwrap());
        self.t.router_with(|mut o| {
            o.anonymous = Anonymous::Refused;
            o.audit = Some(log);
            o.upload_policy = policy;
            o
        })
    }

    fn key(&self, who: &str) -> Option<&str> {
        match who {
            "reader" => Some(&self.reader),
            "curator" => Some(&self.curator),
            "admin" => Some(&self.admin),
            _ => None,
        }
    }
}

async fn call(router: &Router, req: Request<Body>) -> (StatusCode, Value, axum::http::HeaderMap) {
    let response = router.clone().oneshot(req).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, json, headers)
}

fn request(method: &str, uri: &str, key: Option<&str>) -> axum::http::request::Builder {
    let mut b = Request::builder().method(method).uri(uri);
    if let Some(k) = key {
        b = b.header("authorization", format!("Bearer {k}"));
    }
    b
}

fn upload(key: Option<&str>, file: &str, content_type: &str) -> Request<Body> {
    request("POST", "/api/v1/reviews", key)
        .header("content-type", content_type)
        .header(
            "content-disposition",
            format!("attachment; filename=\"{file}\""),
        )
        .body(Body::from(std::fs::read(fixture(file)).unwrap()))
        .unwrap()
}

#[tokio::test]
async fn every_route_and_role_gets_its_status() {
    let d = Deployment::new();
    let router = d.router(Policy::Refuse);
    let id = d.t.index.all_reviews().unwrap()[0].id.clone();
    let reads = [
        "/api/v1/search?q=neglect".to_string(),
        "/api/v1/facets".into(),
        "/api/v1/stats".into(),
        "/api/v1/openapi.json".into(),
        format!("/api/v1/reviews/{id}"),
        format!("/api/v1/reviews/{id}/text"),
    ];
    for who in ["anonymous", "reader", "curator", "admin"] {
        let key = d.key(who);
        for uri in &reads {
            let (status, body, _) = call(
                &router,
                request("GET", uri, key).body(Body::empty()).unwrap(),
            )
            .await;
            let want = if key.is_some() {
                StatusCode::OK
            } else {
                StatusCode::UNAUTHORIZED
            };
            assert_eq!(status, want, "{who} GET {uri}: {body}");
            if status == StatusCode::UNAUTHORIZED {
                assert_eq!(body["error"]["code"], "unauthorized");
            }
        }
        // Upload: curator and admin.
        let (status, body, _) = call(&router, upload(key, "two-page-review.docx", DOCX)).await;
        let want = match who {
            "anonymous" => StatusCode::UNAUTHORIZED,
            "reader" => StatusCode::FORBIDDEN,
            _ => StatusCode::CREATED,
        };
        assert_eq!(status, want, "{who} upload: {body}");
        // Delete: admin only (a missing id is 404 for the admin, refused for the others).
        let (status, body, _) = call(
            &router,
            request("DELETE", "/api/v1/reviews/0123456789abcdef", key)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        let want = match who {
            "anonymous" => StatusCode::UNAUTHORIZED,
            "reader" | "curator" => StatusCode::FORBIDDEN,
            _ => StatusCode::NOT_FOUND,
        };
        assert_eq!(status, want, "{who} delete: {body}");
    }
    // The probes and the page need no key.
    for uri in ["/healthz", "/readyz", "/"] {
        let (status, _, _) = call(
            &router,
            request("GET", uri, None).body(Body::empty()).unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{uri}");
    }
    // A wrong key is 401 even where anonymous reading is allowed.
    let demo = d.t.router();
    let (status, body, _) = call(
        &demo,
        request("GET", "/api/v1/stats", Some("cairn_nope"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );
}

#[tokio::test]
async fn an_admin_deletes_and_the_review_is_gone_at_once() {
    let d = Deployment::new();
    let router = d.router(Policy::Refuse);
    let id = d.t.index.all_reviews().unwrap()[0].id.clone();
    let (status, _, _) = call(
        &router,
        request("DELETE", &format!("/api/v1/reviews/{id}"), Some(&d.admin))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = call(
        &router,
        request("GET", &format!("/api/v1/reviews/{id}"), Some(&d.reader))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, body, _) = call(
        &router,
        request("GET", "/api/v1/search?q=neglect", Some(&d.reader))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(body["total"], 0);
}

#[tokio::test]
async fn a_planted_phone_number_is_refused_by_default_and_nothing_is_indexed() {
    let d = Deployment::new();
    let router = d.router(Policy::Refuse);
    let before = d.t.index.all_reviews().unwrap().len();
    let (status, body, _) = call(
        &router,
        upload(Some(&d.curator), "planted-phone.docx", DOCX),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "personal_data_found");
    assert!(body["error"]["message"].as_str().unwrap().contains("phone"));
    assert_eq!(
        d.t.index.all_reviews().unwrap().len(),
        before,
        "a refused file changes nothing"
    );
}

#[tokio::test]
async fn with_redact_the_number_is_searchable_nowhere() {
    let d = Deployment::new();
    let router = d.router(Policy::Redact);
    let (status, body, _) = call(
        &router,
        upload(Some(&d.curator), "planted-phone.docx", DOCX),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_str().unwrap().to_string();
    for q in ["07700", "900123", "%2207700%20900123%22"] {
        let (_, found, _) = call(
            &router,
            request("GET", &format!("/api/v1/search?q={q}"), Some(&d.reader))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(found["total"], 0, "{q} found: {found}");
    }
    let text = d.t.index.text(&id).unwrap().unwrap();
    assert!(
        !text.contains("900123") && text.contains("[redacted: phone]"),
        "{text}"
    );
    // The rest of the review is still there.
    let (_, found, _) = call(
        &router,
        request("GET", "/api/v1/search?q=%22Child%20V%22", Some(&d.reader))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(found["total"], 1);
}

#[tokio::test]
async fn flagged_personal_data_is_shown_to_curators_only() {
    let d = Deployment::new();
    let router = d.router(Policy::Flag);
    let (status, body, _) = call(
        &router,
        upload(Some(&d.curator), "planted-phone.docx", DOCX),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let uri = format!("/api/v1/reviews/{}", body["id"].as_str().unwrap());
    let (_, as_curator, _) = call(
        &router,
        request("GET", &uri, Some(&d.curator))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(
        as_curator["personal_data"][0]
            .as_str()
            .unwrap()
            .contains("phone"),
        "{as_curator}"
    );
    let (_, as_reader, _) = call(
        &router,
        request("GET", &uri, Some(&d.reader))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(as_reader.get("personal_data").is_none(), "{as_reader}");
}

#[tokio::test]
async fn uploads_are_checked_for_type_and_size() {
    let d = Deployment::new();
    let router = d.router(Policy::Refuse);
    let (status, body, _) = call(
        &router,
        upload(Some(&d.curator), "README.md", "text/markdown"),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Some("unsupported_media_type")
        )
    );
    let (status, body, _) = call(
        &router,
        upload(Some(&d.curator), "README.md", "application/pdf"),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Some("unsupported_media_type")
        )
    );
    let (status, body, _) = call(
        &router,
        upload(Some(&d.curator), "password.pdf", "application/pdf"),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("unreadable_file"))
    );
    let small = d.t.router_with(|mut o| {
        o.upload_limit = 1024;
        o
    });
    let (status, body, _) = call(
        &small,
        upload(Some(&d.curator), "two-page-review.pdf", "application/pdf"),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("payload_too_large"))
    );
}

#[tokio::test]
async fn every_request_appears_in_the_audit_log_without_key_material() {
    let d = Deployment::new();
    let router = d.router(Policy::Refuse);
    let uris = [
        "/api/v1/search?q=bruising",
        "/api/v1/stats",
        "/api/v1/nope",
        "/healthz",
    ];
    for uri in uris {
        call(
            &router,
            request("GET", uri, Some(&d.reader))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    }
    call(
        &router,
        request("GET", "/api/v1/stats", None)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let log = std::fs::read_to_string(&d.audit).unwrap();
    let lines: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), uris.len() + 1, "{log}");
    let search = &lines[0];
    assert_eq!(search["key"], "r");
    assert_eq!(search["role"], "reader");
    assert_eq!(search["route"], "/api/v1/search");
    assert_eq!(search["query"], "q=bruising");
    assert_eq!(search["status"], 200);
    assert_eq!(search["ids"].as_array().unwrap().len(), 1);
    assert_eq!(lines[4]["status"], 401);
    assert!(lines[4]["key"].is_null());
    for key in [&d.reader, &d.curator, &d.admin] {
        assert!(!log.contains(&key[6..]), "key material in the audit log");
    }
}

#[tokio::test]
async fn the_rate_limit_answers_429_with_retry_after() {
    let t = TestIndex::from_fixtures(&["two-page-review.pdf"]);
    let router = t.router_with(|mut o| {
        o.rate_per_minute = 60;
        o
    });
    let mut limited = None;
    for _ in 0..30 {
        let (status, body, headers) = call(
            &router,
            request("GET", "/api/v1/stats", None)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            limited = Some((body, headers));
            break;
        }
    }
    let (body, headers) = limited.expect("the limit was reached");
    assert_eq!(body["error"]["code"], "rate_limited");
    let wait: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait));
}

#[tokio::test]
async fn cors_answers_only_the_portal_origin() {
    let t = TestIndex::from_fixtures(&["two-page-review.pdf"]);
    let router = t.router_with(|mut o| {
        o.cors_origin = Some("https://portal.example".parse().unwrap());
        o
    });
    for (origin, allowed) in [
        ("https://portal.example", true),
        ("https://evil.example", false),
    ] {
        let (_, _, headers) = call(
            &router,
            request("GET", "/api/v1/stats", None)
                .header("origin", origin)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        let got = headers
            .get("access-control-allow-origin")
            .map(|v| v.to_str().unwrap().to_string());
        assert_eq!(got.as_deref() == Some(origin), allowed, "{origin}: {got:?}");
    }
}

#[tokio::test]
async fn openapi_describes_every_route_of_the_router() {
    let t = TestIndex::from_fixtures(&["two-page-review.pdf"]);
    let router = t.router();
    let id = t.index.all_reviews().unwrap()[0].id.clone();
    let (_, doc, _) = call(
        &router,
        request("GET", "/api/v1/openapi.json", None)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let paths = doc["paths"].as_object().unwrap();
    for (path, methods) in paths {
        for method in methods.as_object().unwrap().keys() {
            let uri = path.replace("{id}", &id);
            let req = request(&method.to_uppercase(), &uri, None)
                .body(Body::empty())
                .unwrap();
            let (status, body, _) = call(&router, req).await;
            // Described routes exist: whatever they answer, it is not "no such route".
            let no_route = status == StatusCode::NOT_FOUND
                && body["error"]["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("no such route"));
            assert!(
                !no_route && status != StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path}: {status}"
            );
        }
    }
    for documented in [
        "/api/v1/search",
        "/api/v1/reviews",
        "/api/v1/reviews/{id}",
        "/api/v1/reviews/{id}/text",
        "/api/v1/facets",
        "/api/v1/stats",
    ] {
        assert!(paths.contains_key(documented), "{documented}");
    }
}

fn small_index() -> &'static TestIndex {
    static INDEX: std::sync::OnceLock<TestIndex> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| TestIndex::from_fixtures(&["two-page-review.pdf", "bilingual-welsh.docx"]))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// No query string, however odd, makes the server fail.
    #[test]
    fn no_query_string_gives_a_500(
        pairs in prop::collection::vec((
            prop::sample::select(vec!["q", "theme", "risk", "age", "type", "nation", "page", "per_page", "passages", "sort", "year_from", "year_to", "x"]),
            any::<String>(),
        ), 0..6)
    ) {
        let query: String = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", v.bytes().map(|b| format!("%{b:02X}")).collect::<String>()))
            .collect::<Vec<_>>()
            .join("&");
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let status = runtime.block_on(async {
            let req = Request::get(format!("/api/v1/search?{query}")).body(Body::empty()).unwrap();
            small_index().router().oneshot(req).await.unwrap().status()
        });
        prop_assert!(status.is_success() || status.is_client_error(), "{} for {}", status, query);
    }
}

#[tokio::test]
async fn a_curator_override_is_recorded_and_survives_a_rebuild() {
    let d = Deployment::new();
    let router = d.router(Policy::Refuse);
    let id = d.t.index.all_reviews().unwrap()[0].id.clone();
    let put = |key: &str| {
        request("PUT", &format!("/api/v1/reviews/{id}/facets"), Some(key))
            .header("content-type", "application/json")
            .body(Body::from(r#"{"themes": ["sudi"], "year": 2014}"#))
            .unwrap()
    };
    let (status, _, _) = call(&router, put(&d.reader)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body, _) = call(&router, put(&d.curator)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["themes"], serde_json::json!(["sudi"]));
    assert_eq!(body["year"], 2014);
    let ev = body["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["facet"] == "theme")
        .unwrap();
    assert!(
        ev["passages"][0]["text"]
            .as_str()
            .unwrap()
            .contains("curator `c`"),
        "{ev}"
    );
    // Search and counts see it at once.
    let (_, found, _) = call(
        &router,
        request("GET", "/api/v1/search?theme=sudi", Some(&d.reader))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(found["total"], 1);
    // Rebuild the index from the same file: the override comes back.
    let rebuilt = cairn::index::ReviewIndex::open_or_create(
        &d.t.index.dir().parent().unwrap().join("index2"),
    )
    .unwrap();
    // (A second index in the same deployment directory reads the same overrides.json.)
    let ingester = cairn::ingest::Ingester::new(
        rebuilt.clone(),
        cairn::classify::Classifier::new(cairn::classify::Taxonomy::builtin()),
    );
    ingester
        .ingest_paths(&[fixture("two-page-review.pdf")], &mut |_| {})
        .unwrap();
    let again = rebuilt.review(&id).unwrap().unwrap();
    assert_eq!(again.facets.themes, ["sudi"]);
    assert_eq!(again.facets.year, Some(2014));
}

#[tokio::test]
async fn readyz_waits_for_the_first_index() {
    let t = TestIndex::from_fixtures(&["two-page-review.pdf"]);
    let ready = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let router = t.router_with(|mut o| {
        o.ready = ready.clone();
        o
    });
    let get = |uri: &str| request("GET", uri, None).body(Body::empty()).unwrap();
    assert_eq!(
        call(&router, get("/readyz")).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(call(&router, get("/healthz")).await.0, StatusCode::OK);
    ready.store(true, std::sync::atomic::Ordering::Release);
    assert_eq!(call(&router, get("/readyz")).await.0, StatusCode::OK);
}

#[tokio::test]
async fn suggestions_are_for_curators_and_one_confirmed_is_no_longer_suggested() {
    let d = Deployment::new();
    let router = d.router(Policy::Refuse);
    let id = d.t.index.all_reviews().unwrap()[0].id.clone();
    let uri = format!("/api/v1/reviews/{id}");
    let get = |key: &str| request("GET", &uri, Some(key)).body(Body::empty()).unwrap();
    let suggested = |body: &Value| -> Vec<String> {
        body["suggested"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                format!(
                    "{}/{}",
                    s["facet"].as_str().unwrap(),
                    s["value"].as_str().unwrap()
                )
            })
            .collect()
    };
    let (_, as_reader, _) = call(&router, get(&d.reader)).await;
    assert!(as_reader.get("suggested").is_none(), "{as_reader}");
    let (_, as_curator, _) = call(&router, get(&d.curator)).await;
    // "The health visitor recorded bruising to the baby's ear": said once, so suggested, with
    // its page, and not tagged.
    assert!(
        suggested(&as_curator).contains(&"theme/physical-abuse".to_string()),
        "{as_curator}"
    );
    let bruising = as_curator["suggested"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["value"] == "physical-abuse")
        .unwrap();
    assert_eq!(bruising["passages"][0]["page"], 2);
    let mut themes: Vec<Value> = as_curator["themes"].as_array().unwrap().clone();
    assert!(!themes.contains(&Value::from("physical-abuse")));
    // The curator confirms it.
    themes.push("physical-abuse".into());
    let put = request("PUT", &format!("{uri}/facets"), Some(&d.curator))
        .header("content-type", "application/json")
        .body(Body::from(
            serde_json::json!({ "themes": themes }).to_string(),
        ))
        .unwrap();
    let (status, body, _) = call(&router, put).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, after, _) = call(&router, get(&d.curator)).await;
    // It keeps the sentence it was confirmed on, after the curator's note.
    let confirmed = after["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["value"] == "physical-abuse")
        .unwrap();
    assert!(
        confirmed["passages"][1]["text"]
            .as_str()
            .unwrap()
            .contains("bruising"),
        "{confirmed}"
    );
    let left = suggested(&after);
    assert!(
        !left.contains(&"theme/physical-abuse".to_string()),
        "{after}"
    );
    // The other suggestion stays: "missed health appointments", said once. ("Known to
    // children's social care as a teenager" is the mother's own history, no longer suggested
    // as a previous concern about this family.)
    assert!(
        left.contains(&"risk/missed-health-appointments".to_string()),
        "{after}"
    );
}
