//! The HTTP API of API.md and the search page, on axum.
//!
//! Handlers are thin: they parse, call [`search::Service`](crate::search::Service) inside
//! `spawn_blocking`, and map errors through the one [`ErrorCode`] table. Every non-2xx answer,
//! extractor rejections and unknown routes included, is `{"error": {"code", "message"}}`.
//! This module knows no tantivy internals.

mod error;

pub use self::error::{ApiError, ErrorCode};

use crate::search::{SearchRequest, Service};
use axum::Router;
use axum::extract::{Path, Query, State, rejection::QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

/// The search page, embedded in the binary.
const PAGE: &str = include_str!("page.html");

/// Longest accepted query string, in bytes.
const MAX_QUERY_STRING: usize = 8 * 1024;

/// Shared state of the handlers.
#[derive(Clone)]
pub struct AppState {
    pub service: Service,
}

/// The router with every route of API.md.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(|| async { "ready" }))
        .route("/api/v1/search", get(search))
        .route("/api/v1/facets", get(facets))
        .route("/api/v1/stats", get(stats))
        .route("/api/v1/reviews/{id}", get(review))
        .route("/api/v1/reviews/{id}/text", get(text))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
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
    ApiError::new(ErrorCode::NotFound, "no such route; see API.md")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        ErrorCode::MethodNotAllowed,
        "this route does not take that method",
    )
}

/// Run blocking search work off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(ApiError::internal)?
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
    Ok(axum::Json(answer).into_response())
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
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    check_id(&id)?;
    let service = state.service.clone();
    let answer = blocking(move || Ok(service.review(&id)?)).await?;
    Ok(axum::Json(answer).into_response())
}

async fn text(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    check_id(&id)?;
    let service = state.service.clone();
    let body = blocking(move || Ok(service.text(&id)?)).await?;
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
        .into_response())
}
