//! Curator upload and admin delete: the same pipeline as `cairn ingest`, one file at a time.
//!
//! A refused upload changes nothing in the index: the file is extracted, guarded and classified
//! in memory, and written in one commit only when all of that succeeded.

use super::auth::{Caller, require};
use super::{ApiError, AppState, ErrorCode, blocking, check_id, with_ids};
use crate::classify::Sidecar;
use crate::extract;
use crate::ingest::IngestError;
use crate::keys::Role;
use crate::search::ReviewDetail;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Extension, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

const DOCX_TYPE: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// `POST /api/v1/reviews` (curator): the body is the file.
pub async fn upload(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    require(&caller, Role::Curator)?;
    let body = body.map_err(|e| match e {
        BytesRejection::FailedToBufferBody(_) => ApiError::new(
            ErrorCode::PayloadTooLarge,
            "the upload is larger than the server's limit",
        ),
        other => ApiError::new(ErrorCode::BadQuery, other.body_text()),
    })?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    if !matches!(
        content_type.as_str(),
        "application/pdf" | DOCX_TYPE | "application/octet-stream"
    ) {
        return Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            format!(
                "Content-Type `{content_type}` is not accepted; send application/pdf or {DOCX_TYPE}"
            ),
        ));
    }
    let format = extract::sniff(&body)
        .map_err(|e| ApiError::new(ErrorCode::UnsupportedMediaType, e.to_string()))?;
    let name = file_name(&headers).unwrap_or_else(|| format!("upload.{}", format.as_str()));
    let sidecar = match headers.get("x-cairn-meta") {
        Some(v) => {
            let text = v
                .to_str()
                .map_err(|_| ApiError::new(ErrorCode::BadQuery, "X-Cairn-Meta is not text"))?;
            Some(
                Sidecar::from_json(text, "X-Cairn-Meta", state.ingester.taxonomy())
                    .map_err(|e| ApiError::new(ErrorCode::BadQuery, e.to_string()))?,
            )
        }
        None => None,
    };
    let ingester = state.ingester.clone().with_policy(state.upload_policy);
    let detail = blocking(move || {
        let source_key = crate::ingest::source_key_for_upload(&name);
        let (mut indexed, _) = ingester
            .prepare(&body, &name, &source_key, sidecar.as_ref())
            .map_err(refused)?;
        ingester
            .join_duplicate(&mut indexed, &[])
            .map_err(|e| ApiError::from(crate::search::SearchError::from(e)))?;
        ingester
            .index()
            .write(std::slice::from_ref(&indexed), &[])
            .map_err(|e| ApiError::from(crate::search::SearchError::from(e)))?;
        let index = ingester.index();
        let review = index
            .review(&indexed.review.id)
            .map_err(|e| ApiError::from(crate::search::SearchError::from(e)))?
            .ok_or_else(|| ApiError::internal("an uploaded review vanished"))?;
        let mut detail = ReviewDetail::from_review(review.clone());
        detail.files = index
            .files(&review)
            .map_err(|e| ApiError::from(crate::search::SearchError::from(e)))?;
        Ok(detail)
    })
    .await?;
    let id = detail.hit.id.clone();
    Ok(with_ids(
        (StatusCode::CREATED, axum::Json(detail)),
        vec![id],
    ))
}

/// `DELETE /api/v1/reviews/{id}` (admin).
pub async fn delete(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    require(&caller, Role::Admin)?;
    check_id(&id)?;
    let index = state.service.index().clone();
    let target = id.clone();
    let existed = blocking(move || {
        index
            .delete(&target)
            .map_err(|e| ApiError::from(crate::search::SearchError::from(e)))
    })
    .await?;
    if !existed {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!("no review with id `{id}`"),
        ));
    }
    Ok(with_ids(StatusCode::NO_CONTENT.into_response(), vec![id]))
}

fn refused(e: IngestError) -> ApiError {
    let code = match &e {
        IngestError::Extract(extract::Error::Unsupported { .. }) => ErrorCode::UnsupportedMediaType,
        IngestError::Extract(extract::Error::TooLarge(_)) => ErrorCode::PayloadTooLarge,
        IngestError::Sidecar(_) => ErrorCode::BadQuery,
        IngestError::PersonalData(_) => ErrorCode::PersonalDataFound,
        _ => ErrorCode::UnreadableFile,
    };
    ApiError::new(code, e.to_string())
}

/// The file name from `Content-Disposition: attachment; filename="…"`, without any path.
fn file_name(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_DISPOSITION)?.to_str().ok()?;
    let raw = value
        .split(';')
        .map(str::trim)
        .find_map(|part| part.strip_prefix("filename="))?
        .trim_matches('"');
    let base = raw.rsplit(['/', '\\']).next()?.trim();
    let clean: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    (!clean.is_empty() && clean != "." && clean != "..").then_some(clean)
}

/// `PUT /api/v1/reviews/{id}/facets` (curator): override facets; the override is recorded with
/// who set it and when, and outlives re-ingest and re-index.
pub async fn put_facets(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    require(&caller, Role::Curator)?;
    check_id(&id)?;
    let body = body.map_err(|e| ApiError::new(ErrorCode::BadQuery, e.body_text()))?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::new(ErrorCode::BadQuery, "the body is not UTF-8 JSON"))?;
    let fields = Sidecar::from_json(text, "request body", state.ingester.taxonomy())
        .map_err(|e| ApiError::new(ErrorCode::BadQuery, e.to_string()))?;
    let who = caller
        .0
        .name
        .clone()
        .unwrap_or_else(|| "(anonymous)".into());
    let index = state.service.index().clone();
    let detail = blocking(move || {
        let internal =
            |e: crate::index::IndexError| ApiError::from(crate::search::SearchError::from(e));
        let review = index.review(&id).map_err(internal)?.ok_or_else(|| {
            ApiError::new(ErrorCode::NotFound, format!("no review with id `{id}`"))
        })?;
        let store = crate::overrides::Overrides::for_index(index.dir());
        let entry = store
            .set(&review.id, fields, &who)
            .map_err(ApiError::internal)?;
        let mut classified = crate::classify::Classified {
            title: review.title.clone(),
            facets: review.facets.clone(),
            evidence: review.evidence.clone(),
            suggested: review.suggested.clone(),
        };
        entry.fields.apply(&mut classified, &entry.note());
        let mut updated = review;
        updated.title = classified.title;
        updated.facets = classified.facets;
        updated.evidence = classified.evidence;
        updated.suggested = classified.suggested;
        index.update_record(&updated).map_err(internal)?;
        let files = index.files(&updated).map_err(internal)?;
        let mut detail = ReviewDetail::from_review(updated);
        detail.files = files;
        Ok(detail)
    })
    .await?;
    let id = detail.hit.id.clone();
    Ok(with_ids(axum::Json(detail), vec![id]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_their_paths() {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"../../etc/review.pdf\""
                .parse()
                .unwrap(),
        );
        assert_eq!(file_name(&h).as_deref(), Some("review.pdf"));
        h.insert(
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"..\"".parse().unwrap(),
        );
        assert_eq!(file_name(&h), None);
    }
}
