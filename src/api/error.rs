//! The one place where errors become HTTP responses: `{"error": {"code", "message"}}` with a
//! status from the code table below.

use crate::store::StoreError;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("no route for {0}")]
    NotFound(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the server is overloaded: {0}")]
    Blocking(#[from] actix_web::error::BlockingError),
}

impl ApiError {
    fn code(&self) -> &'static str {
        match self {
            ApiError::NotFound(_) => "NOT_FOUND",
            ApiError::Store(
                StoreError::Syntax { .. } | StoreError::QuerySyntax { .. } | StoreError::UnknownFormat { .. },
            ) => "BAD_REQUEST",
            ApiError::Store(_) | ApiError::Blocking(_) => "INTERNAL",
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self.code() {
            "NOT_FOUND" => StatusCode::NOT_FOUND,
            "BAD_REQUEST" => StatusCode::BAD_REQUEST,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if self.status_code().is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        HttpResponse::build(self.status_code())
            .json(serde_json::json!({ "error": { "code": self.code(), "message": self.to_string() } }))
    }
}

pub async fn not_found(request: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound(format!("{} {}", request.method(), request.path())))
}
