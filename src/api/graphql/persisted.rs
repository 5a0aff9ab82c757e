//! Automatic persisted queries, as Apollo's persisted-query link speaks them: a client sends the
//! SHA-256 of its query in `extensions.persistedQuery` instead of the text; if the server does
//! not know the hash it answers `PERSISTED_QUERY_NOT_FOUND`, and the client sends the text with
//! its hash once, which the server checks and keeps. The texts are kept in a bounded LRU cache.
//!
//! async-graphql's `ApolloPersistedQueries` extension is not used: its errors carry no
//! `extensions.code` (the link and our clients read codes), it takes any string for a hash, and
//! it keeps a parsed document before validation, beside our own cache of parsed documents
//! (`parsed.rs`). Here a hash only resolves to the query's text, before the request runs, so the
//! request then goes through the same parsing, codes, limits, validation and parsed-document
//! cache as any other; and a text is kept only once it got past validation.

use super::errors::{coded, limit_exceeded};
use crate::error_code::ErrorCode;
use async_graphql::{Error, Request, Value};
use lru::LruCache;
use sha2::{Digest, Sha256};
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

/// A query's SHA-256, the cache's key.
pub type Hash = [u8; 32];

/// The request extension that carries the hash.
const EXTENSION: &str = "persistedQuery";

/// What Apollo's clients match on (the message, before codes existed) and the code for it.
pub const NOT_FOUND_MESSAGE: &str = "PersistedQueryNotFound";

/// Whether the request names a persisted query (and so may come without its text).
pub fn carries(request: &Request) -> bool {
    request.extensions.contains_key(EXTENSION)
}

pub struct PersistedQueries {
    queries: Mutex<LruCache<Hash, Arc<str>>>,
    /// Longest text kept, in bytes: with the capacity, this bounds the cache's memory.
    longest: usize,
}

impl PersistedQueries {
    /// A cache of at most `capacity` texts (at least one) of at most `longest` bytes each.
    pub fn new(capacity: usize, longest: usize) -> Self {
        let capacity = NonZeroUsize::new(capacity).unwrap_or(NonZeroUsize::MIN);
        Self {
            queries: Mutex::new(LruCache::new(capacity)),
            longest,
        }
    }

    /// Reads the request's `persistedQuery` extension. A request with only a hash gets the text
    /// kept for it; a request with a text and a hash is checked, and the hash is returned so that
    /// the text can be kept once it has run. A request without the extension is left alone.
    pub fn resolve(&self, request: &mut Request) -> Result<Option<Hash>, Error> {
        let Some(extension) = request.extensions.get(EXTENSION) else {
            return Ok(None);
        };
        let hash = read_extension(extension)?;
        if request.query.is_empty() {
            let query = self
                .get(&hash)
                .ok_or_else(|| coded(NOT_FOUND_MESSAGE, ErrorCode::PersistedQueryNotFound))?;
            request.query = query.to_string();
            return Ok(None);
        }
        if request.query.len() > self.longest {
            let message = format!(
                "a persisted query may be at most {} bytes; this one is {} (send it without `persistedQuery`)",
                self.longest,
                request.query.len()
            );
            return Err(limit_exceeded("persistedQueryLength", self.longest, message));
        }
        if Sha256::digest(request.query.as_bytes()).as_slice() != hash {
            return Err(coded("provided sha does not match query", ErrorCode::BadRequest));
        }
        Ok(Some(hash))
    }

    /// Keeps `query` under `hash`, which `resolve` checked, evicting the least recently used.
    pub fn remember(&self, hash: Hash, query: &str) {
        if let Ok(mut queries) = self.queries.lock() {
            queries.put(hash, Arc::from(query));
        }
    }

    fn get(&self, hash: &Hash) -> Option<Arc<str>> {
        self.queries.lock().ok()?.get(hash).cloned()
    }
}

/// The hash in `{"version": 1, "sha256Hash": "<64 hex digits>"}`, or why it is not one.
fn read_extension(extension: &Value) -> Result<Hash, Error> {
    let shape = "`extensions.persistedQuery` must be an object {\"version\": 1, \"sha256Hash\": \"<64 hex digits>\"}";
    let Value::Object(fields) = extension else {
        return Err(coded(shape, ErrorCode::BadRequest));
    };
    match fields.get("version") {
        Some(Value::Number(version)) if version.as_u64() == Some(1) => {}
        Some(Value::Number(version)) => {
            let message = format!("persisted query version {version} is not supported; only version 1 is");
            return Err(coded(message, ErrorCode::BadRequest));
        }
        _ => return Err(coded(shape, ErrorCode::BadRequest)),
    }
    match fields.get("sha256Hash") {
        Some(Value::String(hex)) => {
            parse_hex(hex).ok_or_else(|| coded("`sha256Hash` must be 64 hexadecimal digits", ErrorCode::BadRequest))
        }
        _ => Err(coded(shape, ErrorCode::BadRequest)),
    }
}

/// 64 hexadecimal digits (either case) as 32 bytes.
fn parse_hex(hex: &str) -> Option<Hash> {
    if hex.len() != 64 {
        return None;
    }
    let mut hash = [0; 32];
    for (byte, pair) in hash.iter_mut().zip(hex.as_bytes().chunks_exact(2)) {
        let digits = std::str::from_utf8(pair).ok()?;
        *byte = u8::from_str_radix(digits, 16).ok()?;
    }
    Some(hash)
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::ErrorExtensions;

    const QUERY: &str = "{ stats { entities } }";

    fn hex(query: &str) -> String {
        Sha256::digest(query.as_bytes())
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }

    fn request(query: &str, extension: serde_json::Value) -> Request {
        let body = serde_json::json!({ "query": query, "extensions": { "persistedQuery": extension } });
        serde_json::from_value(body).unwrap()
    }

    fn persisted(query: &str) -> Request {
        request(query, serde_json::json!({ "version": 1, "sha256Hash": hex(QUERY) }))
    }

    fn code(error: Error) -> String {
        let error = error.extend().into_server_error(Default::default());
        let extensions = serde_json::to_value(error.extensions).unwrap();
        extensions["code"].as_str().unwrap().to_owned()
    }

    #[test]
    fn a_hash_finds_the_query_registered_with_it() {
        let cache = PersistedQueries::new(4, 1024);
        let error = cache.resolve(&mut persisted("")).unwrap_err();
        assert_eq!(error.message, NOT_FOUND_MESSAGE);
        assert_eq!(code(error), "PERSISTED_QUERY_NOT_FOUND");
        let hash = cache.resolve(&mut persisted(QUERY)).unwrap().unwrap();
        cache.remember(hash, QUERY);
        let mut by_hash = persisted("");
        assert_eq!(cache.resolve(&mut by_hash).unwrap(), None);
        assert_eq!(by_hash.query, QUERY);
        // Uppercase digits name the same hash.
        let mut upper = request(
            "",
            serde_json::json!({ "version": 1, "sha256Hash": hex(QUERY).to_uppercase() }),
        );
        cache.resolve(&mut upper).unwrap();
        assert_eq!(upper.query, QUERY);
        let mut plain: Request = serde_json::from_value(serde_json::json!({ "query": "{ x }" })).unwrap();
        assert_eq!(cache.resolve(&mut plain).unwrap(), None);
    }

    #[test]
    fn malformed_extensions_and_wrong_hashes_are_refused_with_codes() {
        let cache = PersistedQueries::new(4, 64);
        let refused = |mut request: Request| {
            let error = cache.resolve(&mut request).unwrap_err();
            (code(error.clone()), error.message)
        };
        let (code_of, message) = refused(persisted("{ stats { relations } }"));
        assert_eq!(
            (code_of.as_str(), message.as_str()),
            ("BAD_REQUEST", "provided sha does not match query")
        );
        let (code_of, message) = refused(request(
            "",
            serde_json::json!({ "version": 2, "sha256Hash": hex(QUERY) }),
        ));
        assert_eq!(code_of, "BAD_REQUEST");
        assert!(message.contains("version 2"), "{message}");
        for extension in [
            serde_json::json!("abc"),
            serde_json::json!([1]),
            serde_json::json!({ "sha256Hash": hex(QUERY) }),
            serde_json::json!({ "version": 1 }),
            serde_json::json!({ "version": "1", "sha256Hash": hex(QUERY) }),
            serde_json::json!({ "version": 1, "sha256Hash": 12 }),
        ] {
            let (code_of, message) = refused(request("", extension.clone()));
            assert_eq!(code_of, "BAD_REQUEST", "{extension}");
            assert!(message.contains("must be an object"), "{extension}: {message}");
        }
        for hash in ["abc".to_owned(), "g".repeat(64), "é".repeat(32), "a".repeat(100_000)] {
            let (code_of, message) = refused(request("", serde_json::json!({ "version": 1, "sha256Hash": hash })));
            assert_eq!(code_of, "BAD_REQUEST");
            assert!(message.contains("64 hexadecimal digits"), "{message}");
        }
        let long = format!("{QUERY} # {}", "x".repeat(100));
        let (code_of, message) = refused(persisted(&long));
        assert_eq!(code_of, "LIMIT_EXCEEDED");
        assert!(message.contains("at most 64 bytes"), "{message}");
    }

    #[test]
    fn the_cache_keeps_the_most_recently_used_within_its_capacity() {
        let cache = PersistedQueries::new(2, 1024);
        let queries = [
            "{ a: stats { entities } }",
            "{ b: stats { entities } }",
            "{ c: stats { entities } }",
        ];
        let hashes: Vec<Hash> = queries.iter().map(|query| parse_hex(&hex(query)).unwrap()).collect();
        cache.remember(hashes[0], queries[0]);
        cache.remember(hashes[1], queries[1]);
        // Using the first makes the second the least recently used, so the third evicts it.
        assert!(cache.get(&hashes[0]).is_some());
        cache.remember(hashes[2], queries[2]);
        assert!(cache.get(&hashes[0]).is_some());
        assert!(cache.get(&hashes[1]).is_none());
        assert!(cache.get(&hashes[2]).is_some());
        assert_eq!(cache.queries.lock().unwrap().len(), 2);
        // A capacity of zero still keeps one.
        let smallest = PersistedQueries::new(0, 1024);
        smallest.remember(hashes[0], queries[0]);
        assert!(smallest.get(&hashes[0]).is_some());
    }
}
