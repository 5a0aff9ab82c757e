//! Which browser origins may use the API: one policy for HTTP (CORS) and for the WebSocket
//! upgrade of `/graphql`, which browsers send from any page without a preflight, so that a site
//! CORS keeps out cannot subscribe either.

use actix_web::HttpRequest;
use actix_web::http::header;
use std::sync::Arc;

/// The origins of `--cors-origin`; `*` allows any. Empty (the default): only the server's own.
#[derive(Clone, Default)]
pub struct Origins(Arc<[String]>);

impl Origins {
    pub fn new(origins: Vec<String>) -> Self {
        Self(origins.into())
    }

    fn any(&self) -> bool {
        self.0.iter().any(|origin| origin == "*")
    }

    /// Whether a request may go on: one without `Origin` does not come from a page, and a page
    /// of the server's own origin is always allowed.
    pub fn allow(&self, request: &HttpRequest) -> Result<(), String> {
        let Some(origin) = request.headers().get(header::ORIGIN) else {
            return Ok(());
        };
        let origin = origin.to_str().unwrap_or_default();
        if self.any() || self.0.iter().any(|allowed| allowed == origin) || same_origin(origin, request) {
            return Ok(());
        }
        Err(format!(
            "pages from `{origin}` may not use this server (allow them with --cors-origin)"
        ))
    }

    /// actix-cors for the configured origins; `None` when CORS is off.
    pub fn cors(&self) -> Option<actix_cors::Cors> {
        if self.0.is_empty() {
            return None;
        }
        let cors = actix_cors::Cors::default()
            .allowed_methods(["GET", "HEAD", "POST", "PUT", "DELETE"])
            .allowed_headers([
                header::CONTENT_TYPE,
                header::ACCEPT,
                header::AUTHORIZATION,
                header::IF_NONE_MATCH,
                header::HeaderName::from_static("x-request-id"),
                header::HeaderName::from_static("traceparent"),
            ])
            // What a script on another origin may read: the validator, the request's id, and
            // whether a subgraph was truncated.
            .expose_headers([
                header::ETAG,
                header::HeaderName::from_static("x-request-id"),
                header::HeaderName::from_static(super::subgraph::TRUNCATED_HEADER),
            ])
            .max_age(3600);
        Some(if self.any() {
            cors.allow_any_origin().send_wildcard()
        } else {
            self.0.iter().fold(cors, |cors, origin| cors.allowed_origin(origin))
        })
    }
}

/// Whether `origin` (`scheme://host[:port]`) names the host the request was sent to.
fn same_origin(origin: &str, request: &HttpRequest) -> bool {
    let Some(host) = request.headers().get(header::HOST).and_then(|host| host.to_str().ok()) else {
        return false;
    };
    origin
        .split_once("://")
        .is_some_and(|(_, authority)| authority.eq_ignore_ascii_case(host))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn request(origin: Option<&str>) -> HttpRequest {
        let mut request = TestRequest::default().insert_header((header::HOST, "127.0.0.1:8080"));
        if let Some(origin) = origin {
            request = request.insert_header((header::ORIGIN, origin));
        }
        request.to_http_request()
    }

    #[test]
    fn a_page_is_allowed_from_its_own_origin_or_a_configured_one() {
        let closed = Origins::default();
        assert!(closed.allow(&request(None)).is_ok(), "no Origin: not a page");
        assert!(closed.allow(&request(Some("http://127.0.0.1:8080"))).is_ok());
        assert!(closed.allow(&request(Some("https://evil.example"))).is_err());
        assert!(closed.allow(&request(Some("http://127.0.0.1:8081"))).is_err());
        assert!(closed.cors().is_none());
        let one = Origins::new(vec!["https://client.example.org".to_owned()]);
        assert!(one.allow(&request(Some("https://client.example.org"))).is_ok());
        assert!(one.allow(&request(Some("https://evil.example"))).is_err());
        let any = Origins::new(vec!["*".to_owned()]);
        assert!(any.allow(&request(Some("https://evil.example"))).is_ok());
    }
}
