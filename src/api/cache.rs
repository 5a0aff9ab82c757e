//! Conditional `GET` for what depends only on the dataset: an `ETag` derived from the dataset
//! version, and `304 Not Modified` to a client whose `If-None-Match` has it.
//!
//! The tag is weak (`W/"…"`): the same data may be sent gzip-compressed or not, and as bytes
//! that differ between two runs (the order of a map), so only semantic equality is promised.
//! It names the version, then a hash of the URL, the negotiated type (`Accept`) and whether the
//! request was authorized, so that a tag is only ever valid for the answer it came with and the
//! version changes it on every write.

use super::AppState;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, web};

/// Answers a matching `If-None-Match` without running the handler, and tags successful answers.
pub async fn revalidate(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(tag) = applies(&request).then(|| entity_tag(&request)).flatten() else {
        return Ok(next.call(request).await?.map_into_boxed_body());
    };
    let condition = Condition::of(&request, &tag);
    if condition == Condition::Matches(tag.clone()) {
        let (request, _) = request.into_parts();
        return Ok(ServiceResponse::new(request, not_modified(&tag)));
    }
    let mut response = next.call(request).await?.map_into_boxed_body();
    if !response.status().is_success() || no_store(&response) {
        return Ok(response);
    }
    if condition == Condition::Any {
        let (request, _) = response.into_parts();
        return Ok(ServiceResponse::new(request, not_modified(&tag)));
    }
    set_validators(response.headers_mut(), &tag);
    Ok(response)
}

/// Reads only: a WebSocket upgrade (a GraphQL subscription) is a stream, not a document.
fn applies(request: &ServiceRequest) -> bool {
    let reads = matches!(*request.method(), Method::GET | Method::HEAD);
    reads && !request.headers().contains_key(header::UPGRADE)
}

/// A handler that marks its answer `no-store` (a GraphQL result with errors) is not revalidated.
fn no_store(response: &ServiceResponse) -> bool {
    response
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.contains("no-store"))
}

/// The tag of this request's answer at the current dataset version.
fn entity_tag(request: &ServiceRequest) -> Option<HeaderValue> {
    let state = request.app_data::<web::Data<AppState>>()?;
    let version = state.catalog.load().version.clone();
    let header = |name| {
        request
            .headers()
            .get(name)
            .map(HeaderValue::as_bytes)
            .unwrap_or_default()
    };
    let target = request
        .uri()
        .path_and_query()
        .map(|target| target.as_str())
        .unwrap_or("");
    let authorized: &[u8] = if request.headers().contains_key(header::AUTHORIZATION) {
        b"authorized"
    } else {
        b""
    };
    let hash = fnv1a(&[target.as_bytes(), header(header::ACCEPT), authorized]);
    HeaderValue::from_str(&format!("W/\"{}-{hash:016x}\"", opaque(&version))).ok()
}

/// The version as `etagc` characters (no quotes, spaces or controls).
fn opaque(version: &str) -> String {
    version
        .chars()
        .map(|c| if c.is_ascii_graphic() && c != '"' { c } else { '.' })
        .collect()
}

/// FNV-1a: stable across builds and machines, so replicas at one version give one tag.
fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.iter().chain(b"\n") {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

#[derive(Clone, PartialEq, Eq)]
enum Condition {
    None,
    /// `If-None-Match: *`: any current answer; known only once the handler has run.
    Any,
    /// One of the listed tags is the current one.
    Matches(HeaderValue),
    Other,
}

impl Condition {
    fn of(request: &ServiceRequest, tag: &HeaderValue) -> Self {
        let mut listed = request
            .headers()
            .get_all(header::IF_NONE_MATCH)
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .peekable();
        if listed.peek().is_none() {
            return Condition::None;
        }
        let mut any = false;
        for item in listed {
            // If-None-Match compares weakly (RFC 9110 §13.1.2).
            if weak(item) == weak(tag.to_str().unwrap_or_default()) {
                return Condition::Matches(tag.clone());
            }
            any |= item == "*";
        }
        if any { Condition::Any } else { Condition::Other }
    }
}

fn weak(tag: &str) -> &str {
    tag.strip_prefix("W/").unwrap_or(tag)
}

/// Clients must ask again each time, and may keep the answer while the tag still matches. The
/// tag depends on `Accept` and on whether a token was sent, so caches must key on them too; a
/// `304` repeats what the full answer would have said (RFC 9110 §15.4.5).
fn set_validators(headers: &mut actix_web::http::header::HeaderMap, tag: &HeaderValue) {
    headers.insert(header::ETAG, tag.clone());
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    let vary = headers
        .get(header::VARY)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let mut names: Vec<&str> = vary.split(',').map(str::trim).filter(|name| !name.is_empty()).collect();
    for name in ["Accept", "Authorization"] {
        if !names.iter().any(|listed| listed.eq_ignore_ascii_case(name)) {
            names.push(name);
        }
    }
    if let Ok(value) = HeaderValue::from_str(&names.join(", ")) {
        headers.insert(header::VARY, value);
    }
}

fn not_modified(tag: &HeaderValue) -> HttpResponse {
    let mut response = HttpResponse::build(StatusCode::NOT_MODIFIED).finish();
    set_validators(response.headers_mut(), tag);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_is_quoted_safely_and_the_hash_is_stable() {
        assert_eq!(opaque("12 ab\"c"), "12.ab.c");
        assert_eq!(fnv1a(&[b"a"]), fnv1a(&[b"a"]));
        assert_ne!(fnv1a(&[b"a", b""]), fnv1a(&[b"", b"a"]));
    }
}
