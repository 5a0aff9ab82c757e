//! What wraps every request: panics become a JSON 500 (the server stays up), errors produced
//! outside the handlers (body too large, bad query strings) get the same JSON shape as ours,
//! each response carries its request id, and each request is counted for `/metrics`.
//!
//! The request id is the client's `X-Request-Id` when it sent a usable one (so that one id
//! follows a request through the proxies and services in front of us), and a fresh one
//! otherwise; a W3C `traceparent`'s trace id is logged with the request.

use super::metrics::Metrics;
use crate::error_code::ErrorCode;
use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{ErrorHandlerResponse, Next};
use actix_web::{HttpMessage, HttpResponse, web};
use futures_util::FutureExt;
use std::panic::AssertUnwindSafe;
use std::time::Instant;
use tracing::Span;
use tracing::field::Empty;
use tracing_actix_web::{DefaultRootSpanBuilder, RootSpanBuilder};

/// The id a request is known by, in its response and its log lines.
#[derive(Clone)]
struct RequestId(String);

/// A client's id is kept if it is a token a log line and a header can carry unchanged.
fn client_request_id(request: &ServiceRequest) -> Option<String> {
    let value = request.headers().get("x-request-id")?.to_str().ok()?;
    let sane = !value.is_empty() && value.len() <= 128 && value.bytes().all(|byte| byte.is_ascii_graphic());
    sane.then(|| value.to_owned())
}

/// The trace id of a W3C `traceparent` (`00-<32 hex>-<16 hex>-<2 hex>`), if it is one.
fn trace_id(request: &ServiceRequest) -> Option<&str> {
    let value = request.headers().get("traceparent")?.to_str().ok()?;
    let mut parts = value.split('-');
    let (version, trace, parent, flags) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let hex = |part: &str, length: usize| {
        part.len() == length && part.bytes().all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'))
    };
    let valid = hex(version, 2)
        && version != "ff"
        && (version != "00" || parts.next().is_none())
        && hex(trace, 32)
        && hex(parent, 16)
        && hex(flags, 2)
        && trace.bytes().any(|byte| byte != b'0')
        && parent.bytes().any(|byte| byte != b'0');
    valid.then_some(trace)
}

/// The request's span: its id (the client's, or a fresh one) and the trace it belongs to.
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        // The logger has just given the request a fresh id; a client's usable one wins.
        let fresh = || {
            request
                .extensions()
                .get::<tracing_actix_web::RequestId>()
                .map(ToString::to_string)
                .unwrap_or_default()
        };
        let id = client_request_id(request).unwrap_or_else(fresh);
        request.extensions_mut().insert(RequestId(id.clone()));
        let route = request.match_pattern().unwrap_or_else(|| "default".to_owned());
        let span = tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %route,
            http.target = %request.uri().path_and_query().map(|target| target.as_str()).unwrap_or(""),
            http.status_code = Empty,
            otel.status_code = Empty,
            exception.message = Empty,
            exception.details = Empty,
            request_id = %id,
            trace_id = Empty,
        );
        if let Some(trace) = trace_id(request) {
            span.record("trace_id", tracing::field::display(trace));
        }
        span
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, actix_web::Error>) {
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

/// A `HEAD` answer is the `GET` one without its body: a streamed body (an export) is dropped
/// unread, so that the work behind it stops, instead of being produced only to be discarded.
pub async fn head_without_body(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let head = request.method() == actix_web::http::Method::HEAD;
    let response = next.call(request).await?.map_into_boxed_body();
    if head && matches!(response.response().body().size(), BodySize::Stream) {
        return Ok(response.map_body(|_, _| BoxBody::new(actix_web::body::None::new())));
    }
    Ok(response)
}

fn error_body(status: StatusCode, code: ErrorCode, message: &str) -> HttpResponse {
    let mut response =
        HttpResponse::build(status).json(serde_json::json!({ "error": { "code": code.as_str(), "message": message } }));
    // For `/metrics`, as `ApiError` does.
    response.extensions_mut().insert(code);
    response
}

/// Catches a panicking handler, counts the request, and names it with its request id.
pub async fn observe(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let started = Instant::now();
    // Nothing may hold on to the request while it is routed (actix needs it unshared), so only
    // plain values are kept for the panic report.
    let (method, path) = (request.method().to_string(), request.path().to_owned());
    let metrics = request.app_data::<web::Data<Metrics>>().cloned();
    let mut response = match AssertUnwindSafe(next.call(request)).catch_unwind().await {
        Ok(result) => result?.map_into_boxed_body(),
        Err(_) => {
            tracing::error!(%method, %path, "a handler panicked; the request is answered with a 500");
            if let Some(metrics) = &metrics {
                metrics.observe(&method, "panic", 500, started.elapsed());
                metrics.error_code("panic", ErrorCode::Internal);
            }
            return Err(super::ApiError::Panicked.into());
        }
    };
    let request_id = response
        .request()
        .extensions()
        .get::<RequestId>()
        .map(|id| id.0.clone());
    if let Some(value) = request_id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        response
            .headers_mut()
            .insert(header::HeaderName::from_static("x-request-id"), value);
    }
    if let Some(metrics) = metrics {
        let route = response
            .request()
            .match_pattern()
            .unwrap_or_else(|| "unmatched".to_owned());
        metrics.observe(
            response.request().method().as_str(),
            &route,
            response.status().as_u16(),
            started.elapsed(),
        );
        if let Some(code) = response.response().extensions().get::<ErrorCode>() {
            metrics.error_code(&route, *code);
        }
    }
    Ok(response)
}

/// Gives every error response that is not JSON yet (actix's own: a body over the limit, a
/// malformed query string) the `{"error": {"code", "message"}}` shape.
pub fn json_errors<B>(response: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.contains("json"));
    if is_json {
        return Ok(ErrorHandlerResponse::Response(response.map_into_left_body()));
    }
    let status = response.status();
    let (code, message) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => (
            ErrorCode::PayloadTooLarge,
            "the request body is larger than the server accepts (--max-body)",
        ),
        StatusCode::URI_TOO_LONG => (ErrorCode::UriTooLong, "the request line is too long"),
        StatusCode::METHOD_NOT_ALLOWED => (ErrorCode::MethodNotAllowed, "this method is not allowed here"),
        StatusCode::NOT_FOUND => (ErrorCode::NotFound, "not found"),
        StatusCode::REQUEST_TIMEOUT => (ErrorCode::Timeout, "the request took too long to arrive"),
        status if status.is_server_error() => (ErrorCode::Internal, "internal error"),
        _ => (
            ErrorCode::BadRequest,
            "the request could not be read (check its query string, headers and body)",
        ),
    };
    let allow = response.headers().get(header::ALLOW).cloned();
    let (request, _) = response.into_parts();
    let mut replacement = error_body(status, code, message);
    if let Some(allow) = allow {
        replacement.headers_mut().insert(header::ALLOW, allow);
    }
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(request, replacement).map_into_right_body(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::{App, test};

    async fn boom() -> HttpResponse {
        panic!("a handler bug");
    }

    #[actix_web::test]
    async fn a_panicking_handler_is_answered_with_a_json_500_and_the_next_request_is_served() {
        let app = test::init_service(
            App::new()
                .wrap(actix_web::middleware::from_fn(observe))
                .route("/boom", web::get().to(boom))
                .route("/fine", web::get().to(|| async { HttpResponse::Ok().finish() })),
        )
        .await;
        let error = test::try_call_service(&app, test::TestRequest::get().uri("/boom").to_request())
            .await
            .expect_err("the panic becomes an error");
        let response = error.error_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = actix_web::body::to_bytes(response.into_body()).await.unwrap();
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&body).unwrap()["error"]["code"],
            "INTERNAL"
        );
        let response = test::call_service(&app, test::TestRequest::get().uri("/fine").to_request()).await;
        assert_eq!(response.status(), StatusCode::OK);
    }

    #[actix_web::test]
    async fn errors_that_are_not_json_become_json() {
        let app = test::init_service(
            App::new()
                .wrap(actix_web::middleware::ErrorHandlers::new().default_handler(json_errors))
                .route(
                    "/plain",
                    web::get().to(|| async { HttpResponse::PayloadTooLarge().body("too big") }),
                ),
        )
        .await;
        let response = test::call_service(&app, test::TestRequest::get().uri("/plain").to_request()).await;
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let body = test::read_body(response).await;
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&body).unwrap()["error"]["code"],
            "PAYLOAD_TOO_LARGE"
        );
    }
}
