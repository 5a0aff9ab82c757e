//! The one place where errors become HTTP responses: `{"error": {"code", "message"}}` with a
//! status from the code table below.

use crate::services::explore::QueryError;
use crate::store::{InputLimit, StoreError};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, ResponseError};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    MethodNotAllowed(String, &'static str),
    #[error("{0}")]
    NotAcceptable(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// No credentials: the request may be repeated with the admin token.
    #[error("{0}")]
    Unauthenticated(String),
    /// Credentials that do not allow this.
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Timeout(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Query(QueryError),
    #[error(transparent)]
    Compute(#[from] super::compute::Panicked),
    #[error("internal error")]
    Panicked,
}

impl ApiError {
    /// The `error.code` of the body; the status follows from it.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::NotFound(_) => "NOT_FOUND",
            ApiError::BadRequest(_) => "BAD_REQUEST",
            ApiError::MethodNotAllowed(..) => "METHOD_NOT_ALLOWED",
            ApiError::NotAcceptable(_) => "NOT_ACCEPTABLE",
            ApiError::UnsupportedMediaType(_) => "UNSUPPORTED_MEDIA_TYPE",
            ApiError::Unauthenticated(_) => "UNAUTHENTICATED",
            ApiError::Forbidden(_) => "FORBIDDEN",
            ApiError::Timeout(_) => "TIMEOUT",
            ApiError::Store(error) => match error {
                StoreError::Syntax { .. } | StoreError::QuerySyntax { .. } => "SYNTAX_ERROR",
                StoreError::UnknownFormat { .. } | StoreError::UnknownMediaType(_) => "UNSUPPORTED_MEDIA_TYPE",
                StoreError::InvalidIri { .. } => "BAD_REQUEST",
                StoreError::Refused(_) => "REFUSED",
                StoreError::NotAcceptable(_) => "NOT_ACCEPTABLE",
                StoreError::Cancelled => "TIMEOUT",
                StoreError::Locked { .. } | StoreError::Remote { .. } => "UNAVAILABLE",
                StoreError::StorageFull(_) => "STORAGE_FULL",
                StoreError::LimitExceeded {
                    limit: InputLimit::SparqlLength,
                    ..
                } => "PAYLOAD_TOO_LARGE",
                StoreError::LimitExceeded { .. } => "LIMIT_EXCEEDED",
                _ => "INTERNAL",
            },
            ApiError::Query(error) => match error {
                QueryError::NotFound { .. } => "NOT_FOUND",
                QueryError::Ambiguous { .. } => "AMBIGUOUS",
                QueryError::BadInput { .. } => "BAD_USER_INPUT",
                QueryError::LimitExceeded { .. } => "LIMIT_EXCEEDED",
                QueryError::Store(StoreError::Remote { .. }) => "UNAVAILABLE",
                QueryError::Store(StoreError::StorageFull(_)) => "STORAGE_FULL",
                QueryError::Store(_) => "INTERNAL",
            },
            ApiError::Compute(_) | ApiError::Panicked => "INTERNAL",
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self.code() {
            "NOT_FOUND" => StatusCode::NOT_FOUND,
            "BAD_REQUEST" | "SYNTAX_ERROR" | "REFUSED" | "AMBIGUOUS" | "BAD_USER_INPUT" | "LIMIT_EXCEEDED" => {
                StatusCode::BAD_REQUEST
            }
            "METHOD_NOT_ALLOWED" => StatusCode::METHOD_NOT_ALLOWED,
            "NOT_ACCEPTABLE" => StatusCode::NOT_ACCEPTABLE,
            "UNSUPPORTED_MEDIA_TYPE" => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "PAYLOAD_TOO_LARGE" => StatusCode::PAYLOAD_TOO_LARGE,
            "UNAUTHENTICATED" => StatusCode::UNAUTHORIZED,
            "FORBIDDEN" => StatusCode::FORBIDDEN,
            "TIMEOUT" | "UNAVAILABLE" => StatusCode::SERVICE_UNAVAILABLE,
            "STORAGE_FULL" => StatusCode::INSUFFICIENT_STORAGE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if self.status_code().is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let mut error = serde_json::json!({ "code": self.code(), "message": self.to_string() });
        // What a client needs to recover from a bad ref or a limit.
        let entities = |pairs: &[(String, String)]| -> serde_json::Value {
            pairs
                .iter()
                .map(|(id, label)| serde_json::json!({ "id": id, "label": label }))
                .collect()
        };
        match self {
            ApiError::Query(QueryError::NotFound { suggestions, .. }) => error["suggestions"] = entities(suggestions),
            ApiError::Query(QueryError::Ambiguous { candidates, .. }) => error["candidates"] = entities(candidates),
            ApiError::Query(QueryError::LimitExceeded { limit, max, .. }) => {
                error["limit"] = serde_json::json!(limit);
                error["max"] = serde_json::json!(max);
            }
            ApiError::Store(StoreError::LimitExceeded { limit, max, .. }) => {
                error["limit"] = serde_json::json!(limit.option());
                error["max"] = serde_json::json!(max);
            }
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code()).json(serde_json::json!({ "error": error }));
        let headers = response.headers_mut();
        match self {
            ApiError::Unauthenticated(_) => {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"govgraph\""),
                );
            }
            ApiError::MethodNotAllowed(_, allow) => {
                headers.insert(header::ALLOW, HeaderValue::from_static(allow));
            }
            _ => {}
        }
        response
    }
}

pub async fn not_found(request: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound(format!(
        "no route for {} {}",
        request.method(),
        request.path()
    )))
}
