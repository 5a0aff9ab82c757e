//! The one place where errors become HTTP responses: `{"error": {"code", "message"}}` with a
//! status from the code table below.

use crate::error_code::ErrorCode;
use crate::services::explore::QueryError;
use crate::store::StoreError;
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
    /// With the `Allow` header's value: the methods the path takes.
    MethodNotAllowed(String, std::borrow::Cow<'static, str>),
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
    /// Its row in the error table (`crate::error_code`), which gives the status and the body's
    /// `error.code`.
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::NotFound(_) => ErrorCode::NotFound,
            ApiError::BadRequest(_) => ErrorCode::BadRequest,
            ApiError::MethodNotAllowed(..) => ErrorCode::MethodNotAllowed,
            ApiError::NotAcceptable(_) => ErrorCode::NotAcceptable,
            ApiError::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            ApiError::Unauthenticated(_) => ErrorCode::Unauthenticated,
            ApiError::Forbidden(_) => ErrorCode::Forbidden,
            ApiError::Timeout(_) => ErrorCode::Timeout,
            ApiError::Store(error) => error.code(),
            ApiError::Query(error) => error.code(),
            ApiError::Compute(_) | ApiError::Panicked => ErrorCode::Internal,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        status_of(self.code())
    }

    fn error_response(&self) -> HttpResponse {
        if self.status_code().is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let mut error = serde_json::json!({ "code": self.code().as_str(), "message": self.to_string() });
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
        // For `/metrics`, which counts answers by code.
        response.extensions_mut().insert(self.code());
        let headers = response.headers_mut();
        match self {
            ApiError::Unauthenticated(_) => {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"govgraph\""),
                );
            }
            ApiError::MethodNotAllowed(_, allow) => {
                if let Ok(value) = HeaderValue::from_str(allow) {
                    headers.insert(header::ALLOW, value);
                }
            }
            _ => {}
        }
        response
    }
}

/// The HTTP status of an error code.
pub fn status_of(code: ErrorCode) -> StatusCode {
    StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

pub async fn not_found(request: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound(format!(
        "no route for {} {}",
        request.method(),
        request.path()
    )))
}
