//! The error JSON of API.md and the one table of codes and statuses.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Every error code the API answers with. The table in README.md is this enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// A parameter is malformed or out of bounds.
    BadQuery,
    /// A facet value that the taxonomy does not know.
    UnknownFacetValue,
    /// No key, or an unknown key.
    Unauthorized,
    /// The key's role is too low.
    Forbidden,
    /// No such review or route.
    NotFound,
    /// The route exists but not with this method.
    MethodNotAllowed,
    /// Body or query too large.
    PayloadTooLarge,
    /// Not a PDF or DOCX.
    UnsupportedMediaType,
    /// A file that could not be read.
    UnreadableFile,
    /// Too many requests.
    RateLimited,
    /// The index is being written by another process.
    Busy,
    /// The request took longer than the server allows.
    Timeout,
    /// A file holds personal data that anonymisation missed; nothing was indexed.
    PersonalDataFound,
    /// Anything else; the cause goes to the log, not the client.
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadQuery => "bad_query",
            ErrorCode::UnknownFacetValue => "unknown_facet_value",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::UnreadableFile => "unreadable_file",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Busy => "busy",
            ErrorCode::Timeout => "timeout",
            ErrorCode::PersonalDataFound => "personal_data_found",
            ErrorCode::Internal => "internal",
        }
    }

    pub fn status(self) -> StatusCode {
        match self {
            ErrorCode::BadQuery | ErrorCode::UnknownFacetValue => StatusCode::BAD_REQUEST,
            ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorCode::Forbidden => StatusCode::FORBIDDEN,
            ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnreadableFile | ErrorCode::PersonalDataFound => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::Busy | ErrorCode::Timeout => StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// An error answer: `{"error": {"code", "message"}}`.
#[derive(Debug)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
        }
    }

    /// A 500 whose cause is logged, never sent.
    pub fn internal(cause: impl std::fmt::Display) -> ApiError {
        tracing::error!("internal error: {cause}");
        ApiError::new(ErrorCode::Internal, "internal error")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"code": self.code.as_str(), "message": self.message}});
        (self.code.status(), axum::Json(body)).into_response()
    }
}

impl From<crate::search::SearchError> for ApiError {
    fn from(e: crate::search::SearchError) -> Self {
        use crate::search::SearchError as E;
        match e {
            E::InvalidParameter(m) => ApiError::new(ErrorCode::BadQuery, m),
            E::UnknownFacetValue(m) => ApiError::new(ErrorCode::UnknownFacetValue, m),
            E::NotFound(id) => {
                ApiError::new(ErrorCode::NotFound, format!("no review with id `{id}`"))
            }
            E::Index(crate::index::IndexError::Locked(m)) => ApiError::new(
                ErrorCode::Busy,
                format!("the index at {m} is being written; try again shortly"),
            ),
            E::Index(e) => ApiError::internal(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_the_statuses_of_api_md() {
        for (code, status) in [
            (ErrorCode::BadQuery, 400),
            (ErrorCode::UnknownFacetValue, 400),
            (ErrorCode::Unauthorized, 401),
            (ErrorCode::Forbidden, 403),
            (ErrorCode::NotFound, 404),
            (ErrorCode::PayloadTooLarge, 413),
            (ErrorCode::UnsupportedMediaType, 415),
            (ErrorCode::UnreadableFile, 422),
            (ErrorCode::RateLimited, 429),
            (ErrorCode::Internal, 500),
        ] {
            assert_eq!(code.status().as_u16(), status, "{}", code.as_str());
        }
    }

    #[test]
    fn a_500_never_carries_its_cause() {
        let e = ApiError::internal("disk /secret/path failed");
        assert_eq!(e.message, "internal error");
    }
}
