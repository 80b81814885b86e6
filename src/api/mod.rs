//! The HTTP API of API.md and the search page, on axum.
//!
//! Handlers are thin: they parse, check the caller's role, call
//! [`search::Service`](crate::search::Service) or the [`Ingester`] inside `spawn_blocking`, and
//! map errors through the one [`ErrorCode`] table. Every non-2xx answer, extractor rejections,
//! unknown routes, auth and rate limits included, is `{"error": {"code", "message"}}`.
//!
//! Layers, outermost first: CORS (only for the configured portal origin) → audit log (every
//! request, whatever its answer) → authentication and the per-key rate limit → request timeout →
//! the routes. This module knows no tantivy internals.

mod audit;
mod auth;
mod error;
mod openapi;
mod upload;

pub use self::audit::{AuditIds, AuditLog};
pub use self::auth::{Anonymous, Caller, Keys, RateLimiter};
pub use self::error::{ApiError, ErrorCode};
pub use self::openapi::openapi;

use crate::guard::Policy;
use crate::ingest::Ingester;
use crate::keys::Role;
use crate::search::{SearchRequest, Service};
use axum::extract::{DefaultBodyLimit, Extension, Path, Query, State, rejection::QueryRejection};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Router, middleware};
use std::sync::Arc;
use std::time::Duration;

/// The search page, embedded in the binary.
const PAGE: &str = include_str!("page.html");

/// Longest accepted query string, in bytes.
const MAX_QUERY_STRING: usize = 8 * 1024;

/// How the server is exposed.
#[derive(Clone)]
pub struct ApiOptions {
    pub keys: Arc<Keys>,
    pub anonymous: Anonymous,
    pub audit: Option<Arc<AuditLog>>,
    /// The one origin (the portal) allowed to call from a browser.
    pub cors_origin: Option<HeaderValue>,
    /// Requests a minute per key (0: unlimited).
    pub rate_per_minute: u32,
    /// Largest upload body, in bytes.
    pub upload_limit: usize,
    pub timeout: Duration,
    /// What an upload with residual personal data gets.
    pub upload_policy: Policy,
    /// False while the first index is being built; `/readyz` answers 503 until it is true.
    pub ready: Arc<std::sync::atomic::AtomicBool>,
}

impl ApiOptions {
    /// The loopback demo: anonymous reading, no audit log, default limits.
    pub fn demo(keys: Arc<Keys>) -> ApiOptions {
        ApiOptions {
            keys,
            anonymous: Anonymous::Reader,
            audit: None,
            cors_origin: None,
            rate_per_minute: 600,
            upload_limit: 50 * 1024 * 1024,
            timeout: Duration::from_secs(30),
            upload_policy: Policy::Refuse,
            ready: Arc::new(std::sync::atomic::AtomicBool::new(true)),
        }
    }
}

/// Shared state of the handlers.
#[derive(Clone)]
pub struct AppState {
    pub service: Service,
    pub ingester: Ingester,
    pub upload_policy: Policy,
}

/// The router with every route of API.md and its layers.
pub fn router(service: Service, ingester: Ingester, options: ApiOptions) -> Router {
    let state = AppState {
        service,
        ingester,
        upload_policy: options.upload_policy,
    };
    let api = Router::new()
        .route("/api/v1/search", get(search))
        .route("/api/v1/facets", get(facets))
        .route("/api/v1/stats", get(stats))
        .route(
            "/api/v1/openapi.json",
            get(|| async { axum::Json(openapi()) }),
        )
        .route(
            "/api/v1/reviews",
            axum::routing::post(upload::upload).layer(DefaultBodyLimit::max(options.upload_limit)),
        )
        .route("/api/v1/reviews/{id}", get(review).delete(upload::delete))
        .route("/api/v1/reviews/{id}/text", get(text))
        .route("/api/v1/reviews/{id}/brief", get(brief))
        .route("/api/v1/reviews/{id}/similar", get(similar))
        .route(
            "/api/v1/reviews/{id}/facets",
            axum::routing::put(upload::put_facets),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
        .layer(middleware::from_fn_with_state(
            options.timeout,
            auth::timeout,
        ))
        .layer(middleware::from_fn_with_state(
            auth::AuthState {
                keys: options.keys.clone(),
                anonymous: options.anonymous,
                limiter: Arc::new(RateLimiter::new(options.rate_per_minute)),
            },
            auth::authenticate,
        ));
    // The page and the probes need no key: the page asks for one when the API does.
    let mut app = Router::new()
        .route("/", get(page))
        .route("/healthz", get(|| async { "ok" }))
        .route(
            "/readyz",
            get(move || async move {
                if options.ready.load(std::sync::atomic::Ordering::Acquire) {
                    (StatusCode::OK, "ready")
                } else {
                    (StatusCode::SERVICE_UNAVAILABLE, "building the index")
                }
            }),
        )
        .merge(api);
    if let Some(log) = options.audit {
        app = app.layer(middleware::from_fn_with_state(log, audit::record));
    }
    if let Some(origin) = options.cors_origin {
        app = app.layer(
            tower_http::cors::CorsLayer::new()
                .allow_origin(origin)
                .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
                .allow_headers([
                    header::AUTHORIZATION,
                    header::CONTENT_TYPE,
                    header::HeaderName::from_static("x-cairn-meta"),
                ]),
        );
    }
    app
}

async fn page() -> Response {
    let mut response = Html(PAGE).into_response();
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; \
             img-src 'self' data:; frame-ancestors 'none'",
        ),
    );
    response
}

async fn not_found() -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        "no such route; see /api/v1/openapi.json",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        ErrorCode::MethodNotAllowed,
        "this route does not take that method",
    )
}

/// Run blocking work off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(ApiError::internal)?
}

/// JSON with the review ids it returns, for the audit log.
fn with_ids(body: impl IntoResponse, ids: Vec<String>) -> Response {
    let mut response = body.into_response();
    response.extensions_mut().insert(AuditIds(ids));
    response
}

async fn search(
    State(state): State<AppState>,
    uri: axum::http::Uri,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, ApiError> {
    if uri.query().is_some_and(|q| q.len() > MAX_QUERY_STRING) {
        return Err(ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!("the query string is longer than {MAX_QUERY_STRING} bytes"),
        ));
    }
    let Query(pairs) = query.map_err(|e| ApiError::new(ErrorCode::BadQuery, e.body_text()))?;
    let request = SearchRequest::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    let service = state.service.clone();
    let answer = blocking(move || Ok(service.search(&request)?)).await?;
    let ids = answer.hits.iter().map(|h| h.id.clone()).collect();
    Ok(with_ids(axum::Json(answer), ids))
}

async fn facets(State(state): State<AppState>) -> Result<Response, ApiError> {
    let service = state.service.clone();
    let answer = blocking(move || Ok(service.facets()?)).await?;
    Ok(axum::Json(answer).into_response())
}

async fn stats(State(state): State<AppState>) -> Result<Response, ApiError> {
    let service = state.service.clone();
    let answer = blocking(move || Ok(service.stats()?)).await?;
    Ok(axum::Json(answer).into_response())
}

/// Ids are hex; anything else cannot name a review.
fn check_id(id: &str) -> Result<(), ApiError> {
    let ok = !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_hexdigit());
    if ok {
        Ok(())
    } else {
        Err(ApiError::new(
            ErrorCode::NotFound,
            format!(
                "no review with id `{}`",
                id.chars().take(64).collect::<String>()
            ),
        ))
    }
}

async fn review(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    check_id(&id)?;
    let service = state.service.clone();
    let lookup = id.clone();
    let mut answer = blocking(move || Ok(service.review(&lookup)?)).await?;
    // Personal-data flags are for the curators who must act on them.
    if caller.0.role < Role::Curator {
        answer.personal_data = None;
        answer.suggested = None;
    }
    Ok(with_ids(axum::Json(answer), vec![id]))
}

#[derive(serde::Deserialize)]
struct BriefParams {
    format: Option<String>,
}

async fn brief(
    State(state): State<AppState>,
    Path(id): Path<String>,
    params: Result<Query<BriefParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    check_id(&id)?;
    let Query(params) = params.map_err(|e| ApiError::new(ErrorCode::BadQuery, e.body_text()))?;
    let markdown = match params.format.as_deref() {
        None | Some("json") => false,
        Some("markdown") => true,
        Some(other) => {
            return Err(ApiError::new(
                ErrorCode::BadQuery,
                format!("format `{other}` is unknown; use json or markdown"),
            ));
        }
    };
    let service = state.service.clone();
    let lookup = id.clone();
    let brief = blocking(move || Ok(service.brief(&lookup)?)).await?;
    let ids = vec![brief.id.clone()];
    if markdown {
        return Ok(with_ids(
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "text/markdown; charset=utf-8")],
                brief.to_markdown(),
            ),
            ids,
        ));
    }
    Ok(with_ids(axum::Json(brief), ids))
}

async fn similar(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    check_id(&id)?;
    let service = state.service.clone();
    let hits = blocking(move || Ok(service.similar(&id, 10)?)).await?;
    let ids = hits.iter().map(|h| h.id.clone()).collect();
    Ok(with_ids(
        axum::Json(serde_json::json!({ "hits": hits })),
        ids,
    ))
}

async fn text(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    check_id(&id)?;
    let service = state.service.clone();
    let lookup = id.clone();
    let body = blocking(move || Ok(service.text(&lookup)?)).await?;
    Ok(with_ids(
        (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            body,
        ),
        vec![id],
    ))
}
